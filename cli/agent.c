/*
 * agent.c - unlocked sessions in the kernel's user keyring (see agent.h).
 *
 * Raw add_key(2) and keyctl(2) system calls, no library. A key is of type
 * "user" in the user keyring (KEY_SPEC_USER_KEYRING: this uid's, shared by
 * its processes, not readable by another uid); its payload is "CCU1", the
 * absolute expiry (int64, little-endian), the idle timeout in seconds
 * (uint32) and the library's session secret. Payload copies live in
 * sodium_malloc memory and are wiped.
 */
#define _DEFAULT_SOURCE /* syscall() */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/keyctl.h>
#include <sodium.h>

#include "agent.h"
#include "util.h"

/* Permissions (as in keyutils.h, which linux/keyctl.h lacks): the
 * possessor all but link-to-others; the same uid view, read, write,
 * search and setattr (a process of this user need not possess the user
 * keyring through its session keyring: in a container or under su it may
 * not). No group or other bits: another uid cannot even see the key. */
#define PERM_POS 0x3f000000u
#define PERM_USR 0x002f0000u /* view 01, read 02, write 04, search 08, setattr 20 */

#define MAGIC "CCU1"
#define HEAD 16
#define PAYLOAD_MAX (HEAD + COUNCIL_SESSION_SECRET_MAX)

static long kctl(int op, unsigned long a, unsigned long b, unsigned long c, unsigned long d)
{
    return syscall(SYS_keyctl, op, a, b, c, d);
}

static int unavailable(int e)
{
    return e == ENOSYS || e == EPERM || e == EACCES || e == EOPNOTSUPP;
}

void agent_desc(char out[AGENT_DESC_MAX], const char *store,
                const uint8_t council_id[COUNCIL_ID_BYTES], const uint8_t *staff_id)
{
    char cid[37], sid[37];
    struct stat sb;

    uuid_text_of(cid, council_id);
    if (staff_id != NULL)
        uuid_text_of(sid, staff_id);
    /* The council id comes from council.keyring, which an insider can
     * write; the store directory's device and inode tie the kept session
     * to this directory too, so another store claiming the id finds none. */
    if (store == NULL || stat(store, &sb) != 0)
        memset(&sb, 0, sizeof sb);
    (void)snprintf(out, AGENT_DESC_MAX, "council-cli:%s@%llx.%llx:%s", cid,
                   (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino,
                   staff_id != NULL ? sid : "root");
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

int agent_store(const char *desc, const uint8_t *secret, size_t n, int64_t expires, unsigned idle)
{
    uint8_t *p;
    long key;
    int e;

    if (n == 0 || n > COUNCIL_SESSION_SECRET_MAX || idle == 0) {
        errno = EINVAL;
        return -1;
    }
    if ((p = sodium_malloc(PAYLOAD_MAX)) == NULL)
        return -1;
    memcpy(p, MAGIC, 4);
    put64(p + 4, (uint64_t)expires);
    for (int i = 0; i < 4; i++)
        p[12 + i] = (uint8_t)(idle >> (8 * i));
    memcpy(p + HEAD, secret, n);
    key = syscall(SYS_add_key, "user", desc, p, HEAD + n, KEY_SPEC_USER_KEYRING);
    e = errno;
    sodium_memzero(p, PAYLOAD_MAX);
    sodium_free(p);
    if (key < 0) {
        errno = e;
        return unavailable(e) ? AGENT_UNAVAILABLE : -1;
    }
    if (kctl(KEYCTL_SETPERM, (unsigned long)key, PERM_POS | PERM_USR, 0, 0) < 0 ||
        kctl(KEYCTL_SET_TIMEOUT, (unsigned long)key, idle, 0, 0) < 0) {
        e = errno;
        (void)kctl(KEYCTL_REVOKE, (unsigned long)key, 0, 0, 0);
        errno = e;
        return -1;
    }
    return 0;
}

static void revoke_key(long key)
{
    (void)kctl(KEYCTL_REVOKE, (unsigned long)key, 0, 0, 0);
    (void)kctl(KEYCTL_UNLINK, (unsigned long)key, (unsigned long)(long)KEY_SPEC_USER_KEYRING, 0, 0);
}

/* Read key `key`'s payload into p (PAYLOAD_MAX bytes): its length, or -1. */
static long read_payload(long key, uint8_t *p)
{
    long len = kctl(KEYCTL_READ, (unsigned long)key, (unsigned long)p, PAYLOAD_MAX, 0);

    if (len < HEAD + 1 || len > PAYLOAD_MAX || memcmp(p, MAGIC, 4) != 0)
        return -1;
    return len;
}

int agent_fetch(const char *desc, uint8_t *out, size_t cap, size_t *n, int64_t *expires,
                int *expired)
{
    uint8_t *p;
    long key, len;
    unsigned idle = 0;
    int found = 0;

    *expired = 0;
    key = kctl(KEYCTL_SEARCH, (unsigned long)(long)KEY_SPEC_USER_KEYRING, (unsigned long)"user",
               (unsigned long)desc, 0);
    if (key < 0)
        return 0; /* none, or expired (EKEYEXPIRED), or revoked */
    if ((p = sodium_malloc(PAYLOAD_MAX)) == NULL)
        return 0;
    len = read_payload(key, p);
    if (len < 0 || (size_t)(len - HEAD) > cap) {
        revoke_key(key); /* not ours, or damaged: nothing to trust */
        goto out;
    }
    *expires = (int64_t)get64(p + 4);
    for (int i = 3; i >= 0; i--)
        idle = (idle << 8) | p[12 + i];
    if ((int64_t)time(NULL) >= *expires || idle == 0) {
        revoke_key(key);
        *expired = 1;
        goto out;
    }
    /* Used: the idle timeout starts again (never past the expiry). */
    {
        int64_t left = *expires - (int64_t)time(NULL);
        unsigned t = (int64_t)idle < left ? idle : (unsigned)left;
        (void)kctl(KEYCTL_SET_TIMEOUT, (unsigned long)key, t, 0, 0);
    }
    *n = (size_t)(len - HEAD);
    memcpy(out, p + HEAD, *n);
    found = 1;
out:
    sodium_memzero(p, PAYLOAD_MAX);
    sodium_free(p);
    return found;
}

void agent_revoke(const char *desc)
{
    long key = kctl(KEYCTL_SEARCH, (unsigned long)(long)KEY_SPEC_USER_KEYRING,
                    (unsigned long)"user", (unsigned long)desc, 0);

    if (key >= 0)
        revoke_key(key);
}

int agent_list(const char *prefix, agent_entry *out, size_t cap, int revoke)
{
    int32_t ids[512];
    long n;
    int count = 0;
    uint8_t *p;

    n = kctl(KEYCTL_READ, (unsigned long)(long)KEY_SPEC_USER_KEYRING, (unsigned long)ids,
             sizeof ids, 0);
    if (n < 0)
        return unavailable(errno) ? AGENT_UNAVAILABLE : -1;
    if ((size_t)n > sizeof ids)
        n = (long)sizeof ids; /* more than 512 keys: the first 512 */
    if ((p = sodium_malloc(PAYLOAD_MAX)) == NULL)
        return -1;
    for (long i = 0; i < n / (long)sizeof ids[0]; i++) {
        char d[256], *desc;
        long dl = kctl(KEYCTL_DESCRIBE, (unsigned long)(long)ids[i], (unsigned long)d,
                       sizeof d, 0);
        int64_t expires;
        unsigned idle = 0;

        if (dl <= 0 || dl > (long)sizeof d)
            continue;
        d[sizeof d - 1] = '\0';
        /* "type;uid;gid;perm;description" */
        if (strncmp(d, "user;", 5) != 0 || (desc = strrchr(d, ';')) == NULL)
            continue;
        desc++;
        if (strncmp(desc, prefix, strlen(prefix)) != 0 || strncmp(desc, "council-cli:", 12) != 0)
            continue;
        if (revoke) {
            revoke_key(ids[i]);
            count++;
            continue;
        }
        if (read_payload(ids[i], p) < 0)
            continue;
        expires = (int64_t)get64(p + 4);
        for (int k = 3; k >= 0; k--)
            idle = (idle << 8) | p[12 + k];
        if ((int64_t)time(NULL) >= expires) {
            revoke_key(ids[i]);
            continue;
        }
        if ((size_t)count < cap) {
            const char *who = strrchr(desc, ':');
            (void)snprintf(out[count].who, sizeof out[count].who, "%s", who + 1);
            out[count].expires = expires;
            out[count].idle = idle;
        }
        count++;
    }
    sodium_memzero(p, PAYLOAD_MAX);
    sodium_free(p);
    return count;
}
