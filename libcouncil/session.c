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

void council__event_actor(const council *c, council__event *ev)
{
    ev->actor_kind = c->actor_kind;
    if (!council__is_root(c)) {
        ev->actor_member = c->actor_member;
        ev->actor_staff = c->actor_staff;
    }
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

int council__root_only(council *c, const char *op)
{
    int rc = council__actor_ok(c, op);

    if (rc != COUNCIL_OK)
        return rc;
    if (c->actor_kind != COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT) {
        /* A refused attempt is on the record (best effort: refused either way). */
        const council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_OPERATION_REFUSED,
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF,
            .actor_member = c->actor_member,
            .actor_staff = c->actor_staff,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
            .error = COUNCIL_EDENIED,
            .reason = "root_only",
        };
        (void)council__audit_append(c, &ev);
        return council__fail(c, COUNCIL_EDENIED, "%s: only the secretariat's session may do this",
                             op);
    }
    return COUNCIL_OK;
}

int council__root_id(council *c, const char *op, const uint8_t *id, size_t len)
{
    int rc;

    if (!council__ok(c))
        return council__fail(c, COUNCIL_EMISUSE, "%s: bad handle", op);
    if ((rc = council__root_only(c, op)) != COUNCIL_OK)
        return rc;
    if (id == NULL || len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    return COUNCIL_OK;
}
