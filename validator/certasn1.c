/*
 * certasn1.c - the ASN.1 templates of RFC 5280 Certificate (certasn1.h
 * says why they replace OpenSSL's X509).  Field for field OpenSSL's
 * X509_CINF and X509 (crypto/x509/x_x509.c), with Name and
 * SubjectPublicKeyInfo as the plain structures X509_NAME and X509_PUBKEY
 * decode internally (X509_NAME_INTERNAL, X509_PUBKEY_INTERNAL), without
 * their callbacks.
 */
#include <limits.h>
#include <string.h>

#include "certasn1.h"

/*
 * AttributeValue: OpenSSL's ASN1_PRINTABLE (a string type, BIT STRING,
 * SEQUENCE or an unknown universal type), as in X509_NAME_ENTRY, so a
 * name decodes here exactly when it decoded as an X509_NAME (but for
 * the UTF-8 conversion, certasn1.h).
 */
ASN1_SEQUENCE(RpkiAttr) = {
	ASN1_SIMPLE(RpkiAttr, type, ASN1_OBJECT),
	ASN1_SIMPLE(RpkiAttr, value, ASN1_PRINTABLE),
} static_ASN1_SEQUENCE_END(RpkiAttr)

ASN1_ITEM_TEMPLATE(RpkiRdn) =
	ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SET_OF, 0, RpkiRdn, RpkiAttr)
static_ASN1_ITEM_TEMPLATE_END(RpkiRdn)

ASN1_ITEM_TEMPLATE(RpkiName) =
	ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF, 0, RpkiName, RpkiRdn)
ASN1_ITEM_TEMPLATE_END(RpkiName)

ASN1_SEQUENCE(RpkiSpki) = {
	ASN1_SIMPLE(RpkiSpki, algorithm, X509_ALGOR),
	ASN1_SIMPLE(RpkiSpki, subjectPublicKey, ASN1_BIT_STRING),
} ASN1_SEQUENCE_END(RpkiSpki)

/* The received encoding is kept in enc (ASN1_AFLG_ENCODING). */
ASN1_SEQUENCE_enc(RpkiTbsCertificate, enc, 0) = {
	ASN1_EXP_OPT(RpkiTbsCertificate, version, ASN1_INTEGER, 0),
	ASN1_EMBED(RpkiTbsCertificate, serialNumber, ASN1_INTEGER),
	ASN1_EMBED(RpkiTbsCertificate, signature, X509_ALGOR),
	ASN1_SIMPLE(RpkiTbsCertificate, issuer, RpkiName),
	ASN1_EMBED(RpkiTbsCertificate, validity, X509_VAL),
	ASN1_SIMPLE(RpkiTbsCertificate, subject, RpkiName),
	ASN1_SIMPLE(RpkiTbsCertificate, subjectPublicKeyInfo, RpkiSpki),
	ASN1_IMP_OPT(RpkiTbsCertificate, issuerUniqueID, ASN1_BIT_STRING, 1),
	ASN1_IMP_OPT(RpkiTbsCertificate, subjectUniqueID, ASN1_BIT_STRING,
	    2),
	ASN1_EXP_SEQUENCE_OF_OPT(RpkiTbsCertificate, extensions,
	    X509_EXTENSION, 3),
} static_ASN1_SEQUENCE_END_ref(RpkiTbsCertificate, RpkiTbsCertificate)

ASN1_SEQUENCE(RpkiCertificate) = {
	ASN1_EMBED(RpkiCertificate, tbsCertificate, RpkiTbsCertificate),
	ASN1_EMBED(RpkiCertificate, signatureAlgorithm, X509_ALGOR),
	ASN1_EMBED(RpkiCertificate, signature, ASN1_BIT_STRING),
} ASN1_SEQUENCE_END(RpkiCertificate)

RpkiCertificate *
certasn1_decode(const uint8_t *der, size_t len, const uint8_t **end)
{
	const unsigned char	*p = der;
	RpkiCertificate		*x = NULL;

	if (der != NULL && len <= LONG_MAX)
		x = (RpkiCertificate *)ASN1_item_d2i(NULL, &p, (long)len,
		    ASN1_ITEM_rptr(RpkiCertificate));
	if (end != NULL)
		*end = p;
	return x;
}

void
certasn1_free(RpkiCertificate *x)
{
	ASN1_item_free((ASN1_VALUE *)x, ASN1_ITEM_rptr(RpkiCertificate));
}

int
certasn1_name_same(const RpkiName *a, const RpkiName *b)
{
	unsigned char	*da = NULL, *db = NULL;
	int		 la, lb, same = -1;

	la = ASN1_item_i2d((const ASN1_VALUE *)a, &da,
	    ASN1_ITEM_rptr(RpkiName));
	lb = ASN1_item_i2d((const ASN1_VALUE *)b, &db,
	    ASN1_ITEM_rptr(RpkiName));
	if (la > 0 && lb > 0)
		same = la == lb && memcmp(da, db, (size_t)la) == 0;
	OPENSSL_free(da);
	OPENSSL_free(db);
	return same;
}

int
certasn1_spki_der(const X509_ALGOR *alg, const ASN1_BIT_STRING *key,
    unsigned char **der)
{
	RpkiSpki	 spki;

	/* Encoding only reads the fields: the casts drop const alone. */
	spki.algorithm = (X509_ALGOR *)alg;
	spki.subjectPublicKey = (ASN1_BIT_STRING *)key;
	*der = NULL;
	return ASN1_item_i2d((const ASN1_VALUE *)&spki, der,
	    ASN1_ITEM_rptr(RpkiSpki));
}
