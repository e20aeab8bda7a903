/*
 * mft.c - the eContent of a manifest (RFC 9286 section 4.2), encoded with
 * OpenSSL's ASN.1 templates:
 *
 *   Manifest ::= SEQUENCE {
 *     version [0] INTEGER DEFAULT 0,           -- left out (DER)
 *     manifestNumber INTEGER (0..MAX),
 *     thisUpdate GeneralizedTime,
 *     nextUpdate GeneralizedTime,
 *     fileHashAlg OBJECT IDENTIFIER,           -- id-sha256
 *     fileList SEQUENCE SIZE (0..MAX) OF FileAndHash }
 *   FileAndHash ::= SEQUENCE { file IA5String, hash BIT STRING }
 */
#include <openssl/asn1t.h>
#include <openssl/objects.h>

#include "objects.h"

typedef struct {
	ASN1_IA5STRING	*file;
	ASN1_BIT_STRING	*hash;
} FileAndHash;

DEFINE_STACK_OF(FileAndHash)

typedef struct {
	ASN1_INTEGER		*version;
	ASN1_INTEGER		*manifestNumber;
	ASN1_GENERALIZEDTIME	*thisUpdate;
	ASN1_GENERALIZEDTIME	*nextUpdate;
	ASN1_OBJECT		*fileHashAlg;
	STACK_OF(FileAndHash)	*fileList;
} Manifest;

DECLARE_ASN1_FUNCTIONS(FileAndHash)
DECLARE_ASN1_FUNCTIONS(Manifest)

ASN1_SEQUENCE(FileAndHash) = {
	ASN1_SIMPLE(FileAndHash, file, ASN1_IA5STRING),
	ASN1_SIMPLE(FileAndHash, hash, ASN1_BIT_STRING),
} ASN1_SEQUENCE_END(FileAndHash)

ASN1_SEQUENCE(Manifest) = {
	ASN1_EXP_OPT(Manifest, version, ASN1_INTEGER, 0),
	ASN1_SIMPLE(Manifest, manifestNumber, ASN1_INTEGER),
	ASN1_SIMPLE(Manifest, thisUpdate, ASN1_GENERALIZEDTIME),
	ASN1_SIMPLE(Manifest, nextUpdate, ASN1_GENERALIZEDTIME),
	ASN1_SIMPLE(Manifest, fileHashAlg, ASN1_OBJECT),
	ASN1_SEQUENCE_OF(Manifest, fileList, FileAndHash),
} ASN1_SEQUENCE_END(Manifest)

IMPLEMENT_ASN1_FUNCTIONS(FileAndHash)
IMPLEMENT_ASN1_FUNCTIONS(Manifest)

static int
mft_file(Manifest *m, const struct mft_entry *f)
{
	FileAndHash	*fh;

	if ((fh = FileAndHash_new()) == NULL)
		return 0;
	if (!ASN1_STRING_set(fh->file, f->name, -1) ||
	    !ASN1_BIT_STRING_set(fh->hash, (unsigned char *)f->hash,
	    sizeof(f->hash))) {
		FileAndHash_free(fh);
		return 0;
	}
	/* All 256 bits count, trailing zeros too. */
	fh->hash->flags &= ~(ASN1_STRING_FLAG_BITS_LEFT | 0x07);
	fh->hash->flags |= ASN1_STRING_FLAG_BITS_LEFT;
	if (!sk_FileAndHash_push(m->fileList, fh)) {
		FileAndHash_free(fh);
		return 0;
	}
	return 1;
}

int
mft_encode(uint64_t number, int64_t this_update, int64_t next_update,
    const struct mft_entry *f, size_t n, uint8_t **der, size_t *len,
    struct err *e)
{
	Manifest	*m;
	size_t		 i;
	int		 ok, dn = 0;

	*der = NULL;
	ok = (m = Manifest_new()) != NULL &&
	    ASN1_INTEGER_set_uint64(m->manifestNumber, number) &&
	    ASN1_GENERALIZEDTIME_set(m->thisUpdate, (time_t)this_update) &&
	    ASN1_GENERALIZEDTIME_set(m->nextUpdate, (time_t)next_update);
	if (ok) {
		ASN1_OBJECT_free(m->fileHashAlg);
		ok = (m->fileHashAlg = OBJ_nid2obj(NID_sha256)) != NULL;
	}
	for (i = 0; ok && i < n; i++)
		ok = mft_file(m, &f[i]);
	ok = ok && (dn = i2d_Manifest(m, der)) > 0;
	Manifest_free(m);
	if (!ok)
		return err_set(e, "manifest: encoding failed");
	*len = (size_t)dn;
	return 0;
}
