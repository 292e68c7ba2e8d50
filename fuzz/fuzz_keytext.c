/*
 * fuzz_keytext.c - the CLI's readers of key files (cli/text.c): a raw root
 * key file (root_key_text after secret_text_trim, as read_root_key reads
 * it: at most 67 bytes) and a witness secret key file (witness_key_text,
 * as `audit witness --witness-key` reads it: at most 256 bytes). Every
 * input is tried as both, when its size fits.
 *
 * The harness traps unless the root key parse succeeds exactly for 64 hex
 * digits once one trailing LF, then one CR, is removed, gives -1 exactly
 * for another length and -2 for a non-hex byte (with the key wiped), and
 * decodes the digits; unless the witness key parse succeeds exactly when
 * what comes before the first NUL, CR or LF is 128 hex digits (the key
 * wiped otherwise) and decodes them; and unless council_audit_witness, with
 * a parsed witness key over the fixed checkpoints of fixture.h (size 5 to
 * itself), gives OK exactly when the key's second half is the public key
 * of its first (EINVAL otherwise), and a cosignature that verifies under
 * that public key.
 */
#include "../cli/text.h"
#include "fixture.h"
#include "note.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int hex_ok(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (hexval((char)p[i]) < 0)
            return 0;
    return 1;
}

static void check_decoded(const uint8_t *key, const uint8_t *hex, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fuzz_check(key[i] == (uint8_t)(hexval((char)hex[2 * i]) << 4 | hexval((char)hex[2 * i + 1])));
}

static void check_witness(const uint8_t sk[64])
{
    council_audit_verify_options o = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    uint8_t pk[32], seed_sk[64];
    char vkey[FIX_VKEY_MAX];
    const char *wk[1] = { vkey };
    council_buf out = { NULL, 0 };
    int rc, matches;

    crypto_sign_seed_keypair(pk, seed_sk, sk);
    matches = memcmp(pk, sk + 32, 32) == 0;
    rc = council_audit_witness(&out, (const char *)fix.note[5].ptr, fix.note[5].len,
                               (const char *)fix.note[5].ptr, fix.note[5].len, NULL, 0,
                               fix.log_vkey, FIX_WITNESS, sk, 64, 1700000002u);
    fuzz_check(rc == (matches ? COUNCIL_OK : COUNCIL_EINVAL));
    if (rc == COUNCIL_OK) {
        fuzz_check(council__vkey_format(vkey, sizeof vkey, FIX_WITNESS, COUNCIL__SIG_COSIGN, pk) ==
                   COUNCIL_OK);
        o.log_vkey = fix.log_vkey;
        o.witness_vkeys = wk;
        o.n_witnesses = 1;
        o.required = 1;
        fuzz_check(council_audit_verify_checkpoint(NULL, (const char *)out.ptr, out.len, &o) ==
                   COUNCIL_OK);
    }
    council_buf_free(&out);
    sodium_memzero(seed_sk, sizeof seed_sk);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t zero[64];
    const char *text = (const char *)data;

    fix_init();
    if (size < 2 * ROOT_KEY_TEXT_BYTES + 4) {
        uint8_t key[ROOT_KEY_TEXT_BYTES];
        size_t n = secret_text_trim(text, size);
        int rc;

        fuzz_check(n <= size && size - n <= 2);
        memset(key, 0xa5, sizeof key);
        rc = root_key_text(key, text, n);
        if (n != 2 * ROOT_KEY_TEXT_BYTES) {
            fuzz_check(rc == -1);
        } else if (!hex_ok(data, n)) {
            fuzz_check(rc == -2 && memcmp(key, zero, sizeof key) == 0);
        } else {
            fuzz_check(rc == 0);
            check_decoded(key, data, sizeof key);
        }
    }
    if (size <= 256) {
        uint8_t sk[WITNESS_KEY_TEXT_BYTES];
        size_t n = 0;
        int rc;

        while (n < size && data[n] != 0 && data[n] != '\r' && data[n] != '\n')
            n++;
        memset(sk, 0xa5, sizeof sk);
        rc = witness_key_text(sk, text, size);
        if (n == 2 * WITNESS_KEY_TEXT_BYTES && hex_ok(data, n)) {
            fuzz_check(rc == 0);
            check_decoded(sk, data, sizeof sk);
            check_witness(sk);
        } else {
            fuzz_check(rc == -1);
            if (n == 2 * WITNESS_KEY_TEXT_BYTES)
                fuzz_check(memcmp(sk, zero, sizeof sk) == 0);
        }
        sodium_memzero(sk, sizeof sk);
    }
    return 0;
}
