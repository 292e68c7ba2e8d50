/*
 * test_faults.c - the findings of the fault sweep (tests/sweep_faults.c,
 * issue 18) held in place one by one: a single SQLite step (or rename)
 * failed on purpose, chosen by its statement, and what the operation must
 * then do. Linked with --wrap=sqlite3_step,--wrap=rename (see the
 * Makefile): the library's calls go through the hooks below, which pass
 * everything through unless armed.
 */
#include "case_fixture.h"

#include <errno.h>

#include "council/v1/bundle.pb-c.h"
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

/* Fail the COMMIT that ends a plain read transaction ("BEGIN;"), when
 * armed. */
static int fail_read_commit; /* 1: armed; 2: a "BEGIN;" seen */

int __real_sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **),
                        void *arg, char **err);
int __wrap_sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **),
                        void *arg, char **err);
int __wrap_sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **),
                        void *arg, char **err)
{
    if (fail_read_commit == 1 && strcmp(sql, "BEGIN;") == 0)
        fail_read_commit = 2;
    else if (fail_read_commit == 2 && strcmp(sql, "COMMIT;") == 0) {
        fail_read_commit = 0;
        fail_fired++;
        return SQLITE_FULL;
    }
    return __real_sqlite3_exec(db, sql, cb, arg, err);
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
    fail_read_commit = 0;
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

/* bundle_checkpoint: the stored checkpoints unread is EIO, not "none
 * usable", which signed another checkpoint (an event more) and sent this
 * node a tree other than the one the others cosign (sweep:
 * bundle_checkpoint, step faults 4..7). */
static int64_t count_checkpoints(council *c)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;

    assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT count(*) FROM audit_checkpoint;", -1, &st,
                                        NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void test_bundle_checkpoint_reads(void **state)
{
    fx *f = *state;
    static const char *const reads[] = { "SELECT size FROM audit_checkpoint WHERE time",
                                         "SELECT note FROM audit_checkpoint WHERE size" };
    council_bundle_options o = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf cp = { NULL, 0 }, b = { NULL, 0 };
    int64_t n, k;

    assert_int_equal(council_audit_checkpoint(f->c, &cp), COUNCIL_OK);
    council_buf_free(&cp);
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        n = count_events(f->c, 0);
        k = count_checkpoints(f->c);
        arm_step(reads[i], 0);
        assert_int_equal(council_bundle_checkpoint(f->c, &b, f->mb, 16, 0, &o), COUNCIL_EIO);
        disarm();
        assert_int_equal(fail_fired, 1);
        assert_null(b.ptr);
        assert_int_equal(count_events(f->c, 0), n);
        assert_int_equal(count_checkpoints(f->c), k);
    }
    /* unarmed: the stored one is sent, none signed */
    k = count_checkpoints(f->c);
    assert_int_equal(council_bundle_checkpoint(f->c, &b, f->mb, 16, 0, &o), COUNCIL_OK);
    council_buf_free(&b);
    assert_int_equal(count_checkpoints(f->c), k);
}

/* bundle_revocations: the rows of the bundles sent, cut short by a step
 * that fails, are EIO, not a shorter list (an item the member must delete
 * left out) nor "nothing to revoke" (sweep: bundle_revocations, step
 * faults 5..). */
static void test_bundle_revocations_sent_read(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sa, &f->ka);
    council_bundle_options o = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf b = { NULL, 0 };
    const char *sc[1] = { "situation" };
    uint8_t cid[16], pid[16];
    int64_t n;

    new_case(s, cid, pid);
    put(s, cid, pid, "situation", sec_text("situation"), COUNCIL_OK);
    share(s, cid, f->mb, "situation", COUNCIL_OK);
    o.basis = "appi_27_1_4_public_duty";
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, &o), COUNCIL_OK);
    council_buf_free(&b);
    assert_int_equal(council_case_revoke(s, cid, 16, f->mb, 16, sc, 1, "support_ended"),
                     COUNCIL_OK);
    o.basis = NULL;
    n = count_events(f->c, 0);
    arm_step("FROM bundle_sent WHERE member_id", 0);
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &o), COUNCIL_EIO);
    disarm();
    assert_int_equal(fail_fired, 1);
    assert_null(b.ptr);
    assert_int_equal(count_events(f->c, 0), n);
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &o), COUNCIL_OK);
    council_buf_free(&b);
    council_close(s);
}

/* bundle_import: memory failing while the bundle is parsed is ENOMEM with
 * nothing on the record, not a "bundle_format" refusal of a good bundle
 * (sweep: bundle_import_answer, alloc fault 1). */
static void test_bundle_import_parse_memory(void **state)
{
    fx *f = *state;
    council_bundle_options o = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf cp = { NULL, 0 }, b = { NULL, 0 }, out = { NULL, 0 };
    Council__V1__IntakeBundle in = COUNCIL__V1__INTAKE_BUNDLE__INIT;
    council_node *n = NULL;
    char *dir = th_path(f->root, "node-b");
    uint8_t pb[256];
    size_t len;
    int64_t k;

    assert_int_equal(council_node_init(&n, dir, f->kb.ptr, f->kb.len, (const uint8_t *)MPASS,
                                       strlen(MPASS)), COUNCIL_OK);
    assert_int_equal(council_bundle_checkpoint(f->c, &cp, f->mb, 16, 0, &o), COUNCIL_OK);
    assert_int_equal(council_node_import(n, NULL, cp.ptr, cp.len), COUNCIL_OK);
    in.referrer_org = (char *)(uintptr_t)"hotline";
    in.contact_channel = (char *)(uintptr_t)"phone";
    in.situation = (char *)(uintptr_t)"lives alone";
    len = council__v1__intake_bundle__pack(&in, pb);
    assert_int_equal(council_node_send(n, &b, COUNCIL_BUNDLE_TYPE_INTAKE, pb, len, &o),
                     COUNCIL_OK);
    k = count_events(f->c, 0);
    council__fault_alloc_after(0);
    assert_int_equal(council_bundle_import(f->c, &out, b.ptr, b.len), COUNCIL_ENOMEM);
    council__fault_alloc_after(-1);
    assert_null(out.ptr);
    assert_int_equal(count_events(f->c, 0), k);
    assert_int_equal(council_bundle_import(f->c, &out, b.ptr, b.len), COUNCIL_OK);
    council_buf_free(&out);
    council_buf_free(&b);
    council_buf_free(&cp);
    council_node_close(n);
    free(dir);
}

/* An export whose read transaction's COMMIT fails ends that transaction
 * all the same: left open, every later write of the handle failed (sweep:
 * node_audit_export, exec fault 6; the node's export shares the frames). */
static void test_export_read_commit(void **state)
{
    fx *f = *state;
    char *path = th_path(f->root, "commit.cax");
    council_buf cp = { NULL, 0 };

    int rc;

    fail_fired = 0;
    fail_read_commit = 1;
    rc = council_audit_export(f->c, path);
    disarm();
    assert_true(rc == COUNCIL_OK || rc == COUNCIL_EIO);
    assert_int_equal(fail_fired, 1);
    assert_int_equal(council_audit_checkpoint(f->c, &cp), COUNCIL_OK);
    council_buf_free(&cp);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_tree_read_is_no_finding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_create_register_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_version_signer_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_share_recipient_key_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_open_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundle_checkpoint_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundle_revocations_sent_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundle_import_parse_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_read_commit, setup, teardown),
    };

    if (council_global_init() != COUNCIL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
