/*
 * test_transfer.c - cases that move (council_case_transfer, a withdrawal
 * that says where the cases go, council_member_cases) and anonymous intake
 * with person merges (council_person_merge). The insider's attempts first:
 * a member holding the database key writes transfer and person rows
 * itself, and the library fails closed.
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
#include "council/v1/task.pb-c.h"
#include "attest.h"
#include "consent_db.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x

/* A case of A's (created by A's staff) with an identity and a situation. */
static void a_case(fx *f, uint8_t cid[16], uint8_t pid[16])
{
    council *a = staff_open(f, f->sa, &f->ka);

    new_case(a, cid, pid);
    put(a, cid, pid, "identity", sec_identity(CANARY_NAME, "1950-01-02"), COUNCIL_OK);
    put(a, cid, pid, "situation", sec_text(CANARY_TEXT), COUNCIL_OK);
    council_close(a);
}

static council_transfer_options duty(void)
{
    council_transfer_options o = COUNCIL_TRANSFER_OPTIONS_INIT;

    o.basis = "appi_27_1_4_public_duty";
    o.reason = "担当の引継ぎ";
    return o;
}

static void owner_is(fx *f, const uint8_t cid[16], const uint8_t want[16])
{
    council_buf out = { NULL, 0 };
    Council__V1__CaseInfo *m;

    assert_int_equal(council_case_get(f->c, &out, cid, 16), COUNCIL_OK);
    m = council__v1__case_info__unpack(NULL, out.len, out.ptr);
    assert_non_null(m);
    assert_int_equal(m->owner_member.len, 16);
    assert_memory_equal(m->owner_member.data, want, 16);
    council__v1__case_info__free_unpacked(m, NULL);
    council_buf_free(&out);
}

static size_t n_cases(council *c, const uint8_t member_id[16], int *rc)
{
    council_buf out = { NULL, 0 };
    Council__V1__CaseList *l;
    size_t n;

    *rc = council_member_cases(c, &out, member_id, 16);
    if (*rc != COUNCIL_OK)
        return 0;
    l = council__v1__case_list__unpack(NULL, out.len, out.ptr);
    assert_non_null(l);
    n = l->n_cases;
    council__v1__case_list__free_unpacked(l, NULL);
    council_buf_free(&out);
    return n;
}

/* The message the council signs for a transfer (case_db.c). */
static size_t transfer_msg(uint8_t *m, const uint8_t cid[16], uint64_t seq, const uint8_t from[16],
                           const uint8_t to[16], uint64_t at, const char *reason)
{
    uint8_t *p = council__put_bytes(m, cid, 16);

    p = council__put_u64(p, seq);
    p = council__put_bytes(p, from, 16);
    p = council__put_bytes(p, to, 16);
    p = council__put_u64(p, at);
    p = council__put_bytes(p, reason, strlen(reason) + 1);
    return (size_t)(p - m);
}

static void insert_transfer(council *c, const uint8_t cid[16], int64_t seq, const uint8_t from[16],
                            const uint8_t to[16], const uint8_t signer[16], const uint8_t sig[64])
{
    sqlite3_stmt *st = NULL;

    assert_int_equal(sqlite3_prepare_v2(c->db, "INSERT INTO case_transfer (case_id, seq, "
                                        "from_member, to_member, at, reason, signer, sig) VALUES "
                                        "(?1, ?2, ?3, ?4, 1000, 'by_agreement', ?5, ?6);", -1, &st,
                                        NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, seq);
    sqlite3_bind_blob(st, 3, from, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, to, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, signer, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 6, sig, 64, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static void set_owner(council *c, const uint8_t cid[16], const uint8_t owner[16])
{
    sqlite3_stmt *st = NULL;

    assert_int_equal(sqlite3_prepare_v2(c->db, "UPDATE case_record SET owner = ?2 WHERE id = ?1;",
                                        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, owner, 16, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* The insider (B's staff, holding the database key) makes itself owner of
 * A's case: with an unsigned transfer row, with one signed by its own
 * member's key, or by moving a genuine transfer to itself. Each fails
 * closed with a finding; B never reads. */
static void test_insider_transfer(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], sig[64], zero[16] = { 0 }, signer[16];
    uint8_t m[128];
    council_transfer_options o = duty();
    council *b;
    int rc;
    char *t;

    a_case(f, cid, pid);
    b = staff_open(f, f->sb, &f->kb);
    /* B's staff cannot transfer (secretariat only; logged). */
    assert_int_equal(council_case_transfer(b, cid, 16, f->mb, 16, &o), COUNCIL_EDENIED);
    assert_int_equal(th_last_action(f->c), ACT(CASE_TRANSFERRED));
    /* 1. An unsigned (zero-signature) row naming the council as signer. */
    memset(sig, 0, sizeof sig);
    insert_transfer(b, cid, 1, f->ma, f->mb, zero, sig);
    set_owner(b, cid, f->mb);
    t = get_text(b, cid, pid, "situation", &rc);
    assert_null(t);
    assert_int_equal(rc, COUNCIL_ETAMPER);
    assert_int_equal(council_case_get(f->c, &(council_buf){ NULL, 0 }, cid, 16), COUNCIL_ETAMPER);
    assert_int_equal(th_last_action(f->c), ACT(TAMPER_DETECTED));
    /* 2. Signed with B's own signing key (a valid row signature, but not the
     * council's). */
    assert_int_equal(sqlite3_exec(b->db, "DELETE FROM case_transfer;", NULL, NULL, NULL), SQLITE_OK);
    {
        size_t n = transfer_msg(m, cid, 1, f->ma, f->mb, 1000, "by_agreement");
        assert_int_equal(council__attest_sign(b, "case_transfer", m, n, signer, sig), COUNCIL_OK);
        assert_memory_equal(signer, f->mb, 16);
        insert_transfer(b, cid, 1, f->ma, f->mb, signer, sig);
        t = get_text(b, cid, pid, "situation", &rc);
        assert_null(t);
        assert_int_equal(rc, COUNCIL_ETAMPER);
        /* ... nor does the same signature filed as the council's. */
        assert_int_equal(sqlite3_exec(b->db, "UPDATE case_transfer SET signer = zeroblob(16);",
                                      NULL, NULL, NULL), SQLITE_OK);
        t = get_text(b, cid, pid, "situation", &rc);
        assert_int_equal(rc, COUNCIL_ETAMPER);
    }
    /* The row put back: A's case again, as its id says. */
    assert_int_equal(sqlite3_exec(b->db, "DELETE FROM case_transfer;", NULL, NULL, NULL), SQLITE_OK);
    set_owner(b, cid, f->ma);
    owner_is(f, cid, f->ma);
    /* 3. A genuine transfer to C, then its row edited to name B. */
    assert_int_equal(council_case_transfer(f->c, cid, 16, f->mc, 16, &o), COUNCIL_OK);
    owner_is(f, cid, f->mc);
    {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(b->db, "UPDATE case_transfer SET to_member = ?1;", -1,
                                            &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, f->mb, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    set_owner(b, cid, f->mb);
    t = get_text(b, cid, pid, "situation", &rc);
    assert_null(t);
    assert_int_equal(rc, COUNCIL_ETAMPER);
    /* 4. Or the genuine row kept and a second one appended by B. */
    {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(b->db, "UPDATE case_transfer SET to_member = ?1;", -1,
                                            &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, f->mc, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    set_owner(b, cid, f->mc);
    owner_is(f, cid, f->mc);
    memset(sig, 0x11, sizeof sig);
    insert_transfer(b, cid, 2, f->mc, f->mb, zero, sig);
    set_owner(b, cid, f->mb);
    t = get_text(b, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_ETAMPER);
    assert_int_equal(council_member_cases(f->c, &(council_buf){ NULL, 0 }, f->mb, 16),
                     COUNCIL_ETAMPER);
    council_close(b);
}

/* A transfer by agreement: C reads, A's staff no longer do; every key
 * turned; the event names C. */
static void test_transfer(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16];
    council_transfer_options o = duty();
    Council__V1__AuditEvent *e;
    council *a, *c2;
    char *t;
    int rc;

    a_case(f, cid, pid);
    a = staff_open(f, f->sa, &f->ka);
    c2 = staff_open(f, f->sc, &f->kc);
    t = get_text(c2, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_EDENIED);
    assert_int_equal(n_cases(f->c, f->ma, &rc), 1);
    assert_int_equal(rc, COUNCIL_OK);
    assert_int_equal(council_case_transfer(f->c, cid, 16, f->mc, 16, &o), COUNCIL_OK);
    e = last_event(f->c);
    assert_int_equal(e->action, ACT(CASE_TRANSFERRED));
    assert_int_equal(e->subject_member.len, 16);
    assert_memory_equal(e->subject_member.data, f->mc, 16);
    assert_string_equal(e->reason, "by_agreement");
    assert_int_equal(e->n_scopes, 2);
    council__v1__audit_event__free_unpacked(e, NULL);
    owner_is(f, cid, f->mc);
    assert_int_equal(n_cases(f->c, f->ma, &rc), 0);
    assert_int_equal(n_cases(f->c, f->mc, &rc), 1);
    /* C (a fresh session, and the one open before) reads every scope. */
    t = get_text(c2, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, CANARY_TEXT);
    free(t);
    t = get_text(c2, cid, pid, "identity", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, CANARY_NAME);
    free(t);
    put(c2, cid, pid, "situation", sec_text("after"), COUNCIL_OK);
    /* A's session (open before) and its member's wraps: gone. */
    t = get_text(a, cid, pid, "situation", &rc);
    assert_null(t);
    assert_int_equal(rc, COUNCIL_EDENIED);
    put(a, cid, pid, "situation", sec_text("x"), COUNCIL_EDENIED);
    assert_int_equal(count(f->c, "SELECT count(*) FROM key_wrap WHERE holder = ?1;", f->ma), 0);
    /* A's staff cannot list C's cases; C's staff list their own. */
    assert_int_equal(n_cases(a, f->mc, &rc), 0);
    assert_int_equal(rc, COUNCIL_EDENIED);
    assert_int_equal(n_cases(c2, f->mc, &rc), 1);
    /* The key A held is not the one written under now. */
    {
        council__member_keys ka;
        council__secret key = { NULL, 0 };
        member_keys(&f->ka, &ka);
        assert_int_equal(steal_key(f->c, cid, "situation", 0, f->ma, &ka, &key), COUNCIL_ENOTFOUND);
        council__member_keys_free(&ka);
    }
    /* Back to A: the chain of two transfers holds. */
    assert_int_equal(council_case_transfer(f->c, cid, 16, f->ma, 16, &o), COUNCIL_OK);
    owner_is(f, cid, f->ma);
    t = get_text(a, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "after");
    free(t);
    council_close(f->c);
    f->c = NULL;
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    owner_is(f, cid, f->ma);
    council_close(a);
    council_close(c2);
}

/* A case's assignment and support task, signed by its owner's staff, still
 * check after the case moves, by agreement or by the owner's withdrawal
 * (they are signed again, by the secretariat, before the owner changes):
 * the new owner lists them, the person's file of issue 16 is made. */
static int owner_work(council *a, const uint8_t cid[16], const uint8_t staff_id[16],
                      uint8_t tid[16])
{
    council_assign_options ao = COUNCIL_ASSIGN_OPTIONS_INIT;
    council_task_options to = COUNCIL_TASK_OPTIONS_INIT;
    int rc;

    ao.workers = staff_id;
    ao.n_workers = 1;
    if ((rc = council_case_assign(a, cid, 16, &ao)) != COUNCIL_OK)
        return rc;
    to.case_id = cid;
    to.case_id_len = 16;
    to.text = "週1回の訪問";
    to.due = (int64_t)time(NULL) + 86400;
    return council_task_add(a, tid, 16, &to);
}

static void lists_work(council *s, const uint8_t cid[16])
{
    council_task_filter tf = COUNCIL_TASK_FILTER_INIT;
    council_buf out = { NULL, 0 };
    Council__V1__SupportTaskList *l;

    tf.case_id = cid;
    tf.case_id_len = 16;
    assert_int_equal(council_task_list(s, &out, &tf), COUNCIL_OK);
    l = council__v1__support_task_list__unpack(NULL, out.len, out.ptr);
    assert_non_null(l);
    assert_int_equal(l->n_tasks, 1);
    council__v1__support_task_list__free_unpacked(l, NULL);
    council_buf_free(&out);
    assert_int_equal(council_case_assignment(s, &out, cid, 16), COUNCIL_OK);
    council_buf_free(&out);
}

static void test_work_moves_with_the_case(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], cid2[16], pid2[16], tid[16], consent[16];
    council_transfer_options o = duty();
    council *a, *c2;
    council__consent_row row;
    bool granted = false;

    a_case(f, cid, pid);
    a_case(f, cid2, pid2);
    a = staff_open(f, f->sa, &f->ka);
    assert_int_equal(owner_work(a, cid, f->sa, tid), COUNCIL_OK);
    assert_int_equal(owner_work(a, cid2, f->sa, tid), COUNCIL_OK);
    {
        static const char *const sc[] = { "situation" }, *const pu[] = { "support_coordination" };
        council_consent_options co = COUNCIL_CONSENT_OPTIONS_INIT;
        co.case_id = cid;
        co.case_id_len = 16;
        co.subject_person = pid;
        co.subject_person_len = 16;
        co.scopes = sc;
        co.n_scopes = 1;
        co.purposes = pu;
        co.n_purposes = 1;
        co.method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_WRITTEN;
        co.external_party = "北市生活支援センター";
        assert_int_equal(council_consent_record(a, consent, 16, &co), COUNCIL_OK);
    }
    council_close(a);
    /* By agreement: C's staff list the work, and so does the secretariat. */
    assert_int_equal(council_case_transfer(f->c, cid, 16, f->mc, 16, &o), COUNCIL_OK);
    c2 = staff_open(f, f->sc, &f->kc);
    lists_work(c2, cid);
    lists_work(f->c, cid);
    /* Her consent's grant (signed by A) still counts under C. */
    memset(&row, 0, sizeof row);
    assert_int_equal(council__consent_fetch(f->c, "test", consent, &row), COUNCIL_OK);
    assert_int_equal(council__consent_row_granted(f->c, "test", &row, &granted), COUNCIL_OK);
    assert_true(granted);
    council__consent_row_free(&row);
    /* A withdraws, its cases to the coordinating body: the same. */
    assert_int_equal(council_member_withdraw(f->c, f->ma, 16, 0, "退会"), COUNCIL_OK);
    lists_work(f->c, cid2);
    council_close(c2);
}

/* The refusals: to the owner itself, to a withdrawn member, outside the
 * new owner's ceiling, without a basis the decision accepts, an unknown
 * case or member, an erased case. */
static void test_refusals(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], nobody[16];
    council_transfer_options o = duty();
    council_buf out = { NULL, 0 };

    a_case(f, cid, pid);
    assert_int_equal(council_case_transfer(f->c, cid, 16, f->ma, 16, &o), COUNCIL_EINVAL);
    /* B's ceiling lacks identity. */
    assert_int_equal(council_case_transfer(f->c, cid, 16, f->mb, 16, &o), COUNCIL_EDENIED);
    assert_int_equal(th_last_action(f->c), ACT(CASE_TRANSFERRED));
    /* A consent that is not on record: the decision refuses. */
    {
        council_transfer_options oc = COUNCIL_TRANSFER_OPTIONS_INIT;
        uint8_t consent[16];
        memset(consent, 0x42, sizeof consent);
        oc.basis = "consent";
        oc.consent_id = consent;
        oc.consent_id_len = 16;
        assert_int_equal(council_case_transfer(f->c, cid, 16, f->mc, 16, &oc), COUNCIL_ENOCONSENT);
        assert_int_equal(th_last_action(f->c), ACT(DISCLOSURE_REFUSED));
    }
    /* No basis at all. */
    {
        council_transfer_options ob = COUNCIL_TRANSFER_OPTIONS_INIT;
        assert_int_equal(council_case_transfer(f->c, cid, 16, f->mc, 16, &ob), COUNCIL_EINVAL);
    }
    owner_is(f, cid, f->ma);
    memset(nobody, 0x5a, sizeof nobody);
    assert_int_equal(council_case_transfer(f->c, cid, 16, nobody, 16, &o), COUNCIL_ENOTFOUND);
    assert_int_equal(council_case_transfer(f->c, nobody, 16, f->mc, 16, &o), COUNCIL_ENOTFOUND);
    assert_int_equal(council_case_transfer(f->c, cid, 15, f->mc, 16, &o), COUNCIL_EINVAL);
    assert_int_equal(council_case_transfer(f->c, cid, 16, f->mc, 16, NULL), COUNCIL_EMISUSE);
    /* To a withdrawn member. */
    assert_int_equal(council_member_withdraw(f->c, f->mc, 16, 0, "退会"), COUNCIL_OK);
    assert_int_equal(council_case_transfer(f->c, cid, 16, f->mc, 16, &o), COUNCIL_EDENIED);
    assert_int_equal(th_last_action(f->c), ACT(CASE_TRANSFERRED));
    owner_is(f, cid, f->ma);
    /* Erased. */
    assert_int_equal(council_case_erase(f->c, cid, 16, "retention_expired"), COUNCIL_OK);
    assert_int_equal(council_case_transfer(f->c, cid, 16, f->mb, 16, &o), COUNCIL_EDENIED);
    assert_int_equal(council_member_cases(f->c, &out, f->ma, 16), COUNCIL_OK);
    council_buf_free(&out);
}

/* A share the old owner held before it owned the case survives a transfer
 * away from it: that scope stays readable, the rest goes. */
static void test_share_remains(void **state)
{
    fx *f = *state;
    static const char *const d_scopes[] = { "identity", "situation", "wishes", "support_plan",
                                            "support_record", "health", "finances", "family",
                                            "child", "justice" };
    uint8_t cid[16], pid[16], md[16];
    council_buf kd = { NULL, 0 };
    council_transfer_options o = duty();
    council *c2;
    char *t;
    int rc;

    member(f->c, md, "NPO D", d_scopes, 10, &kd);
    a_case(f, cid, pid);
    share(f->c, cid, f->mc, "situation", COUNCIL_OK);
    assert_int_equal(council_case_transfer(f->c, cid, 16, f->mc, 16, &o), COUNCIL_OK);
    assert_int_equal(council_case_transfer(f->c, cid, 16, md, 16, &o), COUNCIL_OK);
    owner_is(f, cid, md);
    c2 = staff_open(f, f->sc, &f->kc);
    t = get_text(c2, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, CANARY_TEXT);
    free(t);
    t = get_text(c2, cid, pid, "identity", &rc);
    assert_null(t);
    assert_int_equal(rc, COUNCIL_EDENIED);
    council_close(c2);
    council_buf_free(&kd);
}

/* A withdrawal says where the cases go; with none named and no member
 * holding the coordinating body's role, they stay in its keeping and are
 * listed. */
static void test_withdraw(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], cid2[16], pid2[16];
    council *c2;
    char *t;
    int rc;

    a_case(f, cid, pid);
    a_case(f, cid2, pid2);
    assert_int_equal(council_case_erase(f->c, cid2, 16, "retention_expired"), COUNCIL_OK);
    /* To a withdrawn member, or to itself: refused, nothing changes. */
    assert_int_equal(council_member_withdraw(f->c, f->mb, 16, 0, "退会"), COUNCIL_OK);
    assert_int_equal(council_member_withdraw_ex(f->c, f->ma, 16, 0, "退会", f->mb, 16),
                     COUNCIL_EDENIED);
    assert_int_equal(council_member_withdraw_ex(f->c, f->ma, 16, 0, "退会", f->ma, 16),
                     COUNCIL_EINVAL);
    assert_int_equal(council_member_withdraw_ex(f->c, f->ma, 16, 0, "退会", f->mc, 3),
                     COUNCIL_EINVAL);
    owner_is(f, cid, f->ma);
    assert_int_equal(n_cases(f->c, f->ma, &rc), 1);
    /* To C: under the council's rules (art. 16), which are off by default:
     * the decision refuses, and the withdrawal with it. */
    assert_int_equal(council_member_withdraw_ex(f->c, f->ma, 16, 0, "退会", f->mc, 16),
                     COUNCIL_ENOCONSENT);
    assert_int_equal(th_last_action(f->c), ACT(DISCLOSURE_REFUSED));
    owner_is(f, cid, f->ma);
    {
        static const char *const bases[] = { "consent", "appi_27_1_4_public_duty",
                                             "council_art16_exchange" };
        council_policy_options po = COUNCIL_POLICY_OPTIONS_INIT;
        council_buf out = { NULL, 0 };
        po.accepted_bases = bases;
        po.n_accepted_bases = 3;
        assert_int_equal(council_policy_set(f->c, &po), COUNCIL_OK);
        /* A is not withdrawn yet: its cases are listed for it. */
        assert_int_equal(council_member_cases(f->c, &out, f->ma, 16), COUNCIL_OK);
        council_buf_free(&out);
    }
    assert_int_equal(council_member_withdraw_ex(f->c, f->ma, 16, 0, "退会", f->mc, 16), COUNCIL_OK);
    {
        Council__V1__AuditEvent *e = NULL;
        uint64_t n = 0;
        bool seen = false;
        assert_int_equal(council__audit_size(f->c, &n), COUNCIL_OK);
        for (uint64_t i = n; i-- > 0 && !seen;) {
            e = event_at(f->c, i);
            if (e->action == ACT(CASE_TRANSFERRED) && e->reason != NULL &&
                strcmp(e->reason, "owner_withdrawn") == 0) {
                seen = true;
                assert_memory_equal(e->subject_member.data, f->mc, 16);
                assert_string_equal(e->basis, "council_art16_exchange");
            }
            council__v1__audit_event__free_unpacked(e, NULL);
        }
        assert_true(seen);
    }
    owner_is(f, cid, f->mc);
    assert_int_equal(n_cases(f->c, f->ma, &rc), 0);
    assert_int_equal(n_cases(f->c, f->mc, &rc), 1);
    c2 = staff_open(f, f->sc, &f->kc);
    t = get_text(c2, cid, pid, "identity", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, CANARY_NAME);
    free(t);
    council_close(c2);
    /* C leaves with no coordinating body's member on the register: the
     * case stays in the coordinating body's keeping, listed, and the
     * secretariat still reads it. */
    assert_int_equal(council_member_withdraw(f->c, f->mc, 16, 0, "退会"), COUNCIL_OK);
    assert_int_equal(n_cases(f->c, f->mc, &rc), 1);
    t = get_text(f->c, cid, pid, "identity", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    free(t);
}

/* council_member_withdraw: the cases go to the member holding the
 * coordinating body's role (before the secretariat's), without a decision
 * (it holds every key already), and its staff read them. */
static void test_withdraw_coordinating_body(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], sec[16], cb[16], cbs[16];
    council_buf ksec = { NULL, 0 }, kcb = { NULL, 0 };
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;
    Council__V1__AuditEvent *e;
    council *s;
    char *t;
    int rc;

    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_MUNICIPAL_DEPARTMENT;
    o.scopes = all_scopes;
    o.n_scopes = 10;
    o.name = "北市 福祉政策課（事務局）";
    o.roles = COUNCIL_ROLE_SECRETARIAT;
    assert_int_equal(council_member_add(f->c, sec, 16, &o), COUNCIL_OK);
    assert_int_equal(council_member_keygen(f->c, &ksec, sec, 16, (const uint8_t *)MPASS,
                                           strlen(MPASS), TH_OPS, TH_MEM), COUNCIL_OK);
    o.name = "北市 地域福祉課（調整機関）";
    o.roles = COUNCIL_ROLE_COORDINATING_BODY;
    assert_int_equal(council_member_add(f->c, cb, 16, &o), COUNCIL_OK);
    assert_int_equal(council_member_keygen(f->c, &kcb, cb, 16, (const uint8_t *)MPASS,
                                           strlen(MPASS), TH_OPS, TH_MEM), COUNCIL_OK);
    staff(f->c, cbs, cb);
    a_case(f, cid, pid);
    assert_int_equal(council_member_withdraw(f->c, f->ma, 16, 0, "退会"), COUNCIL_OK);
    owner_is(f, cid, cb);
    assert_int_equal(n_cases(f->c, f->ma, &rc), 0);
    assert_int_equal(n_cases(f->c, cb, &rc), 1);
    {
        uint64_t n = 0;
        bool seen = false;
        assert_int_equal(council__audit_size(f->c, &n), COUNCIL_OK);
        for (uint64_t i = n; i-- > 0 && !seen;) {
            e = event_at(f->c, i);
            if (e->action == ACT(CASE_TRANSFERRED)) {
                seen = true;
                assert_memory_equal(e->subject_member.data, cb, 16);
                assert_string_equal(e->reason, "owner_withdrawn");
            }
            council__v1__audit_event__free_unpacked(e, NULL);
        }
        assert_true(seen);
    }
    s = staff_open(f, cbs, &kcb);
    t = get_text(s, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, CANARY_TEXT);
    free(t);
    council_close(s);
    /* The secretariat's staff (its role keys) transfer it on; the
     * coordinating body's staff alone may not. */
    {
        council_transfer_options to = duty();
        uint8_t ss[16];
        council *sx;
        staff(f->c, ss, sec);
        s = staff_open(f, cbs, &kcb);
        assert_int_equal(council_case_transfer(s, cid, 16, f->mc, 16, &to), COUNCIL_EDENIED);
        council_close(s);
        sx = staff_open(f, ss, &ksec);
        assert_int_equal(council_case_transfer(sx, cid, 16, f->mc, 16, &to), COUNCIL_OK);
        council_close(sx);
        owner_is(f, cid, f->mc);
        s = staff_open(f, f->sc, &f->kc);
        t = get_text(s, cid, pid, "situation", &rc);
        assert_int_equal(rc, COUNCIL_OK);
        free(t);
        council_close(s);
    }
    council_buf_free(&ksec);
    council_buf_free(&kcb);
}

/* ------------------------------------------------------ anonymous intake */

static Council__V1__CaseInfo *info(council *c, const uint8_t cid[16])
{
    council_buf out = { NULL, 0 };
    Council__V1__CaseInfo *m;

    assert_int_equal(council_case_get(c, &out, cid, 16), COUNCIL_OK);
    m = council__v1__case_info__unpack(NULL, out.len, out.ptr);
    assert_non_null(m);
    council_buf_free(&out);
    return m;
}

static size_t found(council *c, const char *name, uint8_t pid_out[16])
{
    council_buf out = { NULL, 0 };
    Council__V1__CaseMatches *l;
    size_t n;

    assert_int_equal(council_case_find(c, &out, name, NULL), COUNCIL_OK);
    l = council__v1__case_matches__unpack(NULL, out.len, out.ptr);
    assert_non_null(l);
    n = l->n_matches;
    if (n > 0 && pid_out != NULL)
        memcpy(pid_out, l->matches[0]->person_id.data, 16);
    council__v1__case_matches__free_unpacked(l, NULL);
    council_buf_free(&out);
    return n;
}

static void anon_case(council *a, uint8_t cid[16], uint8_t pid[16])
{
    council_case_options o = COUNCIL_CASE_OPTIONS_INIT;

    o.anonymous = 1;
    assert_int_equal(council_case_create(a, cid, 16, pid, 16, &o), COUNCIL_OK);
}

static void test_anonymous_merge(void **state)
{
    fx *f = *state;
    uint8_t cid[16], anon[16], named[16], hit[16];
    Council__V1__CaseInfo *m;
    council *a, *b;
    char *t;
    int rc;

    a = staff_open(f, f->sa, &f->ka);
    anon_case(a, cid, anon);
    m = info(f->c, cid);
    assert_int_equal(m->n_persons, 1);
    assert_true(m->persons[0]->has_anonymous && m->persons[0]->anonymous);
    council__v1__case_info__free_unpacked(m, NULL);
    /* What the contact gave (a nickname) is kept but never indexed. */
    put(a, cid, anon, "identity", sec_identity("チャット相談者", NULL), COUNCIL_OK);
    assert_int_equal(found(f->c, "チャット相談者", NULL), 0);
    /* Later the person is named, first as another record of the case. */
    assert_int_equal(council_case_add_person(a, named, 16, cid, 16,
                                             COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_FAMILY),
                     COUNCIL_OK);
    put(a, cid, named, "identity", sec_identity(CANARY_NAME, "1950-01-02"), COUNCIL_OK);
    assert_int_equal(found(f->c, CANARY_NAME, hit), 1);
    assert_memory_equal(hit, named, 16);
    /* Refusals: another member's staff (logged), unknown persons, itself. */
    b = staff_open(f, f->sb, &f->kb);
    assert_int_equal(council_person_merge(b, cid, 16, anon, 16, named, 16), COUNCIL_EDENIED);
    assert_int_equal(th_last_action(f->c), ACT(PERSON_MERGED));
    council_close(b);
    {
        uint8_t nobody[16];
        memset(nobody, 0x33, sizeof nobody);
        assert_int_equal(council_person_merge(a, cid, 16, anon, 16, nobody, 16), COUNCIL_ENOTFOUND);
        assert_int_equal(th_last_action(f->c), ACT(PERSON_MERGED));
        assert_int_equal(council_person_merge(a, cid, 16, nobody, 16, named, 16), COUNCIL_ENOTFOUND);
        assert_int_equal(council_person_merge(a, nobody, 16, anon, 16, named, 16), COUNCIL_ENOTFOUND);
    }
    assert_int_equal(council_person_merge(a, cid, 16, anon, 16, anon, 16), COUNCIL_EINVAL);
    /* The merge: named's record goes under anon, kept. */
    assert_int_equal(council_person_merge(a, cid, 16, anon, 16, named, 16), COUNCIL_OK);
    assert_int_equal(th_last_action(f->c), ACT(PERSON_MERGED));
    m = info(f->c, cid);
    assert_int_equal(m->n_persons, 2);
    assert_false(m->persons[0]->anonymous);
    assert_false(m->persons[0]->has_merged_into);
    assert_true(m->persons[1]->has_merged_into);
    assert_memory_equal(m->persons[1]->merged_into.data, anon, 16);
    assert_true(m->persons[1]->merged_at > 0);
    council__v1__case_info__free_unpacked(m, NULL);
    /* The name finds the kept person now; both histories stay readable. */
    assert_int_equal(found(f->c, CANARY_NAME, hit), 1);
    assert_memory_equal(hit, anon, 16);
    t = get_text(a, cid, named, "identity", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, CANARY_NAME);
    free(t);
    t = get_text(a, cid, anon, "identity", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "チャット相談者");
    free(t);
    /* Once merged, not again. */
    assert_int_equal(council_person_merge(a, cid, 16, anon, 16, named, 16), COUNCIL_EEXIST);
    assert_int_equal(council_person_merge(f->c, cid, 16, named, 16, anon, 16), COUNCIL_EEXIST);
    council_close(a);
    /* The states A's staff signed stay valid when A's key is replaced and
     * when A withdraws (the council signs them again first). */
    {
        council_buf kf = { NULL, 0 };
        assert_int_equal(council_member_keygen(f->c, &kf, f->ma, 16, (const uint8_t *)MPASS,
                                               strlen(MPASS), TH_OPS, TH_MEM), COUNCIL_OK);
        council_buf_free(&f->ka);
        f->ka = kf;
    }
    m = info(f->c, cid);
    assert_int_equal(m->n_persons, 2);
    assert_true(m->persons[1]->has_merged_into);
    council__v1__case_info__free_unpacked(m, NULL);
    assert_int_equal(council_member_withdraw(f->c, f->ma, 16, 0, "退会"), COUNCIL_OK);
    m = info(f->c, cid);
    assert_int_equal(m->n_persons, 2);
    assert_true(m->persons[1]->has_merged_into);
    assert_memory_equal(m->persons[1]->merged_into.data, anon, 16);
    council__v1__case_info__free_unpacked(m, NULL);
    /* Writing the kept person's identity checks its signed state (the
     * name index follows it): still valid. */
    put(f->c, cid, anon, "identity", sec_identity("北野 はるこ", NULL), COUNCIL_OK);
    assert_int_equal(found(f->c, "北野 はるこ", hit), 1);
    assert_memory_equal(hit, anon, 16);
}

/* The insider edits person rows: a merge undone or redirected, an
 * anonymous mark set or taken off. Each is a finding; nothing is merged or
 * indexed on its word. */
static void test_insider_person(void **state)
{
    fx *f = *state;
    uint8_t cid[16], p1[16], p2[16], p3[16];
    council *a, *b;

    a = staff_open(f, f->sa, &f->ka);
    new_case(a, cid, p1);
    assert_int_equal(council_case_add_person(a, p2, 16, cid, 16,
                                             COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_FAMILY),
                     COUNCIL_OK);
    assert_int_equal(council_case_add_person(a, p3, 16, cid, 16,
                                             COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_FAMILY),
                     COUNCIL_OK);
    b = staff_open(f, f->sb, &f->kb);
    /* An anonymous mark set without a signature: writing a name is refused
     * rather than silently left out of the index. */
    assert_int_equal(sqlite3_exec(b->db, "UPDATE person SET anonymous = 1;", NULL, NULL, NULL),
                     SQLITE_OK);
    put(a, cid, p1, "identity", sec_identity(CANARY_NAME, NULL), COUNCIL_ETAMPER);
    assert_int_equal(council_person_merge(a, cid, 16, p1, 16, p2, 16), COUNCIL_ETAMPER);
    assert_int_equal(th_last_action(f->c), ACT(TAMPER_DETECTED));
    assert_int_equal(sqlite3_exec(b->db, "UPDATE person SET anonymous = 0;", NULL, NULL, NULL),
                     SQLITE_OK);
    /* A genuine merge of p2 into p1, redirected by the insider to p3. */
    assert_int_equal(council_person_merge(a, cid, 16, p1, 16, p2, 16), COUNCIL_OK);
    {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(b->db, "UPDATE person SET merged_into = ?1 WHERE "
                                            "merged_into IS NOT NULL;", -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, p3, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    assert_int_equal(council_person_merge(a, cid, 16, p3, 16, p2, 16), COUNCIL_ETAMPER);
    /* Undone (the mark and signature cleared): p2 looks unmerged, but a
     * signed copy of another person's state does not fit it. */
    assert_int_equal(sqlite3_exec(b->db, "UPDATE person SET sig = (SELECT sig FROM person WHERE "
                                  "sig IS NOT NULL LIMIT 1), signer = (SELECT signer FROM person "
                                  "WHERE sig IS NOT NULL LIMIT 1), merged_into = NULL, merged_at "
                                  "= NULL WHERE merged_into IS NOT NULL;", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(council_person_merge(a, cid, 16, p3, 16, p2, 16), COUNCIL_ETAMPER);
    council_close(b);
    council_close(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_insider_transfer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transfer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_work_moves_with_the_case, setup, teardown),
        cmocka_unit_test_setup_teardown(test_share_remains, setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdraw, setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdraw_coordinating_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anonymous_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider_person, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
