#!/usr/bin/env bash
# The main job on the embedded default.  For now (until rpki-validator and
# rtrcache land) this is the vrpjson workflow an operator runs between a
# validator and an RTR cache, on the shared fixtures: inspect, verify
# (good, tampered, expired), sign with the demo key, check the signature,
# diff and convert.  It installs what it needs and builds from scratch.
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
echo
echo "demo: done (built in build-demo/, man page: man -l tools/vrpjson.1)"
