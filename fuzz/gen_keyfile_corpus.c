/*
 * gen_keyfile_corpus.c - write the seed inputs of fuzz/fuzz_keyfile.c.
 *
 * Not part of the build; see fuzz/README.md. Usage:
 *     gen_keyfile_corpus DIRECTORY
 *
 * Randomness comes from a fixed seed (randombytes_buf_deterministic), so a
 * rerun writes the same bytes and the committed seeds only change when the
 * format does. The passphrase is the harness's, "fuzz", and the Argon2id
 * cost the cheapest allowed. Nothing here is secret.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "council.h"
#include "council/v1/keyfile.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "keyfile.h"
#include "keyring.h"

/* --------------------------------------------------- deterministic random */

static uint64_t draw_counter;

static void det_buf(void *buf, size_t size)
{
    uint8_t seed[randombytes_SEEDBYTES] = { 'k', 'e', 'y', 'f', 'i', 'l', 'e', '-',
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

static const uint8_t keyfile_magic[8] = { 0x89, 'C', 'M', 'K', '\r', '\n', 0x1a, '\n' };
static const uint8_t pass[] = { 'f', 'u', 'z', 'z' };

static const char *outdir;
static unsigned written;

static void die(const char *what, int rc)
{
    fprintf(stderr, "gen_keyfile_corpus: %s failed (%d)\n", what, rc);
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
    printf("%-44s %5zu bytes\n", name, n);
    written++;
}

/* magic || body || BLAKE2b-256, around raw body bytes. */
static void write_body(const char *name, const uint8_t *body, size_t n)
{
    uint8_t file[COUNCIL__KEYFILE_MAX + 64];
    size_t total = sizeof keyfile_magic + n + 32;

    if (total > sizeof file)
        die(name, 0);
    memcpy(file, keyfile_magic, sizeof keyfile_magic);
    memcpy(file + sizeof keyfile_magic, body, n);
    crypto_generichash(file + total - 32, 32, file, total - 32, NULL, 0);
    write_file(name, file, total);
}

static void write_framed(const char *name, const Council__V1__MemberKeyfile *m)
{
    uint8_t body[COUNCIL__KEYFILE_MAX];
    size_t n = council__v1__member_keyfile__get_packed_size(m);

    if (n > sizeof body)
        die(name, 0);
    (void)council__v1__member_keyfile__pack(m, body);
    write_body(name, body, n);
}

/* The message of a keyfile the library wrote (free with _free_unpacked). */
static Council__V1__MemberKeyfile *unpack(const council_buf *b)
{
    Council__V1__MemberKeyfile *m =
        council__v1__member_keyfile__unpack(NULL, b->len - 40, b->ptr + 8);

    if (m == NULL)
        die("unpack", 0);
    return m;
}

/* The message without top-level field `drop`, by walking the wire format. */
static void write_without_field(const char *name, const Council__V1__MemberKeyfile *m,
                                uint32_t drop)
{
    uint8_t in[COUNCIL__KEYFILE_MAX], out[COUNCIL__KEYFILE_MAX];
    size_t n = council__v1__member_keyfile__get_packed_size(m), i = 0, o = 0;

    if (n > sizeof in)
        die(name, 0);
    (void)council__v1__member_keyfile__pack(m, in);
    while (i < n) {
        size_t start = i;
        uint64_t tag = 0, v = 0;
        unsigned shift = 0;

        do {
            tag |= (uint64_t)(in[i] & 0x7f) << shift;
            shift += 7;
        } while (in[i++] & 0x80);
        if ((tag & 7) == 0) {
            while (in[i++] & 0x80)
                ;
        } else if ((tag & 7) == 2) {
            shift = 0;
            do {
                v |= (uint64_t)(in[i] & 0x7f) << shift;
                shift += 7;
            } while (in[i++] & 0x80);
            i += (size_t)v;
        } else {
            die("wire type", (int)(tag & 7));
        }
        if ((tag >> 3) != drop) {
            memcpy(out + o, in + start, i - start);
            o += i - start;
        }
    }
    write_body(name, out, o);
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

/* Rewrap m's secret_keys around `secrets` (96 bytes) under "fuzz", with the
 * associated data keyfile.proto describes for m's fields. */
static void rewrap(Council__V1__MemberKeyfile *m, const uint8_t secrets[96])
{
    static const char label[] = "council/keyfile/v1";
    uint8_t ad[sizeof label + 4 + 16 + 16 + 4 + 8 + 8 + 16 + 32 + 32], *a = ad;
    council__secret wk;
    int rc;

    if ((rc = council__secret_alloc(&wk, 32)) != COUNCIL_OK)
        die("secret_alloc", rc);
    rc = council__argon2id(NULL, wk.p, wk.len, pass, sizeof pass, m->kdf->salt.data,
                           m->kdf->opslimit, m->kdf->memlimit);
    if (rc != COUNCIL_OK)
        die("argon2id", rc);
    memcpy(a, label, sizeof label); a += sizeof label;
    be32(a, m->format_version); a += 4;
    memcpy(a, m->council_id.data, 16); a += 16;
    memcpy(a, m->member_id.data, 16); a += 16;
    be32(a, (uint32_t)m->kdf->algorithm); a += 4;
    be64(a, m->kdf->opslimit); a += 8;
    be64(a, m->kdf->memlimit); a += 8;
    memcpy(a, m->kdf->salt.data, 16); a += 16;
    memcpy(a, m->box_public_key.data, 32); a += 32;
    memcpy(a, m->sign_public_key.data, 32);
    rc = council__aead_seal(NULL, m->secret_keys->ciphertext.data, 112, secrets, 96,
                            ad, sizeof ad, m->secret_keys->nonce.data, wk.p);
    if (rc != COUNCIL_OK)
        die("aead_seal", rc);
    council__secret_free(&wk);
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

static void secrets_of(uint8_t out[96], const council__member_keys *k)
{
    council__secret_read(&k->box_sk);
    council__secret_read(&k->sign_sk);
    memcpy(out, k->box_sk.p, 32);
    memcpy(out + 32, k->sign_sk.p, 64);
    council__secret_lock(&k->box_sk);
    council__secret_lock(&k->sign_sk);
}

/* ------------------------------------------------------------------- main */

int main(int argc, char **argv)
{
    static const uint8_t wrong[] = { 'n', 'o', 't', '-', 'f', 'u', 'z', 'z' };
    uint8_t council_id[COUNCIL_ID_BYTES], member_id[COUNCIL_ID_BYTES];
    uint8_t other_id[COUNCIL_ID_BYTES], mine[96], theirs[96], s[96];
    council__member_keys k, other;
    council_buf valid = { NULL, 0 }, b = { NULL, 0 };
    Council__V1__MemberKeyfile *m;
    ProtobufCMessageUnknownField uf;
    uint8_t one = 1;
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

    council__uuid_random(council_id);
    council__uuid_random(member_id);
    council__uuid_random(other_id);
    if ((rc = council__member_keys_generate(NULL, &k, member_id)) != COUNCIL_OK ||
        (rc = council__member_keys_generate(NULL, &other, other_id)) != COUNCIL_OK)
        die("member_keys_generate", rc);
    secrets_of(mine, &k);
    secrets_of(theirs, &other);

    /* Opens with "fuzz" at the cheapest cost: parse, open, round trip. */
    rc = council__keyfile_write(NULL, &valid, &k, council_id, pass, sizeof pass,
                                COUNCIL_KDF_OPSLIMIT_MIN, COUNCIL_KDF_MEMLIMIT_MIN);
    if (rc != COUNCIL_OK)
        die("keyfile_write", rc);
    write_file("valid.keyfile", valid.ptr, valid.len);
    rc = council__keyfile_write(NULL, &b, &other, council_id, pass, sizeof pass,
                                2, 65536);
    if (rc != COUNCIL_OK)
        die("keyfile_write", rc);
    write_file("valid-ops2-64k.keyfile", b.ptr, b.len);
    council_buf_free(&b);

    /* Parse; opening gives EAUTH. */
    rc = council__keyfile_write(NULL, &b, &k, council_id, wrong, sizeof wrong,
                                COUNCIL_KDF_OPSLIMIT_MIN, COUNCIL_KDF_MEMLIMIT_MIN);
    if (rc != COUNCIL_OK)
        die("keyfile_write", rc);
    write_file("auth-wrong-passphrase.keyfile", b.ptr, b.len);
    council_buf_free(&b);

    m = unpack(&valid);
    m->secret_keys->ciphertext.data[5] ^= 0x01;
    write_framed("auth-tampered-wrap.keyfile", m);
    m->secret_keys->ciphertext.data[5] ^= 0x01;
    m->council_id.data[15] ^= 0x01;
    write_framed("auth-other-council.keyfile", m);
    m->council_id.data[15] ^= 0x01;
    memcpy(m->member_id.data, other_id, 16);
    write_framed("auth-other-member.keyfile", m);
    memcpy(m->member_id.data, member_id, 16);
    memcpy(m->box_public_key.data, other.box_pk, 32);
    write_framed("auth-other-box-key.keyfile", m);
    memcpy(m->box_public_key.data, k.box_pk, 32);
    m->kdf->opslimit = 2;
    write_framed("auth-kdf-cost-edited.keyfile", m);
    m->kdf->opslimit = COUNCIL_KDF_OPSLIMIT_MIN;

    /* Authentic under "fuzz", but the secret keys are not the public keys':
     * parse OK, open EFORMAT. */
    rewrap(m, theirs);
    write_framed("pair-other-member-secrets.keyfile", m);
    memcpy(s, mine, 64);                 /* our seed, their public key inside */
    memcpy(s + 64, other.sign_pk, 32);
    rewrap(m, s);
    write_framed("pair-ed25519-wrong-embedded-pk.keyfile", m);
    memcpy(s, mine, 32);                 /* their seed, our public key inside */
    memcpy(s + 32, theirs + 32, 32);
    memcpy(s + 64, k.sign_pk, 32);
    rewrap(m, s);
    write_framed("pair-ed25519-wrong-seed.keyfile", m);
    memcpy(s, theirs, 32);
    memcpy(s + 32, mine + 32, 64);
    rewrap(m, s);
    write_framed("pair-x25519-wrong.keyfile", m);
    rewrap(m, mine);                     /* back to a valid file */
    council__v1__member_keyfile__free_unpacked(m, NULL);

    /* Parse OK, but the harness won't pay for the Argon2id. */
    m = unpack(&valid);
    m->kdf->opslimit = 3;
    m->kdf->memlimit = 268435456u;
    write_framed("costly-kdf.keyfile", m);
    m->kdf->opslimit = COUNCIL_KDF_OPSLIMIT_MIN;
    m->kdf->memlimit = COUNCIL_KDF_MEMLIMIT_MIN;

    /* Versions. */
    m->format_version = 2;
    write_framed("unsupported-format-v2.keyfile", m);
    uf.tag = 100;
    uf.wire_type = PROTOBUF_C_WIRE_TYPE_VARINT;
    uf.len = 1;
    uf.data = &one;
    m->base.n_unknown_fields = 1;
    m->base.unknown_fields = &uf;
    write_framed("unsupported-format-v2-new-field.keyfile", m);
    m->base.n_unknown_fields = 0;
    m->base.unknown_fields = NULL;
    m->format_version = 0;
    write_framed("bad-format-v0.keyfile", m);
    m->format_version = 1;

    /* Framed correctly, a field refused: EFORMAT. */
    m->base.n_unknown_fields = 1;
    m->base.unknown_fields = &uf;
    write_framed("bad-unknown-field.keyfile", m);
    m->base.n_unknown_fields = 0;
    m->base.unknown_fields = NULL;
    m->kdf->base.n_unknown_fields = 1;
    m->kdf->base.unknown_fields = &uf;
    write_framed("bad-unknown-field-in-kdf.keyfile", m);
    m->kdf->base.n_unknown_fields = 0;
    m->kdf->base.unknown_fields = NULL;
    m->secret_keys->base.n_unknown_fields = 1;
    m->secret_keys->base.unknown_fields = &uf;
    write_framed("bad-unknown-field-in-wrap.keyfile", m);
    m->secret_keys->base.n_unknown_fields = 0;
    m->secret_keys->base.unknown_fields = NULL;

    m->kdf->algorithm = COUNCIL__V1__KDF_PARAMS__ALGORITHM__ALGORITHM_UNKNOWN;
    write_framed("bad-kdf-algorithm.keyfile", m);
    m->kdf->algorithm = COUNCIL__V1__KDF_PARAMS__ALGORITHM__ALGORITHM_ARGON2ID13;
    m->kdf->opslimit = COUNCIL_KDF_OPSLIMIT_MAX + 1;
    write_framed("bad-kdf-opslimit.keyfile", m);
    m->kdf->opslimit = COUNCIL_KDF_OPSLIMIT_MIN;
    m->kdf->memlimit = COUNCIL_KDF_MEMLIMIT_MIN - 1;
    write_framed("bad-kdf-memlimit.keyfile", m);
    m->kdf->memlimit = (uint64_t)COUNCIL_KDF_MEMLIMIT_MAX + 1;
    write_framed("bad-kdf-memlimit-huge.keyfile", m);
    m->kdf->memlimit = COUNCIL_KDF_MEMLIMIT_MIN;

    /* Shortened fields: only .len changes, so the message frees cleanly. */
#define SHORT(field, name)                                    \
    do {                                                      \
        size_t keep = m->field.len;                           \
        m->field.len = keep - 1;                              \
        write_framed(name, m);                                \
        m->field.len = keep;                                  \
    } while (0)
    SHORT(council_id, "bad-council-id-length.keyfile");
    SHORT(member_id, "bad-member-id-length.keyfile");
    SHORT(box_public_key, "bad-box-key-length.keyfile");
    SHORT(sign_public_key, "bad-sign-key-length.keyfile");
    SHORT(kdf->salt, "bad-kdf-salt-length.keyfile");
    SHORT(secret_keys->nonce, "bad-wrap-nonce-length.keyfile");
    SHORT(secret_keys->ciphertext, "bad-wrap-length.keyfile");
#undef SHORT

    /* Required fields missing: protobuf-c refuses the message. */
    write_without_field("bad-missing-kdf.keyfile", m, 6);
    write_without_field("bad-missing-wrap.keyfile", m, 7);
    write_without_field("bad-missing-member-id.keyfile", m, 3);
    council__v1__member_keyfile__free_unpacked(m, NULL);

    /* A council keyring is not a keyfile, under either magic. */
    {
        council__keyring kr;
        council_buf krb = { NULL, 0 };

        memset(&kr, 0, sizeof kr);
        kr.format_version = COUNCIL__KEYRING_FORMAT;
        memcpy(kr.council_id, council_id, sizeof kr.council_id);
        kr.created = 1764000000; /* 2025-11-24 */
        kr.db_key_version = 1;
        memcpy(kr.log_pk, k.sign_pk, sizeof kr.log_pk);
        kr.root_source = COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_EXTERNAL;
        if ((rc = council__keyring_serialize(NULL, &krb, &kr)) != COUNCIL_OK)
            die("keyring_serialize", rc);
        write_file("foreign-keyring", krb.ptr, krb.len);
        write_body("foreign-keyring-body.keyfile", krb.ptr + 8, krb.len - 40);
        council_buf_free(&krb);
    }

    /* Damage to valid.keyfile's bytes. */
    write_file("trunc-empty", valid.ptr, 0);
    write_file("trunc-magic-only", valid.ptr, 8);
    write_file("trunc-below-minimum", valid.ptr, 8 + 32);
    write_file("trunc-half", valid.ptr, valid.len / 2);
    write_file("trunc-last-byte", valid.ptr, valid.len - 1);
    copy_edit("flip-magic", valid.ptr, valid.len, 3, 0x20);
    copy_edit("flip-body-first", valid.ptr, valid.len, 8, 0x01);
    copy_edit("flip-body-middle", valid.ptr, valid.len, valid.len / 2, 0x10);
    copy_edit("flip-checksum", valid.ptr, valid.len, valid.len - 1, 0x01);

    sodium_memzero(mine, sizeof mine);
    sodium_memzero(theirs, sizeof theirs);
    sodium_memzero(s, sizeof s);
    council_buf_free(&valid);
    council__member_keys_free(&k);
    council__member_keys_free(&other);
    printf("gen_keyfile_corpus: %u files written to %s\n", written, outdir);
    return 0;
}
