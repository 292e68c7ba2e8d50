/*
 * referral.h - referrals (domain, referral.c): what the platform report
 * takes from them. Tables: referral, referral_step.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_REFERRAL_H
#define COUNCIL_REFERRAL_H

#include "council_int.h"

/* The referrals proposed in [from, to) (Unix seconds), counted by their
 * current state: counts[s - 1] for COUNCIL_REFERRAL_* state s (1..6). The
 * rows are counted as they are (no signature checked: a count, never
 * access). EIO named for op. */
int council__referral_counts(council *c, const char *op, int64_t from, int64_t to,
                             int64_t counts[6]);

#endif /* COUNCIL_REFERRAL_H */
