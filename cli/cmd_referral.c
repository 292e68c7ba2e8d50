/*
 * cmd_referral.c - referrals (つなぐ): referral propose, accept, decline,
 * withdraw, complete, end, deliver, show, list, note, setting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "cmds.h"
#include "council/v1/referral.pb-c.h"
#include "json.h"
#include "open.h"
#include "text.h"
#include "util.h"
#include "vocab.h"

typedef struct referral_opts {
    const cli_global *g;
    const char *basis, *reason, *consent, *person, *note, *decision, *code, *text, *state;
    const char *case_id, *read_while_deciding, *step;
    const char *scope[MAX_SCOPES];
    size_t n_scope;
    const char *members[MAX_LIST], *member, *purposes[1], *purpose;
    size_t n_member, n_purpose;
    int json, keep_share;
} referral_opts;

enum { R_PROPOSE, R_STEP, R_DELIVER, R_SHOW, R_LIST, R_NOTE, R_SETTING };

static const char *state_name(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__referral_state__descriptor, "REFERRAL_", v, buf, n);
}

static json_t *referral_json(const Council__V1__Referral *m)
{
    json_t *j = json_object(), *steps = json_array();
    char name[48];

    json_object_set_new(j, "id", id_json(m->id));
    json_object_set_new(j, "case_id", id_json(m->case_id));
    json_object_set_new(j, "person_id", m->has_person_id ? id_json(m->person_id) : json_null());
    json_object_set_new(j, "from_member", id_json(m->from_member));
    json_object_set_new(j, "to_member", id_json(m->to_member));
    json_object_set_new(j, "scopes", str_array_json(m->scopes, m->n_scopes));
    json_object_set_new(j, "purpose", json_string(m->purpose));
    json_object_set_new(j, "basis", json_string(m->basis));
    json_object_set_new(j, "consent_id", m->has_consent_id ? id_json(m->consent_id) : json_null());
    json_object_set_new(j, "decision_id",
                        m->has_decision_id ? id_json(m->decision_id) : json_null());
    json_object_set_new(j, "has_note", json_boolean(m->has_note));
    json_object_set_new(j, "state", json_string(state_name((int)m->state, name, sizeof name)));
    json_object_set_new(j, "created", time_json(m->created));
    json_object_set_new(j, "shared_scopes", str_array_json(m->shared_scopes, m->n_shared_scopes));
    for (size_t i = 0; i < m->n_steps; i++) {
        const Council__V1__ReferralStep *s = m->steps[i];
        json_t *sj = json_object();
        json_object_set_new(sj, "state", json_string(state_name((int)s->state, name, sizeof name)));
        json_object_set_new(sj, "at", time_json(s->at));
        json_object_set_new(sj, "by_staff", s->has_by_staff ? id_json(s->by_staff) : json_null());
        json_object_set_new(sj, "reason", s->reason_code != NULL ? json_string(s->reason_code)
                                                                 : json_null());
        json_object_set_new(sj, "has_reason_text", json_boolean(s->has_reason_text));
        json_array_append_new(steps, sj);
    }
    json_object_set_new(j, "steps", steps);
    return j;
}

static void referral_lines(const Council__V1__Referral *m)
{
    char name[48], id[37], t[32];

    printf(_("id:                 %s\n"), id_of(id, m->id));
    printf(_("case:               %s\n"), id_of(id, m->case_id));
    if (m->has_person_id)
        printf(_("person:             %s\n"), id_of(id, m->person_id));
    printf(_("from member:        %s\n"), id_of(id, m->from_member));
    printf(_("to member:          %s\n"), id_of(id, m->to_member));
    printf(_("scopes:             "));
    for (size_t k = 0; k < m->n_scopes; k++)
        printf("%s%s", k ? "," : "", m->scopes[k]);
    putchar('\n');
    printf(_("purpose:            %s\n"), m->purpose);
    printf(_("basis:              %s\n"), m->basis);
    if (m->has_decision_id)
        printf(_("decision:           %s\n"), id_of(id, m->decision_id));
    printf(_("note:               %s\n"), m->has_note ? _("yes (referral note)") : "-");
    printf(_("state:              %s\n"), state_name((int)m->state, name, sizeof name));
    printf(_("shared now:         "));
    for (size_t k = 0; k < m->n_shared_scopes; k++)
        printf("%s%s", k ? "," : "", m->shared_scopes[k]);
    printf("%s\n", m->n_shared_scopes == 0 ? "-" : "");
    for (size_t i = 0; i < m->n_steps; i++) {
        const Council__V1__ReferralStep *s = m->steps[i];
        time_text(t, sizeof t, s->at);
        printf(_("  step %zu  %-10s %s  by %s"), i, state_name((int)s->state, name, sizeof name),
               t, s->has_by_staff ? id_of(id, s->by_staff) : _("the council passphrase"));
        if (s->reason_code != NULL)
            printf(_("  reason=%s"), s->reason_code);
        if (s->has_reason_text)
            printf(_("  (written reason)"));
        putchar('\n');
    }
}

static int referral_propose(council *c, const referral_opts *o)
{
    council_referral_options ro = COUNCIL_REFERRAL_OPTIONS_INIT;
    uint8_t id[COUNCIL_ID_BYTES], cid[COUNCIL_ID_BYTES], to[COUNCIL_ID_BYTES];
    uint8_t person[COUNCIL_ID_BYTES], consent[COUNCIL_ID_BYTES], decision[COUNCIL_ID_BYTES];
    char t[37];
    int rc;

    if (id_arg(o->case_id, cid) != 0 || id_arg(o->member, to) != 0)
        return usage("%s", _("referral propose CASE needs a case id and --member ID (UUIDs)"));
    if (o->n_scope == 0 || o->basis == NULL)
        return usage("%s", _("referral propose needs --scope SCOPE (one or more) and --basis CODE"));
    ro.case_id = cid;
    ro.case_id_len = sizeof cid;
    ro.to_member = to;
    ro.to_member_len = sizeof to;
    ro.scopes = o->scope;
    ro.n_scopes = o->n_scope;
    ro.purpose = o->purpose;
    ro.basis = o->basis;
    ro.reason = o->reason;
    if (o->person != NULL) {
        if (id_arg(o->person, person) != 0)
            return usage("%s", _("--person needs a person id (UUID)"));
        ro.person_id = person;
        ro.person_id_len = sizeof person;
    }
    if (o->consent != NULL) {
        if (id_arg(o->consent, consent) != 0)
            return usage("%s", _("--consent needs a consent id (UUID)"));
        ro.consent_id = consent;
        ro.consent_id_len = sizeof consent;
    }
    if (o->decision != NULL) {
        if (id_arg(o->decision, decision) != 0)
            return usage("%s", _("--decision needs a decision id (UUID)"));
        ro.decision_id = decision;
        ro.decision_id_len = sizeof decision;
    }
    if (o->note != NULL) {
        ro.note = (const uint8_t *)o->note;
        ro.note_len = strlen(o->note);
    }
    if ((rc = council_referral_propose(c, id, sizeof id, &ro)) != COUNCIL_OK)
        return rc;
    uuid_text_of(t, id);
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "referral_id", json_string(t));
        return print_json(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    }
    printf("%s\n", t);
    return COUNCIL_OK;
}

/* Show the referral after a step (as show does), or print it as JSON. */
static int referral_show(council *c, const referral_opts *o, const uint8_t id[COUNCIL_ID_BYTES])
{
    council_buf buf = { NULL, 0 };
    Council__V1__Referral *m;
    int rc = council_referral_get(c, &buf, id, COUNCIL_ID_BYTES);

    m = unpack_reply(&council__v1__referral__descriptor, &buf, &rc);
    if (rc == COUNCIL_OK && o->json)
        rc = print_json(referral_json(m)) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    else if (rc == COUNCIL_OK)
        referral_lines(m);
    council__v1__referral__free_unpacked(m, NULL);
    council_buf_free(&buf);
    return rc;
}

static int referral_list(council *c, const referral_opts *o)
{
    council_referral_filter f = COUNCIL_REFERRAL_FILTER_INIT;
    council_buf buf = { NULL, 0 };
    Council__V1__ReferralList *l;
    uint8_t cid[COUNCIL_ID_BYTES], mid[COUNCIL_ID_BYTES];
    int rc;

    if (o->case_id != NULL) {
        if (id_arg(o->case_id, cid) != 0)
            return usage("%s", _("--case needs a case id (UUID)"));
        f.case_id = cid;
        f.case_id_len = sizeof cid;
    }
    if (o->member != NULL) {
        if (id_arg(o->member, mid) != 0)
            return usage("%s", _("--member needs a member id (UUID)"));
        f.member_id = mid;
        f.member_id_len = sizeof mid;
    }
    if (o->state != NULL &&
        (f.state = enum_value(&council__v1__referral_state__descriptor, "REFERRAL_", o->state)) == 0)
        return usage("%s", _("--state: proposed, accepted, declined, withdrawn, completed or ended"));
    rc = council_referral_list(c, &buf, &f);
    l = unpack_reply(&council__v1__referral_list__descriptor, &buf, &rc);
    if (rc == COUNCIL_OK && o->json) {
        json_t *a = json_array();
        for (size_t i = 0; i < l->n_referrals; i++)
            json_array_append_new(a, referral_json(l->referrals[i]));
        rc = print_json(a) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    } else if (rc == COUNCIL_OK) {
        for (size_t i = 0; i < l->n_referrals; i++) {
            const Council__V1__Referral *m = l->referrals[i];
            char id[37], cs[37], to[37], name[48], t[32];
            time_text(t, sizeof t, m->created);
            printf("%s  %-10s %s  case %s  to %s\n", id_of(id, m->id),
                   state_name((int)m->state, name, sizeof name), t, id_of(cs, m->case_id),
                   id_of(to, m->to_member));
        }
    }
    council__v1__referral_list__free_unpacked(l, NULL);
    council_buf_free(&buf);
    return rc;
}

static int do_referral(const referral_opts *o, int cmd, int to_state, const char *id_text)
{
    uint8_t id[COUNCIL_ID_BYTES];
    council *c = NULL;
    int rc, on = 0;

    if ((cmd == R_STEP || cmd == R_DELIVER || cmd == R_SHOW || cmd == R_NOTE) &&
        id_arg(id_text, id) != 0)
        return usage("%s", _("a referral id (UUID) is needed"));
    if (cmd == R_SETTING && o->read_while_deciding != NULL &&
        strcmp(o->read_while_deciding, "on") != 0 && strcmp(o->read_while_deciding, "off") != 0)
        return usage("%s", _("--read-while-deciding: on or off"));
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    switch (cmd) {
    case R_PROPOSE:
        rc = referral_propose(c, o);
        break;
    case R_STEP: {
        unsigned flags = o->keep_share ? COUNCIL_REFERRAL_KEEP_SHARE : 0;
        rc = council_referral_transition(c, id, sizeof id, to_state, o->code,
                                         (const uint8_t *)o->text,
                                         o->text != NULL ? strlen(o->text) : 0, flags);
        if (rc == COUNCIL_OK && o->json)
            rc = referral_show(c, o, id);
        else if (rc == COUNCIL_OK) {
            char name[48];
            fprintf(stderr, _("%s: referral %s\n"), prog, state_name(to_state, name, sizeof name));
        }
        break;
    }
    case R_DELIVER:
        rc = council_referral_deliver(c, id, sizeof id);
        if (rc == COUNCIL_OK && o->json)
            rc = referral_show(c, o, id);
        else if (rc == COUNCIL_OK)
            fprintf(stderr, _("%s: the referral's keys are in line with its state\n"), prog);
        break;
    case R_SHOW:
        rc = referral_show(c, o, id);
        break;
    case R_LIST:
        rc = referral_list(c, o);
        break;
    case R_NOTE: {
        council_buf buf = { NULL, 0 };
        unsigned long long step = 0;
        if (o->step != NULL && (parse_u64(o->step, &step) != 0 || step > 16)) {
            rc = usage("%s", _("--step: a step number (0: the note)"));
            break;
        }
        rc = council_referral_note(c, &buf, id, sizeof id, (unsigned)step);
        if (rc == COUNCIL_OK && o->json) {
            json_t *j = json_object();
            json_object_set_new(j, "text", json_stringn((const char *)buf.ptr, buf.len));
            rc = print_json_wiped(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        } else if (rc == COUNCIL_OK) {
            fwrite(buf.ptr, 1, buf.len, stdout);
            putchar('\n');
        }
        council_buf_free(&buf);
        break;
    }
    default: /* R_SETTING */
        if (o->read_while_deciding != NULL)
            rc = council_referral_read_while_deciding_set(c, strcmp(o->read_while_deciding, "on") == 0);
        if (rc == COUNCIL_OK)
            rc = council_referral_read_while_deciding_get(c, &on);
        if (rc == COUNCIL_OK && o->json) {
            json_t *j = json_object();
            json_object_set_new(j, "read_while_deciding", json_boolean(on));
            rc = print_json(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        } else if (rc == COUNCIL_OK) {
            printf(_("read while deciding: %s\n"), on ? "on" : "off");
        }
        break;
    }
    return close_council(c, rc, "referral");
}

/* ------------------------------------------------------------ commands */

static int run(cli_ctx *x, int argc, char **argv, const cli_spec *s, int cmd, int to_state)
{
    const char *pos[CLI_MAX_POS];
    referral_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, s, &o, pos);

    if (rc != 0)
        return CLI_PARSED(rc);
    FIRSTS(o);
    if (cmd == R_PROPOSE)
        o.case_id = pos[0];
    return do_referral(&o, cmd, to_state, pos[0]);
}

static const cli_help propose_help = {
    "CASE --member ID --scope S [--scope S]... --basis CODE [--purpose CODE] [--reason TEXT] [--consent UUID] [--person P] [--note TEXT] [--decision UUID] [--json]",
    N_("Proposes a referral of the case to a member (つなぐ) and prints its id. The\n"
    "disclosure decision runs now; the member receives the scopes' keys once it\n"
    "accepts (or now, when the council lets recipients read while deciding).\n"
    "\n"
    "Options:\n"
    "  --member ID            the member the person is referred to\n"
    "  --scope S              a scope offered (repeatable)\n"
    "  --purpose CODE         why (default: referral)\n"
    "  --basis CODE           the legal basis\n"
    "  --reason TEXT          the reason the basis needs\n"
    "  --consent UUID         the consent record the referral rests on\n"
    "  --person P             the person referred (default: none named)\n"
    "  --note TEXT            a note to the recipient (sealed)\n"
    "  --decision UUID        the meeting decision that made it\n"
    HELP_JSON_ID("referral_id")),
    "  council-cli --store ./council referral propose \"$CASE\" --member \"$SHAKYO\" \\\n"
    "      --scope situation --basis appi_27_1_4_public_duty --reason \"support\" \\\n"
    "      --note \"Please call Tuesday\"\n",
};

static const cli_opt propose_opts[] = {
    OPT_LIST("member", referral_opts, members, n_member, 1),
    OPT_LIST("scope", referral_opts, scope, n_scope, MAX_SCOPES),
    OPT_LIST("purpose", referral_opts, purposes, n_purpose, 1),
    OPT_STR("basis", referral_opts, basis),
    OPT_STR("reason", referral_opts, reason),
    OPT_STR("consent", referral_opts, consent),
    OPT_STR("person", referral_opts, person),
    OPT_STR("note", referral_opts, note),
    OPT_STR("decision", referral_opts, decision),
    OPT_FLAG("json", referral_opts, json),
};
static const cli_spec propose_spec = CLI_SPEC(propose_opts, propose_help, CLI_STORE | CLI_SESSION, 1);

int cmd_referral_propose(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &propose_spec, R_PROPOSE, 0);
}

static const cli_opt step_opts[] = {
    OPT_STR("code", referral_opts, code),
    OPT_STR("text", referral_opts, text),
    OPT_FLAG("keep-share", referral_opts, keep_share),
    OPT_FLAG("json", referral_opts, json),
};

#define HELP_STEP                                                                    \
    "  --code CODE            the reason code ([a-z0-9_], required to decline or\n"  \
    "                         end)\n"                                                \
    "  --text TEXT            a written reason (sealed to both members)\n"           \
    "  --json                 the referral afterwards, as referral show --json\n"

static const cli_help accept_help = {
    "REFERRAL [--code CODE] [--text TEXT] [--json]",
    N_("Accepts the referral (its recipient's staff, or the secretariat on its\n"
    "behalf). Accepted by the secretariat, the offered scopes are shared at once;\n"
    "accepted by the recipient's staff, the owner or the secretariat delivers them\n"
    "(referral deliver).\n"
    "\n"
    "Options:\n"
    HELP_STEP),
    "  council-cli --store ./council referral accept \"$REFERRAL\"\n",
};
static const cli_spec accept_spec = CLI_SPEC(step_opts, accept_help, CLI_STORE | CLI_SESSION, 1);

int cmd_referral_accept(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &accept_spec, R_STEP, COUNCIL_REFERRAL_ACCEPTED);
}

static const cli_help decline_help = {
    "REFERRAL --code CODE [--text TEXT] [--json]",
    N_("Declines the referral (its recipient's staff, or the secretariat). A share\n"
    "made while deciding ends.\n"
    "\n"
    "Options:\n"
    HELP_STEP),
    "  council-cli --store ./council referral decline \"$REFERRAL\" --code no_capacity\n",
};
static const cli_spec decline_spec = CLI_SPEC(step_opts, decline_help, CLI_STORE | CLI_SESSION, 1);

int cmd_referral_decline(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &decline_spec, R_STEP, COUNCIL_REFERRAL_DECLINED);
}

static const cli_help withdraw_help = {
    "REFERRAL [--code CODE] [--text TEXT] [--json]",
    N_("Withdraws a referral not answered yet (the owner's staff, or the\n"
    "secretariat). A share made while deciding ends.\n"
    "\n"
    "Options:\n"
    HELP_STEP),
    "  council-cli --store ./council referral withdraw \"$REFERRAL\"\n",
};
static const cli_spec withdraw_spec = CLI_SPEC(step_opts, withdraw_help, CLI_STORE | CLI_SESSION, 1);

int cmd_referral_withdraw(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &withdraw_spec, R_STEP, COUNCIL_REFERRAL_WITHDRAWN);
}

static const cli_help complete_help = {
    "REFERRAL [--code CODE] [--text TEXT] [--keep-share] [--json]",
    N_("Completes an accepted referral (its recipient's staff, or the secretariat).\n"
    "Its share ends unless --keep-share.\n"
    "\n"
    "Options:\n"
    HELP_STEP
    "  --keep-share           the recipient keeps reading the shared scopes\n"),
    "  council-cli --store ./council referral complete \"$REFERRAL\" --code support_started\n",
};
static const cli_spec complete_spec = CLI_SPEC(step_opts, complete_help, CLI_STORE | CLI_SESSION, 1);

int cmd_referral_complete(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &complete_spec, R_STEP, COUNCIL_REFERRAL_COMPLETED);
}

static const cli_help end_help = {
    "REFERRAL --code CODE [--text TEXT] [--json]",
    N_("Ends an accepted referral (its recipient's staff, or the secretariat); its\n"
    "share ends.\n"
    "\n"
    "Options:\n"
    HELP_STEP),
    "  council-cli --store ./council referral end \"$REFERRAL\" --code moved_away\n",
};
static const cli_spec end_spec = CLI_SPEC(step_opts, end_help, CLI_STORE | CLI_SESSION, 1);

int cmd_referral_end(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &end_spec, R_STEP, COUNCIL_REFERRAL_ENDED);
}

static const cli_opt json_opts[] = {
    OPT_FLAG("json", referral_opts, json),
};

static const cli_help deliver_help = {
    "REFERRAL [--json]",
    N_("Brings the referral's keys in line with its state (the owner's staff or the\n"
    "secretariat): an accepted referral's scopes are shared with the recipient;\n"
    "after a decline or an end by the recipient's staff, the keys are rotated.\n"
    "\n"
    "Options:\n"
    "  --json                 the referral afterwards, as referral show --json\n"),
    "  council-cli --store ./council referral deliver \"$REFERRAL\"\n",
};
static const cli_spec deliver_spec = CLI_SPEC(json_opts, deliver_help, CLI_STORE | CLI_SESSION, 1);

int cmd_referral_deliver(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &deliver_spec, R_DELIVER, 0);
}

static const cli_help show_help = {
    "REFERRAL [--json]",
    N_("Shows the referral: case, members, scopes, state and every step.\n"
    "\n"
    "Options:\n"
    "  --json                 as a JSON object\n"),
    "  council-cli --store ./council referral show \"$REFERRAL\"\n",
};
static const cli_spec show_spec = CLI_SPEC(json_opts, show_help, CLI_STORE | CLI_SESSION, 1);

int cmd_referral_show(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &show_spec, R_SHOW, 0);
}

static const cli_help list_help = {
    "[--case CASE] [--member ID] [--state STATE] [--json]",
    N_("Lists the referrals the session may see, oldest first.\n"
    "\n"
    "Options:\n"
    "  --case CASE            of this case only\n"
    "  --member ID            sent or received by this member only\n"
    "  --state STATE          proposed, accepted, declined, withdrawn, completed or\n"
    "                         ended\n"
    "  --json                 as a JSON array\n"),
    "  council-cli --store ./council referral list --state proposed\n",
};
static const cli_opt list_opts[] = {
    OPT_STR("case", referral_opts, case_id),
    OPT_LIST("member", referral_opts, members, n_member, 1),
    OPT_STR("state", referral_opts, state),
    OPT_FLAG("json", referral_opts, json),
};
static const cli_spec list_spec = CLI_SPEC(list_opts, list_help, CLI_STORE | CLI_SESSION, 0);

int cmd_referral_list(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &list_spec, R_LIST, 0);
}

static const cli_help note_help = {
    "REFERRAL [--step N] [--json]",
    N_("Prints the referral's note, or the written reason of step N (logged first).\n"
    "\n"
    "Options:\n"
    "  --step N               the step whose written reason to print (0: the note)\n"
    "  --json                 {\"text\": TEXT}\n"),
    "  council-cli --store ./council referral note \"$REFERRAL\"\n",
};
static const cli_opt note_opts[] = {
    OPT_STR("step", referral_opts, step),
    OPT_FLAG("json", referral_opts, json),
};
static const cli_spec note_spec = CLI_SPEC(note_opts, note_help, CLI_STORE | CLI_SESSION, 1);

int cmd_referral_note(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &note_spec, R_NOTE, 0);
}

static const cli_help setting_help = {
    "[--read-while-deciding on|off] [--json]",
    N_("Shows, or sets (the secretariat), whether a referral's recipient reads the\n"
    "offered scopes while it decides.\n"
    "\n"
    "Options:\n"
    "  --read-while-deciding on|off\n"
    "                         share at the proposal (on) or at acceptance (off)\n"
    "  --json                 {\"read_while_deciding\": BOOL}\n"),
    "  council-cli --store ./council referral setting --read-while-deciding off\n",
};
static const cli_opt setting_opts[] = {
    OPT_STR("read-while-deciding", referral_opts, read_while_deciding),
    OPT_FLAG("json", referral_opts, json),
};
static const cli_spec setting_spec = CLI_SPEC(setting_opts, setting_help, CLI_STORE | CLI_SESSION, 0);

int cmd_referral_setting(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &setting_spec, R_SETTING, 0);
}
