/*
 * test_bundle_import.c - bundles members send to the council
 * (bundle_import.c): every refusal before the payload is opened, each with
 * its own code and its "bundle imported" refusal on the record; then a
 * referral answered, a request answered and declined, a case's sections
 * returned, a cosignature stored (and counted by the export's verifier),
 * an intake, and a replay of each refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "case_fixture.h"
#include "council/v1/bundle.pb-c.h"
#include "council/v1/referral.pb-c.h"
#include "council/v1/request.pb-c.h"
#include "envelope.h"
#include "note.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define BT(x) COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_##x
#define REFUSED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED

/* How a test bends the header of the bundle it builds. */
typedef struct bend {
    const uint8_t *sender_id;      /* NULL: the keys' member */
    const uint8_t *council_id;     /* NULL: the council's */
    const uint8_t *box_pk;         /* NULL: the coordinating body's */
    int64_t created, expires;      /* 0: now, now + 1 day */
    int type;                      /* 0: the payload's */
} bend;

static void coord_pk(council *c, uint8_t pk[32])
{
    const uint8_t *holder, *p;
    const council__secret *sk;

    assert_int_equal(council__actor_key(c, &holder, &p, &sk), COUNCIL_OK);
    memcpy(pk, p, 32);
}

/* A member -> council bundle of payload p (its content set), signed with
 * k's signing key. */
static void build(council *c, council_buf *out, const council__member_keys *k,
                  Council__V1__BundlePayload *p, int type, const bend *b, uint8_t hash[32])
{
    Council__V1__BundleHeader h = COUNCIL__V1__BUNDLE_HEADER__INIT;
    uint8_t nonce[16], pk[32];
    int64_t now = (int64_t)time(NULL);
    bend none;

    memset(&none, 0, sizeof none);
    if (b == NULL)
        b = &none;
    coord_pk(c, pk);
    h.council_id.data = (uint8_t *)(uintptr_t)(b->council_id ? b->council_id : c->council_id);
    h.council_id.len = 16;
    h.sender_kind = COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_MEMBER;
    h.sender_id.data = (uint8_t *)(uintptr_t)(b->sender_id ? b->sender_id : k->member_id);
    h.sender_id.len = 16;
    h.sender_sign_key.data = (uint8_t *)(uintptr_t)k->sign_pk;
    h.sender_sign_key.len = 32;
    h.recipient_kind = COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_COUNCIL;
    h.recipient_id.data = c->council_id;
    h.recipient_id.len = 16;
    h.recipient_box_key.data = (uint8_t *)(uintptr_t)(b->box_pk ? b->box_pk : pk);
    h.recipient_box_key.len = 32;
    h.created = b->created ? b->created : now;
    h.expires = b->expires ? b->expires : now + 86400;
    h.type = (Council__V1__BundleType)(b->type ? b->type : type);
    assert_int_equal(council__envelope_build(NULL, "t", out, &h, nonce, p, &k->sign_sk, hash),
                     COUNCIL_OK);
}

static void answer_bundle(council *c, council_buf *out, const council__member_keys *k,
                          Council__V1__AnswerBundle *a, const bend *b, uint8_t hash[32])
{
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;

    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_ANSWER;
    p.answer = a;
    build(c, out, k, &p, BT(ANSWER), b, hash);
}

static Council__V1__AnswerBundle referral_answer(const uint8_t rid[16], const char *step,
                                                 const char *reason)
{
    Council__V1__AnswerBundle a = COUNCIL__V1__ANSWER_BUNDLE__INIT;

    a.kind = COUNCIL__V1__ANSWER_BUNDLE__KIND__ANSWER_REFERRAL;
    a.has_referral_id = 1;
    a.referral_id.data = (uint8_t *)(uintptr_t)rid;
    a.referral_id.len = 16;
    a.step = (char *)(uintptr_t)step;
    a.reason = (char *)(uintptr_t)reason;
    return a;
}

/* The newest event: action, refused or not, error, reason, bundle hash. */
static void expect_last(council *c, int action, bool refused, int error, const char *reason,
                        const uint8_t *hash)
{
    Council__V1__AuditEvent *e = last_event(c);

    assert_int_equal(e->action, action);
    assert_int_equal(e->outcome == REFUSED, refused);
    if (refused)
        assert_int_equal(e->error, error);
    if (reason != NULL) {
        assert_non_null(e->reason);
        assert_string_equal(e->reason, reason);
    }
    if (hash != NULL) {
        assert_true(e->has_bundle_hash);
        assert_int_equal(e->bundle_hash.len, 32);
        assert_memory_equal(e->bundle_hash.data, hash, 32);
    }
    council__v1__audit_event__free_unpacked(e, NULL);
}

static int import(council *c, const council_buf *b, Council__V1__BundleImportResult **res)
{
    council_buf out = { NULL, 0 };
    int rc = council_bundle_import(c, &out, b->ptr, b->len);

    if (res != NULL)
        *res = NULL;
    if (rc == COUNCIL_OK) {
        assert_non_null(out.ptr);
        if (res != NULL) {
            *res = council__v1__bundle_import_result__unpack(NULL, out.len, out.ptr);
            assert_non_null(*res);
        }
    } else {
        assert_null(out.ptr);
    }
    council_buf_free(&out);
    return rc;
}

static int propose(council *s, uint8_t rid[16], const uint8_t cid[16], const uint8_t to[16])
{
    council_referral_options o = COUNCIL_REFERRAL_OPTIONS_INIT;
    const char *sc[1] = { "situation" };

    o.case_id = cid;
    o.case_id_len = 16;
    o.to_member = to;
    o.to_member_len = 16;
    o.scopes = sc;
    o.n_scopes = 1;
    o.basis = "appi_27_1_4_public_duty";
    o.reason = "支援につなぐため";
    return council_referral_propose(s, rid, 16, &o);
}

static int referral_state(council *c, const uint8_t rid[16])
{
    council_buf out = { NULL, 0 };
    Council__V1__Referral *m;
    int st;

    assert_int_equal(council_referral_get(c, &out, rid, 16), COUNCIL_OK);
    m = council__v1__referral__unpack(NULL, out.len, out.ptr);
    assert_non_null(m);
    st = (int)m->state;
    council__v1__referral__free_unpacked(m, NULL);
    council_buf_free(&out);
    return st;
}

/* A's case with a situation section, proposed by A to C. */
static void a_case_referred(fx *f, uint8_t cid[16], uint8_t pid[16], uint8_t rid[16])
{
    council *a = staff_open(f, f->sa, &f->ka);

    new_case(a, cid, pid);
    put(a, cid, pid, "situation", sec_text(CANARY_TEXT), COUNCIL_OK);
    assert_int_equal(propose(a, rid, cid, f->mc), COUNCIL_OK);
    council_close(a);
}

/* ------------------------------------------------------------ refusals */

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* a's header with sealed (sealed_len bytes), signed again with k's key (a
 * member that signs what it splices): *out malloc'd. */
static void splice(council_buf *out, const council_buf *a, const uint8_t *sealed, size_t sealed_len,
                   const council__member_keys *k)
{
    static const char ctx[] = "libcouncil bundle v1";
    size_t head = 8 + 2 + 4 + be32(a->ptr + 10), n = head + 4 + sealed_len;

    out->len = n + 64;
    out->ptr = malloc(out->len);
    memcpy(out->ptr, a->ptr, head);
    out->ptr[head] = (uint8_t)(sealed_len >> 24);
    out->ptr[head + 1] = (uint8_t)(sealed_len >> 16);
    out->ptr[head + 2] = (uint8_t)(sealed_len >> 8);
    out->ptr[head + 3] = (uint8_t)sealed_len;
    memcpy(out->ptr + head + 4, sealed, sealed_len);
    {
        crypto_sign_state st; /* as envelope.c signs: Ed25519ph over context and frame */
        crypto_sign_init(&st);
        crypto_sign_update(&st, (const uint8_t *)ctx, sizeof ctx);
        crypto_sign_update(&st, out->ptr, n);
        council__secret_read(&k->sign_sk);
        crypto_sign_final_create(&st, out->ptr + n, NULL, k->sign_sk.p);
        council__secret_lock(&k->sign_sk);
    }
}

/* The seal that does not open, and a payload swapped from another bundle
 * (the sender re-signs both: only the seal and the nonce catch them). */
static void test_bundle_import__seal_and_swap(void **state)
{
    fx *f = *state;
    council__member_keys kc;
    council_buf a = { NULL, 0 }, b = { NULL, 0 }, x = { NULL, 0 };
    uint8_t cid[16], pid[16], rid[16], hash[32];
    Council__V1__AnswerBundle ans;
    size_t ha, hb, sa, sb;

    member_keys(&f->kc, &kc);
    a_case_referred(f, cid, pid, rid);
    ans = referral_answer(rid, "accepted", NULL);
    answer_bundle(f->c, &a, &kc, &ans, NULL, hash);
    answer_bundle(f->c, &b, &kc, &ans, NULL, hash);
    ha = 14 + be32(a.ptr + 10);
    sa = be32(a.ptr + ha);
    hb = 14 + be32(b.ptr + 10);
    sb = be32(b.ptr + hb);
    /* b's payload under a's header */
    splice(&x, &a, b.ptr + hb + 4, sb, &kc);
    crypto_hash_sha256(hash, x.ptr, x.len);
    assert_int_equal(import(f->c, &x, NULL), COUNCIL_ETAMPER);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_ETAMPER, "payload_swapped", hash);
    free(x.ptr);
    /* a's payload with a byte changed */
    {
        uint8_t *bent = malloc(sa);
        memcpy(bent, a.ptr + ha + 4, sa);
        bent[sa / 2] ^= 1;
        splice(&x, &a, bent, sa, &kc);
        free(bent);
    }
    crypto_hash_sha256(hash, x.ptr, x.len);
    assert_int_equal(import(f->c, &x, NULL), COUNCIL_EAUTH);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_EAUTH, "seal", hash);
    free(x.ptr);
    assert_int_equal(referral_state(f->c, rid), COUNCIL_REFERRAL_PROPOSED);
    /* the untouched one still imports */
    assert_int_equal(import(f->c, &a, NULL), COUNCIL_OK);
    council_buf_free(&a);
    council_buf_free(&b);
    council__member_keys_free(&kc);
}

static void test_bundle_import__refusals_in_order(void **state)
{
    fx *f = *state;
    council__member_keys ka, kc;
    council_buf b = { NULL, 0 };
    uint8_t cid[16], pid[16], rid[16], hash[32], other[16], box_pk[32];
    Council__V1__AnswerBundle a;
    int64_t now = (int64_t)time(NULL);
    bend x;

    member_keys(&f->ka, &ka);
    member_keys(&f->kc, &kc);
    a_case_referred(f, cid, pid, rid);
    a = referral_answer(rid, "accepted", NULL);
    randombytes_buf(other, sizeof other);

    /* An unknown sender. */
    memset(&x, 0, sizeof x);
    x.sender_id = other;
    answer_bundle(f->c, &b, &kc, &a, &x, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_ESENDER);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_ESENDER, "sender_unknown", hash);
    council_buf_free(&b);
    /* A member signing as another (A's key, C's id): not the key C has. */
    memset(&x, 0, sizeof x);
    x.sender_id = f->mc;
    answer_bundle(f->c, &b, &ka, &a, &x, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_ESENDER);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_ESENDER, "sender_key", hash);
    council_buf_free(&b);
    /* A bad signature. */
    answer_bundle(f->c, &b, &kc, &a, NULL, hash);
    b.ptr[b.len - 1] ^= 1;
    crypto_hash_sha256(hash, b.ptr, b.len);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_ESIGNATURE);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_ESIGNATURE, "signature", hash);
    council_buf_free(&b);
    /* Another council, or sealed to another key. */
    memset(&x, 0, sizeof x);
    x.council_id = other;
    answer_bundle(f->c, &b, &kc, &a, &x, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_ERECIPIENT);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_ERECIPIENT, "council", hash);
    council_buf_free(&b);
    memset(&x, 0, sizeof x);
    memcpy(box_pk, kc.box_pk, 32);
    x.box_pk = box_pk;
    answer_bundle(f->c, &b, &kc, &a, &x, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_ERECIPIENT);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_ERECIPIENT, "recipient", hash);
    council_buf_free(&b);
    /* Expired. */
    memset(&x, 0, sizeof x);
    x.created = now - 7200;
    x.expires = now - 3600;
    answer_bundle(f->c, &b, &kc, &a, &x, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_EEXPIRED);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_EEXPIRED, "expired", hash);
    council_buf_free(&b);
    /* A type a member does not send to the council. */
    {
        Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
        Council__V1__RevocationBundle r = COUNCIL__V1__REVOCATION_BUNDLE__INIT;
        p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REVOCATION;
        p.revocation = &r;
        build(f->c, &b, &kc, &p, BT(REVOCATION), NULL, hash);
        assert_int_equal(import(f->c, &b, NULL), COUNCIL_EUNSUPPORTED);
        expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_EUNSUPPORTED, "bundle_type", hash);
        council_buf_free(&b);
    }
    /* Truncated, and oversized: refused before anything is read. */
    answer_bundle(f->c, &b, &kc, &a, NULL, hash);
    for (size_t cut = 0; cut < b.len; cut += 37) {
        assert_int_equal(council_bundle_import(f->c, &(council_buf){ NULL, 0 }, b.ptr, cut),
                         COUNCIL_EFORMAT);
    }
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_EFORMAT, "bundle_format", NULL);
    {
        size_t big = (size_t)COUNCIL_BUNDLE_MAX + 1;
        uint8_t *huge = calloc(1, big);
        council_buf o = { NULL, 0 };
        assert_int_equal(council_bundle_import(f->c, &o, huge, big), COUNCIL_ELIMIT);
        expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_ELIMIT, "bundle_limit", NULL);
        free(huge);
    }
    /* A staff session of a member without the coordinating body's key. */
    {
        council *s = staff_open(f, f->sc, &f->kc);
        council_buf o = { NULL, 0 };
        assert_int_equal(council_bundle_import(s, &o, b.ptr, b.len), COUNCIL_EDENIED);
        expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_EDENIED, "not_coordinator", NULL);
        council_close(s);
    }
    /* None of it moved the referral. */
    assert_int_equal(referral_state(f->c, rid), COUNCIL_REFERRAL_PROPOSED);
    /* The good one: accepted, once; its replay refused. */
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_OK);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), false, 0, "referral_accepted", hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_EREPLAY);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_EREPLAY, "replay", hash);
    /* The insider empties the table of bundles seen: the log still knows;
     * also when it edits the table's time and action columns (not in the
     * tree: the walk reads the events' hashed bodies). */
    assert_int_equal(sqlite3_exec(f->c->db, "DELETE FROM bundle_seen;", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_EREPLAY);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_EREPLAY, "replay", hash);
    assert_int_equal(sqlite3_exec(f->c->db, "DELETE FROM bundle_seen; UPDATE audit_event SET "
                                  "time = 0, action = 0 WHERE action = 23;", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_EREPLAY);
    /* ... and when it deletes the import's event: a gap in the log. */
    assert_int_equal(sqlite3_exec(f->c->db, "DELETE FROM bundle_seen; DELETE FROM audit_event "
                                  "WHERE seq = (SELECT max(seq) - 2 FROM audit_event);", NULL,
                                  NULL, NULL), SQLITE_OK);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_ETAMPER);
    council_buf_free(&b);
    /* A withdrawn member's bundle. */
    assert_int_equal(council_member_withdraw(f->c, f->mb, 16, 0, "退会"), COUNCIL_OK);
    {
        council__member_keys kb;
        member_keys(&f->kb, &kb);
        answer_bundle(f->c, &b, &kb, &a, NULL, hash);
        assert_int_equal(import(f->c, &b, NULL), COUNCIL_ESENDER);
        expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_ESENDER, "sender_withdrawn", hash);
        council_buf_free(&b);
        council__member_keys_free(&kb);
    }
    council__member_keys_free(&ka);
    council__member_keys_free(&kc);
}

/* ------------------------------------------------------------ referrals */

static void test_bundle_import__referral_accepted_and_declined(void **state)
{
    fx *f = *state;
    council__member_keys kb, kc;
    council_buf b = { NULL, 0 };
    uint8_t cid[16], pid[16], rid[16], rid2[16], hash[32];
    Council__V1__AnswerBundle a;
    Council__V1__BundleImportResult *res;
    council *cc;
    int rc;

    member_keys(&f->kb, &kb);
    member_keys(&f->kc, &kc);
    a_case_referred(f, cid, pid, rid);
    /* B answers a referral offered to C: refused by the step, logged. */
    a = referral_answer(rid, "accepted", NULL);
    answer_bundle(f->c, &b, &kb, &a, NULL, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_EDENIED);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_EDENIED, "step_refused", hash);
    {
        Council__V1__AuditEvent *e = event_at(f->c, 0);
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    council_buf_free(&b);
    /* C accepts by bundle: the step is the council's, its event names the
     * bundle, and C reads the case (delivered at once). */
    answer_bundle(f->c, &b, &kc, &a, NULL, hash);
    assert_int_equal(import(f->c, &b, &res), COUNCIL_OK);
    assert_string_equal(res->outcome, "referral_accepted");
    assert_true(res->has_object_id);
    assert_memory_equal(res->object_id.data, rid, 16);
    assert_memory_equal(res->hash.data, hash, 32);
    council__v1__bundle_import_result__free_unpacked(res, NULL);
    assert_int_equal(referral_state(f->c, rid), COUNCIL_REFERRAL_ACCEPTED);
    {
        uint64_t n = 0;
        Council__V1__AuditEvent *e;
        assert_int_equal(council__audit_size(f->c, &n), COUNCIL_OK);
        /* the step's event, then the bundle's */
        for (uint64_t s = n; s-- > 0;) {
            e = event_at(f->c, s);
            if (e->action == ACT(REFERRAL_ACCEPTED)) {
                assert_int_equal(e->outcome, ALLOWED);
                assert_true(e->has_bundle_hash);
                assert_memory_equal(e->bundle_hash.data, hash, 32);
                assert_string_equal(e->reason, "bundle");
                council__v1__audit_event__free_unpacked(e, NULL);
                break;
            }
            council__v1__audit_event__free_unpacked(e, NULL);
        }
    }
    cc = staff_open(f, f->sc, &f->kc);
    {
        char *t = get_text(cc, cid, pid, "situation", &rc);
        assert_int_equal(rc, COUNCIL_OK);
        assert_string_equal(t, CANARY_TEXT);
        free(t);
    }
    council_close(cc);
    council_buf_free(&b);
    /* A second referral, declined with a reason; the state refuses a
     * second answer (a new bundle, not a replay). */
    {
        council *sa = staff_open(f, f->sa, &f->ka);
        const char *sc[1] = { "wishes" };
        council_referral_options o = COUNCIL_REFERRAL_OPTIONS_INIT;
        o.case_id = cid;
        o.case_id_len = 16;
        o.to_member = f->mc;
        o.to_member_len = 16;
        o.scopes = sc;
        o.n_scopes = 1;
        o.basis = "appi_27_1_4_public_duty";
        o.reason = "支援につなぐため";
        assert_int_equal(council_referral_propose(sa, rid2, 16, &o), COUNCIL_OK);
        council_close(sa);
    }
    a = referral_answer(rid2, "declined", "no_capacity");
    answer_bundle(f->c, &b, &kc, &a, NULL, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_OK);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), false, 0, "referral_declined", hash);
    assert_int_equal(referral_state(f->c, rid2), COUNCIL_REFERRAL_DECLINED);
    council_buf_free(&b);
    a = referral_answer(rid2, "accepted", NULL);
    answer_bundle(f->c, &b, &kc, &a, NULL, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_EINVAL);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_EINVAL, "step_refused", hash);
    council_buf_free(&b);
    /* Neither accepted nor declined. */
    a = referral_answer(rid2, "completed", NULL);
    answer_bundle(f->c, &b, &kc, &a, NULL, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_EINVAL);
    council_buf_free(&b);
    council__member_keys_free(&kb);
    council__member_keys_free(&kc);
}

/* ------------------------------------------------------------ requests */

static void allow_art16(fx *f)
{
    static const char *const bases[] = { "consent", "appi_27_1_4_public_duty",
                                         "council_art16_exchange" };
    council_policy_options po = COUNCIL_POLICY_OPTIONS_INIT;

    po.accepted_bases = bases;
    po.n_accepted_bases = 3;
    assert_int_equal(council_policy_set(f->c, &po), COUNCIL_OK);
}

static void make_request(fx *f, uint8_t id[16], const uint8_t cid[16], uint32_t kinds)
{
    static const char *const sit[] = { "situation" };
    static const char asked[] = "状況をお知らせください。";
    council_request_options o = COUNCIL_REQUEST_OPTIONS_INIT;

    o.case_id = cid;
    o.case_id_len = 16;
    o.member_id = f->ma;
    o.member_id_len = 16;
    o.kinds = kinds;
    if (kinds & COUNCIL_REQUEST_KIND_INFORMATION) {
        o.scopes = sit;
        o.n_scopes = 1;
    }
    o.text = asked;
    o.text_len = strlen(asked);
    o.due = (int64_t)time(NULL) + 86400;
    o.basis = "council_art16_exchange";
    assert_int_equal(council_request_make(f->c, id, 16, &o), COUNCIL_OK);
}

static int request_state(council *c, const uint8_t id[16])
{
    council_buf out = { NULL, 0 };
    Council__V1__CooperationRequest *m;
    int st;

    assert_int_equal(council_request_get(c, &out, id, 16), COUNCIL_OK);
    m = council__v1__cooperation_request__unpack(NULL, out.len, out.ptr);
    assert_non_null(m);
    st = (int)m->state;
    council__v1__cooperation_request__free_unpacked(m, NULL);
    council_buf_free(&out);
    return st;
}

static void test_bundle_import__request_answered_and_declined(void **state)
{
    fx *f = *state;
    council__member_keys ka, kc;
    council_buf b = { NULL, 0 };
    uint8_t cid[16], pid[16], q1[16], q2[16], hash[32];
    Council__V1__AnswerBundle a = COUNCIL__V1__ANSWER_BUNDLE__INIT;
    static const char opinion[] = "週1回の訪問が望ましい。OPINION-CANARY";
    council *sa;

    allow_art16(f);
    member_keys(&f->ka, &ka);
    member_keys(&f->kc, &kc);
    sa = staff_open(f, f->sa, &f->ka);
    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("状況"), COUNCIL_OK);
    council_close(sa);
    make_request(f, q1, cid, COUNCIL_REQUEST_KIND_OPINION);
    make_request(f, q2, cid, COUNCIL_REQUEST_KIND_OPINION);
    /* C was not asked. */
    a.kind = COUNCIL__V1__ANSWER_BUNDLE__KIND__ANSWER_REQUEST;
    a.has_request_id = 1;
    a.request_id.data = q1;
    a.request_id.len = 16;
    a.text = (char *)(uintptr_t)opinion;
    answer_bundle(f->c, &b, &kc, &a, NULL, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_EDENIED);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_EDENIED, "step_refused", hash);
    council_buf_free(&b);
    /* A answers by bundle: the request answered, its opinion readable by
     * the council, the event naming the bundle. */
    answer_bundle(f->c, &b, &ka, &a, NULL, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_OK);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), false, 0, "request_answered", hash);
    assert_int_equal(request_state(f->c, q1), COUNCIL_REQUEST_ANSWERED);
    {
        council_buf t = { NULL, 0 };
        assert_int_equal(council_request_text(f->c, &t, q1, 16, COUNCIL_REQUEST_TEXT_ANSWER),
                         COUNCIL_OK);
        assert_int_equal(t.len, strlen(opinion));
        assert_memory_equal(t.ptr, opinion, t.len);
        council_buf_free(&t);
    }
    council_buf_free(&b);
    /* A declines the second. */
    a.kind = COUNCIL__V1__ANSWER_BUNDLE__KIND__ANSWER_REQUEST_DECLINE;
    a.request_id.data = q2;
    a.reason = (char *)(uintptr_t)"not_known";
    a.text = NULL;
    answer_bundle(f->c, &b, &ka, &a, NULL, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_OK);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), false, 0, "request_declined", hash);
    assert_int_equal(request_state(f->c, q2), COUNCIL_REQUEST_DECLINED);
    council_buf_free(&b);
    /* Declining without a reason. */
    a.reason = NULL;
    answer_bundle(f->c, &b, &ka, &a, NULL, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_EINVAL);
    council_buf_free(&b);
    council__member_keys_free(&ka);
    council__member_keys_free(&kc);
}

/* ------------------------------------------------------------ sections */

static void test_bundle_import__sections(void **state)
{
    fx *f = *state;
    council__member_keys ka, kb;
    council_buf b = { NULL, 0 }, sec = sec_text("更新された状況 UPDATED-CANARY");
    uint8_t cid[16], pid[16], hash[32];
    Council__V1__AnswerBundle a = COUNCIL__V1__ANSWER_BUNDLE__INIT;
    Council__V1__BundleSection s = COUNCIL__V1__BUNDLE_SECTION__INIT, *ss[1] = { &s };
    council *sa;
    int rc;
    char *t;

    member_keys(&f->ka, &ka);
    member_keys(&f->kb, &kb);
    sa = staff_open(f, f->sa, &f->ka);
    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("状況"), COUNCIL_OK);
    a.kind = COUNCIL__V1__ANSWER_BUNDLE__KIND__ANSWER_SECTIONS;
    a.has_case_id = a.has_person_id = 1;
    a.case_id.data = cid;
    a.case_id.len = 16;
    a.person_id.data = pid;
    a.person_id.len = 16;
    s.scope = (char *)(uintptr_t)"situation";
    s.content.data = sec.ptr;
    s.content.len = sec.len;
    a.sections = ss;
    a.n_sections = 1;
    /* B holds no share of the scope. */
    answer_bundle(f->c, &b, &kb, &a, NULL, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_EDENIED);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_EDENIED, "section_not_writable", hash);
    council_buf_free(&b);
    /* The owner's new version. */
    answer_bundle(f->c, &b, &ka, &a, NULL, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_OK);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), false, 0, "sections_stored", hash);
    t = get_text(sa, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "更新された状況 UPDATED-CANARY");
    free(t);
    council_buf_free(&b);
    /* A section that is not a Section. */
    s.content.data = (uint8_t *)(uintptr_t)"\xff\xff\xff";
    s.content.len = 3;
    answer_bundle(f->c, &b, &ka, &a, NULL, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_EFORMAT);
    council_buf_free(&b);
    free(sec.ptr);
    council_close(sa);
    council__member_keys_free(&ka);
    council__member_keys_free(&kb);
}

/* ------------------------------------------------------------ cosignatures */

static void test_bundle_import__cosignatures_counted(void **state)
{
    char na[48], nc[48], ua[37], uc[37];
    fx *f = *state;
    council__member_keys ka, kc;
    council_buf cp = { NULL, 0 }, sk1 = { NULL, 0 }, vk1 = { NULL, 0 }, sk2 = { NULL, 0 };
    council_buf vk2 = { NULL, 0 }, cos1 = { NULL, 0 }, cos2 = { NULL, 0 }, b = { NULL, 0 };
    council_buf info = { NULL, 0 };
    char logv[512], w1[512], w2[512], *path;
    const char *both[2] = { w1, w2 };
    council_audit_verify_options vo = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    Council__V1__CouncilInfo *ci;
    uint8_t hash[32];

    council__uuid_text(ua, f->ma);
    council__uuid_text(uc, f->mc);
    snprintf(na, sizeof na, "node-%s", ua);
    snprintf(nc, sizeof nc, "node-%s", uc);
    member_keys(&f->ka, &ka);
    member_keys(&f->kc, &kc);
    assert_int_equal(council_info(f->c, &info), COUNCIL_OK);
    ci = council__v1__council_info__unpack(NULL, info.len, info.ptr);
    snprintf(logv, sizeof logv, "%s", ci->log_verifier_key);
    council__v1__council_info__free_unpacked(ci, NULL);
    council_buf_free(&info);
    assert_int_equal(council_witness_keygen(&sk1, &vk1, na), COUNCIL_OK);
    assert_int_equal(council_witness_keygen(&sk2, &vk2, nc), COUNCIL_OK);
    snprintf(w1, sizeof w1, "%.*s", (int)vk1.len, (const char *)vk1.ptr);
    snprintf(w2, sizeof w2, "%.*s", (int)vk2.len, (const char *)vk2.ptr);
    assert_int_equal(council_audit_checkpoint(f->c, &cp), COUNCIL_OK);
    assert_int_equal(council_audit_witness(&cos1, (const char *)cp.ptr, cp.len, (const char *)cp.ptr,
                                           cp.len, NULL, 0, logv, na, sk1.ptr,
                                           sk1.len, (uint64_t)time(NULL)), COUNCIL_OK);
    assert_int_equal(council_audit_witness(&cos2, (const char *)cp.ptr, cp.len, (const char *)cp.ptr,
                                           cp.len, NULL, 0, logv, nc, sk2.ptr,
                                           sk2.len, (uint64_t)time(NULL)), COUNCIL_OK);
    {
        Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
        Council__V1__CosignatureBundle cb = COUNCIL__V1__COSIGNATURE_BUNDLE__INIT;
        p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_COSIGNATURE;
        p.cosignature = &cb;
        /* A cosignature by another key than the one it names. */
        /* (council_buf holds no NUL: the notes as strings.) */
        char *n1 = strndup((const char *)cos1.ptr, cos1.len);
        char *n2 = strndup((const char *)cos2.ptr, cos2.len);
        assert_non_null(n1);
        assert_non_null(n2);
        cb.cosigned = n1;
        cb.witness_name = na;
        cb.witness_key.data = sk2.ptr + 32;
        cb.witness_key.len = 32;
        build(f->c, &b, &ka, &p, BT(COSIGNATURE), NULL, hash);
        assert_int_equal(import(f->c, &b, NULL), COUNCIL_ETAMPER);
        expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_ETAMPER, "cosignature_invalid", hash);
        council_buf_free(&b);
        /* A cosigning under another member's node name (a member filling a
         * checkpoint's lines with witnesses of its own making): refused. */
        cb.witness_name = nc;
        cb.witness_key.data = sk1.ptr + 32;
        build(f->c, &b, &ka, &p, BT(COSIGNATURE), NULL, hash);
        assert_int_equal(import(f->c, &b, NULL), COUNCIL_EDENIED);
        expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_EDENIED, "witness_not_sender", hash);
        council_buf_free(&b);
        cb.witness_name = na;
        /* Node A's and node C's, each cosigning the same checkpoint. */
        cb.witness_key.data = sk1.ptr + 32;
        build(f->c, &b, &ka, &p, BT(COSIGNATURE), NULL, hash);
        assert_int_equal(import(f->c, &b, NULL), COUNCIL_OK);
        expect_last(f->c, ACT(BUNDLE_IMPORTED), false, 0, "cosignature_stored", hash);
        council_buf_free(&b);
        cb.cosigned = n2;
        cb.witness_name = nc;
        cb.witness_key.data = sk2.ptr + 32;
        build(f->c, &b, &kc, &p, BT(COSIGNATURE), NULL, hash);
        assert_int_equal(import(f->c, &b, NULL), COUNCIL_OK);
        council_buf_free(&b);
        /* The same cosignature again, in a new bundle: nothing to add. */
        build(f->c, &b, &kc, &p, BT(COSIGNATURE), NULL, hash);
        assert_int_equal(import(f->c, &b, NULL), COUNCIL_OK);
        expect_last(f->c, ACT(BUNDLE_IMPORTED), false, 0, "cosignature_known", hash);
        council_buf_free(&b);
        free(n1);
        free(n2);
    }
    /* The export carries both: 2 of 2 witnesses verify. */
    path = th_path(f->root, "audit.export");
    assert_int_equal(council_audit_export(f->c, path), COUNCIL_OK);
    vo.log_vkey = logv;
    vo.witness_vkeys = both;
    vo.n_witnesses = 2;
    vo.required = 2;
    assert_int_equal(council_audit_verify_export(NULL, path, &vo), COUNCIL_OK);
    free(path);
    council_buf_free(&cp); council_buf_free(&sk1); council_buf_free(&vk1);
    council_buf_free(&sk2); council_buf_free(&vk2); council_buf_free(&cos1);
    council_buf_free(&cos2);
    council__member_keys_free(&ka);
    council__member_keys_free(&kc);
}

/* Attacker: a member's cosignature bundle carries, besides its one valid
 * cosignature line, lines under the same witness name that no key signed
 * (enough of them would fill the note's 64 signature lines, so the other
 * witnesses' cosignatures of that checkpoint could no longer be stored).
 * The whole bundle is refused; nothing of it is stored. */
static void test_bundle_import__cosignature_junk_lines_dropped(void **state)
{
    static const char junk_sig[] = "WlpaWgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                                   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n";
    char na[48], ua[37], junk[192], line[64];
    fx *f = *state;
    council__member_keys ka;
    council_buf cp = { NULL, 0 }, sk1 = { NULL, 0 }, vk1 = { NULL, 0 }, cos1 = { NULL, 0 };
    council_buf b = { NULL, 0 }, info = { NULL, 0 };
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__CosignatureBundle cb = COUNCIL__V1__COSIGNATURE_BUNDLE__INIT;
    Council__V1__CouncilInfo *ci;
    council__checkpoint parsed;
    char logv[512], *note, *stored = NULL;
    uint8_t hash[32];

    council__uuid_text(ua, f->ma);
    snprintf(na, sizeof na, "node-%s", ua);
    snprintf(junk, sizeof junk, "\xe2\x80\x94 %s %s", na, junk_sig);
    snprintf(line, sizeof line, "\xe2\x80\x94 %s ", na);
    member_keys(&f->ka, &ka);
    assert_int_equal(council_info(f->c, &info), COUNCIL_OK);
    ci = council__v1__council_info__unpack(NULL, info.len, info.ptr);
    snprintf(logv, sizeof logv, "%s", ci->log_verifier_key);
    council__v1__council_info__free_unpacked(ci, NULL);
    council_buf_free(&info);
    assert_int_equal(council_witness_keygen(&sk1, &vk1, na), COUNCIL_OK);
    assert_int_equal(council_audit_checkpoint(f->c, &cp), COUNCIL_OK);
    assert_int_equal(council_audit_witness(&cos1, (const char *)cp.ptr, cp.len, (const char *)cp.ptr,
                                           cp.len, NULL, 0, logv, na, sk1.ptr,
                                           sk1.len, (uint64_t)time(NULL)), COUNCIL_OK);
    note = calloc(1, cos1.len + strlen(junk) + 1);
    assert_non_null(note);
    memcpy(note, cos1.ptr, cos1.len);
    memcpy(note + strlen(note), junk, strlen(junk) + 1);
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_COSIGNATURE;
    p.cosignature = &cb;
    cb.cosigned = note;
    cb.witness_name = na;
    cb.witness_key.data = sk1.ptr + 32;
    cb.witness_key.len = 32;
    build(f->c, &b, &ka, &p, BT(COSIGNATURE), NULL, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_ETAMPER);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_ETAMPER, "cosignature_invalid", hash);
    council_buf_free(&b);
    assert_int_equal(council__checkpoint_parse(&parsed, (const char *)cp.ptr, cp.len),
                     COUNCIL_OK);
    assert_int_equal(council__audit_checkpoint_note(f->c, parsed.size, &stored), COUNCIL_OK);
    assert_null(strstr(stored, "WlpaWg"));
    assert_null(strstr(stored, line));
    council__free(stored);
    free(note);
    council_buf_free(&cp); council_buf_free(&sk1); council_buf_free(&vk1);
    council_buf_free(&cos1);
    council__member_keys_free(&ka);
}

/* Attacker: member A's cosignature bundle carries its one valid line and
 * 62 well-formed lines under its node name that no key it names made (or
 * it sends many bundles, each with a fresh key): the council keeps only the
 * line that verified, one per node name, and C's honest cosignature of the
 * same checkpoint is still stored. */
static void test_bundle_import__cosignature_crowding(void **state)
{
    char na[48], nc[48], ua[37], uc[37], *note, *stored = NULL, *n2;
    fx *f = *state;
    council__member_keys ka, kc;
    council_buf cp = { NULL, 0 }, info = { NULL, 0 }, b = { NULL, 0 };
    council_buf sk = { NULL, 0 }, vk = { NULL, 0 }, cos = { NULL, 0 };
    council_buf sk2 = { NULL, 0 }, vk2 = { NULL, 0 }, cos2 = { NULL, 0 };
    council_buf skc = { NULL, 0 }, vkc = { NULL, 0 }, cosc = { NULL, 0 };
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__CosignatureBundle cb = COUNCIL__V1__COSIGNATURE_BUNDLE__INIT;
    Council__V1__CouncilInfo *ci;
    council__checkpoint parsed;
    char logv[512];
    uint8_t hash[32];
    size_t len;
    int lines = 0;

    council__uuid_text(ua, f->ma);
    council__uuid_text(uc, f->mc);
    snprintf(na, sizeof na, "node-%s", ua);
    snprintf(nc, sizeof nc, "node-%s", uc);
    member_keys(&f->ka, &ka);
    member_keys(&f->kc, &kc);
    assert_int_equal(council_info(f->c, &info), COUNCIL_OK);
    ci = council__v1__council_info__unpack(NULL, info.len, info.ptr);
    assert_non_null(ci);
    snprintf(logv, sizeof logv, "%s", ci->log_verifier_key);
    council__v1__council_info__free_unpacked(ci, NULL);
    council_buf_free(&info);
    assert_int_equal(council_audit_checkpoint(f->c, &cp), COUNCIL_OK);
    assert_int_equal(council_witness_keygen(&sk, &vk, na), COUNCIL_OK);
    assert_int_equal(council_audit_witness(&cos, (const char *)cp.ptr, cp.len, (const char *)cp.ptr,
                                           cp.len, NULL, 0, logv, na, sk.ptr, sk.len,
                                           (uint64_t)time(NULL)), COUNCIL_OK);
    note = calloc(1, cos.len + 62 * 200 + 1);
    assert_non_null(note);
    memcpy(note, cos.ptr, cos.len);
    len = cos.len;
    for (int i = 0; i < 62; i++) {
        uint8_t v[76];
        char b64[128];
        randombytes_buf(v, sizeof v);
        sodium_bin2base64(b64, sizeof b64, v, sizeof v, sodium_base64_VARIANT_ORIGINAL);
        len += (size_t)sprintf(note + len, "\xe2\x80\x94 %s %s\n", na, b64);
    }
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_COSIGNATURE;
    p.cosignature = &cb;
    cb.cosigned = note;
    cb.witness_name = na;
    cb.witness_key.data = sk.ptr + 32;
    cb.witness_key.len = 32;
    build(f->c, &b, &ka, &p, BT(COSIGNATURE), NULL, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_OK);
    council_buf_free(&b);
    assert_int_equal(council__checkpoint_parse(&parsed, (const char *)cp.ptr, cp.len), COUNCIL_OK);
    assert_int_equal(council__audit_checkpoint_note(f->c, parsed.size, &stored), COUNCIL_OK);
    for (char *q = stored; (q = strstr(q, na)) != NULL; q++)
        lines++;
    assert_int_equal(lines, 1);
    council__free(stored);
    /* A second key under the same node name: refused. */
    assert_int_equal(council_witness_keygen(&sk2, &vk2, na), COUNCIL_OK);
    assert_int_equal(council_audit_witness(&cos2, (const char *)cp.ptr, cp.len, (const char *)cp.ptr,
                                           cp.len, NULL, 0, logv, na, sk2.ptr, sk2.len,
                                           (uint64_t)time(NULL)), COUNCIL_OK);
    n2 = strndup((const char *)cos2.ptr, cos2.len);
    assert_non_null(n2);
    cb.cosigned = n2;
    cb.witness_key.data = sk2.ptr + 32;
    build(f->c, &b, &ka, &p, BT(COSIGNATURE), NULL, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_EEXIST);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_EEXIST, "witness_has_cosigned", hash);
    council_buf_free(&b);
    free(n2);
    /* C's honest cosignature of the same checkpoint goes in. */
    assert_int_equal(council_witness_keygen(&skc, &vkc, nc), COUNCIL_OK);
    assert_int_equal(council_audit_witness(&cosc, (const char *)cp.ptr, cp.len, (const char *)cp.ptr,
                                           cp.len, NULL, 0, logv, nc, skc.ptr, skc.len,
                                           (uint64_t)time(NULL)), COUNCIL_OK);
    n2 = strndup((const char *)cosc.ptr, cosc.len);
    assert_non_null(n2);
    cb.cosigned = n2;
    cb.witness_name = nc;
    cb.witness_key.data = skc.ptr + 32;
    build(f->c, &b, &kc, &p, BT(COSIGNATURE), NULL, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_OK);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), false, 0, "cosignature_stored", hash);
    council_buf_free(&b);
    free(n2);
    free(note);
    council_buf_free(&sk); council_buf_free(&vk); council_buf_free(&cos);
    council_buf_free(&sk2); council_buf_free(&vk2); council_buf_free(&cos2);
    council_buf_free(&skc); council_buf_free(&vkc); council_buf_free(&cosc);
    council_buf_free(&cp);
    council__member_keys_free(&ka);
    council__member_keys_free(&kc);
}

/* ------------------------------------------------------------ intake */

static void test_bundle_import__intake(void **state)
{
    fx *f = *state;
    council__member_keys kb;
    council_buf b = { NULL, 0 };
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__IntakeBundle ib = COUNCIL__V1__INTAKE_BUNDLE__INIT;
    Council__V1__BundleImportResult *res;
    uint8_t hash[32];
    int rc;
    char *t;

    member_keys(&f->kb, &kb);
    ib.referrer_org = (char *)(uintptr_t)"よりそいホットライン";
    ib.contact_channel = (char *)(uintptr_t)"phone";
    ib.situation = (char *)(uintptr_t)"夜間の相談。INTAKE-CANARY";
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_INTAKE;
    p.intake = &ib;
    build(f->c, &b, &kb, &p, BT(INTAKE), NULL, hash);
    rc = import(f->c, &b, &res);
    if (rc != COUNCIL_OK)
        print_message("%s\n", council_errmsg(f->c));
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(res->outcome, "new_case");
    assert_true(res->has_case_id && res->has_person_id);
    assert_false(res->has_consent_id);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), false, 0, "new_case", hash);
    t = get_text(f->c, res->case_id.data, res->person_id.data, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_non_null(strstr(t, "INTAKE-CANARY"));
    free(t);
    {
        /* intake_received names the bundle, then bundle_imported */
        uint64_t n = 0;
        Council__V1__AuditEvent *e;
        bool seen = false;
        assert_int_equal(council__audit_size(f->c, &n), COUNCIL_OK);
        for (uint64_t s = n; !seen && s-- > n - 6;) {
            e = event_at(f->c, s);
            if (e->action == ACT(INTAKE_RECEIVED)) {
                seen = true;
                assert_true(e->has_bundle_hash);
                assert_memory_equal(e->bundle_hash.data, hash, 32);
                assert_string_equal(e->reason, "new_case");
            }
            council__v1__audit_event__free_unpacked(e, NULL);
        }
        assert_true(seen);
    }
    council__v1__bundle_import_result__free_unpacked(res, NULL);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_EREPLAY);
    /* An intake replayed after the insider emptied the table would make a
     * second case: the log refuses it. */
    assert_int_equal(sqlite3_exec(f->c->db, "DELETE FROM bundle_seen;", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_EREPLAY);
    /* As after an intake applied whose bundle_imported did not follow (two
     * transactions): its intake_received names the bundle too. */
    assert_int_equal(sqlite3_exec(f->c->db, "DELETE FROM bundle_seen; UPDATE audit_event SET "
                                  "action = 0 WHERE action = 23;", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_EREPLAY);
    council_buf_free(&b);
    /* A malformed intake: refused by its checks, not marked seen. */
    ib.contact_channel = (char *)(uintptr_t)"pigeon";
    build(f->c, &b, &kb, &p, BT(INTAKE), NULL, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_EINVAL);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_EINVAL, "step_refused", hash);
    council_buf_free(&b);
    council__member_keys_free(&kb);
}

/* Attacker: B, a member with no part in A's case, sends an intake naming
 * A's case and person (ids an insider reads from the store) to replace the
 * case's situation and put a consent naming B on the person's record.
 * Refused before anything is written; the owner's own intake still goes. */
static void test_bundle_import__intake_names_a_case_not_held(void **state)
{
    fx *f = *state;
    council__member_keys ka, kb;
    council_buf b = { NULL, 0 };
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__IntakeBundle ib = COUNCIL__V1__INTAKE_BUNDLE__INIT;
    Council__V1__BundleImportResult *res = NULL;
    ProtobufCBinaryData recip[1];
    char *scopes[1] = { (char *)(uintptr_t)"situation" };
    uint8_t cid[16], pid[16], hash[32];
    council *sa;
    char *t;
    int rc;

    member_keys(&f->ka, &ka);
    member_keys(&f->kb, &kb);
    sa = staff_open(f, f->sa, &f->ka);
    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("ORIGINAL-" CANARY_TEXT), COUNCIL_OK);
    ib.referrer_org = (char *)(uintptr_t)"B";
    ib.contact_channel = (char *)(uintptr_t)"phone";
    ib.situation = (char *)(uintptr_t)"REPLACED-BY-B";
    ib.has_case_id = ib.has_person_id = 1;
    ib.case_id.data = cid;
    ib.case_id.len = 16;
    ib.person_id.data = pid;
    ib.person_id.len = 16;
    ib.consented_scopes = scopes;
    ib.n_consented_scopes = 1;
    ib.consent_method = (char *)(uintptr_t)"oral";
    recip[0].data = f->mb;
    recip[0].len = 16;
    ib.consented_recipients = recip;
    ib.n_consented_recipients = 1;
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_INTAKE;
    p.intake = &ib;
    build(f->c, &b, &kb, &p, BT(INTAKE), NULL, hash);
    assert_int_equal(import(f->c, &b, NULL), COUNCIL_EDENIED);
    expect_last(f->c, ACT(BUNDLE_IMPORTED), true, COUNCIL_EDENIED, "case_not_held", hash);
    council_buf_free(&b);
    t = get_text(sa, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_non_null(strstr(t, "ORIGINAL-"));
    assert_null(strstr(t, "REPLACED-BY-B"));
    free(t);
    /* The owner attaches an intake to its own case. */
    ib.situation = (char *)(uintptr_t)"UPDATED-BY-OWNER";
    recip[0].data = f->ma;
    build(f->c, &b, &ka, &p, BT(INTAKE), NULL, hash);
    rc = import(f->c, &b, &res);
    if (rc != COUNCIL_OK)
        print_message("%s\n", council_errmsg(f->c));
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(res->outcome, "found_person");
    council__v1__bundle_import_result__free_unpacked(res, NULL);
    council_buf_free(&b);
    /* B names no case but the person's name and birth date, which find A's
     * case: B may not write it, so the person gets a new case (the result
     * says the person is known), and A's case is untouched. */
    put(sa, cid, pid, "identity", sec_identity(CANARY_NAME, "1950-01-02"), COUNCIL_OK);
    ib.has_case_id = ib.has_person_id = 0;
    ib.person_name = (char *)(uintptr_t)CANARY_NAME;
    ib.person_birth_date = (char *)(uintptr_t)"1950-01-02";
    ib.situation = (char *)(uintptr_t)"FOUND-BY-NAME-BY-B";
    recip[0].data = f->mb;
    build(f->c, &b, &kb, &p, BT(INTAKE), NULL, hash);
    rc = import(f->c, &b, &res);
    if (rc != COUNCIL_OK)
        print_message("%s\n", council_errmsg(f->c));
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(res->outcome, "new_case_person_known");
    assert_memory_not_equal(res->case_id.data, cid, 16);
    council__v1__bundle_import_result__free_unpacked(res, NULL);
    council_buf_free(&b);
    t = get_text(sa, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_null(strstr(t, "FOUND-BY-NAME-BY-B"));
    free(t);
    /* B's new case is kept out of the name index: the person is still found
     * once, by the owner's next intake. */
    ib.situation = (char *)(uintptr_t)"AGAIN-BY-OWNER";
    recip[0].data = f->ma;
    build(f->c, &b, &ka, &p, BT(INTAKE), NULL, hash);
    rc = import(f->c, &b, &res);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(res->outcome, "found_person");
    assert_memory_equal(res->case_id.data, cid, 16);
    council__v1__bundle_import_result__free_unpacked(res, NULL);
    council_buf_free(&b);
    council_close(sa);
    council__member_keys_free(&ka);
    council__member_keys_free(&kb);
}

static void test_bundle_import__misuse(void **state)
{
    fx *f = *state;
    council_buf o = { NULL, 0 };
    uint8_t x = 0;

    assert_int_equal(council_bundle_import(NULL, &o, &x, 1), COUNCIL_EMISUSE);
    assert_int_equal(council_bundle_import(f->c, NULL, &x, 1), COUNCIL_EMISUSE);
    assert_int_equal(council_bundle_import(f->c, &o, NULL, 1), COUNCIL_EMISUSE);
    assert_int_equal(council_batch_begin(f->c), COUNCIL_OK);
    assert_int_equal(council_bundle_import(f->c, &o, &x, 1), COUNCIL_EMISUSE);
    council_batch_rollback(f->c);
}

static int64_t n_events(council *c)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;

    assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT count(*) FROM audit_event;", -1, &st, NULL),
                     SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Faults (issue 18's sweep, bundle_import_*): the step and the bundle
 * marked seen with its event are one transaction, and the result is
 * packed before it commits. Every allocation, then every audit append,
 * failing in turn leaves the referral proposed, no event on the record
 * (memory is no refusal: the payload out of memory was "payload_format")
 * and the bundle still importable; before, the step stood when the
 * bundle's own event failed, and the import answered ENOMEM after its
 * commit. */
static void test_bundle_import__faults_all_or_nothing(void **state)
{
    fx *f = *state;
    council__member_keys kc;
    council_buf b = { NULL, 0 };
    uint8_t cid[16], pid[16], rid[16], hash[32];
    Council__V1__AnswerBundle a;
    int rc = COUNCIL_ERROR;

    member_keys(&f->kc, &kc);
    a_case_referred(f, cid, pid, rid);
    a = referral_answer(rid, "accepted", NULL);
    answer_bundle(f->c, &b, &kc, &a, NULL, hash);
    for (int kind = 0; kind < 2; kind++) {
        long n;
        for (n = 0; n < 100000; n++) {
            council_buf o = { NULL, 0 };
            int64_t before = n_events(f->c);
            if (kind == 0)
                council__fault_alloc_after(n);
            else
                council__audit_fault_after(n);
            rc = council_bundle_import(f->c, &o, b.ptr, b.len);
            council__fault_alloc_after(-1);
            council__audit_fault_after(-1);
            if (rc == COUNCIL_OK) {
                council_buf_free(&o);
                break;
            }
            assert_null(o.ptr);
            assert_int_equal(referral_state(f->c, rid), COUNCIL_REFERRAL_PROPOSED);
            assert_int_equal(n_events(f->c), before);
        }
        assert_int_equal(rc, COUNCIL_OK);
        assert_true(n > 0);
        assert_int_equal(referral_state(f->c, rid), COUNCIL_REFERRAL_ACCEPTED);
        if (kind == 0) {
            /* again from a referral still proposed */
            council_buf_free(&b);
            a_case_referred(f, cid, pid, rid);
            a = referral_answer(rid, "accepted", NULL);
            answer_bundle(f->c, &b, &kc, &a, NULL, hash);
        }
    }
    council_buf_free(&b);
    council__member_keys_free(&kc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bundle_import__refusals_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundle_import__referral_accepted_and_declined, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bundle_import__request_answered_and_declined, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bundle_import__sections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundle_import__cosignatures_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundle_import__cosignature_crowding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundle_import__cosignature_junk_lines_dropped, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bundle_import__intake, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundle_import__intake_names_a_case_not_held, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bundle_import__misuse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundle_import__seal_and_swap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundle_import__faults_all_or_nothing, setup, teardown),
    };

    if (council_global_init() != COUNCIL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
