/*
 * index.c - council_index_status, council_index_rebuild (issue 17): the
 * blind index widened as the store grows. The rows and the signed width
 * are find.c's; this file reads each case's identity sections (section.c)
 * with the coordinating body's key and hands them to find.c to derive the
 * tokens again.
 *
 * A rebuild: the width sized for the index (council__blind_width_for) is
 * signed by the secretariat with the old one beside it (new tokens are
 * written at the new width, finds search both), then the cases that still
 * hold old tokens are taken CHUNK at a time, each chunk one transaction
 * with one blind_index_rebuilt event; when none is left the old width is
 * signed away. Each case's rows are replaced whole in its chunk's
 * transaction, so an interrupted rebuild loses and doubles nothing, and
 * the next call goes on from the cases still at the old width.
 *
 * Tables: none.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "session.h"
#include "buf.h"
#include "blind.h"
#include "find.h"
#include "case_db.h"
#include "section.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define CHUNK 64 /* cases a transaction */

static int log_step(council *c, const char *reason)
{
    council__event ev = {
        .action = ACT(BLIND_INDEX_REBUILT),
        .outcome = ALLOWED,
        .reason = reason,
    };

    council__event_actor(c, &ev);
    return council__audit_append(c, &ev);
}

static int state_of(council *c, const char *op, council__blind_width *w, council_index_state *st)
{
    uint64_t entries = 0;
    int rc;

    if ((rc = council__find_width(c, op, w)) != COUNCIL_OK ||
        (rc = council__find_entries(c, op, w, &entries)) != COUNCIL_OK)
        return rc;
    st->width = w->width;
    st->old_width = w->old;
    st->entries = entries;
    st->wanted_width = council__blind_width_for(entries);
    if (st->wanted_width < w->width)
        st->wanted_width = w->width; /* never narrower */
    return COUNCIL_OK;
}

static int start(council *c, const char *op)
{
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    return council__secretariat_only(c, op);
}

int council_index_status(council *c, council_index_state *st)
{
    static const char op[] = "index_status";
    council__blind_width w;
    council_index_state s = { 0, 0, 0, 0, 0 };
    int rc;

    if (st == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    memset(st, 0, sizeof *st);
    if ((rc = start(c, op)) != COUNCIL_OK || (rc = state_of(c, op, &w, &s)) != COUNCIL_OK)
        return rc;
    *st = s;
    council__clear(c);
    return COUNCIL_OK;
}

/* One case's tokens derived again at `width` from its identity sections. */
static int reindex(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES], unsigned width)
{
    static const char *const identity[1] = { "identity" };
    council__buf b = COUNCIL__BUF_INIT;
    council__scopes_read read;
    council__case k;
    int rc;

    rc = council__case_load(c, op, id, &k);
    if (rc == COUNCIL_ENOTFOUND) {
        /* Rows naming no case find nothing (a find joins the case rows):
         * they go, so that they cannot hold the rebuild up. */
        council__clear(c);
        return council__find_reindex_case(c, op, id, NULL, 0, width);
    }
    if (rc != COUNCIL_OK)
        return rc;
    rc = council__section_latest(c, op, &k, identity, 1, &b, &read);
    if (rc == COUNCIL_OK && read.skipped > 0)
        rc = council__fail(c, COUNCIL_EDENIED, "%s: this session cannot read every identity "
                           "section (open it as the secretariat with the coordinating body's key)",
                           op);
    if (rc == COUNCIL_OK && b.failed)
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    if (rc == COUNCIL_OK)
        rc = council__find_reindex_case(c, op, id, b.p, b.len, width);
    council__buf_free(&b);
    return rc;
}

int council_index_rebuild(council *c, council_index_state *st, uint32_t max_cases)
{
    static const char op[] = "index_rebuild";
    council_index_state s = { 0, 0, 0, 0, 0 };
    council__blind_width w;
    char reason[40];
    uint64_t done = 0;
    int rc;

    if (st != NULL)
        memset(st, 0, sizeof *st);
    if ((rc = start(c, op)) != COUNCIL_OK)
        return rc;
    if (!council__is_coordinator(c))
        return council__fail(c, COUNCIL_EDENIED, "%s: the rebuild reads every identity section: "
                             "open the store as the secretariat with the coordinating body's key",
                             op);
    if (c->bix.p == NULL)
        return council__fail(c, COUNCIL_EUNSUPPORTED, "%s: this session does not hold the "
                             "blind-index key", op);
    if ((rc = state_of(c, op, &w, &s)) != COUNCIL_OK)
        return rc;
    /* Past the threshold: the new width signed, the old one beside it. */
    if (w.old == 0 && s.wanted_width > w.width) {
        council__blind_width nw = { s.wanted_width, w.width };
        (void)snprintf(reason, sizeof reason, "w%u_to_w%u_started", w.width, nw.width);
        if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
            return rc;
        rc = council__find_width_put(c, op, &nw);
        if (rc == COUNCIL_OK)
            rc = log_step(c, reason);
        if ((rc = council__finish(c, rc)) != COUNCIL_OK)
            return rc;
        w = nw;
    }
    while (w.old != 0 && (max_cases == 0 || done < max_cases)) {
        uint8_t ids[CHUNK][COUNCIL_ID_BYTES];
        size_t want = CHUNK, n = 0;

        if (max_cases != 0 && max_cases - done < want)
            want = (size_t)(max_cases - done);
        if ((rc = council__find_old_cases(c, op, w.old, ids, want, &n)) != COUNCIL_OK)
            return rc;
        if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
            return rc;
        if (n == 0) { /* the last case done: the old width goes */
            council__blind_width nw = { w.width, 0 };
            (void)snprintf(reason, sizeof reason, "w%u_done", w.width);
            rc = council__find_width_put(c, op, &nw);
            if (rc == COUNCIL_OK)
                rc = log_step(c, reason);
            if ((rc = council__finish(c, rc)) != COUNCIL_OK)
                return rc;
            w = nw;
            break;
        }
        for (size_t i = 0; rc == COUNCIL_OK && i < n; i++)
            rc = reindex(c, op, ids[i], w.width);
        (void)snprintf(reason, sizeof reason, "w%u_to_w%u", w.old, w.width);
        if (rc == COUNCIL_OK)
            rc = log_step(c, reason);
        if ((rc = council__finish(c, rc)) != COUNCIL_OK)
            return rc;
        done += n;
    }
    /* The state after the call is the one it committed, not read again: a
     * read failing now would report an error for a rebuild that is done.
     * The entries are those counted first (each case's tokens are
     * replaced, never added). */
    s.width = w.width;
    s.old_width = w.old;
    s.wanted_width = council__blind_width_for(s.entries);
    if (s.wanted_width < w.width)
        s.wanted_width = w.width;
    s.cases_done = done;
    if (st != NULL)
        *st = s;
    council__clear(c);
    return COUNCIL_OK;
}
