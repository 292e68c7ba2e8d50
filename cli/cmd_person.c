/*
 * cmd_person.c - the person's file (issue 16): person report (JSON, or a
 * printable HTML document from an XSLT template, render.c), and the case's
 * audit pseudonym both ways: case pseudonym, case resolve.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "cli.h"
#include "cmds.h"
#include "json.h"
#include "names.h"
#include "open.h"
#include "render.h"
#include "util.h"

typedef struct person_opts {
    const cli_global *g;
    const char *person, *format, *out, *template_path, *purpose;
    int json;
} person_opts;

/* ---------------------------------------------------------- person report */

static const char *name_member(void *ctx, const char *key, const char *id_text)
{
    const member_names *n = ctx;
    uint8_t id[COUNCIL_ID_BYTES];

    if (strstr(key, "staff") != NULL || id_arg(id_text, id) != 0)
        return NULL; /* members are named; staff stay ids */
    return member_name(n, id, sizeof id);
}

/* Write p to FILE (private, 0600; "-" standard output) or standard output. */
static int write_out(const char *path, const uint8_t *p, size_t n)
{
    int fd;

    if (path == NULL || strcmp(path, "-") == 0) {
        if (fwrite(p, 1, n, stdout) != n || fflush(stdout) != 0) {
            fprintf(stderr, _("%s: cannot write: %s\n"), prog, strerror(errno));
            return EXIT_FAILURE;
        }
        return 0;
    }
    if ((fd = create_private(path)) < 0)
        return EXIT_FAILURE;
    if (finish_private(fd, p, n) != 0) {
        fprintf(stderr, _("%s: cannot write %s: %s\n"), prog, path, strerror(errno));
        remove_private(path);
        return EXIT_FAILURE;
    }
    return 0;
}

static int do_person_report(const person_opts *o, const char *case_text)
{
    council_person_report_options ro = COUNCIL_PERSON_REPORT_OPTIONS_INIT;
    uint8_t cid[COUNCIL_ID_BYTES], pid[COUNCIL_ID_BYTES];
    council_buf buf = { NULL, 0 };
    bool html;
    council *c;
    int rc;

    if (case_text == NULL || id_arg(case_text, cid) != 0)
        return usage("%s", _("a case id (UUID) is needed"));
    if (o->person != NULL && id_arg(o->person, pid) != 0)
        return usage("%s", _("--person needs a person id (UUID)"));
    if (o->json && o->format != NULL && strcmp(o->format, "json") != 0)
        return usage("%s", _("--json is --format json"));
    if (o->format != NULL && strcmp(o->format, "json") != 0 && strcmp(o->format, "html") != 0)
        return usage(_("--format: json or html, not '%s'"), o->format);
    html = (o->format != NULL && strcmp(o->format, "html") == 0) ||
           (o->format == NULL && !o->json && o->template_path != NULL);
    if (o->template_path != NULL && !html)
        return usage("%s", _("--template goes with --format html"));
    if (o->template_path != NULL && access(o->template_path, R_OK) != 0)
        return usage(_("--template: cannot read %s"), o->template_path);
    ro.case_id = cid;
    ro.case_id_len = sizeof cid;
    if (o->person != NULL) {
        ro.person_id = pid;
        ro.person_id_len = sizeof pid;
    }
    ro.purpose = o->purpose;
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    rc = council_person_report(c, &buf, &ro);
    if (rc != COUNCIL_OK)
        return close_council(c, failed("person report", c, rc), "person report");
    if (html) {
        member_names names;
        uint8_t *doc = NULL;
        size_t doc_len = 0;

        member_names_load(c, &names);
        rc = render_person_html(buf.ptr, buf.len, o->template_path, name_member, &names, &doc,
                                &doc_len) != 0
                 ? EXIT_FAILURE
                 : write_out(o->out, doc, doc_len);
        render_free(doc, doc_len);
        member_names_free(&names);
    } else {
        rc = write_out(o->out, buf.ptr, buf.len);
    }
    council_buf_free(&buf);
    return close_council(c, rc, "person report");
}

static const cli_help report_help = {
    "CASE [--person P] [--format json|html | --json] [--template XSL] [--out FILE]\n"
    "       [--purpose CODE]",
    N_("Prints the person's file (開示請求): what the council holds about one person\n"
    "of a case (their own record, the sections about them with every version, their\n"
    "consents and refusals, the case's shares, referrals, requests and tasks), every\n"
    "disclosure of the case and every read of it from the audit log, each with its\n"
    "log number and leaf hash (audit prove checks them). Nothing of another person of\n"
    "the case. Only the secretariat's staff (a named, pledged person: --staff) may\n"
    "produce it; the council passphrase is refused. Producing it is logged.\n"
    "\n"
    "Options:\n"
    "  --person P             a person of the case (default: the person supported)\n"
    "  --format F             json (the default) or html: a printable document in\n"
    "                         Japanese, from the built-in XSLT template\n"
    "  --json                 the same as --format json\n"
    "  --template XSL         render with this XSLT stylesheet instead (html); it\n"
    "                         may read no file and reach no network\n"
    "  --out FILE             write to FILE (created, mode 0600) instead of stdout\n"
    "  --purpose CODE         why it is read (default disclosure_request)\n"),
    "  council-cli --store ./council person report \"$CASE\" --format html \\\n"
    "      --out person.html --staff \"$SEC_STAFF\" --keyfile sec.key\n",
};

static const cli_opt report_opts[] = {
    OPT_STR("person", person_opts, person),
    OPT_STR("format", person_opts, format),
    OPT_FLAG("json", person_opts, json),
    OPT_STR("template", person_opts, template_path),
    OPT_STR("out", person_opts, out),
    OPT_STR("purpose", person_opts, purpose),
};
static const cli_spec report_spec = CLI_SPEC(report_opts, report_help, CLI_STORE | CLI_SESSION, 1);

int cmd_person_report(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    person_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &report_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_person_report(&o, pos[0]);
}

/* ------------------------------------------------- the case's pseudonym */

static int hex32(const char *text, uint8_t out[32])
{
    size_t bin_len = 0;

    if (text == NULL || strlen(text) != 64 ||
        sodium_hex2bin(out, 32, text, 64, NULL, &bin_len, NULL) != 0 || bin_len != 32)
        return -1;
    return 0;
}

static int do_pseudonym(const person_opts *o, const char *arg, bool resolve)
{
    uint8_t id[COUNCIL_ID_BYTES], ref[32];
    char text[65], idt[37];
    council *c;
    int rc;

    if (!resolve && (arg == NULL || id_arg(arg, id) != 0))
        return usage("%s", _("a case id (UUID) is needed"));
    if (resolve && hex32(arg, ref) != 0)
        return usage("%s", _("a case pseudonym (64 hex digits) is needed"));
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    rc = resolve ? council_case_by_pseudonym(c, ref, sizeof ref, id)
                 : council_case_pseudonym(c, id, sizeof id, ref);
    if (rc != COUNCIL_OK)
        return close_council(c, failed(resolve ? "case resolve" : "case pseudonym", c, rc),
                             resolve ? "case resolve" : "case pseudonym");
    hex_text(text, ref, sizeof ref);
    uuid_text_of(idt, id);
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "case", json_string(idt));
        json_object_set_new(j, "pseudonym", json_string(text));
        rc = print_json(j);
    } else {
        rc = printf("%s\n", resolve ? idt : text) > 0 ? 0 : EXIT_FAILURE;
    }
    return close_council(c, rc, resolve ? "case resolve" : "case pseudonym");
}

static const cli_help pseudonym_help = {
    "CASE [--json]",
    N_("Prints the case's audit pseudonym: the case_ref every audit event about the\n"
    "case carries (audit show --case takes it), as 64 hex digits. The secretariat's only.\n"
    "\n"
    "Options:\n"
    "  --json                 {\"case\": ..., \"pseudonym\": ...}\n"),
    "  council-cli --store ./council case pseudonym \"$CASE\"\n",
};

static const cli_opt pseudonym_opts[] = {
    OPT_FLAG("json", person_opts, json),
};
static const cli_spec pseudonym_spec =
    CLI_SPEC(pseudonym_opts, pseudonym_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_pseudonym(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    person_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &pseudonym_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_pseudonym(&o, pos[0], false);
}

static const cli_help resolve_help = {
    "PSEUDONYM [--json]",
    N_("Prints the case whose audit pseudonym (64 hex digits) this is. The\n"
    "secretariat's only; each resolution is logged (case_resolved).\n"
    "\n"
    "Options:\n"
    "  --json                 {\"case\": ..., \"pseudonym\": ...}\n"),
    "  council-cli --store ./council case resolve \"$REF\"\n",
};

static const cli_spec resolve_spec =
    CLI_SPEC(pseudonym_opts, resolve_help, CLI_STORE | CLI_SESSION, 1);

int cmd_case_resolve(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    person_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &resolve_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_pseudonym(&o, pos[0], true);
}
