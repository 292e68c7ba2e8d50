/*
 * casekey.h - data keys: wraps, holder tags, key versions, the session's keys (domain).
 * Owns the tables case_key and key_wrap.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_CASEKEY_H
#define COUNCIL_CASEKEY_H

#include "council_int.h"
#include "wrap.h"

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
/* Data keys (casekey.c). A key is stored wrapped for each holder: format 2
 * (wrap.h) for every wrap written now, format 1 (a sealed box) still
 * opened; the wrap formats, holder tags and the session's wrap caches are
 * wrap.c's. */
const uint8_t *council__coord_holder(void);
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
 * share's end; the session's cached data keys go too). EIO named for op. */
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
/* Issue 17, wraps: a root session's start (after council__case_session_init
 * committed) writes the wraps still in format 1 again in format 2, from
 * the coordinating body's copy, in transactions of at most 256 rows, each
 * logged (key_wraps_migrated, reason "v2_<rows>"); resumable (a row is
 * whole in one format or the other) and idempotent (only format-1 rows are
 * read; a setting marks the store done). A row whose holder tag does not
 * check is left as it is. EIO. */
int council__key_wraps_migrate(council *c);
#endif /* COUNCIL_CASEKEY_H */
