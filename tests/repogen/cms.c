/*
 * cms.c - the signed object envelope of RFC 6488.
 *
 * What section 2.1 asks for, and how OpenSSL's CMS API gives it:
 *   SignedData version 3 - set by OpenSSL because the signer is
 *     identified by its key identifier (RFC 5652 section 5.1);
 *   digestAlgorithms: SHA-256 alone (RFC 7935 section 2);
 *   encapContentInfo: the object's eContentType, eContent included;
 *   certificates: exactly the EE certificate; crls: absent;
 *   one SignerInfo: version 3, sid = subjectKeyIdentifier
 *     (CMS_USE_KEYID), signatureAlgorithm rsaEncryption (allowed by
 *     RFC 7935 section 2), signedAttrs exactly content-type,
 *     message-digest and signing-time (CMS_NOSMIMECAP drops the
 *     SMIMECapabilities OpenSSL adds by default; section 2.1.6.4),
 *     no unsignedAttrs.
 * The signing time is the generation time, not the clock, so the output
 * is a function of the inputs.
 *
 * Faults (faults.c): CMS_FAULT_BAD_SIG flips the last bit of the
 * signature; CMS_FAULT_NO_CTYPE drops the content-type attribute, which
 * RFC 6488 section 2.1.6.4.1 requires, and signs the others again.
 */
#include <openssl/cms.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>

#include "objects.h"

/*
 * Sign si's signed attributes again with key: their DER SET OF, as RFC
 * 5652 section 5.4 says.  OpenSSL's CMS_SignerInfo_sign() refuses to
 * sign attributes without a content type, so it is done here.
 */
static int
cms_resign(CMS_SignerInfo *si, EVP_PKEY *key)
{
	STACK_OF(X509_ATTRIBUTE) *sk;
	EVP_MD_CTX	*md = NULL;
	unsigned char	*abuf = NULL, *sig = NULL;
	size_t		 siglen = 0;
	int		 i, alen = 0, ok;

	if ((sk = sk_X509_ATTRIBUTE_new_null()) == NULL)
		return 0;
	ok = 1;
	for (i = 0; ok && i < CMS_signed_get_attr_count(si); i++)
		ok = sk_X509_ATTRIBUTE_push(sk, CMS_signed_get_attr(si, i)) > 0;
	ok = ok && (alen = ASN1_item_i2d((ASN1_VALUE *)sk, &abuf,
	    ASN1_ITEM_rptr(PKCS7_ATTR_SIGN))) > 0 &&
	    (md = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) > 0 &&
	    EVP_DigestSign(md, NULL, &siglen, abuf, (size_t)alen) > 0 &&
	    (sig = OPENSSL_malloc(siglen)) != NULL &&
	    EVP_DigestSign(md, sig, &siglen, abuf, (size_t)alen) > 0 &&
	    ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig,
	    (int)siglen);
	sk_X509_ATTRIBUTE_free(sk);	/* the attributes stay si's */
	EVP_MD_CTX_free(md);
	OPENSSL_free(abuf);
	OPENSSL_free(sig);
	return ok;
}

/* Apply the CMS_FAULT_* faults to the signed si. */
static int
cms_fault(CMS_SignerInfo *si, EVP_PKEY *key, unsigned faults)
{
	ASN1_OCTET_STRING	*sig;
	unsigned char		*p;
	int			 i, n;

	if (faults & CMS_FAULT_NO_CTYPE) {
		if ((i = CMS_signed_get_attr_by_NID(si, NID_pkcs9_contentType,
		    -1)) < 0)
			return 0;
		X509_ATTRIBUTE_free(CMS_signed_delete_attr(si, i));
		if (!cms_resign(si, key))
			return 0;
	}
	if (faults & CMS_FAULT_BAD_SIG) {
		sig = CMS_SignerInfo_get0_signature(si);
		if ((n = ASN1_STRING_length(sig)) < 1 ||
		    (p = OPENSSL_memdup(ASN1_STRING_get0_data(sig),
		    (size_t)n)) == NULL)
			return 0;
		p[n - 1] ^= 0x01;
		i = ASN1_STRING_set(sig, p, n);
		OPENSSL_free(p);
		return i;
	}
	return 1;
}

int
cms_sign(const char *oid, const uint8_t *econtent, size_t eclen, X509 *ee,
    EVP_PKEY *eekey, int64_t signtime, unsigned faults, uint8_t **der,
    size_t *len, struct err *e)
{
	const unsigned int flags = CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
	CMS_ContentInfo	*cms = NULL;
	CMS_SignerInfo	*si = NULL;
	ASN1_OBJECT	*ctype = NULL;
	ASN1_TIME	*st = NULL;
	BIO		*in = NULL;
	int		 n = 0, ok;

	*der = NULL;
	ok = (in = BIO_new_mem_buf(econtent, (int)eclen)) != NULL &&
	    (ctype = OBJ_txt2obj(oid, 1)) != NULL &&
	    (cms = CMS_sign(NULL, NULL, NULL, NULL, flags)) != NULL &&
	    CMS_set1_eContentType(cms, ctype) &&
	    (si = CMS_add1_signer(cms, ee, eekey, EVP_sha256(),
	    flags | CMS_USE_KEYID)) != NULL &&
	    (st = ASN1_TIME_set(NULL, (time_t)signtime)) != NULL &&
	    CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime,
	    st->type, st, -1) &&
	    CMS_final(cms, in, NULL, CMS_BINARY) &&
	    (faults == 0 || cms_fault(si, eekey, faults)) &&
	    (n = i2d_CMS_ContentInfo(cms, der)) > 0;
	CMS_ContentInfo_free(cms);
	ASN1_OBJECT_free(ctype);
	ASN1_TIME_free(st);
	BIO_free(in);
	if (!ok) {
		OPENSSL_free(*der);
		*der = NULL;
		return err_set(e, "CMS signing (eContentType %s) failed", oid);
	}
	*len = (size_t)n;
	return 0;
}
