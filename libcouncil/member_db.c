/*
 * member_db.c - the member register's rows (table member): the rows the
 * secretariat signs and their checks, a member's state and keys, the
 * changes the register's operations make (member.c), and the rows read
 * back as messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/member.pb-c.h"
#include "council_int.h"
#include "attest.h"
#include "crypto.h"
#include "keydir.h"
#include "member_db.h"
#include "note.h"
#include "sql.h"
#include "store.h"
#include "buf.h"

/* ------------------------------------------------------- signed rows */

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
    if (council__prepare(c, "SELECT kind, roles, scopes, withdrawn, box_pk, sign_pk, sig FROM "
                                  "member WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        static const uint8_t zero[32];
        const unsigned char *sc = sqlite3_column_text(st, 2);
        size_t sl = sc != NULL ? strlen((const char *)sc) : 0;
        uint8_t *p = m;
        if (sl > 2048) {
            council__finalize(c, st);
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
    council__finalize(c, st);
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
        (council__prepare(c, "UPDATE member SET sig = ?2 WHERE id = ?1;", &st) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot write the registry", op);
    council__finalize(c, st);
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

    if (council__prepare(c, "SELECT id FROM member WHERE sig IS NULL;", &st) != SQLITE_OK)
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
    council__finalize(c, st);
    return rc;
}

int council__member_active(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (council__prepare(c, "SELECT withdrawn IS NULL FROM member WHERE id = ?;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        rc = sqlite3_column_int(st, 0);
    else if (rc == SQLITE_DONE)
        rc = council__fail(c, COUNCIL_ENOTFOUND, "%s: no such member", op);
    else
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
    council__finalize(c, st);
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

/* How many active members other than `self` (NULL: none) hold a role of
 * `mask`: EIO named for op. */
static int count_roles(council *c, const char *op, int mask, const uint8_t *self, int64_t *n)
{
    sqlite3_stmt *st = NULL;

    *n = 0;
    if (council__prepare(c, "SELECT count(*) FROM member WHERE (roles & ?2) != 0 AND "
                                  "withdrawn IS NULL AND (?1 IS NULL OR id != ?1);", &st) != SQLITE_OK ||
        (self != NULL ? sqlite3_bind_blob(st, 1, self, COUNCIL_ID_BYTES, SQLITE_STATIC)
                      : sqlite3_bind_null(st, 1)) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, mask) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
    }
    *n = sqlite3_column_int64(st, 0);
    council__finalize(c, st);
    return COUNCIL_OK;
}

/* Another active coordinating body than `self` (NULL: any)? */
int council__member_coordinator_taken(council *c, const char *op, const uint8_t *self)
{
    int64_t n = 0;
    int rc = count_roles(c, op, COUNCIL_ROLE_COORDINATING_BODY, self, &n);

    if (rc == COUNCIL_OK && n > 0)
        rc = council__fail(c, COUNCIL_EEXIST, "%s: the council has a coordinating body already", op);
    return rc;
}

/* How many active members other than `self` (NULL: none) hold a role. */
int council__member_role_holders(council *c, const char *op, const uint8_t *self, int64_t *n)
{
    return count_roles(c, op, COUNCIL_ROLE_SECRETARIAT | COUNCIL_ROLE_COORDINATING_BODY, self, n);
}

static int step_done(council *c, const char *op, sqlite3_stmt *st)
{
    int src = sqlite3_step(st);

    council__finalize(c, st);
    if (src == SQLITE_CONSTRAINT)
        return council__fail(c, COUNCIL_EEXIST, "%s: the council has a coordinating body already", op);
    return src == SQLITE_DONE ? COUNCIL_OK
                              : council__fail(c, COUNCIL_EIO, "%s: cannot write the registry", op);
}

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

/* ------------------------------------------------------------ changes */

int council__member_insert(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                           const council_member_options *o, const char *scopes)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, "INSERT INTO member (id, name, kind, roles, scopes, contact, "
                                  "joined, updated, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                                  "(SELECT coalesce(max(seq), 0) + 1 FROM member));", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        bind_entry(st, o, scopes)) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot write the registry", op);
    }
    return step_done(c, op, st);
}

int council__member_update_row(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                               const council_member_options *o, const char *scopes)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, "UPDATE member SET name = ?2, kind = ?3, roles = ?4, scopes = ?5, "
                                  "contact = ?6, joined = CASE WHEN ?7 = 0 THEN joined ELSE ?7 END, "
                                  "updated = ?8 WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        bind_entry(st, o, scopes)) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot write the registry", op);
    }
    return step_done(c, op, st);
}

int council__member_withdraw_row(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                                 int64_t when, const char *reason)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, "UPDATE member SET withdrawn = ?2, withdrawal_reason = ?3, "
                                  "updated = ?4 WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, when) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL)) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot write the registry", op);
    }
    return step_done(c, op, st);
}

int council__member_keys_put(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                             const uint8_t box_pk[32], const uint8_t sign_pk[32])
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, "UPDATE member SET box_pk = ?2, sign_pk = ?3, updated = ?4 "
                                  "WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, box_pk, 32, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, sign_pk, 32, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL)) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot write the registry", op);
    }
    return step_done(c, op, st);
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
        m->scope_ceiling = council__calloc(COUNCIL__MEMBER_SCOPES_MAX, sizeof *m->scope_ceiling);
        for (tok = strtok_r(copy, ",", &save); m->scope_ceiling != NULL && tok != NULL &&
                                               m->n_scope_ceiling < COUNCIL__MEMBER_SCOPES_MAX;
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


int council__member_message(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                            Council__V1__Member **out)
{
    sqlite3_stmt *st = NULL;
    int rc;

    *out = NULL;
    if (council__prepare(c, "SELECT " MEMBER_COLUMNS " FROM member WHERE id = ?;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        rc = council__fail(c, COUNCIL_ENOTFOUND, "%s: no such member", op);
    else if (rc != SQLITE_ROW)
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
    else if ((*out = row_member(st)) == NULL)
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    else
        rc = COUNCIL_OK;
    council__finalize(c, st);
    return rc;
}

int council__member_messages(council *c, const char *op, Council__V1__Member ***out, size_t *count)
{
    Council__V1__Member **v = NULL;
    sqlite3_stmt *st = NULL;
    size_t n = 0, cap = 0;
    int rc = COUNCIL_OK, src;

    *out = NULL;
    *count = 0;
    if (council__prepare(c, "SELECT " MEMBER_COLUMNS " FROM member ORDER BY seq;", &st) != SQLITE_OK)
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            Council__V1__Member **nv = council__grow(v, &cap, n, sizeof *nv);
            if (nv == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
                break;
            }
            v = nv;
        }
        if ((v[n] = row_member(st)) == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
        n++;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
    council__finalize(c, st);
    if (rc != COUNCIL_OK) {
        for (size_t i = 0; i < n; i++)
            council__v1__member__free_unpacked(v[i], council__pb_allocator());
        council__free(v);
        return rc;
    }
    *out = v;
    *count = n;
    return COUNCIL_OK;
}

int council__member_names(council *c, const char *op, char ***out, size_t *count,
                          char **coordinator)
{
    char **names = NULL;
    sqlite3_stmt *st = NULL;
    size_t n = 0, cap = 0;
    int rc = COUNCIL_OK, src;

    *out = NULL;
    *count = 0;
    *coordinator = NULL;
    if (council__prepare(c, "SELECT name, roles FROM member WHERE withdrawn IS NULL "
                                  "ORDER BY seq;", &st) != SQLITE_OK) {
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
        goto out;
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (n == cap) {
            char **nv = council__grow(names, &cap, n, sizeof *nv);
            if (nv == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
                goto out;
            }
            names = nv;
        }
        if ((names[n] = council__strdup(name)) == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            goto out;
        }
        n++;
        if (((unsigned)sqlite3_column_int(st, 1) & COUNCIL_ROLE_COORDINATING_BODY) != 0 &&
            *coordinator == NULL && (*coordinator = council__strdup(name)) == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            goto out;
        }
    }
    if (src != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
out:
    council__finalize(c, st);
    if (rc != COUNCIL_OK) {
        for (size_t i = 0; i < n; i++)
            council__free(names[i]);
        council__free(names);
        council__free(*coordinator);
        *coordinator = NULL;
        return rc;
    }
    *out = names;
    *count = n;
    return COUNCIL_OK;
}

/* ------------------------------------------------------------ member keys */

int council__member_box_pk(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                           uint8_t pk[32], bool *found)
{
    sqlite3_stmt *st = NULL;
    int src;

    *found = false;
    if (council__prepare(c, "SELECT box_pk FROM member WHERE withdrawn IS NULL AND box_pk IS "
                                  "NOT NULL AND id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_TRANSIENT) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: database error", op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32) {
        memcpy(pk, sqlite3_column_blob(st, 0), 32);
        *found = true;
    }
    council__finalize(c, st);
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
    if (council__prepare(c, "SELECT id, box_pk, sign_pk, roles FROM member WHERE withdrawn "
                                  "IS NULL AND box_pk IS NOT NULL;", &st) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: database error", op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        council__member_pk *m;
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES || sqlite3_column_bytes(st, 1) != 32)
            continue;
        if (*n == cap) {
            council__member_pk *np = council__grow(*out, &cap, *n, sizeof *np);
            if (np == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
                break;
            }
            *out = np;
        }
        m = &(*out)[(*n)++];
        memcpy(m->id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        memcpy(m->box_pk, sqlite3_column_blob(st, 1), 32);
        if ((m->has_sign_pk = sqlite3_column_bytes(st, 2) == 32))
            memcpy(m->sign_pk, sqlite3_column_blob(st, 2), 32);
        m->roles = (uint32_t)sqlite3_column_int64(st, 3);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "%s: database error", op);
    council__finalize(c, st);
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

    if (council__prepare(c, "SELECT id, box_pk, sign_pk FROM member;", &st) !=
        SQLITE_OK) {
        council__finalize(c, st);
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
    council__finalize(c, st);
    return rc;
}

int council__member_keys_of(council *c, const uint8_t id[COUNCIL_ID_BYTES], bool *found,
                            bool *active, uint8_t box_pk[32], bool *has_pk)
{
    sqlite3_stmt *st = NULL;
    int src;

    *found = *active = *has_pk = false;
    if (council__prepare(c, "SELECT withdrawn IS NULL, box_pk FROM member WHERE id = ?1;",
                           &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return COUNCIL_EIO;
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        *found = true;
        *active = sqlite3_column_int(st, 0) != 0;
        if ((*has_pk = sqlite3_column_bytes(st, 1) == 32))
            memcpy(box_pk, sqlite3_column_blob(st, 1), 32);
    }
    council__finalize(c, st);
    return src == SQLITE_ROW || src == SQLITE_DONE ? COUNCIL_OK : COUNCIL_EIO;
}

int council__member_roles(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                          uint32_t *roles)
{
    sqlite3_stmt *st = NULL;
    int src;

    *roles = 0;
    if (council__prepare(c, "SELECT roles FROM member WHERE id = ?1 AND withdrawn IS NULL;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: database error", op);
    }
    if ((src = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER)
        *roles = (uint32_t)sqlite3_column_int64(st, 0) &
                 (COUNCIL_ROLE_SECRETARIAT | COUNCIL_ROLE_COORDINATING_BODY);
    council__finalize(c, st);
    return src == SQLITE_ROW || src == SQLITE_DONE ? COUNCIL_OK
                                                   : council__fail(c, COUNCIL_EIO, "%s: database error", op);
}

int council__member_exists(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES], bool *yes)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, "SELECT 1 FROM member WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return council__row_exists(c, op, st, yes);
}

/* ---------------------------------------------- rows for other modules */

/* For the platform report (report.c; H1, issue 11). */
int council__member_kinds(council *c, const char *op, council__member_kind **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    council__member_kind *ks = NULL;
    size_t cap = 0;
    int rc = COUNCIL_OK, src;

    *out = NULL;
    *n = 0;
    if (council__prepare(c, "SELECT id, kind FROM member;", &st) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
            continue;
        if (*n == cap) {
            council__member_kind *nk = council__grow(ks, &cap, *n, sizeof *nk);
            if (nk == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
                break;
            }
            ks = nk;
        }
        memcpy(ks[*n].id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        ks[(*n)++].kind = sqlite3_column_int(st, 1);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc != COUNCIL_OK) {
        council__free(ks);
        *n = 0;
        return rc;
    }
    *out = ks;
    return COUNCIL_OK;
}

/* For a share's recipient and scope removal (share.c, scope.c; H2, issue 11). */
int council__member_recipient(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                              bool *found, bool *withdrawn, uint8_t box_pk[32], bool *has_pk,
                              char *scopes, size_t cap)
{
    sqlite3_stmt *st = NULL;
    int src;

    *found = *withdrawn = *has_pk = false;
    if (cap > 0)
        scopes[0] = '\0';
    if (council__prepare(c, "SELECT withdrawn IS NOT NULL, box_pk, scopes FROM member "
                                  "WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        const unsigned char *s = sqlite3_column_text(st, 2);
        *found = true;
        *withdrawn = sqlite3_column_int(st, 0) != 0;
        if ((*has_pk = sqlite3_column_bytes(st, 1) == 32))
            memcpy(box_pk, sqlite3_column_blob(st, 1), 32);
        if (cap > 0)
            snprintf(scopes, cap, "%s", s != NULL ? (const char *)s : "");
    }
    council__finalize(c, st);
    return src == SQLITE_ROW || src == SQLITE_DONE ? COUNCIL_OK : council__db_err(c, op);
}

int council__member_ceiling_uses(council *c, const char *op, const char *scope, bool *yes)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, "SELECT 1 FROM member WHERE instr(',' || scopes || ',', ',' || "
                                  "?1 || ',') > 0 LIMIT 1;", &st) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, scope, -1, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return council__row_exists(c, op, st, yes);
}
