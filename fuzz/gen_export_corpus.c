/*
 * gen_export_corpus.c - write the seed inputs of fuzz/fuzz_export.c.
 *
 * Not part of the build; see fuzz/README.md. Usage:
 *     gen_export_corpus DIRECTORY
 *
 * Every export is signed with the fixed log key the harness trusts (an
 * Ed25519 pair from LOG_SEED, named after the council id 00000000-0000-
 * 4000-8000-000000000000), and cosigned, where it is, by the fixed witness
 * (WITNESS_SEED). Ed25519 signing is deterministic, the times are fixed and
 * nothing random is drawn, so a rerun writes the same bytes and the seeds
 * only change when the format does. Nothing here is secret.
 *
 * Each seed is verified here before it is written, once with no witness
 * and once requiring one cosignature by the fixed witness, exactly as the
 * harness does; the program stops if either return code is not the one
 * expected.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "council.h"
#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "merkle.h"
#include "note.h"
#include "verify.h"
#include "event.h"

/* The keys of fuzz_export.c: keep these in step with it. */
#define LOG_NAME "libcouncil/00000000-0000-4000-8000-000000000000"
#define LOG_VKEY \
    "libcouncil/00000000-0000-4000-8000-000000000000+838f62f6+AWMKcy0OV1JZcVK1q9jgeEsUV1YiaIg5jtcZmjPIiknB"
#define WITNESS_NAME "witness.fuzz.example"
#define WITNESS_VKEY "witness.fuzz.example+d61383ce+BCEZWCE89GP/q7T3sm5vqXFzCp68ZRYN5BwJc5RJbhbk"

static const uint8_t council_id[COUNCIL_ID_BYTES] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00,
    0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
/* Another council's id: its origin is not the log key's name. */
static const uint8_t other_id[COUNCIL_ID_BYTES] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00,
    0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
};

/* crypto_sign_seed_keypair seeds: "council fuzz log", "... witness", "... other". */
static const uint8_t log_seed[crypto_sign_SEEDBYTES] = {
    'c', 'o', 'u', 'n', 'c', 'i', 'l', '-', 'f', 'u', 'z', 'z', '-', 'e', 'x', 'p',
    'o', 'r', 't', '-', 'l', 'o', 'g', '-', 'k', 'e', 'y', '-', 's', 'e', 'e', 'd',
};
static const uint8_t witness_seed[crypto_sign_SEEDBYTES] = {
    'c', 'o', 'u', 'n', 'c', 'i', 'l', '-', 'f', 'u', 'z', 'z', '-', 'w', 'i', 't',
    'n', 'e', 's', 's', '-', 'c', 'o', 's', 'i', 'g', 'n', 'e', 'r', '-', '0', '1',
};
static const uint8_t other_seed[crypto_sign_SEEDBYTES] = {
    'c', 'o', 'u', 'n', 'c', 'i', 'l', '-', 'f', 'u', 'z', 'z', '-', 'n', 'o', 't',
    '-', 't', 'h', 'e', '-', 'l', 'o', 'g', '-', 'k', 'e', 'y', '-', 's', 'e', 'e',
};

#define N_EVENTS 5
#define MID_SIZE 3               /* the middle checkpoint covers events 0..2 */
#define T0 INT64_C(1764000000)   /* 2025-11-24 */
#define COSIGN_TIME UINT64_C(1764000600)

static const uint8_t export_magic[8] = { 0x89, 'C', 'A', 'X', '\r', '\n', 0x1a, '\n' };

/* ---------------------------------------------------------------- helpers */

static const char *outdir;
static unsigned written;

static void die(const char *what, int rc)
{
    fprintf(stderr, "gen_export_corpus: %s failed (%d)\n", what, rc);
    exit(1);
}

typedef struct blob {
    uint8_t *p;
    size_t len;
} blob;

static void blob_set(blob *b, const void *p, size_t n)
{
    b->p = malloc(n == 0 ? 1 : n);
    if (b->p == NULL)
        die("malloc", 0);
    if (n > 0)
        memcpy(b->p, p, n);
    b->len = n;
}

static void blob_free(blob *b)
{
    free(b->p);
    b->p = NULL;
    b->len = 0;
}

/* A growing byte string: the export being assembled. */
typedef struct xbuf {
    uint8_t *p;
    size_t len, cap;
} xbuf;

static void xb_put(xbuf *x, const void *p, size_t n)
{
    if (x->len + n > x->cap) {
        size_t cap = x->cap == 0 ? 1024 : x->cap;
        uint8_t *q;

        while (cap < x->len + n)
            cap *= 2;
        q = realloc(x->p, cap);
        if (q == NULL)
            die("realloc", 0);
        x->p = q;
        x->cap = cap;
    }
    if (n > 0)
        memcpy(x->p + x->len, p, n);
    x->len += n;
}

static void xb_u32(xbuf *x, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

    xb_put(x, b, sizeof b);
}

/* Length prefix and body of one frame. */
static void xb_frame(xbuf *x, const blob *frame)
{
    xb_u32(x, (uint32_t)frame->len);
    xb_put(x, frame->p, frame->len);
}

static void xb_start(xbuf *x)
{
    x->len = 0;
    xb_put(x, export_magic, sizeof export_magic);
}

/* ------------------------------------------------------- verify and write */

static const char *rc_name(int rc)
{
    switch (rc) {
    case COUNCIL_OK: return "OK";
    case COUNCIL_EINVAL: return "EINVAL";
    case COUNCIL_ENOMEM: return "ENOMEM";
    case COUNCIL_EIO: return "EIO";
    case COUNCIL_ETAMPER: return "ETAMPER";
    case COUNCIL_EFORMAT: return "EFORMAT";
    case COUNCIL_EUNSUPPORTED: return "EUNSUPPORTED";
    default: return "other";
    }
}

/* council__audit_verify_fp over the bytes, as the harness calls it. */
static int verify(const uint8_t *p, size_t n, int with_witness, char *msg, size_t msg_cap)
{
    static const char *const witnesses[1] = { WITNESS_VKEY };
    static uint8_t empty[1];
    council_buf report = { NULL, 0 };
    Council__V1__AuditVerifyReport *r;
    FILE *f;
    int rc;

    f = fmemopen(n == 0 ? empty : (void *)(uintptr_t)p, n, "rb");
    if (f == NULL)
        die("fmemopen", 0);
    {
        council_audit_verify_options o = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
        o.log_vkey = LOG_VKEY;
        o.witness_vkeys = with_witness ? witnesses : NULL;
        o.n_witnesses = with_witness ? 1 : 0;
        o.required = with_witness ? 1 : 0;
        rc = council__audit_verify_fp(&report, f, &o);
    }
    (void)fclose(f);
    msg[0] = '\0';
    r = report.ptr == NULL ? NULL
                           : council__v1__audit_verify_report__unpack(NULL, report.len, report.ptr);
    if (r != NULL) {
        (void)snprintf(msg, msg_cap, "%s", r->message);
        council__v1__audit_verify_report__free_unpacked(r, NULL);
    }
    council_buf_free(&report);
    return rc;
}

/* Verify both ways (no witness / the witness required), print expected
 * against got, stop on a mismatch, write. */
static void emit(const char *name, const uint8_t *p, size_t n, int expect, int expect_w)
{
    char path[4096], msg[256], msg_w[256];
    int got = verify(p, n, 0, msg, sizeof msg);
    int got_w = verify(p, n, 1, msg_w, sizeof msg_w);
    FILE *f;

    printf("%-40s %5zu bytes  expect %s/%s  got %s/%s  (%s)\n", name, n, rc_name(expect),
           rc_name(expect_w), rc_name(got), rc_name(got_w), got == COUNCIL_OK ? msg_w : msg);
    if (got != expect || got_w != expect_w) {
        fprintf(stderr, "gen_export_corpus: %s: unexpected return code\n", name);
        exit(1);
    }
    if ((size_t)snprintf(path, sizeof path, "%s/%s", outdir, name) >= sizeof path)
        die("path length", 0);
    f = fopen(path, "wb");
    if (f == NULL || (n > 0 && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
        die(path, 0);
    written++;
}

static void emit_x(const char *name, const xbuf *x, int expect, int expect_w)
{
    emit(name, x->p, x->len, expect, expect_w);
}

/* ------------------------------------------------------------ the log */

typedef struct signer {
    const char *name;
    council__secret sk;
    uint8_t pk[COUNCIL__SIGN_PK_BYTES];
} signer;

static void signer_init(signer *s, const char *name, const uint8_t seed[crypto_sign_SEEDBYTES])
{
    int rc = council__secret_alloc(&s->sk, COUNCIL__SIGN_SK_BYTES);

    if (rc != COUNCIL_OK)
        die("secret_alloc", rc);
    if (crypto_sign_seed_keypair(s->pk, s->sk.p, seed) != 0)
        die("crypto_sign_seed_keypair", -1);
    council__secret_lock(&s->sk);
    s->name = name;
}

/* How a variant of the log differs from the valid one; zero: no change. */
typedef struct opts {
    uint32_t format_version;            /* 0: 1 */
    const uint8_t *header_id;           /* NULL: council_id */
    uint64_t extra_declared;            /* added to the header's event count */
    const signer *final_signer;         /* NULL: the log key */
    /* Edit event i before it is packed (the chain is built on the result). */
    void (*edit)(Council__V1__AuditEvent *e, uint64_t i);
    /* Bytes appended to event i's encoding after packing (then chained). */
    int append_at;                      /* -1: none */
    const uint8_t *append;
    size_t append_len;
} opts;

/* The frames of one log: header, events, checkpoints, notes. */
typedef struct log_frames {
    blob hdr;
    blob event[N_EVENTS];   /* AuditFrame bytes */
    blob raw[N_EVENTS];     /* the AuditEvent bytes inside */
    blob cp_mid, cp_final;  /* AuditFrame bytes */
    blob note_mid, note_final; /* the notes, NUL-terminated (len excludes it) */
} log_frames;

static void pack_frame(blob *out, const Council__V1__AuditFrame *fr)
{
    size_t n = council__v1__audit_frame__get_packed_size(fr);

    out->p = malloc(n == 0 ? 1 : n);
    if (out->p == NULL)
        die("malloc", 0);
    out->len = council__v1__audit_frame__pack(fr, out->p);
}

static void checkpoint_frame(blob *out, const blob *note)
{
    Council__V1__AuditFrame fr = COUNCIL__V1__AUDIT_FRAME__INIT;

    fr.frame_case = COUNCIL__V1__AUDIT_FRAME__FRAME_CHECKPOINT;
    fr.checkpoint = (char *)note->p;
    pack_frame(out, &fr);
}

static void sign_note(blob *out, const council__frontier *fr, const signer *s)
{
    char body[512];
    uint8_t root[COUNCIL_HASH_BYTES];
    council_buf note = { NULL, 0 };
    size_t body_len;
    int rc;

    council__frontier_root(fr, root);
    rc = council__checkpoint_body(body, sizeof body, &body_len, LOG_NAME, fr->size, root);
    if (rc != COUNCIL_OK)
        die("checkpoint_body", rc);
    if ((rc = council__note_sign(&note, body, body_len, s->name, &s->sk, s->pk)) != COUNCIL_OK)
        die("note_sign", rc);
    blob_set(out, note.ptr, note.len + 1);
    out->p[note.len] = '\0';
    out->len = note.len;
    council_buf_free(&note);
}

/* Fill the fields of event i of the valid log. */
static void fill_event(Council__V1__AuditEvent *e, uint64_t i)
{
    static const uint8_t member[COUNCIL_ID_BYTES] = { 0x6d, 0x65, 0x6d, 0x62, 0x65, 0x72, 0x40, 0x01,
                                                      0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 };
    static const uint8_t staff[COUNCIL_ID_BYTES] = { 0x73, 0x74, 0x61, 0x66, 0x66, 0x00, 0x40, 0x02,
                                                     0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02 };
    static const uint8_t case_ref[32] = { 0xca, 0x5e, 0x01 };
    static const uint8_t consent[COUNCIL_ID_BYTES] = { 0xc0, 0x45, 0xe4, 0x70, 0x00, 0x00, 0x40, 0x03,
                                                       0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03 };
    static char *scopes[2] = { (char *)"health", (char *)"housing" };

    e->seq = i;
    e->time = T0 + (int64_t)i * 60;
    e->outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED;
    switch (i) {
    case 0:
        e->action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_COUNCIL_CREATED;
        e->actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT;
        break;
    case 1:
        e->action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_MEMBER_ADDED;
        e->actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT;
        e->has_actor_member = 1;
        e->actor_member.data = (uint8_t *)(uintptr_t)member;
        e->actor_member.len = sizeof member;
        break;
    case 2:
        e->action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CASE_CREATED;
        e->actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF;
        e->has_actor_member = 1;
        e->actor_member.data = (uint8_t *)(uintptr_t)member;
        e->actor_member.len = sizeof member;
        e->has_actor_staff = 1;
        e->actor_staff.data = (uint8_t *)(uintptr_t)staff;
        e->actor_staff.len = sizeof staff;
        e->has_case_ref = 1;
        e->case_ref.data = (uint8_t *)(uintptr_t)case_ref;
        e->case_ref.len = sizeof case_ref;
        e->n_scopes = 2;
        e->scopes = scopes;
        e->purpose = (char *)"casework";
        break;
    case 3:
        e->action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_DISCLOSURE_REFUSED;
        e->actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF;
        e->has_actor_member = 1;
        e->actor_member.data = (uint8_t *)(uintptr_t)member;
        e->actor_member.len = sizeof member;
        e->has_actor_staff = 1;
        e->actor_staff.data = (uint8_t *)(uintptr_t)staff;
        e->actor_staff.len = sizeof staff;
        e->has_case_ref = 1;
        e->case_ref.data = (uint8_t *)(uintptr_t)case_ref;
        e->case_ref.len = sizeof case_ref;
        e->purpose = (char *)"referral";
        e->basis = (char *)"consent";
        e->has_consent_id = 1;
        e->consent_id.data = (uint8_t *)(uintptr_t)consent;
        e->consent_id.len = sizeof consent;
        e->outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED;
        e->has_error = 1;
        e->error = COUNCIL_ENOCONSENT;
        e->reason = (char *)"consent_withdrawn";
        break;
    default:
        e->action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_AUDIT_EXPORTED;
        e->actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT;
        break;
    }
}

static void build(log_frames *lf, const opts *o, const signer *log_key)
{
    Council__V1__AuditFrame fr = COUNCIL__V1__AUDIT_FRAME__INIT;
    Council__V1__AuditExportHeader h = COUNCIL__V1__AUDIT_EXPORT_HEADER__INIT;
    council__frontier front;
    char origin[COUNCIL__ORIGIN_MAX];
    uint8_t prev[COUNCIL_HASH_BYTES], leaf[COUNCIL_HASH_BYTES];

    memset(lf, 0, sizeof *lf);
    council__log_origin(origin, o->header_id != NULL ? o->header_id : council_id);
    h.format_version = o->format_version != 0 ? o->format_version : 1;
    h.origin = origin;
    h.council_id.data = (uint8_t *)(uintptr_t)(o->header_id != NULL ? o->header_id : council_id);
    h.council_id.len = COUNCIL_ID_BYTES;
    h.event_count = N_EVENTS + o->extra_declared;
    h.created = T0 + 3600;
    fr.frame_case = COUNCIL__V1__AUDIT_FRAME__FRAME_HEADER;
    fr.header = &h;
    pack_frame(&lf->hdr, &fr);

    council__frontier_init(&front);
    for (uint64_t i = 0; i < N_EVENTS; i++) {
        Council__V1__AuditEvent e = COUNCIL__V1__AUDIT_EVENT__INIT;
        Council__V1__AuditFrame ef = COUNCIL__V1__AUDIT_FRAME__INIT;
        uint8_t bytes[1024];
        size_t n;

        fill_event(&e, i);
        if (i > 0) {
            e.has_prev_hash = 1;
            e.prev_hash.data = prev;
            e.prev_hash.len = sizeof prev;
        }
        if (o->edit != NULL)
            o->edit(&e, i);
        n = council__v1__audit_event__get_packed_size(&e);
        if (n + o->append_len > sizeof bytes)
            die("event size", 0);
        n = council__v1__audit_event__pack(&e, bytes);
        if (o->append_at >= 0 && (uint64_t)o->append_at == i) {
            memcpy(bytes + n, o->append, o->append_len);
            n += o->append_len;
        }
        blob_set(&lf->raw[i], bytes, n);
        ef.frame_case = COUNCIL__V1__AUDIT_FRAME__FRAME_EVENT;
        ef.event.data = bytes;
        ef.event.len = n;
        pack_frame(&lf->event[i], &ef);
        council__merkle_leaf(leaf, bytes, n);
        council__frontier_push(&front, leaf);
        memcpy(prev, leaf, sizeof prev);
        if (front.size == MID_SIZE)
            sign_note(&lf->note_mid, &front, log_key);
    }
    sign_note(&lf->note_final, &front, o->final_signer != NULL ? o->final_signer : log_key);
    checkpoint_frame(&lf->cp_mid, &lf->note_mid);
    checkpoint_frame(&lf->cp_final, &lf->note_final);
}

static void log_free(log_frames *lf)
{
    blob_free(&lf->hdr);
    for (size_t i = 0; i < N_EVENTS; i++) {
        blob_free(&lf->event[i]);
        blob_free(&lf->raw[i]);
    }
    blob_free(&lf->cp_mid);
    blob_free(&lf->cp_final);
    blob_free(&lf->note_mid);
    blob_free(&lf->note_final);
}

/* The frames of a log in export order; NULL entries stand for "skip". */
static void assemble(xbuf *x, const log_frames *lf)
{
    xb_start(x);
    xb_frame(x, &lf->hdr);
    for (size_t i = 0; i < N_EVENTS; i++) {
        xb_frame(x, &lf->event[i]);
        if (i + 1 == MID_SIZE)
            xb_frame(x, &lf->cp_mid);
    }
    xb_frame(x, &lf->cp_final);
}

/* A log variant, re-signed throughout, written whole. */
static void emit_variant(const char *name, const opts *o, const signer *log_key, int expect,
                         int expect_w)
{
    log_frames lf;
    xbuf x = { NULL, 0, 0 };

    build(&lf, o, log_key);
    assemble(&x, &lf);
    emit_x(name, &x, expect, expect_w);
    free(x.p);
    log_free(&lf);
}

/* Replace a note's frame with the note cosigned by the witness. */
static void cosign(blob *frame, const blob *note, const uint8_t wsk[COUNCIL__SIGN_SK_BYTES])
{
    council_buf c = { NULL, 0 };
    blob nul;
    int rc;

    rc = council__note_cosign(&c, (const char *)note->p, note->len, WITNESS_NAME, wsk, COSIGN_TIME);
    if (rc != COUNCIL_OK)
        die("note_cosign", rc);
    blob_set(&nul, c.ptr, c.len + 1);
    nul.p[c.len] = '\0';
    nul.len = c.len;
    blob_free(frame);
    checkpoint_frame(frame, &nul);
    blob_free(&nul);
    council_buf_free(&c);
}

/* ----------------------------------------------------------------- edits */

static void edit_time_backwards(Council__V1__AuditEvent *e, uint64_t i)
{
    if (i == 3)
        e->time = T0 + 60; /* before event 2 */
}

static void edit_bad_scope(Council__V1__AuditEvent *e, uint64_t i)
{
    static char *scopes[2] = { (char *)"housing", (char *)"health" }; /* unsorted */

    if (i == 2)
        e->scopes = scopes;
}

static void edit_short_member(Council__V1__AuditEvent *e, uint64_t i)
{
    if (i == 1)
        e->actor_member.len = COUNCIL_ID_BYTES - 1;
}

static void edit_prev_on_first(Council__V1__AuditEvent *e, uint64_t i)
{
    static uint8_t zero[COUNCIL_HASH_BYTES];

    if (i == 0) {
        e->has_prev_hash = 1;
        e->prev_hash.data = zero;
        e->prev_hash.len = sizeof zero;
    }
}

static void edit_seq_gap(Council__V1__AuditEvent *e, uint64_t i)
{
    if (i >= 3)
        e->seq = i + 1; /* the log says event 3 was removed */
}

/* ------------------------------------------------------------------- main */

static void check_vkey(const char *what, const char *want, const char *name, uint8_t type,
                       const uint8_t pk[COUNCIL__SIGN_PK_BYTES])
{
    char got[512];
    int rc = council__vkey_format(got, sizeof got, name, type, pk);

    if (rc != COUNCIL_OK)
        die("vkey_format", rc);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "gen_export_corpus: the %s verifier key is\n    %s\nbut the harness has\n"
                "    %s\n", what, got, want);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    static const uint8_t unknown_field[] = { 0xa0, 0x01, 0x07 }; /* field 20, varint 7 */
    signer log_key, other_key;
    uint8_t wpk[COUNCIL__SIGN_PK_BYTES], wsk[COUNCIL__SIGN_SK_BYTES];
    char origin[COUNCIL__ORIGIN_MAX];
    log_frames lf, ed;
    opts o, base;
    xbuf x = { NULL, 0, 0 };

    if (argc != 2) {
        fprintf(stderr, "usage: %s DIRECTORY\n", argv[0]);
        return 2;
    }
    outdir = argv[1];
    if (council_global_init() != COUNCIL_OK)
        die("council_global_init", -1);

    council__log_origin(origin, council_id);
    if (strcmp(origin, LOG_NAME) != 0)
        die("log origin", 0);
    signer_init(&log_key, LOG_NAME, log_seed);
    signer_init(&other_key, LOG_NAME, other_seed); /* same name, another key */
    if (crypto_sign_seed_keypair(wpk, wsk, witness_seed) != 0)
        die("crypto_sign_seed_keypair", -1);
    check_vkey("log", LOG_VKEY, LOG_NAME, COUNCIL__SIG_ED25519, log_key.pk);
    check_vkey("witness", WITNESS_VKEY, WITNESS_NAME, COUNCIL__SIG_COSIGN, wpk);

    memset(&base, 0, sizeof base);
    base.append_at = -1;
    build(&lf, &base, &log_key);

    /* ---- valid */
    assemble(&x, &lf);
    emit_x("valid-5-events.export", &x, COUNCIL_OK, COUNCIL_ETAMPER);

    ed = lf; /* shares lf's blobs except the final checkpoint frame */
    ed.cp_final.p = NULL;
    blob_set(&ed.cp_final, lf.cp_final.p, lf.cp_final.len);
    cosign(&ed.cp_final, &lf.note_final, wsk);
    assemble(&x, &ed);
    emit_x("valid-cosigned.export", &x, COUNCIL_OK, COUNCIL_OK);
    {
        /* The same, with the cosignature's last byte changed. */
        blob bad = ed.cp_final;
        size_t at = bad.len - 10; /* inside the signature's base64 */

        bad.p[at] = bad.p[at] == 'A' ? 'B' : 'A';
        assemble(&x, &ed);
        emit_x("cosig-bad-signature.export", &x, COUNCIL_OK, COUNCIL_ETAMPER);
    }
    blob_free(&ed.cp_final);

    /* Cosigned in the middle only: the last checkpoint has none. */
    ed = lf;
    ed.cp_mid.p = NULL;
    blob_set(&ed.cp_mid, lf.cp_mid.p, lf.cp_mid.len);
    cosign(&ed.cp_mid, &lf.note_mid, wsk);
    assemble(&x, &ed);
    emit_x("cosig-middle-only.export", &x, COUNCIL_OK, COUNCIL_OK); /* any checkpoint counts */
    blob_free(&ed.cp_mid);

    /* ---- damaged frames of the valid log */
    {
        /* One event edited in place: the next event's link breaks. */
        Council__V1__AuditEvent *e = council__v1__audit_event__unpack(NULL, lf.raw[1].len, lf.raw[1].p);
        Council__V1__AuditFrame ef = COUNCIL__V1__AUDIT_FRAME__INIT;
        uint8_t bytes[1024];
        blob saved = lf.event[1];

        if (e == NULL)
            die("unpack", 0);
        e->time += 1;
        ef.frame_case = COUNCIL__V1__AUDIT_FRAME__FRAME_EVENT;
        ef.event.data = bytes;
        ef.event.len = council__v1__audit_event__pack(e, bytes);
        pack_frame(&lf.event[1], &ef);
        assemble(&x, &lf);
        emit_x("tamper-event-1-edited.export", &x, COUNCIL_ETAMPER, COUNCIL_ETAMPER);
        blob_free(&lf.event[1]);
        lf.event[1] = saved;
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    {
        /* The last event edited: only the last checkpoint's root shows it. */
        Council__V1__AuditEvent *e = council__v1__audit_event__unpack(NULL, lf.raw[4].len, lf.raw[4].p);
        Council__V1__AuditFrame ef = COUNCIL__V1__AUDIT_FRAME__INIT;
        uint8_t bytes[1024];
        blob saved = lf.event[4];

        if (e == NULL)
            die("unpack", 0);
        e->action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CASE_READ;
        ef.frame_case = COUNCIL__V1__AUDIT_FRAME__FRAME_EVENT;
        ef.event.data = bytes;
        ef.event.len = council__v1__audit_event__pack(e, bytes);
        pack_frame(&lf.event[4], &ef);
        assemble(&x, &lf);
        emit_x("tamper-event-4-edited.export", &x, COUNCIL_ETAMPER, COUNCIL_ETAMPER);
        blob_free(&lf.event[4]);
        lf.event[4] = saved;
        council__v1__audit_event__free_unpacked(e, NULL);
    }

    /* One event dropped. */
    xb_start(&x);
    xb_frame(&x, &lf.hdr);
    xb_frame(&x, &lf.event[0]);
    xb_frame(&x, &lf.event[1]);
    xb_frame(&x, &lf.event[2]);
    xb_frame(&x, &lf.cp_mid);
    xb_frame(&x, &lf.event[4]);
    xb_frame(&x, &lf.cp_final);
    emit_x("tamper-event-3-dropped.export", &x, COUNCIL_ETAMPER, COUNCIL_ETAMPER);

    /* Two events swapped. */
    xb_start(&x);
    xb_frame(&x, &lf.hdr);
    xb_frame(&x, &lf.event[0]);
    xb_frame(&x, &lf.event[1]);
    xb_frame(&x, &lf.event[2]);
    xb_frame(&x, &lf.cp_mid);
    xb_frame(&x, &lf.event[4]);
    xb_frame(&x, &lf.event[3]);
    xb_frame(&x, &lf.cp_final);
    emit_x("tamper-events-3-4-swapped.export", &x, COUNCIL_ETAMPER, COUNCIL_ETAMPER);

    /* Tail cut: the last checkpoint is gone. */
    xb_start(&x);
    xb_frame(&x, &lf.hdr);
    for (size_t i = 0; i < N_EVENTS; i++) {
        xb_frame(&x, &lf.event[i]);
        if (i + 1 == MID_SIZE)
            xb_frame(&x, &lf.cp_mid);
    }
    emit_x("tamper-tail-cut.export", &x, COUNCIL_ETAMPER, COUNCIL_ETAMPER);

    /* Tail cut at the middle checkpoint: signed, but the header says 5. */
    xb_start(&x);
    xb_frame(&x, &lf.hdr);
    for (size_t i = 0; i < MID_SIZE; i++)
        xb_frame(&x, &lf.event[i]);
    xb_frame(&x, &lf.cp_mid);
    emit_x("tamper-cut-at-middle-checkpoint.export", &x, COUNCIL_ETAMPER, COUNCIL_ETAMPER);

    /* The last checkpoint replaced by the older one. */
    xb_start(&x);
    xb_frame(&x, &lf.hdr);
    for (size_t i = 0; i < N_EVENTS; i++) {
        xb_frame(&x, &lf.event[i]);
        if (i + 1 == MID_SIZE)
            xb_frame(&x, &lf.cp_mid);
    }
    xb_frame(&x, &lf.cp_mid);
    emit_x("tamper-old-checkpoint-last.export", &x, COUNCIL_ETAMPER, COUNCIL_ETAMPER);

    /* The last checkpoint moved up, in place of the middle one. */
    xb_start(&x);
    xb_frame(&x, &lf.hdr);
    for (size_t i = 0; i < N_EVENTS; i++) {
        xb_frame(&x, &lf.event[i]);
        if (i + 1 == MID_SIZE)
            xb_frame(&x, &lf.cp_final);
    }
    xb_frame(&x, &lf.cp_final);
    emit_x("tamper-checkpoint-too-early.export", &x, COUNCIL_ETAMPER, COUNCIL_ETAMPER);

    /* No header: the first frame is an event. */
    xb_start(&x);
    for (size_t i = 0; i < N_EVENTS; i++)
        xb_frame(&x, &lf.event[i]);
    xb_frame(&x, &lf.cp_final);
    emit_x("bad-no-header.export", &x, COUNCIL_EFORMAT, COUNCIL_EFORMAT);

    /* Byte-level damage to the valid export. */
    assemble(&x, &lf);
    {
        size_t mid = 8 + 4 + lf.hdr.len + 4 + lf.event[0].len + 4 + lf.event[1].len + 4 +
                     lf.event[2].len / 2;
        size_t in_len = 8 + 4 + lf.hdr.len + 2; /* inside the next length prefix */
        uint8_t *q;

        emit("trunc-mid-frame.export", x.p, mid, COUNCIL_EFORMAT, COUNCIL_EFORMAT);
        emit("trunc-in-length-prefix.export", x.p, in_len, COUNCIL_EFORMAT, COUNCIL_EFORMAT);
        emit("trunc-empty.export", x.p, 0, COUNCIL_EFORMAT, COUNCIL_EFORMAT);
        emit("trunc-magic-only.export", x.p, 8, COUNCIL_EFORMAT, COUNCIL_EFORMAT);
        emit("trunc-after-header.export", x.p, 8 + 4 + lf.hdr.len, COUNCIL_ETAMPER,
             COUNCIL_ETAMPER);
        emit("trunc-last-byte.export", x.p, x.len - 1, COUNCIL_EFORMAT, COUNCIL_EFORMAT);

        q = malloc(x.len);
        if (q == NULL)
            die("malloc", 0);
        memcpy(q, x.p, x.len);
        q[3] ^= 0x20; /* "CAX" -> "CAx" */
        emit("bad-magic.export", q, x.len, COUNCIL_EFORMAT, COUNCIL_EFORMAT);
        free(q);
    }

    /* A zero-length frame after the header. */
    xb_start(&x);
    xb_frame(&x, &lf.hdr);
    xb_u32(&x, 0);
    xb_frame(&x, &lf.event[0]);
    emit_x("bad-zero-length-frame.export", &x, COUNCIL_EFORMAT, COUNCIL_EFORMAT);

    /* A frame length one over the cap, followed by that many bytes. */
    xb_start(&x);
    xb_frame(&x, &lf.hdr);
    xb_u32(&x, COUNCIL__AUDIT_FRAME_MAX + 1);
    xb_frame(&x, &lf.event[0]);
    emit_x("bad-oversized-frame.export", &x, COUNCIL_EFORMAT, COUNCIL_EFORMAT);

    /* A frame of none of the three kinds (only an unknown field). */
    {
        blob unk = { (uint8_t *)(uintptr_t)unknown_field, sizeof unknown_field };

        xb_start(&x);
        xb_frame(&x, &lf.hdr);
        xb_frame(&x, &unk);
        emit_x("bad-unknown-frame-kind.export", &x, COUNCIL_EFORMAT, COUNCIL_EFORMAT);
    }

    /* A frame protobuf-c cannot decode (a truncated varint). */
    {
        static const uint8_t junk[] = { 0x10, 0xff };
        blob j = { (uint8_t *)(uintptr_t)junk, sizeof junk };

        xb_start(&x);
        xb_frame(&x, &lf.hdr);
        xb_frame(&x, &j);
        emit_x("bad-undecodable-frame.export", &x, COUNCIL_EFORMAT, COUNCIL_EFORMAT);
    }

    /* A checkpoint frame whose note is not a checkpoint. */
    {
        static const char text[] = "not a checkpoint\n";
        blob note = { (uint8_t *)(uintptr_t)text, sizeof text - 1 }, frame;

        checkpoint_frame(&frame, &note);
        xb_start(&x);
        xb_frame(&x, &lf.hdr);
        for (size_t i = 0; i < MID_SIZE; i++)
            xb_frame(&x, &lf.event[i]);
        xb_frame(&x, &frame);
        emit_x("bad-checkpoint-text.export", &x, COUNCIL_EFORMAT, COUNCIL_EFORMAT);
        blob_free(&frame);
    }

    /* An event frame whose bytes are not an AuditEvent. */
    {
        Council__V1__AuditFrame ef = COUNCIL__V1__AUDIT_FRAME__INIT;
        static const uint8_t junk[] = { 0x08, 0x00, 0x10 };
        blob frame;

        ef.frame_case = COUNCIL__V1__AUDIT_FRAME__FRAME_EVENT;
        ef.event.data = (uint8_t *)(uintptr_t)junk;
        ef.event.len = sizeof junk;
        pack_frame(&frame, &ef);
        xb_start(&x);
        xb_frame(&x, &lf.hdr);
        xb_frame(&x, &frame);
        emit_x("tamper-undecodable-event.export", &x, COUNCIL_ETAMPER, COUNCIL_ETAMPER);
        blob_free(&frame);
    }

    /* The last checkpoint's string carries bytes after a NUL. A note may
     * hold no NUL (note.c, note_text_ok), so this is not a signed note. */
    {
        static const char tail[] = "\0unsigned bytes after the note\n";
        size_t nl = lf.note_final.len;
        blob note, frame;

        blob_set(&note, lf.note_final.p, nl + sizeof tail);
        memcpy(note.p + nl, tail, sizeof tail);
        note.len = nl + sizeof tail - 1;
        /* pack_frame packs strlen() of a string: frame the bytes by hand. */
        frame.len = 1 + 2 + note.len;
        frame.p = malloc(frame.len);
        if (frame.p == NULL || note.len >= 0x4000)
            die("nul frame", 0);
        frame.p[0] = 0x1a; /* field 3, length-delimited */
        frame.p[1] = (uint8_t)(0x80 | (note.len & 0x7f));
        frame.p[2] = (uint8_t)(note.len >> 7);
        memcpy(frame.p + 3, note.p, note.len);
        xb_start(&x);
        xb_frame(&x, &lf.hdr);
        for (size_t i = 0; i < N_EVENTS; i++) {
            xb_frame(&x, &lf.event[i]);
            if (i + 1 == MID_SIZE)
                xb_frame(&x, &lf.cp_mid);
        }
        xb_frame(&x, &frame);
        emit_x("bad-nul-in-checkpoint.export", &x, COUNCIL_EFORMAT, COUNCIL_EFORMAT);
        blob_free(&frame);
        blob_free(&note);
    }

    /* ---- variants re-signed throughout: each reaches one check alone */
    o = base;
    o.format_version = 2;
    emit_variant("unsupported-format-v2.export", &o, &log_key, COUNCIL_EUNSUPPORTED,
                 COUNCIL_EUNSUPPORTED);
    o = base;
    o.header_id = other_id;
    emit_variant("tamper-other-log-origin.export", &o, &log_key, COUNCIL_ETAMPER, COUNCIL_ETAMPER);
    o = base;
    o.extra_declared = 1;
    emit_variant("tamper-header-count.export", &o, &log_key, COUNCIL_ETAMPER, COUNCIL_ETAMPER);
    o = base;
    o.final_signer = &other_key;
    emit_variant("tamper-wrong-signer.export", &o, &log_key, COUNCIL_ETAMPER, COUNCIL_ETAMPER);
    o = base;
    o.edit = edit_time_backwards;
    emit_variant("tamper-time-backwards.export", &o, &log_key, COUNCIL_ETAMPER, COUNCIL_ETAMPER);
    o = base;
    o.edit = edit_bad_scope;
    emit_variant("tamper-unsorted-scopes.export", &o, &log_key, COUNCIL_ETAMPER, COUNCIL_ETAMPER);
    o = base;
    o.edit = edit_short_member;
    emit_variant("tamper-short-member-id.export", &o, &log_key, COUNCIL_ETAMPER, COUNCIL_ETAMPER);
    o = base;
    o.edit = edit_prev_on_first;
    emit_variant("tamper-prev-hash-on-first.export", &o, &log_key, COUNCIL_ETAMPER,
                 COUNCIL_ETAMPER);
    o = base;
    o.edit = edit_seq_gap;
    emit_variant("tamper-seq-gap.export", &o, &log_key, COUNCIL_ETAMPER, COUNCIL_ETAMPER);
    /* audit.proto: canonical bytes have no unknown fields, and a verifier
     * refuses any other encoding. This one is signed by the log key. */
    o = base;
    o.append_at = 2;
    o.append = unknown_field;
    o.append_len = sizeof unknown_field;
    emit_variant("tamper-unknown-field-in-event.export", &o, &log_key, COUNCIL_ETAMPER,
                 COUNCIL_ETAMPER);

    /* Issue 17: the verifier walks an event's bytes in place; each of
     * these decodes (or nearly) but is not the event's one encoding. */
    {
        static const uint8_t seq_again[] = { 0x08, 0x02 };       /* field 1 after the last */
        static const uint8_t time_late[] = { 0x10, 0x01 };       /* field 2 out of order */
        /* subject_member (field 16): 16 bytes said, one there */
        static const uint8_t cut_id[] = { 0x82, 0x01, 0x10, 0x5a };
        /* subject_member, its length 16 written in two bytes */
        static const uint8_t long_len[] = { 0x82, 0x01, 0x90, 0x00, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a,
                                            0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a };
        static const struct { const char *name; const uint8_t *b; size_t n; } v[] = {
            { "tamper-field-repeated-in-event.export", seq_again, sizeof seq_again },
            { "tamper-fields-out-of-order-in-event.export", time_late, sizeof time_late },
            { "tamper-truncated-field-in-event.export", cut_id, sizeof cut_id },
            { "tamper-long-varint-in-event.export", long_len, sizeof long_len },
        };

        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
            o = base;
            o.append_at = 3;
            o.append = v[k].b;
            o.append_len = v[k].n;
            emit_variant(v[k].name, &o, &log_key, COUNCIL_ETAMPER, COUNCIL_ETAMPER);
        }
    }

    free(x.p);
    log_free(&lf);
    council__secret_free(&log_key.sk);
    council__secret_free(&other_key.sk);
    sodium_memzero(wsk, sizeof wsk);
    printf("gen_export_corpus: %u files written to %s\n", written, outdir);
    return 0;
}
