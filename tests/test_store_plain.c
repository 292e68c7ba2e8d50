/*
 * test_store_plain.c - the library linked against plain SQLite (not
 * SQLCipher) must refuse to create a store rather than write clear text.
 *
 * This binary links libcouncil.a with -lsqlite3 instead of -lsqlcipher.
 * Plain SQLite has no sqlite3_key(); the stub below stands in for it and
 * fails the test if the library ever gets as far as keying.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "helpers.h"

int sqlite3_key(sqlite3 *db, const void *key, int n);
int sqlite3_key(sqlite3 *db, const void *key, int n)
{
    (void)db;
    (void)key;
    (void)n;
    fail_msg("the library keyed a plain SQLite database");
    return SQLITE_ERROR;
}

int sqlite3_rekey(sqlite3 *db, const void *key, int n);
int sqlite3_rekey(sqlite3 *db, const void *key, int n)
{
    (void)db;
    (void)key;
    (void)n;
    fail_msg("the library re-keyed a plain SQLite database");
    return 1;
}

static void test_store_plain__refused(void **state)
{
    char *root = th_tmpdir(), *store = th_path(root, "store");
    council_create_options co = th_create_opts("A", TH_PASS);
    council *c = NULL;
    (void)state;

    assert_int_equal(council_create(&c, store, &co), COUNCIL_EUNSUPPORTED);
    assert_non_null(strstr(council_errmsg(c), "not SQLCipher"));
    council_close(c);
    assert_false(th_exists(store)); /* nothing written */
    th_rmrf(root);
    free(store);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_plain__refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
