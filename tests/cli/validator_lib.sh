# validator_lib.sh - what the rpki-validator tests share (test_validator,
# test_validator_server, test_validator_put).  Source it after lib.sh.
#
# Sets V, VAL, GEN_BIN, KEYS (the generator's key pool), KEY and PUB
# (the demo signing pair); stops at once (finish) if a program the
# tests need is not built; pids holds the background processes this
# script started (add with pids+=), stopped by PID at exit.
# shellcheck disable=SC2034  # the variables set here are read by the tests

V="$BIN_DIR/vrpjson"
VAL="$VALIDATOR_BIN_DIR/rpki-validator"
GEN_BIN="$REPOGEN_BIN_DIR/rpki-repogen"
KEYS="${XDG_CACHE_HOME:-${HOME:-$WORK}/.cache}/rpki-repogen/rsa2048.pem"
KEY=$SOURCE_DIR/keys/demo-private.pem
PUB=$SOURCE_DIR/keys/demo-public.pem
export LC_ALL=C

pids=()
validator_cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	# At most 20 s for them all, then KILL: in the ASan build an exit
	# can hang in LeakSanitizer's check (seen once, with rtrcache).
	for _ in $(seq 200); do
		for p in "${pids[@]}"; do
			kill -0 "$p" 2>/dev/null && break
		done
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	for p in "${pids[@]}"; do
		kill -9 "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap validator_cleanup EXIT

for b in "$VAL" "$GEN_BIN" "$V"; do
	if ! [ -x "$b" ]; then
		not_ok "$b not built"
		finish
		exit
	fi
done

# poll SECONDS CMD... - run CMD every 0.1 s until it succeeds; 1 if it
# never does within SECONDS.
poll() {
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" 2>/dev/null && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
