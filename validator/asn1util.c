/*
 * asn1util.c - ASN.1 times, OIDs and hex for the object parsers.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/objects.h>

#include "asn1util.h"
#include "encoding.h"

int
asn1_time_unix(const ASN1_TIME *t, int64_t *out)
{
	struct tm	tm;

	if (t == NULL || ASN1_TIME_check(t) != 1)
		return -1;
	memset(&tm, 0, sizeof(tm));
	if (ASN1_TIME_to_tm(t, &tm) != 1)
		return -1;
	*out = (int64_t)timegm(&tm);
	return 0;
}

const char *
asn1_oid_text(const ASN1_OBJECT *o, char buf[OID_TEXT_MAX])
{
	if (o == NULL)
		snprintf(buf, OID_TEXT_MAX, "(none)");
	else if (OBJ_obj2txt(buf, OID_TEXT_MAX, o, 1) <= 0)
		snprintf(buf, OID_TEXT_MAX, "(bad)");
	return buf;
}

/*
 * want is turned into its DER content octets and compared with o's,
 * rather than o into text: OBJ_obj2txt formats each arc with
 * BIO_snprintf, and was 2.6% of a validation run.  The two agree
 * because an OID has one encoding: OpenSSL refuses to decode one with
 * a padded (0x80-led) arc.
 */
int
asn1_oid_is(const ASN1_OBJECT *o, const char *want)
{
	unsigned char	der[OID_TEXT_MAX];
	int		n;

	if (o == NULL)
		return 0;
	if ((n = a2d_ASN1_OBJECT(der, sizeof(der), want, -1)) <= 0) {
		ERR_clear_error();
		return 0;
	}
	return OBJ_length(o) == (size_t)n &&
	    memcmp(OBJ_get0_data(o), der, (size_t)n) == 0;
}

char *
hex_upper_n(const uint8_t *p, size_t n, char *out)
{
	hex_encode_upper(p, n, out);
	return out;
}
