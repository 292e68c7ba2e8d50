/* test_report.c - small-cell suppression of the platform report's tables,
 * its safety verifier, and the CSV and JSON forms.
 *
 * Every suppressed table is checked three ways: council__suppression_safe()
 * (the library's exact verifier), the plain rules restated here (no
 * published entry in (0, k), no line with a single hidden entry, hidden
 * values not stored), and, for tables with few hidden entries, a brute
 * force search written here from scratch: try every assignment of the
 * hidden entries near their true values (within +-2, all >= 1) and see
 * which satisfy the published row and column sums. A hidden entry that
 * takes only its true value in every solution is recoverable. (If any
 * other solution exists, one within +-1 exists: the difference of two
 * solutions splits into cycles of unit moves.)
 *
 * Then the report over a period (council_report_platform_period): its
 * bounds, the fiscal year in the council's time zone, its refusals, more
 * than 64 months, and the old call's output for all time.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "helpers.h"
#include "council_int.h"
#include "suppress.h"
#include "case_fixture.h"

#define DIM COUNCIL__REPORT_DIM_MAX
#define EXT ((DIM + 1) * (DIM + 1))

/* ------------------------------------------------------------ fixtures */

static char row_names[DIM][8], col_names[DIM][8];
static const char *row_labels[DIM], *col_labels[DIM];

static void names_init(void)
{
    for (unsigned i = 0; i < DIM; i++) {
        (void)snprintf(row_names[i], sizeof row_names[i], "r%u", i);
        (void)snprintf(col_names[i], sizeof col_names[i], "m%u", i);
        row_labels[i] = row_names[i];
        col_labels[i] = col_names[i];
    }
}

static council__table table(size_t rows, size_t cols, const uint64_t *cells)
{
    council__table t = {"test_table", rows, cols, row_labels, col_labels, cells};

    names_init();
    return t;
}

/* xorshift64*: deterministic, seeded per test. */
static uint64_t rng_state;

static void rng_seed(uint64_t s)
{
    rng_state = s * 0x9e3779b97f4a7c15u + 1;
}

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1du;
}

static uint64_t rng_below(uint64_t n)
{
    return rng() % n;
}

/* Skewed counts: many zeros and small numbers, a tail of large ones. The
 * mode changes the mix: 0 mixed, 1 sparse, 2 nearly all small, 3 heavy. */
static uint64_t skewed(unsigned mode)
{
    uint64_t r = rng_below(100);

    switch (mode) {
    case 1:
        return r < 70 ? 0 : r < 90 ? 1 + rng_below(6) : rng_below(50);
    case 2:
        return r < 10 ? 0 : r < 85 ? 1 + rng_below(4) : 1 + rng_below(12);
    case 3:
        return r < 10 ? 0 : r < 20 ? 1 + rng_below(5) : rng_below(1000);
    default:
        return r < 25 ? 0 : r < 60 ? 1 + rng_below(6) : r < 85 ? rng_below(20) : rng_below(200);
    }
}

/* The extended table: cells, row totals in column C, column totals in
 * row R, the grand total at (R, C). Written again here, not taken from
 * the library. */
typedef struct ext {
    size_t R, C, w;
    uint64_t v[EXT];
    bool hid[EXT];
} ext;

static void ext_build(ext *x, const council__table *t, const council__suppressed *s)
{
    size_t R = t->rows, C = t->cols, w = C + 1;

    memset(x, 0, sizeof *x);
    x->R = R;
    x->C = C;
    x->w = w;
    for (size_t i = 0; i < R; i++)
        for (size_t j = 0; j < C; j++) {
            uint64_t c = t->cells[i * C + j];

            x->v[i * w + j] = c;
            x->v[i * w + C] += c;
            x->v[R * w + j] += c;
            x->v[R * w + C] += c;
        }
    if (s == NULL)
        return;
    for (size_t i = 0; i < R; i++) {
        for (size_t j = 0; j < C; j++)
            x->hid[i * w + j] = s->hidden[i * C + j];
        x->hid[i * w + C] = s->row_total_hidden[i];
    }
    for (size_t j = 0; j < C; j++)
        x->hid[R * w + j] = s->col_total_hidden[j];
    x->hid[R * w + C] = s->total_hidden;
}

static size_t ext_hidden(const ext *x)
{
    size_t n = 0;

    for (size_t f = 0; f < (x->R + 1) * x->w; f++)
        n += x->hid[f];
    return n;
}

/* ------------------------------------------------------------ brute force */

#define BF_MAX 14 /* hidden entries */
#define BF_RADIUS 2

typedef struct bf {
    const ext *x;
    size_t n, idx[BF_MAX];
    int64_t val[EXT];     /* current candidate, published entries fixed */
    size_t lines_at[BF_MAX][2 * (DIM + 1)], n_lines_at[BF_MAX];
    bool other[BF_MAX];   /* entry seen with another value in a solution */
    size_t n_other;
} bf;

static bool line_holds(const bf *b, bool is_row, size_t l)
{
    const ext *x = b->x;
    int64_t sum = 0;

    if (is_row) {
        for (size_t j = 0; j < x->C; j++)
            sum += b->val[l * x->w + j];
        return sum == b->val[l * x->w + x->C];
    }
    for (size_t i = 0; i < x->R; i++)
        sum += b->val[i * x->w + l];
    return sum == b->val[x->R * x->w + l];
}

static void bf_search(bf *b, size_t k)
{
    const ext *x = b->x;

    if (b->n_other == b->n)
        return;
    if (k == b->n) {
        for (size_t m = 0; m < b->n; m++)
            if (!b->other[m] && b->val[b->idx[m]] != (int64_t)x->v[b->idx[m]]) {
                b->other[m] = true;
                b->n_other++;
            }
        return;
    }
    size_t f = b->idx[k];
    int64_t truth = (int64_t)x->v[f];

    for (int64_t d = -BF_RADIUS; d <= BF_RADIUS; d++) {
        bool ok = true;

        if (truth + d < 1)
            continue;
        b->val[f] = truth + d;
        /* lines whose last hidden entry is this one are now complete */
        for (size_t q = 0; q < b->n_lines_at[k] && ok; q++) {
            size_t code = b->lines_at[k][q];

            ok = line_holds(b, code % 2 == 0, code / 2);
        }
        if (ok)
            bf_search(b, k + 1);
    }
    b->val[f] = truth;
}

/* Number of hidden entries recoverable by brute force, or -1 if there are
 * too many hidden entries to search. */
static int brute_recoverable(const ext *x)
{
    bf *b = calloc(1, sizeof *b);
    size_t n_ent = (x->R + 1) * x->w;
    int result;

    assert_non_null(b);
    b->x = x;
    for (size_t f = 0; f < n_ent; f++) {
        b->val[f] = (int64_t)x->v[f];
        if (x->hid[f]) {
            if (b->n == BF_MAX) {
                free(b);
                return -1;
            }
            b->idx[b->n++] = f;
        }
    }
    /* Each line (code 2*i for row i, 2*j+1 for column j) is checked when
     * its last hidden entry is assigned; lines with none hold already. */
    for (size_t i = 0; i <= x->R; i++) {
        size_t last = SIZE_MAX;

        for (size_t m = 0; m < b->n; m++)
            if (b->idx[m] / x->w == i)
                last = m;
        if (last != SIZE_MAX)
            b->lines_at[last][b->n_lines_at[last]++] = 2 * i;
    }
    for (size_t j = 0; j <= x->C; j++) {
        size_t last = SIZE_MAX;

        for (size_t m = 0; m < b->n; m++)
            if (b->idx[m] % x->w == j)
                last = m;
        if (last != SIZE_MAX)
            b->lines_at[last][b->n_lines_at[last]++] = 2 * j + 1;
    }
    bf_search(b, 0);
    result = (int)(b->n - b->n_other);
    free(b);
    return result;
}

/* ------------------------------------------------------------ the checks */

/* Everything a published table must satisfy; returns hidden entries. */
static size_t check_suppressed(const council__table *t, const council__suppressed *s,
                               unsigned k)
{
    ext *x = malloc(sizeof *x);
    size_t R = t->rows, C = t->cols, hidden;

    assert_non_null(x);
    assert_int_equal(s->rows, R);
    assert_int_equal(s->cols, C);
    assert_int_equal(s->k, k);
    assert_true(council__suppression_safe(t, s, k));
    ext_build(x, t, s);
    for (size_t i = 0; i <= R; i++)
        for (size_t j = 0; j <= C; j++) {
            size_t f = i * x->w + j;
            uint64_t shown = i < R && j < C ? s->cells[i * C + j]
                             : i < R        ? s->row_totals[i]
                             : j < C        ? s->col_totals[j]
                                            : s->total;

            if (x->hid[f]) {
                assert_true(x->v[f] >= 1); /* zeros are never hidden */
                assert_true(shown == 0);   /* the true value is not kept */
            } else {
                assert_true(shown == x->v[f]);
                assert_true(shown == 0 || shown >= k);
            }
            /* every small entry is hidden */
            if (x->v[f] > 0 && x->v[f] < k)
                assert_true(x->hid[f]);
        }
    /* the standard rule: no line with exactly one hidden entry */
    for (size_t i = 0; i <= R; i++) {
        size_t n = 0;

        for (size_t j = 0; j <= C; j++)
            n += x->hid[i * x->w + j];
        assert_true(n != 1);
    }
    for (size_t j = 0; j <= C; j++) {
        size_t n = 0;

        for (size_t i = 0; i <= R; i++)
            n += x->hid[i * x->w + j];
        assert_true(n != 1);
    }
    /* and, where small enough, the brute force agrees: nothing recoverable */
    int rec = brute_recoverable(x);

    assert_true(rec <= 0);
    hidden = ext_hidden(x);
    free(x);
    return hidden;
}

static bool cell_hidden(const council__suppressed *s, size_t i, size_t j)
{
    return s->hidden[i * s->cols + j];
}

/* ------------------------------------------------------------ hand-made */

/* The issue's example: one hidden cell in a row forces a second one, in
 * its row and in its column, and a fourth closes the rectangle. */
static void test_report__one_hidden_in_row_forces_second(void **state)
{
    const uint64_t cells[] = {20, 3, 30, /**/ 40, 50, 60, /**/ 70, 80, 90};
    council__table t = table(3, 3, cells);
    council__suppressed s;

    (void)state;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    assert_int_equal(check_suppressed(&t, &s, 5), 4);
    /* 3 is primary; the cheapest rectangle through it is 20, 50, 40
     * (sum 110; 50, 60, 30 would cost 140). */
    assert_true(cell_hidden(&s, 0, 1));
    assert_true(cell_hidden(&s, 0, 0));
    assert_true(cell_hidden(&s, 1, 1));
    assert_true(cell_hidden(&s, 1, 0));
    for (size_t i = 0; i < 3; i++)
        assert_false(s.row_total_hidden[i]);
    assert_int_equal(s.row_totals[0], 53);
    assert_false(s.total_hidden);
    assert_int_equal(s.total, 443);
    council__suppressed_free(&s);
    /* council__suppressed_free zeroes, and accepts NULL and a freed one */
    assert_null(s.cells);
    council__suppressed_free(&s);
    council__suppressed_free(NULL);
}

/* A single hidden cell in a row is always recoverable from the row total;
 * the verifier must say so. */
static void test_report__verifier_rejects_single_hidden(void **state)
{
    const uint64_t cells[] = {20, 3, 30, /**/ 40, 50, 60, /**/ 70, 80, 90};
    council__table t = table(3, 3, cells);
    council__suppressed s;

    (void)state;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    assert_true(council__suppression_safe(&t, &s, 5));
    /* publish 20 again: 3 is then the only unknown of row 0 */
    s.hidden[0] = false;
    s.cells[0] = 20;
    assert_false(council__suppression_safe(&t, &s, 5));
    s.hidden[0] = true;
    s.cells[0] = 0;
    assert_true(council__suppression_safe(&t, &s, 5));
    /* a hidden entry that keeps its true value */
    s.cells[1] = 3;
    assert_false(council__suppression_safe(&t, &s, 5));
    s.cells[1] = 0;
    /* a published entry that lies */
    s.cells[2] = 31;
    assert_false(council__suppression_safe(&t, &s, 5));
    s.cells[2] = 30;
    s.row_totals[2] = 241;
    assert_false(council__suppression_safe(&t, &s, 5));
    s.row_totals[2] = 240;
    /* published 30 is below k = 31 */
    assert_false(council__suppression_safe(&t, &s, 31));
    /* k below 3, NULLs, a shape mismatch */
    assert_false(council__suppression_safe(&t, &s, 2));
    assert_false(council__suppression_safe(NULL, &s, 5));
    assert_false(council__suppression_safe(&t, NULL, 5));
    s.rows = 2;
    assert_false(council__suppression_safe(&t, &s, 5));
    s.rows = 3;
    /* hiding a zero breaks the model (hidden entries are >= 1) */
    {
        const uint64_t z[] = {0, 30, 30, 30};
        council__table tz = table(2, 2, z);
        council__suppressed sz;

        assert_int_equal(council__suppress(&sz, &tz, 5), COUNCIL_OK);
        assert_int_equal(check_suppressed(&tz, &sz, 5), 0);
        sz.hidden[0] = sz.hidden[1] = sz.hidden[2] = sz.hidden[3] = true;
        sz.cells[1] = sz.cells[2] = sz.cells[3] = 0;
        assert_false(council__suppression_safe(&tz, &sz, 5));
        council__suppressed_free(&sz);
    }
    assert_true(council__suppression_safe(&t, &s, 5));
    council__suppressed_free(&s);
}

/* Two hidden 1s in a row with its total published: 1 + 1 = 2, and since
 * hidden entries are >= 1 (zeros are shown) both are known although the
 * row has two hidden cells: the exact rule must hide more. */
static void test_report__two_ones_need_a_third(void **state)
{
    const uint64_t cells[] = {1, 1, 50, 60, /**/ 30, 40, 50, 60, /**/ 35, 45, 55, 65};
    council__table t = table(3, 4, cells);
    council__suppressed s;
    size_t in_row0 = 0;

    (void)state;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    check_suppressed(&t, &s, 5);
    for (size_t j = 0; j < 4; j++)
        in_row0 += cell_hidden(&s, 0, j);
    assert_true(in_row0 + s.row_total_hidden[0] >= 3);
    /* a rectangle (two hidden per line) is not safe here */
    memset(s.hidden, 0, 12 * sizeof *s.hidden);
    memcpy(s.cells, cells, sizeof cells);
    s.hidden[0] = s.hidden[1] = s.hidden[4] = s.hidden[5] = true;
    s.cells[0] = s.cells[1] = s.cells[4] = s.cells[5] = 0;
    for (size_t i = 0; i < 3; i++)
        s.row_total_hidden[i] = false;
    s.row_totals[0] = 112;
    s.row_totals[1] = 180;
    s.row_totals[2] = 200;
    for (size_t j = 0; j < 4; j++)
        s.col_total_hidden[j] = false;
    s.col_totals[0] = 66;
    s.col_totals[1] = 86;
    s.col_totals[2] = 155;
    s.col_totals[3] = 185;
    s.total_hidden = false;
    s.total = 492;
    assert_false(council__suppression_safe(&t, &s, 5));
    council__suppressed_free(&s);
}

/* Every cell small: all 1s. With every hidden cell >= 1 and the grand
 * total 9 = the number of cells, publishing the grand total would give
 * every cell away, so everything is hidden. */
static void test_report__all_cells_small(void **state)
{
    uint64_t cells[9];
    council__table t = table(3, 3, cells);
    council__suppressed s;

    (void)state;
    for (size_t i = 0; i < 9; i++)
        cells[i] = 1;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    assert_int_equal(check_suppressed(&t, &s, 5), 16);
    assert_true(s.total_hidden);
    council__suppressed_free(&s);

    /* all between 1 and 4: same, whatever the mix */
    for (unsigned seed = 1; seed <= 50; seed++) {
        rng_seed(seed);
        size_t R = 1 + rng_below(6), C = 1 + rng_below(6);
        uint64_t c[36];
        council__table tt = table(R, C, c);

        for (size_t i = 0; i < R * C; i++)
            c[i] = 1 + rng_below(4);
        assert_int_equal(council__suppress(&s, &tt, 5), COUNCIL_OK);
        check_suppressed(&tt, &s, 5);
        for (size_t i = 0; i < R * C; i++)
            assert_true(s.hidden[i]);
        council__suppressed_free(&s);
    }
}

/* One non-zero cell: its row total, column total and the grand total all
 * equal it, so all four are hidden; the zeros stay. */
static void test_report__single_nonzero_cell(void **state)
{
    uint64_t cells[12] = {0};
    council__table t = table(3, 4, cells);
    council__suppressed s;

    (void)state;
    cells[6] = 3; /* (1, 2) */
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    assert_int_equal(check_suppressed(&t, &s, 5), 4);
    assert_true(cell_hidden(&s, 1, 2));
    assert_true(s.row_total_hidden[1]);
    assert_true(s.col_total_hidden[2]);
    assert_true(s.total_hidden);
    assert_int_equal(s.cells[0], 0);
    assert_false(s.hidden[0]);
    council__suppressed_free(&s);

    /* the same cell at k or over is not small: nothing hidden */
    cells[6] = 5;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    assert_int_equal(check_suppressed(&t, &s, 5), 0);
    assert_int_equal(s.cells[6], 5);
    assert_int_equal(s.total, 5);
    council__suppressed_free(&s);

    /* an all-zero table publishes every zero */
    cells[6] = 0;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    assert_int_equal(check_suppressed(&t, &s, 5), 0);
    council__suppressed_free(&s);
}

/* A row with one small cell and the rest zeros: with the zeros shown, the
 * small cell equals the row total, so the total (3, below k) is hidden
 * too, and then another row total and a cell pair with them. */
static void test_report__small_cell_among_zeros(void **state)
{
    const uint64_t cells[] = {3, 0, 0, /**/ 10, 20, 30, /**/ 15, 25, 35};
    council__table t = table(3, 3, cells);
    council__suppressed s;

    (void)state;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    assert_int_equal(check_suppressed(&t, &s, 5), 4);
    assert_true(cell_hidden(&s, 0, 0));
    assert_true(s.row_total_hidden[0]);
    assert_true(cell_hidden(&s, 1, 0));
    assert_true(s.row_total_hidden[1]);
    assert_false(cell_hidden(&s, 0, 1)); /* the zeros are shown */
    assert_false(s.total_hidden);
    /* publishing the row total instead would give the 3 away */
    s.row_total_hidden[0] = false;
    s.row_totals[0] = 3;
    assert_false(council__suppression_safe(&t, &s, 5));
    council__suppressed_free(&s);

    /* the same down a column */
    const uint64_t tr[] = {3, 10, 15, /**/ 0, 20, 25, /**/ 0, 30, 35};
    council__table t2 = table(3, 3, tr);

    assert_int_equal(council__suppress(&s, &t2, 5), COUNCIL_OK);
    assert_int_equal(check_suppressed(&t2, &s, 5), 4);
    assert_true(s.col_total_hidden[0]);
    council__suppressed_free(&s);
}

/* Small cells on a diagonal: every margin is small too, yet the grand
 * total can stay published. */
static void test_report__diagonal(void **state)
{
    const uint64_t cells[] = {3, 0, 0, /**/ 0, 3, 0, /**/ 0, 0, 3};
    council__table t = table(3, 3, cells);
    council__suppressed s;

    (void)state;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    assert_int_equal(check_suppressed(&t, &s, 5), 9);
    assert_false(s.total_hidden);
    assert_int_equal(s.total, 9);
    council__suppressed_free(&s);
}

/* One-column and one-row tables (a count by one attribute), and empty
 * ones (no months yet). */
static void test_report__thin_tables(void **state)
{
    const uint64_t col[] = {12, 2, 40, 7, 0};
    council__table t = table(5, 1, col);
    council__suppressed s;

    (void)state;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    check_suppressed(&t, &s, 5);
    assert_true(s.hidden[1]);
    assert_true(s.row_total_hidden[1]);
    assert_true(s.hidden[3]); /* 7, the smallest other non-zero */
    assert_false(s.hidden[4]);
    assert_false(s.col_total_hidden[0]);
    council__suppressed_free(&s);

    t = table(1, 5, col);
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    check_suppressed(&t, &s, 5);
    council__suppressed_free(&s);

    t = table(1, 1, col + 1); /* a single small count */
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    assert_int_equal(check_suppressed(&t, &s, 5), 4);
    council__suppressed_free(&s);

    t = table(0, 3, NULL);
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    assert_int_equal(check_suppressed(&t, &s, 5), 0);
    council__suppressed_free(&s);
    t = table(0, 0, NULL);
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    assert_int_equal(check_suppressed(&t, &s, 5), 0);
    council__suppressed_free(&s);
}

/* k: 3 is the floor, larger k hides more. */
static void test_report__threshold(void **state)
{
    const uint64_t cells[] = {3, 4, 30, /**/ 40, 50, 60};
    council__table t = table(2, 3, cells);
    council__suppressed s;

    (void)state;
    assert_int_equal(council__suppress(&s, &t, 2), COUNCIL_EINVAL);
    assert_null(s.cells);
    assert_int_equal(council__suppress(&s, &t, 0), COUNCIL_EINVAL);
    assert_int_equal(council__suppress(&s, &t, 3), COUNCIL_OK);
    check_suppressed(&t, &s, 3);
    assert_false(cell_hidden(&s, 0, 0));
    assert_false(cell_hidden(&s, 0, 1));
    council__suppressed_free(&s);
    assert_int_equal(council__suppress(&s, &t, 4), COUNCIL_OK);
    check_suppressed(&t, &s, 4);
    assert_true(cell_hidden(&s, 0, 0));
    /* 4 is not below 4, but it is on the cheapest cycle (4 + 40 + 50) */
    assert_true(cell_hidden(&s, 0, 1));
    assert_false(cell_hidden(&s, 0, 2));
    council__suppressed_free(&s);
    assert_int_equal(council__suppress(&s, &t, COUNCIL__REPORT_K_DEFAULT), COUNCIL_OK);
    check_suppressed(&t, &s, 5);
    assert_true(cell_hidden(&s, 0, 0));
    assert_true(cell_hidden(&s, 0, 1));
    council__suppressed_free(&s);
    /* a huge k hides every non-zero entry, and that is safe */
    assert_int_equal(council__suppress(&s, &t, 1000000), COUNCIL_OK);
    assert_int_equal(check_suppressed(&t, &s, 1000000), 12);
    council__suppressed_free(&s);
}

static void test_report__bad_arguments(void **state)
{
    uint64_t cells[4] = {10, 20, 30, 40};
    const char *rl[2] = {"open", "closed"}, *cl[2] = {"2024-04", "2024-05"};
    council__table t = {"cases_by_status_and_month", 2, 2, rl, cl, cells};
    council__suppressed s;
    static const char *const bad[] = {
        "",                                     /* empty */
        "a,b",                                  /* CSV separator */
        "a\"b",                                 /* quote */
        "a b",                                  /* space */
        "a\nb",                                 /* control */
        "\xe9\x96\x8b",                         /* not ASCII */
        "2024-04-01",                           /* a date finer than a month */
        "2024.04.01",
        "20240401",                             /* 8 digits */
        "1b4e28ba-2fa1-11d2-883f-0016d3cca427", /* a UUID */
        "deadbeef",                             /* a hex pseudonym */
        "TOTAL",                                /* clashes with the margin */
        "abcdefghijklmnopqrstuvwxyzabcdefg",    /* 33 bytes */
    };

    (void)state;
    assert_int_equal(council__suppress(NULL, &t, 5), COUNCIL_EINVAL);
    assert_int_equal(council__suppress(&s, NULL, 5), COUNCIL_EINVAL);
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    council__suppressed_free(&s);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rl[1] = bad[i];
        assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_EINVAL);
        rl[1] = "closed";
        cl[0] = bad[i];
        assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_EINVAL);
        cl[0] = "2024-04";
        t.title = bad[i];
        /* (a title may be up to 64 bytes) */
        assert_int_equal(council__suppress(&s, &t, 5),
                         strlen(bad[i]) == 33 ? COUNCIL_OK : COUNCIL_EINVAL);
        council__suppressed_free(&s);
        t.title = "cases_by_status_and_month";
    }
    t.title = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm"; /* 65 */
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_EINVAL);
    t.title = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl";
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    council__suppressed_free(&s);
    t.title = "cases_by_status_and_month";
    /* good codes */
    static const char *const good[] = {"70-79", "80+", "age_0-17", "support_meeting",
                                       "v1.2", "abcdefghijklmnopqrstuvwxyzabcdef"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        rl[1] = good[i];
        assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
        council__suppressed_free(&s);
    }
    rl[1] = NULL;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_EINVAL);
    rl[1] = "open"; /* duplicate */
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_EINVAL);
    rl[1] = "closed";
    t.row_labels = NULL;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_EINVAL);
    t.row_labels = rl;
    t.title = NULL;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_EINVAL);
    t.title = "cases_by_status_and_month";
    t.cells = NULL;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_EINVAL);
    t.cells = cells;
    /* limits */
    cells[3] = (uint64_t)COUNCIL__REPORT_COUNT_MAX + 1;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_ELIMIT);
    cells[3] = COUNCIL__REPORT_COUNT_MAX;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    check_suppressed(&t, &s, 5);
    council__suppressed_free(&s);
    cells[3] = 40;
    t.rows = COUNCIL__REPORT_ROWS_MAX + 1;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_ELIMIT);
    t.rows = 2;
    t.cols = SIZE_MAX;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_ELIMIT);
}

/* ------------------------------------------------------------ generated */

/* 500 random tables up to 12 x 12 with skewed counts; each one checked
 * (verifier, plain rules, brute force where it fits) and suppressed twice
 * with the same result. */
static void test_report__generated_tables(void **state)
{
    static const unsigned ks[] = {3, 5, 5, 10};
    uint64_t cells[144];
    size_t brute = 0;

    (void)state;
    rng_seed(0x5eed0001);
    for (unsigned n = 0; n < 500; n++) {
        size_t R = 1 + rng_below(12), C = 1 + rng_below(12);
        unsigned mode = (unsigned)rng_below(4), k = ks[rng_below(4)];
        council__table t = table(R, C, cells);
        council__suppressed s, s2;
        ext *x = malloc(sizeof *x);

        assert_non_null(x);
        for (size_t i = 0; i < R * C; i++)
            cells[i] = skewed(mode);
        assert_int_equal(council__suppress(&s, &t, k), COUNCIL_OK);
        check_suppressed(&t, &s, k);
        ext_build(x, &t, &s);
        brute += brute_recoverable(x) >= 0;
        assert_int_equal(council__suppress(&s2, &t, k), COUNCIL_OK);
        assert_memory_equal(s.hidden, s2.hidden, R * C * sizeof *s.hidden);
        assert_memory_equal(s.row_total_hidden, s2.row_total_hidden, R * sizeof(bool));
        assert_memory_equal(s.col_total_hidden, s2.col_total_hidden, C * sizeof(bool));
        council__suppressed_free(&s);
        council__suppressed_free(&s2);
        free(x);
    }
    /* the brute force really ran on a good share of them */
    assert_true(brute >= 100);
}

/* Small tables, many seeds: the brute force applies to nearly all. */
static void test_report__generated_small_brute(void **state)
{
    uint64_t cells[16];

    (void)state;
    rng_seed(0x5eed0002);
    for (unsigned n = 0; n < 1000; n++) {
        size_t R = 1 + rng_below(4), C = 1 + rng_below(4);
        council__table t = table(R, C, cells);
        council__suppressed s;

        for (size_t i = 0; i < R * C; i++)
            cells[i] = skewed((unsigned)rng_below(4));
        assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
        check_suppressed(&t, &s, 5);
        council__suppressed_free(&s);
    }
}

/* The verifier against the brute force on arbitrary hiding patterns (not
 * only the suppressor's): they must agree on every one. */
static void test_report__verifier_matches_brute_force(void **state)
{
    uint64_t cells[16];
    size_t agree_safe = 0, agree_unsafe = 0;

    (void)state;
    rng_seed(0x5eed0003);
    for (unsigned n = 0; n < 3000; n++) {
        size_t R = 1 + rng_below(4), C = 1 + rng_below(4);
        council__table t = table(R, C, cells);
        council__suppressed s;
        ext *x = malloc(sizeof *x);
        int rec;

        assert_non_null(x);
        for (size_t i = 0; i < R * C; i++)
            cells[i] = skewed((unsigned)rng_below(4));
        /* start from a real result, then reshape it: hide primaries and a
         * random subset of the other non-zero entries */
        assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
        ext_build(x, &t, NULL);
        for (size_t f = 0; f < (R + 1) * x->w; f++)
            x->hid[f] = x->v[f] > 0 && (x->v[f] < 5 || rng_below(100) < 35);
        for (size_t i = 0; i <= R; i++)
            for (size_t j = 0; j <= C; j++) {
                size_t f = i * x->w + j;
                bool h = x->hid[f];
                uint64_t shown = h ? 0 : x->v[f];

                if (i < R && j < C) {
                    s.hidden[i * C + j] = h;
                    s.cells[i * C + j] = shown;
                } else if (i < R) {
                    s.row_total_hidden[i] = h;
                    s.row_totals[i] = shown;
                } else if (j < C) {
                    s.col_total_hidden[j] = h;
                    s.col_totals[j] = shown;
                } else {
                    s.total_hidden = h;
                    s.total = shown;
                }
            }
        rec = brute_recoverable(x);
        if (rec >= 0) {
            bool safe = council__suppression_safe(&t, &s, 5);

            assert_int_equal(safe, rec == 0);
            if (safe)
                agree_safe++;
            else
                agree_unsafe++;
        }
        council__suppressed_free(&s);
        free(x);
    }
    /* both verdicts were exercised */
    assert_true(agree_safe >= 100);
    assert_true(agree_unsafe >= 100);
}

/* Nothing below k, nothing hidden: no over-suppression. */
static void test_report__no_small_cells_nothing_hidden(void **state)
{
    uint64_t cells[144];

    (void)state;
    rng_seed(0x5eed0004);
    for (unsigned n = 0; n < 200; n++) {
        size_t R = 1 + rng_below(12), C = 1 + rng_below(12);
        council__table t = table(R, C, cells);
        council__suppressed s;

        for (size_t i = 0; i < R * C; i++)
            cells[i] = rng_below(3) == 0 ? 0 : 5 + rng_below(100);
        assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
        assert_int_equal(check_suppressed(&t, &s, 5), 0);
        council__suppressed_free(&s);
    }
}

/* The largest tables: all 1s (everything must go) and random counts. */
static void test_report__largest_tables(void **state)
{
    uint64_t *cells = malloc(DIM * DIM * sizeof *cells);
    council__table t = table(DIM, DIM, cells);
    council__suppressed s;

    (void)state;
    assert_non_null(cells);
    for (size_t i = 0; i < DIM * DIM; i++)
        cells[i] = 1;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    assert_int_equal(check_suppressed(&t, &s, 5), (DIM + 1) * (DIM + 1));
    council__suppressed_free(&s);
    rng_seed(0x5eed0005);
    for (unsigned n = 0; n < 4; n++) {
        for (size_t i = 0; i < DIM * DIM; i++)
            cells[i] = skewed(n);
        assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
        check_suppressed(&t, &s, 5);
        council__suppressed_free(&s);
    }
    free(cells);
}

/* ------------------------------------------------------------ rendering */

static const char *const status_rows[] = {"open", "monitoring", "closed"};
static const char *const month_cols[] = {"2024-04", "2024-05", "2024-06"};
static const uint64_t example_cells[] = {20, 3, 30, /**/ 40, 50, 60, /**/ 70, 80, 90};

static council__table example(void)
{
    council__table t = {"cases_by_status_and_month", 3, 3, status_rows, month_cols,
                        example_cells};
    return t;
}

static void test_report__csv(void **state)
{
    council__table t = example();
    council__suppressed s;
    council_buf b = {NULL, 0};
    static const char want[] =
        "cases_by_status_and_month,2024-04,2024-05,2024-06,total\n"
        "open,x,x,30,53\n"
        "monitoring,x,x,60,150\n"
        "closed,70,80,90,240\n"
        "total,130,133,180,443\n";

    (void)state;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    assert_int_equal(council__report_csv(&b, &t, &s), COUNCIL_OK);
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.ptr, want, b.len);
    council_buf_free(&b);
    council__suppressed_free(&s);

    /* hidden totals are "x" too; zeros are "0" */
    const uint64_t z[] = {3, 0, 0, 0};
    council__table tz = {"one_small", 2, 2, status_rows, month_cols, z};
    static const char want_z[] =
        "one_small,2024-04,2024-05,total\n"
        "open,x,0,x\n"
        "monitoring,0,0,0\n"
        "total,x,0,x\n";

    assert_int_equal(council__suppress(&s, &tz, 5), COUNCIL_OK);
    assert_int_equal(council__report_csv(&b, &tz, &s), COUNCIL_OK);
    assert_int_equal(b.len, strlen(want_z));
    assert_memory_equal(b.ptr, want_z, b.len);
    assert_false(th_contains(b.ptr, b.len, "3"));
    council_buf_free(&b);
    council__suppressed_free(&s);
}

static void test_report__json(void **state)
{
    council__table t = example();
    council__suppressed s;
    council_buf b = {NULL, 0};
    json_error_t err;
    json_t *root, *cells;
    static const char want[] =
        "{\"title\":\"cases_by_status_and_month\",\"k\":5,"
        "\"rows\":[\"open\",\"monitoring\",\"closed\"],"
        "\"cols\":[\"2024-04\",\"2024-05\",\"2024-06\"],"
        "\"cells\":[[null,null,30],[null,null,60],[70,80,90]],"
        "\"row_totals\":[53,150,240],\"col_totals\":[130,133,180],\"total\":443}";

    (void)state;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    assert_int_equal(council__report_json(&b, &t, &s), COUNCIL_OK);
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.ptr, want, b.len);
    root = json_loadb((const char *)b.ptr, b.len, JSON_REJECT_DUPLICATES, &err);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "title")),
                        "cases_by_status_and_month");
    assert_int_equal(json_integer_value(json_object_get(root, "k")), 5);
    assert_int_equal(json_array_size(json_object_get(root, "rows")), 3);
    assert_string_equal(json_string_value(json_array_get(json_object_get(root, "cols"), 1)),
                        "2024-05");
    cells = json_object_get(root, "cells");
    assert_true(json_is_null(json_array_get(json_array_get(cells, 0), 1)));
    assert_int_equal(json_integer_value(json_array_get(json_array_get(cells, 2), 0)), 70);
    assert_int_equal(json_integer_value(json_object_get(root, "total")), 443);
    json_decref(root);
    council_buf_free(&b);
    council__suppressed_free(&s);
}

/* Every generated table renders; its JSON parses and says exactly what the
 * suppressed table says; its CSV has one "x" per hidden entry. */
static void test_report__render_generated(void **state)
{
    uint64_t cells[144];

    (void)state;
    rng_seed(0x5eed0006);
    for (unsigned n = 0; n < 200; n++) {
        size_t R = rng_below(13), C = rng_below(13);
        council__table t = table(R, C, cells);
        council__suppressed s;
        council_buf b = {NULL, 0};
        json_error_t err;
        json_t *root;
        size_t xs = 0, hidden = 0;

        for (size_t i = 0; i < R * C; i++)
            cells[i] = skewed((unsigned)rng_below(4));
        assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
        hidden = check_suppressed(&t, &s, 5);

        assert_int_equal(council__report_json(&b, &t, &s), COUNCIL_OK);
        root = json_loadb((const char *)b.ptr, b.len, JSON_REJECT_DUPLICATES, &err);
        assert_non_null(root);
        assert_int_equal(json_object_size(root), 8);
        json_t *jc = json_object_get(root, "cells"), *jr = json_object_get(root, "row_totals"),
               *jk = json_object_get(root, "col_totals"), *jt = json_object_get(root, "total");
        assert_int_equal(json_array_size(jc), R);
        for (size_t i = 0; i < R; i++) {
            json_t *row = json_array_get(jc, i);

            assert_int_equal(json_array_size(row), C);
            for (size_t j = 0; j < C; j++) {
                json_t *v = json_array_get(row, j);

                if (s.hidden[i * C + j])
                    assert_true(json_is_null(v));
                else
                    assert_int_equal((uint64_t)json_integer_value(v), s.cells[i * C + j]);
            }
            if (s.row_total_hidden[i])
                assert_true(json_is_null(json_array_get(jr, i)));
            else
                assert_int_equal((uint64_t)json_integer_value(json_array_get(jr, i)),
                                 s.row_totals[i]);
        }
        assert_int_equal(json_array_size(jk), C);
        for (size_t j = 0; j < C; j++)
            assert_int_equal(json_is_null(json_array_get(jk, j)), s.col_total_hidden[j]);
        assert_int_equal(json_is_null(jt), s.total_hidden);
        json_decref(root);
        council_buf_free(&b);

        assert_int_equal(council__report_csv(&b, &t, &s), COUNCIL_OK);
        size_t lines = 0;
        for (size_t p = 0; p < b.len; p++) {
            lines += b.ptr[p] == '\n';
            if (b.ptr[p] == 'x' && (p + 1 == b.len || b.ptr[p + 1] == ',' ||
                                    b.ptr[p + 1] == '\n') &&
                (b.ptr[p - 1] == ','))
                xs++;
        }
        assert_int_equal(lines, R + 2);
        assert_int_equal(xs, hidden);
        council_buf_free(&b);
        council__suppressed_free(&s);
    }
}

/* The renderers check before they write: an unsafe or mismatched table is
 * refused and nothing is returned. */
static void test_report__render_refuses_unsafe(void **state)
{
    council__table t = example();
    council__suppressed s;
    council_buf b = {NULL, 0};

    (void)state;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    /* the 3 published */
    s.hidden[1] = false;
    s.cells[1] = 3;
    assert_int_equal(council__report_csv(&b, &t, &s), COUNCIL_EDENIED);
    assert_null(b.ptr);
    assert_int_equal(b.len, 0);
    assert_int_equal(council__report_json(&b, &t, &s), COUNCIL_EDENIED);
    assert_null(b.ptr);
    s.hidden[1] = true;
    s.cells[1] = 0;
    /* a complement published: 3 recoverable */
    s.hidden[0] = false;
    s.cells[0] = 20;
    assert_int_equal(council__report_json(&b, &t, &s), COUNCIL_EDENIED);
    s.hidden[0] = true;
    s.cells[0] = 0;
    /* a lower k than the one asked for */
    s.k = 2;
    assert_int_equal(council__report_csv(&b, &t, &s), COUNCIL_EDENIED);
    s.k = 31; /* 30 published: below this k */
    assert_int_equal(council__report_csv(&b, &t, &s), COUNCIL_EDENIED);
    s.k = 5;
    /* shape and arguments */
    s.cols = 2;
    assert_int_equal(council__report_csv(&b, &t, &s), COUNCIL_EINVAL);
    s.cols = 3;
    assert_int_equal(council__report_csv(NULL, &t, &s), COUNCIL_EINVAL);
    assert_int_equal(council__report_csv(&b, NULL, &s), COUNCIL_EINVAL);
    assert_int_equal(council__report_json(&b, &t, NULL), COUNCIL_EINVAL);
    assert_int_equal(council__report_csv(&b, &t, &s), COUNCIL_OK);
    council_buf_free(&b);
    council__suppressed_free(&s);
}

/* Out of memory at every allocation: ENOMEM, nothing half-made, no leak
 * (run under valgrind / ASan by make valgrind / make asan). */
static void test_report__out_of_memory(void **state)
{
    council__table t = example();
    council__suppressed s;
    council_buf b = {NULL, 0};
    int rc = COUNCIL_ENOMEM;

    (void)state;
    for (long n = 0; rc != COUNCIL_OK; n++) {
        assert_true(n < 100);
        council__fault_alloc_after(n);
        rc = council__suppress(&s, &t, 5);
        council__fault_alloc_after(-1);
        if (rc != COUNCIL_OK) {
            assert_int_equal(rc, COUNCIL_ENOMEM);
            assert_null(s.cells);
            assert_null(s.hidden);
            assert_null(s.row_totals);
        }
    }
    for (int json = 0; json < 2; json++) {
        council__fault_alloc_after(0);
        rc = json ? council__report_json(&b, &t, &s) : council__report_csv(&b, &t, &s);
        council__fault_alloc_after(-1);
        assert_int_equal(rc, COUNCIL_ENOMEM);
        assert_null(b.ptr);
    }
    council__suppressed_free(&s);
}

/* Found by the CLI tests: three cells of 1 (rows 2 and 1, columns 2 and
 * 1) with k = 3. Every count but the grand total (3) is small, and with the
 * grand total published each hidden cell would have to be 1. */
static void test_report__ones_with_published_total(void **state)
{
    /* bodies x member kinds, as the platform report lays them out */
    uint64_t cells[3 * 15] = { 0 };
    council__table t;

    cells[0 * 15 + 0] = 1;  /* council, municipal department */
    cells[0 * 15 + 4] = 1;  /* council, NPO */
    cells[1 * 15 + 0] = 1;  /* support meeting, municipal department */
    t = table(3, 15, cells);
    council__suppressed s;

    (void)state;
    assert_int_equal(council__suppress(&s, &t, 3), COUNCIL_OK);
    check_suppressed(&t, &s, 3);
    assert_true(council__suppression_safe(&t, &s, 3));
    assert_true(s.total_hidden);
    council__suppressed_free(&s);
}

/* ------------------------------------------------------------- periods */

/* n cases owned by member A, opened (as the store says) at `created`. */
static void cases_at(fx *f, int n, int64_t created)
{
    for (int i = 0; i < n; i++) {
        council_case_options co = COUNCIL_CASE_OPTIONS_INIT;
        uint8_t cid[16], pid[16];
        sqlite3_stmt *st = NULL;

        co.owner = f->ma;
        co.owner_len = 16;
        assert_int_equal(council_case_create(f->c, cid, 16, pid, 16, &co), COUNCIL_OK);
        assert_int_equal(sqlite3_prepare_v2(f->c->db, "UPDATE case_record SET created = ?1 "
                                            "WHERE id = ?2;", -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_bind_int64(st, 1, created), SQLITE_OK);
        assert_int_equal(sqlite3_bind_blob(st, 2, cid, 16, SQLITE_STATIC), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
}

/* The JSON report over o (k = 3), parsed. */
static json_t *period_json(council *c, council_report_options o)
{
    council_buf out = { NULL, 0 };
    json_error_t err;
    json_t *j;

    o.k = 3;
    o.format = COUNCIL_REPORT_JSON;
    /* these tests look at one period after another on the same store: each
     * overlapping report is issued with an override (the register's own
     * test is test_report__overlap_refused) */
    o.overlap_reason = "test_rerun";
    assert_int_equal(council_report_platform_period(c, &out, &o), COUNCIL_OK);
    assert_int_equal(th_last_action(c), COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_REPORT_ISSUED);
    j = json_loadb((const char *)out.ptr, out.len, JSON_REJECT_DUPLICATES, &err);
    assert_non_null(j);
    council_buf_free(&out);
    return j;
}

static json_t *month_table(json_t *j)
{
    json_t *t = json_array_get(json_object_get(j, "tables"), 2);

    assert_string_equal(json_string_value(json_object_get(t, "title")), "cases_by_month");
    return t;
}

/* The count of month label m in cases_by_month (-1: no such row). */
static json_int_t month_count(json_t *j, const char *m)
{
    json_t *t = month_table(j), *rows = json_object_get(t, "rows");
    size_t i;
    json_t *v;

    json_array_foreach(rows, i, v)
        if (strcmp(json_string_value(v), m) == 0)
            return json_integer_value(json_array_get(json_array_get(json_object_get(t, "cells"),
                                                                    i), 0));
    return -1;
}

static json_int_t cases_total(json_t *j)
{
    return json_integer_value(json_object_get(month_table(j), "total"));
}

static council_report_options dates(int64_t from, int64_t to)
{
    council_report_options o = COUNCIL_REPORT_OPTIONS_INIT;

    o.from = from;
    o.to = to;
    return o;
}

static council_report_options fiscal(int32_t y)
{
    council_report_options o = COUNCIL_REPORT_OPTIONS_INIT;

    o.fiscal_year = y;
    return o;
}

/* The table titled title in the report j. */
static json_t *titled(json_t *j, const char *title)
{
    size_t i;
    json_t *t;

    json_array_foreach(json_object_get(j, "tables"), i, t)
        if (strcmp(json_string_value(json_object_get(t, "title")), title) == 0)
            return t;
    fail_msg("no table %s", title);
    return NULL;
}

/* Referrals by the state they are in, suppressed like every table: four
 * referrals, three accepted and one declined; the declined one is a
 * small cell (k = 3) and hidden, and so is as much as keeps it hidden. */
static void test_report__referrals_by_state(void **state)
{
    fx *f = *state;
    council *a = staff_open(f, f->sa, &f->ka);
    json_t *j, *t, *cells;
    int64_t seen = 0;
    size_t i;
    json_t *v;

    for (int n = 0; n < 4; n++) {
        council_referral_options o = COUNCIL_REFERRAL_OPTIONS_INIT;
        const char *sc[1] = { "situation" };
        uint8_t cid[16], pid[16], rid[16];

        new_case(a, cid, pid);
        put(a, cid, pid, "situation", sec_text("状況"), COUNCIL_OK);
        o.case_id = cid;
        o.case_id_len = 16;
        o.to_member = f->mc;
        o.to_member_len = 16;
        o.scopes = sc;
        o.n_scopes = 1;
        o.basis = "appi_27_1_4_public_duty";
        o.reason = "支援につなぐため";
        assert_int_equal(council_referral_propose(a, rid, 16, &o), COUNCIL_OK);
        assert_int_equal(council_referral_transition(f->c, rid, 16,
                                                     n < 3 ? COUNCIL_REFERRAL_ACCEPTED
                                                           : COUNCIL_REFERRAL_DECLINED,
                                                     n < 3 ? NULL : "not_our_area", NULL, 0, 0),
                         COUNCIL_OK);
    }
    council_close(a);
    j = period_json(f->c, dates(0, 0));
    t = titled(j, "referrals_by_state");
    assert_int_equal(json_integer_value(json_object_get(t, "total")), 4);
    cells = json_array_get(json_object_get(t, "cells"), 0);
    assert_int_equal(json_array_size(cells), 6);
    /* accepted (3) and declined (1) as counted; the 1 hidden, and the
     * published cells never add up to more than the total */
    assert_true(json_is_null(json_array_get(cells, 2)));
    json_array_foreach(cells, i, v) {
        if (!json_is_null(v))
            seen += json_integer_value(v);
    }
    assert_true(seen <= 4 && seen != 3);
    /* no request yet: the requests' table is there, with nothing in it */
    t = titled(j, "requests_by_outcome");
    assert_true(json_is_null(json_object_get(t, "total")) ||
                json_integer_value(json_object_get(t, "total")) == 0);
    json_decref(j);
}

/* [from, to): a case opened at from counts, one opened at to does not (it
 * is in the next period). */
static void test_report__period_bounds(void **state)
{
    fx *f = *state;
    const int64_t t = 1743465600; /* 2025-04-01T00:00:00Z */
    json_t *j;

    assert_int_equal(council_timezone_set(f->c, "UTC"), COUNCIL_OK);
    cases_at(f, 3, t - 1);
    cases_at(f, 4, t);
    cases_at(f, 5, t + 30 * 86400); /* 2025-05-01: the period's end */
    j = period_json(f->c, dates(t, t + 30 * 86400));
    assert_int_equal(cases_total(j), 4);
    assert_int_equal(json_array_size(json_object_get(month_table(j), "rows")), 1);
    assert_int_equal(month_count(j, "2025-04"), 4);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "period"), "from")), t);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "period"), "to")),
                     t + 30 * 86400);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "period"),
                                                          "time_zone")), "UTC");
    json_decref(j);
    j = period_json(f->c, dates(t - 86400, t));
    assert_int_equal(cases_total(j), 3);
    assert_int_equal(month_count(j, "2025-03"), 3);
    assert_int_equal(month_count(j, "2025-04"), -1);
    json_decref(j);
    j = period_json(f->c, dates(t + 30 * 86400, t + 31 * 86400));
    assert_int_equal(cases_total(j), 5);
    json_decref(j);
    /* a period that starts and ends mid-month has the months it touches */
    j = period_json(f->c, dates(t - 86400, t + 30 * 86400 + 1));
    assert_int_equal(cases_total(j), 12);
    assert_int_equal(json_array_size(json_object_get(month_table(j), "rows")), 3);
    assert_int_equal(month_count(j, "2025-03"), 3);
    assert_int_equal(month_count(j, "2025-04"), 4);
    assert_int_equal(month_count(j, "2025-05"), 5);
    /* the other case tables count the same cases */
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(json_object_get(j, "tables"), 0), "total")), 12);
    json_decref(j);
    /* all time: every case, no period named */
    j = period_json(f->c, dates(0, 0));
    assert_int_equal(cases_total(j), 12);
    assert_null(json_object_get(j, "period"));
    json_decref(j);
}

/* The fiscal year (年度) in the council's time zone: in Asia/Tokyo (the
 * default) FY2025 starts 2025-04-01 00:00 JST = 2025-03-31 15:00 UTC; its
 * twelve months are Tokyo's. The same instant in UTC is still FY2024. */
static void test_report__fiscal_year_tokyo(void **state)
{
    fx *f = *state;
    const int64_t b = 1743433200; /* 2025-03-31T15:00:00Z */
    json_t *j, *rows, *p;

    cases_at(f, 3, b - 1);
    cases_at(f, 4, b);
    j = period_json(f->c, fiscal(2025));
    p = json_object_get(j, "period");
    assert_int_equal(json_integer_value(json_object_get(p, "from")), b);
    assert_int_equal(json_integer_value(json_object_get(p, "to")), 1774969200);
    assert_int_equal(json_integer_value(json_object_get(p, "fiscal_year")), 2025);
    assert_string_equal(json_string_value(json_object_get(p, "time_zone")), "Asia/Tokyo");
    rows = json_object_get(month_table(j), "rows");
    assert_int_equal(json_array_size(rows), 12);
    assert_string_equal(json_string_value(json_array_get(rows, 0)), "2025-04");
    assert_string_equal(json_string_value(json_array_get(rows, 11)), "2026-03");
    assert_int_equal(cases_total(j), 4);
    assert_int_equal(month_count(j, "2025-04"), 4);
    assert_int_equal(month_count(j, "2025-05"), 0);
    json_decref(j);
    j = period_json(f->c, fiscal(2024));
    assert_int_equal(cases_total(j), 3);
    assert_int_equal(month_count(j, "2025-03"), 3);
    json_decref(j);
    /* in UTC both instants are in March 2025: FY2024 */
    assert_int_equal(council_timezone_set(f->c, "UTC"), COUNCIL_OK);
    j = period_json(f->c, fiscal(2025));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "period"), "from")),
                     1743465600);
    assert_int_equal(cases_total(j), 0);
    json_decref(j);
    j = period_json(f->c, fiscal(2024));
    assert_int_equal(cases_total(j), 7);
    assert_int_equal(month_count(j, "2025-03"), 7);
    json_decref(j);
    /* zones with summer time, from the table and (2100) from the rule */
    {
        static const struct {
            const char *zone;
            int32_t year;
            int64_t from;
        } want[] = {
            { "America/New_York", 2025, 1743480000 },  /* EDT, UTC-4 */
            { "Europe/Berlin", 2025, 1743458400 },     /* CEST, UTC+2 */
            { "America/Sao_Paulo", 2025, 1743476400 }, /* UTC-3 */
            { "America/New_York", 2100, 4110235200 },  /* past the table: the footer rule */
            { "Australia/Sydney", 2090, 3794648400 },  /* AEDT, UTC+11, southern summer */
        };
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
            assert_int_equal(council_timezone_set(f->c, want[i].zone), COUNCIL_OK);
            j = period_json(f->c, fiscal(want[i].year));
            assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "period"),
                                                                "from")), want[i].from);
            assert_int_equal(json_array_size(json_object_get(month_table(j), "rows")), 12);
            json_decref(j);
        }
    }
}

/* Refusals: a bad period, both forms, a bad k or format or options, a
 * staff session of another member, too many months. */
static void test_report__period_refusals(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka);
    council_buf out = { NULL, 0 };
    council_report_options o;

    o = dates(1000, 1000);
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EINVAL);
    assert_null(out.ptr);
    o = dates(2000, 1000);
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EINVAL);
    o = dates(-86400, 1000);
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EINVAL);
    o = dates(1000, 0);
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EINVAL);
    o = dates(0, INT64_C(253402300801));
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EINVAL);
    o = fiscal(2025);
    o.from = 1743433200;
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EINVAL);
    o = fiscal(2025);
    o.to = 1774969200;
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EINVAL);
    o = fiscal(1969);
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EINVAL);
    o = fiscal(9999);
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EINVAL);
    o = fiscal(-2025);
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EINVAL);
    o = fiscal(2025);
    o.k = 2;
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EINVAL);
    o.k = 1001;
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EINVAL);
    o.k = 0;
    o.format = 3;
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EINVAL);
    o = fiscal(2025);
    o.version = 3;
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EMISUSE);
    o.version = 0;
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EMISUSE);
    o = fiscal(2025);
    o.overlap_reason = "Not A Code";
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EINVAL);
    assert_int_equal(council_report_platform_period(f->c, &out, NULL), COUNCIL_EMISUSE);
    o = fiscal(2025);
    assert_int_equal(council_report_platform_period(f->c, NULL, &o), COUNCIL_EMISUSE);
    /* a staff session of a member that is not the secretariat: refused
     * and logged */
    assert_int_equal(council_report_platform_period(sa, &out, &o), COUNCIL_EDENIED);
    assert_null(out.ptr);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_int_equal(e->outcome, COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED);
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    /* inside a batch */
    assert_int_equal(council_batch_begin(f->c), COUNCIL_OK);
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_EMISUSE);
    assert_int_equal(council_batch_rollback(f->c), COUNCIL_OK);
    /* more than 1200 months (refused before issue 16): 1970-01 .. 2070-12 */
    o = dates(0, INT64_C(3187296000)); /* 2071-01-01T00:00:00Z */
    assert_int_equal(council_report_platform_period(f->c, &out, &o), COUNCIL_OK);
    council_buf_free(&out);
    council_close(sa);
}

/* Issue 16: no ceiling on the months. A period of 101 years has its 1212
 * rows (1213 in Tokyo, whose 1970-01-01T00:00Z is in January 1970 and
 * whose 2071-01-01T00:00Z is in January 2071); the longest period there is
 * (1970 up to the year 10000: 96,360 months) has them all. (How fast is
 * bench's business, not a test's.) */
static void test_report__no_month_ceiling(void **state)
{
    fx *f = *state;
    json_t *j;

    assert_int_equal(council_timezone_set(f->c, "UTC"), COUNCIL_OK);
    j = period_json(f->c, dates(0, INT64_C(3187296000))); /* 1970-01 .. 2070-12 */
    assert_int_equal(json_array_size(json_object_get(month_table(j), "rows")), 1212);
    json_decref(j);
    j = period_json(f->c, dates(0, INT64_C(253402300800))); /* .. 9999-12 */
    assert_int_equal(json_array_size(json_object_get(month_table(j), "rows")), 96360);
    assert_string_equal(json_string_value(json_array_get(json_object_get(month_table(j), "rows"),
                                                         96359)), "9999-12");
    json_decref(j);
    assert_int_equal(council_timezone_set(f->c, "Asia/Tokyo"), COUNCIL_OK);
    j = period_json(f->c, dates(0, INT64_C(3187296000)));
    assert_int_equal(json_array_size(json_object_get(month_table(j), "rows")), 1213);
    json_decref(j);
}

/* More than 64 months: a ten-year period has its 120 rows, and all time
 * counts cases in 70 distinct months (0.1.0 refused over 64). */
static void test_report__more_than_64_months(void **state)
{
    fx *f = *state;
    json_t *j;

    assert_int_equal(council_timezone_set(f->c, "UTC"), COUNCIL_OK);
    j = period_json(f->c, dates(1577836800, 1893456000)); /* 2020-01 .. 2029-12 */
    assert_int_equal(json_array_size(json_object_get(month_table(j), "rows")), 120);
    assert_int_equal(json_array_size(json_object_get(
                         json_array_get(json_object_get(j, "tables"), 4), "rows")), 120);
    assert_int_equal(cases_total(j), 0);
    json_decref(j);
    /* 70 months from 2015-01, three cases in each (k = 3: all published) */
    for (int m = 0; m < 70; m++) {
        /* 2015-01-16T00:00:00Z, then a month's steps of 365.25/12 days
         * (each lands in the next month, between its 15th and 18th) */
        cases_at(f, 3, INT64_C(1421366400) + (int64_t)m * 2629800);
    }
    j = period_json(f->c, dates(0, 0));
    assert_int_equal(json_array_size(json_object_get(month_table(j), "rows")), 70);
    assert_string_equal(json_string_value(json_array_get(json_object_get(month_table(j), "rows"),
                                                         69)), "2020-10");
    assert_int_equal(cases_total(j), 210);
    assert_int_equal(month_count(j, "2017-06"), 3);
    json_decref(j);
    j = period_json(f->c, dates(1420070400, 1893456000)); /* 2015-01 .. 2029-12 */
    assert_int_equal(json_array_size(json_object_get(month_table(j), "rows")), 180);
    assert_int_equal(cases_total(j), 210);
    assert_int_equal(month_count(j, "2020-10"), 3);
    assert_int_equal(month_count(j, "2020-11"), 0);
    json_decref(j);
}

/* The old call is the new one for all time, byte for byte, and its output
 * is 0.1.0's: UTC months that have cases, in the order of their first
 * case, the five tables and no period. */
static void test_report__old_call_unchanged(void **state)
{
    fx *f = *state;
    council_report_options o = COUNCIL_REPORT_OPTIONS_INIT;
    council_buf a = { NULL, 0 }, b = { NULL, 0 };
    static const char want[] =
        "cases_by_month,cases,total\n"
        "2024-05,3,3\n"
        "2024-04,4,4\n"
        "total,7,7\n";

    /* Tokyo (the default): 2024-04-30T20:00Z is May in Tokyo, April in UTC */
    cases_at(f, 3, 1714608000); /* 2024-05-02T00:00:00Z */
    cases_at(f, 4, 1714507200); /* 2024-04-30T20:00:00Z */
    for (int fmt = COUNCIL_REPORT_CSV; fmt <= COUNCIL_REPORT_JSON; fmt++) {
        assert_int_equal(council_report_platform(f->c, &a, 3, fmt), COUNCIL_OK);
        o.k = 3;
        o.format = fmt;
        assert_int_equal(council_report_platform_period(f->c, &b, &o), COUNCIL_OK);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.ptr, b.ptr, a.len);
        if (fmt == COUNCIL_REPORT_CSV) {
            assert_non_null(memfind(a.ptr, a.len, want, strlen(want)));
            assert_non_null(memfind(a.ptr, a.len, "\nreferrals_by_month_and_kind,", 29));
        } else {
            assert_int_equal(memcmp(a.ptr, "{\"report\":\"platform\",\"k\":3,\"tables\":[{", 38),
                             0);
        }
        council_buf_free(&a);
        council_buf_free(&b);
    }
    /* the same cases as a Tokyo period: the months are Tokyo's */
    {
        json_t *j = period_json(f->c, dates(1711897200, 1717167600)); /* 2024-04, -05 JST */
        assert_int_equal(month_count(j, "2024-05"), 7);
        assert_int_equal(month_count(j, "2024-04"), 0);
        json_decref(j);
    }
}

/* A dense table of months: 1200 x 15 of skewed counts (a hundred years
 * with counts in nearly every month), suppressed and verified. */
static void test_report__largest_month_table(void **state)
{
    static char names[1200][8];
    static const char *rl[1200];
    size_t R = 1200, C = 15;
    uint64_t *cells = malloc(R * C * sizeof *cells);
    council__table t;
    council__suppressed s;

    (void)state;
    assert_non_null(cells);
    names_init();
    for (size_t i = 0; i < R; i++) {
        (void)snprintf(names[i], sizeof names[i], "%04u-%02u", (unsigned)(1970 + i / 12) % 10000u,
                       (unsigned)(i % 12 + 1));
        rl[i] = names[i];
    }
    rng_seed(0x5eed0007);
    for (size_t i = 0; i < R * C; i++)
        cells[i] = rng_below(4) == 0 ? skewed(1) : 0;
    t = (council__table){ "referrals_by_month_and_kind", R, C, rl, col_labels, cells };
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    assert_true(council__suppression_safe(&t, &s, 5));
    council__suppressed_free(&s);
    free(cells);
}

/* The longest table of months (issue 16: no 1200-month ceiling): every
 * month up to the year 10000, counts in a few hundred of them. Empty rows
 * are set aside; the result is the same as suppressing the rows with
 * counts alone, which the verifier finds safe.
 * One row more is refused. */
static void test_report__longest_month_table(void **state)
{
    static char names[COUNCIL__REPORT_ROWS_MAX][8];
    static const char *rl[COUNCIL__REPORT_ROWS_MAX], *dl[400];
    size_t R = COUNCIL__REPORT_ROWS_MAX, C = 15, n = 0, at[400];
    uint64_t *cells = calloc(R * C, sizeof *cells), *dense = calloc(400 * C, sizeof *dense);
    council__table t, d;
    council__suppressed s, sd;

    (void)state;
    assert_non_null(cells);
    assert_non_null(dense);
    names_init();
    for (size_t i = 0; i < R; i++) {
        (void)snprintf(names[i], sizeof names[i], "%04u-%02u",
                       (unsigned)(1969 + (i + 11) / 12) % 10000u, (unsigned)((i + 11) % 12 + 1));
        rl[i] = names[i];
    }
    rng_seed(0x5eed0016);
    for (size_t i = 0; i < R && n < 400; i += 1 + (size_t)rng_below(480)) {
        for (size_t j = 0; j < C; j++)
            dense[n * C + j] = cells[i * C + j] = rng_below(3) == 0 ? skewed(2) : 0;
        dense[n * C] = cells[i * C] += 1; /* a count in every chosen row */
        dl[n] = rl[i];
        at[n++] = i;
    }
    assert_true(n > 100);
    t = (council__table){ "referrals_by_month_and_kind", R, C, rl, col_labels, cells };
    d = (council__table){ "referrals_by_month_and_kind", n, C, dl, col_labels, dense };
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_OK);
    assert_int_equal(council__suppress(&sd, &d, 5), COUNCIL_OK);
    /* The verifier on the rows with counts: the other rows are published
     * zeros with zero totals, which tell nothing of a hidden count (and
     * the verifier over all 96,372 rows is bench's time, not a test's). */
    assert_true(council__suppression_safe(&d, &sd, 5));
    /* the same as the rows with counts alone, and empty rows published as 0 */
    for (size_t r = 0, q = 0; r < R; r++) {
        bool chosen = q < n && at[q] == r;

        for (size_t j = 0; j < C; j++) {
            assert_int_equal(s.hidden[r * C + j], chosen ? sd.hidden[q * C + j] : false);
            assert_int_equal(s.cells[r * C + j], chosen ? sd.cells[q * C + j] : 0);
        }
        assert_int_equal(s.row_total_hidden[r], chosen ? sd.row_total_hidden[q] : false);
        q += chosen;
    }
    for (size_t j = 0; j < C; j++)
        assert_int_equal(s.col_total_hidden[j], sd.col_total_hidden[j]);
    assert_int_equal(s.total_hidden, sd.total_hidden);
    council__suppressed_free(&s);
    council__suppressed_free(&sd);
    /* a duplicate label among tens of thousands is still found */
    rl[R - 1] = rl[0];
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_EINVAL);
    rl[R - 1] = names[R - 1];
    t.rows = R + 1;
    assert_int_equal(council__suppress(&s, &t, 5), COUNCIL_ELIMIT);
    free(cells);
    free(dense);
}

/* Issue 16: the register of issued reports. A period that overlaps an
 * issued one without being the same is refused (logged), so no two
 * published reports can be subtracted; the same period, a disjoint one and
 * all time are issued; an override is logged with the report; each entry
 * carries k, the format, the period and the SHA-256 of the bytes. */
static council_buf issue(fx *f, council_report_options o, int want)
{
    council_buf out = { NULL, 0 };

    o.k = 3;
    assert_int_equal(council_report_platform_period(f->c, &out, &o), want);
    if (want != COUNCIL_OK)
        assert_null(out.ptr);
    return out;
}

static void test_report__overlap_refused(void **state)
{
    fx *f = *state;
    council_report_options o;
    council_buf out;
    Council__V1__AuditEvent *e;
    uint8_t h[32];
    char want[80];

    assert_int_equal(council_timezone_set(f->c, "UTC"), COUNCIL_OK);
    out = issue(f, fiscal(2025), COUNCIL_OK);
    /* the entry: k, format, period; the hash of what was returned */
    e = last_event(f->c);
    assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_REPORT_ISSUED);
    snprintf(want, sizeof want, "k3_csv_%d_%d", 1743465600, 1775001600);
    assert_string_equal(e->reason, want);
    assert_true(e->has_bundle_hash && e->bundle_hash.len == 32);
    crypto_hash_sha256(h, out.ptr, out.len);
    assert_memory_equal(e->bundle_hash.data, h, 32);
    assert_string_equal(e->purpose, "statistics");
    council__v1__audit_event__free_unpacked(e, NULL);
    council_buf_free(&out);

    /* a quarter inside it: refused, and the refusal is on the record */
    out = issue(f, dates(1743465600, 1751328000), COUNCIL_EDENIED); /* 2025-04 .. 2025-06 */
    assert_non_null(strstr(council_errmsg(f->c), "overlaps"));
    e = last_event(f->c);
    assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_REPORT_ISSUED);
    assert_int_equal(e->outcome, COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED);
    assert_string_equal(e->reason, "overlapping_period");
    council__v1__audit_event__free_unpacked(e, NULL);
    /* a period straddling its end, and one containing it: refused */
    out = issue(f, dates(1767225600, 1782864000), COUNCIL_EDENIED); /* 2026-01 .. 2026-06 */
    out = issue(f, dates(1735689600, 1798761600), COUNCIL_EDENIED); /* 2025 .. 2026 */
    /* version 1 options (0.2.0 callers) are held to the register too */
    o = dates(1743465600, 1751328000);
    o.version = 1;
    out = issue(f, o, COUNCIL_EDENIED);
    /* the same period again, the next fiscal year, all time: issued */
    out = issue(f, fiscal(2025), COUNCIL_OK);
    council_buf_free(&out);
    out = issue(f, fiscal(2026), COUNCIL_OK);
    council_buf_free(&out);
    out = issue(f, dates(0, 0), COUNCIL_OK);
    council_buf_free(&out);
    e = last_event(f->c);
    assert_string_equal(e->reason, "k3_csv_all");
    council__v1__audit_event__free_unpacked(e, NULL);
    /* the override: issued, and its code is logged with the report */
    o = dates(1743465600, 1751328000);
    o.overlap_reason = "board_request";
    o.format = COUNCIL_REPORT_JSON;
    out = issue(f, o, COUNCIL_OK);
    council_buf_free(&out);
    e = last_event(f->c);
    assert_string_equal(e->purpose, "board_request");
    snprintf(want, sizeof want, "k3_json_%d_%d", 1743465600, 1751328000);
    assert_string_equal(e->reason, want);
    council__v1__audit_event__free_unpacked(e, NULL);
    /* from then on the quarter is an issued period too */
    out = issue(f, dates(1743465600, 1748736000), COUNCIL_EDENIED); /* 2025-04 .. 2025-05 */
}

/* The insider cannot take an entry out of the register unnoticed: the
 * register is the log's report_issued events, read against the tree. A
 * deleted entry, or one edited to look like another event, makes the next
 * report fail with COUNCIL_ETAMPER and a finding, not pass. */
static void test_report__register_cannot_be_erased(void **state)
{
    fx *f = *state;
    council_buf out;
    char sql[200];
    int64_t seq;

    assert_int_equal(council_timezone_set(f->c, "UTC"), COUNCIL_OK);
    out = issue(f, fiscal(2025), COUNCIL_OK);
    council_buf_free(&out);
    seq = count(f->c, "SELECT max(seq) FROM audit_event WHERE action = 63;", NULL);
    assert_true(seq > 0);
    /* edited: the entry's body changed (its action made another's) */
    snprintf(sql, sizeof sql, "UPDATE audit_event SET body = replace(body, x'183f', x'181a')"
             " WHERE seq = %lld;", (long long)seq);
    assert_int_equal(sqlite3_exec(f->c->db, sql, NULL, NULL, NULL), SQLITE_OK);
    out = issue(f, dates(1743465600, 1751328000), COUNCIL_ETAMPER);
    assert_int_equal(th_last_action(f->c), COUNCIL_AUDIT_ACTION_TAMPER_DETECTED);
    /* deleted */
    snprintf(sql, sizeof sql, "DELETE FROM audit_event WHERE seq = %lld;", (long long)seq);
    assert_int_equal(sqlite3_exec(f->c->db, sql, NULL, NULL, NULL), SQLITE_OK);
    out = issue(f, dates(1743465600, 1751328000), COUNCIL_ETAMPER);
    assert_int_equal(th_last_action(f->c), COUNCIL_AUDIT_ACTION_TAMPER_DETECTED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report__one_hidden_in_row_forces_second),
        cmocka_unit_test(test_report__verifier_rejects_single_hidden),
        cmocka_unit_test(test_report__two_ones_need_a_third),
        cmocka_unit_test(test_report__ones_with_published_total),
        cmocka_unit_test(test_report__all_cells_small),
        cmocka_unit_test(test_report__single_nonzero_cell),
        cmocka_unit_test(test_report__small_cell_among_zeros),
        cmocka_unit_test(test_report__diagonal),
        cmocka_unit_test(test_report__thin_tables),
        cmocka_unit_test(test_report__threshold),
        cmocka_unit_test(test_report__bad_arguments),
        cmocka_unit_test(test_report__generated_tables),
        cmocka_unit_test(test_report__generated_small_brute),
        cmocka_unit_test(test_report__verifier_matches_brute_force),
        cmocka_unit_test(test_report__no_small_cells_nothing_hidden),
        cmocka_unit_test(test_report__largest_tables),
        cmocka_unit_test(test_report__csv),
        cmocka_unit_test(test_report__json),
        cmocka_unit_test(test_report__render_generated),
        cmocka_unit_test(test_report__render_refuses_unsafe),
        cmocka_unit_test(test_report__out_of_memory),
        cmocka_unit_test(test_report__largest_month_table),
        cmocka_unit_test(test_report__longest_month_table),
        cmocka_unit_test_setup_teardown(test_report__period_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report__referrals_by_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report__fiscal_year_tokyo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report__period_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report__more_than_64_months, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report__no_month_ceiling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report__overlap_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report__register_cannot_be_erased, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report__old_call_unchanged, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
