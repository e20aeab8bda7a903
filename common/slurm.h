/*
 * slurm.h - local exceptions to the RPKI: SLURM files (RFC 8416) and the
 * ASPA members of SLURM version 2 (draft-ietf-sidrops-aspa-slurm).
 *
 * A SLURM file lists filters, which remove validated payloads from the
 * output, and assertions, which add local ones (RFC 8416 section 3).
 * slurm_parse() reads one file into an immutable struct slurm;
 * slurm_apply() derives a new vrpset from a validated one.
 *
 * Scope of the checks: one file at a time.  The overlap rule of RFC 8416
 * section 4.2 is about distinct files used together ("X is contained by
 * any prefix ... in file Y and ... in file Z"), so it is not applied
 * within a file; the RFC's own example (section 3.5) filters and asserts
 * 198.51.100.0/24 in the same file.  A caller combining several files
 * has to check that rule across them: nothing here does.
 */
#ifndef COMMON_SLURM_H
#define COMMON_SLURM_H

#include <stddef.h>

#include "err.h"
#include "vrpset.h"

/* TA name given to asserted entries in the sets slurm_apply() builds. */
#define SLURM_TA_NAME	"slurm"

struct slurm;

/*
 * Parse the SLURM file in buf (len bytes, need not be NUL-terminated).
 * name is used in error messages only.  Accepts slurmVersion 1 (RFC 8416
 * section 3.2) and 2 (draft-ietf-sidrops-aspa-slurm, which adds
 * aspaFilters and aspaAssertions).  The draft's revisions and their
 * implementations spell the ASPA members differently; accepted are
 * customerAsid or customerAsn in filters and assertions, and
 * providerAsns, providers or providerSet (an array of AS numbers) in
 * assertions.  Lists absent from a file are taken as empty (GoRTR
 * writes files without them).  Returns a new struct slurm the caller
 * frees with slurm_free(), or NULL with one sentence in e naming the
 * file, the JSON path, the value and the rule (also on out of memory).
 */
struct slurm	*slurm_parse(const char *buf, size_t len, const char *name,
		    struct err *e);

/* Release what slurm_parse() returned.  NULL is fine. */
void	slurm_free(struct slurm *s);

/*
 * Build a new set: the entries of in that no filter of s matches (RFC
 * 8416 section 3.3), plus the assertions of s (section 3.4).  Assertions
 * are not filtered (RFC 8416 section 4) and carry the TA name
 * SLURM_TA_NAME and no expiry.  An asserted ASPA for a customer that
 * still has an ASPA in the output adds its providers to that customer's
 * (the set folds one customer into one record); to replace a customer's
 * providers, filter the customer and assert the new list.  in is not
 * changed.  Returns a set with one reference, or NULL on out of memory.
 */
struct vrpset	*slurm_apply(const struct slurm *s,
		    const struct vrpset *in);

/* How many entries of each kind the file held, for logs and metrics. */
struct slurm_counts {
	size_t	prefix_filters;
	size_t	bgpsec_filters;
	size_t	aspa_filters;
	size_t	prefix_assertions;
	size_t	bgpsec_assertions;
	size_t	aspa_assertions;
};

/* Fill c with the counts of s. */
void	slurm_counts(const struct slurm *s, struct slurm_counts *c);

/* The slurmVersion of s: 1 or 2. */
int	slurm_version(const struct slurm *s);

#endif
