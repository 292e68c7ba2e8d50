/*
 * cmd_index.c - the blind index's width (issue 17, blind): index status,
 * index rebuild.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "cmds.h"
#include "json.h"
#include "open.h"
#include "util.h"

typedef struct index_opts {
    const cli_global *g;
    unsigned long long max_cases;
    int json;
} index_opts;

static int print_state(const index_opts *o, const council_index_state *st, bool rebuilt)
{
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "width", json_integer(st->width));
        json_object_set_new(j, "old_width", json_integer(st->old_width));
        json_object_set_new(j, "wanted_width", json_integer(st->wanted_width));
        json_object_set_new(j, "entries", json_integer((json_int_t)st->entries));
        if (rebuilt)
            json_object_set_new(j, "cases_done", json_integer((json_int_t)st->cases_done));
        return print_json(j);
    }
    printf(_("token width: %u bits (sized for the index: %u bits)\n"), st->width, st->wanted_width);
    printf(_("name tokens: %llu\n"), (unsigned long long)st->entries);
    if (rebuilt)
        printf(_("cases rebuilt by this run: %llu\n"), (unsigned long long)st->cases_done);
    if (st->old_width != 0)
        printf(_("a rebuild from %u bits is not finished: run index rebuild again\n"), st->old_width);
    else if (st->wanted_width > st->width)
        printf("%s\n", _("the index has outgrown its width: run index rebuild"));
    return 0;
}

static int run(const index_opts *o, bool rebuild)
{
    const char *op = rebuild ? "index rebuild" : "index status";
    council_index_state st;
    council *c;
    int rc;

    if (o->max_cases > UINT32_MAX)
        return usage("%s", _("--max-cases is at most 4294967295"));
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    rc = rebuild ? council_index_rebuild(c, &st, (uint32_t)o->max_cases)
                 : council_index_status(c, &st);
    if (rc != COUNCIL_OK)
        return close_council(c, failed(op, c, rc), op);
    rc = print_state(o, &st, rebuild) == 0 ? 0 : EXIT_FAILURE;
    return close_council(c, rc, op);
}

static const cli_help status_help = {
    "[--json]",
    N_("Prints the blind index's token width, the width sized for its size now,\n"
    "and how many name tokens it holds (estimated when large). The secretariat's only.\n"
    "\n"
    "Options:\n"
    "  --json                 {\"width\", \"old_width\", \"wanted_width\", \"entries\"}\n"),
    "  council-cli --store ./council index status\n",
};

static const cli_opt status_opts[] = {
    OPT_FLAG("json", index_opts, json),
};
static const cli_spec status_spec = CLI_SPEC(status_opts, status_help, CLI_STORE | CLI_SESSION, 0);

int cmd_index_status(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    index_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &status_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : run(&o, false);
}

static const cli_help rebuild_help = {
    "[--max-cases N] [--json]",
    N_("Widens the blind index when the store has outgrown its token width: the\n"
    "tokens are derived again from each person's identity section, 64 cases a\n"
    "transaction, each logged (blind_index_rebuilt). Searches stay exact while it\n"
    "runs; an interrupted rebuild goes on at the next run. Nothing is done when\n"
    "the width fits. The secretariat's only, with the coordinating body's key.\n"
    "See SECURITY.md (the blind index's width) for what a wider index reveals.\n"
    "\n"
    "Options:\n"
    "  --max-cases N          rebuild at most N cases this run (default: all)\n"
    "  --json                 the state after the run, with \"cases_done\"\n"),
    "  council-cli --store ./council index rebuild\n",
};

static const cli_opt rebuild_opts[] = {
    OPT_U64("max-cases", index_opts, max_cases),
    OPT_FLAG("json", index_opts, json),
};
static const cli_spec rebuild_spec = CLI_SPEC(rebuild_opts, rebuild_help, CLI_STORE | CLI_SESSION, 0);

int cmd_index_rebuild(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    index_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &rebuild_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : run(&o, true);
}
