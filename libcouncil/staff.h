/*
 * staff.h - staff and secrecy pledges (domain).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_STAFF_H
#define COUNCIL_STAFF_H

#include "council_int.h"

/* Staff and pledges, signed by the secretariat (staff.c): ETAMPER (logged)
 * for a staff row it did not sign; *pledged: a pledge it signed exists. */
int council__staff_check(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                         bool *pledged);
int council__staff_upgrade(council *c);

#endif /* COUNCIL_STAFF_H */
