/*
 * report_issued.c - the register of issued platform reports (issue 16).
 *
 * Two reports whose periods overlap without being the same can be
 * subtracted, and a cell one hides may be worked out from the other (each
 * is suppressed on its own). The register is the log itself: every report
 * appends report_issued with its k, format and period in `reason` and the
 * SHA-256 of its bytes in `bundle_hash`, so the log says what was
 * published, and an entry cannot be removed or edited without the log
 * failing its checks (the walk here reads every event against the tree;
 * the signer's head finds the rest). A new bounded period that overlaps
 * an issued one without being the same is refused, unless the secretariat
 * gives an override code, which is logged with the report. What remains
 * possible (all-time reports, the same period issued again later, an
 * override) is in SECURITY.md, "Overlapping periods".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "event.h"
#include "log.h"
#include "attest.h"
#include "report_issued.h"

#define ACTION COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_REPORT_ISSUED

/* A period code's bounds: "k<k>_<fmt>_<from>_<to>"; false for all time
 * ("..._all") or anything else. */
static bool period_of(const char *reason, int64_t *from, int64_t *to)
{
    long long a = 0, b = 0;
    unsigned k = 0;
    char fmt[8] = "";
    int used = 0;

    if (reason == NULL ||
        sscanf(reason, "k%u_%4[a-z]_%lld_%lld%n", &k, fmt, &a, &b, &used) != 4 ||
        reason[used] != '\0' || a < 0 || b <= a)
        return false;
    *from = a;
    *to = b;
    return true;
}

typedef struct overlap {
    int64_t from, to;
    bool found;
    uint64_t seq;
    int64_t a, b;
} overlap;

static int overlap_event(void *ctx, const Council__V1__AuditEvent *e, const uint8_t *body,
                         size_t len, const uint8_t leaf[COUNCIL_HASH_BYTES])
{
    overlap *o = ctx;
    int64_t a, b;

    (void)body;
    (void)len;
    (void)leaf;
    if (o->found || (int)e->action != ACTION ||
        e->outcome != COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED ||
        !period_of(e->reason, &a, &b))
        return COUNCIL_OK;
    if (a < o->to && o->from < b && (a != o->from || b != o->to)) {
        o->found = true;
        o->seq = e->seq;
        o->a = a;
        o->b = b;
    }
    return COUNCIL_OK;
}

int council__report_overlap_check(council *c, const char *op, bool bounded, int64_t from,
                                  int64_t to, const char *override)
{
    overlap o = { .from = from, .to = to };
    uint64_t size = 0;
    int rc;

    if (override != NULL && !council__audit_code_ok(override))
        return council__fail(c, COUNCIL_EINVAL, "%s: the overlap reason is a code "
                             "[a-z0-9_]{1,64}", op);
    if (!bounded)
        return COUNCIL_OK;
    if ((rc = council__audit_size(c, &size)) != COUNCIL_OK)
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the log", op);
    if ((rc = council__log_walk_checked(c, op, size, overlap_event, &o)) != COUNCIL_OK)
        return rc;
    if (!o.found || override != NULL)
        return COUNCIL_OK;
    {
        const council__event ev = {
            .action = ACTION,
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .purpose = "statistics",
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
            .error = COUNCIL_EDENIED,
            .reason = "overlapping_period",
        };
        if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK)
            return rc;
    }
    return council__fail(c, COUNCIL_EDENIED, "%s: the period [%lld, %lld) overlaps the report "
                         "issued for [%lld, %lld) (event %llu) and is not the same period; "
                         "give an overlap reason to issue it anyway (logged)", op,
                         (long long)from, (long long)to, (long long)o.a, (long long)o.b,
                         (unsigned long long)o.seq);
}

int council__report_issue(council *c, unsigned k, int format, bool bounded, int64_t from,
                          int64_t to, const uint8_t *bytes, size_t len, const char *override)
{
    uint8_t hash[crypto_hash_sha256_BYTES];
    char reason[COUNCIL__AUDIT_CODE_MAX + 1];
    const char *fmt = format == COUNCIL_REPORT_JSON ? "json" : "csv";
    int n;

    if (bounded)
        n = snprintf(reason, sizeof reason, "k%u_%s_%lld_%lld", k, fmt, (long long)from,
                     (long long)to);
    else
        n = snprintf(reason, sizeof reason, "k%u_%s_all", k, fmt);
    if (n < 0 || (size_t)n >= sizeof reason)
        return council__fail(c, COUNCIL_ERROR, "report_platform: the register's entry");
    crypto_hash_sha256(hash, bytes, len);
    {
        const council__event ev = {
            .action = ACTION,
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .purpose = override != NULL ? override : "statistics",
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
            .reason = reason,
            .bundle_hash = hash,
        };
        return council__audit_append(c, &ev);
    }
}
