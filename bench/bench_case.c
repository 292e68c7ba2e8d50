/*
 * bench_case.c - cases: creation, audited reads, store size and the blind
 * index, at growing sizes, against baselines measured in the same run and
 * in turns with each council figure (the machines are shared and noisy:
 * read the ratios). Rows of issue 17's table:
 *   1 create      cases/s, vs SQLCipher alone and vs the secretbox anchor
 *   2 read        council_section_read() one by one, vs SELECT + one
 *                 durable row
 *   3 batched     council_sections_read() (n per call) and
 *                 council_case_read(): sections/s, vs SELECT of n rows + n
 *                 120-byte INSERTs in one durable transaction
 *   5 find        council_case_find(), vs an indexed plaintext lookup + one
 *                 durable row; matches per query
 *   6 store size  bytes per case, vs the secretbox anchor
 *   8 growth      create ms/case, audited read us, index build and find,
 *                 last size / first
 * (rows 4 and 7 are bench_audit's and bench's). case_create.c and
 * case_find.c hold the stages; this file the sizes and the time budget.
 *
 * Usage: bench_case [options] [CREATE_SIZES [FIND_SIZES]]
 *   sizes are comma-separated case counts, ascending ("0": skip the stage);
 *   defaults 1000,10000,100000 and 1000,10000,100000,1000000
 *   --batch N     cases per batch (default 1000)
 *   --reads N     one-by-one reads and case reads per size (default 300)
 *   --many N      sections per council_sections_read() call (default 1000)
 *   --lookups N   lookups per mode per size (default 1000)
 * BENCH_DEADLINE (seconds since the epoch): a size whose projected time
 * would pass it is not run (the stage grows as far as fits instead, and
 * stops); the report says so with the projection.
 * Every figure is also printed as "METRIC bench_case.<size>.<name> <value>
 * <unit>", and each row of the final table as "SUMMARY | ... |".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_case.h"
#include "util.h"

static void parse_sizes(const char *s, levels *lv)
{
    char *end;

    lv->n = 0;
    while (*s != '\0') {
        long v = strtol(s, &end, 10);
        must(end != s && v >= 0 && lv->n < MAX_LEVELS, "sizes (comma-separated numbers)");
        if (v > 0) {
            must(lv->n == 0 || v > lv->size[lv->n - 1], "sizes ascending");
            lv->size[lv->n++] = v;
        }
        s = *end == ',' ? end + 1 : end;
        must(*end == ',' || *end == '\0', "sizes (comma-separated numbers)");
    }
}

static bool has(const levels *lv, long size)
{
    for (int i = 0; i < lv->n; i++)
        if (lv->size[i] == size)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    levels lc = { { 1000, 10000, 100000 }, 3 }, lf = { { 1000, 10000, 100000, 1000000 }, 4 };
    long batch = 1000, all[2 * MAX_LEVELS];
    int reads = 300, many = 1000, q = 1000, pos = 0, nall = 0;
    bool c_on, f_on;
    char dir[] = "/tmp/council-bench-case-XXXXXX";
    create_state *cs = NULL;
    find_state *fs = NULL;

    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--batch") == 0)
            batch = atol(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--reads") == 0)
            reads = atoi(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--many") == 0)
            many = atoi(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--lookups") == 0)
            q = atoi(argv[++i]);
        else if (pos == 0 && ++pos)
            parse_sizes(argv[i], &lc);
        else if (pos == 1 && ++pos)
            parse_sizes(argv[i], &lf);
        else
            must(0, "usage: bench_case [--batch N] [--reads N] [--many N] [--lookups N]"
                    " [CREATE_SIZES [FIND_SIZES]]");
    }
    must(batch >= 1 && reads >= ROUNDS && many >= 1 && q >= ROUNDS, "options");
#ifdef COUNCIL_SECTIONS_READ_MAX
    if (many > COUNCIL_SECTIONS_READ_MAX)
        many = COUNCIL_SECTIONS_READ_MAX;
#endif
    (void)seconds_since_start();
    must(council_global_init() == COUNCIL_OK, "init");
    must(mkdtemp(dir) != NULL, "mkdtemp");
    c_on = lc.n > 0;
    f_on = lf.n > 0;
    if (c_on)
        cs = create_init(dir, lc.size[lc.n - 1], batch, reads, many);
    if (f_on)
        fs = find_init(dir, lf.size[lf.n - 1], batch, q);

    /* every size of either stage, ascending: both stores grow side by side */
    for (int i = 0; i < lc.n; i++)
        all[nall++] = lc.size[i];
    for (int i = 0; i < lf.n; i++)
        if (!has(&lc, lf.size[i]))
            all[nall++] = lf.size[i];
    for (int i = 1; i < nall; i++)
        for (int j = i; j > 0 && all[j] < all[j - 1]; j--) {
            long t = all[j];
            all[j] = all[j - 1];
            all[j - 1] = t;
        }
    /* At each size: both stages run if both fit in the budget. If not, the
     * time left is shared in proportion to the projections, and each stage
     * grows as far as its share allows (at least to twice its size, else
     * not at all), is measured there, and stops: the report shows that
     * size and the projection of the one it could not reach. */
    for (int i = 0; i < nall; i++) {
        long n = all[i];
        bool fn = has(&lf, n), cn = has(&lc, n);
        double pc = cn && c_on ? create_project(cs, n) : 0, pf = fn && f_on ? find_project(fs, n) : 0;
        double left = budget_left();
        bool both = pc + pf <= left;

        if (cn && c_on && both) {
            create_level(cs, n);
        } else if (cn) {
            if (c_on) {
                long s = create_fit(cs, left * pc / (pc + pf));
                fprintf(stderr, "bench_case: create to %ld cases not run: projected %.0f s, %.0f s"
                        " left%s\n", n, pc, left, s > 0 && s < n ? "; growing as far as fits" : "");
                if (s > 0 && s < n)
                    create_level(cs, s);
            }
            c_on = false;
            create_skip(cs, n, create_project(cs, n));
        }
        if (fn && f_on && (both || find_project(fs, n) <= budget_left())) {
            find_level(fs, n);
        } else if (fn) {
            if (f_on) {
                long s = find_fit(fs, budget_left());
                fprintf(stderr, "bench_case: index to %ld cases not run: projected %.0f s, %.0f s"
                        " left%s\n", n, find_project(fs, n), budget_left(),
                        s > 0 && s < n ? "; growing as far as fits" : "");
                if (s > 0 && s < n)
                    find_level(fs, s);
            }
            f_on = false;
            find_skip(fs, n, find_project(fs, n));
        }
    }

    if (cs != NULL) {
        create_report(cs);
        create_done(cs);
    }
    if (fs != NULL) {
        find_report(fs);
        find_done(fs);
    }
    metric("rss.peak", (double)peak_rss_kib(), "KiB");
    printf("bench_case: %.0f s in all; peak RSS %ld KiB\n", seconds_since_start(), peak_rss_kib());
    {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        must(system(cmd) == 0, "cleanup");
    }
    return 0;
}
