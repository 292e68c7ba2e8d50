/*
 * cmd_policy.c - the council's disclosure policy: policy show, policy set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "cmds.h"
#include "council/v1/consent.pb-c.h"
#include "json.h"
#include "open.h"
#include "util.h"

#define MAX_BASES 16

typedef struct policy_opts {
    const cli_global *g;
    const char *bases[MAX_BASES];
    size_t n_bases;
    const char *vital, *cross;
    int json;
} policy_opts;

/* "on" -> 1, "off" -> 0, else -1. */
static int on_off(const char *s)
{
    if (s == NULL)
        return -1;
    return strcmp(s, "on") == 0 ? 1 : strcmp(s, "off") == 0 ? 0 : -1;
}

static int show(council *c, const policy_opts *o)
{
    council_buf buf = { NULL, 0 };
    Council__V1__Policy *p;
    int rc = council_policy_get(c, &buf);

    p = unpack_reply(&council__v1__policy__descriptor, &buf, &rc);
    if (rc == COUNCIL_OK && o->json) {
        json_t *j = json_object(), *a = json_array();
        for (size_t i = 0; i < p->n_accepted_bases; i++)
            json_array_append_new(a, json_string(p->accepted_bases[i]));
        json_object_set_new(j, "accepted_bases", a);
        json_object_set_new(j, "vital_second_approver", json_boolean(p->vital_second_approver));
        json_object_set_new(j, "cross_body_use", json_boolean(p->has_cross_body_use &&
                                                               p->cross_body_use));
        rc = print_json(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    } else if (rc == COUNCIL_OK) {
        printf(_("accepted bases:         "));
        for (size_t i = 0; i < p->n_accepted_bases; i++)
            printf("%s%s", i == 0 ? "" : ",", p->accepted_bases[i]);
        printf("\n");
        printf(_("vital second approver:  %s\n"), p->vital_second_approver ? "on" : "off");
        printf(_("cross-body use:         %s\n"),
               p->has_cross_body_use && p->cross_body_use ? "on" : "off");
    }
    council__v1__policy__free_unpacked(p, NULL);
    council_buf_free(&buf);
    return rc;
}

/* policy set: what is not given stays as it is. */
static int set(council *c, const policy_opts *o)
{
    council_policy_options po = COUNCIL_POLICY_OPTIONS_INIT;
    council_buf buf = { NULL, 0 };
    Council__V1__Policy *p;
    int rc = council_policy_get(c, &buf), vital = on_off(o->vital), cross = on_off(o->cross);

    p = unpack_reply(&council__v1__policy__descriptor, &buf, &rc);
    if (rc != COUNCIL_OK)
        return rc;
    if (o->n_bases > 0) {
        po.accepted_bases = o->bases;
        po.n_accepted_bases = o->n_bases;
    } else {
        po.accepted_bases = (const char *const *)p->accepted_bases;
        po.n_accepted_bases = p->n_accepted_bases;
    }
    po.vital_second_approver = vital >= 0 ? vital : p->vital_second_approver ? 1 : 0;
    po.cross_body_use = cross >= 0 ? cross : p->has_cross_body_use && p->cross_body_use ? 1 : 0;
    rc = council_policy_set(c, &po);
    council__v1__policy__free_unpacked(p, NULL);
    council_buf_free(&buf);
    if (rc == COUNCIL_OK && !o->json)
        fprintf(stderr, _("%s: policy changed (logged as policy_changed)\n"), prog);
    return rc == COUNCIL_OK ? show(c, o) : rc;
}

static int do_policy(const policy_opts *o, int setting)
{
    council *c = NULL;
    int rc;

    if (setting) {
        if (o->n_bases == 0 && o->vital == NULL && o->cross == NULL)
            return usage("%s", _("policy set needs --basis, --vital-second-approver or "
                                 "--cross-body-use"));
        if ((o->vital != NULL && on_off(o->vital) < 0) || (o->cross != NULL && on_off(o->cross) < 0))
            return usage("%s", _("--vital-second-approver and --cross-body-use take on or off"));
    }
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    rc = setting ? set(c, o) : show(c, o);
    return close_council(c, rc, setting ? "policy_set" : "policy_get");
}

static const cli_help show_help = {
    "[--json]",
    N_("Prints the council's disclosure policy (any session): the legal bases it\n"
    "accepts, whether appi_27_1_2_vital needs a second approver, and whether a\n"
    "case collected under one body may be discussed under another without a\n"
    "consent covering it (cross-body use).\n"
    "\n"
    "Options:\n"
    "  --json                 {\"accepted_bases\": [...], \"vital_second_approver\": BOOL,\n"
    "                          \"cross_body_use\": BOOL}\n"),
    "  council-cli --store ./council policy show\n",
};

static const cli_help set_help = {
    "[--basis CODE]... [--vital-second-approver on|off] [--cross-body-use on|off] [--json]",
    N_("Changes the council's disclosure policy (the secretariat; signed, and logged\n"
    "as policy_changed); what is not given stays as it is. Then prints it.\n"
    "\n"
    "Options:\n"
    "  --basis CODE           a basis the council accepts (repeat; the list replaces\n"
    "                         the current one and must name consent): consent,\n"
    "                         appi_27_1_1_law, appi_27_1_2_vital,\n"
    "                         appi_27_1_3_public_health_child,\n"
    "                         appi_27_1_4_public_duty, council_art16_exchange,\n"
    "                         swa_106_6_support_meeting, ncsa_9_support_meeting\n"
    "  --vital-second-approver on|off\n"
    "                         appi_27_1_2_vital needs a second approver\n"
    "  --cross-body-use on|off\n"
    "                         a case of one body may be discussed under another\n"
    "                         without a consent covering it\n"
    "  --json                 as policy show --json\n"),
    "  council-cli --store ./council policy set --basis consent \\\n"
    "      --basis appi_27_1_4_public_duty --basis council_art16_exchange\n",
};

static const cli_opt show_opts[] = {
    OPT_FLAG("json", policy_opts, json),
};
static const cli_spec show_spec = CLI_SPEC(show_opts, show_help, CLI_STORE | CLI_SESSION, 0);

static const cli_opt set_opts[] = {
    OPT_LIST("basis", policy_opts, bases, n_bases, MAX_BASES),
    OPT_STR("vital-second-approver", policy_opts, vital),
    OPT_STR("cross-body-use", policy_opts, cross),
    OPT_FLAG("json", policy_opts, json),
};
static const cli_spec set_spec = CLI_SPEC(set_opts, set_help, CLI_STORE | CLI_SESSION, 0);

static int run(cli_ctx *x, int argc, char **argv, const cli_spec *s, int setting)
{
    const char *pos[CLI_MAX_POS];
    policy_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, s, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_policy(&o, setting);
}

int cmd_policy_show(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &show_spec, 0);
}

int cmd_policy_set(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &set_spec, 1);
}
