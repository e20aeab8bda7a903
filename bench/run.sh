#!/bin/bash
# bench/run.sh - benchmark the common/ VRP core side by side with StayRTR.
#
#   bench/run.sh [-count N] [-seed S] [-churn P] [-runs N] [-peer-runs N]
#                [-http] [-keep DIR]
#
# Builds mkvrps and vrpbench (Release, in their own build directory),
# writes a signed N-VRP file and a copy with P% churn in a temporary
# directory, and runs:
#   1. vrpbench: load+verify split into read / parse+check+sort / verify
#      (best and median of -runs), diff of the two sets (best of 20),
#      peak RSS;
#   2. the same load as whole processes, -peer-runs times: our vrpbench
#      -runs 1 against Debian's stayrtr given the same file (a local path,
#      or over loopback HTTP with -http), timed from process start until
#      its metrics report every VRP, peak RSS from /proc/PID/status VmHWM;
# and prints the ratios stayrtr/ours.  Every step is bounded in time;
# stayrtr and the HTTP server are stopped by their PID.
#
# Environment: BENCH_BUILD (build directory, default
# ${TMPDIR:-/tmp}/rpki-bench-build), STAYRTR (default /usr/bin/stayrtr),
# BENCH_PORT (first of three loopback ports, default 18280).
set -euo pipefail

count=800000 seed=1 churn=1 runs=5 peer_runs=3 http=0 keep=
while [ $# -gt 0 ]; do
	case $1 in
	-count) count=$2; shift 2 ;;
	-seed) seed=$2; shift 2 ;;
	-churn) churn=$2; shift 2 ;;
	-runs) runs=$2; shift 2 ;;
	-peer-runs) peer_runs=$2; shift 2 ;;
	-http) http=1; shift ;;
	-keep) keep=$2; shift 2 ;;
	-h|-help|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run.sh: unknown argument $1 (see -h)" >&2; exit 2 ;;
	esac
done

src=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD:-${TMPDIR:-/tmp}/rpki-bench-build}
stayrtr=${STAYRTR:-/usr/bin/stayrtr}
port=${BENCH_PORT:-18280}
rtr_port=$port metrics_port=$((port + 1)) http_port=$((port + 2))
peer_timeout=120	# seconds for one stayrtr load

if [ -n "$keep" ]; then
	mkdir -p "$keep"
	tmp=$(cd "$keep" && pwd)
else
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/rpki-bench.XXXXXX")
fi
peer_pid= http_pid=
cleanup() {
	# Stop only what this script started, by PID.
	if [ -n "$peer_pid" ]; then kill "$peer_pid" 2>/dev/null || true; fi
	if [ -n "$http_pid" ]; then kill "$http_pid" 2>/dev/null || true; fi
	if [ -z "$keep" ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT

# jget FILE KEY - a value from the JSON object on FILE's last line.
jget() {
	python3 -c 'import json,sys
print(json.loads(open(sys.argv[1]).read().splitlines()[-1])[sys.argv[2]])' \
	    "$1" "$2"
}
# median of the numbers given as arguments
median() {
	printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {
	    if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2 }'
}
now_ns() { date +%s%N; }

echo "== machine"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "nproc:   $(nproc)"
echo "cpu:     $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "memory:  $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
echo "kernel:  $(uname -r)"
echo "loadavg: $(cut -d" " -f1-3 /proc/loadavg) (before the run)"
echo "peer:    $stayrtr ($(dpkg-query -W -f='${Package} ${Version}' stayrtr 2>/dev/null || echo 'version unknown'))"
echo "tree:    $src ($(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo 'no commit'))"
echo "command: bench/run.sh -count $count -seed $seed -churn $churn -runs $runs -peer-runs $peer_runs$([ $http = 1 ] && echo ' -http')"

echo "== build (Release) in $build"
if timeout 300 cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=ON >"$tmp/cmake.log" 2>&1; then
	echo "configured the whole tree"
else
	# The tree may be mid-change (another component not configuring);
	# bench/ also builds on its own, with common/ only.
	echo "whole tree does not configure (see $tmp/cmake.log);" \
	    "building bench/ standalone"
	build=$build-standalone
	timeout 300 cmake -S "$src/bench" -B "$build" \
	    -DCMAKE_BUILD_TYPE=Release >"$tmp/cmake.log" 2>&1 ||
	    { cat "$tmp/cmake.log"; exit 1; }
fi
timeout 600 cmake --build "$build" --target mkvrps vrpbench -j "$(nproc)" \
    >"$tmp/build.log" 2>&1 || { tail -40 "$tmp/build.log"; exit 1; }
mkvrps=$(find "$build" -name mkvrps -type f -perm -u+x | head -1)
vrpbench=$(find "$build" -name vrpbench -type f -perm -u+x | head -1)
[ -x "$mkvrps" ] && [ -x "$vrpbench" ] ||
    { echo "run.sh: mkvrps or vrpbench not built" >&2; exit 1; }

echo "== generate in $tmp"
key=$src/keys/demo-private.pem
if [ ! -f "$key" ]; then
	key=$tmp/key.pem
	openssl ecparam -genkey -name prime256v1 -noout -out "$key" 2>/dev/null
	echo "key: temporary P-256 key (keys/demo-private.pem not present)"
else
	echo "key: $key"
fi
timeout 300 "$mkvrps" -seed "$seed" -count "$count" -key "$key" \
    -o "$tmp/a.json" >"$tmp/gen_a.json"
timeout 300 "$mkvrps" -seed "$seed" -count "$count" -churn "$churn" \
    -key "$key" -o "$tmp/b.json" >"$tmp/gen_b.json"
nvrps=$(jget "$tmp/gen_a.json" vrps)
ls -l "$tmp/a.json" "$tmp/b.json" | awk '{print $5, $NF}'

echo "== vrpbench (in-process)"
timeout 600 "$vrpbench" -key "$key" -runs "$runs" -diffruns 20 \
    "$tmp/a.json" "$tmp/b.json" | tee "$tmp/bench.out"
[ "$(jget "$tmp/bench.out" vrps)" = "$nvrps" ] ||
    { echo "run.sh: loaded count differs from generated" >&2; exit 1; }

echo "== whole-process loads: ours (vrpbench -runs 1) vs stayrtr, $peer_runs each"
# ours: process start to exit (load + verify + report), peak RSS.
ours_ms=() ours_rss=()
for i in $(seq "$peer_runs"); do
	t0=$(now_ns)
	timeout 120 "$vrpbench" -key "$key" -runs 1 "$tmp/a.json" \
	    >"$tmp/ours$i.out"
	t1=$(now_ns)
	ours_ms+=($(( (t1 - t0) / 1000000 )))
	ours_rss+=($(jget "$tmp/ours$i.out" rss_load_kb))
	echo "ours    run $i: ${ours_ms[-1]} ms, peak RSS $((ours_rss[-1] / 1024)) MB"
done

cache=$tmp/a.json
if [ $http = 1 ]; then
	(cd "$tmp" && exec timeout 3600 python3 -m http.server "$http_port" \
	    --bind 127.0.0.1 >"$tmp/http.log" 2>&1) &
	http_pid=$!
	cache=http://127.0.0.1:$http_port/a.json
	for _ in $(seq 100); do
		curl -sf -o /dev/null -r 0-0 "$cache" && break
		sleep 0.1
	done
fi

# peer_vrps - VRPs StayRTR reports (unfiltered IPv4 + IPv6), or 0.
peer_vrps() {
	curl -s --max-time 1 "http://127.0.0.1:$metrics_port/metrics" 2>/dev/null |
	    awk '/^rpki_vrps\{/ && /filtered="unfiltered"/ {n += $NF}
	    END {printf "%d\n", n}'
}
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

peer_ms=() peer_rss=()
for i in $(seq "$peer_runs"); do
	t0=$(now_ns)
	"$stayrtr" -cache "$cache" -bind "127.0.0.1:$rtr_port" \
	    -metrics.addr "127.0.0.1:$metrics_port" -refresh 3600 \
	    >"$tmp/stayrtr$i.log" 2>&1 &
	peer_pid=$!
	loaded=0
	while [ $(( ($(now_ns) - t0) / 1000000000 )) -lt $peer_timeout ]; do
		if ! kill -0 "$peer_pid" 2>/dev/null; then
			echo "run.sh: stayrtr exited early:" >&2
			cat "$tmp/stayrtr$i.log" >&2
			exit 1
		fi
		if [ "$(peer_vrps)" -ge "$nvrps" ]; then
			loaded=1
			break
		fi
		sleep 0.05
	done
	t1=$(now_ns)
	if [ $loaded = 0 ]; then
		echo "run.sh: stayrtr did not load within ${peer_timeout}s" >&2
		exit 1
	fi
	sleep 2		# let it finish building its RTR state; HWM only grows
	peer_ms+=($(( (t1 - t0) / 1000000 )))
	peer_rss+=($(hwm_kb "$peer_pid"))
	kill "$peer_pid"
	wait "$peer_pid" 2>/dev/null || true
	peer_pid=
	echo "stayrtr run $i: ${peer_ms[-1]} ms, peak RSS $((peer_rss[-1] / 1024)) MB"
done

om=$(median "${ours_ms[@]}") or=$(median "${ours_rss[@]}")
pm=$(median "${peer_ms[@]}") pr=$(median "${peer_rss[@]}")
lv=$(jget "$tmp/bench.out" load_verify_median_ms)
df=$(jget "$tmp/bench.out" diff_ms)
rl=$(jget "$tmp/bench.out" rss_load_kb)
rp=$(jget "$tmp/bench.out" rss_peak_kb)

echo "== summary ($nvrps VRPs, $(nproc) CPUs)"
awk -v n="$nvrps" -v om="$om" -v or="$or" -v pm="$pm" -v pr="$pr" -v lv="$lv" \
    -v df="$df" -v rl="$rl" -v rp="$rp" 'BEGIN {
	printf "%-34s %12s %12s %10s\n", "", "stayrtr", "ours", "ratio"
	printf "%-34s %9d ms %9d ms %9.2fx\n",
	    "load, process start to loaded", pm, om, pm / om
	printf "%-34s %9.0f MB %9.0f MB %9.2fx\n", "peak RSS (one load)",
	    pr / 1024, or / 1024, pr / or
	printf "\ntargets (ours)\n"
	printf "  load+verify, median in-process  %8.1f ms  (target < 1500) %s\n",
	    lv, lv < 1500 ? "met" : "MISSED"
	printf "  diff, best of 20                %8.2f ms  (target < 100)  %s\n",
	    df, df < 100 ? "met" : "MISSED"
	printf "  peak RSS, one file loaded       %8.1f MB  (target < 300)  %s\n",
	    rl / 1024, rl < 300 * 1024 ? "met" : "MISSED"
	printf "  peak RSS, both sets + diff      %8.1f MB  (target < 300)  %s\n",
	    rp / 1024, rp < 300 * 1024 ? "met" : "MISSED"
	printf "{\"vrps\": %d, \"stayrtr_load_ms\": %d, \"ours_load_ms\": %d, " \
	    "\"load_ratio\": %.3f, \"stayrtr_rss_kb\": %d, \"ours_rss_kb\": %d, " \
	    "\"rss_ratio\": %.3f, \"load_verify_median_ms\": %.2f, " \
	    "\"diff_ms\": %.3f, \"rss_load_kb\": %d, \"rss_peak_kb\": %d}\n",
	    n, pm, om, pm / om, pr, or, pr / or, lv, df, rl, rp
}'
