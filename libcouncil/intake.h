/*
 * intake.h - intake (domain, intake.c): a person handed over to the
 * council from outside it (a hotline, a chat operator, a school, a
 * utility), as an IntakeBundle, its JSON form (doc/intake-form.md) or an
 * INTAKE bundle (bundle_import.c). Tables: none.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_INTAKE_H
#define COUNCIL_INTAKE_H

#include "council_int.h"
#include "council/v1/bundle.pb-c.h"

/* The most bytes of the JSON form read (checked before parsing). */
#define COUNCIL__INTAKE_JSON_MAX COUNCIL_INTAKE_JSON_MAX
/* The most bytes of the situation's text, and of each other text field. */
#define COUNCIL__INTAKE_SITUATION_MAX 16384
#define COUNCIL__INTAKE_FIELD_MAX 512
#define COUNCIL__INTAKE_LIST_MAX 32

/* What an import did, packed into a BundleImportResult by the caller. */
typedef struct council__import_result {
    uint8_t case_id[COUNCIL_ID_BYTES], person_id[COUNCIL_ID_BYTES];
    uint8_t consent_id[COUNCIL_ID_BYTES], object_id[COUNCIL_ID_BYTES];
    bool has_case, has_person, has_consent, has_object;
    const char *outcome; /* a static code */
} council__import_result;

/*
 * Apply an intake (every field checked first: EINVAL, EFORMAT for the
 * JSON form's caller): a new case, or the found person's case, with the
 * intake section, the consent and the intake_received event (carrying
 * bundle_hash when not NULL). A new case's owner when neither o nor the
 * register names one: fallback_owner (NULL: EINVAL). Fills res. The codes of council_intake_import.
 */
int council__intake_apply(council *c, const char *op, const Council__V1__IntakeBundle *ib,
                          const council_intake_options *o, const uint8_t *bundle_hash,
                          const uint8_t *fallback_owner, council__import_result *res);

/* The JSON form parsed and every field checked as
 * council_intake_import_json does, nothing looked up or applied (no store;
 * c may be NULL): OK, ELIMIT, EFORMAT, EINVAL, ENOMEM, EMISUSE (NULL).
 * For the fuzzer (fuzz/fuzz_intake_json.c). */
int council__intake_json_check(council *c, const char *json, size_t len);
/* The start every import call shares: a usable handle (EMISUSE), out and in
 * not NULL (EMISUSE, out emptied), the session's standing and no batch. */
int council__import_begin(council *c, const char *op, council_buf *out, const void *in);

/* res (and the input's hash, type, sender) as a serialised
 * BundleImportResult into *out. ENOMEM. */
int council__import_result_pack(council *c, const char *op, council_buf *out,
                                const council__import_result *res, const uint8_t hash[32],
                                int type, int sender_kind, const uint8_t *sender_id,
                                int64_t created, int64_t expires);

#endif /* COUNCIL_INTAKE_H */
