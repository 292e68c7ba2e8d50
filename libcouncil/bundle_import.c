/*
 * bundle_import.c - bundles a member sends to the council (a member node's
 * answers, cosignatures and intakes), imported into the council's store:
 * council_bundle_import. Table: bundle_seen.
 *
 * The order of the checks is the one every importer follows (envelope.h):
 * the frame, the sender (an active member whose signing key the council
 * signed, and the header's key), the signature, the council and the
 * recipient (the coordinating body's key), the time, replay, the type;
 * only then is the payload opened, with the coordinating body's key. Each
 * refusal is a "bundle imported" event, refused, with its own error and
 * reason code, the bundle's hash and the claimed sender.
 *
 * What the payload asks is done as the member's own staff would do it, by
 * the internal entry points that take the acting member (referral.c,
 * request.c), signed by this council's session; their events name the
 * bundle. A bundle is marked seen (nonce and hash) with its "bundle
 * imported" event once it was applied: a step that failed may come again,
 * and a step that was applied cannot (the referral's or request's state
 * refuses it, and the nonce and hash are seen).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/bundle.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "envelope.h"
#include "event.h"
#include "log.h"
#include "note.h"
#include "session.h"
#include "sql.h"
#include "keydir.h"
#include "member_db.h"
#include "share_db.h"
#include "casekey.h"
#include "case_db.h"
#include "referral.h"
#include "request.h"
#include "intake.h"
#include "bundle_import.h"
#include "store.h"

#define ACT_IMPORTED COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_BUNDLE_IMPORTED
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define BT(x) COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_##x
#define PARTY(x) COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_##x
#define ANS(x) COUNCIL__V1__ANSWER_BUNDLE__KIND__ANSWER_##x
#define SECTIONS_MAX 32

static const char op[] = "bundle_import";

/* One import: what the refusals name. */
typedef struct imp {
    const uint8_t *hash;    /* 32 bytes, or NULL (too large to hash) */
    const uint8_t *sender;  /* the claimed sender (16 bytes), or NULL */
    uint8_t hash_buf[32];
    bool logged;            /* a "bundle imported" refusal is on the record */
} imp;

/* Log the refusal ("bundle imported", refused, rc, reason) and fail with
 * rc, keeping the message the failing check set (msg NULL) or msg. */
static int refuse(council *c, imp *im, int rc, const char *reason, const char *msg)
{
    council__event ev;
    char text[512];
    const char *m = msg;

    /* A store or memory failure is an error, not a refusal on the record
     * (its message stands). */
    if (rc == COUNCIL_EIO || rc == COUNCIL_ENOMEM || rc == COUNCIL_ERROR) {
        im->logged = true;
        return rc;
    }
    if (m == NULL) {
        const char *e = council_errmsg(c);
        size_t n = strlen(op);
        if (strncmp(e, op, n) == 0 && e[n] == ':' && e[n + 1] == ' ')
            e += n + 2;
        snprintf(text, sizeof text, "%s", e);
        m = text;
    }
    memset(&ev, 0, sizeof ev);
    ev.action = ACT_IMPORTED;
    ev.bundle_hash = im->hash;
    ev.subject_member = im->sender;
    ev.reason = reason;
    im->logged = true;
    return council__refuse_event(c, false, &ev, rc, op, m);
}

int council__bundle_seen(council *c, const char *opn, const uint8_t nonce[16], const uint8_t hash[32],
                         bool *seen)
{
    sqlite3_stmt *st = NULL;
    int src;

    *seen = false;
    if (council__prepare(c, "SELECT 1 FROM bundle_seen WHERE nonce = ?1 OR hash = ?2;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, nonce, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, opn);
    }
    src = sqlite3_step(st);
    council__finalize(c, st);
    if (src == SQLITE_ROW)
        *seen = true;
    else if (src != SQLITE_DONE)
        return council__db_err(c, opn);
    return COUNCIL_OK;
}

/* The bundle as seen and its event, in one transaction. */
static int mark_seen(council *c, const council__envelope *e, const council__import_result *res)
{
    const Council__V1__BundleHeader *h = e->h;
    council__event ev;
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if (council__prepare(c, "INSERT INTO bundle_seen (nonce, hash, type, sender, imported, "
                                  "expires) VALUES (?1, ?2, ?3, ?4, ?5, ?6);", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, h->nonce.data, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, e->hash, 32, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, (int)h->type) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, h->sender_id.data, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, (int64_t)time(NULL)) != SQLITE_OK ||
        sqlite3_bind_int64(st, 6, h->expires) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc == COUNCIL_OK) {
        memset(&ev, 0, sizeof ev);
        ev.action = ACT_IMPORTED;
        ev.bundle_hash = e->hash;
        ev.subject_member = h->sender_id.data;
        ev.object_id = res->has_object ? res->object_id : NULL;
        ev.outcome = ALLOWED;
        ev.reason = res->outcome;
        council__event_actor(c, &ev);
        rc = council__audit_append(c, &ev);
    }
    return council__finish(c, rc);
}

/* ------------------------------------------------------------ answers */

static bool id16(const ProtobufCBinaryData *d, protobuf_c_boolean has)
{
    return has && d->len == COUNCIL_ID_BYTES;
}

static int answer_referral(council *c, const council__envelope *e, const Council__V1__AnswerBundle *a,
                           council__import_result *res)
{
    const uint8_t *member = e->h->sender_id.data;
    int to;
    int rc;

    if (!id16(&a->referral_id, a->has_referral_id) || a->step == NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: a referral's answer names the referral and the "
                             "step", op);
    if (strcmp(a->step, "accepted") == 0)
        to = COUNCIL_REFERRAL_ACCEPTED;
    else if (strcmp(a->step, "declined") == 0)
        to = COUNCIL_REFERRAL_DECLINED;
    else
        return council__fail(c, COUNCIL_EINVAL, "%s: a referral's answer is accepted or declined", op);
    if (a->reason != NULL && !council__audit_code_ok(a->reason))
        return council__fail(c, COUNCIL_EINVAL, "%s: a reason is a code [a-z0-9_]{1,64}", op);
    if ((rc = council__referral_step_as(c, a->referral_id.data, to, a->reason, member, e->hash)) !=
        COUNCIL_OK)
        return rc;
    memcpy(res->object_id, a->referral_id.data, COUNCIL_ID_BYTES);
    res->has_object = true;
    res->outcome = to == COUNCIL_REFERRAL_ACCEPTED ? "referral_accepted" : "referral_declined";
    return COUNCIL_OK;
}

static int answer_request(council *c, const council__envelope *e, const Council__V1__AnswerBundle *a,
                          council__import_result *res)
{
    const uint8_t *member = e->h->sender_id.data;
    const char *scopes[SECTIONS_MAX];
    int rc;

    if (!id16(&a->request_id, a->has_request_id))
        return council__fail(c, COUNCIL_EINVAL, "%s: a request's answer names the request", op);
    if (a->kind == ANS(REQUEST_DECLINE)) {
        if (a->reason == NULL)
            return council__fail(c, COUNCIL_EINVAL, "%s: declining needs a reason code", op);
        rc = council__request_decline_as(c, a->request_id.data, a->reason, a->text,
                                         a->text != NULL ? strlen(a->text) : 0, member, e->hash);
        res->outcome = "request_declined";
    } else {
        council_request_answer_options o = COUNCIL_REQUEST_ANSWER_OPTIONS_INIT;
        if (a->n_sections > SECTIONS_MAX)
            return council__fail(c, COUNCIL_ELIMIT, "%s: at most %d scopes provided", op, SECTIONS_MAX);
        /* The scopes provided: those of the sections named (the council
         * side reads them from the case, as for council_request_answer). */
        for (size_t i = 0; i < a->n_sections; i++)
            scopes[i] = a->sections[i]->scope;
        o.scopes = scopes;
        o.n_scopes = a->n_sections;
        o.text = a->text;
        o.text_len = a->text != NULL ? strlen(a->text) : 0;
        rc = council__request_answer_as(c, a->request_id.data, &o, member, e->hash);
        res->outcome = "request_answered";
    }
    if (rc != COUNCIL_OK)
        return rc;
    memcpy(res->object_id, a->request_id.data, COUNCIL_ID_BYTES);
    res->has_object = true;
    return COUNCIL_OK;
}

/* The member's sections of a case: each scope one it may write (it owns
 * the case, or holds an active share of the scope), written as
 * council_section_write() in one batch. */
static int answer_sections(council *c, imp *im, const council__envelope *e,
                           const Council__V1__AnswerBundle *a, council__import_result *res)
{
    const uint8_t *member = e->h->sender_id.data;
    council__case k;
    int rc;

    if (!id16(&a->case_id, a->has_case_id) || !id16(&a->person_id, a->has_person_id) ||
        a->n_sections == 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: sections name their case and person", op);
    if (a->n_sections > SECTIONS_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "%s: at most %d sections", op, SECTIONS_MAX);
    if ((rc = council__case_load(c, op, a->case_id.data, &k)) != COUNCIL_OK)
        return rc;
    for (size_t i = 0; i < a->n_sections; i++) {
        bool may = sodium_memcmp(k.owner, member, COUNCIL_ID_BYTES) == 0;
        if (a->sections[i]->scope == NULL || !council__audit_code_ok(a->sections[i]->scope))
            return council__fail(c, COUNCIL_EINVAL, "%s: a section's scope is a code", op);
        if (!may && (rc = council__share_active(c, op, k.id, member, a->sections[i]->scope, &may)) !=
                        COUNCIL_OK)
            return rc;
        if (!may)
            return refuse(c, im, COUNCIL_EDENIED, "section_not_writable", "the sender neither owns "
                          "the case nor holds a share of a scope it wrote");
    }
    if ((rc = council__op_batch_begin(c, op)) != COUNCIL_OK)
        return rc;
    for (size_t i = 0; rc == COUNCIL_OK && i < a->n_sections; i++) {
        uint32_t v = 0;
        rc = council_section_write(c, &v, k.id, COUNCIL_ID_BYTES, a->person_id.data, COUNCIL_ID_BYTES,
                                   a->sections[i]->scope, a->sections[i]->content.data,
                                   a->sections[i]->content.len);
    }
    rc = council__op_batch_end(c, op, rc);
    if (rc != COUNCIL_OK)
        return rc;
    memcpy(res->case_id, k.id, COUNCIL_ID_BYTES);
    memcpy(res->person_id, a->person_id.data, COUNCIL_ID_BYTES);
    res->has_case = res->has_person = true;
    res->outcome = "sections_stored";
    return COUNCIL_OK;
}

/* ------------------------------------------------------------ cosignature */

/* The note's signature lines after its body (the blank line skipped). */
static const char *sig_lines(const char *note, size_t body_len, size_t len)
{
    if (body_len + 1 > len || note[body_len] != '\n')
        return NULL;
    return note + body_len + 1;
}

/* Is line (up to and with its '\n') one of the lines of [p, end)? */
static bool has_line(const char *p, const char *end, const char *line, size_t n)
{
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t m = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        if (m == n && memcmp(p, line, n) == 0)
            return true;
        p += m;
    }
    return false;
}

/* Is the signature line p (m bytes, its "— name " prefix plen bytes) one
 * made with the key whose id is keyid? */
static bool line_keyid_is(const char *p, size_t m, size_t plen, const uint8_t keyid[4])
{
    uint8_t bin[128];
    size_t b64 = m - plen - (p[m - 1] == '\n' ? 1 : 0), bin_len = 0;

    if (b64 == 0 || b64 > 160 || !council__b64_text_ok(p + plen, b64) ||
        sodium_base642bin(bin, sizeof bin, p + plen, b64, NULL, &bin_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 || bin_len < 4)
        return false;
    return memcmp(bin, keyid, 4) == 0;
}

static int cosignature(council *c, imp *im, const Council__V1__CosignatureBundle *cb,
                       council__import_result *res)
{
    char prefix[COUNCIL__KEYNAME_MAX + 8];
    council__vkey log, wit;
    council__checkpoint cp;
    const char *note = cb->cosigned, *p, *end;
    char *stored = NULL, *merged = NULL;
    size_t len, cosigs = 0, slen, mlen, plen;
    bool added = false;
    int rc;

    if (note == NULL || (len = strlen(note)) == 0 || len > COUNCIL__NOTE_MAX ||
        cb->witness_name == NULL || strlen(cb->witness_name) == 0 ||
        strlen(cb->witness_name) > COUNCIL__KEYNAME_MAX || strpbrk(cb->witness_name, " +\n") != NULL ||
        cb->witness_key.len != COUNCIL__SIGN_PK_BYTES)
        return council__fail(c, COUNCIL_EFORMAT, "%s: a malformed cosignature", op);
    if (council__checkpoint_parse(&cp, note, len) != COUNCIL_OK)
        return council__fail(c, COUNCIL_EFORMAT, "%s: a malformed checkpoint", op);
    /* A member cosigns under its own node's witness name: one member cannot
     * fill a checkpoint's signature lines with witnesses of its making and
     * crowd out the others' cosignatures. */
    {
        char uuid[37], want[sizeof "node-" + 36];
        council__uuid_text(uuid, im->sender);
        (void)snprintf(want, sizeof want, "node-%s", uuid);
        if (strcmp(cb->witness_name, want) != 0)
            return refuse(c, im, COUNCIL_EDENIED, "witness_not_sender",
                          "a member cosigns under its own node's witness name, node-<member id>");
    }
    council__log_vkey(&log, c->council_id, c->log_pk);
    memset(&wit, 0, sizeof wit);
    memcpy(wit.name, cb->witness_name, strlen(cb->witness_name) + 1);
    wit.type = COUNCIL__SIG_COSIGN;
    memcpy(wit.pk, cb->witness_key.data, sizeof wit.pk);
    council__keyid(wit.keyid, wit.name, wit.type, wit.pk);
    rc = council__note_verify(note, len, &log, &wit, 1, &cosigs);
    if (rc != COUNCIL_OK || cosigs != 1)
        return refuse(c, im, COUNCIL_ETAMPER, "cosignature_invalid", "the note is not this council's "
                      "checkpoint cosigned by the witness key it names");
    if ((rc = council__audit_checkpoint_note(c, cp.size, &stored)) != COUNCIL_OK)
        return rc == COUNCIL_ENOTFOUND
                   ? refuse(c, im, COUNCIL_ENOTFOUND, "checkpoint_unknown", "no checkpoint of that "
                            "size is stored")
                   : council__fail(c, COUNCIL_EIO, "%s: cannot read checkpoints", op);
    slen = strlen(stored);
    if (slen < cp.body_len || memcmp(stored, note, cp.body_len) != 0) {
        council__free(stored);
        return refuse(c, im, COUNCIL_ETAMPER, "checkpoint_differs", "the cosigned checkpoint differs "
                      "from the stored one");
    }
    /* The one line that verified (this witness name, this key), added when
     * the stored note lacks it; one line per node name on a checkpoint
     * (other lines under the name are not carried: the verifier skipped
     * them, and they would crowd out other witnesses' lines). */
    plen = (size_t)snprintf(prefix, sizeof prefix, "\xe2\x80\x94 %s ", cb->witness_name);
    {
        const char *q = sig_lines(stored, cp.body_len, slen), *send = stored + slen;
        while (q != NULL && q < send) {
            const char *nl = memchr(q, '\n', (size_t)(send - q));
            size_t m = nl != NULL ? (size_t)(nl - q) + 1 : (size_t)(send - q);
            if (m > plen && memcmp(q, prefix, plen) == 0 && !line_keyid_is(q, m, plen, wit.keyid)) {
                council__free(stored);
                return refuse(c, im, COUNCIL_EEXIST, "witness_has_cosigned", "this node's "
                              "witness name has cosigned the checkpoint with another key");
            }
            q += m;
        }
    }
    if ((merged = council__malloc(slen + len + 1)) == NULL) {
        council__free(stored);
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    memcpy(merged, stored, slen);
    mlen = slen;
    end = note + len;
    for (p = sig_lines(note, cp.body_len, len); p != NULL && p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t m = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        if (!added && m > plen && memcmp(p, prefix, plen) == 0 &&
            line_keyid_is(p, m, plen, wit.keyid) &&
            !has_line(stored + cp.body_len, stored + slen, p, m)) {
            memcpy(merged + mlen, p, m);
            mlen += m;
            added = true;
        }
        p += m;
    }
    merged[mlen] = '\0';
    council__free(stored);
    rc = added ? council_audit_add_cosignatures(c, merged, mlen) : COUNCIL_OK;
    council__free(merged);
    if (rc != COUNCIL_OK)
        return rc;
    res->outcome = added ? "cosignature_stored" : "cosignature_known";
    return COUNCIL_OK;
}

/* ------------------------------------------------------------ intake */

/* An intake that names its case (case_id, person_id) writes that case's
 * situation and records a consent for its person: the sender must be one
 * that may write the case's situation (it owns the case or holds an active
 * share of the scope), as for a sections answer. Without it any member
 * that knows (or, holding the database key, reads) a case id could replace
 * another member's case's situation and put a consent naming itself on the
 * record of a person it never met. */
static int intake_case_held(council *c, imp *im, const council__envelope *e,
                            const Council__V1__IntakeBundle *ib)
{
    const uint8_t *member = e->h->sender_id.data;
    council__case k;
    bool may;
    int rc;

    if (!ib->has_case_id || ib->case_id.len != COUNCIL_ID_BYTES)
        return COUNCIL_OK; /* a new case, a found person, or malformed (intake.c refuses it) */
    if ((rc = council__case_load(c, op, ib->case_id.data, &k)) != COUNCIL_OK)
        return rc;
    may = sodium_memcmp(k.owner, member, COUNCIL_ID_BYTES) == 0;
    if (!may && (rc = council__share_active(c, op, k.id, member, "situation", &may)) != COUNCIL_OK)
        return rc;
    if (!may)
        return refuse(c, im, COUNCIL_EDENIED, "case_not_held", "an intake names a case the "
                      "sender neither owns nor holds a share of its situation in");
    return COUNCIL_OK;
}

/* ------------------------------------------------------------ the import */

/* The checks before anything is opened; *e parsed. */
static int checks(council *c, imp *im, council__envelope *e, const uint8_t *bundle, size_t len,
                  const uint8_t coord_pk[32])
{
    const Council__V1__BundleHeader *h;
    uint8_t pk[32];
    bool seen = false;
    int rc, active;

    if ((rc = council__envelope_parse(c, op, e, bundle, len)) == COUNCIL_ENOMEM)
        return rc; /* not the bundle's doing: no refusal on the record */
    if (rc != COUNCIL_OK)
        return refuse(c, im, rc, rc == COUNCIL_ELIMIT ? "bundle_limit" : rc == COUNCIL_EUNSUPPORTED
                                                                         ? "bundle_version"
                                                                         : "bundle_format", NULL);
    h = e->h;
    im->sender = h->sender_id.data;
    if (h->sender_kind != PARTY(MEMBER))
        return refuse(c, im, COUNCIL_ESENDER, "sender_not_member", "the sender is not a member");
    active = council__member_active(c, op, h->sender_id.data);
    if (active == COUNCIL_ENOTFOUND || active == 0)
        return refuse(c, im, COUNCIL_ESENDER, active == 0 ? "sender_withdrawn" : "sender_unknown",
                      active == 0 ? "the sender has withdrawn" : "the sender is not a member");
    if (active < 0)
        return active;
    if ((rc = council__member_check(c, op, h->sender_id.data)) != COUNCIL_OK)
        return rc == COUNCIL_ETAMPER ? refuse(c, im, COUNCIL_ESENDER, "sender_forged", NULL) : rc;
    if ((rc = council__member_sign_pk(c, h->sender_id.data, pk)) != COUNCIL_OK)
        return rc == COUNCIL_ETAMPER ? refuse(c, im, COUNCIL_ESENDER, "sender_key", "the council "
                                              "signed no signing key of the sender")
                                     : council__fail(c, rc, "%s: cannot read the key directory", op);
    if ((rc = council__envelope_verify(c, op, e, pk)) != COUNCIL_OK)
        return refuse(c, im, rc, rc == COUNCIL_ESENDER ? "sender_key" : "signature", NULL);
    if (sodium_memcmp(h->council_id.data, c->council_id, COUNCIL_ID_BYTES) != 0)
        return refuse(c, im, COUNCIL_ERECIPIENT, "council", "the bundle is for another council");
    if (h->recipient_kind != PARTY(COUNCIL) ||
        sodium_memcmp(h->recipient_id.data, c->council_id, COUNCIL_ID_BYTES) != 0 ||
        sodium_memcmp(h->recipient_box_key.data, coord_pk, 32) != 0)
        return refuse(c, im, COUNCIL_ERECIPIENT, "recipient", "the bundle is not sealed to this "
                      "council's coordinating body");
    if ((rc = council__envelope_check_time(c, op, e, (int64_t)time(NULL))) != COUNCIL_OK)
        return refuse(c, im, rc, rc == COUNCIL_EEXPIRED ? "expired" : "bundle_time", NULL);
    /* The table first; then the log itself, which the insider cannot
     * empty as it can the table (its events are leaves of the signed tree). */
    if ((rc = council__bundle_seen(c, op, h->nonce.data, e->hash, &seen)) != COUNCIL_OK)
        return rc;
    if (!seen && (rc = council__log_bundle_imported(c, op, e->hash,
                                                    h->created - COUNCIL__ENV_SKEW, &seen)) !=
                     COUNCIL_OK)
        return rc == COUNCIL_ETAMPER ? refuse(c, im, rc, "log_edited", NULL) : rc;
    if (seen)
        return refuse(c, im, COUNCIL_EREPLAY, "replay", "the bundle (its nonce or hash) was imported "
                      "already");
    if (h->type != BT(ANSWER) && h->type != BT(COSIGNATURE) && h->type != BT(INTAKE))
        return refuse(c, im, COUNCIL_EUNSUPPORTED, "bundle_type", "the council imports a member's "
                      "answers, cosignatures and intakes only");
    return COUNCIL_OK;
}

static int dispatch(council *c, imp *im, const council__envelope *e, const Council__V1__BundlePayload *p,
                    council__import_result *res)
{
    if (e->h->type == BT(INTAKE)) {
        int rc = intake_case_held(c, im, e, p->intake);
        return rc != COUNCIL_OK ? rc
                                : council__intake_apply(c, op, p->intake, NULL, e->hash,
                                                        e->h->sender_id.data, res);
    }
    if (e->h->type == BT(COSIGNATURE)) {
        if (!council__is_secretariat(c))
            return refuse(c, im, COUNCIL_EDENIED, "not_secretariat", "a cosignature is stored by the "
                          "secretariat");
        return cosignature(c, im, p->cosignature, res);
    }
    if (!council__is_secretariat(c))
        return refuse(c, im, COUNCIL_EDENIED, "not_secretariat", "a member's answer is taken by the "
                      "secretariat (it signs the step)");
    switch (p->answer->kind) {
    case ANS(REFERRAL):
        return answer_referral(c, e, p->answer, res);
    case ANS(REQUEST):
    case ANS(REQUEST_DECLINE):
        return answer_request(c, e, p->answer, res);
    case ANS(SECTIONS):
        return answer_sections(c, im, e, p->answer, res);
    default:
        return council__fail(c, COUNCIL_EFORMAT, "%s: an answer of unknown kind", op);
    }
}

int council_bundle_import(council *c, council_buf *out, const uint8_t *bundle, size_t len)
{
    council__envelope e;
    Council__V1__BundlePayload *p = NULL;
    council__import_result res;
    const uint8_t *holder, *pk;
    const council__secret *sk;
    imp im;
    int rc;

    if ((rc = council__import_begin(c, op, out, bundle)) != COUNCIL_OK)
        return rc;
    memset(&im, 0, sizeof im);
    memset(&e, 0, sizeof e);
    memset(&res, 0, sizeof res);
    if (len <= COUNCIL_BUNDLE_MAX) {
        crypto_hash_sha256(im.hash_buf, bundle, len);
        im.hash = im.hash_buf;
    }
    if (!council__is_coordinator(c))
        return refuse(c, &im, COUNCIL_EDENIED, "not_coordinator", "only the council's sessions "
                      "holding the coordinating body's key import bundles");
    if ((rc = council__actor_key(c, &holder, &pk, &sk)) != COUNCIL_OK)
        return rc;
    if ((rc = checks(c, &im, &e, bundle, len, pk)) != COUNCIL_OK)
        goto out;
    if ((rc = council__envelope_open(c, op, &e, pk, sk, &p)) != COUNCIL_OK) {
        rc = refuse(c, &im, rc, rc == COUNCIL_EAUTH ? "seal" : rc == COUNCIL_ETAMPER ? "payload_swapped"
                                                                                    : "payload_format",
                    NULL);
        goto out;
    }
    /* The step, the bundle marked seen and its event: one transaction (an
     * error leaves no step standing that a retry would be refused as a
     * replay of, nor a bundle seen whose step is not). */
    if ((rc = council__op_batch_begin(c, op)) != COUNCIL_OK)
        goto out;
    c->inner_ok = true; /* the step is an operation of its own, in this batch */
    rc = dispatch(c, &im, &e, p, &res);
    c->inner_ok = false;
    if (rc != COUNCIL_OK) {
        /* The step's own refusal is logged by it; the bundle's too (its
         * message kept; held, so it stands when the batch rolls back). */
        if (!im.logged)
            (void)refuse(c, &im, rc, "step_refused", NULL);
        (void)council__op_batch_end(c, op, rc);
        goto out;
    }
    /* The result packed before the commit: nothing can fail after it. */
    rc = mark_seen(c, &e, &res);
    if (rc == COUNCIL_OK)
        rc = council__import_result_pack(c, op, out, &res, e.hash, (int)e.h->type,
                                         (int)e.h->sender_kind, e.h->sender_id.data, e.h->created,
                                         e.h->expires);
    if ((rc = council__op_batch_end(c, op, rc)) != COUNCIL_OK)
        council_buf_free(out);
out:
    if (p != NULL)
        council__envelope_payload_free(p);
    council__envelope_free(&e);
    (void)holder;
    return rc;
}
