#!/usr/bin/env bash
# rpki-repogen (tests/repogen, issue 4): a small generated repository is
# validated, without any network, by two independent validators from
# Debian - rpki-client 8.2 and FORT 1.5.4 - and each must output exactly
# the expected VRPs (and rpki-client the expected ASPAs and router keys).
# Where the two cannot agree, tests/README.md ("Differences between
# validators") says why, with the RFC text.  How each runs offline:
# repogen_lib.sh.  The faults (-faults) are test_repogen_faults.sh's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/repogen_lib.sh"

V="$BIN_DIR/vrpjson"
NOW=$(date +%s)
REPO="$WORK/repo"

if ! [ -x "$GEN_BIN" ]; then
	not_ok "$GEN_BIN not built"
	finish
	exit
fi

# jq filters turning a validator's output into the rpki-client JSON form
# vrpjson reads, one kind at a time.
ASPAS_OF_RC8='{roas: [], aspas: [.provider_authorizations.ipv4[]
    | {customer_asid, providers, expires}]}'
KEYS_OF_RC='{roas: [], bgpsec_keys: .bgpsec_keys}'

# 1. Generation, and what the interface promises.
expect_rc 0 "generate 2 TAs, 20 CAs, 200 ROAs" GEN -o "$REPO" -seed 7 \
    -tas 2 -cas 20 -roas 200 -now "$NOW"
expect_grep "$WORK/err" "20 CAs, 200 ROAs \([0-9]+ VRPs\)" "summary line"
for f in tals/ta-0.tal tals/ta-1.tal expected/vrps.csv expected/aspas.json \
    expected/router-keys.json rsync/rpki.ta-0.test/ta/ta-0.cer \
    rsync/rpki.ta-1.test/repo/ta-1/ta-1.mft; do
	if [ -s "$REPO/$f" ]; then ok "$f written"; else not_ok "$f missing"; fi
done
expect_eq "$(head -1 "$REPO/expected/vrps.csv")" \
    "ASN,IP Prefix,Max Length,Trust Anchor" "vrps.csv header"
expect_grep "$REPO/expected/vrps.csv" '^AS[0-9]+,[0-9.]+/[0-9]+,[0-9]+,ta-[01]$' \
    "vrps.csv rows like AS65000,10.0.0.0/24,24,ta-0"
expect_eq "$(sed -n 1,2p "$REPO/tals/ta-0.tal" | tr '\n' ' ')" \
    "https://rpki.ta-0.test/ta/ta-0.cer rsync://rpki.ta-0.test/ta/ta-0.cer " \
    "TAL: https URI, then rsync URI (RFC 8630)"
expect_rc 0 "vrpjson reads the expected output" "$V" stats -json \
    "$REPO/expected/all.json"
cp "$WORK/out" "$WORK/expected-stats.json"
nvrps=$(jq -r .vrps "$WORK/expected-stats.json")
naspas=$(jq -r .aspas "$WORK/expected-stats.json")
nkeys=$(jq -r .router_keys "$WORK/expected-stats.json")
echo "# expected: $nvrps VRPs, $naspas ASPAs, $nkeys router keys"
if [ "$nvrps" -gt 200 ] && [ "$naspas" -gt 0 ] && [ "$nkeys" -gt 0 ]; then
	ok "every kind of payload is there"
else
	not_ok "want VRPs > 200, ASPAs and router keys: have $nvrps/$naspas/$nkeys"
fi
expect_rc 0 "vrps.csv holds the VRPs of all.json" "$V" diff -q \
    "$REPO/expected/vrps.csv" <(jq '{roas}' "$REPO/expected/all.json")

# 2. Same seed and parameters: same content; with the same key pool and
#    -now, the same bytes.  Another seed: other VRPs.
expect_rc 0 "generate again" GEN -q -o "$WORK/again" -seed 7 -tas 2 \
    -cas 20 -roas 200 -now "$NOW"
if diff -r "$REPO/rsync" "$WORK/again/rsync" >/dev/null &&
    diff -r "$REPO/expected" "$WORK/again/expected" >/dev/null &&
    diff -r "$REPO/tals" "$WORK/again/tals" >/dev/null &&
    diff -r "$REPO/rrdp" "$WORK/again/rrdp" >/dev/null; then
	ok "same seed, parameters, pool and -now: byte-identical output"
else
	not_ok "a second run differs"
fi
expect_rc 0 "generate with seed 8" GEN -q -o "$WORK/other" -seed 8 \
    -tas 2 -cas 20 -roas 200 -now "$NOW"
expect_rc 1 "seed 8 gives other VRPs" "$V" diff -q "$REPO/expected/vrps.csv" \
    "$WORK/other/expected/vrps.csv"

# 3. A fault that does not exist, and a directory that is not ours.
expect_rc 2 "-faults: an unknown name is a usage error" GEN -o "$WORK/f" \
    -faults no-such-fault
expect_grep "$WORK/err" 'no fault "no-such-fault".* expired-ca .* oversized' \
    "-faults: the message lists the valid names"
mkdir -p "$WORK/foreign" && echo x >"$WORK/foreign/file"
expect_rc 1 "refuses a non-empty directory it did not write" GEN -q \
    -o "$WORK/foreign"
expect_rc 0 "rewrites its own output" GEN -q -o "$WORK/again" -seed 7 \
    -tas 2 -cas 20 -roas 20 -now "$NOW"

# Two runs growing one new key pool at once (ctest runs tests in
# parallel): each run's output is what the pool it leaves gives again.
P=$WORK/pool/p.pem
"$GEN_BIN" -q -keys "$P" -now "$NOW" -o "$WORK/k1" -seed 2 -cas 12 -roas 12 &
kpid=$!
"$GEN_BIN" -q -keys "$P" -now "$NOW" -o "$WORK/k2" -seed 2 -cas 20 -roas 12
wait "$kpid"
"$GEN_BIN" -q -keys "$P" -now "$NOW" -o "$WORK/k3" -seed 2 -cas 12 -roas 12
"$GEN_BIN" -q -keys "$P" -now "$NOW" -o "$WORK/k4" -seed 2 -cas 20 -roas 12
if diff -r "$WORK/k1/rsync" "$WORK/k3/rsync" >/dev/null &&
    diff -r "$WORK/k2/rsync" "$WORK/k4/rsync" >/dev/null; then
	ok "a key pool grown by two runs at once keeps both runs' keys"
else
	not_ok "two runs growing a key pool at once: one run's keys were lost"
fi
rm -rf "$WORK/pool" "$WORK"/k[1-4]

# 4. rpki-client 8.2: everything, VRPs, ASPAs and router keys.
if rc_usable; then
	expect_rc 0 "rpki-client -n validates the repository" rc_run "$REPO" rc
	cat "$WORK/out" "$WORK/err" >"$WORK/rc.log"
	expect_grep "$WORK/rc.log" "^Route Origin Authorizations: 200 \(0 failed parse, 0 invalid\)" \
	    "rpki-client: all 200 ROAs valid"
	expect_grep "$WORK/rc.log" "^AS Provider Attestations: $naspas \(0 failed parse, 0 invalid\)" \
	    "rpki-client: all $naspas ASPAs valid"
	expect_grep "$WORK/rc.log" "^BGPsec Router Certificates: $nkeys$" \
	    "rpki-client: all $nkeys router certificates"
	expect_grep "$WORK/rc.log" "^Certificates: $((22 + nkeys)) \(0 invalid\)" \
	    "rpki-client: 22 CA and $nkeys router certificates, none invalid"
	expect_grep "$WORK/rc.log" "^Manifests: 22 \(0 failed parse, 0 stale\)" \
	    "rpki-client: 22 manifests, none stale"
	if grep -v "^rpki-client: .*: using cache$" "$WORK/rc.log" |
	    grep -q "^rpki-client: "; then
		not_ok "rpki-client complained:"
		grep "^rpki-client: " "$WORK/rc.log" | sed 's/^/#   /' | head
	else
		ok "rpki-client: not one warning"
	fi
	expect_rc 0 "rpki-client: exactly the expected VRPs, ASPAs and keys" \
	    "$V" diff "$REPO/expected/all.json" "$WORK/rc-out/json"
	expect_rc 0 "rpki-client: CSV has exactly expected/vrps.csv" \
	    "$V" diff "$REPO/expected/vrps.csv" "$WORK/rc-out/csv"
	# rpki-client 8 writes ASPAs per AFI; without afiLimit both agree.
	expect_eq "$(jq -c '.provider_authorizations.ipv4' "$WORK/rc-out/json")" \
	    "$(jq -c '.provider_authorizations.ipv6' "$WORK/rc-out/json")" \
	    "rpki-client: same ASPAs for IPv4 and IPv6 (no afiLimit)"
	jq "$ASPAS_OF_RC8" "$WORK/rc-out/json" >"$WORK/rc-aspas.json"
	expect_rc 0 "rpki-client: ASPAs are expected/aspas.json" \
	    "$V" diff "$REPO/expected/aspas.json" "$WORK/rc-aspas.json"
	jq "$KEYS_OF_RC" "$WORK/rc-out/json" >"$WORK/rc-keys.json"
	expect_rc 0 "rpki-client: router keys are expected/router-keys.json" \
	    "$V" diff "$REPO/expected/router-keys.json" "$WORK/rc-keys.json"

	# The current ASPA profile (-aspa-version 1): rpki-client 8.2 parses
	# only draft-08's, so it must fail to parse every ASPA and nothing
	# else changes (tests/README.md).
	expect_rc 0 "generate with -aspa-version 1" GEN -q -o "$WORK/v1" \
	    -seed 7 -tas 2 -cas 20 -roas 200 -now "$NOW" -aspa-version 1
	expect_rc 0 "rpki-client -n on the v1 ASPAs" rc_run "$WORK/v1" rcv1
	expect_grep "$WORK/out" "^AS Provider Attestations: $naspas \($naspas failed parse, 0 invalid\)" \
	    "rpki-client 8.2 refuses every ASPA of the current profile"
	"$V" diff -q "$WORK/v1/expected/all.json" "$WORK/rcv1-out/json" >"$WORK/d"
	expect_grep "$WORK/d" "VRPs \+0 -0, ASPAs \+0 -$naspas, router keys \+0 -0" \
	    "rpki-client on v1: only the ASPAs are missing"
fi

# The eContent of the current profile, checked independently: version
# [0] present and 1, then the customer, then plain INTEGER providers.
asa=$(find "$WORK/v1/rsync" -name '*.asa' 2>/dev/null | head -1)
if [ -n "$asa" ] && openssl cms -verify -noverify -binary -inform DER \
    -in "$asa" -out "$WORK/v1.econtent" 2>/dev/null; then
	openssl asn1parse -inform DER -in "$WORK/v1.econtent" >"$WORK/v1.asn1"
	expect_grep "$WORK/v1.asn1" "^ +2:d=1 .* cons: cont \[ 0 \]" "ASPA v1: version [0] present"
	expect_grep "$WORK/v1.asn1" "^ +4:d=2 .* prim: INTEGER +:01$" "ASPA v1: version 1"
	if grep -q "d=3 .*SEQUENCE" "$WORK/v1.asn1"; then
		not_ok "ASPA v1: providers must be plain INTEGERs"
	else
		ok "ASPA v1: providers are plain INTEGERs"
	fi
else
	not_ok "ASPA v1: no .asa to check, or openssl cms could not read it"
fi

# 5. FORT 1.5.4: VRPs.  It has no ASPA support and skips BGPsec router
#    certificates (tests/README.md), so those are checked to be absent.
if ! [ -x "$FORT" ]; then
	not_ok "fort missing: run scripts/install-deps.sh"
else
	expect_rc 0 "fort --work-offline validates the repository" \
	    fort_run "$REPO" fort
	cat "$WORK/out" "$WORK/err" >"$WORK/fort.log"
	if grep -E "(ERR|WRN)( \[Validation\])?:" "$WORK/fort.log" |
	    grep -Ev "validation has (begun|successfully ended)|Looking for the TA certificate at the local files"; then
		not_ok "fort complained (above)"
	else
		ok "fort: not one warning"
	fi
	expect_rc 0 "fort: exactly the expected VRPs" \
	    "$V" diff "$REPO/expected/vrps.csv" "$WORK/fort-roas.json"
	expect_eq "$(jq '."router-keys" | length' "$WORK/fort-keys.json")" 0 \
	    "fort 1.5.4: no router keys (it skips BGPsec router certificates)"
fi

finish
