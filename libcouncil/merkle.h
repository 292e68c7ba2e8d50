/*
 * merkle.h - RFC 9162 Merkle trees over a node store (pure).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_MERKLE_H
#define COUNCIL_MERKLE_H

#include "council_int.h"

/* A store of perfect subtree hashes: (level, index) is the hash of leaves
 * [index << level, (index + 1) << level). get and put return COUNCIL_OK or
 * a negative code (ENOTFOUND for a missing node). */
typedef struct council__nodes {
    void *ctx;
    int (*get)(void *ctx, uint32_t level, uint64_t index, uint8_t out[COUNCIL_HASH_BYTES]);
    int (*put)(void *ctx, uint32_t level, uint64_t index, const uint8_t hash[COUNCIL_HASH_BYTES]);
    uint64_t reads; /* get calls made through merkle.c, for tests and the bench */
} council__nodes;

void council__merkle_leaf(uint8_t out[COUNCIL_HASH_BYTES], const uint8_t *data, size_t len);
void council__merkle_node(uint8_t out[COUNCIL_HASH_BYTES], const uint8_t left[COUNCIL_HASH_BYTES],
                          const uint8_t right[COUNCIL_HASH_BYTES]);
/* Add the leaf at index `size` (the tree has `size` leaves before) and the
 * perfect subtree hashes it completes: O(log n) hashing. */
int council__merkle_append(council__nodes *ns, uint64_t size, const uint8_t leaf[COUNCIL_HASH_BYTES]);
/* MTH of the first `size` leaves (size 0: SHA-256 of nothing). */
int council__merkle_root(council__nodes *ns, uint64_t size, uint8_t out[COUNCIL_HASH_BYTES]);
/* MTH(D[lo:hi]) for lo < hi. */
int council__merkle_range(council__nodes *ns, uint64_t lo, uint64_t hi, uint8_t out[COUNCIL_HASH_BYTES]);
/* RFC 9162 PATH(index, D[0:size]) and PROOF(size1, D[0:size2]) into out
 * (cap hashes); *count receives the number written. O(log n) node reads.
 * EINVAL for index >= size, size1 = 0 or size1 > size2 (or size1 = size2:
 * the empty proof, count 0, COUNCIL_OK). */
int council__merkle_prove_inclusion(council__nodes *ns, uint64_t index, uint64_t size,
                                    uint8_t *out, size_t cap, size_t *count);
int council__merkle_prove_consistency(council__nodes *ns, uint64_t size1, uint64_t size2,
                                      uint8_t *out, size_t cap, size_t *count);

/* A streaming root: push leaves one by one, O(log n) memory (64 hashes). */
typedef struct council__frontier {
    uint8_t peak[64][COUNCIL_HASH_BYTES];
    uint64_t size;
} council__frontier;
void council__frontier_init(council__frontier *f);
void council__frontier_push(council__frontier *f, const uint8_t leaf[COUNCIL_HASH_BYTES]);
void council__frontier_root(const council__frontier *f, uint8_t out[COUNCIL_HASH_BYTES]);

#endif /* COUNCIL_MERKLE_H */
