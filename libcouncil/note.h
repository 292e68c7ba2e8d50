/*
 * note.h - C2SP signed notes, checkpoints and cosignatures (pure).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_NOTE_H
#define COUNCIL_NOTE_H

#include "council_int.h"
#include "crypto.h"

/* C2SP signed notes (c2sp.org/signed-note), checkpoints
 * (c2sp.org/tlog-checkpoint) and cosignatures (c2sp.org/tlog-cosignature). */
#define COUNCIL__NOTE_MAX 16384       /* bytes of a note we accept */
#define COUNCIL__NOTE_SIGS_MAX 64     /* signature lines */
#define COUNCIL__KEYNAME_MAX 255
#define COUNCIL__SIG_ED25519 0x01     /* note signature type */
#define COUNCIL__SIG_COSIGN 0x04      /* cosignature/v1 type */

typedef struct council__vkey {
    char name[COUNCIL__KEYNAME_MAX + 1];
    uint8_t type;
    uint8_t keyid[4];
    uint8_t pk[COUNCIL__SIGN_PK_BYTES];
} council__vkey;

typedef struct council__checkpoint {
    char origin[COUNCIL__KEYNAME_MAX + 1];
    uint64_t size;
    uint8_t root[COUNCIL_HASH_BYTES];
    size_t body_len; /* bytes of the note body, final newline included */
} council__checkpoint;

/* The log's origin line and key name: "libcouncil/<council uuid>". */
#define COUNCIL__ORIGIN_MAX 64
void council__log_origin(char out[COUNCIL__ORIGIN_MAX], const uint8_t id[COUNCIL_ID_BYTES]);
/* The verifier key of the log with that id and Ed25519 public key: name
 * the log's origin, type 0x01, its key id. */
void council__log_vkey(council__vkey *vk, const uint8_t id[COUNCIL_ID_BYTES],
                       const uint8_t pk[COUNCIL__SIGN_PK_BYTES]);

/* Only base64 digits and '=' (checked before libsodium's decoder, which in
 * 1.0.18 takes every byte from 0x80 up for a digit). */
bool council__b64_text_ok(const char *s, size_t n);
/* SHA-256(name || "\n" || type || pk)[0:4] */
void council__keyid(uint8_t out[4], const char *name, uint8_t type,
                    const uint8_t pk[COUNCIL__SIGN_PK_BYTES]);
/* "name+keyid-hex+base64(type || pk)" */
int council__vkey_format(char *out, size_t out_len, const char *name, uint8_t type,
                         const uint8_t pk[COUNCIL__SIGN_PK_BYTES]);
/* EFORMAT for anything malformed, including a key id that does not match. */
int council__vkey_parse(council__vkey *out, const char *text, size_t len);

/* The checkpoint body: origin, size and base64 root, one per line. */
int council__checkpoint_body(char *out, size_t cap, size_t *len, const char *origin,
                             uint64_t size, const uint8_t root[COUNCIL_HASH_BYTES]);
/* Parse the body of a note as a checkpoint (signatures are not checked). */
int council__checkpoint_parse(council__checkpoint *cp, const char *note, size_t len);
/* body || "\n" || "— name base64(keyid || sig)\n" signed by an Ed25519 key. */
int council__note_sign(council_buf *out, const char *body, size_t body_len, const char *name,
                       const council__secret *sk, const uint8_t pk[COUNCIL__SIGN_PK_BYTES]);
/* COUNCIL_OK when the note carries a valid signature by `log` (type 0x01);
 * *cosigs receives the number of distinct `witnesses` (type 0x04) with a
 * valid cosignature. ETAMPER when the log signature is missing or bad,
 * EFORMAT when the note is malformed. */
int council__note_verify(const char *note, size_t len, const council__vkey *log,
                         const council__vkey *witnesses, size_t n_witnesses, size_t *cosigs);
/* Append a cosignature/v1 line by the witness key to a signed note. */
int council__note_cosign(council_buf *out, const char *note, size_t len, const char *name,
                         const uint8_t sk[COUNCIL__SIGN_SK_BYTES], uint64_t timestamp);

#endif /* COUNCIL_NOTE_H */
