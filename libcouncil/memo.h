/*
 * memo.h - sealed memos (domain): the free text of the council's work that
 * is as sensitive as a case section (a referral's note, an answer's
 * opinion, a meeting's minutes and decisions, the written reason of a
 * decline). Owns the tables memo and memo_wrap.
 *
 * A memo is encrypted (XChaCha20-Poly1305) under a key of its own, bound
 * to the council, the memo's id, its kind, the object it belongs to and
 * its case; the key is sealed (crypto_box_seal, as a data key is) to each
 * reader's box key that the key directory signs, each copy carrying a
 * holder tag under the memo key, so nobody who cannot open the memo can
 * add a reader. The coordinating body always holds a copy (the secretariat
 * and the coordinating body read every memo of the council's work). The
 * memo's row is signed by whoever wrote it (attest kind "memo"), so a row
 * put in by the insider is refused as forged. Reading a memo is the
 * caller's event: log it (log first) before returning the text.
 *
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_MEMO_H
#define COUNCIL_MEMO_H

#include "council_int.h"

/* The longest memo text, in bytes. */
#define COUNCIL__MEMO_MAX (64 * 1024)
/* Most readers a memo is sealed to at once (besides the coordinating body
 * and the writer's member). */
#define COUNCIL__MEMO_READERS_MAX 64

/*
 * Seal text (1..COUNCIL__MEMO_MAX bytes of UTF-8; the caller checks the
 * text) as a new memo of `kind` (a code [a-z0-9_]{1,64}, such as
 * "referral_note") about `object` (16 bytes: the referral, request,
 * meeting or decision) and case_id (16 bytes, or NULL). It is sealed to
 * the coordinating body, to the session's own member (a staff session) and
 * to each of readers (n_readers member ids, each active with a box key the
 * directory signs). id receives the memo's id. In the caller's
 * transaction (no event: the caller's act is the event).
 * @return COUNCIL_OK; EINVAL (kind, size, readers); EDENIED (a reader
 *         withdrawn or without keys); EAUTH (a reader's key not signed);
 *         EUNSUPPORTED (the coordinating body's key is not signed);
 *         EIO; ENOMEM.
 */
int council__memo_seal(council *c, const char *op, uint8_t id[COUNCIL_ID_BYTES], const char *kind,
                       const uint8_t object[COUNCIL_ID_BYTES], const uint8_t *case_id,
                       const uint8_t (*readers)[COUNCIL_ID_BYTES], size_t n_readers,
                       const uint8_t *text, size_t len);

/*
 * Open memo id for this session into out (a council_buf the caller
 * frees with council_buf_free, which wipes it; NUL-terminated, len
 * excludes the NUL). kind and object must be what the memo was sealed as,
 * and case_id (or NULL) its case.
 * @return COUNCIL_OK; ENOTFOUND (no such memo); EDENIED (the session holds
 *         no copy); ETAMPER (the row's signature fails, or it names
 *         another kind, object or case: logged as a tamper finding);
 *         EAUTH (a copy or the text does not open); EIO; ENOMEM.
 */
int council__memo_open(council *c, const char *op, council_buf *out,
                       const uint8_t id[COUNCIL_ID_BYTES], const char *kind,
                       const uint8_t object[COUNCIL_ID_BYTES], const uint8_t *case_id);

/* Is member a reader of memo id (holds a copy its tag vouches for)? The
 * session must be able to open the memo (EDENIED otherwise). */
int council__memo_reader(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                         const uint8_t member[COUNCIL_ID_BYTES], bool *yes);

/* Give member (active, signed key) a copy of memo id: the session must be
 * able to open it (EDENIED otherwise). Codes as council__memo_seal. */
int council__memo_grant(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                        const uint8_t member[COUNCIL_ID_BYTES]);

/* Destroy member's copy of memo id (a referral declined or withdrawn).
 * EIO named for op. */
int council__memo_drop(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                       const uint8_t member[COUNCIL_ID_BYTES]);

/* Every memo of a case, and every copy, destroyed (the case's erasure).
 * EIO named for op. */
int council__memo_erase_case(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES]);

/* A member withdrew: its copies are destroyed. EIO named for op. */
int council__memo_member_left(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES]);

/* A member's box key changed (root session): its copies are sealed again
 * to box_pk, each carried over only if its tag vouches for it (a forged
 * copy is logged and passed over). EIO, EAUTH. */
int council__memo_member_rekeyed(council *c, const uint8_t member[COUNCIL_ID_BYTES],
                                 const uint8_t box_pk[32]);

/* Before a member's signing key is replaced or removed (key replacement,
 * withdrawal; a secretariat session): the memos it signed, where the
 * signature still checks, are signed again by the council, so they stay
 * valid without its key; a row that does not check stays as it is. EIO. */
int council__memo_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES]);

/* The root key changes (rekey root): the coordinating body's copies are
 * sealed again to new_pk, beside the old ones (dropped at the next open
 * under the new key by council__memo_coord_tidy). EIO, EAUTH. */
int council__memo_coord_rewrap(council *c, const uint8_t new_pk[32]);

/* The coordinating body's copies under any key other than c->coord_pk
 * destroyed (after a root key change). EIO. */
int council__memo_coord_tidy(council *c);

#endif /* COUNCIL_MEMO_H */
