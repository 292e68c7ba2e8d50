/*
 * sweep_faults.c - faults on purpose (issue 18): every public operation that
 * writes or returns content, run with a failure injected at its 1st, 2nd,
 * 3rd, ... point of each kind until it succeeds.
 *
 * Kinds (see `kinds` below):
 *   alloc   libcouncil's allocations (council__malloc, council__calloc, the
 *           locked secrets, and protobuf-c's through the library allocators),
 *           through the library's own test hook council__fault_alloc_after;
 *   sqlmem  SQLite's (and SQLCipher's) allocations, through
 *           sqlite3_config(SQLITE_CONFIG_MALLOC) set before SQLite starts;
 *   step    sqlite3_step returning SQLITE_IOERR;
 *   exec    sqlite3_exec returning SQLITE_FULL (BEGIN, COMMIT, SAVEPOINT,
 *           RELEASE, migrations; a ROLLBACK is never failed);
 *   write   write(2) -1/ENOSPC, fwrite short, fflush EOF/ENOSPC;
 *   fsync   fsync(2) -1/EIO;
 *   rename  rename(2) and link(2) -1/EIO;
 *   audit   the audit append itself (council__audit_fault_after).
 * step .. rename are reached by the linker's --wrap (see the Makefile): the
 * library's calls to SQLite and libc go through __wrap_*. SQLite's own file
 * I/O (its pager's writes and syncs, inside libsqlcipher) is not reached by
 * the wrap; a failed step or COMMIT stands for it.
 *
 * After each failure: the operation returned an error and a message, no
 * output buffer, the store still opens with the passphrase, its exported log
 * verifies with the log key, and no table changed (only the audit tables may,
 * and only for an operation that returns content, when its event was
 * committed and the content then not returned). After the success that ends
 * the sweep: the rows added are those of one clean success.
 *
 * Key management that logs first is compared as the next root open leaves
 * it (op.logs_first); past SWEEP_EVERY points a sweep samples (next_point).
 *
 * Not a cmocka test (valgrind would take too long over it): `make sweep`
 * (two shards at once), run by `make asan` (ASan, LSan, UBSan over every
 * failure path; CI) and by `make test` with SWEEP_IN_CHECK=1. Prints a line
 * per operation; `sweep_faults [--shard I/N] [OP]`.
 */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council.h"
#include "council_int.h"
#include "log.h"
#include "keyring.h"
#include "council/v1/audit.pb-c.h"
#include "council/v1/info.pb-c.h"
#include "council/v1/member.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/consent.pb-c.h"
#include "council/v1/meeting.pb-c.h"
#include "sweep.h"

/* The cap of each sweep: an operation still failing at this point is a
 * bug. Every point is tried up to SWEEP_EVERY; past it, one point in about
 * 1/64 of the way so far (a report walking the whole log has thousands of
 * steps and allocations; SWEEP_ALL=1 tries every one). */
#define SWEEP_CAP 200000L
#define SWEEP_EVERY 256L


/* ------------------------------------------------------------ the hooks */

enum { K_ALLOC, K_SQLMEM, K_STEP, K_EXEC, K_WRITE, K_FSYNC, K_RENAME, K_AUDIT, K_N };
static const char *const kinds[K_N] = { "alloc", "sqlmem", "step", "exec",
                                        "write", "fsync", "rename", "audit" };

/* Per kind: -1 off, else the calls to let through before failing one. */
static long countdown[K_N] = { -1, -1, -1, -1, -1, -1, -1, -1 };
static long fired[K_N];

static int hit(int k)
{
    if (countdown[k] < 0)
        return 0;
    if (countdown[k] == 0) {
        countdown[k] = -1; /* one failure per run */
        fired[k]++;
        return 1;
    }
    countdown[k]--;
    return 0;
}

static void arm(int k, long n)
{
    memset(fired, 0, sizeof fired);
    if (k == K_ALLOC)
        council__fault_alloc_after(n);
    else if (k == K_AUDIT)
        council__audit_fault_after(n);
    else
        countdown[k] = n;
}

/* Did the armed fault fire? (The library's two hooks do not say; their
 * countdown reaching its end is read from a run that did not finish.) */
static void disarm(void)
{
    council__fault_alloc_after(-1);
    council__audit_fault_after(-1);
    for (int k = 0; k < K_N; k++)
        countdown[k] = -1;
}

int __real_sqlite3_step(sqlite3_stmt *st);
int __wrap_sqlite3_step(sqlite3_stmt *st);
int __wrap_sqlite3_step(sqlite3_stmt *st)
{
    if (hit(K_STEP))
        return SQLITE_IOERR;
    return __real_sqlite3_step(st);
}

int __real_sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **),
                        void *arg, char **err);
int __wrap_sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **),
                        void *arg, char **err);
int __wrap_sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **),
                        void *arg, char **err)
{
    if (strstr(sql, "ROLLBACK") == NULL && hit(K_EXEC))
        return SQLITE_FULL;
    return __real_sqlite3_exec(db, sql, cb, arg, err);
}

ssize_t __real_write(int fd, const void *p, size_t n);
ssize_t __wrap_write(int fd, const void *p, size_t n);
ssize_t __wrap_write(int fd, const void *p, size_t n)
{
    if (hit(K_WRITE)) {
        errno = ENOSPC;
        return -1;
    }
    return __real_write(fd, p, n);
}

size_t __real_fwrite(const void *p, size_t size, size_t n, FILE *f);
size_t __wrap_fwrite(const void *p, size_t size, size_t n, FILE *f);
size_t __wrap_fwrite(const void *p, size_t size, size_t n, FILE *f)
{
    if (hit(K_WRITE)) {
        errno = ENOSPC;
        return 0;
    }
    return __real_fwrite(p, size, n, f);
}

int __real_fflush(FILE *f);
int __wrap_fflush(FILE *f);
int __wrap_fflush(FILE *f)
{
    if (f != NULL && f != stdout && f != stderr && hit(K_WRITE)) {
        errno = ENOSPC;
        return EOF;
    }
    return __real_fflush(f);
}

int __real_fsync(int fd);
int __wrap_fsync(int fd);
int __wrap_fsync(int fd)
{
    if (hit(K_FSYNC)) {
        errno = EIO;
        return -1;
    }
    return __real_fsync(fd);
}

int __real_rename(const char *a, const char *b);
int __wrap_rename(const char *a, const char *b);
int __wrap_rename(const char *a, const char *b)
{
    if (hit(K_RENAME)) {
        errno = EIO;
        return -1;
    }
    return __real_rename(a, b);
}

int __real_link(const char *a, const char *b);
int __wrap_link(const char *a, const char *b);
int __wrap_link(const char *a, const char *b)
{
    if (hit(K_RENAME)) {
        errno = EIO;
        return -1;
    }
    return __real_link(a, b);
}

/* SQLite's allocator, wrapped. SQLCipher's own allocations (its codec's,
 * through sqlcipher_malloc) are let through and the next one failed
 * instead: SQLCipher 4.6.1 double-frees on close after one of them fails
 * (found by this sweep: council_create, SQLite allocation 272) - its bug,
 * not libcouncil's, and nothing libcouncil can avoid. */
static sqlite3_mem_methods real_mem;
static uintptr_t sqlcipher_malloc_at;

static bool from_sqlcipher(void)
{
    void *frames[8];
    int n = backtrace(frames, 8);

    for (int i = 0; i < n; i++) {
        uintptr_t a = (uintptr_t)frames[i];
        if (sqlcipher_malloc_at != 0 && a > sqlcipher_malloc_at && a < sqlcipher_malloc_at + 256)
            return true;
    }
    return false;
}

static int sql_hit(void)
{
    if (countdown[K_SQLMEM] == 0 && from_sqlcipher())
        return 0;
    return hit(K_SQLMEM);
}

static void *mem_malloc(int n)
{
    return sql_hit() ? NULL : real_mem.xMalloc(n);
}

static void *mem_realloc(void *p, int n)
{
    return sql_hit() ? NULL : real_mem.xRealloc(p, n);
}

static void install_sqlite_malloc(void)
{
    sqlite3_mem_methods m;

    void *f = dlsym(RTLD_DEFAULT, "sqlcipher_malloc");

    sqlcipher_malloc_at = (uintptr_t)f;
    if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem) != SQLITE_OK)
        abort();
    m = real_mem;
    m.xMalloc = mem_malloc;
    m.xRealloc = mem_realloc;
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK) {
        fprintf(stderr, "sweep: SQLite is already initialised\n");
        exit(1);
    }
}

/* ------------------------------------------------------------- failures */

static int failures;
static bool verbose; /* SWEEP_VERBOSE=1: a line per run */
/* SWEEP_SQLMEM=1: SQLite's allocations too (thousands of points an
 * operation: minutes, so not in make test or make asan) */
static bool with_sqlmem;
static const char *cur_op = "", *cur_kind = "";
static long cur_n;

#define CHECK(cond, ...)                                                                    \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "sweep: FAIL %s, %s fault %ld: ", cur_op, cur_kind, cur_n);      \
            fprintf(stderr, __VA_ARGS__);                                                   \
            fprintf(stderr, " (%s:%d)\n", __FILE__, __LINE__);                              \
            failures++;                                                                     \
        }                                                                                   \
    } while (0)


void sweep_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "sweep: FAIL %s, %s fault %ld: ", cur_op, cur_kind, cur_n);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (%s:%d)\n", file, line);
    failures++;
}

/* ---------------------------------------------------------------- world */


const char *const all_scopes[] = { "identity", "situation", "wishes", "support_plan",
                                          "support_record", "health", "finances", "family",
                                          "child", "justice" };
const char *const b_scopes[] = { "situation", "wishes", "support_plan" };
const char pledge[] = "秘密を漏らしません。";

council_buf section_text(const char *text)
{
    Council__V1__Section s = COUNCIL__V1__SECTION__INIT;
    council_buf b;

    s.text = (char *)(uintptr_t)text;
    b.len = council__v1__section__get_packed_size(&s);
    b.ptr = malloc(b.len);
    if (b.ptr == NULL)
        abort();
    council__v1__section__pack(&s, b.ptr);
    return b;
}

int open_root(council **out, const char *store)
{
    council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;

    o.passphrase = (const uint8_t *)PASS;
    o.passphrase_len = strlen(PASS);
    return council_open(out, store, &o);
}

int open_staff(council **out, world *w, const uint8_t staff[16], const council_buf *kf)
{
    council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;

    o.passphrase = (const uint8_t *)MPASS;
    o.passphrase_len = strlen(MPASS);
    o.staff_id = staff;
    o.staff_id_len = 16;
    o.keyfile = kf->ptr;
    o.keyfile_len = kf->len;
    return council_open(out, w->store, &o);
}

void add_member(world *w, uint8_t id[16], const char *name, const char *const *scopes,
                       size_t n, council_buf *kf)
{
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;

    o.name = name;
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_NPO;
    o.scopes = scopes;
    o.n_scopes = n;
    MUST(council_member_add(w->c, id, 16, &o));
    if (kf != NULL)
        MUST(council_member_keygen(w->c, kf, id, 16, (const uint8_t *)MPASS, strlen(MPASS), OPS,
                                   MEM));
}

void add_staff(world *w, uint8_t id[16], const uint8_t m[16])
{
    MUST(council_staff_add(w->c, id, 16, m, 16, "相談員", NULL));
    MUST(council_staff_pledge(w->c, id, 16, 0, "v1", (const uint8_t *)pledge, strlen(pledge),
                              NULL));
}

void write_section(council *s, const uint8_t cid[16], const uint8_t pid[16],
                          const char *scope, const char *text)
{
    council_buf b = section_text(text);
    uint32_t v = 0;

    MUST(council_section_write(s, &v, cid, 16, pid, 16, scope, b.ptr, b.len));
    free(b.ptr);
}

int share_to(council *s, const uint8_t cid[16], const uint8_t m[16], const char *scope)
{
    council_share_options o = COUNCIL_SHARE_OPTIONS_INIT;
    const char *sc[1] = { scope };

    o.scopes = sc;
    o.n_scopes = 1;
    o.purpose = "support_coordination";
    o.basis = "appi_27_1_4_public_duty";
    o.reason = "要保護の判断のため";
    return council_case_share(s, cid, 16, m, 16, &o);
}

/* The world's handles opened afresh. During a sweep a handle that no
 * longer opens is a finding (say, a member's copy of the database key lost
 * by an operation that then reported success), not a setup failure: the
 * first that fails is named in *what and its code returned. */
static int try_reopen_all(world *w, const char **what)
{
    int rc;

    council_close(w->sa);
    council_close(w->sb);
    council_close(w->c);
    council_close(w->insp);
    w->sa = w->sb = w->c = w->insp = NULL;
    if ((rc = open_root(&w->c, w->store)) != COUNCIL_OK)
        *what = "the root session";
    else if ((rc = open_root(&w->insp, w->store)) != COUNCIL_OK)
        *what = "a second root session";
    else if ((rc = open_staff(&w->sa, w, w->sta, &w->ka)) != COUNCIL_OK)
        *what = "member A's staff (NPO A)";
    else if ((rc = open_staff(&w->sb, w, w->stb, &w->kb)) != COUNCIL_OK)
        *what = "member B's staff (NPO B)";
    return rc;
}

void reopen_all(world *w)
{
    const char *what = "";
    int rc = try_reopen_all(w, &what);

    if (rc != COUNCIL_OK) {
        fprintf(stderr, "sweep: setup failed: %s does not open: %d\n", what, rc);
        exit(1);
    }
}

static void world_make(world *w)
{
    const char *tmp = getenv("TMPDIR");
    council_create_options co = COUNCIL_CREATE_OPTIONS_INIT;
    council_meeting_options mo = COUNCIL_MEETING_OPTIONS_INIT;
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    council_case_options cao = COUNCIL_CASE_OPTIONS_INIT;
    static const char *const sit[] = { "situation" };

    memset(w, 0, sizeof *w);
    snprintf(w->root, sizeof w->root, "%s/sweep.XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
    if (mkdtemp(w->root) == NULL)
        abort();
    snprintf(w->store, sizeof w->store, "%s/store", w->root);
    co.name = "sweep";
    co.passphrase = (const uint8_t *)PASS;
    co.passphrase_len = strlen(PASS);
    co.kdf_opslimit = OPS;
    co.kdf_memlimit = MEM;
    MUST(council_create(&w->c, w->store, &co));
    add_member(w, w->ma, "NPO A", all_scopes, 10, &w->ka);
    add_member(w, w->mb, "NPO B", b_scopes, 3, &w->kb);
    add_staff(w, w->sta, w->ma);
    add_staff(w, w->stb, w->mb);
    reopen_all(w);
    MUST(council_case_create(w->sa, w->cid, 16, w->pid, 16, &cao));
    write_section(w->sa, w->cid, w->pid, "situation", "CANARY-TEXT-7f3a9c");
    write_section(w->sa, w->cid, w->pid, "wishes", "CANARY-TEXT-wishes");
    MUST(share_to(w->sa, w->cid, w->mb, "situation"));
    mo.body = COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL;
    mo.starts = (int64_t)time(NULL) - 60;
    mo.ends = (int64_t)time(NULL) + 86400;
    mo.attendees = w->mb;
    mo.n_attendees = 1;
    MUST(council_meeting_create(w->c, w->mid, 16, &mo));
    so.scopes = sit;
    so.n_scopes = 1;
    so.purpose = "meeting_discussion";
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "要保護の判断のため";
    MUST(council_meeting_add_case(w->c, w->mid, 16, w->cid, 16, w->mb, 16, &so));
}

void rmrf(const char *path)
{
    char cmd[600];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "sweep: could not remove %s\n", path);
}

static void world_close(world *w)
{
    council_close(w->sa);
    council_close(w->sb);
    council_close(w->c);
    council_close(w->insp);
    w->sa = w->sb = w->c = w->insp = NULL;
}

static void world_free(world *w)
{
    world_close(w);
    council_buf_free(&w->ka);
    council_buf_free(&w->kb);
    rmrf(w->root);
}

/* A copy of the template's store (closed) in a directory of its own, with
 * handles open on it: each sweep starts from the same small store. */
static void world_copy(world *w, const world *t)
{
    const char *tmp = getenv("TMPDIR");
    char cmd[700];

    *w = *t;
    w->c = w->sa = w->sb = w->insp = NULL;
    snprintf(w->root, sizeof w->root, "%s/sweep.XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
    if (mkdtemp(w->root) == NULL)
        abort();
    snprintf(w->store, sizeof w->store, "%s/store", w->root);
    snprintf(cmd, sizeof cmd, "cp -a '%s' '%s'", t->store, w->store);
    if (system(cmd) != 0)
        abort();
    reopen_all(w);
}

static void world_drop(world *w)
{
    world_close(w);
    rmrf(w->root);
}

void fresh_path(world *w, const char *stem)
{
    snprintf(w->path, sizeof w->path, "%s/%s-%d", w->root, stem, ++w->seq);
}

/* ------------------------------------------------------ the store's state */

#define MAX_TABLES 64
typedef struct snap {
    size_t n;
    char name[MAX_TABLES][64];
    int64_t rows[MAX_TABLES];
    uint8_t hash[MAX_TABLES][32];
    uint8_t keys[32]; /* the keyring without the log head it keeps */
} snap;

/* A hash of the keyring's keys: the file parsed, the log head it keeps
 * (which follows the log: any export or report moves it) left out, the
 * rest serialized again. */
static void keys_hash(council *h, uint8_t out[32], const char *path)
{
    council__keyring *kr = calloc(1, sizeof *kr);
    council_buf b = { NULL, 0 };
    FILE *f = fopen(path, "rb");
    uint8_t *buf = malloc(1u << 20);
    size_t len = 0;

    if (kr == NULL || buf == NULL)
        abort();
    if (f != NULL) {
        len = fread(buf, 1, 1u << 20, f);
        fclose(f);
    }
    memset(out, 0, 32);
    if (council__keyring_parse(h, kr, buf, len) == COUNCIL_OK) {
        kr->log_head_len = 0;
        memset(kr->log_head, 0, sizeof kr->log_head);
        if (council__keyring_serialize(h, &b, kr) == COUNCIL_OK)
            crypto_generichash(out, 32, b.ptr, b.len, NULL, 0);
        council_buf_free(&b);
    }
    sodium_memzero(kr, sizeof *kr);
    free(kr);
    free(buf);
}

int64_t table_hash(sqlite3 *db, const char *table, uint8_t hash[32])
{
    char sql[128];
    sqlite3_stmt *st = NULL;
    crypto_generichash_state g;
    int64_t rows = 0;

    snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY rowid;", table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\";", table);
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
            abort();
    }
    crypto_generichash_init(&g, NULL, 0, 32);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int nc = sqlite3_column_count(st);
        rows++;
        for (int i = 0; i < nc; i++) {
            const void *p = sqlite3_column_blob(st, i);
            int len = sqlite3_column_bytes(st, i);
            uint8_t t = (uint8_t)sqlite3_column_type(st, i);
            crypto_generichash_update(&g, &t, 1);
            if (p != NULL && len > 0)
                crypto_generichash_update(&g, p, (unsigned long long)len);
        }
    }
    sqlite3_finalize(st);
    crypto_generichash_final(&g, hash, 32);
    return rows;
}

/* Every table's row count and a hash of its content, through a handle
 * open on the store (as someone holding the database key would read it). */
static void snapshot(council *h, const char *store, snap *s)
{
    int lc = sqlite3_exec(h->db, "SELECT 1;", NULL, NULL, NULL); /* see the latest */
    (void)lc;
    sqlite3_stmt *tl = NULL;
    char kr[400];

    memset(s, 0, sizeof *s);
    if (sqlite3_prepare_v2(h->db, "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                  "ORDER BY name;", -1, &tl, NULL) != SQLITE_OK)
        abort();
    while (sqlite3_step(tl) == SQLITE_ROW && s->n < MAX_TABLES) {
        snprintf(s->name[s->n], sizeof s->name[s->n], "%s", sqlite3_column_text(tl, 0));
        s->rows[s->n] = table_hash(h->db, s->name[s->n], s->hash[s->n]);
        s->n++;
    }
    sqlite3_finalize(tl);
    snprintf(kr, sizeof kr, "%s/council.keyring", store);
    keys_hash(h, s->keys, kr);
}

static bool audit_table(const char *name)
{
    return strncmp(name, "audit_", 6) == 0 || strcmp(name, "root_use") == 0;
}

/* The tables as they are now (*now, NULL: not needed); then the store
 * opened afresh, its log exported and verified; then the tables again
 * (*next: opening logs events and moves the log's head). */
static void check_store(world *w, snap *now, snap *next)
{
    council *h = NULL;
    council_buf info = { NULL, 0 }, rep = { NULL, 0 };
    council_audit_verify_options vo = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    Council__V1__CouncilInfo *m = NULL;
    char path[340];
    int rc;

    if (now != NULL)
        snapshot(w->insp, w->store, now);
    rc = open_root(&h, w->store);
    CHECK(rc == COUNCIL_OK, "the store no longer opens: %d (%s)", rc, council_errmsg(h));
    if (rc != COUNCIL_OK) {
        council_close(h);
        if (next != NULL)
            snapshot(w->insp, w->store, next);
        return;
    }
    rc = council_info(h, &info);
    CHECK(rc == COUNCIL_OK, "council_info: %d", rc);
    if (rc == COUNCIL_OK)
        m = council__v1__council_info__unpack(NULL, info.len, info.ptr);
    snprintf(path, sizeof path, "%s/check-%d.cax", w->root, ++w->seq);
    rc = council_audit_export(h, path);
    CHECK(rc == COUNCIL_OK, "export after the failure: %d (%s)", rc, council_errmsg(h));
    if (rc == COUNCIL_OK && m != NULL) {
        vo.log_vkey = m->log_verifier_key;
        rc = council_audit_verify_export(&rep, path, &vo);
        CHECK(rc == COUNCIL_OK, "the log no longer verifies: %d", rc);
    }
    unlink(path);
    council_buf_free(&rep);
    if (m != NULL)
        council__v1__council_info__free_unpacked(m, NULL);
    council_buf_free(&info);
    council_close(h);
    if (next != NULL)
        snapshot(w->insp, w->store, next);
}

/* --------------------------------------------------------- the operations */


void no_prep(world *w)
{
    (void)w;
}

/* create */
static void create_prep(world *w)
{
    fresh_path(w, "new");
}
council *made;
static int create_run(world *w, council **h, council_buf *out)
{
    council_create_options co = COUNCIL_CREATE_OPTIONS_INIT;
    int rc;

    (void)out;
    co.name = "new";
    co.passphrase = (const uint8_t *)PASS;
    co.passphrase_len = strlen(PASS);
    co.kdf_opslimit = OPS;
    co.kdf_memlimit = MEM;
    made = NULL;
    rc = council_create(&made, w->path, &co);
    *h = made;
    return rc;
}

/* open, root and staff */
static int open_root_run(world *w, council **h, council_buf *out)
{
    (void)out;
    made = NULL;
    int rc = open_root(&made, w->store);
    *h = made;
    return rc;
}
static int open_staff_run(world *w, council **h, council_buf *out)
{
    (void)out;
    made = NULL;
    int rc = open_staff(&made, w, w->sta, &w->ka);
    *h = made;
    return rc;
}

/* member add, withdraw, key replacement */
static int member_add_run(world *w, council **h, council_buf *out)
{
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;

    (void)out;
    o.name = "NPO X";
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_NPO;
    o.scopes = b_scopes;
    o.n_scopes = 3;
    *h = w->c;
    return council_member_add(w->c, w->x, 16, &o);
}
static void withdraw_prep(world *w)
{
    add_member(w, w->x, "NPO W", b_scopes, 3, NULL);
}
static int withdraw_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_member_withdraw(w->c, w->x, 16, 0, "活動終了のため");
}
static void keygen_prep(world *w)
{
    council_buf kf = { NULL, 0 };

    add_member(w, w->x, "NPO K", b_scopes, 3, &kf);
    council_buf_free(&kf);
}
static int keygen_run(world *w, council **h, council_buf *out)
{
    *h = w->c;
    return council_member_keygen(w->c, out, w->x, 16, (const uint8_t *)MPASS, strlen(MPASS), OPS,
                                 MEM);
}

/* staff pledge */
static void pledge_prep(world *w)
{
    MUST(council_staff_add(w->c, w->x, 16, w->ma, 16, "相談員", NULL));
}
static int pledge_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_staff_pledge(w->c, w->x, 16, 0, "v1", (const uint8_t *)pledge, strlen(pledge),
                                NULL);
}

/* cases and sections */
static int case_create_run(world *w, council **h, council_buf *out)
{
    council_case_options o = COUNCIL_CASE_OPTIONS_INIT;

    (void)out;
    *h = w->sa;
    return council_case_create(w->sa, w->x, 16, w->y, 16, &o);
}
static int section_write_run(world *w, council **h, council_buf *out)
{
    council_buf b = section_text("CANARY-TEXT-again");
    uint32_t v = 0;
    int rc;

    (void)out;
    *h = w->sa;
    rc = council_section_write(w->sa, &v, w->cid, 16, w->pid, 16, "situation", b.ptr, b.len);
    free(b.ptr);
    return rc;
}
static void share_prep(world *w)
{
    council_case_options o = COUNCIL_CASE_OPTIONS_INIT;

    MUST(council_case_create(w->sa, w->x, 16, w->y, 16, &o));
    write_section(w->sa, w->x, w->y, "wishes", "CANARY-TEXT-share");
}
static int share_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->sa;
    return share_to(w->sa, w->x, w->mb, "wishes");
}
static void revoke_prep(world *w)
{
    share_prep(w);
    MUST(share_to(w->sa, w->x, w->mb, "wishes"));
}
static int revoke_run(world *w, council **h, council_buf *out)
{
    const char *sc[1] = { "wishes" };

    (void)out;
    *h = w->sa;
    return council_case_revoke(w->sa, w->x, 16, w->mb, 16, sc, 1, "support_ended");
}
static int section_read_run(world *w, council **h, council_buf *out)
{
    *h = w->sb;
    return council_section_read(w->sb, out, w->cid, 16, w->pid, 16, "situation",
                                "support_coordination");
}
static int case_read_run(world *w, council **h, council_buf *out)
{
    *h = w->sa;
    return council_case_read(w->sa, out, w->cid, 16, "support_coordination");
}

/* a batch: a case and its section, committed together */
static int batch_run(world *w, council **h, council_buf *out)
{
    council_case_options o = COUNCIL_CASE_OPTIONS_INIT;
    council_buf b = section_text("CANARY-TEXT-batch");
    uint32_t v = 0;
    int rc;

    (void)out;
    *h = w->sa;
    rc = council_batch_begin(w->sa);
    if (rc == COUNCIL_OK)
        rc = council_case_create(w->sa, w->x, 16, w->y, 16, &o);
    if (rc == COUNCIL_OK)
        rc = council_section_write(w->sa, &v, w->x, 16, w->y, 16, "situation", b.ptr, b.len);
    if (rc == COUNCIL_OK)
        rc = council_batch_commit(w->sa);
    free(b.ptr);
    if (rc != COUNCIL_OK) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", council_errmsg(w->sa));
        disarm();
        (void)council_batch_rollback(w->sa);
        /* the message looked at is the failure's, not the rollback's */
        if (council__ok(w->sa) && w->sa->errcode == COUNCIL_OK)
            council__fail(w->sa, rc, "%s", msg);
    }
    return rc;
}

/* consent */
static int consent_record_run(world *w, council **h, council_buf *out)
{
    council_consent_options o = COUNCIL_CONSENT_OPTIONS_INIT;
    static const char *const sc[] = { "situation", "wishes" };
    static const char *const pu[] = { "support_coordination" };

    (void)out;
    o.case_id = w->cid;
    o.case_id_len = 16;
    o.subject_person = w->pid;
    o.subject_person_len = 16;
    o.recipient_members = w->mb;
    o.n_recipient_members = 1;
    o.scopes = sc;
    o.n_scopes = 2;
    o.purposes = pu;
    o.n_purposes = 1;
    o.method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_WRITTEN;
    *h = w->sa;
    return council_consent_record(w->sa, w->x, 16, &o);
}
static void consent_withdraw_prep(world *w)
{
    council *h;

    MUST(consent_record_run(w, &h, NULL));
}
static int consent_withdraw_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->sa;
    return council_consent_withdraw(w->sa, w->x, 16, 0, "本人の申し出");
}

/* meeting packet, report, checkpoint */
static int packet_run(world *w, council **h, council_buf *out)
{
    *h = w->c;
    return council_meeting_packet(w->c, out, w->mid, 16, w->mb, 16);
}
static int report_run(world *w, council **h, council_buf *out)
{
    *h = w->c;
    return council_report_platform(w->c, out, 0, COUNCIL_REPORT_JSON);
}
static int checkpoint_run(world *w, council **h, council_buf *out)
{
    *h = w->c;
    return council_audit_checkpoint(w->c, out);
}

/* export and verify */
static void export_prep(world *w)
{
    fresh_path(w, "export");
}
static int export_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_audit_export(w->c, w->path);
}
static char vkey[256];
static void verify_prep(world *w)
{
    council_buf info = { NULL, 0 };
    Council__V1__CouncilInfo *m;

    fresh_path(w, "verify");
    MUST(council_audit_export(w->c, w->path));
    MUST(council_info(w->c, &info));
    m = council__v1__council_info__unpack(NULL, info.len, info.ptr);
    if (m == NULL)
        abort();
    snprintf(vkey, sizeof vkey, "%s", m->log_verifier_key);
    council__v1__council_info__free_unpacked(m, NULL);
    council_buf_free(&info);
}
static int verify_run(world *w, council **h, council_buf *out)
{
    council_audit_verify_options vo = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;

    *h = NULL;
    vo.log_vkey = vkey;
    return council_audit_verify_export(out, w->path, &vo);
}

/* rekeys */
static int case_rekey_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_case_rekey(w->c, w->cid, 16);
}
static int rekey_db_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_rekey_database(w->c);
}
static int rekey_root_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_rekey_root(w->c, (const uint8_t *)PASS, strlen(PASS), NULL, 0, OPS, MEM);
}
static int passphrase_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_passphrase_change(w->c, (const uint8_t *)PASS, strlen(PASS),
                                     (const uint8_t *)PASS, strlen(PASS), OPS, MEM);
}

/* ------------------------------------------ issue 14: the council's work */

/* The policy accepts council_art16_exchange (requests, withdraw_ex). */
static void allow_art16(world *w)
{
    static const char *const bases[] = { "consent", "appi_27_1_4_public_duty",
                                         "council_art16_exchange" };
    council_policy_options po = COUNCIL_POLICY_OPTIONS_INIT;

    po.accepted_bases = bases;
    po.n_accepted_bases = 3;
    MUST(council_policy_set(w->c, &po));
}

/* referrals: a fresh case x of A's (its wishes written) offered to B */
static const char ref_note[] = "紹介メモ: CANARY-REFERRAL-NOTE";
static int propose_to_b(world *w, council *s, uint8_t rid[16])
{
    council_referral_options o = COUNCIL_REFERRAL_OPTIONS_INIT;
    static const char *const sc[] = { "wishes" };

    o.case_id = w->x;
    o.case_id_len = 16;
    o.to_member = w->mb;
    o.to_member_len = 16;
    o.scopes = sc;
    o.n_scopes = 1;
    o.basis = "appi_27_1_4_public_duty";
    o.reason = "支援につなぐため";
    o.note = (const uint8_t *)ref_note;
    o.note_len = strlen(ref_note);
    return council_referral_propose(s, rid, 16, &o);
}
static int referral_propose_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->sa;
    return propose_to_b(w, w->sa, w->z);
}
static void referral_prep(world *w)
{
    share_prep(w);
    MUST(propose_to_b(w, w->sa, w->z));
}
static int referral_accept_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->sb;
    return council_referral_transition(w->sb, w->z, 16, COUNCIL_REFERRAL_ACCEPTED, NULL, NULL, 0,
                                       0);
}
static int referral_decline_run(world *w, council **h, council_buf *out)
{
    static const char why[] = "定員のため CANARY-DECLINE";

    (void)out;
    *h = w->sb;
    return council_referral_transition(w->sb, w->z, 16, COUNCIL_REFERRAL_DECLINED, "no_capacity",
                                       (const uint8_t *)why, strlen(why), 0);
}
static void referral_deliver_prep(world *w)
{
    council_buf none = { NULL, 0 };
    council *h;

    referral_prep(w);
    MUST(referral_accept_run(w, &h, &none));
}
static int referral_deliver_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->sa;
    return council_referral_deliver(w->sa, w->z, 16);
}
static int referral_note_run(world *w, council **h, council_buf *out)
{
    *h = w->sb;
    return council_referral_note(w->sb, out, w->z, 16, COUNCIL_REFERRAL_NOTE);
}

/* cooperation requests: the council asks B about the case (situation,
 * which B holds) */
static const char req_text[] = "世帯の状況について CANARY-REQUEST";
static int request_make_run(world *w, council **h, council_buf *out)
{
    council_request_options o = COUNCIL_REQUEST_OPTIONS_INIT;
    static const char *const sc[] = { "situation" };

    (void)out;
    o.case_id = w->cid;
    o.case_id_len = 16;
    o.member_id = w->mb;
    o.member_id_len = 16;
    o.kinds = COUNCIL_REQUEST_KIND_INFORMATION | COUNCIL_REQUEST_KIND_OPINION;
    o.scopes = sc;
    o.n_scopes = 1;
    o.text = req_text;
    o.text_len = strlen(req_text);
    o.due = (int64_t)time(NULL) + 7 * 86400;
    o.basis = "council_art16_exchange";
    *h = w->c;
    return council_request_make(w->c, w->z, 16, &o);
}
static void request_make_prep(world *w)
{
    allow_art16(w);
}
void request_prep(world *w)
{
    council_buf none = { NULL, 0 };
    council *h;

    allow_art16(w);
    MUST(request_make_run(w, &h, &none));
}
static int request_answer_run(world *w, council **h, council_buf *out)
{
    council_request_answer_options a = COUNCIL_REQUEST_ANSWER_OPTIONS_INIT;
    static const char *const sc[] = { "situation" };
    static const char opinion[] = "週1回の訪問 CANARY-ANSWER";

    (void)out;
    a.scopes = sc;
    a.n_scopes = 1;
    a.text = opinion;
    a.text_len = strlen(opinion);
    *h = w->sb;
    return council_request_answer(w->sb, w->z, 16, &a);
}
static int request_text_run(world *w, council **h, council_buf *out)
{
    *h = w->sb;
    return council_request_text(w->sb, out, w->z, 16, COUNCIL_REQUEST_TEXT_ASKED);
}

/* tasks and assignments (A's staff, on A's case) */
static int task_add_run(world *w, council **h, council_buf *out)
{
    council_task_options o = COUNCIL_TASK_OPTIONS_INIT;

    (void)out;
    o.case_id = w->cid;
    o.case_id_len = 16;
    o.text = "訪問の調整 CANARY-TASK";
    o.due = (int64_t)time(NULL) + 7 * 86400;
    *h = w->sa;
    return council_task_add(w->sa, w->z, 16, &o);
}
static void task_prep(world *w)
{
    council_buf none = { NULL, 0 };
    council *h;

    MUST(task_add_run(w, &h, &none));
}
static int task_set_state_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->sa;
    return council_task_set_state(w->sa, w->z, 16, COUNCIL_TASK_STATE_DONE);
}
static int task_get_run(world *w, council **h, council_buf *out)
{
    *h = w->sa;
    return council_task_get(w->sa, out, w->z, 16);
}
static int assign_to(council *s, const uint8_t cid[16], const uint8_t staff[16])
{
    council_assign_options o = COUNCIL_ASSIGN_OPTIONS_INIT;

    o.workers = staff;
    o.n_workers = 1;
    return council_case_assign(s, cid, 16, &o);
}
static int case_assign_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->sa;
    return assign_to(w->sa, w->cid, w->sta);
}
/* handover: A's staff sta, worker of the case with an open task, hands it
 * to x, another staff member of A's */
static void handover_prep(world *w)
{
    council_task_options o = COUNCIL_TASK_OPTIONS_INIT;

    add_staff(w, w->x, w->ma);
    MUST(assign_to(w->sa, w->cid, w->sta));
    o.case_id = w->cid;
    o.case_id_len = 16;
    o.staff = w->sta;
    o.staff_len = 16;
    o.text = "引継ぎの確認 CANARY-TASK";
    o.due = (int64_t)time(NULL) + 7 * 86400;
    MUST(council_task_add(w->sa, w->z, 16, &o));
}
static int handover_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_case_handover(w->c, w->cid, 16, w->sta, 16, w->x, 16);
}

/* meetings that decide */
static void new_meeting(world *w, uint8_t mid[16], bool with_case)
{
    council_meeting_options mo = COUNCIL_MEETING_OPTIONS_INIT;
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    static const char *const sit[] = { "situation" };

    mo.body = COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL;
    mo.starts = (int64_t)time(NULL) - 60;
    mo.ends = (int64_t)time(NULL) + 86400;
    mo.attendees = w->mb;
    mo.n_attendees = 1;
    MUST(council_meeting_create(w->c, mid, 16, &mo));
    if (!with_case)
        return;
    so.scopes = sit;
    so.n_scopes = 1;
    so.purpose = "meeting_discussion";
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "要保護の判断のため";
    MUST(council_meeting_add_case(w->c, mid, 16, w->cid, 16, w->mb, 16, &so));
}
static void minutes_prep(world *w)
{
    new_meeting(w, w->z, false);
}
static int minutes_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_meeting_minutes(w->c, w->z, 16, "出席: B\n議題: 1件 CANARY-MINUTES");
}
static int decide_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_meeting_decide(w->c, w->y, 16, w->mid, 16, w->cid, 16,
                                  "Bが訪問する CANARY-DECISION");
}
/* a meeting z with the case, its minutes and a decision y about the case */
static void record_prep(world *w)
{
    new_meeting(w, w->z, true);
    MUST(council_meeting_minutes(w->c, w->z, 16, "議事録 CANARY-MINUTES"));
    MUST(council_meeting_decide(w->c, w->y, 16, w->z, 16, w->cid, 16, "決定 CANARY-DECISION"));
}
static int record_run(world *w, council **h, council_buf *out)
{
    *h = w->sb;
    return council_meeting_record(w->sb, out, w->z, 16);
}
static int decision_read_run(world *w, council **h, council_buf *out)
{
    *h = w->sb;
    return council_meeting_decision_read(w->sb, out, w->y, 16);
}

/* cases that move: a fresh case x of A's to B (its wishes are within B's
 * ceiling); a member W owning a case withdrawn with its cases to A; two
 * persons of a case merged */
static int transfer_run(world *w, council **h, council_buf *out)
{
    council_transfer_options o = COUNCIL_TRANSFER_OPTIONS_INIT;

    (void)out;
    o.basis = "appi_27_1_4_public_duty";
    o.reason = "担当の引継ぎ";
    *h = w->c;
    return council_case_transfer(w->c, w->x, 16, w->mb, 16, &o);
}
static void withdraw_ex_prep(world *w)
{
    council_case_options o = COUNCIL_CASE_OPTIONS_INIT;
    council_buf kf = { NULL, 0 };
    council *s = NULL;
    uint8_t cid[16], pid[16];

    allow_art16(w);
    add_member(w, w->x, "NPO W", b_scopes, 3, &kf);
    add_staff(w, w->y, w->x);
    MUST(open_staff(&s, w, w->y, &kf));
    MUST(council_case_create(s, cid, 16, pid, 16, &o));
    write_section(s, cid, pid, "situation", "CANARY-TEXT-withdraw");
    council_close(s);
    council_buf_free(&kf);
}
static int withdraw_ex_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_member_withdraw_ex(w->c, w->x, 16, 0, "活動終了のため", w->ma, 16);
}
static void merge_prep(world *w)
{
    council_case_options o = COUNCIL_CASE_OPTIONS_INIT;

    o.anonymous = 1;
    MUST(council_case_create(w->sa, w->x, 16, w->y, 16, &o));
    MUST(council_case_add_person(w->sa, w->z, 16, w->x, 16, COUNCIL_PERSON_ROLE_FAMILY));
    write_section(w->sa, w->x, w->z, "situation", "CANARY-TEXT-merge");
}
static int merge_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->sa;
    return council_person_merge(w->sa, w->x, 16, w->y, 16, w->z, 16);
}

/* the report over a period */
static int report_period_run(world *w, council **h, council_buf *out)
{
    council_report_options o = COUNCIL_REPORT_OPTIONS_INIT;

    o.format = COUNCIL_REPORT_JSON;
    o.from = (int64_t)time(NULL) - 365 * 86400;
    o.to = (int64_t)time(NULL) + 86400;
    *h = w->c;
    return council_report_platform_period(w->c, out, &o);
}

void close_made(world *w, council_buf *out)
{
    (void)w;
    (void)out;
    council_close(made);
    made = NULL;
}
static void create_done(world *w, council_buf *out)
{
    close_made(w, out);
    rmrf(w->path);
}
void unlink_done(world *w, council_buf *out)
{
    (void)out;
    unlink(w->path);
}

const op sweep_ops_core[] = {
    { "create", false, true, false, create_prep, create_run, create_done },
    { "open", true, false, false, no_prep, open_root_run, close_made },
    { "open_staff", true, false, false, no_prep, open_staff_run, close_made },
    { "member_add", false, false, false, no_prep, member_add_run, NULL },
    { "member_withdraw", false, false, false, withdraw_prep, withdraw_run, NULL },
    { "member_keygen_replace", false, false, false, keygen_prep, keygen_run, NULL, false, false,
      true },
    { "staff_pledge", false, false, false, pledge_prep, pledge_run, NULL },
    { "case_create", false, false, false, no_prep, case_create_run, NULL },
    { "section_write", false, false, false, no_prep, section_write_run, NULL },
    { "share", false, false, false, share_prep, share_run, NULL },
    { "revoke", false, false, false, revoke_prep, revoke_run, NULL },
    { "section_read", true, false, false, no_prep, section_read_run, NULL },
    { "case_read", true, false, false, no_prep, case_read_run, NULL },
    { "batch_commit", false, false, false, no_prep, batch_run, NULL },
    { "consent_record", false, false, false, no_prep, consent_record_run, NULL },
    { "consent_withdraw", false, false, false, consent_withdraw_prep, consent_withdraw_run, NULL },
    { "meeting_packet", true, false, false, no_prep, packet_run, NULL },
    { "report", true, false, false, no_prep, report_run, NULL, false, true },
    { "checkpoint", true, false, false, no_prep, checkpoint_run, NULL, false, true },
    { "export", true, false, false, export_prep, export_run, unlink_done, false, true },
    { "verify", false, false, false, verify_prep, verify_run, unlink_done },
    { "case_rekey", false, false, false, no_prep, case_rekey_run, NULL },
    { "referral_propose", false, false, false, share_prep, referral_propose_run, NULL },
    { "referral_accept", false, false, false, referral_prep, referral_accept_run, NULL },
    { "referral_decline", false, false, false, referral_prep, referral_decline_run, NULL },
    { "referral_deliver", false, false, false, referral_deliver_prep, referral_deliver_run, NULL },
    { "referral_note", true, false, false, referral_prep, referral_note_run, NULL },
    { "request_make", false, false, false, request_make_prep, request_make_run, NULL },
    { "request_answer", false, false, false, request_prep, request_answer_run, NULL },
    { "request_text", true, false, false, request_prep, request_text_run, NULL },
    { "task_add", false, false, false, no_prep, task_add_run, NULL },
    { "task_set_state", false, false, false, task_prep, task_set_state_run, NULL },
    { "task_get", true, false, false, task_prep, task_get_run, NULL },
    { "case_assign", false, false, false, no_prep, case_assign_run, NULL },
    { "case_handover", false, false, false, handover_prep, handover_run, NULL },
    { "meeting_minutes", false, false, false, minutes_prep, minutes_run, NULL },
    { "meeting_decide", false, false, false, no_prep, decide_run, NULL },
    { "meeting_record", true, false, false, record_prep, record_run, NULL },
    { "meeting_decision_read", true, false, false, record_prep, decision_read_run, NULL },
    { "case_transfer", false, false, false, share_prep, transfer_run, NULL },
    { "member_withdraw_ex", false, false, false, withdraw_ex_prep, withdraw_ex_run, NULL },
    { "person_merge", false, false, false, merge_prep, merge_run, NULL },
    { "report_period", true, false, false, no_prep, report_period_run, NULL, false, true },
    { "rekey_database", false, false, true, no_prep, rekey_db_run, NULL, true },
    { "rekey_root", false, false, true, no_prep, rekey_root_run, NULL, true },
    { "passphrase_change", false, false, true, no_prep, passphrase_run, NULL, true },
};
const size_t sweep_ops_core_n = sizeof sweep_ops_core / sizeof sweep_ops_core[0];

/* ---------------------------------------------------------------- sweeps */

/* Row counts added by one success: after minus before, per table. */
static void delta(const snap *a, const snap *b, int64_t *d)
{
    for (size_t i = 0; i < b->n; i++) {
        d[i] = b->rows[i];
        for (size_t j = 0; j < a->n; j++)
            if (strcmp(a->name[j], b->name[i]) == 0)
                d[i] -= a->rows[j];
    }
}

/* The events from seq `from` on, as "action/outcome/reason; ..." (what a
 * failure left on the record: seqs from..to-1), read through the
 * inspecting handle. */
static const char *events_since(world *w, int64_t from, int64_t to)
{
    static char text[512];
    council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
    council_buf out = { NULL, 0 };
    Council__V1__AuditEventList *l;
    size_t len = 0;

    text[0] = '\0';
    flt.from_seq = (uint64_t)from;
    flt.limit = (uint32_t)(to - from < 8 ? to - from : 8);
    if (council_audit_list(w->insp, &out, &flt) != COUNCIL_OK)
        return "(events not listed)";
    l = council__v1__audit_event_list__unpack(NULL, out.len, out.ptr);
    council_buf_free(&out);
    if (l == NULL)
        return "(events not read)";
    for (size_t i = 0; i < l->n_events && len < sizeof text; i++) {
        const Council__V1__AuditEvent *e = l->events[i];
        const ProtobufCEnumValue *a =
            protobuf_c_enum_descriptor_get_value(&council__v1__audit_action__descriptor, e->action);
        len += (size_t)snprintf(text + len, sizeof text - len, "%s%s %s%s%s", i ? "; " : "",
                                a != NULL ? a->name : "?",
                                e->outcome == COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED
                                    ? "refused" : "allowed",
                                e->reason != NULL && *e->reason ? " " : "",
                                e->reason != NULL ? e->reason : "");
    }
    council__v1__audit_event_list__free_unpacked(l, NULL);
    return text;
}

/* Key management that logs first, after a failure and the next root open:
 * either no table but the audit tables changed (nothing was done), or the
 * row counts are those of one clean success (the open finished it: the
 * keys are new and random, so their rows' content cannot be compared). */
static bool as_one_success(const snap *before, const snap *after, const int64_t *ref,
                           size_t nref)
{
    int64_t d[MAX_TABLES];

    if (ref == NULL || before->n != after->n)
        return false;
    delta(before, after, d);
    for (size_t i = 0; i < after->n && i < nref; i++)
        if (!audit_table(after->name[i]) && d[i] != ref[i])
            return false;
    return true;
}

static void check_same(world *w, const op *o, bool reopened, const snap *before,
                       const snap *after, const snap *next, const int64_t *ref, size_t nref,
                       bool *event_kept)
{
    bool finished = o->logs_first && as_one_success(before, after, ref, nref);

    *event_kept = false;
    CHECK(before->n == after->n, "tables %zu then %zu", before->n, after->n);
    for (size_t i = 0; i < before->n && i < after->n; i++) {
        bool same = before->rows[i] == after->rows[i] &&
                    memcmp(before->hash[i], after->hash[i], 32) == 0;
        if (same || finished)
            continue;
        if (audit_table(before->name[i]) && (o->content || reopened || o->logs_first)) {
            *event_kept = true;
            continue;
        }
        if (strcmp(before->name[i], "audit_event") == 0 && after->rows[i] > before->rows[i])
            CHECK(same, "table audit_event changed (%lld rows, then %lld: %s)",
                  (long long)before->rows[i], (long long)after->rows[i],
                  events_since(w, before->rows[i], after->rows[i]));
        else
            CHECK(same, "table %s changed (%lld rows, then %lld)", before->name[i],
                  (long long)before->rows[i], (long long)after->rows[i]);
    }
    /* The keys the keyring holds never change on a failure (key
     * management that logs first: as the next root open leaves them, see
     * sweep()); the log head it keeps follows the log (sessions reopened,
     * an event that stands, an export or report that moved it before
     * failing), and the store opening and its log verifying check it. */
    CHECK(o->logs_first || memcmp(before->keys, (o->keys_at_open ? next : after)->keys, 32) == 0,
          "council.keyring's keys changed");
}

/* One op, one kind: N = 0, 1, 2, ... calls let through before the fault. */
/* Kinds whose hook says whether it fired (the library's two do not: theirs
 * fail every call after the Nth, so a success means the end was reached). */
static bool knows_fired(int k)
{
    return k != K_ALLOC && k != K_AUDIT;
}

/* The world's handles opened again: false (and a finding) when one no
 * longer opens; the sweep of this kind stops there. */
static bool reopen_checked(world *w, const char *when)
{
    const char *what = "";
    int rc = try_reopen_all(w, &what);

    CHECK(rc == COUNCIL_OK, "%s %s no longer opens: %d", when, what, rc);
    return rc == COUNCIL_OK;
}

static bool after_success(world *w, const op *o, const snap *before, const int64_t *ref,
                          size_t nref)
{
    council_buf none = { NULL, 0 };
    bool ok = true;

    if (o->done != NULL)
        o->done(w, &none);
    if (o->no_store)
        return true;
    /* Everyone still opens (a success that cost a member its copy of the
     * database key is a finding). */
    if (o->reopen && !(ok = reopen_checked(w, "after the success")))
        return false;
    if (ref != NULL) {
        int64_t d[MAX_TABLES];
        snap after;
        check_store(w, &after, NULL);
        delta(before, &after, d);
        /* (the Merkle tree's stored nodes and the checkpoints follow the
         * log's size, not the operation) */
        for (size_t i = 0; i < after.n && i < nref; i++)
            CHECK(d[i] == ref[i] || strcmp(after.name[i], "audit_node") == 0 ||
                      strcmp(after.name[i], "audit_checkpoint") == 0,
                  "after the success table %s gained %lld rows, one clean success %lld",
                  after.name[i], (long long)d[i], (long long)ref[i]);
    }
    if (!o->reopen)
        ok = reopen_checked(w, "after the success");
    return ok;
}

static bool sweep_all; /* SWEEP_ALL=1: every point, however many */
/* To look at one finding: SWEEP_KIND=alloc (that kind only) and
 * SWEEP_FROM=227 (from that point on). */
static const char *sweep_kind;
static long sweep_from;

static long next_point(long n)
{
    return sweep_all || n < SWEEP_EVERY ? n + 1 : n + n / 64;
}

static long sweep(const world *t, const op *o, int k, const int64_t *ref, size_t nref,
                  long *kept, long *tolerated, long *tried)
{
    world wc, *w = &wc;
    snap before, after;
    long n, points = 0;
    int f0 = failures;
    bool reopened;

    world_copy(w, t);
    o->prep(w);
    if (!o->no_store)
        check_store(w, NULL, &before);
    for (n = sweep_from; n < SWEEP_CAP; n = next_point(n)) {
        council *h = NULL;
        council_buf out = { NULL, 0 };
        int rc;

        cur_n = n + 1;
        (*tried)++;
        arm(k, n);
        rc = o->run(w, &h, &out);
        disarm();
        if (verbose)
            fprintf(stderr, "sweep: %s %s %ld: rc %d, fired %ld: %s\n", o->name, kinds[k], n + 1,
                    rc, fired[k], rc != COUNCIL_OK && h != NULL ? council_errmsg(h) : "");
        if (rc == COUNCIL_OK) {
            council_buf_free(&out);
            if (!after_success(w, o, &before, ref, nref))
                break;
            if (!knows_fired(k) || fired[k] == 0)
                break; /* every point of this kind was passed */
            /* the failure was survived: a success all the same; again,
             * from the template (the success changed the world) */
            (*tolerated)++;
            points = n + 1;
            world_drop(w);
            world_copy(w, t);
            o->prep(w);
            if (!o->no_store)
                check_store(w, NULL, &before);
            continue;
        }
        points = n + 1;
        /* A failure: an error, a message, no output. */
        CHECK(rc != COUNCIL_OK, "?");
        if (h != NULL) {
            const char *m = council_errmsg(h);
            CHECK(m != NULL && *m != '\0' && strcmp(m, "not an error") != 0,
                  "rc %d without a message", rc);
        }
        CHECK(out.ptr == NULL && out.len == 0, "rc %d and an output buffer of %zu bytes", rc,
              out.len);
        council_buf_free(&out);
        if (o->failed != NULL)
            o->failed(w, o, rc);
        if (o->no_store) {
            /* create: nothing left behind, or a store that opens */
            close_made(w, &out);
            CHECK(access(w->path, F_OK) != 0, "rc %d left %s behind", rc, w->path);
            rmrf(w->path);
            continue;
        }
        reopened = false;
        if (h == made) {
            close_made(w, &out);
        } else if (o->logs_first || (h != NULL && !council__ok(h))) {
            /* (key management: every session still opens after it) */
            /* the handle closed itself: a fresh one goes on */
            if (!reopen_checked(w, "after the failure"))
                break;
            reopened = true;
        }
        if (o->run == export_run || o->run == verify_run) {
            if (o->run == export_run)
                CHECK(access(w->path, F_OK) != 0, "rc %d left a partial export", rc);
        }
        {
            bool ev = false;
            snap next;
            check_store(w, &after, &next);
            /* (key management: as the next root open leaves it) */
            check_same(w, o, reopened, &before, o->logs_first ? &next : &after, &next, ref, nref,
                       &ev);
            if (ev)
                (*kept)++; /* the event stands; content was not returned */
            before = next;
        }
        if (o->fresh && failures == f0) {
            /* its work grows with the log each run adds to: from the
             * template again */
            world_drop(w);
            world_copy(w, t);
            o->prep(w);
            check_store(w, NULL, &before);
        }
        if (failures > f0)
            break; /* one finding a sweep: the rest would repeat it */
    }
    CHECK(n < SWEEP_CAP || failures > f0, "still failing at point %ld (the cap)", n);
    world_drop(w);
    return points;
}

int main(int argc, char **argv)
{
    const char *only = NULL;
    const op *all[256];
    size_t n_all = 0;
    long shard = 0, shards = 1, total_points = 0, total_runs = 0;
    size_t n_ops = 0;
    world t;

    /* sweep_faults [--shard I/N] [OP]: one operation, or every Nth from
     * the Ith (make sweep runs two shards at once, one a core) */
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--shard") == 0 && a + 1 < argc) {
            if (sscanf(argv[++a], "%ld/%ld", &shard, &shards) != 2 || shards < 1 || shard < 0 ||
                shard >= shards) {
                fprintf(stderr, "sweep: --shard I/N with 0 <= I < N\n");
                return 2;
            }
        } else {
            only = argv[a];
        }
    }
    {
        static const struct { const op *t; const size_t *n; } tables[] = {
            { sweep_ops_core, &sweep_ops_core_n },
            { sweep_ops_node, &sweep_ops_node_n },
            { sweep_ops_node_imports, &sweep_ops_node_imports_n },
            { sweep_ops_rights, &sweep_ops_rights_n },
            { sweep_ops_misc, &sweep_ops_misc_n },
        };
        size_t k = 0;
        for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
            for (size_t j = 0; j < *tables[i].n; j++, k++)
                if (n_all < sizeof all / sizeof all[0] && (long)(k % (size_t)shards) == shard)
                    all[n_all++] = &tables[i].t[j];
    }
    time_t t0 = time(NULL);

    setvbuf(stdout, NULL, _IOLBF, 0);
    verbose = getenv("SWEEP_VERBOSE") != NULL;
    sweep_all = getenv("SWEEP_ALL") != NULL;
    sweep_kind = getenv("SWEEP_KIND");
    if (getenv("SWEEP_FROM") != NULL)
        sweep_from = strtol(getenv("SWEEP_FROM"), NULL, 10) - 1;
    if (sweep_from < 0)
        sweep_from = 0;
    with_sqlmem = getenv("SWEEP_SQLMEM") != NULL;
    install_sqlite_malloc(); /* before anything starts SQLite */
    if (council_global_init() != COUNCIL_OK)
        return 1;
    world_make(&t);
    world_close(&t); /* the template: copied, never used itself */
    for (size_t i = 0; i < n_all; i++) {
        const op *o = all[i];
        int64_t ref[MAX_TABLES];
        size_t nref = 0;
        char line[512];
        size_t len;
        long kept = 0, tolerated = 0;

        if (only != NULL && strcmp(only, o->name) != 0)
            continue;
        n_ops++;
        cur_op = o->name;
        /* One clean success first: the rows it adds. */
        if (!o->no_store) {
            world w;
            snap a, b;
            council *h = NULL;
            council_buf out = { NULL, 0 };
            int rc;

            world_copy(&w, &t);
            o->prep(&w);
            check_store(&w, NULL, &a);
            cur_kind = "no";
            cur_n = 0;
            rc = o->run(&w, &h, &out);
            CHECK(rc == COUNCIL_OK, "without a fault: %d (%s)", rc, council_errmsg(h));
            council_buf_free(&out);
            if (o->done != NULL)
                o->done(&w, &out);
            if (o->reopen)
                reopen_all(&w);
            check_store(&w, &b, NULL);
            delta(&a, &b, ref);
            nref = b.n;
            world_drop(&w);
        }
        len = (size_t)snprintf(line, sizeof line, "sweep: %s:", o->name);
        for (int k = 0; k < K_N; k++) {
            long n;
            if ((k == K_SQLMEM && !with_sqlmem) ||
                (sweep_kind != NULL && strcmp(sweep_kind, kinds[k]) != 0))
                continue;
            cur_kind = kinds[k];
            long tried = 0;
            n = sweep(&t, o, k, nref ? ref : NULL, nref, &kept, &tolerated, &tried);
            total_points += n;
            total_runs += tried;
            if (len < sizeof line && n > 0 && tried < n)
                len += (size_t)snprintf(line + len, sizeof line - len, "%s %s 1..%ld (%ld tried)",
                                        len > strlen(o->name) + 8 ? "," : "", kinds[k], n,
                                        tried);
            else if (len < sizeof line && n > 0)
                len += (size_t)snprintf(line + len, sizeof line - len, "%s %s 1..%ld",
                                        len > strlen(o->name) + 8 ? "," : "", kinds[k], n);
            else if (len < sizeof line)
                len += (size_t)snprintf(line + len, sizeof line - len, "%s %s none",
                                        len > strlen(o->name) + 8 ? "," : "", kinds[k]);
        }
        if (kept > 0 && len < sizeof line)
            len += (size_t)snprintf(line + len, sizeof line - len,
                                    "; %ld failed after the event", kept);
        if (tolerated > 0 && len < sizeof line)
            snprintf(line + len, sizeof line - len, "; %ld faults survived", tolerated);
        puts(line);
    }
    world_free(&t);
    if (only != NULL && n_ops == 0) {
        fprintf(stderr, "sweep: no operation named %s\n", only);
        return 2;
    }
    printf("sweep: %zu operations, %ld failure points, %ld runs: %s (%lld s)\n", n_ops,
           total_points, total_runs,
           failures ? "FAILED" : "every operation failed cleanly", (long long)(time(NULL) - t0));
    return failures ? 1 : 0;
}
