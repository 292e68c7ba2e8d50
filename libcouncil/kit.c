/*
 * kit.c - the integrator's kit (pure layer): UUID text to and from the
 * 16-byte ids, and the wiping protobuf-c allocator for decoding results.
 */
#include <string.h>

#include "council_int.h"

/* The hyphens of 8-4-4-4-12. */
static int is_dash_at(size_t i)
{
    return i == 8 || i == 13 || i == 18 || i == 23;
}

static int hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

int council_uuid_parse(uint8_t *id, size_t id_len, const char *text)
{
    uint8_t out[COUNCIL_ID_BYTES];
    size_t i, k = 0;

    if (id == NULL || text == NULL)
        return COUNCIL_EMISUSE;
    if (id_len != COUNCIL_ID_BYTES)
        return COUNCIL_EINVAL;
    memset(id, 0, id_len);
    for (i = 0; i < 36; i++) {
        int hi, lo;

        if (text[i] == '\0')
            return COUNCIL_EINVAL;
        if (is_dash_at(i)) {
            if (text[i] != '-')
                return COUNCIL_EINVAL;
            continue;
        }
        if (text[i + 1] == '\0' || (hi = hex_digit(text[i])) < 0 ||
            (lo = hex_digit(text[i + 1])) < 0)
            return COUNCIL_EINVAL;
        out[k++] = (uint8_t)(hi << 4 | lo);
        i++;
    }
    if (text[36] != '\0')
        return COUNCIL_EINVAL;
    memcpy(id, out, sizeof out);
    return COUNCIL_OK;
}

int council_uuid_format(char *text, size_t text_len, const uint8_t *id, size_t id_len)
{
    static const char digits[] = "0123456789abcdef";
    size_t i, k = 0;

    if (text == NULL || id == NULL)
        return COUNCIL_EMISUSE;
    if (text_len > 0)
        text[0] = '\0';
    if (id_len != COUNCIL_ID_BYTES)
        return COUNCIL_EINVAL;
    if (text_len < COUNCIL_UUID_TEXT_BYTES)
        return COUNCIL_EBUFS;
    for (i = 0; i < COUNCIL_ID_BYTES; i++) {
        if (is_dash_at(k))
            text[k++] = '-';
        text[k++] = digits[id[i] >> 4];
        text[k++] = digits[id[i] & 15];
    }
    text[k] = '\0';
    return COUNCIL_OK;
}

void *council_protobuf_allocator(void)
{
    return council__pb_wiping_allocator();
}
