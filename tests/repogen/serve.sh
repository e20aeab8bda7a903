#!/usr/bin/env bash
# serve.sh - serve an rpki-repogen output directory on loopback, as the
# real RPKI repositories are served: rsync on port 873 and RRDP over HTTPS
# on port 443, under the generated host names.  For tests; needs root.
#
#   serve.sh start DIR [-drip HOST=BYTES_PER_SECOND]... [-endless HOST]...
#   serve.sh stop DIR
#   serve.sh status DIR
#
# THE CONTRACT WITH THE GENERATOR (what DIR must look like):
#
#   DIR/rsync/<host>/<module>/<path>   served as rsync://<host>/<module>/<path>
#                                      and as https://<host>/<module>/<path>
#   DIR/rrdp/<host>/<path>             served as https://<host>/rrdp/<path>
#                                      (RRDP: rrdp_publish's https_base is
#                                      "https://<host>/rrdp")
#   DIR/https/<host>/<path>            served as https://<host>/<path>, ahead
#                                      of DIR/rsync/<host>/ (optional: for
#                                      https-only files such as a TA
#                                      certificate at a URL of its own)
#
#   RRDP files are always sent in full (no 304 to If-Modified-Since or
#   If-None-Match): two serials written within one second have the same
#   Last-Modified, and an RP would be told the new notification is the old.
#
#   A TAL's https URI is therefore https://<host>/<module>/<file> for a TA
#   certificate at DIR/rsync/<host>/<module>/<file>, or any path under
#   DIR/https/<host>/.  Names starting with "." are never served over
#   HTTPS (rrdp_publish's .state).
#
#   <host>: letters, digits, "-" and "."; a name under .test (RFC 6761) so
#   it can never be a real one.  <module>: letters, digits, "-", "_", ".";
#   not "rrdp" (that path belongs to RRDP).  DIR itself: an absolute or
#   relative path of letters, digits and "._/+-" (it goes into config
#   files and /etc/hosts comments).
#
# HOW: every host gets its own loopback address, so every host has its own
# rsync daemon (rsync modules are per daemon, not per name: two hosts may
# both have a module "repo") and its own HTTPS server name and certificate.
# Hosts are the directory names under DIR/rsync, DIR/rrdp and DIR/https,
# sorted bytewise; the i-th (from 0) gets 127.10.<i / 250>.<i % 250 + 2>
# (SERVE_NET=127.10 by default).  DIR/.serve/hosts lists "address host".
#
#   /etc/hosts          gets "address host" lines between two marker lines
#                       naming DIR; stop removes exactly those lines.
#   a test CA           made in DIR/.serve/ (ECDSA P-256, 30 days, with a
#                       critical name constraint: it can only vouch for the
#                       served host names), one server certificate per host;
#                       the CA is added to the system store as
#                       /usr/local/share/ca-certificates/rpki-repogen-test.crt
#                       with update-ca-certificates, because rpki-client and
#                       FORT check HTTPS against the system store.
#   rsync --daemon      one per host with rsync modules, --address=<its
#                       address> --port=873 --no-detach, a config per host
#                       in DIR/.serve/rsyncd-<host>.conf.  Modules are the
#                       directories of DIR/rsync/<host>/ at start: restart
#                       after adding a module or a host.
#   nginx               one single-process nginx, a server per host on
#                       <address>:443, config and logs in DIR/.serve/nginx/
#                       (the access log names the Host, Accept-Encoding
#                       and User-Agent of each request).  A file.gz beside
#                       an RRDP file (rrdp_fault_gzip_bomb) is sent instead,
#                       with Content-Encoding: gzip, to clients that accept
#                       gzip (gzip_static); rpki-client 8.2 does not ask.
#
# Cost: one rsync daemon per host (a few MB each): fine for the tens of
# hosts tests use, heavy for hundreds.
#
# Faults, per host (the issue's "drip-fed and never-ending snapshot"):
#   -drip HOST=RATE     HOST's RRDP snapshot files are sent at RATE bytes a
#                       second (nginx limit_rate): complete, but slowly.
#   -endless HOST       HOST's snapshot URL answers with a snapshot element
#                       of the notification's session and serial followed
#                       by white space that never ends, as fast as the RP
#                       reads (a small perl server on 127.0.0.1 behind
#                       nginx): an RP must stop at its size or time limit.
#                       With -drip HOST=RATE as well, it never ends slowly.
#
# Every daemon is started with setsid, its PID recorded in
# DIR/.serve/state before anything waits on it, and stopped by that PID
# (its process group), TERM then KILL after 5 s, only if its command line
# still names DIR/.serve.  Every change to the system is recorded in the
# state file before it is made, so stop undoes a start that failed
# halfway; stop twice is harmless.  One DIR is served at a time.  If DIR
# was deleted while served, "stop DIR" (absolute path) still removes the
# /etc/hosts block and the CA naming it; its daemons are then unknown.
set -eu -o pipefail
umask 022

NET=${SERVE_NET:-127.10}
HOSTS_FILE=/etc/hosts
CA_STORE=/usr/local/share/ca-certificates/rpki-repogen-test.crt
CERTS_DIR=/etc/ssl/certs
CA_LINK=rpki-repogen-test.pem
NGINX=${SERVE_NGINX:-/usr/sbin/nginx}
RSYNC=${SERVE_RSYNC:-rsync}

die() {
	echo "serve.sh: $*" >&2
	exit 1
}

usage() {
	sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# hosts_of DIR - the host names, sorted bytewise, one a line.
hosts_of() {
	local sub
	for sub in rsync rrdp https; do
		[ -d "$1/$sub" ] || continue
		find "$1/$sub" -mindepth 1 -maxdepth 1 -type d -printf '%f\n'
	done | LC_ALL=C sort -u
}

# addr_of INDEX - the loopback address of the INDEX-th host.
addr_of() {
	echo "$NET.$(($1 / 250)).$(($1 % 250 + 2))"
}

# The PID of a live process, or failure (zombies count as gone).
alive() {
	local st
	st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# stop_pid KIND PID - stop what start recorded, if it is still ours.
stop_pid() {
	local kind=$1 pid=$2 i pgid
	alive "$pid" || return 0
	if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null |
	    grep -qF -- "$S/"; then
		echo "serve.sh: pid $pid ($kind) no longer runs from $S;" \
		    "left alone" >&2
		return 0
	fi
	pgid=$(awk '{print $5}' "/proc/$pid/stat" 2>/dev/null || echo 0)
	if [ "$pgid" = "$pid" ]; then
		kill -TERM -- "-$pid" 2>/dev/null || true
	else
		kill -TERM "$pid" 2>/dev/null || true
	fi
	for i in $(seq 50); do
		alive "$pid" || return 0
		sleep 0.1
	done
	echo "serve.sh: $kind (pid $pid) ignored TERM; killing" >&2
	if [ "$pgid" = "$pid" ]; then
		kill -KILL -- "-$pid" 2>/dev/null || true
	else
		kill -KILL "$pid" 2>/dev/null || true
	fi
	for i in $(seq 20); do
		alive "$pid" || return 0
		sleep 0.1
	done
	echo "serve.sh: $kind (pid $pid) still running" >&2
	return 1
}

# record LINE - append to the state file (before the change it records).
record() {
	echo "$*" >>"$S/state"
}

# hosts_remove - take DIR's marked block out of /etc/hosts, in place
# (it may be a bind mount: never renamed).
hosts_remove() {
	local tmp
	grep -qxF "$BEGIN" "$HOSTS_FILE" || return 0
	tmp=$(mktemp)
	awk -v b="$BEGIN" -v e="$END" '
		$0 == b { skip = 1; next }
		skip && $0 == e { skip = 0; next }
		!skip { print }' "$HOSTS_FILE" >"$tmp"
	if grep -qx 'hosts-nonl' "$S/state" 2>/dev/null; then
		# The file had no final newline; start added one.
		truncate -s -1 "$tmp"
	fi
	cat "$tmp" >"$HOSTS_FILE"
	rm -f "$tmp"
}

hosts_add() {
	local i=0 h
	if [ -s "$HOSTS_FILE" ] && [ "$(tail -c 1 "$HOSTS_FILE" | od -An -c |
	    tr -d ' ')" != '\n' ]; then
		record hosts-nonl
		echo >>"$HOSTS_FILE"
	fi
	record hosts-edit
	{
		echo "$BEGIN"
		while read -r a h; do
			echo "$a $h"
		done <"$S/hosts"
		echo "$END"
	} >>"$HOSTS_FILE"
}

# ca_make - the test CA and a certificate per host, in $S/tls.
ca_make() {
	local h nc="" a
	mkdir -p "$S/tls"
	chmod 700 "$S/tls"
	while read -r a h; do
		nc="${nc:+$nc,}permitted;DNS:$h"
	done <"$S/hosts"
	cat >"$S/tls/ca.cnf" <<-EOF
	[req]
	distinguished_name = dn
	x509_extensions = ca
	prompt = no
	[dn]
	CN = rpki-repogen test CA for $DIR
	[ca]
	basicConstraints = critical,CA:TRUE
	keyUsage = critical,keyCertSign,cRLSign
	subjectKeyIdentifier = hash
	nameConstraints = critical,$nc
	[srv]
	basicConstraints = critical,CA:FALSE
	keyUsage = critical,digitalSignature
	extendedKeyUsage = serverAuth
	subjectKeyIdentifier = hash
	authorityKeyIdentifier = keyid
	EOF
	openssl req -x509 -config "$S/tls/ca.cnf" -newkey ec \
	    -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
	    -keyout "$S/tls/ca.key" -out "$S/tls/ca.pem" 2>"$S/tls/log" ||
	    die "cannot make the test CA: $(cat "$S/tls/log")"
	while read -r a h; do
		{ sed -n '/^\[srv\]/,$p' "$S/tls/ca.cnf"
		  echo "subjectAltName = DNS:$h"; } >"$S/tls/$h.ext"
		if ! openssl req -new -newkey ec \
		    -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$h" \
		    -keyout "$S/tls/$h.key" -out "$S/tls/$h.csr" \
		    2>>"$S/tls/log" ||
		    ! openssl x509 -req -in "$S/tls/$h.csr" -CA "$S/tls/ca.pem" \
		    -CAkey "$S/tls/ca.key" -CAcreateserial -days 30 \
		    -extfile "$S/tls/$h.ext" -extensions srv \
		    -out "$S/tls/$h.pem" 2>>"$S/tls/log"; then
			die "cannot make the certificate of $h: $(cat "$S/tls/log")"
		fi
	done <"$S/hosts"
}

ca_install() {
	[ -e "$CA_STORE" ] &&
	    die "$CA_STORE exists: another directory is being served (stop it first)"
	record ca-store
	cp "$S/tls/ca.pem" "$CA_STORE"
	update-ca-certificates >"$S/update-ca.log" 2>&1 ||
	    die "update-ca-certificates failed: $(tail -3 "$S/update-ca.log")"
}

# ca_ours - the CA in the store is this directory's: the one in DIR/.serve,
# or, when that is gone, one whose subject names DIR.
ca_ours() {
	[ -e "$CA_STORE" ] || return 1
	if [ -e "$S/tls/ca.pem" ]; then
		# (a bare "return" in the EXIT trap would return the status
		# from before the trap, not cmp's)
		cmp -s "$CA_STORE" "$S/tls/ca.pem" && return 0
		return 1
	fi
	[ "$(openssl x509 -in "$CA_STORE" -noout -subject -nameopt multiline |
	    sed -n 's/^ *commonName *= //p')" = "rpki-repogen test CA for $DIR" ]
}

ca_remove() {
	if ! ca_ours; then
		[ -e "$CA_STORE" ] && echo "serve.sh: $CA_STORE is not" \
		    "this directory's CA; left alone" >&2
		return 0
	fi
	rm -f "$CA_STORE"
	# update-ca-certificates leaves the links to a removed local CA
	# behind; take out exactly those (the name and its hash links)
	# rather than rebuild every link with --fresh.
	for l in "$CERTS_DIR"/*; do
		[ -L "$l" ] || continue
		case $(readlink "$l") in
		"$CA_LINK" | "$CA_STORE") rm -f "$l" ;;
		esac
	done
	update-ca-certificates >/dev/null 2>&1 ||
	    echo "serve.sh: update-ca-certificates failed" >&2
}

# rsync_conf HOST - write the daemon config; fails if HOST has no module.
rsync_conf() {
	local h=$1 m n=0 conf="$S/rsyncd-$1.conf"
	[ -d "$DIR/rsync/$h" ] || return 1
	{
		echo "use chroot = no"
		echo "uid = $(stat -c %u "$DIR/rsync/$h")"
		echo "gid = $(stat -c %g "$DIR/rsync/$h")"
		echo "read only = yes"
		echo "list = yes"
		echo "timeout = 120"
		echo "max connections = 64"
		echo "lock file = $S/rsyncd-$h.lock"
		echo "log file = $S/rsyncd-$h.log"
		for m in $(find "$DIR/rsync/$h" -mindepth 1 -maxdepth 1 -type d \
		    -printf '%f\n' | LC_ALL=C sort); do
			case $m in
			*[!A-Za-z0-9._-]* | rrdp | .*)
				die "module name $h/$m: want [A-Za-z0-9._-], not rrdp" ;;
			esac
			echo "[$m]"
			echo "	path = $DIR/rsync/$h/$m"
			n=$((n + 1))
		done
	} >"$conf"
	[ "$n" -gt 0 ]
}

# nginx_conf - one server per host.
nginx_conf() {
	local a h rate
	mkdir -p "$S/nginx/tmp"
	{
		cat <<-EOF
		error_log $S/nginx/error.log warn;
		events {
			worker_connections 512;
		}
		http {
			types {
				application/xml xml;
				application/pkix-cert cer;
			}
			default_type application/octet-stream;
			log_format repogen '\$time_iso8601 \$host "\$request" \$status '
			    '\$body_bytes_sent ae="\$http_accept_encoding" '
			    'ua="\$http_user_agent"';
			access_log $S/nginx/access.log repogen;
			client_body_temp_path $S/nginx/tmp/body;
			proxy_temp_path $S/nginx/tmp/proxy;
			fastcgi_temp_path $S/nginx/tmp/fastcgi;
			uwsgi_temp_path $S/nginx/tmp/uwsgi;
			scgi_temp_path $S/nginx/tmp/scgi;
			sendfile on;
			keepalive_timeout 30;
		EOF
		while read -r a h; do
			rate=$(drip_of "$h")
			cat <<-EOF
			server {
				listen $a:443 ssl;
				server_name $h;
				ssl_certificate $S/tls/$h.pem;
				ssl_certificate_key $S/tls/$h.key;
				location ~ /\\. {
					return 404;
				}
				location /rrdp/ {
					alias $DIR/rrdp/$h/;
					gzip_static on;
					if_modified_since off;
					etag off;
			EOF
			if is_endless "$h"; then
				printf '\t\tlocation ~ /snapshot\\.xml$ {\n'
				printf '\t\t\tproxy_pass http://127.0.0.1:%s;\n' \
				    "$(cat "$S/endless.port")"
				printf '\t\t\tproxy_buffering off;\n'
				printf '\t\t\tproxy_read_timeout 1h;\n'
				[ -z "$rate" ] || printf '\t\t\tlimit_rate %s;\n' "$rate"
				printf '\t\t}\n'
			elif [ -n "$rate" ]; then
				printf '\t\tlocation ~ ^/rrdp/(.+/snapshot\\.xml)$ {\n'
				printf '\t\t\talias %s/$1;\n' "$DIR/rrdp/$h"
				printf '\t\t\tlimit_rate %s;\n\t\t}\n' "$rate"
			fi
			cat <<-EOF
				}
				location / {
					root $DIR/https/$h;
					try_files \$uri @rsync;
				}
				location @rsync {
					root $DIR/rsync/$h;
				}
			}
			EOF
		done <"$S/hosts"
		echo "}"
	} >"$S/nginx/nginx.conf"
}

drip_of() {
	local d
	for d in "${DRIP[@]+"${DRIP[@]}"}"; do
		[ "${d%%=*}" = "$1" ] && echo "${d#*=}"
	done
	return 0
}

is_endless() {
	local h
	for h in "${ENDLESS[@]+"${ENDLESS[@]}"}"; do
		[ "$h" = "$1" ] && return 0
	done
	return 1
}

# endless_start - the never-ending snapshot server on 127.0.0.1.
endless_start() {
	cat >"$S/endless.pl" <<-'EOF'
	# A snapshot that never ends: the head of the notification's session
	# and serial (taken from the request path), then white space for ever.
	use strict;
	use IO::Socket::INET;
	my ($portfile) = @ARGV;
	my $srv = IO::Socket::INET->new(LocalAddr => '127.0.0.1',
	    LocalPort => 0, Listen => 32, ReuseAddr => 1) or die "listen: $!";
	open(my $pf, '>', "$portfile.tmp") or die;
	print $pf $srv->sockport, "\n";
	close($pf);
	rename("$portfile.tmp", $portfile) or die;
	$SIG{CHLD} = 'IGNORE';
	while (1) {
		my $c = $srv->accept or next;
		if (fork() == 0) {
			alarm(3600);
			my ($req, $line) = ('', '');
			while (defined($line = <$c>)) {
				$req .= $line;
				last if $line =~ /^\r?\n$/;
			}
			my ($s, $n) = $req =~ m{/([0-9a-f-]{36})/(\d+)/snapshot\.xml};
			$s //= '00000000-0000-4000-8000-000000000000';
			$n //= 1;
			$c->autoflush(1);
			print $c "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\n",
			    "Connection: close\r\n\r\n",
			    "<?xml version=\"1.0\" encoding=\"US-ASCII\"?>\n",
			    "<snapshot xmlns=\"http://www.ripe.net/rpki/rrdp\" ",
			    "version=\"1\" session_id=\"$s\" serial=\"$n\">\n";
			my $pad = (' ' x 1023) . "\n";
			while (print $c $pad) { }
			exit(0);
		}
		close($c);
	}
	EOF
	rm -f "$S/endless.port"
	setsid perl "$S/endless.pl" "$S/endless.port" </dev/null \
	    >>"$S/endless.log" 2>&1 &
	record "pid endless $!"
	for _ in $(seq 50); do
		[ -s "$S/endless.port" ] && return 0
		alive "$!" || break
		sleep 0.1
	done
	die "the endless snapshot server did not start: $(cat "$S/endless.log")"
}

# wait_port ADDR PORT PID NAME - until ADDR:PORT accepts, for 10 s.
wait_port() {
	for _ in $(seq 100); do
		alive "$3" || die "$4 exited: see $S"
		if timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	die "$4 does not listen on $1:$2 after 10 s"
}

cmd_start() {
	local a h pid i=0
	[ "$(id -u)" -eq 0 ] || die "needs root (ports 873 and 443, /etc/hosts, the CA store)"
	for t in "$RSYNC" "$NGINX" openssl update-ca-certificates perl setsid; do
		command -v "$t" >/dev/null || die "$t not found"
	done
	if [ -e "$S/state" ]; then
		die "$S/state exists: already serving (or not stopped): run stop first"
	fi
	grep -q '^# BEGIN rpki-repogen serve.sh' "$HOSTS_FILE" &&
	    die "$HOSTS_FILE already has a block of serve.sh: stop that directory first"
	mkdir -p "$S"
	chmod 700 "$S"
	echo "dir $DIR" >"$S/state"
	STARTED=1
	hosts_of "$DIR" | while read -r h; do
		case $h in
		*[!A-Za-z0-9.-]* | .* | "")
			die "host name '$h': want letters, digits, '-', '.'" ;;
		esac
		if awk -v h="$h" '!/^#/ { for (i = 2; i <= NF; i++)
		    if ($i == h) f = 1 } END { exit !f }' "$HOSTS_FILE"; then
			die "$h is already in $HOSTS_FILE"
		fi
		echo "$(addr_of "$i") $h"
		i=$((i + 1))
	done >"$S/hosts"
	[ -s "$S/hosts" ] || die "no host directories under $DIR/rsync, $DIR/rrdp or $DIR/https"
	for d in "${DRIP[@]+"${DRIP[@]}"}"; do
		grep -q " ${d%%=*}\$" "$S/hosts" || die "-drip: no host ${d%%=*}"
		case ${d#*=} in *[!0-9kKmM]* | "") die "-drip $d: want HOST=RATE" ;; esac
	done
	for h in "${ENDLESS[@]+"${ENDLESS[@]}"}"; do
		grep -q " $h\$" "$S/hosts" || die "-endless: no host $h"
	done

	ca_make
	hosts_add
	ca_install
	while read -r a h; do
		rsync_conf "$h" || continue
		setsid "$RSYNC" --daemon --no-detach --address="$a" --port=873 \
		    --config="$S/rsyncd-$h.conf" </dev/null \
		    >>"$S/rsyncd-$h.out" 2>&1 &
		record "pid rsync $! $a 873 rsync-$h"
	done <"$S/hosts"
	if [ "${#ENDLESS[@]}" -gt 0 ]; then
		endless_start
	fi
	nginx_conf
	setsid "$NGINX" -e "$S/nginx/error.log" -p "$S/nginx/" \
	    -c "$S/nginx/nginx.conf" \
	    -g "daemon off; master_process off; pid $S/nginx/nginx.pid;" \
	    </dev/null >>"$S/nginx/out.log" 2>&1 &
	pid=$!
	record "pid nginx $pid"
	while read -r a h; do
		record "port nginx $pid $a 443 nginx-$h"
	done <"$S/hosts"
	while read -r _ _ pid a port name; do
		wait_port "$a" "$port" "$pid" "$name"
	done < <(grep -E '^(pid rsync|port nginx) ' "$S/state")
	cmd_status
}

cmd_stop() {
	local kind pid rc=0
	if [ -e "$S/state" ]; then
		# Reverse order: nginx, the endless server, the rsync daemons.
		while read -r _ kind pid _; do
			stop_pid "$kind" "$pid" || rc=1
		done < <(grep '^pid ' "$S/state" | tac)
	fi
	hosts_remove
	ca_remove
	if [ -e "$S/state" ]; then
		mv "$S/state" "$S/state.stopped"
	fi
	return $rc
}

cmd_status() {
	local a h kind pid rc=0
	[ -e "$S/state" ] || { echo "not serving $DIR"; return 3; }
	while read -r a h; do
		echo "$h $a https://$h/rrdp/notification.xml"
		for m in $(sed -n 's/^\[\(.*\)\]$/\1/p' "$S/rsyncd-$h.conf" 2>/dev/null); do
			echo "  rsync://$h/$m/"
		done
	done <"$S/hosts"
	while read -r _ kind pid _; do
		if alive "$pid"; then
			echo "$kind pid $pid running"
		else
			echo "$kind pid $pid NOT running"
			rc=1
		fi
	done < <(grep '^pid ' "$S/state")
	return $rc
}

[ $# -ge 2 ] || usage
cmd=$1
DIR=$2
shift 2
case $DIR in
*[!A-Za-z0-9._/+-]*) die "directory '$DIR': want letters, digits and ._/+-" ;;
esac
if [ -d "$DIR" ]; then
	DIR=$(cd "$DIR" && pwd -P)
elif [ "$cmd" = stop ] && [ "${DIR#/}" != "$DIR" ]; then
	# DIR was removed while served: take out the /etc/hosts block and
	# the CA that name it.  Its daemons, if any, are not known any more.
	echo "serve.sh: $DIR is gone: removing what names it; daemons it" \
	    "started, if any still run, must be stopped by hand" >&2
else
	die "$DIR: not a directory"
fi
S=$DIR/.serve
BEGIN="# BEGIN rpki-repogen serve.sh $DIR"
END="# END rpki-repogen serve.sh $DIR"
DRIP=()
ENDLESS=()
while [ $# -gt 0 ]; do
	case $1 in
	-drip) [ $# -ge 2 ] || usage; DRIP+=("$2"); shift 2 ;;
	-endless) [ $# -ge 2 ] || usage; ENDLESS+=("$2"); shift 2 ;;
	*) usage ;;
	esac
done

case $cmd in
start)
	# Any failure from here on undoes what was done.
	STARTED=0
	trap 'rc=$?; if [ $rc -ne 0 ] && [ "$STARTED" = 1 ]; then
		echo "serve.sh: start failed; undoing" >&2
		cmd_stop || true
	fi' EXIT
	cmd_start
	;;
stop) cmd_stop ;;
status) cmd_status ;;
*) usage ;;
esac
