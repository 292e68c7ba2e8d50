/*
 * share.h - shares of a case's scopes with other members (domain,
 * share.c): the operations on shares, the disclosure decision, key
 * distribution, revocation and expiry. The share rows (table case_share)
 * are share_db.c's; share_db.h is included for share.c's callers.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_SHARE_H
#define COUNCIL_SHARE_H

#include "council_int.h"
#include "case_db.h"

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
/* council__case_share_in() for an agenda item discussed under body (a
 * council__body: the decision's req.body; 0 = outside any body's meeting). */
int council__case_share_body(council *c, const char *op, const uint8_t *case_id,
                             size_t case_id_len, const uint8_t *member_id, size_t member_id_len,
                             const council_share_options *o, const uint8_t *meeting_id, int body);
/* The meeting's active shares end (revoked "meeting_closed", wraps
 * destroyed, keys rotated, logged). In the caller's transaction. */
int council__case_end_meeting_shares(council *c, const char *op,
                                     const uint8_t meeting_id[COUNCIL_ID_BYTES]);

/* The disclosure decision a share of o's scopes of case k with member
 * would meet now (persons, consent records, the council's policy), without
 * sharing or logging: for a cooperation request's information (request.c).
 * EIO, ENOMEM, ETAMPER (a forged consent or policy) named for op. */
struct council__decision;
int council__share_decide(council *c, const char *op, const council__case *k,
                          const uint8_t member[COUNCIL_ID_BYTES], const council_share_options *o,
                          struct council__decision *d);
/* The disclosure decision alone for a transfer of case k to member: o's
 * basis and purpose checked (EINVAL), then *allow and the decision's
 * reason code (static). Nothing logged. EIO, ENOMEM. */
int council__share_decide_transfer(council *c, const char *op, const council__case *k,
                          const uint8_t member[COUNCIL_ID_BYTES], const council_share_options *o,
                          bool *allow, const char **reason);

/* issue 16, register: the disclosure decision for o's scopes of case k
 * given to the outside party `party` (an external party id a consent
 * names), without logging (provision.c). EIO, ENOMEM, ETAMPER for op. */
int council__share_decide_outside(council *c, const char *op, const council__case *k,
                                  const uint8_t party[COUNCIL_ID_BYTES],
                                  const council_share_options *o, struct council__decision *d);

#endif /* COUNCIL_SHARE_H */
