/*
 * buf.c - the shared growable output buffer (pure layer): bytes, protobuf
 * wire pieces and text, wiped whenever the memory is let go.
 */
#include <string.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>

#include "council_int.h"
#include "buf.h"

void council__buf_free(council__buf *b)
{
    if (b->p != NULL) {
        sodium_memzero(b->p, b->cap);
        council__free(b->p);
    }
    memset(b, 0, sizeof *b);
}

uint8_t *council__buf_grow(council__buf *b, size_t n)
{
    if (b->failed)
        return NULL;
    if (n > SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return NULL;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *np = council__malloc(cap);
        if (np == NULL) {
            b->failed = true;
            return NULL;
        }
        if (b->p != NULL) {
            memcpy(np, b->p, b->len);
            sodium_memzero(b->p, b->cap);
            council__free(b->p);
        }
        b->p = np;
        b->cap = cap;
    }
    b->len += n;
    return b->p + b->len - n;
}

void council__buf_put(council__buf *b, const void *src, size_t n)
{
    uint8_t *d = council__buf_grow(b, n);
    if (d != NULL && n > 0)
        memcpy(d, src, n);
}

void council__buf_text(council__buf *b, const char *s)
{
    size_t n = strlen(s);
    uint8_t *d = council__buf_grow(b, n + 1);

    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
        b->len--;
    }
}

void council__buf_varint(council__buf *b, uint64_t v)
{
    uint8_t tmp[10];
    size_t n = 0;

    do {
        tmp[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v != 0);
    council__buf_put(b, tmp, n);
}

void council__buf_field(council__buf *b, uint32_t field, const uint8_t *p, size_t n)
{
    council__buf_varint(b, (uint64_t)field << 3 | 2);
    council__buf_varint(b, n);
    council__buf_put(b, p, n);
}

void council__buf_message(council__buf *b, const ProtobufCMessage *m)
{
    size_t n = protobuf_c_message_get_packed_size(m);
    uint8_t *d = council__buf_grow(b, n);
    if (d != NULL)
        protobuf_c_message_pack(m, d);
}

int council__buf_out(council *c, const char *op, council__buf *b, council_buf *out)
{
    if (b->failed) {
        council__buf_free(b);
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    out->ptr = b->p;
    out->len = b->len;
    if (out->ptr == NULL) { /* empty message */
        out->ptr = council__malloc(1);
        if (out->ptr == NULL)
            return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    memset(b, 0, sizeof *b);
    return COUNCIL_OK;
}

void *council__grow(void *arr, size_t *cap, size_t n, size_t size)
{
    size_t ncap;
    void *na;

    if (n < *cap)
        return arr;
    ncap = *cap ? *cap * 2 : 16;
    if (size == 0 || ncap > SIZE_MAX / size || (na = council__calloc(ncap, size)) == NULL)
        return NULL;
    if (n > 0)
        memcpy(na, arr, n * size);
    council__free(arr);
    *cap = ncap;
    return na;
}
