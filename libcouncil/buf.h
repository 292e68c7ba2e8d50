/*
 * buf.h - the shared growable output buffer (pure layer), wiped when
 * dropped: bytes, protobuf wire pieces and text built up in one place and
 * handed out as a council_buf. A failed allocation is sticky: later calls
 * do nothing and council__buf_out() reports ENOMEM once.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_BUF_H
#define COUNCIL_BUF_H

#include "council_int.h"

struct ProtobufCMessage;

typedef struct council__buf {
    uint8_t *p;
    size_t len, cap;
    bool failed; /* an allocation failed: the content is incomplete */
} council__buf;

#define COUNCIL__BUF_INIT { NULL, 0, 0, false }

/* Wipe (the whole capacity) and free the bytes; the buffer is empty and
 * usable again. NULL-safe on an empty buffer. */
void council__buf_free(council__buf *b);
/* Room for n more bytes at the end (len grows by n): a pointer to them, or
 * NULL (and b->failed set) when memory runs out. Old bytes are wiped when
 * the buffer moves. */
uint8_t *council__buf_grow(council__buf *b, size_t n);
/* Append n bytes (nothing on failure). */
void council__buf_put(council__buf *b, const void *src, size_t n);
/* Append a string; the bytes after len hold a NUL, so b->p reads as a C
 * string while only text is put (not counted in len). */
void council__buf_text(council__buf *b, const char *s);
/* Protobuf wire pieces: a base-128 varint; a length-delimited field (tag,
 * length, bytes); a whole message packed in place. */
void council__buf_varint(council__buf *b, uint64_t v);
void council__buf_field(council__buf *b, uint32_t field, const uint8_t *p, size_t n);
void council__buf_message(council__buf *b, const struct ProtobufCMessage *m);
/* Hand the bytes over to out (the buffer is left empty; an empty result is
 * a 1-byte allocation of length 0). ENOMEM, named for op, when an
 * allocation failed on the way (the buffer is then wiped and freed). */
int council__buf_out(council *c, const char *op, council__buf *b, council_buf *out);

/* Growable arrays: room for item n of arr (n items in use, *cap allocated,
 * each `size` bytes). Returns arr while it has room, else a new array of
 * twice the capacity (16 at first) with the n items copied and arr freed,
 * *cap updated; NULL (arr untouched, still the caller's) when memory runs
 * out or the size overflows. Items past n are zero in a new array. */
void *council__grow(void *arr, size_t *cap, size_t n, size_t size);

#endif /* COUNCIL_BUF_H */
