/*
 * test_vcert.c - RFC 6487 resource certificates and RFC 8209 router
 * certificates (validator/cert.c): the real fixtures of every purpose,
 * the EE certificates inside signed objects, and a mutated certificate
 * for each profile check.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "cert.h"
#include "ipres.h"

#include "testutil.h"
#include "vtestutil.h"

static const uint8_t ta_ski[SKI_LEN] = {
	0xE8, 0x55, 0x2B, 0x1F, 0xD6, 0xD1, 0xA4, 0xF7, 0xE4, 0x04,
	0xC6, 0xD8, 0xE5, 0x68, 0x0D, 0x1E, 0xBC, 0x16, 0x3F, 0xC3,
};

/* The signing key for mutated certificates (any RSA key will do). */
static EVP_PKEY *signer;

static struct cert *
parse_file(const char *path)
{
	struct cert	*c;
	struct err	 e;
	uint8_t		*der;
	size_t		 len;

	der = vt_read(path, &len);
	memset(&e, 0, sizeof(e));
	c = cert_parse(path, der, len, &e);
	free(der);
	if (c == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	return c;
}

/* Re-sign x and parse it: NULL with the diagnostic in e, or the cert. */
static struct cert *
reparse(X509 *x, struct err *e)
{
	struct cert	*c;
	uint8_t		*der;
	size_t		 len;

	der = vt_sign_der(x, signer, &len);
	memset(e, 0, sizeof(*e));
	c = cert_parse("mut.cer", der, len, e);
	OPENSSL_free(der);
	return c;
}

/* Mutated x must fail with a diagnostic containing want. */
static void
assert_rejects(X509 *x, const char *want)
{
	struct cert	*c;
	struct err	 e;

	c = reparse(x, &e);
	if (c != NULL) {
		cert_free(c);
		print_error("mutated certificate accepted, wanted \"%s\"\n",
		    want);
		fail();
	}
	assert_contains(e.msg, "mut.cer: ");
	assert_contains(e.msg, want);
	X509_free(x);
}

/* ---- the fixtures --------------------------------------------------- */

static void
test_ta(void **state)
{
	struct cert	*ta = parse_file(FIXTURE("ta.cer"));
	struct err	 e;

	(void)state;
	assert_int_equal(ta->purpose, CERT_TA);
	assert_memory_equal(ta->ski, ta_ski, SKI_LEN);
	assert_false(ta->has_aki);
	assert_int_equal(ta->serial.len, 1);
	assert_int_equal(ta->serial.b[0], 0xC9);
	assert_int_equal(ta->notbefore, 1511879995);
	assert_int_equal(ta->notafter, 4667553595LL);
	assert_string_equal(ta->repo, "rsync://rpki.ripe.net/repository/");
	assert_string_equal(ta->mft,
	    "rsync://rpki.ripe.net/repository/ripe-ncc-ta.mft");
	assert_string_equal(ta->notify,
	    "https://rrdp.ripe.net/notification.xml");
	assert_null(ta->aia);
	assert_null(ta->crldp);
	assert_null(ta->signedobj);
	assert_int_equal(ta->res->naddr[IPRES_V4], 1);
	assert_int_equal(ta->res->naddr[IPRES_V6], 1);
	assert_int_equal(ta->res->nas, 1);
	assert_int_equal(ta->res->as[0].lo, 0);
	assert_int_equal(ta->res->as[0].hi, 4294967295U);
	assert_int_equal(ta->res->inherit, 0);
	assert_int_equal(cert_verify_signature(ta, ta->pub, &e), 0);
	cert_free(ta);
}

static void
test_ca1(void **state)
{
	struct cert	*ta = parse_file(FIXTURE("ta.cer"));
	struct cert	*ca = parse_file(FIXTURE("ca1.cer"));
	struct err	 e;

	(void)state;
	assert_int_equal(ca->purpose, CERT_CA);
	assert_true(ca->has_aki);
	assert_memory_equal(ca->aki, ta->ski, SKI_LEN);
	assert_string_equal(ca->repo, "rsync://rpki.ripe.net/repository/aca/");
	assert_string_equal(ca->mft, "rsync://rpki.ripe.net/repository/aca/"
	    "Kn3R14fXk-TIr1bhl9Tu2Sr2uhM.mft");
	assert_string_equal(ca->aia,
	    "rsync://rpki.ripe.net/ta/ripe-ncc-ta.cer");
	assert_string_equal(ca->crldp,
	    "rsync://rpki.ripe.net/repository/ripe-ncc-ta.crl");
	assert_int_equal(ca->notafter, 1593561600);
	/* Signed by the TA, not by itself. */
	assert_int_equal(cert_verify_signature(ca, ta->pub, &e), 0);
	assert_int_equal(cert_verify_signature(ca, ca->pub, &e), -1);
	assert_contains(e.msg, "ca1.cer: RFC 6487 section 7.2: signature");
	assert_int_equal(ipres_contains("ca1.cer", ta->res, ca->res, &e), 1);
	cert_free(ca);
	cert_free(ta);
}

static void
test_router(void **state)
{
	struct cert	*r = parse_file(FIXTURE("router.cer"));

	(void)state;
	assert_int_equal(r->purpose, CERT_ROUTER);
	assert_int_equal(r->res->present, IPRES_BIT(IPRES_AS));
	assert_int_equal(r->res->nas, 2);
	assert_true(asres_covers(r->res, 3000));
	assert_true(asres_covers(r->res, 9001));
	assert_true(asres_covers(r->res, 199664));
	assert_false(asres_covers(r->res, 9002));
	assert_int_equal(r->spki_len, 91);
	assert_int_equal(EVP_PKEY_get_base_id(r->pub), EVP_PKEY_EC);
	assert_null(r->repo);
	assert_null(r->signedobj);
	assert_string_equal(r->crldp, "rsync://some.tld/crl/my.crl");
	cert_free(r);
}

/* The one certificate of a signed object, through cert_take. */
static struct cert *
ee_of(const char *path, struct err *e)
{
	STACK_OF(X509)	*certs = vt_cms_certs(path);
	RpkiCertificate	*x;
	EVP_PKEY	*pub = NULL;
	struct cert	*c;

	assert_int_equal(sk_X509_num(certs), 1);
	x = vt_lean(sk_X509_value(certs, 0));
	sk_X509_pop_free(certs, X509_free);
	memset(e, 0, sizeof(*e));
	c = cert_take(path, &x, &pub, e);
	assert_null(x);
	return c;
}

static void
test_ee_of_objects(void **state)
{
	static const uint8_t pfx[16] = { 0x2a, 0x0c, 0xb6, 0x42, 0x0f, 0xc0 };
	static const char *const mfts[] = { FIXTURE("ta.mft"),
	    FIXTURE("ca1.mft") };
	struct cert	*ee, *ta;
	struct err	 e;
	size_t		 i;

	(void)state;
	ee = ee_of(FIXTURE("example-ripe.roa"), &e);
	if (ee == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	assert_int_equal(ee->purpose, CERT_EE);
	assert_non_null(ee->signedobj);
	assert_contains(ee->signedobj, ".roa");
	assert_true(ipres_covers(ee->res, AFI_IPV6, pfx, 43));
	assert_true(ipres_covers(ee->res, AFI_IPV6, pfx, 48));
	assert_false(ipres_covers(ee->res, AFI_IPV6, pfx, 42));
	cert_free(ee);

	ta = parse_file(FIXTURE("ta.cer"));
	for (i = 0; i < 2; i++) {
		ee = ee_of(mfts[i], &e);
		if (ee == NULL) {
			print_error("%s\n", e.msg);
			fail();
		}
		assert_int_equal(ee->purpose, CERT_EE);
		assert_int_equal(ee->res->inherit, IPRES_BIT(IPRES_V4) |
		    IPRES_BIT(IPRES_V6) | IPRES_BIT(IPRES_AS));
		if (i == 0) {
			assert_int_equal(cert_verify_signature(ee, ta->pub,
			    &e), 0);
			assert_int_equal(ipres_inherit(ee->res, ta->res, &e),
			    0);
			assert_int_equal(ee->res->inherit, 0);
			assert_true(asres_covers(ee->res, 65000));
		}
		cert_free(ee);
	}
	cert_free(ta);
}

static void
test_signature_alg_mismatch(void **state)
{
	struct cert	*ee;
	struct err	 e;

	(void)state;
	ee = ee_of(FIXTURE("signature-alg-mismatch.mft"), &e);
	assert_null(ee);
	assert_contains(e.msg, "signature-alg-mismatch.mft: ");
	assert_contains(e.msg, "RFC 6487 section 4.3: signatureAlgorithm");
	assert_contains(e.msg, "have absent parameters");
}

static void
test_garbage(void **state)
{
	struct cert	*c;
	struct err	 e;
	uint8_t		*der, *buf;
	size_t		 len, n;
	unsigned	 seed = 7, i;

	(void)state;
	der = vt_read(FIXTURE("ca1.cer"), &len);
	assert_null(cert_parse("x.cer", (const uint8_t *)"junk", 4, &e));
	assert_contains(e.msg, "x.cer: RFC 5280 section 4.1: certificate: "
	    "want DER");
	buf = malloc(len + 1);
	memcpy(buf, der, len);
	buf[len] = 0;
	assert_null(cert_parse("x.cer", buf, len + 1, &e));
	assert_contains(e.msg, "want nothing after it, have 1 more bytes");
	/* Every truncation fails cleanly. */
	for (n = 0; n < len; n += 7)
		assert_null(cert_parse("x.cer", der, n, &e));
	/* Flipped bytes: no crash, no leak, either verdict. */
	for (i = 0; i < 300; i++) {
		memcpy(buf, der, len);
		seed = seed * 1103515245 + 12345;
		buf[(seed >> 8) % len] ^= (uint8_t)(1 + (seed >> 20) % 255);
		c = cert_parse("x.cer", buf, len, &e);
		cert_free(c);
	}
	ERR_clear_error();
	free(buf);
	free(der);
}

/* ---- mutations ------------------------------------------------------ */

static void
test_resigned_unchanged(void **state)
{
	X509		*x = vt_load_x509(FIXTURE("ca1.cer"));
	struct cert	*c;
	struct err	 e;

	(void)state;
	c = reparse(x, &e);
	if (c == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	assert_int_equal(c->purpose, CERT_CA);
	cert_free(c);
	X509_free(x);
}

static void
test_fields(void **state)
{
	X509		*x;
	ASN1_INTEGER	*sn;
	uint8_t		 big[21];
	X509_NAME	*name;

	(void)state;
	x = vt_load_x509(FIXTURE("ca1.cer"));
	X509_set_version(x, X509_VERSION_1);
	assert_rejects(x, "RFC 6487 section 4.1: version: want 3, have 1");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	sn = ASN1_INTEGER_new();
	ASN1_INTEGER_set(sn, 0);
	X509_set_serialNumber(x, sn);
	assert_rejects(x, "RFC 6487 section 4.2: serialNumber: want "
	    "positive, have 0");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	memset(big, 0x11, sizeof(big));
	ASN1_STRING_set(sn, big, sizeof(big));
	X509_set_serialNumber(x, sn);
	assert_rejects(x, "serialNumber: want at most 20 octets, have 21");
	ASN1_INTEGER_free(sn);

	x = vt_load_x509(FIXTURE("ca1.cer"));
	name = X509_NAME_dup(X509_get_subject_name(x));
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
	    (const unsigned char *)"Example", -1, -1, 0);
	X509_set_subject_name(x, name);
	X509_NAME_free(name);
	assert_rejects(x, "RFC 6487 section 4.5: subject: want only "
	    "commonName and serialNumber, have 2.5.4.10");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	name = X509_NAME_new();
	X509_NAME_add_entry_by_txt(name, "serialNumber", MBSTRING_ASC,
	    (const unsigned char *)"42", -1, -1, 0);
	X509_set_issuer_name(x, name);
	X509_NAME_free(name);
	assert_rejects(x, "RFC 6487 section 4.4: issuer: want one "
	    "commonName, have 0");
}

static void
test_criticality(void **state)
{
	X509	*x;

	(void)state;
	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_set_crit(x, NID_basic_constraints, 0);
	assert_rejects(x, "RFC 6487 section 4.8.1: basicConstraints: want "
	    "critical, have non-critical");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_set_crit(x, NID_subject_key_identifier, 1);
	assert_rejects(x, "RFC 6487 section 4.8.2: subjectKeyIdentifier: "
	    "want non-critical, have critical");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_set_crit(x, NID_authority_key_identifier, 1);
	assert_rejects(x, "RFC 6487 section 4.8.3: authorityKeyIdentifier: "
	    "want non-critical, have critical");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_set_crit(x, NID_key_usage, 0);
	assert_rejects(x, "section 4.8.4: keyUsage: want critical");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_set_crit(x, NID_sinfo_access, 1);
	assert_rejects(x, "section 4.8.8: subjectInfoAccess: want "
	    "non-critical");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_set_crit(x, NID_certificate_policies, 0);
	assert_rejects(x, "section 4.8.9: certificatePolicies: want "
	    "critical");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_set_crit(x, NID_sbgp_ipAddrBlock, 0);
	assert_rejects(x, "section 4.8.10: sbgp-ipAddrBlock: want critical");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_set_crit(x, NID_sbgp_autonomousSysNum, 0);
	assert_rejects(x, "section 4.8.11: sbgp-autonomousSysNum: want "
	    "critical");
}

/* An extension of OID oid with DER NULL as its value. */
static void
add_unknown_ext(X509 *x, const char *oid, int crit)
{
	static const unsigned char	 null_der[] = { 0x05, 0x00 };
	ASN1_OCTET_STRING		*os = ASN1_OCTET_STRING_new();
	ASN1_OBJECT			*obj = OBJ_txt2obj(oid, 1);
	X509_EXTENSION			*ext;

	ASN1_OCTET_STRING_set(os, null_der, sizeof(null_der));
	ext = X509_EXTENSION_create_by_OBJ(NULL, obj, crit, os);
	assert_non_null(ext);
	assert_int_equal(X509_add_ext(x, ext, -1), 1);
	X509_EXTENSION_free(ext);
	ASN1_OBJECT_free(obj);
	ASN1_OCTET_STRING_free(os);
}

static void
test_unknown_extensions(void **state)
{
	X509		*x;
	struct cert	*c;
	struct err	 e;

	(void)state;
	x = vt_load_x509(FIXTURE("ca1.cer"));
	add_unknown_ext(x, "1.3.6.1.4.1.99999.1", 0);
	c = reparse(x, &e);
	assert_non_null(c);
	cert_free(c);
	X509_free(x);

	x = vt_load_x509(FIXTURE("ca1.cer"));
	add_unknown_ext(x, "1.3.6.1.4.1.99999.1", 1);
	assert_rejects(x, "RFC 5280 section 4.2: extension "
	    "1.3.6.1.4.1.99999.1: want non-critical or known, have unknown "
	    "critical");

	/* RFC 8360 resources are not the RFC 6487 profile. */
	x = vt_load_x509(FIXTURE("ca1.cer"));
	add_unknown_ext(x, "1.3.6.1.5.5.7.1.28", 1);
	assert_rejects(x, "extension 1.3.6.1.5.5.7.1.28: want non-critical "
	    "or known");
}

/*
 * Extensions outside the profile that OpenSSL 3.0's extension cache
 * decodes, undecodable or repeated while non-critical: rejected as that
 * cache rejects them, whether or not the cache is used.  (It does not
 * decode freshestCRL.)
 */
static void
test_other_rfc5280_extensions(void **state)
{
	static const char *const oids[] = {
		"2.5.29.17",		/* subjectAltName */
		"2.5.29.30",		/* nameConstraints */
		"1.3.6.1.5.5.7.1.14",	/* proxyCertInfo */
		"2.16.840.1.113730.1.1",	/* nsCertType */
	};
	X509		*x;
	X509_EXTENSION	*ext;
	X509V3_CTX	 ctx;
	struct cert	*c;
	struct err	 e;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(oids) / sizeof(oids[0]); i++) {
		x = vt_load_x509(FIXTURE("ca1.cer"));
		add_unknown_ext(x, oids[i], 0);
		assert_rejects(x, "RFC 5280 section 4.2: extensions: want "
		    "valid, have ones OpenSSL rejects");
	}

	/* A valid subjectAltName, non-critical: accepted, twice not. */
	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_conf_ext(x, NID_subject_alt_name, "URI:rsync://x/y");
	c = reparse(x, &e);
	if (c == NULL) {
		print_error("%s\n", e.msg);
		fail();
	}
	cert_free(c);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_nconf_nid(NULL, &ctx, NID_subject_alt_name,
	    "URI:rsync://x/z");
	assert_non_null(ext);
	assert_int_equal(X509_add_ext(x, ext, -1), 1);
	X509_EXTENSION_free(ext);
	assert_rejects(x, "extensions: want valid, have ones OpenSSL "
	    "rejects");
}

/* Set x's certificatePolicies to the policy OIDs (NULL ended); the
 * first gets a qualifier of OID qual if qual is not NULL. */
static void
set_policies(X509 *x, const char *qual, ...)
{
	CERTIFICATEPOLICIES	*cp = sk_POLICYINFO_new_null();
	POLICYQUALINFO		*q;
	POLICYINFO		*pi;
	const char		*oid;
	va_list			 ap;

	va_start(ap, qual);
	while ((oid = va_arg(ap, const char *)) != NULL) {
		pi = POLICYINFO_new();
		ASN1_OBJECT_free(pi->policyid);
		pi->policyid = OBJ_txt2obj(oid, 1);
		if (qual != NULL && sk_POLICYINFO_num(cp) == 0) {
			q = POLICYQUALINFO_new();
			q->pqualid = OBJ_txt2obj(qual, 1);
			if (OBJ_obj2nid(q->pqualid) == NID_id_qt_unotice)
				q->d.usernotice = USERNOTICE_new();
			else {
				q->d.cpsuri = ASN1_IA5STRING_new();
				ASN1_STRING_set(q->d.cpsuri, "https://x/cps",
				    -1);
			}
			pi->qualifiers = sk_POLICYQUALINFO_new_null();
			sk_POLICYQUALINFO_push(pi->qualifiers, q);
		}
		sk_POLICYINFO_push(cp, pi);
	}
	va_end(ap);
	vt_set_ext(x, NID_certificate_policies, cp, 1);
	CERTIFICATEPOLICIES_free(cp);
}

static void
test_policies(void **state)
{
	struct cert	*c;
	struct err	 e;
	X509		*x;

	(void)state;
	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_set_ext(x, NID_certificate_policies, NULL, 0);
	assert_rejects(x, "RFC 6487 section 4.8.9: certificatePolicies: want "
	    "present in a CA certificate, have absent");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	set_policies(x, NULL, "2.5.29.32.0", NULL);
	assert_rejects(x, "certificatePolicies: want 1.3.6.1.5.5.7.14.2, "
	    "have 2.5.29.32.0");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	set_policies(x, NULL, "1.3.6.1.5.5.7.14.2", "2.5.29.32.0", NULL);
	assert_rejects(x, "want exactly one policy, have 2");

	/* RFC 7318: a CPS pointer is fine, other qualifiers are not. */
	x = vt_load_x509(FIXTURE("ca1.cer"));
	set_policies(x, "1.3.6.1.5.5.7.2.1", "1.3.6.1.5.5.7.14.2", NULL);
	c = reparse(x, &e);
	assert_non_null(c);
	cert_free(c);
	X509_free(x);

	x = vt_load_x509(FIXTURE("ca1.cer"));
	set_policies(x, "1.3.6.1.5.5.7.2.2", "1.3.6.1.5.5.7.14.2", NULL);
	assert_rejects(x, "RFC 7318 section 2: certificatePolicies: want the "
	    "id-qt-cps qualifier, have 1.3.6.1.5.5.7.2.2");
}

static void
test_ca_extensions(void **state)
{
	X509	*x;

	(void)state;
	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_conf_ext(x, NID_ext_key_usage, "serverAuth");
	assert_rejects(x, "RFC 6487 section 4.8.5: extendedKeyUsage: want "
	    "absent in a CA certificate, have present");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_conf_ext(x, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
	assert_rejects(x, "basicConstraints: want no pathLenConstraint");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_conf_ext(x, NID_key_usage, "critical,keyCertSign,cRLSign,"
	    "digitalSignature");
	assert_rejects(x, "RFC 6487 section 4.8.4: keyUsage: want "
	    "keyCertSign,cRLSign in a CA certificate, have "
	    "digitalSignature,keyCertSign,cRLSign");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_set_ext(x, NID_crl_distribution_points, NULL, 0);
	assert_rejects(x, "section 4.8.6: cRLDistributionPoints: want "
	    "present in a CA certificate");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_conf_ext(x, NID_crl_distribution_points,
	    "URI:https://example.net/x.crl");
	assert_rejects(x, "cRLDistributionPoints: want an rsync URI, have "
	    "none");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_conf_ext(x, NID_info_access, "caIssuers;URI:rsync://h/a/../b.cer");
	assert_rejects(x, "RFC 6487 section 4.8.7: authorityInfoAccess "
	    "caIssuers: want a valid rsync URI, have "
	    "\"rsync://h/a/../b.cer\"");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_conf_ext(x, NID_info_access, "OCSP;URI:rsync://h/a/b.cer");
	assert_rejects(x, "authorityInfoAccess: want caIssuers only");
}

static void
test_ca_sia(void **state)
{
	X509	*x;

	(void)state;
	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_conf_ext(x, NID_sinfo_access, "caRepository;URI:rsync://h/repo,"
	    "1.3.6.1.5.5.7.48.10;URI:rsync://h/repo/a.mft");
	assert_rejects(x, "RFC 6487 section 4.8.8.1: subjectInfoAccess "
	    "caRepository: want a directory URI ending in '/', have "
	    "\"rsync://h/repo\"");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_conf_ext(x, NID_sinfo_access, "caRepository;URI:rsync://h/repo/");
	assert_rejects(x, "subjectInfoAccess: want an rsync rpkiManifest URI, "
	    "have none");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_conf_ext(x, NID_sinfo_access, "caRepository;URI:rsync://h/repo/,"
	    "1.3.6.1.5.5.7.48.10;URI:rsync://h/repo/a.mft,"
	    "1.3.6.1.5.5.7.48.13;URI:http://h/notification.xml");
	assert_rejects(x, "RFC 8182 section 3.2: subjectInfoAccess "
	    "rpkiNotify: want an https URI");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_set_ext(x, NID_sinfo_access, NULL, 0);
	assert_rejects(x, "subjectInfoAccess: want present in a CA "
	    "certificate, have absent");
}

static void
test_keys(void **state)
{
	EVP_PKEY	*k;
	X509		*x;

	(void)state;
	x = vt_load_x509(FIXTURE("ca1.cer"));
	k = vt_rsa_key(1024);
	X509_set_pubkey(x, k);
	EVP_PKEY_free(k);
	vt_fix_ski(x);
	assert_rejects(x, "RFC 7935 section 3: subjectPublicKeyInfo: want a "
	    "2048-bit RSA modulus, have 1024 bits");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	k = EVP_EC_gen("P-256");
	X509_set_pubkey(x, k);
	EVP_PKEY_free(k);
	vt_fix_ski(x);
	assert_rejects(x, "RFC 7935 section 3.1: subjectPublicKeyInfo: want "
	    "rsaEncryption, have 1.2.840.10045.2.1");

	x = vt_load_x509(FIXTURE("ca1.cer"));
	k = vt_rsa_key(2048);
	X509_set_pubkey(x, k);
	EVP_PKEY_free(k);
	assert_rejects(x, "RFC 6487 section 4.8.2: subjectKeyIdentifier: "
	    "want the SHA-1 of the subject public key");
}

static void
test_resources(void **state)
{
	unsigned char	 half1[4] = { 10, 0, 0, 0 }, half2[4] = { 10, 128 };
	IPAddrBlocks	*blocks;
	X509		*x;
	ASIdentifiers	*asid;

	(void)state;
	x = vt_load_x509(FIXTURE("ca1.cer"));
	vt_set_ext(x, NID_sbgp_ipAddrBlock, NULL, 0);
	vt_set_ext(x, NID_sbgp_autonomousSysNum, NULL, 0);
	assert_rejects(x, "RFC 6487 section 4.8.10: resources: want "
	    "sbgp-ipAddrBlock or sbgp-autonomousSysNum, have neither");

	x = vt_load_x509(FIXTURE("ta.cer"));
	asid = ASIdentifiers_new();
	X509v3_asid_add_inherit(asid, V3_ASID_ASNUM);
	vt_set_ext(x, NID_sbgp_autonomousSysNum, asid, 1);
	ASIdentifiers_free(asid);
	assert_rejects(x, "RFC 8630 section 2.3: resources: want no inherit "
	    "in a TA certificate");

	/* Two adjacent halves of 10/8 not merged (OpenSSL's text form
	 * would canonize them). */
	x = vt_load_x509(FIXTURE("ca1.cer"));
	blocks = sk_IPAddressFamily_new_null();
	X509v3_addr_add_prefix(blocks, IANA_AFI_IPV4, NULL, half1, 9);
	X509v3_addr_add_prefix(blocks, IANA_AFI_IPV4, NULL, half2, 9);
	vt_set_ext(x, NID_sbgp_ipAddrBlock, blocks, 1);
	sk_IPAddressFamily_pop_free(blocks, IPAddressFamily_free);
	assert_rejects(x, "RFC 3779 section 2.2.3.6: sbgp-ipAddrBlock: want "
	    "canonical form");
}

static void
test_ta_profile(void **state)
{
	X509	*x;

	(void)state;
	x = vt_load_x509(FIXTURE("ta.cer"));
	vt_conf_ext(x, NID_crl_distribution_points, "URI:rsync://h/a.crl");
	assert_rejects(x, "RFC 6487 section 4.8.6: cRLDistributionPoints: "
	    "want absent in a TA certificate, have present");

	x = vt_load_x509(FIXTURE("ta.cer"));
	vt_conf_ext(x, NID_info_access, "caIssuers;URI:rsync://h/a.cer");
	assert_rejects(x, "authorityInfoAccess: want absent in a TA "
	    "certificate");
}

static void
test_ee_profile(void **state)
{
	STACK_OF(X509)	*certs;
	X509		*ee;

	(void)state;
	certs = vt_cms_certs(FIXTURE("example-ripe.roa"));
	ee = X509_dup(sk_X509_value(certs, 0));
	vt_conf_ext(ee, NID_basic_constraints, "critical,CA:FALSE");
	assert_rejects(ee, "RFC 6487 section 4.8.1: basicConstraints: want "
	    "cA TRUE (or no extension), have cA FALSE");

	ee = X509_dup(sk_X509_value(certs, 0));
	vt_conf_ext(ee, NID_sinfo_access, "signedObject;URI:rsync://h/a.roa,"
	    "caRepository;URI:rsync://h/");
	assert_rejects(ee, "RFC 6487 section 4.8.8.2: subjectInfoAccess: "
	    "want signedObject only in an EE certificate, have "
	    "1.3.6.1.5.5.7.48.5");

	ee = X509_dup(sk_X509_value(certs, 0));
	vt_conf_ext(ee, NID_key_usage, "critical,keyCertSign");
	assert_rejects(ee, "keyUsage: want digitalSignature in an EE "
	    "certificate, have keyCertSign");

	ee = X509_dup(sk_X509_value(certs, 0));
	vt_conf_ext(ee, NID_ext_key_usage, "clientAuth");
	assert_rejects(ee, "RFC 6487 section 4.8.5: extendedKeyUsage: want "
	    "absent, or id-kp-bgpsec-router");

	ee = X509_dup(sk_X509_value(certs, 0));
	vt_set_ext(ee, NID_authority_key_identifier, NULL, 0);
	assert_rejects(ee, "authorityKeyIdentifier: want present in an EE "
	    "certificate, have absent");
	sk_X509_pop_free(certs, X509_free);
}

static void
test_router_profile(void **state)
{
	EVP_PKEY	*k;
	X509		*x;

	(void)state;
	x = vt_load_x509(FIXTURE("router.cer"));
	vt_conf_ext(x, NID_sbgp_ipAddrBlock, "critical,IPv4:10.0.0.0/8");
	assert_rejects(x, "RFC 8209 section 3.1.3.4: sbgp-ipAddrBlock: want "
	    "absent in a router certificate, have present");

	x = vt_load_x509(FIXTURE("router.cer"));
	vt_conf_ext(x, NID_sinfo_access, "signedObject;URI:rsync://h/a.roa");
	assert_rejects(x, "RFC 8209 section 3.1.3.3: subjectInfoAccess: want "
	    "absent in a router certificate");

	x = vt_load_x509(FIXTURE("router.cer"));
	vt_set_ext(x, NID_sbgp_autonomousSysNum, NULL, 0);
	assert_rejects(x, "RFC 8209 section 3.1.3.5: sbgp-autonomousSysNum: "
	    "want present in a router certificate");

	x = vt_load_x509(FIXTURE("router.cer"));
	vt_conf_ext(x, NID_sbgp_autonomousSysNum, "critical,AS:inherit");
	assert_rejects(x, "RFC 8209 section 3.1.3.5: sbgp-autonomousSysNum: "
	    "want AS numbers, have inherit");

	x = vt_load_x509(FIXTURE("router.cer"));
	k = EVP_EC_gen("P-384");
	X509_set_pubkey(x, k);
	EVP_PKEY_free(k);
	vt_fix_ski(x);
	assert_rejects(x, "RFC 8208 section 3.1: subjectPublicKeyInfo: want "
	    "curve P-256, have secp384r1");

	x = vt_load_x509(FIXTURE("router.cer"));
	k = vt_rsa_key(2048);
	X509_set_pubkey(x, k);
	EVP_PKEY_free(k);
	vt_fix_ski(x);
	assert_rejects(x, "want id-ecPublicKey");
}

static int
setup(void **state)
{
	(void)state;
	signer = vt_rsa_key(2048);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	EVP_PKEY_free(signer);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ta),
		cmocka_unit_test(test_ca1),
		cmocka_unit_test(test_router),
		cmocka_unit_test(test_ee_of_objects),
		cmocka_unit_test(test_signature_alg_mismatch),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_resigned_unchanged),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_criticality),
		cmocka_unit_test(test_unknown_extensions),
		cmocka_unit_test(test_other_rfc5280_extensions),
		cmocka_unit_test(test_policies),
		cmocka_unit_test(test_ca_extensions),
		cmocka_unit_test(test_ca_sia),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_resources),
		cmocka_unit_test(test_ta_profile),
		cmocka_unit_test(test_ee_profile),
		cmocka_unit_test(test_router_profile),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
