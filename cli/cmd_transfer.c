/*
 * cmd_transfer.c - cases that move: case transfer (a case's ownership to
 * another member), case merge (two person records found to be one person),
 * member cases (the cases a member owns, to be moved before it withdraws).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "cmds.h"
#include "caseview.h"
#include "council/v1/case.pb-c.h"
#include "json.h"
#include "open.h"
#include "text.h"
#include "util.h"

typedef struct transfer_opts {
    const cli_global *g;
    const char *to, *basis, *reason, *consent, *purpose, *keep, *gone;
    int json;
} transfer_opts;

enum { C_TRANSFER = 1, C_MERGE = 2, C_MCASES = 3 };

static int transfer(council *c, const transfer_opts *o, const char *const *pos)
{
    council_transfer_options to = COUNCIL_TRANSFER_OPTIONS_INIT;
    uint8_t id[COUNCIL_ID_BYTES], member[COUNCIL_ID_BYTES], consent[COUNCIL_ID_BYTES];
    int rc;

    if (id_arg(pos[0], id) != 0)
        return usage("%s", _("a case id (UUID) is needed"));
    if (o->to == NULL || id_arg(o->to, member) != 0)
        return usage("%s", _("--to needs the new owner's member id (UUID)"));
    if (o->basis == NULL)
        return usage("%s", _("--basis CODE is needed: why the new owner may receive the case"));
    if (o->consent != NULL && id_arg(o->consent, consent) != 0)
        return usage("%s", _("--consent needs a consent record id (UUID)"));
    to.basis = o->basis;
    to.reason = o->reason;
    to.purpose = o->purpose;
    if (o->consent != NULL) {
        to.consent_id = consent;
        to.consent_id_len = sizeof consent;
    }
    rc = council_case_transfer(c, id, sizeof id, member, sizeof member, &to);
    if (rc == COUNCIL_OK && o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "case_id", json_string(pos[0]));
        json_object_set_new(j, "owner", json_string(o->to));
        rc = print_json(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    } else if (rc == COUNCIL_OK) {
        fprintf(stderr, _("%s: case %s transferred; its data keys were rewrapped for the new owner "
                          "and rotated\n"), prog, pos[0]);
    }
    return rc;
}

static int merge(council *c, const transfer_opts *o, const char *const *pos)
{
    uint8_t id[COUNCIL_ID_BYTES], keep[COUNCIL_ID_BYTES], gone[COUNCIL_ID_BYTES];
    int rc;

    if (id_arg(pos[0], id) != 0)
        return usage("%s", _("a case id (UUID) is needed"));
    if (o->keep == NULL || o->gone == NULL || id_arg(o->keep, keep) != 0 ||
        id_arg(o->gone, gone) != 0)
        return usage("%s", _("case merge needs --keep PERSON and --gone PERSON (UUIDs)"));
    rc = council_person_merge(c, id, sizeof id, keep, sizeof keep, gone, sizeof gone);
    if (rc == COUNCIL_OK && o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "case_id", json_string(pos[0]));
        json_object_set_new(j, "kept", json_string(o->keep));
        json_object_set_new(j, "merged", json_string(o->gone));
        rc = print_json(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    } else if (rc == COUNCIL_OK) {
        fprintf(stderr, _("%s: person %s merged into %s; both histories are kept\n"), prog,
                o->gone, o->keep);
    }
    return rc;
}

static int member_cases(council *c, const transfer_opts *o, const char *const *pos)
{
    council_buf buf = { NULL, 0 };
    Council__V1__CaseList *l = NULL;
    uint8_t id[COUNCIL_ID_BYTES];
    int rc;

    if (id_arg(pos[0], id) != 0)
        return usage("%s", _("a member id (UUID) is needed"));
    rc = council_member_cases(c, &buf, id, sizeof id);
    l = unpack_reply(&council__v1__case_list__descriptor, &buf, &rc);
    if (rc == COUNCIL_OK && o->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l->n_cases; i++)
            json_array_append_new(arr, case_info_json(l->cases[i], 0, NULL));
        rc = print_json(arr) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    } else if (rc == COUNCIL_OK) {
        printf("%s  %s  %s\n", col(_("CASE"), -36), col(_("STATUS"), -10), _("CREATED"));
        for (size_t i = 0; i < l->n_cases; i++) {
            char st[32], t[32];
            time_text(t, sizeof t, l->cases[i]->created);
            printf("%-36s  %-10s  %s\n", l->cases[i]->id_text,
                   enum_name(&council__v1__case_status__descriptor, "CASE_STATUS_",
                             (int)l->cases[i]->status, st, sizeof st), t);
        }
    }
    council__v1__case_list__free_unpacked(l, NULL);
    council_buf_free(&buf);
    return rc;
}

/* Parse the command's options and run it. */
static int run(cli_ctx *x, int argc, char **argv, const cli_spec *s, int cmd)
{
    const char *pos[CLI_MAX_POS] = { NULL, NULL };
    transfer_opts o = { .g = &x->g };
    council *c = NULL;
    int rc;

    if ((rc = cli_parse(x, argc, argv, s, &o, pos)) != 0)
        return CLI_PARSED(rc);
    if (pos[0] == NULL)
        return usage("%s", cmd == C_MCASES ? _("a member id (UUID) is needed")
                                           : _("a case id (UUID) is needed"));
    if ((rc = open_council(o.g, &c)) != 0)
        return rc;
    rc = cmd == C_TRANSFER ? transfer(c, &o, pos)
         : cmd == C_MERGE  ? merge(c, &o, pos)
                           : member_cases(c, &o, pos);
    if (rc == EXIT_USAGE) {
        council_close(c);
        return rc;
    }
    return close_council(c, rc, cmd == C_MCASES ? "member" : "case");
}

static const cli_help transfer_help = {
    "CASE --to MEMBER --basis CODE [--reason TEXT] [--consent UUID] [--purpose CODE] [--json]",
    N_("Moves the case's ownership to another active member (the secretariat\n"
    "only). The new owner receives every scope of the case, so the\n"
    "disclosure decision runs as for a share of all of them; the data keys are\n"
    "rewrapped for it, the old owner's copies end (unless a share remains) and\n"
    "every key is rotated.\n"
    "\n"
    "Options:\n"
    "  --to MEMBER            the new owner\n"
    "  --basis CODE           consent, appi_27_1_1_law, appi_27_1_2_vital,\n"
    "                         appi_27_1_3_public_health_child, appi_27_1_4_public_duty\n"
    "                         or council_art16_exchange\n"
    "  --reason TEXT          the written reason (needed for an exception)\n"
    "  --consent UUID         the consent record (with --basis consent)\n"
    "  --purpose CODE         default support_coordination\n"
    "  --json                 {\"case_id\": ID, \"owner\": ID}\n"),
    "  council-cli --store ./council case transfer \"$CASE\" --to \"$NPO_B\" \\\n"
    "      --basis appi_27_1_4_public_duty --reason \"担当の引継ぎ\"\n",
};

static const cli_opt transfer_opts_list[] = {
    OPT_STR("to", transfer_opts, to),
    OPT_STR("basis", transfer_opts, basis),
    OPT_STR("reason", transfer_opts, reason),
    OPT_STR("consent", transfer_opts, consent),
    OPT_STR("purpose", transfer_opts, purpose),
    OPT_FLAG("json", transfer_opts, json),
};
static const cli_spec transfer_spec =
    CLI_SPEC(transfer_opts_list, transfer_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_transfer(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &transfer_spec, C_TRANSFER);
}

static const cli_help merge_help = {
    "CASE --keep PERSON --gone PERSON [--json]",
    N_("Records that two persons of the case are the same person (an anonymous\n"
    "contact later named, say): the --gone person is merged into the --keep one.\n"
    "Both histories stay readable; a name of either finds the kept person. The\n"
    "secretariat or the owner's staff only.\n"
    "\n"
    "Options:\n"
    "  --keep PERSON          the person record kept\n"
    "  --gone PERSON          the person record merged into it\n"
    "  --json                 {\"case_id\": ID, \"kept\": ID, \"merged\": ID}\n"),
    "  council-cli --store ./council case merge \"$CASE\" --keep \"$KEEP\" --gone \"$GONE\" \\\n"
    "      --staff \"$SATO\" --keyfile npo.keyfile\n",
};

static const cli_opt merge_opts[] = {
    OPT_STR("keep", transfer_opts, keep),
    OPT_STR("gone", transfer_opts, gone),
    OPT_FLAG("json", transfer_opts, json),
};
static const cli_spec merge_spec = CLI_SPEC(merge_opts, merge_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_merge(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &merge_spec, C_MERGE);
}

static const cli_opt json_only[] = {
    OPT_FLAG("json", transfer_opts, json),
};

static const cli_help cases_help = {
    "MEMBER [--json]",
    N_("Lists the cases the member owns (not erased): the cases that move when it\n"
    "withdraws. The secretariat for any member, staff for their own.\n"
    "\n"
    "Options:\n"
    "  --json                 as a JSON array\n"),
    "  council-cli --store ./council member cases \"$NPO_A\"\n",
};

static const cli_spec cases_spec = CLI_SPEC(json_only, cases_help, CLI_STORE | CLI_SESSION, 1);

int cmd_member_cases(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &cases_spec, C_MCASES);
}
