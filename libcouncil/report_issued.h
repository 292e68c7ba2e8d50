/*
 * report_issued.h - the register of issued platform reports (report_issued.c):
 * the report_issued events of the log (signed and append-only, so the
 * insider can neither remove nor edit an entry unnoticed), the check of a
 * new period against them, and the entry a new report writes.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_REPORT_ISSUED_H
#define COUNCIL_REPORT_ISSUED_H

#include "council_int.h"

/* Before a report over [from, to) (bounded) or all time: the issued
 * reports are read from the log (council__log_walk_checked). A bounded
 * period that overlaps an issued bounded period without being the same one
 * is refused unless `override` (a code) is given: the refusal is logged
 * (report_issued, refused, error EDENIED, reason overlapping_period) and
 * EDENIED returned with a message naming the issued period. All time is
 * not refused (see SECURITY.md). EINVAL for an override that is not a
 * code; ETAMPER (the log was altered, a finding logged); EIO. */
int council__report_overlap_check(council *c, const char *op, bool bounded, int64_t from,
                                  int64_t to, const char *override);

/* After a report is built: its entry, report_issued with reason
 * "k<k>_<csv|json>_<from>_<to>" ("..._all" for all time), bundle_hash the
 * SHA-256 of its bytes, purpose the override's code when one was given.
 * Durable before the report is returned (EIO otherwise). */
int council__report_issue(council *c, unsigned k, int format, bool bounded, int64_t from,
                          int64_t to, const uint8_t *bytes, size_t len, const char *override);

#endif /* COUNCIL_REPORT_ISSUED_H */
