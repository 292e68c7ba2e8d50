/*
 * member.c - the member registry (構成機関等): add, update, withdraw, keys,
 * listing and the public announcement. Every change is one transaction
 * holding both the change and its audit event.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/member.pb-c.h"
#include "council_int.h"
#include "audit.h"
#include "batch.h"
#include "crypto.h"
#include "keyfile.h"
#include "keyring.h"
#include "note.h"
#include "session.h"
#include "store.h"
#include "text.h"
#include "share.h"
#include "casekey.h"
#include "consent.h"
#include "member.h"
#include "attest.h"
#include "keydir.h"
#include "sql.h"
#include "lifecycle.h"

#define SCOPES_MAX 32

/* ---------------------------------------------------------------- checks */

static int scope_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Check the options; write the sorted scope ceiling joined by ','. */
static int check_options(council *c, const char *op, const council_member_options *o,
                         char *scopes, size_t scopes_cap)
{
    const char *sorted[SCOPES_MAX];
    size_t used = 0;

    if (o == NULL || o->version != COUNCIL_MEMBER_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if (!council__text_arg(o->name, COUNCIL_NAME_MAX))
        return council__fail(c, COUNCIL_EINVAL, "%s: name must be 1..%d bytes of UTF-8 text", op,
                             COUNCIL_NAME_MAX);
    if (o->kind <= 0 ||
        protobuf_c_enum_descriptor_get_value(&council__v1__member_kind__descriptor, o->kind) == NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: unknown member kind %d", op, (int)o->kind);
    if ((o->roles & ~(COUNCIL_ROLE_SECRETARIAT | COUNCIL_ROLE_COORDINATING_BODY)) != 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: unknown role bits 0x%x", op, o->roles);
    if (o->contact != NULL && !council__text_arg(o->contact, COUNCIL_CONTACT_MAX))
        return council__fail(c, COUNCIL_EINVAL, "%s: contact must be 1..%d bytes of UTF-8 text",
                             op, COUNCIL_CONTACT_MAX);
    if (o->joined < 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: joining date before 1970", op);
    if (o->n_scopes > SCOPES_MAX || (o->n_scopes > 0 && o->scopes == NULL))
        return council__fail(c, COUNCIL_EINVAL, "%s: at most %d scopes", op, SCOPES_MAX);
    for (size_t i = 0; i < o->n_scopes; i++) {
        if (!council__audit_code_ok(o->scopes[i]))
            return council__fail(c, COUNCIL_EINVAL, "%s: scope %zu is not a code [a-z0-9_]", op, i);
        sorted[i] = o->scopes[i];
    }
    qsort(sorted, o->n_scopes, sizeof sorted[0], scope_cmp);
    scopes[0] = '\0';
    for (size_t i = 0; i < o->n_scopes; i++) {
        size_t l = strlen(sorted[i]);
        if (i > 0 && strcmp(sorted[i - 1], sorted[i]) == 0)
            return council__fail(c, COUNCIL_EINVAL, "%s: scope listed twice", op);
        if (used + l + 2 > scopes_cap)
            return council__fail(c, COUNCIL_ELIMIT, "%s: scopes too long", op);
        if (i > 0)
            scopes[used++] = ',';
        memcpy(scopes + used, sorted[i], l + 1);
        used += l;
    }
    return COUNCIL_OK;
}

/* ------------------------------------------------------- signed rows */

/* What the member signed with the key about to go is signed again by the
 * council (key replacement, withdrawal). */
static int resign_members_rows(council *c, const uint8_t id[COUNCIL_ID_BYTES])
{
    int rc = council__key_versions_resign(c, id);

    if (rc == COUNCIL_OK)
        rc = council__shares_resign(c, id);
    if (rc == COUNCIL_OK)
        rc = council__grants_resign(c, id);
    return rc;
}

/* A member row as the council signs it (the fields that decide access):
 *     id || u32be(kind) || u32be(roles) || u32be(len) || scopes
 *     || u64be(withdrawn, 0 if not) || box_pk (zeros if none) || sign_pk
 * signed with the log key (council__attest_sign, kind "member") at every
 * change the secretariat makes, and checked wherever a row decides: a
 * session's standing, a recipient's ceiling and keys, a key's holders. */
#define MROW_MAX (COUNCIL_ID_BYTES + 12 + 2048 + 8 + 64)

static int member_row(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES], uint8_t *m,
                      size_t *len, uint8_t sig[64], bool *has_sig)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src;

    *has_sig = false;
    if (sqlite3_prepare_v2(c->db, "SELECT kind, roles, scopes, withdrawn, box_pk, sign_pk, sig FROM "
                                  "member WHERE id = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        static const uint8_t zero[32];
        const unsigned char *sc = sqlite3_column_text(st, 2);
        size_t sl = sc != NULL ? strlen((const char *)sc) : 0;
        uint8_t *p = m;
        if (sl > 2048) {
            sqlite3_finalize(st);
            return council__fail(c, COUNCIL_ETAMPER, "%s: a member's scopes are too long", op);
        }
        p = council__put_bytes(p, id, COUNCIL_ID_BYTES);
        p = council__put_u32(p, (uint32_t)sqlite3_column_int64(st, 0));
        p = council__put_u32(p, (uint32_t)sqlite3_column_int64(st, 1));
        p = council__put_u32(p, (uint32_t)sl);
        p = council__put_bytes(p, sc != NULL ? (const void *)sc : (const void *)zero, sl);
        p = council__put_u64(p, (uint64_t)sqlite3_column_int64(st, 3));
        p = council__put_bytes(p, sqlite3_column_bytes(st, 4) == 32 ? sqlite3_column_blob(st, 4)
                                                                     : (const void *)zero, 32);
        p = council__put_bytes(p, sqlite3_column_bytes(st, 5) == 32 ? sqlite3_column_blob(st, 5)
                                                                     : (const void *)zero, 32);
        *len = (size_t)(p - m);
        if ((*has_sig = sqlite3_column_bytes(st, 6) == 64))
            memcpy(sig, sqlite3_column_blob(st, 6), 64);
    } else {
        rc = src == SQLITE_DONE ? council__fail(c, COUNCIL_ENOTFOUND, "%s: no such member", op)
                                : council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
    }
    sqlite3_finalize(st);
    return rc;
}

int council__member_sign(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES])
{
    uint8_t m[MROW_MAX], sig[64], signer[COUNCIL_ID_BYTES];
    sqlite3_stmt *st = NULL;
    size_t len = 0;
    bool had;
    int rc = member_row(c, op, id, m, &len, sig, &had);

    if (rc == COUNCIL_OK)
        rc = council__attest_sign(c, "member", m, len, signer, sig);
    if (rc == COUNCIL_OK &&
        (sqlite3_prepare_v2(c->db, "UPDATE member SET sig = ?2 WHERE id = ?1;", -1, &st,
                            NULL) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot write the registry", op);
    sqlite3_finalize(st);
    return rc;
}

int council__member_check(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES])
{
    static const uint8_t council_signer[COUNCIL_ID_BYTES];
    uint8_t m[MROW_MAX], sig[64];
    size_t len = 0;
    bool has;
    int rc = member_row(c, op, id, m, &len, sig, &has);

    if (rc != COUNCIL_OK)
        return rc;
    if (has && council__attest_check(c, "member", m, len, council_signer, sizeof council_signer,
                                     sig, sizeof sig) == COUNCIL_OK)
        return COUNCIL_OK;
    (void)council__tamper(c, NULL, NULL, id, "forged_member_row");
    return council__fail(c, COUNCIL_ETAMPER, "%s: a member's entry in the registry is not the one "
                         "the secretariat signed (it was changed outside the library)", op);
}

int council__member_upgrade(council *c)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src;

    if (sqlite3_prepare_v2(c->db, "SELECT id FROM member WHERE sig IS NULL;", -1, &st,
                           NULL) != SQLITE_OK)
        return council__fail(c, COUNCIL_EIO, "open: cannot read the registry");
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t id[COUNCIL_ID_BYTES];
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
            continue;
        memcpy(id, sqlite3_column_blob(st, 0), sizeof id);
        rc = council__member_sign(c, "open", id);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "open: cannot read the registry");
    sqlite3_finalize(st);
    return rc;
}

int council__member_active(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (sqlite3_prepare_v2(c->db, "SELECT withdrawn IS NULL FROM member WHERE id = ?;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        rc = sqlite3_column_int(st, 0);
    else if (rc == SQLITE_DONE)
        rc = council__fail(c, COUNCIL_ENOTFOUND, "%s: no such member", op);
    else
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
    sqlite3_finalize(st);
    if (rc >= 0) {
        int crc = council__member_check(c, op, id);
        if (crc != COUNCIL_OK)
            return crc;
    }
    return rc;
}

int council__member_usable(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES])
{
    int rc = council__member_active(c, op, id);

    if (rc == 0)
        return council__fail(c, COUNCIL_EDENIED, "%s: the member has withdrawn", op);
    return rc < 0 ? rc : COUNCIL_OK;
}

/* Another active coordinating body than `self` (NULL: any)? */
static int coordinator_taken(council *c, const char *op, const uint8_t *self)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (sqlite3_prepare_v2(c->db, "SELECT count(*) FROM member WHERE (roles & 2) != 0 AND "
                                  "withdrawn IS NULL AND (?1 IS NULL OR id != ?1);",
                           -1, &st, NULL) != SQLITE_OK ||
        (self != NULL ? sqlite3_bind_blob(st, 1, self, COUNCIL_ID_BYTES, SQLITE_STATIC)
                      : sqlite3_bind_null(st, 1)) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
    }
    rc = sqlite3_column_int(st, 0) > 0
             ? council__fail(c, COUNCIL_EEXIST, "%s: the council has a coordinating body already", op)
             : COUNCIL_OK;
    sqlite3_finalize(st);
    return rc;
}

struct seal_ctx {
    const uint8_t *id;
    const uint8_t *box_pk;
};

static int seal_member(council *c, council__keyring *kr, void *ctx)
{
    const struct seal_ctx *sc = ctx;

    return council__keyring_seal_member(c, kr, sc->id, sc->box_pk);
}

static int drop_member(council *c, council__keyring *kr, void *ctx)
{
    (void)c;
    council__keyring_drop_member(kr, ctx);
    return COUNCIL_OK;
}

static int step_done(council *c, const char *op, sqlite3_stmt *st)
{
    int src = sqlite3_step(st);

    sqlite3_finalize(st);
    if (src == SQLITE_CONSTRAINT)
        return council__fail(c, COUNCIL_EEXIST, "%s: the council has a coordinating body already", op);
    return src == SQLITE_DONE ? COUNCIL_OK
                              : council__fail(c, COUNCIL_EIO, "%s: cannot write the registry", op);
}

/* ------------------------------------------------------------- add/update */

static int bind_entry(sqlite3_stmt *st, const council_member_options *o, const char *scopes)
{
    return sqlite3_bind_text(st, 2, o->name, -1, SQLITE_STATIC) != SQLITE_OK ||
           sqlite3_bind_int(st, 3, o->kind) != SQLITE_OK ||
           sqlite3_bind_int(st, 4, (int)o->roles) != SQLITE_OK ||
           sqlite3_bind_text(st, 5, scopes, -1, SQLITE_STATIC) != SQLITE_OK ||
           (o->contact != NULL ? sqlite3_bind_text(st, 6, o->contact, -1, SQLITE_STATIC)
                               : sqlite3_bind_null(st, 6)) != SQLITE_OK ||
           sqlite3_bind_int64(st, 7, o->joined) != SQLITE_OK ||
           sqlite3_bind_int64(st, 8, (sqlite3_int64)time(NULL)) != SQLITE_OK;
}

int council_member_add(council *c, uint8_t *id, size_t id_len, const council_member_options *o)
{
    char scopes[SCOPES_MAX * (COUNCIL__AUDIT_CODE_MAX + 1) + 1];
    council_member_options e;
    sqlite3_stmt *st = NULL;
    uint8_t fresh[COUNCIL_ID_BYTES];
    int rc;

    if ((rc = council__root_id(c, "member_add", id, id_len)) != COUNCIL_OK ||
        (rc = check_options(c, "member_add", o, scopes, sizeof scopes)) != COUNCIL_OK)
        return rc;
    e = *o;
    if (e.joined == 0)
        e.joined = (int64_t)time(NULL);
    council__uuid_random(fresh);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((e.roles & COUNCIL_ROLE_COORDINATING_BODY) != 0 &&
        (rc = coordinator_taken(c, "member_add", NULL)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (sqlite3_prepare_v2(c->db, "INSERT INTO member (id, name, kind, roles, scopes, contact, "
                                  "joined, updated, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                                  "(SELECT coalesce(max(seq), 0) + 1 FROM member));",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, fresh, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        bind_entry(st, &e, scopes)) {
        sqlite3_finalize(st);
        return council__finish(c, council__fail(c, COUNCIL_EIO, "member_add: cannot write the registry"));
    }
    if ((rc = step_done(c, "member_add", st)) == COUNCIL_OK &&
        (rc = council__member_sign(c, "member_add", fresh)) == COUNCIL_OK)
        rc = council__audit_subject(c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_MEMBER_ADDED, fresh, NULL, NULL);
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK)
        memcpy(id, fresh, COUNCIL_ID_BYTES);
    return rc;
}

int council_member_update(council *c, const uint8_t *id, size_t id_len,
                          const council_member_options *o)
{
    char scopes[SCOPES_MAX * (COUNCIL__AUDIT_CODE_MAX + 1) + 1];
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = council__root_id(c, "member_update", id, id_len)) != COUNCIL_OK ||
        (rc = check_options(c, "member_update", o, scopes, sizeof scopes)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__member_usable(c, "member_update", id)) != COUNCIL_OK)
        return council__finish(c, rc);
    if ((o->roles & COUNCIL_ROLE_COORDINATING_BODY) != 0 &&
        (rc = coordinator_taken(c, "member_update", id)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (sqlite3_prepare_v2(c->db, "UPDATE member SET name = ?2, kind = ?3, roles = ?4, scopes = ?5, "
                                  "contact = ?6, joined = CASE WHEN ?7 = 0 THEN joined ELSE ?7 END, "
                                  "updated = ?8 WHERE id = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        bind_entry(st, o, scopes)) {
        sqlite3_finalize(st);
        return council__finish(c, council__fail(c, COUNCIL_EIO, "member_update: cannot write the registry"));
    }
    if ((rc = step_done(c, "member_update", st)) == COUNCIL_OK &&
        (rc = council__member_sign(c, "member_update", id)) == COUNCIL_OK)
        rc = council__audit_subject(c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_MEMBER_UPDATED, id, NULL, NULL);
    return council__finish(c, rc);
}

int council_member_withdraw(council *c, const uint8_t *id, size_t id_len, int64_t when,
                            const char *reason)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = council__root_id(c, "member_withdraw", id, id_len)) != COUNCIL_OK ||
        (rc = council__no_batch(c, "member_withdraw")) != COUNCIL_OK)
        return rc;
    if (!council__text_arg(reason, COUNCIL_CONTACT_MAX) || when < 0)
        return council__fail(c, COUNCIL_EINVAL, "member_withdraw: a reason of 1..%d bytes of "
                             "UTF-8 text and a date are needed", COUNCIL_CONTACT_MAX);
    if (when == 0)
        when = (int64_t)time(NULL);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__member_usable(c, "member_withdraw", id)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (sqlite3_prepare_v2(c->db, "UPDATE member SET withdrawn = ?2, withdrawal_reason = ?3, "
                                  "updated = ?4 WHERE id = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, when) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL)) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__finish(c, council__fail(c, COUNCIL_EIO, "member_withdraw: cannot write the registry"));
    }
    if ((rc = step_done(c, "member_withdraw", st)) == COUNCIL_OK &&
        (rc = council__member_sign(c, "member_withdraw", id)) == COUNCIL_OK)
        rc = council__audit_subject(c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_MEMBER_WITHDRAWN, id,
                                    NULL, NULL);
    /* What it signed stays valid without its key; leaving ends access:
     * shares revoked, wrapped keys destroyed, every data key it held
     * rotated (DESIGN.md promise 6). */
    if (rc == COUNCIL_OK)
        rc = resign_members_rows(c, id);
    if (rc == COUNCIL_OK)
        rc = council__case_member_left(c, id);
    /* Its sealed database key goes: its staff cannot open the store again. */
    if (rc == COUNCIL_OK)
        rc = council__keyring_update(c, drop_member, (void *)(uintptr_t)id);
    /* The database key it knew is not replaced here: re-keying council.db
     * ends every other open session (SQLCipher 4 cannot re-key under
     * other connections). The secretariat runs council_rekey_database()
     * when it can (council-cli member withdraw does it at once). */
    return council__finish(c, rc);
}

/* ---------------------------------------------------------------- keys */

static int store_keys(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                      const uint8_t box_pk[32], const uint8_t sign_pk[32], const char *how)
{
    sqlite3_stmt *st = NULL;
    int rc = council__member_usable(c, op, id);

    if (rc != COUNCIL_OK)
        return rc;
    if (sqlite3_prepare_v2(c->db, "UPDATE member SET box_pk = ?2, sign_pk = ?3, updated = ?4 "
                                  "WHERE id = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, box_pk, 32, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, sign_pk, 32, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL)) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot write the registry", op);
    }
    if ((rc = step_done(c, op, st)) != COUNCIL_OK ||
        (rc = council__member_sign(c, op, id)) != COUNCIL_OK)
        return rc;
    /* The key directory vouches for the new key; its wrapped data keys and
     * sealed secrets follow it there. */
    if ((rc = resign_members_rows(c, id)) != COUNCIL_OK ||
        (rc = council__member_key_sign(c, id, box_pk, sign_pk)) != COUNCIL_OK ||
        (rc = council__case_member_rekeyed(c, id, box_pk)) != COUNCIL_OK)
        return rc;
    return council__audit_subject(c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_MEMBER_KEY_REGISTERED,
                                  id, NULL, how);
}

/* After the registration is committed: the database key sealed to the
 * member's box key, for its staff's sessions. If that fails, the member has
 * no access (fails closed) and the failure is on the record. */
static int seal_after_commit(council *c, const uint8_t id[COUNCIL_ID_BYTES],
                             const uint8_t box_pk[32])
{
    struct seal_ctx sc = { id, box_pk };
    int rc = council__keyring_update(c, seal_member, &sc);

    if (rc != COUNCIL_OK) {
        const council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_MEMBER_KEY_REGISTERED,
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .subject_member = id,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
            .error = rc,
            .reason = "keyring_write_failed",
        };
        (void)council__audit_append(c, &ev);
    }
    return rc;
}

int council_member_keygen(council *c, council_buf *keyfile, const uint8_t *id, size_t id_len,
                          const uint8_t *pass, size_t pass_len, uint64_t ops, uint64_t mem)
{
    council__member_keys k;
    int rc;

    memset(&k, 0, sizeof k);
    if ((rc = council__root_id(c, "member_keygen", id, id_len)) != COUNCIL_OK ||
        (rc = council__no_batch(c, "member_keygen")) != COUNCIL_OK)
        return rc;
    if (keyfile == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "member_keygen: NULL keyfile");
    keyfile->ptr = NULL;
    keyfile->len = 0;
    if (pass == NULL || pass_len == 0 || pass_len > COUNCIL_PASSPHRASE_MAX)
        return council__fail(c, COUNCIL_EINVAL, "member_keygen: passphrase length %zu not in 1..%d",
                             pass_len, COUNCIL_PASSPHRASE_MAX);
    if ((rc = council__kdf_cost(c, "member_keygen", &ops, &mem)) != COUNCIL_OK)
        return rc;
    /* Before the costly key derivation: the member must exist and be active
     * (checked again in the transaction that registers the keys). */
    if ((rc = council__member_usable(c, "member_keygen", id)) != COUNCIL_OK)
        return rc;
    if ((rc = council__member_keys_generate(c, &k, id)) != COUNCIL_OK ||
        (rc = council__keyfile_write_pinned(c, keyfile, &k, c->council_id, c->log_pk, pass,
                                            pass_len, ops, mem)) != COUNCIL_OK) {
        council__member_keys_free(&k);
        return rc;
    }
    if ((rc = council__audit_batch_begin(c)) == COUNCIL_OK)
        rc = council__finish(c, store_keys(c, "member_keygen", id, k.box_pk, k.sign_pk, "generated"));
    if (rc == COUNCIL_OK)
        rc = seal_after_commit(c, id, k.box_pk);
    council__member_keys_free(&k);
    if (rc != COUNCIL_OK)
        council_buf_free(keyfile);
    return rc;
}

int council_member_keygen_file(council *c, const char *path, const uint8_t *id, size_t id_len,
                               const uint8_t *pass, size_t pass_len, uint64_t ops, uint64_t mem)
{
    static const char op[] = "member_keygen";
    council_buf keyfile = { NULL, 0 };
    council__member_keys k;
    struct stat sb;
    int rc;

    memset(&k, 0, sizeof k);
    if ((rc = council__root_id(c, op, id, id_len)) != COUNCIL_OK ||
        (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (path == NULL || path[0] == '\0')
        return council__fail(c, COUNCIL_EINVAL, "%s: no output file named", op);
    if (pass == NULL || pass_len == 0 || pass_len > COUNCIL_PASSPHRASE_MAX)
        return council__fail(c, COUNCIL_EINVAL, "%s: passphrase length %zu not in 1..%d", op,
                             pass_len, COUNCIL_PASSPHRASE_MAX);
    if ((rc = council__kdf_cost(c, op, &ops, &mem)) != COUNCIL_OK)
        return rc;
    if ((rc = council__member_usable(c, op, id)) != COUNCIL_OK)
        return rc;
    /* Before the costly key derivation (and checked again by link(2)). */
    if (lstat(path, &sb) == 0)
        return council__fail(c, COUNCIL_EEXIST, "%s: the output file exists already", op);
    if ((rc = council__member_keys_generate(c, &k, id)) == COUNCIL_OK)
        rc = council__keyfile_write_pinned(c, &keyfile, &k, c->council_id, c->log_pk, pass,
                                           pass_len, ops, mem);
    /* The keys on record change only once the new keyfile is durably in
     * place: a crash before leaves the old keys valid. */
    if (rc == COUNCIL_OK)
        rc = council__file_publish(c, op, path, keyfile.ptr, keyfile.len);
    council_buf_free(&keyfile);
    if (rc != COUNCIL_OK) {
        council__member_keys_free(&k);
        return rc;
    }
    if ((rc = council__audit_batch_begin(c)) == COUNCIL_OK)
        rc = council__finish(c, store_keys(c, op, id, k.box_pk, k.sign_pk, "generated"));
    if (rc != COUNCIL_OK) {
        /* Not registered: the file's keys open nothing; it goes. */
        (void)unlink(path);
        (void)council__fsync_parent(path);
    } else {
        /* Registered: the file stays even if sealing fails (on the record). */
        rc = seal_after_commit(c, id, k.box_pk);
    }
    council__member_keys_free(&k);
    return rc;
}

int council_member_register_key(council *c, const uint8_t *id, size_t id_len,
                                const uint8_t *box_pk, size_t box_pk_len,
                                const uint8_t *sign_pk, size_t sign_pk_len)
{
    static const uint8_t zero[32];
    int rc;

    if ((rc = council__root_id(c, "member_register_key", id, id_len)) != COUNCIL_OK ||
        (rc = council__no_batch(c, "member_register_key")) != COUNCIL_OK)
        return rc;
    if (box_pk == NULL || sign_pk == NULL || box_pk_len != 32 || sign_pk_len != 32)
        return council__fail(c, COUNCIL_EINVAL, "member_register_key: keys must be %d bytes",
                             COUNCIL_PUBLIC_KEY_BYTES);
    if (sodium_memcmp(box_pk, zero, 32) == 0 || crypto_core_ed25519_is_valid_point(sign_pk) != 1)
        return council__fail(c, COUNCIL_EINVAL, "member_register_key: not a valid public key");
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    rc = council__finish(c, store_keys(c, "member_register_key", id, box_pk, sign_pk, "registered"));
    return rc == COUNCIL_OK ? seal_after_commit(c, id, box_pk) : rc;
}

/* --------------------------------------------------------------- listing */

#define MEMBER_COLUMNS \
    "id, name, kind, roles, scopes, contact, joined, withdrawn, withdrawal_reason, box_pk, " \
    "sign_pk, updated"

/* One row as a freshly allocated message (free with free_member). */
static Council__V1__Member *row_member(sqlite3_stmt *st)
{
    Council__V1__Member *m = council__calloc(1, sizeof *m);
    const char *scopes;
    char id_text[37], origin[96], vkey[512];

    if (m == NULL)
        return NULL;
    council__v1__member__init(m);
    m->id.len = COUNCIL_ID_BYTES;
    m->id.data = council__malloc(COUNCIL_ID_BYTES);
    if (m->id.data == NULL || sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
        goto fail;
    memcpy(m->id.data, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
    council__uuid_text(id_text, m->id.data);
    m->id_text = council__strdup(id_text);
    m->name = council__strdup((const char *)sqlite3_column_text(st, 1));
    if (m->id_text == NULL || m->name == NULL)
        goto fail;
    m->kind = (Council__V1__MemberKind)sqlite3_column_int(st, 2);
    m->secretariat = ((unsigned)sqlite3_column_int(st, 3) & COUNCIL_ROLE_SECRETARIAT) != 0;
    m->coordinating_body = ((unsigned)sqlite3_column_int(st, 3) & COUNCIL_ROLE_COORDINATING_BODY) != 0;
    scopes = (const char *)sqlite3_column_text(st, 4);
    if (scopes != NULL && scopes[0] != '\0') {
        char *copy = council__strdup(scopes), *save = NULL, *tok;
        if (copy == NULL)
            goto fail;
        m->scope_ceiling = council__calloc(SCOPES_MAX, sizeof *m->scope_ceiling);
        for (tok = strtok_r(copy, ",", &save); m->scope_ceiling != NULL && tok != NULL &&
                                               m->n_scope_ceiling < SCOPES_MAX;
             tok = strtok_r(NULL, ",", &save))
            if ((m->scope_ceiling[m->n_scope_ceiling] = council__strdup(tok)) != NULL)
                m->n_scope_ceiling++;
        council__free(copy);
        if (m->scope_ceiling == NULL)
            goto fail;
    }
    if (sqlite3_column_type(st, 5) != SQLITE_NULL &&
        (m->contact = council__strdup((const char *)sqlite3_column_text(st, 5))) == NULL)
        goto fail;
    m->joined = sqlite3_column_int64(st, 6);
    m->status = sqlite3_column_type(st, 7) == SQLITE_NULL
                    ? COUNCIL__V1__MEMBER_STATUS__MEMBER_STATUS_ACTIVE
                    : COUNCIL__V1__MEMBER_STATUS__MEMBER_STATUS_WITHDRAWN;
    if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
        m->has_withdrawn = true;
        m->withdrawn = sqlite3_column_int64(st, 7);
        if ((m->withdrawal_reason = council__strdup((const char *)sqlite3_column_text(st, 8))) == NULL)
            goto fail;
    }
    if (sqlite3_column_bytes(st, 9) == 32 && sqlite3_column_bytes(st, 10) == 32) {
        m->has_box_public_key = m->has_sign_public_key = true;
        m->box_public_key.len = m->sign_public_key.len = 32;
        m->box_public_key.data = council__malloc(32);
        m->sign_public_key.data = council__malloc(32);
        if (m->box_public_key.data == NULL || m->sign_public_key.data == NULL)
            goto fail;
        memcpy(m->box_public_key.data, sqlite3_column_blob(st, 9), 32);
        memcpy(m->sign_public_key.data, sqlite3_column_blob(st, 10), 32);
        (void)snprintf(origin, sizeof origin, "libcouncil/member/%s", id_text);
        if (council__vkey_format(vkey, sizeof vkey, origin, COUNCIL__SIG_COSIGN,
                                 m->sign_public_key.data) == COUNCIL_OK &&
            (m->cosigner_key = council__strdup(vkey)) == NULL)
            goto fail;
    }
    m->updated = sqlite3_column_int64(st, 11);
    return m;
fail:
    council__v1__member__free_unpacked(m, council__pb_allocator());
    return NULL;
}

int council_member_get(council *c, council_buf *out, const uint8_t *id, size_t id_len)
{
    Council__V1__Member *m = NULL;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = council__root_id(c, "member_get", id, id_len)) != COUNCIL_OK)
        return rc;
    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "member_get: NULL out");
    out->ptr = NULL;
    out->len = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT " MEMBER_COLUMNS " FROM member WHERE id = ?;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__fail(c, COUNCIL_EIO, "member_get: cannot read the registry");
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        rc = council__fail(c, COUNCIL_ENOTFOUND, "member_get: no such member");
    else if (rc != SQLITE_ROW)
        rc = council__fail(c, COUNCIL_EIO, "member_get: cannot read the registry");
    else if ((m = row_member(st)) == NULL)
        rc = council__fail(c, COUNCIL_ENOMEM, "member_get: out of memory");
    else
        rc = council__pack_out(c, "member_get", out, &m->base);
    sqlite3_finalize(st);
    if (m != NULL)
        council__v1__member__free_unpacked(m, council__pb_allocator());
    return rc;
}

int council_member_list(council *c, council_buf *out)
{
    Council__V1__MemberList list = COUNCIL__V1__MEMBER_LIST__INIT;
    Council__V1__Member **v = NULL;
    sqlite3_stmt *st = NULL;
    size_t n = 0, cap = 0;
    int rc = COUNCIL_OK, src;

    if (!council__ok(c) || out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "member_list: bad handle or NULL out");
    if ((rc = council__root_only(c, "member_list")) != COUNCIL_OK)
        return rc;
    out->ptr = NULL;
    out->len = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT " MEMBER_COLUMNS " FROM member ORDER BY seq;", -1, &st,
                           NULL) != SQLITE_OK)
        return council__fail(c, COUNCIL_EIO, "member_list: cannot read the registry");
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            size_t ncap = cap == 0 ? 16 : cap * 2;
            Council__V1__Member **nv = council__calloc(ncap, sizeof *nv);
            if (nv == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "member_list: out of memory");
                break;
            }
            if (v != NULL)
                memcpy(nv, v, n * sizeof *v);
            council__free(v);
            v = nv;
            cap = ncap;
        }
        if ((v[n] = row_member(st)) == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "member_list: out of memory");
            break;
        }
        n++;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "member_list: cannot read the registry");
    sqlite3_finalize(st);
    if (rc == COUNCIL_OK) {
        list.n_members = n;
        list.members = v;
        rc = council__pack_out(c, "member_list", out, &list.base);
    }
    for (size_t i = 0; i < n; i++)
        council__v1__member__free_unpacked(v[i], council__pb_allocator());
    council__free(v);
    return rc;
}

int council_members_announce(council *c, council_buf *out)
{
    Council__V1__Announcement a = COUNCIL__V1__ANNOUNCEMENT__INIT;
    char **names = NULL;
    char *council_name = NULL, *coordinator = NULL;
    sqlite3_stmt *st = NULL;
    size_t n = 0, cap = 0;
    int rc = COUNCIL_OK, src;

    if (!council__ok(c) || out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "members_announce: bad handle or NULL out");
    if ((rc = council__actor_ok(c, "members_announce")) != COUNCIL_OK)
        return rc;
    out->ptr = NULL;
    out->len = 0;
    if ((council_name = council__council_name(c)) == NULL)
        return council__fail(c, COUNCIL_EIO, "members_announce: cannot read the council");
    if (sqlite3_prepare_v2(c->db, "SELECT name, roles FROM member WHERE withdrawn IS NULL "
                                  "ORDER BY seq;", -1, &st, NULL) != SQLITE_OK) {
        rc = council__fail(c, COUNCIL_EIO, "members_announce: cannot read the registry");
        goto out;
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (n == cap) {
            size_t ncap = cap == 0 ? 16 : cap * 2;
            char **nv = council__calloc(ncap, sizeof *nv);
            if (nv == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "members_announce: out of memory");
                goto out;
            }
            if (names != NULL)
                memcpy(nv, names, n * sizeof *names);
            council__free(names);
            names = nv;
            cap = ncap;
        }
        if ((names[n] = council__strdup(name)) == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "members_announce: out of memory");
            goto out;
        }
        n++;
        if (((unsigned)sqlite3_column_int(st, 1) & COUNCIL_ROLE_COORDINATING_BODY) != 0 &&
            coordinator == NULL && (coordinator = council__strdup(name)) == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "members_announce: out of memory");
            goto out;
        }
    }
    if (src != SQLITE_DONE) {
        rc = council__fail(c, COUNCIL_EIO, "members_announce: cannot read the registry");
        goto out;
    }
    a.council_name = council_name;
    a.coordinating_body = coordinator;
    a.n_members = n;
    a.members = names;
    rc = council__pack_out(c, "members_announce", out, &a.base);
out:
    sqlite3_finalize(st);
    for (size_t i = 0; i < n; i++)
        council__free(names[i]);
    council__free(names);
    council__free(council_name);
    council__free(coordinator);
    return rc;
}

/* ------------------------------------------------------------ member keys */

int council__member_box_pk(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                           uint8_t pk[32], bool *found)
{
    sqlite3_stmt *st = NULL;
    int src;

    *found = false;
    if (sqlite3_prepare_v2(c->db, "SELECT box_pk FROM member WHERE withdrawn IS NULL AND box_pk IS "
                                  "NOT NULL AND id = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_TRANSIENT) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__fail(c, COUNCIL_EIO, "%s: database error", op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32) {
        memcpy(pk, sqlite3_column_blob(st, 0), 32);
        *found = true;
    }
    sqlite3_finalize(st);
    return src == SQLITE_ROW || src == SQLITE_DONE
               ? COUNCIL_OK
               : council__fail(c, COUNCIL_EIO, "%s: database error", op);
}

int council__member_pks(council *c, const char *op, council__member_pk **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = COUNCIL_OK, src;

    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT id, box_pk, sign_pk FROM member WHERE withdrawn IS NULL "
                                  "AND box_pk IS NOT NULL;", -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__fail(c, COUNCIL_EIO, "%s: database error", op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        council__member_pk *m;
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES || sqlite3_column_bytes(st, 1) != 32)
            continue;
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            council__member_pk *np = council__calloc(ncap, sizeof *np);
            if (np == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
                break;
            }
            if (*n > 0)
                memcpy(np, *out, *n * sizeof *np);
            council__free(*out);
            *out = np;
            cap = ncap;
        }
        m = &(*out)[(*n)++];
        memcpy(m->id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        memcpy(m->box_pk, sqlite3_column_blob(st, 1), 32);
        if ((m->has_sign_pk = sqlite3_column_bytes(st, 2) == 32))
            memcpy(m->sign_pk, sqlite3_column_blob(st, 2), 32);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "%s: database error", op);
    sqlite3_finalize(st);
    if (rc != COUNCIL_OK) {
        council__free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* Stores from before the signed key directory: the members' registered
 * keys are signed once, as the registry holds them at the first open by
 * the secretariat with this library (setting member_key_sigs marks it). */
int council__member_keys_sign_existing(council *c)
{
    council__member_pk *ms = NULL;
    uint8_t *done = NULL;
    size_t n = 0, len = 0;
    int rc;

    if ((rc = council__setting_get(c, "member_key_sigs", &done, &len)) != COUNCIL_OK)
        return council__fail(c, rc, rc == COUNCIL_ENOMEM ? "keys: out of memory"
                                                         : "keys: database error");
    council__free(done);
    if (done != NULL)
        return COUNCIL_OK;
    if ((rc = council__member_pks(c, "keys", &ms, &n)) != COUNCIL_OK)
        return rc;
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++)
        rc = council__member_key_sign(c, ms[i].id, ms[i].box_pk,
                                      ms[i].has_sign_pk ? ms[i].sign_pk : NULL);
    council__free(ms);
    if (rc == COUNCIL_OK &&
        council__setting_put(c, "member_key_sigs", (const uint8_t *)"1", 1, true) != COUNCIL_OK)
        rc = council__fail(c, COUNCIL_EIO, "keys: cannot store %s", "member_key_sigs");
    return rc;
}

/* Members' signing keys, for key directories signed before (the store's
 * upgrade at the secretariat's first session): every member whose row
 * has both keys. */
int council__member_directory_upgrade(council *c)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    if (sqlite3_prepare_v2(c->db, "SELECT id, box_pk, sign_pk FROM member;", -1, &st, NULL) !=
        SQLITE_OK) {
        sqlite3_finalize(st);
        return council__fail(c, COUNCIL_EIO, "keys: database error");
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t id[COUNCIL_ID_BYTES], pk[32], spk[32];
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES || sqlite3_column_bytes(st, 1) != 32 ||
            sqlite3_column_bytes(st, 2) != 32)
            continue;
        memcpy(id, sqlite3_column_blob(st, 0), sizeof id);
        memcpy(pk, sqlite3_column_blob(st, 1), sizeof pk);
        memcpy(spk, sqlite3_column_blob(st, 2), sizeof spk);
        rc = council__member_key_upgrade(c, id, pk, spk);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "keys: database error");
    sqlite3_finalize(st);
    return rc;
}

int council__member_keys_of(council *c, const uint8_t id[COUNCIL_ID_BYTES], bool *found,
                            bool *active, uint8_t box_pk[32], bool *has_pk)
{
    sqlite3_stmt *st = NULL;
    int src;

    *found = *active = *has_pk = false;
    if (sqlite3_prepare_v2(c->db, "SELECT withdrawn IS NULL, box_pk FROM member WHERE id = ?1;", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return COUNCIL_EIO;
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        *found = true;
        *active = sqlite3_column_int(st, 0) != 0;
        if ((*has_pk = sqlite3_column_bytes(st, 1) == 32))
            memcpy(box_pk, sqlite3_column_blob(st, 1), 32);
    }
    sqlite3_finalize(st);
    return src == SQLITE_ROW || src == SQLITE_DONE ? COUNCIL_OK : COUNCIL_EIO;
}

int council__member_exists(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES], bool *yes)
{
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM member WHERE id = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    return council__row_exists(c, op, st, yes);
}

/* --- added by H1 for issue 11 --- */
int council__member_kinds(council *c, const char *op, council__member_kind **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    council__member_kind *ks = NULL;
    size_t cap = 0;
    int rc = COUNCIL_OK, src;

    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT id, kind FROM member;", -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
            continue;
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            council__member_kind *nk = council__calloc(ncap, sizeof *nk);
            if (nk == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
                break;
            }
            if (*n > 0)
                memcpy(nk, ks, *n * sizeof *nk);
            council__free(ks);
            ks = nk;
            cap = ncap;
        }
        memcpy(ks[*n].id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        ks[(*n)++].kind = sqlite3_column_int(st, 1);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc != COUNCIL_OK) {
        council__free(ks);
        *n = 0;
        return rc;
    }
    *out = ks;
    return COUNCIL_OK;
}
