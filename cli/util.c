/*
 * util.c - the CLI's small helpers: numbers, times, ids, hex, lists, and
 * files (see util.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <uuid/uuid.h>

#include "cli.h"
#include "text.h"
#include "util.h"

int parse_u64(const char *s, unsigned long long *out)
{
    char *end;

    if (s == NULL || s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    *out = strtoull(s, &end, 10);
    return errno != 0 || *end != '\0' ? -1 : 0;
}


/* Unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC). */
int parse_time(const char *s, int64_t *out)
{
    unsigned long long u;
    int y, mo, d, h = 0, mi = 0, se = 0, n = 0;
    int64_t days;

    if (parse_u64(s, &u) == 0 && strchr(s, '-') == NULL) {
        if (u > INT64_MAX)
            return -1;
        *out = (int64_t)u;
        return 0;
    }
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
        return -1;
    if (s[n] == 'T' && sscanf(s + n, "T%2d:%2d:%2dZ", &h, &mi, &se) == 3 && strlen(s + n) == 10)
        n += 10;
    if (s[n] != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return -1;
    /* days from 1970-01-01 (proleptic Gregorian) */
    y -= mo <= 2;
    {
        int era = (y >= 0 ? y : y - 399) / 400;
        int yoe = y - era * 400;
        int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        days = (int64_t)era * 146097 + doe - 719468;
    }
    *out = days * 86400 + h * 3600 + mi * 60 + se;
    return 0;
}

void utc_text(char *out, size_t n, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (gmtime_r(&tt, &tm) == NULL || strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, n, "%lld", (long long)t);
}

void hex_text(char *out, const uint8_t *p, size_t n)
{
    sodium_bin2hex(out, 2 * n + 1, p, n);
}

void uuid_text_of(char out[37], const uint8_t id[16])
{
    uuid_unparse_lower(id, out);
}

int id_arg(const char *text, uint8_t id[COUNCIL_ID_BYTES])
{
    return text != NULL && uuid_bytes(text, id) == 0 ? 0 : -1;
}

/* Split "a,b,c" into up to `cap` pointers into `buf` (a copy). */
int split_list(const char *text, char *buf, size_t buf_len, const char **out, size_t cap,
                      size_t *n)
{
    char *save = NULL, *tok;

    *n = 0;
    if (strlen(text) >= buf_len)
        return -1;
    strcpy(buf, text);
    for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        if (*n >= cap)
            return -1;
        out[(*n)++] = tok;
    }
    return 0;
}

/* "  label:        value", later lines of the value indented to match;
 * `mark` (or "") before the value. */
void field_line(const char *label, const char *mark, const char *value)
{
    printf("  %-16s%s", label, mark);
    for (const char *p = value; *p != '\0'; p++) {
        putchar(*p);
        if (*p == '\n' && p[1] != '\0')
            printf("%18s%s", "", *mark != '\0' ? "  " : "");
    }
    putchar('\n');
}

int print_buf_and_close(council *c, council_buf *buf, int rc, const char *op)
{
    if (rc != COUNCIL_OK) {
        rc = failed(op, c, rc);
    } else {
        rc = fwrite(buf->ptr, 1, buf->len, stdout) == buf->len ? 0 : EXIT_FAILURE;
    }
    council_buf_free(buf);
    council_close(c);
    return rc;
}

int close_council(council *c, int rc, const char *op)
{
    rc = rc == COUNCIL_OK ? 0 : rc > 0 ? rc : failed(op, c, rc);
    council_close(c);
    return rc;
}

/* ----------------------------------------------------------------- files */


/* Create FILE for what only its reader may see (a secret key, a sealed
 * meeting packet): exclusively, so an existing file or a symbolic link is
 * refused, with mode 0600. Returns the descriptor, or -1 with a message. */
int create_private(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

    if (fd < 0)
        fprintf(stderr, "%s: cannot create %s: %s\n", prog, path, strerror(errno));
    return fd;
}

/* Write all of p with write(2) (no stdio buffer keeps a copy), sync and
 * close fd. Returns 0, or -1 with errno set; fd is closed either way. */
int finish_private(int fd, const void *p, size_t n)
{
    const unsigned char *b = p;
    int saved;

    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            goto fail;
        }
        b += w;
        n -= (size_t)w;
    }
    if (fsync(fd) != 0)
        goto fail;
    return close(fd);
fail:
    saved = errno;
    (void)close(fd);
    errno = saved;
    return -1;
}

/* Read a whole (small) file into a new NUL-terminated buffer. */
char *slurp(const char *path, size_t cap, size_t *len, const char *what)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *buf;
    size_t n;

    if (f == NULL) {
        fprintf(stderr, "%s: cannot open %s %s: %s\n", prog, what, path, strerror(errno));
        return NULL;
    }
    if (f != stdin)
        (void)setvbuf(f, NULL, _IONBF, 0); /* it may hold a secret key */
    buf = malloc(cap + 1);
    if (buf == NULL) {
        if (f != stdin)
            fclose(f);
        return NULL;
    }
    n = fread(buf, 1, cap + 1, f);
    if (f != stdin)
        fclose(f);
    if (n > cap) {
        fprintf(stderr, "%s: %s %s is too large\n", prog, what, path);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* A verifier key given as text, or as @FILE. Returns a new string. */
char *vkey_arg(const char *arg)
{
    size_t len;
    char *k;

    if (arg[0] != '@')
        return strdup(arg);
    k = slurp(arg + 1, 1024, &len, "key file");
    if (k != NULL)
        k[strcspn(k, "\r\n")] = '\0';
    return k;
}

/* Read section content from FILE, or "-" for standard input, with read(2):
 * no stdio buffer keeps a copy. At most `cap` bytes. */
char *read_content(const char *path, size_t cap, size_t *len)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    size_t n = 0;
    char *buf;

    if (fd < 0) {
        fprintf(stderr, "%s: cannot open %s: %s\n", prog, path, strerror(errno));
        return NULL;
    }
    if ((buf = malloc(cap + 1)) == NULL) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto fail;
    }
    for (;;) {
        ssize_t r = read(fd, buf + n, cap + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            fprintf(stderr, "%s: cannot read %s: %s\n", prog, path, strerror(errno));
            goto fail;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > cap) {
            fprintf(stderr, "%s: the section JSON is larger than %zu bytes\n", prog, cap);
            goto fail;
        }
    }
    if (fd != STDIN_FILENO)
        (void)close(fd);
    *len = n;
    return buf;
fail:
    if (buf != NULL) {
        wipe(buf, n);
        free(buf);
    }
    if (fd != STDIN_FILENO)
        (void)close(fd);
    return NULL;
}

