/* test_retention.c - the retention schedule and its passes (issue 16):
 * exactly what is due is erased (and the log still verifies), a dry run
 * changes nothing, ended shares lose their keys while live ones keep them,
 * and the insider can neither change the schedule, nor make a case due by
 * editing its row, nor hide one by it. The attackers' tests come first. */
#include <jansson.h>

#include "case_fixture.h"
#include "council/v1/info.pb-c.h"
#include "store.h"

static const char *const p_support[] = { "support_coordination" };

static void rule(council_retention_rule *r, int body, int status, int unit, int count)
{
    r->body = body;
    r->status = status;
    r->unit = unit;
    r->count = count;
}

/* Closed cases of the council's body: 0 days; closed support-meeting cases:
 * 10 years; everything else kept. */
static void schedule(council *c)
{
    council_retention_rule r[3];

    rule(&r[0], COUNCIL_CASE_BODY_COUNCIL, COUNCIL_CASE_STATUS_CLOSED, COUNCIL_RETENTION_DAYS, 0);
    rule(&r[1], COUNCIL_CASE_BODY_SUPPORT_MEETING, COUNCIL_CASE_STATUS_CLOSED,
         COUNCIL_RETENTION_YEARS, 10);
    rule(&r[2], 0, 0, COUNCIL_RETENTION_KEEP, 0);
    assert_int_equal(council_retention_set(c, r, 3), COUNCIL_OK);
}

static void body_case(council *s, uint8_t cid[16], uint8_t pid[16], int body)
{
    council_case_options o = COUNCIL_CASE_OPTIONS_INIT;
    o.body = body;
    assert_int_equal(council_case_create(s, cid, 16, pid, 16, &o), COUNCIL_OK);
}

static json_t *due_json(council *c, int64_t now, int want)
{
    council_buf out = { NULL, 0 };
    json_error_t err;
    json_t *j;

    assert_int_equal(council_retention_due(c, &out, now), want);
    if (want != COUNCIL_OK)
        return NULL;
    j = json_loadb((const char *)out.ptr, out.len, 0, &err);
    assert_non_null(j);
    council_buf_free(&out);
    return j;
}

static bool lists(json_t *j, const char *key, const uint8_t cid[16])
{
    char id[37];
    json_t *a = json_object_get(j, key), *v;
    size_t i;

    council__uuid_text(id, cid);
    json_array_foreach(a, i, v)
        if (strcmp(json_string_value(json_object_get(v, "case_id")), id) == 0)
            return true;
    return false;
}

static json_t *apply(council *c, int dry, const uint8_t *ids, size_t n, int want)
{
    council_retention_apply_options o = COUNCIL_RETENTION_APPLY_OPTIONS_INIT;
    council_buf out = { NULL, 0 };
    json_error_t err;
    json_t *j;

    o.dry_run = dry;
    o.case_ids = ids;
    o.n_case_ids = n;
    assert_int_equal(council_retention_apply(c, &out, &o), want);
    if (want != COUNCIL_OK) {
        assert_null(out.ptr);
        return NULL;
    }
    j = json_loadb((const char *)out.ptr, out.len, 0, &err);
    assert_non_null(j);
    council_buf_free(&out);
    return j;
}

static int64_t jint(json_t *j, const char *k)
{
    return (int64_t)json_integer_value(json_object_get(j, k));
}

static void sql(council *c, const char *q, const uint8_t *blob, size_t n)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(c->db, q, -1, &st, NULL), SQLITE_OK);
    if (blob != NULL)
        sqlite3_bind_blob(st, 1, blob, (int)n, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* Was there a tamper finding with this reason since seq `from`? */
static bool finding_since(council *c, uint64_t from, const char *reason)
{
    uint64_t n = 0;
    bool found = false;

    assert_int_equal(council__audit_size(c, &n), COUNCIL_OK);
    for (uint64_t s = from; s < n && !found; s++) {
        Council__V1__AuditEvent *e = event_at(c, s);
        found = e->reason != NULL && strcmp(e->reason, reason) == 0;
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    return found;
}

/* The whole log exported and verified with the public key alone. */
static void log_verifies(fx *f)
{
    council_audit_verify_options vo = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    council_buf buf = { NULL, 0 }, rep = { NULL, 0 };
    Council__V1__CouncilInfo *m;
    Council__V1__AuditVerifyReport *r;
    char *path = th_path(f->root, "retention.cax");

    assert_int_equal(council_info(f->c, &buf), COUNCIL_OK);
    m = council__v1__council_info__unpack(NULL, buf.len, buf.ptr);
    assert_non_null(m);
    assert_int_equal(council_audit_export(f->c, path), COUNCIL_OK);
    vo.log_vkey = m->log_verifier_key;
    assert_int_equal(council_audit_verify_export(&rep, path, &vo), COUNCIL_OK);
    r = council__v1__audit_verify_report__unpack(NULL, rep.len, rep.ptr);
    assert_non_null(r);
    assert_true(r->ok);
    council__v1__audit_verify_report__free_unpacked(r, NULL);
    council__v1__council_info__free_unpacked(m, NULL);
    council_buf_free(&rep);
    council_buf_free(&buf);
    unlink(path);
    free(path);
}

/* ------------------------------------------------------------ the insider */

/* A schedule edited in the store, or an older signed one put back, is
 * refused (ETAMPER, a finding) by get, due and apply. */
static void test_retention__forged_schedule_refused(void **state)
{
    fx *f = *state;
    council_retention_rule r[1];
    council_buf out = { NULL, 0 };
    uint8_t *old = NULL, *old_sig = NULL;
    size_t n = 0, n_sig = 0;
    uint64_t seq = 0;

    schedule(f->c);
    assert_int_equal(council__setting_get(f->c, "retention", &old, &n), COUNCIL_OK);
    assert_int_equal(council__setting_get(f->c, "retention_sig", &old_sig, &n_sig), COUNCIL_OK);
    /* A newer schedule keeps everything. */
    rule(&r[0], 0, 0, COUNCIL_RETENTION_KEEP, 0);
    assert_int_equal(council_retention_set(f->c, r, 1), COUNCIL_OK);
    /* Replay: the old signed schedule (closed council cases: 0 days). */
    assert_int_equal(council__audit_size(f->c, &seq), COUNCIL_OK);
    sql(f->c, "UPDATE setting SET value = ?1 WHERE key = 'retention';", old, n);
    sql(f->c, "UPDATE setting SET value = ?1 WHERE key = 'retention_sig';", old_sig, n_sig);
    assert_int_equal(council_retention_get(f->c, &out), COUNCIL_ETAMPER);
    assert_null(out.ptr);
    assert_null(due_json(f->c, 0, COUNCIL_ETAMPER));
    assert_null(apply(f->c, 0, NULL, 0, COUNCIL_ETAMPER));
    assert_true(finding_since(f->c, seq, "forged_retention_schedule"));
    /* An edit of the rules (the count made 0): the signature fails. */
    old[20 + 16 + 15] = 0; /* rule 2's count (10 years) */
    sql(f->c, "UPDATE setting SET value = ?1 WHERE key = 'retention';", old, n);
    assert_null(due_json(f->c, 0, COUNCIL_ETAMPER));
    /* Set again, it is accepted. */
    assert_int_equal(council_retention_set(f->c, r, 1), COUNCIL_OK);
    assert_int_equal(council_retention_get(f->c, &out), COUNCIL_OK);
    council_buf_free(&out);
    council__free(old);
    council__free(old_sig);
}

/* A case made "closed" by editing its row, a closed case made "open" by
 * its row, a case's body edited (the owner proof fails): each a finding,
 * and no list and no pass until they are put right (a case due could hide
 * among them). Put right, the log decides: the closed one is due, the
 * open one is not. */
static void test_retention__forged_closing_not_due(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka);
    uint8_t open_c[16], hid[16], moved[16], pid[16];
    uint64_t seq = 0;
    json_t *j;

    schedule(f->c);
    body_case(sa, open_c, pid, COUNCIL_CASE_BODY_COUNCIL);
    body_case(sa, hid, pid, COUNCIL_CASE_BODY_COUNCIL);
    body_case(sa, moved, pid, COUNCIL_CASE_BODY_SUPPORT_MEETING);
    assert_int_equal(council_case_set_status(sa, hid, 16, COUNCIL_CASE_STATUS_CLOSED), COUNCIL_OK);
    assert_int_equal(council_case_set_status(sa, moved, 16, COUNCIL_CASE_STATUS_CLOSED), COUNCIL_OK);
    assert_int_equal(council__audit_size(f->c, &seq), COUNCIL_OK);
    /* The insider: open_c "closed" long ago, hid "open", moved re-labelled. */
    sql(f->c, "UPDATE case_record SET status = 3, updated = 1000 WHERE id = ?1;", open_c, 16);
    sql(f->c, "UPDATE case_record SET status = 1 WHERE id = ?1;", hid, 16);
    sql(f->c, "UPDATE case_record SET body = 1 WHERE id = ?1;", moved, 16);
    assert_null(due_json(f->c, 0, COUNCIL_ETAMPER));
    assert_null(apply(f->c, 1, NULL, 0, COUNCIL_ETAMPER));
    assert_true(finding_since(f->c, seq, "forged_case_status"));
    assert_true(finding_since(f->c, seq, "forged_case_owner"));
    assert_int_equal(count(f->c, "SELECT count(*) FROM case_record WHERE erased IS NOT NULL "
                           "AND erased != 0;", NULL), 0);
    /* Put right: the log decides. */
    sql(f->c, "UPDATE case_record SET status = 1 WHERE id = ?1;", open_c, 16);
    sql(f->c, "UPDATE case_record SET status = 3 WHERE id = ?1;", hid, 16);
    sql(f->c, "UPDATE case_record SET body = 2 WHERE id = ?1;", moved, 16);
    j = due_json(f->c, 0, COUNCIL_OK);
    assert_false(lists(j, "cases", open_c));
    assert_true(lists(j, "cases", hid));
    assert_int_equal(jint(j, "tampered"), 0);
    json_decref(j);
    /* A named case that is not due: refused, nothing done. */
    assert_null(apply(f->c, 0, open_c, 1, COUNCIL_EDENIED));
    assert_int_equal(th_last_action(f->c), COUNCIL_AUDIT_ACTION_RETENTION_APPLIED);
    /* Closed, then reopened; the insider hides the reopening from the
     * case index (its case_ref column cleared) and makes the row closed:
     * the log's bodies are read, not the index, so it is not due. */
    {
        uint8_t back[16];
        uint64_t reopen = 0;
        char q[160];
        body_case(sa, back, pid, COUNCIL_CASE_BODY_COUNCIL);
        assert_int_equal(council_case_set_status(sa, back, 16, COUNCIL_CASE_STATUS_CLOSED),
                         COUNCIL_OK);
        assert_int_equal(council_case_set_status(sa, back, 16, COUNCIL_CASE_STATUS_OPEN),
                         COUNCIL_OK);
        assert_int_equal(council__audit_size(f->c, &reopen), COUNCIL_OK);
        snprintf(q, sizeof q, "UPDATE audit_event SET case_ref = NULL WHERE seq = %llu;",
                 (unsigned long long)(reopen - 1));
        sql(f->c, q, NULL, 0);
        j = due_json(f->c, 0, COUNCIL_OK);
        assert_false(lists(j, "cases", back));
        json_decref(j);
        /* and its row made closed: refused, a finding */
        sql(f->c, "UPDATE case_record SET status = 3 WHERE id = ?1;", back, 16);
        assert_null(due_json(f->c, 0, COUNCIL_ETAMPER));
        sql(f->c, "UPDATE case_record SET status = 1 WHERE id = ?1;", back, 16);
        /* An event deleted: no pass runs on a log with a gap. */
        sql(f->c, "DELETE FROM audit_event WHERE seq = 3;", NULL, 0);
        assert_null(due_json(f->c, 0, COUNCIL_ETAMPER));
        assert_null(apply(f->c, 1, NULL, 0, COUNCIL_ETAMPER));
    }
    council_close(sa);
}

/* The signed status (case_status_sig): the closing of one case put on
 * another by the insider fails its signature (a finding, no list, no
 * pass); a case closed before its status was signed (its row deleted) is
 * never due: unproven. Put right, the closed case is due. */
static void test_retention__signed_status(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka);
    uint8_t open_c[16], closed[16], pid[16];
    uint64_t seq = 0;
    json_t *j;

    schedule(f->c);
    body_case(sa, open_c, pid, COUNCIL_CASE_BODY_COUNCIL);
    body_case(sa, closed, pid, COUNCIL_CASE_BODY_COUNCIL);
    assert_int_equal(council_case_set_status(sa, closed, 16, COUNCIL_CASE_STATUS_CLOSED),
                     COUNCIL_OK);
    j = due_json(f->c, 0, COUNCIL_OK);
    assert_true(lists(j, "cases", closed));
    assert_false(lists(j, "cases", open_c));
    json_decref(j);
    assert_int_equal(council__audit_size(f->c, &seq), COUNCIL_OK);
    /* The insider copies the closed case's signed status onto the open
     * one, and its column and a closing event: the signature is of the
     * other case. */
    sql(f->c, "CREATE TEMP TABLE keep AS SELECT * FROM case_status_sig;", NULL, 0);
    sql(f->c, "INSERT OR REPLACE INTO case_status_sig (case_id, status, since, signer, sig) "
              "SELECT ?1, status, since, signer, sig FROM temp.keep WHERE case_id != ?1;",
        open_c, 16);
    assert_null(due_json(f->c, 0, COUNCIL_ETAMPER));
    assert_null(apply(f->c, 1, NULL, 0, COUNCIL_ETAMPER));
    assert_true(finding_since(f->c, seq, "forged_case_status"));
    /* Put right; then the closed case's signed status deleted: unproven. */
    sql(f->c, "DELETE FROM case_status_sig;", NULL, 0);
    sql(f->c, "INSERT INTO case_status_sig SELECT * FROM temp.keep;", NULL, 0);
    j = due_json(f->c, 0, COUNCIL_OK);
    assert_true(lists(j, "cases", closed));
    json_decref(j);
    sql(f->c, "DELETE FROM case_status_sig WHERE case_id = ?1;", closed, 16);
    j = due_json(f->c, 0, COUNCIL_OK);
    assert_false(lists(j, "cases", closed));
    assert_int_equal(jint(j, "unproven"), 1);
    json_decref(j);
    /* Replayed: the open case closed, its signed closing kept aside,
     * reopened; the old closing put back is not the status the log has. */
    assert_int_equal(council_case_set_status(sa, open_c, 16, COUNCIL_CASE_STATUS_CLOSED),
                     COUNCIL_OK);
    sql(f->c, "DELETE FROM temp.keep;", NULL, 0);
    sql(f->c, "INSERT INTO temp.keep SELECT * FROM case_status_sig WHERE case_id = ?1;", open_c, 16);
    assert_int_equal(council_case_set_status(sa, open_c, 16, COUNCIL_CASE_STATUS_OPEN),
                     COUNCIL_OK);
    assert_int_equal(council__audit_size(f->c, &seq), COUNCIL_OK);
    sql(f->c, "INSERT OR REPLACE INTO case_status_sig SELECT * FROM temp.keep;", NULL, 0);
    assert_null(due_json(f->c, 0, COUNCIL_ETAMPER));
    assert_true(finding_since(f->c, seq, "forged_case_status"));
    council_close(sa);
}

/* Only the secretariat. */
static void test_retention__secretariat_only(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka);
    council_retention_rule r[1];
    council_buf out = { NULL, 0 };

    rule(&r[0], 0, 0, COUNCIL_RETENTION_KEEP, 0);
    assert_int_equal(council_retention_set(sa, r, 1), COUNCIL_EDENIED);
    assert_int_equal(council_retention_get(sa, &out), COUNCIL_EDENIED);
    assert_int_equal(council_retention_due(sa, &out, 0), COUNCIL_EDENIED);
    assert_null(apply(sa, 1, NULL, 0, COUNCIL_EDENIED));
    assert_null(out.ptr);
    council_close(sa);
}

/* ------------------------------------------------------------ the schedule */

static void test_retention__schedule(void **state)
{
    fx *f = *state;
    council_retention_rule r[COUNCIL_RETENTION_RULES_MAX + 1];
    council_buf out = { NULL, 0 };
    json_error_t err;
    json_t *j, *rules;
    Council__V1__AuditEvent *e;

    /* Nothing set: no rules, nothing due. */
    assert_int_equal(council_retention_get(f->c, &out), COUNCIL_OK);
    j = json_loadb((const char *)out.ptr, out.len, 0, &err);
    assert_true(json_is_null(json_object_get(j, "schedule_id")));
    assert_int_equal(json_array_size(json_object_get(j, "rules")), 0);
    json_decref(j);
    council_buf_free(&out);
    /* Refusals, each its own code. */
    rule(&r[0], 9, 0, COUNCIL_RETENTION_DAYS, 1);
    assert_int_equal(council_retention_set(f->c, r, 1), COUNCIL_EINVAL);
    rule(&r[0], 0, COUNCIL_CASE_STATUS_ERASED, COUNCIL_RETENTION_DAYS, 1);
    assert_int_equal(council_retention_set(f->c, r, 1), COUNCIL_EINVAL);
    rule(&r[0], 0, 0, COUNCIL_RETENTION_KEEP, 3);
    assert_int_equal(council_retention_set(f->c, r, 1), COUNCIL_EINVAL);
    rule(&r[0], 0, 0, COUNCIL_RETENTION_YEARS, COUNCIL_RETENTION_COUNT_MAX + 1);
    assert_int_equal(council_retention_set(f->c, r, 1), COUNCIL_EINVAL);
    rule(&r[0], 1, 3, COUNCIL_RETENTION_YEARS, 5);
    rule(&r[1], 1, 3, COUNCIL_RETENTION_DAYS, 5);
    assert_int_equal(council_retention_set(f->c, r, 2), COUNCIL_EINVAL); /* twice */
    for (size_t i = 0; i <= COUNCIL_RETENTION_RULES_MAX; i++)
        rule(&r[i], 0, 0, COUNCIL_RETENTION_KEEP, 0);
    assert_int_equal(council_retention_set(f->c, r, COUNCIL_RETENTION_RULES_MAX + 1),
                     COUNCIL_ELIMIT);
    assert_int_equal(council_retention_set(f->c, NULL, 1), COUNCIL_EMISUSE);
    assert_int_equal(council_retention_get(f->c, NULL), COUNCIL_EMISUSE);
    assert_int_equal(council_retention_due(f->c, &out, (int64_t)time(NULL) + 3 * 86400),
                     COUNCIL_EINVAL);
    assert_int_equal(council_retention_due(f->c, &out, -5), COUNCIL_EINVAL);
    /* Set: logged with the schedule's id; read back. */
    schedule(f->c);
    e = last_event(f->c);
    assert_int_equal(e->action, COUNCIL_AUDIT_ACTION_RETENTION_SCHEDULE_CHANGED);
    assert_true(e->has_object_id && e->object_id.len == 16);
    council__v1__audit_event__free_unpacked(e, NULL);
    assert_int_equal(council_retention_get(f->c, &out), COUNCIL_OK);
    j = json_loadb((const char *)out.ptr, out.len, 0, &err);
    assert_true(json_is_string(json_object_get(j, "schedule_id")));
    rules = json_object_get(j, "rules");
    assert_int_equal(json_array_size(rules), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rules, 1), "body")),
                        "support_meeting");
    assert_string_equal(json_string_value(json_object_get(json_array_get(rules, 1), "unit")),
                        "years");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(rules, 1), "count")), 10);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rules, 2), "unit")), "keep");
    json_decref(j);
    council_buf_free(&out);
}

/* ------------------------------------------------------------ the pass */

/* Exactly what is due is erased; a dry run changes nothing; the log
 * verifies; a second pass does nothing. */
static void test_retention__erases_exactly_what_is_due(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka);
    uint8_t due[16], dpid[16], other_body[16], opid[16], open_c[16], xpid[16];
    uint8_t reopened[16], rpid[16];
    uint64_t n0 = 0, n1 = 0;
    char *t;
    int rc;
    json_t *j;
    Council__V1__AuditEvent *e;

    schedule(f->c);
    body_case(sa, due, dpid, COUNCIL_CASE_BODY_COUNCIL);
    body_case(sa, other_body, opid, COUNCIL_CASE_BODY_SUPPORT_MEETING);
    body_case(sa, open_c, xpid, COUNCIL_CASE_BODY_COUNCIL);
    body_case(sa, reopened, rpid, COUNCIL_CASE_BODY_COUNCIL);
    put(sa, due, dpid, "situation", sec_text(CANARY_TEXT), COUNCIL_OK);
    put(sa, other_body, opid, "situation", sec_text("kept: another body"), COUNCIL_OK);
    put(sa, open_c, xpid, "situation", sec_text("kept: open"), COUNCIL_OK);
    put(sa, reopened, rpid, "situation", sec_text("kept: reopened"), COUNCIL_OK);
    assert_int_equal(council_case_set_status(sa, due, 16, COUNCIL_CASE_STATUS_CLOSED), COUNCIL_OK);
    assert_int_equal(council_case_set_status(sa, other_body, 16, COUNCIL_CASE_STATUS_CLOSED),
                     COUNCIL_OK);
    assert_int_equal(council_case_set_status(sa, reopened, 16, COUNCIL_CASE_STATUS_CLOSED),
                     COUNCIL_OK);
    assert_int_equal(council_case_set_status(sa, reopened, 16, COUNCIL_CASE_STATUS_MONITORING),
                     COUNCIL_OK);
    /* The status change names the new status in the hashed event. */
    e = last_event(f->c);
    assert_string_equal(e->purpose, "monitoring");
    council__v1__audit_event__free_unpacked(e, NULL);

    j = due_json(f->c, 0, COUNCIL_OK);
    assert_int_equal(json_array_size(json_object_get(j, "cases")), 1);
    assert_true(lists(j, "cases", due));
    assert_int_equal(jint(j, "tampered"), 0);
    json_decref(j);
    /* Before its time (a day ago), nothing is due. */
    j = due_json(f->c, (int64_t)time(NULL) - 86400, COUNCIL_OK);
    assert_int_equal(json_array_size(json_object_get(j, "cases")), 0);
    json_decref(j);

    /* A dry run: the same report, nothing written, not even an event. */
    assert_int_equal(council__audit_size(f->c, &n0), COUNCIL_OK);
    j = apply(f->c, 1, NULL, 0, COUNCIL_OK);
    assert_true(json_is_true(json_object_get(j, "dry_run")));
    assert_true(lists(j, "erased", due));
    assert_int_equal(json_array_size(json_object_get(j, "erased")), 1);
    json_decref(j);
    assert_int_equal(council__audit_size(f->c, &n1), COUNCIL_OK);
    assert_int_equal(n1, n0);
    t = get_text(sa, due, dpid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, CANARY_TEXT);
    free(t);

    /* The pass. */
    j = apply(f->c, 0, NULL, 0, COUNCIL_OK);
    assert_int_equal(json_array_size(json_object_get(j, "erased")), 1);
    assert_true(lists(j, "erased", due));
    json_decref(j);
    e = last_event(f->c);
    assert_int_equal(e->action, COUNCIL_AUDIT_ACTION_RETENTION_APPLIED);
    assert_string_equal(e->reason, "erased_1_purged_0");
    council__v1__audit_event__free_unpacked(e, NULL);
    {
        bool erased_event = false;
        uint64_t n2 = 0;
        assert_int_equal(council__audit_size(f->c, &n2), COUNCIL_OK);
        for (uint64_t s = n1; s < n2; s++) {
            e = event_at(f->c, s);
            erased_event |= e->action == COUNCIL_AUDIT_ACTION_CASE_ERASED &&
                            strcmp(e->reason, "retention") == 0;
            council__v1__audit_event__free_unpacked(e, NULL);
        }
        assert_true(erased_event);
    }
    /* Gone: the content and every key. */
    assert_null(get_text(sa, due, dpid, "situation", &rc));
    assert_int_equal(rc, COUNCIL_EDENIED);
    {
        council__member_keys k;
        council__secret key = { NULL, 0 };
        member_keys(&f->ka, &k);
        assert_int_equal(steal_key(f->c, due, "situation", 0, f->ma, &k, &key), COUNCIL_ENOTFOUND);
        council__member_keys_free(&k);
    }
    /* The others are kept and readable. */
    t = get_text(sa, other_body, opid, "situation", &rc);
    assert_string_equal(t, "kept: another body");
    free(t);
    t = get_text(sa, open_c, xpid, "situation", &rc);
    assert_string_equal(t, "kept: open");
    free(t);
    t = get_text(sa, reopened, rpid, "situation", &rc);
    assert_string_equal(t, "kept: reopened");
    free(t);
    log_verifies(f);

    /* Again: nothing more to do. */
    j = apply(f->c, 0, NULL, 0, COUNCIL_OK);
    assert_int_equal(json_array_size(json_object_get(j, "erased")), 0);
    json_decref(j);
    e = last_event(f->c);
    assert_string_equal(e->reason, "erased_0_purged_0");
    council__v1__audit_event__free_unpacked(e, NULL);
    j = due_json(f->c, 0, COUNCIL_OK);
    assert_int_equal(json_array_size(json_object_get(j, "cases")), 0);
    json_decref(j);
    council_close(sa);
}

/* Confirmed ids: only those erased; one not due refuses the whole pass. */
static void test_retention__confirmed_ids(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka);
    uint8_t a[16], b[16], pid[16], both[32];
    json_t *j;

    schedule(f->c);
    body_case(sa, a, pid, COUNCIL_CASE_BODY_COUNCIL);
    body_case(sa, b, pid, COUNCIL_CASE_BODY_COUNCIL);
    assert_int_equal(council_case_set_status(sa, a, 16, COUNCIL_CASE_STATUS_CLOSED), COUNCIL_OK);
    assert_int_equal(council_case_set_status(sa, b, 16, COUNCIL_CASE_STATUS_CLOSED), COUNCIL_OK);
    memcpy(both, a, 16);
    memcpy(both + 16, pid, 16); /* not a case */
    assert_null(apply(f->c, 0, both, 2, COUNCIL_EDENIED));
    assert_null(apply(f->c, 0, a, 0, COUNCIL_EINVAL));
    j = apply(f->c, 0, a, 1, COUNCIL_OK);
    assert_int_equal(json_array_size(json_object_get(j, "erased")), 1);
    assert_true(lists(j, "erased", a));
    json_decref(j);
    j = due_json(f->c, 0, COUNCIL_OK);
    assert_false(lists(j, "cases", a));
    assert_true(lists(j, "cases", b));
    json_decref(j);
    council_close(sa);
}

/* Ended shares (expired, their meeting over, their consent ended) lose
 * their keys on the pass; a live share keeps its own. */
static void test_retention__purges_ended_shares(void **state)
{
    fx *f = *state;
    static const char *const plan[] = { "support_plan" };
    council *sa = staff_open(f, f->sa, &f->ka), *sc = NULL;
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    council_consent_options co = COUNCIL_CONSENT_OPTIONS_INIT;
    council__member_keys kb, kc;
    council__secret key = { NULL, 0 };
    uint8_t cid[16], pid[16], mid[16], consent[16];
    const char *wishes[1] = { "wishes" }, *record[1] = { "support_record" };
    int rc;
    char *t;
    json_t *j;

    schedule(f->c);
    body_case(sa, cid, pid, COUNCIL_CASE_BODY_COUNCIL);
    put(sa, cid, pid, "wishes", sec_text("wishes"), COUNCIL_OK);
    put(sa, cid, pid, "situation", sec_text("situation"), COUNCIL_OK);
    put(sa, cid, pid, "support_plan", sec_text("plan"), COUNCIL_OK);
    put(sa, cid, pid, "support_record", sec_text("record"), COUNCIL_OK);
    /* B: wishes, for two seconds. */
    so.scopes = wishes;
    so.n_scopes = 1;
    so.purpose = "support_coordination";
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "要保護の判断のため";
    so.expires = (int64_t)time(NULL) + 2;
    assert_int_equal(council_case_share(sa, cid, 16, f->mb, 16, &so), COUNCIL_OK);
    /* C: situation at a meeting two seconds long. */
    meeting_on_situation(f, mid, f->mc, 2, cid, "会議での検討のため");
    /* C: support_plan on a consent valid for two seconds. */
    co.case_id = cid;
    co.case_id_len = 16;
    co.subject_person = pid;
    co.subject_person_len = 16;
    co.recipient_members = f->mc;
    co.n_recipient_members = 1;
    co.scopes = plan;
    co.n_scopes = 1;
    co.purposes = p_support;
    co.n_purposes = 1;
    co.valid_until = (int64_t)time(NULL) + 2;
    co.method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_WRITTEN;
    assert_int_equal(council_consent_record(sa, consent, 16, &co), COUNCIL_OK);
    so.scopes = plan;
    so.basis = "consent";
    so.reason = NULL;
    so.consent_id = consent;
    so.consent_id_len = 16;
    so.expires = 0;
    assert_int_equal(council_case_share(sa, cid, 16, f->mc, 16, &so), COUNCIL_OK);
    /* C: support_record, no end. */
    so.scopes = record;
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "要保護の判断のため";
    so.consent_id = NULL;
    so.consent_id_len = 0;
    assert_int_equal(council_case_share(sa, cid, 16, f->mc, 16, &so), COUNCIL_OK);
    sleep(3);

    /* Ended, but their wraps are still in the store until the pass. */
    member_keys(&f->kb, &kb);
    member_keys(&f->kc, &kc);
    assert_int_equal(steal_key(f->c, cid, "wishes", 0, f->mb, &kb, &key), COUNCIL_OK);
    council__secret_free(&key);
    assert_int_equal(steal_key(f->c, cid, "situation", 0, f->mc, &kc, &key), COUNCIL_OK);
    council__secret_free(&key);
    assert_int_equal(steal_key(f->c, cid, "support_plan", 0, f->mc, &kc, &key), COUNCIL_OK);
    council__secret_free(&key);

    /* A dry run counts them and leaves them. */
    j = apply(f->c, 1, NULL, 0, COUNCIL_OK);
    assert_int_equal(jint(j, "purged_cases"), 1);
    assert_int_equal(jint(j, "purged_shares"), 3);
    json_decref(j);
    assert_int_equal(steal_key(f->c, cid, "wishes", 0, f->mb, &kb, &key), COUNCIL_OK);
    council__secret_free(&key);

    j = apply(f->c, 0, NULL, 0, COUNCIL_OK);
    assert_int_equal(jint(j, "purged_cases"), 1);
    assert_int_equal(jint(j, "purged_shares"), 3);
    assert_int_equal(json_array_size(json_object_get(j, "erased")), 0);
    json_decref(j);
    assert_true(finding_since(f->c, 0, "erased_0_purged_3"));
    assert_int_equal(steal_key(f->c, cid, "wishes", 0, f->mb, &kb, &key), COUNCIL_ENOTFOUND);
    assert_int_equal(steal_key(f->c, cid, "situation", 0, f->mc, &kc, &key), COUNCIL_ENOTFOUND);
    assert_int_equal(steal_key(f->c, cid, "support_plan", 0, f->mc, &kc, &key), COUNCIL_ENOTFOUND);
    /* The live share is still read, and its key still held. */
    assert_int_equal(steal_key(f->c, cid, "support_record", 0, f->mc, &kc, &key), COUNCIL_OK);
    council__secret_free(&key);
    sc = staff_open(f, f->sc, &f->kc);
    t = get_text(sc, cid, pid, "support_record", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "record");
    free(t);
    assert_null(get_text(sc, cid, pid, "situation", &rc));
    /* The case itself is kept (open: no rule erases it). */
    t = get_text(sa, cid, pid, "wishes", &rc);
    assert_string_equal(t, "wishes");
    free(t);
    /* Again: nothing more. */
    j = apply(f->c, 0, NULL, 0, COUNCIL_OK);
    assert_int_equal(jint(j, "purged_shares"), 0);
    json_decref(j);
    log_verifies(f);
    council__member_keys_free(&kb);
    council__member_keys_free(&kc);
    council_close(sc);
    council_close(sa);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_retention__forged_schedule_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention__forged_closing_not_due, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention__signed_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention__secretariat_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention__schedule, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention__erases_exactly_what_is_due, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_retention__confirmed_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention__purges_ended_shares, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
