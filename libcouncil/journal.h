/*
 * journal.h - the refusal journal beside the store (storage).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_JOURNAL_H
#define COUNCIL_JOURNAL_H

#include "council_int.h"
#include "event.h"

#define COUNCIL__JOURNAL_FILE "council.refusals"
#define COUNCIL__JOURNAL_MAX (1u << 20) /* bytes; past it, refusals are not journaled */

/* The council's journal key pair: from the root key, or in a staff session
 * of the secretariat from the seed its role keys hold (c->journal_seed);
 * EDENIED without either. */
int council__journal_keypair(council *c, uint8_t pk[32], council__secret *sk);
/* The seed of that key pair (32 bytes, allocated here), to seal into the
 * secretariat's role keys: EDENIED without the root key or a seed. */
int council__journal_seed(council *c, council__secret *seed);
/* Append a sealed refusal record (best effort: errors are ignored, as the
 * refusal itself is what the caller returns). */
void council__journal_refusal(const char *dir, const uint8_t journal_pk[32], const char *reason,
                              const uint8_t *member_id, const uint8_t *staff_id, int error);
/* Walk a journal's bytes (u16 big-endian length || sealed record, ...):
 * each record opened with the journal key pair (sk, pk) and decoded into a
 * session_refused event for emit(); a record that does not open or decode
 * gives a journal_record_damaged event, and a damaged tail gives one and
 * ends the walk. Returns COUNCIL_OK or the first failure of emit. Touches
 * no store; for the fuzzer and council__journal_import. */
int council__journal_parse(const uint8_t *buf, size_t len, const council__secret *sk,
                           const uint8_t pk[32], int (*emit)(void *ctx, const council__event *ev),
                           void *ctx);
/* Take the journal aside (renamed council.refusals.importing, unless an
 * earlier import left one) and read it: *buf_out (council__malloc'd, the
 * caller frees it; NULL when there is no journal) and *len_out. A journal
 * that cannot be taken or read sets *problem to the reason code to log
 * and returns COUNCIL_OK. EINVAL (path too long), ENOMEM. */
int council__journal_take(council *c, uint8_t **buf_out, size_t *len_out, const char **problem);
/* Remove the imported journal: 0, or -1 (errno). */
int council__journal_remove(council *c);

#endif /* COUNCIL_JOURNAL_H */
