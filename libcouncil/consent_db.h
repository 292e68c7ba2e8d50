/*
 * consent_db.h - the consent ledger's rows (domain): tables consent,
 * consent_grant and consent_withdrawal (consent_db.c). The operations on
 * the ledger (council_consent_*) are consent.c.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_CONSENT_DB_H
#define COUNCIL_CONSENT_DB_H

#include "council_int.h"

/* The largest stored consent record body. */
#define COUNCIL__CONSENT_BODY_MAX 65536

/* A purpose code the ledger knows. */
bool council__consent_purpose_ok(const char *p);

/* Sign again, with the council's key, the grants member signed (its key
 * is about to go). */
int council__grants_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES]);
/* A case's ownership is about to move (case.c, the secretariat's session,
 * in its transaction): its consents' grants that check under the owner now
 * are signed again by the session, so they still check under the new one.
 * EIO. */
int council__grants_resign_case(council *c, const uint8_t case_id[COUNCIL_ID_BYTES]);
/* A case's consent records with their status as of now, each granting
 * record checked for its grant (one without counts for nothing: dropped,
 * logged); free with council__v1__consent_list__free_unpacked(l,
 * council__pb_allocator()). */
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
/* Consent grants from before, signed at the secretariat's first session. */
int council__consent_upgrade(council *c);
/* A case's consent records, withdrawals and grants, gone with its erasure. */
int council__consent_erase(council *c, const char *op, const uint8_t case_id[16]);

/* A new record (body: the packed council.v1.ConsentRecord), and, unless it
 * is a refusal, its grant signed by the session. EIO named for op. */
int council__consent_insert(council *c, const char *op, const uint8_t id[16],
                            const uint8_t case_id[16], const uint8_t subject[16], bool refusal,
                            int64_t recorded, const uint8_t *body, size_t len);
/* A withdrawal of record id, by the session's member and staff (none for
 * the secretariat). EIO named for op. */
int council__consent_withdrawal_add(council *c, const char *op, const uint8_t id[16], int64_t when,
                                    const char *reason);
/* The grant of record id goes (its withdrawal). EIO named for op. */
int council__consent_grant_drop(council *c, const char *op, const uint8_t id[16]);

/* The person's grants that stand now (checked before a refusal is added),
 * to be signed again once it is (council__consent_regrant_sign). */
typedef struct council__consent_regrant {
    struct council__consent_regrant_g {
        uint8_t id[16];
        int64_t recorded;
        uint8_t *body;
        size_t len;
    } *gs;
    size_t n, cap;
} council__consent_regrant;
int council__consent_regrant_collect(council *c, const char *op, const uint8_t case_id[16],
                                     const uint8_t subject[16], council__consent_regrant *r);
int council__consent_regrant_sign(council *c, const char *op, const uint8_t case_id[16],
                                  const uint8_t subject[16], const council__consent_regrant *r);
void council__consent_regrant_free(council__consent_regrant *r);

/* One stored record (council__consent_fetch): m, with its withdrawal and
 * its status as of now, the case it belongs to, and the row itself while
 * open (for council__consent_row_granted). */
struct sqlite3_stmt;
typedef struct council__consent_row {
    struct Council__V1__ConsentRecord *m;
    uint8_t case_id[COUNCIL_ID_BYTES];
    struct sqlite3_stmt *st;
    council *c;             /* whose statement st is */
} council__consent_row;
/* Record id: ENOTFOUND ("no such consent record"), EIO, EFORMAT, ENOMEM
 * named for op (row empty then). Free with council__consent_row_free. */
int council__consent_fetch(council *c, const char *op, const uint8_t id[16], council__consent_row *row);
/* Does the open row carry a grant signed by the council or by the case's
 * proven owner (*ok)? EIO. */
int council__consent_row_granted(council *c, const char *op, const council__consent_row *row,
                                 bool *ok);
/* Close the row (m stays); free: close and free m. */
void council__consent_row_close(council__consent_row *row);
void council__consent_row_free(council__consent_row *row);

#endif /* COUNCIL_CONSENT_DB_H */
