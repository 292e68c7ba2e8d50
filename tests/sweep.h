/*
 * sweep.h - what the sweep's operation files share (tests/sweep_faults.c is
 * the harness and the first operations; tests/sweep_ops_*.c add theirs).
 *
 * An operation file defines a table of `op`s and its length, named in
 * sweep_faults.c's list of tables. Its prep runs without faults (setup: MUST),
 * its run under the fault (returns the operation's code, sets *h to the
 * handle whose message is looked at and *out to any output buffer).
 */
#ifndef SWEEP_H
#define SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "council.h"

/* The op tables give the leading fields; the trailing ones default. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define PASS "correct horse battery staple"
#define MPASS "member passphrase"
#define OPS 1u
#define MEM 8192u

/* Setup steps (never under a fault) must succeed. */
#define MUST(call)                                                                          \
    do {                                                                                    \
        int must_rc_ = (call);                                                              \
        if (must_rc_ != COUNCIL_OK) {                                                       \
            fprintf(stderr, "sweep: setup failed: %s = %d (%s:%d)\n", #call, must_rc_,      \
                    __FILE__, __LINE__);                                                    \
            exit(1);                                                                        \
        }                                                                                   \
    } while (0)

typedef struct world {
    char root[256], store[300];
    council *c;            /* the secretariat (root) */
    council *sa, *sb;      /* staff of member A (every scope) and B */
    council *insp;         /* root, only to read the tables (logs nothing) */
    uint8_t ma[16], mb[16], sta[16], stb[16];
    council_buf ka, kb;    /* their keyfiles */
    uint8_t cid[16], pid[16]; /* a case of A's, its situation shared to B */
    uint8_t mid[16];       /* a meeting, B attending, that case on it */
    int seq;               /* for fresh file names */
    /* per-operation scratch, set by prep */
    uint8_t x[16], y[16], z[16];
    char path[320];
} world;

typedef struct op {
    const char *name;
    bool content;   /* returns content or opens a session: its event may stand
                     * without the content (or the session) */
    bool no_store;  /* create: no world store to look at */
    bool reopen;    /* the world's handles are reopened after a success */
    void (*prep)(world *w);
    /* Run under the fault; *h is the handle whose message is looked at
     * (NULL: none), *out the output buffer (or NULL). */
    int (*run)(world *w, council **h, council_buf *out);
    void (*done)(world *w, council_buf *out); /* after a success (may be NULL) */
    /* Key management that logs first (DESIGN: the attempt is on the record
     * before the keys change, and a failure after it is logged too): its
     * events may stand after a failure, and the store is compared after
     * the next root open, which finishes or tidies what the failure left
     * (a pending re-key, copies under a root key never switched to). */
    bool logs_first;
    /* Its work grows with the log (an export, a report): each run starts
     * from a copy of the template, not from the last run's store. */
    bool fresh;
    /* The keyring's keys compared as the next root open leaves them: a key
     * replacement whose tidying failed too (every allocation failing)
     * leaves an entry sealed to a key not on record, which that open
     * removes (member.c, register_keys). */
    bool keys_at_open;
    /* After each failure, the fault disarmed (may be NULL): the checks of
     * a store that is not the world's (a member node's), reported with
     * SWEEP_CHECK. */
    void (*failed)(world *w, const struct op *o, int rc);
} op;

/* A finding of an operation file's own checks: printed as a FAIL of the
 * current operation, kind and point, and counted. */
void sweep_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define SWEEP_CHECK(cond, ...)                                                              \
    do {                                                                                    \
        if (!(cond))                                                                        \
            sweep_fail(__FILE__, __LINE__, __VA_ARGS__);                                    \
    } while (0)

/* The world's fixtures (sweep_faults.c) */
extern const char *const all_scopes[]; /* member A's ten scopes */
extern const char *const b_scopes[];   /* member B's three */
extern const char pledge[];
extern council *made; /* a handle the run opened (close_made closes it) */

council_buf section_text(const char *text);
int open_root(council **out, const char *store);
int open_staff(council **out, world *w, const uint8_t staff[16], const council_buf *kf);
void add_member(world *w, uint8_t id[16], const char *name, const char *const *scopes,
                       size_t n, council_buf *kf);
void add_staff(world *w, uint8_t id[16], const uint8_t m[16]);
void write_section(council *s, const uint8_t cid[16], const uint8_t pid[16],
                          const char *scope, const char *text);
int share_to(council *s, const uint8_t cid[16], const uint8_t m[16], const char *scope);
void reopen_all(world *w);
void rmrf(const char *path);
void fresh_path(world *w, const char *stem);
void no_prep(world *w);
void close_made(world *w, council_buf *out);
void unlink_done(world *w, council_buf *out);

/* A table's row count, and a hash of its rows (in rowid order where it has
 * one) as someone holding the database key reads them. */
struct sqlite3;
int64_t table_hash(struct sqlite3 *db, const char *table, uint8_t hash[32]);

/* The council has asked member B about the world's case (request w->z),
 * under a policy that accepts council_art16_exchange. */
void request_prep(world *w);

/* The operation tables (one per file) */
extern const op sweep_ops_core[];
extern const size_t sweep_ops_core_n;
extern const op sweep_ops_node[];
extern const size_t sweep_ops_node_n;
extern const op sweep_ops_node_imports[];
extern const size_t sweep_ops_node_imports_n;
extern const op sweep_ops_rights[];
extern const size_t sweep_ops_rights_n;
extern const op sweep_ops_misc[];
extern const size_t sweep_ops_misc_n;

#endif
