/*
 * member.h - the member register (domain).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_MEMBER_H
#define COUNCIL_MEMBER_H

#include "council_int.h"

/* 1: the member is active, 0: withdrawn, or a negative code (ENOTFOUND,
 * EIO) recorded on c for op. */
/* The register's rows are signed by the secretariat (member.c): sign after
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
} council__member_pk;

/* The box key of id when it is an active member with one (*found); EIO
 * named for op. The caller checks the key against the key directory. */
int council__member_box_pk(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                           uint8_t pk[32], bool *found);
/* The active members with a box key, in register order, into *out
 * (council__calloc'd, the caller frees it; *n of them). EIO, ENOMEM. */
int council__member_pks(council *c, const char *op, council__member_pk **out, size_t *n);
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

/* --- added by H1 for issue 11 --- */
/* Every member of the register (withdrawn or not) with its kind, for the
 * platform report: into *out (council__calloc'd, the caller frees it; *n of
 * them). EIO ("op: database error"), ENOMEM. */
typedef struct council__member_kind {
    uint8_t id[COUNCIL_ID_BYTES];
    int kind;
} council__member_kind;
int council__member_kinds(council *c, const char *op, council__member_kind **out, size_t *n);
#endif /* COUNCIL_MEMBER_H */
