/*
 * batch.c - the caller's batches (log layer, above the session):
 * council_batch_begin, _commit and _rollback. The transaction underneath
 * (an operation's savepoint inside the batch, the refusals held across a
 * rollback) is log.c's.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "session.h"
#include "log.h"



/* ----------------------------------------------------------------- batches */

int council_batch_begin(council *c)
{
    int rc;

    if (!council__ok(c))
        return council__fail(c, COUNCIL_EMISUSE, "batch_begin: bad handle");
    if (c->user_batch || !sqlite3_get_autocommit(c->db))
        return council__fail(c, COUNCIL_EMISUSE, "batch_begin: a batch is open already");
    if ((rc = council__actor_ok(c, "batch_begin")) != COUNCIL_OK)
        return rc;
    c->tip_valid = false;
    if (sqlite3_exec(c->db, "BEGIN IMMEDIATE;", NULL, NULL, NULL) != SQLITE_OK)
        return council__fail(c, COUNCIL_EIO, "batch_begin: cannot begin (%s)", sqlite3_errmsg(c->db));
    c->user_batch = true;
    council__clear(c);
    return COUNCIL_OK;
}

/* -------------------------------------------- one operation, several steps */

int council__op_batch_begin(council *c, const char *op)
{
    /* Inside another operation's batch: part of it (its end commits). */
    if (c->op_depth > 0 && c->user_batch) {
        c->op_depth++;
        return COUNCIL_OK;
    }
    if (c->user_batch || !sqlite3_get_autocommit(c->db))
        return council__fail(c, COUNCIL_EMISUSE, "%s: a batch is open already", op);
    c->tip_valid = false;
    if (sqlite3_exec(c->db, "BEGIN IMMEDIATE;", NULL, NULL, NULL) != SQLITE_OK)
        return council__fail(c, COUNCIL_EIO, "%s: cannot begin (%s)", op, sqlite3_errmsg(c->db));
    c->user_batch = true;
    c->op_depth = 1;
    c->n_held = 0;
    return COUNCIL_OK;
}

#ifdef COUNCIL_TEST_HOOKS /* the test build only (see crypto.c) */
static _Thread_local long commit_fault = -1;

void council__commit_fault_after(long n)
{
    commit_fault = n;
}

/* The injected failure of council__commit_fault_after: true when this
 * commit is to fail. */
static bool commit_fails(void)
{
    if (commit_fault == 0)
        return true;
    if (commit_fault > 0)
        commit_fault--;
    return false;
}
#else
#define commit_fails() false
#endif

int council__op_batch_end(council *c, const char *op, int rc)
{
    char msg[512];

    if (c->op_depth > 1) {
        /* an inner operation's end: the outer one commits or rolls back */
        c->op_depth--;
        return rc;
    }
    c->op_depth = 0;
    c->user_batch = false;
    c->tip_valid = false;
    c->n_tamper = 0; /* findings inside were held: replayed below on a rollback */
    if (rc == COUNCIL_OK && commit_fails())
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot commit (injected)", op);
    if (rc == COUNCIL_OK) {
        if (sqlite3_exec(c->db, "COMMIT;", NULL, NULL, NULL) == SQLITE_OK) {
            c->n_held = 0;
            council__clear(c);
            return COUNCIL_OK;
        }
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot commit (%s)", op, sqlite3_errmsg(c->db));
    }
    (void)snprintf(msg, sizeof msg, "%s", council_errmsg(c));
    if (!sqlite3_get_autocommit(c->db))
        (void)sqlite3_exec(c->db, "ROLLBACK;", NULL, NULL, NULL);
    council__audit_replay_held(c);
    return council__fail(c, rc, "%s", msg);
}

int council_batch_commit(council *c)
{
    if (!council__ok(c) || !c->user_batch)
        return council__fail(c, COUNCIL_EMISUSE, "batch_commit: no batch is open");
    c->user_batch = false;
    c->tip_valid = false;
    if (sqlite3_exec(c->db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK) {
        (void)sqlite3_exec(c->db, "ROLLBACK;", NULL, NULL, NULL);
        council__audit_replay_held(c);
        return council__fail(c, COUNCIL_EIO, "batch_commit: cannot commit (%s); the batch is "
                             "rolled back", sqlite3_errmsg(c->db));
    }
    c->n_held = 0;
    council__clear(c);
    return COUNCIL_OK;
}

int council_batch_rollback(council *c)
{
    if (!council__ok(c) || !c->user_batch)
        return council__fail(c, COUNCIL_EMISUSE, "batch_rollback: no batch is open");
    c->user_batch = false;
    c->tip_valid = false;
    if (!sqlite3_get_autocommit(c->db))
        (void)sqlite3_exec(c->db, "ROLLBACK;", NULL, NULL, NULL);
    council__audit_replay_held(c);
    council__clear(c);
    return COUNCIL_OK;
}
