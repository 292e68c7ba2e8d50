/*
 * log.h - the audit log's core (log layer): append, the node store, the
 * log-first transaction (an operation's savepoint, finish, the caller's
 * batch underneath, refusals held across its rollback), the log's rows for
 * the files above it (head.c, audit.c), and the journal's import.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_LOG_H
#define COUNCIL_LOG_H

#include "council_int.h"
#include "council/v1/audit.pb-c.h"
#include "event.h"
#include "merkle.h"

/* Append durably: one transaction, committed (synchronous=FULL) before
 * return, unless a batch is open, in which case the batch's commit makes
 * it durable. On failure nothing is appended and the caller MUST fail.
 * An event whose actor is root (the secretariat's act), appended in a staff
 * session (a person of the secretariat), names that staff member instead. */
int council__audit_append(council *c, const council__event *ev);
/* Log first, then act: act() runs only once the event is durable. */
int council__audit_then(council *c, const council__event *ev,
                        int (*act)(council *c, void *ctx), void *ctx);

int council__audit_size(council *c, uint64_t *out);
/* For tests: fail appends after `n` more succeed (n < 0: never). Per thread. */
#ifdef COUNCIL_TEST_HOOKS /* the test build only */
void council__audit_fault_after(long n);
#endif
/* Keyed pseudonym of a case id (subkey "cncl-psn" of the root key). */
int council__case_ref(council *c, uint8_t out[32], const uint8_t case_id[COUNCIL_ID_BYTES]);
/* The node store of c's audit tree. */
void council__audit_nodes(council *c, council__nodes *ns);

/* Append an allowed registry event by the root session about a member
 * and/or staff member (either may be NULL). */
int council__audit_subject(council *c, int action, const uint8_t *member, const uint8_t *staff,
                           const char *reason);

/* Import the refusal journal (journal.c) as session_refused events, in one
 * log-first transaction, then remove it (root sessions, at open). A journal
 * that cannot be read or removed is itself logged, never a reason to fail.
 * Errors of the append, ENOMEM. */
int council__journal_import(council *c);

/* ------------------------------------------------- the log-first transaction */
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
/* After the caller's batch was rolled back (batch.c): its refusals and
 * findings, appended again on their own, each with the actor it named. */
void council__audit_replay_held(council *c);
/* One operation made of several steps that each begin and finish their own
 * transaction (council__audit_batch_begin, council__finish), run as one:
 * begin opens an outer transaction as a caller's batch would (each step's
 * becomes a savepoint in it; refusals and findings are held); end commits
 * it when rc is COUNCIL_OK, else rolls it back and appends the held
 * refusals and findings on their own, keeping rc and its message. Not
 * inside a caller's batch (council__no_batch first). Inside another
 * operation's batch (a bundle's import holding the step it carries), begin
 * and end only count: the outermost end commits or rolls back the whole;
 * council__no_batch lets an inner operation run only while the outer one
 * says so (c->inner_ok, around the step it carries). begin: EIO; end: rc,
 * or EIO when the commit fails (rolled back). */
int council__op_batch_begin(council *c, const char *op);
int council__op_batch_end(council *c, const char *op, int rc);
/* For tests: make council__op_batch_end's commit fail (rolled back, EIO)
 * after `n` more succeed (n < 0: never). Per thread. */
#ifdef COUNCIL_TEST_HOOKS /* the test build only */
void council__commit_fault_after(long n);
#endif

/* --------------------------------------------------- rows, for the log's users */
/* The stored events from seq `from` on, in order: fn(ctx, seq, body, len)
 * for each; a nonzero return from fn stops the walk and is returned.
 * COUNCIL_OK at the end, COUNCIL_EIO on a database error (no message). */
int council__audit_events_from(council *c, uint64_t from,
                               int (*fn)(void *ctx, uint64_t seq, const uint8_t *body, size_t len),
                               void *ctx);
/* One event about an object, as council__log_object_actions reads it. */
typedef struct council__object_event {
    uint64_t seq;
    int action;
    bool allowed; /* outcome allowed (else refused) */
    char reason[COUNCIL__AUDIT_CODE_MAX + 1]; /* "" for none */
} council__object_event;
/* The events of the case whose pseudonym is case_ref (the audit_event_case
 * index: a case's events, never the whole log) that name object_id with an
 * action in [lo, hi], oldest first: at most cap into out, *n their number.
 * Each event's stored bytes must be the stored tree's leaf at its seq and
 * name that case and object (else ETAMPER: an event edited; the head check
 * of head.c catches a tree rewritten to match, and events deleted), EIO;
 * each named for op. */
int council__log_object_actions(council *c, const char *op, const uint8_t case_ref[32],
                                const uint8_t object_id[COUNCIL_ID_BYTES], int lo, int hi,
                                int (*fn)(void *ctx, const council__object_event *ev), void *ctx);
/* Every event of the log, by seq from 0 to the log's size with no gap (an
 * event deleted: ETAMPER, *why "log_events_deleted"), each checked against
 * the stored tree's leaf (an event edited: ETAMPER, *why "log_event_edited";
 * its case_ref or other columns cleared or changed make no difference: the
 * body is read, never the table's columns), decoded, through fn with its
 * stored bytes and leaf hash; fn's error stops the scan and is returned.
 * The head check of head.c catches a tree rewritten to match, and events
 * cut from the end. O(the log's size): for the passes that must not miss an
 * event the insider hid from the audit_event_case index (the person's file,
 * the provision register, retention, case evidence, issued reports). The
 * caller records the tamper finding *why names (attest.c:
 * council__log_walk_checked does). EIO, ENOMEM, ETAMPER named for op. */
typedef int (*council__log_scan_fn)(void *ctx, const Council__V1__AuditEvent *e,
                                    const uint8_t *body, size_t len,
                                    const uint8_t leaf[COUNCIL_HASH_BYTES]);
int council__log_scan(council *c, const char *op, council__log_scan_fn fn, void *ctx,
                      const char **why);
/* How many events are stored below seq n (EIO, no message): fewer than n
 * means some were deleted. */
int council__audit_count_below(council *c, uint64_t n, int64_t *count);
/* Stored checkpoints: put (insert or replace, stamped now), the note of a
 * size (council__malloc'd; ENOTFOUND, ENOMEM, EIO), its note replaced
 * (EIO). No messages: the caller says what failed. */
int council__audit_checkpoint_put(council *c, uint64_t size, const char *note, size_t len);
int council__audit_checkpoint_note(council *c, uint64_t size, char **note);
int council__audit_checkpoint_update(council *c, uint64_t size, const char *note, size_t len);
/* Is there an allowed bundle_imported (or intake_received) event naming
 * this bundle hash since `since` (Unix seconds, by the time in the event's
 * hashed body)? *found. The events are walked by seq from the newest, with
 * no gap, each checked against the tree's leaf (COUNCIL_ETAMPER, with a
 * message, for one edited or missing).
 * The replay check that does not rest on a table the insider can empty. */
int council__log_bundle_imported(council *c, const char *op, const uint8_t hash[32],
                                 int64_t since, bool *found);
/* The sizes of at most cap stored checkpoints signed at or after `since`
 * (Unix seconds), largest first, into sizes; their number into *n.
 * COUNCIL_OK or EIO. */
int council__audit_checkpoints_recent(council *c, int64_t since, uint64_t *sizes, size_t cap,
                                      size_t *n);
/* council_audit_list() after its session checks (audit.c). */
int council__audit_list_in(council *c, council_buf *out, const council_audit_filter *f);
/* The export's bytes after its checks (audit.c): magic, header, events and
 * checkpoints up to n, one snapshot; buf holds COUNCIL__AUDIT_FRAME_MAX
 * bytes. EIO (with *began false when the snapshot could not begin), ELIMIT. */
int council__audit_export_frames(council *c, FILE *f, uint64_t n, uint8_t *buf, bool *began);

#endif /* COUNCIL_LOG_H */
