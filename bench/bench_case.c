/*
 * bench_case.c - cases: creation, audited reads and blind-index lookups,
 * against baselines measured in the same run (the machines are shared and
 * noisy: read the ratios).
 *
 * Baselines: "plain" is SQLCipher opened with no key (it behaves as plain
 * SQLite; linking libsqlite3 next to libsqlcipher clashes, so bench.c does
 * the same), "sqlcipher" is SQLCipher keyed with a raw key and 4096-byte
 * pages. Both use WAL and synchronous = FULL, like the council's store.
 *
 *   create      cases in batches of 100 (council_batch_begin/commit), each
 *               case_create + three 1 KiB free-text sections (situation,
 *               wishes, support_plan) + two shares of "situation", by the
 *               owner's staff session; vs inserting the same plaintext
 *               (a case row + three 1 KiB rows) in transactions of 100 cases
 *   read 1by1   council_section_read(): one durable audit event per read;
 *               vs SQLCipher SELECT of the 1 KiB row + one durable 120-byte
 *               INSERT per read (same fsyncs), and SELECT alone
 *   read case   council_case_read(): three sections, one durable commit;
 *               vs SQLCipher SELECT of three rows + three 120-byte INSERTs
 *               in one durable transaction
 *   index       N cases (default 100,000) with an identity section (name
 *               and birth date) in batches of 100: cases/s and store size;
 *               vs SQLCipher inserting the same identity bytes + two token
 *               rows per case
 *   find        council_case_find() by name, and by name + birth date (the
 *               API has no lookup by date alone): median and p95 latency
 *               (each logs a durable event), and matches per query split
 *               into true ones (same folded name, and date, in the
 *               generated data) and collisions of the 16-bit tokens; vs
 *               SQLCipher: hash, indexed token SELECT + durable INSERT
 *
 * Every figure is also printed on a line "METRIC bench_case.<name> <value>
 * <unit>" for scripts.
 *
 * Usage: bench_case [N]     (build/bench/bench_case; `make bench`)
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council.h"
#include "util.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/member.pb-c.h"

#define HEXKEY "x'2DD29CA851E7B56E4697B0E1F08507293D761A05CE4D1B628663F411A8086D99'"
#define MPASS "member passphrase"
#define BATCH 100
#define SEC_BYTES 1024
#define LOG_ROW 120 /* about an audit event's size, as in bench_audit */

static const char pledge[] = "秘密を漏らしません。";
static const char *const all_scopes[] = { "identity", "situation", "wishes", "support_plan",
                                          "support_record", "health", "finances", "family",
                                          "child", "justice" };
static const char *const b_scopes[] = { "situation", "wishes", "support_plan" };
static const char *const sec_scopes[3] = { "situation", "wishes", "support_plan" };

/* ---------------------------------------------------------------- helpers */

static void ok(council *c, int rc, const char *what)
{
    if (rc != COUNCIL_OK) {
        fprintf(stderr, "bench_case: %s failed: rc %d (%s)\n", what, rc, council_errmsg(c));
        exit(1);
    }
}

static void sql(sqlite3 *db, const char *s)
{
    if (sqlite3_exec(db, s, NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_case: baseline \"%.40s\" failed: %s\n", s, sqlite3_errmsg(db));
        exit(1);
    }
}

static void metric(const char *name, double v, const char *unit)
{
    printf("METRIC bench_case.%s %.6g %s\n", name, v, unit);
}

/* A small deterministic generator: the same names and dates every run. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t rnd(uint32_t n)
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

static double quantile(double *v, size_t n, double q)
{
    qsort(v, n, sizeof *v, cmp_double);
    return v[(size_t)(q * (double)(n - 1) + 0.5)];
}

static long peak_rss_kib(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* Bytes of the regular files in a directory (not recursive). */
static uint64_t dir_bytes(const char *dir)
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

static uint64_t file_bytes(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* ------------------------------------------------------------ the content */

/* 1 KiB of free text, whole UTF-8 characters, different for each i. */
static void fill_text(char *buf, unsigned i)
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

static size_t pack_text(uint8_t *out, const char *text)
{
    Council__V1__Section s = COUNCIL__V1__SECTION__INIT;

    s.text = (char *)(uintptr_t)text;
    return council__v1__section__pack(&s, out);
}

static size_t pack_identity(uint8_t *out, const char *name, const char *birth)
{
    Council__V1__Section s = COUNCIL__V1__SECTION__INIT;
    Council__V1__Identity id = COUNCIL__V1__IDENTITY__INIT;

    id.name = (char *)(uintptr_t)name;
    id.birth_date = (char *)(uintptr_t)birth;
    s.identity = &id;
    return council__v1__section__pack(&s, out);
}

/* Random-ish names: two-kanji surname + two-kanji given name (an ASCII or
 * ideographic space between, or none), or latin "Surname Given" in varying
 * case. `key` gets the name as the library folds it here (lower case, no
 * spaces), to count true matches. Birth dates 1930-01-01..2009-12-31. */
static void make_person(char *name, size_t nn, char *key, size_t kn, char *birth, int *day)
{
    static const char *const sur[] = {
        "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
        "吉田", "山田", "佐々", "山口", "松本", "井上", "木村", "清水", "山崎", "森田",
        "池田", "橋本", "阿部", "石川", "山下", "中島", "石井", "小川", "前田", "岡田",
        "長谷", "藤田", "後藤", "近藤", "村上", "遠藤", "青木", "坂本", "斉藤", "福田",
        "太田", "西村", "藤井", "金子", "岡本", "藤原", "中野", "三浦", "原田", "松田",
        "竹内", "小野", "田村", "中山", "和田", "石田", "上田", "森本", "酒井", "工藤",
    };
    static const char *const g1[] = {
        "健", "翔", "大", "陽", "悠", "蓮", "湊", "蒼", "樹", "颯", "美", "結", "愛", "花",
        "優", "彩", "真", "由", "恵", "智", "和", "幸", "正", "清", "明", "秀", "光", "春",
        "夏", "秋", "冬", "雪", "月", "千", "百", "久", "直", "達", "浩", "博",
    };
    static const char *const g2[] = {
        "太", "介", "斗", "人", "也", "平", "輔", "郎", "司", "一", "子", "美", "奈", "香",
        "菜", "乃", "代", "江", "恵", "枝", "里", "沙", "希", "衣", "音", "葉", "穂", "実",
        "彦", "雄", "夫", "男", "治", "次", "三", "吾", "朗", "生", "志", "之",
    };
    static const char *const lsur[] = {
        "Smith", "Garcia", "Nguyen", "Kim", "Silva", "Santos", "Muller", "Rossi", "Chen",
        "Wang", "Lee", "Park", "Tanaka", "Sato", "Suzuki", "Cruz", "Reyes", "Lopez",
        "Dubois", "Novak", "Kowalski", "Jensen", "Ivanov", "Haddad", "Costa", "Pereira",
        "Okafor", "Mensah", "Khan", "Ali",
    };
    static const char *const syl[] = { "ka", "ri", "na", "to", "mi", "ra", "el", "an",
                                       "so", "lu", "be", "da", "jo", "ne", "vi" };
    static const char *const sep[] = { " ", "\xE3\x80\x80", "" };
    size_t k = 0;
    time_t t;
    struct tm tm;

    if (rnd(5) != 0) {
        snprintf(name, nn, "%s%s%s%s", sur[rnd(60)], sep[rnd(3)], g1[rnd(40)], g2[rnd(40)]);
    } else {
        char given[16], s[16];
        int up = (int)rnd(3); /* 0 as written, 1 upper surname, 2 all lower */
        snprintf(s, sizeof s, "%s", lsur[rnd(30)]);
        snprintf(given, sizeof given, "%s%s%s", syl[rnd(15)], syl[rnd(15)], syl[rnd(15)]);
        given[0] = (char)(given[0] - 'a' + 'A');
        for (char *p = s; *p && up > 0; p++)
            *p = (char)(up == 1 ? (*p >= 'a' ? *p - 'a' + 'A' : *p) : (*p < 'a' ? *p - 'A' + 'a' : *p));
        if (up == 2)
            given[0] = (char)(given[0] - 'A' + 'a');
        snprintf(name, nn, "%s %s", s, given);
    }
    for (const char *p = name; *p && k + 1 < kn; p++) {
        if (*p == ' ')
            continue;
        if (strncmp(p, "\xE3\x80\x80", 3) == 0) {
            p += 2;
            continue;
        }
        key[k++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
    }
    key[k] = '\0';
    *day = (int)rnd(29220); /* 80 years of days */
    t = (time_t)(-40L * 365 * 86400 - 10L * 86400) + (time_t)*day * 86400; /* 1930-01-01 */
    gmtime_r(&t, &tm);
    strftime(birth, 11, "%Y-%m-%d", &tm);
}

/* -------------------------------------------------------------- baselines */

static sqlite3 *base_open(const char *path, bool keyed)
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
            "  PRIMARY KEY (case_id, scope)) WITHOUT ROWID;"
            "CREATE TABLE IF NOT EXISTS blind (kind INTEGER, token INTEGER, case_id BLOB,"
            "  PRIMARY KEY (kind, token, case_id)) WITHOUT ROWID;"
            "CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY, body BLOB);");
    return db;
}

static sqlite3_stmt *prep(sqlite3 *db, const char *s)
{
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(db, s, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_case: baseline prepare failed: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    return st;
}

static void step_done(sqlite3_stmt *st, const char *what)
{
    must(sqlite3_step(st) == SQLITE_DONE, what);
    sqlite3_reset(st);
}

/* Phase 1 baseline: cases [from, to) (a row + three 1 KiB rows) in one
 * transaction; ids[] receives the case ids. Returns the seconds taken. */
static double base_create(sqlite3 *db, int from, int to, uint8_t (*ids)[16])
{
    static const uint8_t owner[16] = { 1 };
    sqlite3_stmt *ic = prep(db, "INSERT INTO case_record VALUES (?1, ?2, 1, ?3);");
    sqlite3_stmt *is = prep(db, "INSERT INTO section VALUES (?1, ?2, ?3);");
    char text[SEC_BYTES + 1];
    double t = now();

    sql(db, "BEGIN;");
    for (int i = from; i < to; i++) {
        randombytes_buf(ids[i], 16);
        sqlite3_bind_blob(ic, 1, ids[i], 16, SQLITE_STATIC);
        sqlite3_bind_blob(ic, 2, owner, 16, SQLITE_STATIC);
        sqlite3_bind_int64(ic, 3, (sqlite3_int64)time(NULL));
        step_done(ic, "baseline case insert");
        for (int s = 0; s < 3; s++) {
            fill_text(text, (unsigned)(i * 3 + s));
            sqlite3_bind_blob(is, 1, ids[i], 16, SQLITE_STATIC);
            sqlite3_bind_text(is, 2, sec_scopes[s], -1, SQLITE_STATIC);
            sqlite3_bind_blob(is, 3, text, SEC_BYTES, SQLITE_STATIC);
            step_done(is, "baseline section insert");
        }
    }
    sql(db, "COMMIT;");
    t = now() - t;
    sqlite3_finalize(ic);
    sqlite3_finalize(is);
    return t;
}

/* Phase 2 baseline, reads [from, to). per_case false: one section per
 * read, SELECT + (if durable) one 120-byte INSERT in its own transaction;
 * per_case true: the three sections of a case and three INSERTs in one
 * transaction. Adds the sections read to *sections; returns the seconds. */
static double base_read(sqlite3 *db, uint8_t (*ids)[16], int ncases, int from, int to,
                        bool durable, bool per_case, size_t *sections)
{
    sqlite3_stmt *q1 = prep(db, "SELECT body FROM section WHERE case_id = ?1 AND scope = ?2;");
    sqlite3_stmt *q3 = prep(db, "SELECT scope, body FROM section WHERE case_id = ?1;");
    sqlite3_stmt *il = prep(db, "INSERT INTO log (body) VALUES (?1);");
    uint8_t row[LOG_ROW], copy[SEC_BYTES];
    double t;

    randombytes_buf(row, sizeof row);
    t = now();
    for (int i = from; i < to; i++) {
        const uint8_t *id = ids[(i * 7) % ncases];
        int got = 0;
        if (durable)
            sql(db, "BEGIN;");
        if (!per_case) {
            sqlite3_bind_blob(q1, 1, id, 16, SQLITE_STATIC);
            sqlite3_bind_text(q1, 2, sec_scopes[i % 3], -1, SQLITE_STATIC);
            while (sqlite3_step(q1) == SQLITE_ROW) {
                memcpy(copy, sqlite3_column_blob(q1, 0), (size_t)sqlite3_column_bytes(q1, 0));
                got++;
            }
            sqlite3_reset(q1);
        } else {
            sqlite3_bind_blob(q3, 1, id, 16, SQLITE_STATIC);
            while (sqlite3_step(q3) == SQLITE_ROW) {
                memcpy(copy, sqlite3_column_blob(q3, 1), (size_t)sqlite3_column_bytes(q3, 1));
                got++;
            }
            sqlite3_reset(q3);
        }
        must(got == (per_case ? 3 : 1), "baseline select");
        *sections += (size_t)got;
        if (durable) {
            for (int k = 0; k < got; k++) {
                sqlite3_bind_blob(il, 1, row, sizeof row, SQLITE_STATIC);
                step_done(il, "baseline log insert");
            }
            sql(db, "COMMIT;");
        }
    }
    t = now() - t;
    sqlite3_finalize(q1);
    sqlite3_finalize(q3);
    sqlite3_finalize(il);
    return t;
}

/* A 16-bit token of a name, or of a name and birth date: the baseline's
 * stand-in for the blind index. */
static uint32_t token16(int kind, const char *name, const char *birth)
{
    uint8_t h[16], k[16] = { (uint8_t)kind };
    crypto_generichash_state st;

    crypto_generichash_init(&st, k, sizeof k, sizeof h);
    crypto_generichash_update(&st, (const uint8_t *)name, strlen(name) + 1);
    if (birth != NULL)
        crypto_generichash_update(&st, (const uint8_t *)birth, strlen(birth));
    crypto_generichash_final(&st, h, sizeof h);
    return (uint32_t)h[0] << 8 | h[1];
}

/* ----------------------------------------------------------- the council */

typedef struct fixture {
    char store[256];
    uint8_t ma[16], mb[16], mc[16], sa[16];
    council_buf ka, kb, kc;
    council *s; /* staff session of member A, which owns the cases */
} fixture;

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

static void fixture_make(fixture *f, const char *dir, const char *sub)
{
    uint8_t root[COUNCIL_ROOT_KEY_BYTES];
    council_create_options co = COUNCIL_CREATE_OPTIONS_INIT;
    council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
    council *c;

    memset(f, 0, sizeof *f);
    snprintf(f->store, sizeof f->store, "%s/%s", dir, sub);
    randombytes_buf(root, sizeof root);
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
    oo.passphrase = (const uint8_t *)MPASS;
    oo.passphrase_len = strlen(MPASS);
    oo.staff_id = f->sa;
    oo.staff_id_len = 16;
    oo.keyfile = f->ka.ptr;
    oo.keyfile_len = f->ka.len;
    f->s = NULL;
    if (council_open(&f->s, f->store, &oo) != COUNCIL_OK)
        ok(f->s, COUNCIL_ERROR, "staff session open");
    sodium_memzero(root, sizeof root);
}

static void fixture_close(fixture *f)
{
    council_close(f->s);
    f->s = NULL;
    council_buf_free(&f->ka);
    council_buf_free(&f->kb);
    council_buf_free(&f->kc);
}

/* Phase 1: cases [from, to) in one batch; cids/pids receive the ids.
 * Returns the seconds taken. */
static double council_create_cases(fixture *f, int from, int to, uint8_t (*cids)[16],
                                   uint8_t (*pids)[16])
{
    council_case_options co = COUNCIL_CASE_OPTIONS_INIT;
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    const char *share_scope[1] = { "situation" };
    char text[SEC_BYTES + 1];
    uint8_t sec[SEC_BYTES + 16];
    double t;

    so.scopes = share_scope;
    so.n_scopes = 1;
    so.purpose = "support_coordination";
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "要保護の判断のため";
    t = now();
    ok(f->s, council_batch_begin(f->s), "batch_begin");
    for (int i = from; i < to; i++) {
        ok(f->s, council_case_create(f->s, cids[i], 16, pids[i], 16, &co), "case_create");
        for (int s = 0; s < 3; s++) {
            size_t len;
            fill_text(text, (unsigned)(i * 3 + s));
            len = pack_text(sec, text);
            ok(f->s, council_section_write(f->s, NULL, cids[i], 16, pids[i], 16, sec_scopes[s],
                                           sec, len), "section_write");
        }
        ok(f->s, council_case_share(f->s, cids[i], 16, f->mb, 16, &so), "case_share B");
        ok(f->s, council_case_share(f->s, cids[i], 16, f->mc, 16, &so), "case_share C");
    }
    ok(f->s, council_batch_commit(f->s), "batch_commit");
    return now() - t;
}

/* Phase 2 (a): reads [from, to), one council_section_read() each.
 * Returns the seconds taken. */
static double council_read_each(fixture *f, uint8_t (*cids)[16], uint8_t (*pids)[16], int ncases,
                                int from, int to)
{
    double t = now();

    for (int i = from; i < to; i++) {
        int k = (i * 7) % ncases;
        council_buf out = { NULL, 0 };
        ok(f->s, council_section_read(f->s, &out, cids[k], 16, pids[k], 16, sec_scopes[i % 3],
                                      "support_coordination"), "section_read");
        must(out.len > SEC_BYTES, "section_read output");
        council_buf_free(&out);
    }
    return now() - t;
}

/* Phase 2 (b): council_case_read() of cases [from, to) (by the same walk).
 * Adds the sections read to *sections; returns the seconds taken. */
static double council_read_cases(fixture *f, uint8_t (*cids)[16], int ncases, int from, int to,
                                 size_t *sections)
{
    double t = now();

    for (int i = from; i < to; i++) {
        int k = (i * 7) % ncases;
        council_buf out = { NULL, 0 };
        Council__V1__CaseContent *m;
        ok(f->s, council_case_read(f->s, &out, cids[k], 16, "support_coordination"), "case_read");
        m = council__v1__case_content__unpack(NULL, out.len, out.ptr);
        must(m != NULL && m->n_sections == 3, "case_read output");
        *sections += m->n_sections;
        council__v1__case_content__free_unpacked(m, NULL);
        council_buf_free(&out);
    }
    return now() - t;
}

/* ------------------------------------------------------------ the index */

typedef struct person {
    char name[64], key[64], birth[11];
    int day;
    uint8_t cid[16];
} person;

static person *people;

static int cmp_key(const void *a, const void *b)
{
    const person *x = *(person *const *)a, *y = *(person *const *)b;
    int r = strcmp(x->key, y->key);
    return r != 0 ? r : (x->day > y->day) - (x->day < y->day);
}

/* True matches in the generated data (sorted views by key and by day). */
typedef struct truth {
    person **by_key;
    int n;
} truth;

static int true_matches(const truth *tr, const person *q, int mode)
{
    int lo = 0, hi = tr->n, cnt = 0;

    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (strcmp(tr->by_key[mid]->key, q->key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (int i = lo; i < tr->n && strcmp(tr->by_key[i]->key, q->key) == 0; i++)
        if (mode == 0 || tr->by_key[i]->day == q->day)
            cnt++;
    return cnt;
}

/* Lookup latencies and match counts, gathered over several rounds. */
typedef struct lookups {
    double *lat;
    int n;
    double matches, truem;
} lookups;

typedef struct lookup {
    double median, p95, matches, truem;
} lookup;

/* council_case_find() by name, and by name narrowed by the birth date
 * (there is no lookup by birth date alone: its token would all but reveal
 * the date). */
#define NMODES 2
static const char *const mode_name[NMODES] = { "name", "name_birth" };

static void lookups_init(lookups *l, int q)
{
    memset(l, 0, sizeof *l);
    l->lat = malloc((size_t)q * sizeof *l->lat);
    must(l->lat != NULL, "malloc");
}

static lookup lookups_done(lookups *l)
{
    lookup r;

    r.median = quantile(l->lat, (size_t)l->n, 0.5);
    r.p95 = quantile(l->lat, (size_t)l->n, 0.95);
    r.matches = l->matches / l->n;
    r.truem = l->truem / l->n;
    free(l->lat);
    return r;
}

/* `count` council_case_find() calls for random persons of the n indexed. */
static void council_lookups(fixture *f, const truth *tr, int n, int count, int mode, lookups *acc)
{
    for (int i = 0; i < count; i++) {
        const person *p = &people[rnd((uint32_t)n)];
        council_buf out = { NULL, 0 };
        Council__V1__CaseMatches *m;
        bool self = false;
        double t = now();
        ok(f->s, council_case_find(f->s, &out, p->name, mode == 0 ? NULL : p->birth), "case_find");
        acc->lat[acc->n++] = now() - t;
        m = council__v1__case_matches__unpack(NULL, out.len, out.ptr);
        must(m != NULL, "case_find output");
        for (size_t k = 0; k < m->n_matches; k++)
            self |= m->matches[k]->case_id.len == 16 &&
                    memcmp(m->matches[k]->case_id.data, p->cid, 16) == 0;
        acc->matches += (double)m->n_matches;
        council__v1__case_matches__free_unpacked(m, NULL);
        council_buf_free(&out);
        if (!self) {
            fprintf(stderr, "bench_case: case_find by %s missed a case it holds (%s, %s)\n",
                    mode_name[mode], p->name, p->birth);
            exit(1);
        }
        acc->truem += true_matches(tr, p, mode);
    }
}

/* Baseline index: cases [from, to) in one transaction, each a case row, the
 * same identity bytes and two token rows. Returns the seconds taken. */
static double base_index(sqlite3 *db, int from, int to)
{
    static const uint8_t owner[16] = { 1 };
    sqlite3_stmt *ic = prep(db, "INSERT INTO case_record VALUES (?1, ?2, 1, ?3);");
    sqlite3_stmt *is = prep(db, "INSERT INTO section VALUES (?1, 'identity', ?2);");
    sqlite3_stmt *ib = prep(db, "INSERT OR IGNORE INTO blind VALUES (?1, ?2, ?3);");
    uint8_t sec[256], id[16];
    double t = now();

    sql(db, "BEGIN;");
    for (int i = from; i < to; i++) {
        size_t len = pack_identity(sec, people[i].name, people[i].birth);
        randombytes_buf(id, sizeof id);
        sqlite3_bind_blob(ic, 1, id, 16, SQLITE_STATIC);
        sqlite3_bind_blob(ic, 2, owner, 16, SQLITE_STATIC);
        sqlite3_bind_int64(ic, 3, (sqlite3_int64)time(NULL));
        step_done(ic, "baseline case insert");
        sqlite3_bind_blob(is, 1, id, 16, SQLITE_STATIC);
        sqlite3_bind_blob(is, 2, sec, (int)len, SQLITE_STATIC);
        step_done(is, "baseline identity insert");
        for (int k = 1; k <= 2; k++) {
            sqlite3_bind_int(ib, 1, k);
            sqlite3_bind_int64(ib, 2, token16(k, people[i].key, k == 1 ? NULL : people[i].birth));
            sqlite3_bind_blob(ib, 3, id, 16, SQLITE_STATIC);
            step_done(ib, "baseline token insert");
        }
    }
    sql(db, "COMMIT;");
    t = now() - t;
    sqlite3_finalize(ic);
    sqlite3_finalize(is);
    sqlite3_finalize(ib);
    return t;
}

/* Baseline lookups by name: hash, indexed SELECT joined to the case rows,
 * and one durable 120-byte INSERT (council_case_find() logs durably). */
static void base_lookups(sqlite3 *db, int n, int count, lookups *acc)
{
    sqlite3_stmt *qs = prep(db, "SELECT c.id FROM blind b JOIN case_record c ON c.id = b.case_id"
                                " WHERE b.kind = 1 AND b.token = ?1;");
    sqlite3_stmt *il = prep(db, "INSERT INTO log (body) VALUES (?1);");
    uint8_t row[LOG_ROW];

    randombytes_buf(row, sizeof row);
    for (int i = 0; i < count; i++) {
        const person *p = &people[rnd((uint32_t)n)];
        double t = now();
        int got = 0;
        sql(db, "BEGIN;");
        sqlite3_bind_blob(il, 1, row, sizeof row, SQLITE_STATIC);
        step_done(il, "baseline log insert");
        sqlite3_bind_int64(qs, 1, token16(1, p->key, NULL));
        while (sqlite3_step(qs) == SQLITE_ROW)
            got++;
        sqlite3_reset(qs);
        sql(db, "COMMIT;");
        acc->lat[acc->n++] = now() - t;
        must(got >= 1, "baseline lookup");
        acc->matches += got;
    }
    sqlite3_finalize(qs);
    sqlite3_finalize(il);
}

/* Build the index: cases [from, to) in one batch, each with an identity
 * section. Returns the seconds taken. */
static double council_index(fixture *f, int from, int to)
{
    council_case_options co = COUNCIL_CASE_OPTIONS_INIT;
    uint8_t sec[256], pid[16];
    double t = now();

    ok(f->s, council_batch_begin(f->s), "batch_begin");
    for (int i = from; i < to; i++) {
        size_t len = pack_identity(sec, people[i].name, people[i].birth);
        ok(f->s, council_case_create(f->s, people[i].cid, 16, pid, 16, &co), "case_create");
        ok(f->s, council_section_write(f->s, NULL, people[i].cid, 16, pid, 16, "identity", sec, len),
           "section_write identity");
    }
    ok(f->s, council_batch_commit(f->s), "batch_commit");
    return now() - t;
}

/* ------------------------------------------------------------------ main */

#define ROUNDS 5 /* reads and lookups alternate with their baseline in rounds */

static int min_int(int a, int b)
{
    return a < b ? a : b;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 100000;
    int n1 = 1000, reads = 300, q = 1000;
    char dir[] = "/tmp/council-bench-case-XXXXXX", plain[256], keyed[256], bidx[256];
    uint8_t (*cids)[16], (*pids)[16], (*bids)[16];
    double tc_plain = 0, tc_keyed = 0, tc_council = 0, c_plain, c_keyed, c_council;
    double tr_sel = 0, tr_dur = 0, tr_bat = 0, tr_each = 0, tr_case = 0;
    double r_sel, r_dur, r_bat, r_each, r_case;
    double ti_base = 0, ti_council = 0, i_base, i_council;
    double tf_base = 0, tf_council = 0, tl_base = 0, tl_council = 0; /* first, last tenth */
    int tenth;
    size_t s_sel = 0, s_dur = 0, s_bat = 0, s_case = 0;
    lookups lab, lac[NMODES];
    lookup lb, lc[NMODES];
    uint64_t s_council, s_base;
    long rss1, rss3;
    sqlite3 *dp, *dk;
    truth tr;
    fixture f;

    if (n < 1000)
        n = 1000;
    if (n1 > n)
        n1 = n;
    must(council_global_init() == COUNCIL_OK, "init");
    must(mkdtemp(dir) != NULL, "mkdtemp");
    snprintf(plain, sizeof plain, "%s/plain.db", dir);
    snprintf(keyed, sizeof keyed, "%s/keyed.db", dir);
    snprintf(bidx, sizeof bidx, "%s/index.db", dir);
    cids = calloc((size_t)n1, 16);
    pids = calloc((size_t)n1, 16);
    bids = calloc((size_t)n1, 16);
    people = calloc((size_t)n, sizeof *people);
    must(cids && pids && bids && people, "calloc");

    /* 1. creation: each batch of 100 in plain, SQLCipher and the council in
     * turn, so that all three see the same moments of a noisy machine */
    fixture_make(&f, dir, "store");
    dp = base_open(plain, false);
    dk = base_open(keyed, true);
    for (int i = 0; i < n1; i += BATCH) {
        int e = min_int(i + BATCH, n1);
        tc_plain += base_create(dp, i, e, bids);
        tc_keyed += base_create(dk, i, e, bids);
        tc_council += council_create_cases(&f, i, e, cids, pids);
    }
    sqlite3_close(dp);
    c_plain = n1 / tc_plain;
    c_keyed = n1 / tc_keyed;
    c_council = n1 / tc_council;

    /* 2. reads, against the SQLCipher database of step 1, in rounds */
    for (int r = 0; r < ROUNDS; r++) {
        int a = reads * r / ROUNDS, b = reads * (r + 1) / ROUNDS;
        tr_sel += base_read(dk, bids, n1, a * 10, b * 10, false, false, &s_sel);
        tr_dur += base_read(dk, bids, n1, a, b, true, false, &s_dur);
        tr_each += council_read_each(&f, cids, pids, n1, a, b);
        tr_bat += base_read(dk, bids, n1, a, b, true, true, &s_bat);
        tr_case += council_read_cases(&f, cids, n1, a, b, &s_case);
    }
    sqlite3_close(dk);
    fixture_close(&f);
    r_sel = (double)s_sel / tr_sel;
    r_dur = (double)s_dur / tr_dur;
    r_each = reads / tr_each;
    r_bat = (double)s_bat / tr_bat;
    r_case = (double)s_case / tr_case;
    rss1 = peak_rss_kib();

    /* 3. the blind index, in a store of its own, batch by batch with its
     * baseline; then lookups in rounds */
    for (int i = 0; i < n; i++)
        make_person(people[i].name, sizeof people[i].name, people[i].key, sizeof people[i].key,
                    people[i].birth, &people[i].day);
    tr.n = n;
    tr.by_key = malloc((size_t)n * sizeof *tr.by_key);
    must(tr.by_key != NULL, "malloc");
    for (int i = 0; i < n; i++) {
        tr.by_key[i] = &people[i];
    }
    qsort(tr.by_key, (size_t)n, sizeof *tr.by_key, cmp_key);
    fixture_make(&f, dir, "index");
    dk = base_open(bidx, true);
    tenth = n / 10 / BATCH * BATCH;
    for (int i = 0; i < n; i += BATCH) {
        int e = min_int(i + BATCH, n);
        double tb = base_index(dk, i, e), tc = council_index(&f, i, e);
        ti_base += tb;
        ti_council += tc;
        if (e <= tenth) {
            tf_base += tb;
            tf_council += tc;
        }
        if (i >= n - tenth) {
            tl_base += tb;
            tl_council += tc;
        }
        if (e % tenth == 0) /* long runs: show progress */
            fprintf(stderr, "bench_case: index %d/%d cases, %.0f s\n", e, n, ti_base + ti_council);
    }
    i_base = n / ti_base;
    i_council = n / ti_council;
    lookups_init(&lab, q);
    for (int m = 0; m < NMODES; m++)
        lookups_init(&lac[m], q);
    for (int r = 0; r < ROUNDS; r++) {
        int cnt = q * (r + 1) / ROUNDS - q * r / ROUNDS;
        base_lookups(dk, n, cnt, &lab);
        for (int m = 0; m < NMODES; m++)
            council_lookups(&f, &tr, n, cnt, m, &lac[m]);
    }
    lb = lookups_done(&lab);
    for (int m = 0; m < NMODES; m++)
        lc[m] = lookups_done(&lac[m]);
    sqlite3_close(dk);
    fixture_close(&f);
    s_base = file_bytes(bidx);
    s_council = dir_bytes(f.store);
    rss3 = peak_rss_kib();

    /* report */
    printf("bench_case: %d cases created, %d reads; blind index of %d cases, %d lookups each\n",
           n1, reads, n, q);
    printf("  create (batch %d: case + 3 x 1 KiB sections + 2 shares)\n", BATCH);
    printf("    plain           %9.0f cases/s   1.00x\n", c_plain);
    printf("    sqlcipher       %9.0f cases/s  %5.2fx plain\n", c_keyed, c_plain / c_keyed);
    printf("    council         %9.0f cases/s  %5.2fx plain  %5.2fx sqlcipher  (slower by)\n",
           c_council, c_plain / c_council, c_keyed / c_council);
    printf("  audited reads (1 KiB sections)\n");
    printf("    sqlcipher SELECT alone          %9.0f sections/s\n", r_sel);
    printf("    sqlcipher SELECT + durable row  %9.0f sections/s  (one durable txn per read)\n",
           r_dur);
    printf("    council_section_read, durable   %9.0f sections/s  %5.2fx sqlcipher SELECT + durable"
           " row (slower by)\n", r_each, r_dur / r_each);
    printf("    sqlcipher 3 SELECTs + 3 rows    %9.0f sections/s  (one durable txn per case)\n", r_bat);
    printf("    council_case_read (3 sections)  %9.0f sections/s  %5.2fx sqlcipher same (slower by)\n",
           r_case, r_bat / r_case);
    printf("  blind index, %d cases (identity section: name + birth date)\n", n);
    printf("    build  sqlcipher %9.0f cases/s\n", i_base);
    printf("    build  council   %9.0f cases/s  %5.2fx sqlcipher (slower by); %.1f s in all\n",
           i_council, i_base / i_council, ti_council);
    printf("    first 10%%        %9.0f cases/s council, %.0f sqlcipher; last 10%%: %.0f council, %.0f"
           " sqlcipher\n", tenth / tf_council, tenth / tf_base, tenth / tl_council, tenth / tl_base);
    printf("    store  council   %9.1f MB (%.0f bytes/case)  %5.2fx sqlcipher's %.1f MB\n",
           (double)s_council / 1e6, (double)s_council / n, (double)s_council / (double)s_base,
           (double)s_base / 1e6);
    printf("    find                    median       p95   matches/query = true + token collisions\n");
    printf("      %-18s %7.0f us %7.0f us  %5.2f  (hash + SELECT + durable row)\n", "sqlcipher name",
           lb.median * 1e6, lb.p95 * 1e6, lb.matches);
    for (int m = 0; m < NMODES; m++) {
        char label[32];
        snprintf(label, sizeof label, "council %s", mode_name[m]);
        printf("      %-18s %7.0f us %7.0f us  %5.2f = %.2f + %.2f   median %5.2fx sqlcipher name\n",
               label, lc[m].median * 1e6, lc[m].p95 * 1e6, lc[m].matches, lc[m].truem,
               lc[m].matches - lc[m].truem, lc[m].median / lb.median);
    }
    printf("  peak RSS  %ld KiB after creation and reads, %ld KiB at the end\n\n", rss1, rss3);
    metric("create.plain", c_plain, "cases/s");
    metric("create.sqlcipher", c_keyed, "cases/s");
    metric("create.council", c_council, "cases/s");
    metric("create.ratio_plain", c_plain / c_council, "x");
    metric("create.ratio_sqlcipher", c_keyed / c_council, "x");
    metric("read.sqlcipher_select", r_sel, "sections/s");
    metric("read.sqlcipher_durable", r_dur, "sections/s");
    metric("read.council_each", r_each, "sections/s");
    metric("read.council_each.ratio_sqlcipher_durable", r_dur / r_each, "x");
    metric("read.sqlcipher_case", r_bat, "sections/s");
    metric("read.council_case", r_case, "sections/s");
    metric("read.council_case.ratio_sqlcipher_case", r_bat / r_case, "x");
    metric("index.cases", n, "cases");
    metric("index.build.sqlcipher", i_base, "cases/s");
    metric("index.build.council", i_council, "cases/s");
    metric("index.build.ratio_sqlcipher", i_base / i_council, "x");
    metric("index.build.council.first_tenth", tenth / tf_council, "cases/s");
    metric("index.build.council.last_tenth", tenth / tl_council, "cases/s");
    metric("index.build.sqlcipher.first_tenth", tenth / tf_base, "cases/s");
    metric("index.build.sqlcipher.last_tenth", tenth / tl_base, "cases/s");
    metric("index.store.council", (double)s_council, "bytes");
    metric("index.store.sqlcipher", (double)s_base, "bytes");
    metric("index.store.ratio_sqlcipher", (double)s_council / (double)s_base, "x");
    metric("find.sqlcipher.median", lb.median * 1e6, "us");
    metric("find.sqlcipher.p95", lb.p95 * 1e6, "us");
    for (int m = 0; m < NMODES; m++) {
        char k[64];
        snprintf(k, sizeof k, "find.%s.median", mode_name[m]);
        metric(k, lc[m].median * 1e6, "us");
        snprintf(k, sizeof k, "find.%s.p95", mode_name[m]);
        metric(k, lc[m].p95 * 1e6, "us");
        snprintf(k, sizeof k, "find.%s.ratio_sqlcipher", mode_name[m]);
        metric(k, lc[m].median / lb.median, "x");
        snprintf(k, sizeof k, "find.%s.matches", mode_name[m]);
        metric(k, lc[m].matches, "per_query");
        snprintf(k, sizeof k, "find.%s.true_matches", mode_name[m]);
        metric(k, lc[m].truem, "per_query");
    }
    metric("rss.peak_after_reads", (double)rss1, "KiB");
    metric("rss.peak", (double)rss3, "KiB");

    free(cids);
    free(pids);
    free(bids);
    free(people);
    free(tr.by_key);
    {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        must(system(cmd) == 0, "cleanup");
    }
    return 0;
}
