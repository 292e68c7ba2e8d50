/*
 * bundle_import.h - bundles a member sends to the council, imported into
 * the council's store (domain, bundle_import.c): council_bundle_import.
 * Table: bundle_seen (the nonces and hashes imported, for replay).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_BUNDLE_IMPORT_H
#define COUNCIL_BUNDLE_IMPORT_H

#include "council_int.h"

/* Was a bundle with this nonce (16 bytes) or hash (32) imported? EIO
 * named for op. */
int council__bundle_seen(council *c, const char *op, const uint8_t nonce[16],
                         const uint8_t hash[32], bool *seen);

#endif /* COUNCIL_BUNDLE_IMPORT_H */
