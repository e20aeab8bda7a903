# rtr_lib.sh - helpers for the rtrcache tests (test_rtrcache.sh,
# test_routers.sh).  Source it after lib.sh.
#
# Every daemon runs under timeout(1) as a backstop and is stopped by the
# PID this script started, never by name; every wait is bounded.  A raw
# RTR client in plain bash (/dev/tcp, xxd, head) reads and writes single
# PDUs, so the tests need nothing beyond the Debian tools the suite
# already uses.
# shellcheck disable=SC2034  # the variables set here are read by the tests

: "${RTR_BIN_DIR:?RTR_BIN_DIR must name the directory of rtrcache}"
RTRCACHE="$RTR_BIN_DIR/rtrcache"
VRPJSON="$BIN_DIR/vrpjson"
RTR_KEY="$SOURCE_DIR/keys/demo-private.pem"
RTR_PUB="$SOURCE_DIR/keys/demo-public.pem"
export LC_ALL=C

# Every background process started here (timeout's PID); the EXIT trap
# stops those still running.  Scripts add their own with rtr_track.
rtr_pids=()
rtr_track() {
	rtr_pids+=("$1")
}

rtr_cleanup() {
	local p
	for p in "${rtr_pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${rtr_pids[@]}"; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap rtr_cleanup EXIT

# now_ms - milliseconds since the epoch.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# rtr_free_port - print a TCP port nobody listens on, nor on the next one.
rtr_free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		if [ -z "$(ss -Htln "sport = :$p")" ] &&
		    [ -z "$(ss -Htln "sport = :$((p + 1))")" ]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# rtr_child PID - the PID of the only child of PID (timeout's program).
rtr_child() {
	ps -o pid= --ppid "$1" | tr -d ' ' | head -1
}

# rtr_listens PID PORT - process PID itself listens on TCP PORT.
rtr_listens() {
	[ -n "$1" ] && ss -Htlnp "sport = :$2" | grep -q "pid=$1,"
}

# ---- rtrcache ------------------------------------------------------------

# rc_start NAME CACHE [FLAGS...] - start rtrcache on loopback with the
# demo key; sets rc_pid (timeout's), rc_child (rtrcache's), rc_port,
# rc_mport, rc_tport (port + 2, substituted for "@TLSPORT@" in FLAGS),
# rc_log.  Returns 0 once both ports listen and the first poll
# has been published in /metrics (good or bad), 1 if not within 10 s.
rc_start() {
	local name=$1 cache=$2
	shift 2
	local args
	for _ in 1 2 3; do
		rc_port=$(rtr_free_port) || return 1
		rc_mport=$((rc_port + 1))
		rc_tport=$((rc_port + 2))	# "@TLSPORT@" in FLAGS
		rc_log="$WORK/rtrcache-$name.log"
		args=("${@//@TLSPORT@/$rc_tport}")
		# -k: KILL 10 s after a TERM (ours or timeout's) that did
		# not end it.  Once in the ASan build, LeakSanitizer's exit
		# check hung (its tracer waiting on a thread that never
		# stopped), and rc_stop's wait with it.
		timeout -k 10 300 "$RTRCACHE" -bind "127.0.0.1:$rc_port" \
		    -cache "$cache" -verify.key "$RTR_PUB" \
		    -metrics.addr "127.0.0.1:$rc_mport" -refresh 3600 \
		    "${args[@]}" >"$rc_log" 2>&1 &
		rc_pid=$!
		rtr_track "$rc_pid"
		rc_child=
		for _ in $(seq 100); do
			kill -0 "$rc_pid" 2>/dev/null || break
			[ -n "$rc_child" ] || rc_child=$(rtr_child "$rc_pid")
			if rtr_listens "$rc_child" "$rc_port" &&
			    rtr_listens "$rc_child" "$rc_mport" &&
			    [ "$(rc_metric rtrcache_fetches_total)" -ge 1 ] 2>/dev/null; then
				return 0
			fi
			sleep 0.1
		done
		rc_stop
		grep -q "Address already in use\|cannot listen" "$rc_log" || break
	done
	sed 's/^/#   /' "$rc_log" | tail -20
	return 1
}

# rc_stop - stop the rtrcache started last (SIGTERM through timeout,
# SIGKILL 10 s later if it has not exited).
rc_stop() {
	if [ -n "$rc_pid" ]; then
		kill "$rc_pid" 2>/dev/null
		wait "$rc_pid" 2>/dev/null
		rc_pid=
		rc_child=
	fi
}

# rc_sanitizer_check - in the ASan+UBSan build, no rtrcache log of this
# run holds an AddressSanitizer error or a UBSan "runtime error" (leaks
# at exit are left to the SIGTERM check).
rc_sanitizer_check() {
	local f bad=0
	for f in "$WORK"/rtrcache-*.log; do
		[ -f "$f" ] || continue
		if grep -q -E "ERROR: AddressSanitizer|runtime error:" "$f"; then
			not_ok "sanitizer report in $(basename "$f"):"
			grep -E -A3 "ERROR: AddressSanitizer|runtime error:" "$f" | head -10 | sed 's/^/#   /'
			bad=1
		fi
	done
	[ "$bad" -eq 0 ] && ok "no AddressSanitizer or UBSan report in the rtrcache logs"
}

# rc_get PATH - the body of GET http://127.0.0.1:$rc_mport/PATH.
rc_get() {
	curl -s --max-time 3 "http://127.0.0.1:$rc_mport/$1"
}

# rc_code PATH - the HTTP status of GET PATH.
rc_code() {
	curl -s --max-time 3 -o /dev/null -w '%{http_code}' \
	    "http://127.0.0.1:$rc_mport/$1"
}

# rc_metric SAMPLE - the value of the sample whose name and labels are
# exactly SAMPLE (e.g. 'rtr_sessions{version="1"}'); empty if none.
rc_metric() {
	rc_get metrics | awk -v s="$1 " 'index($0, s) == 1 { print $NF; exit }'
}

# rc_status JQ - a field of /status.
rc_status() {
	rc_get status | jq -r "$1" 2>/dev/null
}

# rc_wait_metric SAMPLE WANT [SECONDS] - until SAMPLE is WANT (the
# metrics are republished each second).  Returns 1 on timeout.
rc_wait_metric() {
	local i n=$((${3:-5} * 10))
	for ((i = 0; i < n; i++)); do
		[ "$(rc_metric "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# rc_polls - how many polls rtrcache has logged an outcome for: a file
# read and taken ("good file") or rejected ("update rejected").  Polls
# answered "not modified" are logged at debug level only: the tests
# change or touch the file before each poll they wait for.
rc_polls() {
	grep -c -E ': good file, |update rejected \(' "$rc_log"
}

# rc_wait_status JQ WANT [SECONDS] - until /status's JQ is WANT.
rc_wait_status() {
	local i n=$((${3:-5} * 10))
	for ((i = 0; i < n; i++)); do
		[ "$(rc_status "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# rc_wait_code PATH WANT [SECONDS] - until GET PATH answers status WANT.
rc_wait_code() {
	local i n=$((${3:-5} * 10))
	for ((i = 0; i < n; i++)); do
		[ "$(rc_code "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# rc_hup - SIGHUP rtrcache and wait until the poll it makes is logged
# (the log line is written by the same code that counts the outcome, and
# the data plane has switched by then; /metrics follows within 1 s).
# Sets RC_OUTCOME to the poll's log line.  Returns 1 if not within 5 s.
rc_hup() {
	local before
	before=$(rc_polls)
	RC_OUTCOME=
	kill -HUP "$rc_child" || return 1
	for _ in $(seq 250); do
		if [ "$(rc_polls)" -gt "$before" ]; then
			RC_OUTCOME=$(grep -E ': good file, |update rejected \(' "$rc_log" | tail -1)
			return 0
		fi
		sleep 0.02
	done
	return 1
}

# ---- VRP files -----------------------------------------------------------

# rtr_install SRC DEST - replace DEST by a copy of SRC atomically.
rtr_install() {
	cp "$1" "$1.install.tmp" && mv -f "$1.install.tmp" "$2"
}

# rtr_sign IN OUT [vrpjson sign flags...] - sign with the demo key.
rtr_sign() {
	local in=$1 out=$2
	shift 2
	"$VRPJSON" sign -key "$RTR_KEY" "$@" "$in" "$out" >/dev/null
}

# rtr_sign_raw IN OUT - sign IN's ROAs as they are written, valid for an
# hour, with openssl and jq alone (GoRTR's scheme, see common/vrpsign.h):
# for files vrpjson refuses to sign.
rtr_sign_raw() {
	local s gen valid
	s=$(jq -r '.roas[] | "\(.prefix),\(.maxLength),\(.asn),"' "$1" | sort | tr -d '\n')
	gen=$(date +%s)
	valid=$((gen + 3600))
	printf '%s' "$s" | openssl dgst -sha256 -binary >"$WORK/raw-d1"
	printf '%s,%s%s' "$gen" "$s" "$valid" | openssl dgst -sha256 -binary >"$WORK/raw-d2"
	openssl pkeyutl -sign -inkey "$RTR_KEY" -in "$WORK/raw-d1" -out "$WORK/raw-s1" || return 1
	openssl pkeyutl -sign -inkey "$RTR_KEY" -in "$WORK/raw-d2" -out "$WORK/raw-s2" || return 1
	jq --argjson g "$gen" --argjson v "$valid" \
	    --arg s1 "$(xxd -p "$WORK/raw-s1" | tr -d '\n')" \
	    --arg s2 "$(xxd -p "$WORK/raw-s2" | tr -d '\n')" \
	    '.metadata.generated = $g | .metadata.valid = $v |
	     .metadata.signatureDate = $s1 | .metadata.signature = $s2' \
	    "$1" >"$2"
}

# rtr_norm FILE - the VRPs of a VRP file (any form vrpjson reads) as
# sorted unique "prefix/len-maxlen asn" lines.
rtr_norm() {
	"$VRPJSON" convert -format csv "$1" - |
	    awk -F, 'NR > 1 { sub(/^AS/, "", $1); print $2 "-" $3 " " $1 }' |
	    sort -u
}

# rtr_norm_diff OLD NEW - vrpjson diff as sorted "+|- prefix/len-maxlen
# asn" lines (VRPs only).
rtr_norm_diff() {
	"$VRPJSON" diff "$1" "$2" |
	    awk '($1 == "+" || $1 == "-") && $4 == "maxLength" {
		sub(/^AS/, "", $2); print $1 " " $3 "-" $5 " " $2 }' |
	    sort -u
}

# rtr_norm_rtrclient CSV - rtrclient -t csv output, normalised alike.
rtr_norm_rtrclient() {
	awk -F', *' 'NF == 4 && $2 ~ /^[0-9]+$/ { print $1 "/" $2 "-" $3 " " $4 }' "$1" |
	    sort -u
}

# ---- a raw RTR client ----------------------------------------------------

# raw_open PORT - connect; the descriptor is left in RAW_FD.
raw_open() {
	exec {RAW_FD}<>"/dev/tcp/127.0.0.1/$1"
}

# raw_close FD
raw_close() {
	eval "exec $1>&-"
}

# raw_send FD HEX - write the bytes HEX spells (spaces allowed).
raw_send() {
	printf '%s' "$2" | tr -d ' ' | xxd -r -p >&"$1"
}

# raw_read_pdu FD [SECONDS] - read one PDU.  Sets PDU_HEX (all of it),
# PDU_VER, PDU_TYPE, PDU_FIELD, PDU_LEN.  Returns 0, 1 if the cache
# closed the connection (EOF or reset) first, 2 if nothing complete came
# within SECONDS (default 3), 3 for a length no PDU has.
raw_read_pdu() {
	local fd=$1 t=${2:-3} rc hdr body
	PDU_HEX='' PDU_VER='' PDU_TYPE='' PDU_FIELD='' PDU_LEN=''
	timeout "$t" head -c 8 <&"$fd" >"$WORK/raw.in" 2>/dev/null
	rc=$?
	hdr=$(xxd -p "$WORK/raw.in" | tr -d '\n')
	if [ ${#hdr} -lt 16 ]; then
		[ "$rc" -eq 124 ] && return 2
		return 1
	fi
	PDU_VER=$((16#${hdr:0:2}))
	PDU_TYPE=$((16#${hdr:2:2}))
	PDU_FIELD=$((16#${hdr:4:4}))
	PDU_LEN=$((16#${hdr:8:8}))
	[ "$PDU_LEN" -ge 8 ] && [ "$PDU_LEN" -le 65535 ] || return 3
	body=
	if [ "$PDU_LEN" -gt 8 ]; then
		timeout "$t" head -c $((PDU_LEN - 8)) <&"$fd" >"$WORK/raw.in" 2>/dev/null
		rc=$?
		body=$(xxd -p "$WORK/raw.in" | tr -d '\n')
		if [ ${#body} -ne $((2 * (PDU_LEN - 8))) ]; then
			[ "$rc" -eq 124 ] && return 2
			return 1
		fi
	fi
	PDU_HEX=$hdr$body
	return 0
}

# raw_state FD [SECONDS] - print "closed" if the cache closes the
# connection within SECONDS (default 1) without sending anything,
# "open" if nothing happens, or "data" if bytes arrive.
raw_state() {
	local rc
	timeout "${2:-1}" head -c 1 <&"$1" >"$WORK/raw.in" 2>/dev/null
	rc=$?
	if [ -s "$WORK/raw.in" ]; then
		echo data
	elif [ "$rc" -eq 124 ]; then
		echo open
	else
		echo closed
	fi
}

# Error Report fields of the PDU last read (RFC 8210 section 5.11).
err_pdu() {		# the encapsulated PDU, hex
	local n=$((16#${PDU_HEX:16:8}))
	echo "${PDU_HEX:24:$((2 * n))}"
}
err_text() {		# the error text
	local n=$((16#${PDU_HEX:16:8}))
	echo "${PDU_HEX:$((32 + 2 * n))}" | xxd -r -p
}

# rtr_fmt6 HEX32 - an IPv6 address in the RFC 5952 form inet_ntop writes.
rtr_fmt6() {
	local h=$1 i g=() best=-1 bestlen=1 run=0 start=0 out=
	for ((i = 0; i < 8; i++)); do
		g[i]=$((16#${h:$((4 * i)):4}))
	done
	for ((i = 0; i < 8; i++)); do
		if [ "${g[i]}" -eq 0 ]; then
			[ "$run" -eq 0 ] && start=$i
			run=$((run + 1))
			if [ "$run" -gt "$bestlen" ]; then
				best=$start
				bestlen=$run
			fi
		else
			run=0
		fi
	done
	for ((i = 0; i < 8; i++)); do
		if [ "$best" -ge 0 ] && [ "$i" -ge "$best" ] &&
		    [ "$i" -lt $((best + bestlen)) ]; then
			[ "$i" -eq "$best" ] && out="$out::"
			continue
		fi
		case $out in
		"" | *:) ;;
		*) out="$out:" ;;
		esac
		out="$out$(printf '%x' "${g[i]}")"
	done
	echo "$out"
}

# raw_prefix_line - the prefix PDU last read as "+|- prefix/len-max asn".
raw_prefix_line() {
	local h=$PDU_HEX flag plen max addr asn
	flag=$((16#${h:16:2} & 1))
	plen=$((16#${h:18:2}))
	max=$((16#${h:20:2}))
	if [ "$PDU_TYPE" -eq 4 ]; then
		addr=$(printf '%d.%d.%d.%d' "$((16#${h:24:2}))" "$((16#${h:26:2}))" \
		    "$((16#${h:28:2}))" "$((16#${h:30:2}))")
		asn=$((16#${h:32:8}))
	else
		addr=$(rtr_fmt6 "${h:24:32}")
		asn=$((16#${h:56:8}))
	fi
	if [ "$flag" -eq 1 ]; then
		echo "+ $addr/$plen-$max $asn"
	else
		echo "- $addr/$plen-$max $asn"
	fi
}

# raw_read_answer FD OUT [SECONDS] - read PDUs until an End of Data, a
# Cache Reset or an Error Report; prefixes go to OUT as raw_prefix_line
# lines.  Sets ANS_END (eod, reset, error), ANS_SESSION (Cache
# Response), ANS_SERIAL (End of Data), ANS_NOTIFIES (Serial Notifies
# seen), ANS_TYPES (every type, in order).  Returns 0, or 1 with
# ANS_END=closed or timeout.  For small answers: one PDU costs a few
# processes.
raw_read_answer() {
	local fd=$1 out=$2 t=${3:-3} r i
	: >"$out"
	ANS_END='' ANS_SESSION='' ANS_SERIAL='' ANS_NOTIFIES=0 ANS_TYPES=''
	for ((i = 0; i < 100000; i++)); do
		raw_read_pdu "$fd" "$t"
		r=$?
		if [ "$r" -ne 0 ]; then
			[ "$r" -eq 2 ] && ANS_END=timeout || ANS_END=closed
			return 1
		fi
		ANS_TYPES="$ANS_TYPES $PDU_TYPE"
		case $PDU_TYPE in
		0) ANS_NOTIFIES=$((ANS_NOTIFIES + 1)) ;;
		3) ANS_SESSION=$PDU_FIELD ;;
		4 | 6) raw_prefix_line >>"$out" ;;
		7)
			ANS_SERIAL=$((16#${PDU_HEX:16:8}))
			ANS_END=eod
			return 0
			;;
		8)
			ANS_END=reset
			return 0
			;;
		10)
			ANS_END=error
			return 0
			;;
		esac
	done
	return 1
}

# hex helpers for building PDUs.
hex8() { printf '%02x' "$1"; }
hex16() { printf '%04x' "$1"; }
hex32() { printf '%08x' "$1"; }

# pdu_reset VERSION - a Reset Query.
pdu_reset() {
	echo "$(hex8 "$1")02000000000008"
}

# pdu_serial VERSION SESSION SERIAL - a Serial Query.
pdu_serial() {
	echo "$(hex8 "$1")01$(hex16 "$2")0000000c$(hex32 "$3")"
}

# pdu_error VERSION CODE [PDUHEX [TEXT]] - a well-formed Error Report.
pdu_error() {
	local p=${3:-} t th
	t=${4:-}
	th=$(printf '%s' "$t" | xxd -p | tr -d '\n')
	echo "$(hex8 "$1")0a$(hex16 "$2")$(hex32 $((16 + ${#p} / 2 + ${#th} / 2)))$(hex32 $((${#p} / 2)))$p$(hex32 $((${#th} / 2)))$th"
}
