/* test_meeting.c - meetings: disclosures per attendee pass the decision
 * and end with the meeting or its window; a packet is sealed to its
 * attendee. Moved unchanged from test_consent.c (issue 11: tests follow
 * the rooms). */
#include <unistd.h>

#include "case_fixture.h"
#include "council/v1/meeting.pb-c.h"
#include "keyfile.h"
#include "meeting.h"
#include "council/v1/consent.pb-c.h"

static void meeting_opts(council_meeting_options *o, int body, const uint8_t *attendees, size_t n)
{
    council_meeting_options d = COUNCIL_MEETING_OPTIONS_INIT;
    *o = d;
    o->body = body;
    o->starts = (int64_t)time(NULL) - 60;
    o->ends = (int64_t)time(NULL) + 3600;
    o->attendees = attendees;
    o->n_attendees = n;
}

/* Meetings: disclosures per attendee pass the decision and end with the
 * meeting; a packet is sealed to its attendee and holds only what was
 * disclosed to it; a joint meeting with the platform takes no case. */
static void test_meetings(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], mid[16], pmid[16];
    static const char *const sit[] = { "situation" };
    council *sa = staff_open(f, f->sa, &f->ka), *sc;
    council_meeting_options mo;
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    council__member_keys kc;
    council__secret kept = { NULL, 0 };
    council_buf pkt = { NULL, 0 };
    char *t;
    int rc;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("会議で話す内容"), COUNCIL_OK);
    put(sa, cid, pid, "health", sec_text("会議に出さない内容"), COUNCIL_OK);
    council_close(sa);
    /* A council case at the council's meeting (another body's meeting is
     * a cross-body use: test_joint_bodies). */
    meeting_opts(&mo, COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL, f->mc, 1);
    assert_int_equal(council_meeting_create(f->c, mid, 16, &mo), COUNCIL_OK);
    mo.ends = mo.starts - 1;
    assert_int_equal(council_meeting_create(f->c, pmid, 16, &mo), COUNCIL_EINVAL);
    so.scopes = sit;
    so.n_scopes = 1;
    so.purpose = "meeting_discussion";
    so.basis = "consent";
    so.consent_id = (const uint8_t *)"0123456789abcdef";
    so.consent_id_len = 16;
    /* Through the decision: no consent, no disclosure. */
    assert_int_equal(council_meeting_add_case(f->c, mid, 16, cid, 16, f->mc, 16, &so), COUNCIL_ENOCONSENT);
    so.basis = "appi_27_1_4_public_duty";
    so.consent_id = NULL;
    so.consent_id_len = 0;
    so.reason = "支援会議での検討";
    assert_int_equal(council_meeting_add_case(f->c, mid, 16, cid, 16, f->mb, 16, &so), COUNCIL_EDENIED);
    assert_int_equal(council_meeting_add_case(f->c, mid, 16, cid, 16, f->mc, 16, &so), COUNCIL_OK);
    sc = staff_open(f, f->sc, &f->kc);
    t = get_text(sc, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    free(t);
    /* The disclosure carries the window's end as its expiry. */
    {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(f->c->db, "SELECT count(*) FROM case_share WHERE meeting_id = ?1 "
                                            "AND expires = (SELECT ends FROM meeting WHERE id = ?1);",
                                            -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, mid, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 1);
        sqlite3_finalize(st);
    }
    /* C's packet: sealed to C, the situation and nothing else. */
    assert_int_equal(council_meeting_packet(f->c, &pkt, mid, 16, f->mb, 16), COUNCIL_EDENIED);
    assert_int_equal(council_meeting_packet(f->c, &pkt, mid, 16, f->mc, 16), COUNCIL_OK);
    member_keys(&f->kc, &kc);
    {
        size_t n = pkt.len - crypto_box_SEALBYTES;
        uint8_t *plain = malloc(n);
        Council__V1__MeetingPacket *p;
        council__secret_read(&kc.box_sk);
        assert_int_equal(crypto_box_seal_open(plain, pkt.ptr, pkt.len, kc.box_pk, kc.box_sk.p), 0);
        council__secret_lock(&kc.box_sk);
        p = council__v1__meeting_packet__unpack(NULL, n, plain);
        assert_non_null(p);
        assert_int_equal(p->n_cases, 1);
        assert_int_equal(p->cases[0]->n_sections, 1);
        assert_string_equal(p->cases[0]->sections[0]->scope, "situation");
        assert_string_equal(p->cases[0]->sections[0]->section->text, "会議で話す内容");
        assert_int_equal(p->meeting->n_items, 1);
        council__v1__meeting_packet__free_unpacked(p, NULL);
        free(plain);
        /* Another member's key does not open it. */
        council__member_keys kb;
        uint8_t small[16];
        member_keys(&f->kb, &kb);
        council__secret_read(&kb.box_sk);
        plain = malloc(n);
        assert_int_not_equal(crypto_box_seal_open(plain, pkt.ptr, pkt.len, kb.box_pk, kb.box_sk.p), 0);
        council__secret_lock(&kb.box_sk);
        free(plain);
        council__member_keys_free(&kb);
        (void)small;
    }
    council_buf_free(&pkt);
    /* Closing ends the disclosure, and the key rotates. */
    assert_int_equal(steal_key(f->c, cid, "situation", 0, f->mc, &kc, &kept), COUNCIL_OK);
    assert_int_equal(council_meeting_close(f->c, mid, 16), COUNCIL_OK);
    assert_int_equal(council_meeting_close(f->c, mid, 16), COUNCIL_EDENIED);
    t = get_text(sc, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_EDENIED);
    assert_null(t);
    sa = staff_open(f, f->sa, &f->ka);
    put(sa, cid, pid, "situation", sec_text("会議の後"), COUNCIL_OK);
    assert_false(key_opens_latest(f->c, cid, pid, "situation", &kept));
    assert_int_equal(council_meeting_add_case(f->c, mid, 16, cid, 16, f->mc, 16, &so), COUNCIL_EDENIED);
    /* A joint meeting with the platform takes no case at all. */
    meeting_opts(&mo, COUNCIL__V1__MEETING_BODY__MEETING_BODY_JOINT_PLATFORM, f->mc, 1);
    assert_int_equal(council_meeting_create(f->c, pmid, 16, &mo), COUNCIL_OK);
    assert_int_equal(council_meeting_add_case(f->c, pmid, 16, cid, 16, f->mc, 16, &so), COUNCIL_EDENIED);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_string_equal(e->reason, "platform_meeting_no_cases");
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    council__secret_free(&kept);
    council__member_keys_free(&kc);
    council_close(sa);
    council_close(sc);
}

/* A meeting's disclosures end when its window passes, closed or not. */
static void test_meeting_window_expires(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], mid[16];
    council *sa = staff_open(f, f->sa, &f->ka), *sc = staff_open(f, f->sc, &f->kc);
    char *t;
    int rc;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("短い会議"), COUNCIL_OK);
    meeting_on_situation(f, mid, f->mc, 2, cid, "検討");
    t = get_text(sc, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    free(t);
    sleep(3);
    t = get_text(sc, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_EDENIED);
    assert_null(t);
    /* And the next write rotates the key away from C. */
    put(sa, cid, pid, "situation", sec_text("会議の後の記録"), COUNCIL_OK);
    assert_int_equal(count(f->c, "SELECT count(*) FROM key_wrap WHERE holder = ?1", f->mc), 0);
    council_close(sc);
    council_close(sa);
}

/* ---------------------------------------------- minutes and decisions */

/* Open a packet sealed to the member of keyfile kf. */
static Council__V1__MeetingPacket *unseal(const council_buf *kf, const council_buf *pkt)
{
    council__member_keys k;
    size_t n = pkt->len - crypto_box_SEALBYTES;
    uint8_t *plain = malloc(n);
    Council__V1__MeetingPacket *p;

    member_keys(kf, &k);
    council__secret_read(&k.box_sk);
    assert_int_equal(crypto_box_seal_open(plain, pkt->ptr, pkt->len, k.box_pk, k.box_sk.p), 0);
    council__secret_lock(&k.box_sk);
    p = council__v1__meeting_packet__unpack(NULL, n, plain);
    assert_non_null(p);
    free(plain);
    council__member_keys_free(&k);
    return p;
}

static bool has_decision(Council__V1__MeetingDecision *const *d, size_t n, const uint8_t id[16],
                         const char *text)
{
    for (size_t i = 0; i < n; i++)
        if (d[i]->id.len == 16 && memcmp(d[i]->id.data, id, 16) == 0)
            return text == NULL || (d[i]->text != NULL && strcmp(d[i]->text, text) == 0);
    return false;
}

static void expect_last(council *c, int action, const char *reason)
{
    Council__V1__AuditEvent *e = last_event(c);
    assert_non_null(e);
    assert_int_equal(e->action, action);
    if (reason != NULL) {
        assert_non_null(e->reason);
        assert_string_equal(e->reason, reason);
    }
    council__v1__audit_event__free_unpacked(e, NULL);
}

/* Minutes sealed to every attendee; a decision about a case only to the
 * attendees the case was disclosed to; the secretariat records them on an
 * open meeting only; each attendee's packet carries exactly what it is
 * entitled to; an insider's row is refused. */
static void test_minutes_and_decisions(void **state)
{
    fx *f = *state;
    static const char *const sit[] = { "situation" };
    uint8_t cid[16], pid[16], cid2[16], pid2[16], mid[16], d1[16], d2[16], d3[16], att[32];
    council *sa = staff_open(f, f->sa, &f->ka), *sb, *sc;
    council_meeting_options mo;
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    council_buf pkt = { NULL, 0 }, out = { NULL, 0 };
    Council__V1__MeetingPacket *p;

    new_case(sa, cid, pid);
    new_case(sa, cid2, pid2);
    put(sa, cid, pid, "situation", sec_text("会議で話す内容"), COUNCIL_OK);
    memcpy(att, f->mb, 16);
    memcpy(att + 16, f->mc, 16);
    meeting_opts(&mo, COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL, att, 2);
    assert_int_equal(council_meeting_create(f->c, mid, 16, &mo), COUNCIL_OK);
    so.scopes = sit;
    so.n_scopes = 1;
    so.purpose = "meeting_discussion";
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "支援方針の協議";
    /* The case is disclosed to C only; B attends without it. */
    assert_int_equal(council_meeting_add_case(f->c, mid, 16, cid, 16, f->mc, 16, &so), COUNCIL_OK);

    /* Only the secretariat records: A's staff is refused, and logged. */
    assert_int_equal(council_meeting_minutes(sa, mid, 16, "議事録"), COUNCIL_EDENIED);
    expect_last(f->c, COUNCIL_AUDIT_ACTION_OPERATION_REFUSED, "secretariat_only");
    assert_int_equal(council_meeting_decide(sa, d1, 16, mid, 16, cid, 16, "決定"), COUNCIL_EDENIED);
    expect_last(f->c, COUNCIL_AUDIT_ACTION_OPERATION_REFUSED, "secretariat_only");
    assert_int_equal(count(f->c, "SELECT count(*) FROM meeting_decision", NULL), 0);

    /* Text: UTF-8 with line breaks; no empty text, no other controls. */
    assert_int_equal(council_meeting_minutes(f->c, mid, 16, ""), COUNCIL_EINVAL);
    assert_int_equal(council_meeting_minutes(f->c, mid, 16, "a\x01" "b"), COUNCIL_EINVAL);
    assert_int_equal(council_meeting_minutes(f->c, mid, 16, "\xff"), COUNCIL_EINVAL);
    assert_int_equal(council_meeting_minutes(f->c, mid, 16, "出席: B, C\n議題: 1件"), COUNCIL_OK);
    expect_last(f->c, COUNCIL_AUDIT_ACTION_MINUTES_RECORDED, NULL);
    assert_int_equal(council_meeting_minutes(f->c, mid, 16, "二度目"), COUNCIL_EEXIST);

    /* A decision about the case, one about no case; a case not on the
     * agenda takes none. */
    assert_int_equal(council_meeting_decide(f->c, d1, 16, mid, 16, cid, 16, "Cが訪問する"), COUNCIL_OK);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_int_equal(e->action, COUNCIL_AUDIT_ACTION_DECISION_RECORDED);
        assert_true(e->has_object_id);
        assert_memory_equal(e->object_id.data, d1, 16);
        assert_true(e->has_case_ref);
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    assert_int_equal(council_meeting_decide(f->c, d2, 16, mid, 16, NULL, 0, "次回は来月"), COUNCIL_OK);
    assert_int_equal(council_meeting_decide(f->c, d3, 16, mid, 16, cid2, 16, "x"), COUNCIL_ENOTFOUND);
    assert_int_equal(council_meeting_decide(f->c, d3, 16, mid, 16, cid2, 3, "x"), COUNCIL_EINVAL);

    /* The check the council's other work uses. */
    assert_int_equal(council__meeting_decision_check(f->c, "t", d1, cid), COUNCIL_OK);
    assert_int_equal(council__meeting_decision_check(f->c, "t", d1, NULL), COUNCIL_OK);
    assert_int_equal(council__meeting_decision_check(f->c, "t", d1, cid2), COUNCIL_ENOTFOUND);
    assert_int_equal(council__meeting_decision_check(f->c, "t", d2, NULL), COUNCIL_OK);
    assert_int_equal(council__meeting_decision_check(f->c, "t", d2, cid), COUNCIL_ENOTFOUND);
    assert_int_equal(council__meeting_decision_check(f->c, "t", cid, NULL), COUNCIL_ENOTFOUND);

    /* C's packet: the minutes, both decisions. B's: the minutes, only the
     * decision about no case. */
    assert_int_equal(council_meeting_packet(f->c, &pkt, mid, 16, f->mc, 16), COUNCIL_OK);
    p = unseal(&f->kc, &pkt);
    assert_string_equal(p->minutes, "出席: B, C\n議題: 1件");
    assert_int_equal(p->n_decisions, 2);
    assert_true(has_decision(p->decisions, p->n_decisions, d1, "Cが訪問する"));
    assert_true(has_decision(p->decisions, p->n_decisions, d2, "次回は来月"));
    assert_int_equal(p->n_cases, 1);
    council__v1__meeting_packet__free_unpacked(p, NULL);
    council_buf_free(&pkt);
    expect_last(f->c, COUNCIL_AUDIT_ACTION_BUNDLE_EXPORTED, "meeting_packet");
    assert_int_equal(council_meeting_packet(f->c, &pkt, mid, 16, f->mb, 16), COUNCIL_OK);
    p = unseal(&f->kb, &pkt);
    assert_string_equal(p->minutes, "出席: B, C\n議題: 1件");
    assert_int_equal(p->n_decisions, 1);
    assert_true(has_decision(p->decisions, p->n_decisions, d2, "次回は来月"));
    assert_false(has_decision(p->decisions, p->n_decisions, d1, NULL));
    assert_int_equal(p->n_cases, 0);
    council__v1__meeting_packet__free_unpacked(p, NULL);
    council_buf_free(&pkt);
    /* Each read is on the record (decision reads name the decision). */
    assert_true(count(f->c, "SELECT count(*) FROM audit_event", NULL) > 0);

    /* B's own session: the decision about the case is not B's to read. */
    sb = staff_open(f, f->sb, &f->kb);
    assert_int_equal(council_meeting_decision_read(sb, &out, d1, 16), COUNCIL_EDENIED);
    assert_null(out.ptr);
    expect_last(f->c, COUNCIL_AUDIT_ACTION_MEETING_RECORD_READ, "not_a_reader");
    assert_int_equal(council_meeting_decision_read(sb, &out, d2, 16), COUNCIL_OK);
    {
        Council__V1__MeetingDecision *d = council__v1__meeting_decision__unpack(NULL, out.len, out.ptr);
        assert_non_null(d);
        assert_string_equal(d->text, "次回は来月");
        assert_false(d->has_case_id);
        council__v1__meeting_decision__free_unpacked(d, NULL);
    }
    council_buf_free(&out);
    expect_last(f->c, COUNCIL_AUDIT_ACTION_MEETING_RECORD_READ, "meeting_decision");
    assert_int_equal(council_meeting_record(sb, &out, mid, 16), COUNCIL_OK);
    {
        Council__V1__MeetingRecord *r = council__v1__meeting_record__unpack(NULL, out.len, out.ptr);
        assert_non_null(r);
        assert_string_equal(r->minutes, "出席: B, C\n議題: 1件");
        assert_int_equal(r->n_decisions, 1);
        assert_true(has_decision(r->decisions, r->n_decisions, d2, "次回は来月"));
        council__v1__meeting_record__free_unpacked(r, NULL);
    }
    council_buf_free(&out);
    council_close(sb);
    /* C's own session reads both; A (not attending) reads nothing. */
    sc = staff_open(f, f->sc, &f->kc);
    assert_int_equal(council_meeting_decision_read(sc, &out, d1, 16), COUNCIL_OK);
    council_buf_free(&out);
    assert_int_equal(council_meeting_record(sc, &out, mid, 16), COUNCIL_OK);
    {
        Council__V1__MeetingRecord *r = council__v1__meeting_record__unpack(NULL, out.len, out.ptr);
        assert_non_null(r);
        assert_int_equal(r->n_decisions, 2);
        council__v1__meeting_record__free_unpacked(r, NULL);
    }
    council_buf_free(&out);
    council_close(sc);
    assert_int_equal(council_meeting_record(sa, &out, mid, 16), COUNCIL_EDENIED);
    expect_last(f->c, COUNCIL_AUDIT_ACTION_MEETING_RECORD_READ, "not_an_attendee");
    assert_int_equal(council_meeting_decision_read(sa, &out, d2, 16), COUNCIL_EDENIED);
    /* The secretariat reads all. */
    assert_int_equal(council_meeting_record(f->c, &out, mid, 16), COUNCIL_OK);
    {
        Council__V1__MeetingRecord *r = council__v1__meeting_record__unpack(NULL, out.len, out.ptr);
        assert_non_null(r);
        assert_int_equal(r->n_decisions, 2);
        council__v1__meeting_record__free_unpacked(r, NULL);
    }
    council_buf_free(&out);

    /* A closed meeting takes no more (logged). */
    assert_int_equal(council_meeting_close(f->c, mid, 16), COUNCIL_OK);
    assert_int_equal(council_meeting_decide(f->c, d3, 16, mid, 16, NULL, 0, "遅い"), COUNCIL_EDENIED);
    expect_last(f->c, COUNCIL_AUDIT_ACTION_DECISION_RECORDED, "meeting_closed");
    assert_int_equal(council_meeting_minutes(f->c, mid, 16, "遅い"), COUNCIL_EDENIED);
    expect_last(f->c, COUNCIL_AUDIT_ACTION_MINUTES_RECORDED, "meeting_closed");

    /* The insider (A's staff, holding the database key) forges a decision
     * row, then turns B's decision about no case into one about the case,
     * then the case decision into one for everybody: each fails closed. */
    {
        sqlite3_stmt *st;
        uint8_t fake[16], sig[64];
        memset(fake, 0x5a, sizeof fake);
        memset(sig, 0x11, sizeof sig);
        assert_int_equal(sqlite3_prepare_v2(sa->db, "INSERT INTO meeting_decision (id, meeting_id, "
                                            "case_id, memo_id, recorded, sig) SELECT ?1, meeting_id, "
                                            "NULL, memo_id, recorded, ?2 FROM meeting_decision WHERE "
                                            "id = ?3;", -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, fake, 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, sig, 64, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, d1, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
        assert_int_equal(council__meeting_decision_check(f->c, "t", fake, NULL), COUNCIL_ETAMPER);
        expect_last(f->c, COUNCIL_AUDIT_ACTION_TAMPER_DETECTED, "forged_meeting_decision");
        assert_int_equal(council_meeting_record(f->c, &out, mid, 16), COUNCIL_ETAMPER);
        assert_null(out.ptr);
        assert_int_equal(sqlite3_exec(sa->db, "DELETE FROM meeting_decision WHERE sig = "
                                      "zeroblob(0) OR length(sig) = 64 AND hex(sig) LIKE '1111%';",
                                      NULL, NULL, NULL), SQLITE_OK);
        assert_int_equal(council__meeting_decision_check(f->c, "t", d1, cid), COUNCIL_OK);
        /* The case decision made readable by all: its row no longer the
         * secretariat's. */
        assert_int_equal(sqlite3_prepare_v2(sa->db, "UPDATE meeting_decision SET case_id = NULL "
                                            "WHERE id = ?1;", -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, d1, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
        assert_int_equal(council__meeting_decision_check(f->c, "t", d1, NULL), COUNCIL_ETAMPER);
        sb = staff_open(f, f->sb, &f->kb);
        assert_int_equal(council_meeting_decision_read(sb, &out, d1, 16), COUNCIL_ETAMPER);
        assert_null(out.ptr);
        council_close(sb);
        /* Forged minutes: refused as well. */
        assert_int_equal(sqlite3_exec(sa->db, "UPDATE meeting_minutes SET recorded = recorded + 1;",
                                      NULL, NULL, NULL), SQLITE_OK);
        assert_int_equal(council_meeting_record(f->c, &out, mid, 16), COUNCIL_ETAMPER);
        expect_last(f->c, COUNCIL_AUDIT_ACTION_TAMPER_DETECTED, NULL);
    }
    council_close(sa);
}

/* A packet's decisions follow the agenda: an attendee given the case
 * after the decision still gets none it was not sealed to, and a decision
 * about an erased case drops out. */
static void test_decision_entitlement_is_the_seal(void **state)
{
    fx *f = *state;
    static const char *const sit[] = { "situation" };
    uint8_t cid[16], pid[16], mid[16], d1[16], att[32];
    council *sa = staff_open(f, f->sa, &f->ka);
    council_meeting_options mo;
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    council_buf pkt = { NULL, 0 };
    Council__V1__MeetingPacket *p;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("内容"), COUNCIL_OK);
    memcpy(att, f->mb, 16);
    memcpy(att + 16, f->mc, 16);
    meeting_opts(&mo, COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL, att, 2);
    assert_int_equal(council_meeting_create(f->c, mid, 16, &mo), COUNCIL_OK);
    so.scopes = sit;
    so.n_scopes = 1;
    so.purpose = "meeting_discussion";
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "協議";
    assert_int_equal(council_meeting_add_case(f->c, mid, 16, cid, 16, f->mc, 16, &so), COUNCIL_OK);
    assert_int_equal(council_meeting_decide(f->c, d1, 16, mid, 16, cid, 16, "決定"), COUNCIL_OK);
    /* B gets the case on the agenda only afterwards: not sealed to B. */
    assert_int_equal(council_meeting_add_case(f->c, mid, 16, cid, 16, f->mb, 16, &so), COUNCIL_OK);
    assert_int_equal(council_meeting_packet(f->c, &pkt, mid, 16, f->mb, 16), COUNCIL_OK);
    p = unseal(&f->kb, &pkt);
    assert_int_equal(p->n_decisions, 0);
    assert_false(p->minutes != NULL);
    council__v1__meeting_packet__free_unpacked(p, NULL);
    council_buf_free(&pkt);
    /* The case erased: its decision's memo goes with it. */
    assert_int_equal(council_case_erase(f->c, cid, 16, "retention_expired"), COUNCIL_OK);
    assert_int_equal(council_meeting_packet(f->c, &pkt, mid, 16, f->mc, 16), COUNCIL_OK);
    p = unseal(&f->kc, &pkt);
    assert_int_equal(p->n_decisions, 0);
    council__v1__meeting_packet__free_unpacked(p, NULL);
    council_buf_free(&pkt);
    council_close(sa);
}

/* ------------------------------------------------ joint operation, bodies */

static void set_policy(council *c, const char *const *bases, size_t n, int cross)
{
    council_policy_options po = COUNCIL_POLICY_OPTIONS_INIT;
    po.accepted_bases = bases;
    po.n_accepted_bases = n;
    po.cross_body_use = cross;
    assert_int_equal(council_policy_set(c, &po), COUNCIL_OK);
}

/* A meeting held as the council and as the support meeting in split
 * slots; each item under a body; a case used under another body only by
 * policy or consent; the support meeting's basis only at its own body. */
static void test_joint_bodies(void **state)
{
    fx *f = *state;
    static const char *const sit[] = { "situation" };
    static const char *const base[] = { "consent", "appi_27_1_4_public_duty" };
    static const char *const with_swa[] = { "consent", "appi_27_1_4_public_duty",
                                            "swa_106_6_support_meeting" };
    uint8_t scid[16], spid[16], ccid[16], cpid[16], mid[16], bad[16];
    council *sa = staff_open(f, f->sa, &f->ka);
    council_case_options co = COUNCIL_CASE_OPTIONS_INIT;
    council_meeting_options mo;
    council_meeting_slot slots[2];
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    council_agenda_options ao = COUNCIL_AGENDA_OPTIONS_INIT;
    council_buf out = { NULL, 0 };

    co.body = COUNCIL_CASE_BODY_SUPPORT_MEETING; /* collected by the support meeting */
    assert_int_equal(council_case_create(sa, scid, 16, spid, 16, &co), COUNCIL_OK);
    put(sa, scid, spid, "situation", sec_text("支援会議の情報"), COUNCIL_OK);
    new_case(sa, ccid, cpid);
    put(sa, ccid, cpid, "situation", sec_text("協議会の情報"), COUNCIL_OK);

    meeting_opts(&mo, COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL, f->mc, 1);
    slots[0].body = COUNCIL_MEETING_BODY_COUNCIL;
    slots[0].starts = mo.starts;
    slots[0].ends = mo.starts + 1800;
    slots[1].body = COUNCIL_MEETING_BODY_SUPPORT_MEETING;
    slots[1].starts = mo.starts + 1800;
    slots[1].ends = mo.ends;
    mo.slots = slots;
    mo.n_slots = 2;
    /* Slots: in the window, in order, a case body each. */
    slots[1].starts = mo.starts + 1000;
    assert_int_equal(council_meeting_create(f->c, bad, 16, &mo), COUNCIL_EINVAL);
    slots[1].starts = mo.starts + 1800;
    slots[1].body = COUNCIL_MEETING_BODY_JOINT_PLATFORM;
    assert_int_equal(council_meeting_create(f->c, bad, 16, &mo), COUNCIL_EINVAL);
    slots[1].body = COUNCIL_MEETING_BODY_SUPPORT_MEETING;
    slots[1].ends = mo.ends + 1;
    assert_int_equal(council_meeting_create(f->c, bad, 16, &mo), COUNCIL_EINVAL);
    slots[1].ends = mo.ends;
    mo.n_slots = COUNCIL_MEETING_SLOTS_MAX + 1;
    assert_int_equal(council_meeting_create(f->c, bad, 16, &mo), COUNCIL_EINVAL);
    mo.n_slots = 2;
    assert_int_equal(council_meeting_create(f->c, mid, 16, &mo), COUNCIL_OK);
    expect_last(f->c, COUNCIL_AUDIT_ACTION_MEETING_OPENED, "joint_slots");

    so.scopes = sit;
    so.n_scopes = 1;
    so.purpose = "meeting_discussion";
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "協議";
    ao.share = &so;
    /* Not held as the needs-of-the-poor meeting. */
    ao.body = COUNCIL_MEETING_BODY_NEEDS_OF_POOR_MEETING;
    assert_int_equal(council_meeting_add_item(f->c, mid, 16, scid, 16, f->mc, 16, &ao), COUNCIL_EINVAL);
    ao.body = COUNCIL_MEETING_BODY_JOINT_PLATFORM;
    assert_int_equal(council_meeting_add_item(f->c, mid, 16, scid, 16, f->mc, 16, &ao), COUNCIL_EINVAL);
    /* The support meeting's case under the council: cross-body, refused
     * without a policy or consent, logged, nothing shared. */
    ao.body = COUNCIL_MEETING_BODY_COUNCIL;
    assert_int_equal(council_meeting_add_item(f->c, mid, 16, scid, 16, f->mc, 16, &ao),
                     COUNCIL_ENOCONSENT);
    expect_last(f->c, COUNCIL_AUDIT_ACTION_DISCLOSURE_REFUSED, "cross_body_use");
    /* The old call: the meeting's own body (the council) — the same rule. */
    assert_int_equal(council_meeting_add_case(f->c, mid, 16, scid, 16, f->mc, 16, &so),
                     COUNCIL_ENOCONSENT);
    assert_int_equal(count(f->c, "SELECT count(*) FROM case_share WHERE meeting_id = ?1", mid), 0);
    assert_int_equal(count(f->c, "SELECT count(*) FROM meeting_item WHERE meeting_id = ?1", mid), 0);

    /* Under its own body, with the support meeting's basis: not accepted
     * until the council configures it. */
    ao.body = COUNCIL_MEETING_BODY_SUPPORT_MEETING;
    so.basis = "swa_106_6_support_meeting";
    so.reason = "社会福祉法第106条の6の支援会議";
    assert_int_equal(council_meeting_add_item(f->c, mid, 16, scid, 16, f->mc, 16, &ao),
                     COUNCIL_ENOCONSENT);
    expect_last(f->c, COUNCIL_AUDIT_ACTION_DISCLOSURE_REFUSED, "basis_not_accepted");
    set_policy(f->c, with_swa, 3, 0);
    assert_int_equal(council_meeting_add_item(f->c, mid, 16, scid, 16, f->mc, 16, &ao), COUNCIL_OK);
    /* The basis outside its body: the council case under the council at
     * this meeting, and a plain share, are refused. */
    ao.body = COUNCIL_MEETING_BODY_COUNCIL;
    assert_int_equal(council_meeting_add_item(f->c, mid, 16, ccid, 16, f->mc, 16, &ao),
                     COUNCIL_ENOCONSENT);
    expect_last(f->c, COUNCIL_AUDIT_ACTION_DISCLOSURE_REFUSED, "basis_outside_its_body");
    so.purpose = "support_coordination";
    assert_int_equal(council_case_share(sa, ccid, 16, f->mb, 16, &so), COUNCIL_ENOCONSENT);
    expect_last(f->c, COUNCIL_AUDIT_ACTION_DISCLOSURE_REFUSED, "basis_outside_its_body");
    so.purpose = "meeting_discussion";
    /* The council case under the council, on public duty: fine. */
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "協議";
    assert_int_equal(council_meeting_add_item(f->c, mid, 16, ccid, 16, f->mc, 16, &ao), COUNCIL_OK);
    /* The meeting shows its slots and each item's body. */
    assert_int_equal(council_meeting_get(f->c, &out, mid, 16), COUNCIL_OK);
    {
        Council__V1__Meeting *m = council__v1__meeting__unpack(NULL, out.len, out.ptr);
        assert_non_null(m);
        assert_int_equal(m->n_slots, 2);
        assert_int_equal(m->slots[1]->body, COUNCIL_MEETING_BODY_SUPPORT_MEETING);
        assert_int_equal(m->n_items, 2);
        for (size_t i = 0; i < m->n_items; i++) {
            assert_true(m->items[i]->has_body);
            assert_int_equal(m->items[i]->body, memcmp(m->items[i]->case_id.data, scid, 16) == 0
                                                    ? COUNCIL_MEETING_BODY_SUPPORT_MEETING
                                                    : COUNCIL_MEETING_BODY_COUNCIL);
        }
        council__v1__meeting__free_unpacked(m, NULL);
    }
    council_buf_free(&out);

    /* A consent covering the discussion at the council's meeting makes
     * the cross-body use lawful (basis consent, through the decision). */
    {
        static const char *const mtg_purpose[] = { "meeting_discussion" };
        static const char *const wishes[] = { "wishes" };
        council_consent_options cn = COUNCIL_CONSENT_OPTIONS_INIT;
        council_share_options cs = COUNCIL_SHARE_OPTIONS_INIT;
        uint8_t consent[16];
        put(sa, scid, spid, "wishes", sec_text("本人の希望"), COUNCIL_OK);
        cn.case_id = scid;
        cn.case_id_len = 16;
        cn.subject_person = spid;
        cn.subject_person_len = 16;
        cn.recipient_members = f->mc;
        cn.n_recipient_members = 1;
        cn.scopes = wishes;
        cn.n_scopes = 1;
        cn.purposes = mtg_purpose;
        cn.n_purposes = 1;
        cn.method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_WRITTEN;
        assert_int_equal(council_consent_record(sa, consent, 16, &cn), COUNCIL_OK);
        cs.scopes = wishes;
        cs.n_scopes = 1;
        cs.purpose = "meeting_discussion";
        cs.basis = "consent";
        cs.consent_id = consent;
        cs.consent_id_len = 16;
        ao.share = &cs;
        ao.body = COUNCIL_MEETING_BODY_COUNCIL;
        assert_int_equal(council_meeting_add_item(f->c, mid, 16, scid, 16, f->mc, 16, &ao), COUNCIL_OK);
        /* But a scope C holds already through the support meeting's item
         * is not covered by this consent at the council's table. */
        cs.scopes = sit;
        assert_int_equal(council_meeting_add_item(f->c, mid, 16, scid, 16, f->mc, 16, &ao),
                         COUNCIL_ENOCONSENT);
        expect_last(f->c, COUNCIL_AUDIT_ACTION_DISCLOSURE_REFUSED, "cross_body_use");
        ao.share = &so;
        /* The meeting shows the case twice for C: under each body. */
        assert_int_equal(council_meeting_get(f->c, &out, mid, 16), COUNCIL_OK);
        {
            Council__V1__Meeting *m = council__v1__meeting__unpack(NULL, out.len, out.ptr);
            size_t under_council = 0, under_support = 0;
            assert_non_null(m);
            assert_int_equal(m->n_items, 3);
            for (size_t i = 0; i < m->n_items; i++)
                if (memcmp(m->items[i]->case_id.data, scid, 16) == 0) {
                    under_council += m->items[i]->body == COUNCIL_MEETING_BODY_COUNCIL &&
                                     m->items[i]->n_scopes == 1 &&
                                     strcmp(m->items[i]->scopes[0], "wishes") == 0;
                    under_support += m->items[i]->body == COUNCIL_MEETING_BODY_SUPPORT_MEETING &&
                                     m->items[i]->n_scopes == 1 &&
                                     strcmp(m->items[i]->scopes[0], "situation") == 0;
                }
            assert_int_equal(under_council, 1);
            assert_int_equal(under_support, 1);
            council__v1__meeting__free_unpacked(m, NULL);
        }
        council_buf_free(&out);
    }

    /* Where the council's policy allows cross-body use: the support
     * meeting's case under the council, for attendee C at a second meeting. */
    {
        uint8_t mid2[16];
        meeting_opts(&mo, COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL, f->mb, 1);
        mo.n_slots = 0;
        assert_int_equal(council_meeting_create(f->c, mid2, 16, &mo), COUNCIL_OK);
        ao.body = 0;
        assert_int_equal(council_meeting_add_item(f->c, mid2, 16, scid, 16, f->mb, 16, &ao),
                         COUNCIL_ENOCONSENT);
        set_policy(f->c, base, 2, 1);
        assert_int_equal(council_meeting_add_item(f->c, mid2, 16, scid, 16, f->mb, 16, &ao),
                         COUNCIL_OK);
        assert_int_equal(council_policy_get(f->c, &out), COUNCIL_OK);
        {
            Council__V1__Policy *pol = council__v1__policy__unpack(NULL, out.len, out.ptr);
            assert_non_null(pol);
            assert_true(pol->has_cross_body_use && pol->cross_body_use);
            council__v1__policy__free_unpacked(pol, NULL);
        }
        council_buf_free(&out);
    }

    /* The insider re-labels an item's body, or adds a slot: the meeting's
     * rows are no longer the secretariat's. */
    assert_int_equal(sqlite3_exec(sa->db, "UPDATE meeting_item SET body = 4 WHERE body = 2;", NULL,
                                  NULL, NULL), SQLITE_OK);
    assert_int_equal(council_meeting_packet(f->c, &out, mid, 16, f->mc, 16), COUNCIL_ETAMPER);
    assert_int_equal(sqlite3_exec(sa->db, "UPDATE meeting_item SET body = 2 WHERE body = 4;", NULL,
                                  NULL, NULL), SQLITE_OK);
    assert_int_equal(council_meeting_packet(f->c, &out, mid, 16, f->mc, 16), COUNCIL_OK);
    council_buf_free(&out);
    {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(sa->db, "INSERT INTO meeting_slot (meeting_id, body, "
                                            "starts, ends) VALUES (?1, 4, 1, 2);", -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_blob(st, 1, mid, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    ao.body = COUNCIL_MEETING_BODY_NEEDS_OF_POOR_MEETING;
    assert_int_equal(council_meeting_add_item(f->c, mid, 16, ccid, 16, f->mc, 16, &ao), COUNCIL_ETAMPER);
    council_close(sa);
}

/* The secretariat's own people record the meeting (not only the council
 * passphrase), and read every record; the row is the council's. */
static void test_secretariat_staff_records(void **state)
{
    fx *f = *state;
    static const char *const sit[] = { "situation" };
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    council_meeting_options mo;
    council_buf ksec = { NULL, 0 }, out = { NULL, 0 };
    uint8_t sec[16], sst[16], cid[16], pid[16], mid[16], d1[16];
    council *sa = staff_open(f, f->sa, &f->ka), *ss;

    o.name = "北市 福祉政策課（事務局）";
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_MUNICIPAL_DEPARTMENT;
    o.roles = COUNCIL_ROLE_SECRETARIAT;
    o.scopes = all_scopes;
    o.n_scopes = 10;
    assert_int_equal(council_member_add(f->c, sec, 16, &o), COUNCIL_OK);
    assert_int_equal(council_member_keygen(f->c, &ksec, sec, 16, (const uint8_t *)MPASS,
                                           strlen(MPASS), TH_OPS, TH_MEM), COUNCIL_OK);
    staff(f->c, sst, sec);
    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("内容"), COUNCIL_OK);
    meeting_opts(&mo, COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL, f->mc, 1);
    assert_int_equal(council_meeting_create(f->c, mid, 16, &mo), COUNCIL_OK);
    so.scopes = sit;
    so.n_scopes = 1;
    so.purpose = "meeting_discussion";
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "協議";
    assert_int_equal(council_meeting_add_case(f->c, mid, 16, cid, 16, f->mc, 16, &so), COUNCIL_OK);
    ss = staff_open(f, sst, &ksec);
    assert_int_equal(council_meeting_minutes(ss, mid, 16, "事務局の職員が記録"), COUNCIL_OK);
    assert_int_equal(council_meeting_decide(ss, d1, 16, mid, 16, cid, 16, "決定"), COUNCIL_OK);
    assert_int_equal(council__meeting_decision_check(f->c, "t", d1, cid), COUNCIL_OK);
    assert_int_equal(council_meeting_record(ss, &out, mid, 16), COUNCIL_OK);
    {
        Council__V1__MeetingRecord *r = council__v1__meeting_record__unpack(NULL, out.len, out.ptr);
        assert_non_null(r);
        assert_string_equal(r->minutes, "事務局の職員が記録");
        assert_int_equal(r->n_decisions, 1);
        assert_string_equal(r->decisions[0]->text, "決定");
        council__v1__meeting_record__free_unpacked(r, NULL);
    }
    council_buf_free(&out);
    council_close(ss);
    /* The case's owner, not attending, does not read it. */
    assert_int_equal(council_meeting_decision_read(sa, &out, d1, 16), COUNCIL_EDENIED);
    council_close(sa);
    council_buf_free(&ksec);
}

/* Callers built for the first versions of the options keep working. */
static void test_v1_options(void **state)
{
    fx *f = *state;
    static const char *const bases[] = { "consent" };
    council_policy_options po = COUNCIL_POLICY_OPTIONS_INIT;
    council_meeting_options mo;
    uint8_t mid[16];

    po.version = COUNCIL_POLICY_OPTIONS_VERSION_1;
    po.accepted_bases = bases;
    po.n_accepted_bases = 1;
    po.cross_body_use = 7; /* beyond a v1 struct: never read */
    assert_int_equal(council_policy_set(f->c, &po), COUNCIL_OK);
    po.version = 3;
    assert_int_equal(council_policy_set(f->c, &po), COUNCIL_EMISUSE);
    po.version = COUNCIL_POLICY_OPTIONS_VERSION;
    assert_int_equal(council_policy_set(f->c, &po), COUNCIL_EINVAL);
    meeting_opts(&mo, COUNCIL__V1__MEETING_BODY__MEETING_BODY_SUPPORT_MEETING, f->mc, 1);
    mo.version = COUNCIL_MEETING_OPTIONS_VERSION_1;
    mo.n_slots = 99; /* beyond a v1 struct: never read */
    assert_int_equal(council_meeting_create(f->c, mid, 16, &mo), COUNCIL_OK);
    assert_int_equal(count(f->c, "SELECT count(*) FROM meeting_slot WHERE meeting_id = ?1", mid), 0);
}

static void set_case_body(council *s, const uint8_t cid[16], int body)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, "UPDATE case_record SET body = ?2 WHERE id = ?1;",
                                        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, body);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* The insider re-labels a case's body (the support meeting's case as the
 * council's, or back): the body decides cross-body use, so the row is no
 * longer the one created and nothing is disclosed. */
static void test_case_body_is_bound(void **state)
{
    fx *f = *state;
    static const char *const sit[] = { "situation" };
    uint8_t scid[16], spid[16], ccid[16], cpid[16], mid[16];
    council *sa = staff_open(f, f->sa, &f->ka);
    council_case_options co = COUNCIL_CASE_OPTIONS_INIT;
    council_meeting_options mo;
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    council_agenda_options ao = COUNCIL_AGENDA_OPTIONS_INIT;
    council_buf out = { NULL, 0 };

    co.body = COUNCIL_CASE_BODY_SUPPORT_MEETING;
    assert_int_equal(council_case_create(sa, scid, 16, spid, 16, &co), COUNCIL_OK);
    put(sa, scid, spid, "situation", sec_text("支援会議の情報"), COUNCIL_OK);
    new_case(sa, ccid, cpid);
    meeting_opts(&mo, COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL, f->mc, 1);
    assert_int_equal(council_meeting_create(f->c, mid, 16, &mo), COUNCIL_OK);
    so.scopes = sit;
    so.n_scopes = 1;
    so.purpose = "meeting_discussion";
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "協議";
    ao.share = &so;
    assert_int_equal(council_meeting_add_item(f->c, mid, 16, scid, 16, f->mc, 16, &ao),
                     COUNCIL_ENOCONSENT);

    /* Relabelled as the council's case: refused as forged, nothing shared. */
    set_case_body(sa, scid, COUNCIL_CASE_BODY_COUNCIL);
    assert_int_equal(council_meeting_add_item(f->c, mid, 16, scid, 16, f->mc, 16, &ao),
                     COUNCIL_ETAMPER);
    assert_int_equal(count(f->c, "SELECT count(*) FROM case_share WHERE meeting_id = ?1", mid), 0);
    assert_int_equal(count(f->c, "SELECT count(*) FROM meeting_item WHERE meeting_id = ?1", mid), 0);
    assert_int_equal(council_case_get(sa, &out, scid, 16), COUNCIL_ETAMPER);
    /* And the council's case relabelled as the support meeting's. */
    set_case_body(sa, ccid, COUNCIL_CASE_BODY_SUPPORT_MEETING);
    assert_int_equal(council_case_get(sa, &out, ccid, 16), COUNCIL_ETAMPER);
    /* Put back, the rows are the ones created. */
    set_case_body(sa, scid, COUNCIL_CASE_BODY_SUPPORT_MEETING);
    set_case_body(sa, ccid, COUNCIL_CASE_BODY_COUNCIL);
    assert_int_equal(council_case_get(sa, &out, scid, 16), COUNCIL_OK);
    council_buf_free(&out);
    assert_int_equal(council_case_get(sa, &out, ccid, 16), COUNCIL_OK);
    council_buf_free(&out);
    council_close(sa);
}

/* The case's disclosure to an attendee revoked during the meeting (a
 * consent withdrawn, an owner's revocation): a decision about the case
 * recorded afterwards is not sealed to that attendee. */
static void test_decision_after_revocation(void **state)
{
    fx *f = *state;
    static const char *const sit[] = { "situation" };
    uint8_t cid[16], pid[16], mid[16], d1[16];
    council *sa = staff_open(f, f->sa, &f->ka), *sc;
    council_meeting_options mo;
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    council_buf pkt = { NULL, 0 }, out = { NULL, 0 };
    Council__V1__MeetingPacket *p;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("会議で話す内容"), COUNCIL_OK);
    meeting_opts(&mo, COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL, f->mc, 1);
    assert_int_equal(council_meeting_create(f->c, mid, 16, &mo), COUNCIL_OK);
    so.scopes = sit;
    so.n_scopes = 1;
    so.purpose = "meeting_discussion";
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "支援方針の協議";
    assert_int_equal(council_meeting_add_case(f->c, mid, 16, cid, 16, f->mc, 16, &so), COUNCIL_OK);
    assert_int_equal(council_case_revoke(sa, cid, 16, f->mc, 16, sit, 1, "consent_withdrawn"),
                     COUNCIL_OK);
    assert_int_equal(council_meeting_decide(f->c, d1, 16, mid, 16, cid, 16, "Cが訪問する"), COUNCIL_OK);
    /* Not in C's packet, not C's to read; the council reads it. */
    assert_int_equal(council_meeting_packet(f->c, &pkt, mid, 16, f->mc, 16), COUNCIL_OK);
    p = unseal(&f->kc, &pkt);
    assert_int_equal(p->n_decisions, 0);
    assert_int_equal(p->n_cases, 0);
    council__v1__meeting_packet__free_unpacked(p, NULL);
    council_buf_free(&pkt);
    sc = staff_open(f, f->sc, &f->kc);
    assert_int_equal(council_meeting_decision_read(sc, &out, d1, 16), COUNCIL_EDENIED);
    assert_null(out.ptr);
    council_close(sc);
    assert_int_equal(council_meeting_decision_read(f->c, &out, d1, 16), COUNCIL_OK);
    council_buf_free(&out);

    /* The window's end is no revocation: a decision recorded after it (the
     * meeting not closed) still reaches the attendee it was disclosed to. */
    {
        uint8_t mid2[16], d2[16];
        council *sb;
        meeting_opts(&mo, COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL, f->mb, 1);
        mo.ends = (int64_t)time(NULL) + 2;
        assert_int_equal(council_meeting_create(f->c, mid2, 16, &mo), COUNCIL_OK);
        assert_int_equal(council_meeting_add_case(f->c, mid2, 16, cid, 16, f->mb, 16, &so),
                         COUNCIL_OK);
        sleep(3);
        assert_int_equal(council_meeting_decide(f->c, d2, 16, mid2, 16, cid, 16, "Bが同行する"),
                         COUNCIL_OK);
        sb = staff_open(f, f->sb, &f->kb);
        assert_int_equal(council_meeting_decision_read(sb, &out, d2, 16), COUNCIL_OK);
        council_buf_free(&out);
        council_close(sb);
    }
    council_close(sa);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_meetings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_meeting_window_expires, setup, teardown),
        cmocka_unit_test_setup_teardown(test_minutes_and_decisions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decision_entitlement_is_the_seal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_joint_bodies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_secretariat_staff_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v1_options, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_body_is_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decision_after_revocation, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
