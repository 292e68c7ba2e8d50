/*
 * share.c - sharing a case's scopes with other members (council_case_share,
 * council_case_share_check, council_case_revoke): signed share rows, the
 * disclosure decision (policy.c), expiry, and the ends a meeting's close
 * or a consent's withdrawal brings. Owns the table case_share.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/consent.pb-c.h"
#include "council_int.h"
#include "audit.h"
#include "batch.h"
#include "crypto.h"
#include "session.h"
#include "sql.h"
#include "text.h"
#include "policy.h"
#include "casekey.h"
#include "consent.h"
#include "member.h"
#include "scope.h"
#include "case_db.h"
#include "share.h"
#include "attest.h"
#include "keydir.h"

#define SHARE_SCOPES_MAX 32

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define REFUSED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED

/* Room for element n of an array of `size`-byte elements (doubling). */
static bool grow(void **arr, size_t *cap, size_t n, size_t size)
{
    size_t ncap;
    void *na;

    if (n < *cap)
        return true;
    ncap = *cap ? *cap * 2 : 8;
    if (ncap > SIZE_MAX / size || (na = council__calloc(ncap, size)) == NULL)
        return false;
    if (n > 0)
        memcpy(na, *arr, n * size);
    council__free(*arr);
    *arr = na;
    *cap = ncap;
    return true;
}

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
    if (!share_msg(st, m, &len) || sqlite3_column_bytes(st, 9) != 16 ||
        council__attest_check(c, "share", m, len, signer, 16, sqlite3_column_blob(st, 10),
                              (size_t)sqlite3_column_bytes(st, 10)) != COUNCIL_OK) {
        council__clear(c);
        return COUNCIL_OK;
    }
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

    if (sqlite3_prepare_v2(c->db, "SELECT case_id, member_id, scope, purpose, basis, consent_id, "
                                  "granted, expires, meeting_id FROM case_share WHERE seq = ?1;",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, seq) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        have = share_msg(st, m, &len);
    sqlite3_finalize(st);
    st = NULL;
    if (!have)
        return council__db_err(c, op);
    if ((rc = council__attest_sign(c, "share", m, len, signer, sig)) != COUNCIL_OK)
        return rc;
    if (sqlite3_prepare_v2(c->db, "UPDATE case_share SET signer = ?2, sig = ?3 WHERE seq = ?1;", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, seq) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, signer, sizeof signer, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    return rc;
}

int council__shares_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    if (sqlite3_prepare_v2(c->db, "SELECT case_id, member_id, scope, purpose, basis, consent_id, "
                                  "granted, expires, meeting_id, signer, sig, seq FROM case_share "
                                  "WHERE revoked IS NULL AND signer = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
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
    sqlite3_finalize(st);
    return rc;
}

int council__share_upgrade(council *c)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    if (sqlite3_prepare_v2(c->db, "SELECT seq FROM case_share WHERE revoked IS NULL AND sig IS NULL;",
                           -1, &st, NULL) != SQLITE_OK)
        return council__db_err(c, "open");
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
        rc = share_sign(c, "open", sqlite3_column_int64(st, 0));
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, "open");
    sqlite3_finalize(st);
    return rc;
}

int council__share_active(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const uint8_t member[COUNCIL_ID_BYTES], const char *scope, bool *yes)
{
    static const char sql[] = "SELECT case_id, member_id, scope, purpose, basis, consent_id, granted, "
                              "expires, meeting_id, signer, sig FROM case_share WHERE case_id = ?1 "
                              "AND member_id = ?2 AND (?3 IS NULL OR scope = ?3) AND revoked IS NULL "
                              "AND (expires IS NULL OR expires > ?4);";
    sqlite3_stmt *st = NULL;
    bool forged = false;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    *yes = false;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        (scope != NULL ? sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC)
                       : sqlite3_bind_null(st, 3)) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL)) != SQLITE_OK) {
        sqlite3_finalize(st);
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
    sqlite3_finalize(st);
    if (rc == COUNCIL_OK && forged && !*yes)
        rc = council__tamper(c, case_id, scope, member, "forged_share");
    return rc;
}

/* End a member's active share of (case, scope): marked revoked with the
 * reason, and its wrapped keys of the scope destroyed (unless it owns the
 * case). The caller rotates the scope's key. */
int council__share_end(council *c, const char *op, const council__case *k, const uint8_t member[COUNCIL_ID_BYTES],
                     const char *scope, const char *reason)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (sqlite3_prepare_v2(c->db, "UPDATE case_share SET revoked = ?4, revoke_reason = ?5, sig = NULL WHERE "
                                  "case_id = ?1 AND member_id = ?2 AND scope = ?3 AND revoked IS "
                                  "NULL;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, k->id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        sqlite3_bind_text(st, 5, reason, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    st = NULL;
    if (rc == COUNCIL_OK && sodium_memcmp(member, k->owner, COUNCIL_ID_BYTES) != 0 &&
        (sqlite3_prepare_v2(c->db, "DELETE FROM key_wrap WHERE case_id = ?1 AND holder = ?2 AND "
                                   "scope = ?3;", -1, &st, NULL) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, k->id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    return rc;
}

/* Shares of (case, scope) past their expiry: revoked, their wrapped keys
 * destroyed and the scope's key rotated, so that what is written next is
 * not readable with the expired holder's copy. Inside the caller's
 * transaction. */
int council__share_expire(council *c, const char *op, const council__case *k, const char *scope)
{
    uint8_t members[SHARE_SCOPES_MAX][COUNCIL_ID_BYTES];
    const char *scopes[1] = { scope };
    sqlite3_stmt *st = NULL;
    int64_t now = (int64_t)time(NULL);
    size_t n = 0;
    uint32_t latest = 0;
    int rc = COUNCIL_OK, src;

    if (sqlite3_prepare_v2(c->db, "SELECT DISTINCT member_id FROM case_share WHERE case_id = ?1 AND "
                                  "scope = ?2 AND revoked IS NULL AND expires IS NOT NULL AND "
                                  "(typeof(expires) != 'integer' OR expires <= ?3) LIMIT 32;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, k->id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, now) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW && n < SHARE_SCOPES_MAX)
        if (sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES)
            memcpy(members[n++], sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
    sqlite3_finalize(st);
    if (src != SQLITE_DONE && src != SQLITE_ROW)
        return council__db_err(c, op);
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        rc = council__share_end(c, op, k, members[i], scope, "share_expired");
        if (rc == COUNCIL_OK)
            rc = council__case_log(c, ACT(SHARE_REVOKED), k, scopes, 1, NULL, members[i], "share_expired");
    }
    if (rc == COUNCIL_OK && n > 0 && (rc = council__key_latest(c, op, k->id, scope, &latest)) == COUNCIL_OK &&
        latest > 0 && (rc = council__key_new(c, op, k->id, scope, NULL, NULL)) == COUNCIL_OK)
        rc = council__case_log(c, ACT(KEY_ROTATED), k, scopes, 1, NULL, NULL, "share_expired");
    return rc;
}

/* ----------------------------------------------------------------- sharing */

static const char *const bases[] = {
    "consent", "appi_27_1_1_law", "appi_27_1_2_vital", "appi_27_1_3_public_health_child",
    "appi_27_1_4_public_duty", "council_art16_exchange",
};

static int basis_ok(council *c, const char *op, const council_share_options *o)
{
    size_t i;

    for (i = 0; i < sizeof bases / sizeof bases[0]; i++)
        if (o->basis != NULL && strcmp(o->basis, bases[i]) == 0)
            break;
    if (i == sizeof bases / sizeof bases[0])
        return council__fail(c, COUNCIL_EINVAL, "%s: unknown legal basis", op);
    if (i == 0 && (o->consent_id == NULL || o->consent_id_len != COUNCIL_ID_BYTES))
        return council__fail(c, COUNCIL_EINVAL, "%s: basis consent needs the consent record's id", op);
    if (i != 0 && o->consent_id != NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: a consent id goes with basis consent only", op);
    if (i != 0 && !council__text_arg(o->reason, COUNCIL_CONTACT_MAX))
        return council__fail(c, COUNCIL_EINVAL, "%s: an exception needs a written reason of "
                             "1..%d bytes", op, COUNCIL_CONTACT_MAX);
    if (o->reason != NULL && !council__text_arg(o->reason, COUNCIL_CONTACT_MAX))
        return council__fail(c, COUNCIL_EINVAL, "%s: bad reason text", op);
    if (council__purpose_parse(o->purpose) == 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: the purpose is support_coordination, referral, "
                             "joint_support, meeting_discussion, statistics or other", op);
    if (o->purpose_text != NULL && !council__text_arg(o->purpose_text, COUNCIL_CONTACT_MAX))
        return council__fail(c, COUNCIL_EINVAL, "%s: bad purpose text", op);
    if (o->second_approver != NULL &&
        (o->second_approver_len != COUNCIL_ID_BYTES ||
         (!council__is_root(c) && memcmp(o->second_approver, c->actor_staff, COUNCIL_ID_BYTES) == 0)))
        return council__fail(c, COUNCIL_EINVAL, "%s: a second approver is another staff member "
                             "(16-byte id)", op);
    return COUNCIL_OK;
}

/* The member's ceiling and keys: EDENIED/ENOTFOUND (logged by the caller). */
static int recipient(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                     uint8_t pk[32], char *ceiling, size_t cap, const char **why)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src;

    *why = NULL;
    /* The register row the ceiling comes from is the one the secretariat
     * signed (a member widening its own ceiling gains nothing). */
    if ((rc = council__member_check(c, op, member)) != COUNCIL_OK)
        return rc == COUNCIL_ENOTFOUND ? council__fail(c, rc, "%s: no such member", op) : rc;
    if (sqlite3_prepare_v2(c->db, "SELECT withdrawn IS NOT NULL, box_pk, scopes FROM member "
                                  "WHERE id = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_DONE) {
        rc = council__fail(c, COUNCIL_ENOTFOUND, "%s: no such member", op);
    } else if (src != SQLITE_ROW) {
        rc = council__db_err(c, op);
    } else if (sqlite3_column_int(st, 0) != 0) {
        rc = COUNCIL_EDENIED;
        *why = "recipient_withdrawn";
    } else if (sqlite3_column_bytes(st, 1) != 32) {
        rc = COUNCIL_EDENIED;
        *why = "recipient_without_keys";
    } else {
        const unsigned char *s = sqlite3_column_text(st, 2);
        memcpy(pk, sqlite3_column_blob(st, 1), 32);
        snprintf(ceiling, cap, ",%s,", s != NULL ? (const char *)s : "");
    }
    sqlite3_finalize(st);
    return rc;
}

static int scope_list_ok(council *c, const char *op, const char *const *scopes, size_t n)
{
    if (n == 0 || n > SHARE_SCOPES_MAX || scopes == NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: 1..%d scopes", op, SHARE_SCOPES_MAX);
    for (size_t i = 0; i < n; i++) {
        if (scopes[i] == NULL || !council__audit_code_ok(scopes[i]))
            return council__fail(c, COUNCIL_EINVAL, "%s: a scope is a code [a-z0-9_]{1,64}", op);
        for (size_t j = 0; j < i; j++)
            if (strcmp(scopes[i], scopes[j]) == 0)
                return council__fail(c, COUNCIL_EINVAL, "%s: scope %s named twice", op, scopes[i]);
    }
    return COUNCIL_OK;
}

/* The decision (policy.c) for a share: the persons whose data is in the
 * scopes (those with a section in one of them, and always the person
 * supported), the case's consent records, the council's configuration. */
static int decide_share(council *c, const char *op, const council__case *k, const uint8_t member[16],
                        const council_share_options *o, const uint8_t *extra_person,
                        council__decision *d, int64_t *consent_until)
{
    Council__V1__ConsentList *l = NULL;
    council__consent_view *views = NULL;
    council__decision_request req;
    council__policy_config cfg;
    uint8_t (*persons)[16] = NULL;
    int *purposes = NULL;
    uint8_t (*members)[16] = NULL;
    size_t n_persons = 0, n_members = 0, n_purposes = 0;
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src;

    memset(&req, 0, sizeof req);
    /* Persons: with a section in the scopes, plus the person supported. */
    persons = council__calloc(COUNCIL_CASE_PERSONS_MAX, sizeof *persons);
    if (persons == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    if (sqlite3_prepare_v2(c->db, "SELECT id FROM person WHERE case_id = ?1 AND (role = ?2 OR id = ?4 "
                                  "OR id IN (SELECT person_id FROM section WHERE case_id = ?1 AND "
                                  "instr(?3, ',' || scope || ',') > 0)) ORDER BY seq;", -1, &st,
                           NULL) != SQLITE_OK)
        rc = council__db_err(c, op);
    if (rc == COUNCIL_OK) {
        char list[SHARE_SCOPES_MAX * (COUNCIL__AUDIT_CODE_MAX + 1) + 2] = ",";
        for (size_t i = 0; i < o->n_scopes; i++) {
            strcat(list, o->scopes[i]);
            strcat(list, ",");
        }
        if (sqlite3_bind_blob(st, 1, k->id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(st, 2, COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_SUPPORTED) != SQLITE_OK ||
            sqlite3_bind_text(st, 3, list, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
            (extra_person != NULL ? sqlite3_bind_blob(st, 4, extra_person, 16, SQLITE_STATIC)
                                  : sqlite3_bind_null(st, 4)) != SQLITE_OK)
            rc = council__db_err(c, op);
        while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW &&
               n_persons < COUNCIL_CASE_PERSONS_MAX)
            if (sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES)
                memcpy(persons[n_persons++], sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
    }
    sqlite3_finalize(st);
    if (rc == COUNCIL_OK)
        rc = council__consent_records(c, op, k->id, &l);
    /* The records as the decision sees them. */
    if (rc == COUNCIL_OK && l->n_records > 0) {
        size_t nm = 0, np = 0;
        for (size_t i = 0; i < l->n_records; i++) {
            nm += l->records[i]->n_recipient_members;
            np += l->records[i]->n_purposes;
        }
        views = council__calloc(l->n_records, sizeof *views);
        members = council__calloc(nm ? nm : 1, sizeof *members);
        purposes = council__calloc(np ? np : 1, sizeof *purposes);
        if (views == NULL || members == NULL || purposes == NULL)
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        for (size_t i = 0; rc == COUNCIL_OK && i < l->n_records; i++) {
            const Council__V1__ConsentRecord *r = l->records[i];
            council__consent_view *v = &views[i];
            if (r->id.len != 16 || r->subject_person.len != 16)
                continue;
            memcpy(v->id, r->id.data, 16);
            memcpy(v->subject_person, r->subject_person.data, 16);
            v->status = r->status == COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_ACTIVE
                            ? COUNCIL__CONSENT_ACTIVE
                        : r->status == COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_WITHDRAWN
                            ? COUNCIL__CONSENT_WITHDRAWN
                        : r->status == COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_EXPIRED
                            ? COUNCIL__CONSENT_EXPIRED
                            : COUNCIL__CONSENT_REFUSED;
            v->recorded = r->recorded;
            v->valid_from = r->valid_from;
            v->valid_until = r->has_valid_until ? r->valid_until : 0;
            if (consent_until != NULL && o->consent_id != NULL &&
                memcmp(v->id, o->consent_id, COUNCIL_ID_BYTES) == 0)
                *consent_until = v->valid_until;
            v->recipient_members = (const uint8_t (*)[16])members[n_members];
            for (size_t j = 0; j < r->n_recipient_members; j++)
                if (r->recipient_members[j].len == 16)
                    memcpy(members[n_members + v->n_recipient_members++],
                           r->recipient_members[j].data, 16);
            n_members += v->n_recipient_members;
            if (r->has_external_party_id && r->external_party_id.len == 16) {
                v->external_party = true;
                memcpy(v->external_id, r->external_party_id.data, 16);
            }
            v->scopes = (const char *const *)r->scopes;
            v->n_scopes = r->n_scopes;
            v->purposes = &purposes[n_purposes];
            for (size_t j = 0; j < r->n_purposes; j++) {
                int p = council__purpose_parse(r->purposes[j]);
                if (p != 0)
                    purposes[n_purposes + v->n_purposes++] = p;
            }
            n_purposes += v->n_purposes;
            v->purpose_text = r->purpose_other;
        }
    }
    if (rc == COUNCIL_OK)
        rc = council__policy_load(c, op, &cfg);
    if (rc == COUNCIL_OK) {
        req.recipient_kind = COUNCIL__RECIPIENT_MEMBER;
        memcpy(req.recipient, member, 16);
        req.scopes = o->scopes;
        req.n_scopes = o->n_scopes;
        req.persons = (const uint8_t (*)[16])persons;
        req.n_persons = n_persons;
        req.purpose = council__purpose_parse(o->purpose);
        req.purpose_text = o->purpose_text;
        req.now = (int64_t)time(NULL);
        req.basis = council__basis_parse(o->basis);
        req.has_reason = o->reason != NULL;
        req.has_second_approver = o->second_approver != NULL;
        req.consent_id = o->consent_id;
        req.consents = views;
        req.n_consents = l != NULL ? l->n_records : 0;
        council__policy_decide(d, &cfg, &req);
    }
    council__free(views);
    council__free(members);
    council__free(purposes);
    council__free(persons);
    if (l != NULL)
        council__v1__consent_list__free_unpacked(l, council__pb_allocator());
    return rc;
}

int council__case_end_meeting_shares(council *c, const char *op,
                                     const uint8_t meeting_id[COUNCIL_ID_BYTES])
{
    struct row { uint8_t case_id[COUNCIL_ID_BYTES], member[COUNCIL_ID_BYTES];
                 char scope[COUNCIL__AUDIT_CODE_MAX + 1]; } *rows = NULL;
    sqlite3_stmt *st = NULL;
    size_t n = 0, cap = 0;
    int rc = COUNCIL_OK, src;

    if (sqlite3_prepare_v2(c->db, "SELECT case_id, member_id, scope FROM case_share WHERE "
                                  "meeting_id = ?1 AND revoked IS NULL ORDER BY seq;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, meeting_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *sc = (const char *)sqlite3_column_text(st, 2);
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES ||
            sqlite3_column_bytes(st, 1) != COUNCIL_ID_BYTES || sc == NULL || !council__audit_code_ok(sc))
            continue;
        if (!grow((void **)&rows, &cap, n, sizeof *rows)) {
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
        memcpy(rows[n].case_id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        memcpy(rows[n].member, sqlite3_column_blob(st, 1), COUNCIL_ID_BYTES);
        strcpy(rows[n].scope, sc);
        n++;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        const char *scopes[1] = { rows[i].scope };
        uint32_t latest = 0;
        council__case k;
        if ((rc = council__case_load(c, op, rows[i].case_id, &k)) != COUNCIL_OK)
            break;
        rc = council__share_end(c, op, &k, rows[i].member, rows[i].scope, "meeting_closed");
        if (rc == COUNCIL_OK)
            rc = council__key_latest(c, op, k.id, rows[i].scope, &latest);
        if (rc == COUNCIL_OK && latest > 0)
            rc = council__key_new(c, op, k.id, rows[i].scope, NULL, NULL);
        if (rc == COUNCIL_OK)
            rc = council__case_log(c, ACT(SHARE_REVOKED), &k, scopes, 1, NULL, rows[i].member, "meeting_closed");
    }
    council__free(rows);
    return rc;
}

int council__case_recheck_consent_shares(council *c, const char *op,
                                         const uint8_t case_id[COUNCIL_ID_BYTES],
                                         const uint8_t *extra_person, const char *extra_scope)
{
    struct row { uint8_t member[COUNCIL_ID_BYTES], consent[COUNCIL_ID_BYTES];
                 bool has_consent, has_text; char scope[COUNCIL__AUDIT_CODE_MAX + 1];
                 char purpose[COUNCIL__AUDIT_CODE_MAX + 1];
                 char text[COUNCIL_CONTACT_MAX + 1]; } *rows = NULL;
    sqlite3_stmt *st = NULL;
    size_t n = 0, cap = 0;
    council__case k;
    int rc = council__case_load(c, op, case_id, &k), src;

    if (rc != COUNCIL_OK)
        return rc;
    if (sqlite3_prepare_v2(c->db, "SELECT member_id, consent_id, scope, purpose, purpose_text FROM "
                                  "case_share WHERE case_id = ?1 AND basis = 'consent' AND revoked "
                                  "IS NULL ORDER BY seq;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *sc = (const char *)sqlite3_column_text(st, 2);
        const char *pu = (const char *)sqlite3_column_text(st, 3);
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES || sc == NULL || pu == NULL ||
            !council__audit_code_ok(sc) || !council__audit_code_ok(pu))
            continue;
        if (!grow((void **)&rows, &cap, n, sizeof *rows)) {
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
        memcpy(rows[n].member, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        rows[n].has_consent = sqlite3_column_bytes(st, 1) == COUNCIL_ID_BYTES;
        if (rows[n].has_consent)
            memcpy(rows[n].consent, sqlite3_column_blob(st, 1), COUNCIL_ID_BYTES);
        strcpy(rows[n].scope, sc);
        strcpy(rows[n].purpose, pu);
        {
            const char *tx = (const char *)sqlite3_column_text(st, 4);
            rows[n].has_text = tx != NULL && strlen(tx) <= COUNCIL_CONTACT_MAX;
            if (rows[n].has_text)
                strcpy(rows[n].text, tx);
        }
        n++;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    /* Each share again through the decision; those it now refuses end. */
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        const char *scopes[1] = { rows[i].scope };
        council_share_options o = COUNCIL_SHARE_OPTIONS_INIT;
        council__decision d = { false, NULL };
        uint32_t latest = 0;

        o.scopes = scopes;
        o.n_scopes = 1;
        o.purpose = rows[i].purpose;
        o.purpose_text = rows[i].has_text ? rows[i].text : NULL;
        o.basis = "consent";
        o.consent_id = rows[i].has_consent ? rows[i].consent : NULL;
        o.consent_id_len = rows[i].has_consent ? COUNCIL_ID_BYTES : 0;
        if ((rc = decide_share(c, op, &k, rows[i].member, &o,
                               extra_scope != NULL && strcmp(extra_scope, rows[i].scope) == 0
                                   ? extra_person : NULL, &d, NULL)) != COUNCIL_OK || d.allow)
            continue;
        rc = council__share_end(c, op, &k, rows[i].member, rows[i].scope, "consent_withdrawn");
        if (rc == COUNCIL_OK)
            rc = council__key_latest(c, op, k.id, rows[i].scope, &latest);
        if (rc == COUNCIL_OK && latest > 0)
            rc = council__key_new(c, op, k.id, rows[i].scope, NULL, NULL);
        if (rc == COUNCIL_OK)
            rc = council__case_log(c, ACT(SHARE_REVOKED), &k, scopes, 1, NULL, rows[i].member, d.reason);
    }
    council__free(rows);
    return rc;
}

int council_case_share(council *c, const uint8_t *case_id, size_t case_id_len,
                       const uint8_t *member_id, size_t member_id_len,
                       const council_share_options *o)
{
    return council__case_share_in(c, "case_share", case_id, case_id_len, member_id, member_id_len,
                                  o, NULL);
}

int council__case_share_in(council *c, const char *op, const uint8_t *case_id, size_t case_id_len,
                           const uint8_t *member_id, size_t member_id_len,
                           const council_share_options *o, const uint8_t *meeting_id)
{
    int64_t expires = 0, consent_until = 0;
    char ceiling[SHARE_SCOPES_MAX * (COUNCIL__AUDIT_CODE_MAX + 1) + 4];
    uint8_t pk[32];
    const char *why;
    int64_t now = (int64_t)time(NULL);
    council__case k;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, member_id, member_id_len)) != COUNCIL_OK)
        return rc;
    if (o == NULL || o->version != COUNCIL_SHARE_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if ((rc = scope_list_ok(c, op, o->scopes, o->n_scopes)) != COUNCIL_OK ||
        (rc = basis_ok(c, op, o)) != COUNCIL_OK)
        return rc;
    if (o->purpose == NULL || !council__audit_code_ok(o->purpose))
        return council__fail(c, COUNCIL_EINVAL, "%s: a purpose is a code [a-z0-9_]{1,64}", op);
    if (o->expires < 0 || (o->expires != 0 && o->expires <= now))
        return council__fail(c, COUNCIL_EINVAL, "%s: the expiry is in the past", op);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__case_load(c, op, case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    for (size_t i = 0; i < o->n_scopes; i++)
        if ((rc = council__scope_known(c, op, o->scopes[i])) != COUNCIL_OK)
            return council__finish(c, rc);
    if (k.erased != 0)
        return council__case_refuse(c, true, ACT(SHARE_GRANTED), &k, NULL, o->purpose, member_id,
                      COUNCIL_EDENIED, "case_erased", op, "the case was erased");
    if (!council__is_root(c) && !council__case_is_owner(c, &k))
        return council__case_refuse(c, true, ACT(SHARE_GRANTED), &k, NULL, o->purpose, member_id,
                      COUNCIL_EDENIED, "not_owner", op, "only the secretariat or the owning "
                      "member shares a case");
    if (sodium_memcmp(member_id, k.owner, COUNCIL_ID_BYTES) == 0)
        return council__finish(c, council__fail(c, COUNCIL_EINVAL, "%s: the owner holds every "
                                                "scope already", op));
    rc = recipient(c, op, member_id, pk, ceiling, sizeof ceiling, &why);
    if (rc == COUNCIL_OK && council__member_key_check(c, op, member_id, pk) != COUNCIL_OK) {
        rc = COUNCIL_EAUTH;
        why = "recipient_key_unsigned";
    }
    if (rc == COUNCIL_EAUTH)
        return council__case_refuse(c, true, ACT(SHARE_GRANTED), &k, NULL, o->purpose, member_id, rc, why, op,
                      "the recipient's key is not signed by the council");
    if (rc == COUNCIL_EDENIED)
        return council__case_refuse(c, true, ACT(SHARE_GRANTED), &k, NULL, o->purpose, member_id, rc, why, op,
                      "the recipient is withdrawn or has no keys");
    if (rc != COUNCIL_OK)
        return council__finish(c, rc);
    for (size_t i = 0; i < o->n_scopes; i++) {
        char needle[COUNCIL__AUDIT_CODE_MAX + 3];
        bool dup;
        snprintf(needle, sizeof needle, ",%s,", o->scopes[i]);
        if (strstr(ceiling, needle) == NULL)
            return council__case_refuse(c, true, ACT(SHARE_GRANTED), &k, o->scopes[i], o->purpose, member_id,
                          COUNCIL_EDENIED, "outside_scope_ceiling", op,
                          "a scope is outside the member's scope ceiling");
        /* A share that expired is ended first (with its keys). */
        if ((rc = council__share_expire(c, op, &k, o->scopes[i])) != COUNCIL_OK ||
            (rc = council__share_active(c, op, case_id, member_id, o->scopes[i], &dup)) != COUNCIL_OK)
            return council__finish(c, rc);
        if (dup)
            return council__finish(c, council__fail(c, COUNCIL_EEXIST, "%s: scope %s is shared "
                                                    "with the member already", op, o->scopes[i]));
    }
    /* No disclosure without a basis (DESIGN.md promise 2). */
    {
        council__decision d = { false, NULL };
        if ((rc = decide_share(c, op, &k, member_id, o, NULL, &d, &consent_until)) != COUNCIL_OK)
            return council__finish(c, rc);
        if (!d.allow) {
            council__event ev = {
                .action = ACT(DISCLOSURE_REFUSED),
                .case_ref = k.ref,
                .scopes = o->scopes,
                .n_scopes = o->n_scopes,
                .purpose = o->purpose,
                .basis = o->basis,
                .consent_id = o->consent_id,
                .subject_member = member_id,
                .outcome = REFUSED,
                .error = COUNCIL_ENOCONSENT,
                .reason = d.reason,
            };
            council__audit_batch_rollback(c);
            council__event_actor(c, &ev);
            if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK)
                return rc;
            if (c->user_batch)
                council__hold_event(c, &ev);
            return council__fail(c, COUNCIL_ENOCONSENT, "%s: refused by the disclosure policy (%s)",
                                 op, d.reason);
        }
    }
    /* A share on consent ends when the consent does. */
    expires = o->expires;
    if (consent_until != 0 && (expires == 0 || consent_until < expires))
        expires = consent_until;
    /* A second approver is a staff member on the register, in service. */
    if (o->second_approver != NULL) {
        sqlite3_stmt *q = NULL;
        bool ok = false;
        if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM staff WHERE id = ?1 AND retired IS NULL;", -1,
                               &q, NULL) == SQLITE_OK &&
            sqlite3_bind_blob(q, 1, o->second_approver, COUNCIL_ID_BYTES, SQLITE_STATIC) == SQLITE_OK)
            ok = sqlite3_step(q) == SQLITE_ROW;
        sqlite3_finalize(q);
        if (!ok)
            return council__finish(c, council__fail(c, COUNCIL_EINVAL, "%s: the second approver "
                                                    "is not staff in service", op));
    }
    for (size_t i = 0; rc == COUNCIL_OK && i < o->n_scopes; i++) {
        sqlite3_stmt *st = NULL;
        uint32_t latest = 0;
        if (sqlite3_prepare_v2(c->db, "INSERT INTO case_share (case_id, member_id, scope, purpose, "
                                      "basis, basis_reason, consent_id, granted, expires, "
                                      "granted_by_member, granted_by_staff, meeting_id, "
                                      "purpose_text, second_approver) VALUES (?1, ?2, ?3, ?4, ?5, "
                                      "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14);", -1, &st,
                               NULL) != SQLITE_OK ||
            (o->purpose_text != NULL ? sqlite3_bind_text(st, 13, o->purpose_text, -1, SQLITE_STATIC)
                                     : sqlite3_bind_null(st, 13)) != SQLITE_OK ||
            (o->second_approver != NULL
                 ? sqlite3_bind_blob(st, 14, o->second_approver, COUNCIL_ID_BYTES, SQLITE_STATIC)
                 : sqlite3_bind_null(st, 14)) != SQLITE_OK ||
            (meeting_id != NULL ? sqlite3_bind_blob(st, 12, meeting_id, COUNCIL_ID_BYTES, SQLITE_STATIC)
                                : sqlite3_bind_null(st, 12)) != SQLITE_OK ||
            sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_blob(st, 2, member_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 3, o->scopes[i], -1, SQLITE_STATIC) != SQLITE_OK ||
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
        sqlite3_finalize(st);
        if (rc == COUNCIL_OK)
            rc = share_sign(c, op, sqlite3_last_insert_rowid(c->db));
        /* Every key version the sharer holds, wrapped for the recipient. A
         * scope with no key yet gets its first here (for the coordinating
         * body and the owner), so that no key ever follows a share row. */
        if (rc == COUNCIL_OK)
            rc = council__key_latest(c, op, case_id, o->scopes[i], &latest);
        if (rc == COUNCIL_OK && latest == 0)
            rc = council__key_new(c, op, case_id, o->scopes[i], &latest, NULL);
        for (uint32_t v = 1; rc == COUNCIL_OK && v <= latest; v++) {
            council__secret key = { NULL, 0 };
            sqlite3_stmt *q = NULL;
            int qs = SQLITE_ERROR;
            if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM case_key WHERE case_id = ?1 AND scope = ?2 "
                                          "AND version = ?3;", -1, &q, NULL) == SQLITE_OK &&
                sqlite3_bind_blob(q, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) == SQLITE_OK &&
                sqlite3_bind_text(q, 2, o->scopes[i], -1, SQLITE_STATIC) == SQLITE_OK &&
                sqlite3_bind_int64(q, 3, v) == SQLITE_OK)
                qs = sqlite3_step(q);
            sqlite3_finalize(q);
            if (qs == SQLITE_DONE)
                continue; /* destroyed by a rekey */
            if (qs != SQLITE_ROW) {
                rc = council__db_err(c, op);
                break;
            }
            rc = council__key_open(c, op, &key, case_id, o->scopes[i], v);
            if (rc == COUNCIL_OK)
                rc = council__wrap_for(c, op, case_id, o->scopes[i], v, member_id, pk, &key);
            council__secret_free(&key);
        }
    }
    if (rc == COUNCIL_OK) {
        council__event ev = {
            .action = ACT(SHARE_GRANTED),
            .case_ref = k.ref,
            .scopes = o->scopes,
            .n_scopes = o->n_scopes,
            .purpose = o->purpose,
            .basis = o->basis,
            .consent_id = o->consent_id,
            .subject_member = member_id,
            .subject_staff = o->second_approver, /* who approved as well */
            .outcome = ALLOWED,
        };
        council__event_actor(c, &ev);
        rc = council__audit_append(c, &ev);
    }
    return council__finish(c, rc);
}

int council_case_share_check(council *c, council_buf *reason, const uint8_t *case_id,
                             size_t case_id_len, const uint8_t *member_id, size_t member_id_len,
                             const council_share_options *o)
{
    static const char op[] = "case_share_check";
    council__decision d = { false, NULL };
    size_t n;
    council__case k;
    int rc;

    if (reason == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    reason->ptr = NULL;
    reason->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, member_id, member_id_len)) != COUNCIL_OK)
        return rc;
    if (o == NULL || o->version != COUNCIL_SHARE_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if ((rc = scope_list_ok(c, op, o->scopes, o->n_scopes)) != COUNCIL_OK ||
        (rc = basis_ok(c, op, o)) != COUNCIL_OK || (rc = council__case_load(c, op, case_id, &k)) != COUNCIL_OK)
        return rc;
    if (!council__is_root(c) && !council__case_is_owner(c, &k))
        return council__fail(c, COUNCIL_EDENIED, "%s: only the secretariat or the owning member "
                             "may ask", op);
    /* What the real share checks besides the policy: the recipient (active,
     * keys, signed) and its scope ceiling. */
    {
        char ceiling[SHARE_SCOPES_MAX * (COUNCIL__AUDIT_CODE_MAX + 1) + 4];
        uint8_t pk[32];
        const char *why = NULL;
        rc = recipient(c, op, member_id, pk, ceiling, sizeof ceiling, &why);
        if (rc == COUNCIL_OK && council__member_key_check(c, op, member_id, pk) != COUNCIL_OK) {
            rc = COUNCIL_EAUTH;
            why = "recipient_key_unsigned";
        }
        for (size_t i = 0; rc == COUNCIL_OK && i < o->n_scopes; i++) {
            char needle[COUNCIL__AUDIT_CODE_MAX + 3];
            snprintf(needle, sizeof needle, ",%s,", o->scopes[i]);
            if (strstr(ceiling, needle) == NULL) {
                rc = COUNCIL_EDENIED;
                why = "outside_scope_ceiling";
            }
        }
        if (rc != COUNCIL_OK && why != NULL) {
            size_t wl = strlen(why);
            if ((reason->ptr = council__malloc(wl + 1)) != NULL) {
                memcpy(reason->ptr, why, wl + 1);
                reason->len = wl;
            }
            return council__fail(c, rc, "%s: the share would be refused (%s)", op, why);
        }
        if (rc != COUNCIL_OK)
            return rc;
    }
    if ((rc = decide_share(c, op, &k, member_id, o, NULL, &d, NULL)) != COUNCIL_OK)
        return rc;
    n = strlen(d.reason);
    if ((reason->ptr = council__malloc(n + 1)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    memcpy(reason->ptr, d.reason, n + 1);
    reason->len = n;
    if (!d.allow)
        return council__fail(c, COUNCIL_ENOCONSENT, "%s: the disclosure policy refuses (%s)", op,
                             d.reason);
    council__clear(c);
    return COUNCIL_OK;
}

int council_case_revoke(council *c, const uint8_t *case_id, size_t case_id_len,
                        const uint8_t *member_id, size_t member_id_len, const char *const *scopes,
                        size_t n_scopes, const char *reason)
{
    static const char op[] = "case_revoke";
    char sc[SHARE_SCOPES_MAX][COUNCIL__AUDIT_CODE_MAX + 1];
    const char *revoked[SHARE_SCOPES_MAX];
    size_t n = 0;
    sqlite3_stmt *st = NULL;
    council__case k;
    int rc, src;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, member_id, member_id_len)) != COUNCIL_OK)
        return rc;
    if (n_scopes > 0 && (rc = scope_list_ok(c, op, scopes, n_scopes)) != COUNCIL_OK)
        return rc;
    if (reason == NULL || !council__audit_code_ok(reason))
        return council__fail(c, COUNCIL_EINVAL, "%s: a reason is a code [a-z0-9_]{1,64}", op);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__case_load(c, op, case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (!council__is_root(c) && !council__case_is_owner(c, &k))
        return council__case_refuse(c, true, ACT(SHARE_REVOKED), &k, NULL, NULL, member_id, COUNCIL_EDENIED,
                      "not_owner", op, "only the secretariat or the owning member revokes a share");
    /* The active shares that match, by scope. */
    if (sqlite3_prepare_v2(c->db, "SELECT DISTINCT scope FROM case_share WHERE case_id = ?1 AND "
                                  "member_id = ?2 AND revoked IS NULL ORDER BY scope;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, member_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__finish(c, council__db_err(c, op));
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW && n < SHARE_SCOPES_MAX) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        bool want = n_scopes == 0;
        if (s != NULL && strlen(s) > COUNCIL__AUDIT_CODE_MAX)
            continue;
        if (s == NULL || !council__audit_code_ok(s))
            continue;
        for (size_t i = 0; i < n_scopes && !want; i++)
            want = strcmp(scopes[i], s) == 0;
        if (want) {
            strcpy(sc[n], s);
            revoked[n] = sc[n];
            n++;
        }
    }
    sqlite3_finalize(st);
    if (src != SQLITE_DONE && src != SQLITE_ROW)
        return council__finish(c, council__db_err(c, op));
    if (n == 0)
        return council__finish(c, council__fail(c, COUNCIL_ENOTFOUND, "%s: no active share "
                                                "matches", op));
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        uint32_t latest = 0;
        /* The recipient's wrapped keys go, and the scope's key rotates. */
        rc = council__share_end(c, op, &k, member_id, revoked[i], reason);
        if (rc == COUNCIL_OK)
            rc = council__key_latest(c, op, case_id, revoked[i], &latest);
        if (rc == COUNCIL_OK && latest > 0)
            rc = council__key_new(c, op, case_id, revoked[i], NULL, NULL);
    }
    if (rc == COUNCIL_OK)
        rc = council__case_log(c, ACT(SHARE_REVOKED), &k, revoked, n, NULL, member_id, reason);
    if (rc == COUNCIL_OK)
        rc = council__case_log(c, ACT(KEY_ROTATED), &k, revoked, n, NULL, member_id, "share_revoked");
    return council__finish(c, rc);
}


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
         council__case_dup_blob(&s->member_id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES) &&
         (s->scope = council__case_dup_col(st, 1)) != NULL && (s->purpose = council__case_dup_col(st, 2)) != NULL &&
         (s->basis = council__case_dup_col(st, 3)) != NULL;
    if (ok && sqlite3_column_bytes(st, 4) == COUNCIL_ID_BYTES) {
        s->has_consent_id = 1;
        ok = council__case_dup_blob(&s->consent_id, sqlite3_column_blob(st, 4), COUNCIL_ID_BYTES);
    }
    if (ok && sqlite3_column_type(st, 8) != SQLITE_NULL)
        ok = (s->revoke_reason = council__case_dup_col(st, 8)) != NULL;
    if (ok && sqlite3_column_type(st, 9) != SQLITE_NULL)
        ok = (s->basis_reason = council__case_dup_col(st, 9)) != NULL;
    return ok;
}

/* The case's shares (every row, ended ones too) as Share items of m;
 * false for out of memory or a database error. */
bool council__share_infos(council *c, const uint8_t case_id[COUNCIL_ID_BYTES],
                          Council__V1__CaseInfo *m)
{
    return council__case_rows_into(c, "SELECT member_id, scope, purpose, basis, consent_id, granted, "
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

    if (sqlite3_prepare_v2(c->db, "UPDATE case_share SET revoked = ?2, sig = NULL, revoke_reason = "
                                  "'case_erased' WHERE case_id = ?1 AND revoked IS NULL;", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    return rc;
}

/* For casekey.c (a member's withdrawal): every active share the member
 * holds ends, revoked with `reason`. EIO ("op: cannot revoke shares"). */
int council__share_end_member(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                              const char *reason)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (sqlite3_prepare_v2(c->db, "UPDATE case_share SET revoked = ?2, sig = NULL, revoke_reason = "
                                  "?3 WHERE member_id = ?1 AND revoked IS NULL;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot revoke shares", op);
    sqlite3_finalize(st);
    return rc;
}

/* --- added by H1 for issue 11 --- */
int council__share_listed_cases(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                                int64_t now, uint8_t (**ids)[COUNCIL_ID_BYTES], size_t *n)
{
    sqlite3_stmt *st = NULL;
    uint8_t (*out)[COUNCIL_ID_BYTES] = NULL;
    size_t cap = 0;
    int rc = COUNCIL_OK, src;

    *ids = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT DISTINCT case_id FROM case_share WHERE member_id = ?1 "
                                  "AND revoked IS NULL AND (expires IS NULL OR expires > ?2);", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, (sqlite3_int64)now) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
            continue;
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            uint8_t (*no)[COUNCIL_ID_BYTES] = council__calloc(ncap, sizeof *no);
            if (no == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
                break;
            }
            if (*n > 0)
                memcpy(no, out, *n * sizeof *no);
            council__free(out);
            out = no;
            cap = ncap;
        }
        memcpy(out[(*n)++], sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc != COUNCIL_OK) {
        council__free(out);
        *n = 0;
        return rc;
    }
    *ids = out;
    return COUNCIL_OK;
}

int council__share_referrals_each(council *c, const char *op,
                                  int (*fn)(council *c, int64_t granted,
                                            const uint8_t member[COUNCIL_ID_BYTES], void *ctx),
                                  void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    if (sqlite3_prepare_v2(c->db, "SELECT min(granted), member_id FROM case_share WHERE purpose = "
                                  "'referral' GROUP BY case_id, member_id, granted ORDER BY "
                                  "min(seq);", -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 1) != COUNCIL_ID_BYTES)
            continue;
        rc = fn(c, sqlite3_column_int64(st, 0), sqlite3_column_blob(st, 1), ctx);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    return rc;
}
