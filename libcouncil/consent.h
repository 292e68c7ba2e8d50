/*
 * consent.h - the consent ledger's operations (domain): council_consent_*
 * in council.h (consent.c). Its rows are consent_db.h.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_CONSENT_H
#define COUNCIL_CONSENT_H

#include "council_int.h"

#endif /* COUNCIL_CONSENT_H */
