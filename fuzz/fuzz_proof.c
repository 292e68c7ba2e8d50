/*
 * fuzz_proof.c - the Merkle proof verifiers, and the provers behind them.
 *
 * Input layout:
 *   bytes 0..7    A, big-endian: the index (inclusion) and size1 (consistency)
 *   bytes 8..15   B, big-endian: the tree size (inclusion) and size2
 *   byte  16      selector S
 *   bytes 17..    the body, cut into hash1, hash2 and the proof:
 *     S & 3 = 0   hash1 = 32 bytes, hash2 = 32 bytes, proof = the rest
 *     S & 3 = 1   two length bytes l1, l2, then hash1 = l1 bytes,
 *                 hash2 = l2 bytes, proof = the rest (non-32 lengths)
 *     S & 3 = 2   as 0, with the proof cut to a multiple of 32 bytes
 *     S & 3 = 3   as 1, with the proof cut to a multiple of 32 bytes
 *   (each slice is clipped to what the body holds)
 *   S & 0x04      reduce A and B modulo 1024, so sizes are small and proofs
 *                 of plausible length
 *   S & 0x08      the inclusion check takes hash2 as the leaf, hash1 as root
 *   S & 0x10      pass NULL for one slice (S & 0x60 picks which) while
 *                 keeping its length
 *   S & 0x80      also build a small tree from the body, prove inclusion of
 *                 leaf B mod n and consistency from A mod n, and verify both
 *
 * inclusion(index=A, size=B, leaf=hash1, proof, root=hash2) and
 * consistency(size1=A, size2=B, root1=hash1, root2=hash2, proof) both run
 * on every input, on slices of the input buffer itself, so ASan sees any
 * read beyond the lengths given. The harness traps on any code other than
 * OK, ETAMPER or EINVAL, on an OK for arguments the header calls malformed,
 * on an OK that survives a flipped root bit, and on a generated proof that
 * does not verify. It returns 0 and allocates nothing.
 *
 * Seeds in fuzz/corpus/proof/ (built from the RFC 6962 vectors'
 * happy paths): ok-* reach COUNCIL_OK (inclusion of leaf 5 of 8,
 * consistency 6->8 and 2->5, equal sizes, the 1-leaf tree); tamper-* a
 * flipped bit, a wrong size, a trailing hash, 128 zero hashes (ETAMPER);
 * einval-* 12-byte roots, a ragged proof, a NULL proof, 129 hashes;
 * huge-sizes uses 2^64 - 1; roundtrip-* set S & 0x80.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "council.h"
#include "council_int.h"
#include "merkle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define fuzz_check(cond) fuzz_check_at((cond), #cond, __LINE__)

static void fuzz_check_at(int ok, const char *what, int line)
{
    if (ok)
        return;
    fprintf(stderr, "fuzz_proof.c:%d: check failed: %s\n", line, what);
    abort();
}

#define HB COUNCIL_HASH_BYTES

static uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

static int documented(int rc)
{
    return rc == COUNCIL_OK || rc == COUNCIL_ETAMPER || rc == COUNCIL_EINVAL;
}

static int malformed_lengths(const uint8_t *h1, size_t l1, const uint8_t *h2, size_t l2,
                             const uint8_t *proof, size_t plen)
{
    return h1 == NULL || l1 != HB || h2 == NULL || l2 != HB ||
           (proof == NULL && plen != 0) || plen % HB != 0 ||
           plen / HB > COUNCIL_PROOF_HASHES_MAX;
}

static void check_inclusion(uint64_t index, uint64_t size, const uint8_t *leaf, size_t leaf_len,
                            const uint8_t *proof, size_t plen, const uint8_t *root, size_t root_len)
{
    int rc = council_merkle_verify_inclusion(index, size, leaf, leaf_len, proof, plen,
                                             root, root_len);

    fuzz_check(documented(rc));
    if (rc != COUNCIL_OK)
        return;
    fuzz_check(!malformed_lengths(leaf, leaf_len, root, root_len, proof, plen));
    fuzz_check(index < size);
    {
        uint8_t bad[HB];

        memcpy(bad, root, HB);
        bad[(size_t)(index % HB)] ^= 0x01;
        rc = council_merkle_verify_inclusion(index, size, leaf, leaf_len, proof, plen, bad, HB);
        fuzz_check(rc == COUNCIL_ETAMPER);
    }
}

static void check_consistency(uint64_t size1, uint64_t size2, const uint8_t *r1, size_t l1,
                              const uint8_t *r2, size_t l2, const uint8_t *proof, size_t plen)
{
    int rc = council_merkle_verify_consistency(size1, size2, r1, l1, r2, l2, proof, plen);

    fuzz_check(documented(rc));
    if (rc != COUNCIL_OK)
        return;
    fuzz_check(!malformed_lengths(r1, l1, r2, l2, proof, plen));
    fuzz_check(size1 != 0 && size1 <= size2);
    if (size1 == size2)
        fuzz_check(plen == 0 && memcmp(r1, r2, HB) == 0);
    else
        fuzz_check(plen != 0);
    {
        uint8_t bad[HB];

        memcpy(bad, r2, HB);
        bad[(size_t)(size2 % HB)] ^= 0x80;
        rc = council_merkle_verify_consistency(size1, size2, r1, l1, bad, HB, proof, plen);
        fuzz_check(rc == COUNCIL_ETAMPER);
    }
}

/* ------------------------------------------------ a small tree, no malloc */

#define TREE_MAX 256
#define TREE_LEVELS 9 /* 2^8 = TREE_MAX */

typedef struct small_store {
    uint8_t node[TREE_LEVELS][TREE_MAX][HB];
    uint64_t len[TREE_LEVELS];
} small_store;

static small_store store;

static int small_get(void *ctx, uint32_t level, uint64_t index, uint8_t out[COUNCIL_HASH_BYTES])
{
    small_store *s = ctx;

    if (level >= TREE_LEVELS || index >= s->len[level])
        return COUNCIL_ENOTFOUND;
    memcpy(out, s->node[level][index], HB);
    return COUNCIL_OK;
}

static int small_put(void *ctx, uint32_t level, uint64_t index, const uint8_t hash[COUNCIL_HASH_BYTES])
{
    small_store *s = ctx;

    if (level >= TREE_LEVELS || index >= TREE_MAX || index > s->len[level])
        return COUNCIL_EINVAL;
    memcpy(s->node[level][index], hash, HB);
    if (index == s->len[level])
        s->len[level]++;
    return COUNCIL_OK;
}

/* Leaves are leaf hashes of (i, body). Prove and verify; all must pass. */
static void round_trip(uint64_t a, uint64_t b, const uint8_t *body, size_t body_len)
{
    council__nodes ns = { &store, small_get, small_put, 0 };
    council__frontier fr;
    uint8_t proof[COUNCIL_PROOF_HASHES_MAX * HB], root[HB], r1[HB], leaf[HB], buf[HB + 8];
    uint64_t n, idx, m;
    size_t count;
    int rc;

    memset(store.len, 0, sizeof store.len);
    council__frontier_init(&fr);
    n = (b % TREE_MAX) + 1;
    for (uint64_t i = 0; i < n; i++) {
        size_t take = body_len < HB ? body_len : HB;

        memcpy(buf, &i, 8);
        if (take > 0)
            memcpy(buf + 8, body, take);
        council__merkle_leaf(leaf, buf, 8 + take);
        fuzz_check(council__merkle_append(&ns, i, leaf) == COUNCIL_OK);
        council__frontier_push(&fr, leaf);
    }
    fuzz_check(council__merkle_root(&ns, n, root) == COUNCIL_OK);
    council__frontier_root(&fr, r1);
    fuzz_check(memcmp(root, r1, HB) == 0);

    idx = a % n;
    fuzz_check(council__merkle_range(&ns, idx, idx + 1, leaf) == COUNCIL_OK);
    ns.reads = 0;
    rc = council__merkle_prove_inclusion(&ns, idx, n, proof, COUNCIL_PROOF_HASHES_MAX, &count);
    fuzz_check(rc == COUNCIL_OK && ns.reads <= 2 * 64 + 4);
    fuzz_check(council_merkle_verify_inclusion(idx, n, leaf, HB, proof, count * HB, root, HB)
               == COUNCIL_OK);

    m = (a >> 8) % n + 1;
    fuzz_check(council__merkle_root(&ns, m, r1) == COUNCIL_OK);
    ns.reads = 0;
    rc = council__merkle_prove_consistency(&ns, m, n, proof, COUNCIL_PROOF_HASHES_MAX, &count);
    fuzz_check(rc == COUNCIL_OK && ns.reads <= 2 * 64 + 4);
    fuzz_check(council_merkle_verify_consistency(m, n, r1, HB, root, HB, proof, count * HB)
               == COUNCIL_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *body, *h1, *h2, *proof;
    size_t body_len, l1, l2, plen, off;
    uint64_t a, b;
    uint8_t sel;

    if (size < 17)
        return 0;
    a = be64(data);
    b = be64(data + 8);
    sel = data[16];
    body = data + 17;
    body_len = size - 17;

    off = 0;
    if ((sel & 1) == 0) {
        l1 = HB;
        l2 = HB;
    } else {
        l1 = body_len > 0 ? body[0] : 0;
        l2 = body_len > 1 ? body[1] : 0;
        off = body_len < 2 ? body_len : 2;
    }
    if (l1 > body_len - off)
        l1 = body_len - off;
    h1 = body + off;
    off += l1;
    if (l2 > body_len - off)
        l2 = body_len - off;
    h2 = body + off;
    off += l2;
    proof = body + off;
    plen = body_len - off;
    if ((sel & 2) != 0)
        plen -= plen % HB;
    if ((sel & 4) != 0) {
        a %= 1024;
        b %= 1024;
    }
    if ((sel & 0x10) != 0) {
        switch ((sel >> 5) & 3) {
        case 0: h1 = NULL; break;
        case 1: h2 = NULL; break;
        default: proof = NULL; break;
        }
    }

    if ((sel & 8) == 0)
        check_inclusion(a, b, h1, l1, proof, plen, h2, l2);
    else
        check_inclusion(a, b, h2, l2, proof, plen, h1, l1);
    check_consistency(a, b, h1, l1, h2, l2, proof, plen);

    /* The public leaf hash: OK exactly for a 32-byte output. */
    {
        uint8_t out[HB + 1];
        size_t out_len = l1 <= HB + 1 ? l1 : HB + 1;
        int rc = council_merkle_leaf_hash(out, out_len, proof, plen);

        fuzz_check(rc == (out_len == HB && (proof != NULL || plen == 0) ? COUNCIL_OK
                                                                         : COUNCIL_EINVAL));
    }

    if ((sel & 0x80) != 0)
        round_trip(a, b, body, body_len);
    return 0;
}
