/*
 * x509util.c - serial numbers, signature algorithms, names, key
 * identifiers and URIs for the certificate and CRL parsers.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include "asn1util.h"
#include "ossl.h"
#include "x509util.h"

#define URI_MAX		2048

int
x509_serial(const char *fn, const char *ref, const char *field,
    const ASN1_INTEGER *i, int allow_zero, struct serial *s, struct err *e)
{
	const uint8_t	*d;
	int		 n, der;

	memset(s, 0, sizeof(*s));
	if (i == NULL)
		return err_set(e, "%s: %s: %s: want an integer, have none",
		    fn, ref, field);
	d = ASN1_STRING_get0_data(i);
	n = ASN1_STRING_length(i);
	while (n > 0 && d[0] == 0) {
		d++;
		n--;
	}
	if (ASN1_STRING_type(i) == V_ASN1_NEG_INTEGER && n > 0)
		return err_set(e, "%s: %s: %s: want %s, have negative",
		    fn, ref, field, allow_zero ? "non-negative" : "positive");
	if (n == 0 && !allow_zero)
		return err_set(e, "%s: %s: %s: want positive, have 0",
		    fn, ref, field);
	/* The DER content adds a zero octet before a high first bit. */
	der = n == 0 ? 1 : n + ((d[0] & 0x80) != 0);
	if (der > SERIAL_MAX)
		return err_set(e, "%s: %s: %s: want at most %d octets, "
		    "have %d", fn, ref, field, SERIAL_MAX, der);
	s->len = (uint8_t)n;
	memcpy(s->b, d, (size_t)n);
	return 0;
}

int
x509_serial_cmp(const struct serial *a, const struct serial *b)
{
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return memcmp(a->b, b->b, a->len);
}

char *
x509_serial_text(const struct serial *s, char *buf)
{
	if (s->len == 0) {
		buf[0] = '0';
		buf[1] = '\0';
		return buf;
	}
	return hex_upper_n(s->b, s->len, buf);
}

int
x509_sigalg_check(const char *fn, const char *ref, const char *field,
    const X509_ALGOR *alg, struct err *e)
{
	const ASN1_OBJECT	*obj;
	const void		*pval;
	char			 buf[OID_TEXT_MAX];
	int			 ptype;

	X509_ALGOR_get0(&obj, &ptype, &pval, alg);
	if (OBJ_obj2nid(obj) != NID_sha256WithRSAEncryption)
		return err_set(e, "%s: %s: %s: want sha256WithRSAEncryption "
		    "(1.2.840.113549.1.1.11), have %s", fn, ref, field,
		    asn1_oid_text(obj, buf));
	if (ptype != V_ASN1_UNDEF && ptype != V_ASN1_NULL)
		return err_set(e, "%s: RFC 4055 section 5: %s parameters: "
		    "want NULL or absent, have ASN.1 type %d", fn, field,
		    ptype);
	return 0;
}

/* How an AlgorithmIdentifier's parameters look, for diagnostics. */
static const char *
sigalg_params(const X509_ALGOR *alg)
{
	int	 ptype;

	X509_ALGOR_get0(NULL, &ptype, NULL, alg);
	return ptype == V_ASN1_UNDEF ? "absent" : ptype == V_ASN1_NULL ?
	    "NULL" : "other";
}

int
x509_sigalg_same(const char *fn, const char *ref, const X509_ALGOR *inner,
    const X509_ALGOR *outer, struct err *e)
{
	if (X509_ALGOR_cmp(inner, outer) == 0)
		return 0;
	return err_set(e, "%s: %s: signatureAlgorithm: want the signature "
	    "field's AlgorithmIdentifier (%s parameters), have %s parameters",
	    fn, ref, sigalg_params(inner), sigalg_params(outer));
}

/* Check the CommonName value of fn: a non-empty string. */
static int
name_cn_check(const char *fn, const char *ref, const char *field,
    const ASN1_STRING *s, struct err *e)
{
	/*
	 * RFC 6487 wants a PrintableString.  UTF8String is accepted too:
	 * router certificates in use carry one (the router.cer fixture
	 * from rpki-rs), and other relying parties take them.
	 */
	if (ASN1_STRING_type(s) != V_ASN1_PRINTABLESTRING &&
	    ASN1_STRING_type(s) != V_ASN1_UTF8STRING)
		return err_set(e, "%s: %s: %s commonName: want "
		    "PrintableString, have ASN.1 type %d", fn, ref, field,
		    ASN1_STRING_type(s));
	if (ASN1_STRING_length(s) <= 0)
		return err_set(e, "%s: %s: %s commonName: want non-empty, "
		    "have empty", fn, ref, field);
	return 0;
}

/*
 * Whether s converts to UTF-8.  Decoding a name as an X509_NAME
 * (x509_name_canon) converts every string of these types and fails on
 * one that does not convert: a UTF8String that is not UTF-8, a
 * BMPString or UniversalString holding a surrogate or a code point past
 * U+10FFFF.  The other types it converts are one byte a character and
 * always do.  Names decoded by certasn1.c are checked here instead, so
 * that they are refused as before.
 */
static int
name_value_converts(const ASN1_STRING *s)
{
	unsigned char	*utf8 = NULL;
	int		 n;

	switch (ASN1_STRING_type(s)) {
	case V_ASN1_UTF8STRING:
	case V_ASN1_BMPSTRING:
	case V_ASN1_UNIVERSALSTRING:
		break;
	default:
		return 1;
	}
	n = ASN1_STRING_to_UTF8(&utf8, s);
	OPENSSL_free(utf8);
	if (n >= 0)
		return 1;
	ERR_clear_error();
	return 0;
}

/* The attributes counted so far in a name. */
struct name_count {
	int	 ncn;
	int	 nsn;
};

/* One AttributeTypeAndValue of a name, counted into nc. */
static int
name_entry_check(const char *fn, const char *ref, const char *field,
    const ASN1_OBJECT *type, const ASN1_STRING *value, struct name_count *nc,
    struct err *e)
{
	char	 buf[OID_TEXT_MAX];
	int	 nid;

	if (!name_value_converts(value))
		return err_set(e, "%s: %s: %s: want strings that convert to "
		    "UTF-8, have an ASN.1 type %d value that does not", fn,
		    ref, field, ASN1_STRING_type(value));
	nid = OBJ_obj2nid(type);
	if (nid == NID_commonName) {
		if (name_cn_check(fn, ref, field, value, e) != 0)
			return -1;
		nc->ncn++;
	} else if (nid == NID_serialNumber)
		nc->nsn++;
	else
		return err_set(e, "%s: %s: %s: want only commonName and "
		    "serialNumber, have %s", fn, ref, field,
		    asn1_oid_text(type, buf));
	return 0;
}

/* What the counts of a whole name must be. */
static int
name_count_check(const char *fn, const char *ref, const char *field,
    const struct name_count *nc, struct err *e)
{
	if (nc->ncn != 1)
		return err_set(e, "%s: %s: %s: want one commonName, have %d",
		    fn, ref, field, nc->ncn);
	if (nc->nsn > 1)
		return err_set(e, "%s: %s: %s: want at most one "
		    "serialNumber, have %d", fn, ref, field, nc->nsn);
	return 0;
}

int
x509_name_check(const char *fn, const char *ref, const char *field,
    const X509_NAME *name, struct err *e)
{
	const X509_NAME_ENTRY	*ne;
	struct name_count	 nc = { 0, 0 };
	int			 i, n;

	n = X509_NAME_entry_count(name);
	for (i = 0; i < n; i++) {
		ne = X509_NAME_get_entry(name, i);
		if (name_entry_check(fn, ref, field,
		    X509_NAME_ENTRY_get_object(ne),
		    X509_NAME_ENTRY_get_data(ne), &nc, e) != 0)
			return -1;
	}
	return name_count_check(fn, ref, field, &nc, e);
}

int
x509_rdn_check(const char *fn, const char *ref, const char *field,
    const RpkiName *name, struct err *e)
{
	const RpkiRdn		*rdn;
	const RpkiAttr		*a;
	struct name_count	 nc = { 0, 0 };
	int			 i, j, n, m;

	/* In X509_NAME's order: the RDNs in turn, each one's attributes. */
	n = sk_RpkiRdn_num(name);
	for (i = 0; i < n; i++) {
		rdn = sk_RpkiRdn_value(name, i);
		m = sk_RpkiAttr_num(rdn);
		for (j = 0; j < m; j++) {
			a = sk_RpkiAttr_value(rdn, j);
			if (name_entry_check(fn, ref, field, a->type, a->value,
			    &nc, e) != 0)
				return -1;
		}
	}
	return name_count_check(fn, ref, field, &nc, e);
}

int
x509_aki_check(const char *fn, const char *ref, const AUTHORITY_KEYID *akid,
    int crit, uint8_t aki[20], struct err *e)
{
	if (crit)
		return err_set(e, "%s: %s: authorityKeyIdentifier: want "
		    "non-critical, have critical", fn, ref);
	if (akid->issuer != NULL || akid->serial != NULL)
		return err_set(e, "%s: %s: authorityKeyIdentifier: want "
		    "keyIdentifier only, have authorityCertIssuer or "
		    "authorityCertSerialNumber", fn, ref);
	if (akid->keyid == NULL || ASN1_STRING_length(akid->keyid) != 20)
		return err_set(e, "%s: %s: authorityKeyIdentifier: want a "
		    "20-octet keyIdentifier, have %d octets", fn, ref,
		    akid->keyid == NULL ? 0 : ASN1_STRING_length(akid->keyid));
	memcpy(aki, ASN1_STRING_get0_data(akid->keyid), 20);
	return 0;
}

int
x509_key_id(const ASN1_BIT_STRING *key, uint8_t out[20])
{
	if (key == NULL)
		return -1;
	ossl_sha1(ASN1_STRING_get0_data(key), (size_t)ASN1_STRING_length(key),
	    out);
	return 0;
}

int
x509_sig_verify(const uint8_t *tbs, size_t tbslen,
    const ASN1_BIT_STRING *sig, EVP_PKEY *pkey)
{
	/* ASN1_item_verify refuses unused bits in the signature. */
	if (tbs == NULL || sig == NULL || (sig->flags & 0x07) != 0)
		return 0;
	return ossl_verify(pkey, tbs, tbslen, ASN1_STRING_get0_data(sig),
	    (size_t)ASN1_STRING_length(sig));
}

int
x509_signed_verify(const uint8_t *der, size_t len, EVP_PKEY *pkey)
{
	const unsigned char	*p = der;
	ASN1_SEQUENCE_ANY	*seq = NULL;
	const ASN1_TYPE		*tbs, *sig;
	int			 ok = 0;

	/* ANY keeps a SEQUENCE element's whole encoding, tag included. */
	if (len > LONG_MAX ||
	    (seq = d2i_ASN1_SEQUENCE_ANY(NULL, &p, (long)len)) == NULL ||
	    p != der + len || sk_ASN1_TYPE_num(seq) != 3)
		goto out;
	tbs = sk_ASN1_TYPE_value(seq, 0);
	sig = sk_ASN1_TYPE_value(seq, 2);
	if (tbs->type != V_ASN1_SEQUENCE || sig->type != V_ASN1_BIT_STRING)
		goto out;
	ok = x509_sig_verify(ASN1_STRING_get0_data(tbs->value.sequence),
	    (size_t)ASN1_STRING_length(tbs->value.sequence),
	    sig->value.bit_string, pkey);
 out:
	sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
	if (!ok)
		ERR_clear_error();
	return ok;
}

/* Whether the path of a URI has a "." or ".." segment. */
static int
uri_dot_segment(const char *p, size_t len)
{
	size_t	 i = 0, start;

	while (i < len) {
		start = i;
		while (i < len && p[i] != '/')
			i++;
		if ((i - start == 1 && p[start] == '.') ||
		    (i - start == 2 && p[start] == '.' && p[start + 1] == '.'))
			return 1;
		i++;
	}
	return 0;
}

int
uri_valid(const char *s, size_t len, const char *scheme)
{
	size_t	 slen = strlen(scheme), i, host;

	if (len > URI_MAX || len < slen + 3 ||
	    strncasecmp(s, scheme, slen) != 0 ||
	    memcmp(s + slen, "://", 3) != 0)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	s += slen + 3;
	len -= slen + 3;
	for (host = 0; host < len && s[host] != '/'; host++)
		continue;
	if (host == 0)
		return 0;
	return !uri_dot_segment(s + host, len - host);
}

char *
text_shown(const char *s, size_t len, char buf[TEXT_SHOWN_MAX])
{
	size_t	 i, n = len > 100 ? 100 : len;

	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)s[i] < 0x20 ||
		    (unsigned char)s[i] >= 0x7f ? '?' : s[i];
	if (n < len)
		buf[n++] = '.', buf[n++] = '.', buf[n++] = '.';
	buf[n] = '\0';
	return buf;
}

int
x509_gn_uri(const char *fn, const char *ref, const char *field,
    const GENERAL_NAME *gn, const char *scheme, char **out, struct err *e)
{
	const ASN1_IA5STRING	*uri;
	const char		*s;
	char			 shown[TEXT_SHOWN_MAX];
	size_t			 len, slen = strlen(scheme);

	if (gn->type != GEN_URI)
		return 0;
	uri = gn->d.uniformResourceIdentifier;
	s = (const char *)ASN1_STRING_get0_data(uri);
	len = (size_t)ASN1_STRING_length(uri);
	if (len < slen + 1 || strncasecmp(s, scheme, slen) != 0 ||
	    s[slen] != ':')
		return 0;
	if (!uri_valid(s, len, scheme))
		return err_set(e, "%s: %s: %s: want a valid %s URI, have "
		    "\"%s\"", fn, ref, field, scheme,
		    text_shown(s, len, shown));
	if (*out != NULL)
		return 1;
	if ((*out = strndup(s, len)) == NULL)
		return err_set(e, "%s: out of memory", fn);
	return 1;
}
