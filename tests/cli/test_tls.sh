#!/usr/bin/env bash
# rtrcache's TLS transport (-tls.bind): our rtrdump and StayRTR's rtrdump
# fetch the exact set over TLS; certificate checks hold; a large set goes
# through partial TLS writes intact; plain TCP keeps working beside it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtr_lib.sh"

DUMP="$RTR_BIN_DIR/rtrdump"

# A test CA and a server certificate for 127.0.0.1, and a stranger CA.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$WORK/ca.key" -out "$WORK/ca.pem" -days 2 -subj "/CN=test CA" \
    2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$WORK/srv.key" -out "$WORK/srv.csr" -subj "/CN=127.0.0.1" \
    2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$WORK/ext"
openssl x509 -req -in "$WORK/srv.csr" -CA "$WORK/ca.pem" \
    -CAkey "$WORK/ca.key" -CAcreateserial -days 2 -extfile "$WORK/ext" \
    -out "$WORK/srv.pem" 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$WORK/other.key" -out "$WORK/other.pem" -days 2 \
    -subj "/CN=stranger" 2>/dev/null
expect_eq "$(test -s "$WORK/srv.pem" && echo yes)" yes "test certificates made"

rtr_sign "$SHARED_DIR/fixtures/signed/valid-asn-string.json" "$WORK/small.json" -validity 1h
if ! rc_start tls "$WORK/small.json" -tls.bind "127.0.0.1:@TLSPORT@" \
    -tls.cert "$WORK/srv.pem" -tls.key "$WORK/srv.key" \
    -tls.handshake.timeout 2s; then
	not_ok "rtrcache with -tls.bind did not come up"
	finish
	exit
fi
expect_grep "$rc_log" "port $rc_tport, TLS" "listening with TLS"

expect_rc 0 "our rtrdump over TLS, CA checked" "$DUMP" -connect "127.0.0.1:$rc_tport" \
    -type tls -tls.ca "$WORK/ca.pem" -file "$WORK/tls.json"
expect_rc 0 "exactly the served set" "$VRPJSON" diff "$WORK/small.json" "$WORK/tls.json"
expect_rc 3 "a server certificate from another CA is refused" "$DUMP" \
    -connect "127.0.0.1:$rc_tport" -type tls -tls.ca "$WORK/other.pem" \
    -file "$WORK/x.json"
expect_grep "$WORK/err" "TLS handshake failed: certificate verify failed" "the reason is given"
expect_rc 0 "-tls.validate=false skips the check" "$DUMP" -connect "127.0.0.1:$rc_tport" \
    -type tls -tls.validate=false -file "$WORK/tls2.json"
for v in 0 1 2; do
	if timeout 20 rtrdump -connect "127.0.0.1:$rc_tport" -type tls -tls.validate=false \
	    -rtr.version "$v" -file "$WORK/stay$v.json" >"$WORK/stay.log" 2>&1; then
		expect_rc 0 "StayRTR's rtrdump over TLS, v$v: exact set" \
		    "$VRPJSON" diff "$WORK/small.json" "$WORK/stay$v.json"
	else
		not_ok "StayRTR's rtrdump over TLS, v$v failed"
		sed 's/^/#   /' "$WORK/stay.log" | tail -5
	fi
done
expect_rc 0 "plain TCP still served beside TLS" "$DUMP" -connect "127.0.0.1:$rc_port" \
    -file "$WORK/plain.json"
expect_rc 1 "plain RTR on the TLS port fails, no hang" "$DUMP" \
    -connect "127.0.0.1:$rc_tport" -timeout 5s -file "$WORK/x.json"
# A client that connects to the TLS port and says nothing is closed at
# the handshake deadline (2 s here), not held until the idle deadline.
t0=$(date +%s%N)
if exec 3<>"/dev/tcp/127.0.0.1/$rc_tport"; then
	timeout 10 cat <&3 >/dev/null
	exec 3<&-
	ms=$((($(date +%s%N) - t0) / 1000000))
	if [ "$ms" -ge 1500 ] && [ "$ms" -lt 8000 ]; then
		ok "a silent TLS client is closed at the handshake deadline ($ms ms)"
	else
		not_ok "a silent TLS client was closed after $ms ms, want about 2000"
	fi
else
	not_ok "could not connect to the TLS port"
fi
rc_wait_metric 'rtr_sessions_closed_total{reason="tls_handshake_timeout"}' 1 3
expect_eq "$(rc_metric 'rtr_sessions_closed_total{reason="tls_handshake_timeout"}')" 1 \
    "counted as a TLS handshake timeout"
expect_grep "$rc_log" "TLS handshake not finished within the deadline" \
    "and logged"
rc_stop

# A large set: many partial TLS writes, then exact content.
if [ -x "$BIN_DIR/../bench/mkvrps" ]; then
	"$BIN_DIR/../bench/mkvrps" -count 100000 -seed 7 -o "$WORK/in-big.json" >/dev/null 2>&1
	rtr_sign "$WORK/in-big.json" "$WORK/big.json" -validity 1h
	if rc_start big "$WORK/big.json" -tls.bind "127.0.0.1:@TLSPORT@" \
	    -tls.cert "$WORK/srv.pem" -tls.key "$WORK/srv.key"; then
		expect_rc 0 "100,000 VRPs over TLS" "$DUMP" -connect "127.0.0.1:$rc_tport" \
		    -type tls -tls.ca "$WORK/ca.pem" -file "$WORK/big-tls.json"
		expect_rc 0 "all of them intact" "$VRPJSON" diff -q "$WORK/big.json" "$WORK/big-tls.json"
		rc_stop
	else
		not_ok "big: rtrcache did not come up"
	fi
else
	not_ok "bench/mkvrps not built"
fi

# Misconfiguration is refused at start, with the reason.
expect_rc 2 "-tls.bind without a certificate" "$RTRCACHE" -tls.bind 127.0.0.1:0 \
    -cache "$WORK/small.json" -verify.key "$RTR_PUB"
expect_grep "$WORK/err" "needs -tls.cert and -tls.key" "says what is missing"
expect_rc 1 "an unreadable certificate" timeout 10 "$RTRCACHE" -bind "" \
    -tls.bind 127.0.0.1:0 -tls.cert "$WORK/nope.pem" -tls.key "$WORK/srv.key" \
    -cache "$WORK/small.json" -verify.key "$RTR_PUB" -metrics.addr ""
expect_grep "$WORK/err" "tls.cert .*nope.pem" "names the certificate file"

finish
