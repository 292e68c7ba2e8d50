/*
 * keyfile.c - member key pairs and the member keyfile (format:
 * proto/council/v1/keyfile.proto).
 *
 * The keyfile is framed like the keyring (council__framed_*, keyring.c):
 * its size is capped, the checksum is checked before protobuf sees a byte,
 * and every field is checked before it reaches libsodium, the Argon2id cost
 * before any derivation runs. Damage gives EFORMAT; only the authenticated
 * unwrap can give EAUTH. Secret keys live only in council__secret memory,
 * locked between uses; stack copies are wiped on every path.
 */
#include <string.h>

#include <sodium.h>

#include "council/v1/keyfile.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "keyfile.h"
#include "keyring.h"

#define KEYFILE_FORMAT 1u
#define BOX_KEY_BYTES 32u
#define SECRETS_BYTES (BOX_KEY_BYTES + COUNCIL__SIGN_SK_BYTES)  /* box_sk || sign_sk */
#define WRAP_BYTES (SECRETS_BYTES + COUNCIL__TAG_BYTES)

_Static_assert(crypto_box_PUBLICKEYBYTES == BOX_KEY_BYTES &&
               crypto_box_SECRETKEYBYTES == BOX_KEY_BYTES &&
               crypto_scalarmult_BYTES == BOX_KEY_BYTES &&
               crypto_scalarmult_SCALARBYTES == BOX_KEY_BYTES, "X25519 key sizes");
_Static_assert(crypto_sign_ed25519_PUBLICKEYBYTES == COUNCIL__SIGN_PK_BYTES &&
               crypto_sign_ed25519_SECRETKEYBYTES == COUNCIL__SIGN_SK_BYTES &&
               crypto_sign_ed25519_SEEDBYTES == 32, "Ed25519 key sizes");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == COUNCIL__TAG_BYTES &&
               crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == COUNCIL__NONCE_BYTES &&
               crypto_aead_xchacha20poly1305_ietf_KEYBYTES == COUNCIL__KEY_BYTES,
               "XChaCha20-Poly1305 sizes");

/* Not the keyring's magic ("\x89CKR..."): neither file passes for the other. */
static const uint8_t keyfile_magic[COUNCIL__KEYRING_MAGIC_BYTES] =
    { 0x89, 'C', 'M', 'K', '\r', '\n', 0x1a, '\n' };

static const char ad_label[] = "council/keyfile/v1"; /* NUL included */

/* The file as plain C: what it holds, checked. */
typedef struct keyfile {
    council__keyfile_info info;
    uint8_t kdf_salt[COUNCIL__SALT_BYTES];
    uint8_t nonce[COUNCIL__NONCE_BYTES];
    uint8_t ct[WRAP_BYTES];
} keyfile;


#define AD_BYTES (sizeof ad_label + 4 + 2 * COUNCIL_ID_BYTES + 4 + 8 + 8 + \
                  COUNCIL__SALT_BYTES + BOX_KEY_BYTES + COUNCIL__SIGN_PK_BYTES + 32)

/* The associated data of the wrap, as keyfile.proto lays it out. */
static size_t ad_make(uint8_t ad[AD_BYTES], const keyfile *kf)
{
    uint8_t *p = ad;

    p = council__put_bytes(p, ad_label, sizeof ad_label);
    p = council__put_u32(p, kf->info.format_version);
    p = council__put_bytes(p, kf->info.council_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, kf->info.member_id, COUNCIL_ID_BYTES);
    p = council__put_u32(p, (uint32_t)COUNCIL__V1__KDF_PARAMS__ALGORITHM__ALGORITHM_ARGON2ID13);
    p = council__put_u64(p, kf->info.opslimit);
    p = council__put_u64(p, kf->info.memlimit);
    p = council__put_bytes(p, kf->kdf_salt, COUNCIL__SALT_BYTES);
    p = council__put_bytes(p, kf->info.box_pk, BOX_KEY_BYTES);
    p = council__put_bytes(p, kf->info.sign_pk, COUNCIL__SIGN_PK_BYTES);
    if (kf->info.has_log_pk)
        p = council__put_bytes(p, kf->info.log_pk, 32);
    return (size_t)(p - ad);
}

/* -------------------------------------------------------------- key pairs */

/* Do the secret keys belong to the public keys? The X25519 public key must
 * be the base point times box_sk; the Ed25519 secret key must be exactly
 * what its seed expands to (so its embedded public key is right too), and
 * that public key sign_pk. Every comparison runs; nothing short-circuits. */
static bool pairs_match(const uint8_t box_sk[BOX_KEY_BYTES],
                        const uint8_t sign_sk[COUNCIL__SIGN_SK_BYTES],
                        const uint8_t box_pk[BOX_KEY_BYTES],
                        const uint8_t sign_pk[COUNCIL__SIGN_PK_BYTES])
{
    uint8_t pk[BOX_KEY_BYTES], spk[COUNCIL__SIGN_PK_BYTES];
    uint8_t seed[crypto_sign_ed25519_SEEDBYTES], ssk[COUNCIL__SIGN_SK_BYTES];
    int bad = 0;

    bad |= crypto_scalarmult_base(pk, box_sk) != 0;
    bad |= sodium_memcmp(pk, box_pk, sizeof pk) != 0;
    bad |= crypto_sign_ed25519_sk_to_seed(seed, sign_sk) != 0;
    bad |= crypto_sign_ed25519_seed_keypair(spk, ssk, seed) != 0;
    bad |= sodium_memcmp(spk, sign_pk, sizeof spk) != 0;
    bad |= sodium_memcmp(ssk, sign_sk, sizeof ssk) != 0;
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(ssk, sizeof ssk);
    sodium_memzero(pk, sizeof pk);
    sodium_memzero(spk, sizeof spk);
    return bad == 0;
}

static bool secret_ok(const council__secret *s, size_t len)
{
    return s->p != NULL && s->len == len;
}

int council__member_keys_generate(council *c, council__member_keys *k,
                                  const uint8_t member_id[COUNCIL_ID_BYTES])
{
    int rc;

    if (k == NULL || member_id == NULL)
        return council__fail(c, COUNCIL_EINVAL, "member keys: NULL argument");
    memset(k, 0, sizeof *k);
    if ((rc = council__secret_alloc(&k->box_sk, BOX_KEY_BYTES)) != COUNCIL_OK ||
        (rc = council__secret_alloc(&k->sign_sk, COUNCIL__SIGN_SK_BYTES)) != COUNCIL_OK) {
        council__member_keys_free(k);
        return council__fail(c, rc, "member keys: out of secure memory");
    }
    if (crypto_box_keypair(k->box_pk, k->box_sk.p) != 0 ||
        crypto_sign_ed25519_keypair(k->sign_pk, k->sign_sk.p) != 0) {
        council__member_keys_free(k);
        return council__fail(c, COUNCIL_ERROR, "member keys: key generation failed");
    }
    council__secret_lock(&k->box_sk);
    council__secret_lock(&k->sign_sk);
    memcpy(k->member_id, member_id, COUNCIL_ID_BYTES);
    return COUNCIL_OK;
}

void council__member_keys_free(council__member_keys *k)
{
    if (k == NULL)
        return;
    council__secret_free(&k->box_sk);  /* wipes, whatever the protection */
    council__secret_free(&k->sign_sk);
    sodium_memzero(k, sizeof *k);
}

/* ---------------------------------------------------------------- parsing */

static bool bytes_ok(const ProtobufCBinaryData *b, size_t want)
{
    return b->len == want && b->data != NULL;
}

/* Check the message and copy it into *out (untouched on failure). */
static int keyfile_from_msg(council *c, keyfile *out, const Council__V1__MemberKeyfile *m)
{
    const Council__V1__KdfParams *kdf = m->kdf;
    const Council__V1__WrappedKey *w = m->secret_keys;
    keyfile tmp;

    /* The version first: a newer format may well have fields we don't know. */
    if (m->format_version == 0)
        return council__fail(c, COUNCIL_EFORMAT, "keyfile: format version 0");
    if (m->format_version > KEYFILE_FORMAT)
        return council__fail(c, COUNCIL_EUNSUPPORTED,
                             "keyfile: format version %u is newer than this library (%u)",
                             m->format_version, KEYFILE_FORMAT);
    if (kdf == NULL || w == NULL)
        return council__fail(c, COUNCIL_EFORMAT, "keyfile: KDF parameters or key wrap missing");
    if (m->base.n_unknown_fields != 0 || kdf->base.n_unknown_fields != 0 ||
        w->base.n_unknown_fields != 0)
        return council__fail(c, COUNCIL_EFORMAT, "keyfile: unknown fields");
    if (!bytes_ok(&m->council_id, COUNCIL_ID_BYTES) ||
        !bytes_ok(&m->member_id, COUNCIL_ID_BYTES) ||
        !bytes_ok(&m->box_public_key, BOX_KEY_BYTES) ||
        !bytes_ok(&m->sign_public_key, COUNCIL__SIGN_PK_BYTES))
        return council__fail(c, COUNCIL_EFORMAT, "keyfile: field of wrong length");
    if (kdf->algorithm != COUNCIL__V1__KDF_PARAMS__ALGORITHM__ALGORITHM_ARGON2ID13)
        return council__fail(c, COUNCIL_EFORMAT, "keyfile: unknown KDF algorithm %d",
                             (int)kdf->algorithm);
    if (kdf->opslimit < COUNCIL_KDF_OPSLIMIT_MIN || kdf->opslimit > COUNCIL_KDF_OPSLIMIT_MAX ||
        kdf->memlimit < COUNCIL_KDF_MEMLIMIT_MIN || kdf->memlimit > COUNCIL_KDF_MEMLIMIT_MAX)
        return council__fail(c, COUNCIL_EFORMAT, "keyfile: KDF cost out of range");
    if (!bytes_ok(&kdf->salt, COUNCIL__SALT_BYTES))
        return council__fail(c, COUNCIL_EFORMAT, "keyfile: KDF salt of wrong length");
    if (!bytes_ok(&w->nonce, COUNCIL__NONCE_BYTES) || !bytes_ok(&w->ciphertext, WRAP_BYTES))
        return council__fail(c, COUNCIL_EFORMAT, "keyfile: malformed key wrap");
    if (m->has_council_log_public_key && !bytes_ok(&m->council_log_public_key, 32))
        return council__fail(c, COUNCIL_EFORMAT, "keyfile: log key of wrong length");

    memset(&tmp, 0, sizeof tmp);
    tmp.info.format_version = m->format_version;
    memcpy(tmp.info.council_id, m->council_id.data, COUNCIL_ID_BYTES);
    memcpy(tmp.info.member_id, m->member_id.data, COUNCIL_ID_BYTES);
    memcpy(tmp.info.box_pk, m->box_public_key.data, BOX_KEY_BYTES);
    memcpy(tmp.info.sign_pk, m->sign_public_key.data, COUNCIL__SIGN_PK_BYTES);
    if (m->has_council_log_public_key) {
        tmp.info.has_log_pk = true;
        memcpy(tmp.info.log_pk, m->council_log_public_key.data, 32);
    }
    tmp.info.opslimit = kdf->opslimit;
    tmp.info.memlimit = kdf->memlimit;
    memcpy(tmp.kdf_salt, kdf->salt.data, COUNCIL__SALT_BYTES);
    memcpy(tmp.nonce, w->nonce.data, COUNCIL__NONCE_BYTES);
    memcpy(tmp.ct, w->ciphertext.data, WRAP_BYTES);
    *out = tmp;
    return COUNCIL_OK;
}

static int keyfile_decode(council *c, keyfile *kf, const uint8_t *buf, size_t len)
{
    ProtobufCMessage *msg;
    int rc;

    rc = council__framed_parse(c, &msg, "keyfile", &council__v1__member_keyfile__descriptor,
                               keyfile_magic, COUNCIL__KEYFILE_MAX, buf, len);
    if (rc != COUNCIL_OK)
        return rc;
    rc = keyfile_from_msg(c, kf, (const Council__V1__MemberKeyfile *)msg);
    protobuf_c_message_free_unpacked(msg, council__pb_allocator());
    return rc;
}

static int pass_ok(council *c, const uint8_t *pass, size_t pass_len)
{
    if (pass == NULL || pass_len == 0 || pass_len > COUNCIL_PASSPHRASE_MAX)
        return council__fail(c, COUNCIL_EINVAL, "keyfile: passphrase length %zu not in 1..%d",
                             pass == NULL ? (size_t)0 : pass_len, COUNCIL_PASSPHRASE_MAX);
    return COUNCIL_OK;
}

int council__keyfile_parse(council *c, council__keyfile_info *info, const uint8_t *buf, size_t len)
{
    keyfile kf;
    int rc;

    if (info == NULL)
        return council__fail(c, COUNCIL_EINVAL, "keyfile: NULL info");
    memset(info, 0, sizeof *info);
    rc = keyfile_decode(c, &kf, buf, len);
    if (rc == COUNCIL_OK)
        *info = kf.info;
    return rc;
}

/* ---------------------------------------------------------------- writing */

static int keyfile_serialize(council *c, council_buf *out, const keyfile *kf)
{
    Council__V1__MemberKeyfile m = COUNCIL__V1__MEMBER_KEYFILE__INIT;
    Council__V1__KdfParams kdf = COUNCIL__V1__KDF_PARAMS__INIT;
    Council__V1__WrappedKey wrap = COUNCIL__V1__WRAPPED_KEY__INIT;

    m.format_version = kf->info.format_version;
    m.council_id.data = (uint8_t *)(uintptr_t)kf->info.council_id;
    m.council_id.len = COUNCIL_ID_BYTES;
    m.member_id.data = (uint8_t *)(uintptr_t)kf->info.member_id;
    m.member_id.len = COUNCIL_ID_BYTES;
    m.box_public_key.data = (uint8_t *)(uintptr_t)kf->info.box_pk;
    m.box_public_key.len = BOX_KEY_BYTES;
    m.sign_public_key.data = (uint8_t *)(uintptr_t)kf->info.sign_pk;
    m.sign_public_key.len = COUNCIL__SIGN_PK_BYTES;
    kdf.algorithm = COUNCIL__V1__KDF_PARAMS__ALGORITHM__ALGORITHM_ARGON2ID13;
    kdf.opslimit = kf->info.opslimit;
    kdf.memlimit = kf->info.memlimit;
    kdf.salt.data = (uint8_t *)(uintptr_t)kf->kdf_salt;
    kdf.salt.len = COUNCIL__SALT_BYTES;
    wrap.nonce.data = (uint8_t *)(uintptr_t)kf->nonce;
    wrap.nonce.len = COUNCIL__NONCE_BYTES;
    wrap.ciphertext.data = (uint8_t *)(uintptr_t)kf->ct;
    wrap.ciphertext.len = WRAP_BYTES;
    m.kdf = &kdf;
    m.secret_keys = &wrap;
    m.has_council_log_public_key = kf->info.has_log_pk;
    m.council_log_public_key.data = (uint8_t *)(uintptr_t)kf->info.log_pk;
    m.council_log_public_key.len = kf->info.has_log_pk ? 32 : 0;
    return council__framed_build(c, out, "keyfile", keyfile_magic, COUNCIL__KEYFILE_MAX, &m.base);
}

int council__keyfile_write(council *c, council_buf *out, const council__member_keys *k,
                           const uint8_t council_id[COUNCIL_ID_BYTES],
                           const uint8_t *pass, size_t pass_len, uint64_t ops, uint64_t mem)
{
    return council__keyfile_write_pinned(c, out, k, council_id, NULL, pass, pass_len, ops, mem);
}

int council__keyfile_write_pinned(council *c, council_buf *out, const council__member_keys *k,
                                  const uint8_t council_id[COUNCIL_ID_BYTES], const uint8_t *log_pk,
                                  const uint8_t *pass, size_t pass_len, uint64_t ops, uint64_t mem)
{
    uint8_t ad[AD_BYTES];
    council__secret wk = { NULL, 0 }, pt = { NULL, 0 };
    keyfile kf;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EINVAL, "keyfile: NULL output");
    out->ptr = NULL;
    out->len = 0;
    if (k == NULL || council_id == NULL || !secret_ok(&k->box_sk, BOX_KEY_BYTES) ||
        !secret_ok(&k->sign_sk, COUNCIL__SIGN_SK_BYTES))
        return council__fail(c, COUNCIL_EINVAL, "keyfile: no keys to write");
    if ((rc = pass_ok(c, pass, pass_len)) != COUNCIL_OK ||
        (rc = council__kdf_cost(c, "keyfile", &ops, &mem)) != COUNCIL_OK)
        return rc;

    memset(&kf, 0, sizeof kf);
    kf.info.format_version = KEYFILE_FORMAT;
    memcpy(kf.info.council_id, council_id, COUNCIL_ID_BYTES);
    memcpy(kf.info.member_id, k->member_id, COUNCIL_ID_BYTES);
    memcpy(kf.info.box_pk, k->box_pk, BOX_KEY_BYTES);
    memcpy(kf.info.sign_pk, k->sign_pk, COUNCIL__SIGN_PK_BYTES);
    kf.info.opslimit = ops;
    kf.info.memlimit = mem;
    if (log_pk != NULL) {
        kf.info.has_log_pk = true;
        memcpy(kf.info.log_pk, log_pk, 32);
    }
    randombytes_buf(kf.kdf_salt, sizeof kf.kdf_salt);
    randombytes_buf(kf.nonce, sizeof kf.nonce);

    if ((rc = council__secret_alloc(&wk, COUNCIL__KEY_BYTES)) != COUNCIL_OK ||
        (rc = council__secret_alloc(&pt, SECRETS_BYTES)) != COUNCIL_OK) {
        rc = council__fail(c, rc, "keyfile: out of secure memory");
        goto out;
    }
    council__secret_read(&k->box_sk);
    council__secret_read(&k->sign_sk);
    memcpy(pt.p, k->box_sk.p, BOX_KEY_BYTES);
    memcpy(pt.p + BOX_KEY_BYTES, k->sign_sk.p, COUNCIL__SIGN_SK_BYTES);
    council__secret_lock(&k->box_sk);
    council__secret_lock(&k->sign_sk);
    /* A file whose keys cannot open would be worse than no file. */
    if (!pairs_match(pt.p, pt.p + BOX_KEY_BYTES, kf.info.box_pk, kf.info.sign_pk)) {
        rc = council__fail(c, COUNCIL_EINVAL, "keyfile: secret keys do not match the public keys");
        goto out;
    }
    rc = council__argon2id(c, wk.p, wk.len, pass, pass_len, kf.kdf_salt, ops, mem);
    if (rc != COUNCIL_OK)
        goto out;
    rc = council__aead_seal(c, kf.ct, sizeof kf.ct, pt.p, pt.len, ad, ad_make(ad, &kf),
                            kf.nonce, wk.p);
    if (rc != COUNCIL_OK)
        goto out;
    rc = keyfile_serialize(c, out, &kf);
out:
    council__secret_free(&wk);
    council__secret_free(&pt);
    return rc;
}

/* ---------------------------------------------------------------- opening */

int council__keyfile_open(council *c, council__member_keys *k, council__keyfile_info *info,
                          const uint8_t *buf, size_t len, const uint8_t *pass, size_t pass_len)
{
    uint8_t ad[AD_BYTES];
    council__secret wk = { NULL, 0 }, pt = { NULL, 0 };
    keyfile kf;
    int rc;

    if (k == NULL)
        return council__fail(c, COUNCIL_EINVAL, "keyfile: NULL keys");
    memset(k, 0, sizeof *k);
    if (info != NULL)
        memset(info, 0, sizeof *info);
    if ((rc = pass_ok(c, pass, pass_len)) != COUNCIL_OK)
        return rc;
    if ((rc = keyfile_decode(c, &kf, buf, len)) != COUNCIL_OK)
        return rc;

    if ((rc = council__secret_alloc(&wk, COUNCIL__KEY_BYTES)) != COUNCIL_OK ||
        (rc = council__secret_alloc(&pt, SECRETS_BYTES)) != COUNCIL_OK ||
        (rc = council__secret_alloc(&k->box_sk, BOX_KEY_BYTES)) != COUNCIL_OK ||
        (rc = council__secret_alloc(&k->sign_sk, COUNCIL__SIGN_SK_BYTES)) != COUNCIL_OK) {
        rc = council__fail(c, rc, "keyfile: out of secure memory");
        goto out;
    }
    /* The cost was range-checked by the parse, before this runs. */
    rc = council__argon2id(c, wk.p, wk.len, pass, pass_len, kf.kdf_salt,
                           kf.info.opslimit, kf.info.memlimit);
    if (rc != COUNCIL_OK)
        goto out;
    rc = council__aead_open(c, pt.p, pt.len, kf.ct, sizeof kf.ct, ad, ad_make(ad, &kf),
                            kf.nonce, wk.p);
    if (rc == COUNCIL_EAUTH)
        rc = council__fail(c, COUNCIL_EAUTH, "keyfile: wrong passphrase");
    if (rc != COUNCIL_OK)
        goto out;
    /* Authentic, but only the passphrase holder vouches for it: the keys
     * must still belong to the public keys everyone else relies on. */
    if (!pairs_match(pt.p, pt.p + BOX_KEY_BYTES, kf.info.box_pk, kf.info.sign_pk)) {
        rc = council__fail(c, COUNCIL_EFORMAT, "keyfile: secret keys do not match the public keys");
        goto out;
    }
    memcpy(k->box_sk.p, pt.p, BOX_KEY_BYTES);
    memcpy(k->sign_sk.p, pt.p + BOX_KEY_BYTES, COUNCIL__SIGN_SK_BYTES);
    council__secret_lock(&k->box_sk);
    council__secret_lock(&k->sign_sk);
    memcpy(k->member_id, kf.info.member_id, COUNCIL_ID_BYTES);
    memcpy(k->box_pk, kf.info.box_pk, BOX_KEY_BYTES);
    memcpy(k->sign_pk, kf.info.sign_pk, COUNCIL__SIGN_PK_BYTES);
    if (info != NULL)
        *info = kf.info;
    rc = COUNCIL_OK;
out:
    council__secret_free(&wk);
    council__secret_free(&pt);
    if (rc != COUNCIL_OK)
        council__member_keys_free(k); /* no output on failure */
    return rc;
}
