/*
 * tal.c - trust anchor locators (RFC 8630 section 2.2): the TA
 * certificate's URIs, an https one first and then an rsync one, a blank
 * line, and the base64 of the TA's SubjectPublicKeyInfo in lines of 64.
 * Validators name a trust anchor after its TAL file: ta-0.tal is "ta-0".
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "buf.h"
#include "encoding.h"
#include "fileio.h"
#include "keypool.h"
#include "repogen.h"

int
tal_write(const struct plan *pl, const struct keypool *kp, size_t ta,
    const char *outdir, struct err *e)
{
	const struct rg_ca *c = &pl->cas[ta];
	struct buf	 b = { 0 };
	char		 path[PATH_MAX], uri[RG_URI_MAX], *b64 = NULL;
	unsigned char	*spki = NULL;
	size_t		 i, n;
	int		 len, rc = -1;

	if ((len = i2d_PUBKEY(kp->keys[c->key], &spki)) <= 0 ||
	    (b64 = base64_encode(spki, (size_t)len, 0)) == NULL) {
		err_set(e, "%s TAL: encoding the public key failed", c->name);
		goto out;
	}
	plan_cert_uri(pl, ta, uri);
	buf_printf(&b, "https://%s\n%s\n\n", uri + strlen("rsync://"), uri);
	for (i = 0, n = strlen(b64); i < n; i += 64) {
		buf_add(&b, b64 + i, n - i < 64 ? n - i : 64);
		buf_puts(&b, "\n");
	}
	if (buf_failed(&b)) {
		err_set(e, "out of memory");
		goto out;
	}
	snprintf(path, sizeof(path), "%s/tals", outdir);
	if (mkdirs(path, e) == -1)
		goto out;
	snprintf(path, sizeof(path), "%s/tals/%s.tal", outdir, c->name);
	rc = fs_write(path, b.data, b.len, e);
 out:
	OPENSSL_free(spki);
	free(b64);
	buf_free(&b);
	return rc;
}
