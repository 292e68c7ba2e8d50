/*
 * fuzz_intake_json.c - the intake's JSON form (doc/intake-form.md), as
 * council_intake_import_json reads it before anything is looked up:
 * council__intake_json_check (libcouncil/intake.c, jansson): the size cap,
 * the parse, every key and type, every field's check. The whole input is
 * the JSON text; no store.
 *
 * The harness traps on a code other than OK, ELIMIT, EFORMAT, EINVAL or
 * ENOMEM.
 */
#include "fixture.h"
#include "intake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int rc = council__intake_json_check(NULL, (const char *)data, size);

    fuzz_check(rc == COUNCIL_OK || rc == COUNCIL_ELIMIT || rc == COUNCIL_EFORMAT ||
               rc == COUNCIL_EINVAL || rc == COUNCIL_ENOMEM);
    return 0;
}
