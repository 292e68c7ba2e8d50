/*
 * cmd_rekey.c - new keys for the store: rekey database, rekey root.
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
#include "json.h"
#include "open.h"
#include "progress.h"
#include "text.h"
#include "util.h"
#include "vocab.h"

typedef struct rekey_opts {
    const cli_global *g;
    const char *new_pass_file, *new_key_file;
    unsigned long long kdf_ops, kdf_mem;
    int yes, weak_ok, quiet;
} rekey_opts;

enum { C_RKDB = 1 << 0, C_RKROOT = 1 << 1 };

static int do_rekey(const rekey_opts *o, int cmd)
{
    uint8_t key[COUNCIL_ROOT_KEY_BYTES];
    char fresh[PASS_BUF];
    council *c;
    long m = 0;
    int rc;

    if (cmd == C_RKROOT && o->g->key_file != NULL && o->new_key_file == NULL)
        return usage("%s", _("rekey root of a council opened with --root-key-file needs "
                           "--new-root-key-file FILE"));
    if (cmd == C_RKROOT && o->g->key_file == NULL && o->new_key_file != NULL)
        return usage("%s", _("--new-root-key-file is for a council opened with --root-key-file"));
    if (cmd == C_RKROOT && o->g->key_file != NULL && o->new_pass_file != NULL)
        return usage("%s", _("a council opened with --root-key-file has no passphrase"));
    if (cmd == C_RKDB)
        rc = confirm_act(o->yes, _("rekey database: council.db is re-encrypted under a new "
                         "database key; the old key stops opening it"));
    else
        rc = confirm_act(o->yes, _("rekey root: the root key is replaced; the old %s stops "
                         "opening the council"), o->g->key_file != NULL ? _("root key file")
                                                                      : _("passphrase"));
    if (rc != 0)
        return rc;
    open_root_default("key_management", cmd == C_RKDB ? "council-cli rekey database"
                                                      : "council-cli rekey root");
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    if (cmd == C_RKDB) {
        progress_start(_("re-encrypting the database"), o->quiet);
        rc = council_rekey_database(c);
        progress_end();
        if (rc == COUNCIL_OK)
            fprintf(stderr, _("%s: the database was re-encrypted under a new key\n"), prog);
    } else if (o->new_key_file != NULL) {
        if (read_root_key(o->new_key_file, key) != 0) {
            council_close(c);
            return EXIT_FAILURE;
        }
        progress_start(_("replacing the root key"), o->quiet);
        rc = council_rekey_root(c, NULL, 0, key, sizeof key, o->kdf_ops, o->kdf_mem);
        progress_end();
        sodium_memzero(key, sizeof key);
    } else {
        m = get_passphrase(o->new_pass_file, "COUNCIL_NEW_PASSPHRASE", 1, _("New passphrase: "),
                           fresh, sizeof fresh);
        if (m < 0) {
            sodium_memzero(fresh, sizeof fresh);
            council_close(c);
            return m == -2 ? usage("%s", _("no new passphrase: use --new-passphrase-file, "
                                         "$COUNCIL_NEW_PASSPHRASE or a terminal"))
                           : EXIT_FAILURE;
        }
        if ((rc = check_new_passphrase(fresh, (size_t)m, NULL, 0, o->weak_ok,
                                       "the new passphrase")) != 0) {
            sodium_memzero(fresh, sizeof fresh);
            council_close(c);
            return rc;
        }
        progress_start(_("replacing the root key"), o->quiet);
        rc = council_rekey_root(c, (const uint8_t *)fresh, (size_t)m, NULL, 0, o->kdf_ops,
                                o->kdf_mem);
        progress_end();
        sodium_memzero(fresh, sizeof fresh);
    }
    if (rc == COUNCIL_OK && cmd == C_RKROOT)
        fprintf(stderr, _("%s: the root key was replaced\n"), prog);
    rc = rc == COUNCIL_OK ? 0 : failed("rekey", c, rc);
    council_close(c);
    return rc;
}

/* ------------------------------------------------------------ commands */

/* Parse the command's options and run it. */
static int run(cli_ctx *x, int argc, char **argv, const cli_spec *s, int cmd)
{
    const char *pos[CLI_MAX_POS];
    rekey_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, s, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_rekey(&o, cmd);
}

static const cli_help database_help = {
    "[--yes] [--quiet]",
    N_("Re-encrypts council.db under a new database key. Asks first on a terminal.\n"
    "\n"
    "Options:\n"
    HELP_YES
    HELP_QUIET),
    "  council-cli --store ./council rekey database --yes --passphrase-file pass.txt\n",
};

static const cli_opt database_opts[] = {
    OPT_FLAG("yes", rekey_opts, yes),
    OPT_FLAG("quiet", rekey_opts, quiet),
};
static const cli_spec database_spec = CLI_SPEC(database_opts, database_help, CLI_STORE, 0);

int cmd_rekey_database(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &database_spec, C_RKDB);
}

static const cli_help root_help = {
    "[--new-passphrase-file FILE | --new-root-key-file FILE] [--yes] [--weak-passphrase-ok] "
    "[--kdf-ops N] [--kdf-mem BYTES] [--quiet]",
    N_("Replaces the root key: a new one from a new passphrase (--new-passphrase-file,\n"
    "else $COUNCIL_NEW_PASSPHRASE, else the terminal), or, for a council opened\n"
    "with --root-key-file, the key in --new-root-key-file. Asks first on a\n"
    "terminal. The new passphrase must pass libpwquality's check (score 50 of 100).\n"
    "\n"
    "Options:\n"
    "  --new-passphrase-file FILE\n"
    "                         the new passphrase\n"
    "  --new-root-key-file FILE\n"
    "                         the new root key: 64 hex digits\n"
    HELP_YES
    HELP_WEAK_OK
    "  --kdf-ops N, --kdf-mem BYTES\n"
    "                         the cost of deriving the key from the passphrase\n"
    HELP_QUIET),
    "  council-cli --store ./council rekey root --passphrase-file pass.txt \\\n"
    "      --new-passphrase-file new.txt --yes\n",
};

static const cli_opt root_opts[] = {
    OPT_STR("new-passphrase-file", rekey_opts, new_pass_file),
    OPT_STR("new-root-key-file", rekey_opts, new_key_file),
    OPT_U64("kdf-ops", rekey_opts, kdf_ops),
    OPT_U64("kdf-mem", rekey_opts, kdf_mem),
    OPT_FLAG("yes", rekey_opts, yes),
    OPT_FLAG("weak-passphrase-ok", rekey_opts, weak_ok),
    OPT_FLAG("quiet", rekey_opts, quiet),
};
static const cli_spec root_spec = CLI_SPEC(root_opts, root_help, CLI_STORE, 0);

int cmd_rekey_root(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &root_spec, C_RKROOT);
}
