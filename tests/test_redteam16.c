/* test_redteam16.c - red team of issue 16 (the person's rights and the
 * council's records). Each test is an attack by the insider (the database
 * key, any row writable, no log key) or a hostile input, and asserts the
 * SAFE behaviour; those marked FINDING n failed before their fix.
 *
 * The common root the red team found: the signer's head (head.c) covers
 * the log only up to the last secretariat open or checkpoint; events
 * appended after it are vouched for by nothing but the stored tree, which
 * the insider recomputes with SHA-256 alone. So nothing decides from the
 * log's tail alone: retention erases on a status the case's owner signed
 * (case_status_sig), a report's register entry is put under the head at
 * once. What remains (an event cut from, or forged onto, the tail before
 * the secretariat's next session, as seen by the person's file and the
 * case evidence) is stated in SECURITY.md. */
#include <jansson.h>

#include "case_fixture.h"
#include "merkle.h"
#include "store.h"

/* ------------------------------------------------ the insider's tools */

/* rt_sql, rt_int: case_fixture.h. */

/* Cut the log back to `size` events: rows, tree nodes and checkpoints of
 * everything at or after it (what an insider with the database key does
 * with three DELETE statements). */
static void rt_truncate(council *h, uint64_t size)
{
    char q[256];

    snprintf(q, sizeof q, "DELETE FROM audit_event WHERE seq >= %llu;", (unsigned long long)size);
    rt_sql(h, q);
    snprintf(q, sizeof q, "DELETE FROM audit_node WHERE ((idx + 1) << level) > %llu;",
             (unsigned long long)size);
    rt_sql(h, q);
    snprintf(q, sizeof q, "DELETE FROM audit_checkpoint WHERE size > %llu;",
             (unsigned long long)size);
    rt_sql(h, q);
    h->tip_valid = false; /* the handle's cache, not a defence */
}

/* Append an event of the insider's making at the log's end: seq and
 * prev_hash filled in, the row inserted, the tree's nodes recomputed
 * (SHA-256 only, no key). */
static void rt_forge_append_out(council *h, Council__V1__AuditEvent *m, uint8_t *out,
                               size_t *out_len);
static void rt_forge_append(council *h, Council__V1__AuditEvent *m)
{
    rt_forge_append_out(h, m, NULL, NULL);
}

static void rt_forge_append_out(council *h, Council__V1__AuditEvent *m, uint8_t *out,
                               size_t *out_len)
{
    council__nodes ns;
    uint8_t prev[32], leaf[32], body[4096];
    uint64_t n = 0;
    size_t len;
    sqlite3_stmt *st;

    assert_int_equal(council__audit_size(h, &n), COUNCIL_OK);
    assert_true(n > 0);
    council__audit_nodes(h, &ns);
    assert_int_equal(ns.get(ns.ctx, 0, n - 1, prev), COUNCIL_OK);
    m->seq = n;
    m->has_prev_hash = true;
    m->prev_hash.data = prev;
    m->prev_hash.len = 32;
    len = council__v1__audit_event__get_packed_size(m);
    assert_true(len <= sizeof body);
    council__v1__audit_event__pack(m, body);
    council__merkle_leaf(leaf, body, len);
    assert_int_equal(sqlite3_prepare_v2(h->db, "INSERT INTO audit_event (seq, time, action, "
                                        "actor_member, case_ref, body) VALUES (?1, ?2, ?3, NULL, ?4, ?5);",
                                        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)n);
    sqlite3_bind_int64(st, 2, m->time);
    sqlite3_bind_int(st, 3, (int)m->action);
    if (m->has_case_ref)
        sqlite3_bind_blob(st, 4, m->case_ref.data, (int)m->case_ref.len, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 4);
    sqlite3_bind_blob(st, 5, body, (int)len, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    assert_int_equal(council__merkle_append(&ns, n, leaf), COUNCIL_OK);
    h->tip_valid = false;
    if (out != NULL) {
        memcpy(out, body, len);
        *out_len = len;
    }
}

/* A case's pseudonym as the insider reads it, without the pseudonym key:
 * the case_ref column of its case_created event row (here the newest). */
static void rt_case_ref(council *h, const uint8_t cid[16], uint8_t ref[32])
{
    sqlite3_stmt *st;
    uint8_t want[32];

    assert_int_equal(sqlite3_prepare_v2(h->db, "SELECT case_ref FROM audit_event WHERE action = ?1 "
                                        "AND case_ref IS NOT NULL ORDER BY seq DESC LIMIT 1;", -1,
                                        &st, NULL), SQLITE_OK);
    sqlite3_bind_int(st, 1, COUNCIL_AUDIT_ACTION_CASE_CREATED);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_bytes(st, 0), 32);
    memcpy(ref, sqlite3_column_blob(st, 0), 32);
    sqlite3_finalize(st);
    /* (checked, not used: it is the case's pseudonym) */
    assert_int_equal(council__case_ref(h, want, cid), COUNCIL_OK);
    assert_memory_equal(ref, want, 32);
}

static json_t *rt_json(const council_buf *b)
{
    json_error_t err;
    json_t *j = json_loadb((const char *)b->ptr, b->len, 0, &err);
    assert_non_null(j);
    return j;
}

static bool rt_lists(json_t *a, const uint8_t cid[16])
{
    char id[37];
    json_t *v;
    size_t i;

    council__uuid_text(id, cid);
    json_array_foreach(a, i, v)
        if (strcmp(json_string_value(json_object_get(v, "case_id")), id) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------------ retention */

/* FINDING 1: the insider makes the secretariat's retention pass erase an
 * open case that is not due. It appends one forged case_updated /
 * status_changed / "closed" event dated three years back at the log's end
 * (the case's pseudonym copied from any event row of the case) and puts
 * the status column to closed. The pass advances the signer's head over
 * the forged event (it extends the head), walks the log, takes the forged
 * closing as the truth and crypto-shreds the case. */
static void test_rt16__retention_forged_tail_closing_erases(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka);
    council_retention_rule r[1] = { { 0, COUNCIL_CASE_STATUS_CLOSED, COUNCIL_RETENTION_YEARS, 1 } };
    council_retention_apply_options o = COUNCIL_RETENTION_APPLY_OPTIONS_INIT;
    Council__V1__AuditEvent m = COUNCIL__V1__AUDIT_EVENT__INIT;
    council_buf out = { NULL, 0 };
    uint8_t cid[16], pid[16], ref[32];
    char q[200], hex[33];
    json_t *j;
    int rc;

    assert_int_equal(council_retention_set(f->c, r, 1), COUNCIL_OK);
    new_case(sa, cid, pid);
    council_close(sa);
    /* Not due: the case is open. */
    assert_int_equal(council_retention_due(f->c, &out, 0), COUNCIL_OK);
    j = rt_json(&out);
    assert_false(rt_lists(json_object_get(j, "cases"), cid));
    json_decref(j);
    council_buf_free(&out);

    /* The insider. */
    rt_case_ref(f->c, cid, ref);
    m.time = (int64_t)time(NULL) - 3 * 366 * 86400;
    m.action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CASE_UPDATED;
    m.actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF;
    m.has_actor_member = true;
    m.actor_member.data = f->ma;
    m.actor_member.len = 16;
    m.has_actor_staff = true;
    m.actor_staff.data = f->sa;
    m.actor_staff.len = 16;
    m.has_case_ref = true;
    m.case_ref.data = ref;
    m.case_ref.len = 32;
    m.purpose = (char *)"closed";
    m.reason = (char *)"status_changed";
    m.outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED;
    rt_forge_append(f->c, &m);
    sodium_bin2hex(hex, sizeof hex, cid, 16);
    snprintf(q, sizeof q, "UPDATE case_record SET status = %d WHERE id = x'%s';",
             COUNCIL_CASE_STATUS_CLOSED, hex);
    rt_sql(f->c, q);

    /* The secretariat's pass: the safe outcome is that nothing is erased
     * (or the pass refuses, ETAMPER). */
    rc = council_retention_apply(f->c, &out, &o);
    if (rc == COUNCIL_OK) {
        j = rt_json(&out);
        assert_false(rt_lists(json_object_get(j, "erased"), cid)); /* FINDING 1 */
        json_decref(j);
        council_buf_free(&out);
    } else {
        assert_int_equal(rc, COUNCIL_ETAMPER);
    }
}


/* FINDING 4: the insider hides a due case from the secretariat's pass by
 * setting its row's erased column (the log has no case_erased event for
 * it). The pass counts a "tampered" row and moves on: the case is not in
 * the due list and is never erased, its keys and sections stay. Safe:
 * the log decides, as for the status column (still due, and erased), or
 * the pass refuses (ETAMPER) until the row is put right. */
static void test_rt16__retention_hidden_by_erased_column(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    council_retention_rule r[1] = { { 0, COUNCIL_CASE_STATUS_CLOSED, COUNCIL_RETENTION_DAYS, 0 } };
    council_buf out = { NULL, 0 };
    uint8_t cid[16], pid[16];
    char q[200], hex[33];
    json_t *j;
    int rc;

    assert_int_equal(council_retention_set(f->c, r, 1), COUNCIL_OK);
    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text(CANARY_TEXT), COUNCIL_OK);
    assert_int_equal(council_case_set_status(sa, cid, 16, COUNCIL_CASE_STATUS_CLOSED), COUNCIL_OK);
    council_close(sa);
    sleep(1);
    assert_int_equal(council_retention_due(f->c, &out, 0), COUNCIL_OK);
    j = rt_json(&out);
    council_buf_free(&out);
    assert_true(rt_lists(json_object_get(j, "cases"), cid)); /* control: due */
    json_decref(j);

    sodium_bin2hex(hex, sizeof hex, cid, 16);
    snprintf(q, sizeof q, "UPDATE case_record SET erased = %lld WHERE id = x'%s';",
             (long long)time(NULL), hex);
    rt_sql(sb, q);
    council_close(sb);

    rc = council_retention_due(f->c, &out, 0);
    if (rc == COUNCIL_OK) {
        j = rt_json(&out);
        council_buf_free(&out);
        assert_true(rt_lists(json_object_get(j, "cases"), cid)); /* FINDING 4 */
        json_decref(j);
    } else {
        assert_int_equal(rc, COUNCIL_ETAMPER);
    }
}



/* FINDING 6: the register names the outside party from the consent row
 * without checking its grant (consent_facts: council__consent_fetch
 * only). The insider puts another consent's body (naming another party,
 * another end) under the consent id the disclosure named: the register
 * row of the disclosure now names that party, while the disclosure itself
 * went to the first. (The outside disclosure's own path checks the grant;
 * the register does not.) Safe: the register names the party the consent
 * granted, or refuses / flags the row (ETAMPER). */
static void test_rt16__register_outside_party_renamed(void **state)
{
    fx *f = *state;
    static const char *const sit[] = { "situation" };
    static const char *const sup[] = { "support_coordination" };
    static const char *const bases[] = { "consent", "appi_27_1_4_public_duty" };
    council_policy_options po = COUNCIL_POLICY_OPTIONS_INIT;
    council_consent_options co = COUNCIL_CONSENT_OPTIONS_INIT;
    council_outside_options oo = COUNCIL_OUTSIDE_OPTIONS_INIT;
    council_provision_options ro = COUNCIL_PROVISION_OPTIONS_INIT;
    council_buf out = { NULL, 0 };
    uint8_t cid[16], pid[16], real[16], fake[16];
    council *sa, *sb;
    char q[400], hr[33], hf[33];
    int rc;

    po.accepted_bases = bases;
    po.n_accepted_bases = 2;
    assert_int_equal(council_policy_set(f->c, &po), COUNCIL_OK);
    sa = staff_open(f, f->sa, &f->ka);
    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text(CANARY_TEXT), COUNCIL_OK);
    co.case_id = cid;
    co.case_id_len = 16;
    co.subject_person = pid;
    co.subject_person_len = 16;
    co.scopes = sit;
    co.n_scopes = 1;
    co.purposes = sup;
    co.n_purposes = 1;
    co.method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_WRITTEN;
    co.external_party = "本当の受領団体";
    assert_int_equal(council_consent_record(sa, real, 16, &co), COUNCIL_OK);
    co.external_party = "ニセの受領団体";
    assert_int_equal(council_consent_record(sa, fake, 16, &co), COUNCIL_OK);
    oo.consent_id = real;
    oo.consent_id_len = 16;
    oo.scopes = sit;
    oo.n_scopes = 1;
    oo.purpose = "support_coordination";
    assert_int_equal(council_outside_disclose(sa, &out, cid, 16, &oo), COUNCIL_OK);
    council_buf_free(&out);
    council_close(sa);

    /* The insider (B): the fake record's body under the real id. */
    sb = staff_open(f, f->sb, &f->kb);
    sodium_bin2hex(hr, sizeof hr, real, 16);
    sodium_bin2hex(hf, sizeof hf, fake, 16);
    rt_sql(sb, "DROP TRIGGER consent_kept;");
    snprintf(q, sizeof q, "UPDATE consent SET body = (SELECT body FROM consent WHERE id = x'%s') "
             "WHERE id = x'%s';", hf, hr);
    rt_sql(sb, q);
    council_close(sb);

    ro.format = COUNCIL_REPORT_JSON;
    rc = council_provision_register(f->c, &out, &ro);
    if (rc == COUNCIL_OK) {
        /* Safe: the row does not name the party that received nothing. */
        assert_false(th_contains(out.ptr, out.len, "ニセの受領団体")); /* FINDING 6 */
        council_buf_free(&out);
    } else {
        assert_int_equal(rc, COUNCIL_ETAMPER);
    }
}

/* ------------------------------------------------------------ evidence */




/* ------------------------------------------------------------ reports */

static council_report_options rt_period(int64_t from, int64_t to)
{
    council_report_options o = COUNCIL_REPORT_OPTIONS_INIT;

    o.from = from;
    o.to = to;
    o.k = 3;
    return o;
}

/* FINDING 2: the register of issued reports is the log's tail, which the
 * insider cuts. The secretariat issues FY2025 (April 2025 - March 2026);
 * the insider deletes the report_issued event (and what follows) with its
 * tree nodes; at the secretariat's next open the head is advanced over the
 * cut log (it still extends the head kept at the previous open), and a
 * period overlapping FY2025 is issued without the override: the two
 * reports can be subtracted. */
static void test_rt16__report_register_cut_from_tail(void **state)
{
    fx *f = *state;
    council_report_options o = COUNCIL_REPORT_OPTIONS_INIT;
    council_buf out = { NULL, 0 };
    int64_t seq;
    int rc;

    assert_int_equal(council_timezone_set(f->c, "UTC"), COUNCIL_OK);
    o.fiscal_year = 2025;
    o.k = 3;
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_OK);
    council_buf_free(&out);
    /* Control: the overlapping period is refused now. */
    o = rt_period(1743465600, 1751328000); /* 2025-04-01 .. 2025-07-01 */
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EDENIED);

    seq = rt_int(f->c, "SELECT max(seq) FROM audit_event WHERE action = 63 AND "
                       "seq = (SELECT min(seq) FROM audit_event WHERE action = 63);");
    assert_true(seq > 0);
    council_close(f->c);
    f->c = NULL;
    {
        /* The insider: a member's staff session (the database key), the log
         * cut back to before the register's entry. */
        council *sb = staff_open(f, f->sb, &f->kb);
        rt_truncate(sb, (uint64_t)seq);
        council_close(sb);
    }
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    rc = council_report_platform_period(f->c, &out, &o);
    council_buf_free(&out);
    /* Safe: refused as overlapping, or the cut found (ETAMPER). */
    assert_true(rc == COUNCIL_EDENIED || rc == COUNCIL_ETAMPER); /* FINDING 2 */
}


/* ------------------------------------------------------- the person's file */

/* The secretariat as a member with a pledged staff member (the person's
 * file is produced by a named person of the secretariat). */
static void rt_secretariat(fx *f, uint8_t sec[16], uint8_t s1[16], council_buf *ksec)
{
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;

    o.name = "事務局";
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_MUNICIPAL_DEPARTMENT;
    o.roles = COUNCIL_ROLE_SECRETARIAT;
    o.scopes = all_scopes;
    o.n_scopes = 10;
    assert_int_equal(council_member_add(f->c, sec, 16, &o), COUNCIL_OK);
    assert_int_equal(council_member_keygen(f->c, ksec, sec, 16, (const uint8_t *)MPASS,
                                           strlen(MPASS), TH_OPS, TH_MEM), COUNCIL_OK);
    staff(f->c, s1, sec);
}




/* FINDING 7: a family member's own file (--person FAM) lists every read
 * and disclosure of the whole case, so it tells the family member about
 * the principal: that member B read the principal's situation (a scope
 * the family member holds nothing in), the shares and referrals of the
 * principal's sections, and the meetings. DESIGN/issue 16: "nothing of
 * another person". Safe: the family member's file lists only the reads
 * and disclosures of the family member's own sections. */
static void test_rt16__family_file_lists_principal_reads(void **state)
{
    fx *f = *state;
    council_buf ksec = { NULL, 0 }, out = { NULL, 0 };
    council_person_report_options o = COUNCIL_PERSON_REPORT_OPTIONS_INIT;
    uint8_t sec[16], s1[16], cid[16], pid[16], fam[16];
    council *sa, *sb, *ss;
    json_t *j, *v, *sc;
    size_t i, k, situation_reads = 0;
    char *t;
    int rc;

    rt_secretariat(f, sec, s1, &ksec);
    sa = staff_open(f, f->sa, &f->ka);
    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text(CANARY_TEXT), COUNCIL_OK);
    assert_int_equal(council_case_add_person(sa, fam, 16, cid, 16,
                                             COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_FAMILY),
                     COUNCIL_OK);
    put(sa, cid, fam, "identity", sec_identity("家族ヒミツ", "1980-03-04"), COUNCIL_OK);
    share(sa, cid, f->mb, "situation", COUNCIL_OK);
    council_close(sa);
    sb = staff_open(f, f->sb, &f->kb);
    t = get_text(sb, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    free(t);
    council_close(sb);

    ss = staff_open(f, s1, &ksec);
    o.case_id = cid;
    o.case_id_len = 16;
    o.person_id = fam;
    o.person_id_len = 16;
    assert_int_equal(council_person_report(ss, &out, &o), COUNCIL_OK);
    j = rt_json(&out);
    council_buf_free(&out);
    json_array_foreach(json_object_get(j, "reads"), i, v) {
        json_array_foreach(json_object_get(v, "scopes"), k, sc)
            if (strcmp(json_string_value(sc), "situation") == 0)
                situation_reads++;
    }
    json_decref(j);
    council_close(ss);
    council_buf_free(&ksec);
    /* The family member has no situation section: none of these reads is
     * of the family member. */
    assert_int_equal(situation_reads, 0); /* FINDING 7 */
}

/* ------------------------------------------- disclosure to an outside party */

/* Held: the insider takes the withdrawal off a consent naming an outside
 * party; the disclosure is refused and nothing leaves. */
static void test_rt16__outside_withdrawal_deleted(void **state)
{
    fx *f = *state;
    static const char *const sit[] = { "situation" };
    static const char *const sup[] = { "support_coordination" };
    council_consent_options co = COUNCIL_CONSENT_OPTIONS_INIT;
    council_outside_options oo = COUNCIL_OUTSIDE_OPTIONS_INIT;
    council_buf out = { NULL, 0 };
    uint8_t cid[16], pid[16], cons[16];
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    char q[200], hex[33];
    int rc;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text(CANARY_TEXT), COUNCIL_OK);
    co.case_id = cid;
    co.case_id_len = 16;
    co.subject_person = pid;
    co.subject_person_len = 16;
    co.external_party = "外部の団体";
    co.scopes = sit;
    co.n_scopes = 1;
    co.purposes = sup;
    co.n_purposes = 1;
    co.method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_WRITTEN;
    assert_int_equal(council_consent_record(sa, cons, 16, &co), COUNCIL_OK);
    assert_int_equal(council_consent_withdraw(sa, cons, 16, 0, "person_request"), COUNCIL_OK);
    sodium_bin2hex(hex, sizeof hex, cons, 16);
    snprintf(q, sizeof q, "DELETE FROM consent_withdrawal WHERE consent_id = x'%s';", hex);
    rt_sql(sb, q);
    oo.consent_id = cons;
    oo.consent_id_len = 16;
    oo.scopes = sit;
    oo.n_scopes = 1;
    oo.purpose = "support_coordination";
    rc = council_outside_disclose(sa, &out, cid, 16, &oo);
    assert_int_not_equal(rc, COUNCIL_OK);
    assert_null(out.ptr);
    council_close(sa);
    council_close(sb);
}


/* Held: the widest periods the API takes (1970 to the year 10000; the
 * last fiscal year; one second) give a report or a clear error, never a
 * crash or an unbounded allocation. */
static void test_rt16__report_huge_periods(void **state)
{
    fx *f = *state;
    council_report_options o;
    council_buf out = { NULL, 0 };
    int rc;

    assert_int_equal(council_timezone_set(f->c, "Asia/Tokyo"), COUNCIL_OK);
    o = rt_period(0, INT64_C(253402300800));
    rc = council_report_platform_period(f->c, &out, &o);
    print_message("1970..10000: %d (%zu bytes)\n", rc, out.len);
    assert_true(rc == COUNCIL_OK || rc == COUNCIL_ELIMIT || rc == COUNCIL_EINVAL);
    council_buf_free(&out);
    o = rt_period(0, INT64_MAX);
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EINVAL);
    o = rt_period(INT64_C(253402300799), INT64_C(253402300800));
    rc = council_report_platform_period(f->c, &out, &o);
    assert_true(rc == COUNCIL_OK || rc == COUNCIL_EDENIED || rc == COUNCIL_ELIMIT);
    council_buf_free(&out);
    o = rt_period(0, 0);
    o.fiscal_year = 9998;
    rc = council_report_platform_period(f->c, &out, &o);
    assert_true(rc == COUNCIL_OK || rc == COUNCIL_EDENIED);
    council_buf_free(&out);
    o.fiscal_year = 9999;
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rt16__retention_forged_tail_closing_erases, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rt16__retention_hidden_by_erased_column, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rt16__report_register_cut_from_tail, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rt16__report_huge_periods, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rt16__family_file_lists_principal_reads, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rt16__outside_withdrawal_deleted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rt16__register_outside_party_renamed, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
