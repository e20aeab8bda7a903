/*
 * cms.h - the RPKI signed object envelope (RFC 6488): a CMS SignedData
 * with one EE certificate and one signer, decoded and checked, its
 * signature verified with the EE certificate's key.
 *
 * Whether the EE certificate itself is valid (its profile, its chain,
 * its resources, its validity period) is not decided here: the
 * validation logic runs it through cert.c and the resource checks.
 */
#ifndef VALIDATOR_CMS_H
#define VALIDATOR_CMS_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/asn1.h>
#include <openssl/evp.h>

#include "certasn1.h"
#include "err.h"

/* eContentTypes (IANA "RPKI Signed Objects"). */
#define OID_CT_ROA	"1.2.840.113549.1.9.16.1.24"	/* RFC 9582 */
#define OID_CT_MFT	"1.2.840.113549.1.9.16.1.26"	/* RFC 9286 */
#define OID_CT_ASPA	"1.2.840.113549.1.9.16.1.49"	/* ASPA profile */

/*
 * What a valid envelope yields.  econtent is an owned copy (free()); ee
 * is the EE certificate and ee_key its subject key, which verified the
 * signature, both owned (cms_object_clear frees them; cert_take takes
 * them, setting them to NULL).  The signing time comes from the
 * signing-time attribute, else the binary-signing-time one;
 * has_signing_time is 0 when neither is present.
 */
struct cms_object {
	uint8_t		*econtent;
	size_t		 econtent_len;
	RpkiCertificate	*ee;
	EVP_PKEY	*ee_key;
	int		 has_signing_time;
	int64_t		 signing_time;
};

/*
 * Decode the signed object der/len of file fn and check it against
 * RFC 6488 sections 2.1 and 3 (and RFC 7935 for the algorithms), with
 * want_oid (dotted text) as the required eContentType.  The object must
 * be DER: OpenSSL's re-encoding must give back exactly der/len.  The
 * signature is verified with the public key of the embedded EE
 * certificate; no certificate store is consulted.
 *
 * Returns 0 and fills *out (release it with cms_object_clear), or -1
 * with *out zeroed and one sentence in e naming fn, the RFC section,
 * the field, and what was wanted versus found.
 */
int	cms_parse(const char *fn, const uint8_t *der, size_t len,
	    const char *want_oid, struct cms_object *out, struct err *e);

/*
 * Flags of cms_parse_flags.  CMS_PARSE_BER accepts an envelope that is
 * BER but not DER (indefinite or non-minimal lengths: the RIPE NCC
 * objects of 2019 among the shared fixtures have an indefinite outer
 * length); every other check stays, and eContents must be DER still.
 * Validation should not use it (current rpki-client rejects an
 * indefinite outer length too): it is for inspecting old objects and
 * for tests.
 */
#define CMS_PARSE_BER	0x01

/*
 * cms_parse with flags (CMS_PARSE_*); cms_parse is flags 0.
 */
int	cms_parse_flags(const char *fn, const uint8_t *der, size_t len,
	    const char *want_oid, int flags, struct cms_object *out,
	    struct err *e);

/*
 * Decode the eContent der/len of file fn with the ASN.1 template it,
 * insisting on DER: nothing may follow it and OpenSSL's re-encoding
 * must give back the input (this catches non-zero unused bits in BIT
 * STRINGs, non-minimal lengths, indefinite lengths).  what names the
 * structure with its RFC section for the diagnostic, e.g. "RFC 9582
 * section 4: RouteOriginAttestation".  Returns the value (free it with
 * ASN1_item_free(v, it)), or NULL with one sentence in e.
 */
ASN1_VALUE *cms_econtent_decode(const char *fn, const char *what,
	    const ASN1_ITEM *it, const uint8_t *der, size_t len,
	    struct err *e);

/*
 * Check an eContent "version [0] INTEGER DEFAULT 0" field ver (NULL
 * when absent) whose only allowed value is 0: DER leaves a DEFAULT
 * value out (X.690 section 11.5), so it must be absent.  section is the
 * RFC text for the diagnostic ("RFC 9582 section 4.1").  Returns 0, or
 * -1 with one sentence in e.
 */
int	cms_econtent_version0(const char *fn, const char *section,
	    const ASN1_INTEGER *ver, struct err *e);

/*
 * Free what o owns and zero it.  Accepts NULL and a zeroed object.
 */
void	cms_object_clear(struct cms_object *o);

#endif
