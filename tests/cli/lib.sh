# lib.sh - helpers for the shell tests of the built programs.
# Each test script sources this, calls check/expect_rc, and ends with
# finish, which prints "N passed, N failed" and sets the exit status.

set -u
passed=0
failed=0
: "${BIN_DIR:?BIN_DIR must name the directory of the built tools}"
: "${SHARED_DIR:?SHARED_DIR must name the shared fixtures directory}"
: "${SOURCE_DIR:?SOURCE_DIR must name the source tree}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

ok() {
	passed=$((passed + 1))
	echo "ok - $*"
}

not_ok() {
	failed=$((failed + 1))
	echo "not ok - $*"
}

# expect_rc WANT DESCRIPTION CMD... - run CMD, compare its exit status.
# Its stdout and stderr are left in $WORK/out and $WORK/err.
expect_rc() {
	local want=$1 desc=$2 rc=0
	shift 2
	"$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
	if [ "$rc" -eq "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc: want exit $want, have $rc"
		sed 's/^/#   /' "$WORK/err" | head -20
		return 1
	fi
}

# expect_grep FILE PATTERN DESCRIPTION - FILE must match PATTERN (grep -E).
expect_grep() {
	if grep -Eq -- "$2" "$1"; then
		ok "$3"
	else
		not_ok "$3: no match for /$2/ in:"
		sed 's/^/#   /' "$1" | head -20
	fi
}

# expect_eq HAVE WANT DESCRIPTION
expect_eq() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3: want '$2', have '$1'"
	fi
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
