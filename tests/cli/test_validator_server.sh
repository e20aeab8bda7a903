#!/usr/bin/env bash
# rpki-validator -mode server and its HTTP endpoints (OctoRPKI's
# -http.addr) on a generated repository, over loopback with curl:
#   - before the first run has finished, /output.json, /healthz and
#     /infos answer 503 and say why, while /metrics answers (HTTP is
#     served during a run: the run is held on a FIFO in the cache);
#   - after a run, /output.json is byte for byte the -output.roa file and
#     its signature verifies; /metrics agrees with the run summary;
#     /infos is the summary; /healthz is 200; the ETag gives a 304;
#   - rtrcache polls /output.json (ETag, 304) and a router (rtrdump)
#     gets exactly the expected payloads: the deployment, end to end;
#   - SIGHUP validates again at once, and the data served switches;
#   - a failed run (a TAL gone) keeps the last good output served, and
#     says so in /metrics, /healthz and the log;
#   - SIGTERM and SIGINT stop it, exit 0, within seconds, a run in
#     progress cancelled;
#   - -http.addr "" serves nothing; a bad or busy address is refused.
# Every daemon is stopped by the PID this script started; every wait is
# bounded.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/validator_lib.sh"
for t in curl jq; do
	command -v "$t" >/dev/null || { not_ok "$t not installed"; finish; exit; }
done

R=$WORK/repo
"$GEN_BIN" -q -keys "$KEYS" -o "$R" -seed 7 -tas 2 -cas 8 -roas 60
OUT=$WORK/outputs	# not $WORK/out: expect_rc writes there
mkdir -p "$OUT"

# start LOG [flags...] - start the server in the background; its PID in
# $pid.  The flags come after the defaults, so they override them.
start() {
	local log=$1
	shift
	"$VAL" -mode server -sync=false \
	    -tal.root "$R/tals/ta-0.tal,$R/tals/ta-1.tal" -tal.name ta-0,ta-1 \
	    -cache "$R/rsync" -output.roa "$OUT/rpki.json" \
	    -output.sign.key "$KEY" -output.summary "$OUT/summary.json" \
	    -refresh 1h -http.addr 127.0.0.1:0 -j 2 "$@" >"$log" 2>&1 &
	pid=$!
	pids+=("$pid")
}

# port_of LOG - the port the server says it listens on.
port_of() {
	sed -n 's/.*HTTP on [^ ]*, port \([0-9][0-9]*\):.*/\1/p' "$1" | head -1
}

# get PATH [curl flags...] - GET it; body in $WORK/body, status printed.
get() {
	local path=$1
	shift
	curl -s -m 10 -o "$WORK/body" -w '%{http_code}' "$@" \
	    "http://127.0.0.1:$port$path"
}

# metric SAMPLE - the value of SAMPLE (name with its labels, exactly as
# written) in $WORK/metrics; empty if absent.
metric() {
	awk -v k="$1" '{ v = $NF; sub(/ [^ ]*$/, ""); if ($0 == k) print v }' \
	    "$WORK/metrics"
}

# runs_are OK FAILED - /metrics counts OK good and FAILED failed runs.
runs_are() {
	get /metrics >/dev/null && cp "$WORK/body" "$WORK/metrics" &&
	    [ "$(metric 'rpki_validator_runs_total{result="ok"}')" = "$1" ] &&
	    [ "$(metric 'rpki_validator_runs_total{result="failed"}')" = "$2" ]
}

# expect_metrics_match SUMMARY DESC - every count of the run summary
# JSON is the same in $WORK/metrics, and no other object is counted.
expect_metrics_match() {
	local sum=$1 desc=$2 bad="" k m v t r n want have
	if ! jq -e '.vrps > 0' "$sum" >/dev/null 2>&1; then
		not_ok "$desc: no run summary with VRPs in $sum"
		return
	fi
	for k in vrps:rpki_validator_vrps aspas:rpki_validator_aspas \
	    router_keys:rpki_validator_router_keys \
	    publication_points:rpki_validator_publication_points \
	    publication_points_failed:rpki_validator_publication_points_failed \
	    publication_points_kept:rpki_validator_publication_points_kept \
	    rsync_fetched:rpki_validator_rsync_fetched \
	    rsync_failed:rpki_validator_rsync_failed \
	    rrdp_fetched:rpki_validator_rrdp_fetched \
	    rrdp_snapshots:rpki_validator_rrdp_snapshots \
	    rrdp_deltas:rpki_validator_rrdp_deltas \
	    rrdp_failed:rpki_validator_rrdp_failed; do
		v=$(jq ".${k%%:*}" "$sum")
		m=$(metric "${k#*:}")
		[ "$v" = "$m" ] || bad="$bad ${k#*:}=$m(want $v)"
	done
	while IFS=$'\t' read -r t n; do
		m=$(metric "rpki_validator_objects_valid{type=\"$t\"}")
		[ "$n" = "$m" ] || bad="$bad valid{$t}=$m(want $n)"
	done < <(jq -r '.objects | to_entries[] | [.key, .value.valid] | @tsv' "$sum")
	while IFS=$'\t' read -r t r n; do
		m=$(metric "rpki_validator_objects_invalid{type=\"$t\",reason=\"$r\"}")
		[ "$n" = "$m" ] || bad="$bad invalid{$t,$r}=$m(want $n)"
	done < <(jq -r '.objects | to_entries[] | .key as $t |
	    .value.invalid | to_entries[] | [$t, .key, .value] | @tsv' "$sum")
	want=$(jq '[.objects[].invalid[]] | add // 0' "$sum")
	have=$(awk '/^rpki_validator_objects_invalid\{/ { s += $NF }
	    END { print s + 0 }' "$WORK/metrics")
	[ "$want" = "$have" ] || bad="$bad invalid-total=$have(want $want)"
	[ "$(metric roas)" = "$(jq .vrps "$sum")" ] ||
	    bad="$bad roas=$(metric roas)"
	expect_eq "${bad:-none}" none "$desc"
}

# exited PID - PID (a child of this shell) has exited: it is a zombie
# until waited for, or gone.
exited() {
	local st
	st=$(ps -o stat= -p "$1") || return 0
	[[ $st == Z* ]]
}

# stop_and_expect SIGNAL DESC - send SIGNAL to the server, which must
# exit 0 within 5 s.
stop_and_expect() {
	local sig=$1 desc=$2 rc=0
	kill -"$sig" "$pid"
	if poll 5 exited "$pid"; then
		wait "$pid" || rc=$?
		expect_eq "$rc" 0 "$desc: exit status"
	else
		not_ok "$desc: still running after 5 s"
	fi
}

# 1. The first run, held: ta-1's TA certificate is a FIFO in the cache,
#    so the run blocks opening it until a writer comes (then refuses it:
#    not a regular file).  Meanwhile HTTP answers.
TACER=$R/rsync/rpki.ta-1.test/ta/ta-1.cer
mv "$TACER" "$WORK/ta-1.cer"
mkfifo "$TACER"
start "$WORK/log"
if poll 20 grep -q "validating" "$WORK/log" && port=$(port_of "$WORK/log") &&
    [ -n "$port" ]; then
	ok "server started, HTTP on port $port"
else
	not_ok "server did not start:"
	sed 's/^/#   /' "$WORK/log" | head -10
	finish
	exit
fi
expect_eq "$(get /output.json)" 503 "/output.json before the first run: 503"
expect_grep "$WORK/body" "^no output yet: the first validation run has not finished" \
    "and says why"
expect_eq "$(get /healthz)" 503 "/healthz before the first run: 503"
expect_grep "$WORK/body" "first validation run has not finished" "and says why"
expect_eq "$(get /infos)" 503 "/infos before the first run: 503"
expect_eq "$(get /metrics)" 200 "/metrics answers during the run"
cp "$WORK/body" "$WORK/metrics"
expect_eq "$(metric 'rpki_validator_runs_total{result="ok"}') $(metric 'rpki_validator_runs_total{result="failed"}')" \
    "0 0" "no run counted yet"
expect_eq "$(get /nothing)" 404 "an unknown path: 404"
expect_eq "$(get /metrics -X POST)" 405 "POST: 405"

sleep 30 >"$TACER" &	# a writer: the run goes on
writer=$!
pids+=("$writer")
if poll 20 runs_are 1 0; then
	ok "the first run finishes"
else
	not_ok "the first run did not finish"
fi
kill "$writer" 2>/dev/null
rm -f "$TACER"
mv "$WORK/ta-1.cer" "$TACER"
expect_eq "$(get /output.json)" 200 "/output.json after it: 200"
cp "$WORK/body" "$WORK/served1.json"
expect_rc 0 "exactly the bytes of the -output.roa file" \
    cmp "$WORK/served1.json" "$OUT/rpki.json"
expect_rc 0 "its signature verifies" "$V" verify -verify.key "$PUB" \
    "$WORK/served1.json"
expect_eq "$(jq '.objects.TA.invalid.parse' "$OUT/summary.json")" 1 \
    "the summary counts the FIFO TA invalid"
expect_metrics_match "$OUT/summary.json" \
    "/metrics: every count equals the run summary (one TA invalid)"
expect_eq "$(get /infos)" 200 "/infos: 200"
expect_rc 0 "/infos is the run summary" cmp "$WORK/body" "$OUT/summary.json"
expect_eq "$(get /healthz)" 200 "/healthz: 200"
expect_grep "$WORK/body" "^ok: last good run [0-9]+ s ago, $(jq .vrps "$OUT/summary.json") VRPs$" \
    "/healthz says how old and how many VRPs"

# 2. SIGHUP: a run now, with ta-1 back: the whole expected set, switched.
cp "$OUT/rpki.json" "$WORK/file1.json"
kill -HUP "$pid"
if poll 20 runs_are 2 0; then
	ok "SIGHUP: a second run at once"
else
	not_ok "SIGHUP: no second run"
fi
expect_eq "$(get /output.json)" 200 "/output.json: 200"
cp "$WORK/body" "$WORK/served2.json"
expect_rc 0 "the new -output.roa file, byte for byte" \
    cmp "$WORK/served2.json" "$OUT/rpki.json"
if cmp -s "$WORK/served1.json" "$WORK/served2.json"; then
	not_ok "the data served did not switch to the second run's"
else
	ok "the data served switched to the second run's"
fi
expect_rc 0 "its signature verifies" "$V" verify -verify.key "$PUB" \
    "$WORK/served2.json"
expect_rc 0 "exactly the generator's expected payloads" \
    "$V" diff "$R/expected/all.json" "$WORK/served2.json"
expect_metrics_match "$OUT/summary.json" \
    "/metrics: every count equals the second run's summary"
expect_eq "$(metric 'rpki_validator_objects_valid{type="ROA"}')" 60 \
    "60 valid ROAs counted"
expect_eq "$(get "$OUT/rpki.json")" 200 \
    "also served at /<-output.roa>, as OctoRPKI does"
expect_rc 0 "the same bytes there" cmp "$WORK/body" "$OUT/rpki.json"
etag=$(curl -s -m 10 -D - -o /dev/null "http://127.0.0.1:$port/output.json" |
    sed -n 's/^ETag: *//Ip' | tr -d '\r')
expect_eq "$(get /output.json -H "If-None-Match: $etag")" 304 \
    "If-None-Match with its ETag: 304"
expect_eq "$(get /output.json -H 'If-None-Match: "x"')" 200 \
    "another ETag: 200"

# 2b. The deployment: rtrcache polls /output.json over HTTP, checks the
#     signature, and a router gets exactly the set; its next poll is
#     answered 304 through the ETag (nothing changed).
if [ -x "$RTR_BIN_DIR/rtrcache" ] && [ -x "$RTR_BIN_DIR/rtrdump" ]; then
	rport=$((20000 + RANDOM % 20000))
	mport=$((rport + 1))
	"$RTR_BIN_DIR/rtrcache" -bind "127.0.0.1:$rport" \
	    -cache "http://127.0.0.1:$port/output.json" -verify.key "$PUB" \
	    -metrics.addr "127.0.0.1:$mport" -refresh 1 \
	    >"$WORK/rtrcache.log" 2>&1 &
	rpid=$!
	pids+=("$rpid")
	rc_not_modified() {
		curl -s -m 3 "http://127.0.0.1:$mport/metrics" |
		    awk '$1 == "rtrcache_not_modified_total" { print $2 }'
	}
	rc_polled_304() {
		[ "$(rc_not_modified)" -ge 1 ] 2>/dev/null
	}
	if poll 10 grep -q "serial 1" "$WORK/rtrcache.log"; then
		ok "rtrcache takes the validator's /output.json over HTTP"
	else
		not_ok "rtrcache did not serve the validator's output:"
		sed 's/^/#   /' "$WORK/rtrcache.log" | tail -5
	fi
	expect_rc 0 "rtrdump fetches it from rtrcache over RTR" \
	    "$RTR_BIN_DIR/rtrdump" -connect "127.0.0.1:$rport" -protocol 2 \
	    -file "$WORK/router.json"
	expect_rc 0 "the router receives exactly the generator's expected payloads" \
	    "$V" diff "$R/expected/all.json" "$WORK/router.json"
	if poll 10 rc_polled_304; then
		ok "rtrcache's next poll is answered 304 (rtrcache_not_modified_total $(rc_not_modified))"
	else
		not_ok "rtrcache's polls are not answered 304 (rtrcache_not_modified_total '$(rc_not_modified)')"
	fi
	kill "$rpid"
	wait "$rpid" 2>/dev/null
else
	not_ok "rtrcache not built"
fi

# 3. A failed run: a TAL gone.  The last good output stays served.
mv "$R/tals/ta-1.tal" "$WORK/ta-1.tal"
kill -HUP "$pid"
if poll 20 runs_are 2 1; then
	ok "a run without its TAL fails, and is counted"
else
	not_ok "the failed run is not counted"
fi
expect_eq "$(metric rpki_validator_last_run_success) $(metric state)" "0 0" \
    "/metrics: the last run failed (ours and OctoRPKI's state)"
expect_metrics_match "$OUT/summary.json" \
    "/metrics: the counts are still the good run's"
expect_eq "$(get /output.json)" 200 "/output.json still 200"
expect_rc 0 "still the last good output" cmp "$WORK/body" "$WORK/served2.json"
expect_rc 0 "and the -output.roa file is untouched" \
    cmp "$OUT/rpki.json" "$WORK/served2.json"
expect_eq "$(get /healthz)" 200 "/healthz: 200, the good output is fresh"
expect_grep "$WORK/body" "the last run failed \(.*ta-1\.tal.*\), the last good output is served" \
    "and says the last run failed, and why"
expect_grep "$WORK/log" "error ops  validation run failed \(.*ta-1\.tal: No such file or directory\); still serving the output of the good run of [0-9T:-]+Z" \
    "the log says so too"
mv "$WORK/ta-1.tal" "$R/tals/ta-1.tal"

stop_and_expect TERM "SIGTERM"
expect_grep "$WORK/log" "signal 15: stopping" "the log says it stops"
if curl -s -m 2 -o /dev/null "http://127.0.0.1:$port/healthz"; then
	not_ok "HTTP still answers after the stop"
else
	ok "HTTP is closed after the stop"
fi

# 4. The first run fails (no output directory): 503 says why; SIGINT.
start "$WORK/log2" -output.roa "$WORK/nodir/rpki.json"
if poll 20 grep -q "validation run failed" "$WORK/log2" &&
    port=$(port_of "$WORK/log2") && [ -n "$port" ]; then
	ok "a server whose first run fails stays up"
else
	not_ok "no failed run logged:"
	sed 's/^/#   /' "$WORK/log2" | head -10
fi
expect_eq "$(get /output.json)" 503 "/output.json: 503"
expect_grep "$WORK/body" "^no output yet: no validation run has succeeded; the last failed: .*nodir/rpki\.json" \
    "and says why"
expect_eq "$(get /healthz)" 503 "/healthz: 503"
stop_and_expect INT "SIGINT"

# 5. SIGTERM during a run: the run is cancelled, no output written.
rm -f "$OUT/rpki.json"
mv "$TACER" "$WORK/ta-1.cer"
mkfifo "$TACER"
start "$WORK/log3"
poll 20 grep -q "validating" "$WORK/log3"
kill -TERM "$pid"
sleep 0.2
sleep 30 >"$TACER" &
writer=$!
pids+=("$writer")
stop_and_expect TERM "SIGTERM during a run"
kill "$writer" 2>/dev/null
expect_grep "$WORK/log3" "validation cancelled" "the run was cancelled"
if [ -e "$OUT/rpki.json" ]; then
	not_ok "a cancelled run wrote its output"
else
	ok "a cancelled run writes no output"
fi
rm -f "$TACER"
mv "$WORK/ta-1.cer" "$TACER"

# 6. -http.addr "": no HTTP, the file is still written; flags.
start "$WORK/log4" -http.addr ""
poll 20 grep -q "wrote" "$WORK/log4"
expect_grep "$WORK/log4" "no HTTP endpoints" "-http.addr \"\": says no HTTP"
expect_rc 0 "and writes the file" "$V" verify -verify.key "$PUB" \
    "$OUT/rpki.json"
stop_and_expect TERM "-http.addr \"\": SIGTERM"

start "$WORK/log5"
poll 20 grep -q "wrote" "$WORK/log5"
busy=$(port_of "$WORK/log5")
expect_rc 1 "an address in use: exit 1" "$VAL" -mode server -sync=false \
    -tal.root "$R/tals/ta-0.tal" -tal.name ta-0 -cache "$R/rsync" \
    -output.roa "$WORK/x.json" -output.sign=false \
    -http.addr "127.0.0.1:$busy"
expect_grep "$WORK/err" "-http\.addr 127\.0\.0\.1:$busy: cannot listen" \
    "and says which"
stop_and_expect TERM "the first server: SIGTERM"

expect_rc 2 "a malformed -http.addr: usage error" "$VAL" -mode server \
    -sync=false -http.addr "localhost"
expect_grep "$WORK/err" "-http\.addr: want host:port" "and says what it wants"
expect_rc 2 "a port over 65535: usage error" "$VAL" -mode server \
    -sync=false -http.addr ":70000"
expect_rc 0 "-h" "$VAL" -h
expect_grep "$WORK/out" "^  -http\.addr string" "-h lists -http.addr"
expect_grep "$WORK/out" "\(default \":8081\"\)" "default :8081, OctoRPKI's"
finish
