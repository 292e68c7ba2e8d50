/*
 * file.c - durable files beside the store (storage layer, its bottom): a
 * path joined, a directory synced, a new file written whole or not at all.
 * Used by the keyring, the store, the journal and the audit export.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "council_int.h"
#include "file.h"

char *council__path_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = council__malloc(a + 1 + b + 1);

    if (p == NULL)
        return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

int council__fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc;

    if (fd < 0)
        return -1;
    rc = fsync(fd);
    (void)close(fd);
    return rc;
}

int council__fsync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    size_t n;

    if (slash == NULL)
        return council__fsync_dir(".");
    n = slash == path ? 1 : (size_t)(slash - path);
    if (n >= sizeof dir)
        return -1;
    memcpy(dir, path, n);
    dir[n] = '\0';
    return council__fsync_dir(dir);
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static _Thread_local void (*publish_hook)(const char *step);

void council__publish_hook(void (*fn)(const char *step))
{
    publish_hook = fn;
}

static int publish_fail(council *c, const char *op, int err, const char *what)
{
    if (err == ENOSPC
#ifdef EDQUOT
        || err == EDQUOT
#endif
    )
        return council__fail(c, COUNCIL_EIO, "%s: the disk is full: cannot %s the output file",
                             op, what);
    return council__fail(c, err == EEXIST ? COUNCIL_EEXIST : COUNCIL_EIO,
                         "%s: cannot %s the output file (%s)", op, what, strerror(err));
}

int council__file_publish(council *c, const char *op, const char *path, const uint8_t *p,
                          size_t n)
{
    uint8_t rnd[8];
    char hex[2 * sizeof rnd + 1], *tmp;
    size_t plen = strlen(path);
    int fd, rc = COUNCIL_OK, err;

    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
    /* "<path>.<random>.tmp", beside the final name (same file system). */
    if ((tmp = council__malloc(plen + 1 + sizeof hex - 1 + sizeof ".tmp")) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    memcpy(tmp, path, plen);
    tmp[plen] = '.';
    memcpy(tmp + plen + 1, hex, sizeof hex - 1);
    memcpy(tmp + plen + sizeof hex, ".tmp", sizeof ".tmp");
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        rc = publish_fail(c, op, errno, "create");
        council__free(tmp);
        return rc;
    }
    if (write_all(fd, p, n) != 0 || fsync(fd) != 0) {
        err = errno;
        (void)close(fd);
        rc = publish_fail(c, op, err, "write");
        goto out;
    }
    if (close(fd) != 0) {
        rc = publish_fail(c, op, errno, "write");
        goto out;
    }
    if (publish_hook != NULL)
        publish_hook("written");
    /* link(2), not rename(2): an existing name (file or symbolic link) is
     * refused, never replaced. */
    if (link(tmp, path) != 0) {
        rc = publish_fail(c, op, errno, "create");
        goto out;
    }
    (void)unlink(tmp);
    /* The new name (and the temporary one's removal) made durable. */
    if (council__fsync_parent(path) != 0) {
        err = errno;
        (void)unlink(path);
        rc = publish_fail(c, op, err, "sync");
    }
out:
    (void)unlink(tmp);
    council__free(tmp);
    if (rc == COUNCIL_OK && publish_hook != NULL)
        publish_hook("durable");
    return rc;
}

