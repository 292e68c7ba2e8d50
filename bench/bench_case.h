/*
 * bench_case.h - the pieces of bench_case shared by its files:
 *   bench_case.c   main: the sizes, the time budget, the summary
 *   case_kit.c     helpers, the baselines' schema, the council fixture
 *   case_create.c  rows 1, 2, 3, 6, 8: creation, audited reads, store size
 *   case_find.c    rows 5, 8: the blind index, its build and lookups
 */
#ifndef BENCH_CASE_H
#define BENCH_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "council.h"

#define HEXKEY "x'2DD29CA851E7B56E4697B0E1F08507293D761A05CE4D1B628663F411A8086D99'"
#define MPASS "member passphrase"
#define SEC_BYTES 1024
#define LOG_ROW 120 /* about an audit event's size, as in bench_audit */
#define MAX_LEVELS 8
#define ROUNDS 5 /* reads and lookups alternate with their baselines in rounds */

extern const char *const sec_scopes[3];

/* ------------------------------------------------------------ case_kit.c */

void ok(council *c, int rc, const char *what);
void sql(sqlite3 *db, const char *s);
void metric(const char *name, double v, const char *unit);
/* One row of the final table: "SUMMARY | row | size | figure | ratio |
 * target | met |"; met 1 met, 0 below, -1 not judged (not run, n/a). */
void summary(const char *row, long size, const char *figure, const char *ratio, const char *target,
             int met);
void size_label(char *out, size_t n, long size);
uint32_t rnd(uint32_t n);
double quantile(double *v, size_t n, double q);
long peak_rss_kib(void);
uint64_t dir_bytes(const char *dir);
uint64_t file_bytes(const char *path);
void fill_text(char *buf, unsigned i);
size_t pack_text(uint8_t *out, const char *text);
size_t pack_identity(uint8_t *out, const char *name, const char *birth);
sqlite3 *base_open(const char *path, bool keyed);
/* Checkpoint the WAL away, then the database file's size. */
uint64_t base_bytes(sqlite3 *db, const char *path);
sqlite3_stmt *prep(sqlite3 *db, const char *s);
void step_done(sqlite3_stmt *st, const char *what);
void io_bytes(uint64_t *rd, uint64_t *wr);
uint64_t io_written(void);
double budget_left(void);
double seconds_since_start(void);

typedef struct fixture {
    char store[256];
    uint8_t ma[16], mb[16], mc[16], sa[16];
    council_buf ka, kb, kc;
    council *s; /* staff session of member A, which owns the cases */
    uint8_t root[32]; /* the council's root key: the secretariat's session widens the index */
} fixture;

void fixture_make(fixture *f, const char *dir, const char *sub);
/* Close the session (the WAL is checkpointed away) and open it again. */
void fixture_reopen(fixture *f);
void fixture_close(fixture *f);
/* As the secretariat would when `council-cli index status` says so: widen
 * the blind index if the store has outgrown its token width (the rebuild's
 * seconds in *secs, 0 when nothing was due); the width after in *width. */
void fixture_index_widen(fixture *f, double *secs, uint32_t *width);

/* The sizes a stage grows through, and what it costs: measured, or the
 * projected seconds of a size the budget could not hold. */
typedef struct levels {
    long size[MAX_LEVELS];
    int n;
} levels;

/* --------------------------------------------------------- case_create.c */

typedef struct create_state create_state;
create_state *create_init(const char *dir, long max_cases, long batch, int reads, int many);
double create_project(const create_state *st, long size);
/* The largest size (a whole number of batches, at least twice the current
 * one) the stage can reach and measure in secs; 0 if none. */
long create_fit(const create_state *st, double secs);
void create_level(create_state *st, long size);
void create_skip(create_state *st, long size, double projected);
void create_report(create_state *st);
void create_done(create_state *st);

/* ----------------------------------------------------------- case_find.c */

typedef struct find_state find_state;
find_state *find_init(const char *dir, long max_cases, long batch, int lookups);
double find_project(const find_state *st, long size);
long find_fit(const find_state *st, double secs);
void find_level(find_state *st, long size);
void find_skip(find_state *st, long size, double projected);
void find_report(find_state *st);
void find_done(find_state *st);

#endif
