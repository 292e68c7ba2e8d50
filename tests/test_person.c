/* test_person.c - the person's file (council_person_report) and the case
 * pseudonym both ways: the file holds every read and every disclosure of
 * the case as the log has them (compared with council_audit_list by
 * pseudonym), nothing of another person (a family member who has not
 * consented) or another case; only the secretariat's named, pledged person
 * may produce it (root, another member's staff, retired staff refused,
 * each with its code), producing it is logged first, and an event the
 * insider hid from the case index is still listed; one edited or deleted
 * fails the file with ETAMPER. */
#include <jansson.h>

#include "case_fixture.h"

#define SCRIPT "<script>alert('x')</script>"
#define FAMILY_NAME "家族ヒミツ花子"
#define OTHER_CASE_TEXT "OTHER-CASE-TEXT-55aa"

typedef struct pfx {
    fx base;
    uint8_t sec[16], s1[16], s2[16];
    council_buf ksec;
    uint8_t cid[16], pid[16], fam[16], other[16], other_pid[16], mid[16], rid[16];
} pfx;

static int psetup(void **state)
{
    pfx *p = calloc(1, sizeof *p);
    void *inner = NULL;
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;
    fx *f;
    council *a, *b;

    assert_non_null(p);
    assert_int_equal(setup(&inner), 0);
    p->base = *(fx *)inner;
    free(inner);
    f = &p->base;
    o.name = "北市 福祉政策課（事務局）";
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_MUNICIPAL_DEPARTMENT;
    o.roles = COUNCIL_ROLE_SECRETARIAT;
    o.scopes = all_scopes;
    o.n_scopes = 10;
    assert_int_equal(council_member_add(f->c, p->sec, 16, &o), COUNCIL_OK);
    assert_int_equal(council_member_keygen(f->c, &p->ksec, p->sec, 16, (const uint8_t *)MPASS,
                                           strlen(MPASS), TH_OPS, TH_MEM), COUNCIL_OK);
    staff(f->c, p->s1, p->sec);
    staff(f->c, p->s2, p->sec);

    /* NPO A's case: the person, a family member with her own identity,
     * hostile text in the situation; another case with its own text. */
    a = staff_open(f, f->sa, &f->ka);
    new_case(a, p->cid, p->pid);
    put(a, p->cid, p->pid, "identity", sec_identity(CANARY_NAME, "1950-01-02"), COUNCIL_OK);
    put(a, p->cid, p->pid, "situation", sec_text("最初の状況"), COUNCIL_OK);
    put(a, p->cid, p->pid, "situation", sec_text(SCRIPT), COUNCIL_OK);
    assert_int_equal(council_case_add_person(a, p->fam, 16, p->cid, 16,
                                             COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_FAMILY),
                     COUNCIL_OK);
    put(a, p->cid, p->fam, "identity", sec_identity(FAMILY_NAME, "1980-03-04"), COUNCIL_OK);
    put(a, p->cid, p->fam, "family", sec_text("家族の事情"), COUNCIL_OK);
    new_case(a, p->other, p->other_pid);
    put(a, p->other, p->other_pid, "situation", sec_text(OTHER_CASE_TEXT), COUNCIL_OK);
    /* Disclosures: a share to B, a meeting for C, a referral to B. */
    share(a, p->cid, f->mb, "situation", COUNCIL_OK);
    {
        council_referral_options ro = COUNCIL_REFERRAL_OPTIONS_INIT;
        const char *sc[1] = { "support_plan" };
        council *cc;

        put(a, p->cid, p->pid, "support_plan", sec_text("計画"), COUNCIL_OK);
        ro.case_id = p->cid;
        ro.case_id_len = 16;
        ro.to_member = f->mc;
        ro.to_member_len = 16;
        ro.scopes = sc;
        ro.n_scopes = 1;
        ro.basis = "appi_27_1_4_public_duty";
        ro.reason = "支援につなぐため";
        assert_int_equal(council_referral_propose(a, p->rid, 16, &ro), COUNCIL_OK);
        cc = staff_open(f, f->sc, &f->kc);
        assert_int_equal(council_referral_transition(cc, p->rid, 16, COUNCIL_REFERRAL_ACCEPTED,
                                                     NULL, NULL, 0, 0), COUNCIL_OK);
        council_close(cc);
        { int drc = council_referral_deliver(a, p->rid, 16); (void)drc; } /* at acceptance or now */
    }
    council_close(a);
    meeting_on_situation(f, p->mid, f->mc, 3600, p->cid, "協議のため");
    {
        /* another case on the same agenda */
        static const char *const sit[] = { "situation" };
        council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
        so.scopes = sit;
        so.n_scopes = 1;
        so.purpose = "meeting_discussion";
        so.basis = "appi_27_1_4_public_duty";
        so.reason = "協議のため";
        assert_int_equal(council_meeting_add_case(f->c, p->mid, 16, p->other, 16, f->mc, 16, &so),
                         COUNCIL_OK);
    }
    /* Reads by two members' staff. */
    b = staff_open(f, f->sb, &f->kb);
    {
        int rc;
        char *t = get_text(b, p->cid, p->pid, "situation", &rc);
        assert_int_equal(rc, COUNCIL_OK);
        free(t);
    }
    council_close(b);
    b = staff_open(f, f->sc, &f->kc);
    {
        int rc;
        char *t = get_text(b, p->cid, p->pid, "situation", &rc);
        assert_int_equal(rc, COUNCIL_OK);
        free(t);
    }
    council_close(b);
    *state = p;
    return 0;
}

static int pteardown(void **state)
{
    pfx *p = *state;
    fx *f = malloc(sizeof *f);

    assert_non_null(f);
    *f = p->base;
    council_buf_free(&p->ksec);
    free(p);
    *state = f;
    return teardown(state);
}

static council *sec_open(pfx *p, const uint8_t staff_id[16])
{
    return staff_open(&p->base, staff_id, &p->ksec);
}

static json_t *report(council *s, const uint8_t cid[16], const uint8_t *person, int want,
                      council_buf *raw)
{
    council_person_report_options o = COUNCIL_PERSON_REPORT_OPTIONS_INIT;
    council_buf out = { NULL, 0 };
    json_error_t err;
    json_t *j;

    o.case_id = cid;
    o.case_id_len = 16;
    o.person_id = person;
    o.person_id_len = person != NULL ? 16 : 0;
    {
        int prc = council_person_report(s, &out, &o);
        if (prc != want)
            print_message("%s\n", council_errmsg(s));
        assert_int_equal(prc, want);
    }
    if (want != COUNCIL_OK) {
        assert_null(out.ptr);
        return NULL;
    }
    j = json_loadb((const char *)out.ptr, out.len, 0, &err);
    assert_non_null(j);
    if (raw != NULL)
        *raw = out;
    else
        council_buf_free(&out);
    return j;
}

/* The seqs of the allowed events of the case with an action in acts, from
 * the log as council_audit_list gives it (root's view). */
static size_t log_seqs(council *c, const uint8_t ref[32], const int *acts, size_t n_acts,
                       uint64_t *seqs, size_t cap)
{
    council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
    size_t n = 0;

    flt.case_ref = ref;
    flt.case_ref_len = 32;
    for (;;) {
        council_buf out = { NULL, 0 };
        Council__V1__AuditEventList *l;
        assert_int_equal(council_audit_list(c, &out, &flt), COUNCIL_OK);
        l = council__v1__audit_event_list__unpack(NULL, out.len, out.ptr);
        assert_non_null(l);
        for (size_t i = 0; i < l->n_events; i++) {
            const Council__V1__AuditEvent *e = l->events[i];
            if (e->outcome != COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED)
                continue;
            for (size_t k = 0; k < n_acts; k++)
                if ((int)e->action == acts[k]) {
                    assert_true(n < cap);
                    seqs[n++] = e->seq;
                }
        }
        council_buf_free(&out);
        if (l->n_events == 0 || l->next_seq == flt.from_seq) {
            council__v1__audit_event_list__free_unpacked(l, NULL);
            break;
        }
        flt.from_seq = l->next_seq;
        council__v1__audit_event_list__free_unpacked(l, NULL);
    }
    return n;
}

static bool listed(const json_t *arr, uint64_t seq)
{
    size_t i;
    json_t *v;

    json_array_foreach(arr, i, v) {
        if ((uint64_t)json_integer_value(json_object_get(v, "seq")) == seq)
            return true;
    }
    return false;
}

static void case_ref(council *s, const uint8_t cid[16], uint8_t ref[32])
{
    assert_int_equal(council_case_pseudonym(s, cid, 16, ref), COUNCIL_OK);
}

static const int read_acts[] = { COUNCIL_AUDIT_ACTION_CASE_READ,
                                 COUNCIL_AUDIT_ACTION_SECTION_DECRYPTED };
static const int disc_acts[] = { COUNCIL_AUDIT_ACTION_SHARE_GRANTED,
                                 COUNCIL_AUDIT_ACTION_SHARE_REVOKED,
                                 COUNCIL_AUDIT_ACTION_DISCLOSURE_MADE,
                                 COUNCIL_AUDIT_ACTION_BUNDLE_EXPORTED,
                                 COUNCIL_AUDIT_ACTION_OUTSIDE_DISCLOSURE };

static void test_person__every_read_and_disclosure(void **state)
{
    pfx *p = *state;
    council *ss = sec_open(p, p->s1);
    council_buf raw = { NULL, 0 };
    uint8_t ref[32];
    uint64_t seqs[512];
    size_t n, i;
    json_t *j, *v;

    case_ref(ss, p->cid, ref);
    j = report(ss, p->cid, NULL, COUNCIL_OK, &raw);
    /* every read and every disclosure the log has of the case */
    n = log_seqs(p->base.c, ref, read_acts, 2, seqs, 512);
    assert_true(n >= 2);
    for (i = 0; i < n; i++)
        assert_true(listed(json_object_get(j, "reads"), seqs[i]));
    n = log_seqs(p->base.c, ref, disc_acts, 5, seqs, 512);
    assert_true(n >= 3); /* the share to B, the referral's and the meeting's shares to C */
    for (i = 0; i < n; i++)
        assert_true(listed(json_object_get(j, "disclosures"), seqs[i]));
    {
        static const int ref_acts[] = { COUNCIL_AUDIT_ACTION_REFERRAL_ACCEPTED };
        n = log_seqs(p->base.c, ref, ref_acts, 1, seqs, 512);
        assert_true(n >= 1);
        for (i = 0; i < n; i++)
            assert_true(listed(json_object_get(j, "disclosures"), seqs[i]));
        assert_int_equal(json_array_size(json_object_get(j, "referrals")), 1);
    }
    /* each read names its member, staff and purpose, with its leaf hash */
    json_array_foreach(json_object_get(j, "reads"), i, v) {
        assert_non_null(json_object_get(v, "purpose"));
        assert_int_equal(strlen(json_string_value(json_object_get(v, "leaf_hash"))), 64);
    }
    /* the reads of B's and C's staff are there */
    {
        char sb[37], sc[37];
        bool seen_b = false, seen_c = false;
        council__uuid_text(sb, p->base.sb);
        council__uuid_text(sc, p->base.sc);
        json_array_foreach(json_object_get(j, "reads"), i, v) {
            const char *st = json_string_value(json_object_get(v, "staff"));
            seen_b = seen_b || (st != NULL && strcmp(st, sb) == 0);
            seen_c = seen_c || (st != NULL && strcmp(st, sc) == 0);
        }
        assert_true(seen_b && seen_c);
    }
    /* the person's own content: identity and every version of situation */
    assert_true(th_contains(raw.ptr, raw.len, CANARY_NAME));
    assert_true(th_contains(raw.ptr, raw.len, "最初の状況"));
    /* hostile content comes out as JSON text (escaped quotes, no raw control) */
    assert_true(th_contains(raw.ptr, raw.len, "<script>alert('x')</script>"));
    /* nothing of the family member nor of another case */
    assert_false(th_contains(raw.ptr, raw.len, FAMILY_NAME));
    assert_false(th_contains(raw.ptr, raw.len, "家族の事情"));
    assert_false(th_contains(raw.ptr, raw.len, OTHER_CASE_TEXT));
    {
        char ot[37], mt[37];
        json_t *m = json_array_get(json_object_get(j, "meetings"), 0);
        council__uuid_text(ot, p->other);
        council__uuid_text(mt, p->mid);
        assert_false(th_contains(raw.ptr, raw.len, ot)); /* not the other case on the agenda */
        assert_int_equal(json_array_size(json_object_get(j, "meetings")), 1);
        assert_string_equal(json_string_value(json_object_get(m, "id")), mt);
        assert_int_equal(json_array_size(json_object_get(m, "items")), 1);
    }
    {
        char famt[37];
        council__uuid_text(famt, p->fam);
        assert_false(th_contains(raw.ptr, raw.len, famt));
    }
    assert_int_equal(json_array_size(json_object_get(j, "sections")), 3);
    council_buf_free(&raw);
    json_decref(j);
    council_close(ss);
}

static void test_person__logged_first(void **state)
{
    pfx *p = *state;
    council *ss = sec_open(p, p->s1);
    json_t *j = report(ss, p->cid, NULL, COUNCIL_OK, NULL);
    uint64_t seq = (uint64_t)json_integer_value(json_object_get(json_object_get(j, "produced"),
                                                                "event_seq"));
    Council__V1__AuditEvent *e = event_at(p->base.c, seq);

    assert_int_equal(e->action, COUNCIL_AUDIT_ACTION_PERSON_REPORT_PRODUCED);
    assert_int_equal(e->outcome, COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED);
    assert_true(e->has_object_id && memcmp(e->object_id.data, p->pid, 16) == 0);
    assert_true(e->has_actor_staff && memcmp(e->actor_staff.data, p->s1, 16) == 0);
    assert_string_equal(e->purpose, "disclosure_request");
    council__v1__audit_event__free_unpacked(e, NULL);
    /* the section reads for it come after, with its purpose */
    e = event_at(p->base.c, seq + 1);
    assert_int_equal(e->action, COUNCIL_AUDIT_ACTION_SECTION_DECRYPTED);
    assert_string_equal(e->purpose, "disclosure_request");
    council__v1__audit_event__free_unpacked(e, NULL);
    json_decref(j);
    council_close(ss);
}

static void test_person__family_member_on_request(void **state)
{
    pfx *p = *state;
    council *ss = sec_open(p, p->s1);
    council_buf raw = { NULL, 0 };
    json_t *j = report(ss, p->cid, p->fam, COUNCIL_OK, &raw);

    assert_true(th_contains(raw.ptr, raw.len, FAMILY_NAME));
    assert_false(th_contains(raw.ptr, raw.len, CANARY_NAME));
    assert_false(th_contains(raw.ptr, raw.len, SCRIPT));
    council_buf_free(&raw);
    json_decref(j);
    council_close(ss);
}

static void test_person__refusals(void **state)
{
    pfx *p = *state;
    fx *f = &p->base;
    uint8_t nocase[16] = { 9, 9, 9 };
    council *a = staff_open(f, f->sa, &f->ka), *ss;
    council_person_report_options o = COUNCIL_PERSON_REPORT_OPTIONS_INIT;
    council_buf out = { NULL, 0 };
    Council__V1__AuditEvent *e;

    /* root: the council passphrase is no named person */
    report(f->c, p->cid, NULL, COUNCIL_EDENIED, NULL);
    assert_non_null(strstr(council_errmsg(f->c), "staff session"));
    e = last_event(f->c);
    assert_int_equal(e->action, COUNCIL_AUDIT_ACTION_PERSON_REPORT_PRODUCED);
    assert_int_equal(e->outcome, COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED);
    assert_string_equal(e->reason, "root_session");
    council__v1__audit_event__free_unpacked(e, NULL);
    /* another member's staff, even the case's owner */
    report(a, p->cid, NULL, COUNCIL_EDENIED, NULL);
    e = last_event(f->c);
    assert_int_equal(e->outcome, COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED);
    council__v1__audit_event__free_unpacked(e, NULL);
    /* unknown case, unknown person, bad arguments */
    ss = sec_open(p, p->s1);
    report(ss, nocase, NULL, COUNCIL_ENOTFOUND, NULL);
    report(ss, p->cid, p->other_pid, COUNCIL_ENOTFOUND, NULL);
    o.case_id = p->cid;
    o.case_id_len = 15;
    assert_int_equal(council_person_report(ss, &out, &o), COUNCIL_EINVAL);
    o.case_id_len = 16;
    o.format = 7;
    assert_int_equal(council_person_report(ss, &out, &o), COUNCIL_EINVAL);
    o.format = COUNCIL_PERSON_REPORT_JSON;
    o.purpose = "Not A Code";
    assert_int_equal(council_person_report(ss, &out, &o), COUNCIL_EINVAL);
    {
        uint64_t before = 0, after = 0;
        assert_int_equal(council__audit_size(f->c, &before), COUNCIL_OK);
        o.purpose = "gossip"; /* a code, not a read's purpose: refused before anything is logged */
        assert_int_equal(council_person_report(ss, &out, &o), COUNCIL_EINVAL);
        assert_int_equal(council__audit_size(f->c, &after), COUNCIL_OK);
        assert_int_equal(before, after);
        o.purpose = "statistics"; /* a read's purpose: allowed */
        assert_int_equal(council_person_report(ss, &out, &o), COUNCIL_OK);
        council_buf_free(&out);
    }
    o.purpose = NULL;
    o.version = 99;
    assert_int_equal(council_person_report(ss, &out, &o), COUNCIL_EMISUSE);
    assert_int_equal(council_person_report(ss, &out, NULL), COUNCIL_EMISUSE);
    assert_int_equal(council_batch_begin(ss), COUNCIL_OK);
    report(ss, p->cid, NULL, COUNCIL_EMISUSE, NULL);
    council_batch_rollback(ss);
    /* an unpledged person of the secretariat gets no session to produce it with */
    {
        council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
        uint8_t unpledged[16];
        council *u = NULL;
        assert_int_equal(council_staff_add(f->c, unpledged, 16, p->sec, 16, "事務局 未誓約", NULL),
                         COUNCIL_OK);
        oo.passphrase = (const uint8_t *)MPASS;
        oo.passphrase_len = strlen(MPASS);
        oo.staff_id = unpledged;
        oo.staff_id_len = 16;
        oo.keyfile = p->ksec.ptr;
        oo.keyfile_len = p->ksec.len;
        assert_int_equal(council_open(&u, f->store, &oo), COUNCIL_EDENIED);
        council_close(u);
    }
    /* retired staff: the session ends its powers */
    assert_int_equal(council_staff_retire(f->c, p->s1, 16, 0, "retired"), COUNCIL_OK);
    report(ss, p->cid, NULL, COUNCIL_EDENIED, NULL);
    council_close(ss);
    council_close(a);
}

static void test_person__pseudonym_both_ways(void **state)
{
    pfx *p = *state;
    fx *f = &p->base;
    council *ss = sec_open(p, p->s2), *a = staff_open(f, f->sa, &f->ka);
    uint8_t ref[32], ref2[32], back[16], zero[32] = { 0 };
    council_buf gb = { NULL, 0 };
    Council__V1__CaseInfo *ci;
    Council__V1__AuditEvent *e;

    case_ref(ss, p->cid, ref);
    /* the pseudonym events carry, as case_get shows it */
    assert_int_equal(council_case_get(ss, &gb, p->cid, 16), COUNCIL_OK);
    ci = council__v1__case_info__unpack(NULL, gb.len, gb.ptr);
    assert_non_null(ci);
    assert_true(ci->has_case_ref && memcmp(ci->case_ref.data, ref, 32) == 0);
    council__v1__case_info__free_unpacked(ci, NULL);
    council_buf_free(&gb);
    case_ref(f->c, p->cid, ref2); /* root is the secretariat too */
    assert_memory_equal(ref, ref2, 32);
    case_ref(ss, p->other, ref2);
    assert_memory_not_equal(ref, ref2, 32);
    assert_int_equal(council_case_by_pseudonym(ss, ref, 32, back), COUNCIL_OK);
    assert_memory_equal(back, p->cid, 16);
    e = last_event(f->c);
    assert_int_equal(e->action, COUNCIL_AUDIT_ACTION_CASE_RESOLVED);
    assert_true(e->has_case_ref && memcmp(e->case_ref.data, ref, 32) == 0);
    council__v1__audit_event__free_unpacked(e, NULL);
    /* refusals */
    assert_int_equal(council_case_by_pseudonym(ss, zero, 32, back), COUNCIL_ENOTFOUND);
    assert_int_equal(council_case_by_pseudonym(ss, ref, 31, back), COUNCIL_EINVAL);
    assert_int_equal(council_case_by_pseudonym(ss, ref, 32, NULL), COUNCIL_EMISUSE);
    assert_int_equal(council_case_pseudonym(ss, p->cid, 15, ref2), COUNCIL_EINVAL);
    assert_int_equal(council_case_pseudonym(ss, zero, 16, ref2), COUNCIL_ENOTFOUND);
    assert_int_equal(council_case_pseudonym(a, p->cid, 16, ref2), COUNCIL_EDENIED);
    assert_int_equal(council_case_by_pseudonym(a, ref, 32, back), COUNCIL_EDENIED);
    council_close(a);
    council_close(ss);
}

/* The insider clears the case_ref column of B's read: it drops out of the
 * case index, not out of the file. Editing or deleting an event fails it. */
static void test_person__insider_hides_an_event(void **state)
{
    pfx *p = *state;
    fx *f = &p->base;
    council *ss = sec_open(p, p->s1);
    uint8_t ref[32];
    uint64_t seqs[512], hidden;
    size_t n;
    char sql[160];
    json_t *j;

    case_ref(ss, p->cid, ref);
    n = log_seqs(f->c, ref, read_acts, 2, seqs, 512);
    assert_true(n >= 1);
    hidden = seqs[0];
    snprintf(sql, sizeof sql, "UPDATE audit_event SET case_ref = NULL WHERE seq = %llu;",
             (unsigned long long)hidden);
    assert_int_equal(sqlite3_exec(f->c->db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(log_seqs(f->c, ref, read_acts, 2, seqs, 512), n - 1); /* out of the index */
    j = report(ss, p->cid, NULL, COUNCIL_OK, NULL);
    assert_true(listed(json_object_get(j, "reads"), hidden));
    json_decref(j);
    /* an event's body edited */
    snprintf(sql, sizeof sql, "UPDATE audit_event SET body = substr(body, 1, length(body) - 1) "
             "WHERE seq = %llu;", (unsigned long long)hidden);
    assert_int_equal(sqlite3_exec(f->c->db, sql, NULL, NULL, NULL), SQLITE_OK);
    report(ss, p->cid, NULL, COUNCIL_ETAMPER, NULL);
    /* an event deleted */
    snprintf(sql, sizeof sql, "DELETE FROM audit_event WHERE seq = %llu;",
             (unsigned long long)hidden);
    assert_int_equal(sqlite3_exec(f->c->db, sql, NULL, NULL, NULL), SQLITE_OK);
    report(ss, p->cid, NULL, COUNCIL_ETAMPER, NULL);
    assert_non_null(strstr(council_errmsg(ss), "deleted"));
    council_close(ss);
}

/* An erased case: its file still lists its log (no content is left). */
static void test_person__erased_case(void **state)
{
    pfx *p = *state;
    council *ss;
    json_t *j;
    uint8_t ref[32];
    uint64_t seqs[512];
    size_t n, i;

    assert_int_equal(council_case_erase(p->base.c, p->cid, 16, "person_request"), COUNCIL_OK);
    ss = sec_open(p, p->s1);
    case_ref(ss, p->cid, ref);
    j = report(ss, p->cid, NULL, COUNCIL_OK, NULL);
    assert_int_equal(json_array_size(json_object_get(j, "sections")), 0);
    n = log_seqs(p->base.c, ref, read_acts, 2, seqs, 512);
    for (i = 0; i < n; i++)
        assert_true(listed(json_object_get(j, "reads"), seqs[i]));
    json_decref(j);
    council_close(ss);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_person__every_read_and_disclosure, psetup, pteardown),
        cmocka_unit_test_setup_teardown(test_person__logged_first, psetup, pteardown),
        cmocka_unit_test_setup_teardown(test_person__family_member_on_request, psetup, pteardown),
        cmocka_unit_test_setup_teardown(test_person__refusals, psetup, pteardown),
        cmocka_unit_test_setup_teardown(test_person__pseudonym_both_ways, psetup, pteardown),
        cmocka_unit_test_setup_teardown(test_person__insider_hides_an_event, psetup, pteardown),
        cmocka_unit_test_setup_teardown(test_person__erased_case, psetup, pteardown),
    };

    assert_int_equal(council_global_init(), COUNCIL_OK);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
