/*
 * keyring.h - the council keyring file: parse, build, wrap and unwrap its keys (storage).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_KEYRING_H
#define COUNCIL_KEYRING_H

#include "council_int.h"
#include "crypto.h"

#define COUNCIL__KEYRING_FORMAT 1
#define COUNCIL__KEYRING_FILE "council.keyring"
#define COUNCIL__KEYRING_BODY_MAX 65536
/* The signer's head in the keyring: size, up to 64 subtree hashes, signature. */
#define COUNCIL__LOG_HEAD_MAX (8 + 64 * 32 + 64)
#define COUNCIL__KEYRING_MEMBERS_MAX 256
/* Role keys: at most this many members hold the secretariat's or the
 * coordinating body's role (a role key's plaintext is ROLE_KEY_BYTES). */
#define COUNCIL__KEYRING_ROLES_MAX 16
#define COUNCIL__ROLE_KEY_BYTES (8 + 16 + 16 + 4 + 32 + 64 + 32)
#define COUNCIL__KEYRING_MAGIC_BYTES 8
#define COUNCIL__KEYRING_SUM_BYTES 32
#define COUNCIL__KEYRING_FILE_MAX \
    (COUNCIL__KEYRING_MAGIC_BYTES + COUNCIL__KEYRING_BODY_MAX + COUNCIL__KEYRING_SUM_BYTES)

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
    size_t n_roles;             /* role keys sealed to role holders */
    struct council__role_key {
        uint8_t member_id[COUNCIL_ID_BYTES];
        uint32_t roles;
        uint8_t sealed[COUNCIL__ROLE_KEY_BYTES + 48];
    } roles[COUNCIL__KEYRING_ROLES_MAX];
} council__keyring;

/* The role keys of a member (roles: COUNCIL_ROLE_* bits): the coordinating
 * body's X25519 secret key, and for the secretariat's bit the log key's
 * Ed25519 secret key and the refusal journal's seed (log_sk and
 * journal_seed NULL otherwise), sealed to box_pk, replacing the member's
 * entry. Nothing authenticates a seal but what it holds: a reader checks
 * the keys against the public keys it trusts. */
int council__keyring_seal_roles(council *c, council__keyring *kr,
                                const uint8_t member_id[COUNCIL_ID_BYTES], uint32_t roles,
                                const uint8_t box_pk[32], const council__secret *coord_sk,
                                const council__secret *log_sk,
                                const council__secret *journal_seed);
void council__keyring_drop_roles(council__keyring *kr, const uint8_t member_id[COUNCIL_ID_BYTES]);
/* Open the member's role keys with its box key pair: COUNCIL_OK with
 * *roles 0 when it has none; EAUTH for a seal that does not open or names
 * another council or member. coord_sk (32), and log_sk (64) and
 * journal_seed (32) for the secretariat's bit, are allocated here. */
int council__keyring_open_roles(council *c, const council__keyring *kr,
                                const uint8_t member_id[COUNCIL_ID_BYTES], const uint8_t box_pk[32],
                                const council__secret *box_sk, uint32_t *roles,
                                council__secret *coord_sk, council__secret *log_sk,
                                council__secret *journal_seed);

/* Seal this council's database key to a member's box key in kr (replacing
 * an older entry), or remove the member's entry. The key is the root
 * key's, or (a secretariat's staff session) the one the session opened the
 * store with, c->db_key, if the keyring's version is still its own. */
int council__keyring_seal_member(council *c, council__keyring *kr,
                                 const uint8_t member_id[COUNCIL_ID_BYTES],
                                 const uint8_t box_pk[32]);
void council__keyring_drop_member(council__keyring *kr, const uint8_t member_id[COUNCIL_ID_BYTES]);
/* A key replacement in two steps (member.c): a second entry for the member,
 * sealed to its new box key (a copy of the sealed bytes in *sealed), kept
 * beside the first until the new key is on record; then the entries of the
 * member other than it dropped (keep true), or, if the new key did not get
 * on record, that one dropped (keep false). A staff session tries every
 * entry of its member. */
int council__keyring_seal_member_also(council *c, council__keyring *kr,
                                      const uint8_t member_id[COUNCIL_ID_BYTES],
                                      const uint8_t box_pk[32], uint8_t *sealed,
                                      size_t sealed_len);
void council__keyring_drop_entries(council__keyring *kr, const uint8_t member_id[COUNCIL_ID_BYTES],
                                   const uint8_t *sealed, size_t sealed_len, bool keep);
/* The member's entry that opens with its box key (key: the database key
 * it holds), or NULL: a staff session's way in. */
const struct council__member_db_key *
council__keyring_open_member(const council__keyring *kr, const uint8_t member_id[COUNCIL_ID_BYTES],
                             const uint8_t box_pk[32], const council__secret *box_sk,
                             uint8_t key[COUNCIL__KEY_BYTES]);
/* Has the member an entry with exactly these sealed bytes? */
bool council__keyring_has_entry(const council__keyring *kr, const uint8_t member_id[COUNCIL_ID_BYTES],
                                const uint8_t *sealed, size_t sealed_len);
/* How many entries the member has (more than one: a replacement cut short). */
size_t council__keyring_member_entries(const council__keyring *kr,
                                       const uint8_t member_id[COUNCIL_ID_BYTES]);
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

#endif /* COUNCIL_KEYRING_H */
