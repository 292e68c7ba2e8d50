/*
 * wrap.h - wrapped data keys (pure): the two wrap formats, holder tags, and
 * the session's wrap caches (issue 17, wraps). casekey.c stores the wraps.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_WRAP_H
#define COUNCIL_WRAP_H

#include "council_int.h"

/* Format 1: crypto_box_seal of binding || key (still opened; memos use it). */
#define COUNCIL__WRAP_BYTES (16 * 2 + 4 + 1 + 64 + 32 + 48)
/* Format 2: 0x02 || ephemeral pk || nonce (24) || XChaCha20-Poly1305 of key. */
#define COUNCIL__WRAP_V2 2
#define COUNCIL__WRAP2_BYTES (1 + 32 + 24 + 32 + 16)

/* A format-1 wrap of key (32 bytes) to pk. EINVAL for a bad key. */
int council__wrap(council *c, uint8_t out[COUNCIL__WRAP_BYTES], const uint8_t case_id[COUNCIL_ID_BYTES],
                  const char *scope, uint32_t version, const council__secret *key,
                  const uint8_t pk[32]);
/* A format-2 wrap of key to pk under the open transaction's ephemeral key
 * (made on first use) and the agreement with pk (once per transaction).
 * EINVAL for a key that is not a valid public key. */
int council__wrap2(council *c, uint8_t out[COUNCIL__WRAP2_BYTES], const uint8_t case_id[COUNCIL_ID_BYTES],
                   const char *scope, uint32_t version, const council__secret *key,
                   const uint8_t pk[32]);
/* Either format (told by length and version byte). key is allocated here;
 * EAUTH if the wrap does not open or names another place. */
int council__unwrap(council *c, council__secret *key, const uint8_t *sealed, size_t len,
                    const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope, uint32_t version,
                    const uint8_t pk[32], const council__secret *sk);

/* Does tag vouch that `holder` (box key pk) was given the data key `key`
 * of (case, scope, version) by a session that held it? */
/* The tag itself (scope at most COUNCIL__AUDIT_CODE_MAX bytes, key 32). */
void council__holder_tag(const council *c, uint8_t out[32], const uint8_t case_id[COUNCIL_ID_BYTES],
                         const char *scope, uint32_t version, const uint8_t holder[COUNCIL_ID_BYTES],
                         const uint8_t pk[32], const council__secret *key);
bool council__holder_tag_ok(const council *c, const uint8_t *tag, size_t tag_len,
                            const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope,
                            uint32_t version, const uint8_t holder[COUNCIL_ID_BYTES],
                            const uint8_t pk[32], const council__secret *key);

/* The unwrapped data keys of this session, by the exact wrap they came from
 * (its bytes, its place, the box key it was opened with): the cache saves
 * the unwrap only; the caller has read the wrap row and decides access as
 * without it. A hit copies the key into *key (allocated here): true. */
bool council__dkey_get(council *c, council__secret *key, const uint8_t *sealed, size_t len,
                       const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope, uint32_t version,
                       const uint8_t pk[32]);
void council__dkey_put(council *c, const uint8_t *sealed, size_t len,
                       const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope, uint32_t version,
                       const uint8_t pk[32], const council__secret *key);
/* Every cached data key and agreement wiped (rotation, revocation, a
 * member's withdrawal or new key, a case moved or erased). */
void council__wcache_drop(council *c);
/* The transaction ended: the ephemeral key and its agreements wiped; data
 * keys cached in it kept (committed) or wiped (rolled back). */
void council__wcache_tx_end(council *c, bool committed);
/* Close: everything wiped and freed. */
void council__wcache_free(council *c);
/* Tests: the data keys cached now, and whether an ephemeral key is held. */
void council__wcache_stats(const council *c, size_t *keys, bool *ephemeral);
/* SQLite's commit and rollback hooks (arg: the handle; casekey.c installs
 * them): council__wcache_tx_end, and a rollback also forgets the key
 * versions verified (a version made in it is gone with it). */
int council__wcache_on_commit(void *arg);
void council__wcache_on_rollback(void *arg);

/* What a key version's signature covers (casekey.c signs and checks it):
 *     case_id || u8(len(scope)) || scope || u32be(version) || commit
 * commit = BLAKE2b-256 keyed with the key of "council/key-commit/v1". */
#define COUNCIL__VMSG_MAX (COUNCIL_ID_BYTES + 1 + 64 + 4 + 32)
size_t council__key_version_msg(uint8_t *m, const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope,
                                uint32_t version, const council__secret *key);
/* The key versions this session verified (digests of their messages and
 * the council id), direct-mapped in c->vcache; wiped by council__wcache_drop
 * and at rollback. */
bool council__vcache_has(const council *c, const uint8_t h[32]);
void council__vcache_put(council *c, const uint8_t h[32]);

#endif /* COUNCIL_WRAP_H */
