/*
 * memo.c - the memo of validated ROAs and ASPAs (memo.h).
 *
 * The file, integers little-endian:
 *
 *	"RPKIMEMO"		magic, 8 bytes
 *	u32 2			format (1: before the CRL URI)
 *	fp[32]			the fingerprint of the build that wrote it
 *	u64 count
 *	count times: key[32] u32 len value[len]
 *	trailer[32]		the SHA-256 of all the bytes before it, or
 *				the HMAC-SHA-256 of that under the key
 *
 * A value: the EE certificate's part,
 *
 *	u8 type (1 ROA, 2 ASPA), u8 serial length, serial octets,
 *	i64 notBefore, i64 notAfter, u16 caIssuers length, its octets,
 *	u16 cRLDistributionPoints length, its octets,
 *	u8 present, u8 inherit (IPRES_BIT), then for IPv4 and IPv6 when
 *	present and not inherit: u32 n, n times lo[16] hi[16]; for AS
 *	numbers the same with n times u32 lo, u32 hi,
 *
 * then a ROA's u32 asID, u32 n, n times u8 afi, u8 plen, u8 maxLength,
 * addr[16]; or an ASPA's u32 customer, u32 n, n times u32 provider.
 *
 * The file is read whole and kept; a hash table (open addressing on the
 * key's first bytes, which are a SHA-256's) points into it.  New entries
 * are encoded into one buffer under a lock.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "aspa.h"
#include "buf.h"
#include "fileio.h"
#include "memo.h"
#include "ossl.h"

#define MAGIC		"RPKIMEMO"
#define FORMAT		2
#define HEAD_LEN	(8 + 4 + MEMO_FP_LEN + 8)
#define TRAILER_LEN	32
#define TYPE_ROA	1
#define TYPE_ASPA	2

/* An entry of the file read: its value's place in m->old. */
struct slot {
	const uint8_t	*key;		/* NULL: empty slot */
	const uint8_t	*val;
	uint32_t	 len;
	atomic_uchar	 used;
};

struct memo {
	char		*path;
	uint8_t		 fp[MEMO_FP_LEN];
	uint8_t		 mac_key[MEMO_MAC_LEN];
	int		 keyed;
	char		*old;		/* the file read, or NULL */
	struct slot	*slots;
	size_t		 nslots;	/* a power of two, or 0 */
	size_t		 nold;
	pthread_mutex_t	 mu;		/* guards add, nadd, add_failed */
	struct buf	 add;		/* entries added: key, u32 len, value */
	size_t		 nadd;
	int		 add_failed;
	atomic_size_t	 hits;
};

/* ---- encoding -------------------------------------------------------- */

static void
put_u8(struct buf *b, unsigned v)
{
	uint8_t	c = (uint8_t)v;

	buf_add(b, &c, 1);
}

static void
put_le(struct buf *b, uint64_t v, int n)
{
	uint8_t	c[8];
	int	i;

	for (i = 0; i < n; i++)
		c[i] = (uint8_t)(v >> (8 * i));
	buf_add(b, c, (size_t)n);
}

/* A cursor over bytes being decoded; bad once anything did not fit. */
struct rd {
	const uint8_t	*p;
	const uint8_t	*end;
	int		 bad;
};

static const uint8_t *
get_bytes(struct rd *r, size_t n)
{
	const uint8_t	*p = r->p;

	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return NULL;
	}
	r->p += n;
	return p;
}

static uint64_t
get_le(struct rd *r, int n)
{
	const uint8_t	*p = get_bytes(r, (size_t)n);
	uint64_t	 v = 0;
	int		 i;

	for (i = 0; p != NULL && i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* n elements of size bytes each: a count the rest of r can hold. */
static size_t
get_count(struct rd *r, size_t size)
{
	size_t	n = (size_t)get_le(r, 4);

	if (n > (size_t)(r->end - r->p) / size)
		r->bad = 1;
	return r->bad ? 0 : n;
}

/* ---- the ROA's value ------------------------------------------------- */

static void
put_res(struct buf *b, const struct ipres *res)
{
	unsigned	inh = res->inherit | res->inherited;
	size_t		i;
	int		k;

	put_u8(b, res->present);
	put_u8(b, inh);
	for (k = IPRES_V4; k <= IPRES_V6; k++) {
		if (!(res->present & IPRES_BIT(k)) || (inh & IPRES_BIT(k)))
			continue;
		put_le(b, res->naddr[k], 4);
		for (i = 0; i < res->naddr[k]; i++) {
			buf_add(b, res->addr[k][i].lo, 16);
			buf_add(b, res->addr[k][i].hi, 16);
		}
	}
	if ((res->present & IPRES_BIT(IPRES_AS)) &&
	    !(inh & IPRES_BIT(IPRES_AS))) {
		put_le(b, res->nas, 4);
		for (i = 0; i < res->nas; i++) {
			put_le(b, res->as[i].lo, 4);
			put_le(b, res->as[i].hi, 4);
		}
	}
}

static struct ipres *
get_res(struct rd *r)
{
	struct ipres	*res;
	const uint8_t	*p;
	size_t		 i, n;
	int		 k;

	if ((res = calloc(1, sizeof(*res))) == NULL)
		return NULL;
	res->present = (unsigned)get_le(r, 1);
	res->inherit = (unsigned)get_le(r, 1);
	if ((res->present | res->inherit) & ~7u ||
	    (res->inherit & ~res->present))
		r->bad = 1;
	for (k = IPRES_V4; k <= IPRES_V6 && !r->bad; k++) {
		if (!(res->present & IPRES_BIT(k)) ||
		    (res->inherit & IPRES_BIT(k)))
			continue;
		n = get_count(r, 32);
		if (n > 0 && (res->addr[k] = calloc(n, 32)) == NULL)
			goto oom;
		res->naddr[k] = n;
		for (i = 0; i < n && (p = get_bytes(r, 32)) != NULL; i++) {
			memcpy(res->addr[k][i].lo, p, 16);
			memcpy(res->addr[k][i].hi, p + 16, 16);
		}
	}
	if ((res->present & IPRES_BIT(IPRES_AS)) &&
	    !(res->inherit & IPRES_BIT(IPRES_AS)) && !r->bad) {
		n = get_count(r, 8);
		if (n > 0 && (res->as = calloc(n, sizeof(*res->as))) == NULL)
			goto oom;
		res->nas = n;
		for (i = 0; i < n; i++) {
			res->as[i].lo = (uint32_t)get_le(r, 4);
			res->as[i].hi = (uint32_t)get_le(r, 4);
		}
	}
	return res;
 oom:
	ipres_free(res);
	return NULL;
}

/* A URI (or NULL: none) as u16 length and octets. */
static void
put_uri(struct buf *b, const char *uri)
{
	size_t	n = uri != NULL ? strlen(uri) : 0;

	if (n > UINT16_MAX) {
		b->failed = 1;		/* cache_path refuses such URIs */
		return;
	}
	put_le(b, n, 2);
	if (n > 0)
		buf_add(b, uri, n);
}

/* put_uri's URI into *uri (NULL if none); -1 if out of memory. */
static int
get_uri(struct rd *r, char **uri)
{
	const uint8_t	*p;
	size_t		 n = (size_t)get_le(r, 2);

	if (n == 0 || (p = get_bytes(r, n)) == NULL)
		return 0;
	if ((*uri = strndup((const char *)p, n)) == NULL)
		return -1;
	if (strlen(*uri) != n)
		r->bad = 1;
	return 0;
}

/* The EE certificate's part of a value, after the type. */
static void
put_ee(struct buf *b, unsigned type, const struct cert *ee)
{
	put_u8(b, type);
	put_u8(b, ee->serial.len);
	buf_add(b, ee->serial.b, ee->serial.len);
	put_le(b, (uint64_t)ee->notbefore, 8);
	put_le(b, (uint64_t)ee->notafter, 8);
	put_uri(b, ee->aia);
	put_uri(b, ee->crldp);
	put_res(b, ee->res);
}

/*
 * The EE certificate of a value of type type, as memo_roa_get gives it;
 * NULL if out of memory (r->bad if it does not decode).
 */
static struct cert *
get_ee(struct rd *r, unsigned type, const char *uri)
{
	struct cert	*ee;
	const uint8_t	*p;

	if ((ee = calloc(1, sizeof(*ee))) == NULL ||
	    (ee->fn = strdup(uri)) == NULL)
		goto oom;
	ee->purpose = CERT_EE;
	if (get_le(r, 1) != type)
		r->bad = 1;
	ee->serial.len = (uint8_t)get_le(r, 1);
	if (ee->serial.len > SERIAL_MAX)
		r->bad = 1;
	if ((p = get_bytes(r, ee->serial.len)) != NULL)
		memcpy(ee->serial.b, p, ee->serial.len);
	ee->notbefore = (int64_t)get_le(r, 8);
	ee->notafter = (int64_t)get_le(r, 8);
	if (get_uri(r, &ee->aia) == -1 || get_uri(r, &ee->crldp) == -1)
		goto oom;
	if (!r->bad && (ee->res = get_res(r)) == NULL)
		goto oom;
	return ee;
 oom:
	cert_free(ee);
	return NULL;
}

static void
put_roa(struct buf *b, const struct cert *ee, const void *obj)
{
	const struct roa *roa = obj;
	size_t		 i;

	put_ee(b, TYPE_ROA, ee);
	put_le(b, roa->asid, 4);
	put_le(b, roa->nprefixes, 4);
	for (i = 0; i < roa->nprefixes; i++) {
		put_u8(b, roa->prefixes[i].afi);
		put_u8(b, roa->prefixes[i].plen);
		put_u8(b, roa->prefixes[i].maxlen);
		buf_add(b, roa->prefixes[i].addr, 16);
	}
}

/* A ROA's part of a value into a new struct roa; NULL if out of memory. */
static void *
get_roa(struct rd *r)
{
	struct roa	*roa;
	const uint8_t	*p;
	size_t		 n, i;

	if ((roa = calloc(1, sizeof(*roa))) == NULL)
		return NULL;
	roa->asid = (uint32_t)get_le(r, 4);
	n = get_count(r, 19);
	if (n > 0 && (roa->prefixes = calloc(n, sizeof(*roa->prefixes))) ==
	    NULL) {
		roa_free(roa);
		return NULL;
	}
	roa->nprefixes = n;
	for (i = 0; i < n && (p = get_bytes(r, 19)) != NULL; i++) {
		roa->prefixes[i].afi = p[0];
		roa->prefixes[i].plen = p[1];
		roa->prefixes[i].maxlen = p[2];
		memcpy(roa->prefixes[i].addr, p + 3, 16);
		if ((p[0] != AFI_IPV4 && p[0] != AFI_IPV6) ||
		    p[2] > (p[0] == AFI_IPV4 ? 32 : 128) || p[1] > p[2])
			r->bad = 1;
	}
	return roa;
}

static void
put_aspa(struct buf *b, const struct cert *ee, const void *obj)
{
	const struct aspa_obj *a = obj;
	size_t		 i;

	put_ee(b, TYPE_ASPA, ee);
	put_le(b, a->customer, 4);
	put_le(b, a->nproviders, 4);
	for (i = 0; i < a->nproviders; i++)
		put_le(b, a->providers[i], 4);
}

/* An ASPA's part into a new struct aspa_obj; NULL if out of memory. */
static void *
get_aspa(struct rd *r)
{
	struct aspa_obj	*a;
	size_t		 n, i;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->customer = (uint32_t)get_le(r, 4);
	n = get_count(r, 4);
	if (n > 0 && (a->providers = calloc(n, sizeof(*a->providers))) ==
	    NULL) {
		aspa_obj_free(a);
		return NULL;
	}
	a->nproviders = n;
	for (i = 0; i < n; i++)
		a->providers[i] = (uint32_t)get_le(r, 4);
	return a;
}

static void
obj_free(unsigned type, void *obj)
{
	if (type == TYPE_ROA)
		roa_free(obj);
	else
		aspa_obj_free(obj);
}

/*
 * Decode a value of type type into *ee and *obj.  Returns 1, 0 if the
 * value does not decode as one (treated as no entry), -1 if out of
 * memory.
 */
static int
get_value(struct rd *r, unsigned type, const char *uri, struct cert **eep,
    void **objp)
{
	struct cert	*ee;
	void		*obj = NULL;

	if ((ee = get_ee(r, type, uri)) == NULL)
		return -1;
	if (!r->bad && (obj = type == TYPE_ROA ? get_roa(r) : get_aspa(r)) ==
	    NULL) {
		cert_free(ee);
		return -1;
	}
	if (r->p != r->end || r->bad) {
		cert_free(ee);
		obj_free(type, obj);
		return 0;
	}
	*eep = ee;
	*objp = obj;
	return 1;
}

/* ---- the table ------------------------------------------------------- */

/*
 * The trailer of a file whose bytes before it have SHA-256 md, into md.
 * Returns 0, or -1 (OpenSSL failed).
 */
static int
trailer(const struct memo *m, uint8_t md[32])
{
	uint8_t		out[EVP_MAX_MD_SIZE];
	unsigned	n = 0;

	if (!m->keyed)
		return 0;
	if (HMAC(EVP_sha256(), m->mac_key, MEMO_MAC_LEN, md, 32, out,
	    &n) == NULL || n != 32)
		return -1;
	memcpy(md, out, 32);
	return 0;
}

static size_t
slot_of(const struct memo *m, const uint8_t *key)
{
	uint64_t	h;

	memcpy(&h, key, sizeof(h));
	return (size_t)h & (m->nslots - 1);
}

static struct slot *
slot_find(struct memo *m, const uint8_t *key)
{
	size_t	i;

	if (m->nslots == 0)
		return NULL;
	for (i = slot_of(m, key); m->slots[i].key != NULL;
	    i = (i + 1) & (m->nslots - 1))
		if (memcmp(m->slots[i].key, key, MEMO_KEY_LEN) == 0)
			return &m->slots[i];
	return NULL;
}

/*
 * Index the file m->old (len bytes).  Returns NULL if it was used, else
 * why not (m->old is then freed).
 */
static const char *
memo_index(struct memo *m, size_t len)
{
	const uint8_t	*d = (const uint8_t *)m->old;
	uint8_t		 md[32];
	struct rd	 r;
	struct slot	*s;
	size_t		 count, n, i, vlen;
	const uint8_t	*key;
	const char	*why;

	why = "not a memo file of this format";
	if (len < HEAD_LEN + TRAILER_LEN || memcmp(d, MAGIC, 8) != 0)
		goto drop;
	r = (struct rd){ d + 8, d + len - TRAILER_LEN, 0 };
	if (get_le(&r, 4) != FORMAT)
		goto drop;
	why = "written by another build of rpki-validator";
	key = get_bytes(&r, MEMO_FP_LEN);
	if (key == NULL || memcmp(key, m->fp, MEMO_FP_LEN) != 0)
		goto drop;
	why = m->keyed ? "damaged, or written with another signing key (its "
	    "HMAC does not match)" : "damaged (its checksum does not match)";
	ossl_sha256(d, len - TRAILER_LEN, md);
	if (trailer(m, md) == -1 ||
	    CRYPTO_memcmp(md, d + len - TRAILER_LEN, sizeof(md)) != 0)
		goto drop;
	why = "damaged (its entries do not fit it)";
	count = (size_t)get_le(&r, 8);
	if (count > len / (MEMO_KEY_LEN + 4))
		goto drop;
	for (n = 16; n < 2 * count; n *= 2)
		;
	if ((m->slots = calloc(n, sizeof(*m->slots))) == NULL) {
		why = "out of memory";
		goto drop;
	}
	m->nslots = n;
	for (i = 0; i < count; i++) {
		key = get_bytes(&r, MEMO_KEY_LEN);
		vlen = (size_t)get_le(&r, 4);
		if (r.bad || vlen > (size_t)(r.end - r.p))
			goto drop;
		if ((s = slot_find(m, key)) == NULL) {
			for (n = slot_of(m, key); m->slots[n].key != NULL;
			    n = (n + 1) & (m->nslots - 1))
				;
			s = &m->slots[n];
			s->key = key;
			m->nold++;
		}
		s->val = r.p;		/* a repeated key: the last wins */
		s->len = (uint32_t)vlen;
		r.p += vlen;
	}
	if (r.p != r.end)
		goto drop;
	return NULL;
 drop:
	free(m->slots);
	m->slots = NULL;
	m->nslots = 0;
	m->nold = 0;
	free(m->old);
	m->old = NULL;
	return why;
}

/* ---- the interface --------------------------------------------------- */

void
memo_key(const uint8_t file_hash[32], const uint8_t ca_key[32],
    const char *uri, uint8_t key[MEMO_KEY_LEN])
{
	size_t	 n = strlen(uri);
	uint8_t	 stack[256], *in = stack;

	if (64 + n > sizeof(stack) && (in = malloc(64 + n)) == NULL) {
		memset(key, 0, MEMO_KEY_LEN);	/* never found: no entry */
		return;
	}
	memcpy(in, file_hash, 32);
	memcpy(in + 32, ca_key, 32);
	memcpy(in + 64, uri, n);
	ossl_sha256(in, 64 + n, key);
	if (in != stack)
		free(in);
}

struct memo *
memo_open(const char *path, const uint8_t fp[MEMO_FP_LEN],
    const uint8_t *mac_key, const char **why)
{
	struct memo	*m;
	struct err	 e;
	size_t		 len;
	int		 rc;

	*why = NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	if ((m->path = strdup(path)) == NULL) {
		free(m);
		return NULL;
	}
	memcpy(m->fp, fp, MEMO_FP_LEN);
	if (mac_key != NULL) {
		memcpy(m->mac_key, mac_key, MEMO_MAC_LEN);
		m->keyed = 1;
	}
	pthread_mutex_init(&m->mu, NULL);
	rc = file_read_all(path, MEMO_FILE_MAX, &m->old, &len, &e);
	if (rc == 0)
		*why = memo_index(m, len);
	else if (access(path, F_OK) == 0)
		*why = "unreadable, or larger than 1 GiB";
	return m;
}

static int
memo_get(struct memo *m, const uint8_t key[MEMO_KEY_LEN], unsigned type,
    const char *uri, struct cert **ee, void **obj)
{
	struct slot	*s;
	struct rd	 r;
	int		 rc;

	if ((s = slot_find(m, key)) == NULL)
		return 0;
	r = (struct rd){ s->val, s->val + s->len, 0 };
	if ((rc = get_value(&r, type, uri, ee, obj)) == 1) {
		atomic_store_explicit(&s->used, 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&m->hits, 1, memory_order_relaxed);
	}
	return rc;
}

static void
memo_put(struct memo *m, const uint8_t key[MEMO_KEY_LEN],
    const struct cert *ee, const void *obj,
    void (*put)(struct buf *, const struct cert *, const void *))
{
	struct buf	v;

	memset(&v, 0, sizeof(v));
	put(&v, ee, obj);
	pthread_mutex_lock(&m->mu);
	if (buf_failed(&v) || v.len > UINT32_MAX)
		m->add_failed = 1;
	else {
		buf_add(&m->add, key, MEMO_KEY_LEN);
		put_le(&m->add, v.len, 4);
		buf_add(&m->add, v.data, v.len);
		m->nadd++;
	}
	pthread_mutex_unlock(&m->mu);
	buf_free(&v);
}

int
memo_roa_get(struct memo *m, const uint8_t key[MEMO_KEY_LEN],
    const char *uri, struct cert **ee, struct roa **roa)
{
	void	*o;
	int	 rc;

	if ((rc = memo_get(m, key, TYPE_ROA, uri, ee, &o)) == 1)
		*roa = o;
	return rc;
}

void
memo_roa_put(struct memo *m, const uint8_t key[MEMO_KEY_LEN],
    const struct cert *ee, const struct roa *roa)
{
	memo_put(m, key, ee, roa, put_roa);
}

int
memo_aspa_get(struct memo *m, const uint8_t key[MEMO_KEY_LEN],
    const char *uri, struct cert **ee, struct aspa_obj **a)
{
	void	*o;
	int	 rc;

	if ((rc = memo_get(m, key, TYPE_ASPA, uri, ee, &o)) == 1)
		*a = o;
	return rc;
}

void
memo_aspa_put(struct memo *m, const uint8_t key[MEMO_KEY_LEN],
    const struct cert *ee, const struct aspa_obj *a)
{
	memo_put(m, key, ee, a, put_aspa);
}

void
memo_counts(const struct memo *m, size_t *hits, size_t *added)
{
	*hits = atomic_load(&m->hits);
	*added = m->nadd;
}

/* Write n bytes of p to fp and into the digest d; *bad once it fails. */
static void
out_add(FILE *fp, struct ossl_sha256_ctx *d, const void *p, size_t n,
    int *bad)
{
	if (n == 0 || *bad)
		return;
	if (fwrite(p, 1, n, fp) != n)
		*bad = 1;
	ossl_sha256_update(d, p, n);
}

int
memo_save(struct memo *m, struct err *e)
{
	struct atomic_file af;
	struct buf	 head;
	struct ossl_sha256_ctx d;
	uint8_t		 md[32];
	size_t		 i, used = 0;
	int		 bad = 0;

	if (m->add_failed || buf_failed(&m->add))
		return err_set(e, "%s: out of memory: not saved", m->path);
	for (i = 0; i < m->nslots; i++)
		if (m->slots[i].key != NULL && atomic_load(&m->slots[i].used))
			used++;
	if (m->nadd == 0 && used == m->nold && m->old != NULL)
		return 0;
	if (atomic_open(&af, m->path, e) == -1)
		return -1;
	ossl_sha256_init(&d);
	memset(&head, 0, sizeof(head));
	buf_add(&head, MAGIC, 8);
	put_le(&head, FORMAT, 4);
	buf_add(&head, m->fp, MEMO_FP_LEN);
	put_le(&head, used + m->nadd, 8);
	bad = buf_failed(&head);
	out_add(af.fp, &d, head.data, head.len, &bad);
	for (i = 0; i < m->nslots; i++) {
		if (m->slots[i].key == NULL || !atomic_load(&m->slots[i].used))
			continue;
		buf_reset(&head);
		buf_add(&head, m->slots[i].key, MEMO_KEY_LEN);
		put_le(&head, m->slots[i].len, 4);
		bad |= buf_failed(&head);
		out_add(af.fp, &d, head.data, head.len, &bad);
		out_add(af.fp, &d, m->slots[i].val, m->slots[i].len, &bad);
	}
	out_add(af.fp, &d, m->add.data, m->add.len, &bad);
	buf_free(&head);
	ossl_sha256_final(&d, md);
	if (!bad && trailer(m, md) == -1)
		bad = 1;
	if (!bad && fwrite(md, 1, sizeof(md), af.fp) != sizeof(md))
		bad = 1;
	if (bad) {
		atomic_abort(&af);
		return err_set(e, "%s: write failed", m->path);
	}
	return atomic_commit(&af, e);
}

void
memo_free(struct memo *m)
{
	if (m == NULL)
		return;
	pthread_mutex_destroy(&m->mu);
	buf_free(&m->add);
	free(m->slots);
	free(m->old);
	free(m->path);
	OPENSSL_cleanse(m->mac_key, sizeof(m->mac_key));
	free(m);
}
