/* test_redteam17.c - red team of issue 17 (the fast paths: the statement
 * cache, wrap format 2 and the session's caches, batched reads, migration
 * 23's node table). Each test is an attack by the insider (the database
 * key, any row writable, no log key) and asserts the SAFE behaviour; those
 * marked FINDING n failed before their fix. */
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "case_fixture.h"
#include "merkle.h"
#include "store.h"

/* ------------------------------------------------ the insider's tools */

/* rt_sql, rt_int: case_fixture.h. */

/* The secretariat's root open, in a child with a deadline: 0 when it
 * opened and closed, 1 when it failed, 2 when it was still running after
 * `secs` seconds (killed). */
static int root_open_within(const char *store, unsigned secs)
{
    pid_t pid = fork();
    int status = 0;

    assert_true(pid >= 0);
    if (pid == 0) {
        council *c = NULL;
        int rc = th_open(&c, store, TH_PASS);
        council_close(c);
        _exit(rc == COUNCIL_OK ? 0 : 1);
    }
    for (unsigned i = 0; i < secs * 10; i++) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        assert_true(w >= 0);
        if (w == pid)
            return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
        nanosleep(&(struct timespec){ 0, 100000000L }, NULL);
    }
    kill(pid, SIGKILL);
    (void)waitpid(pid, &status, 0);
    return 2;
}

/* ---------------------------------------------------------- FINDING 1 */

/* The format-1 migration (council__key_wraps_migrate) walks key_wrap with a
 * cursor on (case_id, scope, version, holder, box_pk) bound with the
 * library's types. The insider copies a genuine wrap row (its tag is no
 * secret) under a case id stored as TEXT, beside a TEXT copy of the
 * coordinating body's row, with 181 bytes of anything as `sealed`, and
 * deletes the mark `key_wraps_v2`. The pair joins, the coordinating body's
 * wrap opens (the same bytes), the tag checks, and the row is written again
 * as the genuine BLOB-keyed row: the TEXT row stays, sorts before the
 * cursor, and is found again at every pass from the start. Before the fix
 * the secretariat's root open never returned, appending a
 * key_wraps_migrated event (and two fsyncs) every other pass. */
static void plant_and_open(fx *f, const char *k_cols, const char *w_cols)
{
    council *sa = staff_open(f, f->sa, &f->ka);
    uint8_t cid[16], pid[16];
    int64_t before, after;
    char q[2048];

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("x"), COUNCIL_OK);
    council_close(sa);
    snprintf(q, sizeof q, "BEGIN;"
             "INSERT INTO key_wrap (case_id, scope, version, holder, box_pk, sealed, tag) "
             "  SELECT %s FROM key_wrap WHERE holder = zeroblob(16) AND version = 1;"
             "INSERT INTO key_wrap (case_id, scope, version, holder, box_pk, sealed, tag) "
             "  SELECT %s FROM key_wrap WHERE holder != zeroblob(16) AND version = 1;"
             "DELETE FROM setting WHERE key = 'key_wraps_v2';"
             "COMMIT;", k_cols, w_cols);
    before = rt_int(f->c, "SELECT count(*) FROM key_wrap;");
    rt_sql(f->c, q);
    assert_true(rt_int(f->c, "SELECT count(*) FROM key_wrap;") > before); /* planted */
    before = rt_int(f->c, "SELECT count(*) FROM audit_event;");
    council_close(f->c);
    f->c = NULL;
    assert_int_equal(root_open_within(f->store, 20), 0);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    after = rt_int(f->c, "SELECT count(*) FROM audit_event;");
    /* The open's own events, not one per pass. */
    assert_true(after - before < 16);
    /* The genuine rows still open. */
    sa = staff_open(f, f->sa, &f->ka);
    {
        int rc;
        char *t = get_text(sa, cid, pid, "situation", &rc);
        assert_int_equal(rc, COUNCIL_OK);
        assert_string_equal(t, "x");
        free(t);
    }
    council_close(sa);
}

static void test_rt17__migration_loops_on_retyped_row(void **state)
{
    plant_and_open(*state,
                   "CAST(case_id AS TEXT), scope, version, holder, box_pk, sealed, tag",
                   "CAST(case_id AS TEXT), scope, version, holder, box_pk, randomblob(181), tag");
}

/* The same with the scope stored as a BLOB: it sorts after every TEXT
 * cursor, so the row is found again at once, page after page. */
static void test_rt17__migration_loops_on_blob_scope(void **state)
{
    plant_and_open(*state,
                   "case_id, CAST(scope AS BLOB), version, holder, box_pk, sealed, tag",
                   "case_id, CAST(scope AS BLOB), version, holder, box_pk, randomblob(181), tag");
}

/* And with the version past 2^32 (read back as a 32-bit version: the
 * genuine one) or a NUL inside the scope (read up to the NUL: the genuine
 * scope): both sort after the cursor the genuine row leaves. */
static void test_rt17__migration_loops_on_wide_version(void **state)
{
    plant_and_open(*state,
                   "case_id, scope, version + 4294967296, holder, box_pk, sealed, tag",
                   "case_id, scope, version + 4294967296, holder, box_pk, randomblob(181), tag");
}

static void test_rt17__migration_loops_on_nul_in_scope(void **state)
{
    plant_and_open(*state,
                   "case_id, scope || char(0) || 'x', version, holder, box_pk, sealed, tag",
                   "case_id, scope || char(0) || 'x', version, holder, box_pk, randomblob(181), tag");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rt17__migration_loops_on_retyped_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rt17__migration_loops_on_blob_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rt17__migration_loops_on_wide_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rt17__migration_loops_on_nul_in_scope, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
