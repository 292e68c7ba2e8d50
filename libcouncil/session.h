/*
 * session.h - the session and its actor (log layer): who may act, and as whom events name it.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_SESSION_H
#define COUNCIL_SESSION_H

#include "council_int.h"
#include "event.h"

/* Only the secretariat may do `op`: the council passphrase's (root)
 * session, or a staff session of a member in the secretariat's role that
 * holds the role's keys. EDENIED (logged) for any other staff session.
 * Staff sessions are re-checked (still active) here too. */
int council__secretariat_only(council *c, const char *op);
/* Only the council passphrase (the root key) may do `op`: what changes the
 * root key or keys derived from it. EDENIED (logged) for staff sessions,
 * the secretariat's included. */
int council__root_key_only(council *c, const char *op);
/* A secretariat operation on one record: the handle, the session and a
 * 16-byte id checked (EMISUSE, EDENIED, EINVAL). */
int council__secretariat_id(council *c, const char *op, const uint8_t *id, size_t len);
/* A staff session's standing, re-read on each call: EDENIED (and the
 * handle closed for further use) once the staff retired or the member
 * withdrew. COUNCIL_OK for root sessions. */
int council__actor_ok(council *c, const char *op);

/* Is this the council passphrase's (root) session? Decides only what
 * needs the root key and how rows name their writer; for powers ask: */
bool council__is_root(const council *c);
/* Does the session act as the secretariat (root, or a secretariat member's
 * staff holding the log key)? */
bool council__is_secretariat(const council *c);
/* Does the session read as the coordinating body, holding its wrap key
 * (root, or staff of a member in the secretariat's or the coordinating
 * body's role)? */
bool council__is_coordinator(const council *c);
/* Fill an event's actor from the session (root, or the staff member). */
/* A refusal on the record, then rc with "op: msg": the operation's own
 * transaction rolled back first when in_txn; ev's actor filled in unless
 * set; outcome refused and error rc set here; held for the caller's batch
 * (a refusal is never forgotten). The append's error if it cannot be
 * logged. */
int council__refuse_event(council *c, bool in_txn, council__event *ev, int rc, const char *op,
                          const char *msg);
void council__event_actor(const council *c, council__event *ev);

#endif /* COUNCIL_SESSION_H */
