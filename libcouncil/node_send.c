/*
 * node_send.c - the bundles a member node sends back to the council: an
 * answer to a referral or a cooperation request, a case's sections as the
 * member updated them, an integrator's intake or answer, and the node's
 * cosignature of the council's checkpoint. Each is signed with the
 * member's Ed25519 key, sealed to the reply key the node learnt from a
 * verified council bundle, and logged (bundle_exported, its hash) in the
 * node's own log before it is returned.
 */
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/bundle.pb-c.h"
#include "council_int.h"
#include "envelope.h"
#include "log.h"
#include "note.h"
#include "text.h"
#include "node.h"

#define TEXT_MAX (1024u * 1024u) /* bytes of an answer's text */
#define SECTIONS_MAX 64u

static int start(council_node *n, const char *op, council_buf *out)
{
    int rc;

    if (!council__node_ok(n) || out == NULL)
        return n != NULL && n->c != NULL
                   ? council__fail(n->c, COUNCIL_EMISUSE, "%s: bad handle or NULL out", op)
                   : COUNCIL_EMISUSE;
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__no_batch(n->c, op)) != COUNCIL_OK)
        return rc;
    return COUNCIL_OK;
}

static int expiry(council_node *n, const char *op, const council_bundle_options *o, int64_t now,
                  int64_t *expires)
{
    if (o != NULL && o->version != COUNCIL_BUNDLE_OPTIONS_VERSION)
        return council__fail(n->c, COUNCIL_EMISUSE, "%s: bundle options of unknown version", op);
    if (o == NULL || o->expires == 0) {
        *expires = now + COUNCIL_BUNDLE_TTL_DEFAULT;
        return COUNCIL_OK;
    }
    if (o->expires <= now || o->expires > now + COUNCIL_BUNDLE_TTL_MAX)
        return council__fail(n->c, COUNCIL_EINVAL, "%s: the expiry must be after now and at most "
                             "366 days ahead", op);
    *expires = o->expires;
    return COUNCIL_OK;
}

/* Seal to the reply key, sign with the member's key, log, return. */
static int send_bundle(council_node *n, const char *op, council_buf *out, int type,
                       Council__V1__BundlePayload *p, const council_bundle_options *o,
                       const uint8_t *object_id, const uint8_t *case_id)
{
    Council__V1__BundleHeader h = COUNCIL__V1__BUNDLE_HEADER__INIT;
    uint8_t reply[32], nonce[16], hash[32];
    int64_t now = (int64_t)time(NULL), expires = 0;
    bool known = false;
    int rc;

    if ((rc = expiry(n, op, o, now, &expires)) != COUNCIL_OK ||
        (rc = council__node_reply_key(n, reply, &known)) != COUNCIL_OK)
        return rc;
    if (!known)
        return council__fail(n->c, COUNCIL_ENOTFOUND, "%s: the node does not yet know where "
                             "answers go: import a bundle from the council first", op);
    h.council_id.data = n->council_id;
    h.council_id.len = 16;
    h.sender_kind = COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_MEMBER;
    h.sender_id.data = n->member_id;
    h.sender_id.len = 16;
    h.sender_sign_key.data = n->mk.sign_pk;
    h.sender_sign_key.len = 32;
    h.recipient_kind = COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_COUNCIL;
    h.recipient_id.data = n->council_id;
    h.recipient_id.len = 16;
    h.recipient_box_key.data = reply;
    h.recipient_box_key.len = 32;
    h.created = now;
    h.expires = expires;
    h.type = (Council__V1__BundleType)type;
    if ((rc = council__envelope_build(n->c, op, out, &h, nonce, p, &n->mk.sign_sk, hash)) !=
        COUNCIL_OK)
        return rc;
    rc = council__node_event(n, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_BUNDLE_EXPORTED,
                             COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED, 0,
                             council__envelope_type_name(type), object_id, hash, case_id, NULL, 0);
    if (rc != COUNCIL_OK) {
        council_buf_free(out);
        return rc;
    }
    council__clear(n->c);
    return COUNCIL_OK;
}

static int check_id(council_node *n, const char *op, const uint8_t *id, size_t len, const char *what)
{
    if (id == NULL || len != COUNCIL_ID_BYTES)
        return council__fail(n->c, COUNCIL_EINVAL, "%s: the %s id must be %d bytes", op, what,
                             COUNCIL_ID_BYTES);
    return COUNCIL_OK;
}

static int check_text(council_node *n, const char *op, const char *s, bool need)
{
    size_t len;

    if (s == NULL)
        return need ? council__fail(n->c, COUNCIL_EINVAL, "%s: no text", op) : COUNCIL_OK;
    len = strlen(s);
    if (len == 0 || len > TEXT_MAX || !council__text_ok(s, len))
        return council__fail(n->c, COUNCIL_EINVAL, "%s: the text must be 1..%u bytes of UTF-8",
                             op, TEXT_MAX);
    return COUNCIL_OK;
}

static int check_code(council_node *n, const char *op, const char *s, const char *what)
{
    if (s != NULL && !council__audit_code_ok(s))
        return council__fail(n->c, COUNCIL_EINVAL, "%s: the %s is a code [a-z0-9_]{1,64}", op, what);
    return COUNCIL_OK;
}

int council_node_answer_referral(council_node *n, council_buf *bundle, const uint8_t *referral_id,
                                 size_t id_len, const char *step, const char *reason,
                                 const char *text, const council_bundle_options *opts)
{
    static const char op[] = "node_answer_referral";
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__AnswerBundle a = COUNCIL__V1__ANSWER_BUNDLE__INIT;
    int rc;

    if ((rc = start(n, op, bundle)) != COUNCIL_OK ||
        (rc = check_id(n, op, referral_id, id_len, "referral")) != COUNCIL_OK ||
        (rc = check_code(n, op, reason, "reason")) != COUNCIL_OK ||
        (rc = check_text(n, op, text, false)) != COUNCIL_OK)
        return rc;
    if (step == NULL || (strcmp(step, "accepted") != 0 && strcmp(step, "declined") != 0))
        return council__fail(n->c, COUNCIL_EINVAL, "%s: the step is accepted or declined", op);
    if (strcmp(step, "declined") == 0 && reason == NULL)
        return council__fail(n->c, COUNCIL_EINVAL, "%s: a decline needs a reason code", op);
    a.kind = COUNCIL__V1__ANSWER_BUNDLE__KIND__ANSWER_REFERRAL;
    a.has_referral_id = 1;
    a.referral_id.data = (uint8_t *)(uintptr_t)referral_id;
    a.referral_id.len = 16;
    a.step = (char *)(uintptr_t)step;
    a.reason = (char *)(uintptr_t)reason;
    a.text = (char *)(uintptr_t)text;
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_ANSWER;
    p.answer = &a;
    return send_bundle(n, op, bundle, COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_ANSWER, &p, opts,
                       referral_id, NULL);
}

int council_node_answer_request(council_node *n, council_buf *bundle, const uint8_t *request_id,
                                size_t id_len, const char *text, const char *decline_reason,
                                const council_bundle_options *opts)
{
    static const char op[] = "node_answer_request";
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__AnswerBundle a = COUNCIL__V1__ANSWER_BUNDLE__INIT;
    int rc;

    if ((rc = start(n, op, bundle)) != COUNCIL_OK ||
        (rc = check_id(n, op, request_id, id_len, "request")) != COUNCIL_OK)
        return rc;
    if ((text == NULL) == (decline_reason == NULL))
        return council__fail(n->c, COUNCIL_EINVAL, "%s: give exactly one of an answer's text and "
                             "a decline's reason", op);
    if ((rc = check_text(n, op, text, false)) != COUNCIL_OK ||
        (rc = check_code(n, op, decline_reason, "decline reason")) != COUNCIL_OK)
        return rc;
    a.kind = text != NULL ? COUNCIL__V1__ANSWER_BUNDLE__KIND__ANSWER_REQUEST
                          : COUNCIL__V1__ANSWER_BUNDLE__KIND__ANSWER_REQUEST_DECLINE;
    a.has_request_id = 1;
    a.request_id.data = (uint8_t *)(uintptr_t)request_id;
    a.request_id.len = 16;
    a.text = (char *)(uintptr_t)text;
    a.reason = (char *)(uintptr_t)decline_reason;
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_ANSWER;
    p.answer = &a;
    return send_bundle(n, op, bundle, COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_ANSWER, &p, opts,
                       request_id, NULL);
}

int council_node_return_sections(council_node *n, council_buf *bundle, const uint8_t *case_id,
                                 size_t case_len, const uint8_t *person_id, size_t person_len,
                                 const char *const *scopes, const uint8_t *const *contents,
                                 const size_t *content_lens, size_t count,
                                 const council_bundle_options *opts)
{
    static const char op[] = "node_return_sections";
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__AnswerBundle a = COUNCIL__V1__ANSWER_BUNDLE__INIT;
    Council__V1__BundleSection *secs = NULL, **ptrs = NULL;
    int rc;

    if ((rc = start(n, op, bundle)) != COUNCIL_OK ||
        (rc = check_id(n, op, case_id, case_len, "case")) != COUNCIL_OK ||
        (rc = check_id(n, op, person_id, person_len, "person")) != COUNCIL_OK)
        return rc;
    if (count == 0 || count > SECTIONS_MAX || scopes == NULL || contents == NULL ||
        content_lens == NULL)
        return council__fail(n->c, COUNCIL_EINVAL, "%s: give 1..%u sections", op, SECTIONS_MAX);
    if (opts != NULL && opts->version == COUNCIL_BUNDLE_OPTIONS_VERSION &&
        (rc = check_code(n, op, opts->purpose, "purpose")) != COUNCIL_OK)
        return rc;
    for (size_t i = 0; i < count; i++) {
        if (!council__audit_code_ok(scopes[i]))
            return council__fail(n->c, COUNCIL_EINVAL, "%s: scope %zu is not a code", op, i);
        if (contents[i] == NULL || content_lens[i] == 0 || content_lens[i] > TEXT_MAX)
            return council__fail(n->c, COUNCIL_EINVAL, "%s: section %zu's content must be "
                                 "1..%u bytes", op, i, TEXT_MAX);
    }
    if ((secs = council__calloc(count, sizeof *secs)) == NULL ||
        (ptrs = council__calloc(count, sizeof *ptrs)) == NULL) {
        council__free(secs);
        return council__fail(n->c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    for (size_t i = 0; i < count; i++) {
        council__v1__bundle_section__init(&secs[i]);
        secs[i].scope = (char *)(uintptr_t)scopes[i];
        secs[i].content.data = (uint8_t *)(uintptr_t)contents[i];
        secs[i].content.len = content_lens[i];
        ptrs[i] = &secs[i];
    }
    a.kind = COUNCIL__V1__ANSWER_BUNDLE__KIND__ANSWER_SECTIONS;
    a.has_case_id = 1;
    a.case_id.data = (uint8_t *)(uintptr_t)case_id;
    a.case_id.len = 16;
    a.has_person_id = 1;
    a.person_id.data = (uint8_t *)(uintptr_t)person_id;
    a.person_id.len = 16;
    a.sections = ptrs;
    a.n_sections = count;
    a.purpose = opts != NULL && opts->version == COUNCIL_BUNDLE_OPTIONS_VERSION
                    ? (char *)(uintptr_t)opts->purpose : NULL;
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_ANSWER;
    p.answer = &a;
    rc = send_bundle(n, op, bundle, COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_ANSWER, &p, opts, NULL,
                     case_id);
    council__free(secs);
    council__free(ptrs);
    return rc;
}

int council_node_send(council_node *n, council_buf *bundle, int type, const uint8_t *content,
                      size_t len, const council_bundle_options *opts)
{
    static const char op[] = "node_send";
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    ProtobufCMessage *m = NULL;
    int rc;

    if ((rc = start(n, op, bundle)) != COUNCIL_OK)
        return rc;
    if (type != COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_INTAKE &&
        type != COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_ANSWER)
        return council__fail(n->c, COUNCIL_EINVAL, "%s: a node sends an intake or an answer", op);
    if (content == NULL || len == 0 || len > COUNCIL__ENV_PAYLOAD_MAX - 64)
        return council__fail(n->c, COUNCIL_EINVAL, "%s: the content must be 1..%u bytes", op,
                             COUNCIL__ENV_PAYLOAD_MAX - 64);
    if (type == COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_INTAKE) {
        p.intake = council__v1__intake_bundle__unpack(council__pb_wiping_allocator(), len, content);
        m = (ProtobufCMessage *)p.intake;
        p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_INTAKE;
    } else {
        p.answer = council__v1__answer_bundle__unpack(council__pb_wiping_allocator(), len, content);
        m = (ProtobufCMessage *)p.answer;
        p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_ANSWER;
    }
    if (m == NULL)
        return council__fail(n->c, council__pb_alloc_failed(true) ? COUNCIL_ENOMEM : COUNCIL_EFORMAT,
                             "%s: the content is not a %s message", op,
                             council__envelope_type_name(type));
    rc = send_bundle(n, op, bundle, type, &p, opts, NULL, NULL);
    protobuf_c_message_free_unpacked(m, council__pb_wiping_allocator());
    return rc;
}

int council_node_cosign(council_node *n, council_buf *bundle, const council_bundle_options *opts)
{
    static const char op[] = "node_cosign";
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__CosignatureBundle cb = COUNCIL__V1__COSIGNATURE_BUNDLE__INIT;
    council_buf cosigned = { NULL, 0 };
    char *note = NULL, *text = NULL;
    uint64_t size = 0;
    int rc;

    if ((rc = start(n, op, bundle)) != COUNCIL_OK ||
        (rc = council__node_checkpoint_get(n, &note, &size)) != COUNCIL_OK)
        return rc;
    if (note == NULL)
        return council__fail(n->c, COUNCIL_ENOTFOUND, "%s: the node has seen no checkpoint of the "
                             "council's log yet: import a checkpoint bundle first", op);
    /* The checkpoint was verified (signature, consistency) when imported. */
    council__secret_read(&n->witness_sk);
    rc = council__note_cosign(&cosigned, note, strlen(note), n->witness_name, n->witness_sk.p,
                              (uint64_t)time(NULL));
    council__secret_lock(&n->witness_sk);
    council__free(note);
    if (rc != COUNCIL_OK)
        return council__fail(n->c, rc, "%s: cannot cosign the checkpoint", op);
    if ((text = council__malloc(cosigned.len + 1)) == NULL) {
        council_buf_free(&cosigned);
        return council__fail(n->c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    memcpy(text, cosigned.ptr, cosigned.len);
    text[cosigned.len] = '\0';
    council_buf_free(&cosigned);
    cb.cosigned = text;
    cb.witness_name = n->witness_name;
    cb.witness_key.data = n->witness_pk;
    cb.witness_key.len = 32;
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_COSIGNATURE;
    p.cosignature = &cb;
    rc = send_bundle(n, op, bundle, COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_COSIGNATURE, &p, opts,
                     NULL, NULL);
    council__free(text);
    return rc;
}
