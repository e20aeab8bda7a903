#!/usr/bin/env bash
# rpki-repogen -faults (tests/repogen/faults.h, issue 4): for each object
# fault, a small repository with that fault alone is validated offline by
# rpki-client 8.2 and FORT 1.5.4, and each must output exactly what
# DIR/expected/ says a correct validator outputs - or, where a peer
# disagrees, exactly what tests/README.md ("Differences between
# validators") says it does instead.  Each peer must also reject the
# victim for the reason the fault is about (its log says so).  Then
# every fault at once: no fault may hide another.  How the peers run
# offline: repogen_lib.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/repogen_lib.sh"

V="$BIN_DIR/vrpjson"
NOW=$(date +%s)
# One TA, two RIR-like CAs and four member CAs: the victims.
SMALL=(-seed 5 -tas 1 -rirs 2 -cas 6 -roas 12 -now "$NOW")
# Every fault at once needs a member CA for each of the 16 that spoil a
# whole CA, ROAs in others for the 16 more, and four more members (two
# without an ASPA) to add an ASPA, a router certificate or a file to.
LARGE=(-seed 11 -tas 1 -rirs 2 -cas 40 -roas 80 -now "$NOW")
PAD=180000		# the /127s oversized adds (faults_inject.c)
DEEP_ASN=4200000013	# the ROA of the CA 13 below the TA (deep-chain)

if ! [ -x "$GEN_BIN" ]; then
	not_ok "$GEN_BIN not built"
	finish
	exit
fi
RC=0
if rc_usable; then RC=1; fi
FORT_OK=0
if [ -x "$FORT" ]; then FORT_OK=1; else
	not_ok "fort missing: run scripts/install-deps.sh"
fi

# 1. The interface: -h lists the faults, unknown names are refused with
#    the list, too few member CAs for the faults asked for is refused.
expect_rc 0 "-h" GEN -h
sed -n '/^Faults/,$p' "$WORK/out" | awk 'NR > 1 { print $1 }' >"$WORK/names"
NAMES=$(cat "$WORK/names")
expect_eq "$(wc -l <"$WORK/names")" 36 "-h lists 36 faults"
expect_rc 2 "an unknown fault is a usage error" GEN -q -o "$WORK/x" \
    -faults expired-ca,no-such-fault
expect_grep "$WORK/err" 'no fault "no-such-fault".* expired-ca .* ee-inherit$' \
    "the message lists every valid name"
expect_rc 2 "too few member CAs for -faults all" GEN -q -o "$WORK/x" \
    -tas 1 -rirs 2 -cas 4 -roas 10 -faults all
expect_grep "$WORK/err" "ask for more -cas" "and says what to do"

# The repository without faults: what each fault changes is measured
# against its expected output.
expect_rc 0 "generate the clean repository" GEN -q -o "$WORK/clean" \
    "${SMALL[@]}"

# field N FILE - column N of the one fault line of faults.txt
field() { grep -v '^#' "$2" | head -1 | cut -f"$1"; }

# summary OLD NEW - vrpjson's count line for the change from OLD to NEW
summary() { "$V" diff -q "$1" "$2" 2>&1 | tail -1; }

# only_asns DIFF ASN... - 0 if every VRP DIFF adds or withdraws is of one
# of the ASNs
only_asns() {
	local d=$1
	shift
	! grep '^[-+] ' "$d" | grep -Evq "^[-+] AS($(echo "$@" | tr ' ' '|')) "
}

# The ASN of a ROA victim, from its file name (ASn-i.roa).
victim_asn() { basename "$1" | sed -E 's/^AS([0-9]+)-.*/\1/'; }

# ee-inherit: how many VRPs the victim ROA keeps, as faults.txt says.
kept_of() { sed -nE 's/.*VRPs kept: ([0-9]+).*/\1/p' <<<"$1"; }

# roa-overclaim: how many of the ROA's prefixes sort before the uncovered
# one, as faults.txt says.
before_of() { sed -nE 's/.*sorts after ([0-9]+) of them.*/\1/p' <<<"$1"; }

# The fault's change to the expected VRPs, as faults.txt counts it.
vrps_of() { sed -nE 's/.*VRPs ([-+][0-9]+).*/\1/p' <<<"$1" | head -1; }

# check_expected NAME DIR - faults.txt describes the one fault, its
# victim is (or, for mft-missing, is not) in the rsync tree, and the
# expected output differs from the clean one exactly by what faults.txt
# says the fault does.
check_expected() {
	local name=$1 dir=$2 f=$2/expected/faults.txt uri effect n s
	expect_eq "$(grep -vc '^#' "$f")" 1 "$name: faults.txt has one line"
	expect_eq "$(field 1 "$f")" "$name" "$name: faults.txt names it"
	uri=$(field 2 "$f")
	effect=$(field 3 "$f")
	if [ -z "$(field 4 "$f")" ]; then
		not_ok "$name: faults.txt gives no RFC section"
	else
		ok "$name: decided by $(field 4 "$f")"
	fi
	if [ "$name" = mft-missing ]; then
		[ ! -e "$dir/rsync/${uri#rsync://}" ]
	else
		[ -s "$dir/rsync/${uri#rsync://}" ]
	fi && ok "$name: victim $uri" || not_ok "$name: victim $uri"
	s=$(summary "$WORK/clean/expected/all.json" "$dir/expected/all.json")
	n=$(vrps_of "$effect")
	case $name in
	dup-roa|ca-loop|mft-unlisted|aspa-overclaim|aspa-self-provider|\
	router-overclaim|unknown-type|crldp-other|ee-inherit)
		want="VRPs +0 -0, ASPAs +0 -0, router keys +0 -0";;
	as0-roa|deep-chain)
		want="VRPs $n -0, ASPAs +0 -0, router keys +0 -0";;
	*)	if [[ $effect == *"ASPAs -"* ]]; then
			want="VRPs +0 $n, ASPAs +0 -$(sed -E 's/.*ASPAs -([0-9]+).*/\1/' <<<"$effect"), router keys +0 -$(sed -E 's/.*router keys -([0-9]+).*/\1/' <<<"$effect")"
		else
			want="VRPs +0 $n, ASPAs +0 -0, router keys +0 -0"
		fi;;
	esac
	if [[ $s == *"($want)" ]] && [ "$n" != "-0" ]; then
		ok "$name: expected output vs clean: $want"
	else
		not_ok "$name: expected output vs clean: want ($want), have $s"
	fi
}

# check_rc NAME DIR MODE REASON [N ASN...] - rpki-client on DIR.  MODE:
# match (its VRPs, ASPAs and router keys are expected/'s), accepts (it
# outputs N VRPs more than expected, all of those ASNs), crash (its
# parser dies on a manifest it rejects - tests/README.md - or, if it
# survives, as accepts with N ASN..., else as match).  REASON: what its
# log must say, if anything.
check_rc() {
	local name=$1 dir=$2 mode=$3 reason=$4 rc=0 asns p m
	shift 4
	rc_run "$dir" "rc-$name" >"$WORK/rc-$name.log" 2>&1 || rc=$?
	if [ "$mode" = crash ] && grep -q "parser terminated signal 11" \
	    "$WORK/rc-$name.log"; then
		ok "$name: rpki-client 8.2's parser crashes on the rejected manifest (documented)"
		[ "$rc" -ne 0 ] && [ ! -e "$WORK/rc-$name-out/json" ] &&
		    ok "$name: rpki-client exits $rc, writes nothing" ||
		    not_ok "$name: rpki-client exits $rc after the crash"
		return
	fi
	expect_eq "$rc" 0 "$name: rpki-client exits 0"
	if [ "$mode" = crash ]; then
		mode=match
		[ $# -gt 0 ] && mode=accepts
	fi
	"$V" diff "$dir/expected/all.json" "$WORK/rc-$name-out/json" \
	    >"$WORK/rc-$name.diff" 2>&1
	if [ "$mode" = match ]; then
		expect_eq "$(tail -1 "$WORK/rc-$name.diff")" \
		    "0 announced, 0 withdrawn (VRPs +0 -0, ASPAs +0 -0, router keys +0 -0)" \
		    "$name: rpki-client outputs exactly expected/all.json"
	else
		# N, or N:M: N VRPs more and M fewer than expected/.
		p=${1%%:*}
		m=0
		[[ $1 == *:* ]] && m=${1#*:}
		expect_eq "$(tail -1 "$WORK/rc-$name.diff")" \
		    "$p announced, $m withdrawn (VRPs +$p -$m, ASPAs +0 -0, router keys +0 -0)" \
		    "$name: rpki-client differs as documented: $p VRPs more, $m fewer"
		shift
		asns="$*"
		only_asns "$WORK/rc-$name.diff" "$@" &&
		    ok "$name: rpki-client's extra and missing VRPs are all of AS${asns// /, AS}" ||
		    not_ok "$name: rpki-client's extra and missing VRPs are not all of AS${asns// /, AS}"
	fi
	if [ -n "$reason" ]; then
		expect_grep "$WORK/rc-$name.log" "$reason" \
		    "$name: rpki-client says: $reason"
	fi
}

# check_fort NAME DIR MODE REASON [N ASN...] - FORT on DIR, as check_rc
# (modes match and accepts; VRPs only).
check_fort() {
	local name=$1 dir=$2 mode=$3 reason=$4 rc=0 asns
	shift 4
	fort_run "$dir" "fort-$name" >"$WORK/fort-$name.log" 2>&1 || rc=$?
	expect_eq "$rc" 0 "$name: fort exits 0"
	"$V" diff "$dir/expected/vrps.csv" "$WORK/fort-$name-roas.json" \
	    >"$WORK/fort-$name.diff" 2>&1
	if [ "$mode" = match ]; then
		expect_eq "$(tail -1 "$WORK/fort-$name.diff")" \
		    "0 announced, 0 withdrawn (VRPs +0 -0, ASPAs +0 -0, router keys +0 -0)" \
		    "$name: fort outputs exactly expected/vrps.csv"
	else
		expect_eq "$(tail -1 "$WORK/fort-$name.diff")" \
		    "$1 announced, 0 withdrawn (VRPs +$1 -0, ASPAs +0 -0, router keys +0 -0)" \
		    "$name: fort accepts the victim: $1 VRPs more (documented)"
		shift
		asns="$*"
		only_asns "$WORK/fort-$name.diff" "$@" &&
		    ok "$name: fort's extra VRPs are all of AS${asns// /, AS}" ||
		    not_ok "$name: fort's extra VRPs are not all of AS${asns// /, AS}"
	fi
	if [ -n "$reason" ]; then
		expect_grep "$WORK/fort-$name.log" "$reason" \
		    "$name: fort says: $reason"
	fi
}

# check_ours NAME DIR REASON - rpki-validator on DIR: exactly
# expected/all.json (VRPs, ASPAs, router keys) for every fault, and one
# data-channel line naming the victim and the rule (REASON, grep -E).
VAL="$VALIDATOR_BIN_DIR/rpki-validator"
check_ours() {
	local name=$1 dir=$2 reason=$3 tals names
	tals=$(ls "$dir"/tals/*.tal | paste -sd, -)
	names=$(for t in "$dir"/tals/*.tal; do basename "$t" .tal; done | paste -sd, -)
	expect_rc 0 "$name: rpki-validator runs" "$VAL" -mode oneoff \
	    -sync=false -tal.root "$tals" -tal.name "$names" \
	    -cache "$dir/rsync" -output.roa "$WORK/ours-$name.json" \
	    -output.sign=false -output.rpki-client "$WORK/ours-$name.rc.json"
	cp "$WORK/err" "$WORK/ours-$name.log"
	if [ -n "$reason" ]; then
		expect_grep "$WORK/ours-$name.log" "warn  data rsync://[^ ]*$reason" \
		    "$name: rpki-validator says why"
	fi
	"$V" diff "$dir/expected/all.json" "$WORK/ours-$name.rc.json" \
	    >"$WORK/ours-$name.diff" 2>&1
	expect_eq "$(tail -1 "$WORK/ours-$name.diff")" \
	    "0 announced, 0 withdrawn (VRPs +0 -0, ASPAs +0 -0, router keys +0 -0)" \
	    "$name: rpki-validator outputs exactly expected/all.json"
}

# 2. Each fault alone.  Per fault: what rpki-client does, what its log
#    says; what FORT does, what its log says ("-": nothing to look for;
#    some faults are silent by nature, FORT drops no-ctype-attr's ROA
#    without a word).
TABLE=$(cat <<'EOF'
expired-ca|match|ca-[0-9]+\.cer: certificate has expired|match|ca-[0-9]+\.cer: Certificate validation failed: certificate has expired|ca-[0-9]+\.cer: RFC 5280 section 6\.1\.3: certificate expired
notyet-ca|match|ca-[0-9]+\.cer: certificate is not yet valid|match|ca-[0-9]+\.cer: Certificate validation failed: certificate is not yet valid|ca-[0-9]+\.cer: RFC 5280 section 6\.1\.3: certificate not yet valid
overclaim|match|ca-[0-9]+\.cer: RFC 3779 resource not subset of parent's resources|match|ca-[0-9]+\.cer: Certificate validation failed: RFC 3779 resource not subset|ca-[0-9]+\.cer: RFC 3779 section 2\.3: IPv4 resources: want within the issuer
expired-ee|match|\.roa: certificate has expired|match|\.roa: Certificate validation failed: certificate has expired|\.roa: RFC 5280 section 6\.1\.3: certificate expired
notyet-ee|match|\.roa: certificate is not yet valid|match|\.roa: Certificate validation failed: certificate is not yet valid|\.roa: RFC 5280 section 6\.1\.3: certificate not yet valid
revoked-ee|match|\.roa: certificate revoked|match|\.roa: Certificate validation failed: certificate revoked|\.roa: RFC 5280 section 6\.1\.3: certificate revoked by rsync://[^ ]+\.crl
mft-hash|match|\.mft: bad message digest for AS[0-9]+-0\.roa|match|does not match its manifest hash|\.roa: RFC 9286 section 6\.5: SHA-256 is not the one rsync://[^ ]+\.mft lists
mft-missing|match|\.mft: bad message digest for AS[0-9]+-0\.roa|match|listed at manifest doesn't exist|\.roa: RFC 9286 section 6\.4: listed on rsync://[^ ]+\.mft but not in the cache
mft-unlisted|match|-|match|-|-
stale-mft|crash|-|match|\.mft: Certificate validation failed: certificate has expired|\.mft: RFC 9286 section 6\.3: stale: nextUpdate has passed
stale-crl|crash|-|match|\.mft: CRL is stale/expired|\.crl: RFC 9286 section 6\.6: stale CRL: nextUpdate has passed
bad-sig|match|\.roa: CMS verification error|match|\.roa: Signed Object's signature is invalid|\.roa: RFC 6488 section 3: signature: want one that verifies
wrong-ctype|match|\.roa: RFC 6488 section 2\.1\.3\.1: eContentType: unknown OID: 1\.2\.840\.113549\.1\.9\.16\.1\.49|match|The OID of the SignedObject's encapContentInfo is not 'roa'|\.roa: RFC 6488 section 2\.1\.3\.1: eContentType: want 1\.2\.840\.113549\.1\.9\.16\.1\.24, have 1\.2\.840\.113549\.1\.9\.16\.1\.49
no-ctype-attr|match|CMS routines::attribute error|match|-|\.roa: RFC 6488 section 2\.1\.6\.4\.1: content-type attribute: want present, have absent
maxlen-short|match|\.roa: prefixlen \([0-9]+\) larger than maxLength|match|Prefix length \([0-9]+\) > maxLength|\.roa: RFC 9582 section 4\.3\.2\.2: maxLength of [^ ]+: want [0-9]+\.\.(32|128), have [0-9]+
as0-roa|match|-|match|-|-
dup-roa|match|-|match|-|-
ca-loop|match|rir-[0-9]+\.cer: RFC 6487: duplicate SKI|match|Certificate chain maximum depth exceeded|rir-[0-9]+\.cer: CA loop: key [0-9A-F]+ is already on the chain
deep-chain|crash|-|accepts|-|ca-[0-9]+-d13\.cer: chain too deep: 13 CAs below the trust anchor, the limit is 12
ber-length|accepts|-|accepts|-|\.roa: RFC 9582 section 4: RouteOriginAttestation: want DER
oversized|match|\.roa: File too large|accepts|-|\.roa: [0-9]+ bytes, over the limit of 4194304
ca-bad-sig|match|ca-[0-9]+\.cer: certificate signature failure|match|ca-[0-9]+\.cer: Certificate validation failed: certificate signature failure|ca-[0-9]+\.cer: RFC 6487 section 7\.2: signature: want valid under the issuer's key
crl-bad-sig|crash|-|match|\.mft: Certificate validation failed: CRL signature failure|\.crl: RFC 6487 section 5: signature: want valid under the issuer's key
mft-bad-sig|crash|-|match|\.mft: Signed Object's signature is invalid|\.mft: RFC 6488 section 3: signature: want one that verifies
revoked-mft|crash|-|match|\.mft: Certificate validation failed: certificate revoked|\.mft: RFC 9286 section 6\.3: the manifest's EE certificate is on the CRL
roa-overclaim|match|\.roa: RFC 6482: uncovered IP|match|\.roa: ROA is not allowed to advertise|\.roa: RFC 9582 section 5: prefix [^ ]+ is not in the EE certificate's resources
ca-shrink|match|\.roa: RFC 3779 resource not subset of parent's resources|match|\.roa: Certificate validation failed: RFC 3779 resource not subset|\.roa: RFC 3779 section 2\.3: IPv4 resources: want within the issuer
future-mft|crash|-|match|\.mft: Certificate validation failed: certificate is not yet valid|\.mft: RFC 9286 section 6\.3: thisUpdate is in the future
future-crl|crash|-|match|\.mft: Certificate validation failed: CRL is not yet valid|\.crl: RFC 5280 section 5\.1\.2\.4: thisUpdate is in the future
aspa-overclaim|match|\.asa: ASPA: uncovered Customer ASID: 64497|match|-|\.asa: draft-ietf-sidrops-aspa-profile section 4: customer AS64497 is not in the EE certificate's resources
aspa-self-provider|match|\.asa: ASPA: CustomerASID can't also be Provider|match|-|\.asa: draft-ietf-sidrops-aspa-profile(-08)? section 3\.3: providers: want the customer AS[0-9]+ absent
router-overclaim|match|router-AS64497-[0-9]+\.cer: RFC 3779 resource not subset of parent's resources|match|router-AS64497-[0-9]+\.cer: Certificate validation failed: RFC 3779 resource not subset|router-AS64497-[0-9]+\.cer: RFC 3779 section 3\.3: AS resources: want within the issuer
unknown-type|match|-|match|-|ca-[0-9]+\.xyz: a file of no type this validator uses
crldp-other|match|-|match|\.roa: Certificate's CRL Distribution Point \('rsync://[^ ]+-old\.crl'\) does not match manifest's CRL|\.roa: RFC 6487 section 4\.8\.6: cRLDistributionPoints: want rsync://[^ ]+\.crl, have rsync://[^ ]+-old\.crl \(used anyway\)
ee-inherit|differs|\.roa: inherit elements not allowed in EE cert|match|-|-
ee-overclaim|match|\.roa: RFC 3779 resource not subset of parent's resources|match|\.roa: Certificate validation failed: RFC 3779 resource not subset|\.roa: RFC 3779 section 2\.3: IPv4 resources: want within the issuer
EOF
)
while IFS='|' read -r name rcmode rcwhy fmode fwhy ourwhy; do
	[ -z "$name" ] && continue
	R="$WORK/f-$name"
	if ! expect_rc 0 "$name: generate" GEN -q -o "$R" "${SMALL[@]}" \
	    -faults "$name"; then
		continue
	fi
	check_expected "$name" "$R"
	uri=$(field 2 "$R/expected/faults.txt")
	n=$(vrps_of "$(field 3 "$R/expected/faults.txt")")
	n=${n#[-+]}
	extra=()
	case $name in
	ber-length) extra=("$n" "$(victim_asn "$uri")");;
	oversized) extra=("$((n + PAD))" "$(victim_asn "$uri")");;
	deep-chain) extra=(1 "$DEEP_ASN");;
	ee-inherit)
		# rpki-client drops the ROA it should keep.
		extra=("0:$(kept_of "$(field 3 "$R/expected/faults.txt")")"
		    "$(victim_asn "$uri")");;
	roa-overclaim)
		# FORT keeps the VRPs it added before the uncovered prefix.
		b=$(before_of "$(field 3 "$R/expected/faults.txt")")
		if [ "$b" -gt 0 ]; then
			fmode=accepts
			extra=("$b" "$(victim_asn "$uri")")
		fi;;
	esac
	# The two faults no peer's log confirms: checked in the bytes.
	f="$R/rsync/${uri#rsync://}"
	case $name in
	ber-length)
		# X.690 10.1: a length below 128 in one octet, others without
		# leading zeros; the eContent starts 30 81 <128 or 30 8n 00.
		openssl cms -verify -noverify -binary -inform DER -in "$f" \
		    -out "$WORK/econtent" 2>/dev/null
		hd=$(od -An -tx1 -N3 "$WORK/econtent" | tr -d ' ')
		if [[ $hd =~ ^3081[0-7] || $hd =~ ^308[2-4]00 ]]; then
			ok "$name: the eContent starts $hd: a non-minimal length"
		else
			not_ok "$name: the eContent starts $hd: want a non-minimal length"
		fi;;
	oversized)
		sz=$(stat -c %s "$f")
		[ "$sz" -gt 4194304 ] && ok "$name: the ROA is $sz bytes" ||
		    not_ok "$name: the ROA is $sz bytes, want over 4 MiB";;
	esac
	[ "$rcwhy" = - ] && rcwhy=
	[ "$fwhy" = - ] && fwhy=
	if [ "$RC" = 1 ]; then
		if [ "$rcmode" = accepts ] || [ "$rcmode" = differs ]; then
			check_rc "$name" "$R" accepts "$rcwhy" "${extra[@]}"
		else
			check_rc "$name" "$R" "$rcmode" "$rcwhy"
		fi
	fi
	if [ "$FORT_OK" = 1 ]; then
		if [ "$fmode" = accepts ]; then
			check_fort "$name" "$R" accepts "$fwhy" "${extra[@]}"
		else
			check_fort "$name" "$R" "$fmode" "$fwhy"
		fi
	fi
	[ "$ourwhy" = - ] && ourwhy=
	check_ours "$name" "$R" "$ourwhy"
	rm -rf "$R" "$WORK"/*-"$name"-* 2>/dev/null
done <<<"$TABLE"

# 3. Every fault at once, in a repository large enough for each to have
#    its victim to itself: no fault hides another.  FORT must differ
#    from expected/ only by what the documented faults (deep-chain,
#    ber-length, oversized) say; rpki-client 8.2's parser dies on a
#    manifest or CRL it rejects at once (stale, badly signed, revoked;
#    and may on deep-chain's, tests/README.md), so it also runs on all
#    the other faults.
R="$WORK/all"
expect_rc 0 "generate -faults all" GEN -q -o "$R" "${LARGE[@]}" -faults all
expect_eq "$(grep -vc '^#' "$R/expected/faults.txt")" 36 \
    "all: faults.txt has 36 faults"
expect_eq "$(grep -v '^#' "$R/expected/faults.txt" | cut -f2 | sort -u | wc -l)" 36 \
    "all: 36 different victims"
expect_rc 0 "generate -faults all again" GEN -q -o "$WORK/all2" \
    "${LARGE[@]}" -faults all
if diff -r "$R/rsync" "$WORK/all2/rsync" >/dev/null &&
    diff -r "$R/expected" "$WORK/all2/expected" >/dev/null; then
	ok "all: same seed, parameters and -now: byte-identical output"
else
	not_ok "all: a second run differs"
fi
rm -rf "$WORK/all2"
line() { grep -P "^$1\t" "$R/expected/faults.txt"; }
ber_n=$(vrps_of "$(line ber-length | cut -f3)")
ber_asn=$(victim_asn "$(line ber-length | cut -f2)")
big_n=$(vrps_of "$(line oversized | cut -f3)")
big_asn=$(victim_asn "$(line oversized | cut -f2)")
over_b=$(before_of "$(line roa-overclaim | cut -f3)")
over_asn=$(victim_asn "$(line roa-overclaim | cut -f2)")
if [ "$FORT_OK" = 1 ]; then
	check_fort all "$R" accepts "" \
	    "$((${ber_n#-} + ${big_n#-} + PAD + 1 + over_b))" "$ber_asn" \
	    "$big_asn" "$DEEP_ASN" "$over_asn"
fi
if [ "$RC" = 1 ]; then
	inh_n=$(kept_of "$(line ee-inherit | cut -f3)")
	inh_asn=$(victim_asn "$(line ee-inherit | cut -f2)")
	check_rc all "$R" crash "" "${ber_n#-}:$inh_n" "$ber_asn" "$inh_asn"
	# The faults whose manifest or CRL its parser may die on (the
	# table's "crash" rows, tests/README.md).
	CRASHERS=$(awk -F'|' '$2 == "crash" { print $1 }' <<<"$TABLE" |
	    paste -sd'|' -)
	MOST=$(grep -Ev "^($CRASHERS)\$" <<<"$NAMES" | paste -sd, -)
	R="$WORK/most"
	expect_rc 0 "generate every fault but ${CRASHERS//|/, }" \
	    GEN -q -o "$R" "${LARGE[@]}" -faults "$MOST"
	ber_n=$(vrps_of "$(line ber-length | cut -f3)")
	ber_asn=$(victim_asn "$(line ber-length | cut -f2)")
	inh_n=$(kept_of "$(line ee-inherit | cut -f3)")
	inh_asn=$(victim_asn "$(line ee-inherit | cut -f2)")
	check_rc most "$R" accepts "" "${ber_n#-}:$inh_n" "$ber_asn" \
	    "$inh_asn"
fi
# rpki-validator agrees with expected/ on every fault at once, naming
# each victim.
check_ours all "$WORK/all" ""
for f in $(grep -v '^#' "$WORK/all/expected/faults.txt" | cut -f1); do
	case $f in mft-unlisted|as0-roa|dup-roa|ee-inherit) continue;; esac
	v=$(grep -P "^$f\t" "$WORK/all/expected/faults.txt" | cut -f2)
	if grep -qF "${v##*/}" "$WORK/ours-all.log"; then
		ok "all: rpki-validator names $f's victim ${v##*/}"
	else
		not_ok "all: rpki-validator does not name $f's victim $v"
	fi
done

finish
