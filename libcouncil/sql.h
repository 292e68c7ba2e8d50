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

#endif /* COUNCIL_SQL_H */
