/*
 * scope.c - the scope catalogue (council_scope_*): the ten built-in scopes
 * (health, child and justice marked sensitive) and those the council adds,
 * at most COUNCIL__AUDIT_SCOPES_MAX in all. Owns the table `scope`.
 */
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "crypto.h"
#include "session.h"
#include "sql.h"
#include "section_db.h"
#include "casekey.h"
#include "share_db.h"
#include "scope.h"
#include "event.h"
#include "member_db.h"
#include "store.h"

/* A change to the catalogue on the record. */
static int log_scope(council *c, int action, const char *const *scopes, const char *reason)
{
    council__event ev = {
        .action = action,
        .scopes = scopes,
        .n_scopes = 1,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
        .reason = reason,
    };

    council__event_actor(c, &ev);
    return council__audit_append(c, &ev);
}

int council__scope_known(council *c, const char *op, const char *scope)
{
    sqlite3_stmt *st = NULL;
    int src;

    if (scope == NULL || !council__audit_code_ok(scope))
        return council__fail(c, COUNCIL_EINVAL, "%s: a scope is a code [a-z0-9_]{1,64}", op);
    if (council__prepare(c, "SELECT 1 FROM scope WHERE code = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, scope, -1, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    src = sqlite3_step(st);
    council__finalize(c, st);
    if (src == SQLITE_ROW)
        return COUNCIL_OK;
    return src == SQLITE_DONE ? council__fail(c, COUNCIL_ENOTFOUND, "%s: no scope %s", op, scope)
                              : council__db_err(c, op);
}

int council_scope_add(council *c, const char *code, uint32_t flags)
{
    static const char op[] = "scope_add";
    sqlite3_stmt *st = NULL;
    int rc, src;

    if ((rc = council__secretariat_only(c, op)) != COUNCIL_OK)
        return rc;
    if (code == NULL || !council__audit_code_ok(code) || (flags & ~COUNCIL_SCOPE_SENSITIVE) != 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: a scope is a code [a-z0-9_]{1,64} with "
                             "flags 0 or COUNCIL_SCOPE_SENSITIVE", op);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    {
        int64_t n = -1;
        if (council__prepare(c, "SELECT count(*) FROM scope;", &st) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        council__finalize(c, st);
        st = NULL;
        if (n < 0)
            return council__finish(c, council__db_err(c, op));
        if (n >= COUNCIL__AUDIT_SCOPES_MAX)
            return council__finish(c, council__fail(c, COUNCIL_ELIMIT, "%s: at most %d scopes",
                                                    op, COUNCIL__AUDIT_SCOPES_MAX));
    }
    if (council__prepare(c, "INSERT INTO scope (code, sensitive, builtin, added) VALUES "
                                  "(?1, ?2, 0, ?3);", &st) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, (flags & COUNCIL_SCOPE_SENSITIVE) != 0) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL)) != SQLITE_OK) {
        council__finalize(c, st);
        return council__finish(c, council__db_err(c, op));
    }
    src = sqlite3_step(st);
    council__finalize(c, st);
    if (src == SQLITE_CONSTRAINT)
        return council__finish(c, council__fail(c, COUNCIL_EEXIST, "%s: scope %s exists", op, code));
    if (src != SQLITE_DONE)
        return council__finish(c, council__db_err(c, op));
    {
        const char *scopes[1] = { code };
        rc = log_scope(c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SCOPE_ADDED, scopes,
                       (flags & COUNCIL_SCOPE_SENSITIVE) ? "sensitive" : NULL);
    }
    return council__finish(c, rc);
}

int council_scope_remove(council *c, const char *code)
{
    static const char op[] = "scope_remove";
    sqlite3_stmt *st = NULL;
    bool used = false;
    int rc;

    if ((rc = council__secretariat_only(c, op)) != COUNCIL_OK)
        return rc;
    if (code == NULL || !council__audit_code_ok(code))
        return council__fail(c, COUNCIL_EINVAL, "%s: a scope is a code [a-z0-9_]{1,64}", op);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__scope_known(c, op, code)) != COUNCIL_OK)
        return council__finish(c, rc);
    /* In use: by a section, a data key, a share (ended or not) or a
     * member's ceiling; each owner answers for its table. */
    rc = council__section_scope_used(c, op, code, &used);
    if (rc == COUNCIL_OK && !used)
        rc = council__key_scope_used(c, op, code, &used);
    if (rc == COUNCIL_OK && !used)
        rc = council__share_scope_used(c, op, code, &used);
    if (rc == COUNCIL_OK && !used)
        rc = council__member_ceiling_uses(c, op, code, &used);
    if (rc == COUNCIL_OK && used)
        rc = council__fail(c, COUNCIL_EDENIED, "%s: scope %s holds data, shares or a member's "
                           "ceiling", op, code);
    if (rc == COUNCIL_OK) {
        if (council__prepare(c, "DELETE FROM scope WHERE code = ?1;", &st) != SQLITE_OK ||
            sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_DONE)
            rc = council__db_err(c, op);
        council__finalize(c, st);
    }
    if (rc == COUNCIL_OK) {
        const char *scopes[1] = { code };
        rc = log_scope(c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SCOPE_REMOVED, scopes, NULL);
    }
    return council__finish(c, rc);
}

int council_scope_list(council *c, council_buf *out)
{
    static const char op[] = "scope_list";
    Council__V1__ScopeList l = COUNCIL__V1__SCOPE_LIST__INIT;
    Council__V1__Scope items[256], *ptrs[256];
    char codes[256][COUNCIL__AUDIT_CODE_MAX + 1];
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    int rc, src;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (council__prepare(c, "SELECT code, sensitive, builtin, added FROM scope ORDER BY code;", &st) != SQLITE_OK)
        return council__db_err(c, op);
    while ((src = sqlite3_step(st)) == SQLITE_ROW && n < 256) {
        const char *code = (const char *)sqlite3_column_text(st, 0);
        if (code == NULL || !council__audit_code_ok(code))
            continue;
        council__v1__scope__init(&items[n]);
        strcpy(codes[n], code);
        items[n].code = codes[n];
        items[n].sensitive = sqlite3_column_int(st, 1) != 0;
        items[n].builtin = sqlite3_column_int(st, 2) != 0;
        items[n].added = sqlite3_column_int64(st, 3);
        ptrs[n] = &items[n];
        n++;
    }
    council__finalize(c, st);
    if (src != SQLITE_DONE && src != SQLITE_ROW)
        return council__db_err(c, op);
    l.scopes = ptrs;
    l.n_scopes = n;
    return council__pack_out(c, op, out, &l.base);
}
