/*
 * task_db.h - who supports whom, its rows (domain, task_db.c): the tables
 * case_assign and task, their signatures made and checked; the public
 * calls are task.c's.
 * Tables: case_assign, task.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_TASK_DB_H
#define COUNCIL_TASK_DB_H
#include "council_int.h"
#include "case_db.h"

/* A case's assignment: the owner as lead and nothing else until stored. */
typedef struct council__asg {
    uint8_t lead[COUNCIL_ID_BYTES];
    uint8_t workers[COUNCIL_WORKERS_MAX][COUNCIL_ID_BYTES];
    size_t n;
    int64_t review, updated; /* review 0: none */
    bool stored;
} council__asg;

/* A support task's row (state: council.v1.TaskState). */
typedef struct council__task_row {
    uint8_t id[16], case_id[16], member[16], staff[16], memo[16], decision[16];
    bool has_staff, has_decision;
    int64_t due, created, updated;
    int state;
} council__task_row;

/* Case k's assignment as signed (ETAMPER, logged, for a row not signed by
 * the secretariat or the owner); EIO. */
int council__asg_load(council *c, const char *op, const council__case *k, council__asg *a);
/* a signed by this session and stored as k's (a->updated as the caller
 * set it). EDENIED (no signing key), EIO. */
int council__asg_store(council *c, const char *op, const council__case *k, council__asg *a);
/* Every stored assignment, checked, through fn, by review date; erased
 * cases passed over; a row for no case is forged. fn's first error stops. */
int council__asg_each(council *c, const char *op,
                      int (*fn)(council *c, const council__case *k, const council__asg *a,
                                void *ctx),
                      void *ctx);
/* Task id, checked, with its case: ENOTFOUND, ETAMPER (logged), EIO. */
int council__task_load(council *c, const char *op, const uint8_t id[16], council__task_row *t,
                       council__case *k);
/* The task's fields signed by this session (the secretariat or the owner)
 * and written: a new row (fresh, its state signed too) or the fields of an
 * existing one (its state untouched). EIO. */
int council__task_write(council *c, const char *op, const council__task_row *t, bool fresh);
/* The task's state and updated signed by this session and written. EIO. */
int council__task_write_state(council *c, const char *op, const council__task_row *t);
/* Is the task's state the one the log records (its last allowed
 * TASK_UPDATED event "done" or "cancelled", else open)? The state row is
 * signed with its time only, so an older signed state put back (a done task
 * open again) checks; the log holds every transition. ETAMPER (a finding,
 * task_rolled_back; log_event_edited for an edited event), EIO, ENOMEM. */
int council__task_log_check(council *c, const char *op, const council__task_row *t,
                            const council__case *k);
/* Every task row, checked, with its case, through fn (in the order added,
 * or by due date); fn's first error stops. ETAMPER (logged) for a forged row. */
int council__task_each(council *c, const char *op, bool by_due,
                       int (*fn)(council *c, const council__task_row *t, const council__case *k,
                                 void *ctx),
                       void *ctx);

/*
 * The support tasks by state (rows 0..2: open, done, cancelled) and by the
 * body their case was collected under (columns 0..2: council, support
 * meeting, needs-of-the-poor meeting), counted into counts (added to what
 * it holds), from the signed rows only: a forged row is ETAMPER (logged).
 * Tasks of erased cases are not counted. EIO named for op.
 */
int council__task_counts(council *c, const char *op, int64_t counts[3][3]);

/*
 * A member's signing key is about to be replaced, or the member withdraws
 * (a secretariat session, member.c): the assignment and task rows it signed
 * that check are signed again by the council; forged ones stay refused.
 * In the caller's transaction. EIO, ENOMEM.
 */
int council__task_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES]);
/*
 * A case's ownership is about to move (the c->case_moving hook, called by
 * case.c before the owner changes, in its transaction; the session is the
 * secretariat's): its assignment and task rows that check now are signed
 * again by the session, so they still check under the new owner; forged
 * ones stay refused. EIO, ENOMEM.
 */
int council__task_resign_case(council *c, const uint8_t case_id[COUNCIL_ID_BYTES]);

#endif /* COUNCIL_TASK_DB_H */
