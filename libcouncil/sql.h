/*
 * sql.h - SQL helpers every module uses (storage).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_SQL_H
#define COUNCIL_SQL_H

#include "council_int.h"

/* Run one statement binding blobs a (?1) and b (?2) when not NULL. */
int council__sql_exec1(council *c, const char *op, const char *sql, const uint8_t *a,
                       size_t alen, const uint8_t *b, size_t blen);

/* EIO "op: database error". */
int council__db_err(council *c, const char *op);
/* Step a prepared, bound statement that selects at most a row, finalize it,
 * and say whether a row came back (EIO, named for op, on error). */
int council__row_exists(council *c, const char *op, struct sqlite3_stmt *st, bool *yes);

/* Rows into a protobuf message's repeated field (case, section and share
 * infos): each row of sql (bound to the id as ?1) becomes a new zeroed item
 * of `size` bytes pushed onto *arr, then fill(row, item); false for out of
 * memory, a bad row or a database error (the items are freed with the
 * message). dup_blob/dup_col copy a blob or a text column into the
 * message's own memory (false/NULL when out of memory). */
struct ProtobufCBinaryData;
bool council__sql_rows_into(council *c, const char *sql, const uint8_t id[COUNCIL_ID_BYTES],
                            size_t size, bool (*fill)(struct sqlite3_stmt *, void *),
                            void ***arr, size_t *n);
bool council__sql_dup_blob(struct ProtobufCBinaryData *d, const void *p, size_t n);
char *council__sql_dup_col(struct sqlite3_stmt *st, int col);

/* Step a prepared, bound statement whose first column is an id, finalize
 * it, and return the 16-byte ids in order (other values skipped) in *out
 * (council__free it; NULL and *n 0 on failure): EIO named for op, ENOMEM. */
int council__sql_ids(council *c, const char *op, struct sqlite3_stmt *st,
                     uint8_t (**out)[COUNCIL_ID_BYTES], size_t *n);

#endif /* COUNCIL_SQL_H */
