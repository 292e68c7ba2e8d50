/*
 * cmd_intake.c - `intake import`: a person handed over to the council
 * from outside it, in the JSON form of doc/intake-form.md
 * (council_intake(3)).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmds.h"
#include "open.h"
#include "util.h"

typedef struct intake_opts {
    const cli_global *g;
    const char *owner;
    int json;
} intake_opts;

static int do_intake(const intake_opts *o, const char *file)
{
    council_intake_options io = COUNCIL_INTAKE_OPTIONS_INIT;
    council_buf out = { NULL, 0 };
    uint8_t owner[16];
    size_t len;
    council *c;
    char *j;
    int rc;

    if (file == NULL)
        return usage("%s", _("intake import FILE.json"));
    if (o->owner != NULL) {
        if (council_uuid_parse(owner, sizeof owner, o->owner) != COUNCIL_OK)
            return usage("%s", _("--owner takes a member id"));
        io.owner = owner;
        io.owner_len = sizeof owner;
    }
    if ((j = slurp(file, COUNCIL_INTAKE_JSON_MAX, &len, _("intake"))) == NULL)
        return EXIT_FAILURE;
    if ((rc = open_council(o->g, &c)) != 0) {
        free(j);
        return rc;
    }
    rc = council_intake_import_json(c, &out, j, len, &io);
    rc = rc == COUNCIL_OK ? print_import_result(&out, o->json) : failed("intake import", c, rc);
    council_buf_free(&out);
    memset(j, 0, len);
    free(j);
    council_close(c);
    return rc;
}

static const cli_help intake_help = {
    "FILE.json [--owner MEMBER] [--json]",
    N_("Imports a person handed over to the council from outside it (a hotline,\n"
    "a chat operator, a school), in the JSON form of doc/intake-form.md: a new\n"
    "case, or the case of the person found by name and birth date, with the\n"
    "intake section and the consent recorded.\n"
    "\n"
    "Options:\n"
    "  --owner MEMBER         a new case's owning member (default: the session's\n"
    "                         own member; with the council passphrase, the\n"
    "                         coordinating body)\n"
    "  --json                 what the import did, as a JSON object\n"),
    "  council-cli --store ./council intake import hotline.json\n",
};

static const cli_opt intake_opts_spec[] = {
    OPT_STR("owner", intake_opts, owner),
    OPT_FLAG("json", intake_opts, json),
};
static const cli_spec intake_spec = CLI_SPEC(intake_opts_spec, intake_help, CLI_STORE | CLI_SESSION, 1);

int cmd_intake_import(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    intake_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &intake_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_intake(&o, pos[0]);
}
