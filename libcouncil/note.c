/*
 * note.c - C2SP signed notes, checkpoints, verifier keys and cosignatures.
 *
 *   note      = body "\n" signature-line+       (body ends with "\n")
 *   sig line  = "\u2014 " key-name " " base64(key-id || signature) "\n"
 *   key id    = SHA-256(key-name || "\n" || type || public key)[0:4]
 *   vkey      = key-name "+" hex(key-id) "+" base64(type || public key)
 *   checkpoint body = origin "\n" decimal-size "\n" base64(root) "\n" ext*
 *   cosignature/v1 (type 0x04) signs "cosignature/v1\ntime T\n" || body and
 *   its value is key-id || u64be(T) || signature.
 *
 * Every input is capped in size before it is looked at, and parsed without
 * trusting a single length or delimiter.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "council_int.h"
#include "crypto.h"
#include "note.h"
#include "text.h"

static const char dash[] = "\xe2\x80\x94 "; /* U+2014 and a space */
#define DASH_LEN 4
#define ED_SIG 64
#define B64_MAX 128

void council__log_origin(char out[COUNCIL__ORIGIN_MAX], const uint8_t id[COUNCIL_ID_BYTES])
{
    char text[37];

    council__uuid_text(text, id);
    (void)snprintf(out, COUNCIL__ORIGIN_MAX, "libcouncil/%s", text);
}

void council__log_vkey(council__vkey *vk, const uint8_t id[COUNCIL_ID_BYTES],
                       const uint8_t pk[COUNCIL__SIGN_PK_BYTES])
{
    char origin[COUNCIL__ORIGIN_MAX];

    memset(vk, 0, sizeof *vk);
    council__log_origin(origin, id);
    memcpy(vk->name, origin, strlen(origin) + 1);
    vk->type = COUNCIL__SIG_ED25519;
    memcpy(vk->pk, pk, sizeof vk->pk);
    council__keyid(vk->keyid, vk->name, vk->type, vk->pk);
}

void council__keyid(uint8_t out[4], const char *name, uint8_t type,
                    const uint8_t pk[COUNCIL__SIGN_PK_BYTES])
{
    crypto_hash_sha256_state h;
    uint8_t hash[32];

    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const uint8_t *)name, strlen(name));
    crypto_hash_sha256_update(&h, (const uint8_t *)"\n", 1);
    crypto_hash_sha256_update(&h, &type, 1);
    crypto_hash_sha256_update(&h, pk, COUNCIL__SIGN_PK_BYTES);
    crypto_hash_sha256_final(&h, hash);
    memcpy(out, hash, 4);
}

/* A key name: 1..255 bytes, no whitespace, no '+', no control bytes. */
static bool name_ok(const char *s, size_t n)
{
    if (n == 0 || n > COUNCIL__KEYNAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch <= 0x20 || ch == 0x7f || ch == '+')
            return false;
    }
    return true;
}

bool council__b64_text_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '+' || ch == '/' || ch == '='))
            return false;
    }
    return true;
}

static int b64_decode(uint8_t *out, size_t cap, size_t *out_len, const char *s, size_t n)
{
    const char *end = NULL;

    if (n == 0 || n > B64_MAX || !council__b64_text_ok(s, n))
        return -1;
    if (sodium_base642bin(out, cap, s, n, NULL, out_len, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 || end != s + n)
        return -1;
    return 0;
}

int council__vkey_format(char *out, size_t out_len, const char *name, uint8_t type,
                         const uint8_t pk[COUNCIL__SIGN_PK_BYTES])
{
    uint8_t key[1 + COUNCIL__SIGN_PK_BYTES], id[4];
    char b64[64];
    int n;

    if (!name_ok(name, strlen(name)))
        return COUNCIL_EINVAL;
    key[0] = type;
    memcpy(key + 1, pk, COUNCIL__SIGN_PK_BYTES);
    council__keyid(id, name, type, pk);
    sodium_bin2base64(b64, sizeof b64, key, sizeof key, sodium_base64_VARIANT_ORIGINAL);
    n = snprintf(out, out_len, "%s+%02x%02x%02x%02x+%s", name, id[0], id[1], id[2], id[3], b64);
    return n > 0 && (size_t)n < out_len ? COUNCIL_OK : COUNCIL_EBUFS;
}

int council__vkey_parse(council__vkey *out, const char *text, size_t len)
{
    const char *p1, *p2;
    uint8_t key[1 + COUNCIL__SIGN_PK_BYTES + 1];
    size_t name_len, key_len;
    char hex[9];

    memset(out, 0, sizeof *out);
    if (text == NULL)
        return COUNCIL_EFORMAT;
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--; /* a vkey file may end with a newline */
    if (len == 0 || len > COUNCIL__KEYNAME_MAX + 64)
        return COUNCIL_EFORMAT;
    p1 = memchr(text, '+', len);
    if (p1 == NULL)
        return COUNCIL_EFORMAT;
    name_len = (size_t)(p1 - text);
    p2 = memchr(p1 + 1, '+', len - name_len - 1);
    if (p2 == NULL || p2 - p1 - 1 != 8 || !name_ok(text, name_len))
        return COUNCIL_EFORMAT;
    if (b64_decode(key, sizeof key, &key_len, p2 + 1, (size_t)(text + len - p2 - 1)) != 0 ||
        key_len != 1 + COUNCIL__SIGN_PK_BYTES)
        return COUNCIL_EFORMAT;
    if (key[0] != COUNCIL__SIG_ED25519 && key[0] != COUNCIL__SIG_COSIGN)
        return COUNCIL_EFORMAT;
    memcpy(out->name, text, name_len);
    out->name[name_len] = '\0';
    out->type = key[0];
    memcpy(out->pk, key + 1, COUNCIL__SIGN_PK_BYTES);
    council__keyid(out->keyid, out->name, out->type, out->pk);
    snprintf(hex, sizeof hex, "%02x%02x%02x%02x", out->keyid[0], out->keyid[1],
             out->keyid[2], out->keyid[3]);
    if (memcmp(hex, p1 + 1, 8) != 0) {
        memset(out, 0, sizeof *out); /* a refused key leaves nothing behind */
        return COUNCIL_EFORMAT;
    }
    return COUNCIL_OK;
}

int council__checkpoint_body(char *out, size_t cap, size_t *len, const char *origin,
                             uint64_t size, const uint8_t root[COUNCIL_HASH_BYTES])
{
    char b64[64];
    int n;

    sodium_bin2base64(b64, sizeof b64, root, COUNCIL_HASH_BYTES, sodium_base64_VARIANT_ORIGINAL);
    n = snprintf(out, cap, "%s\n%llu\n%s\n", origin, (unsigned long long)size, b64);
    if (n <= 0 || (size_t)n >= cap)
        return COUNCIL_EBUFS;
    *len = (size_t)n;
    return COUNCIL_OK;
}

/* The next line [p, nl) of [p, end); NULL when there is no newline. */
static const char *line_end(const char *p, const char *end)
{
    return memchr(p, '\n', (size_t)(end - p));
}

/* Body length (final newline included) of a note, or 0 if malformed. The
 * body and signatures are split at the first blank line. */
static size_t note_body_len(const char *note, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++)
        if (note[i] == '\n' && note[i + 1] == '\n')
            return i + 1;
    return 0;
}

/* Text rules for a note: lines of well-formed UTF-8 without control
 * characters (so no NUL or CR), each ended by a newline. */
static bool note_text_ok(const char *note, size_t len)
{
    const char *p = note, *end = note + len;

    if (len == 0 || len > COUNCIL__NOTE_MAX || note[len - 1] != '\n')
        return false;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL || !council__text_ok(p, (size_t)(nl - p)))
            return false;
        p = nl + 1;
    }
    return true;
}

int council__checkpoint_parse(council__checkpoint *cp, const char *note, size_t len)
{
    const char *p = note, *end, *nl;
    size_t body, n;
    uint64_t size = 0;
    size_t root_len;

    memset(cp, 0, sizeof *cp);
    if (note == NULL || !note_text_ok(note, len) || (body = note_body_len(note, len)) == 0)
        return COUNCIL_EFORMAT;
    end = note + body;
    /* origin */
    nl = line_end(p, end);
    if (nl == NULL || nl == p || (size_t)(nl - p) > COUNCIL__KEYNAME_MAX)
        return COUNCIL_EFORMAT;
    memcpy(cp->origin, p, (size_t)(nl - p));
    p = nl + 1;
    /* size: decimal, no sign, no leading zero, fits 64 bits */
    nl = line_end(p, end);
    if (nl == NULL || (n = (size_t)(nl - p)) == 0 || n > 20 || (n > 1 && p[0] == '0'))
        return COUNCIL_EFORMAT;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(p[i] - '0');
        if (d > 9 || size > (UINT64_MAX - d) / 10)
            return COUNCIL_EFORMAT;
        size = size * 10 + d;
    }
    p = nl + 1;
    /* root */
    nl = line_end(p, end);
    if (nl == NULL || b64_decode(cp->root, sizeof cp->root, &root_len, p, (size_t)(nl - p)) != 0 ||
        root_len != COUNCIL_HASH_BYTES)
        return COUNCIL_EFORMAT;
    /* Extension lines (if any) are covered by the signatures; none empty. */
    for (p = nl + 1; p < end; p = nl + 1) {
        nl = line_end(p, end);
        if (nl == NULL || nl == p)
            return COUNCIL_EFORMAT;
    }
    cp->size = size;
    cp->body_len = body;
    return COUNCIL_OK;
}

int council__note_sign(council_buf *out, const char *body, size_t body_len, const char *name,
                       const council__secret *sk, const uint8_t pk[COUNCIL__SIGN_PK_BYTES])
{
    uint8_t value[4 + ED_SIG];
    char b64[B64_MAX + 4];
    size_t name_len = strlen(name), b64_len, total;
    uint8_t *p;

    out->ptr = NULL;
    out->len = 0;
    if (!name_ok(name, name_len) || body_len == 0 || body_len > COUNCIL__NOTE_MAX / 2 ||
        body[body_len - 1] != '\n')
        return COUNCIL_EINVAL;
    council__keyid(value, name, COUNCIL__SIG_ED25519, pk);
    council__secret_read(sk);
    crypto_sign_ed25519_detached(value + 4, NULL, (const uint8_t *)body, body_len, sk->p);
    council__secret_lock(sk);
    sodium_bin2base64(b64, sizeof b64, value, sizeof value, sodium_base64_VARIANT_ORIGINAL);
    b64_len = strlen(b64);
    total = body_len + 1 + DASH_LEN + name_len + 1 + b64_len + 1;
    p = council__malloc(total);
    if (p == NULL)
        return COUNCIL_ENOMEM;
    memcpy(p, body, body_len);
    p[body_len] = '\n';
    memcpy(p + body_len + 1, dash, DASH_LEN);
    memcpy(p + body_len + 1 + DASH_LEN, name, name_len);
    p[body_len + 1 + DASH_LEN + name_len] = ' ';
    memcpy(p + body_len + 2 + DASH_LEN + name_len, b64, b64_len);
    p[total - 1] = '\n';
    out->ptr = p;
    out->len = total;
    return COUNCIL_OK;
}

/* The cosignature/v1 message for a body at time t. */
static int cosign_message(uint8_t *msg, size_t cap, size_t *len, const char *body,
                          size_t body_len, uint64_t t)
{
    int n = snprintf((char *)msg, cap, "cosignature/v1\ntime %llu\n", (unsigned long long)t);

    if (n <= 0 || (size_t)n + body_len > cap)
        return COUNCIL_ELIMIT;
    memcpy(msg + n, body, body_len);
    *len = (size_t)n + body_len;
    return COUNCIL_OK;
}

int council__note_verify(const char *note, size_t len, const council__vkey *log,
                         const council__vkey *witnesses, size_t n_witnesses, size_t *cosigs)
{
    uint8_t seen[COUNCIL__NOTE_SIGS_MAX];
    uint8_t msg[COUNCIL__NOTE_MAX + 64];
    const char *p, *end = note + len, *nl, *sp;
    size_t body, nsigs = 0, valid_witness = 0;
    bool log_ok = false;

    if (cosigs != NULL)
        *cosigs = 0;
    if (note == NULL || !note_text_ok(note, len) || (body = note_body_len(note, len)) == 0 ||
        n_witnesses > COUNCIL__NOTE_SIGS_MAX)
        return COUNCIL_EFORMAT;
    memset(seen, 0, sizeof seen);
    for (p = note + body + 1; p < end; p = nl + 1) {
        uint8_t value[4 + 8 + ED_SIG + 4];
        size_t vlen, name_len;

        nl = line_end(p, end);
        if (nl == NULL || ++nsigs > COUNCIL__NOTE_SIGS_MAX)
            return COUNCIL_EFORMAT;
        if ((size_t)(nl - p) <= DASH_LEN || memcmp(p, dash, DASH_LEN) != 0)
            return COUNCIL_EFORMAT;
        p += DASH_LEN;
        sp = memchr(p, ' ', (size_t)(nl - p));
        if (sp == NULL || !name_ok(p, (size_t)(sp - p)))
            return COUNCIL_EFORMAT;
        name_len = (size_t)(sp - p);
        if (b64_decode(value, sizeof value, &vlen, sp + 1, (size_t)(nl - sp - 1)) != 0 || vlen < 5)
            return COUNCIL_EFORMAT;
        /* The log's own signature. */
        if (log != NULL && name_len == strlen(log->name) && memcmp(p, log->name, name_len) == 0 &&
            vlen == 4 + ED_SIG && memcmp(value, log->keyid, 4) == 0 &&
            crypto_sign_ed25519_verify_detached(value + 4, (const uint8_t *)note, body, log->pk) == 0)
            log_ok = true;
        /* Witness cosignatures: each witness counted once. */
        for (size_t w = 0; w < n_witnesses; w++) {
            const council__vkey *wk = &witnesses[w];
            uint64_t t = 0;
            size_t mlen;

            if (seen[w] || wk->type != COUNCIL__SIG_COSIGN || vlen != 4 + 8 + ED_SIG ||
                name_len != strlen(wk->name) || memcmp(p, wk->name, name_len) != 0 ||
                memcmp(value, wk->keyid, 4) != 0)
                continue;
            for (int i = 0; i < 8; i++)
                t = (t << 8) | value[4 + i];
            if (t > (uint64_t)INT64_MAX ||
                cosign_message(msg, sizeof msg, &mlen, note, body, t) != COUNCIL_OK)
                continue;
            if (crypto_sign_ed25519_verify_detached(value + 12, msg, mlen, wk->pk) == 0) {
                seen[w] = 1;
                valid_witness++;
            }
        }
    }
    if (nsigs == 0)
        return COUNCIL_EFORMAT;
    if (cosigs != NULL)
        *cosigs = valid_witness;
    return log_ok ? COUNCIL_OK : COUNCIL_ETAMPER;
}

int council__note_cosign(council_buf *out, const char *note, size_t len, const char *name,
                         const uint8_t sk[COUNCIL__SIGN_SK_BYTES], uint64_t timestamp)
{
    uint8_t msg[COUNCIL__NOTE_MAX + 64], value[4 + 8 + ED_SIG], pk[COUNCIL__SIGN_PK_BYTES];
    char b64[B64_MAX + 4];
    size_t body, mlen, name_len = strlen(name), b64_len, total;
    uint8_t *p;
    int rc;

    out->ptr = NULL;
    out->len = 0;
    if (note == NULL || !note_text_ok(note, len) || (body = note_body_len(note, len)) == 0)
        return COUNCIL_EFORMAT;
    if (!name_ok(name, name_len) || timestamp > (uint64_t)INT64_MAX)
        return COUNCIL_EINVAL;
    if ((rc = cosign_message(msg, sizeof msg, &mlen, note, body, timestamp)) != COUNCIL_OK)
        return rc;
    crypto_sign_ed25519_sk_to_pk(pk, sk);
    council__keyid(value, name, COUNCIL__SIG_COSIGN, pk);
    for (int i = 0; i < 8; i++)
        value[4 + i] = (uint8_t)(timestamp >> (56 - 8 * i));
    crypto_sign_ed25519_detached(value + 12, NULL, msg, mlen, sk);
    sodium_bin2base64(b64, sizeof b64, value, sizeof value, sodium_base64_VARIANT_ORIGINAL);
    b64_len = strlen(b64);
    total = len + DASH_LEN + name_len + 1 + b64_len + 1;
    if (total > COUNCIL__NOTE_MAX)
        return COUNCIL_ELIMIT;
    p = council__malloc(total);
    if (p == NULL)
        return COUNCIL_ENOMEM;
    memcpy(p, note, len);
    memcpy(p + len, dash, DASH_LEN);
    memcpy(p + len + DASH_LEN, name, name_len);
    p[len + DASH_LEN + name_len] = ' ';
    memcpy(p + len + DASH_LEN + name_len + 1, b64, b64_len);
    p[total - 1] = '\n';
    out->ptr = p;
    out->len = total;
    return COUNCIL_OK;
}
