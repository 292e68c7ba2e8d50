/*
 * rekey.c - replacing the database key and the root key.
 *
 * Database key: council.db is re-keyed by SQLCipher (sqlite3_rekey) to the
 * next key version. Crash safety comes from the keyring: before the
 * database changes, the keyring names the new version and keeps the old
 * key (pending_db_key, wrapped under its root key); after, the mark is
 * cleared. An open that finds the mark and cannot open council.db with the
 * new key opens it with the old one and finishes (council__rekey_resume).
 *
 * Root key: a new root key; the stored secrets and the coordinating body's
 * wraps are added under it first (old ones stay until the switch is
 * complete), then the keyring switches in one atomic write (new root wrap,
 * log key rewrapped, journal key, member database keys, pending old
 * database key), then the database is re-keyed, then the leftovers under
 * the old root are removed.
 */
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/keyring.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "crypto.h"
#include "journal.h"
#include "keyring.h"
#include "session.h"
#include "store.h"
#include "casekey.h"
#include "rekey.h"
#include "member.h"
#include "keydir.h"
#include "secrets.h"
#include "member_db.h"
#include "event.h"
#include "memo.h"

#define AD_PENDING_BYTES (sizeof "council/keyring/pending-db" + COUNCIL_ID_BYTES)

static size_t pending_ad(uint8_t *ad, const uint8_t council_id[COUNCIL_ID_BYTES])
{
    uint8_t *p = council__put_bytes(ad, "council/keyring/pending-db", sizeof "council/keyring/pending-db");
    p = council__put_bytes(p, council_id, COUNCIL_ID_BYTES);
    return (size_t)(p - ad);
}

/* Wrap or unwrap the pending (old) database key under root's subkey. */
static int pending_wrap(council *c, council__keyring *kr, const council__secret *root,
                        const uint8_t key[COUNCIL__KEY_BYTES])
{
    uint8_t wk[COUNCIL__KEY_BYTES], ad[AD_PENDING_BYTES];
    int rc = council__kdf(c, wk, sizeof wk, root, 1, COUNCIL__CTX_PENDING);

    randombytes_buf(kr->pending_nonce, sizeof kr->pending_nonce);
    if (rc == COUNCIL_OK)
        rc = council__aead_seal(c, kr->pending_ct, sizeof kr->pending_ct, key, COUNCIL__KEY_BYTES,
                                ad, pending_ad(ad, kr->council_id), kr->pending_nonce, wk);
    kr->has_pending = rc == COUNCIL_OK;
    sodium_memzero(wk, sizeof wk);
    return rc;
}

static int pending_unwrap(council *c, const council__keyring *kr, const council__secret *root,
                          uint8_t key[COUNCIL__KEY_BYTES])
{
    uint8_t wk[COUNCIL__KEY_BYTES], ad[AD_PENDING_BYTES];
    int rc = council__kdf(c, wk, sizeof wk, root, 1, COUNCIL__CTX_PENDING);

    if (rc == COUNCIL_OK)
        rc = council__aead_open(c, key, COUNCIL__KEY_BYTES, kr->pending_ct, sizeof kr->pending_ct,
                                ad, pending_ad(ad, kr->council_id), kr->pending_nonce, wk);
    sodium_memzero(wk, sizeof wk);
    return rc;
}

static int db_rekey(council *c, const char *op, const uint8_t key[COUNCIL__KEY_BYTES])
{
    char raw[2 * COUNCIL__KEY_BYTES + 4]; /* x'<hex>': SQLCipher's raw-key form */
    int src;

    raw[0] = 'x';
    raw[1] = '\'';
    sodium_bin2hex(raw + 2, 2 * COUNCIL__KEY_BYTES + 1, key, COUNCIL__KEY_BYTES);
    raw[2 + 2 * COUNCIL__KEY_BYTES] = '\'';
    raw[3 + 2 * COUNCIL__KEY_BYTES] = '\0';
    /* sqlite3_rekey, not PRAGMA rekey: the key never becomes SQL text. */
    src = sqlite3_rekey(c->db, raw, (int)(sizeof raw - 1));
    sodium_memzero(raw, sizeof raw);
    if (src != SQLITE_OK)
        return council__fail(c, COUNCIL_EIO, "%s: SQLCipher could not re-key council.db", op);
    /* The re-keyed pages leave the write-ahead log. */
    (void)sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    return COUNCIL_OK;
}

/* Every member entry of kr sealed again to its box key from the registry,
 * with the key of kr->db_key_version under c->root. */
static int reseal_members(council *c, council__keyring *kr)
{
    for (size_t i = 0; i < kr->n_members; i++) {
        uint8_t pk[32];
        bool have = false;
        int rc;

        /* A read that fails stops the re-key (the keyring is not written):
         * nobody loses its copy for an I/O error. */
        if ((rc = council__member_box_pk(c, "rekey", kr->members[i].member_id, pk, &have)) !=
            COUNCIL_OK)
            return rc;
        /* Only to an active member and a key as the council signed them
         * (a withdrawal undone in the row by an insider, with an old key
         * signature put back, gets nothing); otherwise the member loses its
         * copy (fails closed, the finding on the record). */
        if (have && (rc = council__member_check(c, "rekey", kr->members[i].member_id)) != COUNCIL_OK) {
            if (rc != COUNCIL_EAUTH && rc != COUNCIL_ETAMPER)
                return rc;
            council__clear(c);
            have = false;
        }
        if (have &&
            (rc = council__member_key_check(c, "rekey", kr->members[i].member_id, pk)) != COUNCIL_OK) {
            if (rc != COUNCIL_EAUTH)
                return rc;
            council__clear(c);
            have = false;
        }
        /* One entry a member: a second (left by a key replacement cut
         * short, see member.c) goes, the first is sealed again. */
        for (size_t j = i + 1; j < kr->n_members; j++)
            if (memcmp(kr->members[j].member_id, kr->members[i].member_id, COUNCIL_ID_BYTES) == 0) {
                memmove(&kr->members[j], &kr->members[j + 1],
                        (kr->n_members - j - 1) * sizeof kr->members[0]);
                kr->n_members--;
                j--;
            }
        if (!have) {
            council__keyring_drop_member(kr, kr->members[i].member_id);
            i--;
            continue;
        }
        if ((rc = council__keyring_seal_member(c, kr, kr->members[i].member_id, pk)) != COUNCIL_OK)
            return rc;
    }
    return COUNCIL_OK;
}

static int clear_pending(council *c, council__keyring *kr, void *ctx)
{
    (void)c;
    (void)ctx;
    kr->has_pending = false;
    sodium_memzero(kr->pending_ct, sizeof kr->pending_ct);
    return COUNCIL_OK;
}

int council__rekey_resume(council *c, council__keyring *kr)
{
    uint8_t old[COUNCIL__KEY_BYTES], key[COUNCIL__KEY_BYTES];
    int rc = COUNCIL_OK;

    if (c->db == NULL) {
        /* council.db still has the old key: open with it and re-key. */
        if (pending_unwrap(c, kr, &c->root, old) != COUNCIL_OK)
            return council__fail(c, COUNCIL_EAUTH, "open: the database key does not open council.db");
        rc = council__store_open_key(c, c->dir, NULL, 0, old, false);
        sodium_memzero(old, sizeof old);
        if (rc == COUNCIL_OK)
            rc = council__kdf(c, key, sizeof key, &c->root, kr->db_key_version, COUNCIL__CTX_DATABASE);
        if (rc == COUNCIL_OK)
            rc = db_rekey(c, "open", key);
        sodium_memzero(key, sizeof key);
        if (rc == COUNCIL_OK)
            c->db_key_version = kr->db_key_version;
    }
    if (rc == COUNCIL_OK)
        rc = council__keyring_update(c, clear_pending, NULL);
    if (rc == COUNCIL_OK) {
        kr->has_pending = false;
        council__clear(c);
    }
    return rc;
}

static void key_event(council *c, const char *reason, int rc)
{
    const council__event ev = {
        .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_KEY_ROTATED,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
        .outcome = rc == COUNCIL_OK ? COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
                                    : COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
        .error = rc,
        .reason = reason,
    };
    (void)council__audit_append(c, &ev);
}

/* ------------------------------------------------------------ database key */

struct db_ctx {
    uint32_t version; /* the version the keyring had when we started */
};

static int start_db_rekey(council *c, council__keyring *kr, void *ctx)
{
    const struct db_ctx *d = ctx;
    uint8_t old[COUNCIL__KEY_BYTES];
    int rc;

    if (kr->db_key_version != d->version || kr->has_pending)
        return council__fail(c, COUNCIL_EIO, "rekey_database: another re-key is under way");
    rc = council__kdf(c, old, sizeof old, &c->root, kr->db_key_version, COUNCIL__CTX_DATABASE);
    if (rc == COUNCIL_OK)
        rc = pending_wrap(c, kr, &c->root, old);
    sodium_memzero(old, sizeof old);
    if (rc == COUNCIL_OK) {
        kr->db_key_version++;
        rc = reseal_members(c, kr);
    }
    return rc;
}

int council_rekey_database(council *c)
{
    static const char op[] = "rekey_database";
    council__keyring *kr;
    uint8_t key[COUNCIL__KEY_BYTES];
    struct db_ctx d;
    int rc;

    if ((rc = council__root_key_only(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if ((kr = council__malloc(sizeof *kr)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    rc = council__keyring_load(c, kr, c->dir);
    d.version = kr->db_key_version;
    sodium_memzero(kr, sizeof *kr);
    council__free(kr);
    if (rc != COUNCIL_OK)
        return rc;
    if (d.version == UINT32_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "%s: no key versions left", op);
    /* Log first. */
    {
        const council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_KEY_ROTATED,
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
            .reason = "database_rekeyed",
        };
        if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK)
            return rc;
    }
    rc = council__keyring_update(c, start_db_rekey, &d);
    if (rc == COUNCIL_OK)
        rc = council__kdf(c, key, sizeof key, &c->root, d.version + 1, COUNCIL__CTX_DATABASE);
    if (rc == COUNCIL_OK && (rc = db_rekey(c, op, key)) == COUNCIL_OK)
        c->db_key_version = d.version + 1;
    sodium_memzero(key, sizeof key);
    if (rc == COUNCIL_OK)
        rc = council__keyring_update(c, clear_pending, NULL);
    if (rc != COUNCIL_OK)
        key_event(c, "database_rekey_failed", rc);
    else
        council__clear(c);
    return rc;
}

/* ---------------------------------------------------------------- root key */

struct root_ctx {
    const council__secret *new_root;
    const uint8_t *pass;
    size_t pass_len;
    uint64_t ops, mem;
    uint32_t new_version;
};

static int switch_root(council *c, council__keyring *kr, void *ctx)
{
    struct root_ctx *r = ctx;
    council__secret old_root = c->root, jsk = { NULL, 0 };
    uint8_t old[COUNCIL__KEY_BYTES];
    int rc;

    if (kr->has_pending)
        return council__fail(c, COUNCIL_EIO, "rekey_root: a database re-key is under way");
    /* The key council.db has now, kept under the new root until re-keyed. */
    rc = council__kdf(c, old, sizeof old, &c->root, kr->db_key_version, COUNCIL__CTX_DATABASE);
    c->root = *r->new_root;
    if (rc == COUNCIL_OK)
        rc = pending_wrap(c, kr, &c->root, old);
    sodium_memzero(old, sizeof old);
    if (rc == COUNCIL_OK && kr->db_key_version == UINT32_MAX)
        rc = council__fail(c, COUNCIL_ELIMIT, "rekey_root: no key versions left");
    if (rc == COUNCIL_OK) {
        kr->db_key_version++;
        r->new_version = kr->db_key_version;
        rc = reseal_members(c, kr);
    }
    if (rc == COUNCIL_OK && r->pass != NULL)
        rc = council__keyring_wrap_root(c, kr, &c->root, r->pass, r->pass_len, r->ops, r->mem);
    if (rc == COUNCIL_OK)
        rc = council__keyring_wrap_log(c, kr, &c->root, &c->log_sk);
    if (rc == COUNCIL_OK && (rc = council__journal_keypair(c, kr->journal_pk, &jsk)) == COUNCIL_OK)
        kr->has_journal_pk = true;
    council__secret_free(&jsk);
    c->root = old_root;
    return rc;
}

int council_rekey_root(council *c, const uint8_t *new_pass, size_t new_pass_len,
                       const uint8_t *new_root_key, size_t new_root_key_len, uint64_t ops,
                       uint64_t mem)
{
    static const char op[] = "rekey_root";
    council__secret nr = { NULL, 0 };
    uint8_t key[COUNCIL__KEY_BYTES], ncpk[32];
    struct root_ctx r;
    bool passphrase;
    int rc;

    if ((rc = council__root_key_only(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    passphrase = c->root_source == COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_PASSPHRASE;
    if (passphrase && (new_pass == NULL || new_pass_len == 0 ||
                       new_pass_len > COUNCIL_PASSPHRASE_MAX || new_root_key != NULL))
        return council__fail(c, COUNCIL_EINVAL, "%s: this council's root key is kept under a "
                             "passphrase: give a new passphrase of 1..%d bytes", op,
                             COUNCIL_PASSPHRASE_MAX);
    if (!passphrase && (new_root_key == NULL || new_root_key_len != COUNCIL_ROOT_KEY_BYTES ||
                        new_pass != NULL))
        return council__fail(c, COUNCIL_EINVAL, "%s: this council's root key is the integrator's: "
                             "give a new %d-byte root key", op, COUNCIL_ROOT_KEY_BYTES);
    if (passphrase && (rc = council__kdf_cost(c, op, &ops, &mem)) != COUNCIL_OK)
        return rc;
    /* Nothing may stay sealed to the old journal key. */
    if ((rc = council__journal_import(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__secret_alloc(&nr, COUNCIL__KEY_BYTES)) != COUNCIL_OK)
        return council__fail(c, rc, "%s: out of secure memory", op);
    if (passphrase)
        randombytes_buf(nr.p, nr.len);
    else
        memcpy(nr.p, new_root_key, COUNCIL__KEY_BYTES);
    council__secret_lock(&nr);
    council__secret_read(&nr);
    council__secret_read(&c->root);
    if (sodium_memcmp(nr.p, c->root.p, COUNCIL__KEY_BYTES) == 0)
        rc = council__fail(c, COUNCIL_EINVAL, "%s: the new root key is the current one", op);
    council__secret_lock(&c->root);
    council__secret_lock(&nr);
    if (rc != COUNCIL_OK) {
        council__secret_free(&nr);
        return rc;
    }
    /* Log first. */
    {
        const council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_KEY_ROTATED,
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
            .reason = "root_key_rotated",
        };
        if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK) {
            council__secret_free(&nr);
            return rc;
        }
    }
    /* 1. Under the new root too (the old copies stay until the switch). */
    if ((rc = council__audit_batch_begin(c)) == COUNCIL_OK) {
        rc = council__secrets_rewrap(c, &nr);
        if (rc == COUNCIL_OK)
            rc = council__coord_rewrap(c, &nr, ncpk);
        if (rc == COUNCIL_OK)
            rc = council__memo_coord_rewrap(c, ncpk);
        rc = council__finish(c, rc);
    }
    /* 2. The keyring switches in one atomic write. */
    r.new_root = &nr;
    r.pass = passphrase ? new_pass : NULL;
    r.pass_len = new_pass_len;
    r.ops = ops;
    r.mem = mem;
    r.new_version = 0;
    if (rc == COUNCIL_OK)
        rc = council__keyring_update(c, switch_root, &r);
    if (rc != COUNCIL_OK) {
        council__secret_free(&nr);
        key_event(c, "root_key_rotation_failed", rc);
        return rc;
    }
    /* 3. Wraps a staff session made meanwhile for the old coordinating key:
     * again under the new one, then the handle takes the new root. */
    if ((rc = council__audit_batch_begin(c)) == COUNCIL_OK) {
        rc = council__coord_rewrap(c, &nr, ncpk);
        if (rc == COUNCIL_OK)
            rc = council__memo_coord_rewrap(c, ncpk);
        rc = council__finish(c, rc);
    }
    council__secret_free(&c->root);
    c->root = nr;
    /* 4. council.db under the new root's database key. */
    if (rc == COUNCIL_OK)
        rc = council__kdf(c, key, sizeof key, &c->root, r.new_version, COUNCIL__CTX_DATABASE);
    if (rc == COUNCIL_OK && (rc = db_rekey(c, op, key)) == COUNCIL_OK)
        c->db_key_version = r.new_version;
    sodium_memzero(key, sizeof key);
    if (rc == COUNCIL_OK)
        rc = council__keyring_update(c, clear_pending, NULL);
    /* 5. The coordinating key and secrets from the new root; the copies
     * under the old one are removed. */
    if (rc == COUNCIL_OK) {
        council__secret_free(&c->coord_sk);
        rc = council__case_session_init(c);
        if (rc == COUNCIL_OK)
            rc = council__memo_coord_tidy(c);
    }
    /* 6. The role keys hold the coordinating body's key: sealed again with
     * the new one, so the secretariat's and the coordinating body's staff
     * keep their powers (a stale seal reads as a forged one). */
    if (rc == COUNCIL_OK)
        rc = council__member_role_keys(c);
    if (rc != COUNCIL_OK)
        key_event(c, "root_key_rotation_incomplete", rc);
    else
        council__clear(c);
    return rc;
}
