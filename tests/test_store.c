/* test_store.c - the SQLCipher database: cipher, key probe, migrations. */
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "helpers.h"
#include "council_int.h"
#include "log.h"
#include "store.h"
#include "file.h"

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
        "DROP TABLE root_use; DROP TABLE consent_grant;"
        "DROP TABLE task; DROP TABLE case_assign; DROP TABLE memo_wrap; DROP TABLE memo;"
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
    assert_int_equal(query_int(c->db, "SELECT max(version) FROM schema_version;"), council__schema_version());
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

/* ------------------------------------------------------------ concurrency */

#define PROCS 4
#define CALLS 10

/* One process's share: CALLS times open, one write, close. Returns how
 * many calls failed (printing why). */
static int open_write_close(const char *store, int who)
{
    int failed = 0;

    for (int i = 0; i < CALLS; i++) {
        council_member_options mo = COUNCIL_MEMBER_OPTIONS_INIT;
        uint8_t id[16];
        council *c = NULL;
        int rc = th_open(&c, store, TH_PASS);

        mo.name = "concurrent";
        mo.kind = 5;
        if (rc == COUNCIL_OK)
            rc = council_member_add(c, id, sizeof id, &mo);
        if (rc != COUNCIL_OK) {
            fprintf(stderr, "process %d call %d: %s (%d)\n", who, i, council_errmsg(c), rc);
            failed++;
        }
        council_close(c);
    }
    return failed;
}

/* Several processes open the same store and write at once, while another
 * session holds council.db exclusively for a moment: every call waits for
 * the lock (bounded by the busy timeout) instead of failing with "database
 * is locked". */
static void test_store__concurrent_opens_wait_for_locks(void **state)
{
    fx *f = *state;
    pid_t pids[PROCS];
    council *holder;
    int go[2], failed = 0;

    /* The processes start before this one opens anything (an SQLite
     * connection must not cross fork), and wait for the word. */
    assert_int_equal(pipe(go), 0);
    for (int p = 0; p < PROCS; p++) {
        pids[p] = fork();
        assert_true(pids[p] >= 0);
        if (pids[p] == 0) {
            char ch;
            (void)close(go[1]);
            if (read(go[0], &ch, 1) != 1)
                _exit(2);
            _exit(open_write_close(f->store, p) == 0 ? 0 : 1);
        }
    }
    (void)close(go[0]);
    assert_int_equal(th_open(&holder, f->store, TH_PASS), COUNCIL_OK);
    /* Exclusive locking mode keeps the file lock after this write, which
     * blocks every other connection's first read until the handle closes. */
    assert_int_equal(sqlite3_exec(holder->db, "PRAGMA locking_mode = EXCLUSIVE;"
                                  "BEGIN IMMEDIATE; INSERT OR REPLACE INTO setting VALUES "
                                  "('test.lock', x'01'); COMMIT;", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(write(go[1], "gogo", PROCS), PROCS);
    (void)close(go[1]);
    {
        const struct timespec hold = { 1, 0 };
        (void)nanosleep(&hold, NULL);
    }
    council_close(holder);
    for (int p = 0; p < PROCS; p++) {
        int status = 0;
        assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed++;
    }
    assert_int_equal(failed, 0);
    /* Every write is there. */
    {
        council *c;
        council_buf buf = { NULL, 0 };
        size_t n = 0;
        assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_OK);
        assert_int_equal(council_member_list(c, &buf), COUNCIL_OK);
        for (size_t i = 0; i + 10 <= buf.len; i++)
            if (memcmp(buf.ptr + i, "concurrent", 10) == 0)
                n++;
        assert_int_equal(n, PROCS * CALLS);
        council_buf_free(&buf);
        council_close(c);
    }
}

/* The busy timeout is in force from the first read on. */
static void test_store__busy_timeout_set_before_probe(void **state)
{
    fx *f = *state;
    council *c;

    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(query_int(c->db, "PRAGMA busy_timeout;"), COUNCIL__BUSY_TIMEOUT_MS);
    council_close(c);
}

/* ------------------------------------------------------------ re-key race */

/* Another session re-keys council.db: a handle that opened before gets
 * told so (COUNCIL_EIO), not "file is not a database"; and an open that
 * read the keyring before the re-key and probes after it is told so too,
 * not "wrong key". */
static void test_store__rekeyed_by_another_session(void **state)
{
    fx *f = *state;
    council_member_options mo = COUNCIL_MEMBER_OPTIONS_INIT;
    council *a, *b;
    uint8_t id[16];
    uint32_t old;
    int rc;

    mo.name = "after the re-key";
    mo.kind = 5;
    assert_int_equal(th_open(&a, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(th_open(&b, f->store, TH_PASS), COUNCIL_OK);
    old = a->db_key_version;
    assert_int_equal(council_rekey_database(b), COUNCIL_OK);
    assert_int_equal(b->db_key_version, old + 1);

    rc = council_member_add(a, id, sizeof id, &mo);
    assert_int_equal(rc, COUNCIL_EIO);
    assert_non_null(strstr(council_errmsg(a), "re-keyed by another session: open it again"));
    assert_null(strstr(council_errmsg(a), "not a database"));

    /* An open that read the keyring before the re-key: it keys council.db
     * with the old version, and the probe fails. */
    council__store_close(a);
    rc = council__store_open(a, f->store, &a->root, old, false);
    assert_int_equal(rc, COUNCIL_EIO);
    assert_string_equal(council_errmsg(a),
                        "open: the database was re-keyed by another session: open it again");
    council_close(a);

    council_close(b);

    /* A fresh open is fine. */
    assert_int_equal(th_open(&a, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(council_member_add(a, id, sizeof id, &mo), COUNCIL_OK);
    council_close(a);
}

/* -------------------------------------------------------------- full disk */

/* A VFS over the default one that behaves as a full disk on demand: writes
 * fail with SQLITE_FULL, and the shared-memory index cannot be mapped
 * (SQLITE_IOERR_SHMSIZE, errno ENOSPC), as SQLite's unix VFS reports them. */
typedef struct full_file {
    sqlite3_file base;
    sqlite3_file *real;
} full_file;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs full_vfs;
static int disk_full; /* 1: writes fail; 2: the shm index cannot be mapped, too */

#define REAL(f) (((full_file *)(f))->real)

static int ff_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int ff_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{ return REAL(f)->pMethods->xRead(REAL(f), b, n, o); }
static int ff_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{ return disk_full ? SQLITE_FULL : REAL(f)->pMethods->xWrite(REAL(f), b, n, o); }
static int ff_truncate(sqlite3_file *f, sqlite3_int64 n)
{ return REAL(f)->pMethods->xTruncate(REAL(f), n); }
static int ff_sync(sqlite3_file *f, int fl) { return REAL(f)->pMethods->xSync(REAL(f), fl); }
static int ff_size(sqlite3_file *f, sqlite3_int64 *n)
{ return REAL(f)->pMethods->xFileSize(REAL(f), n); }
static int ff_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int ff_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int ff_reserved(sqlite3_file *f, int *r)
{ return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r); }
static int ff_control(sqlite3_file *f, int op, void *a)
{ return REAL(f)->pMethods->xFileControl(REAL(f), op, a); }
static int ff_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int ff_device(sqlite3_file *f)
{ return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int ff_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **p)
{
    if (disk_full == 2) {
        *p = NULL;
        return SQLITE_IOERR_SHMSIZE;
    }
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, p);
}
static int ff_shm_lock(sqlite3_file *f, int o, int n, int fl)
{ return REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl); }
static void ff_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int ff_shm_unmap(sqlite3_file *f, int del)
{ return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }
static int ff_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **p)
{ *p = NULL; (void)f; (void)o; (void)n; return SQLITE_OK; }
static int ff_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p)
{ (void)f; (void)o; (void)p; return SQLITE_OK; }

static const sqlite3_io_methods full_io = {
    3, ff_close, ff_read, ff_write, ff_truncate, ff_sync, ff_size, ff_lock, ff_unlock,
    ff_reserved, ff_control, ff_sector, ff_device, ff_shm_map, ff_shm_lock, ff_shm_barrier,
    ff_shm_unmap, ff_fetch, ff_unfetch
};

static int ff_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
    full_file *ff = (full_file *)f;
    int rc;

    (void)v;
    ff->real = (sqlite3_file *)(ff + 1);
    ff->real->pMethods = NULL;
    rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out);
    ff->base.pMethods = ff->real->pMethods != NULL ? &full_io : NULL;
    return rc;
}

static int ff_last_error(sqlite3_vfs *v, int n, char *buf)
{
    (void)v;
    return disk_full ? ENOSPC : real_vfs->xGetLastError(real_vfs, n, buf);
}

static void full_vfs_install(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    assert_non_null(real_vfs);
    full_vfs = *real_vfs;
    full_vfs.zName = "council-test-full";
    full_vfs.szOsFile = (int)sizeof(full_file) + real_vfs->szOsFile;
    full_vfs.xOpen = ff_open;
    full_vfs.xGetLastError = ff_last_error;
    assert_int_equal(sqlite3_vfs_register(&full_vfs, 1), SQLITE_OK);
}

static void full_vfs_remove(void)
{
    disk_full = 0;
    assert_int_equal(sqlite3_vfs_unregister(&full_vfs), SQLITE_OK);
    assert_int_equal(sqlite3_vfs_register(real_vfs, 1), SQLITE_OK);
}

/* A full disk is said plainly, as COUNCIL_EIO: on a write in a session,
 * on the open's first write, and on the open's first read. */
static void test_store__disk_full_is_said(void **state)
{
    fx *f = *state;
    council_member_options mo = COUNCIL_MEMBER_OPTIONS_INIT;
    council *c;
    uint8_t id[16];

    mo.name = "no room";
    mo.kind = 5;
    full_vfs_install();
    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_OK);
    disk_full = 1;
    assert_int_equal(council_member_add(c, id, sizeof id, &mo), COUNCIL_EIO);
    assert_non_null(strstr(council_errmsg(c), "the disk is full"));
    disk_full = 0;
    council_close(c);

    /* Writes fail: the open's "session opened" event cannot be made. */
    disk_full = 1;
    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_EIO);
    assert_non_null(strstr(council_errmsg(c), "the disk is full"));
    council_close(c);

    /* Not even the write-ahead log's index can grow: the first read. */
    disk_full = 2;
    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_EIO);
    assert_string_equal(council_errmsg(c), "store: the disk is full (no space left for "
                        "council.db or its write-ahead log): free some space and try again");
    council_close(c);

    /* Space again: all is well. */
    disk_full = 0;
    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(council_member_add(c, id, sizeof id, &mo), COUNCIL_OK);
    council_close(c);
    full_vfs_remove();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store__sqlcipher4_wal_4096, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__busy_timeout_set_before_probe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__concurrent_opens_wait_for_locks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__rekeyed_by_another_session, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store__disk_full_is_said, setup, teardown),
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
