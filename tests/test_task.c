/*
 * test_task.c - who supports whom (task.c): a case's lead member, workers
 * and review date; support tasks and their states; lists as each role sees
 * them; handover when staff retire; and what the insider (a member's staff
 * holding the database key) cannot do to the rows that decide these.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "case_fixture.h"
#include "attest.h"
#include "task_db.h"
#include "share_db.h"
#include "council/v1/task.pb-c.h"

#define REFUSED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED
#define A(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x

static const char task_text[] = "就労支援の窓口へ同行する TASK-CANARY-3b1d";

/* A case of A's (a staff session of A creates it), shared with B. */
static void a_case(fx *f, council *a, uint8_t cid[16])
{
    uint8_t pid[16];

    new_case(a, cid, pid);
    share(a, cid, f->mb, "situation", COUNCIL_OK);
}

static int assign(council *s, const uint8_t cid[16], const uint8_t *lead, const uint8_t *workers,
                  size_t n)
{
    council_assign_options o = COUNCIL_ASSIGN_OPTIONS_INIT;

    o.lead = lead;
    o.lead_len = lead != NULL ? 16 : 0;
    o.workers = workers;
    o.n_workers = n;
    return council_case_assign(s, cid, 16, &o);
}

static int add_task(council *s, uint8_t tid[16], const uint8_t cid[16], const uint8_t *member,
                    const uint8_t *staff_id, const uint8_t *decision)
{
    council_task_options o = COUNCIL_TASK_OPTIONS_INIT;

    o.case_id = cid;
    o.case_id_len = 16;
    o.member = member;
    o.member_len = member != NULL ? 16 : 0;
    o.staff = staff_id;
    o.staff_len = staff_id != NULL ? 16 : 0;
    o.decision_id = decision;
    o.decision_id_len = decision != NULL ? 16 : 0;
    o.text = task_text;
    o.due = (int64_t)time(NULL) + 7 * 86400;
    return council_task_add(s, tid, 16, &o);
}

static Council__V1__CaseAssignment *assignment(council *s, const uint8_t cid[16])
{
    council_buf out = { NULL, 0 };
    Council__V1__CaseAssignment *m;

    assert_int_equal(council_case_assignment(s, &out, cid, 16), COUNCIL_OK);
    m = council__v1__case_assignment__unpack(NULL, out.len, out.ptr);
    assert_non_null(m);
    council_buf_free(&out);
    return m;
}

static size_t n_tasks(council *s, const council_task_filter *flt)
{
    council_buf out = { NULL, 0 };
    Council__V1__SupportTaskList *l;
    size_t n;

    assert_int_equal(council_task_list(s, &out, flt), COUNCIL_OK);
    l = council__v1__support_task_list__unpack(NULL, out.len, out.ptr);
    assert_non_null(l);
    n = l->n_tasks;
    council__v1__support_task_list__free_unpacked(l, NULL);
    council_buf_free(&out);
    return n;
}

static size_t n_reviews(council *s, const uint8_t *member)
{
    council_buf out = { NULL, 0 };
    Council__V1__CaseAssignmentList *l;
    size_t n;

    assert_int_equal(council_case_reviews(s, &out, (int64_t)time(NULL) + 30 * 86400, member,
                                          member != NULL ? 16 : 0), COUNCIL_OK);
    l = council__v1__case_assignment_list__unpack(NULL, out.len, out.ptr);
    assert_non_null(l);
    n = l->n_cases;
    council__v1__case_assignment_list__free_unpacked(l, NULL);
    council_buf_free(&out);
    return n;
}

static void last_refused(council *root, int action, int rc)
{
    Council__V1__AuditEvent *e = last_event(root);

    assert_int_equal(e->action, action);
    assert_int_equal(e->outcome, REFUSED);
    assert_int_equal(e->error, rc);
    council__v1__audit_event__free_unpacked(e, NULL);
}

/* ------------------------------------------------------------ assignment */

static void test_assign(void **state)
{
    fx *f = *state;
    council *a = staff_open(f, f->sa, &f->ka), *b = staff_open(f, f->sb, &f->kb),
            *c = staff_open(f, f->sc, &f->kc);
    uint8_t cid[16], w[32], sx[16], sy[16];
    Council__V1__CaseAssignment *m;
    Council__V1__AuditEvent *e;

    a_case(f, a, cid);
    /* Never assigned: the owner leads, nobody works on it. */
    m = assignment(a, cid);
    assert_memory_equal(m->lead.data, f->ma, 16);
    assert_int_equal(m->n_workers, 0);
    assert_false(m->has_review);
    council__v1__case_assignment__free_unpacked(m, NULL);

    /* The owner's staff assign A's and B's staff (B holds a share). */
    memcpy(w, f->sa, 16);
    memcpy(w + 16, f->sb, 16);
    assert_int_equal(assign(a, cid, NULL, w, 2), COUNCIL_OK);
    e = last_event(f->c);
    assert_int_equal(e->action, A(CASE_ASSIGNED));
    assert_string_equal(e->reason, "worker");
    assert_memory_equal(e->subject_staff.data, f->sb, 16);
    council__v1__audit_event__free_unpacked(e, NULL);
    m = assignment(b, cid); /* B, shared, sees it */
    assert_int_equal(m->n_workers, 2);
    assert_memory_equal(m->workers[1].data, f->sb, 16);
    council__v1__case_assignment__free_unpacked(m, NULL);

    /* C's staff: C holds no share, so it can be no worker. */
    memcpy(w + 16, f->sc, 16);
    assert_int_equal(assign(a, cid, NULL, w, 2), COUNCIL_EINVAL);
    last_refused(f->c, A(CASE_ASSIGNED), COUNCIL_EINVAL);
    /* A worker twice. */
    memcpy(w + 16, f->sa, 16);
    assert_int_equal(assign(a, cid, NULL, w, 2), COUNCIL_EINVAL);
    /* Retired, or without a pledge: no worker. */
    assert_int_equal(council_staff_add(f->c, sx, 16, f->ma, 16, "退職予定", NULL), COUNCIL_OK);
    assert_int_equal(assign(a, cid, NULL, sx, 1), COUNCIL_EINVAL);
    staff(f->c, sy, f->ma);
    assert_int_equal(council_staff_retire(f->c, sy, 16, 0, "retired"), COUNCIL_OK);
    assert_int_equal(assign(a, cid, NULL, sy, 1), COUNCIL_EINVAL);
    /* Neither B (shared, not the owner) nor C may change it. */
    assert_int_equal(assign(b, cid, NULL, f->sb, 1), COUNCIL_EDENIED);
    last_refused(f->c, A(CASE_ASSIGNED), COUNCIL_EDENIED);
    assert_int_equal(assign(c, cid, NULL, NULL, 0), COUNCIL_EDENIED);
    assert_int_equal(council_case_assignment(c, &(council_buf){ NULL, 0 }, cid, 16),
                     COUNCIL_EDENIED);
    /* The secretariat makes B the lead, with B's staff; C cannot lead. */
    assert_int_equal(assign(f->c, cid, f->mb, f->sb, 1), COUNCIL_OK);
    m = assignment(a, cid);
    assert_memory_equal(m->lead.data, f->mb, 16);
    assert_int_equal(m->n_workers, 1);
    council__v1__case_assignment__free_unpacked(m, NULL);
    assert_int_equal(assign(f->c, cid, f->mc, NULL, 0), COUNCIL_EINVAL);
    /* Assignment gives no key: B's staff still cannot read what B was not shared. */
    {
        bool yes = true;
        assert_int_equal(council__share_active(b, "test", cid, f->mb, "identity", &yes), COUNCIL_OK);
        assert_false(yes);
    }
    council_close(a);
    council_close(b);
    council_close(c);
}

static void test_reviews(void **state)
{
    fx *f = *state;
    council *a = staff_open(f, f->sa, &f->ka), *b = staff_open(f, f->sb, &f->kb),
            *c = staff_open(f, f->sc, &f->kc);
    uint8_t cid[16], cid2[16], pid[16];
    Council__V1__CaseAssignment *m;

    a_case(f, a, cid);
    new_case(a, cid2, pid); /* not shared */
    assert_int_equal(council_case_review(a, cid, 16, (int64_t)time(NULL) + 86400), COUNCIL_OK);
    assert_int_equal(th_last_action(f->c), A(REVIEW_SCHEDULED));
    assert_int_equal(council_case_review(a, cid2, 16, (int64_t)time(NULL) + 2 * 86400), COUNCIL_OK);
    m = assignment(a, cid);
    assert_true(m->has_review);
    council__v1__case_assignment__free_unpacked(m, NULL);
    /* B may not move A's review; nobody moves it to before 1970. */
    assert_int_equal(council_case_review(b, cid, 16, 1), COUNCIL_EDENIED);
    last_refused(f->c, A(REVIEW_SCHEDULED), COUNCIL_EDENIED);
    assert_int_equal(council_case_review(a, cid, 16, -1), COUNCIL_EINVAL);
    /* Who sees which reviews. */
    assert_int_equal(n_reviews(f->c, NULL), 2);
    assert_int_equal(n_reviews(f->c, f->mb), 1);
    assert_int_equal(n_reviews(f->c, f->mc), 0);
    assert_int_equal(n_reviews(a, NULL), 2);
    assert_int_equal(n_reviews(b, NULL), 1);
    assert_int_equal(n_reviews(c, NULL), 0);
    assert_int_equal(council_case_reviews(c, &(council_buf){ NULL, 0 }, (int64_t)time(NULL), f->mb,
                                          16), COUNCIL_EDENIED);
    /* Before tomorrow: none due; cleared: gone. */
    {
        council_buf out = { NULL, 0 };
        Council__V1__CaseAssignmentList *l;
        assert_int_equal(council_case_reviews(f->c, &out, (int64_t)time(NULL) + 60, NULL, 0),
                         COUNCIL_OK);
        l = council__v1__case_assignment_list__unpack(NULL, out.len, out.ptr);
        assert_non_null(l);
        assert_int_equal(l->n_cases, 0);
        council__v1__case_assignment_list__free_unpacked(l, NULL);
        council_buf_free(&out);
    }
    assert_int_equal(council_case_review(f->c, cid2, 16, 0), COUNCIL_OK);
    assert_int_equal(n_reviews(a, NULL), 1);
    council_close(a);
    council_close(b);
    council_close(c);
}

/* ------------------------------------------------------------------ tasks */

static void test_tasks(void **state)
{
    fx *f = *state;
    council *a = staff_open(f, f->sa, &f->ka), *b = staff_open(f, f->sb, &f->kb),
            *c = staff_open(f, f->sc, &f->kc);
    uint8_t cid[16], t1[16], t2[16], t3[16], dec[16];
    council_task_filter flt = COUNCIL_TASK_FILTER_INIT;
    council_buf out = { NULL, 0 };
    Council__V1__SupportTask *t;
    Council__V1__AuditEvent *e;

    memset(dec, 0xd5, sizeof dec);
    a_case(f, a, cid);
    /* A decision id that names no meeting decision about the case. */
    assert_int_equal(add_task(a, t1, cid, f->mb, f->sb, dec), COUNCIL_ENOTFOUND);
    {
        council_meeting_options mo = COUNCIL_MEETING_OPTIONS_INIT;
        council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
        static const char *const sit[] = { "situation" };
        uint8_t mid[16];
        int64_t now = (int64_t)time(NULL);

        mo.body = COUNCIL_MEETING_BODY_COUNCIL;
        mo.starts = now - 60;
        mo.ends = now + 3600;
        mo.attendees = f->mb;
        mo.n_attendees = 1;
        assert_int_equal(council_meeting_create(f->c, mid, 16, &mo), COUNCIL_OK);
        so.scopes = sit;
        so.n_scopes = 1;
        so.purpose = "meeting_discussion";
        so.basis = "appi_27_1_4_public_duty";
        so.reason = "支援方針の協議";
        assert_int_equal(council_meeting_add_case(f->c, mid, 16, cid, 16, f->mb, 16, &so), COUNCIL_OK);
        assert_int_equal(council_meeting_decide(f->c, dec, 16, mid, 16, cid, 16, "Bが週1回訪問する"),
                         COUNCIL_OK);
    }
    /* The owner's staff give B (shared) a task for B's staff, from a decision. */
    assert_int_equal(add_task(a, t1, cid, f->mb, f->sb, dec), COUNCIL_OK);
    e = last_event(f->c);
    assert_int_equal(e->action, A(TASK_ADDED));
    assert_true(e->has_object_id);
    assert_memory_equal(e->object_id.data, t1, 16);
    council__v1__audit_event__free_unpacked(e, NULL);
    /* The secretariat adds one for the owner. */
    assert_int_equal(add_task(f->c, t2, cid, NULL, NULL, NULL), COUNCIL_OK);
    /* Not for C (no share), not for C's staff under B, not by B or C. */
    assert_int_equal(add_task(a, t3, cid, f->mc, NULL, NULL), COUNCIL_EINVAL);
    last_refused(f->c, A(TASK_ADDED), COUNCIL_EINVAL);
    assert_int_equal(add_task(a, t3, cid, f->mb, f->sc, NULL), COUNCIL_EINVAL);
    assert_int_equal(add_task(b, t3, cid, f->mb, NULL, NULL), COUNCIL_EDENIED);
    last_refused(f->c, A(TASK_ADDED), COUNCIL_EDENIED);
    assert_int_equal(add_task(c, t3, cid, NULL, NULL, NULL), COUNCIL_EDENIED);

    /* Lists as each role sees them. */
    assert_int_equal(n_tasks(f->c, NULL), 2);
    assert_int_equal(n_tasks(a, NULL), 2);
    assert_int_equal(n_tasks(b, NULL), 1);
    assert_int_equal(n_tasks(c, NULL), 0);
    flt.member = f->ma;
    flt.member_len = 16;
    assert_int_equal(n_tasks(f->c, &flt), 1);
    flt.member = NULL;
    flt.member_len = 0;
    flt.state = COUNCIL_TASK_STATE_DONE;
    assert_int_equal(n_tasks(f->c, &flt), 0);

    /* B reads its task's text, the read logged first; C may not. */
    assert_int_equal(council_task_get(b, &out, t1, 16), COUNCIL_OK);
    t = council__v1__support_task__unpack(NULL, out.len, out.ptr);
    assert_non_null(t);
    assert_string_equal(t->text, task_text);
    assert_true(t->has_decision_id);
    assert_memory_equal(t->decision_id.data, dec, 16);
    assert_int_equal(t->state, COUNCIL_TASK_STATE_OPEN);
    council__v1__support_task__free_unpacked(t, NULL);
    council_buf_free(&out);
    assert_int_equal(th_last_action(f->c), A(TASK_READ));
    assert_int_equal(council_task_get(c, &out, t1, 16), COUNCIL_EDENIED);
    assert_null(out.ptr);
    last_refused(f->c, A(TASK_READ), COUNCIL_EDENIED);
    /* B cannot read the owner's task (sealed to A), nor list it. */
    assert_int_equal(council_task_get(b, &out, t2, 16), COUNCIL_EDENIED);

    /* Transitions: C may not; B marks its task done; then it is final. */
    assert_int_equal(council_task_set_state(c, t1, 16, COUNCIL_TASK_STATE_DONE), COUNCIL_EDENIED);
    last_refused(f->c, A(TASK_UPDATED), COUNCIL_EDENIED);
    assert_int_equal(council_task_set_state(b, t1, 16, COUNCIL_TASK_STATE_OPEN), COUNCIL_EINVAL);
    assert_int_equal(council_task_set_state(b, t1, 16, COUNCIL_TASK_STATE_DONE), COUNCIL_OK);
    assert_int_equal(th_last_action(f->c), A(TASK_UPDATED));
    assert_int_equal(council_task_set_state(b, t1, 16, COUNCIL_TASK_STATE_CANCELLED),
                     COUNCIL_EDENIED);
    last_refused(f->c, A(TASK_UPDATED), COUNCIL_EDENIED);
    assert_int_equal(council_task_set_state(f->c, t1, 16, COUNCIL_TASK_STATE_DONE),
                     COUNCIL_EDENIED);
    /* B may not cancel the owner's task; the owner's staff may. */
    assert_int_equal(council_task_set_state(b, t2, 16, COUNCIL_TASK_STATE_CANCELLED),
                     COUNCIL_EDENIED);
    assert_int_equal(council_task_set_state(a, t2, 16, COUNCIL_TASK_STATE_CANCELLED), COUNCIL_OK);
    flt.state = COUNCIL_TASK_STATE_OPEN;
    assert_int_equal(n_tasks(f->c, &flt), 0);
    flt.state = COUNCIL_TASK_STATE_DONE;
    assert_int_equal(n_tasks(b, &flt), 1);
    memset(t3, 0x42, sizeof t3);
    assert_int_equal(council_task_set_state(a, t3, 16, COUNCIL_TASK_STATE_DONE), COUNCIL_ENOTFOUND);
    /* The counts the platform report can read: one done, one cancelled. */
    {
        int64_t counts[3][3] = { { 0 } };
        assert_int_equal(council__task_counts(f->c, "test", counts), COUNCIL_OK);
        assert_int_equal(counts[1][0], 1);
        assert_int_equal(counts[2][0], 1);
        assert_int_equal(counts[0][0], 0);
    }
    council_close(a);
    council_close(b);
    council_close(c);
}

/* --------------------------------------------------------------- handover */

static void test_handover(void **state)
{
    fx *f = *state;
    council *a = staff_open(f, f->sa, &f->ka), *b = staff_open(f, f->sb, &f->kb);
    uint8_t cid[16], tid[16], sa2[16];
    council_buf out = { NULL, 0 };
    Council__V1__Handover *h;
    Council__V1__CaseAssignment *m;

    staff(f->c, sa2, f->ma);
    a_case(f, a, cid);
    assert_int_equal(assign(a, cid, NULL, f->sa, 1), COUNCIL_OK);
    assert_int_equal(add_task(a, tid, cid, NULL, f->sa, NULL), COUNCIL_OK);
    council_close(a);
    assert_int_equal(council_staff_retire(f->c, f->sa, 16, 0, "retired"), COUNCIL_OK);

    /* The retiring staff's work: one case, one open task. */
    assert_int_equal(council_case_handover_list(f->c, &out, f->sa, 16), COUNCIL_OK);
    h = council__v1__handover__unpack(NULL, out.len, out.ptr);
    assert_non_null(h);
    assert_int_equal(h->n_cases, 1);
    assert_memory_equal(h->cases[0]->case_id.data, cid, 16);
    assert_int_equal(h->n_tasks, 1);
    council__v1__handover__free_unpacked(h, NULL);
    council_buf_free(&out);
    /* B's staff may not list A's staff's work. */
    assert_int_equal(council_case_handover_list(b, &out, f->sa, 16), COUNCIL_EDENIED);

    /* Not to staff of another member; not to oneself. */
    assert_int_equal(council_case_handover(f->c, cid, 16, f->sa, 16, f->sb, 16), COUNCIL_EDENIED);
    last_refused(f->c, A(CASE_HANDED_OVER), COUNCIL_EDENIED);
    assert_int_equal(council_case_handover(f->c, cid, 16, f->sa, 16, f->sa, 16), COUNCIL_EINVAL);
    /* B's staff may not hand A's case over. */
    assert_int_equal(council_case_handover(b, cid, 16, f->sa, 16, sa2, 16), COUNCIL_EDENIED);
    /* To A's other staff: assignments and the open task move. */
    assert_int_equal(council_case_handover(f->c, cid, 16, f->sa, 16, sa2, 16), COUNCIL_OK);
    assert_int_equal(th_last_action(f->c), A(CASE_HANDED_OVER));
    m = assignment(f->c, cid);
    assert_int_equal(m->n_workers, 1);
    assert_memory_equal(m->workers[0].data, sa2, 16);
    council__v1__case_assignment__free_unpacked(m, NULL);
    assert_int_equal(council_task_get(f->c, &out, tid, 16), COUNCIL_OK);
    {
        Council__V1__SupportTask *t = council__v1__support_task__unpack(NULL, out.len, out.ptr);
        assert_non_null(t);
        assert_true(t->has_staff);
        assert_memory_equal(t->staff.data, sa2, 16);
        council__v1__support_task__free_unpacked(t, NULL);
    }
    council_buf_free(&out);
    assert_int_equal(council_case_handover_list(f->c, &out, f->sa, 16), COUNCIL_OK);
    h = council__v1__handover__unpack(NULL, out.len, out.ptr);
    assert_non_null(h);
    assert_int_equal(h->n_cases, 0);
    assert_int_equal(h->n_tasks, 0);
    council__v1__handover__free_unpacked(h, NULL);
    council_buf_free(&out);
    /* Nothing left to hand over. */
    assert_int_equal(council_case_handover(f->c, cid, 16, f->sa, 16, sa2, 16), COUNCIL_ENOTFOUND);
    council_close(b);
}

/* ---------------------------------------------------------------- insider */

static void exec_blob(council *s, const char *sql, const uint8_t *blob, size_t n)
{
    sqlite3_stmt *st = NULL;

    assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
    if (blob != NULL)
        assert_int_equal(sqlite3_bind_blob(st, 1, blob, (int)n, SQLITE_STATIC), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* B's staff, holding the database key, write themselves in as workers. */
static void test_insider_worker(void **state)
{
    fx *f = *state;
    council *a = staff_open(f, f->sa, &f->ka), *b = staff_open(f, f->sb, &f->kb);
    uint8_t cid[16];
    council_buf out = { NULL, 0 };

    a_case(f, a, cid);
    assert_int_equal(assign(a, cid, NULL, f->sa, 1), COUNCIL_OK);
    exec_blob(b, "UPDATE case_assign SET workers = workers || ?1;", f->sb, 16);
    assert_int_equal(council_case_assignment(a, &out, cid, 16), COUNCIL_ETAMPER);
    assert_null(out.ptr);
    assert_int_equal(th_last_action(f->c), A(TAMPER_DETECTED));
    assert_int_equal(council_case_handover_list(f->c, &out, f->sb, 16), COUNCIL_ETAMPER);
    /* Nor does a change on a forged row go through. */
    assert_int_equal(assign(a, cid, NULL, NULL, 0), COUNCIL_ETAMPER);
    council_close(a);
    council_close(b);
}

/* B's staff move a review date, or sign a row with B's own key. */
static void test_insider_review(void **state)
{
    fx *f = *state;
    council *a = staff_open(f, f->sa, &f->ka), *b = staff_open(f, f->sb, &f->kb);
    uint8_t cid[16], cid2[16], pid[16], m[64], signer[16], sig[64];
    council_buf out = { NULL, 0 };

    a_case(f, a, cid);
    assert_int_equal(council_case_review(a, cid, 16, (int64_t)time(NULL) + 86400), COUNCIL_OK);
    exec_blob(b, "UPDATE case_assign SET review = review + 90 * 86400;", NULL, 0);
    assert_int_equal(council_case_reviews(f->c, &out, (int64_t)time(NULL) + 365 * 86400, NULL, 0),
                     COUNCIL_ETAMPER);
    assert_int_equal(th_last_action(f->c), A(TAMPER_DETECTED));
    exec_blob(b, "DELETE FROM case_assign;", NULL, 0);

    /* A row B signs itself (B may sign, but B does not own the case). */
    new_case(a, cid2, pid);
    share(a, cid2, f->mb, "situation", COUNCIL_OK);
    memset(m, 0, sizeof m);
    assert_int_equal(council__attest_sign(b, "case_assign", m, 16, signer, sig), COUNCIL_OK);
    {
        sqlite3_stmt *st = NULL;
        uint8_t msg[16 + 16 + 8 + 8 + 4 + 16];
        uint8_t *p = msg;
        p = council__put_bytes(p, cid2, 16);
        p = council__put_bytes(p, f->ma, 16);
        p = council__put_u64(p, 0);
        p = council__put_u64(p, 1);
        p = council__put_u32(p, 1);
        p = council__put_bytes(p, f->sb, 16);
        assert_int_equal(council__attest_sign(b, "case_assign", msg, (size_t)(p - msg), signer,
                                              sig), COUNCIL_OK);
        assert_memory_equal(signer, f->mb, 16);
        assert_int_equal(sqlite3_prepare_v2(b->db, "INSERT INTO case_assign (case_id, lead, "
                                            "workers, review, updated, signer, sig) VALUES (?1, "
                                            "?2, ?3, 0, 1, ?4, ?5);", -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, cid2, 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, f->ma, 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, f->sb, 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 4, signer, 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 5, sig, 64, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    assert_int_equal(council_case_assignment(f->c, &out, cid2, 16), COUNCIL_ETAMPER);
    assert_int_equal(th_last_action(f->c), A(TAMPER_DETECTED));
    council_close(a);
    council_close(b);
}

/* B's staff reopen a done task, or make themselves responsible for one. */
static void test_insider_task(void **state)
{
    fx *f = *state;
    council *a = staff_open(f, f->sa, &f->ka), *b = staff_open(f, f->sb, &f->kb);
    uint8_t cid[16], tid[16];
    council_buf out = { NULL, 0 };

    a_case(f, a, cid);
    assert_int_equal(add_task(a, tid, cid, NULL, NULL, NULL), COUNCIL_OK);
    assert_int_equal(n_tasks(b, NULL), 0);
    exec_blob(b, "UPDATE task SET member = ?1;", f->mb, 16);
    assert_int_equal(council_task_list(b, &out, NULL), COUNCIL_ETAMPER);
    assert_null(out.ptr);
    assert_int_equal(th_last_action(f->c), A(TAMPER_DETECTED));
    assert_int_equal(council_task_set_state(b, tid, 16, COUNCIL_TASK_STATE_DONE), COUNCIL_ETAMPER);
    exec_blob(b, "UPDATE task SET member = ?1;", f->ma, 16);
    assert_int_equal(n_tasks(b, NULL), 0);
    assert_int_equal(council_task_set_state(a, tid, 16, COUNCIL_TASK_STATE_DONE), COUNCIL_OK);
    exec_blob(b, "UPDATE task SET state = 1;", NULL, 0);
    assert_int_equal(council_task_get(a, &out, tid, 16), COUNCIL_ETAMPER);
    assert_int_equal(council_task_set_state(a, tid, 16, COUNCIL_TASK_STATE_CANCELLED),
                     COUNCIL_ETAMPER);
    council_close(a);
    council_close(b);
}

/* The insider keeps a task's signed open state and puts it back after the
 * task is done (the signature covers id, state and time, so it still
 * checks): the log's TASK_UPDATED events say the task was done, so the
 * next transition is refused as a rollback (a finding), and done again
 * when the signed done state is back. */
static void test_insider_task_rollback(void **state)
{
    fx *f = *state;
    council *a = staff_open(f, f->sa, &f->ka), *b = staff_open(f, f->sb, &f->kb);
    uint8_t cid[16], tid[16];
    Council__V1__AuditEvent *e;

    a_case(f, a, cid);
    assert_int_equal(add_task(a, tid, cid, NULL, NULL, NULL), COUNCIL_OK);
    exec_blob(b, "CREATE TEMP TABLE open_state AS SELECT id, state, updated, state_signer, "
                 "state_sig FROM task;", NULL, 0);
    assert_int_equal(council_task_set_state(a, tid, 16, COUNCIL_TASK_STATE_DONE), COUNCIL_OK);
    exec_blob(b, "CREATE TEMP TABLE done_state AS SELECT id, state, updated, state_signer, "
                 "state_sig FROM task;", NULL, 0);
    exec_blob(b, "UPDATE task SET (state, updated, state_signer, state_sig) = (SELECT state, "
                 "updated, state_signer, state_sig FROM open_state o WHERE o.id = task.id);",
              NULL, 0);
    assert_int_equal(council_task_set_state(a, tid, 16, COUNCIL_TASK_STATE_CANCELLED),
                     COUNCIL_ETAMPER);
    e = last_event(f->c);
    assert_int_equal(e->action, A(TAMPER_DETECTED));
    assert_string_equal(e->reason, "task_rolled_back");
    council__v1__audit_event__free_unpacked(e, NULL);
    /* The done state put back: a task done already, as before. */
    exec_blob(b, "UPDATE task SET (state, updated, state_signer, state_sig) = (SELECT state, "
                 "updated, state_signer, state_sig FROM done_state d WHERE d.id = task.id);",
              NULL, 0);
    assert_int_equal(council_task_set_state(a, tid, 16, COUNCIL_TASK_STATE_CANCELLED),
                     COUNCIL_EDENIED);
    last_refused(f->c, A(TASK_UPDATED), COUNCIL_EDENIED);
    council_close(a);
    council_close(b);
}

/* A's key replaced: what A signed is signed again by the council, and
 * still checks; B's task state, signed by B, too after B's key changes. */
static void test_keys_replaced(void **state)
{
    fx *f = *state;
    council *a = staff_open(f, f->sa, &f->ka), *b = staff_open(f, f->sb, &f->kb);
    uint8_t cid[16], tid[16];
    council_buf kf = { NULL, 0 };
    Council__V1__CaseAssignment *m;

    a_case(f, a, cid);
    assert_int_equal(assign(a, cid, NULL, f->sa, 1), COUNCIL_OK);
    assert_int_equal(add_task(a, tid, cid, f->mb, NULL, NULL), COUNCIL_OK);
    assert_int_equal(council_task_set_state(b, tid, 16, COUNCIL_TASK_STATE_DONE), COUNCIL_OK);
    council_close(a);
    council_close(b);
    assert_int_equal(council_member_keygen(f->c, &kf, f->ma, 16, (const uint8_t *)MPASS,
                                           strlen(MPASS), TH_OPS, TH_MEM), COUNCIL_OK);
    council_buf_free(&f->ka);
    f->ka = kf;
    assert_int_equal(council_member_keygen(f->c, &kf, f->mb, 16, (const uint8_t *)MPASS,
                                           strlen(MPASS), TH_OPS, TH_MEM), COUNCIL_OK);
    council_buf_free(&f->kb);
    f->kb = kf;
    m = assignment(f->c, cid);
    assert_int_equal(m->n_workers, 1);
    council__v1__case_assignment__free_unpacked(m, NULL);
    assert_int_equal(n_tasks(f->c, NULL), 1);
    a = staff_open(f, f->sa, &f->ka);
    assert_int_equal(n_tasks(a, NULL), 1);
    council_close(a);
}

static void test_args(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], tid[16];
    council_assign_options ao = COUNCIL_ASSIGN_OPTIONS_INIT;
    council_task_options to = COUNCIL_TASK_OPTIONS_INIT;
    council_buf out = { NULL, 0 };
    council *a = staff_open(f, f->sa, &f->ka);

    new_case(a, cid, pid);
    council_close(a);
    ao.n_workers = COUNCIL_WORKERS_MAX + 1;
    ao.workers = (const uint8_t *)calloc(COUNCIL_WORKERS_MAX + 1, 16);
    assert_int_equal(council_case_assign(f->c, cid, 16, &ao), COUNCIL_EINVAL);
    free((void *)(uintptr_t)ao.workers);
    ao = (council_assign_options)COUNCIL_ASSIGN_OPTIONS_INIT;
    ao.version = 99;
    assert_int_equal(council_case_assign(f->c, cid, 16, &ao), COUNCIL_EMISUSE);
    assert_int_equal(council_case_assign(f->c, cid, 15, &(council_assign_options)
                                         COUNCIL_ASSIGN_OPTIONS_INIT), COUNCIL_EINVAL);
    to.case_id = cid;
    to.case_id_len = 16;
    to.due = (int64_t)time(NULL);
    to.text = "";
    assert_int_equal(council_task_add(f->c, tid, 16, &to), COUNCIL_EINVAL);
    to.text = "改行\nあり";
    assert_int_equal(council_task_add(f->c, tid, 16, &to), COUNCIL_EINVAL);
    to.text = "ok";
    to.due = 0;
    assert_int_equal(council_task_add(f->c, tid, 16, &to), COUNCIL_EINVAL);
    assert_int_equal(council_task_list(f->c, NULL, NULL), COUNCIL_EMISUSE);
    assert_int_equal(council_case_reviews(f->c, &out, 0, NULL, 0), COUNCIL_EINVAL);
    assert_int_equal(council_task_get(f->c, &out, tid, 3), COUNCIL_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_assign, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reviews, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tasks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_handover, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider_worker, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider_review, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider_task, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider_task_rollback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keys_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_args, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
