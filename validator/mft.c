/*
 * mft.c - manifests (RFC 9286), decoded with OpenSSL's ASN.1 templates:
 *
 *   Manifest ::= SEQUENCE {
 *     version        [0] INTEGER DEFAULT 0,
 *     manifestNumber INTEGER (0..MAX),
 *     thisUpdate     GeneralizedTime,
 *     nextUpdate     GeneralizedTime,
 *     fileHashAlg    OBJECT IDENTIFIER,
 *     fileList       SEQUENCE SIZE (0..MAX) OF FileAndHash }
 *   FileAndHash ::= SEQUENCE { file IA5String, hash BIT STRING }
 *
 * The parser checks what one manifest can say about itself.  What needs
 * context is the validator's: that the CRL named by the EE certificate's
 * CRLDP is listed, that the EE certificate's resources inherit, that the
 * times bracket "now", and that the number only grows.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1t.h>

#include "asn1util.h"
#include "mft.h"

#define OID_SHA256	"2.16.840.1.101.3.4.2.1"

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

ASN1_SEQUENCE(FileAndHash) = {
	ASN1_SIMPLE(FileAndHash, file, ASN1_IA5STRING),
	ASN1_SIMPLE(FileAndHash, hash, ASN1_BIT_STRING),
} static_ASN1_SEQUENCE_END(FileAndHash)

ASN1_SEQUENCE(Manifest) = {
	ASN1_EXP_OPT(Manifest, version, ASN1_INTEGER, 0),
	ASN1_SIMPLE(Manifest, manifestNumber, ASN1_INTEGER),
	ASN1_SIMPLE(Manifest, thisUpdate, ASN1_GENERALIZEDTIME),
	ASN1_SIMPLE(Manifest, nextUpdate, ASN1_GENERALIZEDTIME),
	ASN1_SIMPLE(Manifest, fileHashAlg, ASN1_OBJECT),
	ASN1_SEQUENCE_OF(Manifest, fileList, FileAndHash),
} static_ASN1_SEQUENCE_END(Manifest)

#define NAME_SHOWN	64	/* bytes of a bad name shown, escaped */

/* Write the first NAME_SHOWN bytes of s, non-printables as \xNN. */
static const char *
name_escape(const uint8_t *s, size_t n, char out[4 * NAME_SHOWN + 4])
{
	static const char	 hex[] = "0123456789abcdef";
	size_t			 i, o = 0;

	for (i = 0; i < n && i < NAME_SHOWN; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
			out[o++] = (char)s[i];
		else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[s[i] >> 4];
			out[o++] = hex[s[i] & 15];
		}
	}
	if (i < n)
		out[o++] = '.', out[o++] = '.', out[o++] = '.';
	out[o] = '\0';
	return out;
}

static int
name_char_ok(uint8_t ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

/*
 * RFC 9286 section 4.2.2: one or more of [a-zA-Z0-9_-], one '.', and a
 * three-letter extension, lower case as the IANA "RPKI Repository Name
 * Schemes" registry spells them all.  That the extension is one the
 * registry holds is the issuer's duty there, not a test of the
 * manifest: a name of a type this validator does not know (one
 * registered after it was built, or never) is listed, fetched and
 * hash-checked like the rest, then ignored (product_process), as
 * rpki-client and FORT do; failing the whole publication point over it
 * would drop a CA's every payload the day it publishes a new type.
 */
static int
mft_name_ok(const uint8_t *s, size_t n)
{
	size_t	i, dot;

	if (n < 5 || s[n - 4] != '.')
		return 0;
	dot = n - 4;
	for (i = 0; i < dot; i++)
		if (!name_char_ok(s[i]))
			return 0;
	for (i = dot + 1; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return 0;
	return 1;
}

/* Copy entry i of the fileList into f, checking name and hash. */
static int
mft_entry(const char *fn, int i, const FileAndHash *fh, struct mft_file *f,
    struct err *e)
{
	const uint8_t	*s = ASN1_STRING_get0_data(fh->file);
	size_t		 n = (size_t)ASN1_STRING_length(fh->file);
	char		 shown[4 * NAME_SHOWN + 4];
	int64_t		 bits;

	if (!mft_name_ok(s, n))
		return err_set(e, "%s: RFC 9286 section 4.2.2: fileList[%d] "
		    "file: want [a-zA-Z0-9_-]+ '.' and a three-letter "
		    "extension, have \"%s\"", fn, i, name_escape(s, n, shown));
	bits = 8 * (int64_t)ASN1_STRING_length(fh->hash);
	if (fh->hash->flags & ASN1_STRING_FLAG_BITS_LEFT)
		bits -= fh->hash->flags & 0x07;
	if (bits != 8 * MFT_HASH_LEN)
		return err_set(e, "%s: RFC 9286 section 4.2.1: fileList[%d] "
		    "hash: want %d bits (SHA-256), have %lld", fn, i,
		    8 * MFT_HASH_LEN, (long long)bits);
	if ((f->name = malloc(n + 1)) == NULL)
		return err_set(e, "%s: out of memory", fn);
	memcpy(f->name, s, n);
	f->name[n] = '\0';
	memcpy(f->hash, ASN1_STRING_get0_data(fh->hash), MFT_HASH_LEN);
	return 0;
}

static int
file_cmp(const void *a, const void *b)
{
	const struct mft_file *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* RFC 9286 section 4.2.2: each name appears once in the fileList. */
static int
mft_unique(const char *fn, const struct mft *m, struct err *e)
{
	const struct mft_file	**v;
	size_t			  i;
	int			  rc = 0;

	if (m->nfiles < 2)
		return 0;
	if ((v = malloc(m->nfiles * sizeof(*v))) == NULL)
		return err_set(e, "%s: out of memory", fn);
	for (i = 0; i < m->nfiles; i++)
		v[i] = &m->files[i];
	qsort(v, m->nfiles, sizeof(*v), file_cmp);
	for (i = 1; i < m->nfiles && rc == 0; i++)
		if (strcmp(v[i - 1]->name, v[i]->name) == 0)
			rc = err_set(e, "%s: RFC 9286 section 4.2.2: fileList: "
			    "want unique file names, have \"%s\" twice", fn,
			    v[i]->name);
	free(v);
	return rc;
}

/* RFC 9286 section 4.2.1: manifestNumber, 0..2^160-1. */
static int
mft_number(const char *fn, const ASN1_INTEGER *ai, struct mft *m,
    struct err *e)
{
	const uint8_t	*p = ASN1_STRING_get0_data(ai);
	int		 n = ASN1_STRING_length(ai);

	if (ASN1_STRING_type(ai) == V_ASN1_NEG_INTEGER)
		return err_set(e, "%s: RFC 9286 section 4.2.1: manifestNumber: "
		    "want 0 or more, have a negative number", fn);
	while (n > 0 && *p == 0)
		p++, n--;
	if (n > MFT_NUMBER_MAX)
		return err_set(e, "%s: RFC 9286 section 4.2.1: manifestNumber: "
		    "want at most %d octets, have %d", fn, MFT_NUMBER_MAX, n);
	memcpy(m->number, p, (size_t)n);
	m->number_len = (size_t)n;
	if (n == 0)
		strcpy(m->number_hex, "0");
	else
		hex_upper_n(m->number, m->number_len, m->number_hex);
	return 0;
}

/* The fields before fileList: version, number, times, hash algorithm. */
static int
mft_header(const char *fn, const Manifest *a, struct mft *m, struct err *e)
{
	char	have[OID_TEXT_MAX];

	if (cms_econtent_version0(fn, "RFC 9286 section 4.2.1", a->version,
	    e) != 0 || mft_number(fn, a->manifestNumber, m, e) != 0)
		return -1;
	if (asn1_time_unix(a->thisUpdate, &m->this_update) != 0)
		return err_set(e, "%s: RFC 9286 section 4.2.1: thisUpdate: "
		    "want a valid GeneralizedTime, have an invalid one", fn);
	if (asn1_time_unix(a->nextUpdate, &m->next_update) != 0)
		return err_set(e, "%s: RFC 9286 section 4.2.1: nextUpdate: "
		    "want a valid GeneralizedTime, have an invalid one", fn);
	if (m->next_update <= m->this_update)
		return err_set(e, "%s: RFC 9286 section 4.2.1: nextUpdate: "
		    "want later than thisUpdate (%lld), have %lld", fn,
		    (long long)m->this_update, (long long)m->next_update);
	if (!asn1_oid_is(a->fileHashAlg, OID_SHA256))
		return err_set(e, "%s: RFC 9286 section 4.2.1 and RFC 7935 "
		    "section 2: fileHashAlg: want SHA-256 (%s), have %s", fn,
		    OID_SHA256, asn1_oid_text(a->fileHashAlg, have));
	return 0;
}

struct mft *
mft_parse_econtent(const char *fn, const uint8_t *der, size_t len,
    struct err *e)
{
	Manifest	*a;
	struct mft	*m = NULL;
	int		 i, n, rc = -1;

	a = (Manifest *)cms_econtent_decode(fn, "RFC 9286 section 4.2: "
	    "Manifest", ASN1_ITEM_rptr(Manifest), der, len, e);
	if (a == NULL)
		return NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		err_set(e, "%s: out of memory", fn);
		goto out;
	}
	if (mft_header(fn, a, m, e) != 0)
		goto out;
	n = sk_FileAndHash_num(a->fileList);
	if (n > 0 &&
	    (m->files = calloc((size_t)n, sizeof(*m->files))) == NULL) {
		err_set(e, "%s: out of memory", fn);
		goto out;
	}
	for (i = 0; i < n; i++, m->nfiles++)
		if (mft_entry(fn, i, sk_FileAndHash_value(a->fileList, i),
		    &m->files[i], e) != 0)
			goto out;
	if (mft_unique(fn, m, e) != 0)
		goto out;
	rc = 0;
 out:
	ASN1_item_free((ASN1_VALUE *)a, ASN1_ITEM_rptr(Manifest));
	if (rc != 0) {
		mft_free(m);
		m = NULL;
	}
	return m;
}

struct mft *
mft_parse(const char *fn, const uint8_t *der, size_t len, struct err *e)
{
	struct cms_object	 cms;
	struct mft		*m;

	if (cms_parse(fn, der, len, OID_CT_MFT, &cms, e) != 0)
		return NULL;
	m = mft_parse_econtent(fn, cms.econtent, cms.econtent_len, e);
	free(cms.econtent);
	cms.econtent = NULL;
	cms.econtent_len = 0;
	if (m == NULL) {
		cms_object_clear(&cms);
		return NULL;
	}
	m->cms = cms;			/* the EE certificate moves to m */
	return m;
}

int
mft_number_cmp(const struct mft *a, const struct mft *b)
{
	if (a->number_len != b->number_len)
		return a->number_len < b->number_len ? -1 : 1;
	return memcmp(a->number, b->number, a->number_len);
}

const struct mft_file *
mft_find(const struct mft *m, const char *name)
{
	size_t	i;

	for (i = 0; i < m->nfiles; i++)
		if (strcmp(m->files[i].name, name) == 0)
			return &m->files[i];
	return NULL;
}

void
mft_free(struct mft *m)
{
	size_t	i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nfiles; i++)
		free(m->files[i].name);
	free(m->files);
	cms_object_clear(&m->cms);
	free(m);
}
