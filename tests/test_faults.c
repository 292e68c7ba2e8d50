/*
 * test_faults.c - the findings of the fault sweep (tests/sweep_faults.c,
 * issue 18) held in place one by one: a single SQLite step (or rename)
 * failed on purpose, chosen by its statement, and what the operation must
 * then do. Linked with --wrap=sqlite3_step,--wrap=rename (see the
 * Makefile): the library's calls go through the hooks below, which pass
 * everything through unless armed.
 */
#include "case_fixture.h"
#include "blind.h"
#include "council/v1/bundle.pb-c.h"

#include <errno.h>
#include <stdio.h>

#define ACT_TAMPER COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_TAMPER_DETECTED
#define ACT_REFUSED_SESSION COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_REFUSED

/* --------------------------------------------------------------- hooks */

/* Fail the (skip+1)th step of a statement whose SQL holds `fail_sql`. */
static const char *fail_sql;
static long fail_skip;
static int fail_fired;

int __real_sqlite3_step(sqlite3_stmt *st);
int __wrap_sqlite3_step(sqlite3_stmt *st);
int __wrap_sqlite3_step(sqlite3_stmt *st)
{
    const char *sql = sqlite3_sql(st);

    if (fail_sql != NULL && sql != NULL && strstr(sql, fail_sql) != NULL) {
        if (fail_skip == 0) {
            fail_sql = NULL;
            fail_fired++;
            return SQLITE_IOERR;
        }
        fail_skip--;
    }
    return __real_sqlite3_step(st);
}

/* Fail the (skip+1)th rename whose target ends in `fail_rename`. */
static const char *fail_rename;
static long rename_skip;

int __real_rename(const char *a, const char *b);
int __wrap_rename(const char *a, const char *b);
int __wrap_rename(const char *a, const char *b)
{
    size_t n = fail_rename != NULL ? strlen(fail_rename) : 0, m = strlen(b);

    if (fail_rename != NULL && m >= n && strcmp(b + m - n, fail_rename) == 0) {
        if (rename_skip == 0) {
            fail_rename = NULL;
            fail_fired++;
            errno = EIO;
            return -1;
        }
        rename_skip--;
    }
    return __real_rename(a, b);
}

static void arm_step(const char *sql, long skip)
{
    fail_sql = sql;
    fail_skip = skip;
    fail_fired = 0;
}

static void disarm(void)
{
    fail_sql = NULL;
    fail_rename = NULL;
}

/* ------------------------------------------------------------- helpers */

static int64_t count_events(council *c, int action)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;

    assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT count(*) FROM audit_event WHERE "
                                               "?1 = 0 OR action = ?1;", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int(st, 1, action);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int staff_try(fx *f, council **out, const uint8_t staff_id[16], const council_buf *kf)
{
    council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;

    o.passphrase = (const uint8_t *)MPASS;
    o.passphrase_len = strlen(MPASS);
    o.staff_id = staff_id;
    o.staff_id_len = 16;
    o.keyfile = kf->ptr;
    o.keyfile_len = kf->len;
    *out = NULL;
    return council_open(out, f->store, &o);
}

/* --------------------------------------------------------------- tests */

/* open: a read of the stored tree that fails while the log head is
 * advanced is a database error, not a rewritten log: no tamper finding
 * (sweep: open, step faults 35..46). */
static void test_open_tree_read_is_no_finding(void **state)
{
    fx *f = *state;

    for (long k = 0; k < 40; k++) {
        council *h = NULL;
        arm_step("FROM audit_node", k);
        (void)th_open(&h, f->store, TH_PASS);
        disarm();
        council_close(h);
        assert_int_equal(count_events(f->c, ACT_TAMPER), 0);
        if (fail_fired == 0)
            break; /* every read of this open was passed */
    }
}

/* case_create: the owner's keys unread is EIO, not an "owner without
 * keys" refusal on the record (sweep: case_create, step fault 9;
 * batch_commit, step fault 15). */
static void test_case_create_register_read(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sa, &f->ka);
    council_case_options o = COUNCIL_CASE_OPTIONS_INIT;
    uint8_t cid[16], pid[16];
    int64_t n = count_events(f->c, 0);

    arm_step("SELECT withdrawn IS NULL, box_pk FROM member", 0);
    assert_int_equal(council_case_create(s, cid, 16, pid, 16, &o), COUNCIL_EIO);
    disarm();
    assert_int_equal(fail_fired, 1);
    assert_int_equal(count_events(f->c, 0), n);
    council_close(s);
}

/* section_write (and revoke, case_rekey): a key version's signer whose
 * key cannot be read is EIO, not a forged key version on the record
 * (sweep: section_write 17, revoke 19, case_rekey 9). */
static void test_key_version_signer_read(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sa, &f->ka);
    uint8_t cid[16], pid[16];
    int64_t n;

    new_case(s, cid, pid);
    put(s, cid, pid, "situation", sec_text("first"), COUNCIL_OK);
    council_close(s);
    s = staff_open(f, f->sa, &f->ka); /* nothing verified yet */
    n = count_events(f->c, 0);
    arm_step("SELECT sign_pk, sign_sig FROM member_key_sig", 0);
    put(s, cid, pid, "situation", sec_text("second"), COUNCIL_EIO);
    disarm();
    assert_int_equal(fail_fired, 1);
    assert_int_equal(count_events(f->c, 0), n);
    assert_int_equal(count_events(f->c, ACT_TAMPER), 0);
    put(s, cid, pid, "situation", sec_text("second"), COUNCIL_OK);
    council_close(s);
}

/* share: the recipient's key unread is EIO, not "recipient_key_unsigned"
 * on the record (sweep: share, step fault 12). */
static void test_share_recipient_key_read(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sa, &f->ka);
    uint8_t cid[16], pid[16];
    int64_t n;

    new_case(s, cid, pid);
    put(s, cid, pid, "wishes", sec_text("wishes"), COUNCIL_OK);
    n = count_events(f->c, 0);
    arm_step("SELECT box_pk, sig FROM member_key_sig", 0);
    share(s, cid, f->mb, "wishes", COUNCIL_EIO);
    disarm();
    assert_int_equal(fail_fired, 1);
    assert_int_equal(count_events(f->c, 0), n);
    share(s, cid, f->mb, "wishes", COUNCIL_OK);
    council_close(s);
}

/* A staff session: the pledges or its sealed keys unread is EIO, not a
 * session refused for "no pledge" (which ends it) nor one without its
 * keys (sweep: open_staff, step faults 5, 17, 19). */
static void test_staff_open_reads(void **state)
{
    fx *f = *state;
    static const char *const reads[] = { "FROM pledge", "FROM member_secret WHERE member_id" };

    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        council *s = NULL;
        int64_t refused = count_events(f->c, ACT_REFUSED_SESSION);
        arm_step(reads[i], 0);
        assert_int_equal(staff_try(f, &s, f->sa, &f->ka), COUNCIL_EIO);
        disarm();
        assert_int_equal(fail_fired, 1);
        council_close(s);
        assert_int_equal(count_events(f->c, ACT_REFUSED_SESSION), refused);
    }
}

/* index_rebuild: the state it hands back is the one it committed; no read
 * after the last chunk's commit can fail a rebuild that is done (sweep:
 * index_rebuild, step fault 75). The steps counting the index in one
 * state read are counted (an index_status); a rebuild reads the state
 * once first, and the step after those (where a read after the last
 * commit would count the index again) is failed: the rebuild is done and
 * must say so. */
#define COUNT_INDEX "SELECT count(*) FROM blind_index WHERE kind = 1"
static void named_cases(council *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        uint8_t cid[16], pid[16];
        char nm[64];
        snprintf(nm, sizeof nm, "試験 次郎%zu", i);
        new_case(s, cid, pid);
        put(s, cid, pid, "identity", sec_identity(nm, "1970-01-02"), COUNCIL_OK);
    }
}
static void test_index_rebuild_final_read(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sa, &f->ka);
    council_index_state st;
    long per_read;

    council__blind_test_scale(14); /* an entry counts as 16,384 */
    named_cases(s, 0, 12);
    arm_step(COUNT_INDEX, 100000);
    assert_int_equal(council_index_status(f->c, &st), COUNCIL_OK);
    per_read = 100000 - fail_skip;
    disarm();
    assert_true(per_read > 0);
    assert_int_equal(st.width, 16);
    assert_int_equal(st.wanted_width, 17);
    arm_step(COUNT_INDEX, per_read);
    assert_int_equal(council_index_rebuild(f->c, &st, 0), COUNCIL_OK);
    disarm();
    assert_int_equal(st.width, 17);
    assert_int_equal(st.old_width, 0);
    assert_int_equal(st.cases_done, 12);
    assert_int_equal(st.entries, 12);
    assert_int_equal(council_index_status(f->c, &st), COUNCIL_OK);
    assert_int_equal(st.width, 17);
    assert_int_equal(st.old_width, 0);
    council__blind_test_scale(0);
    council_close(s);
}

/* intake: the result is packed into a buffer taken before the intake
 * commits; an allocation failing at any point leaves either no intake and
 * no buffer, or the intake and its result (sweep: intake_import, alloc
 * fault 19: the case, its sections and consent committed, then ENOMEM). */
static void test_intake_result_after_commit(void **state)
{
    fx *f = *state;
    Council__V1__IntakeBundle ib = COUNCIL__V1__INTAKE_BUNDLE__INIT;
    council_intake_options o = COUNCIL_INTAKE_OPTIONS_INIT;
    char *scopes[1] = { (char *)(uintptr_t)"situation" };
    uint8_t buf[512];
    size_t n;
    long k;

    ib.referrer_org = (char *)(uintptr_t)"チャット相談";
    ib.contact_channel = (char *)(uintptr_t)"chat";
    ib.situation = (char *)(uintptr_t)"匿名の相談";
    ib.consented_scopes = scopes;
    ib.n_consented_scopes = 1;
    ib.consent_method = (char *)(uintptr_t)"written";
    n = council__v1__intake_bundle__get_packed_size(&ib);
    assert_true(n <= sizeof buf);
    council__v1__intake_bundle__pack(&ib, buf);
    o.owner = f->ma;
    o.owner_len = 16;
    for (k = 0; k < 10000; k++) {
        council_buf out = { NULL, 0 };
        int64_t cases = count(f->c, "SELECT count(*) FROM case_record", NULL);
        int64_t consents = count(f->c, "SELECT count(*) FROM consent", NULL);
        int rc;

        council__fault_alloc_after(k);
        rc = council_intake_import(f->c, &out, buf, n, &o);
        council__fault_alloc_after(-1);
        if (rc == COUNCIL_OK) {
            assert_non_null(out.ptr);
            assert_int_equal(count(f->c, "SELECT count(*) FROM case_record", NULL), cases + 1);
            council_buf_free(&out);
            break;
        }
        assert_null(out.ptr);
        assert_int_equal(count(f->c, "SELECT count(*) FROM case_record", NULL), cases);
        assert_int_equal(count(f->c, "SELECT count(*) FROM consent", NULL), consents);
    }
    assert_true(k > 0 && k < 10000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_tree_read_is_no_finding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_create_register_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_version_signer_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_share_recipient_key_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_open_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_rebuild_final_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intake_result_after_commit, setup, teardown),
    };

    if (council_global_init() != COUNCIL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
