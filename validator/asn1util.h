/*
 * asn1util.h - small conversions every object parser of the validator
 * needs: ASN.1 times to unix seconds, OIDs to text, bytes to hex.
 */
#ifndef VALIDATOR_ASN1UTIL_H
#define VALIDATOR_ASN1UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/asn1.h>

/* Room for a dotted OID as asn1_oid_text writes it. */
#define OID_TEXT_MAX	128

/*
 * The unix time of t (UTCTime or GeneralizedTime).  Returns 0 and sets
 * *out, or -1 if t is NULL or not a valid time.
 */
int	asn1_time_unix(const ASN1_TIME *t, int64_t *out);

/*
 * The dotted text of o ("1.2.840.113549.1.9.16.1.24") in buf of
 * OID_TEXT_MAX bytes; "(none)" for NULL, "(bad)" if it cannot be
 * written.  Returns buf.
 */
const char *asn1_oid_text(const ASN1_OBJECT *o, char buf[OID_TEXT_MAX]);

/*
 * Whether o is the OID with dotted text want.  0 for a NULL o.
 */
int	asn1_oid_is(const ASN1_OBJECT *o, const char *want);

/*
 * Write n bytes of p as uppercase hex into out (2n + 1 bytes, NUL
 * terminated).  Returns out.
 */
char	*hex_upper_n(const uint8_t *p, size_t n, char *out);

#endif
