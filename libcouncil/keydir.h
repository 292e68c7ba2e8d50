/*
 * keydir.h - the signed key directory and the signature primitives of
 * signed rows (domain). Owns the table member_key_sig.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_KEYDIR_H
#define COUNCIL_KEYDIR_H

#include "council_int.h"

/* Sign m (n bytes) with the log key: EDENIED when the session has none
 * (only the secretariat signs), ERROR if signing fails. */
int council__log_sign(council *c, uint8_t sig[64], const uint8_t *m, size_t n);
/* Ed25519 verification of sig over m by pk, remembered in the session's
 * signature cache (a session checks the same rows again and again):
 * 0 when it verifies, -1 when not. Sets no message. */
int council__verify_cached(council *c, const uint8_t sig[64], const uint8_t *m, size_t n,
                           const uint8_t pk[32]);
/* Sign member's box key (and its signing key when sign_pk is not NULL)
 * into the directory, replacing its row. EDENIED without the log key,
 * EIO when the row cannot be stored. */
int council__member_key_sign(council *c, const uint8_t member[COUNCIL_ID_BYTES],
                             const uint8_t box_pk[32], const uint8_t *sign_pk);
/* Is box_pk the key the directory signed for member? COUNCIL_OK, EAUTH
 * (named for op) for a key without a valid signature, EIO. */
int council__member_key_check(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                              const uint8_t box_pk[32]);
/* The member's signing key as the directory vouches for it: COUNCIL_OK,
 * ETAMPER (no message) when it has none or its signature fails, EIO. */
int council__member_sign_pk(council *c, const uint8_t member[COUNCIL_ID_BYTES], uint8_t pk[32]);
/* Root: store the coordinating body's key (c->coord_pk) with the log key's
 * signature (settings coordinator_pk/_sig). EDENIED, EIO. */
int council__coord_key_publish(council *c);
/* Staff session: load the coordinating body's key into c->coord_pk and set
 * c->coord_valid when the log key's signature on it verifies. EIO. */
int council__coord_key_load(council *c);
/* Upgrade of a directory signed before signing keys were: when member's
 * row for box_pk lacks the signing key's signature and box_pk still checks,
 * sign sign_pk too (a row that does not check is passed over). EIO. */
int council__member_key_upgrade(council *c, const uint8_t member[COUNCIL_ID_BYTES],
                                const uint8_t box_pk[32], const uint8_t sign_pk[32]);
/* Remove member's directory row (a withdrawal). EIO named for op. */
int council__member_key_drop(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES]);

/* Issue 17, wraps: the session's cache of verified directory signatures
 * (box and signing keys) wiped: a member's key replaced or withdrawn. */
void council__member_key_cache_drop(council *c);

#endif /* COUNCIL_KEYDIR_H */
