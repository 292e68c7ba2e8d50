/*
 * event.c - the audit event as data (pure): audit codes, and the magic
 * that opens an export file.
 */
#include <string.h>

#include "council_int.h"
#include "event.h"

const uint8_t council__export_magic[8] = { 0x89, 'C', 'A', 'X', '\r', '\n', 0x1a, '\n' };

/* A code of the audit log and the catalogue: [a-z0-9_]{1,64}. */
bool council__audit_code_ok(const char *s)
{
    size_t n = 0;

    if (s == NULL)
        return false;
    for (; s[n] != '\0'; n++) {
        char ch = s[n];
        if (n >= COUNCIL__AUDIT_CODE_MAX ||
            !((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
            return false;
    }
    return n > 0;
}
