/*
 * text.c - the CLI's parsers of small texts, and its wiping of memory
 * (see text.h).
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <uuid/uuid.h>

#include "text.h"

void wipe(void *p, size_t n)
{
    sodium_memzero(p, n);
}

void wiping_free(void *p)
{
    if (p != NULL) {
        sodium_memzero(p, malloc_usable_size(p));
        free(p);
    }
}

int hexval(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* Exactly 2n hex digits of text (len bytes) into n bytes: 0, or -1. */
static int hex_exact(uint8_t *out, size_t n, const char *text, size_t len)
{
    const char *end = NULL;
    size_t got = 0;

    if (len != 2 * n)
        return -1;
    if (sodium_hex2bin(out, n, text, len, NULL, &got, &end) != 0 || got != n ||
        end != text + len)
        return -1;
    return 0;
}

int hex_bytes(const char *s, uint8_t *out, size_t n)
{
    return hex_exact(out, n, s, strlen(s));
}

int uuid_bytes(const char *s, uint8_t out[16])
{
    char hex[33];
    size_t k = 0;

    if (strlen(s) == 36 && uuid_parse(s, out) == 0)
        return 0;
    /* Also without dashes, or with them elsewhere: 32 hex digits. */
    for (; *s != '\0' && k < 32; s++)
        if (*s != '-')
            hex[k++] = *s;
    return *s == '\0' ? hex_exact(out, 16, hex, k) : -1;
}

const char *enum_name(const ProtobufCEnumDescriptor *d, const char *prefix, int v,
                      char *buf, size_t n)
{
    const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(d, v);
    const char *up;
    size_t i;

    if (ev == NULL || n == 0)
        return "unknown";
    up = ev->name + strlen(prefix);
    for (i = 0; up[i] != '\0' && i + 1 < n; i++)
        buf[i] = (char)(up[i] >= 'A' && up[i] <= 'Z' ? up[i] - 'A' + 'a' : up[i]);
    buf[i] = '\0';
    return buf;
}

int enum_value(const ProtobufCEnumDescriptor *d, const char *prefix, const char *name)
{
    char buf[64];

    for (unsigned i = 0; i < d->n_values; i++)
        if (d->values[i].value != 0 &&
            strcmp(enum_name(d, prefix, d->values[i].value, buf, sizeof buf), name) == 0)
            return d->values[i].value;
    return 0;
}

size_t secret_text_trim(const char *buf, size_t n)
{
    if (n > 0 && buf[n - 1] == '\n')
        n--;
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    return n;
}

int root_key_text(uint8_t key[ROOT_KEY_TEXT_BYTES], const char *text, size_t len)
{
    if (len != 2 * ROOT_KEY_TEXT_BYTES)
        return -1;
    if (hex_exact(key, ROOT_KEY_TEXT_BYTES, text, len) != 0) {
        sodium_memzero(key, ROOT_KEY_TEXT_BYTES);
        return -2;
    }
    return 0;
}

int witness_key_text(uint8_t sk[WITNESS_KEY_TEXT_BYTES], const char *text, size_t len)
{
    size_t n = 0;

    while (n < len && text[n] != '\0' && text[n] != '\r' && text[n] != '\n')
        n++;
    if (n != 2 * WITNESS_KEY_TEXT_BYTES)
        return -1;
    if (hex_exact(sk, WITNESS_KEY_TEXT_BYTES, text, n) != 0) {
        sodium_memzero(sk, WITNESS_KEY_TEXT_BYTES);
        return -1;
    }
    return 0;
}
