/* test_provision.c - the provision register (issue 16): its rows equal the
 * log's provision events for a scenario with a share, a meeting, a
 * referral, a request answer and an outside disclosure; period and member
 * filters; who may read it; the insider who hides or edits an event; the
 * disclosure to an outside party and each of its refusals. */
#include "case_fixture.h"

#include <jansson.h>

#include "council/v1/referral.pb-c.h"
#include "council/v1/request.pb-c.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define PARTY "北市くらし相談センター"

static const char *const p_support[] = { "support_coordination" };
static const char *const sc_sit[] = { "situation" };

/* The newest event: action, refused?, reason. */
static void expect_last(council *c, int action, bool refused, const char *reason)
{
    Council__V1__AuditEvent *e = last_event(c);

    assert_int_equal(e->action, action);
    assert_int_equal(e->outcome == COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED, refused);
    if (reason != NULL) {
        assert_non_null(e->reason);
        assert_string_equal(e->reason, reason);
    }
    council__v1__audit_event__free_unpacked(e, NULL);
}

/* A consent of the person supported naming the outside party (or, party
 * NULL, member m), for the situation, for support coordination. */
static void consent_outside(council *s, uint8_t id[16], const uint8_t cid[16],
                            const uint8_t pid[16], const char *party, const uint8_t *m,
                            int64_t until)
{
    council_consent_options o = COUNCIL_CONSENT_OPTIONS_INIT;

    o.case_id = cid;
    o.case_id_len = 16;
    o.subject_person = pid;
    o.subject_person_len = 16;
    o.external_party = party;
    o.recipient_members = m;
    o.n_recipient_members = m != NULL ? 1 : 0;
    o.scopes = sc_sit;
    o.n_scopes = 1;
    o.purposes = p_support;
    o.n_purposes = 1;
    o.method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_WRITTEN;
    o.valid_until = until;
    assert_int_equal(council_consent_record(s, id, 16, &o), COUNCIL_OK);
}

static int outside(council *s, council_buf *out, const uint8_t cid[16], const uint8_t *consent,
                   const char *scope, const uint8_t *party)
{
    council_outside_options o = COUNCIL_OUTSIDE_OPTIONS_INIT;
    const char *sc[1] = { scope };

    o.consent_id = consent;
    o.consent_id_len = 16;
    o.scopes = sc;
    o.n_scopes = 1;
    o.purpose = "support_coordination";
    o.party_id = party;
    o.party_id_len = party != NULL ? 16 : 0;
    return council_outside_disclose(s, out, cid, 16, &o);
}

/* The register as JSON, parsed. */
static council *g_root; /* the secretariat's handle, to read the log */

static json_t *reg(council *c, const uint8_t *member, int64_t from, int64_t to, int want)
{
    council_provision_options o = COUNCIL_PROVISION_OPTIONS_INIT;
    council_buf out = { NULL, 0 };
    json_t *j = NULL;

    o.member_id = member;
    o.member_id_len = member != NULL ? 16 : 0;
    o.from = from;
    o.to = to;
    assert_int_equal(council_provision_register(c, &out, &o), want);
    if (want == COUNCIL_OK) {
        json_error_t err;
        j = json_loadb((const char *)out.ptr, out.len, 0, &err);
        assert_non_null(j);
        expect_last(g_root, ACT(PROVISION_REGISTER_PRODUCED), false, "json");
    } else {
        assert_null(out.ptr);
    }
    council_buf_free(&out);
    return j;
}

static size_t n_rows(const json_t *j)
{
    return json_array_size(json_object_get(j, "rows"));
}

/* The scenario: A's case shared with B (a share), with C (a meeting's
 * agenda), wishes referred to B, the situation given to the council side
 * in a request's answer, and given to an outside party by consent. */
typedef struct scen {
    uint8_t cid[16], pid[16], mid[16], rid[16], qid[16], consent[16], party[16];
    council *sa, *sb, *sc;
} scen;

static void scenario(fx *f, scen *s)
{
    static const char *const bases[] = { "consent", "appi_27_1_4_public_duty",
                                         "council_art16_exchange" };
    council_policy_options po = COUNCIL_POLICY_OPTIONS_INIT;
    council_referral_options ro = COUNCIL_REFERRAL_OPTIONS_INIT;
    council_request_options qo = COUNCIL_REQUEST_OPTIONS_INIT;
    council_request_answer_options qa = COUNCIL_REQUEST_ANSWER_OPTIONS_INIT;
    council_buf out = { NULL, 0 };
    const char *wishes[1] = { "wishes" };
    Council__V1__ConsentRecord *cr;

    g_root = f->c;
    po.accepted_bases = bases;
    po.n_accepted_bases = 3;
    assert_int_equal(council_policy_set(f->c, &po), COUNCIL_OK);
    s->sa = staff_open(f, f->sa, &f->ka);
    s->sb = staff_open(f, f->sb, &f->kb);
    s->sc = staff_open(f, f->sc, &f->kc);
    new_case(s->sa, s->cid, s->pid);
    put(s->sa, s->cid, s->pid, "situation", sec_text(CANARY_TEXT), COUNCIL_OK);
    put(s->sa, s->cid, s->pid, "wishes", sec_text("希望"), COUNCIL_OK);
    share(s->sa, s->cid, f->mb, "situation", COUNCIL_OK);
    /* The situation B holds, carried in a bundle (disclosure_made). */
    {
        council_bundle_options bo = COUNCIL_BUNDLE_OPTIONS_INIT;
        bo.purpose = "support_coordination";
        bo.basis = "appi_27_1_4_public_duty";
        assert_int_equal(council_bundle_case(f->c, &out, s->cid, 16, NULL, 0, f->mb, 16, &bo),
                         COUNCIL_OK);
        council_buf_free(&out);
    }
    meeting_on_situation(f, s->mid, f->mc, 3600, s->cid, "検討のため");
    /* A refers the wishes to B; B accepts; A delivers. */
    ro.case_id = s->cid;
    ro.case_id_len = 16;
    ro.to_member = f->mb;
    ro.to_member_len = 16;
    ro.scopes = wishes;
    ro.n_scopes = 1;
    ro.basis = "appi_27_1_4_public_duty";
    ro.reason = "支援につなぐため";
    assert_int_equal(council_referral_propose(s->sa, s->rid, 16, &ro), COUNCIL_OK);
    assert_int_equal(council_referral_transition(s->sb, s->rid, 16, COUNCIL_REFERRAL_ACCEPTED, NULL,
                                                 NULL, 0, 0), COUNCIL_OK);
    assert_int_equal(council_referral_deliver(s->sa, s->rid, 16), COUNCIL_OK);
    /* The council asks A for information; A answers with the situation. */
    qo.case_id = s->cid;
    qo.case_id_len = 16;
    qo.member_id = f->ma;
    qo.member_id_len = 16;
    qo.kinds = COUNCIL_REQUEST_KIND_INFORMATION;
    qo.scopes = sc_sit;
    qo.n_scopes = 1;
    qo.text = "状況を教えてください";
    qo.text_len = strlen(qo.text);
    qo.due = (int64_t)time(NULL) + 3600;
    qo.basis = "council_art16_exchange";
    assert_int_equal(council_request_make(f->c, s->qid, 16, &qo), COUNCIL_OK);
    qa.scopes = sc_sit;
    qa.n_scopes = 1;
    qa.text = "回答";
    qa.text_len = strlen(qa.text);
    assert_int_equal(council_request_answer(s->sa, s->qid, 16, &qa), COUNCIL_OK);
    /* The outside party, by consent. */
    consent_outside(s->sa, s->consent, s->cid, s->pid, PARTY, NULL, 0);
    assert_int_equal(council_consent_get(s->sa, &out, s->consent, 16), COUNCIL_OK);
    cr = council__v1__consent_record__unpack(NULL, out.len, out.ptr);
    assert_non_null(cr);
    assert_true(cr->has_external_party_id);
    memcpy(s->party, cr->external_party_id.data, 16);
    council__v1__consent_record__free_unpacked(cr, NULL);
    council_buf_free(&out);
    assert_int_equal(outside(s->sa, &out, s->cid, s->consent, "situation", NULL), COUNCIL_OK);
    council_buf_free(&out);
}

static void scen_close(scen *s)
{
    council_close(s->sa);
    council_close(s->sb);
    council_close(s->sc);
}

/* The provision events of the log, as the register must show them: each
 * allowed share_granted, disclosure_made, outside_disclosure with scopes. */
static size_t log_provisions(council *c, uint64_t *seqs, size_t cap, size_t *sides)
{
    uint64_t n = 0;
    size_t k = 0;

    *sides = 0;
    assert_int_equal(council__audit_size(c, &n), COUNCIL_OK);
    for (uint64_t i = 0; i < n; i++) {
        Council__V1__AuditEvent *e = event_at(c, i);
        if (e->outcome == COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED && e->n_scopes > 0 &&
            e->has_case_ref &&
            (e->action == ACT(SHARE_GRANTED) || e->action == ACT(DISCLOSURE_MADE) ||
             e->action == ACT(OUTSIDE_DISCLOSURE))) {
            assert_true(k < cap);
            seqs[k++] = e->seq;
            *sides += 1;
            if (e->action != ACT(OUTSIDE_DISCLOSURE) && e->has_subject_member)
                *sides += 1;
        }
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    return k;
}

static bool has_seq(const json_t *j, uint64_t seq, const char *direction)
{
    size_t i;
    json_t *r;

    json_array_foreach(json_object_get(j, "rows"), i, r) {
        if ((uint64_t)json_integer_value(json_object_get(r, "seq")) == seq &&
            (direction == NULL ||
             strcmp(json_string_value(json_object_get(r, "direction")), direction) == 0))
            return true;
    }
    return false;
}

static size_t count_dir(const json_t *j, const char *direction, const char *member_id_text)
{
    size_t i, k = 0;
    json_t *r;

    json_array_foreach(json_object_get(j, "rows"), i, r) {
        if (strcmp(json_string_value(json_object_get(r, "direction")), direction) == 0 &&
            (member_id_text == NULL ||
             strcmp(json_string_value(json_object_get(r, "member_id")), member_id_text) == 0))
            k++;
    }
    return k;
}

static void test_provision__register_matches_log(void **state)
{
    fx *f = *state;
    scen s;
    uint64_t seqs[64];
    size_t n, sides;
    char ta[37], tb[37], tc[37];
    json_t *j;

    scenario(f, &s);
    council__uuid_text(ta, f->ma);
    council__uuid_text(tb, f->mb);
    council__uuid_text(tc, f->mc);
    n = log_provisions(f->c, seqs, 64, &sides);
    /* share, bundle, meeting, referral delivery, request answer, outside */
    assert_int_equal(n, 6);
    j = reg(f->c, NULL, 0, 0, COUNCIL_OK);
    assert_int_equal(n_rows(j), sides);
    for (size_t i = 0; i < n; i++)
        assert_true(has_seq(j, seqs[i], "provided"));
    /* Every provision is A's (the owner's); B received the share, the
     * bundle and the referral, C the meeting's. */
    assert_int_equal(count_dir(j, "provided", ta), n);
    assert_int_equal(count_dir(j, "received", tb), 3);
    assert_int_equal(count_dir(j, "received", tc), 1);
    {
        size_t i;
        json_t *r;
        bool saw_outside = false, saw_council = false;
        json_array_foreach(json_object_get(j, "rows"), i, r) {
            json_t *to = json_object_get(r, "recipient");
            if (to == NULL)
                continue;
            const char *kind = json_string_value(json_object_get(to, "kind"));
            if (strcmp(kind, "outside") == 0) {
                saw_outside = true;
                assert_string_equal(json_string_value(json_object_get(to, "name")), PARTY);
                assert_string_equal(json_string_value(json_object_get(r, "basis")), "consent");
                assert_string_equal(json_string_value(json_object_get(r, "event")),
                                    "outside_disclosure");
                assert_non_null(json_string_value(json_object_get(r, "consent_id")));
            } else if (strcmp(kind, "council") == 0) {
                saw_council = true;
                assert_string_equal(json_string_value(json_object_get(r, "via")),
                                    "request_answered");
            } else {
                assert_string_equal(kind, "member");
            }
            /* the person by pseudonym, never a name */
            assert_int_equal(strlen(json_string_value(json_object_get(r, "case_ref"))), 64);
        }
        assert_true(saw_outside);
        assert_true(saw_council);
    }
    json_decref(j);
    /* One member's register: B's holds only its receipts. */
    j = reg(f->c, f->mb, 0, 0, COUNCIL_OK);
    assert_int_equal(n_rows(j), 3);
    assert_int_equal(count_dir(j, "received", tb), 3);
    json_decref(j);
    j = reg(f->c, f->ma, 0, 0, COUNCIL_OK);
    assert_int_equal(n_rows(j), n);
    json_decref(j);
    /* CSV: a header and one line a row. */
    {
        council_provision_options o = COUNCIL_PROVISION_OPTIONS_INIT;
        council_buf out = { NULL, 0 };
        size_t lines = 0;
        o.format = COUNCIL_REPORT_CSV;
        assert_int_equal(council_provision_register(f->c, &out, &o), COUNCIL_OK);
        for (size_t i = 0; i < out.len; i++)
            lines += out.ptr[i] == '\n';
        assert_int_equal(lines, sides + 1);
        assert_false(th_contains(out.ptr, out.len, CANARY_TEXT));
        council_buf_free(&out);
        expect_last(f->c, ACT(PROVISION_REGISTER_PRODUCED), false, "csv");
    }
    scen_close(&s);
}

static void test_provision__period(void **state)
{
    fx *f = *state;
    scen s;
    int64_t now = (int64_t)time(NULL);
    json_t *j;

    scenario(f, &s);
    j = reg(f->c, NULL, now + 3600, now + 7200, COUNCIL_OK);
    assert_int_equal(n_rows(j), 0);
    assert_non_null(json_object_get(j, "period"));
    json_decref(j);
    j = reg(f->c, NULL, now - 3600, now + 3600, COUNCIL_OK);
    assert_true(n_rows(j) >= 6);
    json_decref(j);
    j = reg(f->c, f->mc, now - 3600, now + 3600, COUNCIL_OK);
    assert_int_equal(n_rows(j), 1);
    json_decref(j);
    /* A fiscal year that holds now, and one that does not. */
    {
        council_provision_options o = COUNCIL_PROVISION_OPTIONS_INIT;
        council_buf out = { NULL, 0 };
        struct tm tm;
        time_t t = (time_t)now;
        int fy;
        gmtime_r(&t, &tm);
        fy = tm.tm_year + 1900 - (tm.tm_mon < 3 ? 1 : 0);
        o.fiscal_year = fy - 5;
        assert_int_equal(council_provision_register(f->c, &out, &o), COUNCIL_OK);
        assert_true(th_contains(out.ptr, out.len, "\"rows\":[\n]"));
        council_buf_free(&out);
        o.fiscal_year = 1969;
        assert_int_equal(council_provision_register(f->c, &out, &o), COUNCIL_EINVAL);
        o.fiscal_year = fy;
        o.from = 1;
        o.to = 2;
        assert_int_equal(council_provision_register(f->c, &out, &o), COUNCIL_EINVAL);
        o.fiscal_year = 0;
        o.from = 5;
        o.to = 5;
        assert_int_equal(council_provision_register(f->c, &out, &o), COUNCIL_EINVAL);
        o.from = 0;
        o.to = 0;
        o.format = 7;
        assert_int_equal(council_provision_register(f->c, &out, &o), COUNCIL_EINVAL);
        o.format = COUNCIL_REPORT_JSON;
        o.version = 99;
        assert_int_equal(council_provision_register(f->c, &out, &o), COUNCIL_EMISUSE);
    }
    scen_close(&s);
}

/* The secretariat reads any member's; a member's staff their own only. */
static void test_provision__who(void **state)
{
    fx *f = *state;
    scen s;
    json_t *j;

    scenario(f, &s);
    j = reg(s.sb, f->mb, 0, 0, COUNCIL_OK);
    assert_int_equal(n_rows(j), 3);
    json_decref(j);
    (void)reg(s.sb, f->ma, 0, 0, COUNCIL_EDENIED);
    expect_last(f->c, ACT(PROVISION_REGISTER_PRODUCED), true, "other_member");
    (void)reg(s.sb, NULL, 0, 0, COUNCIL_EDENIED);
    expect_last(f->c, ACT(PROVISION_REGISTER_PRODUCED), true, "secretariat_only");
    scen_close(&s);
}

static void exec_sql(council *c, const char *sql, uint64_t seq)
{
    sqlite3_stmt *st = NULL;

    assert_int_equal(sqlite3_prepare_v2(c->db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* The insider hides a row: cleared index columns change nothing (the
 * bodies are read); an edited body or a deleted event is ETAMPER with a
 * finding on the record. */
static void test_provision__insider(void **state)
{
    fx *f = *state;
    scen s;
    uint64_t seqs[64];
    size_t n, sides;
    json_t *j;

    scenario(f, &s);
    n = log_provisions(f->c, seqs, 64, &sides);
    exec_sql(s.sa, "UPDATE audit_event SET case_ref = NULL, action = 0, actor_member = NULL "
                   "WHERE seq = ?1;", seqs[0]);
    j = reg(s.sb, f->mb, 0, 0, COUNCIL_OK);
    assert_int_equal(n_rows(j), 3);
    json_decref(j);
    j = reg(f->c, NULL, 0, 0, COUNCIL_OK);
    assert_int_equal(n_rows(j), sides);
    assert_true(has_seq(j, seqs[0], "received"));
    json_decref(j);
    /* A body edited (one byte of the share's event). */
    exec_sql(s.sa, "UPDATE audit_event SET body = substr(body, 1, length(body) - 1) || x'00' "
                   "WHERE seq = ?1;", seqs[0]);
    (void)reg(s.sb, f->mb, 0, 0, COUNCIL_ETAMPER);
    expect_last(f->c, ACT(TAMPER_DETECTED), true, "log_event_edited");
    /* The event deleted instead. */
    exec_sql(s.sa, "DELETE FROM audit_event WHERE seq = ?1;", seqs[0]);
    (void)reg(s.sb, f->mb, 0, 0, COUNCIL_ETAMPER);
    expect_last(f->c, ACT(TAMPER_DETECTED), true, "log_events_deleted");
    (void)n;
    scen_close(&s);
}

/* The outside party gets the sections of the consent's scopes; the event
 * is on the record before; each refusal has its code. */
static void test_provision__outside(void **state)
{
    fx *f = *state;
    scen s;
    council_buf out = { NULL, 0 };
    uint8_t other[16], member_consent[16], short_consent[16], withdrawn[16];
    uint64_t before = 0, after = 0;

    scenario(f, &s);
    assert_int_equal(council__audit_size(f->c, &before), COUNCIL_OK);
    assert_int_equal(outside(s.sa, &out, s.cid, s.consent, "situation", s.party), COUNCIL_OK);
    assert_int_equal(council__audit_size(f->c, &after), COUNCIL_OK);
    assert_int_equal(after, before + 1);
    assert_true(th_contains(out.ptr, out.len, CANARY_TEXT));
    assert_true(th_contains(out.ptr, out.len, "council-outside-disclosure"));
    assert_true(th_contains(out.ptr, out.len, PARTY));
    council_buf_free(&out);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_int_equal(e->action, ACT(OUTSIDE_DISCLOSURE));
        assert_true(e->has_object_id);
        assert_memory_equal(e->object_id.data, s.party, 16);
        assert_memory_equal(e->consent_id.data, s.consent, 16);
        assert_string_equal(e->basis, "consent");
        assert_string_equal(e->purpose, "support_coordination");
        assert_int_equal(e->n_scopes, 1);
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    /* The secretariat may too; sealed to a key, only its holder opens it. */
    {
        council_outside_options o = COUNCIL_OUTSIDE_OPTIONS_INIT;
        uint8_t pk[32], sk[32], plain[8192];
        o.consent_id = s.consent;
        o.consent_id_len = 16;
        o.scopes = sc_sit;
        o.n_scopes = 1;
        o.purpose = "support_coordination";
        crypto_box_keypair(pk, sk);
        o.seal_pk = pk;
        o.seal_pk_len = 32;
        assert_int_equal(council_outside_disclose(f->c, &out, s.cid, 16, &o), COUNCIL_OK);
        assert_false(th_contains(out.ptr, out.len, CANARY_TEXT));
        assert_true(out.len > crypto_box_SEALBYTES && out.len - crypto_box_SEALBYTES < sizeof plain);
        assert_int_equal(crypto_box_seal_open(plain, out.ptr, out.len, pk, sk), 0);
        assert_true(th_contains(plain, out.len - crypto_box_SEALBYTES, CANARY_TEXT));
        council_buf_free(&out);
        o.seal_pk_len = 31;
        assert_int_equal(council_outside_disclose(f->c, &out, s.cid, 16, &o), COUNCIL_EINVAL);
    }
    /* Not the owner's staff. */
    assert_int_equal(outside(s.sb, &out, s.cid, s.consent, "situation", NULL), COUNCIL_EDENIED);
    expect_last(f->c, ACT(OUTSIDE_DISCLOSURE), true, "not_owner");
    assert_null(out.ptr);
    /* No such consent. */
    randombytes_buf(other, sizeof other);
    assert_int_equal(outside(s.sa, &out, s.cid, other, "situation", NULL), COUNCIL_ENOCONSENT);
    expect_last(f->c, ACT(OUTSIDE_DISCLOSURE), true, "consent_not_found");
    /* A consent naming a member, no outside party. */
    consent_outside(s.sa, member_consent, s.cid, s.pid, NULL, f->mb, 0);
    assert_int_equal(outside(s.sa, &out, s.cid, member_consent, "situation", NULL),
                     COUNCIL_ENOCONSENT);
    expect_last(f->c, ACT(OUTSIDE_DISCLOSURE), true, "no_outside_party");
    /* Another outside party than the consent names. */
    assert_int_equal(outside(s.sa, &out, s.cid, s.consent, "situation", other), COUNCIL_ENOCONSENT);
    expect_last(f->c, ACT(OUTSIDE_DISCLOSURE), true, "recipient_not_covered");
    /* A scope the consent does not cover. */
    assert_int_equal(outside(s.sa, &out, s.cid, s.consent, "wishes", NULL), COUNCIL_ENOCONSENT);
    expect_last(f->c, ACT(OUTSIDE_DISCLOSURE), true, "scope_not_covered");
    /* Withdrawn. */
    consent_outside(s.sa, withdrawn, s.cid, s.pid, "別の団体", NULL, 0);
    assert_int_equal(council_consent_withdraw(s.sa, withdrawn, 16, 0, "person_request"), COUNCIL_OK);
    assert_int_equal(outside(s.sa, &out, s.cid, withdrawn, "situation", NULL), COUNCIL_ENOCONSENT);
    expect_last(f->c, ACT(OUTSIDE_DISCLOSURE), true, "consent_withdrawn");
    /* Expired. */
    consent_outside(s.sa, short_consent, s.cid, s.pid, "期限付きの団体", NULL,
                    (int64_t)time(NULL) + 1);
    sleep(2);
    assert_int_equal(outside(s.sa, &out, s.cid, short_consent, "situation", NULL),
                     COUNCIL_ENOCONSENT);
    expect_last(f->c, ACT(OUTSIDE_DISCLOSURE), true, "consent_expired");
    /* The insider drops the consent's grant (its signature): a finding, no content. */
    {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(s.sa->db, "DELETE FROM consent_grant WHERE consent_id = ?1;",
                                            -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, s.consent, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
        assert_int_equal(outside(s.sa, &out, s.cid, s.consent, "situation", NULL), COUNCIL_ETAMPER);
        assert_null(out.ptr);
        expect_last(f->c, ACT(TAMPER_DETECTED), true, "forged_consent");
    }
    /* Arguments. */
    assert_int_equal(outside(s.sa, &out, s.cid, s.consent, "Bad Scope", NULL), COUNCIL_EINVAL);
    assert_int_equal(council_outside_disclose(s.sa, &out, s.cid, 16, NULL), COUNCIL_EMISUSE);
    assert_int_equal(council_outside_disclose(s.sa, NULL, s.cid, 16, NULL), COUNCIL_EMISUSE);
    scen_close(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_provision__register_matches_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_provision__period, setup, teardown),
        cmocka_unit_test_setup_teardown(test_provision__who, setup, teardown),
        cmocka_unit_test_setup_teardown(test_provision__insider, setup, teardown),
        cmocka_unit_test_setup_teardown(test_provision__outside, setup, teardown),
    };

    if (council_global_init() != COUNCIL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
