/*
 * open.c - passphrases, root keys and opening the store (see open.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "agent.h"
#include "cli.h"
#include "open.h"
#include "text.h"
#include "util.h"

/* Read a secret from a file (or "-" for stdin): at most `cap` bytes, one
 * trailing newline removed. Returns its length, or -1 with a message. */
static long read_secret_file(const char *path, char *buf, size_t cap, const char *what)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t n;

    if (f == NULL) {
        fprintf(stderr, _("%s: cannot open %s file: %s\n"), prog, what, strerror(errno));
        return -1;
    }
    /* Unbuffered: no copy of the secret is left in a stdio buffer. */
    if (f != stdin)
        (void)setvbuf(f, NULL, _IONBF, 0);
    n = fread(buf, 1, cap, f);
    if (f != stdin)
        fclose(f);
    if (n == cap) {
        fprintf(stderr, _("%s: %s file is too long\n"), prog, what);
        return -1;
    }
    return (long)secret_text_trim(buf, n);
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
        fprintf(stderr, _("%s: passphrase too long\n"), prog);
        return -1;
    }
    return (long)n;
}

/* The passphrase: from file, else environment, else terminal (twice when
 * `confirm`). Returns its length, -1 on failure, -2 when there is no source. */
long get_passphrase(const char *file, const char *env, int confirm,
                           const char *prompt, char *buf, size_t cap)
{
    const char *e;
    long n;

    if (file != NULL) {
        n = read_secret_file(file, buf, cap, _("passphrase"));
    } else if ((e = getenv(env)) != NULL) {
        size_t len = strlen(e);
        if (len >= cap) {
            fprintf(stderr, _("%s: $%s is too long\n"), prog, env);
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
        m = read_tty(_("Repeat passphrase: "), again, sizeof again);
        if (m != n || memcmp(buf, again, (size_t)n) != 0) {
            sodium_memzero(again, sizeof again);
            fprintf(stderr, _("%s: passphrases do not match\n"), prog);
            return -1;
        }
        sodium_memzero(again, sizeof again);
    }
    if (n == 0) {
        fprintf(stderr, _("%s: the passphrase is empty\n"), prog);
        return -1;
    }
    return n;
}

/* A root key file holds 64 hex digits (one trailing newline allowed). */
int read_root_key(const char *path, uint8_t key[COUNCIL_ROOT_KEY_BYTES])
{
    char hex[2 * COUNCIL_ROOT_KEY_BYTES + 4];
    long n = read_secret_file(path, hex, sizeof hex, _("root key"));
    int rc;

    if (n < 0)
        return -1;
    rc = root_key_text(key, hex, (size_t)n);
    if (rc == -1)
        fprintf(stderr, _("%s: root key file must hold %d hex digits\n"), prog,
                2 * COUNCIL_ROOT_KEY_BYTES);
    else if (rc != 0)
        fprintf(stderr, _("%s: root key file must hold only hex digits\n"), prog);
    sodium_memzero(hex, sizeof hex);
    return rc == 0 ? 0 : -1;
}

int get_creds(const cli_global *o, creds *cr, int confirm)
{
    long n;

    if (o->key_file != NULL) {
        if (read_root_key(o->key_file, cr->key) != 0)
            return EXIT_FAILURE;
        cr->have_key = 1;
        return 0;
    }
    n = get_passphrase(o->pass_file, "COUNCIL_PASSPHRASE", confirm, _("Passphrase: "),
                       cr->pass, sizeof cr->pass);
    if (n == -2)
        return usage("%s", _("no passphrase: use --passphrase-file, $COUNCIL_PASSPHRASE "
                           "or a terminal"));
    if (n < 0)
        return EXIT_FAILURE;
    cr->pass_len = (size_t)n;
    return 0;
}


/* ---------------------------------------------------------- who and why */

static const char *const root_reasons[] = { "setup", "recovery", "emergency", "key_management" };
static const char *default_reason, *default_note;

void open_who(const cli_global *in, cli_global *out)
{
    *out = *in;
    /* What only the council passphrase may do takes no staff by default. */
    if (default_reason == NULL && out->root_reason == NULL && out->key_file == NULL &&
        out->staff == NULL && out->keyfile == NULL) {
        const char *s = getenv("COUNCIL_STAFF"), *k = getenv("COUNCIL_KEYFILE");
        if (s != NULL && s[0] != '\0')
            out->staff = s;
        if (k != NULL && k[0] != '\0')
            out->keyfile = k;
    }
}

void open_root_default(const char *reason, const char *note)
{
    default_reason = reason;
    default_note = note;
}

int open_root_why(const cli_global *g, council_open_options *oo)
{
    const char *r = g->root_reason, *n = g->root_note;
    size_t i;

    if (r == NULL) {
        r = getenv("COUNCIL_ROOT_REASON");
        if (n == NULL)
            n = getenv("COUNCIL_ROOT_NOTE");
    }
    if ((r == NULL || r[0] == '\0') && default_reason != NULL) {
        r = default_reason;
        if (n == NULL || n[0] == '\0')
            n = default_note;
    }
    if (r == NULL || r[0] == '\0')
        return usage("%s", _("this would use the council passphrase (root): work as a person "
                             "(--staff ID --keyfile FILE, or $COUNCIL_STAFF and $COUNCIL_KEYFILE), "
                             "or say why with --root-reason setup|recovery|emergency|"
                             "key_management and --root-note TEXT"));
    for (i = 0; i < sizeof root_reasons / sizeof root_reasons[0]; i++)
        if (strcmp(r, root_reasons[i]) == 0)
            break;
    if (i == sizeof root_reasons / sizeof root_reasons[0])
        return usage(_("unknown root reason '%s': setup, recovery, emergency or key_management"), r);
    if (n == NULL || n[0] == '\0')
        return usage(_("--root-reason %s needs --root-note TEXT: the written reason, which the "
                       "store keeps beside the event"), r);
    oo->root_reason = r;
    oo->root_reason_text = n;
    fprintf(stderr, _("%s: using the council passphrase (root) for %s; the audit log records "
                      "it\n"), prog, r);
    return 0;
}

/* After council_open(): the council's time zone for the times given and
 * shown, or the failure said, the handle closed, and its exit status. */
static int opened(council **c, int rc)
{
    if (rc == COUNCIL_OK)
        rc = time_zone_use(*c);
    if (rc != COUNCIL_OK) {
        int status = failed("open", *c, rc);
        council_close(*c);
        *c = NULL;
        return status;
    }
    return 0;
}

/* A staff session: --staff ID --keyfile FILE, the member's passphrase. */
static int open_staff_session(const cli_global *o, council **c)
{
    council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
    uint8_t staff[COUNCIL_ID_BYTES];
    char pass[PASS_BUF], *kf;
    size_t kf_len;
    long n;
    int rc;

    if (o->staff == NULL || o->keyfile == NULL || id_arg(o->staff, staff) != 0)
        return usage("%s", _("a staff session needs --staff ID and --keyfile FILE"));
    if ((kf = slurp(o->keyfile, 8192, &kf_len, _("keyfile"))) == NULL)
        return EXIT_FAILURE;
    n = get_passphrase(o->pass_file, "COUNCIL_MEMBER_PASSPHRASE", 0, _("Member passphrase: "),
                       pass, sizeof pass);
    if (n < 0) {
        sodium_memzero(kf, kf_len);
        free(kf);
        return n == -2 ? usage("%s", _("no member passphrase: use --passphrase-file, "
                                     "$COUNCIL_MEMBER_PASSPHRASE or a terminal"))
                       : EXIT_FAILURE;
    }
    oo.staff_id = staff;
    oo.staff_id_len = sizeof staff;
    oo.keyfile = (const uint8_t *)kf;
    oo.keyfile_len = kf_len;
    oo.passphrase = (const uint8_t *)pass;
    oo.passphrase_len = (size_t)n;
    rc = council_open(c, o->store, &oo);
    sodium_memzero(pass, sizeof pass);
    sodium_memzero(kf, kf_len);
    free(kf);
    return opened(c, rc);
}

/* The store's unlocked session (council-cli unlock) for the --staff given,
 * or the secretariat's when none: 0 opened, -1 none (open as usual), or an
 * exit status. A secret that no longer opens the store (the root key or the
 * member's keys were replaced) is forgotten, and the usual way is taken. */
static int open_unlocked(const cli_global *o, council **c)
{
    council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
    uint8_t cid[COUNCIL_ID_BYTES], staff[COUNCIL_ID_BYTES], *secret;
    char desc[AGENT_DESC_MAX];
    int64_t expires = 0;
    size_t n = 0;
    int expired = 0, found, rc;

    if (council_store_id(o->store, cid, sizeof cid) != COUNCIL_OK)
        return -1; /* the usual open says what is wrong */
    if (o->staff != NULL && id_arg(o->staff, staff) != 0)
        return -1;
    agent_desc(desc, o->store, cid, o->staff != NULL ? staff : NULL);
    if ((secret = sodium_malloc(COUNCIL_SESSION_SECRET_MAX)) == NULL)
        return -1;
    found = agent_fetch(desc, secret, COUNCIL_SESSION_SECRET_MAX, &n, &expires, &expired);
    if (!found) {
        sodium_free(secret);
        if (expired)
            fprintf(stderr, _("%s: the unlocked session has expired (locked again)\n"), prog);
        return -1;
    }
    oo.session_secret = secret;
    oo.session_secret_len = n;
    if (o->staff == NULL && (rc = open_root_why(o, &oo)) != 0) {
        sodium_memzero(secret, COUNCIL_SESSION_SECRET_MAX);
        sodium_free(secret);
        return rc;
    }
    rc = council_open(c, o->store, &oo);
    sodium_memzero(secret, COUNCIL_SESSION_SECRET_MAX);
    sodium_free(secret);
    if (rc == COUNCIL_EAUTH || rc == COUNCIL_EFORMAT) {
        council_close(*c);
        *c = NULL;
        agent_revoke(desc);
        fprintf(stderr, _("%s: the unlocked session no longer opens the store (locked again)\n"),
                prog);
        return -1;
    }
    if (rc == COUNCIL_EDENIED)
        agent_revoke(desc); /* a staff member retired, or the member withdrew */
    return opened(c, rc);
}

int open_council(const cli_global *in, council **c)
{
    cli_global who, *o = &who;

    open_who(in, &who);
    *c = NULL;
    /* An explicit --passphrase-file or --root-key-file wins. */
    if (o->pass_file == NULL && o->key_file == NULL && (o->keyfile == NULL || o->staff != NULL)) {
        int rc = open_unlocked(o, c);
        if (rc >= 0)
            return rc;
    }
    return open_locked(o, c);
}

int open_locked(const cli_global *in, council **c)
{
    council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
    cli_global who, *o = &who;
    creds cr;
    int rc;

    open_who(in, &who);
    memset(&cr, 0, sizeof cr);
    *c = NULL;
    if (o->root_reason != NULL && (o->staff != NULL || o->keyfile != NULL))
        return usage("%s", _("--root-reason is for the council passphrase, not a staff session"));
    if (o->staff != NULL || o->keyfile != NULL)
        return open_staff_session(o, c);
    if ((rc = open_root_why(o, &oo)) != 0)
        return rc;
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
    sodium_memzero(&cr, sizeof cr);
    return opened(c, rc);
}
