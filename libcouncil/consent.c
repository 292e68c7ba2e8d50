/*
 * consent.c - the consent ledger: records of consent and of refusal,
 * withdrawals added beside them (never written over), and the effect of a
 * withdrawal: every share that rested on the record ends at once.
 */
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/consent.pb-c.h"
#include "council_int.h"
#include "audit.h"
#include "batch.h"
#include "crypto.h"
#include "session.h"
#include "sql.h"
#include "text.h"
#include "policy.h"
#include "case_db.h"
#include "share.h"
#include "consent.h"
#include "attest.h"
#include "member.h"
#include "scope.h"
#include "staff.h"
#include "store.h"

#define CONSENT_BODY_MAX 65536

static const char *const purposes[] = { "support_coordination", "referral", "joint_support",
                                        "meeting_discussion", "statistics", "other" };

size_t council_consent_list_max(void)
{
    return COUNCIL_CONSENT_LIST_MAX;
}

static bool purpose_ok(const char *p)
{
    for (size_t i = 0; p != NULL && i < sizeof purposes / sizeof purposes[0]; i++)
        if (strcmp(p, purposes[i]) == 0)
            return true;
    return false;
}

/* The options, checked against each other and the store (in a transaction). */
static int check(council *c, const char *op, const council_consent_options *o, bool refusal)
{
    bool yes;
    int rc;

    if (o->case_id == NULL || o->case_id_len != COUNCIL_ID_BYTES || o->subject_person == NULL ||
        o->subject_person_len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: a case and a person (16-byte ids) are needed", op);
    if (o->grantor < 0 || o->grantor > COUNCIL__V1__GRANTOR_KIND__GRANTOR_KIND_GUARDIAN)
        return council__fail(c, COUNCIL_EINVAL, "%s: unknown grantor kind", op);
    if (o->grantor > COUNCIL__V1__GRANTOR_KIND__GRANTOR_KIND_SELF
            ? !council__text_arg(o->grantor_name, COUNCIL_NAME_MAX)
            : o->grantor_name != NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: a representative or guardian is named "
                             "(1..%d bytes); the person is not", op, COUNCIL_NAME_MAX);
    if (o->method < COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_WRITTEN ||
        o->method > COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_ELECTRONIC)
        return council__fail(c, COUNCIL_EINVAL, "%s: the method is written, oral or electronic", op);
    if (o->n_recipient_members > COUNCIL_CONSENT_LIST_MAX || o->n_scopes > COUNCIL_CONSENT_LIST_MAX ||
        o->n_purposes > COUNCIL_CONSENT_LIST_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "%s: at most %d recipients, scopes and purposes",
                             op, COUNCIL_CONSENT_LIST_MAX);
    if ((o->n_recipient_members > 0 && o->recipient_members == NULL) ||
        (o->n_scopes > 0 && o->scopes == NULL) || (o->n_purposes > 0 && o->purposes == NULL))
        return council__fail(c, COUNCIL_EINVAL, "%s: a list is NULL", op);
    if (o->external_party != NULL && !council__text_arg(o->external_party, COUNCIL_NAME_MAX))
        return council__fail(c, COUNCIL_EINVAL, "%s: bad external party name", op);
    if (!refusal && ((o->n_recipient_members == 0 && o->external_party == NULL) ||
                     o->n_scopes == 0 || o->n_purposes == 0))
        return council__fail(c, COUNCIL_EINVAL, "%s: a consent names its recipients, scopes and "
                             "purposes", op);
    for (size_t i = 0; i < o->n_purposes; i++)
        if (!purpose_ok(o->purposes[i]))
            return council__fail(c, COUNCIL_EINVAL, "%s: unknown purpose", op);
    {
        bool other = false;
        for (size_t i = 0; i < o->n_purposes; i++)
            other = other || strcmp(o->purposes[i], "other") == 0;
        if (other ? !council__text_arg(o->purpose_other, COUNCIL_CONTACT_MAX) : o->purpose_other != NULL)
            return council__fail(c, COUNCIL_EINVAL, "%s: purpose \"other\" goes with its text", op);
    }
    if (o->valid_from < 0 || o->valid_until < 0 ||
        (o->valid_until != 0 && o->valid_until <= (o->valid_from ? o->valid_from : (int64_t)time(NULL))))
        return council__fail(c, COUNCIL_EINVAL, "%s: the validity period is empty", op);
    if ((o->obtained_by != NULL && o->obtained_by_len != COUNCIL_ID_BYTES) ||
        (o->evidence_sha256 != NULL && o->evidence_len != 32))
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are 16 bytes, the evidence hash 32", op);
    for (size_t i = 0; i < o->n_scopes; i++) {
        if ((rc = council__scope_known(c, op, o->scopes[i])) != COUNCIL_OK)
            return rc;
    }
    for (size_t i = 0; i < o->n_recipient_members; i++) {
        if ((rc = council__member_exists(c, op, o->recipient_members + 16 * i, &yes)) != COUNCIL_OK)
            return rc;
        if (!yes)
            return council__fail(c, COUNCIL_ENOTFOUND, "%s: no such member", op);
    }
    if (o->obtained_by != NULL) {
        if ((rc = council__staff_exists(c, op, o->obtained_by, &yes)) != COUNCIL_OK)
            return rc;
        if (!yes)
            return council__fail(c, COUNCIL_ENOTFOUND, "%s: no such staff", op);
    }
    if ((rc = council__person_in_case(c, op, o->subject_person, o->case_id, &yes)) != COUNCIL_OK)
        return rc;
    if (!yes)
        return council__fail(c, COUNCIL_ENOTFOUND, "%s: no such person in the case", op);
    return COUNCIL_OK;
}

/* The session may manage the case's consent: the secretariat or the
 * owner's staff, on a case not erased. A refusal is logged (after the
 * transaction is rolled back). */
static int entitled(council *c, const char *op, int action, const uint8_t case_id[16],
                    uint8_t ref[32], bool in_txn)
{
    uint8_t owner[COUNCIL_ID_BYTES];
    bool erased = false;
    int rc = council__case_lookup(c, op, case_id, owner, ref, &erased);
    const char *why = NULL;

    if (rc != COUNCIL_OK)
        return rc;
    if (erased)
        why = "case_erased";
    else if (!council__is_root(c) && sodium_memcmp(owner, c->actor_member, COUNCIL_ID_BYTES) != 0)
        why = "not_owner";
    if (why == NULL)
        return COUNCIL_OK;
    if (in_txn)
        council__audit_batch_rollback(c);
    {
        council__event ev = {
            .action = action,
            .case_ref = ref,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
            .error = COUNCIL_EDENIED,
            .reason = why,
        };
        council__event_actor(c, &ev);
        if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK)
            return rc;
    }
    return council__fail(c, COUNCIL_EDENIED, "%s: only the secretariat or the owning member's "
                         "staff manage a case's consent (and not on an erased case)", op);
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
    if (sqlite3_prepare_v2(c->db, "SELECT id FROM consent WHERE case_id = ?1 AND subject_person = ?2 "
                                  "AND refusal = 1 ORDER BY id;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, subject, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        if (sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES)
            crypto_generichash_update(&h, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
    sqlite3_finalize(st);
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
    if (sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO consent_grant (consent_id, signer, sig) "
                                  "VALUES (?1, ?2, ?3);", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, signer, sizeof signer, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    return rc;
}

static int grant_ok(council *c, const char *op, sqlite3_stmt *st, bool *ok);

#define RECORD_SQL "SELECT c.body, w.time, w.reason, w.by_member, w.by_staff, c.case_id, " \
                   "c.id, c.subject_person, c.recorded, g.signer, g.sig " \
                   "FROM consent c LEFT JOIN consent_withdrawal w ON w.consent_id = c.id " \
                   "LEFT JOIN consent_grant g ON g.consent_id = c.id "

int council__grants_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    if (sqlite3_prepare_v2(c->db, RECORD_SQL "WHERE g.signer = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
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
    sqlite3_finalize(st);
    return rc;
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

    if (sqlite3_prepare_v2(c->db, "SELECT c.id, c.case_id, c.subject_person, c.recorded, c.body "
                                  "FROM consent c WHERE c.refusal = 0 AND NOT EXISTS (SELECT 1 FROM "
                                  "consent_withdrawal w WHERE w.consent_id = c.id) AND NOT EXISTS "
                                  "(SELECT 1 FROM consent_grant g WHERE g.consent_id = c.id);", -1,
                           &st, NULL) != SQLITE_OK)
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
    sqlite3_finalize(st);
    return rc;
}

static int grant_ok(council *c, const char *op, sqlite3_stmt *st, bool *ok);

/* The person's grants that stand now (checked before a refusal is added),
 * to be signed again once it is (regrant_sign). */
typedef struct regrant {
    struct g { uint8_t id[16]; int64_t recorded; uint8_t *body; size_t len; } *gs;
    size_t n, cap;
} regrant;

static void regrant_free(regrant *r)
{
    for (size_t i = 0; i < r->n; i++) {
        sodium_memzero(r->gs[i].body, r->gs[i].len);
        council__free(r->gs[i].body);
    }
    council__free(r->gs);
    memset(r, 0, sizeof *r);
}

static int regrant_collect(council *c, const char *op, const uint8_t case_id[16],
                           const uint8_t subject[16], regrant *r)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    memset(r, 0, sizeof *r);
    if (sqlite3_prepare_v2(c->db, RECORD_SQL "WHERE c.case_id = ?1 AND c.subject_person = ?2 AND "
                                             "c.refusal = 0 AND w.time IS NULL AND g.consent_id IS "
                                             "NOT NULL;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, subject, 16, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        int len = sqlite3_column_bytes(st, 0);
        bool ok = false;
        if ((rc = grant_ok(c, op, st, &ok)) != COUNCIL_OK || !ok || len <= 0)
            continue; /* a grant that does not verify stays as it is */
        if (r->n == r->cap) {
            size_t ncap = r->cap ? r->cap * 2 : 8;
            struct g *ng = council__calloc(ncap, sizeof *ng);
            if (ng == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
                break;
            }
            if (r->n > 0)
                memcpy(ng, r->gs, r->n * sizeof *ng);
            council__free(r->gs);
            r->gs = ng;
            r->cap = ncap;
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
    sqlite3_finalize(st);
    if (rc != COUNCIL_OK)
        regrant_free(r);
    return rc;
}

static int regrant_sign(council *c, const char *op, const uint8_t case_id[16],
                        const uint8_t subject[16], const regrant *r)
{
    int rc = COUNCIL_OK;

    for (size_t i = 0; rc == COUNCIL_OK && i < r->n; i++)
        rc = grant_sign(c, op, r->gs[i].id, case_id, subject, r->gs[i].recorded, r->gs[i].body,
                        r->gs[i].len);
    return rc;
}

static int record(council *c, uint8_t *id, size_t id_len, const council_consent_options *o,
                  bool refusal)
{
    const char *op = refusal ? "consent_refuse" : "consent_record";
    Council__V1__ConsentRecord m = COUNCIL__V1__CONSENT_RECORD__INIT;
    regrant rg = { NULL, 0, 0 };
    ProtobufCBinaryData *members = NULL;
    uint8_t cid[COUNCIL_ID_BYTES], ext[COUNCIL_ID_BYTES], ref[32], *body = NULL;
    char idt[37];
    size_t len;
    sqlite3_stmt *st = NULL;
    int64_t now = (int64_t)time(NULL);
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (id == NULL || id_len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    if (o == NULL || o->version != COUNCIL_CONSENT_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = check(c, op, o, refusal)) != COUNCIL_OK)
        return council__finish(c, rc);
    if ((rc = entitled(c, op, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CONSENT_RECORDED, o->case_id,
                       ref, true)) != COUNCIL_OK)
        return rc == COUNCIL_EDENIED ? rc : council__finish(c, rc);
    council__uuid_random(cid);
    council__uuid_random(ext);
    council__uuid_text(idt, cid);
    m.id.data = cid;
    m.id.len = sizeof cid;
    m.id_text = idt;
    m.case_id.data = (uint8_t *)(uintptr_t)o->case_id;
    m.case_id.len = COUNCIL_ID_BYTES;
    m.subject_person.data = (uint8_t *)(uintptr_t)o->subject_person;
    m.subject_person.len = COUNCIL_ID_BYTES;
    m.grantor = o->grantor == 0 ? COUNCIL__V1__GRANTOR_KIND__GRANTOR_KIND_SELF
                                : (Council__V1__GrantorKind)o->grantor;
    m.grantor_name = (char *)(uintptr_t)o->grantor_name;
    if (o->n_recipient_members > 0) {
        members = council__calloc(o->n_recipient_members, sizeof *members);
        if (members == NULL)
            return council__finish(c, council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op));
        for (size_t i = 0; i < o->n_recipient_members; i++) {
            members[i].data = (uint8_t *)(uintptr_t)(o->recipient_members + 16 * i);
            members[i].len = COUNCIL_ID_BYTES;
        }
    }
    m.recipient_members = members;
    m.n_recipient_members = o->n_recipient_members;
    m.external_party = (char *)(uintptr_t)o->external_party;
    if (o->external_party != NULL) {
        m.has_external_party_id = 1;
        m.external_party_id.data = ext;
        m.external_party_id.len = sizeof ext;
    }
    m.scopes = (char **)(uintptr_t)o->scopes;
    m.n_scopes = o->n_scopes;
    m.purposes = (char **)(uintptr_t)o->purposes;
    m.n_purposes = o->n_purposes;
    m.purpose_other = (char *)(uintptr_t)o->purpose_other;
    m.valid_from = o->valid_from != 0 ? o->valid_from : now;
    m.has_valid_until = o->valid_until != 0;
    m.valid_until = o->valid_until;
    m.method = (Council__V1__ConsentMethod)o->method;
    if (o->obtained_by != NULL || !council__is_root(c)) {
        m.has_obtained_by = 1;
        m.obtained_by.data = (uint8_t *)(uintptr_t)(o->obtained_by != NULL ? o->obtained_by
                                                                           : c->actor_staff);
        m.obtained_by.len = COUNCIL_ID_BYTES;
    }
    if (o->evidence_sha256 != NULL) {
        m.has_evidence_sha256 = 1;
        m.evidence_sha256.data = (uint8_t *)(uintptr_t)o->evidence_sha256;
        m.evidence_sha256.len = 32;
    }
    m.refusal = refusal;
    m.recorded = now;
    if (!council__is_root(c)) {
        m.has_recorded_by_member = m.has_recorded_by_staff = 1;
        m.recorded_by_member.data = c->actor_member;
        m.recorded_by_member.len = COUNCIL_ID_BYTES;
        m.recorded_by_staff.data = c->actor_staff;
        m.recorded_by_staff.len = COUNCIL_ID_BYTES;
    }
    m.status = refusal ? COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_REFUSED
                       : COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_ACTIVE;
    len = council__v1__consent_record__get_packed_size(&m);
    if (len > CONSENT_BODY_MAX || (body = council__malloc(len)) == NULL) {
        council__free(members);
        return council__finish(c, council__fail(c, len > CONSENT_BODY_MAX ? COUNCIL_ELIMIT
                                                                          : COUNCIL_ENOMEM,
                                                "%s: record too large or out of memory", op));
    }
    council__v1__consent_record__pack(&m, body);
    council__free(members);
    if (refusal && (rc = regrant_collect(c, op, o->case_id, o->subject_person, &rg)) != COUNCIL_OK) {
        sodium_memzero(body, len);
        council__free(body);
        return council__finish(c, rc);
    }
    if (sqlite3_prepare_v2(c->db, "INSERT INTO consent (id, case_id, subject_person, refusal, "
                                  "recorded, body, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT "
                                  "coalesce(max(seq), 0) + 1 FROM consent));", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, cid, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, o->case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, o->subject_person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 4, refusal) != SQLITE_OK || sqlite3_bind_int64(st, 5, now) != SQLITE_OK ||
        sqlite3_bind_blob(st, 6, body, (int)len, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc == COUNCIL_OK && !refusal)
        rc = grant_sign(c, op, cid, o->case_id, o->subject_person, now, body, len);
    sodium_memzero(body, len);
    council__free(body);
    if (rc == COUNCIL_OK) {
        council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CONSENT_RECORDED,
            .case_ref = ref,
            .scopes = o->scopes,
            .n_scopes = o->n_scopes,
            .consent_id = cid,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
            .reason = refusal ? "refusal" : NULL,
        };
        council__event_actor(c, &ev);
        rc = council__audit_append(c, &ev);
    }
    /* A refusal overrides older consent: the person's grants are signed
     * again over the new set of refusals (so deleting the refusal leaves
     * them counting for nothing), and shares resting on them end now. */
    if (rc == COUNCIL_OK && refusal)
        rc = regrant_sign(c, op, o->case_id, o->subject_person, &rg);
    regrant_free(&rg);
    if (rc == COUNCIL_OK && refusal)
        rc = council__case_recheck_consent_shares(c, op, o->case_id, NULL, NULL);
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK)
        memcpy(id, cid, COUNCIL_ID_BYTES);
    return rc;
}

int council_consent_record(council *c, uint8_t *id, size_t id_len, const council_consent_options *o)
{
    return record(c, id, id_len, o, false);
}

int council_consent_refuse(council *c, uint8_t *id, size_t id_len, const council_consent_options *o)
{
    return record(c, id, id_len, o, true);
}

/* ------------------------------------------------------------- reading */

int council__consent_record_check(council *c, const uint8_t *buf, size_t len,
                                  Council__V1__ConsentRecord **out)
{
    Council__V1__ConsentRecord *m;
    const char *what = NULL;

    if (out != NULL)
        *out = NULL;
    if (buf == NULL || len == 0 || len > CONSENT_BODY_MAX)
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
        if (!purpose_ok(m->purposes[i]))
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
    if (council__attest_check(c, "consent_grant", m, sizeof m, signer, 16,
                              sqlite3_column_blob(st, 10),
                              (size_t)sqlite3_column_bytes(st, 10)) != COUNCIL_OK) {
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
    if (sqlite3_prepare_v2(c->db, RECORD_SQL "WHERE c.case_id = ?1 ORDER BY c.seq;", -1, &st,
                           NULL) != SQLITE_OK ||
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
    sqlite3_finalize(st);
    if (rc != COUNCIL_OK) {
        council__v1__consent_list__free_unpacked(l, council__pb_allocator());
        return rc;
    }
    *out = l;
    return COUNCIL_OK;
}

int council_consent_list(council *c, council_buf *out, const uint8_t *case_id, size_t case_id_len)
{
    static const char op[] = "consent_list";
    Council__V1__ConsentList *l = NULL;
    uint8_t ref[32];
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (case_id == NULL || case_id_len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    if ((rc = entitled(c, op, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_OPERATION_REFUSED, case_id,
                       ref, false)) != COUNCIL_OK)
        return rc;
    if ((rc = council__consent_records(c, op, case_id, &l)) != COUNCIL_OK)
        return rc;
    rc = council__pack_out(c, op, out, &l->base);
    council__v1__consent_list__free_unpacked(l, council__pb_allocator());
    return rc;
}

int council_consent_get(council *c, council_buf *out, const uint8_t *id, size_t id_len)
{
    static const char op[] = "consent_get";
    Council__V1__ConsentRecord *m = NULL;
    sqlite3_stmt *st = NULL;
    uint8_t ref[32];
    int rc, src;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (id == NULL || id_len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    if (sqlite3_prepare_v2(c->db, RECORD_SQL "WHERE c.id = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_DONE)
        rc = council__fail(c, COUNCIL_ENOTFOUND, "%s: no such consent record", op);
    else if (src != SQLITE_ROW || sqlite3_column_bytes(st, 5) != COUNCIL_ID_BYTES)
        rc = council__db_err(c, op);
    else {
        uint8_t case_id[COUNCIL_ID_BYTES];
        memcpy(case_id, sqlite3_column_blob(st, 5), sizeof case_id);
        rc = load(c, op, st, &m);
        if (rc == COUNCIL_OK &&
            (rc = entitled(c, op, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_OPERATION_REFUSED,
                           case_id, ref, false)) != COUNCIL_OK) {
            council__v1__consent_record__free_unpacked(m, council__pb_allocator());
            m = NULL;
        }
        /* Shown as granting only with its grant: else it is not the record
         * the owner or the secretariat made (logged). */
        if (rc == COUNCIL_OK && (m->status == COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_ACTIVE ||
                                 m->status == COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_EXPIRED)) {
            bool ok = false;
            if ((rc = grant_ok(c, op, st, &ok)) == COUNCIL_OK && !ok) {
                (void)council__tamper(c, case_id, NULL, NULL, "forged_consent");
                rc = council__fail(c, COUNCIL_ETAMPER, "%s: the record has no grant by the owner "
                                   "or the secretariat (written, or its withdrawal deleted, "
                                   "outside the library)", op);
            }
            if (rc != COUNCIL_OK) {
                council__v1__consent_record__free_unpacked(m, council__pb_allocator());
                m = NULL;
            }
        }
    }
    sqlite3_finalize(st);
    if (rc != COUNCIL_OK)
        return rc;
    rc = council__pack_out(c, op, out, &m->base);
    council__v1__consent_record__free_unpacked(m, council__pb_allocator());
    return rc;
}

/* ---------------------------------------------------------- withdrawal */

int council_consent_withdraw(council *c, const uint8_t *id, size_t id_len, int64_t when,
                             const char *reason)
{
    static const char op[] = "consent_withdraw";
    Council__V1__ConsentRecord *m = NULL;
    sqlite3_stmt *st = NULL;
    uint8_t case_id[COUNCIL_ID_BYTES], ref[32];
    int rc, src;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (id == NULL || id_len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    if (!council__text_arg(reason, COUNCIL_CONTACT_MAX) || when < 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: a reason of 1..%d bytes of UTF-8 text and a "
                             "time are needed", op, COUNCIL_CONTACT_MAX);
    if (when == 0)
        when = (int64_t)time(NULL);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if (sqlite3_prepare_v2(c->db, RECORD_SQL "WHERE c.id = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__finish(c, council__db_err(c, op));
    }
    src = sqlite3_step(st);
    if (src == SQLITE_DONE)
        rc = council__fail(c, COUNCIL_ENOTFOUND, "%s: no such consent record", op);
    else if (src != SQLITE_ROW || sqlite3_column_bytes(st, 5) != COUNCIL_ID_BYTES)
        rc = council__db_err(c, op);
    else {
        memcpy(case_id, sqlite3_column_blob(st, 5), sizeof case_id);
        rc = load(c, op, st, &m);
    }
    sqlite3_finalize(st);
    if (rc != COUNCIL_OK)
        return council__finish(c, rc);
    if ((rc = entitled(c, op, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CONSENT_WITHDRAWN, case_id,
                       ref, true)) != COUNCIL_OK) {
        council__v1__consent_record__free_unpacked(m, council__pb_allocator());
        return rc == COUNCIL_EDENIED ? rc : council__finish(c, rc);
    }
    if (m->refusal || m->withdrawal != NULL) {
        bool refusal = m->refusal;
        council__v1__consent_record__free_unpacked(m, council__pb_allocator());
        return council__finish(c, council__fail(c, COUNCIL_EDENIED, "%s: %s", op,
                                                refusal ? "a refusal is not withdrawn (record a "
                                                          "consent instead)"
                                                        : "withdrawn already"));
    }
    if (when < m->recorded || when > (int64_t)time(NULL) + 300) {
        council__v1__consent_record__free_unpacked(m, council__pb_allocator());
        return council__finish(c, council__fail(c, COUNCIL_EINVAL, "%s: a withdrawal is dated "
                                                "between the record and now", op));
    }
    council__v1__consent_record__free_unpacked(m, council__pb_allocator());
    st = NULL;
    if (sqlite3_prepare_v2(c->db, "INSERT INTO consent_withdrawal (consent_id, time, reason, "
                                  "by_member, by_staff) VALUES (?1, ?2, ?3, ?4, ?5);", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, when) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC) != SQLITE_OK ||
        (council__is_root(c) ? sqlite3_bind_null(st, 4)
                    : sqlite3_bind_blob(st, 4, c->actor_member, 16, SQLITE_STATIC)) != SQLITE_OK ||
        (council__is_root(c) ? sqlite3_bind_null(st, 5)
                    : sqlite3_bind_blob(st, 5, c->actor_staff, 16, SQLITE_STATIC)) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc == COUNCIL_OK) {
        council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CONSENT_WITHDRAWN,
            .case_ref = ref,
            .consent_id = id,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
        };
        council__event_actor(c, &ev);
        rc = council__audit_append(c, &ev);
    }
    /* The grant goes with it: a withdrawal row deleted later brings back
     * a record that grants nothing. */
    if (rc == COUNCIL_OK)
        rc = council__sql_exec1(c, op, "DELETE FROM consent_grant WHERE consent_id = ?1;", id,
                                COUNCIL_ID_BYTES, NULL, 0);
    /* Withdrawal takes effect: every share that no longer has a covering
     * consent ends now. */
    if (rc == COUNCIL_OK)
        rc = council__case_recheck_consent_shares(c, op, case_id, NULL, NULL);
    return council__finish(c, rc);
}

/* ---------------------------------------------------------- configuration */

int council__policy_parse(council *c, const char *op, council__policy_config *cfg,
                          const uint8_t *buf, size_t len)
{
    Council__V1__Policy *m;
    int rc = COUNCIL_OK;

    m = buf != NULL && len > 0 && len <= 4096
            ? council__v1__policy__unpack(council__pb_allocator(), len, buf)
            : NULL;
    if (m == NULL || m->base.n_unknown_fields != 0) {
        rc = council__fail(c, COUNCIL_EFORMAT, "%s: the stored policy is damaged", op);
    } else {
        for (int b = 1; b < COUNCIL__BASIS_LIMIT; b++)
            cfg->accept[b] = false;
        for (size_t i = 0; i < m->n_accepted_bases; i++) {
            int b = council__basis_parse(m->accepted_bases[i]);
            if (b > 0 && b < COUNCIL__BASIS_LIMIT)
                cfg->accept[b] = true;
        }
        cfg->accept[COUNCIL__BASIS_CONSENT] = true;
        cfg->vital_second_approver = m->vital_second_approver;
    }
    if (m != NULL)
        council__v1__policy__free_unpacked(m, council__pb_allocator());
    return rc;
}

/* The stored policy is signed by the secretariat (kind "policy", over the
 * stored bytes; setting 'policy_sig'): a policy someone holding the
 * database key wrote into the store is refused (ETAMPER, logged), and every
 * decision with it, until the secretariat sets the policy again. */
static int policy_sign(council *c, const char *op, const uint8_t *buf, size_t len)
{
    uint8_t sig[64], signer[COUNCIL_ID_BYTES];
    int rc = council__attest_sign(c, "policy", buf, len, signer, sig);

    if (rc == COUNCIL_OK && council__setting_put(c, "policy_sig", sig, sizeof sig, true) != COUNCIL_OK)
        rc = council__db_err(c, op);
    return rc;
}

int council__policy_upgrade(council *c)
{
    uint8_t *sig = NULL, *v = NULL;
    size_t sig_len = 0, len = 0;
    int rc = council__setting_get(c, "policy_sig", &sig, &sig_len);

    if (rc == COUNCIL_OK && sig == NULL)
        rc = council__setting_get(c, "policy", &v, &len);
    if (rc != COUNCIL_OK)
        rc = rc == COUNCIL_ENOMEM ? council__fail(c, rc, "open: out of memory")
                                  : council__db_err(c, "open");
    else if (v != NULL)
        rc = policy_sign(c, "open", v, len);
    council__free(sig);
    council__free(v);
    return rc;
}

int council__policy_load(council *c, const char *op, council__policy_config *cfg)
{
    static const uint8_t council_signer[COUNCIL_ID_BYTES];
    uint8_t *v = NULL, *sig = NULL;
    size_t n = 0, sig_len = 0;
    int rc;

    council__policy_defaults(cfg);
    if ((rc = council__setting_get(c, "policy", &v, &n)) == COUNCIL_OK && v != NULL)
        rc = council__setting_get(c, "policy_sig", &sig, &sig_len);
    if (rc != COUNCIL_OK) {
        council__free(v);
        return rc == COUNCIL_ENOMEM ? council__fail(c, rc, "%s: out of memory", op)
                                    : council__db_err(c, op);
    }
    if (v != NULL) {
        if (council__attest_check(c, "policy", v, n, council_signer, sizeof council_signer, sig,
                                  sig_len) != COUNCIL_OK) {
            council__free(v);
            council__free(sig);
            council__policy_defaults(cfg);
            (void)council__tamper(c, NULL, NULL, NULL, "forged_policy");
            return council__fail(c, COUNCIL_ETAMPER, "%s: the stored disclosure policy is not the "
                                 "one the secretariat set (it was changed outside the library): "
                                 "set it again", op);
        }
        rc = council__policy_parse(c, op, cfg, v, n);
    }
    council__free(v);
    council__free(sig);
    return rc;
}

int council_policy_set(council *c, const council_policy_options *o)
{
    static const char op[] = "policy_set";
    Council__V1__Policy m = COUNCIL__V1__POLICY__INIT;
    char *bases[COUNCIL__BASIS_LIMIT];
    bool seen[COUNCIL__BASIS_LIMIT] = { false };
    uint8_t buf[1024];
    size_t n = 0, len;
    int rc;

    if ((rc = council__root_only(c, op)) != COUNCIL_OK)
        return rc;
    if (o == NULL || o->version != COUNCIL_POLICY_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if ((o->n_accepted_bases > 0 && o->accepted_bases == NULL) ||
        o->n_accepted_bases >= COUNCIL__BASIS_LIMIT * 2 ||
        (o->vital_second_approver != 0 && o->vital_second_approver != 1))
        return council__fail(c, COUNCIL_EINVAL, "%s: bad options", op);
    for (size_t i = 0; i < o->n_accepted_bases; i++) {
        int b = council__basis_parse(o->accepted_bases[i]);
        if (b <= 0 || b >= COUNCIL__BASIS_LIMIT)
            return council__fail(c, COUNCIL_EINVAL, "%s: unknown basis", op);
        if (!seen[b]) {
            seen[b] = true;
            bases[n++] = (char *)(uintptr_t)council__basis_code(b);
        }
    }
    if (!seen[COUNCIL__BASIS_CONSENT])
        return council__fail(c, COUNCIL_EINVAL, "%s: consent is always accepted", op);
    m.accepted_bases = bases;
    m.n_accepted_bases = n;
    m.vital_second_approver = o->vital_second_approver == 1;
    len = council__v1__policy__pack(&m, buf);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if (council__setting_put(c, "policy", buf, len, true) != COUNCIL_OK)
        rc = council__db_err(c, op);
    if (rc == COUNCIL_OK)
        rc = policy_sign(c, op, buf, len);
    if (rc == COUNCIL_OK) {
        const council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_POLICY_CHANGED,
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
            .reason = "policy_changed",
        };
        rc = council__audit_append(c, &ev);
    }
    return council__finish(c, rc);
}

int council_policy_get(council *c, council_buf *out)
{
    static const char op[] = "policy_get";
    Council__V1__Policy m = COUNCIL__V1__POLICY__INIT;
    council__policy_config cfg;
    char *bases[COUNCIL__BASIS_LIMIT];
    size_t n = 0;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__policy_load(c, op, &cfg)) != COUNCIL_OK)
        return rc;
    for (int b = 1; b < COUNCIL__BASIS_LIMIT; b++)
        if (cfg.accept[b])
            bases[n++] = (char *)(uintptr_t)council__basis_code(b);
    m.accepted_bases = bases;
    m.n_accepted_bases = n;
    m.vital_second_approver = cfg.vital_second_approver;
    return council__pack_out(c, op, out, &m.base);
}
