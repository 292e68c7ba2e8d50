/*
 * head.h - the log signer's head and checkpoints (log layer): the
 * secretariat's sessions keep a signed frontier of the log in the keyring
 * and refuse a log that no longer extends it.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_HEAD_H
#define COUNCIL_HEAD_H

#include "council_int.h"

/* The secretariat's session keeps the log signer's head (audit.c): extend
 * it over the events since, if the log still extends it (else ETAMPER, the
 * finding logged as tamper_detected). No-op for staff sessions. */
int council__audit_head_advance(council *c);
/* Does the store say the signer keeps a head (audit.c)? */
int council__audit_head_kept(council *c, bool *kept);
/* Sign a checkpoint of the log as it stands, inside the log-first
 * transaction (for the export, which logs itself first): the signed note
 * into out, the log's size into *size_out. EDENIED without the log key,
 * EIO, ENOMEM. */
int council__audit_checkpoint_in_batch(council *c, council_buf *out, uint64_t *size_out);
/* The head replaced by the whole log again, from its bytes, the reset's
 * event ev appended in the same transaction: council_audit_head_reset()
 * after its checks (audit.c). ETAMPER (logged as a finding, ev not
 * appended) for a log that is not a tree of its events; EIO; ENOMEM. */
struct council__event;
int council__audit_head_replace(council *c, const struct council__event *ev);

#endif /* COUNCIL_HEAD_H */
