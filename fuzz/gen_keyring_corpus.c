/*
 * gen_keyring_corpus.c - write the seed inputs of fuzz/fuzz_keyring.c.
 *
 * Not part of the build; see fuzz/README.md. Usage:
 *     gen_keyring_corpus DIRECTORY
 *
 * Randomness comes from a fixed seed (randombytes_buf_deterministic), so a
 * rerun writes the same bytes and the committed seeds only change when the
 * format does. The credentials are the harness's: passphrase "fuzz" and an
 * all-zero external root key. Nothing here is secret.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "council.h"
#include "council/v1/keyring.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "keyring.h"

/* --------------------------------------------------- deterministic random */

static uint64_t draw_counter;

static void det_buf(void *buf, size_t size)
{
    uint8_t seed[randombytes_SEEDBYTES] = { 'c', 'o', 'u', 'n', 'c', 'i', 'l', '-',
                                            'f', 'u', 'z', 'z', '-', 's', 'e', 'e', 'd' };

    for (size_t i = 0; i < 8; i++)
        seed[randombytes_SEEDBYTES - 8 + i] = (uint8_t)(draw_counter >> (8 * i));
    draw_counter++;
    randombytes_buf_deterministic(buf, size, seed);
}

static uint32_t det_random(void)
{
    uint32_t v;

    det_buf(&v, sizeof v);
    return v;
}

static const char *det_name(void)
{
    return "council-fuzz-deterministic";
}

static randombytes_implementation det_impl = {
    det_name, det_random, NULL, NULL, det_buf, NULL,
};

/* ---------------------------------------------------------------- helpers */

static const char *outdir;
static unsigned written;

static void die(const char *what, int rc)
{
    fprintf(stderr, "gen_keyring_corpus: %s failed (%d)\n", what, rc);
    exit(1);
}

static void write_file(const char *name, const uint8_t *p, size_t n)
{
    char path[4096];
    FILE *f;

    if ((size_t)snprintf(path, sizeof path, "%s/%s", outdir, name) >= sizeof path)
        die("path length", 0);
    f = fopen(path, "wb");
    if (f == NULL || (n > 0 && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
        die(path, 0);
    printf("%-40s %5zu bytes\n", name, n);
    written++;
}

static void write_keyring(const char *name, const council__keyring *kr)
{
    council_buf b = { NULL, 0 };
    int rc = council__keyring_serialize(NULL, &b, kr);

    if (rc != COUNCIL_OK)
        die(name, rc);
    write_file(name, b.ptr, b.len);
    council_buf_free(&b);
}

/* Frame a protobuf body as a keyring file: magic || body || BLAKE2b-256. */
static void write_framed(const char *name, const Council__V1__Keyring *m)
{
    static const uint8_t magic[COUNCIL__KEYRING_MAGIC_BYTES] =
        { 0x89, 'C', 'K', 'R', '\r', '\n', 0x1a, '\n' };
    uint8_t file[COUNCIL__KEYRING_FILE_MAX];
    size_t body = council__v1__keyring__get_packed_size(m);
    size_t total = sizeof magic + body + COUNCIL__KEYRING_SUM_BYTES;

    if (body > COUNCIL__KEYRING_BODY_MAX)
        die(name, 0);
    memcpy(file, magic, sizeof magic);
    (void)council__v1__keyring__pack(m, file + sizeof magic);
    crypto_generichash(file + total - COUNCIL__KEYRING_SUM_BYTES, COUNCIL__KEYRING_SUM_BYTES,
                       file, total - COUNCIL__KEYRING_SUM_BYTES, NULL, 0);
    write_file(name, file, total);
}

/* The protobuf message of kr, as council__keyring_serialize builds it. */
typedef struct msg {
    Council__V1__Keyring m;
    Council__V1__KdfParams kdf;
    Council__V1__WrappedKey root, logk;
} msg;

static void msg_from(msg *x, council__keyring *kr)
{
    static const Council__V1__Keyring m0 = COUNCIL__V1__KEYRING__INIT;
    static const Council__V1__KdfParams k0 = COUNCIL__V1__KDF_PARAMS__INIT;
    static const Council__V1__WrappedKey w0 = COUNCIL__V1__WRAPPED_KEY__INIT;

    x->m = m0;
    x->kdf = k0;
    x->root = w0;
    x->logk = w0;
    x->m.format_version = kr->format_version;
    x->m.council_id.data = kr->council_id;
    x->m.council_id.len = sizeof kr->council_id;
    x->m.created = kr->created;
    x->m.store_salt.data = kr->store_salt;
    x->m.store_salt.len = sizeof kr->store_salt;
    x->m.db_key_version = kr->db_key_version;
    x->m.log_public_key.data = kr->log_pk;
    x->m.log_public_key.len = sizeof kr->log_pk;
    x->m.root_source = (Council__V1__RootKeySource)kr->root_source;
    x->logk.nonce.data = kr->log_nonce;
    x->logk.nonce.len = sizeof kr->log_nonce;
    x->logk.ciphertext.data = kr->log_ct;
    x->logk.ciphertext.len = sizeof kr->log_ct;
    x->m.log_secret_key = &x->logk;
    x->kdf.algorithm = COUNCIL__V1__KDF_PARAMS__ALGORITHM__ALGORITHM_ARGON2ID13;
    x->kdf.opslimit = kr->opslimit;
    x->kdf.memlimit = kr->memlimit;
    x->kdf.salt.data = kr->kdf_salt;
    x->kdf.salt.len = sizeof kr->kdf_salt;
    x->root.nonce.data = kr->root_nonce;
    x->root.nonce.len = sizeof kr->root_nonce;
    x->root.ciphertext.data = kr->root_ct;
    x->root.ciphertext.len = sizeof kr->root_ct;
    x->m.kdf = &x->kdf;
    x->m.root_key = &x->root;
}

/* The fields every keyring has; root_source and the wraps come after. */
static void base_keyring(council__keyring *kr, const uint8_t log_pk[COUNCIL__SIGN_PK_BYTES])
{
    memset(kr, 0, sizeof *kr);
    kr->format_version = COUNCIL__KEYRING_FORMAT;
    council__uuid_random(kr->council_id);
    kr->created = 1764000000; /* 2025-11-24 */
    randombytes_buf(kr->store_salt, sizeof kr->store_salt);
    kr->db_key_version = 1;
    memcpy(kr->log_pk, log_pk, COUNCIL__SIGN_PK_BYTES);
}

static void keypair(uint8_t pk[COUNCIL__SIGN_PK_BYTES], council__secret *sk)
{
    int rc = council__secret_alloc(sk, COUNCIL__SIGN_SK_BYTES);

    if (rc != COUNCIL_OK)
        die("secret_alloc", rc);
    if (crypto_sign_ed25519_keypair(pk, sk->p) != 0)
        die("crypto_sign_ed25519_keypair", -1);
    council__secret_lock(sk);
}

static void secret(council__secret *s, size_t len, int zero)
{
    int rc = council__secret_alloc(s, len);

    if (rc != COUNCIL_OK)
        die("secret_alloc", rc);
    if (zero)
        memset(s->p, 0, len);
    else
        randombytes_buf(s->p, len);
    council__secret_lock(s);
}

static void copy_edit(const char *name, const uint8_t *p, size_t n, size_t at, uint8_t xor)
{
    uint8_t *q = malloc(n);

    if (q == NULL)
        die("malloc", 0);
    memcpy(q, p, n);
    if (at < n)
        q[at] ^= xor;
    write_file(name, q, n);
    free(q);
}

/* ------------------------------------------------------------------- main */

int main(int argc, char **argv)
{
    static const uint8_t pass[] = { 'f', 'u', 'z', 'z' };
    static const uint8_t wrong[] = { 'n', 'o', 't', '-', 'f', 'u', 'z', 'z' };
    council__keyring pp, ext, kr;
    council__secret root, zero_root, other_root, log_sk, other_sk;
    uint8_t log_pk[COUNCIL__SIGN_PK_BYTES], other_pk[COUNCIL__SIGN_PK_BYTES];
    council_buf valid = { NULL, 0 };
    msg x;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: %s DIRECTORY\n", argv[0]);
        return 2;
    }
    outdir = argv[1];
    if (randombytes_set_implementation(&det_impl) != 0)
        die("randombytes_set_implementation", -1);
    if (council_global_init() != COUNCIL_OK)
        die("council_global_init", -1);

    secret(&root, COUNCIL__KEY_BYTES, 0);
    secret(&zero_root, COUNCIL__KEY_BYTES, 1);
    secret(&other_root, COUNCIL__KEY_BYTES, 0);
    keypair(log_pk, &log_sk);
    keypair(other_pk, &other_sk);

    /* A passphrase keyring at the cheapest cost: every unwrap succeeds. */
    base_keyring(&pp, log_pk);
    rc = council__keyring_wrap_root(NULL, &pp, &root, pass, sizeof pass,
                                    COUNCIL_KDF_OPSLIMIT_MIN, COUNCIL_KDF_MEMLIMIT_MIN);
    if (rc != COUNCIL_OK)
        die("wrap_root", rc);
    if ((rc = council__keyring_wrap_log(NULL, &pp, &root, &log_sk)) != COUNCIL_OK)
        die("wrap_log", rc);
    write_keyring("valid-passphrase.keyring", &pp);

    /* An external-root keyring whose root key is all zero. */
    base_keyring(&ext, log_pk);
    ext.root_source = COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_EXTERNAL;
    if ((rc = council__keyring_wrap_log(NULL, &ext, &zero_root, &log_sk)) != COUNCIL_OK)
        die("wrap_log", rc);
    write_keyring("valid-external.keyring", &ext);

    /* Parses; the unwraps fail authentication or the key pair check. */
    kr = pp;
    rc = council__keyring_wrap_root(NULL, &kr, &root, wrong, sizeof wrong,
                                    COUNCIL_KDF_OPSLIMIT_MIN, COUNCIL_KDF_MEMLIMIT_MIN);
    if (rc != COUNCIL_OK || (rc = council__keyring_wrap_log(NULL, &kr, &root, &log_sk)) != 0)
        die("wrap (wrong passphrase)", rc);
    write_keyring("auth-wrong-passphrase.keyring", &kr);

    kr = pp;
    kr.root_ct[0] ^= 0x01;
    write_keyring("auth-tampered-root-wrap.keyring", &kr);

    kr = pp;
    kr.log_ct[7] ^= 0x80;
    write_keyring("auth-tampered-log-wrap.keyring", &kr);

    kr = pp; /* the log wrap is bound to log_pk: rewrap the other secret key */
    if ((rc = council__keyring_wrap_log(NULL, &kr, &root, &other_sk)) != COUNCIL_OK)
        die("wrap_log (mismatch)", rc);
    write_keyring("auth-log-pair-mismatch.keyring", &kr);

    kr = ext;
    if ((rc = council__keyring_wrap_log(NULL, &kr, &other_root, &log_sk)) != COUNCIL_OK)
        die("wrap_log (other root)", rc);
    write_keyring("auth-external-wrong-root.keyring", &kr);

    kr = pp; /* the harness does not pay for this one */
    kr.opslimit = COUNCIL__KDF_OPSLIMIT_DEFAULT;
    kr.memlimit = COUNCIL__KDF_MEMLIMIT_DEFAULT;
    write_keyring("costly-kdf.keyring", &kr);

    /* A newer format version: EUNSUPPORTED. */
    kr = pp;
    kr.format_version = 2;
    write_keyring("unsupported-format-v2.keyring", &kr);

    /* Well-framed, but fields the checks must refuse: EFORMAT. */
    kr = pp;
    kr.format_version = 0;
    write_keyring("bad-format-v0.keyring", &kr);

    kr = pp;
    kr.db_key_version = 0;
    write_keyring("bad-db-key-version-0.keyring", &kr);

    kr = pp;
    kr.root_source = COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_UNKNOWN;
    write_keyring("bad-root-source-0.keyring", &kr);

    kr = pp;
    kr.opslimit = COUNCIL_KDF_OPSLIMIT_MAX + 1;
    write_keyring("bad-kdf-opslimit.keyring", &kr);

    kr = pp;
    kr.memlimit = COUNCIL_KDF_MEMLIMIT_MIN - 1;
    write_keyring("bad-kdf-memlimit.keyring", &kr);

    kr = ext;
    msg_from(&x, &kr); /* external root, but with a passphrase wrap */
    write_framed("bad-external-with-wrap.keyring", &x.m);

    kr = pp;
    msg_from(&x, &kr);
    x.m.kdf = NULL;
    write_framed("bad-passphrase-no-kdf.keyring", &x.m);

    kr = pp;
    msg_from(&x, &kr);
    x.kdf.algorithm = COUNCIL__V1__KDF_PARAMS__ALGORITHM__ALGORITHM_UNKNOWN;
    write_framed("bad-kdf-algorithm.keyring", &x.m);

    kr = pp;
    msg_from(&x, &kr);
    x.kdf.salt.len = COUNCIL__SALT_BYTES - 1;
    write_framed("bad-kdf-salt-length.keyring", &x.m);

    kr = pp;
    msg_from(&x, &kr);
    x.m.council_id.len = COUNCIL_ID_BYTES - 1;
    write_framed("bad-council-id-length.keyring", &x.m);

    kr = pp;
    msg_from(&x, &kr);
    x.logk.ciphertext.len = COUNCIL__SIGN_SK_BYTES;
    write_framed("bad-log-wrap-length.keyring", &x.m);

    kr = pp;
    msg_from(&x, &kr);
    x.root.nonce.len = 12;
    write_framed("bad-root-nonce-length.keyring", &x.m);

    /* Damage to the valid passphrase keyring's bytes. */
    if ((rc = council__keyring_serialize(NULL, &valid, &pp)) != COUNCIL_OK)
        die("serialize", rc);
    write_file("trunc-empty", valid.ptr, 0);
    write_file("trunc-magic-only", valid.ptr, COUNCIL__KEYRING_MAGIC_BYTES);
    write_file("trunc-below-minimum", valid.ptr,
               COUNCIL__KEYRING_MAGIC_BYTES + COUNCIL__KEYRING_SUM_BYTES);
    write_file("trunc-half", valid.ptr, valid.len / 2);
    write_file("trunc-last-byte", valid.ptr, valid.len - 1);
    copy_edit("flip-magic", valid.ptr, valid.len, 1, 0x20);
    copy_edit("flip-body-first", valid.ptr, valid.len, COUNCIL__KEYRING_MAGIC_BYTES, 0x01);
    copy_edit("flip-body-middle", valid.ptr, valid.len, valid.len / 2, 0x10);
    copy_edit("flip-checksum", valid.ptr, valid.len, valid.len - 1, 0x01);
    council_buf_free(&valid);

    council__secret_free(&root);
    council__secret_free(&zero_root);
    council__secret_free(&other_root);
    council__secret_free(&log_sk);
    council__secret_free(&other_sk);
    printf("gen_keyring_corpus: %u files written to %s\n", written, outdir);
    return 0;
}
