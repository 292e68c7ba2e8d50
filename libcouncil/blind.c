/*
 * blind.c - the blind index: finding a person without a plaintext index.
 *
 * A name is folded (Unicode NFKC by utf8proc, case folded, hiragana as
 * katakana, white space, dashes and middle dots removed, sound marks
 * composed) and hashed with the council's blind-index key, alone and with
 * the birth date (never the date alone); only the first w bits are kept,
 * w sized for the store (council__blind_width_for: about one or two
 * unrelated persons share each token, never fewer than 16 bits; find.c
 * keeps w, signed, and widens the index as the store grows), so a token
 * alone never names anyone. What the tokens leak: whether two persons'
 * folded names (and birth dates) are probably equal; SECURITY.md.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <utf8proc.h>

#include "council_int.h"
#include "crypto.h"
#include "blind.h"

#define NAME_IN_MAX 1024 /* bytes of a name we fold */

static bool dropped(utf8proc_int32_t cp)
{
    const utf8proc_property_t *p = utf8proc_get_property(cp);

    if (cp == 0x30FB || cp == 0x00B7 || cp == 0xFF65) /* ・ · ･ */
        return true;
    return p->category == UTF8PROC_CATEGORY_ZS || p->category == UTF8PROC_CATEGORY_ZL ||
           p->category == UTF8PROC_CATEGORY_PD || /* hyphens and dashes */
           p->category == UTF8PROC_CATEGORY_ZP || p->category == UTF8PROC_CATEGORY_CC ||
           p->category == UTF8PROC_CATEGORY_CF;
}

static utf8proc_int32_t kana_fold(utf8proc_int32_t cp)
{
    if ((cp >= 0x3041 && cp <= 0x3096) || cp == 0x309D || cp == 0x309E)
        return cp + 0x60; /* hiragana -> katakana */
    return cp;
}

int council__name_fold(council *c, char **out, const char *name, size_t len)
{
    utf8proc_uint8_t *nfkc = NULL;
    utf8proc_ssize_t n;
    char *res;
    size_t used = 0;

    *out = NULL;
    if (name == NULL || len == 0 || len > NAME_IN_MAX)
        return council__fail(c, COUNCIL_EINVAL, "name: 1..%d bytes", NAME_IN_MAX);
    /* NFKC folds full and half width (ＡＢＣ, ｶﾞ) and compatibility forms;
     * CASEFOLD folds Latin, Greek and Cyrillic case. */
    n = utf8proc_map((const utf8proc_uint8_t *)name, (utf8proc_ssize_t)len, &nfkc,
                     UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
    if (n < 0)
        return council__fail(c, n == UTF8PROC_ERROR_NOMEM ? COUNCIL_ENOMEM : COUNCIL_EINVAL,
                             "name: not valid UTF-8");
    res = council__malloc((size_t)n + 1);
    if (res == NULL) {
        sodium_memzero(nfkc, (size_t)n);
        free(nfkc);
        return council__fail(c, COUNCIL_ENOMEM, "name: out of memory");
    }
    for (utf8proc_ssize_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(nfkc + i, n - i, &cp);

        if (k <= 0)
            break; /* cannot happen: utf8proc_map's output is valid */
        i += k;
        if (dropped(cp))
            continue;
        /* Katakana takes as many UTF-8 bytes as hiragana (3). */
        used += (size_t)utf8proc_encode_char(kana_fold(cp), (utf8proc_uint8_t *)res + used);
    }
    sodium_memzero(nfkc, (size_t)n);
    free(nfkc);
    res[used] = '\0';
    if (used == 0) {
        council__free(res);
        return council__fail(c, COUNCIL_EINVAL, "name: nothing left after folding");
    }
    /* A spacing sound mark (か゛) became a combining one next to its
     * kana once the space went: compose again (か + ゙ = が). */
    n = utf8proc_map((const utf8proc_uint8_t *)res, (utf8proc_ssize_t)used, &nfkc,
                     UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    sodium_memzero(res, used);
    council__free(res);
    if (n <= 0)
        return council__fail(c, n == UTF8PROC_ERROR_NOMEM ? COUNCIL_ENOMEM : COUNCIL_EINVAL,
                             "name: cannot compose");
    res = council__malloc((size_t)n + 1);
    if (res != NULL) {
        memcpy(res, nfkc, (size_t)n);
        res[n] = '\0';
    }
    sodium_memzero(nfkc, (size_t)n);
    free(nfkc);
    if (res == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "name: out of memory");
    *out = res;
    return COUNCIL_OK;
}

int council__blind_token32(council *c, uint32_t *token, int kind, const uint8_t *data, size_t len)
{
    static const char label[] = "council/blind-index/v1";
    crypto_generichash_state h;
    uint8_t k = (uint8_t)kind, d[32];

    if (c->bix.p == NULL || c->bix.len != COUNCIL__KEY_BYTES)
        return council__fail(c, COUNCIL_EUNSUPPORTED, "find: the secretariat has not yet "
                             "provided this session's keys (open the store as the secretariat)");
    council__secret_read(&c->bix);
    crypto_generichash_init(&h, c->bix.p, c->bix.len, sizeof d);
    council__secret_lock(&c->bix);
    crypto_generichash_update(&h, (const uint8_t *)label, sizeof label);
    crypto_generichash_update(&h, &k, 1);
    crypto_generichash_update(&h, data, len);
    crypto_generichash_final(&h, d, sizeof d);
    *token = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
    sodium_memzero(&h, sizeof h);
    sodium_memzero(d, sizeof d);
    return COUNCIL_OK;
}

int council__blind_token(council *c, uint32_t *token, int kind, const uint8_t *data, size_t len)
{
    int rc = council__blind_token32(c, token, kind, data, len);

    *token = rc == COUNCIL_OK ? council__blind_trunc(*token, COUNCIL__BLIND_TOKEN_BITS) : 0;
    return rc;
}

uint32_t council__blind_trunc(uint32_t token, unsigned width)
{
    if (width == 0 || width >= 32)
        return width == 0 ? 0 : token;
    return token >> (32 - width); /* 16 bits: d[0] << 8 | d[1], as before */
}

static unsigned test_shift;

void council__blind_test_scale(unsigned shift)
{
    test_shift = shift < 32 ? shift : 0;
}

unsigned council__blind_width_for(uint64_t entries)
{
    unsigned bits = 0; /* ceil(log2(entries)) */

    if (entries > UINT32_MAX)
        entries = UINT32_MAX; /* 32 bits at most anyway */
    entries <<= test_shift;
    while (bits < 63 && ((uint64_t)1 << bits) < entries)
        bits++;
    bits = bits > 0 ? bits - 1 : 0;
    if (bits < COUNCIL__BLIND_TOKEN_BITS)
        bits = COUNCIL__BLIND_TOKEN_BITS;
    return bits > COUNCIL__BLIND_WIDTH_MAX ? COUNCIL__BLIND_WIDTH_MAX : bits;
}
