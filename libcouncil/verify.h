/*
 * verify.h - the auditor's side: exports and proofs verified with the public key alone.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_VERIFY_H
#define COUNCIL_VERIFY_H

#include "council_int.h"
#include "event.h"

/* council_audit_verify_export() on an open stream (for the fuzzer). */
int council__audit_verify_fp(council_buf *report, FILE *f, const council_audit_verify_options *o);

/* ------------------------------------------------ an event read in place */

/* An audit event's fields read from its bytes without decoding them into a
 * message (council__event_walk): the auditor hashes the bytes as they stand
 * and checks these. Pointers point into the bytes walked. */
typedef struct council__event_view {
    uint64_t seq;
    int64_t time;
    uint64_t action, actor_kind, outcome; /* at most INT32_MAX */
    int32_t error;
    uint32_t present;                    /* bit n: field n (1..19) is present */
    const uint8_t *field[20];            /* bytes and string fields, by number */
    size_t field_len[20];
    const uint8_t *scope[COUNCIL__AUDIT_SCOPES_MAX];
    size_t scope_len[COUNCIL__AUDIT_SCOPES_MAX];
    size_t n_scopes;                     /* may exceed the scopes kept above */
} council__event_view;

#define COUNCIL__WALK_OK 0
#define COUNCIL__WALK_UNDECODABLE 1  /* truncated, a required field missing, a wrong wire type */
#define COUNCIL__WALK_NONCANONICAL 2 /* decodes, but not as protobuf-c packs it */

/* Walk the bytes of an AuditEvent (proto/council/v1/audit.proto): OK only
 * for its canonical encoding, the one protobuf-c 1.4 packs (fields in
 * ascending number, each once but scopes, shortest varints, no unknown
 * field, no value the packer would write otherwise, no NUL in a string);
 * every length is checked against the bytes left before it is used. Does
 * not check codes, id lengths or enum values: council__event_fields_ok. */
int council__event_walk(council__event_view *e, const uint8_t *b, size_t len);
/* The field checks of a walked event: codes [a-z0-9_]{1,64}, scopes at
 * most COUNCIL__AUDIT_SCOPES_MAX, sorted and unique, the enums nonzero and
 * known, ids of 16 bytes and hashes of 32. */
bool council__event_fields_ok(const council__event_view *e);

#endif /* COUNCIL_VERIFY_H */
