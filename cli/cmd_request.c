/*
 * cmd_request.c - cooperation requests (協力要請, Art. 16(3)): request
 * make, answer, decline, withdraw, show, list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "cmds.h"
#include "council/v1/request.pb-c.h"
#include "json.h"
#include "names.h"
#include "open.h"
#include "text.h"
#include "util.h"
#include "vocab.h"

/* The longest text a request, an answer or a reason carries. */
#define REQUEST_TEXT_MAX (64 * 1024)

typedef struct request_opts {
    const cli_global *g;
    const char *text_file, *due, *basis, *consent, *reason, *text, *case_id, *status;
    const char *scope[MAX_SCOPES];
    size_t n_scope;
    const char *kinds[3];
    size_t n_kind;
    const char *members[1], *member, *purposes[1], *purpose;
    size_t n_member, n_purpose;
    int json, overdue;
} request_opts;

enum { C_RMAKE = 1, C_RANSWER, C_RDECLINE, C_RWITHDRAW, C_RSHOW, C_RLIST };

static const char *state_name(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__request_state__descriptor, "REQUEST_STATE_", v, buf, n);
}

/* What the command line gave, checked before the store opens. */
typedef struct request_args {
    uint8_t id[COUNCIL_ID_BYTES], case_id[COUNCIL_ID_BYTES], member[COUNCIL_ID_BYTES];
    uint8_t consent[COUNCIL_ID_BYTES];
    uint32_t kinds;
    int64_t due;
    int32_t state;
    int which;
    char *text; /* read from --text-file */
    size_t text_len;
} request_args;

static int check_args(const request_opts *o, int cmd, const char *id_text, request_args *a)
{
    if (cmd != C_RMAKE && cmd != C_RLIST && id_arg(id_text, a->id) != 0)
        return usage("%s", _("a request id (UUID) is needed"));
    if (o->member != NULL && id_arg(o->member, a->member) != 0)
        return usage("%s", _("--member needs a member id (UUID)"));
    if (o->case_id != NULL && id_arg(o->case_id, a->case_id) != 0)
        return usage("%s", _("--case needs a case id (UUID)"));
    switch (cmd) {
    case C_RMAKE:
        if (id_arg(id_text, a->case_id) != 0)
            return usage("%s", _("request make CASE: a case id (UUID) is needed"));
        if (o->member == NULL || o->n_kind == 0 || o->text_file == NULL || o->due == NULL ||
            o->basis == NULL)
            return usage("%s", _("request make needs --member ID, --kind KIND (one or more), "
                               "--text-file FILE, --due T and --basis CODE"));
        for (size_t i = 0; i < o->n_kind; i++) {
            if (strcmp(o->kinds[i], "information") == 0)
                a->kinds |= COUNCIL_REQUEST_KIND_INFORMATION;
            else if (strcmp(o->kinds[i], "opinion") == 0)
                a->kinds |= COUNCIL_REQUEST_KIND_OPINION;
            else if (strcmp(o->kinds[i], "other") == 0)
                a->kinds |= COUNCIL_REQUEST_KIND_OTHER;
            else
                return usage("%s", _("--kind: information, opinion or other"));
        }
        if (time_arg("--due", o->due, TIME_END, &a->due) != 0)
            return EXIT_USAGE;
        if (o->consent != NULL && id_arg(o->consent, a->consent) != 0)
            return usage("%s", _("--consent needs a consent id (UUID)"));
        break;
    case C_RDECLINE:
        if (o->reason == NULL)
            return usage("%s", _("request decline needs --reason CODE"));
        break;
    case C_RSHOW:
        if (o->text != NULL) {
            if (strcmp(o->text, "asked") == 0)
                a->which = COUNCIL_REQUEST_TEXT_ASKED;
            else if (strcmp(o->text, "answer") == 0)
                a->which = COUNCIL_REQUEST_TEXT_ANSWER;
            else if (strcmp(o->text, "reason") == 0)
                a->which = COUNCIL_REQUEST_TEXT_REASON;
            else
                return usage("%s", _("--text: asked, answer or reason"));
        }
        break;
    case C_RLIST:
        if (o->status != NULL &&
            (a->state = enum_value(&council__v1__request_state__descriptor, "REQUEST_STATE_",
                                   o->status)) == 0)
            return usage("%s", _("--status: open, answered, declined or withdrawn"));
        break;
    default:
        break;
    }
    if (o->text_file != NULL && cmd != C_RSHOW && cmd != C_RLIST &&
        (a->text = slurp(o->text_file, REQUEST_TEXT_MAX, &a->text_len, _("text"))) == NULL)
        return EXIT_FAILURE;
    return 0;
}

static json_t *request_json(const Council__V1__CooperationRequest *m, const member_names *names)
{
    json_t *j = json_object(), *ts = json_array();
    const char *who = member_name(names, m->member.data, m->member.len);
    char name[32];

    json_object_set_new(j, "id", json_string(m->id_text));
    json_object_set_new(j, "case_id", id_json(m->case_id));
    json_object_set_new(j, "member", id_json(m->member));
    json_object_set_new(j, "member_name", who != NULL ? json_string(who) : json_null());
    json_object_set_new(j, "council_member",
                        m->has_council_member ? id_json(m->council_member) : json_null());
    json_object_set_new(j, "kinds", str_array_json(m->kinds, m->n_kinds));
    json_object_set_new(j, "scopes", str_array_json(m->scopes, m->n_scopes));
    json_object_set_new(j, "basis", json_string(m->basis));
    json_object_set_new(j, "consent_id", m->has_consent_id ? id_json(m->consent_id) : json_null());
    json_object_set_new(j, "due", time_json(m->due));
    json_object_set_new(j, "status", json_string(state_name((int)m->state, name, sizeof name)));
    json_object_set_new(j, "overdue", json_boolean(m->overdue));
    json_object_set_new(j, "provided", str_array_json(m->provided, m->n_provided));
    json_object_set_new(j, "has_answer_text", json_boolean(m->has_answer_text));
    json_object_set_new(j, "has_reason_text", json_boolean(m->has_reason_text));
    for (size_t i = 0; i < m->n_transitions; i++) {
        const Council__V1__RequestTransition *t = m->transitions[i];
        json_t *tj = json_object();
        json_object_set_new(tj, "status", json_string(state_name((int)t->state, name, sizeof name)));
        json_object_set_new(tj, "at", time_json(t->at));
        json_object_set_new(tj, "by_member", t->has_by_member ? id_json(t->by_member) : json_null());
        json_object_set_new(tj, "by_staff", t->has_by_staff ? id_json(t->by_staff) : json_null());
        json_object_set_new(tj, "reason", t->reason != NULL ? json_string(t->reason) : json_null());
        json_array_append_new(ts, tj);
    }
    json_object_set_new(j, "transitions", ts);
    return j;
}

static void join_line(const char *label, char **v, size_t n)
{
    printf("%s", col(label, -20));
    if (n == 0)
        printf("-");
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? "," : "", v[i]);
    putchar('\n');
}

static void request_lines(const Council__V1__CooperationRequest *m, const member_names *names)
{
    const char *who = member_name(names, m->member.data, m->member.len);
    char id[37], t[32], name[32];

    printf(_("id:                 %s\n"), m->id_text);
    printf(_("case:               %s\n"), id_of(id, m->case_id));
    printf(_("member asked:       %s"), id_of(id, m->member));
    if (who != NULL)
        printf(" (%s)", who);
    putchar('\n');
    join_line(_("asks:"), m->kinds, m->n_kinds);
    join_line(_("scopes:"), m->scopes, m->n_scopes);
    printf(_("basis:              %s\n"), m->basis);
    time_text(t, sizeof t, m->due);
    printf(_("due:                %s%s\n"), t, m->overdue ? _(" (overdue)") : "");
    printf(_("status:             %s\n"), state_name((int)m->state, name, sizeof name));
    if (m->n_provided > 0)
        join_line(_("provided:"), m->provided, m->n_provided);
    for (size_t i = 0; i < m->n_transitions; i++) {
        const Council__V1__RequestTransition *tr = m->transitions[i];
        time_text(t, sizeof t, tr->at);
        printf("  %s  %s", t, state_name((int)tr->state, name, sizeof name));
        if (tr->has_by_staff)
            printf(_("  by staff %s"), id_of(id, tr->by_staff));
        if (tr->reason != NULL)
            printf(_("  reason=%s"), tr->reason);
        putchar('\n');
    }
}

static int request_make(council *c, const request_opts *o, const request_args *a)
{
    council_request_options ro = COUNCIL_REQUEST_OPTIONS_INIT;
    uint8_t id[COUNCIL_ID_BYTES];
    char t[37];
    int rc;

    ro.case_id = a->case_id;
    ro.case_id_len = sizeof a->case_id;
    ro.member_id = a->member;
    ro.member_id_len = sizeof a->member;
    ro.kinds = a->kinds;
    ro.scopes = o->scope;
    ro.n_scopes = o->n_scope;
    ro.text = a->text;
    ro.text_len = a->text_len;
    ro.due = a->due;
    ro.basis = o->basis;
    if (o->consent != NULL) {
        ro.consent_id = a->consent;
        ro.consent_id_len = sizeof a->consent;
    }
    if ((rc = council_request_make(c, id, sizeof id, &ro)) != COUNCIL_OK)
        return rc;
    uuid_text_of(t, id);
    return print_new_id(o->json, "request_id", t) == 0 ? COUNCIL_OK : EXIT_FAILURE;
}

/* A transition's outcome: {"request_id": ID, "status": S} or a line. */
static int done(const request_opts *o, const char *id_text, const char *status)
{
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "request_id", json_string(id_text));
        json_object_set_new(j, "status", json_string(status));
        return print_json(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    }
    fprintf(stderr, _("%s: request %s is now %s\n"), prog, id_text, status);
    return COUNCIL_OK;
}

static int request_show(council *c, const request_opts *o, const request_args *a)
{
    council_buf buf = { NULL, 0 };
    Council__V1__CooperationRequest *m;
    member_names names = { NULL };
    int rc;

    if (a->which != 0) {
        rc = council_request_text(c, &buf, a->id, sizeof a->id, a->which);
        if (rc == COUNCIL_OK && o->json) {
            json_t *j = json_object();
            json_object_set_new(j, "text", json_stringn((const char *)buf.ptr, buf.len));
            rc = print_json_wiped(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        } else if (rc == COUNCIL_OK) {
            fwrite(buf.ptr, 1, buf.len, stdout);
            if (buf.len == 0 || buf.ptr[buf.len - 1] != '\n')
                putchar('\n');
        }
        council_buf_free(&buf);
        return rc;
    }
    rc = council_request_get(c, &buf, a->id, sizeof a->id);
    m = unpack_reply(&council__v1__cooperation_request__descriptor, &buf, &rc);
    if (rc == COUNCIL_OK)
        member_names_load(c, &names);
    if (rc == COUNCIL_OK && o->json)
        rc = print_json(request_json(m, &names)) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    else if (rc == COUNCIL_OK)
        request_lines(m, &names);
    member_names_free(&names);
    council__v1__cooperation_request__free_unpacked(m, NULL);
    council_buf_free(&buf);
    return rc;
}

static int request_list(council *c, const request_opts *o, const request_args *a)
{
    council_request_filter f = COUNCIL_REQUEST_FILTER_INIT;
    council_buf buf = { NULL, 0 };
    Council__V1__CooperationRequestList *l;
    member_names names = { NULL };
    int rc;

    if (o->case_id != NULL) {
        f.case_id = a->case_id;
        f.case_id_len = sizeof a->case_id;
    }
    if (o->member != NULL) {
        f.member_id = a->member;
        f.member_id_len = sizeof a->member;
    }
    f.state = a->state;
    f.overdue = o->overdue;
    rc = council_request_list(c, &buf, &f);
    l = unpack_reply(&council__v1__cooperation_request_list__descriptor, &buf, &rc);
    if (rc == COUNCIL_OK)
        member_names_load(c, &names);
    if (rc == COUNCIL_OK && o->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l->n_requests; i++)
            json_array_append_new(arr, request_json(l->requests[i], &names));
        rc = print_json(arr) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    } else if (rc == COUNCIL_OK) {
        if (l->n_requests == 0)
            fprintf(stderr, "%s\n", _("no requests"));
        for (size_t i = 0; i < l->n_requests; i++) {
            const Council__V1__CooperationRequest *m = l->requests[i];
            char id[37], t[32], name[32];
            time_text(t, sizeof t, m->due);
            printf("%s  %s  %s  %s%s\n", m->id_text, id_of(id, m->member),
                   state_name((int)m->state, name, sizeof name), t,
                   m->overdue ? _("  overdue") : "");
        }
    }
    member_names_free(&names);
    if (l != NULL)
        council__v1__cooperation_request_list__free_unpacked(l, NULL);
    council_buf_free(&buf);
    return rc;
}

static int do_request(const request_opts *o, int cmd, const char *id_text)
{
    council_request_answer_options ao = COUNCIL_REQUEST_ANSWER_OPTIONS_INIT;
    council *c = NULL;
    request_args a;
    int rc;

    memset(&a, 0, sizeof a);
    if ((rc = check_args(o, cmd, id_text, &a)) != 0)
        return rc;
    if ((rc = open_council(o->g, &c)) != 0) {
        wiping_free(a.text);
        return rc;
    }
    switch (cmd) {
    case C_RMAKE:
        rc = request_make(c, o, &a);
        break;
    case C_RANSWER:
        ao.scopes = o->scope;
        ao.n_scopes = o->n_scope;
        ao.text = a.text;
        ao.text_len = a.text_len;
        rc = council_request_answer(c, a.id, sizeof a.id, &ao);
        if (rc == COUNCIL_OK)
            rc = done(o, id_text, "answered");
        break;
    case C_RDECLINE:
        rc = council_request_decline(c, a.id, sizeof a.id, o->reason, a.text, a.text_len);
        if (rc == COUNCIL_OK)
            rc = done(o, id_text, "declined");
        break;
    case C_RWITHDRAW:
        rc = council_request_withdraw(c, a.id, sizeof a.id, o->reason);
        if (rc == COUNCIL_OK)
            rc = done(o, id_text, "withdrawn");
        break;
    case C_RSHOW:
        rc = request_show(c, o, &a);
        break;
    default:
        rc = request_list(c, o, &a);
        break;
    }
    if (a.text != NULL) {
        wipe(a.text, a.text_len);
        free(a.text);
    }
    return close_council(c, rc, "request");
}

/* ------------------------------------------------------------ commands */

static int run(cli_ctx *x, int argc, char **argv, const cli_spec *s, int cmd)
{
    const char *pos[CLI_MAX_POS];
    request_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, s, &o, pos);

    if (rc != 0)
        return CLI_PARSED(rc);
    FIRSTS(o);
    return do_request(&o, cmd, pos[0]);
}

static const cli_help make_help = {
    "CASE --member ID --kind KIND [--kind KIND]... [--scope S]... --text-file FILE --due T --basis CODE [--consent UUID] [--json]",
    N_("The council (the secretariat or the coordinating body) asks a member about a\n"
    "case (協力要請, Art. 16(3)); prints the request's id. The text is sealed for\n"
    "the council and the member asked.\n"
    "\n"
    "Options:\n"
    "  --member ID            the member asked\n"
    "  --kind KIND            information (with --scope), opinion or other\n"
    "                         (repeatable)\n"
    "  --scope S              a scope of information asked for (repeatable)\n"
    "  --text-file FILE       what is asked ('-': standard input)\n"
    "  --due T                by when\n"
    "  --basis CODE           council_art16_exchange (where the policy accepts it)\n"
    "                         or consent (with --consent)\n"
    "  --consent UUID         the consent record\n"
    HELP_JSON_ID("request_id")),
    "  council-cli --store ./council request make \"$CASE\" --member \"$NPO\" \\\n"
    "      --kind information --scope situation --kind opinion \\\n"
    "      --text-file ask.txt --due 2026-12-20 --basis council_art16_exchange\n",
};

static const cli_opt make_opts[] = {
    OPT_LIST("member", request_opts, members, n_member, 1),
    OPT_LIST("kind", request_opts, kinds, n_kind, 3),
    OPT_LIST("scope", request_opts, scope, n_scope, MAX_SCOPES),
    OPT_STR("text-file", request_opts, text_file),
    OPT_STR("due", request_opts, due),
    OPT_STR("basis", request_opts, basis),
    OPT_STR("consent", request_opts, consent),
    OPT_FLAG("json", request_opts, json),
};
static const cli_spec make_spec = CLI_SPEC(make_opts, make_help, CLI_STORE | CLI_SESSION, 1);

int cmd_request_make(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &make_spec, C_RMAKE);
}

static const cli_help answer_help = {
    "REQUEST [--scope S]... [--text-file FILE] [--json]",
    N_("The member asked answers: provides the scopes named (of those asked, each\n"
    "through the disclosure decision again) and/or an opinion or answer text,\n"
    "sealed for the council. Its staff only.\n"
    "\n"
    "Options:\n"
    "  --scope S              a scope provided (repeatable)\n"
    "  --text-file FILE       the opinion or answer ('-': standard input)\n"
    "  --json                 {\"request_id\": ID, \"status\": \"answered\"}\n"),
    "  council-cli --store ./council --staff \"$STAFF\" --keyfile npo.key request answer \\\n"
    "      \"$REQUEST\" --scope situation --text-file opinion.txt\n",
};

static const cli_opt answer_opts[] = {
    OPT_LIST("scope", request_opts, scope, n_scope, MAX_SCOPES),
    OPT_STR("text-file", request_opts, text_file),
    OPT_FLAG("json", request_opts, json),
};
static const cli_spec answer_spec = CLI_SPEC(answer_opts, answer_help, CLI_STORE | CLI_SESSION, 1);

int cmd_request_answer(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &answer_spec, C_RANSWER);
}

static const cli_help decline_help = {
    "REQUEST --reason CODE [--text-file FILE] [--json]",
    N_("The member asked declines, with a reason code (logged) and optionally a\n"
    "written reason (sealed). Its staff only.\n"
    "\n"
    "Options:\n"
    "  --reason CODE          why, as a code [a-z0-9_]\n"
    "  --text-file FILE       the written reason ('-': standard input)\n"
    "  --json                 {\"request_id\": ID, \"status\": \"declined\"}\n"),
    "  council-cli --store ./council --staff \"$STAFF\" --keyfile npo.key request decline \\\n"
    "      \"$REQUEST\" --reason no_capacity\n",
};

static const cli_opt decline_opts[] = {
    OPT_STR("reason", request_opts, reason),
    OPT_STR("text-file", request_opts, text_file),
    OPT_FLAG("json", request_opts, json),
};
static const cli_spec decline_spec = CLI_SPEC(decline_opts, decline_help, CLI_STORE | CLI_SESSION, 1);

int cmd_request_decline(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &decline_spec, C_RDECLINE);
}

static const cli_help withdraw_help = {
    "REQUEST [--reason CODE] [--json]",
    N_("The council withdraws an open request.\n"
    "\n"
    "Options:\n"
    "  --reason CODE          why, as a code [a-z0-9_] (default: withdrawn)\n"
    "  --json                 {\"request_id\": ID, \"status\": \"withdrawn\"}\n"),
    "  council-cli --store ./council request withdraw \"$REQUEST\" --reason resolved\n",
};

static const cli_opt withdraw_opts[] = {
    OPT_STR("reason", request_opts, reason),
    OPT_FLAG("json", request_opts, json),
};
static const cli_spec withdraw_spec = CLI_SPEC(withdraw_opts, withdraw_help, CLI_STORE | CLI_SESSION, 1);

int cmd_request_withdraw(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &withdraw_spec, C_RWITHDRAW);
}

static const cli_help show_help = {
    "REQUEST [--text asked|answer|reason] [--json]",
    N_("Shows a request: what it asks, by when, its status and transitions. With\n"
    "--text, prints one of its sealed texts instead (the read is logged first).\n"
    "\n"
    "Options:\n"
    "  --text WHICH           asked, answer or reason\n"
    "  --json                 as a JSON object\n"),
    "  council-cli --store ./council request show \"$REQUEST\"\n",
};

static const cli_opt show_opts[] = {
    OPT_STR("text", request_opts, text),
    OPT_FLAG("json", request_opts, json),
};
static const cli_spec show_spec = CLI_SPEC(show_opts, show_help, CLI_STORE | CLI_SESSION, 1);

int cmd_request_show(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &show_spec, C_RSHOW);
}

static const cli_help list_help = {
    "[--case ID] [--member ID] [--status S] [--overdue] [--json]",
    N_("Lists requests, oldest first: all for the council, those to its own member\n"
    "for other staff.\n"
    "\n"
    "Options:\n"
    "  --case ID              of this case only\n"
    "  --member ID            to this member only\n"
    "  --status S             open, answered, declined or withdrawn\n"
    "  --overdue              only open requests past their due date\n"
    "  --json                 as a JSON array\n"),
    "  council-cli --store ./council request list --overdue\n",
};

static const cli_opt list_opts[] = {
    OPT_STR("case", request_opts, case_id),
    OPT_LIST("member", request_opts, members, n_member, 1),
    OPT_STR("status", request_opts, status),
    OPT_FLAG("overdue", request_opts, overdue),
    OPT_FLAG("json", request_opts, json),
};
static const cli_spec list_spec = CLI_SPEC(list_opts, list_help, CLI_STORE | CLI_SESSION, 0);

int cmd_request_list(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &list_spec, C_RLIST);
}
