/*
 * test_referral.c - referrals (referral.c): every step and each refusal,
 * the keys at acceptance (or while deciding), their end at decline,
 * withdrawal, completion and end, and what the insider cannot do with a
 * row it writes.
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
#include "council/v1/referral.pb-c.h"
#include "referral.h"
#include "referral_db.h"

static const char note[] = "紹介メモ: REFERRAL-NOTE-CANARY";

/* A's case with a situation section, made in A's session; a receives it. */
static void a_case(fx *f, council **a, uint8_t cid[16], uint8_t pid[16])
{
    *a = staff_open(f, f->sa, &f->ka);
    new_case(*a, cid, pid);
    put(*a, cid, pid, "situation", sec_text(CANARY_TEXT), COUNCIL_OK);
}

static int propose(council *s, uint8_t rid[16], const uint8_t cid[16], const uint8_t to[16],
                   const char *scope)
{
    council_referral_options o = COUNCIL_REFERRAL_OPTIONS_INIT;
    const char *sc[1] = { scope };

    o.case_id = cid;
    o.case_id_len = 16;
    o.to_member = to;
    o.to_member_len = 16;
    o.scopes = sc;
    o.n_scopes = 1;
    o.basis = "appi_27_1_4_public_duty";
    o.reason = "支援につなぐため";
    o.note = (const uint8_t *)note;
    o.note_len = strlen(note);
    return council_referral_propose(s, rid, 16, &o);
}

static Council__V1__Referral *get(council *s, const uint8_t rid[16])
{
    council_buf out = { NULL, 0 };
    Council__V1__Referral *m;

    assert_int_equal(council_referral_get(s, &out, rid, 16), COUNCIL_OK);
    m = council__v1__referral__unpack(NULL, out.len, out.ptr);
    assert_non_null(m);
    council_buf_free(&out);
    return m;
}

static int state_of(council *s, const uint8_t rid[16])
{
    Council__V1__Referral *m = get(s, rid);
    int st = (int)m->state;

    council__v1__referral__free_unpacked(m, NULL);
    return st;
}

static int reads(council *s, const uint8_t cid[16], const uint8_t pid[16])
{
    int rc;
    char *t = get_text(s, cid, pid, "situation", &rc);

    if (rc == COUNCIL_OK) {
        assert_string_equal(t, CANARY_TEXT);
        free(t);
    }
    return rc;
}

/* The last event: its action, outcome and whether it names the referral. */
static void last_is(council *c, int action, int outcome, const uint8_t rid[16])
{
    Council__V1__AuditEvent *e = last_event(c);

    assert_int_equal(e->action, action);
    assert_int_equal(e->outcome, outcome);
    if (rid != NULL) {
        assert_true(e->has_object_id);
        assert_int_equal(e->object_id.len, 16);
        assert_memory_equal(e->object_id.data, rid, 16);
    }
    council__v1__audit_event__free_unpacked(e, NULL);
}

#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define REFUSED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED

/* Proposed by A, refused by the unentitled, accepted by C, delivered by A,
 * read by C, completed (the share ends), and nothing after a final state. */
static void test_referral__accept_deliver_complete(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], rid[16];
    council *a, *b, *cc;
    council_buf out = { NULL, 0 };

    a_case(f, &a, cid, pid);
    assert_int_equal(propose(a, rid, cid, f->mc, "situation"), COUNCIL_OK);
    last_is(f->c, COUNCIL_AUDIT_ACTION_REFERRAL_PROPOSED, ALLOWED, rid);
    cc = staff_open(f, f->sc, &f->kc);
    b = staff_open(f, f->sb, &f->kb);
    assert_int_equal(state_of(cc, rid), COUNCIL_REFERRAL_PROPOSED);
    /* Before acceptance the recipient reads the note, not the case. */
    assert_int_equal(reads(cc, cid, pid), COUNCIL_EDENIED);
    assert_int_equal(council_referral_note(cc, &out, rid, 16, COUNCIL_REFERRAL_NOTE), COUNCIL_OK);
    assert_int_equal(out.len, strlen(note));
    assert_memory_equal(out.ptr, note, out.len);
    council_buf_free(&out);
    last_is(f->c, COUNCIL_AUDIT_ACTION_REFERRAL_PROPOSED, ALLOWED, rid);
    /* B is neither side: it cannot see, read the note of, or act on it. */
    assert_int_equal(council_referral_get(b, &out, rid, 16), COUNCIL_EDENIED);
    assert_int_equal(council_referral_note(b, &out, rid, 16, COUNCIL_REFERRAL_NOTE), COUNCIL_EDENIED);
    assert_null(out.ptr);
    assert_int_equal(council_referral_transition(b, rid, 16, COUNCIL_REFERRAL_ACCEPTED, NULL, NULL,
                                                 0, 0), COUNCIL_EDENIED);
    last_is(f->c, COUNCIL_AUDIT_ACTION_REFERRAL_ACCEPTED, REFUSED, rid);
    /* The sender cannot accept its own offer; the recipient cannot withdraw it. */
    assert_int_equal(council_referral_transition(a, rid, 16, COUNCIL_REFERRAL_ACCEPTED, NULL, NULL,
                                                 0, 0), COUNCIL_EDENIED);
    assert_int_equal(council_referral_transition(cc, rid, 16, COUNCIL_REFERRAL_WITHDRAWN, NULL,
                                                 NULL, 0, 0), COUNCIL_EDENIED);
    last_is(f->c, COUNCIL_AUDIT_ACTION_REFERRAL_WITHDRAWN, REFUSED, rid);
    /* Not accepted yet: nothing to deliver; completing skips a step. */
    assert_int_equal(council_referral_deliver(a, rid, 16), COUNCIL_EINVAL);
    assert_int_equal(council_referral_transition(cc, rid, 16, COUNCIL_REFERRAL_COMPLETED, NULL,
                                                 NULL, 0, 0), COUNCIL_EINVAL);
    last_is(f->c, COUNCIL_AUDIT_ACTION_REFERRAL_COMPLETED, REFUSED, rid);
    assert_int_equal(state_of(cc, rid), COUNCIL_REFERRAL_PROPOSED);
    /* C accepts: its staff hold no key to wrap, so A delivers. */
    assert_int_equal(council_referral_transition(cc, rid, 16, COUNCIL_REFERRAL_ACCEPTED, NULL, NULL,
                                                 0, 0), COUNCIL_OK);
    last_is(f->c, COUNCIL_AUDIT_ACTION_REFERRAL_ACCEPTED, ALLOWED, rid);
    assert_int_equal(state_of(a, rid), COUNCIL_REFERRAL_ACCEPTED);
    assert_int_equal(reads(cc, cid, pid), COUNCIL_EDENIED);
    assert_int_equal(council_referral_deliver(cc, rid, 16), COUNCIL_EDENIED);
    assert_int_equal(council_referral_deliver(a, rid, 16), COUNCIL_OK);
    last_is(f->c, COUNCIL_AUDIT_ACTION_REFERRAL_ACCEPTED, ALLOWED, rid);
    assert_int_equal(reads(cc, cid, pid), COUNCIL_OK);
    {
        Council__V1__Referral *m = get(cc, rid);
        assert_int_equal(m->n_steps, 2);
        assert_int_equal(m->steps[1]->state, COUNCIL_REFERRAL_ACCEPTED);
        assert_true(m->steps[1]->has_by_staff);
        assert_memory_equal(m->steps[1]->by_staff.data, f->sc, 16);
        assert_int_equal(m->n_shared_scopes, 1);
        assert_string_equal(m->shared_scopes[0], "situation");
        assert_memory_equal(m->from_member.data, f->ma, 16);
        assert_memory_equal(m->to_member.data, f->mc, 16);
        council__v1__referral__free_unpacked(m, NULL);
    }
    /* Completed: the share ends with it (wraps gone; A rotates the key). */
    assert_int_equal(council_referral_transition(cc, rid, 16, COUNCIL_REFERRAL_COMPLETED, "done",
                                                 NULL, 0, 0), COUNCIL_OK);
    last_is(f->c, COUNCIL_AUDIT_ACTION_REFERRAL_COMPLETED, ALLOWED, rid);
    assert_int_equal(reads(cc, cid, pid), COUNCIL_EDENIED);
    assert_int_equal(council_referral_deliver(a, rid, 16), COUNCIL_OK);
    /* From a final state: EINVAL, logged. */
    assert_int_equal(council_referral_transition(cc, rid, 16, COUNCIL_REFERRAL_ENDED, "x", NULL, 0,
                                                 0), COUNCIL_EINVAL);
    last_is(f->c, COUNCIL_AUDIT_ACTION_REFERRAL_ENDED, REFUSED, rid);
    assert_int_equal(council_referral_transition(f->c, rid, 16, COUNCIL_REFERRAL_ACCEPTED, NULL,
                                                 NULL, 0, 0), COUNCIL_EINVAL);
    assert_int_equal(state_of(f->c, rid), COUNCIL_REFERRAL_COMPLETED);
    /* Lists: by member, by state, by case. */
    {
        council_referral_filter flt = COUNCIL_REFERRAL_FILTER_INIT;
        Council__V1__ReferralList *l;
        flt.state = COUNCIL_REFERRAL_COMPLETED;
        assert_int_equal(council_referral_list(cc, &out, &flt), COUNCIL_OK);
        l = council__v1__referral_list__unpack(NULL, out.len, out.ptr);
        assert_non_null(l);
        assert_int_equal(l->n_referrals, 1);
        council__v1__referral_list__free_unpacked(l, NULL);
        council_buf_free(&out);
        assert_int_equal(council_referral_list(b, &out, NULL), COUNCIL_OK);
        l = council__v1__referral_list__unpack(NULL, out.len, out.ptr);
        assert_non_null(l);
        assert_int_equal(l->n_referrals, 0);
        council__v1__referral_list__free_unpacked(l, NULL);
        council_buf_free(&out);
        flt.state = COUNCIL_REFERRAL_PROPOSED;
        assert_int_equal(council_referral_list(f->c, &out, &flt), COUNCIL_OK);
        l = council__v1__referral_list__unpack(NULL, out.len, out.ptr);
        assert_int_equal(l->n_referrals, 0);
        council__v1__referral_list__free_unpacked(l, NULL);
        council_buf_free(&out);
    }
    {
        int64_t n[6];
        assert_int_equal(council__referral_counts(f->c, "test", 0, INT64_MAX, n), COUNCIL_OK);
        assert_int_equal(n[COUNCIL_REFERRAL_COMPLETED - 1], 1);
        assert_int_equal(n[COUNCIL_REFERRAL_PROPOSED - 1], 0);
    }
    council_close(a);
    council_close(b);
    council_close(cc);
}

/* Read while deciding: the share at the proposal; the decline ends it (the
 * recipient no longer reads), with a reason the sender reads. */
static void test_referral__decline_revokes(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], rid[16];
    council *a, *cc;
    council_buf out = { NULL, 0 };
    int on = -1;
    static const char why[] = "定員のため受け入れられません";

    a_case(f, &a, cid, pid);
    cc = staff_open(f, f->sc, &f->kc);
    /* Only the secretariat sets it. */
    assert_int_equal(council_referral_read_while_deciding_set(a, 1), COUNCIL_EDENIED);
    assert_int_equal(council_referral_read_while_deciding_get(a, &on), COUNCIL_OK);
    assert_int_equal(on, 0);
    assert_int_equal(council_referral_read_while_deciding_set(f->c, 1), COUNCIL_OK);
    last_is(f->c, COUNCIL_AUDIT_ACTION_SETTING_CHANGED, ALLOWED, NULL);
    assert_int_equal(council_referral_read_while_deciding_get(a, &on), COUNCIL_OK);
    assert_int_equal(on, 1);
    assert_int_equal(propose(a, rid, cid, f->mc, "situation"), COUNCIL_OK);
    assert_int_equal(reads(cc, cid, pid), COUNCIL_OK);
    /* A decline needs a reason code. */
    assert_int_equal(council_referral_transition(cc, rid, 16, COUNCIL_REFERRAL_DECLINED, NULL, NULL,
                                                 0, 0), COUNCIL_EINVAL);
    assert_int_equal(council_referral_transition(cc, rid, 16, COUNCIL_REFERRAL_DECLINED, "no_capacity",
                                                 (const uint8_t *)why, strlen(why), 0), COUNCIL_OK);
    last_is(f->c, COUNCIL_AUDIT_ACTION_REFERRAL_DECLINED, ALLOWED, rid);
    assert_int_equal(reads(cc, cid, pid), COUNCIL_EDENIED);
    /* The sender reads the written reason (step 1); the note's copy of C went. */
    assert_int_equal(council_referral_note(a, &out, rid, 16, 1), COUNCIL_OK);
    assert_memory_equal(out.ptr, why, strlen(why));
    council_buf_free(&out);
    assert_int_equal(council_referral_note(cc, &out, rid, 16, COUNCIL_REFERRAL_NOTE), COUNCIL_EDENIED);
    /* C's staff could not rotate: A settles it, and the list empties. */
    {
        Council__V1__Referral *m = get(a, rid);
        assert_int_equal(m->n_shared_scopes, 1);
        assert_string_equal(m->steps[1]->reason_code, "no_capacity");
        council__v1__referral__free_unpacked(m, NULL);
    }
    assert_int_equal(council_referral_deliver(a, rid, 16), COUNCIL_OK);
    {
        Council__V1__Referral *m = get(a, rid);
        assert_int_equal(m->n_shared_scopes, 0);
        council__v1__referral__free_unpacked(m, NULL);
    }
    assert_int_equal(reads(cc, cid, pid), COUNCIL_EDENIED);
    council_close(a);
    council_close(cc);
}

static uint64_t log_size(council *c)
{
    uint64_t n = 0;

    assert_int_equal(council__audit_size(c, &n), COUNCIL_OK);
    return n;
}

static size_t n_shared(council *s, const uint8_t rid[16])
{
    Council__V1__Referral *m = get(s, rid);
    size_t n = m->n_shared_scopes;

    council__v1__referral__free_unpacked(m, NULL);
    return n;
}

/* Delivery is one transaction: the share, the shared list and the event
 * stand together or not at all (an append that fails after the share left
 * the share granted and returned an error). Out of memory on the way is an
 * error, not a tamper finding (the log check took ENOMEM for an edit). The
 * secretariat's acceptance (share, then step) is one transaction too. */
static void test_referral__deliver_all_or_nothing(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], rid[16], cid2[16], pid2[16], rid2[16];
    council *a, *cc;
    uint64_t n0;
    int rc = COUNCIL_ERROR;

    a_case(f, &a, cid, pid);
    cc = staff_open(f, f->sc, &f->kc);
    assert_int_equal(propose(a, rid, cid, f->mc, "situation"), COUNCIL_OK);
    assert_int_equal(council_referral_transition(cc, rid, 16, COUNCIL_REFERRAL_ACCEPTED, NULL, NULL,
                                                 0, 0), COUNCIL_OK);
    /* The referral's event fails after the share's. */
    n0 = log_size(f->c);
    council__audit_fault_after(1);
    assert_int_not_equal(council_referral_deliver(a, rid, 16), COUNCIL_OK);
    council__audit_fault_after(-1);
    assert_int_equal(log_size(f->c), n0);
    assert_int_equal(reads(cc, cid, pid), COUNCIL_EDENIED);
    assert_int_equal(n_shared(a, rid), 0);
    /* Each allocation failing in turn: an error, nothing on the record. */
    n0 = log_size(f->c); /* the refused read is */
    for (long n = 0; n < 400; n++) {
        council__fault_alloc_after(n);
        rc = council_referral_deliver(a, rid, 16);
        council__fault_alloc_after(-1);
        if (rc == COUNCIL_OK)
            break;
        assert_int_equal(rc, COUNCIL_ENOMEM);
        assert_int_equal(log_size(f->c), n0);
    }
    assert_int_equal(rc, COUNCIL_OK);
    last_is(f->c, COUNCIL_AUDIT_ACTION_REFERRAL_ACCEPTED, ALLOWED, rid);
    assert_int_equal(reads(cc, cid, pid), COUNCIL_OK);
    assert_int_equal(n_shared(a, rid), 1);
    /* The secretariat accepts on C's behalf: the step's event fails. */
    new_case(a, cid2, pid2);
    put(a, cid2, pid2, "situation", sec_text(CANARY_TEXT), COUNCIL_OK);
    assert_int_equal(propose(f->c, rid2, cid2, f->mc, "situation"), COUNCIL_OK);
    n0 = log_size(f->c);
    council__audit_fault_after(1);
    assert_int_not_equal(council_referral_transition(f->c, rid2, 16, COUNCIL_REFERRAL_ACCEPTED,
                                                     NULL, NULL, 0, 0), COUNCIL_OK);
    council__audit_fault_after(-1);
    assert_int_equal(log_size(f->c), n0);
    assert_int_equal(state_of(f->c, rid2), COUNCIL_REFERRAL_PROPOSED);
    assert_int_equal(n_shared(f->c, rid2), 0);
    assert_int_equal(reads(cc, cid2, pid2), COUNCIL_EDENIED);
    assert_int_equal(council_referral_transition(f->c, rid2, 16, COUNCIL_REFERRAL_ACCEPTED, NULL,
                                                 NULL, 0, 0), COUNCIL_OK);
    assert_int_equal(reads(cc, cid2, pid2), COUNCIL_OK);
    council_close(a);
    council_close(cc);
}

/* The secretariat accepts on C's behalf (the share at once); C ends it.
 * A withdraws another; the recipient cannot accept it after that. */
static void test_referral__secretariat_end_withdraw(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], rid[16], rid2[16];
    council *a, *cc;

    a_case(f, &a, cid, pid);
    cc = staff_open(f, f->sc, &f->kc);
    assert_int_equal(propose(f->c, rid, cid, f->mc, "situation"), COUNCIL_OK);
    assert_int_equal(council_referral_transition(f->c, rid, 16, COUNCIL_REFERRAL_ACCEPTED, NULL,
                                                 NULL, 0, 0), COUNCIL_OK);
    assert_int_equal(reads(cc, cid, pid), COUNCIL_OK);
    assert_int_equal(council_referral_transition(cc, rid, 16, COUNCIL_REFERRAL_ENDED, NULL, NULL, 0,
                                                 0), COUNCIL_EINVAL);
    assert_int_equal(council_referral_transition(cc, rid, 16, COUNCIL_REFERRAL_ENDED, "moved_away",
                                                 NULL, 0, 0), COUNCIL_OK);
    last_is(f->c, COUNCIL_AUDIT_ACTION_REFERRAL_ENDED, ALLOWED, rid);
    assert_int_equal(reads(cc, cid, pid), COUNCIL_EDENIED);
    /* Withdrawn before an answer. */
    assert_int_equal(propose(a, rid2, cid, f->mc, "situation"), COUNCIL_OK);
    assert_int_equal(council_referral_transition(a, rid2, 16, COUNCIL_REFERRAL_WITHDRAWN, NULL, NULL,
                                                 0, 0), COUNCIL_OK);
    last_is(f->c, COUNCIL_AUDIT_ACTION_REFERRAL_WITHDRAWN, ALLOWED, rid2);
    assert_int_equal(council_referral_transition(cc, rid2, 16, COUNCIL_REFERRAL_ACCEPTED, NULL, NULL,
                                                 0, 0), COUNCIL_EINVAL);
    last_is(f->c, COUNCIL_AUDIT_ACTION_REFERRAL_ACCEPTED, REFUSED, rid2);
    assert_int_equal(reads(cc, cid, pid), COUNCIL_EDENIED);
    /* A completed referral may keep its share. */
    assert_int_equal(propose(a, rid2, cid, f->mc, "situation"), COUNCIL_OK);
    assert_int_equal(council_referral_transition(f->c, rid2, 16, COUNCIL_REFERRAL_ACCEPTED, NULL,
                                                 NULL, 0, 0), COUNCIL_OK);
    assert_int_equal(council_referral_transition(cc, rid2, 16, COUNCIL_REFERRAL_COMPLETED, NULL,
                                                 NULL, 0, COUNCIL_REFERRAL_KEEP_SHARE), COUNCIL_OK);
    assert_int_equal(reads(cc, cid, pid), COUNCIL_OK);
    council_close(a);
    council_close(cc);
}

/* The decision at the proposal: outside the ceiling, a consent that does
 * not exist, a session not entitled: each refused and logged. */
static void test_referral__propose_refused(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], rid[16], fake[16] = { 1 };
    council *a, *b;
    council_referral_options o = COUNCIL_REFERRAL_OPTIONS_INIT;
    const char *sc[1] = { "situation" };

    a_case(f, &a, cid, pid);
    b = staff_open(f, f->sb, &f->kb);
    /* B's ceiling has no health. */
    assert_int_equal(propose(a, rid, cid, f->mb, "health"), COUNCIL_EDENIED);
    last_is(f->c, COUNCIL_AUDIT_ACTION_REFERRAL_PROPOSED, REFUSED, NULL);
    /* B does not own the case. */
    assert_int_equal(propose(b, rid, cid, f->mc, "situation"), COUNCIL_EDENIED);
    last_is(f->c, COUNCIL_AUDIT_ACTION_REFERRAL_PROPOSED, REFUSED, NULL);
    /* A consent that is not on the record. */
    o.case_id = cid;
    o.case_id_len = 16;
    o.to_member = f->mc;
    o.to_member_len = 16;
    o.scopes = sc;
    o.n_scopes = 1;
    o.basis = "consent";
    o.consent_id = fake;
    o.consent_id_len = 16;
    assert_int_equal(council_referral_propose(a, rid, 16, &o), COUNCIL_ENOCONSENT);
    last_is(f->c, COUNCIL_AUDIT_ACTION_DISCLOSURE_REFUSED, REFUSED, NULL);
    /* The owner as recipient; a bad note. */
    assert_int_equal(propose(a, rid, cid, f->ma, "situation"), COUNCIL_EINVAL);
    o.basis = "appi_27_1_4_public_duty";
    o.consent_id = NULL;
    o.consent_id_len = 0;
    o.reason = "理由";
    o.note = (const uint8_t *)"\x01";
    o.note_len = 1;
    assert_int_equal(council_referral_propose(a, rid, 16, &o), COUNCIL_EINVAL);
    assert_int_equal(count(f->c, "SELECT count(*) FROM referral;", NULL), 0);
    council_close(a);
    council_close(b);
}

/* The insider: C writes "accepted" into the store itself, or changes the
 * offer; nothing is delivered, and the finding is on the record. */
static void test_referral__forged_rows(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], rid[16];
    council *a, *cc;
    council_buf out = { NULL, 0 };
    sqlite3_stmt *st;

    a_case(f, &a, cid, pid);
    cc = staff_open(f, f->sc, &f->kc);
    assert_int_equal(propose(a, rid, cid, f->mc, "situation"), COUNCIL_OK);
    /* A step row with the proposal's signature, claiming acceptance. */
    assert_int_equal(sqlite3_prepare_v2(cc->db, "INSERT INTO referral_step (referral_id, seq, state, "
                                        "at, by_staff, signer, sig) SELECT referral_id, 1, 2, at, ?2, "
                                        "?3, sig FROM referral_step WHERE referral_id = ?1;", -1,
                                        &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, rid, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, f->sc, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, f->mc, 16, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    assert_int_equal(council_referral_deliver(a, rid, 16), COUNCIL_ETAMPER);
    last_is(f->c, COUNCIL_AUDIT_ACTION_TAMPER_DETECTED, REFUSED, NULL);
    assert_int_equal(reads(cc, cid, pid), COUNCIL_EDENIED);
    assert_int_equal(council_referral_get(f->c, &out, rid, 16), COUNCIL_ETAMPER);
    assert_null(out.ptr);
    assert_int_equal(sqlite3_exec(cc->db, "DELETE FROM referral_step WHERE seq = 1;", NULL, NULL,
                                  NULL), SQLITE_OK);
    assert_int_equal(state_of(a, rid), COUNCIL_REFERRAL_PROPOSED);
    /* The offer widened by the insider (another scope). */
    assert_int_equal(sqlite3_exec(cc->db, "UPDATE referral SET scopes = 'situation,health';", NULL,
                                  NULL, NULL), SQLITE_OK);
    assert_int_equal(council_referral_transition(cc, rid, 16, COUNCIL_REFERRAL_ACCEPTED, NULL, NULL,
                                                 0, 0), COUNCIL_ETAMPER);
    assert_int_equal(council_referral_transition(f->c, rid, 16, COUNCIL_REFERRAL_ACCEPTED, NULL,
                                                 NULL, 0, 0), COUNCIL_ETAMPER);
    assert_int_equal(reads(cc, cid, pid), COUNCIL_EDENIED);
    assert_int_equal(sqlite3_exec(cc->db, "UPDATE referral SET scopes = 'situation';", NULL, NULL,
                                  NULL), SQLITE_OK);
    /* A shared list the insider wrote (to keep its share past a decline). */
    assert_int_equal(sqlite3_exec(cc->db, "UPDATE referral SET shared = 'identity';", NULL, NULL,
                                  NULL), SQLITE_OK);
    assert_int_equal(council_referral_get(a, &out, rid, 16), COUNCIL_ETAMPER);
    assert_null(out.ptr);
    council_close(a);
    council_close(cc);
}

/* The last event is a tamper finding with this reason. */
static void last_finding(council *c, const char *reason)
{
    Council__V1__AuditEvent *e = last_event(c);

    assert_int_equal(e->action, COUNCIL_AUDIT_ACTION_TAMPER_DETECTED);
    assert_string_equal(e->reason, reason);
    council__v1__audit_event__free_unpacked(e, NULL);
}

/* C's staff sign an "accepted" step (the library's own signing, with C's
 * key: a step C is entitled to take from "proposed") where step `seq` was. */
static void sign_accepted(council *cc, const uint8_t rid[16], uint32_t seq)
{
    council__referral_row *r = calloc(1, sizeof *r);
    council__referral_step s;

    assert_non_null(r);
    assert_int_equal(council__referral_load(cc, "test", rid, r), COUNCIL_OK);
    assert_int_equal(r->state, COUNCIL_REFERRAL_PROPOSED);
    memset(&s, 0, sizeof s);
    s.state = COUNCIL_REFERRAL_ACCEPTED;
    s.at = (int64_t)time(NULL);
    s.has_by = true;
    memcpy(s.by, cc->actor_staff, 16);
    assert_int_equal(council__referral_put_step(cc, "test", r, seq, &s), COUNCIL_OK);
    free(r);
}

/* The insider rolls a referral back: C's staff delete the "withdrawn" (or
 * "declined") step and sign their own "accepted". The rows check, but the
 * log holds the real history: deliver and every later step fail closed,
 * with the finding on the record, and C never reads the case. */
static void test_referral__rolled_back(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], rid[16], rid2[16];
    council *a, *cc;

    a_case(f, &a, cid, pid);
    cc = staff_open(f, f->sc, &f->kc);
    /* The library's own reason codes are no transition's. */
    assert_int_equal(propose(a, rid, cid, f->mc, "situation"), COUNCIL_OK);
    assert_int_equal(council_referral_transition(cc, rid, 16, COUNCIL_REFERRAL_DECLINED,
                                                 "referral_note_read", NULL, 0, 0), COUNCIL_EINVAL);
    assert_int_equal(council_referral_transition(cc, rid, 16, COUNCIL_REFERRAL_DECLINED,
                                                 "referral_delivered", NULL, 0, 0), COUNCIL_EINVAL);
    /* Withdrawn by A; C deletes that step and signs "accepted". */
    assert_int_equal(council_referral_transition(a, rid, 16, COUNCIL_REFERRAL_WITHDRAWN, NULL, NULL,
                                                 0, 0), COUNCIL_OK);
    assert_int_equal(sqlite3_exec(cc->db, "DELETE FROM referral_step WHERE seq = 1;", NULL, NULL,
                                  NULL), SQLITE_OK);
    sign_accepted(cc, rid, 1);
    assert_int_equal(state_of(a, rid), COUNCIL_REFERRAL_ACCEPTED); /* the rows alone check */
    assert_int_equal(council_referral_deliver(a, rid, 16), COUNCIL_ETAMPER);
    last_finding(f->c, "referral_rolled_back");
    assert_int_equal(council_referral_deliver(f->c, rid, 16), COUNCIL_ETAMPER);
    last_finding(f->c, "referral_rolled_back");
    assert_int_equal(council_referral_transition(cc, rid, 16, COUNCIL_REFERRAL_COMPLETED, NULL,
                                                 NULL, 0, COUNCIL_REFERRAL_KEEP_SHARE), COUNCIL_ETAMPER);
    assert_int_equal(reads(cc, cid, pid), COUNCIL_EDENIED);
    /* Back to "proposed" only: C accepts through the library; the log's
     * "withdrawn" refuses it. */
    assert_int_equal(sqlite3_exec(cc->db, "DELETE FROM referral_step WHERE seq = 1;", NULL, NULL,
                                  NULL), SQLITE_OK);
    assert_int_equal(council_referral_transition(cc, rid, 16, COUNCIL_REFERRAL_ACCEPTED, NULL, NULL,
                                                 0, 0), COUNCIL_ETAMPER);
    last_finding(f->c, "referral_rolled_back");
    assert_int_equal(council_referral_transition(f->c, rid, 16, COUNCIL_REFERRAL_ACCEPTED, NULL,
                                                 NULL, 0, 0), COUNCIL_ETAMPER);
    assert_int_equal(reads(cc, cid, pid), COUNCIL_EDENIED);
    /* Declined by C itself, then rolled back by C's staff. */
    assert_int_equal(propose(a, rid2, cid, f->mc, "situation"), COUNCIL_OK);
    assert_int_equal(council_referral_transition(cc, rid2, 16, COUNCIL_REFERRAL_DECLINED,
                                                 "no_capacity", NULL, 0, 0), COUNCIL_OK);
    assert_int_equal(sqlite3_exec(cc->db, "DELETE FROM referral_step WHERE seq = 1 AND state = 3;",
                                  NULL, NULL, NULL), SQLITE_OK);
    sign_accepted(cc, rid2, 1);
    assert_int_equal(council_referral_deliver(a, rid2, 16), COUNCIL_ETAMPER);
    last_finding(f->c, "referral_rolled_back");
    assert_int_equal(reads(cc, cid, pid), COUNCIL_EDENIED);
    council_close(a);
    council_close(cc);
}

/* The setting written by the insider (on, to read while deciding) is
 * refused as forged, and the proposal fails closed; a decision id given is
 * returned as stored. */
static void test_referral__forged_setting_and_decision(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], rid[16], dec[16] = { 0xde, 0xc1 };
    council *a, *cc;
    int on = 0;
    council_referral_options o = COUNCIL_REFERRAL_OPTIONS_INIT;
    const char *sc[1] = { "situation" };

    a_case(f, &a, cid, pid);
    cc = staff_open(f, f->sc, &f->kc);
    assert_int_equal(sqlite3_exec(cc->db, "INSERT OR REPLACE INTO setting (key, value) VALUES "
                                  "('referral_read_while_deciding', x'01');", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(council_referral_read_while_deciding_get(cc, &on), COUNCIL_ETAMPER);
    assert_int_equal(on, 0);
    assert_int_equal(propose(a, rid, cid, f->mc, "situation"), COUNCIL_ETAMPER);
    assert_int_equal(reads(cc, cid, pid), COUNCIL_EDENIED);
    assert_int_equal(count(f->c, "SELECT count(*) FROM referral;", NULL), 0);
    /* Set again by the secretariat, it holds. */
    assert_int_equal(council_referral_read_while_deciding_set(f->c, 0), COUNCIL_OK);
    o.case_id = cid;
    o.case_id_len = 16;
    o.person_id = pid;
    o.person_id_len = 16;
    o.to_member = f->mc;
    o.to_member_len = 16;
    o.scopes = sc;
    o.n_scopes = 1;
    o.basis = "appi_27_1_4_public_duty";
    o.reason = "理由";
    o.decision_id = dec;
    o.decision_id_len = 16;
    /* A decision id that names no decision of a meeting about this case. */
    assert_int_equal(council_referral_propose(a, rid, 16, &o), COUNCIL_ENOTFOUND);
    {
        council_meeting_options mo = COUNCIL_MEETING_OPTIONS_INIT;
        council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
        uint8_t mid[16], other[16];
        int64_t now = (int64_t)time(NULL);

        mo.body = COUNCIL_MEETING_BODY_COUNCIL;
        mo.starts = now - 60;
        mo.ends = now + 3600;
        mo.attendees = f->mc;
        mo.n_attendees = 1;
        assert_int_equal(council_meeting_create(f->c, mid, 16, &mo), COUNCIL_OK);
        so.scopes = sc;
        so.n_scopes = 1;
        so.purpose = "meeting_discussion";
        so.basis = "appi_27_1_4_public_duty";
        so.reason = "支援方針の協議";
        assert_int_equal(council_meeting_add_case(f->c, mid, 16, cid, 16, f->mc, 16, &so), COUNCIL_OK);
        /* A decision about no case is not a decision about this one. */
        assert_int_equal(council_meeting_decide(f->c, other, 16, mid, 16, NULL, 0, "次回は来月"),
                         COUNCIL_OK);
        o.decision_id = other;
        assert_int_equal(council_referral_propose(a, rid, 16, &o), COUNCIL_ENOTFOUND);
        assert_int_equal(council_meeting_decide(f->c, dec, 16, mid, 16, cid, 16, "Cにつなぐ"),
                         COUNCIL_OK);
        o.decision_id = dec;
    }
    assert_int_equal(council_referral_propose(a, rid, 16, &o), COUNCIL_OK);
    {
        Council__V1__Referral *m = get(cc, rid);
        assert_true(m->has_decision_id);
        assert_memory_equal(m->decision_id.data, dec, 16);
        assert_true(m->has_person_id);
        assert_memory_equal(m->person_id.data, pid, 16);
        assert_false(m->has_note);
        assert_string_equal(m->purpose, "referral");
        council__v1__referral__free_unpacked(m, NULL);
    }
    /* The decision id changed by the insider: the offer is forged. */
    assert_int_equal(sqlite3_exec(cc->db, "UPDATE referral SET decision_id = zeroblob(16);", NULL,
                                  NULL, NULL), SQLITE_OK);
    assert_int_equal(council_referral_transition(cc, rid, 16, COUNCIL_REFERRAL_ACCEPTED, NULL, NULL,
                                                 0, 0), COUNCIL_ETAMPER);
    council_close(a);
    council_close(cc);
}

/* The rows A's and C's staff signed stay valid when their keys are
 * replaced and when they withdraw: the council signs them again first. */
static void test_referral__signers_leave(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], rid[16];
    council *a, *cc;
    council_buf out = { NULL, 0 }, kf = { NULL, 0 };

    a_case(f, &a, cid, pid);
    assert_int_equal(propose(a, rid, cid, f->mc, "situation"), COUNCIL_OK);
    cc = staff_open(f, f->sc, &f->kc);
    assert_int_equal(council_referral_transition(cc, rid, 16, COUNCIL_REFERRAL_ACCEPTED, NULL,
                                                 NULL, 0, 0), COUNCIL_OK);
    council_close(cc);
    council_close(a);
    assert_int_equal(council_member_keygen(f->c, &kf, f->mc, 16, (const uint8_t *)MPASS,
                                           strlen(MPASS), TH_OPS, TH_MEM), COUNCIL_OK);
    council_buf_free(&f->kc);
    f->kc = kf;
    assert_int_equal(council_member_withdraw(f->c, f->ma, 16, 0, "退会"), COUNCIL_OK);
    {
        Council__V1__Referral *m = get(f->c, rid);
        assert_int_equal(m->state, COUNCIL_REFERRAL_ACCEPTED);
        council__v1__referral__free_unpacked(m, NULL);
    }
    assert_int_equal(council_referral_list(f->c, &out, NULL), COUNCIL_OK);
    council_buf_free(&out);
    assert_int_equal(council_report_platform(f->c, &out, 0, COUNCIL_REPORT_JSON), COUNCIL_OK);
    council_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_referral__accept_deliver_complete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_referral__decline_revokes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_referral__secretariat_end_withdraw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_referral__deliver_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_referral__propose_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_referral__forged_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_referral__signers_leave, setup, teardown),
        cmocka_unit_test_setup_teardown(test_referral__rolled_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_referral__forged_setting_and_decision, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
