/*
 * meeting.h - meetings and their agenda (domain).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_MEETING_H
#define COUNCIL_MEETING_H

#include "council_int.h"

/* Meetings and agenda items from before, signed at the secretariat's first session. */
int council__meeting_upgrade(council *c);

/* Is decision (16 bytes) a decision of a meeting that the secretariat
 * recorded (its row signed), about case_id when case_id is not NULL? For
 * the council's work built on decisions (tasks, referrals a decision
 * creates). COUNCIL_OK; ENOTFOUND (no such decision, or about another
 * case or none); ETAMPER (the row was changed outside the library: logged);
 * EINVAL (NULL); EIO, named for op. Reads no text, logs nothing else. */
int council__meeting_decision_check(council *c, const char *op, const uint8_t decision[16],
                                    const uint8_t *case_id);

#endif /* COUNCIL_MEETING_H */
