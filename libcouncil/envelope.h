/*
 * envelope.h - the bundle file: build, parse, verify and open (pure).
 *
 * A bundle is, byte for byte (doc/bundle-format.md):
 *
 *   "LCBUNDLE"                 8 bytes, the magic
 *   format                     u16 big-endian, 1
 *   header length H            u32 big-endian, 1..COUNCIL__ENV_HEADER_MAX
 *   header                     H bytes, a council.v1.BundleHeader
 *   sealed length S            u32 big-endian, crypto_box_SEALBYTES+1..
 *   sealed payload             S bytes, crypto_box_seal of a BundlePayload
 *                              to the header's recipient_box_key
 *   signature                  64 bytes, Ed25519 by the header's sender key
 *                              over "libcouncil bundle v1" NUL and every
 *                              byte before the signature
 *
 * Nothing is unsealed before the caller has checked the signature against
 * the key it pins for the sender, the recipient, the expiry and replay.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_ENVELOPE_H
#define COUNCIL_ENVELOPE_H

#include "council_int.h"
#include "council/v1/bundle.pb-c.h"

#define COUNCIL__ENV_MAGIC "LCBUNDLE"
#define COUNCIL__ENV_MAGIC_LEN 8
#define COUNCIL__ENV_FORMAT 1u
#define COUNCIL__ENV_FRAME (8 + 2 + 4 + 4 + 64) /* bytes besides header and sealed */
#define COUNCIL__ENV_HEADER_MAX 4096u
/* The payload's serialised size at most; the whole bundle is capped at
 * COUNCIL_BUNDLE_MAX (council.h) before anything is read. */
#define COUNCIL__ENV_PAYLOAD_MAX (16u * 1024u * 1024u)
#define COUNCIL__ENV_NONCE_BYTES 16
#define COUNCIL__ENV_HASH_BYTES 32
/* A created time further than this in the future is refused (clock skew). */
#define COUNCIL__ENV_SKEW 300

/* A parsed bundle: pointers into the caller's bytes, which must outlive it. */
typedef struct council__envelope {
    Council__V1__BundleHeader *h; /* unpacked; council__envelope_free */
    const uint8_t *signed_part;   /* every byte before the signature */
    size_t signed_len;
    const uint8_t *sealed;
    size_t sealed_len;
    const uint8_t *sig;           /* 64 bytes */
    uint8_t hash[COUNCIL__ENV_HASH_BYTES]; /* SHA-256 of the whole bundle */
} council__envelope;

/*
 * Seal and sign a bundle into *out (council__malloc'd; council_buf_free).
 * h is complete but for what this fills in: format_version, nonce (16
 * random bytes, into h->nonce, which must point at nonce_buf[16] the caller
 * owns) and created when 0. p's nonce is set to the header's and its
 * content case must match h->type. sign_sk is the sender's 64-byte Ed25519
 * secret key; its public half must be h->sender_sign_key. hash (may be
 * NULL) receives the bundle's SHA-256. COUNCIL_OK, COUNCIL_EINVAL (a field
 * out of range), COUNCIL_ELIMIT (header or payload too large),
 * COUNCIL_ENOMEM or COUNCIL_ERROR.
 */
int council__envelope_build(council *c, const char *op, council_buf *out,
                            Council__V1__BundleHeader *h, uint8_t nonce_buf[16],
                            Council__V1__BundlePayload *p, const council__secret *sign_sk,
                            uint8_t hash[COUNCIL__ENV_HASH_BYTES]);

/*
 * Parse the frame and the clear header, checking every length before it is
 * read: COUNCIL_ELIMIT (larger than COUNCIL_BUNDLE_MAX, or a header or
 * sealed length beyond its cap), COUNCIL_EFORMAT (not a bundle, truncated,
 * trailing bytes, a header that does not parse or a field of the wrong
 * size or an unknown type), COUNCIL_EUNSUPPORTED (another format version),
 * COUNCIL_ENOMEM. Checks no signature and no time.
 */
int council__envelope_parse(council *c, const char *op, council__envelope *e,
                            const uint8_t *data, size_t len);

/* Check the signature with the key the caller trusts for the sender: the
 * header's sender_sign_key must equal pinned_pk (else COUNCIL_ESENDER) and
 * the signature must verify (else COUNCIL_ESIGNATURE). pinned_pk NULL: the
 * header's own key (bundle inspect: integrity, not trust). */
int council__envelope_verify(council *c, const char *op, const council__envelope *e,
                             const uint8_t *pinned_pk);

/* COUNCIL_EEXPIRED when now >= expires, COUNCIL_EFORMAT when created is
 * after expires, more than COUNCIL__ENV_SKEW seconds in the future, or the
 * lifetime is longer than COUNCIL_BUNDLE_TTL_MAX (and the skew). */
int council__envelope_check_time(council *c, const char *op, const council__envelope *e,
                                 int64_t now);

/*
 * Unseal the payload with the recipient's key pair: the header must name
 * box_pk as recipient_box_key (COUNCIL_ERECIPIENT), the seal must open
 * (COUNCIL_EAUTH), the payload must parse, carry the header's nonce
 * (COUNCIL_ETAMPER) and the content the header's type names
 * (COUNCIL_EFORMAT). *out is unpacked with the wiping allocator: free it
 * with council__envelope_payload_free.
 */
int council__envelope_open(council *c, const char *op, const council__envelope *e,
                           const uint8_t box_pk[32], const council__secret *box_sk,
                           Council__V1__BundlePayload **out);
void council__envelope_payload_free(Council__V1__BundlePayload *p);
void council__envelope_free(council__envelope *e);

/* The content case a bundle type carries (0 for none). */
int council__envelope_content_for(int type);
/* A bundle type's name ("case_sections", ...), or NULL. */
const char *council__envelope_type_name(int type);

#endif /* COUNCIL_ENVELOPE_H */
