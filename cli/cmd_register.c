/*
 * cmd_register.c - the provision register (記録 of third-party provision,
 * APPI arts. 29/30): register show; and the disclosure to an outside party
 * a consent names: outside disclose (issue 16).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "cmds.h"
#include "json.h"
#include "open.h"
#include "text.h"
#include "util.h"

#define REG_FY_MIN 1970
#define REG_FY_MAX 9998
#define REG_SCOPES_MAX 32

typedef struct register_opts {
    const cli_global *g;
    const char *member, *from, *to, *fiscal_year, *consent, *purpose, *purpose_text, *party,
        *seal_key, *out;
    const char *scope[REG_SCOPES_MAX];
    size_t n_scope;
    int json, csv;
} register_opts;

/* ------------------------------------------------------- register show */

static const char *jtext(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s != NULL ? s : "-";
}

/* The readable register: headed with the member and the period, one line
 * a row (date, direction, the other party, the person's pseudonym, scopes,
 * purpose, basis, until, seq). */
static int print_table(const council_buf *b)
{
    json_error_t err;
    json_t *j = json_loadb((const char *)b->ptr, b->len, 0, &err), *rows, *r, *period;
    size_t i;
    char t[64];

    if (j == NULL) {
        fprintf(stderr, _("%s: the register is not JSON\n"), prog);
        return EXIT_FAILURE;
    }
    rows = json_object_get(j, "rows");
    period = json_object_get(j, "period");
    printf(_("Provision register (第三者提供の記録)\n"));
    printf(_("  member: %s\n"), json_is_string(json_object_get(j, "member_id"))
                                    ? jtext(j, "member_id") : _("every member"));
    if (json_is_object(period)) {
        char t2[64];
        time_text(t, sizeof t, (int64_t)json_integer_value(json_object_get(period, "from")));
        time_text(t2, sizeof t2, (int64_t)json_integer_value(json_object_get(period, "to")));
        printf(_("  period: %s up to %s\n"), t, t2);
        if (json_is_integer(json_object_get(period, "fiscal_year")))
            printf(_("  fiscal year: %lld\n"),
                   (long long)json_integer_value(json_object_get(period, "fiscal_year")));
    } else {
        printf("%s", _("  period: all time\n"));
    }
    printf(_("  rows: %zu\n\n"), json_array_size(rows));
    json_array_foreach(rows, i, r) {
        bool provided = strcmp(jtext(r, "direction"), "provided") == 0;
        const json_t *other = json_object_get(r, provided ? "recipient" : "provider");
        const json_t *sc = json_object_get(r, "scopes"), *s;
        size_t k;

        time_text(t, sizeof t, (int64_t)json_integer_value(json_object_get(r, "time")));
        printf("%s  %s  %s\n", t, jtext(r, "member"),
               provided ? _("provided to") : _("received from"));
        printf(_("    %s: %s (%s)\n"), strcmp(jtext(other, "kind"), "outside") == 0
                                           ? _("outside party") : _("member"),
               jtext(other, "name"), jtext(other, "id"));
        printf(_("    person (pseudonym): %s\n"), jtext(r, "case_ref"));
        printf("%s", _("    scopes:"));
        json_array_foreach(sc, k, s)
            printf(" %s", json_string_value(s));
        printf("\n");
        printf(_("    purpose: %s  basis: %s  consent: %s\n"), jtext(r, "purpose"),
               jtext(r, "basis"), jtext(r, "consent_id"));
        if (json_is_integer(json_object_get(r, "until"))) {
            time_text(t, sizeof t, (int64_t)json_integer_value(json_object_get(r, "until")));
            printf(_("    until: %s\n"), t);
        }
        printf(_("    event: %s #%lld\n"), jtext(r, "event"),
               (long long)json_integer_value(json_object_get(r, "seq")));
    }
    json_decref(j);
    return 0;
}

static int do_show(const register_opts *o)
{
    council_provision_options po = COUNCIL_PROVISION_OPTIONS_INIT;
    council_buf buf = { NULL, 0 };
    uint8_t member[16];
    unsigned long long fy = 0;
    council *c;
    int rc;

    if (o->json && o->csv)
        return usage("%s", _("--json or --csv, not both"));
    if (o->member != NULL && id_arg(o->member, member) != 0)
        return EXIT_USAGE;
    if (o->fiscal_year != NULL && (o->from != NULL || o->to != NULL))
        return usage("%s", _("--fiscal-year or --from/--to, not both"));
    if ((o->from != NULL) != (o->to != NULL))
        return usage("%s", _("--from and --to go together"));
    if (o->fiscal_year != NULL &&
        (parse_u64(o->fiscal_year, &fy) != 0 || fy < REG_FY_MIN || fy > REG_FY_MAX))
        return usage(_("--fiscal-year: a year %d to %d (April to March), not '%s'"), REG_FY_MIN,
                     REG_FY_MAX, o->fiscal_year);
    if (o->from != NULL && (time_arg("--from", o->from, TIME_START, &po.from) != 0 ||
                            time_arg("--to", o->to, TIME_END, &po.to) != 0))
        return EXIT_USAGE;
    po.format = o->csv ? COUNCIL_REPORT_CSV : COUNCIL_REPORT_JSON;
    po.fiscal_year = (int32_t)fy;
    if (o->member != NULL) {
        po.member_id = member;
        po.member_id_len = sizeof member;
    }
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    if (o->from != NULL && po.from >= po.to) {
        (void)close_council(c, COUNCIL_OK, "register show");
        return usage("%s", _("--to must be after --from"));
    }
    rc = council_provision_register(c, &buf, &po);
    if (rc != COUNCIL_OK || o->json || o->csv)
        return print_buf_and_close(c, &buf, rc, "register show");
    rc = print_table(&buf);
    council_buf_free(&buf);
    council_close(c);
    return rc;
}

/* ------------------------------------------------------ outside disclose */

static int do_outside(const register_opts *o, const char *case_text)
{
    council_outside_options oo = COUNCIL_OUTSIDE_OPTIONS_INIT;
    council_buf buf = { NULL, 0 };
    uint8_t cid[16], consent[16], party[16], pk[32];
    const char *scopes[REG_SCOPES_MAX];
    council *c;
    int rc, fd;

    if (case_text == NULL || id_arg(case_text, cid) != 0)
        return usage("%s", _("outside disclose needs CASE (a case id)"));
    if (o->consent == NULL || id_arg(o->consent, consent) != 0)
        return usage("%s", _("outside disclose needs --consent ID"));
    if (o->n_scope == 0 || o->purpose == NULL || o->out == NULL)
        return usage("%s", _("outside disclose needs --scope, --purpose and --out FILE"));
    if (o->party != NULL && id_arg(o->party, party) != 0)
        return EXIT_USAGE;
    if (o->seal_key != NULL && (strlen(o->seal_key) != 64 || hex_bytes(o->seal_key, pk, 32) != 0))
        return usage("%s", _("--seal-to: the outside party's X25519 public key, 64 hex digits"));
    for (size_t i = 0; i < o->n_scope; i++)
        scopes[i] = o->scope[i];
    oo.consent_id = consent;
    oo.consent_id_len = sizeof consent;
    oo.scopes = scopes;
    oo.n_scopes = o->n_scope;
    oo.purpose = o->purpose;
    oo.purpose_text = o->purpose_text;
    if (o->party != NULL) {
        oo.party_id = party;
        oo.party_id_len = sizeof party;
    }
    if (o->seal_key != NULL) {
        oo.seal_pk = pk;
        oo.seal_pk_len = sizeof pk;
    }
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    /* The file first (never replacing one): the disclosure is logged
     * only for a file that can be written. */
    if ((fd = create_private(o->out)) < 0) {
        council_close(c);
        return EXIT_FAILURE;
    }
    rc = council_outside_disclose(c, &buf, cid, sizeof cid, &oo);
    if (rc != COUNCIL_OK) {
        (void)close(fd);
        remove_private(o->out);
        return close_council(c, rc, "outside disclose");
    }
    if (finish_private(fd, buf.ptr, buf.len) != 0) {
        fprintf(stderr, _("%s: cannot write %s: %s\n"), prog, o->out, strerror(errno));
        remove_private(o->out);
        council_buf_free(&buf);
        council_close(c);
        return EXIT_FAILURE;
    }
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "file", json_string(o->out));
        json_object_set_new(j, "bytes", json_integer((json_int_t)buf.len));
        json_object_set_new(j, "sealed", json_boolean(o->seal_key != NULL));
        rc = print_json(j);
    } else {
        printf(_("wrote %s (%zu bytes%s)\n"), o->out, buf.len,
               o->seal_key != NULL ? _(", sealed") : "");
        rc = 0;
    }
    council_buf_free(&buf);
    council_close(c);
    return rc;
}

/* ------------------------------------------------------------ commands */

static const cli_help show_help = {
    "[--member M] [--from T --to T | --fiscal-year YYYY] [--json | --csv]",
    N_("Prints the provision register (記録 of third-party provision, APPI arts. 29/30):\n"
    "every provision of a case's data by a member (or by the council on its behalf)\n"
    "to another member or an outside party, and every receipt, read from the audit\n"
    "log. The person is named by the case's pseudonym (case_ref); the secretariat\n"
    "resolves it with `council-cli case resolve`.\n"
    "The secretariat reads every member's; a member's staff only their own member's\n"
    "(--member with their member's id).\n"
    "\n"
    "Options:\n"
    "  --member M             one member's rows (else every member)\n"
    "  --from T --to T        events from T up to T (a date alone: --to includes\n"
    "                         that day), in the council's time zone\n"
    "  --fiscal-year YYYY     April 1 YYYY to March 31 YYYY+1\n"
    "  --json                 the register as JSON\n"
    "  --csv                  the register as CSV\n"),
    "  council-cli --store ./council register show --fiscal-year 2026\n"
    "  council-cli --store ./council register show --member \"$NPO\" --csv\n",
};

static const cli_opt show_opts[] = {
    OPT_STR("member", register_opts, member),
    OPT_STR("from", register_opts, from),
    OPT_STR("to", register_opts, to),
    OPT_STR("fiscal-year", register_opts, fiscal_year),
    OPT_FLAG("json", register_opts, json),
    OPT_FLAG("csv", register_opts, csv),
};
static const cli_spec show_spec = CLI_SPEC(show_opts, show_help, CLI_STORE | CLI_SESSION, 0);

int cmd_register_show(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    register_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &show_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_show(&o);
}

static const cli_help outside_help = {
    "CASE --consent ID --scope S [--scope S ...] --purpose P [--purpose-text T]\n"
    "       [--party ID] [--seal-to HEX] --out FILE [--json]",
    N_("Writes the case's latest sections of the scopes, as a JSON document, for the\n"
    "outside party (an organisation that is not a member) the consent names. The\n"
    "disclosure decision first (the consent active, not withdrawn or expired,\n"
    "covering the scopes and the purpose, naming that party), then the disclosure\n"
    "is logged (outside_disclosure) before the file is written. The case's owner's\n"
    "staff, or the secretariat. It shows in the provision register.\n"
    "\n"
    "Options:\n"
    "  --consent ID           the consent that names the outside party\n"
    "  --scope S              a scope to give (repeat for more)\n"
    "  --purpose P            a purpose code the consent covers\n"
    "  --purpose-text T       what purpose \"other\" means\n"
    "  --party ID             the outside party meant (refused unless the consent\n"
    "                         names it)\n"
    "  --seal-to HEX          seal the document to the party's X25519 public key\n"
    "                         (64 hex digits; opened with crypto_box_seal_open)\n"
    "  --out FILE             the file to write (mode 0600, never replaced; - for\n"
    "                         standard output)\n"
    "  --json                 print what was written as JSON\n"),
    "  council-cli --store ./council --staff \"$STAFF\" --keyfile npo.key outside disclose \\\n"
    "      \"$CASE\" --consent \"$CONSENT\" --scope situation --purpose support_coordination \\\n"
    "      --out disclosure.json\n",
};

static const cli_opt outside_opts[] = {
    OPT_STR("consent", register_opts, consent),
    OPT_LIST("scope", register_opts, scope, n_scope, REG_SCOPES_MAX),
    OPT_STR("purpose", register_opts, purpose),
    OPT_STR("purpose-text", register_opts, purpose_text),
    OPT_STR("party", register_opts, party),
    OPT_STR("seal-to", register_opts, seal_key),
    OPT_STR("out", register_opts, out),
    OPT_FLAG("json", register_opts, json),
};
static const cli_spec outside_spec =
    CLI_SPEC(outside_opts, outside_help, CLI_STORE | CLI_SESSION, 1);

int cmd_outside_disclose(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    register_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &outside_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_outside(&o, pos[0]);
}
