/*
 * walk.c - the trust anchors, and a pool of threads taking publication
 * points from a shared stack of jobs.
 *
 * The stack is last in, first out: a CA's children are processed before
 * its siblings' subtrees, so the jobs waiting at any time are about the
 * tree's depth times its fan-out, not the whole tree.  Each thread adds
 * payloads to its own builder; the sets are merged at the end.
 */
#include <stdlib.h>
#include <string.h>

#include "asn1util.h"
#include "cache.h"
#include "sync.h"
#include "tal.h"
#include "walk_impl.h"

struct walk {
	const struct walk_config *cfg;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct job		*head;
	size_t			 busy;
};

static const char *const type_names[WT_N] = {
	"TA", "CA", "router", "manifest", "CRL", "ROA", "ASPA",
	"ghostbusters", "other",
};

static const char *const reason_names[WR_N] = {
	"parse", "signature", "time", "revoked", "resources", "issuer",
	"missing", "hash", "location", "publication point",
};

const char *
walk_type_name(enum walk_type t)
{
	return t < WT_N ? type_names[t] : "?";
}

const char *
walk_reason_name(enum walk_reason r)
{
	return r < WR_N ? reason_names[r] : "?";
}

void
walk_reject(struct worker *wk, enum walk_type t, enum walk_reason r,
    const struct err *e)
{
	wk->st.invalid[t][r]++;
	log_data(wk->cfg->lg, LOG_WARN, "%s", e->msg);
}

static void
job_free(struct job *j)
{
	if (j == NULL)
		return;
	cert_free(j->ca);
	free(j->chain);
	free(j);
}

static void
job_push(struct walk *w, struct job *j)
{
	pthread_mutex_lock(&w->mu);
	j->next = w->head;
	w->head = j;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/* A job for ca at depth, below the chain of parent (NULL for a TA). */
static struct job *
job_new(const struct job *parent, struct cert *ca, uint32_t ta)
{
	struct job	*j;
	unsigned	 depth = parent ? parent->depth + 1 : 0;

	if ((j = calloc(1, sizeof(*j))) == NULL ||
	    (j->chain = calloc(depth + 1, sizeof(*j->chain))) == NULL) {
		free(j);
		return NULL;
	}
	j->ca = ca;
	j->ta = parent ? parent->ta : ta;
	j->depth = depth;
	j->expires = ca->notafter;
	if (parent != NULL) {
		memcpy(j->chain, parent->chain, depth * sizeof(*j->chain));
		if (parent->expires < j->expires)
			j->expires = parent->expires;
	}
	memcpy(j->chain[depth], ca->ski, SKI_LEN);
	return j;
}

int
walk_push(struct worker *wk, const struct job *parent, struct cert *ca)
{
	struct job	*j;

	if ((j = job_new(parent, ca, 0)) == NULL) {
		cert_free(ca);
		wk->oom = 1;
		return -1;
	}
	/* Fetched while the jobs before it are validated. */
	if (wk->cfg->sync != NULL)
		sync_prefetch(wk->cfg->sync, ca->repo, ca->notify);
	job_push(wk->w, j);
	return 0;
}

static int
walk_cancelled(const struct walk_config *cfg)
{
	return cfg->cancel != NULL && atomic_load(cfg->cancel);
}

static void *
worker_main(void *arg)
{
	struct worker	*wk = arg;
	struct walk	*w = wk->w;
	struct job	*j;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		/* Cancelled: drop what waits; the jobs running finish. */
		while (walk_cancelled(w->cfg) && (j = w->head) != NULL) {
			w->head = j->next;
			job_free(j);
		}
		if (w->head == NULL) {
			if (w->busy == 0) {
				/* Those waiting for jobs are done too. */
				pthread_cond_broadcast(&w->cv);
				break;
			}
			pthread_cond_wait(&w->cv, &w->mu);
			continue;
		}
		j = w->head;
		w->head = j->next;
		w->busy++;
		pthread_mutex_unlock(&w->mu);
		/* Failed: the cache's copy, if any, is what there is. */
		if (w->cfg->sync != NULL)
			(void)sync_module(w->cfg->sync, j->ca->repo,
			    j->ca->notify);
		pubpoint_process(wk, j);
		job_free(j);
		pthread_mutex_lock(&w->mu);
		if (--w->busy == 0 && w->head == NULL)
			pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/*
 * The TA certificate of tal from the cache: the first of its URIs that
 * is there, checked against the TAL's key (RFC 8630 section 3), its own
 * signature and the validation time.  Returns it, or NULL (logged).
 */
static struct cert *
ta_load(struct worker *wk, const struct tal *tal)
{
	const struct walk_config *cfg = wk->cfg;
	struct cert	*c = NULL;
	struct err	 e;
	uint8_t		*der;
	size_t		 len, i, k, first;
	enum walk_reason r = WR_MISSING;
	int		 rc;

	err_set(&e, "%s: no TA certificate in the cache at any URI of the "
	    "TAL (RFC 8630 section 2.2)", tal->name);
	/*
	 * The TAL's URIs in order until one is fetched (RFC 8630 section
	 * 2.2), and that one read first: the cache may hold an older copy
	 * at another URI's place.
	 */
	for (first = 0; cfg->sync != NULL && first < tal->nuris; first++)
		if (sync_file(cfg->sync, tal->uris[first]) == 0)
			break;
	if (first == tal->nuris)
		first = 0;
	for (k = 0; k < tal->nuris && c == NULL; k++) {
		i = (first + k) % tal->nuris;
		rc = cache_read(cfg->cache, tal->uris[i], cfg->max_file, &der,
		    &len, &e);
		if (rc != 0) {
			if (rc != 1)
				r = WR_PARSE;
			continue;
		}
		r = WR_PARSE;
		c = cert_parse(tal->uris[i], der, len, &e);
		free(der);
		if (c == NULL)
			continue;
		if (tal_check_ta(tal, c, &e) == -1) {
			cert_free(c);
			c = NULL;
		} else if (cert_verify_signature(c, c->pub, &e) == -1) {
			r = WR_SIGNATURE;
			cert_free(c);
			c = NULL;
		} else if (cfg->now < c->notbefore || cfg->now > c->notafter) {
			r = WR_TIME;
			err_set(&e, "%s: RFC 6487 section 4.6: TA certificate "
			    "%s", tal->uris[i], cfg->now < c->notbefore ?
			    "not yet valid" : "expired");
			cert_free(c);
			c = NULL;
		}
	}
	if (c == NULL)
		walk_reject(wk, WT_TA, r, &e);
	else
		wk->st.valid[WT_TA]++;
	return c;
}

static void
stats_add(struct walk_stats *to, const struct walk_stats *s)
{
	size_t	t, r;

	for (t = 0; t < WT_N; t++) {
		to->valid[t] += s->valid[t];
		for (r = 0; r < WR_N; r++)
			to->invalid[t][r] += s->invalid[t][r];
	}
	to->pubpoints += s->pubpoints;
	to->pubpoints_failed += s->pubpoints_failed;
	to->pubpoints_kept += s->pubpoints_kept;
	to->vrps += s->vrps;
	to->aspas += s->aspas;
	to->router_keys += s->router_keys;
}

/* Threads over the queued jobs; returns how many ran. */
static int
pool_run(struct worker *wks, int n)
{
	pthread_t	*th;
	int		 i, started = 0;

	/* A thread that cannot start leaves its share to the others. */
	if ((th = calloc((size_t)n, sizeof(*th))) != NULL)
		for (i = 1; i < n; i++)
			if (pthread_create(&th[started], NULL, worker_main,
			    &wks[i]) == 0)
				started++;
	worker_main(&wks[0]);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	return started + 1;
}

struct vrpset *
walk_run(const struct walk_config *cfg, struct tal *const *tals,
    const char *const *ta_names, size_t ntals, struct walk_stats *st,
    struct err *e)
{
	struct walk	 w;
	struct worker	*wks;
	struct vrpset_builder *all = NULL;
	struct vrpset	*s, *out = NULL;
	struct cert	*ta;
	struct job	*j;
	size_t		 i, k;
	int		 n = cfg->threads < 1 ? 1 : cfg->threads, oom = 0;

	memset(st, 0, sizeof(*st));
	memset(&w, 0, sizeof(w));
	w.cfg = cfg;
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	if ((wks = calloc((size_t)n, sizeof(*wks))) == NULL)
		goto oom;
	for (k = 0; k < (size_t)n; k++) {
		wks[k].w = &w;
		wks[k].cfg = cfg;
		if ((wks[k].b = vrpset_builder_new()) == NULL)
			goto oom;
		/* The same names in the same order: index i is TAL i. */
		for (i = 0; i < ntals; i++)
			if (vrpset_builder_ta(wks[k].b, ta_names[i]) != (int)i)
				goto oom;
	}
	for (i = 0; i < ntals; i++) {
		if ((ta = ta_load(&wks[0], tals[i])) == NULL)
			continue;
		if ((j = job_new(NULL, ta, (uint32_t)i)) == NULL) {
			cert_free(ta);
			goto oom;
		}
		j->tal = tals[i];	/* its children's caIssuers name it */
		if (cfg->sync != NULL)
			sync_prefetch(cfg->sync, ta->repo, ta->notify);
		job_push(&w, j);
	}
	pool_run(wks, n);
	if (walk_cancelled(cfg)) {
		err_set(e, "validation cancelled");
		goto done;
	}
	if ((all = vrpset_builder_new()) == NULL)
		goto oom;
	for (i = 0; i < ntals; i++)
		if (vrpset_builder_ta(all, ta_names[i]) != (int)i)
			goto oom;
	for (k = 0; k < (size_t)n; k++) {
		stats_add(st, &wks[k].st);
		oom |= wks[k].oom;
		s = vrpset_build(wks[k].b);
		wks[k].b = NULL;
		if (s == NULL || vrpset_builder_add_set(all, s) == -1)
			oom = 1;
		vrpset_unref(s);
	}
	if (oom)
		goto oom;
	out = vrpset_build(all);
	all = NULL;	/* consumed */
	if (out != NULL)
		goto done;
 oom:
	err_set(e, "out of memory");
 done:
	vrpset_builder_free(all);
	while ((j = w.head) != NULL) {
		w.head = j->next;
		job_free(j);
	}
	for (k = 0; wks != NULL && k < (size_t)n; k++)
		vrpset_builder_free(wks[k].b);
	free(wks);
	pthread_mutex_destroy(&w.mu);
	pthread_cond_destroy(&w.cv);
	return out;
}
