/*
 * rrdp_impl.h - what rrdp.c (the tree, the state, the faults) and
 * rrdp_xml.c (the RFC 8182 files) share.
 */
#ifndef REPOGEN_RRDP_IMPL_H
#define REPOGEN_RRDP_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/xmlwriter.h>
#include <openssl/evp.h>

#include "err.h"
#include "fileio.h"
#include "rrdp.h"

#define HASHLEN		32
#define STATE_MAGIC	"rpki-repogen rrdp state 1"
#define STATE_MAX	(1024u * 1024 * 1024)
#define WALK_DEPTH	32
#define DOTDOT_NAME	"../../../repogen-dotdot.txt"
#define DOTDOT_DATA	"RRDP path traversal test: an RP must not write this.\n"

/* A published file: from the tree (path set), the state, or synthetic. */
struct rfile {
	char		*uri;
	char		*path;
	const char	*data;		/* synthetic content, static */
	uint8_t		 hash[HASHLEN];
};

struct rlist {
	struct rfile	*v;
	size_t		 n, cap;
};

struct rdelta {
	uint64_t	 serial;
	uint8_t		 hash[HASHLEN];
};

/* What .state keeps between calls; session[0] == '\0' before the first. */
struct rstate {
	char		 session[37];
	uint64_t	 serial;
	char		*base;
	uint8_t		 snapshot[HASHLEN];
	struct rdelta	*deltas;	/* ascending serial */
	size_t		 ndeltas;
	struct rlist	 files;		/* sorted by uri */
};

/* One delta element: publish (file != NULL) or withdraw (file == NULL). */
struct rchange {
	const struct rfile *file;
	const char	*uri;
	const uint8_t	*oldhash;	/* NULL: a new file, no hash= */
};

/* How the notification is spoiled, if at all. */
enum notif_fault { NOTIF_CLEAN, NOTIF_DELTA_HASH, NOTIF_ENTITY_BOMB };

/* An XML file being written: the atomic file and the hashing sink. */
struct xfile {
	struct atomic_file af;
	EVP_MD_CTX	*md;
	xmlTextWriterPtr w;
	int		 bad;		/* a write or a writer call failed */
};


/* rrdp.c */

/* Uppercase hex of a SHA-256 into out. */
void	rrdp_hex(const uint8_t *h, char out[2 * HASHLEN + 1]);

/* SHA-256 of p[0..n) into out.  Returns 0, or -1. */
int	rrdp_sha256(const void *p, size_t n, uint8_t out[HASHLEN]);

/* "a" + "/" + "b", malloc'd; NULL on out of memory. */
char	*rrdp_path_join(const char *a, const char *b);

/* rrdp_xml.c */

/*
 * Write the snapshot (RFC 8182 section 3.5.2) of files at path, its
 * SHA-256 into hash.  Returns 0, or -1 with e.
 */
int	rrdp_snapshot_write(const char *path, const char *session,
	    uint64_t serial, const struct rlist *files, uint8_t hash[HASHLEN],
	    struct err *e);

/*
 * Write the delta (section 3.5.3) of the n changes c at path, its SHA-256
 * into hash.  badhash spoils the hash of the first element that has one
 * (RRDP_FAULT_DELTA_ELEMENT_HASH).  Returns 0, or -1 with e.
 */
int	rrdp_delta_write(const char *path, const char *session, uint64_t serial,
	    const struct rchange *c, size_t n, int badhash,
	    uint8_t hash[HASHLEN], struct err *e);

/*
 * Write rrdp_root/notification.xml for st (section 3.5.1), spoiled as
 * fault says.  Returns 0, or -1 with e.
 */
int	rrdp_notification_write(const char *rrdp_root, const struct rstate *st,
	    enum notif_fault fault, struct err *e);

#endif
