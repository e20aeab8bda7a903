#!/usr/bin/env bash
# rtrcache feeding real routers: BIRD 2 (its rpki protocol, RTR version
# 1) and GoBGP (gobgpd, RTR version 0), both on loopback, each under
# timeout(1) and stopped by its PID.  Each must hold exactly the served
# set, and after an update + SIGHUP (rtrcache sends a Serial Notify,
# the routers ask with a Serial Query) exactly the new one.  A second
# update within -notify.interval is announced once the interval ends.
#
# BIRD 2.0.12: "roa4 table"/"roa6 table", a "protocol rpki" with one
# roa4 and one roa6 channel; "show route table r4" prints each VRP as
# "prefix-maxlen ASn [proto time] * (pref)".
# GoBGP 3.10: a TOML config with global as/router-id, "port = -1" (no
# BGP listener) and [[rpki-servers]]; the CLI "gobgp" ships in the same
# Debian package as gobgpd; "gobgp rpki table [-a ipv6]" prints
# "prefix maxlen asn server" (its -j is ignored for this command).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtr_lib.sh"

BIRD=$(command -v bird || echo /usr/sbin/bird)
BIRDC=$(command -v birdc || echo /usr/sbin/birdc)
GOBGPD=$(command -v gobgpd || echo /usr/bin/gobgpd)
GOBGP=$(command -v gobgp || echo /usr/bin/gobgp)
FIXTURE="$SHARED_DIR/fixtures/signed/valid-asn-number.json"
CACHE="$WORK/cache.json"
T_START=$(now_ms)

for b in "$RTRCACHE" "$VRPJSON" "$BIRD" "$BIRDC" "$GOBGPD" "$GOBGP"; do
	if [ -x "$b" ]; then
		ok "$b present"
	else
		not_ok "$b missing (build, or scripts/install-deps.sh)"
		finish
		exit
	fi
done

# bird_table - BIRD's ROA tables as sorted "prefix/len-maxlen asn" lines.
bird_table() {
	local t
	for t in r4 r6; do
		timeout 5 "$BIRDC" -s "$WORK/bird.ctl" show route table "$t"
	done | awk '$1 ~ /\/[0-9]+-[0-9]+$/ && $2 ~ /^AS[0-9]+$/ {
		sub(/^AS/, "", $2); print $1 " " $2 }' | sort -u
}

# gobgp_table - GoBGP's ROA table, normalised alike.
gobgp_table() {
	local a
	for a in ipv4 ipv6; do
		timeout 5 "$GOBGP" -p "$gobgp_api" rpki table -a "$a"
	done | awk -v srv="127.0.0.1:$rc_port" '$4 == srv { print $1 "-" $2 " " $3 }' |
	    sort -u
}

# wait_tables WANT SECONDS - until BIRD and GoBGP both hold exactly the
# lines of file WANT; leaves their tables in $WORK/bird.norm and
# $WORK/gobgp.norm.  Returns 1 on timeout.
wait_tables() {
	local i n=$((${2} * 5)) b g
	for ((i = 0; i < n; i++)); do
		b=0 g=0
		bird_table >"$WORK/bird.norm"
		gobgp_table >"$WORK/gobgp.norm"
		cmp -s "$WORK/bird.norm" "$1" && b=1
		cmp -s "$WORK/gobgp.norm" "$1" && g=1
		[ "$b$g" = 11 ] && return 0
		sleep 0.2
	done
	return 1
}

# expect_table NAME HAVE WANT DESC
expect_table() {
	if cmp -s "$2" "$3"; then
		ok "$1: $4 ($(wc -l <"$3") VRPs)"
	else
		not_ok "$1: $4: differences (< $1, > served):"
		diff "$2" "$3" | head -10 | sed 's/^/#   /'
	fi
}

# 1. The signed fixture, served.
rtr_sign "$FIXTURE" "$WORK/fed1.json" -validity 1h
rtr_norm "$WORK/fed1.json" >"$WORK/fed1.norm"
rtr_install "$WORK/fed1.json" "$CACHE"
if ! rc_start routers "$CACHE" -notify.interval 2s; then
	not_ok "rtrcache did not come up"
	finish
	exit
fi
ok "rtrcache serves $(wc -l <"$WORK/fed1.norm") VRPs on $rc_port"

# 2. BIRD: not a daemon, its own control socket, log and router id.
cat >"$WORK/bird.conf" <<EOF
router id 192.0.2.254;
log "$WORK/bird.log" all;
roa4 table r4;
roa6 table r6;
protocol rpki rtrcache {
	roa4 { table r4; };
	roa6 { table r6; };
	remote 127.0.0.1 port $rc_port;
	retry keep 5;
	refresh keep 30;
}
EOF
timeout 300 "$BIRD" -f -c "$WORK/bird.conf" -s "$WORK/bird.ctl" \
    >"$WORK/bird.out" 2>&1 &
bird_pid=$!
rtr_track "$bird_pid"

# 3. GoBGP: no BGP listener, the gRPC API on a free loopback port.
gobgp_api=$(rtr_free_port)
cat >"$WORK/gobgpd.toml" <<EOF
[global.config]
  as = 64512
  router-id = "192.0.2.253"
  port = -1

[[rpki-servers]]
  [rpki-servers.config]
    address = "127.0.0.1"
    port = $rc_port
EOF
timeout 300 "$GOBGPD" -f "$WORK/gobgpd.toml" --api-hosts "127.0.0.1:$gobgp_api" \
    --pprof-disable -p >"$WORK/gobgpd.log" 2>&1 &
gobgpd_pid=$!
rtr_track "$gobgpd_pid"

if wait_tables "$WORK/fed1.norm" 20; then
	ok "both routers synced within $(($(now_ms) - T_START)) ms of the start"
else
	not_ok "the routers did not both sync within 20 s"
	for f in bird.out bird.log gobgpd.log; do
		echo "# $f:"
		tail -5 "$WORK/$f" 2>/dev/null | sed 's/^/#   /'
	done
fi
expect_table bird "$WORK/bird.norm" "$WORK/fed1.norm" "holds exactly the served set"
expect_table gobgp "$WORK/gobgp.norm" "$WORK/fed1.norm" "holds exactly the served set"
timeout 5 "$BIRDC" -s "$WORK/bird.ctl" show protocols all rtrcache >"$WORK/bird.proto" 2>&1
expect_grep "$WORK/bird.proto" "Status: +Established" "bird: the RPKI session is established"
expect_grep "$WORK/bird.proto" "Serial number: +1$" "bird: at serial 1"
timeout 5 "$GOBGP" -p "$gobgp_api" rpki server >"$WORK/gobgp.server" 2>&1
expect_grep "$WORK/gobgp.server" "^127\.0\.0\.1:$rc_port +Up .* 40/10$" "gobgp: the RPKI server is up with 40/10 records"
rc_wait_metric 'rtr_sessions{version="0"}' 1 3
expect_eq "$(rc_metric 'rtr_sessions{version="0"}')/$(rc_metric 'rtr_sessions{version="1"}')" 1/1 "rtrcache: GoBGP speaks version 0, BIRD version 1"

# 4. An update: withdrawals, a maxLength change, new IPv4 and IPv6 VRPs.
jq '.roas |= (.[5:] | .[0].maxLength = (if (.[0].prefix | contains(":")) then 128 else 32 end)
    | . + [{prefix: "192.0.2.0/24", maxLength: 24, asn: 65000, ta: "test"},
           {prefix: "2001:db8::/32", maxLength: 48, asn: 65001, ta: "test"},
           {prefix: "2001:db8:1::/48", maxLength: 48, asn: 4200000000, ta: "test"}])' \
    "$WORK/fed1.json" >"$WORK/in2.json"
rtr_sign "$WORK/in2.json" "$WORK/fed2.json" -validity 1h
rtr_norm "$WORK/fed2.json" >"$WORK/fed2.norm"
expect_eq "$(rtr_norm_diff "$WORK/fed1.json" "$WORK/fed2.json" | wc -l)" 10 "update 1: 10 changes (-5, -1 +1, +3)"
notifies=$(rc_metric rtr_notifies_total)
rtr_install "$WORK/fed2.json" "$CACHE"
t0=$(now_ms)
rc_hup || not_ok "update 1: SIGHUP made no poll"
if wait_tables "$WORK/fed2.norm" 10; then
	ok "update 1: both routers hold the new set after $(($(now_ms) - t0)) ms"
else
	not_ok "update 1: the routers did not both converge within 10 s"
fi
expect_table bird "$WORK/bird.norm" "$WORK/fed2.norm" "update 1: holds exactly the new set"
expect_table gobgp "$WORK/gobgp.norm" "$WORK/fed2.norm" "update 1: holds exactly the new set"
rc_wait_metric rtr_notifies_total $((notifies + 2)) 3
expect_eq "$(rc_metric rtr_notifies_total)" $((notifies + 2)) "update 1: rtrcache sent two Serial Notifies"
expect_eq "$(rc_metric 'rtr_answers_total{kind="diff"}')" 2 "update 1: both routers asked for the diff (Serial Query)"
timeout 5 "$BIRDC" -s "$WORK/bird.ctl" show protocols all rtrcache >"$WORK/bird.proto" 2>&1
expect_grep "$WORK/bird.proto" "Serial number: +2$" "bird: at serial 2"

# 5. A second update right away, within -notify.interval 2s: the notify
#    is held back, then sent, and the routers converge again.
jq '.roas |= (.[10:] + [{prefix: "198.51.100.0/24", maxLength: 24, asn: 65010, ta: "test"}])' \
    "$WORK/in2.json" >"$WORK/in3.json"
rtr_sign "$WORK/in3.json" "$WORK/fed3.json" -validity 1h
rtr_norm "$WORK/fed3.json" >"$WORK/fed3.norm"
rtr_install "$WORK/fed3.json" "$CACHE"
t0=$(now_ms)
rc_hup || not_ok "update 2: SIGHUP made no poll"
if wait_tables "$WORK/fed3.norm" 10; then
	ok "update 2: both routers hold the new set after $(($(now_ms) - t0)) ms (notify held back up to 2 s)"
else
	not_ok "update 2: the routers did not both converge within 10 s"
fi
expect_table bird "$WORK/bird.norm" "$WORK/fed3.norm" "update 2: holds exactly the new set"
expect_table gobgp "$WORK/gobgp.norm" "$WORK/fed3.norm" "update 2: holds exactly the new set"

# 6. Stop the routers by their PIDs; rtrcache sees both leave.
for p in "$bird_pid" "$gobgpd_pid"; do
	kill "$p" 2>/dev/null
	wait "$p" 2>/dev/null
done
if rc_wait_status .sessions 0 5; then
	ok "rtrcache: both sessions closed once the routers stopped"
else
	not_ok "rtrcache: $(rc_status .sessions) sessions left after the routers stopped"
fi
rc_stop

rc_sanitizer_check
echo "# $(($(now_ms) - T_START)) ms"
finish
