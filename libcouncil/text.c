/*
 * text.c - text and date checks (pure): well-formed UTF-8 without control
 * characters, text arguments of a bounded length, calendar dates.
 */
#include <string.h>

#include "council_int.h"
#include "text.h"

/* Well-formed UTF-8 without control characters. */
bool council__text_ok(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;

    while (p < end) {
        unsigned char b = *p;
        size_t n;
        uint32_t cp;

        if (b < 0x80) {
            if (b < 0x20 || b == 0x7f)
                return false;
            p++;
            continue;
        }
        if (b >= 0xc2 && b <= 0xdf) { n = 1; cp = b & 0x1fu; }
        else if (b >= 0xe0 && b <= 0xef) { n = 2; cp = b & 0x0fu; }
        else if (b >= 0xf0 && b <= 0xf4) { n = 3; cp = b & 0x07u; }
        else return false;
        if ((size_t)(end - p) <= n)
            return false;
        for (size_t i = 1; i <= n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3fu);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        p += n + 1;
    }
    return true;
}

bool council__text_arg(const char *s, size_t max)
{
    size_t n;

    return s != NULL && (n = strlen(s)) > 0 && n <= max && council__text_ok(s, n);
}

bool council__date_ok(const char *s)
{
    static const unsigned char mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    unsigned y = 0, m, d;

    if (s == NULL)
        return false;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    for (int i = 0; i < 4; i++)
        y = y * 10 + (unsigned)(s[i] - '0');
    m = (unsigned)(s[5] - '0') * 10 + (unsigned)(s[6] - '0');
    d = (unsigned)(s[8] - '0') * 10 + (unsigned)(s[9] - '0');
    if (y < 1850 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    return !(m == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0)));
}
