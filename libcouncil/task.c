/*
 * task.c - who supports whom (伴走): council_case_assign, _review,
 * _assignment, _reviews, _handover_list, _handover and council_task_add,
 * _set_state, _list, _get. Who may do what is decided here; the rows (and
 * their signatures, checked before anything reads them) are task_db.c's.
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
#include "meeting.h"
#include "task_db.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define T_OPEN COUNCIL__V1__TASK_STATE__TASK_STATE_OPEN
#define T_DONE COUNCIL__V1__TASK_STATE__TASK_STATE_DONE
#define T_CANCELLED COUNCIL__V1__TASK_STATE__TASK_STATE_CANCELLED
#define TASK_MEMO "task_text"

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
        .reason = reason,
    };

    return council__refuse_event(c, in_txn, &ev, rc, op, msg);
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
static int case_get(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                    council__case *k)
{
    int rc = council__case_load(c, op, id, k);

    if (rc == COUNCIL_OK && k->erased != 0)
        return council__fail(c, COUNCIL_ENOTFOUND, "%s: the case was erased", op);
    return rc;
}

static int begin_change(council *c, const char *op, int action, const uint8_t *case_id,
                        size_t case_id_len, council__case *k, council__asg *a)
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
    if ((rc = council__asg_load(c, op, k, a)) != COUNCIL_OK)
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
    council__asg a;
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
    rc = council__asg_store(c, op, &k, &a);
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
    council__asg a;
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
    rc = council__asg_store(c, op, &k, &a);
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

static Council__V1__CaseAssignment *asg_pb(const council__case *k, const council__asg *a)
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
    council__asg a;
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
    if ((rc = council__asg_load(c, op, &k, &a)) != COUNCIL_OK)
        return rc;
    if ((m = asg_pb(&k, &a)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    rc = council__pack_out(c, op, out, &m->base);
    asg_free(m);
    return rc;
}

static bool task_visible(const council *c, const council__task_row *t, const council__case *k)
{
    return council__is_secretariat(c) || staff_of(c, t->member) || staff_of(c, k->owner);
}

static Council__V1__SupportTask *task_pb(const council__task_row *t)
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
    council__task_row t;
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
        return refuse(c, true, ACT(TASK_ADDED), &k, NULL, o->member, o->staff, COUNCIL_EDENIED,
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
            return refuse(c, true, ACT(TASK_ADDED), &k, NULL, t.member, NULL, COUNCIL_EINVAL,
                          "member_not_entitled", op, "the member responsible neither owns the "
                          "case nor holds a share of it");
    }
    if (o->staff != NULL) {
        uint8_t sm[16];
        bool active = false, pledged = false;
        if ((rc = council__staff_member(c, op, o->staff, sm, &active, &pledged)) != COUNCIL_OK)
            return council__finish(c, rc);
        if (!active || !pledged || sodium_memcmp(sm, t.member, 16) != 0)
            return refuse(c, true, ACT(TASK_ADDED), &k, NULL, t.member, o->staff, COUNCIL_EINVAL,
                          "staff_not_of_member", op, "the staff responsible must be in service, "
                          "with a pledge, and staff of the member responsible");
        memcpy(t.staff, o->staff, 16);
        t.has_staff = true;
    }
    /* A task a meeting decided names a signed decision about this case. */
    if (o->decision_id != NULL &&
        (rc = council__meeting_decision_check(c, op, o->decision_id, k.id)) != COUNCIL_OK)
        return council__finish(c, rc);
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
        rc = council__task_write(c, op, &t, true);
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
    council__task_row t;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, task, task_len)) != COUNCIL_OK)
        return rc;
    if (state != T_DONE && state != T_CANCELLED)
        return council__fail(c, COUNCIL_EINVAL, "%s: a task becomes done or cancelled", op);
    if ((rc = council__task_load(c, op, task, &t, &k)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    /* The state must be the one the log holds (not an older one put back). */
    if ((rc = council__task_log_check(c, op, &t, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
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
    rc = council__task_write_state(c, op, &t);
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

static int list_one(council *c, const council__task_row *t, const council__case *k, void *vctx)
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
    rc = council__task_each(c, op, true, list_one, &x);
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
    council__task_row t;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: no output buffer", op);
    if ((rc = council__id_arg(c, op, task, task_len)) != COUNCIL_OK ||
        (rc = council__no_batch(c, op)) != COUNCIL_OK ||
        (rc = council__task_load(c, op, task, &t, &k)) != COUNCIL_OK)
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
                         const council__asg *a)
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

typedef struct review_ctx {
    case_list l;
    int64_t before;
    const uint8_t *viewer;       /* NULL: all */
    const uint8_t *staff;        /* handover: cases this staff works on */
} review_ctx;

static int review_one(council *c, const council__case *k, const council__asg *a, void *vctx)
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
    rc = council__asg_each(c, op, review_one, &x);
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
    rc = council__asg_each(c, op, review_one, &x);
    if (rc == COUNCIL_OK)
        rc = council__task_each(c, op, true, list_one, &y);
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

static int move_one(council *c, const council__task_row *t, const council__case *k, void *vctx)
{
    move_ctx *x = vctx;
    council__task_row n;
    int rc;

    if (memcmp(k->id, x->k->id, 16) != 0 || t->state != T_OPEN || !t->has_staff ||
        memcmp(t->staff, x->from, 16) != 0)
        return COUNCIL_OK;
    n = *t;
    memcpy(n.staff, x->to, 16);
    n.has_staff = true;
    if ((rc = council__task_write(c, "case_handover", &n, false)) != COUNCIL_OK)
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
    council__asg a;
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
    if (found && (rc = council__asg_store(c, op, &k, &a)) != COUNCIL_OK)
        return council__finish(c, rc);
    x = (move_ctx){ .k = &k, .from = from, .to = to };
    if ((rc = council__task_each(c, op, false, move_one, &x)) != COUNCIL_OK)
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
