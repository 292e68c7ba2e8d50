/*
 * section_db.c - the table section: sealed sections stored by (case,
 * person, scope, version), the walks over them that section.c opens, the
 * reseal of a rekey, and the lookups the share decision, the scope
 * catalogue and case_get need. Holds every SQL statement on section; it
 * never sees a key or a plaintext.
 */
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sqlite3.h>

#include "council/v1/case.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "session.h"
#include "sql.h"
#include "section_db.h"
#include "event.h"
#include "buf.h"
#include "store.h"

#define SECTION_COLUMNS "person_id, scope, version, key_version, written, writer_member, " \
                        "writer_staff, nonce, ct"

/* fn for each row of st (bound, columns SECTION_COLUMNS); st is finalized. */
static int walk(council *c, const char *op, sqlite3_stmt *st, council__section_fn fn, void *ctx)
{
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        council__section_row r;

        r.scope = (const char *)sqlite3_column_text(st, 1);
        r.person = sqlite3_column_blob(st, 0);
        r.person_len = (size_t)sqlite3_column_bytes(st, 0);
        r.version = (uint32_t)sqlite3_column_int64(st, 2);
        r.key_version = (uint32_t)sqlite3_column_int64(st, 3);
        r.written = sqlite3_column_int64(st, 4);
        r.writer_member = sqlite3_column_bytes(st, 5) == COUNCIL_ID_BYTES
                              ? sqlite3_column_blob(st, 5) : NULL;
        r.writer_staff = sqlite3_column_bytes(st, 6) == COUNCIL_ID_BYTES
                             ? sqlite3_column_blob(st, 6) : NULL;
        r.nonce = sqlite3_column_blob(st, 7);
        r.nonce_len = (size_t)sqlite3_column_bytes(st, 7);
        r.ct = sqlite3_column_blob(st, 8);
        r.ct_len = (size_t)sqlite3_column_bytes(st, 8);
        rc = fn(c, &r, ctx);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

int council__section_rows(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const uint8_t person[COUNCIL_ID_BYTES], const char *scope, bool history,
                          council__section_fn fn, void *ctx)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, history
                               ? "SELECT " SECTION_COLUMNS " FROM section WHERE case_id = ?1 AND "
                                 "person_id = ?2 AND scope = ?3 ORDER BY version;"
                               : "SELECT " SECTION_COLUMNS " FROM section WHERE case_id = ?1 AND "
                                 "person_id = ?2 AND scope = ?3 ORDER BY version DESC LIMIT 1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return walk(c, op, st, fn, ctx);
}

int council__section_rows_latest(council *c, const char *op,
                                 const uint8_t case_id[COUNCIL_ID_BYTES],
                                 council__section_fn fn, void *ctx)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, "SELECT " SECTION_COLUMNS " FROM section s WHERE case_id = ?1 "
                                  "AND version = (SELECT max(version) FROM section WHERE case_id = "
                                  "s.case_id AND person_id = s.person_id AND scope = s.scope) "
                                  "ORDER BY scope, key_version, person_id;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return walk(c, op, st, fn, ctx);
}

int council__section_rows_below(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                                const char *scope, uint32_t below, council__section_fn fn,
                                void *ctx)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, "SELECT " SECTION_COLUMNS " FROM section WHERE case_id = ?1 AND "
                                  "scope = ?2 AND key_version < ?3;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, below) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return walk(c, op, st, fn, ctx);
}

int council__section_reseal_row(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                                const uint8_t person[COUNCIL_ID_BYTES], const char *scope,
                                uint32_t rv, uint32_t kv, const uint8_t nonce[COUNCIL__NONCE_BYTES],
                                const uint8_t *ct, size_t ct_len)
{
    sqlite3_stmt *up = NULL;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "UPDATE section SET key_version = ?5, nonce = ?6, ct = ?7 "
                                  "WHERE case_id = ?1 AND person_id = ?2 AND scope = ?3 "
                                  "AND version = ?4;", &up) != SQLITE_OK ||
        sqlite3_bind_blob(up, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(up, 2, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(up, 3, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(up, 4, rv) != SQLITE_OK || sqlite3_bind_int64(up, 5, kv) != SQLITE_OK ||
        sqlite3_bind_blob(up, 6, nonce, COUNCIL__NONCE_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(up, 7, ct, (int)ct_len, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(up) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, up);
    return rc;
}

int council__section_exists(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                            const uint8_t person[COUNCIL_ID_BYTES], const char *scope, bool *yes)
{
    sqlite3_stmt *st = NULL;

    *yes = false;
    if (council__prepare(c, "SELECT 1 FROM section WHERE case_id = ?1 AND person_id = ?2 "
                                  "AND scope = ?3 LIMIT 1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return council__row_exists(c, op, st, yes);
}

int council__section_key_version_used(council *c, const char *op,
                                      const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope,
                                      int64_t *used)
{
    sqlite3_stmt *q = NULL;
    int rc = COUNCIL_OK;

    *used = 0;
    if (council__prepare(c, "SELECT coalesce(max(key_version), 0) FROM section WHERE "
                                  "case_id = ?1 AND scope = ?2;", &q) != SQLITE_OK ||
        sqlite3_bind_blob(q, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(q, 2, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW)
        rc = council__db_err(c, op);
    else
        *used = sqlite3_column_int64(q, 0);
    council__finalize(c, q);
    return rc;
}

int council__section_next_version(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                                  const uint8_t person[COUNCIL_ID_BYTES], const char *scope,
                                  uint32_t *rv)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    *rv = 0;
    if (council__prepare(c, "SELECT coalesce(max(version), 0) FROM section WHERE case_id = ?1 "
                                  "AND person_id = ?2 AND scope = ?3;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        rc = council__db_err(c, op);
    else
        *rv = (uint32_t)sqlite3_column_int64(st, 0) + 1;
    council__finalize(c, st);
    return rc;
}

int council__section_insert(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                            const uint8_t person[COUNCIL_ID_BYTES], const char *scope, uint32_t rv,
                            uint32_t kv, const uint8_t nonce[COUNCIL__NONCE_BYTES],
                            const uint8_t *ct, size_t ct_len)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "INSERT INTO section (case_id, person_id, scope, version, "
                                  "key_version, written, writer_member, writer_staff, nonce, ct) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10);", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, rv) != SQLITE_OK || sqlite3_bind_int64(st, 5, kv) != SQLITE_OK ||
        sqlite3_bind_int64(st, 6, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        (council__is_root(c) ? sqlite3_bind_null(st, 7)
                    : sqlite3_bind_blob(st, 7, c->actor_member, COUNCIL_ID_BYTES, SQLITE_STATIC)) != SQLITE_OK ||
        (council__is_root(c) ? sqlite3_bind_null(st, 8)
                    : sqlite3_bind_blob(st, 8, c->actor_staff, COUNCIL_ID_BYTES, SQLITE_STATIC)) != SQLITE_OK ||
        sqlite3_bind_blob(st, 9, nonce, COUNCIL__NONCE_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 10, ct, (int)ct_len, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

int council__section_persons(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                             const char *const *scopes, size_t n_scopes,
                             uint8_t (**out)[COUNCIL_ID_BYTES], size_t *n)
{
    char list[32 * (COUNCIL__AUDIT_CODE_MAX + 1) + 2] = ",";
    sqlite3_stmt *st = NULL;

    *out = NULL;
    *n = 0;
    /* The scopes are checked codes, at most 32 (a share's). */
    for (size_t i = 0; i < n_scopes && i < 32; i++) {
        strcat(list, scopes[i]);
        strcat(list, ",");
    }
    if (council__prepare(c, "SELECT DISTINCT person_id FROM section WHERE case_id = ?1 AND "
                                  "instr(?2, ',' || scope || ',') > 0;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, list, -1, SQLITE_TRANSIENT) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return council__sql_ids(c, op, st, out, n);
}

int council__section_scope_used(council *c, const char *op, const char *scope, bool *yes)
{
    sqlite3_stmt *st = NULL;

    *yes = false;
    if (council__prepare(c, "SELECT 1 FROM section WHERE scope = ?1 LIMIT 1;", &st) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, scope, -1, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return council__row_exists(c, op, st, yes);
}

static bool fill_section(sqlite3_stmt *st, void *item)
{
    Council__V1__SectionInfo *s = item;

    council__v1__section_info__init(s);
    s->version = (uint32_t)sqlite3_column_int64(st, 2);
    s->key_version = (uint32_t)sqlite3_column_int64(st, 3);
    s->written = sqlite3_column_int64(st, 4);
    return sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES &&
           council__sql_dup_blob(&s->person_id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES) &&
           (s->scope = council__sql_dup_col(st, 1)) != NULL;
}

/* The case's sections (each (person, scope) at its latest version) as
 * SectionInfo items of m; false for out of memory or a database error. */
bool council__section_infos(council *c, const uint8_t case_id[COUNCIL_ID_BYTES],
                            Council__V1__CaseInfo *m)
{
    return council__sql_rows_into(c, "SELECT person_id, scope, max(version), key_version, written "
                                   "FROM section WHERE case_id = ?1 GROUP BY person_id, scope "
                                   "ORDER BY scope, person_id;", case_id,
                                   sizeof(Council__V1__SectionInfo), fill_section,
                                   (void ***)&m->sections, &m->n_sections);
}

/* The case's sections go (its erasure, in the caller's transaction). EIO. */
int council__section_erase(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES])
{
    return council__sql_exec1(c, op, "DELETE FROM section WHERE case_id = ?1;", case_id,
                              COUNCIL_ID_BYTES, NULL, 0);
}
