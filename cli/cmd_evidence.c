/*
 * cmd_evidence.c - the auditor's view of a case (issue 16): audit
 * case-evidence writes a case's events with inclusion proofs against a
 * checkpoint (the secretariat's store); audit verify-case checks such a
 * file with the log's public key alone (no store), and audit verify hands
 * it here when it meets one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "cmds.h"
#include "council/v1/audit.pb-c.h"
#include "json.h"
#include "open.h"
#include "util.h"
#include "vocab.h"

typedef struct evidence_opts {
    const cli_global *g;
    const char *out, *key, *require;
    const char *witness[MAX_WITNESSES];
    size_t n_witness;
    int json, quiet;
} evidence_opts;

/* The value of header line `key` ("key value\n") in the file's first
 * lines, copied into out; "" when absent. */
static void header_value(const council_buf *b, const char *key, char *out, size_t n)
{
    const char *p = (const char *)b->ptr, *end = p + b->len;
    size_t k = strlen(key);

    out[0] = '\0';
    for (int line = 0; line < 8 && p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));

        if (nl == NULL)
            return;
        if ((size_t)(nl - p) > k && memcmp(p, key, k) == 0 && p[k] == ' ') {
            size_t l = (size_t)(nl - p) - k - 1;

            if (l >= n)
                l = n - 1;
            memcpy(out, p + k + 1, l);
            out[l] = '\0';
            return;
        }
        p = nl + 1;
    }
}

static int do_case_evidence(const evidence_opts *o, const char *case_text)
{
    uint8_t id[COUNCIL_ID_BYTES];
    council_buf buf = { NULL, 0 };
    char ref[80], events[32], size[32];
    council *c;
    int rc, fd;

    if (case_text == NULL || o->out == NULL)
        return usage("%s", _("audit case-evidence CASE --out FILE"));
    if (id_arg(case_text, id) != 0)
        return usage(_("not a case id: %s"), case_text);
    /* Refused before the export is logged: a file that exists is never replaced. */
    if (strcmp(o->out, "-") != 0 && access(o->out, F_OK) == 0) {
        fprintf(stderr, _("%s: %s exists already; it is never replaced\n"), prog, o->out);
        return EXIT_FAILURE;
    }
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    rc = council_case_evidence(c, &buf, id, sizeof id);
    if (rc != COUNCIL_OK)
        return close_council(c, rc, "audit case-evidence");
    /* The file names the case only by its pseudonym; it is still the
     * council's record of who read the case: mode 0600, never replaced. */
    if ((fd = create_private(o->out)) < 0) {
        council_buf_free(&buf);
        return close_council(c, EXIT_FAILURE, "audit case-evidence");
    }
    if (finish_private(fd, buf.ptr, buf.len) != 0) {
        fprintf(stderr, _("%s: cannot write %s: %s\n"), prog, o->out, strerror(errno));
        remove_private(o->out);
        council_buf_free(&buf);
        return close_council(c, EXIT_FAILURE, "audit case-evidence");
    }
    header_value(&buf, "case_ref", ref, sizeof ref);
    header_value(&buf, "events", events, sizeof events);
    header_value(&buf, "tree_size", size, sizeof size);
    council_buf_free(&buf);
    if (o->json) {
        json_t *j = json_object();

        json_object_set_new(j, "case_ref", json_string(ref));
        json_object_set_new(j, "events", json_integer(strtoll(events, NULL, 10)));
        json_object_set_new(j, "tree_size", json_integer(strtoll(size, NULL, 10)));
        json_object_set_new(j, "file", json_string(strcmp(o->out, "-") == 0 ? "-" : o->out));
        if (strcmp(o->out, "-") != 0)
            rc = print_json(j);
        else
            json_decref(j);
    } else if (strcmp(o->out, "-") != 0 && !o->quiet) {
        fprintf(stderr, _("%s: %s events of case %s, with proofs against the checkpoint of tree "
                "size %s, written to %s\n"), prog, events, ref, size, o->out);
    }
    return close_council(c, rc, "audit case-evidence");
}

int evidence_verify_file(const char *file, const council_audit_verify_options *vo, int json,
                         int quiet)
{
    Council__V1__CaseEvidenceReport *r = NULL;
    council_buf rep = { NULL, 0 };
    char root[65] = "-", ref[65] = "-";
    int rc;

    rc = council_audit_verify_case_evidence(&rep, file, vo);
    if (rep.ptr != NULL)
        r = council__v1__case_evidence_report__unpack(NULL, rep.len, rep.ptr);
    council_buf_free(&rep);
    if (r != NULL && r->has_root_hash && r->root_hash.len == 32)
        hex_text(root, r->root_hash.data, 32);
    if (r != NULL && r->has_case_ref && r->case_ref.len == 32)
        hex_text(ref, r->case_ref.data, 32);
    if (rc == COUNCIL_OK && r != NULL) {
        if (json) {
            json_t *j = json_object();

            json_object_set_new(j, "verified", json_string("case_evidence"));
            json_object_set_new(j, "case_ref", json_string(ref));
            json_object_set_new(j, "events", json_integer((json_int_t)r->events));
            json_object_set_new(j, "tree_size", json_integer((json_int_t)r->tree_size));
            json_object_set_new(j, "root", json_string(root));
            json_object_set_new(j, "cosignatures", json_integer(r->cosignatures));
            rc = print_json(j);
        } else {
            printf(_("verified case evidence: %llu events of case %s, each in the tree of size "
                   "%llu, root (hex) %s\n"), (unsigned long long)r->events, ref,
                   (unsigned long long)r->tree_size, root);
        }
        if (!quiet)
            fprintf(stderr, _("%s: note: this proves that each event is in the signed log, not "
                    "that none is missing; an export (audit export) lets you check that too\n"),
                    prog);
    } else {
        fprintf(stderr, _("%s: audit verify: %s (%s)\n"), prog,
                r != NULL ? r->message : _("no report"), cli_errstr(rc));
        if (r != NULL && r->first_bad_event >= 0)
            fprintf(stderr, _("%s: first bad event: %lld\n"), prog, (long long)r->first_bad_event);
        rc = exit_status(rc);
    }
    council__v1__case_evidence_report__free_unpacked(r, NULL);
    return rc;
}

static int do_verify_case(const evidence_opts *o, const char *file)
{
    council_audit_verify_options vo = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    char *key = NULL, *wk[MAX_WITNESSES] = { NULL };
    unsigned long long req = 0;
    int rc = EXIT_FAILURE;

    if (file == NULL || o->key == NULL)
        return usage("%s", _("audit verify-case FILE --key VKEY"));
    if (o->require != NULL && (parse_u64(o->require, &req) != 0 || req > o->n_witness))
        return usage("%s", _("--require K: at most the number of --witness keys"));
    key = vkey_arg(o->key);
    for (size_t i = 0; i < o->n_witness; i++)
        wk[i] = vkey_arg(o->witness[i]);
    if (key == NULL)
        goto out;
    for (size_t i = 0; i < o->n_witness; i++)
        if (wk[i] == NULL)
            goto out;
    vo.log_vkey = key;
    vo.witness_vkeys = (const char *const *)wk;
    vo.n_witnesses = o->n_witness;
    vo.required = (size_t)req;
    rc = evidence_verify_file(file, &vo, o->json, o->quiet);
out:
    free(key);
    for (size_t i = 0; i < o->n_witness; i++)
        free(wk[i]);
    return rc;
}

static const cli_help case_evidence_help = {
    "CASE --out FILE [--json] [--quiet]",
    N_("Writes the auditor's view of a case to FILE: the case's pseudonym, a\n"
    "checkpoint signed now, and every event of the log that names the case, each\n"
    "with its inclusion proof against that checkpoint. The auditor checks it with\n"
    "the log's public key alone (audit verify-case, or\n"
    "scripts/verify-case-evidence.py). Every event of the log is read, so an event\n"
    "hidden from the case index is not left out; an altered log is refused. The\n"
    "secretariat only; logged.\n"
    "\n"
    "Options:\n"
    "  --out FILE             the file (created, mode 0600; never replaced;\n"
    "                         '-': standard output)\n"
    "  --json                 the pseudonym, the number of events and the tree size\n"
    HELP_QUIET),
    "  council-cli --store ./council audit case-evidence \"$CASE\" --out case.evidence\n",
};

static const cli_opt case_evidence_opts[] = {
    OPT_STR("out", evidence_opts, out),
    OPT_FLAG("json", evidence_opts, json),
    OPT_FLAG("quiet", evidence_opts, quiet),
};
static const cli_spec case_evidence_spec =
        CLI_SPEC(case_evidence_opts, case_evidence_help, CLI_STORE | CLI_SESSION, 1);

int cmd_audit_case_evidence(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    evidence_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &case_evidence_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_case_evidence(&o, pos[0]);
}

static const cli_help verify_case_help = {
    "FILE --key VKEY [--witness VKEY]... [--require K] [--json] [--quiet]",
    N_("Verifies a case evidence file (audit case-evidence) with the log's public key\n"
    "alone (no store): the checkpoint's signature, then each event: of the case,\n"
    "in order, unchanged, and in the tree of the checkpoint. audit verify does the\n"
    "same when given such a file. Exit 1 if it does not verify.\n"
    "\n"
    "Options:\n"
    "  --key VKEY             the log's verifier key (as info prints it), or @FILE\n"
    "  --witness VKEY         a witness's verifier key (repeatable), or @FILE\n"
    "  --require K            at least K of the witnesses must have cosigned\n"
    "  --json                 what verified, as a JSON object\n"
    HELP_QUIET),
    "  council-cli audit verify-case case.evidence --key @log.vkey\n",
};

static const cli_opt verify_case_opts[] = {
    OPT_STR("key", evidence_opts, key),
    OPT_LIST("witness", evidence_opts, witness, n_witness, MAX_WITNESSES),
    OPT_STR("require", evidence_opts, require),
    OPT_FLAG("json", evidence_opts, json),
    OPT_FLAG("quiet", evidence_opts, quiet),
};
static const cli_spec verify_case_spec = CLI_SPEC(verify_case_opts, verify_case_help, 0, 1);

int cmd_audit_verify_case(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    evidence_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &verify_case_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_verify_case(&o, pos[0]);
}
