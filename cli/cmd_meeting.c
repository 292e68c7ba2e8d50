/*
 * cmd_meeting.c - meetings (会議): meeting create, add-case, show,
 * packet, close.
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
#include "council/v1/meeting.pb-c.h"
#include "json.h"
#include "names.h"
#include "open.h"
#include "text.h"
#include "util.h"
#include "vocab.h"

typedef struct meeting_opts {
    const cli_global *g;
    const char *body, *starts, *ends, *out, *reason, *purpose_text, *basis, *consent;
    const char *second_approver;
    const char *scope[MAX_SCOPES];
    size_t n_scope;
    const char *members[MAX_LIST], *member, *purposes[1], *purpose;
    size_t n_member, n_purpose;
    int json, yes;
} meeting_opts;

enum { C_MTCREATE = 1 << 0, C_MTADD = 1 << 1, C_MTSHOW = 1 << 2, C_MTPACKET = 1 << 3, C_MTCLOSE = 1 << 4 };

static const char *meeting_body_name(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__meeting_body__descriptor, "MEETING_BODY_", v, buf, n);
}

/* What the command line gave a meeting command, checked before the store opens. */
typedef struct meeting_args {
    uint8_t id[COUNCIL_ID_BYTES], case_id[COUNCIL_ID_BYTES];
    uint8_t consent[COUNCIL_ID_BYTES], approver[COUNCIL_ID_BYTES];
    uint8_t members[MAX_LIST * COUNCIL_ID_BYTES]; /* attendees; else the one --member */
    int32_t body;
    int64_t starts, ends;
} meeting_args;

static int meeting_check_args(const meeting_opts *o, int cmd, const char *id_text,
                              const char *case_text, meeting_args *a)
{
    if (cmd != C_MTCREATE && id_arg(id_text, a->id) != 0)
        return usage("%s", _("a meeting id (UUID) is needed"));
    for (size_t i = 0; i < o->n_member; i++)
        if (id_arg(o->members[i], a->members + i * COUNCIL_ID_BYTES) != 0)
            return usage("%s", _("--member needs a member id (UUID)"));
    switch (cmd) {
    case C_MTCREATE:
        if (o->body == NULL || o->starts == NULL || o->ends == NULL || o->n_member == 0)
            return usage("%s", _("meeting create needs --body BODY, --starts T, --ends T and "
                               "--member ID (one or more)"));
        if ((a->body = enum_value(&council__v1__meeting_body__descriptor, "MEETING_BODY_",
                                  o->body)) == 0)
            return usage("%s", _("--body: council, support_meeting or joint_platform"));
        if (time_arg("--starts", o->starts, TIME_START, &a->starts) != 0)
            return EXIT_USAGE;
        if (time_arg("--ends", o->ends, TIME_END, &a->ends) != 0)
            return EXIT_USAGE;
        break;
    case C_MTADD:
        if (id_arg(case_text, a->case_id) != 0)
            return usage("%s", _("meeting add-case MEETING CASE: a case id (UUID) is needed"));
        if (o->member == NULL || o->n_scope == 0 || o->purpose == NULL || o->basis == NULL)
            return usage("%s", _("meeting add-case needs --member ID, --scope SCOPE (one or more), "
                               "--purpose CODE and --basis CODE"));
        if (o->consent != NULL && id_arg(o->consent, a->consent) != 0)
            return usage("%s", _("--consent needs a consent id (UUID)"));
        if (o->second_approver != NULL && id_arg(o->second_approver, a->approver) != 0)
            return usage("%s", _("--second-approver needs a staff id (UUID)"));
        break;
    case C_MTPACKET:
        if (o->member == NULL || o->out == NULL)
            return usage("%s", _("meeting packet needs --member ID and --out FILE"));
        break;
    default:
        break;
    }
    return 0;
}

/* "open", "closed", or "ended" (the window passed without a close). */
static const char *meeting_status(const Council__V1__Meeting *m)
{
    return m->has_closed ? "closed" : m->ends <= (int64_t)time(NULL) ? "ended" : "open";
}

static json_t *meeting_json(const Council__V1__Meeting *m, const member_names *names)
{
    json_t *j = json_object(), *a = json_array(), *items = json_array(), *an = json_array();
    char name[48];

    json_object_set_new(j, "id", json_string(m->id_text));
    json_object_set_new(j, "body", json_string(meeting_body_name((int)m->body, name, sizeof name)));
    json_object_set_new(j, "starts", time_json(m->starts));
    json_object_set_new(j, "ends", time_json(m->ends));
    json_object_set_new(j, "status", json_string(meeting_status(m)));
    json_object_set_new(j, "closed", m->has_closed ? time_json(m->closed) : json_null());
    for (size_t i = 0; i < m->n_attendees; i++) {
        const char *who = member_name(names, m->attendees[i].data, m->attendees[i].len);
        json_array_append_new(a, id_json(m->attendees[i]));
        json_array_append_new(an, who != NULL ? json_string(who) : json_null());
    }
    json_object_set_new(j, "attendees", a);
    /* Their names, in the same order (null where the session cannot read
     * the register). */
    json_object_set_new(j, "attendee_names", an);
    for (size_t i = 0; i < m->n_items; i++) {
        const Council__V1__AgendaItem *it = m->items[i];
        json_t *ij = json_object();
        json_object_set_new(ij, "case_id", id_json(it->case_id));
        json_object_set_new(ij, "attendee", id_json(it->attendee));
        json_object_set_new(ij, "scopes", str_array_json(it->scopes, it->n_scopes));
        json_object_set_new(ij, "basis", json_string(it->basis));
        json_array_append_new(items, ij);
    }
    json_object_set_new(j, "items", items);
    return j;
}

static void meeting_lines(const Council__V1__Meeting *m, const member_names *names)
{
    char name[48], id[37], id2[37], t[32];

    printf(_("id:                 %s\n"), m->id_text);
    printf(_("body:               %s\n"), meeting_body_name((int)m->body, name, sizeof name));
    time_text(t, sizeof t, m->starts);
    printf(_("starts:             %s\n"), t);
    time_text(t, sizeof t, m->ends);
    printf(_("ends:               %s\n"), t);
    printf(_("status:             %s\n"), meeting_status(m));
    if (m->has_closed) {
        time_text(t, sizeof t, m->closed);
        printf(_("closed:             %s\n"), t);
    }
    for (size_t i = 0; i < m->n_attendees; i++) {
        const char *who = member_name(names, m->attendees[i].data, m->attendees[i].len);
        printf("%s%s", col(i == 0 ? _("attendees:") : "", -20), id_of(id, m->attendees[i]));
        if (who != NULL)
            printf(" (%s)", who);
        putchar('\n');
    }
    printf(_("agenda:%s\n"), m->n_items == 0 ? "             -" : "");
    for (size_t i = 0; i < m->n_items; i++) {
        const Council__V1__AgendaItem *it = m->items[i];
        printf(_("  case %s  member %s  basis=%s scopes="), id_of(id, it->case_id),
               id_of(id2, it->attendee), it->basis);
        for (size_t k = 0; k < it->n_scopes; k++)
            printf("%s%s", k ? "," : "", it->scopes[k]);
        putchar('\n');
    }
}

static int meeting_create(council *c, const meeting_opts *o, const meeting_args *a)
{
    council_meeting_options mo = COUNCIL_MEETING_OPTIONS_INIT;
    uint8_t id[COUNCIL_ID_BYTES];
    char t[37];
    int rc;

    mo.body = a->body;
    mo.starts = a->starts;
    mo.ends = a->ends;
    mo.attendees = a->members;
    mo.n_attendees = o->n_member;
    if ((rc = council_meeting_create(c, id, sizeof id, &mo)) != COUNCIL_OK)
        return rc;
    uuid_text_of(t, id);
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "meeting_id", json_string(t));
        return print_json(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    }
    printf("%s\n", t);
    return COUNCIL_OK;
}

static int meeting_add_case(council *c, const meeting_opts *o, const meeting_args *a)
{
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    int rc;

    so.scopes = o->scope;
    so.n_scopes = o->n_scope;
    so.purpose = o->purpose;
    so.purpose_text = o->purpose_text;
    so.basis = o->basis;
    so.reason = o->reason;
    if (o->consent != NULL) {
        so.consent_id = a->consent;
        so.consent_id_len = sizeof a->consent;
    }
    if (o->second_approver != NULL) {
        so.second_approver = a->approver;
        so.second_approver_len = sizeof a->approver;
    }
    /* The library sets the expiry: the meeting's end. */
    rc = council_meeting_add_case(c, a->id, sizeof a->id, a->case_id, sizeof a->case_id,
                                  a->members, COUNCIL_ID_BYTES, &so);
    if (rc == COUNCIL_OK)
        fprintf(stderr,
                ngettext("%s: on the agenda for member %s: %zu scope, until the meeting ends\n",
                         "%s: on the agenda for member %s: %zu scopes, until the meeting ends\n",
                         o->n_scope),
                prog, o->member, o->n_scope);
    return rc;
}

static int meeting_packet(council *c, const meeting_opts *o, const meeting_args *a)
{
    council_buf buf = { NULL, 0 };
    int fd, rc;

    /* Claim the file first: building the packet reads (and logs) every
     * section in it, which must not happen for a file never written. */
    if ((fd = create_private(o->out)) < 0)
        return EXIT_FAILURE;
    rc = council_meeting_packet(c, &buf, a->id, sizeof a->id, a->members, COUNCIL_ID_BYTES);
    if (rc != COUNCIL_OK) {
        (void)close(fd);
        remove_private(o->out);
        return rc;
    }
    if (finish_private(fd, buf.ptr, buf.len) != 0) {
        fprintf(stderr, _("%s: cannot write %s: %s\n"), prog, o->out, strerror(errno));
        remove_private(o->out);
        council_buf_free(&buf);
        return EXIT_FAILURE;
    }
    fprintf(stderr, _("%s: meeting packet for member %s written to %s (%zu bytes, sealed to the "
            "member's key)\n"), prog, o->member,
            strcmp(o->out, "-") == 0 ? _("standard output") : o->out, buf.len);
    council_buf_free(&buf);
    return COUNCIL_OK;
}

static int do_meeting(const meeting_opts *o, int cmd, const char *id_text, const char *case_text)
{
    council_buf buf = { NULL, 0 };
    council *c = NULL;
    meeting_args a;
    int rc;

    memset(&a, 0, sizeof a);
    if ((rc = meeting_check_args(o, cmd, id_text, case_text, &a)) != 0)
        return rc;
    if (cmd == C_MTCLOSE &&
        (rc = confirm_act(o->yes, _("meeting close: meeting %s ends now; its disclosures are "
                          "revoked and their data keys rotated"), id_text)) != 0)
        return rc;
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    switch (cmd) {
    case C_MTCREATE:
        rc = meeting_create(c, o, &a);
        break;
    case C_MTADD:
        rc = meeting_add_case(c, o, &a);
        break;
    case C_MTSHOW: {
        Council__V1__Meeting *m = NULL;
        member_names names = { NULL };
        rc = council_meeting_get(c, &buf, a.id, sizeof a.id);
        m = unpack_reply(&council__v1__meeting__descriptor, &buf, &rc);
        if (rc == COUNCIL_OK)
            member_names_load(c, &names);
        if (rc == COUNCIL_OK && o->json)
            rc = print_json(meeting_json(m, &names)) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        else if (rc == COUNCIL_OK)
            meeting_lines(m, &names);
        member_names_free(&names);
        council__v1__meeting__free_unpacked(m, NULL);
        break;
    }
    case C_MTPACKET:
        rc = meeting_packet(c, o, &a);
        break;
    default: /* C_MTCLOSE */
        rc = council_meeting_close(c, a.id, sizeof a.id);
        if (rc == COUNCIL_OK)
            fprintf(stderr, _("%s: meeting closed; its disclosures were revoked and their data keys "
                    "rotated\n"), prog);
        break;
    }
    council_buf_free(&buf);
    return close_council(c, rc, "meeting");
}

/* ------------------------------------------------------------ commands */

/* Parse the command's options and run it. */
static int run(cli_ctx *x, int argc, char **argv, const cli_spec *s, int cmd)
{
    const char *pos[CLI_MAX_POS];
    meeting_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, s, &o, pos);

    if (rc != 0)
        return CLI_PARSED(rc);
    FIRSTS(o);
    return do_meeting(&o, cmd, pos[0], pos[1]);
}

static const cli_help create_help = {
    "--body MBODY --starts T --ends T --member ID [--member ID]... [--json]",
    N_("Holds a meeting and prints its id (a bare id, one line); the members attend.\n"
    "\n"
    "Options:\n"
    "  --body MBODY           council, support_meeting or joint_platform (this one\n"
    "                         takes no case)\n"
    "  --starts T, --ends T   when it is held\n"
    "  --member ID            an attendee (repeatable)\n"
    HELP_JSON_ID("meeting_id")),
    "  council-cli --store ./council meeting create --body support_meeting \\\n"
    "      --starts 2026-12-01T01:00:00Z --ends 2026-12-01T03:00:00Z \\\n"
    "      --member \"$NPO\" --member \"$SHAKYO\"\n",
};

static const cli_opt create_opts[] = {
    OPT_LIST("member", meeting_opts, members, n_member, MAX_LIST),
    OPT_STR("body", meeting_opts, body),
    OPT_STR("starts", meeting_opts, starts),
    OPT_STR("ends", meeting_opts, ends),
    OPT_FLAG("json", meeting_opts, json),
};
static const cli_spec create_spec = CLI_SPEC(create_opts, create_help, CLI_STORE | CLI_SESSION, 0);

int cmd_meeting_create(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &create_spec, C_MTCREATE);
}

static const cli_help add_case_help = {
    "MEETING CASE --member ID --scope S [--scope S]... --purpose CODE --basis CODE [--purpose-text TEXT] [--reason TEXT] [--consent UUID] [--second-approver STAFF]",
    N_("Puts the case on the agenda: shares its scopes with an attendee until the\n"
    "meeting ends.\n"
    "\n"
    "Options:\n"
    "  --member ID            the attendee\n"
    "  --scope S              a scope (repeatable)\n"
    HELP_SHARE_GROUNDS),
    "  council-cli --store ./council meeting add-case \"$MEETING\" \"$CASE\" --member \"$SHAKYO\" \\\n"
    "      --scope wishes --purpose meeting_discussion --basis council_art16_exchange \\\n"
    "      --reason \"support meeting\"\n",
};

static const cli_opt add_case_opts[] = {
    OPT_LIST("member", meeting_opts, members, n_member, 1),
    OPT_STR("reason", meeting_opts, reason),
    OPT_LIST("scope", meeting_opts, scope, n_scope, MAX_SCOPES),
    OPT_STR("purpose-text", meeting_opts, purpose_text),
    OPT_LIST("purpose", meeting_opts, purposes, n_purpose, 1),
    OPT_STR("basis", meeting_opts, basis),
    OPT_STR("consent", meeting_opts, consent),
    OPT_STR("second-approver", meeting_opts, second_approver),
};
static const cli_spec add_case_spec = CLI_SPEC(add_case_opts, add_case_help, CLI_STORE | CLI_SESSION, 2);

int cmd_meeting_add_case(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &add_case_spec, C_MTADD);
}

static const cli_help show_help = {
    "MEETING [--json]",
    N_("Shows the meeting: body, times, status, attendees and agenda.\n"
    "\n"
    "Options:\n"
    "  --json                 as a JSON object\n"),
    "  council-cli --store ./council meeting show \"$MEETING\"\n",
};

static const cli_opt show_opts[] = {
    OPT_FLAG("json", meeting_opts, json),
};
static const cli_spec show_spec = CLI_SPEC(show_opts, show_help, CLI_STORE | CLI_SESSION, 1);

int cmd_meeting_show(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &show_spec, C_MTSHOW);
}

static const cli_help packet_help = {
    "MEETING --member ID --out FILE",
    N_("Writes the attendee's packet, sealed to its key, to a new FILE of mode 0600.\n"
    "\n"
    "Options:\n"
    "  --member ID            the attendee\n"
    "  --out FILE             the packet file ('-': standard output)\n"),
    "  council-cli --store ./council meeting packet \"$MEETING\" --member \"$SHAKYO\" \\\n"
    "      --out shakyo.packet\n",
};

static const cli_opt packet_opts[] = {
    OPT_LIST("member", meeting_opts, members, n_member, 1),
    OPT_STR("out", meeting_opts, out),
};
static const cli_spec packet_spec = CLI_SPEC(packet_opts, packet_help, CLI_STORE | CLI_SESSION, 1);

int cmd_meeting_packet(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &packet_spec, C_MTPACKET);
}

static const cli_help close_help = {
    "MEETING [--yes]",
    N_("Ends the meeting's disclosures now: they are revoked and their data keys\n"
    "rotated. Asks first on a terminal.\n"
    "\n"
    "Options:\n"
    HELP_YES),
    "  council-cli --store ./council meeting close \"$MEETING\" --yes\n",
};

static const cli_opt close_opts[] = {
    OPT_FLAG("yes", meeting_opts, yes),
};
static const cli_spec close_spec = CLI_SPEC(close_opts, close_help, CLI_STORE | CLI_SESSION, 1);

int cmd_meeting_close(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &close_spec, C_MTCLOSE);
}
