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

int
x509_name_check(const char *fn, const char *ref, const char *field,
    const X509_NAME *name, struct err *e)
{
	const X509_NAME_ENTRY	*ne;
	char			 buf[OID_TEXT_MAX];
	int			 i, n, nid, ncn = 0, nsn = 0;

	n = X509_NAME_entry_count(name);
	for (i = 0; i < n; i++) {
		ne = X509_NAME_get_entry(name, i);
		nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(ne));
		if (nid == NID_commonName) {
			if (name_cn_check(fn, ref, field,
			    X509_NAME_ENTRY_get_data(ne), e) != 0)
				return -1;
			ncn++;
		} else if (nid == NID_serialNumber)
			nsn++;
		else
			return err_set(e, "%s: %s: %s: want only commonName "
			    "and serialNumber, have %s", fn, ref, field,
			    asn1_oid_text(X509_NAME_ENTRY_get_object(ne),
			    buf));
	}
	if (ncn != 1)
		return err_set(e, "%s: %s: %s: want one commonName, have %d",
		    fn, ref, field, ncn);
	if (nsn > 1)
		return err_set(e, "%s: %s: %s: want at most one "
		    "serialNumber, have %d", fn, ref, field, nsn);
	return 0;
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
x509_key_id(const X509_PUBKEY *pub, uint8_t out[20])
{
	const unsigned char	*pk;
	unsigned int		 mdlen;
	int			 pklen;

	if (pub == NULL ||
	    X509_PUBKEY_get0_param(NULL, &pk, &pklen, NULL, pub) != 1)
		return -1;
	if (EVP_Digest(pk, (size_t)pklen, out, &mdlen, ossl_md_sha1(), NULL)
	    != 1 || mdlen != 20)
		return -1;
	return 0;
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
	if (tbs->type != V_ASN1_SEQUENCE || sig->type != V_ASN1_BIT_STRING ||
	    (sig->value.bit_string->flags & 0x07) != 0)
		goto out;
	ok = ossl_verify(pkey, ASN1_STRING_get0_data(tbs->value.sequence),
	    (size_t)ASN1_STRING_length(tbs->value.sequence),
	    ASN1_STRING_get0_data(sig->value.bit_string),
	    (size_t)ASN1_STRING_length(sig->value.bit_string));
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
