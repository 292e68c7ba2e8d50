/*
 * session.c - the session and its actor (log layer): who the session acts
 * as (the secretariat's root session, or a member's staff), how events name
 * it, and the rules every operation starts with: the staff session's
 * standing re-checked (through the hook the domain installs at open,
 * c->standing), and the secretariat-only operations.
 */
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "session.h"
#include "event.h"

/* The session's actor, as events name it. */
bool council__is_root(const council *c)
{
    return c->actor_kind == COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT;
}

bool council__is_secretariat(const council *c)
{
    return council__is_root(c) ||
           (c->actor_kind == COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF &&
            (c->actor_roles & COUNCIL_ROLE_SECRETARIAT) != 0 && c->log_sk.p != NULL);
}

bool council__is_coordinator(const council *c)
{
    return council__is_root(c) ||
           (c->actor_kind == COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF &&
            (c->actor_roles & (COUNCIL_ROLE_SECRETARIAT | COUNCIL_ROLE_COORDINATING_BODY)) != 0 &&
            c->coord_sk.p != NULL);
}

void council__event_actor(const council *c, council__event *ev)
{
    ev->actor_kind = c->actor_kind;
    if (!council__is_root(c)) {
        ev->actor_member = c->actor_member;
        ev->actor_staff = c->actor_staff;
    }
}

int council__refuse_event(council *c, bool in_txn, council__event *ev, int rc, const char *op,
                          const char *msg)
{
    int arc;

    if (in_txn)
        council__audit_batch_rollback(c);
    if (ev->actor_kind == 0)
        council__event_actor(c, ev);
    ev->outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED;
    ev->error = rc;
    if ((arc = council__audit_append(c, ev)) != COUNCIL_OK)
        return arc; /* not even the refusal could be logged */
    if (c->user_batch)
        council__hold_event(c, ev);
    return council__fail(c, rc, "%s: %s", op, msg);
}

int council__actor_ok(council *c, const char *op)
{
    if (!council__ok(c))
        return council__fail(c, COUNCIL_EMISUSE, "%s: bad handle", op);
    if (c->actor_kind != COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF)
        return COUNCIL_OK;
    if (c->standing == NULL) /* a staff session always has one: fail closed */
        return council__fail(c, COUNCIL_EDENIED, "%s: refused: no standing check", op);
    return c->standing(c, op);
}

/* A staff session's attempt at what it may not do, on the record (best
 * effort: refused either way). */
static int refuse(council *c, const char *op, const char *reason, const char *who)
{
    const council__event ev = {
        .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_OPERATION_REFUSED,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF,
        .actor_member = c->actor_member,
        .actor_staff = c->actor_staff,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
        .error = COUNCIL_EDENIED,
        .reason = reason,
    };
    (void)council__audit_append(c, &ev);
    return council__fail(c, COUNCIL_EDENIED, "%s: only %s may do this", op, who);
}

int council__secretariat_only(council *c, const char *op)
{
    int rc = council__actor_ok(c, op);

    if (rc != COUNCIL_OK)
        return rc;
    if (!council__is_secretariat(c))
        return refuse(c, op, "secretariat_only", "the secretariat");
    return COUNCIL_OK;
}

int council__root_key_only(council *c, const char *op)
{
    int rc = council__actor_ok(c, op);

    if (rc != COUNCIL_OK)
        return rc;
    if (!council__is_root(c))
        return refuse(c, op, "root_key_only",
                      "a session opened with the council passphrase (or root key)");
    return COUNCIL_OK;
}

int council__secretariat_id(council *c, const char *op, const uint8_t *id, size_t len)
{
    int rc;

    if (!council__ok(c))
        return council__fail(c, COUNCIL_EMISUSE, "%s: bad handle", op);
    if ((rc = council__secretariat_only(c, op)) != COUNCIL_OK)
        return rc;
    if (id == NULL || len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    return COUNCIL_OK;
}
