#!/usr/bin/env bash
# Interoperability with real peers from Debian: StayRTR serves the files
# vrpjson writes and rtrdump dumps what a router would receive, which
# vrpjson must read back without a difference; rpki-client writes a real
# -j/-c output that vrpjson must read.  Only loopback, every step bounded.
#
# What StayRTR 0.5.1 reads (found by experiment, no source at hand):
#   -cache takes a plain path or an http:// URL; "file://..." is taken as
#   a path and fails.  From the JSON: "roas" (asn as number or "AS<n>"),
#   "bgpsec_keys" {asn, ski, pubkey} in every form, and ASPAs only from
#   rpki-client 8's "provider_authorizations": {"ipv4": [..], "ipv6": [..]}
#   (which is why vrpjson's OctoRPKI form writes them that way); an
#   "aspas" array is silently ignored.  With -checktime on it refuses a
#   file whose metadata.generated is older than 24 hours.  Whatever
#   -checktime says, it drops each ROA, ASPA or key whose "expires" is
#   present and in the past (0 included), so the input expires in 2100.
# What rtrdump writes: {"metadata": {"vrps": N}, "roas": [{prefix,
#   maxLength, asn}], "bgpsec_keys": [{asn, pubkey, ski}],
#   "provider_authorizations": {"ipv4": [{customer_asid, providers}],
#   "ipv6": [..]}}: no ta, no expires.
. "$(dirname "$0")/lib.sh"

V="$BIN_DIR/vrpjson"
STAYRTR=$(command -v stayrtr || echo /usr/bin/stayrtr)
RTRDUMP=$(command -v rtrdump || echo /usr/bin/rtrdump)
RPKI_CLIENT=$(command -v rpki-client || echo /usr/sbin/rpki-client)
KEY="$SOURCE_DIR/keys/demo-private.pem"

# One StayRTR runs at a time; sr_pid holds its PID while it runs, and it
# is stopped by that PID alone.
sr_pid=
cleanup() {
	stayrtr_stop
	rm -rf "$WORK"
}
trap cleanup EXIT

# free_port - print a TCP port nobody listens on, from a random base.
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		if [ -z "$(ss -Htln "sport = :$p")" ] && [ -z "$(ss -Htln "sport = :$((p + 1))")" ]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# stayrtr_listens PORT - the StayRTR under sr_pid (timeout's child)
# itself listens on PORT, not some other program that took it first.
stayrtr_listens() {
	local child
	child=$(ps -o pid= --ppid "$sr_pid" | tr -d ' ')
	[ -n "$child" ] && ss -Htlnp "sport = :$1" | grep -q "pid=$child,"
}

# stayrtr_start NAME CACHE [FLAGS...] - start StayRTR on loopback; sets
# sr_pid, sr_port, sr_mport and sr_log.  Returns 0 once the RTR port
# listens and StayRTR has finished its first load (good or bad), 1 if it
# never got there within 20 s.  A port taken meanwhile is retried.
stayrtr_start() {
	local name=$1 cache=$2
	shift 2
	for _ in 1 2 3; do
		sr_port=$(free_port) || return 1
		sr_mport=$((sr_port + 1))
		sr_log="$WORK/stayrtr-$name.log"
		# timeout(1) is the backstop should this script be killed outright.
		timeout 300 "$STAYRTR" -cache "$cache" -bind "127.0.0.1:$sr_port" \
		    -metrics.addr "127.0.0.1:$sr_mport" -refresh 3600 "$@" \
		    >"$sr_log" 2>&1 &
		sr_pid=$!
		for _ in $(seq 100); do
			if ! kill -0 "$sr_pid" 2>/dev/null ||
			    grep -q "level=fatal" "$sr_log"; then
				break
			fi
			if grep -q "Server started" "$sr_log" &&
			    stayrtr_listens "$sr_port" && stayrtr_listens "$sr_mport" &&
			    curl -s --max-time 2 -o "$WORK/metrics.all" "http://127.0.0.1:$sr_mport/metrics"; then
				grep '^rpki_' "$WORK/metrics.all" >"$WORK/metrics"
				return 0
			fi
			sleep 0.2
		done
		stayrtr_stop
		grep -q "address already in use" "$sr_log" || break
	done
	sed 's/^/#   /' "$sr_log" | tail -20
	return 1
}

# stayrtr_stop - stop the StayRTR started last, if it still runs.
stayrtr_stop() {
	if [ -n "$sr_pid" ]; then
		kill "$sr_pid" 2>/dev/null
		wait "$sr_pid" 2>/dev/null
		sr_pid=
	fi
}

# rtrdump_run VERSION OUT - dump what StayRTR serves over RTR VERSION.
rtrdump_run() {
	timeout 20 "$RTRDUMP" -connect "127.0.0.1:$sr_port" -rtr.version "$1" \
	    -file "$2" >"$WORK/rtrdump.log" 2>&1
}

# check_dump FED DUMP DESC KINDS... - vrpjson reads DUMP, and the diff
# against FED is empty for each KIND (VRPs, ASPAs, "router keys").
check_dump() {
	local fed=$1 dump=$2 desc=$3 kind
	shift 3
	expect_rc 0 "$desc: vrpjson reads rtrdump's file" "$V" stats -json "$dump"
	expect_eq "$(jq -r .vrps "$WORK/out")" "$(jq -r .vrps "$WORK/fed-stats.json")" "$desc: all VRPs arrive"
	"$V" diff -q "$fed" "$dump" >"$WORK/diff" 2>&1
	for kind in "$@"; do
		expect_grep "$WORK/diff" "$kind \+0 -0" "$desc: no $kind differ"
	done
}

# 0. The peers are there (scripts/install-deps.sh installs them).
for b in "$STAYRTR" "$RTRDUMP"; do
	if [ -x "$b" ]; then
		ok "$b present"
	else
		not_ok "$b missing: run scripts/install-deps.sh"
		finish
		exit
	fi
done

# 1. The input: IPv4 and IPv6 VRPs under several TAs, one duplicated
#    under two TAs, maxLength above the prefix length, ASN 0 and a 32-bit
#    ASN; three ASPAs; two router keys with real P-256 SubjectPublicKeyInfos
#    whose SKI is the SHA-1 of the key's BIT STRING (RFC 8209 section 3.1.1).
for n in 1 2; do
	openssl ecparam -genkey -name prime256v1 2>/dev/null |
	    openssl ec -pubout -outform DER -out "$WORK/rk$n.der" 2>/dev/null
done
PK1=$(base64 -w0 "$WORK/rk1.der")
PK2=$(base64 -w0 "$WORK/rk2.der")
SKI1=$(tail -c 65 "$WORK/rk1.der" | openssl dgst -sha1 -r | cut -d' ' -f1)
SKI2=$(tail -c 65 "$WORK/rk2.der" | openssl dgst -sha1 -r | cut -d' ' -f1)
expect_eq "${#SKI1}${#SKI2}" 4040 "two router keys generated"
FAR=4102444800
cat >"$WORK/fed.json" <<JSON
{
	"metadata": { "buildmachine": "test", "buildtime": "2024-01-01T00:00:00Z" },
	"roas": [
		{ "asn": 65000, "prefix": "192.0.2.0/24", "maxLength": 24, "ta": "ripe", "expires": $FAR },
		{ "asn": 65000, "prefix": "192.0.2.0/24", "maxLength": 24, "ta": "arin", "expires": $FAR },
		{ "asn": 65001, "prefix": "198.51.100.0/22", "maxLength": 24, "ta": "arin", "expires": $FAR },
		{ "asn": 0, "prefix": "203.0.113.0/24", "maxLength": 32, "ta": "apnic", "expires": $FAR },
		{ "asn": 4200000000, "prefix": "10.0.0.0/8", "maxLength": 8, "ta": "lacnic", "expires": $FAR },
		{ "asn": 65001, "prefix": "2001:db8::/32", "maxLength": 48, "ta": "arin", "expires": $FAR },
		{ "asn": 65002, "prefix": "2001:db8:1000::/36", "maxLength": 36, "ta": "ripe", "expires": $FAR },
		{ "asn": 65003, "prefix": "2a00::/12", "maxLength": 128, "ta": "afrinic", "expires": $FAR }
	],
	"bgpsec_keys": [
		{ "asn": 65010, "ski": "$SKI1", "pubkey": "$PK1", "ta": "ripe", "expires": $FAR },
		{ "asn": 65011, "ski": "$SKI2", "pubkey": "$PK2", "ta": "arin", "expires": $FAR }
	],
	"aspas": [
		{ "customer_asid": 65020, "expires": $FAR, "providers": [65005, 65004] },
		{ "customer_asid": 65021, "expires": $FAR, "providers": [174] },
		{ "customer_asid": 4200000001, "expires": $FAR, "providers": [3356, 1299, 2914] }
	]
}
JSON
expect_rc 0 "the input parses" "$V" stats -json "$WORK/fed.json"
cp "$WORK/out" "$WORK/fed-stats.json"
expect_eq "$(jq -c '[.vrps, .aspas, .router_keys]' "$WORK/fed-stats.json")" "[7,3,2]" "7 VRPs, 3 ASPAs, 2 keys"

# 2. Each JSON form StayRTR reads, through StayRTR and rtrdump.
#    rpki-client8 and octorpki (which writes ASPAs in the same
#    provider_authorizations form) carry everything; in rpki-client's
#    current "aspas" form StayRTR 0.5.1 sees no ASPA, so only VRPs and
#    keys are compared there.
for fmt in rpki-client8 octorpki rpki-client; do
	f="$WORK/fed.$fmt"
	expect_rc 0 "convert to $fmt" "$V" convert -format "$fmt" "$WORK/fed.json" "$f"
	if ! stayrtr_start "$fmt" "$f" -checktime=false; then
		not_ok "$fmt: stayrtr did not come up"
		continue
	fi
	expect_grep "$WORK/metrics" '^rpki_vrps\{filtered="unfiltered",ip_version="ipv4".*\} 4$' "$fmt: stayrtr loaded 4 IPv4 VRPs"
	expect_grep "$WORK/metrics" '^rpki_vrps\{filtered="unfiltered",ip_version="ipv6".*\} 3$' "$fmt: stayrtr loaded 3 IPv6 VRPs"
	expect_grep "$WORK/metrics" '^rpki_bgpsec 2$' "$fmt: stayrtr loaded 2 router keys"
	for ver in 2 1 0; do
		d="$WORK/dump-$fmt-v$ver.json"
		if ! rtrdump_run "$ver" "$d"; then
			not_ok "$fmt: rtrdump -rtr.version $ver failed"
			sed 's/^/#   /' "$WORK/rtrdump.log" | tail -5
			continue
		fi
		case $ver in
		2)
			if [ "$fmt" != rpki-client ]; then
				check_dump "$WORK/fed.json" "$d" "$fmt v2" VRPs ASPAs "router keys"
				expect_rc 0 "$fmt v2: no difference at all" "$V" diff "$WORK/fed.json" "$d"
			else
				check_dump "$WORK/fed.json" "$d" "$fmt v2" VRPs "router keys"
				echo "# $fmt v2: StayRTR served $(jq '.provider_authorizations.ipv4 // [] | length' "$d") of 3 ASPAs (it reads only provider_authorizations)"
			fi
			;;
		1) check_dump "$WORK/fed.json" "$d" "$fmt v1" VRPs "router keys" ;;
		0) check_dump "$WORK/fed.json" "$d" "$fmt v0" VRPs ;;
		esac
	done
	stayrtr_stop
done

# 3. A file signed by vrpjson sign (OctoRPKI form): StayRTR ignores the
#    signature but, with -checktime on, reads metadata.generated.
expect_rc 0 "sign the input" "$V" sign -key "$KEY" "$WORK/fed.rpki-client8" "$WORK/signed.json"
if ! [ -s "$WORK/signed.json" ]; then
	not_ok "signed: nothing to serve"
elif stayrtr_start signed "$WORK/signed.json"; then
	expect_grep "$WORK/metrics" '^rpki_vrps\{filtered="unfiltered",ip_version="ipv4".*\} 4$' "signed: stayrtr (checktime on) loaded it"
	if rtrdump_run 2 "$WORK/dump-signed.json"; then
		check_dump "$WORK/fed.json" "$WORK/dump-signed.json" "signed v2" VRPs ASPAs "router keys"
	else
		not_ok "signed: rtrdump failed"
	fi
	stayrtr_stop
else
	not_ok "signed: stayrtr did not come up"
fi
old=$(($(date +%s) - 3 * 86400))
expect_rc 0 "sign as generated 3 days ago" "$V" sign -key "$KEY" -generated "$old" "$WORK/fed.rpki-client8" "$WORK/old.json"
if ! [ -s "$WORK/old.json" ]; then
	not_ok "old: nothing to serve"
elif stayrtr_start old "$WORK/old.json"; then
	expect_grep "$sr_log" "older than 24 hours" "old: stayrtr reads our metadata.generated and refuses the stale file"
	if grep -q '^rpki_vrps' "$WORK/metrics"; then
		not_ok "old: stayrtr loaded a stale file"
	else
		ok "old: nothing loaded"
	fi
	stayrtr_stop
else
	not_ok "old: stayrtr did not come up"
fi

# 4. rpki-client 8 writes a real -j and -c output (no network: -n; the
#    TA certificate is not cached, so it finds nothing) that vrpjson reads.
#    It drops privileges to _rpki-client, which needs root.
if [ "$(id -u)" -ne 0 ]; then
	echo "# skipped: rpki-client must start as root to drop to _rpki-client (uid $(id -u))"
elif ! [ -x "$RPKI_CLIENT" ] || ! id _rpki-client >/dev/null 2>&1; then
	not_ok "rpki-client or user _rpki-client missing: run scripts/install-deps.sh"
else
	chmod 711 "$WORK"
	mkdir -p "$WORK/rc-cache" "$WORK/rc-out"
	chown _rpki-client "$WORK/rc-cache" "$WORK/rc-out"
	expect_rc 0 "rpki-client -n -j -c runs" bash -c "cd '$WORK' && timeout 60 '$RPKI_CLIENT' -n -j -c \
	    -t '$SHARED_DIR/fixtures/real-objects/ripe.tal' -d '$WORK/rc-cache' '$WORK/rc-out'"
	expect_rc 0 "vrpjson reads rpki-client's json" "$V" stats -json "$WORK/rc-out/json"
	expect_eq "$(jq -r .format "$WORK/out")" rpki-client8 "rpki-client's json is the rpki-client8 form"
	expect_eq "$(jq -r .vrps "$WORK/out")" 0 "no VRPs without a repository"
	expect_rc 0 "vrpjson reads rpki-client's csv" "$V" stats -json "$WORK/rc-out/csv"
	expect_eq "$(jq -r .format "$WORK/out")" csv "read as csv"
	expect_eq "$(jq -r .vrps "$WORK/out")" 0 "csv has no VRPs either"
fi

finish
