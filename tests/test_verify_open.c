/* test_verify_open.c - what issue 17 took out of council_open() (the part
 * "verify": its open-time row) and what stays: a keyring that nothing
 * changed is not written again; the schema version is read without the
 * write lock but a newer or older one is still handled under it; the
 * signer's head is checked once per advance, and a head edited in the file
 * is still refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>
#include <sqlite3.h>

#include "helpers.h"
#include "council_int.h"
#include "keyring.h"
#include "store.h"
#include "council/v1/audit.pb-c.h"

typedef struct fx {
    char *root, *store, *keyring;
    council *c;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);

    assert_non_null(f);
    f->store = th_make_store(&f->root, "open test");
    f->keyring = th_path(f->store, "council.keyring");
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;

    council_close(f->c);
    th_rmrf(f->root);
    free(f->root); free(f->store); free(f->keyring);
    free(f);
    return 0;
}

static int no_change(council *c, council__keyring *kr, void *ctx)
{
    (void)c; (void)kr;
    ++*(int *)ctx;
    return COUNCIL_OK;
}

static int new_journal_pk(council *c, council__keyring *kr, void *ctx)
{
    (void)c; (void)ctx;
    kr->journal_pk[0] ^= 1;
    return COUNCIL_OK;
}

static ino_t inode_of(const char *path)
{
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    return st.st_ino;
}

/* A keyring update that changes nothing leaves the file as it is (the
 * same file: it is replaced by rename when written); one that changes
 * something writes it. */
static void test_open__unchanged_keyring_not_written(void **state)
{
    fx *f = *state;
    ino_t before = inode_of(f->keyring);
    uint8_t *a, *b;
    size_t na, nb;
    uint8_t journal_pk[32];
    int calls = 0;

    {
        council__keyring *kr = malloc(sizeof *kr);
        assert_non_null(kr);
        assert_int_equal(council__keyring_load(NULL, kr, f->store), COUNCIL_OK);
        assert_true(kr->has_journal_pk);
        memcpy(journal_pk, kr->journal_pk, 32);
        free(kr);
    }
    assert_int_equal(th_read_file(f->keyring, &a, &na), 0);
    assert_int_equal(council__keyring_update(f->c, no_change, &calls), COUNCIL_OK);
    assert_int_equal(calls, 1);
    assert_true(inode_of(f->keyring) == before);
    assert_int_equal(th_read_file(f->keyring, &b, &nb), 0);
    assert_true(na == nb && memcmp(a, b, na) == 0);
    free(b);
    assert_int_equal(council__keyring_update(f->c, new_journal_pk, NULL), COUNCIL_OK);
    assert_true(inode_of(f->keyring) != before);
    assert_int_equal(th_read_file(f->keyring, &b, &nb), 0);
    assert_false(na == nb && memcmp(a, b, na) == 0);
    free(a);
    free(b);
    /* The next open finds the journal key edited and puts it right, as
     * before: a repair is a change, and is written. */
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    {
        council__keyring *kr = malloc(2 * sizeof *kr);
        assert_non_null(kr);
        assert_int_equal(council__keyring_load(NULL, kr, f->store), COUNCIL_OK);
        assert_int_equal(th_read_file(f->keyring, &a, &na), 0);
        assert_int_equal(council__keyring_parse(NULL, kr + 1, a, na), COUNCIL_OK);
        free(a);
        assert_true(kr->has_journal_pk);
        assert_memory_equal(kr->journal_pk, journal_pk, 32);
        free(kr);
    }
}

static sqlite3_int64 scalar(council *c, const char *sql)
{
    sqlite3_stmt *st;
    sqlite3_int64 v;

    assert_int_equal(sqlite3_prepare_v2(c->db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The version read without the lock decides nothing but "nothing to do":
 * at the latest version nothing runs; a store ahead is refused, as before
 * (a store behind is migrated under the lock: test_store's old store). */
static void test_open__schema_version_checks_stay(void **state)
{
    fx *f = *state;
    const uint32_t latest = council__schema_version();

    /* at the latest: nothing runs, nothing is recorded again */
    assert_int_equal(scalar(f->c, "SELECT count(*) FROM schema_version;"), (sqlite3_int64)latest);
    assert_int_equal(council__store_migrate_all(f->c), COUNCIL_OK);
    assert_int_equal(scalar(f->c, "SELECT count(*) FROM schema_version;"), (sqlite3_int64)latest);
    /* a newer store refused, naming its version */
    assert_int_equal(sqlite3_exec(f->c->db, "INSERT INTO schema_version VALUES (4000, 0);", NULL,
                                  NULL, NULL), SQLITE_OK);
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_EUNSUPPORTED);
    assert_non_null(strstr(council_errmsg(f->c), "4000"));
}

/* The signer's head in council.keyring, its signature's last byte changed
 * by an insider: the next open finds it (the check made once per advance
 * is the full one) and puts the finding on the record. */
static void test_open__edited_head_still_refused(void **state)
{
    fx *f = *state;
    council__keyring *kr = malloc(sizeof *kr);
    council_buf bytes = { NULL, 0 };

    assert_non_null(kr);
    council_close(f->c);
    f->c = NULL;
    assert_int_equal(council__keyring_load(NULL, kr, f->store), COUNCIL_OK);
    assert_true(kr->log_head_len > 64);
    kr->log_head[kr->log_head_len - 1] ^= 0x01;
    assert_int_equal(council__keyring_serialize(NULL, &bytes, kr), COUNCIL_OK);
    remove(f->keyring);
    assert_int_equal(th_write_file(f->keyring, bytes.ptr, bytes.len), 0);
    council_buf_free(&bytes);
    free(kr);
    /* The session goes on (the secretariat must be able to act); the
     * finding is on the record, and no checkpoint is signed. */
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    {
        council_buf note = { NULL, 0 };
        assert_int_equal(council_audit_checkpoint(f->c, &note), COUNCIL_ETAMPER);
        council_buf_free(&note);
    }
    assert_int_equal(th_last_action(f->c), COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_TAMPER_DETECTED);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_open__unchanged_keyring_not_written),
        T(test_open__schema_version_checks_stay),
        T(test_open__edited_head_still_refused),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
