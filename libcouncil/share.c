/*
 * share.c - sharing a case's scopes with other members (council_case_share,
 * council_case_share_check, council_case_revoke): signed share rows, the
 * disclosure decision (policy.c), key distribution, expiry, and the ends
 * a meeting's close or a consent's withdrawal brings (these rotate keys
 * through casekey.c). The table case_share is share_db.c's.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/consent.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "session.h"
#include "text.h"
#include "decide.h"
#include "decide.h"
#include "casekey.h"
#include "consent_db.h"
#include "member_db.h"
#include "scope.h"
#include "share_db.h"
#include "case_db.h"
#include "share.h"
#include "section_db.h"
#include "staff.h"
#include "keydir.h"
#include "event.h"
#include "policy.h"

#define SHARE_SCOPES_MAX 32

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define REFUSED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED

/* End a member's active share of (case, scope): marked revoked with the
 * reason, and its wrapped keys of the scope destroyed (unless it owns the
 * case). The caller rotates the scope's key. */
int council__share_end(council *c, const char *op, const council__case *k, const uint8_t member[COUNCIL_ID_BYTES],
                     const char *scope, const char *reason)
{
    int rc = council__share_revoke(c, op, k->id, member, scope, reason);

    if (rc == COUNCIL_OK && sodium_memcmp(member, k->owner, COUNCIL_ID_BYTES) != 0)
        rc = council__key_wrap_drop(c, op, k->id, member, scope);
    return rc;
}

/* Shares of (case, scope) past their expiry: revoked, their wrapped keys
 * destroyed and the scope's key rotated, so that what is written next is
 * not readable with the expired holder's copy. Inside the caller's
 * transaction. */
int council__share_expire(council *c, const char *op, const council__case *k, const char *scope)
{
    uint8_t members[SHARE_SCOPES_MAX][COUNCIL_ID_BYTES];
    const char *scopes[1] = { scope };
    size_t n = 0;
    uint32_t latest = 0;
    int rc = council__share_expired(c, op, k->id, scope, members, SHARE_SCOPES_MAX, &n);

    if (rc != COUNCIL_OK)
        return rc;
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        rc = council__share_end(c, op, k, members[i], scope, "share_expired");
        if (rc == COUNCIL_OK)
            rc = council__case_log(c, ACT(SHARE_REVOKED), k, scopes, 1, NULL, members[i], "share_expired");
    }
    if (rc == COUNCIL_OK && n > 0 && (rc = council__key_latest(c, op, k->id, scope, &latest)) == COUNCIL_OK &&
        latest > 0 && (rc = council__key_new(c, op, k->id, scope, NULL, NULL)) == COUNCIL_OK)
        rc = council__case_log(c, ACT(KEY_ROTATED), k, scopes, 1, NULL, NULL, "share_expired");
    return rc;
}

/* ----------------------------------------------------------------- sharing */

static const char *const bases[] = {
    "consent", "appi_27_1_1_law", "appi_27_1_2_vital", "appi_27_1_3_public_health_child",
    "appi_27_1_4_public_duty", "council_art16_exchange",
    "swa_106_6_support_meeting", "ncsa_9_support_meeting", /* within that body's meeting only */
};

static int basis_ok(council *c, const char *op, const council_share_options *o)
{
    size_t i;

    for (i = 0; i < sizeof bases / sizeof bases[0]; i++)
        if (o->basis != NULL && strcmp(o->basis, bases[i]) == 0)
            break;
    if (i == sizeof bases / sizeof bases[0])
        return council__fail(c, COUNCIL_EINVAL, "%s: unknown legal basis", op);
    if (i == 0 && (o->consent_id == NULL || o->consent_id_len != COUNCIL_ID_BYTES))
        return council__fail(c, COUNCIL_EINVAL, "%s: basis consent needs the consent record's id", op);
    if (i != 0 && o->consent_id != NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: a consent id goes with basis consent only", op);
    if (i != 0 && !council__text_arg(o->reason, COUNCIL_CONTACT_MAX))
        return council__fail(c, COUNCIL_EINVAL, "%s: an exception needs a written reason of "
                             "1..%d bytes", op, COUNCIL_CONTACT_MAX);
    if (o->reason != NULL && !council__text_arg(o->reason, COUNCIL_CONTACT_MAX))
        return council__fail(c, COUNCIL_EINVAL, "%s: bad reason text", op);
    if (council__purpose_parse(o->purpose) == 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: the purpose is support_coordination, referral, "
                             "joint_support, meeting_discussion, statistics or other", op);
    if (o->purpose_text != NULL && !council__text_arg(o->purpose_text, COUNCIL_CONTACT_MAX))
        return council__fail(c, COUNCIL_EINVAL, "%s: bad purpose text", op);
    if (o->second_approver != NULL &&
        (o->second_approver_len != COUNCIL_ID_BYTES ||
         (!council__is_root(c) && memcmp(o->second_approver, c->actor_staff, COUNCIL_ID_BYTES) == 0)))
        return council__fail(c, COUNCIL_EINVAL, "%s: a second approver is another staff member "
                             "(16-byte id)", op);
    return COUNCIL_OK;
}

/* The member's ceiling and keys: EDENIED/ENOTFOUND (logged by the caller). */
static int recipient(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                     uint8_t pk[32], char *ceiling, size_t cap, const char **why)
{
    char scopes[SHARE_SCOPES_MAX * (COUNCIL__AUDIT_CODE_MAX + 1) + 4];
    bool found = false, withdrawn = false, has_pk = false;
    int rc;

    *why = NULL;
    /* The register row the ceiling comes from is the one the secretariat
     * signed (a member widening its own ceiling gains nothing). */
    if ((rc = council__member_check(c, op, member)) != COUNCIL_OK)
        return rc == COUNCIL_ENOTFOUND ? council__fail(c, rc, "%s: no such member", op) : rc;
    if ((rc = council__member_recipient(c, op, member, &found, &withdrawn, pk, &has_pk, scopes,
                                        sizeof scopes)) != COUNCIL_OK)
        return rc;
    if (!found)
        return council__fail(c, COUNCIL_ENOTFOUND, "%s: no such member", op);
    if (withdrawn) {
        *why = "recipient_withdrawn";
        return COUNCIL_EDENIED;
    }
    if (!has_pk) {
        *why = "recipient_without_keys";
        return COUNCIL_EDENIED;
    }
    /* ",scopes," cut to cap - 1 bytes (as snprintf would). */
    {
        size_t n = 0, m = strlen(scopes);
        if (cap == 0)
            return COUNCIL_OK;
        if (n + 1 < cap)
            ceiling[n++] = ',';
        if (m > cap - 1 - n)
            m = cap - 1 - n;
        memcpy(ceiling + n, scopes, m);
        n += m;
        if (n + 1 < cap)
            ceiling[n++] = ',';
        ceiling[n] = '\0';
    }
    return COUNCIL_OK;
}

static int scope_list_ok(council *c, const char *op, const char *const *scopes, size_t n)
{
    if (n == 0 || n > SHARE_SCOPES_MAX || scopes == NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: 1..%d scopes", op, SHARE_SCOPES_MAX);
    for (size_t i = 0; i < n; i++) {
        if (scopes[i] == NULL || !council__audit_code_ok(scopes[i]))
            return council__fail(c, COUNCIL_EINVAL, "%s: a scope is a code [a-z0-9_]{1,64}", op);
        for (size_t j = 0; j < i; j++)
            if (strcmp(scopes[i], scopes[j]) == 0)
                return council__fail(c, COUNCIL_EINVAL, "%s: scope %s named twice", op, scopes[i]);
    }
    return COUNCIL_OK;
}

/* The persons of case k whose data the share of o's scopes discloses, in
 * the order they were added (at most COUNCIL_CASE_PERSONS_MAX): those with
 * a section in one of the scopes, the person supported, and extra_person
 * (not NULL: a person about to have data there). */
static int data_persons(council *c, const char *op, const council__case *k,
                        const council_share_options *o, const uint8_t *extra_person,
                        uint8_t (*persons)[16], size_t *n_persons)
{
    council__case_person *all = NULL;
    uint8_t (*with_data)[COUNCIL_ID_BYTES] = NULL;
    size_t n_all = 0, n_data = 0;
    int rc = council__case_persons(c, op, k->id, &all, &n_all);

    if (rc == COUNCIL_OK)
        rc = council__section_persons(c, op, k->id, o->scopes, o->n_scopes, &with_data, &n_data);
    for (size_t i = 0; rc == COUNCIL_OK && i < n_all && *n_persons < COUNCIL_CASE_PERSONS_MAX; i++) {
        bool in = all[i].role == COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_SUPPORTED ||
                  (extra_person != NULL && memcmp(all[i].id, extra_person, COUNCIL_ID_BYTES) == 0);
        for (size_t j = 0; !in && j < n_data; j++)
            in = memcmp(all[i].id, with_data[j], COUNCIL_ID_BYTES) == 0;
        if (in)
            memcpy(persons[(*n_persons)++], all[i].id, COUNCIL_ID_BYTES);
    }
    council__free(all);
    council__free(with_data);
    return rc;
}

/* The decision (policy.c) for a share: the persons whose data is in the
 * scopes (those with a section in one of them, and always the person
 * supported), the case's consent records, the council's configuration. */
static int decide_to(council *c, const char *op, const council__case *k, int kind,
                     const uint8_t member[16], const council_share_options *o,
                     const uint8_t *extra_person, council__decision *d, int64_t *consent_until,
                     int body);

static int decide_share(council *c, const char *op, const council__case *k, const uint8_t member[16],
                        const council_share_options *o, const uint8_t *extra_person,
                        council__decision *d, int64_t *consent_until, int body)
{
    return decide_to(c, op, k, COUNCIL__RECIPIENT_MEMBER, member, o, extra_person, d,
                     consent_until, body);
}

/* issue 16, register: the decision for an outside party (provision.c). */
int council__share_decide_outside(council *c, const char *op, const council__case *k,
                                  const uint8_t party[COUNCIL_ID_BYTES],
                                  const council_share_options *o, council__decision *d)
{
    return decide_to(c, op, k, COUNCIL__RECIPIENT_EXTERNAL, party, o, NULL, d, NULL, 0);
}

static int decide_to(council *c, const char *op, const council__case *k, int kind,
                     const uint8_t member[16], const council_share_options *o,
                     const uint8_t *extra_person, council__decision *d, int64_t *consent_until,
                     int body)
{
    Council__V1__ConsentList *l = NULL;
    council__consent_view *views = NULL;
    council__decision_request req;
    council__policy_config cfg;
    uint8_t (*persons)[16] = NULL;
    int *purposes = NULL;
    uint8_t (*members)[16] = NULL;
    size_t n_persons = 0, n_members = 0, n_purposes = 0;
    int rc = COUNCIL_OK;

    memset(&req, 0, sizeof req);
    /* Persons: with a section in the scopes, plus the person supported. */
    persons = council__calloc(COUNCIL_CASE_PERSONS_MAX, sizeof *persons);
    if (persons == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    rc = data_persons(c, op, k, o, extra_person, persons, &n_persons);
    if (rc == COUNCIL_OK)
        rc = council__consent_records(c, op, k->id, &l);
    /* The records as the decision sees them. */
    if (rc == COUNCIL_OK && l->n_records > 0) {
        size_t nm = 0, np = 0;
        for (size_t i = 0; i < l->n_records; i++) {
            nm += l->records[i]->n_recipient_members;
            np += l->records[i]->n_purposes;
        }
        views = council__calloc(l->n_records, sizeof *views);
        members = council__calloc(nm ? nm : 1, sizeof *members);
        purposes = council__calloc(np ? np : 1, sizeof *purposes);
        if (views == NULL || members == NULL || purposes == NULL)
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        for (size_t i = 0; rc == COUNCIL_OK && i < l->n_records; i++) {
            const Council__V1__ConsentRecord *r = l->records[i];
            council__consent_view *v = &views[i];
            if (r->id.len != 16 || r->subject_person.len != 16)
                continue;
            memcpy(v->id, r->id.data, 16);
            memcpy(v->subject_person, r->subject_person.data, 16);
            v->status = r->status == COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_ACTIVE
                            ? COUNCIL__CONSENT_ACTIVE
                        : r->status == COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_WITHDRAWN
                            ? COUNCIL__CONSENT_WITHDRAWN
                        : r->status == COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_EXPIRED
                            ? COUNCIL__CONSENT_EXPIRED
                            : COUNCIL__CONSENT_REFUSED;
            v->recorded = r->recorded;
            v->valid_from = r->valid_from;
            v->valid_until = r->has_valid_until ? r->valid_until : 0;
            if (consent_until != NULL && o->consent_id != NULL &&
                memcmp(v->id, o->consent_id, COUNCIL_ID_BYTES) == 0)
                *consent_until = v->valid_until;
            v->recipient_members = (const uint8_t (*)[16])members[n_members];
            for (size_t j = 0; j < r->n_recipient_members; j++)
                if (r->recipient_members[j].len == 16)
                    memcpy(members[n_members + v->n_recipient_members++],
                           r->recipient_members[j].data, 16);
            n_members += v->n_recipient_members;
            if (r->has_external_party_id && r->external_party_id.len == 16) {
                v->external_party = true;
                memcpy(v->external_id, r->external_party_id.data, 16);
            }
            v->scopes = (const char *const *)r->scopes;
            v->n_scopes = r->n_scopes;
            v->purposes = &purposes[n_purposes];
            for (size_t j = 0; j < r->n_purposes; j++) {
                int p = council__purpose_parse(r->purposes[j]);
                if (p != 0)
                    purposes[n_purposes + v->n_purposes++] = p;
            }
            n_purposes += v->n_purposes;
            v->purpose_text = r->purpose_other;
        }
    }
    if (rc == COUNCIL_OK)
        rc = council__policy_load(c, op, &cfg);
    if (rc == COUNCIL_OK) {
        req.recipient_kind = kind;
        memcpy(req.recipient, member, 16);
        req.scopes = o->scopes;
        req.n_scopes = o->n_scopes;
        req.persons = (const uint8_t (*)[16])persons;
        req.n_persons = n_persons;
        req.purpose = council__purpose_parse(o->purpose);
        req.purpose_text = o->purpose_text;
        req.now = (int64_t)time(NULL);
        req.basis = council__basis_parse(o->basis);
        req.has_reason = o->reason != NULL;
        req.has_second_approver = o->second_approver != NULL;
        req.consent_id = o->consent_id;
        req.consents = views;
        req.n_consents = l != NULL ? l->n_records : 0;
        req.body = body;
        council__policy_decide(d, &cfg, &req);
    }
    council__free(views);
    council__free(members);
    council__free(purposes);
    council__free(persons);
    if (l != NULL)
        council__v1__consent_list__free_unpacked(l, council__pb_allocator());
    return rc;
}

int council__share_decide(council *c, const char *op, const council__case *k,
                          const uint8_t member[COUNCIL_ID_BYTES], const council_share_options *o,
                          council__decision *d)
{
    return decide_share(c, op, k, member, o, NULL, d, NULL, 0);
}

int council__case_end_meeting_shares(council *c, const char *op,
                                     const uint8_t meeting_id[COUNCIL_ID_BYTES])
{
    council__share_ref *rows = NULL;
    size_t n = 0;
    int rc = council__share_refs_of_meeting(c, op, meeting_id, &rows, &n);

    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        const char *scopes[1] = { rows[i].scope };
        uint32_t latest = 0;
        council__case k;
        if ((rc = council__case_load(c, op, rows[i].case_id, &k)) != COUNCIL_OK)
            break;
        rc = council__share_end(c, op, &k, rows[i].member, rows[i].scope, "meeting_closed");
        if (rc == COUNCIL_OK)
            rc = council__key_latest(c, op, k.id, rows[i].scope, &latest);
        if (rc == COUNCIL_OK && latest > 0)
            rc = council__key_new(c, op, k.id, rows[i].scope, NULL, NULL);
        if (rc == COUNCIL_OK)
            rc = council__case_log(c, ACT(SHARE_REVOKED), &k, scopes, 1, NULL, rows[i].member, "meeting_closed");
    }
    council__free(rows);
    return rc;
}

int council__case_recheck_consent_shares(council *c, const char *op,
                                         const uint8_t case_id[COUNCIL_ID_BYTES],
                                         const uint8_t *extra_person, const char *extra_scope)
{
    council__share_consent *rows = NULL;
    size_t n = 0;
    council__case k;
    int rc = council__case_load(c, op, case_id, &k);

    if (rc != COUNCIL_OK)
        return rc;
    rc = council__share_consent_rows(c, op, case_id, &rows, &n);
    /* Each share again through the decision; those it now refuses end. */
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        const char *scopes[1] = { rows[i].scope };
        council_share_options o = COUNCIL_SHARE_OPTIONS_INIT;
        council__decision d = { false, NULL };
        uint32_t latest = 0;

        o.scopes = scopes;
        o.n_scopes = 1;
        o.purpose = rows[i].purpose;
        o.purpose_text = rows[i].has_text ? rows[i].text : NULL;
        o.basis = "consent";
        o.consent_id = rows[i].has_consent ? rows[i].consent : NULL;
        o.consent_id_len = rows[i].has_consent ? COUNCIL_ID_BYTES : 0;
        if ((rc = decide_share(c, op, &k, rows[i].member, &o,
                               extra_scope != NULL && strcmp(extra_scope, rows[i].scope) == 0
                                   ? extra_person : NULL, &d, NULL, 0)) != COUNCIL_OK || d.allow)
            continue;
        rc = council__share_end(c, op, &k, rows[i].member, rows[i].scope, "consent_withdrawn");
        if (rc == COUNCIL_OK)
            rc = council__key_latest(c, op, k.id, rows[i].scope, &latest);
        if (rc == COUNCIL_OK && latest > 0)
            rc = council__key_new(c, op, k.id, rows[i].scope, NULL, NULL);
        if (rc == COUNCIL_OK)
            rc = council__case_log(c, ACT(SHARE_REVOKED), &k, scopes, 1, NULL, rows[i].member, d.reason);
    }
    council__free(rows);
    return rc;
}

int council_case_share(council *c, const uint8_t *case_id, size_t case_id_len,
                       const uint8_t *member_id, size_t member_id_len,
                       const council_share_options *o)
{
    return council__case_share_in(c, "case_share", case_id, case_id_len, member_id, member_id_len,
                                  o, NULL);
}

int council__case_share_in(council *c, const char *op, const uint8_t *case_id, size_t case_id_len,
                           const uint8_t *member_id, size_t member_id_len,
                           const council_share_options *o, const uint8_t *meeting_id)
{
    return council__case_share_body(c, op, case_id, case_id_len, member_id, member_id_len, o,
                                    meeting_id, 0);
}

int council__case_share_body(council *c, const char *op, const uint8_t *case_id,
                             size_t case_id_len, const uint8_t *member_id, size_t member_id_len,
                             const council_share_options *o, const uint8_t *meeting_id, int body)
{
    int64_t expires = 0, consent_until = 0;
    char ceiling[SHARE_SCOPES_MAX * (COUNCIL__AUDIT_CODE_MAX + 1) + 4];
    uint8_t pk[32];
    const char *why;
    int64_t now = (int64_t)time(NULL);
    council__case k;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, member_id, member_id_len)) != COUNCIL_OK)
        return rc;
    if (o == NULL || o->version != COUNCIL_SHARE_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if ((rc = scope_list_ok(c, op, o->scopes, o->n_scopes)) != COUNCIL_OK ||
        (rc = basis_ok(c, op, o)) != COUNCIL_OK)
        return rc;
    if (o->purpose == NULL || !council__audit_code_ok(o->purpose))
        return council__fail(c, COUNCIL_EINVAL, "%s: a purpose is a code [a-z0-9_]{1,64}", op);
    if (o->expires < 0 || (o->expires != 0 && o->expires <= now))
        return council__fail(c, COUNCIL_EINVAL, "%s: the expiry is in the past", op);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__case_load(c, op, case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    for (size_t i = 0; i < o->n_scopes; i++)
        if ((rc = council__scope_known(c, op, o->scopes[i])) != COUNCIL_OK)
            return council__finish(c, rc);
    if (k.erased != 0)
        return council__case_refuse(c, true, ACT(SHARE_GRANTED), &k, NULL, o->purpose, member_id,
                      COUNCIL_EDENIED, "case_erased", op, "the case was erased");
    if (!council__is_secretariat(c) && !council__case_is_owner(c, &k))
        return council__case_refuse(c, true, ACT(SHARE_GRANTED), &k, NULL, o->purpose, member_id,
                      COUNCIL_EDENIED, "not_owner", op, "only the secretariat or the owning "
                      "member shares a case");
    if (sodium_memcmp(member_id, k.owner, COUNCIL_ID_BYTES) == 0)
        return council__finish(c, council__fail(c, COUNCIL_EINVAL, "%s: the owner holds every "
                                                "scope already", op));
    rc = recipient(c, op, member_id, pk, ceiling, sizeof ceiling, &why);
    /* (a key that could not be read is EIO, no refusal) */
    if (rc == COUNCIL_OK && (rc = council__member_key_check(c, op, member_id, pk)) == COUNCIL_EAUTH)
        why = "recipient_key_unsigned";
    if (rc == COUNCIL_EAUTH)
        return council__case_refuse(c, true, ACT(SHARE_GRANTED), &k, NULL, o->purpose, member_id, rc, why, op,
                      "the recipient's key is not signed by the council");
    if (rc == COUNCIL_EDENIED)
        return council__case_refuse(c, true, ACT(SHARE_GRANTED), &k, NULL, o->purpose, member_id, rc, why, op,
                      "the recipient is withdrawn or has no keys");
    if (rc != COUNCIL_OK)
        return council__finish(c, rc);
    for (size_t i = 0; i < o->n_scopes; i++) {
        char needle[COUNCIL__AUDIT_CODE_MAX + 3];
        bool dup;
        snprintf(needle, sizeof needle, ",%s,", o->scopes[i]);
        if (strstr(ceiling, needle) == NULL)
            return council__case_refuse(c, true, ACT(SHARE_GRANTED), &k, o->scopes[i], o->purpose, member_id,
                          COUNCIL_EDENIED, "outside_scope_ceiling", op,
                          "a scope is outside the member's scope ceiling");
        /* A share that expired is ended first (with its keys). */
        if ((rc = council__share_expire(c, op, &k, o->scopes[i])) != COUNCIL_OK ||
            (rc = council__share_active(c, op, case_id, member_id, o->scopes[i], &dup)) != COUNCIL_OK)
            return council__finish(c, rc);
        if (dup)
            return council__finish(c, council__fail(c, COUNCIL_EEXIST, "%s: scope %s is shared "
                                                    "with the member already", op, o->scopes[i]));
    }
    /* No disclosure without a basis (DESIGN.md promise 2). */
    {
        council__decision d = { false, NULL };
        if ((rc = decide_share(c, op, &k, member_id, o, NULL, &d, &consent_until, body)) != COUNCIL_OK)
            return council__finish(c, rc);
        if (!d.allow) {
            council__event ev = {
                .action = ACT(DISCLOSURE_REFUSED),
                .case_ref = k.ref,
                .scopes = o->scopes,
                .n_scopes = o->n_scopes,
                .purpose = o->purpose,
                .basis = o->basis,
                .consent_id = o->consent_id,
                .subject_member = member_id,
                .outcome = REFUSED,
                .error = COUNCIL_ENOCONSENT,
                .reason = d.reason,
            };
            council__audit_batch_rollback(c);
            council__event_actor(c, &ev);
            if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK)
                return rc;
            if (c->user_batch)
                council__hold_event(c, &ev);
            return council__fail(c, COUNCIL_ENOCONSENT, "%s: refused by the disclosure policy (%s)",
                                 op, d.reason);
        }
    }
    /* A share on consent ends when the consent does. */
    expires = o->expires;
    if (consent_until != 0 && (expires == 0 || consent_until < expires))
        expires = consent_until;
    /* A second approver is a staff member on the register, in service. */
    if (o->second_approver != NULL) {
        if (!council__staff_in_service(c, o->second_approver))
            return council__finish(c, council__fail(c, COUNCIL_EINVAL, "%s: the second approver "
                                                    "is not staff in service", op));
    }
    for (size_t i = 0; rc == COUNCIL_OK && i < o->n_scopes; i++) {
        uint32_t latest = 0;
        rc = council__share_insert(c, op, case_id, member_id, o->scopes[i], o, now, expires,
                                   meeting_id);
        /* Every key version the sharer holds, wrapped for the recipient. A
         * scope with no key yet gets its first here (for the coordinating
         * body and the owner), so that no key ever follows a share row. */
        if (rc == COUNCIL_OK)
            rc = council__key_latest(c, op, case_id, o->scopes[i], &latest);
        if (rc == COUNCIL_OK && latest == 0)
            rc = council__key_new(c, op, case_id, o->scopes[i], &latest, NULL);
        for (uint32_t v = 1; rc == COUNCIL_OK && v <= latest; v++) {
            council__secret key = { NULL, 0 };
            bool exists = false;
            if ((rc = council__key_exists(c, op, case_id, o->scopes[i], v, &exists)) != COUNCIL_OK)
                break;
            if (!exists)
                continue; /* destroyed by a rekey */
            rc = council__key_open(c, op, &key, case_id, o->scopes[i], v);
            if (rc == COUNCIL_OK)
                rc = council__wrap_for(c, op, case_id, o->scopes[i], v, member_id, pk, &key);
            council__secret_free(&key);
        }
    }
    if (rc == COUNCIL_OK) {
        council__event ev = {
            .action = ACT(SHARE_GRANTED),
            .case_ref = k.ref,
            .scopes = o->scopes,
            .n_scopes = o->n_scopes,
            .purpose = o->purpose,
            .basis = o->basis,
            .consent_id = o->consent_id,
            .subject_member = member_id,
            .subject_staff = o->second_approver, /* who approved as well */
            .outcome = ALLOWED,
        };
        council__event_actor(c, &ev);
        rc = council__audit_append(c, &ev);
    }
    return council__finish(c, rc);
}

int council_case_share_check(council *c, council_buf *reason, const uint8_t *case_id,
                             size_t case_id_len, const uint8_t *member_id, size_t member_id_len,
                             const council_share_options *o)
{
    static const char op[] = "case_share_check";
    council__decision d = { false, NULL };
    size_t n;
    council__case k;
    int rc;

    if (reason == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    reason->ptr = NULL;
    reason->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, member_id, member_id_len)) != COUNCIL_OK)
        return rc;
    if (o == NULL || o->version != COUNCIL_SHARE_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if ((rc = scope_list_ok(c, op, o->scopes, o->n_scopes)) != COUNCIL_OK ||
        (rc = basis_ok(c, op, o)) != COUNCIL_OK || (rc = council__case_load(c, op, case_id, &k)) != COUNCIL_OK)
        return rc;
    if (!council__is_secretariat(c) && !council__case_is_owner(c, &k))
        return council__fail(c, COUNCIL_EDENIED, "%s: only the secretariat or the owning member "
                             "may ask", op);
    /* What the real share checks besides the policy: the recipient (active,
     * keys, signed) and its scope ceiling. */
    {
        char ceiling[SHARE_SCOPES_MAX * (COUNCIL__AUDIT_CODE_MAX + 1) + 4];
        uint8_t pk[32];
        const char *why = NULL;
        rc = recipient(c, op, member_id, pk, ceiling, sizeof ceiling, &why);
        if (rc == COUNCIL_OK &&
            (rc = council__member_key_check(c, op, member_id, pk)) == COUNCIL_EAUTH)
            why = "recipient_key_unsigned";
        for (size_t i = 0; rc == COUNCIL_OK && i < o->n_scopes; i++) {
            char needle[COUNCIL__AUDIT_CODE_MAX + 3];
            snprintf(needle, sizeof needle, ",%s,", o->scopes[i]);
            if (strstr(ceiling, needle) == NULL) {
                rc = COUNCIL_EDENIED;
                why = "outside_scope_ceiling";
            }
        }
        if (rc != COUNCIL_OK && why != NULL) {
            size_t wl = strlen(why);
            if ((reason->ptr = council__malloc(wl + 1)) != NULL) {
                memcpy(reason->ptr, why, wl + 1);
                reason->len = wl;
            }
            return council__fail(c, rc, "%s: the share would be refused (%s)", op, why);
        }
        if (rc != COUNCIL_OK)
            return rc;
    }
    if ((rc = decide_share(c, op, &k, member_id, o, NULL, &d, NULL, 0)) != COUNCIL_OK)
        return rc;
    n = strlen(d.reason);
    if ((reason->ptr = council__malloc(n + 1)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    memcpy(reason->ptr, d.reason, n + 1);
    reason->len = n;
    if (!d.allow)
        return council__fail(c, COUNCIL_ENOCONSENT, "%s: the disclosure policy refuses (%s)", op,
                             d.reason);
    council__clear(c);
    return COUNCIL_OK;
}

int council_case_revoke(council *c, const uint8_t *case_id, size_t case_id_len,
                        const uint8_t *member_id, size_t member_id_len, const char *const *scopes,
                        size_t n_scopes, const char *reason)
{
    static const char op[] = "case_revoke";
    char sc[SHARE_SCOPES_MAX][COUNCIL__AUDIT_CODE_MAX + 1];
    const char *revoked[SHARE_SCOPES_MAX];
    char (*held)[COUNCIL__AUDIT_CODE_MAX + 1] = NULL;
    size_t n = 0, n_held = 0;
    council__case k;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, member_id, member_id_len)) != COUNCIL_OK)
        return rc;
    if (n_scopes > 0 && (rc = scope_list_ok(c, op, scopes, n_scopes)) != COUNCIL_OK)
        return rc;
    if (reason == NULL || !council__audit_code_ok(reason))
        return council__fail(c, COUNCIL_EINVAL, "%s: a reason is a code [a-z0-9_]{1,64}", op);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__case_load(c, op, case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (!council__is_secretariat(c) && !council__case_is_owner(c, &k))
        return council__case_refuse(c, true, ACT(SHARE_REVOKED), &k, NULL, NULL, member_id, COUNCIL_EDENIED,
                      "not_owner", op, "only the secretariat or the owning member revokes a share");
    /* The active shares that match, by scope. */
    if ((rc = council__share_scopes_of(c, op, case_id, member_id, &held, &n_held)) != COUNCIL_OK)
        return council__finish(c, rc);
    for (size_t j = 0; j < n_held && n < SHARE_SCOPES_MAX; j++) {
        bool want = n_scopes == 0;
        for (size_t i = 0; i < n_scopes && !want; i++)
            want = strcmp(scopes[i], held[j]) == 0;
        if (want) {
            strcpy(sc[n], held[j]);
            revoked[n] = sc[n];
            n++;
        }
    }
    council__free(held);
    if (n == 0)
        return council__finish(c, council__fail(c, COUNCIL_ENOTFOUND, "%s: no active share "
                                                "matches", op));
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        uint32_t latest = 0;
        /* The recipient's wrapped keys go, and the scope's key rotates. */
        rc = council__share_end(c, op, &k, member_id, revoked[i], reason);
        if (rc == COUNCIL_OK)
            rc = council__key_latest(c, op, case_id, revoked[i], &latest);
        if (rc == COUNCIL_OK && latest > 0)
            rc = council__key_new(c, op, case_id, revoked[i], NULL, NULL);
    }
    if (rc == COUNCIL_OK)
        rc = council__case_log(c, ACT(SHARE_REVOKED), &k, revoked, n, NULL, member_id, reason);
    if (rc == COUNCIL_OK)
        rc = council__case_log(c, ACT(KEY_ROTATED), &k, revoked, n, NULL, member_id, "share_revoked");
    return council__finish(c, rc);
}


/* The disclosure decision for a case's transfer (case.c): o's basis and
 * every scope of the case, to the new owner, checked as a share's would be. */
int council__share_decide_transfer(council *c, const char *op, const council__case *k,
                                   const uint8_t member[COUNCIL_ID_BYTES],
                                   const council_share_options *o, bool *allow,
                                   const char **reason)
{
    council__decision d = { false, NULL };
    int rc = basis_ok(c, op, o);

    *allow = false;
    *reason = NULL;
    if (rc == COUNCIL_OK)
        rc = scope_list_ok(c, op, o->scopes, o->n_scopes);
    if (rc == COUNCIL_OK)
        rc = decide_share(c, op, k, member, o, NULL, &d, NULL, 0);
    if (rc == COUNCIL_OK) {
        *allow = d.allow;
        *reason = d.reason;
    }
    return rc;
}
