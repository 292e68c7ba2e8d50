/*
 * evidence.c - the auditor's view of a case: council_case_evidence writes
 * the case's pseudonym, a checkpoint signed now, and every event that
 * names the case (its canonical bytes) with its RFC 9162 inclusion proof
 * against that checkpoint. The file (doc/audit-format.md section 11) is
 * checked with the log's public key alone (council_audit_verify_case_evidence
 * in verify.c, or scripts/verify-case-evidence.py).
 *
 * Completeness against the insider: the events are found by reading every
 * event body of the log, not the audit_event_case index (an event row whose
 * case_ref column was cleared drops out of the index, not out of its body),
 * and each body is checked against the stored tree's leaf at its seq, with
 * no seq missing below the checkpoint's size. The checkpoint is signed
 * first, which checks the log against the signer's head (head.c): events
 * deleted, edited or reordered below it are found there (COUNCIL_ETAMPER,
 * logged), so a body scan over a log that passed it sees every event.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "buf.h"
#include "event.h"
#include "head.h"
#include "log.h"
#include "merkle.h"
#include "note.h"
#include "session.h"
#include "attest.h"
#include "case_db.h"

/* ------------------------------------------------------- case evidence */

/* What the walk keeps of the case: bodies one after another in `bodies`,
 * their seqs and lengths. */
typedef struct scan {
    council *c;
    council__nodes ns;
    uint8_t ref[32];
    uint64_t size;
    council__buf bodies;
    uint64_t *seqs;
    size_t *lens;
    size_t n, cap_seqs, cap_lens;
} scan;

static int scan_event(void *ctx, const Council__V1__AuditEvent *e, const uint8_t *body,
                      size_t len, const uint8_t leaf[COUNCIL_HASH_BYTES])
{
    scan *s = ctx;
    uint64_t seq = e->seq;
    uint64_t *sq;
    size_t *ln;

    (void)leaf;

    if (!e->has_case_ref || e->case_ref.len != 32 ||
        sodium_memcmp(e->case_ref.data, s->ref, 32) != 0)
        return COUNCIL_OK;
    sq = council__grow(s->seqs, &s->cap_seqs, s->n, sizeof *sq);
    if (sq != NULL)
        s->seqs = sq;
    ln = sq == NULL ? NULL : council__grow(s->lens, &s->cap_lens, s->n, sizeof *ln);
    if (ln != NULL)
        s->lens = ln;
    council__buf_put(&s->bodies, body, len);
    if (sq == NULL || ln == NULL || s->bodies.failed)
        return COUNCIL_ENOMEM;
    s->seqs[s->n] = seq;
    s->lens[s->n] = len;
    s->n++;
    return COUNCIL_OK;
}

static void put_line(council__buf *b, const char *key, const char *val)
{
    council__buf_text(b, key);
    council__buf_text(b, " ");
    council__buf_text(b, val);
    council__buf_text(b, "\n");
}

static void put_number(council__buf *b, const char *key, uint64_t v)
{
    char n[24];

    (void)snprintf(n, sizeof n, "%llu", (unsigned long long)v);
    put_line(b, key, n);
}

static void put_b64(council__buf *b, const uint8_t *p, size_t n)
{
    size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    uint8_t *dst = council__buf_grow(b, cap);

    if (dst == NULL)
        return;
    sodium_bin2base64((char *)dst, cap, p, n, sodium_base64_VARIANT_ORIGINAL);
    b->len -= cap - strlen((char *)dst); /* keep the text, drop the NUL */
    council__buf_text(b, "\n");
}

/* The file: header, the checkpoint, each event with its proof (checked
 * against the checkpoint's root before it is written), "end". */
static int write_file(council *c, scan *s, const char *note, size_t note_len, int64_t now,
                      council__buf *b)
{
    council__checkpoint cp;
    char origin[COUNCIL__ORIGIN_MAX], hex[65];
    size_t off = 0;

    if (council__checkpoint_parse(&cp, note, note_len) != COUNCIL_OK || cp.size != s->size)
        return council__fail(c, COUNCIL_ERROR, "case_evidence: the checkpoint just signed "
                             "does not parse");
    council__log_origin(origin, c->council_id);
    sodium_bin2hex(hex, sizeof hex, s->ref, 32);
    council__buf_text(b, "council-case-evidence/v1\n");
    put_line(b, "origin", origin);
    put_line(b, "case_ref", hex);
    put_number(b, "created", (uint64_t)now);
    put_number(b, "tree_size", s->size);
    put_number(b, "events", s->n);
    put_number(b, "checkpoint", note_len);
    council__buf_put(b, note, note_len);
    for (size_t i = 0; i < s->n; i++) {
        uint8_t proof[COUNCIL_PROOF_HASHES_MAX][COUNCIL_HASH_BYTES], leaf[COUNCIL_HASH_BYTES];
        size_t count = 0;

        if (council__merkle_prove_inclusion(&s->ns, s->seqs[i], s->size, &proof[0][0],
                                            COUNCIL_PROOF_HASHES_MAX, &count) != COUNCIL_OK)
            return council__fail(c, COUNCIL_EIO, "case_evidence: cannot read the tree");
        council__merkle_leaf(leaf, s->bodies.p + off, s->lens[i]);
        if (council_merkle_verify_inclusion(s->seqs[i], s->size, leaf, sizeof leaf, &proof[0][0],
                                            count * COUNCIL_HASH_BYTES, cp.root,
                                            COUNCIL_HASH_BYTES) != COUNCIL_OK)
            return council__fail(c, COUNCIL_ETAMPER, "case_evidence: event %llu does not prove "
                                 "against the checkpoint (the stored tree was rewritten)",
                                 (unsigned long long)s->seqs[i]);
        put_number(b, "event", s->seqs[i]);
        put_b64(b, s->bodies.p + off, s->lens[i]);
        put_number(b, "proof", count);
        for (size_t j = 0; j < count; j++)
            put_b64(b, proof[j], COUNCIL_HASH_BYTES);
        off += s->lens[i];
    }
    council__buf_text(b, "end\n");
    return COUNCIL_OK;
}

int council_case_evidence(council *c, council_buf *out, const uint8_t *case_id, size_t case_id_len)
{
    static const char op[] = "case_evidence";
    council__event ev = {
        .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CASE_EVIDENCE_EXPORTED,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
    };
    council_buf note = { NULL, 0 };
    council__buf b = COUNCIL__BUF_INIT;
    uint8_t owner[COUNCIL_ID_BYTES];
    scan s;
    bool erased = false;
    int rc;

    if (!council__ok(c) || out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: bad handle or NULL out", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__secretariat_only(c, op)) != COUNCIL_OK ||
        (rc = council__no_batch(c, op)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK)
        return rc;
    memset(&s, 0, sizeof s);
    s.c = c;
    /* An erased case has its tombstone and its events: they are evidence too. */
    if ((rc = council__case_lookup(c, op, case_id, owner, s.ref, &erased)) != COUNCIL_OK)
        return rc;
    ev.case_ref = s.ref;
    /* Log first: handing a case's events to an auditor is itself audited,
     * and the checkpoint signed next covers this event. */
    if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_checkpoint_in_batch(c, &note, &s.size)) != COUNCIL_OK)
        return rc;
    council__audit_nodes(c, &s.ns);
    rc = council__log_walk_checked(c, op, s.size, scan_event, &s);
    if (rc == COUNCIL_OK && s.n == 0)
        /* Cannot happen: the event appended above names the case. */
        rc = council__fail(c, COUNCIL_ETAMPER, "%s: the log holds no event of the case", op);
    if (rc == COUNCIL_OK)
        rc = write_file(c, &s, (const char *)note.ptr, note.len, (int64_t)time(NULL), &b);
    if (rc == COUNCIL_OK)
        rc = council__buf_out(c, op, &b, out);
    council__buf_free(&b);
    council__buf_free(&s.bodies);
    council__free(s.seqs);
    council__free(s.lens);
    council_buf_free(&note);
    if (rc == COUNCIL_OK)
        council__clear(c);
    return rc;
}
