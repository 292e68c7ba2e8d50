/*
 * meeting.h - meetings and their agenda (domain).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_MEETING_H
#define COUNCIL_MEETING_H

#include "council_int.h"

/* Meetings and agenda items from before, signed at the secretariat's first session. */
int council__meeting_upgrade(council *c);

#endif /* COUNCIL_MEETING_H */
