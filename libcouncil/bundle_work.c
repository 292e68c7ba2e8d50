/*
 * bundle_work.c - the bundles of the council's work with a member that
 * carry no case section: council_bundle_request (a cooperation request to
 * the member asked, with its text) and council_bundle_consent (a consent
 * record a member relies on). What they carried is recorded through
 * bundle.c, for the revocations (a consent withdrawn).
 */
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/bundle.pb-c.h"
#include "council/v1/consent.pb-c.h"
#include "council_int.h"
#include "attest.h"
#include "bundle.h"
#include "case_db.h"
#include "consent_db.h"
#include "event.h"
#include "log.h"
#include "memo.h"
#include "request_db.h"
#include "session.h"
#include "share_db.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define BT(x) COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_##x

/* ------------------------------------------------------------- request */

int council_bundle_request(council *c, council_buf *out, const uint8_t *request_id,
                           size_t request_id_len, const council_bundle_options *o)
{
    static const char op[] = "bundle_request";
    static const char *const kind_names[] = { "information", "opinion", "other" };
    Council__V1__BundleHeader h = COUNCIL__V1__BUNDLE_HEADER__INIT;
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__RequestBundle rq = COUNCIL__V1__REQUEST_BUNDLE__INIT;
    council_buf text = { NULL, 0 };
    char kinds[64] = "", *t = NULL;
    int64_t now = (int64_t)time(NULL), expires = 0;
    uint8_t pk[32];
    council__case k;
    council__req r;
    int rc;

    if ((rc = council__bundle_start(c, op, out, request_id, request_id_len)) != COUNCIL_OK ||
        (rc = council__bundle_opts(c, op, o, false, now, &expires, NULL)) != COUNCIL_OK ||
        (rc = council__req_load(c, op, request_id, &r)) != COUNCIL_OK ||
        (rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__case_load(c, op, r.case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (k.erased != 0 || r.state != COUNCIL_REQUEST_OPEN) {
        council__event ev = { .action = ACT(BUNDLE_EXPORTED), .case_ref = k.ref,
                              .object_id = r.id, .subject_member = r.member,
                              .reason = k.erased != 0 ? "case_erased" : "request_not_open" };
        return council__refuse_event(c, true, &ev, COUNCIL_EDENIED, op,
                                     "the request is no longer open, or its case was erased");
    }
    /* To the member asked, with a key the council signed. */
    if ((rc = council__bundle_recipient(c, op, &k, r.member, pk)) != COUNCIL_OK)
        return rc;
    /* The text asked, sealed to the member asked already: opened here only
     * to travel sealed to the same member. */
    if ((rc = council__memo_open(c, op, &text, r.text_memo, "request_text", r.id, r.case_id)) !=
        COUNCIL_OK)
        return council__finish(c, rc);
    if ((t = council__malloc(text.len + 1)) == NULL) {
        council_buf_free(&text);
        return council__finish(c, council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op));
    }
    memcpy(t, text.ptr, text.len);
    t[text.len] = '\0';
    for (size_t i = 0; i < 3; i++)
        if ((r.kinds & (1u << i)) != 0) {
            if (kinds[0] != '\0')
                strcat(kinds, ",");
            strcat(kinds, kind_names[i]);
        }
    rq.request_id.data = r.id;
    rq.request_id.len = COUNCIL_ID_BYTES;
    rq.has_case_id = 1;
    rq.case_id.data = r.case_id;
    rq.case_id.len = COUNCIL_ID_BYTES;
    rq.kind = kinds;
    rq.text = t;
    if (r.due != 0) {
        rq.has_due = 1;
        rq.due = r.due;
    }
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REQUEST;
    p.request = &rq;
    council__bundle_header(c, &h, r.member, pk, BT(REQUEST), now, expires);
    {
        /* The text's read, and the bundle. */
        council__event read = { .action = ACT(REQUEST_READ), .case_ref = k.ref,
                                .object_id = r.id, .subject_member = r.member,
                                .outcome = ALLOWED, .reason = "request_text" };
        council__event ev = { .action = ACT(BUNDLE_EXPORTED), .case_ref = k.ref,
                              .object_id = r.id, .subject_member = r.member };
        rc = council__bundle_seal(c, op, out, &h, &p, &read, &ev, NULL, NULL);
    }
    sodium_memzero(t, text.len + 1);
    council__free(t);
    council_buf_free(&text);
    return rc;
}

/* ------------------------------------------------------------- consent */

struct con_after {
    const uint8_t *member, *consent, *case_id;
    int64_t now, expires;
};

static int con_after(council *c, const char *op, const uint8_t hash[32], void *ctx)
{
    const struct con_after *a = ctx;

    return council__bundle_sent_insert(c, op, a->member, COUNCIL__SENT_CONSENT, a->case_id, NULL,
                                       a->consent, hash, a->now, a->expires);
}

int council_bundle_consent(council *c, council_buf *out, const uint8_t *consent_id,
                           size_t consent_id_len, const uint8_t *member_id, size_t member_id_len,
                           const council_bundle_options *o)
{
    static const char op[] = "bundle_consent";
    Council__V1__BundleHeader h = COUNCIL__V1__BUNDLE_HEADER__INIT;
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__ConsentBundle cb = COUNCIL__V1__CONSENT_BUNDLE__INIT;
    const Council__V1__ConsentRecord *m;
    int64_t now = (int64_t)time(NULL), expires = 0;
    council__consent_row row;
    char purposes[COUNCIL_CONSENT_LIST_MAX * (COUNCIL__AUDIT_CODE_MAX + 1) + 1] = "";
    bool ok = false, relies = false;
    uint8_t pk[32];
    council__case k;
    int rc;

    if ((rc = council__bundle_start(c, op, out, member_id, member_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, consent_id, consent_id_len)) != COUNCIL_OK ||
        (rc = council__bundle_opts(c, op, o, false, now, &expires, NULL)) != COUNCIL_OK)
        return rc;
    if ((rc = council__consent_fetch(c, op, consent_id, &row)) != COUNCIL_OK)
        return rc;
    /* Only a record its grant vouches for (the owner's or the council's). */
    rc = council__consent_row_granted(c, op, &row, &ok);
    council__consent_row_close(&row);
    m = row.m;
    if (rc == COUNCIL_OK && !ok && !m->refusal &&
        m->status != COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_WITHDRAWN) {
        (void)council__tamper(c, row.case_id, NULL, NULL, "forged_consent");
        rc = council__fail(c, COUNCIL_ETAMPER, "%s: the record has no grant by the owner or "
                           "the secretariat", op);
    }
    if (rc == COUNCIL_OK)
        rc = council__audit_batch_begin(c);
    if (rc != COUNCIL_OK) {
        council__consent_row_free(&row);
        return rc;
    }
    if ((rc = council__case_load(c, op, row.case_id, &k)) != COUNCIL_OK) {
        council__consent_row_free(&row);
        return council__finish(c, rc);
    }
    /* The member relies on it: a recipient it names, the case's owner, or
     * a holder of an active share of the case. */
    for (size_t i = 0; i < m->n_recipient_members && !relies; i++)
        relies = m->recipient_members[i].len == COUNCIL_ID_BYTES &&
                 sodium_memcmp(m->recipient_members[i].data, member_id, COUNCIL_ID_BYTES) == 0;
    relies = relies || sodium_memcmp(k.owner, member_id, COUNCIL_ID_BYTES) == 0;
    if (!relies)
        rc = council__share_active(c, op, k.id, member_id, NULL, &relies);
    if (rc == COUNCIL_OK && (!relies || k.erased != 0)) {
        council__event ev = { .action = ACT(BUNDLE_EXPORTED), .case_ref = k.ref,
                              .consent_id = consent_id, .subject_member = member_id,
                              .reason = k.erased != 0 ? "case_erased" : "not_a_recipient" };
        council__consent_row_free(&row);
        return council__refuse_event(c, true, &ev, COUNCIL_EDENIED, op,
                                     "the member neither is named by the consent nor holds "
                                     "the case");
    }
    if (rc == COUNCIL_OK)
        rc = council__bundle_recipient(c, op, &k, member_id, pk);
    else
        rc = council__finish(c, rc);
    if (rc != COUNCIL_OK) {
        council__consent_row_free(&row);
        return rc;
    }
    cb.consent_id = m->id;
    cb.case_id = m->case_id;
    cb.person_id = m->subject_person;
    cb.scopes = m->scopes;
    cb.n_scopes = m->n_scopes;
    /* Its purposes, as a comma list. */
    for (size_t i = 0; i < m->n_purposes && i < COUNCIL_CONSENT_LIST_MAX; i++) {
        size_t at = strlen(purposes), n = strlen(m->purposes[i]);
        if (at + n + 2 > sizeof purposes)
            break;
        if (at > 0)
            purposes[at++] = ',';
        memcpy(purposes + at, m->purposes[i], n + 1);
    }
    cb.purpose = purposes;
    cb.has_recorded = 1;
    cb.recorded = m->recorded;
    if (m->has_valid_until) {
        cb.has_expires = 1;
        cb.expires = m->valid_until;
    }
    cb.has_withdrawn = 1;
    cb.withdrawn = m->status == COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_WITHDRAWN;
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CONSENT;
    p.consent = &cb;
    council__bundle_header(c, &h, member_id, pk, BT(CONSENT), now, expires);
    {
        council__event ev = { .action = ACT(BUNDLE_EXPORTED), .case_ref = k.ref,
                              .consent_id = consent_id, .subject_member = member_id };
        struct con_after a = { member_id, consent_id, row.case_id, now, expires };
        rc = council__bundle_seal(c, op, out, &h, &p, NULL, &ev,
                                  cb.withdrawn ? NULL : con_after, &a);
    }
    council__consent_row_free(&row);
    return rc;
}
