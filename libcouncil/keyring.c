/*
 * keyring.c - the council keyring file (format: proto/council/v1/keyring.proto).
 *
 * Parsing never trusts the file: its size is capped before anything is
 * read, the checksum is checked before protobuf sees a byte, and every field
 * is range-checked before it reaches libsodium. Damage gives EFORMAT; only
 * the authenticated unwraps can give EAUTH.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "council/v1/keyring.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "keyring.h"
#include "file.h"

static const uint8_t keyring_magic[COUNCIL__KEYRING_MAGIC_BYTES] =
    { 0x89, 'C', 'K', 'R', '\r', '\n', 0x1a, '\n' };

static const char ad_root_label[] = "council/keyring/root"; /* NUL included */
static const char ad_log_label[] = "council/keyring/log";


#define AD_ROOT_BYTES (sizeof ad_root_label + 4 + COUNCIL_ID_BYTES + 4 + 8 + 8 + COUNCIL__SALT_BYTES)
#define AD_LOG_BYTES (sizeof ad_log_label + 4 + COUNCIL_ID_BYTES + COUNCIL__SIGN_PK_BYTES + 1)

static size_t ad_root(uint8_t ad[AD_ROOT_BYTES], const council__keyring *kr)
{
    uint8_t *p = ad;

    p = council__put_bytes(p, ad_root_label, sizeof ad_root_label);
    p = council__put_u32(p, kr->format_version);
    p = council__put_bytes(p, kr->council_id, COUNCIL_ID_BYTES);
    p = council__put_u32(p, (uint32_t)COUNCIL__V1__KDF_PARAMS__ALGORITHM__ALGORITHM_ARGON2ID13);
    p = council__put_u64(p, kr->opslimit);
    p = council__put_u64(p, kr->memlimit);
    p = council__put_bytes(p, kr->kdf_salt, COUNCIL__SALT_BYTES);
    return (size_t)(p - ad);
}

/* headed: the signer keeps its log head in this keyring (a byte 0x01 at
 * the end). A store's keyring from before the head has no such byte; once
 * the log key is wrapped with it, whoever edits the file cannot take it off
 * (the wrap key is the root key's), so a head dropped from the file is
 * seen as dropped, and never taken for a store from before (audit.c). */
static size_t ad_log(uint8_t ad[AD_LOG_BYTES], const council__keyring *kr, bool headed)
{
    uint8_t *p = ad;

    p = council__put_bytes(p, ad_log_label, sizeof ad_log_label);
    p = council__put_u32(p, kr->format_version);
    p = council__put_bytes(p, kr->council_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, kr->log_pk, COUNCIL__SIGN_PK_BYTES);
    if (headed)
        *p++ = 1;
    return (size_t)(p - ad);
}

/* ---------------------------------------------------------------- framing */

/* magic || protobuf message || BLAKE2b-256 of everything before it. The
 * member keyfile (keyfile.c) is framed the same way under its own magic. */

int council__framed_parse(council *c, ProtobufCMessage **out, const char *what,
                          const ProtobufCMessageDescriptor *desc,
                          const uint8_t magic[COUNCIL__KEYRING_MAGIC_BYTES], size_t file_max,
                          const uint8_t *buf, size_t len)
{
    uint8_t sum[COUNCIL__KEYRING_SUM_BYTES];
    ProtobufCMessage *m;
    size_t body_len;

    *out = NULL;
    if (buf == NULL || len < COUNCIL__KEYRING_MAGIC_BYTES + COUNCIL__KEYRING_SUM_BYTES + 1)
        return council__fail(c, COUNCIL_EFORMAT, "%s: truncated (%zu bytes)", what, len);
    if (len > file_max)
        return council__fail(c, COUNCIL_EFORMAT, "%s: too large (%zu bytes)", what, len);
    if (memcmp(buf, magic, COUNCIL__KEYRING_MAGIC_BYTES) != 0)
        return council__fail(c, COUNCIL_EFORMAT, "%s: not a libcouncil %s", what, what);
    body_len = len - COUNCIL__KEYRING_SUM_BYTES;
    crypto_generichash(sum, sizeof sum, buf, body_len, NULL, 0);
    if (sodium_memcmp(sum, buf + body_len, sizeof sum) != 0)
        return council__fail(c, COUNCIL_EFORMAT, "%s: checksum mismatch (damaged or truncated)",
                             what);

    (void)council__pb_alloc_failed(true);
    m = protobuf_c_message_unpack(desc, council__pb_allocator(),
                                  body_len - COUNCIL__KEYRING_MAGIC_BYTES,
                                  buf + COUNCIL__KEYRING_MAGIC_BYTES);
    if (m == NULL && council__pb_alloc_failed(true))
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", what);
    if (m == NULL)
        return council__fail(c, COUNCIL_EFORMAT, "%s: cannot decode", what);
    *out = m;
    return COUNCIL_OK;
}

int council__framed_build(council *c, council_buf *out, const char *what,
                          const uint8_t magic[COUNCIL__KEYRING_MAGIC_BYTES], size_t file_max,
                          const ProtobufCMessage *m)
{
    size_t body, total;
    uint8_t *p;

    out->ptr = NULL;
    out->len = 0;
    body = protobuf_c_message_get_packed_size(m);
    if (file_max < COUNCIL__KEYRING_MAGIC_BYTES + COUNCIL__KEYRING_SUM_BYTES ||
        body > file_max - COUNCIL__KEYRING_MAGIC_BYTES - COUNCIL__KEYRING_SUM_BYTES)
        return council__fail(c, COUNCIL_ELIMIT, "%s: encoded size %zu too large", what, body);
    total = COUNCIL__KEYRING_MAGIC_BYTES + body + COUNCIL__KEYRING_SUM_BYTES;
    p = council__malloc(total);
    if (p == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", what);
    memcpy(p, magic, COUNCIL__KEYRING_MAGIC_BYTES);
    (void)protobuf_c_message_pack(m, p + COUNCIL__KEYRING_MAGIC_BYTES);
    crypto_generichash(p + total - COUNCIL__KEYRING_SUM_BYTES, COUNCIL__KEYRING_SUM_BYTES,
                       p, total - COUNCIL__KEYRING_SUM_BYTES, NULL, 0);
    out->ptr = p;
    out->len = total;
    return COUNCIL_OK;
}

/* ---------------------------------------------------------------- parsing */

static bool bytes_ok(const ProtobufCBinaryData *b, size_t want)
{
    return b->len == want && b->data != NULL;
}

static bool wrapped_ok(const Council__V1__WrappedKey *w, size_t ct_len)
{
    return w != NULL && bytes_ok(&w->nonce, COUNCIL__NONCE_BYTES) &&
           bytes_ok(&w->ciphertext, ct_len);
}

/* Check the message and copy it into *kr (possibly partly filled on
 * failure: council__keyring_parse copies only a checked result out). */
static int keyring_from_msg(council *c, council__keyring *kr, const Council__V1__Keyring *m)
{
    if (m->format_version == 0)
        return council__fail(c, COUNCIL_EFORMAT, "keyring: format version 0");
    if (m->format_version > COUNCIL__KEYRING_FORMAT)
        return council__fail(c, COUNCIL_EUNSUPPORTED,
                             "keyring: format version %u is newer than this library (%u)",
                             m->format_version, COUNCIL__KEYRING_FORMAT);
    /* Every byte accounted for: no fields this version does not know. */
    if (m->base.n_unknown_fields != 0 || m->n_member_db_keys > COUNCIL__KEYRING_MEMBERS_MAX ||
        m->n_role_keys > COUNCIL__KEYRING_ROLES_MAX ||
        (m->kdf != NULL && m->kdf->base.n_unknown_fields != 0) ||
        (m->root_key != NULL && m->root_key->base.n_unknown_fields != 0) ||
        (m->log_secret_key != NULL && m->log_secret_key->base.n_unknown_fields != 0))
        return council__fail(c, COUNCIL_EFORMAT, "keyring: unknown fields");
    if (!bytes_ok(&m->council_id, COUNCIL_ID_BYTES) ||
        !bytes_ok(&m->store_salt, COUNCIL__SALT_BYTES) ||
        !bytes_ok(&m->log_public_key, COUNCIL__SIGN_PK_BYTES))
        return council__fail(c, COUNCIL_EFORMAT, "keyring: field of wrong length");
    if (m->db_key_version == 0)
        return council__fail(c, COUNCIL_EFORMAT, "keyring: database key version 0");
    if (!wrapped_ok(m->log_secret_key, COUNCIL__SIGN_SK_BYTES + COUNCIL__TAG_BYTES))
        return council__fail(c, COUNCIL_EFORMAT, "keyring: malformed log key wrap");

    memset(kr, 0, sizeof *kr);
    kr->format_version = m->format_version;
    memcpy(kr->council_id, m->council_id.data, COUNCIL_ID_BYTES);
    kr->created = m->created;
    memcpy(kr->store_salt, m->store_salt.data, COUNCIL__SALT_BYTES);
    kr->db_key_version = m->db_key_version;
    memcpy(kr->log_pk, m->log_public_key.data, COUNCIL__SIGN_PK_BYTES);
    memcpy(kr->log_nonce, m->log_secret_key->nonce.data, COUNCIL__NONCE_BYTES);
    memcpy(kr->log_ct, m->log_secret_key->ciphertext.data, sizeof kr->log_ct);
    for (size_t i = 0; i < m->n_member_db_keys; i++) {
        const Council__V1__MemberDbKey *e = m->member_db_keys[i];
        if (e->base.n_unknown_fields != 0 || !bytes_ok(&e->member_id, COUNCIL_ID_BYTES) ||
            !bytes_ok(&e->sealed_db_key, sizeof kr->members[0].sealed) || e->db_key_version == 0)
            return council__fail(c, COUNCIL_EFORMAT, "keyring: malformed member key %zu", i);
        /* At most two entries a member: the second while its keys are
         * being replaced (keyring.h). */
        {
            size_t seen = 0;
            for (size_t j = 0; j < i; j++)
                seen += memcmp(kr->members[j].member_id, e->member_id.data, COUNCIL_ID_BYTES) == 0;
            if (seen > 1)
                return council__fail(c, COUNCIL_EFORMAT, "keyring: member key %zu repeated", i);
        }
        memcpy(kr->members[i].member_id, e->member_id.data, COUNCIL_ID_BYTES);
        kr->members[i].db_key_version = e->db_key_version;
        memcpy(kr->members[i].sealed, e->sealed_db_key.data, sizeof kr->members[i].sealed);
    }
    kr->n_members = m->n_member_db_keys;
    for (size_t i = 0; i < m->n_role_keys; i++) {
        const Council__V1__RoleKey *e = m->role_keys[i];
        if (e->base.n_unknown_fields != 0 || !bytes_ok(&e->member_id, COUNCIL_ID_BYTES) ||
            !bytes_ok(&e->sealed, sizeof kr->roles[0].sealed) || e->roles == 0 ||
            (e->roles & ~(uint32_t)(COUNCIL_ROLE_SECRETARIAT | COUNCIL_ROLE_COORDINATING_BODY)) != 0)
            return council__fail(c, COUNCIL_EFORMAT, "keyring: malformed role key %zu", i);
        for (size_t j = 0; j < i; j++)
            if (memcmp(kr->roles[j].member_id, e->member_id.data, COUNCIL_ID_BYTES) == 0)
                return council__fail(c, COUNCIL_EFORMAT, "keyring: role key %zu repeated", i);
        memcpy(kr->roles[i].member_id, e->member_id.data, COUNCIL_ID_BYTES);
        kr->roles[i].roles = e->roles;
        memcpy(kr->roles[i].sealed, e->sealed.data, sizeof kr->roles[i].sealed);
    }
    kr->n_roles = m->n_role_keys;
    if (m->has_journal_public_key) {
        if (!bytes_ok(&m->journal_public_key, 32))
            return council__fail(c, COUNCIL_EFORMAT, "keyring: journal key of wrong length");
        kr->has_journal_pk = true;
        memcpy(kr->journal_pk, m->journal_public_key.data, 32);
    }
    if (m->pending_db_key != NULL) {
        if (m->pending_db_key->base.n_unknown_fields != 0 ||
            !wrapped_ok(m->pending_db_key, COUNCIL__KEY_BYTES + COUNCIL__TAG_BYTES))
            return council__fail(c, COUNCIL_EFORMAT, "keyring: malformed pending database key");
        kr->has_pending = true;
        memcpy(kr->pending_nonce, m->pending_db_key->nonce.data, COUNCIL__NONCE_BYTES);
        memcpy(kr->pending_ct, m->pending_db_key->ciphertext.data, sizeof kr->pending_ct);
    }

    if (m->has_log_head) {
        /* Shape only here; audit.c checks the signature before use. */
        uint64_t size = 0;
        size_t peaks = 0;
        if (m->log_head.len < 8 + 64 || m->log_head.len > COUNCIL__LOG_HEAD_MAX)
            return council__fail(c, COUNCIL_EFORMAT, "keyring: malformed log head");
        for (size_t i = 0; i < 8; i++)
            size = (size << 8) | m->log_head.data[i];
        for (uint64_t x = size; x != 0; x &= x - 1)
            peaks++;
        if (m->log_head.len != 8 + peaks * 32 + 64)
            return council__fail(c, COUNCIL_EFORMAT, "keyring: malformed log head");
        kr->log_head_len = m->log_head.len;
        memcpy(kr->log_head, m->log_head.data, m->log_head.len);
    }

    switch (m->root_source) {
    case COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_PASSPHRASE:
        if (m->kdf == NULL || !wrapped_ok(m->root_key, COUNCIL__KEY_BYTES + COUNCIL__TAG_BYTES))
            return council__fail(c, COUNCIL_EFORMAT, "keyring: passphrase wrap missing");
        if (m->kdf->algorithm != COUNCIL__V1__KDF_PARAMS__ALGORITHM__ALGORITHM_ARGON2ID13)
            return council__fail(c, COUNCIL_EFORMAT, "keyring: unknown KDF algorithm %d",
                                 (int)m->kdf->algorithm);
        if (m->kdf->opslimit < COUNCIL_KDF_OPSLIMIT_MIN ||
            m->kdf->opslimit > COUNCIL_KDF_OPSLIMIT_MAX ||
            m->kdf->memlimit < COUNCIL_KDF_MEMLIMIT_MIN ||
            m->kdf->memlimit > COUNCIL_KDF_MEMLIMIT_MAX)
            return council__fail(c, COUNCIL_EFORMAT, "keyring: KDF cost out of range");
        if (!bytes_ok(&m->kdf->salt, COUNCIL__SALT_BYTES))
            return council__fail(c, COUNCIL_EFORMAT, "keyring: KDF salt of wrong length");
        kr->opslimit = m->kdf->opslimit;
        kr->memlimit = m->kdf->memlimit;
        memcpy(kr->kdf_salt, m->kdf->salt.data, COUNCIL__SALT_BYTES);
        memcpy(kr->root_nonce, m->root_key->nonce.data, COUNCIL__NONCE_BYTES);
        memcpy(kr->root_ct, m->root_key->ciphertext.data, sizeof kr->root_ct);
        break;
    case COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_EXTERNAL:
        if (m->kdf != NULL || m->root_key != NULL)
            return council__fail(c, COUNCIL_EFORMAT, "keyring: external root key with a wrap");
        break;
    default:
        return council__fail(c, COUNCIL_EFORMAT, "keyring: unknown root key source %d",
                             (int)m->root_source);
    }
    kr->root_source = (int)m->root_source;
    return COUNCIL_OK;
}

int council__keyring_parse(council *c, council__keyring *kr, const uint8_t *buf, size_t len)
{
    ProtobufCMessage *msg;
    Council__V1__Keyring *m;
    int rc;

    rc = council__framed_parse(c, &msg, "keyring", &council__v1__keyring__descriptor,
                               keyring_magic, COUNCIL__KEYRING_FILE_MAX, buf, len);
    if (rc != COUNCIL_OK)
        return rc;
    m = (Council__V1__Keyring *)msg;
    {
        /* On the heap (about 25 KiB), and copied out only when whole. */
        council__keyring *tmp = council__malloc(sizeof *tmp);
        rc = tmp == NULL ? council__fail(c, COUNCIL_ENOMEM, "keyring: out of memory")
                         : keyring_from_msg(c, tmp, m);
        if (rc == COUNCIL_OK)
            memcpy(kr, tmp, sizeof *kr);
        council__free(tmp);
    }
    council__v1__keyring__free_unpacked(m, council__pb_allocator());
    return rc;
}

int council__keyring_serialize(council *c, council_buf *out, const council__keyring *kr)
{
    Council__V1__Keyring m = COUNCIL__V1__KEYRING__INIT;
    Council__V1__KdfParams kdf = COUNCIL__V1__KDF_PARAMS__INIT;
    Council__V1__WrappedKey root = COUNCIL__V1__WRAPPED_KEY__INIT;
    Council__V1__WrappedKey logk = COUNCIL__V1__WRAPPED_KEY__INIT;
    Council__V1__MemberDbKey *entries;
    Council__V1__MemberDbKey **ptrs;
    Council__V1__RoleKey rentries[COUNCIL__KEYRING_ROLES_MAX];
    Council__V1__RoleKey *rptrs[COUNCIL__KEYRING_ROLES_MAX];
    int rc;

    if (kr->n_members > COUNCIL__KEYRING_MEMBERS_MAX || kr->n_roles > COUNCIL__KEYRING_ROLES_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "keyring: too many member keys");
    for (size_t i = 0; i < kr->n_roles; i++) {
        council__v1__role_key__init(&rentries[i]);
        rentries[i].member_id.data = (uint8_t *)(uintptr_t)kr->roles[i].member_id;
        rentries[i].member_id.len = COUNCIL_ID_BYTES;
        rentries[i].roles = kr->roles[i].roles;
        rentries[i].sealed.data = (uint8_t *)(uintptr_t)kr->roles[i].sealed;
        rentries[i].sealed.len = sizeof kr->roles[i].sealed;
        rptrs[i] = &rentries[i];
    }
    m.n_role_keys = kr->n_roles;
    m.role_keys = kr->n_roles > 0 ? rptrs : NULL;
    entries = council__calloc(kr->n_members + 1, sizeof *entries);
    ptrs = council__calloc(kr->n_members + 1, sizeof *ptrs);
    if (entries == NULL || ptrs == NULL) {
        council__free(entries);
        council__free(ptrs);
        return council__fail(c, COUNCIL_ENOMEM, "keyring: out of memory");
    }
    for (size_t i = 0; i < kr->n_members; i++) {
        council__v1__member_db_key__init(&entries[i]);
        entries[i].member_id.data = (uint8_t *)(uintptr_t)kr->members[i].member_id;
        entries[i].member_id.len = COUNCIL_ID_BYTES;
        entries[i].db_key_version = kr->members[i].db_key_version;
        entries[i].sealed_db_key.data = (uint8_t *)(uintptr_t)kr->members[i].sealed;
        entries[i].sealed_db_key.len = sizeof kr->members[i].sealed;
        ptrs[i] = &entries[i];
    }
    Council__V1__WrappedKey pend = COUNCIL__V1__WRAPPED_KEY__INIT;
    if (kr->has_pending) {
        pend.nonce.data = (uint8_t *)(uintptr_t)kr->pending_nonce;
        pend.nonce.len = COUNCIL__NONCE_BYTES;
        pend.ciphertext.data = (uint8_t *)(uintptr_t)kr->pending_ct;
        pend.ciphertext.len = sizeof kr->pending_ct;
        m.pending_db_key = &pend;
    }
    m.has_log_head = kr->log_head_len > 0;
    m.log_head.data = (uint8_t *)(uintptr_t)kr->log_head;
    m.log_head.len = kr->log_head_len;
    m.has_journal_public_key = kr->has_journal_pk;
    m.journal_public_key.data = (uint8_t *)(uintptr_t)kr->journal_pk;
    m.journal_public_key.len = kr->has_journal_pk ? 32 : 0;
    m.n_member_db_keys = kr->n_members;
    m.member_db_keys = ptrs;
    m.format_version = kr->format_version;
    m.council_id.data = (uint8_t *)(uintptr_t)kr->council_id;
    m.council_id.len = COUNCIL_ID_BYTES;
    m.created = kr->created;
    m.store_salt.data = (uint8_t *)(uintptr_t)kr->store_salt;
    m.store_salt.len = COUNCIL__SALT_BYTES;
    m.db_key_version = kr->db_key_version;
    m.log_public_key.data = (uint8_t *)(uintptr_t)kr->log_pk;
    m.log_public_key.len = COUNCIL__SIGN_PK_BYTES;
    m.root_source = (Council__V1__RootKeySource)kr->root_source;
    logk.nonce.data = (uint8_t *)(uintptr_t)kr->log_nonce;
    logk.nonce.len = COUNCIL__NONCE_BYTES;
    logk.ciphertext.data = (uint8_t *)(uintptr_t)kr->log_ct;
    logk.ciphertext.len = sizeof kr->log_ct;
    m.log_secret_key = &logk;
    if (kr->root_source == COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_PASSPHRASE) {
        kdf.algorithm = COUNCIL__V1__KDF_PARAMS__ALGORITHM__ALGORITHM_ARGON2ID13;
        kdf.opslimit = kr->opslimit;
        kdf.memlimit = kr->memlimit;
        kdf.salt.data = (uint8_t *)(uintptr_t)kr->kdf_salt;
        kdf.salt.len = COUNCIL__SALT_BYTES;
        root.nonce.data = (uint8_t *)(uintptr_t)kr->root_nonce;
        root.nonce.len = COUNCIL__NONCE_BYTES;
        root.ciphertext.data = (uint8_t *)(uintptr_t)kr->root_ct;
        root.ciphertext.len = sizeof kr->root_ct;
        m.kdf = &kdf;
        m.root_key = &root;
    }

    rc = council__framed_build(c, out, "keyring", keyring_magic, COUNCIL__KEYRING_FILE_MAX, &m.base);
    council__free(entries);
    council__free(ptrs);
    return rc;
}

/* ------------------------------------------------------------------ files */

int council__keyring_load(council *c, council__keyring *kr, const char *dir)
{
    enum { CAP = COUNCIL__KEYRING_FILE_MAX + 1 };
    uint8_t *buf;
    char *path;
    size_t len = 0;
    int fd, rc;

    path = council__path_join(dir, COUNCIL__KEYRING_FILE);
    if (path == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "keyring: out of memory");
    fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    council__free(path);
    if (fd < 0) {
        if (errno == ENOENT)
            return council__fail(c, COUNCIL_ENOTFOUND, "open: no keyring in the store directory");
        return council__fail(c, COUNCIL_EIO, "open: cannot read keyring (%s)", strerror(errno));
    }
    buf = council__malloc(CAP);
    if (buf == NULL) {
        (void)close(fd);
        return council__fail(c, COUNCIL_ENOMEM, "keyring: out of memory");
    }
    /* Read at most one byte past the cap, so an oversized file is seen. */
    while (len < CAP) {
        ssize_t n = read(fd, buf + len, CAP - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = council__fail(c, COUNCIL_EIO, "open: cannot read keyring (%s)", strerror(errno));
            (void)close(fd);
            council__free(buf);
            return rc;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    (void)close(fd);
    rc = council__keyring_parse(c, kr, buf, len);
    council__free(buf);
    return rc;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* *replaced: council.keyring was replaced by the new file (then even a
 * failure, of the directory's sync, has changed what the next open reads). */
static int store_file(council *c, const council__keyring *kr, const char *dir, bool *replaced)
{
    council_buf bytes = { NULL, 0 };
    char *path = NULL, *tmp = NULL;
    int fd = -1, rc;

    *replaced = false;

    rc = council__keyring_serialize(c, &bytes, kr);
    if (rc != COUNCIL_OK)
        return rc;
    path = council__path_join(dir, COUNCIL__KEYRING_FILE);
    tmp = council__path_join(dir, COUNCIL__KEYRING_FILE ".tmp");
    if (path == NULL || tmp == NULL) {
        rc = council__fail(c, COUNCIL_ENOMEM, "keyring: out of memory");
        goto out;
    }
    (void)unlink(tmp); /* a leftover from a crash */
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        rc = council__fail(c, COUNCIL_EIO, "keyring: cannot create (%s)", strerror(errno));
        goto out;
    }
    if (write_all(fd, bytes.ptr, bytes.len) != 0 || fsync(fd) != 0) {
        rc = council__fail(c, COUNCIL_EIO, "keyring: cannot write (%s)", strerror(errno));
        goto out;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = council__fail(c, COUNCIL_EIO, "keyring: cannot write (%s)", strerror(errno));
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        rc = council__fail(c, COUNCIL_EIO, "keyring: cannot replace (%s)", strerror(errno));
        goto out;
    }
    *replaced = true;
    if (council__fsync_dir(dir) != 0) {
        rc = council__fail(c, COUNCIL_EIO, "keyring: cannot sync directory (%s)", strerror(errno));
        goto out;
    }
    rc = COUNCIL_OK;
out:
    if (fd >= 0)
        (void)close(fd);
    if (rc != COUNCIL_OK && tmp != NULL)
        (void)unlink(tmp);
    council__free(path);
    council__free(tmp);
    council_buf_free(&bytes);
    return rc;
}

int council__keyring_store(council *c, const council__keyring *kr, const char *dir)
{
    bool replaced;

    return store_file(c, kr, dir, &replaced);
}

/* ------------------------------------------------------------------ wraps */

int council__keyring_wrap_root(council *c, council__keyring *kr, const council__secret *root,
                               const uint8_t *pass, size_t pass_len,
                               uint64_t opslimit, uint64_t memlimit)
{
    uint8_t ad[AD_ROOT_BYTES];
    council__secret wk;
    int rc;

    rc = council__secret_alloc(&wk, COUNCIL__KEY_BYTES);
    if (rc != COUNCIL_OK)
        return council__fail(c, rc, "keyring: out of secure memory");
    kr->root_source = COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_PASSPHRASE;
    kr->opslimit = opslimit;
    kr->memlimit = memlimit;
    randombytes_buf(kr->kdf_salt, sizeof kr->kdf_salt);
    randombytes_buf(kr->root_nonce, sizeof kr->root_nonce);
    rc = council__argon2id(c, wk.p, wk.len, pass, pass_len, kr->kdf_salt, opslimit, memlimit);
    if (rc != COUNCIL_OK)
        goto out;
    council__secret_read(root);
    rc = council__aead_seal(c, kr->root_ct, sizeof kr->root_ct, root->p, root->len,
                            ad, ad_root(ad, kr), kr->root_nonce, wk.p);
    council__secret_lock(root);
out:
    council__secret_free(&wk);
    return rc;
}

int council__keyring_unwrap_root(council *c, const council__keyring *kr, council__secret *root,
                                 const uint8_t *pass, size_t pass_len)
{
    uint8_t ad[AD_ROOT_BYTES];
    council__secret wk;
    int rc;

    if (kr->root_source != COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_PASSPHRASE)
        return council__fail(c, COUNCIL_EINVAL, "open: this council's root key is not "
                                                "passphrase-protected; supply the root key");
    rc = council__secret_alloc(&wk, COUNCIL__KEY_BYTES);
    if (rc != COUNCIL_OK)
        return council__fail(c, rc, "keyring: out of secure memory");
    rc = council__argon2id(c, wk.p, wk.len, pass, pass_len, kr->kdf_salt,
                           kr->opslimit, kr->memlimit);
    if (rc != COUNCIL_OK)
        goto out;
    council__secret_write(root);
    rc = council__aead_open(c, root->p, root->len, kr->root_ct, sizeof kr->root_ct,
                            ad, ad_root(ad, kr), kr->root_nonce, wk.p);
    council__secret_lock(root);
    if (rc == COUNCIL_EAUTH)
        rc = council__fail(c, COUNCIL_EAUTH, "open: wrong passphrase");
out:
    council__secret_free(&wk);
    return rc;
}

int council__keyring_wrap_log(council *c, council__keyring *kr, const council__secret *root,
                              const council__secret *log_sk)
{
    return council__keyring_wrap_log_as(c, kr, root, log_sk, true);
}

int council__keyring_wrap_log_as(council *c, council__keyring *kr, const council__secret *root,
                                 const council__secret *log_sk, bool headed)
{
    uint8_t ad[AD_LOG_BYTES];
    council__secret wk;
    int rc;

    rc = council__secret_alloc(&wk, COUNCIL__KEY_BYTES);
    if (rc != COUNCIL_OK)
        return council__fail(c, rc, "keyring: out of secure memory");
    randombytes_buf(kr->log_nonce, sizeof kr->log_nonce);
    rc = council__kdf(c, wk.p, wk.len, root, 1, COUNCIL__CTX_LOGWRAP);
    if (rc == COUNCIL_OK) {
        council__secret_read(log_sk);
        rc = council__aead_seal(c, kr->log_ct, sizeof kr->log_ct, log_sk->p, log_sk->len,
                                ad, ad_log(ad, kr, headed), kr->log_nonce, wk.p);
        council__secret_lock(log_sk);
    }
    council__secret_free(&wk);
    return rc;
}

int council__keyring_unwrap_log(council *c, const council__keyring *kr,
                                const council__secret *root, council__secret *log_sk)
{
    uint8_t ad[AD_LOG_BYTES];
    uint8_t pk[COUNCIL__SIGN_PK_BYTES];
    council__secret wk;
    bool headed;
    int rc;

    rc = council__secret_alloc(&wk, COUNCIL__KEY_BYTES);
    if (rc != COUNCIL_OK)
        return council__fail(c, rc, "keyring: out of secure memory");
    rc = council__kdf(c, wk.p, wk.len, root, 1, COUNCIL__CTX_LOGWRAP);
    if (rc != COUNCIL_OK)
        goto out;
    council__secret_write(log_sk);
    rc = council__aead_open(c, log_sk->p, log_sk->len, kr->log_ct, sizeof kr->log_ct,
                            ad, ad_log(ad, kr, true), kr->log_nonce, wk.p);
    headed = rc == COUNCIL_OK;
    if (rc == COUNCIL_EAUTH) {
        rc = council__aead_open(c, log_sk->p, log_sk->len, kr->log_ct, sizeof kr->log_ct,
                                ad, ad_log(ad, kr, false), kr->log_nonce, wk.p);
    }
    if (c != NULL)
        c->log_headed = headed;
    if (rc == COUNCIL_EAUTH) {
        rc = council__fail(c, COUNCIL_EAUTH, "open: wrong root key");
    } else if (rc == COUNCIL_OK) {
        /* The secret key must be the key pair on record: rebuilt from its
         * seed, all 64 bytes and the public key must match (sk_to_pk alone
         * only copies the second half). */
        uint8_t seed[32], rebuilt[COUNCIL__SIGN_SK_BYTES];
        int bad;

        crypto_sign_ed25519_sk_to_seed(seed, log_sk->p);
        crypto_sign_ed25519_seed_keypair(pk, rebuilt, seed);
        bad = sodium_memcmp(rebuilt, log_sk->p, sizeof rebuilt) |
              sodium_memcmp(pk, kr->log_pk, sizeof pk);
        sodium_memzero(seed, sizeof seed);
        sodium_memzero(rebuilt, sizeof rebuilt);
        if (bad != 0) {
            sodium_memzero(log_sk->p, log_sk->len); /* no output on failure */
            rc = council__fail(c, COUNCIL_EFORMAT, "keyring: log key pair mismatch");
        }
    }
    council__secret_lock(log_sk);
out:
    council__secret_free(&wk);
    return rc;
}

/* ------------------------------------------------------------ member keys */

/* e->sealed: the database key of kr->db_key_version sealed to box_pk. */
static int seal_entry(council *c, const council__keyring *kr, struct council__member_db_key *e,
                      const uint8_t box_pk[32])
{
    uint8_t key[COUNCIL__KEY_BYTES];
    int rc;

    if (c->root.p != NULL) {
        rc = council__kdf(c, key, sizeof key, &c->root, kr->db_key_version, COUNCIL__CTX_DATABASE);
    } else if (c->db_key.p != NULL && c->db_key.len == sizeof key &&
               c->db_key_version == kr->db_key_version) {
        council__secret_read(&c->db_key);
        memcpy(key, c->db_key.p, sizeof key);
        council__secret_lock(&c->db_key);
        rc = COUNCIL_OK;
    } else {
        return council__fail(c, COUNCIL_EAUTH, "keyring: the database key changed since this "
                                               "session opened the store: open it again");
    }
    if (rc == COUNCIL_OK && crypto_box_seal(e->sealed, key, sizeof key, box_pk) != 0)
        rc = council__fail(c, COUNCIL_EINVAL, "keyring: cannot seal to the member's key");
    e->db_key_version = kr->db_key_version;
    sodium_memzero(key, sizeof key);
    return rc;
}

static void drop_at(council__keyring *kr, size_t i)
{
    memmove(&kr->members[i], &kr->members[i + 1], (kr->n_members - i - 1) * sizeof kr->members[0]);
    kr->n_members--;
}

static struct council__member_db_key *new_entry(council *c, council__keyring *kr,
                                                const uint8_t member_id[COUNCIL_ID_BYTES])
{
    struct council__member_db_key *e;

    if (kr->n_members >= COUNCIL__KEYRING_MEMBERS_MAX) {
        (void)council__fail(c, COUNCIL_ELIMIT, "keyring: more than %d members with keys",
                            COUNCIL__KEYRING_MEMBERS_MAX);
        return NULL;
    }
    e = &kr->members[kr->n_members++];
    memcpy(e->member_id, member_id, COUNCIL_ID_BYTES);
    return e;
}

int council__keyring_seal_member(council *c, council__keyring *kr,
                                 const uint8_t member_id[COUNCIL_ID_BYTES], const uint8_t box_pk[32])
{
    struct council__member_db_key *e = NULL;

    for (size_t i = 0; i < kr->n_members && e == NULL; i++)
        if (memcmp(kr->members[i].member_id, member_id, COUNCIL_ID_BYTES) == 0)
            e = &kr->members[i];
    if (e == NULL && (e = new_entry(c, kr, member_id)) == NULL)
        return COUNCIL_ELIMIT;
    return seal_entry(c, kr, e, box_pk);
}

int council__keyring_seal_member_also(council *c, council__keyring *kr,
                                      const uint8_t member_id[COUNCIL_ID_BYTES],
                                      const uint8_t box_pk[32], uint8_t *sealed,
                                      size_t sealed_len)
{
    struct council__member_db_key *e;
    int rc;

    if (sealed_len != sizeof e->sealed)
        return council__fail(c, COUNCIL_EMISUSE, "keyring: sealed entry size");
    /* A third would not parse: a replacement cut short before this one
     * left its entry; the older of the two goes (the key on record is the
     * newer one's if that replacement got on record, and its entry is the
     * newer; if not, nobody holds the key of either but the caller). */
    if (council__keyring_member_entries(kr, member_id) > 1) {
        for (size_t i = 0; i < kr->n_members; i++)
            if (memcmp(kr->members[i].member_id, member_id, COUNCIL_ID_BYTES) == 0) {
                drop_at(kr, i);
                break;
            }
    }
    if ((e = new_entry(c, kr, member_id)) == NULL)
        return COUNCIL_ELIMIT;
    if ((rc = seal_entry(c, kr, e, box_pk)) != COUNCIL_OK) {
        kr->n_members--;
        return rc;
    }
    memcpy(sealed, e->sealed, sealed_len);
    return COUNCIL_OK;
}

void council__keyring_drop_member(council__keyring *kr, const uint8_t member_id[COUNCIL_ID_BYTES])
{
    for (size_t i = 0; i < kr->n_members; i++)
        if (memcmp(kr->members[i].member_id, member_id, COUNCIL_ID_BYTES) == 0) {
            drop_at(kr, i);
            return;
        }
}

void council__keyring_drop_entries(council__keyring *kr, const uint8_t member_id[COUNCIL_ID_BYTES],
                                   const uint8_t *sealed, size_t sealed_len, bool keep)
{
    /* (keeping one that is not there would leave the member none) */
    if (keep && !council__keyring_has_entry(kr, member_id, sealed, sealed_len))
        return;
    for (size_t i = 0; i < kr->n_members; i++) {
        bool same;
        if (memcmp(kr->members[i].member_id, member_id, COUNCIL_ID_BYTES) != 0)
            continue;
        same = sealed_len == sizeof kr->members[i].sealed &&
               memcmp(kr->members[i].sealed, sealed, sealed_len) == 0;
        if (same != keep)
            drop_at(kr, i--);
    }
}

const struct council__member_db_key *
council__keyring_open_member(const council__keyring *kr, const uint8_t member_id[COUNCIL_ID_BYTES],
                             const uint8_t box_pk[32], const council__secret *box_sk,
                             uint8_t key[COUNCIL__KEY_BYTES])
{
    const struct council__member_db_key *e = NULL;

    if (box_sk->p == NULL || box_sk->len != crypto_box_SECRETKEYBYTES)
        return NULL;
    council__secret_read(box_sk);
    for (size_t i = 0; i < kr->n_members && e == NULL; i++)
        if (memcmp(kr->members[i].member_id, member_id, COUNCIL_ID_BYTES) == 0 &&
            crypto_box_seal_open(key, kr->members[i].sealed, sizeof kr->members[i].sealed, box_pk,
                                 box_sk->p) == 0)
            e = &kr->members[i];
    council__secret_lock(box_sk);
    return e;
}

bool council__keyring_has_entry(const council__keyring *kr, const uint8_t member_id[COUNCIL_ID_BYTES],
                                const uint8_t *sealed, size_t sealed_len)
{
    for (size_t i = 0; i < kr->n_members; i++)
        if (memcmp(kr->members[i].member_id, member_id, COUNCIL_ID_BYTES) == 0 &&
            sealed_len == sizeof kr->members[i].sealed &&
            memcmp(kr->members[i].sealed, sealed, sealed_len) == 0)
            return true;
    return false;
}

size_t council__keyring_member_entries(const council__keyring *kr,
                                       const uint8_t member_id[COUNCIL_ID_BYTES])
{
    size_t n = 0;

    for (size_t i = 0; i < kr->n_members; i++)
        n += memcmp(kr->members[i].member_id, member_id, COUNCIL_ID_BYTES) == 0;
    return n;
}

/* ------------------------------------------------------------- role keys */

static const uint8_t role_magic[8] = { 'c', 'n', 'c', 'l', '-', 'r', 'k', '1' };

int council__keyring_seal_roles(council *c, council__keyring *kr,
                                const uint8_t member_id[COUNCIL_ID_BYTES], uint32_t roles,
                                const uint8_t box_pk[32], const council__secret *coord_sk,
                                const council__secret *log_sk,
                                const council__secret *journal_seed)
{
    struct council__role_key *e = NULL;
    uint8_t pt[COUNCIL__ROLE_KEY_BYTES], *p = pt;
    bool sec = (roles & COUNCIL_ROLE_SECRETARIAT) != 0;
    int rc = COUNCIL_OK;

    if (roles == 0 || coord_sk == NULL || coord_sk->p == NULL || coord_sk->len != 32 ||
        (sec && (log_sk == NULL || log_sk->p == NULL || log_sk->len != COUNCIL__SIGN_SK_BYTES ||
                 journal_seed == NULL || journal_seed->p == NULL || journal_seed->len != 32)))
        return council__fail(c, COUNCIL_EDENIED, "keyring: this session does not hold the "
                                                 "role's keys");
    for (size_t i = 0; i < kr->n_roles && e == NULL; i++)
        if (memcmp(kr->roles[i].member_id, member_id, COUNCIL_ID_BYTES) == 0)
            e = &kr->roles[i];
    if (e == NULL) {
        if (kr->n_roles >= COUNCIL__KEYRING_ROLES_MAX)
            return council__fail(c, COUNCIL_ELIMIT, "keyring: more than %d members hold a role",
                                 COUNCIL__KEYRING_ROLES_MAX);
        e = &kr->roles[kr->n_roles++];
        memcpy(e->member_id, member_id, COUNCIL_ID_BYTES);
    }
    memset(pt, 0, sizeof pt);
    p = council__put_bytes(p, role_magic, sizeof role_magic);
    p = council__put_bytes(p, kr->council_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, member_id, COUNCIL_ID_BYTES);
    p = council__put_u32(p, roles);
    council__secret_read(coord_sk);
    memcpy(p, coord_sk->p, 32);
    council__secret_lock(coord_sk);
    p += 32;
    if (sec) {
        council__secret_read(log_sk);
        memcpy(p, log_sk->p, COUNCIL__SIGN_SK_BYTES);
        council__secret_lock(log_sk);
        p += COUNCIL__SIGN_SK_BYTES;
        council__secret_read(journal_seed);
        memcpy(p, journal_seed->p, 32);
        council__secret_lock(journal_seed);
    }
    e->roles = roles;
    if (crypto_box_seal(e->sealed, pt, sizeof pt, box_pk) != 0)
        rc = council__fail(c, COUNCIL_EINVAL, "keyring: cannot seal to the member's key");
    sodium_memzero(pt, sizeof pt);
    if (rc != COUNCIL_OK)
        council__keyring_drop_roles(kr, member_id);
    return rc;
}

void council__keyring_drop_roles(council__keyring *kr, const uint8_t member_id[COUNCIL_ID_BYTES])
{
    for (size_t i = 0; i < kr->n_roles; i++)
        if (memcmp(kr->roles[i].member_id, member_id, COUNCIL_ID_BYTES) == 0) {
            memmove(&kr->roles[i], &kr->roles[i + 1], (kr->n_roles - i - 1) * sizeof kr->roles[0]);
            kr->n_roles--;
            return;
        }
}

int council__keyring_open_roles(council *c, const council__keyring *kr,
                                const uint8_t member_id[COUNCIL_ID_BYTES], const uint8_t box_pk[32],
                                const council__secret *box_sk, uint32_t *roles,
                                council__secret *coord_sk, council__secret *log_sk,
                                council__secret *journal_seed)
{
    const struct council__role_key *e = NULL;
    uint8_t pt[COUNCIL__ROLE_KEY_BYTES], want[8 + 2 * COUNCIL_ID_BYTES], *p = want;
    uint32_t r;
    int rc, ok;

    *roles = 0;
    for (size_t i = 0; i < kr->n_roles && e == NULL; i++)
        if (memcmp(kr->roles[i].member_id, member_id, COUNCIL_ID_BYTES) == 0)
            e = &kr->roles[i];
    if (e == NULL)
        return COUNCIL_OK;
    if (box_sk->p == NULL || box_sk->len != crypto_box_SECRETKEYBYTES)
        return council__fail(c, COUNCIL_EAUTH, "keyring: no member key to open the role keys");
    council__secret_read(box_sk);
    ok = crypto_box_seal_open(pt, e->sealed, sizeof e->sealed, box_pk, box_sk->p);
    council__secret_lock(box_sk);
    if (ok != 0)
        return council__fail(c, COUNCIL_EAUTH, "keyring: the member's role keys do not open");
    p = council__put_bytes(p, role_magic, sizeof role_magic);
    p = council__put_bytes(p, kr->council_id, COUNCIL_ID_BYTES);
    (void)council__put_bytes(p, member_id, COUNCIL_ID_BYTES);
    r = (uint32_t)pt[sizeof want] << 24 | (uint32_t)pt[sizeof want + 1] << 16 |
        (uint32_t)pt[sizeof want + 2] << 8 | pt[sizeof want + 3];
    if (sodium_memcmp(pt, want, sizeof want) != 0 || r == 0 || r != e->roles ||
        (r & ~(uint32_t)(COUNCIL_ROLE_SECRETARIAT | COUNCIL_ROLE_COORDINATING_BODY)) != 0) {
        sodium_memzero(pt, sizeof pt);
        return council__fail(c, COUNCIL_EAUTH, "keyring: the role keys belong elsewhere");
    }
    rc = council__secret_alloc(coord_sk, 32);
    if (rc == COUNCIL_OK && (r & COUNCIL_ROLE_SECRETARIAT) != 0 &&
        (rc = council__secret_alloc(log_sk, COUNCIL__SIGN_SK_BYTES)) == COUNCIL_OK)
        rc = council__secret_alloc(journal_seed, 32);
    if (rc != COUNCIL_OK) {
        council__secret_free(coord_sk);
        council__secret_free(log_sk);
        sodium_memzero(pt, sizeof pt);
        return council__fail(c, rc, "keyring: out of secure memory");
    }
    memcpy(coord_sk->p, pt + sizeof want + 4, 32);
    council__secret_lock(coord_sk);
    if ((r & COUNCIL_ROLE_SECRETARIAT) != 0) {
        memcpy(log_sk->p, pt + sizeof want + 4 + 32, COUNCIL__SIGN_SK_BYTES);
        council__secret_lock(log_sk);
        memcpy(journal_seed->p, pt + sizeof want + 4 + 32 + COUNCIL__SIGN_SK_BYTES, 32);
        council__secret_lock(journal_seed);
    }
    sodium_memzero(pt, sizeof pt);
    *roles = r;
    return COUNCIL_OK;
}

/* An exclusive lock on fd, waiting at most COUNCIL__BUSY_TIMEOUT_MS for
 * the session that holds it (polling, since F_SETLKW cannot time out):
 * 0, or -1 with errno (EAGAIN: still held by another at the deadline). */
static int lock_bounded(int fd)
{
    const struct timespec pause = { 0, 20 * 1000 * 1000 }; /* 20 ms */
    struct timespec start, now;
    struct flock fl;

    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    if (clock_gettime(CLOCK_MONOTONIC, &start) != 0)
        return -1;
    for (;;) {
        long long waited;

        if (fcntl(fd, F_SETLK, &fl) == 0)
            return 0;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EACCES)
            return -1;
        if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
            return -1;
        waited = (long long)(now.tv_sec - start.tv_sec) * 1000 +
                 (now.tv_nsec - start.tv_nsec) / 1000000;
        if (waited >= COUNCIL__BUSY_TIMEOUT_MS) {
            errno = EAGAIN;
            return -1;
        }
        (void)nanosleep(&pause, NULL);
    }
}

int council__keyring_update(council *c, int (*fn)(council *c, council__keyring *kr, void *ctx),
                            void *ctx)
{
    council__keyring *kr = council__malloc(sizeof *kr), *was = NULL;
    int rc;

    char lock_path[4096];
    int lock = -1;

    if (kr == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "keyring: out of memory");
    /* One writer at a time, across handles and processes: read, change and
     * write under an exclusive lock, so no rewrite loses another's change
     * (a withdrawn member's key coming back, a new member's going). */
    if (snprintf(lock_path, sizeof lock_path, "%s/" COUNCIL__KEYRING_FILE ".lock", c->dir) >=
            (int)sizeof lock_path ||
        (lock = open(lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0) {
        council__free(kr);
        return council__fail(c, COUNCIL_EIO, "keyring: cannot open the lock (%s)", strerror(errno));
    }
    if (lock_bounded(lock) != 0) {
        rc = errno == EAGAIN || errno == EACCES
                 ? council__fail(c, COUNCIL_EIO, "keyring: locked by another session for more "
                                 "than %d seconds; try again", COUNCIL__BUSY_TIMEOUT_MS / 1000)
                 : council__fail(c, COUNCIL_EIO, "keyring: cannot lock (%s)", strerror(errno));
        goto out;
    }
    rc = council__keyring_load(c, kr, c->dir);
    if (rc == COUNCIL_OK && memcmp(kr->council_id, c->council_id, COUNCIL_ID_BYTES) != 0)
        rc = council__fail(c, COUNCIL_EAUTH, "keyring: the keyring on disk is another council's");
    /* As read, to see whether fn changed anything: a keyring fn left as it
     * was is not written again (a write costs two fsyncs, at every open). */
    /* (needed to put the keyring back if its replacement fails half-way) */
    if (rc == COUNCIL_OK && (was = council__malloc(sizeof *was)) == NULL)
        rc = council__fail(c, COUNCIL_ENOMEM, "keyring: out of memory");
    if (rc == COUNCIL_OK)
        memcpy(was, kr, sizeof *was);
    if (rc == COUNCIL_OK)
        rc = fn(c, kr, ctx);
    if (rc == COUNCIL_OK && memcmp(was, kr, sizeof *kr) != 0) {
        bool replaced = false, back;
        rc = store_file(c, kr, c->dir, &replaced);
        /* Replaced, but its directory not synced: the keyring as it was is
         * put back (the caller goes on as if nothing was written, and the
         * message stays the failure's). */
        if (rc != COUNCIL_OK && replaced) {
            char msg[512];
            (void)snprintf(msg, sizeof msg, "%s", council_errmsg(c));
            (void)store_file(c, was, c->dir, &back);
            (void)council__fail(c, rc, "%s", msg);
        }
    }
out:
    (void)close(lock); /* releases the lock */
    sodium_memzero(kr, sizeof *kr);
    council__free(kr);
    if (was != NULL)
        sodium_memzero(was, sizeof *was);
    council__free(was);
    return rc;
}
