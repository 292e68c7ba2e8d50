/*
 * sql.c - the SQL helpers every module uses (storage layer): a database
 * error on the handle, a step that says whether a row exists, one
 * statement run with up to two blobs bound, and rows read into a
 * protobuf message's repeated field.
 */
#include <stdbool.h>
#include <string.h>

#include <protobuf-c/protobuf-c.h>
#include <sqlite3.h>

#include "council_int.h"
#include "sql.h"
#include "buf.h"
#include "store.h"

int council__db_err(council *c, const char *op)
{
    return council__fail(c, COUNCIL_EIO, "%s: database error", op);
}


int council__row_exists(council *c, const char *op, sqlite3_stmt *st, bool *yes)
{
    int src = sqlite3_step(st);

    council__finalize(c, st);
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

    if (council__prepare(c, sql, &st) != SQLITE_OK ||
        (a != NULL && sqlite3_bind_blob(st, 1, a, (int)alen, SQLITE_STATIC) != SQLITE_OK) ||
        (b != NULL && sqlite3_bind_blob(st, 2, b, (int)blen, SQLITE_STATIC) != SQLITE_OK)) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: database error", op);
    }
    src = sqlite3_step(st);
    council__finalize(c, st);
    return src == SQLITE_DONE || src == SQLITE_ROW
               ? COUNCIL_OK
               : council__fail(c, COUNCIL_EIO, "%s: database error", op);
}

/* Grow a protobuf repeated field (pointer array) by one. */
static bool push(void ***arr, size_t *n, void *item)
{
    void **na = council__malloc((*n + 1) * sizeof *na);
    if (na == NULL)
        return false;
    if (*n > 0)
        memcpy(na, *arr, *n * sizeof *na);
    council__free(*arr);
    na[*n] = item;
    *arr = na;
    (*n)++;
    return true;
}

bool council__sql_rows_into(council *c, const char *sql, const uint8_t id[COUNCIL_ID_BYTES],
                            size_t size, bool (*fill)(sqlite3_stmt *, void *), void ***arr,
                            size_t *n)
{
    sqlite3_stmt *st = NULL;
    bool ok = council__prepare(c, sql, &st) == SQLITE_OK &&
              sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) == SQLITE_OK;
    int src = SQLITE_DONE;

    while (ok && (src = sqlite3_step(st)) == SQLITE_ROW) {
        void *item = council__calloc(1, size);
        if (item == NULL || !push(arr, n, item)) {
            council__free(item);
            ok = false;
            break;
        }
        ok = fill(st, item);
    }
    council__finalize(c, st);
    return ok && src == SQLITE_DONE;
}

bool council__sql_dup_blob(ProtobufCBinaryData *d, const void *p, size_t n)
{
    d->data = council__malloc(n);
    if (d->data == NULL)
        return false;
    memcpy(d->data, p, n);
    d->len = n;
    return true;
}

char *council__sql_dup_col(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t != NULL ? council__strdup((const char *)t) : NULL;
}

int council__sql_ids(council *c, const char *op, struct sqlite3_stmt *st,
                     uint8_t (**out)[COUNCIL_ID_BYTES], size_t *n)
{
    uint8_t (*ids)[COUNCIL_ID_BYTES] = NULL;
    size_t cap = 0, k = 0;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
            continue; /* not an id: no row of ours */
        if (k == cap) {
            uint8_t (*more)[COUNCIL_ID_BYTES] = council__grow(ids, &cap, k, sizeof *more);
            if (more == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
                break;
            }
            ids = more;
        }
        memcpy(ids[k++], sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc != COUNCIL_OK) {
        council__free(ids);
        ids = NULL;
        k = 0;
    }
    *out = ids;
    *n = k;
    return rc;
}
