/*
 * section.h - section content checks (domain).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_SECTION_H
#define COUNCIL_SECTION_H

#include "council_int.h"

/* Check a serialised council.v1.Section for `scope` (EFORMAT, ELIMIT);
 * for the fuzzer and the write path. */
int council__section_check(council *c, const char *scope, const uint8_t *buf, size_t len);

#endif /* COUNCIL_SECTION_H */
