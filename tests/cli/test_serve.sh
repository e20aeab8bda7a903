#!/usr/bin/env bash
# tests/repogen/serve.sh: a two-host tree served on loopback as the RPs
# fetch it - rsync modules per host name, RRDP over HTTPS trusted through
# the system store (no -k), a TA certificate at its https URL - then
# stopped with /etc/hosts and the CA store back byte for byte and the
# daemons gone; a start that fails halfway is undone; the drip-fed and
# never-ending snapshots.  When rpki-client and FORT are installed, they
# fetch the TA over HTTPS and the RRDP snapshot through it.
#
# Needs root (ports 873 and 443, /etc/hosts, the CA store): CI runs as
# root; anyone else gets a skip and no checks.  Takes one of the fixed
# loopback addresses 127.10.0.2-3: ctest must not run it beside another
# user of serve.sh (RESOURCE_LOCK).
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "skip: serve.sh needs root (ports 873 and 443, /etc/hosts," \
	    "the system CA store); CI runs as root"
	exit 0
fi

SERVE=$SOURCE_DIR/tests/repogen/serve.sh
R=$WORK/repo
trap '"$SERVE" stop "$R" >/dev/null 2>&1; rm -rf "$WORK"' EXIT
SESSION1=0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3
SESSION2=1b2c3d4e-5f6a-4b7c-9d8e-9fa0b1c2d3e4

# What serve.sh may touch, as one checksum per item.
sysstate() {
	sha256sum /etc/hosts /etc/ssl/certs/ca-certificates.crt | cut -c1-64
	(cd /etc/ssl/certs && for f in *; do
		printf '%s %s\n' "$f" "$(readlink "$f" || true)"
	done) | sha256sum | cut -c1-64
	find /usr/local/share/ca-certificates | LC_ALL=C sort | sha256sum |
	    cut -c1-64
}

sha_upper() {
	sha256sum "$1" | cut -c1-64 | tr a-f A-F
}

# mk_rrdp HOST SESSION FILE... - a serial-1 RRDP set built by hand (an
# independent writer of RFC 8182 files): FILEs are paths under rsync/HOST.
mk_rrdp() {
	local h=$1 s=$2 d="$R/rrdp/$1" f
	shift 2
	mkdir -p "$d/$s/1"
	{
		printf '<snapshot xmlns="http://www.ripe.net/rpki/rrdp" version="1" session_id="%s" serial="1">\n' "$s"
		for f in "$@"; do
			printf '  <publish uri="rsync://%s/%s">%s</publish>\n' \
			    "$h" "$f" "$(base64 -w0 "$R/rsync/$h/$f")"
		done
		echo '</snapshot>'
	} >"$d/$s/1/snapshot.xml"
	{
		printf '<notification xmlns="http://www.ripe.net/rpki/rrdp" version="1" session_id="%s" serial="1">\n' "$s"
		printf '  <snapshot uri="https://%s/rrdp/%s/1/snapshot.xml" hash="%s"/>\n' \
		    "$h" "$s" "$(sha_upper "$d/$s/1/snapshot.xml")"
		echo '</notification>'
	} >"$d/notification.xml"
}

# A TA certificate (RFC 6487 profile, RFC 3779 resources) whose
# repository is rsync://repo-1.test/repo/ with RRDP on repo-1.test, and
# its TAL (RFC 8630: https then rsync URI).
mk_ta() {
	cat >"$WORK/ta.cnf" <<-'EOF'
	[req]
	distinguished_name = dn
	x509_extensions = ta
	prompt = no
	[dn]
	CN = serve.sh test TA
	[ta]
	basicConstraints = critical,CA:TRUE
	keyUsage = critical,keyCertSign,cRLSign
	subjectKeyIdentifier = hash
	subjectInfoAccess = caRepository;URI:rsync://repo-1.test/repo/, rpkiManifest;URI:rsync://repo-1.test/repo/ta.mft, rpkiNotify;URI:https://repo-1.test/rrdp/notification.xml
	certificatePolicies = critical,1.3.6.1.5.5.7.14.2
	sbgp-ipAddrBlock = critical,IPv4:10.0.0.0/8
	sbgp-autonomousSysNum = critical,AS:65000-65010
	EOF
	openssl req -x509 -config "$WORK/ta.cnf" -newkey rsa:2048 -nodes \
	    -keyout "$WORK/ta.key" -days 7 -sha256 -outform DER \
	    -out "$R/rsync/repo-1.test/repo/ta.cer" 2>/dev/null
	{
		echo "https://repo-1.test/repo/ta.cer"
		echo "rsync://repo-1.test/repo/ta.cer"
		echo
		openssl x509 -inform DER -in "$R/rsync/repo-1.test/repo/ta.cer" \
		    -noout -pubkey | grep -v -- -----
	} >"$WORK/test.tal"
}

# The tree: the same module name "repo" on both hosts, another module on
# one; a TA certificate; RRDP for both; a dot file never to be served.
mkdir -p "$R/rsync/repo-1.test/repo/sub" "$R/rsync/repo-2.test/repo" \
    "$R/rsync/repo-2.test/other"
mk_ta
echo "not a manifest" >"$R/rsync/repo-1.test/repo/ta.mft"
head -c 12000 /dev/urandom >"$R/rsync/repo-1.test/repo/sub/big.roa"
echo "repo-2's CRL" >"$R/rsync/repo-2.test/repo/b.crl"
echo "repo-2's manifest" >"$R/rsync/repo-2.test/other/c.mft"
mk_rrdp repo-1.test "$SESSION1" repo/ta.cer repo/ta.mft repo/sub/big.roa
mk_rrdp repo-2.test "$SESSION2" repo/b.crl other/c.mft
echo secret >"$R/rrdp/repo-1.test/.state"

before=$(sysstate)

# 1. Serve, fetch over rsync and HTTPS as an RP would.
expect_rc 0 "start" "$SERVE" start "$R"
expect_grep "$WORK/out" '^repo-1\.test 127\.10\.0\.2 ' "repo-1.test on 127.10.0.2"
expect_eq "$(getent hosts repo-2.test | awk '{print $1}')" 127.10.0.3 \
    "repo-2.test resolves to its own address"

expect_rc 0 "rsync lists the modules of repo-1.test" \
    timeout 20 rsync --list-only rsync://repo-1.test/
expect_eq "$(awk '{print $1}' "$WORK/out" | tr '\n' ' ')" "repo " \
    "repo-1.test has module repo only"
expect_rc 0 "rsync lists the modules of repo-2.test" \
    timeout 20 rsync --list-only rsync://repo-2.test/
expect_eq "$(awk '{print $1}' "$WORK/out" | tr '\n' ' ')" "other repo " \
    "repo-2.test has its own modules, one of the same name"
expect_rc 0 "rsync --list-only rsync://repo-1.test/repo/" \
    timeout 20 rsync -r --list-only rsync://repo-1.test/repo/
expect_grep "$WORK/out" ' sub/big\.roa$' "the listing has sub/big.roa"
expect_rc 0 "rsync fetches rsync://repo-1.test/repo/" \
    timeout 20 rsync -rt rsync://repo-1.test/repo/ "$WORK/got1/"
expect_rc 0 "exactly the tree" diff -r "$R/rsync/repo-1.test/repo" "$WORK/got1"
expect_rc 0 "rsync fetches rsync://repo-2.test/repo/" \
    timeout 20 rsync -rt rsync://repo-2.test/repo/ "$WORK/got2/"
expect_rc 0 "repo-2's module repo, not repo-1's" \
    diff -r "$R/rsync/repo-2.test/repo" "$WORK/got2"

N1=https://repo-1.test/rrdp/notification.xml
expect_rc 0 "curl $N1 without -k (system trust)" \
    curl -sS --fail --max-time 10 -o "$WORK/n1.xml" "$N1"
expect_rc 0 "the notification as written" \
    cmp "$WORK/n1.xml" "$R/rrdp/repo-1.test/notification.xml"
snap=$(sed -n 's/.*<snapshot uri="\([^"]*\)" hash="\([0-9A-F]*\)".*/\1/p' "$WORK/n1.xml")
hash=$(sed -n 's/.*<snapshot uri="[^"]*" hash="\([0-9A-F]*\)".*/\1/p' "$WORK/n1.xml")
expect_rc 0 "the snapshot it lists" \
    curl -sS --fail --max-time 10 -o "$WORK/s1.xml" "$snap"
expect_eq "$(sha_upper "$WORK/s1.xml")" "$hash" "the snapshot has the listed hash"
expect_rc 0 "the TA at its TAL https URI" curl -sS --fail --max-time 10 \
    -o "$WORK/ta.cer" https://repo-1.test/repo/ta.cer
expect_rc 0 "the TA as written" cmp "$WORK/ta.cer" "$R/rsync/repo-1.test/repo/ta.cer"
expect_rc 0 "repo-2.test over HTTPS" curl -sS --fail --max-time 10 \
    -o "$WORK/c.mft" https://repo-2.test/other/c.mft
expect_rc 0 "repo-2's file" cmp "$WORK/c.mft" "$R/rsync/repo-2.test/other/c.mft"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
    https://repo-1.test/rrdp/.state)" 404 "dot files are not served"
expect_rc 60 "a host's address does not vouch for another name" \
    curl -sS --max-time 10 -o /dev/null \
    --resolve repo-1.test:443:127.10.0.3 https://repo-1.test/repo/ta.cer
expect_rc 0 "status: everything running" "$SERVE" status "$R"

# 2. Real RPs fetch the TA over HTTPS and the RRDP snapshot (the
# manifest is junk: only the transport is under test here).
if command -v rpki-client >/dev/null; then
	# It drops privileges to _rpki-client, which must reach its dirs.
	chmod 711 "$WORK"
	mkdir -p "$WORK/rc/cache" "$WORK/rc/out"
	chown -R _rpki-client "$WORK/rc" 2>/dev/null || true
	timeout 120 rpki-client -v -t "$WORK/test.tal" -d "$WORK/rc/cache" \
	    "$WORK/rc/out" >"$WORK/rc.log" 2>&1 || true
	expect_grep "$WORK/rc.log" "ta/test: loaded from network" \
	    "rpki-client fetched the TA over HTTPS"
	expect_grep "$WORK/rc.log" "$N1: downloading snapshot" \
	    "rpki-client downloaded the RRDP snapshot"
	expect_grep "$WORK/rc.log" "$N1: loaded from network" \
	    "rpki-client loaded it, no fallback to rsync"
else
	not_ok "rpki-client is not installed (scripts/install-deps.sh)"
fi
if command -v fort >/dev/null; then
	mkdir -p "$WORK/fort"
	timeout 120 fort --mode=standalone --tal "$WORK/test.tal" \
	    --local-repository "$WORK/fort" --output.roa "$WORK/fort.csv" \
	    --log.level=debug --validation-log.enabled \
	    --validation-log.level=debug >"$WORK/fort.log" 2>&1 || true
	expect_grep "$WORK/fort.log" "Processing snapshot 'https://repo-1.test/rrdp/$SESSION1/1/snapshot.xml'" \
	    "FORT downloaded the RRDP snapshot"
	if grep -q "trying to fetch data now from 'rsync" "$WORK/fort.log"; then
		not_ok "FORT fell back to rsync"
	else
		ok "FORT took the snapshot, no fallback to rsync"
	fi
else
	not_ok "FORT is not installed (scripts/install-deps.sh)"
fi

# still_running PID - the process exists and is not a zombie.  A process
# reaped between two looks counts as gone.
still_running() {
	local st
	st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# 3. Stop: everything undone, the daemons gone; stop twice is harmless.
pids=$(awk '$1 == "pid" {print $3}' "$R/.serve/state")
expect_eq "$(echo "$pids" | wc -w)" 3 "three daemons were recorded"
expect_rc 0 "stop" "$SERVE" stop "$R"
gone=yes
for p in $pids; do
	still_running "$p" && gone="no ($p)"
done
expect_eq "$gone" yes "the daemons are gone"
expect_eq "$(sysstate)" "$before" "/etc/hosts and the CA store as they were"
expect_rc 2 "repo-1.test no longer resolves" getent hosts repo-1.test
expect_rc 0 "stop again" "$SERVE" stop "$R"
expect_rc 3 "status: not serving" "$SERVE" status "$R"
expect_eq "$(sysstate)" "$before" "still as they were"

# 3b. DIR removed while served (its daemons killed as in a crash): stop
# still takes out the /etc/hosts block and the CA that name it.
rm -rf "$R/.serve"
expect_rc 0 "start again" "$SERVE" start "$R"
pids=$(awk '$1 == "pid" {print $3}' "$R/.serve/state")
for p in $pids; do
	kill -KILL "$p" 2>/dev/null || true
done
mv "$R" "$WORK/moved"
expect_rc 0 "stop a directory that is gone" "$SERVE" stop "$R"
expect_eq "$(sysstate)" "$before" "/etc/hosts and the CA store as they were"
mv "$WORK/moved" "$R"

# 4. A start that fails halfway (nginx exits at once) undoes itself.
rm -rf "$R/.serve"
expect_rc 1 "start with a broken nginx fails" env SERVE_NGINX=/bin/false \
    "$SERVE" start "$R"
expect_grep "$WORK/err" "start failed; undoing" "and says it undoes"
gone=yes
for p in $(awk '$1 == "pid" {print $3}' "$R/.serve/state.stopped"); do
	still_running "$p" && gone="no ($p)"
done
expect_eq "$gone" yes "the rsync daemons it started are gone"
expect_eq "$(sysstate)" "$before" "/etc/hosts and the CA store as they were"

# 5. Faults: repo-1's snapshot drip-fed, repo-2's never ends.
rm -rf "$R/.serve"
expect_rc 0 "start -drip repo-1.test=3000 -endless repo-2.test" "$SERVE" \
    start "$R" -drip repo-1.test=3000 -endless repo-2.test
t0=$(date +%s)
expect_rc 0 "the drip-fed snapshot arrives" \
    curl -sS --fail --max-time 30 -o "$WORK/s1d.xml" "$snap"
t=$(($(date +%s) - t0))
expect_eq "$(sha_upper "$WORK/s1d.xml")" "$hash" "whole, with the listed hash"
if [ "$t" -ge 3 ]; then
	ok "slowly ($t s for $(wc -c <"$WORK/s1d.xml") bytes at 3000 B/s)"
else
	not_ok "the snapshot came in $t s: not drip-fed"
fi
expect_rc 0 "the notification of repo-1 is not slowed" \
    curl -sS --fail --max-time 2 -o /dev/null "$N1"
E2=https://repo-2.test/rrdp/$SESSION2/1/snapshot.xml
expect_rc 28 "the endless snapshot never ends (curl gives up at 3 s)" \
    curl -sS --max-time 3 -o /dev/null -w '%{size_download}' "$E2"
n=$(cat "$WORK/out")
if [ "$n" -gt 100000 ]; then
	ok "and keeps coming ($n bytes in 3 s)"
else
	not_ok "only $n bytes in 3 s"
fi
curl -sS --max-time 5 "$E2" 2>/dev/null | head -c 1000 >"$WORK/endless.xml" || true
expect_grep "$WORK/endless.xml" "session_id=\"$SESSION2\" serial=\"1\"" \
    "it starts as the snapshot of the notification's session and serial"
expect_rc 0 "repo-2's notification is served normally" curl -sS --fail \
    --max-time 5 -o /dev/null https://repo-2.test/rrdp/notification.xml
pids=$(awk '$1 == "pid" {print $3}' "$R/.serve/state")
expect_eq "$(echo "$pids" | wc -w)" 4 "four daemons (with the endless server)"
expect_rc 0 "stop" "$SERVE" stop "$R"
gone=yes
for p in $pids; do
	still_running "$p" && gone="no ($p)"
done
expect_eq "$gone" yes "the daemons are gone"
expect_eq "$(sysstate)" "$before" "/etc/hosts and the CA store as they were"

finish
