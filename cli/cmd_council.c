/*
 * cmd_council.c - the council itself: init, info, passphrase, timezone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "cli.h"
#include "cmds.h"
#include "guard.h"
#include "council/v1/info.pb-c.h"
#include "json.h"
#include "open.h"
#include "util.h"
#include "vocab.h"

typedef struct council_opts {
    const cli_global *g;
    const char *name, *new_pass_file;
    const char *zone; /* timezone: the positional ZONE */
    unsigned long long kdf_ops, kdf_mem;
    int json, weak_ok;
} council_opts;

static int do_init(const council_opts *o)
{
    council_create_options co = COUNCIL_CREATE_OPTIONS_INIT;
    Council__V1__CouncilInfo *info = NULL;
    council_buf buf = { NULL, 0 };
    council *c = NULL;
    creds cr;
    int rc;

    if (o->name == NULL)
        return usage("%s", _("init needs --name NAME"));
    memset(&cr, 0, sizeof cr);
    rc = get_creds(o->g, &cr, 1);
    if (rc == 0 && !cr.have_key)
        rc = check_new_passphrase(cr.pass, cr.pass_len, NULL, 0, o->weak_ok, _("the passphrase"));
    if (rc != 0) {
        sodium_memzero(&cr, sizeof cr);
        return rc;
    }
    co.name = o->name;
    if (cr.have_key) {
        co.root_key = cr.key;
        co.root_key_len = sizeof cr.key;
    } else {
        co.passphrase = (const uint8_t *)cr.pass;
        co.passphrase_len = cr.pass_len;
    }
    co.kdf_opslimit = o->kdf_ops;
    co.kdf_memlimit = o->kdf_mem;
    rc = council_create(&c, o->g->store, &co);
    sodium_memzero(&cr, sizeof cr);
    if (rc != COUNCIL_OK) {
        failed("init", c, rc);
        council_close(c);
        return EXIT_FAILURE;
    }
    rc = council_info(c, &buf);
    if (rc == COUNCIL_OK)
        info = council__v1__council_info__unpack(NULL, buf.len, buf.ptr);
    if (info == NULL) {
        failed("init", c, rc == COUNCIL_OK ? COUNCIL_EFORMAT : rc);
        rc = EXIT_FAILURE;
    } else {
        rc = print_new_id(o->json, "council_id", info->council_id_text);
        fprintf(stderr, _("%s: created council %s in %s\n"), prog, info->council_id_text, o->g->store);
    }
    council__v1__council_info__free_unpacked(info, NULL);
    council_buf_free(&buf);
    council_close(c);
    return rc;
}


static const char *root_source_text(Council__V1__RootKeySource s)
{
    switch (s) {
    case COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_PASSPHRASE: return "passphrase";
    case COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_EXTERNAL: return "external";
    default: return "unknown";
    }
}

static int print_info_json(const Council__V1__CouncilInfo *m, const char *created)
{
    json_t *j = json_object();
    char *text;
    int rc = EXIT_FAILURE;

    if (j == NULL)
        return rc;
    if (json_object_set_new(j, "council_id", json_string(m->council_id_text)) == 0 &&
        json_object_set_new(j, "name", json_string(m->name)) == 0 &&
        json_object_set_new(j, "created", json_string(created)) == 0 &&
        json_object_set_new(j, "schema_version", json_integer(m->schema_version)) == 0 &&
        json_object_set_new(j, "library_version", json_string(m->library_version)) == 0 &&
        json_object_set_new(j, "cipher_version", json_string(m->cipher_version)) == 0 &&
        json_object_set_new(j, "keyring_format", json_integer(m->keyring_format)) == 0 &&
        json_object_set_new(j, "root_key", json_string(root_source_text(m->root_source))) == 0 &&
        json_object_set_new(j, "log_origin", json_string(m->log_origin)) == 0 &&
        json_object_set_new(j, "log_verifier_key", json_string(m->log_verifier_key)) == 0 &&
        (text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) != NULL) {
        printf("%s\n", text);
        free(text);
        rc = 0;
    }
    json_decref(j);
    return rc;
}

static int do_info(const council_opts *o)
{
    Council__V1__CouncilInfo *m = NULL;
    council_buf buf = { NULL, 0 };
    council *c;
    char created[32];
    int rc;

    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    rc = council_info(c, &buf);
    if (rc != COUNCIL_OK) {
        rc = failed("info", c, rc);
        goto out;
    }
    m = council__v1__council_info__unpack(NULL, buf.len, buf.ptr);
    if (m == NULL) {
        rc = failed("info", NULL, COUNCIL_EFORMAT);
        goto out;
    }
    time_text(created, sizeof created, m->created);
    if (o->json) {
        rc = print_info_json(m, created);
    } else {
        printf(_("council id:         %s\n"), m->council_id_text);
        printf(_("name:               %s\n"), m->name);
        printf(_("created:            %s\n"), created);
        printf(_("schema version:     %u\n"), m->schema_version);
        printf(_("library version:    %s\n"), m->library_version);
        printf(_("sqlcipher version:  %s\n"), m->cipher_version);
        printf(_("keyring format:     %u\n"), m->keyring_format);
        printf(_("root key:           %s\n"), root_source_text(m->root_source));
        printf(_("log origin:         %s\n"), m->log_origin);
        printf(_("log public key:     %s\n"), m->log_verifier_key);
        rc = 0;
    }
out:
    council__v1__council_info__free_unpacked(m, NULL);
    council_buf_free(&buf);
    council_close(c);
    return rc;
}

static int do_passphrase(const council_opts *o)
{
    council *c;
    char pass[PASS_BUF], fresh[PASS_BUF];
    long n, m;
    int rc;

    if (o->g->key_file != NULL)
        return usage("%s", _("passphrase: a council opened by root key has no passphrase"));
    n = get_passphrase(o->g->pass_file, "COUNCIL_PASSPHRASE", 0, _("Current passphrase: "),
                       pass, sizeof pass);
    if (n == -2)
        return usage("%s", _("no passphrase: use --passphrase-file, $COUNCIL_PASSPHRASE "
                           "or a terminal"));
    if (n < 0)
        return EXIT_FAILURE;
    m = get_passphrase(o->new_pass_file, "COUNCIL_NEW_PASSPHRASE", 1, _("New passphrase: "),
                       fresh, sizeof fresh);
    if (m < 0) {
        sodium_memzero(pass, sizeof pass);
        return m == -2 ? usage("%s", _("no new passphrase: use --new-passphrase-file, "
                                     "$COUNCIL_NEW_PASSPHRASE or a terminal"))
                       : EXIT_FAILURE;
    }
    if ((rc = check_new_passphrase(fresh, (size_t)m, pass, (size_t)n, o->weak_ok,
                                   _("the new passphrase"))) != 0) {
        sodium_memzero(pass, sizeof pass);
        sodium_memzero(fresh, sizeof fresh);
        return rc;
    }
    {
        council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
        oo.passphrase = (const uint8_t *)pass;
        oo.passphrase_len = (size_t)n;
        open_root_default("key_management", "council-cli passphrase");
        if ((rc = open_root_why(o->g, &oo)) != 0) {
            sodium_memzero(pass, sizeof pass);
            sodium_memzero(fresh, sizeof fresh);
            return rc;
        }
        rc = council_open(&c, o->g->store, &oo);
    }
    if (rc != COUNCIL_OK) {
        rc = failed("open", c, rc);
    } else {
        rc = council_passphrase_change(c, (const uint8_t *)pass, (size_t)n,
                                       (const uint8_t *)fresh, (size_t)m,
                                       o->kdf_ops, o->kdf_mem);
        rc = rc == COUNCIL_OK ? 0 : failed("passphrase", c, rc);
        if (rc == 0)
            fprintf(stderr, _("%s: passphrase changed\n"), prog);
    }
    sodium_memzero(pass, sizeof pass);
    sodium_memzero(fresh, sizeof fresh);
    council_close(c);
    return rc;
}

/* timezone [ZONE]: show the council's zone, or set it (the secretariat). */
static int do_timezone(const council_opts *o)
{
    char tz[COUNCIL_TIMEZONE_MAX + 1];
    council *c;
    int rc;

    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    if (o->zone != NULL) {
        rc = council_timezone_set(c, o->zone);
        if (rc == COUNCIL_OK)
            rc = time_zone_use(c);
        return close_council(c, rc, "timezone_set");
    }
    rc = council_timezone_get(c, tz, sizeof tz);
    if (rc == COUNCIL_OK && o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "timezone", json_string(tz));
        rc = print_json(j);
    } else if (rc == COUNCIL_OK) {
        printf("%s\n", tz);
    }
    return close_council(c, rc, "timezone_get");
}

/* ------------------------------------------------------------ commands */

static const cli_help init_help = {
    "--name NAME [--weak-passphrase-ok] [--kdf-ops N] [--kdf-mem BYTES] [--json]",
    N_("Creates the store directory PATH (mode 0700) with a new council, its root\n"
    "key protected by the passphrase (asked twice on a terminal), or given by\n"
    "--root-key-file (64 hex digits, kept by the integrator). Prints the\n"
    "council's id (a bare id, one line). The passphrase must pass\n"
    "libpwquality's check (score 50 of 100).\n"
    "\n"
    "Options:\n"
    "  --name NAME        the council's name\n"
    "  --weak-passphrase-ok\n"
    "                     accept a passphrase libpwquality finds weak (for\n"
    "                     tests and demos only)\n"
    "  --kdf-ops N, --kdf-mem BYTES\n"
    "                     the cost of deriving the key from the passphrase\n"
    "                     (default: libsodium's moderate limits)\n"
    "  --json             {\"council_id\": ID}, not the bare id\n"),
    "  council-cli --store ./council init --name \"Kita City council\" \\\n"
    "      --passphrase-file pass.txt\n",
};

static const cli_help info_help = {
    "[--json]",
    N_("Prints the council id, name, creation time, the library's, schema's and\n"
    "SQLCipher's versions, the root key's source, and the log's origin and\n"
    "public (verifier) key.\n"
    "\n"
    "Options:\n"
    "  --json             as a JSON object\n"),
    "  council-cli --store ./council info\n",
};

static const cli_help passphrase_help = {
    "[--new-passphrase-file FILE] [--weak-passphrase-ok] [--kdf-ops N] [--kdf-mem BYTES]",
    N_("Changes the passphrase that protects the root key. The new passphrase comes\n"
    "from --new-passphrase-file, else $COUNCIL_NEW_PASSPHRASE, else the terminal\n"
    "(asked twice), and must pass libpwquality's check (score 50 of 100). A\n"
    "council opened by --root-key-file has no passphrase.\n"
    "\n"
    "Options:\n"
    "  --new-passphrase-file FILE\n"
    "                     the new passphrase ('-': standard input)\n"
    "  --weak-passphrase-ok\n"
    "                     accept a passphrase libpwquality finds weak (for\n"
    "                     tests and demos only)\n"
    "  --kdf-ops N, --kdf-mem BYTES\n"
    "                     the cost of deriving the key from the passphrase\n"
    "                     (default: libsodium's moderate limits)\n"),
    "  council-cli --store ./council passphrase --passphrase-file old.txt \\\n"
    "      --new-passphrase-file new.txt\n",
};

static const cli_help timezone_help = {
    "[ZONE] [--json]",
    N_("Without ZONE, prints the council's time zone (any session). With ZONE, an\n"
    "IANA name of the system's tzdata such as Asia/Tokyo (the default) or UTC,\n"
    "sets it (the secretariat; logged as setting_changed). Times given to any\n"
    "command without an offset are read in this zone, and times are printed in\n"
    "it, unless --utc is given.\n"
    "\n"
    "Options:\n"
    "  --json             as a JSON object: {\"timezone\": ZONE}\n"),
    "  council-cli --store ./council timezone Asia/Tokyo\n",
};

static const cli_opt init_opts[] = {
    OPT_STR("name", council_opts, name),
    OPT_U64("kdf-ops", council_opts, kdf_ops),
    OPT_U64("kdf-mem", council_opts, kdf_mem),
    OPT_FLAG("weak-passphrase-ok", council_opts, weak_ok),
    OPT_FLAG("json", council_opts, json),
};
static const cli_spec init_spec = CLI_SPEC(init_opts, init_help, CLI_STORE, 0);

static const cli_opt info_opts[] = {
    OPT_FLAG("json", council_opts, json),
};
static const cli_spec info_spec = CLI_SPEC(info_opts, info_help, CLI_STORE | CLI_SESSION, 0);

static const cli_opt passphrase_opts[] = {
    OPT_STR("new-passphrase-file", council_opts, new_pass_file),
    OPT_U64("kdf-ops", council_opts, kdf_ops),
    OPT_U64("kdf-mem", council_opts, kdf_mem),
    OPT_FLAG("weak-passphrase-ok", council_opts, weak_ok),
};
static const cli_spec passphrase_spec = CLI_SPEC(passphrase_opts, passphrase_help, CLI_STORE, 0);

static const cli_opt timezone_opts[] = {
    OPT_FLAG("json", council_opts, json),
};
static const cli_spec timezone_spec = CLI_SPEC(timezone_opts, timezone_help,
                                               CLI_STORE | CLI_SESSION, 1);

/* Parse the command's options and run do. */
static int run(cli_ctx *x, int argc, char **argv, const cli_spec *s,
               int (*run_it)(const council_opts *o))
{
    const char *pos[CLI_MAX_POS];
    council_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, s, &o, pos);

    o.zone = pos[0];
    return rc != 0 ? CLI_PARSED(rc) : run_it(&o);
}

int cmd_init(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &init_spec, do_init);
}

int cmd_info(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &info_spec, do_info);
}

int cmd_passphrase(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &passphrase_spec, do_passphrase);
}

int cmd_timezone(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &timezone_spec, do_timezone);
}
