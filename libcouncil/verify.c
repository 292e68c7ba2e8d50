/*
 * verify.c - the auditor's side: verification of an audit export, a
 * checkpoint or a proof with the log's public key alone, and the witness
 * step (check consistency, cosign). Needs only merkle, notes and crypto:
 * never the store.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "merkle.h"
#include "note.h"
#include "verify.h"
#include "event.h"

/* Parse a proof text (capped): "consistency-proof/v1\nold M\nnew N\n" or
 * "inclusion-proof/v1\nindex I\nsize N\nleaf <base64>\n", then one base64
 * hash per line. *kind receives 'c' or 'i'. */
static int b64_hash(uint8_t out[COUNCIL_HASH_BYTES], const char *p, size_t l)
{
    size_t got = 0;
    const char *e = NULL;

    return l > 0 && l <= 48 && council__b64_text_ok(p, l) &&
                   sodium_base642bin(out, COUNCIL_HASH_BYTES, p, l, NULL, &got, &e,
                                     sodium_base64_VARIANT_ORIGINAL) == 0 &&
                   e == p + l && got == COUNCIL_HASH_BYTES ? 0 : -1;
}

static int keyed_number(const char *p, size_t l, const char *key, uint64_t *out)
{
    size_t k = strlen(key);
    uint64_t v = 0;

    if (l <= k || l > k + 20 || memcmp(p, key, k) != 0 || (p[k] == '0' && l > k + 1))
        return -1;
    for (size_t i = k; i < l; i++) {
        unsigned d = (unsigned)(p[i] - '0');
        if (d > 9 || v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static int parse_proof(const char *text, size_t len, char *kind, uint64_t *a, uint64_t *b,
                       uint8_t leaf[COUNCIL_HASH_BYTES], uint8_t *hashes, size_t *count)
{
    const char *p = text, *end = text + len;
    int line = 0, head = 3;

    *count = 0;
    if (text == NULL || len > 128 + COUNCIL_PROOF_HASHES_MAX * 48)
        return COUNCIL_EFORMAT;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l;

        if (nl == NULL)
            return COUNCIL_EFORMAT; /* every line ends with a newline */
        l = (size_t)(nl - p);
        if (line == 0) {
            if (l == 20 && memcmp(p, "consistency-proof/v1", 20) == 0)
                *kind = 'c';
            else if (l == 18 && memcmp(p, "inclusion-proof/v1", 18) == 0)
                *kind = 'i', head = 4;
            else
                return COUNCIL_EFORMAT;
        } else if (line == 1 || line == 2) {
            const char *key = *kind == 'c' ? (line == 1 ? "old " : "new ")
                                           : (line == 1 ? "index " : "size ");
            if (keyed_number(p, l, key, line == 1 ? a : b) != 0)
                return COUNCIL_EFORMAT;
        } else if (line == 3 && *kind == 'i') {
            if (l < 5 || memcmp(p, "leaf ", 5) != 0 || b64_hash(leaf, p + 5, l - 5) != 0)
                return COUNCIL_EFORMAT;
        } else {
            if (*count >= COUNCIL_PROOF_HASHES_MAX ||
                b64_hash(hashes + *count * COUNCIL_HASH_BYTES, p, l) != 0)
                return COUNCIL_EFORMAT;
            (*count)++;
        }
        line++;
        p = nl + 1;
    }
    return line >= head ? COUNCIL_OK : COUNCIL_EFORMAT;
}

/* ------------------------------------------------------------ verification */

typedef struct verifier {
    council__vkey log;
    council__vkey witnesses[COUNCIL__NOTE_SIGS_MAX];
    size_t n_witnesses;
    size_t required;
    council__checkpoint known;      /* a checkpoint the auditor kept */
    bool have_known;
    bool known_seen;
    size_t best_cosigs;             /* most cosignatures on one checkpoint */
    /* report */
    uint64_t events;
    uint32_t checkpoints;
    uint64_t tree_size;
    uint8_t root[COUNCIL_HASH_BYTES];
    bool have_root;
    int64_t first_bad;
    size_t cosigs;
    char message[256];
} verifier;

__attribute__((format(printf, 4, 5)))
static int vfail(verifier *v, int rc, int64_t bad, const char *fmt, ...)
{
    va_list ap;

    v->first_bad = bad;
    va_start(ap, fmt);
    (void)vsnprintf(v->message, sizeof v->message, fmt, ap);
    va_end(ap);
    return rc;
}

static int check_note(verifier *v, const char *note, size_t len, council__checkpoint *cp);

static int verifier_init(verifier *v, const council_audit_verify_options *o)
{
    memset(v, 0, sizeof *v);
    v->first_bad = -1;
    if (o == NULL || o->version != COUNCIL_AUDIT_VERIFY_OPTIONS_VERSION)
        return vfail(v, COUNCIL_EMISUSE, -1, "verify options missing or of unknown version");
    if (o->log_vkey == NULL ||
        council__vkey_parse(&v->log, o->log_vkey, strlen(o->log_vkey)) != COUNCIL_OK ||
        v->log.type != COUNCIL__SIG_ED25519)
        return vfail(v, COUNCIL_EINVAL, -1, "the log key is not a C2SP Ed25519 verifier key");
    if (o->n_witnesses > COUNCIL__NOTE_SIGS_MAX || o->required > o->n_witnesses ||
        (o->n_witnesses > 0 && o->witness_vkeys == NULL))
        return vfail(v, COUNCIL_EINVAL, -1, "%zu cosignatures required of %zu witnesses",
                     o->required, o->n_witnesses);
    for (size_t i = 0; i < o->n_witnesses; i++) {
        if (o->witness_vkeys[i] == NULL ||
            council__vkey_parse(&v->witnesses[i], o->witness_vkeys[i],
                                strlen(o->witness_vkeys[i])) != COUNCIL_OK ||
            v->witnesses[i].type != COUNCIL__SIG_COSIGN)
            return vfail(v, COUNCIL_EINVAL, -1, "witness key %zu is not a cosignature verifier key", i);
        /* One witness, one vote: the same public key twice (under any
         * name) would let one cosignature count twice. */
        for (size_t j = 0; j < i; j++)
            if (sodium_memcmp(v->witnesses[i].pk, v->witnesses[j].pk, 32) == 0)
                return vfail(v, COUNCIL_EINVAL, -1, "witness keys %zu and %zu are the same key", j, i);
    }
    v->n_witnesses = o->n_witnesses;
    v->required = o->required;
    if (o->known_checkpoint != NULL) {
        int rc;
        if (o->known_checkpoint_len > COUNCIL__NOTE_MAX)
            return vfail(v, COUNCIL_EFORMAT, -1, "the kept checkpoint is too large");
        rc = check_note(v, o->known_checkpoint, o->known_checkpoint_len, &v->known);
        if (rc != COUNCIL_OK) {
            char why[sizeof v->message];
            memcpy(why, v->message, sizeof why);
            return vfail(v, rc, -1, "the kept checkpoint: %s", why);
        }
        v->have_known = true;
        v->cosigs = 0;
    }
    return COUNCIL_OK;
}

static int report_out(const verifier *v, council_buf *report, int rc)
{
    Council__V1__AuditVerifyReport r = COUNCIL__V1__AUDIT_VERIFY_REPORT__INIT;
    size_t len;

    if (report == NULL)
        return rc;
    report->ptr = NULL;
    report->len = 0;
    r.ok = rc == COUNCIL_OK;
    r.events = v->events;
    r.checkpoints = v->checkpoints;
    r.tree_size = v->tree_size;
    r.has_root_hash = v->have_root;
    r.root_hash.data = (uint8_t *)(uintptr_t)v->root;
    r.root_hash.len = v->have_root ? COUNCIL_HASH_BYTES : 0;
    r.first_bad_event = v->first_bad;
    r.message = (char *)(uintptr_t)(rc == COUNCIL_OK ? "verified" : v->message);
    r.cosignatures = (uint32_t)v->best_cosigs;
    len = council__v1__audit_verify_report__get_packed_size(&r);
    report->ptr = council__malloc(len);
    if (report->ptr == NULL)
        return COUNCIL_ENOMEM;
    report->len = council__v1__audit_verify_report__pack(&r, report->ptr);
    return rc;
}

/* Check a signed checkpoint note against the log key and witnesses. */
static int check_note(verifier *v, const char *note, size_t len, council__checkpoint *cp)
{
    int rc;

    if (council__checkpoint_parse(cp, note, len) != COUNCIL_OK)
        return vfail(v, COUNCIL_EFORMAT, -1, "malformed checkpoint");
    rc = council__note_verify(note, len, &v->log, v->witnesses, v->n_witnesses, &v->cosigs);
    if (rc == COUNCIL_EFORMAT)
        return vfail(v, COUNCIL_EFORMAT, -1, "malformed signature lines on the checkpoint at size %llu",
                     (unsigned long long)cp->size);
    if (rc != COUNCIL_OK)
        return vfail(v, COUNCIL_ETAMPER, -1, "checkpoint at size %llu: no valid signature by the "
                     "log key", (unsigned long long)cp->size);
    if (strcmp(cp->origin, v->log.name) != 0)
        return vfail(v, COUNCIL_ETAMPER, -1, "checkpoint origin is not the log key's name");
    return COUNCIL_OK;
}

/* A checkpoint against the one the auditor kept: no smaller tree, and the
 * same root at the same size. */
static int check_known(verifier *v, const council__checkpoint *cp)
{
    if (!v->have_known)
        return COUNCIL_OK;
    if (cp->size < v->known.size)
        return vfail(v, COUNCIL_ETAMPER, -1, "the tree (size %llu) is smaller than the checkpoint "
                     "you kept (size %llu): the log was rolled back",
                     (unsigned long long)cp->size, (unsigned long long)v->known.size);
    if (cp->size == v->known.size &&
        sodium_memcmp(cp->root, v->known.root, COUNCIL_HASH_BYTES) != 0)
        return vfail(v, COUNCIL_ETAMPER, -1, "the tree at size %llu differs from the checkpoint "
                     "you kept: the history was rewritten", (unsigned long long)cp->size);
    return COUNCIL_OK;
}

/* A verifier, or NULL with *rc set (ERROR: no crypto library; ENOMEM). */
static verifier *verifier_new(int *rc)
{
    verifier *v;

    if (council_global_init() != COUNCIL_OK) {
        *rc = COUNCIL_ERROR;
        return NULL;
    }
    v = council__malloc(sizeof *v);
    *rc = v != NULL ? COUNCIL_OK : COUNCIL_ENOMEM;
    return v;
}

/* The start of every checkpoint-based verification: a verifier (NULL with
 * the code when none could be made), its options, and the signed note. */
static int start_note(council_buf *report, const council_audit_verify_options *opts,
                      const char *note, size_t note_len, verifier **vout, council__checkpoint *cp)
{
    verifier *v;
    int rc;

    if (report != NULL) {
        report->ptr = NULL;
        report->len = 0;
    }
    if ((*vout = v = verifier_new(&rc)) == NULL)
        return rc;
    rc = verifier_init(v, opts);
    if (rc == COUNCIL_OK && (note == NULL || note_len > COUNCIL__NOTE_MAX))
        rc = vfail(v, COUNCIL_EFORMAT, -1, "checkpoint missing or too large");
    if (rc == COUNCIL_OK)
        rc = check_note(v, note, note_len, cp);
    return rc;
}

int council_audit_verify_checkpoint(council_buf *report, const char *note, size_t note_len,
                                    const council_audit_verify_options *opts)
{
    council__checkpoint cp;
    verifier *v;
    int rc = start_note(report, opts, note, note_len, &v, &cp);

    if (v == NULL)
        return rc;
    if (rc == COUNCIL_OK) {
        v->checkpoints = 1;
        v->tree_size = cp.size;
        memcpy(v->root, cp.root, sizeof v->root);
        v->have_root = true;
        v->best_cosigs = v->cosigs;
        rc = check_known(v, &cp);
        if (rc == COUNCIL_OK && v->cosigs < v->required)
            rc = vfail(v, COUNCIL_ETAMPER, -1, "%zu valid cosignatures, %zu required", v->cosigs,
                       v->required);
    }
    rc = report_out(v, report, rc);
    council__free(v);
    return rc;
}

int council_audit_verify_proof(council_buf *report, const char *proof, size_t proof_len,
                               const char *note, size_t note_len,
                               const council_audit_verify_options *opts)
{
    uint8_t hashes[COUNCIL_PROOF_HASHES_MAX * COUNCIL_HASH_BYTES], leaf[COUNCIL_HASH_BYTES];
    council__checkpoint cp;
    verifier *v;
    uint64_t a = 0, b = 0;
    size_t count = 0;
    char kind = 0;
    int rc = start_note(report, opts, note, note_len, &v, &cp);

    if (v == NULL)
        return rc;
    if (rc == COUNCIL_OK && parse_proof(proof, proof_len, &kind, &a, &b, leaf, hashes, &count) != COUNCIL_OK)
        rc = vfail(v, COUNCIL_EFORMAT, -1, "malformed proof text");
    if (rc == COUNCIL_OK && kind == 'i') {
        if (b != cp.size)
            rc = vfail(v, COUNCIL_ETAMPER, -1, "the proof is for tree size %llu, the "
                       "checkpoint for %llu", (unsigned long long)b, (unsigned long long)cp.size);
        else if (council_merkle_verify_inclusion(a, b, leaf, sizeof leaf, hashes,
                                                 count * COUNCIL_HASH_BYTES, cp.root,
                                                 COUNCIL_HASH_BYTES) != COUNCIL_OK)
            rc = vfail(v, COUNCIL_ETAMPER, a <= (uint64_t)INT64_MAX ? (int64_t)a : -1,
                       "event %llu is not in the tree of the checkpoint (size %llu)",
                       (unsigned long long)a, (unsigned long long)b);
        else
            rc = check_known(v, &cp); /* not older than the one kept */
    } else if (rc == COUNCIL_OK) {
        if (!v->have_known)
            rc = vfail(v, COUNCIL_EINVAL, -1, "a consistency proof needs the older checkpoint");
        else if (a != v->known.size || b != cp.size)
            rc = vfail(v, COUNCIL_ETAMPER, -1, "the proof runs from %llu to %llu, the checkpoints "
                       "are of %llu and %llu", (unsigned long long)a, (unsigned long long)b,
                       (unsigned long long)v->known.size, (unsigned long long)cp.size);
        else if (a == b ? count != 0 || sodium_memcmp(v->known.root, cp.root, COUNCIL_HASH_BYTES) != 0
                        : council_merkle_verify_consistency(a, b, v->known.root, COUNCIL_HASH_BYTES,
                                                            cp.root, COUNCIL_HASH_BYTES, hashes,
                                                            count * COUNCIL_HASH_BYTES) != COUNCIL_OK)
            rc = vfail(v, COUNCIL_ETAMPER, -1, "the tree of size %llu is not an extension of the "
                       "one of size %llu", (unsigned long long)b, (unsigned long long)a);
    }
    if (rc == COUNCIL_OK && v->cosigs < v->required)
        rc = vfail(v, COUNCIL_ETAMPER, -1, "%zu valid cosignatures on the checkpoint, %zu required",
                   v->cosigs, v->required);
    if (rc == COUNCIL_OK) {
        v->checkpoints = 1;
        v->tree_size = cp.size;
        memcpy(v->root, cp.root, sizeof v->root);
        v->have_root = true;
        v->best_cosigs = v->cosigs;
    }
    rc = report_out(v, report, rc);
    council__free(v);
    return rc;
}

/* The export read in blocks, its frames handed out where they stand in
 * the block (one copy from the file, none per frame). */
#define VERIFY_READ_BLOCK (256u * 1024u) /* > 4 + COUNCIL__AUDIT_FRAME_MAX */

typedef struct reader {
    FILE *f;
    uint8_t *b;      /* VERIFY_READ_BLOCK bytes */
    size_t pos, end; /* the bytes read and not yet taken: b[pos..end) */
} reader;

/* n bytes (n <= VERIFY_READ_BLOCK) at r->b + r->pos, read when not there:
 * how many there are (fewer at the end of the file or on an error). */
static size_t rd_want(reader *r, size_t n)
{
    if (r->end - r->pos < n) {
        memmove(r->b, r->b + r->pos, r->end - r->pos);
        r->end -= r->pos;
        r->pos = 0;
        while (r->end < n) {
            size_t got = fread(r->b + r->end, 1, VERIFY_READ_BLOCK - r->end, r->f);
            if (got == 0)
                break;
            r->end += got;
        }
    }
    return r->end - r->pos < n ? r->end - r->pos : n;
}

/* ------------------------------------------------ an event read in place */

/* A varint as protobuf-c packs it: the shortest encoding (no trailing zero
 * byte), at most 10 bytes, the 10th holding only the top bit of 64. */
static int walk_varint_long(const uint8_t *b, size_t len, size_t *at, uint64_t *out)
{
    uint64_t v = 0;

    for (unsigned k = 0; k < 10; k++) {
        uint8_t byte;

        if (*at >= len)
            return COUNCIL__WALK_UNDECODABLE;
        byte = b[(*at)++];
        v |= (uint64_t)(byte & 0x7f) << (7 * k);
        if ((byte & 0x80) == 0) {
            if ((k > 0 && byte == 0) || (k == 9 && byte > 1))
                return COUNCIL__WALK_NONCANONICAL;
            *out = v;
            return COUNCIL__WALK_OK;
        }
    }
    return COUNCIL__WALK_UNDECODABLE;
}

/* The same, the one-byte case (most keys, lengths and values) inline. */
static inline int walk_varint(const uint8_t *b, size_t len, size_t *at, uint64_t *out)
{
    if (*at < len && b[*at] < 0x80) {
        *out = b[(*at)++];
        return COUNCIL__WALK_OK;
    }
    return walk_varint_long(b, len, at, out);
}

/* AuditEvent's fields 1..19: the wire type each is packed with (0 varint,
 * 2 length-delimited), and which are strings. */
static const uint8_t walk_wire[20] = { 9, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 0, 0, 2, 2, 2, 2, 2, 2 };
#define WALK_STRINGS (1u << 8 | 1u << 9 | 1u << 10 | 1u << 14)
#define WALK_REQUIRED (1u << 1 | 1u << 2 | 1u << 3 | 1u << 4 | 1u << 12)

int council__event_walk(council__event_view *e, const uint8_t *b, size_t len)
{
    size_t at = 0;
    unsigned last = 0;

    /* The fields are read only where `present` says they are. */
    e->present = 0;
    e->n_scopes = 0;
    e->seq = e->action = e->actor_kind = e->outcome = 0;
    e->time = 0;
    e->error = 0;
    while (at < len) {
        uint64_t key, val;
        unsigned field;
        int rc = walk_varint(b, len, &at, &key);

        if (rc != COUNCIL__WALK_OK)
            return rc;
        if (key >> 3 == 0 || key >> 3 > 19)
            return COUNCIL__WALK_NONCANONICAL; /* an unknown field */
        field = (unsigned)(key >> 3);
        if ((key & 7) != walk_wire[field])
            return COUNCIL__WALK_UNDECODABLE;
        /* Ascending, each once; the scopes, one after another. */
        if (field < last || (field == last && field != 8))
            return COUNCIL__WALK_NONCANONICAL;
        last = field;
        if ((rc = walk_varint(b, len, &at, &val)) != COUNCIL__WALK_OK)
            return rc;
        e->present |= 1u << field;
        if (walk_wire[field] == 2) {
            const uint8_t *p = b + at;

            if (val > len - at)
                return COUNCIL__WALK_UNDECODABLE;
            at += (size_t)val;
            /* protobuf-c packs a string up to its first NUL */
            if ((WALK_STRINGS >> field & 1) != 0 && val > 0 && memchr(p, 0, (size_t)val) != NULL)
                return COUNCIL__WALK_NONCANONICAL;
            if (field == 8) {
                if (e->n_scopes < COUNCIL__AUDIT_SCOPES_MAX) {
                    e->scope[e->n_scopes] = p;
                    e->scope_len[e->n_scopes] = (size_t)val;
                }
                e->n_scopes++;
            } else {
                e->field[field] = p;
                e->field_len[field] = (size_t)val;
            }
            continue;
        }
        switch (field) {
        case 1:
            e->seq = val;
            break;
        case 2:
            e->time = (int64_t)val; /* two's complement, as int64 is packed */
            break;
        case 13: /* sint32, zigzag: a 32-bit value */
            if (val > UINT32_MAX)
                return COUNCIL__WALK_NONCANONICAL;
            e->error = (int32_t)(val >> 1) ^ -(int32_t)(val & 1);
            break;
        default: /* enums: int32, packed in 10 bytes when negative (never known) */
            if (val > INT32_MAX)
                return COUNCIL__WALK_NONCANONICAL;
            *(field == 3 ? &e->action : field == 4 ? &e->actor_kind : &e->outcome) = val;
            break;
        }
    }
    return (e->present & WALK_REQUIRED) == WALK_REQUIRED ? COUNCIL__WALK_OK
                                                          : COUNCIL__WALK_UNDECODABLE;
}

/* An audit code given with its length: [a-z0-9_]{1,64}. */
static bool code_ok(const uint8_t *s, size_t n)
{
    static const uint32_t set[8] = { 0, 0x03ff0000u, 0x80000000u, 0x07fffffeu }; /* 0-9 _ a-z */
    uint32_t all = n > 0 && n <= COUNCIL__AUDIT_CODE_MAX;

    for (size_t k = 0; k < n; k++)
        all &= set[s[k] >> 5] >> (s[k] & 31);
    return (all & 1) != 0;
}

/* Is scope a before scope b, as strcmp orders them? */
static bool scope_before(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    int d = memcmp(a, b, an < bn ? an : bn);

    return d < 0 || (d == 0 && an < bn);
}

bool council__event_fields_ok(const council__event_view *e)
{
    static const struct { uint8_t field, len; } ids[] = { { 5, COUNCIL_ID_BYTES },
        { 6, COUNCIL_ID_BYTES }, { 16, COUNCIL_ID_BYTES }, { 17, COUNCIL_ID_BYTES },
        { 18, COUNCIL_ID_BYTES }, { 19, 32 }, { 7, 32 }, { 11, COUNCIL_ID_BYTES } };
    static const unsigned codes[] = { 9, 10, 14 };

    for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++)
        if ((e->present >> codes[k] & 1) != 0 && !code_ok(e->field[codes[k]], e->field_len[codes[k]]))
            return false;
    if (e->n_scopes > COUNCIL__AUDIT_SCOPES_MAX)
        return false;
    for (size_t k = 0; k < e->n_scopes; k++)
        if (!code_ok(e->scope[k], e->scope_len[k]) ||
            (k > 0 && !scope_before(e->scope[k - 1], e->scope_len[k - 1], e->scope[k],
                                    e->scope_len[k])))
            return false;
    if (e->action == 0 || e->actor_kind == 0 || e->outcome == 0 ||
        protobuf_c_enum_descriptor_get_value(&council__v1__audit_action__descriptor,
                                             (int)e->action) == NULL ||
        protobuf_c_enum_descriptor_get_value(&council__v1__audit_actor_kind__descriptor,
                                             (int)e->actor_kind) == NULL ||
        protobuf_c_enum_descriptor_get_value(&council__v1__audit_outcome__descriptor,
                                             (int)e->outcome) == NULL)
        return false;
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++)
        if ((e->present >> ids[k].field & 1) != 0 && e->field_len[ids[k].field] != ids[k].len)
            return false;
    return true;
}

/* An event walked: refused (ETAMPER, naming event `at`) unless canonical. */
static int walk_event(verifier *v, council__event_view *e, const uint8_t *bytes, size_t len,
                      uint64_t at)
{
    int w = council__event_walk(e, bytes, len);
    int64_t bad = at <= (uint64_t)INT64_MAX ? (int64_t)at : -1;

    if (w == COUNCIL__WALK_UNDECODABLE)
        return vfail(v, COUNCIL_ETAMPER, bad, "event %llu: cannot be decoded", (unsigned long long)at);
    if (w != COUNCIL__WALK_OK)
        return vfail(v, COUNCIL_ETAMPER, bad, "event %llu: not in canonical form",
                     (unsigned long long)at);
    return COUNCIL_OK;
}

/* One event frame: canonical, in sequence, linked to the last, its fields
 * well formed; read in place (the leaf hashes these same bytes). */
static int check_event(verifier *v, const uint8_t *bytes, size_t len, uint8_t prev[COUNCIL_HASH_BYTES],
                       int64_t *last_time)
{
    council__event_view e;
    uint64_t i = v->events;
    int rc = walk_event(v, &e, bytes, len, i);

    if (rc != COUNCIL_OK)
        return rc;
    if (e.seq != i)
        return vfail(v, COUNCIL_ETAMPER, (int64_t)i, "event at position %llu has sequence number "
                     "%llu: events removed, inserted or reordered", (unsigned long long)i,
                     (unsigned long long)e.seq);
    if (i == 0 && (e.present >> 15 & 1) != 0)
        return vfail(v, COUNCIL_ETAMPER, 0, "event 0 links to a predecessor: events before it "
                     "were removed");
    if (i > 0 && ((e.present >> 15 & 1) == 0 || e.field_len[15] != COUNCIL_HASH_BYTES ||
                  sodium_memcmp(e.field[15], prev, COUNCIL_HASH_BYTES) != 0))
        return vfail(v, COUNCIL_ETAMPER, (int64_t)(i - 1), "event %llu does not link to event "
                     "%llu: event %llu was altered", (unsigned long long)i,
                     (unsigned long long)(i - 1), (unsigned long long)(i - 1));
    if (e.time < *last_time)
        return vfail(v, COUNCIL_ETAMPER, (int64_t)i, "event %llu: time goes backwards",
                     (unsigned long long)i);
    if (!council__event_fields_ok(&e))
        return vfail(v, COUNCIL_ETAMPER, (int64_t)i, "event %llu: malformed fields",
                     (unsigned long long)i);
    *last_time = e.time;
    return COUNCIL_OK;
}

/* An event's bytes as they stand in the export: checked, then hashed into
 * the tree and kept as the next event's link. */
static int take_event(verifier *v, council__frontier *fr, const uint8_t *bytes, size_t len,
                      uint8_t prev[COUNCIL_HASH_BYTES], int64_t *last_time)
{
    uint8_t root[COUNCIL_HASH_BYTES];
    int rc = check_event(v, bytes, len, prev, last_time);

    if (rc != COUNCIL_OK)
        return rc;
    council__merkle_leaf(prev, bytes, len);
    council__frontier_push(fr, prev);
    v->events++;
    /* The kept checkpoint must be a prefix of this history. */
    if (v->have_known && v->events == v->known.size) {
        council__frontier_root(fr, root);
        v->known_seen = true;
        if (sodium_memcmp(root, v->known.root, sizeof root) != 0)
            return vfail(v, COUNCIL_ETAMPER, -1, "events 0..%llu differ from the checkpoint you "
                         "kept: the history was rewritten", (unsigned long long)(v->events - 1));
    }
    return COUNCIL_OK;
}

/* The offset of the event's bytes in an event frame as protobuf-c packs it
 * (tag 2, the shortest length, the bytes to the end), or 0 for any other
 * frame, which goes through the decoder. */
static size_t event_frame(const uint8_t *b, size_t len)
{
    size_t at = 1;
    uint64_t n;

    if (len < 2 || b[0] != 0x12 || walk_varint(b, len, &at, &n) != COUNCIL__WALK_OK)
        return 0;
    return n == len - at ? at : 0;
}

static int verify_stream(verifier *v, FILE *f)
{
    council__frontier *fr = NULL;
    uint8_t *buf, *hdr, prev[COUNCIL_HASH_BYTES], root[COUNCIL_HASH_BYTES];
    uint64_t declared = 0, frame_no = 0;
    int64_t last_time = INT64_MIN;
    bool have_header = false, last_is_checkpoint = false;
    reader r = { f, NULL, 0, 0 };
    int rc = COUNCIL_OK;

    fr = council__malloc(sizeof *fr);
    r.b = council__malloc(VERIFY_READ_BLOCK);
    if (fr == NULL || r.b == NULL) {
        rc = vfail(v, COUNCIL_ENOMEM, -1, "out of memory");
        goto out;
    }
    council__frontier_init(fr);
    if (rd_want(&r, 8) != 8 || memcmp(r.b + r.pos, council__export_magic, 8) != 0) {
        rc = vfail(v, COUNCIL_EFORMAT, -1, "not a libcouncil audit export");
        goto out;
    }
    r.pos += 8;
    for (;; frame_no++) {
        Council__V1__AuditFrame *frm;
        size_t len, off;
        size_t got = rd_want(&r, 4);

        hdr = r.b + r.pos;
        if (got == 0 && feof(f))
            break;
        if (got != 4) {
            rc = vfail(v, COUNCIL_EFORMAT, (int64_t)v->events, "export truncated after %llu events",
                       (unsigned long long)v->events);
            goto out;
        }
        len = (size_t)hdr[0] << 24 | (size_t)hdr[1] << 16 | (size_t)hdr[2] << 8 | hdr[3];
        if (len == 0 || len > COUNCIL__AUDIT_FRAME_MAX) {
            rc = vfail(v, COUNCIL_EFORMAT, (int64_t)v->events, "frame %llu: length %zu out of range",
                       (unsigned long long)frame_no, len);
            goto out;
        }
        if (rd_want(&r, 4 + len) != 4 + len) {
            rc = vfail(v, COUNCIL_EFORMAT, (int64_t)v->events, "export truncated inside frame %llu",
                       (unsigned long long)frame_no);
            goto out;
        }
        buf = r.b + r.pos + 4;
        r.pos += 4 + len; /* the frame stays where it is until the next read */
        /* An event frame as the log writes it is read in place: its
         * bytes are walked and hashed where they stand. Any other frame
         * (the header, a checkpoint, anything odd) is decoded. */
        if (have_header && (off = event_frame(buf, len)) != 0) {
            if ((rc = take_event(v, fr, buf + off, len - off, prev, &last_time)) != COUNCIL_OK)
                goto out;
            last_is_checkpoint = false;
            continue;
        }
        (void)council__pb_alloc_failed(true);
        frm = council__v1__audit_frame__unpack(council__pb_allocator(), len, buf);
        if (frm == NULL) {
            rc = council__pb_alloc_failed(true)
                     ? vfail(v, COUNCIL_ENOMEM, -1, "out of memory")
                     : vfail(v, COUNCIL_EFORMAT, (int64_t)v->events, "frame %llu cannot be decoded",
                             (unsigned long long)frame_no);
            goto out;
        }
        /* Every byte of a frame is accounted for: no unknown fields, and no
         * string that ends early at a NUL (strings are used as C strings). */
        if (frm->base.n_unknown_fields != 0 ||
            (frm->frame_case == COUNCIL__V1__AUDIT_FRAME__FRAME_HEADER &&
             frm->header->base.n_unknown_fields != 0) ||
            council__v1__audit_frame__get_packed_size(frm) != len) {
            rc = vfail(v, COUNCIL_EFORMAT, (int64_t)v->events, "frame %llu is not in canonical form",
                       (unsigned long long)frame_no);
            council__v1__audit_frame__free_unpacked(frm, council__pb_allocator());
            goto out;
        }
        if (!have_header) {
            if (frm->frame_case != COUNCIL__V1__AUDIT_FRAME__FRAME_HEADER ||
                frm->header->format_version != 1 || strlen(frm->header->origin) > COUNCIL__KEYNAME_MAX) {
                rc = frm->frame_case == COUNCIL__V1__AUDIT_FRAME__FRAME_HEADER &&
                             frm->header->format_version > 1
                         ? vfail(v, COUNCIL_EUNSUPPORTED, -1, "export format %u is newer than this library",
                                 frm->header->format_version)
                         : vfail(v, COUNCIL_EFORMAT, -1, "the export does not start with its header");
            } else if (strcmp(frm->header->origin, v->log.name) != 0) {
                rc = vfail(v, COUNCIL_ETAMPER, -1, "the export is of another log than the key's");
            } else {
                have_header = true;
                declared = frm->header->event_count;
            }
        } else if (frm->frame_case == COUNCIL__V1__AUDIT_FRAME__FRAME_EVENT) {
            rc = take_event(v, fr, frm->event.data, frm->event.len, prev, &last_time);
            last_is_checkpoint = false;
        } else if (frm->frame_case == COUNCIL__V1__AUDIT_FRAME__FRAME_CHECKPOINT) {
            council__checkpoint cp;
            rc = check_note(v, frm->checkpoint, strlen(frm->checkpoint), &cp);
            if (rc != COUNCIL_OK) {
                char why[sizeof v->message];
                memcpy(why, v->message, sizeof why);
                (void)vfail(v, rc, -1, "the checkpoint after %llu events: %s",
                            (unsigned long long)v->events, why);
            }
            if (rc == COUNCIL_OK && cp.size != v->events)
                rc = cp.size < v->events
                         ? vfail(v, COUNCIL_ETAMPER, (int64_t)cp.size, "a checkpoint of size %llu "
                                 "stands after event %llu: events %llu..%llu are not covered by it "
                                 "(an older checkpoint, or events added)", (unsigned long long)cp.size,
                                 (unsigned long long)(v->events - 1), (unsigned long long)cp.size,
                                 (unsigned long long)(v->events - 1))
                         : vfail(v, COUNCIL_ETAMPER, (int64_t)v->events, "checkpoint of size %llu "
                                 "stands after only %llu events: events %llu..%llu were removed",
                                 (unsigned long long)cp.size, (unsigned long long)v->events,
                                 (unsigned long long)v->events, (unsigned long long)(cp.size - 1));
            if (rc == COUNCIL_OK) {
                council__frontier_root(fr, root);
                if (sodium_memcmp(root, cp.root, sizeof root) != 0)
                    rc = vfail(v, COUNCIL_ETAMPER, (int64_t)cp.size - 1, "the events do not match "
                               "the checkpoint at size %llu: event %llu was altered (the last one "
                               "before it; earlier events are held by their links)",
                               (unsigned long long)cp.size, (unsigned long long)(cp.size - 1));
            }
            if (rc == COUNCIL_OK) {
                v->checkpoints++;
                v->tree_size = cp.size;
                memcpy(v->root, root, sizeof root);
                v->have_root = true;
                last_is_checkpoint = true;
                if (v->cosigs > v->best_cosigs)
                    v->best_cosigs = v->cosigs;
            }
        } else {
            rc = vfail(v, COUNCIL_EFORMAT, (int64_t)v->events, "frame %llu is of an unknown kind",
                       (unsigned long long)frame_no);
        }
        council__v1__audit_frame__free_unpacked(frm, council__pb_allocator());
        if (rc != COUNCIL_OK)
            goto out;
    }
    if (ferror(f))
        rc = vfail(v, COUNCIL_EIO, -1, "cannot read the export");
    else if (!have_header)
        rc = vfail(v, COUNCIL_EFORMAT, -1, "the export has no header");
    else if (!last_is_checkpoint || v->tree_size != v->events)
        rc = v->events == 0
                 ? vfail(v, COUNCIL_ETAMPER, -1, "the export holds no events and no checkpoint")
                 : vfail(v, COUNCIL_ETAMPER, (int64_t)v->tree_size, "events %llu..%llu after the "
                         "last checkpoint are not covered by a signature (the export was cut or "
                         "added to)", (unsigned long long)v->tree_size,
                         (unsigned long long)(v->events - 1));
    else if (declared != v->events)
        rc = vfail(v, COUNCIL_ETAMPER, (int64_t)(declared < v->events ? declared : v->events),
                   "the header declares %llu events but %llu are present",
                   (unsigned long long)declared, (unsigned long long)v->events);
    else if (v->have_known && !v->known_seen && v->known.size > 0)
        rc = vfail(v, COUNCIL_ETAMPER, -1, "the export ends at %llu events, before the checkpoint "
                   "you kept (size %llu): it was cut back or the log rolled back",
                   (unsigned long long)v->events, (unsigned long long)v->known.size);
    else if (v->best_cosigs < v->required)
        rc = vfail(v, COUNCIL_ETAMPER, -1, "at most %zu valid cosignatures on a checkpoint, %zu "
                   "required", v->best_cosigs, v->required);
out:
    council__free(fr);
    council__free(r.b);
    return rc;
}

int council__audit_verify_fp(council_buf *report, FILE *f, const council_audit_verify_options *o)
{
    verifier *v;
    int rc;

    if (report != NULL) {
        report->ptr = NULL;
        report->len = 0;
    }
    if ((v = verifier_new(&rc)) == NULL)
        return rc;
    rc = verifier_init(v, o);
    if (rc == COUNCIL_OK)
        rc = verify_stream(v, f);
    rc = report_out(v, report, rc);
    council__free(v);
    return rc;
}

int council_audit_verify_export(council_buf *report, const char *path,
                                const council_audit_verify_options *o)
{
    FILE *f;
    int rc;

    if (path == NULL || (f = fopen(path, "rb")) == NULL) {
        int err = path == NULL ? EINVAL : errno;
        verifier *v;
        if (report != NULL) {
            report->ptr = NULL;
            report->len = 0;
        }
        if ((v = verifier_new(&rc)) == NULL)
            return rc;
        rc = verifier_init(v, o);
        if (rc == COUNCIL_OK)
            rc = err == ENOENT ? vfail(v, COUNCIL_ENOTFOUND, -1, "no export at this path")
                 : err == EINVAL ? vfail(v, COUNCIL_EINVAL, -1, "no export path")
                                 : vfail(v, COUNCIL_EIO, -1, "cannot open the export (%s)",
                                         strerror(err));
        rc = report_out(v, report, rc);
        council__free(v);
        return rc;
    }
    /* The verifier reads in blocks of its own: straight into them. */
    (void)setvbuf(f, NULL, _IONBF, 0);
    rc = council__audit_verify_fp(report, f, o);
    fclose(f);
    return rc;
}

/* ----------------------------------------------------------------- witness */

int council_audit_witness(council_buf *out, const char *old_note, size_t old_len,
                          const char *new_note, size_t new_len, const char *proof,
                          size_t proof_len, const char *log_vkey, const char *witness_name,
                          const uint8_t *witness_sk, size_t witness_sk_len, uint64_t timestamp)
{
    uint8_t hashes[COUNCIL_PROOF_HASHES_MAX * COUNCIL_HASH_BYTES];
    council__checkpoint a, b;
    verifier *v;
    uint64_t m = 0, n = 0;
    size_t count = 0;
    int rc;

    if (out == NULL)
        return COUNCIL_EINVAL;
    out->ptr = NULL;
    out->len = 0;
    if (council_global_init() != COUNCIL_OK)
        return COUNCIL_ERROR;
    if (witness_sk == NULL || witness_sk_len != COUNCIL__SIGN_SK_BYTES || witness_name == NULL ||
        old_note == NULL || new_note == NULL || old_len > COUNCIL__NOTE_MAX ||
        new_len > COUNCIL__NOTE_MAX || (proof == NULL && proof_len != 0))
        return COUNCIL_EINVAL;
    {
        /* The key's second half must be the public key of its first (its
         * seed): libsodium signs with the half given, so a damaged half
         * gives cosignatures no one can verify, and two halves signing the
         * same message reveal the secret scalar. */
        uint8_t pk[COUNCIL__SIGN_PK_BYTES], sk[COUNCIL__SIGN_SK_BYTES];
        int same;

        crypto_sign_ed25519_seed_keypair(pk, sk, witness_sk);
        same = sodium_memcmp(pk, witness_sk + COUNCIL__SIGN_PK_BYTES, sizeof pk) == 0;
        sodium_memzero(sk, sizeof sk);
        if (!same)
            return COUNCIL_EINVAL;
    }
    v = council__malloc(sizeof *v);
    if (v == NULL)
        return COUNCIL_ENOMEM;
    {
        council_audit_verify_options o = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
        o.log_vkey = log_vkey;
        rc = verifier_init(v, &o);
    }
    if (rc != COUNCIL_OK ||
        (rc = check_note(v, old_note, old_len, &a)) != COUNCIL_OK ||
        (rc = check_note(v, new_note, new_len, &b)) != COUNCIL_OK)
        goto out;
    if (b.size < a.size) {
        rc = COUNCIL_ETAMPER; /* a rollback */
        goto out;
    }
    if (proof_len > 0) {
        char kind = 0;
        if (parse_proof(proof, proof_len, &kind, &m, &n, hashes, hashes, &count) != COUNCIL_OK ||
            kind != 'c') {
            rc = COUNCIL_EFORMAT;
            goto out;
        }
        if (m != a.size || n != b.size) {
            rc = COUNCIL_ETAMPER; /* a proof for other sizes */
            goto out;
        }
    }
    if (a.size == b.size) {
        rc = count == 0 && sodium_memcmp(a.root, b.root, COUNCIL_HASH_BYTES) == 0
                 ? COUNCIL_OK : COUNCIL_ETAMPER;
    } else if (a.size == 0) {
        rc = COUNCIL_OK; /* the empty tree is consistent with every tree */
    } else if (proof_len == 0) {
        rc = COUNCIL_EINVAL; /* sizes differ: a proof is needed */
    } else {
        rc = council_merkle_verify_consistency(a.size, b.size, a.root, COUNCIL_HASH_BYTES,
                                               b.root, COUNCIL_HASH_BYTES, hashes,
                                               count * COUNCIL_HASH_BYTES);
        if (rc == COUNCIL_EINVAL)
            rc = COUNCIL_EFORMAT;
    }
    if (rc == COUNCIL_OK)
        rc = council__note_cosign(out, new_note, new_len, witness_name, witness_sk, timestamp);
out:
    council__free(v);
    return rc;
}

int council_witness_keygen(council_buf *secret_key, council_buf *vkey, const char *name)
{
    uint8_t pk[COUNCIL__SIGN_PK_BYTES] = { 0 };
    char text[COUNCIL__KEYNAME_MAX + 96];
    size_t len;

    if (secret_key == NULL || vkey == NULL)
        return COUNCIL_EINVAL;
    secret_key->ptr = vkey->ptr = NULL;
    secret_key->len = vkey->len = 0;
    if (council_global_init() != COUNCIL_OK)
        return COUNCIL_ERROR;
    if (name == NULL || council__vkey_format(text, sizeof text, name, COUNCIL__SIG_COSIGN, pk) ==
                            COUNCIL_EINVAL)
        return COUNCIL_EINVAL;
    secret_key->ptr = council__malloc(COUNCIL__SIGN_SK_BYTES);
    if (secret_key->ptr == NULL)
        return COUNCIL_ENOMEM;
    secret_key->len = COUNCIL__SIGN_SK_BYTES;
    crypto_sign_ed25519_keypair(pk, secret_key->ptr);
    if (council__vkey_format(text, sizeof text, name, COUNCIL__SIG_COSIGN, pk) != COUNCIL_OK) {
        council_buf_free(secret_key);
        return COUNCIL_EINVAL;
    }
    len = strlen(text);
    vkey->ptr = council__malloc(len);
    if (vkey->ptr == NULL) {
        council_buf_free(secret_key);
        return COUNCIL_ENOMEM;
    }
    memcpy(vkey->ptr, text, len);
    vkey->len = len;
    return COUNCIL_OK;
}

/* ------------------------------------------- issue 16: case evidence files */

/* The next line of [*p, end) without its newline: -1 when there is none
 * (every line ends with a newline). */
static int ce_line(const char **p, const char *end, const char **line, size_t *len)
{
    const char *nl = *p < end ? memchr(*p, '\n', (size_t)(end - *p)) : NULL;

    if (nl == NULL)
        return -1;
    *line = *p;
    *len = (size_t)(nl - *p);
    *p = nl + 1;
    return 0;
}

static int ce_number(const char **p, const char *end, const char *key, uint64_t *out)
{
    const char *l;
    size_t n;

    return ce_line(p, end, &l, &n) == 0 ? keyed_number(l, n, key, out) : -1;
}

/* One event of the file: canonical, its own seq, of the case (read in place). */
static int ce_event(verifier *v, const uint8_t *bytes, size_t len, uint64_t seq,
                    const uint8_t ref[32])
{
    council__event_view e;
    int64_t bad = seq <= (uint64_t)INT64_MAX ? (int64_t)seq : -1;
    int rc = walk_event(v, &e, bytes, len, seq);

    if (rc != COUNCIL_OK)
        return rc;
    if (e.seq != seq)
        return vfail(v, COUNCIL_ETAMPER, bad, "the event given as %llu has sequence number %llu",
                     (unsigned long long)seq, (unsigned long long)e.seq);
    if ((e.present >> 7 & 1) == 0 || e.field_len[7] != 32 || sodium_memcmp(e.field[7], ref, 32) != 0)
        return vfail(v, COUNCIL_ETAMPER, bad, "event %llu does not name the case",
                     (unsigned long long)seq);
    return COUNCIL_OK;
}

/* The file in memory, checked top to bottom (doc/audit-format.md 11). */
static int ce_verify(verifier *v, const char *text, size_t len, uint8_t ref[32], int64_t *created,
                     uint8_t *bytes)
{
    const char *p = text, *end = text + len, *l;
    uint8_t hashes[COUNCIL_PROOF_HASHES_MAX * COUNCIL_HASH_BYTES], leaf[COUNCIL_HASH_BYTES];
    uint64_t made = 0, size = 0, n = 0, note_len = 0, last = 0;
    council__checkpoint cp;
    size_t ln;
    int rc;

    if (ce_line(&p, end, &l, &ln) != 0 || ln != 24 || memcmp(l, "council-case-evidence/v1", 24) != 0)
        return vfail(v, COUNCIL_EFORMAT, -1, "not a case evidence file");
    if (ce_line(&p, end, &l, &ln) != 0 || ln < 8 || memcmp(l, "origin ", 7) != 0 ||
        ln - 7 > COUNCIL__KEYNAME_MAX)
        return vfail(v, COUNCIL_EFORMAT, -1, "malformed origin line");
    {
        const char *origin = l + 7;
        size_t olen = ln - 7;

        if (ce_line(&p, end, &l, &ln) != 0 || ln != 9 + 64 || memcmp(l, "case_ref ", 9) != 0 ||
            sodium_hex2bin(ref, 32, l + 9, 64, NULL, NULL, NULL) != 0)
            return vfail(v, COUNCIL_EFORMAT, -1, "malformed case_ref line");
        for (size_t i = 9; i < ln; i++)
            if (!((l[i] >= '0' && l[i] <= '9') || (l[i] >= 'a' && l[i] <= 'f')))
                return vfail(v, COUNCIL_EFORMAT, -1, "malformed case_ref line");
        if (ce_number(&p, end, "created ", &made) != 0 || made > INT64_MAX ||
            ce_number(&p, end, "tree_size ", &size) != 0 ||
            ce_number(&p, end, "events ", &n) != 0 ||
            ce_number(&p, end, "checkpoint ", &note_len) != 0)
            return vfail(v, COUNCIL_EFORMAT, -1, "malformed header");
        *created = (int64_t)made;
        if (note_len == 0 || note_len > COUNCIL__NOTE_MAX || note_len > (uint64_t)(end - p))
            return vfail(v, COUNCIL_EFORMAT, -1, "malformed checkpoint length");
        if ((rc = check_note(v, p, (size_t)note_len, &cp)) != COUNCIL_OK)
            return rc;
        p += note_len;
        if (strlen(cp.origin) != olen || memcmp(cp.origin, origin, olen) != 0)
            return vfail(v, COUNCIL_ETAMPER, -1, "the origin line is not the checkpoint's");
    }
    if (cp.size != size)
        return vfail(v, COUNCIL_ETAMPER, -1, "tree_size %llu, the checkpoint's is %llu",
                     (unsigned long long)size, (unsigned long long)cp.size);
    v->checkpoints = 1;
    v->tree_size = cp.size;
    memcpy(v->root, cp.root, sizeof v->root);
    v->have_root = true;
    v->best_cosigs = v->cosigs;
    if ((rc = check_known(v, &cp)) != COUNCIL_OK)
        return rc;
    if (v->cosigs < v->required)
        return vfail(v, COUNCIL_ETAMPER, -1, "%zu valid cosignatures on the checkpoint, %zu "
                     "required", v->cosigs, v->required);
    if (n == 0 || n > size)
        return vfail(v, COUNCIL_EFORMAT, -1, "%llu events for a tree of %llu",
                     (unsigned long long)n, (unsigned long long)size);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t seq = 0, m = 0;
        size_t got = 0;
        const char *b64end = NULL;

        if (ce_number(&p, end, "event ", &seq) != 0)
            return vfail(v, COUNCIL_EFORMAT, -1, "malformed event line (event %llu of the file)",
                         (unsigned long long)i);
        if (seq >= size || (i > 0 && seq <= last))
            return vfail(v, COUNCIL_ETAMPER, seq <= (uint64_t)INT64_MAX ? (int64_t)seq : -1,
                         "event %llu: out of order or past the checkpoint",
                         (unsigned long long)seq);
        last = seq;
        if (ce_line(&p, end, &l, &ln) != 0 || ln == 0 ||
            ln > sodium_base64_ENCODED_LEN(COUNCIL__AUDIT_FRAME_MAX, sodium_base64_VARIANT_ORIGINAL) ||
            !council__b64_text_ok(l, ln) ||
            sodium_base642bin(bytes, COUNCIL__AUDIT_FRAME_MAX, l, ln, NULL, &got, &b64end,
                              sodium_base64_VARIANT_ORIGINAL) != 0 ||
            b64end != l + ln || got == 0)
            return vfail(v, COUNCIL_EFORMAT, (int64_t)seq, "event %llu: malformed bytes",
                         (unsigned long long)seq);
        if (ce_number(&p, end, "proof ", &m) != 0 || m > COUNCIL_PROOF_HASHES_MAX)
            return vfail(v, COUNCIL_EFORMAT, (int64_t)seq, "event %llu: malformed proof line",
                         (unsigned long long)seq);
        for (uint64_t j = 0; j < m; j++)
            if (ce_line(&p, end, &l, &ln) != 0 ||
                b64_hash(hashes + j * COUNCIL_HASH_BYTES, l, ln) != 0)
                return vfail(v, COUNCIL_EFORMAT, (int64_t)seq, "event %llu: malformed proof hash",
                             (unsigned long long)seq);
        if ((rc = ce_event(v, bytes, got, seq, ref)) != COUNCIL_OK)
            return rc;
        council__merkle_leaf(leaf, bytes, got);
        if (council_merkle_verify_inclusion(seq, size, leaf, sizeof leaf, hashes,
                                            (size_t)m * COUNCIL_HASH_BYTES, cp.root,
                                            COUNCIL_HASH_BYTES) != COUNCIL_OK)
            return vfail(v, COUNCIL_ETAMPER, (int64_t)seq, "event %llu is not in the tree of the "
                         "checkpoint (size %llu)", (unsigned long long)seq,
                         (unsigned long long)size);
        v->events++;
    }
    if (ce_line(&p, end, &l, &ln) != 0 || ln != 3 || memcmp(l, "end", 3) != 0 || p != end)
        return vfail(v, COUNCIL_EFORMAT, -1, "the file does not end after its events");
    return COUNCIL_OK;
}

static int ce_report(const verifier *v, council_buf *report, int rc, const uint8_t ref[32],
                     bool have_ref, int64_t created)
{
    Council__V1__CaseEvidenceReport r = COUNCIL__V1__CASE_EVIDENCE_REPORT__INIT;
    size_t len;

    if (report == NULL)
        return rc;
    r.ok = rc == COUNCIL_OK;
    r.events = v->events;
    r.tree_size = v->tree_size;
    r.has_root_hash = v->have_root;
    r.root_hash.data = (uint8_t *)(uintptr_t)v->root;
    r.root_hash.len = v->have_root ? COUNCIL_HASH_BYTES : 0;
    r.has_case_ref = have_ref;
    r.case_ref.data = (uint8_t *)(uintptr_t)ref;
    r.case_ref.len = have_ref ? 32 : 0;
    r.has_created = created > 0;
    r.created = created;
    r.first_bad_event = v->first_bad;
    r.message = (char *)(uintptr_t)(rc == COUNCIL_OK ? "verified" : v->message);
    r.cosignatures = (uint32_t)v->best_cosigs;
    len = council__v1__case_evidence_report__get_packed_size(&r);
    report->ptr = council__malloc(len);
    if (report->ptr == NULL)
        return COUNCIL_ENOMEM;
    report->len = council__v1__case_evidence_report__pack(&r, report->ptr);
    return rc;
}

int council_audit_verify_case_evidence(council_buf *report, const char *path,
                                       const council_audit_verify_options *opts)
{
    uint8_t ref[32] = { 0 }, *bytes = NULL;
    char *text = NULL;
    int64_t created = 0;
    size_t len = 0;
    FILE *f = NULL;
    verifier *v;
    int rc;

    if (report != NULL) {
        report->ptr = NULL;
        report->len = 0;
    }
    if ((v = verifier_new(&rc)) == NULL)
        return rc;
    rc = verifier_init(v, opts);
    if (rc == COUNCIL_OK && path == NULL)
        rc = vfail(v, COUNCIL_EINVAL, -1, "no file path");
    if (rc == COUNCIL_OK && (f = fopen(path, "rb")) == NULL)
        rc = errno == ENOENT ? vfail(v, COUNCIL_ENOTFOUND, -1, "no file at this path")
                             : vfail(v, COUNCIL_EIO, -1, "cannot open the file (%s)",
                                     strerror(errno));
    if (rc == COUNCIL_OK) {
        long sz;

        if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
            rc = vfail(v, COUNCIL_EIO, -1, "cannot read the file");
        else if ((unsigned long)sz > COUNCIL_CASE_EVIDENCE_MAX)
            rc = vfail(v, COUNCIL_ELIMIT, -1, "the file is larger than %u bytes",
                       COUNCIL_CASE_EVIDENCE_MAX);
        else if ((text = council__malloc((size_t)sz + 1)) == NULL ||
                 (bytes = council__malloc(COUNCIL__AUDIT_FRAME_MAX)) == NULL)
            rc = vfail(v, COUNCIL_ENOMEM, -1, "out of memory");
        else if ((len = fread(text, 1, (size_t)sz, f)) != (size_t)sz)
            rc = vfail(v, COUNCIL_EIO, -1, "cannot read the file");
    }
    if (f != NULL)
        fclose(f);
    if (rc == COUNCIL_OK)
        rc = ce_verify(v, text, len, ref, &created, bytes);
    rc = ce_report(v, report, rc, ref, !sodium_is_zero(ref, 32), created);
    council__free(text);
    council__free(bytes);
    council__free(v);
    return rc;
}
