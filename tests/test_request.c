/*
 * test_request.c - cooperation requests (request.c, Art. 16(3)): every
 * transition, each refusal, the overdue list, and what the insider (a
 * member's staff holding the database key) cannot do to a request's row.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "case_fixture.h"
#include "log.h"
#include "request.h"
#include "request_db.h"
#include "council/v1/request.pb-c.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x

static const char asked[] = "世帯の状況について情報提供をお願いします。ASK-CANARY-2b";
static const char opinion[] = "週1回の訪問が望ましい。OPINION-CANARY-9d";
static const char *const sit[] = { "situation" };

/* Accept council_art16_exchange (besides consent and the exceptions). */
static void allow_art16(fx *f)
{
    static const char *const bases[] = { "consent", "appi_27_1_4_public_duty",
                                         "council_art16_exchange" };
    council_policy_options po = COUNCIL_POLICY_OPTIONS_INIT;

    po.accepted_bases = bases;
    po.n_accepted_bases = 3;
    assert_int_equal(council_policy_set(f->c, &po), COUNCIL_OK);
}

/* A case of A's with a situation section; sa is A's staff session. */
static council *a_case(fx *f, uint8_t cid[16], uint8_t pid[16])
{
    council *sa = staff_open(f, f->sa, &f->ka);

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("状況"), COUNCIL_OK);
    return sa;
}

static council_request_options ask(const uint8_t cid[16], const uint8_t member[16], uint32_t kinds,
                                   int64_t due)
{
    council_request_options o = COUNCIL_REQUEST_OPTIONS_INIT;

    o.case_id = cid;
    o.case_id_len = 16;
    o.member_id = member;
    o.member_id_len = 16;
    o.kinds = kinds;
    if ((kinds & COUNCIL_REQUEST_KIND_INFORMATION) != 0) {
        o.scopes = sit;
        o.n_scopes = 1;
    }
    o.text = asked;
    o.text_len = strlen(asked);
    o.due = due;
    o.basis = "council_art16_exchange";
    return o;
}

static Council__V1__CooperationRequest *get(council *c, const uint8_t id[16])
{
    council_buf out = { NULL, 0 };
    Council__V1__CooperationRequest *m;

    assert_int_equal(council_request_get(c, &out, id, 16), COUNCIL_OK);
    m = council__v1__cooperation_request__unpack(NULL, out.len, out.ptr);
    assert_non_null(m);
    council_buf_free(&out);
    return m;
}

/* The newest event: its action, outcome (refused?), reason and object. */
static void expect_last(council *c, int action, bool refused, const char *reason,
                        const uint8_t *object)
{
    Council__V1__AuditEvent *e = last_event(c);

    assert_int_equal(e->action, action);
    assert_int_equal(e->outcome == COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED, refused);
    if (reason != NULL) {
        assert_non_null(e->reason);
        assert_string_equal(e->reason, reason);
    }
    if (object != NULL) {
        assert_true(e->has_object_id);
        assert_int_equal(e->object_id.len, 16);
        assert_memory_equal(e->object_id.data, object, 16);
    }
    council__v1__audit_event__free_unpacked(e, NULL);
}

static void make_ok(fx *f, uint8_t id[16], const council_request_options *o)
{
    assert_int_equal(council_request_make(f->c, id, 16, o), COUNCIL_OK);
    expect_last(f->c, ACT(REQUEST_MADE), false, NULL, id);
}

/* ------------------------------------------------------------ the insider */

static void exec_sql(council *c, const char *sql, const uint8_t id[16])
{
    sqlite3_stmt *st = NULL;

    assert_int_equal(sqlite3_prepare_v2(c->db, sql, -1, &st, NULL), SQLITE_OK);
    if (id != NULL)
        sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static void test_request__insider_forged_rows(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], id[16], id2[16], forged[16];
    council_request_options o;
    council_buf out = { NULL, 0 };
    council *sa, *sb;

    allow_art16(f);
    sa = a_case(f, cid, pid);
    o = ask(cid, f->ma, COUNCIL_REQUEST_KIND_INFORMATION, (int64_t)time(NULL) + 3600);
    make_ok(f, id, &o);
    make_ok(f, id2, &o);
    /* A's insider marks the request answered without answering. */
    exec_sql(sa, "UPDATE cooperation_request SET state = 2, state_at = 1, provided = 'situation' "
                 "WHERE id = ?1;", id);
    assert_int_equal(council_request_get(f->c, &out, id, 16), COUNCIL_ETAMPER);
    assert_null(out.ptr);
    assert_int_equal(th_last_action(f->c), ACT(TAMPER_DETECTED));
    /* ... nor does it pass as an answer it signed: the fields it signs
     * bind the council's words, which it changed (a later due date). */
    exec_sql(sa, "UPDATE cooperation_request SET due = due + 86400 WHERE id = ?1;", id2);
    assert_int_equal(council_request_get(sa, &out, id2, 16), COUNCIL_ETAMPER);
    assert_int_equal(council_request_withdraw(f->c, id2, 16, NULL), COUNCIL_ETAMPER);
    /* B's insider puts in a request of its own (a copy under a new id,
     * asking B, signed with B's key does not help: B is not the council). */
    sb = staff_open(f, f->sb, &f->kb);
    memset(forged, 0x42, 16);
    {
        sqlite3_stmt *st = NULL;
        uint8_t sig[64];
        memset(sig, 7, sizeof sig);
        assert_int_equal(sqlite3_prepare_v2(sb->db, "INSERT INTO cooperation_request SELECT ?1, "
                                            "case_id, ?2, council_member, kinds, scopes, basis, "
                                            "consent_id, text_memo, due, made, made_by, ?2, ?3, 1, "
                                            "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL "
                                            "FROM cooperation_request WHERE id = ?4;", -1, &st,
                                            NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, forged, 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, f->mb, 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, sig, 64, SQLITE_STATIC);
        sqlite3_bind_blob(st, 4, id2, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    assert_int_equal(council_request_answer(sb, forged, 16, &(council_request_answer_options)
                                            COUNCIL_REQUEST_ANSWER_OPTIONS_INIT), COUNCIL_ETAMPER);
    assert_int_equal(th_last_action(f->c), ACT(TAMPER_DETECTED));
    /* The list fails closed on a forged row. */
    assert_int_equal(council_request_list(f->c, &out, NULL), COUNCIL_ETAMPER);
    assert_null(out.ptr);
    {
        int64_t counts[4];
        assert_int_equal(council__request_counts(f->c, "test", 0, INT64_MAX, counts),
                         COUNCIL_ETAMPER);
    }
    council_close(sb);
    council_close(sa);
}

/* The newest event is a tamper finding with this reason. */
static void expect_finding(council *c, const char *reason)
{
    expect_last(c, ACT(TAMPER_DETECTED), true, reason, NULL);
}

/* The insider erases a request's end (its state columns: open again) to
 * answer or decline it again: the log records the end, so answer, decline
 * and withdraw fail closed, with the finding on the record. */
static void test_request__end_erased(void **state)
{
    static const char erase[] = "UPDATE cooperation_request SET state = 1, state_at = NULL, "
                                "state_by_member = NULL, state_by_staff = NULL, reason = NULL, "
                                "answer_memo = NULL, reason_memo = NULL, provided = NULL, "
                                "state_signer = NULL, state_sig = NULL WHERE id = ?1;";
    fx *f = *state;
    uint8_t cid[16], pid[16], id[16], id2[16];
    council_request_options o;
    council_request_answer_options a = COUNCIL_REQUEST_ANSWER_OPTIONS_INIT;
    Council__V1__CooperationRequest *m;
    council *sa;

    allow_art16(f);
    sa = a_case(f, cid, pid);
    o = ask(cid, f->ma, COUNCIL_REQUEST_KIND_OTHER, (int64_t)time(NULL) + 3600);
    make_ok(f, id, &o);
    make_ok(f, id2, &o);
    a.text = "回答";
    a.text_len = strlen(a.text);
    /* Declined by A, erased by A's insider: the rows say open. */
    assert_int_equal(council_request_decline(sa, id, 16, "no_capacity", NULL, 0), COUNCIL_OK);
    exec_sql(sa, erase, id);
    m = get(f->c, id);
    assert_int_equal(m->state, COUNCIL__V1__REQUEST_STATE__REQUEST_STATE_OPEN);
    council__v1__cooperation_request__free_unpacked(m, NULL);
    assert_int_equal(council_request_answer(sa, id, 16, &a), COUNCIL_ETAMPER);
    expect_finding(f->c, "request_rolled_back");
    assert_int_equal(council_request_decline(sa, id, 16, "other_reason", NULL, 0), COUNCIL_ETAMPER);
    expect_finding(f->c, "request_rolled_back");
    assert_int_equal(council_request_withdraw(f->c, id, 16, "resolved"), COUNCIL_ETAMPER);
    expect_finding(f->c, "request_rolled_back");
    m = get(f->c, id);
    assert_int_equal(m->state, COUNCIL__V1__REQUEST_STATE__REQUEST_STATE_OPEN); /* unchanged */
    council__v1__cooperation_request__free_unpacked(m, NULL);
    /* Withdrawn by the council, erased: A cannot answer it after all. */
    assert_int_equal(council_request_withdraw(f->c, id2, 16, "resolved"), COUNCIL_OK);
    exec_sql(sa, erase, id2);
    assert_int_equal(council_request_answer(sa, id2, 16, &a), COUNCIL_ETAMPER);
    expect_finding(f->c, "request_rolled_back");
    assert_int_equal(count(f->c, "SELECT count(*) FROM cooperation_request WHERE state != 1;", NULL),
                     0);
    council_close(sa);
}

/* ------------------------------------------------------------ transitions */

static void test_request__answered(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], id[16];
    council_request_options o;
    council_request_answer_options a = COUNCIL_REQUEST_ANSWER_OPTIONS_INIT;
    council_buf out = { NULL, 0 };
    Council__V1__CooperationRequest *m;
    council *sa, *sb;

    allow_art16(f);
    sa = a_case(f, cid, pid);
    sb = staff_open(f, f->sb, &f->kb);
    o = ask(cid, f->ma, COUNCIL_REQUEST_KIND_INFORMATION | COUNCIL_REQUEST_KIND_OPINION,
            (int64_t)time(NULL) + 3600);
    make_ok(f, id, &o);
    m = get(f->c, id);
    assert_int_equal(m->state, COUNCIL__V1__REQUEST_STATE__REQUEST_STATE_OPEN);
    assert_int_equal(m->n_transitions, 1);
    assert_int_equal(m->n_kinds, 2);
    assert_string_equal(m->scopes[0], "situation");
    assert_false(m->overdue);
    council__v1__cooperation_request__free_unpacked(m, NULL);
    /* The text is nowhere in the clear. */
    assert_int_equal(count(f->c, "SELECT count(*) FROM memo WHERE instr(ct, 'ASK-CANARY') > 0",
                           NULL), 0);
    /* A (asked) reads what is asked, logged first; B cannot. */
    assert_int_equal(council_request_text(sa, &out, id, 16, COUNCIL_REQUEST_TEXT_ASKED), COUNCIL_OK);
    assert_string_equal((const char *)out.ptr, asked);
    council_buf_free(&out);
    expect_last(f->c, ACT(REQUEST_READ), false, "request_text", id);
    assert_int_equal(council_request_text(sb, &out, id, 16, COUNCIL_REQUEST_TEXT_ASKED),
                     COUNCIL_EDENIED);
    assert_null(out.ptr);
    expect_last(f->c, ACT(REQUEST_READ), true, "not_entitled", id);
    assert_int_equal(council_request_get(sb, &out, id, 16), COUNCIL_EDENIED);
    /* No answer yet. */
    assert_int_equal(council_request_text(f->c, &out, id, 16, COUNCIL_REQUEST_TEXT_ANSWER),
                     COUNCIL_ENOTFOUND);
    /* A member not asked cannot answer; the secretariat cannot either. */
    a.scopes = sit;
    a.n_scopes = 1;
    a.text = opinion;
    a.text_len = strlen(opinion);
    assert_int_equal(council_request_answer(sb, id, 16, &a), COUNCIL_EDENIED);
    expect_last(f->c, ACT(REQUEST_ANSWERED), true, "not_asked_member", id);
    assert_int_equal(council_request_answer(f->c, id, 16, &a), COUNCIL_EDENIED);
    /* An opinion was asked: an answer without it is refused. */
    {
        council_request_answer_options bare = COUNCIL_REQUEST_ANSWER_OPTIONS_INIT;
        const char *const health[] = { "health" };
        bare.scopes = sit;
        bare.n_scopes = 1;
        assert_int_equal(council_request_answer(sa, id, 16, &bare), COUNCIL_EINVAL);
        bare.scopes = health; /* not asked */
        bare.text = opinion;
        bare.text_len = strlen(opinion);
        assert_int_equal(council_request_answer(sa, id, 16, &bare), COUNCIL_EINVAL);
    }
    /* A answers: the provision (disclosure made), then the answer. */
    {
        uint64_t before = 0, after = 0;
        Council__V1__AuditEvent *e;
        assert_int_equal(council__audit_size(f->c, &before), COUNCIL_OK);
        assert_int_equal(council_request_answer(sa, id, 16, &a), COUNCIL_OK);
        assert_int_equal(council__audit_size(f->c, &after), COUNCIL_OK);
        assert_int_equal(after, before + 2);
        e = event_at(f->c, before);
        assert_int_equal(e->action, ACT(DISCLOSURE_MADE));
        assert_true(e->has_object_id);
        assert_memory_equal(e->object_id.data, id, 16);
        assert_int_equal(e->n_scopes, 1);
        assert_string_equal(e->scopes[0], "situation");
        assert_string_equal(e->basis, "council_art16_exchange");
        council__v1__audit_event__free_unpacked(e, NULL);
        expect_last(f->c, ACT(REQUEST_ANSWERED), false, NULL, id);
    }
    m = get(sa, id);
    assert_int_equal(m->state, COUNCIL__V1__REQUEST_STATE__REQUEST_STATE_ANSWERED);
    assert_int_equal(m->n_transitions, 2);
    assert_int_equal(m->transitions[1]->state, COUNCIL__V1__REQUEST_STATE__REQUEST_STATE_ANSWERED);
    assert_true(m->transitions[1]->has_by_staff);
    assert_memory_equal(m->transitions[1]->by_staff.data, f->sa, 16);
    assert_int_equal(m->n_provided, 1);
    assert_true(m->has_answer_text);
    council__v1__cooperation_request__free_unpacked(m, NULL);
    /* The council reads the opinion, logged first. */
    assert_int_equal(council_request_text(f->c, &out, id, 16, COUNCIL_REQUEST_TEXT_ANSWER),
                     COUNCIL_OK);
    assert_string_equal((const char *)out.ptr, opinion);
    council_buf_free(&out);
    expect_last(f->c, ACT(REQUEST_READ), false, "request_opinion", id);
    /* From a final state nothing moves. */
    assert_int_equal(council_request_answer(sa, id, 16, &a), COUNCIL_EDENIED);
    expect_last(f->c, ACT(REQUEST_ANSWERED), true, "request_not_open", id);
    assert_int_equal(council_request_withdraw(f->c, id, 16, NULL), COUNCIL_EDENIED);
    expect_last(f->c, ACT(REQUEST_WITHDRAWN), true, "request_not_open", id);
    assert_int_equal(council_request_decline(sa, id, 16, "no_capacity", NULL, 0), COUNCIL_EDENIED);
    council_close(sb);
    council_close(sa);
}

static void test_request__declined_and_withdrawn(void **state)
{
    fx *f = *state;
    static const char why[] = "担当者が不在のため";
    uint8_t cid[16], pid[16], id[16], id2[16];
    council_request_options o;
    council_request_answer_options a = COUNCIL_REQUEST_ANSWER_OPTIONS_INIT;
    council_buf out = { NULL, 0 };
    Council__V1__CooperationRequest *m;
    council *sa;

    allow_art16(f);
    sa = a_case(f, cid, pid);
    o = ask(cid, f->ma, COUNCIL_REQUEST_KIND_OTHER, (int64_t)time(NULL) + 3600);
    make_ok(f, id, &o);
    make_ok(f, id2, &o);
    assert_int_equal(council_request_decline(sa, id, 16, "Bad Code", NULL, 0), COUNCIL_EINVAL);
    assert_int_equal(council_request_decline(f->c, id, 16, "no_capacity", NULL, 0), COUNCIL_EDENIED);
    expect_last(f->c, ACT(REQUEST_DECLINED), true, "not_asked_member", id);
    assert_int_equal(council_request_decline(sa, id, 16, "no_capacity", why, strlen(why)),
                     COUNCIL_OK);
    expect_last(f->c, ACT(REQUEST_DECLINED), false, "no_capacity", id);
    m = get(f->c, id);
    assert_int_equal(m->state, COUNCIL__V1__REQUEST_STATE__REQUEST_STATE_DECLINED);
    assert_string_equal(m->transitions[1]->reason, "no_capacity");
    assert_true(m->has_reason_text);
    council__v1__cooperation_request__free_unpacked(m, NULL);
    assert_int_equal(council_request_text(f->c, &out, id, 16, COUNCIL_REQUEST_TEXT_REASON),
                     COUNCIL_OK);
    assert_string_equal((const char *)out.ptr, why);
    council_buf_free(&out);
    /* Withdrawn: only by the council; then nothing answers it. */
    assert_int_equal(council_request_withdraw(sa, id2, 16, NULL), COUNCIL_EDENIED);
    expect_last(f->c, ACT(REQUEST_WITHDRAWN), true, "not_council", id2);
    assert_int_equal(council_request_withdraw(f->c, id2, 16, "resolved"), COUNCIL_OK);
    expect_last(f->c, ACT(REQUEST_WITHDRAWN), false, "resolved", id2);
    a.text = "回答";
    a.text_len = strlen(a.text);
    assert_int_equal(council_request_answer(sa, id2, 16, &a), COUNCIL_EDENIED);
    expect_last(f->c, ACT(REQUEST_ANSWERED), true, "request_not_open", id2);
    assert_int_equal(council_request_decline(sa, id2, 16, "no_capacity", NULL, 0), COUNCIL_EDENIED);
    m = get(f->c, id2);
    assert_int_equal(m->state, COUNCIL__V1__REQUEST_STATE__REQUEST_STATE_WITHDRAWN);
    assert_int_equal(m->n_transitions, 2);
    assert_false(m->transitions[1]->has_by_staff); /* the council passphrase's session */
    council__v1__cooperation_request__free_unpacked(m, NULL);
    {
        int64_t counts[4];
        assert_int_equal(council__request_counts(f->c, "test", 0, INT64_MAX, counts), COUNCIL_OK);
        assert_int_equal(counts[0], 0);
        assert_int_equal(counts[1], 0);
        assert_int_equal(counts[2], 1);
        assert_int_equal(counts[3], 1);
        assert_int_equal(council__request_counts(f->c, "test", 0, 1000, counts), COUNCIL_OK);
        assert_int_equal(counts[2] + counts[3], 0);
    }
    council_close(sa);
}

/* ------------------------------------------------------------ refusals */

static void test_request__refusals(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], id[16];
    council_request_options o;
    council *sa;
    int64_t now = (int64_t)time(NULL);

    sa = a_case(f, cid, pid);
    /* art16 while the policy does not accept it: refused by the decision,
     * logged; for an opinion alike. */
    o = ask(cid, f->ma, COUNCIL_REQUEST_KIND_INFORMATION, now + 3600);
    assert_int_equal(council_request_make(f->c, id, 16, &o), COUNCIL_ENOCONSENT);
    expect_last(f->c, ACT(DISCLOSURE_REFUSED), true, "basis_not_accepted", NULL);
    o = ask(cid, f->ma, COUNCIL_REQUEST_KIND_OPINION, now + 3600);
    assert_int_equal(council_request_make(f->c, id, 16, &o), COUNCIL_ENOCONSENT);
    expect_last(f->c, ACT(DISCLOSURE_REFUSED), true, "basis_not_accepted", NULL);
    assert_int_equal(count(f->c, "SELECT count(*) FROM cooperation_request", NULL), 0);
    allow_art16(f);
    /* Due date in the past, bad kinds, scopes without information. */
    o = ask(cid, f->ma, COUNCIL_REQUEST_KIND_OPINION, now - 1);
    assert_int_equal(council_request_make(f->c, id, 16, &o), COUNCIL_EINVAL);
    o = ask(cid, f->ma, 8u, now + 3600);
    assert_int_equal(council_request_make(f->c, id, 16, &o), COUNCIL_EINVAL);
    o = ask(cid, f->ma, COUNCIL_REQUEST_KIND_OPINION, now + 3600);
    o.scopes = sit;
    o.n_scopes = 1;
    assert_int_equal(council_request_make(f->c, id, 16, &o), COUNCIL_EINVAL);
    o = ask(cid, f->ma, COUNCIL_REQUEST_KIND_OPINION, now + 3600);
    o.basis = "appi_27_1_4_public_duty";
    assert_int_equal(council_request_make(f->c, id, 16, &o), COUNCIL_EINVAL);
    o.basis = "consent"; /* without its record's id */
    assert_int_equal(council_request_make(f->c, id, 16, &o), COUNCIL_EINVAL);
    /* A consent id that is no record of the case: refused, logged. */
    {
        uint8_t nothing[16];
        memset(nothing, 0x33, 16);
        o.consent_id = nothing;
        o.consent_id_len = 16;
        assert_int_equal(council_request_make(f->c, id, 16, &o), COUNCIL_ENOCONSENT);
        expect_last(f->c, ACT(DISCLOSURE_REFUSED), true, "consent_not_found", NULL);
    }
    /* A plain member's staff makes no request. */
    o = ask(cid, f->mb, COUNCIL_REQUEST_KIND_OPINION, now + 3600);
    assert_int_equal(council_request_make(sa, id, 16, &o), COUNCIL_EDENIED);
    expect_last(f->c, ACT(REQUEST_MADE), true, "not_council", NULL);
    /* B holds no share of the situation: it cannot be asked for it. */
    o = ask(cid, f->mb, COUNCIL_REQUEST_KIND_INFORMATION, now + 3600);
    assert_int_equal(council_request_make(f->c, id, 16, &o), COUNCIL_EDENIED);
    expect_last(f->c, ACT(REQUEST_MADE), true, "scope_not_held", NULL);
    /* Once shared with B, it can. */
    share(sa, cid, f->mb, "situation", COUNCIL_OK);
    make_ok(f, id, &o);
    /* A withdrawn member is not asked. */
    assert_int_equal(council_member_withdraw(f->c, f->mc, 16, 0, "退会"), COUNCIL_OK);
    o = ask(cid, f->mc, COUNCIL_REQUEST_KIND_OPINION, now + 3600);
    assert_int_equal(council_request_make(f->c, id, 16, &o), COUNCIL_EDENIED);
    expect_last(f->c, ACT(REQUEST_MADE), true, "member_withdrawn", NULL);
    /* Bad handles and ids. */
    assert_int_equal(council_request_make(NULL, id, 16, &o), COUNCIL_EMISUSE);
    assert_int_equal(council_request_make(f->c, id, 15, &o), COUNCIL_EINVAL);
    {
        uint8_t none[16];
        council_buf out = { NULL, 0 };
        memset(none, 0x11, 16);
        assert_int_equal(council_request_get(f->c, &out, none, 16), COUNCIL_ENOTFOUND);
        assert_int_equal(council_request_text(f->c, &out, none, 16, 9), COUNCIL_EINVAL);
    }
    council_close(sa);
}

/* The answer's decision runs again: a share revoked since the request
 * leaves the member nothing to provide. */
static void test_request__answer_rechecked(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], id[16];
    council_request_options o;
    council_request_answer_options a = COUNCIL_REQUEST_ANSWER_OPTIONS_INIT;
    council *sa, *sb;

    allow_art16(f);
    sa = a_case(f, cid, pid);
    sb = staff_open(f, f->sb, &f->kb);
    share(sa, cid, f->mb, "situation", COUNCIL_OK);
    o = ask(cid, f->mb, COUNCIL_REQUEST_KIND_INFORMATION, (int64_t)time(NULL) + 3600);
    make_ok(f, id, &o);
    assert_int_equal(council_case_revoke(sa, cid, 16, f->mb, 16, sit, 1, "no_longer_needed"), COUNCIL_OK);
    a.scopes = sit;
    a.n_scopes = 1;
    assert_int_equal(council_request_answer(sb, id, 16, &a), COUNCIL_EDENIED);
    expect_last(f->c, ACT(REQUEST_ANSWERED), true, "scope_not_held", id);
    council_close(sb);
    council_close(sa);
}

/* The coordinating body's staff make and withdraw requests (signed with
 * its member's key, which its role vouches for). When its role is taken
 * away, the council signs what it signed while entitled again: its
 * requests, the lists and the report still work; a row it signs after
 * that is not the council's word. */
static void test_request__coordinating_body(void **state)
{
    fx *f = *state;
    uint8_t cb[16], cbs[16], cid[16], pid[16], id[16], id2[16];
    council_member_options mo = COUNCIL_MEMBER_OPTIONS_INIT;
    council_buf kcb = { NULL, 0 }, out = { NULL, 0 };
    council_request_options o;
    Council__V1__CooperationRequest *m;
    council *sa, *scb;

    mo.name = "北市 地域福祉課（調整機関）";
    mo.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_MUNICIPAL_DEPARTMENT;
    mo.roles = COUNCIL_ROLE_COORDINATING_BODY;
    mo.scopes = all_scopes;
    mo.n_scopes = 10;
    assert_int_equal(council_member_add(f->c, cb, 16, &mo), COUNCIL_OK);
    assert_int_equal(council_member_keygen(f->c, &kcb, cb, 16, (const uint8_t *)MPASS,
                                           strlen(MPASS), TH_OPS, TH_MEM), COUNCIL_OK);
    staff(f->c, cbs, cb);
    allow_art16(f);
    sa = a_case(f, cid, pid);
    scb = staff_open(f, cbs, &kcb);
    o = ask(cid, f->ma, COUNCIL_REQUEST_KIND_INFORMATION, (int64_t)time(NULL) + 3600);
    assert_int_equal(council_request_make(scb, id, 16, &o), COUNCIL_OK);
    expect_last(f->c, ACT(REQUEST_MADE), false, NULL, id);
    assert_int_equal(council_request_make(scb, id2, 16, &o), COUNCIL_OK);
    m = get(sa, id);
    assert_true(m->has_council_member);
    assert_memory_equal(m->council_member.data, cb, 16);
    assert_memory_equal(m->transitions[0]->by_staff.data, cbs, 16);
    council__v1__cooperation_request__free_unpacked(m, NULL);
    /* Its person reads what it asked; A reads it too. */
    assert_int_equal(council_request_text(scb, &out, id, 16, COUNCIL_REQUEST_TEXT_ASKED), COUNCIL_OK);
    council_buf_free(&out);
    assert_int_equal(council_request_withdraw(scb, id, 16, "resolved"), COUNCIL_OK);
    m = get(f->c, id);
    assert_int_equal(m->state, COUNCIL__V1__REQUEST_STATE__REQUEST_STATE_WITHDRAWN);
    council__v1__cooperation_request__free_unpacked(m, NULL);
    /* The role taken away: what it signed while entitled is re-signed by
     * the council, so its requests, the list and the report still load. */
    council_close(scb);
    mo.roles = 0;
    assert_int_equal(council_member_update(f->c, cb, 16, &mo), COUNCIL_OK);
    m = get(f->c, id2);
    assert_int_equal(m->state, COUNCIL__V1__REQUEST_STATE__REQUEST_STATE_OPEN);
    assert_memory_equal(m->council_member.data, cb, 16);
    council__v1__cooperation_request__free_unpacked(m, NULL);
    m = get(sa, id);
    assert_int_equal(m->state, COUNCIL__V1__REQUEST_STATE__REQUEST_STATE_WITHDRAWN);
    council__v1__cooperation_request__free_unpacked(m, NULL);
    assert_int_equal(count(f->c, "SELECT count(*) FROM cooperation_request WHERE signer = ?1 OR "
                              "state_signer = ?1;", cb), 0);
    assert_int_equal(council_request_list(f->c, &out, NULL), COUNCIL_OK);
    council_buf_free(&out);
    assert_int_equal(council_request_list(sa, &out, NULL), COUNCIL_OK);
    council_buf_free(&out);
    assert_int_equal(council_report_platform(f->c, &out, 0, COUNCIL_REPORT_CSV), COUNCIL_OK);
    council_buf_free(&out);
    /* Its staff, without the role, can no longer ask ... */
    scb = staff_open(f, cbs, &kcb);
    assert_int_equal(council_request_make(scb, id, 16, &o), COUNCIL_EDENIED);
    /* ... nor sign a row of their own that passes as the council's. */
    {
        council__req r;
        uint8_t fresh[16];
        assert_int_equal(council__req_load(scb, "test", id2, &r), COUNCIL_OK);
        memset(fresh, 0x5a, sizeof fresh);
        memcpy(r.id, fresh, 16);
        memcpy(r.made_member, cb, 16);
        assert_int_equal(council__req_insert(scb, "test", &r), COUNCIL_OK);
        assert_int_equal(count(f->c, "SELECT count(*) FROM cooperation_request WHERE signer = ?1;",
                               cb), 1);
        assert_int_equal(council_request_get(f->c, &out, fresh, 16), COUNCIL_ETAMPER);
        assert_null(out.ptr);
        assert_int_equal(th_last_action(f->c), ACT(TAMPER_DETECTED));
        assert_int_equal(council_request_withdraw(f->c, fresh, 16, NULL), COUNCIL_ETAMPER);
    }
    council_close(scb);
    council_buf_free(&kcb);
    council_close(sa);
}

/* The coordinating body's member withdraws (its role with it): what its
 * staff asked and withdrew is the council's still. */
static void test_request__coordinating_body_withdrawn(void **state)
{
    fx *f = *state;
    uint8_t cb[16], cbs[16], cid[16], pid[16], id[16], id2[16];
    council_member_options mo = COUNCIL_MEMBER_OPTIONS_INIT;
    council_buf kcb = { NULL, 0 }, out = { NULL, 0 };
    council_request_options o;
    Council__V1__CooperationRequest *m;
    council *sa, *scb;

    mo.name = "北市 地域福祉課（調整機関）";
    mo.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_MUNICIPAL_DEPARTMENT;
    mo.roles = COUNCIL_ROLE_COORDINATING_BODY;
    mo.scopes = all_scopes;
    mo.n_scopes = 10;
    assert_int_equal(council_member_add(f->c, cb, 16, &mo), COUNCIL_OK);
    assert_int_equal(council_member_keygen(f->c, &kcb, cb, 16, (const uint8_t *)MPASS,
                                           strlen(MPASS), TH_OPS, TH_MEM), COUNCIL_OK);
    staff(f->c, cbs, cb);
    allow_art16(f);
    sa = a_case(f, cid, pid);
    scb = staff_open(f, cbs, &kcb);
    o = ask(cid, f->ma, COUNCIL_REQUEST_KIND_INFORMATION, (int64_t)time(NULL) + 3600);
    assert_int_equal(council_request_make(scb, id, 16, &o), COUNCIL_OK);
    assert_int_equal(council_request_make(scb, id2, 16, &o), COUNCIL_OK);
    assert_int_equal(council_request_withdraw(scb, id, 16, "resolved"), COUNCIL_OK);
    council_close(scb);
    assert_int_equal(council_member_withdraw(f->c, cb, 16, 0, "解散"), COUNCIL_OK);
    m = get(f->c, id);
    assert_int_equal(m->state, COUNCIL__V1__REQUEST_STATE__REQUEST_STATE_WITHDRAWN);
    council__v1__cooperation_request__free_unpacked(m, NULL);
    m = get(sa, id2);
    assert_int_equal(m->state, COUNCIL__V1__REQUEST_STATE__REQUEST_STATE_OPEN);
    council__v1__cooperation_request__free_unpacked(m, NULL);
    assert_int_equal(council_request_list(f->c, &out, NULL), COUNCIL_OK);
    council_buf_free(&out);
    assert_int_equal(council_report_platform(f->c, &out, 0, COUNCIL_REPORT_CSV), COUNCIL_OK);
    council_buf_free(&out);
    /* A answers it: the end is A's, over what the council asked. */
    {
        council_request_answer_options a = COUNCIL_REQUEST_ANSWER_OPTIONS_INIT;
        const char *sc[1] = { "situation" };
        a.scopes = sc;
        a.n_scopes = 1;
        assert_int_equal(council_request_answer(sa, id2, 16, &a), COUNCIL_OK);
    }
    m = get(f->c, id2);
    assert_int_equal(m->state, COUNCIL__V1__REQUEST_STATE__REQUEST_STATE_ANSWERED);
    council__v1__cooperation_request__free_unpacked(m, NULL);
    council_buf_free(&kcb);
    council_close(sa);
}

/* ------------------------------------------------------------ lists */

static Council__V1__CooperationRequestList *list(council *c, const council_request_filter *flt)
{
    council_buf out = { NULL, 0 };
    Council__V1__CooperationRequestList *l;

    assert_int_equal(council_request_list(c, &out, flt), COUNCIL_OK);
    l = council__v1__cooperation_request_list__unpack(NULL, out.len, out.ptr);
    assert_non_null(l);
    council_buf_free(&out);
    return l;
}

static void test_request__overdue(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], soon[16], later[16], gone[16];
    council_request_filter flt = COUNCIL_REQUEST_FILTER_INIT;
    Council__V1__CooperationRequestList *l;
    council_request_options o;
    int64_t now = (int64_t)time(NULL);
    council *sa, *sb;

    allow_art16(f);
    sa = a_case(f, cid, pid);
    sb = staff_open(f, f->sb, &f->kb);
    o = ask(cid, f->ma, COUNCIL_REQUEST_KIND_OPINION, now + 60);
    make_ok(f, soon, &o);
    o.due = now + 86400;
    make_ok(f, later, &o);
    o.due = now + 60;
    make_ok(f, gone, &o);
    assert_int_equal(council_request_withdraw(f->c, gone, 16, NULL), COUNCIL_OK);
    l = list(f->c, NULL);
    assert_int_equal(l->n_requests, 3);
    council__v1__cooperation_request_list__free_unpacked(l, NULL);
    /* An hour on, the first is overdue (the withdrawn one is not). */
    flt.overdue = 1;
    flt.now = now + 3600;
    l = list(f->c, &flt);
    assert_int_equal(l->n_requests, 1);
    assert_memory_equal(l->requests[0]->id.data, soon, 16);
    assert_true(l->requests[0]->overdue);
    council__v1__cooperation_request_list__free_unpacked(l, NULL);
    /* Two days on, both open ones. */
    flt.now = now + 2 * 86400;
    l = list(f->c, &flt);
    assert_int_equal(l->n_requests, 2);
    council__v1__cooperation_request_list__free_unpacked(l, NULL);
    /* Now, none. */
    flt.now = 0;
    l = list(f->c, &flt);
    assert_int_equal(l->n_requests, 0);
    council__v1__cooperation_request_list__free_unpacked(l, NULL);
    /* By state; A sees its own, B none. */
    flt = (council_request_filter)COUNCIL_REQUEST_FILTER_INIT;
    flt.state = COUNCIL_REQUEST_WITHDRAWN;
    l = list(f->c, &flt);
    assert_int_equal(l->n_requests, 1);
    council__v1__cooperation_request_list__free_unpacked(l, NULL);
    l = list(sa, NULL);
    assert_int_equal(l->n_requests, 3);
    council__v1__cooperation_request_list__free_unpacked(l, NULL);
    l = list(sb, NULL);
    assert_int_equal(l->n_requests, 0);
    council__v1__cooperation_request_list__free_unpacked(l, NULL);
    flt.state = 9;
    {
        council_buf out = { NULL, 0 };
        assert_int_equal(council_request_list(f->c, &out, &flt), COUNCIL_EINVAL);
    }
    {
        int64_t counts[4];
        assert_int_equal(council__request_counts(f->c, "test", now - 10, now + 10, counts),
                         COUNCIL_OK);
        assert_int_equal(counts[0], 2);
        assert_int_equal(counts[3], 1);
    }
    council_close(sb);
    council_close(sa);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_request__insider_forged_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request__end_erased, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request__answered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request__declined_and_withdrawn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request__refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request__answer_rechecked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request__overdue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request__coordinating_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request__coordinating_body_withdrawn, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
