/*
 * find.h - the blind index of persons and council_case_find (domain,
 * find.c; the folding and tokens are blind.c's). Table: blind_index.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_FIND_H
#define COUNCIL_FIND_H

#include "council_int.h"

/* A person's blind-index tokens from an identity section (its name and
 * reading, each alone and with the birth date), replacing the old ones.
 * EFORMAT if the section does not parse as identity, EIO. */
int council__find_index_person(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                               const uint8_t person[COUNCIL_ID_BYTES], const uint8_t *sec,
                               size_t len);
/* The case's index tokens go (its erasure, in the caller's transaction). EIO. */
int council__find_erase(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES]);

/* Person gone merged into keep (case_id): gone's tokens find keep (none
 * if keep stays anonymous). In the caller's transaction. EIO. */
int council__find_merge(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const uint8_t keep[COUNCIL_ID_BYTES], const uint8_t gone[COUNCIL_ID_BYTES],
                        bool anonymous);

#endif /* COUNCIL_FIND_H */
