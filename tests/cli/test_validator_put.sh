#!/usr/bin/env bash
# rpki-validator -output.put: the signed OctoRPKI file uploaded with an
# HTTP PUT to a web server that takes uploads (nginx with WebDAV PUT on
# loopback, http and https), as an operator publishes it to a CDN
# origin:
#   - the uploaded file is byte for byte -output.roa, its signature
#     verifies, and rtrcache polling the server's copy gives a router
#     exactly the expected payloads;
#   - the headers file is sent (nginx refuses the upload without its
#     Authorization line) and never appears in a message;
#   - https with -output.put.cacert;
#   - a refused upload (401, 403, a server that is not there) fails the
#     run (exit 1) with the URL and the status, and leaves the previous
#     -output.roa in place;
#   - flags: a URL that is not http(s), a malformed headers file.
# nginx runs in the foreground as one process started here and is
# stopped by its PID.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/validator_lib.sh"
NGINX=${NGINX:-/usr/sbin/nginx}
if ! [ -x "$NGINX" ]; then
	not_ok "$NGINX not there"
	finish
	exit
fi

R=$WORK/repo
"$GEN_BIN" -q -keys "$KEYS" -o "$R" -seed 23 -tas 2 -cas 8 -roas 60

# The web server: /up/ takes PUTs with the right Authorization, /open/
# takes any, /ro/ takes none; the same on https.  Reading needs nothing.
N=$WORK/nginx
mkdir -p "$N/www/up" "$N/www/open" "$N/www/ro" "$N/tmp"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -nodes -keyout "$N/key.pem" -out "$N/cert.pem" -days 2 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
start_nginx() {
	port=$((20000 + RANDOM % 20000))
	tport=$((port + 1))
	cat >"$N/nginx.conf" <<EOF
daemon off;
master_process off;
pid "$N/nginx.pid";
error_log "$N/error.log" info;
events { worker_connections 64; }
http {
	access_log "$N/access.log";
	client_body_temp_path "$N/tmp/body";
	proxy_temp_path "$N/tmp/proxy";
	fastcgi_temp_path "$N/tmp/fastcgi";
	uwsgi_temp_path "$N/tmp/uwsgi";
	scgi_temp_path "$N/tmp/scgi";
	client_max_body_size 64m;
	types { application/json json; }
	# An upload to /up/ wants the token; reading needs none.
	map "\$request_method \$http_authorization" \$up_denied {
		default 0;
		"~^PUT " 1;
		"PUT Bearer s3cret-token" 0;
	}
	server {
		listen 127.0.0.1:$port;
		listen 127.0.0.1:$tport ssl;
		ssl_certificate "$N/cert.pem";
		ssl_certificate_key "$N/key.pem";
		root "$N/www";
		location /up/ {
			if (\$up_denied) {
				return 401 "no or wrong token\n";
			}
			dav_methods PUT;
		}
		location /open/ {
			dav_methods PUT;
		}
		location /ro/ {
			limit_except GET { deny all; }
		}
	}
}
EOF
	"$NGINX" -c "$N/nginx.conf" -p "$N" >"$N/stdout" 2>&1 &
	npid=$!
	pids+=("$npid")
	poll 5 curl -s -o /dev/null "http://127.0.0.1:$port/"
}
started=0
for _ in 1 2 3; do
	if start_nginx; then
		started=1
		break
	fi
	kill "$npid" 2>/dev/null
	wait "$npid" 2>/dev/null
done
if [ "$started" -eq 1 ]; then
	ok "nginx with WebDAV PUT on 127.0.0.1:$port (https on $tport)"
else
	not_ok "nginx did not start:"
	sed 's/^/#   /' "$N/error.log" "$N/stdout" 2>/dev/null | tail -5
	finish
	exit
fi

printf '# the token\nAuthorization: Bearer s3cret-token\n\nX-Upload-By: test\n' \
    >"$WORK/headers"
VALIDATE() {	# VALIDATE OUT [flags...]
	local out=$1
	shift
	"$VAL" -mode oneoff -sync=false \
	    -tal.root "$R/tals/ta-0.tal,$R/tals/ta-1.tal" -tal.name ta-0,ta-1 \
	    -cache "$R/rsync" -output.roa "$out" -output.sign.key "$KEY" "$@"
}

# 1. Uploaded over http with the token: the same bytes, verified, and
#    the expected payloads.
expect_rc 0 "upload over http with the headers file" VALIDATE \
    "$WORK/a.json" -output.put "http://127.0.0.1:$port/up/rpki.json" \
    -output.put.headers "$WORK/headers"
expect_grep "$WORK/err" "uploaded [0-9]+ bytes to http://127\.0\.0\.1:$port/up/rpki\.json" \
    "the log says where it went"
expect_rc 0 "the server's copy is byte for byte -output.roa" \
    cmp "$N/www/up/rpki.json" "$WORK/a.json"
expect_rc 0 "its signature verifies" "$V" verify -verify.key "$PUB" \
    "$N/www/up/rpki.json"
expect_rc 0 "it holds exactly the expected payloads" \
    "$V" diff "$R/expected/all.json" "$N/www/up/rpki.json"
if grep -q "s3cret" "$WORK/err" "$WORK/out"; then
	not_ok "the token appears in the output"
else
	ok "the token appears nowhere in the output"
fi

# The CDN half: rtrcache polls the server's copy, a router gets it.
if [ -x "$RTR_BIN_DIR/rtrcache" ] && [ -x "$RTR_BIN_DIR/rtrdump" ]; then
	rport=$((20000 + RANDOM % 20000))
	"$RTR_BIN_DIR/rtrcache" -bind "127.0.0.1:$rport" \
	    -cache "http://127.0.0.1:$port/up/rpki.json" -verify.key "$PUB" \
	    -metrics.addr "" >"$WORK/rtrcache.log" 2>&1 &
	rpid=$!
	pids+=("$rpid")
	poll 10 grep -q "serial 1" "$WORK/rtrcache.log" ||
	    not_ok "rtrcache did not take the uploaded file"
	expect_rc 0 "rtrdump fetches it from rtrcache" "$RTR_BIN_DIR/rtrdump" \
	    -connect "127.0.0.1:$rport" -protocol 2 -file "$WORK/router.json"
	expect_rc 0 "a router receives exactly the expected payloads" \
	    "$V" diff "$R/expected/all.json" "$WORK/router.json"
	kill "$rpid"
	wait "$rpid" 2>/dev/null
else
	not_ok "rtrcache not built"
fi

# 2. https, trusting the server's certificate with -output.put.cacert.
expect_rc 0 "upload over https with -output.put.cacert" VALIDATE \
    "$WORK/b.json" -output.put "https://127.0.0.1:$tport/open/rpki.json" \
    -output.put.cacert "$N/cert.pem"
expect_rc 0 "the https copy is byte for byte -output.roa" \
    cmp "$N/www/open/rpki.json" "$WORK/b.json"
expect_rc 1 "https without the CA: refused" VALIDATE "$WORK/c.json" \
    -output.put "https://127.0.0.1:$tport/open/c.json"
expect_grep "$WORK/err" "https://127\.0\.0\.1:$tport/open/c\.json: PUT failed: .*(certificate|SSL)" \
    "and says the certificate is not trusted"

# 3. Refused uploads fail the run and keep the previous -output.roa.
cp "$WORK/a.json" "$WORK/keep.json"
expect_rc 1 "no token: exit 1" VALIDATE "$WORK/keep.json" \
    -output.put "http://127.0.0.1:$port/up/rpki.json"
expect_grep "$WORK/err" "error ops  http://127\.0\.0\.1:$port/up/rpki\.json: PUT failed: want a 2xx answer, have 401: no or wrong token$" \
    "the URL, the status and the server's answer"
expect_rc 0 "-output.roa is the previous run's, untouched" \
    cmp "$WORK/keep.json" "$WORK/a.json"
expect_rc 1 "a location that takes no PUT: exit 1" VALIDATE "$WORK/d.json" \
    -output.put "http://127.0.0.1:$port/ro/rpki.json"
expect_grep "$WORK/err" "PUT failed: want a 2xx answer, have 403" "403 said"
if [ -e "$WORK/d.json" ]; then
	not_ok "-output.roa written although the upload failed"
else
	ok "no -output.roa written when the upload failed"
fi
dead=$((port + 2))
expect_rc 1 "nobody listening: exit 1" VALIDATE "$WORK/e.json" \
    -output.put "http://127.0.0.1:$dead/x.json" -output.put.timeout 5s
expect_grep "$WORK/err" "http://127\.0\.0\.1:$dead/x\.json: PUT failed: .*(onnect|refused)" \
    "a connection refused is said"

# 4. Flags.
expect_rc 2 "-output.put ftp://...: usage error" VALIDATE "$WORK/f.json" \
    -output.put "ftp://127.0.0.1/x.json"
expect_grep "$WORK/err" "-output.put: want an http:// or https:// URL" "and says why"
printf 'Authorization Bearer no-colon\n' >"$WORK/badheaders"
expect_rc 1 "a headers file line without a colon: exit 1" VALIDATE \
    "$WORK/g.json" -output.put "http://127.0.0.1:$port/open/g.json" \
    -output.put.headers "$WORK/badheaders"
expect_grep "$WORK/err" "-output.put.headers .*badheaders: line 1: want \"Name: value\"" \
    "the file and line are said"
if grep -q "no-colon" "$WORK/err"; then
	not_ok "the bad line's text (maybe a secret) is in the message"
else
	ok "the bad line's text is not repeated"
fi
expect_rc 1 "a missing headers file: exit 1" VALIDATE "$WORK/h.json" \
    -output.put "http://127.0.0.1:$port/open/h.json" \
    -output.put.headers "$WORK/nonexistent"
expect_grep "$WORK/err" "-output.put.headers: .*nonexistent" "and names it"

finish
