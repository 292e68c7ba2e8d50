/*
 * intake.c - intake: a person handed over to the council from outside it
 * (a hotline, a chat operator, a school, a utility): who referred, the
 * person as known (possibly unnamed), what they consented to, and the
 * situation. Imported as a new case or attached to a found person, with
 * the consent recorded in the consent ledger. Tables: none (the case,
 * section and consent calls write theirs).
 *
 * Who owns a new case: the member the caller names; else a staff session's
 * own member (the intake desk of the secretariat or the coordinating
 * body); else, for the council passphrase's session, the active
 * coordinating body (else the secretariat; else, for an intake bundle, the
 * member that sent it): the body that coordinates the person's support
 * until it transfers the case (council_case_transfer).
 *
 * The JSON form (doc/intake-form.md) is parsed with jansson after its size
 * is checked; every key is known, every value typed, then every field is
 * checked as an IntakeBundle's.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>
#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/bundle.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/consent.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "text.h"
#include "event.h"
#include "log.h"
#include "session.h"
#include "share_db.h"
#include "member_db.h"
#include "case_db.h"
#include "intake.h"

#define ACT_INTAKE COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_INTAKE_RECEIVED
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED

static const char *const channels[] = { "phone", "sns", "chat", "visit", "letter", "other" };
static const char *const methods[] = { "written", "oral", "electronic" }; /* ConsentMethod 1..3 */

size_t council_intake_json_max(void)
{
    return COUNCIL_INTAKE_JSON_MAX;
}

static int one_of(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, set[i]) == 0)
            return (int)i;
    return -1;
}

/* Text of 1..max bytes, UTF-8, no control characters but (lines) newlines
 * and tabs. */
static bool text_field(const char *s, size_t max, bool lines)
{
    size_t n;
    char *t;
    bool ok;

    if (s == NULL || (n = strlen(s)) == 0 || n > max)
        return false;
    if (!lines)
        return council__text_ok(s, n);
    if ((t = council__malloc(n + 1)) == NULL)
        return false;
    memcpy(t, s, n + 1);
    for (size_t i = 0; i < n; i++)
        if (t[i] == '\n' || t[i] == '\t')
            t[i] = ' ';
    ok = council__text_ok(t, n);
    sodium_memzero(t, n);
    council__free(t);
    return ok;
}

static int bad(council *c, const char *op, const char *field)
{
    return council__fail(c, COUNCIL_EINVAL, "%s: the intake's %s is missing or malformed (see "
                         "doc/intake-form.md)", op, field);
}

/* Every field of an intake, before anything is looked up. */
static int check(council *c, const char *op, const Council__V1__IntakeBundle *ib)
{
    int64_t now = (int64_t)time(NULL);

    if (!text_field(ib->referrer_org, COUNCIL__INTAKE_FIELD_MAX, false))
        return bad(c, op, "referrer organisation");
    if (ib->contact_channel == NULL || one_of(ib->contact_channel, channels, 6) < 0)
        return bad(c, op, "contact channel (phone, sns, chat, visit, letter or other)");
    if (ib->referrer_contact != NULL && !text_field(ib->referrer_contact, COUNCIL__INTAKE_FIELD_MAX, false))
        return bad(c, op, "referrer contact");
    if (ib->person_name != NULL && !text_field(ib->person_name, COUNCIL__INTAKE_FIELD_MAX, false))
        return bad(c, op, "person's name");
    if (ib->person_birth_date != NULL && !council__date_ok(ib->person_birth_date))
        return bad(c, op, "person's birth date (YYYY-MM-DD)");
    if (ib->person_contact != NULL && !text_field(ib->person_contact, COUNCIL__INTAKE_FIELD_MAX, false))
        return bad(c, op, "person's contact");
    if (ib->has_person_id != ib->has_case_id)
        return bad(c, op, "person and case ids (both or neither)");
    if ((ib->has_person_id && ib->person_id.len != COUNCIL_ID_BYTES) ||
        (ib->has_case_id && ib->case_id.len != COUNCIL_ID_BYTES))
        return bad(c, op, "person or case id (16 bytes)");
    if (!text_field(ib->situation, COUNCIL__INTAKE_SITUATION_MAX, true))
        return bad(c, op, "situation");
    if (ib->n_consented_scopes > COUNCIL__INTAKE_LIST_MAX ||
        ib->n_consented_recipients > COUNCIL__INTAKE_LIST_MAX)
        return bad(c, op, "consent (at most 32 scopes and 32 recipients)");
    for (size_t i = 0; i < ib->n_consented_scopes; i++)
        if (ib->consented_scopes[i] == NULL || !council__audit_code_ok(ib->consented_scopes[i]))
            return bad(c, op, "consented scope");
    for (size_t i = 0; i < ib->n_consented_recipients; i++)
        if (ib->consented_recipients[i].len != COUNCIL_ID_BYTES)
            return bad(c, op, "consent recipient (16 bytes)");
    if (ib->consent_purpose != NULL && !council__audit_code_ok(ib->consent_purpose))
        return bad(c, op, "consent purpose");
    if (ib->has_consented_at && (ib->consented_at <= 0 || ib->consented_at > now + 300))
        return bad(c, op, "consent time (not in the future)");
    if (ib->consent_method != NULL && one_of(ib->consent_method, methods, 3) < 0)
        return bad(c, op, "consent method (written, oral or electronic)");
    if (ib->n_consented_scopes > 0 && ib->consent_method == NULL)
        return bad(c, op, "consent method (required with consented scopes)");
    if (ib->n_consented_scopes == 0 &&
        (ib->consent_method != NULL || ib->consent_purpose != NULL || ib->has_consented_at ||
         ib->n_consented_recipients > 0))
        return bad(c, op, "consent (a method, purpose, time or recipient without scopes)");
    return COUNCIL_OK;
}

/* The member a new case goes to when the caller names none (root): the
 * active coordinating body, else the secretariat, else fallback (an
 * intake bundle's sender). */
static int default_owner(council *c, const char *op, uint8_t owner[COUNCIL_ID_BYTES],
                         const uint8_t *fallback)
{
    council__member_pk *m = NULL;
    size_t n = 0;
    int rc = council__member_pks(c, op, &m, &n), pick = -1;

    if (rc != COUNCIL_OK)
        return rc;
    for (size_t i = 0; i < n && pick < 0; i++)
        if (m[i].roles & COUNCIL_ROLE_COORDINATING_BODY)
            pick = (int)i;
    for (size_t i = 0; i < n && pick < 0; i++)
        if (m[i].roles & COUNCIL_ROLE_SECRETARIAT)
            pick = (int)i;
    if (pick >= 0)
        memcpy(owner, m[pick].id, COUNCIL_ID_BYTES);
    else if (fallback != NULL)
        memcpy(owner, fallback, COUNCIL_ID_BYTES);
    council__free(m);
    if (pick < 0 && fallback == NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: no coordinating body or secretariat with keys: "
                             "name the new case's owner", op);
    return COUNCIL_OK;
}

/* Does the identity section of (cid, pid) say this name and birth date? A
 * read the log records (the council's own lookup). */
static bool identity_is(council *c, const uint8_t *cid, const uint8_t *pid, const char *name,
                        const char *birth)
{
    council_buf out = { NULL, 0 };
    Council__V1__SectionRecord *r;
    bool same = false;

    if (council_section_read(c, &out, cid, COUNCIL_ID_BYTES, pid, COUNCIL_ID_BYTES, "identity",
                             "support_coordination") != COUNCIL_OK)
        return false;
    r = council__v1__section_record__unpack(council__pb_wiping_allocator(), out.len, out.ptr);
    council_buf_free(&out);
    if (r == NULL)
        return false;
    same = r->section != NULL && r->section->identity != NULL && r->section->identity->name != NULL &&
           strcmp(r->section->identity->name, name) == 0 &&
           r->section->identity->birth_date != NULL &&
           strcmp(r->section->identity->birth_date, birth) == 0;
    council__v1__section_record__free_unpacked(r, council__pb_wiping_allocator());
    return same;
}

/* A unique confirmed match of name and birth date: *found. */
static int find_person(council *c, const char *op, const Council__V1__IntakeBundle *ib, bool *found,
                       uint8_t cid[COUNCIL_ID_BYTES], uint8_t pid[COUNCIL_ID_BYTES])
{
    council_buf out = { NULL, 0 };
    Council__V1__CaseMatches *m;
    size_t hits = 0;
    int rc;

    *found = false;
    if (ib->person_name == NULL || ib->person_birth_date == NULL)
        return COUNCIL_OK;
    if ((rc = council_case_find(c, &out, ib->person_name, ib->person_birth_date)) != COUNCIL_OK)
        return rc;
    m = council__v1__case_matches__unpack(council__pb_allocator(), out.len, out.ptr);
    council_buf_free(&out);
    if (m == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    for (size_t i = 0; i < m->n_matches && hits < 2; i++) {
        const Council__V1__CaseMatch *x = m->matches[i];
        if (!x->name_matches || !x->birth_date_matches || x->case_id.len != COUNCIL_ID_BYTES ||
            x->person_id.len != COUNCIL_ID_BYTES)
            continue;
        if (!identity_is(c, x->case_id.data, x->person_id.data, ib->person_name,
                         ib->person_birth_date))
            continue;
        if (hits++ == 0) {
            memcpy(cid, x->case_id.data, COUNCIL_ID_BYTES);
            memcpy(pid, x->person_id.data, COUNCIL_ID_BYTES);
        }
    }
    council__v1__case_matches__free_unpacked(m, council__pb_allocator());
    *found = hits == 1;
    return COUNCIL_OK;
}

static int write_section(council *c, const uint8_t *cid, const uint8_t *pid, const char *scope,
                         const Council__V1__Section *s)
{
    size_t n = council__v1__section__get_packed_size(s);
    uint8_t *b = council__malloc(n ? n : 1);
    uint32_t v = 0;
    int rc;

    if (b == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "intake: out of memory");
    council__v1__section__pack(s, b);
    rc = council_section_write(c, &v, cid, COUNCIL_ID_BYTES, pid, COUNCIL_ID_BYTES, scope, b, n);
    sodium_memzero(b, n);
    council__free(b);
    return rc;
}

/* The intake section's text: the referrer, the channel, the contacts and
 * the situation. */
/* The intake section's text. with_person: the name and birth date too (a
 * case kept out of the name index: the person is known in another case). */
static char *intake_text(const Council__V1__IntakeBundle *ib, bool with_person, size_t *len)
{
    size_t cap = strlen(ib->referrer_org) + strlen(ib->situation) + 5 * COUNCIL__INTAKE_FIELD_MAX + 160;
    char *t = council__malloc(cap);
    int n, m = 0;

    if (t == NULL)
        return NULL;
    if (with_person && ib->person_name != NULL)
        m = snprintf(t, cap, "person: %s%s%s\n", ib->person_name,
                     ib->person_birth_date != NULL ? ", born " : "",
                     ib->person_birth_date != NULL ? ib->person_birth_date : "");
    if (m < 0 || (size_t)m >= cap) {
        council__free(t);
        return NULL;
    }
    n = snprintf(t + m, cap - (size_t)m, "intake\nreferrer: %s\nchannel: %s\n%s%s%s%s%s%s\n%s",
                 ib->referrer_org, ib->contact_channel, ib->referrer_contact ? "referrer contact: " : "",
                 ib->referrer_contact ? ib->referrer_contact : "", ib->referrer_contact ? "\n" : "",
                 ib->person_contact ? "person contact: " : "",
                 ib->person_contact ? ib->person_contact : "", ib->person_contact ? "\n" : "",
                 ib->situation);
    if (n < 0 || (size_t)n >= cap - (size_t)m) {
        council__free(t);
        return NULL;
    }
    *len = (size_t)n + (size_t)m;
    return t;
}

static int record_consent(council *c, const Council__V1__IntakeBundle *ib, const uint8_t *cid,
                          const uint8_t *pid, const uint8_t owner[COUNCIL_ID_BYTES],
                          uint8_t consent[COUNCIL_ID_BYTES])
{
    council_consent_options o = COUNCIL_CONSENT_OPTIONS_INIT;
    uint8_t recips[COUNCIL__INTAKE_LIST_MAX * COUNCIL_ID_BYTES];
    const char *purpose[1];
    size_t nr = ib->n_consented_recipients;

    for (size_t i = 0; i < nr; i++)
        memcpy(recips + i * COUNCIL_ID_BYTES, ib->consented_recipients[i].data, COUNCIL_ID_BYTES);
    if (nr == 0) {
        memcpy(recips, owner, COUNCIL_ID_BYTES);
        nr = 1;
    }
    purpose[0] = ib->consent_purpose != NULL ? ib->consent_purpose : "support_coordination";
    o.case_id = cid;
    o.case_id_len = COUNCIL_ID_BYTES;
    o.subject_person = pid;
    o.subject_person_len = COUNCIL_ID_BYTES;
    o.recipient_members = recips;
    o.n_recipient_members = nr;
    o.scopes = (const char *const *)ib->consented_scopes;
    o.n_scopes = ib->n_consented_scopes;
    o.purposes = purpose;
    o.n_purposes = 1;
    o.valid_from = ib->has_consented_at ? ib->consented_at : 0;
    o.method = one_of(ib->consent_method, methods, 3) + 1;
    return council_consent_record(c, consent, COUNCIL_ID_BYTES, &o);
}

static int log_intake(council *c, const char *op, const uint8_t *cid, const uint8_t *owner,
                      const uint8_t *consent, const uint8_t *bundle_hash, const char *reason)
{
    council__case k;
    council__event ev;
    int rc = council__case_load(c, op, cid, &k);

    if (rc != COUNCIL_OK)
        return rc;
    memset(&ev, 0, sizeof ev);
    ev.action = ACT_INTAKE;
    ev.object_id = cid;
    ev.case_ref = k.ref;
    ev.subject_member = owner;
    ev.consent_id = consent;
    ev.bundle_hash = bundle_hash;
    ev.outcome = ALLOWED;
    ev.reason = reason;
    council__event_actor(c, &ev);
    return council__audit_append(c, &ev);
}

int council__intake_apply(council *c, const char *op, const Council__V1__IntakeBundle *ib,
                          const council_intake_options *o, const uint8_t *bundle_hash,
                          const uint8_t *fallback_owner, council__import_result *res)
{
    uint8_t cid[COUNCIL_ID_BYTES], pid[COUNCIL_ID_BYTES], owner[COUNCIL_ID_BYTES];
    uint8_t consent[COUNCIL_ID_BYTES] = { 0 };
    bool found = false, known_elsewhere = false;
    char *text = NULL;
    size_t text_len = 0;
    int rc;

    memset(res, 0, sizeof *res);
    if (o != NULL && (o->version != COUNCIL_INTAKE_OPTIONS_VERSION ||
                      (o->owner != NULL && o->owner_len != COUNCIL_ID_BYTES)))
        return council__fail(c, COUNCIL_EMISUSE, "%s: options of unknown version or a bad owner", op);
    if ((rc = check(c, op, ib)) != COUNCIL_OK)
        return rc;
    if (!council__is_coordinator(c)) {
        council__event ev;
        memset(&ev, 0, sizeof ev);
        ev.action = ACT_INTAKE;
        ev.bundle_hash = bundle_hash;
        ev.reason = "not_intake_desk";
        return council__refuse_event(c, false, &ev, COUNCIL_EDENIED, op, "only the secretariat or the "
                                     "coordinating body takes an intake");
    }
    if (ib->has_case_id) {
        council__case k;
        memcpy(cid, ib->case_id.data, COUNCIL_ID_BYTES);
        memcpy(pid, ib->person_id.data, COUNCIL_ID_BYTES);
        if ((rc = council__case_load(c, op, cid, &k)) != COUNCIL_OK)
            return rc;
        memcpy(owner, k.owner, COUNCIL_ID_BYTES);
        found = true;
    } else if ((rc = find_person(c, op, ib, &found, cid, pid)) != COUNCIL_OK) {
        return rc;
    } else if (found && (rc = council__case_owner(c, op, cid, owner)) != COUNCIL_OK) {
        return rc;
    } else if (found && bundle_hash != NULL && fallback_owner != NULL) {
        /* By a member's bundle, a person found by name and birth date is
         * attached only to a case the sender may write (it owns it or holds
         * a share of its situation), as when it names the case: otherwise
         * any member that knows a name and a birth date would write into
         * another member's case. The person gets a new case instead; the
         * result says the person is known (case merge is the desk's). */
        bool may = sodium_memcmp(owner, fallback_owner, COUNCIL_ID_BYTES) == 0;
        if (!may &&
            (rc = council__share_active(c, op, cid, fallback_owner, "situation", &may)) != COUNCIL_OK)
            return rc;
        if (!may) {
            found = false;
            known_elsewhere = true;
        }
    }
    if (!found) {
        if (o != NULL && o->owner != NULL)
            memcpy(owner, o->owner, COUNCIL_ID_BYTES);
        else if (council__is_root(c))
            rc = default_owner(c, op, owner, fallback_owner);
        else
            memcpy(owner, c->actor_member, COUNCIL_ID_BYTES);
        if (rc != COUNCIL_OK)
            return rc;
    }
    if ((text = intake_text(ib, known_elsewhere, &text_len)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    if ((rc = council__op_batch_begin(c, op)) != COUNCIL_OK)
        goto out;
    if (!found) {
        council_case_options co = COUNCIL_CASE_OPTIONS_INIT;
        co.owner = council__is_root(c) || (o != NULL && o->owner != NULL) ? owner : NULL;
        co.owner_len = co.owner != NULL ? COUNCIL_ID_BYTES : 0;
        /* A person known in another case gets a case outside the name index
         * (its name in the intake text): a second indexed identity would
         * make every later lookup of the person ambiguous. */
        co.anonymous = ib->person_name == NULL || known_elsewhere;
        rc = council_case_create(c, cid, sizeof cid, pid, sizeof pid, &co);
        if (rc == COUNCIL_OK && ib->person_name != NULL && !known_elsewhere) {
            Council__V1__Section s = COUNCIL__V1__SECTION__INIT;
            Council__V1__Identity id = COUNCIL__V1__IDENTITY__INIT;
            id.name = ib->person_name;
            id.birth_date = ib->person_birth_date;
            id.phone = ib->person_contact;
            s.identity = &id;
            rc = write_section(c, cid, pid, "identity", &s);
        }
    }
    if (rc == COUNCIL_OK) {
        Council__V1__Section s = COUNCIL__V1__SECTION__INIT;
        s.text = text;
        rc = write_section(c, cid, pid, "situation", &s);
    }
    if (rc == COUNCIL_OK && ib->n_consented_scopes > 0 &&
        (rc = record_consent(c, ib, cid, pid, owner, consent)) == COUNCIL_OK)
        res->has_consent = true;
    if (rc == COUNCIL_OK)
        rc = log_intake(c, op, cid, owner, res->has_consent ? consent : NULL, bundle_hash,
                        found ? "found_person" : known_elsewhere ? "new_case_person_known"
                                                                 : "new_case");
    rc = council__op_batch_end(c, op, rc);
    if (rc == COUNCIL_OK) {
        memcpy(res->case_id, cid, COUNCIL_ID_BYTES);
        memcpy(res->person_id, pid, COUNCIL_ID_BYTES);
        memcpy(res->object_id, cid, COUNCIL_ID_BYTES);
        memcpy(res->consent_id, consent, COUNCIL_ID_BYTES);
        res->has_case = res->has_person = res->has_object = true;
        res->outcome = found ? "found_person" : known_elsewhere ? "new_case_person_known"
                                                                : "new_case";
    } else {
        res->has_consent = false;
    }
out:
    sodium_memzero(text, text_len);
    council__free(text);
    return rc;
}

/* ------------------------------------------------------------ the result */

/* res and the input's hash, type, sender into r (pointing into them). */
static void result_fill(Council__V1__BundleImportResult *r, const council__import_result *res,
                        const uint8_t hash[32], int type, int sender_kind,
                        const uint8_t *sender_id, int64_t created, int64_t expires)
{
    Council__V1__BundleImportResult init = COUNCIL__V1__BUNDLE_IMPORT_RESULT__INIT;

    *r = init;
    r->hash.data = (uint8_t *)(uintptr_t)hash;
    r->hash.len = 32;
    r->type = (Council__V1__BundleType)type;
    r->sender_kind = (Council__V1__BundlePartyKind)sender_kind;
    r->sender_id.data = (uint8_t *)(uintptr_t)sender_id;
    r->sender_id.len = sender_id != NULL ? COUNCIL_ID_BYTES : 0;
    r->created = created;
    r->expires = expires;
#define OPT_ID(f, has)                                                                     \
    if (res->has) {                                                                        \
        r->has_##f = 1;                                                                    \
        r->f.data = (uint8_t *)(uintptr_t)res->f;                                          \
        r->f.len = COUNCIL_ID_BYTES;                                                       \
    }
    OPT_ID(case_id, has_case)
    OPT_ID(person_id, has_person)
    OPT_ID(consent_id, has_consent)
    OPT_ID(object_id, has_object)
#undef OPT_ID
    r->outcome = (char *)(uintptr_t)res->outcome;
}

int council__import_result_pack(council *c, const char *op, council_buf *out,
                                const council__import_result *res, const uint8_t hash[32],
                                int type, int sender_kind, const uint8_t *sender_id,
                                int64_t created, int64_t expires)
{
    Council__V1__BundleImportResult r;
    size_t n;

    result_fill(&r, res, hash, type, sender_kind, sender_id, created, expires);
    n = council__v1__bundle_import_result__get_packed_size(&r);
    if ((out->ptr = council__malloc(n ? n : 1)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    out->len = council__v1__bundle_import_result__pack(&r, out->ptr);
    return COUNCIL_OK;
}

/* ------------------------------------------------------------ public */

int council__import_begin(council *c, const char *op, council_buf *out, const void *in)
{
    int rc;

    if (!council__ok(c))
        return COUNCIL_EMISUSE;
    if (out == NULL || in == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL argument", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    return COUNCIL_OK;
}

/* The intake applied and its result packed into *out. The result's buffer
 * is taken before the intake commits, at the size of the largest result
 * (every id, the longest outcome): once committed, nothing can fail, and an
 * error leaves neither the intake nor a buffer. */
static int finish_import(council *c, const char *op, council_buf *out, const uint8_t *in, size_t len,
                         const Council__V1__IntakeBundle *ib, const council_intake_options *o)
{
    static const int type = COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_INTAKE;
    static const int kind = COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_UNKNOWN;
    council__import_result res, most;
    Council__V1__BundleImportResult r;
    uint8_t hash[32];
    int64_t now = (int64_t)time(NULL);
    size_t cap, n;
    uint8_t *buf;
    int rc;

    crypto_hash_sha256(hash, in, len);
    memset(&most, 0, sizeof most);
    most.has_case = most.has_person = most.has_consent = most.has_object = true;
    most.outcome = "new_case_person_known"; /* the longest of intake_apply's */
    result_fill(&r, &most, hash, type, kind, NULL, now, 0);
    cap = council__v1__bundle_import_result__get_packed_size(&r);
    if ((buf = council__malloc(cap)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    if ((rc = council__intake_apply(c, op, ib, o, NULL, NULL, &res)) != COUNCIL_OK) {
        council__free(buf);
        return rc;
    }
    result_fill(&r, &res, hash, type, kind, NULL, now, 0);
    n = council__v1__bundle_import_result__get_packed_size(&r);
    if (n > cap) { /* cannot happen: every field is in the largest */
        council__free(buf);
        return council__fail(c, COUNCIL_ERROR, "%s: the intake was applied, its result is larger "
                             "than foreseen", op);
    }
    out->len = council__v1__bundle_import_result__pack(&r, buf);
    out->ptr = buf;
    return COUNCIL_OK;
}

int council_intake_import(council *c, council_buf *out, const uint8_t *intake, size_t len,
                          const council_intake_options *opts)
{
    static const char op[] = "intake_import";
    Council__V1__IntakeBundle *ib;
    int rc;

    if ((rc = council__import_begin(c, op, out, intake)) != COUNCIL_OK)
        return rc;
    if (len > COUNCIL_INTAKE_JSON_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "%s: %zu bytes, at most %u", op, len,
                             (unsigned)COUNCIL_INTAKE_JSON_MAX);
    ib = council__v1__intake_bundle__unpack(council__pb_wiping_allocator(), len, intake);
    if (ib == NULL)
        return council__fail(c, COUNCIL_EFORMAT, "%s: not a council.v1.IntakeBundle", op);
    rc = finish_import(c, op, out, intake, len, ib, opts);
    council__v1__intake_bundle__free_unpacked(ib, council__pb_wiping_allocator());
    return rc;
}

/* ------------------------------------------------------------ JSON form */

/* The keys an object may have; any other is refused. */
static bool keys_known(json_t *o, const char *const *keys, size_t n)
{
    const char *k;
    json_t *v;

    json_object_foreach(o, k, v) {
        bool known = false;
        (void)v;
        for (size_t i = 0; i < n && !known; i++)
            known = strcmp(k, keys[i]) == 0;
        if (!known)
            return false;
    }
    return true;
}

/* An optional string member: NULL when absent; false for another type. */
static bool get_str(json_t *o, const char *key, char **out)
{
    json_t *v = json_object_get(o, key);

    *out = NULL;
    if (v == NULL)
        return true;
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
        return false;
    *out = (char *)(uintptr_t)json_string_value(v);
    return true;
}

static bool get_id(json_t *o, const char *key, uint8_t id[COUNCIL_ID_BYTES], protobuf_c_boolean *has,
                   ProtobufCBinaryData *d)
{
    char *s;

    if (!get_str(o, key, &s))
        return false;
    if (s == NULL)
        return true;
    if (council_uuid_parse(id, COUNCIL_ID_BYTES, s) != COUNCIL_OK)
        return false;
    *has = 1;
    d->data = id;
    d->len = COUNCIL_ID_BYTES;
    return true;
}

struct jintake {
    Council__V1__IntakeBundle ib;
    uint8_t pid[COUNCIL_ID_BYTES], cid[COUNCIL_ID_BYTES];
    char *scopes[COUNCIL__INTAKE_LIST_MAX];
    uint8_t recips[COUNCIL__INTAKE_LIST_MAX][COUNCIL_ID_BYTES];
    ProtobufCBinaryData recip_d[COUNCIL__INTAKE_LIST_MAX];
};

/* The JSON's shape into j->ib (strings point into root): false when a key
 * is unknown, a value of the wrong type, or a required one missing. */
static bool from_json(json_t *root, struct jintake *j, const char **what)
{
    static const char *const top[] = { "form", "referrer", "person", "consent", "situation" };
    static const char *const ref[] = { "organisation", "channel", "contact" };
    static const char *const per[] = { "name", "birth_date", "contact", "person_id", "case_id" };
    static const char *const con[] = { "scopes", "purpose", "method", "at", "recipients" };
    json_t *r, *p, *cs, *v;
    char *form;

    council__v1__intake_bundle__init(&j->ib);
    *what = "the top level";
    if (!json_is_object(root) || !keys_known(root, top, 5) || !get_str(root, "form", &form) ||
        form == NULL || strcmp(form, "libcouncil-intake-1") != 0)
        return false;
    *what = "situation";
    if (!get_str(root, "situation", &j->ib.situation) || j->ib.situation == NULL)
        return false;
    *what = "referrer";
    r = json_object_get(root, "referrer");
    if (!json_is_object(r) || !keys_known(r, ref, 3) ||
        !get_str(r, "organisation", &j->ib.referrer_org) || j->ib.referrer_org == NULL ||
        !get_str(r, "channel", &j->ib.contact_channel) || j->ib.contact_channel == NULL ||
        !get_str(r, "contact", &j->ib.referrer_contact))
        return false;
    *what = "person";
    if ((p = json_object_get(root, "person")) != NULL &&
        (!json_is_object(p) || !keys_known(p, per, 5) || !get_str(p, "name", &j->ib.person_name) ||
         !get_str(p, "birth_date", &j->ib.person_birth_date) ||
         !get_str(p, "contact", &j->ib.person_contact) ||
         !get_id(p, "person_id", j->pid, &j->ib.has_person_id, &j->ib.person_id) ||
         !get_id(p, "case_id", j->cid, &j->ib.has_case_id, &j->ib.case_id)))
        return false;
    *what = "consent";
    if ((cs = json_object_get(root, "consent")) == NULL)
        return true;
    if (!json_is_object(cs) || !keys_known(cs, con, 5) ||
        !get_str(cs, "purpose", &j->ib.consent_purpose) ||
        !get_str(cs, "method", &j->ib.consent_method))
        return false;
    if ((v = json_object_get(cs, "at")) != NULL) {
        if (!json_is_integer(v))
            return false;
        j->ib.has_consented_at = 1;
        j->ib.consented_at = (int64_t)json_integer_value(v);
    }
    if ((v = json_object_get(cs, "scopes")) != NULL) {
        if (!json_is_array(v) || json_array_size(v) > COUNCIL__INTAKE_LIST_MAX)
            return false;
        for (size_t i = 0; i < json_array_size(v); i++) {
            json_t *e = json_array_get(v, i);
            if (!json_is_string(e))
                return false;
            j->scopes[i] = (char *)(uintptr_t)json_string_value(e);
        }
        j->ib.consented_scopes = j->scopes;
        j->ib.n_consented_scopes = json_array_size(v);
    }
    if ((v = json_object_get(cs, "recipients")) != NULL) {
        if (!json_is_array(v) || json_array_size(v) > COUNCIL__INTAKE_LIST_MAX)
            return false;
        for (size_t i = 0; i < json_array_size(v); i++) {
            json_t *e = json_array_get(v, i);
            if (!json_is_string(e) ||
                council_uuid_parse(j->recips[i], COUNCIL_ID_BYTES, json_string_value(e)) != COUNCIL_OK)
                return false;
            j->recip_d[i].data = j->recips[i];
            j->recip_d[i].len = COUNCIL_ID_BYTES;
        }
        j->ib.consented_recipients = j->recip_d;
        j->ib.n_consented_recipients = json_array_size(v);
    }
    return true;
}

/* Parse the form into *j (its strings in *root, which the caller frees
 * with json_decref) and check every field: ELIMIT, EFORMAT, EINVAL,
 * ENOMEM. */
static int json_parse(council *c, const char *op, const char *json, size_t len, json_t **root,
                      struct jintake **j)
{
    json_error_t err;
    const char *what = "";

    *root = NULL;
    *j = NULL;
    if (len > COUNCIL_INTAKE_JSON_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "%s: %zu bytes, at most %u", op, len,
                             (unsigned)COUNCIL_INTAKE_JSON_MAX);
    *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
    if (*root == NULL)
        return council__fail(c, COUNCIL_EFORMAT, "%s: not JSON, or a key given twice (line %d)", op,
                             err.line);
    if ((*j = council__calloc(1, sizeof **j)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    if (!from_json(*root, *j, &what))
        return council__fail(c, COUNCIL_EFORMAT, "%s: %s: an unknown key, a value of the wrong type "
                             "or a required one missing (doc/intake-form.md)", op, what);
    return check(c, op, &(*j)->ib);
}

static void json_free(json_t *root, struct jintake *j)
{
    if (j != NULL) {
        sodium_memzero(j, sizeof *j);
        council__free(j);
    }
    if (root != NULL)
        json_decref(root);
}

int council__intake_json_check(council *c, const char *json, size_t len)
{
    struct jintake *j;
    json_t *root;
    int rc = json == NULL ? council__fail(c, COUNCIL_EMISUSE, "intake_json: NULL")
                          : json_parse(c, "intake_json", json, len, &root, &j);

    if (json != NULL)
        json_free(root, j);
    return rc;
}

int council_intake_import_json(council *c, council_buf *out, const char *json, size_t len,
                               const council_intake_options *opts)
{
    static const char op[] = "intake_import_json";
    struct jintake *j = NULL;
    json_t *root = NULL;
    int rc;

    if ((rc = council__import_begin(c, op, out, json)) != COUNCIL_OK)
        return rc;
    if ((rc = json_parse(c, op, json, len, &root, &j)) == COUNCIL_OK)
        rc = finish_import(c, op, out, (const uint8_t *)json, len, &j->ib, opts);
    json_free(root, j);
    return rc;
}
