/* error.c - return codes, static descriptions and per-handle messages. */
#include <stdio.h>
#include <string.h>

#include "council_int.h"

const char *council_errstr(int rc)
{
    switch (rc) {
    case COUNCIL_OK:           return "success";
    case COUNCIL_ERROR:        return "internal error";
    case COUNCIL_EINVAL:       return "invalid argument";
    case COUNCIL_ENOMEM:       return "out of memory";
    case COUNCIL_EIO:          return "input/output error";
    case COUNCIL_EAUTH:        return "authentication failed (wrong passphrase or key, or data altered)";
    case COUNCIL_EDENIED:      return "not entitled";
    case COUNCIL_ENOCONSENT:   return "no consent or legal basis covers this disclosure";
    case COUNCIL_ETAMPER:      return "audit log or proof does not verify";
    case COUNCIL_EFORMAT:      return "malformed, truncated or foreign data";
    case COUNCIL_EEXIST:       return "already exists";
    case COUNCIL_ENOTFOUND:    return "not found";
    case COUNCIL_EMISUSE:      return "library misuse (NULL, closed or foreign handle)";
    case COUNCIL_ELIMIT:       return "size or count limit exceeded";
    case COUNCIL_EBUFS:        return "output buffer too small";
    case COUNCIL_EUNSUPPORTED: return "unsupported version or SQLite library";
    case COUNCIL_ESIGNATURE:   return "signature does not verify";
    case COUNCIL_ESENDER:      return "sender not trusted here";
    case COUNCIL_ERECIPIENT:   return "addressed to another recipient";
    case COUNCIL_EEXPIRED:     return "expired";
    case COUNCIL_EREPLAY:      return "imported already (replay)";
    default:                   return "unknown error code";
    }
}

bool council__ok(const council *c)
{
    return c != NULL && c->magic == COUNCIL__MAGIC_OPEN;
}

static bool handle_known(const council *c)
{
    return c != NULL && (c->magic == COUNCIL__MAGIC_OPEN ||
                         c->magic == COUNCIL__MAGIC_FAILED ||
                         c->magic == COUNCIL__MAGIC_CLOSED);
}

int council__fail(council *c, int rc, const char *fmt, ...)
{
    va_list ap;

    if (!handle_known(c))
        return rc;
    c->errcode = rc;
    va_start(ap, fmt);
    (void)vsnprintf(c->errmsg, sizeof c->errmsg, fmt, ap);
    va_end(ap);
    /* A database failure whose SQLite text would mislead (a full disk, a
     * re-key by another session) is said plainly. */
    if (c->db != NULL && c->explain != NULL)
        rc = c->explain(c, rc);
    return rc;
}

void council__clear(council *c)
{
    if (!handle_known(c))
        return;
    c->errcode = COUNCIL_OK;
    c->errmsg[0] = '\0';
}

const char *council_errmsg(const council *c)
{
    if (c == NULL)
        return "no handle (NULL)";
    if (!handle_known(c))
        return "not a council handle";
    if (c->magic == COUNCIL__MAGIC_CLOSED)
        return "the handle is closed";
    if (c->errcode == COUNCIL_OK)
        return "not an error";
    if (c->errmsg[0] == '\0')
        return council_errstr(c->errcode);
    return c->errmsg;
}
