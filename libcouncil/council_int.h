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

#define COUNCIL__VCACHE 32
#define COUNCIL__SCACHE 64
#define COUNCIL__TAMPER_MAX 32 /* findings kept per operation (then: the first ones) */

struct council {
    uint32_t magic;
    int errcode;
    char errmsg[COUNCIL__ERRMSG_MAX];
    char *dir;                  /* store directory */
    struct sqlite3 *db;
    uint32_t db_key_version;    /* the database key version council.db was keyed with */
    bool db_probed;             /* that key has read council.db on this handle */
    bool db_saw_rekey;          /* the keyring showed a re-key under way at open */
    uint8_t council_id[COUNCIL_ID_BYTES];
    int root_source;            /* COUNCIL__V1__ROOT_KEY_SOURCE__* */
    council__secret root;       /* 32 bytes */
    council__secret log_sk;     /* Ed25519 secret key, 64 bytes */
    uint8_t log_pk[32];
    int actor_kind;             /* COUNCIL__V1__AUDIT_ACTOR_KIND__*: ROOT or STAFF */
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
    council__secret coord_sk;   /* root sessions, loaded on first use */
    council__secret psn;        /* pseudonym key (case references) */
    council__secret bix;        /* blind-index key */
    bool user_batch;            /* council_batch_begin() is open */
    /* Refusals logged inside the caller's batch: appended again on their
     * own if the batch is rolled back (a refusal is never forgotten). */
    struct council__held_refusal *held;
    size_t n_held;
    struct sqlite3_stmt *st_node_get; /* audit node store, prepared once */
    struct sqlite3_stmt *st_node_put;
    struct sqlite3_stmt *st_event_put;
    /* The log's tip, read once per write transaction (no other writer can
     * move it while we hold it) and carried forward by each append. */
    bool tip_valid;
    uint64_t tip_size;
    int64_t tip_time;
    uint8_t tip_leaf[COUNCIL_HASH_BYTES];
};

/* True for a handle that may be used for operations. */
bool council__ok(const council *c);

/* Record rc and a printf-style message on c (c may be NULL); return rc. The
 * message names the operation and ids, never secrets or case content. */
int council__fail(council *c, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reset the handle's error to "not an error". */
void council__clear(council *c);

/* Only the secretariat's (root-key) session may do `op`: EDENIED for a
 * staff session. Staff sessions are re-checked (still active) here too. */
int council__root_only(council *c, const char *op);
/* A root-only operation on one record: the handle, the session and a
 * 16-byte id checked (EMISUSE, EDENIED, EINVAL). */
int council__root_id(council *c, const char *op, const uint8_t *id, size_t len);
/* A staff session's standing, re-read on each call: EDENIED (and the
 * handle closed for further use) once the staff retired or the member
 * withdrew. COUNCIL_OK for root sessions. */
int council__actor_ok(council *c, const char *op);

/* Well-formed UTF-8 of len bytes without control characters. */
bool council__text_ok(const char *s, size_t len);
/* A NUL-terminated text argument: 1..max bytes of council__text_ok text. */
bool council__text_arg(const char *s, size_t max);
/* Argon2id cost: 0 means the default; EINVAL (named for op) out of range. */
int council__kdf_cost(council *c, const char *op, uint64_t *ops, uint64_t *mem);

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
void council__fault_alloc_after(long n);
/* A protobuf-c allocator routed through council__malloc. */
struct ProtobufCAllocator *council__pb_allocator(void);
/* The same, wiping every block it frees (messages holding case content). */
struct ProtobufCAllocator *council__pb_wiping_allocator(void);
/* Did an allocation through it fail since the last reset? protobuf-c's
 * unpack returns NULL both for bad input and for out of memory. */
bool council__pb_alloc_failed(bool reset);

/* --------------------------------------------------------------- secrets */

int council__secret_alloc(council__secret *s, size_t len); /* writable after */
void council__secret_lock(const council__secret *s);  /* no access */
void council__secret_read(const council__secret *s);  /* read only */
void council__secret_write(const council__secret *s); /* read and write */
void council__secret_free(council__secret *s);     /* wipe and free */

/* ----------------------------------------------------------------- crypto */

#define COUNCIL__KEY_BYTES 32
#define COUNCIL__NONCE_BYTES 24
#define COUNCIL__TAG_BYTES 16
#define COUNCIL__SALT_BYTES 16
#define COUNCIL__SIGN_PK_BYTES 32
#define COUNCIL__SIGN_SK_BYTES 64

/* crypto_kdf contexts (8 bytes) of the subkeys of the root key. */
#define COUNCIL__CTX_DATABASE "cncl-db_"
#define COUNCIL__CTX_LOGWRAP  "cncl-lgw"
#define COUNCIL__CTX_PSEUDONYM "cncl-psn"
#define COUNCIL__CTX_JOURNAL   "cncl-jnl"
#define COUNCIL__CTX_COORD     "cncl-cwk"  /* coordinating body's wrap key pair */
#define COUNCIL__CTX_SECRETS   "cncl-sec"  /* wraps the council's stored secrets */
#define COUNCIL__CTX_PENDING   "cncl-pdb"  /* wraps the old database key during a re-key */

int council__kdf(council *c, uint8_t *out, size_t out_len,
                 const council__secret *root, uint64_t id, const char ctx[8]);

/* XChaCha20-Poly1305-IETF with range checks before libsodium. */
int council__aead_seal(council *c, uint8_t *ct, size_t ct_len,
                       const uint8_t *pt, size_t pt_len,
                       const uint8_t *ad, size_t ad_len,
                       const uint8_t nonce[COUNCIL__NONCE_BYTES],
                       const uint8_t *key);
/* Returns COUNCIL_EAUTH (and wipes pt) when the tag does not verify. */
int council__aead_open(council *c, uint8_t *pt, size_t pt_len,
                       const uint8_t *ct, size_t ct_len,
                       const uint8_t *ad, size_t ad_len,
                       const uint8_t nonce[COUNCIL__NONCE_BYTES],
                       const uint8_t *key);

int council__argon2id(council *c, uint8_t *out, size_t out_len,
                      const uint8_t *pass, size_t pass_len,
                      const uint8_t salt[COUNCIL__SALT_BYTES],
                      uint64_t opslimit, uint64_t memlimit);

/* Big-endian writers for associated data; each returns the end written. */
uint8_t *council__put_u32(uint8_t *p, uint32_t v);
uint8_t *council__put_u64(uint8_t *p, uint64_t v);
uint8_t *council__put_bytes(uint8_t *p, const void *src, size_t n);

/* Random v4 UUID and its lower-case text form (37 bytes with NUL). */
void council__uuid_random(uint8_t out[COUNCIL_ID_BYTES]);
void council__uuid_text(char out[37], const uint8_t id[COUNCIL_ID_BYTES]);

/* ---------------------------------------------------------------- keyring */

#define COUNCIL__KEYRING_FORMAT 1
#define COUNCIL__KEYRING_FILE "council.keyring"
#define COUNCIL__KEYRING_BODY_MAX 65536
/* The signer's head in the keyring: size, up to 64 subtree hashes, signature. */
#define COUNCIL__LOG_HEAD_MAX (8 + 64 * 32 + 64)
#define COUNCIL__KEYRING_MEMBERS_MAX 256
#define COUNCIL__KEYRING_MAGIC_BYTES 8
#define COUNCIL__KEYRING_SUM_BYTES 32
#define COUNCIL__KEYRING_FILE_MAX \
    (COUNCIL__KEYRING_MAGIC_BYTES + COUNCIL__KEYRING_BODY_MAX + COUNCIL__KEYRING_SUM_BYTES)
#define COUNCIL__KDF_OPSLIMIT_DEFAULT 3u         /* crypto_pwhash MODERATE */
#define COUNCIL__KDF_MEMLIMIT_DEFAULT 268435456u /* crypto_pwhash MODERATE */

/* The keyring as plain C: what the file holds, checked. */
typedef struct council__keyring {
    uint32_t format_version;
    uint8_t council_id[COUNCIL_ID_BYTES];
    int64_t created;
    uint8_t store_salt[COUNCIL__SALT_BYTES];
    uint32_t db_key_version;
    uint8_t log_pk[COUNCIL__SIGN_PK_BYTES];
    int root_source;
    uint64_t opslimit;
    uint64_t memlimit;
    uint8_t kdf_salt[COUNCIL__SALT_BYTES];
    uint8_t root_nonce[COUNCIL__NONCE_BYTES];
    uint8_t root_ct[COUNCIL__KEY_BYTES + COUNCIL__TAG_BYTES];
    uint8_t log_nonce[COUNCIL__NONCE_BYTES];
    uint8_t log_ct[COUNCIL__SIGN_SK_BYTES + COUNCIL__TAG_BYTES];
    bool has_journal_pk;
    uint8_t journal_pk[32];     /* X25519: pre-store refusals sealed to it */
    bool has_pending;           /* a database re-key is under way */
    uint8_t pending_nonce[COUNCIL__NONCE_BYTES];
    uint8_t pending_ct[COUNCIL__KEY_BYTES + COUNCIL__TAG_BYTES];
    size_t log_head_len;        /* 0: none kept yet (see audit.c) */
    uint8_t log_head[COUNCIL__LOG_HEAD_MAX];
    size_t n_members;           /* the database key sealed to members */
    struct council__member_db_key {
        uint8_t member_id[COUNCIL_ID_BYTES];
        uint32_t db_key_version;
        uint8_t sealed[COUNCIL__KEY_BYTES + 48]; /* + crypto_box_SEALBYTES */
    } members[COUNCIL__KEYRING_MEMBERS_MAX];
} council__keyring;

/* Seal this council's database key to a member's box key in kr (replacing
 * an older entry), or remove the member's entry. */
int council__keyring_seal_member(council *c, council__keyring *kr,
                                 const uint8_t member_id[COUNCIL_ID_BYTES],
                                 const uint8_t box_pk[32]);
void council__keyring_drop_member(council__keyring *kr, const uint8_t member_id[COUNCIL_ID_BYTES]);
/* Load, change with fn, store atomically: a root session's keyring edit. */
int council__keyring_update(council *c, int (*fn)(council *c, council__keyring *kr, void *ctx),
                            void *ctx);

/* The framing the keyring shares with the member keyfile: magic (8 bytes)
 * || protobuf message || BLAKE2b-256 of everything before (unkeyed: it
 * catches damage, not forgery). Parse checks the size (at most file_max
 * bytes), the magic and the checksum before protobuf-c sees a byte, then
 * unpacks with council__pb_allocator() (free *out with it): EFORMAT for
 * damaged or foreign bytes, ENOMEM. Build: ELIMIT over file_max, ENOMEM.
 * Messages begin with `what` ("keyring", "keyfile"). */
struct ProtobufCMessage;
struct ProtobufCMessageDescriptor;
int council__framed_parse(council *c, struct ProtobufCMessage **out, const char *what,
                          const struct ProtobufCMessageDescriptor *desc,
                          const uint8_t magic[COUNCIL__KEYRING_MAGIC_BYTES], size_t file_max,
                          const uint8_t *buf, size_t len);
int council__framed_build(council *c, council_buf *out, const char *what,
                          const uint8_t magic[COUNCIL__KEYRING_MAGIC_BYTES], size_t file_max,
                          const struct ProtobufCMessage *m);

/* Parse and check file bytes: EFORMAT for anything damaged or foreign,
 * EUNSUPPORTED for a newer format version. Touches no key. */
int council__keyring_parse(council *c, council__keyring *kr,
                           const uint8_t *buf, size_t len);
/* The file bytes of kr (magic, message, checksum). */
int council__keyring_serialize(council *c, council_buf *out,
                               const council__keyring *kr);
int council__keyring_load(council *c, council__keyring *kr, const char *dir);
/* Write atomically: temporary file, fsync, rename, fsync of the directory. */
int council__keyring_store(council *c, const council__keyring *kr, const char *dir);

/* Fill kr's KDF parameters and root wrap for `root` under `pass`. */
int council__keyring_wrap_root(council *c, council__keyring *kr,
                               const council__secret *root,
                               const uint8_t *pass, size_t pass_len,
                               uint64_t opslimit, uint64_t memlimit);
/* EAUTH for a wrong passphrase. root must be allocated, 32 bytes. */
int council__keyring_unwrap_root(council *c, const council__keyring *kr,
                                 council__secret *root,
                                 const uint8_t *pass, size_t pass_len);
/* The log key's wrap binds (associated data) that the signer keeps its head
 * in this keyring, so the head cannot be dropped unseen: every wrap made now
 * says so (council__keyring_wrap_log_as with headed false only writes a
 * keyring as stores from before kept it, for tests). */
int council__keyring_wrap_log(council *c, council__keyring *kr,
                              const council__secret *root,
                              const council__secret *log_sk);
int council__keyring_wrap_log_as(council *c, council__keyring *kr,
                                 const council__secret *root,
                                 const council__secret *log_sk, bool headed);
/* EAUTH for a wrong root key. log_sk must be allocated, 64 bytes. Sets
 * c->log_headed (c not NULL) to what the wrap says. */
int council__keyring_unwrap_log(council *c, const council__keyring *kr,
                                const council__secret *root,
                                council__secret *log_sk);

/* ----------------------------------------------------------------- merkle */

/* A store of perfect subtree hashes: (level, index) is the hash of leaves
 * [index << level, (index + 1) << level). get and put return COUNCIL_OK or
 * a negative code (ENOTFOUND for a missing node). */
typedef struct council__nodes {
    void *ctx;
    int (*get)(void *ctx, uint32_t level, uint64_t index, uint8_t out[COUNCIL_HASH_BYTES]);
    int (*put)(void *ctx, uint32_t level, uint64_t index, const uint8_t hash[COUNCIL_HASH_BYTES]);
    uint64_t reads; /* get calls made through merkle.c, for tests and the bench */
} council__nodes;

void council__merkle_leaf(uint8_t out[COUNCIL_HASH_BYTES], const uint8_t *data, size_t len);
void council__merkle_node(uint8_t out[COUNCIL_HASH_BYTES], const uint8_t left[COUNCIL_HASH_BYTES],
                          const uint8_t right[COUNCIL_HASH_BYTES]);
/* Add the leaf at index `size` (the tree has `size` leaves before) and the
 * perfect subtree hashes it completes: O(log n) hashing. */
int council__merkle_append(council__nodes *ns, uint64_t size, const uint8_t leaf[COUNCIL_HASH_BYTES]);
/* MTH of the first `size` leaves (size 0: SHA-256 of nothing). */
int council__merkle_root(council__nodes *ns, uint64_t size, uint8_t out[COUNCIL_HASH_BYTES]);
/* MTH(D[lo:hi]) for lo < hi. */
int council__merkle_range(council__nodes *ns, uint64_t lo, uint64_t hi, uint8_t out[COUNCIL_HASH_BYTES]);
/* RFC 9162 PATH(index, D[0:size]) and PROOF(size1, D[0:size2]) into out
 * (cap hashes); *count receives the number written. O(log n) node reads.
 * EINVAL for index >= size, size1 = 0 or size1 > size2 (or size1 = size2:
 * the empty proof, count 0, COUNCIL_OK). */
int council__merkle_prove_inclusion(council__nodes *ns, uint64_t index, uint64_t size,
                                    uint8_t *out, size_t cap, size_t *count);
int council__merkle_prove_consistency(council__nodes *ns, uint64_t size1, uint64_t size2,
                                      uint8_t *out, size_t cap, size_t *count);

/* A streaming root: push leaves one by one, O(log n) memory (64 hashes). */
typedef struct council__frontier {
    uint8_t peak[64][COUNCIL_HASH_BYTES];
    uint64_t size;
} council__frontier;
void council__frontier_init(council__frontier *f);
void council__frontier_push(council__frontier *f, const uint8_t leaf[COUNCIL_HASH_BYTES]);
void council__frontier_root(const council__frontier *f, uint8_t out[COUNCIL_HASH_BYTES]);

/* ------------------------------------------------------------ member keys */

/* A member's key pairs: X25519 (sealed boxes: wrapped data keys, bundles)
 * and Ed25519 (signatures, cosignatures). Secret halves in secure memory. */
typedef struct council__member_keys {
    uint8_t member_id[COUNCIL_ID_BYTES];
    uint8_t box_pk[32];
    uint8_t sign_pk[32];
    council__secret box_sk;   /* 32 bytes */
    council__secret sign_sk;  /* 64 bytes */
} council__member_keys;

/* What a keyfile says in clear (no secret): for listings and the fuzzer. */
typedef struct council__keyfile_info {
    uint32_t format_version;
    uint8_t council_id[COUNCIL_ID_BYTES];
    uint8_t member_id[COUNCIL_ID_BYTES];
    uint8_t box_pk[32];
    uint8_t sign_pk[32];
    uint64_t opslimit;
    uint64_t memlimit;
    bool has_log_pk;            /* the council's log key pinned at issue */
    uint8_t log_pk[32];
} council__keyfile_info;

#define COUNCIL__KEYFILE_MAX 4096 /* bytes of a member keyfile we accept */

/* Fresh key pairs for member_id (keys allocated; free with _free). */
int council__member_keys_generate(council *c, council__member_keys *k,
                                  const uint8_t member_id[COUNCIL_ID_BYTES]);
void council__member_keys_free(council__member_keys *k);
/* The keyfile bytes: k's secret keys wrapped (XChaCha20-Poly1305) under
 * Argon2id(pass) (ops/mem 0: MODERATE), bound to council_id, member_id and
 * both public keys. EINVAL for keys that do not match their public keys, a
 * bad passphrase length or cost; ENOMEM. */
int council__keyfile_write(council *c, council_buf *out, const council__member_keys *k,
                           const uint8_t council_id[COUNCIL_ID_BYTES],
                           const uint8_t *pass, size_t pass_len, uint64_t ops, uint64_t mem);
/* The same, pinning the council's log public key (log_pk, 32 bytes) in
 * the file, authenticated with the wrap. */
int council__keyfile_write_pinned(council *c, council_buf *out, const council__member_keys *k,
                                  const uint8_t council_id[COUNCIL_ID_BYTES], const uint8_t *log_pk,
                                  const uint8_t *pass, size_t pass_len, uint64_t ops, uint64_t mem);
/* Parse and check without a passphrase: EFORMAT for damaged or foreign
 * bytes, EUNSUPPORTED for a newer format. Touches no secret. */
int council__keyfile_parse(council *c, council__keyfile_info *info, const uint8_t *buf, size_t len);
/* Parse and unwrap: EAUTH for a wrong passphrase; EFORMAT if the secret
 * keys do not belong to the public keys in the file (or the file is
 * damaged); EUNSUPPORTED for a newer format; EINVAL for a bad passphrase
 * length or NULL k; ENOMEM. k is allocated here and wiped and freed on
 * failure; council__member_keys_free is safe either way. */
int council__keyfile_open(council *c, council__member_keys *k, council__keyfile_info *info,
                          const uint8_t *buf, size_t len, const uint8_t *pass, size_t pass_len);

/* ---------------------------------------------------------------- members */

/* 1: the member is active, 0: withdrawn, or a negative code (ENOTFOUND,
 * EIO) recorded on c for op. */
/* The register's rows are signed by the secretariat (member.c): sign after
 * a change; check (ETAMPER, logged) before a row decides anything; sign the
 * rows of a store from before (the secretariat's first session). */
int council__member_sign(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES]);
int council__member_check(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES]);
int council__member_upgrade(council *c);
/* Staff and pledges, signed by the secretariat (staff.c): ETAMPER (logged)
 * for a staff row it did not sign; *pledged: a pledge it signed exists. */
int council__staff_check(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                         bool *pledged);
int council__staff_upgrade(council *c);
/* Meetings and agenda items from before, signed at the secretariat's first session. */
int council__meeting_upgrade(council *c);
/* Before a member's signing key is replaced or removed (key replacement,
 * withdrawal): the rows it really signed are signed again by the council,
 * so they stay valid; rows it did not sign stay as they are. Root only. */
int council__key_versions_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES]);
int council__shares_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES]);
int council__grants_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES]);
/* Is `scope` a code in the catalogue (scope.c)? EINVAL, ENOTFOUND, EIO. */
int council__scope_known(council *c, const char *op, const char *scope);
/* A message serialised into out (crypto.c), for the listing calls. */
struct ProtobufCMessage;
int council__pack_out(council *c, const char *op, council_buf *out,
                      const struct ProtobufCMessage *m);
int council__member_active(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES]);
/* COUNCIL_OK for an active member; EDENIED (named for op) for a withdrawn
 * one; ENOTFOUND or EIO otherwise. */
int council__member_usable(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES]);
/* End a registry change begun with council__audit_batch_begin: commit if
 * rc is COUNCIL_OK (and clear the message), else roll back; returns rc or
 * the commit's failure. */
int council__finish(council *c, int rc);

/* ---------------------------------------------------------- signed notes */

/* C2SP signed notes (c2sp.org/signed-note), checkpoints
 * (c2sp.org/tlog-checkpoint) and cosignatures (c2sp.org/tlog-cosignature). */
#define COUNCIL__NOTE_MAX 16384       /* bytes of a note we accept */
#define COUNCIL__NOTE_SIGS_MAX 64     /* signature lines */
#define COUNCIL__KEYNAME_MAX 255
#define COUNCIL__SIG_ED25519 0x01     /* note signature type */
#define COUNCIL__SIG_COSIGN 0x04      /* cosignature/v1 type */

typedef struct council__vkey {
    char name[COUNCIL__KEYNAME_MAX + 1];
    uint8_t type;
    uint8_t keyid[4];
    uint8_t pk[COUNCIL__SIGN_PK_BYTES];
} council__vkey;

typedef struct council__checkpoint {
    char origin[COUNCIL__KEYNAME_MAX + 1];
    uint64_t size;
    uint8_t root[COUNCIL_HASH_BYTES];
    size_t body_len; /* bytes of the note body, final newline included */
} council__checkpoint;

/* The log's origin line and key name: "libcouncil/<council uuid>". */
#define COUNCIL__ORIGIN_MAX 64
void council__log_origin(char out[COUNCIL__ORIGIN_MAX], const uint8_t id[COUNCIL_ID_BYTES]);

/* Only base64 digits and '=' (checked before libsodium's decoder, which in
 * 1.0.18 takes every byte from 0x80 up for a digit). */
bool council__b64_text_ok(const char *s, size_t n);
/* SHA-256(name || "\n" || type || pk)[0:4] */
void council__keyid(uint8_t out[4], const char *name, uint8_t type,
                    const uint8_t pk[COUNCIL__SIGN_PK_BYTES]);
/* "name+keyid-hex+base64(type || pk)" */
int council__vkey_format(char *out, size_t out_len, const char *name, uint8_t type,
                         const uint8_t pk[COUNCIL__SIGN_PK_BYTES]);
/* EFORMAT for anything malformed, including a key id that does not match. */
int council__vkey_parse(council__vkey *out, const char *text, size_t len);

/* The checkpoint body: origin, size and base64 root, one per line. */
int council__checkpoint_body(char *out, size_t cap, size_t *len, const char *origin,
                             uint64_t size, const uint8_t root[COUNCIL_HASH_BYTES]);
/* Parse the body of a note as a checkpoint (signatures are not checked). */
int council__checkpoint_parse(council__checkpoint *cp, const char *note, size_t len);
/* body || "\n" || "— name base64(keyid || sig)\n" signed by an Ed25519 key. */
int council__note_sign(council_buf *out, const char *body, size_t body_len, const char *name,
                       const council__secret *sk, const uint8_t pk[COUNCIL__SIGN_PK_BYTES]);
/* COUNCIL_OK when the note carries a valid signature by `log` (type 0x01);
 * *cosigs receives the number of distinct `witnesses` (type 0x04) with a
 * valid cosignature. ETAMPER when the log signature is missing or bad,
 * EFORMAT when the note is malformed. */
int council__note_verify(const char *note, size_t len, const council__vkey *log,
                         const council__vkey *witnesses, size_t n_witnesses, size_t *cosigs);
/* Append a cosignature/v1 line by the witness key to a signed note. */
int council__note_cosign(council_buf *out, const char *note, size_t len, const char *name,
                         const uint8_t sk[COUNCIL__SIGN_SK_BYTES], uint64_t timestamp);

/* ------------------------------------------------------------------ audit */

/* One event to append; seq, time and prev_hash are filled in by the log.
 * Codes are identifiers [a-z0-9_]{1,64}; ids are 16 bytes, case_ref 32. */
typedef struct council__event {
    int action;                 /* COUNCIL__V1__AUDIT_ACTION__* */
    int actor_kind;             /* COUNCIL__V1__AUDIT_ACTOR_KIND__* */
    const uint8_t *actor_member;
    const uint8_t *actor_staff;
    const uint8_t *subject_member; /* the member acted on */
    const uint8_t *subject_staff;  /* the staff acted on */
    const uint8_t *case_ref;
    const char *const *scopes;
    size_t n_scopes;
    const char *purpose;
    const char *basis;
    const uint8_t *consent_id;
    int outcome;                /* COUNCIL__V1__AUDIT_OUTCOME__* */
    int error;                  /* refused: the COUNCIL_E* code */
    const char *reason;
} council__event;
/* Inside the caller's batch, an event (a refusal, a tamper finding) kept
 * to be appended again on its own if the batch is rolled back (case.c). */
void council__hold_event(council *c, const council__event *ev);

#define COUNCIL__AUDIT_CODE_MAX 64
#define COUNCIL__AUDIT_SCOPES_MAX 32
#define COUNCIL__AUDIT_FRAME_MAX 65536

/* Append durably: one transaction, committed (synchronous=FULL) before
 * return, unless a batch is open, in which case the batch's commit makes
 * it durable. On failure nothing is appended and the caller MUST fail. */
int council__audit_append(council *c, const council__event *ev);
/* Log first, then act: act() runs only once the event is durable. */
int council__audit_then(council *c, const council__event *ev,
                        int (*act)(council *c, void *ctx), void *ctx);
/* Batched mode: many appends, one durable commit. */
int council__audit_batch_begin(council *c);
int council__audit_batch_commit(council *c);
void council__audit_batch_rollback(council *c);
/* The secretariat's session keeps the log signer's head (audit.c): extend
 * it over the events since, if the log still extends it (else ETAMPER, the
 * finding logged as tamper_detected). No-op for staff sessions. */
int council__audit_head_advance(council *c);
/* Does the store say the signer keeps a head (audit.c)? */
int council__audit_head_kept(council *c, bool *kept);
/* The first 8 bytes of an audit export (audit.c writes, verify.c reads). */
extern const uint8_t council__export_magic[8];
int council__audit_size(council *c, uint64_t *out);
/* For tests: fail appends after `n` more succeed (n < 0: never). Per thread. */
void council__audit_fault_after(long n);
/* Keyed pseudonym of a case id (subkey "cncl-psn" of the root key). */
int council__case_ref(council *c, uint8_t out[32], const uint8_t case_id[COUNCIL_ID_BYTES]);
/* The node store of c's audit tree. */
void council__audit_nodes(council *c, council__nodes *ns);
/* council_audit_verify_export() on an open stream (for the fuzzer). */
int council__audit_verify_fp(council_buf *report, FILE *f, const council_audit_verify_options *o);
/* Append an allowed registry event by the root session about a member
 * and/or staff member (either may be NULL). */
int council__audit_subject(council *c, int action, const uint8_t *member, const uint8_t *staff,
                           const char *reason);
/* Is `s` an audit code: [a-z0-9_]{1,64}? */
bool council__audit_code_ok(const char *s);

/* ------------------------------------------------------------------ cases */

/* At the end of every open and create: a root session makes sure the
 * coordinating body's public key, the council's stored secrets (pseudonym
 * and blind-index keys) and their copies sealed to each member's box key
 * are in the store, then loads them; a staff session loads its member's
 * sealed copies (if the secretariat has not provided them yet, case calls
 * fail with COUNCIL_EUNSUPPORTED). */
int council__case_session_init(council *c);
/* A member withdrew (in the withdrawal's transaction): its shares are
 * revoked, its wrapped keys and sealed secrets destroyed, and every data
 * key it held rotated. */
int council__case_member_left(council *c, const uint8_t member[COUNCIL_ID_BYTES]);
/* A member's box key changed (root session, in the registration's
 * transaction): its wrapped keys and sealed secrets are sealed again to
 * the new key. */
int council__case_member_rekeyed(council *c, const uint8_t member[COUNCIL_ID_BYTES],
                                 const uint8_t box_pk[32]);
/* Data keys (casekey.c). A wrapped key is crypto_box_seal of the binding
 * (council, case, version, scope) and the key. */
#define COUNCIL__WRAP_BYTES (16 * 2 + 4 + 1 + 64 + 32 + 48)
const uint8_t *council__coord_holder(void);
int council__wrap(council *c, uint8_t out[COUNCIL__WRAP_BYTES], const uint8_t case_id[COUNCIL_ID_BYTES],
                  const char *scope, uint32_t version, const council__secret *key,
                  const uint8_t pk[32]);
/* key is allocated here; EAUTH if the wrap does not open or names another place. */
int council__unwrap(council *c, council__secret *key, const uint8_t *sealed, size_t len,
                    const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope, uint32_t version,
                    const uint8_t pk[32], const council__secret *sk);
/* The session's holder id and key pair: the coordinating body's (root) or
 * its member's (staff). */
int council__actor_key(council *c, const uint8_t **holder, const uint8_t **pk,
                       const council__secret **sk);
/* Run one statement binding blobs a (?1) and b (?2) when not NULL. */
int council__sql_exec1(council *c, const char *op, const char *sql, const uint8_t *a,
                       size_t alen, const uint8_t *b, size_t blen);
/* Rows that decide access, signed (casekey.c): by the log key in the
 * secretariat's sessions (signer all zeros), by the member's signing key in
 * a staff session (signer = its member; EDENIED when it has none). Check:
 * COUNCIL_OK, or COUNCIL_ETAMPER for a missing, damaged or foreign
 * signature or a signer the key directory does not vouch for. */
int council__attest_sign(council *c, const char *kind, const uint8_t *msg, size_t len,
                         uint8_t signer[COUNCIL_ID_BYTES], uint8_t sig[64]);
int council__attest_check(council *c, const char *kind, const uint8_t *msg, size_t len,
                          const uint8_t *signer, size_t signer_len, const uint8_t *sig,
                          size_t sig_len);
/* A tamper finding on the record (reason code; case, scope, member may be
 * NULL), in the caller's transaction. */
int council__tamper(council *c, const uint8_t *case_id, const char *scope,
                    const uint8_t *member, const char *reason);
/* Case ids commit to the owner (casekey.c). */
void council__case_id_derive(const council *c, uint8_t id[COUNCIL_ID_BYTES],
                             const uint8_t owner[COUNCIL_ID_BYTES],
                             const uint8_t nonce[COUNCIL_ID_BYTES]);
bool council__case_owner_ok(const council *c, const uint8_t case_id[COUNCIL_ID_BYTES],
                            const uint8_t owner[COUNCIL_ID_BYTES], const uint8_t *proof,
                            size_t len);
/* The council's signature on a case's owner, for cases from before owner
 * proofs (casekey.c). */
int council__case_owner_sign(council *c, uint8_t sig[64], const uint8_t case_id[COUNCIL_ID_BYTES],
                             const uint8_t owner[COUNCIL_ID_BYTES]);
int council__case_owners_upgrade(council *c);
/* The case's owner as its proof shows it (case.c): ETAMPER (logged) when
 * the row names another, ENOTFOUND. */
int council__case_owner(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        uint8_t owner[COUNCIL_ID_BYTES]);
/* Is key version v of (case, scope) vouched for (ETAMPER, logged, if not)? */
int council__key_verify(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const char *scope, uint32_t v, const council__secret *key);
/* Does `member` hold the newest key of (case, scope), by a wrap its tag
 * vouches for? A wrap row without a valid tag is logged as forged. The
 * session must hold the key itself. */
int council__key_holds(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                       const char *scope, const uint8_t member[COUNCIL_ID_BYTES], bool *holds);
/* Does tag vouch that `holder` (box key pk) was given the data key `key`
 * of (case, scope, version) by a session that held it? (casekey.c) */
bool council__holder_tag_ok(const council *c, const uint8_t *tag, size_t tag_len,
                            const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope,
                            uint32_t version, const uint8_t holder[COUNCIL_ID_BYTES],
                            const uint8_t pk[32], const council__secret *key);
int council__wrap_for(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                      const char *scope, uint32_t version, const uint8_t holder[COUNCIL_ID_BYTES],
                      const uint8_t pk[32], const council__secret *key);
/* The session's data key of (case, scope, version): EDENIED without a
 * wrap for it, EAUTH if it does not open. */
int council__key_open(council *c, const char *op, council__secret *key,
                      const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope, uint32_t version);
/* The newest key version of (case, scope), 0 for none. */
int council__key_latest(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const char *scope, uint32_t *version);
/* A new key version wrapped for the coordinating body, the owner and the
 * active share holders; key_out (if not NULL) receives the key. */
int council__key_new(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                     const char *scope, uint32_t *version_out, council__secret *key_out);
/* Root-key rotation: the stored secrets and the coordinating body's wraps
 * again under new_root (added beside the old ones; the next open under
 * new_root removes the old). */
int council__secrets_rewrap(council *c, const council__secret *new_root);
int council__coord_rewrap(council *c, const council__secret *new_root, uint8_t new_pk[32]);
/* Is this the secretariat's (root) session? */
bool council__is_root(const council *c);
/* Fill an event's actor from the session (the secretariat, or its staff). */
void council__event_actor(const council *c, council__event *ev);
/* EIO "op: database error". */
int council__db_err(council *c, const char *op);
/* Step a prepared, bound statement that selects at most a row, finalize it,
 * and say whether a row came back (EIO, named for op, on error). */
int council__row_exists(council *c, const char *op, struct sqlite3_stmt *st, bool *yes);
/* Does the member hold an active share (not revoked, not expired) of the
 * case's scope (scope NULL: of any scope)? */
int council__share_active(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const uint8_t member[COUNCIL_ID_BYTES], const char *scope, bool *yes);
/* A case's owner and pseudonym, and whether it was erased (ENOTFOUND). */
int council__case_lookup(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                         uint8_t owner[COUNCIL_ID_BYTES], uint8_t ref[32], bool *erased);
/* Every active share of the case with basis consent, through the
 * decision again (after a withdrawal or a refusal, or before a person's
 * first data in extra_scope: extra_person counts as having data there, and
 * may be NULL): those it now refuses
 * end (revoked with the decision's reason, wrapped keys destroyed, keys
 * rotated, logged). In the caller's transaction. */
int council__case_recheck_consent_shares(council *c, const char *op,
                                         const uint8_t case_id[COUNCIL_ID_BYTES],
                                         const uint8_t *extra_person, const char *extra_scope);
/* council_case_share(), naming the meeting the share belongs to (NULL for
 * none); op names the caller in messages. */
int council__case_share_in(council *c, const char *op, const uint8_t *case_id, size_t case_id_len,
                           const uint8_t *member_id, size_t member_id_len,
                           const council_share_options *o, const uint8_t *meeting_id);
/* The meeting's active shares end (revoked "meeting_closed", wraps
 * destroyed, keys rotated, logged). In the caller's transaction. */
int council__case_end_meeting_shares(council *c, const char *op,
                                     const uint8_t meeting_id[COUNCIL_ID_BYTES]);
/* The latest sections of the given scopes of a case (all the session may
 * read, scopes NULL: every scope) as CaseContent bytes; logged durably like
 * council_case_read() with the purpose, before anything is returned. */
int council__case_content(council *c, const char *op, council_buf *out,
                          const uint8_t case_id[COUNCIL_ID_BYTES], const char *const *scopes,
                          size_t n_scopes, const char *purpose);
/* A case's consent records with their status as of now (consent.c); free
 * with council__v1__consent_list__free_unpacked(l, council__pb_allocator()). */
struct Council__V1__ConsentList;
int council__consent_records(council *c, const char *op, const uint8_t case_id[16],
                             struct Council__V1__ConsentList **out);
/* Parse and check a stored consent record (size cap, unknown fields,
 * lengths, codes): EFORMAT, ENOMEM. *out (if not NULL) receives it, freed
 * with council__v1__consent_record__free_unpacked(m, council__pb_allocator()).
 * For the fuzzer and the ledger. */
struct Council__V1__ConsentRecord;
int council__consent_record_check(council *c, const uint8_t *buf, size_t len,
                                  struct Council__V1__ConsentRecord **out);
/* The council's policy configuration: the defaults, overridden by what
 * council_policy_set() stored (EFORMAT for a damaged one). */
struct council__policy_config;
/* The stored policy, signed by the secretariat at its first session (consent.c). */
int council__policy_upgrade(council *c);
/* Consent grants from before, signed at the secretariat's first session (consent.c). */
int council__consent_upgrade(council *c);
/* A case's consent records, withdrawals and grants, gone with its erasure. */
int council__consent_erase(council *c, const char *op, const uint8_t case_id[16]);
/* Active shares from before, signed at the secretariat's first session (case.c). */
int council__share_upgrade(council *c);
int council__policy_load(council *c, const char *op, struct council__policy_config *cfg);
/* Parse a stored policy (the setting 'policy', a council.v1.Policy of 1 to
 * 4096 bytes) into cfg, over the defaults it already holds: EFORMAT (named
 * for op, cfg unchanged) for a damaged one. For the fuzzer and the loader. */
int council__policy_parse(council *c, const char *op, struct council__policy_config *cfg,
                          const uint8_t *buf, size_t len);
/* A calendar date "YYYY-MM-DD" (1850 on). */
bool council__date_ok(const char *s);
/* A root session's open found a re-key under way (kr->has_pending): open
 * council.db with the old key, re-key it, clear the mark. */
int council__rekey_resume(council *c, council__keyring *kr);
/* The signed key directory: the secretariat signs, with the log key, the
 * coordinating body's wrap key and each member's box key; every session
 * checks a key's signature (against its log key, pinned in the member's
 * keyfile) before wrapping a data key or sealing a secret to it. EAUTH
 * for a key without a valid signature. */
int council__member_key_sign(council *c, const uint8_t member[COUNCIL_ID_BYTES],
                             const uint8_t box_pk[32], const uint8_t *sign_pk);
int council__member_key_check(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                              const uint8_t box_pk[32]);
/* EMISUSE (named for op) while council_batch_begin() is open. */
int council__no_batch(council *c, const char *op);
/* Check a serialised council.v1.Section for `scope` (EFORMAT, ELIMIT);
 * for the fuzzer and the write path. */
int council__section_check(council *c, const char *scope, const uint8_t *buf, size_t len);
/* The blind index: a name folded for comparison (NFKC, case folded,
 * hiragana as katakana, white space and middle dots removed) into a new
 * NUL-terminated string; EINVAL for invalid UTF-8 or nothing left. */
int council__name_fold(council *c, char **out, const char *name, size_t len);
#define COUNCIL__BLIND_NAME 1
#define COUNCIL__BLIND_NAME_BIRTH 3 /* the folded name, "\n", the birth date */
#define COUNCIL__BLIND_TOKEN_BITS 16
/* Truncated keyed hash (c->bix) of already normalised bytes. */
int council__blind_token(council *c, uint32_t *token, int kind, const uint8_t *data, size_t len);

/* ---------------------------------------------------------------- journal */

#define COUNCIL__JOURNAL_FILE "council.refusals"
#define COUNCIL__JOURNAL_MAX (1u << 20) /* bytes; past it, refusals are not journaled */

/* The council's journal key pair (from the root key). */
int council__journal_keypair(council *c, uint8_t pk[32], council__secret *sk);
/* Append a sealed refusal record (best effort: errors are ignored, as the
 * refusal itself is what the caller returns). */
void council__journal_refusal(const char *dir, const uint8_t journal_pk[32], const char *reason,
                              const uint8_t *member_id, const uint8_t *staff_id, int error);
/* Walk a journal's bytes (u16 big-endian length || sealed record, ...):
 * each record opened with the journal key pair (sk, pk) and decoded into a
 * session_refused event for emit(); a record that does not open or decode
 * gives a journal_record_damaged event, and a damaged tail gives one and
 * ends the walk. Returns COUNCIL_OK or the first failure of emit. Touches
 * no store; for the fuzzer and council__journal_import. */
int council__journal_parse(const uint8_t *buf, size_t len, const council__secret *sk,
                           const uint8_t pk[32], int (*emit)(void *ctx, const council__event *ev),
                           void *ctx);
/* Import journaled refusals as session_refused events (root sessions). */
int council__journal_import(council *c);

/* ------------------------------------------------------------------ store */

#define COUNCIL__DB_FILE "council.db"

typedef struct council__migration {
    uint32_t version;
    const char *sql;
} council__migration;

/* The schema this library writes. */
uint32_t council__schema_version(void);

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
/* How long a session waits for a lock another session holds on council.db
 * (SQLite's busy timeout) or on the keyring (council.keyring.lock) before
 * it gives up with COUNCIL_EIO. Documented in council(3). */
#define COUNCIL__BUSY_TIMEOUT_MS 10000
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

#endif /* COUNCIL_INT_H */
