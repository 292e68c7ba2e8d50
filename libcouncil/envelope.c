/*
 * envelope.c - the bundle file: build, parse, verify and open (pure).
 * The layout is in envelope.h and doc/bundle-format.md.
 */
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "crypto.h"
#include "envelope.h"

static const char sig_context[] = "libcouncil bundle v1"; /* signed with its NUL */

static uint32_t get_u32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint8_t *put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
    return p + 2;
}

int council__envelope_content_for(int type)
{
    switch (type) {
    case COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_CASE_SECTIONS:
        return COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CASE_SECTIONS;
    case COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_MEETING_PACKET:
        return COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_MEETING_PACKET;
    case COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_REFERRAL:
        return COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REFERRAL;
    case COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_REQUEST:
        return COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REQUEST;
    case COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_ANSWER:
        return COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_ANSWER;
    case COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_CONSENT:
        return COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CONSENT;
    case COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_REVOCATION:
        return COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REVOCATION;
    case COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_CHECKPOINT:
        return COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CHECKPOINT;
    case COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_COSIGNATURE:
        return COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_COSIGNATURE;
    case COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_INTAKE:
        return COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_INTAKE;
    default:
        return 0;
    }
}

const char *council__envelope_type_name(int type)
{
    static const char *const names[] = {
        NULL, "case_sections", "meeting_packet", "referral", "request", "answer",
        "consent", "revocation", "checkpoint", "cosignature", "intake",
    };

    if (type <= 0 || (size_t)type >= sizeof names / sizeof names[0])
        return NULL;
    return names[type];
}

static bool party_ok(int kind)
{
    return kind == COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_COUNCIL ||
           kind == COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_MEMBER;
}

/* The header's fields have the sizes and values the format allows. */
static bool header_ok(const Council__V1__BundleHeader *h)
{
    return h->council_id.len == COUNCIL_ID_BYTES && party_ok(h->sender_kind) &&
           h->sender_id.len == COUNCIL_ID_BYTES && h->sender_sign_key.len == 32 &&
           party_ok(h->recipient_kind) && h->recipient_id.len == COUNCIL_ID_BYTES &&
           h->recipient_box_key.len == 32 && h->nonce.len == COUNCIL__ENV_NONCE_BYTES &&
           council__envelope_content_for(h->type) != 0 &&
           (!h->has_reply_box_key || h->reply_box_key.len == 32) && h->created > 0 &&
           h->expires > 0;
}

/* ------------------------------------------------------------------ build */

int council__envelope_build(council *c, const char *op, council_buf *out,
                            Council__V1__BundleHeader *h, uint8_t nonce_buf[16],
                            Council__V1__BundlePayload *p, const council__secret *sign_sk,
                            uint8_t hash[COUNCIL__ENV_HASH_BYTES])
{
    uint8_t *plain = NULL, *file = NULL, *w;
    size_t hlen, plen, slen, total;
    int rc = COUNCIL_OK;

    out->ptr = NULL;
    out->len = 0;
    if (sign_sk == NULL || sign_sk->len != crypto_sign_SECRETKEYBYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: no signing key", op);
    randombytes_buf(nonce_buf, COUNCIL__ENV_NONCE_BYTES);
    h->format_version = COUNCIL__ENV_FORMAT;
    h->nonce.data = nonce_buf;
    h->nonce.len = COUNCIL__ENV_NONCE_BYTES;
    if (h->created == 0)
        h->created = (int64_t)time(NULL);
    p->nonce = h->nonce;
    if (!header_ok(h) || h->expires <= h->created ||
        (int)p->content_case != council__envelope_content_for(h->type))
        return council__fail(c, COUNCIL_EINVAL, "%s: bundle header incomplete or inconsistent",
                             op);
    hlen = council__v1__bundle_header__get_packed_size(h);
    plen = council__v1__bundle_payload__get_packed_size(p);
    if (hlen == 0 || hlen > COUNCIL__ENV_HEADER_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "%s: bundle header over %u bytes", op,
                             COUNCIL__ENV_HEADER_MAX);
    if (plen > COUNCIL__ENV_PAYLOAD_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "%s: bundle content over %u bytes", op,
                             COUNCIL__ENV_PAYLOAD_MAX);
    slen = plen + crypto_box_SEALBYTES;
    total = COUNCIL__ENV_FRAME + hlen + slen;
    plain = council__sodium_malloc(plen);
    file = council__malloc(total);
    if (plain == NULL || file == NULL) {
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        goto done;
    }
    (void)council__v1__bundle_payload__pack(p, plain);
    w = council__put_bytes(file, COUNCIL__ENV_MAGIC, COUNCIL__ENV_MAGIC_LEN);
    w = put_u16(w, (uint16_t)COUNCIL__ENV_FORMAT);
    w = council__put_u32(w, (uint32_t)hlen);
    w += council__v1__bundle_header__pack(h, w);
    w = council__put_u32(w, (uint32_t)slen);
    if (crypto_box_seal(w, plain, plen, h->recipient_box_key.data) != 0) {
        rc = council__fail(c, COUNCIL_ERROR, "%s: cannot seal the bundle", op);
        goto done;
    }
    w += slen;
    {
        crypto_sign_state st;
        council__secret_read(sign_sk);
        if (memcmp(sign_sk->p + 32, h->sender_sign_key.data, 32) != 0) {
            council__secret_lock(sign_sk);
            rc = council__fail(c, COUNCIL_EINVAL, "%s: the signing key is not the sender's", op);
            goto done;
        }
        crypto_sign_init(&st);
        crypto_sign_update(&st, (const uint8_t *)sig_context, sizeof sig_context);
        crypto_sign_update(&st, file, (size_t)(w - file));
        rc = crypto_sign_final_create(&st, w, NULL, sign_sk->p) == 0 ? COUNCIL_OK
                                                                     : COUNCIL_ERROR;
        council__secret_lock(sign_sk);
        sodium_memzero(&st, sizeof st);
        if (rc != COUNCIL_OK) {
            rc = council__fail(c, rc, "%s: cannot sign the bundle", op);
            goto done;
        }
    }
    if (hash != NULL)
        crypto_hash_sha256(hash, file, total);
    out->ptr = file;
    out->len = total;
    file = NULL;
done:
    if (plain != NULL)
        sodium_free(plain); /* wipes */
    council__free(file);
    return rc;
}

/* ------------------------------------------------------------------ parse */

int council__envelope_parse(council *c, const char *op, council__envelope *e,
                            const uint8_t *data, size_t len)
{
    size_t hlen, slen;

    memset(e, 0, sizeof *e);
    if (data == NULL && len > 0)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL bundle", op);
    if (len > COUNCIL_BUNDLE_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "%s: bundle over %u bytes", op,
                             (unsigned)COUNCIL_BUNDLE_MAX);
    if (len < COUNCIL__ENV_MAGIC_LEN ||
        memcmp(data, COUNCIL__ENV_MAGIC, COUNCIL__ENV_MAGIC_LEN) != 0)
        return council__fail(c, COUNCIL_EFORMAT, "%s: not a libcouncil bundle", op);
    if (len < COUNCIL__ENV_MAGIC_LEN + 2)
        return council__fail(c, COUNCIL_EFORMAT, "%s: bundle truncated", op);
    if (((unsigned)data[8] << 8 | data[9]) != COUNCIL__ENV_FORMAT)
        return council__fail(c, COUNCIL_EUNSUPPORTED,
                             "%s: bundle format %u; this library reads format %u", op,
                             (unsigned)data[8] << 8 | data[9], COUNCIL__ENV_FORMAT);
    if (len < COUNCIL__ENV_FRAME)
        return council__fail(c, COUNCIL_EFORMAT, "%s: bundle truncated", op);
    hlen = get_u32(data + 10);
    if (hlen == 0 || hlen > COUNCIL__ENV_HEADER_MAX)
        return council__fail(c, COUNCIL_EFORMAT, "%s: bundle header length out of range", op);
    if (hlen > len - COUNCIL__ENV_FRAME)
        return council__fail(c, COUNCIL_EFORMAT, "%s: bundle truncated", op);
    slen = get_u32(data + 14 + hlen);
    if (slen <= crypto_box_SEALBYTES || slen > COUNCIL__ENV_PAYLOAD_MAX + crypto_box_SEALBYTES)
        return council__fail(c, COUNCIL_EFORMAT, "%s: sealed length out of range", op);
    if (slen != len - COUNCIL__ENV_FRAME - hlen)
        return council__fail(c, COUNCIL_EFORMAT, "%s: bundle truncated or with trailing bytes",
                             op);
    e->h = council__v1__bundle_header__unpack(council__pb_allocator(), hlen, data + 14);
    if (e->h == NULL) {
        if (council__pb_alloc_failed(true))
            return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        return council__fail(c, COUNCIL_EFORMAT, "%s: bundle header does not parse", op);
    }
    if (e->h->format_version != COUNCIL__ENV_FORMAT) {
        unsigned v = e->h->format_version;
        council__envelope_free(e);
        return council__fail(c, COUNCIL_EUNSUPPORTED,
                             "%s: bundle header version %u; this library reads %u", op, v,
                             COUNCIL__ENV_FORMAT);
    }
    if (!header_ok(e->h)) {
        council__envelope_free(e);
        return council__fail(c, COUNCIL_EFORMAT, "%s: bundle header field out of range", op);
    }
    e->sealed = data + 18 + hlen;
    e->sealed_len = slen;
    e->signed_part = data;
    e->signed_len = len - 64;
    e->sig = data + len - 64;
    crypto_hash_sha256(e->hash, data, len);
    return COUNCIL_OK;
}

int council__envelope_verify(council *c, const char *op, const council__envelope *e,
                             const uint8_t *pinned_pk)
{
    crypto_sign_state st;
    const uint8_t *pk = e->h->sender_sign_key.data;

    if (pinned_pk != NULL && sodium_memcmp(pinned_pk, pk, 32) != 0)
        return council__fail(c, COUNCIL_ESENDER,
                             "%s: the bundle is signed by a key this store does not trust "
                             "for its sender", op);
    crypto_sign_init(&st);
    crypto_sign_update(&st, (const uint8_t *)sig_context, sizeof sig_context);
    crypto_sign_update(&st, e->signed_part, e->signed_len);
    if (crypto_sign_final_verify(&st, e->sig, pk) != 0)
        return council__fail(c, COUNCIL_ESIGNATURE,
                             "%s: the bundle's signature does not verify (altered, or "
                             "parts of two bundles)", op);
    return COUNCIL_OK;
}

int council__envelope_check_time(council *c, const char *op, const council__envelope *e,
                                 int64_t now)
{
    if (e->h->created >= e->h->expires || e->h->created > now + COUNCIL__ENV_SKEW ||
        e->h->expires - e->h->created > (int64_t)COUNCIL_BUNDLE_TTL_MAX + COUNCIL__ENV_SKEW)
        return council__fail(c, COUNCIL_EFORMAT,
                             "%s: the bundle's creation time is after its expiry, in the future, "
                             "or more than 366 days before it", op);
    if (now >= e->h->expires)
        return council__fail(c, COUNCIL_EEXPIRED,
                             "%s: the bundle expired; ask the sender for a new one", op);
    return COUNCIL_OK;
}

/* ------------------------------------------------------------------- open */

int council__envelope_open(council *c, const char *op, const council__envelope *e,
                           const uint8_t box_pk[32], const council__secret *box_sk,
                           Council__V1__BundlePayload **out)
{
    Council__V1__BundlePayload *p;
    uint8_t *plain;
    size_t plen;
    int rc;

    *out = NULL;
    if (sodium_memcmp(e->h->recipient_box_key.data, box_pk, 32) != 0)
        return council__fail(c, COUNCIL_ERECIPIENT,
                             "%s: the bundle is sealed to another key", op);
    if (box_sk == NULL || box_sk->len != crypto_box_SECRETKEYBYTES ||
        e->sealed_len <= crypto_box_SEALBYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: no key to open the bundle", op);
    plen = e->sealed_len - crypto_box_SEALBYTES;
    plain = council__sodium_malloc(plen);
    if (plain == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    council__secret_read(box_sk);
    rc = crypto_box_seal_open(plain, e->sealed, e->sealed_len, box_pk, box_sk->p);
    council__secret_lock(box_sk);
    if (rc != 0) {
        sodium_free(plain);
        return council__fail(c, COUNCIL_EAUTH, "%s: the bundle's payload does not open", op);
    }
    p = council__v1__bundle_payload__unpack(council__pb_wiping_allocator(), plen, plain);
    sodium_free(plain);
    if (p == NULL) {
        if (council__pb_alloc_failed(true))
            return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        return council__fail(c, COUNCIL_EFORMAT, "%s: the bundle's payload does not parse", op);
    }
    if (p->nonce.len != COUNCIL__ENV_NONCE_BYTES ||
        sodium_memcmp(p->nonce.data, e->h->nonce.data, COUNCIL__ENV_NONCE_BYTES) != 0) {
        council__envelope_payload_free(p);
        return council__fail(c, COUNCIL_ETAMPER,
                             "%s: the payload belongs to another bundle's header", op);
    }
    if ((int)p->content_case != council__envelope_content_for(e->h->type)) {
        council__envelope_payload_free(p);
        return council__fail(c, COUNCIL_EFORMAT,
                             "%s: the payload is not what the header's type says", op);
    }
    *out = p;
    return COUNCIL_OK;
}

void council__envelope_payload_free(Council__V1__BundlePayload *p)
{
    if (p != NULL)
        council__v1__bundle_payload__free_unpacked(p, council__pb_wiping_allocator());
}

void council__envelope_free(council__envelope *e)
{
    if (e->h != NULL)
        council__v1__bundle_header__free_unpacked(e->h, council__pb_allocator());
    e->h = NULL;
}
