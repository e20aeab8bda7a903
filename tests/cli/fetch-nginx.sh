#!/usr/bin/env bash
# fetch-nginx.sh DIR PORT TLSPORT - the web server of tests/unit/test_fetch.c.
#
# Serves DIR/www on 127.0.0.1:PORT (http) and 127.0.0.1:TLSPORT (https, a
# self-signed certificate for IP 127.0.0.1 in DIR/cert.pem).  nginx runs in
# the foreground as a single process (no daemon, no master), and this
# script execs it, so the caller's child PID is nginx's own and one kill
# stops everything.  Logs go to DIR/error.log and DIR/access.log; the
# access log records the request headers the tests check.
#
#   /NAME        a file of DIR/www, with nginx's ETag and Last-Modified
#   /gz/NAME     a file of DIR/www/gz, gzip-compressed on the fly
#   /bomb.json   50 MiB of zeros as a ~50 kB gzip body (gzip_static)
#   /redirect    302 to /vrps.json
#   /loop        302 to itself, for ever
#
# Usable by hand too: fetch-nginx.sh /tmp/x 8080 8443, then curl.
set -eu
if [ $# -ne 3 ]; then
	echo "usage: $0 DIR PORT TLSPORT" >&2
	exit 2
fi
dir=$1 port=$2 tlsport=$3
nginx=${NGINX:-/usr/sbin/nginx}

mkdir -p "$dir/www/gz" "$dir/tmp"
if [ ! -e "$dir/cert.pem" ]; then
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -keyout "$dir/key.pem" -out "$dir/cert.pem" -days 2 \
	    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	    2>/dev/null
fi
if [ ! -e "$dir/www/bomb.json.gz" ]; then
	head -c 52428800 /dev/zero | gzip -9 >"$dir/www/bomb.json.gz"
fi

cat >"$dir/nginx.conf" <<EOF
error_log "$dir/error.log" info;
events {
	worker_connections 128;
}
http {
	types {
		application/json json;
	}
	default_type application/octet-stream;
	log_format t escape=none '\$request_method \$uri \$status \$body_bytes_sent '
	    'inm="\$http_if_none_match" ims="\$http_if_modified_since" '
	    'ae="\$http_accept_encoding" accept="\$http_accept" '
	    'ua="\$http_user_agent"';
	access_log "$dir/access.log" t;
	client_body_temp_path "$dir/tmp/body";
	proxy_temp_path "$dir/tmp/proxy";
	fastcgi_temp_path "$dir/tmp/fastcgi";
	uwsgi_temp_path "$dir/tmp/uwsgi";
	scgi_temp_path "$dir/tmp/scgi";

	server {
		listen 127.0.0.1:$port;
		root "$dir/www";
		location /gz/ {
			gzip on;
			gzip_types application/json;
			gzip_min_length 0;
		}
		location = /bomb.json {
			gzip_static on;
		}
		location = /redirect {
			return 302 /vrps.json;
		}
		location = /loop {
			return 302 /loop;
		}
	}
	server {
		listen 127.0.0.1:$tlsport ssl;
		ssl_certificate "$dir/cert.pem";
		ssl_certificate_key "$dir/key.pem";
		root "$dir/www";
	}
}
EOF

exec "$nginx" -e "$dir/error.log" -p "$dir/" -c "$dir/nginx.conf" \
    -g "daemon off; master_process off; pid $dir/nginx.pid;"
