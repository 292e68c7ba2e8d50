/*
 * case_kit.c - bench_case's helpers: failures, the report lines, the
 * deterministic generator, the generated content, the baselines' schema and
 * the council fixture (a store, three members, a staff session).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "bench_case.h"
#include "util.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/member.pb-c.h"

const char *const sec_scopes[3] = { "situation", "wishes", "support_plan" };

static const char pledge[] = "秘密を漏らしません。";
static const char *const all_scopes[] = { "identity", "situation", "wishes", "support_plan",
                                          "support_record", "health", "finances", "family",
                                          "child", "justice" };
static const char *const b_scopes[] = { "situation", "wishes", "support_plan" };

void ok(council *c, int rc, const char *what)
{
    if (rc != COUNCIL_OK) {
        fprintf(stderr, "bench_case: %s failed: rc %d (%s)\n", what, rc, council_errmsg(c));
        exit(1);
    }
}

void sql(sqlite3 *db, const char *s)
{
    if (sqlite3_exec(db, s, NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_case: baseline \"%.40s\" failed: %s\n", s, sqlite3_errmsg(db));
        exit(1);
    }
}

void metric(const char *name, double v, const char *unit)
{
    printf("METRIC bench_case.%s %.6g %s\n", name, v, unit);
}

void size_label(char *out, size_t n, long size)
{
    if (size >= 1000000 && size % 1000000 == 0)
        snprintf(out, n, "%ldM", size / 1000000);
    else if (size >= 1000 && size % 1000 == 0)
        snprintf(out, n, "%ldk", size / 1000);
    else
        snprintf(out, n, "%ld", size);
}

void summary(const char *row, long size, const char *figure, const char *ratio, const char *target,
             int met)
{
    char sz[32];

    size_label(sz, sizeof sz, size);
    printf("SUMMARY | %s | %s | %s | %s | %s | %s |\n", row, sz, figure, ratio, target,
           met > 0 ? "met" : met == 0 ? "below" : "-");
}

/* A small deterministic generator: the same names and dates every run. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)((rng_state >> 11) % n);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double quantile(double *v, size_t n, double q)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    return v[(size_t)(q * (double)(n - 1) + 0.5)];
}

long peak_rss_kib(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* Bytes of the regular files in a directory (not recursive). */
uint64_t dir_bytes(const char *dir)
{
    char p[512];
    struct dirent *e;
    struct stat st;
    uint64_t sum = 0;
    DIR *d = opendir(dir);

    must(d != NULL, "opendir");
    while ((e = readdir(d)) != NULL) {
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
            sum += (uint64_t)st.st_size;
    }
    closedir(d);
    return sum;
}

uint64_t file_bytes(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* Bytes this process has read and written so far through read/write
 * calls (rchar, wchar of /proc/self/io; 0 where there is none): pages of
 * the databases and their WAL, mostly. */
void io_bytes(uint64_t *rd, uint64_t *wr)
{
    char line[128];
    unsigned long long v;
    FILE *f = fopen("/proc/self/io", "r");

    *rd = *wr = 0;
    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL) {
        if (sscanf(line, "rchar: %llu", &v) == 1)
            *rd = (uint64_t)v;
        else if (sscanf(line, "wchar: %llu", &v) == 1)
            *wr = (uint64_t)v;
    }
    fclose(f);
}

uint64_t io_written(void)
{
    uint64_t r, w;

    io_bytes(&r, &w);
    return w;
}

/* The time budget: BENCH_DEADLINE (seconds since the epoch) if set, else
 * none. A stage whose projected time does not fit is not run. */
double budget_left(void)
{
    const char *d = getenv("BENCH_DEADLINE");

    if (d == NULL || *d == '\0')
        return 1e12;
    return atof(d) - (double)time(NULL);
}

double seconds_since_start(void)
{
    static double start = -1;

    if (start < 0)
        start = now();
    return now() - start;
}

/* ------------------------------------------------------------ the content */

/* 1 KiB of free text, whole UTF-8 characters, different for each i. */
void fill_text(char *buf, unsigned i)
{
    static const char *const phr[] = {
        "本人は最近外出が減り、", "近所との交流もほとんどない。", "民生委員が月に一度訪問している。",
        "食事は主にコンビニで済ませている。", "就労の意欲はあるが、体調に波がある。",
        "Prefers phone calls in the afternoon. ", "家族とは年に数回連絡を取る程度。",
    };
    size_t len = (size_t)snprintf(buf, 32, "#%u ", i);
    uint32_t x = i * 2654435761u + 1;

    for (;;) {
        const char *p;
        size_t l;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p = phr[x % (sizeof phr / sizeof *phr)];
        l = strlen(p);
        if (len + l > SEC_BYTES)
            break;
        memcpy(buf + len, p, l);
        len += l;
    }
    while (len < SEC_BYTES)
        buf[len++] = '.';
    buf[len] = '\0';
}

size_t pack_text(uint8_t *out, const char *text)
{
    Council__V1__Section s = COUNCIL__V1__SECTION__INIT;

    s.text = (char *)(uintptr_t)text;
    return council__v1__section__pack(&s, out);
}

size_t pack_identity(uint8_t *out, const char *name, const char *birth)
{
    Council__V1__Section s = COUNCIL__V1__SECTION__INIT;
    Council__V1__Identity id = COUNCIL__V1__IDENTITY__INIT;

    id.name = (char *)(uintptr_t)name;
    id.birth_date = (char *)(uintptr_t)birth;
    s.identity = &id;
    return council__v1__section__pack(&s, out);
}

/* -------------------------------------------------------------- baselines */

sqlite3 *base_open(const char *path, bool keyed)
{
    sqlite3 *db;

    must(sqlite3_open(path, &db) == SQLITE_OK, "baseline open");
    if (keyed) {
        must(sqlite3_key(db, HEXKEY, (int)strlen(HEXKEY)) == SQLITE_OK, "baseline key");
        sql(db, "PRAGMA cipher_page_size = 4096;");
    }
    sql(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
            "CREATE TABLE IF NOT EXISTS case_record (id BLOB PRIMARY KEY, owner BLOB,"
            "  status INTEGER, created INTEGER) WITHOUT ROWID;"
            "CREATE TABLE IF NOT EXISTS section (case_id BLOB, scope TEXT, body BLOB,"
            "  PRIMARY KEY (case_id, scope));"
            "CREATE TABLE IF NOT EXISTS person (kind INTEGER, key TEXT, case_id BLOB,"
            "  PRIMARY KEY (kind, key, case_id)) WITHOUT ROWID;"
            "CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY, body BLOB);");
    return db;
}

uint64_t base_bytes(sqlite3 *db, const char *path)
{
    sql(db, "PRAGMA wal_checkpoint(TRUNCATE);");
    return file_bytes(path);
}

sqlite3_stmt *prep(sqlite3 *db, const char *s)
{
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(db, s, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_case: baseline prepare failed: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    return st;
}

void step_done(sqlite3_stmt *st, const char *what)
{
    must(sqlite3_step(st) == SQLITE_DONE, what);
    sqlite3_reset(st);
}

/* ----------------------------------------------------------- the council */

static void member(council *c, uint8_t id[16], const char *name, const char *const *scopes,
                   size_t n, council_buf *kf)
{
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;

    o.name = name;
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_NPO;
    o.scopes = scopes;
    o.n_scopes = n;
    ok(c, council_member_add(c, id, 16, &o), "member_add");
    ok(c, council_member_keygen(c, kf, id, 16, (const uint8_t *)MPASS, strlen(MPASS),
                                council_kdf_opslimit_min(), council_kdf_memlimit_min()),
       "member_keygen");
}

static void fixture_open(fixture *f)
{
    council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;

    oo.passphrase = (const uint8_t *)MPASS;
    oo.passphrase_len = strlen(MPASS);
    oo.staff_id = f->sa;
    oo.staff_id_len = 16;
    oo.keyfile = f->ka.ptr;
    oo.keyfile_len = f->ka.len;
    f->s = NULL;
    if (council_open(&f->s, f->store, &oo) != COUNCIL_OK)
        ok(f->s, COUNCIL_ERROR, "staff session open");
}

void fixture_make(fixture *f, const char *dir, const char *sub)
{
    uint8_t root[COUNCIL_ROOT_KEY_BYTES];
    council_create_options co = COUNCIL_CREATE_OPTIONS_INIT;
    council *c;

    memset(f, 0, sizeof *f);
    snprintf(f->store, sizeof f->store, "%s/%s", dir, sub);
    randombytes_buf(root, sizeof root);
    memcpy(f->root, root, sizeof root);
    co.name = "bench";
    co.root_key = root;
    co.root_key_len = sizeof root;
    must(council_create(&c, f->store, &co) == COUNCIL_OK, "council_create");
    member(c, f->ma, "NPO A", all_scopes, 10, &f->ka);
    member(c, f->mb, "NPO B", b_scopes, 3, &f->kb);
    member(c, f->mc, "NPO C", all_scopes, 10, &f->kc);
    ok(c, council_staff_add(c, f->sa, 16, f->ma, 16, "相談員", NULL), "staff_add");
    ok(c, council_staff_pledge(c, f->sa, 16, 0, "v1", (const uint8_t *)pledge, strlen(pledge), NULL),
       "staff_pledge");
    council_close(c);
    fixture_open(f);
    sodium_memzero(root, sizeof root);
}

void fixture_reopen(fixture *f)
{
    council_close(f->s);
    fixture_open(f);
}

void fixture_index_widen(fixture *f, double *secs, uint32_t *width)
{
    council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
    council_index_state st;
    council *c = NULL;
    double t0;

    oo.root_key = f->root;
    oo.root_key_len = sizeof f->root;
    *secs = 0;
    if (council_open(&c, f->store, &oo) != COUNCIL_OK)
        ok(c, COUNCIL_ERROR, "secretariat open");
    ok(c, council_index_status(c, &st), "index_status");
    if (st.wanted_width > st.width || st.old_width != 0) {
        t0 = now();
        ok(c, council_index_rebuild(c, &st, 0), "index_rebuild");
        *secs = now() - t0;
    }
    *width = st.width;
    council_close(c);
}

void fixture_close(fixture *f)
{
    sodium_memzero(f->root, sizeof f->root);
    council_close(f->s);
    f->s = NULL;
    council_buf_free(&f->ka);
    council_buf_free(&f->kb);
    council_buf_free(&f->kc);
}
