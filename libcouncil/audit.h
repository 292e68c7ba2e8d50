/*
 * audit.h - the audit log: append, the signer's head, sizes and nodes (log layer).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_AUDIT_H
#define COUNCIL_AUDIT_H

#include "council_int.h"
#include "merkle.h"

/* One event to append; seq, time and prev_hash are filled in by the log.
 * Codes are identifiers [a-z0-9_]{1,64}; ids are 16 bytes, case_ref 32. */
typedef struct council__event {
    int action;                 /* COUNCIL__V1__AUDIT_ACTION__* */
    int actor_kind;             /* COUNCIL__V1__AUDIT_ACTOR_KIND__* */
    const uint8_t *actor_member;
    const uint8_t *actor_staff;
    const uint8_t *subject_member; /* the member acted on */
    const uint8_t *subject_staff;  /* the staff acted on */
    const uint8_t *case_ref;
    const char *const *scopes;
    size_t n_scopes;
    const char *purpose;
    const char *basis;
    const uint8_t *consent_id;
    int outcome;                /* COUNCIL__V1__AUDIT_OUTCOME__* */
    int error;                  /* refused: the COUNCIL_E* code */
    const char *reason;
} council__event;


#define COUNCIL__AUDIT_SCOPES_MAX 32
#define COUNCIL__AUDIT_FRAME_MAX 65536

/* Append durably: one transaction, committed (synchronous=FULL) before
 * return, unless a batch is open, in which case the batch's commit makes
 * it durable. On failure nothing is appended and the caller MUST fail. */
int council__audit_append(council *c, const council__event *ev);
/* Log first, then act: act() runs only once the event is durable. */
int council__audit_then(council *c, const council__event *ev,
                        int (*act)(council *c, void *ctx), void *ctx);

/* The secretariat's session keeps the log signer's head (audit.c): extend
 * it over the events since, if the log still extends it (else ETAMPER, the
 * finding logged as tamper_detected). No-op for staff sessions. */
int council__audit_head_advance(council *c);
/* Does the store say the signer keeps a head (audit.c)? */
int council__audit_head_kept(council *c, bool *kept);
/* The first 8 bytes of an audit export (audit_export.c writes, verify.c
 * reads). */
extern const uint8_t council__export_magic[8];
int council__audit_size(council *c, uint64_t *out);
/* For tests: fail appends after `n` more succeed (n < 0: never). Per thread. */
void council__audit_fault_after(long n);
/* Keyed pseudonym of a case id (subkey "cncl-psn" of the root key). */
int council__case_ref(council *c, uint8_t out[32], const uint8_t case_id[COUNCIL_ID_BYTES]);
/* The node store of c's audit tree. */
void council__audit_nodes(council *c, council__nodes *ns);

/* Append an allowed registry event by the root session about a member
 * and/or staff member (either may be NULL). */
int council__audit_subject(council *c, int action, const uint8_t *member, const uint8_t *staff,
                           const char *reason);

/* Sign a checkpoint of the log as it stands, inside the log-first
 * transaction (for the export, which logs itself first): the signed note
 * into out, the log's size into *size_out. EDENIED without the log key,
 * EIO, ENOMEM. */
int council__audit_checkpoint_in_batch(council *c, council_buf *out, uint64_t *size_out);

/* Import the refusal journal (journal.c) as session_refused events, in one
 * log-first transaction, then remove it (root sessions, at open). A journal
 * that cannot be read or removed is itself logged, never a reason to fail.
 * Errors of the append, ENOMEM. */
int council__journal_import(council *c);

#endif /* COUNCIL_AUDIT_H */
