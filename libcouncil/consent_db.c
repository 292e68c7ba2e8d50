/*
 * consent_db.c - the consent ledger's rows (tables consent, consent_grant,
 * consent_withdrawal): records with their status, the grants signed apart
 * from them (sign, check, sign again, upgrade), withdrawals, erasure, and
 * the stored record's check. The operations on the ledger are consent.c.
 */
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/consent.pb-c.h"
#include "council_int.h"
#include "attest.h"
#include "consent_db.h"
#include "crypto.h"
#include "session.h"
#include "sql.h"
#include "text.h"
#include "event.h"
#include "case_db.h"
#include "buf.h"
#include "store.h"

static const char *const purposes[] = { "support_coordination", "referral", "joint_support",
                                        "meeting_discussion", "statistics", "other" };

bool council__consent_purpose_ok(const char *p)
{
    for (size_t i = 0; p != NULL && i < sizeof purposes / sizeof purposes[0]; i++)
        if (strcmp(p, purposes[i]) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------- the grant */

/* What a consent record grants is signed apart from the record, by the
 * session that recorded it (the council's log key, or the owning member's
 * signing key), over
 *     id || case_id || subject_person || u64be(recorded) || BLAKE2b-256(body)
 *     || BLAKE2b-256(the ids, sorted, of the person's refusals in the case)
 * A record without a valid grant by the council or the case's owner counts
 * for nothing in a decision (a record someone holding the database key
 * wrote); a withdrawal deletes the grant, and a refusal signs the person's
 * other grants again over the new set of refusals, so that deleting a
 * withdrawal or a refusal brings back nothing. Refusals and withdrawals need
 * no signature of their own: they only ever take access away (one written
 * by someone else only makes the person's grants count for nothing). */
#define GMSG_BYTES (COUNCIL_ID_BYTES * 3 + 8 + 32 + 32)

static int grant_msg(council *c, const char *op, uint8_t m[GMSG_BYTES], const uint8_t id[16],
                     const uint8_t case_id[16], const uint8_t subject[16], int64_t recorded,
                     const uint8_t *body, size_t len)
{
    crypto_generichash_state h;
    sqlite3_stmt *st = NULL;
    uint8_t *p = council__put_bytes(m, id, COUNCIL_ID_BYTES);
    int src;

    p = council__put_bytes(p, case_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, subject, COUNCIL_ID_BYTES);
    p = council__put_u64(p, (uint64_t)recorded);
    crypto_generichash(p, 32, body, len, NULL, 0);
    p += 32;
    crypto_generichash_init(&h, NULL, 0, 32);
    if (council__prepare(c, "SELECT id FROM consent WHERE case_id = ?1 AND subject_person = ?2 "
                                  "AND refusal = 1 ORDER BY id;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, subject, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        if (sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES)
            crypto_generichash_update(&h, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
    council__finalize(c, st);
    crypto_generichash_final(&h, p, 32);
    return src == SQLITE_DONE ? COUNCIL_OK : council__db_err(c, op);
}

static int grant_sign(council *c, const char *op, const uint8_t id[16], const uint8_t case_id[16],
                      const uint8_t subject[16], int64_t recorded, const uint8_t *body, size_t len)
{
    uint8_t m[GMSG_BYTES], signer[COUNCIL_ID_BYTES], sig[64];
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = grant_msg(c, op, m, id, case_id, subject, recorded, body, len)) != COUNCIL_OK ||
        (rc = council__attest_sign(c, "consent_grant", m, sizeof m, signer, sig)) != COUNCIL_OK)
        return rc;
    if (council__prepare(c, "INSERT OR REPLACE INTO consent_grant (consent_id, signer, sig) "
                                  "VALUES (?1, ?2, ?3);", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, signer, sizeof signer, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

static int grant_ok(council *c, const char *op, sqlite3_stmt *st, bool *ok);

#define RECORD_SQL "SELECT c.body, w.time, w.reason, w.by_member, w.by_staff, c.case_id, " \
                   "c.id, c.subject_person, c.recorded, g.signer, g.sig " \
                   "FROM consent c LEFT JOIN consent_withdrawal w ON w.consent_id = c.id " \
                   "LEFT JOIN consent_grant g ON g.consent_id = c.id "

/* The grants the query's rows name that check now, signed again by the
 * session (those that do not check stay as they are, refused). */
static int grants_resign_where(council *c, const char *sql, const uint8_t id[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    if (council__prepare(c, sql, &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, "keys");
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        bool ok = false;
        int n = sqlite3_column_bytes(st, 0);
        if ((rc = grant_ok(c, "keys", st, &ok)) == COUNCIL_OK && ok && n > 0)
            rc = grant_sign(c, "keys", sqlite3_column_blob(st, 6), sqlite3_column_blob(st, 5),
                            sqlite3_column_blob(st, 7), sqlite3_column_int64(st, 8),
                            sqlite3_column_blob(st, 0), (size_t)n);
        else if (rc == COUNCIL_ETAMPER)
            rc = COUNCIL_OK;
        council__clear(c);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, "keys");
    council__finalize(c, st);
    return rc;
}

int council__grants_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES])
{
    return grants_resign_where(c, RECORD_SQL "WHERE g.signer = ?1;", member);
}

int council__grants_resign_case(council *c, const uint8_t case_id[COUNCIL_ID_BYTES])
{
    return grants_resign_where(c, RECORD_SQL "WHERE c.case_id = ?1;", case_id);
}

int council__consent_erase(council *c, const char *op, const uint8_t case_id[16])
{
    static const char *const wipe[] = {
        "DELETE FROM consent_withdrawal WHERE consent_id IN (SELECT id FROM consent WHERE "
        "case_id = ?1);",
        "DELETE FROM consent_grant WHERE consent_id IN (SELECT id FROM consent WHERE "
        "case_id = ?1);",
        "DELETE FROM consent WHERE case_id = ?1;",
    };
    int rc = COUNCIL_OK;

    for (size_t i = 0; rc == COUNCIL_OK && i < sizeof wipe / sizeof wipe[0]; i++)
        rc = council__sql_exec1(c, op, wipe[i], case_id, COUNCIL_ID_BYTES, NULL, 0);
    return rc;
}

int council__consent_upgrade(council *c)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    if (council__prepare(c, "SELECT c.id, c.case_id, c.subject_person, c.recorded, c.body "
                                  "FROM consent c WHERE c.refusal = 0 AND NOT EXISTS (SELECT 1 FROM "
                                  "consent_withdrawal w WHERE w.consent_id = c.id) AND NOT EXISTS "
                                  "(SELECT 1 FROM consent_grant g WHERE g.consent_id = c.id);",
                           &st) != SQLITE_OK)
        return council__db_err(c, "open");
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        int n = sqlite3_column_bytes(st, 4);
        if (sqlite3_column_bytes(st, 0) != 16 || sqlite3_column_bytes(st, 1) != 16 ||
            sqlite3_column_bytes(st, 2) != 16 || n <= 0)
            continue;
        rc = grant_sign(c, "open", sqlite3_column_blob(st, 0), sqlite3_column_blob(st, 1),
                        sqlite3_column_blob(st, 2), sqlite3_column_int64(st, 3),
                        sqlite3_column_blob(st, 4), (size_t)n);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, "open");
    council__finalize(c, st);
    return rc;
}

void council__consent_regrant_free(council__consent_regrant *r)
{
    for (size_t i = 0; i < r->n; i++) {
        sodium_memzero(r->gs[i].body, r->gs[i].len);
        council__free(r->gs[i].body);
    }
    council__free(r->gs);
    memset(r, 0, sizeof *r);
}

int council__consent_regrant_collect(council *c, const char *op, const uint8_t case_id[16],
                                     const uint8_t subject[16], council__consent_regrant *r)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    memset(r, 0, sizeof *r);
    if (council__prepare(c, RECORD_SQL "WHERE c.case_id = ?1 AND c.subject_person = ?2 AND "
                                             "c.refusal = 0 AND w.time IS NULL AND g.consent_id IS "
                                             "NOT NULL;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, subject, 16, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        int len = sqlite3_column_bytes(st, 0);
        bool ok = false;
        if ((rc = grant_ok(c, op, st, &ok)) != COUNCIL_OK || !ok || len <= 0)
            continue; /* a grant that does not verify stays as it is */
        if (r->n == r->cap) {
            struct council__consent_regrant_g *ng = council__grow(r->gs, &r->cap, r->n, sizeof *ng);
            if (ng == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
                break;
            }
            r->gs = ng;
        }
        memcpy(r->gs[r->n].id, sqlite3_column_blob(st, 6), 16);
        r->gs[r->n].recorded = sqlite3_column_int64(st, 8);
        if ((r->gs[r->n].body = council__malloc((size_t)len)) == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
        r->gs[r->n].len = (size_t)len;
        memcpy(r->gs[r->n].body, sqlite3_column_blob(st, 0), (size_t)len);
        r->n++;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc != COUNCIL_OK)
        council__consent_regrant_free(r);
    return rc;
}

int council__consent_regrant_sign(council *c, const char *op, const uint8_t case_id[16],
                                  const uint8_t subject[16], const council__consent_regrant *r)
{
    int rc = COUNCIL_OK;

    for (size_t i = 0; rc == COUNCIL_OK && i < r->n; i++)
        rc = grant_sign(c, op, r->gs[i].id, case_id, subject, r->gs[i].recorded, r->gs[i].body,
                        r->gs[i].len);
    return rc;
}


/* ------------------------------------------------------------ new rows */

int council__consent_insert(council *c, const char *op, const uint8_t id[16],
                            const uint8_t case_id[16], const uint8_t subject[16], bool refusal,
                            int64_t recorded, const uint8_t *body, size_t len)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "INSERT INTO consent (id, case_id, subject_person, refusal, "
                                  "recorded, body, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT "
                                  "coalesce(max(seq), 0) + 1 FROM consent));", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, subject, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 4, refusal) != SQLITE_OK || sqlite3_bind_int64(st, 5, recorded) != SQLITE_OK ||
        sqlite3_bind_blob(st, 6, body, (int)len, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc == COUNCIL_OK && !refusal)
        rc = grant_sign(c, op, id, case_id, subject, recorded, body, len);
    return rc;
}

int council__consent_withdrawal_add(council *c, const char *op, const uint8_t id[16], int64_t when,
                                    const char *reason)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "INSERT INTO consent_withdrawal (consent_id, time, reason, "
                                  "by_member, by_staff) VALUES (?1, ?2, ?3, ?4, ?5);", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, when) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC) != SQLITE_OK ||
        (council__is_root(c) ? sqlite3_bind_null(st, 4)
                    : sqlite3_bind_blob(st, 4, c->actor_member, 16, SQLITE_STATIC)) != SQLITE_OK ||
        (council__is_root(c) ? sqlite3_bind_null(st, 5)
                    : sqlite3_bind_blob(st, 5, c->actor_staff, 16, SQLITE_STATIC)) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

int council__consent_grant_drop(council *c, const char *op, const uint8_t id[16])
{
    return council__sql_exec1(c, op, "DELETE FROM consent_grant WHERE consent_id = ?1;", id,
                              COUNCIL_ID_BYTES, NULL, 0);
}

/* ------------------------------------------------------------- reading */

int council__consent_record_check(council *c, const uint8_t *buf, size_t len,
                                  Council__V1__ConsentRecord **out)
{
    Council__V1__ConsentRecord *m;
    const char *what = NULL;

    if (out != NULL)
        *out = NULL;
    if (buf == NULL || len == 0 || len > COUNCIL__CONSENT_BODY_MAX)
        return council__fail(c, COUNCIL_EFORMAT, "consent: record of %zu bytes", len);
    council__pb_alloc_failed(true);
    m = council__v1__consent_record__unpack(council__pb_allocator(), len, buf);
    if (m == NULL)
        return council__pb_alloc_failed(true) ? council__fail(c, COUNCIL_ENOMEM, "consent: out of memory")
                                              : council__fail(c, COUNCIL_EFORMAT, "consent: does not parse");
    if (m->base.n_unknown_fields != 0 || m->id.len != 16 || m->case_id.len != 16 ||
        m->subject_person.len != 16 || m->n_recipient_members > COUNCIL_CONSENT_LIST_MAX ||
        m->n_scopes > COUNCIL_CONSENT_LIST_MAX || m->n_purposes > COUNCIL_CONSENT_LIST_MAX)
        what = "fields";
    for (size_t i = 0; what == NULL && i < m->n_recipient_members; i++)
        if (m->recipient_members[i].len != 16)
            what = "recipient";
    for (size_t i = 0; what == NULL && i < m->n_scopes; i++)
        if (!council__audit_code_ok(m->scopes[i]))
            what = "scope";
    for (size_t i = 0; what == NULL && i < m->n_purposes; i++)
        if (!council__consent_purpose_ok(m->purposes[i]))
            what = "purpose";
    if (what == NULL && ((m->has_external_party_id && m->external_party_id.len != 16) ||
                         (m->has_evidence_sha256 && m->evidence_sha256.len != 32) ||
                         (m->has_obtained_by && m->obtained_by.len != 16) ||
                         m->grantor < COUNCIL__V1__GRANTOR_KIND__GRANTOR_KIND_SELF ||
                         m->grantor > COUNCIL__V1__GRANTOR_KIND__GRANTOR_KIND_GUARDIAN ||
                         m->method < COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_WRITTEN ||
                         m->method > COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_ELECTRONIC ||
                         (m->grantor_name != NULL &&
                          !council__text_arg(m->grantor_name, COUNCIL_NAME_MAX)) ||
                         (m->external_party != NULL &&
                          !council__text_arg(m->external_party, COUNCIL_NAME_MAX)) ||
                         (m->grantor == COUNCIL__V1__GRANTOR_KIND__GRANTOR_KIND_SELF) !=
                             (m->grantor_name == NULL) ||
                         !council__text_arg(m->id_text, 36) ||
                         (m->purpose_other != NULL &&
                          !council__text_arg(m->purpose_other, COUNCIL_CONTACT_MAX)) ||
                         (m->has_recorded_by_member && m->recorded_by_member.len != 16) ||
                         (m->has_recorded_by_staff && m->recorded_by_staff.len != 16) ||
                         /* the stored body never holds a withdrawal: that row is apart */
                         m->withdrawal != NULL))
        what = "fields";
    if (what == NULL) {
        bool other = false;
        for (size_t i = 0; i < m->n_purposes; i++)
            other = other || strcmp(m->purposes[i], "other") == 0;
        if (other != (m->purpose_other != NULL))
            what = "purpose other";
    }
    /* Canonical bytes only (a NUL inside a string would hide its tail). */
    if (what == NULL && council__v1__consent_record__get_packed_size(m) != len)
        what = "not canonical";
    if (what == NULL) {
        uint8_t *again = council__malloc(len);
        if (again == NULL) {
            council__v1__consent_record__free_unpacked(m, council__pb_allocator());
            return council__fail(c, COUNCIL_ENOMEM, "consent: out of memory");
        }
        if (council__v1__consent_record__pack(m, again) != len || memcmp(again, buf, len) != 0)
            what = "not canonical";
        council__free(again);
    }
    if (what != NULL) {
        council__v1__consent_record__free_unpacked(m, council__pb_allocator());
        return council__fail(c, COUNCIL_EFORMAT, "consent: malformed record (%s)", what);
    }
    if (out != NULL)
        *out = m;
    else
        council__v1__consent_record__free_unpacked(m, council__pb_allocator());
    return COUNCIL_OK;
}

/* A stored record with its withdrawal and its status as of now; free with
 * council__v1__consent_record__free_unpacked(m, council__pb_allocator()). */
static int load(council *c, const char *op, sqlite3_stmt *st, Council__V1__ConsentRecord **out)
{
    Council__V1__ConsentRecord *m;
    int64_t now = (int64_t)time(NULL);
    int n = sqlite3_column_bytes(st, 0);

    *out = NULL;
    if (n <= 0)
        return council__fail(c, COUNCIL_EFORMAT, "%s: a stored record is damaged", op);
    {
        int crc = council__consent_record_check(c, sqlite3_column_blob(st, 0), (size_t)n, &m);
        if (crc != COUNCIL_OK)
            return council__fail(c, crc, "%s: a stored record is damaged or memory ran out", op);
    }
    if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
        Council__V1__ConsentWithdrawal *w = council__calloc(1, sizeof *w);
        const unsigned char *reason = sqlite3_column_text(st, 2);
        if (w == NULL || reason == NULL) {
            council__free(w);
            council__v1__consent_record__free_unpacked(m, council__pb_allocator());
            return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        }
        council__v1__consent_withdrawal__init(w);
        w->time = sqlite3_column_int64(st, 1);
        w->reason = council__strdup((const char *)reason);
        if (sqlite3_column_bytes(st, 3) == COUNCIL_ID_BYTES &&
            (w->by_member.data = council__malloc(16)) != NULL) {
            w->has_by_member = 1;
            w->by_member.len = 16;
            memcpy(w->by_member.data, sqlite3_column_blob(st, 3), 16);
        }
        if (sqlite3_column_bytes(st, 4) == COUNCIL_ID_BYTES &&
            (w->by_staff.data = council__malloc(16)) != NULL) {
            w->has_by_staff = 1;
            w->by_staff.len = 16;
            memcpy(w->by_staff.data, sqlite3_column_blob(st, 4), 16);
        }
        m->withdrawal = w;
        if (w->reason == NULL) {
            council__v1__consent_record__free_unpacked(m, council__pb_allocator());
            return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        }
    }
    if (m->refusal)
        m->status = COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_REFUSED;
    else if (m->withdrawal != NULL)
        m->status = COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_WITHDRAWN;
    else if (m->has_valid_until && m->valid_until <= now)
        m->status = COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_EXPIRED;
    else
        m->status = COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_ACTIVE;
    *out = m;
    return COUNCIL_OK;
}



/* The row at st (RECORD_SQL) carries a grant signed by the council or by
 * the case's proven owner. */
static int grant_ok(council *c, const char *op, sqlite3_stmt *st, bool *ok)
{
    uint8_t m[GMSG_BYTES], owner[COUNCIL_ID_BYTES];
    const uint8_t *signer = sqlite3_column_blob(st, 9);
    int n = sqlite3_column_bytes(st, 0), rc;

    *ok = false;
    if (sqlite3_column_bytes(st, 5) != 16 || sqlite3_column_bytes(st, 6) != 16 ||
        sqlite3_column_bytes(st, 7) != 16 || sqlite3_column_bytes(st, 9) != 16 || n <= 0)
        return COUNCIL_OK;
    if ((rc = grant_msg(c, op, m, sqlite3_column_blob(st, 6), sqlite3_column_blob(st, 5),
                        sqlite3_column_blob(st, 7), sqlite3_column_int64(st, 8),
                        sqlite3_column_blob(st, 0), (size_t)n)) != COUNCIL_OK)
        return rc;
    rc = council__attest_check(c, "consent_grant", m, sizeof m, signer, 16,
                               sqlite3_column_blob(st, 10), (size_t)sqlite3_column_bytes(st, 10));
    if (rc != COUNCIL_OK && rc != COUNCIL_ETAMPER)
        return rc; /* the signer's key unread: EIO, no finding */
    if (rc != COUNCIL_OK) {
        council__clear(c);
        return COUNCIL_OK;
    }
    if (sodium_is_zero(signer, 16)) {
        *ok = true;
        return COUNCIL_OK;
    }
    rc = council__case_owner(c, op, sqlite3_column_blob(st, 5), owner);
    if (rc == COUNCIL_ETAMPER) {
        council__clear(c);
        return COUNCIL_OK;
    }
    if (rc == COUNCIL_OK)
        *ok = sodium_memcmp(owner, signer, 16) == 0;
    return rc;
}

int council__consent_records(council *c, const char *op, const uint8_t case_id[16],
                             Council__V1__ConsentList **out)
{
    Council__V1__ConsentList *l = council__calloc(1, sizeof *l);
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src;

    *out = NULL;
    if (l == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    council__v1__consent_list__init(l);
    if (council__prepare(c, RECORD_SQL "WHERE c.case_id = ?1 ORDER BY c.seq;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK)
        rc = council__db_err(c, op);
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        Council__V1__ConsentRecord *m = NULL, **na;
        if ((rc = load(c, op, st, &m)) != COUNCIL_OK)
            break;
        /* A grant nobody entitled signed counts for nothing (logged). */
        if (m->status == COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_ACTIVE ||
            m->status == COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_EXPIRED) {
            bool ok = false;
            if ((rc = grant_ok(c, op, st, &ok)) != COUNCIL_OK) {
                council__v1__consent_record__free_unpacked(m, council__pb_allocator());
                break;
            }
            if (!ok) {
                council__v1__consent_record__free_unpacked(m, council__pb_allocator());
                if ((rc = council__tamper(c, case_id, NULL, NULL, "forged_consent")) != COUNCIL_OK)
                    break;
                continue;
            }
        }
        na = council__malloc((l->n_records + 1) * sizeof *na);
        if (na == NULL) {
            council__v1__consent_record__free_unpacked(m, council__pb_allocator());
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
        if (l->n_records > 0)
            memcpy(na, l->records, l->n_records * sizeof *na);
        council__free(l->records);
        na[l->n_records++] = m;
        l->records = na;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc != COUNCIL_OK) {
        council__v1__consent_list__free_unpacked(l, council__pb_allocator());
        return rc;
    }
    *out = l;
    return COUNCIL_OK;
}

int council__consent_fetch(council *c, const char *op, const uint8_t id[16], council__consent_row *row)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src;

    memset(row, 0, sizeof *row);
    if (council__prepare(c, RECORD_SQL "WHERE c.id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    row->st = st;
    row->c = c;
    src = sqlite3_step(st);
    if (src == SQLITE_DONE)
        rc = council__fail(c, COUNCIL_ENOTFOUND, "%s: no such consent record", op);
    else if (src != SQLITE_ROW || sqlite3_column_bytes(st, 5) != COUNCIL_ID_BYTES)
        rc = council__db_err(c, op);
    else {
        memcpy(row->case_id, sqlite3_column_blob(st, 5), sizeof row->case_id);
        rc = load(c, op, st, &row->m);
    }
    if (rc != COUNCIL_OK)
        council__consent_row_free(row);
    return rc;
}

int council__consent_row_granted(council *c, const char *op, const council__consent_row *row,
                                 bool *ok)
{
    *ok = false;
    if (row->st == NULL)
        return council__db_err(c, op);
    return grant_ok(c, op, row->st, ok);
}

void council__consent_row_close(council__consent_row *row)
{
    if (row->c != NULL)
        council__finalize(row->c, row->st);
    row->st = NULL;
}

void council__consent_row_free(council__consent_row *row)
{
    council__consent_row_close(row);
    if (row->m != NULL)
        council__v1__consent_record__free_unpacked(row->m, council__pb_allocator());
    row->m = NULL;
}
