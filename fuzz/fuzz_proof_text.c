/*
 * fuzz_proof_text.c - the proof-text parser and verifier of the auditor
 * side, council_audit_verify_proof (parse_proof in libcouncil/audit.c),
 * for both kinds: "inclusion-proof/v1" and "consistency-proof/v1".
 *
 * Input: byte 0 chooses the checkpoint the proof is verified against: size
 * (b0 & 15) + 1 of the fixed tree of fixture.h, cosigned by the witness
 * (and one cosignature required) when b0 & 0x10. Byte 1 chooses the known
 * (older) checkpoint: none when b1 % 17 is 0, else the one of size b1 % 17.
 * The rest is the proof text.
 *
 * The harness traps on a code other than OK, ETAMPER, EFORMAT or EINVAL; on
 * EINVAL unless the text is a consistency proof and no checkpoint is known;
 * on a report that does not decode or whose ok is not (rc == OK); and on OK
 * unless the text is well formed (its first line a known kind) and true:
 * an inclusion proof names a leaf of the fixed tree at its index, for the
 * checkpoint's size, not older than the known one; a consistency proof
 * runs from the known checkpoint's size to the checkpoint's.
 */
#include "council/v1/audit.pb-c.h"
#include "fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    council_audit_verify_options o = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    const char *wk[1];
    Council__V1__AuditVerifyReport *r;
    council_buf rep = { NULL, 0 };
    const council_buf *note;
    const char *text;
    uint64_t n, known;
    size_t len;
    int rc, incl, cons;

    if (size < 2)
        return 0;
    fix_init();
    n = (uint64_t)(data[0] & 15) + 1;
    known = data[1] % 17;
    text = (const char *)data + 2;
    len = size - 2;
    note = (data[0] & 0x10) != 0 ? &fix.cosigned[n] : &fix.note[n];
    o.log_vkey = fix.log_vkey;
    if ((data[0] & 0x10) != 0) {
        wk[0] = fix.wit_vkey;
        o.witness_vkeys = wk;
        o.n_witnesses = 1;
        o.required = 1;
    }
    if (known != 0) {
        o.known_checkpoint = (const char *)fix.note[known].ptr;
        o.known_checkpoint_len = fix.note[known].len;
    }
    incl = len >= 19 && memcmp(text, "inclusion-proof/v1\n", 19) == 0;
    cons = len >= 21 && memcmp(text, "consistency-proof/v1\n", 21) == 0;

    rc = council_audit_verify_proof(&rep, len > 0 ? text : NULL, len, (const char *)note->ptr,
                                    note->len, &o);
    fuzz_check(rc == COUNCIL_OK || rc == COUNCIL_ETAMPER || rc == COUNCIL_EFORMAT ||
               rc == COUNCIL_EINVAL);
    if (rc == COUNCIL_EINVAL)
        fuzz_check(cons && known == 0);
    fuzz_check(rep.ptr != NULL);
    r = council__v1__audit_verify_report__unpack(NULL, rep.len, rep.ptr);
    fuzz_check(r != NULL);
    fuzz_check(r->ok == (rc == COUNCIL_OK));
    fuzz_check(r->message != NULL && r->message[0] != '\0');
    council__v1__audit_verify_report__free_unpacked(r, NULL);
    council_buf_free(&rep);
    if (rc != COUNCIL_OK)
        return 0;

    fuzz_check(incl || cons);
    {
        /* The library checked the form strictly; sscanf only reads it. */
        char *copy = malloc(len + 1);
        unsigned long long a = 0, b = 0;
        char b64[64] = "";

        fuzz_check(copy != NULL);
        memcpy(copy, text, len);
        copy[len] = '\0';
        if (incl) {
            uint8_t leaf[COUNCIL_HASH_BYTES];
            size_t got = 0;

            fuzz_check(sscanf(copy, "inclusion-proof/v1\nindex %llu\nsize %llu\nleaf %63s", &a, &b,
                              b64) == 3);
            fuzz_check(b == n && a < n && (known == 0 || known <= n));
            fuzz_check(sodium_base642bin(leaf, sizeof leaf, b64, strlen(b64), NULL, &got, NULL,
                                         sodium_base64_VARIANT_ORIGINAL) == 0 &&
                       got == sizeof leaf);
            fuzz_check(memcmp(leaf, fix.leaf[a], sizeof leaf) == 0);
        } else {
            fuzz_check(sscanf(copy, "consistency-proof/v1\nold %llu\nnew %llu", &a, &b) == 2);
            fuzz_check(known != 0 && a == known && b == n);
        }
        free(copy);
    }
    return 0;
}
