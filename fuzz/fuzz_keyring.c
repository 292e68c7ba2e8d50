/*
 * fuzz_keyring.c - the keyring file parser, its serialiser and the unwraps.
 *
 * Each input is parsed twice:
 *   1. as it is, which exercises the size, magic and checksum checks;
 *   2. with its last 32 bytes replaced by the correct BLAKE2b-256 of the
 *      rest, so that mutations get past the (unkeyed) checksum and reach
 *      protobuf-c and the field checks. A fuzzer cannot forge BLAKE2b on
 *      its own; an attacker who edits the file can.
 * Whatever parses is serialised, parsed again and compared field by field,
 * then serialised again and compared byte for byte. Cheap wraps are opened
 * with the fixed credentials the seeds use (passphrase "fuzz", or an
 * all-zero external root key), so the unwrap paths run on hostile fields.
 *
 * Any return code the header does not document for a call traps. The
 * harness returns 0 and frees everything on every path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "council.h"
#include "council/v1/keyring.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "keyring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fuzzer's assertion; the library itself never aborts. */
#define fuzz_check(cond) fuzz_check_at((cond), #cond, __LINE__)

static void fuzz_check_at(int ok, const char *what, int line)
{
    if (ok)
        return;
    fprintf(stderr, "fuzz_keyring.c:%d: check failed: %s\n", line, what);
    abort();
}

static const uint8_t fuzz_pass[] = { 'f', 'u', 'z', 'z' };

/* Argon2id cost the harness is willing to pay per input. */
#define CHEAP_OPSLIMIT 2u
#define CHEAP_MEMLIMIT 65536u

static int keyring_equal(const council__keyring *a, const council__keyring *b)
{
    return a->format_version == b->format_version &&
           memcmp(a->council_id, b->council_id, sizeof a->council_id) == 0 &&
           a->created == b->created &&
           memcmp(a->store_salt, b->store_salt, sizeof a->store_salt) == 0 &&
           a->db_key_version == b->db_key_version &&
           memcmp(a->log_pk, b->log_pk, sizeof a->log_pk) == 0 &&
           a->root_source == b->root_source &&
           a->opslimit == b->opslimit &&
           a->memlimit == b->memlimit &&
           memcmp(a->kdf_salt, b->kdf_salt, sizeof a->kdf_salt) == 0 &&
           memcmp(a->root_nonce, b->root_nonce, sizeof a->root_nonce) == 0 &&
           memcmp(a->root_ct, b->root_ct, sizeof a->root_ct) == 0 &&
           memcmp(a->log_nonce, b->log_nonce, sizeof a->log_nonce) == 0 &&
           memcmp(a->log_ct, b->log_ct, sizeof a->log_ct) == 0;
}

/* serialise -> parse -> same fields -> serialise -> same bytes. */
static void round_trip(const council__keyring *kr)
{
    council_buf b1 = { NULL, 0 }, b2 = { NULL, 0 };
    council__keyring again;
    int rc;

    rc = council__keyring_serialize(NULL, &b1, kr);
    fuzz_check(rc == COUNCIL_OK);
    fuzz_check(b1.ptr != NULL && b1.len <= COUNCIL__KEYRING_FILE_MAX);

    memset(&again, 0, sizeof again);
    rc = council__keyring_parse(NULL, &again, b1.ptr, b1.len);
    fuzz_check(rc == COUNCIL_OK);
    fuzz_check(keyring_equal(kr, &again));

    rc = council__keyring_serialize(NULL, &b2, &again);
    fuzz_check(rc == COUNCIL_OK);
    fuzz_check(b2.len == b1.len && memcmp(b1.ptr, b2.ptr, b1.len) == 0);

    council_buf_free(&b1);
    council_buf_free(&b2);
}

static void try_unwrap_log(const council__keyring *kr, const council__secret *root)
{
    council__secret log_sk;
    int rc;

    fuzz_check(council__secret_alloc(&log_sk, COUNCIL__SIGN_SK_BYTES) == COUNCIL_OK);
    council__secret_lock(&log_sk);
    rc = council__keyring_unwrap_log(NULL, kr, root, &log_sk);
    fuzz_check(rc == COUNCIL_OK || rc == COUNCIL_EAUTH || rc == COUNCIL_EFORMAT);
    council__secret_free(&log_sk);
}

static void try_unwraps(const council__keyring *kr)
{
    council__secret root;
    int rc;

    if (kr->root_source == COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_PASSPHRASE) {
        if (kr->opslimit > CHEAP_OPSLIMIT || kr->memlimit > CHEAP_MEMLIMIT)
            return;
        fuzz_check(council__secret_alloc(&root, COUNCIL__KEY_BYTES) == COUNCIL_OK);
        council__secret_lock(&root);
        rc = council__keyring_unwrap_root(NULL, kr, &root, fuzz_pass, sizeof fuzz_pass);
        fuzz_check(rc == COUNCIL_OK || rc == COUNCIL_EAUTH);
        if (rc == COUNCIL_OK)
            try_unwrap_log(kr, &root);
        council__secret_free(&root);
    } else if (kr->root_source == COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_EXTERNAL) {
        fuzz_check(council__secret_alloc(&root, COUNCIL__KEY_BYTES) == COUNCIL_OK);
        memset(root.p, 0, root.len); /* sodium_malloc fills with garbage */
        council__secret_lock(&root);
        try_unwrap_log(kr, &root);
        council__secret_free(&root);
    } else {
        fuzz_check(!"parse accepted an unknown root key source");
    }
}

static void one_input(const uint8_t *buf, size_t len)
{
    council__keyring kr;
    int rc;

    memset(&kr, 0, sizeof kr);
    rc = council__keyring_parse(NULL, &kr, buf, len);
    fuzz_check(rc == COUNCIL_OK || rc == COUNCIL_EFORMAT || rc == COUNCIL_EUNSUPPORTED);
    if (rc != COUNCIL_OK)
        return;
    fuzz_check(kr.format_version == COUNCIL__KEYRING_FORMAT);
    round_trip(&kr);
    try_unwraps(&kr);
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
    if (size < COUNCIL__KEYRING_MAGIC_BYTES + COUNCIL__KEYRING_SUM_BYTES + 1 ||
        size > COUNCIL__KEYRING_FILE_MAX)
        return 0;
    body = size - COUNCIL__KEYRING_SUM_BYTES;
    fixed = malloc(size); /* exactly size bytes, so ASan sees over-reads */
    fuzz_check(fixed != NULL);
    memcpy(fixed, data, body);
    crypto_generichash(fixed + body, COUNCIL__KEYRING_SUM_BYTES, fixed, body, NULL, 0);
    if (memcmp(fixed + body, data + body, COUNCIL__KEYRING_SUM_BYTES) != 0)
        one_input(fixed, size);
    free(fixed);
    return 0;
}
