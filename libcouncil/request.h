/*
 * request.h - cooperation requests (協力要請, Art. 16(3)) (domain,
 * request.c): the table cooperation_request. The public calls are
 * council_request_*; what other modules may call is here.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_REQUEST_H
#define COUNCIL_REQUEST_H

#include "council_int.h"

/* Requests made in [from, to) (Unix seconds) by state now: counts[0] open,
 * [1] answered, [2] declined, [3] withdrawn; each row checked first
 * (ETAMPER, logged, for a forged one). For the platform report. EIO,
 * ENOMEM named for op. */
int council__request_counts(council *c, const char *op, int64_t from, int64_t to,
                            int64_t counts[4]);

/* The member's answer or decline of a request asked of it, that came in
 * its bundle (bundle_import.c): as council_request_answer() and
 * council_request_decline() would take them for that member's staff (the
 * member must be the one asked: EDENIED, logged), signed by this
 * council's session (the secretariat's: else EDENIED), the event carrying
 * bundle_hash. The other codes as those calls'. */
int council__request_answer_as(council *c, const uint8_t id[COUNCIL_ID_BYTES],
                               const council_request_answer_options *a,
                               const uint8_t member[COUNCIL_ID_BYTES], const uint8_t bundle_hash[32]);
int council__request_decline_as(council *c, const uint8_t id[COUNCIL_ID_BYTES],
                                const char *reason_code, const char *text, size_t text_len,
                                const uint8_t member[COUNCIL_ID_BYTES], const uint8_t bundle_hash[32]);

#endif /* COUNCIL_REQUEST_H */
