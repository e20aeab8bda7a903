#!/usr/bin/env bash
# Our rtrdump against rtrcache with ASPAs and router keys, in both ASPA
# PDU layouts (-rtr.aspa.format / -aspa.format), full and Serial Query.
# Regression: rtrdump dropped each PDU's bytes from its buffer before
# copying the ASPA providers and router-key SPKIs out of it, and so read
# the next PDU's bytes as providers (the End of Data intervals showed up
# as AS600 and AS7200).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtr_lib.sh"

DUMP="$RTR_BIN_DIR/rtrdump"
key() {
	openssl ecparam -genkey -name prime256v1 2>/dev/null |
	    openssl ec -pubout -outform DER 2>/dev/null | base64 -w0
}
K1=$(key)
K2=$(key)
fed() {		# fed OUT PROVIDERS-OF-65000
	cat >"$1" <<JSON
{
	"roas": [
		{ "prefix": "192.0.2.0/24", "maxLength": 24, "asn": "AS65000", "ta": "t" },
		{ "prefix": "2001:db8::/32", "maxLength": 48, "asn": "AS65001", "ta": "t" }
	],
	"bgpsec_keys": [
		{ "asn": 65010, "ski": "0102030405060708090a0b0c0d0e0f1011121314", "pubkey": "$K1" },
		{ "asn": 65011, "ski": "1112131415161718191a1b1c1d1e1f2021222324", "pubkey": "$K2" }
	],
	"aspas": [
		{ "customer_asid": 65000, "providers": [$2] },
		{ "customer_asid": 65002, "providers": [65003] }
	]
}
JSON
}
fed "$WORK/in1.json" "65001, 65002, 4200000000"
fed "$WORK/in2.json" "65001"
rtr_sign "$WORK/in1.json" "$WORK/s1.json" -validity 1h
rtr_sign "$WORK/in2.json" "$WORK/s2.json" -validity 1h

for fmt in draft10 current; do
	rtr_install "$WORK/s1.json" "$WORK/cache-$fmt.json"
	if ! rc_start "$fmt" "$WORK/cache-$fmt.json" -rtr.aspa.format "$fmt"; then
		not_ok "$fmt: rtrcache did not come up"
		continue
	fi
	expect_rc 0 "$fmt: v2 reset" "$DUMP" -connect "127.0.0.1:$rc_port" \
	    -aspa.format "$fmt" -file "$WORK/d-$fmt.json"
	expect_rc 0 "$fmt: VRPs, ASPAs and keys exactly as served" \
	    "$VRPJSON" diff "$WORK/s1.json" "$WORK/d-$fmt.json"
	expect_eq "$(jq -c '.provider_authorizations.ipv4[] | select(.customer_asid == 65000) | .providers' "$WORK/d-$fmt.json")" \
	    "[65001,65002,4200000000]" "$fmt: providers intact"
	expect_rc 0 "$fmt: v1 reset" "$DUMP" -connect "127.0.0.1:$rc_port" \
	    -protocol 1 -file "$WORK/v1-$fmt.json"
	expect_eq "$(jq -c '[(.bgpsec_keys | length), (.provider_authorizations // {} | length)]' "$WORK/v1-$fmt.json")" \
	    "[2,0]" "$fmt: v1 carries the keys, no ASPA"
	sid=$(rc_status '.session_ids[2]')
	rtr_install "$WORK/s2.json" "$WORK/cache-$fmt.json"
	rc_hup || not_ok "$fmt: SIGHUP made no poll"
	expect_rc 0 "$fmt: v2 Serial Query from serial 1" "$DUMP" \
	    -connect "127.0.0.1:$rc_port" -aspa.format "$fmt" -serial \
	    -serial.value 1 -session.id "$sid" -file "$WORK/sq-$fmt.json"
	expect_eq "$(jq -c '[.provider_authorizations.ipv4[] | [.customer_asid, .providers]]' "$WORK/sq-$fmt.json")" \
	    "[[65000,[65001]]]" "$fmt: the replaced ASPA comes as one announcement"
	expect_eq "$(jq -c '[(.roas | length), (.provider_authorizations.ipv4 // [] | length)]' "$WORK/sq-$fmt.json.withdrawn")" \
	    "[0,0]" "$fmt: and nothing is withdrawn"
	rc_stop
done
finish
