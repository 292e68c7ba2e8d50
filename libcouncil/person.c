/*
 * person.c - the person's file (issue 16): council_person_report, what the
 * council holds about one person of a case, every disclosure of it and
 * every read of it from the audit log, as one JSON document; and the
 * case's audit pseudonym for the secretariat, both ways
 * (council_case_pseudonym, council_case_by_pseudonym).
 *
 * The report is built from the public calls of the modules above it (each
 * logs its own reads: the sections are read with the report's purpose) and
 * from a scan of every event body in the log, each checked against the
 * stored tree's leaf, with no gap in the sequence: an event whose case_ref
 * column was cleared (it drops out of the audit_event_case index, not out
 * of its hashed body) is still found; an edited or deleted one fails the
 * report with COUNCIL_ETAMPER. Events deleted from the end of the log are
 * the head check's (head.c) to find.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/consent.pb-c.h"
#include "council/v1/info.pb-c.h"
#include "council/v1/meeting.pb-c.h"
#include "council/v1/referral.pb-c.h"
#include "council/v1/request.pb-c.h"
#include "council/v1/task.pb-c.h"
#include "council_int.h"
#include "attest.h"
#include "buf.h"
#include "case_db.h"
#include "crypto.h"
#include "decide.h"
#include "event.h"
#include "log.h"
#include "meeting.h"
#include "merkle.h"
#include "session.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define REFUSED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED
#define REPORT_PURPOSE "disclosure_request"

/* ------------------------------------------------------------ pseudonyms */

int council_case_pseudonym(council *c, const uint8_t *case_id, size_t case_id_len,
                           uint8_t out[32])
{
    static const char op[] = "case_pseudonym";
    uint8_t owner[COUNCIL_ID_BYTES], ref[32];
    bool erased = false;
    int rc;

    if (!council__ok(c) || out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: bad arguments", op);
    if ((rc = council__secretariat_only(c, op)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK)
        return rc;
    if ((rc = council__case_lookup(c, op, case_id, owner, ref, &erased)) != COUNCIL_OK)
        return rc == COUNCIL_ENOTFOUND ? council__fail(c, rc, "%s: no such case", op) : rc;
    memcpy(out, ref, sizeof ref);
    council__clear(c);
    return COUNCIL_OK;
}

struct resolve_ctx {
    const uint8_t *want;
    uint8_t id[COUNCIL_ID_BYTES];
    bool found;
};

static int resolve_one(council *c, const council__case_row *row, void *vctx)
{
    struct resolve_ctx *x = vctx;
    uint8_t ref[32];
    int rc;

    if (x->found)
        return COUNCIL_OK;
    if ((rc = council__case_ref(c, ref, row->id)) != COUNCIL_OK)
        return rc;
    if (sodium_memcmp(ref, x->want, sizeof ref) == 0) {
        memcpy(x->id, row->id, sizeof x->id);
        x->found = true;
    }
    return COUNCIL_OK;
}

int council_case_by_pseudonym(council *c, const uint8_t *ref, size_t ref_len,
                              uint8_t out[COUNCIL_ID_BYTES])
{
    static const char op[] = "case_by_pseudonym";
    struct resolve_ctx x = { .want = ref };
    int rc;

    if (!council__ok(c) || out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: bad arguments", op);
    if ((rc = council__secretariat_only(c, op)) != COUNCIL_OK)
        return rc;
    if (ref == NULL || ref_len != 32)
        return council__fail(c, COUNCIL_EINVAL, "%s: a case pseudonym is 32 bytes", op);
    if ((rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if ((rc = council__case_each(c, op, resolve_one, &x)) != COUNCIL_OK)
        return rc;
    if (!x.found)
        return council__fail(c, COUNCIL_ENOTFOUND, "%s: no case has this pseudonym", op);
    {
        /* Linking the log's pseudonym back to a case is on the record. */
        council__event ev = { .action = ACT(CASE_RESOLVED), .case_ref = ref, .outcome = ALLOWED };
        council__event_actor(c, &ev);
        if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK)
            return rc;
    }
    memcpy(out, x.id, sizeof x.id);
    council__clear(c);
    return COUNCIL_OK;
}

/* ------------------------------------------------------------------ JSON */

static void j_str(council__buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    council__buf_text(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p != 0; p++) {
        char esc[7];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            council__buf_put(b, esc, 2);
        } else if (*p < 0x20 || *p == 0x7f) {
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[*p >> 4];
            esc[5] = hex[*p & 15];
            council__buf_put(b, esc, 6);
        } else {
            council__buf_put(b, p, 1);
        }
    }
    council__buf_text(b, "\"");
}

static void j_key(council__buf *b, bool *first, const char *k)
{
    if (!*first)
        council__buf_text(b, ",");
    *first = false;
    j_str(b, k);
    council__buf_text(b, ":");
}

static void j_int(council__buf *b, int64_t v)
{
    char t[32];
    snprintf(t, sizeof t, "%" PRId64, v);
    council__buf_text(b, t);
}

static void j_uint(council__buf *b, uint64_t v)
{
    char t[32];
    snprintf(t, sizeof t, "%" PRIu64, v);
    council__buf_text(b, t);
}

/* 16 bytes as a UUID, anything else as lower-case hex. */
static void j_bytes(council__buf *b, const uint8_t *p, size_t n)
{
    if (n == COUNCIL_ID_BYTES) {
        char t[37];
        council__uuid_text(t, p);
        j_str(b, t);
        return;
    }
    council__buf_text(b, "\"");
    for (size_t i = 0; i < n; i++) {
        char t[3];
        snprintf(t, sizeof t, "%02x", p[i]);
        council__buf_put(b, t, 2);
    }
    council__buf_text(b, "\"");
}

/* An enum value's name, lower case, its type's prefix dropped
 * (CASE_STATUS_OPEN of CaseStatus: "open"). */
static void j_enum(council__buf *b, const ProtobufCEnumDescriptor *d, int v)
{
    const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(d, v);
    char t[96];
    const char *name;
    size_t skip = 0, n;

    if (ev == NULL) {
        j_int(b, v);
        return;
    }
    name = ev->name;
    /* the prefix is the longest one all of the enum's values share */
    if (d->n_values > 1) {
        const char *a = d->values[0].name;
        size_t lcp = strlen(a);
        for (unsigned i = 1; i < d->n_values; i++) {
            size_t k = 0;
            while (k < lcp && a[k] == d->values[i].name[k])
                k++;
            lcp = k;
        }
        while (lcp > 0 && a[lcp - 1] != '_')
            lcp--;
        skip = lcp;
    }
    n = strlen(name + skip);
    if (n >= sizeof t)
        n = sizeof t - 1;
    for (size_t i = 0; i < n; i++) {
        char ch = name[skip + i];
        t[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
    }
    t[n] = 0;
    j_str(b, t);
}

static void j_message(council__buf *b, const ProtobufCMessage *m);

static void j_value(council__buf *b, const ProtobufCFieldDescriptor *f, const void *p)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
        j_int(b, *(const int32_t *)p);
        break;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        j_int(b, *(const int64_t *)p);
        break;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        j_uint(b, *(const uint32_t *)p);
        break;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        j_uint(b, *(const uint64_t *)p);
        break;
    case PROTOBUF_C_TYPE_BOOL:
        council__buf_text(b, *(const protobuf_c_boolean *)p ? "true" : "false");
        break;
    case PROTOBUF_C_TYPE_ENUM:
        j_enum(b, f->descriptor, *(const int *)p);
        break;
    case PROTOBUF_C_TYPE_STRING:
        j_str(b, *(char *const *)p != NULL ? *(char *const *)p : "");
        break;
    case PROTOBUF_C_TYPE_BYTES: {
        const ProtobufCBinaryData *d = p;
        j_bytes(b, d->data, d->len);
        break;
    }
    case PROTOBUF_C_TYPE_MESSAGE:
        j_message(b, *(ProtobufCMessage *const *)p);
        break;
    default:
        council__buf_text(b, "null");
        break;
    }
}

static size_t field_size(const ProtobufCFieldDescriptor *f)
{
    switch (f->type) {
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
    case PROTOBUF_C_TYPE_DOUBLE:
        return 8;
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_STRING:
    case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof(void *);
    case PROTOBUF_C_TYPE_BYTES:
        return sizeof(ProtobufCBinaryData);
    default:
        return 4;
    }
}

/* Any message as a JSON object: present fields by name (proto2 presence),
 * repeated fields as arrays, ids as UUIDs, enums by name. */
static void j_message(council__buf *b, const ProtobufCMessage *m)
{
    const ProtobufCMessageDescriptor *d;
    bool first = true;

    if (m == NULL) {
        council__buf_text(b, "null");
        return;
    }
    d = m->descriptor;
    council__buf_text(b, "{");
    for (unsigned i = 0; i < d->n_fields; i++) {
        const ProtobufCFieldDescriptor *f = &d->fields[i];
        const char *base = (const char *)m;
        const void *p = base + f->offset;

        if (f->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t n = *(const size_t *)(base + f->quantifier_offset);
            const char *arr = *(char *const *)p;
            j_key(b, &first, f->name);
            council__buf_text(b, "[");
            for (size_t k = 0; k < n; k++) {
                if (k > 0)
                    council__buf_text(b, ",");
                j_value(b, f, arr + k * field_size(f));
            }
            council__buf_text(b, "]");
            continue;
        }
        if (f->label == PROTOBUF_C_LABEL_OPTIONAL) {
            if (f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE) {
                if (*(void *const *)p == NULL)
                    continue;
            } else if (f->quantifier_offset != 0 &&
                       !*(const protobuf_c_boolean *)(base + f->quantifier_offset)) {
                continue;
            }
        }
        j_key(b, &first, f->name);
        j_value(b, f, p);
    }
    council__buf_text(b, "}");
}

/* ------------------------------------------------------------ the report */

struct scan {
    const uint8_t *ref;
    const uint8_t *person; /* another person than the one supported: only events naming them */
    council__buf reads, disclosures, others;
    size_t n_reads, n_disclosures, n_others;
    const Council__V1__CaseInfo *info; /* the shares' end times */
};

static bool is_read(int a)
{
    return a == ACT(CASE_READ) || a == ACT(SECTION_DECRYPTED) || a == ACT(REQUEST_READ) ||
           a == ACT(TASK_READ) || a == ACT(MEETING_RECORD_READ);
}

static bool is_disclosure(int a)
{
    return a == ACT(SHARE_GRANTED) || a == ACT(SHARE_REVOKED) || a == ACT(DISCLOSURE_MADE) ||
           a == ACT(BUNDLE_EXPORTED) || a == ACT(REFERRAL_ACCEPTED) ||
           a == ACT(REQUEST_ANSWERED) || a == ACT(OUTSIDE_DISCLOSURE) ||
           a == ACT(CASE_TRANSFERRED);
}

/* When the share a share_granted event made ends (0: until revoked). */
static int64_t share_until(const struct scan *s, const Council__V1__AuditEvent *e)
{
    if (s->info == NULL || !e->has_subject_member || e->subject_member.len != COUNCIL_ID_BYTES)
        return 0;
    for (size_t i = 0; i < s->info->n_shares; i++) {
        const Council__V1__Share *sh = s->info->shares[i];
        if (sh->granted == e->time && sh->member_id.len == COUNCIL_ID_BYTES &&
            memcmp(sh->member_id.data, e->subject_member.data, COUNCIL_ID_BYTES) == 0 &&
            sh->has_expires)
            return sh->expires;
    }
    return 0;
}

static void event_json(const struct scan *s, council__buf *b, const Council__V1__AuditEvent *e,
                       const uint8_t leaf[COUNCIL_HASH_BYTES], bool disclosure)
{
    bool first = true;

    council__buf_text(b, "{");
    j_key(b, &first, "seq");
    j_uint(b, e->seq);
    j_key(b, &first, "time");
    j_int(b, e->time);
    j_key(b, &first, "action");
    j_enum(b, &council__v1__audit_action__descriptor, (int)e->action);
    j_key(b, &first, "outcome");
    j_enum(b, &council__v1__audit_outcome__descriptor, (int)e->outcome);
    j_key(b, &first, "actor_kind");
    j_enum(b, &council__v1__audit_actor_kind__descriptor, (int)e->actor_kind);
    if (e->has_actor_member) {
        j_key(b, &first, "member");
        j_bytes(b, e->actor_member.data, e->actor_member.len);
    }
    if (e->has_actor_staff) {
        j_key(b, &first, "staff");
        j_bytes(b, e->actor_staff.data, e->actor_staff.len);
    }
    if (e->has_subject_member) {
        j_key(b, &first, "recipient");
        j_bytes(b, e->subject_member.data, e->subject_member.len);
    }
    if (e->has_object_id) {
        j_key(b, &first, "object_id");
        j_bytes(b, e->object_id.data, e->object_id.len);
    }
    j_key(b, &first, "scopes");
    council__buf_text(b, "[");
    for (size_t i = 0; i < e->n_scopes; i++) {
        if (i > 0)
            council__buf_text(b, ",");
        j_str(b, e->scopes[i]);
    }
    council__buf_text(b, "]");
    if (e->purpose != NULL) {
        j_key(b, &first, "purpose");
        j_str(b, e->purpose);
    }
    if (e->basis != NULL) {
        j_key(b, &first, "basis");
        j_str(b, e->basis);
    }
    if (e->has_consent_id) {
        j_key(b, &first, "consent_id");
        j_bytes(b, e->consent_id.data, e->consent_id.len);
    }
    if (e->reason != NULL) {
        j_key(b, &first, "reason");
        j_str(b, e->reason);
    }
    if (disclosure && e->action == ACT(SHARE_GRANTED)) {
        int64_t until = share_until(s, e);
        if (until != 0) {
            j_key(b, &first, "until");
            j_int(b, until);
        }
    }
    j_key(b, &first, "leaf_hash");
    j_bytes(b, leaf, COUNCIL_HASH_BYTES);
    council__buf_text(b, "}");
}

static bool same_id(const ProtobufCBinaryData *d, const uint8_t id[COUNCIL_ID_BYTES])
{
    return d->len == COUNCIL_ID_BYTES && memcmp(d->data, id, COUNCIL_ID_BYTES) == 0;
}

static int scan_one(void *vctx, const Council__V1__AuditEvent *e, const uint8_t *body, size_t len,
                    const uint8_t leaf[COUNCIL_HASH_BYTES])
{
    struct scan *s = vctx;

    (void)body;
    (void)len;
    if (e->has_case_ref && e->case_ref.len == 32 &&
        sodium_memcmp(e->case_ref.data, s->ref, 32) == 0 &&
        (s->person == NULL || (e->has_object_id && same_id(&e->object_id, s->person)))) {
        int a = (int)e->action;
        if (is_read(a) && e->outcome == ALLOWED) {
            if (s->n_reads++ > 0)
                council__buf_text(&s->reads, ",");
            event_json(s, &s->reads, e, leaf, false);
        } else if (is_disclosure(a) && e->outcome == ALLOWED) {
            if (s->n_disclosures++ > 0)
                council__buf_text(&s->disclosures, ",");
            event_json(s, &s->disclosures, e, leaf, true);
        } else {
            if (s->n_others++ > 0)
                council__buf_text(&s->others, ",");
            event_json(s, &s->others, e, leaf, false);
        }
    }
    return COUNCIL_OK;
}

/* Who may produce a person's file: the secretariat as a named person. */
static int report_gate(council *c, const char *op, const council__case *k)
{
    if (council__is_root(c)) {
        council__event ev = { .action = ACT(PERSON_REPORT_PRODUCED),
                              .case_ref = k != NULL ? k->ref : NULL,
                              .reason = "root_session" };
        return council__refuse_event(c, false, &ev, COUNCIL_EDENIED, op,
                                     "a person's file is produced by a named person of the "
                                     "secretariat: open a staff session of the secretariat's "
                                     "member, not the council passphrase");
    }
    return council__secretariat_only(c, op);
}

static int pick_person(council *c, const char *op, const council_person_report_options *o,
                       const uint8_t case_id[COUNCIL_ID_BYTES], uint8_t person[COUNCIL_ID_BYTES],
                       bool *supported)
{
    council__case_person *all = NULL;
    size_t n = 0;
    int rc;
    bool found = false;

    if ((rc = council__case_persons(c, op, case_id, &all, &n)) != COUNCIL_OK)
        return rc;
    for (size_t i = 0; i < n && !found; i++) {
        if (o->person_id != NULL)
            found = sodium_memcmp(all[i].id, o->person_id, COUNCIL_ID_BYTES) == 0;
        else
            found = all[i].role == COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_SUPPORTED;
        if (found) {
            memcpy(person, all[i].id, COUNCIL_ID_BYTES);
            *supported = all[i].role == COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_SUPPORTED;
        }
    }
    council__free(all);
    if (!found)
        return council__fail(c, COUNCIL_ENOTFOUND, "%s: no such person in this case", op);
    return COUNCIL_OK;
}


/* A list call's serialised result unpacked with the wiping allocator. */
#define UNPACK(fn, buf) fn(council__pb_wiping_allocator(), (buf).len, (buf).ptr)

struct report {
    council *c;
    const char *op;
    const char *purpose;
    uint8_t case_id[COUNCIL_ID_BYTES], person[COUNCIL_ID_BYTES];
    bool erased; /* the case was erased: no person, section or consent is left */
    /* The person supported (or an erased case): the case's shares,
     * referrals, requests, meetings, tasks and its log's reads and
     * disclosures are about them. Another person of the case (a family
     * member) gets only what names them: the log does not say whose
     * section a read was of, and the case's work is the supported
     * person's, which a family member's file must not show. */
    bool supported;
    council__buf b;
    Council__V1__CaseInfo *info;
};

static int put_sections(struct report *r)
{
    bool any = false;

    j_key(&r->b, &(bool){ false }, "sections");
    council__buf_text(&r->b, "[");
    for (size_t i = 0; i < r->info->n_sections; i++) {
        const Council__V1__SectionInfo *si = r->info->sections[i];
        council_buf hb = { NULL, 0 };
        Council__V1__SectionHistory *h;
        bool first = true;
        int rc;

        if (!same_id(&si->person_id, r->person))
            continue; /* another person's section: never in this file */
        rc = council_section_history(r->c, &hb, r->case_id, COUNCIL_ID_BYTES, r->person,
                                     COUNCIL_ID_BYTES, si->scope, r->purpose);
        if (rc != COUNCIL_OK)
            return rc;
        h = UNPACK(council__v1__section_history__unpack, hb);
        council_buf_free(&hb);
        if (h == NULL)
            return council__fail(r->c, COUNCIL_ENOMEM, "%s: out of memory", r->op);
        if (any)
            council__buf_text(&r->b, ",");
        any = true;
        council__buf_text(&r->b, "{");
        j_key(&r->b, &first, "scope");
        j_str(&r->b, si->scope);
        j_key(&r->b, &first, "versions");
        council__buf_text(&r->b, "[");
        for (size_t v = 0; v < h->n_records; v++) {
            if (v > 0)
                council__buf_text(&r->b, ",");
            j_message(&r->b, &h->records[v]->base);
        }
        council__buf_text(&r->b, "]}");
        council__v1__section_history__free_unpacked(h, council__pb_wiping_allocator());
    }
    council__buf_text(&r->b, "]");
    return COUNCIL_OK;
}

static int put_consents(struct report *r)
{
    council_buf lb = { NULL, 0 };
    Council__V1__ConsentList *l;
    size_t k = 0;
    int rc;

    if (r->erased) {
        j_key(&r->b, &(bool){ false }, "consents");
        council__buf_text(&r->b, "[]");
        return COUNCIL_OK;
    }
    if ((rc = council_consent_list(r->c, &lb, r->case_id, COUNCIL_ID_BYTES)) != COUNCIL_OK)
        return rc;
    l = UNPACK(council__v1__consent_list__unpack, lb);
    council_buf_free(&lb);
    if (l == NULL)
        return council__fail(r->c, COUNCIL_ENOMEM, "%s: out of memory", r->op);
    j_key(&r->b, &(bool){ false }, "consents");
    council__buf_text(&r->b, "[");
    for (size_t i = 0; i < l->n_records; i++) {
        if (!same_id(&l->records[i]->subject_person, r->person))
            continue; /* another person's consent */
        if (k++ > 0)
            council__buf_text(&r->b, ",");
        j_message(&r->b, &l->records[i]->base);
    }
    council__buf_text(&r->b, "]");
    council__v1__consent_list__free_unpacked(l, council__pb_wiping_allocator());
    return COUNCIL_OK;
}

static int put_list(struct report *r, const char *key, int rc, council_buf *lb,
                    const ProtobufCMessageDescriptor *d)
{
    ProtobufCMessage *m;

    if (rc != COUNCIL_OK)
        return rc;
    if (!r->supported) { /* the case's work is the person supported's */
        council_buf_free(lb);
        j_key(&r->b, &(bool){ false }, key);
        council__buf_text(&r->b, "[]");
        return COUNCIL_OK;
    }
    m = protobuf_c_message_unpack(d, council__pb_wiping_allocator(), lb->len, lb->ptr);
    council_buf_free(lb);
    if (m == NULL)
        return council__fail(r->c, COUNCIL_ENOMEM, "%s: out of memory", r->op);
    j_key(&r->b, &(bool){ false }, key);
    /* the list message's only repeated field, as an array */
    {
        const ProtobufCFieldDescriptor *f = &d->fields[0];
        size_t n = *(const size_t *)((const char *)m + f->quantifier_offset);
        ProtobufCMessage *const *arr = *(ProtobufCMessage *const *const *)((const char *)m +
                                                                          f->offset);
        council__buf_text(&r->b, "[");
        for (size_t i = 0; i < n; i++) {
            if (i > 0)
                council__buf_text(&r->b, ",");
            j_message(&r->b, arr[i]);
        }
        council__buf_text(&r->b, "]");
    }
    protobuf_c_message_free_unpacked(m, council__pb_wiping_allocator());
    return COUNCIL_OK;
}

/* The meetings with the case on their agenda, each checked against the
 * secretariat's signatures (ETAMPER, logged), with this case's items only
 * (never another case's on the same agenda). */
static int put_meetings(struct report *r)
{
    uint8_t (*ids)[COUNCIL_ID_BYTES] = NULL;
    size_t n = 0, shown = 0;
    int rc;

    if (r->supported &&
        (rc = council__meeting_ids_of_case(r->c, r->op, r->case_id, &ids, &n)) != COUNCIL_OK)
        return rc;
    j_key(&r->b, &(bool){ false }, "meetings");
    council__buf_text(&r->b, "[");
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        Council__V1__Meeting *m = NULL;
        council__mtg mt;
        bool first = true, any = false;

        if ((rc = council__meeting_load(r->c, r->op, ids[i], &mt)) != COUNCIL_OK ||
            (rc = council__meeting_check(r->c, r->op, ids[i], NULL)) != COUNCIL_OK ||
            (rc = council__meeting_build(r->c, r->op, &mt, NULL, &m)) != COUNCIL_OK)
            break;
        if (shown++ > 0)
            council__buf_text(&r->b, ",");
        council__buf_text(&r->b, "{");
        j_key(&r->b, &first, "id");
        j_bytes(&r->b, m->id.data, m->id.len);
        j_key(&r->b, &first, "body");
        j_enum(&r->b, &council__v1__meeting_body__descriptor, (int)m->body);
        j_key(&r->b, &first, "starts");
        j_int(&r->b, m->starts);
        j_key(&r->b, &first, "ends");
        j_int(&r->b, m->ends);
        if (m->has_closed) {
            j_key(&r->b, &first, "closed");
            j_int(&r->b, m->closed);
        }
        j_key(&r->b, &first, "items");
        council__buf_text(&r->b, "[");
        for (size_t k = 0; k < m->n_items; k++) {
            if (!same_id(&m->items[k]->case_id, r->case_id))
                continue; /* another case on the same agenda */
            if (any)
                council__buf_text(&r->b, ",");
            any = true;
            j_message(&r->b, &m->items[k]->base);
        }
        council__buf_text(&r->b, "]}");
        council__v1__meeting__free_unpacked(m, council__pb_allocator());
    }
    council__buf_text(&r->b, "]");
    council__free(ids);
    return rc;
}

static void put_case(struct report *r, const uint8_t ref[32])
{
    const Council__V1__CaseInfo *m = r->info;
    bool first = true;

    j_key(&r->b, &(bool){ false }, "case");
    council__buf_text(&r->b, "{");
    j_key(&r->b, &first, "id");
    j_bytes(&r->b, m->id.data, m->id.len);
    j_key(&r->b, &first, "pseudonym");
    j_bytes(&r->b, ref, 32);
    j_key(&r->b, &first, "status");
    j_enum(&r->b, &council__v1__case_status__descriptor, (int)m->status);
    j_key(&r->b, &first, "body");
    j_enum(&r->b, &council__v1__case_body__descriptor, (int)m->body);
    j_key(&r->b, &first, "owner_member");
    j_bytes(&r->b, m->owner_member.data, m->owner_member.len);
    j_key(&r->b, &first, "created");
    j_int(&r->b, m->created);
    j_key(&r->b, &first, "updated");
    j_int(&r->b, m->updated);
    if (m->has_erased) {
        j_key(&r->b, &first, "erased");
        j_int(&r->b, m->erased);
    }
    j_key(&r->b, &first, "shares");
    council__buf_text(&r->b, "[");
    for (size_t i = 0; r->supported && i < m->n_shares; i++) {
        if (i > 0)
            council__buf_text(&r->b, ",");
        j_message(&r->b, &m->shares[i]->base);
    }
    council__buf_text(&r->b, "]}");
    j_key(&r->b, &(bool){ false }, "person");
    for (size_t i = 0; i < m->n_persons; i++)
        if (same_id(&m->persons[i]->id, r->person)) {
            j_message(&r->b, &m->persons[i]->base);
            return;
        }
    council__buf_text(&r->b, "null"); /* not in the case's metadata (erased) */
}

static int put_council(struct report *r, uint64_t report_seq)
{
    council_buf ib = { NULL, 0 };
    Council__V1__CouncilInfo *ci;
    bool first = true;
    int rc;

    if ((rc = council_info(r->c, &ib)) != COUNCIL_OK)
        return rc;
    ci = UNPACK(council__v1__council_info__unpack, ib);
    council_buf_free(&ib);
    if (ci == NULL)
        return council__fail(r->c, COUNCIL_ENOMEM, "%s: out of memory", r->op);
    council__buf_text(&r->b, "{\"format\":\"council.person_report.v1\",\"council\":{");
    j_key(&r->b, &first, "id");
    j_bytes(&r->b, ci->council_id.data, ci->council_id.len);
    j_key(&r->b, &first, "name");
    j_str(&r->b, ci->name);
    j_key(&r->b, &first, "log_verifier_key");
    j_str(&r->b, ci->log_verifier_key);
    council__buf_text(&r->b, "},\"produced\":{");
    first = true;
    j_key(&r->b, &first, "time");
    j_int(&r->b, (int64_t)time(NULL));
    j_key(&r->b, &first, "member");
    j_bytes(&r->b, r->c->actor_member, COUNCIL_ID_BYTES);
    j_key(&r->b, &first, "staff");
    j_bytes(&r->b, r->c->actor_staff, COUNCIL_ID_BYTES);
    j_key(&r->b, &first, "purpose");
    j_str(&r->b, r->purpose);
    j_key(&r->b, &first, "event_seq");
    j_uint(&r->b, report_seq);
    council__buf_text(&r->b, "}");
    council__v1__council_info__free_unpacked(ci, council__pb_wiping_allocator());
    return COUNCIL_OK;
}

static int put_log(struct report *r, const uint8_t ref[32])
{
    struct scan s;
    uint64_t size = 0;
    int rc;

    memset(&s, 0, sizeof s);
    s.ref = ref;
    s.person = r->supported ? NULL : r->person;
    s.info = r->info;
    if ((rc = council__audit_size(r->c, &size)) != COUNCIL_OK)
        return council__fail(r->c, rc, "%s: cannot read the log", r->op);
    rc = council__log_walk_checked(r->c, r->op, size, scan_one, &s);
    if (rc == COUNCIL_OK && (s.reads.failed || s.disclosures.failed || s.others.failed))
        rc = council__fail(r->c, COUNCIL_ENOMEM, "%s: out of memory", r->op);
    if (rc == COUNCIL_OK) {
        council__buf_text(&r->b, ",\"disclosures\":[");
        council__buf_put(&r->b, s.disclosures.p, s.disclosures.len);
        council__buf_text(&r->b, "],\"reads\":[");
        council__buf_put(&r->b, s.reads.p, s.reads.len);
        council__buf_text(&r->b, "],\"other_events\":[");
        council__buf_put(&r->b, s.others.p, s.others.len);
        council__buf_text(&r->b, "],\"log\":{\"tree_size\":");
        j_uint(&r->b, size);
        council__buf_text(&r->b, ",\"scan\":\"every_event_body\",\"events\":");
        council__buf_text(&r->b, r->supported ? "\"of_the_case\"}" : "\"naming_this_person\"}");
    }
    council__buf_free(&s.reads);
    council__buf_free(&s.disclosures);
    council__buf_free(&s.others);
    return rc;
}

int council_person_report(council *c, council_buf *out, const council_person_report_options *o)
{
    static const char op[] = "person_report";
    struct report r;
    council__case k;
    council_buf gb = { NULL, 0 };
    uint64_t report_seq = 0;
    int rc;

    if (out != NULL) {
        out->ptr = NULL;
        out->len = 0;
    }
    if (!council__ok(c) || out == NULL || o == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: bad arguments", op);
    if (o->version != COUNCIL_PERSON_REPORT_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: unknown options version", op);
    if (o->format != 0 && o->format != COUNCIL_PERSON_REPORT_JSON)
        return council__fail(c, COUNCIL_EINVAL, "%s: unknown format", op);
    if ((rc = council__no_batch(c, op)) != COUNCIL_OK ||
        (rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    memset(&r, 0, sizeof r);
    r.c = c;
    r.op = op;
    r.purpose = o->purpose != NULL ? o->purpose : REPORT_PURPOSE;
    /* a read's purpose (section.c's rule), checked before anything is logged */
    if (strcmp(r.purpose, REPORT_PURPOSE) != 0 &&
        (council__purpose_parse(r.purpose) <= 0 || strcmp(r.purpose, "other") == 0))
        return council__fail(c, COUNCIL_EINVAL, "%s: the purpose is disclosure_request or a read's "
                             "purpose code", op);
    if (o->person_id != NULL && o->person_id_len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are 16 bytes", op);
    if ((rc = council__id_arg(c, op, o->case_id, o->case_id_len)) != COUNCIL_OK)
        return rc;
    memcpy(r.case_id, o->case_id, COUNCIL_ID_BYTES);
    rc = council__case_load(c, op, r.case_id, &k);
    if (rc != COUNCIL_OK && rc != COUNCIL_ENOTFOUND)
        return rc;
    {
        int g = report_gate(c, op, rc == COUNCIL_OK ? &k : NULL);
        if (g != COUNCIL_OK)
            return g;
    }
    if (rc == COUNCIL_ENOTFOUND)
        return council__fail(c, rc, "%s: no such case", op);
    /* An erased case has no persons left: its file is its record and its log. */
    r.erased = k.erased != 0;
    r.supported = true;
    if (!r.erased && (rc = pick_person(c, op, o, r.case_id, r.person, &r.supported)) != COUNCIL_OK)
        return rc;
    /* Log first: the file is produced only once its event is durable. */
    {
        council__event ev = { .action = ACT(PERSON_REPORT_PRODUCED), .case_ref = k.ref,
                              .object_id = r.erased ? NULL : r.person, .purpose = r.purpose,
                              .outcome = ALLOWED };
        council__event_actor(c, &ev);
        if ((rc = council__audit_size(c, &report_seq)) != COUNCIL_OK ||
            (rc = council__audit_append(c, &ev)) != COUNCIL_OK)
            return rc;
    }
    if ((rc = council_case_get(c, &gb, r.case_id, COUNCIL_ID_BYTES)) != COUNCIL_OK)
        return rc;
    r.info = UNPACK(council__v1__case_info__unpack, gb);
    council_buf_free(&gb);
    if (r.info == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    {
        council_referral_filter rf = COUNCIL_REFERRAL_FILTER_INIT;
        council_request_filter qf = COUNCIL_REQUEST_FILTER_INIT;
        council_task_filter tf = COUNCIL_TASK_FILTER_INIT;
        council_buf lb = { NULL, 0 };

        rf.case_id = qf.case_id = tf.case_id = r.case_id;
        rf.case_id_len = qf.case_id_len = tf.case_id_len = COUNCIL_ID_BYTES;
        if ((rc = put_council(&r, report_seq)) == COUNCIL_OK) {
            put_case(&r, k.ref);
            rc = put_sections(&r);
        }
        if (rc == COUNCIL_OK)
            rc = put_consents(&r);
        if (rc == COUNCIL_OK)
            rc = put_list(&r, "referrals", council_referral_list(c, &lb, &rf), &lb,
                          &council__v1__referral_list__descriptor);
        if (rc == COUNCIL_OK)
            rc = put_list(&r, "requests", council_request_list(c, &lb, &qf), &lb,
                          &council__v1__cooperation_request_list__descriptor);
        if (rc == COUNCIL_OK)
            rc = put_meetings(&r);
        if (rc == COUNCIL_OK)
            rc = put_list(&r, "tasks", council_task_list(c, &lb, &tf), &lb,
                          &council__v1__support_task_list__descriptor);
        if (rc == COUNCIL_OK)
            rc = put_log(&r, k.ref);
        if (rc == COUNCIL_OK)
            council__buf_text(&r.b, "}\n");
        council_buf_free(&lb);
    }
    council__v1__case_info__free_unpacked(r.info, council__pb_wiping_allocator());
    if (rc != COUNCIL_OK) {
        council__buf_free(&r.b);
        return rc;
    }
    if ((rc = council__buf_out(c, op, &r.b, out)) != COUNCIL_OK)
        return rc;
    council__clear(c);
    return COUNCIL_OK;
}
