/*
 * cms.c - the signed object envelope of RFC 6488, decoded with our own
 * ASN.1 templates of RFC 5652 ContentInfo, SignedData and SignerInfo
 * (the same types OpenSSL's CMS module declares) and checked field by
 * field against section 2.1 (the profile of SignedData) and section 3
 * (signature verification).
 *
 * OpenSSL's CMS API hides fields RFC 6488 constrains (the version
 * numbers, the digestAlgorithms SET, whether an empty certificates,
 * crls or unsignedAttrs SET was present); our types show all of them
 * after one decode, and are cheaper to decode, re-encode and free than
 * CMS_ContentInfo (no CMS object callbacks).  No DER is walked by hand.
 *
 * The EE certificate is decoded with our own Certificate template
 * (certasn1.h), not as OpenSSL's X509, so its key is not decoded on the
 * way (ossl.h says why).  The signature is verified here rather than by
 * CMS_SignerInfo_verify, the same way: the signed attributes encoded as
 * a SET OF (RFC 5652 section 5.4), with ossl_verify and the EE
 * certificate's key from ossl_key_from_spki, which cms_object passes on
 * to cert_take.
 * The message-digest attribute is compared with our own SHA-256 of the
 * eContent.  No X509_STORE is ever built or
 * consulted, so nothing here depends on the system trust store.  Chain,
 * profile and resource checks of the EE certificate are the validator's
 * (cert.c, ipres.c).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1t.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "asn1util.h"
#include "certasn1.h"
#include "cms.h"
#include "ossl.h"

#define OID_SIGNED_DATA		"1.2.840.113549.1.7.2"
#define OID_SHA256		"2.16.840.1.101.3.4.2.1"
#define OID_RSA			"1.2.840.113549.1.1.1"
#define OID_SHA256_RSA		"1.2.840.113549.1.1.11"
#define OID_ATTR_CTYPE		"1.2.840.113549.1.9.3"
#define OID_ATTR_DIGEST		"1.2.840.113549.1.9.4"
#define OID_ATTR_STIME		"1.2.840.113549.1.9.5"
#define OID_ATTR_BSTIME		"1.2.840.113549.1.9.16.2.46"	/* RFC 6019 */

#define SHA256_LEN	32

/*
 * ---- RFC 5652 ContentInfo, SignedData, SignerInfo -------------------
 *
 * Our own templates, field for field those of OpenSSL's CMS module
 * (crypto/cms/cms_asn1.c: the same types, the same INT32 versions, the
 * same CHOICEs), so what decodes is what d2i_CMS_ContentInfo decodes;
 * but one decode gives every field RFC 6488 constrains, without the CMS
 * module's object handling (about twice as fast as CMS_ContentInfo plus
 * the shallow second decode this replaced; commit message has figures).
 * The one difference: a certificate is our RpkiCertificate, which
 * accepts what X509 accepts (certasn1.h) and re-encodes the same way
 * (the tbsCertificate as received, the rest encoded anew), so the DER
 * check of cms_decode covers the same bytes as with X509.
 */

/*
 * The issuer is OpenSSL's X509_NAME: decoded only in a SignerInfo that
 * RFC 6488 rejects (cms_check_signer), so its cost does not matter, and
 * it keeps which objects decode, and how the DER check sees them, as
 * they were.
 */
typedef struct {
	X509_NAME	*issuer;
	ASN1_INTEGER	*serialNumber;
} RpkiIssuerAndSerial;

ASN1_SEQUENCE(RpkiIssuerAndSerial) = {
	ASN1_SIMPLE(RpkiIssuerAndSerial, issuer, X509_NAME),
	ASN1_SIMPLE(RpkiIssuerAndSerial, serialNumber, ASN1_INTEGER),
} static_ASN1_SEQUENCE_END(RpkiIssuerAndSerial)

#define SID_ISSUER_SERIAL	0
#define SID_KEY_ID		1

typedef struct {
	int	 type;
	union {
		RpkiIssuerAndSerial	*issuerAndSerialNumber;
		ASN1_OCTET_STRING	*subjectKeyIdentifier;
	} d;
} RpkiSignerId;

ASN1_CHOICE(RpkiSignerId) = {
	ASN1_SIMPLE(RpkiSignerId, d.issuerAndSerialNumber,
	    RpkiIssuerAndSerial),
	ASN1_IMP(RpkiSignerId, d.subjectKeyIdentifier, ASN1_OCTET_STRING, 0),
} static_ASN1_CHOICE_END(RpkiSignerId)

typedef struct {
	int32_t				 version;
	RpkiSignerId			*sid;
	X509_ALGOR			*digestAlgorithm;
	STACK_OF(X509_ATTRIBUTE)	*signedAttrs;
	X509_ALGOR			*signatureAlgorithm;
	ASN1_OCTET_STRING		*signature;
	STACK_OF(X509_ATTRIBUTE)	*unsignedAttrs;
	ASN1_ENCODING			 enc;	/* as received */
} RpkiSignerInfo;

DEFINE_STACK_OF(RpkiSignerInfo)

ASN1_SEQUENCE_enc(RpkiSignerInfo, enc, 0) = {
	ASN1_EMBED(RpkiSignerInfo, version, INT32),
	ASN1_SIMPLE(RpkiSignerInfo, sid, RpkiSignerId),
	ASN1_SIMPLE(RpkiSignerInfo, digestAlgorithm, X509_ALGOR),
	ASN1_IMP_SET_OF_OPT(RpkiSignerInfo, signedAttrs, X509_ATTRIBUTE, 0),
	ASN1_SIMPLE(RpkiSignerInfo, signatureAlgorithm, X509_ALGOR),
	ASN1_SIMPLE(RpkiSignerInfo, signature, ASN1_OCTET_STRING),
	ASN1_IMP_SET_OF_OPT(RpkiSignerInfo, unsignedAttrs, X509_ATTRIBUTE, 1),
} static_ASN1_SEQUENCE_END_ref(RpkiSignerInfo, RpkiSignerInfo)

/* CertificateChoices: an X.509 certificate or a format RFC 6488 bars. */
#define CERT_X509	0

typedef struct {
	int	 type;
	union {
		RpkiCertificate	*certificate;
		ASN1_STRING	*extendedCertificate;
		ASN1_STRING	*v1AttrCert;
		ASN1_STRING	*v2AttrCert;
		ASN1_STRING	*other;
	} d;
} RpkiCertChoice;

DEFINE_STACK_OF(RpkiCertChoice)

ASN1_CHOICE(RpkiCertChoice) = {
	ASN1_SIMPLE(RpkiCertChoice, d.certificate, RpkiCertificate),
	ASN1_IMP(RpkiCertChoice, d.extendedCertificate, ASN1_SEQUENCE, 0),
	ASN1_IMP(RpkiCertChoice, d.v1AttrCert, ASN1_SEQUENCE, 1),
	ASN1_IMP(RpkiCertChoice, d.v2AttrCert, ASN1_SEQUENCE, 2),
	ASN1_IMP(RpkiCertChoice, d.other, ASN1_SEQUENCE, 3),
} static_ASN1_CHOICE_END(RpkiCertChoice)

/*
 * RevocationInfoChoice: a CRL or another format; RFC 6488 bars both.
 * X509_CRL as in OpenSSL's CMS module: decoded only in objects that are
 * rejected, and it has no key to decode.
 */
typedef struct {
	int	 type;
	union {
		X509_CRL	*crl;
		ASN1_STRING	*other;
	} d;
} RpkiCrlChoice;

DEFINE_STACK_OF(RpkiCrlChoice)

ASN1_CHOICE(RpkiCrlChoice) = {
	ASN1_SIMPLE(RpkiCrlChoice, d.crl, X509_CRL),
	ASN1_IMP(RpkiCrlChoice, d.other, ASN1_SEQUENCE, 1),
} static_ASN1_CHOICE_END(RpkiCrlChoice)

typedef struct {
	ASN1_OBJECT		*eContentType;
	ASN1_OCTET_STRING	*eContent;
} RpkiEncapContentInfo;

ASN1_SEQUENCE(RpkiEncapContentInfo) = {
	ASN1_SIMPLE(RpkiEncapContentInfo, eContentType, ASN1_OBJECT),
	ASN1_EXP_OPT(RpkiEncapContentInfo, eContent, ASN1_OCTET_STRING, 0),
} static_ASN1_SEQUENCE_END(RpkiEncapContentInfo)

typedef struct {
	int32_t				 version;
	STACK_OF(X509_ALGOR)		*digestAlgorithms;
	RpkiEncapContentInfo		*encapContentInfo;
	STACK_OF(RpkiCertChoice)	*certificates;
	STACK_OF(RpkiCrlChoice)		*crls;
	STACK_OF(RpkiSignerInfo)	*signerInfos;
	ASN1_ENCODING			 enc;	/* as received */
} RpkiSignedData;

ASN1_SEQUENCE_enc(RpkiSignedData, enc, 0) = {
	ASN1_EMBED(RpkiSignedData, version, INT32),
	ASN1_SET_OF(RpkiSignedData, digestAlgorithms, X509_ALGOR),
	ASN1_SIMPLE(RpkiSignedData, encapContentInfo, RpkiEncapContentInfo),
	ASN1_IMP_SET_OF_OPT(RpkiSignedData, certificates, RpkiCertChoice, 0),
	ASN1_IMP_SET_OF_OPT(RpkiSignedData, crls, RpkiCrlChoice, 1),
	ASN1_SET_OF(RpkiSignedData, signerInfos, RpkiSignerInfo),
} static_ASN1_SEQUENCE_END_ref(RpkiSignedData, RpkiSignedData)

/*
 * ContentInfo: the content is a SignedData when contentType says so,
 * else taken as ANY, for cms_decode to name the contentType.
 */
typedef struct {
	ASN1_OBJECT	*contentType;
	union {
		RpkiSignedData	*signedData;
		ASN1_TYPE	*other;
	} d;
} RpkiContentInfo;

ASN1_ADB_TEMPLATE(content_other) = ASN1_EXP(RpkiContentInfo, d.other,
    ASN1_ANY, 0);

ASN1_ADB(RpkiContentInfo) = {
	ADB_ENTRY(NID_pkcs7_signed, ASN1_EXP(RpkiContentInfo, d.signedData,
	    RpkiSignedData, 0)),
} ASN1_ADB_END(RpkiContentInfo, 0, contentType, 0, &content_other_tt,
    NULL);

ASN1_SEQUENCE(RpkiContentInfo) = {
	ASN1_SIMPLE(RpkiContentInfo, contentType, ASN1_OBJECT),
	ASN1_ADB_OBJECT(RpkiContentInfo),
} static_ASN1_SEQUENCE_END(RpkiContentInfo)

/*
 * The signed attributes as they are signed (RFC 5652 section 5.4): the
 * DER of each attribute, under the SET OF tag instead of [0] IMPLICIT,
 * in the order received (not sorted again).  This is OpenSSL's
 * CMS_Attributes_Verify, which CMS_SignerInfo_verify used: the same
 * bytes as received for a DER object, and for a BER one
 * (CMS_PARSE_BER) the DER that RFC 5652 says was signed.
 */
ASN1_ITEM_TEMPLATE(SignedAttrsSigned) =
	ASN1_EX_TEMPLATE_TYPE(ASN1_TFLG_SEQUENCE_OF | ASN1_TFLG_IMPTAG |
	    ASN1_TFLG_UNIVERSAL, V_ASN1_SET, SignedAttrsSigned,
	    X509_ATTRIBUTE)
static_ASN1_ITEM_TEMPLATE_END(SignedAttrsSigned)

/* ---- parsing state ------------------------------------------------- */

struct cms_ctx {
	const char		*fn;
	struct err		*e;
	RpkiContentInfo		*ci;
	const RpkiSignedData	*sd;
	const RpkiSignerInfo	*si;
	RpkiCertificate		*ee;		/* owned by ctx */
	EVP_PKEY		*ee_key;	/* owned by ctx */
	const ASN1_OBJECT	*ctype;		/* eContentType */
	const ASN1_OCTET_STRING	*econtent;
};

/* The value of an INTEGER as int64, or -1 if it is negative or huge. */
static int64_t
int_value(const ASN1_INTEGER *ai)
{
	int64_t	v;

	if (ai == NULL || !ASN1_INTEGER_get_int64(&v, ai) || v < 0)
		return -1;
	return v;
}

/* OpenSSL's reason for the last error, for a diagnostic. */
static const char *
ossl_reason(void)
{
	const char	*r = ERR_reason_error_string(ERR_peek_last_error());

	return r != NULL ? r : "no reason given";
}

/* How many bytes of s a diagnostic shows in hex. */
#define HEX_MAX		32

static size_t
hexlen(const ASN1_STRING *s)
{
	int	n = ASN1_STRING_length(s);

	return n < 0 ? 0 : n > HEX_MAX ? HEX_MAX : (size_t)n;
}

/*
 * Whether a is SHA-256 with absent or NULL parameters (RFC 5754
 * section 2 asks receivers to accept both).
 */
static int
alg_is_sha256(const X509_ALGOR *a)
{
	const ASN1_OBJECT	*o;
	int			 ptype;

	X509_ALGOR_get0(&o, &ptype, NULL, a);
	return asn1_oid_is(o, OID_SHA256) &&
	    (ptype == V_ASN1_UNDEF || ptype == V_ASN1_NULL);
}

/*
 * Whether v, of type it, encodes to in[0..len): OpenSSL's encoder given
 * what its decoder made of those bytes.
 */
static int
der_same(const ASN1_VALUE *v, const ASN1_ITEM *it, const unsigned char *in,
    long len)
{
	unsigned char	*re = NULL;
	int		 n, same;

	n = ASN1_item_i2d(v, &re, it);
	same = n >= 0 && n == len && memcmp(re, in, (size_t)len) == 0;
	OPENSSL_free(re);
	return same;
}

/*
 * der_same for a SEQUENCE that keeps its received bytes in enc: encoded
 * from its fields this once (modified), not copied from enc as the
 * encoder does otherwise.
 */
static int
der_same_enc(ASN1_VALUE *v, ASN1_ENCODING *enc, const ASN1_ITEM *it)
{
	int	same;

	if (enc->enc == NULL)
		return 0;
	enc->modified = 1;
	same = der_same(v, it, enc->enc, enc->len);
	enc->modified = 0;
	return same;
}

/*
 * Whether ci re-encodes to the bytes it came from: DER.  SignedData and
 * each SignerInfo keep their bytes (ASN1_SEQUENCE_enc), so each level
 * is encoded once, its kept parts copied: re-encoding the ContentInfo
 * whole encoded the deeper levels again for each enclosing one's length
 * (7.8 us an object against 4.9).  The tbsCertificate is copied either
 * way (certasn1.h).
 */
static int
cms_der(RpkiContentInfo *ci, const uint8_t *der, size_t len)
{
	RpkiSignedData	*sd = ci->d.signedData;
	RpkiSignerInfo	*si;
	int		 i;

	if (!der_same((ASN1_VALUE *)ci, ASN1_ITEM_rptr(RpkiContentInfo), der,
	    (long)len))
		return 0;
	if (OBJ_obj2nid(ci->contentType) != NID_pkcs7_signed || sd == NULL)
		return 1;
	if (!der_same_enc((ASN1_VALUE *)sd, &sd->enc,
	    ASN1_ITEM_rptr(RpkiSignedData)))
		return 0;
	for (i = 0; i < sk_RpkiSignerInfo_num(sd->signerInfos); i++) {
		si = sk_RpkiSignerInfo_value(sd->signerInfos, i);
		if (!der_same_enc((ASN1_VALUE *)si, &si->enc,
		    ASN1_ITEM_rptr(RpkiSignerInfo)))
			return 0;
	}
	return 1;
}

/*
 * Decode der once.  Nothing may trail it, and unless flags has
 * CMS_PARSE_BER, OpenSSL's re-encoding must give back the input
 * (cms_der): that rules out indefinite and non-minimal lengths,
 * unsorted SETs and the like.
 */
static int
cms_decode(struct cms_ctx *c, const uint8_t *der, size_t len, int flags)
{
	const unsigned char	*p = der;
	char			 have[OID_TEXT_MAX];

	if (len == 0 || len > 0x7fffffff)
		return err_set(c->e, "%s: RFC 6488 section 2: ContentInfo: "
		    "want 1..2^31-1 bytes, have %zu", c->fn, len);
	c->ci = (RpkiContentInfo *)ASN1_item_d2i(NULL, &p, (long)len,
	    ASN1_ITEM_rptr(RpkiContentInfo));
	if (c->ci == NULL)
		return err_set(c->e, "%s: RFC 6488 section 2: ContentInfo: "
		    "want a CMS object, have undecodable bytes (%s)", c->fn,
		    ossl_reason());
	if (p != der + len)
		return err_set(c->e, "%s: RFC 6488 section 2: ContentInfo: "
		    "want nothing after it, have %zu trailing bytes", c->fn,
		    (size_t)(der + len - p));
	if (!(flags & CMS_PARSE_BER) && !cms_der(c->ci, der, len))
		return err_set(c->e, "%s: RFC 6488 section 2: ContentInfo: "
		    "want DER, have an encoding that does not re-encode to "
		    "itself", c->fn);
	if (OBJ_obj2nid(c->ci->contentType) != NID_pkcs7_signed)
		return err_set(c->e, "%s: RFC 6488 section 2: contentType: "
		    "want %s (signedData), have %s", c->fn, OID_SIGNED_DATA,
		    asn1_oid_text(c->ci->contentType, have));
	if ((c->sd = c->ci->d.signedData) == NULL)
		return err_set(c->e, "%s: RFC 6488 section 2.1: SignedData: "
		    "want the RFC 5652 structure, have one that does not "
		    "decode", c->fn);
	return 0;
}

/* SignedData: version, digestAlgorithms, eContent, certificates, crls. */
static int
cms_check_signed_data(struct cms_ctx *c, const char *want_oid)
{
	const RpkiSignedData	*sd = c->sd;
	char			 have[OID_TEXT_MAX];
	int			 n;

	if (sd->version != 3)
		return err_set(c->e, "%s: RFC 6488 section 2.1.1: SignedData "
		    "version: want 3, have %lld", c->fn,
		    (long long)sd->version);
	n = sk_X509_ALGOR_num(sd->digestAlgorithms);
	if (n != 1)
		return err_set(c->e, "%s: RFC 6488 section 2.1.2: "
		    "digestAlgorithms: want exactly one (SHA-256), have %d",
		    c->fn, n);
	if (!alg_is_sha256(sk_X509_ALGOR_value(sd->digestAlgorithms, 0)))
		return err_set(c->e, "%s: RFC 6488 section 2.1.2 and RFC 7935 "
		    "section 2: digestAlgorithms: want SHA-256 (%s), have %s",
		    c->fn, OID_SHA256, asn1_oid_text(sk_X509_ALGOR_value(
		    sd->digestAlgorithms, 0)->algorithm, have));
	c->ctype = sd->encapContentInfo->eContentType;
	if (!asn1_oid_is(c->ctype, want_oid))
		return err_set(c->e, "%s: RFC 6488 section 2.1.3.1: "
		    "eContentType: want %s, have %s", c->fn, want_oid,
		    asn1_oid_text(c->ctype, have));
	if ((c->econtent = sd->encapContentInfo->eContent) == NULL)
		return err_set(c->e, "%s: RFC 6488 section 2.1.3.2: eContent: "
		    "want present, have absent (detached)", c->fn);
	n = sk_RpkiCertChoice_num(sd->certificates);
	if (n != 1)
		return err_set(c->e, "%s: RFC 6488 section 2.1.4: "
		    "certificates: want exactly one (the EE certificate), "
		    "have %d", c->fn, n < 0 ? 0 : n);
	if (sd->crls != NULL)
		return err_set(c->e, "%s: RFC 6488 section 2.1.5: crls: want "
		    "absent, have %d", c->fn, sk_RpkiCrlChoice_num(sd->crls));
	n = sk_RpkiSignerInfo_num(sd->signerInfos);
	if (n != 1)
		return err_set(c->e, "%s: RFC 6488 section 2.1: signerInfos: "
		    "want exactly one SignerInfo, have %d", c->fn, n);
	c->si = sk_RpkiSignerInfo_value(sd->signerInfos, 0);
	return 0;
}

/*
 * The EE certificate, which must be an X.509 certificate.  It moves out
 * of the decoded ContentInfo to ctx (the DER check is done).
 */
static int
cms_take_ee(struct cms_ctx *c)
{
	RpkiCertChoice	*cc;

	cc = sk_RpkiCertChoice_value(c->sd->certificates, 0);
	if (cc->type != CERT_X509 || cc->d.certificate == NULL)
		return err_set(c->e, "%s: RFC 6488 section 2.1.4: "
		    "certificates: want one X.509 certificate, have another "
		    "format", c->fn);
	c->ee = cc->d.certificate;
	cc->d.certificate = NULL;
	return 0;
}

/* SignerInfo: version, sid, algorithms, no unsignedAttrs. */
static int
cms_check_signer(struct cms_ctx *c)
{
	const RpkiSignerInfo	*si = c->si;
	const ASN1_OCTET_STRING	*keyid;
	ASN1_OCTET_STRING	*ski;
	const X509_ALGOR	*dig = si->digestAlgorithm;
	const X509_ALGOR	*sig = si->signatureAlgorithm;
	char			 have[OID_TEXT_MAX];
	char			 hw[2 * HEX_MAX + 1], hh[2 * HEX_MAX + 1];

	if (si->version != 3)
		return err_set(c->e, "%s: RFC 6488 section 2.1.6.1: SignerInfo "
		    "version: want 3, have %lld", c->fn,
		    (long long)si->version);
	if (si->sid->type != SID_KEY_ID ||
	    (keyid = si->sid->d.subjectKeyIdentifier) == NULL)
		return err_set(c->e, "%s: RFC 6488 section 2.1.6.2: sid: want "
		    "subjectKeyIdentifier, have issuerAndSerialNumber", c->fn);
	/* As X509_get_ext_d2i: NULL when absent or repeated. */
	ski = X509V3_get_d2i(c->ee->tbsCertificate.extensions,
	    NID_subject_key_identifier, NULL, NULL);
	if (ski == NULL)
		return err_set(c->e, "%s: RFC 6488 section 2.1.6.2: sid: want "
		    "the EE certificate's subjectKeyIdentifier, have an EE "
		    "certificate without one", c->fn);
	if (ASN1_OCTET_STRING_cmp(ski, keyid) != 0) {
		err_set(c->e, "%s: RFC 6488 section 2.1.6.2: sid: want the EE "
		    "certificate's subjectKeyIdentifier %s, have %s", c->fn,
		    hex_upper_n(ASN1_STRING_get0_data(ski), hexlen(ski), hw),
		    hex_upper_n(ASN1_STRING_get0_data(keyid), hexlen(keyid),
		    hh));
		ASN1_OCTET_STRING_free(ski);
		return -1;
	}
	ASN1_OCTET_STRING_free(ski);
	if (dig == NULL || !alg_is_sha256(dig))
		return err_set(c->e, "%s: RFC 6488 section 2.1.6.3 and RFC "
		    "7935 section 2: digestAlgorithm: want SHA-256 (%s), "
		    "have %s", c->fn, OID_SHA256, asn1_oid_text(dig != NULL ?
		    dig->algorithm : NULL, have));
	if (sig == NULL || !(asn1_oid_is(sig->algorithm, OID_RSA) ||
	    asn1_oid_is(sig->algorithm, OID_SHA256_RSA)))
		return err_set(c->e, "%s: RFC 6488 section 2.1.6.5 and RFC "
		    "7935 section 2: signatureAlgorithm: want rsaEncryption "
		    "(%s) or sha256WithRSAEncryption (%s), have %s", c->fn,
		    OID_RSA, OID_SHA256_RSA, asn1_oid_text(sig != NULL ?
		    sig->algorithm : NULL, have));
	if (si->unsignedAttrs != NULL)
		return err_set(c->e, "%s: RFC 6488 section 2.1.6.7: "
		    "unsignedAttrs: want absent, have %d attribute(s)", c->fn,
		    sk_X509_ATTRIBUTE_num(si->unsignedAttrs));
	if (si->signedAttrs == NULL)
		return err_set(c->e, "%s: RFC 6488 section 2.1.6.4: "
		    "signedAttrs: want present, have absent", c->fn);
	return 0;
}

enum attr_kind { ATTR_CTYPE, ATTR_DIGEST, ATTR_STIME, ATTR_BSTIME, ATTR_N };

static const struct {
	const char	*oid;
	const char	*name;
	const char	*section;
} attr_info[ATTR_N] = {
	{ OID_ATTR_CTYPE, "content-type", "2.1.6.4.1" },
	{ OID_ATTR_DIGEST, "message-digest", "2.1.6.4.2" },
	{ OID_ATTR_STIME, "signing-time", "2.1.6.4.3" },
	{ OID_ATTR_BSTIME, "binary-signing-time", "2.1.6.4.4" },
};

/* Check the one value v of attribute kind k; record times in out. */
static int
cms_attr_value(struct cms_ctx *c, enum attr_kind k, const ASN1_TYPE *v,
    struct cms_object *out)
{
	uint8_t		 md[SHA256_LEN];
	char		 want[OID_TEXT_MAX], have[OID_TEXT_MAX];
	int64_t		 t;

	switch (k) {
	case ATTR_CTYPE:
		if (v->type == V_ASN1_OBJECT &&
		    OBJ_cmp(v->value.object, c->ctype) == 0)
			return 0;
		return err_set(c->e, "%s: RFC 6488 section 2.1.6.4.1: "
		    "content-type attribute: want %s (the eContentType), "
		    "have %s", c->fn, asn1_oid_text(c->ctype, want),
		    v->type == V_ASN1_OBJECT ? asn1_oid_text(v->value.object,
		    have) : "a value that is not an OBJECT IDENTIFIER");
	case ATTR_DIGEST:
		ossl_sha256(ASN1_STRING_get0_data(c->econtent),
		    (size_t)ASN1_STRING_length(c->econtent), md);
		if (v->type == V_ASN1_OCTET_STRING &&
		    ASN1_STRING_length(v->value.octet_string) == SHA256_LEN &&
		    memcmp(ASN1_STRING_get0_data(v->value.octet_string), md,
		    SHA256_LEN) == 0)
			return 0;
		return err_set(c->e, "%s: RFC 6488 section 2.1.6.4.2: "
		    "message-digest attribute: want the SHA-256 of the "
		    "eContent, have a value that differs", c->fn);
	case ATTR_STIME:
		if ((v->type != V_ASN1_UTCTIME &&
		    v->type != V_ASN1_GENERALIZEDTIME) ||
		    asn1_time_unix((const ASN1_TIME *)v->value.asn1_string,
		    &t) != 0)
			return err_set(c->e, "%s: RFC 6488 section 2.1.6.4.3: "
			    "signing-time attribute: want a valid UTCTime or "
			    "GeneralizedTime, have an invalid value", c->fn);
		out->has_signing_time = 1;
		out->signing_time = t;		/* overrides a binary one */
		return 0;
	default:
		if (v->type != V_ASN1_INTEGER ||
		    (t = int_value(v->value.integer)) < 0)
			return err_set(c->e, "%s: RFC 6488 section 2.1.6.4.4: "
			    "binary-signing-time attribute: want a "
			    "non-negative INTEGER (RFC 6019), have another "
			    "value", c->fn);
		if (!out->has_signing_time) {	/* signing-time wins */
			out->has_signing_time = 1;
			out->signing_time = t;
		}
		return 0;
	}
}

/*
 * signedAttrs (section 2.1.6.4): content-type and message-digest
 * required, signing-time and binary-signing-time optional, nothing
 * else; each at most once and with exactly one value.
 */
static int
cms_check_attrs(struct cms_ctx *c, struct cms_object *out)
{
	X509_ATTRIBUTE	*a;
	char		 have[OID_TEXT_MAX];
	int		 seen[ATTR_N] = { 0 };
	int		 i, k, n, nv;

	n = sk_X509_ATTRIBUTE_num(c->si->signedAttrs);
	for (i = 0; i < n; i++) {
		a = sk_X509_ATTRIBUTE_value(c->si->signedAttrs, i);
		for (k = 0; k < ATTR_N; k++)
			if (asn1_oid_is(X509_ATTRIBUTE_get0_object(a),
			    attr_info[k].oid))
				break;
		if (k == ATTR_N)
			return err_set(c->e, "%s: RFC 6488 section 2.1.6.4: "
			    "signedAttrs: want only content-type, "
			    "message-digest, signing-time, "
			    "binary-signing-time, have %s", c->fn,
			    asn1_oid_text(X509_ATTRIBUTE_get0_object(a),
			    have));
		if (seen[k]++)
			return err_set(c->e, "%s: RFC 6488 section 2.1.6.4: %s "
			    "attribute: want one instance, have more",
			    c->fn, attr_info[k].name);
		if ((nv = X509_ATTRIBUTE_count(a)) != 1)
			return err_set(c->e, "%s: RFC 6488 section 2.1.6.4: %s "
			    "attribute: want exactly one AttributeValue, have "
			    "%d", c->fn, attr_info[k].name, nv);
		if (cms_attr_value(c, (enum attr_kind)k,
		    X509_ATTRIBUTE_get0_type(a, 0), out) != 0)
			return -1;
	}
	for (k = ATTR_CTYPE; k <= ATTR_DIGEST; k++)
		if (!seen[k])
			return err_set(c->e, "%s: RFC 6488 section %s: %s "
			    "attribute: want present, have absent", c->fn,
			    attr_info[k].section, attr_info[k].name);
	return 0;
}

/*
 * RFC 6488 section 3: the EE certificate's key verifies the signature
 * over the signed attributes (RFC 5652 section 5.4), with the algorithms
 * cms_check_signer allowed: SHA-256, and RSA (RFC 7935 section 2).
 */
static int
cms_verify_signature(struct cms_ctx *c)
{
	const ASN1_OCTET_STRING	*sig = c->si->signature;
	const RpkiSpki		*spki;
	unsigned char		*attrs = NULL;
	int			 len, ok = 0;

	/* In the order received: the decoder does not sort SETs. */
	len = ASN1_item_i2d((ASN1_VALUE *)c->si->signedAttrs, &attrs,
	    ASN1_ITEM_rptr(SignedAttrsSigned));
	spki = c->ee->tbsCertificate.subjectPublicKeyInfo;
	/* Kept in ctx, for cert_take (cms_object.ee_key). */
	c->ee_key = ossl_key_from_spki(spki->algorithm,
	    spki->subjectPublicKey);
	if (c->ee_key != NULL && len > 0 && sig != NULL)
		ok = ossl_verify(c->ee_key, attrs, (size_t)len,
		    ASN1_STRING_get0_data(sig),
		    (size_t)ASN1_STRING_length(sig));
	OPENSSL_free(attrs);
	if (!ok)
		return err_set(c->e, "%s: RFC 6488 section 3: signature: want "
		    "one that verifies with the EE certificate's public key, "
		    "have one that does not", c->fn);
	return 0;
}

int
cms_parse(const char *fn, const uint8_t *der, size_t len,
    const char *want_oid, struct cms_object *out, struct err *e)
{
	return cms_parse_flags(fn, der, len, want_oid, 0, out, e);
}

int
cms_parse_flags(const char *fn, const uint8_t *der, size_t len,
    const char *want_oid, int flags, struct cms_object *out, struct err *e)
{
	struct cms_ctx	 c;
	size_t		 n;
	int		 rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.fn = fn;
	c.e = e;
	if (cms_decode(&c, der, len, flags) != 0 ||
	    cms_check_signed_data(&c, want_oid) != 0 ||
	    cms_take_ee(&c) != 0 ||
	    cms_check_signer(&c) != 0 ||
	    cms_check_attrs(&c, out) != 0 ||
	    cms_verify_signature(&c) != 0)
		goto out;
	n = (size_t)ASN1_STRING_length(c.econtent);
	if ((out->econtent = malloc(n > 0 ? n : 1)) == NULL) {
		err_set(e, "%s: out of memory", fn);
		goto out;
	}
	memcpy(out->econtent, ASN1_STRING_get0_data(c.econtent), n);
	out->econtent_len = n;
	out->ee = c.ee;			/* both move to out */
	out->ee_key = c.ee_key;
	c.ee = NULL;
	c.ee_key = NULL;
	rc = 0;
 out:
	if (rc != 0) {
		cms_object_clear(out);
		ERR_clear_error();
	}
	certasn1_free(c.ee);
	EVP_PKEY_free(c.ee_key);
	ASN1_item_free((ASN1_VALUE *)c.ci, ASN1_ITEM_rptr(RpkiContentInfo));
	return rc;
}

void
cms_object_clear(struct cms_object *o)
{
	if (o == NULL)
		return;
	free(o->econtent);
	certasn1_free(o->ee);
	EVP_PKEY_free(o->ee_key);
	memset(o, 0, sizeof(*o));
}

ASN1_VALUE *
cms_econtent_decode(const char *fn, const char *what, const ASN1_ITEM *it,
    const uint8_t *der, size_t len, struct err *e)
{
	const unsigned char	*p = der;
	ASN1_VALUE		*v;

	if (len > 0x7fffffff) {
		err_set(e, "%s: %s: want at most 2^31-1 bytes, have %zu", fn,
		    what, len);
		return NULL;
	}
	if ((v = ASN1_item_d2i(NULL, &p, (long)len, it)) == NULL) {
		err_set(e, "%s: %s: want its ASN.1 structure, have bytes that "
		    "do not decode as it (%s)", fn, what, ossl_reason());
		ERR_clear_error();
		return NULL;
	}
	if (p != der + len) {
		err_set(e, "%s: %s: want nothing after it, have %zu trailing "
		    "bytes", fn, what, (size_t)(der + len - p));
		ASN1_item_free(v, it);
		return NULL;
	}
	if (!der_same(v, it, der, (long)len)) {
		err_set(e, "%s: %s: want DER, have an encoding that does not "
		    "re-encode to itself (e.g. non-zero unused bits)", fn,
		    what);
		ASN1_item_free(v, it);
		v = NULL;
	}
	ERR_clear_error();
	return v;
}

int
cms_econtent_version0(const char *fn, const char *section,
    const ASN1_INTEGER *ver, struct err *e)
{
	int64_t	v;

	if (ver == NULL)
		return 0;
	if ((v = int_value(ver)) == 0)
		return err_set(e, "%s: %s: version: want absent (DER leaves "
		    "out the DEFAULT 0), have 0 encoded explicitly", fn,
		    section);
	return err_set(e, "%s: %s: version: want 0, have %lld", fn, section,
	    (long long)v);
}
