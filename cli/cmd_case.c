/*
 * cmd_case.c - cases (個別ケース): case create, add-person, update, show,
 * history, list, info, share, revoke, erase, find, status, rekey, and
 * disclose (case share, or its decision alone).
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
#include "council/v1/case.pb-c.h"
#include "json.h"
#include "names.h"
#include "open.h"
#include "progress.h"
#include "text.h"
#include "util.h"
#include "vocab.h"

typedef struct case_opts {
    const cli_global *g;
    const char *name, *role, *reason, *owner, *body, *person, *file, *purpose_text, *basis;
    const char *consent, *expires, *second_approver, *birth_date;
    const char *scope[MAX_SCOPES];
    size_t n_scope;
    const char *members[1], *member, *purposes[1], *purpose;
    size_t n_member, n_purpose;
    int json, yes, dry_run, quiet;
    int anonymous;
} case_opts;

enum { C_CCREATE = 1 << 0, C_CADDP = 1 << 1, C_CUPDATE = 1 << 2, C_CSHOW = 1 << 3, C_CHISTORY = 1 << 4, C_CLIST = 1 << 5, C_CINFO = 1 << 6, C_CSHARE = 1 << 7, C_CREVOKE = 1 << 8, C_CERASE = 1 << 9, C_CFIND = 1 << 10, C_CSTATUS = 1 << 11, C_CREKEY = 1 << 12, C_DISCLOSE = 1 << 13 };

/* What the command line gave a case command, checked before the store opens. */
typedef struct case_args {
    uint8_t id[COUNCIL_ID_BYTES], person[COUNCIL_ID_BYTES], member[COUNCIL_ID_BYTES];
    uint8_t owner[COUNCIL_ID_BYTES], consent[COUNCIL_ID_BYTES], approver[COUNCIL_ID_BYTES];
    int32_t body, role, status;
    int64_t expires;
    uint8_t *section;   /* case update: the serialised Section */
    size_t section_len;
} case_args;

static int case_check_args(const case_opts *o, int cmd, const char *id_text, const char *arg,
                           case_args *a)
{
    if ((cmd & (C_CCREATE | C_CLIST | C_CFIND)) == 0 && id_arg(id_text, a->id) != 0)
        return usage("%s", _("a case id (UUID) is needed"));
    if (o->person != NULL && id_arg(o->person, a->person) != 0)
        return usage("%s", _("--person needs a person id (UUID)"));
    if (o->member != NULL && id_arg(o->member, a->member) != 0)
        return usage("%s", _("--member needs a member id (UUID)"));
    if ((cmd & (C_CUPDATE | C_CHISTORY)) != 0 && o->n_scope > 1)
        return usage("%s", _("give one --scope"));
    if ((cmd & (C_CUPDATE | C_CHISTORY)) != 0 && o->n_scope == 0)
        return usage(_("case %s needs --scope SCOPE"), cmd == C_CUPDATE ? "update" : "history");
    if (cmd == C_CSHOW && o->person != NULL && o->n_scope == 0)
        return usage("%s", _("case show --person needs --scope SCOPE"));
    if ((cmd & (C_CSHOW | C_CHISTORY | C_CSHARE | C_DISCLOSE)) != 0 && o->purpose == NULL)
        return usage("%s", _("--purpose CODE is needed: why the case is read or shared"));
    switch (cmd) {
    case C_CCREATE:
        if (o->owner != NULL && id_arg(o->owner, a->owner) != 0)
            return usage("%s", _("--owner needs a member id (UUID)"));
        if (o->body != NULL &&
            (a->body = enum_value(&council__v1__case_body__descriptor, "CASE_BODY_", o->body)) == 0)
            return usage("%s", _("--body: council, support_meeting or needs_of_poor_meeting"));
        break;
    case C_CADDP:
        if (o->role == NULL || ((a->role = enum_value(&council__v1__person_role__descriptor,
                                                      "PERSON_ROLE_", o->role)) !=
                                    COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_FAMILY &&
                                a->role != COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_CLOSE_THIRD_PARTY))
            return usage("%s", _("case add-person needs --role family or --role close_third_party"));
        break;
    case C_CSTATUS:
        if (arg == NULL ||
            ((a->status = enum_value(&council__v1__case_status__descriptor, "CASE_STATUS_", arg)) !=
                 COUNCIL__V1__CASE_STATUS__CASE_STATUS_OPEN &&
             a->status != COUNCIL__V1__CASE_STATUS__CASE_STATUS_MONITORING &&
             a->status != COUNCIL__V1__CASE_STATUS__CASE_STATUS_CLOSED))
            return usage("%s", _("case status CASE open|monitoring|closed (erasure is case erase)"));
        break;
    case C_CSHARE: case C_DISCLOSE:
        if (o->member == NULL || o->n_scope == 0 || o->basis == NULL)
            return usage(_("%s needs --member ID, --scope SCOPE (one or more), --purpose CODE "
                         "and --basis CODE"), cmd == C_CSHARE ? "case share" : "disclose");
        if (o->consent != NULL && id_arg(o->consent, a->consent) != 0)
            return usage("%s", _("--consent needs a consent id (UUID)"));
        if (o->expires != NULL && time_arg("--expires", o->expires, TIME_END, &a->expires) != 0)
            return EXIT_USAGE;
        if (o->second_approver != NULL && id_arg(o->second_approver, a->approver) != 0)
            return usage("%s", _("--second-approver needs a staff id (UUID)"));
        if (o->json && !o->dry_run)
            return usage("%s", _("disclose takes --json with --dry-run"));
        break;
    case C_CREVOKE:
        if (o->member == NULL || o->reason == NULL)
            return usage("%s", _("case revoke needs --member ID and --reason CODE"));
        break;
    case C_CERASE:
        if (o->reason == NULL)
            return usage("%s", _("case erase needs --reason CODE"));
        {
            int rc = confirm_act(o->yes, _("case erase: case %s's keys and content are destroyed "
                                 "for good"), id_text);
            if (rc != 0)
                return rc;
        }
        break;
    case C_CFIND:
        if (o->name == NULL)
            return usage("%s", _("case find needs --name NAME (a --birth-date YYYY-MM-DD only "
                               "narrows the search)"));
        break;
    case C_CUPDATE: {
        const char *file = o->file != NULL ? o->file : "-";
        if (strcmp(file, "-") == 0 && o->g->pass_file != NULL && strcmp(o->g->pass_file, "-") == 0)
            return usage("%s", _("the section and the passphrase cannot both come from standard "
                               "input"));
        return section_bytes(file, &a->section, &a->section_len);
    }
    default:
        break;
    }
    return 0;
}

static int case_create(council *c, const case_opts *o, case_args *a)
{
    council_case_options co = COUNCIL_CASE_OPTIONS_INIT;
    uint8_t id[COUNCIL_ID_BYTES], person[COUNCIL_ID_BYTES];
    char t1[37], t2[37];
    int rc;

    co.body = a->body;
    co.anonymous = o->anonymous;
    if (o->owner != NULL) {
        co.owner = a->owner;
        co.owner_len = sizeof a->owner;
    }
    rc = council_case_create(c, id, sizeof id, person, sizeof person, &co);
    if (rc != COUNCIL_OK)
        return rc;
    uuid_text_of(t1, id);
    uuid_text_of(t2, person);
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "case_id", json_string(t1));
        json_object_set_new(j, "person_id", json_string(t2));
        return print_json(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    }
    printf("%s\n%s\n", t1, t2);
    return COUNCIL_OK;
}

static int case_update(council *c, const case_opts *o, case_args *a)
{
    uint32_t version = 0;
    int rc;

    if (o->person == NULL && (rc = supported_person(c, a->id, a->person)) != COUNCIL_OK)
        return rc;
    rc = council_section_write(c, &version, a->id, sizeof a->id, a->person, sizeof a->person,
                               o->scope[0], a->section, a->section_len);
    if (rc == COUNCIL_OK)
        fprintf(stderr, _("%s: section %s: version %u written\n"), prog, o->scope[0], version);
    return rc;
}

/* case show with several --scope: the person's sections of those scopes,
 * read with one durable commit (council_sections_read; all or nothing),
 * printed as case history prints its versions. */
static int case_show_scopes(council *c, const case_opts *o, case_args *a)
{
    council_section_ref refs[MAX_SCOPES];
    council_buf bufs[MAX_SCOPES];
    Council__V1__SectionRecord *r[MAX_SCOPES] = { NULL };
    int rc;

    for (size_t i = 0; i < o->n_scope; i++) {
        refs[i].case_id = a->id;
        refs[i].case_id_len = sizeof a->id;
        refs[i].person_id = a->person;
        refs[i].person_id_len = sizeof a->person;
        refs[i].scope = o->scope[i];
    }
    rc = council_sections_read(c, bufs, refs, o->n_scope, o->purpose);
    for (size_t i = 0; i < o->n_scope; i++) {
        if (rc == COUNCIL_OK &&
            (r[i] = council__v1__section_record__unpack(wiping(), bufs[i].len, bufs[i].ptr)) == NULL)
            rc = COUNCIL_EFORMAT;
        council_buf_free(&bufs[i]);
    }
    if (rc == COUNCIL_OK && o->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < o->n_scope; i++)
            json_array_append_new(arr, record_json(r[i]));
        rc = print_json_wiped(arr) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    } else if (rc == COUNCIL_OK) {
        for (size_t i = 0; i < o->n_scope; i++) {
            if (i > 0)
                putchar('\n');
            record_lines(r[i]);
        }
    }
    for (size_t i = 0; i < o->n_scope; i++)
        if (r[i] != NULL)
            council__v1__section_record__free_unpacked(r[i], wiping());
    return rc;
}

static int case_show(council *c, const case_opts *o, case_args *a, int cmd)
{
    council_buf buf = { NULL, 0 };
    int rc;

    if (o->n_scope > 0 && o->person == NULL && (rc = supported_person(c, a->id, a->person)) != 0)
        return rc;
    if (cmd == C_CSHOW && o->n_scope > 1)
        return case_show_scopes(c, o, a);
    if (cmd == C_CHISTORY)
        rc = council_section_history(c, &buf, a->id, sizeof a->id, a->person, sizeof a->person,
                                     o->scope[0], o->purpose);
    else if (o->n_scope > 0)
        rc = council_section_read(c, &buf, a->id, sizeof a->id, a->person, sizeof a->person,
                                  o->scope[0], o->purpose);
    else
        rc = council_case_read(c, &buf, a->id, sizeof a->id, o->purpose);
    if (rc != COUNCIL_OK)
        return rc;
    if (cmd == C_CHISTORY) {
        Council__V1__SectionHistory *h =
            council__v1__section_history__unpack(wiping(), buf.len, buf.ptr);
        if (h == NULL) {
            rc = COUNCIL_EFORMAT;
        } else if (o->json) {
            json_t *arr = json_array();
            for (size_t i = 0; i < h->n_records; i++)
                json_array_append_new(arr, record_json(h->records[i]));
            rc = print_json_wiped(arr) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        } else {
            for (size_t i = 0; i < h->n_records; i++) {
                if (i > 0)
                    putchar('\n');
                record_lines(h->records[i]);
            }
        }
        council__v1__section_history__free_unpacked(h, wiping());
    } else if (o->n_scope > 0) {
        Council__V1__SectionRecord *r =
            council__v1__section_record__unpack(wiping(), buf.len, buf.ptr);
        if (r == NULL)
            rc = COUNCIL_EFORMAT;
        else if (o->json)
            rc = print_json_wiped(record_json(r)) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        else
            record_lines(r);
        council__v1__section_record__free_unpacked(r, wiping());
    } else {
        Council__V1__CaseContent *cc =
            council__v1__case_content__unpack(wiping(), buf.len, buf.ptr);
        if (cc == NULL) {
            rc = COUNCIL_EFORMAT;
        } else if (o->json) {
            json_t *j = json_object(), *arr = json_array();
            json_object_set_new(j, "case", case_info_json(cc->info, 0, NULL));
            for (size_t i = 0; i < cc->n_sections; i++)
                json_array_append_new(arr, record_json(cc->sections[i]));
            json_object_set_new(j, "sections", arr);
            rc = print_json_wiped(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        } else {
            char st[32], body[48];
            printf(_("case %s (%s, %s)\n"), cc->info->id_text,
                   status_name((int)cc->info->status, st, sizeof st),
                   body_name((int)cc->info->body, body, sizeof body));
            for (size_t i = 0; i < cc->n_sections; i++) {
                putchar('\n');
                record_lines(cc->sections[i]);
            }
        }
        council__v1__case_content__free_unpacked(cc, wiping());
    }
    council_buf_free(&buf);
    return rc;
}

/* case share and disclose; with --dry-run, the decision alone. */
static int case_share(council *c, const case_opts *o, case_args *a)
{
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    council_buf why = { NULL, 0 };
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
    so.expires = a->expires;
    if (!o->dry_run) {
        rc = council_case_share(c, a->id, sizeof a->id, a->member, sizeof a->member, &so);
        if (rc == COUNCIL_OK)
            fprintf(stderr, ngettext("%s: shared %zu scope with member %s\n",
                                     "%s: shared %zu scopes with member %s\n", o->n_scope),
                    prog, o->n_scope, o->member);
        return rc;
    }
    rc = council_case_share_check(c, &why, a->id, sizeof a->id, a->member, sizeof a->member, &so);
    /* A refusal is an answer, not a failure: it goes to standard output. */
    if ((rc == COUNCIL_OK || rc == COUNCIL_ENOCONSENT) && why.ptr != NULL) {
        const char *reason = (const char *)why.ptr;
        int allowed = rc == COUNCIL_OK;
        if (o->json) {
            json_t *j = json_object();
            json_object_set_new(j, "allowed", json_boolean(allowed));
            json_object_set_new(j, "reason", json_string(reason));
            rc = print_json(j) != 0 ? EXIT_FAILURE : allowed ? COUNCIL_OK : EXIT_DENIED;
        } else {
            printf("%s: %s\n", allowed ? "allowed" : "refused", reason);
            rc = allowed ? COUNCIL_OK : EXIT_DENIED;
        }
    }
    council_buf_free(&why);
    return rc;
}

static int case_list(council *c, const case_opts *o)
{
    council_buf buf = { NULL, 0 };
    Council__V1__CaseList *l = NULL;
    int rc = council_case_list(c, &buf);

    l = unpack_reply(&council__v1__case_list__descriptor, &buf, &rc);
    if (rc == COUNCIL_OK && o->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l->n_cases; i++)
            json_array_append_new(arr, case_info_json(l->cases[i], 0, NULL));
        rc = print_json(arr) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    } else if (rc == COUNCIL_OK) {
        printf("%s  %s  %s  %s  %s  %s  %s  %s\n", col(_("ID"), -36), col(_("STATUS"), -10),
               col(_("BODY"), -21), col(_("OWNER"), -36), col(_("CREATED"), -20),
               col(_("PERSONS"), 7), col(_("SECTIONS"), 8), col(_("SHARES"), 6));
        for (size_t i = 0; i < l->n_cases; i++) {
            const Council__V1__CaseInfo *ci = l->cases[i];
            char st[32], body[48], owner[37], t[32];
            time_text(t, sizeof t, ci->created);
            printf("%-36s  %-10s  %-21s  %-36s  %-20s  %7zu  %8zu  %6zu\n", ci->id_text,
                   status_name((int)ci->status, st, sizeof st), body_name((int)ci->body, body, sizeof body),
                   id_of(owner, ci->owner_member), t, ci->n_persons, ci->n_sections,
                   active_shares(ci));
        }
    }
    council__v1__case_list__free_unpacked(l, NULL);
    council_buf_free(&buf);
    return rc;
}

static int case_find(council *c, const case_opts *o)
{
    council_buf buf = { NULL, 0 };
    Council__V1__CaseMatches *m = NULL;
    int rc = council_case_find(c, &buf, o->name, o->birth_date);

    m = unpack_reply(&council__v1__case_matches__descriptor, &buf, &rc);
    if (rc == COUNCIL_OK && o->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < m->n_matches; i++) {
            json_t *j = json_object();
            json_object_set_new(j, "case_id", id_json(m->matches[i]->case_id));
            json_object_set_new(j, "person_id", id_json(m->matches[i]->person_id));
            json_object_set_new(j, "owner", id_json(m->matches[i]->owner_member));
            json_object_set_new(j, "name_matches", json_boolean(m->matches[i]->name_matches));
            json_object_set_new(j, "birth_date_matches",
                                json_boolean(m->matches[i]->birth_date_matches));
            json_array_append_new(arr, j);
        }
        rc = print_json(arr) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    } else if (rc == COUNCIL_OK && m->n_matches == 0) {
        fprintf(stderr, _("%s: no matches\n"), prog);
    } else if (rc == COUNCIL_OK) {
        printf("%s  %s  %s  %s  %s\n", col(_("CASE"), -36), col(_("PERSON"), -36),
               col(_("OWNER"), -36), col(_("NAME"), -4), _("BIRTH DATE"));
        for (size_t i = 0; i < m->n_matches; i++) {
            char t1[37], t2[37], t3[37];
            printf("%-36s  %-36s  %-36s  %-4s  %s\n", id_of(t1, m->matches[i]->case_id),
                   id_of(t2, m->matches[i]->person_id), id_of(t3, m->matches[i]->owner_member),
                   m->matches[i]->name_matches ? "yes" : "no",
                   m->matches[i]->birth_date_matches ? "yes" : "no");
        }
    }
    council__v1__case_matches__free_unpacked(m, NULL);
    council_buf_free(&buf);
    return rc;
}

static int do_case(const case_opts *o, int cmd, const char *id_text, const char *arg)
{
    council *c = NULL;
    case_args a;
    int rc;

    memset(&a, 0, sizeof a);
    if ((rc = case_check_args(o, cmd, id_text, arg, &a)) != 0)
        return rc;
    if ((rc = open_council(o->g, &c)) != 0)
        goto out;
    switch (cmd) {
    case C_CCREATE:
        rc = case_create(c, o, &a);
        break;
    case C_CADDP: {
        uint8_t person[COUNCIL_ID_BYTES];
        rc = council_case_add_person(c, person, sizeof person, a.id, sizeof a.id, a.role);
        if (rc == COUNCIL_OK) {
            char t[37];
            uuid_text_of(t, person);
            if (print_new_id(o->json, "person_id", t) != 0)
                rc = EXIT_FAILURE;
        }
        break;
    }
    case C_CUPDATE:
        rc = case_update(c, o, &a);
        break;
    case C_CSHOW: case C_CHISTORY:
        rc = case_show(c, o, &a, cmd);
        break;
    case C_CLIST:
        rc = case_list(c, o);
        break;
    case C_CINFO: {
        Council__V1__CaseInfo *ci = fetch_case(c, a.id, &rc);
        member_names names = { NULL };
        if (ci != NULL)
            member_names_load(c, &names);
        if (ci != NULL && o->json)
            rc = print_json_wiped(case_info_json(ci, 1, &names)) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        else if (ci != NULL)
            case_info_lines(ci, &names);
        member_names_free(&names);
        council__v1__case_info__free_unpacked(ci, NULL);
        break;
    }
    case C_CSHARE: case C_DISCLOSE:
        rc = case_share(c, o, &a);
        break;
    case C_CREVOKE:
        rc = council_case_revoke(c, a.id, sizeof a.id, a.member, sizeof a.member,
                                 o->n_scope > 0 ? o->scope : NULL, o->n_scope, o->reason);
        if (rc == COUNCIL_OK)
            fprintf(stderr, _("%s: share revoked; the data keys were rotated\n"), prog);
        break;
    case C_CERASE:
        rc = council_case_erase(c, a.id, sizeof a.id, o->reason);
        if (rc == COUNCIL_OK)
            fprintf(stderr, _("%s: case %s erased\n"), prog, id_text);
        break;
    case C_CFIND:
        rc = case_find(c, o);
        break;
    case C_CSTATUS:
        rc = council_case_set_status(c, a.id, sizeof a.id, a.status);
        break;
    default: /* C_CREKEY */
        progress_start(_("re-encrypting the case"), o->quiet);
        rc = council_case_rekey(c, a.id, sizeof a.id);
        progress_end();
        if (rc == COUNCIL_OK)
            fprintf(stderr, _("%s: case %s re-encrypted under new keys\n"), prog, id_text);
        break;
    }
    rc = close_council(c, rc, "case");
out:
    if (a.section != NULL) {
        sodium_memzero(a.section, a.section_len);
        free(a.section);
    }
    return rc;
}

/* ------------------------------------------------------------ commands */

/* Parse the command's options and run it. */
static int run(cli_ctx *x, int argc, char **argv, const cli_spec *s, int cmd)
{
    const char *pos[CLI_MAX_POS];
    case_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, s, &o, pos);

    if (rc != 0)
        return CLI_PARSED(rc);
    FIRSTS(o);
    return do_case(&o, cmd, pos[0], pos[1]);
}

static const cli_help create_help = {
    "[--owner ID] [--body BODY] [--anonymous] [--json]",
    N_("Opens a case and prints two bare ids, one a line: the case's id first, then\n"
    "its person supported's id.\n"
    "\n"
    "Options:\n"
    "  --owner ID             the member that owns it (default: the session's)\n"
    "  --body BODY            council, support_meeting or needs_of_poor_meeting\n"
    "  --anonymous            anonymous intake (a hotline or chat contact): the person\n"
    "                         has no name and is never found by name\n"
    "  --json                 {\"case_id\": ID, \"person_id\": ID}\n"),
    "  council-cli --store ./council case create --staff \"$SATO\" --keyfile npo.keyfile\n",
};

static const cli_opt create_opts[] = {
    OPT_STR("owner", case_opts, owner),
    OPT_STR("body", case_opts, body),
    OPT_FLAG("anonymous", case_opts, anonymous),
    OPT_FLAG("json", case_opts, json),
};
static const cli_spec create_spec = CLI_SPEC(create_opts, create_help, CLI_STORE | CLI_SESSION, 0);

int cmd_case_create(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &create_spec, C_CCREATE);
}

static const cli_help add_person_help = {
    "CASE --role family|close_third_party [--json]",
    N_("Adds a person to the case and prints the person's id (a bare id, one line).\n"
    "\n"
    "Options:\n"
    "  --role ROLE            family or close_third_party\n"
    HELP_JSON_ID("person_id")),
    "  council-cli --store ./council case add-person \"$CASE\" --role family\n",
};

static const cli_opt add_person_opts[] = {
    OPT_STR("role", case_opts, role),
    OPT_FLAG("json", case_opts, json),
};
static const cli_spec add_person_spec =
    CLI_SPEC(add_person_opts, add_person_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_add_person(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &add_person_spec, C_CADDP);
}

static const cli_help update_help = {
    "CASE --scope S [--person P] [--file FILE]",
    N_("Writes a new version of one section of the case from section JSON (the shape\n"
    "of council.v1.Section).\n"
    "\n"
    "Options:\n"
    "  --scope S              the section's scope\n"
    "  --person P             the person (default: the person supported)\n"
    "  --file FILE            the section JSON (default '-': standard input)\n"),
    "  council-cli --store ./council case update \"$CASE\" --scope identity \\\n"
    "      --file identity.json\n",
};

static const cli_opt update_opts[] = {
    OPT_LIST("scope", case_opts, scope, n_scope, MAX_SCOPES),
    OPT_STR("person", case_opts, person),
    OPT_STR("file", case_opts, file),
};
static const cli_spec update_spec = CLI_SPEC(update_opts, update_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_update(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &update_spec, C_CUPDATE);
}

static const cli_help show_help = {
    "CASE [--scope S [--person P]] --purpose CODE [--json]",
    N_("Reads the case (every section the reader may see), or one section; the read\n"
    "and its purpose are logged.\n"
    "\n"
    "Options:\n"
    "  --scope S              only this section\n"
    "  --person P             the person (default: the person supported)\n"
    "  --purpose CODE         why it is read: support_coordination, referral,\n"
    "                         joint_support, meeting_discussion or statistics\n"
    "  --json                 as JSON\n"),
    "  council-cli --store ./council case show \"$CASE\" --purpose support_coordination\n",
};

static const cli_opt read_opts[] = {
    OPT_LIST("scope", case_opts, scope, n_scope, MAX_SCOPES),
    OPT_STR("person", case_opts, person),
    OPT_LIST("purpose", case_opts, purposes, n_purpose, 1),
    OPT_FLAG("json", case_opts, json),
};
static const cli_spec show_spec = CLI_SPEC(read_opts, show_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_show(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &show_spec, C_CSHOW);
}

static const cli_help history_help = {
    "CASE --scope S [--person P] --purpose CODE [--json]",
    N_("Reads every version of one section, oldest first.\n"
    "\n"
    "Options:\n"
    "  --scope S              the section\n"
    "  --person P             the person (default: the person supported)\n"
    "  --purpose CODE         why it is read: support_coordination, referral,\n"
    "                         joint_support, meeting_discussion or statistics\n"
    "  --json                 as a JSON array\n"),
    "  council-cli --store ./council case history \"$CASE\" --scope wishes --purpose support_coordination\n",
};

static const cli_spec history_spec = CLI_SPEC(read_opts, history_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_history(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &history_spec, C_CHISTORY);
}

static const cli_help list_help = {
    "[--json]",
    N_("Lists the cases the reader may see: id, status, body, owner, created, and the\n"
    "numbers of persons, sections and active shares.\n"
    "\n"
    "Options:\n"
    "  --json                 as a JSON array\n"),
    "  council-cli --store ./council case list\n",
};

static const cli_opt json_opts[] = {
    OPT_FLAG("json", case_opts, json),
};
static const cli_spec list_spec = CLI_SPEC(json_opts, list_help, CLI_STORE | CLI_SESSION, 0);

int cmd_case_list(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &list_spec, C_CLIST);
}

static const cli_help info_help = {
    "CASE [--json]",
    N_("Shows the case's metadata: persons, sections (not their content) and shares.\n"
    "\n"
    "Options:\n"
    "  --json                 as a JSON object\n"),
    "  council-cli --store ./council case info \"$CASE\"\n",
};

static const cli_spec info_spec = CLI_SPEC(json_opts, info_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_info(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &info_spec, C_CINFO);
}

static const cli_help share_help = {
    "CASE --member ID --scope S [--scope S]... --purpose CODE --basis CODE [--purpose-text TEXT] [--reason TEXT] [--consent UUID] [--second-approver STAFF] [--expires T]",
    N_("Shares scopes of the case with a member, if the policy allows it (logged\n"
    "either way).\n"
    "\n"
    "Options:\n"
    HELP_SHARE_WITH
    HELP_SHARE_GROUNDS
    HELP_SHARE_EXPIRES
    "\n"
    HELP_PURPOSES_BASIS),
    "  council-cli --store ./council case share \"$CASE\" --member \"$SHAKYO\" --scope wishes \\\n"
    "      --purpose support_coordination --basis consent --consent \"$CONSENT\"\n",
};

/* The options of a share: case share's, and disclose's before its own. */
#define SHARE_OPTS                                               \
    OPT_LIST("member", case_opts, members, n_member, 1),         \
    OPT_STR("reason", case_opts, reason),                        \
    OPT_LIST("scope", case_opts, scope, n_scope, MAX_SCOPES),    \
    OPT_STR("purpose-text", case_opts, purpose_text),            \
    OPT_LIST("purpose", case_opts, purposes, n_purpose, 1),      \
    OPT_STR("basis", case_opts, basis),                          \
    OPT_STR("consent", case_opts, consent),                      \
    OPT_STR("expires", case_opts, expires),                      \
    OPT_STR("second-approver", case_opts, second_approver)

static const cli_opt share_opts[] = { SHARE_OPTS };
static const cli_spec share_spec = CLI_SPEC(share_opts, share_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_share(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &share_spec, C_CSHARE);
}

static const cli_help revoke_help = {
    "CASE --member ID [--scope S]... --reason CODE",
    N_("Ends the member's shares of the case (of the scopes given, else all); the\n"
    "case's data keys are rotated.\n"
    "\n"
    "Options:\n"
    "  --member ID            the member\n"
    "  --scope S              a scope (repeatable; default: every scope)\n"
    "  --reason CODE          why\n"),
    "  council-cli --store ./council case revoke \"$CASE\" --member \"$SHAKYO\" \\\n"
    "      --reason support_ended\n",
};

static const cli_opt revoke_opts[] = {
    OPT_LIST("member", case_opts, members, n_member, 1),
    OPT_STR("reason", case_opts, reason),
    OPT_LIST("scope", case_opts, scope, n_scope, MAX_SCOPES),
};
static const cli_spec revoke_spec = CLI_SPEC(revoke_opts, revoke_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_revoke(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &revoke_spec, C_CREVOKE);
}

static const cli_help erase_help = {
    "CASE --reason CODE [--yes]",
    N_("Destroys the case's keys, and so its content, for good: irreversible. The\n"
    "case's metadata and log stay. Asks first on a terminal.\n"
    "\n"
    "Options:\n"
    "  --reason CODE          why (for example person_request)\n"
    HELP_YES),
    "  council-cli --store ./council case erase \"$CASE\" --reason retention_expired --yes\n",
};

static const cli_opt erase_opts[] = {
    OPT_STR("reason", case_opts, reason),
    OPT_FLAG("yes", case_opts, yes),
};
static const cli_spec erase_spec = CLI_SPEC(erase_opts, erase_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_erase(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &erase_spec, C_CERASE);
}

static const cli_help find_help = {
    "--name NAME [--birth-date YYYY-MM-DD] [--json]",
    N_("Finds the cases of a person by the blind index of the name (and birth date).\n"
    "\n"
    "Options:\n"
    "  --name NAME            the person's name (kana and width do not matter)\n"
    "  --birth-date DATE      narrows the search\n"
    "  --json                 as a JSON array\n"),
    "  council-cli --store ./council case find --name \"きたの はるこ\" \\\n"
    "      --birth-date 1948-06-01\n",
};

static const cli_opt find_opts[] = {
    OPT_STR("name", case_opts, name),
    OPT_STR("birth-date", case_opts, birth_date),
    OPT_FLAG("json", case_opts, json),
};
static const cli_spec find_spec = CLI_SPEC(find_opts, find_help, CLI_STORE | CLI_SESSION, 0);

int cmd_case_find(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &find_spec, C_CFIND);
}

static const cli_help status_help = {
    "CASE open|monitoring|closed",
    N_("Sets the case's status (erasure is case erase).\n"),
    "  council-cli --store ./council case status \"$CASE\" monitoring\n",
};

static const cli_spec status_spec = CLI_SPEC_NO_OPTS(status_help, CLI_STORE | CLI_SESSION, 2);

int cmd_case_status(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &status_spec, C_CSTATUS);
}

static const cli_help rekey_help = {
    "CASE [--quiet]",
    N_("Re-encrypts the case's sections under new data keys.\n"
    "\n"
    "Options:\n"
    HELP_QUIET),
    "  council-cli --store ./council case rekey \"$CASE\"\n",
};

static const cli_opt rekey_opts[] = {
    OPT_FLAG("quiet", case_opts, quiet),
};
static const cli_spec rekey_spec = CLI_SPEC(rekey_opts, rekey_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_rekey(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &rekey_spec, C_CREKEY);
}

static const cli_help disclose_help = {
    "CASE --member ID --scope S [--scope S]... --purpose CODE --basis CODE [--purpose-text TEXT] [--reason TEXT] [--consent UUID] [--second-approver STAFF] [--expires T] [--dry-run [--json]]",
    N_("Case share; with --dry-run, only the policy's decision, on standard output:\n"
    "'allowed: REASON' (exit 0) or 'refused: REASON' (exit 4).\n"
    "\n"
    "Options:\n"
    HELP_SHARE_WITH
    HELP_SHARE_GROUNDS
    HELP_SHARE_EXPIRES
    "  --dry-run              decide only\n"
    "  --json                 the decision as a JSON object (with --dry-run)\n"
    "\n"
    HELP_PURPOSES_BASIS),
    "  council-cli --store ./council disclose \"$CASE\" --member \"$SHAKYO\" --scope wishes \\\n"
    "      --purpose support_coordination --basis consent --consent \"$CONSENT\" --dry-run\n",
};

static const cli_opt disclose_opts[] = {
    SHARE_OPTS,
    OPT_FLAG("json", case_opts, json),
    OPT_FLAG("dry-run", case_opts, dry_run),
};
static const cli_spec disclose_spec =
    CLI_SPEC(disclose_opts, disclose_help, CLI_STORE | CLI_SESSION, 1);

int cmd_disclose(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &disclose_spec, C_DISCLOSE);
}
