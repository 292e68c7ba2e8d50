/*
 * task.c - who supports whom (伴走): the tables case_assign (a case's lead
 * member, workers and next review) and task (support tasks), and the calls
 * council_case_assign, _review, _assignment, _reviews, _handover_list,
 * _handover and council_task_add, _set_state, _list, _get.
 *
 * Every row that says who is assigned, when a case is reviewed or where a
 * task stands is signed (attest.c) and checked before it is used:
 *     assignment (kind "case_assign", signer: the secretariat or the owner):
 *         case || lead || u64be(review) || u64be(updated) || u32be(n) || workers
 *     task (kind "task", signer: the secretariat or the owner):
 *         id || case || member || staff (zeros if none) || memo
 *         || u64be(due) || decision (zeros if none) || u64be(created)
 *     task state (kind "task_state", signer: those, or the member responsible):
 *         id || u32be(state) || u64be(updated)
 * so a worker written in, a review moved or a task's member changed by
 * someone holding the database key is refused (ETAMPER, a tamper finding).
 * Rows are checked whole, never filtered by an unchecked column first.
 *
 * Assignment gives no key: a case's content follows its shares alone.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/task.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "text.h"
#include "sql.h"
#include "log.h"
#include "session.h"
#include "attest.h"
#include "member_db.h"
#include "staff.h"
#include "case_db.h"
#include "share_db.h"
#include "memo.h"
#include "task.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define T_OPEN COUNCIL__V1__TASK_STATE__TASK_STATE_OPEN
#define T_DONE COUNCIL__V1__TASK_STATE__TASK_STATE_DONE
#define T_CANCELLED COUNCIL__V1__TASK_STATE__TASK_STATE_CANCELLED
#define TASK_MEMO "task_text"

static const uint8_t zero16[COUNCIL_ID_BYTES];

/* ------------------------------------------------------------ events */

static int log_ev(council *c, int action, const council__case *k, const uint8_t *object,
                  const uint8_t *member, const uint8_t *staff, const char *reason)
{
    council__event ev = {
        .action = action,
        .case_ref = k != NULL ? k->ref : NULL,
        .object_id = object,
        .subject_member = member,
        .subject_staff = staff,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
        .reason = reason,
    };

    council__event_actor(c, &ev);
    return council__audit_append(c, &ev);
}

/* A refusal on the record (after rolling the operation back when in_txn;
 * held for the caller's batch), then rc with "op: msg". */
static int refuse(council *c, bool in_txn, int action, const council__case *k,
                  const uint8_t *object, const uint8_t *member, const uint8_t *staff, int rc,
                  const char *reason, const char *op, const char *msg)
{
    council__event ev = {
        .action = action,
        .case_ref = k != NULL ? k->ref : NULL,
        .object_id = object,
        .subject_member = member,
        .subject_staff = staff,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
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
        return arc;
    return council__fail(c, rc, "%s: %s", op, msg);
}

static int forged(council *c, const uint8_t *case_id, const char *reason, const char *op)
{
    (void)council__tamper(c, case_id, NULL, NULL, reason);
    return council__fail(c, COUNCIL_ETAMPER, "%s: an assignment or task row is not one the "
                         "secretariat or the case's owner signed (changed outside the library)",
                         op);
}

/* ------------------------------------------------------------ who may */

/* Does member m see case k (owns it, or holds an active share of it)? */
static int member_sees(council *c, const char *op, const council__case *k,
                       const uint8_t m[COUNCIL_ID_BYTES], bool *yes)
{
    *yes = sodium_memcmp(k->owner, m, COUNCIL_ID_BYTES) == 0;
    if (*yes)
        return COUNCIL_OK;
    return council__share_active(c, op, k->id, m, NULL, yes);
}

static bool staff_of(const council *c, const uint8_t m[COUNCIL_ID_BYTES])
{
    return c->actor_kind == COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF &&
           sodium_memcmp(c->actor_member, m, COUNCIL_ID_BYTES) == 0;
}

/* May the session change k's assignment or add its tasks? */
static bool may_change(const council *c, const council__case *k)
{
    return council__is_secretariat(c) || council__case_is_owner(c, k);
}

/* A signer the check accepts: the secretariat (zeros), the owner, or also. */
static bool signer_ok(const council__case *k, const uint8_t *signer, const uint8_t *also)
{
    return sodium_is_zero(signer, COUNCIL_ID_BYTES) ||
           sodium_memcmp(signer, k->owner, COUNCIL_ID_BYTES) == 0 ||
           (also != NULL && sodium_memcmp(signer, also, COUNCIL_ID_BYTES) == 0);
}

/* attest check: ok, not ok, or a failure to pass on (EIO, ENOMEM). */
static int check_sig(council *c, const char *kind, const uint8_t *m, size_t len,
                     sqlite3_stmt *st, int col, bool *ok)
{
    int rc;

    *ok = false;
    if (sqlite3_column_bytes(st, col) != COUNCIL_ID_BYTES)
        return COUNCIL_OK;
    rc = council__attest_check(c, kind, m, len, sqlite3_column_blob(st, col), COUNCIL_ID_BYTES,
                               sqlite3_column_blob(st, col + 1),
                               (size_t)sqlite3_column_bytes(st, col + 1));
    if (rc == COUNCIL_EIO || rc == COUNCIL_ENOMEM)
        return rc;
    council__clear(c);
    *ok = rc == COUNCIL_OK;
    return COUNCIL_OK;
}

/* Load a case for op: ENOTFOUND for an erased one too. */
static int case_get(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                    council__case *k)
{
    int rc = council__case_load(c, op, id, k);

    if (rc == COUNCIL_OK && k->erased != 0)
        return council__fail(c, COUNCIL_ENOTFOUND, "%s: the case was erased", op);
    return rc;
}

/* ------------------------------------------------------- assignments */

typedef struct asg {
    uint8_t lead[COUNCIL_ID_BYTES];
    uint8_t workers[COUNCIL_WORKERS_MAX][COUNCIL_ID_BYTES];
    size_t n;
    int64_t review, updated;
    bool stored;
} asg;

#define AMSG_MAX (2 * COUNCIL_ID_BYTES + 8 + 8 + 4 + COUNCIL_ID_BYTES * COUNCIL_WORKERS_MAX)

static size_t asg_msg(uint8_t *m, const uint8_t case_id[COUNCIL_ID_BYTES], const asg *a)
{
    uint8_t *p = council__put_bytes(m, case_id, COUNCIL_ID_BYTES);

    p = council__put_bytes(p, a->lead, COUNCIL_ID_BYTES);
    p = council__put_u64(p, (uint64_t)a->review);
    p = council__put_u64(p, (uint64_t)a->updated);
    p = council__put_u32(p, (uint32_t)a->n);
    for (size_t i = 0; i < a->n; i++)
        p = council__put_bytes(p, a->workers[i], COUNCIL_ID_BYTES);
    return (size_t)(p - m);
}

/* The case's assignment as signed; the owner as lead and nothing else when
 * none is stored. ETAMPER (logged) for a row not signed by the secretariat
 * or the owner. */
static int asg_load(council *c, const char *op, const council__case *k, asg *a)
{
    sqlite3_stmt *st = NULL;
    uint8_t m[AMSG_MAX];
    bool ok = false;
    int src, rc = COUNCIL_OK;

    memset(a, 0, sizeof *a);
    memcpy(a->lead, k->owner, COUNCIL_ID_BYTES);
    if (sqlite3_prepare_v2(c->db, "SELECT lead, workers, review, updated, signer, sig FROM "
                                  "case_assign WHERE case_id = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, k->id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        int wn = sqlite3_column_bytes(st, 1);
        a->stored = true;
        if (sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES && wn >= 0 &&
            wn % COUNCIL_ID_BYTES == 0 && wn <= COUNCIL_ID_BYTES * COUNCIL_WORKERS_MAX &&
            sqlite3_column_type(st, 2) == SQLITE_INTEGER &&
            sqlite3_column_type(st, 3) == SQLITE_INTEGER) {
            memcpy(a->lead, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
            a->n = (size_t)wn / COUNCIL_ID_BYTES;
            if (wn > 0)
                memcpy(a->workers, sqlite3_column_blob(st, 1), (size_t)wn);
            a->review = sqlite3_column_int64(st, 2);
            a->updated = sqlite3_column_int64(st, 3);
            rc = check_sig(c, "case_assign", m, asg_msg(m, k->id, a), st, 4, &ok);
            ok = ok && signer_ok(k, sqlite3_column_blob(st, 4), NULL);
        }
    } else if (src != SQLITE_DONE) {
        rc = council__db_err(c, op);
    } else {
        ok = true;
    }
    sqlite3_finalize(st);
    if (rc != COUNCIL_OK)
        return rc;
    if (!ok) {
        memset(a, 0, sizeof *a);
        return forged(c, k->id, "forged_assignment_row", op);
    }
    return COUNCIL_OK;
}

static int asg_store(council *c, const char *op, const council__case *k, asg *a)
{
    uint8_t m[AMSG_MAX], signer[COUNCIL_ID_BYTES], sig[64];
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = council__attest_sign(c, "case_assign", m, asg_msg(m, k->id, a), signer, sig)) !=
        COUNCIL_OK)
        return rc;
    if (sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO case_assign (case_id, lead, workers, "
                                  "review, updated, signer, sig) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                                  "?7);", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, k->id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, a->lead, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, a->workers, (int)(a->n * COUNCIL_ID_BYTES), SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 4, a->review) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, a->updated) != SQLITE_OK ||
        sqlite3_bind_blob(st, 6, signer, sizeof signer, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 7, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    a->stored = rc == COUNCIL_OK;
    return rc;
}

/* The start of a change of k's assignment: arguments checked, case loaded,
 * the log-first transaction begun, the session's right checked (refusal
 * logged) and the assignment as signed loaded into a. */
static int begin_change(council *c, const char *op, int action, const uint8_t *case_id,
                        size_t case_id_len, council__case *k, asg *a)
{
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = case_get(c, op, case_id, k)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if (!may_change(c, k))
        return refuse(c, true, action, k, NULL, NULL, NULL, COUNCIL_EDENIED, "not_entitled", op,
                      "only the secretariat or the case owner's staff may do this");
    if ((rc = asg_load(c, op, k, a)) != COUNCIL_OK)
        return council__finish(c, rc);
    return COUNCIL_OK;
}

/* Is staff id a worker the case may have under lead: in service, pledged,
 * staff of lead or of a member that sees the case? Refusal text in *why. */
static int worker_ok(council *c, const char *op, const council__case *k,
                     const uint8_t lead[COUNCIL_ID_BYTES], const uint8_t id[COUNCIL_ID_BYTES],
                     uint8_t member[COUNCIL_ID_BYTES], const char **why)
{
    bool active = false, pledged = false, sees = false;
    int rc = council__staff_member(c, op, id, member, &active, &pledged);

    *why = NULL;
    if (rc != COUNCIL_OK)
        return rc;
    if (!active || !pledged) {
        *why = "worker_not_in_service";
        return COUNCIL_OK;
    }
    if (sodium_memcmp(member, lead, COUNCIL_ID_BYTES) == 0)
        return COUNCIL_OK;
    if ((rc = council__member_usable(c, op, member)) == COUNCIL_OK)
        rc = member_sees(c, op, k, member, &sees);
    else if (rc == COUNCIL_EDENIED) {
        council__clear(c);
        rc = COUNCIL_OK;
    }
    if (rc == COUNCIL_OK && !sees)
        *why = "worker_not_entitled";
    return rc;
}

int council_case_assign(council *c, const uint8_t *case_id, size_t case_id_len,
                        const council_assign_options *o)
{
    static const char op[] = "case_assign";
    uint8_t wm[COUNCIL_WORKERS_MAX][COUNCIL_ID_BYTES];
    council__case k;
    asg a;
    int rc;

    if (!council__ok(c))
        return COUNCIL_EMISUSE;
    if (o == NULL || o->version != COUNCIL_ASSIGN_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if ((o->lead != NULL && o->lead_len != COUNCIL_ID_BYTES) ||
        (o->lead == NULL && o->lead_len != 0) || o->n_workers > COUNCIL_WORKERS_MAX ||
        (o->n_workers > 0 && o->workers == NULL))
        return council__fail(c, COUNCIL_EINVAL, "%s: a 16-byte lead and at most %d workers", op,
                             COUNCIL_WORKERS_MAX);
    for (size_t i = 0; i < o->n_workers; i++)
        for (size_t j = 0; j < i; j++)
            if (memcmp(o->workers + 16 * i, o->workers + 16 * j, 16) == 0)
                return council__fail(c, COUNCIL_EINVAL, "%s: a worker named twice", op);
    if ((rc = begin_change(c, op, ACT(CASE_ASSIGNED), case_id, case_id_len, &k, &a)) !=
        COUNCIL_OK)
        return rc;
    if (o->lead != NULL && sodium_memcmp(o->lead, k.owner, COUNCIL_ID_BYTES) != 0) {
        bool sees = false;
        if ((rc = council__member_usable(c, op, o->lead)) != COUNCIL_OK ||
            (rc = member_sees(c, op, &k, o->lead, &sees)) != COUNCIL_OK)
            return council__finish(c, rc);
        if (!sees)
            return refuse(c, true, ACT(CASE_ASSIGNED), &k, NULL, o->lead, NULL, COUNCIL_EINVAL,
                          "lead_not_entitled", op, "the lead member neither owns the case nor "
                          "holds a share of it");
    }
    memcpy(a.lead, o->lead != NULL ? o->lead : k.owner, COUNCIL_ID_BYTES);
    for (size_t i = 0; i < o->n_workers; i++) {
        const char *why = NULL;
        if ((rc = worker_ok(c, op, &k, a.lead, o->workers + 16 * i, wm[i], &why)) != COUNCIL_OK)
            return council__finish(c, rc);
        if (why != NULL)
            return refuse(c, true, ACT(CASE_ASSIGNED), &k, NULL, NULL, o->workers + 16 * i,
                          COUNCIL_EINVAL, why, op, "a worker must be staff in service, with a "
                          "pledge, of the lead member or of a member the case is shared with");
        memcpy(a.workers[i], o->workers + 16 * i, COUNCIL_ID_BYTES);
    }
    a.n = o->n_workers;
    a.updated = (int64_t)time(NULL);
    rc = asg_store(c, op, &k, &a);
    if (rc == COUNCIL_OK)
        rc = log_ev(c, ACT(CASE_ASSIGNED), &k, NULL, a.lead, NULL, "lead");
    for (size_t i = 0; rc == COUNCIL_OK && i < a.n; i++)
        rc = log_ev(c, ACT(CASE_ASSIGNED), &k, NULL, wm[i], a.workers[i], "worker");
    return council__finish(c, rc);
}

int council_case_review(council *c, const uint8_t *case_id, size_t case_id_len, int64_t review)
{
    static const char op[] = "case_review";
    council__case k;
    asg a;
    int rc;

    if (!council__ok(c))
        return COUNCIL_EMISUSE;
    if (review < 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: a review date after 1970, or 0 to clear", op);
    if ((rc = begin_change(c, op, ACT(REVIEW_SCHEDULED), case_id, case_id_len, &k, &a)) !=
        COUNCIL_OK)
        return rc;
    a.review = review;
    a.updated = (int64_t)time(NULL);
    rc = asg_store(c, op, &k, &a);
    if (rc == COUNCIL_OK)
        rc = log_ev(c, ACT(REVIEW_SCHEDULED), &k, NULL, NULL, NULL,
                    review != 0 ? "review_set" : "review_cleared");
    return council__finish(c, rc);
}

/* ---------------------------------------------------------- messages */

static void asg_free(Council__V1__CaseAssignment *m)
{
    if (m != NULL)
        council__v1__case_assignment__free_unpacked(m, council__pb_allocator());
}

static Council__V1__CaseAssignment *asg_pb(const council__case *k, const asg *a)
{
    Council__V1__CaseAssignment *m = council__calloc(1, sizeof *m);
    char idt[37];
    bool ok;

    if (m == NULL)
        return NULL;
    council__v1__case_assignment__init(m);
    council__uuid_text(idt, k->id);
    ok = council__sql_dup_blob(&m->case_id, k->id, COUNCIL_ID_BYTES) &&
         (m->case_id_text = council__strdup(idt)) != NULL &&
         council__sql_dup_blob(&m->owner, k->owner, COUNCIL_ID_BYTES) &&
         council__sql_dup_blob(&m->lead, a->lead, COUNCIL_ID_BYTES);
    if (ok && a->n > 0) {
        ok = (m->workers = council__calloc(a->n, sizeof *m->workers)) != NULL;
        for (size_t i = 0; ok && i < a->n; i++) {
            ok = council__sql_dup_blob(&m->workers[i], a->workers[i], COUNCIL_ID_BYTES);
            if (ok)
                m->n_workers++;
        }
    }
    if ((m->has_review = a->review != 0))
        m->review = a->review;
    if ((m->has_updated = a->stored))
        m->updated = a->updated;
    if (!ok) {
        asg_free(m);
        return NULL;
    }
    return m;
}

int council_case_assignment(council *c, council_buf *out, const uint8_t *case_id,
                            size_t case_id_len)
{
    static const char op[] = "case_assignment";
    Council__V1__CaseAssignment *m;
    council__case k;
    bool sees = true;
    asg a;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: no output buffer", op);
    if ((rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = case_get(c, op, case_id, &k)) != COUNCIL_OK)
        return rc;
    if (!council__is_secretariat(c) &&
        (rc = member_sees(c, op, &k, c->actor_member, &sees)) != COUNCIL_OK)
        return rc;
    if (!sees)
        return refuse(c, false, ACT(OPERATION_REFUSED), &k, NULL, NULL, NULL, COUNCIL_EDENIED,
                      "not_entitled", op, "the member neither owns the case nor holds a share");
    if ((rc = asg_load(c, op, &k, &a)) != COUNCIL_OK)
        return rc;
    if ((m = asg_pb(&k, &a)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    rc = council__pack_out(c, op, out, &m->base);
    asg_free(m);
    return rc;
}

/* ------------------------------------------------------------- tasks */

typedef struct trow {
    uint8_t id[16], case_id[16], member[16], staff[16], memo[16], decision[16];
    bool has_staff, has_decision;
    int64_t due, created, updated;
    int state;
} trow;

#define TMSG_MAX (16 * 6 + 16)
#define SMSG_MAX (16 + 4 + 8)
#define TASK_COLS "id, case_id, member, staff, memo_id, due, decision_id, created, signer, sig, " \
                  "state, updated, state_signer, state_sig"

static size_t task_msg(uint8_t *m, const trow *t)
{
    uint8_t *p = council__put_bytes(m, t->id, 16);

    p = council__put_bytes(p, t->case_id, 16);
    p = council__put_bytes(p, t->member, 16);
    p = council__put_bytes(p, t->has_staff ? t->staff : zero16, 16);
    p = council__put_bytes(p, t->memo, 16);
    p = council__put_u64(p, (uint64_t)t->due);
    p = council__put_bytes(p, t->has_decision ? t->decision : zero16, 16);
    p = council__put_u64(p, (uint64_t)t->created);
    return (size_t)(p - m);
}

static size_t state_msg(uint8_t *m, const trow *t)
{
    uint8_t *p = council__put_bytes(m, t->id, 16);

    p = council__put_u32(p, (uint32_t)t->state);
    p = council__put_u64(p, (uint64_t)t->updated);
    return (size_t)(p - m);
}

static bool id_col(sqlite3_stmt *st, int col, uint8_t out[16], bool *has)
{
    int n = sqlite3_column_bytes(st, col);

    if (has != NULL) {
        *has = n == 16;
        if (n == 0 && sqlite3_column_type(st, col) == SQLITE_NULL)
            return true;
    }
    if (n != 16)
        return false;
    memcpy(out, sqlite3_column_blob(st, col), 16);
    return true;
}

/* A task row (TASK_COLS) read and checked against its signatures; its case
 * loaded into k. ETAMPER (logged) for a forged row. */
static int task_read(council *c, const char *op, sqlite3_stmt *st, trow *t, council__case *k)
{
    uint8_t m[TMSG_MAX];
    bool ok, ok2 = false;
    int rc;

    memset(t, 0, sizeof *t);
    ok = id_col(st, 0, t->id, NULL) && id_col(st, 1, t->case_id, NULL) &&
         id_col(st, 2, t->member, NULL) && id_col(st, 3, t->staff, &t->has_staff) &&
         id_col(st, 4, t->memo, NULL) && id_col(st, 6, t->decision, &t->has_decision) &&
         sqlite3_column_type(st, 5) == SQLITE_INTEGER &&
         sqlite3_column_type(st, 7) == SQLITE_INTEGER &&
         sqlite3_column_type(st, 10) == SQLITE_INTEGER &&
         sqlite3_column_type(st, 11) == SQLITE_INTEGER;
    if (ok) {
        t->due = sqlite3_column_int64(st, 5);
        t->created = sqlite3_column_int64(st, 7);
        t->state = sqlite3_column_int(st, 10);
        t->updated = sqlite3_column_int64(st, 11);
        ok = t->state >= T_OPEN && t->state <= T_CANCELLED;
    }
    if (!ok)
        return forged(c, NULL, "forged_task_row", op);
    if ((rc = council__case_load(c, op, t->case_id, k)) != COUNCIL_OK)
        return rc == COUNCIL_ENOTFOUND ? forged(c, NULL, "forged_task_row", op) : rc;
    if ((rc = check_sig(c, "task", m, task_msg(m, t), st, 8, &ok)) != COUNCIL_OK ||
        (rc = check_sig(c, "task_state", m, state_msg(m, t), st, 12, &ok2)) != COUNCIL_OK)
        return rc;
    ok = ok && signer_ok(k, sqlite3_column_blob(st, 8), NULL) && ok2 &&
         signer_ok(k, sqlite3_column_blob(st, 12), t->member);
    return ok ? COUNCIL_OK : forged(c, t->case_id, "forged_task_row", op);
}

/* The task's state signed and written: the session signs only the state,
 * so the member responsible never re-signs what the owner decided. */
static int task_write_state(council *c, const char *op, const trow *t)
{
    uint8_t m[SMSG_MAX], signer[16], sig[64];
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = council__attest_sign(c, "task_state", m, state_msg(m, t), signer, sig)) != COUNCIL_OK)
        return rc;
    if (sqlite3_prepare_v2(c->db, "UPDATE task SET state = ?2, updated = ?3, state_signer = ?4, "
                                  "state_sig = ?5 WHERE id = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, t->id, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, t->state) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, t->updated) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, signer, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 5, sig, 64, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    return rc;
}

/* The task's signatures made and its row written (new, or replaced): the
 * secretariat or the owner only. */
static int task_write(council *c, const char *op, const trow *t, bool fresh)
{
    uint8_t m[TMSG_MAX], signer[16], sig[64];
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = council__attest_sign(c, "task", m, task_msg(m, t), signer, sig)) != COUNCIL_OK)
        return rc;
    if (sqlite3_prepare_v2(c->db, fresh ? "INSERT INTO task (" TASK_COLS ", seq) VALUES (?1, ?2, "
                                          "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0, 0, x'', x'', "
                                          "(SELECT coalesce(max(seq), 0) + 1 FROM task));"
                                        : "UPDATE task SET case_id = ?2, member = ?3, staff = ?4, "
                                          "memo_id = ?5, due = ?6, decision_id = ?7, created = ?8, "
                                          "signer = ?9, sig = ?10 WHERE id = ?1;",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, t->id, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, t->case_id, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, t->member, 16, SQLITE_STATIC) != SQLITE_OK ||
        (t->has_staff ? sqlite3_bind_blob(st, 4, t->staff, 16, SQLITE_STATIC)
                      : sqlite3_bind_null(st, 4)) != SQLITE_OK ||
        sqlite3_bind_blob(st, 5, t->memo, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 6, t->due) != SQLITE_OK ||
        (t->has_decision ? sqlite3_bind_blob(st, 7, t->decision, 16, SQLITE_STATIC)
                         : sqlite3_bind_null(st, 7)) != SQLITE_OK ||
        sqlite3_bind_int64(st, 8, t->created) != SQLITE_OK ||
        sqlite3_bind_blob(st, 9, signer, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 10, sig, 64, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc == COUNCIL_OK && fresh)
        rc = task_write_state(c, op, t);
    return rc;
}

/* Task id, checked, with its case. ENOTFOUND, ETAMPER, EIO. */
static int task_load(council *c, const char *op, const uint8_t id[16], trow *t, council__case *k)
{
    sqlite3_stmt *st = NULL;
    int src, rc;

    if (sqlite3_prepare_v2(c->db, "SELECT " TASK_COLS " FROM task WHERE id = ?1;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        rc = task_read(c, op, st, t, k);
    else
        rc = src == SQLITE_DONE ? council__fail(c, COUNCIL_ENOTFOUND, "%s: no such task", op)
                                : council__db_err(c, op);
    sqlite3_finalize(st);
    return rc;
}

/* Every task row, checked, through fn (in seq order, or by due date). */
static int task_each(council *c, const char *op, bool by_due,
                     int (*fn)(council *c, const trow *t, const council__case *k, void *ctx),
                     void *ctx)
{
    sqlite3_stmt *st = NULL;
    int src = SQLITE_DONE, rc = COUNCIL_OK;

    if (sqlite3_prepare_v2(c->db, by_due ? "SELECT " TASK_COLS " FROM task ORDER BY due, seq;"
                                         : "SELECT " TASK_COLS " FROM task ORDER BY seq;",
                           -1, &st, NULL) != SQLITE_OK)
        return council__db_err(c, op);
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        trow t;
        council__case k;
        if ((rc = task_read(c, op, st, &t, &k)) == COUNCIL_OK)
            rc = fn(c, &t, &k, ctx);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    return rc;
}

/* May the session see task t of case k (list it, open its text)? */
static bool task_visible(const council *c, const trow *t, const council__case *k)
{
    return council__is_secretariat(c) || staff_of(c, t->member) || staff_of(c, k->owner);
}

static Council__V1__SupportTask *task_pb(const trow *t)
{
    Council__V1__SupportTask *m = council__calloc(1, sizeof *m);
    char idt[37];
    bool ok;

    if (m == NULL)
        return NULL;
    council__v1__support_task__init(m);
    council__uuid_text(idt, t->id);
    ok = council__sql_dup_blob(&m->id, t->id, 16) && (m->id_text = council__strdup(idt)) != NULL &&
         council__sql_dup_blob(&m->case_id, t->case_id, 16) &&
         council__sql_dup_blob(&m->member, t->member, 16);
    if (ok && (m->has_staff = t->has_staff))
        ok = council__sql_dup_blob(&m->staff, t->staff, 16);
    if (ok && (m->has_decision_id = t->has_decision))
        ok = council__sql_dup_blob(&m->decision_id, t->decision, 16);
    m->due = t->due;
    m->state = (Council__V1__TaskState)t->state;
    m->created = t->created;
    m->updated = t->updated;
    if (!ok) {
        council__v1__support_task__free_unpacked(m, council__pb_allocator());
        return NULL;
    }
    return m;
}

int council_task_add(council *c, uint8_t *id, size_t id_len, const council_task_options *o)
{
    static const char op[] = "task_add";
    uint8_t readers[2][16];
    size_t n_readers = 0;
    council__case k;
    trow t;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (id == NULL || id_len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: the id buffer is 16 bytes", op);
    if (o == NULL || o->version != COUNCIL_TASK_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if ((rc = council__id_arg(c, op, o->case_id, o->case_id_len)) != COUNCIL_OK)
        return rc;
    if ((o->member != NULL && o->member_len != 16) || (o->member == NULL && o->member_len != 0) ||
        (o->staff != NULL && o->staff_len != 16) || (o->staff == NULL && o->staff_len != 0) ||
        (o->decision_id != NULL && o->decision_id_len != 16) ||
        (o->decision_id == NULL && o->decision_id_len != 0))
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are 16 bytes", op);
    if (o->text == NULL || !council__text_arg(o->text, COUNCIL_TASK_TEXT_MAX))
        return council__fail(c, COUNCIL_EINVAL, "%s: the text is 1 to %d bytes of UTF-8 without "
                             "control characters", op, COUNCIL_TASK_TEXT_MAX);
    if (o->due <= 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: a due date is required", op);
    if ((rc = case_get(c, op, o->case_id, &k)) != COUNCIL_OK)
        return rc;
    memset(&t, 0, sizeof t);
    council__uuid_random(t.id);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if (!may_change(c, &k))
        return refuse(c, true, ACT(TASK_ADDED), &k, t.id, o->member, o->staff, COUNCIL_EDENIED,
                      "not_entitled", op, "only the secretariat or the case owner's staff may add "
                      "a task");
    memcpy(t.case_id, k.id, 16);
    memcpy(t.member, o->member != NULL ? o->member : k.owner, 16);
    if (sodium_memcmp(t.member, k.owner, 16) != 0) {
        bool sees = false;
        if ((rc = council__member_usable(c, op, t.member)) != COUNCIL_OK ||
            (rc = member_sees(c, op, &k, t.member, &sees)) != COUNCIL_OK)
            return council__finish(c, rc);
        if (!sees)
            return refuse(c, true, ACT(TASK_ADDED), &k, t.id, t.member, NULL, COUNCIL_EINVAL,
                          "member_not_entitled", op, "the member responsible neither owns the "
                          "case nor holds a share of it");
    }
    if (o->staff != NULL) {
        uint8_t sm[16];
        bool active = false, pledged = false;
        if ((rc = council__staff_member(c, op, o->staff, sm, &active, &pledged)) != COUNCIL_OK)
            return council__finish(c, rc);
        if (!active || !pledged || sodium_memcmp(sm, t.member, 16) != 0)
            return refuse(c, true, ACT(TASK_ADDED), &k, t.id, t.member, o->staff, COUNCIL_EINVAL,
                          "staff_not_of_member", op, "the staff responsible must be in service, "
                          "with a pledge, and staff of the member responsible");
        memcpy(t.staff, o->staff, 16);
        t.has_staff = true;
    }
    if ((t.has_decision = o->decision_id != NULL))
        memcpy(t.decision, o->decision_id, 16);
    t.due = o->due;
    t.state = T_OPEN;
    t.created = t.updated = (int64_t)time(NULL);
    memcpy(readers[n_readers++], t.member, 16);
    if (sodium_memcmp(t.member, k.owner, 16) != 0)
        memcpy(readers[n_readers++], k.owner, 16);
    rc = council__memo_seal(c, op, t.memo, TASK_MEMO, t.id, k.id,
                            (const uint8_t(*)[16])readers, n_readers, (const uint8_t *)o->text,
                            strlen(o->text));
    if (rc == COUNCIL_OK)
        rc = task_write(c, op, &t, true);
    if (rc == COUNCIL_OK)
        rc = log_ev(c, ACT(TASK_ADDED), &k, t.id, t.member, t.has_staff ? t.staff : NULL,
                    t.has_decision ? "from_decision" : "added");
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK)
        memcpy(id, t.id, 16);
    return rc;
}

int council_task_set_state(council *c, const uint8_t *task, size_t task_len, int32_t state)
{
    static const char op[] = "task_set_state";
    council__case k;
    trow t;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, task, task_len)) != COUNCIL_OK)
        return rc;
    if (state != T_DONE && state != T_CANCELLED)
        return council__fail(c, COUNCIL_EINVAL, "%s: a task becomes done or cancelled", op);
    if ((rc = task_load(c, op, task, &t, &k)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if (!may_change(c, &k) && !staff_of(c, t.member))
        return refuse(c, true, ACT(TASK_UPDATED), &k, t.id, t.member, NULL, COUNCIL_EDENIED,
                      "not_entitled", op, "only the secretariat, the case owner's staff or the "
                      "responsible member's staff may update a task");
    if (t.state != T_OPEN)
        return refuse(c, true, ACT(TASK_UPDATED), &k, t.id, t.member, NULL, COUNCIL_EDENIED,
                      "task_final", op, "the task is done or cancelled already");
    if (k.erased != 0)
        return council__finish(c, council__fail(c, COUNCIL_ENOTFOUND, "%s: the case was erased",
                                                op));
    t.state = state;
    t.updated = (int64_t)time(NULL);
    rc = task_write_state(c, op, &t);
    if (rc == COUNCIL_OK)
        rc = log_ev(c, ACT(TASK_UPDATED), &k, t.id, t.member, NULL,
                    state == T_DONE ? "done" : "cancelled");
    return council__finish(c, rc);
}

typedef struct list_ctx {
    const council_task_filter *f;
    Council__V1__SupportTaskList *m;
    size_t cap;
    const uint8_t *staff;        /* handover: open tasks of this staff only */
} list_ctx;

static int list_one(council *c, const trow *t, const council__case *k, void *vctx)
{
    list_ctx *x = vctx;
    const council_task_filter *f = x->f;
    Council__V1__SupportTask *m;

    if (k->erased != 0 || !task_visible(c, t, k))
        return COUNCIL_OK;
    if (f != NULL && ((f->member != NULL && memcmp(f->member, t->member, 16) != 0) ||
                      (f->case_id != NULL && memcmp(f->case_id, t->case_id, 16) != 0) ||
                      (f->state != 0 && f->state != t->state) ||
                      (f->due_before != 0 && t->due >= f->due_before)))
        return COUNCIL_OK;
    if (x->staff != NULL &&
        (t->state != T_OPEN || !t->has_staff || memcmp(t->staff, x->staff, 16) != 0))
        return COUNCIL_OK;
    if (x->m->n_tasks == x->cap) {
        size_t cap = x->cap == 0 ? 16 : 2 * x->cap;
        Council__V1__SupportTask **p = council__calloc(cap, sizeof *p);
        if (p == NULL)
            return council__fail(c, COUNCIL_ENOMEM, "task_list: out of memory");
        if (x->m->n_tasks > 0)
            memcpy(p, x->m->tasks, x->m->n_tasks * sizeof *p);
        council__free(x->m->tasks);
        x->m->tasks = p;
        x->cap = cap;
    }
    if ((m = task_pb(t)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "task_list: out of memory");
    x->m->tasks[x->m->n_tasks++] = m;
    return COUNCIL_OK;
}

int council_task_list(council *c, council_buf *out, const council_task_filter *f)
{
    static const char op[] = "task_list";
    Council__V1__SupportTaskList m = COUNCIL__V1__SUPPORT_TASK_LIST__INIT;
    list_ctx x = { .f = f, .m = &m };
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: no output buffer", op);
    if (f != NULL && f->version != COUNCIL_TASK_FILTER_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: filter of unknown version", op);
    if (f != NULL && ((f->member != NULL && f->member_len != 16) ||
                      (f->case_id != NULL && f->case_id_len != 16) || f->state < 0 ||
                      f->state > T_CANCELLED || f->due_before < 0))
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are 16 bytes; a state 0..3", op);
    rc = task_each(c, op, true, list_one, &x);
    if (rc == COUNCIL_OK)
        rc = council__pack_out(c, op, out, &m.base);
    for (size_t i = 0; i < m.n_tasks; i++)
        council__v1__support_task__free_unpacked(m.tasks[i], council__pb_allocator());
    council__free(m.tasks);
    return rc;
}

int council_task_get(council *c, council_buf *out, const uint8_t *task, size_t task_len)
{
    static const char op[] = "task_get";
    council_buf text = { NULL, 0 };
    Council__V1__SupportTask *m = NULL;
    council__case k;
    trow t;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: no output buffer", op);
    if ((rc = council__id_arg(c, op, task, task_len)) != COUNCIL_OK ||
        (rc = council__no_batch(c, op)) != COUNCIL_OK ||
        (rc = task_load(c, op, task, &t, &k)) != COUNCIL_OK)
        return rc;
    if (k.erased != 0)
        return council__fail(c, COUNCIL_ENOTFOUND, "%s: the case was erased", op);
    if (!task_visible(c, &t, &k))
        return refuse(c, false, ACT(TASK_READ), &k, t.id, t.member, NULL, COUNCIL_EDENIED,
                      "not_entitled", op, "only the secretariat, the case owner's staff or the "
                      "responsible member's staff may read a task");
    /* Log first: the read is on the record before the text is opened. */
    if ((rc = log_ev(c, ACT(TASK_READ), &k, t.id, t.member, NULL, "task_text")) != COUNCIL_OK)
        return rc;
    if ((rc = council__memo_open(c, op, &text, t.memo, TASK_MEMO, t.id, k.id)) != COUNCIL_OK)
        return rc;
    if ((m = task_pb(&t)) == NULL || (m->text = council__strdup((const char *)text.ptr)) == NULL)
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    council_buf_free(&text);
    if (rc == COUNCIL_OK)
        rc = council__pack_out(c, op, out, &m->base);
    if (m != NULL) {
        if (m->text != NULL)
            sodium_memzero(m->text, strlen(m->text));
        council__v1__support_task__free_unpacked(m, council__pb_allocator());
    }
    return rc;
}

/* ------------------------------------------------ reviews, handovers */

typedef struct case_list {
    Council__V1__CaseAssignmentList *m;
    size_t cap;
} case_list;

static int case_list_add(council *c, const char *op, case_list *l, const council__case *k,
                         const asg *a)
{
    Council__V1__CaseAssignment *m;

    if (l->m->n_cases == l->cap) {
        size_t cap = l->cap == 0 ? 16 : 2 * l->cap;
        Council__V1__CaseAssignment **p = council__calloc(cap, sizeof *p);
        if (p == NULL)
            return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        if (l->m->n_cases > 0)
            memcpy(p, l->m->cases, l->m->n_cases * sizeof *p);
        council__free(l->m->cases);
        l->m->cases = p;
        l->cap = cap;
    }
    if ((m = asg_pb(k, a)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    l->m->cases[l->m->n_cases++] = m;
    return COUNCIL_OK;
}

static void case_list_free(Council__V1__CaseAssignmentList *m)
{
    for (size_t i = 0; i < m->n_cases; i++)
        asg_free(m->cases[i]);
    council__free(m->cases);
    m->cases = NULL;
    m->n_cases = 0;
}

/* Every stored assignment, checked, through fn (by review date). Rows for a
 * case that is not there count as forged; erased cases are passed over. */
static int asg_each(council *c, const char *op,
                    int (*fn)(council *c, const council__case *k, const asg *a, void *ctx),
                    void *ctx)
{
    sqlite3_stmt *st = NULL;
    int src = SQLITE_DONE, rc = COUNCIL_OK;

    if (sqlite3_prepare_v2(c->db, "SELECT case_id FROM case_assign ORDER BY review, case_id;", -1,
                           &st, NULL) != SQLITE_OK)
        return council__db_err(c, op);
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t id[16];
        council__case k;
        asg a;
        if (!id_col(st, 0, id, NULL)) {
            rc = forged(c, NULL, "forged_assignment_row", op);
            break;
        }
        rc = council__case_load(c, op, id, &k);
        if (rc == COUNCIL_ENOTFOUND) {
            rc = forged(c, NULL, "forged_assignment_row", op);
            break;
        }
        if (rc == COUNCIL_OK && k.erased == 0 && (rc = asg_load(c, op, &k, &a)) == COUNCIL_OK)
            rc = fn(c, &k, &a, ctx);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    return rc;
}

typedef struct review_ctx {
    case_list l;
    int64_t before;
    const uint8_t *viewer;       /* NULL: all */
    const uint8_t *staff;        /* handover: cases this staff works on */
} review_ctx;

static int review_one(council *c, const council__case *k, const asg *a, void *vctx)
{
    review_ctx *x = vctx;
    bool sees = true;
    int rc;

    if (x->staff != NULL) {
        bool is = false;
        for (size_t i = 0; i < a->n; i++)
            is = is || memcmp(a->workers[i], x->staff, 16) == 0;
        if (!is)
            return COUNCIL_OK;
    } else if (a->review == 0 || a->review >= x->before) {
        return COUNCIL_OK;
    }
    if (x->viewer != NULL && memcmp(a->lead, x->viewer, 16) != 0 &&
        (rc = member_sees(c, "case_reviews", k, x->viewer, &sees)) != COUNCIL_OK)
        return rc;
    return sees ? case_list_add(c, "case_reviews", &x->l, k, a) : COUNCIL_OK;
}

int council_case_reviews(council *c, council_buf *out, int64_t before, const uint8_t *member,
                         size_t member_len)
{
    static const char op[] = "case_reviews";
    Council__V1__CaseAssignmentList m = COUNCIL__V1__CASE_ASSIGNMENT_LIST__INIT;
    review_ctx x = { .l = { &m, 0 }, .before = before, .viewer = member };
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: no output buffer", op);
    if (before <= 0 || (member != NULL && member_len != 16) || (member == NULL && member_len != 0))
        return council__fail(c, COUNCIL_EINVAL, "%s: a date, and a 16-byte member id or none", op);
    if (!council__is_secretariat(c)) {
        if (member != NULL && !staff_of(c, member))
            return refuse(c, false, ACT(OPERATION_REFUSED), NULL, NULL, member, NULL,
                          COUNCIL_EDENIED, "not_entitled", op, "a member's staff see the reviews "
                          "of their own member only");
        x.viewer = c->actor_member;
    }
    rc = asg_each(c, op, review_one, &x);
    if (rc == COUNCIL_OK)
        rc = council__pack_out(c, op, out, &m.base);
    case_list_free(&m);
    return rc;
}

int council_case_handover_list(council *c, council_buf *out, const uint8_t *staff_id,
                               size_t staff_id_len)
{
    static const char op[] = "case_handover_list";
    Council__V1__Handover h = COUNCIL__V1__HANDOVER__INIT;
    Council__V1__CaseAssignmentList cl = COUNCIL__V1__CASE_ASSIGNMENT_LIST__INIT;
    Council__V1__SupportTaskList tl = COUNCIL__V1__SUPPORT_TASK_LIST__INIT;
    review_ctx x = { .l = { &cl, 0 } };
    list_ctx y = { .m = &tl };
    uint8_t sm[16];
    bool active = false, pledged = false;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: no output buffer", op);
    if ((rc = council__id_arg(c, op, staff_id, staff_id_len)) != COUNCIL_OK ||
        (rc = council__staff_member(c, op, staff_id, sm, &active, &pledged)) != COUNCIL_OK)
        return rc;
    if (!council__is_secretariat(c) && !staff_of(c, sm))
        return refuse(c, false, ACT(OPERATION_REFUSED), NULL, NULL, sm, staff_id, COUNCIL_EDENIED,
                      "not_entitled", op, "only the secretariat or staff of the same member may "
                      "list a staff member's handover");
    x.staff = staff_id;
    y.staff = staff_id;
    rc = asg_each(c, op, review_one, &x);
    if (rc == COUNCIL_OK)
        rc = task_each(c, op, true, list_one, &y);
    if (rc == COUNCIL_OK) {
        h.staff.data = (uint8_t *)(uintptr_t)staff_id;
        h.staff.len = 16;
        h.cases = cl.cases;
        h.n_cases = cl.n_cases;
        h.tasks = tl.tasks;
        h.n_tasks = tl.n_tasks;
        rc = council__pack_out(c, op, out, &h.base);
    }
    case_list_free(&cl);
    for (size_t i = 0; i < tl.n_tasks; i++)
        council__v1__support_task__free_unpacked(tl.tasks[i], council__pb_allocator());
    council__free(tl.tasks);
    return rc;
}

typedef struct move_ctx {
    const council__case *k;
    const uint8_t *from, *to;
    size_t moved;
} move_ctx;

static int move_one(council *c, const trow *t, const council__case *k, void *vctx)
{
    move_ctx *x = vctx;
    trow n;
    int rc;

    if (memcmp(k->id, x->k->id, 16) != 0 || t->state != T_OPEN || !t->has_staff ||
        memcmp(t->staff, x->from, 16) != 0)
        return COUNCIL_OK;
    n = *t;
    memcpy(n.staff, x->to, 16);
    n.has_staff = true;
    if ((rc = task_write(c, "case_handover", &n, false)) != COUNCIL_OK)
        return rc;
    x->moved++;
    return log_ev(c, ACT(TASK_UPDATED), k, t->id, t->member, x->to, "handed_over");
}

int council_case_handover(council *c, const uint8_t *case_id, size_t case_id_len,
                          const uint8_t *from, size_t from_len, const uint8_t *to, size_t to_len)
{
    static const char op[] = "case_handover";
    uint8_t fm[16], tm[16];
    bool f_active, f_pledged, t_active, t_pledged, found = false;
    council__case k;
    move_ctx x;
    asg a;
    int rc;

    if (!council__ok(c))
        return COUNCIL_EMISUSE;
    if (from == NULL || from_len != 16 || to == NULL || to_len != 16)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are 16 bytes", op);
    if (memcmp(from, to, 16) == 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: a handover is to another staff member", op);
    if ((rc = begin_change(c, op, ACT(CASE_HANDED_OVER), case_id, case_id_len, &k, &a)) !=
        COUNCIL_OK)
        return rc;
    if ((rc = council__staff_member(c, op, from, fm, &f_active, &f_pledged)) != COUNCIL_OK ||
        (rc = council__staff_member(c, op, to, tm, &t_active, &t_pledged)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (sodium_memcmp(fm, tm, 16) != 0)
        return refuse(c, true, ACT(CASE_HANDED_OVER), &k, NULL, tm, to, COUNCIL_EDENIED,
                      "handover_other_member", op, "a handover goes to staff of the same member "
                      "(a case moves to another member by transfer)");
    if (!t_active || !t_pledged)
        return refuse(c, true, ACT(CASE_HANDED_OVER), &k, NULL, tm, to, COUNCIL_EINVAL,
                      "staff_not_in_service", op, "the staff taking over must be in service, "
                      "with a pledge");
    for (size_t i = 0; i < a.n; i++)
        if (memcmp(a.workers[i], from, 16) == 0) {
            bool dup = false;
            for (size_t j = 0; j < a.n; j++)
                dup = dup || memcmp(a.workers[j], to, 16) == 0;
            if (dup) {
                memmove(a.workers[i], a.workers[i + 1], (a.n - i - 1) * 16);
                a.n--;
            } else {
                memcpy(a.workers[i], to, 16);
            }
            found = true;
            break;
        }
    a.updated = (int64_t)time(NULL);
    if (found && (rc = asg_store(c, op, &k, &a)) != COUNCIL_OK)
        return council__finish(c, rc);
    x = (move_ctx){ .k = &k, .from = from, .to = to };
    if ((rc = task_each(c, op, false, move_one, &x)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (!found && x.moved == 0)
        return council__finish(c, council__fail(c, COUNCIL_ENOTFOUND, "%s: the staff member "
                                                "has no assignment or open task in this case",
                                                op));
    rc = log_ev(c, ACT(CASE_HANDED_OVER), &k, NULL, fm, from, "handover_from");
    if (rc == COUNCIL_OK)
        rc = log_ev(c, ACT(CASE_HANDED_OVER), &k, NULL, tm, to, "handover_to");
    return council__finish(c, rc);
}

/* ------------------------------------------------------- key changes */

/* The ids (first column) of the rows sql selects for member,
 * into *out (council__calloc'd). */
static int ids_signed_by(council *c, const char *sql, const uint8_t member[COUNCIL_ID_BYTES],
                         uint8_t (**out)[16], size_t *n)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int src = SQLITE_DONE, rc = COUNCIL_OK;

    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, "keys");
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != 16)
            continue;
        if (*n == cap) {
            uint8_t (*p)[16] = council__calloc(cap == 0 ? 16 : 2 * cap, sizeof *p);
            if (p == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "keys: out of memory");
                break;
            }
            if (*n > 0)
                memcpy(p, *out, *n * sizeof *p);
            council__free(*out);
            *out = p;
            cap = cap == 0 ? 16 : 2 * cap;
        }
        memcpy((*out)[(*n)++], sqlite3_column_blob(st, 0), 16);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, "keys");
    sqlite3_finalize(st);
    return rc;
}

int council__task_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES])
{
    uint8_t (*ids)[16] = NULL;
    size_t n = 0;
    int rc = ids_signed_by(c, "SELECT case_id FROM case_assign WHERE signer = ?1;", member,
                           &ids, &n);

    /* Rows that check (with the key about to go) are signed again by the
     * council; a forged one stays as it is, refused. */
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        council__case k;
        asg a;
        if ((rc = council__case_load(c, "keys", ids[i], &k)) == COUNCIL_OK &&
            (rc = asg_load(c, "keys", &k, &a)) == COUNCIL_OK)
            rc = asg_store(c, "keys", &k, &a);
        if (rc == COUNCIL_ETAMPER || rc == COUNCIL_ENOTFOUND) {
            council__clear(c);
            rc = COUNCIL_OK;
        }
    }
    council__free(ids);
    ids = NULL;
    if (rc == COUNCIL_OK)
        rc = ids_signed_by(c, "SELECT id FROM task WHERE signer = ?1 OR state_signer = ?1;",
                           member, &ids, &n);
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        council__case k;
        trow t;
        if ((rc = task_load(c, "keys", ids[i], &t, &k)) == COUNCIL_OK &&
            (rc = task_write(c, "keys", &t, false)) == COUNCIL_OK)
            rc = task_write_state(c, "keys", &t);
        if (rc == COUNCIL_ETAMPER || rc == COUNCIL_ENOTFOUND) {
            council__clear(c);
            rc = COUNCIL_OK;
        }
    }
    council__free(ids);
    return rc;
}

/* ------------------------------------------------------------ report */

static int count_one(council *c, const trow *t, const council__case *k, void *vctx)
{
    int64_t (*counts)[3] = vctx;

    (void)c;
    if (k->erased == 0 && k->body >= 1 && k->body <= 3)
        counts[t->state - 1][k->body - 1]++;
    return COUNCIL_OK;
}

int council__task_counts(council *c, const char *op, int64_t counts[3][3])
{
    return task_each(c, op, false, count_one, counts);
}
