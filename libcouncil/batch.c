/*
 * batch.c - the log-first transaction in one place (log layer): an
 * operation's own transaction (a savepoint inside the caller's batch),
 * finishing it, the caller's batches (council_batch_*), and the refusals
 * and tamper findings kept to be appended again when a batch is rolled
 * back (a refusal is never forgotten).
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "audit.h"
#include "batch.h"
#include "session.h"
#include "crypto.h"

#define REFUSED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED

/* Inside the caller's batch (council_batch_begin()), an operation's own
 * transaction is a savepoint: it commits into the batch or rolls back
 * alone. */
int council__audit_batch_begin(council *c)
{
    c->tip_valid = false;
    if (sqlite3_exec(c->db, c->user_batch ? "SAVEPOINT council_op;" : "BEGIN IMMEDIATE;",
                     NULL, NULL, NULL) != SQLITE_OK)
        return council__fail(c, COUNCIL_EIO, "audit: cannot begin a batch (%s)",
                             sqlite3_errmsg(c->db));
    return COUNCIL_OK;
}

int council__audit_batch_commit(council *c)
{
    c->tip_valid = false;
    if (sqlite3_exec(c->db, c->user_batch ? "RELEASE council_op;" : "COMMIT;", NULL, NULL,
                     NULL) != SQLITE_OK) {
        council__audit_batch_rollback(c);
        return council__fail(c, COUNCIL_EIO, "audit: cannot commit (%s)", sqlite3_errmsg(c->db));
    }
    c->n_tamper = 0;
    return COUNCIL_OK;
}

void council__audit_batch_rollback(council *c)
{
    struct council__tamper_note notes[COUNCIL__TAMPER_MAX];
    size_t n = c->n_tamper;

    c->tip_valid = false;
    if (c->user_batch)
        (void)sqlite3_exec(c->db, "ROLLBACK TO council_op; RELEASE council_op;", NULL, NULL, NULL);
    else if (!sqlite3_get_autocommit(c->db))
        (void)sqlite3_exec(c->db, "ROLLBACK;", NULL, NULL, NULL);
    /* Tamper findings of the rolled-back work go on the record by
     * themselves: the operation failed because of them. */
    memcpy(notes, c->tamper, n * sizeof notes[0]);
    c->n_tamper = 0;
    for (size_t i = 0; i < n; i++) {
        const char *scopes[1] = { notes[i].scope };
        const council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_TAMPER_DETECTED,
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_SYSTEM,
            .subject_member = notes[i].has_member ? notes[i].member : NULL,
            .case_ref = notes[i].has_ref ? notes[i].ref : NULL,
            .scopes = scopes,
            .n_scopes = notes[i].scope[0] != '\0' ? 1 : 0,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
            .error = COUNCIL_ETAMPER,
            .reason = notes[i].reason,
        };
        (void)council__audit_append(c, &ev);
    }
}

int council__finish(council *c, int rc)
{
    if (rc != COUNCIL_OK) {
        council__audit_batch_rollback(c);
        return rc;
    }
    rc = council__audit_batch_commit(c);
    if (rc == COUNCIL_OK)
        council__clear(c);
    return rc;
}

int council__no_batch(council *c, const char *op)
{
    if (c->user_batch)
        return council__fail(c, COUNCIL_EMISUSE, "%s: not allowed inside a batch "
                             "(council_batch_begin)", op);
    return COUNCIL_OK;
}

#define HELD_MAX 64

struct council__held_refusal {
    int action, error;
    bool system;                /* a finding of the library's, not the session's act */
    bool has_ref, has_subject, has_scope, has_purpose;
    uint8_t ref[32], subject[COUNCIL_ID_BYTES];
    char scope[COUNCIL__AUDIT_CODE_MAX + 1], purpose[COUNCIL__AUDIT_CODE_MAX + 1];
    char reason[COUNCIL__AUDIT_CODE_MAX + 1];
};

static void hold(council *c, const council__event *ev)
{
    struct council__held_refusal *h;

    if (c->held == NULL && (c->held = council__calloc(HELD_MAX, sizeof *c->held)) == NULL)
        return;
    if (c->n_held == HELD_MAX)
        return; /* the last slot is replayed as "refusals_lost" */
    h = &c->held[c->n_held++];
    memset(h, 0, sizeof *h);
    h->system = ev->actor_kind == COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_SYSTEM;
    h->action = ev->action;
    h->error = ev->error;
    if ((h->has_ref = ev->case_ref != NULL))
        memcpy(h->ref, ev->case_ref, 32);
    if ((h->has_subject = ev->subject_member != NULL))
        memcpy(h->subject, ev->subject_member, COUNCIL_ID_BYTES);
    if ((h->has_scope = ev->n_scopes == 1))
        snprintf(h->scope, sizeof h->scope, "%s", ev->scopes[0]);
    if ((h->has_purpose = ev->purpose != NULL))
        snprintf(h->purpose, sizeof h->purpose, "%s", ev->purpose);
    snprintf(h->reason, sizeof h->reason, "%s", ev->reason != NULL ? ev->reason : "refused");
}

void council__hold_event(council *c, const council__event *ev)
{
    if (c->user_batch)
        hold(c, ev);
}

/* After the caller's batch was rolled back: its refusals, on their own. */
static void replay_held(council *c)
{
    for (size_t i = 0; i < c->n_held; i++) {
        const struct council__held_refusal *h = &c->held[i];
        const char *scopes[1] = { h->scope };
        council__event ev = {
            .action = h->action,
            .case_ref = h->has_ref ? h->ref : NULL,
            .subject_member = h->has_subject ? h->subject : NULL,
            .scopes = scopes,
            .n_scopes = h->has_scope ? 1 : 0,
            .purpose = h->has_purpose ? h->purpose : NULL,
            .outcome = REFUSED,
            .error = h->error,
            .reason = i == HELD_MAX - 1 ? "refusals_lost" : h->reason,
        };
        if (h->system)
            ev.actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_SYSTEM;
        else
            council__event_actor(c, &ev);
        (void)council__audit_append(c, &ev);
    }
    c->n_held = 0;
}

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

int council_batch_commit(council *c)
{
    if (!council__ok(c) || !c->user_batch)
        return council__fail(c, COUNCIL_EMISUSE, "batch_commit: no batch is open");
    c->user_batch = false;
    c->tip_valid = false;
    if (sqlite3_exec(c->db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK) {
        (void)sqlite3_exec(c->db, "ROLLBACK;", NULL, NULL, NULL);
        replay_held(c);
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
    replay_held(c);
    council__clear(c);
    return COUNCIL_OK;
}
