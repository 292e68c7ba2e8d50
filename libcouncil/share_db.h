/*
 * share_db.h - the table case_share (domain, share_db.c): share rows,
 * their signatures and the checks on them, the rows' ends and lookups.
 * Called by share.c (the operations) and by the modules below it that
 * need a share row (casekey.c, scope.c, section.c's access check).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_SHARE_DB_H
#define COUNCIL_SHARE_DB_H

#include "council_int.h"

/* Does the member hold an active share (not revoked, not expired) of the
 * case's scope (scope NULL: of any scope)? A share row its grantor did not
 * sign counts for nothing and is logged (forged_share). EIO. */
int council__share_active(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const uint8_t member[COUNCIL_ID_BYTES], const char *scope, bool *yes);
/* Does the member still hold the case as a meeting's attendee: a share of
 * any scope as council__share_active() finds one, or one of that meeting
 * that ended only with its window (not revoked)? Logged as there. EIO. */
int council__share_held_at(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                           const uint8_t member[COUNCIL_ID_BYTES],
                           const uint8_t meeting[COUNCIL_ID_BYTES], bool *yes);
/* Before a member's signing key goes: the active shares it really signed
 * are signed again by this (root) session; others stay as they are. EIO. */
int council__shares_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES]);
/* Active shares from before share signatures, signed at the secretariat's
 * first session. EIO. */
int council__share_upgrade(council *c);
/* A new share row of (case, member, scope) as o describes it (expires 0:
 * none; meeting_id NULL: none), granted now by this session and signed by
 * it. EIO. */
int council__share_insert(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const uint8_t member[COUNCIL_ID_BYTES], const char *scope,
                          const council_share_options *o, int64_t now, int64_t expires,
                          const uint8_t *meeting_id);
/* The member's active share rows of (case, scope) are marked revoked now
 * with the reason (and lose their signature). EIO. */
int council__share_revoke(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const uint8_t member[COUNCIL_ID_BYTES], const char *scope,
                          const char *reason);
/* The members (distinct, at most max) whose active share of (case, scope)
 * is past its expiry (or has an expiry that is not an integer). EIO. */
int council__share_expired(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                           const char *scope, uint8_t (*members)[COUNCIL_ID_BYTES], size_t max,
                           size_t *n);

/* A share row as the lookups below return it (rows with a malformed id or
 * scope are passed over). */
typedef struct council__share_ref {
    uint8_t case_id[COUNCIL_ID_BYTES], member[COUNCIL_ID_BYTES];
    char scope[COUNCIL__AUDIT_CODE_MAX + 1];
} council__share_ref;
/* The active (not revoked) share rows of the meeting, in the order they
 * were granted, into *out (council__calloc'd; the caller frees it). EIO,
 * ENOMEM. */
int council__share_refs_of_meeting(council *c, const char *op,
                                   const uint8_t meeting_id[COUNCIL_ID_BYTES],
                                   council__share_ref **out, size_t *n);
/* The distinct (case, scope) of the member's share rows not revoked
 * (expired or not; signatures not checked: the caller only takes access
 * away with them; a scope is any text of at most 64 bytes), in no
 * particular order, into *out (council__calloc'd). EIO, ENOMEM. */
int council__share_refs_of_member(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                                  council__share_ref **out, size_t *n);
/* The distinct scopes of the member's share rows of the case not revoked,
 * in scope order (codes only), into *out (council__calloc'd, *n of them). EIO,
 * ENOMEM. */
int council__share_scopes_of(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                             const uint8_t member[COUNCIL_ID_BYTES],
                             char (**out)[COUNCIL__AUDIT_CODE_MAX + 1], size_t *n);

/* An active share of the case on basis consent, as the decision sees it. */
typedef struct council__share_consent {
    uint8_t member[COUNCIL_ID_BYTES], consent[COUNCIL_ID_BYTES];
    bool has_consent, has_text;
    char scope[COUNCIL__AUDIT_CODE_MAX + 1];
    char purpose[COUNCIL__AUDIT_CODE_MAX + 1];
    char text[COUNCIL_CONTACT_MAX + 1];
} council__share_consent;
/* The case's active share rows with basis consent, in the order they were
 * granted, into *out (council__calloc'd). EIO, ENOMEM. */
int council__share_consent_rows(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                                council__share_consent **out, size_t *n);
/* Does any share row (ended or not) name scope? EIO named for op. */
int council__share_scope_used(council *c, const char *op, const char *scope, bool *yes);

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

#endif /* COUNCIL_SHARE_DB_H */
