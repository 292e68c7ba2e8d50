/*
 * gen_bundle_corpus.c - write the seed inputs of fuzz/fuzz_bundle_header.c
 * and fuzz/fuzz_bundle_payload.c.
 *
 * Not part of the build; see fuzz/README.md. Usage:
 *     gen_bundle_corpus HEADER_DIRECTORY PAYLOAD_DIRECTORY
 *
 * The keys are fixed (the Ed25519 pair of the seed
 * "council-fuzz-bundle-sender-seed!" and the X25519 pair of the secret
 * "council-fuzz-bundle-recipient!!!"), but a bundle's nonce and its seal
 * are random: a rerun writes other bytes of the same shapes. Each header
 * seed is checked with council__envelope_parse for the code its name
 * expects before it is written. Nothing here is secret.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "council.h"
#include "council_int.h"
#include "council/v1/case.pb-c.h"
#include "envelope.h"

static const char *hdir, *pdir;

static void die(const char *what, int rc)
{
    fprintf(stderr, "gen_bundle_corpus: %s failed (%d)\n", what, rc);
    exit(1);
}

static void put(const char *dir, const char *name, const uint8_t *b, size_t n)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if ((f = fopen(path, "wb")) == NULL || fwrite(b, 1, n, f) != n || fclose(f) != 0)
        die(path, -1);
}

static void header_seed(const char *name, const uint8_t *b, size_t n, int want)
{
    council__envelope e;
    int rc = council__envelope_parse(NULL, "gen", &e, b, n);

    council__envelope_free(&e);
    if (rc != want)
        die(name, rc);
    put(hdir, name, b, n);
}

static uint8_t sign_pk[32], box_pk[32], ids[16];
static council__secret sign_sk;

static void bundle(council_buf *out, Council__V1__BundlePayload *p, int type)
{
    Council__V1__BundleHeader h = COUNCIL__V1__BUNDLE_HEADER__INIT;
    uint8_t nonce[16];
    int rc;

    h.council_id.data = ids;
    h.council_id.len = 16;
    h.sender_kind = COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_COUNCIL;
    h.sender_id = h.council_id;
    h.sender_sign_key.data = sign_pk;
    h.sender_sign_key.len = 32;
    h.recipient_kind = COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_MEMBER;
    h.recipient_id = h.council_id;
    h.recipient_box_key.data = box_pk;
    h.recipient_box_key.len = 32;
    h.has_reply_box_key = 1;
    h.reply_box_key = h.recipient_box_key;
    h.created = 1780000000;
    h.expires = 1780000000 + 30 * 86400;
    h.type = (Council__V1__BundleType)type;
    if ((rc = council__envelope_build(NULL, "gen", out, &h, nonce, p, &sign_sk, NULL)) != 0)
        die("build", rc);
}

static void payload_seed(const char *name, Council__V1__BundlePayload *p)
{
    size_t n = council__v1__bundle_payload__get_packed_size(p);
    uint8_t *b = malloc(n ? n : 1);

    if (b == NULL)
        die("malloc", -3);
    council__v1__bundle_payload__pack(p, b);
    put(pdir, name, b, n);
    free(b);
}

int main(int argc, char **argv)
{
    static const char *const scopes[] = { "situation", "wishes" };
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__CaseSectionsBundle cs = COUNCIL__V1__CASE_SECTIONS_BUNDLE__INIT;
    Council__V1__BundleSection sec = COUNCIL__V1__BUNDLE_SECTION__INIT, *secp[1] = { &sec };
    Council__V1__SectionRecord rec = COUNCIL__V1__SECTION_RECORD__INIT;
    Council__V1__Section s = COUNCIL__V1__SECTION__INIT;
    Council__V1__CheckpointBundle cb = COUNCIL__V1__CHECKPOINT_BUNDLE__INIT;
    Council__V1__RevocationBundle rb = COUNCIL__V1__REVOCATION_BUNDLE__INIT;
    Council__V1__RevocationItem it = COUNCIL__V1__REVOCATION_ITEM__INIT, *itp[1] = { &it };
    uint8_t seed[32], recbuf[512], hashes[2][32], nonce[16];
    ProtobufCBinaryData proof[2];
    council_buf b = { NULL, 0 };
    uint8_t *x;

    if (argc != 3 || sodium_init() < 0)
        return 2;
    hdir = argv[1];
    pdir = argv[2];
    memcpy(seed, "council-fuzz-bundle-sender-seed!", 32);
    if (council__secret_alloc(&sign_sk, 64) != COUNCIL_OK)
        die("secret", -3);
    crypto_sign_seed_keypair(sign_pk, sign_sk.p, seed);
    council__secret_lock(&sign_sk);
    memcpy(seed, "council-fuzz-bundle-recipient!!!", 32);
    crypto_scalarmult_base(box_pk, seed);
    memset(ids, 0x42, sizeof ids);
    memset(nonce, 0x17, sizeof nonce);
    memset(hashes, 0x5a, sizeof hashes);

    /* A case bundle: one section, its content a SectionRecord. */
    s.text = (char *)(uintptr_t)"made-up situation text";
    rec.scope = (char *)(uintptr_t)"situation";
    rec.person_id.data = ids;
    rec.person_id.len = 16;
    rec.version = 1;
    rec.key_version = 1;
    rec.written = 1780000000;
    rec.section = &s;
    sec.scope = rec.scope;
    sec.content.data = recbuf;
    sec.content.len = council__v1__section_record__pack(&rec, recbuf);
    sec.has_version = 1;
    sec.version = 1;
    cs.case_id.data = ids;
    cs.case_id.len = 16;
    cs.person_id = cs.case_id;
    cs.purpose = (char *)(uintptr_t)"support_coordination";
    cs.basis = (char *)(uintptr_t)"appi_27_1_4_public_duty";
    cs.sections = secp;
    cs.n_sections = 1;
    p.nonce.data = nonce;
    p.nonce.len = 16;
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CASE_SECTIONS;
    p.case_sections = &cs;
    payload_seed("case_sections", &p);
    bundle(&b, &p, COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_CASE_SECTIONS);
    header_seed("case_sections_ok", b.ptr, b.len, COUNCIL_OK);
    /* Truncations at each field's edge, trailing bytes, a flipped signature,
     * another version, another magic, a header length over the cap. */
    header_seed("truncated_frame", b.ptr, COUNCIL__ENV_FRAME - 1, COUNCIL_EFORMAT);
    header_seed("truncated_sig", b.ptr, b.len - 1, COUNCIL_EFORMAT);
    header_seed("truncated_magic", b.ptr, 5, COUNCIL_EFORMAT);
    x = malloc(b.len + 1);
    memcpy(x, b.ptr, b.len);
    x[b.len] = 0;
    header_seed("trailing_byte", x, b.len + 1, COUNCIL_EFORMAT);
    x[b.len - 1] ^= 1;
    header_seed("bad_signature", x, b.len, COUNCIL_OK);
    x[b.len - 1] ^= 1;
    x[9] = 2;
    header_seed("format_2", x, b.len, COUNCIL_EUNSUPPORTED);
    x[9] = 1;
    x[0] = 'X';
    header_seed("bad_magic", x, b.len, COUNCIL_EFORMAT);
    x[0] = 'L';
    x[10] = 0xff;
    header_seed("header_length_huge", x, b.len, COUNCIL_EFORMAT);
    free(x);
    council_buf_free(&b);

    /* A checkpoint bundle with a proof. */
    cb.checkpoint = (char *)(uintptr_t)"libcouncil/00000000-0000-4000-8000-000000000000\n3\n"
                                       "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n";
    cb.has_from_size = 1;
    cb.from_size = 2;
    proof[0].data = hashes[0];
    proof[0].len = 32;
    proof[1].data = hashes[1];
    proof[1].len = 32;
    cb.consistency = proof;
    cb.n_consistency = 2;
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CHECKPOINT;
    p.checkpoint = &cb;
    payload_seed("checkpoint", &p);
    bundle(&b, &p, COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_CHECKPOINT);
    header_seed("checkpoint_ok", b.ptr, b.len, COUNCIL_OK);
    council_buf_free(&b);

    /* A revocation bundle. */
    it.kind = COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_SHARE;
    it.has_case_id = 1;
    it.case_id.data = ids;
    it.case_id.len = 16;
    it.scopes = (char **)(uintptr_t)scopes;
    it.n_scopes = 2;
    it.reason = (char *)(uintptr_t)"share_ended";
    rb.items = itp;
    rb.n_items = 1;
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REVOCATION;
    p.revocation = &rb;
    payload_seed("revocation", &p);
    bundle(&b, &p, COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_REVOCATION);
    header_seed("revocation_ok", b.ptr, b.len, COUNCIL_OK);
    council_buf_free(&b);

    /* Payloads: none set, a section whose content is not a record. */
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT__NOT_SET;
    payload_seed("nonce_only", &p);
    sec.content.data = (uint8_t *)(uintptr_t)"not a record";
    sec.content.len = 12;
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CASE_SECTIONS;
    p.case_sections = &cs;
    payload_seed("case_sections_garbage", &p);
    put(pdir, "empty", (const uint8_t *)"", 0);
    council__secret_free(&sign_sk);
    printf("gen_bundle_corpus: seeds written to %s and %s\n", hdir, pdir);
    return 0;
}
