/*
 * fuzz_event_walk.c - the audit event walker (council__event_walk and
 * council__event_fields_ok, verify.c), against the decoder it replaced.
 *
 * The input is the bytes of one AuditEvent. The verifier reads an event
 * where it stands in the export instead of decoding it with protobuf-c and
 * re-encoding it to check that the bytes are canonical; this harness keeps
 * that old check as the reference and traps on any input where the two
 * disagree: the walker must accept exactly the bytes that decode, carry no
 * unknown field, re-encode to themselves and pass the field checks, and on
 * those it must read the same values. It must also never read outside the
 * input (the replayer hands it a buffer of exactly the input's size, and
 * the fuzzer runs under AddressSanitizer).
 *
 * The harness returns 0 and frees everything on every path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "council.h"
#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "event.h"
#include "verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fuzzer's assertion; the library itself never aborts. */
#define fuzz_check(cond) fuzz_check_at((cond), #cond, __LINE__)

static void fuzz_check_at(int ok, const char *what, int line)
{
    if (ok)
        return;
    fprintf(stderr, "fuzz_event_walk.c:%d: check failed: %s\n", line, what);
    abort();
}

static int id_ok(protobuf_c_boolean has, ProtobufCBinaryData d, size_t want)
{
    return !has || d.len == want;
}

/* The check verify.c made before issue 17: decoded, no unknown field,
 * re-encoded to the same bytes, then the field checks. */
static Council__V1__AuditEvent *reference(const uint8_t *b, size_t len, uint8_t *scratch)
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
         id_ok(e->has_actor_member, e->actor_member, COUNCIL_ID_BYTES) &&
         id_ok(e->has_actor_staff, e->actor_staff, COUNCIL_ID_BYTES) &&
         id_ok(e->has_subject_member, e->subject_member, COUNCIL_ID_BYTES) &&
         id_ok(e->has_subject_staff, e->subject_staff, COUNCIL_ID_BYTES) &&
         id_ok(e->has_object_id, e->object_id, COUNCIL_ID_BYTES) &&
         id_ok(e->has_consent_id, e->consent_id, COUNCIL_ID_BYTES) &&
         id_ok(e->has_bundle_hash, e->bundle_hash, 32) && id_ok(e->has_case_ref, e->case_ref, 32);
    if (!ok) {
        council__v1__audit_event__free_unpacked(e, NULL);
        return NULL;
    }
    return e;
}

static int same_bytes(const council__event_view *w, unsigned f, protobuf_c_boolean has,
                      ProtobufCBinaryData d)
{
    int present = (w->present >> f & 1) != 0;

    return present == (has != 0) &&
           (!present || (w->field_len[f] == d.len && memcmp(w->field[f], d.data, d.len) == 0));
}

static int same_text(const council__event_view *w, unsigned f, const char *s)
{
    int present = (w->present >> f & 1) != 0;

    return present == (s != NULL) &&
           (!present || (w->field_len[f] == strlen(s) && memcmp(w->field[f], s, strlen(s)) == 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    council__event_view w;
    Council__V1__AuditEvent *e;
    uint8_t *scratch;
    int rc, walked;

    if (size > COUNCIL__AUDIT_FRAME_MAX)
        return 0; /* no event frame holds more */
    rc = council__event_walk(&w, data, size);
    fuzz_check(rc == COUNCIL__WALK_OK || rc == COUNCIL__WALK_UNDECODABLE ||
               rc == COUNCIL__WALK_NONCANONICAL);
    walked = rc == COUNCIL__WALK_OK && council__event_fields_ok(&w);
    scratch = malloc(size + 1);
    if (scratch == NULL)
        return 0;
    e = reference(data, size, scratch);
    free(scratch);
    fuzz_check(walked == (e != NULL));
    if (e == NULL)
        return 0;
    fuzz_check(w.seq == e->seq && w.time == e->time);
    fuzz_check(w.action == (uint64_t)e->action && w.actor_kind == (uint64_t)e->actor_kind &&
               w.outcome == (uint64_t)e->outcome);
    fuzz_check(((w.present >> 13 & 1) != 0) == (e->has_error != 0));
    fuzz_check(!e->has_error || w.error == e->error);
    fuzz_check(same_bytes(&w, 5, e->has_actor_member, e->actor_member));
    fuzz_check(same_bytes(&w, 6, e->has_actor_staff, e->actor_staff));
    fuzz_check(same_bytes(&w, 7, e->has_case_ref, e->case_ref));
    fuzz_check(same_bytes(&w, 11, e->has_consent_id, e->consent_id));
    fuzz_check(same_bytes(&w, 15, e->has_prev_hash, e->prev_hash));
    fuzz_check(same_bytes(&w, 16, e->has_subject_member, e->subject_member));
    fuzz_check(same_bytes(&w, 17, e->has_subject_staff, e->subject_staff));
    fuzz_check(same_bytes(&w, 18, e->has_object_id, e->object_id));
    fuzz_check(same_bytes(&w, 19, e->has_bundle_hash, e->bundle_hash));
    fuzz_check(same_text(&w, 9, e->purpose));
    fuzz_check(same_text(&w, 10, e->basis));
    fuzz_check(same_text(&w, 14, e->reason));
    fuzz_check(w.n_scopes == e->n_scopes);
    for (size_t k = 0; k < e->n_scopes; k++)
        fuzz_check(w.scope_len[k] == strlen(e->scopes[k]) &&
                   memcmp(w.scope[k], e->scopes[k], w.scope_len[k]) == 0);
    council__v1__audit_event__free_unpacked(e, NULL);
    return 0;
}
