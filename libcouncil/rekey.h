/*
 * rekey.h - database and root re-keys (domain).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_REKEY_H
#define COUNCIL_REKEY_H

#include "council_int.h"

/* A root session's open found a re-key under way (kr->has_pending): open
 * council.db with the old key, re-key it, clear the mark. */
struct council__keyring;
int council__rekey_resume(council *c, struct council__keyring *kr);

#endif /* COUNCIL_REKEY_H */
