/*
 * merkle.c - RFC 9162 Merkle tree hashing, proofs and their verification.
 *
 * Leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right), and
 * MTH of no leaves = SHA-256 of the empty string (RFC 9162 section 2.1.1).
 *
 * Trees are kept as a store of perfect subtree hashes (council__nodes):
 * (level, index) is the hash of leaves [index << level, (index+1) << level).
 * Appending a leaf writes the leaf and every perfect subtree it completes.
 * Any MTH(D[lo:hi]) with lo aligned as in the RFC's split is then a fold of
 * popcount(hi - lo) stored hashes, and each proof element is either one
 * stored hash or (at most once per proof) such a suffix fold, so proofs
 * cost O(log n) node reads.
 *
 * The public verifiers implement RFC 9162 sections 2.1.3.2 and 2.1.4.2 as
 * written, iterating over the caller's proof in place: constant memory, no
 * allocation, and sodium_memcmp for the final comparisons.
 */
#include <string.h>

#include <sodium.h>

#include "council_int.h"
#include "merkle.h"

#define HASH COUNCIL_HASH_BYTES

static const uint8_t leaf_prefix = 0x00;
static const uint8_t node_prefix = 0x01;

/* ---------------------------------------------------------------- hashing */

void council__merkle_leaf(uint8_t out[COUNCIL_HASH_BYTES], const uint8_t *data, size_t len)
{
    crypto_hash_sha256_state st;

    (void)crypto_hash_sha256_init(&st);
    (void)crypto_hash_sha256_update(&st, &leaf_prefix, 1);
    if (len > 0)
        (void)crypto_hash_sha256_update(&st, data, len);
    (void)crypto_hash_sha256_final(&st, out);
}

void council__merkle_node(uint8_t out[COUNCIL_HASH_BYTES], const uint8_t left[COUNCIL_HASH_BYTES],
                          const uint8_t right[COUNCIL_HASH_BYTES])
{
    crypto_hash_sha256_state st;

    /* out may alias left or right: both are absorbed before final. */
    (void)crypto_hash_sha256_init(&st);
    (void)crypto_hash_sha256_update(&st, &node_prefix, 1);
    (void)crypto_hash_sha256_update(&st, left, HASH);
    (void)crypto_hash_sha256_update(&st, right, HASH);
    (void)crypto_hash_sha256_final(&st, out);
}

static void empty_root(uint8_t out[HASH])
{
    (void)crypto_hash_sha256(out, NULL, 0);
}

/* ------------------------------------------------------------ bit helpers */

/* The largest power of two strictly less than n, for n >= 2. */
static uint64_t split_point(uint64_t n)
{
    uint64_t k = 1;

    while (k < n - k) /* 2k < n, without overflowing 2k */
        k <<= 1;
    return k;
}

static bool is_pow2(uint64_t n)
{
    return n != 0 && (n & (n - 1)) == 0;
}

/* log2 of a power of two. */
static uint32_t level_of(uint64_t pow2)
{
    uint32_t level = 0;

    while (pow2 > 1) {
        pow2 >>= 1;
        level++;
    }
    return level;
}

/* -------------------------------------------------------------- the store */

static bool nodes_ok(const council__nodes *ns)
{
    return ns != NULL && ns->get != NULL && ns->put != NULL;
}

/* Every node read goes through here, so ns->reads counts them all. */
static int node_get(council__nodes *ns, uint32_t level, uint64_t index, uint8_t out[HASH])
{
    ns->reads++;
    return ns->get(ns->ctx, level, index, out);
}

int council__merkle_append(council__nodes *ns, uint64_t size, const uint8_t leaf[COUNCIL_HASH_BYTES])
{
    uint8_t cur[HASH], left[HASH];
    uint64_t idx = size;
    uint32_t level = 0;
    int rc;

    if (!nodes_ok(ns))
        return COUNCIL_EMISUSE;
    if (leaf == NULL)
        return COUNCIL_EINVAL;
    if (size == UINT64_MAX) /* the tree would hold 2^64 leaves */
        return COUNCIL_ELIMIT;
    memcpy(cur, leaf, HASH);
    rc = ns->put(ns->ctx, 0, idx, cur);
    /* Each odd index closes the perfect subtree it shares with idx - 1. */
    while (rc == COUNCIL_OK && (idx & 1) != 0) {
        rc = node_get(ns, level, idx - 1, left);
        if (rc != COUNCIL_OK)
            break;
        council__merkle_node(cur, left, cur);
        idx >>= 1;
        level++;
        rc = ns->put(ns->ctx, level, idx, cur);
    }
    return rc;
}

/* MTH(D[lo:hi]), lo < hi. A perfect aligned range is one stored node;
 * otherwise split at the RFC's k and combine. When lo is a multiple of k
 * (always so in proofs and roots) the left half is a stored node and the
 * recursion runs down the right edge only: popcount(hi - lo) reads. The
 * depth is at most 64 either way, since every step halves the width. */
static int range_hash(council__nodes *ns, uint64_t lo, uint64_t hi, uint8_t out[HASH])
{
    uint8_t left[HASH], right[HASH];
    uint64_t n = hi - lo, k;
    int rc;

    if (is_pow2(n) && (lo & (n - 1)) == 0) {
        uint32_t level = level_of(n);

        return node_get(ns, level, lo >> level, out);
    }
    k = split_point(n);
    rc = range_hash(ns, lo, lo + k, left);
    if (rc == COUNCIL_OK)
        rc = range_hash(ns, lo + k, hi, right);
    if (rc == COUNCIL_OK)
        council__merkle_node(out, left, right);
    return rc;
}

int council__merkle_range(council__nodes *ns, uint64_t lo, uint64_t hi, uint8_t out[COUNCIL_HASH_BYTES])
{
    if (!nodes_ok(ns))
        return COUNCIL_EMISUSE;
    if (out == NULL || lo >= hi)
        return COUNCIL_EINVAL;
    return range_hash(ns, lo, hi, out);
}

int council__merkle_root(council__nodes *ns, uint64_t size, uint8_t out[COUNCIL_HASH_BYTES])
{
    if (!nodes_ok(ns))
        return COUNCIL_EMISUSE;
    if (out == NULL)
        return COUNCIL_EINVAL;
    if (size == 0) {
        empty_root(out);
        return COUNCIL_OK;
    }
    return range_hash(ns, 0, size, out);
}

/* --------------------------------------------------------------- proving */

static int prove_args(const council__nodes *ns, const uint8_t *out, size_t cap,
                      size_t *count)
{
    if (count != NULL)
        *count = 0;
    if (!nodes_ok(ns))
        return COUNCIL_EMISUSE;
    if (count == NULL || (out == NULL && cap > 0))
        return COUNCIL_EINVAL;
    return COUNCIL_OK;
}

/*
 * PATH(m, D[n]) (RFC 9162 2.1.3.1), walked from the top: at [lo, hi) with
 * k = split_point(hi - lo), the leaf is in the left part (the sibling is
 * [lo+k, hi)) or in the right part (the sibling is [lo, lo+k)). The top
 * sibling is the last element of the proof, so elements are written from
 * the end. Only the first right sibling can be a non-perfect range.
 */
int council__merkle_prove_inclusion(council__nodes *ns, uint64_t index, uint64_t size,
                                    uint8_t *out, size_t cap, size_t *count)
{
    uint64_t lo, hi, k;
    size_t n = 0, pos;
    int rc;

    rc = prove_args(ns, out, cap, count);
    if (rc != COUNCIL_OK)
        return rc;
    if (index >= size)
        return COUNCIL_EINVAL;

    /* Count first, so nothing is written when cap is too small. */
    for (lo = 0, hi = size; hi - lo > 1; n++) {
        k = split_point(hi - lo);
        if (index - lo < k)
            hi = lo + k;
        else
            lo += k;
    }
    if (n > cap)
        return COUNCIL_ELIMIT;

    pos = n;
    for (lo = 0, hi = size; hi - lo > 1;) {
        k = split_point(hi - lo);
        pos--;
        if (index - lo < k) {
            rc = range_hash(ns, lo + k, hi, out + pos * HASH);
            hi = lo + k;
        } else {
            rc = range_hash(ns, lo, lo + k, out + pos * HASH);
            lo += k;
        }
        if (rc != COUNCIL_OK)
            return rc;
    }
    *count = n;
    return COUNCIL_OK;
}

/*
 * PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (RFC 9162 2.1.4.1), walked from
 * the top: at [lo, hi) with k = split_point(hi - lo), if m - lo <= k go left
 * (the sibling [lo+k, hi) is appended after the subproof), else go right
 * (sibling [lo, lo+k), and b becomes false). The walk stops at hi = m; if b
 * is false then MTH(D[lo:m]) leads the proof. Siblings are written from the
 * end, the leading element last.
 */
int council__merkle_prove_consistency(council__nodes *ns, uint64_t size1, uint64_t size2,
                                      uint8_t *out, size_t cap, size_t *count)
{
    uint64_t lo, hi, k;
    size_t n = 0, pos;
    bool b = true;
    int rc;

    rc = prove_args(ns, out, cap, count);
    if (rc != COUNCIL_OK)
        return rc;
    if (size1 == 0 || size1 > size2)
        return COUNCIL_EINVAL;
    if (size1 == size2)
        return COUNCIL_OK; /* the empty proof */

    for (lo = 0, hi = size2; hi != size1; n++) {
        k = split_point(hi - lo);
        if (size1 - lo <= k) {
            hi = lo + k;
        } else {
            lo += k;
            b = false;
        }
    }
    if (!b)
        n++;
    if (n > cap)
        return COUNCIL_ELIMIT;

    pos = n;
    for (lo = 0, hi = size2; hi != size1;) {
        k = split_point(hi - lo);
        pos--;
        if (size1 - lo <= k) {
            rc = range_hash(ns, lo + k, hi, out + pos * HASH);
            hi = lo + k;
        } else {
            rc = range_hash(ns, lo, lo + k, out + pos * HASH);
            lo += k;
        }
        if (rc != COUNCIL_OK)
            return rc;
    }
    if (!b) {
        pos--; /* now 0 */
        rc = range_hash(ns, lo, hi, out + pos * HASH);
        if (rc != COUNCIL_OK)
            return rc;
    }
    *count = n;
    return COUNCIL_OK;
}

/* -------------------------------------------------------------- frontier */

/* peak[0 .. popcount(size)) hold the perfect subtrees of the leaves so far,
 * largest (leftmost) first. */

static uint32_t popcount64(uint64_t x)
{
    uint32_t n = 0;

    for (; x != 0; x &= x - 1)
        n++;
    return n;
}

void council__frontier_init(council__frontier *f)
{
    memset(f, 0, sizeof *f);
}

void council__frontier_push(council__frontier *f, const uint8_t leaf[COUNCIL_HASH_BYTES])
{
    uint8_t h[HASH];
    uint64_t s = f->size;
    uint32_t top = popcount64(s);

    if (s == UINT64_MAX) /* 2^64 leaves would not fit the count: ignored */
        return;
    memcpy(h, leaf, HASH);
    /* Merge with each peak the same size as the carry. */
    while ((s & 1) != 0) {
        top--;
        council__merkle_node(h, f->peak[top], h);
        s >>= 1;
    }
    memcpy(f->peak[top], h, HASH);
    f->size++;
}

void council__frontier_root(const council__frontier *f, uint8_t out[COUNCIL_HASH_BYTES])
{
    uint8_t h[HASH];
    uint32_t n = popcount64(f->size);

    if (n == 0) {
        empty_root(out);
        return;
    }
    memcpy(h, f->peak[n - 1], HASH);
    while (n-- > 1)
        council__merkle_node(h, f->peak[n - 1], h);
    memcpy(out, h, HASH);
}

/* ---------------------------------------------------------- public: misc */

size_t council_hash_bytes(void)
{
    return COUNCIL_HASH_BYTES;
}

size_t council_proof_hashes_max(void)
{
    return COUNCIL_PROOF_HASHES_MAX;
}

int council_merkle_leaf_hash(uint8_t *out, size_t out_len, const uint8_t *data, size_t len)
{
    if (out == NULL || out_len != COUNCIL_HASH_BYTES || (data == NULL && len != 0))
        return COUNCIL_EINVAL;
    council__merkle_leaf(out, data, len);
    return COUNCIL_OK;
}

/* ------------------------------------------------------ public: verifying */

static bool hash_arg_ok(const uint8_t *p, size_t len)
{
    return p != NULL && len == HASH;
}

static bool proof_arg_ok(const uint8_t *proof, size_t proof_len)
{
    if (proof == NULL && proof_len != 0)
        return false;
    return proof_len % HASH == 0 && proof_len / HASH <= COUNCIL_PROOF_HASHES_MAX;
}

/* RFC 9162 2.1.3.2. */
int council_merkle_verify_inclusion(uint64_t index, uint64_t size,
                                    const uint8_t *leaf_hash, size_t leaf_hash_len,
                                    const uint8_t *proof, size_t proof_len,
                                    const uint8_t *root, size_t root_len)
{
    uint8_t r[HASH];
    uint64_t fn, sn;
    size_t i, n;
    int ok;

    if (!hash_arg_ok(leaf_hash, leaf_hash_len) || !hash_arg_ok(root, root_len) ||
        !proof_arg_ok(proof, proof_len) || index >= size)
        return COUNCIL_EINVAL;

    n = proof_len / HASH;
    fn = index;
    sn = size - 1;
    memcpy(r, leaf_hash, HASH);
    for (i = 0; i < n; i++) {
        const uint8_t *p = proof + i * HASH;

        if (sn == 0) /* more hashes than the path has levels */
            return COUNCIL_ETAMPER;
        if ((fn & 1) != 0 || fn == sn) {
            council__merkle_node(r, p, r);
            while ((fn & 1) == 0 && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            council__merkle_node(r, r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    /* 5. sn != 0: fewer hashes than levels. The comparison always runs. */
    ok = sodium_memcmp(r, root, HASH) == 0;
    return (ok & (sn == 0)) ? COUNCIL_OK : COUNCIL_ETAMPER;
}

/* RFC 9162 2.1.4.2, with size1 = size2 handled first (only the empty proof
 * and equal roots verify). Step 2's prepended first_hash is not copied: the
 * path is read as element 0 = root1 followed by the proof. */
int council_merkle_verify_consistency(uint64_t size1, uint64_t size2,
                                      const uint8_t *root1, size_t root1_len,
                                      const uint8_t *root2, size_t root2_len,
                                      const uint8_t *proof, size_t proof_len)
{
    uint8_t fr[HASH], sr[HASH];
    const uint8_t *c;
    uint64_t fn, sn;
    size_t i, n, first;
    int ok1, ok2;

    if (!hash_arg_ok(root1, root1_len) || !hash_arg_ok(root2, root2_len) ||
        !proof_arg_ok(proof, proof_len) || size1 == 0 || size1 > size2)
        return COUNCIL_EINVAL;

    n = proof_len / HASH;
    if (size1 == size2) {
        if (n != 0)
            return COUNCIL_ETAMPER;
        return sodium_memcmp(root1, root2, HASH) == 0 ? COUNCIL_OK : COUNCIL_ETAMPER;
    }
    /* 1. An empty path fails. */
    if (n == 0)
        return COUNCIL_ETAMPER;
    /* 2. If size1 is a power of two, the path starts with root1. Then
     *    `first` is the index in proof of the path's second element. */
    if (is_pow2(size1)) {
        memcpy(fr, root1, HASH);
        first = 0;
    } else {
        memcpy(fr, proof, HASH);
        first = 1;
    }
    /* 5. fr = sr = the path's first element. */
    memcpy(sr, fr, HASH);
    /* 3, 4. */
    fn = size1 - 1;
    sn = size2 - 1;
    while ((fn & 1) != 0) {
        fn >>= 1;
        sn >>= 1;
    }
    /* 6. */
    for (i = first; i < n; i++) {
        c = proof + i * HASH;
        if (sn == 0)
            return COUNCIL_ETAMPER;
        if ((fn & 1) != 0 || fn == sn) {
            council__merkle_node(fr, c, fr);
            council__merkle_node(sr, c, sr);
            while ((fn & 1) == 0 && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            council__merkle_node(sr, sr, c);
        }
        fn >>= 1;
        sn >>= 1;
    }
    /* 7. Both comparisons always run. */
    ok1 = sodium_memcmp(fr, root1, HASH) == 0;
    ok2 = sodium_memcmp(sr, root2, HASH) == 0;
    return (ok1 & ok2 & (sn == 0)) ? COUNCIL_OK : COUNCIL_ETAMPER;
}
