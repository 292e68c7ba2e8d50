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
#include "buf.h"
#include "council/v1/info.pb-c.h"
#include "store.h"

int council__council_insert(council *c, const char *name, int64_t created)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "INSERT INTO council (singleton, id, name, created) "
                                  "VALUES (1, ?, ?, ?);", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, c->council_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, created) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "create: cannot record the council");
    council__finalize(c, st);
    return rc;
}

int council__council_check(council *c)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "SELECT id FROM council WHERE singleton = 1;", &st) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        rc = council__fail(c, COUNCIL_EFORMAT, "open: council.db holds no council record");
    else if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES ||
             sodium_memcmp(sqlite3_column_blob(st, 0), c->council_id, COUNCIL_ID_BYTES) != 0)
        rc = council__fail(c, COUNCIL_EFORMAT, "open: council.db belongs to another council");
    council__finalize(c, st);
    return rc;
}

int council__council_row(council *c, const char *op, char **name, int64_t *created)
{
    sqlite3_stmt *st = NULL;
    const unsigned char *text;
    int rc = COUNCIL_OK;

    *name = NULL;
    *created = 0;
    if (council__prepare(c, "SELECT name, created FROM council WHERE singleton = 1;", &st) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the council record", op);
    }
    text = sqlite3_column_text(st, 0);
    *created = sqlite3_column_int64(st, 1);
    if (text == NULL || (*name = council__strdup((const char *)text)) == NULL)
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    council__finalize(c, st);
    return rc;
}

char *council__council_name(council *c)
{
    sqlite3_stmt *st = NULL;
    char *name = NULL;

    if (council__prepare(c, "SELECT name FROM council WHERE singleton = 1;", &st) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        name = council__strdup((const char *)sqlite3_column_text(st, 0));
    council__finalize(c, st);
    return name;
}

int council__council_root_use(council *c, uint64_t seq, const char *reason, const char *note)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "INSERT INTO root_use (seq, reason, note) VALUES (?1, ?2, ?3);", &st) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, (sqlite3_int64)seq) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, note, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "open: cannot record the reason for the council "
                                           "passphrase's use");
    council__finalize(c, st);
    return rc;
}

int council__council_root_uses(council *c, const char *op, council_buf *out)
{
    Council__V1__RootUseList l = COUNCIL__V1__ROOT_USE_LIST__INIT;
    Council__V1__RootUse *items = NULL, **ptrs = NULL;
    sqlite3_stmt *st = NULL;
    size_t n = 0, cap = 0, len;
    int rc = COUNCIL_OK, src;

    if (council__prepare(c, "SELECT seq, reason, note FROM root_use ORDER BY seq;", &st) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: database error", op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 1);
        const char *t = (const char *)sqlite3_column_text(st, 2);
        if (r == NULL || t == NULL)
            continue;
        if (n == cap) {
            Council__V1__RootUse *ni = council__grow(items, &cap, n, sizeof *ni);
            if (ni == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
                break;
            }
            items = ni;
        }
        council__v1__root_use__init(&items[n]);
        items[n].seq = (uint64_t)sqlite3_column_int64(st, 0);
        items[n].reason = council__strdup(r);
        items[n].note = council__strdup(t);
        n++;
        if (items[n - 1].reason == NULL || items[n - 1].note == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "%s: database error", op);
    council__finalize(c, st);
    if (rc == COUNCIL_OK && n > 0 && (ptrs = council__calloc(n, sizeof *ptrs)) == NULL)
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    if (rc == COUNCIL_OK) {
        for (size_t i = 0; i < n; i++)
            ptrs[i] = &items[i];
        l.n_uses = n;
        l.uses = ptrs;
        len = council__v1__root_use_list__get_packed_size(&l);
        if ((out->ptr = council__malloc(len > 0 ? len : 1)) == NULL)
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        else
            out->len = council__v1__root_use_list__pack(&l, out->ptr);
    }
    for (size_t i = 0; i < n; i++) {
        council__free(items[i].reason);
        council__free(items[i].note);
    }
    council__free(items);
    council__free(ptrs);
    return rc;
}
