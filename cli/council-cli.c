/*
 * council-cli - the council secretariat's tool.
 *
 * Uses only council.h, the shared library, and the public message formats
 * in proto/. Exit status: 0 success, 1 refused or failed, 2 usage error.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "council.h"
#include "council/v1/info.pb-c.h"

#define EXIT_USAGE 2
#define PASS_BUF (COUNCIL_PASSPHRASE_MAX + 3)

static const char *prog = "council-cli";

static const char usage_text[] =
    "usage: council-cli [--store PATH] COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  init --name NAME        create a council store at PATH\n"
    "       [--root-key-file FILE] [--kdf-ops N] [--kdf-mem BYTES]\n"
    "  info [--json]           show the council id, name, versions and log key\n"
    "  passphrase              change the passphrase that protects the root key\n"
    "       [--new-passphrase-file FILE] [--kdf-ops N] [--kdf-mem BYTES]\n"
    "\n"
    "Options for every command:\n"
    "  --store PATH            the store directory (default: $COUNCIL_STORE)\n"
    "  --passphrase-file FILE  read the passphrase from FILE ('-': standard input)\n"
    "  --root-key-file FILE    the integrator's root key: 64 hex digits\n"
    "  -h, --help              show this help;  --version  show the version\n"
    "\n"
    "The passphrase comes from --passphrase-file, else $COUNCIL_PASSPHRASE, else\n"
    "the terminal (not echoed). The new passphrase comes from\n"
    "--new-passphrase-file, else $COUNCIL_NEW_PASSPHRASE, else the terminal.\n"
    "Exit status: 0 success, 1 refused or failed, 2 usage error.\n";

/* ------------------------------------------------------------- messages */

__attribute__((format(printf, 1, 2)))
static int usage(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'council-cli --help'.\n");
    return EXIT_USAGE;
}

static int failed(const char *op, council *c, int rc)
{
    if (c != NULL) /* the library's message names the operation itself */
        fprintf(stderr, "%s: %s (%s)\n", prog, council_errmsg(c), council_errstr(rc));
    else
        fprintf(stderr, "%s: %s: %s\n", prog, op, council_errstr(rc));
    return EXIT_FAILURE;
}

/* Overwrite secrets the optimiser may not elide. */
static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;

    while (n-- > 0)
        *v++ = 0;
}

/* ------------------------------------------------------------ arguments */

typedef struct opts {
    const char *store;
    const char *name;
    const char *pass_file;
    const char *new_pass_file;
    const char *key_file;
    unsigned long long kdf_ops;
    unsigned long long kdf_mem;
    int json;
} opts;

static int parse_u64(const char *s, unsigned long long *out)
{
    char *end;

    if (s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    *out = strtoull(s, &end, 10);
    return errno != 0 || *end != '\0' ? -1 : 0;
}

/* Take the value of --opt VALUE or --opt=VALUE. */
static int take(int argc, char **argv, int *i, const char *opt, const char **val)
{
    size_t n = strlen(opt);

    if (strncmp(argv[*i], opt, n) != 0)
        return 0;
    if (argv[*i][n] == '=') {
        *val = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *val = argv[++*i];
    return 1;
}

/* Parse options (anywhere on the line) and the command word. */
static int parse_args(int argc, char **argv, opts *o, const char **cmd)
{
    static const struct { const char *name; size_t off; } valued[] = {
        { "--store", offsetof(opts, store) },
        { "--name", offsetof(opts, name) },
        { "--passphrase-file", offsetof(opts, pass_file) },
        { "--new-passphrase-file", offsetof(opts, new_pass_file) },
        { "--root-key-file", offsetof(opts, key_file) },
    };
    *cmd = NULL;
    for (int i = 1; i < argc; i++) {
        const char *val = NULL;
        int hit = 0;

        for (size_t k = 0; k < sizeof valued / sizeof valued[0] && hit == 0; k++) {
            hit = take(argc, argv, &i, valued[k].name, &val);
            if (hit < 0)
                return usage("option '%s' needs a value", valued[k].name);
            if (hit > 0)
                *(const char **)(void *)((char *)o + valued[k].off) = val;
        }
        if (hit > 0)
            continue;
        if ((hit = take(argc, argv, &i, "--kdf-ops", &val)) != 0) {
            if (hit < 0 || parse_u64(val, &o->kdf_ops) != 0)
                return usage("--kdf-ops needs a whole number, not '%s'", val ? val : "");
        } else if ((hit = take(argc, argv, &i, "--kdf-mem", &val)) != 0) {
            if (hit < 0 || parse_u64(val, &o->kdf_mem) != 0)
                return usage("--kdf-mem needs a whole number of bytes, not '%s'", val ? val : "");
        } else if (strcmp(argv[i], "--json") == 0) {
            o->json = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage("unknown option '%s'", argv[i]);
        } else if (*cmd == NULL) {
            *cmd = argv[i];
        } else {
            return usage("unexpected argument '%s'", argv[i]);
        }
    }
    return 0;
}

/* ---------------------------------------------------------- passphrases */

/* Read a secret from a file (or "-" for stdin): at most `cap` bytes, one
 * trailing newline removed. Returns its length, or -1 with a message. */
static long read_secret_file(const char *path, char *buf, size_t cap, const char *what)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t n;

    if (f == NULL) {
        fprintf(stderr, "%s: cannot open %s file: %s\n", prog, what, strerror(errno));
        return -1;
    }
    n = fread(buf, 1, cap, f);
    if (f != stdin)
        fclose(f);
    if (n == cap) {
        fprintf(stderr, "%s: %s file is too long\n", prog, what);
        return -1;
    }
    if (n > 0 && buf[n - 1] == '\n')
        n--;
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    return (long)n;
}

/* Read one line from the terminal without echo. */
static long read_tty(const char *prompt, char *buf, size_t cap)
{
    struct termios old, quiet;
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    size_t n = 0;
    char ch;

    if (fd < 0)
        return -2;
    if (tcgetattr(fd, &old) != 0) {
        close(fd);
        return -2;
    }
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
    quiet.c_lflag |= ICANON;
    (void)tcsetattr(fd, TCSAFLUSH, &quiet);
    if (write(fd, prompt, strlen(prompt)) < 0) {
        (void)tcsetattr(fd, TCSAFLUSH, &old);
        close(fd);
        return -2;
    }
    while (read(fd, &ch, 1) == 1 && ch != '\n') {
        if (n + 1 < cap)
            buf[n++] = ch;
        else
            n = cap; /* too long: keep reading the line, then refuse */
    }
    ch = 0;
    (void)tcsetattr(fd, TCSAFLUSH, &old);
    {
        /* The line was read; a newline lost on the terminal is harmless. */
        ssize_t w = write(fd, "\n", 1);
        (void)w;
    }
    close(fd);
    if (n >= cap - 1) {
        fprintf(stderr, "%s: passphrase too long\n", prog);
        return -1;
    }
    return (long)n;
}

/* The passphrase: from file, else environment, else terminal (twice when
 * `confirm`). Returns its length, -1 on failure, -2 when there is no source. */
static long get_passphrase(const char *file, const char *env, int confirm,
                           const char *prompt, char *buf, size_t cap)
{
    const char *e;
    long n;

    if (file != NULL) {
        n = read_secret_file(file, buf, cap, "passphrase");
    } else if ((e = getenv(env)) != NULL) {
        size_t len = strlen(e);
        if (len >= cap) {
            fprintf(stderr, "%s: $%s is too long\n", prog, env);
            return -1;
        }
        memcpy(buf, e, len);
        n = (long)len;
    } else {
        char again[PASS_BUF];
        long m;

        n = read_tty(prompt, buf, cap);
        if (n < 0 || !confirm)
            return n == -2 ? -2 : n;
        m = read_tty("Repeat passphrase: ", again, sizeof again);
        if (m != n || memcmp(buf, again, (size_t)n) != 0) {
            wipe(again, sizeof again);
            fprintf(stderr, "%s: passphrases do not match\n", prog);
            return -1;
        }
        wipe(again, sizeof again);
    }
    if (n == 0) {
        fprintf(stderr, "%s: the passphrase is empty\n", prog);
        return -1;
    }
    return n;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* A root key file holds 64 hex digits (one trailing newline allowed). */
static int read_root_key(const char *path, uint8_t key[COUNCIL_ROOT_KEY_BYTES])
{
    char hex[2 * COUNCIL_ROOT_KEY_BYTES + 4];
    long n = read_secret_file(path, hex, sizeof hex, "root key");
    int rc = -1;

    if (n < 0)
        return -1;
    if (n != 2 * COUNCIL_ROOT_KEY_BYTES) {
        fprintf(stderr, "%s: root key file must hold %d hex digits\n", prog,
                2 * COUNCIL_ROOT_KEY_BYTES);
        goto out;
    }
    for (size_t i = 0; i < COUNCIL_ROOT_KEY_BYTES; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            fprintf(stderr, "%s: root key file must hold only hex digits\n", prog);
            goto out;
        }
        key[i] = (uint8_t)(hi << 4 | lo);
    }
    rc = 0;
out:
    wipe(hex, sizeof hex);
    return rc;
}

/* Credentials for open: root key file if given, else passphrase. */
typedef struct creds {
    char pass[PASS_BUF];
    size_t pass_len;
    uint8_t key[COUNCIL_ROOT_KEY_BYTES];
    int have_key;
} creds;

static int get_creds(const opts *o, creds *cr, int confirm)
{
    long n;

    if (o->key_file != NULL) {
        if (read_root_key(o->key_file, cr->key) != 0)
            return EXIT_FAILURE;
        cr->have_key = 1;
        return 0;
    }
    n = get_passphrase(o->pass_file, "COUNCIL_PASSPHRASE", confirm, "Passphrase: ",
                       cr->pass, sizeof cr->pass);
    if (n == -2)
        return usage("%s", "no passphrase: use --passphrase-file, $COUNCIL_PASSPHRASE "
                           "or a terminal");
    if (n < 0)
        return EXIT_FAILURE;
    cr->pass_len = (size_t)n;
    return 0;
}

static int open_council(const opts *o, council **c)
{
    council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
    creds cr;
    int rc;

    memset(&cr, 0, sizeof cr);
    *c = NULL;
    rc = get_creds(o, &cr, 0);
    if (rc != 0)
        return rc;
    if (cr.have_key) {
        oo.root_key = cr.key;
        oo.root_key_len = sizeof cr.key;
    } else {
        oo.passphrase = (const uint8_t *)cr.pass;
        oo.passphrase_len = cr.pass_len;
    }
    rc = council_open(c, o->store, &oo);
    wipe(&cr, sizeof cr);
    if (rc != COUNCIL_OK) {
        failed("open", *c, rc);
        council_close(*c);
        *c = NULL;
        return EXIT_FAILURE;
    }
    return 0;
}

/* ------------------------------------------------------------- commands */

static int cmd_init(const opts *o)
{
    council_create_options co = COUNCIL_CREATE_OPTIONS_INIT;
    Council__V1__CouncilInfo *info = NULL;
    council_buf buf = { NULL, 0 };
    council *c = NULL;
    creds cr;
    int rc;

    if (o->name == NULL)
        return usage("%s", "init needs --name NAME");
    memset(&cr, 0, sizeof cr);
    rc = get_creds(o, &cr, 1);
    if (rc != 0)
        return rc;
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
    rc = council_create(&c, o->store, &co);
    wipe(&cr, sizeof cr);
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
        printf("%s\n", info->council_id_text);
        fprintf(stderr, "%s: created council %s in %s\n", prog, info->council_id_text, o->store);
        rc = 0;
    }
    council__v1__council_info__free_unpacked(info, NULL);
    council_buf_free(&buf);
    council_close(c);
    return rc;
}

static void utc_text(char *out, size_t n, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (gmtime_r(&tt, &tm) == NULL || strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, n, "%lld", (long long)t);
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

static int cmd_info(const opts *o)
{
    Council__V1__CouncilInfo *m = NULL;
    council_buf buf = { NULL, 0 };
    council *c;
    char created[32];
    int rc;

    if ((rc = open_council(o, &c)) != 0)
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
    utc_text(created, sizeof created, m->created);
    if (o->json) {
        rc = print_info_json(m, created);
    } else {
        printf("council id:         %s\n", m->council_id_text);
        printf("name:               %s\n", m->name);
        printf("created:            %s\n", created);
        printf("schema version:     %u\n", m->schema_version);
        printf("library version:    %s\n", m->library_version);
        printf("sqlcipher version:  %s\n", m->cipher_version);
        printf("keyring format:     %u\n", m->keyring_format);
        printf("root key:           %s\n", root_source_text(m->root_source));
        printf("log origin:         %s\n", m->log_origin);
        printf("log public key:     %s\n", m->log_verifier_key);
        rc = 0;
    }
out:
    council__v1__council_info__free_unpacked(m, NULL);
    council_buf_free(&buf);
    council_close(c);
    return rc;
}

static int cmd_passphrase(const opts *o)
{
    council *c;
    char pass[PASS_BUF], fresh[PASS_BUF];
    long n, m;
    int rc;

    if (o->key_file != NULL)
        return usage("%s", "passphrase: a council opened by root key has no passphrase");
    n = get_passphrase(o->pass_file, "COUNCIL_PASSPHRASE", 0, "Current passphrase: ",
                       pass, sizeof pass);
    if (n == -2)
        return usage("%s", "no passphrase: use --passphrase-file, $COUNCIL_PASSPHRASE "
                           "or a terminal");
    if (n < 0)
        return EXIT_FAILURE;
    m = get_passphrase(o->new_pass_file, "COUNCIL_NEW_PASSPHRASE", 1, "New passphrase: ",
                       fresh, sizeof fresh);
    if (m < 0) {
        wipe(pass, sizeof pass);
        return m == -2 ? usage("%s", "no new passphrase: use --new-passphrase-file, "
                                     "$COUNCIL_NEW_PASSPHRASE or a terminal")
                       : EXIT_FAILURE;
    }
    {
        council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
        oo.passphrase = (const uint8_t *)pass;
        oo.passphrase_len = (size_t)n;
        rc = council_open(&c, o->store, &oo);
    }
    if (rc != COUNCIL_OK) {
        rc = failed("open", c, rc);
    } else {
        rc = council_passphrase_change(c, (const uint8_t *)pass, (size_t)n,
                                       (const uint8_t *)fresh, (size_t)m,
                                       o->kdf_ops, o->kdf_mem);
        rc = rc == COUNCIL_OK ? 0 : failed("passphrase", c, rc);
        if (rc == 0)
            fprintf(stderr, "%s: passphrase changed\n", prog);
    }
    wipe(pass, sizeof pass);
    wipe(fresh, sizeof fresh);
    council_close(c);
    return rc;
}

int main(int argc, char **argv)
{
    opts o;
    const char *cmd;
    int rc;

    memset(&o, 0, sizeof o);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("council-cli %s (libcouncil %s)\n", COUNCIL_VERSION_STRING,
                   council_version_string());
            return 0;
        }
    }
    /* The library loaded must be the one this tool was built against. */
    if (council_version_number() / 100 != COUNCIL_VERSION_NUMBER / 100) {
        fprintf(stderr, "%s: built for libcouncil %s but loaded %s\n", prog,
                COUNCIL_VERSION_STRING, council_version_string());
        return EXIT_FAILURE;
    }
    if ((rc = parse_args(argc, argv, &o, &cmd)) != 0)
        return rc;
    if (cmd == NULL)
        return usage("%s", "no command given");
    if (o.store == NULL)
        o.store = getenv("COUNCIL_STORE");
    if (o.store == NULL || o.store[0] == '\0')
        return usage("%s", "no store: give --store PATH or set COUNCIL_STORE");
    if (o.pass_file != NULL && o.key_file != NULL)
        return usage("%s", "give --passphrase-file or --root-key-file, not both");
    if (council_global_init() != COUNCIL_OK)
        return failed("init", NULL, COUNCIL_ERROR);

    if (strcmp(cmd, "init") == 0)
        return cmd_init(&o);
    if (o.name != NULL)
        return usage("%s", "--name belongs to init");
    if (strcmp(cmd, "info") == 0)
        return cmd_info(&o);
    if (strcmp(cmd, "passphrase") == 0)
        return cmd_passphrase(&o);
    return usage("unknown command '%s'", cmd);
}
