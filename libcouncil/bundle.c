/*
 * bundle.c - the council's bundles out, what they share (bundle.h): the
 * options, the secretariat's session, the recipient, the header, the seal
 * and the log; the signed rows of what each bundle carried (table
 * bundle_sent, this module's alone) and the revocation bundle made from
 * them (council_bundle_revocations); the checkpoint bundle
 * (council_bundle_checkpoint); council_bundle_inspect() for any bundle.
 * Each bundle is signed with the council's log key and sealed to the
 * member's box key as the council signed it (envelope.c;
 * doc/bundle-format.md). The case and meeting bundles are bundle_case.c's.
 */
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/bundle.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/meeting.pb-c.h"
#include "council_int.h"
#include "attest.h"
#include "buf.h"
#include "bundle.h"
#include "case_db.h"
#include "crypto.h"
#include "decide.h"
#include "envelope.h"
#include "event.h"
#include "head.h"
#include "keydir.h"
#include "log.h"
#include "meeting.h"
#include "member_db.h"
#include "merkle.h"
#include "note.h"
#include "consent_db.h"
#include "council/v1/consent.pb-c.h"
#include "referral_db.h"
#include "section.h"
#include "session.h"
#include "share.h"
#include "share_db.h"
#include "sql.h"
#include "store.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define BT(x) COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_##x
#define SCOPES_MAX COUNCIL__AUDIT_SCOPES_MAX
#define SENT_ROWS_MAX 1024 /* rows one revocation bundle lists at most (a node takes 1024 items) */

typedef char code_t[COUNCIL__AUDIT_CODE_MAX + 1];

/* ----------------------------------------------------------- the options */

/* The options: version, the expiry (0: the default lifetime; else in the
 * future and at most COUNCIL_BUNDLE_TTL_MAX ahead) into *expires; for a
 * bundle of personal data (personal), the purpose (default
 * support_coordination), the basis and the consent record. EMISUSE, EINVAL. */
int council__bundle_opts(council *c, const char *op, const council_bundle_options *o,
                         bool personal, int64_t now, int64_t *expires, const char **purpose)
{
    if (o == NULL || o->version != COUNCIL_BUNDLE_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if (o->expires == 0)
        *expires = now + COUNCIL_BUNDLE_TTL_DEFAULT;
    else if (o->expires <= now || o->expires > now + COUNCIL_BUNDLE_TTL_MAX)
        return council__fail(c, COUNCIL_EINVAL, "%s: the expiry is in the past or more than "
                             "366 days ahead", op);
    else
        *expires = o->expires;
    if (!personal)
        return COUNCIL_OK;
    *purpose = o->purpose != NULL ? o->purpose : "support_coordination";
    if (!council__audit_code_ok(*purpose) || council__purpose_parse(*purpose) <= 0 ||
        strcmp(*purpose, "other") == 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: the purpose is support_coordination, "
                             "referral, joint_support, meeting_discussion or statistics", op);
    if (o->basis == NULL || !council__audit_code_ok(o->basis) || council__basis_parse(o->basis) <= 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: a bundle of personal data names its legal "
                             "basis (a code, or consent)", op);
    if (strcmp(o->basis, "consent") == 0 &&
        (o->consent_id == NULL || o->consent_id_len != COUNCIL_ID_BYTES))
        return council__fail(c, COUNCIL_EINVAL, "%s: basis consent needs the consent record's "
                             "id", op);
    if (strcmp(o->basis, "consent") != 0 && o->consent_id != NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: a consent id goes with basis consent "
                             "only", op);
    return COUNCIL_OK;
}

/* The start of every export: the handle, out emptied, the secretariat's
 * session (others refused and logged), no batch, the member's id. */
int council__bundle_start(council *c, const char *op, council_buf *out, const uint8_t *member,
                          size_t member_len)
{
    int rc;

    if (!council__ok(c))
        return COUNCIL_EMISUSE;
    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__secretariat_only(c, op)) != COUNCIL_OK ||
        (rc = council__no_batch(c, op)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, member, member_len)) != COUNCIL_OK)
        return rc;
    if (c->log_sk.p == NULL || c->log_sk.len != 64)
        return council__fail(c, COUNCIL_EDENIED, "%s: this session holds no log key", op);
    return COUNCIL_OK;
}

/* The recipient: on the register, active, with a box key the council
 * signed (into pk). Refusals logged (action bundle_exported, in the
 * operation's transaction): EDENIED for a withdrawn member or one without
 * keys, EAUTH for a key the council did not sign; ENOTFOUND, EIO. */
int council__bundle_recipient(council *c, const char *op, const council__case *k,
                              const uint8_t member[COUNCIL_ID_BYTES], uint8_t pk[32])
{
    council__event ev = { .action = ACT(BUNDLE_EXPORTED), .subject_member = member };
    bool found = false, active = false, has_pk = false;
    int rc;

    ev.case_ref = k != NULL ? k->ref : NULL;
    if ((rc = council__member_check(c, op, member)) != COUNCIL_OK)
        return council__finish(c, rc == COUNCIL_ENOTFOUND
                                      ? council__fail(c, rc, "%s: no such member", op) : rc);
    if ((rc = council__member_keys_of(c, member, &found, &active, pk, &has_pk)) != COUNCIL_OK)
        return council__finish(c, council__fail(c, rc, "%s: cannot read the register", op));
    if (!found)
        return council__finish(c, council__fail(c, COUNCIL_ENOTFOUND, "%s: no such member", op));
    if (!active) {
        ev.reason = "recipient_withdrawn";
        return council__refuse_event(c, true, &ev, COUNCIL_EDENIED, op,
                                     "the recipient has withdrawn from the council");
    }
    if (!has_pk) {
        ev.reason = "recipient_without_keys";
        return council__refuse_event(c, true, &ev, COUNCIL_EDENIED, op,
                                     "the recipient has no keys");
    }
    if ((rc = council__member_key_check(c, op, member, pk)) == COUNCIL_EAUTH) {
        ev.reason = "recipient_key_unsigned";
        return council__refuse_event(c, true, &ev, COUNCIL_EAUTH, op,
                                     "the recipient's key is not signed by the council");
    }
    return rc == COUNCIL_OK ? COUNCIL_OK : council__finish(c, rc);
}

/* A council -> member header (its nonce and format filled in by the build). */
void council__bundle_header(council *c, Council__V1__BundleHeader *h,
                            const uint8_t member[COUNCIL_ID_BYTES], const uint8_t pk[32],
                            int type, int64_t now, int64_t expires)
{
    h->council_id.data = c->council_id;
    h->council_id.len = COUNCIL_ID_BYTES;
    h->sender_kind = COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_COUNCIL;
    h->sender_id = h->council_id;
    h->sender_sign_key.data = c->log_pk;
    h->sender_sign_key.len = 32;
    h->recipient_kind = COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_MEMBER;
    h->recipient_id.data = (uint8_t *)(uintptr_t)member;
    h->recipient_id.len = COUNCIL_ID_BYTES;
    h->recipient_box_key.data = (uint8_t *)(uintptr_t)pk;
    h->recipient_box_key.len = 32;
    h->created = now;
    h->expires = expires;
    h->type = (Council__V1__BundleType)type;
    if (c->coord_valid) {
        h->has_reply_box_key = 1;
        h->reply_box_key.data = c->coord_pk;
        h->reply_box_key.len = 32;
    }
}

/* ------------------------------------------------------- the sent rows */

/* The signed message of a bundle_sent row. */
static size_t sent_msg(uint8_t *m, const uint8_t member[16], int kind, const uint8_t *case_id,
                       const char *scope, const uint8_t *object, const uint8_t hash[32],
                       int64_t sent, int64_t expires, int64_t revoked, const uint8_t *rhash)
{
    static const uint8_t zero[32];
    uint8_t *p = m;
    size_t sl = scope != NULL ? strlen(scope) : 0;

    p = council__put_bytes(p, member, 16);
    p = council__put_u32(p, (uint32_t)kind);
    p = council__put_bytes(p, case_id != NULL ? case_id : zero, 16);
    p = council__put_u32(p, (uint32_t)sl);
    p = council__put_bytes(p, scope != NULL ? scope : "", sl);
    p = council__put_bytes(p, object != NULL ? object : zero, 16);
    p = council__put_bytes(p, hash, 32);
    p = council__put_u64(p, (uint64_t)sent);
    p = council__put_u64(p, (uint64_t)expires);
    p = council__put_u64(p, (uint64_t)revoked);
    p = council__put_bytes(p, rhash != NULL ? rhash : zero, 32);
    return (size_t)(p - m);
}
#define SENT_MSG_MAX (16 + 4 + 16 + 4 + COUNCIL__AUDIT_CODE_MAX + 16 + 32 + 8 * 3 + 32)

/* Record that the bundle `hash` carried (kind, case, scope, object) to
 * member, signed by the log key. In the caller's transaction. */
int council__bundle_sent_insert(council *c, const char *op, const uint8_t member[16], int kind,
                                const uint8_t *case_id, const char *scope, const uint8_t *object,
                                const uint8_t hash[32], int64_t sent, int64_t expires)
{
    uint8_t m[SENT_MSG_MAX], signer[COUNCIL_ID_BYTES], sig[64];
    size_t n = sent_msg(m, member, kind, case_id, scope, object, hash, sent, expires, 0, NULL);
    sqlite3_stmt *st = NULL;
    int rc = council__attest_sign(c, "bundle_sent", m, n, signer, sig);

    if (rc != COUNCIL_OK)
        return rc;
    if (council__prepare(c, "INSERT INTO bundle_sent (member_id, kind, case_id, scope, "
                                  "object_id, bundle_hash, sent, expires, signer, sig) VALUES "
                                  "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10);", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, kind) != SQLITE_OK ||
        (case_id != NULL ? sqlite3_bind_blob(st, 3, case_id, 16, SQLITE_STATIC)
                         : sqlite3_bind_null(st, 3)) != SQLITE_OK ||
        (scope != NULL ? sqlite3_bind_text(st, 4, scope, -1, SQLITE_STATIC)
                       : sqlite3_bind_null(st, 4)) != SQLITE_OK ||
        (object != NULL ? sqlite3_bind_blob(st, 5, object, 16, SQLITE_STATIC)
                        : sqlite3_bind_null(st, 5)) != SQLITE_OK ||
        sqlite3_bind_blob(st, 6, hash, 32, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 7, sent) != SQLITE_OK ||
        sqlite3_bind_int64(st, 8, expires) != SQLITE_OK ||
        sqlite3_bind_blob(st, 9, signer, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 10, sig, 64, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    council__finalize(c, st);
    return COUNCIL_OK;
}

/* One bundle_sent row, checked. */
typedef struct sent_row {
    int64_t seq;
    int kind;
    bool has_case, has_object;
    uint8_t case_id[16], object[16], hash[32];
    code_t scope;
    int64_t sent, expires;
} sent_row;

/* The member's rows not yet revoked whose bundle has not expired, each
 * checked against its signature (a row that fails is a tamper finding and
 * is left out). The revocation mark and the expiry are read and checked
 * under the signature before they decide anything: an insider who marks
 * a row revoked or moves its expiry back must not make it vanish from the
 * next revocation silently. *rows council__malloc'd. EIO, ENOMEM, ELIMIT. */
static int sent_rows(council *c, const char *op, const uint8_t member[16], int64_t now,
                     sent_row **rows, size_t *n)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = COUNCIL_OK, src;

    *rows = NULL;
    *n = 0;
    if (council__prepare(c, "SELECT seq, kind, case_id, scope, object_id, bundle_hash, sent, "
                                  "expires, signer, sig, revoked, revoked_hash FROM bundle_sent "
                                  "WHERE member_id = ?1 ORDER BY seq;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, 16, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        sent_row r;
        const char *scope = (const char *)sqlite3_column_text(st, 3);
        uint8_t m[SENT_MSG_MAX];
        size_t ml;
        int64_t revoked = sqlite3_column_type(st, 10) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 10);
        bool ok = sqlite3_column_bytes(st, 5) == 32 &&
                  (revoked == 0 ? sqlite3_column_type(st, 11) == SQLITE_NULL
                                : sqlite3_column_bytes(st, 11) == 32) &&
                  (sqlite3_column_type(st, 2) == SQLITE_NULL || sqlite3_column_bytes(st, 2) == 16) &&
                  (sqlite3_column_type(st, 4) == SQLITE_NULL || sqlite3_column_bytes(st, 4) == 16) &&
                  (scope == NULL || (strlen(scope) <= COUNCIL__AUDIT_CODE_MAX &&
                                     council__audit_code_ok(scope)));
        memset(&r, 0, sizeof r);
        if (ok) {
            r.seq = sqlite3_column_int64(st, 0);
            r.kind = sqlite3_column_int(st, 1);
            r.has_case = sqlite3_column_type(st, 2) != SQLITE_NULL;
            if (r.has_case)
                memcpy(r.case_id, sqlite3_column_blob(st, 2), 16);
            if (scope != NULL)
                strcpy(r.scope, scope);
            r.has_object = sqlite3_column_type(st, 4) != SQLITE_NULL;
            if (r.has_object)
                memcpy(r.object, sqlite3_column_blob(st, 4), 16);
            memcpy(r.hash, sqlite3_column_blob(st, 5), 32);
            r.sent = sqlite3_column_int64(st, 6);
            r.expires = sqlite3_column_int64(st, 7);
            ml = sent_msg(m, member, r.kind, r.has_case ? r.case_id : NULL,
                          scope != NULL ? r.scope : NULL, r.has_object ? r.object : NULL, r.hash,
                          r.sent, r.expires, revoked,
                          revoked != 0 ? sqlite3_column_blob(st, 11) : NULL);
            ok = council__attest_check(c, "bundle_sent", m, ml, sqlite3_column_blob(st, 8),
                                       (size_t)sqlite3_column_bytes(st, 8),
                                       sqlite3_column_blob(st, 9),
                                       (size_t)sqlite3_column_bytes(st, 9)) == COUNCIL_OK;
        }
        if (!ok) {
            rc = council__tamper(c, r.has_case ? r.case_id : NULL, NULL, member,
                                 "forged_bundle_sent");
            continue;
        }
        if (revoked != 0 || r.expires <= now)
            continue; /* revoked already, or its bundle expired (the node purged it) */
        if (*n == SENT_ROWS_MAX) {
            rc = council__fail(c, COUNCIL_ELIMIT, "%s: more than %d items to revoke", op,
                               SENT_ROWS_MAX);
            break;
        }
        void *more = council__grow(*rows, &cap, *n, sizeof **rows);
        if (more == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
        *rows = more;
        (*rows)[(*n)++] = r;
    }
    /* a step that failed is no end of the rows: the list would be cut */
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot read the bundles sent", op);
    council__finalize(c, st);
    if (rc != COUNCIL_OK) {
        council__free(*rows);
        *rows = NULL;
        *n = 0;
    }
    return rc;
}

/* Mark a row revoked by the revocation bundle rhash, signed again. */
static int sent_revoke(council *c, const char *op, const uint8_t member[16], const sent_row *r,
                       int64_t now, const uint8_t rhash[32])
{
    uint8_t m[SENT_MSG_MAX], signer[COUNCIL_ID_BYTES], sig[64];
    size_t n = sent_msg(m, member, r->kind, r->has_case ? r->case_id : NULL,
                        r->scope[0] != '\0' ? r->scope : NULL, r->has_object ? r->object : NULL,
                        r->hash, r->sent, r->expires, now, rhash);
    sqlite3_stmt *st = NULL;
    int rc = council__attest_sign(c, "bundle_sent", m, n, signer, sig);

    if (rc != COUNCIL_OK)
        return rc;
    if (council__prepare(c, "UPDATE bundle_sent SET revoked = ?1, revoked_hash = ?2, "
                                  "signer = ?3, sig = ?4 WHERE seq = ?5;", &st) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, now) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, rhash, 32, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, signer, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, sig, 64, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, r->seq) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    council__finalize(c, st);
    return COUNCIL_OK;
}

/* ------------------------------------------------------ seal, log, out */

/* Build the bundle, log ev (and first `pre`, may be NULL) naming its hash,
 * the sent rows through `rows` (may be NULL), commit, and only then hand
 * the bytes to out. Ends the operation's transaction. */

int council__bundle_seal(council *c, const char *op, council_buf *out,
                         Council__V1__BundleHeader *h, Council__V1__BundlePayload *p,
                         council__event *pre, council__event *ev, council__bundle_after_fn after,
                         void *ctx)
{
    uint8_t nonce[COUNCIL__ENV_NONCE_BYTES], hash[COUNCIL__ENV_HASH_BYTES];
    council_buf b = { NULL, 0 };
    int rc = council__envelope_build(c, op, &b, h, nonce, p, &c->log_sk, hash);

    if (rc == COUNCIL_OK && after != NULL)
        rc = after(c, op, hash, ctx);
    if (rc == COUNCIL_OK && pre != NULL) {
        pre->bundle_hash = hash;
        council__event_actor(c, pre);
        rc = council__audit_append(c, pre);
    }
    if (rc == COUNCIL_OK) {
        ev->bundle_hash = hash;
        ev->outcome = ALLOWED;
        ev->reason = council__envelope_type_name((int)h->type);
        council__event_actor(c, ev);
        rc = council__audit_append(c, ev);
    }
    rc = council__finish(c, rc);
    if (rc != COUNCIL_OK) {
        council_buf_free(&b);
        return rc;
    }
    *out = b;
    council__clear(c);
    return COUNCIL_OK;
}

/* ------------------------------------------------------------- inspect */

int council_bundle_inspect(council_buf *out, const uint8_t *bundle, size_t len)
{
    static const char op[] = "bundle_inspect";
    Council__V1__BundleInfo info = COUNCIL__V1__BUNDLE_INFO__INIT;
    council__envelope e;
    size_t n;
    int rc;

    if (out == NULL)
        return COUNCIL_EMISUSE;
    out->ptr = NULL;
    out->len = 0;
    if (bundle == NULL)
        return COUNCIL_EINVAL;
    if ((rc = council__envelope_parse(NULL, op, &e, bundle, len)) != COUNCIL_OK)
        return rc;
    info.header = e.h;
    info.hash.data = e.hash;
    info.hash.len = sizeof e.hash;
    info.signature_ok = council__envelope_verify(NULL, op, &e, NULL) == COUNCIL_OK;
    info.size = len;
    info.sealed_size = e.sealed_len;
    n = council__v1__bundle_info__get_packed_size(&info);
    out->ptr = council__malloc(n ? n : 1);
    if (out->ptr == NULL) {
        council__envelope_free(&e);
        return COUNCIL_ENOMEM;
    }
    out->len = council__v1__bundle_info__pack(&info, out->ptr);
    council__envelope_free(&e);
    return COUNCIL_OK;
}

/* ---------------------------------------------------------- checkpoint */

/* A checkpoint the council signed within the last hour, as stored, when it
 * is this log's: signed by the log key, for a size within the log, with
 * the tree's root at that size (rows the insider wrote are passed over;
 * the largest good one of the last eight is taken). So every member node
 * sent a checkpoint within the hour cosigns the same tree, and none is
 * sent one older than that. COUNCIL_ENOTFOUND: none usable. */
#define CHECKPOINT_REUSE 3600
#define CHECKPOINT_TRIES 8

static int latest_signed(council *c, const char *op, council_buf *note, uint64_t *size)
{
    char origin[COUNCIL__ORIGIN_MAX];
    council__vkey vk;
    council__nodes ns;
    uint64_t sizes[CHECKPOINT_TRIES], tree = 0;
    size_t n = 0;

    /* A read that fails is COUNCIL_EIO, not "none usable": a checkpoint
     * signed now instead would give this node another tree to cosign. */
    if (council__audit_size(c, &tree) != COUNCIL_OK ||
        council__audit_checkpoints_recent(c, (int64_t)time(NULL) - CHECKPOINT_REUSE, sizes,
                                          CHECKPOINT_TRIES, &n) != COUNCIL_OK)
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the stored checkpoints", op);
    council__log_origin(origin, c->council_id);
    council__log_vkey(&vk, c->council_id, c->log_pk);
    council__audit_nodes(c, &ns);
    for (size_t i = 0; i < n; i++) {
        council__checkpoint cp;
        uint8_t root[COUNCIL_HASH_BYTES];
        size_t len, cosigs = 0;
        char *text = NULL;
        int rc;

        if (sizes[i] > tree)
            continue;
        if ((rc = council__audit_checkpoint_note(c, sizes[i], &text)) == COUNCIL_ENOTFOUND)
            continue;
        if (rc != COUNCIL_OK)
            return council__fail(c, rc == COUNCIL_ENOMEM ? COUNCIL_ENOMEM : COUNCIL_EIO,
                                 "%s: cannot read a stored checkpoint", op);
        len = strlen(text);
        if (council__checkpoint_parse(&cp, text, len) == COUNCIL_OK && cp.size == sizes[i] &&
            strcmp(cp.origin, origin) == 0 &&
            council__note_verify(text, len, &vk, NULL, 0, &cosigs) == COUNCIL_OK) {
            if ((rc = council__merkle_root(&ns, sizes[i], root)) != COUNCIL_OK) {
                council__free(text);
                return council__fail(c, rc == COUNCIL_ENOMEM ? COUNCIL_ENOMEM : COUNCIL_EIO,
                                     "%s: cannot read the tree", op);
            }
            if (sodium_memcmp(root, cp.root, sizeof root) == 0) {
                note->ptr = (uint8_t *)text;
                note->len = len;
                *size = sizes[i];
                return COUNCIL_OK;
            }
        }
        council__free(text);
    }
    return COUNCIL_ENOTFOUND;
}

int council_bundle_checkpoint(council *c, council_buf *out, const uint8_t *member_id,
                                          size_t member_id_len, uint64_t from_size,
                                          const council_bundle_options *o)
{
    static const char op[] = "bundle_checkpoint";
    Council__V1__BundleHeader h = COUNCIL__V1__BUNDLE_HEADER__INIT;
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__CheckpointBundle cb = COUNCIL__V1__CHECKPOINT_BUNDLE__INIT;
    uint8_t proof[COUNCIL_PROOF_HASHES_MAX][COUNCIL_HASH_BYTES];
    ProtobufCBinaryData hashes[COUNCIL_PROOF_HASHES_MAX];
    council_buf note = { NULL, 0 };
    int64_t now = (int64_t)time(NULL), expires = 0;
    uint64_t size = 0;
    size_t count = 0;
    uint8_t pk[32];
    int rc;

    if ((rc = council__bundle_start(c, op, out, member_id, member_id_len)) != COUNCIL_OK ||
        (rc = council__bundle_opts(c, op, o, false, now, &expires, NULL)) != COUNCIL_OK)
        return rc;
    /* The recipient first (its refusals logged), then the checkpoint in
     * its own transaction, then the bundle in the operation's. */
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__bundle_recipient(c, op, NULL, member_id, pk)) != COUNCIL_OK ||
        (rc = council__finish(c, COUNCIL_OK)) != COUNCIL_OK)
        return rc;
    if ((rc = latest_signed(c, op, &note, &size)) == COUNCIL_ENOTFOUND)
        rc = council__audit_checkpoint_in_batch(c, &note, &size);
    if (rc != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK) {
        council_buf_free(&note);
        return rc;
    }
    if (from_size > size) {
        council_buf_free(&note);
        return council__finish(c, council__fail(c, COUNCIL_EINVAL, "%s: size %llu is larger "
                                                "than the log (%llu)", op,
                                                (unsigned long long)from_size,
                                                (unsigned long long)size));
    }
    if (from_size > 0 && from_size < size) {
        council__nodes ns;
        council__audit_nodes(c, &ns);
        if (council__merkle_prove_consistency(&ns, from_size, size, &proof[0][0],
                                              COUNCIL_PROOF_HASHES_MAX, &count) != COUNCIL_OK) {
            council_buf_free(&note);
            return council__finish(c, council__fail(c, COUNCIL_EIO, "%s: cannot read the tree",
                                                    op));
        }
    }
    for (size_t i = 0; i < count; i++) {
        hashes[i].data = proof[i];
        hashes[i].len = COUNCIL_HASH_BYTES;
    }
    {
        /* The note as a string (protobuf): NUL-terminated copy. */
        char *text = council__malloc(note.len + 1);
        if (text == NULL) {
            council_buf_free(&note);
            return council__finish(c, council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op));
        }
        memcpy(text, note.ptr, note.len);
        text[note.len] = '\0';
        council_buf_free(&note);
        cb.checkpoint = text;
        if (from_size > 0) {
            cb.has_from_size = 1;
            cb.from_size = from_size;
        }
        cb.consistency = hashes;
        cb.n_consistency = count;
        p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CHECKPOINT;
        p.checkpoint = &cb;
        council__bundle_header(c, &h, member_id, pk, BT(CHECKPOINT), now, expires);
        {
            council__event ev = { .action = ACT(BUNDLE_EXPORTED), .subject_member = member_id };
            rc = council__bundle_seal(c, op, out, &h, &p, NULL, &ev, NULL, NULL);
        }
        council__free(text);
    }
    return rc;
}

/* --------------------------------------------------------- revocations */

/* Is member still entitled to what row r carried? */
static int still_entitled(council *c, const char *op, const uint8_t member[16],
                          const sent_row *r, bool *yes, bool *erased)
{
    council__case k;
    int rc;

    *yes = false;
    *erased = false;
    if (r->kind == COUNCIL__SENT_MEETING && r->has_object) {
        council__mtg m;
        rc = council__meeting_load(c, op, r->object, &m);
        if (rc == COUNCIL_ENOTFOUND) {
            council__clear(c);
            return COUNCIL_OK;
        }
        *yes = rc == COUNCIL_OK && m.closed == 0 && m.ends > (int64_t)time(NULL);
        return rc;
    }
    if (r->kind == COUNCIL__SENT_REFERRAL && r->has_object) {
        council__referral_row *ref = council__calloc(1, sizeof *ref);
        if (ref == NULL)
            return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        rc = council__referral_load(c, op, r->object, ref);
        if (rc == COUNCIL_OK)
            *yes = ref->state != COUNCIL_REFERRAL_DECLINED &&
                   ref->state != COUNCIL_REFERRAL_WITHDRAWN && ref->state != COUNCIL_REFERRAL_ENDED;
        council__free(ref);
        if (rc == COUNCIL_ENOTFOUND) {
            council__clear(c);
            rc = COUNCIL_OK;
        }
        return rc;
    }
    if (r->kind == COUNCIL__SENT_CONSENT && r->has_object) {
        council__consent_row row;
        rc = council__consent_fetch(c, op, r->object, &row);
        if (rc == COUNCIL_OK) {
            *yes = row.m->status == COUNCIL__V1__CONSENT_STATUS__CONSENT_STATUS_ACTIVE;
            council__consent_row_free(&row);
        } else if (rc == COUNCIL_ENOTFOUND) {
            council__clear(c);
            rc = COUNCIL_OK; /* erased with its case */
        }
        return rc;
    }
    if (r->kind != COUNCIL__SENT_SHARE || !r->has_case || r->scope[0] == '\0') {
        *yes = true; /* a kind this council does not revoke by itself */
        return COUNCIL_OK;
    }
    rc = council__case_load(c, op, r->case_id, &k);
    if (rc == COUNCIL_ENOTFOUND || (rc == COUNCIL_OK && k.erased != 0)) {
        council__clear(c);
        *erased = true;
        return COUNCIL_OK;
    }
    if (rc != COUNCIL_OK)
        return rc;
    if (sodium_memcmp(member, k.owner, COUNCIL_ID_BYTES) == 0) {
        *yes = true;
        return COUNCIL_OK;
    }
    return council__share_active(c, op, r->case_id, member, r->scope, yes);
}

struct rev_after {
    const uint8_t *member;
    const sent_row *rows;
    const bool *gone;
    size_t n;
    int64_t now;
};

static int rev_after(council *c, const char *op, const uint8_t hash[32], void *ctx)
{
    const struct rev_after *a = ctx;
    int rc = COUNCIL_OK;

    for (size_t i = 0; rc == COUNCIL_OK && i < a->n; i++)
        if (a->gone[i])
            rc = sent_revoke(c, op, a->member, &a->rows[i], a->now, hash);
    return rc;
}

int council_bundle_revocations(council *c, council_buf *out, const uint8_t *member_id,
                                           size_t member_id_len, const council_bundle_options *o)
{
    static const char op[] = "bundle_revocations";
    Council__V1__BundleHeader h = COUNCIL__V1__BUNDLE_HEADER__INIT;
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__RevocationBundle rb = COUNCIL__V1__REVOCATION_BUNDLE__INIT;
    Council__V1__RevocationItem *items = NULL, **itemp = NULL;
    char **scopes = NULL;
    sent_row *rows = NULL;
    bool *gone = NULL, *erased = NULL;
    size_t n = 0, ni = 0;
    int64_t now = (int64_t)time(NULL), expires = 0;
    uint8_t pk[32];
    int rc;

    if ((rc = council__bundle_start(c, op, out, member_id, member_id_len)) != COUNCIL_OK ||
        (rc = council__bundle_opts(c, op, o, false, now, &expires, NULL)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    /* A withdrawn member still gets its revocations: its keys must be
     * signed, its row must be the council's. */
    {
        bool found = false, active = false, has_pk = false;
        if ((rc = council__member_check(c, op, member_id)) != COUNCIL_OK)
            return council__finish(c, rc == COUNCIL_ENOTFOUND
                                          ? council__fail(c, rc, "%s: no such member", op) : rc);
        if ((rc = council__member_keys_of(c, member_id, &found, &active, pk, &has_pk)) != COUNCIL_OK)
            return council__finish(c, council__fail(c, rc, "%s: cannot read the register", op));
        if (!found)
            return council__finish(c, council__fail(c, COUNCIL_ENOTFOUND, "%s: no such member",
                                                    op));
        if (!has_pk || council__member_key_check(c, op, member_id, pk) != COUNCIL_OK) {
            council__event ev = { .action = ACT(BUNDLE_EXPORTED), .subject_member = member_id,
                                  .reason = has_pk ? "recipient_key_unsigned"
                                                   : "recipient_without_keys" };
            return council__refuse_event(c, true, &ev, has_pk ? COUNCIL_EAUTH : COUNCIL_EDENIED,
                                         op, "the recipient has no key signed by the council");
        }
    }
    if ((rc = sent_rows(c, op, member_id, now, &rows, &n)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (n > 0 && ((gone = council__calloc(n, sizeof *gone)) == NULL ||
                  (erased = council__calloc(n, sizeof *erased)) == NULL ||
                  (items = council__calloc(n, sizeof *items)) == NULL ||
                  (itemp = council__calloc(n, sizeof *itemp)) == NULL ||
                  (scopes = council__calloc(n, sizeof *scopes)) == NULL))
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        bool yes = false;
        rc = still_entitled(c, op, member_id, &rows[i], &yes, &erased[i]);
        gone[i] = !yes;
    }
    /* One item per row: its case and scope, or the whole case erased. */
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        Council__V1__RevocationItem init = COUNCIL__V1__REVOCATION_ITEM__INIT;
        bool dup = false;
        if (!gone[i])
            continue;
        if (erased[i])
            for (size_t j = 0; j < i && !dup; j++)
                dup = gone[j] && erased[j] && memcmp(rows[j].case_id, rows[i].case_id, 16) == 0;
        if (dup)
            continue;
        items[ni] = init;
        items[ni].kind = rows[i].kind == COUNCIL__SENT_MEETING
                             ? COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_MEETING
                         : rows[i].kind == COUNCIL__SENT_REFERRAL
                             ? COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_REFERRAL
                         : rows[i].kind == COUNCIL__SENT_CONSENT
                             ? COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_CONSENT
                         : erased[i] ? COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_CASE
                                     : COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_SHARE;
        if (rows[i].has_object) {
            items[ni].has_object_id = 1;
            items[ni].object_id.data = rows[i].object;
            items[ni].object_id.len = 16;
        }
        if (rows[i].has_case) {
            items[ni].has_case_id = 1;
            items[ni].case_id.data = rows[i].case_id;
            items[ni].case_id.len = 16;
        }
        if (!erased[i] && rows[i].scope[0] != '\0') {
            scopes[ni] = rows[i].scope;
            items[ni].scopes = &scopes[ni];
            items[ni].n_scopes = 1;
        }
        items[ni].reason = (char *)(uintptr_t)(rows[i].kind == COUNCIL__SENT_MEETING
                                                   ? "meeting_closed"
                                               : rows[i].kind == COUNCIL__SENT_REFERRAL
                                                   ? "referral_ended"
                                               : rows[i].kind == COUNCIL__SENT_CONSENT
                                                   ? "consent_withdrawn"
                                               : erased[i] ? "case_erased" : "share_ended");
        itemp[ni] = &items[ni];
        ni++;
    }
    if (rc == COUNCIL_OK && ni == 0)
        rc = council__fail(c, COUNCIL_ENOTFOUND, "%s: nothing the member holds is to be "
                           "revoked", op);
    if (rc != COUNCIL_OK) {
        rc = council__finish(c, rc);
    } else {
        council__event ev = { .action = ACT(BUNDLE_EXPORTED), .subject_member = member_id };
        struct rev_after a = { member_id, rows, gone, n, now };
        rb.items = itemp;
        rb.n_items = ni;
        p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REVOCATION;
        p.revocation = &rb;
        council__bundle_header(c, &h, member_id, pk, BT(REVOCATION), now, expires);
        rc = council__bundle_seal(c, op, out, &h, &p, NULL, &ev, rev_after, &a);
    }
    council__free(rows);
    council__free(gone);
    council__free(erased);
    council__free(items);
    council__free(itemp);
    council__free(scopes);
    return rc;
}

