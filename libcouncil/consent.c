/*
 * consent.c - the consent ledger: records of consent and of refusal,
 * withdrawals added beside them (never written over), and the effect of a
 * withdrawal: every share that rested on the record ends at once.
 */
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/consent.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "crypto.h"
#include "session.h"
#include "text.h"
#include "attest.h"
#include "case_db.h"
#include "share.h"
#include "consent_db.h"
#include "member_db.h"
#include "scope.h"
#include "staff.h"
#include "event.h"

size_t council_consent_list_max(void)
{
    return COUNCIL_CONSENT_LIST_MAX;
}

/* The options, checked against each other and the store (in a transaction). */
static int check(council *c, const char *op, const council_consent_options *o, bool refusal)
{
    bool yes;
    int rc;

    if (o->case_id == NULL || o->case_id_len != COUNCIL_ID_BYTES || o->subject_person == NULL ||
        o->subject_person_len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: a case and a person (16-byte ids) are needed", op);
    if (o->grantor < 0 || o->grantor > COUNCIL__V1__GRANTOR_KIND__GRANTOR_KIND_GUARDIAN)
        return council__fail(c, COUNCIL_EINVAL, "%s: unknown grantor kind", op);
    if (o->grantor > COUNCIL__V1__GRANTOR_KIND__GRANTOR_KIND_SELF
            ? !council__text_arg(o->grantor_name, COUNCIL_NAME_MAX)
            : o->grantor_name != NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: a representative or guardian is named "
                             "(1..%d bytes); the person is not", op, COUNCIL_NAME_MAX);
    if (o->method < COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_WRITTEN ||
        o->method > COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_ELECTRONIC)
        return council__fail(c, COUNCIL_EINVAL, "%s: the method is written, oral or electronic", op);
    if (o->n_recipient_members > COUNCIL_CONSENT_LIST_MAX || o->n_scopes > COUNCIL_CONSENT_LIST_MAX ||
        o->n_purposes > COUNCIL_CONSENT_LIST_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "%s: at most %d recipients, scopes and purposes",
                             op, COUNCIL_CONSENT_LIST_MAX);
    if ((o->n_recipient_members > 0 && o->recipient_members == NULL) ||
        (o->n_scopes > 0 && o->scopes == NULL) || (o->n_purposes > 0 && o->purposes == NULL))
        return council__fail(c, COUNCIL_EINVAL, "%s: a list is NULL", op);
    if (o->external_party != NULL && !council__text_arg(o->external_party, COUNCIL_NAME_MAX))
        return council__fail(c, COUNCIL_EINVAL, "%s: bad external party name", op);
    if (!refusal && ((o->n_recipient_members == 0 && o->external_party == NULL) ||
                     o->n_scopes == 0 || o->n_purposes == 0))
        return council__fail(c, COUNCIL_EINVAL, "%s: a consent names its recipients, scopes and "
                             "purposes", op);
    for (size_t i = 0; i < o->n_purposes; i++)
        if (!council__consent_purpose_ok(o->purposes[i]))
            return council__fail(c, COUNCIL_EINVAL, "%s: unknown purpose", op);
    {
        bool other = false;
        for (size_t i = 0; i < o->n_purposes; i++)
            other = other || strcmp(o->purposes[i], "other") == 0;
        if (other ? !council__text_arg(o->purpose_other, COUNCIL_CONTACT_MAX) : o->purpose_other != NULL)
            return council__fail(c, COUNCIL_EINVAL, "%s: purpose \"other\" goes with its text", op);
    }
    if (o->valid_from < 0 || o->valid_until < 0 ||
        (o->valid_until != 0 && o->valid_until <= (o->valid_from ? o->valid_from : (int64_t)time(NULL))))
        return council__fail(c, COUNCIL_EINVAL, "%s: the validity period is empty", op);
    if ((o->obtained_by != NULL && o->obtained_by_len != COUNCIL_ID_BYTES) ||
        (o->evidence_sha256 != NULL && o->evidence_len != 32))
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are 16 bytes, the evidence hash 32", op);
    for (size_t i = 0; i < o->n_scopes; i++) {
        if ((rc = council__scope_known(c, op, o->scopes[i])) != COUNCIL_OK)
            return rc;
    }
    for (size_t i = 0; i < o->n_recipient_members; i++) {
        if ((rc = council__member_exists(c, op, o->recipient_members + 16 * i, &yes)) != COUNCIL_OK)
            return rc;
        if (!yes)
            return council__fail(c, COUNCIL_ENOTFOUND, "%s: no such member", op);
    }
    if (o->obtained_by != NULL) {
        if ((rc = council__staff_exists(c, op, o->obtained_by, &yes)) != COUNCIL_OK)
            return rc;
        if (!yes)
            return council__fail(c, COUNCIL_ENOTFOUND, "%s: no such staff", op);
    }
    if ((rc = council__person_in_case(c, op, o->subject_person, o->case_id, &yes)) != COUNCIL_OK)
        return rc;
    if (!yes)
        return council__fail(c, COUNCIL_ENOTFOUND, "%s: no such person in the case", op);
    return COUNCIL_OK;
}

/* The session may manage the case's consent: the secretariat or the
 * owner's staff, on a case not erased. A refusal is logged (after the
 * transaction is rolled back). */
static int entitled(council *c, const char *op, int action, const uint8_t case_id[16],
                    uint8_t ref[32], bool in_txn)
{
    uint8_t owner[COUNCIL_ID_BYTES];
    bool erased = false;
    int rc = council__case_lookup(c, op, case_id, owner, ref, &erased);
    const char *why = NULL;

    if (rc != COUNCIL_OK)
        return rc;
    if (erased)
        why = "case_erased";
    else if (!council__is_secretariat(c) && sodium_memcmp(owner, c->actor_member, COUNCIL_ID_BYTES) != 0)
        why = "not_owner";
    if (why == NULL)
        return COUNCIL_OK;
    if (in_txn)
        council__audit_batch_rollback(c);
    {
        council__event ev = {
            .action = action,
            .case_ref = ref,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
            .error = COUNCIL_EDENIED,
            .reason = why,
        };
        council__event_actor(c, &ev);
        if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK)
            return rc;
    }
    return council__fail(c, COUNCIL_EDENIED, "%s: only the secretariat or the owning member's "
                         "staff manage a case's consent (and not on an erased case)", op);
}

static int record(council *c, uint8_t *id, size_t id_len, const council_consent_options *o,
                  bool refusal)
{
    const char *op = refusal ? "consent_refuse" : "consent_record";
    Council__V1__ConsentRecord m = COUNCIL__V1__CONSENT_RECORD__INIT;
    council__consent_regrant rg = { NULL, 0, 0 };
    ProtobufCBinaryData *members = NULL;
    uint8_t cid[COUNCIL_ID_BYTES], ext[COUNCIL_ID_BYTES], ref[32], *body = NULL;
    char idt[37];
    size_t len;
    int64_t now = (int64_t)time(NULL);
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (id == NULL || id_len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    if (o == NULL || o->version != COUNCIL_CONSENT_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = check(c, op, o, refusal)) != COUNCIL_OK)
        return council__finish(c, rc);
    if ((rc = entitled(c, op, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CONSENT_RECORDED, o->case_id,
                       ref, true)) != COUNCIL_OK)
        return rc == COUNCIL_EDENIED ? rc : council__finish(c, rc);
    council__uuid_random(cid);
    council__uuid_random(ext);
    council__uuid_text(idt, cid);
    m.id.data = cid;
    m.id.len = sizeof cid;
    m.id_text = idt;
    m.case_id.data = (uint8_t *)(uintptr_t)o->case_id;
    m.case_id.len = COUNCIL_ID_BYTES;
    m.subject_person.data = (uint8_t *)(uintptr_t)o->subject_person;
    m.subject_person.len = COUNCIL_ID_BYTES;
    m.grantor = o->grantor == 0 ? COUNCIL__V1__GRANTOR_KIND__GRANTOR_KIND_SELF
                                : (Council__V1__GrantorKind)o->grantor;
    m.grantor_name = (char *)(uintptr_t)o->grantor_name;
    if (o->n_recipient_members > 0) {
        members = council__calloc(o->n_recipient_members, sizeof *members);
        if (members == NULL)
            return council__finish(c, council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op));
        for (size_t i = 0; i < o->n_recipient_members; i++) {
            members[i].data = (uint8_t *)(uintptr_t)(o->recipient_members + 16 * i);
            members[i].len = COUNCIL_ID_BYTES;
        }
    }
    m.recipient_members = members;
    m.n_recipient_members = o->n_recipient_members;
    m.external_party = (char *)(uintptr_t)o->external_party;
    if (o->external_party != NULL) {
        m.has_external_party_id = 1;
        m.external_party_id.data = ext;
        m.external_party_id.len = sizeof ext;
    }
    m.scopes = (char **)(uintptr_t)o->scopes;
    m.n_scopes = o->n_scopes;
    m.purposes = (char **)(uintptr_t)o->purposes;
    m.n_purposes = o->n_purposes;
    m.purpose_other = (char *)(uintptr_t)o->purpose_other;
    m.valid_from = o->valid_from != 0 ? o->valid_from : now;
    m.has_valid_until = o->valid_until != 0;
    m.valid_until = o->valid_until;
    m.method = (Council__V1__ConsentMethod)o->method;
    if (o->obtained_by != NULL || !council__is_root(c)) {
        m.has_obtained_by = 1;
        m.obtained_by.data = (uint8_t *)(uintptr_t)(o->obtained_by != NULL ? o->obtained_by
                                                                           : c->actor_staff);
        m.obtained_by.len = COUNCIL_ID_BYTES;
    }
    if (o->evidence_sha256 != NULL) {
        m.has_evidence_sha256 = 1;
        m.evidence_sha256.data = (uint8_t *)(uintptr_t)o->evidence_sha256;
        m.evidence_sha256.len = 32;
    }
    m.refusal = refusal;
    m.recorded = now;
    if (!council__is_root(c)) {
        m.has_recorded_by_member = m.has_recorded_by_staff = 1;
        m.recorded_by_member.data = c->actor_member;
        m.recorded_by_member.len = COUNCIL_ID_BYTES;
        m.recorded_by_staff.data = c->actor_staff;
        m.recorded_by_staff.len = COUNCIL_ID_BYTES;
    }
    m.status = refusal ? COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_REFUSED
                       : COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_ACTIVE;
    len = council__v1__consent_record__get_packed_size(&m);
    if (len > COUNCIL__CONSENT_BODY_MAX || (body = council__malloc(len)) == NULL) {
        council__free(members);
        return council__finish(c, council__fail(c, len > COUNCIL__CONSENT_BODY_MAX ? COUNCIL_ELIMIT
                                                                          : COUNCIL_ENOMEM,
                                                "%s: record too large or out of memory", op));
    }
    council__v1__consent_record__pack(&m, body);
    council__free(members);
    if (refusal && (rc = council__consent_regrant_collect(c, op, o->case_id, o->subject_person, &rg)) != COUNCIL_OK) {
        sodium_memzero(body, len);
        council__free(body);
        return council__finish(c, rc);
    }
    rc = council__consent_insert(c, op, cid, o->case_id, o->subject_person, refusal, now, body, len);
    sodium_memzero(body, len);
    council__free(body);
    if (rc == COUNCIL_OK) {
        council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CONSENT_RECORDED,
            .case_ref = ref,
            .scopes = o->scopes,
            .n_scopes = o->n_scopes,
            .consent_id = cid,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
            .reason = refusal ? "refusal" : NULL,
        };
        council__event_actor(c, &ev);
        rc = council__audit_append(c, &ev);
    }
    /* A refusal overrides older consent: the person's grants are signed
     * again over the new set of refusals (so deleting the refusal leaves
     * them counting for nothing), and shares resting on them end now. */
    if (rc == COUNCIL_OK && refusal)
        rc = council__consent_regrant_sign(c, op, o->case_id, o->subject_person, &rg);
    council__consent_regrant_free(&rg);
    if (rc == COUNCIL_OK && refusal)
        rc = council__case_recheck_consent_shares(c, op, o->case_id, NULL, NULL);
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK)
        memcpy(id, cid, COUNCIL_ID_BYTES);
    return rc;
}

int council_consent_record(council *c, uint8_t *id, size_t id_len, const council_consent_options *o)
{
    return record(c, id, id_len, o, false);
}

int council_consent_refuse(council *c, uint8_t *id, size_t id_len, const council_consent_options *o)
{
    return record(c, id, id_len, o, true);
}

/* ------------------------------------------------------------- reading */

int council_consent_list(council *c, council_buf *out, const uint8_t *case_id, size_t case_id_len)
{
    static const char op[] = "consent_list";
    Council__V1__ConsentList *l = NULL;
    uint8_t ref[32];
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (case_id == NULL || case_id_len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    if ((rc = entitled(c, op, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_OPERATION_REFUSED, case_id,
                       ref, false)) != COUNCIL_OK)
        return rc;
    if ((rc = council__consent_records(c, op, case_id, &l)) != COUNCIL_OK)
        return rc;
    rc = council__pack_out(c, op, out, &l->base);
    council__v1__consent_list__free_unpacked(l, council__pb_allocator());
    return rc;
}

int council_consent_get(council *c, council_buf *out, const uint8_t *id, size_t id_len)
{
    static const char op[] = "consent_get";
    council__consent_row row;
    uint8_t ref[32];
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (id == NULL || id_len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    if ((rc = council__consent_fetch(c, op, id, &row)) != COUNCIL_OK)
        return rc;
    rc = entitled(c, op, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_OPERATION_REFUSED, row.case_id, ref,
                  false);
    /* Shown as granting only with its grant: else it is not the record
     * the owner or the secretariat made (logged). */
    if (rc == COUNCIL_OK && (row.m->status == COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_ACTIVE ||
                             row.m->status == COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_EXPIRED)) {
        bool ok = false;
        if ((rc = council__consent_row_granted(c, op, &row, &ok)) == COUNCIL_OK && !ok) {
            (void)council__tamper(c, row.case_id, NULL, NULL, "forged_consent");
            rc = council__fail(c, COUNCIL_ETAMPER, "%s: the record has no grant by the owner "
                               "or the secretariat (written, or its withdrawal deleted, "
                               "outside the library)", op);
        }
    }
    council__consent_row_close(&row);
    if (rc == COUNCIL_OK)
        rc = council__pack_out(c, op, out, &row.m->base);
    council__consent_row_free(&row);
    return rc;
}

/* ---------------------------------------------------------- withdrawal */

int council_consent_withdraw(council *c, const uint8_t *id, size_t id_len, int64_t when,
                             const char *reason)
{
    static const char op[] = "consent_withdraw";
    Council__V1__ConsentRecord *m = NULL;
    council__consent_row row;
    uint8_t case_id[COUNCIL_ID_BYTES], ref[32];
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (id == NULL || id_len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    if (!council__text_arg(reason, COUNCIL_CONTACT_MAX) || when < 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: a reason of 1..%d bytes of UTF-8 text and a "
                             "time are needed", op, COUNCIL_CONTACT_MAX);
    if (when == 0)
        when = (int64_t)time(NULL);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__consent_fetch(c, op, id, &row)) != COUNCIL_OK)
        return council__finish(c, rc);
    council__consent_row_close(&row);
    memcpy(case_id, row.case_id, sizeof case_id);
    m = row.m;
    if ((rc = entitled(c, op, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CONSENT_WITHDRAWN, case_id,
                       ref, true)) != COUNCIL_OK) {
        council__v1__consent_record__free_unpacked(m, council__pb_allocator());
        return rc == COUNCIL_EDENIED ? rc : council__finish(c, rc);
    }
    if (m->refusal || m->withdrawal != NULL) {
        bool refusal = m->refusal;
        council__v1__consent_record__free_unpacked(m, council__pb_allocator());
        return council__finish(c, council__fail(c, COUNCIL_EDENIED, "%s: %s", op,
                                                refusal ? "a refusal is not withdrawn (record a "
                                                          "consent instead)"
                                                        : "withdrawn already"));
    }
    if (when < m->recorded || when > (int64_t)time(NULL) + 300) {
        council__v1__consent_record__free_unpacked(m, council__pb_allocator());
        return council__finish(c, council__fail(c, COUNCIL_EINVAL, "%s: a withdrawal is dated "
                                                "between the record and now", op));
    }
    council__v1__consent_record__free_unpacked(m, council__pb_allocator());
    rc = council__consent_withdrawal_add(c, op, id, when, reason);
    if (rc == COUNCIL_OK) {
        council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CONSENT_WITHDRAWN,
            .case_ref = ref,
            .consent_id = id,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
        };
        council__event_actor(c, &ev);
        rc = council__audit_append(c, &ev);
    }
    /* The grant goes with it: a withdrawal row deleted later brings back
     * a record that grants nothing. */
    if (rc == COUNCIL_OK)
        rc = council__consent_grant_drop(c, op, id);
    /* Withdrawal takes effect: every share that no longer has a covering
     * consent ends now. */
    if (rc == COUNCIL_OK)
        rc = council__case_recheck_consent_shares(c, op, case_id, NULL, NULL);
    return council__finish(c, rc);
}
