/*
 * standalone.c - replay fuzz inputs without libFuzzer.
 *
 *     replay_<target> PATH...
 *
 * Each PATH that is a directory has every regular file in it replayed, in
 * byte order of the names so the output is stable; any other PATH is
 * replayed itself. Each input is read whole into a buffer of exactly its
 * size (so sanitizers see over-reads) and handed to LLVMFuzzerTestOneInput,
 * which traps on a bug. Inputs over REPLAY_MAX bytes are skipped with a
 * note. Exit status: 0, or 1 if a PATH or a file in it cannot be read or
 * no input was replayed at all.
 *
 * `make fuzz-replay` (part of `make check` and `make asan`) runs this over
 * fuzz/corpus/<target>/.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX ((size_t)1 << 20) /* 1 MiB */

static const char *prog = "replay";
static unsigned long replayed;

/* 0 replayed or skipped, -1 unreadable. */
static int replay_file(const char *path)
{
    uint8_t *buf = NULL, *grown;
    size_t len = 0, cap = 0;
    FILE *f;
    int rc = -1;

    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        return -1;
    }
    /* Read at most one byte past the cap, so an oversized file is seen. */
    for (;;) {
        size_t want, n;

        if (len == cap) {
            cap = cap == 0 ? 4096 : cap * 2;
            if (cap > REPLAY_MAX + 1)
                cap = REPLAY_MAX + 1;
            grown = realloc(buf, cap);
            if (grown == NULL) {
                fprintf(stderr, "%s: %s: out of memory\n", prog, path);
                goto out;
            }
            buf = grown;
        }
        want = cap - len;
        n = fread(buf + len, 1, want, f);
        len += n;
        if (n < want) {
            if (ferror(f)) {
                fprintf(stderr, "%s: %s: read error\n", prog, path);
                goto out;
            }
            break; /* end of file */
        }
        if (len > REPLAY_MAX)
            break;
    }
    if (len > REPLAY_MAX) {
        fprintf(stderr, "%s: %s: skipped, larger than %zu bytes\n", prog, path, REPLAY_MAX);
        rc = 0;
        goto out;
    }
    /* Hand over a buffer of exactly len bytes, as libFuzzer does. */
    grown = malloc(len == 0 ? 1 : len);
    if (grown == NULL) {
        fprintf(stderr, "%s: %s: out of memory\n", prog, path);
        goto out;
    }
    if (len > 0)
        memcpy(grown, buf, len);
    (void)LLVMFuzzerTestOneInput(grown, len);
    free(grown);
    replayed++;
    rc = 0;
out:
    free(buf);
    (void)fclose(f);
    return rc;
}

static int is_dot(const struct dirent *e)
{
    return strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
}

static int not_dot(const struct dirent *e)
{
    return !is_dot(e);
}

static int byte_order(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int replay_dir(const char *dir)
{
    struct dirent **names = NULL;
    int n, rc = 0;

    n = scandir(dir, &names, not_dot, byte_order);
    if (n < 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, dir, strerror(errno));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        size_t plen = strlen(dir) + 1 + strlen(names[i]->d_name) + 1;
        char *path = malloc(plen);
        struct stat sb;

        if (path == NULL) {
            fprintf(stderr, "%s: out of memory\n", prog);
            rc = -1;
        } else {
            (void)snprintf(path, plen, "%s/%s", dir, names[i]->d_name);
            if (stat(path, &sb) != 0) {
                fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
                rc = -1;
            } else if (S_ISREG(sb.st_mode) && replay_file(path) != 0) {
                rc = -1;
            }
            free(path);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    int status = 0;

    if (argc > 0 && argv[0] != NULL) {
        const char *slash = strrchr(argv[0], '/');
        prog = slash != NULL ? slash + 1 : argv[0];
    }
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIRECTORY...\n", prog);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct stat sb;

        if (stat(argv[i], &sb) != 0) {
            fprintf(stderr, "%s: %s: %s\n", prog, argv[i], strerror(errno));
            status = 1;
        } else if (S_ISDIR(sb.st_mode) ? replay_dir(argv[i]) != 0
                                       : replay_file(argv[i]) != 0) {
            status = 1;
        }
    }
    printf("%s: %lu input%s replayed\n", prog, replayed, replayed == 1 ? "" : "s");
    if (replayed == 0) {
        fprintf(stderr, "%s: no input found\n", prog);
        status = 1;
    }
    return status;
}
