/*
 * cli.h - what every council-cli command shares: the command table's
 * types, the option parser (getopt_long underneath), and the messages of
 * a usage error or a failed call. Exit status: 0 success, 1 refused or
 * failed, 2 usage error.
 */
#ifndef COUNCIL_CLI_CLI_H
#define COUNCIL_CLI_CLI_H

#include <stddef.h>

#include "council.h"
#include "i18n.h"

#define EXIT_USAGE 2
/* Exit statuses by class (council-cli(1), EXIT STATUS): 0 success, 1 any
 * other failure, 2 usage, and these four, from the library's error code. */
#define EXIT_AUTH 3     /* COUNCIL_EAUTH: a wrong passphrase or key */
#define EXIT_DENIED 4   /* COUNCIL_EDENIED, COUNCIL_ENOCONSENT: not entitled, no consent;
                         * COUNCIL_ESENDER, COUNCIL_ERECIPIENT: a bundle not from or for us */
#define EXIT_TAMPER 5   /* COUNCIL_ETAMPER: a record or log changed outside the library;
                         * COUNCIL_ESIGNATURE: a bundle's signature does not verify */
#define EXIT_NOTFOUND 6 /* COUNCIL_ENOTFOUND: no such record */
/* The exit status of a library error code. */
int exit_status(int rc);
#define PASS_BUF (COUNCIL_PASSPHRASE_MAX + 3)

#define MAX_WITNESSES 16
#define MAX_SCOPES 32
#define MAX_LIST 32 /* --member and --purpose: COUNCIL_CONSENT_LIST_MAX */

extern const char *const prog;

/* The options that may come before the command (and after it, for the
 * commands that take them). */
typedef struct cli_global {
    const char *store;
    const char *pass_file;  /* --passphrase-file */
    const char *key_file;   /* --root-key-file */
    const char *staff;      /* --staff: a staff session */
    const char *keyfile;    /* --keyfile */
    const char *root_reason; /* --root-reason: the council passphrase is used, and why */
    const char *root_note;  /* --root-note: the written reason */
} cli_global;

struct cli_cmd;

/* What a command handler is given. */
typedef struct cli_ctx {
    const struct cli_cmd *cmd;
    cli_global g;
} cli_ctx;

typedef int (*cli_handler)(cli_ctx *x, int argc, char **argv);

/* One row of the command table (main.c). `verb` is NULL for a command of
 * one word (init, info, passphrase, disclose). */
typedef struct cli_cmd {
    const char *noun, *verb;
    cli_handler run;
    const char *summary;
} cli_cmd;

/* A command's own help: "usage: council-cli NOUN VERB ARGS", the
 * summary, TEXT (its options and notes), and an example. */
typedef struct cli_help {
    const char *args;
    const char *text;
    const char *example;
} cli_help;

/* One option of a command, and where its value goes: offsets into the
 * command's options struct (the `void *o` cli_parse is given). */
typedef enum { CLI_STR, CLI_FLAG, CLI_LIST, CLI_U64 } cli_kind;
typedef struct cli_opt {
    const char *name;  /* without the leading "--" */
    cli_kind kind;
    size_t off;        /* const char *, int, const char *[max] or unsigned long long */
    size_t n_off;      /* CLI_LIST: the size_t counting how many were given */
    size_t max;        /* CLI_LIST: at most this many (1: "give one --NAME") */
} cli_opt;

/* T is the command's options struct, f the field the value goes to. */
#define OPT_STR(nm, T, f) { nm, CLI_STR, offsetof(T, f), 0, 0 }
#define OPT_FLAG(nm, T, f) { nm, CLI_FLAG, offsetof(T, f), 0, 0 }
#define OPT_U64(nm, T, f) { nm, CLI_U64, offsetof(T, f), 0, 0 }
#define OPT_LIST(nm, T, f, cnt, mx) { nm, CLI_LIST, offsetof(T, f), offsetof(T, cnt), mx }

/* Which of the global options a command takes. */
#define CLI_STORE   1u /* opens a store: --passphrase-file, --root-key-file */
#define CLI_SESSION 2u /* a staff session may try it: --staff, --keyfile */

/* cli_parse's answer when it printed the command's help. */
#define CLI_HELPED (-1)

/* The most positional words a command takes. */
#define CLI_MAX_POS 2

/* What a command takes: its options, its help, the global options it
 * takes (CLI_STORE, CLI_SESSION) and how many positional words. */
typedef struct cli_spec {
    const cli_opt *opts;
    size_t n_opts;
    const cli_help *help;
    unsigned flags;
    size_t max_pos;
} cli_spec;

#define CLI_SPEC(opts, help, flags, max_pos) \
    { opts, sizeof opts / sizeof opts[0], &help, flags, max_pos }
#define CLI_SPEC_NO_OPTS(help, flags, max_pos) { NULL, 0, &help, flags, max_pos }

/*
 * Parse a command's options (anywhere among its words) into the options
 * struct `o` and up to s->max_pos positional words into pos[] (the rest
 * NULL). --store is taken by every command; s->flags adds the global
 * options the command takes. With CLI_STORE the store and the credentials
 * are checked too. Returns 0; CLI_HELPED after printing the help for
 * --help; or EXIT_USAGE after a message.
 */
int cli_parse(cli_ctx *x, int argc, char **argv, const cli_spec *s, void *o,
              const char *pos[CLI_MAX_POS]);

/* The first --member and --purpose of an options struct `o` (members[],
 * n_member, purposes[], n_purpose), as most commands take one. */
#define FIRSTS(o) do { (o).member = (o).n_member > 0 ? (o).members[0] : NULL; \
                       (o).purpose = (o).n_purpose > 0 ? (o).purposes[0] : NULL; } while (0)

/* CLI_HELPED -> 0, anything else unchanged: what a handler returns when
 * cli_parse did not give 0. */
static inline int CLI_PARSED(int rc)
{
    return rc == CLI_HELPED ? 0 : rc;
}

/* The command being run (for "Try 'council-cli NOUN VERB --help'"). */
void cli_set_current(const cli_cmd *cmd);
/* "council-cli: MESSAGE" and where to find help, on stderr: EXIT_USAGE. */
__attribute__((format(printf, 1, 2))) int usage(const char *fmt, ...);
/* council_errstr's text, as the CLI's own message: in English the same
 * words, translated with the rest of the CLI's messages. */
const char *cli_errstr(int rc);
/* A failed library call on stderr: EXIT_FAILURE. */
int failed(const char *op, council *c, int rc);

#endif
