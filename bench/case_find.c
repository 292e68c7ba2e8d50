/*
 * case_find.c - bench_case rows 5 and 8: the blind index. A store of cases
 * that each hold an identity section (name and birth date: two blind-index
 * tokens) grows batch by batch with its baseline through the sizes main()
 * asks for; at each size, council_case_find() by name and by name narrowed
 * by the birth date, in rounds with the baseline:
 *   baseline  SQLCipher: a case row, the same identity bytes and two
 *             plaintext index rows (the folded name; the name and date) per
 *             case; a lookup is an indexed SELECT of the folded name joined
 *             to the case rows, and one durable 120-byte INSERT (as
 *             council_case_find() logs durably)
 * The store is built the fastest way the public API allows: batches of
 * `batch` cases, each case_create + its identity section, nothing else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "bench_case.h"
#include "util.h"
#include "council/v1/case.pb-c.h"

typedef struct person {
    char name[48], key[48], birth[11];
    int day;
    uint8_t cid[16];
} person;

#define NMODES 2
static const char *const mode_name[NMODES] = { "name", "name_birth" };

typedef struct find_level_fig {
    long size;
    bool run;
    double projected;
    double w_cases, t_council, t_base; /* the build window before the size */
    double med_base, p95_base, m_base;
    double med[NMODES], p95[NMODES], matches[NMODES], truem[NMODES];
    uint64_t b_council, b_base;
    double build_secs;
    double widen_secs; /* council_index_rebuild before the lookups (0: none due) */
    uint32_t width;    /* the index's token width at the lookups */
} find_level_fig;

struct find_state {
    char path[300];
    fixture f;
    sqlite3 *db;
    person *people;
    person **by_key; /* people[0..have) sorted by folded name, then day */
    long cap, have, batch;
    int q;
    double per_case_wall, lookup_secs, build_wall;
    uint32_t width; /* the index's token width after the last size (16 at first) */
    find_level_fig lv[MAX_LEVELS];
    int nlv;
};

/* The persons' own generator: the same names and dates every run, however
 * many lookups draw from rnd() between the sizes. */
static uint32_t prnd(uint32_t n)
{
    static uint64_t x = 0x9E3779B97F4A7C15u;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return (uint32_t)((x >> 11) % n);
}

/* Random-ish names: two-kanji surname + two-kanji given name (an ASCII or
 * ideographic space between, or none), or latin "Surname Given" in varying
 * case. `key` gets the name as the library folds it here (lower case, no
 * spaces), to count true matches. Birth dates 1930-01-01..2009-12-31. */
static void make_person(person *p)
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

    if (prnd(5) != 0) {
        snprintf(p->name, sizeof p->name, "%s%s%s%s", sur[prnd(60)], sep[prnd(3)], g1[prnd(40)],
                 g2[prnd(40)]);
    } else {
        char given[16], s[16];
        int up = (int)prnd(3); /* 0 as written, 1 upper surname, 2 all lower */
        snprintf(s, sizeof s, "%s", lsur[prnd(30)]);
        snprintf(given, sizeof given, "%s%s%s", syl[prnd(15)], syl[prnd(15)], syl[prnd(15)]);
        given[0] = (char)(given[0] - 'a' + 'A');
        for (char *c = s; *c && up > 0; c++)
            *c = (char)(up == 1 ? (*c >= 'a' ? *c - 'a' + 'A' : *c) : (*c < 'a' ? *c - 'A' + 'a' : *c));
        if (up == 2)
            given[0] = (char)(given[0] - 'A' + 'a');
        snprintf(p->name, sizeof p->name, "%s %s", s, given);
    }
    for (const char *c = p->name; *c && k + 1 < sizeof p->key; c++) {
        if (*c == ' ')
            continue;
        if (strncmp(c, "\xE3\x80\x80", 3) == 0) {
            c += 2;
            continue;
        }
        p->key[k++] = (*c >= 'A' && *c <= 'Z') ? (char)(*c - 'A' + 'a') : *c;
    }
    p->key[k] = '\0';
    p->day = (int)prnd(29220); /* 80 years of days */
    t = (time_t)(-40L * 365 * 86400 - 10L * 86400) + (time_t)p->day * 86400; /* 1930-01-01 */
    gmtime_r(&t, &tm);
    strftime(p->birth, sizeof p->birth, "%Y-%m-%d", &tm);
}

static int cmp_key(const void *a, const void *b)
{
    const person *x = *(person *const *)a, *y = *(person *const *)b;
    int r = strcmp(x->key, y->key);
    return r != 0 ? r : (x->day > y->day) - (x->day < y->day);
}

/* True matches among people[0..have) (same folded name, and date). */
static int true_matches(const find_state *st, const person *q, int mode)
{
    long lo = 0, hi = st->have;
    int cnt = 0;

    while (lo < hi) {
        long mid = (lo + hi) / 2;
        if (strcmp(st->by_key[mid]->key, q->key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (long i = lo; i < st->have && strcmp(st->by_key[i]->key, q->key) == 0; i++)
        if (mode == 0 || st->by_key[i]->day == q->day)
            cnt++;
    return cnt;
}

find_state *find_init(const char *dir, long max_cases, long batch, int lookups)
{
    find_state *st = calloc(1, sizeof *st);

    must(st != NULL, "calloc");
    st->cap = max_cases;
    st->batch = batch;
    st->q = lookups;
    st->people = calloc((size_t)max_cases, sizeof *st->people);
    st->by_key = calloc((size_t)max_cases, sizeof *st->by_key);
    must(st->people != NULL && st->by_key != NULL, "calloc"); /* filled as the index grows */
    snprintf(st->path, sizeof st->path, "%s/index-sqlcipher.db", dir);
    fixture_make(&st->f, dir, "index");
    st->db = base_open(st->path, true);
    st->per_case_wall = 0.01;
    st->lookup_secs = 10;
    return st;
}

/* Baseline build: cases [from, to) in one transaction. */
static double base_index(find_state *st, long from, long to)
{
    static const uint8_t owner[16] = { 1 };
    sqlite3_stmt *ic = prep(st->db, "INSERT INTO case_record VALUES (?1, ?2, 1, ?3);");
    sqlite3_stmt *is = prep(st->db, "INSERT INTO section VALUES (?1, 'identity', ?2);");
    sqlite3_stmt *ib = prep(st->db, "INSERT OR IGNORE INTO person VALUES (?1, ?2, ?3);");
    uint8_t sec[256], id[16];
    char nb[80];
    double t = now();

    sql(st->db, "BEGIN;");
    for (long i = from; i < to; i++) {
        const person *p = &st->people[i];
        size_t len = pack_identity(sec, p->name, p->birth);
        randombytes_buf(id, sizeof id);
        sqlite3_bind_blob(ic, 1, id, 16, SQLITE_STATIC);
        sqlite3_bind_blob(ic, 2, owner, 16, SQLITE_STATIC);
        sqlite3_bind_int64(ic, 3, (sqlite3_int64)time(NULL));
        step_done(ic, "baseline case insert");
        sqlite3_bind_blob(is, 1, id, 16, SQLITE_STATIC);
        sqlite3_bind_blob(is, 2, sec, (int)len, SQLITE_STATIC);
        step_done(is, "baseline identity insert");
        snprintf(nb, sizeof nb, "%s|%s", p->key, p->birth);
        for (int k = 1; k <= 2; k++) {
            sqlite3_bind_int(ib, 1, k);
            sqlite3_bind_text(ib, 2, k == 1 ? p->key : nb, -1, SQLITE_STATIC);
            sqlite3_bind_blob(ib, 3, id, 16, SQLITE_STATIC);
            step_done(ib, "baseline index insert");
        }
    }
    sql(st->db, "COMMIT;");
    t = now() - t;
    sqlite3_finalize(ic);
    sqlite3_finalize(is);
    sqlite3_finalize(ib);
    return t;
}

/* Council build: cases [from, to) in one batch, each with its identity. */
static double council_index(find_state *st, long from, long to)
{
    council_case_options co = COUNCIL_CASE_OPTIONS_INIT;
    uint8_t sec[256], pid[16];
    council *s = st->f.s;
    double t = now();

    ok(s, council_batch_begin(s), "batch_begin");
    for (long i = from; i < to; i++) {
        person *p = &st->people[i];
        size_t len = pack_identity(sec, p->name, p->birth);
        ok(s, council_case_create(s, p->cid, 16, pid, 16, &co), "case_create");
        ok(s, council_section_write(s, NULL, p->cid, 16, pid, 16, "identity", sec, len),
           "section_write identity");
    }
    ok(s, council_batch_commit(s), "batch_commit");
    return now() - t;
}

/* Lookup latencies and match counts over the rounds. */
typedef struct lookups {
    double *lat;
    int n;
    double matches, truem;
} lookups;

static void base_lookups(find_state *st, int count, lookups *acc)
{
    sqlite3_stmt *qs = prep(st->db, "SELECT c.id FROM person p JOIN case_record c ON c.id = p.case_id"
                                    " WHERE p.kind = 1 AND p.key = ?1;");
    sqlite3_stmt *il = prep(st->db, "INSERT INTO log (body) VALUES (?1);");
    uint8_t row[LOG_ROW];

    randombytes_buf(row, sizeof row);
    for (int i = 0; i < count; i++) {
        const person *p = &st->people[rnd((uint32_t)st->have)];
        double t = now();
        int got = 0;
        sql(st->db, "BEGIN;");
        sqlite3_bind_blob(il, 1, row, sizeof row, SQLITE_STATIC);
        step_done(il, "baseline log insert");
        sqlite3_bind_text(qs, 1, p->key, -1, SQLITE_STATIC);
        while (sqlite3_step(qs) == SQLITE_ROW)
            got++;
        sqlite3_reset(qs);
        sql(st->db, "COMMIT;");
        acc->lat[acc->n++] = now() - t;
        must(got >= 1, "baseline lookup");
        acc->matches += got;
    }
    sqlite3_finalize(qs);
    sqlite3_finalize(il);
}

static void council_lookups(find_state *st, int count, int mode, lookups *acc)
{
    for (int i = 0; i < count; i++) {
        const person *p = &st->people[rnd((uint32_t)st->have)];
        council_buf out = { NULL, 0 };
        Council__V1__CaseMatches *m;
        bool self = false;
        double t = now();
        ok(st->f.s, council_case_find(st->f.s, &out, p->name, mode == 0 ? NULL : p->birth),
           "case_find");
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
            fprintf(stderr, "bench_case: case_find by %s missed a case it holds\n", mode_name[mode]);
            exit(1);
        }
        acc->truem += true_matches(st, p, mode);
    }
}

static void lookups_init(lookups *l, int q)
{
    memset(l, 0, sizeof *l);
    l->lat = malloc((size_t)q * sizeof *l->lat);
    must(l->lat != NULL, "malloc");
}

/* The width the library sizes for an index of n persons (one name token
 * each): ceil(log2(n)) - 1, within 16..32 (find.c council__blind_width_for). */
static uint32_t width_for(long n)
{
    uint32_t w = 0;

    while (w < 40 && (1L << w) < n)
        w++;
    return w < 17 ? 16 : w - 1 > 32 ? 32 : w - 1;
}

/* A size whose width is wider than today's has the whole index derived
 * again before its lookups: about as much per case as building it. */
double find_project(const find_state *st, long size)
{
    double widen = width_for(size) > (st->width ? st->width : 16) ? (double)size : 0;

    return ((double)(size - st->have) * 1.25 + widen) * st->per_case_wall + st->lookup_secs * 1.5;
}

long find_fit(const find_state *st, double secs)
{
    double cases = (secs - st->lookup_secs * 1.5) / (st->per_case_wall * 1.25);
    long s = cases > 0 ? (st->have + (long)cases) / st->batch * st->batch : 0;

    while (s > st->have && find_project(st, s) > secs)
        s -= st->batch;
    return s >= 2 * st->have && s > st->have ? s : 0;
}

void find_skip(find_state *st, long size, double projected)
{
    find_level_fig *L = &st->lv[st->nlv++];

    memset(L, 0, sizeof *L);
    L->size = size;
    L->projected = projected;
}

void find_level(find_state *st, long size)
{
    find_level_fig *L = &st->lv[st->nlv++];
    long win = size / 10;
    double t0 = now(), tl;
    lookups lb, lc[NMODES];

    memset(L, 0, sizeof *L);
    L->size = size;
    L->run = true;
    if (win < st->batch)
        win = st->batch;
    if (win > size - st->have)
        win = size - st->have;
    for (long i = st->have; i < size; i++)
        make_person(&st->people[i]);
    while (st->have < size) {
        long e = st->have + st->batch < size ? st->have + st->batch : size;
        double tb = base_index(st, st->have, e), tc = council_index(st, st->have, e);
        if (e > size - win) {
            L->w_cases += (double)(e - st->have);
            L->t_base += tb;
            L->t_council += tc;
        }
        st->have = e;
        if (st->have % (st->batch * 10) == 0 || st->have == size)
            fprintf(stderr, "bench_case: index %ld/%ld cases, %.0f s since start\n", st->have, size,
                    seconds_since_start());
    }
    st->build_wall += now() - t0;
    L->build_secs = st->build_wall;
    st->per_case_wall = (L->t_base + L->t_council) / L->w_cases;

    fixture_index_widen(&st->f, &L->widen_secs, &L->width);
    st->width = L->width;
    if (L->widen_secs > 0)
        fprintf(stderr, "bench_case: index widened to %u bits in %.0f s\n", L->width, L->widen_secs);
    tl = now();
    for (long i = 0; i < st->have; i++)
        st->by_key[i] = &st->people[i];
    qsort(st->by_key, (size_t)st->have, sizeof *st->by_key, cmp_key);
    lookups_init(&lb, st->q);
    for (int m = 0; m < NMODES; m++)
        lookups_init(&lc[m], st->q);
    for (int r = 0; r < ROUNDS; r++) {
        int cnt = st->q * (r + 1) / ROUNDS - st->q * r / ROUNDS;
        base_lookups(st, cnt, &lb);
        for (int m = 0; m < NMODES; m++)
            council_lookups(st, cnt, m, &lc[m]);
    }
    L->med_base = quantile(lb.lat, (size_t)lb.n, 0.5);
    L->p95_base = quantile(lb.lat, (size_t)lb.n, 0.95);
    L->m_base = lb.matches / lb.n;
    free(lb.lat);
    for (int m = 0; m < NMODES; m++) {
        L->med[m] = quantile(lc[m].lat, (size_t)lc[m].n, 0.5);
        L->p95[m] = quantile(lc[m].lat, (size_t)lc[m].n, 0.95);
        L->matches[m] = lc[m].matches / lc[m].n;
        L->truem[m] = lc[m].truem / lc[m].n;
        free(lc[m].lat);
    }
    fixture_reopen(&st->f);
    L->b_council = dir_bytes(st->f.store);
    L->b_base = base_bytes(st->db, st->path);
    st->lookup_secs = now() - tl;
}

void find_report(find_state *st)
{
    char k[96], fig[128], rat[128], sz[16];
    const find_level_fig *first = NULL, *last = NULL;

    printf("bench_case find: cases with an identity section (name + birth date), batches of %ld;"
           " %d lookups per mode at each size\n", st->batch, st->q);
    printf("  %-6s %9s %9s %7s %9s %9s %8s %7s %7s %9s %8s %7s %9s\n", "cases", "build/s", "base/s",
           "x base", "name med", "base med", "x base", "match", "true", "nb med", "x base", "match",
           "B/case");
    for (int i = 0; i < st->nlv; i++) {
        const find_level_fig *L = &st->lv[i];
        size_label(sz, sizeof sz, L->size);
        if (!L->run) {
            printf("  %-6s not run: projected %.0f s to build and measure (beyond the time budget)\n",
                   sz, L->projected);
            continue;
        }
        printf("  %-6s %9.0f %9.0f %7.3f %6.0f us %6.0f us %8.3f %7.2f %7.2f %6.0f us %8.3f %7.2f"
               " %9.0f\n", sz, L->w_cases / L->t_council, L->w_cases / L->t_base,
               L->t_base / L->t_council, L->med[0] * 1e6, L->med_base * 1e6, L->med_base / L->med[0],
               L->matches[0], L->truem[0], L->med[1] * 1e6, L->med_base / L->med[1], L->matches[1],
               (double)L->b_council / (double)L->size);
    }
    printf("  (x base: baseline time / council time, larger is faster; match = matches per query,"
           " true = of them the same person data)\n\n");
    for (int i = 0; i < st->nlv; i++) {
        const find_level_fig *L = &st->lv[i];
        size_label(sz, sizeof sz, L->size);
        if (!L->run) {
            snprintf(fig, sizeof fig, "not run (projected %.0f s to build)", L->projected);
            summary("5 find", L->size, fig, "-", ">= 0.5x", -1);
            continue;
        }
        if (first == NULL)
            first = L;
        last = L;
#define M(name, v, unit) (snprintf(k, sizeof k, "%s.%s", sz, name), metric(k, v, unit))
        M("index.build.council", L->w_cases / L->t_council, "cases/s");
        M("index.build.sqlcipher", L->w_cases / L->t_base, "cases/s");
        M("index.build.ms_per_case", 1e3 * L->t_council / L->w_cases, "ms");
        M("index.store.council", (double)L->b_council / (double)L->size, "bytes/case");
        M("index.store.sqlcipher", (double)L->b_base / (double)L->size, "bytes/case");
        M("index.width", (double)L->width, "bits");
        M("index.widen_secs", L->widen_secs, "s");
        M("find.baseline.median", L->med_base * 1e6, "us");
        M("find.baseline.p95", L->p95_base * 1e6, "us");
        for (int m = 0; m < NMODES; m++) {
            char n2[64];
            snprintf(n2, sizeof n2, "find.%s.median", mode_name[m]);
            M(n2, L->med[m] * 1e6, "us");
            snprintf(n2, sizeof n2, "find.%s.p95", mode_name[m]);
            M(n2, L->p95[m] * 1e6, "us");
            snprintf(n2, sizeof n2, "find.%s.ratio_baseline", mode_name[m]);
            M(n2, L->med_base / L->med[m], "x");
            snprintf(n2, sizeof n2, "find.%s.matches", mode_name[m]);
            M(n2, L->matches[m], "per_query");
            snprintf(n2, sizeof n2, "find.%s.true_matches", mode_name[m]);
            M(n2, L->truem[m], "per_query");
        }
#undef M
        snprintf(fig, sizeof fig, "by name: %.0f us median, %.2f matches/query (%.2f true), %u-bit"
                 " tokens", L->med[0] * 1e6, L->matches[0], L->truem[0], L->width);
        snprintf(rat, sizeof rat, "%.2fx indexed plaintext lookup + durable row",
                 L->med_base / L->med[0]);
        summary("5 find", L->size, fig, rat, ">= 0.5x", L->med_base / L->med[0] >= 0.5);
    }
    if (first != NULL && last != NULL && last != first) {
        double g = (last->t_council / last->w_cases) / (first->t_council / first->w_cases);
        double gf = last->med[0] / first->med[0];
        char a[16], b[16];
        size_label(a, sizeof a, first->size);
        size_label(b, sizeof b, last->size);
        snprintf(fig, sizeof fig, "index build %.2f -> %.2f ms/case (%s -> %s)",
                 1e3 * first->t_council / first->w_cases, 1e3 * last->t_council / last->w_cases, a, b);
        snprintf(rat, sizeof rat, "%.2fx last/first", g);
        summary("8 growth", last->size, fig, rat, "<= 1.5x", g <= 1.5);
        snprintf(fig, sizeof fig, "find by name %.0f -> %.0f us (%s -> %s)", first->med[0] * 1e6,
                 last->med[0] * 1e6, a, b);
        snprintf(rat, sizeof rat, "%.2fx last/first", gf);
        summary("8 growth", last->size, fig, rat, "<= 1.5x", gf <= 1.5);
        metric("growth.index_build", g, "x");
        metric("growth.find", gf, "x");
    }
}

void find_done(find_state *st)
{
    sqlite3_close(st->db);
    fixture_close(&st->f);
    free(st->people);
    free(st->by_key);
    free(st);
}
