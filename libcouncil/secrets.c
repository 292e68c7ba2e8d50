/*
 * secrets.c - the council's stored secrets (domain): the pseudonym key and
 * the blind-index key, wrapped with XChaCha20-Poly1305 under subkey
 * "cncl-sec" of the root key, and sealed to each active member's box key
 * (once the key directory vouches for it) so its staff sessions have them.
 *
 * Tables: secret, member_secret.
 */
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council_int.h"
#include "crypto.h"
#include "sql.h"
#include "keydir.h"
#include "secrets.h"
#include "buf.h"
#include "store.h"

/* ---------------------------------------------------------- stored secrets */

static const char *const secret_names[] = { "psn", "bix" };
#define N_SECRETS (sizeof secret_names / sizeof secret_names[0])

static council__secret *secret_slot(council *c, size_t i)
{
    return i == 0 ? &c->psn : &c->bix;
}

/* The wrap key of stored secrets and its id (which root key made it). */
static int secrets_key(council *c, uint8_t key[32], uint8_t id[COUNCIL_ID_BYTES])
{
    static const char label[] = "council/secret-wrap-id";
    int rc = council__kdf(c, key, 32, &c->root, 1, COUNCIL__CTX_SECRETS);

    if (rc == COUNCIL_OK)
        crypto_generichash(id, COUNCIL_ID_BYTES, (const uint8_t *)label, sizeof label, key, 32);
    return rc;
}

static size_t secret_ad(uint8_t *ad, const council *c, const char *name)
{
    static const char label[] = "council/secret";
    uint8_t *p = ad;

    p = council__put_bytes(p, label, sizeof label);
    p = council__put_bytes(p, c->council_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, name, strlen(name) + 1);
    return (size_t)(p - ad);
}

/* Member-sealed copies: council_id || member_id || name (8 bytes) || secret. */
#define MSEAL_PT (COUNCIL_ID_BYTES * 2 + 8 + COUNCIL__KEY_BYTES)
#define MSEAL_CT (MSEAL_PT + crypto_box_SEALBYTES)

static void mseal_bind(uint8_t *p, const council *c, const uint8_t member[COUNCIL_ID_BYTES],
                       const char *name)
{
    memset(p, 0, COUNCIL_ID_BYTES * 2 + 8);
    memcpy(p, c->council_id, COUNCIL_ID_BYTES);
    memcpy(p + COUNCIL_ID_BYTES, member, COUNCIL_ID_BYTES);
    memcpy(p + 2 * COUNCIL_ID_BYTES, name, strlen(name));
}

int council__secrets_seal_to(council *c, const uint8_t member[COUNCIL_ID_BYTES], const uint8_t pk[32])
{
    int rc = council__sql_exec1(c, "keys", "DELETE FROM member_secret WHERE member_id = ?1;",
                                member, COUNCIL_ID_BYTES, NULL, 0);

    for (size_t i = 0; rc == COUNCIL_OK && i < N_SECRETS; i++) {
        council__secret *s = secret_slot(c, i);
        uint8_t pt[MSEAL_PT], ct[MSEAL_CT];
        sqlite3_stmt *st = NULL;

        mseal_bind(pt, c, member, secret_names[i]);
        council__secret_read(s);
        memcpy(pt + MSEAL_PT - COUNCIL__KEY_BYTES, s->p, COUNCIL__KEY_BYTES);
        council__secret_lock(s);
        if (crypto_box_seal(ct, pt, sizeof pt, pk) != 0)
            rc = council__fail(c, COUNCIL_EINVAL, "keys: a member's box key is not valid");
        sodium_memzero(pt, sizeof pt);
        if (rc == COUNCIL_OK &&
            (council__prepare(c, "INSERT INTO member_secret (member_id, name, box_pk, "
                                       "sealed) VALUES (?1, ?2, ?3, ?4);", &st) != SQLITE_OK ||
             sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
             sqlite3_bind_text(st, 2, secret_names[i], -1, SQLITE_STATIC) != SQLITE_OK ||
             sqlite3_bind_blob(st, 3, pk, 32, SQLITE_STATIC) != SQLITE_OK ||
             sqlite3_bind_blob(st, 4, ct, sizeof ct, SQLITE_STATIC) != SQLITE_OK ||
             sqlite3_step(st) != SQLITE_DONE))
            rc = council__fail(c, COUNCIL_EIO, "keys: cannot store a sealed secret");
        council__finalize(c, st);
    }
    return rc;
}

/* Secret i wrapped under wkey (id wid) into the secret table. */
static int store_secret(council *c, size_t i, const uint8_t wkey[32],
                        const uint8_t wid[COUNCIL_ID_BYTES])
{
    council__secret *s = secret_slot(c, i);
    uint8_t nonce[COUNCIL__NONCE_BYTES], ct[COUNCIL__KEY_BYTES + COUNCIL__TAG_BYTES], ad[128];
    size_t adl = secret_ad(ad, c, secret_names[i]);
    sqlite3_stmt *st = NULL;
    int rc;

    randombytes_buf(nonce, sizeof nonce);
    council__secret_read(s);
    rc = council__aead_seal(c, ct, sizeof ct, s->p, s->len, ad, adl, nonce, wkey);
    council__secret_lock(s);
    if (rc == COUNCIL_OK &&
        (council__prepare(c, "INSERT OR REPLACE INTO secret (name, wrap_id, nonce, ct) "
                                   "VALUES (?1, ?2, ?3, ?4);", &st) != SQLITE_OK ||
         sqlite3_bind_text(st, 1, secret_names[i], -1, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, wid, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 3, nonce, sizeof nonce, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 4, ct, sizeof ct, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__fail(c, COUNCIL_EIO, "keys: cannot store a secret");
    council__finalize(c, st);
    return rc;
}

/* Root: load (or make) the stored secrets wrapped under this root key. */
int council__secrets_root_load(council *c)
{
    uint8_t wkey[32], wid[COUNCIL_ID_BYTES], ad[128];
    int rc = secrets_key(c, wkey, wid);

    for (size_t i = 0; rc == COUNCIL_OK && i < N_SECRETS; i++) {
        council__secret *s = secret_slot(c, i);
        sqlite3_stmt *st = NULL;
        size_t adl = secret_ad(ad, c, secret_names[i]);
        int src;

        council__secret_free(s);
        if ((rc = council__secret_alloc(s, COUNCIL__KEY_BYTES)) != COUNCIL_OK) {
            rc = council__fail(c, rc, "keys: out of secure memory");
            break;
        }
        if (council__prepare(c, "SELECT nonce, ct FROM secret WHERE name = ?1 AND "
                                      "wrap_id = ?2;", &st) != SQLITE_OK ||
            sqlite3_bind_text(st, 1, secret_names[i], -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_blob(st, 2, wid, sizeof wid, SQLITE_STATIC) != SQLITE_OK) {
            council__finalize(c, st);
            rc = council__fail(c, COUNCIL_EIO, "keys: database error");
            break;
        }
        src = sqlite3_step(st);
        if (src == SQLITE_ROW) {
            if (sqlite3_column_bytes(st, 0) != COUNCIL__NONCE_BYTES ||
                sqlite3_column_bytes(st, 1) != COUNCIL__KEY_BYTES + COUNCIL__TAG_BYTES)
                rc = council__fail(c, COUNCIL_EAUTH, "keys: a stored secret is damaged");
            else
                rc = council__aead_open(c, s->p, s->len, sqlite3_column_blob(st, 1),
                                        COUNCIL__KEY_BYTES + COUNCIL__TAG_BYTES, ad, adl,
                                        sqlite3_column_blob(st, 0), wkey);
            council__finalize(c, st);
            council__secret_lock(s);
            continue;
        }
        council__finalize(c, st);
        if (src != SQLITE_DONE) {
            rc = council__fail(c, COUNCIL_EIO, "keys: database error");
            break;
        }
        /* First use: the pseudonym key keeps its first value (subkey of
         * the root key, as before stored secrets); the blind-index key is
         * random. */
        if (i == 0)
            rc = council__kdf(c, s->p, s->len, &c->root, 1, COUNCIL__CTX_PSEUDONYM);
        else
            randombytes_buf(s->p, s->len);
        council__secret_lock(s);
        if (rc == COUNCIL_OK)
            rc = store_secret(c, i, wkey, wid);
    }
    /* Rows wrapped under an earlier root key are left from a rotation. */
    if (rc == COUNCIL_OK)
        rc = council__sql_exec1(c, "keys", "DELETE FROM secret WHERE wrap_id != ?1;", wid,
                                sizeof wid, NULL, 0);
    sodium_memzero(wkey, sizeof wkey);
    return rc;
}

int council__secrets_rewrap(council *c, const council__secret *new_root)
{
    council__secret saved = c->root;
    uint8_t wkey[32], wid[COUNCIL_ID_BYTES];
    int rc;

    c->root = *new_root;
    rc = secrets_key(c, wkey, wid);
    c->root = saved;
    for (size_t i = 0; rc == COUNCIL_OK && i < N_SECRETS; i++)
        rc = store_secret(c, i, wkey, wid);
    sodium_memzero(wkey, sizeof wkey);
    return rc;
}

/* Root: every active member with keys has the secrets sealed to its
 * current key; nobody else has any. The caller names the active members
 * (member.c's register); council__secrets_prune first, then
 * council__secrets_member for each. */
int council__secrets_prune(council *c, const uint8_t *ids, size_t n)
{
    sqlite3_stmt *st = NULL;
    uint8_t *gone = NULL;
    size_t n_gone = 0, cap = 0;
    int rc = COUNCIL_OK, src;

    if (council__prepare(c, "SELECT DISTINCT member_id FROM member_secret;", &st) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "keys: database error");
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const uint8_t *id = sqlite3_column_blob(st, 0);
        int len = sqlite3_column_bytes(st, 0);
        bool keep = false;
        for (size_t i = 0; !keep && len == COUNCIL_ID_BYTES && i < n; i++)
            keep = memcmp(ids + i * COUNCIL_ID_BYTES, id, COUNCIL_ID_BYTES) == 0;
        if (keep || len != COUNCIL_ID_BYTES)
            continue;
        if (n_gone == cap) {
            uint8_t *ng = council__grow(gone, &cap, n_gone, COUNCIL_ID_BYTES);
            if (ng == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "keys: out of memory");
                break;
            }
            gone = ng;
        }
        memcpy(gone + n_gone++ * COUNCIL_ID_BYTES, id, COUNCIL_ID_BYTES);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "keys: database error");
    council__finalize(c, st);
    /* Rows whose member_id is not an id at all go as well. */
    if (rc == COUNCIL_OK)
        rc = council__sql_exec1(c, "keys", "DELETE FROM member_secret WHERE length(member_id) IS "
                                "NOT 16 OR typeof(member_id) != 'blob';", NULL, 0, NULL, 0);
    for (size_t i = 0; rc == COUNCIL_OK && i < n_gone; i++)
        rc = council__secrets_drop(c, "keys", gone + i * COUNCIL_ID_BYTES);
    council__free(gone);
    return rc;
}

int council__secrets_member(council *c, const uint8_t member[COUNCIL_ID_BYTES], const uint8_t pk[32])
{
    sqlite3_stmt *st = NULL;
    int n = 0;
    int rc = council__sql_exec1(c, "keys", "DELETE FROM member_secret WHERE member_id = ?1 AND "
                                "box_pk != ?2;", member, COUNCIL_ID_BYTES, pk, 32);

    if (rc != COUNCIL_OK)
        return rc;
    if (council__prepare(c, "SELECT count(*) FROM member_secret WHERE member_id = ?1;",
                           &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        rc = council__fail(c, COUNCIL_EIO, "keys: database error");
    else
        n = sqlite3_column_int(st, 0);
    council__finalize(c, st);
    if (rc != COUNCIL_OK || n == 2)
        return rc;
    /* Only to a key the council signed (fails closed for that member). */
    if (council__member_key_check(c, "keys", member, pk) != COUNCIL_OK) {
        council__clear(c);
        return COUNCIL_OK;
    }
    return council__secrets_seal_to(c, member, pk);
}

int council__secrets_drop(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES])
{
    return council__sql_exec1(c, op, "DELETE FROM member_secret WHERE member_id = ?1;", member,
                              COUNCIL_ID_BYTES, NULL, 0);
}

/* A staff session: its member's sealed copies, opened with its box key.
 * Copies that do not open or name another member are left unloaded (case
 * calls then say the secretariat has not provided them). */
int council__secrets_staff_load(council *c)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src, found = 0;

    if (council__prepare(c, "SELECT name, sealed FROM member_secret WHERE member_id = ?1 "
                                  "AND box_pk = ?2;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, c->actor_member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, c->actor_box_pk, 32, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "open: database error");
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        uint8_t pt[MSEAL_PT], want[COUNCIL_ID_BYTES * 2 + 8];
        size_t i;
        int ok;

        for (i = 0; i < N_SECRETS; i++)
            if (name != NULL && strcmp(name, secret_names[i]) == 0)
                break;
        if (i == N_SECRETS || sqlite3_column_bytes(st, 1) != MSEAL_CT)
            continue;
        council__secret_read(&c->actor_box_sk);
        ok = crypto_box_seal_open(pt, sqlite3_column_blob(st, 1), MSEAL_CT, c->actor_box_pk,
                                  c->actor_box_sk.p);
        council__secret_lock(&c->actor_box_sk);
        mseal_bind(want, c, c->actor_member, secret_names[i]);
        if (ok != 0 || sodium_memcmp(pt, want, sizeof want) != 0) {
            sodium_memzero(pt, sizeof pt);
            continue; /* not ours: left unloaded, case calls will say so */
        }
        council__secret *s = secret_slot(c, i);
        council__secret_free(s);
        if ((rc = council__secret_alloc(s, COUNCIL__KEY_BYTES)) != COUNCIL_OK)
            rc = council__fail(c, rc, "open: out of secure memory");
        else {
            memcpy(s->p, pt + sizeof want, COUNCIL__KEY_BYTES);
            council__secret_lock(s);
            found++;
        }
        sodium_memzero(pt, sizeof pt);
    }
    council__finalize(c, st);
    (void)found;
    /* A read that failed is EIO, not a session without its keys. */
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "open: cannot read the sealed keys");
    return rc;
}
