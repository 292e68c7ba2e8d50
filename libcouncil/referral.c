/*
 * referral.c - referrals (つなぐ): a case's owner (or the secretariat on
 * its behalf) offers scopes of the case to another member, which accepts or
 * declines; the offer may be withdrawn; an accepted referral is completed
 * or ended. Tables: none (referral_db.c has them).
 *
 * The rows and their signatures are referral_db.c's: every operation
 * loads (and so checks) the referral before it decides anything.
 *
 * Keys: the recipient gets the offered scopes only at acceptance (or at the
 * proposal when the setting referral_read_while_deciding is on), through
 * the share machinery (share.c), so the disclosure decision runs each time.
 * The recipient's own staff cannot wrap a key they do not hold, nor sign a
 * key version: what they accept is delivered, and what they decline or end
 * is rotated, by the owner or the secretariat (council_referral_deliver).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/referral.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "text.h"
#include "log.h"
#include "session.h"
#include "sql.h"
#include "store.h"
#include "attest.h"
#include "case_db.h"
#include "casekey.h"
#include "share_db.h"
#include "memo.h"
#include "scope.h"
#include "share.h"
#include "event.h"
#include "referral_db.h"
#include "meeting.h"
#include "referral.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define SCOPES_MAX COUNCIL__REFERRAL_SCOPES_MAX
#define REFUSED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED

static int action_of(int state)
{
    switch (state) {
    case COUNCIL_REFERRAL_PROPOSED: return ACT(REFERRAL_PROPOSED);
    case COUNCIL_REFERRAL_ACCEPTED: return ACT(REFERRAL_ACCEPTED);
    case COUNCIL_REFERRAL_DECLINED: return ACT(REFERRAL_DECLINED);
    case COUNCIL_REFERRAL_WITHDRAWN: return ACT(REFERRAL_WITHDRAWN);
    case COUNCIL_REFERRAL_COMPLETED: return ACT(REFERRAL_COMPLETED);
    default: return ACT(REFERRAL_ENDED);
    }
}

/* A refusal about referral r (or the one being proposed): the operation's
 * transaction rolled back (in_txn), then the event appended on its own
 * (held, inside an operation run as one batch, to stand if it rolls back). */
static int refuse(council *c, bool in_txn, int action, const uint8_t *object, const uint8_t *ref,
                  const char *const *scopes, size_t n, const uint8_t *subject, int err,
                  const char *reason, const char *op, const char *msg)
{
    council__event ev = {
        .action = action,
        .object_id = object,
        .case_ref = ref,
        .scopes = scopes,
        .n_scopes = n,
        .subject_member = subject,
        .reason = reason,
    };

    return council__refuse_event(c, in_txn, &ev, err, op, msg);
}

/* A step's event; bundle_hash (32 bytes, or NULL): the step came in that
 * member bundle (bundle_import.c). */
static int log_step_by(council *c, int action, const council__referral_row *r, const council__case *k,
                       const char *const *scopes, size_t n, const char *reason,
                       const uint8_t *bundle_hash)
{
    council__event ev = {
        .action = action,
        .object_id = r->id,
        .bundle_hash = bundle_hash,
        .case_ref = k->ref,
        .scopes = scopes,
        .n_scopes = n,
        .purpose = r->purpose,
        .basis = r->basis,
        .consent_id = r->has_consent ? r->consent : NULL,
        .subject_member = r->to,
        .outcome = ALLOWED,
        .reason = reason,
    };

    council__event_actor(c, &ev);
    return council__audit_append(c, &ev);
}

static int log_step(council *c, int action, const council__referral_row *r, const council__case *k,
                    const char *const *scopes, size_t n, const char *reason)
{
    return log_step_by(c, action, r, k, scopes, n, reason, NULL);
}
/* May this session sign key versions and wrap the case's keys (the
 * secretariat, or the owner's staff)? */
static bool holds_keys(const council *c, const council__case *k)
{
    return council__is_secretariat(c) || council__case_is_owner(c, k);
}

static void share_opts(const council__referral_row *r, council_share_options *so, const char *const *scopes,
                       size_t n)
{
    council_share_options init = COUNCIL_SHARE_OPTIONS_INIT;

    *so = init;
    so->scopes = scopes;
    so->n_scopes = n;
    so->purpose = r->purpose;
    so->basis = r->basis;
    so->reason = r->has_reason ? r->reason : NULL;
    so->consent_id = r->has_consent ? r->consent : NULL;
    so->consent_id_len = r->has_consent ? COUNCIL_ID_BYTES : 0;
}

/* Share the offered scopes the recipient does not hold yet (through the
 * decision: share.c logs and refuses), then record them (signed). Its own
 * transactions; the caller holds none. */
static int deliver(council *c, const char *op, council__referral_row *r)
{
    const char *fresh[COUNCIL__REFERRAL_SCOPES_MAX], *all[2 * COUNCIL__REFERRAL_SCOPES_MAX];
    char text[COUNCIL__REFERRAL_TEXT_MAX];
    size_t n_fresh = 0, n_all = 0;
    council_share_options so;
    int rc;

    for (size_t i = 0; i < r->n_scopes; i++) {
        bool held = false;
        if ((rc = council__share_active(c, op, r->case_id, r->to, r->scopes[i], &held)) != COUNCIL_OK)
            return rc;
        /* Not held now: never shared, or a share of ours ended meanwhile
         * (shared again). */
        if (!held)
            fresh[n_fresh++] = r->scopes[i];
    }
    if (n_fresh == 0)
        return COUNCIL_OK;
    share_opts(r, &so, fresh, n_fresh);
    if ((rc = council__case_share_in(c, op, r->case_id, COUNCIL_ID_BYTES, r->to, COUNCIL_ID_BYTES,
                                     &so, NULL)) != COUNCIL_OK)
        return rc;
    for (size_t j = 0; j < r->n_shared; j++)
        all[n_all++] = r->shared_scopes[j];
    for (size_t i = 0; i < n_fresh; i++)
        all[n_all++] = fresh[i];
    if (!council__referral_join(text, sizeof text, all, n_all))
        return council__fail(c, COUNCIL_ELIMIT, "%s: too many scopes", op);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    rc = council__referral_put_shared(c, op, r, text);
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK) {
        memcpy(r->shared_text, text, sizeof text);
        (void)council__referral_split(r->shared_text, r->shared, r->shared_scopes, &r->n_shared);
    }
    return rc;
}

/* End the referral's share (in the caller's transaction): the share rows
 * revoked, the recipient's wraps destroyed; in a session that may make key
 * versions, the keys rotated and the shared list emptied. */
static int end_share(council *c, const char *op, const council__referral_row *r, const council__case *k,
                     const char *reason)
{
    int rc = COUNCIL_OK;

    if (r->n_shared == 0)
        return COUNCIL_OK;
    for (size_t i = 0; rc == COUNCIL_OK && i < r->n_shared; i++) {
        bool active = false;
        rc = council__share_active(c, op, r->case_id, r->to, r->shared_scopes[i], &active);
        if (rc == COUNCIL_OK && active)
            rc = council__share_end(c, op, k, r->to, r->shared_scopes[i], reason);
    }
    if (rc == COUNCIL_OK)
        rc = council__case_log(c, ACT(SHARE_REVOKED), k, r->shared_scopes, r->n_shared, r->purpose,
                               r->to, reason);
    if (rc != COUNCIL_OK || !holds_keys(c, k))
        return rc;
    for (size_t i = 0; rc == COUNCIL_OK && i < r->n_shared; i++) {
        uint32_t latest = 0;
        rc = council__key_latest(c, op, r->case_id, r->shared_scopes[i], &latest);
        if (rc == COUNCIL_OK && latest > 0)
            rc = council__key_new(c, op, r->case_id, r->shared_scopes[i], NULL, NULL);
    }
    if (rc == COUNCIL_OK)
        rc = council__case_log(c, ACT(KEY_ROTATED), k, r->shared_scopes, r->n_shared, NULL, r->to,
                               "referral_ended");
    if (rc == COUNCIL_OK)
        rc = council__referral_put_shared(c, op, r, "");
    return rc;
}

static int seal_text(council *c, const char *op, uint8_t memo[COUNCIL_ID_BYTES], const char *kind,
                     const council__referral_row *r, const uint8_t *text, size_t len)
{
    uint8_t readers[2][COUNCIL_ID_BYTES];

    memcpy(readers[0], r->to, COUNCIL_ID_BYTES);
    memcpy(readers[1], r->from, COUNCIL_ID_BYTES);
    return council__memo_seal(c, op, memo, kind, r->id, r->case_id,
                              (const uint8_t(*)[COUNCIL_ID_BYTES])readers, 2, text, len);
}

static bool text_bytes_ok(const uint8_t *t, size_t len)
{
    return t != NULL && len > 0 && len <= COUNCIL__MEMO_MAX && council__text_ok((const char *)t, len);
}

/* ---------------------------------------------------------------- propose */

int council_referral_propose(council *c, uint8_t *id, size_t id_len,
                             const council_referral_options *o)
{
    static const char op[] = "referral_propose";
    council_buf why = { NULL, 0 };
    council_share_options so;
    council__case k;
    council__referral_row *r = NULL;
    council__referral_step s;
    int on = 0, rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (id == NULL || id_len != COUNCIL_ID_BYTES || o == NULL ||
        o->version != COUNCIL_REFERRAL_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: a 16-byte id output and options of a known "
                             "version are needed", op);
    if ((rc = council__id_arg(c, op, o->case_id, o->case_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, o->to_member, o->to_member_len)) != COUNCIL_OK ||
        (o->person_id != NULL && (rc = council__id_arg(c, op, o->person_id, o->person_id_len)) != COUNCIL_OK) ||
        (o->decision_id != NULL &&
         (rc = council__id_arg(c, op, o->decision_id, o->decision_id_len)) != COUNCIL_OK))
        return rc;
    if (o->scopes == NULL || o->n_scopes == 0 || o->n_scopes > COUNCIL__REFERRAL_SCOPES_MAX)
        return council__fail(c, COUNCIL_EINVAL, "%s: 1..%d scopes", op, COUNCIL__REFERRAL_SCOPES_MAX);
    for (size_t i = 0; i < o->n_scopes; i++) {
        if (o->scopes[i] == NULL || !council__audit_code_ok(o->scopes[i]))
            return council__fail(c, COUNCIL_EINVAL, "%s: a scope is a code [a-z0-9_]{1,64}", op);
        for (size_t j = 0; j < i; j++)
            if (strcmp(o->scopes[i], o->scopes[j]) == 0)
                return council__fail(c, COUNCIL_EINVAL, "%s: a scope named twice", op);
    }
    if (o->purpose != NULL && !council__audit_code_ok(o->purpose))
        return council__fail(c, COUNCIL_EINVAL, "%s: a purpose is a code [a-z0-9_]{1,64}", op);
    if (o->basis == NULL || !council__audit_code_ok(o->basis))
        return council__fail(c, COUNCIL_EINVAL, "%s: a basis code is needed", op);
    if (o->note != NULL && !text_bytes_ok(o->note, o->note_len))
        return council__fail(c, COUNCIL_EINVAL, "%s: the note is 1..%d bytes of UTF-8 text", op,
                             COUNCIL__MEMO_MAX);
    if ((r = council__calloc(1, sizeof *r)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    council__uuid_random(r->id);
    memcpy(r->case_id, o->case_id, 16);
    memcpy(r->to, o->to_member, 16);
    if ((r->has_person = o->person_id != NULL))
        memcpy(r->person, o->person_id, 16);
    if ((r->has_decision = o->decision_id != NULL))
        memcpy(r->decision, o->decision_id, 16);
    if ((r->has_consent = o->consent_id != NULL && o->consent_id_len == 16))
        memcpy(r->consent, o->consent_id, 16);
    snprintf(r->purpose, sizeof r->purpose, "%s", o->purpose != NULL ? o->purpose : "referral");
    snprintf(r->basis, sizeof r->basis, "%s", o->basis);
    if (o->reason != NULL) {
        if (!council__text_arg(o->reason, COUNCIL_CONTACT_MAX)) {
            rc = council__fail(c, COUNCIL_EINVAL, "%s: bad reason text", op);
            goto out;
        }
        r->has_reason = true;
        snprintf(r->reason, sizeof r->reason, "%s", o->reason);
    }
    for (size_t i = 0; i < o->n_scopes; i++)
        r->scopes[i] = o->scopes[i];
    r->n_scopes = o->n_scopes;
    if (!council__referral_join(r->scopes_text, sizeof r->scopes_text, r->scopes, r->n_scopes)) {
        rc = council__fail(c, COUNCIL_EINVAL, "%s: too many scopes", op);
        goto out;
    }
    (void)council__referral_split(r->scopes_text, r->scope, r->scopes, &r->n_scopes);
    /* The case, the session's right, the person, the scopes. */
    if ((rc = council__case_load(c, op, r->case_id, &k)) != COUNCIL_OK)
        goto out;
    memcpy(r->from, k.owner, 16);
    if (k.erased != 0) {
        rc = refuse(c, false, ACT(REFERRAL_PROPOSED), r->id, k.ref, r->scopes, r->n_scopes, r->to,
                    COUNCIL_EDENIED, "case_erased", op, "the case was erased");
        goto out;
    }
    if (!holds_keys(c, &k)) {
        rc = refuse(c, false, ACT(REFERRAL_PROPOSED), r->id, k.ref, r->scopes, r->n_scopes, r->to,
                    COUNCIL_EDENIED, "not_owner", op, "only the secretariat or the owning member "
                    "proposes a referral of a case");
        goto out;
    }
    if (sodium_memcmp(r->to, k.owner, 16) == 0) {
        rc = council__fail(c, COUNCIL_EINVAL, "%s: the owner cannot be the recipient", op);
        goto out;
    }
    if (r->has_person && (rc = council__case_person_of(c, op, r->case_id, r->person)) != COUNCIL_OK)
        goto out;
    /* A referral a meeting decided names a signed decision about this case. */
    if (r->has_decision &&
        (rc = council__meeting_decision_check(c, op, r->decision, r->case_id)) != COUNCIL_OK)
        goto out;
    for (size_t i = 0; i < r->n_scopes; i++)
        if ((rc = council__scope_known(c, op, r->scopes[i])) != COUNCIL_OK)
            goto out;
    /* The disclosure decision, as a share would take it. */
    share_opts(r, &so, r->scopes, r->n_scopes);
    rc = council_case_share_check(c, &why, r->case_id, 16, r->to, 16, &so);
    if (rc == COUNCIL_ENOCONSENT || rc == COUNCIL_EDENIED || rc == COUNCIL_EAUTH) {
        char reason[COUNCIL__AUDIT_CODE_MAX + 1] = "refused";
        if (why.ptr != NULL && why.len <= COUNCIL__AUDIT_CODE_MAX)
            memcpy(reason, why.ptr, why.len + 1);
        rc = refuse(c, false, rc == COUNCIL_ENOCONSENT ? ACT(DISCLOSURE_REFUSED) : ACT(REFERRAL_PROPOSED),
                    r->id, k.ref, r->scopes, r->n_scopes, r->to, rc, reason, op,
                    "refused by the disclosure decision or the recipient's standing");
        goto out;
    }
    if (rc != COUNCIL_OK)
        goto out;
    /* Read while deciding: the share now. */
    if ((rc = council_referral_read_while_deciding_get(c, &on)) != COUNCIL_OK)
        goto out;
    if (on) {
        const char *fresh[COUNCIL__REFERRAL_SCOPES_MAX];
        size_t n = 0;
        for (size_t i = 0; i < r->n_scopes; i++) {
            bool held = false;
            if ((rc = council__share_active(c, op, r->case_id, r->to, r->scopes[i], &held)) != COUNCIL_OK)
                goto out;
            if (!held)
                fresh[n++] = r->scopes[i];
        }
        if (n > 0) {
            council_share_options fo;
            share_opts(r, &fo, fresh, n);
            if ((rc = council__case_share_in(c, op, r->case_id, 16, r->to, 16, &fo, NULL)) != COUNCIL_OK)
                goto out;
            if (!council__referral_join(r->shared_text, sizeof r->shared_text, fresh, n)) {
                rc = council__fail(c, COUNCIL_ELIMIT, "%s: too many scopes", op);
                goto out;
            }
            (void)council__referral_split(r->shared_text, r->shared, r->shared_scopes, &r->n_shared);
        }
    }
    /* The offer, its first step, the note: one transaction. */
    r->created = (int64_t)time(NULL);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        goto undo;
    if (o->note != NULL) {
        r->has_note = true;
        rc = seal_text(c, op, r->note, "referral_note", r, o->note, o->note_len);
    }
    if (rc == COUNCIL_OK)
        rc = council__referral_insert(c, op, r);
    memset(&s, 0, sizeof s);
    s.state = COUNCIL_REFERRAL_PROPOSED;
    s.at = r->created;
    if ((s.has_by = !council__is_root(c)))
        memcpy(s.by, c->actor_staff, 16);
    if (rc == COUNCIL_OK)
        rc = council__referral_put_step(c, op, r, 0, &s);
    if (rc == COUNCIL_OK && r->n_shared > 0)
        rc = council__referral_put_shared(c, op, r, r->shared_text);
    if (rc == COUNCIL_OK)
        rc = log_step(c, ACT(REFERRAL_PROPOSED), r, &k, r->scopes, r->n_scopes,
                      on ? "read_while_deciding" : NULL);
    rc = council__finish(c, rc);
undo:
    /* The share made for reading while deciding goes with a failed offer. */
    if (rc != COUNCIL_OK && r->n_shared > 0) {
        char msg[256];
        int urc;
        snprintf(msg, sizeof msg, "%s", council_errmsg(c));
        urc = council_case_revoke(c, r->case_id, 16, r->to, 16, r->shared_scopes, r->n_shared,
                                  "referral_failed");
        (void)urc;
        (void)council__fail(c, rc, "%s", msg);
    }
    if (rc == COUNCIL_OK)
        memcpy(id, r->id, 16);
out:
    council_buf_free(&why);
    sodium_memzero(r, sizeof *r);
    council__free(r);
    return rc;
}

/* ------------------------------------------------------------ transitions */

/* A step by the session's member, or (as_member not NULL) by that member
 * through a bundle the council imported (bundle_hash): then the council's
 * session signs the step, and the member must be the party of the step. */
static int transition(council *c, const char *op, const uint8_t *id, size_t id_len, int to_state,
                      const char *reason_code, const uint8_t *reason_text, size_t reason_text_len,
                      unsigned flags, const uint8_t *as_member, const uint8_t *bundle_hash)
{
    council__case k;
    council__referral_row *r = NULL;
    council__referral_step s;
    bool entitled, share_now = false, outer = false;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, id, id_len)) != COUNCIL_OK)
        return rc;
    if (to_state < COUNCIL_REFERRAL_ACCEPTED || to_state > COUNCIL_REFERRAL_ENDED ||
        (flags & ~COUNCIL_REFERRAL_KEEP_SHARE) != 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: a state 2..6 and known flags", op);
    if (reason_code != NULL && !council__audit_code_ok(reason_code))
        return council__fail(c, COUNCIL_EINVAL, "%s: a reason is a code [a-z0-9_]{1,64}", op);
    if (reason_code != NULL && (strcmp(reason_code, council__referral_reserved[0]) == 0 ||
                                strcmp(reason_code, council__referral_reserved[1]) == 0))
        return council__fail(c, COUNCIL_EINVAL, "%s: the reason code %s is the library's own", op,
                             reason_code);
    if (reason_code == NULL &&
        (to_state == COUNCIL_REFERRAL_DECLINED || to_state == COUNCIL_REFERRAL_ENDED))
        return council__fail(c, COUNCIL_EINVAL, "%s: declining or ending needs a reason code", op);
    if (reason_text != NULL && !text_bytes_ok(reason_text, reason_text_len))
        return council__fail(c, COUNCIL_EINVAL, "%s: the reason text is 1..%d bytes of UTF-8", op,
                             COUNCIL__MEMO_MAX);
    if ((r = council__calloc(1, sizeof *r)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        goto out;
    if ((rc = council__referral_load(c, op, id, r)) != COUNCIL_OK ||
        (rc = council__case_load(c, op, r->case_id, &k)) != COUNCIL_OK ||
        (rc = council__referral_log_check(c, op, r, k.ref)) != COUNCIL_OK) {
        rc = council__finish(c, rc);
        goto out;
    }
    if (as_member != NULL)
        entitled = sodium_memcmp(as_member, council__referral_party(r, to_state), COUNCIL_ID_BYTES) == 0;
    else
        entitled = council__is_secretariat(c) ||
                   (!council__is_root(c) &&
                    sodium_memcmp(c->actor_member, council__referral_party(r, to_state),
                                  COUNCIL_ID_BYTES) == 0);
    if (!entitled) {
        rc = refuse(c, true, action_of(to_state), r->id, k.ref, r->scopes, r->n_scopes, r->to,
                    COUNCIL_EDENIED, "not_entitled", op, "the session's member is not the one "
                    "that takes this step of the referral");
        goto out;
    }
    if (!council__referral_step_allowed(r->state, to_state)) {
        rc = refuse(c, true, action_of(to_state), r->id, k.ref, r->scopes, r->n_scopes, r->to,
                    COUNCIL_EINVAL, "referral_state", op, council__referral_final(r->state)
                        ? "the referral is in a final state"
                        : "the referral's state does not allow this step");
        goto out;
    }
    /* Accepted by a session holding the keys: the share first (the
     * decision again; its refusal leaves the referral proposed), then the
     * step, in one transaction (the share does not stand without it). */
    share_now = to_state == COUNCIL_REFERRAL_ACCEPTED && holds_keys(c, &k);
    if (share_now) {
        council__audit_batch_rollback(c);
        if ((rc = council__op_batch_begin(c, op)) != COUNCIL_OK)
            goto out;
        outer = true;
        if ((rc = deliver(c, op, r)) != COUNCIL_OK)
            goto out;
        if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
            goto out;
        if ((rc = council__referral_load(c, op, id, r)) != COUNCIL_OK ||
            (rc = council__referral_log_check(c, op, r, k.ref)) != COUNCIL_OK) {
            rc = council__finish(c, rc);
            goto out;
        }
        if (!council__referral_step_allowed(r->state, to_state)) {
            rc = council__finish(c, council__fail(c, COUNCIL_EINVAL, "%s: the referral changed "
                                                  "meanwhile", op));
            goto out;
        }
    }
    memset(&s, 0, sizeof s);
    s.state = to_state;
    s.at = (int64_t)time(NULL);
    if ((s.has_by = as_member == NULL && !council__is_root(c)))
        memcpy(s.by, c->actor_staff, 16);
    if (reason_code != NULL)
        snprintf(s.reason, sizeof s.reason, "%s", reason_code);
    if (reason_text != NULL) {
        s.has_memo = true;
        rc = seal_text(c, op, s.memo, "referral_reason", r, reason_text, reason_text_len);
    }
    if (rc == COUNCIL_OK)
        rc = council__referral_put_step(c, op, r, (uint32_t)r->n_steps, &s);
    if (rc == COUNCIL_OK && (to_state == COUNCIL_REFERRAL_DECLINED ||
                             to_state == COUNCIL_REFERRAL_WITHDRAWN ||
                             to_state == COUNCIL_REFERRAL_ENDED ||
                             (to_state == COUNCIL_REFERRAL_COMPLETED &&
                              !(flags & COUNCIL_REFERRAL_KEEP_SHARE)))) {
        rc = end_share(c, op, r, &k, to_state == COUNCIL_REFERRAL_COMPLETED ? "referral_completed"
                                     : to_state == COUNCIL_REFERRAL_ENDED ? "referral_ended"
                                     : to_state == COUNCIL_REFERRAL_DECLINED ? "referral_declined"
                                                                            : "referral_withdrawn");
        /* The recipient's copy of the note goes with a referral that never
         * started. */
        if (rc == COUNCIL_OK && r->has_note &&
            (to_state == COUNCIL_REFERRAL_DECLINED || to_state == COUNCIL_REFERRAL_WITHDRAWN))
            rc = council__memo_drop(c, op, r->note, r->to);
    }
    if (rc == COUNCIL_OK)
        rc = log_step_by(c, action_of(to_state), r, &k, r->scopes, r->n_scopes,
                         reason_code != NULL ? reason_code : bundle_hash != NULL ? "bundle" : NULL,
                         bundle_hash);
    rc = council__finish(c, rc);
out:
    if (outer)
        rc = council__op_batch_end(c, op, rc);
    sodium_memzero(r, sizeof *r);
    council__free(r);
    return rc;
}

int council_referral_transition(council *c, const uint8_t *id, size_t id_len, int to_state,
                                const char *reason_code, const uint8_t *reason_text,
                                size_t reason_text_len, unsigned flags)
{
    return transition(c, "referral_transition", id, id_len, to_state, reason_code, reason_text,
                      reason_text_len, flags, NULL, NULL);
}

int council__referral_step_as(council *c, const uint8_t id[COUNCIL_ID_BYTES], int to_state,
                              const char *reason_code, const uint8_t member[COUNCIL_ID_BYTES],
                              const uint8_t bundle_hash[32])
{
    if (!council__is_coordinator(c))
        return council__fail(c, COUNCIL_EDENIED, "referral_step: only the council's session takes "
                             "a member's step from its bundle");
    return transition(c, "referral_step", id, COUNCIL_ID_BYTES, to_state, reason_code, NULL, 0, 0,
                      member, bundle_hash);
}

int council_referral_deliver(council *c, const uint8_t *id, size_t id_len)
{
    static const char op[] = "referral_deliver";
    council__case k;
    council__referral_row *r = NULL;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, id, id_len)) != COUNCIL_OK)
        return rc;
    if ((r = council__calloc(1, sizeof *r)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    /* One transaction: the share, the referral's shared list and its event
     * stand together or not at all (each step below is a savepoint in it;
     * a refusal or finding is appended on its own if it rolls back). */
    if ((rc = council__op_batch_begin(c, op)) != COUNCIL_OK)
        goto out_free;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        goto out;
    if ((rc = council__referral_load(c, op, id, r)) != COUNCIL_OK ||
        (rc = council__case_load(c, op, r->case_id, &k)) != COUNCIL_OK) {
        rc = council__finish(c, rc);
        goto out;
    }
    /* The rows must be the history the log holds: a step deleted and
     * another signed by the recipient's staff gets no keys. */
    if ((rc = council__referral_log_check(c, op, r, k.ref)) != COUNCIL_OK) {
        rc = council__finish(c, rc);
        goto out;
    }
    if (!holds_keys(c, &k)) {
        rc = refuse(c, true, ACT(REFERRAL_ACCEPTED), r->id, k.ref, r->scopes, r->n_scopes, r->to,
                    COUNCIL_EDENIED, "not_owner", op, "only the secretariat or the owning member "
                    "delivers a referral's keys");
        goto out;
    }
    if (r->state == COUNCIL_REFERRAL_ACCEPTED) {
        council__audit_batch_rollback(c);
        if ((rc = deliver(c, op, r)) == COUNCIL_OK && (rc = council__audit_batch_begin(c)) == COUNCIL_OK)
            rc = council__finish(c, log_step(c, ACT(REFERRAL_ACCEPTED), r, &k, r->shared_scopes,
                                             r->n_shared, "referral_delivered"));
        goto out;
    }
    if (council__referral_final(r->state)) {
        bool keep = r->state == COUNCIL_REFERRAL_COMPLETED;
        /* A completed referral keeps what it kept; the others rotate what
         * the recipient's staff could only give up. */
        rc = keep ? COUNCIL_OK : end_share(c, op, r, &k, "referral_ended");
        rc = council__finish(c, rc);
        goto out;
    }
    rc = council__finish(c, council__fail(c, COUNCIL_EINVAL, "%s: the referral is not accepted "
                                          "yet", op));
out:
    rc = council__op_batch_end(c, op, rc);
out_free:
    sodium_memzero(r, sizeof *r);
    council__free(r);
    return rc;
}

/* ---------------------------------------------------------------- reading */

static bool may_see(const council *c, const council__referral_row *r)
{
    return council__is_secretariat(c) || council__is_coordinator(c) ||
           (!council__is_root(c) && (sodium_memcmp(c->actor_member, r->from, 16) == 0 ||
                                     sodium_memcmp(c->actor_member, r->to, 16) == 0));
}

static bool dup_bin(ProtobufCBinaryData *d, const uint8_t *p, size_t n)
{
    if ((d->data = council__malloc(n)) == NULL)
        return false;
    memcpy(d->data, p, n);
    d->len = n;
    return true;
}

static bool dup_strs(char ***out, size_t *n_out, const char *const *s, size_t n)
{
    *n_out = 0;
    if (n == 0)
        return true;
    if ((*out = council__calloc(n, sizeof **out)) == NULL)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (((*out)[i] = council__strdup(s[i])) == NULL)
            return false;
        (*n_out)++;
    }
    return true;
}

/* r as a message (council__malloc'd; free with free_unpacked). */
static Council__V1__Referral *to_msg(const council__referral_row *r)
{
    Council__V1__Referral *m = council__calloc(1, sizeof *m);
    bool ok;

    if (m == NULL)
        return NULL;
    council__v1__referral__init(m);
    ok = dup_bin(&m->id, r->id, 16) && dup_bin(&m->case_id, r->case_id, 16) &&
         dup_bin(&m->from_member, r->from, 16) && dup_bin(&m->to_member, r->to, 16) &&
         dup_strs(&m->scopes, &m->n_scopes, r->scopes, r->n_scopes) &&
         dup_strs(&m->shared_scopes, &m->n_shared_scopes, r->shared_scopes, r->n_shared) &&
         (m->purpose = council__strdup(r->purpose)) != NULL &&
         (m->basis = council__strdup(r->basis)) != NULL;
    if (ok && r->has_person)
        ok = (m->has_person_id = dup_bin(&m->person_id, r->person, 16));
    if (ok && r->has_consent)
        ok = (m->has_consent_id = dup_bin(&m->consent_id, r->consent, 16));
    if (ok && r->has_decision)
        ok = (m->has_decision_id = dup_bin(&m->decision_id, r->decision, 16));
    m->has_has_note = true;
    m->has_note = r->has_note;
    m->state = (Council__V1__ReferralState)r->state;
    m->created = r->created;
    if (ok && (m->steps = council__calloc(r->n_steps, sizeof *m->steps)) == NULL)
        ok = false;
    for (size_t i = 0; ok && i < r->n_steps; i++) {
        const council__referral_step *s = &r->steps[i];
        Council__V1__ReferralStep *p = council__calloc(1, sizeof *p);
        if ((m->steps[i] = p) == NULL) {
            ok = false;
            break;
        }
        m->n_steps++;
        council__v1__referral_step__init(p);
        p->state = (Council__V1__ReferralState)s->state;
        p->at = s->at;
        ok = dup_bin(&p->signer, s->signer, 16);
        if (ok && s->has_by)
            ok = (p->has_by_staff = dup_bin(&p->by_staff, s->by, 16));
        if (ok && s->reason[0] != '\0')
            ok = (p->reason_code = council__strdup(s->reason)) != NULL;
        p->has_has_reason_text = true;
        p->has_reason_text = s->has_memo;
    }
    if (!ok) {
        council__v1__referral__free_unpacked(m, council__pb_allocator());
        return NULL;
    }
    return m;
}

static int pack_out(council *c, const char *op, council_buf *out, const ProtobufCMessage *m)
{
    size_t n = protobuf_c_message_get_packed_size(m);

    if ((out->ptr = council__malloc(n > 0 ? n : 1)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    out->len = protobuf_c_message_pack(m, out->ptr);
    return COUNCIL_OK;
}

int council_referral_get(council *c, council_buf *out, const uint8_t *id, size_t id_len)
{
    static const char op[] = "referral_get";
    Council__V1__Referral *m;
    council__referral_row *r;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__id_arg(c, op, id, id_len)) != COUNCIL_OK)
        return rc;
    if ((r = council__calloc(1, sizeof *r)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    if ((rc = council__referral_load(c, op, id, r)) == COUNCIL_OK && !may_see(c, r))
        rc = council__fail(c, COUNCIL_EDENIED, "%s: the referral is neither sent nor received by "
                           "the session's member", op);
    if (rc == COUNCIL_OK) {
        if ((m = to_msg(r)) == NULL)
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        else {
            rc = pack_out(c, op, out, &m->base);
            council__v1__referral__free_unpacked(m, council__pb_allocator());
        }
    }
    if (rc == COUNCIL_OK)
        council__clear(c);
    council__free(r);
    return rc;
}

int council_referral_note(council *c, council_buf *out, const uint8_t *id, size_t id_len,
                          unsigned which)
{
    static const char op[] = "referral_note";
    council__case k;
    council__referral_row *r;
    const uint8_t *memo = NULL;
    const char *kind = "referral_note";
    int action = ACT(REFERRAL_PROPOSED), rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__id_arg(c, op, id, id_len)) != COUNCIL_OK)
        return rc;
    if ((r = council__calloc(1, sizeof *r)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    if ((rc = council__referral_load(c, op, id, r)) != COUNCIL_OK || (rc = council__case_load(c, op, r->case_id, &k)) != COUNCIL_OK)
        goto out;
    if (which == COUNCIL_REFERRAL_NOTE && r->has_note)
        memo = r->note;
    else if (which > 0 && which < r->n_steps && r->steps[which].has_memo) {
        memo = r->steps[which].memo;
        kind = "referral_reason";
        action = action_of(r->steps[which].state);
    }
    if (memo == NULL) {
        rc = council__fail(c, COUNCIL_ENOTFOUND, "%s: no such text", op);
        goto out;
    }
    {
        /* Log first (the read), then open and return. */
        council__event ev = {
            .action = action,
            .object_id = r->id,
            .case_ref = k.ref,
            .subject_member = r->to,
            .outcome = ALLOWED,
            .reason = "referral_note_read",
        };
        bool yes = false;
        if (!council__is_coordinator(c) && !council__is_secretariat(c) &&
            (rc = council__memo_reader(c, op, memo, c->actor_member, &yes)) == COUNCIL_OK && !yes)
            rc = COUNCIL_EDENIED;
        if (rc == COUNCIL_EDENIED) {
            rc = refuse(c, false, action, r->id, k.ref, NULL, 0, r->to, COUNCIL_EDENIED,
                        "no_copy", op, "the session holds no copy of the text");
            goto out;
        }
        if (rc != COUNCIL_OK)
            goto out;
        council__event_actor(c, &ev);
        if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK)
            goto out;
    }
    rc = council__memo_open(c, op, out, memo, kind, r->id, r->case_id);
    if (rc == COUNCIL_OK)
        council__clear(c);
out:
    council__free(r);
    return rc;
}

struct list_ctx {
    Council__V1__ReferralList *l;
    size_t cap;
};

int council_referral_list(council *c, council_buf *out, const council_referral_filter *f)
{
    static const char op[] = "referral_list";
    Council__V1__ReferralList l = COUNCIL__V1__REFERRAL_LIST__INIT;
    uint8_t (*ids)[COUNCIL_ID_BYTES] = NULL;
    size_t n = 0;
    council__referral_row *r = NULL;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (f != NULL && (f->version != COUNCIL_REFERRAL_FILTER_VERSION ||
                      (f->case_id != NULL && f->case_id_len != 16) ||
                      (f->member_id != NULL && f->member_id_len != 16) || f->state < 0 ||
                      f->state > COUNCIL_REFERRAL_ENDED))
        return council__fail(c, COUNCIL_EINVAL, "%s: bad filter", op);
    if ((rc = council__referral_ids(c, op, f != NULL ? f->case_id : NULL,
                                    f != NULL ? f->member_id : NULL, &ids, &n)) != COUNCIL_OK)
        return rc;
    if ((r = council__calloc(1, sizeof *r)) == NULL ||
        (n > 0 && (l.referrals = council__calloc(n, sizeof *l.referrals)) == NULL)) {
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        Council__V1__Referral *m;
        rc = council__referral_load(c, op, ids[i], r);
        if (rc == COUNCIL_ETAMPER)
            continue; /* logged; left out */
        if (rc != COUNCIL_OK)
            goto out;
        if (!may_see(c, r) || (f != NULL && f->state != 0 && r->state != f->state))
            continue;
        if ((m = to_msg(r)) == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            goto out;
        }
        l.referrals[l.n_referrals++] = m;
    }
    rc = pack_out(c, op, out, &l.base);
    if (rc == COUNCIL_OK)
        council__clear(c);
out:
    for (size_t i = 0; i < l.n_referrals; i++)
        council__v1__referral__free_unpacked(l.referrals[i], council__pb_allocator());
    council__free(l.referrals);
    council__free(ids);
    council__free(r);
    return rc;
}

/* ---------------------------------------------------------------- setting */

int council_referral_read_while_deciding_set(council *c, int on)
{
    static const char op[] = "referral_read_while_deciding_set";
    uint8_t v = (uint8_t)(on ? 1 : 0), sig[64], signer[COUNCIL_ID_BYTES];
    int rc;

    if ((rc = council__secretariat_only(c, op)) != COUNCIL_OK)
        return rc;
    if (on != 0 && on != 1)
        return council__fail(c, COUNCIL_EINVAL, "%s: on is 0 or 1", op);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if (council__setting_put(c, "referral_read_while_deciding", &v, 1, true) != COUNCIL_OK)
        rc = council__db_err(c, op);
    if (rc == COUNCIL_OK &&
        (rc = council__attest_sign(c, "referral_read_while_deciding", &v, 1, signer, sig)) ==
            COUNCIL_OK &&
        council__setting_put(c, "referral_read_while_deciding_sig", sig, sizeof sig, true) != COUNCIL_OK)
        rc = council__db_err(c, op);
    if (rc == COUNCIL_OK) {
        council__event ev = {
            .action = ACT(SETTING_CHANGED),
            .outcome = ALLOWED,
            .reason = "referral_read_while_deciding",
        };
        council__event_actor(c, &ev);
        rc = council__audit_append(c, &ev);
    }
    return council__finish(c, rc);
}

int council_referral_read_while_deciding_get(council *c, int *on)
{
    static const uint8_t council_signer[COUNCIL_ID_BYTES];
    static const char op[] = "referral_read_while_deciding_get";
    uint8_t *v = NULL, *sig = NULL;
    size_t n = 0, sig_len = 0;
    int rc;

    if (on == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    *on = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if ((rc = council__setting_get(c, "referral_read_while_deciding", &v, &n)) == COUNCIL_OK && v != NULL)
        rc = council__setting_get(c, "referral_read_while_deciding_sig", &sig, &sig_len);
    if (rc != COUNCIL_OK) {
        council__free(v);
        return rc == COUNCIL_ENOMEM ? council__fail(c, rc, "%s: out of memory", op)
                                    : council__db_err(c, op);
    }
    if (v != NULL) {
        if (n != 1 || v[0] > 1 ||
            council__attest_check(c, "referral_read_while_deciding", v, n, council_signer, COUNCIL_ID_BYTES,
                                  sig, sig_len) != COUNCIL_OK) {
            (void)council__tamper(c, NULL, NULL, NULL, "forged_setting");
            rc = council__fail(c, COUNCIL_ETAMPER, "%s: the stored setting is not the one the "
                               "secretariat set: set it again", op);
        } else {
            *on = v[0];
        }
    }
    council__free(v);
    council__free(sig);
    return rc;
}

/* ---------------------------------------------------------------- report */

int council__referral_counts(council *c, const char *op, int64_t from, int64_t to,
                             int64_t counts[6])
{
    return council__referral_state_counts(c, op, from, to, counts);
}
