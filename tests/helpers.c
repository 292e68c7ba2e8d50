/* helpers.c - fixtures shared by the cmocka test binaries. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

char *th_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *p;

    if (base == NULL || base[0] == '\0')
        base = "/tmp";
    p = malloc(strlen(base) + 32);
    assert_non_null(p);
    sprintf(p, "%s/council-test-XXXXXX", base);
    assert_non_null(mkdtemp(p));
    return p;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void th_rmrf(const char *path)
{
    if (path != NULL)
        (void)nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *th_path(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);

    assert_non_null(p);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

bool th_exists(const char *path)
{
    struct stat sb;

    return lstat(path, &sb) == 0;
}

int th_read_file(const char *path, uint8_t **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    long n;

    if (f == NULL)
        return -1;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return -1;
    }
    *buf = malloc((size_t)n + 1);
    assert_non_null(*buf);
    *len = fread(*buf, 1, (size_t)n, f);
    fclose(f);
    return *len == (size_t)n ? 0 : -1;
}

int th_write_file(const char *path, const uint8_t *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    size_t n;

    if (f == NULL)
        return -1;
    n = len == 0 ? 0 : fwrite(buf, 1, len, f);
    return fclose(f) == 0 && n == len ? 0 : -1;
}

council_create_options th_create_opts(const char *name, const char *pass)
{
    council_create_options o = COUNCIL_CREATE_OPTIONS_INIT;

    o.name = name;
    o.passphrase = (const uint8_t *)pass;
    o.passphrase_len = pass != NULL ? strlen(pass) : 0;
    o.kdf_opslimit = TH_OPS;
    o.kdf_memlimit = TH_MEM;
    return o;
}

council_open_options th_open_opts(const char *pass)
{
    council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;

    o.passphrase = (const uint8_t *)pass;
    o.passphrase_len = pass != NULL ? strlen(pass) : 0;
    return o;
}

char *th_make_store(char **root_out, const char *name)
{
    council_create_options o = th_create_opts(name, TH_PASS);
    council *c = NULL;
    char *store;
    int rc;

    *root_out = th_tmpdir();
    store = th_path(*root_out, "store");
    rc = council_create(&c, store, &o);
    if (rc != COUNCIL_OK)
        fail_msg("create: %s", council_errmsg(c));
    council_close(c);
    return store;
}

int th_open(council **out, const char *store, const char *pass)
{
    council_open_options o = th_open_opts(pass);

    return council_open(out, store, &o);
}

bool th_contains(const uint8_t *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);

    if (k == 0 || k > n)
        return false;
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------ insider's tools */

#include <sqlite3.h>

#include "council_int.h"
#include "keyring.h"

int th_last_action(council *c)
{
    sqlite3_stmt *st = NULL;
    int action = -1;

    if (sqlite3_prepare_v2(c->db, "SELECT action FROM audit_event ORDER BY seq DESC LIMIT 1;", -1,
                           &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        action = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return action;
}

int th_keyring_drop_head(council *c)
{
    council__keyring *kr = malloc(sizeof *kr);
    int rc;

    if (kr == NULL)
        return COUNCIL_ENOMEM;
    rc = council__keyring_load(c, kr, c->dir);
    if (rc == COUNCIL_OK) {
        kr->log_head_len = 0;
        /* As a keyring from before the head: the log key's wrap without
         * the mark that a head is kept (which needs the root key). */
        rc = council__keyring_wrap_log_as(c, kr, &c->root, &c->log_sk, false);
        if (rc == COUNCIL_OK)
            rc = council__keyring_store(c, kr, c->dir);
        if (rc == COUNCIL_OK)
            c->log_headed = false; /* as a session opened on that copy */
    }
    free(kr);
    return rc;
}
