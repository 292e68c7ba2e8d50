/*
 * json.c - printing JSON, and the pieces of protobuf messages (ids,
 * times, lists) every command's JSON is made of (see json.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "json.h"
#include "text.h"
#include "util.h"

void *unpack_reply(const ProtobufCMessageDescriptor *d, const council_buf *buf, int *rc)
{
    void *m;

    if (*rc != COUNCIL_OK)
        return NULL;
    if ((m = protobuf_c_message_unpack(d, NULL, buf->len, buf->ptr)) == NULL)
        *rc = COUNCIL_EFORMAT;
    return m;
}

/* Print JSON that may hold case content; the text is wiped after. */
int print_json_wiped(json_t *j)
{
    char *text = j != NULL ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    int rc = text != NULL && printf("%s\n", text) > 0 ? 0 : EXIT_FAILURE;

    wiping_free(text);
    json_decref(j);
    return rc;
}

/* A 16-byte id from a message as UUID text, or "-". */
const char *id_of(char out[37], ProtobufCBinaryData b)
{
    if (b.len != COUNCIL_ID_BYTES || b.data == NULL)
        snprintf(out, 37, "-");
    else
        uuid_text_of(out, b.data);
    return out;
}

json_t *id_json(ProtobufCBinaryData b)
{
    char t[37];

    return b.len == COUNCIL_ID_BYTES ? json_string(id_of(t, b)) : json_null();
}

json_t *time_json(int64_t when)
{
    char t[32];

    time_text(t, sizeof t, when);
    return json_string(t);
}

int print_json(json_t *j)
{
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    int rc = text != NULL && printf("%s\n", text) > 0 ? 0 : EXIT_FAILURE;

    free(text);
    json_decref(j);
    return rc;
}

json_t *str_array_json(char **v, size_t n)
{
    json_t *a = json_array();

    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}


int print_new_id(int json, const char *key, const char *id)
{
    json_t *j;

    if (!json)
        return printf("%s\n", id) > 0 ? 0 : EXIT_FAILURE;
    j = json_object();
    json_object_set_new(j, key, json_string(id));
    return print_json(j);
}
