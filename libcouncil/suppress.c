/*
 * suppress.c - small-cell suppression for the platform report, and its CSV
 * and JSON forms. The rule set and the attacker model are in suppress.h.
 *
 * The network view. Put the table with its margins in an extended
 * (R+1) x (C+1) grid and give each entry a sign: +1 for cells and the
 * grand total, -1 for row and column totals. With y = sign * x, every row
 * and every column of the grid sums to zero: y is a circulation on the
 * complete bipartite graph between R+1 row nodes and C+1 column nodes,
 * each entry an edge from its row node to its column node. Published
 * entries are fixed; a hidden entry is a free edge with x >= 1. Moving one
 * hidden entry by one unit while the others absorb the change is pushing a
 * unit round a cycle of hidden edges; y of an edge can go up (the arc
 * row -> column) unless that would take x below 1, and down (the arc
 * column -> row) likewise. Two feasible tables differ by a circulation,
 * which splits into cycles that agree in sign with it, so an entry has
 * another feasible value iff such a residual cycle passes through it: the
 * check is exact. Nothing here allocates in the hot loops: the graph has
 * R + C + 2 nodes (at most ROWS_MAX + COLS_MAX + 2), and its scratch arrays
 * are allocated once per call (a table of months may have up to
 * COUNCIL__REPORT_ROWS_MAX rows, too many for the stack).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "council_int.h"
#include "suppress.h"

#define ROWS_MAX COUNCIL__REPORT_ROWS_MAX
#define COLS_MAX COUNCIL__REPORT_DIM_MAX

/* ------------------------------------------------------------- the table */

static bool is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* A code: see council__table in suppress.h. */
static bool code_ok(const char *s, size_t max)
{
    size_t n, hex_run = 0, groups = 0;
    bool in_digits = false;

    if (s == NULL)
        return false;
    n = strnlen(s, max + 1);
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];

        if (!is_alnum(c) && c != '_' && c != '+' && c != '.' && c != '-')
            return false;
        hex_run = is_hex(c) ? hex_run + 1 : 0;
        if (hex_run >= 8)
            return false;
        if (is_digit(c) && !in_digits)
            groups++;
        in_digits = is_digit(c);
    }
    if (groups > 2)
        return false;
    if (n == 5) {
        static const char total[] = "total";
        size_t i = 0;

        while (i < 5 && lower(s[i]) == total[i])
            i++;
        if (i == 5)
            return false;
    }
    return true;
}

static int label_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every label a code, and no two the same: pairwise for a few, sorted for
 * many (a table of months may have tens of thousands of rows). */
static int labels_ok(const char *const *labels, size_t n)
{
    const char **sorted;
    int rc = COUNCIL_OK;

    if (n == 0)
        return COUNCIL_OK;
    if (labels == NULL)
        return COUNCIL_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!code_ok(labels[i], COUNCIL__REPORT_LABEL_MAX))
            return COUNCIL_EINVAL;
    if (n <= 64) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (strcmp(labels[i], labels[j]) == 0)
                    return COUNCIL_EINVAL;
        return COUNCIL_OK;
    }
    if ((sorted = council__calloc(n, sizeof *sorted)) == NULL)
        return COUNCIL_ENOMEM;
    memcpy(sorted, labels, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, label_cmp);
    for (size_t i = 1; i < n && rc == COUNCIL_OK; i++)
        if (strcmp(sorted[i - 1], sorted[i]) == 0)
            rc = COUNCIL_EINVAL;
    council__free(sorted);
    return rc;
}

static int table_check(const council__table *t)
{
    int rc;

    if (t == NULL)
        return COUNCIL_EINVAL;
    if (t->rows > ROWS_MAX || t->cols > COLS_MAX)
        return COUNCIL_ELIMIT;
    if (!code_ok(t->title, COUNCIL__REPORT_TITLE_MAX))
        return COUNCIL_EINVAL;
    if ((rc = labels_ok(t->row_labels, t->rows)) != COUNCIL_OK ||
        (rc = labels_ok(t->col_labels, t->cols)) != COUNCIL_OK)
        return rc;
    if (t->rows * t->cols == 0)
        return COUNCIL_OK;
    if (t->cells == NULL)
        return COUNCIL_EINVAL;
    for (size_t i = 0; i < t->rows * t->cols; i++)
        if (t->cells[i] > COUNCIL__REPORT_COUNT_MAX)
            return COUNCIL_ELIMIT;
    return COUNCIL_OK;
}

/* The extended grid of a checked table: cells, then each row's total in
 * column C, the column totals in row R and the grand total at (R, C).
 * Counts are at most 2^32 - 1 and there are at most 1200 * 64 of them,
 * so no sum comes near 2^64 (nor 2^53). v has (R + 1) * (C + 1) entries. */
static void extend(uint64_t *v, const council__table *t)
{
    size_t R = t->rows, C = t->cols, w = C + 1;

    memset(v, 0, (R + 1) * w * sizeof *v);
    for (size_t i = 0; i < R; i++)
        for (size_t j = 0; j < C; j++) {
            uint64_t x = t->cells[i * C + j];

            v[i * w + j] = x;
            v[i * w + C] += x;
            v[R * w + j] += x;
            v[R * w + C] += x;
        }
}

/* ------------------------------------------------------------ suppression */

static int safe_check(const council__table *t, const council__suppressed *s, unsigned k,
                      bool *safe);

typedef struct cost {
    uint64_t totals; /* published totals that the path would hide */
    uint64_t sum;    /* and the sum of the counts it would hide */
} cost;

typedef struct grid {
    size_t R, C, w; /* w = C + 1 */
    uint64_t *v;    /* true values, (R + 1) * w */
    bool *hid;
    /* scratch of the path search, one entry a node (R + C + 2) */
    cost *dist;
    bool *reached, *done;
    size_t *prev, *best_prev;
} grid;

/* 0: cell, 1: row or column total, 2: grand total. */
static int kind(const grid *g, size_t f)
{
    size_t i = f / g->w, j = f % g->w;

    if (i < g->R && j < g->C)
        return 0;
    return (i == g->R && j == g->C) ? 2 : 1;
}

/* Residual arcs of a (hidden or candidate) entry: y may go up (row ->
 * column) or down (column -> row) by one with x staying >= 1. */
static bool y_up(const grid *g, size_t f)
{
    return kind(g, f) != 1 || g->v[f] > 1;
}

static bool y_down(const grid *g, size_t f)
{
    return kind(g, f) == 1 || g->v[f] > 1;
}

static bool cost_less(cost a, cost b)
{
    return a.totals != b.totals ? a.totals < b.totals : a.sum < b.sum;
}

/*
 * The cheapest path from node `from` to node `to` over residual arcs of
 * hidden entries and (if use_published) published non-zero ones, never
 * through entry `skip`. Nodes: row i is i (0..R), column j is R + 1 + j.
 * Hidden entries cost nothing; a published one costs its count, and a
 * total counts in `totals` first. Dijkstra, O(nodes^2) in g's scratch.
 * On success prev_entry[node] is the entry that reached node.
 */
static bool cheapest_path(const grid *g, size_t skip, size_t from, size_t to,
                          bool use_published, size_t *prev_entry, cost *out)
{
    size_t n = g->R + g->C + 2;
    cost *dist = g->dist;
    bool *reached = g->reached, *done = g->done;

    for (size_t u = 0; u < n; u++) {
        reached[u] = done[u] = false;
        prev_entry[u] = SIZE_MAX;
    }
    dist[from] = (cost){0, 0};
    reached[from] = true;
    for (;;) {
        size_t u = SIZE_MAX;

        for (size_t x = 0; x < n; x++)
            if (reached[x] && !done[x] && (u == SIZE_MAX || cost_less(dist[x], dist[u])))
                u = x;
        if (u == SIZE_MAX)
            return false;
        if (u == to) {
            *out = dist[u];
            return true;
        }
        done[u] = true;
        bool row = u <= g->R;
        size_t m = row ? g->w : g->R + 1;

        for (size_t k = 0; k < m; k++) {
            size_t f = row ? u * g->w + k : k * g->w + (u - g->R - 1);
            size_t nb = row ? g->R + 1 + k : k;
            cost c = dist[u];

            if (f == skip || g->v[f] == 0 || (!g->hid[f] && !use_published))
                continue;
            if (row ? !y_up(g, f) : !y_down(g, f))
                continue;
            if (!g->hid[f]) {
                if (kind(g, f) != 0)
                    c.totals++;
                c.sum += g->v[f];
            }
            if (done[nb] || (reached[nb] && !cost_less(c, dist[nb])))
                continue;
            reached[nb] = true;
            dist[nb] = c;
            prev_entry[nb] = f;
        }
    }
}

/* The other end of entry f from node u. */
static size_t other_end(const grid *g, size_t f, size_t u)
{
    size_t i = f / g->w, j = f % g->w;

    return u == i ? g->R + 1 + j : i;
}

/*
 * Rule X for hidden entry e. Raising x_e is always allowed; lowering it
 * only from 2 up. Raising a cell or the grand total raises y (the arc row
 * -> column), so the cycle closes through a path column -> row; a total
 * is the other way round. Returns false if e has no cycle even through
 * published entries (which cannot happen, see suppress.h).
 */
static bool rule_exact(grid *g, size_t e)
{
    size_t rnode = e / g->w, cnode = g->R + 1 + e % g->w;
    bool plus = kind(g, e) != 1;
    size_t *prev = g->prev, *best_prev = g->best_prev;
    size_t best_from = 0, best_to = 0;
    bool found = false;
    cost c, best = {0, 0};

    /* Direction 0 raises x_e; direction 1 lowers it. */
    for (int d = 0; d < 2; d++) {
        bool col_to_row = (d == 0) == plus;
        size_t from = col_to_row ? cnode : rnode, to = col_to_row ? rnode : cnode;

        if (d == 1 && g->v[e] < 2)
            break;
        if (cheapest_path(g, e, from, to, false, prev, &c))
            return true; /* free already */
        if (cheapest_path(g, e, from, to, true, prev, &c) && (!found || cost_less(c, best))) {
            found = true;
            best = c;
            best_from = from;
            best_to = to;
            memcpy(best_prev, prev, (g->R + g->C + 2) * sizeof *prev);
        }
    }
    if (!found)
        return false;
    for (size_t u = best_to; u != best_from;) {
        size_t f = best_prev[u];

        g->hid[f] = true;
        u = other_end(g, f, u);
    }
    return true;
}

static void grid_free(grid *g)
{
    council__free(g->v);
    council__free(g->hid);
    council__free(g->dist);
    council__free(g->reached);
    council__free(g->done);
    council__free(g->prev);
    council__free(g->best_prev);
    memset(g, 0, sizeof *g);
}

void council__suppressed_free(council__suppressed *s)
{
    if (s == NULL)
        return;
    council__free(s->cells);
    council__free(s->hidden);
    council__free(s->row_totals);
    council__free(s->row_total_hidden);
    council__free(s->col_totals);
    council__free(s->col_total_hidden);
    memset(s, 0, sizeof *s);
}

/* The output's arrays for an R x C table, zeroed; false (and nothing
 * left allocated) when memory runs out. */
static bool suppressed_alloc(council__suppressed *out, size_t R, size_t C, unsigned k)
{
    out->rows = R;
    out->cols = C;
    out->k = k;
    out->cells = council__calloc(R * C, sizeof *out->cells);
    out->hidden = council__calloc(R * C, sizeof *out->hidden);
    out->row_totals = council__calloc(R, sizeof *out->row_totals);
    out->row_total_hidden = council__calloc(R, sizeof *out->row_total_hidden);
    out->col_totals = council__calloc(C, sizeof *out->col_totals);
    out->col_total_hidden = council__calloc(C, sizeof *out->col_total_hidden);
    if (out->cells == NULL || out->hidden == NULL || out->row_totals == NULL ||
        out->row_total_hidden == NULL || out->col_totals == NULL ||
        out->col_total_hidden == NULL) {
        council__suppressed_free(out);
        return false;
    }
    return true;
}

static int export(council__suppressed *out, const grid *g, unsigned k)
{
    size_t R = g->R, C = g->C, w = g->w;

    if (!suppressed_alloc(out, R, C, k))
        return COUNCIL_ENOMEM;
    for (size_t i = 0; i < R; i++)
        for (size_t j = 0; j < C; j++) {
            size_t f = i * w + j;

            out->hidden[i * C + j] = g->hid[f];
            out->cells[i * C + j] = g->hid[f] ? 0 : g->v[f];
        }
    for (size_t i = 0; i < R; i++) {
        out->row_total_hidden[i] = g->hid[i * w + C];
        out->row_totals[i] = g->hid[i * w + C] ? 0 : g->v[i * w + C];
    }
    for (size_t j = 0; j < C; j++) {
        out->col_total_hidden[j] = g->hid[R * w + j];
        out->col_totals[j] = g->hid[R * w + j] ? 0 : g->v[R * w + j];
    }
    out->total_hidden = g->hid[R * w + C];
    out->total = out->total_hidden ? 0 : g->v[R * w + C];
    return COUNCIL_OK;
}

/* ------------------------------------------------------- empty rows aside
 *
 * A row whose counts are all zero has a zero total: no entry of it is
 * hidden, and its row node has no arc (the path search crosses only
 * non-zero entries), so no cycle passes through it. Suppressing the table
 * without such rows, with the others in their order, hides exactly what
 * suppressing the whole table hides (the search meets the same nodes in
 * the same order); the empty rows are then put back as published zeros. A
 * period of centuries with counts in a few years costs what those years
 * cost. */

static bool row_empty(const council__table *t, size_t i)
{
    for (size_t j = 0; j < t->cols; j++)
        if (t->cells[i * t->cols + j] != 0)
            return false;
    return true;
}

static bool has_empty_row(const council__table *t)
{
    if (t->rows * t->cols == 0)
        return false;
    for (size_t i = 0; i < t->rows; i++)
        if (row_empty(t, i))
            return true;
    return false;
}

static int suppress_compact(council__suppressed *out, const council__table *t, unsigned k,
                            bool hide_total)
{
    size_t R = t->rows, C = t->cols, n = 0, *map = NULL;
    const char **labels = NULL;
    uint64_t *cells = NULL;
    council__suppressed cs;
    council__table ct;
    int rc;

    memset(&cs, 0, sizeof cs);
    map = council__calloc(R, sizeof *map);
    labels = council__calloc(R, sizeof *labels);
    cells = council__calloc(R * C, sizeof *cells);
    if (map == NULL || labels == NULL || cells == NULL) {
        rc = COUNCIL_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < R; i++)
        if (!row_empty(t, i)) {
            map[n] = i;
            labels[n] = t->row_labels[i];
            memcpy(cells + n * C, t->cells + i * C, C * sizeof *cells);
            n++;
        }
    ct = (council__table){ t->title, n, C, labels, t->col_labels, cells };
    if ((rc = council__suppress_total(&cs, &ct, k, hide_total)) != COUNCIL_OK)
        goto out;
    if (!suppressed_alloc(out, R, C, k)) {
        rc = COUNCIL_ENOMEM;
        goto out;
    }
    for (size_t r = 0; r < n; r++) {
        size_t i = map[r];

        memcpy(out->cells + i * C, cs.cells + r * C, C * sizeof *out->cells);
        memcpy(out->hidden + i * C, cs.hidden + r * C, C * sizeof *out->hidden);
        out->row_totals[i] = cs.row_totals[r];
        out->row_total_hidden[i] = cs.row_total_hidden[r];
    }
    memcpy(out->col_totals, cs.col_totals, C * sizeof *out->col_totals);
    memcpy(out->col_total_hidden, cs.col_total_hidden, C * sizeof *out->col_total_hidden);
    out->total = cs.total;
    out->total_hidden = cs.total_hidden;
out:
    council__suppressed_free(&cs);
    council__free(map);
    council__free(labels);
    council__free(cells);
    return rc;
}

int council__suppress(council__suppressed *out, const council__table *t, unsigned k)
{
    return council__suppress_total(out, t, k, false);
}

int council__suppress_total(council__suppressed *out, const council__table *t, unsigned k,
                            bool hide_total)
{
    grid g;
    size_t n, nodes;
    int rc;
    bool safe = false;

    if (out == NULL)
        return COUNCIL_EINVAL;
    memset(out, 0, sizeof *out);
    memset(&g, 0, sizeof g);
    if (k < COUNCIL__REPORT_K_MIN)
        return COUNCIL_EINVAL;
    if ((rc = table_check(t)) != COUNCIL_OK)
        return rc;
    if (has_empty_row(t))
        return suppress_compact(out, t, k, hide_total);
    g.R = t->rows;
    g.C = t->cols;
    g.w = t->cols + 1;
    n = (g.R + 1) * g.w;
    nodes = g.R + g.C + 2;
    g.v = council__calloc(n, sizeof *g.v);
    g.hid = council__calloc(n, sizeof *g.hid);
    g.dist = council__calloc(nodes, sizeof *g.dist);
    g.reached = council__calloc(nodes, sizeof *g.reached);
    g.done = council__calloc(nodes, sizeof *g.done);
    g.prev = council__calloc(nodes, sizeof *g.prev);
    g.best_prev = council__calloc(nodes, sizeof *g.best_prev);
    if (g.v == NULL || g.hid == NULL || g.dist == NULL || g.reached == NULL || g.done == NULL ||
        g.prev == NULL || g.best_prev == NULL) {
        grid_free(&g);
        return COUNCIL_ENOMEM;
    }
    extend(g.v, t);

    /* P and Z (and the grand total, when another table sharing it hides it) */
    for (size_t f = 0; f < n; f++)
        g.hid[f] = g.v[f] > 0 && (g.v[f] < k || (hide_total && f == n - 1));
    /* X, which brings L with it: one pass suffices (entries once free
     * stay free). */
    for (size_t f = 0; f < n; f++) {
        if (g.hid[f] && !rule_exact(&g, f)) {
            /* Unreachable: hiding every non-zero entry is always safe. */
            for (size_t x = 0; x < n; x++)
                g.hid[x] = g.v[x] > 0;
            break;
        }
    }
    rc = export(out, &g, k);
    /* The exact check, written apart from the rule above, has the last
     * word: where it still finds a hidden entry that can be worked out
     * (the rule reasons with x >= 0, the check with x >= 1 since zeros are
     * shown), hide every total too, and failing that every non-zero entry
     * (always safe). */
    for (int step = 0; rc == COUNCIL_OK; step++) {
        if ((rc = safe_check(t, out, k, &safe)) != COUNCIL_OK) {
            council__suppressed_free(out);
            break;
        }
        if (safe || step == 2)
            break;
        council__suppressed_free(out);
        for (size_t f = 0; f < n; f++) {
            bool total = f / g.w == g.R || f % g.w == g.C;
            g.hid[f] = g.v[f] > 0 && (step == 1 || g.hid[f] || total);
        }
        rc = export(out, &g, k);
    }
    grid_free(&g);
    return rc;
}

/* --------------------------------------------------------------- verifier */

/* Written apart from the suppression code above on purpose: a breadth-first
 * search over the same residual arcs, stated in terms of x. Entry (i, j) of
 * the extended grid joins row node i and column node j. Crossing it from
 * its row node to its column node changes x by +1 for a cell or the grand
 * total and by -1 for a row or column total; the other way, the opposite.
 * A unit can go round a cycle iff no crossing takes x below 1. */
static bool verify_move(const uint64_t *v, const bool *hid, size_t R, size_t C, size_t e,
                        bool row_to_col, bool *seen, size_t *queue)
{
    size_t w = C + 1, ei = e / w, ej = e % w;
    size_t head = 0, tail = 0;
    /* e crossed row_to_col; the cycle closes with a path the other way:
     * from e's column node back to its row node (or vice versa). */
    size_t start = row_to_col ? (R + 1 + ej) : ei;
    size_t goal = row_to_col ? ei : (R + 1 + ej);

    memset(seen, 0, (R + C + 2) * sizeof *seen);

    queue[tail++] = start;
    seen[start] = true;
    while (head < tail) {
        size_t u = queue[head++];
        bool at_row = u <= R;

        if (u == goal)
            return true;
        for (size_t k = 0; k <= (at_row ? C : R); k++) {
            size_t i = at_row ? u : k, j = at_row ? k : u - R - 1;
            size_t f = i * w + j, nb = at_row ? R + 1 + j : i;
            bool margin = (i == R) != (j == C);
            /* The change of x when crossing f in this direction. */
            int dx = (at_row != margin) ? +1 : -1;

            if (f == e || !hid[f] || seen[nb])
                continue;
            if (dx < 0 && v[f] < 2)
                continue;
            seen[nb] = true;
            queue[tail++] = nb;
        }
    }
    return false;
}

/* The verifier's verdict into *safe; COUNCIL_ENOMEM when its scratch
 * (one grid and one node array, on the heap: a table may have up to
 * ROWS_MAX rows) cannot be allocated, COUNCIL_OK otherwise. */
static int safe_check(const council__table *t, const council__suppressed *s, unsigned k,
                      bool *safe)
{
    uint64_t *v = NULL;
    bool *hid = NULL, *seen = NULL;
    size_t *queue = NULL;
    size_t R, C, w;
    int rc = COUNCIL_OK;

    *safe = false;
    if (s == NULL || k < COUNCIL__REPORT_K_MIN || table_check(t) != COUNCIL_OK ||
        s->rows != t->rows || s->cols != t->cols)
        return COUNCIL_OK;
    R = t->rows;
    C = t->cols;
    w = C + 1;
    if ((R * C > 0 && (s->cells == NULL || s->hidden == NULL)) ||
        (R > 0 && (s->row_totals == NULL || s->row_total_hidden == NULL)) ||
        (C > 0 && (s->col_totals == NULL || s->col_total_hidden == NULL)))
        return COUNCIL_OK;
    v = council__calloc((R + 1) * w, sizeof *v);
    hid = council__calloc((R + 1) * w, sizeof *hid);
    seen = council__calloc(R + C + 2, sizeof *seen);
    queue = council__calloc(R + C + 2, sizeof *queue);
    if (v == NULL || hid == NULL || seen == NULL || queue == NULL) {
        rc = COUNCIL_ENOMEM;
        goto out;
    }
    extend(v, t);
    for (size_t i = 0; i <= R; i++)
        for (size_t j = 0; j <= C; j++) {
            size_t f = i * w + j;
            uint64_t shown;
            bool h;

            if (i < R && j < C) {
                h = s->hidden[i * C + j];
                shown = s->cells[i * C + j];
            } else if (i < R) {
                h = s->row_total_hidden[i];
                shown = s->row_totals[i];
            } else if (j < C) {
                h = s->col_total_hidden[j];
                shown = s->col_totals[j];
            } else {
                h = s->total_hidden;
                shown = s->total;
            }
            hid[f] = h;
            if (h && (shown != 0 || v[f] == 0))
                goto out; /* a hidden value is stored, or a zero hidden */
            if (!h && (shown != v[f] || (v[f] > 0 && v[f] < k)))
                goto out; /* a wrong or a small published value */
        }
    for (size_t f = 0; f < (R + 1) * w; f++) {
        if (!hid[f])
            continue;
        /* Free iff x_f can rise (crossing row -> column for a cell or the
         * grand total, column -> row for a total) or, from 2 up, fall. */
        bool margin = (f / w == R) != (f % w == C);

        if (!verify_move(v, hid, R, C, f, !margin, seen, queue) &&
            !(v[f] >= 2 && verify_move(v, hid, R, C, f, margin, seen, queue)))
            goto out;
    }
    *safe = true;
out:
    council__free(v);
    council__free(hid);
    council__free(seen);
    council__free(queue);
    return rc;
}

bool council__suppression_safe(const council__table *t, const council__suppressed *s,
                               unsigned k)
{
    bool safe;

    return safe_check(t, s, k, &safe) == COUNCIL_OK && safe;
}

/* -------------------------------------------------------------- rendering */

/* Output in two passes: measure (p == NULL), then write. */
typedef struct out_bytes {
    uint8_t *p;
    size_t len;
} out_bytes;

static void put(out_bytes *b, const char *s)
{
    size_t n = strlen(s);

    if (b->p != NULL)
        memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void put_value(out_bytes *b, bool hidden, uint64_t v, const char *hidden_mark)
{
    char num[24];

    if (hidden) {
        put(b, hidden_mark);
        return;
    }
    (void)snprintf(num, sizeof num, "%" PRIu64, v);
    put(b, num);
}

static void csv(out_bytes *b, const council__table *t, const council__suppressed *s)
{
    size_t R = t->rows, C = t->cols;

    put(b, t->title);
    for (size_t j = 0; j < C; j++) {
        put(b, ",");
        put(b, t->col_labels[j]);
    }
    put(b, ",total\n");
    for (size_t i = 0; i < R; i++) {
        put(b, t->row_labels[i]);
        for (size_t j = 0; j < C; j++) {
            put(b, ",");
            put_value(b, s->hidden[i * C + j], s->cells[i * C + j], "x");
        }
        put(b, ",");
        put_value(b, s->row_total_hidden[i], s->row_totals[i], "x");
        put(b, "\n");
    }
    put(b, "total");
    for (size_t j = 0; j < C; j++) {
        put(b, ",");
        put_value(b, s->col_total_hidden[j], s->col_totals[j], "x");
    }
    put(b, ",");
    put_value(b, s->total_hidden, s->total, "x");
    put(b, "\n");
}

static void json_labels(out_bytes *b, const char *const *labels, size_t n)
{
    put(b, "[");
    for (size_t i = 0; i < n; i++) {
        put(b, i > 0 ? ",\"" : "\"");
        put(b, labels[i]); /* codes need no escaping */
        put(b, "\"");
    }
    put(b, "]");
}

static void json_values(out_bytes *b, const uint64_t *v, const bool *hidden, size_t n)
{
    put(b, "[");
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            put(b, ",");
        put_value(b, hidden[i], v[i], "null");
    }
    put(b, "]");
}

static void json(out_bytes *b, const council__table *t, const council__suppressed *s)
{
    char num[24];

    put(b, "{\"title\":\"");
    put(b, t->title);
    put(b, "\",\"k\":");
    (void)snprintf(num, sizeof num, "%u", s->k);
    put(b, num);
    put(b, ",\"rows\":");
    json_labels(b, t->row_labels, t->rows);
    put(b, ",\"cols\":");
    json_labels(b, t->col_labels, t->cols);
    put(b, ",\"cells\":[");
    for (size_t i = 0; i < t->rows; i++) {
        if (i > 0)
            put(b, ",");
        json_values(b, s->cells + i * t->cols, s->hidden + i * t->cols, t->cols);
    }
    put(b, "],\"row_totals\":");
    json_values(b, s->row_totals, s->row_total_hidden, t->rows);
    put(b, ",\"col_totals\":");
    json_values(b, s->col_totals, s->col_total_hidden, t->cols);
    put(b, ",\"total\":");
    put_value(b, s->total_hidden, s->total, "null");
    put(b, "}");
}

static int render(council_buf *out, const council__table *t, const council__suppressed *s,
                  void (*fn)(out_bytes *, const council__table *, const council__suppressed *))
{
    out_bytes b = {NULL, 0};
    size_t len;
    int rc;

    if (out == NULL)
        return COUNCIL_EINVAL;
    out->ptr = NULL;
    out->len = 0;
    if ((rc = table_check(t)) != COUNCIL_OK)
        return rc;
    if (s == NULL || s->rows != t->rows || s->cols != t->cols)
        return COUNCIL_EINVAL;
    {
        bool safe;

        if ((rc = safe_check(t, s, s->k, &safe)) != COUNCIL_OK)
            return rc;
        if (!safe)
            return COUNCIL_EDENIED;
    }
    fn(&b, t, s);
    len = b.len;
    b.p = council__malloc(len);
    if (b.p == NULL)
        return COUNCIL_ENOMEM;
    b.len = 0;
    fn(&b, t, s);
    if (b.len != len) {
        council__free(b.p);
        return COUNCIL_ERROR;
    }
    out->ptr = b.p;
    out->len = len;
    return COUNCIL_OK;
}

int council__report_csv(council_buf *out, const council__table *t, const council__suppressed *s)
{
    return render(out, t, s, csv);
}

int council__report_json(council_buf *out, const council__table *t,
                         const council__suppressed *s)
{
    return render(out, t, s, json);
}
