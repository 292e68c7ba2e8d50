/*
 * share_db.c - the table case_share: share rows, their signatures (signed
 * by the grantor, checked before a row grants anything), their ends, and
 * the lookups share.c and the modules below it need. Holds every SQL
 * statement on case_share; the operations are share.c's.
 */
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/case.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "session.h"
#include "sql.h"
#include "attest.h"
#include "share_db.h"
#include "event.h"
#include "case_db.h"
#include "buf.h"
#include "store.h"

/* ------------------------------------------------------ signed shares */

/* A share as its grantor signs it (kind "share"; the secretariat's log key
 * or the owning member's signing key):
 *     case || member || u8(len) || scope || u8(len) || purpose || u8(len) || basis
 *     || consent id (zeros if none) || u64be(granted) || u64be(expires, 0 if none)
 *     || meeting id (zeros if none)
 * An end needs no signature (it only takes access away): ending a share
 * removes the grant's signature, so taking the end off again leaves a row
 * that grants nothing. Columns as selected in council__share_active. */
#define SMSG_MAX (16 * 4 + 3 + 3 * COUNCIL__AUDIT_CODE_MAX + 16)

static bool share_msg(sqlite3_stmt *st, uint8_t *m, size_t *len)
{
    static const uint8_t zero[16];
    const char *t[3];
    uint8_t *p = m;

    if (sqlite3_column_bytes(st, 0) != 16 || sqlite3_column_bytes(st, 1) != 16)
        return false;
    /* The dates as integers only: SQL orders a BLOB or TEXT of the same
     * digits above every integer ("expires > now" would hold for ever),
     * while the message below reads the digits back (review 2). */
    if (sqlite3_column_type(st, 6) != SQLITE_INTEGER ||
        (sqlite3_column_type(st, 7) != SQLITE_INTEGER && sqlite3_column_type(st, 7) != SQLITE_NULL))
        return false;
    for (int i = 0; i < 3; i++) {
        t[i] = (const char *)sqlite3_column_text(st, 2 + i);
        if (t[i] == NULL || strlen(t[i]) > COUNCIL__AUDIT_CODE_MAX)
            return false;
    }
    p = council__put_bytes(p, sqlite3_column_blob(st, 0), 16);
    p = council__put_bytes(p, sqlite3_column_blob(st, 1), 16);
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(t[i]);
        *p++ = (uint8_t)n;
        p = council__put_bytes(p, t[i], n);
    }
    p = council__put_bytes(p, sqlite3_column_bytes(st, 5) == 16 ? sqlite3_column_blob(st, 5)
                                                                : (const void *)zero, 16);
    p = council__put_u64(p, (uint64_t)sqlite3_column_int64(st, 6));
    p = council__put_u64(p, (uint64_t)sqlite3_column_int64(st, 7));
    p = council__put_bytes(p, sqlite3_column_bytes(st, 8) == 16 ? sqlite3_column_blob(st, 8)
                                                                : (const void *)zero, 16);
    *len = (size_t)(p - m);
    return true;
}

static int share_row_ok(council *c, const char *op, sqlite3_stmt *st, bool *ok)
{
    uint8_t m[SMSG_MAX], owner[COUNCIL_ID_BYTES];
    const uint8_t *signer = sqlite3_column_blob(st, 9);
    size_t len = 0;
    int rc;

    *ok = false;
    if (!share_msg(st, m, &len) || sqlite3_column_bytes(st, 9) != 16)
        return COUNCIL_OK;
    rc = council__attest_check(c, "share", m, len, signer, 16, sqlite3_column_blob(st, 10),
                               (size_t)sqlite3_column_bytes(st, 10));
    if (rc != COUNCIL_OK && rc != COUNCIL_ETAMPER)
        return rc; /* the signer's key unread: EIO, no finding */
    if (rc != COUNCIL_OK) {
        council__clear(c);
        return COUNCIL_OK;
    }
    if (rc != COUNCIL_OK)
        return rc;
    if (sodium_is_zero(signer, 16)) {
        *ok = true;
        return COUNCIL_OK;
    }
    rc = council__case_owner(c, op, sqlite3_column_blob(st, 0), owner);
    if (rc == COUNCIL_OK)
        *ok = sodium_memcmp(owner, signer, 16) == 0;
    return rc;
}

/* Sign the share row `seq` just written, as this session. */
static int share_sign(council *c, const char *op, sqlite3_int64 seq)
{
    uint8_t m[SMSG_MAX], signer[COUNCIL_ID_BYTES], sig[64];
    sqlite3_stmt *st = NULL;
    size_t len = 0;
    bool have = false;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "SELECT case_id, member_id, scope, purpose, basis, consent_id, "
                                  "granted, expires, meeting_id FROM case_share WHERE seq = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, seq) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        have = share_msg(st, m, &len);
    council__finalize(c, st);
    st = NULL;
    if (!have)
        return council__db_err(c, op);
    if ((rc = council__attest_sign(c, "share", m, len, signer, sig)) != COUNCIL_OK)
        return rc;
    if (council__prepare(c, "UPDATE case_share SET signer = ?2, sig = ?3 WHERE seq = ?1;",
                           &st) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, seq) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, signer, sizeof signer, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

int council__shares_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    if (council__prepare(c, "SELECT case_id, member_id, scope, purpose, basis, consent_id, "
                                  "granted, expires, meeting_id, signer, sig, seq FROM case_share "
                                  "WHERE revoked IS NULL AND signer = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, "keys");
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        bool ok = false;
        if ((rc = share_row_ok(c, "keys", st, &ok)) == COUNCIL_OK && ok)
            rc = share_sign(c, "keys", sqlite3_column_int64(st, 11));
        else if (rc == COUNCIL_ETAMPER)
            rc = COUNCIL_OK; /* not the member's: stays what it is */
        council__clear(c);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, "keys");
    council__finalize(c, st);
    return rc;
}

int council__share_upgrade(council *c)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    if (council__prepare(c, "SELECT seq FROM case_share WHERE revoked IS NULL AND sig IS NULL;", &st) != SQLITE_OK)
        return council__db_err(c, "open");
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
        rc = share_sign(c, "open", sqlite3_column_int64(st, 0));
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, "open");
    council__finalize(c, st);
    return rc;
}

/* A signed share of the case's scope (NULL: any) to the member, not
 * revoked, and not expired (or, meeting not NULL, expired only as that
 * meeting's window ended). */
static int share_find(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                      const uint8_t member[COUNCIL_ID_BYTES], const char *scope,
                      const uint8_t *meeting, bool *yes)
{
    static const char sql[] = "SELECT case_id, member_id, scope, purpose, basis, consent_id, granted, "
                              "expires, meeting_id, signer, sig FROM case_share WHERE case_id = ?1 "
                              "AND member_id = ?2 AND (?3 IS NULL OR scope = ?3) AND revoked IS NULL "
                              "AND (expires IS NULL OR expires > ?4 OR (?5 IS NOT NULL AND "
                              "meeting_id = ?5));";
    sqlite3_stmt *st = NULL;
    bool forged = false;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    *yes = false;
    if (council__prepare(c, sql, &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        (scope != NULL ? sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC)
                       : sqlite3_bind_null(st, 3)) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        (meeting != NULL ? sqlite3_bind_blob(st, 5, meeting, COUNCIL_ID_BYTES, SQLITE_STATIC)
                         : sqlite3_bind_null(st, 5)) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    /* Active only as the owner or the secretariat granted it: a share row
     * someone holding the database key wrote (or took the end off) counts
     * for nothing, and is logged. */
    while (rc == COUNCIL_OK && !*yes && (src = sqlite3_step(st)) == SQLITE_ROW) {
        bool ok = false;
        rc = share_row_ok(c, op, st, &ok);
        if (ok)
            *yes = true;
        else
            forged = true;
    }
    if (rc == COUNCIL_OK && !*yes && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc == COUNCIL_OK && forged && !*yes)
        rc = council__tamper(c, case_id, scope, member, "forged_share");
    return rc;
}

int council__share_active(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const uint8_t member[COUNCIL_ID_BYTES], const char *scope, bool *yes)
{
    return share_find(c, op, case_id, member, scope, NULL, yes);
}

int council__share_held_at(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                           const uint8_t member[COUNCIL_ID_BYTES],
                           const uint8_t meeting[COUNCIL_ID_BYTES], bool *yes)
{
    return share_find(c, op, case_id, member, NULL, meeting, yes);
}

/* ------------------------------------------------------ rows written */

int council__share_insert(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const uint8_t member[COUNCIL_ID_BYTES], const char *scope,
                          const council_share_options *o, int64_t now, int64_t expires,
                          const uint8_t *meeting_id)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "INSERT INTO case_share (case_id, member_id, scope, purpose, "
                                  "basis, basis_reason, consent_id, granted, expires, "
                                  "granted_by_member, granted_by_staff, meeting_id, "
                                  "purpose_text, second_approver) VALUES (?1, ?2, ?3, ?4, ?5, "
                                  "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14);", &st) != SQLITE_OK ||
        (o->purpose_text != NULL ? sqlite3_bind_text(st, 13, o->purpose_text, -1, SQLITE_STATIC)
                                 : sqlite3_bind_null(st, 13)) != SQLITE_OK ||
        (o->second_approver != NULL
             ? sqlite3_bind_blob(st, 14, o->second_approver, COUNCIL_ID_BYTES, SQLITE_STATIC)
             : sqlite3_bind_null(st, 14)) != SQLITE_OK ||
        (meeting_id != NULL ? sqlite3_bind_blob(st, 12, meeting_id, COUNCIL_ID_BYTES, SQLITE_STATIC)
                            : sqlite3_bind_null(st, 12)) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 4, o->purpose, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 5, o->basis, -1, SQLITE_STATIC) != SQLITE_OK ||
        (o->reason != NULL ? sqlite3_bind_text(st, 6, o->reason, -1, SQLITE_STATIC)
                           : sqlite3_bind_null(st, 6)) != SQLITE_OK ||
        (o->consent_id != NULL
             ? sqlite3_bind_blob(st, 7, o->consent_id, COUNCIL_ID_BYTES, SQLITE_STATIC)
             : sqlite3_bind_null(st, 7)) != SQLITE_OK ||
        sqlite3_bind_int64(st, 8, now) != SQLITE_OK ||
        (expires != 0 ? sqlite3_bind_int64(st, 9, expires)
                      : sqlite3_bind_null(st, 9)) != SQLITE_OK ||
        (council__is_root(c) ? sqlite3_bind_null(st, 10)
                    : sqlite3_bind_blob(st, 10, c->actor_member, COUNCIL_ID_BYTES, SQLITE_STATIC)) != SQLITE_OK ||
        (council__is_root(c) ? sqlite3_bind_null(st, 11)
                    : sqlite3_bind_blob(st, 11, c->actor_staff, COUNCIL_ID_BYTES, SQLITE_STATIC)) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc == COUNCIL_OK)
        rc = share_sign(c, op, sqlite3_last_insert_rowid(c->db));
    return rc;
}

int council__share_revoke(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const uint8_t member[COUNCIL_ID_BYTES], const char *scope,
                          const char *reason)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "UPDATE case_share SET revoked = ?4, revoke_reason = ?5, sig = NULL WHERE "
                                  "case_id = ?1 AND member_id = ?2 AND scope = ?3 AND revoked IS "
                                  "NULL;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        sqlite3_bind_text(st, 5, reason, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

/* ------------------------------------------------------------ lookups */

int council__share_expired(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                           const char *scope, uint8_t (*members)[COUNCIL_ID_BYTES], size_t max,
                           size_t *n)
{
    sqlite3_stmt *st = NULL;
    int src;

    *n = 0;
    if (council__prepare(c, "SELECT DISTINCT member_id FROM case_share WHERE case_id = ?1 AND "
                                  "scope = ?2 AND revoked IS NULL AND expires IS NOT NULL AND "
                                  "(typeof(expires) != 'integer' OR expires <= ?3) LIMIT 32;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL)) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW && *n < max)
        if (sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES)
            memcpy(members[(*n)++], sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
    council__finalize(c, st);
    if (src != SQLITE_DONE && src != SQLITE_ROW)
        return council__db_err(c, op);
    return COUNCIL_OK;
}

/* The rows of st (bound; columns case_id, member_id, scope) into refs;
 * st is finalized. member not NULL: it stands for the member_id column.
 * A scope is a code (codes_only) or any text of at most 64 bytes. */
static int refs_from(council *c, const char *op, sqlite3_stmt *st, const uint8_t *member,
                     bool codes_only, council__share_ref **out, size_t *n)
{
    size_t cap = 0;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    *out = NULL;
    *n = 0;
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *sc = (const char *)sqlite3_column_text(st, 2);
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES ||
            (member == NULL && sqlite3_column_bytes(st, 1) != COUNCIL_ID_BYTES) || sc == NULL ||
            (codes_only ? !council__audit_code_ok(sc) : strlen(sc) > COUNCIL__AUDIT_CODE_MAX))
            continue;
        void *more = council__grow(*out, &cap, *n, sizeof **out);
        if (more == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
        *out = more;
        memcpy((*out)[*n].case_id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        memcpy((*out)[*n].member, member != NULL ? member : sqlite3_column_blob(st, 1),
               COUNCIL_ID_BYTES);
        strcpy((*out)[*n].scope, sc);
        (*n)++;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc != COUNCIL_OK) {
        council__free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

int council__share_refs_of_meeting(council *c, const char *op,
                                   const uint8_t meeting_id[COUNCIL_ID_BYTES],
                                   council__share_ref **out, size_t *n)
{
    sqlite3_stmt *st = NULL;

    *out = NULL;
    *n = 0;
    if (council__prepare(c, "SELECT case_id, member_id, scope FROM case_share WHERE "
                                  "meeting_id = ?1 AND revoked IS NULL ORDER BY seq;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, meeting_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return refs_from(c, op, st, NULL, true, out, n);
}

int council__share_refs_of_member(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                                  council__share_ref **out, size_t *n)
{
    sqlite3_stmt *st = NULL;

    *out = NULL;
    *n = 0;
    if (council__prepare(c, "SELECT DISTINCT case_id, NULL, scope FROM case_share WHERE "
                                  "member_id = ?1 AND revoked IS NULL;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return refs_from(c, op, st, member, false, out, n);
}

int council__share_scopes_of(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                             const uint8_t member[COUNCIL_ID_BYTES],
                             char (**out)[COUNCIL__AUDIT_CODE_MAX + 1], size_t *n)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    *out = NULL;
    *n = 0;
    if (council__prepare(c, "SELECT DISTINCT scope FROM case_share WHERE case_id = ?1 AND "
                                  "member_id = ?2 AND revoked IS NULL ORDER BY scope;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        if (s == NULL || strlen(s) > COUNCIL__AUDIT_CODE_MAX || !council__audit_code_ok(s))
            continue;
        void *more = council__grow(*out, &cap, *n, sizeof **out);
        if (more == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
        *out = more;
        strcpy((*out)[(*n)++], s);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc != COUNCIL_OK) {
        council__free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

int council__share_consent_rows(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                                council__share_consent **out, size_t *n)
{
    council__share_consent *rows = NULL;
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    *out = NULL;
    *n = 0;
    if (council__prepare(c, "SELECT member_id, consent_id, scope, purpose, purpose_text FROM "
                                  "case_share WHERE case_id = ?1 AND basis = 'consent' AND revoked "
                                  "IS NULL ORDER BY seq;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *sc = (const char *)sqlite3_column_text(st, 2);
        const char *pu = (const char *)sqlite3_column_text(st, 3);
        council__share_consent *r;
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES || sc == NULL || pu == NULL ||
            !council__audit_code_ok(sc) || !council__audit_code_ok(pu))
            continue;
        void *more = council__grow(rows, &cap, *n, sizeof *rows);
        if (more == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
        rows = more;
        r = &rows[*n];
        memcpy(r->member, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        r->has_consent = sqlite3_column_bytes(st, 1) == COUNCIL_ID_BYTES;
        if (r->has_consent)
            memcpy(r->consent, sqlite3_column_blob(st, 1), COUNCIL_ID_BYTES);
        strcpy(r->scope, sc);
        strcpy(r->purpose, pu);
        {
            const char *tx = (const char *)sqlite3_column_text(st, 4);
            r->has_text = tx != NULL && strlen(tx) <= COUNCIL_CONTACT_MAX;
            if (r->has_text)
                strcpy(r->text, tx);
        }
        (*n)++;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc != COUNCIL_OK) {
        council__free(rows);
        *n = 0;
        return rc;
    }
    *out = rows;
    return COUNCIL_OK;
}

int council__share_scope_used(council *c, const char *op, const char *scope, bool *yes)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, "SELECT 1 FROM case_share WHERE scope = ?1 LIMIT 1;", &st) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, scope, -1, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return council__row_exists(c, op, st, yes);
}

/* ------------------------------------------------------ a case's rows */

static bool fill_share(sqlite3_stmt *st, void *item)
{
    Council__V1__Share *s = item;
    bool ok;

    council__v1__share__init(s);
    s->granted = sqlite3_column_int64(st, 5);
    s->has_expires = sqlite3_column_type(st, 6) != SQLITE_NULL;
    s->expires = sqlite3_column_int64(st, 6);
    s->has_revoked = sqlite3_column_type(st, 7) != SQLITE_NULL;
    s->revoked = sqlite3_column_int64(st, 7);
    ok = sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES &&
         council__sql_dup_blob(&s->member_id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES) &&
         (s->scope = council__sql_dup_col(st, 1)) != NULL && (s->purpose = council__sql_dup_col(st, 2)) != NULL &&
         (s->basis = council__sql_dup_col(st, 3)) != NULL;
    if (ok && sqlite3_column_bytes(st, 4) == COUNCIL_ID_BYTES) {
        s->has_consent_id = 1;
        ok = council__sql_dup_blob(&s->consent_id, sqlite3_column_blob(st, 4), COUNCIL_ID_BYTES);
    }
    if (ok && sqlite3_column_type(st, 8) != SQLITE_NULL)
        ok = (s->revoke_reason = council__sql_dup_col(st, 8)) != NULL;
    if (ok && sqlite3_column_type(st, 9) != SQLITE_NULL)
        ok = (s->basis_reason = council__sql_dup_col(st, 9)) != NULL;
    return ok;
}

/* The case's shares (every row, ended ones too) as Share items of m;
 * false for out of memory or a database error. */
bool council__share_infos(council *c, const uint8_t case_id[COUNCIL_ID_BYTES],
                          Council__V1__CaseInfo *m)
{
    return council__sql_rows_into(c, "SELECT member_id, scope, purpose, basis, consent_id, granted, "
                                   "expires, revoked, revoke_reason, basis_reason FROM case_share "
                                   "WHERE case_id = ?1 ORDER BY seq;", case_id,
                                   sizeof(Council__V1__Share), fill_share, (void ***)&m->shares,
                                   &m->n_shares);
}

/* The written reasons of the case's shares go (its erasure). EIO. */
int council__share_forget_bases(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES])
{
    return council__sql_exec1(c, op, "UPDATE case_share SET basis_reason = NULL WHERE case_id = ?1;",
                              case_id, COUNCIL_ID_BYTES, NULL, 0);
}

/* The case's active shares end, revoked "case_erased" (its erasure). EIO. */
int council__share_end_case(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "UPDATE case_share SET revoked = ?2, sig = NULL, revoke_reason = "
                                  "'case_erased' WHERE case_id = ?1 AND revoked IS NULL;",
                           &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

/* For casekey.c (a member's withdrawal): every active share the member
 * holds ends, revoked with `reason`. EIO ("op: cannot revoke shares"). */
int council__share_end_member(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                              const char *reason)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "UPDATE case_share SET revoked = ?2, sig = NULL, revoke_reason = "
                                  "?3 WHERE member_id = ?1 AND revoked IS NULL;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot revoke shares", op);
    council__finalize(c, st);
    return rc;
}

int council__share_listed_cases(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                                int64_t now, uint8_t (**ids)[COUNCIL_ID_BYTES], size_t *n)
{
    sqlite3_stmt *st = NULL;

    *ids = NULL;
    *n = 0;
    if (council__prepare(c, "SELECT DISTINCT case_id FROM case_share WHERE member_id = ?1 "
                                  "AND revoked IS NULL AND (expires IS NULL OR expires > ?2);",
                           &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, (sqlite3_int64)now) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return council__sql_ids(c, op, st, ids, n);
}

int council__share_referrals_each(council *c, const char *op,
                                  int (*fn)(council *c, int64_t granted,
                                            const uint8_t member[COUNCIL_ID_BYTES], void *ctx),
                                  void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    if (council__prepare(c, "SELECT min(granted), member_id FROM case_share WHERE purpose = "
                                  "'referral' GROUP BY case_id, member_id, granted ORDER BY "
                                  "min(seq);", &st) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 1) != COUNCIL_ID_BYTES)
            continue;
        rc = fn(c, sqlite3_column_int64(st, 0), sqlite3_column_blob(st, 1), ctx);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}
