/*
 * scope.h - the scope catalogue (domain).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_SCOPE_H
#define COUNCIL_SCOPE_H

#include "council_int.h"

/* Is `scope` a code in the catalogue (scope.c)? EINVAL, ENOTFOUND, EIO. */
int council__scope_known(council *c, const char *op, const char *scope);

#endif /* COUNCIL_SCOPE_H */
