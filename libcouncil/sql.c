/*
 * sql.c - the SQL helpers every module uses (storage layer): a database
 * error on the handle, a step that says whether a row exists, and one
 * statement run with up to two blobs bound.
 */
#include <stdbool.h>

#include <sqlite3.h>

#include "council_int.h"
#include "sql.h"

int council__db_err(council *c, const char *op)
{
    return council__fail(c, COUNCIL_EIO, "%s: database error", op);
}


int council__row_exists(council *c, const char *op, sqlite3_stmt *st, bool *yes)
{
    int src = sqlite3_step(st);

    sqlite3_finalize(st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return council__db_err(c, op);
    *yes = src == SQLITE_ROW;
    return COUNCIL_OK;
}

int council__sql_exec1(council *c, const char *op, const char *sql, const uint8_t *a,
                       size_t alen, const uint8_t *b, size_t blen)
{
    sqlite3_stmt *st = NULL;
    int src;

    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK ||
        (a != NULL && sqlite3_bind_blob(st, 1, a, (int)alen, SQLITE_STATIC) != SQLITE_OK) ||
        (b != NULL && sqlite3_bind_blob(st, 2, b, (int)blen, SQLITE_STATIC) != SQLITE_OK)) {
        sqlite3_finalize(st);
        return council__fail(c, COUNCIL_EIO, "%s: database error", op);
    }
    src = sqlite3_step(st);
    sqlite3_finalize(st);
    return src == SQLITE_DONE || src == SQLITE_ROW
               ? COUNCIL_OK
               : council__fail(c, COUNCIL_EIO, "%s: database error", op);
}
