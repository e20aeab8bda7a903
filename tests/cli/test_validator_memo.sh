#!/usr/bin/env bash
# rpki-validator -memo (validator/memo.h): a ROA or ASPA validated once
# is not decoded and verified again while its bytes, its CA's key and its URI
# stay the same, but the checks that can change (time, CRL, the CA's
# resources) are redone, so the output is always what validating
# everything in full gives.
#
# 1. A clean repository: the first run remembers every ROA, the second
#    reuses every one, with the same output, and leaves the file alone.
# 2. Every fault the generator injects, on top of a memo of the clean
#    repository (the faulted one has the same bytes but for the fault:
#    same seed, same time): exactly the expected payloads, and the same
#    output and data-channel diagnostics as -memo=false.  revoked-ee is
#    the case the memo exists to get right: its ROA's bytes are those
#    remembered, only the CRL changed.
# 3. A damaged memo, one from another build, -memo=false.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/validator_lib.sh"

NOW=$(date +%s)
SMALL=(-seed 5 -tas 1 -rirs 2 -cas 12 -roas 60 -now "$NOW")
GEN() { "$GEN_BIN" -q -keys "$KEYS" "$@"; }
RUN() {		# RUN DIR OUT [flags...]
	local dir=$1 out=$2 tals names
	shift 2
	tals=$(ls "$dir"/tals/*.tal | paste -sd, -)
	names=$(for t in "$dir"/tals/*.tal; do basename "$t" .tal; done |
	    paste -sd, -)
	"$VAL" -mode oneoff -sync=false -tal.root "$tals" -tal.name "$names" \
	    -cache "$dir/rsync" -output.roa "$out.json" -output.sign=false \
	    -output.rpki-client "$out.rc.json" -output.summary \
	    "$out.summary.json" -validation.time "$NOW" "$@"
}
# The data-channel lines of a log, sorted, without their times.
warnings() { sed -n 's/^[^ ]* warn  data //p' "$1" | sort; }
# memo_counts LOG - "HITS ADDED" from the memo line.
memo_counts() {
	sed -n 's/.*memo: \([0-9]*\) ROAs and ASPAs unchanged .*, \([0-9]*\) validated in full.*/\1 \2/p' "$1"
}

# 1. Cold, then warm.
C=$WORK/clean
GEN -o "$C" "${SMALL[@]}" || not_ok "generate the clean repository"
nroa=$(find "$C/rsync" \( -name '*.roa' -o -name '*.asa' \) | wc -l)
expect_rc 0 "cold run" RUN "$C" "$WORK/c1"
expect_eq "$(memo_counts "$WORK/err")" "0 $nroa" \
    "cold: every ROA and ASPA ($nroa) validated in full and remembered"
[ -s "$C/rsync/.memo" ] && ok "the memo is written to CACHE/.memo" ||
    not_ok "no CACHE/.memo after a run"
ino=$(stat -c %i "$C/rsync/.memo")
expect_rc 0 "warm run" RUN "$C" "$WORK/c2"
expect_eq "$(memo_counts "$WORK/err")" "$nroa 0" \
    "warm: every ROA and ASPA reused, none validated again"
expect_eq "$(jq -c '[.memo_reused, .memo_added]' "$WORK/c2.summary.json")" \
    "[$nroa,0]" "summary JSON: memo_reused, memo_added"
expect_rc 0 "warm: exactly the expected payloads" \
    "$V" diff "$C/expected/all.json" "$WORK/c2.rc.json"
expect_rc 0 "warm and cold write the same bytes" \
    cmp "$WORK/c1.rc.json" "$WORK/c2.rc.json"
expect_eq "$(stat -c %i "$C/rsync/.memo")" "$ino" \
    "nothing changed: the memo file is not rewritten"

# 2. Each fault through the clean repository's memo.
faults=$("$GEN_BIN" -h 2>&1 | awk '/^Faults/ { p = 1; next } p { print $1 }')
expect_eq "$(echo "$faults" | wc -l)" 36 "the generator lists 36 faults"
for f in $faults; do
	F=$WORK/f-$f
	if ! GEN -o "$F" "${SMALL[@]}" -faults "$f" 2>"$WORK/gen.err"; then
		not_ok "$f: generate"
		sed 's/^/#   /' "$WORK/gen.err" | head -3
		continue
	fi
	cp "$C/rsync/.memo" "$F/rsync/.memo"
	RUN "$F" "$WORK/w-$f" 2>"$WORK/w-$f.log" ||
	    not_ok "$f: the run with the memo failed"
	RUN "$F" "$WORK/n-$f" -memo=false 2>"$WORK/n-$f.log" ||
	    not_ok "$f: the run with -memo=false failed"
	set -- $(memo_counts "$WORK/w-$f.log")
	if [ "${1:-0}" -gt 0 ]; then
		ok "$f: $1 objects from the memo, ${2:-?} validated in full"
	else
		not_ok "$f: the memo was not used: $(grep memo "$WORK/w-$f.log")"
	fi
	"$V" diff "$F/expected/all.json" "$WORK/w-$f.rc.json" \
	    >"$WORK/d-$f" 2>&1
	expect_eq "$(tail -1 "$WORK/d-$f")" \
	    "0 announced, 0 withdrawn (VRPs +0 -0, ASPAs +0 -0, router keys +0 -0)" \
	    "$f: with the memo, exactly the expected payloads"
	expect_rc 0 "$f: the same output as -memo=false" \
	    cmp "$WORK/w-$f.rc.json" "$WORK/n-$f.rc.json"
	if diff <(warnings "$WORK/w-$f.log") <(warnings "$WORK/n-$f.log") \
	    >"$WORK/wd-$f"; then
		ok "$f: the same diagnostics as -memo=false ($(warnings \
		    "$WORK/n-$f.log" | wc -l) lines)"
	else
		not_ok "$f: diagnostics differ from -memo=false:"
		sed 's/^/#   /' "$WORK/wd-$f" | head -6
	fi
done
expect_grep "$WORK/w-revoked-ee.log" \
    "warn  data rsync://[^ ]+\.roa: RFC 5280 section 6\.1\.3: certificate revoked by" \
    "revoked-ee: the remembered ROA is refused, its CRL named"
# ca-shrink is the same for resources: the ROA is the one remembered,
# only its CA's certificate (in the parent's publication point) shrank.
v=$(grep -P '^ca-shrink\t' "$WORK/f-ca-shrink/expected/faults.txt" | cut -f2)
expect_rc 0 "ca-shrink: the refused ROA is byte for byte the remembered one" \
    cmp "$C/rsync/${v#rsync://}" "$WORK/f-ca-shrink/rsync/${v#rsync://}"
expect_grep "$WORK/w-ca-shrink.log" \
    "warn  data $v: RFC 3779 section 2\.3: IPv4 resources: want within the issuer" \
    "ca-shrink: the remembered ROA is refused, its CA no longer holds it"

# 3. A damaged memo, one of another build, -memo=false.
# flip FILE OFFSET - invert the lowest bit of one byte.
flip() {
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	# shellcheck disable=SC2059  # the octal escape is the format
	printf "\\$(printf %03o $((b ^ 1)))" |
	    dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
M=$C/rsync/.memo
size=$(stat -c %s "$M")
flip "$M" $((size / 2))
expect_rc 0 "a damaged memo: the run succeeds" RUN "$C" "$WORK/c3"
expect_grep "$WORK/err" "\.memo: damaged \(its checksum does not match\): ignored, every ROA and ASPA is validated in full" \
    "a damaged memo is said, and ignored"
expect_eq "$(memo_counts "$WORK/err")" "0 $nroa" \
    "and every ROA validated in full"
expect_rc 0 "the same output as before" \
    cmp "$WORK/c1.rc.json" "$WORK/c3.rc.json"
expect_rc 0 "and the memo written afresh: the next run reuses it" \
    RUN "$C" "$WORK/c4"
expect_eq "$(memo_counts "$WORK/err")" "$nroa 0" "every ROA reused again"
flip "$M" 20		# in the fingerprint of the build
expect_rc 0 "a memo of another build: the run succeeds" RUN "$C" "$WORK/c5"
expect_grep "$WORK/err" "\.memo: written by another build of rpki-validator: ignored" \
    "a memo of another build is said, and ignored"
expect_rc 0 "the same output as before" \
    cmp "$WORK/c1.rc.json" "$WORK/c5.rc.json"
rm -f "$M"
expect_rc 0 "-memo=false" RUN "$C" "$WORK/c6" -memo=false
[ -e "$M" ] && not_ok "-memo=false wrote $M" ||
    ok "-memo=false writes no memo"
grep -q "memo" "$WORK/err" && not_ok "-memo=false: the log mentions a memo" ||
    ok "-memo=false: no memo line in the log"

# 4. A signed output keys the memo with the signing key: a memo written
#    with another key (or by someone without it) is not used.
S=$WORK/signed
cp -a "$C" "$S"
openssl ecparam -name prime256v1 -genkey -noout -out "$WORK/other.pem" 2>/dev/null
expect_rc 0 "signed, first run" RUN "$S" "$WORK/s1" -output.sign=true \
    -output.sign.key "$KEY"
expect_eq "$(memo_counts "$WORK/err")" "0 $nroa" \
    "signed: the unkeyed memo is not used"
expect_rc 0 "signed, second run" RUN "$S" "$WORK/s2" -output.sign=true \
    -output.sign.key "$KEY"
expect_eq "$(memo_counts "$WORK/err")" "$nroa 0" \
    "signed: the memo keyed with the same key is used"
expect_rc 0 "signed with another key" RUN "$S" "$WORK/s3" \
    -output.sign=true -output.sign.key "$WORK/other.pem"
expect_grep "$WORK/err" "\.memo: damaged, or written with another signing key \(its HMAC does not match\): ignored" \
    "another signing key: the memo is said not to match, and ignored"
expect_eq "$(memo_counts "$WORK/err")" "0 $nroa" "and every ROA validated in full"
expect_rc 0 "the same payloads" "$V" diff "$WORK/s1.json" "$WORK/s3.json"

finish
