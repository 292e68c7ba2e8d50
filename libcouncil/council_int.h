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
    /* Installed by the store while the database is open (store.c): makes a
     * database failure's message plain (a full disk, a re-key by another
     * session). council__fail calls it, so the pure layer needs no store. */
    int (*explain)(struct council *c, int rc);
    /* Installed at a staff session's open (council.c): re-reads the staff
     * member's standing; the session layer's council__actor_ok calls it on
     * every operation, so the log layer needs nothing of the domain. */
    int (*standing)(struct council *c, const char *op);
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
int council__member_active(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES]);
/* COUNCIL_OK for an active member; EDENIED (named for op) for a withdrawn
 * one; ENOTFOUND or EIO otherwise. */
int council__member_usable(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES]);

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
/* A root session's open found a re-key under way (kr->has_pending): open
 * council.db with the old key, re-key it, clear the mark. */
struct council__keyring;
int council__rekey_resume(council *c, struct council__keyring *kr);
/* The signed key directory: the secretariat signs, with the log key, the
 * coordinating body's wrap key and each member's box key; every session
 * checks a key's signature (against its log key, pinned in the member's
 * keyfile) before wrapping a data key or sealing a secret to it. EAUTH
 * for a key without a valid signature. */
int council__member_key_sign(council *c, const uint8_t member[COUNCIL_ID_BYTES],
                             const uint8_t box_pk[32], const uint8_t *sign_pk);
int council__member_key_check(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                              const uint8_t box_pk[32]);
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

#endif /* COUNCIL_INT_H */
