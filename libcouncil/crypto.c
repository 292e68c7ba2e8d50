/*
 * crypto.c - libsodium behind range checks, secret memory, allocation.
 *
 * libsodium's misuse handler aborts on out-of-range arguments, so every
 * call here is preceded by the check that makes the abort unreachable.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>
#include <uuid/uuid.h>

#include "council_int.h"
#include "crypto.h"

/* ------------------------------------------------------------------ init */

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc = COUNCIL_ERROR;

static void init_once_fn(void)
{
    init_rc = sodium_init() < 0 ? COUNCIL_ERROR : COUNCIL_OK;
}

int council_global_init(void)
{
    if (pthread_once(&init_once, init_once_fn) != 0)
        return COUNCIL_ERROR;
    return init_rc;
}

/* ------------------------------------------------------------- allocation */

/* The allocation fault hook exists only in the test build of the library
 * (COUNCIL_TEST_HOOKS: build/libcouncil-test.a, which the tests link); the
 * installed libraries have no way to fail an allocation on purpose. */
#ifdef COUNCIL_TEST_HOOKS
static _Thread_local long fault_countdown = -1;

void council__fault_alloc_after(long n)
{
    fault_countdown = n;
}

static bool fault_now(void)
{
    if (fault_countdown < 0)
        return false;
    if (fault_countdown == 0)
        return true;
    fault_countdown--;
    return false;
}
#else
#define fault_now() false
#endif

void *council__malloc(size_t n)
{
    if (fault_now())
        return NULL;
    return malloc(n == 0 ? 1 : n);
}

void *council__calloc(size_t n, size_t size)
{
    if (fault_now())
        return NULL;
    return calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);
}

void council__free(void *p)
{
    free(p);
}

char *council__strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = council__malloc(n);

    if (p != NULL)
        memcpy(p, s, n);
    return p;
}

static _Thread_local bool pb_failed = false;

static void *pb_alloc(void *data, size_t n)
{
    void *p = council__malloc(n);

    (void)data;
    if (p == NULL)
        pb_failed = true;
    return p;
}

bool council__pb_alloc_failed(bool reset)
{
    bool was = pb_failed;

    if (reset)
        pb_failed = false;
    return was;
}

static void pb_free(void *data, void *p)
{
    (void)data;
    council__free(p);
}

static ProtobufCAllocator pb_allocator = { pb_alloc, pb_free, NULL };

ProtobufCAllocator *council__pb_allocator(void)
{
    return &pb_allocator;
}

/* The same, wiping what it frees: for messages that hold case content.
 * Each block carries its size in a 16-byte header. */
static void *pb_wipe_alloc(void *data, size_t n)
{
    size_t *p;

    (void)data;
    if (n > SIZE_MAX - 16 || (p = council__malloc(n + 16)) == NULL) {
        pb_failed = true;
        return NULL;
    }
    p[0] = n;
    return (uint8_t *)p + 16;
}

static void (*wipe_hook)(const void *block, size_t n);

void council__pb_wipe_hook(void (*fn)(const void *block, size_t n))
{
    wipe_hook = fn;
}

static void pb_wipe_free(void *data, void *q)
{
    size_t *p;

    (void)data;
    if (q == NULL)
        return;
    p = (size_t *)(void *)((uint8_t *)q - 16);
    sodium_memzero(q, p[0]);
    if (wipe_hook != NULL)
        wipe_hook(q, p[0]);
    council__free(p);
}

static ProtobufCAllocator pb_wiping = { pb_wipe_alloc, pb_wipe_free, NULL };

ProtobufCAllocator *council__pb_wiping_allocator(void)
{
    return &pb_wiping;
}

void council_buf_free(council_buf *buf)
{
    if (buf == NULL)
        return;
    if (buf->ptr != NULL) {
        sodium_memzero(buf->ptr, buf->len);
        council__free(buf->ptr);
    }
    buf->ptr = NULL;
    buf->len = 0;
}

/* A serialised message into a council_buf the caller frees (never a NULL
 * pointer, even for an empty message); the handle's error cleared. */
int council__pack_out(council *c, const char *op, council_buf *out, const ProtobufCMessage *m)
{
    size_t len = protobuf_c_message_get_packed_size(m);

    out->ptr = council__malloc(len ? len : 1);
    if (out->ptr == NULL) {
        out->len = 0;
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    out->len = protobuf_c_message_pack(m, out->ptr);
    council__clear(c);
    return COUNCIL_OK;
}

/* --------------------------------------------------------------- secrets */

void *council__sodium_malloc(size_t len)
{
    if (fault_now())
        return NULL;
    return sodium_malloc(len == 0 ? 1 : len);
}

int council__secret_alloc(council__secret *s, size_t len)
{
    s->p = NULL;
    s->len = 0;
    if (len == 0 || fault_now())
        return COUNCIL_ENOMEM;
    s->p = sodium_malloc(len);
    if (s->p == NULL)
        return COUNCIL_ENOMEM;
    s->len = len;
    return COUNCIL_OK;
}

void council__secret_lock(const council__secret *s)
{
    if (s->p != NULL)
        (void)sodium_mprotect_noaccess(s->p);
}

void council__secret_read(const council__secret *s)
{
    if (s->p != NULL)
        (void)sodium_mprotect_readonly(s->p);
}

void council__secret_write(const council__secret *s)
{
    if (s->p != NULL)
        (void)sodium_mprotect_readwrite(s->p);
}

void council__secret_free(council__secret *s)
{
    if (s->p != NULL)
        sodium_free(s->p); /* wipes; works whatever the protection */
    s->p = NULL;
    s->len = 0;
}

/* ----------------------------------------------------------------- crypto */

int council__kdf(council *c, uint8_t *out, size_t out_len,
                 const council__secret *root, uint64_t id, const char ctx[8])
{
    int rc;

    if (root->p == NULL || root->len != crypto_kdf_KEYBYTES ||
        out_len < crypto_kdf_BYTES_MIN || out_len > crypto_kdf_BYTES_MAX)
        return council__fail(c, COUNCIL_ERROR, "kdf: bad key or length %zu", out_len);
    council__secret_read(root);
    rc = crypto_kdf_derive_from_key(out, out_len, id, ctx, root->p);
    council__secret_lock(root);
    if (rc != 0)
        return council__fail(c, COUNCIL_ERROR, "kdf: derivation failed");
    return COUNCIL_OK;
}

int council__aead_seal(council *c, uint8_t *ct, size_t ct_len,
                       const uint8_t *pt, size_t pt_len,
                       const uint8_t *ad, size_t ad_len,
                       const uint8_t nonce[COUNCIL__NONCE_BYTES],
                       const uint8_t *key)
{
    unsigned long long out_len = 0;

    if (pt_len > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX ||
        ct_len != pt_len + crypto_aead_xchacha20poly1305_ietf_ABYTES)
        return council__fail(c, COUNCIL_ELIMIT, "seal: length %zu out of range", pt_len);
    if (crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &out_len, pt, pt_len, ad, ad_len,
                                                   NULL, nonce, key) != 0 ||
        out_len != ct_len)
        return council__fail(c, COUNCIL_ERROR, "seal: encryption failed");
    return COUNCIL_OK;
}

int council__wrap_agree(uint8_t k[32], const uint8_t sk[32], const uint8_t peer[32],
                        const uint8_t epk[32], const uint8_t rpk[32])
{
    static const uint8_t personal[crypto_generichash_blake2b_PERSONALBYTES] = "council/wrap/v2";
    uint8_t in[crypto_scalarmult_BYTES + 64];
    int rc = -1;

    if (crypto_scalarmult(in, sk, peer) == 0) {
        memcpy(in + crypto_scalarmult_BYTES, epk, 32);
        memcpy(in + crypto_scalarmult_BYTES + 32, rpk, 32);
        rc = crypto_generichash_blake2b_salt_personal(k, 32, in, sizeof in, NULL, 0, NULL,
                                                      personal);
    }
    if (rc != 0)
        sodium_memzero(k, 32);
    sodium_memzero(in, sizeof in);
    return rc == 0 ? 0 : -1;
}

int council__aead_open(council *c, uint8_t *pt, size_t pt_len,
                       const uint8_t *ct, size_t ct_len,
                       const uint8_t *ad, size_t ad_len,
                       const uint8_t nonce[COUNCIL__NONCE_BYTES],
                       const uint8_t *key)
{
    unsigned long long out_len = 0;

    if (ct_len < crypto_aead_xchacha20poly1305_ietf_ABYTES ||
        pt_len != ct_len - crypto_aead_xchacha20poly1305_ietf_ABYTES)
        return council__fail(c, COUNCIL_EFORMAT, "open: length %zu out of range", ct_len);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(pt, &out_len, NULL, ct, ct_len, ad, ad_len,
                                                   nonce, key) != 0) {
        sodium_memzero(pt, pt_len);
        return COUNCIL_EAUTH; /* the caller names the operation */
    }
    return COUNCIL_OK;
}

int council__argon2id(council *c, uint8_t *out, size_t out_len,
                      const uint8_t *pass, size_t pass_len,
                      const uint8_t salt[COUNCIL__SALT_BYTES],
                      uint64_t opslimit, uint64_t memlimit)
{
    if (opslimit < COUNCIL_KDF_OPSLIMIT_MIN || opslimit > COUNCIL_KDF_OPSLIMIT_MAX ||
        memlimit < COUNCIL_KDF_MEMLIMIT_MIN || memlimit > COUNCIL_KDF_MEMLIMIT_MAX ||
        opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
        memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
        memlimit > crypto_pwhash_argon2id_MEMLIMIT_MAX)
        return council__fail(c, COUNCIL_EINVAL, "argon2id: cost out of range");
    /* PASSWD_MIN is 0, PASSWD_MAX far above our cap. */
    if (pass_len > COUNCIL_PASSPHRASE_MAX ||
        out_len < crypto_pwhash_argon2id_BYTES_MIN || out_len > 64)
        return council__fail(c, COUNCIL_EINVAL, "argon2id: length out of range");
    if (crypto_pwhash_argon2id(out, out_len, (const char *)pass, pass_len, salt,
                               opslimit, (size_t)memlimit,
                               crypto_pwhash_argon2id_ALG_ARGON2ID13) != 0)
        return council__fail(c, COUNCIL_ENOMEM, "argon2id: derivation failed (memory)");
    return COUNCIL_OK;
}

uint8_t *council__put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 3; i >= 0; i--)
        *p++ = (uint8_t)(v >> (8 * i));
    return p;
}

uint8_t *council__put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--)
        *p++ = (uint8_t)(v >> (8 * i));
    return p;
}

uint8_t *council__put_bytes(uint8_t *p, const void *src, size_t n)
{
    memcpy(p, src, n);
    return p + n;
}

void council__uuid_random(uint8_t out[COUNCIL_ID_BYTES])
{
    randombytes_buf(out, COUNCIL_ID_BYTES);
    out[6] = (uint8_t)((out[6] & 0x0f) | 0x40); /* version 4 */
    out[8] = (uint8_t)((out[8] & 0x3f) | 0x80); /* RFC 4122 variant */
}

void council__uuid_text(char out[37], const uint8_t id[COUNCIL_ID_BYTES])
{
    uuid_t u;

    memcpy(u, id, sizeof u);
    uuid_unparse_lower(u, out);
}

/* Argon2id cost: 0 means the default; EINVAL out of range. */
int council__kdf_cost(council *c, const char *op, uint64_t *ops, uint64_t *mem)
{
    if (*ops == 0)
        *ops = COUNCIL__KDF_OPSLIMIT_DEFAULT;
    if (*mem == 0)
        *mem = COUNCIL__KDF_MEMLIMIT_DEFAULT;
    if (*ops < COUNCIL_KDF_OPSLIMIT_MIN || *ops > COUNCIL_KDF_OPSLIMIT_MAX)
        return council__fail(c, COUNCIL_EINVAL, "%s: kdf_opslimit %llu out of range",
                             op, (unsigned long long)*ops);
    if (*mem < COUNCIL_KDF_MEMLIMIT_MIN || *mem > COUNCIL_KDF_MEMLIMIT_MAX)
        return council__fail(c, COUNCIL_EINVAL, "%s: kdf_memlimit %llu out of range",
                             op, (unsigned long long)*mem);
    return COUNCIL_OK;
}
