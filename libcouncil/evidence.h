/*
 * evidence.h - the checked walk of the log (evidence.c), for the work that
 * must not miss an event the insider hid: the case evidence file, and the
 * register of issued reports (report_issued.c).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_EVIDENCE_H
#define COUNCIL_EVIDENCE_H

#include "council_int.h"
#include "council/v1/audit.pb-c.h"

/* Called for each event of the walk: COUNCIL_OK to go on, or an error
 * code, which stops the walk and is returned. */
typedef int (*council__log_walk_fn)(void *ctx, uint64_t seq, const Council__V1__AuditEvent *e,
                                    const uint8_t *body, size_t len);

/* Every stored event below `size`, in order: each body checked against the
 * stored tree's leaf at its seq and decoded, no seq missing. Never the
 * case index. COUNCIL_OK; ETAMPER for an event edited, removed or damaged
 * (a tamper_detected finding logged, log_event_edited); fn's error; EIO.
 * Each with a message named for op. */
int council__log_walk_checked(council *c, const char *op, uint64_t size, council__log_walk_fn fn,
                              void *ctx);

#endif /* COUNCIL_EVIDENCE_H */
