/*
 * cmd_report.c - the report to the regional platform: report platform.
 */
#include <errno.h>
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
