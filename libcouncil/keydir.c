/*
 * keydir.c - the signed key directory (domain): the secretariat signs, with
 * the log key, the coordinating body's wrap key and each member's box and
 * signing keys; every session checks a key's signature (against its log
 * key, pinned in the member's keyfile) before it wraps a data key or seals
 * a secret to it. Also the signature primitives the signed rows share: the
 * log key's signature and the remembered Ed25519 verification.
 *
 * Tables: member_key_sig. Settings (through store.c): coordinator_pk,
 * coordinator_sig.
 */
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council_int.h"
#include "sql.h"
#include "crypto.h"
#include "keydir.h"
#include "store.h"

/* ------------------------------------------------------- key directory */

/* ------------------------------------------------------- key directory */

static size_t coord_msg(uint8_t *m, const council *c, const uint8_t pk[32])
{
    static const char label[] = "council/coordinator-key/v1";
    uint8_t *p = council__put_bytes(m, label, sizeof label);

    p = council__put_bytes(p, c->council_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, pk, 32);
    return (size_t)(p - m);
}

/* What the key directory signs: label (NUL included) || council_id
 * || member id || key. */
static size_t dir_msg(uint8_t *m, const council *c, const char *label, size_t label_len,
                      const uint8_t member[COUNCIL_ID_BYTES], const uint8_t pk[32])
{
    uint8_t *p = council__put_bytes(m, label, label_len);

    p = council__put_bytes(p, c->council_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, member, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, pk, 32);
    return (size_t)(p - m);
}

static size_t member_msg(uint8_t *m, const council *c, const uint8_t member[COUNCIL_ID_BYTES],
                         const uint8_t pk[32])
{
    static const char label[] = "council/member-key/v1";

    return dir_msg(m, c, label, sizeof label, member, pk);
}

int council__log_sign(council *c, uint8_t sig[64], const uint8_t *m, size_t n)
{
    int rc;

    if (c->log_sk.p == NULL || c->log_sk.len != crypto_sign_SECRETKEYBYTES)
        return council__fail(c, COUNCIL_EDENIED, "keys: only the secretariat signs keys");
    council__secret_read(&c->log_sk);
    rc = crypto_sign_detached(sig, NULL, m, n, c->log_sk.p);
    council__secret_lock(&c->log_sk);
    return rc == 0 ? COUNCIL_OK : council__fail(c, COUNCIL_ERROR, "keys: signing failed");
}

static size_t sign_key_msg(uint8_t *m, const council *c, const uint8_t member[COUNCIL_ID_BYTES],
                           const uint8_t pk[32])
{
    static const char label[] = "council/member-sign-key/v1";

    return dir_msg(m, c, label, sizeof label, member, pk);
}

int council__member_key_sign(council *c, const uint8_t member[COUNCIL_ID_BYTES],
                             const uint8_t box_pk[32], const uint8_t *sign_pk)
{
    uint8_t m[112], sig[64], ssig[64];
    sqlite3_stmt *st = NULL;
    int rc = council__log_sign(c, sig, m, member_msg(m, c, member, box_pk));

    council__member_key_cache_drop(c); /* the member's row is replaced */
    if (rc == COUNCIL_OK && sign_pk != NULL)
        rc = council__log_sign(c, ssig, m, sign_key_msg(m, c, member, sign_pk));
    if (rc == COUNCIL_OK &&
        (council__prepare(c, "INSERT OR REPLACE INTO member_key_sig (member_id, box_pk, sig, "
                                   "sign_pk, sign_sig) VALUES (?1, ?2, ?3, ?4, ?5);", &st) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, box_pk, 32, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 3, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
         (sign_pk != NULL ? sqlite3_bind_blob(st, 4, sign_pk, 32, SQLITE_STATIC)
                          : sqlite3_bind_null(st, 4)) != SQLITE_OK ||
         (sign_pk != NULL ? sqlite3_bind_blob(st, 5, ssig, sizeof ssig, SQLITE_STATIC)
                          : sqlite3_bind_null(st, 5)) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__fail(c, COUNCIL_EIO, "keys: cannot store a key signature");
    council__finalize(c, st);
    return rc;
}

/* Ed25519 verification, remembered: a session checks the same rows again
 * and again (its own standing at every call, a case's owner and shares at
 * every read), and a row that changes changes the bytes remembered. */
int council__verify_cached(council *c, const uint8_t sig[64], const uint8_t *m, size_t n,
                         const uint8_t pk[32])
{
    crypto_generichash_state h;
    uint8_t d[32];
    size_t i;

    crypto_generichash_init(&h, NULL, 0, sizeof d);
    crypto_generichash_update(&h, pk, 32);
    crypto_generichash_update(&h, sig, 64);
    crypto_generichash_update(&h, m, n);
    crypto_generichash_final(&h, d, sizeof d);
    /* Direct-mapped by the digest (issue 17: 1,024 slots, so the rows of a
     * batch of new cases do not push out the ones every case checks). */
    i = ((size_t)d[0] | (size_t)d[1] << 8) % COUNCIL__SCACHE;
    if (sodium_memcmp(c->scache[i], d, sizeof d) == 0)
        return 0;
    if (crypto_sign_verify_detached(sig, m, n, pk) != 0)
        return -1;
    memcpy(c->scache[i], d, sizeof d);
    c->scache_next++;
    return 0;
}

/* Issue 17, wraps: the directory's own signatures (a member's box key, its
 * signing key) in a cache of their own, so that creating or sharing a case
 * checks each recipient's key once per session whatever else is verified.
 * The digest covers the log key, the label, the member, the key and the
 * signature: a row changed by anyone is a miss, and is verified. */
static int dir_verify_cached(council *c, const uint8_t sig[64], const uint8_t *m, size_t n)
{
    uint8_t d[32];
    size_t i;
    crypto_generichash_state h;

    crypto_generichash_init(&h, NULL, 0, sizeof d);
    crypto_generichash_update(&h, c->log_pk, 32);
    crypto_generichash_update(&h, sig, 64);
    crypto_generichash_update(&h, m, n);
    crypto_generichash_final(&h, d, sizeof d);
    i = ((size_t)d[0] | (size_t)d[1] << 8) % COUNCIL__KCACHE;
    if (sodium_memcmp(c->kcache[i], d, sizeof d) == 0)
        return 0;
    if (crypto_sign_verify_detached(sig, m, n, c->log_pk) != 0)
        return -1;
    memcpy(c->kcache[i], d, sizeof d);
    return 0;
}

void council__member_key_cache_drop(council *c)
{
    sodium_memzero(c->kcache, sizeof c->kcache);
}

/* The member's signing key as the key directory vouches for it. */
int council__member_sign_pk(council *c, const uint8_t member[COUNCIL_ID_BYTES], uint8_t pk[32])
{
    uint8_t m[112];
    sqlite3_stmt *st = NULL;
    bool ok = false;
    int src;

    if (council__prepare(c, "SELECT sign_pk, sign_sig FROM member_key_sig WHERE member_id = "
                                  "?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "keys: database error");
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32 && sqlite3_column_bytes(st, 1) == 64) {
        memcpy(pk, sqlite3_column_blob(st, 0), 32);
        ok = dir_verify_cached(c, sqlite3_column_blob(st, 1), m, sign_key_msg(m, c, member, pk)) == 0;
    }
    council__finalize(c, st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return council__fail(c, COUNCIL_EIO, "keys: database error");
    return ok ? COUNCIL_OK : COUNCIL_ETAMPER;
}

int council__member_key_check(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                              const uint8_t box_pk[32])
{
    uint8_t m[96];
    sqlite3_stmt *st = NULL;
    bool ok = false;
    int src;

    if (council__prepare(c, "SELECT box_pk, sig FROM member_key_sig WHERE member_id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: database error", op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32 && sqlite3_column_bytes(st, 1) == 64)
        ok = sodium_memcmp(sqlite3_column_blob(st, 0), box_pk, 32) == 0 &&
             dir_verify_cached(c, sqlite3_column_blob(st, 1), m, member_msg(m, c, member, box_pk)) == 0;
    council__finalize(c, st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return council__fail(c, COUNCIL_EIO, "%s: database error", op);
    if (!ok) {
        char idt[37];
        council__uuid_text(idt, member);
        return council__fail(c, COUNCIL_EAUTH, "%s: the key of member %s is not signed by the "
                             "council (the registry was altered outside the library?)", op, idt);
    }
    return COUNCIL_OK;
}

/* The coordinating body's key and its signature by the log key. */
int council__coord_key_publish(council *c)
{
    uint8_t m[96], sig[64];
    int rc = council__log_sign(c, sig, m, coord_msg(m, c, c->coord_pk));

    if (rc == COUNCIL_OK && council__setting_put(c, "coordinator_pk", c->coord_pk, 32, true) != COUNCIL_OK)
        rc = council__fail(c, COUNCIL_EIO, "keys: cannot store %s", "coordinator_pk");
    if (rc == COUNCIL_OK && council__setting_put(c, "coordinator_sig", sig, sizeof sig, true) != COUNCIL_OK)
        rc = council__fail(c, COUNCIL_EIO, "keys: cannot store %s", "coordinator_sig");
    return rc;
}

int council__coord_key_load(council *c)
{
    uint8_t pk[32], sig[64];
    bool has_pk = false, has_sig = false;
    int rc;

    /* Only a key the council signed: a member holding the database key
     * could otherwise put its own key in place of the coordinating body's
     * and receive every new data key. The handle takes the key only when
     * both values are whole. */
    if ((rc = council__setting_fixed(c, "coordinator_pk", pk, sizeof pk, &has_pk)) != COUNCIL_OK ||
        (rc = council__setting_fixed(c, "coordinator_sig", sig, sizeof sig, &has_sig)) != COUNCIL_OK)
        return council__fail(c, rc, rc == COUNCIL_ENOMEM ? "open: out of memory"
                                                         : "open: database error");
    if (has_pk && has_sig) {
        uint8_t m[96];
        memcpy(c->coord_pk, pk, sizeof pk);
        c->coord_valid = crypto_sign_verify_detached(sig, m, coord_msg(m, c, c->coord_pk),
                                                     c->log_pk) == 0;
    }
    return COUNCIL_OK;
}

int council__member_key_upgrade(council *c, const uint8_t member[COUNCIL_ID_BYTES],
                                const uint8_t box_pk[32], const uint8_t sign_pk[32])
{
    sqlite3_stmt *st = NULL;
    bool unsigned_row = false;
    int rc;

    if (council__prepare(c, "SELECT 1 FROM member_key_sig WHERE member_id = ?1 AND box_pk = "
                                  "?2 AND sign_sig IS NULL;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, box_pk, 32, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "keys: database error");
    }
    if ((rc = council__row_exists(c, "keys", st, &unsigned_row)) != COUNCIL_OK || !unsigned_row)
        return rc;
    if (council__member_key_check(c, "keys", member, box_pk) != COUNCIL_OK) {
        council__clear(c);
        return COUNCIL_OK;
    }
    return council__member_key_sign(c, member, box_pk, sign_pk);
}

int council__member_key_drop(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES])
{
    council__member_key_cache_drop(c);
    return council__sql_exec1(c, op, "DELETE FROM member_key_sig WHERE member_id = ?1;", member,
                              COUNCIL_ID_BYTES, NULL, 0);
}
