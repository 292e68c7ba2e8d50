/*
 * retention.c - the retention schedule and its passes (issue 16):
 * council_retention_set/_get (the schedule: rules by the case's body and
 * status, signed with the log key in the setting 'retention'),
 * council_retention_due (the cases due) and council_retention_apply (each
 * due case crypto-shredded as council_case_erase does it, and every case's
 * ended shares purged of their keys).
 *
 * What the insider (who writes any row) cannot do here:
 *  - change the schedule: it is signed by the secretariat's log key, and
 *    the newest retention_schedule_changed event in the log names its id,
 *    so an older signed schedule put back is found (forged_retention_schedule);
 *  - make a case due early: a case's status and the time it entered it are
 *    read from the log's hashed event bodies (case_created, case_updated
 *    with reason status_changed and the new status in purpose, case_erased),
 *    every event walked and checked against the tree (council__log_walk_checked),
 *    never from the status column; its body is bound to its id (the owner
 *    proof checked by council__case_load). A status column that disagrees
 *    with the log is a tamper finding (forged_case_status);
 *  - hide a case: the same status column edit changes nothing, and a case
 *    the log knows but whose row is gone is a finding (case_row_missing).
 * A case whose status change predates the status in the event (before
 * 0.3.0) is "unproven": never due until its status is set again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "head.h"
#include "buf.h"
#include "crypto.h"
#include "session.h"
#include "store.h"
#include "sql.h"
#include "event.h"
#include "attest.h"
#include "casekey.h"
#include "case_db.h"
#include "share_db.h"
#include "share.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define ST(x) COUNCIL__V1__CASE_STATUS__CASE_STATUS_##x

#define SCHED_KIND "retention"
#define SCHED_KEY "retention"
#define SCHED_SIG "retention_sig"
#define SCHED_HEAD 20 /* id (16) || u32be(n) */
#define SCHED_RULE 16 /* body, status, unit, count: u32be each */

/* ----------------------------------------------------------- the schedule */

typedef struct sched {
    uint8_t id[COUNCIL_ID_BYTES];
    bool set; /* a schedule was ever set */
    size_t n;
    council_retention_rule r[COUNCIL_RETENTION_RULES_MAX];
} sched;

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static bool rule_ok(const council_retention_rule *r)
{
    if (r->body < 0 || r->body > COUNCIL_CASE_BODY_NEEDS_OF_POOR_MEETING || r->status < 0 ||
        r->status > COUNCIL_CASE_STATUS_CLOSED)
        return false;
    if (r->unit == COUNCIL_RETENTION_KEEP)
        return r->count == 0;
    return r->unit >= COUNCIL_RETENTION_DAYS && r->unit <= COUNCIL_RETENTION_YEARS &&
           r->count >= 0 && r->count <= COUNCIL_RETENTION_COUNT_MAX;
}

static size_t sched_pack(const sched *s, uint8_t *out)
{
    memcpy(out, s->id, COUNCIL_ID_BYTES);
    put32(out + 16, (uint32_t)s->n);
    for (size_t i = 0; i < s->n; i++) {
        uint8_t *p = out + SCHED_HEAD + i * SCHED_RULE;
        put32(p, (uint32_t)s->r[i].body);
        put32(p + 4, (uint32_t)s->r[i].status);
        put32(p + 8, (uint32_t)s->r[i].unit);
        put32(p + 12, (uint32_t)s->r[i].count);
    }
    return SCHED_HEAD + s->n * SCHED_RULE;
}

/* The stored schedule, its signature checked (ETAMPER + finding), parsed
 * with every length checked first (EFORMAT). No schedule: s->set false. */
static int sched_load(council *c, const char *op, sched *s)
{
    static const uint8_t council_signer[COUNCIL_ID_BYTES];
    uint8_t *v = NULL, *sig = NULL;
    size_t n = 0, sig_len = 0;
    int rc;

    memset(s, 0, sizeof *s);
    if ((rc = council__setting_get(c, SCHED_KEY, &v, &n)) == COUNCIL_OK && v != NULL)
        rc = council__setting_get(c, SCHED_SIG, &sig, &sig_len);
    if (rc != COUNCIL_OK) {
        council__free(v);
        return rc == COUNCIL_ENOMEM ? council__fail(c, rc, "%s: out of memory", op)
                                    : council__db_err(c, op);
    }
    if (v == NULL)
        return COUNCIL_OK;
    if (council__attest_check(c, SCHED_KIND, v, n, council_signer, sizeof council_signer, sig,
                              sig_len) != COUNCIL_OK) {
        (void)council__tamper(c, NULL, NULL, NULL, "forged_retention_schedule");
        rc = council__fail(c, COUNCIL_ETAMPER, "%s: the stored retention schedule is not one the "
                           "secretariat signed (it was changed outside the library)", op);
    } else if (n < SCHED_HEAD || get32(v + 16) > COUNCIL_RETENTION_RULES_MAX ||
               n != SCHED_HEAD + (size_t)get32(v + 16) * SCHED_RULE) {
        rc = council__fail(c, COUNCIL_EFORMAT, "%s: the stored retention schedule is damaged", op);
    } else {
        memcpy(s->id, v, COUNCIL_ID_BYTES);
        s->n = get32(v + 16);
        s->set = true;
        for (size_t i = 0; i < s->n && rc == COUNCIL_OK; i++) {
            const uint8_t *p = v + SCHED_HEAD + i * SCHED_RULE;
            s->r[i].body = (int32_t)get32(p);
            s->r[i].status = (int32_t)get32(p + 4);
            s->r[i].unit = (int32_t)get32(p + 8);
            s->r[i].count = (int32_t)get32(p + 12);
            if (!rule_ok(&s->r[i]))
                rc = council__fail(c, COUNCIL_EFORMAT, "%s: the stored retention schedule is "
                                   "damaged", op);
        }
    }
    council__free(v);
    council__free(sig);
    return rc;
}

/* ------------------------------------------------------------ the log */

/* A case's status as the log tells it. */
typedef struct logcase {
    uint8_t ref[32];
    uint64_t seq;
    int status;    /* ST(OPEN..ERASED), 0: unproven (a status change without it) */
    int64_t since; /* when it entered the status */
    bool seen;     /* a case row matched it */
} logcase;

typedef struct walk {
    council *c;
    logcase *v;
    size_t n, cap;
    bool sched_event; /* a retention_schedule_changed was seen */
    uint8_t sched_id[COUNCIL_ID_BYTES];
} walk;

static int status_of(const char *s)
{
    return strcmp(s, "open") == 0         ? ST(OPEN)
           : strcmp(s, "monitoring") == 0 ? ST(MONITORING)
           : strcmp(s, "closed") == 0     ? ST(CLOSED)
                                          : 0;
}

static bool id_in(const ProtobufCBinaryData *d, bool has, size_t n)
{
    return has && d->len == n;
}

static int walk_fn(void *ctx, const Council__V1__AuditEvent *e, const uint8_t *body, size_t len,
                   const uint8_t leaf[COUNCIL_HASH_BYTES])
{
    walk *w = ctx;
    int status;

    (void)body;
    (void)len;
    (void)leaf;
    if (e->outcome != COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED)
        return COUNCIL_OK;
    if ((int)e->action == ACT(RETENTION_SCHEDULE_CHANGED)) {
        w->sched_event = id_in(&e->object_id, e->has_object_id, COUNCIL_ID_BYTES);
        if (w->sched_event)
            memcpy(w->sched_id, e->object_id.data, COUNCIL_ID_BYTES);
        return COUNCIL_OK;
    }
    if (!id_in(&e->case_ref, e->has_case_ref, 32))
        return COUNCIL_OK;
    if ((int)e->action == ACT(CASE_CREATED))
        status = ST(OPEN);
    else if ((int)e->action == ACT(CASE_ERASED))
        status = ST(ERASED);
    else if ((int)e->action == ACT(CASE_UPDATED) && e->reason != NULL &&
             strcmp(e->reason, "status_changed") == 0)
        status = e->purpose != NULL ? status_of(e->purpose) : 0;
    else
        return COUNCIL_OK;
    {
        logcase *nv = council__grow(w->v, &w->cap, w->n, sizeof *w->v);
        if (nv == NULL)
            return council__fail(w->c, COUNCIL_ENOMEM, "retention: out of memory");
        w->v = nv;
    }
    memcpy(w->v[w->n].ref, e->case_ref.data, 32);
    w->v[w->n].seq = e->seq;
    w->v[w->n].status = status;
    w->v[w->n].since = e->time;
    w->n++;
    return COUNCIL_OK;
}

static int logcase_cmp(const void *a, const void *b)
{
    const logcase *x = a, *y = b;
    int d = memcmp(x->ref, y->ref, 32);

    if (d != 0)
        return d;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Walk the log once: each case's newest status (sorted by ref, one entry a
 * case) and the newest schedule event. */
static int walk_log(council *c, const char *op, walk *w)
{
    uint64_t size = 0;
    size_t j = 0;
    int rc;

    memset(w, 0, sizeof *w);
    w->c = c;
    if ((rc = council__audit_size(c, &size)) != COUNCIL_OK)
        return council__fail(c, rc, "%s: cannot read the log", op);
    rc = council__log_walk_checked(c, op, size, walk_fn, w);
    if (rc != COUNCIL_OK)
        return rc;
    if (w->n > 1)
        qsort(w->v, w->n, sizeof *w->v, logcase_cmp);
    for (size_t i = 0; i < w->n; i++) {
        if (j > 0 && memcmp(w->v[j - 1].ref, w->v[i].ref, 32) == 0) {
            /* Only a real change of status moves `since`: a status set
             * again to the one it had keeps the time it was entered. */
            if (w->v[j - 1].status != w->v[i].status || w->v[i].status == 0)
                w->v[j - 1] = w->v[i];
            else
                w->v[j - 1].seq = w->v[i].seq;
        } else {
            w->v[j++] = w->v[i];
        }
    }
    w->n = j;
    return COUNCIL_OK;
}

static logcase *walk_find(walk *w, const uint8_t ref[32])
{
    size_t lo = 0, hi = w->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = memcmp(w->v[mid].ref, ref, 32);
        if (d == 0)
            return &w->v[mid];
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The schedule loaded and checked against the log: the newest schedule
 * event must name the stored schedule's id (else a replayed or planted
 * one: ETAMPER + finding). */
static int sched_checked(council *c, const char *op, const walk *w, sched *s)
{
    int rc = sched_load(c, op, s);

    if (rc != COUNCIL_OK)
        return rc;
    if (s->set != w->sched_event ||
        (s->set && sodium_memcmp(s->id, w->sched_id, COUNCIL_ID_BYTES) != 0)) {
        (void)council__tamper(c, NULL, NULL, NULL, "forged_retention_schedule");
        return council__fail(c, COUNCIL_ETAMPER, "%s: the stored retention schedule is not the "
                             "one last set (an older one was put back outside the library)", op);
    }
    return COUNCIL_OK;
}

/* ------------------------------------------------------------ time */

static int64_t days_civil(int64_t y, int64_t m, int64_t d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* t plus the rule's period (UTC calendar; the 31st plus a month is the
 * month's last day). */
static int64_t add_period(int64_t t, const council_retention_rule *r)
{
    int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400, sec = t - day * 86400;
    int64_t y, m, d, months, last;

    if (r->unit == COUNCIL_RETENTION_DAYS)
        return t + (int64_t)r->count * 86400;
    months = r->unit == COUNCIL_RETENTION_MONTHS ? r->count : (int64_t)r->count * 12;
    civil_days(day, &y, &m, &d);
    m = m - 1 + months;
    y += m / 12;
    m = m % 12 + 1;
    last = days_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - days_civil(y, m, 1);
    if (d > last)
        d = last;
    return days_civil(y, m, d) * 86400 + sec;
}

/* The rule for (body, status): the exact one, then any body, then any
 * status, then the default; NULL: kept. */
static const council_retention_rule *rule_for(const sched *s, int body, int status)
{
    static const int order[4][2] = { { 1, 1 }, { 0, 1 }, { 1, 0 }, { 0, 0 } };

    for (size_t k = 0; k < 4; k++)
        for (size_t i = 0; i < s->n; i++) {
            const council_retention_rule *r = &s->r[i];
            if ((order[k][0] ? r->body == body : r->body == 0) &&
                (order[k][1] ? r->status == status : r->status == 0))
                return r;
        }
    return NULL;
}

/* ------------------------------------------------------------ JSON */

static const char *body_name(int b)
{
    static const char *const names[] = { "any", "council", "support_meeting",
                                         "needs_of_poor_meeting" };
    return b >= 0 && b <= 3 ? names[b] : "unknown";
}

static const char *status_name(int s)
{
    static const char *const names[] = { "any", "open", "monitoring", "closed", "erased" };
    return s >= 0 && s <= 4 ? names[s] : "unknown";
}

static json_t *rule_json(const council_retention_rule *r)
{
    static const char *const units[] = { "keep", "days", "months", "years" };
    json_t *j = json_object();

    json_object_set_new(j, "body", json_string(body_name(r->body)));
    json_object_set_new(j, "status", json_string(status_name(r->status)));
    json_object_set_new(j, "unit", json_string(units[r->unit]));
    json_object_set_new(j, "count", json_integer(r->count));
    return j;
}

static int json_out(council *c, const char *op, json_t *j, council_buf *out)
{
    council__buf b = COUNCIL__BUF_INIT;
    char *s;

    if (j == NULL || (s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
        json_decref(j);
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    json_decref(j);
    council__buf_text(&b, s);
    sodium_memzero(s, strlen(s));
    free(s);
    return council__buf_out(c, op, &b, out);
}

/* ------------------------------------------------------------ set, get */

int council_retention_set(council *c, const council_retention_rule *rules, size_t n)
{
    static const char op[] = "retention_set";
    uint8_t blob[SCHED_HEAD + COUNCIL_RETENTION_RULES_MAX * SCHED_RULE];
    uint8_t sig[64], signer[COUNCIL_ID_BYTES];
    sched s;
    size_t len;
    int rc;

    if ((rc = council__secretariat_only(c, op)) != COUNCIL_OK)
        return rc;
    if (n > 0 && rules == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL rules", op);
    if (n > COUNCIL_RETENTION_RULES_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "%s: at most %d rules", op,
                             COUNCIL_RETENTION_RULES_MAX);
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < n; i++) {
        if (!rule_ok(&rules[i]))
            return council__fail(c, COUNCIL_EINVAL, "%s: rule %zu: a body (0 for any), a status "
                                 "(0 for any, open, monitoring or closed) and keep, or 0..%d days, "
                                 "months or years", op, i + 1, COUNCIL_RETENTION_COUNT_MAX);
        for (size_t k = 0; k < i; k++)
            if (rules[k].body == rules[i].body && rules[k].status == rules[i].status)
                return council__fail(c, COUNCIL_EINVAL, "%s: rule %zu: two rules for the same "
                                     "body and status", op, i + 1);
        s.r[i] = rules[i];
    }
    s.n = n;
    council__uuid_random(s.id);
    len = sched_pack(&s, blob);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if (council__setting_put(c, SCHED_KEY, blob, len, true) != COUNCIL_OK)
        rc = council__db_err(c, op);
    if (rc == COUNCIL_OK &&
        (rc = council__attest_sign(c, SCHED_KIND, blob, len, signer, sig)) == COUNCIL_OK &&
        council__setting_put(c, SCHED_SIG, sig, sizeof sig, true) != COUNCIL_OK)
        rc = council__db_err(c, op);
    if (rc == COUNCIL_OK) {
        council__event ev = {
            .action = ACT(RETENTION_SCHEDULE_CHANGED),
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
            .object_id = s.id,
        };
        council__event_actor(c, &ev);
        rc = council__audit_append(c, &ev);
    }
    return council__finish(c, rc);
}

int council_retention_get(council *c, council_buf *out)
{
    static const char op[] = "retention_get";
    char id[37];
    json_t *j, *a;
    walk w;
    sched s;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    if ((rc = council__secretariat_only(c, op)) != COUNCIL_OK ||
        (rc = council__audit_head_advance(c)) != COUNCIL_OK)
        return rc;
    rc = walk_log(c, op, &w);
    free(w.v);
    if (rc != COUNCIL_OK || (rc = sched_checked(c, op, &w, &s)) != COUNCIL_OK)
        return rc;
    j = json_object();
    a = json_array();
    for (size_t i = 0; i < s.n; i++)
        json_array_append_new(a, rule_json(&s.r[i]));
    json_object_set_new(j, "rules", a);
    if (s.set) {
        council__uuid_text(id, s.id);
        json_object_set_new(j, "schedule_id", json_string(id));
    } else {
        json_object_set_new(j, "schedule_id", json_null());
    }
    return json_out(c, op, j, out);
}

/* ------------------------------------------------------------ due */

/* One pass's view: what is due now, and what was found on the way. */
typedef struct due_case {
    uint8_t id[COUNCIL_ID_BYTES];
    int body, status;
    int64_t since, due_at;
    council_retention_rule rule;
} due_case;

typedef struct pass {
    walk w;
    sched s;
    int64_t now;
    due_case *due;
    size_t n_due, cap_due;
    uint8_t (*live)[COUNCIL_ID_BYTES]; /* cases not erased, for the purge */
    size_t n_live, cap_live;
    unsigned tampered, unproven;
} pass;

static void pass_free(pass *p)
{
    free(p->w.v);
    free(p->due);
    free(p->live);
    memset(p, 0, sizeof *p);
}

static int case_fn(council *c, const council__case_row *row, void *ctx)
{
    static const char op[] = "retention";
    pass *p = ctx;
    council__case k;
    logcase *lc;
    const council_retention_rule *r;
    int rc = council__case_load(c, op, row->id, &k);

    if (rc == COUNCIL_ETAMPER) { /* logged by the load: a forged owner or body */
        uint8_t ref[32];
        p->tampered++;
        if (council__case_ref(c, ref, row->id) == COUNCIL_OK && (lc = walk_find(&p->w, ref)) != NULL)
            lc->seen = true;
        return COUNCIL_OK;
    }
    if (rc != COUNCIL_OK)
        return rc;
    lc = walk_find(&p->w, k.ref);
    if (lc != NULL)
        lc->seen = true;
    if (lc == NULL || (lc->status != ST(ERASED) && k.erased != 0) ||
        (lc->status != 0 && lc->status != ST(ERASED) && lc->status != k.status)) {
        /* The row is not what the log says: the log decides (a case made
         * "closed" by a row edit is not due; one hidden as "open" still is). */
        (void)council__tamper(c, k.id, NULL, NULL, "forged_case_status");
        p->tampered++;
        if (lc == NULL || k.erased != 0)
            return COUNCIL_OK;
    }
    if (lc->status == ST(ERASED))
        return COUNCIL_OK;
    {
        void *nv = council__grow(p->live, &p->cap_live, p->n_live, sizeof *p->live);
        if (nv == NULL)
            return council__fail(c, COUNCIL_ENOMEM, "retention: out of memory");
        p->live = nv;
        memcpy(p->live[p->n_live++], k.id, COUNCIL_ID_BYTES);
    }
    if (lc->status == 0) {
        p->unproven++;
        return COUNCIL_OK;
    }
    /* The log's status must be the one the case's owner (or the
     * secretariat) signed, and the time is the later of the two: an event
     * the insider appended to the log's tail, or a status column it wrote,
     * never makes a case due. */
    {
        bool found = false;
        int32_t ss = 0;
        int64_t ssince = 0;
        rc = council__case_status_signed(c, op, &k, &found, &ss, &ssince);
        if (rc == COUNCIL_ETAMPER) { /* logged: forged_case_status */
            council__clear(c);
            p->tampered++;
            return COUNCIL_OK;
        }
        if (rc != COUNCIL_OK)
            return rc;
        if (!found) {
            p->unproven++;
            return COUNCIL_OK;
        }
        if (ss != lc->status) {
            (void)council__tamper(c, k.id, NULL, NULL, "forged_case_status");
            p->tampered++;
            return COUNCIL_OK;
        }
        if (ssince > lc->since)
            lc->since = ssince;
    }
    r = rule_for(&p->s, k.body, lc->status);
    if (r == NULL || r->unit == COUNCIL_RETENTION_KEEP || add_period(lc->since, r) > p->now)
        return COUNCIL_OK;
    {
        due_case *nd = council__grow(p->due, &p->cap_due, p->n_due, sizeof *p->due);
        if (nd == NULL)
            return council__fail(c, COUNCIL_ENOMEM, "retention: out of memory");
        p->due = nd;
    }
    memcpy(p->due[p->n_due].id, k.id, COUNCIL_ID_BYTES);
    p->due[p->n_due].body = k.body;
    p->due[p->n_due].status = lc->status;
    p->due[p->n_due].since = lc->since;
    p->due[p->n_due].due_at = add_period(lc->since, r);
    p->due[p->n_due].rule = *r;
    p->n_due++;
    return COUNCIL_OK;
}

/* The pass's view at now: the secretariat's, schedule checked, log walked,
 * every case row looked at. */
static int pass_start(council *c, const char *op, int64_t now, pass *p)
{
    int64_t clock = (int64_t)time(NULL);
    int rc;

    memset(p, 0, sizeof *p);
    if (now < 0 || now > clock + COUNCIL_RETENTION_AHEAD_MAX)
        return council__fail(c, COUNCIL_EINVAL, "%s: the time is at most a day ahead of the "
                             "clock (0: now)", op);
    p->now = now == 0 ? clock : now;
    /* The stored tree the walk checks each event against must be the one
     * the signer kept (a tree rewritten to match edited events: ETAMPER). */
    if ((rc = council__audit_head_advance(c)) != COUNCIL_OK ||
        (rc = walk_log(c, op, &p->w)) != COUNCIL_OK ||
        (rc = sched_checked(c, op, &p->w, &p->s)) != COUNCIL_OK ||
        (rc = council__case_each(c, op, case_fn, p)) != COUNCIL_OK)
        return rc;
    for (size_t i = 0; i < p->w.n; i++)
        if (!p->w.v[i].seen && p->w.v[i].status != ST(ERASED)) {
            /* The log knows a case whose row is gone. */
            (void)council__tamper(c, NULL, NULL, NULL, "case_row_missing");
            p->tampered++;
        }
    /* A case the log knows whose row was changed (made to look erased, its
     * owner, body or signed status forged, or deleted) may be one that is
     * due: no list and no pass until it is put right, so nothing due is
     * hidden from the secretariat (each is a tamper_detected finding). */
    if (p->tampered > 0)
        return council__fail(c, COUNCIL_ETAMPER, "%s: %u case(s) changed outside the library "
                             "(see the tamper_detected events); a case due could be hidden among "
                             "them: put them right (case erase, or a restore) before a retention "
                             "pass", op, p->tampered);
    return COUNCIL_OK;
}

static json_t *due_json(const due_case *d)
{
    char id[37];
    json_t *j = json_object();

    council__uuid_text(id, d->id);
    json_object_set_new(j, "case_id", json_string(id));
    json_object_set_new(j, "body", json_string(body_name(d->body)));
    json_object_set_new(j, "status", json_string(status_name(d->status)));
    json_object_set_new(j, "since", json_integer(d->since));
    json_object_set_new(j, "due_since", json_integer(d->due_at));
    json_object_set_new(j, "rule", rule_json(&d->rule));
    return j;
}

int council_retention_due(council *c, council_buf *out, int64_t now)
{
    static const char op[] = "retention_due";
    json_t *j, *a;
    pass p;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    if ((rc = council__secretariat_only(c, op)) != COUNCIL_OK)
        return rc;
    if ((rc = pass_start(c, op, now, &p)) != COUNCIL_OK) {
        pass_free(&p);
        return rc;
    }
    j = json_object();
    a = json_array();
    for (size_t i = 0; i < p.n_due; i++)
        json_array_append_new(a, due_json(&p.due[i]));
    json_object_set_new(j, "now", json_integer(p.now));
    json_object_set_new(j, "cases", a);
    json_object_set_new(j, "tampered", json_integer(p.tampered));
    json_object_set_new(j, "unproven", json_integer(p.unproven));
    pass_free(&p);
    return json_out(c, op, j, out);
}

/* ------------------------------------------------------------ apply */

static bool named(const council_retention_apply_options *o, const uint8_t id[COUNCIL_ID_BYTES])
{
    if (o->case_ids == NULL)
        return true;
    for (size_t i = 0; i < o->n_case_ids; i++)
        if (sodium_memcmp(o->case_ids + i * COUNCIL_ID_BYTES, id, COUNCIL_ID_BYTES) == 0)
            return true;
    return false;
}

/* How many shares of the case end now: past their expiry (their meeting's
 * window included) per scope, and those on a consent that no longer
 * covers them. */
static int purge_case(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                      bool dry_run, size_t *purged)
{
    char sc[COUNCIL__AUDIT_SCOPES_MAX][COUNCIL__AUDIT_CODE_MAX + 1];
    const char *scopes[COUNCIL__AUDIT_SCOPES_MAX];
    uint8_t members[32][COUNCIL_ID_BYTES];
    council__share_consent *before = NULL, *after = NULL;
    size_t n_sc = 0, n_before = 0, n_after = 0, count = 0;
    council__case k;
    int rc = council__audit_batch_begin(c);

    *purged = 0;
    if (rc != COUNCIL_OK)
        return rc;
    if ((rc = council__case_load(c, op, id, &k)) != COUNCIL_OK || k.erased != 0) {
        council__audit_batch_rollback(c);
        return rc == COUNCIL_ETAMPER ? COUNCIL_OK : rc;
    }
    rc = council__key_scopes(c, op, id, sc, scopes, &n_sc);
    for (size_t i = 0; rc == COUNCIL_OK && i < n_sc; i++) {
        size_t n = 0;
        if ((rc = council__share_expired(c, op, id, sc[i], members, 32, &n)) == COUNCIL_OK) {
            count += n;
            if (n > 0)
                rc = council__share_expire(c, op, &k, sc[i]);
        }
    }
    if (rc == COUNCIL_OK)
        rc = council__share_consent_rows(c, op, id, &before, &n_before);
    if (rc == COUNCIL_OK && n_before > 0 &&
        (rc = council__case_recheck_consent_shares(c, op, id, NULL, NULL)) == COUNCIL_OK &&
        (rc = council__share_consent_rows(c, op, id, &after, &n_after)) == COUNCIL_OK &&
        n_after < n_before)
        count += n_before - n_after;
    council__free(before);
    council__free(after);
    if (rc == COUNCIL_OK && count > 0 && !dry_run)
        rc = council__case_log(c, ACT(KEYS_PURGED), &k, NULL, 0, NULL, NULL, "retention");
    if (rc != COUNCIL_OK || dry_run) {
        council__audit_batch_rollback(c);
        if (rc == COUNCIL_OK)
            *purged = count;
        return rc;
    }
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK)
        *purged = count;
    return rc;
}

int council_retention_apply(council *c, council_buf *out,
                            const council_retention_apply_options *o)
{
    static const char op[] = "retention_apply";
    size_t erased = 0, purged_cases = 0, purged = 0;
    json_t *j, *a;
    pass p;
    int rc;

    if (out == NULL || o == NULL || o->version != COUNCIL_RETENTION_APPLY_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output, or options missing or of "
                             "unknown version", op);
    if ((rc = council__secretariat_only(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (o->case_ids == NULL ? o->n_case_ids != 0 : o->n_case_ids == 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: case ids and their number go together", op);
    if (o->n_case_ids > COUNCIL_RETENTION_APPLY_IDS_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "%s: at most %d case ids", op,
                             COUNCIL_RETENTION_APPLY_IDS_MAX);
    if ((rc = pass_start(c, op, o->now, &p)) != COUNCIL_OK) {
        pass_free(&p);
        return rc;
    }
    /* Every case named must be due: else nothing is done. */
    for (size_t i = 0; i < o->n_case_ids; i++) {
        bool due = false;
        for (size_t d = 0; d < p.n_due && !due; d++)
            due = sodium_memcmp(p.due[d].id, o->case_ids + i * COUNCIL_ID_BYTES,
                                COUNCIL_ID_BYTES) == 0;
        if (!due) {
            council__event ev = {
                .action = ACT(RETENTION_APPLIED),
                .reason = "not_due",
            };
            pass_free(&p);
            return council__refuse_event(c, false, &ev, COUNCIL_EDENIED, op,
                                         "a case named is not due (or not a case)");
        }
    }
    a = json_array();
    for (size_t d = 0; rc == COUNCIL_OK && d < p.n_due; d++) {
        if (!named(o, p.due[d].id))
            continue;
        if (!o->dry_run && (rc = council_case_erase(c, p.due[d].id, COUNCIL_ID_BYTES,
                                                    "retention")) != COUNCIL_OK)
            break;
        erased++;
        json_array_append_new(a, due_json(&p.due[d]));
        /* Erased: nothing of it is left to purge. */
        for (size_t l = 0; l < p.n_live; l++)
            if (memcmp(p.live[l], p.due[d].id, COUNCIL_ID_BYTES) == 0)
                memset(p.live[l], 0, COUNCIL_ID_BYTES);
    }
    for (size_t l = 0; rc == COUNCIL_OK && l < p.n_live; l++) {
        static const uint8_t zero[COUNCIL_ID_BYTES];
        size_t n = 0;
        if (memcmp(p.live[l], zero, COUNCIL_ID_BYTES) == 0)
            continue;
        if ((rc = purge_case(c, op, p.live[l], o->dry_run != 0, &n)) == COUNCIL_OK && n > 0) {
            purged_cases++;
            purged += n;
        }
    }
    /* The pass's summary, also after a failure part way (what was done). */
    if (!o->dry_run && (rc == COUNCIL_OK || erased > 0 || purged > 0)) {
        char reason[COUNCIL__AUDIT_CODE_MAX + 1];
        int arc;
        council__event ev = {
            .action = ACT(RETENTION_APPLIED),
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
            .reason = reason,
        };
        snprintf(reason, sizeof reason, "erased_%zu_purged_%zu", erased, purged);
        council__event_actor(c, &ev);
        if ((arc = council__audit_append(c, &ev)) != COUNCIL_OK && rc == COUNCIL_OK)
            rc = arc;
    }
    if (rc != COUNCIL_OK) {
        json_decref(a);
        pass_free(&p);
        return rc;
    }
    j = json_object();
    json_object_set_new(j, "dry_run", json_boolean(o->dry_run != 0));
    json_object_set_new(j, "now", json_integer(p.now));
    json_object_set_new(j, "erased", a);
    json_object_set_new(j, "purged_cases", json_integer((json_int_t)purged_cases));
    json_object_set_new(j, "purged_shares", json_integer((json_int_t)purged));
    json_object_set_new(j, "tampered", json_integer(p.tampered));
    json_object_set_new(j, "unproven", json_integer(p.unproven));
    pass_free(&p);
    return json_out(c, op, j, out);
}
