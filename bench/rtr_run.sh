#!/bin/bash
# bench/rtr_run.sh - benchmark RTR serving: rtrcache side by side with
# Debian's StayRTR and with rtrtrivial (the ceiling on this machine).
#
#   bench/rtr_run.sh [-count N] [-seed S] [-churn P] [-sessions N]
#                    [-hold-sessions N] [-hold S] [-peer-bound S]
#                    [-runs N] [-client-threads N] [-quiet-wait S]
#                    [-servers LIST] [-keep DIR]
#
# Builds rtrcache, rtrdump, vrpjson, mkvrps, rtrload and rtrtrivial
# (Release, in their own build directory), writes a signed N-VRP file
# and a copy with P% churn, and then, for each server in turn (rtrcache,
# stayrtr, trivial; one at a time, each stopped by its PID), measures:
#   start     start to serving: a new connection every 10 ms until a
#             Reset Query is answered (Cache Response), checked in full;
#   rss       VmRSS and VmHWM 2 s after that;
#   storm     1, 100 and -sessions simultaneous Reset Queries, each
#             session checked for the exact set, time to the last End of
#             Data, -runs times (median reported); StayRTR's are bounded
#             by -peer-bound seconds (run once: what it did by then, and
#             the extrapolation from its rate, are reported as such);
#             rtrload uses -client-threads threads (4: with fewer, the
#             client is the limit on 2 cores); against the trivial
#             server the largest storm is run again with twice as many,
#             to show whether the client is still the limit;
#   idle      -sessions sessions synced (full Reset Query; StayRTR: a
#             Serial Query answered by Cache Reset, as a full sync would
#             take it an hour), RSS while they idle, then the file is
#             replaced by the churned one and the server gets SIGHUP:
#             time to the Serial Notify on every session;
#   hold      -hold-sessions sessions held -hold seconds, probed before
#             and after;
#   cpu       the server's utime+stime (/proc/PID/stat) in each phase,
#             and the whole machine's (/proc/stat), so that CPU taken by
#             other processes during a measurement shows.
# Before each measurement it waits (up to -quiet-wait seconds) for the
# machine to be at least 90% idle over one second.
# Prints the table, the ratios and the targets, then one JSON line.
#
# Environment: RTR_BENCH_BUILD (build directory, default
# ${TMPDIR:-/tmp}/rpki-rtrbench-build), STAYRTR (/usr/bin/stayrtr),
# RTR_BENCH_PORT (first of five loopback ports, default 18380).
set -euo pipefail

count=800000 seed=1 churn=1 sessions=1000 hold_n=10000 hold_s=20
peer_bound=60 runs=3 cthreads=4 quiet_wait=120 servers="rtrcache stayrtr trivial" keep=
while [ $# -gt 0 ]; do
	case $1 in
	-count) count=$2; shift 2 ;;
	-seed) seed=$2; shift 2 ;;
	-churn) churn=$2; shift 2 ;;
	-sessions) sessions=$2; shift 2 ;;
	-hold-sessions) hold_n=$2; shift 2 ;;
	-hold) hold_s=$2; shift 2 ;;
	-peer-bound) peer_bound=$2; shift 2 ;;
	-runs) runs=$2; shift 2 ;;
	-quiet-wait) quiet_wait=$2; shift 2 ;;
	-client-threads) cthreads=$2; shift 2 ;;
	-servers) servers=$2; shift 2 ;;
	-keep) keep=$2; shift 2 ;;
	-h|-help|--help) sed -n '2,45p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "rtr_run.sh: unknown argument $1 (see -h)" >&2; exit 2 ;;
	esac
done
cmdline="bench/rtr_run.sh -count $count -seed $seed -churn $churn\
 -sessions $sessions -hold-sessions $hold_n -hold $hold_s\
 -peer-bound $peer_bound -runs $runs -client-threads $cthreads\
 -quiet-wait $quiet_wait -servers '$servers'"

src=$(cd "$(dirname "$0")/.." && pwd)
build=${RTR_BENCH_BUILD:-${TMPDIR:-/tmp}/rpki-rtrbench-build}
stayrtr=${STAYRTR:-/usr/bin/stayrtr}
port0=${RTR_BENCH_PORT:-18380}
tck=$(getconf CLK_TCK)

if [ -n "$keep" ]; then
	mkdir -p "$keep"
	tmp=$(cd "$keep" && pwd)
else
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/rpki-rtrbench.XXXXXX")
fi
res=$tmp/results
mkdir -p "$res"

# Every process started here is recorded and stopped by its PID.
pids=()
stop_pid() {
	local p=$1 i
	kill "$p" 2>/dev/null || return 0
	for i in $(seq 100); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
}
cleanup() {
	local p
	for p in "${pids[@]}"; do stop_pid "$p"; done
	if [ -z "$keep" ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Descriptors: the servers and rtrload inherit this.
want_fd=$((hold_n + 1024))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$want_fd" ]; then
	ulimit -n "$want_fd" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi

now_ns() { date +%s%N; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# machine_cpu: busy and total jiffies of all CPUs (/proc/stat).
machine_cpu() {
	awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9,
	    $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat
}
# wait_quiet: until the machine is >= 90% idle over 1 s (bounded).
wait_quiet() {
	local i b1 t1 b2 t2 busy=0
	for i in $(seq "$quiet_wait"); do
		read -r b1 t1 < <(machine_cpu)
		sleep 1
		read -r b2 t2 < <(machine_cpu)
		busy=$(( 100 * (b2 - b1) / (t2 - t1 + 1) ))
		[ "$busy" -le 10 ] && return 0
	done
	echo "  (machine still ${busy}% busy after waiting ${quiet_wait} s)"
}

echo "== machine"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "nproc:   $(nproc)"
echo "cpu:     $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "memory:  $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
echo "kernel:  $(uname -r)"
echo "tcp_mem: $(cat /proc/sys/net/ipv4/tcp_mem) (pages: low, pressure, high)"
echo "loadavg: $(cut -d" " -f1-3 /proc/loadavg) (before the run)"
echo "others:  $(ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 > 5 {printf "%s %s%%, ", $2, $1}')(processes above 5% CPU)"
echo "ulimit:  -n $(ulimit -n)"
echo "peer:    $stayrtr ($(dpkg-query -W -f='${Package} ${Version}' stayrtr 2>/dev/null || echo 'version unknown'))"
echo "tree:    $src ($(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo 'no commit'))"
echo "command: $cmdline"

echo "== build (Release) in $build"
timeout 300 cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=ON >"$tmp/cmake.log" 2>&1 ||
    { tail -30 "$tmp/cmake.log"; exit 1; }
timeout 900 cmake --build "$build" -j "$(nproc)" --target rtrcache rtrdump \
    vrpjson mkvrps rtrload rtrtrivial >"$tmp/build.log" 2>&1 ||
    { tail -40 "$tmp/build.log"; exit 1; }
bin() { find "$build" -name "$1" -type f -perm -u+x | head -1; }
rtrcache=$(bin rtrcache) rtrdump=$(bin rtrdump) vrpjson=$(bin vrpjson)
mkvrps=$(bin mkvrps) rtrload=$(bin rtrload) rtrtrivial=$(bin rtrtrivial)

echo "== generate in $tmp"
key=$src/keys/demo-private.pem pub=$src/keys/demo-public.pem
if [ ! -f "$key" ] || [ ! -f "$pub" ]; then
	key=$tmp/key.pem pub=$tmp/pub.pem
	openssl ecparam -genkey -name prime256v1 -noout -out "$key" 2>/dev/null
	openssl ec -in "$key" -pubout -out "$pub" 2>/dev/null
fi
timeout 300 "$mkvrps" -seed "$seed" -count "$count" -key "$key" \
    -o "$tmp/a.json" >/dev/null 2>"$tmp/gen_a.txt"
timeout 300 "$mkvrps" -seed "$seed" -count "$count" -churn "$churn" \
    -key "$key" -o "$tmp/b.json" >/dev/null 2>"$tmp/gen_b.txt"
ls -l "$tmp/a.json" "$tmp/b.json" | awk '{print $5, $NF}'
{ "$vrpjson" diff "$tmp/a.json" "$tmp/b.json" || true; } | tail -1

# load ARGS... - run rtrload bounded twice (its -timeout, then timeout).
load() {
	local bound=$1
	shift
	timeout --kill-after=5 $((bound + 60)) "$rtrload" "$@" \
	    -timeout "${bound}s"
}

# start_server NAME PORT [TAG] - start NAME serving $tmp/serve-NAME.json;
# sets spid and writes NAME.TAG.out (start to serving; TAG: start).
spid=
start_server() {
	local name=$1 port=$2 tag=${3:-start} t0 f=$tmp/serve-$1.json
	cp "$tmp/a.json" "$f"
	t0=$(now_ns)
	case $name in
	rtrcache)
		"$rtrcache" -cache "$f" -verify.key "$pub" \
		    -bind "127.0.0.1:$port" -metrics.addr "127.0.0.1:$((port + 1))" \
		    -refresh 3600 >>"$tmp/$name.log" 2>&1 & ;;
	stayrtr)
		"$stayrtr" -cache "$f" -bind "127.0.0.1:$port" \
		    -metrics.addr "127.0.0.1:$((port + 1))" -refresh 3600 \
		    >>"$tmp/$name.log" 2>&1 & ;;
	trivial)
		"$rtrtrivial" -file "$f" -bind "127.0.0.1:$port" \
		    >>"$tmp/$name.log" 2>&1 & ;;
	esac
	spid=$!
	pids+=("$spid")
	load 180 start -connect "127.0.0.1:$port" -since "$t0" \
	    -expect "$tmp/a.json" >"$res/$name.$tag.out" ||
	    { echo "$name did not start serving:"; tail "$tmp/$name.log"; exit 1; }
	cp "$res/$name.$tag.out" "$res/$name.last-start.out"
	head -1 "$res/$name.$tag.out" | sed "s/^/  /"
}

stop_server() {
	stop_pid "$spid"
	spid=
}

# phase NAME TAG CMD... - run CMD once the machine is quiet; record the
# server's CPU and the whole machine's around it.
phase() {
	local name=$1 tag=$2 c0 c1 m0 m1 x rc=0
	shift 2
	wait_quiet
	read -r m0 x < <(machine_cpu)
	c0=$(cpu_ticks "$spid")
	"$@" >"$res/$name.$tag.out" || rc=$?
	c1=$(cpu_ticks "$spid")
	read -r m1 x < <(machine_cpu)
	grep -v '^{' "$res/$name.$tag.out" | sed "s/^/  /"
	c0=$(awk -v a="$c0" -v b="$c1" -v t="$tck" \
	    'BEGIN {printf "%.2f", (b - a) / t}')
	m0=$(awk -v a="$m0" -v b="$m1" -v t="$tck" \
	    'BEGIN {printf "%.2f", (b - a) / t}')
	echo "{\"cpu_s\": $c0, \"machine_cpu_s\": $m0, \"rc\": $rc}" \
	    >"$res/$name.$tag.cpu"
	return 0
}

# rss NAME TAG - VmRSS and VmHWM of the server now.
rss() {
	echo "{\"rss_kb\": $(rss_kb "$spid" VmRSS), \"hwm_kb\": $(rss_kb "$spid" VmHWM)}" \
	    >"$res/$1.$2.rss"
	echo "  RSS $2: $(( $(rss_kb "$spid" VmRSS) / 1024 )) MB (VmHWM $(( $(rss_kb "$spid" VmHWM) / 1024 )) MB)"
}

session_id() {
	python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])["session_id"])' \
	    "$res/$1.last-start.out"
}

# A storm that hit its bound leaves StayRTR busy with the dropped
# sessions: start it afresh before the next phase.
restart() {
	stop_server
	start_server "$1" "$2" restart >/dev/null
}

bench_server() {
	local name=$1 port=$2 bound=600 sync=full n
	[ "$name" = stayrtr ] && { bound=$peer_bound; sync=serial; }
	echo "== $name (port $port)"
	wait_quiet
	start_server "$name" "$port"
	sleep 2
	rss "$name" load
	if [ "$name" = rtrcache ]; then
		# Once: rtrload's check against rtrdump + vrpjson diff.
		timeout 120 "$rtrdump" -connect "127.0.0.1:$port" -protocol 1 \
		    -file "$tmp/dump.json" -timeout 100s
		echo "  cross-check: rtrdump | vrpjson diff a.json: $({ "$vrpjson" \
		    diff "$tmp/a.json" "$tmp/dump.json" || true; } | tail -1)"
	fi
	for n in $(printf '%s\n' 1 100 "$sessions" | sort -nu); do
		for r in $(seq "$runs"); do
			phase "$name" "storm$n.r$r" load "$bound" storm \
			    -connect "127.0.0.1:$port" -n "$n" \
			    -threads "$cthreads" -expect "$tmp/a.json"
			if ! grep -q '"storm_done": true' \
			    "$res/$name.storm$n.r$r.out"; then
				restart "$name" "$port"
				break
			fi
		done
	done
	if [ "$name" = trivial ]; then
		for r in $(seq "$runs"); do
			phase "$name" "storm$sessions.tx.r$r" load "$bound" \
			    storm -connect "127.0.0.1:$port" -n "$sessions" \
			    -threads $((cthreads * 2)) -expect "$tmp/a.json"
		done
	fi
	# Idle sessions, then a 1% change and SIGHUP.
	wait_quiet
	rm -f "$tmp/ready" "$tmp/stamp"
	load 600 idle -connect "127.0.0.1:$port" -n "$sessions" -sync "$sync" \
	    -session "$(session_id "$name")" -expect "$tmp/a.json" \
	    -ready "$tmp/ready" -stamp "$tmp/stamp" >"$res/$name.idle.out" &
	local lpid=$!
	pids+=("$lpid")
	for _ in $(seq 6000); do
		[ -f "$tmp/ready" ] || ! kill -0 "$lpid" 2>/dev/null && break
		sleep 0.1
	done
	sleep 2
	rss "$name" idle
	local c0 c1
	c0=$(cpu_ticks "$spid")
	cp "$tmp/b.json" "$tmp/serve-$name.json.new"
	mv "$tmp/serve-$name.json.new" "$tmp/serve-$name.json"
	"$rtrload" kill -pid "$spid" -signal HUP -stamp "$tmp/stamp"
	wait "$lpid" || true
	c1=$(cpu_ticks "$spid")
	echo "{\"cpu_s\": $(awk -v a="$c0" -v b="$c1" -v t="$tck" \
	    'BEGIN {printf "%.2f", (b - a) / t}')}" >"$res/$name.idle.cpu"
	grep -v '^{' "$res/$name.idle.out" | sed "s/^/  /"
	rss "$name" update
	# Restart on the original file for the hold test.
	restart "$name" "$port"
	phase "$name" hold load $((hold_s + 300)) hold \
	    -connect "127.0.0.1:$port" -n "$hold_n" -hold "${hold_s}s" \
	    -session "$(session_id "$name")"
	rss "$name" hold
	stop_server
	cp "$tmp/$name.log" "$res/$name.log"
}

port=$port0
for s in $servers; do
	bench_server "$s" "$port"
	port=$((port + 2))
done

echo "== summary ($count VRPs, $(nproc) CPUs)"
python3 "$src/bench/rtr_report.py" "$res" "$servers" "$sessions" \
    "$hold_n" "$hold_s" "$peer_bound" "$runs"
