/*
 * bundle.c - the council's bundles out (council_bundle_*): a case's
 * sections a member is entitled to now, the council's checkpoint with a
 * consistency proof, the revocation of what a member may no longer hold,
 * and council_bundle_inspect() for any bundle. Each bundle is signed with
 * the council's log key and sealed to the member's box key as the council
 * signed it (envelope.c; doc/bundle-format.md). What a bundle carried is
 * kept as signed rows (table bundle_sent, this module's alone), from which
 * the revocation bundle is made.
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
#include "section.h"
#include "session.h"
#include "share.h"
#include "share_db.h"
#include "sql.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define BT(x) COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_##x
#define SCOPES_MAX COUNCIL__AUDIT_SCOPES_MAX
#define SENT_ROWS_MAX 4096 /* rows one revocation bundle lists at most */

typedef char code_t[COUNCIL__AUDIT_CODE_MAX + 1];

/* ----------------------------------------------------------- the options */

/* The options: version, the expiry (0: the default lifetime; else in the
 * future and at most COUNCIL_BUNDLE_TTL_MAX ahead) into *expires; for a
 * bundle of personal data (personal), the purpose (default
 * support_coordination), the basis and the consent record. EMISUSE, EINVAL. */
static int opts_ok(council *c, const char *op, const council_bundle_options *o, bool personal,
                   int64_t now, int64_t *expires, const char **purpose)
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
static int start(council *c, const char *op, council_buf *out, const uint8_t *member,
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
static int recipient(council *c, const char *op, const council__case *k,
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
static void header(council *c, Council__V1__BundleHeader *h, const uint8_t member[COUNCIL_ID_BYTES],
                   const uint8_t pk[32], int type, int64_t now, int64_t expires)
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
static int sent_insert(council *c, const char *op, const uint8_t member[16], int kind,
                       const uint8_t *case_id, const char *scope, const uint8_t *object,
                       const uint8_t hash[32], int64_t sent, int64_t expires)
{
    uint8_t m[SENT_MSG_MAX], signer[COUNCIL_ID_BYTES], sig[64];
    size_t n = sent_msg(m, member, kind, case_id, scope, object, hash, sent, expires, 0, NULL);
    sqlite3_stmt *st = NULL;
    int rc = council__attest_sign(c, "bundle_sent", m, n, signer, sig);

    if (rc != COUNCIL_OK)
        return rc;
    if (sqlite3_prepare_v2(c->db, "INSERT INTO bundle_sent (member_id, kind, case_id, scope, "
                                  "object_id, bundle_hash, sent, expires, signer, sig) VALUES "
                                  "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10);", -1, &st,
                           NULL) != SQLITE_OK ||
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
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    sqlite3_finalize(st);
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
 * is left out). *rows council__malloc'd. EIO, ENOMEM, ELIMIT. */
static int sent_rows(council *c, const char *op, const uint8_t member[16], int64_t now,
                     sent_row **rows, size_t *n)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = COUNCIL_OK, src;

    *rows = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT seq, kind, case_id, scope, object_id, bundle_hash, sent, "
                                  "expires, signer, sig FROM bundle_sent WHERE member_id = ?1 AND "
                                  "revoked IS NULL AND expires > ?2 ORDER BY seq;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, now) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        sent_row r;
        const char *scope = (const char *)sqlite3_column_text(st, 3);
        uint8_t m[SENT_MSG_MAX];
        size_t ml;
        bool ok = sqlite3_column_bytes(st, 5) == 32 &&
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
                          r.sent, r.expires, 0, NULL);
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
    sqlite3_finalize(st);
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
    if (sqlite3_prepare_v2(c->db, "UPDATE bundle_sent SET revoked = ?1, revoked_hash = ?2, "
                                  "signer = ?3, sig = ?4 WHERE seq = ?5;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, now) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, rhash, 32, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, signer, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, sig, 64, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, r->seq) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    sqlite3_finalize(st);
    return COUNCIL_OK;
}

/* ------------------------------------------------------ seal, log, out */

/* Build the bundle, log ev (and first `pre`, may be NULL) naming its hash,
 * the sent rows through `rows` (may be NULL), commit, and only then hand
 * the bytes to out. Ends the operation's transaction. */
typedef int (*after_fn)(council *c, const char *op, const uint8_t hash[32], void *ctx);

static int seal_log_out(council *c, const char *op, council_buf *out,
                        Council__V1__BundleHeader *h, Council__V1__BundlePayload *p,
                        council__event *pre, council__event *ev, after_fn after, void *ctx)
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

/* ---------------------------------------------------------------- case */

/* The records council__section_latest wrote (each as field 2) unpacked:
 * recs[i] (wiping allocator) and the bytes of each, in b. */
typedef struct case_recs {
    Council__V1__SectionRecord **recs;
    const uint8_t **at;
    size_t *len;
    size_t n;
} case_recs;

static void recs_free(case_recs *r)
{
    for (size_t i = 0; i < r->n; i++)
        council__v1__section_record__free_unpacked(r->recs[i], council__pb_wiping_allocator());
    council__free(r->recs);
    council__free(r->at);
    council__free(r->len);
    memset(r, 0, sizeof *r);
}

static bool varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    *v = 0;
    for (unsigned s = 0; s < 64 && *p < end; s += 7) {
        uint8_t b = *(*p)++;
        *v |= (uint64_t)(b & 0x7f) << s;
        if ((b & 0x80) == 0)
            return true;
    }
    return false;
}

static int recs_parse(council *c, const char *op, const council__buf *b, case_recs *r)
{
    const uint8_t *p = b->p, *end = b->p + b->len;
    size_t count = 0;

    memset(r, 0, sizeof *r);
    /* Count, then unpack. */
    for (int pass = 0; pass < 2; pass++) {
        p = b->p;
        while (p < end) {
            uint64_t tag, len;
            if (!varint(&p, end, &tag) || tag != 0x12 || !varint(&p, end, &len) ||
                len > (uint64_t)(end - p))
                return council__fail(c, COUNCIL_ERROR, "%s: sections out of order", op);
            if (pass == 0) {
                count++;
            } else {
                r->recs[r->n] = council__v1__section_record__unpack(
                    council__pb_wiping_allocator(), (size_t)len, p);
                if (r->recs[r->n] == NULL)
                    return council__fail(c, COUNCIL_ENOMEM, "%s: a section does not unpack", op);
                r->at[r->n] = p;
                r->len[r->n] = (size_t)len;
                r->n++;
            }
            p += len;
        }
        if (pass == 0 && count > 0 &&
            ((r->recs = council__calloc(count, sizeof *r->recs)) == NULL ||
             (r->at = council__calloc(count, sizeof *r->at)) == NULL ||
             (r->len = council__calloc(count, sizeof *r->len)) == NULL))
            return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    return COUNCIL_OK;
}

/* The scopes member is entitled to now and that pass the decision. */
typedef struct entitled {
    code_t code[SCOPES_MAX];
    const char *ptr[SCOPES_MAX];
    size_t n;
    bool owner;
    const char *refused; /* the decision's reason for a scope refused, if any */
    size_t n_held;       /* scopes held by an active share (before the decision) */
} entitled;

static int entitlement(council *c, const char *op, const council__case *k,
                       const uint8_t member[16], const char *purpose,
                       const council_bundle_options *o, entitled *en)
{
    char (*h)[COUNCIL__AUDIT_CODE_MAX + 1] = NULL;
    size_t n_held = 0;
    int rc;

    memset(en, 0, sizeof *en);
    if (sodium_memcmp(member, k->owner, COUNCIL_ID_BYTES) == 0) {
        en->owner = true;
        return COUNCIL_OK; /* every scope: no filter */
    }
    if ((rc = council__share_scopes_of(c, op, k->id, member, &h, &n_held)) != COUNCIL_OK)
        return rc;
    for (size_t i = 0; rc == COUNCIL_OK && i < n_held && en->n < SCOPES_MAX; i++) {
        const char *one[1] = { h[i] };
        council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
        council__decision d = { false, NULL };
        bool yes = false;
        /* Active only under a signed, unexpired, unrevoked row. */
        if ((rc = council__share_active(c, op, k->id, member, h[i], &yes)) != COUNCIL_OK || !yes)
            continue;
        en->n_held++;
        so.scopes = one;
        so.n_scopes = 1;
        so.purpose = purpose;
        so.basis = o->basis;
        so.consent_id = o->consent_id;
        so.consent_id_len = o->consent_id_len;
        /* An exception's written reason is the share's own, given when it
         * was granted: every scope carried is under an active share. */
        so.reason = strcmp(o->basis, "consent") != 0 ? "share" : NULL;
        if ((rc = council__share_decide(c, op, k, member, &so, &d)) != COUNCIL_OK)
            break;
        if (!d.allow) {
            en->refused = d.reason;
            continue;
        }
        strcpy(en->code[en->n], h[i]);
        en->ptr[en->n] = en->code[en->n];
        en->n++;
    }
    council__free(h);
    return rc;
}

struct case_after {
    const uint8_t *member, *case_id;
    const char *const *scopes;
    size_t n;
    int64_t now, expires;
};

static int case_after(council *c, const char *op, const uint8_t hash[32], void *ctx)
{
    const struct case_after *a = ctx;
    int rc = COUNCIL_OK;

    for (size_t i = 0; rc == COUNCIL_OK && i < a->n; i++)
        rc = sent_insert(c, op, a->member, COUNCIL__SENT_SHARE, a->case_id, a->scopes[i], NULL,
                         hash, a->now, a->expires);
    return rc;
}

int council_bundle_case(council *c, council_buf *out, const uint8_t *case_id,
                                    size_t case_id_len, const uint8_t *person_id,
                                    size_t person_id_len, const uint8_t *member_id,
                                    size_t member_id_len, const council_bundle_options *o)
{
    static const char op[] = "bundle_case";
    Council__V1__BundleHeader h = COUNCIL__V1__BUNDLE_HEADER__INIT;
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__CaseSectionsBundle cs = COUNCIL__V1__CASE_SECTIONS_BUNDLE__INIT;
    Council__V1__BundleSection *secs = NULL, **secp = NULL;
    council__buf b = COUNCIL__BUF_INIT;
    council__scopes_read read;
    case_recs recs = { NULL, NULL, NULL, 0 };
    uint8_t pk[32], person[COUNCIL_ID_BYTES];
    int64_t now = (int64_t)time(NULL), expires = 0;
    const char *purpose = NULL;
    council__case k;
    entitled en;
    int rc;

    if ((rc = start(c, op, out, member_id, member_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (person_id != NULL && (rc = council__id_arg(c, op, person_id, person_id_len)) != COUNCIL_OK) ||
        (rc = opts_ok(c, op, o, true, now, &expires, &purpose)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__case_load(c, op, case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (k.erased != 0)
        return council__case_refuse(c, true, ACT(BUNDLE_EXPORTED), &k, NULL, purpose, member_id,
                                    COUNCIL_EDENIED, "case_erased", op, "the case was erased");
    if (person_id != NULL) {
        if ((rc = council__case_person_of(c, op, case_id, person_id)) != COUNCIL_OK)
            return council__finish(c, rc);
        memcpy(person, person_id, sizeof person);
    } else {
        council__case_person *all = NULL;
        size_t n_all = 0;
        bool got = false;
        if ((rc = council__case_persons(c, op, case_id, &all, &n_all)) != COUNCIL_OK)
            return council__finish(c, rc);
        for (size_t i = 0; i < n_all && !got; i++)
            if (all[i].role == COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_SUPPORTED) {
                memcpy(person, all[i].id, sizeof person);
                got = true;
            }
        council__free(all);
        if (!got)
            return council__finish(c, council__fail(c, COUNCIL_ENOTFOUND, "%s: the case has no "
                                                    "person supported", op));
    }
    if ((rc = recipient(c, op, &k, member_id, pk)) != COUNCIL_OK)
        return rc;
    if ((rc = entitlement(c, op, &k, member_id, purpose, o, &en)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (!en.owner && en.n == 0) {
        council__event ev = {
            .action = ACT(BUNDLE_EXPORTED),
            .case_ref = k.ref,
            .purpose = purpose,
            .basis = o->basis,
            .consent_id = o->consent_id,
            .subject_member = member_id,
            .reason = en.refused != NULL ? en.refused : "nothing_shared",
        };
        if (en.refused != NULL)
            return council__refuse_event(c, true, &ev, COUNCIL_ENOCONSENT, op,
                                         "refused by the disclosure policy");
        return council__refuse_event(c, true, &ev, COUNCIL_EDENIED, op,
                                     "no scope of the case is shared with the member");
    }
    rc = council__section_latest(c, op, &k, en.owner ? NULL : en.ptr, en.owner ? 0 : en.n, &b,
                                 &read);
    if (rc == COUNCIL_OK)
        rc = recs_parse(c, op, &b, &recs);
    if (rc == COUNCIL_OK && recs.n > 0 &&
        ((secs = council__calloc(recs.n, sizeof *secs)) == NULL ||
         (secp = council__calloc(recs.n, sizeof *secp)) == NULL))
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    if (rc == COUNCIL_OK && en.owner) {
        /* The owner's: every scope read (those the session could read). */
        for (size_t i = 0; i < read.n; i++) {
            strcpy(en.code[i], read.code[i]);
            en.ptr[i] = en.code[i];
        }
        en.n = read.n;
    }
    if (rc == COUNCIL_OK) {
        size_t ns = 0;
        for (size_t i = 0; i < recs.n; i++) {
            const Council__V1__SectionRecord *r = recs.recs[i];
            Council__V1__BundleSection init = COUNCIL__V1__BUNDLE_SECTION__INIT;
            if (person_id != NULL &&
                (r->person_id.len != 16 || memcmp(r->person_id.data, person_id, 16) != 0))
                continue;
            secs[ns] = init;
            secs[ns].scope = r->scope;
            secs[ns].content.data = (uint8_t *)(uintptr_t)recs.at[i];
            secs[ns].content.len = recs.len[i];
            secs[ns].has_version = 1;
            secs[ns].version = r->version;
            secs[ns].has_written = 1;
            secs[ns].written = r->written;
            secp[ns] = &secs[ns];
            ns++;
        }
        cs.case_id.data = k.id;
        cs.case_id.len = COUNCIL_ID_BYTES;
        cs.person_id.data = person;
        cs.person_id.len = COUNCIL_ID_BYTES;
        cs.purpose = (char *)(uintptr_t)purpose;
        cs.basis = (char *)(uintptr_t)o->basis;
        if (o->consent_id != NULL) {
            cs.has_consent_id = 1;
            cs.consent_id.data = (uint8_t *)(uintptr_t)o->consent_id;
            cs.consent_id.len = COUNCIL_ID_BYTES;
        }
        cs.sections = secp;
        cs.n_sections = ns;
        p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CASE_SECTIONS;
        p.case_sections = &cs;
        header(c, &h, member_id, pk, BT(CASE_SECTIONS), now, expires);
    }
    if (rc != COUNCIL_OK) {
        rc = council__finish(c, rc);
    } else {
        council__event made = {
            .action = ACT(DISCLOSURE_MADE),
            .case_ref = k.ref,
            .scopes = en.ptr,
            .n_scopes = en.n,
            .purpose = purpose,
            .basis = o->basis,
            .consent_id = o->consent_id,
            .subject_member = member_id,
            .outcome = ALLOWED,
            .reason = "bundle_exported",
        };
        council__event ev = {
            .action = ACT(BUNDLE_EXPORTED),
            .case_ref = k.ref,
            .scopes = en.ptr,
            .n_scopes = en.n,
            .purpose = purpose,
            .basis = o->basis,
            .consent_id = o->consent_id,
            .subject_member = member_id,
        };
        struct case_after a = { member_id, k.id, en.ptr, en.n, now, expires };
        rc = seal_log_out(c, op, out, &h, &p, en.owner ? NULL : &made, &ev, case_after, &a);
    }
    council__free(secs);
    council__free(secp);
    recs_free(&recs);
    council__buf_free(&b);
    return rc;
}

/* ---------------------------------------------------------- checkpoint */

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

    if ((rc = start(c, op, out, member_id, member_id_len)) != COUNCIL_OK ||
        (rc = opts_ok(c, op, o, false, now, &expires, NULL)) != COUNCIL_OK)
        return rc;
    /* The recipient first (its refusals logged), then the checkpoint in
     * its own transaction, then the bundle in the operation's. */
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = recipient(c, op, NULL, member_id, pk)) != COUNCIL_OK ||
        (rc = council__finish(c, COUNCIL_OK)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_checkpoint_in_batch(c, &note, &size)) != COUNCIL_OK)
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
        header(c, &h, member_id, pk, BT(CHECKPOINT), now, expires);
        {
            council__event ev = { .action = ACT(BUNDLE_EXPORTED), .subject_member = member_id };
            rc = seal_log_out(c, op, out, &h, &p, NULL, &ev, NULL, NULL);
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

    if ((rc = start(c, op, out, member_id, member_id_len)) != COUNCIL_OK ||
        (rc = opts_ok(c, op, o, false, now, &expires, NULL)) != COUNCIL_OK)
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
        header(c, &h, member_id, pk, BT(REVOCATION), now, expires);
        rc = seal_log_out(c, op, out, &h, &p, NULL, &ev, rev_after, &a);
    }
    council__free(rows);
    council__free(gone);
    council__free(erased);
    council__free(items);
    council__free(itemp);
    council__free(scopes);
    return rc;
}

/* -------------------------------------------------------- meeting packet */

struct mtg_after {
    const uint8_t *member, *meeting;
    int64_t now, expires;
};

static int mtg_after(council *c, const char *op, const uint8_t hash[32], void *ctx)
{
    const struct mtg_after *a = ctx;

    return sent_insert(c, op, a->member, COUNCIL__SENT_MEETING, NULL, NULL, a->meeting, hash,
                       a->now, a->expires);
}

int council_bundle_meeting_packet(council *c, council_buf *out, const uint8_t *meeting_id,
                                  size_t meeting_id_len, const uint8_t *attendee_id,
                                  size_t attendee_id_len, const council_bundle_options *o)
{
    static const char op[] = "bundle_meeting_packet";
    Council__V1__BundleHeader h = COUNCIL__V1__BUNDLE_HEADER__INIT;
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__MeetingPacket *mp = NULL;
    int64_t now = (int64_t)time(NULL), expires = 0;
    uint8_t pk[32], *plain = NULL;
    size_t len = 0;
    council__mtg m;
    int rc;

    if ((rc = start(c, op, out, attendee_id, attendee_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, meeting_id, meeting_id_len)) != COUNCIL_OK ||
        (rc = opts_ok(c, op, o, false, now, &expires, NULL)) != COUNCIL_OK)
        return rc;
    /* Built once, as council_meeting_packet() builds it (its reads logged),
     * to an attendee of an open meeting with a key the council signed. */
    if ((rc = council__meeting_packet_plain(c, op, meeting_id, meeting_id_len, attendee_id,
                                            attendee_id_len, &plain, &len, pk)) != COUNCIL_OK)
        return rc;
    mp = council__v1__meeting_packet__unpack(council__pb_wiping_allocator(), len, plain);
    sodium_memzero(plain, len);
    council__free(plain);
    if (mp == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    /* What a meeting disclosed ends with it: so does the bundle. */
    if ((rc = council__meeting_load(c, op, meeting_id, &m)) == COUNCIL_OK && m.ends < expires)
        expires = m.ends;
    if (rc == COUNCIL_OK)
        rc = council__audit_batch_begin(c);
    if (rc == COUNCIL_OK) {
        council__event ev = { .action = ACT(BUNDLE_EXPORTED), .subject_member = attendee_id,
                              .object_id = meeting_id };
        struct mtg_after a = { attendee_id, meeting_id, now, expires };
        p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_MEETING_PACKET;
        p.meeting_packet = mp;
        header(c, &h, attendee_id, pk, BT(MEETING_PACKET), now, expires);
        rc = seal_log_out(c, op, out, &h, &p, NULL, &ev, mtg_after, &a);
    }
    council__v1__meeting_packet__free_unpacked(mp, council__pb_wiping_allocator());
    return rc;
}
