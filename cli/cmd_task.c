/*
 * cmd_task.c - who supports whom (伴走): task add, done, cancel, list,
 * show; case assign, workers, review, reviews, handover, handover-list.
 * Assignment gives no access to a case's content (keys follow shares).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "cmds.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/task.pb-c.h"
#include "json.h"
#include "open.h"
#include "text.h"
#include "util.h"
#include "vocab.h"

#define MAX_WORKERS COUNCIL_WORKERS_MAX

typedef struct task_opts {
    const cli_global *g;
    const char *text, *due, *staff, *decision, *kase, *state, *due_before, *at, *before, *from,
        *to, *lead;
    const char *members[MAX_LIST], *member, *purposes[1], *purpose;
    size_t n_member, n_purpose;
    const char *workers[MAX_WORKERS];
    size_t n_worker;
    int json, clear;
} task_opts;

enum {
    C_TADD, C_TDONE, C_TCANCEL, C_TLIST, C_TSHOW,
    C_CASSIGN, C_CWORKERS, C_CREVIEW, C_CREVIEWS, C_CHANDOVER, C_CHANDLIST
};

typedef struct task_args {
    uint8_t id[COUNCIL_ID_BYTES], member[COUNCIL_ID_BYTES], staff[COUNCIL_ID_BYTES];
    uint8_t decision[COUNCIL_ID_BYTES], kase[COUNCIL_ID_BYTES], to[COUNCIL_ID_BYTES];
    uint8_t lead[COUNCIL_ID_BYTES];
    uint8_t workers[MAX_WORKERS * COUNCIL_ID_BYTES];
    int64_t due, due_before, at, before;
    int32_t state;
} task_args;

static const char *state_name(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__task_state__descriptor, "TASK_STATE_", v, buf, n);
}

static int check_args(const task_opts *o, int cmd, const char *pos, task_args *a)
{
    if (cmd != C_TADD && cmd != C_TLIST && cmd != C_CREVIEWS && id_arg(pos, a->id) != 0)
        return usage("%s", cmd == C_CHANDLIST ? _("a staff id (UUID) is needed")
                           : cmd >= C_CASSIGN ? _("a case id (UUID) is needed")
                                              : _("a task id (UUID) is needed"));
    if (o->member != NULL && id_arg(o->member, a->member) != 0)
        return usage("%s", _("--member needs a member id (UUID)"));
    if (o->staff != NULL && id_arg(o->staff, a->staff) != 0)
        return usage("%s", _("--assignee needs a staff id (UUID)"));
    if (o->decision != NULL && id_arg(o->decision, a->decision) != 0)
        return usage("%s", _("--decision needs a decision id (UUID)"));
    if (o->kase != NULL && id_arg(o->kase, a->kase) != 0)
        return usage("%s", _("--case needs a case id (UUID)"));
    if (o->lead != NULL && id_arg(o->lead, a->lead) != 0)
        return usage("%s", _("--lead needs a member id (UUID)"));
    for (size_t i = 0; i < o->n_worker; i++)
        if (id_arg(o->workers[i], a->workers + i * COUNCIL_ID_BYTES) != 0)
            return usage("%s", _("--worker needs a staff id (UUID)"));
    switch (cmd) {
    case C_TADD:
        if (o->kase == NULL || o->text == NULL || o->due == NULL)
            return usage("%s", _("task add needs --case ID, --text TEXT and --due T"));
        if (time_arg("--due", o->due, TIME_START, &a->due) != 0)
            return EXIT_USAGE;
        break;
    case C_TLIST:
        if (o->state != NULL &&
            (a->state = enum_value(&council__v1__task_state__descriptor, "TASK_STATE_",
                                   o->state)) == 0)
            return usage("%s", _("--state: open, done or cancelled"));
        if (o->due_before != NULL &&
            time_arg("--due-before", o->due_before, TIME_START, &a->due_before) != 0)
            return EXIT_USAGE;
        break;
    case C_CREVIEW:
        if ((o->at == NULL) == (o->clear == 0))
            return usage("%s", _("case review needs --at T or --clear"));
        if (o->at != NULL && time_arg("--at", o->at, TIME_START, &a->at) != 0)
            return EXIT_USAGE;
        break;
    case C_CREVIEWS:
        if (o->before == NULL)
            return usage("%s", _("case reviews needs --before T"));
        if (time_arg("--before", o->before, TIME_END, &a->before) != 0)
            return EXIT_USAGE;
        break;
    case C_CHANDOVER:
        if (o->from == NULL || o->to == NULL || id_arg(o->from, a->staff) != 0 ||
            id_arg(o->to, a->to) != 0)
            return usage("%s", _("case handover needs --from STAFF and --to STAFF (UUIDs)"));
        break;
    default:
        break;
    }
    return 0;
}

/* ------------------------------------------------------------ output */

static json_t *task_json(const Council__V1__SupportTask *t)
{
    json_t *j = json_object();
    char name[32];

    json_object_set_new(j, "id", json_string(t->id_text));
    json_object_set_new(j, "case_id", id_json(t->case_id));
    json_object_set_new(j, "member", id_json(t->member));
    json_object_set_new(j, "staff", t->has_staff ? id_json(t->staff) : json_null());
    json_object_set_new(j, "due", time_json(t->due));
    json_object_set_new(j, "state", json_string(state_name((int)t->state, name, sizeof name)));
    json_object_set_new(j, "decision_id", t->has_decision_id ? id_json(t->decision_id)
                                                             : json_null());
    json_object_set_new(j, "created", time_json(t->created));
    json_object_set_new(j, "updated", time_json(t->updated));
    if (t->text != NULL)
        json_object_set_new(j, "text", json_string(t->text));
    return j;
}

static void task_line(const Council__V1__SupportTask *t)
{
    char id[37], m[37], due[32], name[32];

    time_text(due, sizeof due, t->due);
    printf(_("%s  case %s  member %s  due %s  %s\n"), t->id_text, id_of(id, t->case_id),
           id_of(m, t->member), due, state_name((int)t->state, name, sizeof name));
}

static void task_lines(const Council__V1__SupportTask *t)
{
    char id[37], tm[32], name[32];

    printf(_("id:                 %s\n"), t->id_text);
    printf(_("case:               %s\n"), id_of(id, t->case_id));
    printf(_("member:             %s\n"), id_of(id, t->member));
    if (t->has_staff)
        printf(_("staff:              %s\n"), id_of(id, t->staff));
    time_text(tm, sizeof tm, t->due);
    printf(_("due:                %s\n"), tm);
    printf(_("state:              %s\n"), state_name((int)t->state, name, sizeof name));
    if (t->has_decision_id)
        printf(_("decision:           %s\n"), id_of(id, t->decision_id));
    if (t->text != NULL)
        printf(_("text:               %s\n"), t->text);
}

static json_t *asg_json(const Council__V1__CaseAssignment *m)
{
    json_t *j = json_object(), *w = json_array();

    json_object_set_new(j, "case_id", json_string(m->case_id_text));
    json_object_set_new(j, "owner", id_json(m->owner));
    json_object_set_new(j, "lead", id_json(m->lead));
    for (size_t i = 0; i < m->n_workers; i++)
        json_array_append_new(w, id_json(m->workers[i]));
    json_object_set_new(j, "workers", w);
    json_object_set_new(j, "review", m->has_review ? time_json(m->review) : json_null());
    return j;
}

static void asg_lines(const Council__V1__CaseAssignment *m)
{
    char id[37], tm[32];

    printf(_("case:               %s\n"), m->case_id_text);
    printf(_("owner:              %s\n"), id_of(id, m->owner));
    printf(_("lead:               %s\n"), id_of(id, m->lead));
    if (m->n_workers == 0)
        printf(_("workers:            -\n"));
    for (size_t i = 0; i < m->n_workers; i++)
        printf("%s%s\n", col(i == 0 ? _("workers:") : "", -20), id_of(id, m->workers[i]));
    if (m->has_review) {
        time_text(tm, sizeof tm, m->review);
        printf(_("review:             %s\n"), tm);
    } else {
        printf(_("review:             -\n"));
    }
}

static void asg_line(const Council__V1__CaseAssignment *m)
{
    char id[37], tm[32] = "-";

    if (m->has_review)
        time_text(tm, sizeof tm, m->review);
    printf(_("%s  review %s  lead %s  workers %zu\n"), m->case_id_text, tm, id_of(id, m->lead),
           m->n_workers);
}

static int done_json(int json, const char *key, const char *id, const char *what)
{
    if (json) {
        json_t *j = json_object();
        json_object_set_new(j, key, json_string(id));
        json_object_set_new(j, "result", json_string(what));
        return print_json(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    }
    fprintf(stderr, "%s: %s %s\n", prog, id, what);
    return COUNCIL_OK;
}

/* ------------------------------------------------------------ running */

static int do_list(council *c, const task_opts *o, const task_args *a)
{
    council_task_filter f = COUNCIL_TASK_FILTER_INIT;
    council_buf buf = { NULL, 0 };
    Council__V1__SupportTaskList *l;
    int rc;

    if (o->member != NULL) {
        f.member = a->member;
        f.member_len = COUNCIL_ID_BYTES;
    }
    if (o->kase != NULL) {
        f.case_id = a->kase;
        f.case_id_len = COUNCIL_ID_BYTES;
    }
    f.state = a->state;
    f.due_before = a->due_before;
    rc = council_task_list(c, &buf, &f);
    l = unpack_reply(&council__v1__support_task_list__descriptor, &buf, &rc);
    if (rc == COUNCIL_OK && o->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l->n_tasks; i++)
            json_array_append_new(arr, task_json(l->tasks[i]));
        rc = print_json(arr) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    } else if (rc == COUNCIL_OK) {
        for (size_t i = 0; i < l->n_tasks; i++)
            task_line(l->tasks[i]);
        if (l->n_tasks == 0)
            fprintf(stderr, _("%s: no tasks\n"), prog);
    }
    council__v1__support_task_list__free_unpacked(l, NULL);
    council_buf_free(&buf);
    return rc;
}

static int print_cases(const Council__V1__CaseAssignmentList *l, int json, int rc)
{
    if (rc == COUNCIL_OK && json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l->n_cases; i++)
            json_array_append_new(arr, asg_json(l->cases[i]));
        return print_json(arr) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    }
    if (rc == COUNCIL_OK) {
        for (size_t i = 0; i < l->n_cases; i++)
            asg_line(l->cases[i]);
        if (l->n_cases == 0)
            fprintf(stderr, _("%s: no cases\n"), prog);
    }
    return rc;
}

static int run_cmd(council *c, const task_opts *o, int cmd, const char *pos, const task_args *a)
{
    council_buf buf = { NULL, 0 };
    char t[37];
    int rc = COUNCIL_OK;

    switch (cmd) {
    case C_TADD: {
        council_task_options to = COUNCIL_TASK_OPTIONS_INIT;
        uint8_t id[COUNCIL_ID_BYTES];
        to.case_id = a->kase;
        to.case_id_len = COUNCIL_ID_BYTES;
        if (o->member != NULL) {
            to.member = a->member;
            to.member_len = COUNCIL_ID_BYTES;
        }
        if (o->staff != NULL) {
            to.staff = a->staff;
            to.staff_len = COUNCIL_ID_BYTES;
        }
        if (o->decision != NULL) {
            to.decision_id = a->decision;
            to.decision_id_len = COUNCIL_ID_BYTES;
        }
        to.text = o->text;
        to.due = a->due;
        if ((rc = council_task_add(c, id, sizeof id, &to)) == COUNCIL_OK) {
            uuid_text_of(t, id);
            rc = print_new_id(o->json, "task_id", t) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        }
        break;
    }
    case C_TDONE:
    case C_TCANCEL:
        rc = council_task_set_state(c, a->id, sizeof a->id,
                                    cmd == C_TDONE ? COUNCIL_TASK_STATE_DONE
                                                   : COUNCIL_TASK_STATE_CANCELLED);
        if (rc == COUNCIL_OK)
            rc = done_json(o->json, "task_id", pos, cmd == C_TDONE ? "done" : "cancelled");
        break;
    case C_TLIST:
        rc = do_list(c, o, a);
        break;
    case C_TSHOW: {
        Council__V1__SupportTask *m;
        rc = council_task_get(c, &buf, a->id, sizeof a->id);
        m = NULL;
        if (rc == COUNCIL_OK &&
            (m = council__v1__support_task__unpack(wiping(), buf.len, buf.ptr)) == NULL)
            rc = COUNCIL_EFORMAT;
        if (rc == COUNCIL_OK && o->json)
            rc = print_json_wiped(task_json(m)) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        else if (rc == COUNCIL_OK)
            task_lines(m);
        if (m != NULL)
            council__v1__support_task__free_unpacked(m, wiping());
        break;
    }
    case C_CASSIGN: {
        council_assign_options ao = COUNCIL_ASSIGN_OPTIONS_INIT;
        if (o->lead != NULL) {
            ao.lead = a->lead;
            ao.lead_len = COUNCIL_ID_BYTES;
        }
        ao.workers = a->workers;
        ao.n_workers = o->n_worker;
        rc = council_case_assign(c, a->id, sizeof a->id, &ao);
        if (rc == COUNCIL_OK)
            rc = done_json(o->json, "case_id", pos, "assigned");
        break;
    }
    case C_CREVIEW:
        rc = council_case_review(c, a->id, sizeof a->id, o->clear ? 0 : a->at);
        if (rc == COUNCIL_OK)
            rc = done_json(o->json, "case_id", pos, o->clear ? "review cleared" : "review set");
        break;
    case C_CWORKERS: {
        Council__V1__CaseAssignment *m;
        rc = council_case_assignment(c, &buf, a->id, sizeof a->id);
        m = unpack_reply(&council__v1__case_assignment__descriptor, &buf, &rc);
        if (rc == COUNCIL_OK && o->json)
            rc = print_json(asg_json(m)) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        else if (rc == COUNCIL_OK)
            asg_lines(m);
        council__v1__case_assignment__free_unpacked(m, NULL);
        break;
    }
    case C_CREVIEWS: {
        Council__V1__CaseAssignmentList *l;
        rc = council_case_reviews(c, &buf, a->before, o->member != NULL ? a->member : NULL,
                                  o->member != NULL ? COUNCIL_ID_BYTES : 0);
        l = unpack_reply(&council__v1__case_assignment_list__descriptor, &buf, &rc);
        rc = print_cases(l, o->json, rc);
        council__v1__case_assignment_list__free_unpacked(l, NULL);
        break;
    }
    case C_CHANDOVER:
        rc = council_case_handover(c, a->id, sizeof a->id, a->staff, sizeof a->staff, a->to,
                                   sizeof a->to);
        if (rc == COUNCIL_OK)
            rc = done_json(o->json, "case_id", pos, "handed over");
        break;
    default: { /* C_CHANDLIST */
        Council__V1__Handover *h;
        rc = council_case_handover_list(c, &buf, a->id, sizeof a->id);
        h = unpack_reply(&council__v1__handover__descriptor, &buf, &rc);
        if (rc == COUNCIL_OK && o->json) {
            json_t *j = json_object(), *cs = json_array(), *ts = json_array();
            for (size_t i = 0; i < h->n_cases; i++)
                json_array_append_new(cs, asg_json(h->cases[i]));
            for (size_t i = 0; i < h->n_tasks; i++)
                json_array_append_new(ts, task_json(h->tasks[i]));
            json_object_set_new(j, "staff", json_string(pos));
            json_object_set_new(j, "cases", cs);
            json_object_set_new(j, "tasks", ts);
            rc = print_json(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        } else if (rc == COUNCIL_OK) {
            for (size_t i = 0; i < h->n_cases; i++)
                asg_line(h->cases[i]);
            for (size_t i = 0; i < h->n_tasks; i++)
                task_line(h->tasks[i]);
            if (h->n_cases == 0 && h->n_tasks == 0)
                fprintf(stderr, _("%s: nothing to hand over\n"), prog);
        }
        council__v1__handover__free_unpacked(h, NULL);
        break;
    }
    }
    council_buf_free(&buf);
    return rc;
}

static int run(cli_ctx *x, int argc, char **argv, const cli_spec *s, int cmd)
{
    const char *pos[CLI_MAX_POS];
    task_opts o = { .g = &x->g };
    task_args a;
    council *c = NULL;
    int rc = cli_parse(x, argc, argv, s, &o, pos);

    if (rc != 0)
        return CLI_PARSED(rc);
    FIRSTS(o);
    memset(&a, 0, sizeof a);
    if ((rc = check_args(&o, cmd, pos[0], &a)) != 0)
        return rc;
    if ((rc = open_council(o.g, &c)) != 0)
        return rc;
    rc = run_cmd(c, &o, cmd, pos[0], &a);
    return close_council(c, rc, cmd >= C_CASSIGN ? "case" : "task");
}

/* ------------------------------------------------------------ commands */

static const cli_help add_help = {
    "--case ID --text TEXT --due T [--member ID] [--assignee STAFF] [--decision ID] [--json]",
    N_("Adds an open support task to a case and prints its id. The text is sealed to\n"
    "the member responsible, the case's owner and the coordinating body. The\n"
    "secretariat or the owner's staff.\n"
    "\n"
    "Options:\n"
    "  --case ID              the case\n"
    "  --text TEXT            what is to be done (one line)\n"
    "  --due T                by when\n"
    "  --member ID            the member responsible (default: the owner; else a\n"
    "                         member the case is shared with)\n"
    "  --assignee STAFF       its staff member responsible\n"
    "  --decision ID          the meeting decision that created it\n"
    HELP_JSON_ID("task_id")),
    "  council-cli --store ./council task add --case \"$CASE\" --member \"$NPO\" \\\n"
    "      --text \"就労支援の窓口へ同行\" --due 2026-12-20\n",
};

static const cli_opt add_opts[] = {
    OPT_STR("case", task_opts, kase),
    OPT_STR("text", task_opts, text),
    OPT_STR("due", task_opts, due),
    OPT_LIST("member", task_opts, members, n_member, 1),
    OPT_STR("assignee", task_opts, staff),
    OPT_STR("decision", task_opts, decision),
    OPT_FLAG("json", task_opts, json),
};
static const cli_spec add_spec = CLI_SPEC(add_opts, add_help, CLI_STORE | CLI_SESSION, 0);

int cmd_task_add(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &add_spec, C_TADD);
}

static const cli_help done_help = {
    "TASK [--json]",
    N_("Marks an open task done (final). The secretariat, the owner's staff or the\n"
    "responsible member's staff.\n"
    "\n"
    "Options:\n"
    "  --json                 {\"task_id\": ID, \"result\": \"done\"}\n"),
    "  council-cli --store ./council task done \"$TASK\"\n",
};

static const cli_opt state_opts[] = {
    OPT_FLAG("json", task_opts, json),
};
static const cli_spec done_spec = CLI_SPEC(state_opts, done_help, CLI_STORE | CLI_SESSION, 1);

int cmd_task_done(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &done_spec, C_TDONE);
}

static const cli_help cancel_help = {
    "TASK [--json]",
    N_("Cancels an open task (final). Who may: as for task done.\n"
    "\n"
    "Options:\n"
    "  --json                 {\"task_id\": ID, \"result\": \"cancelled\"}\n"),
    "  council-cli --store ./council task cancel \"$TASK\"\n",
};
static const cli_spec cancel_spec = CLI_SPEC(state_opts, cancel_help, CLI_STORE | CLI_SESSION, 1);

int cmd_task_cancel(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &cancel_spec, C_TCANCEL);
}

static const cli_help list_help = {
    "[--member ID] [--case ID] [--state STATE] [--due-before T] [--json]",
    N_("Lists tasks by due date (no text): a member's staff see their member's tasks\n"
    "and those of the cases it owns; the secretariat sees all.\n"
    "\n"
    "Options:\n"
    "  --member ID            the member responsible\n"
    "  --case ID              one case\n"
    "  --state STATE          open, done or cancelled\n"
    "  --due-before T         due before T\n"
    "  --json                 as a JSON array\n"),
    "  council-cli --store ./council task list --state open\n",
};

static const cli_opt list_opts[] = {
    OPT_LIST("member", task_opts, members, n_member, 1),
    OPT_STR("case", task_opts, kase),
    OPT_STR("state", task_opts, state),
    OPT_STR("due-before", task_opts, due_before),
    OPT_FLAG("json", task_opts, json),
};
static const cli_spec list_spec = CLI_SPEC(list_opts, list_help, CLI_STORE | CLI_SESSION, 0);

int cmd_task_list(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &list_spec, C_TLIST);
}

static const cli_help show_help = {
    "TASK [--json]",
    N_("Shows a task with its text (the read is logged first).\n"
    "\n"
    "Options:\n"
    "  --json                 as a JSON object\n"),
    "  council-cli --store ./council task show \"$TASK\"\n",
};
static const cli_spec show_spec = CLI_SPEC(state_opts, show_help, CLI_STORE | CLI_SESSION, 1);

int cmd_task_show(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &show_spec, C_TSHOW);
}

static const cli_help assign_help = {
    "CASE [--lead ID] [--worker STAFF]... [--json]",
    N_("Sets the case's lead member and its workers (replacing the workers before).\n"
    "Assignment gives no access to the case's content: keys follow shares. The\n"
    "secretariat or the owner's staff.\n"
    "\n"
    "Options:\n"
    "  --lead ID              the lead member (default: the owner; else a member\n"
    "                         the case is shared with)\n"
    "  --worker STAFF         a worker: staff of the lead member or of a member the\n"
    "                         case is shared with (repeatable, none: no workers)\n"
    "  --json                 {\"case_id\": ID, \"result\": \"assigned\"}\n"),
    "  council-cli --store ./council case assign \"$CASE\" --worker \"$STAFF\"\n",
};

static const cli_opt assign_opts[] = {
    OPT_STR("lead", task_opts, lead),
    OPT_LIST("worker", task_opts, workers, n_worker, MAX_WORKERS),
    OPT_FLAG("json", task_opts, json),
};
static const cli_spec assign_spec = CLI_SPEC(assign_opts, assign_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_assign(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &assign_spec, C_CASSIGN);
}

static const cli_help workers_help = {
    "CASE [--json]",
    N_("Shows who supports the case: its owner, lead member, workers and next review.\n"
    "\n"
    "Options:\n"
    "  --json                 as a JSON object\n"),
    "  council-cli --store ./council case workers \"$CASE\"\n",
};
static const cli_spec workers_spec = CLI_SPEC(state_opts, workers_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_workers(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &workers_spec, C_CWORKERS);
}

static const cli_help review_help = {
    "CASE (--at T | --clear) [--json]",
    N_("Sets or clears the case's next review date. The secretariat or the owner's\n"
    "staff.\n"
    "\n"
    "Options:\n"
    "  --at T                 the next review\n"
    "  --clear                no review planned\n"
    "  --json                 {\"case_id\": ID, \"result\": ...}\n"),
    "  council-cli --store ./council case review \"$CASE\" --at 2027-01-15\n",
};

static const cli_opt review_opts[] = {
    OPT_STR("at", task_opts, at),
    OPT_FLAG("clear", task_opts, clear),
    OPT_FLAG("json", task_opts, json),
};
static const cli_spec review_spec = CLI_SPEC(review_opts, review_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_review(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &review_spec, C_CREVIEW);
}

static const cli_help reviews_help = {
    "--before T [--member ID] [--json]",
    N_("Lists the cases whose review is due before T, earliest first: a member's\n"
    "staff see the cases their member owns, leads or was shared; the secretariat\n"
    "sees all, or with --member those that member would see.\n"
    "\n"
    "Options:\n"
    "  --before T             due before (a date alone: to the end of that day)\n"
    "  --member ID            as that member sees them (the secretariat)\n"
    "  --json                 as a JSON array\n"),
    "  council-cli --store ./council case reviews --before 2027-01-31\n",
};

static const cli_opt reviews_opts[] = {
    OPT_STR("before", task_opts, before),
    OPT_LIST("member", task_opts, members, n_member, 1),
    OPT_FLAG("json", task_opts, json),
};
static const cli_spec reviews_spec = CLI_SPEC(reviews_opts, reviews_help, CLI_STORE | CLI_SESSION, 0);

int cmd_case_reviews(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &reviews_spec, C_CREVIEWS);
}

static const cli_help handover_help = {
    "CASE --from STAFF --to STAFF [--json]",
    N_("Hands the case over from one staff member to another of the same member:\n"
    "the place among the workers and the open tasks move. Nothing is re-encrypted\n"
    "(cases belong to members). The secretariat or the owner's staff.\n"
    "\n"
    "Options:\n"
    "  --from STAFF           the staff member leaving (retired or not)\n"
    "  --to STAFF             the staff member taking over (same member)\n"
    "  --json                 {\"case_id\": ID, \"result\": \"handed over\"}\n"),
    "  council-cli --store ./council case handover \"$CASE\" --from \"$OLD\" --to \"$NEW\"\n",
};

static const cli_opt handover_opts[] = {
    OPT_STR("from", task_opts, from),
    OPT_STR("to", task_opts, to),
    OPT_FLAG("json", task_opts, json),
};
static const cli_spec handover_spec =
    CLI_SPEC(handover_opts, handover_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_handover(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &handover_spec, C_CHANDOVER);
}

static const cli_help handover_list_help = {
    "STAFF [--json]",
    N_("Lists a staff member's work to hand over (when it retires): the cases it is a\n"
    "worker of and its open tasks. The secretariat, or staff of the same member.\n"
    "\n"
    "Options:\n"
    "  --json                 {\"staff\": ID, \"cases\": [...], \"tasks\": [...]}\n"),
    "  council-cli --store ./council case handover-list \"$OLD\"\n",
};
static const cli_spec handover_list_spec =
    CLI_SPEC(state_opts, handover_list_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_handover_list(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &handover_list_spec, C_CHANDLIST);
}
