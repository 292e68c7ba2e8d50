/*
 * casekey.h - data keys: wraps, holder tags, key versions, the session's keys (domain).
 * Owns the tables case_key and key_wrap.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_CASEKEY_H
#define COUNCIL_CASEKEY_H

#include "council_int.h"

/* Before a member's signing key is replaced or removed (key replacement,
 * withdrawal), or a case of its moves to another owner (case_id: that
 * case's only, else NULL): the rows it really signed are signed again by
 * the council, so they stay valid; rows it did not sign stay as they are.
 * Root only. */
int council__key_versions_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES],
                                 const uint8_t *case_id);
/* At the end of every open and create: a root session makes sure the
 * coordinating body's public key, the council's stored secrets (pseudonym
 * and blind-index keys) and their copies sealed to each member's box key
 * are in the store, then loads them; a staff session loads its member's
 * sealed copies (if the secretariat has not provided them yet, case calls
 * fail with COUNCIL_EUNSUPPORTED). */
int council__case_session_init(council *c);
/* A member withdrew (in the withdrawal's transaction): its shares are
 * revoked, its wrapped keys and sealed secrets destroyed, and every data
 * key it held rotated. */
int council__case_member_left(council *c, const uint8_t member[COUNCIL_ID_BYTES]);
/* A member's box key changed (root session, in the registration's
 * transaction): its wrapped keys and sealed secrets are sealed again to
 * the new key. */
int council__case_member_rekeyed(council *c, const uint8_t member[COUNCIL_ID_BYTES],
                                 const uint8_t box_pk[32]);
/* Data keys (casekey.c). A wrapped key is crypto_box_seal of the binding
 * (council, case, version, scope) and the key. */
#define COUNCIL__WRAP_BYTES (16 * 2 + 4 + 1 + 64 + 32 + 48)
const uint8_t *council__coord_holder(void);
int council__wrap(council *c, uint8_t out[COUNCIL__WRAP_BYTES], const uint8_t case_id[COUNCIL_ID_BYTES],
                  const char *scope, uint32_t version, const council__secret *key,
                  const uint8_t pk[32]);
/* key is allocated here; EAUTH if the wrap does not open or names another place. */
int council__unwrap(council *c, council__secret *key, const uint8_t *sealed, size_t len,
                    const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope, uint32_t version,
                    const uint8_t pk[32], const council__secret *sk);
/* The session's holder id and key pair: the coordinating body's (root) or
 * its member's (staff). */
int council__actor_key(council *c, const uint8_t **holder, const uint8_t **pk,
                       const council__secret **sk);
/* Is key version v of (case, scope) vouched for (ETAMPER, logged, if not)? */
int council__key_verify(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const char *scope, uint32_t v, const council__secret *key);
/* Does `member` hold the newest key of (case, scope), by a wrap its tag
 * vouches for? A wrap row without a valid tag is logged as forged. The
 * session must hold the key itself. */
int council__key_holds(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                       const char *scope, const uint8_t member[COUNCIL_ID_BYTES], bool *holds);
/* Does tag vouch that `holder` (box key pk) was given the data key `key`
 * of (case, scope, version) by a session that held it? (casekey.c) */
/* The tag itself (scope at most COUNCIL__AUDIT_CODE_MAX bytes, key 32). */
void council__holder_tag(const council *c, uint8_t out[32], const uint8_t case_id[COUNCIL_ID_BYTES],
                         const char *scope, uint32_t version, const uint8_t holder[COUNCIL_ID_BYTES],
                         const uint8_t pk[32], const council__secret *key);
bool council__holder_tag_ok(const council *c, const uint8_t *tag, size_t tag_len,
                            const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope,
                            uint32_t version, const uint8_t holder[COUNCIL_ID_BYTES],
                            const uint8_t pk[32], const council__secret *key);
int council__wrap_for(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                      const char *scope, uint32_t version, const uint8_t holder[COUNCIL_ID_BYTES],
                      const uint8_t pk[32], const council__secret *key);
/* The session's data key of (case, scope, version): EDENIED without a
 * wrap for it, EAUTH if it does not open. */
int council__key_open(council *c, const char *op, council__secret *key,
                      const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope, uint32_t version);
/* The newest key version of (case, scope), 0 for none. */
int council__key_latest(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const char *scope, uint32_t *version);
/* A new key version wrapped for the coordinating body, the owner and the
 * active share holders; key_out (if not NULL) receives the key. */
int council__key_new(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                     const char *scope, uint32_t *version_out, council__secret *key_out);
/* Root-key rotation: the coordinating body's wraps again under new_root
 * (added beside the old ones; the next open under new_root removes the
 * old), new_pk receives its new key. EAUTH, EIO. */
int council__coord_rewrap(council *c, const council__secret *new_root, uint8_t new_pk[32]);
/* A holder's wrapped keys of (case, scope), every version, destroyed (a
 * share's end). EIO named for op. */
int council__key_wrap_drop(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                           const uint8_t holder[COUNCIL_ID_BYTES], const char *scope);
/* Is there a key version `version` of (case, scope) (not destroyed by a
 * rekey)? EIO named for op. */
int council__key_exists(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const char *scope, uint32_t version, bool *yes);
/* Has any case a key of scope? EIO named for op. */
int council__key_scope_used(council *c, const char *op, const char *scope, bool *yes);
/* A case's erasure (in its transaction): every key version of the case
 * and every wrapped copy go. EIO named for op. */
int council__key_erase_case(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES]);
/* The scopes the case has keys of (distinct, in order, valid codes only,
 * at most COUNCIL__AUDIT_SCOPES_MAX: more is EIO) copied into sc, scopes[i]
 * pointing at sc[i]; *n of them. EIO named for op. */
int council__key_scopes(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        char sc[][COUNCIL__AUDIT_CODE_MAX + 1], const char **scopes, size_t *n);
/* The case's keys of scope older than version, and their wrapped copies,
 * destroyed (a rekey). EIO named for op. */
int council__key_drop_older(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                            const char *scope, uint32_t version);
#endif /* COUNCIL_CASEKEY_H */
