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

/* The latest sections of the given scopes of a case (all the session may
 * read, scopes NULL: every scope) as CaseContent bytes; logged durably like
 * council_case_read() with the purpose, before anything is returned. */
int council__case_content(council *c, const char *op, council_buf *out,
                          const uint8_t case_id[COUNCIL_ID_BYTES], const char *const *scopes,
                          size_t n_scopes, const char *purpose);

#endif /* COUNCIL_CASE_H */
