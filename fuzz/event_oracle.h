/*
 * event_oracle.h - the audit event check verify.c made before issue 17
 * (decode with protobuf-c, no unknown field, re-encode to the same bytes,
 * then the field checks), kept as the oracle the field walker
 * (council__event_walk) is compared with: by fuzz/fuzz_event_walk.c and by
 * tests/test_verify_walk.c. Static inline: each takes what it uses.
 */
#ifndef COUNCIL_EVENT_ORACLE_H
#define COUNCIL_EVENT_ORACLE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "event.h"
#include "verify.h"

static inline int oracle_id_ok(protobuf_c_boolean has, ProtobufCBinaryData d, size_t want)
{
    return !has || d.len == want;
}

/* The decoded event, or NULL where the old check refused b; scratch holds
 * len bytes (the re-encoding). Free with
 * council__v1__audit_event__free_unpacked(e, NULL). */
static inline Council__V1__AuditEvent *oracle_reference(const uint8_t *b, size_t len, uint8_t *scratch)
{
    Council__V1__AuditEvent *e = council__v1__audit_event__unpack(NULL, len, b);
    int ok;

    if (e == NULL)
        return NULL;
    ok = e->base.n_unknown_fields == 0 && council__v1__audit_event__get_packed_size(e) == len &&
         council__v1__audit_event__pack(e, scratch) == len && memcmp(scratch, b, len) == 0 &&
         (e->purpose == NULL || council__audit_code_ok(e->purpose)) &&
         (e->basis == NULL || council__audit_code_ok(e->basis)) &&
         (e->reason == NULL || council__audit_code_ok(e->reason)) &&
         e->n_scopes <= COUNCIL__AUDIT_SCOPES_MAX;
    for (size_t k = 0; ok && k < e->n_scopes; k++)
        ok = council__audit_code_ok(e->scopes[k]) &&
             (k == 0 || strcmp(e->scopes[k - 1], e->scopes[k]) < 0);
    ok = ok && e->action != 0 && e->actor_kind != 0 && e->outcome != 0 &&
         protobuf_c_enum_descriptor_get_value(&council__v1__audit_action__descriptor,
                                              (int)e->action) != NULL &&
         protobuf_c_enum_descriptor_get_value(&council__v1__audit_actor_kind__descriptor,
                                              (int)e->actor_kind) != NULL &&
         protobuf_c_enum_descriptor_get_value(&council__v1__audit_outcome__descriptor,
                                              (int)e->outcome) != NULL &&
         oracle_id_ok(e->has_actor_member, e->actor_member, COUNCIL_ID_BYTES) &&
         oracle_id_ok(e->has_actor_staff, e->actor_staff, COUNCIL_ID_BYTES) &&
         oracle_id_ok(e->has_subject_member, e->subject_member, COUNCIL_ID_BYTES) &&
         oracle_id_ok(e->has_subject_staff, e->subject_staff, COUNCIL_ID_BYTES) &&
         oracle_id_ok(e->has_object_id, e->object_id, COUNCIL_ID_BYTES) &&
         oracle_id_ok(e->has_consent_id, e->consent_id, COUNCIL_ID_BYTES) &&
         oracle_id_ok(e->has_bundle_hash, e->bundle_hash, 32) &&
         oracle_id_ok(e->has_case_ref, e->case_ref, 32);
    if (!ok) {
        council__v1__audit_event__free_unpacked(e, NULL);
        return NULL;
    }
    return e;
}

static inline int oracle_same_bytes(const council__event_view *w, unsigned f, protobuf_c_boolean has,
                                    ProtobufCBinaryData d)
{
    int present = (w->present >> f & 1) != 0;

    return present == (has != 0) &&
           (!present || (w->field_len[f] == d.len && memcmp(w->field[f], d.data, d.len) == 0));
}

static inline int oracle_same_text(const council__event_view *w, unsigned f, const char *s)
{
    int present = (w->present >> f & 1) != 0;

    return present == (s != NULL) &&
           (!present || (w->field_len[f] == strlen(s) && memcmp(w->field[f], s, strlen(s)) == 0));
}

/* NULL when the walker's view w reads every field as the decoder's e does,
 * else the first field that differs. */
static inline const char *oracle_mismatch(const council__event_view *w, const Council__V1__AuditEvent *e)
{
    if (w->seq != e->seq || w->time != e->time)
        return "seq or time";
    if (w->action != (uint64_t)e->action || w->actor_kind != (uint64_t)e->actor_kind ||
        w->outcome != (uint64_t)e->outcome)
        return "action, actor kind or outcome";
    if (((w->present >> 13 & 1) != 0) != (e->has_error != 0) || (e->has_error && w->error != e->error))
        return "error";
    if (!oracle_same_bytes(w, 5, e->has_actor_member, e->actor_member) ||
        !oracle_same_bytes(w, 6, e->has_actor_staff, e->actor_staff) ||
        !oracle_same_bytes(w, 7, e->has_case_ref, e->case_ref) ||
        !oracle_same_bytes(w, 11, e->has_consent_id, e->consent_id) ||
        !oracle_same_bytes(w, 15, e->has_prev_hash, e->prev_hash) ||
        !oracle_same_bytes(w, 16, e->has_subject_member, e->subject_member) ||
        !oracle_same_bytes(w, 17, e->has_subject_staff, e->subject_staff) ||
        !oracle_same_bytes(w, 18, e->has_object_id, e->object_id) ||
        !oracle_same_bytes(w, 19, e->has_bundle_hash, e->bundle_hash))
        return "a bytes field";
    if (!oracle_same_text(w, 9, e->purpose) || !oracle_same_text(w, 10, e->basis) ||
        !oracle_same_text(w, 14, e->reason))
        return "a text field";
    if (w->n_scopes != e->n_scopes)
        return "the number of scopes";
    for (size_t k = 0; k < e->n_scopes; k++)
        if (w->scope_len[k] != strlen(e->scopes[k]) ||
            memcmp(w->scope[k], e->scopes[k], w->scope_len[k]) != 0)
            return "a scope";
    return NULL;
}

#endif /* COUNCIL_EVENT_ORACLE_H */
