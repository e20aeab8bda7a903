#!/usr/bin/env bash
# rpki-repogen next (issue 4): the following generations of a repository,
# their RRDP deltas, and the RRDP faults; then the acceptance over the
# network: the repository served on loopback (tests/repogen/serve.sh),
# rpki-client 8.2 and FORT 1.5.4 fetching it over HTTPS/RRDP generation
# after generation, through deltas, and through every RRDP fault, each
# time outputting exactly the expected VRPs; and rpki-validator -sync
# each time too, over RRDP: snapshot, then deltas, every RRDP fault
# refused for its cause (the snapshot loaded, or rsync used instead), its
# cache each time exactly the served files; with the RRDP server down,
# everything over rsync; -rrdp=false and -rrdp.failover=false.
#
# Last, the serving faults of serve.sh: a drip-fed and a never-ending
# snapshot.
#
# Part 1 needs nothing but the generator.  Part 2 needs root (serve.sh:
# ports 443 and 873, /etc/hosts, the CA store) and shares those with the
# other users of serve.sh (RESOURCE_LOCK repogen-serve in CMakeLists).
. "$(dirname "$0")/lib.sh"

V="$BIN_DIR/vrpjson"
GEN_BIN="$BIN_DIR/../tests/repogen/rpki-repogen"
KEYS="${XDG_CACHE_HOME:-${HOME:-$WORK}/.cache}/rpki-repogen/rsa2048.pem"
SERVE=$SOURCE_DIR/tests/repogen/serve.sh
NOW=$(date +%s)

if ! [ -x "$GEN_BIN" ]; then
	not_ok "$GEN_BIN not built"
	finish
	exit
fi
GEN() { "$GEN_BIN" -keys "$KEYS" "$@"; }
NEXT() { "$GEN_BIN" next -keys "$KEYS" "$@"; }

# files_of DIR - "path sha256" of every file under DIR, sorted.
files_of() {
	(cd "$1" && find . -type f -printf '%P\n' | LC_ALL=C sort |
	    while read -r f; do echo "$f $(sha256sum <"$f" | cut -c1-64)"; done)
}

# 1. Offline: what "next" changes, and how RRDP says it.
A=$WORK/a
expect_rc 0 "generation 1" GEN -q -o "$A" -seed 11 -tas 2 -cas 24 \
    -roas 300 -hosts 3 -now "$NOW"
cp -a "$A" "$WORK/a1"
expect_rc 0 "next" NEXT -now $((NOW + 3600)) "$A"
expect_grep "$WORK/err" "generation 2: 25 CAs, [0-9]+ ROAs \([0-9]+ VRPs\), [0-9]+ EEs revoked" \
    "summary: generation 2, one CA more"
nrev=$(sed -n 's/.*VRPs), \([0-9]*\) EEs revoked.*/\1/p' "$WORK/err")
expect_grep "$A/repogen.conf" "^generation=2$" "repogen.conf: generation 2"
expect_grep "$A/repogen.conf" "^now.2=$((NOW + 3600))$" "repogen.conf: its time"
expect_grep "$A/repogen.conf" "^now=$NOW$" "repogen.conf: generation 1's time kept"

# Same seed, parameters, key pool and times: the same bytes, RRDP too.
expect_rc 0 "generation 1 again" GEN -q -o "$WORK/b" -seed 11 -tas 2 \
    -cas 24 -roas 300 -hosts 3 -now "$NOW"
expect_rc 0 "next again" NEXT -q -now $((NOW + 3600)) "$WORK/b"
expect_eq "$(files_of "$WORK/b" | sha256sum)" "$(files_of "$A" | sha256sum)" \
    "next is deterministic, byte for byte"

# Unchanged objects keep their bytes; manifests and CRLs are reissued.
files_of "$WORK/a1/rsync" >"$WORK/f1"
files_of "$A/rsync" >"$WORK/f2"
join -j1 <(awk '{print $1, $2}' "$WORK/f1") <(awk '{print $1, $2}' "$WORK/f2") |
    awk '$2 != $3 {print $1}' >"$WORK/changed"
ncas1=$(grep -c '\.mft ' "$WORK/f1")
expect_eq "$(grep -c '\.mft$' "$WORK/changed")" "$ncas1" "every manifest reissued"
expect_eq "$(grep -c '\.crl$' "$WORK/changed")" "$ncas1" "every CRL reissued"
nother=$(grep -vc '\.\(mft\|crl\)$' "$WORK/changed")
if [ "$nother" -ge 1 ] && [ "$nother" -le 10 ]; then
	ok "a few other objects changed ($nother), the rest kept their bytes"
else
	not_ok "$nother objects other than manifests and CRLs changed"
fi
nremoved=$(join -v1 -j1 <(awk '{print $1}' "$WORK/f1") <(awk '{print $1}' "$WORK/f2") | wc -l)
nadded=$(join -v2 -j1 <(awk '{print $1}' "$WORK/f1") <(awk '{print $1}' "$WORK/f2") | wc -l)
if [ "$nremoved" -ge 1 ] && [ "$nadded" -ge 5 ]; then
	ok "ROAs removed ($nremoved), objects added ($nadded: ROAs, a CA)"
else
	not_ok "removed $nremoved, added $nadded"
fi
newca=$(cd "$A/rsync" && find . -mindepth 3 -maxdepth 3 -type d -name 'ca-*' |
    LC_ALL=C sort >"$WORK/d2"; cd "$WORK/a1/rsync" && find . -mindepth 3 \
    -maxdepth 3 -type d -name 'ca-*' | LC_ALL=C sort | comm -13 - "$WORK/d2")
expect_eq "$(basename "$newca")" "ca-20" "the new CA ca-20 has a publication point"
if [ -n "$newca" ] && [ -s "$A/rsync/$newca/ca-20.mft" ] &&
    ls "$A/rsync/$newca/"*.roa >/dev/null 2>&1; then
	ok "with a manifest and ROAs"
else
	not_ok "ca-20 has no manifest or no ROAs"
fi

# The CRLs list exactly the revoked EEs (removed, changed, revoked ROAs).
n=0
for c in $(find "$A/rsync" -name '*.crl'); do
	k=$(openssl crl -inform DER -in "$c" -noout -text | grep -c 'Serial Number:')
	n=$((n + k))
done
expect_eq "$n" "$nrev" "the CRLs hold the $nrev revoked EE serials"
expect_rc 1 "the expected output changed" "$V" diff -q \
    "$WORK/a1/expected/all.json" "$A/expected/all.json"
expect_grep "$WORK/out" "VRPs \+[1-9][0-9]* -[1-9][0-9]*" \
    "VRPs both announced and withdrawn"

# RRDP: serial 2 of the same session; the delta holds exactly what
# changed in the host's tree, with the hashes of the files it replaces.
for h in repo-1.test repo-2.test rpki.ta-0.test; do
	n1=$A/rrdp/$h/notification.xml
	s1=$(sed -n 's/.*session_id="\([^"]*\)".*/\1/p' "$WORK/a1/rrdp/$h/notification.xml" | head -1)
	expect_grep "$n1" "session_id=\"$s1\" serial=\"2\"" "$h: same session, serial 2"
	d=$(sed -n 's/.*<delta serial="2" uri="https:\/\/[^/]*\/rrdp\/\([^"]*\)" hash="\([0-9A-F]*\)".*/\1 \2/p' "$n1")
	df=$A/rrdp/$h/${d% *}
	if [ -n "$d" ] && [ -f "$df" ] &&
	    [ "$(sha256sum <"$df" | cut -c1-64 | tr a-f A-F)" = "${d#* }" ]; then
		ok "$h: delta 2 listed with its hash"
	else
		not_ok "$h: no delta 2, or a wrong hash ($d)"
		continue
	fi
	# What the delta says, against what the trees say.
	grep -o '<\(publish\|withdraw\) uri="[^"]*"\( hash="[0-9A-F]*"\)\?' "$df" |
	    sed 's/^<\([a-z]*\) uri="rsync:\/\/[^/]*\/\([^"]*\)"\( hash="\([0-9A-F]*\)"\)\?/\1 \2 \4/' |
	    LC_ALL=C sort >"$WORK/delta"
	{
		files_of "$WORK/a1/rsync/$h" >"$WORK/h1"
		files_of "$A/rsync/$h" >"$WORK/h2"
		join -a1 -a2 -e NONE -o 0,1.2,2.2 "$WORK/h1" "$WORK/h2" |
		    while read -r f old new; do
			old=$(echo "$old" | tr a-f A-F)
			if [ "$new" = NONE ]; then
				echo "withdraw $f $old"
			elif [ "$old" = NONE ]; then
				echo "publish $f "
			elif [ "$old" != "$(echo "$new" | tr a-f A-F)" ]; then
				echo "publish $f $old"
			fi
		    done
	} | LC_ALL=C sort >"$WORK/want"
	expect_rc 0 "$h: the delta is exactly the change of the tree" \
	    diff "$WORK/want" "$WORK/delta"
done

# Mistakes are refused and change nothing.
expect_rc 1 "next on a directory that is not ours" NEXT -q "$WORK/nothing"
expect_grep "$WORK/err" "repogen.conf" "says what is missing"
expect_rc 1 "next -now before the last generation" NEXT -q -now "$NOW" "$A"
expect_rc 2 "an unknown RRDP fault" NEXT -q -faults rrdp-nope "$A"
expect_grep "$WORK/err" "rrdp-delta-hash" "the message lists the faults"
expect_rc 0 "a repository with object faults" GEN -q -o "$WORK/faulty" \
    -seed 3 -cas 8 -roas 16 -faults bad-sig
expect_rc 1 "next refuses it (it would drop the faults)" NEXT -q "$WORK/faulty"
expect_grep "$WORK/err" "made with -faults bad-sig" "and says why"
expect_rc 2 "more RRDP faults than hosts" NEXT -q -faults all "$A"
expect_grep "$A/repogen.conf" "^generation=2$" "still generation 2"
expect_rc 0 "generation 3" NEXT -q -now $((NOW + 7200)) "$A"
expect_rc 0 "vrpjson reads generation 3's expected output" "$V" stats \
    "$A/expected/all.json"

# 2. Served: rpki-client and FORT follow the generations over RRDP.
if [ "$(id -u)" -ne 0 ]; then
	echo "# skipped the served part: serve.sh needs root"
	finish
	exit
fi
R=$WORK/served
spid=
trap '[ -z "$spid" ] || kill "$spid" 2>/dev/null
    "$SERVE" stop "$R" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
chmod 711 "$WORK"
mkdir -p "$WORK/rc/cache" "$WORK/rc/out" "$WORK/deep/a/b/c/fort"
chown -R _rpki-client "$WORK/rc"
FORTREPO=$WORK/deep/a/b/c/fort

rc_net() {	# rpki-client over the network, log in $WORK/rc.log
	timeout 300 rpki-client -v -j -c -t "$R/tals/ta-0.tal" \
	    -t "$R/tals/ta-1.tal" -d "$WORK/rc/cache" "$WORK/rc/out" \
	    >"$WORK/rc.log" 2>&1
}
fort_net() {	# FORT over the network, log in $WORK/fort.log
	timeout 300 fort --mode=standalone --tal "$R/tals" \
	    --local-repository "$FORTREPO" --output.format=json \
	    --output.roa "$WORK/fort.json" --log.level=info \
	    --validation-log.enabled --validation-log.level=warning \
	    >"$WORK/fort.log" 2>&1
}
# rpki-validator -sync, log in $WORK/ours.log, summary in ours-sum.json;
# more flags in OURS_ARGS.  -rrdp.maxsize 64 MB: the endless snapshot
# stops there (the default, 1 GB, would take seconds and a GB of disk).
OURS_ARGS=()
ours_net() {
	local alog=$R/.serve/nginx/access.log n
	n=$(wc -l <"$alog" 2>/dev/null || echo 0)
	timeout -k 10 300 "$VALIDATOR_BIN_DIR/rpki-validator" -mode oneoff -sync \
	    -tal.root "$R/tals/ta-0.tal,$R/tals/ta-1.tal" -tal.name ta-0,ta-1 \
	    -cache "${OURS_CACHE:-$WORK/ours-cache}" \
	    -output.roa "$WORK/ours-octo.json" -rrdp.maxsize 67108864 \
	    -output.sign=false -output.rpki-client "$WORK/ours.json" \
	    -output.summary "$WORK/ours-sum.json" "${OURS_ARGS[@]}" \
	    >"$WORK/ours.log" 2>&1 || return
	# What nginx served it (ua="rpki-validator"), for ours_gets.
	tail -n +$((n + 1)) "$alog" 2>/dev/null |
	    grep 'ua="rpki-validator"' >"$WORK/ours-access.log"
	return 0
}
# ours_gets DESC - rpki-validator's last run asked for each notification
# file exactly once, however many CAs name it and threads want it, and
# offered gzip.
ours_gets() {
	local h bad=""
	for h in $HOSTS; do
		[ "$(grep -c " $h \"GET /rrdp/notification.xml " \
		    "$WORK/ours-access.log")" = 1 ] || bad="$bad $h"
	done
	expect_eq "${bad:-none}" none "$1: each notification file fetched once"
	if grep "GET /rrdp/" "$WORK/ours-access.log" | grep -vq 'ae="[^"]*gzip'; then
		not_ok "$1: an RRDP file fetched without offering gzip"
	else
		ok "$1: RRDP files fetched offering gzip (so a gzip bomb reaches us)"
	fi
}
HOSTS="repo-1.test repo-2.test rpki.ta-0.test rpki.ta-1.test"
# ours_counts WANT DESC - "snapshots deltas failed" of RRDP in the summary
ours_counts() {
	expect_eq "$(jq -r '[.rrdp_snapshots, .rrdp_deltas, .rrdp_failed] |
	    map(tostring) | join(" ")' "$WORK/ours-sum.json")" "$1" "$2"
}
# ours_rsync_modules WANT DESC - the modules rpki-validator took with rsync
ours_rsync_modules() {
	expect_eq "$(sed -n 's/.*fetched \(rsync:[^ ]*\/\) with rsync.*/\1/p' \
	    "$WORK/ours.log" | LC_ALL=C sort | tr '\n' ' ')" "$1" "$2"
}
# ours_cache_served LABEL - the cache holds exactly each host's served
# files (snapshots and deltas wrote, replaced and removed them all), no
# staging left, and nothing written outside the cache.
ours_cache_served() {
	local h bad=""
	for h in $HOSTS; do
		[ "$(files_of "$WORK/ours-cache/$h")" = \
		    "$(files_of "$R/rsync/$h")" ] || bad="$bad $h"
	done
	expect_eq "${bad:-none}" none "$1: rpki-validator's cache holds exactly the served files"
	expect_eq "$(find "$WORK/ours-cache/.rrdp" -name '*.stage' | wc -l)" 0 \
	    "$1: no RRDP staging left"
	expect_eq "$(find "$WORK" -name repogen-dotdot.txt -not -path \
	    "$WORK/deep/*" | wc -l)" 0 "$1: nothing written outside the caches"
}
# check_peers LABEL - both peers' output is the expected one, and ours
# (rpki-validator -sync, which fetches with rsync only).  (Files
# carry their generation's time, not the clock's: with the clock, a
# changed file written in the same second as an RP's copy of the old one
# had the same size and time, and rsync's quick check kept the old one.)
check_peers() {
	expect_rc 0 "$1: rpki-client runs" rc_net
	if ! expect_rc 0 "$1: rpki-client: exactly the expected VRPs, ASPAs, keys" \
	    "$V" diff "$R/expected/all.json" "$WORK/rc/out/json"; then
		sed 's/^/#   /' "$WORK/out" | head -20
		grep -v 'using cache$' "$WORK/rc.log" | sed 's/^/#   /' | head -100
	fi
	expect_rc 0 "$1: FORT runs" fort_net
	expect_rc 0 "$1: FORT: exactly the expected VRPs" \
	    "$V" diff "$R/expected/vrps.csv" "$WORK/fort.json"
	expect_rc 0 "$1: rpki-validator -sync runs" ours_net
	if ! expect_rc 0 "$1: rpki-validator -sync: exactly the expected VRPs, ASPAs, keys" \
	    "$V" diff "$R/expected/all.json" "$WORK/ours.json"; then
		sed 's/^/#   /' "$WORK/out" | head -20
		grep -v ' data ' "$WORK/ours.log" | sed 's/^/#   /' | head -40
	fi
	expect_grep "$WORK/ours.log" "fetched [1-9][0-9]* rsync modules and TA certificates, 0 failed" \
	    "$1: rpki-validator's rsync fetches (TA certificates, fallbacks) all succeeded"
	expect_grep "$WORK/ours.log" "fetched https://rpki\.ta-0\.test/ta/ta-0\.cer over https" \
	    "$1: rpki-validator took the TA certificate from the TAL's first URI, https"
}
N() { echo "https://$1/rrdp/notification.xml"; }

expect_rc 0 "generation 1 (4 hosts)" GEN -q -o "$R" -seed 5 -tas 2 \
    -cas 16 -roas 120 -hosts 2 -now "$NOW"
expect_rc 0 "serve it" "$SERVE" start "$R"
check_peers "generation 1"
expect_grep "$WORK/rc.log" "$(N repo-1.test): downloading snapshot" \
    "rpki-client loaded repo-1.test's snapshot"
for h in $HOSTS; do
	expect_grep "$WORK/ours.log" "$(N $h): snapshot of serial 1 \(no state" \
	    "generation 1: rpki-validator loaded $h's snapshot"
done
ours_counts "4 0 0" "generation 1: 4 RRDP snapshots, no delta, no failure"
ours_gets "generation 1"
ours_rsync_modules "" "generation 1: no module over rsync"
expect_eq "$(ls "$WORK/ours-cache/.rrdp" | wc -l)" 4 \
    "generation 1: a state file per notification"
ours_cache_served "generation 1"
# Server mode: /metrics and /infos count the RRDP fetches of the run
# served (a fresh cache: four snapshots).
"$VALIDATOR_BIN_DIR/rpki-validator" -mode server -sync \
    -tal.root "$R/tals/ta-0.tal,$R/tals/ta-1.tal" -tal.name ta-0,ta-1 \
    -cache "$WORK/srv-cache" -output.roa "$WORK/srv.json" \
    -output.sign=false -http.addr 127.0.0.1:0 -refresh 1h \
    >"$WORK/srv.log" 2>&1 &
spid=$!
for _ in $(seq 600); do
	grep -q "wrote $WORK/srv.json" "$WORK/srv.log" && break
	sleep 0.1
done
port=$(sed -n 's/.*HTTP on [^ ]*, port \([0-9][0-9]*\):.*/\1/p' "$WORK/srv.log" | head -1)
curl -s -m 10 -o "$WORK/metrics" "http://127.0.0.1:${port:-1}/metrics"
curl -s -m 10 -o "$WORK/infos.json" "http://127.0.0.1:${port:-1}/infos"
kill "$spid"
wait "$spid"
spid=
expect_eq "$(for m in fetched snapshots deltas failed; do
	awk -v m="rpki_validator_rrdp_$m" '$1 == m { print $2 }' "$WORK/metrics"
    done | tr '\n' ' ')" "4 4 0 0 " \
    "server mode: /metrics counts 4 RRDP repositories, by snapshot"
expect_eq "$(jq -r '[.rrdp_fetched, .rrdp_snapshots, .rrdp_deltas,
    .rrdp_failed, .rsync_fetched] | map(tostring) | join(" ")' \
    "$WORK/infos.json" 2>&1)" "4 4 0 0 2" \
    "server mode: /infos too, and the 2 TA certificates"
# Per repository: each notification fetched, up, at serial 1, in
# OctoRPKI's metrics and ours, and listed in /infos.
n1=https://repo-1.test/rrdp/notification.xml
expect_eq "$(awk -v k="rrdp_serial{address=\"$n1\"}" '$1 == k { print $2 }' \
    "$WORK/metrics")" 1 "server mode: rrdp_serial{address} (OctoRPKI's)"
expect_eq "$(grep -c '^rpki_validator_repository_up{uri="https://[^"]*/rrdp/notification.xml",type="rrdp"} 1$' \
    "$WORK/metrics")" 4 "server mode: 4 RRDP repositories up"
expect_eq "$(grep -c '^rrdp_errors{' "$WORK/metrics")" 4 \
    "server mode: rrdp_errors for each (OctoRPKI's)"
expect_grep "$WORK/metrics" "^last_fetch\\{address=\"$n1\",type=\"rrdp\"\\} [1-9]" \
    "server mode: last_fetch{address,type} (OctoRPKI's)"
expect_eq "$(jq -r --arg u "$n1" '.repositories[] | select(.uri == $u) |
    [.type, .ok, .serial] | map(tostring) | join(" ")' "$WORK/infos.json" \
    2>&1)" "rrdp true 1" "server mode: /infos lists each repository"
rm -rf "$WORK/srv-cache"
# The same fetches cold, over RRDP and over rsync (-rrdp=false), timed.
ours_cold() { OURS_CACHE=$WORK/cold ours_net; }
rm -rf "$WORK/cold"
t0=$(date +%s%N)
expect_rc 0 "cold, over RRDP: rpki-validator runs" ours_cold
t1=$(date +%s%N)
expect_rc 0 "cold, over RRDP: exactly the expected VRPs" \
    "$V" diff "$R/expected/all.json" "$WORK/ours.json"
rm -rf "$WORK/cold"
OURS_ARGS=(-rrdp=false)
t2=$(date +%s%N)
expect_rc 0 "-rrdp=false: rpki-validator runs" ours_cold
t3=$(date +%s%N)
OURS_ARGS=()
expect_rc 0 "-rrdp=false: exactly the expected VRPs" \
    "$V" diff "$R/expected/all.json" "$WORK/ours.json"
if grep -q "RRDP" "$WORK/ours.log"; then
	not_ok "-rrdp=false: RRDP was used"
else
	ok "-rrdp=false: no RRDP"
fi
ours_rsync_modules "rsync://repo-1.test/repo/ rsync://repo-2.test/repo/ rsync://rpki.ta-0.test/repo/ rsync://rpki.ta-1.test/repo/ " \
    "-rrdp=false: every module over rsync"
echo "# cold fetch and validation: over RRDP $(( (t1 - t0) / 1000000 )) ms," \
    "over rsync (-rrdp=false) $(( (t3 - t2) / 1000000 )) ms"
rm -rf "$WORK/cold"

expect_rc 0 "generation 2" NEXT -q -now $((NOW + 600)) "$R"
check_peers "generation 2"
for h in $HOSTS; do
	expect_grep "$WORK/rc.log" "$(N $h): downloading 1 deltas" \
	    "generation 2: rpki-client took $h's delta"
	expect_grep "$WORK/ours.log" "$(N $h): 1 delta to serial 2: " \
	    "generation 2: rpki-validator applied $h's delta"
done
ours_counts "0 4 0" "generation 2: 4 repositories by deltas"
ours_gets "generation 2"
ours_rsync_modules "" "generation 2: no module over rsync"
ours_cache_served "generation 2"
expect_grep "$WORK/rc.log" "certificate revoked" \
    "rpki-client saw the revoked EE"

# RRDP faults, each on its own host; a correct RP ends with the same
# VRPs, through the snapshot (tests/repogen/rrdp.h says why each).
expect_rc 0 "generation 3 with four RRDP faults" NEXT -q -now $((NOW + 1200)) \
    -faults rrdp-delta-hash,rrdp-delta-element-hash,rrdp-session,rrdp-serial-gap "$R"
expect_eq "$(awk '{print $1, $2}' "$R/expected/rrdp-faults.txt" | tr '\n' ' ')" \
    "rrdp-delta-hash https://repo-1.test/rrdp/notification.xml rrdp-delta-element-hash https://repo-2.test/rrdp/notification.xml rrdp-session https://rpki.ta-0.test/rrdp/notification.xml rrdp-serial-gap https://rpki.ta-1.test/rrdp/notification.xml " \
    "expected/rrdp-faults.txt: each fault on its own host"
check_peers "generation 3, RRDP faults"
expect_grep "$WORK/rc.log" "$(N repo-1.test): delta sync failed, fallback to snapshot" \
    "delta hash: rpki-client refused the delta, took the snapshot"
expect_grep "$WORK/rc.log" "$(N repo-2.test): delta sync failed, fallback to snapshot" \
    "delta element hash: rpki-client refused the delta, took the snapshot"
expect_grep "$WORK/rc.log" "$(N rpki.ta-0.test): downloading snapshot" \
    "new session: rpki-client took the snapshot"
expect_grep "$WORK/rc.log" "$(N rpki.ta-1.test): downloading snapshot" \
    "serial gap: rpki-client took the snapshot"
expect_grep "$WORK/ours.log" "warn  ops  $(N repo-1.test): refused delta 3: https://repo-1\.test/rrdp/[-0-9a-f]*/3/delta\.xml: SHA-256 [0-9A-F]{64}, but the notification lists [0-9A-F]{64}" \
    "delta hash: rpki-validator refused the delta for its SHA-256"
expect_grep "$WORK/ours.log" "$(N repo-1.test): snapshot of serial 3 \(a delta was refused\)" \
    "delta hash: rpki-validator took the snapshot"
expect_grep "$WORK/ours.log" "warn  ops  $(N repo-2.test): refused delta 3: .*<(publish|withdraw)> element [0-9]+ \(uri rsync://repo-2\.test/repo/[^)]*\): hash [0-9A-F]{64} is not the SHA-256 of the cache's copy" \
    "delta element hash: rpki-validator refused the delta for the element's hash"
expect_grep "$WORK/ours.log" "$(N repo-2.test): snapshot of serial 3 \(a delta was refused\)" \
    "delta element hash: rpki-validator took the snapshot"
expect_grep "$WORK/ours.log" "$(N rpki.ta-0.test): snapshot of serial 1 \(new session_id [-0-9a-f]* \(we had [-0-9a-f]*\)\)" \
    "new session: rpki-validator took the snapshot"
expect_grep "$WORK/ours.log" "$(N rpki.ta-1.test): snapshot of serial 4 \(no delta for serial 3 " \
    "serial gap: rpki-validator took the snapshot"
ours_counts "4 0 0" "generation 3: 4 snapshots, no failure"
ours_rsync_modules "" "generation 3: no module over rsync"
ours_cache_served "generation 3"

expect_rc 0 "generation 4, clean" NEXT -q -now $((NOW + 1800)) "$R"
check_peers "generation 4"
for h in $HOSTS; do
	expect_grep "$WORK/rc.log" "$(N $h): downloading 1 deltas" \
	    "generation 4: $h back to deltas"
	expect_grep "$WORK/ours.log" "$(N $h): 1 delta to serial [0-9]+: " \
	    "generation 4: rpki-validator back to deltas for $h"
done
ours_counts "0 4 0" "generation 4: 4 repositories by deltas"
ours_cache_served "generation 4"

# Hostile RRDP: path traversal, entity bomb, gzip bomb.  FORT 1.5.4
# follows the traversal (its local repository is deep in a throwaway
# tree for that); both must end with the expected VRPs, via rsync.
expect_rc 0 "generation 5 with hostile RRDP" NEXT -q -now $((NOW + 2400)) \
    -faults rrdp-dotdot,rrdp-entity-bomb,rrdp-gzip-bomb "$R"
check_peers "generation 5, hostile RRDP"
if find "$WORK" -name repogen-dotdot.txt -path "$WORK/rc/*" | grep -q .; then
	not_ok "rpki-client wrote the traversal file"
else
	ok "rpki-client wrote nothing for the ../ URI"
fi
expect_grep "$WORK/rc.log" "$(N repo-2.test)" "rpki-client met the entity bomb"
if grep "$(N repo-2.test)" "$WORK/rc.log" | grep -q "loaded from network"; then
	not_ok "rpki-client loaded the entity bomb"
else
	ok "rpki-client did not load the entity bomb"
fi
expect_grep "$WORK/ours.log" "warn  ops  $(N repo-1.test): refused delta [0-9]+: .*<publish> element [0-9]+: RFC 8182 section 3\.5\.3\.3: uri: rsync://repo-1\.test/repo/\.\./\.\./\.\./repogen-dotdot\.txt: part \"\.\.\" of the URI is not a plain name" \
    "../: rpki-validator refused the delta, naming the element"
expect_grep "$WORK/ours.log" "error ops  RRDP $(N repo-1.test) failed: snapshot [0-9]+: .*snapshot\.xml: <publish> element [0-9]+: .*repogen-dotdot\.txt: part \"\.\.\" of the URI is not a plain name; falling back to rsync" \
    "../: then the snapshot, and fell back to rsync"
expect_grep "$WORK/ours.log" "error ops  RRDP $(N repo-2.test) failed: a DOCTYPE, refused unread: .* its entities are never expanded; falling back to rsync" \
    "entity bomb: rpki-validator refused it unexpanded, fell back to rsync"
expect_grep "$WORK/ours.log" "error ops  RRDP $(N rpki.ta-0.test) failed: larger than the limit of a notification file \(16777216 bytes\), counted after content decoding; falling back to rsync" \
    "gzip bomb: rpki-validator stopped at its limit, fell back to rsync"
expect_grep "$WORK/ours.log" "$(N rpki.ta-1.test): 1 delta to serial" \
    "generation 5: the clean host still by delta"
ours_counts "0 1 3" "generation 5: 3 RRDP failures, 1 by delta"
ours_rsync_modules "rsync://repo-1.test/repo/ rsync://repo-2.test/repo/ rsync://rpki.ta-0.test/repo/ " \
    "generation 5: the three failed repositories' modules over rsync"
ours_cache_served "generation 5"

# The RRDP server down (nginx stopped by the PID serve.sh recorded): every
# notification fails, the TA certificates come from the TALs' rsync URIs,
# everything else over rsync.
npid=$(awk '$1 == "pid" && $2 == "nginx" { print $3 }' "$R/.serve/state")
if [ -n "$npid" ] && kill "$npid"; then
	for _ in $(seq 50); do
		[ -e "/proc/$npid" ] || break
		sleep 0.1
	done
fi
rm -rf "$WORK/ours-cache"
# check_ours_down LABEL WHAT HOSTS - each of HOSTS' RRDP failure said,
# and WHAT is done instead.
check_ours_down() {
	local h n=0
	expect_rc 0 "$1: rpki-validator runs" ours_net
	for h in $3; do
		expect_grep "$WORK/ours.log" "error ops  RRDP $(N $h) failed: .*(onnect|refused).*; $2" \
		    "$1: $h's RRDP failure said"
		n=$((n + 1))
	done
	expect_grep "$WORK/ours.log" "fetched rsync://rpki\.ta-0\.test/ta/ta-0\.cer with rsync" \
	    "$1: the TA certificate from the TAL's rsync URI"
	ours_counts "0 0 $n" "$1: $n RRDP failures counted"
}
check_ours_down "RRDP server down" "falling back to rsync" "$HOSTS"
expect_rc 0 "RRDP server down: rpki-validator: exactly the expected VRPs" \
    "$V" diff "$R/expected/all.json" "$WORK/ours.json"
ours_rsync_modules "rsync://repo-1.test/repo/ rsync://repo-2.test/repo/ rsync://rpki.ta-0.test/repo/ rsync://rpki.ta-1.test/repo/ " \
    "RRDP server down: every module over rsync"
expect_eq "$(jq .rsync_failed "$WORK/ours-sum.json")" 2 \
    "RRDP server down: no rsync failure, only the TA certificates' https"
rm -rf "$WORK/ours-cache"
# Without failover, the TAs' publication points stay empty: no other CA
# is found, so no other notification is asked for.
OURS_ARGS=(-rrdp.failover=false)
check_ours_down "-rrdp.failover=false" \
    "using what the cache has \(-rrdp.failover=false\)" \
    "rpki.ta-0.test rpki.ta-1.test"
OURS_ARGS=()
ours_rsync_modules "" "-rrdp.failover=false: no module over rsync"
expect_eq "$(jq '.roas | length' "$WORK/ours.json")" 0 \
    "-rrdp.failover=false: an empty cache, so no VRPs"

expect_rc 0 "stop serving" "$SERVE" stop "$R"

# The serving faults: repo-1's snapshot drip-fed at 4 kB/s, repo-2's
# never ending.  Fresh caches, so both peers must take the snapshots:
# each must stop the endless one at its limit and fall back to rsync,
# wait for the slow one or fall back, and end with the expected VRPs.
expect_rc 0 "generation 6, clean" NEXT -q -now $((NOW + 3000)) "$R"
expect_rc 0 "serve with -drip repo-1.test=4000 -endless repo-2.test" \
    "$SERVE" start "$R" -drip repo-1.test=4000 -endless repo-2.test
rm -rf "$WORK/rc" "$FORTREPO" "$WORK/ours-cache"
mkdir -p "$WORK/rc/cache" "$WORK/rc/out" "$FORTREPO"
chown -R _rpki-client "$WORK/rc"
# 5 s for a repository: the drip-fed snapshot (about 230 kB at 4 kB/s)
# takes longer.
OURS_ARGS=(-rrdp.timeout 5s)
check_peers "drip-fed and endless snapshots"
OURS_ARGS=()
expect_grep "$WORK/ours.log" "error ops  RRDP $(N repo-1.test) failed: snapshot [0-9]+: .*: timed out after [0-9]+ s \(-rrdp.timeout, for the whole repository\), [0-9]+ bytes received; falling back to rsync" \
    "drip-fed snapshot: rpki-validator stopped at -rrdp.timeout, took rsync"
expect_grep "$WORK/ours.log" "error ops  RRDP $(N repo-2.test) failed: snapshot [0-9]+: .*: larger than -rrdp.maxsize \(67108864 bytes\)" \
    "endless snapshot: rpki-validator stopped at -rrdp.maxsize, took rsync"
ours_counts "2 0 2" "drip-fed and endless: 2 snapshots, 2 failures"
ours_cache_served "drip-fed and endless snapshots"
expect_grep "$WORK/rc.log" "$(N repo-2.test)" "rpki-client met the endless snapshot"
if grep -q "too much data offered" "$WORK/rc.log" &&
    grep -q "$(N repo-2.test): load from network failed, fallback to rsync" "$WORK/rc.log"; then
	ok "rpki-client stopped the endless snapshot at its limit, took rsync"
else
	not_ok "rpki-client did not stop the endless snapshot and fall back"
	grep -E "repo-[12]\.test" "$WORK/rc.log" | sed 's/^/#   /' | head -20
fi
expect_rc 0 "stop serving again" "$SERVE" stop "$R"
finish
