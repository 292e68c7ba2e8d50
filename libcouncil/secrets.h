/*
 * secrets.h - the council's stored secrets (pseudonym and blind-index
 * keys) and their copies sealed to members (domain). Owns the tables
 * secret and member_secret.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_SECRETS_H
#define COUNCIL_SECRETS_H

#include "council_int.h"

/* Root: load (or, at first use, make and store) the secrets wrapped under
 * this root key into c->psn and c->bix; rows wrapped under an earlier root
 * key are removed. EAUTH for a damaged row, EIO, ENOMEM. */
int council__secrets_root_load(council *c);
/* Root-key rotation: the stored secrets wrapped again under new_root,
 * beside the old rows. EIO. */
int council__secrets_rewrap(council *c, const council__secret *new_root);
/* Seal the secrets to member's box key pk, replacing its copies. EINVAL
 * for a key that is not valid, EIO. The caller has checked pk against the
 * key directory. */
int council__secrets_seal_to(council *c, const uint8_t member[COUNCIL_ID_BYTES], const uint8_t pk[32]);
/* Root: remove the copies of every member not among ids (n ids of 16
 * bytes, the active members with keys). EIO, ENOMEM. */
int council__secrets_prune(council *c, const uint8_t *ids, size_t n);
/* Root: member (active, box key pk) has the secrets sealed to pk and to
 * nothing else; sealed again if not, and only when the key directory
 * vouches for pk (otherwise passed over). EIO. */
int council__secrets_member(council *c, const uint8_t member[COUNCIL_ID_BYTES], const uint8_t pk[32]);
/* Remove member's sealed copies (a withdrawal). EIO named for op. */
int council__secrets_drop(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES]);
/* Staff session: load its member's sealed copies that open with its box
 * key; others are left unloaded. EIO, ENOMEM. */
int council__secrets_staff_load(council *c);

#endif /* COUNCIL_SECRETS_H */
