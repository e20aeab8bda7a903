#!/usr/bin/env bash
# The project's test command (README.md; .ci/run calls exactly this).
# Installs what it needs, then builds from scratch and runs the whole suite
# twice: a plain build and an AddressSanitizer + UBSan build, both with
# warnings as errors.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

scripts/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
status=0
for variant in plain sanitize; do
	dir="$top/build-test-$variant"
	rm -rf "$dir"
	opts=(-DWERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo)
	if [ "$variant" = sanitize ]; then
		opts+=(-DSANITIZE=ON)
	fi
	echo "=== $variant build ==="
	cmake -S . -B "$dir" "${opts[@]}" >/dev/null
	cmake --build "$dir" -j"$jobs"
	echo "=== $variant tests ==="
	if ! (cd "$dir" && ASAN_OPTIONS=detect_leaks=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    ctest --output-on-failure -j"$jobs"); then
		status=1
	fi
done
exit $status
