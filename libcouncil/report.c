/*
 * report.c - the report for the regional platform: aggregate counts
 * only, each table through small-cell suppression (suppress.c). No ids, no
 * pseudonyms, no dates finer than a month, no names.
 *
 * Tables (each its own population, so no two share a marginal; the three
 * case tables share only the grand total, which is hidden in all three if
 * any hides it):
 *   cases_by_age_band_and_status   age band of the person supported (from
 *                                  the identity section) x case status
 *   cases_by_body_and_member_kind  body collected under x owner's kind
 *   cases_by_month                 month the case was opened
 *   support_tasks_by_state         task state (from support plans) x body
 *   referrals_by_month_and_kind    shares with purpose referral: month x
 *                                  recipient member kind
 * Reading identity and support plan sections for the statistics is
 * logged per case (purpose "statistics"), like any read.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/member.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "session.h"
#include "suppress.h"
#include "case_db.h"
#include "case.h"
#include "event.h"
#include "member_db.h"
#include "share_db.h"

#define MONTHS_MAX 64

static const char *const statuses[] = { "open", "monitoring", "closed", "erased" };
static const char *const bodies[] = { "council", "support_meeting", "needs_of_poor_meeting" };
static const char *const bands[] = { "0-19", "20-29", "30-39", "40-49", "50-59", "60-69",
                                     "70-79", "80-89", "90+", "unknown" };
static const char *const task_states[] = { "open", "done", "cancelled" };
static const char *const kinds[] = {
    "municipal_department", "prefectural_department", "social_welfare_council",
    "social_welfare_corporation", "npo", "medical", "school", "police", "child_guidance_centre",
    "probation", "welfare_commissioner", "utility", "financial", "company", "other",
};
#define N(a) (sizeof a / sizeof a[0])

typedef struct grid {
    const char *title;
    const char *const *rows;
    size_t n_rows;
    const char *const *cols;
    size_t n_cols;
    uint64_t cells[16 * MONTHS_MAX];
} grid;

static void add(grid *g, size_t r, size_t col)
{
    if (r < g->n_rows && col < g->n_cols)
        g->cells[r * g->n_cols + col]++;
}

static size_t band_of(const char *birth, const struct tm *now)
{
    int y, m, d, age;

    if (birth == NULL || sscanf(birth, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return N(bands) - 1;
    age = now->tm_year + 1900 - y;
    if (now->tm_mon + 1 < m || (now->tm_mon + 1 == m && now->tm_mday < d))
        age--;
    if (age < 0)
        return N(bands) - 1;
    if (age < 20)
        return 0;
    return age >= 90 ? 8 : (size_t)(age / 10 - 1);
}

/* Month labels "YYYY-MM" of the months that have cases or referrals. */
typedef struct months {
    char label[MONTHS_MAX][8];
    const char *ptr[MONTHS_MAX];
    size_t n;
} months;

static size_t month_of(months *ms, int64_t t)
{
    char l[32];
    time_t tt = (time_t)t;
    struct tm tm;

    if (gmtime_r(&tt, &tm) == NULL)
        return SIZE_MAX;
    if (tm.tm_year < 0 || tm.tm_year > 8000)
        return SIZE_MAX;
    snprintf(l, sizeof l, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
    l[7] = '\0';
    for (size_t i = 0; i < ms->n; i++)
        if (strcmp(ms->label[i], l) == 0)
            return i;
    if (ms->n == MONTHS_MAX)
        return SIZE_MAX;
    memcpy(ms->label[ms->n], l, 8);
    ms->ptr[ms->n] = ms->label[ms->n];
    return ms->n++;
}

static int kind_index(int kind)
{
    return kind >= 1 && (size_t)kind <= N(kinds) ? kind - 1 : (int)N(kinds) - 1;
}

/* What gather fills, and the register's kinds it joins the rows with. */
typedef struct gather_ctx {
    const char *op;
    struct tm tnow;
    grid *age, *body, *month, *tasks, *refs;
    months *cm, *rm;
    council__member_kind *kinds;
    size_t n_kinds;
} gather_ctx;

/* The kind of member id (false: not in the register). */
static bool kind_of(const gather_ctx *g, const uint8_t id[COUNCIL_ID_BYTES], int *kind)
{
    for (size_t i = 0; i < g->n_kinds; i++)
        if (memcmp(g->kinds[i].id, id, COUNCIL_ID_BYTES) == 0) {
            *kind = g->kinds[i].kind;
            return true;
        }
    return false;
}

/* One case: its counts (a case whose owner is not in the register counts
 * nowhere), and the sections the statistics need. */
static int gather_case(council *c, const council__case_row *r, void *ctx)
{
    gather_ctx *g = ctx;
    const char *op = g->op;
    int status = r->status, b = r->body, kind = 0;
    size_t s = status >= 1 && status <= 4 ? (size_t)status - 1 : 0;
    size_t bi = b >= 1 && b <= 3 ? (size_t)b - 1 : 0;
    size_t band = N(bands) - 1;
    int rc = COUNCIL_OK;

    if (!r->has_owner || !kind_of(g, r->owner, &kind))
        return COUNCIL_OK;
    if (status != COUNCIL__V1__CASE_STATUS__CASE_STATUS_ERASED) {
        static const char *const need[] = { "identity", "support_plan" };
        council_buf cb = { NULL, 0 };
        Council__V1__CaseContent *cc = NULL;
        rc = council__case_content(c, op, &cb, r->id, need, 2, "statistics");
        if (rc == COUNCIL_OK)
            cc = council__v1__case_content__unpack(council__pb_wiping_allocator(), cb.len, cb.ptr);
        council_buf_free(&cb);
        if (rc == COUNCIL_OK && cc == NULL)
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        for (size_t i = 0; rc == COUNCIL_OK && i < cc->n_sections; i++) {
            const Council__V1__Section *sec = cc->sections[i]->section;
            const Council__V1__Person *p = NULL;
            for (size_t j = 0; j < cc->info->n_persons; j++)
                if (cc->info->persons[j]->id.len == 16 && cc->sections[i]->person_id.len == 16 &&
                    memcmp(cc->info->persons[j]->id.data, cc->sections[i]->person_id.data, 16) == 0)
                    p = cc->info->persons[j];
            if (sec->identity != NULL && p != NULL &&
                p->role == COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_SUPPORTED)
                band = band_of(sec->identity->birth_date, &g->tnow);
            if (sec->support_plan != NULL)
                for (size_t j = 0; j < sec->support_plan->n_tasks; j++) {
                    int ts = sec->support_plan->tasks[j]->state;
                    add(g->tasks, ts >= 1 && ts <= 3 ? (size_t)ts - 1 : 0, bi);
                }
        }
        if (cc != NULL)
            council__v1__case_content__free_unpacked(cc, council__pb_wiping_allocator());
    }
    if (rc != COUNCIL_OK)
        return rc;
    add(g->age, band, s);
    add(g->body, bi, (size_t)kind_index(kind));
    {
        size_t mi = month_of(g->cm, r->created);
        if (mi == SIZE_MAX)
            return council__fail(c, COUNCIL_ELIMIT, "%s: more than %d months", op, MONTHS_MAX);
        g->month->n_rows = g->cm->n;
        add(g->month, mi, 0);
    }
    return COUNCIL_OK;
}

/* One referral (a recipient not in the register counts nowhere). */
static int gather_referral(council *c, int64_t granted, const uint8_t member[COUNCIL_ID_BYTES],
                           void *ctx)
{
    gather_ctx *g = ctx;
    size_t mi;
    int kind = 0;

    if (!kind_of(g, member, &kind))
        return COUNCIL_OK;
    mi = month_of(g->rm, granted);
    if (mi == SIZE_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "%s: more than %d months", g->op, MONTHS_MAX);
    g->refs->n_rows = g->rm->n;
    add(g->refs, mi, (size_t)kind_index(kind));
    return COUNCIL_OK;
}

/* The counts, from the store (and the sections the statistics need). */
static int gather(council *c, const char *op, grid *age, grid *body, grid *month, months *cm,
                  grid *tasks, grid *refs, months *rm)
{
    gather_ctx g = { .op = op, .age = age, .body = body, .month = month, .tasks = tasks,
                     .refs = refs, .cm = cm, .rm = rm };
    time_t now = time(NULL);
    int rc;

    gmtime_r(&now, &g.tnow);
    if ((rc = council__member_kinds(c, op, &g.kinds, &g.n_kinds)) != COUNCIL_OK)
        return rc;
    rc = council__case_each(c, op, gather_case, &g);
    if (rc == COUNCIL_OK)
        rc = council__share_referrals_each(c, op, gather_referral, &g);
    council__free(g.kinds);
    return rc;
}

int council_report_platform(council *c, council_buf *out, unsigned k, int format)
{
    static const char op[] = "report_platform";
    static const char *const one[] = { "cases" };
    grid *g = council__calloc(5, sizeof *g);
    months cm, rm;
    council__table t[5];
    council__suppressed s[5];
    council_buf parts[5];
    size_t total = 0;
    int rc;

    if (out == NULL) {
        council__free(g);
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    }
    out->ptr = NULL;
    out->len = 0;
    if (g == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    rc = council__secretariat_only(c, op);
    if (rc == COUNCIL_OK)
        rc = council__no_batch(c, op);
    if (rc == COUNCIL_OK && k == 0)
        k = COUNCIL_REPORT_K_DEFAULT;
    if (rc == COUNCIL_OK && (k < 3 || k > 1000))
        rc = council__fail(c, COUNCIL_EINVAL, "%s: k is 3..1000 (never below 3)", op);
    if (rc == COUNCIL_OK && format != COUNCIL_REPORT_CSV && format != COUNCIL_REPORT_JSON)
        rc = council__fail(c, COUNCIL_EINVAL, "%s: format is CSV or JSON", op);
    if (rc != COUNCIL_OK) {
        council__free(g);
        return rc;
    }
    memset(&cm, 0, sizeof cm);
    memset(&rm, 0, sizeof rm);
    memset(s, 0, sizeof s);
    memset(parts, 0, sizeof parts);
    g[0] = (grid){ "cases_by_age_band_and_status", bands, N(bands), statuses, N(statuses), { 0 } };
    g[1] = (grid){ "cases_by_body_and_member_kind", bodies, N(bodies), kinds, N(kinds), { 0 } };
    g[2] = (grid){ "cases_by_month", cm.ptr, 0, one, 1, { 0 } };
    g[3] = (grid){ "support_tasks_by_state_and_body", task_states, N(task_states), bodies,
                   N(bodies), { 0 } };
    g[4] = (grid){ "referrals_by_month_and_kind", rm.ptr, 0, kinds, N(kinds), { 0 } };
    if ((rc = gather(c, op, &g[0], &g[1], &g[2], &cm, &g[3], &g[4], &rm)) != COUNCIL_OK) {
        council__free(g);
        return rc;
    }
    for (size_t i = 0; i < 5 && rc == COUNCIL_OK; i++) {
        t[i] = (council__table){ g[i].title, g[i].n_rows, g[i].n_cols, g[i].rows, g[i].cols,
                                 g[i].cells };
        rc = council__suppress(&s[i], &t[i], k);
    }
    /* The three case tables share their grand total: hidden in one, hidden
     * in all, and each suppressed again so that its own published counts
     * do not give the total away. */
    if (rc == COUNCIL_OK && (s[0].total_hidden || s[1].total_hidden || s[2].total_hidden))
        for (size_t i = 0; i < 3 && rc == COUNCIL_OK; i++) {
            council__suppressed_free(&s[i]);
            rc = council__suppress_total(&s[i], &t[i], k, true);
        }
    for (size_t i = 0; i < 5 && rc == COUNCIL_OK; i++) {
        rc = format == COUNCIL_REPORT_CSV ? council__report_csv(&parts[i], &t[i], &s[i])
                                          : council__report_json(&parts[i], &t[i], &s[i]);
        if (rc != COUNCIL_OK)
            rc = council__fail(c, rc, "%s: table %s could not be rendered safely (%s)", op,
                               t[i].title, council_errstr(rc));
        total += parts[i].len + 4;
    }
    if (rc == COUNCIL_OK) {
        char head[96];
        int hn = format == COUNCIL_REPORT_JSON
                     ? snprintf(head, sizeof head, "{\"report\":\"platform\",\"k\":%u,\"tables\":[", k)
                     : 0;
        out->ptr = council__malloc(total + (size_t)hn + 8);
        if (out->ptr == NULL)
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        else {
            size_t n = 0;
            memcpy(out->ptr, head, (size_t)hn);
            n += (size_t)hn;
            for (size_t i = 0; i < 5; i++) {
                if (i > 0)
                    out->ptr[n++] = format == COUNCIL_REPORT_JSON ? ',' : '\n';
                memcpy(out->ptr + n, parts[i].ptr, parts[i].len);
                n += parts[i].len;
            }
            if (format == COUNCIL_REPORT_JSON) {
                memcpy(out->ptr + n, "]}\n", 3);
                n += 3;
            }
            out->len = n;
        }
    }
    for (size_t i = 0; i < 5; i++) {
        council__suppressed_free(&s[i]);
        council_buf_free(&parts[i]);
    }
    council__free(g);
    if (rc == COUNCIL_OK) {
        const council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_REPORT_PRODUCED,
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .purpose = "statistics",
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
            .reason = "platform_report",
        };
        rc = council__audit_append(c, &ev);
    }
    if (rc != COUNCIL_OK) {
        council_buf_free(out);
        return rc;
    }
    council__clear(c);
    return COUNCIL_OK;
}
