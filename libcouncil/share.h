/*
 * share.h - shares of a case's scopes with other members (domain,
 * share.c): signed share rows, the disclosure decision, revocation and
 * expiry. Table: case_share.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_SHARE_H
#define COUNCIL_SHARE_H

#include "council_int.h"
#include "case_db.h"

/* Does the member hold an active share (not revoked, not expired) of the
 * case's scope (scope NULL: of any scope)? A share row its grantor did not
 * sign counts for nothing and is logged (forged_share). EIO. */
int council__share_active(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const uint8_t member[COUNCIL_ID_BYTES], const char *scope, bool *yes);
/* Before a member's signing key goes: the active shares it really signed
 * are signed again by this (root) session; others stay as they are. EIO. */
int council__shares_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES]);
/* Active shares from before share signatures, signed at the secretariat's
 * first session. EIO. */
int council__share_upgrade(council *c);
/* End a member's active share of (case k, scope): revoked with the reason,
 * its wrapped keys of the scope destroyed (unless it owns the case). The
 * caller rotates the scope's key and logs. EIO. */
int council__share_end(council *c, const char *op, const council__case *k,
                       const uint8_t member[COUNCIL_ID_BYTES], const char *scope,
                       const char *reason);
/* Shares of (case k, scope) past their expiry: ended, logged, and the
 * scope's key rotated. In the caller's transaction. EIO. */
int council__share_expire(council *c, const char *op, const council__case *k, const char *scope);
/* Every active share of the case with basis consent, through the
 * decision again (after a withdrawal or a refusal, or before a person's
 * first data in extra_scope: extra_person counts as having data there, and
 * may be NULL): those it now refuses end (revoked with the decision's
 * reason, wrapped keys destroyed, keys rotated, logged). In the caller's
 * transaction. */
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
/* The case's shares (every row, ended ones too) as Share items of m
 * (case_get); false for out of memory or a database error. */
struct Council__V1__CaseInfo;
bool council__share_infos(council *c, const uint8_t case_id[COUNCIL_ID_BYTES],
                          struct Council__V1__CaseInfo *m);
/* A case's erasure, in its transaction: the shares' written reasons go;
 * its active shares end, revoked "case_erased". EIO. */
int council__share_forget_bases(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES]);
int council__share_end_case(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES]);
/* For casekey.c (a member's withdrawal, in its transaction): every active
 * share the member holds ends, revoked with `reason`. EIO ("op: cannot
 * revoke shares"). */
int council__share_end_member(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                              const char *reason);

/* --- added by H1 for issue 11 --- */
/* For council_case_list: the cases with a share row naming member, not
 * revoked and not expired at now (distinct, in no order) into *ids
 * (council__calloc'd, the caller frees it; *n of them). The rows are NOT
 * checked against their signatures and nothing is logged: this is exactly
 * the listing's filter as it always was (a subquery on case_share), which
 * decides only which cases' metadata the listing loads; every access to
 * content still goes through council__share_active. EIO ("op: database
 * error"), ENOMEM. */
int council__share_listed_cases(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                                int64_t now, uint8_t (**ids)[COUNCIL_ID_BYTES], size_t *n);
/* For the platform report: each referral (shares with purpose referral,
 * one per case, member and grant time, in the order of their first row)
 * through fn with its grant time and recipient member (unchecked rows,
 * counted only); stops at fn's first error and returns it. EIO ("op:
 * database error"). */
int council__share_referrals_each(council *c, const char *op,
                                  int (*fn)(council *c, int64_t granted,
                                            const uint8_t member[COUNCIL_ID_BYTES], void *ctx),
                                  void *ctx);
#endif /* COUNCIL_SHARE_H */
