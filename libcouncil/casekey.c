/*
 * casekey.c - the keys of cases: data keys and their wrapped copies, the
 * coordinating body's wrap key, the council's stored secrets, rotation.
 *
 * Data keys: random, one per (case, scope, version). Stored only wrapped,
 * one wrap per holder: the coordinating body (holder id all zeros, its
 * X25519 key pair derived from the root key in context "cncl-cwk") and each
 * member entitled to the scope (its X25519 key). Each wrap binds the key to
 * its place (council, case, version, scope), so a wrap moved to another
 * case, scope or version is refused (EAUTH). The formats are wrap.c's:
 * format 2 (one ephemeral X25519 key per transaction, one agreement per
 * recipient, XChaCha20-Poly1305 per key) is written; format 1 (a sealed
 * box per wrap, before issue 17) still opens, and a root session's start
 * rewrites it as format 2 (council__key_wraps_migrate).
 *
 * The session's caches (wrap.c) save the unwrap only: key_open reads the
 * wrap row and the callers decide access every time; the caches are wiped
 * at every rotation, revocation, withdrawal, key replacement, transfer,
 * erasure and rollback (SQLite's hooks, installed here).
 *
 * Holder tags vouch for each wrap, signatures for each key version; the
 * session's start brings the keys in (the coordinating body's key, the key
 * directory and the stored secrets: keydir.c, secrets.c) and a member's
 * withdrawal or new box key re-keys what it held.
 *
 * Tables: case_key, key_wrap.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "crypto.h"
#include "session.h"
#include "sql.h"
#include "attest.h"
#include "share_db.h"
#include "case_db.h"
#include "casekey.h"
#include "keydir.h"
#include "member_db.h"
#include "secrets.h"
#include "event.h"
#include "buf.h"
#include "store.h"
#include "wrap.h"

static const uint8_t coord_holder[COUNCIL_ID_BYTES]; /* all zeros */

const uint8_t *council__coord_holder(void)
{
    return coord_holder;
}

/* The session's caches (wrap.c) follow the transaction: SQLite's hooks. */
static void hooks(council *c)
{
    if (c->wc_hooked || c->db == NULL)
        return;
    (void)sqlite3_commit_hook(c->db, council__wcache_on_commit, c);
    (void)sqlite3_rollback_hook(c->db, council__wcache_on_rollback, c);
    c->wc_hooked = true;
}

/* ------------------------------------------------------ coordinating body */

static int coord_derive(council *c, uint8_t pk[32], council__secret *sk)
{
    uint8_t seed[crypto_box_SEEDBYTES];
    int rc = council__secret_alloc(sk, crypto_box_SECRETKEYBYTES);

    if (rc != COUNCIL_OK)
        return council__fail(c, rc, "keys: out of secure memory");
    rc = council__kdf(c, seed, sizeof seed, &c->root, 1, COUNCIL__CTX_COORD);
    if (rc == COUNCIL_OK && crypto_box_seed_keypair(pk, sk->p, seed) != 0)
        rc = council__fail(c, COUNCIL_ERROR, "keys: cannot derive the coordinating body's key");
    sodium_memzero(seed, sizeof seed);
    council__secret_lock(sk);
    if (rc != COUNCIL_OK)
        council__secret_free(sk);
    return rc;
}

int council__actor_key(council *c, const uint8_t **holder, const uint8_t **pk,
                       const council__secret **sk)
{
    if (council__is_coordinator(c)) { /* root, or staff holding the role keys */
        if (c->coord_sk.p == NULL) {
            uint8_t p[32];
            int rc = coord_derive(c, p, &c->coord_sk);
            if (rc != COUNCIL_OK)
                return rc;
        }
        *holder = coord_holder;
        *pk = c->coord_pk;
        *sk = &c->coord_sk;
        return COUNCIL_OK;
    }
    if (c->actor_box_sk.p == NULL)
        return council__fail(c, COUNCIL_EDENIED, "keys: this session holds no member key");
    *holder = c->actor_member;
    *pk = c->actor_box_pk;
    *sk = &c->actor_box_sk;
    return COUNCIL_OK;
}

/* A forged holder found and passed over: on the record, in the caller's
 * transaction, naming the member the row claims. */
static int forged_holder(council *c, const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope,
                         const uint8_t holder[COUNCIL_ID_BYTES], const char *reason)
{
    return council__tamper(c, case_id, scope,
                           memcmp(holder, coord_holder, COUNCIL_ID_BYTES) != 0 ? holder : NULL,
                           reason);
}

/* ------------------------------------------------------ key versions */

/* A key version is vouched for by its creator's signature, the council's
 * log key or the case owner's signing key, over
 *     case_id || u8(len(scope)) || scope || u32be(version) || commit
 * where commit = BLAKE2b-256 keyed with the new key of "council/key-commit/v1".
 * Only the secretariat and the owner make key versions: anything a member
 * with a share could make, it could make again after its share ended (a
 * key of its choosing in place of the version that shut it out). A version
 * that someone holding the database key wrote itself has no such signature,
 * so no session encrypts under it, reads under it or follows its holders. */
static int verify_version(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const char *scope, uint32_t v, const council__secret *key)
{
    uint8_t m[COUNCIL__VMSG_MAX], h[32], signer[COUNCIL_ID_BYTES], sig[64], owner[COUNCIL_ID_BYTES];
    bool has_sig = false;
    sqlite3_stmt *st = NULL;
    size_t n = council__key_version_msg(m, case_id, scope, v, key);
    int rc = COUNCIL_ETAMPER, src;

    crypto_generichash(h, sizeof h, m, n, c->council_id, COUNCIL_ID_BYTES);
    if (council__vcache_has(c, h))
        return COUNCIL_OK;
    if (council__prepare(c, "SELECT signer, sig FROM case_key WHERE case_id = ?1 AND "
                                  "scope = ?2 AND version = ?3;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, v) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: database error", op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW && (has_sig = sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES &&
                                        sqlite3_column_bytes(st, 1) == 64)) {
        memcpy(signer, sqlite3_column_blob(st, 0), sizeof signer);
        memcpy(sig, sqlite3_column_blob(st, 1), sizeof sig);
    }
    council__finalize(c, st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return council__fail(c, COUNCIL_EIO, "%s: database error", op);
    /* Signed by the council, or by the case's proven owner. A signer's
     * key that could not be read is EIO, no finding. */
    if (has_sig && (rc = council__attest_check(c, "key_version", m, n, signer, sizeof signer, sig,
                                               sizeof sig)) != COUNCIL_OK && rc != COUNCIL_ETAMPER)
        return rc;
    if (has_sig && rc == COUNCIL_OK) {
        if (sodium_is_zero(signer, sizeof signer))
            rc = COUNCIL_OK;
        else if ((rc = council__case_owner(c, op, case_id, owner)) == COUNCIL_OK)
            rc = sodium_memcmp(owner, signer, sizeof owner) == 0 ? COUNCIL_OK : COUNCIL_ETAMPER;
        else if (rc != COUNCIL_ETAMPER)
            return rc;
    }
    council__clear(c);
    if (rc == COUNCIL_OK) {
        council__vcache_put(c, h);
        return COUNCIL_OK;
    }
    (void)council__tamper(c, case_id, scope, NULL, "forged_key_version");
    return council__fail(c, COUNCIL_ETAMPER, "%s: version %u of scope %s's key is signed neither "
                         "by the secretariat nor by the case's owner (it was written outside the "
                         "library)", op, v, scope);
}

int council__key_verify(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const char *scope, uint32_t v, const council__secret *key)
{
    if (strlen(scope) > COUNCIL__AUDIT_CODE_MAX || key->len != COUNCIL__KEY_BYTES)
        return council__fail(c, COUNCIL_ERROR, "%s: bad scope or key", op);
    return verify_version(c, op, case_id, scope, v, key);
}

int council__wrap_for(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                      const char *scope, uint32_t version, const uint8_t holder[COUNCIL_ID_BYTES],
                      const uint8_t pk[32], const council__secret *key)
{
    uint8_t sealed[COUNCIL__WRAP2_BYTES], tag[32];
    sqlite3_stmt *st = NULL;
    int rc;

    hooks(c);
    if ((rc = council__wrap2(c, sealed, case_id, scope, version, key, pk)) != COUNCIL_OK)
        return rc;
    council__holder_tag(c, tag, case_id, scope, version, holder, pk, key);
    if (council__prepare(c, "INSERT OR REPLACE INTO key_wrap (case_id, scope, version, "
                                  "holder, box_pk, sealed, tag) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7);", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 7, tag, sizeof tag, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, version) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, holder, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 5, pk, 32, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 6, sealed, sizeof sealed, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot store a wrapped key", op);
    council__finalize(c, st);
    return rc;
}

int council__key_wrap_drop(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                           const uint8_t holder[COUNCIL_ID_BYTES], const char *scope)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    council__wcache_drop(c);
    if (council__prepare(c, "DELETE FROM key_wrap WHERE case_id = ?1 AND holder = ?2 AND "
                                  "scope = ?3;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, holder, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

int council__key_exists(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const char *scope, uint32_t version, bool *yes)
{
    sqlite3_stmt *st = NULL;

    *yes = false;
    if (council__prepare(c, "SELECT 1 FROM case_key WHERE case_id = ?1 AND scope = ?2 "
                                  "AND version = ?3;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, version) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return council__row_exists(c, op, st, yes);
}

int council__key_scope_used(council *c, const char *op, const char *scope, bool *yes)
{
    sqlite3_stmt *st = NULL;

    *yes = false;
    if (council__prepare(c, "SELECT 1 FROM case_key WHERE scope = ?1 LIMIT 1;", &st) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, scope, -1, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return council__row_exists(c, op, st, yes);
}

int council__key_open(council *c, const char *op, council__secret *key,
                      const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope, uint32_t version)
{
    const uint8_t *holder, *pk;
    const council__secret *sk;
    sqlite3_stmt *st = NULL;
    int rc = council__actor_key(c, &holder, &pk, &sk);

    if (rc != COUNCIL_OK)
        return rc;
    if (council__prepare(c, "SELECT sealed FROM key_wrap WHERE case_id = ?1 AND scope = ?2 "
                                  "AND version = ?3 AND holder = ?4 AND box_pk = ?5;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, version) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, holder, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 5, pk, 32, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: database error", op);
    }
    switch (sqlite3_step(st)) {
    case SQLITE_ROW: {
        const uint8_t *w = sqlite3_column_blob(st, 0);
        size_t wn = (size_t)sqlite3_column_bytes(st, 0);
        if (council__dkey_get(c, key, w, wn, case_id, scope, version, pk))
            break;
        rc = council__unwrap(c, key, w, wn, case_id, scope, version, pk, sk);
        if (rc == COUNCIL_OK) {
            hooks(c);
            council__dkey_put(c, w, wn, case_id, scope, version, pk, key);
        }
        break;
    }
    case SQLITE_DONE:
        rc = council__fail(c, COUNCIL_EDENIED, "%s: this session holds no key for scope %s "
                           "(version %u)", op, scope, version);
        break;
    default:
        rc = council__fail(c, COUNCIL_EIO, "%s: database error", op);
    }
    council__finalize(c, st);
    return rc;
}

int council__key_latest(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const char *scope, uint32_t *version)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    *version = 0;
    if (council__prepare(c, "SELECT coalesce(max(version), 0) FROM case_key WHERE "
                                  "case_id = ?1 AND scope = ?2;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        rc = council__fail(c, COUNCIL_EIO, "%s: database error", op);
    else
        *version = (uint32_t)sqlite3_column_int64(st, 0);
    council__finalize(c, st);
    return rc;
}

/* A new key version for (case, scope), wrapped for the coordinating body
 * and, for the first version, the owner; for a later one, every active
 * member the previous version's key vouches for as a holder (members with
 * keys the council signed only). *key receives it if key is not NULL. */
int council__key_new(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                     const char *scope, uint32_t *version_out, council__secret *key_out)
{
    council__secret key = { NULL, 0 }, prev = { NULL, 0 };
    sqlite3_stmt *st = NULL;
    uint32_t v;
    int rc, src = SQLITE_DONE;

    if (!c->coord_valid)
        return council__fail(c, COUNCIL_EUNSUPPORTED, "%s: the coordinating body's key is missing "
                             "or not signed by the council (open the store as the secretariat)", op);
    if ((rc = council__key_latest(c, op, case_id, scope, &v)) != COUNCIL_OK)
        return rc;
    if (v > 0)
        council__wcache_drop(c); /* a rotation */
    v++;
    if ((rc = council__secret_alloc(&key, COUNCIL__KEY_BYTES)) != COUNCIL_OK)
        return council__fail(c, rc, "%s: out of secure memory", op);
    randombytes_buf(key.p, key.len);
    council__secret_lock(&key);
    /* Signed by the secretariat or the owner: nobody else makes a key
     * version (a recipient's write that finds an expired share, say, is
     * refused until the owner or the secretariat rotates). The version
     * before must itself be genuine: its holders are followed below. */
    {
        uint8_t m[COUNCIL__VMSG_MAX], signer[COUNCIL_ID_BYTES], sig[64], owner[COUNCIL_ID_BYTES];
        size_t n = council__key_version_msg(m, case_id, scope, v, &key);
        bool may_sign = council__is_secretariat(c);
        if (!may_sign) {
            rc = council__case_owner(c, op, case_id, owner);
            if (rc == COUNCIL_OK && sodium_memcmp(owner, c->actor_member, sizeof owner) != 0)
                rc = council__fail(c, COUNCIL_EDENIED, "%s: a new key of scope %s is needed (a "
                                   "share of it ended), and only the owner or the secretariat "
                                   "makes one: ask them to write to the case or to re-key it",
                                   op, scope);
            else if (rc == COUNCIL_OK && c->actor_sign_sk.p == NULL)
                rc = council__fail(c, COUNCIL_EDENIED, "%s: a new key of scope %s needs the "
                                   "owner's signature (open the session with the member's "
                                   "keyfile or signing seed)", op, scope);
            may_sign = rc == COUNCIL_OK;
        }
        if (rc == COUNCIL_OK && v > 1 &&
            (rc = council__key_open(c, op, &prev, case_id, scope, v - 1)) == COUNCIL_OK)
            rc = council__key_verify(c, op, case_id, scope, v - 1, &prev);
        if (rc == COUNCIL_OK && may_sign)
            rc = council__attest_sign(c, "key_version", m, n, signer, sig);
        if (rc == COUNCIL_OK &&
            (council__prepare(c, "INSERT INTO case_key (case_id, scope, version, created, "
                                       "signer, sig) VALUES (?1, ?2, ?3, ?4, ?5, ?6);", &st) != SQLITE_OK ||
             sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
             sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
             sqlite3_bind_int64(st, 3, v) != SQLITE_OK ||
             sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
             sqlite3_bind_blob(st, 5, signer, sizeof signer, SQLITE_TRANSIENT) != SQLITE_OK ||
             sqlite3_bind_blob(st, 6, sig, sizeof sig, SQLITE_TRANSIENT) != SQLITE_OK ||
             sqlite3_step(st) != SQLITE_DONE))
            rc = council__fail(c, COUNCIL_EIO, "%s: cannot store a key", op);
        council__finalize(c, st);
        st = NULL;
    }
    if (rc == COUNCIL_OK)
        rc = council__wrap_for(c, op, case_id, scope, v, coord_holder, c->coord_pk, &key);
    /* Who gets the new key. A rotation follows the previous version's
     * holders whose tags that version's key proves (revocation, expiry and
     * withdrawal destroyed the ended holders' wraps first), so a wrap or
     * share row written into the database by anyone who does not hold the
     * key brings them nothing. The first version of a scope goes to the
     * coordinating body and the owner only; a share wraps the key for its
     * recipient itself (council_case_share). */
    if (rc == COUNCIL_OK && v > 1) {
        uint8_t owner[COUNCIL_ID_BYTES];
        bool have_owner = false;
        if (
            (council__prepare(c, "SELECT holder, box_pk, tag FROM key_wrap WHERE case_id = "
                                       "?1 AND scope = ?2 AND version = ?3;", &st) != SQLITE_OK ||
             sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
             sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
             sqlite3_bind_int64(st, 3, v - 1) != SQLITE_OK))
            rc = council__fail(c, COUNCIL_EIO, "%s: database error", op);
        while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
            uint8_t holder[COUNCIL_ID_BYTES], pk[32];
            bool member = false;
            if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES || sqlite3_column_bytes(st, 1) != 32)
                continue;
            memcpy(holder, sqlite3_column_blob(st, 0), sizeof holder);
            /* Active members with a box key only (the register's). */
            if ((rc = council__member_box_pk(c, op, holder, pk, &member)) != COUNCIL_OK)
                break;
            if (!member)
                continue;
            if (!council__holder_tag_ok(c, sqlite3_column_blob(st, 2),
                                        (size_t)sqlite3_column_bytes(st, 2), case_id, scope, v - 1,
                                        holder, sqlite3_column_blob(st, 1), &prev)) {
                rc = forged_holder(c, case_id, scope, holder, "forged_key_holder");
                continue;
            }
            /* A tag proves only that its writer held the key, and every
             * member the scope is shared with does: the new key goes only
             * to the owner and to members whose share is still active. */
            if (!have_owner) {
                if ((rc = council__case_owner(c, op, case_id, owner)) != COUNCIL_OK)
                    break;
                have_owner = true;
            }
            if (sodium_memcmp(holder, owner, sizeof owner) != 0) {
                bool active = false;
                if ((rc = council__share_active(c, op, case_id, holder, scope, &active)) != COUNCIL_OK)
                    break;
                if (!active)
                    continue;
            }
            if ((rc = council__member_check(c, op, holder)) == COUNCIL_OK &&
                (rc = council__member_key_check(c, op, holder, pk)) == COUNCIL_OK)
                rc = council__wrap_for(c, op, case_id, scope, v, holder, pk, &key);
        }
        if (rc == COUNCIL_OK && src != SQLITE_DONE)
            rc = council__fail(c, COUNCIL_EIO, "%s: database error", op);
    } else if (rc == COUNCIL_OK) {
        uint8_t owner[COUNCIL_ID_BYTES], pk[32];
        bool member = false;
        if ((rc = council__case_owner(c, op, case_id, owner)) == COUNCIL_OK &&
            (rc = council__member_box_pk(c, op, owner, pk, &member)) == COUNCIL_OK && member &&
            (rc = council__member_key_check(c, op, owner, pk)) == COUNCIL_OK)
            rc = council__wrap_for(c, op, case_id, scope, v, owner, pk, &key);
    }
    council__finalize(c, st);
    council__secret_free(&prev);
    if (rc == COUNCIL_OK && version_out != NULL)
        *version_out = v;
    if (rc == COUNCIL_OK && key_out != NULL) {
        *key_out = key;
        return rc;
    }
    council__secret_free(&key);
    return rc;
}

int council__key_holds(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                       const char *scope, const uint8_t member[COUNCIL_ID_BYTES], bool *holds)
{
    council__secret key = { NULL, 0 };
    sqlite3_stmt *st = NULL;
    uint32_t v = 0;
    bool forged = false;
    int rc, src = SQLITE_DONE;

    *holds = false;
    if ((rc = council__key_latest(c, op, case_id, scope, &v)) != COUNCIL_OK || v == 0)
        return rc;
    if ((rc = council__key_open(c, op, &key, case_id, scope, v)) != COUNCIL_OK)
        return rc;
    if (council__prepare(c, "SELECT box_pk, tag FROM key_wrap WHERE case_id = ?1 AND scope = "
                                  "?2 AND version = ?3 AND holder = ?4;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, v) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK)
        rc = council__fail(c, COUNCIL_EIO, "%s: database error", op);
    while (rc == COUNCIL_OK && !*holds && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) == 32 &&
            council__holder_tag_ok(c, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1),
                                   case_id, scope, v, member, sqlite3_column_blob(st, 0), &key))
            *holds = true;
        else
            forged = true;
    }
    if (rc == COUNCIL_OK && !*holds && src != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "%s: database error", op);
    council__finalize(c, st);
    council__secret_free(&key);
    if (rc == COUNCIL_OK && forged && !*holds)
        rc = forged_holder(c, case_id, scope, member, "forged_key_holder");
    return rc;
}

/* For each row of the prepared st (columns: case_id, scope, version, a wrap
 * of that key for (pk, sk), then the caller's): fn with the key unwrapped.
 * A wrap that does not open ends the walk with its error, or (skip) is
 * passed over. st is finalized. */
typedef int (*wrapped_fn)(council *c, sqlite3_stmt *st, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const char *scope, uint32_t v, const council__secret *key, void *ctx);

static int each_wrapped_key(council *c, const char *op, sqlite3_stmt *st, const uint8_t pk[32],
                            const council__secret *sk, bool skip, wrapped_fn fn, void *ctx)
{
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        council__secret key = { NULL, 0 };
        uint8_t case_id[COUNCIL_ID_BYTES];
        char scope[COUNCIL__AUDIT_CODE_MAX + 1];
        const unsigned char *sc = sqlite3_column_text(st, 1);
        uint32_t v = (uint32_t)sqlite3_column_int64(st, 2);

        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES || sc == NULL ||
            strlen((const char *)sc) > COUNCIL__AUDIT_CODE_MAX)
            continue;
        memcpy(case_id, sqlite3_column_blob(st, 0), sizeof case_id);
        strcpy(scope, (const char *)sc);
        rc = council__unwrap(c, &key, sqlite3_column_blob(st, 3), (size_t)sqlite3_column_bytes(st, 3),
                             case_id, scope, v, pk, sk);
        if (rc != COUNCIL_OK && skip) {
            council__clear(c);
            rc = COUNCIL_OK;
            continue;
        }
        if (rc == COUNCIL_OK)
            rc = fn(c, st, case_id, scope, v, &key, ctx);
        council__secret_free(&key);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "%s: database error", op);
    council__finalize(c, st);
    return rc;
}

struct rewrap_ctx {
    const char *op;
    const uint8_t *holder, *to_pk;
};

/* Columns 4, 5: the old wrap's box key and tag. Only a wrap the key's own
 * tag vouches for is carried over to the new key. */
static int rewrap_one(council *c, sqlite3_stmt *st, const uint8_t case_id[COUNCIL_ID_BYTES],
                      const char *scope, uint32_t v, const council__secret *key, void *ctx)
{
    const struct rewrap_ctx *r = ctx;

    if (sqlite3_column_bytes(st, 4) != 32 ||
        !council__holder_tag_ok(c, sqlite3_column_blob(st, 5), (size_t)sqlite3_column_bytes(st, 5),
                                case_id, scope, v, r->holder, sqlite3_column_blob(st, 4), key))
        return forged_holder(c, case_id, scope, r->holder, "forged_key_holder");
    return council__wrap_for(c, r->op, case_id, scope, v, r->holder, r->to_pk, key);
}

static int rewrap_rows(council *c, const char *op, sqlite3_stmt *st, const uint8_t pk[32],
                       const council__secret *sk, const uint8_t holder[COUNCIL_ID_BYTES],
                       const uint8_t to_pk[32])
{
    struct rewrap_ctx r = { op, holder, to_pk };

    return each_wrapped_key(c, op, st, pk, sk, false, rewrap_one, &r);
}

int council__coord_rewrap(council *c, const council__secret *new_root, uint8_t new_pk[32])
{
    council__secret saved = c->root, nsk = { NULL, 0 };
    const uint8_t *holder = NULL, *pk = NULL;
    const council__secret *sk = NULL;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = council__actor_key(c, &holder, &pk, &sk)) != COUNCIL_OK)
        return rc;
    council__wcache_drop(c);
    c->root = *new_root;
    rc = coord_derive(c, new_pk, &nsk);
    c->root = saved;
    if (rc != COUNCIL_OK)
        return rc;
    if (council__prepare(c, "SELECT case_id, scope, version, sealed, box_pk, tag FROM "
                                  "key_wrap WHERE holder = ?1 AND box_pk = ?2;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, coord_holder, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, c->coord_pk, 32, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        rc = council__fail(c, COUNCIL_EIO, "rekey_root: database error");
    } else {
        rc = rewrap_rows(c, "rekey_root", st, pk, sk, coord_holder, new_pk);
    }
    council__secret_free(&nsk);
    return rc;
}

/* Stores from before signed rows (schema 9) are brought up once, at the
 * secretariat's first session with a library that keeps the log head
 * (c->upgrading, council.c): wraps get their holder tags (the coordinating
 * body's copy opens each key), key versions the council's signature, cases
 * the council's signature on their owner, members' signing keys the key
 * directory's. Never again after that (the keyring then holds a head, and
 * the store the mark): from then on a row without them is a forgery. */
/* For each row of `sql` (columns: case_id, scope, version, the coordinating
 * body's wrap of that key, then the caller's), with ?1 and ?2 bound to the
 * coordinating body's holder id and key: fn with the key unwrapped. Rows
 * whose key does not open are passed over. */
static int each_coord_key(council *c, const char *sql, wrapped_fn fn)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, sql, &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, coord_holder, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, c->coord_pk, 32, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "keys: database error");
    }
    return each_wrapped_key(c, "keys", st, c->coord_pk, &c->coord_sk, true, fn, NULL);
}

/* Columns 4, 5: the wrap's holder and box key. */
static int tag_one(council *c, sqlite3_stmt *st, const uint8_t case_id[COUNCIL_ID_BYTES],
                   const char *scope, uint32_t v, const council__secret *key, void *ctx)
{
    uint8_t tag[32];
    sqlite3_stmt *up = NULL;
    int rc = COUNCIL_OK;

    (void)ctx;
    if (sqlite3_column_bytes(st, 4) != COUNCIL_ID_BYTES || sqlite3_column_bytes(st, 5) != 32)
        return COUNCIL_OK;
    council__holder_tag(c, tag, case_id, scope, v, sqlite3_column_blob(st, 4), sqlite3_column_blob(st, 5),
               key);
    if (council__prepare(c, "UPDATE key_wrap SET tag = ?6 WHERE case_id = ?1 AND scope = ?2 "
                                  "AND version = ?3 AND holder = ?4 AND box_pk = ?5;", &up) != SQLITE_OK ||
        sqlite3_bind_blob(up, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(up, 2, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(up, 3, v) != SQLITE_OK ||
        sqlite3_bind_blob(up, 4, sqlite3_column_blob(st, 4), COUNCIL_ID_BYTES,
                          SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_blob(up, 5, sqlite3_column_blob(st, 5), 32, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_blob(up, 6, tag, 32, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(up) != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "keys: cannot tag a wrapped key");
    council__finalize(c, up);
    return rc;
}

static int sign_version_one(council *c, sqlite3_stmt *st, const uint8_t case_id[COUNCIL_ID_BYTES],
                            const char *scope, uint32_t v, const council__secret *key, void *ctx)
{
    uint8_t m[COUNCIL__VMSG_MAX], signer[COUNCIL_ID_BYTES], sig[64];
    sqlite3_stmt *up = NULL;
    int rc = council__attest_sign(c, "key_version", m, council__key_version_msg(m, case_id, scope, v, key),
                                  signer, sig);

    (void)st;
    (void)ctx;
    if (rc == COUNCIL_OK &&
        (council__prepare(c, "UPDATE case_key SET signer = ?4, sig = ?5 WHERE case_id = ?1 "
                                   "AND scope = ?2 AND version = ?3;", &up) != SQLITE_OK ||
         sqlite3_bind_blob(up, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_text(up, 2, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_int64(up, 3, v) != SQLITE_OK ||
         sqlite3_bind_blob(up, 4, signer, sizeof signer, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(up, 5, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(up) != SQLITE_DONE))
        rc = council__fail(c, COUNCIL_EIO, "keys: cannot sign a key version");
    council__finalize(c, up);
    return rc;
}

/* Column 4, 5: the version's signer and signature. A version the member
 * really signed is signed again by the council. */
static int resign_version_one(council *c, sqlite3_stmt *st, const uint8_t case_id[COUNCIL_ID_BYTES],
                              const char *scope, uint32_t v, const council__secret *key, void *ctx)
{
    uint8_t m[COUNCIL__VMSG_MAX];
    size_t n = council__key_version_msg(m, case_id, scope, v, key);
    int rc;

    (void)ctx;
    rc = council__attest_check(c, "key_version", m, n, sqlite3_column_blob(st, 4),
                               (size_t)sqlite3_column_bytes(st, 4), sqlite3_column_blob(st, 5),
                               (size_t)sqlite3_column_bytes(st, 5));
    if (rc != COUNCIL_OK && rc != COUNCIL_ETAMPER)
        return rc; /* the signer's key unread: EIO */
    if (rc != COUNCIL_OK) {
        council__clear(c);
        return COUNCIL_OK; /* not the member's: stays what it is */
    }
    return sign_version_one(c, st, case_id, scope, v, key, NULL);
}

int council__key_versions_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES],
                                 const uint8_t *case_id)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, "SELECT k.case_id, k.scope, k.version, w.sealed, k.signer, k.sig "
                                  "FROM case_key k JOIN key_wrap w ON w.case_id = k.case_id AND "
                                  "w.scope = k.scope AND w.version = k.version AND w.holder = ?1 AND "
                                  "w.box_pk = ?2 WHERE k.signer = ?3 AND (?4 IS NULL OR k.case_id = "
                                  "?4);", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, coord_holder, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, c->coord_pk, 32, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        (case_id != NULL ? sqlite3_bind_blob(st, 4, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC)
                         : sqlite3_bind_null(st, 4)) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "keys: database error");
    }
    return each_wrapped_key(c, "keys", st, c->coord_pk, &c->coord_sk, true, resign_version_one, NULL);
}

static int upgrade_wraps(council *c)
{
    return each_coord_key(c, "SELECT w.case_id, w.scope, w.version, k.sealed, w.holder, w.box_pk "
                             "FROM key_wrap w JOIN key_wrap k ON k.case_id = w.case_id AND k.scope "
                             "= w.scope AND k.version = w.version AND k.holder = ?1 AND k.box_pk = "
                             "?2 WHERE w.tag IS NULL;", tag_one);
}

static int upgrade_versions(council *c)
{
    return each_coord_key(c, "SELECT k.case_id, k.scope, k.version, w.sealed FROM case_key k JOIN "
                             "key_wrap w ON w.case_id = k.case_id AND w.scope = k.scope AND "
                             "w.version = k.version AND w.holder = ?1 AND w.box_pk = ?2 WHERE k.sig "
                             "IS NULL;", sign_version_one);
}

/* Root: the active members (the register's) have the stored secrets
 * sealed to their current keys, and nobody else has them. */
static int active_members_secrets(council *c)
{
    council__member_pk *ms = NULL;
    uint8_t *ids = NULL;
    size_t n = 0;
    int rc = council__member_pks(c, "keys", &ms, &n);

    if (rc == COUNCIL_OK && n > 0 && (ids = council__malloc(n * COUNCIL_ID_BYTES)) == NULL)
        rc = council__fail(c, COUNCIL_ENOMEM, "keys: out of memory");
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++)
        memcpy(ids + i * COUNCIL_ID_BYTES, ms[i].id, COUNCIL_ID_BYTES);
    if (rc == COUNCIL_OK)
        rc = council__secrets_prune(c, ids, n);
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++)
        rc = council__secrets_member(c, ms[i].id, ms[i].box_pk);
    council__free(ids);
    council__free(ms);
    return rc;
}

int council__case_session_init(council *c)
{
    uint8_t pk[32];
    council__secret sk = { NULL, 0 };
    int rc;

    hooks(c);
    if (c->actor_kind == COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF)
        return (rc = council__coord_key_load(c)) != COUNCIL_OK ? rc
                                                               : council__secrets_staff_load(c);
    if ((rc = coord_derive(c, pk, &sk)) != COUNCIL_OK)
        return rc;
    council__secret_free(&c->coord_sk);
    c->coord_sk = sk;
    memcpy(c->coord_pk, pk, 32);
    c->coord_valid = true;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    rc = council__coord_key_publish(c);
    if (rc == COUNCIL_OK)
        rc = council__member_keys_sign_existing(c);
    if (rc == COUNCIL_OK)
        rc = council__secrets_root_load(c);
    if (rc == COUNCIL_OK)
        rc = active_members_secrets(c);
    if (rc == COUNCIL_OK && c->upgrading)
        rc = upgrade_wraps(c);
    if (rc == COUNCIL_OK && c->upgrading)
        rc = upgrade_versions(c);
    if (rc == COUNCIL_OK && c->upgrading)
        rc = council__case_owners_upgrade(c);
    if (rc == COUNCIL_OK && c->upgrading)
        rc = council__member_directory_upgrade(c);
    /* Wraps for an earlier coordinating key are left from a rotation. */
    if (rc == COUNCIL_OK)
        rc = council__sql_exec1(c, "keys", "DELETE FROM key_wrap WHERE holder = ?1 AND "
                                "box_pk != ?2;", coord_holder, COUNCIL_ID_BYTES, c->coord_pk, 32);
    if (rc != COUNCIL_OK) {
        council__audit_batch_rollback(c);
        return rc;
    }
    if ((rc = council__audit_batch_commit(c)) != COUNCIL_OK)
        return rc;
    return council__key_wraps_migrate(c);
}

/* ------------------------------------------- format 1 wraps to format 2 */

#define MIGRATE_ROWS 256
#define MIGRATE_DONE "key_wraps_v2"

struct mig {
    uint8_t case_id[COUNCIL_ID_BYTES], holder[COUNCIL_ID_BYTES], pk[32]; /* the cursor */
    char scope[COUNCIL__AUDIT_CODE_MAX + 1];
    uint32_t v;
    size_t seen, moved;
};

/* Columns 4, 5, 6: the row's holder, box key and tag. Only a row its tag
 * vouches for is written again (else the key would go to whoever wrote
 * it); any other stays as it is. The cursor moves past it either way. */
static int mig_one(council *c, sqlite3_stmt *st, const uint8_t case_id[COUNCIL_ID_BYTES],
                   const char *scope, uint32_t v, const council__secret *key, void *ctx)
{
    struct mig *m = ctx;
    int rc;

    if (sqlite3_column_bytes(st, 4) != COUNCIL_ID_BYTES || sqlite3_column_bytes(st, 5) != 32)
        return COUNCIL_OK;
    memcpy(m->case_id, case_id, COUNCIL_ID_BYTES);
    strcpy(m->scope, scope);
    m->v = v;
    memcpy(m->holder, sqlite3_column_blob(st, 4), COUNCIL_ID_BYTES);
    memcpy(m->pk, sqlite3_column_blob(st, 5), 32);
    m->seen++;
    if (!council__holder_tag_ok(c, sqlite3_column_blob(st, 6), (size_t)sqlite3_column_bytes(st, 6),
                                case_id, scope, v, m->holder, m->pk, key))
        return COUNCIL_OK;
    /* The same row (its tag unchanged: it covers key, holder and box key). */
    if ((rc = council__wrap_for(c, "keys", case_id, scope, v, m->holder, m->pk, key)) == COUNCIL_EINVAL) {
        council__clear(c); /* a box key that is no key: left as it is */
        return COUNCIL_OK;
    }
    m->moved += rc == COUNCIL_OK;
    return rc;
}

/* Chunks of MIGRATE_ROWS format-1 rows after the cursor, in key order, a
 * transaction each; done when a pass from the start writes none (writing
 * while walking may move a row past the cursor: the next pass finds it).
 * Only rows keyed as the library writes them (BLOB ids and key, TEXT scope
 * without NUL, 32-bit INTEGER version): the rewrite replaces the row read.
 * A re-typed copy of a genuine row (red team 17, finding 1) rewrote the
 * genuine row, stayed, and was found at every pass: an endless open. */
int council__key_wraps_migrate(council *c)
{
    struct mig m;
    bool marked = false, first = true;
    size_t pass = 0; /* rows written since the pass began at the start */
    uint8_t flag;
    int rc;

    if (!council__is_root(c) || !c->coord_valid || c->coord_sk.p == NULL)
        return COUNCIL_OK;
    if ((rc = council__setting_fixed(c, MIGRATE_DONE, &flag, 1, &marked)) != COUNCIL_OK)
        return council__fail(c, rc, "keys: database error");
    memset(&m, 0, sizeof m);
    flag = 1;
    while (!marked && rc == COUNCIL_OK) {
        sqlite3_stmt *st = NULL;
        char reason[32];
        m.seen = m.moved = 0;
        if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
            break;
        if (council__prepare(c, "SELECT w.case_id, w.scope, w.version, k.sealed, w.holder, "
                                      "w.box_pk, w.tag FROM key_wrap w JOIN key_wrap k ON k.case_id = "
                                      "w.case_id AND k.scope = w.scope AND k.version = w.version AND "
                                      "k.holder = ?1 AND k.box_pk = ?2 WHERE length(w.sealed) = ?8 "
                                      "AND typeof(w.case_id) = 'blob' AND typeof(w.scope) = 'text' "
                                      "AND length(CAST(w.scope AS BLOB)) = length(w.scope) AND "
                                      "typeof(w.version) = 'integer' AND w.version BETWEEN 1 AND "
                                      "4294967295 AND typeof(w.holder) = 'blob' AND "
                                      "typeof(w.box_pk) = 'blob' AND (?3 IS NULL OR (w.case_id, w.scope, w.version, w.holder, "
                                      "w.box_pk) > (?3, ?4, ?5, ?6, ?7)) ORDER BY w.case_id, w.scope, "
                                      "w.version, w.holder, w.box_pk LIMIT ?9;", &st) != SQLITE_OK ||
            sqlite3_bind_blob(st, 1, coord_holder, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_blob(st, 2, c->coord_pk, 32, SQLITE_STATIC) != SQLITE_OK ||
            (!first && (sqlite3_bind_blob(st, 3, m.case_id, COUNCIL_ID_BYTES, SQLITE_TRANSIENT) != SQLITE_OK ||
                        sqlite3_bind_text(st, 4, m.scope, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
                        sqlite3_bind_int64(st, 5, m.v) != SQLITE_OK ||
                        sqlite3_bind_blob(st, 6, m.holder, COUNCIL_ID_BYTES, SQLITE_TRANSIENT) != SQLITE_OK ||
                        sqlite3_bind_blob(st, 7, m.pk, 32, SQLITE_TRANSIENT) != SQLITE_OK)) ||
            sqlite3_bind_int(st, 8, COUNCIL__WRAP_BYTES) != SQLITE_OK ||
            sqlite3_bind_int(st, 9, MIGRATE_ROWS) != SQLITE_OK) {
            council__finalize(c, st);
            rc = council__fail(c, COUNCIL_EIO, "keys: database error");
        } else {
            rc = each_wrapped_key(c, "keys", st, c->coord_pk, &c->coord_sk, true, mig_one, &m);
        }
        pass += m.moved;
        first = m.seen == 0;
        marked = first && pass == 0;
        pass = first ? 0 : pass;
        if (rc == COUNCIL_OK && m.moved > 0) {
            (void)snprintf(reason, sizeof reason, "v2_%zu", m.moved);
            const council__event ev = {
                .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_KEY_WRAPS_MIGRATED,
                .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
                .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
                .reason = reason,
            };
            rc = council__audit_append(c, &ev);
        }
        if (rc == COUNCIL_OK && marked && council__setting_put(c, MIGRATE_DONE, &flag, 1, true) != COUNCIL_OK)
            rc = council__fail(c, COUNCIL_EIO, "keys: database error");
        if (rc != COUNCIL_OK)
            council__audit_batch_rollback(c);
        else
            rc = council__audit_batch_commit(c);
    }
    sodium_memzero(&m, sizeof m);
    return rc;
}

/* ------------------------------------------------------------ members */

/* The distinct (case, scope) pairs a member holds keys or shares for. */
typedef struct pair {
    uint8_t case_id[COUNCIL_ID_BYTES];
    char scope[COUNCIL__AUDIT_CODE_MAX + 1];
} pair;

/* Add (case_id, scope) to the pairs (scope checked: at most 64 bytes). */
static bool pairs_add(pair **out, size_t *cap, size_t *n, const uint8_t case_id[COUNCIL_ID_BYTES],
                      const char *scope)
{
    pair *more = council__grow(*out, cap, *n, sizeof **out);

    if (more == NULL)
        return false;
    *out = more;
    memcpy((*out)[*n].case_id, case_id, COUNCIL_ID_BYTES);
    strcpy((*out)[*n].scope, scope);
    (*n)++;
    return true;
}

static int pair_cmp(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    int d = memcmp(x->case_id, y->case_id, COUNCIL_ID_BYTES);

    return d != 0 ? d : strcmp(x->scope, y->scope);
}

/* The (case_id, scope) rows of st (bound; finalized here) added to the
 * pairs; rows with a malformed id or scope are passed over. */
static int pairs_from(council *c, sqlite3_stmt *st, pair **out, size_t *cap, size_t *n)
{
    int rc = COUNCIL_OK, src;

    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *sc = sqlite3_column_text(st, 1);
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES || sc == NULL ||
            strlen((const char *)sc) > COUNCIL__AUDIT_CODE_MAX)
            continue;
        if (!pairs_add(out, cap, n, sqlite3_column_blob(st, 0), (const char *)sc)) {
            rc = council__fail(c, COUNCIL_ENOMEM, "withdraw: out of memory");
            break;
        }
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "withdraw: database error");
    council__finalize(c, st);
    return rc;
}

/* The distinct pairs, in order (case id, then scope), that the member
 * holds a wrapped key for, holds a share of (not revoked), or owns the
 * case of (the scopes with keys). */
static int member_pairs(council *c, const uint8_t member[COUNCIL_ID_BYTES], pair **out, size_t *n)
{
    council__share_ref *shares = NULL;
    uint8_t (*owned)[COUNCIL_ID_BYTES] = NULL;
    sqlite3_stmt *st = NULL;
    size_t cap = 0, n_shares = 0, n_owned = 0;
    int rc = COUNCIL_OK;

    *out = NULL;
    *n = 0;
    if (council__prepare(c, "SELECT DISTINCT case_id, scope FROM key_wrap WHERE holder = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "withdraw: database error");
    }
    rc = pairs_from(c, st, out, &cap, n);
    if (rc == COUNCIL_OK)
        rc = council__share_refs_of_member(c, "withdraw", member, &shares, &n_shares);
    for (size_t i = 0; rc == COUNCIL_OK && i < n_shares; i++)
        if (!pairs_add(out, &cap, n, shares[i].case_id, shares[i].scope))
            rc = council__fail(c, COUNCIL_ENOMEM, "withdraw: out of memory");
    if (rc == COUNCIL_OK)
        rc = council__case_ids_owned(c, "withdraw", member, &owned, &n_owned);
    for (size_t i = 0; rc == COUNCIL_OK && i < n_owned; i++) {
        if (council__prepare(c, "SELECT DISTINCT case_id, scope FROM case_key WHERE "
                                      "case_id = ?1;", &st) != SQLITE_OK ||
            sqlite3_bind_blob(st, 1, owned[i], COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
            council__finalize(c, st);
            rc = council__fail(c, COUNCIL_EIO, "withdraw: database error");
        } else {
            rc = pairs_from(c, st, out, &cap, n);
        }
    }
    council__free(shares);
    council__free(owned);
    if (rc == COUNCIL_OK && *n > 1) {
        size_t k = 1;
        qsort(*out, *n, sizeof **out, pair_cmp);
        for (size_t i = 1; i < *n; i++)
            if (pair_cmp(&(*out)[i], &(*out)[k - 1]) != 0)
                (*out)[k++] = (*out)[i];
        *n = k;
    }
    if (rc != COUNCIL_OK) {
        council__free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* A new key version for every (case, scope) in ps that has keys, each
 * logged as "key rotated" with the reason and the member. */
static int rotate_pairs(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                        const pair *ps, size_t n, const char *reason)
{
    int rc = COUNCIL_OK;

    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        uint32_t v;
        uint8_t ref[32];
        const char *scopes[1] = { ps[i].scope };

        if ((rc = council__key_latest(c, op, ps[i].case_id, ps[i].scope, &v)) != COUNCIL_OK || v == 0)
            continue;
        if ((rc = council__key_new(c, op, ps[i].case_id, ps[i].scope, NULL, NULL)) != COUNCIL_OK ||
            (rc = council__case_ref(c, ref, ps[i].case_id)) != COUNCIL_OK)
            break;
        const council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_KEY_ROTATED,
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .subject_member = member,
            .case_ref = ref,
            .scopes = scopes,
            .n_scopes = 1,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
            .reason = reason,
        };
        rc = council__audit_append(c, &ev);
    }
    return rc;
}

int council__case_member_left(council *c, const uint8_t member[COUNCIL_ID_BYTES])
{
    pair *ps = NULL;
    size_t n = 0;
    int rc = member_pairs(c, member, &ps, &n);

    council__wcache_drop(c); /* the directory's cache: council__member_key_drop */
    if (rc != COUNCIL_OK)
        return rc;
    rc = council__share_end_member(c, "withdraw", member, "member_withdrawn");
    if (rc == COUNCIL_OK)
        rc = council__sql_exec1(c, "withdraw", "DELETE FROM key_wrap WHERE holder = ?1;", member,
                                COUNCIL_ID_BYTES, NULL, 0);
    if (rc == COUNCIL_OK)
        rc = council__secrets_drop(c, "withdraw", member);
    if (rc == COUNCIL_OK)
        rc = council__member_key_drop(c, "withdraw", member);
    if (rc == COUNCIL_OK)
        rc = rotate_pairs(c, "withdraw", member, ps, n, "member_withdrawn");
    council__free(ps);
    return rc;
}

int council__case_member_rekeyed(council *c, const uint8_t member[COUNCIL_ID_BYTES],
                                 const uint8_t box_pk[32])
{
    const uint8_t *holder = NULL, *pk = NULL;
    const council__secret *sk = NULL;
    sqlite3_stmt *st = NULL;
    int rc;

    if (!council__is_secretariat(c) || !council__is_coordinator(c))
        return council__fail(c, COUNCIL_EDENIED, "keys: only the secretariat re-wraps keys");
    if ((rc = council__actor_key(c, &holder, &pk, &sk)) != COUNCIL_OK)
        return rc;
    council__wcache_drop(c); /* the directory's: council__member_key_sign */
    /* Each of the member's wraps again, from the coordinating body's copy. */
    if (council__prepare(c, "SELECT w.case_id, w.scope, w.version, k.sealed, w.box_pk, "
                                  "w.tag FROM key_wrap w "
                                  "JOIN key_wrap k ON k.case_id = w.case_id AND k.scope = w.scope "
                                  "AND k.version = w.version AND k.holder = ?2 AND k.box_pk = ?3 "
                                  "WHERE w.holder = ?1 AND w.box_pk != ?4;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, holder, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, pk, 32, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, box_pk, 32, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        rc = council__fail(c, COUNCIL_EIO, "keys: database error");
    } else {
        rc = rewrap_rows(c, "keys", st, pk, sk, member, box_pk);
    }
    /* Whatever was sealed to the old key goes (and anything without a
     * coordinating copy with it: access is lost, never gained). */
    if (rc == COUNCIL_OK)
        rc = council__sql_exec1(c, "keys", "DELETE FROM key_wrap WHERE holder = ?1 AND box_pk != ?2;",
                                member, COUNCIL_ID_BYTES, box_pk, 32);
    if (rc == COUNCIL_OK)
        rc = council__secrets_seal_to(c, member, box_pk);
    /* The replaced key may be lost: what is written from now on is under
     * new data keys, which it never saw. */
    if (rc == COUNCIL_OK) {
        pair *ps = NULL;
        size_t n = 0;
        if ((rc = member_pairs(c, member, &ps, &n)) == COUNCIL_OK)
            rc = rotate_pairs(c, "keys", member, ps, n, "member_key_replaced");
        council__free(ps);
    }
    return rc;
}

int council__key_erase_case(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES])
{
    int rc = council__sql_exec1(c, op, "DELETE FROM key_wrap WHERE case_id = ?1;", case_id,
                                COUNCIL_ID_BYTES, NULL, 0);

    council__wcache_drop(c);
    if (rc == COUNCIL_OK)
        rc = council__sql_exec1(c, op, "DELETE FROM case_key WHERE case_id = ?1;", case_id,
                                COUNCIL_ID_BYTES, NULL, 0);
    return rc;
}

int council__key_scopes(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        char sc[][COUNCIL__AUDIT_CODE_MAX + 1], const char **scopes, size_t *n)
{
    sqlite3_stmt *st = NULL;
    int src;

    *n = 0;
    if (council__prepare(c, "SELECT DISTINCT scope FROM case_key WHERE case_id = ?1 ORDER "
                                  "BY scope;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW && *n < COUNCIL__AUDIT_SCOPES_MAX) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        if (s != NULL && council__audit_code_ok(s)) {
            strcpy(sc[*n], s);
            scopes[*n] = sc[*n];
            (*n)++;
        }
    }
    council__finalize(c, st);
    if (src != SQLITE_DONE) /* the catalogue holds at most 32 scopes */
        return council__db_err(c, op);
    return COUNCIL_OK;
}

int council__key_drop_older(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                            const char *scope, uint32_t version)
{
    int rc = COUNCIL_OK;

    council__wcache_drop(c);
    for (int j = 0; rc == COUNCIL_OK && j < 2; j++) {
        sqlite3_stmt *st = NULL;
        if (council__prepare(c, j == 0 ? "DELETE FROM key_wrap WHERE case_id = ?1 AND "
                                               "scope = ?2 AND version < ?3;"
                                             : "DELETE FROM case_key WHERE case_id = ?1 AND "
                                               "scope = ?2 AND version < ?3;", &st) != SQLITE_OK ||
            sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int64(st, 3, version) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
            rc = council__db_err(c, op);
        council__finalize(c, st);
    }
    return rc;
}

