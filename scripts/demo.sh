#!/usr/bin/env bash
# The main job end to end on the embedded default: generate an RPKI
# repository (rpki-repogen: 2 trust anchors, 60 CAs on 5 hosts, ROAs,
# ASPAs, router certificates), serve it on loopback the way the RIRs do
# (rsync daemons and HTTPS/RRDP, tests/repogen/serve.sh), fetch it over
# RRDP and validate it with rpki-validator -sync into a signed
# OctoRPKI/GoRTR file, check it against what the generator says a correct
# validator must output, serve it over RTR with rtrcache, fetch it as a
# router would with rtrdump, and stop everything it started.
#
# It installs what it needs and builds from scratch.  Serving needs root
# (ports 873 and 443, /etc/hosts, the CA store; all undone at the end);
# without root the cache is copied from the generated tree instead.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

scripts/install-deps.sh
cmake -S . -B build-demo -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-demo -j"$(nproc)" >/dev/null
B="$top/build-demo"
V="$B/tools/vrpjson"
work=$(mktemp -d)
chmod 755 "$work"
repo=$work/repo
serving=0
rtr_pid=
cleanup() {
	[ -n "$rtr_pid" ] && kill "$rtr_pid" 2>/dev/null || true
	[ "$serving" = 1 ] && tests/repogen/serve.sh stop "$repo" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "Generate a repository (the first run also makes a pool of RSA keys)" \
	"$B/tests/repogen/rpki-repogen" -o "$repo" -seed 1 -tas 2 -cas 60 \
	-roas 600 -hosts 3

cache=$work/cache
sync=(-sync=false)
if [ "$(id -u)" -eq 0 ]; then
	step "Serve it on loopback: rsync and RRDP over HTTPS, per host name" \
		tests/repogen/serve.sh start "$repo"
	serving=1
	sync=(-sync)	# rpki-validator fetches it over RRDP (rsync if not)
	what="Fetch (RRDP) and validate"
else
	echo "demo: not root, so not serving the repository: the cache is a copy"
	cp -a "$repo/rsync" "$cache"
	what="Validate the cache"
fi

step "$what into a signed file (DEMO key, valid 1 hour)" \
	"$B/validator/rpki-validator" -mode oneoff "${sync[@]}" \
	-tal.root "$repo/tals/ta-0.tal,$repo/tals/ta-1.tal" -tal.name ta-0,ta-1 \
	-cache "$cache" -output.roa "$work/rpki.json" \
	-output.sign.key keys/demo-private.pem -output.rpki-client "$work/rc.json"
step "What the signed file holds" "$V" stats "$work/rpki.json"
step "Its signature verifies (as GoRTR and rtrcache check it)" \
	"$V" verify -verify.key keys/demo-public.pem "$work/rpki.json"
step "It is exactly what the generator says a correct validator outputs" \
	"$V" diff "$repo/expected/all.json" "$work/rc.json"

port=$((20000 + RANDOM % 20000))
mport=$((port + 1))
printf '\n== Serve it over RTR: rtrcache on 127.0.0.1:%s\n' "$port"
"$B/rtrcache/rtrcache" -bind "127.0.0.1:$port" -cache "$work/rpki.json" \
	-verify.key keys/demo-public.pem -metrics.addr "127.0.0.1:$mport" \
	>"$work/rtrcache.log" 2>&1 &
rtr_pid=$!
for _ in $(seq 50); do
	curl -sf "http://127.0.0.1:$mport/healthz" >/dev/null && break
	sleep 0.1
done
sed 's/^/   /' "$work/rtrcache.log"
step "What a router receives (rtrdump, RTR version 2 with ASPA)" \
	"$B/rtrcache/rtrdump" -connect "127.0.0.1:$port" -protocol 2 \
	-file "$work/received.json"
step "It is exactly the validated set" \
	"$V" diff "$work/rc.json" "$work/received.json"
sleep 1.1	# metrics are published once a second
step "The cache's health and metrics" curl -s "http://127.0.0.1:$mport/healthz"
curl -s "http://127.0.0.1:$mport/metrics" |
	grep -E '^(rtr_serial|rpki_roas|rtr_sessions_accepted_total)[ {]'
kill "$rtr_pid"
wait "$rtr_pid" 2>/dev/null || true
rtr_pid=
echo
echo "demo: done (built in build-demo/; man -l validator/rpki-validator.8 rtrcache/rtrcache.8)"
