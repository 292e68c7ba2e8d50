/*
 * referral_db.h - the tables referral and referral_step (domain,
 * referral_db.c): the signed offer, its signed steps and the signed list
 * of the scopes its share gave, written and checked; the report's counts.
 * Called by referral.c (the operations).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_REFERRAL_DB_H
#define COUNCIL_REFERRAL_DB_H

#include "council_int.h"
#include "event.h"

#define COUNCIL__REFERRAL_SCOPES_MAX 32
#define COUNCIL__REFERRAL_TEXT_MAX (COUNCIL__REFERRAL_SCOPES_MAX * (COUNCIL__AUDIT_CODE_MAX + 1) + 1)
#define COUNCIL__REFERRAL_STEPS_MAX 3 /* proposed, accepted, completed/ended */
#define OFFER_MAX (7 * 16 + 4 + COUNCIL__REFERRAL_TEXT_MAX + 2 * (COUNCIL__AUDIT_CODE_MAX + 1) + 32 + 8 + 8)
#define STEP_MSG_MAX (32 + 4 + 1 + 8 + 16 + 1 + COUNCIL__AUDIT_CODE_MAX + 1 + 16 + 1)

typedef struct council__referral_step {
    int state;
    int64_t at;
    uint8_t by[COUNCIL_ID_BYTES], memo[COUNCIL_ID_BYTES], signer[COUNCIL_ID_BYTES];
    bool has_by, has_memo;
    char reason[COUNCIL__AUDIT_CODE_MAX + 1];
} council__referral_step;

/* A referral as loaded (every signature checked) by council__referral_load. */
typedef struct council__referral_row {
    uint8_t id[COUNCIL_ID_BYTES], case_id[COUNCIL_ID_BYTES], person[COUNCIL_ID_BYTES];
    uint8_t from[COUNCIL_ID_BYTES], to[COUNCIL_ID_BYTES], consent[COUNCIL_ID_BYTES];
    uint8_t decision[COUNCIL_ID_BYTES], note[COUNCIL_ID_BYTES];
    bool has_person, has_consent, has_decision, has_note;
    char scopes_text[COUNCIL__REFERRAL_TEXT_MAX], shared_text[COUNCIL__REFERRAL_TEXT_MAX];
    char scope[COUNCIL__REFERRAL_SCOPES_MAX][COUNCIL__AUDIT_CODE_MAX + 1];
    const char *scopes[COUNCIL__REFERRAL_SCOPES_MAX];
    size_t n_scopes;
    char shared[COUNCIL__REFERRAL_SCOPES_MAX][COUNCIL__AUDIT_CODE_MAX + 1];
    const char *shared_scopes[COUNCIL__REFERRAL_SCOPES_MAX];
    size_t n_shared;
    char purpose[COUNCIL__AUDIT_CODE_MAX + 1], basis[COUNCIL__AUDIT_CODE_MAX + 1];
    char reason[COUNCIL_CONTACT_MAX + 1];
    bool has_reason;
    int64_t created;
    uint8_t hash[32];
    council__referral_step steps[COUNCIL__REFERRAL_STEPS_MAX];
    size_t n_steps;
    int state;
} council__referral_row;

/* May a referral go from state `from` to `to`? Is s a final state? */
bool council__referral_step_allowed(int from, int to);
bool council__referral_final(int s);
/* The member whose staff take a step into state (besides the secretariat):
 * proposed, withdrawn: from; the others: to. */
const uint8_t *council__referral_party(const council__referral_row *r, int state);
/* A comma list of codes into out/ptrs (false: malformed), and back (false:
 * too long for cap). */
bool council__referral_split(const char *text, char (*out)[COUNCIL__AUDIT_CODE_MAX + 1],
                             const char **ptrs, size_t *n);
bool council__referral_join(char *out, size_t cap, const char *const *scopes, size_t n);
/* r->hash from r's offer. */
void council__referral_hash(council__referral_row *r);
/* Load referral id and check every signature: ENOTFOUND, ETAMPER (a tamper
 * finding logged, reason forged_referral), EIO. */
int council__referral_load(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                           council__referral_row *r);
/* The offer r (its hash set), signed by this session, in the caller's
 * transaction. EDENIED (no signing key), EIO. */
int council__referral_insert(council *c, const char *op, council__referral_row *r);
/* Step seq of r, signed by this session; the list of shared scopes,
 * signed. In the caller's transaction. EDENIED, EIO. */
int council__referral_put_step(council *c, const char *op, const council__referral_row *r,
                               uint32_t seq, const council__referral_step *s);
int council__referral_put_shared(council *c, const char *op, const council__referral_row *r,
                                 const char *shared);
/* The ids of the referrals of case_id (NULL: any) that member (NULL: any)
 * sends or receives, oldest first, into *ids (council__calloc'd). Unchecked
 * rows: the caller loads each. EIO, ENOMEM. */
int council__referral_ids(council *c, const char *op, const uint8_t *case_id,
                          const uint8_t *member, uint8_t (**ids)[COUNCIL_ID_BYTES], size_t *n);
/* The reason codes of the referral's events that are not transitions (a
 * delivery, a note read): no transition may carry them. */
extern const char *const council__referral_reserved[2];
/* Do r's steps agree with the log: the referral's allowed transition
 * events (actions REFERRAL_PROPOSED..ENDED naming it, in the events of
 * its case, case_ref) are its steps' states in order? ETAMPER with a
 * tamper finding (referral_rolled_back; log_event_edited for an event that
 * is not the tree's), EIO. Before anything that gives keys or moves the
 * state. */
int council__referral_log_check(council *c, const char *op, const council__referral_row *r,
                                const uint8_t case_ref[32]);
/* council__referral_counts (referral.h): the rows as they are. EIO. */
int council__referral_state_counts(council *c, const char *op, int64_t from, int64_t to,
                                   int64_t counts[6]);

/* Before a member's signing key is replaced or removed (key replacement,
 * withdrawal; a secretariat session): the referrals whose offer, shared
 * list or steps it signed, where every row still checks, are signed again
 * by the council, so they stay valid; a forged one stays as it is. EIO,
 * ENOMEM. */
int council__referral_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES]);

#endif /* COUNCIL_REFERRAL_DB_H */
