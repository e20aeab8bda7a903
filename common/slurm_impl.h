/*
 * slurm_impl.h - the parsed form of a SLURM file, shared by the parser
 * (slurm.c) and slurm_apply.c.  Not for use outside those two files.
 */
#ifndef COMMON_SLURM_IMPL_H
#define COMMON_SLURM_IMPL_H

#include <stdint.h>

#include "slurm.h"

/* A BGPsec filter, or the key for one: an ASN and/or a SKI. */
struct kfilter {
	uint32_t	asn;
	uint8_t		ski[SKI_LEN];
};

struct kassert {
	uint32_t	 asn;
	uint8_t		 ski[SKI_LEN];
	uint8_t		*spki;
	size_t		 spkilen;
};

struct aassert {
	uint32_t	 customer;
	uint32_t	*prov;		/* sorted, no duplicates */
	size_t		 nprov;
};

/*
 * Filters are kept by kind, each table sorted for binary search (see
 * slurm_index()), so applying them costs O(n log m) and not O(n * m).
 */
struct slurm {
	int			 version;
	struct slurm_counts	 counts;
	uint32_t		*pf_asn;	/* prefix filters: ASN only */
	size_t			 npf_asn;
	struct vrp		*pf_pfx;	/* prefix only, disjoint */
	size_t			 npf_pfx;
	struct vrp		*pf_both;	/* prefix and ASN, in .asn */
	size_t			 npf_both;
	uint32_t		*kf_asn;	/* BGPsec filters: ASN only */
	size_t			 nkf_asn;
	struct kfilter		*kf_ski;	/* SKI only */
	size_t			 nkf_ski;
	struct kfilter		*kf_both;	/* ASN and SKI */
	size_t			 nkf_both;
	uint32_t		*af;		/* ASPA filters: customer */
	size_t			 naf;
	struct vrp		*pa;		/* prefix assertions */
	size_t			 npa;
	struct kassert		*ka;		/* router key assertions */
	size_t			 nka;
	struct aassert		*aa;		/* ASPA assertions */
	size_t			 naa;
};

/* Sort the filter tables for slurm_apply(); called once by the parser. */
void	slurm_index(struct slurm *s);

/* qsort/bsearch comparison of two uint32_t. */
int	slurm_u32_cmp(const void *a, const void *b);

#endif
