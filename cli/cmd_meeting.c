/*
 * cmd_meeting.c - meetings (会議): meeting create, add-case, show,
 * packet, close; the record: minutes, decide, decisions.
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
    const char *slots[COUNCIL_MEETING_SLOTS_MAX], *file, *case_id;
    size_t n_slot;
    int json, yes;
} meeting_opts;

enum { C_MTCREATE = 1 << 0, C_MTADD = 1 << 1, C_MTSHOW = 1 << 2, C_MTPACKET = 1 << 3, C_MTCLOSE = 1 << 4,
       C_MTMINUTES = 1 << 5, C_MTDECIDE = 1 << 6, C_MTDECISIONS = 1 << 7 };

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
    council_meeting_slot slots[COUNCIL_MEETING_SLOTS_MAX];
    char *text;                  /* --file's text (minutes, decide) */
} meeting_args;

/* --slot BODY,START,END: a time slot of a meeting held as more than one body. */
static int slot_arg(const char *s, council_meeting_slot *sl)
{
    char buf[160], *c1, *c2;

    if (strlen(s) >= sizeof buf || (c1 = strchr(strcpy(buf, s), ',')) == NULL ||
        (c2 = strchr(c1 + 1, ',')) == NULL)
        return usage("%s", _("--slot BODY,START,END: council, support_meeting or "
                           "needs_of_poor_meeting, and two times"));
    *c1 = *c2 = '\0';
    sl->body = enum_value(&council__v1__meeting_body__descriptor, "MEETING_BODY_", buf);
    if (sl->body == 0 || sl->body == COUNCIL_MEETING_BODY_JOINT_PLATFORM)
        return usage("%s", _("--slot BODY,START,END: council, support_meeting or "
                           "needs_of_poor_meeting, and two times"));
    if (time_arg("--slot", c1 + 1, TIME_START, &sl->starts) != 0 ||
        time_arg("--slot", c2 + 1, TIME_END, &sl->ends) != 0)
        return EXIT_USAGE;
    return 0;
}

/* The text of --file: UTF-8 without NUL, at most COUNCIL_MEETING_TEXT_MAX bytes. */
static int text_file_arg(const char *path, char **out)
{
    size_t len = 0;
    char *t = slurp(path, COUNCIL_MEETING_TEXT_MAX, &len, _("text file"));

    if (t == NULL)
        return EXIT_USAGE;
    if (len == 0 || strlen(t) != len) {
        free(t);
        return usage("%s", _("--file: the text is 1 or more bytes of UTF-8 without NUL"));
    }
    *out = t;
    return 0;
}

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
            return usage("%s", _("--body: council, support_meeting, needs_of_poor_meeting or "
                               "joint_platform"));
        if (time_arg("--starts", o->starts, TIME_START, &a->starts) != 0)
            return EXIT_USAGE;
        if (time_arg("--ends", o->ends, TIME_END, &a->ends) != 0)
            return EXIT_USAGE;
        for (size_t i = 0; i < o->n_slot; i++)
            if (slot_arg(o->slots[i], &a->slots[i]) != 0)
                return EXIT_USAGE;
        break;
    case C_MTMINUTES:
    case C_MTDECIDE:
        if (o->file == NULL)
            return usage("%s", _("meeting minutes and meeting decide need --file FILE"));
        if (o->case_id != NULL && id_arg(o->case_id, a->case_id) != 0)
            return usage("%s", _("--case needs a case id (UUID)"));
        return text_file_arg(o->file, &a->text);
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
        if (o->body != NULL &&
            ((a->body = enum_value(&council__v1__meeting_body__descriptor, "MEETING_BODY_",
                                   o->body)) == 0 ||
             a->body == COUNCIL_MEETING_BODY_JOINT_PLATFORM))
            return usage("%s", _("--body: council, support_meeting or needs_of_poor_meeting"));
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
        json_object_set_new(ij, "body", json_string(meeting_body_name(
                                            (int)(it->has_body ? it->body : m->body), name,
                                            sizeof name)));
        json_array_append_new(items, ij);
    }
    json_object_set_new(j, "items", items);
    {
        json_t *sl = json_array();
        for (size_t i = 0; i < m->n_slots; i++) {
            json_t *sj = json_object();
            json_object_set_new(sj, "body", json_string(meeting_body_name((int)m->slots[i]->body,
                                                                          name, sizeof name)));
            json_object_set_new(sj, "starts", time_json(m->slots[i]->starts));
            json_object_set_new(sj, "ends", time_json(m->slots[i]->ends));
            json_array_append_new(sl, sj);
        }
        json_object_set_new(j, "slots", sl);
    }
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
    for (size_t i = 0; i < m->n_slots; i++) {
        char t2[32];
        time_text(t, sizeof t, m->slots[i]->starts);
        time_text(t2, sizeof t2, m->slots[i]->ends);
        printf("%s%s %s..%s\n", col(i == 0 ? _("slots:") : "", -20),
               meeting_body_name((int)m->slots[i]->body, name, sizeof name), t, t2);
    }
    printf(_("agenda:%s\n"), m->n_items == 0 ? "             -" : "");
    for (size_t i = 0; i < m->n_items; i++) {
        const Council__V1__AgendaItem *it = m->items[i];
        printf(_("  case %s  member %s  basis=%s scopes="), id_of(id, it->case_id),
               id_of(id2, it->attendee), it->basis);
        for (size_t k = 0; k < it->n_scopes; k++)
            printf("%s%s", k ? "," : "", it->scopes[k]);
        if (it->has_body)
            printf(_(" body=%s"), meeting_body_name((int)it->body, name, sizeof name));
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
    mo.slots = a->slots;
    mo.n_slots = o->n_slot;
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
    council_agenda_options ao = COUNCIL_AGENDA_OPTIONS_INIT;
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
    ao.share = &so;
    ao.body = a->body; /* 0: the meeting's own body */
    rc = council_meeting_add_item(c, a->id, sizeof a->id, a->case_id, sizeof a->case_id,
                                  a->members, COUNCIL_ID_BYTES, &ao);
    if (rc == COUNCIL_OK && o->json) {
        json_t *j = json_object();
        char t[37];
        uuid_text_of(t, a->id);
        json_object_set_new(j, "meeting_id", json_string(t));
        uuid_text_of(t, a->case_id);
        json_object_set_new(j, "case_id", json_string(t));
        json_object_set_new(j, "member", json_string(o->member));
        json_object_set_new(j, "scopes", str_array_json((char **)(uintptr_t)o->scope, o->n_scope));
        json_object_set_new(j, "body", o->body != NULL ? json_string(o->body) : json_null());
        return print_json(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    }
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

static int meeting_record_cmd(council *c, const meeting_opts *o, const meeting_args *a, int cmd)
{
    uint8_t id[COUNCIL_ID_BYTES];
    char t[37];
    int rc;

    if (cmd == C_MTMINUTES) {
        if ((rc = council_meeting_minutes(c, a->id, sizeof a->id, a->text)) != COUNCIL_OK)
            return rc;
        if (o->json) {
            json_t *j = json_object();
            uuid_text_of(t, a->id);
            json_object_set_new(j, "meeting_id", json_string(t));
            json_object_set_new(j, "minutes", json_string("recorded"));
            return print_json(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        }
        fprintf(stderr, _("%s: minutes recorded, sealed to the attendees\n"), prog);
        return COUNCIL_OK;
    }
    if ((rc = council_meeting_decide(c, id, sizeof id, a->id, sizeof a->id,
                                     o->case_id != NULL ? a->case_id : NULL,
                                     o->case_id != NULL ? sizeof a->case_id : 0, a->text)) !=
        COUNCIL_OK)
        return rc;
    uuid_text_of(t, id);
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "decision_id", json_string(t));
        return print_json(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    }
    printf("%s\n", t);
    fprintf(stderr, o->case_id != NULL
                        ? _("%s: decision recorded, sealed to the attendees the case was disclosed to\n")
                        : _("%s: decision recorded, sealed to the attendees\n"),
            prog);
    return COUNCIL_OK;
}

static int meeting_decisions(council *c, const meeting_opts *o, const meeting_args *a)
{
    council_buf buf = { NULL, 0 };
    Council__V1__MeetingRecord *r;
    char id[37], t[32];
    int rc = council_meeting_record(c, &buf, a->id, sizeof a->id);

    /* The minutes and decisions are sealed texts: unpacked with the wiping
     * allocator, printed through a wiped buffer, the reply freed (wiped). */
    r = NULL;
    if (rc == COUNCIL_OK &&
        (r = council__v1__meeting_record__unpack(wiping(), buf.len, buf.ptr)) == NULL)
        rc = COUNCIL_EFORMAT;
    council_buf_free(&buf);
    if (rc == COUNCIL_OK && o->json) {
        json_t *j = json_object(), *ds = json_array();
        uuid_text_of(id, a->id);
        json_object_set_new(j, "meeting_id", json_string(id));
        json_object_set_new(j, "minutes", r->minutes != NULL ? json_string(r->minutes) : json_null());
        json_object_set_new(j, "minutes_recorded",
                            r->has_minutes_recorded && r->minutes != NULL
                                ? time_json(r->minutes_recorded) : json_null());
        for (size_t i = 0; i < r->n_decisions; i++) {
            const Council__V1__MeetingDecision *d = r->decisions[i];
            json_t *dj = json_object();
            json_object_set_new(dj, "id", json_string(d->id_text));
            json_object_set_new(dj, "case_id", d->has_case_id ? id_json(d->case_id) : json_null());
            json_object_set_new(dj, "recorded", time_json(d->recorded));
            json_object_set_new(dj, "text", d->text != NULL ? json_string(d->text) : json_null());
            json_array_append_new(ds, dj);
        }
        json_object_set_new(j, "decisions", ds);
        rc = print_json_wiped(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    } else if (rc == COUNCIL_OK) {
        if (r->minutes != NULL) {
            time_text(t, sizeof t, r->minutes_recorded);
            printf(_("minutes (recorded %s):\n%s\n"), t, r->minutes);
        } else {
            printf("%s\n", _("minutes: -"));
        }
        for (size_t i = 0; i < r->n_decisions; i++) {
            const Council__V1__MeetingDecision *d = r->decisions[i];
            time_text(t, sizeof t, d->recorded);
            printf(_("decision %s  case %s  recorded %s\n"), d->id_text,
                   d->has_case_id ? id_of(id, d->case_id) : "-", t);
            printf("%s\n", d->text != NULL ? d->text : "");
        }
    }
    if (r != NULL)
        council__v1__meeting_record__free_unpacked(r, wiping());
    return rc;
}

static int do_meeting(const meeting_opts *o, int cmd, const char *id_text, const char *case_text)
{
    council_buf buf = { NULL, 0 };
    council *c = NULL;
    meeting_args a;
    int rc;

    memset(&a, 0, sizeof a);
    if ((rc = meeting_check_args(o, cmd, id_text, case_text, &a)) != 0) {
        free(a.text);
        return rc;
    }
    if (cmd == C_MTCLOSE &&
        (rc = confirm_act(o->yes, _("meeting close: meeting %s ends now; its disclosures are "
                          "revoked and their data keys rotated"), id_text)) != 0)
        return rc;
    if ((rc = open_council(o->g, &c)) != 0) {
        free(a.text);
        return rc;
    }
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
    case C_MTMINUTES:
    case C_MTDECIDE:
        rc = meeting_record_cmd(c, o, &a, cmd);
        break;
    case C_MTDECISIONS:
        rc = meeting_decisions(c, o, &a);
        break;
    default: /* C_MTCLOSE */
        rc = council_meeting_close(c, a.id, sizeof a.id);
        if (rc == COUNCIL_OK)
            fprintf(stderr, _("%s: meeting closed; its disclosures were revoked and their data keys "
                    "rotated\n"), prog);
        break;
    }
    council_buf_free(&buf);
    if (a.text != NULL) {
        sodium_memzero(a.text, strlen(a.text));
        free(a.text);
    }
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
    "--body MBODY --starts T --ends T --member ID [--member ID]... [--slot BODY,START,END]... [--json]",
    N_("Holds a meeting and prints its id (a bare id, one line); the members attend.\n"
    "\n"
    "Options:\n"
    "  --body MBODY           council, support_meeting, needs_of_poor_meeting or\n"
    "                         joint_platform (this one takes no case)\n"
    "  --starts T, --ends T   when it is held\n"
    "  --member ID            an attendee (repeatable)\n"
    "  --slot BODY,START,END  a time slot held as another body (repeatable, in\n"
    "                         order, within the window): joint operation\n"
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
    OPT_LIST("slot", meeting_opts, slots, n_slot, COUNCIL_MEETING_SLOTS_MAX),
    OPT_FLAG("json", meeting_opts, json),
};
static const cli_spec create_spec = CLI_SPEC(create_opts, create_help, CLI_STORE | CLI_SESSION, 0);

int cmd_meeting_create(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &create_spec, C_MTCREATE);
}

static const cli_help add_case_help = {
    "MEETING CASE --member ID --scope S [--scope S]... --purpose CODE --basis CODE [--purpose-text TEXT] [--reason TEXT] [--consent UUID] [--second-approver STAFF] [--body BODY] [--json]",
    N_("Puts the case on the agenda: shares its scopes with an attendee until the\n"
    "meeting ends. A case collected under another body than the item's is\n"
    "refused unless the policy allows cross-body use or a consent covers it.\n"
    "\n"
    "Options:\n"
    "  --member ID            the attendee\n"
    "  --scope S              a scope (repeatable)\n"
    "  --body BODY            the body its information is discussed under:\n"
    "                         council, support_meeting or needs_of_poor_meeting\n"
    "                         (one the meeting is held as; default: the meeting's)\n"
    "  --json                 the item as a JSON object\n"
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
    OPT_STR("body", meeting_opts, body),
    OPT_FLAG("json", meeting_opts, json),
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

static const cli_help minutes_help = {
    "MEETING --file FILE [--json]",
    N_("Records the meeting's minutes (once), sealed to every attendee. The\n"
    "secretariat, while the meeting is not closed.\n"
    "\n"
    "Options:\n"
    "  --file FILE            the minutes, UTF-8 text ('-': standard input)\n"
    "  --json                 {\"meeting_id\", \"minutes\": \"recorded\"}\n"),
    "  council-cli --store ./council meeting minutes \"$MEETING\" --file minutes.txt\n",
};

static const cli_opt minutes_opts[] = {
    OPT_STR("file", meeting_opts, file),
    OPT_FLAG("json", meeting_opts, json),
};
static const cli_spec minutes_spec = CLI_SPEC(minutes_opts, minutes_help, CLI_STORE | CLI_SESSION, 1);

int cmd_meeting_minutes(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &minutes_spec, C_MTMINUTES);
}

static const cli_help decide_help = {
    "MEETING [--case CASE] --file FILE [--json]",
    N_("Records a decision of the meeting and prints its id. A decision about a\n"
    "case is sealed only to the attendees the case was disclosed to on the\n"
    "agenda; one about no case to every attendee. The secretariat, while the\n"
    "meeting is not closed.\n"
    "\n"
    "Options:\n"
    "  --case CASE            the case it is about (on the agenda)\n"
    "  --file FILE            the decision, UTF-8 text ('-': standard input)\n"
    HELP_JSON_ID("decision_id")),
    "  council-cli --store ./council meeting decide \"$MEETING\" --case \"$CASE\" \\\n"
    "      --file decision.txt\n",
};

static const cli_opt decide_opts[] = {
    OPT_STR("file", meeting_opts, file),
    OPT_STR("case", meeting_opts, case_id),
    OPT_FLAG("json", meeting_opts, json),
};
static const cli_spec decide_spec = CLI_SPEC(decide_opts, decide_help, CLI_STORE | CLI_SESSION, 1);

int cmd_meeting_decide(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &decide_spec, C_MTDECIDE);
}

static const cli_help decisions_help = {
    "MEETING [--json]",
    N_("Shows the meeting's minutes and decisions this session may read (the\n"
    "secretariat: all; an attendee's staff: those sealed to its member). Each\n"
    "read is logged.\n"
    "\n"
    "Options:\n"
    "  --json                 as a JSON object\n"),
    "  council-cli --store ./council meeting decisions \"$MEETING\"\n",
};

static const cli_opt decisions_opts[] = {
    OPT_FLAG("json", meeting_opts, json),
};
static const cli_spec decisions_spec = CLI_SPEC(decisions_opts, decisions_help, CLI_STORE | CLI_SESSION, 1);

int cmd_meeting_decisions(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &decisions_spec, C_MTDECISIONS);
}
