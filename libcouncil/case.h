/*
 * case.h - cases, sections, shares and search (domain; being split).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_CASE_H
#define COUNCIL_CASE_H

#include "council_int.h"

int council__shares_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES]);
int council__case_owners_upgrade(council *c);
/* The case's owner as its proof shows it (case.c): ETAMPER (logged) when
 * the row names another, ENOTFOUND. */
int council__case_owner(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        uint8_t owner[COUNCIL_ID_BYTES]);
/* Does the member hold an active share (not revoked, not expired) of the
 * case's scope (scope NULL: of any scope)? */
int council__share_active(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const uint8_t member[COUNCIL_ID_BYTES], const char *scope, bool *yes);
/* A case's owner and pseudonym, and whether it was erased (ENOTFOUND). */
int council__case_lookup(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                         uint8_t owner[COUNCIL_ID_BYTES], uint8_t ref[32], bool *erased);
/* Every active share of the case with basis consent, through the
 * decision again (after a withdrawal or a refusal, or before a person's
 * first data in extra_scope: extra_person counts as having data there, and
 * may be NULL): those it now refuses
 * end (revoked with the decision's reason, wrapped keys destroyed, keys
 * rotated, logged). In the caller's transaction. */
int council__case_recheck_consent_shares(council *c, const char *op,
                                         const uint8_t case_id[COUNCIL_ID_BYTES],
                                         const uint8_t *extra_person, const char *extra_scope);
/* council_case_share(), naming the meeting the share belongs to (NULL for
 * none); op names the caller in messages. */
int council__case_share_in(council *c, const char *op, const uint8_t *case_id, size_t case_id_len,
                           const uint8_t *member_id, size_t member_id_len,
                           const council_share_options *o, const uint8_t *meeting_id);
/* The meeting's active shares end (revoked "meeting_closed", wraps
 * destroyed, keys rotated, logged). In the caller's transaction. */
int council__case_end_meeting_shares(council *c, const char *op,
                                     const uint8_t meeting_id[COUNCIL_ID_BYTES]);
/* The latest sections of the given scopes of a case (all the session may
 * read, scopes NULL: every scope) as CaseContent bytes; logged durably like
 * council_case_read() with the purpose, before anything is returned. */
int council__case_content(council *c, const char *op, council_buf *out,
                          const uint8_t case_id[COUNCIL_ID_BYTES], const char *const *scopes,
                          size_t n_scopes, const char *purpose);
/* Active shares from before, signed at the secretariat's first session (case.c). */
int council__share_upgrade(council *c);
/* --- added by H-KEY for issue 11 --- */
/* Is person a person of case case_id? EIO named for op. */
int council__person_in_case(council *c, const char *op, const uint8_t person[COUNCIL_ID_BYTES],
                            const uint8_t case_id[COUNCIL_ID_BYTES], bool *yes);

#endif /* COUNCIL_CASE_H */
