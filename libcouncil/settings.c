/*
 * settings.c - the council's settings that are not the disclosure policy:
 * its time zone (council_timezone_set/get). Stored in the setting
 * 'timezone' (the IANA name's bytes), signed by the secretariat (setting
 * 'timezone_sig'), like the policy (policy.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "attest.h"
#include "event.h"
#include "log.h"
#include "session.h"
#include "sql.h"
#include "store.h"

#define ZONEINFO "/usr/share/zoneinfo/"

/* A plain IANA name: 1 to COUNCIL_TIMEZONE_MAX bytes of letters, digits,
 * '/', '_', '-' and '+' (so no "." or ".."), not absolute, no empty part. */
static bool zone_name_ok(const char *tz, size_t len)
{
    if (len == 0 || len > COUNCIL_TIMEZONE_MAX || tz[0] == '/' || tz[len - 1] == '/' ||
        strstr(tz, "//") != NULL)
        return false;
    for (size_t i = 0; i < len; i++) {
        char ch = tz[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '/' || ch == '_' || ch == '-' || ch == '+'))
            return false;
    }
    return true;
}

/* The zone's file under /usr/share/zoneinfo is a regular file that starts
 * with "TZif" (tzdata's compiled form). */
static bool zone_file_ok(const char *tz)
{
    char path[sizeof ZONEINFO + COUNCIL_TIMEZONE_MAX];
    char magic[4];
    struct stat st;
    ssize_t n;
    int fd;

    if (snprintf(path, sizeof path, "%s%s", ZONEINFO, tz) >= (int)sizeof path)
        return false;
    do {
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return false;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        (void)close(fd);
        return false;
    }
    do {
        n = read(fd, magic, sizeof magic);
    } while (n < 0 && errno == EINTR);
    (void)close(fd);
    return n == (ssize_t)sizeof magic && memcmp(magic, "TZif", sizeof magic) == 0;
}

static bool zone_ok(const char *tz, size_t len)
{
    return zone_name_ok(tz, len) && zone_file_ok(tz);
}

int council_timezone_set(council *c, const char *tz)
{
    static const char op[] = "timezone_set";
    uint8_t sig[64], signer[COUNCIL_ID_BYTES];
    size_t len;
    int rc;

    if ((rc = council__secretariat_only(c, op)) != COUNCIL_OK)
        return rc;
    if (tz == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL time zone", op);
    len = strnlen(tz, COUNCIL_TIMEZONE_MAX + 1);
    if (!zone_ok(tz, len))
        return council__fail(c, COUNCIL_EINVAL, "%s: not a time zone name of the system's tzdata "
                             "(such as Asia/Tokyo)", op);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if (council__setting_put(c, "timezone", (const uint8_t *)tz, len, true) != COUNCIL_OK)
        rc = council__db_err(c, op);
    if (rc == COUNCIL_OK &&
        (rc = council__attest_sign(c, "timezone", (const uint8_t *)tz, len, signer, sig)) ==
            COUNCIL_OK &&
        council__setting_put(c, "timezone_sig", sig, sizeof sig, true) != COUNCIL_OK)
        rc = council__db_err(c, op);
    if (rc == COUNCIL_OK) {
        council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SETTING_CHANGED,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
            .reason = "timezone",
        };
        council__event_actor(c, &ev);
        rc = council__audit_append(c, &ev);
    }
    return council__finish(c, rc);
}

int council_timezone_get(council *c, char *out, size_t out_len)
{
    static const char op[] = "timezone_get";
    static const uint8_t council_signer[COUNCIL_ID_BYTES];
    uint8_t *v = NULL, *sig = NULL;
    size_t n = 0, sig_len = 0;
    int rc;

    if (out == NULL || out_len == 0)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out[0] = '\0';
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if ((rc = council__setting_get(c, "timezone", &v, &n)) == COUNCIL_OK && v != NULL)
        rc = council__setting_get(c, "timezone_sig", &sig, &sig_len);
    if (rc != COUNCIL_OK) {
        council__free(v);
        return rc == COUNCIL_ENOMEM ? council__fail(c, rc, "%s: out of memory", op)
                                    : council__db_err(c, op);
    }
    if (v == NULL) {
        rc = COUNCIL_OK;
        v = (uint8_t *)council__strdup(COUNCIL_TIMEZONE_DEFAULT);
        if (v == NULL)
            return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        n = strlen(COUNCIL_TIMEZONE_DEFAULT);
    } else if (council__attest_check(c, "timezone", v, n, council_signer, sizeof council_signer,
                                     sig, sig_len) != COUNCIL_OK) {
        (void)council__tamper(c, NULL, NULL, NULL, "forged_timezone");
        rc = council__fail(c, COUNCIL_ETAMPER, "%s: the stored time zone is not the one the "
                           "secretariat set (it was changed outside the library): set it again", op);
    } else if (strlen((const char *)v) != n || !zone_ok((const char *)v, n)) {
        rc = council__fail(c, COUNCIL_EFORMAT, "%s: the stored time zone is not one of the "
                           "system's tzdata: set it again", op);
    }
    if (rc == COUNCIL_OK && n >= out_len)
        rc = council__fail(c, COUNCIL_EBUFS, "%s: the output buffer is too small", op);
    if (rc == COUNCIL_OK)
        memcpy(out, v, n + 1);
    council__free(v);
    council__free(sig);
    return rc;
}
