/*
 * cmd_staff.c - the members' staff: staff add, list, pledge, retire.
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
#include "guard.h"
#include "council/v1/member.pb-c.h"
#include "json.h"
#include "names.h"
#include "open.h"
#include "text.h"
#include "util.h"
#include "vocab.h"

typedef struct staff_opts {
    const cli_global *g;
    const char *name, *role, *text_version, *text_file, *witness_name, *reason, *date;
    const char *members[1], *member, *purposes[1], *purpose;
    size_t n_member, n_purpose;
    int json, yes;
} staff_opts;

enum { C_SADD = 1 << 0, C_SLIST = 1 << 1, C_SPLEDGE = 1 << 2, C_SRETIRE = 1 << 3 };

static int do_staff(const staff_opts *o, int cmd, const char *id_text)
{
    uint8_t id[COUNCIL_ID_BYTES], member[COUNCIL_ID_BYTES];
    council_buf buf = { NULL, 0 };
    council *c = NULL;
    char *text = NULL;
    size_t text_len = 0;
    int64_t when = 0;
    int rc;

    if ((cmd & (C_SPLEDGE | C_SRETIRE)) != 0 && id_arg(id_text, id) != 0)
        return usage("%s", _("a staff id (UUID) is needed"));
    if (cmd == C_SADD && (o->member == NULL || o->name == NULL))
        return usage("%s", _("staff add needs --member ID and --name NAME"));
    if (o->member != NULL && id_arg(o->member, member) != 0)
        return usage("%s", _("--member needs a member id (UUID)"));
    if (cmd == C_SPLEDGE && (o->text_version == NULL || o->text_file == NULL))
        return usage("%s", _("staff pledge needs --text-version V and --text-file FILE"));
    if (cmd == C_SRETIRE && o->reason == NULL)
        return usage("%s", _("staff retire needs --reason TEXT"));
    if (o->date != NULL && time_arg("--date", o->date, TIME_START, &when) != 0)
        return EXIT_USAGE;
    if (cmd == C_SRETIRE &&
        (rc = confirm_act(o->yes, _("staff retire: staff member %s leaves; their sessions are "
                          "refused from then on"), id_text)) != 0)
        return rc;
    if (cmd == C_SPLEDGE &&
        (text = slurp(o->text_file, COUNCIL_PLEDGE_TEXT_MAX, &text_len, _("pledge text"))) == NULL)
        return EXIT_FAILURE;
    if ((rc = open_council(o->g, &c)) != 0) {
        free(text);
        return rc;
    }
    switch (cmd) {
    case C_SADD:
        rc = council_staff_add(c, id, sizeof id, member, sizeof member, o->name, o->role);
        if (rc == COUNCIL_OK) {
            char t[37];
            uuid_text_of(t, id);
            if (print_new_id(o->json, "staff_id", t) != 0)
                rc = EXIT_FAILURE;
        }
        break;
    case C_SPLEDGE:
        rc = council_staff_pledge(c, id, sizeof id, when, o->text_version, (const uint8_t *)text,
                                  text_len, o->witness_name);
        break;
    case C_SRETIRE:
        rc = council_staff_retire(c, id, sizeof id, when, o->reason);
        break;
    default: { /* C_SLIST */
        Council__V1__StaffList *l = NULL;
        member_names names = { NULL };
        rc = council_staff_list(c, &buf, o->member != NULL ? member : NULL,
                                o->member != NULL ? sizeof member : 0);
        l = unpack_reply(&council__v1__staff_list__descriptor, &buf, &rc);
        if (rc == COUNCIL_OK)
            member_names_load(c, &names);
        if (rc == COUNCIL_OK && o->json) {
            json_t *arr = json_array();
            for (size_t i = 0; i < l->n_staff; i++) {
                const Council__V1__Staff *s = l->staff[i];
                json_t *j = json_object(), *pl = json_array();
                char m[37], t[32], hex[65];
                const char *who;
                uuid_text_of(m, s->member_id.data);
                json_object_set_new(j, "id", json_string(s->id_text));
                json_object_set_new(j, "member", json_string(m));
                if ((who = member_name(&names, s->member_id.data, s->member_id.len)) != NULL)
                    json_object_set_new(j, "member_name", json_string(who));
                json_object_set_new(j, "name", json_string(s->display_name));
                if (s->role != NULL)
                    json_object_set_new(j, "role", json_string(s->role));
                json_object_set_new(j, "status", json_string(
                    s->status == COUNCIL__V1__STAFF_STATUS__STAFF_STATUS_RETIRED ? "retired" : "active"));
                if (s->has_retired) {
                    time_text(t, sizeof t, s->retired);
                    json_object_set_new(j, "retired", json_string(t));
                    json_object_set_new(j, "retirement_reason", json_string(s->retirement_reason));
                }
                for (size_t k = 0; k < s->n_pledges; k++) {
                    json_t *p = json_object();
                    time_text(t, sizeof t, s->pledges[k]->pledged);
                    hex_text(hex, s->pledges[k]->text_sha256.data, 32);
                    json_object_set_new(p, "pledged", json_string(t));
                    json_object_set_new(p, "text_version", json_string(s->pledges[k]->text_version));
                    json_object_set_new(p, "text_sha256", json_string(hex));
                    if (s->pledges[k]->witness != NULL)
                        json_object_set_new(p, "witness", json_string(s->pledges[k]->witness));
                    json_array_append_new(pl, p);
                }
                json_object_set_new(j, "pledges", pl);
                json_array_append_new(arr, j);
            }
            rc = print_json(arr) == 0 ? COUNCIL_OK : COUNCIL_ERROR;
        } else if (rc == COUNCIL_OK) {
            printf("%s  %s  %s  %s  %s\n", col(_("ID"), -36), col(_("STATUS"), -7),
                   col(_("PLEDGED"), -7), col(_("MEMBER"), -36), _("NAME (THE MEMBER'S NAME)"));
            for (size_t i = 0; i < l->n_staff; i++) {
                const Council__V1__Staff *s = l->staff[i];
                const char *who = member_name(&names, s->member_id.data, s->member_id.len);
                char m[37];
                uuid_text_of(m, s->member_id.data);
                printf("%-36s  %-7s  %-7s  %-36s  %s", s->id_text,
                       s->status == COUNCIL__V1__STAFF_STATUS__STAFF_STATUS_RETIRED ? "retired" : "active",
                       s->n_pledges > 0 ? "yes" : "no", m, s->display_name);
                if (who != NULL)
                    printf(" (%s)", who);
                putchar('\n');
            }
        }
        member_names_free(&names);
        council__v1__staff_list__free_unpacked(l, NULL);
        break;
    }
    }
    free(text);
    council_buf_free(&buf);
    return close_council(c, rc, "staff");
}

/* ------------------------------------------------------------ commands */

/* Parse the command's options and run it. */
static int run(cli_ctx *x, int argc, char **argv, const cli_spec *s, int cmd)
{
    const char *pos[CLI_MAX_POS];
    staff_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, s, &o, pos);

    if (rc != 0)
        return CLI_PARSED(rc);
    FIRSTS(o);
    return do_staff(&o, cmd, pos[0]);
}

static const cli_help add_help = {
    "--member ID --name NAME [--role TEXT] [--json]",
    N_("Registers a staff member of a member and prints the staff id (a bare id,\n"
    "one line).\n"
    "\n"
    "Options:\n"
    "  --member ID            the member it works for\n"
    "  --name NAME            its name\n"
    "  --role TEXT            its role\n"
    HELP_JSON_ID("staff_id")),
    "  council-cli --store ./council staff add --member \"$NPO\" --name \"Sato Hanako\"\n",
};

static const cli_opt add_opts[] = {
    OPT_STR("name", staff_opts, name),
    OPT_LIST("member", staff_opts, members, n_member, 1),
    OPT_STR("role", staff_opts, role),
    OPT_FLAG("json", staff_opts, json),
};
static const cli_spec add_spec = CLI_SPEC(add_opts, add_help, CLI_STORE | CLI_SESSION, 0);

int cmd_staff_add(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &add_spec, C_SADD);
}

static const cli_help list_help = {
    "[--member ID] [--json]",
    N_("Lists the staff: id, status, whether pledged, member and name.\n"
    "\n"
    "Options:\n"
    "  --member ID            only this member's staff\n"
    "  --json                 as a JSON array\n"),
    "  council-cli --store ./council staff list --member \"$NPO\"\n",
};

static const cli_opt list_opts[] = {
    OPT_LIST("member", staff_opts, members, n_member, 1),
    OPT_FLAG("json", staff_opts, json),
};
static const cli_spec list_spec = CLI_SPEC(list_opts, list_help, CLI_STORE | CLI_SESSION, 0);

int cmd_staff_list(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &list_spec, C_SLIST);
}

static const cli_help pledge_help = {
    "ID --text-version V --text-file FILE [--witness-name NAME] [--date T]",
    N_("Records the staff member's pledge of confidentiality: the text's version and\n"
    "its SHA-256 (the text itself is not stored).\n"
    "\n"
    "Options:\n"
    "  --text-version V       the pledge text's version\n"
    "  --text-file FILE       the pledge text\n"
    "  --witness-name NAME    who witnessed it\n"
    "  --date T               when (default: now)\n"),
    "  council-cli --store ./council staff pledge \"$SATO\" --text-version v2024_04 \\\n"
    "      --text-file pledge.txt\n",
};

static const cli_opt pledge_opts[] = {
    OPT_STR("text-version", staff_opts, text_version),
    OPT_STR("text-file", staff_opts, text_file),
    OPT_STR("witness-name", staff_opts, witness_name),
    OPT_STR("date", staff_opts, date),
};
static const cli_spec pledge_spec = CLI_SPEC(pledge_opts, pledge_help, CLI_STORE | CLI_SESSION, 1);

int cmd_staff_pledge(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &pledge_spec, C_SPLEDGE);
}

static const cli_help retire_help = {
    "ID --reason TEXT [--date T] [--yes]",
    N_("Records that the staff member left; its sessions are refused from then on.\n"
    "Asks first on a terminal.\n"
    "\n"
    "Options:\n"
    "  --reason TEXT          why\n"
    "  --date T               when (default: now)\n"
    HELP_YES),
    "  council-cli --store ./council staff retire \"$SATO\" --reason transferred --yes\n",
};

static const cli_opt retire_opts[] = {
    OPT_STR("reason", staff_opts, reason),
    OPT_STR("date", staff_opts, date),
    OPT_FLAG("yes", staff_opts, yes),
};
static const cli_spec retire_spec = CLI_SPEC(retire_opts, retire_help, CLI_STORE | CLI_SESSION, 1);

int cmd_staff_retire(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &retire_spec, C_SRETIRE);
}
