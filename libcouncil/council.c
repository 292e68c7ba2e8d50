/*
 * council.c - the council handle: create, open, close, info, passphrase.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/info.pb-c.h"
#include "council/v1/keyring.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "crypto.h"
#include "journal.h"
#include "keyfile.h"
#include "keyring.h"
#include "note.h"
#include "session.h"
#include "store.h"
#include "text.h"
#include "attest.h"
#include "casekey.h"
#include "consent_db.h"
#include "council_db.h"
#include "meeting.h"
#include "member.h"
#include "member_db.h"
#include "rekey.h"
#include "staff.h"
#include "event.h"
#include "head.h"
#include "policy.h"
#include "share_db.h"
#include "memo.h"
#include "task_db.h"

/* ------------------------------------------------------------- validation */

/* Exactly one credential, each of an acceptable length. */
static int check_credentials(council *c, const char *op, const uint8_t *pass, size_t pass_len,
                             const uint8_t *key, size_t key_len)
{
    if ((pass == NULL) == (key == NULL))
        return council__fail(c, COUNCIL_EINVAL, "%s: give exactly one of passphrase and root_key", op);
    if (pass != NULL && (pass_len == 0 || pass_len > COUNCIL_PASSPHRASE_MAX))
        return council__fail(c, COUNCIL_EINVAL, "%s: passphrase length %zu not in 1..%d",
                             op, pass_len, COUNCIL_PASSPHRASE_MAX);
    if (key != NULL && key_len != COUNCIL_ROOT_KEY_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: root key length %zu, want %d",
                             op, key_len, COUNCIL_ROOT_KEY_BYTES);
    return COUNCIL_OK;
}

static int check_path(council *c, const char *op, const char *path)
{
    size_t n;

    if (path == NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: no store path", op);
    n = strlen(path);
    if (n == 0 || n > PATH_MAX - 32)
        return council__fail(c, COUNCIL_EINVAL, "%s: store path length %zu out of range", op, n);
    return COUNCIL_OK;
}

/* --------------------------------------------------------------- handles */

static council *handle_new(void)
{
    council *c = council__calloc(1, sizeof *c);

    if (c != NULL)
        *c = (council){ .magic = COUNCIL__MAGIC_FAILED, .case_moving = council__task_resign_case };
    return c;
}

/* Close the database and wipe the keys (a failed create or open). */
static void release(council *c)
{
    council__store_close(c);
    council__secret_free(&c->root);
    council__secret_free(&c->log_sk);
    council__secret_free(&c->db_key);
    council__secret_free(&c->journal_seed);
    c->actor_roles = 0;
    council__secret_free(&c->actor_box_sk);
    council__secret_free(&c->actor_sign_sk);
    council__secret_free(&c->coord_sk);
    council__secret_free(&c->psn);
    council__secret_free(&c->bix);
    council__wcache_free(c); /* issue 17, wraps: the session's wrap caches */
    c->coord_valid = false;
    council__free(c->held);
    c->held = NULL;
    c->n_held = 0;
}

void council__shutdown(council *c)
{
    release(c);
    sodium_memzero(c->log_pk, sizeof c->log_pk);
    c->magic = COUNCIL__MAGIC_CLOSED;
}

void council_close(council *c)
{
    if (c == NULL)
        return;
    if (c->magic != COUNCIL__MAGIC_OPEN && c->magic != COUNCIL__MAGIC_FAILED &&
        c->magic != COUNCIL__MAGIC_CLOSED)
        return; /* not ours: touching it could do harm */
    council__shutdown(c);
    council__free(c->dir);
    sodium_memzero(c, sizeof *c);
    council__free(c);
}

/* ----------------------------------------------------------------- create */

static int dir_prepare(council *c, const char *path, bool *made)
{
    struct stat sb;
    DIR *d;
    struct dirent *e;
    bool empty = true;

    *made = false;
    if (mkdir(path, 0700) == 0) {
        *made = true;
        return COUNCIL_OK;
    }
    if (errno != EEXIST)
        return council__fail(c, COUNCIL_EIO, "create: cannot make the store directory (%s)",
                             strerror(errno));
    if (lstat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return council__fail(c, COUNCIL_EEXIST, "create: path exists and is not a directory");
    d = opendir(path);
    if (d == NULL)
        return council__fail(c, COUNCIL_EIO, "create: cannot read the store directory (%s)",
                             strerror(errno));
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            empty = false;
    closedir(d);
    if (!empty)
        return council__fail(c, COUNCIL_EEXIST, "create: the store directory is not empty");
    if (chmod(path, 0700) != 0)
        return council__fail(c, COUNCIL_EIO, "create: cannot restrict the store directory (%s)",
                             strerror(errno));
    return COUNCIL_OK;
}

static void remove_store_files(const char *dir, bool made)
{
    static const char *const names[] = {
        COUNCIL__DB_FILE, COUNCIL__DB_FILE "-wal", COUNCIL__DB_FILE "-shm",
        COUNCIL__DB_FILE "-journal", COUNCIL__KEYRING_FILE, COUNCIL__KEYRING_FILE ".tmp",
        COUNCIL__KEYRING_FILE ".lock",
    };

    /* No allocation here: this runs after out-of-memory failures too. */
    char p[PATH_MAX];

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int n = snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        if (n > 0 && (size_t)n < sizeof p)
            (void)unlink(p);
    }
    if (made)
        (void)rmdir(dir);
}

static int create_in(council *c, const char *path, const council_create_options *o,
                     uint64_t ops, uint64_t mem)
{
    council__keyring kr;
    int rc;

    memset(&kr, 0, sizeof kr);
    council__uuid_random(c->council_id);
    rc = council__secret_alloc(&c->root, COUNCIL__KEY_BYTES);
    if (rc == COUNCIL_OK)
        rc = council__secret_alloc(&c->log_sk, COUNCIL__SIGN_SK_BYTES);
    if (rc != COUNCIL_OK)
        return council__fail(c, rc, "create: out of secure memory");
    if (o->root_key != NULL)
        memcpy(c->root.p, o->root_key, COUNCIL__KEY_BYTES);
    else
        randombytes_buf(c->root.p, c->root.len);
    council__secret_lock(&c->root);
    if (crypto_sign_ed25519_keypair(c->log_pk, c->log_sk.p) != 0)
        return council__fail(c, COUNCIL_ERROR, "create: cannot make the log key");
    council__secret_lock(&c->log_sk);

    kr.format_version = COUNCIL__KEYRING_FORMAT;
    memcpy(kr.council_id, c->council_id, COUNCIL_ID_BYTES);
    kr.created = (int64_t)time(NULL);
    kr.db_key_version = 1;
    memcpy(kr.log_pk, c->log_pk, sizeof kr.log_pk);
    kr.root_source = COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_EXTERNAL;

    rc = council__store_open(c, path, &c->root, kr.db_key_version, true);
    if (rc == COUNCIL_OK)
        rc = council__store_migrate_all(c);
    if (rc == COUNCIL_OK)
        rc = council__council_insert(c, o->name, kr.created);
    if (rc == COUNCIL_OK) {
        const council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_COUNCIL_CREATED,
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
        };
        rc = council__audit_append(c, &ev);
    }
    if (rc == COUNCIL_OK && (rc = council__case_session_init(c)) == COUNCIL_OK)
        rc = council__memo_coord_tidy(c);
    /* Move the first page, and with it the salt, into council.db. */
    if (rc == COUNCIL_OK &&
        sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) != SQLITE_OK)
        rc = council__fail(c, COUNCIL_EIO, "create: cannot checkpoint council.db");
    if (rc == COUNCIL_OK)
        rc = council__store_read_salt(c, path, kr.store_salt);
    if (rc == COUNCIL_OK) {
        council__secret jsk;
        rc = council__journal_keypair(c, kr.journal_pk, &jsk);
        kr.has_journal_pk = rc == COUNCIL_OK;
        council__secret_free(&jsk);
    }
    if (rc == COUNCIL_OK && o->passphrase != NULL)
        rc = council__keyring_wrap_root(c, &kr, &c->root, o->passphrase, o->passphrase_len,
                                        ops, mem);
    if (rc == COUNCIL_OK)
        rc = council__keyring_wrap_log(c, &kr, &c->root, &c->log_sk);
    if (rc == COUNCIL_OK)
        rc = council__keyring_store(c, &kr, path);
    c->root_source = kr.root_source;
    /* The signer keeps its first head now: every row of a new store is
     * signed as it is written, and none is ever signed as found. */
    if (rc == COUNCIL_OK)
        rc = council__audit_head_advance(c);
    return rc;
}

int council_create(council **out, const char *path, const council_create_options *o)
{
    council *c;
    uint64_t ops, mem;
    bool made = false;
    size_t name_len;
    int rc;

    if (out == NULL)
        return COUNCIL_EMISUSE;
    *out = NULL;
    if (council_global_init() != COUNCIL_OK)
        return COUNCIL_ERROR;
    c = handle_new();
    if (c == NULL)
        return COUNCIL_ENOMEM;
    *out = c;
    if (o == NULL || o->version != COUNCIL_CREATE_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "create: options missing or of unknown version");
    if (o->name == NULL || (name_len = strlen(o->name)) == 0 || name_len > COUNCIL_NAME_MAX ||
        !council__text_ok(o->name, name_len))
        return council__fail(c, COUNCIL_EINVAL,
                             "create: name must be 1..%d bytes of UTF-8 text", COUNCIL_NAME_MAX);
    ops = o->kdf_opslimit;
    mem = o->kdf_memlimit;
    if ((rc = check_credentials(c, "create", o->passphrase, o->passphrase_len,
                                o->root_key, o->root_key_len)) != COUNCIL_OK ||
        (o->passphrase != NULL &&
         (rc = council__kdf_cost(c, "create", &ops, &mem)) != COUNCIL_OK) ||
        (rc = check_path(c, "create", path)) != COUNCIL_OK)
        return rc;
    if ((rc = dir_prepare(c, path, &made)) != COUNCIL_OK)
        return rc;
    c->actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT;
    c->dir = council__strdup(path);
    if (c->dir == NULL)
        rc = council__fail(c, COUNCIL_ENOMEM, "create: out of memory");
    else
        rc = create_in(c, path, o, ops, mem);
    if (rc != COUNCIL_OK) {
        release(c);
        remove_store_files(path, made);
        return rc;
    }
    c->magic = COUNCIL__MAGIC_OPEN;
    council__clear(c);
    return COUNCIL_OK;
}

/* ------------------------------------------------------------------- open */

static int add_journal_key(council *c, council__keyring *kr, void *ctx)
{
    council__secret jsk;
    int rc = council__journal_keypair(c, kr->journal_pk, &jsk);

    (void)ctx;
    kr->has_journal_pk = rc == COUNCIL_OK;
    council__secret_free(&jsk);
    return rc;
}

/* The council a session secret was made for (NULL: none given). */
static int want_council(council *c, const uint8_t *want, const uint8_t id[COUNCIL_ID_BYTES])
{
    if (want != NULL && sodium_memcmp(want, id, COUNCIL_ID_BYTES) != 0)
        return council__fail(c, COUNCIL_EAUTH,
                             "open: the session secret belongs to another council");
    return COUNCIL_OK;
}

/* Why the council passphrase is used (open options version 5). */
static bool root_reason_ok(const char *code)
{
    static const char *const codes[] = { "setup", "recovery", "emergency", "key_management" };

    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (strcmp(code, codes[i]) == 0)
            return true;
    return false;
}

static int open_in(council *c, const char *path, const council_open_options *o,
                   const uint8_t *want, const char *reason, const char *note)
{
    council__keyring kr;
    uint8_t salt[COUNCIL__SALT_BYTES];
    char id[37];
    int rc;

    rc = council__keyring_load(c, &kr, path);
    if (rc != COUNCIL_OK)
        return rc;
    memcpy(c->council_id, kr.council_id, COUNCIL_ID_BYTES);
    memcpy(c->log_pk, kr.log_pk, sizeof c->log_pk);
    c->root_source = kr.root_source;
    council__uuid_text(id, kr.council_id);
    if ((rc = want_council(c, want, kr.council_id)) != COUNCIL_OK) {
        sodium_memzero(&kr, sizeof kr);
        return rc;
    }
    if (o->passphrase != NULL &&
        kr.root_source != COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_PASSPHRASE)
        return council__fail(c, COUNCIL_EINVAL,
                             "open: council %s takes the integrator's root key, not a passphrase", id);
    /* A session secret holds the root key whichever way it is protected. */
    if (o->root_key != NULL && want == NULL &&
        kr.root_source != COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_EXTERNAL)
        return council__fail(c, COUNCIL_EINVAL,
                             "open: council %s is passphrase-protected; give the passphrase", id);
    /* Bound to one database file: a keyring copied from another council is
     * refused before any key derivation runs. */
    rc = council__store_read_salt(c, path, salt);
    if (rc != COUNCIL_OK)
        return rc;
    if (sodium_memcmp(salt, kr.store_salt, sizeof salt) != 0)
        return council__fail(c, COUNCIL_EAUTH,
                             "open: keyring of council %s does not belong to this council.db", id);

    rc = council__secret_alloc(&c->root, COUNCIL__KEY_BYTES);
    if (rc == COUNCIL_OK)
        rc = council__secret_alloc(&c->log_sk, COUNCIL__SIGN_SK_BYTES);
    if (rc != COUNCIL_OK)
        return council__fail(c, rc, "open: out of secure memory");
    if (o->passphrase != NULL) {
        rc = council__keyring_unwrap_root(c, &kr, &c->root, o->passphrase, o->passphrase_len);
    } else {
        memcpy(c->root.p, o->root_key, COUNCIL__KEY_BYTES);
        council__secret_lock(&c->root);
    }
    if (rc == COUNCIL_OK)
        rc = council__keyring_unwrap_log(c, &kr, &c->root, &c->log_sk);
    c->db_saw_rekey = kr.has_pending;
    if (rc == COUNCIL_OK)
        rc = council__store_open(c, path, &c->root, kr.db_key_version, false);
    /* A database re-key that did not finish: the old key still opens it. */
    if (rc == COUNCIL_EAUTH && kr.has_pending) {
        council__store_close(c);
        rc = council__rekey_resume(c, &kr);
    } else if (rc == COUNCIL_OK && kr.has_pending) {
        /* The database was re-keyed but the mark not cleared: clear it. */
        rc = council__rekey_resume(c, &kr);
    }
    if (rc == COUNCIL_OK)
        rc = council__store_migrate_all(c);
    if (rc == COUNCIL_OK)
        rc = council__council_check(c);
    if (rc == COUNCIL_OK) {
        /* Every session is on the record before it can do anything; a
         * use of the council passphrase with its reason (the code in the
         * event, the written reason beside it, in the same transaction). */
        const council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_OPENED,
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
            .reason = reason != NULL ? reason : "undeclared",
        };
        uint64_t n = 0;
        if ((rc = council__audit_batch_begin(c)) == COUNCIL_OK) {
            rc = council__audit_append(c, &ev);
            if (rc == COUNCIL_OK && reason != NULL && (rc = council__audit_size(c, &n)) == COUNCIL_OK)
                rc = council__council_root_use(c, n - 1, reason, note);
            rc = rc == COUNCIL_OK ? council__audit_batch_commit(c)
                                  : (council__audit_batch_rollback(c), rc);
        }
    }
    /* The journal key is derived from the root key: a keyring without it,
     * or with another (edited: no wrap authenticates it), is repaired, and
     * an edit is put on the record. Then the journaled staff refusals
     * (those before the store could be opened) are imported. */
    if (rc == COUNCIL_OK) {
        uint8_t pk[32];
        council__secret jsk;
        rc = council__journal_keypair(c, pk, &jsk);
        council__secret_free(&jsk);
        if (rc == COUNCIL_OK && (!kr.has_journal_pk || sodium_memcmp(pk, kr.journal_pk, 32) != 0)) {
            rc = council__keyring_update(c, add_journal_key, NULL);
            if (rc == COUNCIL_OK && kr.has_journal_pk) {
                const council__event ev = {
                    .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_KEY_ROTATED,
                    .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_SYSTEM,
                    .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
                    .reason = "journal_key_restored",
                };
                rc = council__audit_append(c, &ev);
            }
        }
    }
    if (rc == COUNCIL_OK)
        rc = council__journal_import(c);
    /* The first session since the log head was kept (a store from before
     * signed rows): its rows are signed once, as they are (casekey.c). */
    if (rc == COUNCIL_OK) {
        bool kept = false;
        /* Not when the log key's wrap says a head is kept: the head was
         * dropped from the file, which head_advance puts on the record. */
        if ((rc = council__audit_head_kept(c, &kept)) == COUNCIL_OK)
            c->upgrading = kr.log_head_len == 0 && !c->log_headed && !kept;
    }
    if (rc == COUNCIL_OK && (rc = council__case_session_init(c)) == COUNCIL_OK)
        rc = council__memo_coord_tidy(c);
    /* The role keys follow the register (a store from before has none).
     * The council passphrase is the way back: a failure here (say, a store
     * from before with more role holders than the keyring holds role keys
     * for) does not keep it out; the role holders' staff then act without
     * the role's powers until the register is put right. */
    if (rc == COUNCIL_OK && council__member_role_keys(c) != COUNCIL_OK)
        council__clear(c);
    if (rc == COUNCIL_OK && c->upgrading) {
        if ((rc = council__audit_batch_begin(c)) == COUNCIL_OK) {
            if ((rc = council__member_upgrade(c)) == COUNCIL_OK &&
                (rc = council__staff_upgrade(c)) == COUNCIL_OK &&
                (rc = council__meeting_upgrade(c)) == COUNCIL_OK &&
                (rc = council__consent_upgrade(c)) == COUNCIL_OK &&
                (rc = council__share_upgrade(c)) == COUNCIL_OK)
                rc = council__policy_upgrade(c);
            rc = council__finish(c, rc);
        }
    }
    /* A withdrawal or key replacement whose keyring step failed after its
     * commit finishes (after the upgrade: it trusts signed rows only). */
    if (rc == COUNCIL_OK && council__member_drop_withdrawn(c) != COUNCIL_OK)
        council__clear(c);
    /* The signer's head follows the log this session found: whatever is
     * dropped from here on is caught at the next checkpoint. A log that no
     * longer extends it is put on the record and refused at the next
     * checkpoint; the session itself goes on, so the secretariat can act. */
    if (rc == COUNCIL_OK && council__audit_head_advance(c) != COUNCIL_OK)
        council__clear(c);
    sodium_memzero(&kr, sizeof kr);
    return rc;
}

/* ---------------------------------------------------------- staff sessions */

/* Refuse a staff session inside the store: logged, then EDENIED. */
static int refuse_staff(council *c, const uint8_t member[COUNCIL_ID_BYTES],
                        const uint8_t staff[COUNCIL_ID_BYTES], const char *reason, const char *why)
{
    const council__event ev = {
        .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_REFUSED,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF,
        .actor_member = member,
        .actor_staff = staff,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
        .error = COUNCIL_EDENIED,
        .reason = reason,
    };
    int rc = council__audit_append(c, &ev);

    if (rc != COUNCIL_OK)
        return rc; /* not even the refusal could be logged */
    return council__fail(c, COUNCIL_EDENIED, "open: session refused: %s", why);
}

/* The staff session's standing hook (c->standing), installed at its open. */
static int standing(council *c, const char *op)
{
    const char *reason = NULL, *why = NULL;
    int rc;

    rc = council__staff_standing(c, c->actor_member, c->actor_staff, c->actor_box_pk, &reason, &why);
    /* The roles as the signed register says now (its row was just checked):
     * a role taken away ends the powers it gave at once. */
    if (rc == COUNCIL_OK && reason == NULL)
        rc = council__member_roles(c, op, c->actor_member, &c->actor_roles);
    if (rc != COUNCIL_OK)
        return rc;
    if (reason != NULL) {
        /* From now on this handle refuses everything (EMISUSE), keeping
         * the reason as its message. */
        (void)refuse_staff(c, c->actor_member, c->actor_staff, reason, why);
        release(c);
        c->magic = COUNCIL__MAGIC_FAILED;
        return council__fail(c, COUNCIL_EDENIED, "%s: refused: %s", op, why);
    }
    return COUNCIL_OK;
}

/* A staff session of a member in the secretariat's or the coordinating
 * body's role: the role keys sealed to the member, each checked against
 * what the session trusts (the log key against the keyring's, which the
 * keyfile pinned; the coordinating body's against its signed public key).
 * A seal that does not open, or holds other keys, is an insider's: on the
 * record, and the session goes on without the role's powers. */
static int staff_roles(council *c, const council__keyring *kr)
{
    council__secret csk = { NULL, 0 }, lsk = { NULL, 0 }, jseed = { NULL, 0 };
    uint32_t reg = 0, sealed = 0;
    uint8_t pk[32];
    bool ok = true;
    int rc;

    c->actor_roles = 0;
    if ((rc = council__member_roles(c, "open", c->actor_member, &reg)) != COUNCIL_OK || reg == 0)
        return rc;
    rc = council__keyring_open_roles(c, kr, c->actor_member, c->actor_box_pk, &c->actor_box_sk,
                                     &sealed, &csk, &lsk, &jseed);
    if (rc == COUNCIL_ENOMEM)
        return rc;
    ok = rc == COUNCIL_OK;
    if (ok && sealed != 0) {
        council__secret_read(&csk);
        ok = crypto_scalarmult_base(pk, csk.p) == 0 && c->coord_valid &&
             sodium_memcmp(pk, c->coord_pk, 32) == 0;
        council__secret_lock(&csk);
    }
    if (ok && (sealed & COUNCIL_ROLE_SECRETARIAT) != 0) {
        council__secret_read(&lsk);
        ok = crypto_sign_ed25519_sk_to_pk(pk, lsk.p) == 0 && sodium_memcmp(pk, c->log_pk, 32) == 0;
        council__secret_lock(&lsk);
    }
    if (!ok) {
        council__secret_free(&csk);
        council__secret_free(&lsk);
        council__secret_free(&jseed);
        council__clear(c);
        return council__tamper(c, NULL, NULL, c->actor_member, "forged_role_keys");
    }
    /* Powers: the roles both the register and the seal give. */
    if ((reg & sealed) == 0) {
        council__secret_free(&csk);
        council__secret_free(&lsk);
        council__secret_free(&jseed);
        return COUNCIL_OK;
    }
    council__secret_free(&c->coord_sk);
    c->coord_sk = csk;
    if ((reg & sealed & COUNCIL_ROLE_SECRETARIAT) != 0) {
        council__secret_free(&c->log_sk);
        c->log_sk = lsk;
        c->log_headed = true; /* the role keys come from a store that keeps a head */
        /* The journal's seed came in the same seal as the log key just
         * checked: only a holder of the log key sealed it. */
        council__secret_free(&c->journal_seed);
        c->journal_seed = jseed;
    } else {
        council__secret_free(&lsk);
        council__secret_free(&jseed);
    }
    c->actor_roles = reg & sealed;
    return COUNCIL_OK;
}

static void journal(const char *path, const council__keyring *kr, const char *reason,
                    const uint8_t *member, const uint8_t *staff, int error)
{
    if (kr->has_journal_pk)
        council__journal_refusal(path, kr->journal_pk, reason, member, staff, error);
}


static int open_staff(council *c, const char *path, const council_open_options *o,
                      const uint8_t *want, const uint8_t *pin)
{
    council__keyring *kr = council__malloc(sizeof *kr);
    council__member_keys k;
    council__keyfile_info info;
    const struct council__member_db_key *e = NULL;
    uint8_t salt[COUNCIL__SALT_BYTES], key[COUNCIL__KEY_BYTES];
    const char *reason = NULL, *why = NULL;
    int rc;

    memset(&k, 0, sizeof k);
    if (kr == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "open: out of memory");
    rc = council__keyring_load(c, kr, path);
    if (rc == COUNCIL_OK)
        rc = want_council(c, want, kr->council_id);
    if (rc != COUNCIL_OK)
        goto out;
    if (o->keyfile == NULL) {
        /* The integrator's raw key: the member's box key pair from it. */
        memset(&info, 0, sizeof info);
        memcpy(info.council_id, kr->council_id, COUNCIL_ID_BYTES);
        memcpy(info.member_id, o->member_id, COUNCIL_ID_BYTES);
        if (pin != NULL) { /* from a session secret: its log key, pinned */
            info.has_log_pk = true;
            memcpy(info.log_pk, pin, 32);
        }
        rc = council__secret_alloc(&k.box_sk, 32);
        if (rc != COUNCIL_OK) {
            rc = council__fail(c, rc, "open: out of secure memory");
            goto out;
        }
        memcpy(k.box_sk.p, o->member_box_key, 32);
        crypto_scalarmult_base(k.box_pk, k.box_sk.p);
        council__secret_lock(&k.box_sk);
        /* Version 3: the member's Ed25519 seed too, for what it signs. */
        if (o->version >= 3 && o->member_sign_key != NULL) {
            rc = council__secret_alloc(&k.sign_sk, crypto_sign_SECRETKEYBYTES);
            if (rc != COUNCIL_OK) {
                rc = council__fail(c, rc, "open: out of secure memory");
                goto out;
            }
            crypto_sign_seed_keypair(k.sign_pk, k.sign_sk.p, o->member_sign_key);
            council__secret_lock(&k.sign_sk);
        }
    } else {
        rc = council__keyfile_open(c, &k, &info, o->keyfile, o->keyfile_len, o->passphrase,
                                   o->passphrase_len);
    }
    if (rc == COUNCIL_EAUTH || rc == COUNCIL_EFORMAT || rc == COUNCIL_EUNSUPPORTED) {
        /* Before the store: journaled for the secretariat's next session. */
        council__keyfile_info pi;
        bool known = council__keyfile_parse(NULL, &pi, o->keyfile, o->keyfile_len) == COUNCIL_OK;
        journal(path, kr, rc == COUNCIL_EAUTH ? "wrong_member_passphrase" : "damaged_keyfile",
                known ? pi.member_id : NULL, o->staff_id, rc);
    }
    if (rc == COUNCIL_EAUTH)
        rc = council__fail(c, COUNCIL_EAUTH, "open: wrong member passphrase");
    if (rc != COUNCIL_OK)
        goto out;
    memcpy(c->council_id, kr->council_id, COUNCIL_ID_BYTES);
    memcpy(c->log_pk, kr->log_pk, sizeof c->log_pk);
    c->root_source = kr->root_source;
    /* A keyfile issued with the council's log key pinned: the keyring
     * must name the same key (it anchors the signed key directory). */
    if (info.has_log_pk && sodium_memcmp(info.log_pk, kr->log_pk, 32) != 0) {
        journal(path, kr, "keyring_log_key_mismatch", info.member_id, o->staff_id, COUNCIL_EAUTH);
        rc = council__fail(c, COUNCIL_EAUTH, "open: the keyring's log key is not the one this "
                                              "keyfile was issued under");
        goto out;
    }
    if (sodium_memcmp(info.council_id, kr->council_id, COUNCIL_ID_BYTES) != 0) {
        journal(path, kr, "other_councils_keyfile", info.member_id, o->staff_id, COUNCIL_EAUTH);
        rc = council__fail(c, COUNCIL_EAUTH, "open: the keyfile belongs to another council");
        goto out;
    }
    if ((rc = council__store_read_salt(c, path, salt)) != COUNCIL_OK)
        goto out;
    if (sodium_memcmp(salt, kr->store_salt, sizeof salt) != 0) {
        rc = council__fail(c, COUNCIL_EAUTH, "open: the keyring does not belong to this council.db");
        goto out;
    }
    if (council__keyring_member_entries(kr, info.member_id) == 0) {
        journal(path, kr, "member_without_access", info.member_id, o->staff_id, COUNCIL_EDENIED);
        rc = council__fail(c, COUNCIL_EDENIED, "open: the member has no access to the store "
                                                "(withdrawn, or no keys registered)");
        goto out;
    }
    if ((e = council__keyring_open_member(kr, info.member_id, k.box_pk, &k.box_sk, key)) == NULL) {
        journal(path, kr, "keyfile_key_mismatch", info.member_id, o->staff_id, COUNCIL_EAUTH);
        rc = council__fail(c, COUNCIL_EAUTH, "open: the member's database key does not open "
                                              "with this keyfile");
        goto out;
    }
    rc = council__store_open_key(c, path, NULL, e->db_key_version, key, false);
    /* Kept: the secretariat's staff seal it to members it registers. */
    if (rc == COUNCIL_OK && (rc = council__secret_alloc(&c->db_key, sizeof key)) != COUNCIL_OK)
        rc = council__fail(c, rc, "open: out of secure memory");
    if (rc == COUNCIL_OK) {
        memcpy(c->db_key.p, key, sizeof key);
        council__secret_lock(&c->db_key);
        c->db_key_version = e->db_key_version;
    }
    if (rc == COUNCIL_OK) {
        /* Staff sessions never change the schema: the secretariat migrates. */
        uint32_t v = 0;
        rc = council__store_version(c, &v);
        if (rc == COUNCIL_OK && v != council__schema_version())
            rc = council__fail(c, COUNCIL_EUNSUPPORTED, "open: the store (schema %u) must first be "
                               "opened by the secretariat to bring it to schema %u", v,
                               council__schema_version());
    }
    if (rc == COUNCIL_OK)
        rc = council__council_check(c);
    if (rc == COUNCIL_OK)
        rc = council__staff_standing(c, info.member_id, o->staff_id, k.box_pk, &reason, &why);
    if (rc == COUNCIL_OK && reason != NULL)
        rc = refuse_staff(c, info.member_id, o->staff_id, reason, why);
    if (rc == COUNCIL_OK) {
        const council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_OPENED,
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF,
            .actor_member = info.member_id,
            .actor_staff = o->staff_id,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
        };
        rc = council__audit_append(c, &ev);
    }
    if (rc == COUNCIL_OK) {
        c->actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF;
        c->standing = standing;
        memcpy(c->actor_member, info.member_id, COUNCIL_ID_BYTES);
        memcpy(c->actor_staff, o->staff_id, COUNCIL_ID_BYTES);
        memcpy(c->actor_box_pk, k.box_pk, 32);
        /* The session keeps the member's box key: it unwraps data keys;
         * and its signing key, if it has it: it signs what the member
         * decides (a scope's first key, consent records, shares). */
        c->actor_box_sk = k.box_sk;
        k.box_sk.p = NULL;
        k.box_sk.len = 0;
        if (k.sign_sk.p != NULL) {
            memcpy(c->actor_sign_pk, k.sign_pk, 32);
            c->actor_sign_sk = k.sign_sk;
            k.sign_sk.p = NULL;
            k.sign_sk.len = 0;
        }
        rc = council__case_session_init(c);
    }
    if (rc == COUNCIL_OK)
        rc = staff_roles(c, kr);
    /* A session of the secretariat's person moves the signer's head to the
     * log it finds, as one of the council passphrase does: whatever is
     * dropped from here on is caught at the next checkpoint (a log that no
     * longer extends the head is put on the record; the session goes on). */
    if (rc == COUNCIL_OK && council__is_secretariat(c) && council__audit_head_advance(c) != COUNCIL_OK)
        council__clear(c);
    /* And it imports the refusals journaled before the store could be
     * opened, as the council passphrase's session does, so they do not wait
     * for its next, rare, use. */
    if (rc == COUNCIL_OK && council__is_secretariat(c) && c->journal_seed.p != NULL)
        rc = council__journal_import(c);
    /* And it finishes a withdrawal whose keyring step failed after commit. */
    if (rc == COUNCIL_OK && council__is_secretariat(c) &&
        council__member_drop_withdrawn(c) != COUNCIL_OK)
        council__clear(c);
out:
    sodium_memzero(key, sizeof key);
    council__member_keys_free(&k);
    sodium_memzero(kr, sizeof *kr);
    council__free(kr);
    return rc;
}

/* ------------------------------------------------------- session secrets */

/* The blob: magic "CLSS", format, kind, two zero bytes, the council id;
 * then the root key, or the member id, staff id, box key and Ed25519 seed;
 * then a BLAKE2b-128 of all before it (damage is EFORMAT, not EAUTH). */
#define SECRET_FORMAT 1
#define SECRET_ROOT 1
#define SECRET_STAFF 2
#define SECRET_HEAD (8 + COUNCIL_ID_BYTES)
#define SECRET_CHECK 16
#define SECRET_ROOT_LEN (SECRET_HEAD + COUNCIL__KEY_BYTES + SECRET_CHECK)
#define SECRET_STAFF_LEN (SECRET_HEAD + 2 * COUNCIL_ID_BYTES + 32 + 32 + 32 + SECRET_CHECK)
static const uint8_t secret_magic[4] = { 'C', 'L', 'S', 'S' };

_Static_assert(SECRET_STAFF_LEN <= COUNCIL_SESSION_SECRET_MAX, "session secret too long");

static void secret_sum(uint8_t sum[SECRET_CHECK], const uint8_t *p, size_t n)
{
    (void)crypto_generichash(sum, SECRET_CHECK, p, n, NULL, 0);
}

int council_session_secret(council *c, uint8_t *out, size_t out_cap, size_t *out_len)
{
    uint8_t *blob = out; /* built in place: the caller's memory (locked, we advise), no copy */
    bool root;
    size_t n = SECRET_HEAD;
    int rc;

    if (!council__ok(c) || out == NULL || out_len == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "session_secret: bad handle or NULL out");
    if (out_cap < COUNCIL_SESSION_SECRET_MAX)
        return council__fail(c, COUNCIL_EINVAL, "session_secret: out holds %zu bytes, want %d",
                             out_cap, COUNCIL_SESSION_SECRET_MAX);
    if ((rc = council__actor_ok(c, "session_secret")) != COUNCIL_OK)
        return rc;
    root = council__is_root(c);
    if (root ? c->root.p == NULL || c->root.len != COUNCIL__KEY_BYTES
             : c->actor_box_sk.p == NULL || c->actor_box_sk.len != 32 ||
                   c->actor_sign_sk.p == NULL || c->actor_sign_sk.len != crypto_sign_SECRETKEYBYTES)
        return council__fail(c, COUNCIL_EDENIED, "session_secret: the session was not opened "
                                                 "with full credentials (no signing key)");
    memcpy(blob, secret_magic, sizeof secret_magic);
    blob[4] = SECRET_FORMAT;
    blob[5] = root ? SECRET_ROOT : SECRET_STAFF;
    blob[6] = blob[7] = 0;
    memcpy(blob + 8, c->council_id, COUNCIL_ID_BYTES);
    if (root) {
        council__secret_read(&c->root);
        memcpy(blob + n, c->root.p, COUNCIL__KEY_BYTES);
        council__secret_lock(&c->root);
        n += COUNCIL__KEY_BYTES;
    } else {
        memcpy(blob + n, c->actor_member, COUNCIL_ID_BYTES);
        n += COUNCIL_ID_BYTES;
        memcpy(blob + n, c->actor_staff, COUNCIL_ID_BYTES);
        n += COUNCIL_ID_BYTES;
        council__secret_read(&c->actor_box_sk);
        memcpy(blob + n, c->actor_box_sk.p, 32);
        council__secret_lock(&c->actor_box_sk);
        n += 32;
        /* libsodium's Ed25519 secret key begins with its seed. */
        council__secret_read(&c->actor_sign_sk);
        memcpy(blob + n, c->actor_sign_sk.p, 32);
        council__secret_lock(&c->actor_sign_sk);
        n += 32;
        /* The council's log key this session trusted (a keyfile's pin):
         * a session reopened from the secret holds the keyring to it, as
         * the keyfile would, so a keyring whose log key was swapped is
         * refused rather than trusted. */
        memcpy(blob + n, c->log_pk, 32);
        n += 32;
    }
    secret_sum(blob + n, blob, n);
    n += SECRET_CHECK;
    *out_len = n;
    council__clear(c);
    return COUNCIL_OK;
}

int council_root_uses(council *c, council_buf *out)
{
    int rc;

    if (!council__ok(c) || out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "root_uses: bad handle or NULL out");
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__secretariat_only(c, "root_uses")) != COUNCIL_OK ||
        (rc = council__council_root_uses(c, "root_uses", out)) != COUNCIL_OK)
        return rc;
    council__clear(c);
    return COUNCIL_OK;
}

int council_session_powers(council *c, unsigned *powers)
{
    int rc;

    if (!council__ok(c) || powers == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "session_powers: bad handle or NULL powers");
    *powers = 0;
    if ((rc = council__actor_ok(c, "session_powers")) != COUNCIL_OK)
        return rc;
    *powers = (council__is_root(c) ? COUNCIL_POWER_ROOT_KEY : 0u) |
              (council__is_secretariat(c) ? COUNCIL_POWER_SECRETARIAT : 0u) |
              (council__is_coordinator(c) ? COUNCIL_POWER_COORDINATOR : 0u);
    council__clear(c);
    return COUNCIL_OK;
}

/* A session secret into version 3 options pointing into it (no copy of
 * the keys is made), and the council it was made for. */
static int secret_parse(council *c, const council_open_options *o, council_open_options *o2,
                        const uint8_t **want, const uint8_t **pin)
{
    const uint8_t *p = o->session_secret;
    size_t n = o->session_secret_len;
    uint8_t sum[SECRET_CHECK];
    bool ok;

    if (o->passphrase != NULL || o->root_key != NULL || o->staff_id != NULL ||
        o->keyfile != NULL || o->member_id != NULL || o->member_box_key != NULL ||
        o->member_sign_key != NULL)
        return council__fail(c, COUNCIL_EINVAL, "open: a session secret is given alone");
    if (n != SECRET_ROOT_LEN && n != SECRET_STAFF_LEN)
        return council__fail(c, COUNCIL_EFORMAT, "open: the session secret is truncated or "
                                                 "damaged (%zu bytes)", n);
    secret_sum(sum, p, n - SECRET_CHECK);
    ok = sodium_memcmp(sum, p + n - SECRET_CHECK, SECRET_CHECK) == 0 &&
         memcmp(p, secret_magic, sizeof secret_magic) == 0 && p[4] == SECRET_FORMAT &&
         p[6] == 0 && p[7] == 0 &&
         ((p[5] == SECRET_ROOT && n == SECRET_ROOT_LEN) ||
          (p[5] == SECRET_STAFF && n == SECRET_STAFF_LEN));
    sodium_memzero(sum, sizeof sum);
    if (!ok)
        return council__fail(c, COUNCIL_EFORMAT, "open: the session secret is damaged or of "
                                                 "an unknown format");
    memset(o2, 0, sizeof *o2);
    o2->version = 3;
    *want = p + 8;
    p += SECRET_HEAD;
    if (n == SECRET_ROOT_LEN) {
        o2->root_key = p;
        o2->root_key_len = COUNCIL__KEY_BYTES;
        return COUNCIL_OK;
    }
    o2->member_id = p;
    o2->member_id_len = COUNCIL_ID_BYTES;
    o2->staff_id = p + COUNCIL_ID_BYTES;
    o2->staff_id_len = COUNCIL_ID_BYTES;
    o2->member_box_key = p + 2 * COUNCIL_ID_BYTES;
    o2->member_box_key_len = 32;
    o2->member_sign_key = p + 2 * COUNCIL_ID_BYTES + 32;
    o2->member_sign_key_len = 32;
    *pin = p + 2 * COUNCIL_ID_BYTES + 64;
    return COUNCIL_OK;
}

int council_store_id(const char *path, uint8_t *id, size_t id_len)
{
    council__keyring *kr;
    council *c;
    int rc;

    if (id == NULL || id_len != COUNCIL_ID_BYTES)
        return COUNCIL_EINVAL;
    if (council_global_init() != COUNCIL_OK)
        return COUNCIL_ERROR;
    if ((c = handle_new()) == NULL)
        return COUNCIL_ENOMEM;
    if ((rc = check_path(c, "store_id", path)) == COUNCIL_OK) {
        if ((kr = council__malloc(sizeof *kr)) == NULL) {
            rc = COUNCIL_ENOMEM;
        } else {
            rc = council__keyring_load(c, kr, path);
            if (rc == COUNCIL_OK)
                memcpy(id, kr->council_id, COUNCIL_ID_BYTES);
            sodium_memzero(kr, sizeof *kr);
            council__free(kr);
        }
    }
    council_close(c);
    return rc;
}

int council_open(council **out, const char *path, const council_open_options *o)
{
    council_open_options from_secret = COUNCIL_OPEN_OPTIONS_INIT;
    const uint8_t *want = NULL, *pin = NULL;
    const char *reason = NULL, *note = NULL;
    struct stat sb;
    council *c;
    bool staff;
    int rc;

    if (out == NULL)
        return COUNCIL_EMISUSE;
    *out = NULL;
    if (council_global_init() != COUNCIL_OK)
        return COUNCIL_ERROR;
    c = handle_new();
    if (c == NULL)
        return COUNCIL_ENOMEM;
    *out = c;
    if (o == NULL || o->version < 1 || o->version > COUNCIL_OPEN_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "open: options missing or of unknown version");
    if (o->version >= 5 && (o->root_reason != NULL || o->root_reason_text != NULL)) {
        reason = o->root_reason;
        note = o->root_reason_text;
        if (reason == NULL || !root_reason_ok(reason) || note == NULL ||
            !council__text_arg(note, 1024))
            return council__fail(c, COUNCIL_EINVAL, "open: a use of the council passphrase names "
                                 "its reason (setup, recovery, emergency or key_management) and "
                                 "a written reason of 1..1024 bytes of text");
    }
    if (o->version >= 4 && (o->session_secret != NULL || o->session_secret_len != 0)) {
        if (o->session_secret == NULL)
            return council__fail(c, COUNCIL_EINVAL, "open: no session secret");
        if ((rc = secret_parse(c, o, &from_secret, &want, &pin)) != COUNCIL_OK)
            return rc;
        o = &from_secret;
    }
    staff = o->version >= 2 && (o->staff_id != NULL || o->keyfile != NULL ||
                                o->member_box_key != NULL);
    if (staff) {
        bool with_keyfile = o->keyfile != NULL && o->keyfile_len > 0 &&
                            o->keyfile_len <= COUNCIL__KEYFILE_MAX && o->passphrase != NULL &&
                            o->passphrase_len > 0 && o->passphrase_len <= COUNCIL_PASSPHRASE_MAX &&
                            o->member_box_key == NULL && o->member_id == NULL;
        bool with_raw = o->keyfile == NULL && o->passphrase == NULL && o->member_id != NULL &&
                        o->member_id_len == COUNCIL_ID_BYTES && o->member_box_key != NULL &&
                        o->member_box_key_len == 32;
        bool sign_ok = o->version < 3 ||
                       (o->member_sign_key == NULL ? o->member_sign_key_len == 0
                                                   : with_raw && o->member_sign_key_len == 32);
        if (o->staff_id == NULL || o->staff_id_len != COUNCIL_ID_BYTES || o->root_key != NULL ||
            with_keyfile == with_raw || !sign_ok)
            return council__fail(c, COUNCIL_EINVAL, "open: a staff session needs a 16-byte staff "
                                 "id and either the member keyfile with its passphrase, or the "
                                 "member id with its raw 32-byte box key (and, optionally, its "
                                 "32-byte signing seed)");
        if (reason != NULL)
            return council__fail(c, COUNCIL_EINVAL, "open: a staff session gives no reason for "
                                                    "using the council passphrase");
    } else if ((rc = check_credentials(c, "open", o->passphrase, o->passphrase_len,
                                       o->root_key, o->root_key_len)) != COUNCIL_OK) {
        return rc;
    }
    if ((rc = check_path(c, "open", path)) != COUNCIL_OK)
        return rc;
    if (stat(path, &sb) != 0 && errno != ENOENT && errno != ENOTDIR)
        return council__fail(c, COUNCIL_EIO, "open: cannot reach the store directory (%s)",
                             strerror(errno));
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return council__fail(c, COUNCIL_ENOTFOUND, "open: no store directory at this path");
    c->dir = council__strdup(path);
    if (c->dir == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "open: out of memory");
    c->actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT;
    rc = staff ? open_staff(c, path, o, want, pin) : open_in(c, path, o, want, reason, note);
    if (rc != COUNCIL_OK) {
        release(c);
        return rc;
    }
    c->magic = COUNCIL__MAGIC_OPEN;
    council__clear(c);
    return COUNCIL_OK;
}

/* ------------------------------------------------------------------- info */

int council_info(council *c, council_buf *out)
{
    Council__V1__CouncilInfo m = COUNCIL__V1__COUNCIL_INFO__INIT;
    char *name = NULL;
    int64_t created = 0;
    char id[37], origin[COUNCIL__ORIGIN_MAX], vkey[512], cipher[64];
    uint32_t schema = 0;
    size_t len;
    int rc;

    if (!council__ok(c) || out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "info: bad handle or NULL out");
    if ((rc = council__actor_ok(c, "info")) != COUNCIL_OK)
        return rc;
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__store_version(c, &schema)) != COUNCIL_OK ||
        (rc = council__store_cipher_version(c, cipher, sizeof cipher)) != COUNCIL_OK)
        return rc;
    council__uuid_text(id, c->council_id);
    council__log_origin(origin, c->council_id);
    if (council__vkey_format(vkey, sizeof vkey, origin, COUNCIL__SIG_ED25519, c->log_pk) != 0)
        return council__fail(c, COUNCIL_ERROR, "info: verifier key too long");
    if ((rc = council__council_row(c, "info", &name, &created)) != COUNCIL_OK)
        return rc;
    m.council_id.data = c->council_id;
    m.council_id.len = COUNCIL_ID_BYTES;
    m.council_id_text = id;
    m.name = name;
    m.created = created;
    m.schema_version = schema;
    m.library_version = (char *)(uintptr_t)council_version_string();
    m.cipher_version = cipher;
    m.keyring_format = COUNCIL__KEYRING_FORMAT;
    m.root_source = (Council__V1__RootKeySource)c->root_source;
    m.log_public_key.data = c->log_pk;
    m.log_public_key.len = sizeof c->log_pk;
    m.log_verifier_key = vkey;
    m.log_origin = origin;
    len = council__v1__council_info__get_packed_size(&m);
    out->ptr = council__malloc(len);
    if (out->ptr == NULL) {
        council__free(name);
        return council__fail(c, COUNCIL_ENOMEM, "info: out of memory");
    }
    out->len = council__v1__council_info__pack(&m, out->ptr);
    council__free(name);
    council__clear(c);
    return COUNCIL_OK;
}

/* ------------------------------------------------------------- passphrase */

struct rewrap_ctx {
    const council__keyring *seen; /* the keyring the old passphrase opened */
    const uint8_t *pass;
    size_t pass_len;
    uint64_t ops, mem;
};

/* Under the keyring lock: the root wrap must be the one the old passphrase
 * was checked against (no change meanwhile), then it is rewrapped. */
static int rewrap_root(council *c, council__keyring *kr, void *ctx)
{
    const struct rewrap_ctx *r = ctx;

    if (sodium_memcmp(kr->kdf_salt, r->seen->kdf_salt, sizeof kr->kdf_salt) != 0 ||
        sodium_memcmp(kr->root_ct, r->seen->root_ct, sizeof kr->root_ct) != 0)
        return council__fail(c, COUNCIL_EAUTH, "passphrase_change: the passphrase was changed "
                                               "meanwhile; try again");
    return council__keyring_wrap_root(c, kr, &c->root, r->pass, r->pass_len, r->ops, r->mem);
}

int council_passphrase_change(council *c, const uint8_t *old_pass, size_t old_len,
                              const uint8_t *new_pass, size_t new_len,
                              uint64_t ops, uint64_t mem)
{
    council__keyring *kr = NULL;
    council__secret check = { NULL, 0 };
    council__event ev = {
        .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_KEY_ROTATED,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
        .reason = "passphrase_changed",
    };
    int rc;

    if (!council__ok(c))
        return council__fail(c, COUNCIL_EMISUSE, "passphrase_change: bad handle");
    if ((rc = council__root_key_only(c, "passphrase_change")) != COUNCIL_OK)
        return rc;
    if (c->root_source != COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_PASSPHRASE)
        return council__fail(c, COUNCIL_EINVAL,
                             "passphrase_change: the root key of this council is supplied "
                             "by the integrator");
    if ((rc = check_credentials(c, "passphrase_change", old_pass, old_len, NULL, 0)) != COUNCIL_OK ||
        (rc = check_credentials(c, "passphrase_change", new_pass, new_len, NULL, 0)) != COUNCIL_OK ||
        (rc = council__kdf_cost(c, "passphrase_change", &ops, &mem)) != COUNCIL_OK)
        return rc;
    if ((kr = council__malloc(sizeof *kr)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "passphrase_change: out of memory");
    rc = council__keyring_load(c, kr, c->dir);
    if (rc == COUNCIL_OK && (rc = council__secret_alloc(&check, COUNCIL__KEY_BYTES)) != COUNCIL_OK)
        rc = council__fail(c, rc, "passphrase_change: out of secure memory");
    if (rc != COUNCIL_OK)
        goto out;
    rc = council__keyring_unwrap_root(c, kr, &check, old_pass, old_len);
    if (rc == COUNCIL_EAUTH) {
        /* A refused attempt is on the record too. */
        ev.outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED;
        ev.error = COUNCIL_EAUTH;
        ev.reason = "wrong_passphrase";
        (void)council__audit_append(c, &ev);
        rc = council__fail(c, COUNCIL_EAUTH, "passphrase_change: wrong current passphrase");
    }
    if (rc != COUNCIL_OK)
        goto out;
    council__secret_read(&check);
    council__secret_read(&c->root);
    if (sodium_memcmp(check.p, c->root.p, COUNCIL__KEY_BYTES) != 0)
        rc = council__fail(c, COUNCIL_EAUTH,
                           "passphrase_change: the keyring on disk is not this council's");
    council__secret_lock(&c->root);
    if (rc != COUNCIL_OK)
        goto out;
    /* Log first; a failure after it is logged too. */
    rc = council__audit_append(c, &ev);
    if (rc == COUNCIL_OK) {
        struct rewrap_ctx r = { kr, new_pass, new_len, ops, mem };
        rc = council__keyring_update(c, rewrap_root, &r);
        if (rc != COUNCIL_OK) {
            ev.outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED;
            ev.error = rc;
            ev.reason = "keyring_write_failed";
            (void)council__audit_append(c, &ev);
        }
    }
    if (rc == COUNCIL_OK)
        council__clear(c);
out:
    council__secret_free(&check);
    if (kr != NULL) {
        sodium_memzero(kr, sizeof *kr);
        council__free(kr);
    }
    return rc;
}
