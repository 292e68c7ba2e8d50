/*
 * caseview.h - a case as the commands show it: sections and case
 * metadata as JSON and as text, section JSON read from a file, and the
 * case's person supported (the default --person).
 */
#ifndef COUNCIL_CLI_CASEVIEW_H
#define COUNCIL_CLI_CASEVIEW_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "council.h"
#include "council/v1/case.pb-c.h"
#include "names.h"

const char *status_name(int v, char *buf, size_t n);
const char *body_name(int v, char *buf, size_t n);

/* Section JSON from FILE ("-": standard input) into a serialised
 * council.v1.Section: 0, or EXIT_FAILURE with a message. */
int section_bytes(const char *path, uint8_t **out, size_t *out_len);

/* A section as read: metadata, then the section's keys. */
json_t *record_json(const Council__V1__SectionRecord *r);
void record_lines(const Council__V1__SectionRecord *r);

/* How many of the case's shares are in force now. */
size_t active_shares(const Council__V1__CaseInfo *ci);
/* `full`: persons, sections and shares listed; else counted. The
 * members' names from `names` (NULL: none) next to their ids. */
json_t *case_info_json(const Council__V1__CaseInfo *ci, int full, const member_names *names);
void case_info_lines(const Council__V1__CaseInfo *ci, const member_names *names);

/* The case's metadata, or NULL with *rc. */
Council__V1__CaseInfo *fetch_case(council *c, const uint8_t id[COUNCIL_ID_BYTES], int *rc);
/* The case's person supported (本人): COUNCIL_OK, or a code after a message. */
int supported_person(council *c, const uint8_t id[COUNCIL_ID_BYTES],
                     uint8_t person[COUNCIL_ID_BYTES]);

#endif
