/*
 * cmd_scope.c - the scopes of case content: scope list, add, remove.
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
#include "council/v1/case.pb-c.h"
#include "json.h"
#include "open.h"
#include "text.h"
#include "util.h"

typedef struct scope_opts {
    const cli_global *g;
    int json, sensitive;
} scope_opts;

enum { C_SCLIST = 1 << 0, C_SCADD = 1 << 1, C_SCREMOVE = 1 << 2 };

static int do_scope(const scope_opts *o, int cmd, const char *code)
{
    council_buf buf = { NULL, 0 };
    council *c;
    int rc;

    if (cmd != C_SCLIST && code == NULL)
        return usage(_("scope %s needs a scope CODE"), cmd == C_SCADD ? "add" : "remove");
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    if (cmd == C_SCADD) {
        rc = council_scope_add(c, code, o->sensitive ? COUNCIL_SCOPE_SENSITIVE : 0);
    } else if (cmd == C_SCREMOVE) {
        rc = council_scope_remove(c, code);
    } else {
        Council__V1__ScopeList *l = NULL;
        rc = council_scope_list(c, &buf);
        l = unpack_reply(&council__v1__scope_list__descriptor, &buf, &rc);
        if (rc == COUNCIL_OK && o->json) {
            json_t *arr = json_array();
            for (size_t i = 0; i < l->n_scopes; i++) {
                json_t *j = json_object();
                json_object_set_new(j, "code", json_string(l->scopes[i]->code));
                json_object_set_new(j, "sensitive", json_boolean(l->scopes[i]->sensitive));
                json_object_set_new(j, "builtin", json_boolean(l->scopes[i]->builtin));
                json_object_set_new(j, "added", l->scopes[i]->added != 0
                                                    ? time_json(l->scopes[i]->added) : json_null());
                json_array_append_new(arr, j);
            }
            rc = print_json(arr) == 0 ? COUNCIL_OK : COUNCIL_ERROR;
        } else if (rc == COUNCIL_OK) {
            printf("%s  %s  %s  %s\n", col(_("CODE"), -24), col(_("SENSITIVE"), -9),
                   col(_("BUILTIN"), -7), _("ADDED"));
            for (size_t i = 0; i < l->n_scopes; i++) {
                char t[32] = "-"; /* built-in scopes have no time added */
                if (l->scopes[i]->added != 0)
                    time_text(t, sizeof t, l->scopes[i]->added);
                printf("%-24s  %-9s  %-7s  %s\n", l->scopes[i]->code,
                       l->scopes[i]->sensitive ? "yes" : "no", l->scopes[i]->builtin ? "yes" : "no", t);
            }
        }
        council__v1__scope_list__free_unpacked(l, NULL);
    }
    council_buf_free(&buf);
    return close_council(c, rc, "scope");
}

/* ------------------------------------------------------------ commands */

/* Parse the command's options and run it. */
static int run(cli_ctx *x, int argc, char **argv, const cli_spec *s, int cmd)
{
    const char *pos[CLI_MAX_POS];
    scope_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, s, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_scope(&o, cmd, pos[0]);
}

static const cli_help list_help = {
    "[--json]",
    N_("Lists the scopes (the kinds of case content a share names): code, whether\n"
    "sensitive, whether built in, and when added.\n"
    "\n"
    "Options:\n"
    "  --json                 as a JSON array\n"),
    "  council-cli --store ./council scope list\n",
};

static const cli_opt list_opts[] = {
    OPT_FLAG("json", scope_opts, json),
};
static const cli_spec list_spec = CLI_SPEC(list_opts, list_help, CLI_STORE | CLI_SESSION, 0);

int cmd_scope_list(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &list_spec, C_SCLIST);
}

static const cli_help add_help = {
    "CODE [--sensitive]",
    N_("Adds a scope.\n"
    "\n"
    "Options:\n"
    "  --sensitive            content that needs a stronger basis to share\n"),
    "  council-cli --store ./council scope add mental_health --sensitive\n",
};

static const cli_opt add_opts[] = {
    OPT_FLAG("sensitive", scope_opts, sensitive),
};
static const cli_spec add_spec = CLI_SPEC(add_opts, add_help, CLI_STORE | CLI_SESSION, 1);

int cmd_scope_add(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &add_spec, C_SCADD);
}

static const cli_help remove_help = {
    "CODE",
    N_("Removes a scope that no case, member or share uses.\n"),
    "  council-cli --store ./council scope remove mental_health\n",
};

static const cli_spec remove_spec = CLI_SPEC_NO_OPTS(remove_help, CLI_STORE | CLI_SESSION, 1);

int cmd_scope_remove(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &remove_spec, C_SCREMOVE);
}
