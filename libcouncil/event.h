/*
 * event.h - the audit event as data (pure): what the log appends and the
 * auditor reads back, its limits and codes, and the export file's magic.
 * Shared by the log (log.c), the refusal journal (journal.c) and the
 * auditor's side (verify.c), none of which needs the others for it.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_EVENT_H
#define COUNCIL_EVENT_H

#include "council_int.h"

/* One event to append; seq, time and prev_hash are filled in by the log.
 * Codes are identifiers [a-z0-9_]{1,64}; ids are 16 bytes, case_ref 32. */
typedef struct council__event {
    int action;                 /* COUNCIL__V1__AUDIT_ACTION__* */
    int actor_kind;             /* COUNCIL__V1__AUDIT_ACTOR_KIND__* */
    const uint8_t *actor_member;
    const uint8_t *actor_staff;
    const uint8_t *subject_member; /* the member acted on */
    const uint8_t *subject_staff;  /* the staff acted on */
    const uint8_t *object_id;      /* the referral, request, task or decision acted on */
    const uint8_t *bundle_hash;    /* 32 bytes: the bundle exported or imported */
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

#define COUNCIL__AUDIT_CODE_MAX 64      /* bytes of a code: [a-z0-9_]{1,64} */
#define COUNCIL__AUDIT_SCOPES_MAX 32    /* scopes an event names */
#define COUNCIL__AUDIT_FRAME_MAX 65536  /* bytes of one frame of an export */

/* Is `s` an audit code: [a-z0-9_]{1,64}? */
bool council__audit_code_ok(const char *s);

/* The first 8 bytes of an audit export (log.c writes, verify.c reads). */
extern const uint8_t council__export_magic[8];

#endif /* COUNCIL_EVENT_H */
