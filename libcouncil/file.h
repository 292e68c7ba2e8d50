/*
 * file.h - durable files beside the store (storage).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_FILE_H
#define COUNCIL_FILE_H

#include "council_int.h"

/* fsync a directory / the directory holding `path`: 0 or -1 (errno). */
int council__fsync_dir(const char *dir);
int council__fsync_parent(const char *path);

/* Write p (n bytes) to a new file at path, durably and never half: a
 * temporary name beside it (O_EXCL, O_NOFOLLOW, mode 0600), fsync, link to
 * path (EEXIST if path exists, a symbolic link included; it is never
 * replaced), fsync of the directory. Messages are named for op and never
 * carry the path. The disk full (ENOSPC) is said so, as COUNCIL_EIO. */
int council__file_publish(council *c, const char *op, const char *path, const uint8_t *p,
                          size_t n);
/* Tests: call fn("written") after the temporary file is synced and
 * fn("durable") once path is in place and synced. Per thread; NULL: none. */
void council__publish_hook(void (*fn)(const char *step));

/* Join dir and name into a new heap string. */
char *council__path_join(const char *dir, const char *name);

/* How long a session waits for a lock another session holds on council.db
 * (SQLite's busy timeout) or on the keyring (council.keyring.lock) before
 * it gives up with COUNCIL_EIO. Documented in council(3). */
#define COUNCIL__BUSY_TIMEOUT_MS 10000

#endif /* COUNCIL_FILE_H */
