/*
 * lifecycle.h - what council.c (the council's lifecycle: create, open,
 * close, the council row) offers other modules (domain). Named so, not
 * council.h, which is the public header. Owns the table council.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_LIFECYCLE_H
#define COUNCIL_LIFECYCLE_H

#include "council_int.h"

/* The council's name, council__malloc'd (the caller frees it), or NULL
 * when it cannot be read (the caller reports EIO) or memory runs out. */
char *council__council_name(council *c);

#endif /* COUNCIL_LIFECYCLE_H */
