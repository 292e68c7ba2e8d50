/*
 * fuzz_consent.c - the check of stored consent records,
 * council__consent_record_check (libcouncil/consent.c).
 *
 * The whole input is the record: a serialised council.v1.ConsentRecord
 * (proto/council/v1/consent.proto), possibly empty. The check runs with no
 * handle (council__fail accepts NULL). The harness traps:
 *   - on any code other than OK, EFORMAT or ENOMEM, or on a different code
 *     with out = NULL than with out given (unless one of them is ENOMEM);
 *   - on OK for 0 bytes or more than 65,536 bytes, on OK with *out NULL,
 *     and on a failure that leaves *out set;
 *   - on OK unless the parsed record has no unknown fields (nor in its
 *     withdrawal), 16-byte id, case_id and subject_person, at most
 *     COUNCIL_CONSENT_LIST_MAX (32) recipients, scopes and purposes, every
 *     recipient 16 bytes, every scope matching [a-z0-9_]{1,64}, every
 *     purpose one of support_coordination, referral, joint_support,
 *     meeting_discussion, statistics, other, a grantor kind and a method
 *     of 1..3, and an external party id, obtained_by and evidence hash (if
 *     present) of 16, 16 and 32 bytes;
 *   - on OK unless the record packed again checks OK (or ENOMEM), parses to
 *     the same fields (strings compared as C strings), and packing that
 *     once more gives the same bytes;
 *   - on OK unless every allocation failure injected into the same check
 *     (council__fault_alloc_after(n) for n = 0, 1, ..., 128, then doubling,
 *     until it passes) gives ENOMEM with *out NULL; LeakSanitizer sees
 *     what a failed parse leaves.
 * Empty input also checks that a NULL buffer is refused with EFORMAT.
 *
 * The harness returns 0 and frees everything on every path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "council.h"
#include "council/v1/consent.pb-c.h"
#include "council_int.h"
#include "consent_db.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fuzzer's assertion; the library itself never aborts. */
#define fuzz_check(cond) fuzz_check_at((cond), #cond, __LINE__)

static void fuzz_check_at(int ok, const char *what, int line)
{
    if (ok)
        return;
    fprintf(stderr, "fuzz_consent.c:%d: check failed: %s\n", line, what);
    abort();
}

#define RECORD_MAX 65536u          /* CONSENT_BODY_MAX in consent.c */
#define FAULT_SWEEP_ALL 128        /* above the allocations of a record of 32-item lists */
#define FAULT_SWEEP_MAX (1L << 20) /* above those of any record of 64 KiB */

static const char *const purposes[] = {
    "support_coordination", "referral", "joint_support",
    "meeting_discussion", "statistics", "other",
};

typedef Council__V1__ConsentRecord record;

static void free_record(record *m)
{
    if (m != NULL)
        council__v1__consent_record__free_unpacked(m, council__pb_allocator());
}

static int code_ok(int rc)
{
    return rc == COUNCIL_OK || rc == COUNCIL_EFORMAT || rc == COUNCIL_ENOMEM;
}

/* [a-z0-9_]{1,64}, as a C string. */
static int scope_ok(const char *s)
{
    size_t n;

    if (s == NULL)
        return 0;
    for (n = 0; s[n] != '\0'; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
            return 0;
    return n >= 1 && n <= 64;
}

static int purpose_ok(const char *p)
{
    for (size_t i = 0; p != NULL && i < sizeof purposes / sizeof purposes[0]; i++)
        if (strcmp(p, purposes[i]) == 0)
            return 1;
    return 0;
}

/* A record the check passed. */
static void check_content(const record *m)
{
    fuzz_check(m->base.n_unknown_fields == 0);
    fuzz_check(m->id.len == COUNCIL_ID_BYTES && m->id.data != NULL);
    fuzz_check(m->case_id.len == COUNCIL_ID_BYTES && m->case_id.data != NULL);
    fuzz_check(m->subject_person.len == COUNCIL_ID_BYTES && m->subject_person.data != NULL);
    fuzz_check(m->n_recipient_members <= COUNCIL_CONSENT_LIST_MAX);
    fuzz_check(m->n_scopes <= COUNCIL_CONSENT_LIST_MAX);
    fuzz_check(m->n_purposes <= COUNCIL_CONSENT_LIST_MAX);
    for (size_t i = 0; i < m->n_recipient_members; i++)
        fuzz_check(m->recipient_members[i].len == COUNCIL_ID_BYTES);
    for (size_t i = 0; i < m->n_scopes; i++)
        fuzz_check(scope_ok(m->scopes[i]));
    for (size_t i = 0; i < m->n_purposes; i++)
        fuzz_check(purpose_ok(m->purposes[i]));
    fuzz_check(m->grantor >= COUNCIL__V1__GRANTOR_KIND__GRANTOR_KIND_SELF &&
               m->grantor <= COUNCIL__V1__GRANTOR_KIND__GRANTOR_KIND_GUARDIAN);
    fuzz_check(m->method >= COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_WRITTEN &&
               m->method <= COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_ELECTRONIC);
    fuzz_check(!m->has_external_party_id || m->external_party_id.len == COUNCIL_ID_BYTES);
    fuzz_check(!m->has_obtained_by || m->obtained_by.len == COUNCIL_ID_BYTES);
    fuzz_check(!m->has_evidence_sha256 || m->evidence_sha256.len == 32);
    fuzz_check(m->id_text != NULL);
    fuzz_check(m->withdrawal == NULL ||
               (m->withdrawal->base.n_unknown_fields == 0 && m->withdrawal->reason != NULL));
}

static int bytes_eq(const ProtobufCBinaryData *a, const ProtobufCBinaryData *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static int opt_bytes_eq(int has_a, const ProtobufCBinaryData *a, int has_b,
                        const ProtobufCBinaryData *b)
{
    return !has_a == !has_b && (!has_a || bytes_eq(a, b));
}

static int str_eq(const char *a, const char *b)
{
    return (a == NULL) == (b == NULL) && (a == NULL || strcmp(a, b) == 0);
}

static int strs_eq(size_t na, char *const *a, size_t nb, char *const *b)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (!str_eq(a[i], b[i]))
            return 0;
    return 1;
}

/* Every field, strings as C strings (what the library reads of them). */
static int records_eq(const record *a, const record *b)
{
    const Council__V1__ConsentWithdrawal *wa = a->withdrawal, *wb = b->withdrawal;

    if (!bytes_eq(&a->id, &b->id) || !str_eq(a->id_text, b->id_text) ||
        !bytes_eq(&a->case_id, &b->case_id) || !bytes_eq(&a->subject_person, &b->subject_person) ||
        a->grantor != b->grantor || !str_eq(a->grantor_name, b->grantor_name) ||
        a->n_recipient_members != b->n_recipient_members ||
        !str_eq(a->external_party, b->external_party) ||
        !opt_bytes_eq(a->has_external_party_id, &a->external_party_id,
                      b->has_external_party_id, &b->external_party_id) ||
        !strs_eq(a->n_scopes, a->scopes, b->n_scopes, b->scopes) ||
        !strs_eq(a->n_purposes, a->purposes, b->n_purposes, b->purposes) ||
        !str_eq(a->purpose_other, b->purpose_other) || a->valid_from != b->valid_from ||
        !a->has_valid_until != !b->has_valid_until ||
        (a->has_valid_until && a->valid_until != b->valid_until) || a->method != b->method ||
        !opt_bytes_eq(a->has_obtained_by, &a->obtained_by, b->has_obtained_by, &b->obtained_by) ||
        !opt_bytes_eq(a->has_evidence_sha256, &a->evidence_sha256, b->has_evidence_sha256,
                      &b->evidence_sha256) ||
        !a->refusal != !b->refusal || a->recorded != b->recorded ||
        !opt_bytes_eq(a->has_recorded_by_member, &a->recorded_by_member,
                      b->has_recorded_by_member, &b->recorded_by_member) ||
        !opt_bytes_eq(a->has_recorded_by_staff, &a->recorded_by_staff, b->has_recorded_by_staff,
                      &b->recorded_by_staff) ||
        a->status != b->status || (wa == NULL) != (wb == NULL))
        return 0;
    for (size_t i = 0; i < a->n_recipient_members; i++)
        if (!bytes_eq(&a->recipient_members[i], &b->recipient_members[i]))
            return 0;
    return wa == NULL ||
           (wa->time == wb->time && str_eq(wa->reason, wb->reason) &&
            opt_bytes_eq(wa->has_by_member, &wa->by_member, wb->has_by_member, &wb->by_member) &&
            opt_bytes_eq(wa->has_by_staff, &wa->by_staff, wb->has_by_staff, &wb->by_staff));
}

/* Pack a record into a fresh buffer; NULL only if malloc fails. */
static uint8_t *pack(const record *m, size_t *len)
{
    size_t n = council__v1__consent_record__get_packed_size(m);
    uint8_t *p = malloc(n > 0 ? n : 1);

    if (p == NULL)
        return NULL;
    *len = council__v1__consent_record__pack(m, p);
    fuzz_check(*len == n);
    return p;
}

/* Same bytes, every allocation from the n-th on failing: ENOMEM and
 * nothing out, until n is past the allocations the check makes. Every n
 * up to FAULT_SWEEP_ALL, then n doubling: a record of 64 KiB can repeat
 * a string field thousands of times, each one allocated. */
static void fault_sweep(const uint8_t *buf, size_t len)
{
    for (long n = 0;; n = n < FAULT_SWEEP_ALL ? n + 1 : 2 * n) {
        record *m = (record *)(uintptr_t)1;
        int rc;

        fuzz_check(n <= FAULT_SWEEP_MAX);
        council__fault_alloc_after(n);
        rc = council__consent_record_check(NULL, buf, len, &m);
        council__fault_alloc_after(-1);
        if (rc == COUNCIL_OK) {
            fuzz_check(m != NULL);
            free_record(m);
            return;
        }
        fuzz_check(rc == COUNCIL_ENOMEM);
        fuzz_check(m == NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    record *m = (record *)(uintptr_t)1, *m2 = NULL;
    uint8_t *re, *re2;
    size_t re_len, re2_len;
    int rc, rc_null;

    if (size == 0)
        fuzz_check(council__consent_record_check(NULL, NULL, 0, NULL) == COUNCIL_EFORMAT);

    rc = council__consent_record_check(NULL, data, size, &m);
    fuzz_check(code_ok(rc));
    rc_null = council__consent_record_check(NULL, data, size, NULL);
    fuzz_check(code_ok(rc_null));
    fuzz_check(rc_null == rc || rc == COUNCIL_ENOMEM || rc_null == COUNCIL_ENOMEM);
    if (size == 0 || size > RECORD_MAX)
        fuzz_check(rc == COUNCIL_EFORMAT);
    if (rc != COUNCIL_OK) {
        fuzz_check(m == NULL);
        return 0;
    }
    fuzz_check(size >= 1 && size <= RECORD_MAX);
    fuzz_check(m != NULL);
    check_content(m);

    /* Packed again, it still checks, to the same fields, and packing is
     * then a fixed point. */
    re = pack(m, &re_len);
    if (re != NULL) {
        rc = council__consent_record_check(NULL, re, re_len, &m2);
        fuzz_check(rc == COUNCIL_OK || rc == COUNCIL_ENOMEM);
        if (rc == COUNCIL_OK) {
            fuzz_check(m2 != NULL);
            check_content(m2);
            fuzz_check(records_eq(m, m2));
            re2 = pack(m2, &re2_len);
            if (re2 != NULL) {
                fuzz_check(re2_len == re_len && memcmp(re2, re, re_len) == 0);
                free(re2);
            }
            free_record(m2);
        }
        free(re);
    }
    free_record(m);

    fault_sweep(data, size);
    return 0;
}
