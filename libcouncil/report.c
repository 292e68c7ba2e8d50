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
 *   then the count tables (one row, a column a category; see
 *   count_sources[] below).
 * Reading identity and support plan sections for the statistics is
 * logged per case (purpose "statistics"), like any read.
 *
 * The period. All time (from = to = 0, as council_report_platform()): every
 * case and referral; the months are those that have one, as UTC months in
 * the order of their first case (the 0.1.0 report, unchanged). A period
 * [from, to): the cases opened and the referrals granted in it; the months
 * are every month of the period, in order, as months of the council's time
 * zone (council_timezone_get()), so a fiscal year has its twelve rows. The
 * zone's rules are read from its tzdata file here (the zone section
 * below), not through TZ and tzset(): the library never changes the
 * process's environment, and two handles in two threads may use two zones.
 * A case's status, age band and tasks are as they are now (the age band at
 * the period's end when that is earlier).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/member.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "head.h"
#include "session.h"
#include "suppress.h"
#include "case_db.h"
#include "case.h"
#include "event.h"
#include "member_db.h"
#include "share_db.h"
#include "referral.h"
#include "request.h"
#include "report_issued.h"

/* A row a month: at most 100 years of them (COUNCIL_ELIMIT over). */
#define MONTHS_MAX COUNCIL__REPORT_ROWS_MAX
_Static_assert(COUNCIL__REPORT_ROWS_MAX == COUNCIL_REPORT_MONTHS_MAX, "a row a month");
/* The last instant a period may reach: 10000-01-01T00:00:00Z. */
#define PERIOD_END_MAX INT64_C(253402300800)

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

/* ------------------------------------------------------------ count tables
 *
 * A count table is one row of counts by category with its total: the
 * source fills counts[0 .. n_cols - 1] for the period [from, to) (all time:
 * from = 0, to = INT64_MAX), and the table goes through the same
 * suppression as every other (a total below k hides the row). Each source
 * is its own population: it shares no margin with another table.
 *
 * The count tables of issue 14: referrals proposed in the period by the
 * state they are in now (council__referral_counts, referral.h) and
 * cooperation requests made in the period by outcome
 * (council__request_counts, request.h), in the orders of the label lists
 * below.
 */
typedef int (*count_fn)(council *c, const char *op, int64_t from, int64_t to, int64_t *counts);

typedef struct count_source {
    const char *title;        /* a code: see council__table */
    const char *row;          /* the one row's label */
    const char *const *cols;  /* the categories */
    size_t n_cols;            /* at most COUNT_COLS_MAX */
    count_fn fn;
} count_source;

#define COUNT_COLS_MAX 16

static const char *const referral_states[] = { "proposed", "accepted", "declined",
                                               "withdrawn", "completed", "ended" };
static const char *const request_outcomes[] = { "open", "answered", "declined", "withdrawn" };
/* The counts arrays of council__referral_counts and council__request_counts. */
_Static_assert(N(referral_states) == 6, "referrals: proposed .. ended");
_Static_assert(N(request_outcomes) == 4, "requests: open .. withdrawn");

static const count_source count_sources[] = {
    { "referrals_by_state", "referrals", referral_states, N(referral_states),
      council__referral_counts },
    { "requests_by_outcome", "requests", request_outcomes, N(request_outcomes),
      council__request_counts },
    { NULL, NULL, NULL, 0, NULL },
};
#define COUNT_SOURCES_MAX (N(count_sources) - 1)

/* ------------------------------------------------------------------ grids */

typedef struct grid {
    const char *title;
    const char *const *rows;
    size_t n_rows;
    const char *const *cols;
    size_t n_cols;
    uint64_t *cells; /* rows_cap * n_cols, on the heap */
    size_t rows_cap;
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

/* ------------------------------------------------------ civil calendar */

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Days since 1970-01-01 of a proleptic Gregorian date (m 1..12). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = floor_div(y, 400);
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = floor_div(z, 146097);
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool leap_year(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
    static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    return m == 2 && leap_year(y) ? 29 : md[m - 1];
}

/* ------------------------------------------------- the council's time zone
 *
 * The zone's tzdata file (RFC 8536, version 2 or later): its 64-bit
 * transitions and UT offsets, and after the last transition the POSIX TZ
 * rule of its footer (such as "CET-1CEST,M3.5.0,M10.5.0/3"). Leap-second
 * records ("right/" zones) are ignored: an error of seconds at most.
 */
#define ZONE_FILE_MAX 65536
#define ZONE_TYPES_MAX 256
#define ZONEINFO "/usr/share/zoneinfo/"

typedef struct tzrule {
    char kind;    /* 'J' (1..365, no Feb 29), 'N' (0..365), 'M' (month.week.day) */
    int m, w, d;  /* d is the day number for 'J' and 'N' */
    int32_t secs; /* local time of day of the change */
} tzrule;

typedef struct zone {
    int64_t *trans;
    uint8_t *idx;
    size_t n_trans;
    int32_t utoff[ZONE_TYPES_MAX];
    size_t n_types;
    bool has_rule, has_dst;
    int32_t std_off, dst_off; /* east of UT, seconds */
    tzrule start, end;
} zone;

static void zone_free(zone *z)
{
    council__free(z->trans);
    council__free(z->idx);
    memset(z, 0, sizeof *z);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64s(const uint8_t *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* [+-]hh[:mm[:ss]] with hh up to max_h; the seconds into *out. */
static bool tz_time(const char **sp, int max_h, int32_t *out)
{
    const char *s = *sp;
    int sign = 1, part[3] = { 0, 0, 0 };

    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    for (int i = 0; i < 3; i++) {
        int n = 0, v = 0;

        if (i > 0) {
            if (*s != ':')
                break;
            s++;
        }
        while (*s >= '0' && *s <= '9' && n < 3) {
            v = v * 10 + (*s++ - '0');
            n++;
        }
        if (n == 0 || (i == 0 ? v > max_h : v > 59))
            return false;
        part[i] = v;
    }
    *out = (int32_t)sign * (part[0] * 3600 + part[1] * 60 + part[2]);
    *sp = s;
    return true;
}

static bool tz_name(const char **sp)
{
    const char *s = *sp;
    size_t n = 0;

    if (*s == '<') {
        s++;
        while (*s != '\0' && *s != '>') {
            s++;
            n++;
        }
        if (*s != '>' || n < 3)
            return false;
        *sp = s + 1;
        return true;
    }
    while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) {
        s++;
        n++;
    }
    *sp = s;
    return n >= 3;
}

static bool tz_num(const char **sp, int lo, int hi, int *out)
{
    const char *s = *sp;
    int v = 0, n = 0;

    while (*s >= '0' && *s <= '9' && n < 4) {
        v = v * 10 + (*s++ - '0');
        n++;
    }
    if (n == 0 || v < lo || v > hi)
        return false;
    *out = v;
    *sp = s;
    return true;
}

static bool tz_rule(const char **sp, tzrule *r)
{
    const char *s = *sp;

    memset(r, 0, sizeof *r);
    r->secs = 7200; /* 02:00, POSIX's default */
    if (*s == 'J') {
        s++;
        r->kind = 'J';
        if (!tz_num(&s, 1, 365, &r->d))
            return false;
    } else if (*s == 'M') {
        s++;
        r->kind = 'M';
        if (!tz_num(&s, 1, 12, &r->m) || *s++ != '.' || !tz_num(&s, 1, 5, &r->w) ||
            *s++ != '.' || !tz_num(&s, 0, 6, &r->d))
            return false;
    } else {
        r->kind = 'N';
        if (!tz_num(&s, 0, 365, &r->d))
            return false;
    }
    if (*s == '/') {
        s++;
        if (!tz_time(&s, 167, &r->secs))
            return false;
    }
    *sp = s;
    return true;
}

/* The footer's POSIX TZ string (NUL-terminated). */
static bool tz_posix(zone *z, const char *s)
{
    int32_t off;

    if (*s == '\0')
        return true; /* no rule: the last transition's type stays */
    if (!tz_name(&s) || !tz_time(&s, 24, &off))
        return false;
    z->has_rule = true;
    z->std_off = -off; /* POSIX counts west of UT */
    if (*s == '\0')
        return true;
    if (!tz_name(&s))
        return false;
    z->has_dst = true;
    z->dst_off = z->std_off + 3600;
    if (*s != ',' && *s != '\0') {
        if (!tz_time(&s, 24, &off))
            return false;
        z->dst_off = -off;
    }
    if (*s++ != ',' || !tz_rule(&s, &z->start) || *s++ != ',' || !tz_rule(&s, &z->end))
        return false;
    return *s == '\0';
}

/* Days since the epoch of rule r's date in year y. */
static int64_t rule_day(int64_t y, const tzrule *r)
{
    int64_t jan1 = days_from_civil(y, 1, 1), first, day;
    int wday;

    if (r->kind == 'J')
        return jan1 + r->d - 1 + (leap_year(y) && r->d >= 60);
    if (r->kind == 'N')
        return jan1 + r->d;
    first = days_from_civil(y, r->m, 1);
    wday = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
    day = first + (r->d - wday + 7) % 7 + (int64_t)(r->w - 1) * 7;
    while (day - first >= month_days(y, r->m))
        day -= 7;
    return day;
}

/* The UT instants DST starts and ends in year y. */
static void rule_changes(const zone *z, int64_t y, int64_t *start, int64_t *end)
{
    *start = rule_day(y, &z->start) * 86400 + z->start.secs - z->std_off;
    *end = rule_day(y, &z->end) * 86400 + z->end.secs - z->dst_off;
}

static int64_t rule_year(const zone *z, int64_t t)
{
    int64_t y;
    int m, d;

    civil_from_days(floor_div(t + z->std_off, 86400), &y, &m, &d);
    return y;
}

static int32_t rule_off(const zone *z, int64_t t)
{
    int64_t start, end;
    bool dst;

    if (!z->has_dst)
        return z->std_off;
    rule_changes(z, rule_year(z, t), &start, &end);
    dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    return dst ? z->dst_off : z->std_off;
}

/* The UT offset in force at t. */
static int32_t zone_off(const zone *z, int64_t t)
{
    size_t lo = 0, hi;

    if (z->n_trans == 0)
        return z->has_rule ? rule_off(z, t) : z->utoff[0];
    if (t < z->trans[0])
        return z->utoff[0];
    if (t >= z->trans[z->n_trans - 1] && z->has_rule)
        return rule_off(z, t);
    hi = z->n_trans; /* the last transition <= t is in [lo, hi) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (z->trans[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return z->utoff[z->idx[lo]];
}

/* The first instant after t at which the offset may change. */
static int64_t zone_next(const zone *z, int64_t t)
{
    int64_t best = INT64_MAX;

    if (z->n_trans > 0 && t < z->trans[z->n_trans - 1]) {
        size_t lo = 0, hi = z->n_trans - 1; /* the first transition > t */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;

            if (z->trans[mid] > t)
                hi = mid;
            else
                lo = mid + 1;
        }
        return z->trans[lo];
    }
    if (z->has_rule && z->has_dst) {
        int64_t y = rule_year(z, t);

        for (int64_t yy = y - 1; yy <= y + 1; yy++) {
            int64_t a, b;

            rule_changes(z, yy, &a, &b);
            if (a > t && a < best)
                best = a;
            if (b > t && b < best)
                best = b;
        }
    }
    return best;
}

/* The first instant whose local time is at or after y-m-d 00:00 (in a gap
 * at midnight, the end of the gap). */
static int64_t zone_day_start(const zone *z, int64_t y, int m, int d)
{
    int64_t L = days_from_civil(y, m, d) * 86400, t;
    int32_t maxoff = z->has_rule ? (z->has_dst && z->dst_off > z->std_off ? z->dst_off
                                                                          : z->std_off)
                                 : INT32_MIN;

    for (size_t i = 0; i < z->n_types; i++)
        if (z->utoff[i] > maxoff)
            maxoff = z->utoff[i];
    t = L - maxoff; /* local(t) <= L */
    for (int i = 0; i < 64; i++) {
        int32_t o = zone_off(z, t);
        int64_t nt = zone_next(z, t);

        if (t + o >= L)
            return t;
        if (L - o < nt)
            return L - o;
        t = nt;
    }
    return L - zone_off(z, L);
}

/* The local year and month of instant t. */
static void zone_month(const zone *z, int64_t t, int64_t *y, int *m)
{
    int d;

    civil_from_days(floor_div(t + zone_off(z, t), 86400), y, m, &d);
}

/* The TZif file's data blocks into z; false if it is not one. */
static bool zone_parse(zone *z, const uint8_t *b, size_t n)
{
    uint32_t cnt[6];
    size_t len1, p, need;
    const uint8_t *foot;
    char rule[128];

    if (n < 44 || memcmp(b, "TZif", 4) != 0 || b[4] < '2')
        return false;
    for (int i = 0; i < 6; i++)
        cnt[i] = be32(b + 20 + 4 * i);
    /* isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt */
    if (cnt[3] > ZONE_FILE_MAX || cnt[4] > ZONE_TYPES_MAX || cnt[5] > ZONE_FILE_MAX ||
        cnt[2] > ZONE_FILE_MAX || cnt[0] > ZONE_TYPES_MAX || cnt[1] > ZONE_TYPES_MAX)
        return false;
    len1 = (size_t)cnt[3] * 5 + (size_t)cnt[4] * 6 + cnt[5] + (size_t)cnt[2] * 8 + cnt[1] +
           cnt[0];
    if (n - 44 < len1 || n - 44 - len1 < 44)
        return false;
    p = 44 + len1;
    if (memcmp(b + p, "TZif", 4) != 0)
        return false;
    for (int i = 0; i < 6; i++)
        cnt[i] = be32(b + p + 20 + 4 * i);
    if (cnt[3] > ZONE_FILE_MAX || cnt[4] == 0 || cnt[4] > ZONE_TYPES_MAX ||
        cnt[5] > ZONE_FILE_MAX || cnt[2] > ZONE_FILE_MAX || cnt[0] > ZONE_TYPES_MAX ||
        cnt[1] > ZONE_TYPES_MAX)
        return false;
    p += 44;
    need = (size_t)cnt[3] * 9 + (size_t)cnt[4] * 6 + cnt[5] + (size_t)cnt[2] * 12 + cnt[1] +
           cnt[0];
    if (n - p < need)
        return false;
    z->n_trans = cnt[3];
    z->n_types = cnt[4];
    if (z->n_trans > 0) {
        z->trans = council__calloc(z->n_trans, sizeof *z->trans);
        z->idx = council__calloc(z->n_trans, sizeof *z->idx);
        if (z->trans == NULL || z->idx == NULL)
            return false;
    }
    for (size_t i = 0; i < z->n_trans; i++) {
        z->trans[i] = be64s(b + p + 8 * i);
        z->idx[i] = b[p + 8 * z->n_trans + i];
        if (z->idx[i] >= z->n_types || (i > 0 && z->trans[i] <= z->trans[i - 1]))
            return false;
    }
    for (size_t i = 0; i < z->n_types; i++) {
        z->utoff[i] = (int32_t)be32(b + p + 9 * z->n_trans + 6 * i);
        if (z->utoff[i] < -89999 || z->utoff[i] > 93599) /* RFC 8536: -25 h .. 26 h */
            return false;
    }
    p += need;
    /* the footer: "\n" rule "\n" */
    if (n - p < 2 || b[p] != '\n')
        return false;
    foot = memchr(b + p + 1, '\n', n - p - 1);
    if (foot == NULL || (size_t)(foot - (b + p + 1)) >= sizeof rule)
        return false;
    memcpy(rule, b + p + 1, (size_t)(foot - (b + p + 1)));
    rule[foot - (b + p + 1)] = '\0';
    return tz_posix(z, rule);
}

/* The council's zone (its name into name), its file read and parsed. */
static int zone_load(council *c, const char *op, zone *z, char name[COUNCIL_TIMEZONE_MAX + 1])
{
    char path[sizeof ZONEINFO + COUNCIL_TIMEZONE_MAX];
    uint8_t *b = NULL;
    struct stat st;
    size_t got = 0;
    int fd, rc;
    bool ok = false;

    memset(z, 0, sizeof *z);
    if ((rc = council_timezone_get(c, name, COUNCIL_TIMEZONE_MAX + 1)) != COUNCIL_OK)
        return rc; /* its message stands */
    if (snprintf(path, sizeof path, "%s%s", ZONEINFO, name) >= (int)sizeof path)
        return council__fail(c, COUNCIL_EFORMAT, "%s: the council's time zone name is too long",
                             op);
    do {
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    } while (fd < 0 && errno == EINTR);
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        st.st_size <= ZONE_FILE_MAX && (b = council__malloc((size_t)st.st_size)) != NULL) {
        while (got < (size_t)st.st_size) {
            ssize_t r = read(fd, b + got, (size_t)st.st_size - got);

            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        ok = got == (size_t)st.st_size && zone_parse(z, b, got);
    }
    if (fd >= 0)
        (void)close(fd);
    council__free(b);
    if (!ok) {
        zone_free(z);
        return council__fail(c, COUNCIL_EFORMAT, "%s: the council's time zone file (tzdata) "
                             "could not be read", op);
    }
    return COUNCIL_OK;
}

/* ----------------------------------------------------------------- months */

/* Month labels "YYYY-MM": all time, the UTC months that have cases or
 * referrals, in the order first met (the 0.1.0 report); a period (dense),
 * every month of the council's zone in it, month i from bounds[i] up to
 * bounds[i + 1]. */
typedef struct months {
    char (*label)[8];  /* MONTHS_MAX */
    const char **ptr;  /* MONTHS_MAX */
    size_t n;
    int64_t *bounds;   /* dense: n + 1 */
    bool dense;
} months;

static void months_free(months *ms)
{
    council__free(ms->label);
    council__free(ms->ptr);
    council__free(ms->bounds);
    memset(ms, 0, sizeof *ms);
}

static bool months_alloc(months *ms, size_t n)
{
    memset(ms, 0, sizeof *ms);
    ms->label = council__calloc(n, sizeof *ms->label);
    ms->ptr = council__calloc(n, sizeof *ms->ptr);
    return ms->label != NULL && ms->ptr != NULL;
}

static void month_label(months *ms, size_t i, int64_t y, int m)
{
    /* y is 1970..9999 and m 1..12 (the period's checks) */
    snprintf(ms->label[i], sizeof ms->label[i], "%04u-%02u", (unsigned)y % 10000u,
             (unsigned)m % 100u);
    ms->ptr[i] = ms->label[i];
}

/* Every month of [from, to) in zone z. */
static int months_of_period(council *c, const char *op, const zone *z, int64_t from, int64_t to,
                            months *ms)
{
    int64_t y1, y2, n;
    int m1, m2;

    zone_month(z, from, &y1, &m1);
    zone_month(z, to - 1, &y2, &m2);
    n = (y2 * 12 + m2) - (y1 * 12 + m1) + 1;
    if (n < 1 || n > (int64_t)MONTHS_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "%s: a period of more than %u months", op,
                             MONTHS_MAX);
    if (!months_alloc(ms, (size_t)n) ||
        (ms->bounds = council__calloc((size_t)n + 1, sizeof *ms->bounds)) == NULL) {
        months_free(ms);
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    ms->dense = true;
    ms->n = (size_t)n;
    for (int64_t i = 0; i <= n; i++) {
        int64_t mm = y1 * 12 + (m1 - 1) + i;
        int64_t y = floor_div(mm, 12);
        int m = (int)(mm - y * 12) + 1;

        ms->bounds[i] = zone_day_start(z, y, m, 1);
        if (i < n)
            month_label(ms, (size_t)i, y, m);
    }
    return COUNCIL_OK;
}

static size_t month_of(months *ms, int64_t t)
{
    char l[32];
    time_t tt = (time_t)t;
    struct tm tm;

    if (ms->dense) {
        size_t lo = 0, hi = ms->n; /* the last bound <= t, clamped to the period */

        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;

            if (ms->bounds[mid] <= t)
                lo = mid;
            else
                hi = mid;
        }
        return lo;
    }
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

/* ----------------------------------------------------------------- gather */

/* What gather fills, and the register's kinds it joins the rows with. */
typedef struct gather_ctx {
    const char *op;
    struct tm tnow;
    bool bounded;
    int64_t from, to;
    grid *age, *body, *month, *tasks, *refs;
    months *cm, *rm;
    council__member_kind *kinds;
    size_t n_kinds;
} gather_ctx;

static bool in_period(const gather_ctx *g, int64_t t)
{
    return !g->bounded || (t >= g->from && t < g->to);
}

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
 * nowhere, nor one opened outside the period), and the sections the
 * statistics need. */
static int gather_case(council *c, const council__case_row *r, void *ctx)
{
    gather_ctx *g = ctx;
    const char *op = g->op;
    int status = r->status, b = r->body, kind = 0;
    size_t s = status >= 1 && status <= 4 ? (size_t)status - 1 : 0;
    size_t bi = b >= 1 && b <= 3 ? (size_t)b - 1 : 0;
    size_t band = N(bands) - 1;
    int rc = COUNCIL_OK;

    if (!in_period(g, r->created))
        return COUNCIL_OK;
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
            return council__fail(c, COUNCIL_ELIMIT, "%s: more than %u months", op, MONTHS_MAX);
        g->month->n_rows = g->cm->n;
        add(g->month, mi, 0);
    }
    return COUNCIL_OK;
}

/* One referral (a recipient not in the register counts nowhere, nor one
 * granted outside the period). */
static int gather_referral(council *c, int64_t granted, const uint8_t member[COUNCIL_ID_BYTES],
                           void *ctx)
{
    gather_ctx *g = ctx;
    size_t mi;
    int kind = 0;

    if (!in_period(g, granted) || !kind_of(g, member, &kind))
        return COUNCIL_OK;
    mi = month_of(g->rm, granted);
    if (mi == SIZE_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "%s: more than %u months", g->op, MONTHS_MAX);
    g->refs->n_rows = g->rm->n;
    add(g->refs, mi, (size_t)kind_index(kind));
    return COUNCIL_OK;
}

/* The counts, from the store (and the sections the statistics need). */
static int gather(council *c, gather_ctx *g)
{
    time_t now = time(NULL);
    int rc;

    if (g->bounded && g->to - 1 < (int64_t)now)
        now = (time_t)(g->to - 1);
    gmtime_r(&now, &g->tnow);
    if ((rc = council__member_kinds(c, g->op, &g->kinds, &g->n_kinds)) != COUNCIL_OK)
        return rc;
    rc = council__case_each(c, g->op, gather_case, g);
    if (rc == COUNCIL_OK)
        rc = council__share_referrals_each(c, g->op, gather_referral, g);
    council__free(g->kinds);
    g->kinds = NULL;
    return rc;
}

/* A count table's one row from its source's counts. */
static int gather_counts(council *c, const char *op, const count_source *src, int64_t from,
                         int64_t to, grid *g)
{
    int64_t counts[COUNT_COLS_MAX] = { 0 };
    int rc;

    if (src->n_cols > COUNT_COLS_MAX)
        return council__fail(c, COUNCIL_ERROR, "%s: table %s has too many categories", op,
                             src->title);
    if ((rc = src->fn(c, op, from, to, counts)) != COUNCIL_OK)
        return rc;
    for (size_t j = 0; j < src->n_cols; j++) {
        if (counts[j] < 0)
            return council__fail(c, COUNCIL_EIO, "%s: table %s: a negative count", op,
                                 src->title);
        g->cells[j] = (uint64_t)counts[j];
    }
    return COUNCIL_OK;
}

/* ----------------------------------------------------------------- report */

/* The fixed tables, then the count tables. */
#define TABLES_FIXED 5
#define TABLES_MAX (TABLES_FIXED + COUNT_SOURCES_MAX)

typedef struct report {
    grid g[TABLES_MAX];
    size_t n;
    months cm, rm;
    council__table t[TABLES_MAX];
    council__suppressed s[TABLES_MAX];
    council_buf parts[TABLES_MAX];
} report;

static void report_free(report *r)
{
    for (size_t i = 0; i < TABLES_MAX; i++) {
        council__free(r->g[i].cells);
        council__suppressed_free(&r->s[i]);
        council_buf_free(&r->parts[i]);
    }
    if (r->rm.label != r->cm.label)
        months_free(&r->rm);
    months_free(&r->cm);
    council__free(r);
}

static bool grid_init(grid *g, const char *title, const char *const *rows, size_t n_rows,
                      size_t rows_cap, const char *const *cols, size_t n_cols)
{
    *g = (grid){ title, rows, n_rows, cols, n_cols, NULL, rows_cap };
    g->cells = council__calloc(rows_cap * n_cols > 0 ? rows_cap * n_cols : 1, sizeof *g->cells);
    return g->cells != NULL;
}

/* The period's options checked, and resolved into [from, to) (bounded) or
 * all time. The zone is loaded for a bounded period. */
static int period_resolve(council *c, const char *op, const council_report_options *o,
                          bool *bounded, int64_t *from, int64_t *to, zone *z,
                          char zname[COUNCIL_TIMEZONE_MAX + 1])
{
    int rc;

    *bounded = false;
    *from = 0;
    *to = 0;
    if (o->fiscal_year != 0 && (o->from != 0 || o->to != 0))
        return council__fail(c, COUNCIL_EINVAL, "%s: a fiscal year or a period from/to, not "
                             "both", op);
    if (o->fiscal_year != 0 && (o->fiscal_year < 1970 || o->fiscal_year > 9998))
        return council__fail(c, COUNCIL_EINVAL, "%s: the fiscal year is 1970..9998", op);
    if (o->fiscal_year == 0 && (o->from != 0 || o->to != 0) &&
        (o->from < 0 || o->to > PERIOD_END_MAX || o->from >= o->to))
        return council__fail(c, COUNCIL_EINVAL, "%s: the period needs 0 <= from < to (Unix "
                             "seconds, before the year 10000)", op);
    if (o->fiscal_year == 0 && o->from == 0 && o->to == 0)
        return COUNCIL_OK;
    if ((rc = zone_load(c, op, z, zname)) != COUNCIL_OK)
        return rc;
    *bounded = true;
    if (o->fiscal_year != 0) {
        *from = zone_day_start(z, o->fiscal_year, 4, 1);
        *to = zone_day_start(z, (int64_t)o->fiscal_year + 1, 4, 1);
    } else {
        *from = o->from;
        *to = o->to;
    }
    if (*from < 0 || *from >= *to) {
        zone_free(z);
        return council__fail(c, COUNCIL_EINVAL, "%s: the fiscal year starts before 1970 in the "
                             "council's time zone", op);
    }
    return COUNCIL_OK;
}

int council_report_platform_period(council *c, council_buf *out, const council_report_options *o)
{
    static const char op[] = "report_platform";
    static const char *const one[] = { "cases" };
    char zname[COUNCIL_TIMEZONE_MAX + 1] = "";
    report *r;
    zone z;
    unsigned k;
    int format, rc;
    bool bounded = false;
    int64_t from = 0, to = 0;
    size_t total = 0;
    const char *override = NULL;

    memset(&z, 0, sizeof z);
    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    rc = council__secretariat_only(c, op);
    if (rc == COUNCIL_OK)
        rc = council__no_batch(c, op);
    if (rc != COUNCIL_OK)
        return rc;
    if (o == NULL || o->version < 1 || o->version > COUNCIL_REPORT_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    override = o->version >= 2 ? o->overlap_reason : NULL;
    k = o->k == 0 ? COUNCIL_REPORT_K_DEFAULT : o->k;
    format = o->format;
    if (k < 3 || k > 1000)
        return council__fail(c, COUNCIL_EINVAL, "%s: k is 3..1000 (never below 3)", op);
    if (format != COUNCIL_REPORT_CSV && format != COUNCIL_REPORT_JSON)
        return council__fail(c, COUNCIL_EINVAL, "%s: format is CSV or JSON", op);
    if ((rc = period_resolve(c, op, o, &bounded, &from, &to, &z, zname)) != COUNCIL_OK)
        return rc;
    /* The register of issued reports first: an overlapping period is
     * refused before any section is read for it. */
    if ((rc = council__report_overlap_check(c, op, bounded, from, to, override)) != COUNCIL_OK) {
        zone_free(&z);
        return rc;
    }
    r = council__calloc(1, sizeof *r);
    if (r == NULL) {
        zone_free(&z);
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    if (bounded) {
        rc = months_of_period(c, op, &z, from, to, &r->cm);
        r->rm = r->cm; /* the same months: freed once */
    } else if (!months_alloc(&r->cm, MONTHS_MAX) || !months_alloc(&r->rm, MONTHS_MAX))
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    zone_free(&z);
    if (rc == COUNCIL_OK &&
        (!grid_init(&r->g[0], "cases_by_age_band_and_status", bands, N(bands), N(bands),
                    statuses, N(statuses)) ||
         !grid_init(&r->g[1], "cases_by_body_and_member_kind", bodies, N(bodies), N(bodies),
                    kinds, N(kinds)) ||
         !grid_init(&r->g[2], "cases_by_month", r->cm.ptr, r->cm.n, MONTHS_MAX, one, 1) ||
         !grid_init(&r->g[3], "support_tasks_by_state_and_body", task_states, N(task_states),
                    N(task_states), bodies, N(bodies)) ||
         !grid_init(&r->g[4], "referrals_by_month_and_kind", r->rm.ptr, r->rm.n, MONTHS_MAX,
                    kinds, N(kinds))))
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    r->n = TABLES_FIXED;
    if (rc == COUNCIL_OK) {
        gather_ctx g = { .op = op, .bounded = bounded, .from = from, .to = to,
                         .age = &r->g[0], .body = &r->g[1], .month = &r->g[2],
                         .tasks = &r->g[3], .refs = &r->g[4], .cm = &r->cm, .rm = &r->rm };
        rc = gather(c, &g);
    }
    for (size_t i = 0; rc == COUNCIL_OK && count_sources[i].title != NULL; i++) {
        const count_source *src = &count_sources[i];
        grid *g = &r->g[r->n];

        if (!grid_init(g, src->title, &src->row, 1, 1, src->cols, src->n_cols))
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        else
            rc = gather_counts(c, op, src, bounded ? from : 0, bounded ? to : INT64_MAX, g);
        r->n++;
    }
    for (size_t i = 0; i < r->n && rc == COUNCIL_OK; i++) {
        r->t[i] = (council__table){ r->g[i].title, r->g[i].n_rows, r->g[i].n_cols, r->g[i].rows,
                                    r->g[i].cols, r->g[i].cells };
        rc = council__suppress(&r->s[i], &r->t[i], k);
        if (rc != COUNCIL_OK)
            rc = council__fail(c, rc, "%s: table %s could not be suppressed (%s)", op,
                               r->t[i].title, council_errstr(rc));
    }
    /* The three case tables share their grand total: hidden in one, hidden
     * in all, and each suppressed again so that its own published counts
     * do not give the total away. */
    if (rc == COUNCIL_OK &&
        (r->s[0].total_hidden || r->s[1].total_hidden || r->s[2].total_hidden))
        for (size_t i = 0; i < 3 && rc == COUNCIL_OK; i++) {
            council__suppressed_free(&r->s[i]);
            rc = council__suppress_total(&r->s[i], &r->t[i], k, true);
            if (rc != COUNCIL_OK)
                rc = council__fail(c, rc, "%s: table %s could not be suppressed (%s)", op,
                                   r->t[i].title, council_errstr(rc));
        }
    for (size_t i = 0; i < r->n && rc == COUNCIL_OK; i++) {
        rc = format == COUNCIL_REPORT_CSV ? council__report_csv(&r->parts[i], &r->t[i], &r->s[i])
                                          : council__report_json(&r->parts[i], &r->t[i], &r->s[i]);
        if (rc != COUNCIL_OK)
            rc = council__fail(c, rc, "%s: table %s could not be rendered safely (%s)", op,
                               r->t[i].title, council_errstr(rc));
        total += r->parts[i].len + 4;
    }
    if (rc == COUNCIL_OK) {
        char head[256];
        int hn = 0;

        if (format == COUNCIL_REPORT_JSON && !bounded)
            hn = snprintf(head, sizeof head, "{\"report\":\"platform\",\"k\":%u,\"tables\":[", k);
        else if (format == COUNCIL_REPORT_JSON && o->fiscal_year != 0)
            hn = snprintf(head, sizeof head, "{\"report\":\"platform\",\"k\":%u,\"period\":"
                          "{\"from\":%lld,\"to\":%lld,\"time_zone\":\"%s\",\"fiscal_year\":%d},"
                          "\"tables\":[", k, (long long)from, (long long)to, zname,
                          (int)o->fiscal_year);
        else if (format == COUNCIL_REPORT_JSON)
            hn = snprintf(head, sizeof head, "{\"report\":\"platform\",\"k\":%u,\"period\":"
                          "{\"from\":%lld,\"to\":%lld,\"time_zone\":\"%s\"},\"tables\":[", k,
                          (long long)from, (long long)to, zname);
        if (hn < 0 || (size_t)hn >= sizeof head)
            rc = council__fail(c, COUNCIL_ERROR, "%s: the report's head", op);
        else if ((out->ptr = council__malloc(total + (size_t)hn + 8)) == NULL)
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        else {
            size_t n = 0;
            memcpy(out->ptr, head, (size_t)hn);
            n += (size_t)hn;
            for (size_t i = 0; i < r->n; i++) {
                if (i > 0)
                    out->ptr[n++] = format == COUNCIL_REPORT_JSON ? ',' : '\n';
                memcpy(out->ptr + n, r->parts[i].ptr, r->parts[i].len);
                n += r->parts[i].len;
            }
            if (format == COUNCIL_REPORT_JSON) {
                memcpy(out->ptr + n, "]}\n", 3);
                n += 3;
            }
            out->len = n;
        }
    }
    report_free(r);
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
    if (rc == COUNCIL_OK)
        rc = council__report_issue(c, k, format, bounded, from, to, out->ptr, out->len, override);
    /* The register's new entry under the signer's head at once: cut from
     * the log's end later, it is found (the next overlap check refuses). */
    if (rc == COUNCIL_OK)
        rc = council__audit_head_advance(c);
    if (rc != COUNCIL_OK) {
        council_buf_free(out);
        return rc;
    }
    council__clear(c);
    return COUNCIL_OK;
}

int council_report_platform(council *c, council_buf *out, unsigned k, int format)
{
    council_report_options o = COUNCIL_REPORT_OPTIONS_INIT;

    o.k = k;
    o.format = format;
    return council_report_platform_period(c, out, &o);
}

/* ------------------------------------- issue 16, register: the period alone */

/* The period of the provision register (provision.c, which declares it in
 * provision.h): [from, to), a fiscal year or all time, checked and
 * resolved exactly as the platform report's (the council's time zone for
 * a fiscal year). *bounded false: all time. EINVAL, EIO, ENOMEM for op. */
int council__report_period(council *c, const char *op, int64_t from_in, int64_t to_in,
                           int32_t fiscal_year, bool *bounded, int64_t *from, int64_t *to);
int council__report_period(council *c, const char *op, int64_t from_in, int64_t to_in,
                           int32_t fiscal_year, bool *bounded, int64_t *from, int64_t *to)
{
    council_report_options o = COUNCIL_REPORT_OPTIONS_INIT;
    char zname[COUNCIL_TIMEZONE_MAX + 1] = "";
    zone z;
    int rc;

    memset(&z, 0, sizeof z);
    o.from = from_in;
    o.to = to_in;
    o.fiscal_year = fiscal_year;
    rc = period_resolve(c, op, &o, bounded, from, to, &z, zname);
    if (rc == COUNCIL_OK && *bounded)
        zone_free(&z);
    return rc;
}
