/*
 * text.h - text and date checks (pure).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_TEXT_H
#define COUNCIL_TEXT_H

#include "council_int.h"

/* Well-formed UTF-8 of len bytes without control characters. */
bool council__text_ok(const char *s, size_t len);
/* A NUL-terminated text argument: 1..max bytes of council__text_ok text. */
bool council__text_arg(const char *s, size_t max);

/* A calendar date "YYYY-MM-DD" (1850 on). */
bool council__date_ok(const char *s);

#endif /* COUNCIL_TEXT_H */
