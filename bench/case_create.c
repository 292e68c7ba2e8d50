/*
 * case_create.c - bench_case rows 1, 2, 3, 6 and 8: cases created in
 * batches, audited reads (one by one, a case at a time, many in one call),
 * the store's size per case, and how each cost grows with the store.
 *
 * One council store and two SQLCipher baselines grow together, batch by
 * batch in turns, through the sizes main() asks for:
 *   sqlcipher  a case row + three 1 KiB section rows per case ("SQLCipher
 *              alone")
 *   anchor     the same rows, each section sealed with crypto_secretbox
 *              (random nonce, one key held in memory) and no audit: what a
 *              careful application would do without the council
 * At each size the reads run in rounds, each council figure in turn with
 * its baseline on the SQLCipher database of the same size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "bench_case.h"
#include "util.h"
#include "council/v1/case.pb-c.h"

typedef struct create_level_fig {
    long size;
    bool run;
    double projected;                        /* not run: seconds it would take */
    double w_cases, t_council, t_keyed, t_anchor; /* the window before the size */
    double rd_council, wr_council, wr_anchor;      /* bytes read, written in it */
    double r_sel, r_dur, r_each, r_case_base, r_case, r_many_base, r_many;
    int many_n;
    double w_each, w_dur; /* bytes written per one-by-one read */
    uint64_t b_council, b_keyed, b_anchor;
    double build_secs; /* wall seconds of all stores to this size */
} create_level_fig;

struct create_state {
    char dir[256], keyed[300], anchor[300];
    fixture f;
    sqlite3 *dk, *da;
    uint8_t (*cids)[16], (*pids)[16], (*bids)[16];
    long cap, have, batch;
    int reads, many;
    uint8_t box_key[crypto_secretbox_KEYBYTES];
    double per_case_wall; /* wall seconds per case of the last window, all three stores */
    double measure_secs;  /* wall seconds of the last reads and sizes */
    double build_wall;
    unsigned long read_seq;
    create_level_fig lv[MAX_LEVELS];
    int nlv;
};

create_state *create_init(const char *dir, long max_cases, long batch, int reads, int many)
{
    create_state *st = calloc(1, sizeof *st);

    must(st != NULL, "calloc");
    snprintf(st->dir, sizeof st->dir, "%s", dir);
    snprintf(st->keyed, sizeof st->keyed, "%s/create-sqlcipher.db", dir);
    snprintf(st->anchor, sizeof st->anchor, "%s/create-anchor.db", dir);
    st->cap = max_cases;
    st->batch = batch;
    st->reads = reads;
    st->many = many;
    st->cids = calloc((size_t)max_cases, 16);
    st->pids = calloc((size_t)max_cases, 16);
    st->bids = calloc((size_t)max_cases, 16);
    must(st->cids && st->pids && st->bids, "calloc");
    crypto_secretbox_keygen(st->box_key);
    fixture_make(&st->f, dir, "create");
    st->dk = base_open(st->keyed, true);
    st->da = base_open(st->anchor, true);
    st->per_case_wall = 0.02; /* before any measure: a pessimistic guess */
    st->measure_secs = 10;
    return st;
}

/* Baseline: cases [from, to) in one transaction (a case row + three 1 KiB
 * rows each), sealed with crypto_secretbox if box_key is given. */
static double base_create(sqlite3 *db, long from, long to, uint8_t (*ids)[16],
                          const uint8_t *box_key)
{
    static const uint8_t owner[16] = { 1 };
    sqlite3_stmt *ic = prep(db, "INSERT INTO case_record VALUES (?1, ?2, 1, ?3);");
    sqlite3_stmt *is = prep(db, "INSERT INTO section VALUES (?1, ?2, ?3);");
    char text[SEC_BYTES + 1];
    uint8_t boxed[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SEC_BYTES];
    double t = now();

    sql(db, "BEGIN;");
    for (long i = from; i < to; i++) {
        sqlite3_bind_blob(ic, 1, ids[i], 16, SQLITE_STATIC);
        sqlite3_bind_blob(ic, 2, owner, 16, SQLITE_STATIC);
        sqlite3_bind_int64(ic, 3, (sqlite3_int64)time(NULL));
        step_done(ic, "baseline case insert");
        for (int s = 0; s < 3; s++) {
            fill_text(text, (unsigned)(i * 3 + s));
            sqlite3_bind_blob(is, 1, ids[i], 16, SQLITE_STATIC);
            sqlite3_bind_text(is, 2, sec_scopes[s], -1, SQLITE_STATIC);
            if (box_key != NULL) {
                randombytes_buf(boxed, crypto_secretbox_NONCEBYTES);
                must(crypto_secretbox_easy(boxed + crypto_secretbox_NONCEBYTES, (const uint8_t *)text,
                                           SEC_BYTES, boxed, box_key) == 0, "secretbox");
                sqlite3_bind_blob(is, 3, boxed, (int)sizeof boxed, SQLITE_STATIC);
            } else {
                sqlite3_bind_blob(is, 3, text, SEC_BYTES, SQLITE_STATIC);
            }
            step_done(is, "baseline section insert");
        }
    }
    sql(db, "COMMIT;");
    t = now() - t;
    sqlite3_finalize(ic);
    sqlite3_finalize(is);
    return t;
}

/* Council: cases [from, to) in one batch, each case_create + three 1 KiB
 * sections + two shares of "situation". */
static double council_create_cases(fixture *f, long from, long to, uint8_t (*cids)[16],
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
    for (long i = from; i < to; i++) {
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

/* ----------------------------------------------------------------- reads */

/* The case of read number i among n cases: spread over the whole store. */
static long pick(unsigned long i, long n)
{
    return (long)((i * 7919u + 13u) % (unsigned long)n);
}

/* Baseline, one read: SELECT of one row, then (durable) one 120-byte
 * INSERT in its own transaction. */
static double base_read_each(sqlite3 *db, uint8_t (*ids)[16], long n, unsigned long from,
                             unsigned long to, bool durable)
{
    sqlite3_stmt *q = prep(db, "SELECT body FROM section WHERE case_id = ?1 AND scope = ?2;");
    sqlite3_stmt *il = prep(db, "INSERT INTO log (body) VALUES (?1);");
    uint8_t row[LOG_ROW], copy[SEC_BYTES];
    double t;

    randombytes_buf(row, sizeof row);
    t = now();
    for (unsigned long i = from; i < to; i++) {
        int got = 0;
        if (durable)
            sql(db, "BEGIN;");
        sqlite3_bind_blob(q, 1, ids[pick(i, n)], 16, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, sec_scopes[i % 3], -1, SQLITE_STATIC);
        while (sqlite3_step(q) == SQLITE_ROW) {
            memcpy(copy, sqlite3_column_blob(q, 0), (size_t)sqlite3_column_bytes(q, 0));
            got++;
        }
        sqlite3_reset(q);
        must(got == 1, "baseline select");
        if (durable) {
            sqlite3_bind_blob(il, 1, row, sizeof row, SQLITE_STATIC);
            step_done(il, "baseline log insert");
            sql(db, "COMMIT;");
        }
    }
    t = now() - t;
    sqlite3_finalize(q);
    sqlite3_finalize(il);
    return t;
}

/* Baseline, many reads in one durable transaction: the sections (k0..k0+n)
 * of the store's 3 x ncases (by_case: the three of each case read by case
 * id), each SELECT followed by a 120-byte INSERT. */
static double base_read_many(sqlite3 *db, uint8_t (*ids)[16], long ncases, unsigned long k0,
                             int n, bool by_case)
{
    sqlite3_stmt *q1 = prep(db, "SELECT body FROM section WHERE case_id = ?1 AND scope = ?2;");
    sqlite3_stmt *q3 = prep(db, "SELECT scope, body FROM section WHERE case_id = ?1;");
    sqlite3_stmt *il = prep(db, "INSERT INTO log (body) VALUES (?1);");
    uint8_t row[LOG_ROW], copy[SEC_BYTES];
    int got = 0;
    double t;

    randombytes_buf(row, sizeof row);
    t = now();
    sql(db, "BEGIN;");
    if (by_case) {
        sqlite3_bind_blob(q3, 1, ids[pick(k0, ncases)], 16, SQLITE_STATIC);
        while (sqlite3_step(q3) == SQLITE_ROW) {
            memcpy(copy, sqlite3_column_blob(q3, 1), (size_t)sqlite3_column_bytes(q3, 1));
            got++;
        }
        sqlite3_reset(q3);
    } else {
        for (int i = 0; i < n; i++) {
            unsigned long s = (k0 + (unsigned long)i) % (unsigned long)(3 * ncases);
            sqlite3_bind_blob(q1, 1, ids[s / 3], 16, SQLITE_STATIC);
            sqlite3_bind_text(q1, 2, sec_scopes[s % 3], -1, SQLITE_STATIC);
            while (sqlite3_step(q1) == SQLITE_ROW) {
                memcpy(copy, sqlite3_column_blob(q1, 0), (size_t)sqlite3_column_bytes(q1, 0));
                got++;
            }
            sqlite3_reset(q1);
        }
    }
    for (int k = 0; k < got; k++) {
        sqlite3_bind_blob(il, 1, row, sizeof row, SQLITE_STATIC);
        step_done(il, "baseline log insert");
    }
    sql(db, "COMMIT;");
    t = now() - t;
    must(got == (by_case ? 3 : n), "baseline select");
    sqlite3_finalize(q1);
    sqlite3_finalize(q3);
    sqlite3_finalize(il);
    return t;
}

static double council_read_each(create_state *st, long n, unsigned long from, unsigned long to)
{
    double t = now();

    for (unsigned long i = from; i < to; i++) {
        long k = pick(i, n);
        council_buf out = { NULL, 0 };
        ok(st->f.s, council_section_read(st->f.s, &out, st->cids[k], 16, st->pids[k], 16,
                                         sec_scopes[i % 3], "support_coordination"), "section_read");
        must(out.len > SEC_BYTES, "section_read output");
        council_buf_free(&out);
    }
    return now() - t;
}

static double council_read_case(create_state *st, long n, unsigned long i)
{
    council_buf out = { NULL, 0 };
    Council__V1__CaseContent *m;
    double t = now();

    ok(st->f.s, council_case_read(st->f.s, &out, st->cids[pick(i, n)], 16, "support_coordination"),
       "case_read");
    t = now() - t;
    m = council__v1__case_content__unpack(NULL, out.len, out.ptr);
    must(m != NULL && m->n_sections == 3, "case_read output");
    council__v1__case_content__free_unpacked(m, NULL);
    council_buf_free(&out);
    return t;
}

#ifdef COUNCIL_SECTIONS_READ_MAX
/* council_sections_read() of sections (k0..k0+n) of the store, one call. */
static double council_read_many(create_state *st, long ncases, unsigned long k0, int n)
{
    council_section_ref *refs = calloc((size_t)n, sizeof *refs);
    council_buf *out = calloc((size_t)n, sizeof *out);
    double t;

    must(refs != NULL && out != NULL, "calloc");
    for (int i = 0; i < n; i++) {
        unsigned long s = (k0 + (unsigned long)i) % (unsigned long)(3 * ncases);
        refs[i].case_id = st->cids[s / 3];
        refs[i].case_id_len = 16;
        refs[i].person_id = st->pids[s / 3];
        refs[i].person_id_len = 16;
        refs[i].scope = sec_scopes[s % 3];
    }
    t = now();
    ok(st->f.s, council_sections_read(st->f.s, out, refs, (size_t)n, "support_coordination"),
       "sections_read");
    t = now() - t;
    for (int i = 0; i < n; i++) {
        must(out[i].len > SEC_BYTES, "sections_read output");
        council_buf_free(&out[i]);
    }
    free(refs);
    free(out);
    return t;
}
#endif

/* ----------------------------------------------------------------- stage */

double create_project(const create_state *st, long size)
{
    return (double)(size - st->have) * st->per_case_wall * 1.25 + st->measure_secs * 1.5;
}

long create_fit(const create_state *st, double secs)
{
    double cases = (secs - st->measure_secs * 1.5) / (st->per_case_wall * 1.25);
    long s = cases > 0 ? (st->have + (long)cases) / st->batch * st->batch : 0;

    return s >= 2 * st->have && s > st->have ? s : 0;
}

void create_skip(create_state *st, long size, double projected)
{
    create_level_fig *L = &st->lv[st->nlv++];

    memset(L, 0, sizeof *L);
    L->size = size;
    L->projected = projected;
}

static void measure(create_state *st, create_level_fig *L)
{
    long n = st->have;
    int many_n = st->many < 3 * n ? st->many : (int)(3 * n);
    double t_sel = 0, t_dur = 0, t_each = 0, t_cb = 0, t_cc = 0, t_mb = 0, t_mc = 0;
    size_t s_sel = 0, s_each = 0, s_case = 0, s_many = 0;
    uint64_t w_dur = 0, w_each = 0, w;

    /* Sizes before any read: the council's store closed (its WAL
     * checkpointed away). Measured after the reads, it would also hold
     * their audit events (a read is logged, the anchor's is not), and at
     * each size the events of the reads of the sizes before. */
    fixture_reopen(&st->f);
    L->b_council = dir_bytes(st->f.store);
    L->b_keyed = base_bytes(st->dk, st->keyed);
    L->b_anchor = base_bytes(st->da, st->anchor);
    for (int r = 0; r < ROUNDS; r++) {
        unsigned long a = st->read_seq + (unsigned long)(st->reads * r / ROUNDS);
        unsigned long b = st->read_seq + (unsigned long)(st->reads * (r + 1) / ROUNDS);
        t_sel += base_read_each(st->dk, st->bids, n, a * 10, b * 10, false);
        s_sel += (b - a) * 10;
        w = io_written();
        t_dur += base_read_each(st->dk, st->bids, n, a, b, true);
        w_dur += io_written() - w;
        w = io_written();
        t_each += council_read_each(st, n, a, b);
        w_each += io_written() - w;
        s_each += b - a;
        for (unsigned long i = a; i < b; i++) {
            t_cb += base_read_many(st->dk, st->bids, n, i, 3, true);
            t_cc += council_read_case(st, n, i);
            s_case += 3;
        }
        {
            unsigned long k0 = (unsigned long)rnd((uint32_t)(3 * n));
            t_mb += base_read_many(st->dk, st->bids, n, k0, many_n, false);
#ifdef COUNCIL_SECTIONS_READ_MAX
            t_mc += council_read_many(st, n, k0, many_n);
#endif
            s_many += (size_t)many_n;
        }
    }
    st->read_seq += (unsigned long)st->reads;
    L->r_sel = (double)s_sel / t_sel;
    L->r_dur = (double)s_each / t_dur;
    L->r_each = (double)s_each / t_each;
    L->r_case_base = (double)s_case / t_cb;
    L->r_case = (double)s_case / t_cc;
    L->r_many_base = (double)s_many / t_mb;
    L->r_many = t_mc > 0 ? (double)s_many / t_mc : 0;
    L->many_n = many_n;
    L->w_each = (double)w_each / (double)s_each;
    L->w_dur = (double)w_dur / (double)s_each;
}

void create_level(create_state *st, long size)
{
    create_level_fig *L = &st->lv[st->nlv++];
    long win = size / 10;
    double t0 = now(), tm;

    memset(L, 0, sizeof *L);
    L->size = size;
    L->run = true;
    if (win < st->batch)
        win = st->batch;
    if (win > size - st->have)
        win = size - st->have;
    while (st->have < size) {
        long e = st->have + st->batch < size ? st->have + st->batch : size;
        double tk, ta, tc;
        uint64_t r0, w0, r1, w1, r2, w2;
        for (long i = st->have; i < e; i++)
            randombytes_buf(st->bids[i], 16);
        tk = base_create(st->dk, st->have, e, st->bids, NULL);
        io_bytes(&r0, &w0);
        ta = base_create(st->da, st->have, e, st->bids, st->box_key);
        io_bytes(&r1, &w1);
        tc = council_create_cases(&st->f, st->have, e, st->cids, st->pids);
        io_bytes(&r2, &w2);
        if (e > size - win) {
            L->wr_anchor += (double)(w1 - w0);
            L->rd_council += (double)(r2 - r1);
            L->wr_council += (double)(w2 - w1);
            L->w_cases += (double)(e - st->have);
            L->t_keyed += tk;
            L->t_anchor += ta;
            L->t_council += tc;
        }
        st->have = e;
        if (st->have % (st->batch * 10) == 0 || st->have == size)
            fprintf(stderr, "bench_case: create %ld/%ld cases, %.0f s since start\n", st->have,
                    size, seconds_since_start());
    }
    st->build_wall += now() - t0;
    L->build_secs = st->build_wall;
    st->per_case_wall = (L->t_keyed + L->t_anchor + L->t_council) / L->w_cases;
    tm = now();
    measure(st, L);
    st->measure_secs = now() - tm;
}

/* ---------------------------------------------------------------- report */

static const char *met_sign(int met)
{
    return met > 0 ? "met" : met == 0 ? "below" : "-";
}

void create_report(create_state *st)
{
    char k[96], fig[96], rat[128], sz[16];
    const create_level_fig *first = NULL, *last = NULL;

    printf("bench_case create: case + 3 x 1 KiB sections + 2 shares, batches of %ld; reads at each"
           " size (%d one by one, %d cases, %d x %d in one call)\n", st->batch, st->reads,
           st->reads, ROUNDS, st->many);
    printf("  %-6s %10s %10s %10s %8s %8s %9s %9s %9s %9s %9s %9s\n", "cases", "council/s",
           "sqlciph/s", "anchor/s", "x sqlc", "x anchor", "each/s", "x durable", "case/s",
           "x base", "many/s", "x base");
    for (int i = 0; i < st->nlv; i++) {
        const create_level_fig *L = &st->lv[i];
        size_label(sz, sizeof sz, L->size);
        if (!L->run) {
            printf("  %-6s not run: projected %.0f s (beyond the time budget)\n", sz, L->projected);
            continue;
        }
        printf("  %-6s %10.0f %10.0f %10.0f %8.3f %8.3f %9.0f %9.3f %9.0f %9.3f %9.0f %9.3f\n", sz,
               L->w_cases / L->t_council, L->w_cases / L->t_keyed, L->w_cases / L->t_anchor,
               L->t_keyed / L->t_council, L->t_anchor / L->t_council, L->r_each, L->r_each / L->r_dur,
               L->r_case, L->r_case / L->r_case_base, L->r_many,
               L->r_many / L->r_many_base);
    }
    printf("  (each = council_section_read; its baseline SQLCipher SELECT + one durable 120-byte row;"
           " SELECT alone for context;\n   written = bytes written per one-by-one read, council and"
           " baseline)\n");
    printf("  (create written/case and read/case: bytes the council's batches wrote and read per case"
           " in the window, and the anchor's writes)\n");
    printf("  %-6s %12s %12s %12s %10s %10s %10s %18s %17s %12s\n", "cases", "council B/c",
           "sqlcipher B/c", "anchor B/c", "x anchor", "select/s", "build s", "written/read",
           "create wr/case", "rd/case");
    for (int i = 0; i < st->nlv; i++) {
        const create_level_fig *L = &st->lv[i];
        if (!L->run)
            continue;
        size_label(sz, sizeof sz, L->size);
        printf("  %-6s %12.0f %12.0f %12.0f %10.2f %10.0f %10.1f %8.0f / %7.0f %8.0f / %6.0f %12.0f\n",
               sz, (double)L->b_council / (double)L->size, (double)L->b_keyed / (double)L->size,
               (double)L->b_anchor / (double)L->size, (double)L->b_council / (double)L->b_anchor,
               L->r_sel, L->build_secs, L->w_each, L->w_dur, L->wr_council / L->w_cases,
               L->wr_anchor / L->w_cases, L->rd_council / L->w_cases);
    }
#ifndef COUNCIL_SECTIONS_READ_MAX
    printf("  council_sections_read: not in this build (many/s is 0)\n");
#endif
    printf("\n");

    for (int i = 0; i < st->nlv; i++) {
        const create_level_fig *L = &st->lv[i];
        double cps, x_anchor;
        size_label(sz, sizeof sz, L->size);
        if (!L->run) {
            snprintf(fig, sizeof fig, "not run (projected %.0f s)", L->projected);
            summary("1 create", L->size, fig, "-", ">= 0.25x anchor", -1);
            summary("2 read, one by one", L->size, fig, "-", ">= 0.8x floor", -1);
            continue;
        }
        if (first == NULL)
            first = L;
        last = L;
        cps = L->w_cases / L->t_council;
        x_anchor = L->t_anchor / L->t_council;
#define M(name, v, unit) (snprintf(k, sizeof k, "%s.%s", sz, name), metric(k, v, unit))
        M("create.council", cps, "cases/s");
        M("create.sqlcipher", L->w_cases / L->t_keyed, "cases/s");
        M("create.anchor", L->w_cases / L->t_anchor, "cases/s");
        M("create.ratio_sqlcipher", L->t_keyed / L->t_council, "x");
        M("create.ratio_anchor", x_anchor, "x");
        M("create.ms_per_case", 1e3 * L->t_council / L->w_cases, "ms");
        M("create.written", L->wr_council / L->w_cases, "bytes/case");
        M("create.read", L->rd_council / L->w_cases, "bytes/case");
        M("create.anchor.written", L->wr_anchor / L->w_cases, "bytes/case");
        M("read.sqlcipher_select", L->r_sel, "sections/s");
        M("read.each.floor", L->r_dur, "sections/s");
        M("read.each.council", L->r_each, "sections/s");
        M("read.each.us", 1e6 / L->r_each, "us");
        M("read.each.ratio_floor", L->r_each / L->r_dur, "x");
        M("read.each.written", L->w_each, "bytes");
        M("read.each.floor.written", L->w_dur, "bytes");
        M("read.case.floor", L->r_case_base, "sections/s");
        M("read.case.council", L->r_case, "sections/s");
        M("read.case.ratio_floor", L->r_case / L->r_case_base, "x");
        M("read.many.floor", L->r_many_base, "sections/s");
#ifdef COUNCIL_SECTIONS_READ_MAX
        M("read.many.council", L->r_many, "sections/s");
        M("read.many.ratio_floor", L->r_many / L->r_many_base, "x");
#endif
        M("store.council", (double)L->b_council / (double)L->size, "bytes/case");
        M("store.sqlcipher", (double)L->b_keyed / (double)L->size, "bytes/case");
        M("store.anchor", (double)L->b_anchor / (double)L->size, "bytes/case");
        M("store.ratio_anchor", (double)L->b_council / (double)L->b_anchor, "x");
#undef M
        snprintf(fig, sizeof fig, "%.0f cases/s", cps);
        snprintf(rat, sizeof rat, "%.3fx anchor; %.3fx SQLCipher", x_anchor,
                 L->t_keyed / L->t_council);
        summary("1 create", L->size, fig, rat, ">= 0.25x anchor", x_anchor >= 0.25);
        snprintf(fig, sizeof fig, "%.0f sections/s", L->r_each);
        snprintf(rat, sizeof rat, "%.2fx SELECT + durable row", L->r_each / L->r_dur);
        summary("2 read, one by one", L->size, fig, rat, ">= 0.8x floor", L->r_each / L->r_dur >= 0.8);
#ifdef COUNCIL_SECTIONS_READ_MAX
        snprintf(fig, sizeof fig, "sections_read n=%d: %.0f sections/s", L->many_n, L->r_many);
        snprintf(rat, sizeof rat, "%.2fx SELECT n + n rows, one txn", L->r_many / L->r_many_base);
        summary("3 batched reads", L->size, fig, rat, ">= 20,000 sections/s", L->r_many >= 20000);
#else
        summary("3 batched reads", L->size, "sections_read: not in this build", "-",
                ">= 20,000 sections/s", -1);
#endif
        snprintf(fig, sizeof fig, "case_read: %.0f sections/s", L->r_case);
        snprintf(rat, sizeof rat, "%.2fx SELECT 3 + 3 rows, one txn", L->r_case / L->r_case_base);
        summary("3 batched reads", L->size, fig, rat, ">= 20,000 sections/s", L->r_case >= 20000);
        snprintf(fig, sizeof fig, "%.0f bytes/case", (double)L->b_council / (double)L->size);
        snprintf(rat, sizeof rat, "%.2fx anchor (%.0f bytes/case)",
                 (double)L->b_council / (double)L->b_anchor, (double)L->b_anchor / (double)L->size);
        summary("6 store size", L->size, fig, rat, "<= 2x anchor",
                (double)L->b_council <= 2.0 * (double)L->b_anchor);
    }
    if (first != NULL && last != NULL && last != first) {
        double g_create = (last->t_council / last->w_cases) / (first->t_council / first->w_cases);
        double g_read = first->r_each / last->r_each;
        char a[16], b[16];
        size_label(a, sizeof a, first->size);
        size_label(b, sizeof b, last->size);
        snprintf(fig, sizeof fig, "create %.2f -> %.2f ms/case (%s -> %s)",
                 1e3 * first->t_council / first->w_cases, 1e3 * last->t_council / last->w_cases, a, b);
        snprintf(rat, sizeof rat, "%.2fx last/first", g_create);
        summary("8 growth", last->size, fig, rat, "<= 1.5x", g_create <= 1.5);
        snprintf(fig, sizeof fig, "audited read %.0f -> %.0f us (%s -> %s)", 1e6 / first->r_each,
                 1e6 / last->r_each, a, b);
        snprintf(rat, sizeof rat, "%.2fx last/first", g_read);
        summary("8 growth", last->size, fig, rat, "<= 1.5x", g_read <= 1.5);
        metric("growth.create", g_create, "x");
        metric("growth.read", g_read, "x");
        printf("  growth %s -> %s: create %.2fx, audited read %.2fx (%s)\n\n", a, b, g_create, g_read,
               met_sign(g_create <= 1.5 && g_read <= 1.5));
    }
}

void create_done(create_state *st)
{
    sqlite3_close(st->dk);
    sqlite3_close(st->da);
    fixture_close(&st->f);
    free(st->cids);
    free(st->pids);
    free(st->bids);
    sodium_memzero(st->box_key, sizeof st->box_key);
    free(st);
}
