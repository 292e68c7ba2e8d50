/*
 * bundle.h - the council's bundles out (domain, bundle.c): what the
 * council sends a member as a signed, sealed file (doc/bundle-format.md),
 * and the signed record of what each bundle carried (table bundle_sent),
 * from which a revocation bundle is made.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_BUNDLE_H
#define COUNCIL_BUNDLE_H

#include "council_int.h"

/* The kinds of what a bundle carried, as bundle_sent rows name them: the
 * values of council.v1.RevocationItem.Kind. */
#define COUNCIL__SENT_SHARE 1   /* a scope of a case (case_id, scope) */
#define COUNCIL__SENT_CONSENT 2 /* a consent record (object_id) */
#define COUNCIL__SENT_REFERRAL 3
#define COUNCIL__SENT_MEETING 4

#endif /* COUNCIL_BUNDLE_H */
