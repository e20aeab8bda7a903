#!/usr/bin/env bash
# rtrcache end to end, with real clients: StayRTR's rtrdump (versions 0,
# 1, 2), rtr-tools' rtrclient, and a raw RTR client in bash for the
# protocol corners no real client exercises.  Only loopback; every
# daemon is started under timeout(1), stopped by its PID, and every wait
# is bounded.
#
# What rtrdump does (StayRTR 0.5.1, by experiment): -serial sends only a
# Serial Query and writes every prefix of the answer to -file, announced
# or withdrawn alike (no flags), so the flags are checked with the raw
# client; a Cache Reset answer is logged only at -loglevel debug
# ("Received: PDU Cache Reset") and leaves an empty file, exit 0.
# rtrclient -e speaks version 1 and writes "prefix, len, maxlen, asn".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtr_lib.sh"

RTRDUMP=/usr/bin/rtrdump	# StayRTR's, not the one of this tree
[ -x "$RTRDUMP" ] || RTRDUMP=$(command -v rtrdump || echo /usr/bin/rtrdump)
RTRCLIENT=$(command -v rtrclient || echo /usr/bin/rtrclient)
MKVRPS="$RTR_BIN_DIR/../bench/mkvrps"
FIXTURE="$SHARED_DIR/fixtures/signed/valid-asn-number.json"
CACHE="$WORK/cache.json"
T_START=$(now_ms)

# rtrdump_run VERSION OUT [FLAGS...] - what rtrcache serves at VERSION.
rtrdump_run() {
	local v=$1 out=$2
	shift 2
	rm -f "$out"
	timeout 20 "$RTRDUMP" -connect "127.0.0.1:$rc_port" -rtr.version "$v" \
	    -file "$out" "$@" >"$WORK/rtrdump.log" 2>&1
}

# expect_serves FILE DESC [VERSIONS...] - rtrdump gets exactly FILE's set.
expect_serves() {
	local fed=$1 desc=$2 v
	shift 2
	for v in "${@:-2}"; do
		if ! rtrdump_run "$v" "$WORK/dump.json"; then
			not_ok "$desc: rtrdump -rtr.version $v failed"
			sed 's/^/#   /' "$WORK/rtrdump.log" | tail -5
			continue
		fi
		expect_rc 0 "$desc: rtrdump v$v gets exactly the set" \
		    "$VRPJSON" diff "$fed" "$WORK/dump.json"
	done
}

# expect_same_lines HAVE WANT DESC - two files of normalised lines agree.
expect_same_lines() {
	if [ -s "$2" ] && cmp -s "$1" "$2"; then
		ok "$3"
	else
		not_ok "$3: differences (< have, > want):"
		diff "$1" "$2" | head -10 | sed 's/^/#   /'
	fi
}

# session_id VERSION - the session ID /status reports for VERSION.
session_id() {
	rc_status ".session_ids[$1]"
}

# serial_now - the serial served now, asked over RTR (no metrics lag): a
# v2 Serial Query from $s2 gets an End of Data with the current serial.
# Prints the serial, or what ended the answer instead.
serial_now() {
	local fd
	raw_open "$rc_port"
	fd=$RAW_FD
	raw_send "$fd" "$(pdu_serial 2 "$(session_id 2)" "$s2")"
	raw_read_answer "$fd" "$WORK/now.lines"
	raw_close "$fd"
	if [ "$ANS_END" = eod ]; then
		echo "$ANS_SERIAL"
	else
		echo "$ANS_END"
	fi
}

echo "# --- section 0 at $(($(now_ms) - T_START)) ms"
# 0. The tools are there.
for b in "$RTRCACHE" "$VRPJSON" "$RTRDUMP" "$RTRCLIENT"; do
	if [ -x "$b" ]; then
		ok "$b present"
	else
		not_ok "$b missing (build, or scripts/install-deps.sh)"
		finish
		exit
	fi
done

echo "# --- section 1 at $(($(now_ms) - T_START)) ms"
# 1. The signed fixture, served to every client.
rtr_sign "$FIXTURE" "$WORK/fed1.json" -validity 1h
rtr_norm "$WORK/fed1.json" >"$WORK/fed1.norm"
expect_eq "$(wc -l <"$WORK/fed1.norm")" 50 "fed1: 50 distinct VRPs"
rtr_install "$WORK/fed1.json" "$CACHE"
if ! rc_start main "$CACHE"; then
	not_ok "main: rtrcache did not come up"
	finish
	exit
fi
ok "main: rtrcache serves on $rc_port, metrics on $rc_mport"
expect_eq "$(rc_code healthz)" 200 "main: /healthz is 200 while serving"
expect_eq "$(rc_status '[.serving, .serial, .vrps] | @tsv')" "$(printf 'true\t1\t50')" "main: /status says serial 1, 50 VRPs"
expect_eq "$(rc_metric rtr_serial)" 1 "main: rtr_serial 1"
expect_serves "$WORK/fed1.json" "fed1" 0 1 2
rm -f "$WORK/rtrclient.csv"
expect_rc 0 "fed1: rtrclient -e exports the table" \
    timeout 20 "$RTRCLIENT" -e -o "$WORK/rtrclient.csv" -t csv tcp 127.0.0.1 "$rc_port"
rtr_norm_rtrclient "$WORK/rtrclient.csv" >"$WORK/rtrclient.norm"
expect_same_lines "$WORK/rtrclient.norm" "$WORK/fed1.norm" "fed1: rtrclient gets exactly the set"

# Session IDs: one per version, distinct, the ones the Cache Response
# carries; the raw client reads the whole v2 answer with its flags.
sids=$(rc_status '.session_ids | map(tostring) | join(" ")')
expect_eq "$(echo "$sids" | tr ' ' '\n' | sort -u | wc -l)" 3 "session IDs differ per version ($sids)"
for v in 0 1 2; do
	raw_open "$rc_port"
	raw_send "$RAW_FD" "$(pdu_reset "$v")"
	if [ "$v" -lt 2 ]; then
		raw_read_pdu "$RAW_FD"
		expect_eq "$PDU_VER/$PDU_TYPE/$PDU_FIELD" "$v/3/$(session_id "$v")" "raw v$v: Cache Response with the v$v session ID"
	else
		raw_read_answer "$RAW_FD" "$WORK/raw.lines"
		expect_eq "$ANS_END/$ANS_SESSION/$ANS_SERIAL" "eod/$(session_id 2)/1" "raw v2: Cache Response ... End of Data, serial 1"
		sed 's/^/+ /' "$WORK/fed1.norm" >"$WORK/want.lines"
		sort "$WORK/raw.lines" >"$WORK/have.lines"
		expect_same_lines "$WORK/have.lines" "$WORK/want.lines" "raw v2: every prefix announced, exactly the set"
	fi
	raw_close "$RAW_FD"
done

echo "# --- section 2 at $(($(now_ms) - T_START)) ms"
# 2. An update: two ROAs gone, one maxLength changed, three new.  A router
#    connected meanwhile gets a Serial Notify; a Serial Query from the old
#    serial gets exactly the changes.
jq '.roas |= (.[2:] | .[0].maxLength = (if (.[0].prefix | contains(":")) then 128 else 32 end)
    | . + [{prefix: "192.0.2.0/24", maxLength: 24, asn: 65000, ta: "test"},
           {prefix: "2001:db8::/32", maxLength: 48, asn: 65001, ta: "test"},
           {prefix: "198.51.100.0/22", maxLength: 24, asn: 65002, ta: "test"}])' \
    "$WORK/fed1.json" >"$WORK/in2.json"
rtr_sign "$WORK/in2.json" "$WORK/fed2.json" -validity 1h
rtr_norm_diff "$WORK/fed1.json" "$WORK/fed2.json" >"$WORK/diff12.lines"
expect_eq "$(wc -l <"$WORK/diff12.lines")" 7 "fed2: 7 changes from fed1 (-2, -1 +1, +3)"
raw_open "$rc_port"
notify_fd=$RAW_FD
raw_send "$notify_fd" "$(pdu_reset 2)"
raw_read_answer "$notify_fd" "$WORK/raw.lines"
s1=$(rc_metric rtr_serial)
s2=$s1
changes1=$(rc_metric rtrcache_serial_changes_total)
rtr_install "$WORK/fed2.json" "$CACHE"
rc_hup || not_ok "update: SIGHUP made no poll"
rc_wait_metric rtr_serial $((s1 + 1)) 3
expect_eq "$(rc_metric rtr_serial)" $((s1 + 1)) "update: rtr_serial went up by one"
expect_eq "$(rc_metric rtrcache_serial_changes_total)" $((changes1 + 1)) "update: one serial change counted"
raw_read_pdu "$notify_fd" 3
expect_eq "$PDU_VER/$PDU_TYPE/$PDU_FIELD/${PDU_HEX:16:8}" "2/0/$(session_id 2)/$(hex32 $((s1 + 1)))" "update: a connected v2 router gets a Serial Notify for the new serial"
raw_close "$notify_fd"
expect_serves "$WORK/fed2.json" "fed2" 2 1
cut -c3- "$WORK/diff12.lines" | sort -u >"$WORK/diff12.set"
for v in 0 1 2; do
	if rtrdump_run "$v" "$WORK/dump.json" -serial -serial.value "$s1" -session.id "$(session_id "$v")"; then
		rtr_norm "$WORK/dump.json" >"$WORK/dump.norm"
		expect_same_lines "$WORK/dump.norm" "$WORK/diff12.set" "serial query v$v (rtrdump) from serial $s1: exactly the changed entries"
	else
		not_ok "serial query v$v: rtrdump failed"
	fi
done
for v in 1 2; do
	raw_open "$rc_port"
	raw_send "$RAW_FD" "$(pdu_serial "$v" "$(session_id "$v")" "$s1")"
	raw_read_answer "$RAW_FD" "$WORK/raw.lines"
	sort "$WORK/raw.lines" >"$WORK/have.lines"
	expect_eq "$ANS_END/$ANS_SESSION/$ANS_SERIAL" "eod/$(session_id "$v")/$((s1 + 1))" "serial query v$v (raw): Cache Response, End of Data with the new serial"
	expect_same_lines "$WORK/have.lines" "$WORK/diff12.lines" "serial query v$v (raw): the changes with the right announce/withdraw flags"
	raw_close "$RAW_FD"
done
raw_open "$rc_port"
raw_send "$RAW_FD" "$(pdu_serial 2 "$(session_id 2)" $((s1 + 1)))"
raw_read_answer "$RAW_FD" "$WORK/raw.lines"
expect_eq "$ANS_END/$ANS_TYPES/$(wc -l <"$WORK/raw.lines")" "eod/ 3 7/0" "serial query from the current serial: Cache Response, End of Data, nothing else"
raw_close "$RAW_FD"

# Cache Reset: a serial the cache never had, a wrong session ID.
for c in "far serial:$(session_id 2):$((s1 + 1000))" "wrong session ID:$((($(session_id 2) + 1) % 65536)):$s1"; do
	IFS=: read -r what sid ser <<<"$c"
	raw_open "$rc_port"
	raw_send "$RAW_FD" "$(pdu_serial 2 "$sid" "$ser")"
	raw_read_pdu "$RAW_FD"
	expect_eq "$PDU_HEX" 0208000000000008 "serial query, $what: a Cache Reset (raw)"
	expect_eq "$(raw_state "$RAW_FD" 0.5)" open "serial query, $what: the session stays open"
	raw_close "$RAW_FD"
	rtrdump_run 2 "$WORK/dump.json" -serial -serial.value "$ser" -session.id "$sid" -loglevel debug
	expect_grep "$WORK/rtrdump.log" "Received: PDU Cache Reset" "serial query, $what: rtrdump receives a Cache Reset"
done

echo "# --- section 3 at $(($(now_ms) - T_START)) ms"
# 3. No change, no new serial: the same ROAs signed again at another
#    time, then the file merely touched.
s2=$(serial_now)
expect_eq "$s2" $((s1 + 1)) "the raw client sees serial $((s1 + 1)) too"
rtr_sign "$WORK/in2.json" "$WORK/fed2b.json" -validity 2h -generated $(($(date +%s) - 120))
if cmp -s "$WORK/fed2.json" "$WORK/fed2b.json"; then
	not_ok "re-signed: the file did not change"
fi
rtr_install "$WORK/fed2b.json" "$CACHE"
rc_hup || not_ok "re-signed: SIGHUP made no poll"
expect_grep "$rc_log" "no change, serial stays $s2" "re-signed: read, accepted, no change"
expect_eq "$(serial_now)" "$s2" "re-signed, same content: the serial stays $s2"
touch "$CACHE"
rc_hup || not_ok "touched: SIGHUP made no poll"
expect_eq "$(serial_now)" "$s2" "touched: the serial stays $s2"
expect_eq "$(grep -c 'no change, serial stays' "$rc_log")" 2 "both polls logged \"no change\""
rc_wait_metric rtrcache_updates_accepted_total 4 3
expect_eq "$(rc_metric rtrcache_updates_accepted_total)/$(rc_metric rtrcache_serial_changes_total)/$(rc_metric rtr_serial)" "4/2/$s2" "metrics: 4 files accepted, 2 serial changes, serial $s2"

echo "# --- section 4 at $(($(now_ms) - T_START)) ms"
# 4. Bad updates never replace good data.  in3 adds one ROA, so any of
#    these taken would change the set.  Each poll's outcome is read from
#    the log line reject() writes as it counts the reason; the counters
#    are checked once at the end (the metrics lag by up to a second).
jq '.roas += [{prefix: "203.0.113.0/24", maxLength: 24, asn: 65003, ta: "test"}]' \
    "$WORK/in2.json" >"$WORK/in3.json"
rtr_sign "$WORK/in3.json" "$WORK/fed3.json" -validity 1h
sed 's/"AS65003"/"AS65004"/' "$WORK/fed3.json" >"$WORK/bad-tampered.json"
if cmp -s "$WORK/fed3.json" "$WORK/bad-tampered.json"; then
	not_ok "tampered: sed changed nothing (vrpjson's output format changed?)"
fi
jq 'del(.metadata.signature, .metadata.signatureDate)' "$WORK/fed3.json" >"$WORK/bad-unsigned.json"
rtr_sign "$WORK/in3.json" "$WORK/bad-expired.json" -generated $(($(date +%s) - 7200)) -validity 1h
head -c $(($(wc -c <"$WORK/fed3.json") / 2)) "$WORK/fed3.json" >"$WORK/bad-truncated.json"
printf 'this is not JSON\n' >"$WORK/bad-garbage.json"
: >"$WORK/bad-empty.json"
jq '.roas += [{prefix: "192.0.2.1/24", maxLength: 24, asn: 65005, ta: "test"}]' \
    "$WORK/in3.json" >"$WORK/in-hostbits.json"
rtr_sign_raw "$WORK/in-hostbits.json" "$WORK/bad-hostbits.json"
jq '.roas += [{prefix: "10.0.0.0/16", maxLength: 8, asn: 65006, ta: "test"}]' \
    "$WORK/in3.json" >"$WORK/in-maxlen.json"
rtr_sign_raw "$WORK/in-maxlen.json" "$WORK/bad-maxlen.json"
# The openssl signer is sound: vrpjson accepts what it signs.
rtr_sign_raw "$WORK/in3.json" "$WORK/fed3-raw.json"
expect_rc 0 "the openssl+jq signer makes files vrpjson verifies" \
    "$VRPJSON" verify -verify.key "$RTR_PUB" "$WORK/fed3-raw.json"
declare -A rej_before rej_want
for r in signature expired parse; do
	rej_before[$r]=$(rc_metric "rtrcache_updates_rejected_total{reason=\"$r\"}")
	rej_want[$r]=${rej_before[$r]}
done
for c in tampered:signature unsigned:signature expired:expired \
    truncated:parse garbage:parse empty:parse hostbits:parse maxlen:parse \
    otherkey:signature; do
	what=${c%%:*} reason=${c#*:}
	f="$WORK/bad-$what.json"
	[ "$what" = otherkey ] && f=$FIXTURE	# signed by another key
	rtr_install "$f" "$CACHE"
	if ! rc_hup; then
		not_ok "bad $what: SIGHUP made no poll"
		continue
	fi
	rej_want[$reason]=$((rej_want[$reason] + 1))
	printf '%s\n' "$RC_OUTCOME" >"$WORK/outcome"
	expect_grep "$WORK/outcome" "update rejected \($reason\), still serving serial $s2" "bad $what: rejected, reason $reason"
	echo "#   ${RC_OUTCOME#*: }"
	expect_eq "$(serial_now)" "$s2" "bad $what: the serial stays $s2"
	expect_eq "$(rc_code healthz)" 200 "bad $what: /healthz stays 200"
	expect_serves "$WORK/fed2.json" "bad $what: old data" 2
done
# Every counter, the last rejection (otherkey: signature) included: the
# metrics are published once a second.
for r in signature expired parse; do
	rc_wait_metric "rtrcache_updates_rejected_total{reason=\"$r\"}" "${rej_want[$r]}" 3
done
for r in signature expired parse; do
	expect_eq "$(rc_metric "rtrcache_updates_rejected_total{reason=\"$r\"}")" "${rej_want[$r]}" "rtrcache_updates_rejected_total{reason=\"$r\"} went from ${rej_before[$r]} to ${rej_want[$r]}"
done
expect_eq "$(rc_status '.rejected | [.signature, .expired, .parse] | @tsv')" "$(printf '%s\t%s\t%s' "${rej_want[signature]}" "${rej_want[expired]}" "${rej_want[parse]}")" "/status counts the rejections alike"
expect_eq "$(rc_metric rtrcache_updates_accepted_total)/$(rc_metric rtr_serial)" "4/$s2" "metrics: nothing more accepted, serial $s2"
expect_eq "$(rc_code healthz)" 200 "after the bad files: /healthz still 200"
rtr_install "$WORK/fed3.json" "$CACHE"
rc_hup || not_ok "fed3: SIGHUP made no poll"
expect_eq "$(serial_now)" $((s2 + 1)) "a good file after the bad ones: serial $((s2 + 1)), one up"
expect_serves "$WORK/fed3.json" "fed3" 2

echo "# --- section 5 at $(($(now_ms) - T_START)) ms"
# 5. Protocol details, with the raw client.
# expect_error DESC PDUHEX CODE VERSION - sending PDUHEX on a new
# connection gets an Error Report CODE of VERSION carrying it, and the
# cache closes the connection.
expect_error() {
	local desc=$1 pdu=$2 code=$3 ver=$4
	raw_open "$rc_port"
	raw_send "$RAW_FD" "$pdu"
	if raw_read_pdu "$RAW_FD"; then
		expect_eq "$PDU_TYPE/$PDU_FIELD/$PDU_VER" "10/$code/$ver" "$desc: Error Report code $code, version $ver"
		expect_eq "$(err_pdu)" "$pdu" "$desc: the report carries the offending PDU"
		echo "#   text: $(err_text)"
	else
		not_ok "$desc: no Error Report"
	fi
	expect_eq "$(raw_state "$RAW_FD" 2)" closed "$desc: then the cache closes the connection"
	raw_close "$RAW_FD"
}
expect_error "reset query v3" "$(pdu_reset 3)" 4 2
expect_error "PDU type 13" 020d000000000008 5 2
expect_error "length 4" 0202000000000004 0 2
expect_error "reset query of length 12" 020200000000000c00000000 0 2
expect_error "length 65536" 0202000000010000 0 2
expect_error "cache response from a router" 0203000000000008 3 2

raw_open "$rc_port"
raw_send "$RAW_FD" "$(pdu_reset 1)"
raw_read_answer "$RAW_FD" "$WORK/raw.lines"
n3=$(rtr_norm "$WORK/fed3.json" | wc -l)
expect_eq "$ANS_END/$(wc -l <"$WORK/raw.lines")" "eod/$n3" "reset query v1: the whole set ($n3 VRPs)"
q=$(pdu_serial 0 "$(session_id 0)" "$ANS_SERIAL")
raw_send "$RAW_FD" "$q"
if raw_read_pdu "$RAW_FD"; then
	expect_eq "$PDU_TYPE/$PDU_FIELD/$PDU_VER" "10/8/1" "then serial query v0: Error Report code 8 (Unexpected Protocol Version), version 1"
	expect_eq "$(err_pdu)" "$q" "code 8 carries the v0 query"
else
	not_ok "then serial query v0: no Error Report"
fi
expect_eq "$(raw_state "$RAW_FD" 2)" closed "code 8: then the cache closes the connection"
raw_close "$RAW_FD"

# A router's Error Report is never answered with an Error Report (RFC
# 8210 section 5.11, RFC 6810 section 5.10): a fatal one ends the
# session, "No Data Available" does not.
raw_open "$rc_port"
raw_send "$RAW_FD" "$(pdu_error 2 1 "$(pdu_reset 2)" "router trouble")"
expect_eq "$(raw_state "$RAW_FD" 2)" closed "router's Error Report (Internal Error): no answer, session closed"
raw_close "$RAW_FD"
raw_open "$rc_port"
raw_send "$RAW_FD" "$(pdu_error 2 2)"
expect_eq "$(raw_state "$RAW_FD" 1)" open "router's Error Report (No Data): no answer, session open"
raw_send "$RAW_FD" "$(pdu_reset 2)"
raw_read_answer "$RAW_FD" "$WORK/raw.lines"
expect_eq "$ANS_END/$(wc -l <"$WORK/raw.lines")" "eod/$n3" "then a reset query gets the set"
raw_close "$RAW_FD"
# Regression: an Error Report the cache cannot decode - its
# encapsulated-PDU length runs past the PDU, or its version is one the
# cache does not speak - was answered with an Error Report.  RFC 8210
# section 5.11 and RFC 6810 section 5.10 forbid answering any Error Report
# with one; the session is closed instead.
for c in "encapsulated length past the end:020a0001000000100000000500000000" \
    "version 3:$(pdu_error 3 1)"; do
	what=${c%%:*} pdu=${c#*:}
	raw_open "$rc_port"
	raw_send "$RAW_FD" "$pdu"
	st=$(raw_state "$RAW_FD" 2)
	if [ "$st" = closed ]; then
		ok "router's undecodable Error Report ($what): no answer, session closed"
	else
		raw_read_pdu "$RAW_FD" 1
		not_ok "router's undecodable Error Report ($what): want no answer, have $st (an Error Report must never be answered with one)"
	fi
	raw_close "$RAW_FD"
done
rc_wait_metric 'rtr_errors_sent_total{code="Unexpected Protocol Version"}' 1 3
for c in "Corrupt Data" "Invalid Request" "Unsupported Protocol Version" \
    "Unsupported PDU Type" "Unexpected Protocol Version"; do
	n=$(rc_metric "rtr_errors_sent_total{code=\"$c\"}")
	if [ "${n:-0}" -ge 1 ]; then
		ok "rtr_errors_sent_total{code=\"$c\"} counts ($n)"
	else
		not_ok "rtr_errors_sent_total{code=\"$c\"} missing or 0"
	fi
done

echo "# --- section 6 at $(($(now_ms) - T_START)) ms"
# 6. SIGTERM: rtrcache closes its sessions and exits 0 within a second.
raw_open "$rc_port"
raw_send "$RAW_FD" "$(pdu_reset 2)"
raw_read_answer "$RAW_FD" "$WORK/raw.lines"
t0=$(now_ms)
kill -TERM "$rc_child"
for _ in $(seq 100); do
	kill -0 "$rc_child" 2>/dev/null || break
	sleep 0.01
done
dt=$(($(now_ms) - t0))
if kill -0 "$rc_child" 2>/dev/null; then
	not_ok "SIGTERM: rtrcache still runs after ${dt} ms"
else
	ok "SIGTERM: rtrcache exited after ${dt} ms"
fi
rc=0
wait "$rc_pid" || rc=$?
rc_pid=
# Regression: the -verify.key key was never freed, so in the ASan+UBSan
# build LeakSanitizer reported it at exit and the status was 1.
if [ "$rc" -eq 0 ]; then
	ok "SIGTERM: exit status 0"
elif grep -q "LeakSanitizer" "$rc_log"; then
	not_ok "SIGTERM: exit status $rc: LeakSanitizer found leaks at exit (a leak at exit)"
	grep -A2 "^Direct leak" "$rc_log" | sed 's/^/#   /'
else
	not_ok "SIGTERM: exit status $rc, want 0"
	tail -5 "$rc_log" | sed 's/^/#   /'
fi
expect_eq "$(raw_state "$RAW_FD" 1)" closed "SIGTERM: the router's session is closed"
raw_close "$RAW_FD"

echo "# --- section 7 at $(($(now_ms) - T_START)) ms"
# 7. No data yet (-protocol 1 too): /healthz 503, a Reset Query gets
#    "No Data Available" and the session stays; once a good file comes,
#    the same session's next Reset Query gets it.
if ! rc_start nodata "$WORK/nodata.json" -protocol 1; then
	not_ok "nodata: rtrcache did not come up"
else
	expect_eq "$(rc_code healthz)" 503 "no file: /healthz is 503"
	expect_eq "$(rc_status '[.serving, .rejected.fetch > 0] | @tsv')" "$(printf 'false\ttrue')" "no file: /status not serving, a fetch rejection"
	rtr_install "$WORK/bad-tampered.json" "$WORK/nodata.json"
	rc_hup || not_ok "nodata: SIGHUP made no poll"
	rc_wait_status .rejected.signature 1 3
	expect_eq "$(rc_code healthz)/$(rc_status .rejected.signature)" 503/1 "a bad file: still 503, a signature rejection"
	raw_open "$rc_port"
	nd_fd=$RAW_FD
	raw_send "$nd_fd" "$(pdu_reset 1)"
	raw_read_pdu "$nd_fd"
	expect_eq "$PDU_TYPE/$PDU_FIELD/$PDU_VER" 10/2/1 "no data: a reset query gets Error Report code 2 (No Data Available)"
	expect_eq "$(raw_state "$nd_fd" 1)" open "no data: the session stays open"
	expect_error "-protocol 1: reset query v2" "$(pdu_reset 2)" 4 1
	rtr_install "$WORK/fed1.json" "$WORK/nodata.json"
	rc_hup || not_ok "nodata: SIGHUP made no poll"
	rc_wait_code healthz 200 3
	expect_eq "$(rc_code healthz)" 200 "a good file: /healthz is 200"
	raw_send "$nd_fd" "$(pdu_reset 1)"
	raw_read_answer "$nd_fd" "$WORK/raw.lines"
	sort "$WORK/raw.lines" >"$WORK/have.lines"
	sed 's/^/+ /' "$WORK/fed1.norm" >"$WORK/want.lines"
	expect_eq "$ANS_END/$ANS_SESSION" "eod/$(session_id 1)" "the same session's next reset query: Cache Response ... End of Data"
	expect_same_lines "$WORK/have.lines" "$WORK/want.lines" "the same session gets exactly the set"
	echo "# Serial Notifies the waiting session got: $ANS_NOTIFIES"
	raw_close "$nd_fd"
	rc_stop
fi

echo "# --- section 8 at $(($(now_ms) - T_START)) ms"
# 8. -maxconn 3: a fourth connection is closed at once and counted, the
#    first three are served; -refresh 1 picks an update up unasked.
jq '.roas |= .[:5]' "$WORK/in2.json" >"$WORK/in-small.json"
rtr_sign "$WORK/in-small.json" "$WORK/small.json" -validity 1h
rtr_norm "$WORK/small.json" | sed 's/^/+ /' >"$WORK/small.lines"
rtr_install "$WORK/small.json" "$WORK/maxconn.json"
if ! rc_start maxconn "$WORK/maxconn.json" -maxconn 3 -refresh 1; then
	not_ok "maxconn: rtrcache did not come up"
else
	fds=()
	for i in 0 1 2; do
		raw_open "$rc_port"
		fds+=("$RAW_FD")
	done
	rc_wait_metric 'rtr_sessions{version="none"}' 3 3 ||
	    not_ok "maxconn: the three sessions are not all there"
	t0=$(now_ms)
	raw_open "$rc_port"
	st=$(raw_state "$RAW_FD" 2)
	dt=$(($(now_ms) - t0))
	if [ "$st" = closed ] && [ "$dt" -lt 1000 ]; then
		ok "maxconn: the fourth connection is closed at once (${dt} ms)"
	else
		not_ok "maxconn: the fourth connection: want closed at once, have $st after ${dt} ms"
	fi
	raw_close "$RAW_FD"
	rc_wait_metric 'rtr_sessions_closed_total{reason="maxconn"}' 1 3
	expect_eq "$(rc_metric 'rtr_sessions_closed_total{reason="maxconn"}')" 1 "maxconn: rtr_sessions_closed_total{reason=\"maxconn\"} 1"
	for i in 0 1 2; do
		raw_send "${fds[i]}" "$(pdu_reset "$i")"
		raw_read_answer "${fds[i]}" "$WORK/raw.lines"
		sort "$WORK/raw.lines" >"$WORK/have.lines"
		expect_eq "$ANS_END" eod "maxconn: session $((i + 1)) (v$i) is served"
		expect_same_lines "$WORK/have.lines" "$WORK/small.lines" "maxconn: session $((i + 1)) gets the set"
	done
	rc_wait_metric 'rtr_sessions{version="2"}' 1 3
	expect_eq "$(rc_get metrics | grep -E '^rtr_sessions\{' | awk '{print $2}' | tr '\n' ' ')" "1 1 1 0 " "maxconn: rtr_sessions by version 0, 1, 2, none"
	raw_close "${fds[0]}"
	rc_wait_metric 'rtr_sessions{version="0"}' 0 3
	raw_open "$rc_port"
	raw_send "$RAW_FD" "$(pdu_reset 2)"
	raw_read_answer "$RAW_FD" "$WORK/raw.lines"
	expect_eq "$ANS_END/$(wc -l <"$WORK/raw.lines")" eod/5 "maxconn: once one left, a new session is served"
	raw_close "$RAW_FD"
	# -refresh 1: an update is taken without a signal.
	jq '.roas |= .[:4]' "$WORK/in2.json" >"$WORK/in-small2.json"
	rtr_sign "$WORK/in-small2.json" "$WORK/small2.json" -validity 1h
	rtr_install "$WORK/small2.json" "$WORK/maxconn.json"
	# Regression: the poll after the first good file used to come after
	# the 30 s retry interval instead of -refresh (it was scheduled
	# before the data was published).
	if rc_wait_metric rtr_serial 2 5; then
		ok "-refresh 1: the update is served within 5 s, no SIGHUP"
		raw_read_pdu "${fds[1]}" 2
		expect_eq "$PDU_TYPE/$PDU_FIELD" "0/$(session_id 1)" "-refresh 1: the connected v1 session gets a Serial Notify"
	else
		not_ok "-refresh 1: serial still $(rc_metric rtr_serial) 5 s after the update (the first refresh after the start waited the 30 s retry interval)"
	fi
	raw_close "${fds[1]}"
	raw_close "${fds[2]}"
	rc_stop
fi

echo "# --- section 9 at $(($(now_ms) - T_START)) ms"
# 9. A router that stops reading (Reset Query on a large set, never
#    read) is closed after -rtr.write.timeout while another one is served
#    in full meanwhile.  300,000 VRPs are ~6.7 MB on the wire, more than
#    the loopback socket buffers hold (4 MB send, 128 KB receive).
if ! [ -x "$MKVRPS" ]; then
	not_ok "slow reader: $MKVRPS missing (build target mkvrps)"
elif ! "$MKVRPS" -count 300000 -key "$RTR_KEY" -validity 1h -o "$WORK/big.json" 2>"$WORK/mkvrps.log"; then
	not_ok "slow reader: mkvrps failed"
	sed 's/^/#   /' "$WORK/mkvrps.log"
elif ! rc_start big "$WORK/big.json" -rtr.write.timeout 2s; then
	not_ok "slow reader: rtrcache did not come up"
else
	expect_eq "$(rc_status .vrps)" 300000 "big: 300,000 VRPs served"
	raw_open "$rc_port"
	slow_fd=$RAW_FD
	t0=$(now_ms)
	raw_send "$slow_fd" "$(pdu_reset 2)"
	rtrdump_run 2 "$WORK/dump-big.json"
	dt_dump=$(($(now_ms) - t0))
	expect_rc 0 "big: a reader in parallel gets exactly the set (${dt_dump} ms)" \
	    "$VRPJSON" diff -q "$WORK/big.json" "$WORK/dump-big.json"
	if [ "$dt_dump" -lt 10000 ]; then
		ok "big: the parallel reader was served promptly (${dt_dump} ms)"
	else
		not_ok "big: the parallel reader took ${dt_dump} ms"
	fi
	# The log says when (ev_now, rounded to the second); the counter
	# follows with the metrics, republished each second.
	for _ in $(seq 100); do
		grep -q "router stopped reading" "$rc_log" && break
		sleep 0.1
	done
	expect_grep "$rc_log" "closed after [23] s, [0-9]+ bytes sent: router stopped reading" "slow reader: closed about 2 s after it stopped reading (log)"
	if rc_wait_metric 'rtr_sessions_closed_total{reason="write_timeout"}' 1 10; then
		ok "slow reader: rtr_sessions_closed_total{reason=\"write_timeout\"} 1 (seen after $(($(now_ms) - t0)) ms)"
	else
		not_ok "slow reader: rtr_sessions_closed_total{reason=\"write_timeout\"} not 1 within 10 s"
	fi
	sent=$(grep -o 'closed after [0-9]* s, [0-9]* bytes sent: router stopped' "$rc_log" | awk '{print $5}')
	full=$(grep -o 'closed after [0-9]* s, [0-9]* bytes sent: router closed' "$rc_log" | awk '{print $5}' | head -1)
	if [ -n "$sent" ] && [ -n "$full" ] && [ "$sent" -lt "$full" ]; then
		ok "slow reader: stalled after $sent of $full bytes (the socket buffers filled)"
	else
		not_ok "slow reader: sent ${sent:-?} of ${full:-?} bytes: the buffers did not fill, the set is too small here"
	fi
	expect_eq "$(rc_status .sessions)" 0 "slow reader: no session left"
	raw_close "$slow_fd"
	rc_stop
fi

echo "# --- section 10 at $(($(now_ms) - T_START)) ms"
# 10. /metrics still answers while 1,100 RTR sessions are open: their
#     descriptors pass FD_SETSIZE (1024), past which libmicrohttpd's
#     default select() refused every HTTP connection.
ulimit -n 4096 2>/dev/null
if [ "$(ulimit -n)" -lt 2048 ]; then
	not_ok "many sessions: cannot raise the descriptor limit to 4096"
elif ! rc_start many "$WORK/small.json"; then
	not_ok "many sessions: rtrcache did not come up"
else
	python3 - "$rc_port" "$rc_mport" >"$WORK/many.out" 2>&1 <<'PY'
import socket, subprocess, sys, time
port, mport = int(sys.argv[1]), int(sys.argv[2])
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(1100)]
time.sleep(0.5)
r = subprocess.run(["curl", "-s", "--max-time", "3", "-o", "/dev/null",
    "-w", "%{http_code}", "http://127.0.0.1:%d/metrics" % mport],
    capture_output=True, text=True)
print("code", r.stdout)
for s in socks:
    s.close()
PY
	expect_grep "$WORK/many.out" "^code 200$" "many sessions: /metrics answers 200 with 1,100 RTR sessions open"
	rc_stop
fi

rc_sanitizer_check
echo "# $(($(now_ms) - T_START)) ms"
finish
