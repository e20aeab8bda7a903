#!/usr/bin/env bash
# rpki-validator -mode server with OctoRPKI's HTTP options, over
# loopback with curl:
#   - -http.metrics and -http.info move the metrics and the summary (a
#     path with or without its leading slash, as OctoRPKI takes it); the
#     old paths are then 404;
#   - -cors.origins: a request from a listed Origin gets
#     Access-Control-Allow-Origin (that origin with -cors.creds, and
#     Access-Control-Allow-Credentials), Vary: Origin; another origin,
#     or none, gets no CORS header; an OPTIONS preflight is answered 204;
#     the default "*" answers "*";
#   - -http.cache: the output carries Cache-Control max-age up to its
#     metadata.valid; -http.cache=false: none;
#   - -output.wait, -rrdp.file and -rrdp.mode are accepted (OctoRPKI's
#     command lines); -manifest.use=false, -rrdp.mode 3 and an empty
#     -http.metrics are refused with a message.
# Every daemon is stopped by the PID this script started; every wait is
# bounded.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/validator_lib.sh"
command -v curl >/dev/null || { not_ok "curl not installed"; finish; exit; }

R=$WORK/repo
"$GEN_BIN" -q -keys "$KEYS" -o "$R" -seed 9 -tas 1 -cas 3 -roas 12
OUT=$WORK/outputs
mkdir -p "$OUT"

# serve LOG [flags...] - start the server; its PID in $pid, its port in
# $port once it has finished its first run (0 if it did not in 60 s).
serve() {
	local log=$1 n=600
	shift
	"$VAL" -mode server -sync=false -tal.root "$R/tals/ta-0.tal" \
	    -tal.name ta-0 -cache "$R/rsync" -output.roa "$OUT/rpki.json" \
	    -output.sign.key "$KEY" -refresh 1h -http.addr 127.0.0.1:0 \
	    "$@" >"$log" 2>&1 &
	pid=$!
	pids+=("$pid")
	port=0
	while [ "$n" -gt 0 ]; do
		if grep -q "wrote $OUT/rpki.json" "$log"; then
			port=$(sed -n 's/.*HTTP on [^ ]*, port \([0-9]*\):.*/\1/p' \
			    "$log" | head -1)
			break
		fi
		sleep 0.1
		n=$((n - 1))
	done
}

# req PATH [curl flags...] - the status; headers in $WORK/hdrs (names in
# lower case), body in $WORK/body.
req() {
	local path=$1
	shift
	curl -s -m 10 -D "$WORK/hdrs.raw" -o "$WORK/body" -w '%{http_code}' \
	    "$@" "http://127.0.0.1:$port$path"
	tr -d '\r' <"$WORK/hdrs.raw" |
	    awk -F': ' 'NF > 1 { print tolower($1) ": " $2 }' >"$WORK/hdrs"
}

# hdr NAME - the value of header NAME (lower case) of the last req.
hdr() {
	sed -n "s/^$1: //p" "$WORK/hdrs" | head -1
}

stop() {
	kill "$pid"
	wait "$pid" 2>/dev/null
}

# 1. Moved paths, listed origins with credentials, Cache-Control.
serve "$WORK/log1" -http.metrics /m -http.info info \
    -cors.origins 'https://a.example,https://B.example' -cors.creds \
    -output.wait=false
if [ "$port" = 0 ]; then
	not_ok "the server did not finish its first run"
	sed 's/^/#   /' "$WORK/log1" | tail -5
	finish
	exit
fi
ok "the server runs with -output.wait=false"
expect_grep "$WORK/log1" "HTTP on .*/output.json, /m, /healthz, info" \
    "the log names the paths"
expect_eq "$(req /m)" 200 "-http.metrics /m: the metrics there"
expect_grep "$WORK/body" '^rpki_validator_runs_total\{result="ok"\} 1$' \
    "and they count the run"
expect_eq "$(req /metrics)" 404 "/metrics is not served then"
expect_eq "$(req /info)" 200 "-http.info info: the summary at /info"
expect_grep "$WORK/body" '"vrps":' "it is the run summary"
expect_eq "$(req /infos)" 404 "/infos is not served then"

expect_eq "$(req /output.json -H 'Origin: https://b.example')" 200 \
    "the output, from a listed origin"
expect_eq "$(hdr access-control-allow-origin)" "https://b.example" \
    "that origin is allowed (any case of it)"
expect_eq "$(hdr access-control-allow-credentials)" true \
    "with credentials (-cors.creds)"
expect_eq "$(hdr vary)" Origin "Vary: Origin"
age=$(hdr cache-control | sed -n 's/^max-age=\([0-9]*\)$/\1/p')
valid=$(sed -n 's/^[[:space:]]*"valid": *\([0-9]*\).*/\1/p' "$OUT/rpki.json" | head -1)
now=$(date +%s)
if [ -n "$age" ] && [ "$age" -gt 0 ] && [ "$age" -le $((valid - now + 1)) ] &&
    [ "$age" -ge $((valid - now - 5)) ]; then
	ok "Cache-Control max-age $age: up to metadata.valid"
else
	not_ok "Cache-Control: want max-age=about $((valid - now)), have" \
	    "'$(hdr cache-control)'"
fi
etag=$(hdr etag)
expect_eq "$(req /output.json -H "If-None-Match: $etag")" 304 \
    "the ETag still gives a 304"

expect_eq "$(req /output.json -H 'Origin: https://evil.example')" 200 \
    "the output, from another origin"
expect_eq "$(hdr access-control-allow-origin)" "" "no CORS header for it"
expect_eq "$(req /output.json)" 200 "the output, no Origin"
expect_eq "$(hdr access-control-allow-origin)" "" "no CORS header"

expect_eq "$(req /output.json -X OPTIONS -H 'Origin: https://a.example' \
    -H 'Access-Control-Request-Method: GET')" 204 "a preflight: 204"
expect_eq "$(hdr access-control-allow-origin)" "https://a.example" \
    "the preflight allows the origin"
expect_eq "$(hdr access-control-allow-methods)" "GET, HEAD" \
    "and names the methods"
expect_eq "$(req /output.json -X POST)" 405 "POST is refused"
stop

# 2. The defaults: any origin, "*"; -http.cache=false: no Cache-Control.
serve "$WORK/log2" -http.cache=false
if [ "$port" = 0 ]; then
	not_ok "the second server did not finish its first run"
else
	expect_eq "$(req /output.json -H 'Origin: https://c.example')" 200 \
	    "the output, default CORS"
	expect_eq "$(hdr access-control-allow-origin)" "*" \
	    "-cors.origins * without credentials: *"
	expect_eq "$(hdr access-control-allow-credentials)" "" \
	    "no credentials"
	expect_eq "$(hdr cache-control)" "" "-http.cache=false: no Cache-Control"
	expect_eq "$(req /metrics)" 200 "/metrics by default"
	expect_eq "$(req /infos)" 200 "/infos by default"
	stop
fi

# 3. Refused options.
expect_rc 2 "-manifest.use=false is refused" "$VAL" -mode oneoff \
    -sync=false -manifest.use=false -tal.root "$R/tals/ta-0.tal" \
    -cache "$R/rsync" -output.roa "$OUT/x.json" -output.sign=false
expect_grep "$WORK/err" "manifest.use=false: not supported" "and says why"
expect_rc 0 "OctoRPKI's -rrdp.file, -rrdp.mode and -output.wait are taken" \
    "$VAL" -mode oneoff -sync=false -rrdp.file "$WORK/rrdp.json" \
    -rrdp.mode 2 -output.wait -tal.root "$R/tals/ta-0.tal" -tal.name ta-0 \
    -cache "$R/rsync" -output.roa "$OUT/y.json" -output.sign=false
expect_eq "$(ls "$WORK/rrdp.json" 2>/dev/null)" "" "-rrdp.file is not written"
expect_rc 2 "-rrdp.mode 3 is refused" "$VAL" -mode oneoff -rrdp.mode 3 \
    -tal.root "$R/tals/ta-0.tal" -cache "$R/rsync"
expect_grep "$WORK/err" "rrdp.mode: want 0, 1 or 2" "and says why"
expect_rc 2 "an empty -http.metrics is refused" "$VAL" -mode server \
    -http.metrics "" -tal.root "$R/tals/ta-0.tal" -cache "$R/rsync"
expect_grep "$WORK/err" "http.metrics and -http.info: want a path" \
    "and says why"

finish
