/*
 * vrpfile.h - reading and writing VRP files in the formats operators use.
 *
 * Formats:
 *  - OctoRPKI/GoRTR JSON: {"metadata": {"counts", "generated", "valid",
 *    "signature", "signatureDate", "serial"}, "roas": [{"prefix",
 *    "maxLength", "asn", "ta"}]} with asn as "AS65000" or a number.  We
 *    write router keys in it as "bgpsec_keys" and ASPAs in the
 *    "provider_authorizations" form, which is what StayRTR reads.
 *  - rpki-client JSON (-j): "roas" with numeric asn and "expires",
 *    "aspas" ({"customer_asid", "providers", "expires"}), "bgpsec_keys"
 *    ({"asn", "ski", "pubkey"}), and rpki-client 8.x's older ASPA form
 *    "provider_authorizations": {"ipv4": [...], "ipv6": [...]}.
 *  - CSV as rpki-client writes it: "ASN,IP Prefix,Max Length,Trust
 *    Anchor" (rpki-client 8's fifth "Expires" column is read too).
 *
 * Reading is strict: a file with one bad entry is rejected whole, with an
 * error naming the entry, the value and the rule broken.  Duplicates fold.
 */
#ifndef COMMON_VRPFILE_H
#define COMMON_VRPFILE_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "vrpset.h"

enum vrpfile_format {
	VRPFILE_OCTORPKI,	/* GoRTR/OctoRPKI JSON */
	VRPFILE_RPKICLIENT,	/* rpki-client JSON, "aspas" form */
	VRPFILE_RPKICLIENT8,	/* rpki-client 8.x: provider_authorizations */
	VRPFILE_CSV,
};

/*
 * The strings "prefix,maxLength,asn," of every ROA entry, as written in
 * the file (GoRTR signature input), kept in one pool.
 */
struct siglines {
	char		*pool;		/* NUL-separated strings */
	size_t		 poollen;
	size_t		 poolcap;
	uint32_t	*off;		/* start of each string in pool */
	size_t		 n;
	size_t		 cap;
};

struct vrpfile_meta {
	int64_t		 generated;	/* unix time; valid if has_generated */
	int64_t		 valid;
	int64_t		 counts;
	int64_t		 serial;
	unsigned int	 has_generated:1, has_valid:1, has_counts:1,
			 has_serial:1;
	char		*signature;	/* hex DER ECDSA over digest 2 */
	char		*signature_date; /* hex DER ECDSA over digest 1 */
	enum vrpfile_format format;	/* as detected when reading */
};

struct vrpfile {
	struct vrpset		*set;
	struct vrpfile_meta	 meta;
	struct siglines		 sig;	/* see VRPFILE_SIGLINES */
	size_t			 nroas;	/* ROA entries before folding */
	size_t			 naspas;
	size_t			 nrkeys;
};

/*
 * Flags for vrpfile_parse().  VRPFILE_SIGLINES: fill f->sig with the
 * signature input line of each ROA entry.  A line whose prefix and asn
 * are written as vrpfile_write() writes them (the usual case) is made
 * from the parsed entry once the text has been read; only the others
 * are copied from the text as they are read.
 */
#define VRPFILE_SIGLINES	0x01

/* Largest file we read (bytes). */
#define VRPFILE_MAX_SIZE	(1024UL * 1024 * 1024)

/*
 * Parse a VRP file of len bytes (JSON of either flavour, or CSV, told
 * apart by content).  name is used in error messages.  On success returns
 * 0 and fills f (free with vrpfile_free); on error returns -1, f holds
 * nothing, and e says where and what: "NAME: roas[12].maxLength: want
 * 24 <= maxLength <= 32, have 40".
 */
int	vrpfile_parse(const char *buf, size_t len, const char *name,
	    int flags, struct vrpfile *f, struct err *e);

/*
 * vrpfile_parse of buf, a malloc'd block that this call takes and frees
 * as soon as it has been read, before the set is sorted and the
 * signature lines are made: the text, the lines and the sorting never
 * take memory at the same time (see VRPFILE_SIGLINES).  Same contract.
 */
int	vrpfile_parse_take(char *buf, size_t len, const char *name,
	    int flags, struct vrpfile *f, struct err *e);

/* Read path ("-" for stdin) and parse it.  Same contract. */
int	vrpfile_load(const char *path, int flags, struct vrpfile *f,
	    struct err *e);

/* Release everything f holds.  A zeroed f is fine. */
void	vrpfile_free(struct vrpfile *f);

/* Release a meta's strings. */
void	vrpfile_meta_free(struct vrpfile_meta *m);

/*
 * Write s to fp in the given format.  For VRPFILE_OCTORPKI the metadata
 * fields that are set in m (generated, valid, serial, signatures) are
 * written; counts is always the number of ROA entries.  m may be NULL.
 * Returns 0, or -1 if a write failed.
 */
int	vrpfile_write(FILE *fp, const struct vrpset *s,
	    enum vrpfile_format fmt, const struct vrpfile_meta *m);

/*
 * Write to path atomically (temporary name, then rename; "-" is
 * stdout).  Returns 0, or -1 with the reason in e; on error an existing
 * file at path is left as it was.
 */
int	vrpfile_save(const char *path, const struct vrpset *s,
	    enum vrpfile_format fmt, const struct vrpfile_meta *m,
	    struct err *e);

/* Parse a format name ("octorpki", "gortr", "rpki-client", "csv", ...). */
int	vrpfile_format_parse(const char *name, enum vrpfile_format *fmt);
const char *vrpfile_format_name(enum vrpfile_format fmt);

/* Add one line to sl; returns 0 or -1 on out of memory. */
int	siglines_add(struct siglines *sl, const char *prefix,
	    unsigned int maxlen, const char *asn);

/*
 * Add the line of v as vrpfile_write() writes it in the OctoRPKI format
 * ("10.0.0.0/8,24,AS65000,"); 0, or -1 on out of memory.
 */
int	siglines_add_vrp(struct siglines *sl, const struct vrp *v);

/*
 * Fill sl with the lines of s's VRPs exactly as vrpfile_write() writes
 * them in the OctoRPKI format ("10.0.0.0/8,24,AS65000,").
 */
int	siglines_from_set(struct siglines *sl, const struct vrpset *s);

void	siglines_free(struct siglines *sl);

#endif
