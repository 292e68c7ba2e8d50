/*
 * node_import.c - a member node imports a council bundle: parse, the
 * sender pinned (the council's log key), the signature, the recipient (this
 * member), the time, replay (nonce or hash seen), and only then the seal;
 * each refusal logged in the node's own log. Then the content is kept under
 * the node's keys (node.c), a revocation deletes what it names, and a
 * checkpoint is verified against the one seen before (witnessing).
 */
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/bundle.pb-c.h"
#include "council_int.h"
#include "buf.h"
#include "crypto.h"
#include "envelope.h"
#include "log.h"
#include "merkle.h"
#include "note.h"
#include "sql.h"
#include "node.h"
#include "store.h"

#define OP "node_import"
#define CONSISTENCY_MAX 64 /* hashes of a consistency proof */

typedef struct import_ctx {
    council_node *n;
    const council__envelope *e;
    Council__V1__BundleImportResult *r;
    uint8_t (*stored)[16];
    size_t n_stored, cap_stored;
    uint8_t (*deleted)[16];
    size_t n_deleted, cap_deleted;
    const char *why;            /* a refusal's reason code, when content refused it */
} import_ctx;

/* A refusal on the node's record, keeping the code and the message. */
static int refuse(council_node *n, int rc, const char *reason, const uint8_t *hash)
{
    char msg[COUNCIL__ERRMSG_MAX];

    /* Memory or the store failing says nothing of the bundle: no refusal
     * on the record (an error leaves nothing). */
    if (rc == COUNCIL_ENOMEM || rc == COUNCIL_EIO || rc == COUNCIL_ERROR)
        return rc;
    memcpy(msg, n->c->errmsg, sizeof msg);
    (void)council__node_event(n, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_BUNDLE_IMPORTED,
                              COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED, rc, reason, NULL,
                              hash, NULL, NULL, 0);
    return council__fail(n->c, rc, "%s", msg);
}

static const char *parse_reason(int rc)
{
    switch (rc) {
    case COUNCIL_ELIMIT: return "too_large";
    case COUNCIL_EUNSUPPORTED: return "unsupported_version";
    case COUNCIL_ENOMEM: return "out_of_memory";
    default: return "malformed";
    }
}

static bool id_is(const ProtobufCBinaryData *b, const uint8_t id[16])
{
    return b->len == 16 && b->data != NULL && memcmp(b->data, id, 16) == 0;
}

static int id_push(council_node *n, uint8_t (**arr)[16], size_t *k, size_t *cap,
                   const uint8_t id[16])
{
    uint8_t (*g)[16] = council__grow(*arr, cap, *k, sizeof **arr);

    if (g == NULL)
        return council__fail(n->c, COUNCIL_ENOMEM, OP ": out of memory");
    *arr = g;
    memcpy(g[(*k)++], id, 16);
    return COUNCIL_OK;
}

static const uint8_t *id16(const ProtobufCBinaryData *b)
{
    return b->len == 16 && b->data != NULL ? b->data : NULL;
}

/* Store one item: the content, its clear columns, the bundle it came in. */
/* Was the content revoked by a revocation made after this bundle (a case,
 * a share of one of its scopes for a section or a referral, its object)?
 * A revocation of the same second does not count: a re-share right after
 * a revocation goes in (and what the revocation deleted was no newer). */
static int superseded(import_ctx *x, const char *kind, const uint8_t *case_id,
                      const uint8_t *object_id, char **scopes, size_t n_scopes, bool *yes)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    *yes = false;
    if (council__prepare(x->n->c,
                           "SELECT 1 FROM node_revoked WHERE created > ?1 AND ((kind = 'case' AND "
                           "case_id = ?2) OR (kind = 'object' AND object_id = ?3) OR (kind = "
                           "'share' AND ?5 AND case_id = ?2 AND (scope = '' OR scope = ?4))) "
                           "LIMIT 1;", &st) != SQLITE_OK)
        return council__db_err(x->n->c, OP);
    for (size_t i = 0; !*yes && rc == COUNCIL_OK && i < (n_scopes > 0 ? n_scopes : 1); i++) {
        int src;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)x->e->h->created);
        if (case_id != NULL)
            sqlite3_bind_blob(st, 2, case_id, 16, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 2);
        if (object_id != NULL)
            sqlite3_bind_blob(st, 3, object_id, 16, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 3);
        if (n_scopes > 0)
            sqlite3_bind_text(st, 4, scopes[i], -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 4);
        sqlite3_bind_int(st, 5, strcmp(kind, COUNCIL__NODE_KIND_SECTION) == 0 ||
                                    strcmp(kind, COUNCIL__NODE_KIND_REFERRAL) == 0);
        src = sqlite3_step(st);
        if (src == SQLITE_ROW)
            *yes = true;
        else if (src != SQLITE_DONE)
            rc = council__db_err(x->n->c, OP);
    }
    council__finalize(x->n->c, st);
    return rc;
}

/* What a revocation named, with its bundle's creation time. */
static int revoked_put(import_ctx *x, const char *kind, const uint8_t *case_id, const char *scope,
                       const uint8_t *object_id)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (council__prepare(x->n->c, "INSERT INTO node_revoked (kind, case_id, scope, "
                                        "object_id, created) VALUES (?1, ?2, ?3, ?4, ?5);", &st) != SQLITE_OK)
        return council__db_err(x->n->c, OP);
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    if (case_id != NULL)
        sqlite3_bind_blob(st, 2, case_id, 16, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, scope != NULL ? scope : "", -1, SQLITE_STATIC);
    if (object_id != NULL)
        sqlite3_bind_blob(st, 4, object_id, 16, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)x->e->h->created);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(x->n->c, OP);
    council__finalize(x->n->c, st);
    return rc;
}

static int put(import_ctx *x, const char *kind, const uint8_t *case_id, const uint8_t *person_id,
               const uint8_t *object_id, char **scopes, size_t n_scopes, const uint8_t *content,
               size_t len)
{
    council__node_item it = {
        .kind = kind,
        .case_id = case_id,
        .person_id = person_id,
        .object_id = object_id,
        .scopes = (const char *const *)scopes,
        .n_scopes = n_scopes,
        .content = content,
        .content_len = len,
        .bundle_hash = x->e->hash,
        .expires = x->e->h->expires,
        .created = x->e->h->created,
    };
    uint8_t id[16];
    bool stale = false;
    int rc = superseded(x, kind, case_id, object_id, scopes, n_scopes, &stale);

    if (rc == COUNCIL_OK && stale) {
        x->why = "superseded";
        return council__fail(x->n->c, COUNCIL_EEXPIRED, OP ": the bundle was made before a "
                             "revocation this node imported of what it carries; ask the council "
                             "for a new one");
    }
    if (rc == COUNCIL_OK)
        rc = council__node_item_put(x->n, &it, id);
    return rc == COUNCIL_OK ? id_push(x->n, &x->stored, &x->n_stored, &x->cap_stored, id) : rc;
}

/* A content message kept whole (serialised, in wiping memory). */
static int put_message(import_ctx *x, const char *kind, const ProtobufCMessage *m,
                       const uint8_t *case_id, const uint8_t *person_id, const uint8_t *object_id,
                       char **scopes, size_t n_scopes)
{
    size_t len = protobuf_c_message_get_packed_size(m);
    uint8_t *buf = sodium_malloc(len + 1);
    int rc;

    if (buf == NULL)
        return council__fail(x->n->c, COUNCIL_ENOMEM, OP ": out of secure memory");
    protobuf_c_message_pack(m, buf);
    rc = put(x, kind, case_id, person_id, object_id, scopes, n_scopes, buf, len);
    sodium_free(buf);
    return rc;
}

static int import_sections(import_ctx *x, const Council__V1__CaseSectionsBundle *b)
{
    const uint8_t *case_id = id16(&b->case_id), *person = id16(&b->person_id);
    int rc = COUNCIL_OK;

    if (case_id == NULL || person == NULL)
        return council__fail(x->n->c, COUNCIL_EFORMAT, OP ": a case id is not 16 bytes");
    for (size_t i = 0; i < b->n_sections && rc == COUNCIL_OK; i++) {
        Council__V1__BundleSection *s = b->sections[i];
        char *scope = s->scope;
        rc = put(x, COUNCIL__NODE_KIND_SECTION, case_id, person, NULL, &scope, 1, s->content.data,
                 s->content.len);
    }
    x->r->has_case_id = 1;
    x->r->case_id = b->case_id;
    x->r->has_person_id = 1;
    x->r->person_id = b->person_id;
    if (b->has_consent_id && b->consent_id.len == 16) {
        x->r->has_consent_id = 1;
        x->r->consent_id = b->consent_id;
    }
    return rc;
}

static int deleted_one(void *ctx, const uint8_t id[16])
{
    import_ctx *x = ctx;

    return id_push(x->n, &x->deleted, &x->n_deleted, &x->cap_deleted, id);
}

static int revoke(import_ctx *x, int sel, const uint8_t *id, const char *scope)
{
    return council__node_items_delete(x->n, sel, id, scope, x->e->h->created, "revoked",
                                      deleted_one, x);
}

static int import_revocation(import_ctx *x, const Council__V1__RevocationBundle *b)
{
    int rc = COUNCIL_OK;

    if (b->n_items > 1024)
        return council__fail(x->n->c, COUNCIL_ELIMIT, OP ": more than 1024 revocations");
    for (size_t i = 0; i < b->n_items && rc == COUNCIL_OK; i++) {
        const Council__V1__RevocationItem *it = b->items[i];
        const uint8_t *case_id = it->has_case_id ? id16(&it->case_id) : NULL;
        const uint8_t *object = it->has_object_id ? id16(&it->object_id) : NULL;

        switch (it->kind) {
        case COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_SHARE:
            if (case_id == NULL)
                return council__fail(x->n->c, COUNCIL_EFORMAT, OP ": a share's revocation "
                                     "names no case");
            if (it->n_scopes == 0) {
                rc = revoked_put(x, "share", case_id, NULL, NULL);
                if (rc == COUNCIL_OK)
                    rc = revoke(x, COUNCIL__NODE_SEL_CASE_SECTIONS, case_id, NULL);
                break;
            }
            for (size_t s = 0; s < it->n_scopes && rc == COUNCIL_OK; s++) {
                rc = revoked_put(x, "share", case_id, it->scopes[s], NULL);
                if (rc == COUNCIL_OK)
                    rc = revoke(x, COUNCIL__NODE_SEL_CASE_SCOPE, case_id, it->scopes[s]);
            }
            break;
        case COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_CONSENT:
        case COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_REFERRAL:
        case COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_MEETING:
            if (object == NULL)
                return council__fail(x->n->c, COUNCIL_EFORMAT, OP ": a revocation names no "
                                     "object");
            rc = revoked_put(x, "object", NULL, NULL, object);
            if (rc == COUNCIL_OK)
                rc = revoke(x, COUNCIL__NODE_SEL_OBJECT, object, NULL);
            break;
        case COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_CASE:
            if (case_id == NULL)
                return council__fail(x->n->c, COUNCIL_EFORMAT, OP ": a case's revocation names "
                                     "no case");
            rc = revoked_put(x, "case", case_id, NULL, NULL);
            if (rc == COUNCIL_OK)
                rc = revoke(x, COUNCIL__NODE_SEL_CASE, case_id, NULL);
            break;
        default:
            return council__fail(x->n->c, COUNCIL_EFORMAT, OP ": an unknown revocation kind");
        }
    }
    return rc;
}

/* ------------------------------------------------------------ witnessing */

/* The checkpoint signed by the pinned council log key, of its origin. */
static int checkpoint_check(council_node *n, const char *note, size_t len, council__checkpoint *cp)
{
    char origin[COUNCIL__ORIGIN_MAX];
    council__vkey log;

    if (len == 0 || len > COUNCIL__NOTE_MAX || council__checkpoint_parse(cp, note, len) != COUNCIL_OK)
        return council__fail(n->c, COUNCIL_EFORMAT, OP ": a malformed checkpoint");
    council__log_origin(origin, n->council_id);
    if (strcmp(cp->origin, origin) != 0)
        return council__fail(n->c, COUNCIL_ETAMPER, OP ": the checkpoint is of another log");
    council__log_vkey(&log, n->council_id, n->council_log_pk);
    if (council__note_verify(note, len, &log, NULL, 0, NULL) != COUNCIL_OK)
        return council__fail(n->c, COUNCIL_ETAMPER, OP ": the checkpoint is not signed by the "
                             "council's log key");
    return COUNCIL_OK;
}

/* Verify the new checkpoint against the one seen before: never smaller
 * (a rollback), the same root at the same size, consistent by the proof
 * from the old size. *why: the reason code of a refusal. */
static int witness(council_node *n, const Council__V1__CheckpointBundle *b, const char **why,
                   uint64_t *size_out)
{
    council__checkpoint cp, old;
    uint8_t *proof = NULL;
    char *old_note = NULL;
    uint64_t old_size = 0;
    size_t len = strlen(b->checkpoint);
    int rc;

    *why = "bad_checkpoint";
    if ((rc = checkpoint_check(n, b->checkpoint, len, &cp)) != COUNCIL_OK)
        return rc;
    *size_out = cp.size;
    if ((rc = council__node_checkpoint_get(n, &old_note, &old_size)) != COUNCIL_OK)
        return rc;
    if (old_note == NULL)
        return COUNCIL_OK; /* the first: trusted on first sight, signed by the pinned key */
    rc = council__checkpoint_parse(&old, old_note, strlen(old_note));
    council__free(old_note);
    if (rc != COUNCIL_OK)
        return council__fail(n->c, COUNCIL_ETAMPER, OP ": the checkpoint kept is damaged");
    if (cp.size < old.size) {
        *why = "rollback";
        return council__fail(n->c, COUNCIL_ETAMPER, OP ": the council's log went back from %llu "
                             "to %llu events (a rollback)", (unsigned long long)old.size,
                             (unsigned long long)cp.size);
    }
    if (cp.size == old.size) {
        if (sodium_memcmp(cp.root, old.root, COUNCIL_HASH_BYTES) != 0) {
            *why = "fork";
            return council__fail(n->c, COUNCIL_ETAMPER, OP ": the council's log at %llu events "
                                 "has another root than seen before (a fork)",
                                 (unsigned long long)cp.size);
        }
        return COUNCIL_OK;
    }
    *why = "bad_proof";
    if (!b->has_from_size || b->from_size != old.size)
        return council__fail(n->c, COUNCIL_ETAMPER, OP ": the consistency proof does not start "
                             "at the %llu events seen before", (unsigned long long)old.size);
    if (b->n_consistency > CONSISTENCY_MAX)
        return council__fail(n->c, COUNCIL_ELIMIT, OP ": a consistency proof too long");
    if (b->n_consistency > 0 && (proof = council__malloc(b->n_consistency * 32)) == NULL)
        return council__fail(n->c, COUNCIL_ENOMEM, OP ": out of memory");
    for (size_t i = 0; i < b->n_consistency; i++) {
        if (b->consistency[i].len != 32) {
            council__free(proof);
            return council__fail(n->c, COUNCIL_EFORMAT, OP ": a proof hash is not 32 bytes");
        }
        memcpy(proof + 32 * i, b->consistency[i].data, 32);
    }
    rc = council_merkle_verify_consistency(old.size, cp.size, old.root, COUNCIL_HASH_BYTES, cp.root,
                                           COUNCIL_HASH_BYTES, proof, b->n_consistency * 32);
    council__free(proof);
    if (rc != COUNCIL_OK)
        return council__fail(n->c, COUNCIL_ETAMPER, OP ": the council's new checkpoint is not "
                             "consistent with the one seen before");
    return COUNCIL_OK;
}

/* ------------------------------------------------------------ the import */

static int import_content(import_ctx *x, const Council__V1__BundlePayload *p)
{
    council_node *n = x->n;

    switch (p->content_case) {
    case COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CASE_SECTIONS:
        x->r->outcome = "stored";
        return import_sections(x, p->case_sections);
    case COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_MEETING_PACKET: {
        const Council__V1__MeetingPacket *m = p->meeting_packet;
        const uint8_t *mid = m->meeting != NULL ? id16(&m->meeting->id) : NULL;
        if (mid == NULL)
            return council__fail(n->c, COUNCIL_EFORMAT, OP ": a packet names no meeting");
        if (!id_is(&m->attendee, n->member_id))
            return council__fail(n->c, COUNCIL_EFORMAT, OP ": a packet for another attendee");
        x->r->outcome = "stored";
        x->r->has_object_id = 1;
        x->r->object_id = m->meeting->id;
        return put_message(x, COUNCIL__NODE_KIND_MEETING, &m->base, NULL, NULL, mid, NULL, 0);
    }
    case COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REFERRAL: {
        const Council__V1__ReferralBundle *r = p->referral;
        const uint8_t *rid = id16(&r->referral_id), *cid = id16(&r->case_id);
        if (rid == NULL || cid == NULL || !id_is(&r->to_member, n->member_id))
            return council__fail(n->c, COUNCIL_EFORMAT, OP ": a referral not to this member");
        x->r->outcome = "stored";
        x->r->has_object_id = 1;
        x->r->object_id = r->referral_id;
        x->r->has_case_id = 1;
        x->r->case_id = r->case_id;
        return put_message(x, COUNCIL__NODE_KIND_REFERRAL, &r->base, cid, id16(&r->person_id),
                           rid, r->scopes, r->n_scopes);
    }
    case COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REQUEST: {
        const Council__V1__RequestBundle *q = p->request;
        const uint8_t *qid = id16(&q->request_id);
        if (qid == NULL)
            return council__fail(n->c, COUNCIL_EFORMAT, OP ": a request id is not 16 bytes");
        x->r->outcome = "stored";
        x->r->has_object_id = 1;
        x->r->object_id = q->request_id;
        return put_message(x, COUNCIL__NODE_KIND_REQUEST, &q->base,
                           q->has_case_id ? id16(&q->case_id) : NULL, NULL, qid, NULL, 0);
    }
    case COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CONSENT: {
        const Council__V1__ConsentBundle *k = p->consent;
        const uint8_t *kid = id16(&k->consent_id), *cid = id16(&k->case_id);
        if (kid == NULL || cid == NULL)
            return council__fail(n->c, COUNCIL_EFORMAT, OP ": a consent id is not 16 bytes");
        x->r->outcome = "stored";
        x->r->has_consent_id = 1;
        x->r->consent_id = k->consent_id;
        x->r->has_case_id = 1;
        x->r->case_id = k->case_id;
        return put_message(x, COUNCIL__NODE_KIND_CONSENT, &k->base, cid, id16(&k->person_id), kid,
                           k->scopes, k->n_scopes);
    }
    case COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REVOCATION:
        x->r->outcome = "revoked";
        return import_revocation(x, p->revocation);
    default:
        return council__fail(n->c, COUNCIL_EFORMAT, OP ": a %s bundle is not one a member node "
                             "imports", council__envelope_type_name(x->e->h->type) != NULL
                                            ? council__envelope_type_name(x->e->h->type) : "?");
    }
}

/* The checks before the seal, in order; each refusal logged. */
static int check_header(council_node *n, const council__envelope *e)
{
    const Council__V1__BundleHeader *h = e->h;
    bool dup = false;
    int rc;

    if (h->sender_kind != COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_COUNCIL ||
        !id_is(&h->sender_id, n->council_id) || !id_is(&h->council_id, n->council_id)) {
        rc = council__fail(n->c, COUNCIL_ESENDER, OP ": the bundle is not from this node's "
                           "council");
        return refuse(n, rc, "unknown_sender", e->hash);
    }
    if ((rc = council__envelope_verify(n->c, OP, e, n->council_log_pk)) != COUNCIL_OK)
        return refuse(n, rc, rc == COUNCIL_ESENDER ? "unknown_sender" : "bad_signature", e->hash);
    if (h->recipient_kind != COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_MEMBER ||
        !id_is(&h->recipient_id, n->member_id) || h->recipient_box_key.len != 32 ||
        sodium_memcmp(h->recipient_box_key.data, n->mk.box_pk, 32) != 0) {
        rc = council__fail(n->c, COUNCIL_ERECIPIENT, OP ": the bundle is addressed to another "
                           "recipient");
        return refuse(n, rc, "wrong_recipient", e->hash);
    }
    if ((rc = council__envelope_check_time(n->c, OP, e, (int64_t)time(NULL))) != COUNCIL_OK)
        return refuse(n, rc, rc == COUNCIL_EEXPIRED ? "expired" : "bad_time", e->hash);
    if ((rc = council__node_seen(n, e->hash, e->h->nonce.data, e->h->nonce.len, &dup)) !=
        COUNCIL_OK)
        return rc;
    if (dup) {
        rc = council__fail(n->c, COUNCIL_EREPLAY, OP ": this bundle was imported already");
        return refuse(n, rc, "replay", e->hash);
    }
    return COUNCIL_OK;
}

static int result_out(council_node *n, import_ctx *x, council_buf *out)
{
    ProtobufCBinaryData *st = NULL, *dl = NULL;
    int rc;

    if ((x->n_stored > 0 && (st = council__calloc(x->n_stored, sizeof *st)) == NULL) ||
        (x->n_deleted > 0 && (dl = council__calloc(x->n_deleted, sizeof *dl)) == NULL)) {
        council__free(st);
        return council__fail(n->c, COUNCIL_ENOMEM, OP ": out of memory");
    }
    for (size_t i = 0; i < x->n_stored; i++) {
        st[i].data = x->stored[i];
        st[i].len = 16;
    }
    for (size_t i = 0; i < x->n_deleted; i++) {
        dl[i].data = x->deleted[i];
        dl[i].len = 16;
    }
    x->r->stored = st;
    x->r->n_stored = x->n_stored;
    x->r->deleted = dl;
    x->r->n_deleted = x->n_deleted;
    rc = council__pack_out(n->c, OP, out, &x->r->base);
    x->r->stored = NULL;
    x->r->deleted = NULL;
    council__free(st);
    council__free(dl);
    return rc;
}

int council_node_import(council_node *n, council_buf *out, const uint8_t *bundle, size_t len)
{
    Council__V1__BundleImportResult r = COUNCIL__V1__BUNDLE_IMPORT_RESULT__INIT;
    Council__V1__BundlePayload *p = NULL;
    council__envelope e;
    import_ctx x;
    uint8_t hash[32];
    const char *why = NULL;
    uint64_t cp_size = 0;
    int rc;

    if (!council__node_ok(n))
        return n != NULL && n->c != NULL ? council__fail(n->c, COUNCIL_EMISUSE, OP ": bad handle")
                                         : COUNCIL_EMISUSE;
    if (out != NULL) {
        out->ptr = NULL;
        out->len = 0;
    }
    if (bundle == NULL)
        return council__fail(n->c, COUNCIL_EINVAL, OP ": no bundle");
    if ((rc = council__no_batch(n->c, OP)) != COUNCIL_OK)
        return rc;
    memset(&e, 0, sizeof e);
    if ((rc = council__envelope_parse(n->c, OP, &e, bundle, len)) != COUNCIL_OK) {
        /* The hash names what was refused, when it is not too large to read. */
        if (len <= COUNCIL_BUNDLE_MAX)
            crypto_hash_sha256(hash, bundle, len);
        return refuse(n, rc, parse_reason(rc), len <= COUNCIL_BUNDLE_MAX ? hash : NULL);
    }
    if ((rc = check_header(n, &e)) != COUNCIL_OK)
        goto out;
    if ((rc = council__envelope_open(n->c, OP, &e, n->mk.box_pk, &n->mk.box_sk, &p)) != COUNCIL_OK) {
        rc = refuse(n, rc, rc == COUNCIL_EAUTH ? "seal_not_opened"
                           : rc == COUNCIL_ETAMPER ? "payload_swapped" : "malformed_payload",
                    e.hash);
        goto out;
    }
    memset(&x, 0, sizeof x);
    x.n = n;
    x.e = &e;
    x.r = &r;
    r.hash.data = e.hash;
    r.hash.len = 32;
    r.type = e.h->type;
    r.sender_kind = e.h->sender_kind;
    r.sender_id = e.h->sender_id;
    r.created = e.h->created;
    r.expires = e.h->expires;
    if ((rc = council__audit_batch_begin(n->c)) != COUNCIL_OK)
        goto out;
    if (p->content_case == COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CHECKPOINT) {
        rc = witness(n, p->checkpoint, &why, &cp_size);
        if (rc == COUNCIL_OK)
            why = NULL;
        if (rc == COUNCIL_OK)
            rc = council__node_checkpoint_put(n, p->checkpoint->checkpoint,
                                              strlen(p->checkpoint->checkpoint), cp_size);
        if (rc == COUNCIL_OK)
            rc = council__node_event(n,
                                     COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_NODE_CHECKPOINT_WITNESSED,
                                     COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED, 0, NULL,
                                     NULL, e.hash, NULL, NULL, 0);
        r.outcome = "checkpoint_witnessed";
    } else {
        rc = import_content(&x, p);
    }
    /* The reply key of a bundle that verified with the pinned key. */
    if (rc == COUNCIL_OK && e.h->has_reply_box_key && e.h->reply_box_key.len == 32)
        rc = council__node_reply_key_put(n, e.h->reply_box_key.data, e.h->created);
    if (rc == COUNCIL_OK)
        rc = council__node_seen_put(n, e.hash, e.h->nonce.data, e.h->nonce.len);
    /* The import on the record: the object acted on, the case by the node's
     * own pseudonym of it. */
    if (rc == COUNCIL_OK)
        rc = council__node_event(n, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_BUNDLE_IMPORTED,
                                 COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED, 0,
                                 council__envelope_type_name(e.h->type),
                                 r.has_object_id ? id16(&r.object_id) : NULL, e.hash,
                                 r.has_case_id ? id16(&r.case_id) : NULL, NULL, 0);
    /* The result built before the commit: an import that committed is
     * one that returns OK (a failure after it would be retried as a
     * replay, the items stored all the same). */
    if (rc == COUNCIL_OK && out != NULL)
        rc = result_out(n, &x, out);
    rc = council__finish(n->c, rc);
    if (rc != COUNCIL_OK && out != NULL)
        council_buf_free(out);
    if (rc != COUNCIL_OK) {
        /* A witnessing refusal has its own event besides the import's. */
        if (why != NULL && rc == COUNCIL_ETAMPER) {
            char msg[COUNCIL__ERRMSG_MAX];
            memcpy(msg, n->c->errmsg, sizeof msg);
            (void)council__node_event(n,
                                      COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_NODE_CHECKPOINT_WITNESSED,
                                      COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED, rc, why,
                                      NULL, e.hash, NULL, NULL, 0);
            (void)council__fail(n->c, rc, "%s", msg);
        }
        rc = refuse(n, rc, why != NULL ? why : x.why != NULL ? x.why : "not_stored", e.hash);
    }
    council__free(x.stored);
    council__free(x.deleted);
out:
    council__envelope_payload_free(p);
    council__envelope_free(&e);
    if (rc == COUNCIL_OK)
        council__clear(n->c);
    return rc;
}
