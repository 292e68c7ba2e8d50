/*
 * fuzz_bundle_header.c - the bundle frame and clear header on arbitrary
 * bytes: council__envelope_parse, council__envelope_verify (the header's
 * own key) and council_bundle_inspect (libcouncil/envelope.c, bundle.c;
 * doc/bundle-format.md).
 *
 * The whole input is the file. The harness traps:
 *   - on a parse code other than OK, ELIMIT, EFORMAT, EUNSUPPORTED or
 *     ENOMEM, and on inspect's code differing from the parse's;
 *   - on OK for an input shorter than the frame, without the magic, or
 *     whose lengths do not account for every byte;
 *   - on OK unless the header has 16-byte ids, 32-byte keys, a 16-byte
 *     nonce, format version 1 and a known type;
 *   - on a verify code other than OK or ESIGNATURE, and on inspect's
 *     signature_ok differing from it, its size from the input's, its hash
 *     from the input's SHA-256 or the parse's, or its sealed size from the
 *     frame's.
 * The harness returns 0 and frees everything on every path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "council.h"
#include "council_int.h"
#include "envelope.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define fuzz_check(cond) fuzz_check_at((cond), #cond, __LINE__)

static void fuzz_check_at(int ok, const char *what, int line)
{
    if (ok)
        return;
    fprintf(stderr, "fuzz_bundle_header.c:%d: check failed: %s\n", line, what);
    abort();
}

static uint32_t be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t empty[1];
    const uint8_t *in = size > 0 ? data : empty;
    council__envelope e;
    council_buf out = { NULL, 0 };
    Council__V1__BundleInfo *info;
    uint8_t hash[32];
    int rc, irc, vrc;

    rc = council__envelope_parse(NULL, "fuzz", &e, in, size);
    fuzz_check(rc == COUNCIL_OK || rc == COUNCIL_ELIMIT || rc == COUNCIL_EFORMAT ||
               rc == COUNCIL_EUNSUPPORTED || rc == COUNCIL_ENOMEM);
    irc = council_bundle_inspect(&out, in, size);
    fuzz_check(irc == rc || irc == COUNCIL_ENOMEM || rc == COUNCIL_ENOMEM);
    if (rc != COUNCIL_OK) {
        fuzz_check(e.h == NULL);
        fuzz_check(out.ptr == NULL || irc == COUNCIL_OK);
        council_buf_free(&out);
        return 0;
    }
    /* The frame accounts for every byte. */
    fuzz_check(size >= COUNCIL__ENV_FRAME);
    fuzz_check(memcmp(data, COUNCIL__ENV_MAGIC, COUNCIL__ENV_MAGIC_LEN) == 0);
    {
        size_t h = be32(data + 10);
        fuzz_check(h >= 1 && h <= COUNCIL__ENV_HEADER_MAX);
        fuzz_check(COUNCIL__ENV_FRAME + h + be32(data + 14 + h) == size);
        fuzz_check(e.sealed_len == be32(data + 14 + h));
    }
    fuzz_check(e.h->format_version == COUNCIL__ENV_FORMAT);
    fuzz_check(e.h->council_id.len == 16 && e.h->sender_id.len == 16 &&
               e.h->recipient_id.len == 16);
    fuzz_check(e.h->sender_sign_key.len == 32 && e.h->recipient_box_key.len == 32);
    fuzz_check(!e.h->has_reply_box_key || e.h->reply_box_key.len == 32);
    fuzz_check(e.h->nonce.len == 16);
    fuzz_check(council__envelope_type_name((int)e.h->type) != NULL);
    fuzz_check(council__envelope_content_for((int)e.h->type) != 0);
    crypto_hash_sha256(hash, data, size);
    fuzz_check(memcmp(hash, e.hash, 32) == 0);
    vrc = council__envelope_verify(NULL, "fuzz", &e, NULL);
    fuzz_check(vrc == COUNCIL_OK || vrc == COUNCIL_ESIGNATURE);
    /* A pinned key other than the header's is the sender's refusal. */
    {
        uint8_t other[32];
        memcpy(other, e.h->sender_sign_key.data, 32);
        other[0] ^= 1;
        fuzz_check(council__envelope_verify(NULL, "fuzz", &e, other) == COUNCIL_ESENDER);
    }
    if (irc == COUNCIL_OK) {
        info = council__v1__bundle_info__unpack(NULL, out.len, out.ptr);
        fuzz_check(info != NULL);
        fuzz_check(!info->signature_ok == (vrc != COUNCIL_OK));
        fuzz_check(info->size == size);
        fuzz_check(info->sealed_size == e.sealed_len);
        fuzz_check(info->hash.len == 32 && memcmp(info->hash.data, hash, 32) == 0);
        fuzz_check(info->header->type == e.h->type);
        council__v1__bundle_info__free_unpacked(info, NULL);
    }
    council_buf_free(&out);
    council__envelope_free(&e);
    return 0;
}
