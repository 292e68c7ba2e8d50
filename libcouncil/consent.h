/*
 * consent.h - the consent ledger and the policy configuration (domain).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_CONSENT_H
#define COUNCIL_CONSENT_H

#include "council_int.h"

int council__grants_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES]);
/* A case's consent records with their status as of now (consent.c); free
 * with council__v1__consent_list__free_unpacked(l, council__pb_allocator()). */
struct Council__V1__ConsentList;
int council__consent_records(council *c, const char *op, const uint8_t case_id[16],
                             struct Council__V1__ConsentList **out);
/* Parse and check a stored consent record (size cap, unknown fields,
 * lengths, codes): EFORMAT, ENOMEM. *out (if not NULL) receives it, freed
 * with council__v1__consent_record__free_unpacked(m, council__pb_allocator()).
 * For the fuzzer and the ledger. */
struct Council__V1__ConsentRecord;
int council__consent_record_check(council *c, const uint8_t *buf, size_t len,
                                  struct Council__V1__ConsentRecord **out);
/* The council's policy configuration: the defaults, overridden by what
 * council_policy_set() stored (EFORMAT for a damaged one). */
struct council__policy_config;
/* The stored policy, signed by the secretariat at its first session (consent.c). */
int council__policy_upgrade(council *c);
/* Consent grants from before, signed at the secretariat's first session (consent.c). */
int council__consent_upgrade(council *c);
/* A case's consent records, withdrawals and grants, gone with its erasure. */
int council__consent_erase(council *c, const char *op, const uint8_t case_id[16]);
int council__policy_load(council *c, const char *op, struct council__policy_config *cfg);
/* Parse a stored policy (the setting 'policy', a council.v1.Policy of 1 to
 * 4096 bytes) into cfg, over the defaults it already holds: EFORMAT (named
 * for op, cfg unchanged) for a damaged one. For the fuzzer and the loader. */
int council__policy_parse(council *c, const char *op, struct council__policy_config *cfg,
                          const uint8_t *buf, size_t len);

#endif /* COUNCIL_CONSENT_H */
