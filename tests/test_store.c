/* test_store.c - the SQLCipher database: cipher, key probe, migrations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "helpers.h"
#include "council_int.h"

#define NAME "秘密の協議会名 Secret Council Name"

typedef struct fx {
    char *root, *store, *db_path;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);

    assert_non_null(f);
    f->store = th_make_store(&f->root, NAME);
    f->db_path = th_path(f->store, "council.db");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;

    th_rmrf(f->root);
    free(f->root); free(f->store); free(f->db_path);
    free(f);
    return 0;
}

static char *pragma_text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    char *out = NULL;

    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

static long long query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long long v;

    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void test_store__sqlcipher4_wal_4096(void **state)
{
    fx *f = *state;
    council *c;
    char *v;

    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_OK);
    v = pragma_text(c->db, "PRAGMA cipher_version;");
    assert_non_null(v);
    assert_memory_equal(v, "4.", 2);
    free(v);
    v = pragma_text(c->db, "PRAGMA journal_mode;");
    assert_string_equal(v, "wal");
    free(v);
    assert_int_equal(query_int(c->db, "PRAGMA cipher_page_size;"), 4096);
    assert_int_equal(query_int(c->db, "PRAGMA synchronous;"), 2); /* FULL */
    assert_int_equal(query_int(c->db, "PRAGMA secure_delete;"), 1);
    assert_int_equal(query_int(c->db, "PRAGMA foreign_keys;"), 1);
    council_close(c);
}

/* Without the key, SQLCipher (as the sqlcipher shell would) sees no database. */
static void test_store__unreadable_without_key(void **state)
{
    fx *f = *state;
    sqlite3 *db;
    int rc;

    assert_int_equal(sqlite3_open_v2(f->db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    (void)sqlite3_exec(db, "PRAGMA cipher_log_level = NONE;", NULL, NULL, NULL);
    rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema;", NULL, NULL, NULL);
    assert_int_equal(rc, SQLITE_NOTADB);
    sqlite3_close(db);

    /* A passphrase given as a SQLCipher passphrase (not our derived raw key)
     * does not open it either. */
    assert_int_equal(sqlite3_open_v2(f->db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_key(db, TH_PASS, (int)strlen(TH_PASS)), SQLITE_OK);
    rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema;", NULL, NULL, NULL);
    assert_int_equal(rc, SQLITE_NOTADB);
    sqlite3_close(db);
}

/* The council name must not appear in clear in any file of the store. */
static void test_store__no_plaintext_on_disk(void **state)
{
    fx *f = *state;
    const char *files[] = { "council.db", "council.db-wal", "council.db-shm", "council.keyring" };
    council *c;

    /* While open (WAL and SHM exist), and after close. */
    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_OK);
    for (int pass = 0; pass < 2; pass++) {
        int seen = 0;
        for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
            char *p = th_path(f->store, files[i]);
            uint8_t *b;
            size_t n;
            if (th_read_file(p, &b, &n) == 0) {
                seen++;
                assert_false(th_contains(b, n, "Secret Council Name"));
                assert_false(th_contains(b, n, "秘密"));
                assert_false(th_contains(b, n, "CREATE TABLE"));
                free(b);
            }
            free(p);
        }
        assert_true(seen >= 2);
        if (pass == 0)
            council_close(c);
    }
}

static void test_store__replaced_database_is_eauth(void **state)
{
    fx *f = *state;
    uint8_t *b;
    size_t n;
    council *c;

    /* Same salt (first 16 bytes), the rest noise: the key probe fails. */
    assert_int_equal(th_read_file(f->db_path, &b, &n), 0);
    assert_true(n >= 4096);
    randombytes_buf(b + 16, n - 16);
    assert_int_equal(th_write_file(f->db_path, b, n), 0);
    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_EAUTH);
    assert_non_null(strstr(council_errmsg(c), "database key"));
    council_close(c);
    free(b);
}

static void test_store__truncated_database(void **state)
{
    fx *f = *state;
    uint8_t *b;
    size_t n;
    council *c;

    assert_int_equal(th_read_file(f->db_path, &b, &n), 0);
    assert_int_equal(th_write_file(f->db_path, b, 10), 0);
    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_EFORMAT);
    council_close(c);
    assert_int_equal(th_write_file(f->db_path, b, 0), 0);
    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_EFORMAT);
    council_close(c);
    /* Cut in the middle of the first page: its HMAC fails, as for a wrong key. */
    assert_int_equal(th_write_file(f->db_path, b, 2000), 0);
    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_EAUTH);
    council_close(c);
    free(b);
}

/* A store written at schema 1 is brought to the current schema at open.
 * The old store is made by taking a new one back to schema 1: its later
 * tables and their version rows are removed. */
static void test_store__migrates_older_schema(void **state)
{
    char *root, *store = th_make_store(&root, "old council");
    council_buf buf = { NULL, 0 };
    council *c;
    uint32_t v;
    uint64_t events;
    (void)state;

    assert_int_equal(th_open(&c, store, TH_PASS), COUNCIL_OK);
    assert_int_equal(sqlite3_exec(c->db,
        "DROP TABLE meeting_item; DROP TABLE meeting_attendee; DROP TABLE meeting;"
        "DROP TABLE consent_withdrawal; DROP TABLE consent;"
        "DROP TABLE member_secret; DROP TABLE member_key_sig; DROP TABLE secret; DROP TABLE blind_index;"
        "DROP TABLE case_share; DROP TABLE section; DROP TABLE key_wrap; DROP TABLE case_key;"
        "DROP TABLE person; DROP TABLE case_record; DROP TABLE scope;"
        "DROP TABLE setting; DROP TABLE audit_event; DROP TABLE audit_node;"
        "DROP TABLE audit_checkpoint; DROP TABLE pledge; DROP TABLE staff; DROP TABLE member;"
        "DELETE FROM schema_version WHERE version > 1;",
        NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(council__store_version(c, &v), COUNCIL_OK);
    assert_int_equal(v, 1);
    /* A schema-1 store's keyring kept no log head either. */
    assert_int_equal(th_keyring_drop_head(c), COUNCIL_OK);
    council_close(c);

    assert_true(council__schema_version() >= 4);
    assert_int_equal(th_open(&c, store, TH_PASS), COUNCIL_OK);
    assert_int_equal(council__store_version(c, &v), COUNCIL_OK);
    assert_int_equal(v, council__schema_version());
    assert_int_equal(query_int(c->db, "SELECT count(*) FROM sqlite_schema WHERE name = 'setting';"), 1);
    assert_int_equal(query_int(c->db, "SELECT count(*) FROM schema_version;"), council__schema_version());
    /* The new audit log holds this session's opening. */
    assert_int_equal(council__audit_size(c, &events), COUNCIL_OK);
    assert_int_equal(events, 1);
    /* The data written under schema 1 is still there. */
    assert_int_equal(council_info(c, &buf), COUNCIL_OK);
    assert_true(th_contains(buf.ptr, buf.len, "old council"));
    council_buf_free(&buf);
    council_close(c);
    th_rmrf(root);
    free(store);
    free(root);
}

/* A failing migration leaves the store exactly as it was. */
static void test_store__failed_migration_rolls_back(void **state)
{
    fx *f = *state;
    const uint32_t cur = council__schema_version();
    council__migration list[16];
    council *c;
    uint32_t v;
    size_t n = 0;

    assert_true(cur + 2 <= 16);
    for (uint32_t i = 1; i <= cur; i++, n++) {
        list[n].version = i;
        list[n].sql = "SELECT 1;"; /* already applied; never run again */
    }
    list[n].version = cur + 1;
    list[n++].sql = "CREATE TABLE added_by_test (x INTEGER);";
    list[n].version = cur + 2;
    list[n++].sql = "CREATE TABLE broken (;";

    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(council__store_migrate(c, list, n, 0), COUNCIL_EIO);
    assert_non_null(strstr(council_errmsg(c), "migration"));
    assert_int_equal(council__store_version(c, &v), COUNCIL_OK);
    assert_int_equal(v, cur);
    assert_int_equal(query_int(c->db, "SELECT count(*) FROM sqlite_schema WHERE name = 'added_by_test';"), 0);

    /* Out of order lists are refused before anything runs. */
    list[0].version = 2;
    assert_int_equal(council__store_migrate(c, list, n, 0), COUNCIL_ERROR);
    council_close(c);
    /* And the store still opens. */
    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_OK);
    council_close(c);
}

static void test_store__newer_schema_refused(void **state)
{
    fx *f = *state;
    council *c;

    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(sqlite3_exec(c->db, "INSERT INTO schema_version VALUES (999, 0);",
                                  NULL, NULL, NULL), SQLITE_OK);
    council_close(c);
    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_EUNSUPPORTED);
    assert_non_null(strstr(council_errmsg(c), "999"));
    council_close(c);
}

static void test_store__council_record_checked(void **state)
{
    fx *f = *state;
    council *c;

    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(sqlite3_exec(c->db, "UPDATE council SET id = randomblob(16);",
                                  NULL, NULL, NULL), SQLITE_OK);
    council_close(c);
    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_EFORMAT);
    assert_non_null(strstr(council_errmsg(c), "another council"));
    council_close(c);
}

static void test_store__missing_council_record(void **state)
{
    fx *f = *state;
    council *c;

    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(sqlite3_exec(c->db, "DELETE FROM council;", NULL, NULL, NULL), SQLITE_OK);
    council_close(c);
    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_EFORMAT);
    assert_non_null(strstr(council_errmsg(c), "no council record"));
    council_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store__sqlcipher4_wal_4096, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__unreadable_without_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__no_plaintext_on_disk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__replaced_database_is_eauth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__truncated_database, setup, teardown),
        cmocka_unit_test(test_store__migrates_older_schema),
        cmocka_unit_test_setup_teardown(test_store__failed_migration_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__newer_schema_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__council_record_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__missing_council_record, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
