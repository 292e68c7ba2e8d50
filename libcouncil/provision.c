/*
 * provision.c - the provision register (第三者提供の記録, APPI arts. 29/30)
 * and the disclosure to an outside party named in a consent (issue 16):
 * council_provision_register, council_outside_disclose.
 *
 * The register is read from the audit log alone, every event's stored
 * body checked against the stored tree's leaf (never from an index column
 * the insider can clear), so it matches the log by construction.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/consent.pb-c.h"
#include "council/v1/member.pb-c.h"
#include "council_int.h"
#include "attest.h"
#include "buf.h"
#include "case_db.h"
#include "crypto.h"
#include "consent_db.h"
#include "decide.h"
#include "event.h"
#include "head.h"
#include "log.h"
#include "member_db.h"
#include "merkle.h"
#include "provision.h"
#include "scope.h"
#include "section.h"
#include "session.h"
#include "share.h"
#include "text.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define ACTOR(x) COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_##x
#define SCOPES_MAX COUNCIL__AUDIT_SCOPES_MAX
/* The largest document council_outside_disclose() hands out. */
#define OUTSIDE_DOC_MAX (64u * 1024u * 1024u)

/* ------------------------------------------------------------ JSON text */

static void put(council__buf *b, const char *s)
{
    council__buf_put(b, s, strlen(s));
}

static void putf(council__buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(council__buf *b, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0 && (size_t)n < sizeof tmp)
        council__buf_put(b, tmp, (size_t)n);
    else
        b->failed = true;
}

/* A JSON string (UTF-8 kept, quotes, backslashes and controls escaped). */
static void jstr(council__buf *b, const char *s)
{
    put(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\') {
            char e[2] = { '\\', (char)*p };
            council__buf_put(b, e, 2);
        } else if (*p < 0x20) {
            putf(b, "\\u%04x", (unsigned)*p);
        } else {
            council__buf_put(b, p, 1);
        }
    }
    put(b, "\"");
}

static void jid(council__buf *b, const uint8_t id[COUNCIL_ID_BYTES])
{
    char t[37];

    council__uuid_text(t, id);
    jstr(b, t);
}

static void hex(char *out, const uint8_t *p, size_t n)
{
    (void)sodium_bin2hex(out, 2 * n + 1, p, n);
}

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void cstr(council__buf *b, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        put(b, s);
        return;
    }
    put(b, "\"");
    for (const char *p = s; *p != '\0'; p++) {
        if (*p == '"')
            put(b, "\"");
        council__buf_put(b, p, 1);
    }
    put(b, "\"");
}

/* ------------------------------------------------------- the log's rows */

/* The owner of each case, as the log tells it (case_created, then each
 * case_transferred): a small open-addressed table by pseudonym. */
typedef struct owner_ent {
    uint8_t ref[32], owner[COUNCIL_ID_BYTES];
    bool used;
} owner_ent;

typedef struct owners {
    owner_ent *e;
    size_t cap, n;
} owners;

static size_t owner_slot(const owners *o, const uint8_t ref[32])
{
    uint64_t h;
    size_t i;

    memcpy(&h, ref, sizeof h);
    for (i = (size_t)(h & (o->cap - 1)); o->e[i].used && memcmp(o->e[i].ref, ref, 32) != 0;
         i = (i + 1) & (o->cap - 1))
        ;
    return i;
}

static bool owner_put(owners *o, const uint8_t ref[32], const uint8_t owner[COUNCIL_ID_BYTES])
{
    size_t i;

    if (2 * (o->n + 1) > o->cap) {
        owners g = { NULL, o->cap ? 2 * o->cap : 64, 0 };
        if ((g.e = council__calloc(g.cap, sizeof *g.e)) == NULL)
            return false;
        for (size_t j = 0; j < o->cap; j++)
            if (o->e[j].used) {
                g.e[owner_slot(&g, o->e[j].ref)] = o->e[j];
                g.n++;
            }
        council__free(o->e);
        *o = g;
    }
    i = owner_slot(o, ref);
    if (!o->e[i].used) {
        o->e[i].used = true;
        memcpy(o->e[i].ref, ref, 32);
        o->n++;
    }
    memcpy(o->e[i].owner, owner, COUNCIL_ID_BYTES);
    return true;
}

static const uint8_t *owner_get(const owners *o, const uint8_t ref[32])
{
    size_t i;

    if (o->cap == 0)
        return NULL;
    i = owner_slot(o, ref);
    return o->e[i].used ? o->e[i].owner : NULL;
}

typedef struct walk {
    owners own;
    council__provision *rows;
    size_t n, cap;
} walk;

static bool id_of(const ProtobufCBinaryData *d, bool has)
{
    return has && d->len == COUNCIL_ID_BYTES;
}

static void code_copy(char out[64 + 1], const char *s)
{
    out[0] = '\0';
    if (s != NULL && strlen(s) <= 64)
        strcpy(out, s);
}

static int row_add(walk *w, const Council__V1__AuditEvent *e)
{
    council__provision *p;
    size_t len = 1;
    const uint8_t *owner;

    if ((w->rows = council__grow(w->rows, &w->cap, w->n, sizeof *w->rows)) == NULL)
        return COUNCIL_ENOMEM;
    p = &w->rows[w->n];
    memset(p, 0, sizeof *p);
    p->seq = e->seq;
    p->time = e->time;
    p->action = (int)e->action;
    memcpy(p->case_ref, e->case_ref.data, 32);
    for (size_t i = 0; i < e->n_scopes; i++)
        len += strlen(e->scopes[i]) + 1;
    if ((p->scopes = council__malloc(len)) == NULL)
        return COUNCIL_ENOMEM;
    p->scopes[0] = '\0';
    for (size_t i = 0; i < e->n_scopes; i++) {
        if (i > 0)
            strcat(p->scopes, " ");
        strcat(p->scopes, e->scopes[i]);
    }
    w->n++;
    code_copy(p->purpose, e->purpose);
    code_copy(p->basis, e->basis);
    code_copy(p->reason, e->reason);
    if ((p->has_consent = id_of(&e->consent_id, e->has_consent_id)))
        memcpy(p->consent, e->consent_id.data, COUNCIL_ID_BYTES);
    if ((p->has_object = id_of(&e->object_id, e->has_object_id)))
        memcpy(p->object, e->object_id.data, COUNCIL_ID_BYTES);
    owner = owner_get(&w->own, p->case_ref);
    if (e->action == ACT(OUTSIDE_DISCLOSURE)) {
        /* object_id the outside party; subject_member the case's owner */
        p->outside = true;
        if ((p->has_recipient = p->has_object))
            memcpy(p->recipient, p->object, COUNCIL_ID_BYTES);
        if (id_of(&e->subject_member, e->has_subject_member)) {
            p->has_provider = true;
            memcpy(p->provider, e->subject_member.data, COUNCIL_ID_BYTES);
        }
    } else {
        if ((p->has_recipient = id_of(&e->subject_member, e->has_subject_member)))
            memcpy(p->recipient, e->subject_member.data, COUNCIL_ID_BYTES);
        if (e->action == ACT(DISCLOSURE_MADE) && strcmp(p->reason, "request_answered") == 0 &&
            id_of(&e->actor_member, e->has_actor_member)) {
            /* the member asked gives (request_answered names it next) */
            p->has_provider = true;
            memcpy(p->provider, e->actor_member.data, COUNCIL_ID_BYTES);
        }
    }
    if (!p->has_provider && owner != NULL) {
        p->has_provider = true;
        memcpy(p->provider, owner, COUNCIL_ID_BYTES);
    } else if (!p->has_provider && id_of(&e->actor_member, e->has_actor_member)) {
        p->has_provider = true;
        memcpy(p->provider, e->actor_member.data, COUNCIL_ID_BYTES);
    }
    return COUNCIL_OK;
}

static int one_event(walk *w, const Council__V1__AuditEvent *e)
{
    bool ok = e->outcome == ALLOWED;
    bool ref = e->has_case_ref && e->case_ref.len == 32;

    if (!ok || !ref)
        return COUNCIL_OK;
    switch ((int)e->action) {
    case ACT(CASE_CREATED):
    case ACT(CASE_TRANSFERRED):
        if (id_of(&e->subject_member, e->has_subject_member) &&
            !owner_put(&w->own, e->case_ref.data, e->subject_member.data))
            return COUNCIL_ENOMEM;
        return COUNCIL_OK;
    case ACT(SHARE_GRANTED):
    case ACT(DISCLOSURE_MADE):
    case ACT(OUTSIDE_DISCLOSURE):
        return e->n_scopes > 0 ? row_add(w, e) : COUNCIL_OK;
    case ACT(REQUEST_ANSWERED):
        /* The provision logged just before it: the member asked gave. */
        if (w->n > 0 && id_of(&e->object_id, e->has_object_id) &&
            id_of(&e->subject_member, e->has_subject_member)) {
            council__provision *p = &w->rows[w->n - 1];
            if (p->action == ACT(DISCLOSURE_MADE) && p->has_object &&
                memcmp(p->object, e->object_id.data, COUNCIL_ID_BYTES) == 0 &&
                strcmp(p->reason, "request_answered") == 0) {
                p->has_provider = true;
                memcpy(p->provider, e->subject_member.data, COUNCIL_ID_BYTES);
            }
        }
        return COUNCIL_OK;
    default:
        return COUNCIL_OK;
    }
}

/* Each stored event, checked against the tree by the walk. */
static int walk_one(void *ctx, const Council__V1__AuditEvent *e, const uint8_t *body, size_t len,
                    const uint8_t leaf[COUNCIL_HASH_BYTES])
{
    (void)body;
    (void)len;
    (void)leaf;
    return one_event(ctx, e);
}

void council__provisions_free(council__provision *p, size_t n)
{
    for (size_t i = 0; p != NULL && i < n; i++)
        council__free(p[i].scopes);
    council__free(p);
}

int council__provisions(council *c, const char *op, council__provision **out, size_t *n)
{
    walk w;
    uint64_t size = 0;
    int rc;

    *out = NULL;
    *n = 0;
    memset(&w, 0, sizeof w);
    if ((rc = council__audit_size(c, &size)) != COUNCIL_OK)
        return council__fail(c, rc, "%s: cannot read the log", op);
    rc = council__log_walk_checked(c, op, size, walk_one, &w);
    council__free(w.own.e);
    if (rc != COUNCIL_OK) {
        council__provisions_free(w.rows, w.n);
        return rc;
    }
    *out = w.rows;
    *n = w.n;
    return COUNCIL_OK;
}

/* ------------------------------------------------------------ the register */

typedef struct names {
    Council__V1__Member **m;
    size_t n;
} names;

static const char *member_name(const names *nm, const uint8_t id[COUNCIL_ID_BYTES])
{
    for (size_t i = 0; i < nm->n; i++)
        if (nm->m[i]->id.len == COUNCIL_ID_BYTES &&
            memcmp(nm->m[i]->id.data, id, COUNCIL_ID_BYTES) == 0)
            return nm->m[i]->name != NULL ? nm->m[i]->name : "";
    return "";
}

/* The outside party's name and the consent's end, from the consent record
 * (gone with an erased case: "" and 0). */
/* The party and end a provision's consent names: from the record only if
 * its grant checks (the council's or the case owner's signature). A
 * withdrawn record has no grant left (a withdrawal deletes it): its party
 * is named only if its id is the one the provision's hashed event names
 * (a record's body swapped by the insider names another), and no end is
 * given. Else ETAMPER with a finding: the register never names a party
 * the consent did not. A record gone (an erased case) gives nothing. EIO. */
static int consent_facts(council *c, const council__provision *p, char *party, size_t cap,
                         int64_t *until)
{
    static const char op[] = "provision_register";
    council__consent_row row;
    bool ok = false;
    int rc;

    party[0] = '\0';
    *until = 0;
    if (!p->has_consent)
        return COUNCIL_OK;
    memset(&row, 0, sizeof row);
    rc = council__consent_fetch(c, op, p->consent, &row);
    if (rc == COUNCIL_ENOTFOUND) {
        council__clear(c);
        return COUNCIL_OK;
    }
    if (rc != COUNCIL_OK)
        return rc;
    rc = council__consent_row_granted(c, op, &row, &ok);
    if (rc == COUNCIL_OK && !ok && row.m->withdrawal != NULL &&
        (!p->outside || (p->has_recipient && row.m->has_external_party_id &&
                         row.m->external_party_id.len == COUNCIL_ID_BYTES &&
                         memcmp(row.m->external_party_id.data, p->recipient,
                                COUNCIL_ID_BYTES) == 0))) {
        if (p->outside && row.m->external_party != NULL)
            snprintf(party, cap, "%s", row.m->external_party);
        council__consent_row_free(&row);
        return COUNCIL_OK;
    }
    if (rc == COUNCIL_OK && !ok) {
        council__consent_row_free(&row);
        (void)council__tamper(c, NULL, NULL, NULL, "forged_consent");
        return council__fail(c, COUNCIL_ETAMPER, "%s: a consent a provision names is not one its "
                             "case's owner or the council signed (changed outside the library)",
                             op);
    }
    if (rc == COUNCIL_OK && p->outside && row.m->external_party != NULL)
        snprintf(party, cap, "%s", row.m->external_party);
    if (rc == COUNCIL_OK && row.m->has_valid_until)
        *until = row.m->valid_until;
    council__consent_row_free(&row);
    return rc;
}

typedef struct side {
    const uint8_t *member;   /* whose register the row is in */
    bool provided;           /* else received */
    const uint8_t *other;    /* the counterpart: member or outside party id (NULL: none) */
    const char *other_name;
    bool other_outside;
} side;

static void emit_json(council__buf *b, const council__provision *p, const side *s,
                      const char *member_name_s, int64_t until, bool *first)
{
    char ref[65];

    hex(ref, p->case_ref, 32);
    put(b, *first ? "\n" : ",\n");
    *first = false;
    put(b, "{\"member_id\":");
    jid(b, s->member);
    put(b, ",\"member\":");
    jstr(b, member_name_s);
    putf(b, ",\"seq\":%llu,\"time\":%lld,\"direction\":\"%s\"", (unsigned long long)p->seq,
         (long long)p->time, s->provided ? "provided" : "received");
    put(b, s->provided ? ",\"recipient\":{" : ",\"provider\":{");
    put(b, "\"kind\":");
    put(b, s->other_outside ? "\"outside\"" : s->other == NULL ? "\"council\"" : "\"member\"");
    put(b, ",\"id\":");
    if (s->other != NULL)
        jid(b, s->other);
    else
        put(b, "null");
    put(b, ",\"name\":");
    jstr(b, s->other_name);
    put(b, "},\"case_ref\":");
    jstr(b, ref);
    put(b, ",\"scopes\":[");
    {
        const char *q = p->scopes;
        bool f = true;
        while (*q != '\0') {
            size_t l = strcspn(q, " ");
            char code[65];
            if (l > 64)
                l = 64;
            memcpy(code, q, l);
            code[l] = '\0';
            if (!f)
                put(b, ",");
            f = false;
            jstr(b, code);
            q += l;
            while (*q == ' ')
                q++;
        }
    }
    put(b, "],\"purpose\":");
    jstr(b, p->purpose);
    put(b, ",\"basis\":");
    jstr(b, p->basis);
    put(b, ",\"consent_id\":");
    if (p->has_consent)
        jid(b, p->consent);
    else
        put(b, "null");
    if (until != 0)
        putf(b, ",\"until\":%lld", (long long)until);
    else
        put(b, ",\"until\":null");
    put(b, ",\"event\":");
    jstr(b, p->action == ACT(SHARE_GRANTED)        ? "share_granted"
            : p->action == ACT(OUTSIDE_DISCLOSURE) ? "outside_disclosure"
                                                   : "disclosure_made");
    put(b, ",\"via\":");
    jstr(b, p->reason);
    put(b, "}");
}

static void emit_csv(council__buf *b, const council__provision *p, const side *s,
                     const char *member_name_s, int64_t until)
{
    char ref[65], id[37];

    hex(ref, p->case_ref, 32);
    council__uuid_text(id, s->member);
    put(b, id);
    put(b, ",");
    cstr(b, member_name_s);
    putf(b, ",%llu,%lld,%s,%s,", (unsigned long long)p->seq, (long long)p->time,
         s->provided ? "provided" : "received",
         s->other_outside ? "outside" : s->other == NULL ? "council" : "member");
    if (s->other != NULL) {
        council__uuid_text(id, s->other);
        put(b, id);
    }
    put(b, ",");
    cstr(b, s->other_name);
    put(b, ",");
    put(b, ref);
    put(b, ",");
    put(b, p->scopes);
    put(b, ",");
    put(b, p->purpose);
    put(b, ",");
    put(b, p->basis);
    put(b, ",");
    if (p->has_consent) {
        council__uuid_text(id, p->consent);
        put(b, id);
    }
    put(b, ",");
    if (until != 0)
        putf(b, "%lld", (long long)until);
    put(b, ",");
    put(b, p->action == ACT(SHARE_GRANTED)        ? "share_granted"
           : p->action == ACT(OUTSIDE_DISCLOSURE) ? "outside_disclosure"
                                                  : "disclosure_made");
    put(b, ",");
    put(b, p->reason);
    put(b, "\r\n");
}

static int register_refuse(council *c, const char *op, const uint8_t *member, const char *why)
{
    council__event ev = {
        .action = ACT(PROVISION_REGISTER_PRODUCED),
        .subject_member = member,
        .reason = why,
    };

    return council__refuse_event(c, false, &ev, COUNCIL_EDENIED, op,
                                 strcmp(why, "other_member") == 0
                                     ? "a member's staff read only their own member's register"
                                     : "only the secretariat or a member's own staff read "
                                       "the register");
}

int council_provision_register(council *c, council_buf *out, const council_provision_options *o)
{
    static const char op[] = "provision_register";
    council__buf b = COUNCIL__BUF_INIT;
    council__provision *rows = NULL;
    names nm = { NULL, 0 };
    size_t n = 0;
    bool bounded = false, first = true, json;
    int64_t from = 0, to = 0;
    const uint8_t *mine;
    int rc;

    if (!council__ok(c))
        return COUNCIL_EMISUSE;
    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (o == NULL || o->version != COUNCIL_PROVISION_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if (o->format != COUNCIL_REPORT_CSV && o->format != COUNCIL_REPORT_JSON)
        return council__fail(c, COUNCIL_EINVAL, "%s: the format is CSV or JSON", op);
    if (o->member_id != NULL && (rc = council__id_arg(c, op, o->member_id, o->member_id_len)) != COUNCIL_OK)
        return rc;
    if (o->member_id == NULL && o->member_id_len != 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: a member id without its bytes", op);
    mine = o->member_id;
    /* The secretariat reads every member's; a member's staff their own. */
    if (!council__is_secretariat(c)) {
        if (council__is_root(c) || mine == NULL)
            return register_refuse(c, op, mine, "secretariat_only");
        if (sodium_memcmp(mine, c->actor_member, COUNCIL_ID_BYTES) != 0)
            return register_refuse(c, op, mine, "other_member");
    }
    if ((rc = council__report_period(c, op, o->from, o->to, o->fiscal_year, &bounded, &from,
                                     &to)) != COUNCIL_OK)
        return rc;
    /* The log as the signer saw it (the secretariat's sessions), then
     * every event's body against its leaf. */
    if ((rc = council__audit_head_advance(c)) != COUNCIL_OK ||
        (rc = council__provisions(c, op, &rows, &n)) != COUNCIL_OK)
        return rc;
    if ((rc = council__member_messages(c, op, &nm.m, &nm.n)) != COUNCIL_OK) {
        council__provisions_free(rows, n);
        return rc;
    }
    json = o->format == COUNCIL_REPORT_JSON;
    if (json) {
        put(&b, "{\"register\":\"provision\",\"member_id\":");
        if (mine != NULL)
            jid(&b, mine);
        else
            put(&b, "null");
        if (bounded) {
            putf(&b, ",\"period\":{\"from\":%lld,\"to\":%lld", (long long)from, (long long)to);
            if (o->fiscal_year != 0)
                putf(&b, ",\"fiscal_year\":%d", (int)o->fiscal_year);
            put(&b, "}");
        } else {
            put(&b, ",\"period\":null");
        }
        putf(&b, ",\"produced\":%lld,\"rows\":[", (long long)time(NULL));
    } else {
        put(&b, "member_id,member,seq,time,direction,counterpart_kind,counterpart_id,"
                "counterpart,case_ref,scopes,purpose,basis,consent_id,until,event,via\r\n");
    }
    for (size_t i = 0; i < n; i++) {
        const council__provision *p = &rows[i];
        char party[COUNCIL_NAME_MAX + 1];
        int64_t until = 0;
        side sides[2];
        size_t ns = 0;

        if (bounded && (p->time < from || p->time >= to))
            continue;
        if ((rc = consent_facts(c, p, party, sizeof party, &until)) != COUNCIL_OK)
            break;
        if (p->has_provider && (mine == NULL || memcmp(mine, p->provider, COUNCIL_ID_BYTES) == 0))
            sides[ns++] = (side){ p->provider, true, p->has_recipient ? p->recipient : NULL,
                                  p->outside ? party
                                  : p->has_recipient ? member_name(&nm, p->recipient) : "",
                                  p->outside };
        if (!p->outside && p->has_recipient &&
            (mine == NULL || memcmp(mine, p->recipient, COUNCIL_ID_BYTES) == 0))
            sides[ns++] = (side){ p->recipient, false, p->has_provider ? p->provider : NULL,
                                  p->has_provider ? member_name(&nm, p->provider) : "", false };
        for (size_t j = 0; j < ns; j++) {
            if (json)
                emit_json(&b, p, &sides[j], member_name(&nm, sides[j].member), until, &first);
            else
                emit_csv(&b, p, &sides[j], member_name(&nm, sides[j].member), until);
        }
    }
    if (json)
        put(&b, "\n]}\n");
    for (size_t i = 0; i < nm.n; i++)
        council__v1__member__free_unpacked(nm.m[i], council__pb_allocator());
    council__free(nm.m);
    council__provisions_free(rows, n);
    if (rc != COUNCIL_OK) {
        council__buf_free(&b);
        return rc;
    }
    if (b.failed) {
        council__buf_free(&b);
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    /* Log first: the register is handed out only once its event is durable. */
    {
        council__event ev = {
            .action = ACT(PROVISION_REGISTER_PRODUCED),
            .subject_member = mine,
            .outcome = ALLOWED,
            .reason = json ? "json" : "csv",
        };
        council__event_actor(c, &ev);
        if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK) {
            council__buf_free(&b);
            return rc;
        }
    }
    return council__buf_out(c, op, &b, out);
}

/* --------------------------------------------- disclosure to an outside party */

/* A protobuf message as JSON, by its descriptor (the section's fields:
 * strings, bytes as UUIDs or hex, enums by name, numbers, messages). */
static void pb_value(council__buf *b, const ProtobufCFieldDescriptor *f, const void *v);

static void pb_json(council__buf *b, const ProtobufCMessage *m)
{
    const ProtobufCMessageDescriptor *d = m->descriptor;
    bool first = true;

    put(b, "{");
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        const char *base = (const char *)m;
        const void *at = base + f->offset;

        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(const size_t *)(const void *)(base + f->quantifier_offset);
            size_t sz = f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE
                            ? sizeof(void *)
                        : f->type == PROTOBUF_C_TYPE_BYTES ? sizeof(ProtobufCBinaryData)
                        : f->type == PROTOBUF_C_TYPE_INT64 || f->type == PROTOBUF_C_TYPE_SINT64 ||
                                f->type == PROTOBUF_C_TYPE_UINT64
                            ? 8
                            : 4;
            const char *arr = *(const char *const *)at;
            if (n == 0)
                continue;
            put(b, first ? "" : ",");
            first = false;
            jstr(b, f->name);
            put(b, ":[");
            for (size_t j = 0; j < n; j++) {
                if (j > 0)
                    put(b, ",");
                pb_value(b, f, arr + j * sz);
            }
            put(b, "]");
            continue;
        }
        if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE) {
            if (*(const void *const *)at == NULL)
                continue;
        } else if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->quantifier_offset != 0 &&
                   !*(const protobuf_c_boolean *)(const void *)(base + f->quantifier_offset)) {
            continue;
        }
        put(b, first ? "" : ",");
        first = false;
        jstr(b, f->name);
        put(b, ":");
        pb_value(b, f, at);
    }
    put(b, "}");
}

static void pb_value(council__buf *b, const ProtobufCFieldDescriptor *f, const void *v)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_STRING:
        jstr(b, *(const char *const *)v);
        break;
    case PROTOBUF_C_TYPE_MESSAGE:
        pb_json(b, *(const ProtobufCMessage *const *)v);
        break;
    case PROTOBUF_C_TYPE_BYTES: {
        const ProtobufCBinaryData *d = v;
        if (d->len == COUNCIL_ID_BYTES) {
            jid(b, d->data);
        } else {
            put(b, "\"");
            for (size_t i = 0; i < d->len; i++)
                putf(b, "%02x", d->data[i]);
            put(b, "\"");
        }
        break;
    }
    case PROTOBUF_C_TYPE_ENUM: {
        const ProtobufCEnumValue *e =
            protobuf_c_enum_descriptor_get_value(f->descriptor, *(const int *)v);
        if (e != NULL)
            jstr(b, e->name);
        else
            putf(b, "%d", *(const int *)v);
        break;
    }
    case PROTOBUF_C_TYPE_BOOL:
        put(b, *(const protobuf_c_boolean *)v ? "true" : "false");
        break;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        putf(b, "%lld", (long long)*(const int64_t *)v);
        break;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        putf(b, "%llu", (unsigned long long)*(const uint64_t *)v);
        break;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        putf(b, "%u", *(const uint32_t *)v);
        break;
    default:
        putf(b, "%d", *(const int32_t *)v);
        break;
    }
}

static bool varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    *v = 0;
    for (unsigned s = 0; s < 64 && *p < end; s += 7) {
        uint8_t x = *(*p)++;
        *v |= (uint64_t)(x & 0x7f) << s;
        if ((x & 0x80) == 0)
            return true;
    }
    return false;
}

/* The sections council__section_latest() read (each field 2, a
 * SectionRecord) into the document. */
static int sections_json(council *c, const char *op, council__buf *doc, const council__buf *b)
{
    const uint8_t *p = b->p, *end = b->p + b->len;
    bool first = true;

    while (p < end) {
        uint64_t tag, len;
        Council__V1__SectionRecord *r;
        if (!varint(&p, end, &tag) || tag != 0x12 || !varint(&p, end, &len) ||
            len > (uint64_t)(end - p))
            return council__fail(c, COUNCIL_ERROR, "%s: sections out of order", op);
        r = council__v1__section_record__unpack(council__pb_wiping_allocator(), (size_t)len, p);
        if (r == NULL)
            return council__fail(c, COUNCIL_ENOMEM, "%s: a section does not unpack", op);
        p += len;
        put(doc, first ? "\n" : ",\n");
        first = false;
        put(doc, "{\"scope\":");
        jstr(doc, r->scope);
        put(doc, ",\"person_id\":");
        if (r->person_id.len == COUNCIL_ID_BYTES)
            jid(doc, r->person_id.data);
        else
            put(doc, "null");
        putf(doc, ",\"version\":%u,\"written\":%lld,\"section\":", r->version,
             (long long)r->written);
        pb_json(doc, &r->section->base);
        put(doc, "}");
        council__v1__section_record__free_unpacked(r, council__pb_wiping_allocator());
    }
    return COUNCIL_OK;
}

static int outside_args(council *c, const char *op, const council_outside_options *o)
{
    if (o == NULL || o->version != COUNCIL_OUTSIDE_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if (o->consent_id == NULL || o->consent_id_len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: a consent id (16 bytes) is required", op);
    if ((o->party_id != NULL && o->party_id_len != COUNCIL_ID_BYTES) ||
        (o->party_id == NULL && o->party_id_len != 0))
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are 16 bytes", op);
    if ((o->seal_pk != NULL && o->seal_pk_len != crypto_box_PUBLICKEYBYTES) ||
        (o->seal_pk == NULL && o->seal_pk_len != 0) ||
        (o->seal_pk != NULL && sodium_is_zero(o->seal_pk, crypto_box_PUBLICKEYBYTES)))
        return council__fail(c, COUNCIL_EINVAL, "%s: the sealing key is 32 bytes (X25519)", op);
    if (o->scopes == NULL || o->n_scopes == 0 || o->n_scopes > SCOPES_MAX)
        return council__fail(c, COUNCIL_EINVAL, "%s: 1..%d scopes", op, SCOPES_MAX);
    for (size_t i = 0; i < o->n_scopes; i++) {
        if (o->scopes[i] == NULL || !council__audit_code_ok(o->scopes[i]))
            return council__fail(c, COUNCIL_EINVAL, "%s: a scope is a code [a-z0-9_]{1,64}", op);
        for (size_t j = 0; j < i; j++)
            if (strcmp(o->scopes[i], o->scopes[j]) == 0)
                return council__fail(c, COUNCIL_EINVAL, "%s: scope %s named twice", op,
                                     o->scopes[i]);
    }
    if (o->purpose == NULL || !council__audit_code_ok(o->purpose))
        return council__fail(c, COUNCIL_EINVAL, "%s: a purpose is a code [a-z0-9_]{1,64}", op);
    if (o->purpose_text != NULL && !council__text_arg(o->purpose_text, COUNCIL_NAME_MAX))
        return council__fail(c, COUNCIL_EINVAL, "%s: the purpose text is not valid text", op);
    return COUNCIL_OK;
}

/* A refusal of the disclosure on the record (the operation rolled back). */
static int outside_refuse(council *c, const char *op, const council__case *k,
                          const council_outside_options *o, const uint8_t *party, int rc,
                          const char *why, const char *msg)
{
    council__event ev = {
        .action = ACT(OUTSIDE_DISCLOSURE),
        .case_ref = k != NULL ? k->ref : NULL,
        .object_id = party,
        .scopes = o->scopes,
        .n_scopes = o->n_scopes,
        .purpose = o->purpose,
        .basis = "consent",
        .consent_id = o->consent_id,
        .reason = why,
    };

    return council__refuse_event(c, true, &ev, rc, op, msg);
}

int council_outside_disclose(council *c, council_buf *out, const uint8_t *case_id,
                             size_t case_id_len, const council_outside_options *o)
{
    static const char op[] = "outside_disclose";
    council__buf doc = COUNCIL__BUF_INIT, secs = COUNCIL__BUF_INIT;
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    council__decision d = { false, NULL };
    council__consent_row row;
    council__scopes_read read;
    council__case k;
    uint8_t party[COUNCIL_ID_BYTES], ref_hex_src[32];
    char party_name[COUNCIL_NAME_MAX + 1] = "", ref[65];
    uint64_t seq = 0;
    int64_t now = (int64_t)time(NULL);
    int rc;

    if (!council__ok(c))
        return COUNCIL_EMISUSE;
    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = outside_args(c, op, o)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__case_load(c, op, case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    for (size_t i = 0; i < o->n_scopes; i++)
        if ((rc = council__scope_known(c, op, o->scopes[i])) != COUNCIL_OK)
            return council__finish(c, rc);
    if (k.erased != 0)
        return outside_refuse(c, op, &k, o, o->party_id, COUNCIL_EDENIED, "case_erased",
                              "the case was erased");
    if (!council__is_secretariat(c) && !council__case_is_owner(c, &k))
        return outside_refuse(c, op, &k, o, o->party_id, COUNCIL_EDENIED, "not_owner",
                              "only the secretariat or the owning member's staff disclose a case");
    /* The consent: of this case, naming an outside party. */
    memset(&row, 0, sizeof row);
    rc = council__consent_fetch(c, op, o->consent_id, &row);
    if (rc == COUNCIL_ENOTFOUND ||
        (rc == COUNCIL_OK && memcmp(row.case_id, k.id, COUNCIL_ID_BYTES) != 0)) {
        council__consent_row_free(&row);
        return outside_refuse(c, op, &k, o, o->party_id, COUNCIL_ENOCONSENT, "consent_not_found",
                              "no such consent record of this case");
    }
    if (rc != COUNCIL_OK)
        return council__finish(c, rc);
    /* The party's id and name as the record's grant vouches for them. */
    {
        bool granted = false;
        rc = council__consent_row_granted(c, op, &row, &granted);
        council__consent_row_close(&row);
        /* (a withdrawal drops the grant: the decision refuses it) */
        if (rc == COUNCIL_OK && !granted && !row.m->refusal &&
            row.m->status != COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_WITHDRAWN) {
            council__consent_row_free(&row);
            (void)council__tamper(c, k.id, NULL, NULL, "forged_consent");
            return council__finish(c, council__fail(c, COUNCIL_ETAMPER, "%s: the consent record "
                                                    "has no grant by the owner or the "
                                                    "secretariat", op));
        }
        if (rc != COUNCIL_OK) {
            council__consent_row_free(&row);
            return council__finish(c, rc);
        }
    }
    if (!row.m->has_external_party_id || row.m->external_party_id.len != COUNCIL_ID_BYTES) {
        council__consent_row_free(&row);
        return outside_refuse(c, op, &k, o, o->party_id, COUNCIL_ENOCONSENT, "no_outside_party",
                              "the consent names no outside party");
    }
    memcpy(party, o->party_id != NULL ? o->party_id : row.m->external_party_id.data,
           COUNCIL_ID_BYTES);
    if (row.m->external_party != NULL)
        snprintf(party_name, sizeof party_name, "%s", row.m->external_party);
    council__consent_row_free(&row);
    /* The decision, as a share's, for that party. */
    so.scopes = o->scopes;
    so.n_scopes = o->n_scopes;
    so.purpose = o->purpose;
    so.purpose_text = o->purpose_text;
    so.basis = "consent";
    so.consent_id = o->consent_id;
    so.consent_id_len = COUNCIL_ID_BYTES;
    if ((rc = council__share_decide_outside(c, op, &k, party, &so, &d)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (!d.allow)
        return outside_refuse(c, op, &k, o, party, COUNCIL_ENOCONSENT, d.reason,
                              "refused by the disclosure policy");
    /* The sections the session reads now, of those scopes. */
    rc = council__section_latest(c, op, &k, o->scopes, o->n_scopes, &secs, &read);
    if (rc == COUNCIL_OK && read.n == 0) {
        council__buf_free(&secs);
        return outside_refuse(c, op, &k, o, party, COUNCIL_EDENIED, "nothing_readable",
                              "no section of those scopes is readable by this session");
    }
    if (rc == COUNCIL_OK)
        rc = council__audit_size(c, &seq);
    if (rc != COUNCIL_OK) {
        council__buf_free(&secs);
        return council__finish(c, rc);
    }
    memcpy(ref_hex_src, k.ref, 32);
    hex(ref, ref_hex_src, 32);
    put(&doc, "{\"format\":\"council-outside-disclosure\",\"version\":1,\"external_party\":");
    jstr(&doc, party_name);
    put(&doc, ",\"external_party_id\":");
    jid(&doc, party);
    put(&doc, ",\"consent_id\":");
    jid(&doc, o->consent_id);
    put(&doc, ",\"case_ref\":");
    jstr(&doc, ref);
    put(&doc, ",\"purpose\":");
    jstr(&doc, o->purpose);
    put(&doc, ",\"basis\":\"consent\",\"scopes\":[");
    for (size_t i = 0; i < read.n; i++) {
        if (i > 0)
            put(&doc, ",");
        jstr(&doc, read.ptr[i]);
    }
    putf(&doc, "],\"disclosed_at\":%lld,\"event_seq\":%llu,\"sections\":[", (long long)now,
         (unsigned long long)seq);
    rc = sections_json(c, op, &doc, &secs);
    council__buf_free(&secs);
    put(&doc, "\n]}\n");
    if (rc == COUNCIL_OK && (doc.failed || doc.len > OUTSIDE_DOC_MAX))
        rc = council__fail(c, doc.failed ? COUNCIL_ENOMEM : COUNCIL_ELIMIT,
                           "%s: the document is too large or memory ran out", op);
    /* Log first: the event in this transaction, durable before the
     * content leaves. */
    if (rc == COUNCIL_OK) {
        council__event ev = {
            .action = ACT(OUTSIDE_DISCLOSURE),
            .case_ref = k.ref,
            .object_id = party,
            .subject_member = k.owner,
            .scopes = read.ptr,
            .n_scopes = read.n,
            .purpose = o->purpose,
            .basis = "consent",
            .consent_id = o->consent_id,
            .outcome = ALLOWED,
        };
        council__event_actor(c, &ev);
        rc = council__audit_append(c, &ev);
    }
    rc = council__finish(c, rc);
    if (rc != COUNCIL_OK) {
        council__buf_free(&doc);
        return rc;
    }
    if (o->seal_pk != NULL) {
        council__buf box = COUNCIL__BUF_INIT;
        uint8_t *p = council__buf_grow(&box, doc.len + crypto_box_SEALBYTES);
        if (p == NULL || crypto_box_seal(p, doc.p, doc.len, o->seal_pk) != 0) {
            council__buf_free(&box);
            council__buf_free(&doc);
            return council__fail(c, p == NULL ? COUNCIL_ENOMEM : COUNCIL_ERROR,
                                 "%s: cannot seal the document", op);
        }
        council__buf_free(&doc);
        return council__buf_out(c, op, &box, out);
    }
    return council__buf_out(c, op, &doc, out);
}
