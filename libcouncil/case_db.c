/*
 * case_db.c - the case core: the tables case_record and person (every
 * statement on them), a case loaded with its owner proof checked, who owns
 * it, and the refusals and events every case operation shares. The case
 * modules above (section, share, find, case, consent, meeting, report,
 * casekey) call it; it calls only the layers below and attest.c.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "session.h"
#include "sql.h"
#include "crypto.h"
#include "attest.h"
#include "case_db.h"
#include "event.h"
#include "buf.h"
#include "store.h"

#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define REFUSED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED

int council__id_arg(council *c, const char *op, const uint8_t *id, size_t len)
{
    if (id == NULL || len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    return COUNCIL_OK;
}

/* ------------------------------------------------------------------ cases */

static int owner_chain_ok(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const uint8_t row_owner[COUNCIL_ID_BYTES], int32_t body,
                          const uint8_t *proof, size_t proof_len, bool *ok);

int council__case_load(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES], council__case *k)
{
    sqlite3_stmt *st = NULL;
    int rc, src;

    memset(k, 0, sizeof *k);
    if (council__prepare(c, "SELECT status, body, owner, created, updated, erased, "
                                  "owner_proof FROM case_record WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW && sqlite3_column_bytes(st, 2) == COUNCIL_ID_BYTES) {
        memcpy(k->id, id, COUNCIL_ID_BYTES);
        k->status = sqlite3_column_int(st, 0);
        k->body = sqlite3_column_int(st, 1);
        memcpy(k->owner, sqlite3_column_blob(st, 2), COUNCIL_ID_BYTES);
        k->created = sqlite3_column_int64(st, 3);
        k->updated = sqlite3_column_int64(st, 4);
        k->erased = sqlite3_column_int64(st, 5);
        /* The owner decides who may act on the case and who gets its first
         * keys: only the one its id (or the council) vouches for. */
        {
            bool ok = false;
            rc = owner_chain_ok(c, op, id, k->owner, k->body, sqlite3_column_blob(st, 6),
                                (size_t)sqlite3_column_bytes(st, 6), &ok);
            if (rc == COUNCIL_OK && !ok)
                rc = COUNCIL_ETAMPER;
        }
    } else if (src == SQLITE_DONE) {
        rc = council__fail(c, COUNCIL_ENOTFOUND, "%s: no such case", op);
    } else {
        rc = council__db_err(c, op);
    }
    council__finalize(c, st);
    if (rc == COUNCIL_ETAMPER) {
        (void)council__tamper(c, id, NULL, NULL, "forged_case_owner");
        return council__fail(c, rc, "%s: the case's owner or body is not the one it was created for or "
                             "transferred to (the case row was changed outside the library)", op);
    }
    if (rc == COUNCIL_OK)
        rc = council__case_ref(c, k->ref, id);
    return rc;
}

bool council__case_is_owner(const council *c, const council__case *k)
{
    return !council__is_root(c) && sodium_memcmp(c->actor_member, k->owner, COUNCIL_ID_BYTES) == 0;
}

/* The owner of a case, as its id (or the council's signature) proves it. */
int council__case_owner(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        uint8_t owner[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src;

    if (council__prepare(c, "SELECT owner, owner_proof, body FROM case_record WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: database error", op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW && sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES) {
        memcpy(owner, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        bool ok = false;
        rc = owner_chain_ok(c, op, case_id, owner, sqlite3_column_int(st, 2),
                            sqlite3_column_blob(st, 1),
                            (size_t)sqlite3_column_bytes(st, 1), &ok);
        if (rc == COUNCIL_OK && !ok)
            rc = COUNCIL_ETAMPER;
    } else {
        rc = src == SQLITE_DONE ? COUNCIL_ENOTFOUND : COUNCIL_EIO;
    }
    council__finalize(c, st);
    if (rc == COUNCIL_ETAMPER) {
        (void)council__tamper(c, case_id, NULL, NULL, "forged_case_owner");
        return council__fail(c, rc, "%s: the case's owner or body is not the one it was created for (the "
                             "case row was changed outside the library)", op);
    }
    if (rc != COUNCIL_OK)
        return council__fail(c, rc, "%s: %s", op, rc == COUNCIL_ENOTFOUND ? "no such case"
                                                                        : "database error");
    return COUNCIL_OK;
}

/* Cases from before owner proofs: the council signs each owner as found,
 * once (the secretariat's first session, c->upgrading). */
int council__case_owners_upgrade(council *c)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    if (council__prepare(c, "SELECT id, owner FROM case_record WHERE owner_proof IS NULL;", &st) != SQLITE_OK)
        return council__db_err(c, "open");
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t sig[64];
        sqlite3_stmt *up = NULL;
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES ||
            sqlite3_column_bytes(st, 1) != COUNCIL_ID_BYTES)
            continue;
        rc = council__case_owner_sign(c, sig, sqlite3_column_blob(st, 0), sqlite3_column_blob(st, 1));
        if (rc == COUNCIL_OK &&
            (council__prepare(c, "UPDATE case_record SET owner_proof = ?2 WHERE id = ?1;",
                                &up) != SQLITE_OK ||
             sqlite3_bind_blob(up, 1, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES,
                               SQLITE_TRANSIENT) != SQLITE_OK ||
             sqlite3_bind_blob(up, 2, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
             sqlite3_step(up) != SQLITE_DONE))
            rc = council__fail(c, COUNCIL_EIO, "open: cannot sign a case's owner");
        council__finalize(c, up);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, "open");
    council__finalize(c, st);
    return rc;
}

/* Log a refusal (outside the operation's rolled-back transaction), then
 * return rc with msg. */
int council__case_refuse(council *c, bool in_txn, int action, const council__case *k, const char *scope,
                  const char *purpose, const uint8_t *subject, int rc, const char *reason,
                  const char *op, const char *msg)
{
    const char *scopes[1] = { scope };
    council__event ev = {
        .action = action,
        .case_ref = k != NULL ? k->ref : NULL,
        .scopes = scopes,
        .n_scopes = scope != NULL ? 1 : 0,
        .purpose = purpose,
        .subject_member = subject,
        .reason = reason,
    };

    return council__refuse_event(c, in_txn, &ev, rc, op, msg);
}

/* The person's role in the case (ENOTFOUND if not of this case). */
int council__case_person_of(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                     const uint8_t person[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    int src;

    if (council__prepare(c, "SELECT role FROM person WHERE id = ?1 AND case_id = ?2;",
                           &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    src = sqlite3_step(st);
    council__finalize(c, st);
    if (src == SQLITE_ROW)
        return COUNCIL_OK;
    return src == SQLITE_DONE ? council__fail(c, COUNCIL_ENOTFOUND, "%s: no such person in "
                                              "this case", op)
                              : council__db_err(c, op);
}

int council__case_touch(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "UPDATE case_record SET updated = ?2 WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

int council__case_log(council *c, int action, const council__case *k, const char *const *scopes, size_t n,
                  const char *purpose, const uint8_t *subject, const char *reason)
{
    council__event ev = {
        .action = action,
        .case_ref = k != NULL ? k->ref : NULL,
        .scopes = scopes,
        .n_scopes = n,
        .purpose = purpose,
        .subject_member = subject,
        .outcome = ALLOWED,
        .reason = reason,
    };

    council__event_actor(c, &ev);
    return council__audit_append(c, &ev);
}

int council__case_lookup(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                         uint8_t owner[COUNCIL_ID_BYTES], uint8_t ref[32], bool *erased)
{
    council__case k;
    int rc = council__case_load(c, op, id, &k);

    if (rc == COUNCIL_OK) {
        memcpy(owner, k.owner, COUNCIL_ID_BYTES);
        memcpy(ref, k.ref, 32);
        *erased = k.erased != 0;
    }
    return rc;
}

int council__person_in_case(council *c, const char *op, const uint8_t person[COUNCIL_ID_BYTES],
                            const uint8_t case_id[COUNCIL_ID_BYTES], bool *yes)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, "SELECT 1 FROM person WHERE id = ?1 AND case_id = ?2;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return council__row_exists(c, op, st, yes);
}

/* ------------------------------------------------------------------- rows */

int council__case_insert(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                         int32_t body, const uint8_t owner[COUNCIL_ID_BYTES], int64_t now,
                         const uint8_t nonce[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "INSERT INTO case_record (id, status, body, owner, created, "
                                  "updated, seq, owner_proof) VALUES (?1, ?2, ?3, ?4, ?5, ?5, "
                                  "(SELECT coalesce(max(seq), 0) + 1 FROM case_record), ?6);",
                           &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 6, nonce, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, COUNCIL__V1__CASE_STATUS__CASE_STATUS_OPEN) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, body) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, owner, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, now) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

int council__person_insert(council *c, const char *op, const uint8_t person[COUNCIL_ID_BYTES],
                           const uint8_t case_id[COUNCIL_ID_BYTES], int32_t role, int64_t now)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "INSERT INTO person (id, case_id, role, added, seq) VALUES "
                                  "(?1, ?2, ?3, ?4, (SELECT coalesce(max(seq), 0) + 1 FROM "
                                  "person));", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, role) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, now) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

int council__person_count(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          int64_t *n)
{
    sqlite3_stmt *st = NULL;

    *n = -1;
    if (council__prepare(c, "SELECT count(*) FROM person WHERE case_id = ?1;", &st) == SQLITE_OK &&
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    council__finalize(c, st);
    return *n < 0 ? council__db_err(c, op) : COUNCIL_OK;
}

int council__case_status_update(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                                int32_t status, int64_t now)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "UPDATE case_record SET status = ?2, updated = ?3 WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, status) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, now) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

#define STATUS_MSG (COUNCIL_ID_BYTES + 4 + 8)

static size_t status_msg(uint8_t m[STATUS_MSG], const uint8_t case_id[COUNCIL_ID_BYTES],
                         int32_t status, int64_t since)
{
    uint8_t *p = council__put_bytes(m, case_id, COUNCIL_ID_BYTES);

    p = council__put_u32(p, (uint32_t)status);
    p = council__put_u64(p, (uint64_t)since);
    return (size_t)(p - m);
}

int council__case_status_sign(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                              int32_t status, int64_t since)
{
    uint8_t m[STATUS_MSG], signer[COUNCIL_ID_BYTES], sig[64];
    sqlite3_stmt *st = NULL;
    int rc = council__attest_sign(c, "case_status", m, status_msg(m, case_id, status, since),
                                  signer, sig);

    if (rc != COUNCIL_OK)
        return rc;
    if (council__prepare(c, "INSERT OR REPLACE INTO case_status_sig (case_id, status, since, "
                                  "signer, sig) VALUES (?1, ?2, ?3, ?4, ?5);", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, status) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, since) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, signer, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 5, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

int council__case_status_signed(council *c, const char *op, const council__case *k,
                                bool *found, int32_t *status, int64_t *since)
{
    uint8_t m[STATUS_MSG];
    sqlite3_stmt *st = NULL;
    int src, rc = COUNCIL_OK;
    bool ok = false;

    *found = false;
    *status = 0;
    *since = 0;
    if (council__prepare(c, "SELECT status, since, signer, sig FROM case_status_sig "
                                  "WHERE case_id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, k->id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    if ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const uint8_t *signer = sqlite3_column_blob(st, 2);
        *found = true;
        if (sqlite3_column_type(st, 0) == SQLITE_INTEGER &&
            sqlite3_column_type(st, 1) == SQLITE_INTEGER &&
            sqlite3_column_bytes(st, 2) == COUNCIL_ID_BYTES && signer != NULL &&
            (sodium_is_zero(signer, COUNCIL_ID_BYTES) ||
             sodium_memcmp(signer, k->owner, COUNCIL_ID_BYTES) == 0)) {
            int64_t s64 = sqlite3_column_int64(st, 0);
            *status = s64 >= 0 && s64 <= INT32_MAX ? (int32_t)s64 : -1;
            *since = sqlite3_column_int64(st, 1);
            rc = council__attest_check(c, "case_status", m, status_msg(m, k->id, *status, *since),
                                       signer, COUNCIL_ID_BYTES, sqlite3_column_blob(st, 3),
                                       (size_t)sqlite3_column_bytes(st, 3));
            ok = rc == COUNCIL_OK;
            if (rc == COUNCIL_ETAMPER)
                rc = COUNCIL_OK;
        }
    } else if (src != SQLITE_DONE) {
        rc = council__db_err(c, op);
    }
    council__finalize(c, st);
    if (rc != COUNCIL_OK)
        return rc;
    if (*found && !ok) {
        (void)council__tamper(c, k->id, NULL, NULL, "forged_case_status");
        return council__fail(c, COUNCIL_ETAMPER, "%s: a case's signed status is not one its owner "
                             "or the secretariat signed (changed outside the library)", op);
    }
    return COUNCIL_OK;
}

int council__case_status_resign(council *c, const char *op, const council__case *k)
{
    bool found = false;
    int32_t status = 0;
    int64_t since = 0;
    int rc = council__case_status_signed(c, op, k, &found, &status, &since);

    if (rc == COUNCIL_OK && found)
        rc = council__case_status_sign(c, op, k->id, status, since);
    return rc;
}

int council__person_erase(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES])
{
    return council__sql_exec1(c, op, "DELETE FROM person WHERE case_id = ?1;", case_id,
                              COUNCIL_ID_BYTES, NULL, 0);
}

int council__case_mark_erased(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                              int64_t now)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "UPDATE case_record SET status = ?2, erased = ?3, updated = ?3 "
                                  "WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, COUNCIL__V1__CASE_STATUS__CASE_STATUS_ERASED) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, now) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

/* One person row as a Person item (false: out of memory or a bad row). */
static bool fill_person(sqlite3_stmt *st, void *item)
{
    Council__V1__Person *p = item;

    council__v1__person__init(p);
    p->role = (Council__V1__PersonRole)sqlite3_column_int(st, 1);
    p->added = sqlite3_column_int64(st, 2);
    p->has_anonymous = sqlite3_column_int(st, 3) != 0;
    p->anonymous = p->has_anonymous;
    if (sqlite3_column_bytes(st, 4) == COUNCIL_ID_BYTES) {
        if (!council__sql_dup_blob(&p->merged_into, sqlite3_column_blob(st, 4), COUNCIL_ID_BYTES))
            return false;
        p->has_merged_into = true;
        p->has_merged_at = true;
        p->merged_at = sqlite3_column_int64(st, 5);
    }
    return sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES &&
           council__sql_dup_blob(&p->id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
}

bool council__person_infos(council *c, const uint8_t case_id[COUNCIL_ID_BYTES],
                           Council__V1__CaseInfo *m)
{
    return council__sql_rows_into(c, "SELECT id, role, added, anonymous, merged_into, merged_at FROM person "
                                  "WHERE case_id = ?1 "
                                  "ORDER BY seq;", case_id, sizeof(Council__V1__Person),
                                  fill_person, (void ***)&m->persons, &m->n_persons);
}

/* ---------------------------------------------------------------- listing */

int council__case_each(council *c, const char *op,
                       int (*fn)(council *c, const council__case_row *row, void *ctx), void *ctx)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    if (council__prepare(c, "SELECT id, owner, status, body, created FROM case_record ORDER "
                                  "BY seq;", &st) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        council__case_row r;

        memset(&r, 0, sizeof r);
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
            continue;
        memcpy(r.id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        if ((r.has_owner = sqlite3_column_bytes(st, 1) == COUNCIL_ID_BYTES))
            memcpy(r.owner, sqlite3_column_blob(st, 1), COUNCIL_ID_BYTES);
        r.status = sqlite3_column_int(st, 2);
        r.body = sqlite3_column_int(st, 3);
        r.created = sqlite3_column_int64(st, 4);
        rc = fn(c, &r, ctx);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

/* Persons asked for by one statement at most (its ?N placeholders). */
#define PERSONS_PER_QUERY 200

static int cmp_person_case(const void *a, const void *b)
{
    const council__person_case *x = a, *y = b;

    if (x->case_seq != y->case_seq)
        return x->case_seq < y->case_seq ? -1 : 1;
    return x->person_seq < y->person_seq ? -1 : x->person_seq > y->person_seq;
}

int council__person_cases(council *c, const char *op, const uint8_t (*ids)[COUNCIL_ID_BYTES],
                          size_t n, council__person_case **out, size_t *n_out)
{
    static const char head[] = "SELECT p.id, p.case_id, r.owner, r.seq, p.seq FROM person p JOIN "
                               "case_record r ON r.id = p.case_id WHERE p.id IN (";
    char sql[sizeof head + PERSONS_PER_QUERY * 2 + 4];
    council__person_case *rows = NULL;
    size_t nr = 0, cap = 0;
    int rc = COUNCIL_OK;

    *out = NULL;
    *n_out = 0;
    for (size_t from = 0; rc == COUNCIL_OK && from < n; from += PERSONS_PER_QUERY) {
        size_t k = n - from < PERSONS_PER_QUERY ? n - from : PERSONS_PER_QUERY, len;
        sqlite3_stmt *st = NULL;
        int src = SQLITE_DONE;
        bool ok;

        memcpy(sql, head, sizeof head - 1);
        len = sizeof head - 1;
        for (size_t i = 0; i < k; i++) {
            sql[len++] = i == 0 ? '?' : ',';
            if (i > 0)
                sql[len++] = '?';
        }
        memcpy(sql + len, ");", 3);
        ok = council__prepare(c, sql, &st) == SQLITE_OK;
        for (size_t i = 0; ok && i < k; i++)
            ok = sqlite3_bind_blob(st, (int)i + 1, ids[from + i], COUNCIL_ID_BYTES,
                                   SQLITE_STATIC) == SQLITE_OK;
        if (!ok) {
            council__finalize(c, st);
            rc = council__db_err(c, op);
            break;
        }
        while ((src = sqlite3_step(st)) == SQLITE_ROW) {
            council__person_case *p;
            if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES ||
                sqlite3_column_bytes(st, 1) != COUNCIL_ID_BYTES ||
                sqlite3_column_bytes(st, 2) != COUNCIL_ID_BYTES)
                continue;
            if (nr == cap) {
                council__person_case *nrows = council__grow(rows, &cap, nr, sizeof *nrows);
                if (nrows == NULL) {
                    rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
                    break;
                }
                rows = nrows;
            }
            p = &rows[nr++];
            memcpy(p->person, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
            memcpy(p->case_id, sqlite3_column_blob(st, 1), COUNCIL_ID_BYTES);
            memcpy(p->owner, sqlite3_column_blob(st, 2), COUNCIL_ID_BYTES);
            p->case_seq = sqlite3_column_int64(st, 3);
            p->person_seq = sqlite3_column_int64(st, 4);
        }
        if (rc == COUNCIL_OK && src != SQLITE_DONE)
            rc = council__db_err(c, op);
        council__finalize(c, st);
    }
    if (rc != COUNCIL_OK) {
        council__free(rows);
        return rc;
    }
    if (nr > 1)
        qsort(rows, nr, sizeof *rows, cmp_person_case);
    *out = rows;
    *n_out = nr;
    return COUNCIL_OK;
}

int council__case_persons(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          council__case_person **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    *out = NULL;
    *n = 0;
    if (council__prepare(c, "SELECT id, role FROM person WHERE case_id = ?1 ORDER BY seq;",
                           &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
            continue;
        if (*n == cap) {
            council__case_person *np = council__grow(*out, &cap, *n, sizeof *np);
            if (np == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
                break;
            }
            *out = np;
        }
        memcpy((*out)[*n].id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        (*out)[*n].role = sqlite3_column_int(st, 1);
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

int council__case_ids_owned(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                            uint8_t (**out)[COUNCIL_ID_BYTES], size_t *n)
{
    sqlite3_stmt *st = NULL;

    *out = NULL;
    *n = 0;
    if (council__prepare(c, "SELECT id FROM case_record WHERE owner = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return council__sql_ids(c, op, st, out, n);
}

/* -------------------------------------------------------------- transfers */

/* What the council signs about a transfer (kind "case_transfer"):
 *     case_id || seq (u64) || from || to || at (u64) || reason || "\0" */
#define TRANSFER_MSG_MAX (16 + 8 + 16 + 16 + 8 + COUNCIL__AUDIT_CODE_MAX + 1)

static size_t transfer_msg(uint8_t *m, const uint8_t case_id[COUNCIL_ID_BYTES], int64_t seq,
                           const uint8_t from[COUNCIL_ID_BYTES], const uint8_t to[COUNCIL_ID_BYTES],
                           int64_t at, const char *reason)
{
    uint8_t *p = council__put_bytes(m, case_id, COUNCIL_ID_BYTES);

    p = council__put_u64(p, (uint64_t)seq);
    p = council__put_bytes(p, from, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, to, COUNCIL_ID_BYTES);
    p = council__put_u64(p, (uint64_t)at);
    p = council__put_bytes(p, reason, strlen(reason) + 1);
    return (size_t)(p - m);
}

/* Does the chain of transfers lead from the owner the id commits to (proof)
 * to row_owner? Each transfer names the owner before it, comes in order
 * (1, 2, ...) and is signed by the council's log key (signer all zeros).
 * *ok false for any break; EIO. */
static int owner_chain_ok(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const uint8_t row_owner[COUNCIL_ID_BYTES], int32_t body,
                          const uint8_t *proof, size_t proof_len, bool *ok)
{
    static const uint8_t zero[COUNCIL_ID_BYTES];
    uint8_t cur[COUNCIL_ID_BYTES];
    sqlite3_stmt *st = NULL;
    int64_t want = 1;
    int src, rc = COUNCIL_OK;
    bool first = true;

    *ok = false;
    if (council__prepare(c, "SELECT seq, from_member, to_member, at, reason, signer, sig "
                                  "FROM case_transfer WHERE case_id = ?1 ORDER BY seq;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    *ok = true;
    while (*ok && (src = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t m[TRANSFER_MSG_MAX];
        const unsigned char *reason = sqlite3_column_text(st, 4);
        size_t n;

        if (sqlite3_column_int64(st, 0) != want++ ||
            sqlite3_column_bytes(st, 1) != COUNCIL_ID_BYTES ||
            sqlite3_column_bytes(st, 2) != COUNCIL_ID_BYTES || reason == NULL ||
            !council__audit_code_ok((const char *)reason) ||
            sqlite3_column_bytes(st, 5) != COUNCIL_ID_BYTES ||
            sodium_memcmp(sqlite3_column_blob(st, 5), zero, COUNCIL_ID_BYTES) != 0) {
            *ok = false;
            break;
        }
        if (first) {
            /* The first transfer starts at the owner the id commits to. */
            memcpy(cur, sqlite3_column_blob(st, 1), COUNCIL_ID_BYTES);
            if (!council__case_owner_ok(c, case_id, cur, body, proof, proof_len)) {
                *ok = false;
                break;
            }
            first = false;
        } else if (sodium_memcmp(cur, sqlite3_column_blob(st, 1), COUNCIL_ID_BYTES) != 0) {
            *ok = false;
            break;
        }
        n = transfer_msg(m, case_id, sqlite3_column_int64(st, 0), cur, sqlite3_column_blob(st, 2),
                         sqlite3_column_int64(st, 3), (const char *)reason);
        rc = council__attest_check(c, "case_transfer", m, n, sqlite3_column_blob(st, 5),
                                   COUNCIL_ID_BYTES, sqlite3_column_blob(st, 6),
                                   (size_t)sqlite3_column_bytes(st, 6));
        if (rc != COUNCIL_OK) {
            /* A failing signature breaks the chain; EIO is passed on. */
            if (rc == COUNCIL_ETAMPER)
                rc = COUNCIL_OK;
            *ok = false;
            break;
        }
        memcpy(cur, sqlite3_column_blob(st, 2), COUNCIL_ID_BYTES);
    }
    if (*ok && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc != COUNCIL_OK) {
        *ok = false;
        return rc;
    }
    if (*ok)
        *ok = first ? council__case_owner_ok(c, case_id, row_owner, body, proof, proof_len)
                    : sodium_memcmp(cur, row_owner, COUNCIL_ID_BYTES) == 0;
    return COUNCIL_OK;
}

int council__case_transfer_row(council *c, const char *op, const council__case *k,
                               const uint8_t to[COUNCIL_ID_BYTES], int64_t at, const char *reason)
{
    uint8_t m[TRANSFER_MSG_MAX], signer[COUNCIL_ID_BYTES], sig[64];
    sqlite3_stmt *st = NULL;
    int64_t seq = -1;
    size_t n;
    int rc;

    if (!council__audit_code_ok(reason))
        return council__fail(c, COUNCIL_EINVAL, "%s: bad reason code", op);
    if (council__prepare(c, "SELECT coalesce(max(seq), 0) + 1 FROM case_transfer WHERE "
                                  "case_id = ?1;", &st) == SQLITE_OK &&
        sqlite3_bind_blob(st, 1, k->id, COUNCIL_ID_BYTES, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        seq = sqlite3_column_int64(st, 0);
    council__finalize(c, st);
    st = NULL;
    if (seq < 1)
        return council__db_err(c, op);
    /* Only the council's log key signs a transfer (owner_chain_ok checks it). */
    if (!council__is_secretariat(c))
        return council__fail(c, COUNCIL_EDENIED, "%s: only the secretariat transfers a case", op);
    n = transfer_msg(m, k->id, seq, k->owner, to, at, reason);
    if ((rc = council__attest_sign(c, "case_transfer", m, n, signer, sig)) != COUNCIL_OK)
        return rc;
    rc = COUNCIL_OK;
    if (council__prepare(c, "INSERT INTO case_transfer (case_id, seq, from_member, "
                                  "to_member, at, reason, signer, sig) VALUES (?1, ?2, ?3, ?4, "
                                  "?5, ?6, ?7, ?8);", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, k->id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, seq) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, k->owner, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, to, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, at) != SQLITE_OK ||
        sqlite3_bind_text(st, 6, reason, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 7, signer, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 8, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    st = NULL;
    if (rc == COUNCIL_OK &&
        (council__prepare(c, "UPDATE case_record SET owner = ?2, updated = ?3 WHERE id = ?1;", &st) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, k->id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, to, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_int64(st, 3, at) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE))
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

int council__case_transfers(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                            int64_t *n)
{
    sqlite3_stmt *st = NULL;

    *n = -1;
    if (council__prepare(c, "SELECT count(*) FROM case_transfer WHERE case_id = ?1;",
                           &st) == SQLITE_OK &&
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    council__finalize(c, st);
    return *n < 0 ? council__db_err(c, op) : COUNCIL_OK;
}

/* ------------------------------------------------- anonymous and merged */

/* What a person's signed state covers (kind "person_state"):
 *     case_id || person || anonymous (1 byte) || merged_into (16, zeros
 *     for none) || merged_at (u64) */
#define PERSON_MSG_BYTES (16 + 16 + 1 + 16 + 8)

static size_t person_msg(uint8_t *m, const uint8_t case_id[COUNCIL_ID_BYTES],
                         const uint8_t person[COUNCIL_ID_BYTES], bool anonymous,
                         const uint8_t *merged_into, int64_t merged_at)
{
    static const uint8_t zero[COUNCIL_ID_BYTES];
    uint8_t *p = council__put_bytes(m, case_id, COUNCIL_ID_BYTES);
    uint8_t a = anonymous ? 1 : 0;

    p = council__put_bytes(p, person, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, &a, 1);
    p = council__put_bytes(p, merged_into != NULL ? merged_into : zero, COUNCIL_ID_BYTES);
    p = council__put_u64(p, (uint64_t)merged_at);
    return (size_t)(p - m);
}

int council__person_state(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const uint8_t person[COUNCIL_ID_BYTES], council__person_st *ps)
{
    sqlite3_stmt *st = NULL;
    int src, rc = COUNCIL_OK;

    memset(ps, 0, sizeof *ps);
    if (council__prepare(c, "SELECT anonymous, merged_into, merged_at, signer, sig FROM "
                                  "person WHERE id = ?1 AND case_id = ?2;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        int mlen = sqlite3_column_bytes(st, 1);
        ps->anonymous = sqlite3_column_int(st, 0) != 0;
        ps->merged = sqlite3_column_type(st, 1) != SQLITE_NULL;
        if (ps->merged && mlen == COUNCIL_ID_BYTES)
            memcpy(ps->merged_into, sqlite3_column_blob(st, 1), COUNCIL_ID_BYTES);
        ps->merged_at = sqlite3_column_int64(st, 2);
        if (sqlite3_column_type(st, 4) == SQLITE_NULL) {
            /* Unsigned: a plain person, nothing set. */
            if (ps->anonymous || ps->merged || ps->merged_at != 0)
                rc = COUNCIL_ETAMPER;
        } else {
            uint8_t m[PERSON_MSG_BYTES];
            size_t n;
            if (ps->merged && mlen != COUNCIL_ID_BYTES)
                rc = COUNCIL_ETAMPER;
            n = person_msg(m, case_id, person, ps->anonymous, ps->merged ? ps->merged_into : NULL,
                           ps->merged_at);
            /* ETAMPER for a signature that fails; EIO passed on. */
            if (rc == COUNCIL_OK)
                rc = council__attest_check(c, "person_state", m, n, sqlite3_column_blob(st, 3),
                                           (size_t)sqlite3_column_bytes(st, 3),
                                           sqlite3_column_blob(st, 4),
                                           (size_t)sqlite3_column_bytes(st, 4));
        }
    } else if (src == SQLITE_DONE) {
        rc = COUNCIL_ENOTFOUND;
    } else {
        rc = COUNCIL_EIO;
    }
    council__finalize(c, st);
    if (rc == COUNCIL_ETAMPER) {
        memset(ps, 0, sizeof *ps);
        (void)council__tamper(c, case_id, NULL, NULL, "forged_person_state");
        return council__fail(c, rc, "%s: a person's record was changed outside the library", op);
    }
    if (rc == COUNCIL_ENOTFOUND)
        return council__fail(c, rc, "%s: no such person in this case", op);
    return rc == COUNCIL_OK || rc == COUNCIL_ENOMEM ? rc : council__db_err(c, op);
}

int council__person_state_put(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                              const uint8_t person[COUNCIL_ID_BYTES], const council__person_st *ps)
{
    uint8_t m[PERSON_MSG_BYTES], signer[COUNCIL_ID_BYTES], sig[64];
    sqlite3_stmt *st = NULL;
    size_t n = person_msg(m, case_id, person, ps->anonymous, ps->merged ? ps->merged_into : NULL,
                          ps->merged_at);
    int rc = council__attest_sign(c, "person_state", m, n, signer, sig);

    if (rc != COUNCIL_OK)
        return rc;
    if (council__prepare(c, "UPDATE person SET anonymous = ?3, merged_into = ?4, merged_at "
                                  "= ?5, signer = ?6, sig = ?7 WHERE id = ?1 AND case_id = ?2;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, ps->anonymous ? 1 : 0) != SQLITE_OK ||
        (ps->merged ? sqlite3_bind_blob(st, 4, ps->merged_into, COUNCIL_ID_BYTES, SQLITE_STATIC)
                    : sqlite3_bind_null(st, 4)) != SQLITE_OK ||
        (ps->merged ? sqlite3_bind_int64(st, 5, ps->merged_at) : sqlite3_bind_null(st, 5)) !=
            SQLITE_OK ||
        sqlite3_bind_blob(st, 6, signer, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 7, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE || sqlite3_changes(c->db) != 1)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

int council__person_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    uint8_t (*rows)[2 * COUNCIL_ID_BYTES] = NULL;
    size_t n = 0, cap = 0;
    int rc = COUNCIL_OK, src;

    if (council__prepare(c, "SELECT case_id, id FROM person WHERE signer = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, "keys");
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES ||
            sqlite3_column_bytes(st, 1) != COUNCIL_ID_BYTES)
            continue;
        if (n == cap) {
            size_t ncap = cap == 0 ? 16 : cap * 2;
            void *np = council__calloc(ncap, sizeof *rows);
            if (np == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "keys: out of memory");
                break;
            }
            if (n > 0)
                memcpy(np, rows, n * sizeof *rows);
            council__free(rows);
            rows = np;
            cap = ncap;
        }
        memcpy(rows[n], sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        memcpy(rows[n] + COUNCIL_ID_BYTES, sqlite3_column_blob(st, 1), COUNCIL_ID_BYTES);
        n++;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, "keys");
    council__finalize(c, st);
    /* A state that checks with the key about to go is signed again by the
     * council; a forged one stays as it is (refused when met). */
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        council__person_st ps;
        rc = council__person_state(c, "keys", rows[i], rows[i] + COUNCIL_ID_BYTES, &ps);
        if (rc == COUNCIL_OK)
            rc = council__person_state_put(c, "keys", rows[i], rows[i] + COUNCIL_ID_BYTES, &ps);
        else if (rc == COUNCIL_ETAMPER || rc == COUNCIL_ENOTFOUND) {
            council__clear(c);
            rc = COUNCIL_OK;
        }
    }
    council__free(rows);
    return rc;
}
