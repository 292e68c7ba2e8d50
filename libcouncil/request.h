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

#endif /* COUNCIL_REQUEST_H */
