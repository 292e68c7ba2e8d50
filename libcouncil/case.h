/*
 * case.h - cases and their persons (domain, case.c): the case as the
 * other case modules (section.c, share.c, find.c) and the rest of the
 * domain see it, and the checks and events every case operation shares.
 * Tables: case_record, person.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_CASE_H
#define COUNCIL_CASE_H

#include "council_int.h"
#include "buf.h"

/* A case row as loaded (and its owner proof checked) by council__case_load. */
typedef struct council__case {
    uint8_t id[COUNCIL_ID_BYTES];
    uint8_t ref[32]; /* the pseudonym events carry */
    int status;
    int body;
    uint8_t owner[COUNCIL_ID_BYTES];
    int64_t created, updated, erased;
} council__case;

/* EINVAL ("op: ids are 16 bytes") unless id is a 16-byte id. */
int council__id_arg(council *c, const char *op, const uint8_t *id, size_t len);
/* Load case `id` into k: ENOTFOUND, EIO, or ETAMPER (logged) when the row's
 * owner is not the one its id (or the council's signature) vouches for. */
int council__case_load(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                       council__case *k);
/* Is the session staff of the member owning k (never for the secretariat)? */
bool council__case_is_owner(const council *c, const council__case *k);
/* The case's owner as its proof shows it: ETAMPER (logged) when the row
 * names another, ENOTFOUND, EIO. */
int council__case_owner(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        uint8_t owner[COUNCIL_ID_BYTES]);
/* Cases from before owner proofs: the council signs each owner as found,
 * once (the secretariat's first session). EIO. */
int council__case_owners_upgrade(council *c);
/* A case's owner and pseudonym, and whether it was erased (as
 * council__case_load: ENOTFOUND, ETAMPER, EIO). */
int council__case_lookup(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                         uint8_t owner[COUNCIL_ID_BYTES], uint8_t ref[32], bool *erased);
/* May this session read or write `scope` (NULL: any scope) of case k: the
 * secretariat, the owner's staff, or an active share's holder? Errors of
 * council__share_active (ETAMPER logged for a forged share row). */
int council__case_may_use(council *c, const char *op, const council__case *k, const char *scope,
                          bool *yes);
/* Log a refusal (after rolling back the operation's transaction when
 * in_txn; held for the caller's batch), then fail with rc and "op: msg".
 * Returns the append's error if not even the refusal could be logged. */
int council__case_refuse(council *c, bool in_txn, int action, const council__case *k,
                         const char *scope, const char *purpose, const uint8_t *subject, int rc,
                         const char *reason, const char *op, const char *msg);
/* Append an allowed event about case k (k NULL: none) for this session. */
int council__case_log(council *c, int action, const council__case *k, const char *const *scopes,
                      size_t n, const char *purpose, const uint8_t *subject, const char *reason);
/* Mark the case updated now. EIO. */
int council__case_touch(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES]);
/* Is `person` a person of the case? ENOTFOUND ("no such person in this
 * case"), EIO. */
int council__case_person_of(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                            const uint8_t person[COUNCIL_ID_BYTES]);
/* The start of every read of content: out emptied, the session, no batch,
 * the ids, the scope (known), the purpose code, the case (not erased:
 * refusal logged), the person in it, and the scope shared (refusal
 * logged). k receives the case. */
int council__case_read_start(council *c, const char *op, const uint8_t *case_id,
                             size_t case_id_len, const uint8_t *person_id, size_t person_id_len,
                             const char *scope, const char *purpose, council_buf *out,
                             council__case *k);
/* The end of a read, after decryption and before anything is returned:
 * EAUTH/EDENIED in rc are logged as refused; otherwise the read is logged
 * (durably) and b handed to out. On any failure b is wiped, out empty. */
int council__case_read_finish(council *c, const char *op, const council__case *k,
                              const char *const *scopes, size_t n, const char *purpose,
                              const char *reason, int rc, council__buf *b, council_buf *out);
/* Building a CaseInfo's repeated fields from rows (case.c, section.c,
 * share.c): each row of sql (bound to the case id as ?1) becomes a new
 * zeroed item of `size` bytes pushed onto *arr, then fill(row, item);
 * false for out of memory, a bad row or a database error (the items are
 * freed with the message). dup_blob/dup_col copy a blob or a text column
 * into the message's own memory (false/NULL when out of memory). */
struct sqlite3_stmt;
struct ProtobufCBinaryData;
bool council__case_rows_into(council *c, const char *sql, const uint8_t id[COUNCIL_ID_BYTES],
                             size_t size, bool (*fill)(struct sqlite3_stmt *, void *),
                             void ***arr, size_t *n);
bool council__case_dup_blob(struct ProtobufCBinaryData *d, const void *p, size_t n);
char *council__case_dup_col(struct sqlite3_stmt *st, int col);
/* The latest sections of the given scopes of a case (all the session may
 * read, scopes NULL: every scope) as CaseContent bytes; logged durably like
 * council_case_read() with the purpose, before anything is returned. */
int council__case_content(council *c, const char *op, council_buf *out,
                          const uint8_t case_id[COUNCIL_ID_BYTES], const char *const *scopes,
                          size_t n_scopes, const char *purpose);
/* --- added by H-KEY for issue 11 --- */
/* Is person a person of case case_id? EIO named for op. */
int council__person_in_case(council *c, const char *op, const uint8_t person[COUNCIL_ID_BYTES],
                            const uint8_t case_id[COUNCIL_ID_BYTES], bool *yes);

/* --- added by H2 for issue 11 --- */
/* A person of a case: its id and role (council.v1.PersonRole). */
typedef struct council__case_person {
    uint8_t id[COUNCIL_ID_BYTES];
    int role;
} council__case_person;
/* The persons of the case, in the order they were added, into *out
 * (council__calloc'd; the caller frees it). EIO, ENOMEM named for op. */
int council__case_persons(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          council__case_person **out, size_t *n);
/* The ids of the cases whose row names member as owner (the row as it is,
 * no owner proof checked: for taking keys away, never for access), into
 * *out (council__calloc'd). EIO, ENOMEM named for op. */
int council__case_ids_owned(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                            uint8_t (**out)[COUNCIL_ID_BYTES], size_t *n);

#endif /* COUNCIL_CASE_H */
