/* test_stmt_cache.c - statements kept for the handle's life, and sections in
 * a rowid table (issue 17).
 *
 * The statement cache (store.c council__prepare/council__finalize) must
 * behave as a statement prepared and finalized each time did: a statement
 * held by a caller is never handed to a second caller; a statement given
 * back carries no binding of its last user into the next use; a statement
 * still held when the store closes is the holder's to finalize; a full
 * cache evicts and keeps working. Sections moved to a rowid table
 * (migration 22) keep every row and their key stays unique. */
#include <stddef.h>
#include <stdio.h>

#include "case_fixture.h"
#include "schema.h"
#include "store.h"

/* ------------------------------------------------------ statement cache */

static int64_t one_int(council *c, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;

    assert_int_equal(council__prepare(c, sql, &st), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    assert_int_equal(council__finalize(c, st), SQLITE_OK);
    return v;
}

/* The same text asked for again while held: a statement of its own, both
 * usable at once; given back, the first comes back for the next caller. */
static void test_nested_use_gets_its_own(void **state)
{
    fx *f = *state;
    sqlite3_stmt *a = NULL, *b = NULL, *again = NULL;
    const char *sql = "SELECT value FROM (SELECT 1 AS value UNION ALL SELECT 2) ORDER BY value;";

    assert_int_equal(council__prepare(f->c, sql, &a), SQLITE_OK);
    assert_int_equal(sqlite3_step(a), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(a, 0), 1);
    assert_int_equal(council__prepare(f->c, sql, &b), SQLITE_OK);
    assert_ptr_not_equal(a, b);
    assert_int_equal(sqlite3_step(b), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(b, 0), 1);
    /* a kept its place: its second row is still next. */
    assert_int_equal(sqlite3_step(a), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(a, 0), 2);
    assert_int_equal(council__finalize(f->c, b), SQLITE_OK); /* not the cached one: finalized */
    assert_int_equal(council__finalize(f->c, a), SQLITE_OK);
    assert_int_equal(council__prepare(f->c, sql, &again), SQLITE_OK);
    assert_ptr_equal(again, a);
    /* ... reset: it starts from the first row again. */
    assert_int_equal(sqlite3_step(again), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(again, 0), 1);
    assert_int_equal(council__finalize(f->c, again), SQLITE_OK);
}

/* A statement given back carries no binding into its next use. */
static void test_bindings_cleared(void **state)
{
    fx *f = *state;
    sqlite3_stmt *st = NULL;
    const char *sql = "SELECT ?1 IS NULL;";
    uint8_t blob[4] = { 1, 2, 3, 4 };

    assert_int_equal(council__prepare(f->c, sql, &st), SQLITE_OK);
    assert_int_equal(sqlite3_bind_blob(st, 1, blob, sizeof blob, SQLITE_STATIC), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    assert_int_equal(council__finalize(f->c, st), SQLITE_OK);
    assert_int_equal(one_int(f->c, sql), 1);
}

/* A failed step's code comes back from council__finalize, as
 * sqlite3_finalize gives it; the statement stays usable. */
static void test_error_code_returned(void **state)
{
    fx *f = *state;
    sqlite3_stmt *st = NULL;
    const char *sql = "INSERT INTO setting (key, value) VALUES (?1, NULL);"; /* NOT NULL */

    assert_int_equal(council__prepare(f->c, sql, &st), SQLITE_OK);
    assert_int_equal(sqlite3_bind_text(st, 1, "stmt-cache-test", -1, SQLITE_STATIC), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_CONSTRAINT);
    assert_int_equal(council__finalize(f->c, st), SQLITE_CONSTRAINT);
    assert_int_equal(one_int(f->c, "SELECT count(*) FROM setting WHERE key = 'stmt-cache-test';"), 0);
}

/* More texts than the cache holds: evicted statements are finalized, and
 * every text still runs (valgrind and ASan see no leak or reuse). */
static void test_eviction(void **state)
{
    fx *f = *state;
    char sql[64];

    for (int round = 0; round < 2; round++)
        for (int i = 0; i < COUNCIL__STMT_SLOTS + 200; i++) {
            (void)snprintf(sql, sizeof sql, "SELECT %d + 1;", i);
            assert_int_equal(one_int(f->c, sql), i + 1);
        }
    /* The library's own statements still work after the churn. */
    {
        council_buf b = { NULL, 0 };
        assert_int_equal(council_info(f->c, &b), COUNCIL_OK);
        assert_true(th_contains(b.ptr, b.len, "case test"));
        council_buf_free(&b);
    }
}

/* A statement held when the store closes (a session shut down inside a
 * call) is left to its holder: given back afterwards, it is finalized, not
 * reset on a freed cache (ASan and valgrind would see it). */
static void test_held_across_close(void **state)
{
    fx *f = *state;
    sqlite3_stmt *st = NULL;

    assert_int_equal(council__prepare(f->c, "SELECT 7;", &st), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    council__store_close(f->c);
    assert_null(f->c->stmts);
    assert_int_equal(council__finalize(f->c, st), SQLITE_OK);
    /* The closed handle prepares nothing. */
    st = (sqlite3_stmt *)1;
    assert_int_equal(council__prepare(f->c, "SELECT 7;", &st), SQLITE_MISUSE);
    assert_null(st);
    /* teardown's council_close on the closed handle is fine. */
}

/* ------------------------------------------------------ sections, rowid */

static char *table_sql(council *c, const char *name)
{
    sqlite3_stmt *st = NULL;
    char *out = NULL;

    assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT sql FROM sqlite_schema WHERE name = ?1;", -1,
                                        &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

/* A store at schema 21 (sections WITHOUT ROWID) is moved to the rowid
 * table by migration 22: every version of every section still reads, and the
 * (case, person, scope, version) key stays unique. */
static void test_sections_migrate(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16];
    council *s = staff_open(f, f->sa, &f->ka);
    char *t, *ddl;
    int rc;

    new_case(s, cid, pid);
    put(s, cid, pid, "identity", sec_identity("山田 花子", "1950-04-01"), COUNCIL_OK);
    put(s, cid, pid, "situation", sec_text("一回目"), COUNCIL_OK);
    put(s, cid, pid, "situation", sec_text("二回目"), COUNCIL_OK);
    council_close(s);

    ddl = table_sql(f->c, "section");
    assert_non_null(ddl);
    assert_null(strstr(ddl, "WITHOUT ROWID"));
    free(ddl);

    /* Back to schema 21's table, as the previous release left it. */
    assert_int_equal(sqlite3_exec(f->c->db,
        "CREATE TABLE section_old ("
        "  case_id BLOB NOT NULL, person_id BLOB NOT NULL, scope TEXT NOT NULL,"
        "  version INTEGER NOT NULL CHECK (version >= 1), key_version INTEGER NOT NULL,"
        "  written INTEGER NOT NULL, writer_member BLOB, writer_staff BLOB,"
        "  nonce BLOB NOT NULL CHECK (length(nonce) = 24), ct BLOB NOT NULL,"
        "  PRIMARY KEY (case_id, person_id, scope, version)) WITHOUT ROWID;"
        "INSERT INTO section_old SELECT case_id, person_id, scope, version, key_version, written,"
        "  writer_member, writer_staff, nonce, ct FROM section;"
        "DROP TABLE section;"
        "ALTER TABLE section_old RENAME TO section;", NULL, NULL, NULL), SQLITE_OK);
    ddl = table_sql(f->c, "section");
    assert_non_null(strstr(ddl, "WITHOUT ROWID"));
    free(ddl);
    /* Migration 22 alone, as an open of that store runs it (the later
     * migrations are already there). */
    assert_non_null(council__schema_migration(22));
    assert_int_equal(sqlite3_exec(f->c->db, council__schema_migration(22)->sql, NULL, NULL, NULL),
                     SQLITE_OK);
    council_close(f->c);

    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    ddl = table_sql(f->c, "section");
    assert_non_null(ddl);
    assert_null(strstr(ddl, "WITHOUT ROWID"));
    free(ddl);
    assert_int_equal(one_int(f->c, "SELECT count(*) FROM section;"), 3);
    assert_int_equal(one_int(f->c, "SELECT max(version) FROM schema_version;"),
                     (int64_t)council__schema_version());

    s = staff_open(f, f->sa, &f->ka);
    t = get_text(s, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "二回目");
    free(t);
    t = get_text(s, cid, pid, "identity", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "山田 花子");
    free(t);
    put(s, cid, pid, "situation", sec_text("三回目"), COUNCIL_OK);
    t = get_text(s, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "三回目");
    free(t);
    council_close(s);

    /* The key is still unique: a second row for a version is refused. */
    assert_int_equal(sqlite3_exec(f->c->db,
        "INSERT INTO section (case_id, person_id, scope, version, key_version, written, nonce, ct)"
        "  SELECT case_id, person_id, scope, version, key_version, written, nonce, ct"
        "  FROM section LIMIT 1;", NULL, NULL, NULL), SQLITE_CONSTRAINT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_nested_use_gets_its_own, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bindings_cleared, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_code_returned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eviction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_held_across_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sections_migrate, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
