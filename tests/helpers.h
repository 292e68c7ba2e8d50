/* helpers.h - fixtures shared by the cmocka test binaries. */
#ifndef TEST_HELPERS_H
#define TEST_HELPERS_H

/* cmocka 1.1 needs these before it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>

#include "council.h"

/* Cheap Argon2id for tests; production uses MODERATE. */
#define TH_OPS 1u
#define TH_MEM 8192u
#define TH_PASS "correct horse battery staple"

/* A fresh directory under $TMPDIR (or /tmp); caller frees. */
char *th_tmpdir(void);
/* Remove a tree. */
void th_rmrf(const char *path);
/* dir + "/" + name; caller frees. */
char *th_path(const char *dir, const char *name);
bool th_exists(const char *path);

int th_read_file(const char *path, uint8_t **buf, size_t *len);
int th_write_file(const char *path, const uint8_t *buf, size_t len);

council_create_options th_create_opts(const char *name, const char *pass);
council_open_options th_open_opts(const char *pass);

/* Create a council with TH_PASS at <tmp>/store; *root_out is the tmp dir,
 * the returned string the store path (both to free; th_rmrf(root)). */
char *th_make_store(char **root_out, const char *name);
/* Open with a passphrase; returns the rc and fills *out. */
int th_open(council **out, const char *store, const char *pass);

/* Does the [hay, hay+n) contain the NUL-terminated needle? */
bool th_contains(const uint8_t *hay, size_t n, const char *needle);

/* The action of the newest audit event (-1 when none). */
int th_last_action(council *c);
/* An older copy of council.keyring, from before the log head: the head
 * removed, and the log key wrapped without the mark that a head is kept
 * (which needs c's root key: an insider cannot take the mark off). */
int th_keyring_drop_head(council *c);

#endif
