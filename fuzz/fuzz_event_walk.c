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
#include "event_oracle.h"

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
    e = oracle_reference(data, size, scratch);
    free(scratch);
    fuzz_check(walked == (e != NULL));
    if (e == NULL)
        return 0;
    fuzz_check(oracle_mismatch(&w, e) == NULL);
    council__v1__audit_event__free_unpacked(e, NULL);
    return 0;
}
