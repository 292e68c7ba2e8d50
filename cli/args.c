/*
 * args.c - a command's options with getopt_long, its help, and the
 * messages of a usage error (see cli.h).
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

const char *const prog = "council-cli";

static const cli_cmd *current;

void cli_set_current(const cli_cmd *cmd)
{
    current = cmd;
}

int usage(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (current != NULL)
        fprintf(stderr, _("\nTry 'council-cli %s%s%s --help'.\n"), current->noun,
                current->verb != NULL ? " " : "", current->verb != NULL ? current->verb : "");
    else
        fprintf(stderr, _("\nTry 'council-cli --help'.\n"));
    return EXIT_USAGE;
}

int exit_status(int rc)
{
    switch (rc) {
    case COUNCIL_OK: return 0;
    case COUNCIL_EAUTH: return EXIT_AUTH;
    case COUNCIL_EDENIED:
    case COUNCIL_ESENDER:
    case COUNCIL_ERECIPIENT:
    case COUNCIL_ENOCONSENT: return EXIT_DENIED;
    case COUNCIL_ESIGNATURE:
    case COUNCIL_ETAMPER: return EXIT_TAMPER;
    case COUNCIL_ENOTFOUND: return EXIT_NOTFOUND;
    default: return EXIT_FAILURE;
    }
}

const char *cli_errstr(int rc)
{
    switch (rc) {
    case COUNCIL_ERROR: return _("internal error");
    case COUNCIL_EINVAL: return _("invalid argument");
    case COUNCIL_ENOMEM: return _("out of memory");
    case COUNCIL_EIO: return _("input/output error");
    case COUNCIL_EAUTH: return _("authentication failed (wrong passphrase or key, or data altered)");
    case COUNCIL_EDENIED: return _("not entitled");
    case COUNCIL_ENOCONSENT: return _("no consent or legal basis covers this disclosure");
    case COUNCIL_ETAMPER: return _("audit log or proof does not verify");
    case COUNCIL_EFORMAT: return _("malformed, truncated or foreign data");
    case COUNCIL_EEXIST: return _("already exists");
    case COUNCIL_ENOTFOUND: return _("not found");
    case COUNCIL_EMISUSE: return _("library misuse (NULL, closed or foreign handle)");
    case COUNCIL_ELIMIT: return _("size or count limit exceeded");
    case COUNCIL_EBUFS: return _("output buffer too small");
    case COUNCIL_EUNSUPPORTED: return _("unsupported version or SQLite library");
    case COUNCIL_ESIGNATURE: return _("signature does not verify");
    case COUNCIL_ESENDER: return _("sender not trusted here");
    case COUNCIL_ERECIPIENT: return _("addressed to another recipient");
    case COUNCIL_EEXPIRED: return _("expired");
    case COUNCIL_EREPLAY: return _("imported already (replay)");
    default: return council_errstr(rc);
    }
}

int failed(const char *op, council *c, int rc)
{
    /* TRANSLATORS: the program's name, the library's own message (English,
     * it names the operation) and what kind of failure it was. */
    if (c != NULL) /* the library's message names the operation itself */
        fprintf(stderr, _("%s: %s (%s)\n"), prog, council_errmsg(c), cli_errstr(rc));
    else
        /* TRANSLATORS: the program's name, the operation, the failure. */
        fprintf(stderr, _("%s: %s: %s\n"), prog, op, cli_errstr(rc));
    return exit_status(rc);
}

/* Every option some command takes: another command's option is one that
 * "does not apply to this command", not an unknown one. */
static const char *const known[] = {
    "store", "passphrase-file", "root-key-file", "staff", "keyfile", "root-reason", "root-note",
    "name", "member", "role",
    "text-version", "text-file", "witness-name", "kind", "roles", "scopes", "contact", "joined",
    "reason", "date", "member-passphrase-file", "box-key", "sign-key", "new-passphrase-file",
    "new-root-key-file", "kdf-ops", "kdf-mem", "out", "key", "witness", "require", "old",
    "checkpoint", "new", "proof", "witness-key", "since", "until", "action", "actor", "case",
    "limit", "from", "index", "size", "to", "scope", "owner", "body", "person", "file",
    "purpose-text", "purpose", "basis", "consent", "expires", "second-approver",
    "external-party", "grantor", "grantor-name", "method", "valid-from", "valid-until",
    "obtained-by", "evidence-sha256", "birth-date", "starts", "ends", "k", "format", "json",
    "sensitive", "yes", "dry-run", "help", "version", "utc", "idle", "max", "status", "all",
    "fiscal-year",
    "due", "overdue", "text", "vital-second-approver", "cross-body-use",
    "step", "decline", /* node answer */
    "template", /* person report */
};

static int is_known(const char *text)
{
    size_t n;

    if (strncmp(text, "--", 2) != 0)
        return 0;
    text += 2;
    n = strcspn(text, "=");
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strlen(known[i]) == n && strncmp(known[i], text, n) == 0)
            return 1;
    return 0;
}

static int bad_option(const char *text)
{
    if (is_known(text))
        return usage(_("option '%.*s' does not apply to this command"), (int)strcspn(text, "="),
                     text);
    return usage(_("unknown option '%s'"), text);
}

static void print_help(const cli_cmd *cmd, const cli_help *h, unsigned flags)
{
    printf(_("usage: council-cli %s%s%s%s%s\n\n%s.\n"), cmd->noun, cmd->verb != NULL ? " " : "",
           cmd->verb != NULL ? cmd->verb : "", h->args[0] != '\0' ? " " : "", h->args,
           _(cmd->summary));
    if (h->text[0] != '\0')
        printf("\n%s", _(h->text));
    if (flags & CLI_STORE)
        printf(_("\nThe store: --store PATH (default: $COUNCIL_STORE).\n"));
    if (flags & CLI_SESSION)
        printf(_("As a person: --staff ID --keyfile FILE (default: $COUNCIL_STAFF and\n"
               "$COUNCIL_KEYFILE), with the member's passphrase from --passphrase-file,\n"
               "$COUNCIL_MEMBER_PASSPHRASE or the terminal; while the person's session is\n"
               "unlocked (see `unlock`), no passphrase. The example runs so.\n"));
    if (flags & CLI_STORE)
        printf(_("With the council passphrase (--passphrase-file FILE, '-' for standard input,\n"
               "else $COUNCIL_PASSPHRASE, else the terminal) or --root-key-file FILE: each use\n"
               "declares its reason (--root-reason CODE --root-note TEXT), but init, and the\n"
               "key management commands, which give their own.\n"));
    printf(_("\nExample:\n%s"), h->example);
}

int cli_parse(cli_ctx *x, int argc, char **argv, const cli_spec *s, void *o,
              const char *pos[CLI_MAX_POS])
{
    const cli_opt *opts = s->opts;
    const cli_help *h = s->help;
    size_t n_opts = s->n_opts, max_pos = s->max_pos, n_pos = 0;
    unsigned flags = s->flags;
    char *base = o;
    /* The command's options: values 1000 + i; the global options after
     * the command word: 2000 + k. */
    static const char *const global[] = { "store", "passphrase-file", "root-key-file",
                                          "staff", "keyfile", "help", "utc", "root-reason",
                                          "root-note" };
    struct option lo[96];
    size_t n_lo = 0;
    int c, idx;

    for (size_t i = 0; i < CLI_MAX_POS; i++)
        pos[i] = NULL;
    if (max_pos > CLI_MAX_POS)
        return usage("%s", _("too many arguments"));
    if (n_opts + 8 > sizeof lo / sizeof lo[0] || n_opts > 900)
        return usage("%s", _("too many options"));
    for (size_t i = 0; i < n_opts; i++) {
        lo[n_lo].name = opts[i].name;
        lo[n_lo].has_arg = opts[i].kind == CLI_FLAG ? no_argument : required_argument;
        lo[n_lo].flag = NULL;
        lo[n_lo].val = 1000 + (int)i; /* above 1 (a word) and 'h' */
        n_lo++;
    }
    for (size_t k = 0; k < sizeof global / sizeof global[0]; k++) {
        if ((k == 1 || k == 2 || k >= 7) && !(flags & CLI_STORE))
            continue;
        if ((k == 3 || k == 4) && !(flags & CLI_SESSION))
            continue;
        lo[n_lo].name = global[k];
        lo[n_lo].has_arg = k == 5 || k == 6 ? no_argument : required_argument;
        lo[n_lo].flag = NULL;
        lo[n_lo].val = 2000 + (int)k;
        n_lo++;
    }
    memset(&lo[n_lo], 0, sizeof lo[n_lo]);

    optind = 0; /* GNU: start afresh */
    opterr = 0;
    /* '-': words come back in order as 1, with no permutation;
     * ':': a missing value is ':'. */
    while ((c = getopt_long(argc, argv, "-:h", lo, &idx)) != -1) {
        const char *text;

        if (c == 1) {
            if (n_pos >= max_pos)
                return usage(_("unexpected argument '%s'"), optarg);
            pos[n_pos++] = optarg;
            continue;
        }
        if (c == ':')
            return usage(_("option '%s' needs a value"), argv[optind - 1]);
        if (c == '?')
            return optopt != 0 ? usage(_("unknown option '-%c'"), optopt)
                               : bad_option(argv[optind - 1]);
        if (c == 'h') {
            print_help(x->cmd, h, flags);
            return CLI_HELPED;
        }
        /* The whole name, as the hand-written parser wanted: getopt_long
         * would take an abbreviation. */
        text = lo[idx].has_arg == required_argument && optind >= 2 &&
                       optarg == argv[optind - 1] ? argv[optind - 2] : argv[optind - 1];
        if (strncmp(text, "--", 2) != 0 || strlen(lo[idx].name) != strcspn(text + 2, "=") ||
            strncmp(text + 2, lo[idx].name, strlen(lo[idx].name)) != 0)
            return bad_option(text);
        if (c >= 2000) {
            const char **g[] = { &x->g.store, &x->g.pass_file, &x->g.key_file, &x->g.staff,
                                 &x->g.keyfile, NULL, NULL, &x->g.root_reason, &x->g.root_note };
            if (c == 2005) {
                print_help(x->cmd, h, flags);
                return CLI_HELPED;
            }
            if (c == 2006) {
                time_utc_output();
                continue;
            }
            *g[c - 2000] = optarg;
            continue;
        }
        {
            const cli_opt *op = &opts[c - 1000];
            void *dest = base + op->off;
            switch (op->kind) {
            case CLI_STR:
                *(const char **)dest = optarg;
                break;
            case CLI_FLAG:
                *(int *)dest = 1;
                break;
            case CLI_U64:
                if (parse_u64(optarg, (unsigned long long *)dest) != 0)
                    return usage(_("--%s needs a whole number, not '%s'"), op->name, optarg);
                break;
            default: { /* CLI_LIST */
                size_t *n = (size_t *)(void *)(base + op->n_off);
                if (*n >= op->max)
                    return op->max == 1 ? usage(_("give one --%s"), op->name)
                                        : usage(_("at most %zu --%s options"), op->max, op->name);
                ((const char **)dest)[(*n)++] = optarg;
                break;
            }
            }
        }
    }
    /* Given before the command word, to a command that does not take them. */
    if (!(flags & CLI_STORE) && x->g.pass_file != NULL)
        return usage("%s", _("option '--passphrase-file' does not apply to this command"));
    if (!(flags & CLI_STORE) && x->g.key_file != NULL)
        return usage("%s", _("option '--root-key-file' does not apply to this command"));
    if (!(flags & CLI_STORE) && (x->g.root_reason != NULL || x->g.root_note != NULL))
        return usage("%s", _("options '--root-reason' and '--root-note' do not apply to this "
                             "command"));
    if (!(flags & CLI_SESSION) && x->g.staff != NULL)
        return usage("%s", _("option '--staff' does not apply to this command"));
    if (!(flags & CLI_SESSION) && x->g.keyfile != NULL)
        return usage("%s", _("option '--keyfile' does not apply to this command"));
    if (!(flags & CLI_STORE))
        return 0;
    if (x->g.store == NULL)
        x->g.store = getenv("COUNCIL_STORE");
    if (x->g.store == NULL || x->g.store[0] == '\0')
        return usage("%s", _("no store: give --store PATH or set COUNCIL_STORE"));
    if (x->g.pass_file != NULL && x->g.key_file != NULL)
        return usage("%s", _("give --passphrase-file or --root-key-file, not both"));
    if ((x->g.staff != NULL || x->g.keyfile != NULL) && x->g.key_file != NULL)
        return usage("%s", _("a staff session takes --keyfile, not --root-key-file"));
    return 0;
}
