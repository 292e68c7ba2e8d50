/*
 * guard.c - the question before an irreversible act, and the strength of
 * a new passphrase (see guard.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pwquality.h>
#include <sodium.h>

#include "cli.h"
#include "guard.h"

/* One line from the terminal (echoed): 0, or -1 (no terminal, end of
 * input). A longer line is cut, so it cannot read as "yes". */
static int read_answer(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    int cut = 0;
    char ch;

    for (;;) {
        ssize_t r = read(fd, &ch, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return n > 0 ? 0 : -1;
        if (ch == '\n')
            break;
        if (n + 1 < cap)
            buf[n++] = ch;
        else
            cut = 1;
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[cut ? 0 : n] = '\0';
    return 0;
}

int confirm_act(int yes, const char *what, ...)
{
    char question[512], answer[16];
    va_list ap;
    int fd, rc;

    if (yes)
        return 0;
    va_start(ap, what);
    vsnprintf(question, sizeof question, what, ap);
    va_end(ap);
    if (!isatty(STDIN_FILENO) ||
        (fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
        return usage(_("%s.\nThis cannot be undone; not on a terminal, so give --yes to confirm"),
                     question);
    dprintf(fd, _("%s.\nThis cannot be undone. Type 'yes' to go on: "), question);
    rc = read_answer(fd, answer, sizeof answer);
    close(fd);
    if (rc != 0 || strcmp(answer, "yes") != 0) {
        fprintf(stderr, _("%s: not confirmed; nothing was changed\n"), prog);
        return EXIT_FAILURE;
    }
    return 0;
}

int check_new_passphrase(const char *pass, size_t len, const char *old, size_t old_len,
                         int weak_ok, const char *what)
{
    pwquality_settings_t *pwq;
    char *p, *o = NULL, reason[256];
    void *aux = NULL;
    int score;

    if (weak_ok)
        return 0;
    if (len >= PASS_BUF || old_len >= PASS_BUF) {
        fprintf(stderr, _("%s: %s is too long\n"), prog, what);
        return EXIT_FAILURE;
    }
    /* NUL-terminated copies for pwquality, wiped after. */
    p = sodium_malloc(PASS_BUF);
    if (old != NULL)
        o = sodium_malloc(PASS_BUF);
    pwq = pwquality_default_settings();
    if (p == NULL || (old != NULL && o == NULL) || pwq == NULL) {
        fprintf(stderr, _("%s: out of memory\n"), prog);
        sodium_free(p);
        sodium_free(o);
        pwquality_free_settings(pwq);
        return EXIT_FAILURE;
    }
    memcpy(p, pass, len);
    p[len] = '\0';
    if (o != NULL) {
        memcpy(o, old, old_len);
        o[old_len] = '\0';
    }
    score = pwquality_check(pwq, p, o, NULL, &aux);
    /* pwquality_strerror frees aux; its text names the rule, never the
     * passphrase. */
    if (score < 0)
        (void)pwquality_strerror(reason, sizeof reason, score, aux);
    sodium_free(p);
    sodium_free(o);
    pwquality_free_settings(pwq);
    if (score < 0)
        return usage(_("%s is too weak: %s (give --weak-passphrase-ok only for tests and demos)"),
                     what, reason);
    if (score < PASSPHRASE_MIN_SCORE)
        return usage(_("%s is too weak: its strength is %d of 100, below %d: make it longer "
                     "(give --weak-passphrase-ok only for tests and demos)"),
                     what, score, PASSPHRASE_MIN_SCORE);
    return 0;
}
