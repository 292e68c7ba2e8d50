/*
 * case.c - cases, persons, sections, shares, scopes, the blind index and
 * erasure.
 *
 * Who may do what (checked against the store, enforced by keys):
 *  - the secretariat (root session) acts as the coordinating body: it
 *    holds a wrapped copy of every data key;
 *  - the owning member's staff: every scope of the cases it owns;
 *  - staff of a member a scope was shared with: that scope, while the
 *    share is active (not revoked, not expired).
 * A refusal is logged, then returned. Reads are logged durably before any
 * content leaves the library (log first, then read).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/consent.pb-c.h"
#include "council_int.h"
#include "audit.h"
#include "batch.h"
#include "crypto.h"
#include "session.h"
#include "sql.h"
#include "text.h"
#include "policy.h"
#include "blind.h"
#include "case.h"
#include "casekey.h"
#include "consent.h"
#include "member.h"
#include "scope.h"
#include "section.h"
#include "attest.h"
#include "keydir.h"

#define SHARE_SCOPES_MAX 32
#define PAD_BLOCK 256  /* section plaintext is padded: sizes leak in steps of this */

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define REFUSED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED

size_t council_section_max(void)
{
    return COUNCIL_SECTION_MAX;
}

size_t council_case_persons_max(void)
{
    return COUNCIL_CASE_PERSONS_MAX;
}

/* ------------------------------------------------------------- plumbing */

static int start(council *c, const char *op)
{
    return council__actor_ok(c, op);
}

static int id_arg(council *c, const char *op, const uint8_t *id, size_t len)
{
    if (id == NULL || len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    return COUNCIL_OK;
}

/* A growable output buffer, wiped when dropped. */
typedef struct obuf {
    uint8_t *p;
    size_t len, cap;
    bool failed;
} obuf;

static void ob_free(obuf *b)
{
    if (b->p != NULL) {
        sodium_memzero(b->p, b->cap);
        council__free(b->p);
    }
    memset(b, 0, sizeof *b);
}

static uint8_t *ob_grow(obuf *b, size_t n)
{
    if (b->failed)
        return NULL;
    if (n > SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return NULL;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *np = council__malloc(cap);
        if (np == NULL) {
            b->failed = true;
            return NULL;
        }
        if (b->p != NULL) {
            memcpy(np, b->p, b->len);
            sodium_memzero(b->p, b->cap);
            council__free(b->p);
        }
        b->p = np;
        b->cap = cap;
    }
    b->len += n;
    return b->p + b->len - n;
}

static void ob_put(obuf *b, const void *src, size_t n)
{
    uint8_t *d = ob_grow(b, n);
    if (d != NULL && n > 0)
        memcpy(d, src, n);
}

static void ob_varint(obuf *b, uint64_t v)
{
    uint8_t tmp[10];
    size_t n = 0;

    do {
        tmp[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v != 0);
    ob_put(b, tmp, n);
}

/* A length-delimited field: tag, length, bytes. */
static void ob_field(obuf *b, uint32_t field, const uint8_t *p, size_t n)
{
    ob_varint(b, (uint64_t)field << 3 | 2);
    ob_varint(b, n);
    ob_put(b, p, n);
}

static void ob_message(obuf *b, const ProtobufCMessage *m)
{
    size_t n = protobuf_c_message_get_packed_size(m);
    uint8_t *d = ob_grow(b, n);
    if (d != NULL)
        protobuf_c_message_pack(m, d);
}

static int ob_out(council *c, const char *op, obuf *b, council_buf *out)
{
    if (b->failed) {
        ob_free(b);
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    out->ptr = b->p;
    out->len = b->len;
    if (out->ptr == NULL) { /* empty message */
        out->ptr = council__malloc(1);
        if (out->ptr == NULL)
            return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    memset(b, 0, sizeof *b);
    return COUNCIL_OK;
}

/* Room for element n of an array of `size`-byte elements (doubling). */
static bool grow(void **arr, size_t *cap, size_t n, size_t size)
{
    size_t ncap;
    void *na;

    if (n < *cap)
        return true;
    ncap = *cap ? *cap * 2 : 8;
    if (ncap > SIZE_MAX / size || (na = council__calloc(ncap, size)) == NULL)
        return false;
    if (n > 0)
        memcpy(na, *arr, n * size);
    council__free(*arr);
    *arr = na;
    *cap = ncap;
    return true;
}

/* ------------------------------------------------------------------ cases */

typedef struct kase {
    uint8_t id[COUNCIL_ID_BYTES];
    uint8_t ref[32];
    int status;
    int body;
    uint8_t owner[COUNCIL_ID_BYTES];
    int64_t created, updated, erased;
} kase;

static int load_case(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES], kase *k)
{
    sqlite3_stmt *st = NULL;
    int rc, src;

    memset(k, 0, sizeof *k);
    if (sqlite3_prepare_v2(c->db, "SELECT status, body, owner, created, updated, erased, "
                                  "owner_proof FROM case_record WHERE id = ?1;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW && sqlite3_column_bytes(st, 2) == COUNCIL_ID_BYTES) {
        memcpy(k->id, id, COUNCIL_ID_BYTES);
        k->status = sqlite3_column_int(st, 0);
        k->body = sqlite3_column_int(st, 1);
        memcpy(k->owner, sqlite3_column_blob(st, 2), COUNCIL_ID_BYTES);
        k->created = sqlite3_column_int64(st, 3);
        k->updated = sqlite3_column_int64(st, 4);
        k->erased = sqlite3_column_int64(st, 5);
        /* The owner decides who may act on the case and who gets its first
         * keys: only the one its id (or the council) vouches for. */
        rc = council__case_owner_ok(c, id, k->owner, sqlite3_column_blob(st, 6),
                                    (size_t)sqlite3_column_bytes(st, 6))
                 ? COUNCIL_OK
                 : COUNCIL_ETAMPER;
    } else if (src == SQLITE_DONE) {
        rc = council__fail(c, COUNCIL_ENOTFOUND, "%s: no such case", op);
    } else {
        rc = council__db_err(c, op);
    }
    sqlite3_finalize(st);
    if (rc == COUNCIL_ETAMPER) {
        (void)council__tamper(c, id, NULL, NULL, "forged_case_owner");
        return council__fail(c, rc, "%s: the case's owner is not the one it was created for (the "
                             "case row was changed outside the library)", op);
    }
    if (rc == COUNCIL_OK)
        rc = council__case_ref(c, k->ref, id);
    return rc;
}

static bool is_owner(const council *c, const kase *k)
{
    return !council__is_root(c) && sodium_memcmp(c->actor_member, k->owner, COUNCIL_ID_BYTES) == 0;
}

/* The owner of a case, as its id (or the council's signature) proves it. */
int council__case_owner(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        uint8_t owner[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src;

    if (sqlite3_prepare_v2(c->db, "SELECT owner, owner_proof FROM case_record WHERE id = ?1;", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__fail(c, COUNCIL_EIO, "%s: database error", op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW && sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES) {
        memcpy(owner, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        if (!council__case_owner_ok(c, case_id, owner, sqlite3_column_blob(st, 1),
                                    (size_t)sqlite3_column_bytes(st, 1)))
            rc = COUNCIL_ETAMPER;
    } else {
        rc = src == SQLITE_DONE ? COUNCIL_ENOTFOUND : COUNCIL_EIO;
    }
    sqlite3_finalize(st);
    if (rc == COUNCIL_ETAMPER) {
        (void)council__tamper(c, case_id, NULL, NULL, "forged_case_owner");
        return council__fail(c, rc, "%s: the case's owner is not the one it was created for (the "
                             "case row was changed outside the library)", op);
    }
    if (rc != COUNCIL_OK)
        return council__fail(c, rc, "%s: %s", op, rc == COUNCIL_ENOTFOUND ? "no such case"
                                                                        : "database error");
    return COUNCIL_OK;
}

/* Cases from before owner proofs: the council signs each owner as found,
 * once (the secretariat's first session, c->upgrading). */
int council__case_owners_upgrade(council *c)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    if (sqlite3_prepare_v2(c->db, "SELECT id, owner FROM case_record WHERE owner_proof IS NULL;",
                           -1, &st, NULL) != SQLITE_OK)
        return council__db_err(c, "open");
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t sig[64];
        sqlite3_stmt *up = NULL;
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES ||
            sqlite3_column_bytes(st, 1) != COUNCIL_ID_BYTES)
            continue;
        rc = council__case_owner_sign(c, sig, sqlite3_column_blob(st, 0), sqlite3_column_blob(st, 1));
        if (rc == COUNCIL_OK &&
            (sqlite3_prepare_v2(c->db, "UPDATE case_record SET owner_proof = ?2 WHERE id = ?1;", -1,
                                &up, NULL) != SQLITE_OK ||
             sqlite3_bind_blob(up, 1, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES,
                               SQLITE_TRANSIENT) != SQLITE_OK ||
             sqlite3_bind_blob(up, 2, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
             sqlite3_step(up) != SQLITE_DONE))
            rc = council__fail(c, COUNCIL_EIO, "open: cannot sign a case's owner");
        sqlite3_finalize(up);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, "open");
    sqlite3_finalize(st);
    return rc;
}

/* ------------------------------------------------------ signed shares */

/* A share as its grantor signs it (kind "share"; the secretariat's log key
 * or the owning member's signing key):
 *     case || member || u8(len) || scope || u8(len) || purpose || u8(len) || basis
 *     || consent id (zeros if none) || u64be(granted) || u64be(expires, 0 if none)
 *     || meeting id (zeros if none)
 * An end needs no signature (it only takes access away): ending a share
 * removes the grant's signature, so taking the end off again leaves a row
 * that grants nothing. Columns as selected in council__share_active. */
#define SMSG_MAX (16 * 4 + 3 + 3 * COUNCIL__AUDIT_CODE_MAX + 16)

static bool share_msg(sqlite3_stmt *st, uint8_t *m, size_t *len)
{
    static const uint8_t zero[16];
    const char *t[3];
    uint8_t *p = m;

    if (sqlite3_column_bytes(st, 0) != 16 || sqlite3_column_bytes(st, 1) != 16)
        return false;
    /* The dates as integers only: SQL orders a BLOB or TEXT of the same
     * digits above every integer ("expires > now" would hold for ever),
     * while the message below reads the digits back (review 2). */
    if (sqlite3_column_type(st, 6) != SQLITE_INTEGER ||
        (sqlite3_column_type(st, 7) != SQLITE_INTEGER && sqlite3_column_type(st, 7) != SQLITE_NULL))
        return false;
    for (int i = 0; i < 3; i++) {
        t[i] = (const char *)sqlite3_column_text(st, 2 + i);
        if (t[i] == NULL || strlen(t[i]) > COUNCIL__AUDIT_CODE_MAX)
            return false;
    }
    p = council__put_bytes(p, sqlite3_column_blob(st, 0), 16);
    p = council__put_bytes(p, sqlite3_column_blob(st, 1), 16);
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(t[i]);
        *p++ = (uint8_t)n;
        p = council__put_bytes(p, t[i], n);
    }
    p = council__put_bytes(p, sqlite3_column_bytes(st, 5) == 16 ? sqlite3_column_blob(st, 5)
                                                                : (const void *)zero, 16);
    p = council__put_u64(p, (uint64_t)sqlite3_column_int64(st, 6));
    p = council__put_u64(p, (uint64_t)sqlite3_column_int64(st, 7));
    p = council__put_bytes(p, sqlite3_column_bytes(st, 8) == 16 ? sqlite3_column_blob(st, 8)
                                                                : (const void *)zero, 16);
    *len = (size_t)(p - m);
    return true;
}

static int share_row_ok(council *c, const char *op, sqlite3_stmt *st, bool *ok)
{
    uint8_t m[SMSG_MAX], owner[COUNCIL_ID_BYTES];
    const uint8_t *signer = sqlite3_column_blob(st, 9);
    size_t len = 0;
    int rc;

    *ok = false;
    if (!share_msg(st, m, &len) || sqlite3_column_bytes(st, 9) != 16 ||
        council__attest_check(c, "share", m, len, signer, 16, sqlite3_column_blob(st, 10),
                              (size_t)sqlite3_column_bytes(st, 10)) != COUNCIL_OK) {
        council__clear(c);
        return COUNCIL_OK;
    }
    if (sodium_is_zero(signer, 16)) {
        *ok = true;
        return COUNCIL_OK;
    }
    rc = council__case_owner(c, op, sqlite3_column_blob(st, 0), owner);
    if (rc == COUNCIL_OK)
        *ok = sodium_memcmp(owner, signer, 16) == 0;
    return rc;
}

/* Sign the share row `seq` just written, as this session. */
static int share_sign(council *c, const char *op, sqlite3_int64 seq)
{
    uint8_t m[SMSG_MAX], signer[COUNCIL_ID_BYTES], sig[64];
    sqlite3_stmt *st = NULL;
    size_t len = 0;
    bool have = false;
    int rc = COUNCIL_OK;

    if (sqlite3_prepare_v2(c->db, "SELECT case_id, member_id, scope, purpose, basis, consent_id, "
                                  "granted, expires, meeting_id FROM case_share WHERE seq = ?1;",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, seq) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        have = share_msg(st, m, &len);
    sqlite3_finalize(st);
    st = NULL;
    if (!have)
        return council__db_err(c, op);
    if ((rc = council__attest_sign(c, "share", m, len, signer, sig)) != COUNCIL_OK)
        return rc;
    if (sqlite3_prepare_v2(c->db, "UPDATE case_share SET signer = ?2, sig = ?3 WHERE seq = ?1;", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, seq) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, signer, sizeof signer, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    return rc;
}

int council__shares_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    if (sqlite3_prepare_v2(c->db, "SELECT case_id, member_id, scope, purpose, basis, consent_id, "
                                  "granted, expires, meeting_id, signer, sig, seq FROM case_share "
                                  "WHERE revoked IS NULL AND signer = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, "keys");
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        bool ok = false;
        if ((rc = share_row_ok(c, "keys", st, &ok)) == COUNCIL_OK && ok)
            rc = share_sign(c, "keys", sqlite3_column_int64(st, 11));
        else if (rc == COUNCIL_ETAMPER)
            rc = COUNCIL_OK; /* not the member's: stays what it is */
        council__clear(c);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, "keys");
    sqlite3_finalize(st);
    return rc;
}

int council__share_upgrade(council *c)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    if (sqlite3_prepare_v2(c->db, "SELECT seq FROM case_share WHERE revoked IS NULL AND sig IS NULL;",
                           -1, &st, NULL) != SQLITE_OK)
        return council__db_err(c, "open");
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
        rc = share_sign(c, "open", sqlite3_column_int64(st, 0));
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, "open");
    sqlite3_finalize(st);
    return rc;
}

int council__share_active(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const uint8_t member[COUNCIL_ID_BYTES], const char *scope, bool *yes)
{
    static const char sql[] = "SELECT case_id, member_id, scope, purpose, basis, consent_id, granted, "
                              "expires, meeting_id, signer, sig FROM case_share WHERE case_id = ?1 "
                              "AND member_id = ?2 AND (?3 IS NULL OR scope = ?3) AND revoked IS NULL "
                              "AND (expires IS NULL OR expires > ?4);";
    sqlite3_stmt *st = NULL;
    bool forged = false;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    *yes = false;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        (scope != NULL ? sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC)
                       : sqlite3_bind_null(st, 3)) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL)) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    /* Active only as the owner or the secretariat granted it: a share row
     * someone holding the database key wrote (or took the end off) counts
     * for nothing, and is logged. */
    while (rc == COUNCIL_OK && !*yes && (src = sqlite3_step(st)) == SQLITE_ROW) {
        bool ok = false;
        rc = share_row_ok(c, op, st, &ok);
        if (ok)
            *yes = true;
        else
            forged = true;
    }
    if (rc == COUNCIL_OK && !*yes && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc == COUNCIL_OK && forged && !*yes)
        rc = council__tamper(c, case_id, scope, member, "forged_share");
    return rc;
}

/* May this session read or write `scope` (NULL: anything) of case k? */
static int may_use(council *c, const char *op, const kase *k, const char *scope, bool *yes)
{
    *yes = true;
    if (council__is_root(c) || is_owner(c, k))
        return COUNCIL_OK;
    return council__share_active(c, op, k->id, c->actor_member, scope, yes);
}

/* Log a refusal (outside the operation's rolled-back transaction), then
 * return rc with msg. */
static int refuse(council *c, bool in_txn, int action, const kase *k, const char *scope,
                  const char *purpose, const uint8_t *subject, int rc, const char *reason,
                  const char *op, const char *msg)
{
    const char *scopes[1] = { scope };
    council__event ev = {
        .action = action,
        .case_ref = k != NULL ? k->ref : NULL,
        .scopes = scopes,
        .n_scopes = scope != NULL ? 1 : 0,
        .purpose = purpose,
        .subject_member = subject,
        .outcome = REFUSED,
        .error = rc,
        .reason = reason,
    };
    int arc;

    if (in_txn)
        council__audit_batch_rollback(c);
    council__event_actor(c, &ev);
    arc = council__audit_append(c, &ev);
    if (arc == COUNCIL_OK && c->user_batch)
        council__hold_event(c, &ev);
    if (arc != COUNCIL_OK)
        return arc; /* not even the refusal could be logged */
    return council__fail(c, rc, "%s: %s", op, msg);
}

/* The person's role in the case (ENOTFOUND if not of this case). */
static int person_of(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                     const uint8_t person[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    int src;

    if (sqlite3_prepare_v2(c->db, "SELECT role FROM person WHERE id = ?1 AND case_id = ?2;", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    src = sqlite3_step(st);
    sqlite3_finalize(st);
    if (src == SQLITE_ROW)
        return COUNCIL_OK;
    return src == SQLITE_DONE ? council__fail(c, COUNCIL_ENOTFOUND, "%s: no such person in "
                                              "this case", op)
                              : council__db_err(c, op);
}

static int touch_case(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (sqlite3_prepare_v2(c->db, "UPDATE case_record SET updated = ?2 WHERE id = ?1;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    return rc;
}

static int log_ok(council *c, int action, const kase *k, const char *const *scopes, size_t n,
                  const char *purpose, const uint8_t *subject, const char *reason)
{
    council__event ev = {
        .action = action,
        .case_ref = k != NULL ? k->ref : NULL,
        .scopes = scopes,
        .n_scopes = n,
        .purpose = purpose,
        .subject_member = subject,
        .outcome = ALLOWED,
        .reason = reason,
    };

    council__event_actor(c, &ev);
    return council__audit_append(c, &ev);
}

/* Begin a change only the secretariat or the owner's staff may make: the
 * transaction, then the case (not erased) and the session, each refusal
 * logged. On COUNCIL_OK the transaction is open. */
static int begin_owner_change(council *c, const char *op, int action,
                              const uint8_t case_id[COUNCIL_ID_BYTES], kase *k)
{
    int rc = council__audit_batch_begin(c);

    if (rc != COUNCIL_OK)
        return rc;
    if ((rc = load_case(c, op, case_id, k)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (k->erased != 0)
        return refuse(c, true, action, k, NULL, NULL, NULL, COUNCIL_EDENIED, "case_erased", op,
                      "the case was erased");
    if (!council__is_root(c) && !is_owner(c, k))
        return refuse(c, true, action, k, NULL, NULL, NULL, COUNCIL_EDENIED, "not_owner", op,
                      "only the secretariat or the owning member may do this");
    return COUNCIL_OK;
}

int council__case_lookup(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                         uint8_t owner[COUNCIL_ID_BYTES], uint8_t ref[32], bool *erased)
{
    kase k;
    int rc = load_case(c, op, id, &k);

    if (rc == COUNCIL_OK) {
        memcpy(owner, k.owner, COUNCIL_ID_BYTES);
        memcpy(ref, k.ref, 32);
        *erased = k.erased != 0;
    }
    return rc;
}

/* ------------------------------------------------------------------ create */

int council_case_create(council *c, uint8_t *case_id, size_t case_id_len, uint8_t *person_id,
                        size_t person_id_len, const council_case_options *o)
{
    static const char op[] = "case_create";
    uint8_t id[COUNCIL_ID_BYTES], pid[COUNCIL_ID_BYTES], owner[COUNCIL_ID_BYTES];
    uint8_t nonce[COUNCIL_ID_BYTES];
    sqlite3_stmt *st = NULL;
    int32_t body;
    int64_t now = (int64_t)time(NULL);
    kase k;
    int rc;

    if ((rc = start(c, op)) != COUNCIL_OK)
        return rc;
    if ((rc = id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = id_arg(c, op, person_id, person_id_len)) != COUNCIL_OK)
        return rc;
    if (o == NULL || o->version != COUNCIL_CASE_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    body = o->body == 0 ? COUNCIL__V1__CASE_BODY__CASE_BODY_COUNCIL : o->body;
    if (body < COUNCIL__V1__CASE_BODY__CASE_BODY_COUNCIL ||
        body > COUNCIL__V1__CASE_BODY__CASE_BODY_NEEDS_OF_POOR_MEETING)
        return council__fail(c, COUNCIL_EINVAL, "%s: unknown body %d", op, (int)body);
    if (council__is_root(c)) {
        if ((rc = id_arg(c, op, o->owner, o->owner_len)) != COUNCIL_OK)
            return council__fail(c, rc, "%s: the secretariat names the owning member", op);
        memcpy(owner, o->owner, COUNCIL_ID_BYTES);
    } else {
        if (o->owner != NULL && (o->owner_len != COUNCIL_ID_BYTES ||
                                 memcmp(o->owner, c->actor_member, COUNCIL_ID_BYTES) != 0))
            return refuse(c, false, ACT(CASE_CREATED), NULL, NULL, NULL, NULL, COUNCIL_EDENIED,
                          "owner_other_member", op, "staff create cases of their own member");
        memcpy(owner, c->actor_member, COUNCIL_ID_BYTES);
    }
    /* The id commits to the owner (casekey.c): no row edit moves the case. */
    randombytes_buf(nonce, sizeof nonce);
    council__case_id_derive(c, id, owner, nonce);
    council__uuid_random(pid);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__member_usable(c, op, owner)) == COUNCIL_EDENIED)
        return refuse(c, true, ACT(CASE_CREATED), NULL, NULL, NULL, owner, rc, "owner_withdrawn",
                      op, "the owning member has withdrawn");
    if (rc != COUNCIL_OK)
        return council__finish(c, rc);
    {
        bool keyed = false;
        if (sqlite3_prepare_v2(c->db, "SELECT box_pk IS NOT NULL FROM member WHERE id = ?1;", -1,
                               &st, NULL) == SQLITE_OK &&
            sqlite3_bind_blob(st, 1, owner, COUNCIL_ID_BYTES, SQLITE_STATIC) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            keyed = sqlite3_column_int(st, 0) != 0;
        sqlite3_finalize(st);
        st = NULL;
        if (!keyed)
            return refuse(c, true, ACT(CASE_CREATED), NULL, NULL, NULL, owner, COUNCIL_EDENIED,
                          "owner_without_keys", op, "the owning member has no keys registered");
    }
    if (sqlite3_prepare_v2(c->db, "INSERT INTO case_record (id, status, body, owner, created, "
                                  "updated, seq, owner_proof) VALUES (?1, ?2, ?3, ?4, ?5, ?5, "
                                  "(SELECT coalesce(max(seq), 0) + 1 FROM case_record), ?6);", -1,
                           &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 6, nonce, sizeof nonce, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, COUNCIL__V1__CASE_STATUS__CASE_STATUS_OPEN) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, body) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, owner, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, now) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    st = NULL;
    if (rc == COUNCIL_OK &&
        (sqlite3_prepare_v2(c->db, "INSERT INTO person (id, case_id, role, added, seq) VALUES "
                                   "(?1, ?2, ?3, ?4, (SELECT coalesce(max(seq), 0) + 1 FROM "
                                   "person));", -1, &st, NULL) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, pid, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_int(st, 3, COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_SUPPORTED) != SQLITE_OK ||
         sqlite3_bind_int64(st, 4, now) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE))
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc == COUNCIL_OK && (rc = council__case_ref(c, k.ref, id)) == COUNCIL_OK)
        rc = log_ok(c, ACT(CASE_CREATED), &k, NULL, 0, NULL, owner, NULL);
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK) {
        memcpy(case_id, id, COUNCIL_ID_BYTES);
        memcpy(person_id, pid, COUNCIL_ID_BYTES);
    }
    return rc;
}

int council_case_add_person(council *c, uint8_t *person_id, size_t person_id_len,
                            const uint8_t *case_id, size_t case_id_len, int32_t role)
{
    static const char op[] = "case_add_person";
    uint8_t pid[COUNCIL_ID_BYTES];
    sqlite3_stmt *st = NULL;
    int64_t n = 0;
    kase k;
    int rc;

    if ((rc = start(c, op)) != COUNCIL_OK)
        return rc;
    if ((rc = id_arg(c, op, person_id, person_id_len)) != COUNCIL_OK ||
        (rc = id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK)
        return rc;
    if (role != COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_FAMILY &&
        role != COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_CLOSE_THIRD_PARTY)
        return council__fail(c, COUNCIL_EINVAL, "%s: a related person is family or a close "
                             "third party", op);
    council__uuid_random(pid);
    if ((rc = begin_owner_change(c, op, ACT(PERSON_ADDED), case_id, &k)) != COUNCIL_OK)
        return rc;
    n = -1;
    if (sqlite3_prepare_v2(c->db, "SELECT count(*) FROM person WHERE case_id = ?1;", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (n < 0)
        return council__finish(c, council__db_err(c, op));
    if (n >= COUNCIL_CASE_PERSONS_MAX)
        return council__finish(c, council__fail(c, COUNCIL_ELIMIT, "%s: at most %d persons", op,
                                                COUNCIL_CASE_PERSONS_MAX));
    if (sqlite3_prepare_v2(c->db, "INSERT INTO person (id, case_id, role, added, seq) VALUES "
                                  "(?1, ?2, ?3, ?4, (SELECT coalesce(max(seq), 0) + 1 FROM "
                                  "person));", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, pid, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, role) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc == COUNCIL_OK)
        rc = touch_case(c, op, case_id);
    if (rc == COUNCIL_OK)
        rc = log_ok(c, ACT(PERSON_ADDED), &k, NULL, 0, NULL, NULL, NULL);
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK)
        memcpy(person_id, pid, COUNCIL_ID_BYTES);
    return rc;
}

int council_case_set_status(council *c, const uint8_t *case_id, size_t case_id_len, int32_t status)
{
    static const char op[] = "case_set_status";
    sqlite3_stmt *st = NULL;
    kase k;
    int rc;

    if ((rc = start(c, op)) != COUNCIL_OK || (rc = id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK)
        return rc;
    if (status < COUNCIL__V1__CASE_STATUS__CASE_STATUS_OPEN ||
        status > COUNCIL__V1__CASE_STATUS__CASE_STATUS_CLOSED)
        return council__fail(c, COUNCIL_EINVAL, "%s: status is open, monitoring or closed "
                             "(erasure is council_case_erase)", op);
    if ((rc = begin_owner_change(c, op, ACT(CASE_UPDATED), case_id, &k)) != COUNCIL_OK)
        return rc;
    if (sqlite3_prepare_v2(c->db, "UPDATE case_record SET status = ?2, updated = ?3 WHERE id = ?1;",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, status) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc == COUNCIL_OK)
        rc = log_ok(c, ACT(CASE_UPDATED), &k, NULL, 0, NULL, NULL, "status_changed");
    return council__finish(c, rc);
}

/* ---------------------------------------------------------------- sections */

static size_t section_ad(uint8_t *ad, const council *c, const uint8_t case_id[COUNCIL_ID_BYTES],
                         const uint8_t person[COUNCIL_ID_BYTES], const char *scope, uint32_t kv,
                         uint32_t rv)
{
    static const char label[] = "council/section";
    size_t n = strlen(scope);
    uint8_t *p = ad;

    p = council__put_bytes(p, label, sizeof label);
    p = council__put_bytes(p, c->council_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, case_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, person, COUNCIL_ID_BYTES);
    p = council__put_u32(p, (uint32_t)n);
    p = council__put_bytes(p, scope, n);
    p = council__put_u32(p, kv);
    p = council__put_u32(p, rv);
    return (size_t)(p - ad);
}

#define AD_MAX (16 + 16 * 3 + 4 + 64 + 8)

/* Encrypt padded plaintext: *ct (allocated) of *ct_len bytes. */
static int seal_section(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const uint8_t person[COUNCIL_ID_BYTES], const char *scope, uint32_t kv,
                        uint32_t rv, const council__secret *key, const uint8_t *pt, size_t len,
                        uint8_t nonce[COUNCIL__NONCE_BYTES], uint8_t **ct, size_t *ct_len)
{
    uint8_t ad[AD_MAX], *buf;
    size_t adl = section_ad(ad, c, case_id, person, scope, kv, rv), padded = 0;
    size_t cap = len + PAD_BLOCK;
    int rc;

    *ct = NULL;
    buf = council__malloc(cap);
    if (buf == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    memcpy(buf, pt, len);
    if (sodium_pad(&padded, buf, len, PAD_BLOCK, cap) != 0) {
        sodium_memzero(buf, cap);
        council__free(buf);
        return council__fail(c, COUNCIL_ERROR, "%s: padding failed", op);
    }
    *ct_len = padded + COUNCIL__TAG_BYTES;
    *ct = council__malloc(*ct_len);
    if (*ct == NULL) {
        sodium_memzero(buf, cap);
        council__free(buf);
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    randombytes_buf(nonce, COUNCIL__NONCE_BYTES);
    council__secret_read(key);
    rc = council__aead_seal(c, *ct, *ct_len, buf, padded, ad, adl, nonce, key->p);
    council__secret_lock(key);
    sodium_memzero(buf, cap);
    council__free(buf);
    if (rc != COUNCIL_OK) {
        council__free(*ct);
        *ct = NULL;
    }
    return rc;
}

/* Decrypt and unpad into a new buffer *pt (wipe and free it). EAUTH. */
static int open_section(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const uint8_t person[COUNCIL_ID_BYTES], const char *scope, uint32_t kv,
                        uint32_t rv, const council__secret *key, const uint8_t *nonce,
                        size_t nonce_len, const uint8_t *ct, size_t ct_len, uint8_t **pt,
                        size_t *len)
{
    uint8_t ad[AD_MAX];
    size_t adl = section_ad(ad, c, case_id, person, scope, kv, rv), n, unpadded = 0;
    int rc;

    *pt = NULL;
    if (nonce_len != COUNCIL__NONCE_BYTES || ct_len <= COUNCIL__TAG_BYTES ||
        ct_len > COUNCIL_SECTION_MAX + PAD_BLOCK + COUNCIL__TAG_BYTES)
        return council__fail(c, COUNCIL_EAUTH, "%s: a stored section is damaged", op);
    n = ct_len - COUNCIL__TAG_BYTES;
    *pt = council__malloc(n);
    if (*pt == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    council__secret_read(key);
    rc = council__aead_open(c, *pt, n, ct, ct_len, ad, adl, nonce, key->p);
    council__secret_lock(key);
    if (rc == COUNCIL_OK && sodium_unpad(&unpadded, *pt, n, PAD_BLOCK) != 0)
        rc = council__fail(c, COUNCIL_EAUTH, "%s: a stored section is damaged", op);
    if (rc != COUNCIL_OK) {
        if (rc == COUNCIL_EAUTH)
            (void)council__fail(c, COUNCIL_EAUTH, "%s: a section failed authentication (moved, "
                                "altered or under another key)", op);
        sodium_memzero(*pt, n);
        council__free(*pt);
        *pt = NULL;
        return rc;
    }
    *len = unpadded;
    return COUNCIL_OK;
}

/* The token of a folded name (kind NAME), or of the folded name with a
 * birth date (kind NAME_BIRTH) when date is not NULL. *set is false, not
 * an error, when nothing is left of the name after folding. There is no
 * token of a birth date alone: with some 40,000 plausible dates it would
 * all but name the date to anyone holding the blind-index key. */
static int name_token(council *c, const char *name, const char *date, uint32_t *t, bool *set)
{
    char *folded = NULL;
    int rc = council__name_fold(c, &folded, name, strnlen(name, 1025));

    *set = false;
    if (rc == COUNCIL_EINVAL) {
        council__clear(c);
        return COUNCIL_OK;
    }
    if (rc != COUNCIL_OK)
        return rc;
    if (date == NULL) {
        rc = council__blind_token(c, t, COUNCIL__BLIND_NAME, (const uint8_t *)folded, strlen(folded));
    } else {
        size_t n = strlen(folded);
        char *both = council__malloc(n + 12);
        if (both == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "find: out of memory");
        } else {
            memcpy(both, folded, n);
            both[n] = '\n';
            memcpy(both + n + 1, date, 10);
            rc = council__blind_token(c, t, COUNCIL__BLIND_NAME_BIRTH, (const uint8_t *)both, n + 11);
            sodium_memzero(both, n + 11);
            council__free(both);
        }
    }
    *set = rc == COUNCIL_OK;
    sodium_memzero(folded, strlen(folded));
    council__free(folded);
    return rc;
}

/* Blind-index tokens of a person from an identity section: the name and
 * its reading (kana), each alone and with the birth date. */
static int index_person(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const uint8_t person[COUNCIL_ID_BYTES], const uint8_t *sec, size_t len)
{
    Council__V1__Section *s = council__v1__section__unpack(council__pb_wiping_allocator(), len, sec);
    int rc = COUNCIL_OK;
    struct { int kind; uint32_t token; bool set; } t[4] = {
        { COUNCIL__BLIND_NAME, 0, false }, { COUNCIL__BLIND_NAME_BIRTH, 0, false },
        { COUNCIL__BLIND_NAME, 0, false }, { COUNCIL__BLIND_NAME_BIRTH, 0, false } };

    if (s == NULL || s->identity == NULL) {
        if (s != NULL)
            council__v1__section__free_unpacked(s, council__pb_wiping_allocator());
        return council__fail(c, COUNCIL_EFORMAT, "%s: identity section does not parse", op);
    }
    for (int i = 0; rc == COUNCIL_OK && i < 4; i++) {
        const char *nm = i < 2 ? s->identity->name : s->identity->name_kana;
        const char *date = (i & 1) ? s->identity->birth_date : NULL;
        if (nm == NULL || ((i & 1) && date == NULL))
            continue;
        rc = name_token(c, nm, date, &t[i].token, &t[i].set);
    }
    council__v1__section__free_unpacked(s, council__pb_wiping_allocator());
    if (rc == COUNCIL_OK)
        rc = council__sql_exec1(c, op, "DELETE FROM blind_index WHERE case_id = ?1 AND "
                                "person_id = ?2;", case_id, COUNCIL_ID_BYTES, person,
                                COUNCIL_ID_BYTES);
    for (int i = 0; rc == COUNCIL_OK && i < 4; i++) {
        sqlite3_stmt *st = NULL;
        if (!t[i].set)
            continue;
        if (sqlite3_prepare_v2(c->db, "INSERT OR IGNORE INTO blind_index (kind, token, case_id, "
                                      "person_id) VALUES (?1, ?2, ?3, ?4);", -1, &st, NULL) != SQLITE_OK ||
            sqlite3_bind_int(st, 1, t[i].kind) != SQLITE_OK ||
            sqlite3_bind_int64(st, 2, t[i].token) != SQLITE_OK ||
            sqlite3_bind_blob(st, 3, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_blob(st, 4, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_DONE)
            rc = council__db_err(c, op);
        sqlite3_finalize(st);
    }
    return rc;
}

/* End a member's active share of (case, scope): marked revoked with the
 * reason, and its wrapped keys of the scope destroyed (unless it owns the
 * case). The caller rotates the scope's key. */
static int end_share(council *c, const char *op, const kase *k, const uint8_t member[COUNCIL_ID_BYTES],
                     const char *scope, const char *reason)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    if (sqlite3_prepare_v2(c->db, "UPDATE case_share SET revoked = ?4, revoke_reason = ?5, sig = NULL WHERE "
                                  "case_id = ?1 AND member_id = ?2 AND scope = ?3 AND revoked IS "
                                  "NULL;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, k->id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        sqlite3_bind_text(st, 5, reason, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    st = NULL;
    if (rc == COUNCIL_OK && sodium_memcmp(member, k->owner, COUNCIL_ID_BYTES) != 0 &&
        (sqlite3_prepare_v2(c->db, "DELETE FROM key_wrap WHERE case_id = ?1 AND holder = ?2 AND "
                                   "scope = ?3;", -1, &st, NULL) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, k->id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    return rc;
}

/* Shares of (case, scope) past their expiry: revoked, their wrapped keys
 * destroyed and the scope's key rotated, so that what is written next is
 * not readable with the expired holder's copy. Inside the caller's
 * transaction. */
static int expire_shares(council *c, const char *op, const kase *k, const char *scope)
{
    uint8_t members[SHARE_SCOPES_MAX][COUNCIL_ID_BYTES];
    const char *scopes[1] = { scope };
    sqlite3_stmt *st = NULL;
    int64_t now = (int64_t)time(NULL);
    size_t n = 0;
    uint32_t latest = 0;
    int rc = COUNCIL_OK, src;

    if (sqlite3_prepare_v2(c->db, "SELECT DISTINCT member_id FROM case_share WHERE case_id = ?1 AND "
                                  "scope = ?2 AND revoked IS NULL AND expires IS NOT NULL AND "
                                  "(typeof(expires) != 'integer' OR expires <= ?3) LIMIT 32;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, k->id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, now) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW && n < SHARE_SCOPES_MAX)
        if (sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES)
            memcpy(members[n++], sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
    sqlite3_finalize(st);
    if (src != SQLITE_DONE && src != SQLITE_ROW)
        return council__db_err(c, op);
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        rc = end_share(c, op, k, members[i], scope, "share_expired");
        if (rc == COUNCIL_OK)
            rc = log_ok(c, ACT(SHARE_REVOKED), k, scopes, 1, NULL, members[i], "share_expired");
    }
    if (rc == COUNCIL_OK && n > 0 && (rc = council__key_latest(c, op, k->id, scope, &latest)) == COUNCIL_OK &&
        latest > 0 && (rc = council__key_new(c, op, k->id, scope, NULL, NULL)) == COUNCIL_OK)
        rc = log_ok(c, ACT(KEY_ROTATED), k, scopes, 1, NULL, NULL, "share_expired");
    return rc;
}

int council_section_write(council *c, uint32_t *version, const uint8_t *case_id,
                          size_t case_id_len, const uint8_t *person_id, size_t person_id_len,
                          const char *scope, const uint8_t *section, size_t section_len)
{
    static const char op[] = "section_write";
    council__secret key = { NULL, 0 };
    uint8_t nonce[COUNCIL__NONCE_BYTES], *ct = NULL;
    size_t ct_len = 0;
    sqlite3_stmt *st = NULL;
    uint32_t kv = 0, rv = 0;
    bool ok;
    kase k;
    int rc;

    if (version != NULL)
        *version = 0;
    if ((rc = start(c, op)) != COUNCIL_OK || (rc = id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = id_arg(c, op, person_id, person_id_len)) != COUNCIL_OK)
        return rc;
    if ((rc = council__section_check(c, scope, section, section_len)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = load_case(c, op, case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (k.erased != 0)
        return refuse(c, true, ACT(CASE_UPDATED), &k, NULL, NULL, NULL, COUNCIL_EDENIED,
                      "case_erased", op, "the case was erased");
    if ((rc = council__scope_known(c, op, scope)) != COUNCIL_OK ||
        (rc = person_of(c, op, case_id, person_id)) != COUNCIL_OK)
        return council__finish(c, rc);
    if ((rc = may_use(c, op, &k, scope, &ok)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (!ok)
        return refuse(c, true, ACT(CASE_UPDATED), &k, scope, NULL, NULL, COUNCIL_EDENIED,
                      "scope_not_shared", op, "this scope of the case was not shared with the "
                      "session's member");
    /* A person's first data in a scope: the consent-based shares of the
     * case go through the decision again (that person may not have
     * consented), and those it now refuses end, their keys rotated, before
     * this write picks its key. */
    {
        sqlite3_stmt *q = NULL;
        int qs = SQLITE_ERROR;
        if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM section WHERE case_id = ?1 AND person_id = ?2 "
                                      "AND scope = ?3 LIMIT 1;", -1, &q, NULL) == SQLITE_OK &&
            sqlite3_bind_blob(q, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) == SQLITE_OK &&
            sqlite3_bind_blob(q, 2, person_id, COUNCIL_ID_BYTES, SQLITE_STATIC) == SQLITE_OK &&
            sqlite3_bind_text(q, 3, scope, -1, SQLITE_STATIC) == SQLITE_OK)
            qs = sqlite3_step(q);
        sqlite3_finalize(q);
        if (qs != SQLITE_ROW && qs != SQLITE_DONE)
            return council__finish(c, council__db_err(c, op));
        if (qs == SQLITE_DONE &&
            (rc = council__case_recheck_consent_shares(c, op, case_id, person_id, scope)) != COUNCIL_OK)
            return council__finish(c, rc);
    }
    if ((rc = expire_shares(c, op, &k, scope)) != COUNCIL_OK ||
        (rc = council__key_latest(c, op, case_id, scope, &kv)) != COUNCIL_OK)
        return council__finish(c, rc);
    /* Never under a key version older than one the scope's sections already
     * use: the newest versions (and with them a revocation's effect) were
     * deleted. */
    {
        sqlite3_stmt *q = NULL;
        int64_t used = 0;
        if (sqlite3_prepare_v2(c->db, "SELECT coalesce(max(key_version), 0) FROM section WHERE "
                                      "case_id = ?1 AND scope = ?2;", -1, &q, NULL) != SQLITE_OK ||
            sqlite3_bind_blob(q, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(q, 2, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_step(q) != SQLITE_ROW) {
            sqlite3_finalize(q);
            return council__finish(c, council__db_err(c, op));
        }
        used = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
        if (used > (int64_t)kv) {
            (void)council__tamper(c, case_id, scope, NULL, "key_version_rolled_back");
            return council__finish(c, council__fail(c, COUNCIL_ETAMPER, "%s: the scope's sections "
                                                    "use key version %lld, newer than its newest key "
                                                    "(%u): key versions were deleted", op,
                                                    (long long)used, kv));
        }
    }
    if (kv == 0)
        rc = council__key_new(c, op, case_id, scope, &kv, &key);
    else if ((rc = council__key_open(c, op, &key, case_id, scope, kv)) == COUNCIL_OK)
        rc = council__key_verify(c, op, case_id, scope, kv, &key); /* not a key someone chose */
    if (rc == COUNCIL_EDENIED || rc == COUNCIL_EAUTH)
        return refuse(c, true, ACT(CASE_UPDATED), &k, scope, NULL, NULL, rc,
                      rc == COUNCIL_EAUTH ? "wrapped_key_failed" : "no_key_for_version", op,
                      rc == COUNCIL_EAUTH ? "the wrapped data key failed authentication"
                                          : "this session holds no key for the scope");
    if (rc != COUNCIL_OK)
        return council__finish(c, rc);
    if (sqlite3_prepare_v2(c->db, "SELECT coalesce(max(version), 0) FROM section WHERE case_id = ?1 "
                                  "AND person_id = ?2 AND scope = ?3;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, person_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        rc = council__db_err(c, op);
    else
        rv = (uint32_t)sqlite3_column_int64(st, 0) + 1;
    sqlite3_finalize(st);
    st = NULL;
    if (rc == COUNCIL_OK)
        rc = seal_section(c, op, case_id, person_id, scope, kv, rv, &key, section, section_len,
                          nonce, &ct, &ct_len);
    council__secret_free(&key);
    if (rc == COUNCIL_OK &&
        (sqlite3_prepare_v2(c->db, "INSERT INTO section (case_id, person_id, scope, version, "
                                   "key_version, written, writer_member, writer_staff, nonce, ct) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10);", -1, &st,
                            NULL) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, person_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_int64(st, 4, rv) != SQLITE_OK || sqlite3_bind_int64(st, 5, kv) != SQLITE_OK ||
         sqlite3_bind_int64(st, 6, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
         (council__is_root(c) ? sqlite3_bind_null(st, 7)
                     : sqlite3_bind_blob(st, 7, c->actor_member, COUNCIL_ID_BYTES, SQLITE_STATIC)) != SQLITE_OK ||
         (council__is_root(c) ? sqlite3_bind_null(st, 8)
                     : sqlite3_bind_blob(st, 8, c->actor_staff, COUNCIL_ID_BYTES, SQLITE_STATIC)) != SQLITE_OK ||
         sqlite3_bind_blob(st, 9, nonce, sizeof nonce, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 10, ct, (int)ct_len, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    council__free(ct);
    if (rc == COUNCIL_OK && strcmp(scope, "identity") == 0)
        rc = index_person(c, op, case_id, person_id, section, section_len);

    if (rc == COUNCIL_OK)
        rc = touch_case(c, op, case_id);
    if (rc == COUNCIL_OK) {
        const char *scopes[1] = { scope };
        rc = log_ok(c, ACT(CASE_UPDATED), &k, scopes, 1, NULL, NULL, NULL);
    }
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK && version != NULL)
        *version = rv;
    return rc;
}

/* One stored record, decrypted, as SectionRecord bytes appended to b. The
 * key cache (kv, key) is reused across records of one scope. */
typedef struct keycache {
    char scope[COUNCIL__AUDIT_CODE_MAX + 1];
    uint32_t kv;
    council__secret key;
} keycache;

static void kc_free(keycache *kc)
{
    council__secret_free(&kc->key);
    kc->scope[0] = '\0';
    kc->kv = 0;
}

static int kc_get(council *c, const char *op, keycache *kc, const uint8_t case_id[COUNCIL_ID_BYTES],
                  const char *scope, uint32_t kv)
{
    if (kc->key.p != NULL && kc->kv == kv && strcmp(kc->scope, scope) == 0)
        return COUNCIL_OK;
    kc_free(kc);
    int rc = council__key_open(c, op, &kc->key, case_id, scope, kv);
    /* Content under a key version nobody entitled made (a key someone
     * holding the database key chose, with sections of its own under it) is
     * not returned as the case's. */
    if (rc == COUNCIL_OK && (rc = council__key_verify(c, op, case_id, scope, kv, &kc->key)) != COUNCIL_OK)
        kc_free(kc);
    if (rc == COUNCIL_OK) {
        strcpy(kc->scope, scope); /* checked: at most 64 bytes */
        kc->kv = kv;
    }
    return rc;
}

#define SECTION_COLUMNS "person_id, scope, version, key_version, written, writer_member, " \
                        "writer_staff, nonce, ct"

static int record_from_row(council *c, const char *op, sqlite3_stmt *st,
                           const uint8_t case_id[COUNCIL_ID_BYTES], keycache *kc, obuf *rec)
{
    Council__V1__SectionRecord r = COUNCIL__V1__SECTION_RECORD__INIT;
    Council__V1__Section empty = COUNCIL__V1__SECTION__INIT;
    const char *scope = (const char *)sqlite3_column_text(st, 1);
    uint8_t person[COUNCIL_ID_BYTES], *pt = NULL;
    uint32_t rv = (uint32_t)sqlite3_column_int64(st, 2), kv = (uint32_t)sqlite3_column_int64(st, 3);
    size_t len = 0;
    int rc;

    if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES || scope == NULL ||
        !council__audit_code_ok(scope))
        return council__fail(c, COUNCIL_EAUTH, "%s: a stored section is damaged", op);
    memcpy(person, sqlite3_column_blob(st, 0), sizeof person);
    if ((rc = kc_get(c, op, kc, case_id, scope, kv)) != COUNCIL_OK)
        return rc;
    rc = open_section(c, op, case_id, person, scope, kv, rv, &kc->key, sqlite3_column_blob(st, 7),
                      (size_t)sqlite3_column_bytes(st, 7), sqlite3_column_blob(st, 8),
                      (size_t)sqlite3_column_bytes(st, 8), &pt, &len);
    if (rc != COUNCIL_OK)
        return rc;
    r.scope = (char *)(uintptr_t)scope;
    r.person_id.data = person;
    r.person_id.len = sizeof person;
    r.version = rv;
    r.key_version = kv;
    r.written = sqlite3_column_int64(st, 4);
    if (sqlite3_column_bytes(st, 5) == COUNCIL_ID_BYTES) {
        r.has_writer_member = 1;
        r.writer_member.data = (uint8_t *)(uintptr_t)sqlite3_column_blob(st, 5);
        r.writer_member.len = COUNCIL_ID_BYTES;
    }
    if (sqlite3_column_bytes(st, 6) == COUNCIL_ID_BYTES) {
        r.has_writer_staff = 1;
        r.writer_staff.data = (uint8_t *)(uintptr_t)sqlite3_column_blob(st, 6);
        r.writer_staff.len = COUNCIL_ID_BYTES;
    }
    r.section = &empty;
    /* Pack everything but the section (the last field, packed as "42 00"
     * when empty), then the plaintext section bytes as field 8 directly: no
     * extra copy of the content is ever parsed or kept. */
    {
        size_t n = protobuf_c_message_get_packed_size(&r.base);
        uint8_t *d = ob_grow(rec, n);
        if (d != NULL) {
            protobuf_c_message_pack(&r.base, d);
            rec->len -= 2;
            ob_field(rec, 8, pt, len);
        }
    }
    sodium_memzero(pt, len);
    council__free(pt);
    return rec->failed ? council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op) : COUNCIL_OK;
}

static int read_common(council *c, const char *op, const uint8_t *case_id, size_t case_id_len,
                       const uint8_t *person_id, size_t person_id_len, const char *scope,
                       const char *purpose, council_buf *out, kase *k)
{
    int rc;
    bool ok;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = start(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK ||
        (rc = id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK)
        return rc;
    if (person_id != NULL || scope != NULL) {
        if ((rc = id_arg(c, op, person_id, person_id_len)) != COUNCIL_OK)
            return rc;
        if ((rc = council__scope_known(c, op, scope)) != COUNCIL_OK)
            return rc;
    }
    if (purpose == NULL || !council__audit_code_ok(purpose))
        return council__fail(c, COUNCIL_EINVAL, "%s: a read names its purpose, a code "
                             "[a-z0-9_]{1,64}", op);
    if ((rc = load_case(c, op, case_id, k)) != COUNCIL_OK)
        return rc;
    if (k->erased != 0)
        return refuse(c, false, ACT(SECTION_DECRYPTED), k, scope, purpose, NULL, COUNCIL_EDENIED,
                      "case_erased", op, "the case was erased");
    if (person_id != NULL && (rc = person_of(c, op, case_id, person_id)) != COUNCIL_OK)
        return rc;
    if (scope != NULL) {
        if ((rc = may_use(c, op, k, scope, &ok)) != COUNCIL_OK)
            return rc;
        if (!ok)
            return refuse(c, false, ACT(SECTION_DECRYPTED), k, scope, purpose, NULL,
                          COUNCIL_EDENIED, "scope_not_shared", op, "this scope of the case was "
                          "not shared with the session's member");
    }
    return COUNCIL_OK;
}

/* After decryption, before return: the durable event; on failure nothing
 * is returned. A failed decryption is logged as refused. */
static int read_finish(council *c, const char *op, const kase *k, const char *const *scopes,
                       size_t n, const char *purpose, const char *reason, int rc, obuf *b,
                       council_buf *out)
{
    if (rc == COUNCIL_EAUTH || rc == COUNCIL_EDENIED) {
        ob_free(b);
        return refuse(c, false, ACT(SECTION_DECRYPTED), k, n == 1 ? scopes[0] : NULL, purpose,
                      NULL, rc, rc == COUNCIL_EAUTH ? "authentication_failed" : "no_key_for_version",
                      op, rc == COUNCIL_EAUTH ? "a section or its key failed authentication"
                                              : "this session holds no key for the section");
    }
    if (rc == COUNCIL_OK)
        rc = log_ok(c, ACT(SECTION_DECRYPTED), k, scopes, n, purpose, NULL, reason);
    if (rc != COUNCIL_OK) {
        ob_free(b);
        return rc;
    }
    return ob_out(c, op, b, out);
}

static int read_records(council *c, const char *op, council_buf *out, const uint8_t *case_id,
                        size_t case_id_len, const uint8_t *person_id, size_t person_id_len,
                        const char *scope, const char *purpose, bool history)
{
    keycache kc = { "", 0, { NULL, 0 } };
    sqlite3_stmt *st = NULL;
    obuf b = { NULL, 0, 0, false }, rec = { NULL, 0, 0, false };
    const char *scopes[1] = { scope };
    int rc, src, n = 0;
    kase k;

    if ((rc = read_common(c, op, case_id, case_id_len, person_id, person_id_len, scope, purpose,
                          out, &k)) != COUNCIL_OK)
        return rc;
    if (scope == NULL || person_id == NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: a person and a scope are needed", op);
    if (sqlite3_prepare_v2(c->db, history
                               ? "SELECT " SECTION_COLUMNS " FROM section WHERE case_id = ?1 AND "
                                 "person_id = ?2 AND scope = ?3 ORDER BY version;"
                               : "SELECT " SECTION_COLUMNS " FROM section WHERE case_id = ?1 AND "
                                 "person_id = ?2 AND scope = ?3 ORDER BY version DESC LIMIT 1;",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, person_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        rec.len = 0;
        rc = record_from_row(c, op, st, case_id, &kc, history ? &rec : &b);
        if (rc == COUNCIL_OK && history)
            ob_field(&b, 1, rec.p, rec.len);
        n++;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    kc_free(&kc);
    ob_free(&rec);
    if (rc == COUNCIL_OK && n == 0) {
        ob_free(&b);
        return council__fail(c, COUNCIL_ENOTFOUND, "%s: no such section", op);
    }
    return read_finish(c, op, &k, scopes, 1, purpose, history ? "history" : NULL, rc, &b, out);
}

int council_section_read(council *c, council_buf *out, const uint8_t *case_id, size_t case_id_len,
                         const uint8_t *person_id, size_t person_id_len, const char *scope,
                         const char *purpose)
{
    return read_records(c, "section_read", out, case_id, case_id_len, person_id, person_id_len,
                        scope, purpose, false);
}

int council_section_history(council *c, council_buf *out, const uint8_t *case_id,
                            size_t case_id_len, const uint8_t *person_id, size_t person_id_len,
                            const char *scope, const char *purpose)
{
    return read_records(c, "section_history", out, case_id, case_id_len, person_id, person_id_len,
                        scope, purpose, true);
}

/* --------------------------------------------------------------- metadata */

static void free_info(Council__V1__CaseInfo *m)
{
    if (m != NULL)
        council__v1__case_info__free_unpacked(m, council__pb_allocator());
}

static bool dup_blob(ProtobufCBinaryData *d, const void *p, size_t n)
{
    d->data = council__malloc(n);
    if (d->data == NULL)
        return false;
    memcpy(d->data, p, n);
    d->len = n;
    return true;
}

static char *dup_col(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t != NULL ? council__strdup((const char *)t) : NULL;
}

/* Grow a protobuf repeated field (pointer array) by one. */
static bool push(void ***arr, size_t *n, void *item)
{
    void **na = council__malloc((*n + 1) * sizeof *na);
    if (na == NULL)
        return false;
    if (*n > 0)
        memcpy(na, *arr, *n * sizeof *na);
    council__free(*arr);
    na[*n] = item;
    *arr = na;
    (*n)++;
    return true;
}

/* Fillers of one metadata row each (false: out of memory or a bad row). */
static bool fill_person(sqlite3_stmt *st, void *item)
{
    Council__V1__Person *p = item;

    council__v1__person__init(p);
    p->role = (Council__V1__PersonRole)sqlite3_column_int(st, 1);
    p->added = sqlite3_column_int64(st, 2);
    return sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES &&
           dup_blob(&p->id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
}

static bool fill_section(sqlite3_stmt *st, void *item)
{
    Council__V1__SectionInfo *s = item;

    council__v1__section_info__init(s);
    s->version = (uint32_t)sqlite3_column_int64(st, 2);
    s->key_version = (uint32_t)sqlite3_column_int64(st, 3);
    s->written = sqlite3_column_int64(st, 4);
    return sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES &&
           dup_blob(&s->person_id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES) &&
           (s->scope = dup_col(st, 1)) != NULL;
}

static bool fill_share(sqlite3_stmt *st, void *item)
{
    Council__V1__Share *s = item;
    bool ok;

    council__v1__share__init(s);
    s->granted = sqlite3_column_int64(st, 5);
    s->has_expires = sqlite3_column_type(st, 6) != SQLITE_NULL;
    s->expires = sqlite3_column_int64(st, 6);
    s->has_revoked = sqlite3_column_type(st, 7) != SQLITE_NULL;
    s->revoked = sqlite3_column_int64(st, 7);
    ok = sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES &&
         dup_blob(&s->member_id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES) &&
         (s->scope = dup_col(st, 1)) != NULL && (s->purpose = dup_col(st, 2)) != NULL &&
         (s->basis = dup_col(st, 3)) != NULL;
    if (ok && sqlite3_column_bytes(st, 4) == COUNCIL_ID_BYTES) {
        s->has_consent_id = 1;
        ok = dup_blob(&s->consent_id, sqlite3_column_blob(st, 4), COUNCIL_ID_BYTES);
    }
    if (ok && sqlite3_column_type(st, 8) != SQLITE_NULL)
        ok = (s->revoke_reason = dup_col(st, 8)) != NULL;
    if (ok && sqlite3_column_type(st, 9) != SQLITE_NULL)
        ok = (s->basis_reason = dup_col(st, 9)) != NULL;
    return ok;
}

/* Each row of sql (bound to the case id) as a new item of `size` bytes
 * pushed onto a repeated field; freed with the message. */
static bool rows_into(council *c, const char *sql, const uint8_t id[COUNCIL_ID_BYTES], size_t size,
                      bool (*fill)(sqlite3_stmt *, void *), void ***arr, size_t *n)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK &&
              sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) == SQLITE_OK;
    int src = SQLITE_DONE;

    while (ok && (src = sqlite3_step(st)) == SQLITE_ROW) {
        void *item = council__calloc(1, size);
        if (item == NULL || !push(arr, n, item)) {
            council__free(item);
            ok = false;
            break;
        }
        ok = fill(st, item);
    }
    sqlite3_finalize(st);
    return ok && src == SQLITE_DONE;
}

static int build_info(council *c, const char *op, const kase *k, Council__V1__CaseInfo **out)
{
    Council__V1__CaseInfo *m = council__calloc(1, sizeof *m);
    char idt[37];
    bool ok;

    *out = NULL;
    if (m == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    council__v1__case_info__init(m);
    council__uuid_text(idt, k->id);
    ok = dup_blob(&m->id, k->id, COUNCIL_ID_BYTES) && (m->id_text = council__strdup(idt)) != NULL &&
         dup_blob(&m->owner_member, k->owner, COUNCIL_ID_BYTES);
    m->status = (Council__V1__CaseStatus)k->status;
    m->body = (Council__V1__CaseBody)k->body;
    m->created = k->created;
    m->updated = k->updated;
    m->has_erased = k->erased != 0;
    m->erased = k->erased;
    ok = ok &&
         rows_into(c, "SELECT id, role, added FROM person WHERE case_id = ?1 ORDER BY seq;", k->id,
                   sizeof(Council__V1__Person), fill_person, (void ***)&m->persons, &m->n_persons) &&
         rows_into(c, "SELECT person_id, scope, max(version), key_version, written FROM section "
                      "WHERE case_id = ?1 GROUP BY person_id, scope ORDER BY scope, person_id;",
                   k->id, sizeof(Council__V1__SectionInfo), fill_section, (void ***)&m->sections,
                   &m->n_sections) &&
         rows_into(c, "SELECT member_id, scope, purpose, basis, consent_id, granted, expires, "
                      "revoked, revoke_reason, basis_reason FROM case_share WHERE case_id = ?1 "
                      "ORDER BY seq;", k->id, sizeof(Council__V1__Share), fill_share,
                   (void ***)&m->shares, &m->n_shares);
    if (!ok) {
        free_info(m);
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory or database error", op);
    }
    *out = m;
    return COUNCIL_OK;
}

int council_case_get(council *c, council_buf *out, const uint8_t *case_id, size_t case_id_len)
{
    static const char op[] = "case_get";
    Council__V1__CaseInfo *m = NULL;
    obuf b = { NULL, 0, 0, false };
    bool ok = true;
    kase k;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = start(c, op)) != COUNCIL_OK || (rc = id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = load_case(c, op, case_id, &k)) != COUNCIL_OK)
        return rc;
    if ((rc = may_use(c, op, &k, NULL, &ok)) != COUNCIL_OK)
        return rc;
    if (!ok)
        return refuse(c, false, ACT(CASE_READ), &k, NULL, NULL, NULL, COUNCIL_EDENIED,
                      "case_not_shared", op, "the case is not shared with the session's member");
    if ((rc = build_info(c, op, &k, &m)) != COUNCIL_OK)
        return rc;
    ob_message(&b, &m->base);
    free_info(m);
    rc = ob_out(c, op, &b, out);
    if (rc == COUNCIL_OK)
        council__clear(c);
    return rc;
}

int council_case_list(council *c, council_buf *out)
{
    static const char op[] = "case_list";
    sqlite3_stmt *st = NULL;
    obuf b = { NULL, 0, 0, false };
    int rc, src;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = start(c, op)) != COUNCIL_OK)
        return rc;
    if (sqlite3_prepare_v2(c->db, "SELECT id FROM case_record WHERE ?1 IS NULL OR owner = ?1 OR "
                                  "id IN (SELECT case_id FROM case_share WHERE member_id = ?1 AND "
                                  "revoked IS NULL AND (expires IS NULL OR expires > ?2)) ORDER BY "
                                  "seq;", -1, &st, NULL) != SQLITE_OK ||
        (council__is_root(c) ? sqlite3_bind_null(st, 1)
                    : sqlite3_bind_blob(st, 1, c->actor_member, COUNCIL_ID_BYTES, SQLITE_STATIC)) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL)) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t id[COUNCIL_ID_BYTES];
        Council__V1__CaseInfo *m = NULL;
        obuf one = { NULL, 0, 0, false };
        kase k;

        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
            continue;
        memcpy(id, sqlite3_column_blob(st, 0), sizeof id);
        if ((rc = load_case(c, op, id, &k)) != COUNCIL_OK || (rc = build_info(c, op, &k, &m)) != COUNCIL_OK)
            break;
        ob_message(&one, &m->base);
        free_info(m);
        ob_field(&b, 1, one.p, one.len);
        ob_free(&one);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc != COUNCIL_OK) {
        ob_free(&b);
        return rc;
    }
    rc = ob_out(c, op, &b, out);
    if (rc == COUNCIL_OK)
        council__clear(c);
    return rc;
}

int council_case_read(council *c, council_buf *out, const uint8_t *case_id, size_t case_id_len,
                      const char *purpose)
{
    if (out != NULL && (case_id == NULL || case_id_len != COUNCIL_ID_BYTES)) {
        out->ptr = NULL;
        out->len = 0;
        return council__fail(c, COUNCIL_EINVAL, "case_read: ids are %d bytes", COUNCIL_ID_BYTES);
    }
    return council__case_content(c, "case_read", out, case_id, NULL, 0, purpose);
}

int council__case_content(council *c, const char *op, council_buf *out,
                          const uint8_t case_id[COUNCIL_ID_BYTES], const char *const *filter,
                          size_t n_filter, const char *purpose)
{
    Council__V1__CaseInfo *m = NULL;
    keycache kc = { "", 0, { NULL, 0 } };
    sqlite3_stmt *st = NULL;
    obuf b = { NULL, 0, 0, false }, rec = { NULL, 0, 0, false };
    char read_scopes[COUNCIL__AUDIT_SCOPES_MAX][COUNCIL__AUDIT_CODE_MAX + 1];
    const char *scopes[COUNCIL__AUDIT_SCOPES_MAX];
    size_t n_scopes = 0, skipped = 0;
    int rc, src;
    kase k;

    if ((rc = read_common(c, op, case_id, COUNCIL_ID_BYTES, NULL, 0, NULL, purpose, out, &k)) != COUNCIL_OK)
        return rc;
    if ((rc = build_info(c, op, &k, &m)) != COUNCIL_OK)
        return rc;
    {
        obuf one = { NULL, 0, 0, false };
        ob_message(&one, &m->base);
        ob_field(&b, 1, one.p, one.len);
        ob_free(&one);
    }
    free_info(m);
    if (sqlite3_prepare_v2(c->db, "SELECT " SECTION_COLUMNS " FROM section s WHERE case_id = ?1 "
                                  "AND version = (SELECT max(version) FROM section WHERE case_id = "
                                  "s.case_id AND person_id = s.person_id AND scope = s.scope) "
                                  "ORDER BY scope, key_version, person_id;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        ob_free(&b);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *scope = (const char *)sqlite3_column_text(st, 1);
        bool ok = false;

        if (scope == NULL || !council__audit_code_ok(scope))
            continue;
        if (filter != NULL) {
            bool wanted = false;
            for (size_t i = 0; i < n_filter && !wanted; i++)
                wanted = strcmp(filter[i], scope) == 0;
            if (!wanted)
                continue;
        }
        if ((rc = may_use(c, op, &k, scope, &ok)) != COUNCIL_OK)
            break;
        if (!ok) {
            skipped++;
            continue;
        }
        rec.len = 0;
        if ((rc = record_from_row(c, op, st, case_id, &kc, &rec)) != COUNCIL_OK)
            break;
        ob_field(&b, 2, rec.p, rec.len);
        if (n_scopes == 0 || strcmp(read_scopes[n_scopes - 1], scope) != 0) {
            if (n_scopes == COUNCIL__AUDIT_SCOPES_MAX) {
                rc = council__fail(c, COUNCIL_ELIMIT, "%s: more than %d scopes", op,
                                   COUNCIL__AUDIT_SCOPES_MAX);
                break;
            }
            strcpy(read_scopes[n_scopes], scope);
            scopes[n_scopes] = read_scopes[n_scopes];
            n_scopes++;
        }
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    kc_free(&kc);
    ob_free(&rec);
    if (rc == COUNCIL_OK && n_scopes == 0 && skipped > 0) {
        ob_free(&b);
        return refuse(c, false, ACT(SECTION_DECRYPTED), &k, NULL, purpose, NULL, COUNCIL_EDENIED,
                      "scope_not_shared", op, "no scope of the case was shared with the "
                      "session's member");
    }
    return read_finish(c, op, &k, scopes, n_scopes, purpose, "case", rc, &b, out);
}

/* ----------------------------------------------------------------- sharing */

static const char *const bases[] = {
    "consent", "appi_27_1_1_law", "appi_27_1_2_vital", "appi_27_1_3_public_health_child",
    "appi_27_1_4_public_duty", "council_art16_exchange",
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
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src;

    *why = NULL;
    /* The register row the ceiling comes from is the one the secretariat
     * signed (a member widening its own ceiling gains nothing). */
    if ((rc = council__member_check(c, op, member)) != COUNCIL_OK)
        return rc == COUNCIL_ENOTFOUND ? council__fail(c, rc, "%s: no such member", op) : rc;
    if (sqlite3_prepare_v2(c->db, "SELECT withdrawn IS NOT NULL, box_pk, scopes FROM member "
                                  "WHERE id = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_DONE) {
        rc = council__fail(c, COUNCIL_ENOTFOUND, "%s: no such member", op);
    } else if (src != SQLITE_ROW) {
        rc = council__db_err(c, op);
    } else if (sqlite3_column_int(st, 0) != 0) {
        rc = COUNCIL_EDENIED;
        *why = "recipient_withdrawn";
    } else if (sqlite3_column_bytes(st, 1) != 32) {
        rc = COUNCIL_EDENIED;
        *why = "recipient_without_keys";
    } else {
        const unsigned char *s = sqlite3_column_text(st, 2);
        memcpy(pk, sqlite3_column_blob(st, 1), 32);
        snprintf(ceiling, cap, ",%s,", s != NULL ? (const char *)s : "");
    }
    sqlite3_finalize(st);
    return rc;
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

/* The decision (policy.c) for a share: the persons whose data is in the
 * scopes (those with a section in one of them, and always the person
 * supported), the case's consent records, the council's configuration. */
static int decide_share(council *c, const char *op, const kase *k, const uint8_t member[16],
                        const council_share_options *o, const uint8_t *extra_person,
                        council__decision *d, int64_t *consent_until)
{
    Council__V1__ConsentList *l = NULL;
    council__consent_view *views = NULL;
    council__decision_request req;
    council__policy_config cfg;
    uint8_t (*persons)[16] = NULL;
    int *purposes = NULL;
    uint8_t (*members)[16] = NULL;
    size_t n_persons = 0, n_members = 0, n_purposes = 0;
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src;

    memset(&req, 0, sizeof req);
    /* Persons: with a section in the scopes, plus the person supported. */
    persons = council__calloc(COUNCIL_CASE_PERSONS_MAX, sizeof *persons);
    if (persons == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    if (sqlite3_prepare_v2(c->db, "SELECT id FROM person WHERE case_id = ?1 AND (role = ?2 OR id = ?4 "
                                  "OR id IN (SELECT person_id FROM section WHERE case_id = ?1 AND "
                                  "instr(?3, ',' || scope || ',') > 0)) ORDER BY seq;", -1, &st,
                           NULL) != SQLITE_OK)
        rc = council__db_err(c, op);
    if (rc == COUNCIL_OK) {
        char list[SHARE_SCOPES_MAX * (COUNCIL__AUDIT_CODE_MAX + 1) + 2] = ",";
        for (size_t i = 0; i < o->n_scopes; i++) {
            strcat(list, o->scopes[i]);
            strcat(list, ",");
        }
        if (sqlite3_bind_blob(st, 1, k->id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(st, 2, COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_SUPPORTED) != SQLITE_OK ||
            sqlite3_bind_text(st, 3, list, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
            (extra_person != NULL ? sqlite3_bind_blob(st, 4, extra_person, 16, SQLITE_STATIC)
                                  : sqlite3_bind_null(st, 4)) != SQLITE_OK)
            rc = council__db_err(c, op);
        while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW &&
               n_persons < COUNCIL_CASE_PERSONS_MAX)
            if (sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES)
                memcpy(persons[n_persons++], sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
    }
    sqlite3_finalize(st);
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
        req.recipient_kind = COUNCIL__RECIPIENT_MEMBER;
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

int council__case_end_meeting_shares(council *c, const char *op,
                                     const uint8_t meeting_id[COUNCIL_ID_BYTES])
{
    struct row { uint8_t case_id[COUNCIL_ID_BYTES], member[COUNCIL_ID_BYTES];
                 char scope[COUNCIL__AUDIT_CODE_MAX + 1]; } *rows = NULL;
    sqlite3_stmt *st = NULL;
    size_t n = 0, cap = 0;
    int rc = COUNCIL_OK, src;

    if (sqlite3_prepare_v2(c->db, "SELECT case_id, member_id, scope FROM case_share WHERE "
                                  "meeting_id = ?1 AND revoked IS NULL ORDER BY seq;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, meeting_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *sc = (const char *)sqlite3_column_text(st, 2);
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES ||
            sqlite3_column_bytes(st, 1) != COUNCIL_ID_BYTES || sc == NULL || !council__audit_code_ok(sc))
            continue;
        if (!grow((void **)&rows, &cap, n, sizeof *rows)) {
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
        memcpy(rows[n].case_id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        memcpy(rows[n].member, sqlite3_column_blob(st, 1), COUNCIL_ID_BYTES);
        strcpy(rows[n].scope, sc);
        n++;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        const char *scopes[1] = { rows[i].scope };
        uint32_t latest = 0;
        kase k;
        if ((rc = load_case(c, op, rows[i].case_id, &k)) != COUNCIL_OK)
            break;
        rc = end_share(c, op, &k, rows[i].member, rows[i].scope, "meeting_closed");
        if (rc == COUNCIL_OK)
            rc = council__key_latest(c, op, k.id, rows[i].scope, &latest);
        if (rc == COUNCIL_OK && latest > 0)
            rc = council__key_new(c, op, k.id, rows[i].scope, NULL, NULL);
        if (rc == COUNCIL_OK)
            rc = log_ok(c, ACT(SHARE_REVOKED), &k, scopes, 1, NULL, rows[i].member, "meeting_closed");
    }
    council__free(rows);
    return rc;
}

int council__case_recheck_consent_shares(council *c, const char *op,
                                         const uint8_t case_id[COUNCIL_ID_BYTES],
                                         const uint8_t *extra_person, const char *extra_scope)
{
    struct row { uint8_t member[COUNCIL_ID_BYTES], consent[COUNCIL_ID_BYTES];
                 bool has_consent, has_text; char scope[COUNCIL__AUDIT_CODE_MAX + 1];
                 char purpose[COUNCIL__AUDIT_CODE_MAX + 1];
                 char text[COUNCIL_CONTACT_MAX + 1]; } *rows = NULL;
    sqlite3_stmt *st = NULL;
    size_t n = 0, cap = 0;
    kase k;
    int rc = load_case(c, op, case_id, &k), src;

    if (rc != COUNCIL_OK)
        return rc;
    if (sqlite3_prepare_v2(c->db, "SELECT member_id, consent_id, scope, purpose, purpose_text FROM "
                                  "case_share WHERE case_id = ?1 AND basis = 'consent' AND revoked "
                                  "IS NULL ORDER BY seq;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *sc = (const char *)sqlite3_column_text(st, 2);
        const char *pu = (const char *)sqlite3_column_text(st, 3);
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES || sc == NULL || pu == NULL ||
            !council__audit_code_ok(sc) || !council__audit_code_ok(pu))
            continue;
        if (!grow((void **)&rows, &cap, n, sizeof *rows)) {
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
        memcpy(rows[n].member, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        rows[n].has_consent = sqlite3_column_bytes(st, 1) == COUNCIL_ID_BYTES;
        if (rows[n].has_consent)
            memcpy(rows[n].consent, sqlite3_column_blob(st, 1), COUNCIL_ID_BYTES);
        strcpy(rows[n].scope, sc);
        strcpy(rows[n].purpose, pu);
        {
            const char *tx = (const char *)sqlite3_column_text(st, 4);
            rows[n].has_text = tx != NULL && strlen(tx) <= COUNCIL_CONTACT_MAX;
            if (rows[n].has_text)
                strcpy(rows[n].text, tx);
        }
        n++;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
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
                                   ? extra_person : NULL, &d, NULL)) != COUNCIL_OK || d.allow)
            continue;
        rc = end_share(c, op, &k, rows[i].member, rows[i].scope, "consent_withdrawn");
        if (rc == COUNCIL_OK)
            rc = council__key_latest(c, op, k.id, rows[i].scope, &latest);
        if (rc == COUNCIL_OK && latest > 0)
            rc = council__key_new(c, op, k.id, rows[i].scope, NULL, NULL);
        if (rc == COUNCIL_OK)
            rc = log_ok(c, ACT(SHARE_REVOKED), &k, scopes, 1, NULL, rows[i].member, d.reason);
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
    int64_t expires = 0, consent_until = 0;
    char ceiling[SHARE_SCOPES_MAX * (COUNCIL__AUDIT_CODE_MAX + 1) + 4];
    uint8_t pk[32];
    const char *why;
    int64_t now = (int64_t)time(NULL);
    kase k;
    int rc;

    if ((rc = start(c, op)) != COUNCIL_OK || (rc = id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = id_arg(c, op, member_id, member_id_len)) != COUNCIL_OK)
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
    if ((rc = load_case(c, op, case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    for (size_t i = 0; i < o->n_scopes; i++)
        if ((rc = council__scope_known(c, op, o->scopes[i])) != COUNCIL_OK)
            return council__finish(c, rc);
    if (k.erased != 0)
        return refuse(c, true, ACT(SHARE_GRANTED), &k, NULL, o->purpose, member_id,
                      COUNCIL_EDENIED, "case_erased", op, "the case was erased");
    if (!council__is_root(c) && !is_owner(c, &k))
        return refuse(c, true, ACT(SHARE_GRANTED), &k, NULL, o->purpose, member_id,
                      COUNCIL_EDENIED, "not_owner", op, "only the secretariat or the owning "
                      "member shares a case");
    if (sodium_memcmp(member_id, k.owner, COUNCIL_ID_BYTES) == 0)
        return council__finish(c, council__fail(c, COUNCIL_EINVAL, "%s: the owner holds every "
                                                "scope already", op));
    rc = recipient(c, op, member_id, pk, ceiling, sizeof ceiling, &why);
    if (rc == COUNCIL_OK && council__member_key_check(c, op, member_id, pk) != COUNCIL_OK) {
        rc = COUNCIL_EAUTH;
        why = "recipient_key_unsigned";
    }
    if (rc == COUNCIL_EAUTH)
        return refuse(c, true, ACT(SHARE_GRANTED), &k, NULL, o->purpose, member_id, rc, why, op,
                      "the recipient's key is not signed by the council");
    if (rc == COUNCIL_EDENIED)
        return refuse(c, true, ACT(SHARE_GRANTED), &k, NULL, o->purpose, member_id, rc, why, op,
                      "the recipient is withdrawn or has no keys");
    if (rc != COUNCIL_OK)
        return council__finish(c, rc);
    for (size_t i = 0; i < o->n_scopes; i++) {
        char needle[COUNCIL__AUDIT_CODE_MAX + 3];
        bool dup;
        snprintf(needle, sizeof needle, ",%s,", o->scopes[i]);
        if (strstr(ceiling, needle) == NULL)
            return refuse(c, true, ACT(SHARE_GRANTED), &k, o->scopes[i], o->purpose, member_id,
                          COUNCIL_EDENIED, "outside_scope_ceiling", op,
                          "a scope is outside the member's scope ceiling");
        /* A share that expired is ended first (with its keys). */
        if ((rc = expire_shares(c, op, &k, o->scopes[i])) != COUNCIL_OK ||
            (rc = council__share_active(c, op, case_id, member_id, o->scopes[i], &dup)) != COUNCIL_OK)
            return council__finish(c, rc);
        if (dup)
            return council__finish(c, council__fail(c, COUNCIL_EEXIST, "%s: scope %s is shared "
                                                    "with the member already", op, o->scopes[i]));
    }
    /* No disclosure without a basis (DESIGN.md promise 2). */
    {
        council__decision d = { false, NULL };
        if ((rc = decide_share(c, op, &k, member_id, o, NULL, &d, &consent_until)) != COUNCIL_OK)
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
        sqlite3_stmt *q = NULL;
        bool ok = false;
        if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM staff WHERE id = ?1 AND retired IS NULL;", -1,
                               &q, NULL) == SQLITE_OK &&
            sqlite3_bind_blob(q, 1, o->second_approver, COUNCIL_ID_BYTES, SQLITE_STATIC) == SQLITE_OK)
            ok = sqlite3_step(q) == SQLITE_ROW;
        sqlite3_finalize(q);
        if (!ok)
            return council__finish(c, council__fail(c, COUNCIL_EINVAL, "%s: the second approver "
                                                    "is not staff in service", op));
    }
    for (size_t i = 0; rc == COUNCIL_OK && i < o->n_scopes; i++) {
        sqlite3_stmt *st = NULL;
        uint32_t latest = 0;
        if (sqlite3_prepare_v2(c->db, "INSERT INTO case_share (case_id, member_id, scope, purpose, "
                                      "basis, basis_reason, consent_id, granted, expires, "
                                      "granted_by_member, granted_by_staff, meeting_id, "
                                      "purpose_text, second_approver) VALUES (?1, ?2, ?3, ?4, ?5, "
                                      "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14);", -1, &st,
                               NULL) != SQLITE_OK ||
            (o->purpose_text != NULL ? sqlite3_bind_text(st, 13, o->purpose_text, -1, SQLITE_STATIC)
                                     : sqlite3_bind_null(st, 13)) != SQLITE_OK ||
            (o->second_approver != NULL
                 ? sqlite3_bind_blob(st, 14, o->second_approver, COUNCIL_ID_BYTES, SQLITE_STATIC)
                 : sqlite3_bind_null(st, 14)) != SQLITE_OK ||
            (meeting_id != NULL ? sqlite3_bind_blob(st, 12, meeting_id, COUNCIL_ID_BYTES, SQLITE_STATIC)
                                : sqlite3_bind_null(st, 12)) != SQLITE_OK ||
            sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_blob(st, 2, member_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 3, o->scopes[i], -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 4, o->purpose, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 5, o->basis, -1, SQLITE_STATIC) != SQLITE_OK ||
            (o->reason != NULL ? sqlite3_bind_text(st, 6, o->reason, -1, SQLITE_STATIC)
                               : sqlite3_bind_null(st, 6)) != SQLITE_OK ||
            (o->consent_id != NULL
                 ? sqlite3_bind_blob(st, 7, o->consent_id, COUNCIL_ID_BYTES, SQLITE_STATIC)
                 : sqlite3_bind_null(st, 7)) != SQLITE_OK ||
            sqlite3_bind_int64(st, 8, now) != SQLITE_OK ||
            (expires != 0 ? sqlite3_bind_int64(st, 9, expires)
                          : sqlite3_bind_null(st, 9)) != SQLITE_OK ||
            (council__is_root(c) ? sqlite3_bind_null(st, 10)
                        : sqlite3_bind_blob(st, 10, c->actor_member, COUNCIL_ID_BYTES, SQLITE_STATIC)) != SQLITE_OK ||
            (council__is_root(c) ? sqlite3_bind_null(st, 11)
                        : sqlite3_bind_blob(st, 11, c->actor_staff, COUNCIL_ID_BYTES, SQLITE_STATIC)) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_DONE)
            rc = council__db_err(c, op);
        sqlite3_finalize(st);
        if (rc == COUNCIL_OK)
            rc = share_sign(c, op, sqlite3_last_insert_rowid(c->db));
        /* Every key version the sharer holds, wrapped for the recipient. A
         * scope with no key yet gets its first here (for the coordinating
         * body and the owner), so that no key ever follows a share row. */
        if (rc == COUNCIL_OK)
            rc = council__key_latest(c, op, case_id, o->scopes[i], &latest);
        if (rc == COUNCIL_OK && latest == 0)
            rc = council__key_new(c, op, case_id, o->scopes[i], &latest, NULL);
        for (uint32_t v = 1; rc == COUNCIL_OK && v <= latest; v++) {
            council__secret key = { NULL, 0 };
            sqlite3_stmt *q = NULL;
            int qs = SQLITE_ERROR;
            if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM case_key WHERE case_id = ?1 AND scope = ?2 "
                                          "AND version = ?3;", -1, &q, NULL) == SQLITE_OK &&
                sqlite3_bind_blob(q, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) == SQLITE_OK &&
                sqlite3_bind_text(q, 2, o->scopes[i], -1, SQLITE_STATIC) == SQLITE_OK &&
                sqlite3_bind_int64(q, 3, v) == SQLITE_OK)
                qs = sqlite3_step(q);
            sqlite3_finalize(q);
            if (qs == SQLITE_DONE)
                continue; /* destroyed by a rekey */
            if (qs != SQLITE_ROW) {
                rc = council__db_err(c, op);
                break;
            }
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
    kase k;
    int rc;

    if (reason == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    reason->ptr = NULL;
    reason->len = 0;
    if ((rc = start(c, op)) != COUNCIL_OK || (rc = id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = id_arg(c, op, member_id, member_id_len)) != COUNCIL_OK)
        return rc;
    if (o == NULL || o->version != COUNCIL_SHARE_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if ((rc = scope_list_ok(c, op, o->scopes, o->n_scopes)) != COUNCIL_OK ||
        (rc = basis_ok(c, op, o)) != COUNCIL_OK || (rc = load_case(c, op, case_id, &k)) != COUNCIL_OK)
        return rc;
    if (!council__is_root(c) && !is_owner(c, &k))
        return council__fail(c, COUNCIL_EDENIED, "%s: only the secretariat or the owning member "
                             "may ask", op);
    /* What the real share checks besides the policy: the recipient (active,
     * keys, signed) and its scope ceiling. */
    {
        char ceiling[SHARE_SCOPES_MAX * (COUNCIL__AUDIT_CODE_MAX + 1) + 4];
        uint8_t pk[32];
        const char *why = NULL;
        rc = recipient(c, op, member_id, pk, ceiling, sizeof ceiling, &why);
        if (rc == COUNCIL_OK && council__member_key_check(c, op, member_id, pk) != COUNCIL_OK) {
            rc = COUNCIL_EAUTH;
            why = "recipient_key_unsigned";
        }
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
    if ((rc = decide_share(c, op, &k, member_id, o, NULL, &d, NULL)) != COUNCIL_OK)
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
    size_t n = 0;
    sqlite3_stmt *st = NULL;
    kase k;
    int rc, src;

    if ((rc = start(c, op)) != COUNCIL_OK || (rc = id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = id_arg(c, op, member_id, member_id_len)) != COUNCIL_OK)
        return rc;
    if (n_scopes > 0 && (rc = scope_list_ok(c, op, scopes, n_scopes)) != COUNCIL_OK)
        return rc;
    if (reason == NULL || !council__audit_code_ok(reason))
        return council__fail(c, COUNCIL_EINVAL, "%s: a reason is a code [a-z0-9_]{1,64}", op);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = load_case(c, op, case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (!council__is_root(c) && !is_owner(c, &k))
        return refuse(c, true, ACT(SHARE_REVOKED), &k, NULL, NULL, member_id, COUNCIL_EDENIED,
                      "not_owner", op, "only the secretariat or the owning member revokes a share");
    /* The active shares that match, by scope. */
    if (sqlite3_prepare_v2(c->db, "SELECT DISTINCT scope FROM case_share WHERE case_id = ?1 AND "
                                  "member_id = ?2 AND revoked IS NULL ORDER BY scope;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, member_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__finish(c, council__db_err(c, op));
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW && n < SHARE_SCOPES_MAX) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        bool want = n_scopes == 0;
        if (s != NULL && strlen(s) > COUNCIL__AUDIT_CODE_MAX)
            continue;
        if (s == NULL || !council__audit_code_ok(s))
            continue;
        for (size_t i = 0; i < n_scopes && !want; i++)
            want = strcmp(scopes[i], s) == 0;
        if (want) {
            strcpy(sc[n], s);
            revoked[n] = sc[n];
            n++;
        }
    }
    sqlite3_finalize(st);
    if (src != SQLITE_DONE && src != SQLITE_ROW)
        return council__finish(c, council__db_err(c, op));
    if (n == 0)
        return council__finish(c, council__fail(c, COUNCIL_ENOTFOUND, "%s: no active share "
                                                "matches", op));
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        uint32_t latest = 0;
        /* The recipient's wrapped keys go, and the scope's key rotates. */
        rc = end_share(c, op, &k, member_id, revoked[i], reason);
        if (rc == COUNCIL_OK)
            rc = council__key_latest(c, op, case_id, revoked[i], &latest);
        if (rc == COUNCIL_OK && latest > 0)
            rc = council__key_new(c, op, case_id, revoked[i], NULL, NULL);
    }
    if (rc == COUNCIL_OK)
        rc = log_ok(c, ACT(SHARE_REVOKED), &k, revoked, n, NULL, member_id, reason);
    if (rc == COUNCIL_OK)
        rc = log_ok(c, ACT(KEY_ROTATED), &k, revoked, n, NULL, member_id, "share_revoked");
    return council__finish(c, rc);
}

/* ----------------------------------------------------------------- erasure */

int council_case_erase(council *c, const uint8_t *case_id, size_t case_id_len, const char *reason)
{
    static const char op[] = "case_erase";
    static const char *const wipe[] = {
        "DELETE FROM section WHERE case_id = ?1;",
        "DELETE FROM key_wrap WHERE case_id = ?1;",
        "DELETE FROM case_key WHERE case_id = ?1;",
        "DELETE FROM blind_index WHERE case_id = ?1;",
        "DELETE FROM person WHERE case_id = ?1;",
        "UPDATE case_share SET basis_reason = NULL WHERE case_id = ?1;",
    };
    sqlite3_stmt *st = NULL;
    kase k;
    int rc;

    if ((rc = council__root_only(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK ||
        (rc = id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK)
        return rc;
    if (reason == NULL || !council__audit_code_ok(reason))
        return council__fail(c, COUNCIL_EINVAL, "%s: a reason is a code [a-z0-9_]{1,64}", op);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = load_case(c, op, case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (k.erased != 0)
        return council__finish(c, council__fail(c, COUNCIL_EDENIED, "%s: erased already", op));
    for (size_t i = 0; rc == COUNCIL_OK && i < sizeof wipe / sizeof wipe[0]; i++)
        rc = council__sql_exec1(c, op, wipe[i], case_id, COUNCIL_ID_BYTES, NULL, 0);
    if (rc == COUNCIL_OK)
        rc = council__consent_erase(c, op, case_id);
    if (rc == COUNCIL_OK &&
        (sqlite3_prepare_v2(c->db, "UPDATE case_share SET revoked = ?2, sig = NULL, revoke_reason = "
                                   "'case_erased' WHERE case_id = ?1 AND revoked IS NULL;", -1,
                            &st, NULL) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    st = NULL;
    if (rc == COUNCIL_OK &&
        (sqlite3_prepare_v2(c->db, "UPDATE case_record SET status = ?2, erased = ?3, updated = ?3 "
                                   "WHERE id = ?1;", -1, &st, NULL) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_int(st, 2, COUNCIL__V1__CASE_STATUS__CASE_STATUS_ERASED) != SQLITE_OK ||
         sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc == COUNCIL_OK)
        rc = log_ok(c, ACT(CASE_ERASED), &k, NULL, 0, NULL, NULL, reason);
    rc = council__finish(c, rc);
    /* Old page images of the rows (and their wrapped keys) leave the
     * write-ahead log; secure_delete has zeroed the freed pages. */
    if (rc == COUNCIL_OK &&
        sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) != SQLITE_OK)
        rc = council__fail(c, COUNCIL_EIO, "%s: erased, but the write-ahead log could not be "
                           "truncated yet (another connection reads); it will be at the next "
                           "checkpoint", op);
    return rc;
}

/* ----------------------------------------------------------------- finding */

int council_case_find(council *c, council_buf *out, const char *name, const char *birth_date)
{
    static const char op[] = "case_find";
    Council__V1__CaseMatches res = COUNCIL__V1__CASE_MATCHES__INIT;
    Council__V1__CaseMatch *items = NULL, **ptrs = NULL;
    uint32_t nt = 0, bt = 0;
    sqlite3_stmt *st = NULL;
    size_t n = 0, cap = 0;
    int rc, src;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = start(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (name == NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: a name is needed (a birth date only narrows "
                             "the search)", op);
    if (birth_date != NULL && !council__date_ok(birth_date))
        return council__fail(c, COUNCIL_EINVAL, "%s: a birth date is YYYY-MM-DD", op);
    {
        bool set = false, bset = true;
        if ((rc = name_token(c, name, NULL, &nt, &set)) != COUNCIL_OK ||
            (birth_date != NULL && (rc = name_token(c, name, birth_date, &bt, &bset)) != COUNCIL_OK))
            return rc;
        if (!set || !bset)
            return council__fail(c, COUNCIL_EINVAL, "%s: the name is empty, too long or not "
                                 "UTF-8", op);
    }
    /* Log first: the lookup itself is an access. No name or date is logged. */
    {
        council__event ev = {
            .action = ACT(CASE_SEARCHED),
            .outcome = ALLOWED,
            .reason = birth_date != NULL ? "name_and_birth_date" : "name",
        };
        council__event_actor(c, &ev);
        if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK)
            return rc;
    }
    if (sqlite3_prepare_v2(c->db,
                           "SELECT p.id, p.case_id, r.owner, "
                           " EXISTS (SELECT 1 FROM blind_index WHERE kind = 1 AND token = ?1 AND person_id = p.id), "
                           " EXISTS (SELECT 1 FROM blind_index WHERE kind = 3 AND token = ?2 AND person_id = p.id) "
                           "FROM person p JOIN case_record r ON r.id = p.case_id WHERE p.id IN "
                           "(SELECT person_id FROM blind_index WHERE (?3 AND kind = 1 AND token = ?1) "
                           " OR (?4 AND kind = 3 AND token = ?2)) ORDER BY r.seq, p.seq;",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, nt) != SQLITE_OK || sqlite3_bind_int64(st, 2, bt) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, name != NULL) != SQLITE_OK ||
        sqlite3_bind_int(st, 4, birth_date != NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        bool nm = sqlite3_column_int(st, 3) != 0, bm = sqlite3_column_int(st, 4) != 0;
        if (!nm || (birth_date != NULL && !bm))
            continue; /* both given: both must match */
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES ||
            sqlite3_column_bytes(st, 1) != COUNCIL_ID_BYTES ||
            sqlite3_column_bytes(st, 2) != COUNCIL_ID_BYTES)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            Council__V1__CaseMatch *ni = council__calloc(ncap, sizeof *ni);
            if (ni == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
                break;
            }
            if (n > 0)
                memcpy(ni, items, n * sizeof *ni);
            council__free(items);
            items = ni;
            cap = ncap;
        }
        Council__V1__CaseMatch *m = &items[n++];
        council__v1__case_match__init(m);
        /* Pointers into a copy kept in the match itself would dangle after
         * the step; copy the ids into one block after the loop instead. */
        uint8_t *ids = council__malloc(3 * COUNCIL_ID_BYTES);
        if (ids == NULL) {
            n--;
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
        memcpy(ids, sqlite3_column_blob(st, 1), COUNCIL_ID_BYTES);
        memcpy(ids + 16, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        memcpy(ids + 32, sqlite3_column_blob(st, 2), COUNCIL_ID_BYTES);
        m->case_id.data = ids;
        m->case_id.len = COUNCIL_ID_BYTES;
        m->person_id.data = ids + 16;
        m->person_id.len = COUNCIL_ID_BYTES;
        m->owner_member.data = ids + 32;
        m->owner_member.len = COUNCIL_ID_BYTES;
        m->name_matches = nm;
        m->birth_date_matches = bm;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    if (rc == COUNCIL_OK && n > 0 && (ptrs = council__calloc(n, sizeof *ptrs)) == NULL)
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    if (rc == COUNCIL_OK) {
        obuf b = { NULL, 0, 0, false };
        for (size_t i = 0; i < n; i++)
            ptrs[i] = &items[i];
        res.matches = ptrs;
        res.n_matches = n;
        ob_message(&b, &res.base);
        rc = ob_out(c, op, &b, out);
    }
    for (size_t i = 0; i < n; i++)
        council__free(items[i].case_id.data);
    council__free(items);
    council__free(ptrs);
    if (rc == COUNCIL_OK)
        council__clear(c);
    return rc;
}

/* ----------------------------------------------------------------- rekey */

int council_case_rekey(council *c, const uint8_t *case_id, size_t case_id_len)
{
    static const char op[] = "case_rekey";
    char sc[COUNCIL__AUDIT_SCOPES_MAX][COUNCIL__AUDIT_CODE_MAX + 1];
    const char *scopes[COUNCIL__AUDIT_SCOPES_MAX];
    size_t n = 0;
    sqlite3_stmt *st = NULL;
    kase k;
    int rc, src;

    if ((rc = council__root_only(c, op)) != COUNCIL_OK || (rc = id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = load_case(c, op, case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (k.erased != 0)
        return council__finish(c, council__fail(c, COUNCIL_EDENIED, "%s: the case was erased", op));
    if (sqlite3_prepare_v2(c->db, "SELECT DISTINCT scope FROM case_key WHERE case_id = ?1 ORDER "
                                  "BY scope;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__finish(c, council__db_err(c, op));
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW && n < COUNCIL__AUDIT_SCOPES_MAX) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        if (s != NULL && council__audit_code_ok(s)) {
            strcpy(sc[n], s);
            scopes[n] = sc[n];
            n++;
        }
    }
    sqlite3_finalize(st);
    if (src != SQLITE_DONE) /* the catalogue holds at most 32 scopes */
        return council__finish(c, council__db_err(c, op));
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        council__secret nkey = { NULL, 0 };
        keycache kc = { "", 0, { NULL, 0 } };
        uint32_t nv = 0;

        if ((rc = council__key_new(c, op, case_id, scopes[i], &nv, &nkey)) != COUNCIL_OK)
            break;
        st = NULL;
        if (sqlite3_prepare_v2(c->db, "SELECT person_id, version, key_version, nonce, ct FROM "
                                      "section WHERE case_id = ?1 AND scope = ?2 AND key_version "
                                      "< ?3;", -1, &st, NULL) != SQLITE_OK ||
            sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 2, scopes[i], -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int64(st, 3, nv) != SQLITE_OK)
            rc = council__db_err(c, op);
        while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
            uint8_t person[COUNCIL_ID_BYTES], nonce[COUNCIL__NONCE_BYTES], *pt = NULL, *ct = NULL;
            uint32_t rv = (uint32_t)sqlite3_column_int64(st, 1);
            uint32_t kv = (uint32_t)sqlite3_column_int64(st, 2);
            size_t len = 0, ct_len = 0;
            sqlite3_stmt *up = NULL;

            if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES) {
                rc = council__fail(c, COUNCIL_EAUTH, "%s: a stored section is damaged", op);
                break;
            }
            memcpy(person, sqlite3_column_blob(st, 0), sizeof person);
            if ((rc = kc_get(c, op, &kc, case_id, scopes[i], kv)) != COUNCIL_OK ||
                (rc = open_section(c, op, case_id, person, scopes[i], kv, rv, &kc.key,
                                   sqlite3_column_blob(st, 3), (size_t)sqlite3_column_bytes(st, 3),
                                   sqlite3_column_blob(st, 4), (size_t)sqlite3_column_bytes(st, 4),
                                   &pt, &len)) != COUNCIL_OK)
                break;
            rc = seal_section(c, op, case_id, person, scopes[i], nv, rv, &nkey, pt, len, nonce,
                              &ct, &ct_len);
            sodium_memzero(pt, len);
            council__free(pt);
            if (rc == COUNCIL_OK &&
                (sqlite3_prepare_v2(c->db, "UPDATE section SET key_version = ?5, nonce = ?6, ct = ?7 "
                                           "WHERE case_id = ?1 AND person_id = ?2 AND scope = ?3 "
                                           "AND version = ?4;", -1, &up, NULL) != SQLITE_OK ||
                 sqlite3_bind_blob(up, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
                 sqlite3_bind_blob(up, 2, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
                 sqlite3_bind_text(up, 3, scopes[i], -1, SQLITE_STATIC) != SQLITE_OK ||
                 sqlite3_bind_int64(up, 4, rv) != SQLITE_OK || sqlite3_bind_int64(up, 5, nv) != SQLITE_OK ||
                 sqlite3_bind_blob(up, 6, nonce, sizeof nonce, SQLITE_STATIC) != SQLITE_OK ||
                 sqlite3_bind_blob(up, 7, ct, (int)ct_len, SQLITE_STATIC) != SQLITE_OK ||
                 sqlite3_step(up) != SQLITE_DONE))
                rc = council__db_err(c, op);
            sqlite3_finalize(up);
            council__free(ct);
        }
        if (rc == COUNCIL_OK && src != SQLITE_DONE)
            rc = council__db_err(c, op);
        sqlite3_finalize(st);
        kc_free(&kc);
        council__secret_free(&nkey);
        /* The older keys and every wrapped copy of them are destroyed. */
        for (int j = 0; rc == COUNCIL_OK && j < 2; j++) {
            st = NULL;
            if (sqlite3_prepare_v2(c->db, j == 0 ? "DELETE FROM key_wrap WHERE case_id = ?1 AND "
                                                   "scope = ?2 AND version < ?3;"
                                                 : "DELETE FROM case_key WHERE case_id = ?1 AND "
                                                   "scope = ?2 AND version < ?3;", -1, &st,
                                   NULL) != SQLITE_OK ||
                sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
                sqlite3_bind_text(st, 2, scopes[i], -1, SQLITE_STATIC) != SQLITE_OK ||
                sqlite3_bind_int64(st, 3, nv) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
                rc = council__db_err(c, op);
            sqlite3_finalize(st);
        }
    }
    if (rc == COUNCIL_OK)
        rc = log_ok(c, ACT(KEY_ROTATED), &k, scopes, n, NULL, NULL, "case_rekeyed");
    return council__finish(c, rc);
}

/* --- added by H-KEY for issue 11 --- */
int council__person_in_case(council *c, const char *op, const uint8_t person[COUNCIL_ID_BYTES],
                            const uint8_t case_id[COUNCIL_ID_BYTES], bool *yes)
{
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM person WHERE id = ?1 AND case_id = ?2;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    return council__row_exists(c, op, st, yes);
}
