/*
 * gen_consent_corpus.c - write the seed inputs of fuzz/fuzz_consent.c.
 *
 * Not part of the build; see fuzz/README.md. Usage:
 *     gen_consent_corpus DIRECTORY
 *
 * Each seed is a serialised council.v1.ConsentRecord, the whole input of
 * the harness. Nothing random is drawn, so a rerun writes the same bytes.
 * Before writing a seed, the generator runs council__consent_record_check
 * on it as the harness does and stops if the code is not the one expected.
 * It also checks, without writing them, the two sides of the size cap: a
 * valid record of exactly 65,536 bytes (OK) and one byte more (EFORMAT).
 * The content is made up; nothing here is secret.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "council.h"
#include "council/v1/consent.pb-c.h"
#include "council_int.h"
#include "consent_db.h"

#define SEED_MAX 8192
#define RECORD_MAX 65536 /* CONSENT_BODY_MAX in consent.c */

typedef Council__V1__ConsentRecord record;

static const char *outdir;
static unsigned written;

static void die(const char *what, int rc)
{
    fprintf(stderr, "gen_consent_corpus: %s failed (%d)\n", what, rc);
    exit(1);
}

static const char *code_name(int rc)
{
    switch (rc) {
    case COUNCIL_OK:      return "OK";
    case COUNCIL_EFORMAT: return "EFORMAT";
    case COUNCIL_ENOMEM:  return "ENOMEM";
    default:              return "?";
    }
}

static int check(const uint8_t *buf, size_t n)
{
    record *m = NULL;
    int rc = council__consent_record_check(NULL, buf, n, &m);

    if (m != NULL)
        council__v1__consent_record__free_unpacked(m, council__pb_allocator());
    return rc;
}

/* Check raw record bytes and write them as a seed. */
static void emit_raw(const char *name, const uint8_t *buf, size_t n, int expect)
{
    char path[4096];
    FILE *f;
    int rc;

    if (n > SEED_MAX)
        die(name, 0);
    rc = check(buf, n);
    printf("%-38s %5zu bytes  %-7s (expected %s)\n", name, n, code_name(rc), code_name(expect));
    if (rc != expect)
        die(name, rc);
    if ((size_t)snprintf(path, sizeof path, "%s/%s", outdir, name) >= sizeof path)
        die("path length", 0);
    f = fopen(path, "wb");
    if (f == NULL || (n > 0 && fwrite(buf, 1, n, f) != n) || fclose(f) != 0)
        die(path, 0);
    written++;
}

static size_t pack(const record *m, uint8_t *out, size_t cap)
{
    size_t n = council__v1__consent_record__get_packed_size(m);

    if (n > cap)
        die("pack", (int)n);
    return council__v1__consent_record__pack(m, out);
}

static void emit(const char *name, const record *m, int expect)
{
    static uint8_t buf[SEED_MAX];

    emit_raw(name, buf, pack(m, buf, sizeof buf), expect);
}

/* ------------------------------------------------------- raw wire edits */

static int varint(const uint8_t *p, size_t n, size_t *at, uint64_t *v)
{
    *v = 0;
    for (unsigned shift = 0; shift < 64 && *at < n; shift += 7) {
        uint8_t b = p[(*at)++];
        *v |= (uint64_t)(b & 0x7f) << shift;
        if ((b & 0x80) == 0)
            return 1;
    }
    return 0;
}

/* Copy a packed message without its top-level fields numbered `field`. */
static size_t drop_field(const uint8_t *in, size_t n, unsigned field, uint8_t *out)
{
    size_t at = 0, o = 0;

    while (at < n) {
        size_t start = at;
        uint64_t key, v;

        if (!varint(in, n, &at, &key))
            die("drop_field key", 0);
        switch (key & 7) {
        case 0:
            if (!varint(in, n, &at, &v))
                die("drop_field varint", 0);
            break;
        case 1: at += 8; break;
        case 2:
            if (!varint(in, n, &at, &v) || v > n - at)
                die("drop_field length", 0);
            at += (size_t)v;
            break;
        case 5: at += 4; break;
        default: die("drop_field wire type", (int)(key & 7));
        }
        if (at > n)
            die("drop_field end", 0);
        if ((key >> 3) != field) {
            memcpy(out + o, in + start, at - start);
            o += at - start;
        }
    }
    return o;
}

/* ---------------------------------------------------------------- content */

static uint8_t id_rec[16] = {
    0x3c, 0x9a, 0x51, 0x0e, 0x72, 0x4d, 0x4f, 0x8b, 0xa1, 0x06, 0x5e, 0xd2, 0x18, 0x77, 0x40, 0x2f,
};
static char id_rec_text[] = "3c9a510e-724d-4f8b-a106-5ed21877402f";
static uint8_t case_id[16] = {
    0x11, 0x2e, 0x7b, 0x40, 0x09, 0xc1, 0x4a, 0x53, 0x8f, 0x6d, 0x20, 0x33, 0x9e, 0x04, 0xb8, 0x5a,
};
static uint8_t person[16] = {
    0x7e, 0x01, 0x64, 0xa9, 0x2b, 0x5c, 0x4e, 0x10, 0x93, 0x48, 0xcd, 0x0f, 0x31, 0x6a, 0x22, 0x87,
};
static uint8_t member_a[16] = {
    0x5f, 0x1c, 0x8e, 0x02, 0x3a, 0x77, 0x4b, 0x10, 0x9d, 0x21, 0x6e, 0x40, 0xc3, 0x58, 0x0b, 0x91,
};
static uint8_t member_b[16] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
};
static uint8_t member_c[16] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x4f, 0xff, 0xbf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};
static uint8_t staff_a[16] = {
    0x9b, 0x3f, 0x27, 0x6c, 0x80, 0x1d, 0x4c, 0x66, 0xb2, 0x58, 0x0a, 0xe4, 0x71, 0x13, 0xc9, 0x35,
};
static uint8_t ext_id[16] = {
    0x44, 0x21, 0x0c, 0x9f, 0x66, 0xe8, 0x47, 0x02, 0x85, 0x5b, 0x3a, 0x1d, 0x60, 0x99, 0xf4, 0x0e,
};
/* SHA-256 of the empty string: a stand-in for a scanned form's hash. */
static uint8_t evidence[32] = {
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
};

static char *scopes2[] = { "situation", "support_plan" };
static char *purposes2[] = { "support_coordination", "joint_support" };
static char *scope_health[] = { "health" };
static char *purpose_referral[] = { "referral" };
static char *purposes_other[] = { "meeting_discussion", "statistics", "other" };

static ProtobufCBinaryData bin(uint8_t *p, size_t n)
{
    ProtobufCBinaryData b;

    b.data = p;
    b.len = n;
    return b;
}

static ProtobufCBinaryData recipients2[2], recipients33[33];
static char *scopes33[33], *purposes33[33];
static char scope_names[33][80];

/* The required fields only: a refusal by the person, recorded by root. */
static record minimal(void)
{
    record m = COUNCIL__V1__CONSENT_RECORD__INIT;

    m.id = bin(id_rec, 16);
    m.id_text = id_rec_text;
    m.case_id = bin(case_id, 16);
    m.subject_person = bin(person, 16);
    m.grantor = COUNCIL__V1__GRANTOR_KIND__GRANTOR_KIND_SELF;
    m.valid_from = 1763596800;   /* 2025-11-20T00:00:00Z */
    m.method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_ORAL;
    m.refusal = 1;
    m.recorded = 1763600400;
    m.status = COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_REFUSED;
    return m;
}

/* A consent by the person to two members, as a member's staff records it. */
static record consent(void)
{
    record m = minimal();

    m.method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_WRITTEN;
    m.refusal = 0;
    m.status = COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_ACTIVE;
    m.n_recipient_members = 2;
    m.recipient_members = recipients2;
    m.n_scopes = 2;
    m.scopes = scopes2;
    m.n_purposes = 2;
    m.purposes = purposes2;
    m.has_valid_until = 1;
    m.valid_until = 1795132800; /* 2026-11-20 */
    m.has_obtained_by = 1;
    m.obtained_by = bin(staff_a, 16);
    m.has_recorded_by_member = 1;
    m.recorded_by_member = bin(member_a, 16);
    m.has_recorded_by_staff = 1;
    m.recorded_by_staff = bin(staff_a, 16);
    return m;
}

/* ------------------------------------------------------------------- main */

int main(int argc, char **argv)
{
    static uint8_t buf[SEED_MAX], buf2[SEED_MAX];
    record m;
    Council__V1__ConsentWithdrawal w = COUNCIL__V1__CONSENT_WITHDRAWAL__INIT;
    ProtobufCMessageUnknownField uf;
    uint8_t one = 1, id15[15], *big;
    char *s1[1], *purpose_bad[2], long_scope[66];
    size_t n, n2;

    if (argc != 2) {
        fprintf(stderr, "usage: %s DIRECTORY\n", argv[0]);
        return 2;
    }
    outdir = argv[1];
    if (council_global_init() != COUNCIL_OK)
        die("council_global_init", -1);
    recipients2[0] = bin(member_a, 16);
    recipients2[1] = bin(member_b, 16);
    for (int i = 0; i < 33; i++) {
        recipients33[i] = bin(i % 3 == 0 ? member_a : i % 3 == 1 ? member_b : member_c, 16);
        (void)snprintf(scope_names[i], sizeof scope_names[i], "scope_%02d", i);
        scopes33[i] = scope_names[i];
        purposes33[i] = (char *)purposes2[i % 2];
    }
    memcpy(id15, id_rec, sizeof id15);
    memset(long_scope, 'a', 64);
    long_scope[64] = '\0';

    /* ------------------------------------------------ valid: OK */
    m = consent();
    emit("valid-consent-self", &m, COUNCIL_OK);

    m = consent();
    m.grantor = COUNCIL__V1__GRANTOR_KIND__GRANTOR_KIND_GUARDIAN;
    m.grantor_name = "山田 太郎（成年後見人）";
    m.method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_ORAL;
    emit("valid-consent-guardian-ja", &m, COUNCIL_OK);

    m = consent();
    m.n_recipient_members = 0;
    m.recipient_members = NULL;
    m.external_party = "北市地域包括支援センター";
    m.has_external_party_id = 1;
    m.external_party_id = bin(ext_id, 16);
    m.n_scopes = 1;
    m.scopes = scope_health;
    m.n_purposes = 1;
    m.purposes = purpose_referral;
    emit("valid-consent-external-party", &m, COUNCIL_OK);

    m = consent();
    m.n_purposes = 3;
    m.purposes = purposes_other;
    m.purpose_other = "研修での事例検討（匿名化したうえで）";
    emit("valid-consent-purpose-other", &m, COUNCIL_OK);

    m = consent();
    m.method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_ELECTRONIC;
    m.has_evidence_sha256 = 1;
    m.evidence_sha256 = bin(evidence, 32);
    m.has_valid_until = 0;
    m.valid_until = 0;
    emit("valid-consent-evidence-electronic", &m, COUNCIL_OK);

    m = consent();
    w.time = 1764000000;
    w.reason = "本人から電話で撤回の申し出。\n理由は述べず。";
    w.has_by_member = 1;
    w.by_member = bin(member_a, 16);
    w.has_by_staff = 1;
    w.by_staff = bin(staff_a, 16);
    m.withdrawal = &w;
    m.status = COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_WITHDRAWN;
    emit("bad-withdrawal-in-body", &m, COUNCIL_EFORMAT); /* the withdrawal is a row apart */

    /* 32 of each list, the most accepted; one scope of the longest, 64. */
    m = consent();
    m.n_recipient_members = 32;
    m.recipient_members = recipients33;
    m.n_scopes = 32;
    m.scopes = scopes33;
    scopes33[31] = long_scope;
    m.n_purposes = 32;
    m.purposes = purposes33;
    emit("valid-consent-32-each", &m, COUNCIL_OK);
    scopes33[31] = scope_names[31];

    m = minimal();
    m.grantor = COUNCIL__V1__GRANTOR_KIND__GRANTOR_KIND_LEGAL_REPRESENTATIVE;
    m.grantor_name = "佐藤 一郎（親権者）";
    m.n_recipient_members = 1;
    m.recipient_members = recipients2;
    m.n_scopes = 1;
    m.scopes = scope_health;
    m.n_purposes = 1;
    m.purposes = purpose_referral;
    m.method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_WRITTEN;
    emit("valid-refusal-representative", &m, COUNCIL_OK);

    m = minimal();
    emit("valid-refusal-minimal", &m, COUNCIL_OK);

    /* A NUL inside a scope: protobuf-c keeps the bytes, the check reads
     * the scope as a C string ("support" of "support\0plan"), so OK; the
     * record is not required to re-encode to its own bytes. */
    m = consent();
    n = pack(&m, buf, sizeof buf);
    {
        static const char find[] = "support_plan";
        size_t at = 0;

        while (at + sizeof find - 1 <= n && memcmp(buf + at, find, sizeof find - 1) != 0)
            at++;
        if (at + sizeof find - 1 > n)
            die("find scope", 0);
        buf[at + 7] = '\0';
    }
    emit_raw("bad-nul-in-scope", buf, n, COUNCIL_EFORMAT);

    /* ------------------------------------------------ malformed: EFORMAT */
    m = consent();
    m.id = bin(id15, 15);
    emit("bad-id-15-bytes", &m, COUNCIL_EFORMAT);
    m = consent();
    m.case_id = bin(id15, 15);
    emit("bad-case-id-15-bytes", &m, COUNCIL_EFORMAT);
    m = consent();
    m.subject_person = bin(id15, 15);
    emit("bad-subject-person-15-bytes", &m, COUNCIL_EFORMAT);
    {
        ProtobufCBinaryData r[2] = { bin(member_a, 16), bin(id15, 15) };
        m = consent();
        m.recipient_members = r;
        emit("bad-recipient-15-bytes", &m, COUNCIL_EFORMAT);
    }
    m = consent();
    m.has_evidence_sha256 = 1;
    m.evidence_sha256 = bin(evidence, 31);
    emit("bad-evidence-31-bytes", &m, COUNCIL_EFORMAT);

    m = consent();
    purpose_bad[0] = "support_coordination";
    purpose_bad[1] = "marketing";
    m.purposes = purpose_bad;
    emit("bad-purpose-unknown", &m, COUNCIL_EFORMAT);

    m = consent();
    s1[0] = "Health";
    m.n_scopes = 1;
    m.scopes = s1;
    emit("bad-scope-uppercase", &m, COUNCIL_EFORMAT);
    long_scope[64] = 'a';
    long_scope[65] = '\0';
    s1[0] = long_scope;
    emit("bad-scope-65-chars", &m, COUNCIL_EFORMAT);
    long_scope[64] = '\0';

    m = consent();
    m.n_scopes = 33;
    m.scopes = scopes33;
    emit("bad-33-scopes", &m, COUNCIL_EFORMAT);

    m = consent();
    m.grantor = COUNCIL__V1__GRANTOR_KIND__GRANTOR_KIND_UNKNOWN;
    emit("bad-grantor-unknown", &m, COUNCIL_EFORMAT);
    m.grantor = (Council__V1__GrantorKind)7;
    emit("bad-grantor-7", &m, COUNCIL_EFORMAT);
    m = consent();
    m.method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_UNKNOWN;
    emit("bad-method-unknown", &m, COUNCIL_EFORMAT);
    m.method = (Council__V1__ConsentMethod)4;
    emit("bad-method-4", &m, COUNCIL_EFORMAT);

    m = consent();
    m.grantor = COUNCIL__V1__GRANTOR_KIND__GRANTOR_KIND_GUARDIAN;
    m.grantor_name = "山田\a太郎"; /* BEL */
    emit("bad-control-char-in-grantor-name", &m, COUNCIL_EFORMAT);
    m = consent();
    m.external_party = "北市\n地域包括支援センター";
    emit("bad-newline-in-external-party", &m, COUNCIL_EFORMAT);

    /* An unknown top-level field (99, varint 1) after a valid record. */
    m = consent();
    n = pack(&m, buf, sizeof buf - 3);
    buf[n++] = 0x98; /* key (99 << 3 | 0) = 792 */
    buf[n++] = 0x06;
    buf[n++] = 0x01;
    emit_raw("bad-unknown-field", buf, n, COUNCIL_EFORMAT);

    m = consent();
    w.base.n_unknown_fields = 1;
    w.base.unknown_fields = &uf;
    uf.tag = 15;
    uf.wire_type = PROTOBUF_C_WIRE_TYPE_VARINT;
    uf.len = 1;
    uf.data = &one;
    m.withdrawal = &w;
    emit("bad-unknown-field-in-withdrawal", &m, COUNCIL_EFORMAT);
    w.base.n_unknown_fields = 0;
    w.base.unknown_fields = NULL;

    /* A required field (19, recorded) missing: protobuf-c refuses it. */
    m = consent();
    n = pack(&m, buf, sizeof buf);
    n2 = drop_field(buf, n, 19, buf2);
    emit_raw("bad-missing-recorded", buf2, n2, COUNCIL_EFORMAT);

    /* Cut short: protobuf-c refuses a truncated record; zero bytes are
     * refused before protobuf-c sees them. */
    m = consent();
    m.withdrawal = &w;
    n = pack(&m, buf, sizeof buf);
    emit_raw("trunc-last-byte", buf, n - 1, COUNCIL_EFORMAT);
    emit_raw("trunc-half", buf, n / 2, COUNCIL_EFORMAT);
    emit_raw("trunc-empty", buf, 0, COUNCIL_EFORMAT);

    /* Not written (it would make libFuzzer's inputs huge): the size cap.
     * purpose_other is not checked as text, so it pads a valid record to
     * exactly 65,536 bytes, OK; one byte more is refused. */
    big = malloc(RECORD_MAX + 16);
    if (big == NULL)
        die("malloc", 0);
    {
        size_t pad = RECORD_MAX - 200, got;
        char *other = malloc(RECORD_MAX);

        if (other == NULL)
            die("malloc", 0);
        m = consent();
        m.n_purposes = 3;
        m.purposes = purposes_other;
        m.purpose_other = other;
        for (int round = 0; round < 8; round++) {
            memset(other, 'x', pad);
            other[pad] = '\0';
            got = council__v1__consent_record__get_packed_size(&m);
            if (got == RECORD_MAX)
                break;
            pad += (size_t)RECORD_MAX - got; /* the length prefix may grow by a byte */
        }
        if (council__v1__consent_record__get_packed_size(&m) != RECORD_MAX)
            die("65536-byte record", 0);
        n = council__v1__consent_record__pack(&m, big);
        if (check(big, n) != COUNCIL_OK)
            die("65536-byte record OK", 0);
        /* One more byte: the same record with an extra trailing byte of
         * padding (pad + 1 keeps a 3-byte length prefix). */
        other[pad] = 'x';
        other[pad + 1] = '\0';
        n = council__v1__consent_record__pack(&m, big);
        if (n != RECORD_MAX + 1 || check(big, n) != COUNCIL_EFORMAT)
            die("65537-byte record EFORMAT", (int)n);
        printf("%-38s %5d bytes  OK, and %d bytes EFORMAT (not written)\n", "size-cap", RECORD_MAX,
               RECORD_MAX + 1);
        free(other);
    }
    free(big);

    printf("%u seeds\n", written);
    return 0;
}
