/*
 * store.h - the SQLCipher store, its migrations, durable files (storage).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_STORE_H
#define COUNCIL_STORE_H

#include "council_int.h"
#include "crypto.h"
#include "schema.h"

#define COUNCIL__DB_FILE "council.db"


/* Open (create=true: create) the SQLCipher database of the store at dir,
 * refuse a SQLite that is not SQLCipher 4, key it with the database subkey
 * and probe the key (EAUTH on a wrong one). */
int council__store_open(council *c, const char *dir, const council__secret *root,
                        uint32_t db_key_version, bool create);
/* The same with the raw database key (a member's session), when raw_key
 * is not NULL (root is then unused). */
int council__store_open_key(council *c, const char *dir, const council__secret *root,
                            uint32_t db_key_version, const uint8_t *raw_key, bool create);
/* Apply migrations in one transaction. */
int council__store_migrate(council *c, const council__migration *list, size_t n,
                           uint32_t target);
int council__store_migrate_all(council *c);
int council__store_version(council *c, uint32_t *out);
void council__store_close(council *c);
/* Called by council__fail on a handle with an open database: when the last
 * SQLite failure was a full disk (SQLITE_FULL, or an I/O error with ENOSPC)
 * or SQLITE_NOTADB while the keyring names another database key version
 * than the handle keyed council.db with, or (once the key has read
 * council.db) shows or showed at open a re-key under way (another session
 * re-keyed it), the
 * message says so, keeping its operation prefix, and the code becomes
 * COUNCIL_EIO. Otherwise rc, message unchanged. */
int council__store_explain(council *c, int rc);
/* The first 16 bytes of council.db, the SQLCipher salt. */
int council__store_read_salt(council *c, const char *dir,
                             uint8_t salt[COUNCIL__SALT_BYTES]);
/* PRAGMA cipher_version into out. */
int council__store_cipher_version(council *c, char *out, size_t out_len);

/* Settings (the setting table is store.c's; other modules call these).
 * They leave the handle's message alone: the caller reports a failure in
 * its own words (council__fail keeps the disk-full explanation).
 * council__setting_get: the value of key into *out (council__malloc'd,
 * NUL-terminated beyond *len; the caller frees it), *out NULL when key is
 * not set. COUNCIL_OK, COUNCIL_EIO or COUNCIL_ENOMEM. */
int council__setting_get(council *c, const char *key, uint8_t **out, size_t *len);
/* The value of key into out when it is set and exactly n bytes long (*ok);
 * COUNCIL_OK, COUNCIL_EIO or COUNCIL_ENOMEM. */
int council__setting_fixed(council *c, const char *key, uint8_t *out, size_t n, bool *ok);
/* Store key = v (n bytes, a blob); replace false keeps a value already
 * set. COUNCIL_OK or COUNCIL_EIO. */
int council__setting_put(council *c, const char *key, const uint8_t *v, size_t n, bool replace);

/* A statement for sql on the handle's connection, as sqlite3_prepare_v2
 * (returns its SQLite code; *st NULL on failure), kept for the handle's
 * life: the first call for a text prepares it, later calls get it back
 * reset and unbound. A text asked for again while its statement is still
 * held (nested use) gets a statement of its own. Every statement from
 * council__prepare goes back with council__finalize (never sqlite3_finalize),
 * which resets it (and clears its bindings) for the next caller; a
 * statement that is not the handle's is finalized. Returns the code of the
 * statement's last step, as sqlite3_finalize does. Store close finalizes them all. */
int council__prepare(council *c, const char *sql, struct sqlite3_stmt **st);
int council__finalize(council *c, struct sqlite3_stmt *st);


#endif /* COUNCIL_STORE_H */
