#!/bin/bash
# bench_smoke: mkvrps writes 2,000 VRPs and a 1%-churned copy, signed
# with a throw-away key; vrpbench must load, verify and diff them, and
# load exactly as many VRPs as were generated.  A correctness check of
# the benchmark tools: no time is measured or compared here.
set -euo pipefail
mkvrps=$1
vrpbench=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

openssl ecparam -genkey -name prime256v1 -noout -out "$tmp/key.pem" \
    2>/dev/null
"$mkvrps" -seed 7 -count 2000 -key "$tmp/key.pem" -o "$tmp/a.json" \
    >"$tmp/gen_a.json"
"$mkvrps" -seed 7 -count 2000 -churn 1 -key "$tmp/key.pem" \
    -o "$tmp/b.json" >"$tmp/gen_b.json"
"$vrpbench" -runs 1 -diffruns 2 -key "$tmp/key.pem" "$tmp/a.json" \
    "$tmp/b.json" >"$tmp/bench.out"
cat "$tmp/bench.out"

python3 - "$tmp" <<'PY'
import json, sys
d = sys.argv[1]
gen_a = json.load(open(d + "/gen_a.json"))
gen_b = json.load(open(d + "/gen_b.json"))
bench = json.loads(open(d + "/bench.out").read().splitlines()[-1])
fails = []
if gen_a["vrps"] != 2000:
    fails.append("mkvrps wrote %d VRPs, want 2000" % gen_a["vrps"])
if bench["vrps"] != gen_a["vrps"] or bench["roas"] != gen_a["vrps"]:
    fails.append("vrpbench loaded %d ROAs / %d VRPs, want %d" %
                 (bench["roas"], bench["vrps"], gen_a["vrps"]))
if not bench["verified"]:
    fails.append("signature not verified")
if not 10 <= bench["diff_changes"] <= 40:
    fails.append("diff has %d changes, want about 1%% churn of 2000 "
                 "(10..40)" % bench["diff_changes"])
want = gen_a["vrps"] - bench["diff_withdrawn"] + bench["diff_announced"]
if want != gen_b["vrps"]:
    fails.append("old - withdrawn + announced = %d, new has %d" %
                 (want, gen_b["vrps"]))
for f in fails:
    print("bench_smoke: FAIL: " + f)
print("bench_smoke: %s" % ("FAIL" if fails else "ok"))
sys.exit(1 if fails else 0)
PY
