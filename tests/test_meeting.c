/* test_meeting.c - meetings: disclosures per attendee pass the decision
 * and end with the meeting or its window; a packet is sealed to its
 * attendee. Moved unchanged from test_consent.c (issue 11: tests follow
 * the rooms). */
#include "case_fixture.h"
#include "council/v1/meeting.pb-c.h"
#include "keyfile.h"

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
    meeting_opts(&mo, COUNCIL__V1__MEETING_BODY__MEETING_BODY_SUPPORT_MEETING, f->mc, 1);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_meetings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_meeting_window_expires, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
