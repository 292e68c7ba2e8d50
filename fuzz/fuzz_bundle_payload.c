/*
 * fuzz_bundle_payload.c - a bundle's sealed payload once opened: the
 * council.v1.BundlePayload unpack (with the wiping allocator, as
 * council__envelope_open does) and the content checks the council's
 * bundles rely on (libcouncil/bundle.c): a case bundle's section content
 * is a council.v1.SectionRecord whose section passes
 * council__section_check for its scope.
 *
 * The whole input is the payload (over COUNCIL__ENV_PAYLOAD_MAX bytes it is
 * skipped: the frame caps it before). The harness traps:
 *   - on a content case that council__envelope_content_for does not map
 *     back from some type (every set content case is one of a type);
 *   - on a section check code other than OK, EINVAL, EFORMAT, ELIMIT or
 *     ENOMEM;
 *   - on a payload that, packed again, does not unpack, or packs to
 *     different bytes the second time (a fixed point).
 * The harness returns 0 and frees everything on every path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "council.h"
#include "council_int.h"
#include "council/v1/case.pb-c.h"
#include "envelope.h"
#include "section.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define fuzz_check(cond) fuzz_check_at((cond), #cond, __LINE__)

static void fuzz_check_at(int ok, const char *what, int line)
{
    if (ok)
        return;
    fprintf(stderr, "fuzz_bundle_payload.c:%d: check failed: %s\n", line, what);
    abort();
}

static int type_of(int content)
{
    for (int t = 1; t <= 10; t++)
        if (council__envelope_content_for(t) == content)
            return t;
    return 0;
}

static void check_sections(Council__V1__BundleSection **s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        Council__V1__SectionRecord *r = council__v1__section_record__unpack(
            council__pb_wiping_allocator(), s[i]->content.len, s[i]->content.data);
        if (r == NULL) {
            (void)council__pb_alloc_failed(true);
            continue;
        }
        if (r->section != NULL) {
            size_t len = council__v1__section__get_packed_size(r->section);
            uint8_t *b = malloc(len ? len : 1);
            if (b != NULL) {
                int rc;
                council__v1__section__pack(r->section, b);
                rc = council__section_check(NULL, r->scope, b, len);
                fuzz_check(rc == COUNCIL_OK || rc == COUNCIL_EINVAL || rc == COUNCIL_EFORMAT ||
                           rc == COUNCIL_ELIMIT || rc == COUNCIL_ENOMEM);
                free(b);
            }
        }
        council__v1__section_record__free_unpacked(r, council__pb_wiping_allocator());
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Council__V1__BundlePayload *p, *p2;
    uint8_t *re, *re2;
    size_t n, n2;

    if (size > COUNCIL__ENV_PAYLOAD_MAX)
        return 0;
    p = council__v1__bundle_payload__unpack(council__pb_wiping_allocator(), size, data);
    if (p == NULL) {
        (void)council__pb_alloc_failed(true);
        return 0;
    }
    if (p->content_case != COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT__NOT_SET)
        fuzz_check(type_of((int)p->content_case) != 0);
    if (p->content_case == COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CASE_SECTIONS)
        check_sections(p->case_sections->sections, p->case_sections->n_sections);
    if (p->content_case == COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REFERRAL)
        check_sections(p->referral->sections, p->referral->n_sections);
    if (p->content_case == COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REVOCATION)
        for (size_t i = 0; i < p->revocation->n_items; i++)
            fuzz_check(p->revocation->items[i] != NULL);
    /* Packed again: it unpacks, and packing is then a fixed point. */
    n = council__v1__bundle_payload__get_packed_size(p);
    re = malloc(n ? n : 1);
    if (re != NULL) {
        fuzz_check(council__v1__bundle_payload__pack(p, re) == n);
        p2 = council__v1__bundle_payload__unpack(council__pb_wiping_allocator(), n, re);
        if (p2 == NULL) {
            fuzz_check(council__pb_alloc_failed(true));
        } else {
            n2 = council__v1__bundle_payload__get_packed_size(p2);
            fuzz_check(n2 == n);
            re2 = malloc(n2 ? n2 : 1);
            if (re2 != NULL) {
                council__v1__bundle_payload__pack(p2, re2);
                fuzz_check(memcmp(re, re2, n) == 0);
                free(re2);
            }
            council__envelope_payload_free(p2);
        }
        free(re);
    }
    council__envelope_payload_free(p);
    return 0;
}
