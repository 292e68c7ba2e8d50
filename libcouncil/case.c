/*
 * case.c - cases and their persons, the public operations
 * (council_case_create, add_person, set_status, get, list, read, erase,
 * rekey). It holds no SQL: the rows are case_db.c's (the tables
 * case_record and person, loading a case, its refusals and events), the
 * keys casekey.c's, and who may read a scope is section.c's
 * (council__case_may_use, _read_start, _read_finish).
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
#include <stdio.h>
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
#include "case_db.h"
#include "case.h"
#include "find.h"
#include "section.h"
#include "attest.h"
#include "event.h"
#include "section_db.h"
#include "share_db.h"
#include "memo.h"
#include "share.h"
#include "keydir.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define REFUSED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED

size_t council_case_persons_max(void)
{
    return COUNCIL_CASE_PERSONS_MAX;
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
    if (!council__is_secretariat(c) && !council__case_is_owner(c, k))
        return council__case_refuse(c, true, action, k, NULL, NULL, NULL, COUNCIL_EDENIED, "not_owner", op,
                      "only the secretariat or the owning member may do this");
    return COUNCIL_OK;
}

/* ------------------------------------------------------------------ create */

int council_case_create(council *c, uint8_t *case_id, size_t case_id_len, uint8_t *person_id,
                        size_t person_id_len, const council_case_options *o)
{
    static const char op[] = "case_create";
    uint8_t id[COUNCIL_ID_BYTES], pid[COUNCIL_ID_BYTES], owner[COUNCIL_ID_BYTES];
    uint8_t nonce[COUNCIL_ID_BYTES];
    int32_t body;
    int64_t now = (int64_t)time(NULL);
    council__case k;
    bool anonymous;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if ((rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, person_id, person_id_len)) != COUNCIL_OK)
        return rc;
    if (o == NULL || (o->version != COUNCIL_CASE_OPTIONS_VERSION && o->version != 1))
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    /* Version 1 callers' options end before the anonymous flag. */
    anonymous = o->version >= 2 && o->anonymous != 0;
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
    /* The id commits to the owner and the body (attest.c): no row edit moves
     * the case, nor re-labels the body it was collected under. */
    randombytes_buf(nonce, sizeof nonce);
    council__case_id_derive(c, id, owner, nonce, body);
    council__uuid_random(pid);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__member_usable(c, op, owner)) == COUNCIL_EDENIED)
        return council__case_refuse(c, true, ACT(CASE_CREATED), NULL, NULL, NULL, owner, rc, "owner_withdrawn",
                      op, "the owning member has withdrawn");
    if (rc != COUNCIL_OK)
        return council__finish(c, rc);
    {
        /* Keys registered at all (the register's box_pk not NULL). A read
         * that failed is EIO, not a refusal on the record: that would be
         * an event without its act. */
        bool found = false, active = false, keyed = false;
        uint8_t pk[32];
        if (council__member_keys_of(c, owner, &found, &active, pk, &keyed) != COUNCIL_OK)
            return council__finish(c, council__fail(c, COUNCIL_EIO, "%s: cannot read the "
                                                    "register", op));
        if (!keyed)
            return council__case_refuse(c, true, ACT(CASE_CREATED), NULL, NULL, NULL, owner, COUNCIL_EDENIED,
                          "owner_without_keys", op, "the owning member has no keys registered");
    }
    rc = council__case_insert(c, op, id, body, owner, now, nonce);
    /* Open since now, signed by whoever may sign for the owner (its staff,
     * the secretariat); a case made for another member by someone else
     * gets its signed status when its status is first set. */
    if (rc == COUNCIL_OK && (council__is_secretariat(c) ||
                             sodium_memcmp(c->actor_member, owner, COUNCIL_ID_BYTES) == 0))
        rc = council__case_status_sign(c, op, id, COUNCIL__V1__CASE_STATUS__CASE_STATUS_OPEN, now);
    if (rc == COUNCIL_OK)
        rc = council__person_insert(c, op, pid, id, COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_SUPPORTED,
                                    now);
    /* Anonymous intake (a hotline or chat contact): a person without a
     * name, signed so, never put in the blind index. */
    if (rc == COUNCIL_OK && anonymous) {
        council__person_st ps;
        memset(&ps, 0, sizeof ps);
        ps.anonymous = true;
        rc = council__person_state_put(c, op, id, pid, &ps);
    }
    if (rc == COUNCIL_OK && (rc = council__case_ref(c, k.ref, id)) == COUNCIL_OK)
        rc = council__case_log(c, ACT(CASE_CREATED), &k, NULL, 0, NULL, owner,
                               anonymous ? "anonymous_intake" : NULL);
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
    if ((rc = council__person_count(c, op, case_id, &n)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (n >= COUNCIL_CASE_PERSONS_MAX)
        return council__finish(c, council__fail(c, COUNCIL_ELIMIT, "%s: at most %d persons", op,
                                                COUNCIL_CASE_PERSONS_MAX));
    rc = council__person_insert(c, op, pid, case_id, role, (int64_t)time(NULL));
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
    {
        int64_t now = (int64_t)time(NULL);
        /* The status as the session signs it: retention's proof of when a
         * case closed (the column and the log's tail are the insider's). */
        rc = council__case_status_update(c, op, case_id, status, now);
        if (rc == COUNCIL_OK)
            rc = council__case_status_sign(c, op, case_id, status, now);
    }
    /* The new status rides in the event's hashed body (purpose), so that
     * retention (retention.c) learns when a case closed from the log, not
     * from the status column the insider can write. */
    if (rc == COUNCIL_OK)
        rc = council__case_log(c, ACT(CASE_UPDATED), &k, NULL, 0,
                               status == COUNCIL__V1__CASE_STATUS__CASE_STATUS_OPEN ? "open"
                               : status == COUNCIL__V1__CASE_STATUS__CASE_STATUS_MONITORING
                                   ? "monitoring"
                                   : "closed",
                               NULL, "status_changed");
    return council__finish(c, rc);
}

/* --------------------------------------------------------------- metadata */

static void free_info(Council__V1__CaseInfo *m)
{
    if (m != NULL)
        council__v1__case_info__free_unpacked(m, council__pb_allocator());
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
    ok = council__sql_dup_blob(&m->id, k->id, COUNCIL_ID_BYTES) &&
         (m->id_text = council__strdup(idt)) != NULL &&
         council__sql_dup_blob(&m->owner_member, k->owner, COUNCIL_ID_BYTES) &&
         council__sql_dup_blob(&m->case_ref, k->ref, sizeof k->ref);
    m->has_case_ref = ok;
    m->status = (Council__V1__CaseStatus)k->status;
    m->body = (Council__V1__CaseBody)k->body;
    m->created = k->created;
    m->updated = k->updated;
    m->has_erased = k->erased != 0;
    m->erased = k->erased;
    ok = ok && council__person_infos(c, k->id, m) &&
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

/* case_list: which cases the session sees, and each as a CaseInfo. */
typedef struct list_ctx {
    const char *op;
    bool all;                        /* the secretariat: every case */
    const uint8_t *member;           /* else the session's member's own */
    uint8_t (*shared)[COUNCIL_ID_BYTES]; /* and those shared with it */
    size_t n_shared;
    council__buf b;
} list_ctx;

static int list_one(council *c, const council__case_row *r, void *ctx)
{
    list_ctx *l = ctx;
    Council__V1__CaseInfo *m = NULL;
    council__buf one = COUNCIL__BUF_INIT;
    council__case k;
    bool listed = l->all || (r->has_owner && memcmp(r->owner, l->member, COUNCIL_ID_BYTES) == 0);
    int rc;

    for (size_t i = 0; !listed && i < l->n_shared; i++)
        listed = memcmp(l->shared[i], r->id, COUNCIL_ID_BYTES) == 0;
    if (!listed)
        return COUNCIL_OK;
    if ((rc = council__case_load(c, l->op, r->id, &k)) != COUNCIL_OK ||
        (rc = build_info(c, l->op, &k, &m)) != COUNCIL_OK)
        return rc;
    council__buf_message(&one, &m->base);
    free_info(m);
    council__buf_field(&l->b, 1, one.p, one.len);
    council__buf_free(&one);
    return COUNCIL_OK;
}

int council_case_list(council *c, council_buf *out)
{
    static const char op[] = "case_list";
    list_ctx l = { op, false, NULL, NULL, 0, COUNCIL__BUF_INIT };
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    /* The secretariat lists every case; staff their member's own and those
     * with a share row naming the member, not revoked, not expired (the
     * listing as it always was: see council__share_listed_cases). */
    l.all = council__is_coordinator(c);
    l.member = c->actor_member;
    if (!l.all && (rc = council__share_listed_cases(c, op, c->actor_member, (int64_t)time(NULL),
                                                    &l.shared, &l.n_shared)) != COUNCIL_OK)
        return rc;
    rc = council__case_each(c, op, list_one, &l);
    council__free(l.shared);
    if (rc != COUNCIL_OK) {
        council__buf_free(&l.b);
        return rc;
    }
    rc = council__buf_out(c, op, &l.b, out);
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
    council__case k;
    int rc;

    if ((rc = council__secretariat_only(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK ||
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
    if (rc == COUNCIL_OK)
        rc = council__key_erase_case(c, op, case_id);
    if (rc == COUNCIL_OK)
        rc = council__memo_erase_case(c, op, case_id);
    if (rc == COUNCIL_OK)
        rc = council__find_erase(c, op, case_id);
    if (rc == COUNCIL_OK)
        rc = council__person_erase(c, op, case_id);
    if (rc == COUNCIL_OK)
        rc = council__share_forget_bases(c, op, case_id);
    if (rc == COUNCIL_OK)
        rc = council__consent_erase(c, op, case_id);
    if (rc == COUNCIL_OK)
        rc = council__share_end_case(c, op, case_id);
    if (rc == COUNCIL_OK)
        rc = council__case_mark_erased(c, op, case_id, (int64_t)time(NULL));
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
    council__case k;
    int rc;

    if ((rc = council__secretariat_only(c, op)) != COUNCIL_OK || (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__case_load(c, op, case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (k.erased != 0)
        return council__finish(c, council__fail(c, COUNCIL_EDENIED, "%s: the case was erased", op));
    if ((rc = council__key_scopes(c, op, case_id, sc, scopes, &n)) != COUNCIL_OK)
        return council__finish(c, rc);
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        council__secret nkey = { NULL, 0 };
        uint32_t nv = 0;

        if ((rc = council__key_new(c, op, case_id, scopes[i], &nv, &nkey)) != COUNCIL_OK)
            break;
        rc = council__section_reseal(c, op, case_id, scopes[i], nv, &nkey);
        council__secret_free(&nkey);
        /* The older keys and every wrapped copy of them are destroyed. */
        if (rc == COUNCIL_OK)
            rc = council__key_drop_older(c, op, case_id, scopes[i], nv);
    }
    if (rc == COUNCIL_OK)
        rc = council__case_log(c, ACT(KEY_ROTATED), &k, scopes, n, NULL, NULL, "case_rekeyed");
    return council__finish(c, rc);
}

/* --------------------------------------------------------------- transfer */

/* The recipient of a case: active, with a box key the council signed. On
 * a refusal (logged, the transaction rolled back) its code. */
static int transfer_recipient(council *c, const char *op, const council__case *k,
                              const uint8_t to[COUNCIL_ID_BYTES], uint8_t pk[32])
{
    bool found = false, active = false, keyed = false;
    int rc = council__member_check(c, op, to);

    if (rc == COUNCIL_ENOTFOUND)
        return council__finish(c, council__fail(c, rc, "%s: no such member", op));
    if (rc != COUNCIL_OK)
        return council__finish(c, rc);
    if ((rc = council__member_usable(c, op, to)) == COUNCIL_EDENIED)
        return council__case_refuse(c, true, ACT(CASE_TRANSFERRED), k, NULL, NULL, to, rc,
                                    "recipient_withdrawn", op, "the new owner has withdrawn");
    if (rc != COUNCIL_OK)
        return council__finish(c, rc);
    /* (a read that failed is EIO, never a refusal on the record) */
    if (council__member_keys_of(c, to, &found, &active, pk, &keyed) != COUNCIL_OK)
        return council__finish(c, council__fail(c, COUNCIL_EIO, "%s: cannot read the register",
                                                op));
    if (!keyed)
        return council__case_refuse(c, true, ACT(CASE_TRANSFERRED), k, NULL, NULL, to,
                                    COUNCIL_EDENIED, "recipient_without_keys", op,
                                    "the new owner has no keys registered");
    if ((rc = council__member_key_check(c, op, to, pk)) == COUNCIL_EIO)
        return council__finish(c, rc);
    if (rc != COUNCIL_OK)
        return council__case_refuse(c, true, ACT(CASE_TRANSFERRED), k, NULL, NULL, to, COUNCIL_EAUTH,
                                    "recipient_key_unsigned", op,
                                    "the new owner's key is not signed by the council");
    return COUNCIL_OK;
}

/* Before the owner changes: the old owner's key versions of the case
 * signed again by the council (only while it is the proven owner do they
 * verify), and every key version wrapped for the new owner. */
static int keys_handover(council *c, const char *op, const council__case *k,
                         const char *const *scopes, size_t n, const uint8_t to[COUNCIL_ID_BYTES],
                         const uint8_t pk[32])
{
    int rc;

    if (!c->coord_valid || !council__is_coordinator(c))
        return council__fail(c, COUNCIL_EDENIED, "%s: only the secretariat holding the "
                             "coordinating body's key moves a case's keys", op);
    rc = council__key_versions_resign(c, k->owner, k->id);
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        uint32_t latest = 0;
        rc = council__key_latest(c, op, k->id, scopes[i], &latest);
        for (uint32_t v = 1; rc == COUNCIL_OK && v <= latest; v++) {
            council__secret key = { NULL, 0 };
            bool exists = false;
            if ((rc = council__key_exists(c, op, k->id, scopes[i], v, &exists)) != COUNCIL_OK ||
                !exists)
                continue; /* destroyed by a rekey */
            if ((rc = council__key_open(c, op, &key, k->id, scopes[i], v)) == COUNCIL_OK &&
                (rc = council__key_verify(c, op, k->id, scopes[i], v, &key)) == COUNCIL_OK)
                rc = council__wrap_for(c, op, k->id, scopes[i], v, to, pk, &key);
            council__secret_free(&key);
        }
    }
    return rc;
}

/* After the owner changed: the old owner's wraps of each scope it holds no
 * active share of end, and every scope's key turns (for the coordinating
 * body, the new owner and the share holders). */
static int keys_left_owner(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                           const char *const *scopes, size_t n, const uint8_t from[COUNCIL_ID_BYTES])
{
    int rc = COUNCIL_OK;

    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        bool shared = false;
        if ((rc = council__share_active(c, op, case_id, from, scopes[i], &shared)) == COUNCIL_OK &&
            !shared)
            rc = council__key_wrap_drop(c, op, case_id, from, scopes[i]);
        if (rc == COUNCIL_OK)
            rc = council__key_new(c, op, case_id, scopes[i], NULL, NULL);
    }
    return rc;
}

int council__case_transfer_in(council *c, const char *op, council__case *k,
                              const uint8_t to[COUNCIL_ID_BYTES], const council_transfer_options *o,
                              const char *why)
{
    char sc[COUNCIL__AUDIT_SCOPES_MAX][COUNCIL__AUDIT_CODE_MAX + 1];
    const char *scopes[COUNCIL__AUDIT_SCOPES_MAX];
    const char *purpose = o != NULL && o->purpose != NULL ? o->purpose : "support_coordination";
    uint8_t pk[32], from[COUNCIL_ID_BYTES];
    size_t n = 0;
    int rc;

    if (k->erased != 0)
        return council__case_refuse(c, true, ACT(CASE_TRANSFERRED), k, NULL, NULL, to,
                                    COUNCIL_EDENIED, "case_erased", op, "the case was erased");
    if (!council__is_secretariat(c) || !council__is_coordinator(c))
        return council__case_refuse(c, true, ACT(CASE_TRANSFERRED), k, NULL, NULL, to,
                                    COUNCIL_EDENIED, "not_secretariat", op,
                                    "only the secretariat transfers a case");
    if (sodium_memcmp(to, k->owner, COUNCIL_ID_BYTES) == 0)
        return council__finish(c, council__fail(c, COUNCIL_EINVAL, "%s: the member owns the case "
                                                "already", op));
    if ((rc = transfer_recipient(c, op, k, to, pk)) != COUNCIL_OK)
        return rc;
    if ((rc = council__key_scopes(c, op, k->id, sc, scopes, &n)) != COUNCIL_OK)
        return council__finish(c, rc);
    /* An owner holds every scope of its case: each within its ceiling. */
    {
        char ceiling[COUNCIL__AUDIT_SCOPES_MAX * (COUNCIL__AUDIT_CODE_MAX + 1) + 4], *cl;
        bool found = false, withdrawn = false, has_pk = false;
        uint8_t rpk[32];
        size_t m;
        if ((rc = council__member_recipient(c, op, to, &found, &withdrawn, rpk, &has_pk,
                                            ceiling + 1, sizeof ceiling - 2)) != COUNCIL_OK)
            return council__finish(c, rc);
        ceiling[0] = ',';
        m = strlen(ceiling);
        ceiling[m] = ',';
        ceiling[m + 1] = '\0';
        for (size_t i = 0; i < n; i++) {
            char needle[COUNCIL__AUDIT_CODE_MAX + 3];
            snprintf(needle, sizeof needle, ",%s,", scopes[i]);
            cl = strstr(ceiling, needle);
            if (cl == NULL)
                return council__case_refuse(c, true, ACT(CASE_TRANSFERRED), k, scopes[i], NULL, to,
                                            COUNCIL_EDENIED, "outside_scope_ceiling", op,
                                            "a scope of the case is outside the new owner's "
                                            "scope ceiling");
        }
    }
    /* The new owner receives every scope: the disclosure decision as for a
     * share of them all (DESIGN.md promise 2). To the coordinating body
     * (o NULL) nothing is disclosed: it holds every key already. */
    if (o != NULL && n > 0) {
        council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
        const char *reason = NULL;
        bool allow = false;
        so.scopes = scopes;
        so.n_scopes = n;
        so.purpose = purpose;
        so.basis = o->basis;
        so.reason = o->reason;
        so.consent_id = o->consent_id;
        so.consent_id_len = o->consent_id_len;
        if ((rc = council__share_decide_transfer(c, op, k, to, &so, &allow, &reason)) != COUNCIL_OK)
            return council__finish(c, rc);
        if (!allow) {
            council__event ev = {
                .action = ACT(DISCLOSURE_REFUSED),
                .case_ref = k->ref,
                .scopes = scopes,
                .n_scopes = n,
                .purpose = purpose,
                .basis = o->basis,
                .consent_id = o->consent_id,
                .subject_member = to,
                .outcome = REFUSED,
                .error = COUNCIL_ENOCONSENT,
                .reason = reason,
            };
            council__audit_batch_rollback(c);
            council__event_actor(c, &ev);
            if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK)
                return rc;
            if (c->user_batch)
                council__hold_event(c, &ev);
            return council__fail(c, COUNCIL_ENOCONSENT, "%s: refused by the disclosure policy (%s)",
                                 op, reason);
        }
    }
    memcpy(from, k->owner, COUNCIL_ID_BYTES);
    /* Keys first (checked under the old owner), then the signed transfer,
     * then the old owner's wraps end and every key turns. */
    if ((rc = keys_handover(c, op, k, scopes, n, to, pk)) == COUNCIL_OK &&
        (rc = council__case_status_resign(c, op, k)) == COUNCIL_OK &&
        (rc = council__grants_resign_case(c, k->id)) == COUNCIL_OK &&
        (c->case_moving == NULL || (rc = c->case_moving(c, k->id)) == COUNCIL_OK) &&
        (rc = council__case_transfer_row(c, op, k, to, (int64_t)time(NULL), why)) == COUNCIL_OK) {
        memcpy(k->owner, to, COUNCIL_ID_BYTES);
        rc = keys_left_owner(c, op, k->id, scopes, n, from);
    }
    if (rc == COUNCIL_OK) {
        council__event ev = {
            .action = ACT(CASE_TRANSFERRED),
            .case_ref = k->ref,
            .scopes = scopes,
            .n_scopes = n,
            .purpose = o != NULL ? purpose : NULL,
            .basis = o != NULL ? o->basis : NULL,
            .consent_id = o != NULL ? o->consent_id : NULL,
            .subject_member = to,
            .outcome = ALLOWED,
            .reason = why,
        };
        council__event_actor(c, &ev);
        rc = council__audit_append(c, &ev);
    }
    return rc == COUNCIL_OK ? COUNCIL_OK : council__finish(c, rc);
}

int council_case_transfer(council *c, const uint8_t *case_id, size_t case_id_len,
                          const uint8_t *to, size_t to_len, const council_transfer_options *o)
{
    static const char op[] = "case_transfer";
    council__case k;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, to, to_len)) != COUNCIL_OK)
        return rc;
    if (o == NULL || o->version != COUNCIL_TRANSFER_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__case_load(c, op, case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    if ((rc = council__case_transfer_in(c, op, &k, to, o, "by_agreement")) != COUNCIL_OK)
        return rc;
    return council__finish(c, COUNCIL_OK);
}

/* The member's cases (the proven owner), not erased, as CaseList bytes. */
int council__member_owned_cases(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                                uint8_t (**out)[COUNCIL_ID_BYTES], size_t *n)
{
    uint8_t (*ids)[COUNCIL_ID_BYTES] = NULL;
    size_t m = 0, kept = 0;
    int rc = council__case_ids_owned(c, op, member, &ids, &m);

    for (size_t i = 0; rc == COUNCIL_OK && i < m; i++) {
        council__case k;
        if ((rc = council__case_load(c, op, ids[i], &k)) != COUNCIL_OK)
            break;
        if (k.erased == 0 && sodium_memcmp(k.owner, member, COUNCIL_ID_BYTES) == 0)
            memmove(ids[kept++], ids[i], COUNCIL_ID_BYTES);
    }
    if (rc != COUNCIL_OK) {
        council__free(ids);
        ids = NULL;
        kept = 0;
    }
    *out = ids;
    *n = kept;
    return rc;
}

int council_member_cases(council *c, council_buf *out, const uint8_t *member, size_t member_len)
{
    static const char op[] = "member_cases";
    uint8_t (*ids)[COUNCIL_ID_BYTES] = NULL;
    council__buf b = COUNCIL__BUF_INIT;
    size_t n = 0;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, member, member_len)) != COUNCIL_OK)
        return rc;
    /* The secretariat asks about any member; staff about their own. */
    if (!council__is_secretariat(c) && sodium_memcmp(member, c->actor_member, COUNCIL_ID_BYTES) != 0)
        return council__case_refuse(c, false, ACT(OPERATION_REFUSED), NULL, NULL, NULL, member,
                                    COUNCIL_EDENIED, "not_own_member", op,
                                    "staff list their own member's cases only");
    if ((rc = council__member_owned_cases(c, op, member, &ids, &n)) != COUNCIL_OK)
        return rc;
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        Council__V1__CaseInfo *m = NULL;
        council__buf one = COUNCIL__BUF_INIT;
        council__case k;
        if ((rc = council__case_load(c, op, ids[i], &k)) != COUNCIL_OK ||
            (rc = build_info(c, op, &k, &m)) != COUNCIL_OK)
            break;
        council__buf_message(&one, &m->base);
        free_info(m);
        council__buf_field(&b, 1, one.p, one.len);
        council__buf_free(&one);
    }
    council__free(ids);
    if (rc != COUNCIL_OK) {
        council__buf_free(&b);
        return rc;
    }
    rc = council__buf_out(c, op, &b, out);
    if (rc == COUNCIL_OK)
        council__clear(c);
    return rc;
}

/* ------------------------------------------------------------------ merge */

int council_person_merge(council *c, const uint8_t *case_id, size_t case_id_len,
                         const uint8_t *keep, size_t keep_len, const uint8_t *gone, size_t gone_len)
{
    static const char op[] = "person_merge";
    council__person_st ks, gs;
    council__case k;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, keep, keep_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, gone, gone_len)) != COUNCIL_OK)
        return rc;
    if (sodium_memcmp(keep, gone, COUNCIL_ID_BYTES) == 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: a person is not merged with itself", op);
    if ((rc = begin_owner_change(c, op, ACT(PERSON_MERGED), case_id, &k)) != COUNCIL_OK)
        return rc;
    rc = council__person_state(c, op, case_id, keep, &ks);
    if (rc == COUNCIL_OK)
        rc = council__person_state(c, op, case_id, gone, &gs);
    if (rc == COUNCIL_ENOTFOUND)
        return council__case_refuse(c, true, ACT(PERSON_MERGED), &k, NULL, NULL, NULL, rc,
                                    "no_such_person", op, "no such person in this case");
    if (rc != COUNCIL_OK)
        return council__finish(c, rc);
    if (ks.merged || gs.merged)
        return council__case_refuse(c, true, ACT(PERSON_MERGED), &k, NULL, NULL, NULL,
                                    COUNCIL_EEXIST, "already_merged", op,
                                    "a person was merged into another already");
    /* The merged person's record stays, as history under the one kept. */
    gs.merged = true;
    memcpy(gs.merged_into, keep, COUNCIL_ID_BYTES);
    gs.merged_at = (int64_t)time(NULL);
    rc = council__person_state_put(c, op, case_id, gone, &gs);
    /* A named person found in an anonymous contact is named: the kept
     * person is anonymous only if both were. */
    if (rc == COUNCIL_OK && ks.anonymous && !gs.anonymous) {
        ks.anonymous = false;
        rc = council__person_state_put(c, op, case_id, keep, &ks);
    }
    if (rc == COUNCIL_OK)
        rc = council__find_merge(c, op, case_id, keep, gone, ks.anonymous);
    if (rc == COUNCIL_OK)
        rc = council__case_touch(c, op, case_id);
    if (rc == COUNCIL_OK)
        rc = council__case_log(c, ACT(PERSON_MERGED), &k, NULL, 0, NULL, NULL, "same_person");
    return council__finish(c, rc);
}
