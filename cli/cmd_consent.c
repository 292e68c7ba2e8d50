/*
 * cmd_consent.c - the consent ledger (同意): consent record, refuse,
 * withdraw, list, show.
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
#include "caseview.h"
#include "council/v1/consent.pb-c.h"
#include "json.h"
#include "open.h"
#include "text.h"
#include "util.h"
#include "vocab.h"

typedef struct consent_opts {
    const cli_global *g;
    const char *reason, *date, *person, *purpose_text, *external_party, *grantor, *grantor_name;
    const char *method, *valid_from, *valid_until, *obtained_by, *evidence;
    const char *scope[MAX_SCOPES];
    size_t n_scope;
    const char *members[MAX_LIST], *member, *purposes[MAX_LIST], *purpose;
    size_t n_member, n_purpose;
    int json, yes;
} consent_opts;

enum { C_KRECORD = 1 << 0, C_KREFUSE = 1 << 1, C_KWITHDRAW = 1 << 2, C_KLIST = 1 << 3, C_KSHOW = 1 << 4 };

#define C_KMAKE (C_KRECORD | C_KREFUSE) /* the commands that write a record */

static const char *consent_status_text(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__consent_status__descriptor, "CONSENT_STATUS_", v, buf, n);
}

static const char *method_text(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__consent_method__descriptor, "CONSENT_METHOD_", v, buf, n);
}

static const char *grantor_text(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__grantor_kind__descriptor, "GRANTOR_KIND_", v, buf, n);
}

/* Records hold names and reasons: they are unpacked with the wiping
 * allocator and printed with print_json_wiped. */
static json_t *consent_json(const Council__V1__ConsentRecord *r)
{
    json_t *j = json_object(), *a = json_array();
    char name[48], hex[65];

    json_object_set_new(j, "id", json_string(r->id_text));
    json_object_set_new(j, "case_id", id_json(r->case_id));
    json_object_set_new(j, "person_id", id_json(r->subject_person));
    json_object_set_new(j, "refusal", json_boolean(r->refusal));
    json_object_set_new(j, "status", json_string(consent_status_text((int)r->status, name,
                                                                     sizeof name)));
    json_object_set_new(j, "grantor", json_string(grantor_text((int)r->grantor, name, sizeof name)));
    if (r->grantor_name != NULL)
        json_object_set_new(j, "grantor_name", json_string(r->grantor_name));
    for (size_t i = 0; i < r->n_recipient_members; i++)
        json_array_append_new(a, id_json(r->recipient_members[i]));
    json_object_set_new(j, "recipient_members", a);
    if (r->external_party != NULL)
        json_object_set_new(j, "external_party", json_string(r->external_party));
    if (r->has_external_party_id)
        json_object_set_new(j, "external_party_id", id_json(r->external_party_id));
    json_object_set_new(j, "scopes", str_array_json(r->scopes, r->n_scopes));
    json_object_set_new(j, "purposes", str_array_json(r->purposes, r->n_purposes));
    if (r->purpose_other != NULL)
        json_object_set_new(j, "purpose_other", json_string(r->purpose_other));
    json_object_set_new(j, "valid_from", time_json(r->valid_from));
    json_object_set_new(j, "valid_until", r->has_valid_until ? time_json(r->valid_until)
                                                             : json_null());
    json_object_set_new(j, "method", json_string(method_text((int)r->method, name, sizeof name)));
    json_object_set_new(j, "obtained_by", r->has_obtained_by ? id_json(r->obtained_by)
                                                             : json_null());
    if (r->has_evidence_sha256 && r->evidence_sha256.len == 32) {
        hex_text(hex, r->evidence_sha256.data, 32);
        json_object_set_new(j, "evidence_sha256", json_string(hex));
    } else {
        json_object_set_new(j, "evidence_sha256", json_null());
    }
    json_object_set_new(j, "recorded", time_json(r->recorded));
    json_object_set_new(j, "recorded_by_member", r->has_recorded_by_member
                                                     ? id_json(r->recorded_by_member) : json_null());
    if (r->has_recorded_by_staff)
        json_object_set_new(j, "recorded_by_staff", id_json(r->recorded_by_staff));
    if (r->withdrawal != NULL) {
        const Council__V1__ConsentWithdrawal *w = r->withdrawal;
        json_t *wj = json_object();
        json_object_set_new(wj, "time", time_json(w->time));
        json_object_set_new(wj, "reason", json_string(w->reason));
        json_object_set_new(wj, "by_member", w->has_by_member ? id_json(w->by_member) : json_null());
        if (w->has_by_staff)
            json_object_set_new(wj, "by_staff", id_json(w->by_staff));
        json_object_set_new(j, "withdrawal", wj);
    }
    return j;
}

/* "a,b,c"; for a refusal, an empty list is "all". */
static void list_line(const char *label, char **v, size_t n, int refusal)
{
    printf("%s", col(label, -20));
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? "," : "", v[i]);
    printf("%s\n", n > 0 ? "" : refusal ? _("all") : "-");
}

/* "by member M (staff S)", or "by the secretariat". */
static void by_text(char *out, size_t n, int has_member, ProtobufCBinaryData member, int has_staff,
                    ProtobufCBinaryData staff)
{
    char m[37], st[37];

    if (!has_member)
        snprintf(out, n, "%s", _("by the secretariat"));
    else if (has_staff)
        snprintf(out, n, _("by member %s (staff %s)"), id_of(m, member), id_of(st, staff));
    else
        snprintf(out, n, _("by member %s"), id_of(m, member));
}

static void consent_lines(const Council__V1__ConsentRecord *r)
{
    char name[48], id[37], t[32], t2[32], hex[65], by[128];

    printf(_("id:                 %s\n"), r->id_text);
    printf(_("record:             %s\n"), r->refusal ? _("refusal (does not consent)") : _("consent"));
    printf(_("status:             %s\n"), consent_status_text((int)r->status, name, sizeof name));
    printf(_("case:               %s\n"), id_of(id, r->case_id));
    printf(_("subject person:     %s\n"), id_of(id, r->subject_person));
    printf(_("grantor:            %s"), grantor_text((int)r->grantor, name, sizeof name));
    if (r->grantor_name != NULL)
        printf(" (%s)", r->grantor_name);
    putchar('\n');
    for (size_t i = 0; i < r->n_recipient_members; i++)
        printf("%s%s\n", col(i == 0 ? _("recipients:") : "", -20), id_of(id, r->recipient_members[i]));
    if (r->external_party != NULL)
        printf(_("%s%s (outside the council)\n"),
               col(r->n_recipient_members == 0 ? _("recipients:") : "", -20),
               r->external_party);
    if (r->n_recipient_members == 0 && r->external_party == NULL)
        printf(_("recipients:         %s\n"), r->refusal ? _("all") : "-");
    list_line(_("scopes:"), r->scopes, r->n_scopes, r->refusal);
    list_line(_("purposes:"), r->purposes, r->n_purposes, r->refusal);
    if (r->purpose_other != NULL)
        printf(_("purpose (other):    %s\n"), r->purpose_other);
    time_text(t, sizeof t, r->valid_from);
    if (r->has_valid_until)
        time_text(t2, sizeof t2, r->valid_until);
    if (r->has_valid_until)
        printf(_("valid:              from %s until %s\n"), t, t2);
    else /* a refusal is not withdrawn: a later consent overrides it */
        printf(_("valid:              from %s %s\n"), t, r->refusal ? _("on") : _("until withdrawn"));
    printf(_("method:             %s\n"), method_text((int)r->method, name, sizeof name));
    printf(_("obtained by:        %s\n"), r->has_obtained_by ? id_of(id, r->obtained_by) : "-");
    if (r->has_evidence_sha256 && r->evidence_sha256.len == 32)
        hex_text(hex, r->evidence_sha256.data, 32);
    printf(_("evidence sha256:    %s\n"),
           r->has_evidence_sha256 && r->evidence_sha256.len == 32 ? hex : "-");
    time_text(t, sizeof t, r->recorded);
    by_text(by, sizeof by, r->has_recorded_by_member, r->recorded_by_member,
            r->has_recorded_by_staff, r->recorded_by_staff);
    printf(_("recorded:           %s %s\n"), t, by);
    if (r->withdrawal != NULL) {
        const Council__V1__ConsentWithdrawal *w = r->withdrawal;
        time_text(t, sizeof t, w->time);
        by_text(by, sizeof by, w->has_by_member, w->by_member, w->has_by_staff, w->by_staff);
        printf(_("withdrawn:          %s %s\n"), t, by);
        printf(_("withdrawal reason:  %s\n"), w->reason);
    }
}

/* What the command line gave a consent command, checked before the store opens. */
typedef struct consent_args {
    uint8_t id[COUNCIL_ID_BYTES];     /* the case (record, refuse, list) or the record */
    uint8_t person[COUNCIL_ID_BYTES], obtained_by[COUNCIL_ID_BYTES];
    uint8_t members[MAX_LIST * COUNCIL_ID_BYTES];
    uint8_t evidence[32];
    int32_t grantor, method;
    int64_t valid_from, valid_until, when;
} consent_args;

static int consent_check_args(const consent_opts *o, int cmd, const char *id_text, consent_args *a)
{
    const char *what = cmd == C_KRECORD ? "consent record" : "consent refuse";

    if (id_arg(id_text, a->id) != 0)
        return usage("%s", (cmd & (C_KWITHDRAW | C_KSHOW)) != 0 ? _("a consent id (UUID) is needed")
                                                                : _("a case id (UUID) is needed"));
    if (cmd == C_KWITHDRAW) {
        if (o->reason == NULL)
            return usage("%s", _("consent withdraw needs --reason TEXT"));
        if (o->date != NULL && time_arg("--date", o->date, TIME_START, &a->when) != 0)
            return EXIT_USAGE;
    }
    if ((cmd & C_KMAKE) == 0)
        return 0;
    if (cmd == C_KRECORD &&
        ((o->n_member == 0 && o->external_party == NULL) || o->n_scope == 0 || o->n_purpose == 0))
        return usage("%s", _("consent record needs --member ID (or --external-party NAME), "
                           "--scope SCOPE, --purpose CODE and --method METHOD"));
    if (o->method == NULL ||
        (a->method = enum_value(&council__v1__consent_method__descriptor, "CONSENT_METHOD_",
                                o->method)) == 0)
        return usage(_("%s needs --method written, oral or electronic"), what);
    if (o->grantor != NULL &&
        (a->grantor = enum_value(&council__v1__grantor_kind__descriptor, "GRANTOR_KIND_",
                                 o->grantor)) == 0)
        return usage("%s", _("--grantor: self, legal_representative or guardian"));
    if (o->person != NULL && id_arg(o->person, a->person) != 0)
        return usage("%s", _("--person needs a person id (UUID)"));
    for (size_t i = 0; i < o->n_member; i++)
        if (id_arg(o->members[i], a->members + i * COUNCIL_ID_BYTES) != 0)
            return usage("%s", _("--member needs a member id (UUID)"));
    if (o->obtained_by != NULL && id_arg(o->obtained_by, a->obtained_by) != 0)
        return usage("%s", _("--obtained-by needs a staff id (UUID)"));
    if (o->valid_from != NULL && time_arg("--valid-from", o->valid_from, TIME_START, &a->valid_from) != 0)
        return EXIT_USAGE;
    if (o->valid_until != NULL && time_arg("--valid-until", o->valid_until, TIME_END, &a->valid_until) != 0)
        return EXIT_USAGE;
    if (o->evidence != NULL && hex_bytes(o->evidence, a->evidence, sizeof a->evidence) != 0)
        return usage("%s", _("--evidence-sha256 needs a SHA-256 hash: 64 hex digits"));
    return 0;
}

static int consent_make(council *c, const consent_opts *o, consent_args *a, int cmd)
{
    council_consent_options co = COUNCIL_CONSENT_OPTIONS_INIT;
    uint8_t id[COUNCIL_ID_BYTES];
    char t[37];
    int rc;

    if (o->person == NULL && (rc = supported_person(c, a->id, a->person)) != COUNCIL_OK)
        return rc;
    co.case_id = a->id;
    co.case_id_len = sizeof a->id;
    co.subject_person = a->person;
    co.subject_person_len = sizeof a->person;
    co.grantor = a->grantor;
    co.grantor_name = o->grantor_name;
    co.recipient_members = o->n_member > 0 ? a->members : NULL;
    co.n_recipient_members = o->n_member;
    co.external_party = o->external_party;
    co.scopes = o->n_scope > 0 ? o->scope : NULL;
    co.n_scopes = o->n_scope;
    co.purposes = o->n_purpose > 0 ? o->purposes : NULL;
    co.n_purposes = o->n_purpose;
    co.purpose_other = o->purpose_text;
    co.valid_from = a->valid_from;
    co.valid_until = a->valid_until;
    co.method = a->method;
    if (o->obtained_by != NULL) {
        co.obtained_by = a->obtained_by;
        co.obtained_by_len = sizeof a->obtained_by;
    }
    if (o->evidence != NULL) {
        co.evidence_sha256 = a->evidence;
        co.evidence_len = sizeof a->evidence;
    }
    rc = cmd == C_KRECORD ? council_consent_record(c, id, sizeof id, &co)
                          : council_consent_refuse(c, id, sizeof id, &co);
    if (rc == COUNCIL_OK) {
        uuid_text_of(t, id);
        if (print_new_id(o->json, "consent_id", t) != 0)
            rc = EXIT_FAILURE;
    }
    return rc;
}

static int do_consent(const consent_opts *o, int cmd, const char *id_text)
{
    council_buf buf = { NULL, 0 };
    council *c = NULL;
    consent_args a;
    int rc;

    memset(&a, 0, sizeof a);
    if ((rc = consent_check_args(o, cmd, id_text, &a)) != 0)
        return rc;
    if (cmd == C_KWITHDRAW &&
        (rc = confirm_act(o->yes, _("consent withdraw: consent %s is withdrawn; the shares that "
                          "rest on it are revoked"), id_text)) != 0)
        return rc;
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    switch (cmd) {
    case C_KRECORD: case C_KREFUSE:
        rc = consent_make(c, o, &a, cmd);
        break;
    case C_KWITHDRAW:
        rc = council_consent_withdraw(c, a.id, sizeof a.id, a.when, o->reason);
        if (rc == COUNCIL_OK)
            fprintf(stderr, _("%s: consent withdrawn; the shares that rested on it were revoked\n"),
                    prog);
        break;
    case C_KSHOW: {
        Council__V1__ConsentRecord *r = NULL;
        rc = council_consent_get(c, &buf, a.id, sizeof a.id);
        if (rc == COUNCIL_OK &&
            (r = council__v1__consent_record__unpack(wiping(), buf.len, buf.ptr)) == NULL)
            rc = COUNCIL_EFORMAT;
        if (rc == COUNCIL_OK && o->json)
            rc = print_json_wiped(consent_json(r)) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        else if (rc == COUNCIL_OK)
            consent_lines(r);
        council__v1__consent_record__free_unpacked(r, wiping());
        break;
    }
    default: { /* C_KLIST */
        Council__V1__ConsentList *l = NULL;
        rc = council_consent_list(c, &buf, a.id, sizeof a.id);
        if (rc == COUNCIL_OK &&
            (l = council__v1__consent_list__unpack(wiping(), buf.len, buf.ptr)) == NULL)
            rc = COUNCIL_EFORMAT;
        if (rc == COUNCIL_OK && o->json) {
            json_t *arr = json_array();
            for (size_t i = 0; i < l->n_records; i++)
                json_array_append_new(arr, consent_json(l->records[i]));
            rc = print_json_wiped(arr) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        } else if (rc == COUNCIL_OK) {
            printf("%s  %s  %s  %s  %s\n", col(_("ID"), -36), col(_("STATUS"), -9),
                   col(_("PERSON"), -36), col(_("RECORDED"), -20), _("COVERS"));
            for (size_t i = 0; i < l->n_records; i++) {
                const Council__V1__ConsentRecord *r = l->records[i];
                char st[32], person[37], t[32];
                size_t n_to = r->n_recipient_members + (r->external_party != NULL ? 1 : 0);
                time_text(t, sizeof t, r->recorded);
                printf("%-36s  %-9s  %-36s  %-20s  scopes=", r->id_text,
                       consent_status_text((int)r->status, st, sizeof st),
                       id_of(person, r->subject_person), t);
                for (size_t k = 0; k < r->n_scopes; k++)
                    printf("%s%s", k ? "," : "", r->scopes[k]);
                printf("%s purposes=", r->n_scopes == 0 ? "all" : "");
                for (size_t k = 0; k < r->n_purposes; k++)
                    printf("%s%s", k ? "," : "", r->purposes[k]);
                if (n_to == 0)
                    printf("%s recipients=all\n", r->n_purposes == 0 ? "all" : "");
                else
                    printf("%s recipients=%zu\n", r->n_purposes == 0 ? "all" : "", n_to);
                if (r->withdrawal != NULL) {
                    time_text(t, sizeof t, r->withdrawal->time);
                    field_line(_("withdrawn:"), "", t);
                    field_line(_("reason:"), "", r->withdrawal->reason);
                }
            }
        }
        council__v1__consent_list__free_unpacked(l, wiping());
        break;
    }
    }
    council_buf_free(&buf);
    return close_council(c, rc, "consent");
}

/* ------------------------------------------------------------ commands */

/* Parse the command's options and run it. */
static int run(cli_ctx *x, int argc, char **argv, const cli_spec *s, int cmd)
{
    const char *pos[CLI_MAX_POS];
    consent_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, s, &o, pos);

    if (rc != 0)
        return CLI_PARSED(rc);
    FIRSTS(o);
    return do_consent(&o, cmd, pos[0]);
}

static const cli_help record_help = {
    "CASE [--person P] --member ID [--member ID]... [--external-party NAME] --scope S [--scope S]... --purpose CODE [--purpose CODE]... [--purpose-text TEXT] [--grantor G] [--grantor-name NAME] --method M [--valid-from T] [--valid-until T] [--obtained-by STAFF] [--evidence-sha256 HEX] [--json]",
    N_("Records a person's consent to share scopes of the case with the recipients\n"
    "for the purposes, and prints the record's id (a bare id, one line).\n"
    "\n"
    "Options:\n"
    HELP_CONSENT_OPTIONS
    HELP_JSON_ID("consent_id")),
    "  council-cli --store ./council consent record \"$CASE\" --member \"$SHAKYO\" \\\n"
    "      --scope wishes --purpose support_coordination --method written\n",
};

static const cli_opt answer_opts[] = {
    OPT_LIST("member", consent_opts, members, n_member, MAX_LIST),
    OPT_LIST("scope", consent_opts, scope, n_scope, MAX_SCOPES),
    OPT_STR("person", consent_opts, person),
    OPT_STR("purpose-text", consent_opts, purpose_text),
    OPT_LIST("purpose", consent_opts, purposes, n_purpose, MAX_LIST),
    OPT_STR("external-party", consent_opts, external_party),
    OPT_STR("grantor", consent_opts, grantor),
    OPT_STR("grantor-name", consent_opts, grantor_name),
    OPT_STR("method", consent_opts, method),
    OPT_STR("valid-from", consent_opts, valid_from),
    OPT_STR("valid-until", consent_opts, valid_until),
    OPT_STR("obtained-by", consent_opts, obtained_by),
    OPT_STR("evidence-sha256", consent_opts, evidence),
    OPT_FLAG("json", consent_opts, json),
};
static const cli_spec record_spec = CLI_SPEC(answer_opts, record_help, CLI_STORE | CLI_SESSION, 1);

int cmd_consent_record(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &record_spec, C_KRECORD);
}

static const cli_help refuse_help = {
    "CASE [--person P] [--member ID]... [--scope S]... [--purpose CODE]... --method M [and the other options of consent record]",
    N_("Records a refusal, and prints the record's id (a bare id, one line). An\n"
    "empty list refuses for every recipient, scope or purpose.\n"
    "\n"
    "Options:\n"
    HELP_CONSENT_OPTIONS
    HELP_JSON_ID("consent_id")),
    "  council-cli --store ./council consent refuse \"$CASE\" --scope health --method oral\n",
};

static const cli_spec refuse_spec = CLI_SPEC(answer_opts, refuse_help, CLI_STORE | CLI_SESSION, 1);

int cmd_consent_refuse(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &refuse_spec, C_KREFUSE);
}

static const cli_help withdraw_help = {
    "ID --reason TEXT [--date T] [--yes]",
    N_("Records that the consent was withdrawn; the shares that rested on it are\n"
    "revoked. Asks first on a terminal.\n"
    "\n"
    "Options:\n"
    "  --reason TEXT          why\n"
    "  --date T               when (default: now)\n"
    HELP_YES),
    "  council-cli --store ./council consent withdraw \"$CONSENT\" --reason \"asked at the visit\" \\\n"
    "      --yes\n",
};

static const cli_opt withdraw_opts[] = {
    OPT_STR("reason", consent_opts, reason),
    OPT_STR("date", consent_opts, date),
    OPT_FLAG("yes", consent_opts, yes),
};
static const cli_spec withdraw_spec =
    CLI_SPEC(withdraw_opts, withdraw_help, CLI_STORE | CLI_SESSION, 1);

int cmd_consent_withdraw(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &withdraw_spec, C_KWITHDRAW);
}

static const cli_help list_help = {
    "CASE [--json]",
    N_("Lists the case's consent records and refusals.\n"
    "\n"
    "Options:\n"
    "  --json                 as a JSON array\n"),
    "  council-cli --store ./council consent list \"$CASE\"\n",
};

static const cli_opt json_opts[] = {
    OPT_FLAG("json", consent_opts, json),
};
static const cli_spec list_spec = CLI_SPEC(json_opts, list_help, CLI_STORE | CLI_SESSION, 1);

int cmd_consent_list(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &list_spec, C_KLIST);
}

static const cli_help show_help = {
    "ID [--json]",
    N_("Shows one consent record.\n"
    "\n"
    "Options:\n"
    "  --json                 as a JSON object\n"),
    "  council-cli --store ./council consent show \"$CONSENT\"\n",
};

static const cli_spec show_spec = CLI_SPEC(json_opts, show_help, CLI_STORE | CLI_SESSION, 1);

int cmd_consent_show(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &show_spec, C_KSHOW);
}
