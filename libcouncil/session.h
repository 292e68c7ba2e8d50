/*
 * session.h - the session and its actor (log layer): who may act, and as whom events name it.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_SESSION_H
#define COUNCIL_SESSION_H

#include "council_int.h"
#include "event.h"

/* Only the secretariat's (root-key) session may do `op`: EDENIED for a
 * staff session. Staff sessions are re-checked (still active) here too. */
int council__root_only(council *c, const char *op);
/* A root-only operation on one record: the handle, the session and a
 * 16-byte id checked (EMISUSE, EDENIED, EINVAL). */
int council__root_id(council *c, const char *op, const uint8_t *id, size_t len);
/* A staff session's standing, re-read on each call: EDENIED (and the
 * handle closed for further use) once the staff retired or the member
 * withdrew. COUNCIL_OK for root sessions. */
int council__actor_ok(council *c, const char *op);

/* Is this the secretariat's (root) session? */
bool council__is_root(const council *c);
/* Fill an event's actor from the session (the secretariat, or its staff). */
void council__event_actor(const council *c, council__event *ev);

#endif /* COUNCIL_SESSION_H */
