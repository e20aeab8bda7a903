# bench/validator_lib.sh - what bench/validator_run.sh and
# bench/validator_sync_run.sh share.  Source it with the script's
# arguments ("$@"); it sets CAS ROAS SEED RUNS KEEP RRDP from
# [-cas N] [-roas N] [-seed S] [-runs N] [-keep DIR] [-rrdp] (-rrdp: the
# fetch benchmark over RRDP), builds the Release
# binaries (B, VAL, VJ), makes the work directory (work, removed at exit
# unless the script sets its own trap after) and the repository (repo:
# -keep DIR reused when it was made with the same -cas, -roas and
# -seed), and the TAL lists (tals, names, rc_tals); measure is below.
# shellcheck disable=SC2034  # the variables set here are read by the scripts
top=$(cd "$(dirname "$0")/.." && pwd)
CAS=1500 ROAS=28500 SEED=1 RUNS=3 KEEP= RRDP=0
while [ $# -gt 0 ]; do
	case $1 in
	-rrdp) RRDP=1; shift ;;
	-cas) CAS=$2; shift 2 ;;
	-roas) ROAS=$2; shift 2 ;;
	-seed) SEED=$2; shift 2 ;;
	-runs) RUNS=$2; shift 2 ;;
	-keep) KEEP=$2; shift 2 ;;
	*) echo "usage: $0 [-cas N] [-roas N] [-seed S] [-runs N] [-keep DIR]" \
	    "[-rrdp]" >&2
	   exit 2 ;;
	esac
done
B=${VALIDATOR_BENCH_BUILD:-$top/build-bench-validator}
cmake -S "$top" -B "$B" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$B" -j"$(nproc)" --target rpki-validator rpki-repogen vrpjson >/dev/null
VAL=$B/validator/rpki-validator
VJ=$B/tools/vrpjson
work=$(mktemp -d)
chmod 711 "$work"	# rpki-client drops privileges to _rpki-client
trap 'rm -rf "$work"' EXIT
repo=${KEEP:-$work/repo}
if ! [ -f "$repo/repogen.conf" ] ||
    ! grep -q "^cas=$CAS$" "$repo/repogen.conf" ||
    ! grep -q "^roas=$ROAS$" "$repo/repogen.conf" ||
    ! grep -q "^seed=$SEED$" "$repo/repogen.conf"; then
	echo "generating $CAS CAs, $ROAS ROAs in $repo ..." >&2
	"$B/tests/repogen/rpki-repogen" -q -o "$repo" -seed "$SEED" \
	    -cas "$CAS" -roas "$ROAS"
fi
tals=$(ls "$repo"/tals/*.tal | paste -sd, -)
names=$(for t in "$repo"/tals/*.tal; do basename "$t" .tal; done | paste -sd, -)
rc_tals=()
for t in "$repo"/tals/*.tal; do rc_tals+=(-t "$t"); done

# measure NAME OUTPUT-TO-CHECK CMD... - one run; appends "NAME wall cpu
# rss" to $work/results, after checking the output is the expected set.
measure() {
	local name=$1 out=$2
	shift 2
	rm -f "$out"
	/usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/log" ||
	    { echo "$name failed:" >&2; tail -5 "$work/log" >&2; exit 1; }
	if ! "$VJ" diff -q "$repo/expected/vrps.csv" "$out" >/dev/null; then
		echo "$name: output is not the expected VRP set" >&2
		tail -5 "$work/log" >&2
		exit 1
	fi
	read -r w u s m <"$work/time"
	echo "$name $w $(awk "BEGIN {print $u + $s}") $m" >>"$work/results"
}
: >"$work/results"
