/*
 * node.c - a member node: the handle, its keyring (node.keyring), its
 * store (a libcouncil store in node mode: the log's origin is the node's
 * own id, its key the node's own Ed25519 key), the items it holds (each
 * sealed under its own key, wrapped under a subkey of the node's root),
 * the reads (logged first), the purge of expired items and the export of
 * the node's own log. Import is node_import.c; the bundles back node_send.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/node.pb-c.h"
#include "council_int.h"
#include "buf.h"
#include "crypto.h"
#include "event.h"
#include "file.h"
#include "keyfile.h"
#include "log.h"
#include "merkle.h"
#include "note.h"
#include "sql.h"
#include "store.h"
#include "node.h"

/* Subkeys of the node's root key. */
#define CTX_KEYWRAP "cncl-nkw" /* wraps the log and witness secret keys */
#define CTX_KEYMAC  "cncl-nkm" /* the keyring's MAC */
#define CTX_ITEMKEK "cncl-nik" /* wraps each item's key */

static const char keys_ad[] = "libcouncil node keys v1";

/* --------------------------------------------------------------- handles */

bool council__node_ok(const council_node *n)
{
    return n != NULL && n->magic == COUNCIL__NODE_MAGIC && n->c != NULL && council__ok(n->c);
}

static council_node *node_new(void)
{
    council_node *n = council__calloc(1, sizeof *n);

    if (n == NULL)
        return NULL;
    n->c = council__calloc(1, sizeof *n->c);
    if (n->c == NULL) {
        council__free(n);
        return NULL;
    }
    n->c->magic = COUNCIL__MAGIC_FAILED;
    n->c->actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_MEMBER;
    n->magic = COUNCIL__NODE_MAGIC;
    return n;
}

void council_node_close(council_node *n)
{
    if (n == NULL || n->magic != COUNCIL__NODE_MAGIC)
        return;
    if (n->c != NULL) {
        council__shutdown(n->c);
        council__free(n->c->dir);
        sodium_memzero(n->c, sizeof *n->c);
        council__free(n->c);
    }
    council__secret_free(&n->witness_sk);
    council__secret_free(&n->item_kek);
    council__member_keys_free(&n->mk);
    sodium_memzero(n, sizeof *n);
    council__free(n);
}

const char *council_node_errmsg(const council_node *n)
{
    if (n == NULL || n->magic != COUNCIL__NODE_MAGIC || n->c == NULL)
        return "no node handle";
    return council_errmsg(n->c);
}

int council__node_event(council_node *n, int action, int outcome, int error, const char *reason,
                        const uint8_t *object_id, const uint8_t *bundle_hash,
                        const uint8_t *case_id, const char *const *scopes, size_t n_scopes)
{
    uint8_t ref[32];
    council__event ev = {
        .action = action,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_MEMBER,
        .actor_member = n->member_id,
        .object_id = object_id,
        .bundle_hash = bundle_hash,
        .scopes = scopes,
        .n_scopes = n_scopes,
        .outcome = outcome,
        .error = error,
        .reason = reason,
    };
    int rc;

    /* A case is named by the node's own pseudonym of it, never its id. */
    if (case_id != NULL) {
        if ((rc = council__case_ref(n->c, ref, case_id)) != COUNCIL_OK)
            return rc;
        ev.case_ref = ref;
    }
    return council__audit_append(n->c, &ev);
}

/* --------------------------------------------------------------- keyring */

static const char keyring_sig_context[] = "libcouncil node keyring v1"; /* signed with its NUL */

/* The keyring's MAC under a subkey of the root, and (sig not NULL) the
 * member's signature, both over its bytes without either. verify_sig not
 * NULL: check that signature with the keyfile's key instead of making one
 * (COUNCIL_ETAMPER when it does not verify). */
static int keyring_mac(council_node *n, const council__secret *root, Council__V1__NodeKeyring *kr,
                       uint8_t mac[crypto_auth_BYTES], uint8_t *sig, const uint8_t *verify_sig)
{
    uint8_t key[crypto_auth_KEYBYTES], *buf;
    size_t len;
    protobuf_c_boolean had = kr->has_mac, had_sig = kr->has_signature;
    int rc;

    kr->has_mac = 0;
    kr->has_signature = 0;
    len = council__v1__node_keyring__get_packed_size(kr);
    buf = council__malloc(len + sizeof keyring_sig_context);
    if (buf == NULL) {
        kr->has_mac = had;
        kr->has_signature = had_sig;
        return council__fail(n->c, COUNCIL_ENOMEM, "node: out of memory");
    }
    memcpy(buf, keyring_sig_context, sizeof keyring_sig_context);
    council__v1__node_keyring__pack(kr, buf + sizeof keyring_sig_context);
    kr->has_mac = had;
    kr->has_signature = had_sig;
    rc = council__kdf(n->c, key, sizeof key, root, 2, CTX_KEYMAC);
    if (rc == COUNCIL_OK)
        crypto_auth(mac, buf + sizeof keyring_sig_context, len, key);
    sodium_memzero(key, sizeof key);
    if (rc == COUNCIL_OK && sig != NULL) {
        council__secret_read(&n->mk.sign_sk);
        if (crypto_sign_detached(sig, NULL, buf, len + sizeof keyring_sig_context,
                                 n->mk.sign_sk.p) != 0)
            rc = council__fail(n->c, COUNCIL_ERROR, "node: cannot sign node.keyring");
        council__secret_lock(&n->mk.sign_sk);
    }
    if (rc == COUNCIL_OK && verify_sig != NULL &&
        crypto_sign_verify_detached(verify_sig, buf, len + sizeof keyring_sig_context,
                                    n->mk.sign_pk) != 0)
        rc = council__fail(n->c, COUNCIL_ETAMPER, "node_open: node.keyring is not signed by "
                           "this member's key (the node was replaced or edited)");
    council__free(buf);
    return rc;
}

/* The log and witness secret keys under a subkey of the root, bound to the
 * node's id. */
static int keys_wrap(council_node *n, const council__secret *root, const uint8_t node_id[16],
                     const council__secret *log_sk, uint8_t out[24 + 128 + 16])
{
    uint8_t key[32], ad[sizeof keys_ad + 16], *pt;
    int rc;

    if ((pt = sodium_malloc(128)) == NULL)
        return council__fail(n->c, COUNCIL_ENOMEM, "node: out of secure memory");
    council__secret_read(log_sk);
    memcpy(pt, log_sk->p, 64);
    council__secret_lock(log_sk);
    council__secret_read(&n->witness_sk);
    memcpy(pt + 64, n->witness_sk.p, 64);
    council__secret_lock(&n->witness_sk);
    memcpy(ad, keys_ad, sizeof keys_ad);
    memcpy(ad + sizeof keys_ad, node_id, 16);
    randombytes_buf(out, 24);
    rc = council__kdf(n->c, key, sizeof key, root, 1, CTX_KEYWRAP);
    if (rc == COUNCIL_OK)
        rc = council__aead_seal(n->c, out + 24, 128 + 16, pt, 128, ad, sizeof ad, out, key);
    sodium_memzero(key, sizeof key);
    sodium_free(pt);
    return rc;
}

static int keys_unwrap(council_node *n, const council__secret *root, const uint8_t node_id[16],
                       const uint8_t *w, size_t w_len)
{
    uint8_t key[32], ad[sizeof keys_ad + 16], *pt;
    int rc;

    if (w_len != 24 + 128 + 16)
        return council__fail(n->c, COUNCIL_EFORMAT, "node_open: node.keyring is damaged");
    if ((pt = sodium_malloc(128)) == NULL)
        return council__fail(n->c, COUNCIL_ENOMEM, "node_open: out of secure memory");
    memcpy(ad, keys_ad, sizeof keys_ad);
    memcpy(ad + sizeof keys_ad, node_id, 16);
    rc = council__kdf(n->c, key, sizeof key, root, 1, CTX_KEYWRAP);
    if (rc == COUNCIL_OK)
        rc = council__aead_open(n->c, pt, 128, w + 24, 128 + 16, ad, sizeof ad, w, key);
    sodium_memzero(key, sizeof key);
    if (rc != COUNCIL_OK) {
        sodium_free(pt);
        return council__fail(n->c, COUNCIL_ETAMPER, "node_open: the node's keys do not open "
                             "(node.keyring was changed)");
    }
    if ((rc = council__secret_alloc(&n->c->log_sk, 64)) == COUNCIL_OK &&
        (rc = council__secret_alloc(&n->witness_sk, 64)) == COUNCIL_OK) {
        memcpy(n->c->log_sk.p, pt, 64);
        memcpy(n->witness_sk.p, pt + 64, 64);
        council__secret_lock(&n->c->log_sk);
        council__secret_lock(&n->witness_sk);
    } else {
        rc = council__fail(n->c, COUNCIL_ENOMEM, "node_open: out of secure memory");
    }
    sodium_free(pt);
    return rc;
}

static bool bytes_ok(const ProtobufCBinaryData *b, size_t len)
{
    return b->len == len && b->data != NULL;
}

/* The subkeys the open handle needs: the item key-wrapping key and the
 * node's own pseudonym key for case references in its log. */
static int session_keys(council_node *n)
{
    int rc;

    if ((rc = council__secret_alloc(&n->item_kek, 32)) != COUNCIL_OK ||
        (rc = council__secret_alloc(&n->c->psn, 32)) != COUNCIL_OK)
        return council__fail(n->c, rc, "node: out of secure memory");
    if ((rc = council__kdf(n->c, n->item_kek.p, 32, &n->c->root, 1, CTX_ITEMKEK)) == COUNCIL_OK)
        rc = council__kdf(n->c, n->c->psn.p, 32, &n->c->root, 1, COUNCIL__CTX_PSEUDONYM);
    council__secret_lock(&n->item_kek);
    council__secret_lock(&n->c->psn);
    return rc;
}

static void witness_name(council_node *n)
{
    char id[37];

    council__uuid_text(id, n->member_id);
    (void)snprintf(n->witness_name, sizeof n->witness_name, "node-%s", id);
}

/* ----------------------------------------------------------------- checks */

static int check_args(council_node *n, const char *op, const char *dir, const uint8_t *keyfile,
                      size_t keyfile_len, const uint8_t *pass, size_t pass_len)
{
    size_t len;

    if (dir == NULL || (len = strlen(dir)) == 0 || len > PATH_MAX - 32)
        return council__fail(n->c, COUNCIL_EINVAL, "%s: bad node directory", op);
    if (keyfile == NULL || keyfile_len == 0 || keyfile_len > COUNCIL__KEYFILE_MAX)
        return council__fail(n->c, COUNCIL_EINVAL, "%s: no keyfile, or one larger than %d bytes",
                             op, COUNCIL__KEYFILE_MAX);
    if (pass == NULL || pass_len == 0 || pass_len > COUNCIL_PASSPHRASE_MAX)
        return council__fail(n->c, COUNCIL_EINVAL, "%s: passphrase length %zu not in 1..%d", op,
                             pass_len, COUNCIL_PASSPHRASE_MAX);
    n->c->dir = council__strdup(dir);
    if (n->c->dir == NULL)
        return council__fail(n->c, COUNCIL_ENOMEM, "%s: out of memory", op);
    return COUNCIL_OK;
}

static int dir_make(council_node *n, const char *dir, bool *made)
{
    struct stat sb;

    *made = false;
    if (mkdir(dir, 0700) == 0) {
        *made = true;
        return COUNCIL_OK;
    }
    if (errno != EEXIST)
        return council__fail(n->c, COUNCIL_EIO, "node_init: cannot make the node directory (%s)",
                             strerror(errno));
    if (lstat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return council__fail(n->c, COUNCIL_EEXIST, "node_init: the path exists and is not a "
                             "directory");
    {
        char *p = council__path_join(dir, COUNCIL__NODE_KEYRING_FILE);
        char *q = council__path_join(dir, COUNCIL__DB_FILE);
        bool there = (p != NULL && access(p, F_OK) == 0) || (q != NULL && access(q, F_OK) == 0);
        council__free(p);
        council__free(q);
        if (p == NULL || q == NULL)
            return council__fail(n->c, COUNCIL_ENOMEM, "node_init: out of memory");
        if (there)
            return council__fail(n->c, COUNCIL_EEXIST, "node_init: the directory holds a store "
                                 "already");
    }
    return COUNCIL_OK;
}

/* ------------------------------------------------------------------- init */

static int write_keyring(council_node *n, const uint8_t node_id[16])
{
    Council__V1__NodeKeyring kr = COUNCIL__V1__NODE_KEYRING__INIT;
    uint8_t sealed[crypto_box_SEALBYTES + 32], wrapped[24 + 128 + 16], mac[crypto_auth_BYTES];
    uint8_t sig[crypto_sign_BYTES];
    uint8_t *buf = NULL;
    char *path = NULL;
    size_t len;
    int rc;

    council__secret_read(&n->c->root);
    rc = crypto_box_seal(sealed, n->c->root.p, 32, n->mk.box_pk) == 0 ? COUNCIL_OK : COUNCIL_ERROR;
    council__secret_lock(&n->c->root);
    if (rc != COUNCIL_OK)
        return council__fail(n->c, rc, "node_init: cannot seal the node's root key");
    if ((rc = keys_wrap(n, &n->c->root, node_id, &n->c->log_sk, wrapped)) != COUNCIL_OK)
        return rc;
    kr.format_version = COUNCIL__NODE_KEYRING_FORMAT;
    kr.council_id.data = n->council_id;
    kr.council_id.len = 16;
    kr.member_id.data = n->member_id;
    kr.member_id.len = 16;
    kr.member_box_key.data = n->mk.box_pk;
    kr.member_box_key.len = 32;
    kr.member_sign_key.data = n->mk.sign_pk;
    kr.member_sign_key.len = 32;
    kr.council_log_key.data = n->council_log_pk;
    kr.council_log_key.len = 32;
    kr.node_id.data = (uint8_t *)(uintptr_t)node_id;
    kr.node_id.len = 16;
    kr.node_log_key.data = n->c->log_pk;
    kr.node_log_key.len = 32;
    kr.witness_key.data = n->witness_pk;
    kr.witness_key.len = 32;
    kr.witness_name = n->witness_name;
    kr.sealed_root.data = sealed;
    kr.sealed_root.len = sizeof sealed;
    kr.wrapped_keys.data = wrapped;
    kr.wrapped_keys.len = sizeof wrapped;
    kr.created = (int64_t)time(NULL);
    if ((rc = keyring_mac(n, &n->c->root, &kr, mac, sig, NULL)) != COUNCIL_OK)
        return rc;
    kr.has_mac = 1;
    kr.mac.data = mac;
    kr.mac.len = sizeof mac;
    kr.has_signature = 1;
    kr.signature.data = sig;
    kr.signature.len = sizeof sig;
    len = council__v1__node_keyring__get_packed_size(&kr);
    buf = council__malloc(len);
    path = council__path_join(n->c->dir, COUNCIL__NODE_KEYRING_FILE);
    if (buf == NULL || path == NULL)
        rc = council__fail(n->c, COUNCIL_ENOMEM, "node_init: out of memory");
    else {
        council__v1__node_keyring__pack(&kr, buf);
        rc = council__file_publish(n->c, "node_init", path, buf, len);
    }
    council__free(buf);
    council__free(path);
    return rc;
}

static int init_in(council_node *n, const uint8_t *keyfile, size_t keyfile_len,
                   const uint8_t *pass, size_t pass_len)
{
    council__keyfile_info info;
    uint8_t node_id[16];
    int rc;

    if ((rc = council__keyfile_open(n->c, &n->mk, &info, keyfile, keyfile_len, pass,
                                    pass_len)) != COUNCIL_OK)
        return rc;
    if (!info.has_log_pk)
        return council__fail(n->c, COUNCIL_EINVAL, "node_init: this keyfile does not pin the "
                             "council's log key: ask the secretariat to issue a new keyfile");
    memcpy(n->council_id, info.council_id, 16);
    memcpy(n->member_id, info.member_id, 16);
    memcpy(n->council_log_pk, info.log_pk, 32);
    witness_name(n);
    council__uuid_random(node_id);
    memcpy(n->c->council_id, node_id, 16);
    if ((rc = council__secret_alloc(&n->c->root, 32)) != COUNCIL_OK ||
        (rc = council__secret_alloc(&n->c->log_sk, 64)) != COUNCIL_OK ||
        (rc = council__secret_alloc(&n->witness_sk, 64)) != COUNCIL_OK)
        return council__fail(n->c, rc, "node_init: out of secure memory");
    randombytes_buf(n->c->root.p, 32);
    council__secret_lock(&n->c->root);
    crypto_sign_ed25519_keypair(n->c->log_pk, n->c->log_sk.p);
    council__secret_lock(&n->c->log_sk);
    crypto_sign_ed25519_keypair(n->witness_pk, n->witness_sk.p);
    council__secret_lock(&n->witness_sk);
    if ((rc = session_keys(n)) != COUNCIL_OK)
        return rc;
    if ((rc = council__store_open(n->c, n->c->dir, &n->c->root, 1, true)) != COUNCIL_OK ||
        (rc = council__store_migrate_all(n->c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__node_event(n, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_NODE_CREATED,
                                  COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED, 0, NULL, NULL,
                                  NULL, NULL, NULL, 0)) != COUNCIL_OK)
        return rc;
    return write_keyring(n, node_id);
}

static void remove_files(const char *dir, bool made)
{
    static const char *const names[] = {
        COUNCIL__DB_FILE, COUNCIL__DB_FILE "-wal", COUNCIL__DB_FILE "-shm",
        COUNCIL__DB_FILE "-journal", COUNCIL__NODE_KEYRING_FILE,
    };
    char p[PATH_MAX];

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int k = snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        if (k > 0 && (size_t)k < sizeof p)
            (void)unlink(p);
    }
    if (made)
        (void)rmdir(dir);
}

/* The start init and open share: a new handle into *out. */
static int node_start(council_node **out)
{
    if (out == NULL)
        return COUNCIL_EMISUSE;
    *out = NULL;
    if (council_global_init() != COUNCIL_OK)
        return COUNCIL_ERROR;
    if ((*out = node_new()) == NULL)
        return COUNCIL_ENOMEM;
    return COUNCIL_OK;
}

int council_node_init(council_node **out, const char *dir, const uint8_t *keyfile,
                      size_t keyfile_len, const uint8_t *pass, size_t pass_len)
{
    council_node *n;
    bool made = false;
    int rc;

    if ((rc = node_start(out)) != COUNCIL_OK)
        return rc;
    n = *out;
    if ((rc = check_args(n, "node_init", dir, keyfile, keyfile_len, pass, pass_len)) != COUNCIL_OK ||
        (rc = dir_make(n, dir, &made)) != COUNCIL_OK)
        return rc;
    rc = init_in(n, keyfile, keyfile_len, pass, pass_len);
    if (rc != COUNCIL_OK) {
        council__store_close(n->c);
        remove_files(dir, made);
        return rc;
    }
    n->c->magic = COUNCIL__MAGIC_OPEN;
    council__clear(n->c);
    return COUNCIL_OK;
}

/* ------------------------------------------------------------------- open */

static int load_keyring(council_node *n, Council__V1__NodeKeyring **out)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    char *path = council__path_join(n->c->dir, COUNCIL__NODE_KEYRING_FILE);
    FILE *f;
    int rc = COUNCIL_OK;

    *out = NULL;
    if (path == NULL)
        return council__fail(n->c, COUNCIL_ENOMEM, "node_open: out of memory");
    f = fopen(path, "rb");
    council__free(path);
    if (f == NULL)
        return council__fail(n->c, errno == ENOENT ? COUNCIL_ENOTFOUND : COUNCIL_EIO,
                             "node_open: no node.keyring in the directory (%s)", strerror(errno));
    buf = council__malloc(COUNCIL__NODE_KEYRING_MAX + 1);
    if (buf == NULL)
        rc = council__fail(n->c, COUNCIL_ENOMEM, "node_open: out of memory");
    else if ((len = fread(buf, 1, COUNCIL__NODE_KEYRING_MAX + 1, f)) > COUNCIL__NODE_KEYRING_MAX ||
             ferror(f))
        rc = council__fail(n->c, COUNCIL_EFORMAT, "node_open: node.keyring is too large or "
                           "unreadable");
    fclose(f);
    if (rc == COUNCIL_OK) {
        *out = council__v1__node_keyring__unpack(council__pb_allocator(), len, buf);
        if (*out == NULL)
            rc = council__fail(n->c, COUNCIL_EFORMAT, "node_open: node.keyring is damaged");
    }
    council__free(buf);
    if (rc == COUNCIL_OK && (*out)->format_version != COUNCIL__NODE_KEYRING_FORMAT)
        rc = council__fail(n->c, COUNCIL_EUNSUPPORTED, "node_open: node.keyring format %u",
                           (unsigned)(*out)->format_version);
    if (rc == COUNCIL_OK) {
        const Council__V1__NodeKeyring *k = *out;
        if (!bytes_ok(&k->council_id, 16) || !bytes_ok(&k->member_id, 16) ||
            !bytes_ok(&k->member_box_key, 32) || !bytes_ok(&k->member_sign_key, 32) ||
            !bytes_ok(&k->council_log_key, 32) || !bytes_ok(&k->node_id, 16) ||
            !bytes_ok(&k->node_log_key, 32) || !bytes_ok(&k->witness_key, 32) ||
            !bytes_ok(&k->sealed_root, crypto_box_SEALBYTES + 32) || !k->has_mac ||
            !bytes_ok(&k->mac, crypto_auth_BYTES) || !k->has_signature ||
            !bytes_ok(&k->signature, crypto_sign_BYTES) || k->witness_name == NULL ||
            strlen(k->witness_name) >= COUNCIL__NODE_WITNESS_NAME_MAX)
            rc = council__fail(n->c, COUNCIL_EFORMAT, "node_open: node.keyring is damaged");
    }
    if (rc != COUNCIL_OK && *out != NULL) {
        council__v1__node_keyring__free_unpacked(*out, council__pb_allocator());
        *out = NULL;
    }
    return rc;
}

static int open_in(council_node *n, const uint8_t *keyfile, size_t keyfile_len,
                   const uint8_t *pass, size_t pass_len)
{
    Council__V1__NodeKeyring *kr = NULL;
    council__keyfile_info info;
    uint8_t mac[crypto_auth_BYTES];
    int rc;

    if ((rc = load_keyring(n, &kr)) != COUNCIL_OK)
        return rc;
    if ((rc = council__keyfile_open(n->c, &n->mk, &info, keyfile, keyfile_len, pass,
                                    pass_len)) != COUNCIL_OK)
        goto out;
    if (memcmp(info.member_id, kr->member_id.data, 16) != 0 ||
        memcmp(info.council_id, kr->council_id.data, 16) != 0) {
        rc = council__fail(n->c, COUNCIL_EAUTH, "node_open: the keyfile is another member's");
        goto out;
    }
    if (memcmp(n->mk.box_pk, kr->member_box_key.data, 32) != 0 ||
        memcmp(n->mk.sign_pk, kr->member_sign_key.data, 32) != 0) {
        rc = council__fail(n->c, COUNCIL_EAUTH, "node_open: the keyfile holds other keys than "
                           "this node was made with (a new keyfile: make a new node)");
        goto out;
    }
    if ((rc = council__secret_alloc(&n->c->root, 32)) != COUNCIL_OK) {
        rc = council__fail(n->c, rc, "node_open: out of secure memory");
        goto out;
    }
    council__secret_read(&n->mk.box_sk);
    rc = crypto_box_seal_open(n->c->root.p, kr->sealed_root.data, kr->sealed_root.len,
                              n->mk.box_pk, n->mk.box_sk.p) == 0 ? COUNCIL_OK : COUNCIL_ETAMPER;
    council__secret_lock(&n->mk.box_sk);
    council__secret_lock(&n->c->root);
    if (rc != COUNCIL_OK) {
        rc = council__fail(n->c, rc, "node_open: the node's root key does not open "
                           "(node.keyring was changed)");
        goto out;
    }
    /* The member's signature first: the root is sealed to a public key, so
     * whoever can write the directory could make a keyring whose MAC holds;
     * only the keyfile's holder signs one. The council's log key pinned must
     * be the one the keyfile pins. */
    if ((rc = keyring_mac(n, &n->c->root, kr, mac, NULL, kr->signature.data)) != COUNCIL_OK)
        goto out;
    if (!info.has_log_pk || sodium_memcmp(info.log_pk, kr->council_log_key.data, 32) != 0) {
        rc = council__fail(n->c, COUNCIL_ETAMPER, "node_open: node.keyring pins another council "
                           "log key than the keyfile");
        goto out;
    }
    if (sodium_memcmp(mac, kr->mac.data, sizeof mac) != 0) {
        rc = council__fail(n->c, COUNCIL_ETAMPER, "node_open: node.keyring was changed (its MAC "
                           "does not verify: a pin or key was edited)");
        goto out;
    }
    memcpy(n->council_id, kr->council_id.data, 16);
    memcpy(n->member_id, kr->member_id.data, 16);
    memcpy(n->council_log_pk, kr->council_log_key.data, 32);
    memcpy(n->c->council_id, kr->node_id.data, 16);
    memcpy(n->c->log_pk, kr->node_log_key.data, 32);
    memcpy(n->witness_pk, kr->witness_key.data, 32);
    memcpy(n->witness_name, kr->witness_name, strlen(kr->witness_name) + 1);
    if ((rc = keys_unwrap(n, &n->c->root, n->c->council_id, kr->wrapped_keys.data,
                          kr->wrapped_keys.len)) != COUNCIL_OK ||
        (rc = session_keys(n)) != COUNCIL_OK ||
        (rc = council__store_open(n->c, n->c->dir, &n->c->root, 1, false)) != COUNCIL_OK ||
        (rc = council__store_migrate_all(n->c)) != COUNCIL_OK)
        goto out;
    rc = council__node_event(n, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_OPENED,
                             COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED, 0, "node_session",
                             NULL, NULL, NULL, NULL, 0);
out:
    council__v1__node_keyring__free_unpacked(kr, council__pb_allocator());
    return rc;
}

int council_node_open(council_node **out, const char *dir, const uint8_t *keyfile,
                      size_t keyfile_len, const uint8_t *pass, size_t pass_len)
{
    council_node *n;
    int rc;

    if ((rc = node_start(out)) != COUNCIL_OK)
        return rc;
    n = *out;
    if ((rc = check_args(n, "node_open", dir, keyfile, keyfile_len, pass, pass_len)) != COUNCIL_OK)
        return rc;
    rc = open_in(n, keyfile, keyfile_len, pass, pass_len);
    if (rc != COUNCIL_OK) {
        council__store_close(n->c);
        return rc;
    }
    n->c->magic = COUNCIL__MAGIC_OPEN;
    council__clear(n->c);
    return COUNCIL_OK;
}

/* ------------------------------------------------------------ small state */

int council__node_council_vkey(const council_node *n, char *out, size_t cap)
{
    char origin[COUNCIL__ORIGIN_MAX];

    council__log_origin(origin, n->council_id);
    return council__vkey_format(out, cap, origin, COUNCIL__SIG_ED25519, n->council_log_pk);
}

static int one_blob(council_node *n, const char *sql, uint8_t *out, size_t want, bool *found)
{
    sqlite3_stmt *st = NULL;
    int src;

    *found = false;
    if (council__prepare(n->c, sql, &st) != SQLITE_OK)
        return council__db_err(n->c, "node");
    src = sqlite3_step(st);
    if (src == SQLITE_ROW && (size_t)sqlite3_column_bytes(st, 0) == want) {
        memcpy(out, sqlite3_column_blob(st, 0), want);
        *found = true;
    }
    council__finalize(n->c, st);
    return src == SQLITE_ROW || src == SQLITE_DONE ? COUNCIL_OK : council__db_err(n->c, "node");
}

int council__node_reply_key(council_node *n, uint8_t pk[32], bool *known)
{
    return one_blob(n, "SELECT reply_key FROM node_state WHERE singleton = 1;", pk, 32, known);
}

int council__node_reply_key_put(council_node *n, const uint8_t pk[32], int64_t created)
{
    sqlite3_stmt *st = NULL;
    int src;

    /* A newer verified bundle's key replaces an older one's. */
    if (council__prepare(n->c,
                           "INSERT INTO node_state (singleton, reply_key, reply_created) "
                           "VALUES (1, ?, ?) ON CONFLICT (singleton) DO UPDATE SET "
                           "reply_key = excluded.reply_key, reply_created = excluded.reply_created "
                           "WHERE excluded.reply_created >= node_state.reply_created;", &st) != SQLITE_OK)
        return council__db_err(n->c, "node_import");
    sqlite3_bind_blob(st, 1, pk, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, created);
    src = sqlite3_step(st);
    council__finalize(n->c, st);
    return src == SQLITE_DONE ? COUNCIL_OK : council__db_err(n->c, "node_import");
}

int council__node_checkpoint_get(council_node *n, char **note, uint64_t *size)
{
    sqlite3_stmt *st = NULL;
    int src, rc = COUNCIL_OK;

    *note = NULL;
    *size = 0;
    if (council__prepare(n->c, "SELECT size, note FROM node_checkpoint WHERE singleton = 1;", &st) != SQLITE_OK)
        return council__db_err(n->c, "node");
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        *size = (uint64_t)sqlite3_column_int64(st, 0);
        if ((*note = council__sql_dup_col(st, 1)) == NULL)
            rc = council__fail(n->c, COUNCIL_ENOMEM, "node: out of memory");
    } else if (src != SQLITE_DONE) {
        rc = council__db_err(n->c, "node");
    }
    council__finalize(n->c, st);
    return rc;
}

int council__node_checkpoint_put(council_node *n, const char *note, size_t len, uint64_t size)
{
    sqlite3_stmt *st = NULL;
    int src;

    if (council__prepare(n->c, "INSERT OR REPLACE INTO node_checkpoint (singleton, size, "
                           "note, seen) VALUES (1, ?, ?, ?);", &st) != SQLITE_OK)
        return council__db_err(n->c, "node_import");
    sqlite3_bind_int64(st, 1, (sqlite3_int64)size);
    sqlite3_bind_text(st, 2, note, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
    src = sqlite3_step(st);
    council__finalize(n->c, st);
    return src == SQLITE_DONE ? COUNCIL_OK : council__db_err(n->c, "node_import");
}

int council__node_seen(council_node *n, const uint8_t hash[32], const uint8_t *nonce, size_t nonce_len,
                       bool *yes)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(n->c, "SELECT 1 FROM node_seen WHERE hash = ? OR nonce = ?;",
                           &st) != SQLITE_OK)
        return council__db_err(n->c, "node_import");
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, nonce, (int)nonce_len, SQLITE_STATIC);
    return council__row_exists(n->c, "node_import", st, yes);
}

int council__node_seen_put(council_node *n, const uint8_t hash[32], const uint8_t *nonce,
                           size_t nonce_len)
{
    sqlite3_stmt *st = NULL;
    int src;

    if (council__prepare(n->c, "INSERT INTO node_seen (hash, nonce, seen) VALUES (?, ?, ?);", &st) != SQLITE_OK)
        return council__db_err(n->c, "node_import");
    sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, nonce, (int)nonce_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
    src = sqlite3_step(st);
    council__finalize(n->c, st);
    return src == SQLITE_DONE ? COUNCIL_OK : council__db_err(n->c, "node_import");
}

/* ------------------------------------------------------------- the export */

/* The node's own checkpoint of its log: an event, then the note signed by
 * the node's log key over the stored tree. */
static int checkpoint(council_node *n, uint64_t *size)
{
    char origin[COUNCIL__ORIGIN_MAX], body[256];
    uint8_t root[COUNCIL_HASH_BYTES];
    council_buf note = { NULL, 0 };
    council__nodes ns;
    size_t body_len;
    int rc;

    if ((rc = council__audit_batch_begin(n->c)) != COUNCIL_OK)
        return rc;
    rc = council__node_event(n, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CHECKPOINT_SIGNED,
                             COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED, 0, NULL, NULL, NULL,
                             NULL, NULL, 0);
    if (rc == COUNCIL_OK && (rc = council__audit_size(n->c, size)) == COUNCIL_OK) {
        council__audit_nodes(n->c, &ns);
        if (council__merkle_root(&ns, *size, root) != COUNCIL_OK)
            rc = council__fail(n->c, COUNCIL_EIO, "node_export_log: cannot read the tree");
    }
    council__log_origin(origin, n->c->council_id);
    if (rc == COUNCIL_OK &&
        ((rc = council__checkpoint_body(body, sizeof body, &body_len, origin, *size, root)) !=
             COUNCIL_OK ||
         (rc = council__note_sign(&note, body, body_len, origin, &n->c->log_sk, n->c->log_pk)) !=
             COUNCIL_OK))
        rc = council__fail(n->c, rc, "node_export_log: cannot sign the checkpoint");
    if (rc == COUNCIL_OK &&
        council__audit_checkpoint_put(n->c, *size, (const char *)note.ptr, note.len) != COUNCIL_OK)
        rc = council__fail(n->c, COUNCIL_EIO, "node_export_log: cannot store the checkpoint");
    council_buf_free(&note);
    return council__finish(n->c, rc);
}

int council_node_audit_export(council_node *n, const char *path)
{
    uint8_t *frame = NULL;
    char *mem = NULL;
    size_t mem_len = 0;
    uint64_t size = 0;
    bool began = false;
    FILE *f;
    int rc;

    if (!council__node_ok(n))
        return n != NULL && n->c != NULL ? council__fail(n->c, COUNCIL_EMISUSE, "node_export_log: "
                                                         "bad handle") : COUNCIL_EMISUSE;
    if ((rc = council__no_batch(n->c, "node_export_log")) != COUNCIL_OK)
        return rc;
    if (path == NULL || path[0] == '\0' || strlen(path) > PATH_MAX - 16)
        return council__fail(n->c, COUNCIL_EINVAL, "node_export_log: bad path");
    if (access(path, F_OK) == 0)
        return council__fail(n->c, COUNCIL_EEXIST, "node_export_log: the file exists already");
    if ((rc = council__node_event(n, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_AUDIT_EXPORTED,
                                  COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED, 0, NULL, NULL,
                                  NULL, NULL, NULL, 0)) != COUNCIL_OK ||
        (rc = checkpoint(n, &size)) != COUNCIL_OK)
        return rc;
    if ((frame = council__malloc(COUNCIL__AUDIT_FRAME_MAX)) == NULL ||
        (f = open_memstream(&mem, &mem_len)) == NULL) {
        council__free(frame);
        return council__fail(n->c, COUNCIL_ENOMEM, "node_export_log: out of memory");
    }
    rc = council__audit_export_frames(n->c, f, size, frame, &began);
    if (fclose(f) != 0 && rc == COUNCIL_OK)
        rc = COUNCIL_ENOMEM;
    council__free(frame);
    if (rc != COUNCIL_OK)
        rc = council__fail(n->c, rc == COUNCIL_ENOMEM ? rc : COUNCIL_EIO,
                           "node_export_log: cannot read the log");
    else
        rc = council__file_publish(n->c, "node_export_log", path, (const uint8_t *)mem, mem_len);
    free(mem);
    if (rc == COUNCIL_OK)
        council__clear(n->c);
    return rc;
}
