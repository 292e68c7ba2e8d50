/*
 * request.c - cooperation requests (協力要請, 孤独・孤立対策推進法 Art.
 * 16(3)): the council asks a member about a case (information in given
 * scopes, an opinion, other cooperation), by a due date, under a basis;
 * the member answers or declines, or the council withdraws the request.
 *
 * Tables: none (the rows are request_db.c's). The texts are sealed memos
 * (memo.c): kinds request_text (what is asked: the member asked reads
 * it), request_opinion (the answer) and request_reason (a decline's
 * written reason); the rows keep only their ids.
 */
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/consent.pb-c.h"
#include "council/v1/request.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "event.h"
#include "log.h"
#include "session.h"
#include "sql.h"
#include "text.h"
#include "decide.h"
#include "attest.h"
#include "member_db.h"
#include "case_db.h"
#include "share_db.h"
#include "consent_db.h"
#include "memo.h"
#include "scope.h"
#include "policy.h"
#include "share.h"
#include "request_db.h"
#include "request.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define REFUSED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED
#define STAFF_SESSION COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF

#define REQ_SCOPES_MAX COUNCIL__REQ_SCOPES_MAX
#define CODE_CAP COUNCIL__REQ_CODE_CAP
#define KINDS_ALL (COUNCIL_REQUEST_KIND_INFORMATION | COUNCIL_REQUEST_KIND_OPINION | \
                   COUNCIL_REQUEST_KIND_OTHER)
#define PURPOSE "support_coordination"
#define ART16 "council_art16_exchange"
typedef council__req req;


/* ------------------------------------------------------------ who */

static bool staff_session(const council *c)
{
    return c->actor_kind == STAFF_SESSION;
}

static bool council_side(const council *c)
{
    return council__is_secretariat(c) || council__is_coordinator(c);
}

static bool is_asked(const council *c, const req *r)
{
    return staff_session(c) && sodium_memcmp(c->actor_member, r->member, COUNCIL_ID_BYTES) == 0;
}


/* The council side's member for the decision: the session's own member (a
 * staff session of the secretariat or the coordinating body), or, for the
 * council passphrase's session, the active coordinating body's member (else
 * the secretariat's); zeros when the council has none. */
static int council_member(council *c, const char *op, uint8_t out[COUNCIL_ID_BYTES])
{
    council__member_pk *ms = NULL;
    size_t n = 0;
    int rc;

    memset(out, 0, COUNCIL_ID_BYTES);
    if (staff_session(c)) {
        memcpy(out, c->actor_member, COUNCIL_ID_BYTES);
        return COUNCIL_OK;
    }
    if ((rc = council__member_pks(c, op, &ms, &n)) != COUNCIL_OK)
        return rc;
    for (int pass = 0; pass < 2 && sodium_is_zero(out, COUNCIL_ID_BYTES); pass++)
        for (size_t i = 0; i < n; i++)
            if ((ms[i].roles & (pass == 0 ? COUNCIL_ROLE_COORDINATING_BODY
                                          : COUNCIL_ROLE_SECRETARIAT)) != 0 &&
                council__member_check(c, op, ms[i].id) == COUNCIL_OK) {
                memcpy(out, ms[i].id, COUNCIL_ID_BYTES);
                break;
            }
    council__free(ms);
    council__clear(c);
    return COUNCIL_OK;
}

/* ------------------------------------------------------------ events */

static void ev_init(council__event *ev, int action, const req *r, const uint8_t *case_ref)
{
    memset(ev, 0, sizeof *ev);
    ev->action = action;
    ev->object_id = r->id;
    ev->case_ref = case_ref;
    ev->subject_member = r->member;
    ev->outcome = ALLOWED;
}

static int log_ev(council *c, council__event *ev)
{
    council__event_actor(c, ev);
    return council__audit_append(c, ev);
}

/* Roll the operation back, log the refusal (held for the caller's batch),
 * fail with rc and "op: msg". */
static int refuse(council *c, int action, const req *r, const council__case *k, int rc,
                  const char *reason, const char *op, const char *msg)
{
    council__event ev;
    int arc;

    council__audit_batch_rollback(c);
    ev_init(&ev, action, r, k != NULL ? k->ref : NULL);
    ev.outcome = REFUSED;
    ev.error = rc;
    ev.reason = reason;
    if ((arc = log_ev(c, &ev)) != COUNCIL_OK)
        return arc;
    if (c->user_batch)
        council__hold_event(c, &ev);
    return council__fail(c, rc, "%s: %s", op, msg);
}

/* ------------------------------------------------------------ the decision */

/* Does member hold scope of case k: it owns the case, or an active share
 * covers the scope? */
static int holds(council *c, const char *op, const council__case *k,
                 const uint8_t member[COUNCIL_ID_BYTES], const char *scope, bool *yes)
{
    *yes = sodium_memcmp(k->owner, member, COUNCIL_ID_BYTES) == 0;
    if (*yes)
        return COUNCIL_OK;
    return council__share_active(c, op, k->id, member, scope, yes);
}

/* The disclosure decision for what r asks (scopes: those asked, or those
 * provided): with scopes, the decision a share of them to the council
 * side's member meets (the request's text is its written reason); without,
 * the basis must be one the policy accepts (and a consent an active record
 * of the case, valid now). */
static int decide(council *c, const char *op, const council__case *k, const req *r,
                  char (*scopes)[CODE_CAP], size_t n, council__decision *d)
{
    const char *list[REQ_SCOPES_MAX];
    council__policy_config cfg;
    int rc;

    d->allow = false;
    d->reason = COUNCIL__WHY_INVALID_REQUEST;
    if (n > 0) {
        council_share_options o = COUNCIL_SHARE_OPTIONS_INIT;
        for (size_t i = 0; i < n; i++)
            list[i] = scopes[i];
        o.scopes = list;
        o.n_scopes = n;
        o.purpose = PURPOSE;
        o.basis = r->basis;
        o.reason = strcmp(r->basis, ART16) == 0 ? "request_text" : NULL;
        o.consent_id = r->has_consent ? r->consent : NULL;
        o.consent_id_len = r->has_consent ? COUNCIL_ID_BYTES : 0;
        return council__share_decide(c, op, k, r->to, &o, d);
    }
    council__policy_defaults(&cfg);
    if ((rc = council__policy_load(c, op, &cfg)) != COUNCIL_OK)
        return rc;
    {
        int b = council__basis_parse(r->basis);
        if (b <= 0 || b >= COUNCIL__BASIS_LIMIT || !cfg.accept[b]) {
            d->reason = COUNCIL__WHY_BASIS_NOT_ACCEPTED;
            return COUNCIL_OK;
        }
    }
    if (!r->has_consent) {
        d->allow = true;
        d->reason = COUNCIL__WHY_LEGAL_BASIS;
        return COUNCIL_OK;
    }
    {
        Council__V1__ConsentList *l = NULL;
        int64_t now = (int64_t)time(NULL);
        d->reason = COUNCIL__WHY_CONSENT_NOT_FOUND;
        if ((rc = council__consent_records(c, op, k->id, &l)) != COUNCIL_OK)
            return rc;
        for (size_t i = 0; i < l->n_records; i++) {
            const Council__V1__ConsentRecord *cr = l->records[i];
            if (cr->id.len != COUNCIL_ID_BYTES ||
                memcmp(cr->id.data, r->consent, COUNCIL_ID_BYTES) != 0)
                continue;
            if (cr->status != COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_ACTIVE)
                d->reason = COUNCIL__WHY_CONSENT_WITHDRAWN;
            else if (cr->valid_from > now)
                d->reason = COUNCIL__WHY_CONSENT_NOT_YET_VALID;
            else if (cr->has_valid_until && cr->valid_until != 0 && cr->valid_until <= now)
                d->reason = COUNCIL__WHY_CONSENT_EXPIRED;
            else {
                d->allow = true;
                d->reason = COUNCIL__WHY_CONSENT_COVERS;
            }
        }
        council__v1__consent_list__free_unpacked(l, council__pb_allocator());
    }
    return COUNCIL_OK;
}

/* A refused decision: rolled back, disclosure_refused logged (ENOCONSENT). */
static int refuse_decision(council *c, const char *op, const req *r, const council__case *k,
                           char (*scopes)[CODE_CAP], size_t n, const council__decision *d)
{
    const char *list[REQ_SCOPES_MAX];
    council__event ev;
    int rc;

    for (size_t i = 0; i < n; i++)
        list[i] = scopes[i];
    council__audit_batch_rollback(c);
    ev_init(&ev, ACT(DISCLOSURE_REFUSED), r, k->ref);
    ev.scopes = list;
    ev.n_scopes = n;
    ev.purpose = PURPOSE;
    ev.basis = r->basis;
    ev.consent_id = r->has_consent ? r->consent : NULL;
    ev.outcome = REFUSED;
    ev.error = COUNCIL_ENOCONSENT;
    ev.reason = d->reason;
    if ((rc = log_ev(c, &ev)) != COUNCIL_OK)
        return rc;
    if (c->user_batch)
        council__hold_event(c, &ev);
    return council__fail(c, COUNCIL_ENOCONSENT, "%s: refused by the disclosure policy (%s)", op,
                         d->reason);
}

/* ------------------------------------------------------------ arguments */

static int scopes_arg(council *c, const char *op, const char *const *scopes, size_t n,
                      char (*out)[CODE_CAP])
{
    if (n > REQ_SCOPES_MAX || (n > 0 && scopes == NULL))
        return council__fail(c, COUNCIL_EINVAL, "%s: at most %d scopes", op, REQ_SCOPES_MAX);
    for (size_t i = 0; i < n; i++) {
        if (scopes[i] == NULL || !council__audit_code_ok(scopes[i]))
            return council__fail(c, COUNCIL_EINVAL, "%s: a scope is a code [a-z0-9_]{1,64}", op);
        for (size_t j = 0; j < i; j++)
            if (strcmp(scopes[i], scopes[j]) == 0)
                return council__fail(c, COUNCIL_EINVAL, "%s: scope %s named twice", op, scopes[i]);
        strcpy(out[i], scopes[i]);
    }
    return COUNCIL_OK;
}

/* A memo's text: UTF-8 of 1..COUNCIL__MEMO_MAX bytes, lines and tabs
 * allowed, no other control character. */
static bool text_ok(const char *text, size_t len)
{
    size_t start = 0;

    if (text == NULL || len == 0 || len > COUNCIL__MEMO_MAX)
        return false;
    for (size_t i = 0; i <= len; i++)
        if (i == len || text[i] == '\n' || text[i] == '\t') {
            if (i > start && !council__text_ok(text + start, i - start))
                return false;
            start = i + 1;
        }
    return true;
}

static int id_out_arg(council *c, const char *op, const uint8_t *id, size_t len)
{
    if (id == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL id", op);
    return council__id_arg(c, op, id, len);
}

static void actor_ids(const council *c, uint8_t member[COUNCIL_ID_BYTES],
                      uint8_t staff_id[COUNCIL_ID_BYTES])
{
    memset(member, 0, COUNCIL_ID_BYTES);
    memset(staff_id, 0, COUNCIL_ID_BYTES);
    if (staff_session(c)) {
        memcpy(staff_id, c->actor_staff, COUNCIL_ID_BYTES);
        /* the secretariat's rows are signed with the log key: signer zeros */
        if (!council__is_secretariat(c))
            memcpy(member, c->actor_member, COUNCIL_ID_BYTES);
    }
}

/* ------------------------------------------------------------ make */

int council_request_make(council *c, uint8_t *id, size_t id_len, const council_request_options *o)
{
    static const char op[] = "request_make";
    const uint8_t (*readers)[COUNCIL_ID_BYTES];
    council__decision d = { false, NULL };
    council__case k;
    req r;
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = id_out_arg(c, op, id, id_len)) != COUNCIL_OK)
        return rc;
    if (o == NULL || o->version != COUNCIL_REQUEST_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if ((rc = council__id_arg(c, op, o->case_id, o->case_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, o->member_id, o->member_id_len)) != COUNCIL_OK)
        return rc;
    memset(&r, 0, sizeof r);
    if (o->kinds == 0 || (o->kinds & ~KINDS_ALL) != 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: kinds are information, opinion or other", op);
    if ((o->kinds & COUNCIL_REQUEST_KIND_INFORMATION) != 0 ? o->n_scopes == 0 : o->n_scopes != 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: information is asked in 1..%d scopes, and "
                             "scopes only with information", op, REQ_SCOPES_MAX);
    if ((rc = scopes_arg(c, op, o->scopes, o->n_scopes, r.scopes)) != COUNCIL_OK)
        return rc;
    r.n_scopes = o->n_scopes;
    if (!text_ok(o->text, o->text_len))
        return council__fail(c, COUNCIL_EINVAL, "%s: the request's text is UTF-8 of 1 to %u "
                             "bytes", op, (unsigned)COUNCIL__MEMO_MAX);
    r.made = (int64_t)time(NULL);
    if (o->due <= r.made)
        return council__fail(c, COUNCIL_EINVAL, "%s: the due date is not after now", op);
    if (o->basis != NULL && strcmp(o->basis, ART16) == 0) {
        if (o->consent_id != NULL)
            return council__fail(c, COUNCIL_EINVAL, "%s: a consent id goes with basis consent "
                                 "only", op);
    } else if (o->basis != NULL && strcmp(o->basis, "consent") == 0) {
        if (o->consent_id == NULL || o->consent_id_len != COUNCIL_ID_BYTES)
            return council__fail(c, COUNCIL_EINVAL, "%s: basis consent needs the consent "
                                 "record's id", op);
        memcpy(r.consent, o->consent_id, COUNCIL_ID_BYTES);
        r.has_consent = true;
    } else {
        return council__fail(c, COUNCIL_EINVAL, "%s: the basis is council_art16_exchange or "
                             "consent", op);
    }
    strcpy(r.basis, o->basis);
    memcpy(r.case_id, o->case_id, COUNCIL_ID_BYTES);
    memcpy(r.member, o->member_id, COUNCIL_ID_BYTES);
    r.kinds = o->kinds;
    r.due = o->due;
    r.state = COUNCIL_REQUEST_OPEN;
    council__uuid_random(r.id);
    actor_ids(c, r.made_member, r.made_staff);

    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__case_load(c, op, r.case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (!council_side(c))
        return refuse(c, ACT(REQUEST_MADE), &r, &k, COUNCIL_EDENIED, "not_council", op,
                      "only the secretariat or the coordinating body makes a request");
    if (k.erased != 0)
        return refuse(c, ACT(REQUEST_MADE), &r, &k, COUNCIL_EDENIED, "case_erased", op,
                      "the case was erased");
    if ((rc = council__member_check(c, op, r.member)) != COUNCIL_OK)
        return council__finish(c, rc == COUNCIL_ENOTFOUND
                                      ? council__fail(c, rc, "%s: no such member", op) : rc);
    if ((rc = council__member_usable(c, op, r.member)) == COUNCIL_EDENIED)
        return refuse(c, ACT(REQUEST_MADE), &r, &k, COUNCIL_EDENIED, "member_withdrawn", op,
                      "the member is withdrawn");
    if (rc != COUNCIL_OK)
        return council__finish(c, rc);
    for (size_t i = 0; i < r.n_scopes; i++) {
        bool yes = false;
        if ((rc = council__scope_known(c, op, r.scopes[i])) != COUNCIL_OK ||
            (rc = holds(c, op, &k, r.member, r.scopes[i], &yes)) != COUNCIL_OK)
            return council__finish(c, rc);
        if (!yes)
            return refuse(c, ACT(REQUEST_MADE), &r, &k, COUNCIL_EDENIED, "scope_not_held", op,
                          "the member does not hold a scope asked for");
    }
    if ((rc = council_member(c, op, r.to)) != COUNCIL_OK ||
        (rc = decide(c, op, &k, &r, r.scopes, r.n_scopes, &d)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (!d.allow)
        return refuse_decision(c, op, &r, &k, r.scopes, r.n_scopes, &d);
    readers = (const uint8_t (*)[COUNCIL_ID_BYTES])r.member;
    if ((rc = council__memo_seal(c, op, r.text_memo, "request_text", r.id, r.case_id, readers, 1,
                                 (const uint8_t *)o->text, o->text_len)) == COUNCIL_EDENIED ||
        rc == COUNCIL_EAUTH)
        return refuse(c, ACT(REQUEST_MADE), &r, &k, rc, rc == COUNCIL_EAUTH
                      ? "member_key_unsigned" : "member_without_keys", op,
                      "the member has no keys the council signed");
    if (rc == COUNCIL_OK)
        rc = council__req_insert(c, op, &r);
    if (rc == COUNCIL_OK) {
        const char *list[REQ_SCOPES_MAX];
        council__event ev;
        for (size_t i = 0; i < r.n_scopes; i++)
            list[i] = r.scopes[i];
        ev_init(&ev, ACT(REQUEST_MADE), &r, k.ref);
        ev.scopes = list;
        ev.n_scopes = r.n_scopes;
        ev.purpose = PURPOSE;
        ev.basis = r.basis;
        ev.consent_id = r.has_consent ? r.consent : NULL;
        rc = log_ev(c, &ev);
    }
    if ((rc = council__finish(c, rc)) == COUNCIL_OK)
        memcpy(id, r.id, COUNCIL_ID_BYTES);
    return rc;
}

/* ------------------------------------------------------------ the ends */

/* Begin an end of request id by the member asked (answer, decline) or the
 * council side (withdraw): loaded, checked, refused (logged) when the
 * session may not, or the request is not open. */
static int begin_end(council *c, const char *op, int action, const uint8_t *id, size_t id_len,
                     bool by_member, const uint8_t *as_member, req *r, council__case *k)
{
    int rc;

    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = id_out_arg(c, op, id, id_len)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__req_load(c, op, id, r)) != COUNCIL_OK ||
        (rc = council__case_load(c, op, r->case_id, k)) != COUNCIL_OK ||
        (rc = council__req_log_check(c, op, r, k->ref)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (by_member && (as_member != NULL ? sodium_memcmp(as_member, r->member, COUNCIL_ID_BYTES) != 0
                                        : !is_asked(c, r)))
        return refuse(c, action, r, k, COUNCIL_EDENIED, "not_asked_member", op,
                      "only the member asked answers or declines a request");
    if (!by_member && !council_side(c))
        return refuse(c, action, r, k, COUNCIL_EDENIED, "not_council", op,
                      "only the secretariat or the coordinating body withdraws a request");
    if (r->state != COUNCIL_REQUEST_OPEN)
        return refuse(c, action, r, k, COUNCIL_EDENIED, "request_not_open", op,
                      "the request is no longer open");
    r->state_at = (int64_t)time(NULL);
    actor_ids(c, r->by_member, r->by_staff);
    if (by_member)
        memcpy(r->by_member, as_member != NULL ? as_member : c->actor_member, COUNCIL_ID_BYTES);
    return COUNCIL_OK;
}

/* An answer or a decline by the session's member, or (as_member not NULL)
 * by that member through the bundle bundle_hash names, signed by the
 * council's session (bundle_import.c). */
static int answer(council *c, const char *op, const uint8_t *id, size_t id_len,
                  const council_request_answer_options *a, const uint8_t *as_member,
                  const uint8_t *bundle_hash)
{
    char scopes[REQ_SCOPES_MAX][CODE_CAP];
    council__decision d = { false, NULL };
    council__case k;
    req r;
    int rc;

    if (!council__ok(c))
        return COUNCIL_EMISUSE;
    if (a == NULL || a->version != COUNCIL_REQUEST_ANSWER_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if ((rc = scopes_arg(c, op, a->scopes, a->n_scopes, scopes)) != COUNCIL_OK)
        return rc;
    if ((a->text != NULL || a->text_len != 0) && !text_ok(a->text, a->text_len))
        return council__fail(c, COUNCIL_EINVAL, "%s: the answer's text is UTF-8 of 1 to %u bytes",
                             op, (unsigned)COUNCIL__MEMO_MAX);
    if ((rc = begin_end(c, op, ACT(REQUEST_ANSWERED), id, id_len, true, as_member, &r, &k)) != COUNCIL_OK)
        return rc;
    /* What the answer gives must be what was asked. */
    if ((r.kinds & COUNCIL_REQUEST_KIND_INFORMATION) != 0 && a->n_scopes == 0 && a->text == NULL)
        return council__finish(c, council__fail(c, COUNCIL_EINVAL, "%s: an answer to a request "
                                                "for information names the scopes provided", op));
    if ((r.kinds & COUNCIL_REQUEST_KIND_OPINION) != 0 && a->text == NULL)
        return council__finish(c, council__fail(c, COUNCIL_EINVAL, "%s: an opinion was asked: "
                                                "give its text", op));
    if (a->n_scopes == 0 && a->text == NULL)
        return council__finish(c, council__fail(c, COUNCIL_EINVAL, "%s: an empty answer", op));
    for (size_t i = 0; i < a->n_scopes; i++) {
        bool asked = false, yes = false;
        for (size_t j = 0; j < r.n_scopes; j++)
            asked = asked || strcmp(scopes[i], r.scopes[j]) == 0;
        if (!asked)
            return council__finish(c, council__fail(c, COUNCIL_EINVAL, "%s: scope %s was not "
                                                    "asked for", op, scopes[i]));
        if ((rc = holds(c, op, &k, r.member, scopes[i], &yes)) != COUNCIL_OK)
            return council__finish(c, rc);
        if (!yes)
            return refuse(c, ACT(REQUEST_ANSWERED), &r, &k, COUNCIL_EDENIED, "scope_not_held", op,
                          "the member no longer holds a scope provided");
        strcpy(r.provided[i], scopes[i]);
    }
    r.n_provided = a->n_scopes;
    if (r.n_provided > 0) {
        if ((rc = decide(c, op, &k, &r, r.provided, r.n_provided, &d)) != COUNCIL_OK)
            return council__finish(c, rc);
        if (!d.allow)
            return refuse_decision(c, op, &r, &k, r.provided, r.n_provided, &d);
    }
    r.state = COUNCIL_REQUEST_ANSWERED;
    rc = COUNCIL_OK;
    if (a->text != NULL &&
        (rc = council__memo_seal(c, op, r.answer_memo, "request_opinion", r.id, r.case_id, NULL, 0,
                                 (const uint8_t *)a->text, a->text_len)) == COUNCIL_OK)
        r.has_answer = true;
    if (rc == COUNCIL_OK)
        rc = council__req_update(c, op, &r);
    if (rc == COUNCIL_OK) {
        const char *list[REQ_SCOPES_MAX];
        council__event ev;
        for (size_t i = 0; i < r.n_provided; i++)
            list[i] = r.provided[i];
        if (r.n_provided > 0) {
            /* The provision: what the member gives the council side, on
             * the request's basis (no key moves: council_request(3)). */
            ev_init(&ev, ACT(DISCLOSURE_MADE), &r, k.ref);
            ev.scopes = list;
            ev.n_scopes = r.n_provided;
            ev.purpose = PURPOSE;
            ev.basis = r.basis;
            ev.consent_id = r.has_consent ? r.consent : NULL;
            ev.subject_member = sodium_is_zero(r.to, COUNCIL_ID_BYTES) ? NULL : r.to;
            ev.reason = "request_answered";
            rc = log_ev(c, &ev);
        }
        if (rc == COUNCIL_OK) {
            ev_init(&ev, ACT(REQUEST_ANSWERED), &r, k.ref);
            ev.bundle_hash = bundle_hash;
            ev.reason = bundle_hash != NULL ? "bundle" : NULL;
            ev.scopes = list;
            ev.n_scopes = r.n_provided;
            ev.purpose = PURPOSE;
            ev.basis = r.basis;
            rc = log_ev(c, &ev);
        }
    }
    return council__finish(c, rc);
}

static int decline(council *c, const char *op, const uint8_t *id, size_t id_len,
                   const char *reason_code, const char *text, size_t text_len,
                   const uint8_t *as_member, const uint8_t *bundle_hash)
{
    council__case k;
    council__event ev;
    req r;
    int rc;

    if (!council__ok(c))
        return COUNCIL_EMISUSE;
    if (reason_code == NULL || !council__audit_code_ok(reason_code))
        return council__fail(c, COUNCIL_EINVAL, "%s: the reason is a code [a-z0-9_]{1,64}", op);
    if ((text != NULL || text_len != 0) && !text_ok(text, text_len))
        return council__fail(c, COUNCIL_EINVAL, "%s: the written reason is UTF-8 of 1 to %u bytes",
                             op, (unsigned)COUNCIL__MEMO_MAX);
    if ((rc = begin_end(c, op, ACT(REQUEST_DECLINED), id, id_len, true, as_member, &r, &k)) != COUNCIL_OK)
        return rc;
    r.state = COUNCIL_REQUEST_DECLINED;
    strcpy(r.reason, reason_code);
    if (text != NULL &&
        (rc = council__memo_seal(c, op, r.reason_memo, "request_reason", r.id, r.case_id, NULL, 0,
                                 (const uint8_t *)text, text_len)) == COUNCIL_OK)
        r.has_reason_memo = true;
    if (rc == COUNCIL_OK)
        rc = council__req_update(c, op, &r);
    if (rc == COUNCIL_OK) {
        ev_init(&ev, ACT(REQUEST_DECLINED), &r, k.ref);
        ev.reason = r.reason;
        ev.bundle_hash = bundle_hash;
        rc = log_ev(c, &ev);
    }
    return council__finish(c, rc);
}

int council_request_answer(council *c, const uint8_t *id, size_t id_len,
                           const council_request_answer_options *a)
{
    return answer(c, "request_answer", id, id_len, a, NULL, NULL);
}

int council_request_decline(council *c, const uint8_t *id, size_t id_len, const char *reason_code,
                            const char *text, size_t text_len)
{
    return decline(c, "request_decline", id, id_len, reason_code, text, text_len, NULL, NULL);
}

int council__request_answer_as(council *c, const uint8_t id[COUNCIL_ID_BYTES],
                               const council_request_answer_options *a,
                               const uint8_t member[COUNCIL_ID_BYTES], const uint8_t bundle_hash[32])
{
    if (!council__is_secretariat(c))
        return council__fail(c, COUNCIL_EDENIED, "request_answer: only the council's session "
                             "takes a member's answer from its bundle");
    return answer(c, "request_answer", id, COUNCIL_ID_BYTES, a, member, bundle_hash);
}

int council__request_decline_as(council *c, const uint8_t id[COUNCIL_ID_BYTES],
                                const char *reason_code, const char *text, size_t text_len,
                                const uint8_t member[COUNCIL_ID_BYTES], const uint8_t bundle_hash[32])
{
    if (!council__is_secretariat(c))
        return council__fail(c, COUNCIL_EDENIED, "request_decline: only the council's session "
                             "takes a member's decline from its bundle");
    return decline(c, "request_decline", id, COUNCIL_ID_BYTES, reason_code, text, text_len, member,
                   bundle_hash);
}

int council_request_withdraw(council *c, const uint8_t *id, size_t id_len, const char *reason_code)
{
    static const char op[] = "request_withdraw";
    council__case k;
    council__event ev;
    req r;
    int rc;

    if (!council__ok(c))
        return COUNCIL_EMISUSE;
    if (reason_code != NULL && !council__audit_code_ok(reason_code))
        return council__fail(c, COUNCIL_EINVAL, "%s: the reason is a code [a-z0-9_]{1,64}", op);
    if ((rc = begin_end(c, op, ACT(REQUEST_WITHDRAWN), id, id_len, false, NULL, &r, &k)) != COUNCIL_OK)
        return rc;
    r.state = COUNCIL_REQUEST_WITHDRAWN;
    strcpy(r.reason, reason_code != NULL ? reason_code : "withdrawn");
    rc = council__req_update(c, op, &r);
    if (rc == COUNCIL_OK) {
        ev_init(&ev, ACT(REQUEST_WITHDRAWN), &r, k.ref);
        ev.reason = r.reason;
        rc = log_ev(c, &ev);
    }
    return council__finish(c, rc);
}

/* ------------------------------------------------------------ reading */

static bool dup_id(ProtobufCBinaryData *d, const uint8_t *p)
{
    return council__sql_dup_blob(d, p, COUNCIL_ID_BYTES);
}

static bool push_str(char ***arr, size_t *n, const char *s)
{
    char **na = council__calloc(*n + 1, sizeof *na);
    char *one = council__strdup(s);

    if (na == NULL || one == NULL) {
        council__free(na);
        council__free(one);
        return false;
    }
    if (*n > 0)
        memcpy(na, *arr, *n * sizeof *na);
    council__free(*arr);
    *arr = na;
    (*arr)[(*n)++] = one;
    return true;
}

static bool push_transition(Council__V1__CooperationRequest *m, int state, int64_t at,
                            const uint8_t *by_member, const uint8_t *by_staff, const char *reason)
{
    Council__V1__RequestTransition *t = council__calloc(1, sizeof *t), **nt;

    nt = council__calloc(m->n_transitions + 1, sizeof *nt);
    if (t == NULL || nt == NULL) {
        council__free(t);
        council__free(nt);
        return false;
    }
    council__v1__request_transition__init(t);
    if (m->n_transitions > 0)
        memcpy(nt, m->transitions, m->n_transitions * sizeof *nt);
    council__free(m->transitions);
    m->transitions = nt;
    m->transitions[m->n_transitions++] = t;
    t->state = (Council__V1__RequestState)state;
    t->at = at;
    if (!sodium_is_zero(by_member, COUNCIL_ID_BYTES)) {
        t->has_by_member = true;
        if (!dup_id(&t->by_member, by_member))
            return false;
    }
    if (!sodium_is_zero(by_staff, COUNCIL_ID_BYTES)) {
        t->has_by_staff = true;
        if (!dup_id(&t->by_staff, by_staff))
            return false;
    }
    return reason == NULL || reason[0] == '\0' || (t->reason = council__strdup(reason)) != NULL;
}

static Council__V1__CooperationRequest *to_msg(const req *r, int64_t now)
{
    static const char *const kind_names[] = { "information", "opinion", "other" };
    Council__V1__CooperationRequest *m = council__calloc(1, sizeof *m);
    char idt[37];
    bool ok;

    if (m == NULL)
        return NULL;
    council__v1__cooperation_request__init(m);
    council__uuid_text(idt, r->id);
    ok = dup_id(&m->id, r->id) && (m->id_text = council__strdup(idt)) != NULL &&
         dup_id(&m->case_id, r->case_id) && dup_id(&m->member, r->member) &&
         (m->basis = council__strdup(r->basis)) != NULL;
    if (ok && !sodium_is_zero(r->to, COUNCIL_ID_BYTES)) {
        m->has_council_member = true;
        ok = dup_id(&m->council_member, r->to);
    }
    for (unsigned i = 0; ok && i < 3; i++)
        if ((r->kinds & (1u << i)) != 0)
            ok = push_str(&m->kinds, &m->n_kinds, kind_names[i]);
    for (size_t i = 0; ok && i < r->n_scopes; i++)
        ok = push_str(&m->scopes, &m->n_scopes, r->scopes[i]);
    for (size_t i = 0; ok && i < r->n_provided; i++)
        ok = push_str(&m->provided, &m->n_provided, r->provided[i]);
    if (ok && r->has_consent) {
        m->has_consent_id = true;
        ok = dup_id(&m->consent_id, r->consent);
    }
    m->due = r->due;
    m->state = (Council__V1__RequestState)r->state;
    m->has_answer_text = r->has_answer;
    m->has_reason_text = r->has_reason_memo;
    m->overdue = r->state == COUNCIL_REQUEST_OPEN && r->due < now;
    ok = ok && push_transition(m, COUNCIL_REQUEST_OPEN, r->made, r->made_member, r->made_staff, NULL);
    if (ok && r->state != COUNCIL_REQUEST_OPEN)
        ok = push_transition(m, r->state, r->state_at, r->by_member, r->by_staff, r->reason);
    if (!ok) {
        council__v1__cooperation_request__free_unpacked(m, council__pb_allocator());
        return NULL;
    }
    return m;
}

/* May this session see request r? Else EDENIED, logged (action: reading). */
static int may_see(council *c, const char *op, const req *r)
{
    council__case k;
    int rc;

    if (council_side(c) || is_asked(c, r))
        return COUNCIL_OK;
    if ((rc = council__case_load(c, op, r->case_id, &k)) != COUNCIL_OK)
        return rc;
    return refuse(c, ACT(REQUEST_READ), r, &k, COUNCIL_EDENIED, "not_entitled", op,
                  "only the council and the member asked see a request");
}

int council_request_get(council *c, council_buf *out, const uint8_t *id, size_t id_len)
{
    static const char op[] = "request_get";
    Council__V1__CooperationRequest *m;
    req r;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = id_out_arg(c, op, id, id_len)) != COUNCIL_OK ||
        (rc = council__req_load(c, op, id, &r)) != COUNCIL_OK || (rc = may_see(c, op, &r)) != COUNCIL_OK)
        return rc;
    if ((m = to_msg(&r, (int64_t)time(NULL))) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    rc = council__pack_out(c, op, out, &m->base);
    council__v1__cooperation_request__free_unpacked(m, council__pb_allocator());
    return rc;
}

int council_request_text(council *c, council_buf *out, const uint8_t *id, size_t id_len, int which)
{
    static const char op[] = "request_text";
    const char *kind;
    const uint8_t *memo;
    council__case k;
    council__event ev;
    req r;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK ||
        (rc = id_out_arg(c, op, id, id_len)) != COUNCIL_OK)
        return rc;
    if (which < COUNCIL_REQUEST_TEXT_ASKED || which > COUNCIL_REQUEST_TEXT_REASON)
        return council__fail(c, COUNCIL_EINVAL, "%s: which text: asked, answer or reason", op);
    if ((rc = council__req_load(c, op, id, &r)) != COUNCIL_OK || (rc = may_see(c, op, &r)) != COUNCIL_OK ||
        (rc = council__case_load(c, op, r.case_id, &k)) != COUNCIL_OK)
        return rc;
    if (which == COUNCIL_REQUEST_TEXT_ASKED) {
        kind = "request_text";
        memo = r.text_memo;
    } else if (which == COUNCIL_REQUEST_TEXT_ANSWER) {
        kind = "request_opinion";
        memo = r.has_answer ? r.answer_memo : NULL;
    } else {
        kind = "request_reason";
        memo = r.has_reason_memo ? r.reason_memo : NULL;
    }
    if (memo == NULL)
        return council__fail(c, COUNCIL_ENOTFOUND, "%s: the request has no such text", op);
    rc = council__memo_open(c, op, out, memo, kind, r.id, r.case_id);
    if (rc == COUNCIL_EDENIED)
        return refuse(c, ACT(REQUEST_READ), &r, &k, rc, "no_copy", op,
                      "this session holds no copy of the text");
    if (rc != COUNCIL_OK)
        return rc;
    /* Log first: the text is returned only once its read is on record. */
    ev_init(&ev, ACT(REQUEST_READ), &r, k.ref);
    ev.reason = kind;
    if ((rc = log_ev(c, &ev)) != COUNCIL_OK) {
        council_buf_free(out);
        return rc;
    }
    return COUNCIL_OK;
}


int council_request_list(council *c, council_buf *out, const council_request_filter *f)
{
    static const char op[] = "request_list";
    Council__V1__CooperationRequestList l = COUNCIL__V1__COOPERATION_REQUEST_LIST__INIT;
    council_request_filter none = COUNCIL_REQUEST_FILTER_INIT;
    uint8_t (*ids)[COUNCIL_ID_BYTES] = NULL;
    size_t n = 0;
    int64_t now;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (f == NULL)
        f = &none;
    if (f->version != COUNCIL_REQUEST_FILTER_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: filter of unknown version", op);
    if ((f->case_id != NULL && (rc = council__id_arg(c, op, f->case_id, f->case_id_len)) != COUNCIL_OK) ||
        (f->member_id != NULL &&
         (rc = council__id_arg(c, op, f->member_id, f->member_id_len)) != COUNCIL_OK))
        return rc;
    if (f->state < 0 || f->state > COUNCIL_REQUEST_WITHDRAWN || f->now < 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: bad state or time", op);
    now = f->now != 0 ? f->now : (int64_t)time(NULL);
    if ((rc = council__req_ids(c, op, INT64_MIN, INT64_MAX, &ids, &n)) != COUNCIL_OK)
        return rc;
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        Council__V1__CooperationRequest *m, **nr;
        req r;
        if ((rc = council__req_load(c, op, ids[i], &r)) != COUNCIL_OK)
            break;
        if ((!council_side(c) && !is_asked(c, &r)) ||
            (f->case_id != NULL && memcmp(f->case_id, r.case_id, COUNCIL_ID_BYTES) != 0) ||
            (f->member_id != NULL && memcmp(f->member_id, r.member, COUNCIL_ID_BYTES) != 0) ||
            (f->state != 0 && f->state != r.state) ||
            (f->overdue && !(r.state == COUNCIL_REQUEST_OPEN && r.due < now)))
            continue;
        m = to_msg(&r, now);
        nr = council__calloc(l.n_requests + 1, sizeof *nr);
        if (m == NULL || nr == NULL) {
            if (m != NULL)
                council__v1__cooperation_request__free_unpacked(m, council__pb_allocator());
            council__free(nr);
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
        if (l.n_requests > 0)
            memcpy(nr, l.requests, l.n_requests * sizeof *nr);
        council__free(l.requests);
        l.requests = nr;
        l.requests[l.n_requests++] = m;
    }
    council__free(ids);
    if (rc == COUNCIL_OK)
        rc = council__pack_out(c, op, out, &l.base);
    for (size_t i = 0; i < l.n_requests; i++)
        council__v1__cooperation_request__free_unpacked(l.requests[i], council__pb_allocator());
    council__free(l.requests);
    return rc;
}

int council__request_counts(council *c, const char *op, int64_t from, int64_t to,
                            int64_t counts[4])
{
    uint8_t (*ids)[COUNCIL_ID_BYTES] = NULL;
    size_t n = 0;
    int rc;

    memset(counts, 0, 4 * sizeof counts[0]);
    if ((rc = council__req_ids(c, op, from, to, &ids, &n)) != COUNCIL_OK)
        return rc;
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        req r;
        if ((rc = council__req_load(c, op, ids[i], &r)) == COUNCIL_OK)
            counts[r.state - 1]++;
    }
    council__free(ids);
    return rc;
}
