#!/usr/bin/env bash
# vrpjson end to end: the shared signed fixtures, signing checked by an
# independent implementation of GoRTR's scheme (jq + openssl), every
# subcommand, bad input and atomic output.
. "$(dirname "$0")/lib.sh"

V="$BIN_DIR/vrpjson"
S="$SHARED_DIR/fixtures/signed"
PUB="$S/demo-fixture.pub.pem"

# 1. The fixtures, as their README says.
expect_rc 0 "valid-asn-string verifies" "$V" verify -verify.key "$PUB" "$S/valid-asn-string.json"
expect_grep "$WORK/out" "OK: 50 ROA entries" "verify prints the counts"
expect_rc 0 "valid-asn-number verifies" "$V" verify -verify.key "$PUB" "$S/valid-asn-number.json"
expect_rc 1 "tampered-roa is rejected" "$V" verify -verify.key "$PUB" "$S/tampered-roa.json"
expect_grep "$WORK/err" "tampered-roa.json: metadata.signatureDate: .*does not verify" "tampered error names file and field"
expect_rc 5 "expired is rejected as expired" "$V" verify -verify.key "$PUB" "$S/expired.json"
expect_grep "$WORK/err" "expired: metadata.valid" "expired error says so"
expect_rc 0 "expired accepted with -checktime=false" "$V" verify -verify.key "$PUB" -checktime=false "$S/expired.json"
expect_rc 1 "a valid file fails under another key" "$V" verify -verify.key "$SHARED_DIR/fixtures/gortr/cf.pub" "$S/valid-asn-string.json"

# 2. Sign, then check with an independent implementation of the scheme:
#    jq builds the sorted "prefix,maxLength,asn," string, openssl verifies.
KEY="$SOURCE_DIR/keys/demo-private.pem"
DPUB="$SOURCE_DIR/keys/demo-public.pem"
expect_rc 0 "sign the GoRTR test file" "$V" sign -key "$KEY" -validity 2h -generated 1800000000 "$SHARED_DIR/fixtures/gortr/test.rpki.json" "$WORK/signed.json"
expect_eq "$(jq -r '.metadata.valid - .metadata.generated' "$WORK/signed.json")" 7200 "validity is 2h"
expect_eq "$(jq -r '.metadata.serial' "$WORK/signed.json")" 1 "serial kept from input"
expect_rc 0 "our verify accepts our signature" "$V" verify -verify.key "$DPUB" -checktime=false "$WORK/signed.json"

independent_check() {
	local f=$1 s gen valid
	s=$(jq -r '.roas[] | "\(.prefix),\(.maxLength),\(.asn),"' "$f" | LC_ALL=C sort | tr -d '\n')
	gen=$(jq -r .metadata.generated "$f")
	valid=$(jq -r .metadata.valid "$f")
	printf '%s' "$s" | openssl dgst -sha256 -binary >"$WORK/d1"
	printf '%s,%s%s' "$gen" "$s" "$valid" | openssl dgst -sha256 -binary >"$WORK/d2"
	jq -r .metadata.signatureDate "$f" | xxd -r -p >"$WORK/sig1"
	jq -r .metadata.signature "$f" | xxd -r -p >"$WORK/sig2"
	openssl pkeyutl -verify -pubin -inkey "$2" -in "$WORK/d1" -sigfile "$WORK/sig1" >/dev/null 2>&1 &&
	    openssl pkeyutl -verify -pubin -inkey "$2" -in "$WORK/d2" -sigfile "$WORK/sig2" >/dev/null 2>&1
}
if independent_check "$WORK/signed.json" "$DPUB"; then
	ok "openssl + jq verify our signatures (GoRTR scheme)"
else
	not_ok "openssl + jq reject our signatures"
fi
if independent_check "$S/valid-asn-string.json" "$PUB"; then
	ok "the independent check accepts the shared fixture (it is sound)"
else
	not_ok "the independent check rejects the shared fixture"
fi
if independent_check "$S/tampered-roa.json" "$PUB"; then
	not_ok "the independent check accepts a tampered file"
else
	ok "the independent check rejects the tampered fixture"
fi

# Signing an rpki-client file keeps ASPAs and keys; the signature holds.
RKEY=$(openssl ecparam -genkey -name prime256v1 2>/dev/null | openssl ec -pubout -outform DER 2>/dev/null | base64 -w0)
cat >"$WORK/rc.json" <<JSON
{
	"metadata": { "buildmachine": "x", "buildtime": "2024-01-01T00:00:00Z" },
	"roas": [
		{ "asn": 65000, "prefix": "192.0.2.0/24", "maxLength": 24, "ta": "ripe", "expires": 1900000000 },
		{ "asn": 65001, "prefix": "2001:db8::/32", "maxLength": 48, "ta": "arin", "expires": 1900000000 }
	],
	"bgpsec_keys": [
		{ "asn": 65002, "ski": "0102030405060708090a0b0c0d0e0f1011121314", "pubkey": "$RKEY", "ta": "ripe", "expires": 1900000000 }
	],
	"aspas": [
		{ "customer_asid": 65003, "expires": 1900000000, "providers": [65005, 65004] }
	]
}
JSON
expect_rc 0 "sign an rpki-client file" "$V" sign -key "$KEY" "$WORK/rc.json" "$WORK/rc-signed.json"
expect_rc 0 "it verifies" "$V" verify -verify.key "$DPUB" "$WORK/rc-signed.json"
expect_eq "$(jq -c '.provider_authorizations.ipv4[0].providers' "$WORK/rc-signed.json")" "[65004,65005]" "ASPA kept (StayRTR's form), providers sorted"
expect_eq "$(jq -r '.bgpsec_keys[0].ski' "$WORK/rc-signed.json")" "0102030405060708090a0b0c0d0e0f1011121314" "router key kept"
expect_eq "$(jq -r '.roas[1].asn' "$WORK/rc-signed.json")" "AS65001" "asn written as AS<n> like OctoRPKI"

# 3. convert and diff.
expect_rc 0 "convert to csv" "$V" convert -format csv "$WORK/rc.json" "$WORK/out.csv"
expect_eq "$(head -1 "$WORK/out.csv")" "ASN,IP Prefix,Max Length,Trust Anchor" "csv header as rpki-client"
expect_grep "$WORK/out.csv" "^AS65000,192.0.2.0/24,24,ripe$" "csv row"
for fmt in octorpki rpki-client rpki-client8; do
	expect_rc 0 "convert to $fmt" "$V" convert -format "$fmt" "$WORK/rc.json" "$WORK/conv.$fmt"
	expect_rc 0 "$fmt round trip has no diff" "$V" diff "$WORK/rc.json" "$WORK/conv.$fmt"
done
expect_rc 0 "convert to csv" "$V" convert -format csv "$WORK/rc.json" "$WORK/conv.csv"
expect_grep "$WORK/conv.rpki-client8" '"provider_authorizations"' "rpki-client8 form written"
expect_rc 1 "csv loses the ASPA: diff says so" "$V" diff -q "$WORK/rc.json" "$WORK/conv.csv"
expect_grep "$WORK/out" "0 announced, 2 withdrawn" "diff summary counts"
expect_rc 0 "stdin to stdout" bash -c "'$V' convert -format csv - - <'$WORK/rc.json'"
expect_grep "$WORK/out" "^AS65001,2001:db8::/32,48,arin$" "stdin conversion output"
expect_rc 1 "diff of the tampered fixture" "$V" diff "$S/valid-asn-string.json" "$S/tampered-roa.json"
expect_grep "$WORK/out" "^- AS368671 199.80.104.0/22 maxLength 22 \(apnic\)$" "withdrawn line"
expect_grep "$WORK/out" "^\+ AS1 199.80.104.0/22" "announced line"
expect_rc 0 "stats json" "$V" stats -json "$S/valid-asn-number.json"
expect_eq "$(jq -r .vrps "$WORK/out")" 50 "stats counts 50 VRPs"
expect_eq "$(jq -r .signed "$WORK/out")" true "stats sees the signature"

# 4. Bad input: clear errors, nonzero exit, and never a partial output.
echo '{"roas": [{"prefix": "10.0.0.1/24", "maxLength": 24, "asn": 1}]}' >"$WORK/hostbits.json"
echo "precious" >"$WORK/target.json"
expect_rc 3 "host bits rejected" "$V" convert "$WORK/hostbits.json" "$WORK/target.json"
expect_grep "$WORK/err" 'roas\[0\]\.prefix: prefix "10.0.0.1/24": host bits set' "error names entry, value, rule"
expect_eq "$(cat "$WORK/target.json")" "precious" "existing output untouched"
expect_eq "$(ls "$WORK" | grep -c tmp)" 0 "no temporary files left"
head -c 100 "$S/valid-asn-string.json" >"$WORK/trunc.json"
expect_rc 3 "truncated JSON rejected" "$V" stats "$WORK/trunc.json"
expect_grep "$WORK/err" "line [0-9]+, column [0-9]+" "truncation error has a location"
sed 's/"signatureDate": "30/"signatureDate": "zz/' "$S/valid-asn-string.json" >"$WORK/garbage-sig.json"
expect_rc 1 "garbage signature hex rejected" "$V" verify -verify.key "$PUB" "$WORK/garbage-sig.json"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$WORK/rsa.pem" 2>/dev/null
expect_rc 3 "RSA key refused for signing" "$V" sign -key "$WORK/rsa.pem" "$S/valid-asn-string.json" "$WORK/x.json"
expect_grep "$WORK/err" "want an EC P-256 key" "key type error"
openssl ecparam -genkey -name secp384r1 -out "$WORK/p384.pem" 2>/dev/null
expect_rc 3 "P-384 key refused" "$V" sign -key "$WORK/p384.pem" "$S/valid-asn-string.json" "$WORK/x.json"
expect_grep "$WORK/err" "curve P-256" "curve error"
expect_rc 3 "public key given as private" "$V" sign -key "$PUB" "$S/valid-asn-string.json" "$WORK/x.json"
expect_rc 3 "missing input" "$V" stats "$WORK/nonexistent.json"
expect_grep "$WORK/err" "nonexistent.json: No such file" "missing file named"
expect_rc 4 "unwritable output" "$V" convert "$S/valid-asn-string.json" "$WORK/no/such/dir/out.json"

sed "s#$RKEY#AAEC#" "$WORK/rc.json" >"$WORK/badkey.json"
expect_rc 3 "a router key that is not a P-256 SPKI is rejected" "$V" stats "$WORK/badkey.json"
expect_grep "$WORK/err" 'bgpsec_keys\[0\]\.pubkey: want base64 of a P-256 SubjectPublicKeyInfo' "bad key error names the entry"

# Unknown expiry (0) is left out: StayRTR drops entries with a past one.
expect_rc 0 "convert GoRTR's file (no expires) to rpki-client" "$V" convert -format rpki-client "$SHARED_DIR/fixtures/gortr/test.rpki.json" "$WORK/noexp.json"
expect_eq "$(grep -c expires "$WORK/noexp.json")" 0 "no expires written when unknown"

# 5. Usage.
expect_rc 2 "no command" "$V"
expect_rc 2 "unknown command" "$V" frobnicate
expect_rc 2 "unknown flag" "$V" verify -nope x
expect_grep "$WORK/err" "flag provided but not defined: -nope" "Go-style unknown flag message"
expect_rc 0 "help" "$V" --help
expect_rc 0 "command help" "$V" verify -h
expect_grep "$WORK/out" "-verify.key string" "Go-style usage listing"
expect_rc 2 "verify without a key" "$V" verify "$S/expired.json"

finish
