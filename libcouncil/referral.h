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

/* A member's step of a referral (accepted or declined, ...) that came in
 * the member's bundle (bundle_import.c): as council_referral_transition
 * would take it for that member's staff (the member must be the step's
 * party: EDENIED, logged; the state must allow it: EINVAL, logged), signed
 * by this council's session (root or the coordinating body's staff, else
 * EDENIED), its event carrying bundle_hash and the reason (the member's
 * code, else "bundle"). The other codes as the transition's. */
int council__referral_step_as(council *c, const uint8_t id[COUNCIL_ID_BYTES], int to_state,
                              const char *reason_code, const uint8_t member[COUNCIL_ID_BYTES],
                              const uint8_t bundle_hash[32]);

#endif /* COUNCIL_REFERRAL_H */
