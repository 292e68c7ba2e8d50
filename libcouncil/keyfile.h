/*
 * keyfile.h - member key pairs and the member keyfile (storage).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_KEYFILE_H
#define COUNCIL_KEYFILE_H

#include "council_int.h"

/* A member's key pairs: X25519 (sealed boxes: wrapped data keys, bundles)
 * and Ed25519 (signatures, cosignatures). Secret halves in secure memory. */
typedef struct council__member_keys {
    uint8_t member_id[COUNCIL_ID_BYTES];
    uint8_t box_pk[32];
    uint8_t sign_pk[32];
    council__secret box_sk;   /* 32 bytes */
    council__secret sign_sk;  /* 64 bytes */
} council__member_keys;

/* What a keyfile says in clear (no secret): for listings and the fuzzer. */
typedef struct council__keyfile_info {
    uint32_t format_version;
    uint8_t council_id[COUNCIL_ID_BYTES];
    uint8_t member_id[COUNCIL_ID_BYTES];
    uint8_t box_pk[32];
    uint8_t sign_pk[32];
    uint64_t opslimit;
    uint64_t memlimit;
    bool has_log_pk;            /* the council's log key pinned at issue */
    uint8_t log_pk[32];
} council__keyfile_info;

#define COUNCIL__KEYFILE_MAX 4096 /* bytes of a member keyfile we accept */

/* Fresh key pairs for member_id (keys allocated; free with _free). */
int council__member_keys_generate(council *c, council__member_keys *k,
                                  const uint8_t member_id[COUNCIL_ID_BYTES]);
void council__member_keys_free(council__member_keys *k);
/* The keyfile bytes: k's secret keys wrapped (XChaCha20-Poly1305) under
 * Argon2id(pass) (ops/mem 0: MODERATE), bound to council_id, member_id and
 * both public keys. EINVAL for keys that do not match their public keys, a
 * bad passphrase length or cost; ENOMEM. */
int council__keyfile_write(council *c, council_buf *out, const council__member_keys *k,
                           const uint8_t council_id[COUNCIL_ID_BYTES],
                           const uint8_t *pass, size_t pass_len, uint64_t ops, uint64_t mem);
/* The same, pinning the council's log public key (log_pk, 32 bytes) in
 * the file, authenticated with the wrap. */
int council__keyfile_write_pinned(council *c, council_buf *out, const council__member_keys *k,
                                  const uint8_t council_id[COUNCIL_ID_BYTES], const uint8_t *log_pk,
                                  const uint8_t *pass, size_t pass_len, uint64_t ops, uint64_t mem);
/* Parse and check without a passphrase: EFORMAT for damaged or foreign
 * bytes, EUNSUPPORTED for a newer format. Touches no secret. */
int council__keyfile_parse(council *c, council__keyfile_info *info, const uint8_t *buf, size_t len);
/* Parse and unwrap: EAUTH for a wrong passphrase; EFORMAT if the secret
 * keys do not belong to the public keys in the file (or the file is
 * damaged); EUNSUPPORTED for a newer format; EINVAL for a bad passphrase
 * length or NULL k; ENOMEM. k is allocated here and wiped and freed on
 * failure; council__member_keys_free is safe either way. */
int council__keyfile_open(council *c, council__member_keys *k, council__keyfile_info *info,
                          const uint8_t *buf, size_t len, const uint8_t *pass, size_t pass_len);

#endif /* COUNCIL_KEYFILE_H */
