/*
 * fuzz_journal.c - the refusal journal (council.refusals), parsed at the
 * secretariat's open: council__journal_parse (libcouncil/journal.c), the
 * walk council__journal_import runs over the file's bytes, with a fixed
 * journal key pair (seed "council-fuzz-journal-key-seed-01").
 *
 * Byte 0 chooses the mode. Bit 0 clear: the rest is the journal file as
 * it is (anyone who can write the store directory can write it). Bit 0
 * set: the rest is a list of plaintext records, each a length byte and
 * that many bytes (cut short at the end), which the harness seals to the
 * journal key and frames, so mutations reach the SessionRefusal decoding.
 * Bit 1 set: the event sink fails (EIO) at event number byte0 >> 2.
 *
 * The harness traps unless the walk emits exactly one event per whole
 * record, plus one for a damaged tail (after which it stops), each a
 * refused session_refused event by staff with a reason code; unless a
 * sealed record whose plaintext decodes (no unknown fields, a reason code,
 * 16-byte ids) gives its own reason, error and ids, and any other gives
 * journal_record_damaged; and unless a failing sink stops the walk at once
 * with its code.
 */
#include "council/v1/audit.pb-c.h"
#include "council/v1/member.pb-c.h"
#include "fixture.h"
#include "journal.h"
#include "event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SEAL crypto_box_SEALBYTES

typedef struct sink {
    size_t events, fail_at;
    int failing;
    const uint8_t *plain[1024]; /* sealed mode: each record's plaintext */
    size_t plain_len[1024];
} sink;

static council__secret jsk;
static uint8_t jpk[32];

static int emit(void *ctx, const council__event *ev)
{
    sink *s = ctx;
    uint8_t id[16];

    fuzz_check(ev->action == COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_REFUSED &&
               ev->actor_kind == COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF &&
               ev->outcome == COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED);
    fuzz_check(council__audit_code_ok(ev->reason));
    fuzz_check(ev->subject_member == NULL && ev->case_ref == NULL && ev->n_scopes == 0);
    if (ev->actor_member != NULL)
        memcpy(id, ev->actor_member, sizeof id); /* 16 readable bytes */
    if (ev->actor_staff != NULL)
        memcpy(id, ev->actor_staff, sizeof id);
    if (s->plain_len[0] != (size_t)-1 && s->events < 1024) {
        /* Sealed mode: the harness knows the plaintext. */
        Council__V1__SessionRefusal *r = council__v1__session_refusal__unpack(
            NULL, s->plain_len[s->events], s->plain[s->events]);
        int good = r != NULL && r->base.n_unknown_fields == 0 && council__audit_code_ok(r->reason) &&
                   (!r->has_member_id || r->member_id.len == 16) &&
                   (!r->has_staff_id || r->staff_id.len == 16);
        if (good) {
            fuzz_check(strcmp(ev->reason, r->reason) == 0 && ev->error == r->error);
            fuzz_check((ev->actor_member != NULL) == (r->has_member_id != 0));
            fuzz_check((ev->actor_staff != NULL) == (r->has_staff_id != 0));
            if (r->has_member_id)
                fuzz_check(memcmp(ev->actor_member, r->member_id.data, 16) == 0);
            if (r->has_staff_id)
                fuzz_check(memcmp(ev->actor_staff, r->staff_id.data, 16) == 0);
        } else {
            fuzz_check(strcmp(ev->reason, "journal_record_damaged") == 0 &&
                       ev->error == COUNCIL_ETAMPER && ev->actor_member == NULL &&
                       ev->actor_staff == NULL);
        }
        council__v1__session_refusal__free_unpacked(r, NULL);
    }
    fuzz_check(!s->failing || s->events <= s->fail_at);
    if (s->failing && s->events == s->fail_at) {
        s->events++;
        return COUNCIL_EIO;
    }
    s->events++;
    return COUNCIL_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sink s;
    const uint8_t *buf, *body;
    uint8_t *made = NULL;
    size_t len, body_len, expect = 0, off = 0;
    int rc, damaged_tail = 0;

    if (size < 1)
        return 0;
    if (jsk.p == NULL) {
        fuzz_check(council_global_init() == COUNCIL_OK);
        fuzz_check(council__secret_alloc(&jsk, 32) == COUNCIL_OK);
        fuzz_check(crypto_box_seed_keypair(jpk, jsk.p,
                                           (const uint8_t *)"council-fuzz-journal-key-seed-01") == 0);
        council__secret_lock(&jsk);
    }
    memset(&s, 0, sizeof s);
    s.plain_len[0] = (size_t)-1;
    s.failing = (data[0] & 2) != 0;
    s.fail_at = data[0] >> 2;
    body = data + 1;
    body_len = size - 1;
    if ((data[0] & 1) == 0) {
        buf = body;
        len = body_len;
    } else {
        size_t n = 0, at = 0;

        made = malloc(body_len + 1024 * (2 + SEAL) + 1);
        fuzz_check(made != NULL);
        len = 0;
        while (at < body_len && n < 1024) {
            size_t pl = body[at++];
            if (pl > body_len - at)
                pl = body_len - at;
            s.plain[n] = body + at;
            s.plain_len[n] = pl;
            made[len] = (uint8_t)((pl + SEAL) >> 8);
            made[len + 1] = (uint8_t)(pl + SEAL);
            fuzz_check(crypto_box_seal(made + len + 2, body + at, pl, jpk) == 0);
            len += 2 + pl + SEAL;
            at += pl;
            n++;
        }
        buf = made;
    }

    /* The framing, walked here too. */
    while (off < len) {
        size_t rl = len - off >= 2 ? (size_t)buf[off] << 8 | buf[off + 1] : 0;
        if (rl == 0 || rl > 512 || off + 2 + rl > len) {
            damaged_tail = 1;
            expect++;
            break;
        }
        expect++;
        off += 2 + rl;
    }
    rc = council__journal_parse(buf, len, &jsk, jpk, emit, &s);
    if (s.failing && s.fail_at < expect) {
        fuzz_check(rc == COUNCIL_EIO && s.events == s.fail_at + 1);
    } else {
        fuzz_check(rc == COUNCIL_OK && s.events == expect);
        (void)damaged_tail;
    }
    free(made);
    return 0;
}
