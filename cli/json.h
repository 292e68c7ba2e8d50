/*
 * json.h - printing JSON, and the pieces of protobuf messages (ids,
 * times, lists) every command's JSON is made of.
 */
#ifndef COUNCIL_CLI_JSON_H
#define COUNCIL_CLI_JSON_H

#include <stdint.h>

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

#include "council.h"

/* Unpacks messages that hold case content: what it frees is wiped. The
 * library's own (council_protobuf_allocator()), as integrators use it. */
static inline ProtobufCAllocator *wiping(void)
{
    return council_protobuf_allocator();
}

/* The message of type d a library call returned in buf, when *rc is
 * COUNCIL_OK: a new message, or NULL with *rc COUNCIL_EFORMAT. NULL when
 * *rc is not COUNCIL_OK. */
void *unpack_reply(const ProtobufCMessageDescriptor *d, const council_buf *buf, int *rc);

/* Print j (indented, in order) and free it: 0, or EXIT_FAILURE. */
int print_json(json_t *j);
/* The same for JSON that may hold case content: the text is wiped after. */
int print_json_wiped(json_t *j);
/* A 16-byte id from a message as UUID text, or "-". */
const char *id_of(char out[37], ProtobufCBinaryData b);
/* ... as a JSON string, or null. */
json_t *id_json(ProtobufCBinaryData b);
/* A time as a JSON string, YYYY-MM-DDTHH:MM:SSZ. */
json_t *time_json(int64_t when);
/* A new record's id: the bare id on one line, or with json the object
 * {"KEY": "ID"}: 0, or EXIT_FAILURE. */
int print_new_id(int json, const char *key, const char *id);
/* A JSON array of the strings. */
json_t *str_array_json(char **v, size_t n);

#endif
