/*
 * audit.c - the audit log (log layer): append (log first, then act), the
 * node store, the signer's head, checkpoints, proofs, cosignatures, and
 * the import of journaled refusals. Listing and export are audit_export.c;
 * the log-first transaction is batch.c; verifying exports, checkpoints and
 * proofs with the public key alone, and the witness step, are verify.c.
 *
 * Tables: audit_event, audit_node, audit_checkpoint. Setting (through
 * store.c): log_head_kept.
 *
 * Events are stored as their canonical bytes (proto/council/v1/audit.proto)
 * beside the perfect subtree hashes of the RFC 9162 tree (merkle.c), so an
 * append costs O(log n) hashing and a proof O(log n) node reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "audit.h"
#include "batch.h"
#include "crypto.h"
#include "journal.h"
#include "keyring.h"
#include "merkle.h"
#include "note.h"
#include "session.h"
#include "store.h"

/* ------------------------------------------------------------ node store */

/* A statement prepared once per handle (finalized by council__store_close). */
static sqlite3_stmt *prepared(council *c, sqlite3_stmt **slot, const char *sql)
{
    if (*slot == NULL &&
        sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK)
        *slot = NULL;
    return *slot;
}

static int node_get(void *ctx, uint32_t level, uint64_t index, uint8_t out[COUNCIL_HASH_BYTES])
{
    council *c = ctx;
    sqlite3_stmt *st = prepared(c, &c->st_node_get,
                                "SELECT hash FROM audit_node WHERE level = ? AND idx = ?;");
    int src;

    if (st == NULL)
        return COUNCIL_EIO;
    sqlite3_bind_int64(st, 1, level);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)index);
    src = sqlite3_step(st);
    if (src == SQLITE_ROW && sqlite3_column_bytes(st, 0) == COUNCIL_HASH_BYTES) {
        memcpy(out, sqlite3_column_blob(st, 0), COUNCIL_HASH_BYTES);
        sqlite3_reset(st);
        return COUNCIL_OK;
    }
    sqlite3_reset(st);
    return src == SQLITE_DONE ? COUNCIL_ENOTFOUND : COUNCIL_EIO;
}

static int node_put(void *ctx, uint32_t level, uint64_t index, const uint8_t hash[COUNCIL_HASH_BYTES])
{
    council *c = ctx;
    sqlite3_stmt *st = prepared(c, &c->st_node_put,
                                "INSERT INTO audit_node (level, idx, hash) VALUES (?, ?, ?);");
    int src;

    if (st == NULL)
        return COUNCIL_EIO;
    sqlite3_bind_int64(st, 1, level);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)index);
    sqlite3_bind_blob(st, 3, hash, COUNCIL_HASH_BYTES, SQLITE_STATIC);
    src = sqlite3_step(st);
    sqlite3_reset(st);
    return src == SQLITE_DONE ? COUNCIL_OK : COUNCIL_EIO;
}

void council__audit_nodes(council *c, council__nodes *ns)
{
    ns->ctx = c;
    ns->get = node_get;
    ns->put = node_put;
    ns->reads = 0;
}

/* ---------------------------------------------------------------- helpers */

static int sql_int(council *c, const char *sql, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_EIO;

    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = COUNCIL_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

int council__audit_size(council *c, uint64_t *out)
{
    int64_t n = 0;

    if (sql_int(c, "SELECT coalesce(max(seq) + 1, 0) FROM audit_event;", &n) != COUNCIL_OK)
        return council__fail(c, COUNCIL_EIO, "audit: cannot read the log size");
    *out = (uint64_t)n;
    return COUNCIL_OK;
}

static _Thread_local long audit_fault = -1;

void council__audit_fault_after(long n)
{
    audit_fault = n;
}

int council__case_ref(council *c, uint8_t out[32], const uint8_t case_id[COUNCIL_ID_BYTES])
{
    static const char label[] = "council/case-ref/v1";
    crypto_generichash_state h;

    /* The pseudonym key is one of the council's stored secrets (its first
     * value was subkey "cncl-psn" of the first root key), so pseudonyms stay
     * the same when the root key is replaced. */
    if (c->psn.p == NULL || c->psn.len != COUNCIL__KEY_BYTES)
        return council__fail(c, COUNCIL_EUNSUPPORTED, "case: the secretariat has not yet "
                             "provided this session's keys (open the store as the secretariat)");
    council__secret_read(&c->psn);
    crypto_generichash_init(&h, c->psn.p, c->psn.len, 32);
    council__secret_lock(&c->psn);
    crypto_generichash_update(&h, (const uint8_t *)label, sizeof label);
    crypto_generichash_update(&h, case_id, COUNCIL_ID_BYTES);
    crypto_generichash_final(&h, out, 32);
    sodium_memzero(&h, sizeof h);
    return COUNCIL_OK;
}

static int scope_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ----------------------------------------------------------------- append */

/* The previous event's time and leaf hash (n > 0). */
static int last_event(council *c, uint64_t n, int64_t *time_out, uint8_t leaf[COUNCIL_HASH_BYTES])
{
    sqlite3_stmt *st = NULL;
    council__nodes ns;
    int rc = COUNCIL_EIO;

    if (sqlite3_prepare_v2(c->db, "SELECT time FROM audit_event WHERE seq = ?;", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_bind_int64(st, 1, (sqlite3_int64)(n - 1)) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        *time_out = sqlite3_column_int64(st, 0);
        rc = COUNCIL_OK;
    }
    sqlite3_finalize(st);
    if (rc != COUNCIL_OK)
        return rc;
    council__audit_nodes(c, &ns);
    return ns.get(ns.ctx, 0, n - 1, leaf);
}

static int append_in_txn(council *c, const council__event *ev)
{
    Council__V1__AuditEvent m = COUNCIL__V1__AUDIT_EVENT__INIT;
    const char *scopes[COUNCIL__AUDIT_SCOPES_MAX];
    uint8_t prev[COUNCIL_HASH_BYTES], leaf[COUNCIL_HASH_BYTES];
    uint8_t body[4096];
    sqlite3_stmt *st;
    council__nodes ns;
    uint64_t n = 0;
    int64_t now = (int64_t)time(NULL), last_time = 0;
    size_t len;
    int rc;

    if (c->tip_valid) {
        n = c->tip_size;
        last_time = c->tip_time;
        memcpy(prev, c->tip_leaf, sizeof prev);
    } else {
        if ((rc = council__audit_size(c, &n)) != COUNCIL_OK)
            return rc;
        if (n > 0 && (rc = last_event(c, n, &last_time, prev)) != COUNCIL_OK)
            return council__fail(c, rc, "audit: cannot read event %llu",
                                 (unsigned long long)(n - 1));
    }
    for (size_t i = 0; i < ev->n_scopes; i++)
        scopes[i] = ev->scopes[i];
    qsort(scopes, ev->n_scopes, sizeof scopes[0], scope_cmp);
    for (size_t i = 1; i < ev->n_scopes; i++)
        if (strcmp(scopes[i - 1], scopes[i]) == 0)
            return council__fail(c, COUNCIL_EINVAL, "audit: scope listed twice");

    m.seq = n;
    m.time = now > last_time ? now : last_time; /* never backwards */
    m.action = (Council__V1__AuditAction)ev->action;
    m.actor_kind = (Council__V1__AuditActorKind)ev->actor_kind;
    m.has_actor_member = ev->actor_member != NULL;
    m.actor_member.data = (uint8_t *)(uintptr_t)ev->actor_member;
    m.actor_member.len = ev->actor_member != NULL ? COUNCIL_ID_BYTES : 0;
    m.has_actor_staff = ev->actor_staff != NULL;
    m.actor_staff.data = (uint8_t *)(uintptr_t)ev->actor_staff;
    m.actor_staff.len = ev->actor_staff != NULL ? COUNCIL_ID_BYTES : 0;
    m.has_subject_member = ev->subject_member != NULL;
    m.subject_member.data = (uint8_t *)(uintptr_t)ev->subject_member;
    m.subject_member.len = ev->subject_member != NULL ? COUNCIL_ID_BYTES : 0;
    m.has_subject_staff = ev->subject_staff != NULL;
    m.subject_staff.data = (uint8_t *)(uintptr_t)ev->subject_staff;
    m.subject_staff.len = ev->subject_staff != NULL ? COUNCIL_ID_BYTES : 0;
    m.has_case_ref = ev->case_ref != NULL;
    m.case_ref.data = (uint8_t *)(uintptr_t)ev->case_ref;
    m.case_ref.len = ev->case_ref != NULL ? 32 : 0;
    m.n_scopes = ev->n_scopes;
    m.scopes = (char **)(uintptr_t)scopes;
    m.purpose = (char *)(uintptr_t)ev->purpose;
    m.basis = (char *)(uintptr_t)ev->basis;
    m.has_consent_id = ev->consent_id != NULL;
    m.consent_id.data = (uint8_t *)(uintptr_t)ev->consent_id;
    m.consent_id.len = ev->consent_id != NULL ? COUNCIL_ID_BYTES : 0;
    m.outcome = (Council__V1__AuditOutcome)ev->outcome;
    m.has_error = ev->outcome == COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED;
    m.error = ev->error;
    m.reason = (char *)(uintptr_t)ev->reason;
    m.has_prev_hash = n > 0;
    m.prev_hash.data = prev;
    m.prev_hash.len = n > 0 ? COUNCIL_HASH_BYTES : 0;

    len = council__v1__audit_event__get_packed_size(&m);
    if (len > sizeof body)
        return council__fail(c, COUNCIL_ELIMIT, "audit: event of %zu bytes", len);
    (void)council__v1__audit_event__pack(&m, body);
    council__merkle_leaf(leaf, body, len);

    st = prepared(c, &c->st_event_put, "INSERT INTO audit_event (seq, time, action, "
                                       "actor_member, case_ref, body) VALUES (?, ?, ?, ?, ?, ?);");
    if (st == NULL)
        return council__fail(c, COUNCIL_EIO, "audit: cannot prepare the event insert");
    if (sqlite3_bind_int64(st, 1, (sqlite3_int64)n) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, m.time) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, ev->action) != SQLITE_OK ||
        (ev->actor_member != NULL
             ? sqlite3_bind_blob(st, 4, ev->actor_member, COUNCIL_ID_BYTES, SQLITE_STATIC)
             : sqlite3_bind_null(st, 4)) != SQLITE_OK ||
        (ev->case_ref != NULL ? sqlite3_bind_blob(st, 5, ev->case_ref, 32, SQLITE_STATIC)
                              : sqlite3_bind_null(st, 5)) != SQLITE_OK ||
        sqlite3_bind_blob(st, 6, body, (int)len, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return council__fail(c, COUNCIL_EIO, "audit: cannot store event %llu",
                             (unsigned long long)n);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st); /* the bound blobs were on this stack */
    council__audit_nodes(c, &ns);
    rc = council__merkle_append(&ns, n, leaf);
    if (rc != COUNCIL_OK)
        return council__fail(c, COUNCIL_EIO, "audit: cannot store the tree at event %llu",
                             (unsigned long long)n);
    /* Inside the caller's transaction, the next append starts here. */
    c->tip_valid = true;
    c->tip_size = n + 1;
    c->tip_time = m.time;
    memcpy(c->tip_leaf, leaf, sizeof leaf);
    return COUNCIL_OK;
}

static bool event_ok(const council__event *ev)
{
    if (ev->action <= 0 ||
        protobuf_c_enum_descriptor_get_value(&council__v1__audit_action__descriptor,
                                             ev->action) == NULL ||
        ev->actor_kind <= 0 || ev->actor_kind > COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF ||
        ev->outcome <= 0 || ev->outcome > COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED ||
        ev->n_scopes > COUNCIL__AUDIT_SCOPES_MAX || (ev->n_scopes > 0 && ev->scopes == NULL))
        return false;
    for (size_t i = 0; i < ev->n_scopes; i++)
        if (!council__audit_code_ok(ev->scopes[i]))
            return false;
    return (ev->purpose == NULL || council__audit_code_ok(ev->purpose)) &&
           (ev->basis == NULL || council__audit_code_ok(ev->basis)) &&
           (ev->reason == NULL || council__audit_code_ok(ev->reason));
}

int council__audit_append(council *c, const council__event *ev)
{
    bool own = sqlite3_get_autocommit(c->db) != 0;
    int rc;

    if (!event_ok(ev))
        return council__fail(c, COUNCIL_EINVAL, "audit: malformed event (action %d)", ev->action);
    if (audit_fault == 0)
        return council__fail(c, COUNCIL_EIO, "audit: append failed (injected)");
    if (audit_fault > 0)
        audit_fault--;
    if (own && (rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    rc = append_in_txn(c, ev);
    if (rc != COUNCIL_OK)
        c->tip_valid = false;
    if (!own)
        return rc; /* the batch's owner commits or rolls back */
    if (rc != COUNCIL_OK) {
        council__audit_batch_rollback(c);
        return rc;
    }
    return council__audit_batch_commit(c);
}

int council__audit_subject(council *c, int action, const uint8_t *member, const uint8_t *staff,
                           const char *reason)
{
    const council__event ev = {
        .action = action,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
        .subject_member = member,
        .subject_staff = staff,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
        .reason = reason,
    };

    return council__audit_append(c, &ev);
}

int council__audit_then(council *c, const council__event *ev,
                        int (*act)(council *c, void *ctx), void *ctx)
{
    int rc = council__audit_append(c, ev);

    if (rc != COUNCIL_OK)
        return rc; /* fail closed: act never runs */
    return act(c, ctx);
}

/* ------------------------------------------------------------ signer head */

/*
 * The signer's head: the size and perfect subtree hashes (a frontier) of
 * the last tree a secretariat session saw and found consistent, signed with
 * the log key and kept in the keyring, not in council.db. A checkpoint is
 * signed only for a tree that extends it: the new root is computed from
 * the kept frontier and the event bytes after it, never from the stored
 * tree nodes alone, and must equal the stored tree's root. So whoever holds
 * the database key can neither drop events the signer has seen nor slip a
 * tree of its own under the signature. Rolling back council.db and
 * council.keyring together is caught only by a kept checkpoint or a witness.
 */

static const char head_label[] = "council/log-head/v1"; /* NUL included */

static size_t head_msg(uint8_t *m, const council *c, const uint8_t *bytes, size_t len)
{
    uint8_t *p = council__put_bytes(m, head_label, sizeof head_label);

    p = council__put_bytes(p, c->council_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, bytes, len);
    return (size_t)(p - m);
}

static uint32_t peaks_of(uint64_t size)
{
    uint32_t n = 0;

    for (; size != 0; size &= size - 1)
        n++;
    return n;
}

/* kr's head into *f, its signature checked: ENOTFOUND when none is kept,
 * ETAMPER when the signature fails. */
static int head_decode(council *c, const council__keyring *kr, council__frontier *f)
{
    uint8_t m[sizeof head_label + COUNCIL_ID_BYTES + COUNCIL__LOG_HEAD_MAX];
    size_t body, n;
    uint64_t size = 0;

    council__frontier_init(f);
    if (kr->log_head_len == 0)
        return COUNCIL_ENOTFOUND;
    if (kr->log_head_len < 8 + 64 || kr->log_head_len > COUNCIL__LOG_HEAD_MAX)
        return council__fail(c, COUNCIL_ETAMPER, "audit: the keyring's log head is malformed");
    for (size_t i = 0; i < 8; i++)
        size = (size << 8) | kr->log_head[i];
    n = peaks_of(size);
    body = kr->log_head_len - 64;
    if (body != 8 + n * COUNCIL_HASH_BYTES ||
        crypto_sign_verify_detached(kr->log_head + body, m, head_msg(m, c, kr->log_head, body),
                                    c->log_pk) != 0)
        return council__fail(c, COUNCIL_ETAMPER, "audit: the keyring's log head is not signed by "
                             "the council's log key (council.keyring was edited)");
    for (size_t i = 0; i < n; i++)
        memcpy(f->peak[i], kr->log_head + 8 + i * COUNCIL_HASH_BYTES, COUNCIL_HASH_BYTES);
    f->size = size;
    return COUNCIL_OK;
}

/* f as a signed head into kr (a root session: it holds the log key). */
static int head_encode(council *c, council__keyring *kr, const council__frontier *f)
{
    uint8_t m[sizeof head_label + COUNCIL_ID_BYTES + COUNCIL__LOG_HEAD_MAX];
    size_t n = peaks_of(f->size), body = 8 + n * COUNCIL_HASH_BYTES;
    int rc;

    if (c->log_sk.p == NULL || c->log_sk.len != crypto_sign_SECRETKEYBYTES)
        return council__fail(c, COUNCIL_EDENIED, "audit: only the secretariat keeps the log head");
    council__put_u64(kr->log_head, f->size);
    for (size_t i = 0; i < n; i++)
        memcpy(kr->log_head + 8 + i * COUNCIL_HASH_BYTES, f->peak[i], COUNCIL_HASH_BYTES);
    council__secret_read(&c->log_sk);
    rc = crypto_sign_detached(kr->log_head + body, NULL, m, head_msg(m, c, kr->log_head, body),
                              c->log_sk.p);
    council__secret_lock(&c->log_sk);
    if (rc != 0)
        return council__fail(c, COUNCIL_ERROR, "audit: cannot sign the log head");
    kr->log_head_len = body + 64;
    return COUNCIL_OK;
}

/* A keyring from before the head: the log key is wrapped again, now with
 * the mark that a head is kept (keyring.c), so that dropping the head from
 * the file is not taken for a store from before (which the secretariat's
 * session would sign as found). */
static int head_mark(council *c, council__keyring *kr)
{
    council__secret sk = { NULL, 0 };
    int rc;

    if (c->log_headed)
        return COUNCIL_OK;
    if (c->root.p == NULL || c->log_sk.p == NULL)
        return council__fail(c, COUNCIL_EDENIED, "audit: only the secretariat keeps the log head");
    /* Only over a wrap this session's root key opens (another session may
     * have replaced the root key since): it also says whether the mark is
     * there already. */
    if ((rc = council__secret_alloc(&sk, COUNCIL__SIGN_SK_BYTES)) != COUNCIL_OK)
        return council__fail(c, rc, "audit: out of secure memory");
    rc = council__keyring_unwrap_log(c, kr, &c->root, &sk);
    council__secret_free(&sk);
    if (rc == COUNCIL_ENOMEM)
        return rc;
    if (rc != COUNCIL_OK) {
        council__clear(c);
        return COUNCIL_OK;
    }
    if (c->log_headed)
        return COUNCIL_OK;
    if ((rc = council__keyring_wrap_log(c, kr, &c->root, &c->log_sk)) == COUNCIL_OK)
        c->log_headed = true;
    return rc;
}

static int head_store_fn(council *c, council__keyring *kr, void *ctx)
{
    const council__frontier *f = ctx;
    council__frontier old;
    int rc = head_decode(c, kr, &old);

    /* Never backwards: a concurrent session may have kept a later head. */
    if (rc == COUNCIL_OK && old.size >= f->size)
        return head_mark(c, kr);
    council__clear(c);
    rc = head_encode(c, kr, f);
    return rc == COUNCIL_OK ? head_mark(c, kr) : rc;
}

static int head_replace_fn(council *c, council__keyring *kr, void *ctx)
{
    int rc = head_encode(c, kr, ctx);

    return rc == COUNCIL_OK ? head_mark(c, kr) : rc;
}

/* Fold the events from f->size on into f, each leaf computed from the
 * event's own bytes and matched against the stored tree, up to n events;
 * the stored tree's root at n must then be the frontier's. ETAMPER with the
 * reason in *why: an event missing, edited or moved, or the tree rewritten. */
static int fold_events(council *c, council__frontier *f, uint64_t n, const char **why)
{
    uint8_t have[COUNCIL_HASH_BYTES], want[COUNCIL_HASH_BYTES];
    uint64_t from = f->size;
    sqlite3_stmt *st = NULL;
    council__nodes ns;
    int src;

    council__audit_nodes(c, &ns);
    if (sqlite3_prepare_v2(c->db, "SELECT seq, body FROM audit_event WHERE seq >= ?1 ORDER BY seq;",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, (sqlite3_int64)from) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__fail(c, COUNCIL_EIO, "audit: database error");
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t leaf[COUNCIL_HASH_BYTES];
        const void *body = sqlite3_column_blob(st, 1);
        int len = sqlite3_column_bytes(st, 1);
        if ((uint64_t)sqlite3_column_int64(st, 0) != f->size || len <= 0 || body == NULL) {
            src = SQLITE_CONSTRAINT;
            break;
        }
        council__merkle_leaf(leaf, body, (size_t)len);
        if (ns.get(ns.ctx, 0, f->size, have) != COUNCIL_OK || sodium_memcmp(have, leaf, 32) != 0) {
            src = SQLITE_MISMATCH;
            break;
        }
        council__frontier_push(f, leaf);
    }
    sqlite3_finalize(st);
    if (src == SQLITE_MISMATCH) {
        *why = "log_event_edited";
        return council__fail(c, COUNCIL_ETAMPER, "audit: event %llu does not match the stored "
                             "tree (it was edited, moved or replaced)", (unsigned long long)f->size);
    }
    if (src == SQLITE_CONSTRAINT || f->size != n) {
        *why = "log_events_deleted";
        return council__fail(c, COUNCIL_ETAMPER, "audit: event %llu is missing from the log",
                             (unsigned long long)f->size);
    }
    if (src != SQLITE_DONE)
        return council__fail(c, COUNCIL_EIO, "audit: database error");
    council__frontier_root(f, want);
    if (council__merkle_root(&ns, n, have) != COUNCIL_OK || sodium_memcmp(have, want, 32) != 0) {
        *why = "log_tree_mismatch";
        return council__fail(c, COUNCIL_ETAMPER, "audit: the stored tree does not match the "
                             "events after event %llu (the tree was rewritten)",
                             (unsigned long long)from);
    }
    return COUNCIL_OK;
}

/* The log as the signer last kept it, extended to the store's current
 * size from the event bytes: *f receives the new frontier. ETAMPER when
 * the store's log does not extend the kept head (events dropped, the tree
 * rewritten, or council.db rolled back), with a message saying which;
 * *why receives a reason code for the event that records it. `full` also
 * checks that every event below the head is still there. */
static int head_extend(council *c, council__frontier *f, bool full, const char **why)
{
    council__keyring *kr = council__malloc(sizeof *kr);
    uint8_t have[COUNCIL_HASH_BYTES], want[COUNCIL_HASH_BYTES];
    council__nodes ns;
    uint64_t n = 0, kept;
    int64_t count = 0;
    int rc;

    *why = NULL;
    if (kr == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "audit: out of memory");
    rc = council__keyring_load(c, kr, c->dir);
    if (rc == COUNCIL_OK) {
        rc = head_decode(c, kr, f);
        if (rc == COUNCIL_ENOTFOUND) {
            bool kept_flag = false;
            council__clear(c);
            rc = council__audit_head_kept(c, &kept_flag);
            if (rc == COUNCIL_OK && (kept_flag || c->log_headed)) {
                *why = "log_head_missing";
                rc = council__fail(c, COUNCIL_ETAMPER, "audit: the keyring has lost the log head "
                                   "the signer kept (council.keyring was replaced by an older "
                                   "copy?): compare the log with a kept checkpoint or a witness");
            }
        } else if (rc == COUNCIL_ETAMPER)
            *why = "log_head_forged";
    }
    sodium_memzero(kr, sizeof *kr);
    council__free(kr);
    if (rc != COUNCIL_OK)
        return rc;
    kept = f->size;
    if ((rc = council__audit_size(c, &n)) != COUNCIL_OK)
        return rc;
    if (n < kept) {
        *why = "log_behind_head";
        return council__fail(c, COUNCIL_ETAMPER, "audit: the log holds %llu events, fewer than the "
                             "%llu the council's signer has seen: events were deleted or "
                             "council.db was rolled back (restore it, and compare with a kept "
                             "checkpoint or a witness)", (unsigned long long)n,
                             (unsigned long long)kept);
    }
    council__audit_nodes(c, &ns);
    if (kept > 0) {
        council__frontier_root(f, want);
        if (council__merkle_root(&ns, kept, have) != COUNCIL_OK || sodium_memcmp(have, want, 32) != 0) {
            *why = "log_rewritten";
            return council__fail(c, COUNCIL_ETAMPER, "audit: the log's first %llu events are not "
                                 "the ones the council's signer has seen (the log was rewritten)",
                                 (unsigned long long)kept);
        }
    }
    if (full && kept > 0) {
        char sql[96];
        (void)snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_event WHERE seq < %llu;",
                       (unsigned long long)kept);
        if (sql_int(c, sql, &count) != COUNCIL_OK)
            return council__fail(c, COUNCIL_EIO, "audit: database error");
        if ((uint64_t)count != kept) {
            *why = "log_events_deleted";
            return council__fail(c, COUNCIL_ETAMPER, "audit: %llu of the %llu events the council's "
                                 "signer has seen were deleted", (unsigned long long)(kept - (uint64_t)count),
                                 (unsigned long long)kept);
        }
    }
    return fold_events(c, f, n, why);
}

/* Keep f as the signer's head (after the transaction that logged it). */
/* The store's mark that the signer keeps a head (a head missing from the
 * keyring is then a finding, not a store from before). */
static int mark_head_kept(council *c)
{
    return council__setting_put(c, "log_head_kept", (const uint8_t *)"1", 1, false) == COUNCIL_OK
               ? COUNCIL_OK
               : council__fail(c, COUNCIL_EIO, "audit: database error");
}

int council__audit_head_kept(council *c, bool *kept)
{
    uint8_t *v = NULL;
    size_t len = 0;
    int rc = council__setting_get(c, "log_head_kept", &v, &len);

    council__free(v);
    if (rc != COUNCIL_OK)
        return council__fail(c, rc, rc == COUNCIL_ENOMEM ? "audit: out of memory"
                                                         : "audit: database error");
    *kept = v != NULL;
    return COUNCIL_OK;
}

static int head_keep(council *c, const council__frontier *f)
{
    int rc = council__keyring_update(c, head_store_fn, (void *)(uintptr_t)f);

    return rc == COUNCIL_OK ? mark_head_kept(c) : rc;
}

/* A tamper finding on the record (its own transaction), then rc again. */
static int tamper_logged(council *c, int rc, const char *why)
{
    char msg[512];
    const council__event ev = {
        .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_TAMPER_DETECTED,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_SYSTEM,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
        .error = rc,
        .reason = why,
    };

    (void)snprintf(msg, sizeof msg, "%s", council_errmsg(c));
    if (why != NULL && !c->user_batch && sqlite3_get_autocommit(c->db))
        (void)council__audit_append(c, &ev);
    return council__fail(c, rc, "%s", msg);
}

int council_audit_head_reset(council *c, const char *reason)
{
    static const char op[] = "audit_head_reset";
    const council__event ev = {
        .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_LOG_HEAD_RESET,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
        .reason = reason,
    };
    council__frontier *f;
    const char *why = NULL;
    uint64_t n = 0;
    int rc;

    if (!council__ok(c))
        return council__fail(c, COUNCIL_EMISUSE, "%s: bad handle", op);
    if ((rc = council__root_only(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (!council__audit_code_ok(reason))
        return council__fail(c, COUNCIL_EINVAL, "%s: the reason is a code [a-z0-9_]{1,64}", op);
    if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK)
        return rc;
    if ((f = council__malloc(sizeof *f)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    council__frontier_init(f);
    /* The whole log again from its bytes: it must be a tree of its events. */
    if ((rc = council__audit_size(c, &n)) == COUNCIL_OK)
        rc = fold_events(c, f, n, &why);
    if (rc == COUNCIL_OK)
        rc = council__keyring_update(c, head_replace_fn, f);
    if (rc == COUNCIL_OK)
        rc = mark_head_kept(c);
    council__free(f);
    return rc;
}

int council__audit_head_advance(council *c)
{
    council__frontier *f;
    const char *why = NULL;
    int rc;

    if (c->log_sk.p == NULL)
        return COUNCIL_OK; /* only the secretariat's sessions keep it */
    if ((f = council__malloc(sizeof *f)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "audit: out of memory");
    rc = head_extend(c, f, false, &why);
    if (rc == COUNCIL_OK)
        rc = head_keep(c, f);
    else if (rc == COUNCIL_ETAMPER)
        rc = tamper_logged(c, rc, why);
    council__free(f);
    return rc;
}

/* -------------------------------------------------------------- checkpoint */

static int sign_checkpoint(council *c, council_buf *out, uint64_t *size_out,
                           council__frontier *f, const char **why)
{
    char origin[COUNCIL__ORIGIN_MAX], body[256];
    uint8_t root[COUNCIL_HASH_BYTES], have[COUNCIL_HASH_BYTES];
    sqlite3_stmt *st = NULL;
    council__nodes ns;
    uint64_t n;
    size_t body_len;
    int rc;

    /* Only a tree that extends the kept head (checked before the event of
     * this checkpoint was appended), with its root computed from the head,
     * the events' own bytes and that event's leaf. */
    if (!c->tip_valid || c->tip_size != f->size + 1)
        return council__fail(c, COUNCIL_ERROR, "audit: the checkpoint's event is not the last");
    council__frontier_push(f, c->tip_leaf);
    n = f->size;
    council__frontier_root(f, root);
    council__audit_nodes(c, &ns);
    if (council__merkle_root(&ns, n, have) != COUNCIL_OK || sodium_memcmp(have, root, 32) != 0) {
        *why = "log_tree_mismatch";
        return council__fail(c, COUNCIL_ETAMPER, "audit: the stored tree does not match the events");
    }
    council__log_origin(origin, c->council_id);
    if ((rc = council__checkpoint_body(body, sizeof body, &body_len, origin, n, root)) != COUNCIL_OK ||
        (rc = council__note_sign(out, body, body_len, origin, &c->log_sk, c->log_pk)) != COUNCIL_OK)
        return council__fail(c, rc, "audit: cannot sign the checkpoint");
    if (sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO audit_checkpoint (size, time, note) "
                                  "VALUES (?, ?, ?);", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, (sqlite3_int64)n) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        sqlite3_bind_text(st, 3, (const char *)out->ptr, (int)out->len, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE) {
        sqlite3_finalize(st);
        council_buf_free(out);
        return council__fail(c, COUNCIL_EIO, "audit: cannot store the checkpoint");
    }
    sqlite3_finalize(st);
    if (size_out != NULL)
        *size_out = n;
    return COUNCIL_OK;
}

int council__audit_checkpoint_in_batch(council *c, council_buf *out, uint64_t *size_out)
{
    const council__event ev = {
        .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CHECKPOINT_SIGNED,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
    };
    council__frontier *f = council__malloc(sizeof *f);
    const char *why = NULL;
    int rc;

    if (f == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "audit: out of memory");
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK) {
        council__free(f);
        return rc;
    }
    if ((rc = head_extend(c, f, true, &why)) != COUNCIL_OK ||
        (rc = council__audit_append(c, &ev)) != COUNCIL_OK ||
        (rc = sign_checkpoint(c, out, size_out, f, &why)) != COUNCIL_OK) {
        council__audit_batch_rollback(c);
        council__free(f);
        return rc == COUNCIL_ETAMPER ? tamper_logged(c, rc, why) : rc;
    }
    if ((rc = council__audit_batch_commit(c)) != COUNCIL_OK)
        council_buf_free(out);
    /* Kept only once the checkpoint is in the log: a head ahead of the
     * store would refuse the next checkpoint. A head left behind is safe
     * (the next one extends it), so its failure costs only the message. */
    if (rc == COUNCIL_OK && head_keep(c, f) != COUNCIL_OK)
        council__clear(c);
    council__free(f);
    return rc;
}

int council_audit_checkpoint(council *c, council_buf *out)
{
    int rc;

    if (!council__ok(c) || out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "audit_checkpoint: bad handle or NULL out");
    if ((rc = council__root_only(c, "audit_checkpoint")) != COUNCIL_OK ||
        (rc = council__no_batch(c, "audit_checkpoint")) != COUNCIL_OK)
        return rc;
    out->ptr = NULL;
    out->len = 0;
    return council__audit_checkpoint_in_batch(c, out, NULL);
}

/* ------------------------------------------------------------------ proofs */

/* Append "text" to a growing buffer. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
    bool failed;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->cap == 0 ? 512 : b->cap * 2) + n;
        char *p = council__malloc(cap);
        if (p == NULL) {
            b->failed = true;
            return;
        }
        if (b->p != NULL)
            memcpy(p, b->p, b->len);
        council__free(b->p);
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_line(sbuf *b, const char *key, uint64_t v)
{
    char line[64];
    int n = snprintf(line, sizeof line, "%s %llu\n", key, (unsigned long long)v);

    sb_add(b, line, (size_t)n);
}

static void sb_hash(sbuf *b, const char *prefix, const uint8_t h[COUNCIL_HASH_BYTES])
{
    char b64[64];

    sodium_bin2base64(b64, sizeof b64, h, COUNCIL_HASH_BYTES, sodium_base64_VARIANT_ORIGINAL);
    if (prefix != NULL)
        sb_add(b, prefix, strlen(prefix));
    sb_add(b, b64, strlen(b64));
    sb_add(b, "\n", 1);
}

static int sb_finish(council *c, sbuf *b, council_buf *out)
{
    if (b->failed) {
        council__free(b->p);
        return council__fail(c, COUNCIL_ENOMEM, "audit: out of memory");
    }
    out->ptr = (uint8_t *)b->p;
    out->len = b->len;
    return COUNCIL_OK;
}

static int size_arg(council *c, const char *op, uint64_t *size)
{
    uint64_t n = 0;
    int rc = council__audit_size(c, &n);

    if (rc != COUNCIL_OK)
        return rc;
    if (*size == 0)
        *size = n;
    if (*size > n)
        return council__fail(c, COUNCIL_EINVAL, "%s: size %llu is larger than the log (%llu)",
                             op, (unsigned long long)*size, (unsigned long long)n);
    return COUNCIL_OK;
}

/* The start of both proofs: the handle, the secretariat's session, an
 * empty out, and the tree size (0: the current one). */
static int prove_start(council *c, council_buf *out, uint64_t *size)
{
    int rc;

    if (!council__ok(c) || out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "audit_prove: bad handle or NULL out");
    if ((rc = council__root_only(c, "audit_prove")) != COUNCIL_OK ||
        (rc = council__no_batch(c, "audit_prove")) != COUNCIL_OK)
        return rc;
    out->ptr = NULL;
    out->len = 0;
    return size_arg(c, "audit_prove", size);
}

int council_audit_prove_inclusion(council *c, council_buf *out, uint64_t index, uint64_t size)
{
    uint8_t proof[COUNCIL_PROOF_HASHES_MAX][COUNCIL_HASH_BYTES], leaf[COUNCIL_HASH_BYTES];
    sbuf b = { NULL, 0, 0, false };
    council__nodes ns;
    size_t count = 0;
    int rc;

    if ((rc = prove_start(c, out, &size)) != COUNCIL_OK)
        return rc;
    if (index >= size)
        return council__fail(c, COUNCIL_EINVAL, "audit_prove: index %llu not below size %llu",
                             (unsigned long long)index, (unsigned long long)size);
    council__audit_nodes(c, &ns);
    if (ns.get(ns.ctx, 0, index, leaf) != COUNCIL_OK ||
        council__merkle_prove_inclusion(&ns, index, size, &proof[0][0],
                                        COUNCIL_PROOF_HASHES_MAX, &count) != COUNCIL_OK)
        return council__fail(c, COUNCIL_EIO, "audit_prove: cannot read the tree");
    sb_add(&b, "inclusion-proof/v1\n", 19);
    sb_line(&b, "index", index);
    sb_line(&b, "size", size);
    sb_hash(&b, "leaf ", leaf);
    for (size_t i = 0; i < count; i++)
        sb_hash(&b, NULL, proof[i]);
    return sb_finish(c, &b, out);
}

int council_audit_prove_consistency(council *c, council_buf *out, uint64_t size1, uint64_t size2)
{
    uint8_t proof[COUNCIL_PROOF_HASHES_MAX][COUNCIL_HASH_BYTES];
    sbuf b = { NULL, 0, 0, false };
    council__nodes ns;
    size_t count = 0;
    int rc;

    if ((rc = prove_start(c, out, &size2)) != COUNCIL_OK)
        return rc;
    if (size1 == 0 || size1 > size2)
        return council__fail(c, COUNCIL_EINVAL, "audit_prove: sizes %llu..%llu out of order",
                             (unsigned long long)size1, (unsigned long long)size2);
    council__audit_nodes(c, &ns);
    if (council__merkle_prove_consistency(&ns, size1, size2, &proof[0][0],
                                          COUNCIL_PROOF_HASHES_MAX, &count) != COUNCIL_OK)
        return council__fail(c, COUNCIL_EIO, "audit_prove: cannot read the tree");
    sb_add(&b, "consistency-proof/v1\n", 21);
    sb_line(&b, "old", size1);
    sb_line(&b, "new", size2);
    for (size_t i = 0; i < count; i++)
        sb_hash(&b, NULL, proof[i]);
    return sb_finish(c, &b, out);
}

int council_audit_add_cosignatures(council *c, const char *note, size_t note_len)
{
    const council__event ev = {
        .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CHECKPOINT_SIGNED,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
        .reason = "cosignatures_added",
    };
    char origin[COUNCIL__ORIGIN_MAX];
    council__checkpoint cp, stored;
    council__vkey log;
    sqlite3_stmt *st = NULL;
    const char *old;
    int rc;

    if (!council__ok(c) || note == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "audit_add_cosignatures: bad handle or NULL note");
    if ((rc = council__root_only(c, "audit_add_cosignatures")) != COUNCIL_OK ||
        (rc = council__no_batch(c, "audit_add_cosignatures")) != COUNCIL_OK)
        return rc;
    if (note_len > COUNCIL__NOTE_MAX || council__checkpoint_parse(&cp, note, note_len) != COUNCIL_OK)
        return council__fail(c, COUNCIL_EFORMAT, "audit_add_cosignatures: malformed checkpoint");
    memset(&log, 0, sizeof log);
    council__log_origin(origin, c->council_id);
    memcpy(log.name, origin, strlen(origin) + 1);
    log.type = COUNCIL__SIG_ED25519;
    memcpy(log.pk, c->log_pk, sizeof log.pk);
    council__keyid(log.keyid, log.name, log.type, log.pk);
    rc = council__note_verify(note, note_len, &log, NULL, 0, NULL);
    if (rc != COUNCIL_OK)
        return council__fail(c, rc == COUNCIL_EFORMAT ? rc : COUNCIL_ETAMPER,
                             "audit_add_cosignatures: not signed by this council's log key");
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if (sqlite3_prepare_v2(c->db, "SELECT note FROM audit_checkpoint WHERE size = ?;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, (sqlite3_int64)cp.size) != SQLITE_OK) {
        rc = council__fail(c, COUNCIL_EIO, "audit_add_cosignatures: cannot read checkpoints");
        goto out;
    }
    if (sqlite3_step(st) != SQLITE_ROW || (old = (const char *)sqlite3_column_text(st, 0)) == NULL) {
        rc = council__fail(c, COUNCIL_ENOTFOUND, "audit_add_cosignatures: no checkpoint of size "
                           "%llu is stored", (unsigned long long)cp.size);
        goto out;
    }
    if (council__checkpoint_parse(&stored, old, strlen(old)) != COUNCIL_OK ||
        stored.body_len != cp.body_len || memcmp(old, note, cp.body_len) != 0) {
        rc = council__fail(c, COUNCIL_ETAMPER, "audit_add_cosignatures: the checkpoint of size "
                           "%llu differs from the stored one", (unsigned long long)cp.size);
        goto out;
    }
    /* Signatures are only ever added: the stored note, every line of it,
     * must begin the new one. */
    if (strlen(old) >= note_len || memcmp(old, note, strlen(old)) != 0) {
        rc = council__fail(c, COUNCIL_EINVAL, "audit_add_cosignatures: the note does not extend "
                           "the stored one (signatures would be lost, or none are new)");
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(c->db, "UPDATE audit_checkpoint SET note = ? WHERE size = ?;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, note, (int)note_len, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, (sqlite3_int64)cp.size) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE) {
        rc = council__fail(c, COUNCIL_EIO, "audit_add_cosignatures: cannot store");
        goto out;
    }
    rc = council__audit_append(c, &ev);
out:
    sqlite3_finalize(st);
    if (rc == COUNCIL_OK)
        rc = council__audit_batch_commit(c);
    else
        council__audit_batch_rollback(c);
    if (rc == COUNCIL_OK)
        council__clear(c);
    return rc;
}

/* ------------------------------------------------------ journaled refusals */

static int append_event(void *ctx, const council__event *ev)
{
    return council__audit_append(ctx, ev);
}

/* A journal that cannot be read or removed: on the record, and never a
 * reason to keep the secretariat out. */
static int journal_problem(council *c, const char *reason)
{
    const council__event ev = {
        .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_REFUSED,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_SYSTEM,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
        .error = COUNCIL_EIO,
        .reason = reason,
    };

    return council__audit_append(c, &ev);
}

int council__journal_import(council *c)
{
    uint8_t pk[32], *buf = NULL;
    council__secret sk = { NULL, 0 };
    const char *problem = NULL;
    size_t len = 0;
    int rc = council__journal_take(c, &buf, &len, &problem);

    if (rc != COUNCIL_OK)
        return rc;
    if (problem != NULL)
        return journal_problem(c, problem);
    if (buf == NULL)
        return COUNCIL_OK; /* no journal */
    if ((rc = council__journal_keypair(c, pk, &sk)) != COUNCIL_OK)
        goto out;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        goto out;
    rc = council__journal_parse(buf, len, &sk, pk, append_event, c);
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK && council__journal_remove(c) != 0)
        rc = journal_problem(c, "journal_not_removed"); /* imported again next time */
out:
    council__secret_free(&sk);
    council__free(buf);
    return rc;
}
