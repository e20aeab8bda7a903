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
 */
#include <openssl/cms.h>
#include <openssl/objects.h>

#include "objects.h"

int
cms_sign(const char *oid, const uint8_t *econtent, size_t eclen, X509 *ee,
    EVP_PKEY *eekey, int64_t signtime, uint8_t **der, size_t *len,
    struct err *e)
{
	const unsigned int flags = CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
	CMS_ContentInfo	*cms = NULL;
	CMS_SignerInfo	*si;
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
