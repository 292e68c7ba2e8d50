/*
 * council_db.c - the council's row (table council): written at create,
 * checked at every open, read for the council's name and its info. The
 * council's lifecycle (create, open, close, info) is council.c.
 */
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council_int.h"
#include "council_db.h"

int council__council_insert(council *c, const char *name, int64_t created)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (sqlite3_prepare_v2(c->db, "INSERT INTO council (singleton, id, name, created) "
                                  "VALUES (1, ?, ?, ?);", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, c->council_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, created) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "create: cannot record the council");
    sqlite3_finalize(st);
    return rc;
}

int council__council_check(council *c)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (sqlite3_prepare_v2(c->db, "SELECT id FROM council WHERE singleton = 1;",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        rc = council__fail(c, COUNCIL_EFORMAT, "open: council.db holds no council record");
    else if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES ||
             sodium_memcmp(sqlite3_column_blob(st, 0), c->council_id, COUNCIL_ID_BYTES) != 0)
        rc = council__fail(c, COUNCIL_EFORMAT, "open: council.db belongs to another council");
    sqlite3_finalize(st);
    return rc;
}

int council__council_row(council *c, const char *op, char **name, int64_t *created)
{
    sqlite3_stmt *st = NULL;
    const unsigned char *text;
    int rc = COUNCIL_OK;

    *name = NULL;
    *created = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT name, created FROM council WHERE singleton = 1;",
                           -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the council record", op);
    }
    text = sqlite3_column_text(st, 0);
    *created = sqlite3_column_int64(st, 1);
    if (text == NULL || (*name = council__strdup((const char *)text)) == NULL)
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    sqlite3_finalize(st);
    return rc;
}

char *council__council_name(council *c)
{
    sqlite3_stmt *st = NULL;
    char *name = NULL;

    if (sqlite3_prepare_v2(c->db, "SELECT name FROM council WHERE singleton = 1;", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        name = council__strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return name;
}

int council__council_root_use(council *c, uint64_t seq, const char *reason, const char *note)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (sqlite3_prepare_v2(c->db, "INSERT INTO root_use (seq, reason, note) VALUES (?1, ?2, ?3);",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, (sqlite3_int64)seq) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, note, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "open: cannot record the reason for the council "
                                           "passphrase's use");
    sqlite3_finalize(st);
    return rc;
}
