/*
 * case_db.h - the case core (domain, case_db.c): the tables case_record
 * and person, every statement on them, the owner proof checked on load,
 * and the refusals and events every case operation shares. Called by the
 * case modules above it (section, share, find, case, consent, meeting,
 * report, casekey); calls nothing of theirs.
 * Tables: case_record, person.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_CASE_DB_H
#define COUNCIL_CASE_DB_H

#include "council_int.h"

/* A case row as loaded (and its owner proof checked) by council__case_load. */
typedef struct council__case {
    uint8_t id[COUNCIL_ID_BYTES];
    uint8_t ref[32]; /* the pseudonym events carry */
    int status;
    int body;
    uint8_t owner[COUNCIL_ID_BYTES];
    int64_t created, updated, erased;
} council__case;

/* EINVAL ("op: ids are 16 bytes") unless id is a 16-byte id. */
int council__id_arg(council *c, const char *op, const uint8_t *id, size_t len);
/* Load case `id` into k: ENOTFOUND, EIO, or ETAMPER (logged) when the row's
 * owner is not the one its id (or the council's signature) vouches for. */
int council__case_load(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                       council__case *k);
/* Is the session staff of the member owning k (never for the secretariat)? */
bool council__case_is_owner(const council *c, const council__case *k);
/* The case's owner as its proof shows it: ETAMPER (logged) when the row
 * names another, ENOTFOUND, EIO. */
int council__case_owner(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        uint8_t owner[COUNCIL_ID_BYTES]);
/* Cases from before owner proofs: the council signs each owner as found,
 * once (the secretariat's first session). EIO. */
int council__case_owners_upgrade(council *c);
/* A case's owner and pseudonym, and whether it was erased (as
 * council__case_load: ENOTFOUND, ETAMPER, EIO). */
int council__case_lookup(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                         uint8_t owner[COUNCIL_ID_BYTES], uint8_t ref[32], bool *erased);
/* Log a refusal (after rolling back the operation's transaction when
 * in_txn; held for the caller's batch), then fail with rc and "op: msg".
 * Returns the append's error if not even the refusal could be logged. */
int council__case_refuse(council *c, bool in_txn, int action, const council__case *k,
                         const char *scope, const char *purpose, const uint8_t *subject, int rc,
                         const char *reason, const char *op, const char *msg);
/* Append an allowed event about case k (k NULL: none) for this session. */
int council__case_log(council *c, int action, const council__case *k, const char *const *scopes,
                      size_t n, const char *purpose, const uint8_t *subject, const char *reason);
/* Mark the case updated now. EIO. */
int council__case_touch(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES]);
/* Is `person` a person of the case? ENOTFOUND ("no such person in this
 * case"), EIO. */
int council__case_person_of(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                            const uint8_t person[COUNCIL_ID_BYTES]);
/* Is person a person of case case_id? EIO named for op. */
int council__person_in_case(council *c, const char *op, const uint8_t person[COUNCIL_ID_BYTES],
                            const uint8_t case_id[COUNCIL_ID_BYTES], bool *yes);

/* The rows council_case_create, _add_person, _set_status and _erase write
 * (in the caller's transaction; EIO named for op). A new case row (open,
 * its owner proof the id's nonce) and a new person row. */
int council__case_insert(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                         int32_t body, const uint8_t owner[COUNCIL_ID_BYTES], int64_t now,
                         const uint8_t nonce[COUNCIL_ID_BYTES]);
int council__person_insert(council *c, const char *op, const uint8_t person[COUNCIL_ID_BYTES],
                           const uint8_t case_id[COUNCIL_ID_BYTES], int32_t role, int64_t now);
/* How many persons the case has. */
int council__person_count(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          int64_t *n);
/* The case's status set, updated now. */
int council__case_status_update(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                                int32_t status, int64_t now);
/* The status the session sets, and since when, signed by it (the owner's
 * staff with their member's key, the secretariat with the log key) into
 * case_status_sig, replacing the one before. EDENIED (no signing key),
 * EIO. */
int council__case_status_sign(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                              int32_t status, int64_t since);
/* The signed status of case k: *found false when none is stored (a status
 * never set since 0.3.0); a row whose signature fails, or whose signer is
 * neither k's owner nor the secretariat, is ETAMPER with a finding
 * (forged_case_status). EIO. */
int council__case_status_signed(council *c, const char *op, const council__case *k,
                                bool *found, int32_t *status, int64_t *since);
/* Before case k's owner changes (the secretariat's session): its signed
 * status, if it checks, signed again by the session, so it still checks
 * under the new owner. ETAMPER (a forged one, logged), EIO. */
int council__case_status_resign(council *c, const char *op, const council__case *k);
/* The case's persons go; the case row stays, marked erased at now. */
int council__person_erase(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES]);
int council__case_mark_erased(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                              int64_t now);

/* The case's persons as Person items of m (case_get); false for out of
 * memory or a database error. */
struct Council__V1__CaseInfo;
bool council__person_infos(council *c, const uint8_t case_id[COUNCIL_ID_BYTES],
                           struct Council__V1__CaseInfo *m);

/* One case row as council__case_each gives it: unchecked (the caller loads
 * the case, council__case_load, before anything about it decides access). */
typedef struct council__case_row {
    uint8_t id[COUNCIL_ID_BYTES];
    uint8_t owner[COUNCIL_ID_BYTES];
    bool has_owner; /* the row's owner is 16 bytes (else owner is zero) */
    int status, body;
    int64_t created;
} council__case_row;
/* Every case row with a 16-byte id, in creation order, through fn (which
 * may use the store); stops at fn's first error and returns it. EIO
 * ("op: database error"). */
int council__case_each(council *c, const char *op,
                       int (*fn)(council *c, const council__case_row *row, void *ctx), void *ctx);

/* A person found by id, with its case and the case's owner (unchecked). */
typedef struct council__person_case {
    uint8_t person[COUNCIL_ID_BYTES];
    uint8_t case_id[COUNCIL_ID_BYTES];
    uint8_t owner[COUNCIL_ID_BYTES];
    int64_t case_seq, person_seq; /* the order: cases as created, then persons */
} council__person_case;
/* The persons among ids[0..n) that exist, each with its case and owner,
 * ordered by case then person creation, into *out (council__calloc'd, the
 * caller frees it; *n_out of them). Rows whose case or owner are not
 * 16-byte ids are left out. EIO ("op: database error"), ENOMEM. */
int council__person_cases(council *c, const char *op, const uint8_t (*ids)[COUNCIL_ID_BYTES],
                          size_t n, council__person_case **out, size_t *n_out);

/* A person of a case: its id and role (council.v1.PersonRole). */
typedef struct council__case_person {
    uint8_t id[COUNCIL_ID_BYTES];
    int role;
} council__case_person;
/* The persons of the case, in the order they were added, into *out
 * (council__calloc'd; the caller frees it). EIO, ENOMEM named for op. */
int council__case_persons(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          council__case_person **out, size_t *n);
/* The ids of the cases whose row names member as owner (the row as it is,
 * no owner proof checked: for taking keys away, never for access), into
 * *out (council__calloc'd). EIO, ENOMEM named for op. */
int council__case_ids_owned(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                            uint8_t (**out)[COUNCIL_ID_BYTES], size_t *n);

/* Transfers (table case_transfer): a case's owner is the one its id
 * commits to, then each signed transfer in order. A new transfer of case k
 * (loaded) to `to` at `at` for reason (a code): signed with the council's
 * log key (secretariat sessions only: EDENIED otherwise), the row's owner
 * set. In the caller's transaction; EINVAL, EIO named for op. */
int council__case_transfer_row(council *c, const char *op, const council__case *k,
                               const uint8_t to[COUNCIL_ID_BYTES], int64_t at, const char *reason);
/* How many transfers the case has had. EIO. */
int council__case_transfers(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                            int64_t *n);

/* A person's signed state: anonymous intake, merged into another person. */
typedef struct council__person_st {
    bool anonymous;
    bool merged;
    uint8_t merged_into[COUNCIL_ID_BYTES];
    int64_t merged_at;
} council__person_st;
/* The person's state, its signature checked: ENOTFOUND ("no such person
 * in this case"), ETAMPER (logged) for a state set outside the library,
 * EIO. */
int council__person_state(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const uint8_t person[COUNCIL_ID_BYTES], council__person_st *ps);
/* Set and sign the person's state (the session's signing key; EDENIED
 * without one). In the caller's transaction. EIO. */
int council__person_state_put(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                              const uint8_t person[COUNCIL_ID_BYTES], const council__person_st *ps);
/* Before a member's signing key is replaced or removed (key replacement,
 * withdrawal; a secretariat session): the person states it signed
 * (anonymous intake, merges), where the signature still checks, are signed
 * again by the council; a forged one stays as it is. EIO, ENOMEM. */
int council__person_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES]);

#endif /* COUNCIL_CASE_DB_H */
