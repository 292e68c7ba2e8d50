/*
 * fuzz_keyfile.c - the member keyfile parser, the unwrap and the writer.
 *
 * Each input is parsed twice:
 *   1. as it is, which exercises the size, magic and checksum checks;
 *   2. with its last 32 bytes replaced by the correct BLAKE2b-256 of the
 *      rest, so that mutations get past the (unkeyed) checksum and reach
 *      protobuf-c and the field checks. A fuzzer cannot forge BLAKE2b on
 *      its own; an attacker who edits the file can.
 * Whatever parses is opened with the seeds' passphrase "fuzz" when its
 * Argon2id cost is small: OK, EAUTH, or EFORMAT for secret keys that do
 * not belong to the public keys. A failed open must leave no key memory.
 * A file that opens must give the parse's info, keys from which its public
 * keys derive, EAUTH under another passphrase, and a seal -> open round
 * trip: written again, it parses to the same info and opens to the same
 * keys.
 *
 * Any return code the internal header does not document for a call traps.
 * The harness returns 0 and frees everything on every path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "council.h"
#include "council_int.h"
#include "keyfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fuzzer's assertion; the library itself never aborts. */
#define fuzz_check(cond) fuzz_check_at((cond), #cond, __LINE__)

static void fuzz_check_at(int ok, const char *what, int line)
{
    if (ok)
        return;
    fprintf(stderr, "fuzz_keyfile.c:%d: check failed: %s\n", line, what);
    abort();
}

static const uint8_t fuzz_pass[] = { 'f', 'u', 'z', 'z' };
static const uint8_t other_pass[] = { 'f', 'u', 'z', 'z', '!' };

/* Argon2id cost the harness is willing to pay per input. */
#define CHEAP_OPSLIMIT 2u
#define CHEAP_MEMLIMIT 65536u

#define SUM_BYTES 32u /* the framing's BLAKE2b-256 */
#define MIN_BYTES (8u + SUM_BYTES + 1u)

static int info_equal(const council__keyfile_info *a, const council__keyfile_info *b)
{
    return a->format_version == b->format_version &&
           memcmp(a->council_id, b->council_id, sizeof a->council_id) == 0 &&
           memcmp(a->member_id, b->member_id, sizeof a->member_id) == 0 &&
           memcmp(a->box_pk, b->box_pk, sizeof a->box_pk) == 0 &&
           memcmp(a->sign_pk, b->sign_pk, sizeof a->sign_pk) == 0 &&
           a->opslimit == b->opslimit && a->memlimit == b->memlimit;
}

static int no_keys(const council__member_keys *k)
{
    return k->box_sk.p == NULL && k->sign_sk.p == NULL;
}

/* Same public and secret keys. */
static int keys_equal(const council__member_keys *a, const council__member_keys *b)
{
    int same;

    council__secret_read(&a->box_sk);
    council__secret_read(&a->sign_sk);
    council__secret_read(&b->box_sk);
    council__secret_read(&b->sign_sk);
    same = memcmp(a->member_id, b->member_id, sizeof a->member_id) == 0 &&
           memcmp(a->box_pk, b->box_pk, sizeof a->box_pk) == 0 &&
           memcmp(a->sign_pk, b->sign_pk, sizeof a->sign_pk) == 0 &&
           a->box_sk.len == 32 && b->box_sk.len == 32 &&
           a->sign_sk.len == 64 && b->sign_sk.len == 64 &&
           memcmp(a->box_sk.p, b->box_sk.p, 32) == 0 &&
           memcmp(a->sign_sk.p, b->sign_sk.p, 64) == 0;
    council__secret_lock(&a->box_sk);
    council__secret_lock(&a->sign_sk);
    council__secret_lock(&b->box_sk);
    council__secret_lock(&b->sign_sk);
    return same;
}

/* The public keys derive from the secret keys. */
static int keys_consistent(const council__member_keys *k)
{
    uint8_t pk[32], spk[32];
    int ok;

    council__secret_read(&k->box_sk);
    council__secret_read(&k->sign_sk);
    ok = crypto_scalarmult_base(pk, k->box_sk.p) == 0 &&
         memcmp(pk, k->box_pk, sizeof pk) == 0 &&
         crypto_sign_ed25519_sk_to_pk(spk, k->sign_sk.p) == 0 &&
         memcmp(spk, k->sign_pk, sizeof spk) == 0;
    council__secret_lock(&k->box_sk);
    council__secret_lock(&k->sign_sk);
    return ok;
}

/* Keys that opened: seal them again, parse, open, compare. */
static void round_trip(const council__member_keys *k, const council__keyfile_info *info)
{
    council_buf b = { NULL, 0 };
    council__keyfile_info again;
    council__member_keys k2;
    int rc;

    rc = council__keyfile_write(NULL, &b, k, info->council_id, fuzz_pass, sizeof fuzz_pass,
                                info->opslimit, info->memlimit);
    fuzz_check(rc == COUNCIL_OK);
    fuzz_check(b.ptr != NULL && b.len <= COUNCIL__KEYFILE_MAX);

    rc = council__keyfile_parse(NULL, &again, b.ptr, b.len);
    fuzz_check(rc == COUNCIL_OK);
    fuzz_check(info_equal(info, &again));

    rc = council__keyfile_open(NULL, &k2, &again, b.ptr, b.len, fuzz_pass, sizeof fuzz_pass);
    fuzz_check(rc == COUNCIL_OK);
    fuzz_check(info_equal(info, &again));
    fuzz_check(keys_equal(k, &k2));
    council__member_keys_free(&k2);
    council_buf_free(&b);
}

static void try_open(const uint8_t *buf, size_t len, const council__keyfile_info *parsed)
{
    council__keyfile_info info;
    council__member_keys k;
    int rc;

    if (parsed->opslimit > CHEAP_OPSLIMIT || parsed->memlimit > CHEAP_MEMLIMIT)
        return;
    rc = council__keyfile_open(NULL, &k, &info, buf, len, fuzz_pass, sizeof fuzz_pass);
    fuzz_check(rc == COUNCIL_OK || rc == COUNCIL_EAUTH || rc == COUNCIL_EFORMAT);
    if (rc != COUNCIL_OK) {
        fuzz_check(no_keys(&k));
        council__member_keys_free(&k);
        return;
    }
    fuzz_check(info_equal(parsed, &info));
    fuzz_check(memcmp(k.member_id, info.member_id, sizeof k.member_id) == 0);
    fuzz_check(keys_consistent(&k));
    round_trip(&k, &info);
    council__member_keys_free(&k);

    /* The same file under another passphrase. */
    rc = council__keyfile_open(NULL, &k, &info, buf, len, other_pass, sizeof other_pass);
    fuzz_check(rc == COUNCIL_EAUTH);
    fuzz_check(no_keys(&k));
    council__member_keys_free(&k);
}

static void one_input(const uint8_t *buf, size_t len)
{
    council__keyfile_info info;
    int rc;

    rc = council__keyfile_parse(NULL, &info, buf, len);
    fuzz_check(rc == COUNCIL_OK || rc == COUNCIL_EFORMAT || rc == COUNCIL_EUNSUPPORTED);
    if (rc != COUNCIL_OK)
        return;
    fuzz_check(info.format_version == 1);
    fuzz_check(info.opslimit >= COUNCIL_KDF_OPSLIMIT_MIN &&
               info.opslimit <= COUNCIL_KDF_OPSLIMIT_MAX);
    fuzz_check(info.memlimit >= COUNCIL_KDF_MEMLIMIT_MIN &&
               info.memlimit <= COUNCIL_KDF_MEMLIMIT_MAX);
    try_open(buf, len, &info);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int initialised;
    uint8_t *fixed;
    size_t body;

    if (!initialised) {
        fuzz_check(council_global_init() == COUNCIL_OK);
        initialised = 1;
    }

    one_input(data, size);

    /* Pass 2: the same bytes with a correct checksum, if that changes them. */
    if (size < MIN_BYTES || size > COUNCIL__KEYFILE_MAX)
        return 0;
    body = size - SUM_BYTES;
    fixed = malloc(size); /* exactly size bytes, so ASan sees over-reads */
    fuzz_check(fixed != NULL);
    memcpy(fixed, data, body);
    crypto_generichash(fixed + body, SUM_BYTES, fixed, body, NULL, 0);
    if (memcmp(fixed + body, data + body, SUM_BYTES) != 0)
        one_input(fixed, size);
    free(fixed);
    return 0;
}
