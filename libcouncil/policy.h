/*
 * policy.h - the council's policy configuration (domain): the defaults,
 * overridden by what council_policy_set() stored. The decision that uses
 * it is decide.h.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_POLICY_H
#define COUNCIL_POLICY_H

#include "council_int.h"

struct council__policy_config;
/* The stored policy over the defaults (EFORMAT for a damaged one, ETAMPER
 * (logged) for one the secretariat did not sign), named for op. */
int council__policy_load(council *c, const char *op, struct council__policy_config *cfg);
/* Parse a stored policy (the setting 'policy', a council.v1.Policy of 1 to
 * 4096 bytes) into cfg, over the defaults it already holds: EFORMAT (named
 * for op, cfg unchanged) for a damaged one. For the fuzzer and the loader. */
int council__policy_parse(council *c, const char *op, struct council__policy_config *cfg,
                          const uint8_t *buf, size_t len);
/* The stored policy, signed by the secretariat at its first session. */
int council__policy_upgrade(council *c);

#endif /* COUNCIL_POLICY_H */
