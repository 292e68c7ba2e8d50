/* test_keyfile.c - member key pairs and the member keyfile: round trip,
 * passphrase, damage, forgery, hostile fields, key pairs, out of memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "helpers.h"
#include "council_int.h"
#include "crypto.h"
#include "keyfile.h"
#include "keyring.h"
#include "council/v1/keyfile.pb-c.h"

#define PASS ((const uint8_t *)TH_PASS)
#define PASS_LEN (sizeof TH_PASS - 1)

static const uint8_t keyfile_magic[8] = { 0x89, 'C', 'M', 'K', '\r', '\n', 0x1a, '\n' };

/* One council for the whole binary (its handle carries the messages, its
 * keyring is a foreign file here) and one keyfile written with TH_PASS. */
typedef struct fx {
    char *root, *store;
    council *c;
    uint8_t *keyring;
    size_t keyring_len;
    uint8_t member_id[COUNCIL_ID_BYTES];
    council__member_keys keys;
    uint8_t *orig;
    size_t orig_len;
} fx;

static int group_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    council_buf kf = { NULL, 0 };
    char *path;

    assert_non_null(f);
    f->store = th_make_store(&f->root, "keyfile test");
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    path = th_path(f->store, "council.keyring");
    assert_int_equal(th_read_file(path, &f->keyring, &f->keyring_len), 0);
    free(path);
    council__uuid_random(f->member_id);
    assert_int_equal(council__member_keys_generate(f->c, &f->keys, f->member_id), COUNCIL_OK);
    assert_int_equal(council__keyfile_write(f->c, &kf, &f->keys, f->c->council_id, PASS, PASS_LEN,
                                            TH_OPS, TH_MEM), COUNCIL_OK);
    f->orig = malloc(kf.len);
    assert_non_null(f->orig);
    memcpy(f->orig, kf.ptr, kf.len);
    f->orig_len = kf.len;
    council_buf_free(&kf);
    *state = f;
    return 0;
}

static int group_teardown(void **state)
{
    fx *f = *state;

    council__member_keys_free(&f->keys);
    council_close(f->c);
    th_rmrf(f->root);
    free(f->root); free(f->store); free(f->keyring); free(f->orig);
    free(f);
    return 0;
}

/* ----------------------------------------------------------------- helpers */

static const char *msg(fx *f)
{
    return council_errmsg(f->c);
}

static bool has_bytes(const uint8_t *hay, size_t n, const uint8_t *needle, size_t m)
{
    for (size_t i = 0; m <= n && i <= n - m; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return true;
    return false;
}

/* Recompute the checksum after editing the body. */
static void fix_sum(uint8_t *p, size_t len)
{
    crypto_generichash(p + len - 32, 32, p, len - 32, NULL, 0);
}

/* The file bytes for a message: magic, message, BLAKE2b-256 (written here,
 * not by the library, so the tests pin the framing down independently). */
static uint8_t *file_for(const Council__V1__MemberKeyfile *m, size_t *len)
{
    size_t body = council__v1__member_keyfile__get_packed_size(m);
    uint8_t *p = malloc(8 + body + 32);

    assert_non_null(p);
    memcpy(p, keyfile_magic, 8);
    council__v1__member_keyfile__pack(m, p + 8);
    *len = 8 + body + 32;
    fix_sum(p, *len);
    return p;
}

static Council__V1__MemberKeyfile *unpack_orig(fx *f)
{
    Council__V1__MemberKeyfile *m =
        council__v1__member_keyfile__unpack(NULL, f->orig_len - 40, f->orig + 8);

    assert_non_null(m);
    return m;
}

/* Open bytes with TH_PASS; on failure nothing may be left in k or info. */
static int open_bytes(fx *f, const uint8_t *p, size_t len)
{
    council__member_keys k;
    council__keyfile_info info;
    static const council__keyfile_info zero_info;
    int rc;

    memset(&k, 0xa5, sizeof k); /* garbage in: the library must not trust it */
    rc = council__keyfile_open(f->c, &k, &info, p, len, PASS, PASS_LEN);
    if (rc != COUNCIL_OK) {
        assert_null(k.box_sk.p);
        assert_null(k.sign_sk.p);
        assert_memory_equal(&info, &zero_info, sizeof info);
    }
    council__member_keys_free(&k);
    return rc;
}

static void be32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (24 - 8 * i));
}

static void be64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* A keyfile built from keyfile.proto's description alone, without the
 * library's writer: `secrets` (box_sk || sign_sk, 96 bytes) wrapped for a
 * file stating box_pk and sign_pk. */
static uint8_t *forge(const uint8_t council_id[16], const uint8_t member_id[16],
                      const uint8_t box_pk[32], const uint8_t sign_pk[32],
                      const uint8_t secrets[96], size_t *len)
{
    Council__V1__MemberKeyfile m = COUNCIL__V1__MEMBER_KEYFILE__INIT;
    Council__V1__KdfParams kdf = COUNCIL__V1__KDF_PARAMS__INIT;
    Council__V1__WrappedKey w = COUNCIL__V1__WRAPPED_KEY__INIT;
    static const char label[] = "council/keyfile/v1";
    uint8_t salt[16], nonce[24], key[32], ct[112];
    uint8_t ad[sizeof label + 4 + 16 + 16 + 4 + 8 + 8 + 16 + 32 + 32], *a = ad;

    randombytes_buf(salt, sizeof salt);
    randombytes_buf(nonce, sizeof nonce);
    assert_int_equal(crypto_pwhash(key, sizeof key, TH_PASS, PASS_LEN, salt, TH_OPS, TH_MEM,
                                   crypto_pwhash_ALG_ARGON2ID13), 0);
    memcpy(a, label, sizeof label); a += sizeof label;
    be32(a, 1); a += 4;
    memcpy(a, council_id, 16); a += 16;
    memcpy(a, member_id, 16); a += 16;
    be32(a, 1); a += 4;             /* ALGORITHM_ARGON2ID13 */
    be64(a, TH_OPS); a += 8;
    be64(a, TH_MEM); a += 8;
    memcpy(a, salt, 16); a += 16;
    memcpy(a, box_pk, 32); a += 32;
    memcpy(a, sign_pk, 32); a += 32;
    assert_int_equal((size_t)(a - ad), sizeof ad);
    crypto_aead_xchacha20poly1305_ietf_encrypt(ct, NULL, secrets, 96, ad, sizeof ad, NULL,
                                               nonce, key);
    sodium_memzero(key, sizeof key);

    m.format_version = 1;
    m.council_id.data = (uint8_t *)(uintptr_t)council_id;
    m.council_id.len = 16;
    m.member_id.data = (uint8_t *)(uintptr_t)member_id;
    m.member_id.len = 16;
    m.box_public_key.data = (uint8_t *)(uintptr_t)box_pk;
    m.box_public_key.len = 32;
    m.sign_public_key.data = (uint8_t *)(uintptr_t)sign_pk;
    m.sign_public_key.len = 32;
    kdf.algorithm = COUNCIL__V1__KDF_PARAMS__ALGORITHM__ALGORITHM_ARGON2ID13;
    kdf.opslimit = TH_OPS;
    kdf.memlimit = TH_MEM;
    kdf.salt.data = salt;
    kdf.salt.len = 16;
    w.nonce.data = nonce;
    w.nonce.len = 24;
    w.ciphertext.data = ct;
    w.ciphertext.len = sizeof ct;
    m.kdf = &kdf;
    m.secret_keys = &w;
    return file_for(&m, len);
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------- tests */

static void test_keyfile__generate_gives_fresh_key_pairs(void **state)
{
    fx *f = *state;
    council__member_keys a, b;
    uint8_t pk[32], m[64 + 5];
    unsigned long long mlen;

    assert_int_equal(council__member_keys_generate(f->c, &a, f->member_id), COUNCIL_OK);
    assert_int_equal(council__member_keys_generate(f->c, &b, f->member_id), COUNCIL_OK);
    assert_memory_equal(a.member_id, f->member_id, 16);
    assert_memory_not_equal(a.box_pk, b.box_pk, 32);
    assert_memory_not_equal(a.sign_pk, b.sign_pk, 32);
    assert_int_equal(a.box_sk.len, 32);
    assert_int_equal(a.sign_sk.len, 64);
    council__secret_read(&a.box_sk);
    council__secret_read(&a.sign_sk);
    assert_int_equal(crypto_scalarmult_base(pk, a.box_sk.p), 0);
    assert_memory_equal(pk, a.box_pk, 32);
    assert_int_equal(crypto_sign_ed25519(m, &mlen, (const uint8_t *)"hello", 5, a.sign_sk.p), 0);
    assert_int_equal(crypto_sign_ed25519_open(m, &mlen, m, sizeof m, a.sign_pk), 0);
    council__secret_lock(&a.box_sk);
    council__secret_lock(&a.sign_sk);
    council__member_keys_free(&a);
    council__member_keys_free(&b);
    assert_null(a.box_sk.p);
    council__member_keys_free(&a); /* twice, and NULL: harmless */
    council__member_keys_free(NULL);
}

static void test_keyfile__round_trip(void **state)
{
    fx *f = *state;
    council__keyfile_info info, info2;
    council__member_keys k;
    council_buf again = { NULL, 0 };
    uint8_t pk[32];

    assert_int_equal(council__keyfile_parse(f->c, &info, f->orig, f->orig_len), COUNCIL_OK);
    assert_int_equal(info.format_version, 1);
    assert_memory_equal(info.council_id, f->c->council_id, 16);
    assert_memory_equal(info.member_id, f->member_id, 16);
    assert_memory_equal(info.box_pk, f->keys.box_pk, 32);
    assert_memory_equal(info.sign_pk, f->keys.sign_pk, 32);
    assert_int_equal(info.opslimit, TH_OPS);
    assert_int_equal(info.memlimit, TH_MEM);
    assert_true(f->orig_len <= COUNCIL__KEYFILE_MAX);
    assert_memory_equal(f->orig, keyfile_magic, 8);

    assert_int_equal(council__keyfile_open(f->c, &k, &info2, f->orig, f->orig_len, PASS, PASS_LEN),
                     COUNCIL_OK);
    assert_memory_equal(&info, &info2, sizeof info);
    assert_memory_equal(k.member_id, f->member_id, 16);
    assert_memory_equal(k.box_pk, f->keys.box_pk, 32);
    assert_memory_equal(k.sign_pk, f->keys.sign_pk, 32);
    council__secret_read(&k.box_sk);
    council__secret_read(&k.sign_sk);
    council__secret_read(&f->keys.box_sk);
    council__secret_read(&f->keys.sign_sk);
    assert_memory_equal(k.box_sk.p, f->keys.box_sk.p, 32);
    assert_memory_equal(k.sign_sk.p, f->keys.sign_sk.p, 64);
    /* The public keys derive from the secret keys opened. */
    assert_int_equal(crypto_scalarmult_base(pk, k.box_sk.p), 0);
    assert_memory_equal(pk, k.box_pk, 32);
    assert_int_equal(crypto_sign_ed25519_sk_to_pk(pk, k.sign_sk.p), 0);
    assert_memory_equal(pk, k.sign_pk, 32);
    /* No secret and no passphrase in clear in the file. */
    assert_false(has_bytes(f->orig, f->orig_len, k.box_sk.p, 32));
    assert_false(has_bytes(f->orig, f->orig_len, k.sign_sk.p, 32)); /* the seed */
    assert_false(has_bytes(f->orig, f->orig_len, PASS, PASS_LEN));
    council__secret_lock(&f->keys.box_sk);
    council__secret_lock(&f->keys.sign_sk);
    council__secret_lock(&k.box_sk);
    council__secret_lock(&k.sign_sk);

    /* Writing the opened keys again: same keys, fresh salt and nonce. */
    assert_int_equal(council__keyfile_write(f->c, &again, &k, info.council_id, PASS, PASS_LEN,
                                            TH_OPS, TH_MEM), COUNCIL_OK);
    assert_int_equal(again.len, f->orig_len);
    assert_memory_not_equal(again.ptr, f->orig, f->orig_len);
    assert_int_equal(council__keyfile_parse(f->c, &info2, again.ptr, again.len), COUNCIL_OK);
    assert_memory_equal(&info, &info2, sizeof info);
    council_buf_free(&again);
    council__member_keys_free(&k);
}

/* The file layout as keyfile.proto documents it, built without the writer. */
static void test_keyfile__documented_layout_opens(void **state)
{
    fx *f = *state;
    uint8_t secrets[96], *p;
    size_t len;

    council__secret_read(&f->keys.box_sk);
    council__secret_read(&f->keys.sign_sk);
    memcpy(secrets, f->keys.box_sk.p, 32);
    memcpy(secrets + 32, f->keys.sign_sk.p, 64);
    council__secret_lock(&f->keys.box_sk);
    council__secret_lock(&f->keys.sign_sk);
    p = forge(f->c->council_id, f->member_id, f->keys.box_pk, f->keys.sign_pk, secrets, &len);
    sodium_memzero(secrets, sizeof secrets);
    assert_int_equal(open_bytes(f, p, len), COUNCIL_OK);
    free(p);
}

static void test_keyfile__wrong_passphrase_is_eauth(void **state)
{
    fx *f = *state;
    council__member_keys k;
    council__keyfile_info info;
    static const council__keyfile_info zero_info;
    static const char *wrong[] = { "x", "correct horse battery stapl", "correct horse battery staplf",
                                   "Correct horse battery staple" };

    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        memset(&k, 0xa5, sizeof k);
        assert_int_equal(council__keyfile_open(f->c, &k, &info, f->orig, f->orig_len,
                                               (const uint8_t *)wrong[i], strlen(wrong[i])),
                         COUNCIL_EAUTH);
        /* Nothing comes out: no key memory, no public parts, no info. */
        assert_null(k.box_sk.p);
        assert_null(k.sign_sk.p);
        assert_int_equal(k.box_sk.len, 0);
        {
            static const uint8_t zero[32];
            assert_memory_equal(k.box_pk, zero, 32);
            assert_memory_equal(k.sign_pk, zero, 32);
        }
        assert_memory_equal(&info, &zero_info, sizeof info);
        assert_non_null(strstr(msg(f), "keyfile"));
        assert_null(strstr(msg(f), wrong[i]));
        council__member_keys_free(&k); /* the caller's free is still harmless */
    }
}

static void test_keyfile__bad_arguments(void **state)
{
    fx *f = *state;
    council__member_keys k, empty;
    council__keyfile_info info;
    council_buf out = { NULL, 0 };
    uint8_t big[COUNCIL_PASSPHRASE_MAX + 1];

    memset(big, 'a', sizeof big);
    memset(&empty, 0, sizeof empty);
    assert_int_equal(council__keyfile_open(f->c, &k, &info, f->orig, f->orig_len, PASS, 0),
                     COUNCIL_EINVAL);
    assert_int_equal(council__keyfile_open(f->c, &k, &info, f->orig, f->orig_len, NULL, 5),
                     COUNCIL_EINVAL);
    assert_int_equal(council__keyfile_open(f->c, &k, &info, f->orig, f->orig_len, big,
                                           sizeof big), COUNCIL_EINVAL);
    assert_int_equal(council__keyfile_open(f->c, NULL, &info, f->orig, f->orig_len, PASS,
                                           PASS_LEN), COUNCIL_EINVAL);
    assert_int_equal(council__keyfile_open(f->c, &k, &info, NULL, 100, PASS, PASS_LEN),
                     COUNCIL_EFORMAT);
    assert_int_equal(council__keyfile_parse(f->c, NULL, f->orig, f->orig_len), COUNCIL_EINVAL);
    assert_int_equal(council__keyfile_parse(f->c, &info, NULL, 0), COUNCIL_EFORMAT);
    /* info is optional when opening. */
    assert_int_equal(council__keyfile_open(f->c, &k, NULL, f->orig, f->orig_len, PASS, PASS_LEN),
                     COUNCIL_OK);
    council__member_keys_free(&k);

    assert_int_equal(council__keyfile_write(f->c, NULL, &f->keys, f->c->council_id, PASS,
                                            PASS_LEN, TH_OPS, TH_MEM), COUNCIL_EINVAL);
    assert_int_equal(council__keyfile_write(f->c, &out, &empty, f->c->council_id, PASS,
                                            PASS_LEN, TH_OPS, TH_MEM), COUNCIL_EINVAL);
    assert_int_equal(council__keyfile_write(f->c, &out, &f->keys, f->c->council_id, PASS, 0,
                                            TH_OPS, TH_MEM), COUNCIL_EINVAL);
    assert_int_equal(council__keyfile_write(f->c, &out, &f->keys, f->c->council_id, PASS,
                                            PASS_LEN, COUNCIL_KDF_OPSLIMIT_MAX + 1, TH_MEM),
                     COUNCIL_EINVAL);
    assert_int_equal(council__keyfile_write(f->c, &out, &f->keys, f->c->council_id, PASS,
                                            PASS_LEN, TH_OPS, COUNCIL_KDF_MEMLIMIT_MIN - 1),
                     COUNCIL_EINVAL);
    assert_null(out.ptr);
    assert_int_equal(council__member_keys_generate(f->c, NULL, f->member_id), COUNCIL_EINVAL);
}

/* Flip every bit of every byte: the checksum catches each one. */
static void test_keyfile__every_flip_is_eformat(void **state)
{
    fx *f = *state;
    uint8_t *copy = malloc(f->orig_len);
    council__keyfile_info info;

    assert_non_null(copy);
    for (size_t i = 0; i < f->orig_len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(copy, f->orig, f->orig_len);
            copy[i] ^= (uint8_t)(1u << bit);
            assert_int_equal(council__keyfile_parse(f->c, &info, copy, f->orig_len),
                             COUNCIL_EFORMAT);
        }
        /* Opening too, once per byte: refused before any Argon2id. */
        memcpy(copy, f->orig, f->orig_len);
        copy[i] ^= 0xff;
        assert_int_equal(open_bytes(f, copy, f->orig_len), COUNCIL_EFORMAT);
        assert_non_null(strstr(msg(f), "keyfile"));
    }
    free(copy);
}

static void test_keyfile__every_truncation_is_eformat(void **state)
{
    fx *f = *state;
    council__keyfile_info info;

    for (size_t n = 0; n < f->orig_len; n++) {
        /* A buffer of exactly n bytes, so ASan sees any read past it. */
        uint8_t *p = malloc(n == 0 ? 1 : n);
        assert_non_null(p);
        memcpy(p, f->orig, n);
        assert_int_equal(council__keyfile_parse(f->c, &info, p, n), COUNCIL_EFORMAT);
        assert_int_equal(open_bytes(f, p, n), COUNCIL_EFORMAT);
        free(p);
    }
}

static void test_keyfile__extension_and_oversize_are_eformat(void **state)
{
    fx *f = *state;
    council__keyfile_info info;
    size_t big = COUNCIL__KEYFILE_MAX + 1;
    uint8_t *p = calloc(1, big + 100);

    assert_non_null(p);
    memcpy(p, f->orig, f->orig_len);
    assert_int_equal(council__keyfile_parse(f->c, &info, p, f->orig_len + 1), COUNCIL_EFORMAT);
    assert_int_equal(open_bytes(f, p, f->orig_len + 1), COUNCIL_EFORMAT);
    /* A byte appended to the body, checksum recomputed: a zero tag does not
     * decode. */
    {
        uint8_t *q = malloc(f->orig_len + 1);
        assert_non_null(q);
        memcpy(q, f->orig, f->orig_len - 32);
        q[f->orig_len - 32] = 0;
        fix_sum(q, f->orig_len + 1);
        assert_int_equal(council__keyfile_parse(f->c, &info, q, f->orig_len + 1),
                         COUNCIL_EFORMAT);
        free(q);
    }
    /* One byte over the cap with a valid-looking checksum: refused by size. */
    fix_sum(p, big);
    assert_int_equal(council__keyfile_parse(f->c, &info, p, big), COUNCIL_EFORMAT);
    assert_non_null(strstr(msg(f), "too large"));
    fix_sum(p, big + 100);
    assert_int_equal(open_bytes(f, p, big + 100), COUNCIL_EFORMAT);
    free(p);
}

static void test_keyfile__foreign_files_are_eformat(void **state)
{
    fx *f = *state;
    council__keyfile_info info;
    uint8_t noise[512], *kr;
    const uint8_t png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
                            'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0,
                            0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0, 'I', 'E', 'N', 'D' };
    const char text[] = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n";

    randombytes_buf(noise, sizeof noise);
    assert_int_equal(council__keyfile_parse(f->c, &info, noise, sizeof noise), COUNCIL_EFORMAT);
    assert_int_equal(open_bytes(f, noise, sizeof noise), COUNCIL_EFORMAT);
    assert_int_equal(open_bytes(f, png, sizeof png), COUNCIL_EFORMAT);
    assert_int_equal(open_bytes(f, (const uint8_t *)text, strlen(text)), COUNCIL_EFORMAT);
    /* A council keyring is not a member keyfile: its magic differs... */
    assert_int_equal(council__keyfile_parse(f->c, &info, f->keyring, f->keyring_len),
                     COUNCIL_EFORMAT);
    assert_non_null(strstr(msg(f), "not a libcouncil keyfile"));
    assert_int_equal(open_bytes(f, f->keyring, f->keyring_len), COUNCIL_EFORMAT);
    /* ...and with our magic and a recomputed checksum its body is refused. */
    kr = malloc(f->keyring_len);
    assert_non_null(kr);
    memcpy(kr, f->keyring, f->keyring_len);
    memcpy(kr, keyfile_magic, 8);
    fix_sum(kr, f->keyring_len);
    assert_int_equal(open_bytes(f, kr, f->keyring_len), COUNCIL_EFORMAT);
    free(kr);
    /* Nor is a keyfile a keyring. */
    {
        council__keyring k;
        assert_int_equal(council__keyring_parse(NULL, &k, f->orig, f->orig_len), COUNCIL_EFORMAT);
    }
    /* The right magic followed by noise, with and without a checksum. */
    memcpy(noise, keyfile_magic, 8);
    assert_int_equal(open_bytes(f, noise, sizeof noise), COUNCIL_EFORMAT);
    fix_sum(noise, sizeof noise);
    assert_int_equal(open_bytes(f, noise, sizeof noise), COUNCIL_EFORMAT);
}

/* Someone who edits a byte and recomputes the checksum: the authenticated
 * wrap or the field checks still refuse. Never COUNCIL_OK. */
static void test_keyfile__forged_edits_never_open(void **state)
{
    fx *f = *state;
    uint8_t *copy = malloc(f->orig_len);
    size_t body_end = f->orig_len - 32;
    int seen_auth = 0, seen_format = 0;
    double t0 = now();

    assert_non_null(copy);
    for (size_t i = 8; i < body_end; i++) {
        for (int bit = 0; bit < 8; bit++) {
            int rc;

            memcpy(copy, f->orig, f->orig_len);
            copy[i] ^= (uint8_t)(1u << bit);
            fix_sum(copy, f->orig_len);
            rc = open_bytes(f, copy, f->orig_len);
            if (rc == COUNCIL_EAUTH)
                seen_auth++;
            if (rc == COUNCIL_EFORMAT)
                seen_format++;
            if (rc != COUNCIL_EAUTH && rc != COUNCIL_EFORMAT && rc != COUNCIL_EUNSUPPORTED)
                fail_msg("byte %zu bit %d: rc %d (%s)", i, bit, rc, msg(f));
        }
    }
    /* The ids, keys, salt, nonce and ciphertext are all covered. */
    assert_true(seen_auth > 8 * (16 + 16 + 32 + 32 + 16 + 24 + 112) - 100);
    assert_true(seen_format > 0);
    assert_true(now() - t0 < 60);
    free(copy);
}

/* Whole fields swapped in from another keyfile: the wrap is bound to them. */
static void test_keyfile__bound_to_council_member_and_public_keys(void **state)
{
    fx *f = *state;
    council__member_keys other;
    uint8_t other_id[16];
    council_buf ob = { NULL, 0 };
    Council__V1__MemberKeyfile *m, *o;
    uint8_t *p, save[32];
    size_t len;

    council__uuid_random(other_id);
    assert_int_equal(council__member_keys_generate(f->c, &other, other_id), COUNCIL_OK);
    assert_int_equal(council__keyfile_write(f->c, &ob, &other, f->c->council_id, PASS, PASS_LEN,
                                            TH_OPS, TH_MEM), COUNCIL_OK);
    o = council__v1__member_keyfile__unpack(NULL, ob.len - 40, ob.ptr + 8);
    assert_non_null(o);
    m = unpack_orig(f);

#define SWAP_EXPECT(field, n, want)                                   \
    do {                                                              \
        memcpy(save, m->field.data, n);                               \
        memcpy(m->field.data, o->field.data, n);                      \
        p = file_for(m, &len);                                        \
        assert_int_equal(open_bytes(f, p, len), (want));              \
        free(p);                                                      \
        memcpy(m->field.data, save, n);                               \
    } while (0)

    SWAP_EXPECT(member_id, 16, COUNCIL_EAUTH);
    SWAP_EXPECT(box_public_key, 32, COUNCIL_EAUTH);
    SWAP_EXPECT(sign_public_key, 32, COUNCIL_EAUTH);
    SWAP_EXPECT(kdf->salt, 16, COUNCIL_EAUTH);
    SWAP_EXPECT(secret_keys->nonce, 24, COUNCIL_EAUTH);
    /* Another council's id. */
    m->council_id.data[0] ^= 0x01;
    p = file_for(m, &len);
    assert_int_equal(open_bytes(f, p, len), COUNCIL_EAUTH);
    free(p);
    m->council_id.data[0] ^= 0x01;
    /* In-range KDF cost edits derive another key. */
    m->kdf->opslimit = TH_OPS + 1;
    p = file_for(m, &len);
    assert_int_equal(open_bytes(f, p, len), COUNCIL_EAUTH);
    free(p);
    m->kdf->opslimit = TH_OPS;
    m->kdf->memlimit = TH_MEM * 2;
    p = file_for(m, &len);
    assert_int_equal(open_bytes(f, p, len), COUNCIL_EAUTH);
    free(p);
    m->kdf->memlimit = TH_MEM;
    /* Unchanged it still opens (the edits above were undone). */
    p = file_for(m, &len);
    assert_int_equal(open_bytes(f, p, len), COUNCIL_OK);
    free(p);
#undef SWAP_EXPECT

    council__v1__member_keyfile__free_unpacked(m, NULL);
    council__v1__member_keyfile__free_unpacked(o, NULL);
    council_buf_free(&ob);
    council__member_keys_free(&other);
}

static void test_keyfile__format_versions(void **state)
{
    fx *f = *state;
    Council__V1__MemberKeyfile *m = unpack_orig(f);
    council__keyfile_info info;
    ProtobufCMessageUnknownField uf;
    uint8_t one = 1, *p;
    size_t len;

    m->format_version = 2;
    p = file_for(m, &len);
    assert_int_equal(council__keyfile_parse(f->c, &info, p, len), COUNCIL_EUNSUPPORTED);
    assert_non_null(strstr(msg(f), "newer"));
    assert_int_equal(open_bytes(f, p, len), COUNCIL_EUNSUPPORTED);
    free(p);
    /* A newer format with fields we don't know is still "newer", not damage. */
    uf.tag = 99;
    uf.wire_type = PROTOBUF_C_WIRE_TYPE_VARINT;
    uf.len = 1;
    uf.data = &one;
    m->base.n_unknown_fields = 1;
    m->base.unknown_fields = &uf;
    p = file_for(m, &len);
    m->base.n_unknown_fields = 0;
    m->base.unknown_fields = NULL;
    assert_int_equal(council__keyfile_parse(f->c, &info, p, len), COUNCIL_EUNSUPPORTED);
    free(p);
    m->format_version = 0xffffffffu;
    p = file_for(m, &len);
    assert_int_equal(council__keyfile_parse(f->c, &info, p, len), COUNCIL_EUNSUPPORTED);
    free(p);
    m->format_version = 0;
    p = file_for(m, &len);
    assert_int_equal(council__keyfile_parse(f->c, &info, p, len), COUNCIL_EFORMAT);
    assert_int_equal(open_bytes(f, p, len), COUNCIL_EFORMAT);
    free(p);
    council__v1__member_keyfile__free_unpacked(m, NULL);
}

/* A hostile keyfile cannot make us run a huge Argon2id. */
static void test_keyfile__kdf_cost_capped_before_derivation(void **state)
{
    fx *f = *state;
    const uint64_t bad[][2] = {
        { COUNCIL_KDF_OPSLIMIT_MAX + 1, TH_MEM },
        { 0, TH_MEM },
        { 0xffffffffffffffffull, TH_MEM },
        { COUNCIL_KDF_OPSLIMIT_MAX + 1, COUNCIL_KDF_MEMLIMIT_MAX },
        { TH_OPS, (uint64_t)COUNCIL_KDF_MEMLIMIT_MAX + 1 },
        { COUNCIL_KDF_OPSLIMIT_MAX, (uint64_t)COUNCIL_KDF_MEMLIMIT_MAX + 1 },
        { TH_OPS, COUNCIL_KDF_MEMLIMIT_MIN - 1 },
        { TH_OPS, 0 },
        { TH_OPS, 0xffffffffffffffffull },
    };
    Council__V1__MemberKeyfile *m = unpack_orig(f);
    council__keyfile_info info;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t *p;
        size_t len;
        double t0;

        m->kdf->opslimit = bad[i][0];
        m->kdf->memlimit = bad[i][1];
        p = file_for(m, &len);
        t0 = now();
        assert_int_equal(council__keyfile_parse(f->c, &info, p, len), COUNCIL_EFORMAT);
        assert_int_equal(open_bytes(f, p, len), COUNCIL_EFORMAT);
        assert_non_null(strstr(msg(f), "KDF cost"));
        /* Far less than even the smallest of these costs would take. */
        assert_true(now() - t0 < 0.5);
        free(p);
    }
    council__v1__member_keyfile__free_unpacked(m, NULL);
}

static void test_keyfile__unknown_fields_are_eformat(void **state)
{
    fx *f = *state;
    Council__V1__MemberKeyfile *m = unpack_orig(f);
    ProtobufCMessageUnknownField uf;
    ProtobufCMessage *where[3];
    uint8_t one = 1, *p, *q;
    size_t len;

    uf.tag = 99;
    uf.wire_type = PROTOBUF_C_WIRE_TYPE_VARINT;
    uf.len = 1;
    uf.data = &one;
    where[0] = &m->base;
    where[1] = &m->kdf->base;
    where[2] = &m->secret_keys->base;
    for (size_t i = 0; i < 3; i++) {
        where[i]->n_unknown_fields = 1;
        where[i]->unknown_fields = &uf;
        p = file_for(m, &len);
        where[i]->n_unknown_fields = 0;
        where[i]->unknown_fields = NULL;
        assert_int_equal(open_bytes(f, p, len), COUNCIL_EFORMAT);
        assert_non_null(strstr(msg(f), "unknown field"));
        free(p);
    }
    /* Raw bytes after the message: field 15, varint 0. */
    p = file_for(m, &len);
    q = malloc(len + 2);
    assert_non_null(q);
    memcpy(q, p, len - 32);
    q[len - 32] = 15 << 3;
    q[len - 31] = 0;
    fix_sum(q, len + 2);
    assert_int_equal(open_bytes(f, q, len + 2), COUNCIL_EFORMAT);
    free(p);
    free(q);
    council__v1__member_keyfile__free_unpacked(m, NULL);
}

static void test_keyfile__malformed_fields(void **state)
{
    fx *f = *state;
    Council__V1__MemberKeyfile *m;
    uint8_t *p;
    size_t len;

#define EXPECT(edit, want)                                            \
    do {                                                              \
        m = unpack_orig(f);                                           \
        edit;                                                         \
        p = file_for(m, &len);                                        \
        assert_int_equal(open_bytes(f, p, len), (want));              \
        free(p);                                                      \
        council__v1__member_keyfile__free_unpacked(m, NULL);          \
    } while (0)

    /* Shortened fields: only .len is edited, so the message frees cleanly. */
    EXPECT(m->council_id.len = 15, COUNCIL_EFORMAT);
    EXPECT(m->council_id.len = 0, COUNCIL_EFORMAT);
    EXPECT(m->member_id.len = 15, COUNCIL_EFORMAT);
    EXPECT(m->box_public_key.len = 31, COUNCIL_EFORMAT);
    EXPECT(m->sign_public_key.len = 31, COUNCIL_EFORMAT);
    EXPECT(m->kdf->salt.len = 15, COUNCIL_EFORMAT);
    EXPECT(m->secret_keys->nonce.len = 23, COUNCIL_EFORMAT);
    EXPECT(m->secret_keys->ciphertext.len = 111, COUNCIL_EFORMAT);
    EXPECT(m->secret_keys->ciphertext.len = 16, COUNCIL_EFORMAT);
    EXPECT(m->kdf->algorithm = COUNCIL__V1__KDF_PARAMS__ALGORITHM__ALGORITHM_UNKNOWN,
           COUNCIL_EFORMAT);
    EXPECT(m->kdf->algorithm = (Council__V1__KdfParams__Algorithm)2, COUNCIL_EFORMAT);
#undef EXPECT

    /* Longer fields: the ciphertext of another size, an over-long id. */
    m = unpack_orig(f);
    {
        uint8_t ct[200], id[17];
        ProtobufCBinaryData save = m->secret_keys->ciphertext, save_id = m->member_id;

        memset(ct, 7, sizeof ct);
        memset(id, 7, sizeof id);
        m->secret_keys->ciphertext.data = ct;
        m->secret_keys->ciphertext.len = sizeof ct;
        p = file_for(m, &len);
        assert_int_equal(open_bytes(f, p, len), COUNCIL_EFORMAT);
        free(p);
        m->secret_keys->ciphertext = save;
        m->member_id.data = id;
        m->member_id.len = sizeof id;
        p = file_for(m, &len);
        assert_int_equal(open_bytes(f, p, len), COUNCIL_EFORMAT);
        free(p);
        m->member_id = save_id;
    }
    council__v1__member_keyfile__free_unpacked(m, NULL);
}

/* A file that is authentic under the passphrase but whose secret keys are
 * not the public keys' (only a passphrase holder could make one). */
static void test_keyfile__mismatched_secret_keys_are_eformat(void **state)
{
    fx *f = *state;
    council__member_keys other, mixed;
    uint8_t mine[96], theirs[96], *p;
    council_buf out = { NULL, 0 };
    size_t len;

    assert_int_equal(council__member_keys_generate(f->c, &other, f->member_id), COUNCIL_OK);
    council__secret_read(&f->keys.box_sk);
    council__secret_read(&f->keys.sign_sk);
    council__secret_read(&other.box_sk);
    council__secret_read(&other.sign_sk);
    memcpy(mine, f->keys.box_sk.p, 32);
    memcpy(mine + 32, f->keys.sign_sk.p, 64);
    memcpy(theirs, other.box_sk.p, 32);
    memcpy(theirs + 32, other.sign_sk.p, 64);
    council__secret_lock(&f->keys.box_sk);
    council__secret_lock(&f->keys.sign_sk);
    council__secret_lock(&other.box_sk);
    council__secret_lock(&other.sign_sk);

    /* Both pairs of another member under our public keys. */
    p = forge(f->c->council_id, f->member_id, f->keys.box_pk, f->keys.sign_pk, theirs, &len);
    assert_int_equal(open_bytes(f, p, len), COUNCIL_EFORMAT);
    assert_non_null(strstr(msg(f), "do not match"));
    free(p);
    /* Only the X25519 key swapped. */
    {
        uint8_t s[96];
        memcpy(s, theirs, 32);
        memcpy(s + 32, mine + 32, 64);
        p = forge(f->c->council_id, f->member_id, f->keys.box_pk, f->keys.sign_pk, s, &len);
        assert_int_equal(open_bytes(f, p, len), COUNCIL_EFORMAT);
        free(p);
        /* Only the Ed25519 key swapped. */
        memcpy(s, mine, 32);
        memcpy(s + 32, theirs + 32, 64);
        p = forge(f->c->council_id, f->member_id, f->keys.box_pk, f->keys.sign_pk, s, &len);
        assert_int_equal(open_bytes(f, p, len), COUNCIL_EFORMAT);
        free(p);
        /* Another seed with our public key in the Ed25519 secret key's
         * second half: sk_to_pk alone would be fooled. */
        memcpy(s, mine, 32);
        memcpy(s + 32, theirs + 32, 32);
        memcpy(s + 64, f->keys.sign_pk, 32);
        p = forge(f->c->council_id, f->member_id, f->keys.box_pk, f->keys.sign_pk, s, &len);
        assert_int_equal(open_bytes(f, p, len), COUNCIL_EFORMAT);
        free(p);
        /* Our seed with someone else's public key in the second half. */
        memcpy(s, mine, 64);
        memcpy(s + 64, other.sign_pk, 32);
        p = forge(f->c->council_id, f->member_id, f->keys.box_pk, f->keys.sign_pk, s, &len);
        assert_int_equal(open_bytes(f, p, len), COUNCIL_EFORMAT);
        free(p);
        sodium_memzero(s, sizeof s);
    }

    /* The writer refuses to make such a file in the first place. */
    mixed = other;
    memcpy(mixed.box_pk, f->keys.box_pk, 32);
    assert_int_equal(council__keyfile_write(f->c, &out, &mixed, f->c->council_id, PASS,
                                            PASS_LEN, TH_OPS, TH_MEM), COUNCIL_EINVAL);
    assert_null(out.ptr);
    mixed = other;
    memcpy(mixed.sign_pk, f->keys.sign_pk, 32);
    assert_int_equal(council__keyfile_write(f->c, &out, &mixed, f->c->council_id, PASS,
                                            PASS_LEN, TH_OPS, TH_MEM), COUNCIL_EINVAL);
    assert_null(out.ptr);

    sodium_memzero(mine, sizeof mine);
    sodium_memzero(theirs, sizeof theirs);
    council__member_keys_free(&other);
}

/* Every allocation failure, one at a time: ENOMEM or OK, never a crash or
 * a half-filled output. */
static void test_keyfile__out_of_memory(void **state)
{
    fx *f = *state;
    long n;
    int enomem = 0;

    for (n = 0; n < 1000; n++) {
        council__member_keys k, k2;
        council__keyfile_info info;
        council_buf out = { NULL, 0 };
        int rc;

        memset(&k2, 0, sizeof k2);
        council__fault_alloc_after(n);
        rc = council__member_keys_generate(f->c, &k, f->member_id);
        if (rc == COUNCIL_OK) {
            rc = council__keyfile_write(f->c, &out, &k, f->c->council_id, PASS, PASS_LEN,
                                        TH_OPS, TH_MEM);
            if (rc != COUNCIL_OK)
                assert_null(out.ptr);
        } else {
            assert_null(k.box_sk.p);
            assert_null(k.sign_sk.p);
        }
        if (rc == COUNCIL_OK)
            rc = council__keyfile_parse(f->c, &info, out.ptr, out.len);
        if (rc == COUNCIL_OK) {
            rc = council__keyfile_open(f->c, &k2, &info, out.ptr, out.len, PASS, PASS_LEN);
            if (rc != COUNCIL_OK) {
                assert_null(k2.box_sk.p);
                assert_null(k2.sign_sk.p);
            }
        }
        council__fault_alloc_after(-1);
        if (rc != COUNCIL_OK && rc != COUNCIL_ENOMEM)
            fail_msg("fault after %ld: rc %d (%s)", n, rc, msg(f));
        if (rc == COUNCIL_ENOMEM) {
            enomem++;
            assert_non_null(strstr(msg(f), "memory"));
        } else {
            assert_memory_equal(k2.box_pk, k.box_pk, 32);
        }
        council__member_keys_free(&k);
        council__member_keys_free(&k2);
        council_buf_free(&out);
        if (rc == COUNCIL_OK)
            break;
    }
    assert_true(n < 1000);
    assert_true(enomem >= 6); /* two in generate, two in write, parse, four in open */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyfile__generate_gives_fresh_key_pairs),
        cmocka_unit_test(test_keyfile__round_trip),
        cmocka_unit_test(test_keyfile__documented_layout_opens),
        cmocka_unit_test(test_keyfile__wrong_passphrase_is_eauth),
        cmocka_unit_test(test_keyfile__bad_arguments),
        cmocka_unit_test(test_keyfile__every_flip_is_eformat),
        cmocka_unit_test(test_keyfile__every_truncation_is_eformat),
        cmocka_unit_test(test_keyfile__extension_and_oversize_are_eformat),
        cmocka_unit_test(test_keyfile__foreign_files_are_eformat),
        cmocka_unit_test(test_keyfile__forged_edits_never_open),
        cmocka_unit_test(test_keyfile__bound_to_council_member_and_public_keys),
        cmocka_unit_test(test_keyfile__format_versions),
        cmocka_unit_test(test_keyfile__kdf_cost_capped_before_derivation),
        cmocka_unit_test(test_keyfile__unknown_fields_are_eformat),
        cmocka_unit_test(test_keyfile__malformed_fields),
        cmocka_unit_test(test_keyfile__mismatched_secret_keys_are_eformat),
        cmocka_unit_test(test_keyfile__out_of_memory),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
