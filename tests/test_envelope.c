/*
 * test_envelope.c - the bundle file (envelope.c): a round trip, and every
 * refusal the frame itself makes before anything is unsealed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>

#include "helpers.h"
#include "council_int.h"
#include "envelope.h"

typedef struct party {
    uint8_t sign_pk[32], box_pk[32], id[16];
    council__secret sign_sk, box_sk;
} party;

static void party_make(party *p)
{
    assert_int_equal(council__secret_alloc(&p->sign_sk, 64), COUNCIL_OK);
    assert_int_equal(council__secret_alloc(&p->box_sk, 32), COUNCIL_OK);
    crypto_sign_keypair(p->sign_pk, p->sign_sk.p);
    crypto_box_keypair(p->box_pk, p->box_sk.p);
    council__secret_lock(&p->sign_sk);
    council__secret_lock(&p->box_sk);
    randombytes_buf(p->id, sizeof p->id);
}

static void party_free(party *p)
{
    council__secret_free(&p->sign_sk);
    council__secret_free(&p->box_sk);
}

static uint8_t council_id[16];

/* A referral bundle from `from` to `to` with a purpose text. */
static void build(council_buf *out, const party *from, const party *to, const char *purpose,
                  int64_t created, int64_t expires, uint8_t hash[32])
{
    Council__V1__BundleHeader h = COUNCIL__V1__BUNDLE_HEADER__INIT;
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__ReferralBundle r = COUNCIL__V1__REFERRAL_BUNDLE__INIT;
    uint8_t nonce[16], rid[16];

    randombytes_buf(rid, sizeof rid);
    h.council_id.data = council_id;
    h.council_id.len = 16;
    h.sender_kind = COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_COUNCIL;
    h.sender_id.data = (uint8_t *)(uintptr_t)council_id;
    h.sender_id.len = 16;
    h.sender_sign_key.data = (uint8_t *)(uintptr_t)from->sign_pk;
    h.sender_sign_key.len = 32;
    h.recipient_kind = COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_MEMBER;
    h.recipient_id.data = (uint8_t *)(uintptr_t)to->id;
    h.recipient_id.len = 16;
    h.recipient_box_key.data = (uint8_t *)(uintptr_t)to->box_pk;
    h.recipient_box_key.len = 32;
    h.created = created;
    h.expires = expires;
    h.type = COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_REFERRAL;
    r.referral_id.data = rid;
    r.referral_id.len = 16;
    r.case_id = r.referral_id;
    r.person_id = r.referral_id;
    r.from_member = r.referral_id;
    r.to_member = r.referral_id;
    r.purpose = (char *)(uintptr_t)purpose;
    r.basis = (char *)(uintptr_t)"consent";
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REFERRAL;
    p.referral = &r;
    assert_int_equal(council__envelope_build(NULL, "t", out, &h, nonce, &p, &from->sign_sk, hash),
                     COUNCIL_OK);
}

static int check(const council_buf *b, const party *from, const party *to,
                 Council__V1__BundlePayload **pl)
{
    council__envelope e;
    int rc = council__envelope_parse(NULL, "t", &e, b->ptr, b->len);

    if (rc != COUNCIL_OK)
        return rc;
    if ((rc = council__envelope_verify(NULL, "t", &e, from->sign_pk)) == COUNCIL_OK &&
        (rc = council__envelope_check_time(NULL, "t", &e, (int64_t)time(NULL))) == COUNCIL_OK)
        rc = council__envelope_open(NULL, "t", &e, to->box_pk, &to->box_sk, pl);
    council__envelope_free(&e);
    return rc;
}

static void test_envelope__round_trip_and_refusals(void **state)
{
    party a, b, x;
    council_buf one = { NULL, 0 }, two = { NULL, 0 };
    Council__V1__BundlePayload *pl = NULL;
    int64_t now = (int64_t)time(NULL);
    uint8_t h1[32], h2[32];
    (void)state;

    assert_int_equal(council_global_init(), COUNCIL_OK);
    randombytes_buf(council_id, sizeof council_id);
    party_make(&a);
    party_make(&b);
    party_make(&x);
    build(&one, &a, &b, "support_coordination", now, now + 3600, h1);
    build(&two, &a, &b, "coordination_support", now, now + 3600, h2);
    assert_memory_not_equal(h1, h2, 32);

    /* The round trip. */
    assert_int_equal(check(&one, &a, &b, &pl), COUNCIL_OK);
    assert_non_null(pl);
    assert_string_equal(pl->referral->purpose, "support_coordination");
    council__envelope_payload_free(pl);
    pl = NULL;

    /* The wrong recipient's key, a pinned key that is not the sender's. */
    assert_int_equal(check(&one, &a, &x, &pl), COUNCIL_ERECIPIENT);
    assert_int_equal(check(&one, &x, &b, &pl), COUNCIL_ESENDER);

    /* Every truncation, and a trailing byte. */
    for (size_t n = 0; n < one.len; n++) {
        council_buf t = { one.ptr, n };
        assert_int_equal(check(&t, &a, &b, &pl), COUNCIL_EFORMAT);
    }
    {
        uint8_t *longer = malloc(one.len + 1);
        council_buf t = { longer, one.len + 1 };
        assert_non_null(longer);
        memcpy(longer, one.ptr, one.len);
        longer[one.len] = 0;
        assert_int_equal(check(&t, &a, &b, &pl), COUNCIL_EFORMAT);
        free(longer);
    }
    /* Oversized, before a byte is read. */
    {
        council_buf t = { one.ptr, (size_t)COUNCIL_BUNDLE_MAX + 1 };
        assert_int_equal(check(&t, &a, &b, &pl), COUNCIL_ELIMIT);
    }
    /* Another format version. */
    one.ptr[9] ^= 2;
    assert_int_equal(check(&one, &a, &b, &pl), COUNCIL_EUNSUPPORTED);
    one.ptr[9] ^= 2;
    /* A flipped signature byte, a flipped sealed byte. */
    one.ptr[one.len - 1] ^= 1;
    assert_int_equal(check(&one, &a, &b, &pl), COUNCIL_ESIGNATURE);
    one.ptr[one.len - 1] ^= 1;
    one.ptr[one.len - 80] ^= 1;
    assert_int_equal(check(&one, &a, &b, &pl), COUNCIL_ESIGNATURE);
    one.ptr[one.len - 80] ^= 1;
    assert_int_equal(check(&one, &a, &b, &pl), COUNCIL_OK);
    council__envelope_payload_free(pl);
    pl = NULL;

    /* A payload swapped between two bundles of the same sizes. */
    if (one.len == two.len) {
        council__envelope e1, e2;
        assert_int_equal(council__envelope_parse(NULL, "t", &e1, one.ptr, one.len), COUNCIL_OK);
        assert_int_equal(council__envelope_parse(NULL, "t", &e2, two.ptr, two.len), COUNCIL_OK);
        assert_int_equal(e1.sealed_len, e2.sealed_len);
        memcpy((uint8_t *)(uintptr_t)e1.sealed, e2.sealed, e2.sealed_len);
        council__envelope_free(&e1);
        council__envelope_free(&e2);
        assert_int_equal(check(&one, &a, &b, &pl), COUNCIL_ESIGNATURE);
    } else {
        fail_msg("the two bundles should be of one size (same field sizes)");
    }

    /* A lifetime beyond 366 days. */
    council_buf_free(&one);
    build(&one, &a, &b, "support_coordination", now - 400 * 86400, now + 86400, NULL);
    assert_int_equal(check(&one, &a, &b, &pl), COUNCIL_EFORMAT);

    /* Expired. */
    council_buf_free(&one);
    build(&one, &a, &b, "support_coordination", now - 7200, now - 3600, NULL);
    assert_int_equal(check(&one, &a, &b, &pl), COUNCIL_EEXPIRED);

    council_buf_free(&one);
    council_buf_free(&two);
    party_free(&a);
    party_free(&b);
    party_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_envelope__round_trip_and_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
