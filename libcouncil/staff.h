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

/* May this staff member act for this member (whose session holds box_pk)
 * now? COUNCIL_OK with *reason NULL, or COUNCIL_OK with a refusal reason
 * code and its text (*why); EIO ("open: cannot read the staff records"),
 * or ETAMPER for a staff, pledge or register row the secretariat did not
 * sign. The staff session's standing (council.c's c->standing hook). */
int council__staff_standing(council *c, const uint8_t member[COUNCIL_ID_BYTES],
                            const uint8_t staff[COUNCIL_ID_BYTES], const uint8_t box_pk[32],
                            const char **reason, const char **why);
/* Is id a staff record (retired or not)? EIO named for op. */
int council__staff_exists(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES], bool *yes);

/* Is id a staff record not retired? false as well when the register cannot
 * be read (the caller refuses either way). */
bool council__staff_in_service(council *c, const uint8_t id[COUNCIL_ID_BYTES]);

/* Staff member id's member, from its row as the secretariat signed it
 * (ETAMPER, logged, otherwise); *active: not retired; *pledged: a signed
 * pledge exists. ENOTFOUND, EIO named for op. */
int council__staff_member(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                          uint8_t member[COUNCIL_ID_BYTES], bool *active, bool *pledged);
#endif /* COUNCIL_STAFF_H */
