/*
 * cmd_retention.c - the retention schedule and its passes (issue 16):
 * retention show, retention set, retention due, retention apply.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "cmds.h"
#include "guard.h"
#include "json.h"
#include "open.h"
#include "util.h"

typedef struct ret_opts {
    const cli_global *g;
    const char *body, *status, *years, *months, *days, *at;
    int keep, remove, json, dry_run, yes;
    int64_t at_t; /* --at, resolved when the store opens */
} ret_opts;

static const char *const bodies[] = { "any", "council", "support_meeting", "needs_of_poor_meeting" };
static const char *const statuses[] = { "any", "open", "monitoring", "closed" };
static const char *const units[] = { "keep", "days", "months", "years" };

static int index_of(const char *s, const char *const *names, size_t n)
{
    for (size_t i = 0; s != NULL && i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return (int)i;
    return -1;
}

/* The library's JSON reply, parsed: NULL (and *rc set) on failure. */
static json_t *reply(council_buf *buf, int *rc)
{
    json_error_t err;
    json_t *j = NULL;

    if (*rc == COUNCIL_OK &&
        (j = json_loadb((const char *)buf->ptr, buf->len, 0, &err)) == NULL) {
        fprintf(stderr, _("%s: the library's reply is not JSON\n"), prog);
        *rc = EXIT_FAILURE;
    }
    council_buf_free(buf);
    return j;
}

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s != NULL ? s : "";
}

/* "closed cases of support_meeting: 5 years" and the like. */
static void rule_text(char *out, size_t n, json_t *r)
{
    const char *unit = jstr(r, "unit");
    long long count = (long long)json_integer_value(json_object_get(r, "count"));

    if (strcmp(unit, "keep") == 0)
        snprintf(out, n, _("kept (no end)"));
    else if (strcmp(unit, "days") == 0)
        snprintf(out, n, _("%lld days"), count);
    else if (strcmp(unit, "months") == 0)
        snprintf(out, n, _("%lld months"), count);
    else
        snprintf(out, n, _("%lld years"), count);
}

static int show(council *c, const ret_opts *o)
{
    council_buf buf = { NULL, 0 };
    int rc = council_retention_get(c, &buf);
    json_t *j = reply(&buf, &rc), *r;
    size_t i;

    if (j == NULL)
        return rc;
    if (o->json) {
        rc = print_json(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        return rc;
    }
    if (json_array_size(json_object_get(j, "rules")) == 0)
        printf("%s\n", _("no retention schedule: every case is kept"));
    json_array_foreach(json_object_get(j, "rules"), i, r) {
        char period[64];
        rule_text(period, sizeof period, r);
        printf(_("status %-10s body %-22s %s\n"), jstr(r, "status"), jstr(r, "body"), period);
    }
    json_decref(j);
    return COUNCIL_OK;
}

/* retention set: the schedule with this (body, status) rule replaced,
 * added or (--remove) removed. */
static int set(council *c, const ret_opts *o)
{
    council_retention_rule rules[COUNCIL_RETENTION_RULES_MAX + 1];
    council_buf buf = { NULL, 0 };
    int rc = council_retention_get(c, &buf), body = index_of(o->body, bodies, 4),
        status = index_of(o->status, statuses, 4);
    json_t *j, *r;
    size_t i, n = 0;
    bool found = false;

    if (rc == COUNCIL_ETAMPER) {
        /* A schedule changed outside the library: its rules are not to be
         * trusted, so the new one starts empty (the finding is logged). */
        fprintf(stderr, _("%s: the stored retention schedule was changed outside the library; "
                          "the new schedule starts from no rules\n"), prog);
        council_buf_free(&buf);
        rc = COUNCIL_OK;
        j = json_pack("{s:[]}", "rules");
    } else {
        j = reply(&buf, &rc);
    }
    if (j == NULL)
        return rc;
    json_array_foreach(json_object_get(j, "rules"), i, r) {
        council_retention_rule x;
        x.body = index_of(jstr(r, "body"), bodies, 4);
        x.status = index_of(jstr(r, "status"), statuses, 4);
        x.unit = index_of(jstr(r, "unit"), units, 4);
        x.count = (int32_t)json_integer_value(json_object_get(r, "count"));
        if (x.body == body && x.status == status) {
            found = true;
            continue;
        }
        if (n < COUNCIL_RETENTION_RULES_MAX)
            rules[n++] = x;
    }
    json_decref(j);
    if (o->remove && !found) {
        fprintf(stderr, _("%s: no rule for that body and status\n"), prog);
        return EXIT_NOTFOUND;
    }
    if (!o->remove) {
        council_retention_rule *x = &rules[n++];
        unsigned long long v = 0;
        x->body = body;
        x->status = status;
        x->unit = o->keep ? COUNCIL_RETENTION_KEEP
                  : o->days != NULL ? COUNCIL_RETENTION_DAYS
                  : o->months != NULL ? COUNCIL_RETENTION_MONTHS
                                      : COUNCIL_RETENTION_YEARS;
        if (!o->keep)
            (void)parse_u64(o->days != NULL ? o->days : o->months != NULL ? o->months : o->years, &v);
        x->count = (int32_t)v;
    }
    rc = council_retention_set(c, rules, n);
    if (rc == COUNCIL_OK && !o->json)
        fprintf(stderr, _("%s: retention schedule changed (logged as "
                          "retention_schedule_changed)\n"), prog);
    return rc == COUNCIL_OK ? show(c, o) : rc;
}

static void case_lines(json_t *cases)
{
    json_t *v;
    size_t i;

    json_array_foreach(cases, i, v) {
        char since[64], due[64], period[64];
        time_text(since, sizeof since, (int64_t)json_integer_value(json_object_get(v, "since")));
        time_text(due, sizeof due, (int64_t)json_integer_value(json_object_get(v, "due_since")));
        rule_text(period, sizeof period, json_object_get(v, "rule"));
        printf(_("%s  %s, %s since %s; due since %s (%s)\n"), jstr(v, "case_id"), jstr(v, "body"),
               jstr(v, "status"), since, due, period);
    }
}

static void findings(json_t *j)
{
    long long t = (long long)json_integer_value(json_object_get(j, "tampered"));
    long long u = (long long)json_integer_value(json_object_get(j, "unproven"));

    if (t > 0)
        fprintf(stderr, _("%s: %lld case(s) whose rows disagree with the log or their proofs "
                          "(tamper findings logged; the log decides)\n"), prog, t);
    if (u > 0)
        fprintf(stderr, _("%s: %lld case(s) whose status change was logged before 0.3.0: "
                          "never due until their status is set again\n"), prog, u);
}

static int due(council *c, const ret_opts *o)
{
    council_buf buf = { NULL, 0 };
    int rc = council_retention_due(c, &buf, o->at_t);
    json_t *j = reply(&buf, &rc);

    if (j == NULL)
        return rc;
    if (o->json)
        return print_json(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    if (json_array_size(json_object_get(j, "cases")) == 0)
        printf("%s\n", _("no case is due"));
    case_lines(json_object_get(j, "cases"));
    findings(j);
    json_decref(j);
    return COUNCIL_OK;
}

static json_t *pass(council *c, const ret_opts *o, int dry, const uint8_t *ids, size_t n,
                    int64_t now, int *rc)
{
    council_retention_apply_options ao = COUNCIL_RETENTION_APPLY_OPTIONS_INIT;
    council_buf buf = { NULL, 0 };

    (void)o;
    ao.dry_run = dry;
    ao.now = now;
    ao.case_ids = ids;
    ao.n_case_ids = n;
    *rc = council_retention_apply(c, &buf, &ao);
    return reply(&buf, rc);
}

/* retention apply: what would go (a dry run), confirmed, then exactly
 * those cases erased (by id, at the same time). */
static int apply(council *c, const ret_opts *o)
{
    json_t *preview, *done = NULL, *v, *erased;
    uint8_t *ids = NULL;
    size_t n = 0, i;
    long long shares;
    int64_t now;
    int rc;

    if ((preview = pass(c, o, 1, NULL, 0, o->at_t, &rc)) == NULL)
        return rc;
    erased = json_object_get(preview, "erased");
    shares = (long long)json_integer_value(json_object_get(preview, "purged_shares"));
    now = (int64_t)json_integer_value(json_object_get(preview, "now"));
    if (o->dry_run) {
        done = preview;
    } else {
        n = json_array_size(erased);
        if (n > 0 && (ids = calloc(n, COUNCIL_ID_BYTES)) == NULL) {
            json_decref(preview);
            fprintf(stderr, _("%s: out of memory\n"), prog);
            return EXIT_FAILURE;
        }
        json_array_foreach(erased, i, v)
            if (id_arg(jstr(v, "case_id"), ids + i * COUNCIL_ID_BYTES) != 0) {
                free(ids);
                json_decref(preview);
                fprintf(stderr, _("%s: the library's reply is not JSON\n"), prog);
                return EXIT_FAILURE;
            }
        if (!o->json && n > 0)
            case_lines(erased);
        if ((n > 0 || shares > 0) &&
            (rc = confirm_act(o->yes, _("retention apply: %zu case(s) are erased for good and "
                                        "%lld ended share(s) lose their keys"), n, shares)) != 0) {
            free(ids);
            json_decref(preview);
            return rc;
        }
        json_decref(preview);
        /* No case due: none named, and none can be erased at that time. */
        done = pass(c, o, 0, n > 0 ? ids : NULL, n, now, &rc);
        free(ids);
        if (done == NULL)
            return rc;
    }
    if (o->json)
        return print_json(done) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    if (o->dry_run) {
        printf("%s\n", _("dry run: nothing was changed"));
        case_lines(json_object_get(done, "erased"));
    }
    {
        size_t n_erased = json_array_size(json_object_get(done, "erased"));
        long long n_shares = (long long)json_integer_value(json_object_get(done, "purged_shares"));
        long long n_cases = (long long)json_integer_value(json_object_get(done, "purged_cases"));
        if (o->dry_run)
            printf(_("would erase %zu case(s); %lld ended share(s) of %lld case(s) would lose "
                     "their keys\n"), n_erased, n_shares, n_cases);
        else
            printf(_("erased %zu case(s); %lld ended share(s) of %lld case(s) lost their keys\n"),
                   n_erased, n_shares, n_cases);
    }
    findings(done);
    json_decref(done);
    return COUNCIL_OK;
}

enum { R_SHOW, R_SET, R_DUE, R_APPLY };

static int check(ret_opts *o, int cmd)
{
    if (cmd == R_SET) {
        int periods = (o->keep != 0) + (o->years != NULL) + (o->months != NULL) + (o->days != NULL);
        unsigned long long v = 0;
        const char *p = o->years != NULL ? o->years : o->months != NULL ? o->months : o->days;
        if (o->body == NULL)
            o->body = "any";
        if (o->status == NULL)
            o->status = "any";
        if (index_of(o->body, bodies, 4) < 0)
            return usage("%s", _("--body is any, council, support_meeting or "
                                 "needs_of_poor_meeting"));
        if (index_of(o->status, statuses, 4) < 0)
            return usage("%s", _("--status is any, open, monitoring or closed"));
        if (o->remove ? periods != 0 : periods != 1)
            return usage("%s", _("retention set needs one of --years N, --months N, --days N or "
                                 "--keep (or --remove)"));
        if (p != NULL && (parse_u64(p, &v) != 0 || v > COUNCIL_RETENTION_COUNT_MAX))
            return usage(_("the period is a whole number from 0 to %d"),
                         COUNCIL_RETENTION_COUNT_MAX);
    }
    if ((cmd == R_DUE || cmd == R_APPLY) && o->at != NULL &&
        time_arg("--at", o->at, TIME_START, &o->at_t) != 0)
        return EXIT_USAGE;
    return 0;
}

static int run_cmd(ret_opts *o, int cmd)
{
    static const char *const ops[] = { "retention_get", "retention_set", "retention_due",
                                       "retention_apply" };
    council *c = NULL;
    int rc = check(o, cmd);

    if (rc != 0)
        return rc;
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    switch (cmd) {
    case R_SHOW: rc = show(c, o); break;
    case R_SET: rc = set(c, o); break;
    case R_DUE: rc = due(c, o); break;
    default: rc = apply(c, o); break;
    }
    return close_council(c, rc, ops[cmd]);
}

static const cli_help show_help = {
    "[--json]",
    N_("Prints the council's retention schedule (the secretariat): for each case\n"
    "body and status, how long a case is kept after it entered that status.\n"
    "The schedule is signed with the log key; one changed outside the library\n"
    "is refused (exit 5).\n"
    "\n"
    "Options:\n"
    "  --json                 {\"schedule_id\": UUID|null, \"rules\": [{\"body\", \"status\",\n"
    "                          \"unit\": keep|days|months|years, \"count\"}]}\n"),
    "  council-cli --store ./council retention show\n",
};

static const cli_help set_help = {
    "[--body BODY] [--status STATUS] (--years N|--months N|--days N|--keep|--remove) [--json]",
    N_("Sets the rule for one body and status in the retention schedule (the\n"
    "secretariat; signed, logged as retention_schedule_changed), replacing the\n"
    "one there was; the other rules stay. A case takes the rule for its body and\n"
    "status, else for any body and its status, else for its body and any status,\n"
    "else the default (any, any); with none it is kept. Then prints the schedule.\n"
    "\n"
    "Options:\n"
    "  --body BODY            council, support_meeting, needs_of_poor_meeting, or any\n"
    "                         (the default)\n"
    "  --status STATUS        open, monitoring, closed, or any (the default)\n"
    "  --years N, --months N, --days N\n"
    "                         kept N years, months or days after the case entered\n"
    "                         the status (0..1000; 0: due at once)\n"
    "  --keep                 kept with no end\n"
    "  --remove               remove the rule for that body and status\n"
    "  --json                 as retention show --json\n"),
    "  council-cli --store ./council retention set --body council --status closed --years 5\n",
};

static const cli_help due_help = {
    "[--at T] [--json]",
    N_("Lists the cases due for erasure under the schedule (the secretariat; case\n"
    "ids and metadata only, not logged). A case's status and the time it entered\n"
    "it are read from the audit log, not from its row: a row that disagrees is a\n"
    "tamper finding, and the log decides.\n"
    "\n"
    "Options:\n"
    "  --at T                 as if it were T (a date, a time or Unix seconds): in\n"
    "                         the past, or at most a day ahead (a later time only\n"
    "                         erases more, so it is refused)\n"
    "  --json                 {\"now\", \"cases\": [{\"case_id\", \"body\", \"status\", \"since\",\n"
    "                          \"due_since\", \"rule\"}], \"tampered\", \"unproven\"}\n"),
    "  council-cli --store ./council retention due\n",
};

static const cli_help apply_help = {
    "[--dry-run] [--yes] [--at T] [--json]",
    N_("A retention pass (the secretariat): every case due is erased as case erase\n"
    "erases it (its keys destroyed, a tombstone, logged as case_erased with reason\n"
    "retention), and the ended shares of every other case (expired, their meeting\n"
    "over, their consent ended) lose their keys, their rows kept (keys_purged).\n"
    "Then one retention_applied event with the counts. Asks on a terminal first\n"
    "(type yes); without a terminal, --yes is needed (else exit 2). Exactly the\n"
    "cases shown are erased. Running it again finds nothing more to do.\n"
    "\n"
    "Options:\n"
    "  --dry-run              show what would be done; change and log nothing\n"
    "  --yes                  do not ask\n"
    "  --at T                 as retention due --at\n"
    "  --json                 {\"dry_run\", \"now\", \"erased\": [as retention due's cases],\n"
    "                          \"purged_cases\", \"purged_shares\", \"tampered\", \"unproven\"}\n"),
    "  council-cli --store ./council retention apply --dry-run\n"
    "  council-cli --store ./council retention apply --yes\n",
};

static const cli_opt show_opts[] = {
    OPT_FLAG("json", ret_opts, json),
};
static const cli_spec show_spec = CLI_SPEC(show_opts, show_help, CLI_STORE | CLI_SESSION, 0);

static const cli_opt set_opts[] = {
    OPT_STR("body", ret_opts, body),     OPT_STR("status", ret_opts, status),
    OPT_STR("years", ret_opts, years),   OPT_STR("months", ret_opts, months),
    OPT_STR("days", ret_opts, days),     OPT_FLAG("keep", ret_opts, keep),
    OPT_FLAG("remove", ret_opts, remove), OPT_FLAG("json", ret_opts, json),
};
static const cli_spec set_spec = CLI_SPEC(set_opts, set_help, CLI_STORE | CLI_SESSION, 0);

static const cli_opt due_opts[] = {
    OPT_STR("at", ret_opts, at),
    OPT_FLAG("json", ret_opts, json),
};
static const cli_spec due_spec = CLI_SPEC(due_opts, due_help, CLI_STORE | CLI_SESSION, 0);

static const cli_opt apply_opts[] = {
    OPT_FLAG("dry-run", ret_opts, dry_run),
    OPT_FLAG("yes", ret_opts, yes),
    OPT_STR("at", ret_opts, at),
    OPT_FLAG("json", ret_opts, json),
};
static const cli_spec apply_spec = CLI_SPEC(apply_opts, apply_help, CLI_STORE | CLI_SESSION, 0);

static int run(cli_ctx *x, int argc, char **argv, const cli_spec *s, int cmd)
{
    const char *pos[CLI_MAX_POS];
    ret_opts o;
    int rc;

    memset(&o, 0, sizeof o);
    o.g = &x->g;
    rc = cli_parse(x, argc, argv, s, &o, pos);
    return rc != 0 ? CLI_PARSED(rc) : run_cmd(&o, cmd);
}

int cmd_retention_show(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &show_spec, R_SHOW);
}

int cmd_retention_set(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &set_spec, R_SET);
}

int cmd_retention_due(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &due_spec, R_DUE);
}

int cmd_retention_apply(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &apply_spec, R_APPLY);
}
