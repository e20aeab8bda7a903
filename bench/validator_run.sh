#!/bin/bash
# bench/validator_run.sh - rpki-validator side by side with Debian's
# rpki-client and FORT on one generated repository, validating the local
# cache only (no network), on this machine, in one run.
#
#   bench/validator_run.sh [-cas N] [-roas N] [-seed S] [-runs N] [-keep DIR]
#
# Generates (or reuses, with -keep DIR) a repository with rpki-repogen,
# default 1,500 CAs and 28,500 ROAs (about 100,000 VRPs), then for each
# validator, one at a time, -runs times (default 3, median reported):
#   wall, user+sys CPU seconds and peak RSS (GNU time: the validator and
#   every child it waited for), and checks its output is the generator's
#   expected set (vrpjson diff), so no figure comes from a wrong answer.
#   rpki-validator runs with -j 1 and -j 2 and -memo=false (every object
#   decoded and verified: what the peers do, and the figures the targets
#   are about); rpki-client with -n (no sync) on a cache laid out as it
#   wants; FORT standalone --work-offline.
# And rpki-validator -j 2 with its memo (validator/memo.h) as a later
# run finds it: after one run not measured, every ROA is unchanged, so
# none is decoded or verified again (their time, CRL and resource checks
# are).  That row is the steady state of a validator run every few
# minutes, not a cold validation, and is reported on its own line.
# Also the crypto limit: the RSA signature verifications the repository
# needs (one per certificate and CRL, two per signed object: its EE
# certificate and its CMS signature) divided by OpenSSL's RSA-2048
# verify rate on this machine (openssl speed, one process per core).
# Prints a table, the ratios, and one JSON line.  Needs root (rpki-client
# drops privileges to _rpki-client).
set -euo pipefail
. "$(dirname "$0")/validator_lib.sh"

# rpki-client's cache: the rsync tree, and each TA at ta/NAME/.
rc_cache=$work/rc-cache
cp -a "$repo/rsync/." "$rc_cache/"
rm -f "$rc_cache/.memo"		# ours (validator/memo.h), not theirs
for t in "$repo"/tals/*.tal; do
	n=$(basename "$t" .tal)
	mkdir -p "$rc_cache/ta/$n"
	cp "$repo/rsync/rpki.$n.test/ta/$n.cer" "$rc_cache/ta/$n/"
done
mkdir -p "$work/rc-out"
chown -R _rpki-client "$rc_cache" "$work/rc-out"

ours() {	# ours NAME FLAGS...
	local name=$1
	shift
	measure "$name" "$work/ours.csv" "$VAL" -mode oneoff -sync=false \
	    -tal.root "$tals" -tal.name "$names" -cache "$repo/rsync" \
	    -output.roa "$work/ours.json" -output.sign=false \
	    -output.csv "$work/ours.csv" -loglevel error "$@"
}
# The memo as a run of this build leaves it (not measured).
ours memo-prime -j 2
sed -i '/^memo-prime /d' "$work/results"
for i in $(seq "$RUNS"); do
	for j in 1 2; do
		ours "rpki-validator-j$j" -j $j -memo=false
	done
	ours rpki-validator-j2-memo -j 2
	measure rpki-client "$work/rc-out/csv" rpki-client -n -c \
	    "${rc_tals[@]}" -d "$rc_cache" "$work/rc-out"
	rm -rf "$work/fort-repo"
	cp -a "$repo/rsync" "$work/fort-repo"
	rm -f "$work/fort-repo/.memo"
	measure fort "$work/fort.json" fort --mode=standalone \
	    --tal="$repo/tals" --local-repository="$work/fort-repo" \
	    --work-offline=true --output.format=json \
	    --output.roa="$work/fort.json" --log.level=error \
	    --validation-log.enabled=false
done

# The crypto limit.
ncer=$(find "$repo/rsync" -name '*.cer' | wc -l)
ncrl=$(find "$repo/rsync" -name '*.crl' | wc -l)
nsig=$(find "$repo/rsync" \( -name '*.roa' -o -name '*.mft' -o -name '*.asa' \) | wc -l)
nver=$((ncer + ncrl + 2 * nsig))
ncpu=$(nproc)
rate=$(openssl speed -seconds 3 -multi "$ncpu" rsa2048 2>/dev/null |
    awk '/^rsa 2048/ {print $NF}' | tail -1)
limit=$(awk "BEGIN {printf \"%.3f\", $nver / $rate}")

python3 - "$work/results" "$nver" "$rate" "$limit" "$ncpu" "$CAS" "$ROAS" <<'EOF'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    n, w, c, m = line.split()
    rows.setdefault(n, []).append((float(w), float(c), int(m)))
nver, rate, limit, ncpu = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
med = {n: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v),
           max(x[2] for x in v)) for n, v in rows.items()}
print(f"repository: {sys.argv[6]} CAs, {sys.argv[7]} ROAs; {nver} RSA verifications; "
      f"RSA-2048 verify {rate:.0f}/s on {ncpu} cores: crypto limit {limit:.2f} s")
print(f"{'validator':<20} {'wall s':>8} {'cpu s':>8} {'peak RSS MB':>12} {'x limit':>8}")
for n, (w, c, m) in sorted(med.items()):
    print(f"{n:<20} {w:8.2f} {c:8.2f} {m/1024:12.1f} {w/limit:8.1f}")
rc = med.get("rpki-client")
for n in ("rpki-validator-j1", "rpki-validator-j2", "rpki-validator-j2-memo"):
    if rc and n in med:
        print(f"{n}: {rc[0]/med[n][0]:.1f}x faster wall than rpki-client, "
              f"{med['fort'][0]/med[n][0]:.1f}x than FORT"
              + (" (warm memo: ROAs and ASPAs validated by an earlier run)"
                 if n.endswith("memo") else ""))
print(json.dumps({"crypto_limit_s": limit, "verifications": nver,
                  "median": {n: {"wall_s": w, "cpu_s": c, "peak_rss_kb": m}
                             for n, (w, c, m) in med.items()}}))
EOF
