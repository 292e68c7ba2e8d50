/* test_keyring.c - the keyring file: parsing, damage, forgery, wraps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "helpers.h"
#include "council_int.h"
#include "keyring.h"
#include "council/v1/keyring.pb-c.h"

typedef struct fx {
    char *root, *store, *kr_path;
    uint8_t *orig;
    size_t orig_len;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);

    assert_non_null(f);
    f->store = th_make_store(&f->root, "keyring test");
    f->kr_path = th_path(f->store, "council.keyring");
    assert_int_equal(th_read_file(f->kr_path, &f->orig, &f->orig_len), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;

    th_rmrf(f->root);
    free(f->root); free(f->store); free(f->kr_path); free(f->orig);
    free(f);
    return 0;
}

/* Put these bytes in place of the keyring and open with TH_PASS. */
static int open_with(fx *f, const uint8_t *bytes, size_t len, char *msg, size_t msg_len)
{
    council *c = NULL;
    int rc;

    assert_int_equal(th_write_file(f->kr_path, bytes, len), 0);
    rc = th_open(&c, f->store, TH_PASS);
    if (msg != NULL)
        snprintf(msg, msg_len, "%s", council_errmsg(c));
    council_close(c);
    return rc;
}

static void restore(fx *f)
{
    assert_int_equal(th_write_file(f->kr_path, f->orig, f->orig_len), 0);
}

/* The file bytes for a keyring message: magic, message, BLAKE2b-256. */
static uint8_t *file_for(const Council__V1__Keyring *m, size_t *len)
{
    static const uint8_t magic[8] = { 0x89, 'C', 'K', 'R', '\r', '\n', 0x1a, '\n' };
    size_t body = council__v1__keyring__get_packed_size(m);
    uint8_t *p = malloc(8 + body + 32);

    assert_non_null(p);
    memcpy(p, magic, 8);
    council__v1__keyring__pack(m, p + 8);
    crypto_generichash(p + 8 + body, 32, p, 8 + body, NULL, 0);
    *len = 8 + body + 32;
    return p;
}

/* Recompute the checksum after editing the body. */
static void fix_sum(uint8_t *p, size_t len)
{
    crypto_generichash(p + len - 32, 32, p, len - 32, NULL, 0);
}

static Council__V1__Keyring *unpack_orig(fx *f)
{
    Council__V1__Keyring *m = council__v1__keyring__unpack(NULL, f->orig_len - 40, f->orig + 8);

    assert_non_null(m);
    return m;
}

static void test_keyring__opens_untouched(void **state)
{
    fx *f = *state;

    assert_int_equal(open_with(f, f->orig, f->orig_len, NULL, 0), COUNCIL_OK);
}

static void test_keyring__parse_serialize_round_trip(void **state)
{
    fx *f = *state;
    council__keyring kr;
    council_buf out = { NULL, 0 };

    assert_int_equal(council__keyring_parse(NULL, &kr, f->orig, f->orig_len), COUNCIL_OK);
    assert_int_equal(kr.format_version, COUNCIL__KEYRING_FORMAT);
    assert_int_equal(kr.opslimit, TH_OPS);
    assert_int_equal(kr.memlimit, TH_MEM);
    assert_int_equal(kr.db_key_version, 1);
    assert_int_equal(council__keyring_serialize(NULL, &out, &kr), COUNCIL_OK);
    assert_int_equal(out.len, f->orig_len);
    assert_memory_equal(out.ptr, f->orig, f->orig_len);
    council_buf_free(&out);
}

/* Flip every bit of every byte: the checksum catches each one. */
static void test_keyring__every_flip_is_eformat(void **state)
{
    fx *f = *state;
    uint8_t *copy = malloc(f->orig_len);
    char msg[COUNCIL__ERRMSG_MAX];
    council__keyring kr;

    assert_non_null(copy);
    for (size_t i = 0; i < f->orig_len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(copy, f->orig, f->orig_len);
            copy[i] ^= (uint8_t)(1u << bit);
            assert_int_equal(council__keyring_parse(NULL, &kr, copy, f->orig_len),
                             COUNCIL_EFORMAT);
        }
        /* Through the public API too, once per byte. */
        memcpy(copy, f->orig, f->orig_len);
        copy[i] ^= 0xff;
        assert_int_equal(open_with(f, copy, f->orig_len, msg, sizeof msg), COUNCIL_EFORMAT);
        assert_non_null(strstr(msg, "keyring"));
    }
    free(copy);
    restore(f);
}

static void test_keyring__every_truncation_is_eformat(void **state)
{
    fx *f = *state;
    council__keyring kr;

    for (size_t n = 0; n < f->orig_len; n++) {
        assert_int_equal(council__keyring_parse(NULL, &kr, f->orig, n), COUNCIL_EFORMAT);
        assert_int_equal(open_with(f, f->orig, n, NULL, 0), COUNCIL_EFORMAT);
    }
    restore(f);
}

static void test_keyring__extension_and_oversize_are_eformat(void **state)
{
    fx *f = *state;
    size_t big = COUNCIL__KEYRING_FILE_MAX + 100;
    uint8_t *p = calloc(1, big);

    assert_non_null(p);
    memcpy(p, f->orig, f->orig_len);
    assert_int_equal(open_with(f, p, f->orig_len + 1, NULL, 0), COUNCIL_EFORMAT);
    /* Oversized with a valid-looking checksum: refused by size first. */
    fix_sum(p, big);
    assert_int_equal(open_with(f, p, big, NULL, 0), COUNCIL_EFORMAT);
    free(p);
    restore(f);
}

static void test_keyring__foreign_files_are_eformat(void **state)
{
    fx *f = *state;
    char *db = th_path(f->store, "council.db");
    uint8_t noise[512], *dbb;
    size_t dbl;
    const uint8_t png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
                            'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0,
                            0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0, 'I', 'E', 'N', 'D' };
    const char text[] = "[keyring]\nroot = 0123456789abcdef\n";

    randombytes_buf(noise, sizeof noise);
    assert_int_equal(open_with(f, noise, sizeof noise, NULL, 0), COUNCIL_EFORMAT);
    assert_int_equal(open_with(f, png, sizeof png, NULL, 0), COUNCIL_EFORMAT);
    assert_int_equal(open_with(f, (const uint8_t *)text, strlen(text), NULL, 0), COUNCIL_EFORMAT);
    /* Our own database file is not a keyring either. */
    assert_int_equal(th_read_file(db, &dbb, &dbl), 0);
    assert_int_equal(open_with(f, dbb, dbl > 4000 ? 4000 : dbl, NULL, 0), COUNCIL_EFORMAT);
    /* The right magic followed by noise. */
    memcpy(noise, f->orig, 8);
    assert_int_equal(open_with(f, noise, sizeof noise, NULL, 0), COUNCIL_EFORMAT);
    fix_sum(noise, sizeof noise); /* checksum right, body noise */
    assert_int_equal(open_with(f, noise, sizeof noise, NULL, 0), COUNCIL_EFORMAT);
    free(dbb);
    free(db);
    restore(f);
}

/* Someone who edits a byte and recomputes the checksum: the authenticated
 * wraps (or the field checks) still refuse. Never COUNCIL_OK. */
static void test_keyring__forged_edits_never_open(void **state)
{
    fx *f = *state;
    uint8_t *copy = malloc(f->orig_len);
    size_t body_end = f->orig_len - 32;
    int seen_auth = 0;

    assert_non_null(copy);
    for (size_t i = 8; i < body_end; i++) {
        int rc;

        memcpy(copy, f->orig, f->orig_len);
        copy[i] ^= 0x01;
        fix_sum(copy, f->orig_len);
        rc = open_with(f, copy, f->orig_len, NULL, 0);
        if (rc == COUNCIL_OK) {
            /* Only a byte that no check covers could do this: the created
             * time is informational. Anything else opening is a failure. */
            council__keyring kr;
            assert_int_equal(council__keyring_parse(NULL, &kr, copy, f->orig_len), COUNCIL_OK);
            council__keyring orig;
            assert_int_equal(council__keyring_parse(NULL, &orig, f->orig, f->orig_len), COUNCIL_OK);
            /* Or the journal key, which no wrap covers: the root session
             * derives it, restores it and logs the edit. */
            /* Or the log head, which only the log key signs: the open
             * logs the finding, and the signer refuses from then on. */
            if (kr.log_head_len != orig.log_head_len ||
                memcmp(kr.log_head, orig.log_head, kr.log_head_len) != 0) {
                council *c = NULL;
                council_buf note = { NULL, 0 };
                assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_OK);
                assert_int_equal(council_audit_checkpoint(c, &note), COUNCIL_ETAMPER);
                assert_null(note.ptr);
                council_close(c);
                continue;
            }
            if (kr.created == orig.created) {
                council__keyring now;
                assert_int_not_equal(memcmp(kr.journal_pk, orig.journal_pk, 32), 0);
                assert_int_equal(council__keyring_load(NULL, &now, f->store), COUNCIL_OK);
                assert_memory_equal(now.journal_pk, orig.journal_pk, 32);
                continue;
            }
            kr.created = orig.created;
            assert_memory_equal(&kr, &orig, sizeof kr);
            continue;
        }
        if (rc == COUNCIL_EAUTH)
            seen_auth++;
        assert_true(rc == COUNCIL_EAUTH || rc == COUNCIL_EFORMAT ||
                    rc == COUNCIL_EUNSUPPORTED || rc == COUNCIL_EINVAL);
    }
    assert_true(seen_auth > 100); /* the wraps, salt, ids and keys are covered */
    free(copy);
    restore(f);
}

static void test_keyring__format_versions(void **state)
{
    fx *f = *state;
    Council__V1__Keyring *m = unpack_orig(f);
    char msg[COUNCIL__ERRMSG_MAX];
    uint8_t *p;
    size_t len;

    m->format_version = 2;
    p = file_for(m, &len);
    assert_int_equal(open_with(f, p, len, msg, sizeof msg), COUNCIL_EUNSUPPORTED);
    assert_non_null(strstr(msg, "newer"));
    free(p);
    m->format_version = 0;
    p = file_for(m, &len);
    assert_int_equal(open_with(f, p, len, NULL, 0), COUNCIL_EFORMAT);
    free(p);
    council__v1__keyring__free_unpacked(m, NULL);
    restore(f);
}

/* A hostile keyring cannot make us run a huge Argon2id. */
static void test_keyring__kdf_cost_capped_before_derivation(void **state)
{
    fx *f = *state;
    const uint64_t bad[][2] = {
        { COUNCIL_KDF_OPSLIMIT_MAX + 1, TH_MEM },
        { 0, TH_MEM },
        { 0xffffffffffffffffull, TH_MEM },
        { TH_OPS, (uint64_t)COUNCIL_KDF_MEMLIMIT_MAX + 1 },
        { TH_OPS, COUNCIL_KDF_MEMLIMIT_MIN - 1 },
        { TH_OPS, 0xffffffffffffffffull },
    };
    Council__V1__Keyring *m = unpack_orig(f);
    time_t t0 = time(NULL);

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t *p;
        size_t len;
        m->kdf->opslimit = bad[i][0];
        m->kdf->memlimit = bad[i][1];
        p = file_for(m, &len);
        assert_int_equal(open_with(f, p, len, NULL, 0), COUNCIL_EFORMAT);
        free(p);
    }
    assert_true(time(NULL) - t0 < 10);
    council__v1__keyring__free_unpacked(m, NULL);
    restore(f);
}

static void test_keyring__malformed_fields(void **state)
{
    fx *f = *state;
    Council__V1__Keyring *m;
    uint8_t *p;
    size_t len;

#define EXPECT(edit, want)                                            \
    do {                                                              \
        m = unpack_orig(f);                                           \
        edit;                                                         \
        p = file_for(m, &len);                                        \
        assert_int_equal(open_with(f, p, len, NULL, 0), (want));      \
        free(p);                                                      \
        council__v1__keyring__free_unpacked(m, NULL);                 \
    } while (0)

    /* Shortened fields: only .len is edited, so the unpacked message
     * still frees cleanly. */
    EXPECT(m->council_id.len = 15, COUNCIL_EFORMAT);
    EXPECT(m->store_salt.len = 15, COUNCIL_EFORMAT);
    EXPECT(m->log_public_key.len = 31, COUNCIL_EFORMAT);
    EXPECT(m->kdf->salt.len = 15, COUNCIL_EFORMAT);
    EXPECT(m->root_key->nonce.len = 23, COUNCIL_EFORMAT);
    EXPECT(m->root_key->ciphertext.len = 47, COUNCIL_EFORMAT);
    EXPECT(m->log_secret_key->nonce.len = 23, COUNCIL_EFORMAT);
    EXPECT(m->log_secret_key->ciphertext.len = 79, COUNCIL_EFORMAT);
    EXPECT(m->db_key_version = 0, COUNCIL_EFORMAT);
    EXPECT(m->root_source = (Council__V1__RootKeySource)7, COUNCIL_EFORMAT);
    EXPECT(m->kdf->algorithm = (Council__V1__KdfParams__Algorithm)2, COUNCIL_EFORMAT);
#undef EXPECT

    /* Passphrase council without its wrap. */
    m = unpack_orig(f);
    {
        Council__V1__WrappedKey *w = m->root_key;
        m->root_key = NULL;
        p = file_for(m, &len);
        m->root_key = w;
    }
    assert_int_equal(open_with(f, p, len, NULL, 0), COUNCIL_EFORMAT);
    free(p);
    /* External council that still carries a passphrase wrap. */
    m->root_source = COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_EXTERNAL;
    p = file_for(m, &len);
    assert_int_equal(open_with(f, p, len, NULL, 0), COUNCIL_EFORMAT);
    free(p);
    council__v1__keyring__free_unpacked(m, NULL);
    restore(f);
}

/* A field this version does not know, in a checksummed file: refused. */
static void test_keyring__unknown_field_is_eformat(void **state)
{
    fx *f = *state;
    static const uint8_t unknown[] = { 0xa0, 0x01, 0x07 }; /* field 20, varint 7 */
    size_t body = f->orig_len - 32, len = f->orig_len + sizeof unknown;
    uint8_t *p = malloc(len);
    char msg[COUNCIL__ERRMSG_MAX];

    assert_non_null(p);
    memcpy(p, f->orig, body);
    memcpy(p + body, unknown, sizeof unknown);
    fix_sum(p, len);
    assert_int_equal(open_with(f, p, len, msg, sizeof msg), COUNCIL_EFORMAT);
    assert_non_null(strstr(msg, "unknown fields"));
    free(p);
    restore(f);
}

/* A wrong database key version in the keyring: the key probe catches it. */
static void test_keyring__wrong_db_key_version_is_eauth(void **state)
{
    fx *f = *state;
    Council__V1__Keyring *m = unpack_orig(f);
    char msg[COUNCIL__ERRMSG_MAX];
    uint8_t *p;
    size_t len;

    m->db_key_version = 2;
    p = file_for(m, &len);
    assert_int_equal(open_with(f, p, len, msg, sizeof msg), COUNCIL_EAUTH);
    assert_non_null(strstr(msg, "database key"));
    free(p);
    council__v1__keyring__free_unpacked(m, NULL);
    restore(f);
}

static void test_keyring__unwrap(void **state)
{
    fx *f = *state;
    council__keyring kr;
    council__secret root, log_sk, other;
    uint8_t pk[32], sk[64];

    assert_int_equal(council__keyring_parse(NULL, &kr, f->orig, f->orig_len), COUNCIL_OK);
    assert_int_equal(council__secret_alloc(&root, 32), COUNCIL_OK);
    assert_int_equal(council__secret_alloc(&log_sk, 64), COUNCIL_OK);
    assert_int_equal(council__keyring_unwrap_root(NULL, &kr, &root, (const uint8_t *)"x", 1),
                     COUNCIL_EAUTH);
    assert_int_equal(council__keyring_unwrap_root(NULL, &kr, &root, (const uint8_t *)TH_PASS,
                                                  strlen(TH_PASS)), COUNCIL_OK);
    assert_int_equal(council__keyring_unwrap_log(NULL, &kr, &root, &log_sk), COUNCIL_OK);

    /* A wrong root key fails the log key wrap. */
    assert_int_equal(council__secret_alloc(&other, 32), COUNCIL_OK);
    randombytes_buf(other.p, 32);
    assert_int_equal(council__keyring_unwrap_log(NULL, &kr, &other, &log_sk), COUNCIL_EAUTH);

    /* A log secret key that does not match the public key on record. */
    crypto_sign_ed25519_keypair(pk, sk);
    {
        council__secret fake;
        assert_int_equal(council__secret_alloc(&fake, 64), COUNCIL_OK);
        memcpy(fake.p, sk, 64);
        assert_int_equal(council__keyring_wrap_log(NULL, &kr, &root, &fake), COUNCIL_OK);
        council__secret_free(&fake);
    }
    assert_int_equal(council__keyring_unwrap_log(NULL, &kr, &root, &log_sk), COUNCIL_EFORMAT);

    /* A secret key with another seed but our public key in its second
     * half: sk_to_pk alone would accept it; the rebuilt pair does not. */
    {
        council__secret half;
        uint8_t opk[32], osk[64];
        crypto_sign_ed25519_keypair(opk, osk);
        assert_int_equal(council__secret_alloc(&half, 64), COUNCIL_OK);
        memcpy(half.p, osk, 32);
        memcpy(half.p + 32, kr.log_pk, 32);
        assert_int_equal(council__keyring_wrap_log(NULL, &kr, &root, &half), COUNCIL_OK);
        council__secret_free(&half);
        sodium_memzero(osk, sizeof osk);
    }
    assert_int_equal(council__keyring_unwrap_log(NULL, &kr, &root, &log_sk), COUNCIL_EFORMAT);

    /* A root key wrap of a keyring that is external. */
    kr.root_source = COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_EXTERNAL;
    assert_int_equal(council__keyring_unwrap_root(NULL, &kr, &root, (const uint8_t *)TH_PASS,
                                                  strlen(TH_PASS)), COUNCIL_EINVAL);
    sodium_memzero(sk, sizeof sk);
    council__secret_free(&root);
    council__secret_free(&log_sk);
    council__secret_free(&other);
}

/* A crash between writing the temporary file and renaming it. */
static void test_keyring__leftover_tmp_is_harmless(void **state)
{
    fx *f = *state;
    char *tmp = th_path(f->store, "council.keyring.tmp");
    council *c;

    assert_int_equal(th_write_file(tmp, (const uint8_t *)"half", 4), 0);
    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(council_passphrase_change(c, (const uint8_t *)TH_PASS, strlen(TH_PASS),
                                               (const uint8_t *)TH_PASS, strlen(TH_PASS),
                                               TH_OPS, TH_MEM), COUNCIL_OK);
    council_close(c);
    assert_false(th_exists(tmp));
    assert_int_equal(th_open(&c, f->store, TH_PASS), COUNCIL_OK);
    council_close(c);
    free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_keyring__opens_untouched, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyring__parse_serialize_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyring__every_flip_is_eformat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyring__every_truncation_is_eformat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyring__extension_and_oversize_are_eformat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyring__foreign_files_are_eformat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyring__forged_edits_never_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyring__format_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyring__kdf_cost_capped_before_derivation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyring__malformed_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyring__unknown_field_is_eformat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyring__wrong_db_key_version_is_eauth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyring__unwrap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyring__leftover_tmp_is_harmless, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
