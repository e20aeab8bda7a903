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
 * a padded (0x80-led) arc.  The conversion (a2d_ASN1_OBJECT, 900
 * instructions) is kept per thread for the few OIDs the parsers name.
 */
#define OID_MEMO	24

static _Thread_local struct {
	char		 text[48];
	int		 len;
	unsigned char	 der[32];
} oid_memo[OID_MEMO];
static _Thread_local int	 oid_nmemo;

int
asn1_oid_is(const ASN1_OBJECT *o, const char *want)
{
	unsigned char	 buf[OID_TEXT_MAX];
	const unsigned char *der = NULL;
	size_t		 tlen;
	int		 i, n = 0;

	if (o == NULL)
		return 0;
	for (i = 0; i < oid_nmemo; i++)
		if (strcmp(oid_memo[i].text, want) == 0) {
			der = oid_memo[i].der;
			n = oid_memo[i].len;
			break;
		}
	if (der == NULL) {
		if ((n = a2d_ASN1_OBJECT(buf, sizeof(buf), want, -1)) <= 0) {
			ERR_clear_error();
			return 0;
		}
		der = buf;
		if (oid_nmemo < OID_MEMO &&
		    (tlen = strlen(want)) < sizeof(oid_memo[0].text) &&
		    (size_t)n <= sizeof(oid_memo[0].der)) {
			memcpy(oid_memo[oid_nmemo].text, want, tlen + 1);
			oid_memo[oid_nmemo].len = n;
			memcpy(oid_memo[oid_nmemo].der, buf, (size_t)n);
			oid_nmemo++;
		}
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
