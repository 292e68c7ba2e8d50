#define _DEFAULT_SOURCE /* timegm, tm_gmtoff */
#define _XOPEN_SOURCE 700 /* strptime */
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
#include <wchar.h>

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


/* ----------------------------------------------------------------- times */

/* Times without an offset wait for the council's zone, which is known once
 * the store is open: open_council() calls time_zone_use(), which sets TZ
 * (the CLI is single-threaded) and resolves them. */
typedef struct pending_time {
    int64_t *out;
    struct tm tm;
    time_kind kind;
    int date_only;
} pending_time;

static pending_time pending[8];
static size_t n_pending;
static int zone_set, utc_out;

void time_utc_output(void)
{
    utc_out = 1;
}

/* tm (as parsed) names a real moment: timegm's normalisation keeps it. */
static int tm_real(const struct tm *tm)
{
    struct tm n = *tm;

    n.tm_isdst = 0;
    if (timegm(&n) == (time_t)-1 && errno == EOVERFLOW)
        return 0;
    return n.tm_year == tm->tm_year && n.tm_mon == tm->tm_mon && n.tm_mday == tm->tm_mday &&
           n.tm_hour == tm->tm_hour && n.tm_min == tm->tm_min && n.tm_sec == tm->tm_sec;
}

/* A date alone: its first moment; for an end, the first moment of the next
 * day (TIME_END: the library's ends are exclusive) or the second before it
 * (TIME_END_INCLUSIVE: audit show --until). In the zone TZ names. */
static void resolve(pending_time *p)
{
    struct tm tm = p->tm;
    time_t t;

    tm.tm_isdst = -1;
    if (p->date_only && p->kind != TIME_START)
        tm.tm_mday += 1; /* mktime normalises the next day */
    t = mktime(&tm);
    if (p->date_only && p->kind == TIME_END_INCLUSIVE)
        t -= 1;
    *p->out = (int64_t)t;
}

/* The time parsed: 0; -1 (not such a form) or -2 (no such date or time). */
static int parse_time_text(const char *s, time_kind kind, int64_t *out)
{
    unsigned long long u;
    struct tm tm;
    const char *p;
    int date_only = 0;

    if (parse_u64(s, &u) == 0) {
        if (u > INT64_MAX)
            return -1;
        *out = (int64_t)u;
        return 0;
    }
    memset(&tm, 0, sizeof tm);
    p = strptime(s, "%Y-%m-%d", &tm);
    if (p == NULL || p - s != 10 || s[4] != '-' || s[7] != '-')
        return strlen(s) >= 10 && s[4] == '-' && s[7] == '-' ? -2 : -1;
    if (*p == '\0') {
        date_only = 1;
    } else {
        const char *q;
        if (*p != 'T' && *p != 't')
            return -1;
        q = strptime(p + 1, "%H:%M:%S", &tm);
        if (q == NULL || q - (p + 1) != 8)
            return p[1] != '\0' && strchr(p + 1, ':') != NULL ? -2 : -1;
        p = q;
    }
    if (!tm_real(&tm))
        return -2;
    if (*p == 'Z' || *p == 'z' || *p == '+' || *p == '-') {
        long off = 0;
        time_t t;
        if (*p == '+' || *p == '-') {
            int hh, mm, n = 0;
            if (strlen(p) != 6 || p[3] != ':' || sscanf(p + 1, "%2d:%2d%n", &hh, &mm, &n) != 2 ||
                n != 5 || p[1] < '0' || p[1] > '9' || p[4] < '0' || p[4] > '9')
                return -1;
            if (hh > 23 || mm > 59)
                return -2;
            off = (*p == '-' ? -1L : 1L) * (hh * 3600L + mm * 60L);
        } else if (p[1] != '\0') {
            return -1;
        }
        if (date_only)
            return -1;
        tm.tm_isdst = 0;
        t = timegm(&tm);
        *out = (int64_t)t - off;
        return 0;
    }
    if (*p != '\0' || n_pending >= sizeof pending / sizeof pending[0])
        return -1;
    pending[n_pending] = (pending_time){ out, tm, kind, date_only };
    if (zone_set)
        resolve(&pending[n_pending]);
    n_pending++;
    return 0;
}

int time_arg(const char *opt, const char *s, time_kind kind, int64_t *out)
{
    int rc = parse_time_text(s, kind, out);

    if (rc == -2)
        return usage(_("%s: no such date or time: '%s'"), opt, s);
    if (rc != 0)
        return usage(_("%s: not a time: '%s' (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS in the council's "
                     "zone, or with Z or +hh:mm)"), opt, s);
    return 0;
}

int time_zone_use(council *c)
{
    char tz[COUNCIL_TIMEZONE_MAX + 1];
    int rc = council_timezone_get(c, tz, sizeof tz);

    /* A stored zone the secretariat did not set (forged, or gone from the
     * system's tzdata) must not lock everyone out, the secretariat's repair
     * included: times are shown in UTC, said so, and only a time given
     * without an offset (which the zone would have to read) is refused. */
    if (rc == COUNCIL_ETAMPER || rc == COUNCIL_EFORMAT) {
        fprintf(stderr, _("%s: warning: %s; times are shown in UTC until the secretariat sets the "
                "zone again (council-cli timezone ZONE)\n"), prog, council_errmsg(c));
        if (n_pending > 0) {
            fprintf(stderr, _("%s: a time without an offset needs the council's zone: give it with "
                    "one (such as +09:00 or Z)\n"), prog);
            return rc;
        }
        snprintf(tz, sizeof tz, "UTC");
        utc_out = 1;
        rc = COUNCIL_OK;
    }
    if (rc != COUNCIL_OK)
        return rc;
    if (setenv("TZ", tz, 1) != 0)
        return COUNCIL_ENOMEM;
    tzset();
    zone_set = 1;
    for (size_t i = 0; i < n_pending; i++)
        resolve(&pending[i]);
    return COUNCIL_OK;
}

void time_text(char *out, size_t n, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    size_t len;

    if (!zone_set || utc_out) {
        if (gmtime_r(&tt, &tm) == NULL || strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
            snprintf(out, n, "%lld", (long long)t);
        return;
    }
    if (localtime_r(&tt, &tm) == NULL || (len = strftime(out, n, "%Y-%m-%dT%H:%M:%S", &tm)) == 0) {
        snprintf(out, n, "%lld", (long long)t);
        return;
    }
    {
        long off = tm.tm_gmtoff, a = off < 0 ? -off : off;
        snprintf(out + len, n - len, "%c%02ld:%02ld", off < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
    }
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
const char *col(const char *s, int width)
{
    static char bufs[8][160];
    static unsigned next;
    char *out = bufs[next++ % 8];
    size_t len = strlen(s), w = 0, want = (size_t)(width < 0 ? -width : width);
    mbstate_t st;

    memset(&st, 0, sizeof st);
    for (size_t i = 0; i < len;) {
        wchar_t wc;
        size_t k = mbrtowc(&wc, s + i, len - i, &st);
        int cw;
        if (k == (size_t)-1 || k == (size_t)-2 || k == 0) { /* not text of the locale: bytes */
            w += len - i;
            break;
        }
        cw = wcwidth(wc);
        w += cw > 0 ? (size_t)cw : 0;
        i += k;
    }
    if (w >= want || len + (want - w) >= sizeof bufs[0])
        return s;
    if (width < 0)
        snprintf(out, sizeof bufs[0], "%s%*s", s, (int)(want - w), "");
    else
        snprintf(out, sizeof bufs[0], "%*s%s", (int)(want - w), "", s);
    return out;
}

void field_line(const char *label, const char *mark, const char *value)
{
    printf("  %s%s", col(label, -16), mark);
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
    int fd;

    if (strcmp(path, "-") == 0) {
        /* Standard output: what is written goes with write(2), after
         * anything stdio holds. */
        fflush(stdout);
        if ((fd = dup(STDOUT_FILENO)) < 0)
            fprintf(stderr, _("%s: cannot write to standard output: %s\n"), prog, strerror(errno));
        return fd;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

    if (fd < 0)
        fprintf(stderr, _("%s: cannot create %s: %s\n"), prog, path, strerror(errno));
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
    /* A pipe or a terminal (--out -) cannot be synced; a file must be. */
    if (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP)
        goto fail;
    return close(fd);
fail:
    saved = errno;
    (void)close(fd);
    errno = saved;
    return -1;
}

void remove_private(const char *path)
{
    if (strcmp(path, "-") != 0)
        (void)unlink(path);
}

int tmp_out_make(tmp_out *t)
{
    const char *base = getenv("TMPDIR");

    if (base == NULL || base[0] != '/' || strlen(base) > sizeof t->dir - 32)
        base = "/tmp";
    snprintf(t->dir, sizeof t->dir, "%s/council-cli.XXXXXX", base);
    if (mkdtemp(t->dir) == NULL) { /* mode 0700 */
        fprintf(stderr, _("%s: cannot make a temporary directory in %s: %s\n"), prog, base,
                strerror(errno));
        t->dir[0] = '\0';
        return -1;
    }
    snprintf(t->path, sizeof t->path, "%s/out", t->dir);
    return 0;
}

int tmp_out_copy(const tmp_out *t)
{
    unsigned char buf[16384];
    int fd = open(t->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), rc = 0;
    ssize_t n;

    if (fd < 0) {
        fprintf(stderr, _("%s: cannot read the temporary file: %s\n"), prog, strerror(errno));
        return -1;
    }
    fflush(stdout);
    while (rc == 0 && (n = read(fd, buf, sizeof buf)) != 0) {
        const unsigned char *p = buf;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = -1;
            break;
        }
        while (n > 0) {
            ssize_t w = write(STDOUT_FILENO, p, (size_t)n);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                rc = -1;
                break;
            }
            p += w;
            n -= w;
        }
    }
    if (rc != 0)
        fprintf(stderr, _("%s: cannot copy to standard output: %s\n"), prog, strerror(errno));
    sodium_memzero(buf, sizeof buf);
    (void)close(fd);
    return rc;
}

void tmp_out_remove(tmp_out *t)
{
    if (t->dir[0] == '\0')
        return;
    (void)unlink(t->path);
    (void)rmdir(t->dir);
    t->dir[0] = '\0';
}

/* Read a whole (small) file into a new NUL-terminated buffer. */
char *slurp(const char *path, size_t cap, size_t *len, const char *what)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *buf;
    size_t n;

    if (f == NULL) {
        fprintf(stderr, _("%s: cannot open %s %s: %s\n"), prog, what, path, strerror(errno));
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
        fprintf(stderr, _("%s: %s %s is too large\n"), prog, what, path);
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
    k = slurp(arg + 1, 1024, &len, _("key file"));
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
        fprintf(stderr, _("%s: cannot open %s: %s\n"), prog, path, strerror(errno));
        return NULL;
    }
    if ((buf = malloc(cap + 1)) == NULL) {
        fprintf(stderr, _("%s: out of memory\n"), prog);
        goto fail;
    }
    for (;;) {
        ssize_t r = read(fd, buf + n, cap + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            fprintf(stderr, _("%s: cannot read %s: %s\n"), prog, path, strerror(errno));
            goto fail;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > cap) {
            fprintf(stderr, _("%s: the section JSON is larger than %zu bytes\n"), prog, cap);
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

