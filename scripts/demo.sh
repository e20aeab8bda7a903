#!/usr/bin/env bash
# The main job on the embedded default.  Until rpki-validator lands, this
# is the path from a VRP file to a router, on the shared fixtures: inspect
# a signed file, verify it (good, tampered, expired), sign with the demo
# key, serve it with rtrcache over RTR on loopback, fetch it with rtrdump
# as a router would, and check it arrived intact.  It installs what it
# needs and builds from scratch.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
if ! fixtures=$(cd "$top/../shared/fixtures" 2>/dev/null && pwd); then
	echo "demo: $top/../shared/fixtures not found (the shared fixtures sit beside the checkout)" >&2
	exit 1
fi

scripts/install-deps.sh
cmake -S . -B build-demo -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-demo -j"$(nproc)" >/dev/null
V="$top/build-demo/tools/vrpjson"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { printf '\n== %s\n$ %s\n' "$1" "${*:2}"; "${@:2}" || echo "(exit $?)"; }

step "What is in a signed VRP file" \
	"$V" stats "$fixtures/signed/valid-asn-string.json"
step "Verify it with the publisher's public key" \
	"$V" verify -verify.key "$fixtures/signed/demo-fixture.pub.pem" "$fixtures/signed/valid-asn-string.json"
step "A tampered copy is refused (exit 1)" \
	"$V" verify -verify.key "$fixtures/signed/demo-fixture.pub.pem" "$fixtures/signed/tampered-roa.json"
step "An expired file is refused (exit 5)" \
	"$V" verify -verify.key "$fixtures/signed/demo-fixture.pub.pem" "$fixtures/signed/expired.json"
step "What the tampering changed" \
	"$V" diff "$fixtures/signed/valid-asn-string.json" "$fixtures/signed/tampered-roa.json"
step "Sign GoRTR's test file with the DEMO key, valid 1 hour" \
	"$V" sign -key keys/demo-private.pem -validity 1h "$fixtures/gortr/test.rpki.json" "$work/rpki.json"
step "The signed file verifies" \
	"$V" verify -verify.key keys/demo-public.pem "$work/rpki.json"
step "As CSV, the way rpki-client writes it" \
	"$V" convert -format csv "$work/rpki.json" -

# Serve the signed file over RTR on loopback and fetch it as a router would.
"$V" sign -key keys/demo-private.pem -validity 1h \
	"$fixtures/signed/valid-asn-string.json" "$work/served.json"
port=$((20000 + RANDOM % 20000))
mport=$((port + 1))
printf '\n== Serve it over RTR: rtrcache on 127.0.0.1:%s\n' "$port"
"$top/build-demo/rtrcache/rtrcache" -bind "127.0.0.1:$port" \
	-cache "$work/served.json" -verify.key keys/demo-public.pem \
	-metrics.addr "127.0.0.1:$mport" >"$work/rtrcache.log" 2>&1 &
rtr_pid=$!
trap 'kill "$rtr_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do
	curl -sf "http://127.0.0.1:$mport/healthz" >/dev/null && break
	sleep 0.1
done
sed 's/^/   /' "$work/rtrcache.log"
step "What a router receives (rtrdump, RTR version 1)" \
	"$top/build-demo/rtrcache/rtrdump" -connect "127.0.0.1:$port" \
	-protocol 1 -file "$work/received.json"
step "It is exactly the signed set" \
	"$V" diff "$work/served.json" "$work/received.json"
sleep 1.1	# metrics are published once a second
step "The cache's health and metrics" \
	curl -s "http://127.0.0.1:$mport/healthz"
curl -s "http://127.0.0.1:$mport/metrics" | grep -E '^(rtr_serial|rpki_roas|rtr_sessions_accepted_total) '
kill "$rtr_pid"
wait "$rtr_pid" 2>/dev/null || true
echo
echo "demo: done (built in build-demo/; man -l tools/vrpjson.1 rtrcache/rtrcache.8)"
