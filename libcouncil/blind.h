/*
 * blind.h - the blind index's folding and tokens.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_BLIND_H
#define COUNCIL_BLIND_H

#include "council_int.h"

/* The blind index: a name folded for comparison (NFKC, case folded,
 * hiragana as katakana, white space and middle dots removed) into a new
 * NUL-terminated string; EINVAL for invalid UTF-8 or nothing left. */
int council__name_fold(council *c, char **out, const char *name, size_t len);
#define COUNCIL__BLIND_NAME 1
#define COUNCIL__BLIND_NAME_BIRTH 3 /* the folded name, "\n", the birth date */
#define COUNCIL__BLIND_TOKEN_BITS 16
/* Truncated keyed hash (c->bix) of already normalised bytes. */
int council__blind_token(council *c, uint32_t *token, int kind, const uint8_t *data, size_t len);

#endif /* COUNCIL_BLIND_H */
