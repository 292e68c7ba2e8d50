/*
 * store.c - the SQLCipher 4 database of a council store.
 *
 * The database is keyed with a raw 32-byte subkey of the root key, uses
 * 4096-byte pages and WAL, and refuses to run on a SQLite that is not
 * SQLCipher 4. A wrong key shows only as SQLITE_NOTADB on the first read,
 * so open probes with one and turns that into COUNCIL_EAUTH.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council_int.h"
#include "crypto.h"
#include "keyring.h"
#include "schema.h"
#include "store.h"
#include "file.h"

static int exec(council *c, const char *what, const char *sql)
{
    int src = sqlite3_exec(c->db, sql, NULL, NULL, NULL);

    if (src == SQLITE_OK)
        return COUNCIL_OK;
    if (src == SQLITE_NOMEM)
        return council__fail(c, COUNCIL_ENOMEM, "store: %s: out of memory", what);
    return council__fail(c, COUNCIL_EIO, "store: %s failed (%s)", what, sqlite3_errstr(src));
}

int council__store_cipher_version(council *c, char *out, size_t out_len)
{
    sqlite3_stmt *st = NULL;
    const unsigned char *v;
    int rc;

    if (sqlite3_prepare_v2(c->db, "PRAGMA cipher_version;", -1, &st, NULL) != SQLITE_OK)
        return council__fail(c, COUNCIL_EIO, "store: cannot query cipher_version");
    rc = sqlite3_step(st);
    v = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
    if (v == NULL) {
        sqlite3_finalize(st);
        return council__fail(c, COUNCIL_EUNSUPPORTED,
                             "store: the linked SQLite (%s) is not SQLCipher; refusing to store "
                             "case data unencrypted", sqlite3_libversion());
    }
    if (strncmp((const char *)v, "4.", 2) != 0) {
        rc = council__fail(c, COUNCIL_EUNSUPPORTED,
                           "store: SQLCipher %.32s found, version 4 required", (const char *)v);
        sqlite3_finalize(st);
        return rc;
    }
    if (strlen((const char *)v) >= out_len) {
        sqlite3_finalize(st);
        return council__fail(c, COUNCIL_ERROR, "store: cipher_version too long");
    }
    memcpy(out, v, strlen((const char *)v) + 1);
    sqlite3_finalize(st);
    return COUNCIL_OK;
}

/* Key the database with a raw key, in SQLCipher's x'hex' form. */
static int apply_raw_key(council *c, const uint8_t key[COUNCIL__KEY_BYTES])
{
    council__secret hex;
    int rc, src;

    rc = council__secret_alloc(&hex, 3 + 2 * COUNCIL__KEY_BYTES + 1);
    if (rc != COUNCIL_OK)
        return council__fail(c, rc, "store: out of secure memory");
    hex.p[0] = 'x';
    hex.p[1] = '\'';
    sodium_bin2hex((char *)hex.p + 2, 2 * COUNCIL__KEY_BYTES + 1, key, COUNCIL__KEY_BYTES);
    hex.p[2 + 2 * COUNCIL__KEY_BYTES] = '\'';
    src = sqlite3_key(c->db, hex.p, (int)(3 + 2 * COUNCIL__KEY_BYTES));
    if (src != SQLITE_OK)
        rc = council__fail(c, COUNCIL_ERROR, "store: cannot set the database key (%s)",
                           sqlite3_errstr(src));
    council__secret_free(&hex);
    return rc;
}

/* The database key: subkey `version` of the root key, or given raw. */
static int apply_key(council *c, const council__secret *root, uint32_t version,
                     const uint8_t *raw)
{
    uint8_t key[COUNCIL__KEY_BYTES];
    int rc;

    if (raw != NULL)
        return apply_raw_key(c, raw);
    rc = council__kdf(c, key, sizeof key, root, version, COUNCIL__CTX_DATABASE);
    if (rc == COUNCIL_OK)
        rc = apply_raw_key(c, key);
    sodium_memzero(key, sizeof key);
    return rc;
}

int council__store_open(council *c, const char *dir, const council__secret *root,
                        uint32_t db_key_version, bool create)
{
    return council__store_open_key(c, dir, root, db_key_version, NULL, create);
}

int council__store_open_key(council *c, const char *dir, const council__secret *root,
                            uint32_t db_key_version, const uint8_t *raw_key, bool create)
{
    char cipher[64];
    sqlite3_stmt *st = NULL;
    const unsigned char *mode;
    char *path;
    int flags, src, rc;

    path = council__path_join(dir, COUNCIL__DB_FILE);
    if (path == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "store: out of memory");
    if (!create && access(path, F_OK) != 0) {
        council__free(path);
        return council__fail(c, COUNCIL_ENOTFOUND, "open: no council.db in the store directory");
    }
    if (create) {
        /* Made here, empty and private: SQLite gives its -wal and -shm
         * files the mode of the database file. */
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) {
            rc = council__fail(c, errno == EEXIST ? COUNCIL_EEXIST : COUNCIL_EIO,
                               "create: cannot make council.db (%s)", strerror(errno));
            council__free(path);
            return rc;
        }
        (void)close(fd);
    }
    flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW |
            (create ? SQLITE_OPEN_CREATE : 0);
    c->explain = council__store_explain;
    src = sqlite3_open_v2(path, &c->db, flags, NULL);
    council__free(path);
    if (src != SQLITE_OK) {
        rc = council__fail(c, src == SQLITE_NOMEM ? COUNCIL_ENOMEM : COUNCIL_EIO,
                           "store: cannot open council.db (%s)", sqlite3_errstr(src));
        goto fail;
    }
    /* First, before any read: another session's checkpoint, write or
     * re-key holds a lock for a moment, and the probe below must wait for
     * it (boundedly) instead of failing with "database is locked". */
    (void)sqlite3_busy_timeout(c->db, COUNCIL__BUSY_TIMEOUT_MS);
    c->db_key_version = db_key_version;
    c->db_probed = false;
    /* Before any key: a plain SQLite would silently write clear text. */
    rc = council__store_cipher_version(c, cipher, sizeof cipher);
    if (rc != COUNCIL_OK)
        goto fail;
    rc = apply_key(c, root, db_key_version, raw_key);
    if (rc != COUNCIL_OK)
        goto fail;
    /* A library must not write to its host's standard error: SQLCipher 4.6
     * logs wrong keys there at WARN. Keying resets the level, so this comes
     * after the key. The setting is process-wide. */
    (void)sqlite3_exec(c->db, "PRAGMA cipher_log_level = NONE;", NULL, NULL, NULL);
    rc = exec(c, "set cipher parameters",
              "PRAGMA cipher_compatibility = 4; PRAGMA cipher_page_size = 4096;");
    if (rc != COUNCIL_OK)
        goto fail;
    /* The probe: a wrong key fails here, on the first read. */
    src = sqlite3_exec(c->db, "SELECT count(*) FROM sqlite_schema;", NULL, NULL, NULL);
    if (src == SQLITE_NOTADB) {
        rc = council__fail(c, COUNCIL_EAUTH,
                           "open: the database key does not open council.db "
                           "(wrong key, or a damaged or replaced database)");
        goto fail;
    }
    if (src != SQLITE_OK) {
        rc = council__fail(c, COUNCIL_EIO, "store: first read failed (%s)",
                           sqlite3_errstr(sqlite3_extended_errcode(c->db)));
        goto fail;
    }
    c->db_probed = true;
    rc = exec(c, "set pragmas",
              "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
              "PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY;"
              /* 32 MiB of page cache (the default is 2 MiB): a store of
               * 100,000 cases keeps its b-trees' inner pages in memory,
               * so an insert costs about the same at any size (issue 17's
               * cost growth). Used as pages are read, not reserved. */
              "PRAGMA cache_size = -32768;");
    if (rc != COUNCIL_OK)
        goto fail;
    if (sqlite3_prepare_v2(c->db, "PRAGMA journal_mode = WAL;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW ||
        (mode = sqlite3_column_text(st, 0)) == NULL ||
        strcmp((const char *)mode, "wal") != 0) {
        rc = council__fail(c, COUNCIL_EIO, "store: cannot switch to WAL");
        goto fail;
    }
    sqlite3_finalize(st);
    return COUNCIL_OK;
fail:
    sqlite3_finalize(st);
    council__store_close(c);
    return rc;
}

/* Has the keyring moved to another database key version than the one this
 * handle keyed council.db with? Read without the handle, so its message
 * stays; an unreadable keyring says no. */
static bool rekeyed_elsewhere(const council *c)
{
    council__keyring *kr;
    bool moved = false;

    if (c->dir == NULL || (kr = council__malloc(sizeof *kr)) == NULL)
        return false;
    /* A key that has read council.db and no longer does, while a re-key
     * is (or was at open) under way: re-keyed meanwhile too. */
    if (council__keyring_load(NULL, kr, c->dir) == COUNCIL_OK)
        moved = kr->db_key_version != c->db_key_version ||
                (c->db_probed && (kr->has_pending || c->db_saw_rekey));
    sodium_memzero(kr, sizeof *kr);
    council__free(kr);
    return moved;
}

int council__store_explain(council *c, int rc)
{
    char op[64];
    size_t n;
    int ext, primary, sys;
    bool full;

    if (c->db == NULL || (rc != COUNCIL_EIO && rc != COUNCIL_EAUTH && rc != COUNCIL_EFORMAT))
        return rc;
    ext = sqlite3_extended_errcode(c->db);
    primary = ext & 0xff;
    sys = sqlite3_system_errno(c->db);
    full = primary == SQLITE_FULL;
    if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN) {
        full = sys == ENOSPC;
#ifdef EDQUOT
        full = full || sys == EDQUOT;
#endif
    }
    if (!full && !(primary == SQLITE_NOTADB && rekeyed_elsewhere(c)))
        return rc;
    /* The operation's name is the message's first word(s), up to ':'. */
    n = strcspn(c->errmsg, ":");
    if (n >= sizeof op || c->errmsg[n] != ':')
        n = 0;
    memcpy(op, c->errmsg, n);
    op[n] = '\0';
    c->errcode = COUNCIL_EIO;
    if (full)
        (void)snprintf(c->errmsg, sizeof c->errmsg,
                       "%s: the disk is full (no space left for council.db or its write-ahead "
                       "log): free some space and try again", n > 0 ? op : "store");
    else
        (void)snprintf(c->errmsg, sizeof c->errmsg,
                       "%s: the database was re-keyed by another session: open it again",
                       n > 0 ? op : "store");
    return COUNCIL_EIO;
}

/* ------------------------------------------------- the statement cache */

#define STMT_PROBES 8

static uint32_t sql_hash(const char *sql)
{
    uint32_t h = 2166136261u; /* FNV-1a */

    for (const unsigned char *p = (const unsigned char *)sql; *p != '\0'; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

static struct council__stmt_slot *slot_at(council *c, uint32_t h, unsigned i)
{
    return &c->stmts[(h + i) & (COUNCIL__STMT_SLOTS - 1)];
}

int council__prepare(council *c, const char *sql, sqlite3_stmt **st)
{
    struct council__stmt_slot *free_slot = NULL, *victim = NULL;
    uint32_t h;
    int src;

    *st = NULL;
    if (c->db == NULL || sql == NULL)
        return SQLITE_MISUSE;
    if (c->stmts == NULL)
        c->stmts = council__calloc(COUNCIL__STMT_SLOTS, sizeof *c->stmts);
    if (c->stmts == NULL) /* no cache: a statement of its own */
        return sqlite3_prepare_v2(c->db, sql, -1, st, NULL);
    h = sql_hash(sql);
    for (unsigned i = 0; i < STMT_PROBES; i++) {
        struct council__stmt_slot *s = slot_at(c, h, i);
        if (s->st == NULL) {
            if (free_slot == NULL)
                free_slot = s;
            continue;
        }
        if (s->hash == h && strcmp(sqlite3_sql(s->st), sql) == 0) {
            if (s->busy) /* held by a caller further up: one of its own */
                return sqlite3_prepare_v2(c->db, sql, -1, st, NULL);
            s->busy = true;
            *st = s->st;
            return SQLITE_OK;
        }
        if (!s->busy && victim == NULL)
            victim = s;
    }
    src = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    if (src != SQLITE_OK || *st == NULL)
        return src;
    if (free_slot == NULL && victim != NULL) {
        sqlite3_finalize(victim->st);
        victim->st = NULL;
        free_slot = victim;
    }
    if (free_slot != NULL) {
        free_slot->st = *st;
        free_slot->hash = h;
        free_slot->busy = true;
    }
    return SQLITE_OK;
}

int council__finalize(council *c, sqlite3_stmt *st)
{
    const char *sql;
    uint32_t h;

    if (st == NULL)
        return SQLITE_OK;
    if (c->stmts != NULL && (sql = sqlite3_sql(st)) != NULL) {
        h = sql_hash(sql);
        for (unsigned i = 0; i < STMT_PROBES; i++) {
            struct council__stmt_slot *s = slot_at(c, h, i);
            if (s->st == st) {
                int src = sqlite3_reset(st);
                (void)sqlite3_clear_bindings(st); /* bound blobs may be on a stack */
                s->busy = false;
                return src;
            }
        }
    }
    return sqlite3_finalize(st);
}

/* The cached statements go; one still held by a caller (a session shut
 * down inside a call) is left to that caller's council__finalize, which
 * then finds no cache and finalizes it (sqlite3_close_v2 waits for it). */
static void stmts_close(council *c)
{
    if (c->stmts == NULL)
        return;
    for (size_t i = 0; i < COUNCIL__STMT_SLOTS; i++)
        if (c->stmts[i].st != NULL && !c->stmts[i].busy)
            sqlite3_finalize(c->stmts[i].st);
    council__free(c->stmts);
    c->stmts = NULL;
}

void council__store_close(council *c)
{
    stmts_close(c);
    sqlite3_finalize(c->st_node_get);
    sqlite3_finalize(c->st_node_put);
    sqlite3_finalize(c->st_event_put);
    c->st_node_get = NULL;
    c->st_node_put = NULL;
    c->st_event_put = NULL;
    c->tip_valid = false;
    c->db_probed = false;
    if (c->db != NULL)
        (void)sqlite3_close_v2(c->db);
    c->db = NULL;
}

int council__store_version(council *c, uint32_t *out)
{
    sqlite3_stmt *st = NULL;
    int src;

    *out = 0;
    src = council__prepare(c,
                             "SELECT coalesce(max(version), 0) FROM schema_version;", &st);
    if (src != SQLITE_OK)
        return council__fail(c, COUNCIL_EFORMAT, "store: no schema version table");
    if (sqlite3_step(st) != SQLITE_ROW) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "store: cannot read the schema version");
    }
    *out = (uint32_t)sqlite3_column_int64(st, 0);
    council__finalize(c, st);
    return COUNCIL_OK;
}

/* The schema version read on its own, leaving no message: 0 when it
 * cannot be read. */
static uint32_t version_now(council *c)
{
    sqlite3_stmt *st = NULL;
    uint32_t v = 0;

    if (sqlite3_prepare_v2(c->db, "SELECT coalesce(max(version), 0) FROM schema_version;", -1,
                           &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_int64 x = sqlite3_column_int64(st, 0);
        v = x > 0 && x <= UINT32_MAX ? (uint32_t)x : 0;
    }
    sqlite3_finalize(st);
    return v;
}

int council__store_migrate(council *c, const council__migration *list, size_t n,
                           uint32_t target)
{
    sqlite3_stmt *st = NULL;
    uint32_t current = 0, latest = n > 0 ? list[n - 1].version : 0;
    int rc;

    /* Versions increase from 1; a branch's list may skip numbers that
     * another branch's migrations fill (issue 14: 11 -> 15). */
    for (size_t i = 0; i < n; i++)
        if (i == 0 ? list[i].version != 1 : list[i].version <= list[i - 1].version)
            return council__fail(c, COUNCIL_ERROR, "store: migration list out of order at %zu", i);
    if (target == 0 || target > latest)
        target = latest;
    /* Every open asks: a store already at the latest version is read
     * without the write lock or a transaction. Any other answer (older,
     * newer, no table, an error) is asked again below, under the lock. */
    if (target == latest && version_now(c) == latest)
        return COUNCIL_OK;
    rc = exec(c, "begin migration", "BEGIN IMMEDIATE;");
    if (rc != COUNCIL_OK)
        return rc;
    rc = exec(c, "create schema_version",
              "CREATE TABLE IF NOT EXISTS schema_version ("
              "  version INTEGER PRIMARY KEY, applied INTEGER NOT NULL);");
    if (rc == COUNCIL_OK)
        rc = council__store_version(c, &current);
    if (rc != COUNCIL_OK)
        goto fail;
    if (current > latest) {
        rc = council__fail(c, COUNCIL_EUNSUPPORTED,
                           "open: store schema version %u is newer than this library (%u)",
                           current, latest);
        goto fail;
    }
    if (council__prepare(c, "INSERT INTO schema_version (version, applied) VALUES (?, ?);", &st) != SQLITE_OK) {
        rc = council__fail(c, COUNCIL_EIO, "store: cannot prepare migration");
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        int src;
        if (list[i].version <= current || list[i].version > target)
            continue;
        src = sqlite3_exec(c->db, list[i].sql, NULL, NULL, NULL);
        if (src != SQLITE_OK) {
            rc = council__fail(c, COUNCIL_EIO, "store: migration %u failed (%s)",
                               list[i].version, sqlite3_errstr(src));
            goto fail;
        }
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, list[i].version);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = council__fail(c, COUNCIL_EIO, "store: cannot record migration %u",
                               list[i].version);
            goto fail;
        }
    }
    council__finalize(c, st);
    st = NULL;
    rc = exec(c, "commit migration", "COMMIT;");
    if (rc == COUNCIL_OK)
        return COUNCIL_OK;
fail:
    council__finalize(c, st);
    (void)sqlite3_exec(c->db, "ROLLBACK;", NULL, NULL, NULL);
    return rc;
}

int council__store_migrate_all(council *c)
{
    size_t n;
    const council__migration *list = council__schema_list(&n);

    return council__store_migrate(c, list, n, 0);
}

int council__store_read_salt(council *c, const char *dir, uint8_t salt[COUNCIL__SALT_BYTES])
{
    char *path = council__path_join(dir, COUNCIL__DB_FILE);
    size_t got = 0;
    int fd;

    if (path == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "store: out of memory");
    fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    council__free(path);
    if (fd < 0) {
        if (errno == ENOENT)
            return council__fail(c, COUNCIL_ENOTFOUND, "open: no council.db in the store directory");
        return council__fail(c, COUNCIL_EIO, "open: cannot read council.db (%s)", strerror(errno));
    }
    while (got < COUNCIL__SALT_BYTES) {
        ssize_t n = read(fd, salt + got, COUNCIL__SALT_BYTES - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    (void)close(fd);
    if (got != COUNCIL__SALT_BYTES)
        return council__fail(c, COUNCIL_EFORMAT, "open: council.db is truncated (%zu bytes)", got);
    return COUNCIL_OK;
}

/* ------------------------------------------------------------ settings */

int council__setting_get(council *c, const char *key, uint8_t **out, size_t *len)
{
    sqlite3_stmt *st = NULL;
    int src, rc = COUNCIL_OK;

    *out = NULL;
    *len = 0;
    if (council__prepare(c, "SELECT value FROM setting WHERE key = ?1;", &st) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return COUNCIL_EIO;
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        int n = sqlite3_column_bytes(st, 0);
        size_t m = (size_t)(n > 0 ? n : 0);
        if ((*out = council__malloc(m + 1)) == NULL)
            rc = COUNCIL_ENOMEM;
        else {
            if (m > 0)
                memcpy(*out, sqlite3_column_blob(st, 0), m);
            (*out)[m] = 0;
            *len = m;
        }
    } else if (src != SQLITE_DONE) {
        rc = COUNCIL_EIO;
    }
    council__finalize(c, st);
    return rc;
}

int council__setting_fixed(council *c, const char *key, uint8_t *out, size_t n, bool *ok)
{
    uint8_t *v = NULL;
    size_t len = 0;
    int rc = council__setting_get(c, key, &v, &len);

    *ok = rc == COUNCIL_OK && v != NULL && len == n;
    if (*ok)
        memcpy(out, v, n);
    council__free(v);
    return rc;
}

int council__setting_put(council *c, const char *key, const uint8_t *v, size_t n, bool replace)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (n > INT_MAX ||
        council__prepare(c, replace ? "INSERT OR REPLACE INTO setting (key, value) VALUES "
                                            "(?1, ?2);"
                                          : "INSERT OR IGNORE INTO setting (key, value) VALUES "
                                            "(?1, ?2);", &st) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, v, (int)n, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = COUNCIL_EIO;
    council__finalize(c, st);
    return rc;
}
