/*
 * attest.c - signed rows (domain): the signature a session makes over a row
 * that decides access (the log key's in the secretariat's sessions, the
 * member's signing key in a staff session) and its check against the key
 * directory; the tamper finding put on the record when a check fails; the
 * proofs that tie a case id to its owner.
 *
 * Tables: none.
 */
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "crypto.h"
#include "keydir.h"
#include "attest.h"
#include "session.h"
#include "event.h"

/* ------------------------------------------------------ signed rows */

/* What a session signs about a row that decides access: Ed25519 over
 *     "council/row/v1\0" || council_id || kind || "\0" || BLAKE2b-256(msg)
 * with the log key (the secretariat: signer all zeros) or the member's
 * signing key (a staff session: signer = its member). */
static size_t row_msg(uint8_t *m, const council *c, const char *kind, const uint8_t *msg,
                      size_t len)
{
    static const char label[] = "council/row/v1";
    uint8_t *p = council__put_bytes(m, label, sizeof label);

    p = council__put_bytes(p, c->council_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, kind, strlen(kind) + 1);
    crypto_generichash(p, 32, msg, len, NULL, 0);
    return (size_t)(p + 32 - m);
}

#define ROW_MSG_MAX (sizeof "council/row/v1" + COUNCIL_ID_BYTES + COUNCIL__AUDIT_CODE_MAX + 1 + 32)

int council__attest_sign(council *c, const char *kind, const uint8_t *msg, size_t len,
                         uint8_t signer[COUNCIL_ID_BYTES], uint8_t sig[64])
{
    uint8_t m[ROW_MSG_MAX];
    size_t n;
    int rc;

    if (strlen(kind) > COUNCIL__AUDIT_CODE_MAX)
        return council__fail(c, COUNCIL_ERROR, "keys: bad row kind");
    n = row_msg(m, c, kind, msg, len);
    if (council__is_secretariat(c)) { /* root, or the secretariat's staff */
        memset(signer, 0, COUNCIL_ID_BYTES);
        return council__log_sign(c, sig, m, n);
    }
    if (c->actor_sign_sk.p == NULL || c->actor_sign_sk.len != crypto_sign_SECRETKEYBYTES)
        return council__fail(c, COUNCIL_EDENIED, "keys: this session holds no signing key (open it "
                             "with the member's keyfile, or give the member's signing seed)");
    memcpy(signer, c->actor_member, COUNCIL_ID_BYTES);
    council__secret_read(&c->actor_sign_sk);
    rc = crypto_sign_detached(sig, NULL, m, n, c->actor_sign_sk.p);
    council__secret_lock(&c->actor_sign_sk);
    return rc == 0 ? COUNCIL_OK : council__fail(c, COUNCIL_ERROR, "keys: signing failed");
}

int council__attest_check(council *c, const char *kind, const uint8_t *msg, size_t len,
                          const uint8_t *signer, size_t signer_len, const uint8_t *sig,
                          size_t sig_len)
{
    uint8_t m[ROW_MSG_MAX], pk[32];
    size_t n;
    int rc;

    if (signer == NULL || signer_len != COUNCIL_ID_BYTES || sig == NULL || sig_len != 64 ||
        strlen(kind) > COUNCIL__AUDIT_CODE_MAX)
        return COUNCIL_ETAMPER;
    n = row_msg(m, c, kind, msg, len);
    if (sodium_is_zero(signer, COUNCIL_ID_BYTES))
        return council__verify_cached(c, sig, m, n, c->log_pk) == 0 ? COUNCIL_OK : COUNCIL_ETAMPER;
    if ((rc = council__member_sign_pk(c, signer, pk)) != COUNCIL_OK)
        return rc;
    return council__verify_cached(c, sig, m, n, pk) == 0 ? COUNCIL_OK : COUNCIL_ETAMPER;
}

int council__tamper(council *c, const uint8_t *case_id, const char *scope,
                    const uint8_t *member, const char *reason)
{
    uint8_t ref[32];
    const char *scopes[1] = { scope };
    council__event ev = {
        .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_TAMPER_DETECTED,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_SYSTEM,
        .subject_member = member,
        .case_ref = case_id != NULL ? ref : NULL,
        .scopes = scopes,
        .n_scopes = scope != NULL ? 1 : 0,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
        .error = COUNCIL_ETAMPER,
        .reason = reason,
    };
    int rc = case_id != NULL ? council__case_ref(c, ref, case_id) : COUNCIL_OK;

    if (rc == COUNCIL_OK)
        rc = council__audit_append(c, &ev);
    /* Inside the caller's batch: kept aside like a refusal, and appended on
     * its own if the caller rolls the batch back. */
    if (rc == COUNCIL_OK)
        council__hold_event(c, &ev);
    if (rc == COUNCIL_OK && !sqlite3_get_autocommit(c->db) && c->n_tamper < COUNCIL__TAMPER_MAX) {
        struct council__tamper_note *t = &c->tamper[c->n_tamper++];
        memset(t, 0, sizeof *t);
        if ((t->has_ref = case_id != NULL))
            memcpy(t->ref, ref, 32);
        if ((t->has_member = member != NULL))
            memcpy(t->member, member, COUNCIL_ID_BYTES);
        if (scope != NULL && strlen(scope) < sizeof t->scope)
            strcpy(t->scope, scope);
        t->reason = reason;
    }
    return rc;
}

/* ------------------------------------------------------ case owners */

/* A case id commits to its owner and the body it was collected under: the
 * first 16 bytes of
 *     BLAKE2b-256("council/case-id/v2\0" || council_id || owner || nonce ||
 *                 u32 body)
 * with the UUID version 8 and variant bits set, so whoever holds the
 * database key cannot give an existing case another owner (a second
 * preimage of 122 bits), nor another body (which decides cross-body use).
 * Cases made before the body was bound have ids of
 *     BLAKE2b-256("council/case-id/v1\0" || council_id || owner || nonce);
 * cases from before the nonce carry, instead of it, the council's signature
 * over "council/case-owner/v1\0" || council_id || case_id || owner, made once
 * by the secretariat. Neither older form binds the body. */
static void case_id_hash(const council *c, uint8_t id[COUNCIL_ID_BYTES],
                         const uint8_t owner[COUNCIL_ID_BYTES],
                         const uint8_t nonce[COUNCIL_ID_BYTES], const int32_t *body)
{
    static const char v1[] = "council/case-id/v1", v2[] = "council/case-id/v2";
    crypto_generichash_state h;
    uint8_t out[32], b[4];

    crypto_generichash_init(&h, NULL, 0, sizeof out);
    if (body != NULL)
        crypto_generichash_update(&h, (const uint8_t *)v2, sizeof v2);
    else
        crypto_generichash_update(&h, (const uint8_t *)v1, sizeof v1);
    crypto_generichash_update(&h, c->council_id, COUNCIL_ID_BYTES);
    crypto_generichash_update(&h, owner, COUNCIL_ID_BYTES);
    crypto_generichash_update(&h, nonce, COUNCIL_ID_BYTES);
    if (body != NULL) {
        (void)council__put_u32(b, (uint32_t)*body);
        crypto_generichash_update(&h, b, sizeof b);
    }
    crypto_generichash_final(&h, out, sizeof out);
    memcpy(id, out, COUNCIL_ID_BYTES);
    id[6] = (uint8_t)((id[6] & 0x0f) | 0x80);
    id[8] = (uint8_t)((id[8] & 0x3f) | 0x80);
}

typedef struct below {
    uint64_t size;
    council__log_scan_fn fn;
    void *ctx;
} below;

static int below_one(void *ctx, const Council__V1__AuditEvent *e, const uint8_t *body, size_t len,
                     const uint8_t leaf[COUNCIL_HASH_BYTES])
{
    const below *b = ctx;

    return e->seq < b->size ? b->fn(b->ctx, e, body, len, leaf) : COUNCIL_OK;
}

int council__log_walk_checked(council *c, const char *op, uint64_t size, council__log_scan_fn fn,
                              void *ctx)
{
    below b = { size, fn, ctx };
    const char *why = NULL;
    int rc = council__log_scan(c, op, below_one, &b, &why);

    if (rc == COUNCIL_ETAMPER && why != NULL) {
        char msg[COUNCIL__ERRMSG_MAX];

        /* An event the insider edited or removed is a finding on the
         * record, never a silent omission; the message stays the scan's. */
        snprintf(msg, sizeof msg, "%s", c->errmsg);
        (void)council__tamper(c, NULL, NULL, NULL, why);
        (void)council__fail(c, COUNCIL_ETAMPER, "%s", msg);
    }
    return rc;
}

void council__case_id_derive(const council *c, uint8_t id[COUNCIL_ID_BYTES],
                             const uint8_t owner[COUNCIL_ID_BYTES],
                             const uint8_t nonce[COUNCIL_ID_BYTES], int32_t body)
{
    case_id_hash(c, id, owner, nonce, &body);
}

static size_t owner_msg(uint8_t *m, const council *c, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const uint8_t owner[COUNCIL_ID_BYTES])
{
    static const char label[] = "council/case-owner/v1";
    uint8_t *p = council__put_bytes(m, label, sizeof label);

    p = council__put_bytes(p, c->council_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, case_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, owner, COUNCIL_ID_BYTES);
    return (size_t)(p - m);
}

bool council__case_owner_ok(const council *c, const uint8_t case_id[COUNCIL_ID_BYTES],
                            const uint8_t owner[COUNCIL_ID_BYTES], int32_t body,
                            const uint8_t *proof, size_t len)
{
    uint8_t want[COUNCIL_ID_BYTES], m[96];

    if (proof != NULL && len == COUNCIL_ID_BYTES) {
        case_id_hash(c, want, owner, proof, &body);
        if (sodium_memcmp(want, case_id, COUNCIL_ID_BYTES) == 0)
            return true;
        case_id_hash(c, want, owner, proof, NULL);
        return sodium_memcmp(want, case_id, COUNCIL_ID_BYTES) == 0;
    }
    return proof != NULL && len == 64 &&
           crypto_sign_verify_detached(proof, m, owner_msg(m, c, case_id, owner), c->log_pk) == 0;
}

int council__case_owner_sign(council *c, uint8_t sig[64], const uint8_t case_id[COUNCIL_ID_BYTES],
                             const uint8_t owner[COUNCIL_ID_BYTES])
{
    uint8_t m[96];

    return council__log_sign(c, sig, m, owner_msg(m, c, case_id, owner));
}
