/*
 * journal.c - staff sessions refused before the store can be opened (a
 * wrong member passphrase, a damaged keyfile, another council's keyfile, a
 * member without access) cannot be logged in the store at that moment.
 * Each such refusal is sealed (crypto_box_seal) to the council's journal
 * key and appended to council.refusals beside the store; the next
 * secretariat session imports the records as session_refused events.
 *
 * Anyone who can write the store directory can append (the public key is
 * in the keyring) but only the root-key holder can read. Records deleted
 * before their import are not detectable; unreadable ones are logged as
 * damaged. Record: u16 big-endian length || sealed SessionRefusal.
 *
 * Storage only: the import that appends the events is the log layer's
 * (council__journal_import, audit.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/member.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "journal.h"
#include "event.h"

#define RECORD_MAX 512 /* sealed bytes of one record */

static int seed_of(council *c, uint8_t seed[crypto_box_SEEDBYTES])
{
    if (c->root.p != NULL)
        return council__kdf(c, seed, crypto_box_SEEDBYTES, &c->root, 1, COUNCIL__CTX_JOURNAL);
    if (c->journal_seed.p == NULL || c->journal_seed.len != crypto_box_SEEDBYTES)
        return council__fail(c, COUNCIL_EDENIED, "journal: this session holds no journal key");
    council__secret_read(&c->journal_seed);
    memcpy(seed, c->journal_seed.p, crypto_box_SEEDBYTES);
    council__secret_lock(&c->journal_seed);
    return COUNCIL_OK;
}

int council__journal_seed(council *c, council__secret *seed)
{
    int rc = council__secret_alloc(seed, crypto_box_SEEDBYTES);

    if (rc != COUNCIL_OK)
        return council__fail(c, rc, "journal: out of secure memory");
    rc = seed_of(c, seed->p);
    council__secret_lock(seed);
    if (rc != COUNCIL_OK)
        council__secret_free(seed);
    return rc;
}

int council__journal_keypair(council *c, uint8_t pk[32], council__secret *sk)
{
    uint8_t seed[crypto_box_SEEDBYTES];
    int rc;

    rc = council__secret_alloc(sk, crypto_box_SECRETKEYBYTES);
    if (rc != COUNCIL_OK)
        return council__fail(c, rc, "journal: out of secure memory");
    rc = seed_of(c, seed);
    if (rc == COUNCIL_OK && crypto_box_seed_keypair(pk, sk->p, seed) != 0)
        rc = council__fail(c, COUNCIL_ERROR, "journal: cannot derive the key pair");
    sodium_memzero(seed, sizeof seed);
    council__secret_lock(sk);
    if (rc != COUNCIL_OK)
        council__secret_free(sk);
    return rc;
}

void council__journal_refusal(const char *dir, const uint8_t journal_pk[32], const char *reason,
                              const uint8_t *member_id, const uint8_t *staff_id, int error)
{
    Council__V1__SessionRefusal r = COUNCIL__V1__SESSION_REFUSAL__INIT;
    uint8_t plain[128], rec[2 + 128 + crypto_box_SEALBYTES];
    char path[4096];
    struct stat sb;
    size_t len;
    int fd, n;

    r.time = (int64_t)time(NULL);
    r.reason = (char *)(uintptr_t)reason;
    r.error = error;
    r.has_member_id = member_id != NULL;
    r.member_id.data = (uint8_t *)(uintptr_t)member_id;
    r.member_id.len = member_id != NULL ? COUNCIL_ID_BYTES : 0;
    r.has_staff_id = staff_id != NULL;
    r.staff_id.data = (uint8_t *)(uintptr_t)staff_id;
    r.staff_id.len = staff_id != NULL ? COUNCIL_ID_BYTES : 0;
    len = council__v1__session_refusal__get_packed_size(&r);
    n = snprintf(path, sizeof path, "%s/" COUNCIL__JOURNAL_FILE, dir);
    if (len > sizeof plain || n <= 0 || (size_t)n >= sizeof path)
        return;
    (void)council__v1__session_refusal__pack(&r, plain);
    if (crypto_box_seal(rec + 2, plain, len, journal_pk) != 0)
        return;
    len += crypto_box_SEALBYTES;
    rec[0] = (uint8_t)(len >> 8);
    rec[1] = (uint8_t)len;
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    /* One write: appends of whole records do not interleave. */
    if (fstat(fd, &sb) == 0 && (uint64_t)sb.st_size + 2 + len <= COUNCIL__JOURNAL_MAX &&
        write(fd, rec, 2 + len) == (ssize_t)(2 + len))
        (void)fsync(fd);
    (void)close(fd);
}

/* One record: opened and decoded into a session_refused event for emit(),
 * or the journal_record_damaged event when it cannot be (sealed NULL: a
 * damaged tail). */
static int parse_record(const uint8_t *sealed, size_t len, const council__secret *sk,
                        const uint8_t pk[32], int (*emit)(void *ctx, const council__event *ev),
                        void *ctx)
{
    council__event ev = {
        .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_REFUSED,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
        .error = COUNCIL_ETAMPER,
        .reason = "journal_record_damaged",
    };
    Council__V1__SessionRefusal *r = NULL;
    uint8_t plain[RECORD_MAX];
    int rc, opened;

    council__secret_read(sk);
    opened = sealed != NULL && len > crypto_box_SEALBYTES && len <= RECORD_MAX &&
             crypto_box_seal_open(plain, sealed, len, pk, sk->p) == 0;
    council__secret_lock(sk);
    if (opened)
        r = council__v1__session_refusal__unpack(council__pb_allocator(),
                                                 len - crypto_box_SEALBYTES, plain);
    if (r != NULL && r->base.n_unknown_fields == 0 && council__audit_code_ok(r->reason) &&
        (!r->has_member_id || r->member_id.len == COUNCIL_ID_BYTES) &&
        (!r->has_staff_id || r->staff_id.len == COUNCIL_ID_BYTES)) {
        ev.reason = r->reason;
        ev.error = r->error;
        ev.actor_member = r->has_member_id ? r->member_id.data : NULL;
        ev.actor_staff = r->has_staff_id ? r->staff_id.data : NULL;
    }
    rc = emit(ctx, &ev);
    if (r != NULL)
        council__v1__session_refusal__free_unpacked(r, council__pb_allocator());
    sodium_memzero(plain, sizeof plain);
    return rc;
}

int council__journal_parse(const uint8_t *buf, size_t len, const council__secret *sk,
                           const uint8_t pk[32], int (*emit)(void *ctx, const council__event *ev),
                           void *ctx)
{
    size_t off = 0;
    int rc = COUNCIL_OK;

    while (rc == COUNCIL_OK && off < len) {
        size_t rl = len - off >= 2 ? (size_t)buf[off] << 8 | buf[off + 1] : 0;
        if (rl == 0 || rl > RECORD_MAX || off + 2 + rl > len) {
            /* A damaged tail: one event for the rest, then stop. */
            rc = parse_record(NULL, 0, sk, pk, emit, ctx);
            break;
        }
        rc = parse_record(buf + off + 2, rl, sk, pk, emit, ctx);
        off += 2 + rl;
    }
    return rc;
}

int council__journal_take(council *c, uint8_t **buf_out, size_t *len_out, const char **problem)
{
    struct stat sb;
    char path[4096], importing[4096];
    uint8_t *buf = NULL;
    size_t len = 0;
    int fd;

    *buf_out = NULL;
    *len_out = 0;
    *problem = NULL;
    if (snprintf(path, sizeof path, "%s/" COUNCIL__JOURNAL_FILE, c->dir) >= (int)sizeof path ||
        snprintf(importing, sizeof importing, "%s/" COUNCIL__JOURNAL_FILE ".importing", c->dir) >=
            (int)sizeof importing)
        return council__fail(c, COUNCIL_EINVAL, "journal: store path too long");
    /* Take the journal aside first: refusals arriving meanwhile start a new
     * one; a crash mid-import leaves the .importing file for next time. */
    if (lstat(importing, &sb) != 0) {
        if (lstat(path, &sb) != 0)
            return COUNCIL_OK; /* no journal */
        if (!S_ISREG(sb.st_mode) || rename(path, importing) != 0 || lstat(importing, &sb) != 0) {
            *problem = "journal_unreadable";
            return COUNCIL_OK;
        }
    }
    if (!S_ISREG(sb.st_mode)) {
        *problem = "journal_unreadable"; /* left for a person to look at */
        return COUNCIL_OK;
    }
    fd = open(importing, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        *problem = "journal_unreadable";
        return COUNCIL_OK;
    }
    buf = council__malloc(COUNCIL__JOURNAL_MAX + 1);
    if (buf == NULL) {
        (void)close(fd);
        return council__fail(c, COUNCIL_ENOMEM, "journal: out of memory");
    }
    while (len <= COUNCIL__JOURNAL_MAX) {
        ssize_t n = read(fd, buf + len, COUNCIL__JOURNAL_MAX + 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    (void)close(fd);
    *buf_out = buf;
    *len_out = len;
    return COUNCIL_OK;
}

int council__journal_remove(council *c)
{
    char importing[4096];

    if (snprintf(importing, sizeof importing, "%s/" COUNCIL__JOURNAL_FILE ".importing", c->dir) >=
        (int)sizeof importing)
        return -1;
    return unlink(importing);
}
