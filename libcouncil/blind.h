/*
 * blind.h - the blind index's folding and tokens.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_BLIND_H
#define COUNCIL_BLIND_H

#include "council_int.h"

/* The blind index: a name folded for comparison (NFKC, case folded,
 * hiragana as katakana, white space and middle dots removed) into a new
 * NUL-terminated string; EINVAL for invalid UTF-8 or nothing left. */
int council__name_fold(council *c, char **out, const char *name, size_t len);
#define COUNCIL__BLIND_NAME 1
#define COUNCIL__BLIND_NAME_BIRTH 3 /* the folded name, "\n", the birth date */
/* The width of the tokens stores made before issue 17 hold (and the least
 * width ever written), the widest. */
#define COUNCIL__BLIND_TOKEN_BITS 16
#define COUNCIL__BLIND_WIDTH_MAX 32
/* The first 32 bits (big-endian) of the keyed hash (c->bix) of already
 * normalised bytes; a token of width w is its first w bits
 * (council__blind_trunc). EUNSUPPORTED without the key. */
int council__blind_token32(council *c, uint32_t *token, int kind, const uint8_t *data, size_t len);
/* Its first COUNCIL__BLIND_TOKEN_BITS bits: the token stores from before
 * issue 17 hold. */
int council__blind_token(council *c, uint32_t *token, int kind, const uint8_t *data, size_t len);
/* The first `width` bits (1..32) of a 32-bit token. */
uint32_t council__blind_trunc(uint32_t token, unsigned width);
/* The width sized for an index of `entries` name tokens: expected false
 * matches of a query entries / 2^w stay between 1 and 2, so
 * w = ceil(log2(entries)) - 1, never below COUNCIL__BLIND_TOKEN_BITS nor
 * above COUNCIL__BLIND_WIDTH_MAX. Pure. */
unsigned council__blind_width_for(uint64_t entries);
/* Tests only: council__blind_width_for counts each entry as 2^shift (0:
 * as one), so a small store crosses the thresholds. */
void council__blind_test_scale(unsigned shift);

#endif /* COUNCIL_BLIND_H */
