/*
 * policy.c - the council's disclosure policy configuration: which legal
 * bases it accepts and whether a vital-interest share needs a second
 * approver (council_policy_get/set). Stored in the setting 'policy' (a
 * council.v1.Policy), signed by the secretariat (setting 'policy_sig').
 * The decision itself is decide.c.
 */
#include <string.h>

#include <protobuf-c/protobuf-c.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/consent.pb-c.h"
#include "council_int.h"
#include "attest.h"
#include "log.h"
#include "crypto.h"
#include "decide.h"
#include "decide.h"
#include "session.h"
#include "sql.h"
#include "store.h"
#include "event.h"
#include "policy.h"

int council__policy_parse(council *c, const char *op, council__policy_config *cfg,
                          const uint8_t *buf, size_t len)
{
    Council__V1__Policy *m;
    int rc = COUNCIL_OK;

    m = buf != NULL && len > 0 && len <= 4096
            ? council__v1__policy__unpack(council__pb_allocator(), len, buf)
            : NULL;
    if (m == NULL || m->base.n_unknown_fields != 0) {
        rc = council__fail(c, COUNCIL_EFORMAT, "%s: the stored policy is damaged", op);
    } else {
        for (int b = 1; b < COUNCIL__BASIS_LIMIT; b++)
            cfg->accept[b] = false;
        for (size_t i = 0; i < m->n_accepted_bases; i++) {
            int b = council__basis_parse(m->accepted_bases[i]);
            if (b > 0 && b < COUNCIL__BASIS_LIMIT)
                cfg->accept[b] = true;
        }
        cfg->accept[COUNCIL__BASIS_CONSENT] = true;
        cfg->vital_second_approver = m->vital_second_approver;
        cfg->cross_body_use = m->has_cross_body_use && m->cross_body_use;
    }
    if (m != NULL)
        council__v1__policy__free_unpacked(m, council__pb_allocator());
    return rc;
}

/* The stored policy is signed by the secretariat (kind "policy", over the
 * stored bytes; setting 'policy_sig'): a policy someone holding the
 * database key wrote into the store is refused (ETAMPER, logged), and every
 * decision with it, until the secretariat sets the policy again. */
static int policy_sign(council *c, const char *op, const uint8_t *buf, size_t len)
{
    uint8_t sig[64], signer[COUNCIL_ID_BYTES];
    int rc = council__attest_sign(c, "policy", buf, len, signer, sig);

    if (rc == COUNCIL_OK && council__setting_put(c, "policy_sig", sig, sizeof sig, true) != COUNCIL_OK)
        rc = council__db_err(c, op);
    return rc;
}

int council__policy_upgrade(council *c)
{
    uint8_t *sig = NULL, *v = NULL;
    size_t sig_len = 0, len = 0;
    int rc = council__setting_get(c, "policy_sig", &sig, &sig_len);

    if (rc == COUNCIL_OK && sig == NULL)
        rc = council__setting_get(c, "policy", &v, &len);
    if (rc != COUNCIL_OK)
        rc = rc == COUNCIL_ENOMEM ? council__fail(c, rc, "open: out of memory")
                                  : council__db_err(c, "open");
    else if (v != NULL)
        rc = policy_sign(c, "open", v, len);
    council__free(sig);
    council__free(v);
    return rc;
}

int council__policy_load(council *c, const char *op, council__policy_config *cfg)
{
    static const uint8_t council_signer[COUNCIL_ID_BYTES];
    uint8_t *v = NULL, *sig = NULL;
    size_t n = 0, sig_len = 0;
    int rc;

    council__policy_defaults(cfg);
    if ((rc = council__setting_get(c, "policy", &v, &n)) == COUNCIL_OK && v != NULL)
        rc = council__setting_get(c, "policy_sig", &sig, &sig_len);
    if (rc != COUNCIL_OK) {
        council__free(v);
        return rc == COUNCIL_ENOMEM ? council__fail(c, rc, "%s: out of memory", op)
                                    : council__db_err(c, op);
    }
    if (v != NULL) {
        if (council__attest_check(c, "policy", v, n, council_signer, sizeof council_signer, sig,
                                  sig_len) != COUNCIL_OK) {
            council__free(v);
            council__free(sig);
            council__policy_defaults(cfg);
            (void)council__tamper(c, NULL, NULL, NULL, "forged_policy");
            return council__fail(c, COUNCIL_ETAMPER, "%s: the stored disclosure policy is not the "
                                 "one the secretariat set (it was changed outside the library): "
                                 "set it again", op);
        }
        rc = council__policy_parse(c, op, cfg, v, n);
    }
    council__free(v);
    council__free(sig);
    return rc;
}

int council_policy_set(council *c, const council_policy_options *o)
{
    static const char op[] = "policy_set";
    Council__V1__Policy m = COUNCIL__V1__POLICY__INIT;
    char *bases[COUNCIL__BASIS_LIMIT];
    bool seen[COUNCIL__BASIS_LIMIT] = { false };
    uint8_t buf[1024];
    size_t n = 0, len;
    int rc, cross;

    if ((rc = council__secretariat_only(c, op)) != COUNCIL_OK)
        return rc;
    if (o == NULL || (o->version != COUNCIL_POLICY_OPTIONS_VERSION &&
                      o->version != COUNCIL_POLICY_OPTIONS_VERSION_1))
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    /* Version 1 callers' structs end before cross_body_use: never read it. */
    cross = o->version >= 2 ? o->cross_body_use : 0;
    if ((cross != 0 && cross != 1) ||
        (o->n_accepted_bases > 0 && o->accepted_bases == NULL) ||
        o->n_accepted_bases >= COUNCIL__BASIS_LIMIT * 2 ||
        (o->vital_second_approver != 0 && o->vital_second_approver != 1))
        return council__fail(c, COUNCIL_EINVAL, "%s: bad options", op);
    for (size_t i = 0; i < o->n_accepted_bases; i++) {
        int b = council__basis_parse(o->accepted_bases[i]);
        if (b <= 0 || b >= COUNCIL__BASIS_LIMIT)
            return council__fail(c, COUNCIL_EINVAL, "%s: unknown basis", op);
        if (!seen[b]) {
            seen[b] = true;
            bases[n++] = (char *)(uintptr_t)council__basis_code(b);
        }
    }
    if (!seen[COUNCIL__BASIS_CONSENT])
        return council__fail(c, COUNCIL_EINVAL, "%s: consent is always accepted", op);
    m.accepted_bases = bases;
    m.n_accepted_bases = n;
    m.vital_second_approver = o->vital_second_approver == 1;
    m.has_cross_body_use = cross == 1; /* absent when off: v1 policies' bytes unchanged */
    m.cross_body_use = cross == 1;
    len = council__v1__policy__pack(&m, buf);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if (council__setting_put(c, "policy", buf, len, true) != COUNCIL_OK)
        rc = council__db_err(c, op);
    if (rc == COUNCIL_OK)
        rc = policy_sign(c, op, buf, len);
    if (rc == COUNCIL_OK) {
        const council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_POLICY_CHANGED,
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
            .reason = "policy_changed",
        };
        rc = council__audit_append(c, &ev);
    }
    return council__finish(c, rc);
}

int council_policy_get(council *c, council_buf *out)
{
    static const char op[] = "policy_get";
    Council__V1__Policy m = COUNCIL__V1__POLICY__INIT;
    council__policy_config cfg;
    char *bases[COUNCIL__BASIS_LIMIT];
    size_t n = 0;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__policy_load(c, op, &cfg)) != COUNCIL_OK)
        return rc;
    for (int b = 1; b < COUNCIL__BASIS_LIMIT; b++)
        if (cfg.accept[b])
            bases[n++] = (char *)(uintptr_t)council__basis_code(b);
    m.accepted_bases = bases;
    m.n_accepted_bases = n;
    m.vital_second_approver = cfg.vital_second_approver;
    m.has_cross_body_use = cfg.cross_body_use;
    m.cross_body_use = cfg.cross_body_use;
    return council__pack_out(c, op, out, &m.base);
}
