/*
 * cmd_report.c - the report to the regional platform: report platform.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "cli.h"
#include "cmds.h"
#include "council/v1/audit.pb-c.h"
#include "json.h"
#include "open.h"
#include "progress.h"
#include "text.h"
#include "util.h"

typedef struct report_opts {
    const cli_global *g;
    const char *k, *format, *from, *to, *fiscal_year;
    const char *overlap_reason; /* issue 16: the register of issued reports */
    int json, quiet;
} report_opts;

/* The threshold k of council_report_platform(): 0 (the library's default,
 * COUNCIL_REPORT_K_DEFAULT) or 3..1000. */
#define REPORT_K_MIN 3
#define REPORT_K_MAX 1000
/* The fiscal years council_report_platform_period() takes. */
#define REPORT_FY_MIN 1970
#define REPORT_FY_MAX 9998

static int do_report(const report_opts *o)
{
    council_buf buf = { NULL, 0 };
    council_report_options ro = COUNCIL_REPORT_OPTIONS_INIT;
    unsigned long long k = 0, fy = 0;
    int format = COUNCIL_REPORT_CSV;
    council *c;
    int rc;

    if (o->k != NULL &&
        (parse_u64(o->k, &k) != 0 || (k != 0 && (k < REPORT_K_MIN || k > REPORT_K_MAX))))
        return usage(_("--k: %d to %d (0: the default, %d), not '%s'"), REPORT_K_MIN, REPORT_K_MAX,
                     COUNCIL_REPORT_K_DEFAULT, o->k);
    if (o->json && o->format != NULL && strcmp(o->format, "json") != 0)
        return usage("%s", _("--json is --format json"));
    if (o->json)
        format = COUNCIL_REPORT_JSON;
    else if (o->format != NULL) {
        if (strcmp(o->format, "json") == 0)
            format = COUNCIL_REPORT_JSON;
        else if (strcmp(o->format, "csv") != 0)
            return usage(_("--format: csv or json, not '%s'"), o->format);
    }
    if (o->fiscal_year != NULL && (o->from != NULL || o->to != NULL))
        return usage("%s", _("--fiscal-year or --from/--to, not both"));
    if ((o->from != NULL) != (o->to != NULL))
        return usage("%s", _("--from and --to go together"));
    if (o->fiscal_year != NULL &&
        (parse_u64(o->fiscal_year, &fy) != 0 || fy < REPORT_FY_MIN || fy > REPORT_FY_MAX))
        return usage(_("--fiscal-year: a year %d to %d (April to March), not '%s'"),
                     REPORT_FY_MIN, REPORT_FY_MAX, o->fiscal_year);
    /* A date alone: --from its first moment, --to the whole day (the
     * period ends at the next midnight), in the council's time zone. */
    if (o->from != NULL && (time_arg("--from", o->from, TIME_START, &ro.from) != 0 ||
                            time_arg("--to", o->to, TIME_END, &ro.to) != 0))
        return EXIT_USAGE;
    ro.k = (unsigned)k;
    ro.format = format;
    ro.fiscal_year = (int32_t)fy;
    ro.overlap_reason = o->overlap_reason;
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    if (o->from != NULL && ro.from >= ro.to) {
        (void)close_council(c, COUNCIL_OK, "report platform");
        return usage("%s", _("--to must be after --from"));
    }
    progress_start(_("counting"), o->quiet);
    rc = council_report_platform_period(c, &buf, &ro);
    progress_end();
    return print_buf_and_close(c, &buf, rc, "report platform");
}

/* ------------------------------------------------------------ commands */

static const cli_help platform_help = {
    "[--from T --to T | --fiscal-year YYYY] [--k K] [--format csv|json | --json] [--quiet]",
    N_("Prints counts for the regional platform, each count below K suppressed.\n"
    "The secretariat's: its staff, or the council passphrase; other staff are refused.\n"
    "Without a period: all time.\n"
    "\n"
    "Options:\n"
    "  --from T --to T        the cases opened and referrals made from T up to T\n"
    "                         (a date alone: --to includes that day), in the\n"
    "                         council's time zone; a row for every month\n"
    "  --fiscal-year YYYY     April 1 YYYY to March 31 YYYY+1 (the fiscal year)\n"
    "  --k K                  3 to 1000 (default 5)\n"
    "  --format F             csv (the default) or json\n"
    "  --json                 the same as --format json\n"
    "  --overlap-reason CODE  issue a period that overlaps a report issued before\n"
    "                         without being the same period (refused otherwise:\n"
    "                         the two could be subtracted); CODE is logged\n"
    "  --quiet                no progress line on stderr (there is none when\n"
    "                         stderr is not a terminal)\n"),
    "  council-cli --store ./council report platform --k 10 --format json\n"
    "  council-cli --store ./council report platform --fiscal-year 2025 --json\n",
};

static const cli_opt platform_opts[] = {
    OPT_STR("k", report_opts, k),
    OPT_STR("from", report_opts, from),
    OPT_STR("to", report_opts, to),
    OPT_STR("fiscal-year", report_opts, fiscal_year),
    OPT_STR("format", report_opts, format),
    OPT_FLAG("json", report_opts, json),
    OPT_STR("overlap-reason", report_opts, overlap_reason),
    OPT_FLAG("quiet", report_opts, quiet),
};
static const cli_spec platform_spec =
    CLI_SPEC(platform_opts, platform_help, CLI_STORE | CLI_SESSION, 0);

int cmd_report_platform(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    report_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &platform_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_report(&o);
}

/* ------------------------------------------- issue 16: the issued reports */

/* report list: the register of issued reports as the log lists it (the
 * report_issued events): when, k, the format, the period and the SHA-256
 * of what was returned, and an override's code. */
typedef struct list_ctx {
    json_t *arr;
    int json;
    unsigned long long n;
} list_ctx;

static int list_one(const Council__V1__AuditEvent *e, list_ctx *lc)
{
    char t[64], from[64] = "", to[64] = "", hash[65] = "-", fmt[8] = "";
    long long a = 0, b = 0;
    unsigned k = 0;
    int used = 0;
    bool all = false, override;

    if (e->outcome != COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED || e->reason == NULL)
        return 0;
    if (sscanf(e->reason, "k%u_%4[a-z]_%lld_%lld%n", &k, fmt, &a, &b, &used) == 4 &&
        e->reason[used] == '\0') {
        time_text(from, sizeof from, (int64_t)a);
        time_text(to, sizeof to, (int64_t)b);
    } else if (sscanf(e->reason, "k%u_%4[a-z]_all%n", &k, fmt, &used) == 2 &&
               e->reason[used] == '\0') {
        all = true;
    } else {
        return 0;
    }
    if (e->has_bundle_hash && e->bundle_hash.len == 32)
        hex_text(hash, e->bundle_hash.data, 32);
    override = e->purpose != NULL && strcmp(e->purpose, "statistics") != 0;
    time_text(t, sizeof t, e->time);
    lc->n++;
    if (lc->json) {
        json_t *j = json_object();

        json_object_set_new(j, "seq", json_integer((json_int_t)e->seq));
        json_object_set_new(j, "time", json_integer((json_int_t)e->time));
        json_object_set_new(j, "k", json_integer(k));
        json_object_set_new(j, "format", json_string(fmt));
        json_object_set_new(j, "all_time", json_boolean(all));
        if (!all) {
            json_object_set_new(j, "from", json_integer(a));
            json_object_set_new(j, "to", json_integer(b));
        }
        json_object_set_new(j, "sha256", json_string(hash));
        if (override)
            json_object_set_new(j, "overlap_reason", json_string(e->purpose));
        json_array_append_new(lc->arr, j);
    } else {
        printf("%llu %s k=%u %s %s%s%s sha256=%s", (unsigned long long)e->seq, t, k, fmt,
               all ? _("all-time") : from, all ? "" : "..", all ? "" : to, hash);
        if (override)
            printf(" overlap_reason=%s", e->purpose);
        putchar('\n');
    }
    return 0;
}

static int do_list(const report_opts *o)
{
    council_audit_filter f = COUNCIL_AUDIT_FILTER_INIT;
    list_ctx lc = { NULL, o->json, 0 };
    council *c;
    int rc;

    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    if (lc.json)
        lc.arr = json_array();
    f.action = COUNCIL_AUDIT_ACTION_REPORT_ISSUED;
    f.limit = 1000;
    for (;;) {
        Council__V1__AuditEventList *l;
        council_buf buf = { NULL, 0 };
        size_t got;

        rc = council_audit_list(c, &buf, &f);
        if (rc != COUNCIL_OK)
            break;
        l = council__v1__audit_event_list__unpack(NULL, buf.len, buf.ptr);
        council_buf_free(&buf);
        if (l == NULL) {
            rc = COUNCIL_EFORMAT;
            break;
        }
        for (size_t i = 0; i < l->n_events; i++)
            (void)list_one(l->events[i], &lc);
        got = l->n_events;
        f.from_seq = l->next_seq;
        council__v1__audit_event_list__free_unpacked(l, NULL);
        if (got < f.limit)
            break;
    }
    if (rc != COUNCIL_OK) {
        json_decref(lc.arr);
        return close_council(c, rc, "report list");
    }
    if (lc.json)
        rc = print_json(lc.arr);
    return close_council(c, rc, "report list");
}

static const cli_help list_help = {
    "[--json]",
    N_("Lists the reports the council issued (its register: the report_issued\n"
    "events of the audit log), oldest first: the event, when, k, the format,\n"
    "the period (or all-time), the SHA-256 of the report as returned, and the\n"
    "override's code when an overlapping period was issued anyway. Compare the\n"
    "hash with a published report's (sha256sum). The secretariat only.\n"
    "\n"
    "Options:\n"
    "  --json                 one array of objects\n"),
    "  council-cli --store ./council report list --json\n",
};

static const cli_opt list_opts[] = {
    OPT_FLAG("json", report_opts, json),
};
static const cli_spec list_spec = CLI_SPEC(list_opts, list_help, CLI_STORE | CLI_SESSION, 0);

int cmd_report_list(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    report_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &list_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_list(&o);
}
