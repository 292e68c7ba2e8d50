/*
 * case.c - cases and their persons (council_case_create, add_person,
 * set_status, get, list, read, erase, rekey), and what every case module
 * shares: loading a case, who may use it, its refusals and events. Owns
 * the tables case_record and person.
 *
 * Who may do what (checked against the store, enforced by keys):
 *  - the secretariat (root session) acts as the coordinating body: it
 *    holds a wrapped copy of every data key;
 *  - the owning member's staff: every scope of the cases it owns;
 *  - staff of a member a scope was shared with: that scope, while the
 *    share is active (not revoked, not expired).
 * A refusal is logged, then returned. Reads are logged durably before any
 * content leaves the library (log first, then read).
 */
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "buf.h"
#include "crypto.h"
#include "session.h"
#include "sql.h"
#include "casekey.h"
#include "consent_db.h"
#include "member_db.h"
#include "scope.h"
#include "case.h"
#include "find.h"
#include "section.h"
#include "attest.h"
#include "event.h"
#include "section_db.h"
#include "share_db.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define REFUSED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED

size_t council_case_persons_max(void)
{
    return COUNCIL_CASE_PERSONS_MAX;
}

int council__id_arg(council *c, const char *op, const uint8_t *id, size_t len)
{
    if (id == NULL || len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    return COUNCIL_OK;
}

/* ------------------------------------------------------------------ cases */

int council__case_load(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES], council__case *k)
{
    sqlite3_stmt *st = NULL;
    int rc, src;

    memset(k, 0, sizeof *k);
    if (sqlite3_prepare_v2(c->db, "SELECT status, body, owner, created, updated, erased, "
                                  "owner_proof FROM case_record WHERE id = ?1;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
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
        rc = council__case_owner_ok(c, id, k->owner, sqlite3_column_blob(st, 6),
                                    (size_t)sqlite3_column_bytes(st, 6))
                 ? COUNCIL_OK
                 : COUNCIL_ETAMPER;
    } else if (src == SQLITE_DONE) {
        rc = council__fail(c, COUNCIL_ENOTFOUND, "%s: no such case", op);
    } else {
        rc = council__db_err(c, op);
    }
    sqlite3_finalize(st);
    if (rc == COUNCIL_ETAMPER) {
        (void)council__tamper(c, id, NULL, NULL, "forged_case_owner");
        return council__fail(c, rc, "%s: the case's owner is not the one it was created for (the "
                             "case row was changed outside the library)", op);
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

    if (sqlite3_prepare_v2(c->db, "SELECT owner, owner_proof FROM case_record WHERE id = ?1;", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__fail(c, COUNCIL_EIO, "%s: database error", op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW && sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES) {
        memcpy(owner, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        if (!council__case_owner_ok(c, case_id, owner, sqlite3_column_blob(st, 1),
                                    (size_t)sqlite3_column_bytes(st, 1)))
            rc = COUNCIL_ETAMPER;
    } else {
        rc = src == SQLITE_DONE ? COUNCIL_ENOTFOUND : COUNCIL_EIO;
    }
    sqlite3_finalize(st);
    if (rc == COUNCIL_ETAMPER) {
        (void)council__tamper(c, case_id, NULL, NULL, "forged_case_owner");
        return council__fail(c, rc, "%s: the case's owner is not the one it was created for (the "
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

    if (sqlite3_prepare_v2(c->db, "SELECT id, owner FROM case_record WHERE owner_proof IS NULL;",
                           -1, &st, NULL) != SQLITE_OK)
        return council__db_err(c, "open");
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t sig[64];
        sqlite3_stmt *up = NULL;
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES ||
            sqlite3_column_bytes(st, 1) != COUNCIL_ID_BYTES)
            continue;
        rc = council__case_owner_sign(c, sig, sqlite3_column_blob(st, 0), sqlite3_column_blob(st, 1));
        if (rc == COUNCIL_OK &&
            (sqlite3_prepare_v2(c->db, "UPDATE case_record SET owner_proof = ?2 WHERE id = ?1;", -1,
                                &up, NULL) != SQLITE_OK ||
             sqlite3_bind_blob(up, 1, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES,
                               SQLITE_TRANSIENT) != SQLITE_OK ||
             sqlite3_bind_blob(up, 2, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
             sqlite3_step(up) != SQLITE_DONE))
            rc = council__fail(c, COUNCIL_EIO, "open: cannot sign a case's owner");
        sqlite3_finalize(up);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, "open");
    sqlite3_finalize(st);
    return rc;
}

/* May this session read or write `scope` (NULL: anything) of case k? */
int council__case_may_use(council *c, const char *op, const council__case *k, const char *scope, bool *yes)
{
    *yes = true;
    if (council__is_root(c) || council__case_is_owner(c, k))
        return COUNCIL_OK;
    return council__share_active(c, op, k->id, c->actor_member, scope, yes);
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
        .outcome = REFUSED,
        .error = rc,
        .reason = reason,
    };
    int arc;

    if (in_txn)
        council__audit_batch_rollback(c);
    council__event_actor(c, &ev);
    arc = council__audit_append(c, &ev);
    if (arc == COUNCIL_OK && c->user_batch)
        council__hold_event(c, &ev);
    if (arc != COUNCIL_OK)
        return arc; /* not even the refusal could be logged */
    return council__fail(c, rc, "%s: %s", op, msg);
}

/* The person's role in the case (ENOTFOUND if not of this case). */
int council__case_person_of(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                     const uint8_t person[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    int src;

    if (sqlite3_prepare_v2(c->db, "SELECT role FROM person WHERE id = ?1 AND case_id = ?2;", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    src = sqlite3_step(st);
    sqlite3_finalize(st);
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

    if (sqlite3_prepare_v2(c->db, "UPDATE case_record SET updated = ?2 WHERE id = ?1;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
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

/* Begin a change only the secretariat or the owner's staff may make: the
 * transaction, then the case (not erased) and the session, each refusal
 * logged. On COUNCIL_OK the transaction is open. */
static int begin_owner_change(council *c, const char *op, int action,
                              const uint8_t case_id[COUNCIL_ID_BYTES], council__case *k)
{
    int rc = council__audit_batch_begin(c);

    if (rc != COUNCIL_OK)
        return rc;
    if ((rc = council__case_load(c, op, case_id, k)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (k->erased != 0)
        return council__case_refuse(c, true, action, k, NULL, NULL, NULL, COUNCIL_EDENIED, "case_erased", op,
                      "the case was erased");
    if (!council__is_root(c) && !council__case_is_owner(c, k))
        return council__case_refuse(c, true, action, k, NULL, NULL, NULL, COUNCIL_EDENIED, "not_owner", op,
                      "only the secretariat or the owning member may do this");
    return COUNCIL_OK;
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

/* ------------------------------------------------------------------ create */

int council_case_create(council *c, uint8_t *case_id, size_t case_id_len, uint8_t *person_id,
                        size_t person_id_len, const council_case_options *o)
{
    static const char op[] = "case_create";
    uint8_t id[COUNCIL_ID_BYTES], pid[COUNCIL_ID_BYTES], owner[COUNCIL_ID_BYTES];
    uint8_t nonce[COUNCIL_ID_BYTES];
    sqlite3_stmt *st = NULL;
    int32_t body;
    int64_t now = (int64_t)time(NULL);
    council__case k;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if ((rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, person_id, person_id_len)) != COUNCIL_OK)
        return rc;
    if (o == NULL || o->version != COUNCIL_CASE_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    body = o->body == 0 ? COUNCIL__V1__CASE_BODY__CASE_BODY_COUNCIL : o->body;
    if (body < COUNCIL__V1__CASE_BODY__CASE_BODY_COUNCIL ||
        body > COUNCIL__V1__CASE_BODY__CASE_BODY_NEEDS_OF_POOR_MEETING)
        return council__fail(c, COUNCIL_EINVAL, "%s: unknown body %d", op, (int)body);
    if (council__is_root(c)) {
        if ((rc = council__id_arg(c, op, o->owner, o->owner_len)) != COUNCIL_OK)
            return council__fail(c, rc, "%s: the secretariat names the owning member", op);
        memcpy(owner, o->owner, COUNCIL_ID_BYTES);
    } else {
        if (o->owner != NULL && (o->owner_len != COUNCIL_ID_BYTES ||
                                 memcmp(o->owner, c->actor_member, COUNCIL_ID_BYTES) != 0))
            return council__case_refuse(c, false, ACT(CASE_CREATED), NULL, NULL, NULL, NULL, COUNCIL_EDENIED,
                          "owner_other_member", op, "staff create cases of their own member");
        memcpy(owner, c->actor_member, COUNCIL_ID_BYTES);
    }
    /* The id commits to the owner (casekey.c): no row edit moves the case. */
    randombytes_buf(nonce, sizeof nonce);
    council__case_id_derive(c, id, owner, nonce);
    council__uuid_random(pid);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__member_usable(c, op, owner)) == COUNCIL_EDENIED)
        return council__case_refuse(c, true, ACT(CASE_CREATED), NULL, NULL, NULL, owner, rc, "owner_withdrawn",
                      op, "the owning member has withdrawn");
    if (rc != COUNCIL_OK)
        return council__finish(c, rc);
    {
        bool keyed = false;
        if (sqlite3_prepare_v2(c->db, "SELECT box_pk IS NOT NULL FROM member WHERE id = ?1;", -1,
                               &st, NULL) == SQLITE_OK &&
            sqlite3_bind_blob(st, 1, owner, COUNCIL_ID_BYTES, SQLITE_STATIC) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            keyed = sqlite3_column_int(st, 0) != 0;
        sqlite3_finalize(st);
        st = NULL;
        if (!keyed)
            return council__case_refuse(c, true, ACT(CASE_CREATED), NULL, NULL, NULL, owner, COUNCIL_EDENIED,
                          "owner_without_keys", op, "the owning member has no keys registered");
    }
    if (sqlite3_prepare_v2(c->db, "INSERT INTO case_record (id, status, body, owner, created, "
                                  "updated, seq, owner_proof) VALUES (?1, ?2, ?3, ?4, ?5, ?5, "
                                  "(SELECT coalesce(max(seq), 0) + 1 FROM case_record), ?6);", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 6, nonce, sizeof nonce, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, COUNCIL__V1__CASE_STATUS__CASE_STATUS_OPEN) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, body) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, owner, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, now) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    st = NULL;
    if (rc == COUNCIL_OK &&
        (sqlite3_prepare_v2(c->db, "INSERT INTO person (id, case_id, role, added, seq) VALUES "
                                   "(?1, ?2, ?3, ?4, (SELECT coalesce(max(seq), 0) + 1 FROM "
                                   "person));", -1, &st, NULL) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, pid, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_int(st, 3, COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_SUPPORTED) != SQLITE_OK ||
         sqlite3_bind_int64(st, 4, now) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE))
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc == COUNCIL_OK && (rc = council__case_ref(c, k.ref, id)) == COUNCIL_OK)
        rc = council__case_log(c, ACT(CASE_CREATED), &k, NULL, 0, NULL, owner, NULL);
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK) {
        memcpy(case_id, id, COUNCIL_ID_BYTES);
        memcpy(person_id, pid, COUNCIL_ID_BYTES);
    }
    return rc;
}

int council_case_add_person(council *c, uint8_t *person_id, size_t person_id_len,
                            const uint8_t *case_id, size_t case_id_len, int32_t role)
{
    static const char op[] = "case_add_person";
    uint8_t pid[COUNCIL_ID_BYTES];
    sqlite3_stmt *st = NULL;
    int64_t n = 0;
    council__case k;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if ((rc = council__id_arg(c, op, person_id, person_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK)
        return rc;
    if (role != COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_FAMILY &&
        role != COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_CLOSE_THIRD_PARTY)
        return council__fail(c, COUNCIL_EINVAL, "%s: a related person is family or a close "
                             "third party", op);
    council__uuid_random(pid);
    if ((rc = begin_owner_change(c, op, ACT(PERSON_ADDED), case_id, &k)) != COUNCIL_OK)
        return rc;
    n = -1;
    if (sqlite3_prepare_v2(c->db, "SELECT count(*) FROM person WHERE case_id = ?1;", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (n < 0)
        return council__finish(c, council__db_err(c, op));
    if (n >= COUNCIL_CASE_PERSONS_MAX)
        return council__finish(c, council__fail(c, COUNCIL_ELIMIT, "%s: at most %d persons", op,
                                                COUNCIL_CASE_PERSONS_MAX));
    if (sqlite3_prepare_v2(c->db, "INSERT INTO person (id, case_id, role, added, seq) VALUES "
                                  "(?1, ?2, ?3, ?4, (SELECT coalesce(max(seq), 0) + 1 FROM "
                                  "person));", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, pid, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, role) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc == COUNCIL_OK)
        rc = council__case_touch(c, op, case_id);
    if (rc == COUNCIL_OK)
        rc = council__case_log(c, ACT(PERSON_ADDED), &k, NULL, 0, NULL, NULL, NULL);
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK)
        memcpy(person_id, pid, COUNCIL_ID_BYTES);
    return rc;
}

int council_case_set_status(council *c, const uint8_t *case_id, size_t case_id_len, int32_t status)
{
    static const char op[] = "case_set_status";
    sqlite3_stmt *st = NULL;
    council__case k;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK)
        return rc;
    if (status < COUNCIL__V1__CASE_STATUS__CASE_STATUS_OPEN ||
        status > COUNCIL__V1__CASE_STATUS__CASE_STATUS_CLOSED)
        return council__fail(c, COUNCIL_EINVAL, "%s: status is open, monitoring or closed "
                             "(erasure is council_case_erase)", op);
    if ((rc = begin_owner_change(c, op, ACT(CASE_UPDATED), case_id, &k)) != COUNCIL_OK)
        return rc;
    if (sqlite3_prepare_v2(c->db, "UPDATE case_record SET status = ?2, updated = ?3 WHERE id = ?1;",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, status) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc == COUNCIL_OK)
        rc = council__case_log(c, ACT(CASE_UPDATED), &k, NULL, 0, NULL, NULL, "status_changed");
    return council__finish(c, rc);
}

/* ------------------------------------------------------------ reading */

int council__case_read_start(council *c, const char *op, const uint8_t *case_id, size_t case_id_len,
                       const uint8_t *person_id, size_t person_id_len, const char *scope,
                       const char *purpose, council_buf *out, council__case *k)
{
    int rc;
    bool ok;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK)
        return rc;
    if (person_id != NULL || scope != NULL) {
        if ((rc = council__id_arg(c, op, person_id, person_id_len)) != COUNCIL_OK)
            return rc;
        if ((rc = council__scope_known(c, op, scope)) != COUNCIL_OK)
            return rc;
    }
    if (purpose == NULL || !council__audit_code_ok(purpose))
        return council__fail(c, COUNCIL_EINVAL, "%s: a read names its purpose, a code "
                             "[a-z0-9_]{1,64}", op);
    if ((rc = council__case_load(c, op, case_id, k)) != COUNCIL_OK)
        return rc;
    if (k->erased != 0)
        return council__case_refuse(c, false, ACT(SECTION_DECRYPTED), k, scope, purpose, NULL, COUNCIL_EDENIED,
                      "case_erased", op, "the case was erased");
    if (person_id != NULL && (rc = council__case_person_of(c, op, case_id, person_id)) != COUNCIL_OK)
        return rc;
    if (scope != NULL) {
        if ((rc = council__case_may_use(c, op, k, scope, &ok)) != COUNCIL_OK)
            return rc;
        if (!ok)
            return council__case_refuse(c, false, ACT(SECTION_DECRYPTED), k, scope, purpose, NULL,
                          COUNCIL_EDENIED, "scope_not_shared", op, "this scope of the case was "
                          "not shared with the session's member");
    }
    return COUNCIL_OK;
}

/* After decryption, before return: the durable event; on failure nothing
 * is returned. A failed decryption is logged as refused. */
int council__case_read_finish(council *c, const char *op, const council__case *k, const char *const *scopes,
                       size_t n, const char *purpose, const char *reason, int rc, council__buf *b,
                       council_buf *out)
{
    if (rc == COUNCIL_EAUTH || rc == COUNCIL_EDENIED) {
        council__buf_free(b);
        return council__case_refuse(c, false, ACT(SECTION_DECRYPTED), k, n == 1 ? scopes[0] : NULL, purpose,
                      NULL, rc, rc == COUNCIL_EAUTH ? "authentication_failed" : "no_key_for_version",
                      op, rc == COUNCIL_EAUTH ? "a section or its key failed authentication"
                                              : "this session holds no key for the section");
    }
    if (rc == COUNCIL_OK)
        rc = council__case_log(c, ACT(SECTION_DECRYPTED), k, scopes, n, purpose, NULL, reason);
    if (rc != COUNCIL_OK) {
        council__buf_free(b);
        return rc;
    }
    return council__buf_out(c, op, b, out);
}

/* --------------------------------------------------------------- metadata */

static void free_info(Council__V1__CaseInfo *m)
{
    if (m != NULL)
        council__v1__case_info__free_unpacked(m, council__pb_allocator());
}

bool council__case_dup_blob(ProtobufCBinaryData *d, const void *p, size_t n)
{
    d->data = council__malloc(n);
    if (d->data == NULL)
        return false;
    memcpy(d->data, p, n);
    d->len = n;
    return true;
}

char *council__case_dup_col(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t != NULL ? council__strdup((const char *)t) : NULL;
}

/* Grow a protobuf repeated field (pointer array) by one. */
static bool push(void ***arr, size_t *n, void *item)
{
    void **na = council__malloc((*n + 1) * sizeof *na);
    if (na == NULL)
        return false;
    if (*n > 0)
        memcpy(na, *arr, *n * sizeof *na);
    council__free(*arr);
    na[*n] = item;
    *arr = na;
    (*n)++;
    return true;
}

/* Fillers of one metadata row each (false: out of memory or a bad row). */
static bool fill_person(sqlite3_stmt *st, void *item)
{
    Council__V1__Person *p = item;

    council__v1__person__init(p);
    p->role = (Council__V1__PersonRole)sqlite3_column_int(st, 1);
    p->added = sqlite3_column_int64(st, 2);
    return sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES &&
           council__case_dup_blob(&p->id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
}

/* Each row of sql (bound to the case id) as a new item of `size` bytes
 * pushed onto a repeated field; freed with the message. */
bool council__case_rows_into(council *c, const char *sql, const uint8_t id[COUNCIL_ID_BYTES], size_t size,
                      bool (*fill)(sqlite3_stmt *, void *), void ***arr, size_t *n)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK &&
              sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) == SQLITE_OK;
    int src = SQLITE_DONE;

    while (ok && (src = sqlite3_step(st)) == SQLITE_ROW) {
        void *item = council__calloc(1, size);
        if (item == NULL || !push(arr, n, item)) {
            council__free(item);
            ok = false;
            break;
        }
        ok = fill(st, item);
    }
    sqlite3_finalize(st);
    return ok && src == SQLITE_DONE;
}

static int build_info(council *c, const char *op, const council__case *k, Council__V1__CaseInfo **out)
{
    Council__V1__CaseInfo *m = council__calloc(1, sizeof *m);
    char idt[37];
    bool ok;

    *out = NULL;
    if (m == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    council__v1__case_info__init(m);
    council__uuid_text(idt, k->id);
    ok = council__case_dup_blob(&m->id, k->id, COUNCIL_ID_BYTES) && (m->id_text = council__strdup(idt)) != NULL &&
         council__case_dup_blob(&m->owner_member, k->owner, COUNCIL_ID_BYTES);
    m->status = (Council__V1__CaseStatus)k->status;
    m->body = (Council__V1__CaseBody)k->body;
    m->created = k->created;
    m->updated = k->updated;
    m->has_erased = k->erased != 0;
    m->erased = k->erased;
    ok = ok &&
         council__case_rows_into(c, "SELECT id, role, added FROM person WHERE case_id = ?1 ORDER BY seq;", k->id,
                   sizeof(Council__V1__Person), fill_person, (void ***)&m->persons, &m->n_persons) &&
         council__section_infos(c, k->id, m) &&
         council__share_infos(c, k->id, m);
    if (!ok) {
        free_info(m);
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory or database error", op);
    }
    *out = m;
    return COUNCIL_OK;
}

int council_case_get(council *c, council_buf *out, const uint8_t *case_id, size_t case_id_len)
{
    static const char op[] = "case_get";
    Council__V1__CaseInfo *m = NULL;
    council__buf b = COUNCIL__BUF_INIT;
    bool ok = true;
    council__case k;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = council__case_load(c, op, case_id, &k)) != COUNCIL_OK)
        return rc;
    if ((rc = council__case_may_use(c, op, &k, NULL, &ok)) != COUNCIL_OK)
        return rc;
    if (!ok)
        return council__case_refuse(c, false, ACT(CASE_READ), &k, NULL, NULL, NULL, COUNCIL_EDENIED,
                      "case_not_shared", op, "the case is not shared with the session's member");
    if ((rc = build_info(c, op, &k, &m)) != COUNCIL_OK)
        return rc;
    council__buf_message(&b, &m->base);
    free_info(m);
    rc = council__buf_out(c, op, &b, out);
    if (rc == COUNCIL_OK)
        council__clear(c);
    return rc;
}

int council_case_list(council *c, council_buf *out)
{
    static const char op[] = "case_list";
    sqlite3_stmt *st = NULL;
    council__buf b = COUNCIL__BUF_INIT;
    int rc, src;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (sqlite3_prepare_v2(c->db, "SELECT id FROM case_record WHERE ?1 IS NULL OR owner = ?1 OR "
                                  "id IN (SELECT case_id FROM case_share WHERE member_id = ?1 AND "
                                  "revoked IS NULL AND (expires IS NULL OR expires > ?2)) ORDER BY "
                                  "seq;", -1, &st, NULL) != SQLITE_OK ||
        (council__is_root(c) ? sqlite3_bind_null(st, 1)
                    : sqlite3_bind_blob(st, 1, c->actor_member, COUNCIL_ID_BYTES, SQLITE_STATIC)) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL)) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t id[COUNCIL_ID_BYTES];
        Council__V1__CaseInfo *m = NULL;
        council__buf one = COUNCIL__BUF_INIT;
        council__case k;

        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
            continue;
        memcpy(id, sqlite3_column_blob(st, 0), sizeof id);
        if ((rc = council__case_load(c, op, id, &k)) != COUNCIL_OK || (rc = build_info(c, op, &k, &m)) != COUNCIL_OK)
            break;
        council__buf_message(&one, &m->base);
        free_info(m);
        council__buf_field(&b, 1, one.p, one.len);
        council__buf_free(&one);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc != COUNCIL_OK) {
        council__buf_free(&b);
        return rc;
    }
    rc = council__buf_out(c, op, &b, out);
    if (rc == COUNCIL_OK)
        council__clear(c);
    return rc;
}

int council_case_read(council *c, council_buf *out, const uint8_t *case_id, size_t case_id_len,
                      const char *purpose)
{
    if (out != NULL && (case_id == NULL || case_id_len != COUNCIL_ID_BYTES)) {
        out->ptr = NULL;
        out->len = 0;
        return council__fail(c, COUNCIL_EINVAL, "case_read: ids are %d bytes", COUNCIL_ID_BYTES);
    }
    return council__case_content(c, "case_read", out, case_id, NULL, 0, purpose);
}

int council__case_content(council *c, const char *op, council_buf *out,
                          const uint8_t case_id[COUNCIL_ID_BYTES], const char *const *filter,
                          size_t n_filter, const char *purpose)
{
    Council__V1__CaseInfo *m = NULL;
    council__buf b = COUNCIL__BUF_INIT;
    council__scopes_read read;
    int rc;
    council__case k;

    if ((rc = council__case_read_start(c, op, case_id, COUNCIL_ID_BYTES, NULL, 0, NULL, purpose, out, &k)) != COUNCIL_OK)
        return rc;
    if ((rc = build_info(c, op, &k, &m)) != COUNCIL_OK)
        return rc;
    {
        council__buf one = COUNCIL__BUF_INIT;
        council__buf_message(&one, &m->base);
        council__buf_field(&b, 1, one.p, one.len);
        council__buf_free(&one);
    }
    free_info(m);
    rc = council__section_latest(c, op, &k, filter, n_filter, &b, &read);
    if (rc == COUNCIL_OK && read.n == 0 && read.skipped > 0) {
        council__buf_free(&b);
        return council__case_refuse(c, false, ACT(SECTION_DECRYPTED), &k, NULL, purpose, NULL, COUNCIL_EDENIED,
                      "scope_not_shared", op, "no scope of the case was shared with the "
                      "session's member");
    }
    return council__case_read_finish(c, op, &k, read.ptr, read.n, purpose, "case", rc, &b, out);
}

/* ----------------------------------------------------------------- erasure */

int council_case_erase(council *c, const uint8_t *case_id, size_t case_id_len, const char *reason)
{
    static const char op[] = "case_erase";
    static const char *const wipe[] = { /* casekey.c's tables, for now (see report) */
        "DELETE FROM key_wrap WHERE case_id = ?1;",
        "DELETE FROM case_key WHERE case_id = ?1;",
    };
    sqlite3_stmt *st = NULL;
    council__case k;
    int rc;

    if ((rc = council__root_only(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK)
        return rc;
    if (reason == NULL || !council__audit_code_ok(reason))
        return council__fail(c, COUNCIL_EINVAL, "%s: a reason is a code [a-z0-9_]{1,64}", op);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__case_load(c, op, case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (k.erased != 0)
        return council__finish(c, council__fail(c, COUNCIL_EDENIED, "%s: erased already", op));
    rc = council__section_erase(c, op, case_id);
    for (size_t i = 0; rc == COUNCIL_OK && i < sizeof wipe / sizeof wipe[0]; i++)
        rc = council__sql_exec1(c, op, wipe[i], case_id, COUNCIL_ID_BYTES, NULL, 0);
    if (rc == COUNCIL_OK)
        rc = council__find_erase(c, op, case_id);
    if (rc == COUNCIL_OK)
        rc = council__sql_exec1(c, op, "DELETE FROM person WHERE case_id = ?1;", case_id,
                                COUNCIL_ID_BYTES, NULL, 0);
    if (rc == COUNCIL_OK)
        rc = council__share_forget_bases(c, op, case_id);
    if (rc == COUNCIL_OK)
        rc = council__consent_erase(c, op, case_id);
    if (rc == COUNCIL_OK)
        rc = council__share_end_case(c, op, case_id);
    if (rc == COUNCIL_OK &&
        (sqlite3_prepare_v2(c->db, "UPDATE case_record SET status = ?2, erased = ?3, updated = ?3 "
                                   "WHERE id = ?1;", -1, &st, NULL) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_int(st, 2, COUNCIL__V1__CASE_STATUS__CASE_STATUS_ERASED) != SQLITE_OK ||
         sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc == COUNCIL_OK)
        rc = council__case_log(c, ACT(CASE_ERASED), &k, NULL, 0, NULL, NULL, reason);
    rc = council__finish(c, rc);
    /* Old page images of the rows (and their wrapped keys) leave the
     * write-ahead log; secure_delete has zeroed the freed pages. */
    if (rc == COUNCIL_OK &&
        sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) != SQLITE_OK)
        rc = council__fail(c, COUNCIL_EIO, "%s: erased, but the write-ahead log could not be "
                           "truncated yet (another connection reads); it will be at the next "
                           "checkpoint", op);
    return rc;
}

/* ----------------------------------------------------------------- rekey */

int council_case_rekey(council *c, const uint8_t *case_id, size_t case_id_len)
{
    static const char op[] = "case_rekey";
    char sc[COUNCIL__AUDIT_SCOPES_MAX][COUNCIL__AUDIT_CODE_MAX + 1];
    const char *scopes[COUNCIL__AUDIT_SCOPES_MAX];
    size_t n = 0;
    sqlite3_stmt *st = NULL;
    council__case k;
    int rc, src;

    if ((rc = council__root_only(c, op)) != COUNCIL_OK || (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__case_load(c, op, case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (k.erased != 0)
        return council__finish(c, council__fail(c, COUNCIL_EDENIED, "%s: the case was erased", op));
    if (sqlite3_prepare_v2(c->db, "SELECT DISTINCT scope FROM case_key WHERE case_id = ?1 ORDER "
                                  "BY scope;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__finish(c, council__db_err(c, op));
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW && n < COUNCIL__AUDIT_SCOPES_MAX) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        if (s != NULL && council__audit_code_ok(s)) {
            strcpy(sc[n], s);
            scopes[n] = sc[n];
            n++;
        }
    }
    sqlite3_finalize(st);
    if (src != SQLITE_DONE) /* the catalogue holds at most 32 scopes */
        return council__finish(c, council__db_err(c, op));
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        council__secret nkey = { NULL, 0 };
        uint32_t nv = 0;

        if ((rc = council__key_new(c, op, case_id, scopes[i], &nv, &nkey)) != COUNCIL_OK)
            break;
        rc = council__section_reseal(c, op, case_id, scopes[i], nv, &nkey);
        council__secret_free(&nkey);
        /* The older keys and every wrapped copy of them are destroyed. */
        for (int j = 0; rc == COUNCIL_OK && j < 2; j++) {
            st = NULL;
            if (sqlite3_prepare_v2(c->db, j == 0 ? "DELETE FROM key_wrap WHERE case_id = ?1 AND "
                                                   "scope = ?2 AND version < ?3;"
                                                 : "DELETE FROM case_key WHERE case_id = ?1 AND "
                                                   "scope = ?2 AND version < ?3;", -1, &st,
                                   NULL) != SQLITE_OK ||
                sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
                sqlite3_bind_text(st, 2, scopes[i], -1, SQLITE_STATIC) != SQLITE_OK ||
                sqlite3_bind_int64(st, 3, nv) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
                rc = council__db_err(c, op);
            sqlite3_finalize(st);
        }
    }
    if (rc == COUNCIL_OK)
        rc = council__case_log(c, ACT(KEY_ROTATED), &k, scopes, n, NULL, NULL, "case_rekeyed");
    return council__finish(c, rc);
}

/* --- added by H-KEY for issue 11 --- */
int council__person_in_case(council *c, const char *op, const uint8_t person[COUNCIL_ID_BYTES],
                            const uint8_t case_id[COUNCIL_ID_BYTES], bool *yes)
{
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM person WHERE id = ?1 AND case_id = ?2;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    return council__row_exists(c, op, st, yes);
}

/* --- added by H2 for issue 11 --- */
int council__case_persons(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          council__case_person **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT id, role FROM person WHERE case_id = ?1 ORDER BY seq;", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
            continue;
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            council__case_person *np = council__calloc(ncap, sizeof *np);
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
        memcpy((*out)[*n].id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        (*out)[*n].role = sqlite3_column_int(st, 1);
        (*n)++;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
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
    size_t cap = 0;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT id FROM case_record WHERE owner = ?1;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
            continue;
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            uint8_t (*np)[COUNCIL_ID_BYTES] = council__calloc(ncap, sizeof *np);
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
        memcpy((*out)[(*n)++], sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc != COUNCIL_OK) {
        council__free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}
