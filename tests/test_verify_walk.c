/* test_verify_walk.c - the auditor reads each event where it stands in the
 * export (verify.c's field walker) instead of decoding and re-encoding it:
 * it accepts exactly what the decoder and re-encoder accepted (checked
 * against them on many valid events and their mutations), and refuses
 * non-canonical, truncated and hostile events in an export and in a case
 * evidence file, naming the event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "helpers.h"
#include "council_int.h"
#include "log.h"
#include "verify.h"
#include "council/v1/audit.pb-c.h"
#include "council/v1/info.pb-c.h"
#include "event.h"
#include "../fuzz/event_oracle.h"

/* ----------------------------------------------- the reference: decoding */

/* The reference is fuzz/event_oracle.h (the fuzzer compares the same way). */

/* The walker and the reference agree on b: both refuse, or both accept
 * and read the same fields. Returns whether it was accepted. */
static bool agree(const uint8_t *b, size_t len)
{
    council__event_view w;
    uint8_t *scratch = malloc(len + 1);
    Council__V1__AuditEvent *e;
    int rc = council__event_walk(&w, b, len);
    const char *diff;
    bool walked = rc == COUNCIL__WALK_OK && council__event_fields_ok(&w);

    assert_non_null(scratch);
    e = oracle_reference(b, len, scratch);
    free(scratch);
    assert_true(rc == COUNCIL__WALK_OK || rc == COUNCIL__WALK_UNDECODABLE ||
                rc == COUNCIL__WALK_NONCANONICAL);
    if (walked != (e != NULL)) {
        fprintf(stderr, "walker %s (walk %d), decoder %s, on %zu bytes:", walked ? "accepts" : "refuses",
                rc, e != NULL ? "accepts" : "refuses", len);
        for (size_t k = 0; k < len; k++)
            fprintf(stderr, " %02x", b[k]);
        fprintf(stderr, "\n");
        fail_msg("the walker and the decoder disagree");
    }
    if (e == NULL)
        return false;
    if ((diff = oracle_mismatch(&w, e)) != NULL)
        fail_msg("the walker and the decoder read %s differently", diff);
    council__v1__audit_event__free_unpacked(e, NULL);
    return true;
}

/* ------------------------------------------------------- events to walk */

static uint8_t id_a[16] = { 1, 2, 3 }, id_b[16] = { 4, 5, 6 }, h32[32] = { 7, 8, 9 };
static char *scope32[32];

/* A canonical event, k choosing which fields it holds; out holds 4096. */
static size_t sample(int k, uint8_t *out)
{
    static const char *const scopes[] = { "health", "identity", "wishes" };
    Council__V1__AuditEvent e = COUNCIL__V1__AUDIT_EVENT__INIT;

    e.seq = k == 3 ? UINT64_MAX : (uint64_t)k * 1000003u;
    e.time = k == 2 ? -5 : k == 4 ? INT64_MIN : 1765000000 + k;
    e.action = k == 5 ? COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_PROVISION_REGISTER_PRODUCED
                      : COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SECTION_DECRYPTED;
    e.actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF;
    e.outcome = k % 2 == 0 ? COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
                           : COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED;
    if (k != 1) {
        e.has_actor_member = e.has_actor_staff = true;
        e.actor_member = (ProtobufCBinaryData){ 16, id_a };
        e.actor_staff = (ProtobufCBinaryData){ 16, id_b };
        e.has_case_ref = true;
        e.case_ref = (ProtobufCBinaryData){ 32, h32 };
        e.n_scopes = (size_t)(k % 4);
        e.scopes = (char **)(uintptr_t)scopes;
        e.purpose = (char *)(uintptr_t)"support_coordination";
        e.basis = (char *)(uintptr_t)"consent";
        e.has_prev_hash = true;
        e.prev_hash = (ProtobufCBinaryData){ 32, h32 };
    }
    if (k % 2 == 1) {
        e.has_error = true;
        e.error = k == 1 ? INT32_MIN : k == 3 ? INT32_MAX : COUNCIL_EDENIED;
        e.reason = (char *)(uintptr_t)"a_reason_code_of_exactly_sixty_four_characters_for_the_walker_00";
    }
    if (k == 6) {
        e.has_consent_id = e.has_subject_member = e.has_subject_staff = true;
        e.has_object_id = e.has_bundle_hash = true;
        e.consent_id = e.subject_member = e.subject_staff = e.object_id =
            (ProtobufCBinaryData){ 16, id_a };
        e.bundle_hash = (ProtobufCBinaryData){ 32, h32 };
        e.n_scopes = 32;
        e.scopes = scope32;
    }
    assert_true(council__v1__audit_event__get_packed_size(&e) <= 4096);
    return council__v1__audit_event__pack(&e, out);
}

#define SAMPLES 7

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void make_scopes(void)
{
    for (unsigned k = 0; k < 32; k++) {
        if (scope32[k] == NULL)
            scope32[k] = malloc(4);
        assert_non_null(scope32[k]);
        scope32[k][0] = 's';
        scope32[k][1] = (char)('0' + k / 10);
        scope32[k][2] = (char)('0' + k % 10);
        scope32[k][3] = '\0';
    }
}

/* Every sample is accepted, as the decoder accepts it; the bytes are the
 * ones walked (the view points into them). */
static void test_walk__samples_accepted(void **state)
{
    uint8_t b[4096];

    (void)state;
    make_scopes();
    for (int k = 0; k < SAMPLES; k++) {
        size_t n = sample(k, b);
        council__event_view w;
        assert_true(agree(b, n));
        assert_int_equal(council__event_walk(&w, b, n), COUNCIL__WALK_OK);
        if ((w.present >> 7 & 1) != 0)
            assert_true(w.field[7] >= b && w.field[7] + 32 <= b + n);
    }
}

/* Mutations of every sample: flipped, inserted, deleted and duplicated
 * bytes, truncations, swapped runs. The walker agrees with the decoder on
 * every one (same verdict, same fields). */
static void test_walk__agrees_with_the_decoder(void **state)
{
    uint8_t base[4096], b[8192];
    size_t accepted = 0, tried = 0;

    (void)state;
    make_scopes();
    for (int k = 0; k < SAMPLES; k++) {
        size_t n0 = sample(k, base);
        for (int round = 0; round < 6000; round++) {
            size_t n = n0;
            int edits = 1 + (int)(rng() % 3);

            memcpy(b, base, n0);
            for (int m = 0; m < edits && n > 0; m++) {
                size_t at = (size_t)(rng() % n);
                switch (rng() % 7) {
                case 0: /* one byte replaced */
                    b[at] = (uint8_t)rng();
                    break;
                case 1: /* one bit flipped */
                    b[at] ^= (uint8_t)(1u << (rng() % 8));
                    break;
                case 2: /* a byte inserted */
                    memmove(b + at + 1, b + at, n - at);
                    b[at] = (uint8_t)(rng() % 4 == 0 ? 0x80 : rng() % 4 == 0 ? 0 : rng());
                    n++;
                    break;
                case 3: /* a byte deleted */
                    memmove(b + at, b + at + 1, n - at - 1);
                    n--;
                    break;
                case 4: /* truncated */
                    n = at;
                    break;
                case 5: { /* a run duplicated in place */
                    size_t l = 1 + (size_t)(rng() % 8);
                    if (at + l > n)
                        l = n - at;
                    memmove(b + at + l, b + at, n - at);
                    n += l;
                    break;
                }
                default: { /* two runs swapped (fields reordered, often) */
                    size_t at2 = (size_t)(rng() % n), l = 1 + (size_t)(rng() % 12);
                    uint8_t t[16];
                    if (at + l > n || at2 + l > n || (at < at2 + l && at2 < at + l))
                        break;
                    memcpy(t, b + at, l);
                    memcpy(b + at, b + at2, l);
                    memcpy(b + at2, t, l);
                    break;
                }
                }
            }
            tried++;
            accepted += agree(b, n);
        }
    }
    /* Some mutations are still canonical events (a changed id byte, a
     * changed time): the comparison covered acceptance too. */
    assert_true(accepted > 0 && accepted < tried);
}

/* Bytes written by hand: each refused, by the walker and the decoder. */
static void test_walk__hostile_events_refused(void **state)
{
    static const struct {
        const char *what;
        size_t len;
        uint8_t b[24];
        int walk; /* what council__event_walk returns */
    } cases[] = {
        /* seq 1, time 2, action 13, actor 3, outcome 1: accepted */
        { "minimal", 10, { 0x08, 1, 0x10, 2, 0x18, 13, 0x20, 3, 0x60, 1 }, COUNCIL__WALK_OK },
        { "empty", 0, { 0 }, COUNCIL__WALK_UNDECODABLE },
        { "seq in two bytes", 11, { 0x08, 0x81, 0, 0x10, 2, 0x18, 13, 0x20, 3, 0x60, 1 },
          COUNCIL__WALK_NONCANONICAL },
        { "time before seq", 10, { 0x10, 2, 0x08, 1, 0x18, 13, 0x20, 3, 0x60, 1 },
          COUNCIL__WALK_NONCANONICAL },
        { "seq twice", 12, { 0x08, 1, 0x08, 1, 0x10, 2, 0x18, 13, 0x20, 3, 0x60, 1 },
          COUNCIL__WALK_NONCANONICAL },
        { "outcome missing", 8, { 0x08, 1, 0x10, 2, 0x18, 13, 0x20, 3 }, COUNCIL__WALK_UNDECODABLE },
        { "unknown field 20", 13, { 0x08, 1, 0x10, 2, 0x18, 13, 0x20, 3, 0x60, 1, 0xa0, 0x01, 5 },
          COUNCIL__WALK_NONCANONICAL },
        { "seq as a length", 11, { 0x0a, 1, 1, 0x10, 2, 0x18, 13, 0x20, 3, 0x60, 1 },
          COUNCIL__WALK_UNDECODABLE },
        { "a varint cut off", 9, { 0x08, 1, 0x10, 2, 0x18, 13, 0x20, 3, 0x60 },
          COUNCIL__WALK_UNDECODABLE },
        { "a varint of 11 bytes", 20,
          { 0x08, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x10, 2,
            0x18, 13, 0x20, 3, 0x60, 1 }, COUNCIL__WALK_UNDECODABLE },
        { "a 10-byte varint past 64 bits", 19,
          { 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x10, 2, 0x18, 13,
            0x20, 3, 0x60, 1 }, COUNCIL__WALK_NONCANONICAL },
        { "action -1 (10 bytes)", 19,
          { 0x08, 1, 0x10, 2, 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
            0x20, 3, 0x60, 1 }, COUNCIL__WALK_NONCANONICAL },
        { "action past 32 bits", 14,
          { 0x08, 1, 0x10, 2, 0x18, 0x8d, 0x80, 0x80, 0x80, 0x10, 0x20, 3, 0x60, 1 },
          COUNCIL__WALK_NONCANONICAL },
        { "purpose longer than the bytes", 13,
          { 0x08, 1, 0x10, 2, 0x18, 13, 0x20, 3, 0x4a, 0x7f, 'a', 0x60, 1 },
          COUNCIL__WALK_UNDECODABLE },
        { "purpose with a NUL", 14,
          { 0x08, 1, 0x10, 2, 0x18, 13, 0x20, 3, 0x4a, 2, 'a', 0, 0x60, 1 },
          COUNCIL__WALK_NONCANONICAL },
        { "outcome as a group (wire type 3)", 10, { 0x08, 1, 0x10, 2, 0x18, 13, 0x20, 3, 0x63, 1 },
          COUNCIL__WALK_UNDECODABLE },
    };

    (void)state;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        council__event_view w;
        int rc = council__event_walk(&w, cases[k].b, cases[k].len);
        if (rc != cases[k].walk)
            fail_msg("%s: walk %d, want %d", cases[k].what, rc, cases[k].walk);
        assert_int_equal(agree(cases[k].b, cases[k].len), cases[k].walk == COUNCIL__WALK_OK);
    }
}

/* Canonical events whose fields are refused: codes, ids, enums, scopes. */
static void test_walk__field_checks(void **state)
{
    static const char *const unsorted[] = { "wishes", "health" };
    static const char *const twice[] = { "health", "health" };
    static const char *const upper[] = { "Health" };
    char *many[33];
    uint8_t b[4096], short_id[15] = { 0 };
    Council__V1__AuditEvent e = COUNCIL__V1__AUDIT_EVENT__INIT;
    council__event_view w;
    size_t n;

    (void)state;
    make_scopes();
    e.seq = 1;
    e.time = 2;
    e.action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CASE_READ;
    e.actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT;
    e.outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED;
#define REFUSED()                                                                      \
    do {                                                                               \
        n = council__v1__audit_event__pack(&e, b);                                     \
        assert_int_equal(council__event_walk(&w, b, n), COUNCIL__WALK_OK);             \
        assert_false(council__event_fields_ok(&w));                                    \
        assert_false(agree(b, n));                                                     \
    } while (0)
    n = council__v1__audit_event__pack(&e, b);
    assert_true(agree(b, n));
    e.scopes = (char **)(uintptr_t)unsorted;
    e.n_scopes = 2;
    REFUSED();
    e.scopes = (char **)(uintptr_t)twice;
    REFUSED();
    e.scopes = (char **)(uintptr_t)upper;
    e.n_scopes = 1;
    REFUSED();
    for (int k = 0; k < 32; k++)
        many[k] = scope32[k];
    many[32] = (char *)(uintptr_t)"s99";
    e.scopes = many;
    e.n_scopes = 33; /* one more than an event names */
    REFUSED();
    e.n_scopes = 32;
    n = council__v1__audit_event__pack(&e, b);
    assert_true(agree(b, n));
    e.n_scopes = 0;
    e.purpose = (char *)(uintptr_t)"";
    REFUSED();
    e.purpose = (char *)(uintptr_t)"a_reason_code_of_sixty_five_characters_which_is_one_too_many_0000";
    REFUSED();
    e.purpose = (char *)(uintptr_t)"free text";
    REFUSED();
    e.purpose = NULL;
    e.action = 59; /* a number no action has */
    REFUSED();
    e.action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_UNKNOWN;
    REFUSED();
    e.action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CASE_READ;
    e.outcome = 3;
    REFUSED();
    e.outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED;
    e.has_object_id = true;
    e.object_id = (ProtobufCBinaryData){ sizeof short_id, short_id };
    REFUSED();
    e.has_object_id = false;
    e.has_case_ref = true;
    e.case_ref = (ProtobufCBinaryData){ 0, NULL }; /* present and empty */
    REFUSED();
#undef REFUSED
}

/* ------------------------------------------------------ in an export file */

static uint64_t SEQ; /* the event edited: one of the ten added (set by setup) */

typedef struct fx {
    char *root, *store, *export_path, *bad_path;
    council *c;
    char vkey[512];
    uint8_t *file;
    size_t len;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    council_buf buf = { NULL, 0 }, note = { NULL, 0 };
    Council__V1__CouncilInfo *m;

    assert_non_null(f);
    f->store = th_make_store(&f->root, "walk test");
    f->export_path = th_path(f->root, "export.cax");
    f->bad_path = th_path(f->root, "bad.cax");
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(council_info(f->c, &buf), COUNCIL_OK);
    m = council__v1__council_info__unpack(NULL, buf.len, buf.ptr);
    assert_non_null(m);
    snprintf(f->vkey, sizeof f->vkey, "%s", m->log_verifier_key);
    council__v1__council_info__free_unpacked(m, NULL);
    council_buf_free(&buf);
    for (int i = 0; i < 10; i++) {
        static const char *const scopes[] = { "health", "wishes" };
        static const uint8_t member[16] = { 0x11 }, ref[32] = { 0x22 };
        council__event ev;
        memset(&ev, 0, sizeof ev);
        ev.action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SECTION_DECRYPTED;
        ev.actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_MEMBER;
        ev.outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED;
        ev.actor_member = member;
        ev.case_ref = ref;
        ev.scopes = scopes;
        ev.n_scopes = (size_t)(i % 2) + 1;
        ev.purpose = "support_coordination";
        ev.basis = "consent";
        assert_int_equal(council__audit_append(f->c, &ev), COUNCIL_OK);
    }
    assert_int_equal(council_audit_checkpoint(f->c, &note), COUNCIL_OK);
    council_buf_free(&note);
    assert_int_equal(council_audit_export(f->c, f->export_path), COUNCIL_OK);
    assert_int_equal(council__audit_size(f->c, &SEQ), COUNCIL_OK);
    SEQ -= 4;
    assert_int_equal(th_read_file(f->export_path, &f->file, &f->len), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;

    council_close(f->c);
    th_rmrf(f->root);
    free(f->root); free(f->store); free(f->export_path); free(f->bad_path);
    free(f->file);
    free(f);
    return 0;
}

static void put_u32(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* The export with event `seq`'s frame replaced by `frame` (n bytes), written
 * to bad_path. */
static void with_frame(fx *f, uint64_t seq, const uint8_t *frame, size_t n)
{
    size_t off = 8, k = 0;
    uint8_t *out = malloc(f->len + n + 16);
    size_t o = 0;

    assert_non_null(out);
    memcpy(out, f->file, 8);
    o = 8;
    while (off < f->len) {
        size_t l = (size_t)f->file[off] << 24 | (size_t)f->file[off + 1] << 16 |
                   (size_t)f->file[off + 2] << 8 | f->file[off + 3];
        const uint8_t *fr = f->file + off + 4;
        bool event = fr[0] == 0x12;
        if (event && k++ == seq) {
            put_u32(out + o, n);
            memcpy(out + o + 4, frame, n);
            o += 4 + n;
        } else {
            memcpy(out + o, f->file + off, 4 + l);
            o += 4 + l;
        }
        off += 4 + l;
    }
    remove(f->bad_path);
    assert_int_equal(th_write_file(f->bad_path, out, o), 0);
    free(out);
}

/* Event `seq`'s bytes (into ev, 4096) as the export holds them. */
static size_t event_bytes(fx *f, uint64_t seq, uint8_t *ev)
{
    size_t off = 8, k = 0;

    while (off < f->len) {
        size_t l = (size_t)f->file[off] << 24 | (size_t)f->file[off + 1] << 16 |
                   (size_t)f->file[off + 2] << 8 | f->file[off + 3];
        const uint8_t *fr = f->file + off + 4;
        if (fr[0] == 0x12 && k++ == seq) {
            size_t at = fr[1] < 0x80 ? 2 : 3;
            size_t n = fr[1] < 0x80 ? fr[1] : (size_t)(fr[1] & 0x7f) | (size_t)fr[2] << 7;
            assert_int_equal(at + n, l);
            memcpy(ev, fr + at, n);
            return n;
        }
        off += 4 + l;
    }
    fail_msg("no event %llu", (unsigned long long)seq);
    return 0;
}

/* An event frame as the log writes it (tag 2, shortest length). */
static size_t frame_of(const uint8_t *ev, size_t n, uint8_t *out)
{
    size_t at = 1;

    out[0] = 0x12;
    if (n < 0x80) {
        out[at++] = (uint8_t)n;
    } else {
        out[at++] = (uint8_t)(n | 0x80);
        out[at++] = (uint8_t)(n >> 7);
    }
    memcpy(out + at, ev, n);
    return at + n;
}

static int verify_bad(fx *f, int64_t *first_bad, char *msg, size_t msg_len)
{
    council_buf rep = { NULL, 0 };
    council_audit_verify_options o = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    Council__V1__AuditVerifyReport *r;
    int rc;

    o.log_vkey = f->vkey;
    rc = council_audit_verify_export(&rep, f->bad_path, &o);
    r = council__v1__audit_verify_report__unpack(NULL, rep.len, rep.ptr);
    assert_non_null(r);
    assert_int_equal(r->ok, rc == COUNCIL_OK);
    *first_bad = r->first_bad_event;
    snprintf(msg, msg_len, "%s", r->message);
    council__v1__audit_verify_report__free_unpacked(r, NULL);
    council_buf_free(&rep);
    return rc;
}


/* The export as written verifies, and so does a copy rewritten frame by
 * frame (the rewriting itself changes nothing). */
static void test_walk__export_verifies(void **state)
{
    fx *f = *state;
    uint8_t ev[4096], fr[4200];
    int64_t bad;
    char msg[256];
    size_t n = event_bytes(f, SEQ, ev);

    with_frame(f, SEQ, fr, frame_of(ev, n, fr));
    assert_int_equal(verify_bad(f, &bad, msg, sizeof msg), COUNCIL_OK);
    assert_int_equal(bad, -1);
}

/* The same event, encoded otherwise (a two-byte seq; two fields swapped;
 * an unknown field added): the decoder would give the same values, but
 * only one encoding is the event's. Refused, naming it, before the links
 * or the tree are consulted. */
static void test_walk__non_canonical_event_refused(void **state)
{
    fx *f = *state;
    uint8_t ev[4096], alt[4200], fr[4300];
    int64_t bad;
    char msg[256];
    size_t n = event_bytes(f, SEQ, ev);

    /* seq 7 or so: one byte after the tag; written in two */
    assert_int_equal(ev[0], 0x08);
    assert_true(ev[1] < 0x80);
    alt[0] = 0x08;
    alt[1] = (uint8_t)(ev[1] | 0x80);
    alt[2] = 0;
    memcpy(alt + 3, ev + 2, n - 2);
    with_frame(f, SEQ, fr, frame_of(alt, n + 1, fr));
    assert_int_equal(verify_bad(f, &bad, msg, sizeof msg), COUNCIL_ETAMPER);
    assert_int_equal(bad, (int64_t)SEQ);
    assert_non_null(strstr(msg, "not in canonical form"));

    /* seq and time swapped: 08 s 10 t... -> 10 t... 08 s */
    {
        size_t tl = 1; /* time's varint bytes, after its tag */
        while (ev[2 + tl] & 0x80)
            tl++;
        memcpy(alt, ev + 2, 1 + tl);
        memcpy(alt + 1 + tl, ev, 2);
        memcpy(alt + 3 + tl, ev + 3 + tl, n - 3 - tl);
        with_frame(f, SEQ, fr, frame_of(alt, n, fr));
        assert_int_equal(verify_bad(f, &bad, msg, sizeof msg), COUNCIL_ETAMPER);
        assert_int_equal(bad, (int64_t)SEQ);
        assert_non_null(strstr(msg, "not in canonical form"));
    }

    /* an unknown field (number 20, a varint) at the end */
    memcpy(alt, ev, n);
    alt[n] = 0xa0;
    alt[n + 1] = 0x01;
    alt[n + 2] = 0x05;
    with_frame(f, SEQ, fr, frame_of(alt, n + 3, fr));
    assert_int_equal(verify_bad(f, &bad, msg, sizeof msg), COUNCIL_ETAMPER);
    assert_int_equal(bad, (int64_t)SEQ);
    assert_non_null(strstr(msg, "not in canonical form"));
}

/* An event cut short, or a length running past its bytes: refused as
 * undecodable, never read past. */
static void test_walk__truncated_event_refused(void **state)
{
    fx *f = *state;
    uint8_t ev[4096], alt[4200], fr[4300];
    int64_t bad;
    char msg[256];
    size_t n = event_bytes(f, SEQ, ev);

    for (size_t cut = 1; cut <= 40; cut += 13) {
        with_frame(f, SEQ, fr, frame_of(ev, n - cut, fr));
        assert_int_equal(verify_bad(f, &bad, msg, sizeof msg), COUNCIL_ETAMPER);
        assert_int_equal(bad, (int64_t)SEQ);
        assert_non_null(strstr(msg, "cannot be decoded"));
    }
    /* the last field's length made larger than what is left */
    memcpy(alt, ev, n);
    {
        council__event_view w;
        assert_int_equal(council__event_walk(&w, ev, n), COUNCIL__WALK_OK);
        /* prev_hash (field 15) is the last field here: 7a 20 <32 bytes> */
        assert_true((w.present >> 15 & 1) != 0 && w.field[15] + 32 == ev + n);
        alt[n - 33] = 0x21;
    }
    with_frame(f, SEQ, fr, frame_of(alt, n, fr));
    assert_int_equal(verify_bad(f, &bad, msg, sizeof msg), COUNCIL_ETAMPER);
    assert_int_equal(bad, (int64_t)SEQ);
    assert_non_null(strstr(msg, "cannot be decoded"));
}

/* Canonical, linked to its predecessor, but with fields no event has: a
 * code that is not one, an unknown action, a short id. */
static void test_walk__hostile_fields_refused(void **state)
{
    fx *f = *state;
    uint8_t ev[4096], alt[4200], fr[4300];
    int64_t bad;
    char msg[256];
    size_t n = event_bytes(f, SEQ, ev);
    council__event_view w;
    size_t at;

    assert_int_equal(council__event_walk(&w, ev, n), COUNCIL__WALK_OK);
    /* the purpose's first letter made upper case */
    memcpy(alt, ev, n);
    at = (size_t)(w.field[9] - ev);
    alt[at] = 'S';
    with_frame(f, SEQ, fr, frame_of(alt, n, fr));
    assert_int_equal(verify_bad(f, &bad, msg, sizeof msg), COUNCIL_ETAMPER);
    assert_int_equal(bad, (int64_t)SEQ);
    assert_non_null(strstr(msg, "malformed fields"));
    /* action 59, which no action has (still one byte) */
    memcpy(alt, ev, n);
    at = 0;
    for (int skip = 0; skip < 4; skip++) /* seq's tag and value, time's */
        while (alt[at++] & 0x80)
            ;
    assert_true(alt[at] == 0x18 && alt[at + 1] < 0x80);
    alt[at + 1] = 59;
    with_frame(f, SEQ, fr, frame_of(alt, n, fr));
    assert_int_equal(verify_bad(f, &bad, msg, sizeof msg), COUNCIL_ETAMPER);
    assert_int_equal(bad, (int64_t)SEQ);
    assert_non_null(strstr(msg, "malformed fields"));
    /* the member id one byte short (its length and the event's) */
    at = (size_t)(w.field[5] - ev);
    memcpy(alt, ev, at - 1);
    alt[at - 1] = 15;
    memcpy(alt + at, ev + at + 1, n - at - 1);
    with_frame(f, SEQ, fr, frame_of(alt, n - 1, fr));
    assert_int_equal(verify_bad(f, &bad, msg, sizeof msg), COUNCIL_ETAMPER);
    assert_int_equal(bad, (int64_t)SEQ);
    assert_non_null(strstr(msg, "malformed fields"));
}

/* Event frames not as the log writes them go through the frame decoder
 * and are refused as before: a longer length, a trailing field. */
static void test_walk__odd_event_frames_refused(void **state)
{
    fx *f = *state;
    uint8_t ev[4096], fr[4300];
    int64_t bad;
    char msg[256];
    size_t n = event_bytes(f, SEQ, ev);

    /* the length in one byte more than it needs */
    assert_true(n < 0x4000);
    fr[0] = 0x12;
    fr[1] = (uint8_t)(n | 0x80);
    fr[2] = (uint8_t)(n >> 7 | 0x80);
    fr[3] = 0;
    memcpy(fr + 4, ev, n);
    with_frame(f, SEQ, fr, n + 4);
    assert_int_equal(verify_bad(f, &bad, msg, sizeof msg), COUNCIL_EFORMAT);
    assert_non_null(strstr(msg, "not in canonical form"));
    n = frame_of(ev, n, fr);
    fr[n] = 0x20; /* field 4, a varint: unknown to a frame */
    fr[n + 1] = 1;
    with_frame(f, SEQ, fr, n + 2);
    assert_int_equal(verify_bad(f, &bad, msg, sizeof msg), COUNCIL_EFORMAT);
    assert_non_null(strstr(msg, "not in canonical form"));
    /* an event frame of no bytes */
    fr[0] = 0x12;
    fr[1] = 0;
    with_frame(f, SEQ, fr, 2);
    assert_int_equal(verify_bad(f, &bad, msg, sizeof msg), COUNCIL_ETAMPER);
    assert_int_equal(bad, (int64_t)SEQ);
    assert_non_null(strstr(msg, "cannot be decoded"));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk__samples_accepted),
        cmocka_unit_test(test_walk__agrees_with_the_decoder),
        cmocka_unit_test(test_walk__hostile_events_refused),
        cmocka_unit_test(test_walk__field_checks),
        T(test_walk__export_verifies),
        T(test_walk__non_canonical_event_refused),
        T(test_walk__truncated_event_refused),
        T(test_walk__hostile_fields_refused),
        T(test_walk__odd_event_frames_refused),
    };
#undef T
    int rc = cmocka_run_group_tests(tests, NULL, NULL);

    for (int k = 0; k < 32; k++)
        free(scope32[k]);
    return rc;
}
