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
/* The blind index's widths (issue 17): new tokens are written `width` bits
 * wide; tokens of `old` bits (0: none) remain until a rebuild reaches them. */
typedef struct council__blind_width {
    unsigned width, old;
} council__blind_width;
/* The widths as the secretariat signed them (no setting: a store from
 * before issue 17, 16 bits). ETAMPER (with a tamper finding
 * forged_blind_width) for a setting not signed by the secretariat or rows
 * of a width it does not name; EIO, ENOMEM. */
int council__find_width(council *c, const char *op, council__blind_width *w);
/* Set and sign the widths (the log key: a secretariat session; EDENIED
 * otherwise), in the caller's transaction. EIO. */
int council__find_width_put(council *c, const char *op, const council__blind_width *w);
/* The number of name tokens in the index (exact when small, estimated to a
 * few per cent from a sample of the token space when large). EIO. */
int council__find_entries(council *c, const char *op, const council__blind_width *w,
                          uint64_t *entries);
/* Up to max ids of cases that still have tokens `old` bits wide. EIO. */
int council__find_old_cases(council *c, const char *op, unsigned old,
                            uint8_t (*ids)[COUNCIL_ID_BYTES], size_t max, size_t *n);
/* The case's tokens derived again at `width` from recs (each a field 2
 * holding a SectionRecord of an identity section, as
 * council__section_latest gives them): the case's rows go, then each
 * person's name finds it, or the person it was merged into, unless that
 * person is anonymous. In the caller's transaction. EFORMAT, EIO. */
int council__find_reindex_case(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                               const uint8_t *recs, size_t len, unsigned width);

/* The case's index tokens go (its erasure, in the caller's transaction). EIO. */
int council__find_erase(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES]);

/* Person gone merged into keep (case_id): gone's tokens find keep (none
 * if keep stays anonymous). In the caller's transaction. EIO. */
int council__find_merge(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const uint8_t keep[COUNCIL_ID_BYTES], const uint8_t gone[COUNCIL_ID_BYTES],
                        bool anonymous);

#endif /* COUNCIL_FIND_H */
