/*
 * fuzz_witness.c - the witness step, council_audit_witness: both signed
 * checkpoints (council__checkpoint_parse, council__note_verify), the
 * consistency proof text (parse_proof) and the cosigning
 * (council__note_cosign), all attacker-controlled, under the fixed log key
 * and witness key of fixture.h.
 *
 * Input: byte 0 is a set of flags, the rest is three parts separated by NUL
 * bytes (a note never holds one): the old checkpoint, the new checkpoint
 * and the proof text (missing parts are empty). With flag 0x01 (0x02) the
 * old (new) part is taken as a checkpoint body and signed with the log key
 * first, so mutations get past the signature; if signing refuses it (no
 * final newline, too long), the part is used as it is.
 *
 * The harness traps on a code other than OK, ETAMPER, EFORMAT, EINVAL or
 * ELIMIT; on an output set on failure; and on OK unless the output is the
 * new note with one cosignature line appended that verifies
 * (council_audit_verify_checkpoint with the witness required), the old
 * tree is not larger than the new, and a missing proof means equal sizes
 * or an empty old tree.
 */
#include "fixture.h"
#include "note.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *part(const uint8_t *p, const uint8_t *end, size_t *len, const uint8_t **next)
{
    const uint8_t *z = p < end ? memchr(p, 0, (size_t)(end - p)) : NULL;

    *len = (size_t)((z != NULL ? z : end) - p);
    *next = z != NULL ? z + 1 : end;
    return (const char *)p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    council_buf out = { NULL, 0 }, s_old = { NULL, 0 }, s_new = { NULL, 0 };
    const uint8_t *p, *end = data + size;
    const char *old_note, *new_note, *proof;
    size_t old_len, new_len, proof_len;
    uint8_t flags;
    int rc;

    if (size < 1)
        return 0;
    fix_init();
    flags = data[0];
    p = data + 1;
    old_note = part(p, end, &old_len, &p);
    new_note = part(p, end, &new_len, &p);
    proof = part(p, end, &proof_len, &p);
    if ((flags & 1) != 0 && fix_sign(&s_old, old_note, old_len) == COUNCIL_OK) {
        old_note = (const char *)s_old.ptr;
        old_len = s_old.len;
    }
    if ((flags & 2) != 0 && fix_sign(&s_new, new_note, new_len) == COUNCIL_OK) {
        new_note = (const char *)s_new.ptr;
        new_len = s_new.len;
    }
    rc = council_audit_witness(&out, old_note, old_len, new_note, new_len,
                               proof_len > 0 ? proof : NULL, proof_len, fix.log_vkey, FIX_WITNESS,
                               fix.wit_sk, sizeof fix.wit_sk, 1700000001u);
    fuzz_check(rc == COUNCIL_OK || rc == COUNCIL_ETAMPER || rc == COUNCIL_EFORMAT ||
               rc == COUNCIL_EINVAL || rc == COUNCIL_ELIMIT);
    if (rc != COUNCIL_OK) {
        fuzz_check(out.ptr == NULL && out.len == 0);
    } else {
        council_audit_verify_options o = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
        const char *wk[1] = { fix.wit_vkey };
        council__checkpoint a, b;
        const char *last;

        fuzz_check(out.ptr != NULL && out.len > new_len && out.len <= COUNCIL__NOTE_MAX);
        fuzz_check(memcmp(out.ptr, new_note, new_len) == 0);
        last = (const char *)out.ptr + new_len;
        fuzz_check(memchr(last, '\n', out.len - new_len) == (const void *)(out.ptr + out.len - 1));
        o.log_vkey = fix.log_vkey;
        o.witness_vkeys = wk;
        o.n_witnesses = 1;
        o.required = 1;
        fuzz_check(council_audit_verify_checkpoint(NULL, (const char *)out.ptr, out.len, &o) ==
                   COUNCIL_OK);
        fuzz_check(council__checkpoint_parse(&a, old_note, old_len) == COUNCIL_OK);
        fuzz_check(council__checkpoint_parse(&b, new_note, new_len) == COUNCIL_OK);
        fuzz_check(a.size <= b.size && strcmp(a.origin, b.origin) == 0);
        if (proof_len == 0)
            fuzz_check(a.size == b.size || a.size == 0);
        if (a.size == b.size)
            fuzz_check(memcmp(a.root, b.root, sizeof a.root) == 0);
    }
    council_buf_free(&out);
    council_buf_free(&s_old);
    council_buf_free(&s_new);
    return 0;
}
