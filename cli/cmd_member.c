/*
 * cmd_member.c - the register of members (構成機関等): member add, list,
 * show, update, withdraw, keygen, register-key, and members announce.
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
#include "open.h"
#include "text.h"
#include "util.h"
#include "vocab.h"

typedef struct member_opts {
    const cli_global *g;
    const char *name, *kind, *roles, *scopes, *contact, *joined, *reason, *date;
    const char *member_pass_file, *out, *box_key, *sign_key;
    const char *cases_to;
    unsigned long long kdf_ops, kdf_mem;
    int json, yes, replace, weak_ok;
} member_opts;

enum { C_MADD = 1 << 0, C_MLIST = 1 << 1, C_MSHOW = 1 << 2, C_MUPDATE = 1 << 3, C_MWITHDRAW = 1 << 4, C_MKEYGEN = 1 << 5, C_MREGISTER = 1 << 6, C_ANNOUNCE = 1 << 7 };

static int parse_roles(const char *text, uint32_t *roles)
{
    const char *v[4];
    char buf[128];
    size_t n;

    *roles = 0;
    if (split_list(text, buf, sizeof buf, v, 4, &n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i], "secretariat") == 0)
            *roles |= COUNCIL_ROLE_SECRETARIAT;
        else if (strcmp(v[i], "coordinating_body") == 0)
            *roles |= COUNCIL_ROLE_COORDINATING_BODY;
        else if (strcmp(v[i], "none") != 0)
            return -1;
    }
    return 0;
}

static const char *kind_name(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__member_kind__descriptor, "MEMBER_KIND_", v, buf, n);
}

static Council__V1__Member *fetch_member(council *c, const uint8_t id[COUNCIL_ID_BYTES], int *rc)
{
    council_buf buf = { NULL, 0 };
    Council__V1__Member *m = NULL;

    *rc = council_member_get(c, &buf, id, COUNCIL_ID_BYTES);
    m = unpack_reply(&council__v1__member__descriptor, &buf, rc);
    council_buf_free(&buf);
    return m;
}

/* Fill options from the command line over `base` (NULL: a new member). */
static int member_options(const member_opts *o, const Council__V1__Member *base,
                          council_member_options *mo, const char **scopes, char *scope_buf,
                          size_t scope_buf_len)
{
    if (base != NULL) {
        mo->name = base->name;
        mo->kind = base->kind;
        mo->roles = (base->secretariat ? COUNCIL_ROLE_SECRETARIAT : 0) |
                    (base->coordinating_body ? COUNCIL_ROLE_COORDINATING_BODY : 0);
        mo->scopes = (const char *const *)base->scope_ceiling;
        mo->n_scopes = base->n_scope_ceiling;
        mo->contact = base->contact;
    }
    if (o->name != NULL)
        mo->name = o->name;
    if (o->kind != NULL &&
        (mo->kind = enum_value(&council__v1__member_kind__descriptor, "MEMBER_KIND_", o->kind)) == 0)
        return usage(_("--kind: unknown kind '%s'"), o->kind);
    if (o->roles != NULL && parse_roles(o->roles, &mo->roles) != 0)
        return usage(_("--roles: secretariat, coordinating_body or none, not '%s'"), o->roles);
    if (o->scopes != NULL) {
        if (split_list(o->scopes, scope_buf, scope_buf_len, scopes, MAX_SCOPES, &mo->n_scopes) != 0)
            return usage(_("--scopes: at most %d, comma-separated"), MAX_SCOPES);
        mo->scopes = scopes;
    }
    if (o->contact != NULL)
        mo->contact = o->contact[0] != '\0' ? o->contact : NULL;
    if (o->joined != NULL && time_arg("--joined", o->joined, TIME_START, &mo->joined) != 0)
        return EXIT_USAGE;
    return 0;
}

static json_t *member_json(const Council__V1__Member *m)
{
    json_t *j = json_object(), *sc = json_array();
    char kind[48], t[32], hex[65];

    json_object_set_new(j, "id", json_string(m->id_text));
    json_object_set_new(j, "name", json_string(m->name));
    json_object_set_new(j, "kind", json_string(kind_name(m->kind, kind, sizeof kind)));
    json_object_set_new(j, "secretariat", json_boolean(m->secretariat));
    json_object_set_new(j, "coordinating_body", json_boolean(m->coordinating_body));
    for (size_t i = 0; i < m->n_scope_ceiling; i++)
        json_array_append_new(sc, json_string(m->scope_ceiling[i]));
    json_object_set_new(j, "scope_ceiling", sc);
    if (m->contact != NULL)
        json_object_set_new(j, "contact", json_string(m->contact));
    time_text(t, sizeof t, m->joined);
    json_object_set_new(j, "joined", json_string(t));
    json_object_set_new(j, "status", json_string(
        m->status == COUNCIL__V1__MEMBER_STATUS__MEMBER_STATUS_WITHDRAWN ? "withdrawn" : "active"));
    if (m->has_withdrawn) {
        time_text(t, sizeof t, m->withdrawn);
        json_object_set_new(j, "withdrawn", json_string(t));
        json_object_set_new(j, "withdrawal_reason", json_string(m->withdrawal_reason));
    }
    if (m->has_box_public_key && m->box_public_key.len == 32) {
        hex_text(hex, m->box_public_key.data, 32);
        json_object_set_new(j, "box_public_key", json_string(hex));
        hex_text(hex, m->sign_public_key.data, 32);
        json_object_set_new(j, "sign_public_key", json_string(hex));
    }
    if (m->cosigner_key != NULL)
        json_object_set_new(j, "cosigner_key", json_string(m->cosigner_key));
    return j;
}


static void member_lines(const Council__V1__Member *m)
{
    char kind[48], t[32], hex[65];

    printf(_("id:                 %s\n"), m->id_text);
    printf(_("name:               %s\n"), m->name);
    printf(_("kind:               %s\n"), kind_name(m->kind, kind, sizeof kind));
    printf(_("roles:              %s%s%s\n"), m->secretariat ? "secretariat" : "",
           m->secretariat && m->coordinating_body ? "," : "",
           m->coordinating_body ? "coordinating_body" : (m->secretariat ? "" : "-"));
    printf(_("scope ceiling:      "));
    for (size_t i = 0; i < m->n_scope_ceiling; i++)
        printf("%s%s", i ? "," : "", m->scope_ceiling[i]);
    printf("%s\n", m->n_scope_ceiling == 0 ? "-" : "");
    printf(_("contact:            %s\n"), m->contact != NULL ? m->contact : "-");
    time_text(t, sizeof t, m->joined);
    printf(_("joined:             %s\n"), t);
    printf(_("status:             %s\n"),
           m->status == COUNCIL__V1__MEMBER_STATUS__MEMBER_STATUS_WITHDRAWN ? "withdrawn" : "active");
    if (m->has_withdrawn) {
        time_text(t, sizeof t, m->withdrawn);
        printf(_("withdrawn:          %s (%s)\n"), t, m->withdrawal_reason);
    }
    if (m->has_box_public_key && m->box_public_key.len == 32) {
        hex_text(hex, m->box_public_key.data, 32);
        printf(_("box public key:     %s\n"), hex);
        hex_text(hex, m->sign_public_key.data, 32);
        printf(_("sign public key:    %s\n"), hex);
    } else {
        printf(_("keys:               none registered\n"));
    }
    if (m->cosigner_key != NULL)
        printf(_("cosigner key:       %s\n"), m->cosigner_key);
}

/* member keygen on a member that has keys: only with --replace, and
 * confirmed (the old keyfile stops working). 0 to go on, an exit status
 * (> 0) after a message, or a library error (< 0). */
static int keygen_replace_check(council *c, const member_opts *o,
                                const uint8_t id[COUNCIL_ID_BYTES], const char *id_text)
{
    Council__V1__Member *m;
    int rc, has_keys;

    if ((m = fetch_member(c, id, &rc)) == NULL)
        return rc != COUNCIL_OK ? rc : COUNCIL_EFORMAT;
    has_keys = m->has_box_public_key && m->box_public_key.len > 0;
    council__v1__member__free_unpacked(m, NULL);
    if (!has_keys)
        return 0;
    if (!o->replace)
        return usage(_("member %s already has keys: new keys would replace them and its "
                     "old keyfile would stop working; give --replace to replace them"),
                     id_text);
    return confirm_act(o->yes, _("member keygen --replace: member %s gets new keys; its old "
                       "keyfile stops working for every staff member who uses it"), id_text);
}

static int do_member(const member_opts *o, int cmd, const char *id_text)
{
    const char *scopes[MAX_SCOPES];
    char scope_buf[MAX_SCOPES * 65 + 1];
    council_member_options mo = COUNCIL_MEMBER_OPTIONS_INIT;
    Council__V1__Member *m = NULL;
    council_buf buf = { NULL, 0 };
    uint8_t id[COUNCIL_ID_BYTES];
    council *c = NULL;
    int rc;

    if ((cmd & (C_MSHOW | C_MUPDATE | C_MWITHDRAW | C_MKEYGEN | C_MREGISTER)) != 0 &&
        id_arg(id_text, id) != 0)
        return usage("%s", _("a member id (UUID) is needed"));
    if (cmd == C_MADD) {
        if (o->name == NULL || o->kind == NULL)
            return usage("%s", _("member add needs --name NAME and --kind KIND"));
        if ((rc = member_options(o, NULL, &mo, scopes, scope_buf, sizeof scope_buf)) != 0)
            return rc;
    }
    if (cmd == C_MWITHDRAW && o->reason == NULL)
        return usage("%s", _("member withdraw needs --reason TEXT"));
    if (cmd == C_MKEYGEN && o->out == NULL)
        return usage("%s", _("member keygen needs --out FILE"));
    if (cmd == C_MREGISTER && (o->box_key == NULL || o->sign_key == NULL))
        return usage("%s", _("member register-key needs --box-key HEX and --sign-key HEX"));
    if (cmd == C_MWITHDRAW &&
        (rc = confirm_act(o->yes, _("member withdraw: member %s leaves the council; its shares "
                          "end, its data keys are rotated and council.db is re-keyed"),
                          id_text)) != 0)
        return rc;
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;

    switch (cmd) {
    case C_MADD:
        rc = council_member_add(c, id, sizeof id, &mo);
        if (rc == COUNCIL_OK) {
            char text[37];
            uuid_text_of(text, id);
            if (print_new_id(o->json, "member_id", text) != 0)
                rc = EXIT_FAILURE;
        }
        break;
    case C_MUPDATE:
        if ((m = fetch_member(c, id, &rc)) == NULL)
            break;
        if ((rc = member_options(o, m, &mo, scopes, scope_buf, sizeof scope_buf)) != 0) {
            council__v1__member__free_unpacked(m, NULL);
            council_close(c);
            return rc;
        }
        rc = council_member_update(c, id, sizeof id, &mo);
        break;
    case C_MWITHDRAW: {
        int64_t when = 0;
        if (o->date != NULL && time_arg("--date", o->date, TIME_START, &when) != 0) {
            council_close(c);
            return EXIT_USAGE;
        }
        cli_global who;
        uint8_t to[COUNCIL_ID_BYTES];
        int named = o->cases_to != NULL && strcmp(o->cases_to, "coordinating-body") != 0;
        if (named && id_arg(o->cases_to, to) != 0) {
            council_close(c);
            return usage("%s", _("--cases-to needs a member id (UUID) or coordinating-body"));
        }
        rc = council_member_withdraw_ex(c, id, sizeof id, when, o->reason, named ? to : NULL,
                                        named ? sizeof to : 0);
        /* Then the database key the member knew is replaced (this ends
         * other open sessions, which a one-shot command does not have):
         * that takes the council passphrase, which a person of the
         * secretariat does not hold. */
        open_who(o->g, &who);
        if (rc == COUNCIL_OK && (who.staff != NULL || who.keyfile != NULL))
            fprintf(stderr, _("%s: member withdrawn; its shares ended and its data keys were "
                              "rotated. council.db still opens with the database key it knew: "
                              "re-key it with the council passphrase soon (council-cli "
                              "--root-reason key_management --root-note TEXT rekey database)\n"),
                    prog);
        else if (rc == COUNCIL_OK && (rc = council_rekey_database(c)) == COUNCIL_OK)
            fprintf(stderr, _("council-cli: member withdrawn; its data keys were rotated and "
                            "council.db re-keyed\n"));
        break;
    }
    case C_MREGISTER: {
        uint8_t box[32], sign[32];
        if (hex_bytes(o->box_key, box, 32) != 0 || hex_bytes(o->sign_key, sign, 32) != 0) {
            council_close(c);
            return usage("%s", _("--box-key and --sign-key take 64 hex digits each"));
        }
        rc = council_member_register_key(c, id, sizeof id, box, 32, sign, 32);
        break;
    }
    case C_MKEYGEN: {
        char pass[PASS_BUF];
        tmp_out t = { "", "" };
        struct stat sb;
        int to_stdout;
        long n;
        /* The library writes the keyfile durably before the new keys
         * replace the registered ones (a crash keeps the old ones valid);
         * an existing FILE is refused before the passphrase is asked. */
        if (strcmp(o->out, "-") != 0 && lstat(o->out, &sb) == 0) {
            fprintf(stderr, _("%s: cannot create %s: %s\n"), prog, o->out, strerror(EEXIST));
            council_close(c);
            return EXIT_FAILURE;
        }
        if ((rc = keygen_replace_check(c, o, id, id_text)) != 0) {
            rc = rc > 0 ? rc : failed("member", c, rc);
            council_close(c);
            return rc;
        }
        /* In a person's session $COUNCIL_MEMBER_PASSPHRASE is that person's
         * own member's passphrase: never taken for the new keys. */
        {
            cli_global who;
            open_who(o->g, &who);
            if (o->member_pass_file == NULL && (who.staff != NULL || who.keyfile != NULL) &&
                getenv("COUNCIL_MEMBER_PASSPHRASE") != NULL) {
                council_close(c);
                return usage("%s", _("in a staff session $COUNCIL_MEMBER_PASSPHRASE is your own "
                                     "member's passphrase: give the new keys' passphrase with "
                                     "--member-passphrase-file FILE or on the terminal"));
            }
        }
        n = get_passphrase(o->member_pass_file, "COUNCIL_MEMBER_PASSPHRASE", 1,
                           _("Member passphrase: "), pass, sizeof pass);
        if (n < 0) {
            council_close(c);
            return n == -2 ? usage("%s", _("no member passphrase: use --member-passphrase-file, "
                                         "$COUNCIL_MEMBER_PASSPHRASE or a terminal"))
                           : EXIT_FAILURE;
        }
        if ((rc = check_new_passphrase(pass, (size_t)n, NULL, 0, o->weak_ok,
                                       _("the member passphrase"))) != 0) {
            sodium_memzero(pass, sizeof pass);
            council_close(c);
            return rc;
        }
        /* The library writes a path: for standard output (the keyfile is
         * encrypted), a private temporary file, copied out and removed. */
        to_stdout = strcmp(o->out, "-") == 0;
        if (to_stdout && tmp_out_make(&t) != 0) {
            sodium_memzero(pass, sizeof pass);
            council_close(c);
            return EXIT_FAILURE;
        }
        rc = council_member_keygen_file(c, to_stdout ? t.path : o->out, id, sizeof id,
                                        (const uint8_t *)pass, (size_t)n, o->kdf_ops, o->kdf_mem);
        sodium_memzero(pass, sizeof pass);
        if (rc == COUNCIL_OK && to_stdout && tmp_out_copy(&t) != 0)
            rc = EXIT_FAILURE;
        if (to_stdout)
            tmp_out_remove(&t);
        if (rc == COUNCIL_OK)
            fprintf(stderr, _("%s: member keyfile written to %s\n"), prog,
                    to_stdout ? "standard output" : o->out);
        break;
    }
    case C_MSHOW:
        if ((m = fetch_member(c, id, &rc)) != NULL) {
            if (o->json)
                rc = print_json(member_json(m)) == 0 ? COUNCIL_OK : COUNCIL_ERROR;
            else
                member_lines(m);
        }
        break;
    case C_MLIST: {
        Council__V1__MemberList *l = NULL;
        rc = council_member_list(c, &buf);
        l = unpack_reply(&council__v1__member_list__descriptor, &buf, &rc);
        if (rc == COUNCIL_OK && o->json) {
            json_t *arr = json_array();
            for (size_t i = 0; i < l->n_members; i++)
                json_array_append_new(arr, member_json(l->members[i]));
            rc = print_json(arr) == 0 ? COUNCIL_OK : COUNCIL_ERROR;
        } else if (rc == COUNCIL_OK) {
            printf("%s  %s  %s  %s  %s\n", col(_("ID"), -36), col(_("STATUS"), -9),
                   col(_("KIND"), -26), col(_("ROLE"), -4), _("NAME"));
            for (size_t i = 0; i < l->n_members; i++) {
                const Council__V1__Member *e = l->members[i];
                char kind[48];
                printf("%-36s  %-9s  %-26s  %-4s  %s\n", e->id_text,
                       e->status == COUNCIL__V1__MEMBER_STATUS__MEMBER_STATUS_WITHDRAWN ? "withdrawn"
                                                                                        : "active",
                       kind_name(e->kind, kind, sizeof kind),
                       e->coordinating_body ? "CB" : e->secretariat ? "S" : "-", e->name);
            }
        }
        council__v1__member_list__free_unpacked(l, NULL);
        break;
    }
    default: { /* C_ANNOUNCE */
        Council__V1__Announcement *a = NULL;
        rc = council_members_announce(c, &buf);
        a = unpack_reply(&council__v1__announcement__descriptor, &buf, &rc);
        if (rc == COUNCIL_OK && o->json) {
            json_t *j = json_object(), *arr = json_array();
            json_object_set_new(j, "council", json_string(a->council_name));
            json_object_set_new(j, "coordinating_body",
                                a->coordinating_body ? json_string(a->coordinating_body) : json_null());
            for (size_t i = 0; i < a->n_members; i++)
                json_array_append_new(arr, json_string(a->members[i]));
            json_object_set_new(j, "members", arr);
            rc = print_json(j) == 0 ? COUNCIL_OK : COUNCIL_ERROR;
        } else if (rc == COUNCIL_OK) {
            printf("%s\n", a->council_name);
            printf(_("調整機関 (coordinating body): %s\n"),
                   a->coordinating_body ? a->coordinating_body : "-");
            printf(_("構成機関等 (members):\n"));
            for (size_t i = 0; i < a->n_members; i++)
                printf("  %s\n", a->members[i]);
        }
        council__v1__announcement__free_unpacked(a, NULL);
        break;
    }
    }
    if (m != NULL)
        council__v1__member__free_unpacked(m, NULL);
    council_buf_free(&buf);
    return close_council(c, rc, "member");
}

/* ------------------------------------------------------------ commands */

/* Parse the command's options and run it. */
static int run(cli_ctx *x, int argc, char **argv, const cli_spec *s, int cmd)
{
    const char *pos[CLI_MAX_POS];
    member_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, s, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_member(&o, cmd, pos[0]);
}

static const cli_help add_help = {
    "--name NAME --kind KIND [--roles R,...] [--scopes S,...] [--contact TEXT] [--joined T] [--json]",
    N_("Registers a member of the council and prints its id (a bare id, one line).\n"
    "\n"
    "Options:\n"
    HELP_MEMBER_FIELDS
    HELP_JSON_ID("member_id")
    "\n"
    HELP_MEMBER_KINDS),
    "  council-cli --store ./council member add --name \"NPO Tsunagari\" --kind npo \\\n"
    "      --scopes wishes,support_plan\n",
};

/* A member's fields, as member add and member update take them. */
#define MEMBER_FIELD_OPTS \
    OPT_STR("name", member_opts, name), \
    OPT_STR("kind", member_opts, kind), \
    OPT_STR("roles", member_opts, roles), \
    OPT_STR("scopes", member_opts, scopes), \
    OPT_STR("contact", member_opts, contact), \
    OPT_STR("joined", member_opts, joined)

static const cli_opt fields_opts[] = { MEMBER_FIELD_OPTS };
static const cli_opt add_opts[] = { MEMBER_FIELD_OPTS, OPT_FLAG("json", member_opts, json) };
static const cli_spec add_spec = CLI_SPEC(add_opts, add_help, CLI_STORE | CLI_SESSION, 0);

int cmd_member_add(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &add_spec, C_MADD);
}

static const cli_help list_help = {
    "[--json]",
    N_("Lists the members: id, status, kind, role (S: secretariat, CB: coordinating\n"
    "body) and name.\n"
    "\n"
    "Options:\n"
    "  --json                 as a JSON array\n"),
    "  council-cli --store ./council member list\n",
};

static const cli_opt json_opts[] = {
    OPT_FLAG("json", member_opts, json),
};
static const cli_spec list_spec = CLI_SPEC(json_opts, list_help, CLI_STORE | CLI_SESSION, 0);

int cmd_member_list(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &list_spec, C_MLIST);
}

static const cli_help show_help = {
    "ID [--json]",
    N_("Shows one member: its kind, roles, scope ceiling, contact, status and keys.\n"
    "\n"
    "Options:\n"
    "  --json                 as a JSON object\n"),
    "  council-cli --store ./council member show 6f0e...-...\n",
};

static const cli_spec show_spec = CLI_SPEC(json_opts, show_help, CLI_STORE | CLI_SESSION, 1);

int cmd_member_show(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &show_spec, C_MSHOW);
}

static const cli_help update_help = {
    "ID [--name NAME] [--kind KIND] [--roles R,...] [--scopes S,...] [--contact TEXT] [--joined T]",
    N_("Changes what the options give; the rest stays.\n"
    "\n"
    "Options:\n"
    HELP_MEMBER_FIELDS
    "\n"
    HELP_MEMBER_KINDS),
    "  council-cli --store ./council member update \"$NPO\" --contact \"tel 011-000-0000\"\n",
};

static const cli_spec update_spec = CLI_SPEC(fields_opts, update_help, CLI_STORE | CLI_SESSION, 1);

int cmd_member_update(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &update_spec, C_MUPDATE);
}

static const cli_help withdraw_help = {
    "ID --reason TEXT [--date T] [--cases-to MEMBER|coordinating-body] [--yes]",
    N_("Records that the member left the council; the cases it owns move first (see\n"
    "`member cases`), its shares end, its data keys are\n"
    "rotated and, with the council passphrase, council.db is re-keyed (a person of\n"
    "the secretariat is told to run `rekey database` with it). Asks first on a\n"
    "terminal.\n"
    "\n"
    "Options:\n"
    "  --reason TEXT          why\n"
    "  --date T               when (default: now)\n"
    "  --cases-to MEMBER      the member its cases go to (through the disclosure\n"
    "                         decision, basis council_art16_exchange); or\n"
    "                         coordinating-body (the default): the member holding the\n"
    "                         coordinating body's role (else the secretariat's)\n"
    HELP_YES),
    "  council-cli --store ./council member withdraw \"$MEMBER\" --reason \"term ended\" \\\n"
    "      --yes\n",
};

static const cli_opt withdraw_opts[] = {
    OPT_STR("cases-to", member_opts, cases_to),
    OPT_STR("reason", member_opts, reason),
    OPT_STR("date", member_opts, date),
    OPT_FLAG("yes", member_opts, yes),
};
static const cli_spec withdraw_spec = CLI_SPEC(withdraw_opts, withdraw_help, CLI_STORE | CLI_SESSION, 1);

int cmd_member_withdraw(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &withdraw_spec, C_MWITHDRAW);
}

static const cli_help keygen_help = {
    "ID --out FILE [--member-passphrase-file FILE] [--replace [--yes]] "
    "[--weak-passphrase-ok] [--kdf-ops N] [--kdf-mem BYTES]",
    N_("Makes the member's keys and writes its keyfile to FILE (a new file), sealed\n"
    "with the member's passphrase; the public keys are registered. A member that\n"
    "has keys keeps them unless --replace is given: its old keyfile then stops\n"
    "working (asked first on a terminal; --yes in scripts).\n"
    "\n"
    "Options:\n"
    "  --out FILE             the keyfile ('-': standard output; it is sealed)\n"
    "  --member-passphrase-file FILE\n"
    "                         the member's passphrase (else\n"
    "                         $COUNCIL_MEMBER_PASSPHRASE, but not in a staff\n"
    "                         session, where it is the person's own; else the\n"
    "                         terminal)\n"
    "  --replace              replace the keys the member has\n"
    HELP_YES
    HELP_WEAK_OK
    "  --kdf-ops N, --kdf-mem BYTES\n"
    "                         the cost of deriving the key from it\n"),
    "  council-cli --store ./council member keygen \"$NPO\" --out npo.keyfile \\\n"
    "      --member-passphrase-file npo.pass\n",
};

static const cli_opt keygen_opts[] = {
    OPT_STR("member-passphrase-file", member_opts, member_pass_file),
    OPT_U64("kdf-ops", member_opts, kdf_ops),
    OPT_U64("kdf-mem", member_opts, kdf_mem),
    OPT_STR("out", member_opts, out),
    OPT_FLAG("replace", member_opts, replace),
    OPT_FLAG("yes", member_opts, yes),
    OPT_FLAG("weak-passphrase-ok", member_opts, weak_ok),
};
static const cli_spec keygen_spec = CLI_SPEC(keygen_opts, keygen_help, CLI_STORE | CLI_SESSION, 1);

int cmd_member_keygen(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &keygen_spec, C_MKEYGEN);
}

static const cli_help register_help = {
    "ID --box-key HEX --sign-key HEX",
    N_("Registers public keys made elsewhere for the member.\n"
    "\n"
    "Options:\n"
    "  --box-key HEX          the X25519 public key: 64 hex digits\n"
    "  --sign-key HEX         the Ed25519 public key: 64 hex digits\n"),
    "  council-cli --store ./council member register-key \"$NPO\" --box-key 3b6a... \\\n"
    "      --sign-key 9f1c...\n",
};

static const cli_opt register_opts[] = {
    OPT_STR("box-key", member_opts, box_key),
    OPT_STR("sign-key", member_opts, sign_key),
};
static const cli_spec register_spec = CLI_SPEC(register_opts, register_help, CLI_STORE | CLI_SESSION, 1);

int cmd_member_register_key(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &register_spec, C_MREGISTER);
}

static const cli_help announce_help = {
    "[--json]",
    N_("Prints the public announcement: the council, its coordinating body and its\n"
    "members' names.\n"
    "\n"
    "Options:\n"
    "  --json                 as a JSON object\n"),
    "  council-cli --store ./council members announce\n",
};

static const cli_spec announce_spec =
    CLI_SPEC(json_opts, announce_help, CLI_STORE | CLI_SESSION, 0);

int cmd_members_announce(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &announce_spec, C_ANNOUNCE);
}
