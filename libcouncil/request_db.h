/*
 * request_db.h - cooperation requests' rows (domain, request_db.c): the
 * table cooperation_request, its signatures and their checks. The
 * operations (council_request_*) are request.c's.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_REQUEST_DB_H
#define COUNCIL_REQUEST_DB_H

#include "council_int.h"
#include "event.h"

#define COUNCIL__REQ_SCOPES_MAX 32
#define COUNCIL__REQ_CODE_CAP (COUNCIL__AUDIT_CODE_MAX + 1)

/* A request as its row holds it (ids of 16 bytes; zeros for none). */
typedef struct council__req {
    uint8_t id[COUNCIL_ID_BYTES], case_id[COUNCIL_ID_BYTES], member[COUNCIL_ID_BYTES];
    uint8_t to[COUNCIL_ID_BYTES]; /* the council side's member, zeros for none */
    uint32_t kinds;
    char scopes[COUNCIL__REQ_SCOPES_MAX][COUNCIL__REQ_CODE_CAP];
    size_t n_scopes;
    char basis[COUNCIL__REQ_CODE_CAP];
    uint8_t consent[COUNCIL_ID_BYTES];
    bool has_consent;
    uint8_t text_memo[COUNCIL_ID_BYTES];
    int64_t due, made;
    uint8_t made_member[COUNCIL_ID_BYTES], made_staff[COUNCIL_ID_BYTES]; /* zeros: root */
    int state;
    int64_t state_at;
    uint8_t by_member[COUNCIL_ID_BYTES], by_staff[COUNCIL_ID_BYTES];
    char reason[COUNCIL__REQ_CODE_CAP];
    uint8_t answer_memo[COUNCIL_ID_BYTES], reason_memo[COUNCIL_ID_BYTES];
    bool has_answer, has_reason_memo;
    char provided[COUNCIL__REQ_SCOPES_MAX][COUNCIL__REQ_CODE_CAP];
    size_t n_provided;
} council__req;

/* Load and check request id (both signatures, and who made them: the
 * council side for what is asked and for a withdrawal, the member asked
 * for an answer or a decline): ENOTFOUND, ETAMPER (a tamper finding
 * forged_request logged), EIO, named for op. */
int council__req_load(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                      council__req *r);
/* A new request's row (state open), signed by this session (the council
 * side): its made_member must be the session's signer. EIO, EDENIED,
 * ERROR. */
int council__req_insert(council *c, const char *op, council__req *r);
/* The end of an open request (r's state and its fields), signed by this
 * session. EIO (also when the row is no longer open), EDENIED, ERROR. */
int council__req_update(council *c, const char *op, council__req *r);
/* The rows member signed (what was asked, or an end), each that checks
 * now, signed again by this session (the secretariat: the log key):
 * before the member's role is taken away, or it withdraws, or its key is
 * replaced, so that what it signed while entitled stays the council's.
 * A row that does not check stays as it is. In the caller's transaction.
 * EIO, ENOMEM, EDENIED. */
int council__req_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES]);
/* Does r's state agree with the log: no allowed request_answered,
 * _declined or _withdrawn event naming it (among the events of its case,
 * case_ref) while it is open, and exactly the one of its end once ended?
 * ETAMPER with a tamper finding (request_rolled_back; log_event_edited for
 * an event that is not the tree's), EIO. Before a request is ended. */
int council__req_log_check(council *c, const char *op, const council__req *r,
                           const uint8_t case_ref[32]);
/* The ids of the requests made in [from, to), oldest first (*ids
 * council__calloc'd). EIO, ENOMEM named for op. */
int council__req_ids(council *c, const char *op, int64_t from, int64_t to,
                     uint8_t (**ids)[COUNCIL_ID_BYTES], size_t *n);

#endif /* COUNCIL_REQUEST_DB_H */
