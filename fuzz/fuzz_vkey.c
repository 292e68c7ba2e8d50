/*
 * fuzz_vkey.c - the C2SP signed-note verifier key parser,
 * council__vkey_parse (libcouncil/note.c), and the verify options that
 * carry vkey texts (council_audit_verify_checkpoint's log_vkey and
 * witness_vkeys).
 *
 * The whole input is the key text. The harness traps:
 *   - on a parse code other than OK or EFORMAT, and on EFORMAT that leaves
 *     anything in the output;
 *   - on OK unless the key's name is 1..255 bytes without white space, '+'
 *     or control bytes, its type 0x01 or 0x04, and the key written again
 *     (council__vkey_format) is the input byte for byte, once trailing CR
 *     and LF are removed: a key has one spelling;
 *   - unless the input as a NUL-terminated log key (up to its first NUL)
 *     of council_audit_verify_checkpoint, over the fixed checkpoint of
 *     size 3 of fixture.h, gives EINVAL exactly when that text does not
 *     parse as a type 0x01 key, and otherwise OK for the fixed log key
 *     and ETAMPER for any other;
 *   - unless the same text as the one witness key (fixed log key, one
 *     cosignature required) gives EINVAL exactly when it does not parse
 *     as a type 0x04 key, OK for the fixed witness key (the checkpoint is
 *     the cosigned one), and ETAMPER for any other.
 */
#include "fixture.h"
#include "note.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const council__vkey zero;
    council_audit_verify_options o = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    council__vkey k, kz;
    char again[FIX_VKEY_MAX];
    const char *wk[1];
    char *text;
    size_t trimmed = size, zlen;
    int rc, rcz;

    fix_init();
    rc = council__vkey_parse(&k, (const char *)data, size);
    fuzz_check(rc == COUNCIL_OK || rc == COUNCIL_EFORMAT);
    while (trimmed > 0 && (data[trimmed - 1] == '\n' || data[trimmed - 1] == '\r'))
        trimmed--;
    if (rc != COUNCIL_OK) {
        fuzz_check(memcmp(&k, &zero, sizeof k) == 0);
    } else {
        size_t nl = strlen(k.name);

        fuzz_check(nl >= 1 && nl <= COUNCIL__KEYNAME_MAX);
        for (size_t i = 0; i < nl; i++)
            fuzz_check((unsigned char)k.name[i] > 0x20 && k.name[i] != 0x7f && k.name[i] != '+');
        fuzz_check(k.type == COUNCIL__SIG_ED25519 || k.type == COUNCIL__SIG_COSIGN);
        fuzz_check(council__vkey_format(again, sizeof again, k.name, k.type, k.pk) == COUNCIL_OK);
        fuzz_check(strlen(again) == trimmed && memcmp(again, data, trimmed) == 0);
    }

    /* As the verify options see it: a C string. */
    text = malloc(size + 1);
    fuzz_check(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    zlen = strlen(text);
    rcz = council__vkey_parse(&kz, text, zlen);

    o.log_vkey = text;
    rc = council_audit_verify_checkpoint(NULL, (const char *)fix.note[3].ptr, fix.note[3].len, &o);
    if (rcz != COUNCIL_OK || kz.type != COUNCIL__SIG_ED25519)
        fuzz_check(rc == COUNCIL_EINVAL);
    else if (strcmp(kz.name, FIX_ORIGIN) == 0 && memcmp(kz.pk, fix.log_pk, 32) == 0)
        fuzz_check(rc == COUNCIL_OK);
    else
        fuzz_check(rc == COUNCIL_ETAMPER);

    o.log_vkey = fix.log_vkey;
    wk[0] = text;
    o.witness_vkeys = wk;
    o.n_witnesses = 1;
    o.required = 1;
    rc = council_audit_verify_checkpoint(NULL, (const char *)fix.cosigned[3].ptr,
                                         fix.cosigned[3].len, &o);
    if (rcz != COUNCIL_OK || kz.type != COUNCIL__SIG_COSIGN)
        fuzz_check(rc == COUNCIL_EINVAL);
    else if (strcmp(kz.name, FIX_WITNESS) == 0 && memcmp(kz.pk, fix.wit_pk, 32) == 0)
        fuzz_check(rc == COUNCIL_OK);
    else
        fuzz_check(rc == COUNCIL_ETAMPER);
    free(text);
    return 0;
}
