/*
 * attest.h - signed rows, tamper findings and case-owner proofs (domain).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_ATTEST_H
#define COUNCIL_ATTEST_H

#include "council_int.h"
#include "log.h"

/* Rows that decide access, signed: by the log key in the secretariat's
 * sessions (signer all zeros), by the member's signing key in a staff
 * session (signer = its member). Sign: EDENIED when the session has no
 * signing key, ERROR for a bad kind or a failed signature. */
int council__attest_sign(council *c, const char *kind, const uint8_t *msg, size_t len,
                         uint8_t signer[COUNCIL_ID_BYTES], uint8_t sig[64]);
/* Check: COUNCIL_OK, or COUNCIL_ETAMPER (no message) for a missing,
 * damaged or foreign signature or a signer the key directory does not
 * vouch for; EIO. */
int council__attest_check(council *c, const char *kind, const uint8_t *msg, size_t len,
                          const uint8_t *signer, size_t signer_len, const uint8_t *sig,
                          size_t sig_len);
/* A tamper finding on the record (reason code; case, scope, member may be
 * NULL), in the caller's transaction; held aside like a refusal so it is
 * logged even if the caller rolls back. Errors of the append. */
int council__tamper(council *c, const uint8_t *case_id, const char *scope,
                    const uint8_t *member, const char *reason);
/* council__log_scan (log.h) over the events below `size` (later ones are
 * checked too, not passed to fn), with the tamper finding it names
 * (log_event_edited, log_events_deleted) recorded, the ETAMPER and its
 * message kept: the walk for work that must not miss an event the insider
 * hid (person.c, provision.c, evidence.c, report_issued.c). */
int council__log_walk_checked(council *c, const char *op, uint64_t size, council__log_scan_fn fn,
                              void *ctx);
/* A case id that commits to its owner and body (BLAKE2b of council, owner,
 * nonce, body with the UUID v8 bits set). Cannot fail. */
void council__case_id_derive(const council *c, uint8_t id[COUNCIL_ID_BYTES],
                             const uint8_t owner[COUNCIL_ID_BYTES],
                             const uint8_t nonce[COUNCIL_ID_BYTES], int32_t body);
/* Does proof (the id's nonce, or for older cases the council's signature)
 * tie case_id to owner, and (for ids made since the body is bound) to body? */
bool council__case_owner_ok(const council *c, const uint8_t case_id[COUNCIL_ID_BYTES],
                            const uint8_t owner[COUNCIL_ID_BYTES], int32_t body,
                            const uint8_t *proof, size_t len);
/* The council's signature on a case's owner, for cases from before owner
 * proofs: EDENIED without the log key, ERROR. */
int council__case_owner_sign(council *c, uint8_t sig[64], const uint8_t case_id[COUNCIL_ID_BYTES],
                             const uint8_t owner[COUNCIL_ID_BYTES]);

#endif /* COUNCIL_ATTEST_H */
