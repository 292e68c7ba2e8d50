/*
 * meeting.h - meetings and their agenda (domain).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_MEETING_H
#define COUNCIL_MEETING_H

#include "council_int.h"

struct Council__V1__Meeting;

/* Meetings and agenda items from before, signed at the secretariat's first session. */
int council__meeting_upgrade(council *c);

/* A meeting's row as loaded (unchecked: council__meeting_check vouches). */
typedef struct council__mtg {
    uint8_t id[COUNCIL_ID_BYTES];
    int body;
    int64_t starts, ends, closed;
} council__mtg;

/* Load meeting id: ENOTFOUND, EIO, named for op. */
int council__meeting_load(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                          council__mtg *m);
/* The meeting's row, attendees, slots and agenda items (of attendee only,
 * or all when NULL) are the ones the secretariat signed; else ETAMPER,
 * logged. EIO. */
int council__meeting_check(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                           const uint8_t *only);
/* Does member attend the meeting? EIO. */
int council__meeting_attends(council *c, const char *op, const uint8_t meeting[16],
                             const uint8_t member[16], bool *yes);
/* The meeting as a council.v1.Meeting (items of one attendee only, when
 * only is not NULL), freed with council__v1__meeting__free_unpacked and
 * council__pb_allocator(). ENOMEM. */
int council__meeting_build(council *c, const char *op, const council__mtg *m,
                           const uint8_t *only, struct Council__V1__Meeting **out);
/* Is case_id on the meeting's agenda (for member, or for anyone when
 * member is NULL)? Rows checked by council__meeting_check before. EIO. */
int council__meeting_has_item(council *c, const char *op, const uint8_t meeting[16],
                              const uint8_t case_id[16], const uint8_t *member, bool *yes);
/* The meetings with case_id on their agenda, oldest first, into *out
 * (council__calloc'd, *n of them; the caller frees it): the rows as they are
 * (the person's file, person.c, checks each with council__meeting_check).
 * EIO, ENOMEM, named for op. */
int council__meeting_ids_of_case(council *c, const char *op, const uint8_t case_id[16],
                                 uint8_t (**out)[COUNCIL_ID_BYTES], size_t *n);
/* The attendees (with a case on their agenda and its disclosure not
 * revoked since, when case_id is not NULL) that are active with a box key,
 * at most COUNCIL_CONSENT_LIST_MAX, into readers (*n of them): whom a
 * record is sealed to. EIO. */
int council__meeting_readers(council *c, const char *op, const uint8_t meeting[16],
                             const uint8_t *case_id, uint8_t (*readers)[COUNCIL_ID_BYTES],
                             size_t *n);

/* (meeting_record.c) Is decision (16 bytes) a decision of a meeting that the secretariat
 * recorded (its row signed), about case_id when case_id is not NULL? For
 * the council's work built on decisions (tasks, referrals a decision
 * creates). COUNCIL_OK; ENOTFOUND (no such decision, or about another
 * case or none); ETAMPER (the row was changed outside the library: logged);
 * EINVAL (NULL); EIO, named for op. Reads no text, logs nothing else. */
int council__meeting_decision_check(council *c, const char *op, const uint8_t decision[16],
                                    const uint8_t *case_id);

/* The attendee's meeting packet (meeting_record.c), built once: checks as
 * council_meeting_packet(), every read in it logged; its serialised
 * council.v1.MeetingPacket into *plain (council__malloc'd: the caller wipes
 * and frees it, *len bytes) and the attendee's signed box key into pk.
 * Sealed raw by council_meeting_packet(), carried in a bundle by
 * council_bundle_meeting_packet() (bundle.c). */
int council__meeting_packet_plain(council *c, const char *op, const uint8_t *meeting,
                                  size_t meeting_len, const uint8_t *attendee,
                                  size_t attendee_len, uint8_t **plain, size_t *len,
                                  uint8_t pk[32]);

#endif /* COUNCIL_MEETING_H */
