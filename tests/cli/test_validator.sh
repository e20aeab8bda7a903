#!/usr/bin/env bash
# rpki-validator (issue 5) on generated repositories: exactly the
# generator's expected VRPs, ASPAs and router keys, whatever the thread
# count; a signed OctoRPKI file that vrpjson verifies and rtrcache
# serves; the next generation (revoked EEs, removed and added ROAs, a new
# CA); its flags, exit codes and diagnostics.  The comparison with
# rpki-client and FORT on the same repositories is test_validator_peers.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/validator_lib.sh"
R=$WORK/repo
"$GEN_BIN" -q -keys "$KEYS" -o "$R" -seed 21 -tas 2 -cas 30 -roas 300
VALIDATE() {	# VALIDATE REPO OUTPREFIX [flags...]
	local repo=$1 out=$2
	shift 2
	"$VAL" -mode oneoff -sync=false \
	    -tal.root "$repo/tals/ta-0.tal,$repo/tals/ta-1.tal" \
	    -tal.name ta-0,ta-1 -cache "$repo/rsync" -output.roa "$out.json" \
	    -output.sign.key "$KEY" -output.rpki-client "$out.rc.json" \
	    -output.csv "$out.csv" -output.summary "$out.summary.json" "$@"
}

# 1. A clean repository: exactly the expected payloads, signed.
expect_rc 0 "validate a clean repository" VALIDATE "$R" "$WORK/a"
expect_grep "$WORK/err" "validated in [0-9.]+ s: [0-9]+ VRPs, [0-9]+ ASPAs, [0-9]+ router keys; 32 publication points, 0 failed" \
    "summary line: every publication point"
if grep -q " warn " "$WORK/err"; then
	not_ok "warnings on a clean repository:"
	grep " warn " "$WORK/err" | head -5 | sed 's/^/#   /'
else
	ok "not one warning on a clean repository"
fi
expect_rc 0 "rpki-client JSON: exactly the expected VRPs, ASPAs, keys" \
    "$V" diff "$R/expected/all.json" "$WORK/a.rc.json"
expect_rc 0 "CSV: exactly expected/vrps.csv" \
    "$V" diff "$R/expected/vrps.csv" "$WORK/a.csv"
expect_rc 0 "the OctoRPKI file: the same VRPs, ASPAs, keys" \
    "$V" diff "$R/expected/all.json" "$WORK/a.json"
expect_rc 0 "its GoRTR signature verifies with the public key" \
    "$V" verify -verify.key "$PUB" "$WORK/a.json"
valid=$(jq .metadata.valid "$WORK/a.json")
gen=$(jq .metadata.generated "$WORK/a.json")
expect_eq "$((valid - gen))" 3600 "valid for -output.sign.validity (1h)"
expect_eq "$(jq '.objects.ROA.valid' "$WORK/a.summary.json")" 300 \
    "summary JSON: 300 valid ROAs"
expect_eq "$(jq '.publication_points_failed' "$WORK/a.summary.json")" 0 \
    "summary JSON: no failed publication point"
expect_eq "$(jq '.vrps' "$WORK/a.summary.json")" \
    "$(jq '.roas | length' "$R/expected/all.json")" "summary JSON: the VRP count"

# Whatever the thread count, the same bytes.
expect_rc 0 "-j 1" VALIDATE "$R" "$WORK/j1" -j 1 -validation.time "$gen"
expect_rc 0 "-j 4" VALIDATE "$R" "$WORK/j4" -j 4 -validation.time "$gen"
expect_rc 0 "-j 1 and -j 4 write the same rpki-client JSON" \
    cmp "$WORK/j1.rc.json" "$WORK/j4.rc.json"
unsigned() { jq -S 'del(.metadata.signature, .metadata.signatureDate)' "$1"; }
expect_eq "$(unsigned "$WORK/j1.json" | sha256sum)" \
    "$(unsigned "$WORK/j4.json" | sha256sum)" \
    "and the same OctoRPKI file (ECDSA signatures aside: they are randomized)"

# 2. The next generation: removed, changed, added ROAs, revoked EEs and a
#    new CA; the revoked ones are reported and left out.
expect_rc 0 "next generation" "$GEN_BIN" next -q -keys "$KEYS" "$R"
expect_rc 0 "validate it" VALIDATE "$R" "$WORK/b"
expect_grep "$WORK/err" "warn  data rsync://[^ ]+\.roa: RFC 5280 section 6\.1\.3: certificate revoked by rsync://[^ ]+\.crl" \
    "a revoked EE is named with its CRL"
expect_rc 0 "generation 2: exactly the expected payloads" \
    "$V" diff "$R/expected/all.json" "$WORK/b.rc.json"
expect_eq "$(jq '.objects.CA.valid' "$WORK/b.summary.json")" 31 \
    "the added CA is validated"
# More generations, each validated: every change the generator makes
# between two runs of an RP, over and over (this found a generator bug:
# a ROA changed twice in one step was published with a revoked EE).
cp -a "$R" "$WORK/gens"
for g in 3 4 5 6; do
	"$GEN_BIN" next -q -keys "$KEYS" "$WORK/gens" ||
	    not_ok "next to generation $g"
	VALIDATE "$WORK/gens" "$WORK/g$g" 2>/dev/null
	expect_rc 0 "generation $g: exactly the expected payloads" \
	    "$V" diff "$WORK/gens/expected/all.json" "$WORK/g$g.rc.json"
done

# 3. Damage in the cache: a missing and a changed file fail their
#    publication point (RFC 9286 section 6); the rest stays.
C=$WORK/damaged
cp -a "$R" "$C"
roa=$(find "$C/rsync/repo-1.test" -name '*.roa' | head -1)
rm "$roa"
ca=$(basename "$(dirname "$roa")")
expect_rc 0 "a listed ROA is missing: the run still succeeds" \
    VALIDATE "$C" "$WORK/c"
expect_grep "$WORK/err" "RFC 9286 section 6\.4: listed on rsync://[^ ]+/$ca/$ca\.mft but not in the cache" \
    "the missing file is named, with the manifest and the RFC section"
expect_grep "$WORK/err" "publication point rsync://[^ ]+/$ca/ rejected: its [0-9]+ listed files are not used" \
    "its publication point is rejected"
expect_eq "$(jq '.publication_points_failed' "$WORK/c.summary.json")" 1 \
    "one publication point failed"
"$V" diff -q "$R/expected/all.json" "$WORK/c.rc.json" >"$WORK/d" || true
expect_grep "$WORK/d" "^0 announced, [1-9][0-9]* withdrawn" \
    "only that CA's payloads are missing"
expect_rc 0 "-strict.hash=false: only that file is dropped" \
    VALIDATE "$C" "$WORK/c2" -strict.hash=false
expect_eq "$(jq '.publication_points_failed' "$WORK/c2.summary.json")" 0 \
    "no publication point failed"

printf 'garbage' >>"$(find "$C/rsync/repo-2.test" -name '*.roa' | head -1)"
expect_rc 0 "a changed file" VALIDATE "$C" "$WORK/e"
expect_grep "$WORK/err" "RFC 9286 section 6\.5: SHA-256 is not the one rsync://[^ ]+\.mft lists" \
    "the hash mismatch is named"

# The last valid copy (-cache.valid, RFC 9286 section 6.7): kept from a
# good run, used for the two damaged publication points while valid.
K=$WORK/kept
expect_rc 0 "a good run keeps the valid copies" VALIDATE "$R" "$WORK/k1" \
    -cache.valid "$K"
expect_eq "$(find "$K" -name '*.mft' | wc -l)" \
    "$(jq .publication_points "$WORK/k1.summary.json")" \
    "one kept manifest per publication point"
expect_rc 0 "the damaged cache with the kept copies" VALIDATE "$C" "$WORK/k2" \
    -cache.valid "$K"
expect_grep "$WORK/err" "rsync://[^ ]+/$ca/: RFC 9286 section 6\.7: using the last valid copy \(manifest [0-9A-F]+\) instead" \
    "the failed publication point is replaced by its kept copy, and says so"
expect_eq "$(jq '[.publication_points_failed, .publication_points_kept] | @tsv' -r "$WORK/k2.summary.json")" \
    "$(printf '0\t2')" "none failed, two from the kept copies"
expect_rc 0 "so nothing is lost" "$V" diff "$R/expected/all.json" \
    "$WORK/k2.rc.json"
expect_rc 0 "8 days later the kept copies are stale too" VALIDATE "$C" \
    "$WORK/k3" -cache.valid "$K" -validation.time $((gen + 8 * 86400))
expect_grep "$WORK/err" "no usable valid copy kept: rsync://[^ ]+\.mft: RFC 9286 section 6\.3: stale" \
    "and are not used"

# A stale manifest: validation after its nextUpdate (7 days).
expect_rc 0 "validate 8 days later" VALIDATE "$R" "$WORK/f" \
    -validation.time $((gen + 8 * 86400))
expect_grep "$WORK/err" "RFC 9286 section 6\.3: stale: nextUpdate has passed" \
    "stale manifests are named"
expect_eq "$(jq '.vrps' "$WORK/f.summary.json")" 0 "nothing is valid then"
expect_rc 0 "-strict.manifests=false: stale manifests used anyway" \
    VALIDATE "$R" "$WORK/f2" -validation.time $((gen + 8 * 86400)) \
    -strict.manifests=false
expect_grep "$WORK/err" "stale: nextUpdate has passed \(used: -strict\.manifests=false\)" \
    "and says so"

# 4. rtrcache serves the signed file as it is.
if [ -x "$RTR_BIN_DIR/rtrcache" ] && [ -x "$RTR_BIN_DIR/rtrdump" ]; then
	port=$((20000 + RANDOM % 20000))
	"$RTR_BIN_DIR/rtrcache" -bind "127.0.0.1:$port" -cache "$WORK/b.json" \
	    -verify.key "$PUB" -metrics.addr "" >"$WORK/rtrcache.log" 2>&1 &
	pid=$!
	for _ in $(seq 50); do
		grep -q "serial" "$WORK/rtrcache.log" && break
		sleep 0.1
	done
	expect_rc 0 "rtrdump fetches it over RTR" "$RTR_BIN_DIR/rtrdump" \
	    -connect "127.0.0.1:$port" -protocol 2 -file "$WORK/got.json"
	expect_rc 0 "a router receives exactly the validated set" \
	    "$V" diff "$WORK/b.rc.json" "$WORK/got.json"
	kill "$pid"
	wait "$pid" 2>/dev/null
else
	not_ok "rtrcache not built"
fi

# 5. Flags and mistakes.
expect_rc 2 "-sync with -rsync.timeout 0s: usage error" "$VAL" -mode oneoff \
    -tal.root "$R/tals/ta-0.tal" -tal.name ta-0 -cache "$WORK/sc" \
    -rsync.timeout 0s
expect_grep "$WORK/err" "-rsync.timeout: want at least 1s" "and says why"
expect_rc 2 "-rrdp.timeout 0s: usage error" "$VAL" -mode oneoff \
    -tal.root "$R/tals/ta-0.tal" -tal.name ta-0 -cache "$WORK/sc" \
    -rrdp.timeout 0s
expect_grep "$WORK/err" "-rrdp.timeout: want 1s to 24h" "and says why"
expect_rc 2 "-rrdp.maxsize 1000: usage error" "$VAL" -mode oneoff \
    -tal.root "$R/tals/ta-0.tal" -tal.name ta-0 -cache "$WORK/sc" \
    -rrdp.maxsize 1000
expect_grep "$WORK/err" "-rrdp.maxsize: want 1048576 to 2147483647 bytes, have 1000" \
    "and says why"
# -sync (the default) when nothing can be fetched (the TAL's hosts under
# .invalid, RFC 6761, which never resolves; no rsync program): each
# fetch failure is said with its URI and why, and the run goes on with
# what the cache has (nothing).
sed 's/rpki\.ta-0\.test/rpki.ta-0.invalid/' "$R/tals/ta-0.tal" >"$WORK/inv.tal"
expect_rc 0 "-sync with nothing to fetch from: the run goes on" "$VAL" \
    -mode oneoff -tal.root "$WORK/inv.tal" -tal.name ta-0 \
    -cache "$WORK/sc" -rsync.bin /nonexistent/rsync \
    -output.roa "$WORK/sc.json" -output.sign=false \
    -output.summary "$WORK/sc.summary.json"
expect_grep "$WORK/err" "error ops  fetch https://rpki\.ta-0\.invalid/ta/ta-0\.cer: .*resolve.*; using what the cache has" \
    "the TA certificate's https fetch fails, said with its URI and why"
expect_grep "$WORK/err" "error ops  fetch rsync://rpki\.ta-0\.invalid/ta/ta-0\.cer: cannot run /nonexistent/rsync: No such file or directory; using what the cache has" \
    "then its rsync fetch, said likewise"
expect_grep "$WORK/err" "fetched 0 rsync modules and TA certificates, 2 failed" \
    "the run counts them"
expect_eq "$(jq '.roas | length' "$WORK/sc.json")" 0 "and has no VRPs"
expect_eq "$(jq -c '[.rsync_fetched, .rsync_failed]' "$WORK/sc.summary.json")" \
    "[0,2]" "the summary JSON counts them too"
expect_rc 2 "an unknown -mode" "$VAL" -mode sometimes -sync=false
expect_rc 2 "a bad -validation.time" "$VAL" -mode oneoff -sync=false \
    -validation.time yesterday
expect_rc 1 "a TAL that does not exist" "$VAL" -mode oneoff -sync=false \
    -tal.root "$WORK/nope.tal" -tal.name x -cache "$R/rsync" \
    -output.roa "$WORK/x.json" -output.sign=false
expect_grep "$WORK/err" "nope\.tal" "names the TAL"
expect_rc 1 "more names than TALs" "$VAL" -mode oneoff -sync=false \
    -tal.root "$R/tals/ta-0.tal" -tal.name a,b -cache "$R/rsync" \
    -output.roa "$WORK/x.json" -output.sign=false
expect_rc 1 "a missing signing key" VALIDATE "$R" "$WORK/k" \
    -output.sign.key "$WORK/nokey.pem"
expect_rc 0 "-output.sign=false: unsigned" "$VAL" -mode oneoff -sync=false \
    -tal.root "$R/tals/ta-0.tal,$R/tals/ta-1.tal" -tal.name ta-0,ta-1 \
    -cache "$R/rsync" -output.roa "$WORK/u.json" -output.sign=false
expect_eq "$(jq -r '.metadata.signature // "none"' "$WORK/u.json")" none \
    "no signature in the file"
expect_rc 0 "-h lists the OctoRPKI flags" "$VAL" -h
for f in tal.root tal.name cache output.roa output.sign output.sign.key \
    output.sign.validity mode sync strict.manifests strict.hash \
    strict.crl loglevel rrdp rrdp.failover; do
	grep -q -- "-$f\b" "$WORK/out" || missing="${missing:-} -$f"
done
expect_eq "${missing:-none}" none "-h lists every OctoRPKI flag"
# A cache that is empty: the TA is missing, said, nothing valid, exit 0.
mkdir -p "$WORK/empty"
expect_rc 0 "an empty cache" "$VAL" -mode oneoff -sync=false \
    -tal.root "$R/tals/ta-0.tal" -tal.name ta-0 -cache "$WORK/empty" \
    -output.roa "$WORK/n.json" -output.sign=false
expect_grep "$WORK/err" "ta-0: no TA certificate in the cache" "the TA is missing"

# 6. Objects not where their certificates say, in the repositories
#    test_vlocation changes and keeps (tests/unit/test_vlocation.c): a
#    ROA moved to another name and relisted is rejected (RFC 6487 section
#    4.8.8.2) and counted as "location" in both summaries; a CA
#    certificate whose caIssuers names another file (section 4.8.7) is
#    said and used (validator/README.md says why).
VLOC="$BIN_DIR/../tests/test_vlocation"
L=$WORK/vloc
if [ -x "$VLOC" ] && VLOC_KEEP="$L" "$VLOC" >/dev/null 2>&1; then
	VLOCATE() {	# VLOCATE NAME OUTPREFIX
		"$VAL" -mode oneoff -sync=false -tal.root "$L/$1/tals/ta-0.tal" \
		    -tal.name ta-0 -cache "$L/$1/rsync" -output.roa "$2.json" \
		    -output.sign=false -output.csv "$2.csv" \
		    -output.summary "$2.summary.json"
	}
	expect_rc 0 "a ROA moved to another name and relisted" \
	    VLOCATE moved-roa "$WORK/l1"
	expect_grep "$WORK/err" "warn  data (rsync://repo-1\.test/repo/ca-2/Z[^ ]+\.roa): RFC 6487 section 4\.8\.8\.2: subjectInfoAccess signedObject: want \1, have rsync://repo-1\.test/repo/ca-2/A[^ ]+\.roa$" \
	    "is rejected: its file, the RFC section, the field, want and have"
	expect_grep "$WORK/err" "  ROA: 1 invalid \(location\)" \
	    "the summary counts it as location"
	expect_eq "$(jq -c '.objects.ROA.invalid' "$WORK/l1.summary.json")" \
	    '{"location":1}' "so does the summary JSON"
	expect_rc 0 "a CA certificate naming another file as its issuer's" \
	    VLOCATE ca-aia "$WORK/l2"
	expect_grep "$WORK/err" "warn  data rsync://[^ ]+/ca-0\.cer: RFC 6487 section 4\.8\.7: authorityInfoAccess caIssuers: want rsync://[^ ]+/ta-0/rir-0\.cer, have rsync://[^ ]+/rir-0/rir-0\.cer \(used anyway\)" \
	    "is said"
	expect_rc 0 "and used: exactly the expected VRPs" \
	    "$V" diff "$L/ca-aia/expected/vrps.csv" "$WORK/l2.csv"
else
	not_ok "test_vlocation did not make its repositories"
fi
finish
