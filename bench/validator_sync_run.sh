#!/bin/bash
# bench/validator_sync_run.sh - fetch and validate, end to end:
# rpki-validator -sync against rpki-client -R (both rsync only), or with
# -rrdp both over RRDP where the CAs publish it (rpki-validator's and
# rpki-client's defaults), the repository served on loopback by
# tests/repogen/serve.sh (an rsync daemon and nginx with HTTPS per host,
# as the RIRs run them), on this machine, in one run.
#
#   bench/validator_sync_run.sh [-cas N] [-roas N] [-seed S] [-runs N]
#                               [-keep DIR] [-rrdp]
#
# For each validator, -runs times (default 3, median reported), first
# with an empty cache ("cold": everything comes over rsync) and then
# again on the cache it left ("warm": rsync finds nothing to bring):
# wall and user+sys CPU seconds (GNU time; rsync children included) and
# peak RSS, and its output checked to be the generator's expected set.
# rpki-validator runs with its defaults (-j one per CPU, -rsync.parallel
# 8) but -rrdp=false, rsync only as rpki-client -R; rpki-client with its
# own.  Needs root (serve.sh: ports 873 and
# 443, /etc/hosts, the CA store; undone at the end).
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
	echo "$0: needs root (serve.sh)" >&2
	exit 2
fi
. "$(dirname "$0")/validator_lib.sh"
SERVE=$top/tests/repogen/serve.sh
trap '"$SERVE" stop "$repo" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$SERVE" start "$repo" >/dev/null

if [ "$RRDP" = 1 ]; then
	ours_proto=-rrdp=true rc_proto= proto="RRDP (rsync for the TAs)"
else
	ours_proto=-rrdp=false rc_proto=-R proto=rsync
fi
ours() {
	measure "rpki-validator-$1" "$work/ours.csv" "$VAL" -mode oneoff \
	    -tal.root "$tals" -tal.name "$names" -cache "$work/ours-cache" \
	    -output.roa "$work/ours.json" -output.sign=false \
	    -output.csv "$work/ours.csv" -loglevel error "$ours_proto"
}
theirs() {
	# shellcheck disable=SC2086  # rc_proto: no word or one
	measure "rpki-client-$1" "$work/rc-out/csv" rpki-client $rc_proto -c \
	    "${rc_tals[@]}" -d "$work/rc-cache" "$work/rc-out"
}

for i in $(seq "$RUNS"); do
	rm -rf "$work/ours-cache"
	ours cold
	ours warm
	rm -rf "$work/rc-cache" "$work/rc-out"
	mkdir -p "$work/rc-cache" "$work/rc-out"
	chown -R _rpki-client "$work/rc-cache" "$work/rc-out"
	theirs cold
	theirs warm
done

python3 - "$work/results" "$CAS" "$ROAS" "$proto" <<'EOF'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    n, w, c, m = line.split()
    rows.setdefault(n, []).append((float(w), float(c), int(m)))
med = {n: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v),
           max(x[2] for x in v)) for n, v in rows.items()}
print(f"repository: {sys.argv[2]} CAs, {sys.argv[3]} ROAs, fetched over {sys.argv[4]} on loopback")
print(f"{'run':<22} {'wall s':>8} {'cpu s':>8} {'peak RSS MB':>12}")
for n, (w, c, m) in sorted(med.items()):
    print(f"{n:<22} {w:8.2f} {c:8.2f} {m/1024:12.1f}")
for k in ("cold", "warm"):
    a, b = med.get(f"rpki-validator-{k}"), med.get(f"rpki-client-{k}")
    if a and b:
        print(f"{k}: rpki-validator {b[0]/a[0]:.1f}x faster wall than rpki-client")
print(json.dumps({"median": {n: {"wall_s": w, "cpu_s": c, "peak_rss_kb": m}
                             for n, (w, c, m) in med.items()}}))
EOF
