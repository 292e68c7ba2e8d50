/*
 * council_int.h - internals shared between libcouncil's own files.
 * Nothing here is exported: every symbol is hidden by -fvisibility=hidden
 * and by council.map. Cross-file internals are named council__*.
 */
#ifndef COUNCIL_INT_H
#define COUNCIL_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "council.h"

struct sqlite3;
struct sqlite3_stmt;

/* --------------------------------------------------------------- handles */

#define COUNCIL__MAGIC_OPEN   0x434e434cu /* "CNCL": usable */
#define COUNCIL__MAGIC_FAILED 0x4641494cu /* returned by a failed create/open */
#define COUNCIL__MAGIC_CLOSED 0x434c5344u /* shut down; only errmsg and close */

#define COUNCIL__ERRMSG_MAX 256

/* A secret held in sodium_malloc memory, no-access between uses. */
typedef struct council__secret {
    uint8_t *p;
    size_t len;
} council__secret;

#define COUNCIL__VCACHE 256  /* direct-mapped by digest (issue 17, wraps) */
#define COUNCIL__SCACHE 1024 /* direct-mapped by digest (issue 17, wraps) */
#define COUNCIL__KCACHE 128  /* issue 17, wraps: member-key directory signatures */
/* Prepared statements kept for the handle's life (store.c): slots, a power
 * of two. */
#define COUNCIL__STMT_SLOTS 512
#define COUNCIL__TAMPER_MAX 32 /* findings kept per operation (then: the first ones) */

struct council {
    uint32_t magic;
    int errcode;
    char errmsg[COUNCIL__ERRMSG_MAX];
    char *dir;                  /* store directory */
    struct sqlite3 *db;
    /* Installed by the store while the database is open (store.c): makes a
     * database failure's message plain (a full disk, a re-key by another
     * session). council__fail calls it, so the pure layer needs no store. */
    int (*explain)(struct council *c, int rc);
    /* Installed at a staff session's open (council.c): re-reads the staff
     * member's standing; the session layer's council__actor_ok calls it on
     * every operation, so the log layer needs nothing of the domain. */
    int (*standing)(struct council *c, const char *op);
    /* Installed on every handle (council.c): a case's ownership is about to
     * move (case.c, in its transaction); the rows its owner signed that a
     * lower file cannot reach (assignments, tasks: task_db.c) are signed
     * again by the session, while the owner still vouches for them. */
    int (*case_moving)(struct council *c, const uint8_t case_id[COUNCIL_ID_BYTES]);
    uint32_t db_key_version;    /* the database key version council.db was keyed with */
    bool db_probed;             /* that key has read council.db on this handle */
    bool db_saw_rekey;          /* the keyring showed a re-key under way at open */
    uint8_t council_id[COUNCIL_ID_BYTES];
    int root_source;            /* COUNCIL__V1__ROOT_KEY_SOURCE__* */
    council__secret root;       /* 32 bytes */
    council__secret log_sk;     /* Ed25519 secret key, 64 bytes: root, and the */
                                /* secretariat's staff (from its role keys) */
    uint8_t log_pk[32];
    council__secret db_key;     /* staff sessions: the database key they opened */
    council__secret journal_seed; /* the secretariat's staff: the journal key's */
                                /* seed, from its role keys (root derives it) */
    int actor_kind;             /* COUNCIL__V1__AUDIT_ACTOR_KIND__*: ROOT or STAFF */
    /* Staff sessions: the roles (COUNCIL_ROLE_*) its member holds by the
     * signed register and whose keys the session holds, re-read with its
     * standing at every call (a role taken away ends its powers at once). */
    uint32_t actor_roles;
    uint8_t actor_member[COUNCIL_ID_BYTES]; /* staff sessions */
    uint8_t actor_staff[COUNCIL_ID_BYTES];
    uint8_t actor_box_pk[32];   /* the member key the session opened with */
    council__secret actor_box_sk; /* staff sessions: that key's secret half */
    uint8_t actor_sign_pk[32];  /* staff sessions: the member's Ed25519 key, */
    council__secret actor_sign_sk; /* when the session has it (64 bytes) */
    bool upgrading;             /* root: first session since the log head (casekey.c) */
    bool log_headed;            /* root: the log key's wrap says a head is kept (keyring.c) */
    uint8_t vcache[COUNCIL__VCACHE][32]; /* key versions this session verified */
    size_t vcache_next;
    uint8_t scache[COUNCIL__SCACHE][32]; /* signatures this session verified */
    size_t scache_next;
    /* Tamper findings appended in the current transaction: appended again
     * on their own if it rolls back (a finding is never forgotten). */
    struct council__tamper_note {
        uint8_t ref[32], member[COUNCIL_ID_BYTES];
        bool has_ref, has_member;
        char scope[64 + 1];     /* COUNCIL__AUDIT_CODE_MAX + 1 */
        const char *reason;     /* a static reason code */
    } tamper[COUNCIL__TAMPER_MAX];
    size_t n_tamper;
    /* Case keys: the coordinating body's wrap key pair (root sessions derive
     * the secret half), and the council's stored secrets, loaded at open. */
    bool coord_valid;
    uint8_t coord_pk[32];
    council__secret coord_sk;   /* root sessions, loaded on first use; the */
                                /* secretariat's and coordinating body's staff */
    council__secret psn;        /* pseudonym key (case references) */
    council__secret bix;        /* blind-index key */
    bool user_batch;            /* council_batch_begin() is open (or an operation's batch) */
    int op_depth;               /* council__op_batch_begin() nested: the outermost commits */
    bool inner_ok;              /* an operation that runs others in its batch (bundle import) */
    /* Refusals logged inside the caller's batch: appended again on their
     * own if the batch is rolled back (a refusal is never forgotten). */
    struct council__held_refusal *held;
    size_t n_held;
    /* Statements prepared once and kept for the handle's life
     * (council__prepare, store.c), keyed by their SQL text; busy while a
     * caller holds one (between council__prepare and council__finalize). */
    struct council__stmt_slot {
        struct sqlite3_stmt *st;
        uint32_t hash;
        bool busy;
    } *stmts;
    struct sqlite3_stmt *st_node_get; /* audit node store, prepared once */
    struct sqlite3_stmt *st_node_put;
    struct sqlite3_stmt *st_event_put;
    /* The log's tip, read once per write transaction (no other writer can
     * move it while we hold it) and carried forward by each append. */
    bool tip_valid;
    uint64_t tip_size;
    int64_t tip_time;
    uint8_t tip_leaf[COUNCIL_HASH_BYTES];
    /* Issue 17, wraps (wrap.c, casekey.c, keydir.c): the session's caches,
     * never the store's. wcache: the open transaction's ephemeral wrap key,
     * the X25519 agreements and the unwrapped data keys (their secrets in
     * one sodium_malloc arena), NULL until first use, wiped at commit,
     * rollback, rotation, revocation and close (casekey.c installs the
     * transaction hooks: wc_hooked). kcache: member-key directory rows whose
     * signature this session verified (digest of log key, member, key, sig). */
    struct council__wcache *wcache;
    bool wc_hooked;
    uint8_t kcache[COUNCIL__KCACHE][32];
};

/* True for a handle that may be used for operations. */
bool council__ok(const council *c);

/* Record rc and a printf-style message on c (c may be NULL); return rc. The
 * message names the operation and ids, never secrets or case content. */
int council__fail(council *c, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reset the handle's error to "not an error". */
void council__clear(council *c);

/* Close the database and wipe the keys, leaving the handle allocated and
 * marked closed (council_close() is this plus free). */
void council__shutdown(council *c);

/* ------------------------------------------------------------- allocation */

void *council__malloc(size_t n);
void *council__calloc(size_t n, size_t size);
void council__free(void *p);
char *council__strdup(const char *s);
/* Fail the allocation after `n` more succeed (n < 0: never). Per thread;
 * for tests of the out-of-memory paths. */
#ifdef COUNCIL_TEST_HOOKS /* the test build only */
void council__fault_alloc_after(long n);
#endif
/* A protobuf-c allocator routed through council__malloc. */
struct ProtobufCAllocator *council__pb_allocator(void);
/* The same, wiping every block it frees (messages holding case content). */
struct ProtobufCAllocator *council__pb_wiping_allocator(void);
/* Tests: fn sees each block the wiping allocator frees, after the wipe and
 * before free() (NULL: none). Not thread-safe; never set outside tests. */
void council__pb_wipe_hook(void (*fn)(const void *block, size_t n));
/* Did an allocation through it fail since the last reset? protobuf-c's
 * unpack returns NULL both for bad input and for out of memory. */
bool council__pb_alloc_failed(bool reset);

/* --------------------------------------------------------------- secrets */

int council__secret_alloc(council__secret *s, size_t len); /* writable after */
/* sodium_malloc through the allocation fault hook (freed with sodium_free). */
void *council__sodium_malloc(size_t len);
void council__secret_lock(const council__secret *s);  /* no access */
void council__secret_read(const council__secret *s);  /* read only */
void council__secret_write(const council__secret *s); /* read and write */
void council__secret_free(council__secret *s);     /* wipe and free */

#endif /* COUNCIL_INT_H */
