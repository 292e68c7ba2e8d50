/*
 * member_db.h - the member register's rows (domain): table member
 * (member_db.c). The register's operations (council_member_*) are member.c.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_MEMBER_DB_H
#define COUNCIL_MEMBER_DB_H

#include "council_int.h"

/* The most scopes in a member's ceiling. */
#define COUNCIL__MEMBER_SCOPES_MAX 32

/* 1: the member is active, 0: withdrawn, or a negative code (ENOTFOUND,
 * EIO) recorded on c for op. */
/* The register's rows are signed by the secretariat (member_db.c): sign after
 * a change; check (ETAMPER, logged) before a row decides anything; sign the
 * rows of a store from before (the secretariat's first session). */
int council__member_sign(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES]);
int council__member_check(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES]);
int council__member_upgrade(council *c);
int council__member_active(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES]);
/* COUNCIL_OK for an active member; EDENIED (named for op) for a withdrawn
 * one; ENOTFOUND or EIO otherwise. */
int council__member_usable(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES]);

/* A member's registered keys (council__member_pks). */
typedef struct council__member_pk {
    uint8_t id[COUNCIL_ID_BYTES];
    uint8_t box_pk[32];
    uint8_t sign_pk[32];
    bool has_sign_pk;
    uint32_t roles;             /* COUNCIL_ROLE_*, as the row says */
} council__member_pk;

/* The box key of id when it is an active member with one (*found); EIO
 * named for op. The caller checks the key against the key directory. */
int council__member_box_pk(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                           uint8_t pk[32], bool *found);
/* The active members with a box key, in register order, into *out
 * (council__calloc'd, the caller frees it; *n of them). EIO, ENOMEM. */
int council__member_pks(council *c, const char *op, council__member_pk **out, size_t *n);
/* The roles (COUNCIL_ROLE_*) of id as its row says: 0 for a withdrawn or
 * unknown member. The caller checks the row (council__member_check). EIO. */
int council__member_roles(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                          uint32_t *roles);
/* How many active members other than self (NULL: none) hold the
 * secretariat's or the coordinating body's role, as their rows say. EIO. */
int council__member_role_holders(council *c, const char *op, const uint8_t *self, int64_t *n);
/* Root, stores from before the signed key directory: sign the active
 * members' registered keys once (setting member_key_sigs). EDENIED, EIO. */
int council__member_keys_sign_existing(council *c);
/* Root, the store's upgrade: sign the signing keys of members whose
 * directory row predates them. EIO. */
int council__member_directory_upgrade(council *c);
/* The register's row of id: *found, *active (not withdrawn), its box key
 * (*has_pk). COUNCIL_OK or COUNCIL_EIO, leaving the message to the caller.
 * The caller checks the row (council__member_check) before it decides. */
int council__member_keys_of(council *c, const uint8_t id[COUNCIL_ID_BYTES], bool *found,
                            bool *active, uint8_t box_pk[32], bool *has_pk);
/* Is id in the register (withdrawn or not)? EIO named for op. */
int council__member_exists(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES], bool *yes);

/* Another active coordinating body than self (NULL: any)? EEXIST, EIO
 * named for op. */
int council__member_coordinator_taken(council *c, const char *op, const uint8_t *self);
/* The register's changes (the caller signs the row after): a new member
 * id with o's entry and its scope ceiling scopes (sorted, joined by ',');
 * an update of id's entry; id's withdrawal; id's keys. EIO (EEXIST for a
 * second coordinating body) named for op. */
int council__member_insert(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                           const council_member_options *o, const char *scopes);
int council__member_update_row(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                               const council_member_options *o, const char *scopes);
int council__member_withdraw_row(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                                 int64_t when, const char *reason);
int council__member_keys_put(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                             const uint8_t box_pk[32], const uint8_t sign_pk[32]);
/* id's row as a message (free with council__v1__member__free_unpacked):
 * ENOTFOUND, EIO, ENOMEM named for op. */
struct Council__V1__Member;
int council__member_message(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                            struct Council__V1__Member **out);
/* Every row, in register order, as messages (*count of them, in a
 * council__calloc'd array; each freed as above). EIO, ENOMEM. */
int council__member_messages(council *c, const char *op, struct Council__V1__Member ***out,
                             size_t *count);
/* The active members' names in register order (council__strdup'd, in a
 * council__calloc'd array), and the first coordinating body's (NULL if
 * none). EIO, ENOMEM named for op. */
int council__member_names(council *c, const char *op, char ***out, size_t *count,
                          char **coordinator);

/* For the platform report (report.c). */
/* Every member of the register (withdrawn or not) with its kind, for the
 * platform report: into *out (council__calloc'd, the caller frees it; *n of
 * them). EIO ("op: database error"), ENOMEM. */
typedef struct council__member_kind {
    uint8_t id[COUNCIL_ID_BYTES];
    int kind;
} council__member_kind;
int council__member_kinds(council *c, const char *op, council__member_kind **out, size_t *n);

/* For a share's recipient and scope removal (share.c, scope.c). */
/* The register's row of id as a share's recipient sees it: *found,
 * *withdrawn, its box key (*has_pk), its scope ceiling (the scopes column,
 * "" for none, cut to cap bytes) into scopes. The caller checks the row
 * (council__member_check) first. EIO named for op. */
int council__member_recipient(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                              bool *found, bool *withdrawn, uint8_t box_pk[32], bool *has_pk,
                              char *scopes, size_t cap);
/* Does any member's scope ceiling (withdrawn or not) name scope? EIO named
 * for op. */
int council__member_ceiling_uses(council *c, const char *op, const char *scope, bool *yes);

#endif /* COUNCIL_MEMBER_DB_H */
