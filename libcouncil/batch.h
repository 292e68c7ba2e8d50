/*
 * batch.h - the log-first transaction: an operation's savepoint, finish, the caller's batches (log layer).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_BATCH_H
#define COUNCIL_BATCH_H

#include "council_int.h"
#include "audit.h"

/* End a registry change begun with council__audit_batch_begin: commit if
 * rc is COUNCIL_OK (and clear the message), else roll back; returns rc or
 * the commit's failure. */
int council__finish(council *c, int rc);

/* Inside the caller's batch, an event (a refusal, a tamper finding) kept
 * to be appended again on its own if the batch is rolled back (case.c). */
void council__hold_event(council *c, const council__event *ev);

/* Batched mode: many appends, one durable commit. */
int council__audit_batch_begin(council *c);
int council__audit_batch_commit(council *c);
void council__audit_batch_rollback(council *c);

/* EMISUSE (named for op) while council_batch_begin() is open. */
int council__no_batch(council *c, const char *op);

#endif /* COUNCIL_BATCH_H */
