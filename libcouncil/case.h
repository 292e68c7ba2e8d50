/*
 * case.h - cases and their persons, the public operations (domain,
 * case.c): what case.c offers the modules above it (meeting.c, report.c).
 * The case core (the tables case_record and person, loading a case, its
 * refusals and events) is case_db.h's; included here for the callers that
 * want both.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_CASE_H
#define COUNCIL_CASE_H

#include "council_int.h"
#include "case_db.h"

/* The latest sections of the given scopes of a case (all the session may
 * read, scopes NULL: every scope) as CaseContent bytes; logged durably like
 * council_case_read() with the purpose, before anything is returned. */
int council__case_content(council *c, const char *op, council_buf *out,
                          const uint8_t case_id[COUNCIL_ID_BYTES], const char *const *scopes,
                          size_t n_scopes, const char *purpose);

/* A case's transfer to `to` in the caller's open transaction (k loaded;
 * o NULL: to the coordinating body, no disclosure decision; why: the
 * event's reason code). On success the transaction stays open and k names
 * the new owner; on failure (refusals logged) it was rolled back. */
int council__case_transfer_in(council *c, const char *op, council__case *k,
                              const uint8_t to[COUNCIL_ID_BYTES], const council_transfer_options *o,
                              const char *why);
/* The ids of the cases member owns (the owner proof checked: ETAMPER
 * fails the whole list), not erased, into *out (council__calloc'd). */
int council__member_owned_cases(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                                uint8_t (**out)[COUNCIL_ID_BYTES], size_t *n);

#endif /* COUNCIL_CASE_H */
