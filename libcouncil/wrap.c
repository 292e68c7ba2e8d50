/*
 * wrap.c - wrapped data keys (pure): the two wrap formats, holder tags and
 * the session's wrap caches (issue 17, wraps). casekey.c stores the wraps
 * (table key_wrap) and decides who gets one; nothing here reads the store.
 *
 * Both formats bind the key to its place:
 *     binding = council_id || case_id || u32be(version) || u8(len(scope))
 *               || scope padded with zeros to 64 bytes
 * so a wrap moved to another case, scope or version is refused (EAUTH).
 *
 * Format 1 (before issue 17; still opened, and memos write it): a sealed
 * box, crypto_box_seal(binding || key, holder's box key), 181 bytes.
 *
 * Format 2 (every data key written since): 105 bytes,
 *     0x02 || epk (32) || nonce (24) || XChaCha20-Poly1305-IETF(key) (32 + 16)
 * with associated data 0x02 || binding, under
 *     k = BLAKE2b-256(X25519(esk, rpk) || epk || rpk), personal "council/wrap/v2"
 * (crypto.c council__wrap_agree), the nonce random. (epk, esk) is an
 * ephemeral key pair made by the writing session for one transaction (an
 * operation, or the caller's whole council_batch) and wiped at its commit
 * or rollback, so one X25519 agreement per recipient and transaction
 * replaces a sealed box per wrap. As with a sealed box the wrap names no
 * sender; the wraps of one transaction share epk, so they can be linked to
 * each other (written together), never to who wrote them.
 *
 * The caches (all in the handle, none in the store; secrets in one
 * sodium_malloc arena, no-access between uses, wiped at close):
 *   - the writer's agreements k per recipient key, for the open
 *     transaction's ephemeral key only;
 *   - the reader's agreements k per (epk, own key);
 *   - unwrapped data keys, indexed by a digest of the exact wrap (its bytes,
 *     its place, the box key that opened it): a hit saves the unwrap only.
 *     The caller has read the wrap row and decides access per call as
 *     without the cache; a wrap row gone (revoked, rotated away, rolled
 *     back) is never found, so its key is never used again. Entries made
 *     in a transaction that rolls back are wiped, and all are wiped at any
 *     rotation, revocation, withdrawal, key replacement, transfer or erasure.
 */
#include <string.h>

#include <sodium.h>

#include "council_int.h"
#include "crypto.h"
#include "event.h"
#include "wrap.h"

/* ------------------------------------------------------------ binding */

#define BIND_BYTES (COUNCIL_ID_BYTES * 2 + 4 + 1 + COUNCIL__AUDIT_CODE_MAX)

static void bind(uint8_t out[BIND_BYTES], const uint8_t council_id[COUNCIL_ID_BYTES],
                 const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope, uint32_t version)
{
    size_t n = strlen(scope);
    uint8_t *p = out;

    memset(out, 0, BIND_BYTES);
    p = council__put_bytes(p, council_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, case_id, COUNCIL_ID_BYTES);
    p = council__put_u32(p, version);
    *p++ = (uint8_t)n;
    memcpy(p, scope, n); /* n <= 64: scope codes are checked */
}

/* ------------------------------------------------------------ caches */

#define DK_N 256 /* unwrapped data keys */
#define RK_N 64  /* reader's agreements */
#define SK_N 64  /* writer's agreements (this transaction's ephemeral key) */
#define ARENA (32 * (DK_N + RK_N + SK_N) + 32)

struct council__wcache {
    council__secret arena; /* DK_N keys | RK_N k | SK_N k | the ephemeral secret */
    uint8_t epk[32];
    bool eph;
    struct { uint8_t id[32]; bool used, fresh; } dk[DK_N];
    struct { uint8_t id[32]; bool used; } rk[RK_N]; /* id: digest of (epk, own pk) */
    struct { uint8_t pk[32]; bool used; } sk[SK_N];
};

static uint8_t *dk_slot(struct council__wcache *w, size_t i) { return w->arena.p + 32 * i; }
static uint8_t *rk_slot(struct council__wcache *w, size_t i) { return w->arena.p + 32 * (DK_N + i); }
static uint8_t *sk_slot(struct council__wcache *w, size_t i)
{
    return w->arena.p + 32 * (DK_N + RK_N + i);
}
static uint8_t *esk_slot(struct council__wcache *w) { return w->arena.p + 32 * (DK_N + RK_N + SK_N); }

static size_t slot_of(const uint8_t id[32], size_t n)
{
    return ((size_t)id[0] | (size_t)id[1] << 8 | (size_t)id[2] << 16) % n;
}

/* The cache, made on first use; NULL when secure memory is short (then
 * every call takes the uncached path). */
static struct council__wcache *wcache(council *c)
{
    struct council__wcache *w = c->wcache;

    if (w != NULL)
        return w;
    if ((w = council__calloc(1, sizeof *w)) == NULL)
        return NULL;
    if (council__secret_alloc(&w->arena, ARENA) != COUNCIL_OK) {
        council__free(w);
        return NULL;
    }
    sodium_memzero(w->arena.p, w->arena.len);
    council__secret_lock(&w->arena);
    c->wcache = w;
    return w;
}

void council__wcache_tx_end(council *c, bool committed)
{
    struct council__wcache *w = c->wcache;

    if (w == NULL)
        return;
    council__secret_write(&w->arena);
    if (w->eph) {
        sodium_memzero(esk_slot(w), 32);
        sodium_memzero(sk_slot(w, 0), 32 * SK_N);
        memset(w->sk, 0, sizeof w->sk);
        w->eph = false;
    }
    for (size_t i = 0; i < DK_N; i++) {
        if (w->dk[i].fresh && !committed) {
            sodium_memzero(dk_slot(w, i), 32);
            w->dk[i].used = false;
        }
        w->dk[i].fresh = false;
    }
    council__secret_lock(&w->arena);
}

void council__wcache_stats(const council *c, size_t *keys, bool *ephemeral)
{
    const struct council__wcache *w = c->wcache;

    *keys = 0;
    *ephemeral = w != NULL && w->eph;
    for (size_t i = 0; w != NULL && i < DK_N; i++)
        *keys += w->dk[i].used;
}

int council__wcache_on_commit(void *arg)
{
    council__wcache_tx_end(arg, true);
    return 0; /* the commit goes ahead */
}

void council__wcache_on_rollback(void *arg)
{
    council *c = arg;

    council__wcache_tx_end(c, false);
    sodium_memzero(c->vcache, sizeof c->vcache);
}

static size_t vslot(const uint8_t h[32])
{
    return ((size_t)h[0] | (size_t)h[1] << 8) % COUNCIL__VCACHE;
}

bool council__vcache_has(const council *c, const uint8_t h[32])
{
    return sodium_memcmp(c->vcache[vslot(h)], h, 32) == 0; /* an all-zero slot: empty */
}

void council__vcache_put(council *c, const uint8_t h[32])
{
    memcpy(c->vcache[vslot(h)], h, 32);
    c->vcache_next++;
}

size_t council__key_version_msg(uint8_t *m, const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope,
                                uint32_t version, const council__secret *key)
{
    static const char label[] = "council/key-commit/v1";
    size_t n = strlen(scope);
    uint8_t *p = council__put_bytes(m, case_id, COUNCIL_ID_BYTES);

    *p++ = (uint8_t)n;
    p = council__put_bytes(p, scope, n);
    p = council__put_u32(p, version);
    council__secret_read(key);
    crypto_generichash(p, 32, (const uint8_t *)label, sizeof label, key->p, key->len);
    council__secret_lock(key);
    return (size_t)(p + 32 - m);
}

void council__wcache_drop(council *c)
{
    struct council__wcache *w = c->wcache;

    sodium_memzero(c->vcache, sizeof c->vcache);
    if (w == NULL)
        return;
    council__secret_write(&w->arena);
    sodium_memzero(dk_slot(w, 0), 32 * (DK_N + RK_N));
    council__secret_lock(&w->arena);
    memset(w->dk, 0, sizeof w->dk);
    memset(w->rk, 0, sizeof w->rk);
}

void council__wcache_free(council *c)
{
    struct council__wcache *w = c->wcache;

    c->wc_hooked = false; /* closed with the database */
    if (w == NULL)
        return;
    council__secret_free(&w->arena); /* sodium_free wipes */
    sodium_memzero(w, sizeof *w);
    council__free(w);
    c->wcache = NULL;
}

static void dkey_id(uint8_t id[32], const uint8_t *sealed, size_t len,
                    const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope, uint32_t version,
                    const uint8_t pk[32])
{
    static const uint8_t personal[crypto_generichash_blake2b_PERSONALBYTES] = "council/dkey/v2";
    crypto_generichash_blake2b_state h;
    uint8_t v[4], n = (uint8_t)strlen(scope);

    council__put_u32(v, version);
    crypto_generichash_blake2b_init_salt_personal(&h, NULL, 0, 32, NULL, personal);
    crypto_generichash_blake2b_update(&h, case_id, COUNCIL_ID_BYTES);
    crypto_generichash_blake2b_update(&h, v, sizeof v);
    crypto_generichash_blake2b_update(&h, &n, 1);
    crypto_generichash_blake2b_update(&h, (const uint8_t *)scope, n);
    crypto_generichash_blake2b_update(&h, pk, 32);
    crypto_generichash_blake2b_update(&h, sealed, len);
    crypto_generichash_blake2b_final(&h, id, 32);
}

bool council__dkey_get(council *c, council__secret *key, const uint8_t *sealed, size_t len,
                       const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope, uint32_t version,
                       const uint8_t pk[32])
{
    struct council__wcache *w = c->wcache;
    uint8_t id[32];
    size_t i;

    if (w == NULL || sealed == NULL || len == 0 || strlen(scope) > COUNCIL__AUDIT_CODE_MAX)
        return false;
    dkey_id(id, sealed, len, case_id, scope, version, pk);
    i = slot_of(id, DK_N);
    if (!w->dk[i].used || sodium_memcmp(w->dk[i].id, id, 32) != 0)
        return false;
    if (council__secret_alloc(key, COUNCIL__KEY_BYTES) != COUNCIL_OK)
        return false; /* the uncached path says what is wrong */
    council__secret_read(&w->arena);
    memcpy(key->p, dk_slot(w, i), COUNCIL__KEY_BYTES);
    council__secret_lock(&w->arena);
    council__secret_lock(key);
    return true;
}

void council__dkey_put(council *c, const uint8_t *sealed, size_t len,
                       const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope, uint32_t version,
                       const uint8_t pk[32], const council__secret *key)
{
    struct council__wcache *w;
    uint8_t id[32];
    size_t i;

    if (sealed == NULL || len == 0 || key->p == NULL || key->len != COUNCIL__KEY_BYTES ||
        strlen(scope) > COUNCIL__AUDIT_CODE_MAX || (w = wcache(c)) == NULL)
        return;
    dkey_id(id, sealed, len, case_id, scope, version, pk);
    i = slot_of(id, DK_N); /* evicts what was there */
    council__secret_write(&w->arena);
    council__secret_read(key);
    memcpy(dk_slot(w, i), key->p, COUNCIL__KEY_BYTES);
    council__secret_lock(key);
    council__secret_lock(&w->arena);
    memcpy(w->dk[i].id, id, 32);
    w->dk[i].used = true;
    w->dk[i].fresh = true;
}

/* ------------------------------------------------------------ format 1 */

int council__wrap(council *c, uint8_t out[COUNCIL__WRAP_BYTES], const uint8_t case_id[COUNCIL_ID_BYTES],
                  const char *scope, uint32_t version, const council__secret *key,
                  const uint8_t pk[32])
{
    uint8_t pt[BIND_BYTES + COUNCIL__KEY_BYTES];
    int rc = COUNCIL_OK;

    if (strlen(scope) > COUNCIL__AUDIT_CODE_MAX || key->len != COUNCIL__KEY_BYTES)
        return council__fail(c, COUNCIL_ERROR, "wrap: bad scope or key");
    bind(pt, c->council_id, case_id, scope, version);
    council__secret_read(key);
    memcpy(pt + BIND_BYTES, key->p, COUNCIL__KEY_BYTES);
    council__secret_lock(key);
    if (crypto_box_seal(out, pt, sizeof pt, pk) != 0)
        rc = council__fail(c, COUNCIL_EINVAL, "wrap: not a valid public key");
    sodium_memzero(pt, sizeof pt);
    return rc;
}

static int unwrap1(council *c, council__secret *key, const uint8_t *sealed, size_t len,
                   const uint8_t want[BIND_BYTES], const uint8_t pk[32], const council__secret *sk)
{
    uint8_t pt[BIND_BYTES + COUNCIL__KEY_BYTES];
    int rc, ok;

    council__secret_read(sk);
    ok = crypto_box_seal_open(pt, sealed, len, pk, sk->p);
    council__secret_lock(sk);
    if (ok != 0)
        return council__fail(c, COUNCIL_EAUTH, "unwrap: the wrapped key does not open");
    if (sodium_memcmp(pt, want, BIND_BYTES) != 0) {
        sodium_memzero(pt, sizeof pt);
        return council__fail(c, COUNCIL_EAUTH, "unwrap: the wrapped key belongs elsewhere");
    }
    if ((rc = council__secret_alloc(key, COUNCIL__KEY_BYTES)) != COUNCIL_OK) {
        sodium_memzero(pt, sizeof pt);
        return council__fail(c, rc, "unwrap: out of secure memory");
    }
    memcpy(key->p, pt + BIND_BYTES, COUNCIL__KEY_BYTES);
    council__secret_lock(key);
    sodium_memzero(pt, sizeof pt);
    return COUNCIL_OK;
}

/* ------------------------------------------------------------ format 2 */

#define W2_EPK 1
#define W2_NONCE (1 + 32)
#define W2_CT (1 + 32 + 24)

/* The writer's agreement slot of a recipient key: its own, else a free
 * one, else the first, among SK_PROBE slots from where the key hashes to
 * (direct-mapped alone, two recipients of every key (the coordinating body
 * and the owner) that hash to one slot would take each other's place at
 * every wrap: one X25519 a wrap). */
#define SK_PROBE 8
static size_t sk_find(const struct council__wcache *w, const uint8_t pk[32])
{
    size_t h = slot_of(pk, SK_N), free_i = SK_N;

    for (size_t j = 0; j < SK_PROBE; j++) {
        size_t i = (h + j) % SK_N;
        if (w->sk[i].used && memcmp(w->sk[i].pk, pk, 32) == 0)
            return i;
        if (!w->sk[i].used && free_i == SK_N)
            free_i = i;
    }
    return free_i != SK_N ? free_i : h;
}

int council__wrap2(council *c, uint8_t out[COUNCIL__WRAP2_BYTES], const uint8_t case_id[COUNCIL_ID_BYTES],
                   const char *scope, uint32_t version, const council__secret *key,
                   const uint8_t pk[32])
{
    uint8_t ad[1 + BIND_BYTES];
    struct council__wcache *w;
    size_t i;
    int rc = COUNCIL_OK;

    if (strlen(scope) > COUNCIL__AUDIT_CODE_MAX || key->p == NULL || key->len != COUNCIL__KEY_BYTES)
        return council__fail(c, COUNCIL_ERROR, "wrap: bad scope or key");
    if ((w = wcache(c)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "wrap: out of secure memory");
    council__secret_write(&w->arena);
    if (!w->eph) {
        crypto_box_keypair(w->epk, esk_slot(w));
        w->eph = true;
    }
    i = sk_find(w, pk);
    if (!w->sk[i].used || memcmp(w->sk[i].pk, pk, 32) != 0) {
        w->sk[i].used = false;
        if (council__wrap_agree(sk_slot(w, i), esk_slot(w), pk, w->epk, pk) != 0)
            rc = council__fail(c, COUNCIL_EINVAL, "wrap: not a valid public key");
        else {
            memcpy(w->sk[i].pk, pk, 32);
            w->sk[i].used = true;
        }
    }
    if (rc == COUNCIL_OK) {
        out[0] = COUNCIL__WRAP_V2;
        memcpy(out + W2_EPK, w->epk, 32);
        randombytes_buf(out + W2_NONCE, 24);
        ad[0] = COUNCIL__WRAP_V2;
        bind(ad + 1, c->council_id, case_id, scope, version);
        council__secret_read(key);
        rc = council__aead_seal(c, out + W2_CT, COUNCIL__KEY_BYTES + 16, key->p, COUNCIL__KEY_BYTES,
                                ad, sizeof ad, out + W2_NONCE, sk_slot(w, i));
        council__secret_lock(key);
    }
    council__secret_lock(&w->arena);
    return rc;
}

static int unwrap2(council *c, council__secret *key, const uint8_t *sealed,
                   const uint8_t want[BIND_BYTES], const uint8_t pk[32], const council__secret *sk)
{
    static const uint8_t personal[crypto_generichash_blake2b_PERSONALBYTES] = "council/wrap/rk";
    uint8_t ad[1 + BIND_BYTES], id[32], kk[32], two[64];
    struct council__wcache *w = wcache(c);
    const uint8_t *k = NULL;
    size_t i = 0;
    int rc;

    memcpy(two, sealed + W2_EPK, 32);
    memcpy(two + 32, pk, 32);
    crypto_generichash_blake2b_salt_personal(id, sizeof id, two, sizeof two, NULL, 0, NULL, personal);
    if (w != NULL) {
        size_t h = slot_of(id, RK_N), free_i = RK_N;
        i = RK_N;
        for (size_t j = 0; j < SK_PROBE && i == RK_N; j++) {
            size_t t = (h + j) % RK_N;
            if (w->rk[t].used && sodium_memcmp(w->rk[t].id, id, 32) == 0)
                i = t;
            else if (!w->rk[t].used && free_i == RK_N)
                free_i = t;
        }
        council__secret_write(&w->arena);
        if (i != RK_N)
            k = rk_slot(w, i);
        else
            i = free_i != RK_N ? free_i : h;
    }
    if (k == NULL) {
        council__secret_read(sk);
        rc = council__wrap_agree(kk, sk->p, sealed + W2_EPK, sealed + W2_EPK, pk);
        council__secret_lock(sk);
        if (rc != 0) {
            if (w != NULL)
                council__secret_lock(&w->arena);
            return council__fail(c, COUNCIL_EAUTH, "unwrap: the wrapped key does not open");
        }
        k = kk;
        if (w != NULL) {
            memcpy(rk_slot(w, i), kk, 32);
            memcpy(w->rk[i].id, id, 32);
            w->rk[i].used = true;
            k = rk_slot(w, i);
        }
    }
    if ((rc = council__secret_alloc(key, COUNCIL__KEY_BYTES)) != COUNCIL_OK) {
        rc = council__fail(c, rc, "unwrap: out of secure memory");
    } else {
        ad[0] = COUNCIL__WRAP_V2;
        memcpy(ad + 1, want, BIND_BYTES);
        if (crypto_aead_xchacha20poly1305_ietf_decrypt(key->p, NULL, NULL, sealed + W2_CT,
                                                       COUNCIL__KEY_BYTES + 16, ad, sizeof ad,
                                                       sealed + W2_NONCE, k) != 0) {
            council__secret_free(key);
            rc = council__fail(c, COUNCIL_EAUTH, "unwrap: the wrapped key does not open or "
                               "belongs elsewhere");
        } else {
            council__secret_lock(key);
        }
    }
    sodium_memzero(kk, sizeof kk);
    if (w != NULL)
        council__secret_lock(&w->arena);
    return rc;
}

int council__unwrap(council *c, council__secret *key, const uint8_t *sealed, size_t len,
                    const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope, uint32_t version,
                    const uint8_t pk[32], const council__secret *sk)
{
    uint8_t want[BIND_BYTES];

    key->p = NULL;
    key->len = 0;
    if (sealed == NULL || sk->p == NULL || sk->len != crypto_box_SECRETKEYBYTES ||
        strlen(scope) > COUNCIL__AUDIT_CODE_MAX ||
        !(len == COUNCIL__WRAP_BYTES || (len == COUNCIL__WRAP2_BYTES && sealed[0] == COUNCIL__WRAP_V2)))
        return council__fail(c, COUNCIL_EAUTH, "unwrap: a wrapped key of the wrong size");
    bind(want, c->council_id, case_id, scope, version);
    if (len == COUNCIL__WRAP2_BYTES)
        return unwrap2(c, key, sealed, want, pk, sk);
    return unwrap1(c, key, sealed, len, want, pk, sk);
}

/* ------------------------------------------------------------ holder tags */

void council__holder_tag(const council *c, uint8_t out[32], const uint8_t case_id[COUNCIL_ID_BYTES],
                         const char *scope, uint32_t version, const uint8_t holder[COUNCIL_ID_BYTES],
                         const uint8_t pk[32], const council__secret *key)
{
    static const char label[] = "council/key-holder/v1";
    crypto_generichash_state h;
    uint8_t v[4], n = (uint8_t)strlen(scope);

    council__put_u32(v, version);
    council__secret_read(key);
    crypto_generichash_init(&h, key->p, COUNCIL__KEY_BYTES, 32);
    council__secret_lock(key);
    crypto_generichash_update(&h, (const uint8_t *)label, sizeof label);
    crypto_generichash_update(&h, c->council_id, COUNCIL_ID_BYTES);
    crypto_generichash_update(&h, case_id, COUNCIL_ID_BYTES);
    crypto_generichash_update(&h, v, sizeof v);
    crypto_generichash_update(&h, &n, 1);
    crypto_generichash_update(&h, (const uint8_t *)scope, n);
    crypto_generichash_update(&h, holder, COUNCIL_ID_BYTES);
    crypto_generichash_update(&h, pk, 32);
    crypto_generichash_final(&h, out, 32);
    sodium_memzero(&h, sizeof h);
}

bool council__holder_tag_ok(const council *c, const uint8_t *tag, size_t tag_len,
                            const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope,
                            uint32_t version, const uint8_t holder[COUNCIL_ID_BYTES],
                            const uint8_t pk[32], const council__secret *key)
{
    uint8_t want[32];
    bool ok;

    if (tag == NULL || tag_len != sizeof want || key->len != COUNCIL__KEY_BYTES ||
        strlen(scope) > COUNCIL__AUDIT_CODE_MAX)
        return false;
    council__holder_tag(c, want, case_id, scope, version, holder, pk, key);
    ok = sodium_memcmp(want, tag, sizeof want) == 0;
    sodium_memzero(want, sizeof want);
    return ok;
}
