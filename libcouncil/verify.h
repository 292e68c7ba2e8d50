/*
 * verify.h - the auditor's side: exports and proofs verified with the public key alone.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_VERIFY_H
#define COUNCIL_VERIFY_H

#include "council_int.h"

/* council_audit_verify_export() on an open stream (for the fuzzer). */
int council__audit_verify_fp(council_buf *report, FILE *f, const council_audit_verify_options *o);

#endif /* COUNCIL_VERIFY_H */
