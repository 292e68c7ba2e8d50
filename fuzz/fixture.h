/*
 * fixture.h - what the note-based harnesses (fuzz_proof_text.c,
 * fuzz_witness.c, fuzz_vkey.c) and their seed generator
 * (gen_text_corpora.c) share: the fixed log and witness keys, a fixed tree
 * of FIX_LEAVES leaves, its checkpoints signed by the log key, and the
 * harnesses' trap. Header-only (static inline), so each file that includes
 * it is still one translation unit.
 *
 * The keys are those of fuzz_export.c: the Ed25519 pairs of the 32-byte
 * seeds "council-fuzz-export-log-key-seed" (the log, named
 * libcouncil/00000000-0000-4000-8000-000000000000) and
 * "council-fuzz-witness-cosigner-01" (cosigner witness.fuzz.example).
 * Leaf i of the tree is the RFC 6962 leaf hash of the 8 bytes "leaf-%03u"
 * without its NUL (i below 1000).
 */
#ifndef COUNCIL_FUZZ_FIXTURE_H
#define COUNCIL_FUZZ_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "council.h"
#include "council_int.h"
#include "merkle.h"
#include "note.h"

/* The fuzzer's assertion; the library itself never aborts. */
#define fuzz_check(cond) fuzz_check_at((cond), #cond, __FILE__, __LINE__)

static inline void fuzz_check_at(int ok, const char *what, const char *file, int line)
{
    if (ok)
        return;
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    abort();
}

#define FIX_LEAVES 16
#define FIX_ORIGIN "libcouncil/00000000-0000-4000-8000-000000000000"
#define FIX_WITNESS "witness.fuzz.example"
#define FIX_VKEY_MAX (COUNCIL__KEYNAME_MAX + 96)

typedef struct fixture {
    council__secret log_sk;                        /* 64 bytes */
    uint8_t log_pk[32];
    uint8_t wit_sk[64], wit_pk[32];
    char log_vkey[FIX_VKEY_MAX], wit_vkey[FIX_VKEY_MAX];
    uint8_t leaf[FIX_LEAVES][COUNCIL_HASH_BYTES];
    uint8_t root[FIX_LEAVES + 1][COUNCIL_HASH_BYTES]; /* root[n]: the first n leaves */
    /* node store of the whole tree, for the provers */
    uint8_t node[5][FIX_LEAVES][COUNCIL_HASH_BYTES];
    uint64_t len[5];
    council_buf note[FIX_LEAVES + 1];              /* signed checkpoint of size n */
    council_buf cosigned[FIX_LEAVES + 1];          /* the same, cosigned by the witness */
} fixture;

static fixture fix;

static inline int fix_get(void *ctx, uint32_t level, uint64_t index, uint8_t out[COUNCIL_HASH_BYTES])
{
    fixture *f = ctx;

    if (level >= 5 || index >= f->len[level])
        return COUNCIL_ENOTFOUND;
    memcpy(out, f->node[level][index], COUNCIL_HASH_BYTES);
    return COUNCIL_OK;
}

static inline int fix_put(void *ctx, uint32_t level, uint64_t index,
                          const uint8_t hash[COUNCIL_HASH_BYTES])
{
    fixture *f = ctx;

    if (level >= 5 || index >= FIX_LEAVES || index > f->len[level])
        return COUNCIL_EINVAL;
    memcpy(f->node[level][index], hash, COUNCIL_HASH_BYTES);
    if (index == f->len[level])
        f->len[level]++;
    return COUNCIL_OK;
}

static inline council__nodes fix_nodes(void)
{
    council__nodes ns = { &fix, fix_get, fix_put, 0 };
    return ns;
}

/* A signed note of body (which ends with a newline) by the log key. */
static inline int fix_sign(council_buf *out, const char *body, size_t len)
{
    return council__note_sign(out, body, len, FIX_ORIGIN, &fix.log_sk, fix.log_pk);
}

/* The checkpoint body of size n of the fixed tree (n <= FIX_LEAVES). */
static inline size_t fix_body(char *out, size_t cap, uint64_t n)
{
    size_t len = 0;

    fuzz_check(council__checkpoint_body(out, cap, &len, FIX_ORIGIN, n, fix.root[n]) == COUNCIL_OK);
    return len;
}

static inline void fix_init(void)
{
    static int done;
    council__frontier fr;
    council__nodes ns;
    char body[256];

    if (done)
        return;
    done = 1;
    fuzz_check(council_global_init() == COUNCIL_OK);
    fuzz_check(council__secret_alloc(&fix.log_sk, 64) == COUNCIL_OK);
    crypto_sign_seed_keypair(fix.log_pk, fix.log_sk.p,
                             (const uint8_t *)"council-fuzz-export-log-key-seed");
    council__secret_lock(&fix.log_sk);
    crypto_sign_seed_keypair(fix.wit_pk, fix.wit_sk,
                             (const uint8_t *)"council-fuzz-witness-cosigner-01");
    fuzz_check(council__vkey_format(fix.log_vkey, sizeof fix.log_vkey, FIX_ORIGIN,
                                    COUNCIL__SIG_ED25519, fix.log_pk) == COUNCIL_OK);
    fuzz_check(council__vkey_format(fix.wit_vkey, sizeof fix.wit_vkey, FIX_WITNESS,
                                    COUNCIL__SIG_COSIGN, fix.wit_pk) == COUNCIL_OK);
    ns = fix_nodes();
    council__frontier_init(&fr);
    council__frontier_root(&fr, fix.root[0]);
    for (unsigned i = 0; i < FIX_LEAVES; i++) {
        char name[16];

        snprintf(name, sizeof name, "leaf-%03u", i);
        council__merkle_leaf(fix.leaf[i], (const uint8_t *)name, 8);
        fuzz_check(council__merkle_append(&ns, i, fix.leaf[i]) == COUNCIL_OK);
        council__frontier_push(&fr, fix.leaf[i]);
        council__frontier_root(&fr, fix.root[i + 1]);
    }
    for (uint64_t n = 0; n <= FIX_LEAVES; n++) {
        size_t len = fix_body(body, sizeof body, n);

        fuzz_check(fix_sign(&fix.note[n], body, len) == COUNCIL_OK);
        fuzz_check(council__note_cosign(&fix.cosigned[n], (const char *)fix.note[n].ptr,
                                        fix.note[n].len, FIX_WITNESS, fix.wit_sk,
                                        1700000000u) == COUNCIL_OK);
    }
}

#endif
