/*
 * gen_text_corpora.c - writes the seeds of the proof_text, witness, vkey,
 * keytext, journal, policy, section_json and cosign targets into
 * fuzz/corpus/<target>/ (the directories must exist). Nothing random is
 * drawn except the journal's sealed records (the harness seals its own in
 * mode 1, so those seeds are plaintexts); a rerun writes the same bytes.
 * Proofs come from the fixed tree of fixture.h through the library's
 * provers, in the format council_audit_prove_* write. Not part of the
 * build; see fuzz/README.md.
 */
#include <sys/stat.h>

#include "council/v1/consent.pb-c.h"
#include "council/v1/member.pb-c.h"
#include "fixture.h"
#include "merkle.h"

static const char *root_dir;

static void put(const char *target, const char *name, const void *p, size_t n)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s/%s", root_dir, target, name);
    f = fopen(path, "wb");
    fuzz_check(f != NULL);
    fuzz_check(n == 0 || fwrite(p, 1, n, f) == n);
    fuzz_check(fclose(f) == 0);
}

static void puts2(const char *target, const char *name, uint8_t b0, uint8_t b1, const char *text,
                  size_t len)
{
    uint8_t *buf = malloc(len + 2);

    fuzz_check(buf != NULL);
    buf[0] = b0;
    buf[1] = b1;
    memcpy(buf + 2, text, len);
    put(target, name, buf, len + 2);
    free(buf);
}

static void b64(char *out, size_t cap, const uint8_t *h)
{
    sodium_bin2base64(out, cap, h, COUNCIL_HASH_BYTES, sodium_base64_VARIANT_ORIGINAL);
}

static size_t incl_text(char *out, size_t cap, uint64_t index, uint64_t n)
{
    uint8_t proof[64][COUNCIL_HASH_BYTES];
    council__nodes ns = fix_nodes();
    size_t count = 0, len;
    char h[64];

    fuzz_check(council__merkle_prove_inclusion(&ns, index, n, &proof[0][0], 64, &count) == 0);
    b64(h, sizeof h, fix.leaf[index]);
    len = (size_t)snprintf(out, cap, "inclusion-proof/v1\nindex %llu\nsize %llu\nleaf %s\n",
                           (unsigned long long)index, (unsigned long long)n, h);
    for (size_t i = 0; i < count; i++) {
        b64(h, sizeof h, proof[i]);
        len += (size_t)snprintf(out + len, cap - len, "%s\n", h);
    }
    return len;
}

static size_t cons_text(char *out, size_t cap, uint64_t m, uint64_t n)
{
    uint8_t proof[64][COUNCIL_HASH_BYTES];
    council__nodes ns = fix_nodes();
    size_t count = 0, len;
    char h[64];

    fuzz_check(council__merkle_prove_consistency(&ns, m, n, &proof[0][0], 64, &count) == 0);
    len = (size_t)snprintf(out, cap, "consistency-proof/v1\nold %llu\nnew %llu\n",
                           (unsigned long long)m, (unsigned long long)n);
    for (size_t i = 0; i < count; i++) {
        b64(h, sizeof h, proof[i]);
        len += (size_t)snprintf(out + len, cap - len, "%s\n", h);
    }
    return len;
}

static void proof_text(void)
{
    static const char *T = "proof_text";
    char t[8192];
    size_t n;

    /* b0: size (b0 & 15) + 1, 0x10 cosigned; b1: known size b1 % 17 */
    n = incl_text(t, sizeof t, 5, 8);
    puts2(T, "ok-inclusion-5-of-8", 7, 0, t, n);
    puts2(T, "ok-inclusion-5-of-8-cosigned", 0x17, 3, t, n);
    puts2(T, "tamper-inclusion-wrong-size", 8, 0, t, n);
    puts2(T, "tamper-inclusion-rollback", 7, 12, t, n);
    puts2(T, "trunc-inclusion-last-byte", 7, 0, t, n - 1);
    puts2(T, "trunc-inclusion-half", 7, 0, t, n / 2);
    t[n - 3] = (char)(t[n - 3] == 'A' ? 'B' : 'A');
    puts2(T, "tamper-inclusion-hash-edited", 7, 0, t, n);
    n = incl_text(t, sizeof t, 0, 1);
    puts2(T, "ok-inclusion-single-leaf", 0, 0, t, n);
    n = incl_text(t, sizeof t, 15, 16);
    puts2(T, "ok-inclusion-15-of-16", 15, 0, t, n);
    memcpy(t + n, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", 45);
    puts2(T, "tamper-inclusion-trailing-hash", 15, 0, t, n + 45);
    n = cons_text(t, sizeof t, 3, 7);
    puts2(T, "ok-consistency-3-to-7", 6, 3, t, n);
    puts2(T, "einval-consistency-no-known", 6, 0, t, n);
    puts2(T, "tamper-consistency-other-known", 6, 4, t, n);
    n = cons_text(t, sizeof t, 8, 16);
    puts2(T, "ok-consistency-8-to-16-cosigned", 0x1f, 8, t, n);
    n = (size_t)snprintf(t, sizeof t, "consistency-proof/v1\nold 5\nnew 5\n");
    puts2(T, "ok-consistency-equal", 4, 5, t, n);
    n = (size_t)snprintf(t, sizeof t, "consistency-proof/v1\nold 05\nnew 5\n");
    puts2(T, "bad-leading-zero", 4, 5, t, n);
    n = (size_t)snprintf(t, sizeof t, "consistency-proof/v1\nold 18446744073709551616\nnew 5\n");
    puts2(T, "bad-number-overflow", 4, 5, t, n);
    n = (size_t)snprintf(t, sizeof t, "consistency-proof/v1\r\nold 5\r\nnew 5\r\n");
    puts2(T, "bad-crlf", 4, 5, t, n);
    n = (size_t)snprintf(t, sizeof t, "consistency-proof/v2\nold 5\nnew 5\n");
    puts2(T, "bad-unknown-kind", 4, 5, t, n);
    n = (size_t)snprintf(t, sizeof t, "inclusion-proof/v1\nindex 1\nsize 2\nleaf AAAA\n");
    puts2(T, "bad-short-leaf", 1, 0, t, n);
    n = (size_t)snprintf(t, sizeof t, "consistency-proof/v1\nold 1\nnew 16\n");
    for (int i = 0; i < 129; i++)
        n += (size_t)snprintf(t + n, sizeof t - n, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
    puts2(T, "bad-129-hashes", 15, 1, t, n);
    puts2(T, "trunc-empty", 0, 0, t, 0);
}

static void witness_seed(const char *name, uint8_t flags, const char *a, size_t al, const char *b,
                         size_t bl, const char *p, size_t pl)
{
    uint8_t *buf = malloc(1 + al + 1 + bl + 1 + pl);
    size_t n = 0;

    fuzz_check(buf != NULL);
    buf[n++] = flags;
    memcpy(buf + n, a, al), n += al;
    buf[n++] = 0;
    memcpy(buf + n, b, bl), n += bl;
    if (p != NULL) {
        buf[n++] = 0;
        memcpy(buf + n, p, pl), n += pl;
    }
    put("witness", name, buf, n);
    free(buf);
}

static void witness(void)
{
    char a[256], b[256], p[4096];
    size_t al = fix_body(a, sizeof a, 3), bl = fix_body(b, sizeof b, 7);
    size_t pl = cons_text(p, sizeof p, 3, 7);
    const council_buf *n3 = &fix.note[3], *n7 = &fix.note[7];

    witness_seed("ok-3-to-7-resigned", 3, a, al, b, bl, p, pl);
    witness_seed("ok-3-to-7-signed", 0, (const char *)n3->ptr, n3->len, (const char *)n7->ptr,
                 n7->len, p, pl);
    witness_seed("ok-equal-sizes", 3, a, al, a, al, NULL, 0);
    witness_seed("ok-empty-old", 3, p, (size_t)fix_body(p, sizeof p, 0), b, bl, NULL, 0);
    witness_seed("einval-no-proof", 3, a, al, b, bl, NULL, 0);
    witness_seed("tamper-rollback", 3, b, bl, a, al, p, pl);
    witness_seed("tamper-proof-other-sizes", 3, a, al, (const char *)fix.note[8].ptr,
                 fix.note[8].len, p, pl);
    witness_seed("tamper-unsigned", 0, a, al, b, bl, p, pl);
    witness_seed("tamper-cosigned-new", 1, a, al, (const char *)fix.cosigned[7].ptr,
                 fix.cosigned[7].len, p, pl);
    {
        char q[4096];
        size_t ql = incl_text(q, sizeof q, 2, 7);
        witness_seed("bad-inclusion-proof", 3, a, al, b, bl, q, ql);
    }
    witness_seed("bad-trunc-proof", 3, a, al, b, bl, p, pl - 1);
    {
        char o[300];
        size_t ol = (size_t)snprintf(o, sizeof o, "other.example/log\n3\n%.*s", (int)(al - 2 - 47),
                                     a + 47 + 2);
        witness_seed("tamper-other-origin", 3, o, ol, b, bl, p, pl);
    }
    witness_seed("trunc-empty", 0, "", 0, "", 0, NULL, 0);
}

static void vkey(void)
{
    char t[FIX_VKEY_MAX + 4];
    size_t n;

    put("vkey", "ok-log", fix.log_vkey, strlen(fix.log_vkey));
    put("vkey", "ok-witness", fix.wit_vkey, strlen(fix.wit_vkey));
    n = (size_t)snprintf(t, sizeof t, "%s\r\n", fix.wit_vkey);
    put("vkey", "ok-witness-crlf", t, n);
    snprintf(t, sizeof t, "%s", fix.log_vkey);
    t[strlen(FIX_ORIGIN) + 3] ^= 1;
    put("vkey", "bad-keyid", t, strlen(t));
    snprintf(t, sizeof t, "%s", fix.log_vkey);
    for (char *q = t; *q != '\0'; q++)
        if (*q >= 'a' && *q <= 'f' && q > t + strlen(FIX_ORIGIN))
            *q = (char)(*q - 'a' + 'A');
    put("vkey", "bad-uppercase", t, strlen(t));
    put("vkey", "bad-no-plus", FIX_ORIGIN, strlen(FIX_ORIGIN));
    n = (size_t)snprintf(t, sizeof t, "a b%s", fix.log_vkey + strlen(FIX_ORIGIN));
    put("vkey", "bad-space-in-name", t, n);
    snprintf(t, sizeof t, "%s", fix.log_vkey);
    put("vkey", "trunc-last-byte", t, strlen(t) - 1);
    n = strlen(fix.log_vkey);
    memcpy(t, fix.log_vkey, n);
    t[10] = '\0';
    put("vkey", "bad-nul-in-name", t, n);
    put("vkey", "trunc-empty", "", 0);
}

static void keytext(void)
{
    char t[300];
    uint8_t pk[32], sk[64];
    size_t n;

    for (int i = 0; i < 64; i++)
        t[i] = "0123456789abcdef"[i % 16];
    put("keytext", "root-ok", t, 64);
    t[64] = '\n';
    put("keytext", "root-ok-newline", t, 65);
    t[64] = '\r', t[65] = '\n';
    put("keytext", "root-ok-crlf", t, 66);
    t[65] = '\n', t[66] = '\n';
    put("keytext", "root-bad-two-newlines", t, 67);
    t[10] = 'g';
    put("keytext", "root-bad-hex", t, 64);
    put("keytext", "root-trunc-63", t, 63);
    /* the fixture witness key, as witness-keygen writes it */
    crypto_sign_seed_keypair(pk, sk, (const uint8_t *)"council-fuzz-witness-cosigner-01");
    for (int i = 0; i < 64; i++)
        snprintf(t + 2 * i, 3, "%02x", sk[i]);
    t[128] = '\n';
    put("keytext", "witness-ok", t, 129);
    put("keytext", "witness-ok-no-newline", t, 128);
    t[128] = '\0', t[129] = 'x';
    put("keytext", "witness-ok-nul-then-junk", t, 130);
    t[127] = (char)(t[127] == '0' ? '1' : '0');
    t[128] = '\n';
    put("keytext", "witness-einval-public-half-edited", t, 129);
    t[127] = 'z';
    put("keytext", "witness-bad-hex", t, 129);
    put("keytext", "witness-trunc-127", t, 127);
    n = 0;
    put("keytext", "trunc-empty", t, n);
}

static void journal(void)
{
    Council__V1__SessionRefusal r = COUNCIL__V1__SESSION_REFUSAL__INIT;
    uint8_t buf[600], id[16];
    size_t n;

    memset(id, 0x11, sizeof id);
    r.time = 1700000000;
    r.reason = (char *)(uintptr_t)"wrong_passphrase";
    r.error = COUNCIL_EAUTH;
    r.has_member_id = 1;
    r.member_id.data = id;
    r.member_id.len = 16;
    buf[0] = 1;
    buf[1] = (uint8_t)council__v1__session_refusal__get_packed_size(&r);
    n = 2 + council__v1__session_refusal__pack(&r, buf + 2);
    put("journal", "sealed-one-record", buf, n);
    r.has_staff_id = 1;
    r.staff_id.data = id;
    r.staff_id.len = 16;
    buf[n] = (uint8_t)council__v1__session_refusal__get_packed_size(&r);
    n += 1 + council__v1__session_refusal__pack(&r, buf + n + 1);
    put("journal", "sealed-two-records", buf, n);
    buf[0] = 3 | (1 << 2);
    put("journal", "sealed-two-records-sink-fails-at-1", buf, n);
    r.reason = (char *)(uintptr_t)"Not-A-Code";
    buf[0] = 1;
    buf[1] = (uint8_t)council__v1__session_refusal__get_packed_size(&r);
    n = 2 + council__v1__session_refusal__pack(&r, buf + 2);
    put("journal", "sealed-bad-reason", buf, n);
    r.reason = (char *)(uintptr_t)"no_access";
    r.member_id.len = 15;
    buf[1] = (uint8_t)council__v1__session_refusal__get_packed_size(&r);
    n = 2 + council__v1__session_refusal__pack(&r, buf + 2);
    put("journal", "sealed-short-member-id", buf, n);
    put("journal", "sealed-trunc-record", buf, n - 3);
    /* raw files: frames that do not open, a zero length, a torn tail */
    memset(buf, 0, sizeof buf);
    buf[0] = 0, buf[1] = 0, buf[2] = 60;
    put("journal", "raw-record-not-sealed", buf, 3 + 60);
    buf[2] = 0, buf[3] = 0;
    put("journal", "raw-zero-length", buf, 5);
    buf[1] = 2, buf[2] = 1;
    put("journal", "raw-too-long-record", buf, 3 + 8);
    buf[1] = 0, buf[2] = 49;
    put("journal", "raw-torn-tail", buf, 3 + 20);
    put("journal", "trunc-empty", buf, 0);
}

static void policy(void)
{
    Council__V1__Policy m = COUNCIL__V1__POLICY__INIT;
    char *b[8];
    uint8_t buf[512];
    size_t n;

    b[0] = (char *)(uintptr_t)"consent";
    b[1] = (char *)(uintptr_t)"appi_27_1_1_law";
    b[2] = (char *)(uintptr_t)"council_art16_exchange";
    m.accepted_bases = b;
    m.n_accepted_bases = 3;
    m.vital_second_approver = 1;
    n = council__v1__policy__pack(&m, buf);
    put("policy", "ok-three-bases", buf, n);
    put("policy", "trunc-last-byte", buf, n - 1);
    m.n_accepted_bases = 0;
    m.vital_second_approver = 0;
    n = council__v1__policy__pack(&m, buf);
    put("policy", "ok-nothing-listed", buf, n);
    b[0] = (char *)(uintptr_t)"marketing";
    b[1] = (char *)(uintptr_t)"consent";
    b[2] = (char *)(uintptr_t)"consent";
    m.n_accepted_bases = 3;
    n = council__v1__policy__pack(&m, buf);
    put("policy", "ok-unknown-and-repeated", buf, n);
    buf[n] = 0xf8, buf[n + 1] = 0x06, buf[n + 2] = 0x01; /* field 111, varint */
    put("policy", "bad-unknown-field", buf, n + 3);
    put("policy", "bad-missing-required", "\x0a\x07" "consent", 9);
    put("policy", "trunc-empty", buf, 0);
}

static void section_json(void)
{
    static const struct { const char *name, *text; } s[] = {
        { "ok-identity", "{\"identity\":{\"name\":\"\\u5c71\\u7530 \\u82b1\\u5b50\","
                         "\"name_kana\":\"\\u30e4\\u30de\\u30c0\",\"birth_date\":\"1950-02-28\","
                         "\"address\":\"x\",\"phone\":\"0\",\"contact_note\":\"a\\nb\"},"
                         "\"text\":\"t\"}" },
        { "ok-wishes", "{\"wishes\":{\"wants\":[\"a\",\"b\"],\"does_not_want\":[\"c\"]}}" },
        { "ok-support-plan", "{\"support_plan\":{\"tasks\":[{\"title\":\"t\",\"state\":\"done\","
                             "\"due\":\"2024-01-31\",\"responsible_member\":"
                             "\"11111111-2222-4333-8444-555555555555\"},{\"title\":\"u\"}]}}" },
        { "ok-support-record", "{\"support_record\":{\"entries\":[{\"date\":\"2024-02-29\","
                               "\"text\":\"x\",\"member\":\"11111111222243338444555555555555\"}]}}" },
        { "ok-text-only", "{\"text\":\"\\u4e00\"}" },
        { "ok-empty-object", "{}" },
        { "bad-unknown-key", "{\"txt\":\"x\"}" },
        { "bad-duplicate-key", "{\"text\":\"a\",\"text\":\"b\"}" },
        { "bad-name-missing", "{\"identity\":{}}" },
        { "bad-state", "{\"support_plan\":{\"tasks\":[{\"title\":\"t\",\"state\":\"later\"}]}}" },
        { "bad-member-id", "{\"support_record\":{\"entries\":[{\"date\":\"d\",\"text\":\"x\","
                           "\"member\":\"1234\"}]}}" },
        { "bad-wants-not-strings", "{\"wishes\":{\"wants\":[1]}}" },
        { "bad-tasks-not-objects", "{\"support_plan\":{\"tasks\":[\"x\"]}}" },
        { "bad-top-array", "[]" },
        { "bad-nul-escape", "{\"text\":\"a\\u0000b\"}" },
        { "bad-invalid-utf8", "{\"text\":\"\xc3\x28\"}" },
        { "bad-two-values", "{} {}" },
        { "trunc-half", "{\"identity\":{\"na" },
        { "trunc-empty", "" },
    };

    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        put("section_json", s[i].name, s[i].text, strlen(s[i].text));
}

static void cosign(void)
{
    /* b0 % 4: 0 raw, 1 stored + rest, 2 re-signed body, 3 stored + cosig + rest */
    char t[512];
    size_t n;

    put("cosign", "raw-unsigned", "\0libcouncil/x\n3\nAAAA\n\n", 22);
    put("cosign", "stored-0-nothing-added", "\x01\x00", 2);
    n = (size_t)snprintf(t, sizeof t, "\x01%c\xe2\x80\x94 w.example AAAAAAAAAAAAAAAAAAAAAAAA\n", 1);
    put("cosign", "ok-stored-1-line-added", t, n);
    n = (size_t)snprintf(t, sizeof t, "\x01%c\xe2\x80\x94 bad line\n", 2);
    put("cosign", "bad-stored-2-bad-line", t, n);
    put("cosign", "ok-stored-2-real-cosignature", "\x03\x02", 2);
    n = (size_t)snprintf(t, sizeof t, "\x02libcouncil/00000000-0000-4000-8000-000000000000\n3\n"
                                      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
    put("cosign", "tamper-other-origin-resigned", t, n);
    n = (size_t)snprintf(t, sizeof t, "\x02x\n99\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
    put("cosign", "notfound-size-99-resigned", t, n);
    put("cosign", "trunc-empty", "", 0);
}

int main(int argc, char **argv)
{
    static const char *const dirs[] = { "proof_text", "witness", "vkey", "keytext", "journal",
                                        "policy", "section_json", "cosign" };

    if (argc != 2) {
        fprintf(stderr, "usage: gen_text_corpora fuzz/corpus\n");
        return 2;
    }
    root_dir = argv[1];
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", root_dir, dirs[i]);
        (void)mkdir(path, 0755);
    }
    fix_init();
    proof_text();
    witness();
    vkey();
    keytext();
    journal();
    policy();
    section_json();
    cosign();
    return 0;
}
