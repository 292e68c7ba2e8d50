/*
 * fuzz_section.c - the section content check, council__section_check.
 *
 * Input layout:
 *   byte 0   the scope: scopes[data[0] % N_SCOPES], the ten built-in scope
 *            codes and one code the check must refuse ("Bad-Scope")
 *   1..      the section bytes, a serialised council.v1.Section
 *            (proto/council/v1/case.proto); possibly empty
 * An empty input is skipped.
 *
 * The check runs with no handle (council__fail accepts NULL). The harness
 * traps:
 *   - on any code other than OK, EFORMAT, ELIMIT, EINVAL or ENOMEM;
 *   - unless EINVAL is returned exactly for the invalid scope code;
 *   - on OK for empty bytes, or ELIMIT for at most COUNCIL_SECTION_MAX bytes;
 *   - on OK when protobuf-c's own unpack (default allocator) of the same
 *     bytes fails, or when the unpacked message carries unknown fields, has
 *     no content at all, or has typed content outside its scope (identity
 *     only in "identity", which requires it; wishes only in "wishes";
 *     support_plan only in "support_plan"; support_record only in
 *     "support_record");
 *   - on OK unless the message packed again checks OK for the same scope,
 *     and packing the re-packed message once more gives the same bytes.
 *
 * The harness returns 0 and frees everything on every path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "council.h"
#include "council/v1/case.pb-c.h"
#include "council_int.h"
#include "section.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fuzzer's assertion; the library itself never aborts. */
#define fuzz_check(cond) fuzz_check_at((cond), #cond, __LINE__)

static void fuzz_check_at(int ok, const char *what, int line)
{
    if (ok)
        return;
    fprintf(stderr, "fuzz_section.c:%d: check failed: %s\n", line, what);
    abort();
}

/* The built-in scopes, then one code council__audit_code_ok refuses. */
static const char *const scopes[] = {
    "identity", "situation", "wishes", "support_plan", "support_record",
    "health", "finances", "family", "child", "justice",
    "Bad-Scope",
};
#define N_SCOPES (sizeof scopes / sizeof scopes[0])
#define BAD_SCOPE (N_SCOPES - 1)

static int code_ok(int rc)
{
    return rc == COUNCIL_OK || rc == COUNCIL_EFORMAT || rc == COUNCIL_ELIMIT ||
           rc == COUNCIL_EINVAL || rc == COUNCIL_ENOMEM;
}

/* A message protobuf-c accepted and council__section_check passed. */
static void check_content(const char *scope, const Council__V1__Section *s)
{
    int is_identity = strcmp(scope, "identity") == 0;

    fuzz_check(s->base.n_unknown_fields == 0);
    fuzz_check(s->text != NULL || s->identity != NULL || s->wishes != NULL ||
               s->support_plan != NULL || s->support_record != NULL);
    fuzz_check(is_identity == (s->identity != NULL));
    fuzz_check(s->wishes == NULL || strcmp(scope, "wishes") == 0);
    fuzz_check(s->support_plan == NULL || strcmp(scope, "support_plan") == 0);
    fuzz_check(s->support_record == NULL || strcmp(scope, "support_record") == 0);
    if (s->identity != NULL)
        fuzz_check(s->identity->name != NULL && s->identity->name[0] != '\0');
    if (s->support_plan != NULL)
        for (size_t i = 0; i < s->support_plan->n_tasks; i++) {
            const Council__V1__Task *t = s->support_plan->tasks[i];
            fuzz_check(!t->has_responsible_member ||
                       t->responsible_member.len == COUNCIL_ID_BYTES);
            fuzz_check(t->due == NULL || strlen(t->due) == 10);
        }
    if (s->support_record != NULL)
        for (size_t i = 0; i < s->support_record->n_entries; i++) {
            const Council__V1__RecordEntry *e = s->support_record->entries[i];
            fuzz_check(!e->has_member || e->member.len == COUNCIL_ID_BYTES);
            fuzz_check(e->date != NULL && strlen(e->date) == 10);
        }
}

/* Pack a message into a fresh buffer; NULL only if malloc fails. */
static uint8_t *pack(const Council__V1__Section *s, size_t *len)
{
    size_t n = council__v1__section__get_packed_size(s);
    uint8_t *p = malloc(n > 0 ? n : 1);

    if (p == NULL)
        return NULL;
    *len = council__v1__section__pack(s, p);
    fuzz_check(*len == n);
    return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Council__V1__Section *s, *s2;
    const char *scope;
    const uint8_t *buf;
    uint8_t *re, *re2;
    size_t idx, len, re_len, re2_len;
    int rc;

    if (size == 0)
        return 0;
    idx = data[0] % N_SCOPES;
    scope = scopes[idx];
    buf = data + 1;
    len = size - 1;

    rc = council__section_check(NULL, scope, buf, len);
    fuzz_check(code_ok(rc));
    fuzz_check((rc == COUNCIL_EINVAL) == (idx == BAD_SCOPE));
    fuzz_check(rc != COUNCIL_ELIMIT || len > COUNCIL_SECTION_MAX);
    if (len == 0)
        fuzz_check(rc == COUNCIL_EFORMAT || rc == COUNCIL_EINVAL);
    if (rc != COUNCIL_OK)
        return 0;
    fuzz_check(len > 0 && len <= COUNCIL_SECTION_MAX);

    /* What the check passed, protobuf-c's own unpack accepts. */
    s = council__v1__section__unpack(NULL, len, buf);
    fuzz_check(s != NULL);
    check_content(scope, s);

    /* Packed again, it still checks, and packing is then a fixed point. */
    re = pack(s, &re_len);
    council__v1__section__free_unpacked(s, NULL);
    if (re == NULL)
        return 0;
    rc = council__section_check(NULL, scope, re, re_len);
    fuzz_check(rc == COUNCIL_OK || rc == COUNCIL_ENOMEM);
    if (rc == COUNCIL_OK) {
        s2 = council__v1__section__unpack(NULL, re_len, re);
        fuzz_check(s2 != NULL);
        check_content(scope, s2);
        re2 = pack(s2, &re2_len);
        council__v1__section__free_unpacked(s2, NULL);
        if (re2 != NULL) {
            fuzz_check(re2_len == re_len && memcmp(re2, re, re_len) == 0);
            free(re2);
        }
    }
    free(re);
    return 0;
}
