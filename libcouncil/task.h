/*
 * task.h - who supports whom (domain, task.c): a case's lead member,
 * workers and next review (table case_assign), support tasks (table
 * task). The public calls are council_case_assign/_review/_assignment/
 * _reviews/_handover_list/_handover and council_task_*.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_TASK_H
#define COUNCIL_TASK_H
#include "council_int.h"

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

#endif /* COUNCIL_TASK_H */
