/*
 * crypto.h - libsodium wrappers with their range checks, key derivation, big-endian writers, UUIDs, message packing (pure).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_CRYPTO_H
#define COUNCIL_CRYPTO_H

#include "council_int.h"

/* Argon2id cost: 0 means the default; EINVAL (named for op) out of range. */
#define COUNCIL__KDF_OPSLIMIT_DEFAULT 3u         /* crypto_pwhash MODERATE */
#define COUNCIL__KDF_MEMLIMIT_DEFAULT 268435456u /* crypto_pwhash MODERATE */
int council__kdf_cost(council *c, const char *op, uint64_t *ops, uint64_t *mem);

#define COUNCIL__KEY_BYTES 32
#define COUNCIL__NONCE_BYTES 24
#define COUNCIL__TAG_BYTES 16
#define COUNCIL__SALT_BYTES 16
#define COUNCIL__SIGN_PK_BYTES 32
#define COUNCIL__SIGN_SK_BYTES 64

/* crypto_kdf contexts (8 bytes) of the subkeys of the root key. */
#define COUNCIL__CTX_DATABASE "cncl-db_"
#define COUNCIL__CTX_LOGWRAP  "cncl-lgw"
#define COUNCIL__CTX_PSEUDONYM "cncl-psn"
#define COUNCIL__CTX_JOURNAL   "cncl-jnl"
#define COUNCIL__CTX_COORD     "cncl-cwk"  /* coordinating body's wrap key pair */
#define COUNCIL__CTX_SECRETS   "cncl-sec"  /* wraps the council's stored secrets */
#define COUNCIL__CTX_PENDING   "cncl-pdb"  /* wraps the old database key during a re-key */

int council__kdf(council *c, uint8_t *out, size_t out_len,
                 const council__secret *root, uint64_t id, const char ctx[8]);

/* XChaCha20-Poly1305-IETF with range checks before libsodium. */
int council__aead_seal(council *c, uint8_t *ct, size_t ct_len,
                       const uint8_t *pt, size_t pt_len,
                       const uint8_t *ad, size_t ad_len,
                       const uint8_t nonce[COUNCIL__NONCE_BYTES],
                       const uint8_t *key);
/* Returns COUNCIL_EAUTH (and wipes pt) when the tag does not verify. */
int council__aead_open(council *c, uint8_t *pt, size_t pt_len,
                       const uint8_t *ct, size_t ct_len,
                       const uint8_t *ad, size_t ad_len,
                       const uint8_t nonce[COUNCIL__NONCE_BYTES],
                       const uint8_t *key);

/* Issue 17, wraps: the key of a wrap of format 2 (casekey.c, wrap.c):
 *     BLAKE2b-256(X25519(sk, peer) || epk || rpk), personal "council/wrap/v2"
 * where epk is the sender's ephemeral key and rpk the recipient's box key
 * (the sender passes its ephemeral secret and rpk as peer, the recipient
 * its own secret and epk). -1 (k wiped) when the agreement fails (a
 * low-order point). */
int council__wrap_agree(uint8_t k[32], const uint8_t sk[32], const uint8_t peer[32],
                        const uint8_t epk[32], const uint8_t rpk[32]);

int council__argon2id(council *c, uint8_t *out, size_t out_len,
                      const uint8_t *pass, size_t pass_len,
                      const uint8_t salt[COUNCIL__SALT_BYTES],
                      uint64_t opslimit, uint64_t memlimit);

/* Big-endian writers for associated data; each returns the end written. */
uint8_t *council__put_u32(uint8_t *p, uint32_t v);
uint8_t *council__put_u64(uint8_t *p, uint64_t v);
uint8_t *council__put_bytes(uint8_t *p, const void *src, size_t n);

/* Random v4 UUID and its lower-case text form (37 bytes with NUL). */
void council__uuid_random(uint8_t out[COUNCIL_ID_BYTES]);
void council__uuid_text(char out[37], const uint8_t id[COUNCIL_ID_BYTES]);

/* A message serialised into out (crypto.c), for the listing calls. */
struct ProtobufCMessage;
int council__pack_out(council *c, const char *op, council_buf *out,
                      const struct ProtobufCMessage *m);


#endif /* COUNCIL_CRYPTO_H */
