/*
 * audit.c - the audit log (log layer): append (log first, then act), the
 * node store, the signer's head, checkpoints, proofs, cosignatures, and
 * the import of journaled refusals. Listing and export are audit_export.c;
 * the log-first transaction is batch.c; verifying exports, checkpoints and
 * proofs with the public key alone, and the witness step, are verify.c.
 *
 * Tables: audit_event, audit_node (and audit_node_v22, the nodes of a
 * store from before migration 23), audit_checkpoint. Setting (through
 * store.c): log_head_kept.
 *
 * Events are stored as their canonical bytes (proto/council/v1/audit.proto)
 * beside the perfect subtree hashes of the RFC 9162 tree (merkle.c), so an
 * append costs O(log n) hashing and a proof O(log n) node reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
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
#include "log.h"
#include "crypto.h"
#include "journal.h"
#include "merkle.h"
#include "note.h"
#include "event.h"
#include "store.h"

#define REFUSED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED

/* ------------------------------------------------------------ node store */

/* A statement prepared once per handle (finalized by council__store_close). */
static sqlite3_stmt *prepared(council *c, sqlite3_stmt **slot, const char *sql)
{
    if (*slot == NULL &&
        sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK)
        *slot = NULL;
    return *slot;
}

/* A node's key in audit_node (migration 23): ((index + 1) << level) * 64 +
 * level. The nodes one append makes share (index + 1) << level (the log's
 * new size), so they sit together at the table's end: one page written,
 * not one per level. false past 2^57 events. */
static bool node_key(uint32_t level, uint64_t index, sqlite3_int64 *k)
{
    if (level > 56 || index >= (UINT64_C(1) << (57 - level)) - 1)
        return false;
    *k = (sqlite3_int64)((((index + 1) << level) << 6) | level);
    return true;
}

static int node_get(void *ctx, uint32_t level, uint64_t index, uint8_t out[COUNCIL_HASH_BYTES])
{
    council *c = ctx;
    /* A store from before migration 23 keeps its older nodes in
     * audit_node_v22 (empty in a store made since). */
    sqlite3_stmt *st = prepared(c, &c->st_node_get,
                                "SELECT hash FROM audit_node WHERE k = ?1 UNION ALL "
                                "SELECT hash FROM audit_node_v22 WHERE level = ?2 AND idx = ?3 "
                                "LIMIT 1;");
    sqlite3_int64 k;
    int src;

    if (!node_key(level, index, &k))
        return COUNCIL_ENOTFOUND;
    if (st == NULL)
        return COUNCIL_EIO;
    sqlite3_bind_int64(st, 1, k);
    sqlite3_bind_int64(st, 2, level);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)index);
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
                                "INSERT INTO audit_node (k, level, idx, hash) VALUES (?, ?, ?, ?);");
    sqlite3_int64 k;
    int src;

    if (st == NULL || !node_key(level, index, &k))
        return COUNCIL_EIO;
    sqlite3_bind_int64(st, 1, k);
    sqlite3_bind_int64(st, 2, level);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)index);
    sqlite3_bind_blob(st, 4, hash, COUNCIL_HASH_BYTES, SQLITE_STATIC);
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

    if (council__prepare(c, sql, &st) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = COUNCIL_OK;
    }
    council__finalize(c, st);
    return rc;
}

int council__audit_count_below(council *c, uint64_t n, int64_t *count)
{
    char sql[96];

    (void)snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_event WHERE seq < %llu;",
                   (unsigned long long)n);
    return sql_int(c, sql, count);
}

int council__audit_size(council *c, uint64_t *out)
{
    int64_t n = 0;

    if (sql_int(c, "SELECT coalesce(max(seq) + 1, 0) FROM audit_event;", &n) != COUNCIL_OK)
        return council__fail(c, COUNCIL_EIO, "audit: cannot read the log size");
    *out = (uint64_t)n;
    return COUNCIL_OK;
}

#ifdef COUNCIL_TEST_HOOKS /* the test build only (see crypto.c) */
static _Thread_local long audit_fault = -1;

void council__audit_fault_after(long n)
{
    audit_fault = n;
}
#endif

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

    if (council__prepare(c, "SELECT time FROM audit_event WHERE seq = ?;", &st) == SQLITE_OK &&
        sqlite3_bind_int64(st, 1, (sqlite3_int64)(n - 1)) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        *time_out = sqlite3_column_int64(st, 0);
        rc = COUNCIL_OK;
    }
    council__finalize(c, st);
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
    m.has_object_id = ev->object_id != NULL;
    m.object_id.data = (uint8_t *)(uintptr_t)ev->object_id;
    m.object_id.len = ev->object_id != NULL ? COUNCIL_ID_BYTES : 0;
    m.has_bundle_hash = ev->bundle_hash != NULL;
    m.bundle_hash.data = (uint8_t *)(uintptr_t)ev->bundle_hash;
    m.bundle_hash.len = ev->bundle_hash != NULL ? 32 : 0;
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
    bool own;
    council__event named;
    int rc;

    /* A handle shut down meanwhile (a staff session whose standing ended
     * inside the call) logs nothing more: the standing check logged it. */
    if (c->db == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "audit: the session was closed (its standing "
                             "ended): open a new one");
    own = sqlite3_get_autocommit(c->db) != 0;

    /* The secretariat's acts are written as root's; done by a person of the
     * secretariat (a staff session), the event names that person. */
    if (ev->actor_kind == COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT &&
        c->actor_kind == COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF) {
        named = *ev;
        named.actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF;
        named.actor_member = c->actor_member;
        named.actor_staff = c->actor_staff;
        ev = &named;
    }
    if (!event_ok(ev))
        return council__fail(c, COUNCIL_EINVAL, "audit: malformed event (action %d)", ev->action);
#ifdef COUNCIL_TEST_HOOKS
    if (audit_fault == 0)
        return council__fail(c, COUNCIL_EIO, "audit: append failed (injected)");
    if (audit_fault > 0)
        audit_fault--;
#endif
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





/* ------------------------------------------------- the log-first transaction */

/* Inside the caller's batch (council_batch_begin()), an operation's own
 * transaction is a savepoint: it commits into the batch or rolls back
 * alone. */
int council__audit_batch_begin(council *c)
{
    c->tip_valid = false;
    if (sqlite3_exec(c->db, c->user_batch ? "SAVEPOINT council_op;" : "BEGIN IMMEDIATE;",
                     NULL, NULL, NULL) != SQLITE_OK)
        return council__fail(c, COUNCIL_EIO, "audit: cannot begin a batch (%s)",
                             sqlite3_errmsg(c->db));
    return COUNCIL_OK;
}

int council__audit_batch_commit(council *c)
{
    c->tip_valid = false;
    if (sqlite3_exec(c->db, c->user_batch ? "RELEASE council_op;" : "COMMIT;", NULL, NULL,
                     NULL) != SQLITE_OK) {
        council__audit_batch_rollback(c);
        return council__fail(c, COUNCIL_EIO, "audit: cannot commit (%s)", sqlite3_errmsg(c->db));
    }
    c->n_tamper = 0;
    return COUNCIL_OK;
}

void council__audit_batch_rollback(council *c)
{
    struct council__tamper_note notes[COUNCIL__TAMPER_MAX];
    size_t n = c->n_tamper;

    c->tip_valid = false;
    if (c->user_batch)
        (void)sqlite3_exec(c->db, "ROLLBACK TO council_op; RELEASE council_op;", NULL, NULL, NULL);
    else if (!sqlite3_get_autocommit(c->db))
        (void)sqlite3_exec(c->db, "ROLLBACK;", NULL, NULL, NULL);
    /* Tamper findings of the rolled-back work go on the record by
     * themselves: the operation failed because of them. */
    memcpy(notes, c->tamper, n * sizeof notes[0]);
    c->n_tamper = 0;
    for (size_t i = 0; i < n; i++) {
        const char *scopes[1] = { notes[i].scope };
        const council__event ev = {
            .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_TAMPER_DETECTED,
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_SYSTEM,
            .subject_member = notes[i].has_member ? notes[i].member : NULL,
            .case_ref = notes[i].has_ref ? notes[i].ref : NULL,
            .scopes = scopes,
            .n_scopes = notes[i].scope[0] != '\0' ? 1 : 0,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
            .error = COUNCIL_ETAMPER,
            .reason = notes[i].reason,
        };
        (void)council__audit_append(c, &ev);
    }
}

int council__finish(council *c, int rc)
{
    if (rc != COUNCIL_OK) {
        council__audit_batch_rollback(c);
        return rc;
    }
    rc = council__audit_batch_commit(c);
    if (rc == COUNCIL_OK)
        council__clear(c);
    return rc;
}

int council__no_batch(council *c, const char *op)
{
    /* (only the operation that runs another in its own batch, a bundle's
     * import and the step it carries, lets it: c->inner_ok) */
    if (c->user_batch && !(c->op_depth > 0 && c->inner_ok))
        return council__fail(c, COUNCIL_EMISUSE, "%s: not allowed inside a batch "
                             "(council_batch_begin)", op);
    return COUNCIL_OK;
}

#define HELD_MAX 64

struct council__held_refusal {
    int action, error;
    bool system;                /* a finding of the library's, not the session's act */
    int actor_kind;             /* the event's actor, as the caller named it */
    bool has_actor_member, has_actor_staff;
    uint8_t actor_member[COUNCIL_ID_BYTES], actor_staff[COUNCIL_ID_BYTES];
    bool has_ref, has_subject, has_scope, has_purpose, has_object, has_bundle;
    uint8_t ref[32], subject[COUNCIL_ID_BYTES], object[COUNCIL_ID_BYTES], bundle[32];
    char scope[COUNCIL__AUDIT_CODE_MAX + 1], purpose[COUNCIL__AUDIT_CODE_MAX + 1];
    char reason[COUNCIL__AUDIT_CODE_MAX + 1];
};

static void hold(council *c, const council__event *ev)
{
    struct council__held_refusal *h;

    if (c->held == NULL && (c->held = council__calloc(HELD_MAX, sizeof *c->held)) == NULL)
        return;
    if (c->n_held == HELD_MAX)
        return; /* the last slot is replayed as "refusals_lost" */
    h = &c->held[c->n_held++];
    memset(h, 0, sizeof *h);
    h->system = ev->actor_kind == COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_SYSTEM;
    h->actor_kind = ev->actor_kind;
    if ((h->has_actor_member = ev->actor_member != NULL))
        memcpy(h->actor_member, ev->actor_member, COUNCIL_ID_BYTES);
    if ((h->has_actor_staff = ev->actor_staff != NULL))
        memcpy(h->actor_staff, ev->actor_staff, COUNCIL_ID_BYTES);
    h->action = ev->action;
    h->error = ev->error;
    if ((h->has_ref = ev->case_ref != NULL))
        memcpy(h->ref, ev->case_ref, 32);
    if ((h->has_subject = ev->subject_member != NULL))
        memcpy(h->subject, ev->subject_member, COUNCIL_ID_BYTES);
    if ((h->has_object = ev->object_id != NULL))
        memcpy(h->object, ev->object_id, COUNCIL_ID_BYTES);
    if ((h->has_bundle = ev->bundle_hash != NULL))
        memcpy(h->bundle, ev->bundle_hash, 32);
    if ((h->has_scope = ev->n_scopes == 1))
        snprintf(h->scope, sizeof h->scope, "%s", ev->scopes[0]);
    if ((h->has_purpose = ev->purpose != NULL))
        snprintf(h->purpose, sizeof h->purpose, "%s", ev->purpose);
    snprintf(h->reason, sizeof h->reason, "%s", ev->reason != NULL ? ev->reason : "refused");
}

void council__hold_event(council *c, const council__event *ev)
{
    if (c->user_batch)
        hold(c, ev);
}

/* After the caller's batch was rolled back: its refusals, on their own. */
void council__audit_replay_held(council *c)
{
    for (size_t i = 0; i < c->n_held; i++) {
        const struct council__held_refusal *h = &c->held[i];
        const char *scopes[1] = { h->scope };
        council__event ev = {
            .action = h->action,
            .case_ref = h->has_ref ? h->ref : NULL,
            .subject_member = h->has_subject ? h->subject : NULL,
            .object_id = h->has_object ? h->object : NULL,
            .bundle_hash = h->has_bundle ? h->bundle : NULL,
            .scopes = scopes,
            .n_scopes = h->has_scope ? 1 : 0,
            .purpose = h->has_purpose ? h->purpose : NULL,
            .outcome = REFUSED,
            .error = h->error,
            .reason = i == HELD_MAX - 1 ? "refusals_lost" : h->reason,
        };
        ev.actor_kind = h->system ? COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_SYSTEM : h->actor_kind;
        ev.actor_member = h->has_actor_member ? h->actor_member : NULL;
        ev.actor_staff = h->has_actor_staff ? h->actor_staff : NULL;
        (void)council__audit_append(c, &ev);
    }
    c->n_held = 0;
}

/* ------------------------------------------------------------- log rows */

int council__audit_events_from(council *c, uint64_t from,
                               int (*fn)(void *ctx, uint64_t seq, const uint8_t *body, size_t len),
                               void *ctx)
{
    sqlite3_stmt *st = NULL;
    int src, stop = 0;

    if (council__prepare(c, "SELECT seq, body FROM audit_event WHERE seq >= ?1 ORDER BY seq;", &st) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, (sqlite3_int64)from) != SQLITE_OK) {
        council__finalize(c, st);
        return COUNCIL_EIO;
    }
    while (stop == 0 && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const void *body = sqlite3_column_blob(st, 1);
        int len = sqlite3_column_bytes(st, 1);
        stop = fn(ctx, (uint64_t)sqlite3_column_int64(st, 0), body, len > 0 ? (size_t)len : 0);
    }
    council__finalize(c, st);
    if (stop != 0)
        return stop;
    return src == SQLITE_DONE ? COUNCIL_OK : COUNCIL_EIO;
}

/* The event of a row read for a check, as the tree holds it: its body is
 * the tree's leaf at its seq, and it unpacks with that seq. *e (free with
 * the plain allocator) or: ETAMPER (edited or damaged: a message), EIO or
 * ENOMEM (an error, not an edit). */
static int event_checked_leaf(council *c, const char *op, const council__nodes *ns,
                              sqlite3_stmt *st, Council__V1__AuditEvent **out,
                              uint8_t leaf[COUNCIL_HASH_BYTES])
{
    const uint8_t *body = sqlite3_column_blob(st, 1);
    int len = sqlite3_column_bytes(st, 1);
    sqlite3_int64 seq = sqlite3_column_int64(st, 0);
    uint8_t have[COUNCIL_HASH_BYTES];
    Council__V1__AuditEvent *e;
    int grc;

    *out = NULL;
    if (body == NULL || len <= 0 || len > COUNCIL__AUDIT_FRAME_MAX || seq < 0)
        return council__fail(c, COUNCIL_ETAMPER, "%s: a log event is damaged", op);
    council__merkle_leaf(leaf, body, (size_t)len);
    grc = ns->get(ns->ctx, 0, (uint64_t)seq, have);
    if (grc != COUNCIL_OK && grc != COUNCIL_ENOTFOUND)
        return council__fail(c, grc, "%s: cannot read the log", op);
    if (grc == COUNCIL_OK && sodium_memcmp(have, leaf, COUNCIL_HASH_BYTES) == 0) {
        (void)council__pb_alloc_failed(true);
        e = council__v1__audit_event__unpack(council__pb_allocator(), (size_t)len, body);
        if (e == NULL && council__pb_alloc_failed(true))
            return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        if (e != NULL && e->seq == (uint64_t)seq) {
            *out = e;
            return COUNCIL_OK;
        }
        if (e != NULL)
            council__v1__audit_event__free_unpacked(e, council__pb_allocator());
    }
    return council__fail(c, COUNCIL_ETAMPER, "%s: log event %lld does not match the stored tree "
                         "(it was edited)", op, (long long)seq);
}

static int event_checked(council *c, const char *op, const council__nodes *ns,
                         sqlite3_stmt *st, Council__V1__AuditEvent **out)
{
    uint8_t leaf[COUNCIL_HASH_BYTES];

    return event_checked_leaf(c, op, ns, st, out, leaf);
}

int council__log_object_actions(council *c, const char *op, const uint8_t case_ref[32],
                                const uint8_t object_id[COUNCIL_ID_BYTES], int lo, int hi,
                                int (*fn)(void *ctx, const council__object_event *ev), void *ctx)
{
    sqlite3_stmt *st = NULL;
    council__nodes ns;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    council__audit_nodes(c, &ns);
    if (council__prepare(c, "SELECT seq, body FROM audit_event WHERE case_ref = ?1 AND "
                                  "action BETWEEN ?2 AND ?3 ORDER BY seq;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_ref, 32, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, lo) != SQLITE_OK || sqlite3_bind_int(st, 3, hi) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the log", op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        Council__V1__AuditEvent *e = NULL;
        bool mine;

        if ((rc = event_checked(c, op, &ns, st, &e)) != COUNCIL_OK)
            break;
        if (!e->has_case_ref || e->case_ref.len != 32 ||
            sodium_memcmp(e->case_ref.data, case_ref, 32) != 0) {
            rc = council__fail(c, COUNCIL_ETAMPER, "%s: log event %llu does not match the "
                               "stored tree (it was edited)", op, (unsigned long long)e->seq);
            council__v1__audit_event__free_unpacked(e, council__pb_allocator());
            break;
        }
        mine = e->has_object_id && e->object_id.len == COUNCIL_ID_BYTES &&
               sodium_memcmp(e->object_id.data, object_id, COUNCIL_ID_BYTES) == 0 &&
               (int)e->action >= lo && (int)e->action <= hi;
        if (mine) {
            council__object_event o;
            memset(&o, 0, sizeof o);
            o.seq = e->seq;
            o.action = (int)e->action;
            o.allowed = e->outcome == COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED;
            if (e->reason != NULL && strlen(e->reason) < sizeof o.reason)
                strcpy(o.reason, e->reason);
            rc = fn(ctx, &o);
        }
        council__v1__audit_event__free_unpacked(e, council__pb_allocator());
    }
    council__finalize(c, st);
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot read the log", op);
    return rc;
}

int council__log_scan(council *c, const char *op, council__log_scan_fn fn, void *ctx,
                      const char **why)
{
    sqlite3_stmt *st = NULL;
    council__nodes ns;
    uint64_t size = 0, next = 0;
    int rc, src = SQLITE_DONE;

    *why = NULL;
    council__audit_nodes(c, &ns);
    if ((rc = council__audit_size(c, &size)) != COUNCIL_OK)
        return council__fail(c, rc, "%s: cannot read the log", op);
    if (council__prepare(c, "SELECT seq, body FROM audit_event WHERE seq < ?1 ORDER BY seq;", &st) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, (sqlite3_int64)size) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the log", op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        Council__V1__AuditEvent *e = NULL;
        uint8_t leaf[COUNCIL_HASH_BYTES];

        if ((uint64_t)sqlite3_column_int64(st, 0) != next) {
            *why = "log_events_deleted";
            rc = council__fail(c, COUNCIL_ETAMPER, "%s: log event %llu is missing (deleted)", op,
                               (unsigned long long)next);
            break;
        }
        if ((rc = event_checked_leaf(c, op, &ns, st, &e, leaf)) != COUNCIL_OK) {
            if (rc == COUNCIL_ETAMPER)
                *why = "log_event_edited";
            break;
        }
        next++;
        rc = fn(ctx, e, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1), leaf);
        council__v1__audit_event__free_unpacked(e, council__pb_allocator());
        if (rc == COUNCIL_ENOMEM)
            rc = council__fail(c, rc, "%s: out of memory", op);
    }
    council__finalize(c, st);
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot read the log", op);
    if (rc == COUNCIL_OK && next != size) {
        *why = "log_events_deleted";
        rc = council__fail(c, COUNCIL_ETAMPER, "%s: log event %llu is missing (deleted)", op,
                           (unsigned long long)next);
    }
    return rc;
}

int council__audit_checkpoint_put(council *c, uint64_t size, const char *note, size_t len)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_EIO;

    if (council__prepare(c, "INSERT OR REPLACE INTO audit_checkpoint (size, time, note) "
                                  "VALUES (?, ?, ?);", &st) == SQLITE_OK &&
        sqlite3_bind_int64(st, 1, (sqlite3_int64)size) == SQLITE_OK &&
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL)) == SQLITE_OK &&
        sqlite3_bind_text(st, 3, note, (int)len, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_DONE)
        rc = COUNCIL_OK;
    council__finalize(c, st);
    return rc;
}

int council__audit_checkpoint_note(council *c, uint64_t size, char **note)
{
    sqlite3_stmt *st = NULL;
    const char *t = NULL;
    int rc = COUNCIL_EIO, src;

    *note = NULL;
    if (council__prepare(c, "SELECT note FROM audit_checkpoint WHERE size = ?;", &st) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, (sqlite3_int64)size) != SQLITE_OK) {
        council__finalize(c, st);
        return COUNCIL_EIO;
    }
    /* (a step that fails is EIO: only no row is ENOTFOUND) */
    if ((src = sqlite3_step(st)) != SQLITE_ROW && src != SQLITE_DONE)
        rc = COUNCIL_EIO;
    else if (src == SQLITE_DONE || (t = (const char *)sqlite3_column_text(st, 0)) == NULL)
        rc = COUNCIL_ENOTFOUND;
    else if ((*note = council__strdup(t)) == NULL)
        rc = COUNCIL_ENOMEM;
    else
        rc = COUNCIL_OK;
    council__finalize(c, st);
    return rc;
}

int council__audit_checkpoint_update(council *c, uint64_t size, const char *note, size_t len)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_EIO;

    if (council__prepare(c, "UPDATE audit_checkpoint SET note = ? WHERE size = ?;", &st) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, note, (int)len, SQLITE_STATIC) == SQLITE_OK &&
        sqlite3_bind_int64(st, 2, (sqlite3_int64)size) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_DONE)
        rc = COUNCIL_OK;
    council__finalize(c, st);
    return rc;
}

int council__log_bundle_imported(council *c, const char *op, const uint8_t hash[32],
                                 int64_t since, bool *found)
{
    sqlite3_stmt *st = NULL;
    council__nodes ns;
    uint64_t size = 0;
    int rc;

    *found = false;
    council__audit_nodes(c, &ns);
    if ((rc = council__audit_size(c, &size)) != COUNCIL_OK)
        return rc;
    if (council__prepare(c, "SELECT seq, body FROM audit_event WHERE seq = ?1;", &st) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the log", op);
    }
    /* Every event from the newest back to the first older than `since`, by
     * seq and without a gap, each checked against the tree's leaf and read
     * by the time inside its hashed body: the table's columns (time, action)
     * are not in the tree and the insider could edit them. A deleted event
     * is a gap. */
    for (uint64_t s = size; s-- > 0 && !*found && rc == COUNCIL_OK;) {
        Council__V1__AuditEvent *e = NULL;
        int src;

        sqlite3_reset(st);
        if (sqlite3_bind_int64(st, 1, (sqlite3_int64)s) != SQLITE_OK) {
            rc = council__fail(c, COUNCIL_EIO, "%s: cannot read the log", op);
            break;
        }
        if ((src = sqlite3_step(st)) != SQLITE_ROW) {
            rc = src == SQLITE_DONE
                     ? council__fail(c, COUNCIL_ETAMPER, "%s: log event %llu is missing", op,
                                     (unsigned long long)s)
                     : council__fail(c, COUNCIL_EIO, "%s: cannot read the log", op);
            break;
        }
        if ((rc = event_checked(c, op, &ns, st, &e)) != COUNCIL_OK)
            break;
        if (e->time < since) {
            council__v1__audit_event__free_unpacked(e, council__pb_allocator());
            break;
        }
        *found = (e->action == COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_BUNDLE_IMPORTED ||
                  e->action == COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_INTAKE_RECEIVED) &&
                 e->outcome == COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED &&
                 e->has_bundle_hash && e->bundle_hash.len == 32 &&
                 sodium_memcmp(e->bundle_hash.data, hash, 32) == 0;
        council__v1__audit_event__free_unpacked(e, council__pb_allocator());
    }
    council__finalize(c, st);
    return rc;
}

int council__audit_checkpoints_recent(council *c, int64_t since, uint64_t *sizes, size_t cap,
                                      size_t *n)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_EIO, src;

    *n = 0;
    if (council__prepare(c, "SELECT size FROM audit_checkpoint WHERE time >= ?1 AND "
                                  "size > 0 ORDER BY size DESC LIMIT ?2;", &st) ==
            SQLITE_OK &&
        sqlite3_bind_int64(st, 1, (sqlite3_int64)since) == SQLITE_OK &&
        sqlite3_bind_int64(st, 2, (sqlite3_int64)cap) == SQLITE_OK) {
        while ((src = sqlite3_step(st)) == SQLITE_ROW && *n < cap)
            sizes[(*n)++] = (uint64_t)sqlite3_column_int64(st, 0);
        if (src == SQLITE_DONE || src == SQLITE_ROW)
            rc = COUNCIL_OK;
    }
    council__finalize(c, st);
    return rc;
}

/* ----------------------------------------------------------------- listing */

/* council_audit_list() after the session checks: the page of events. */
int council__audit_list_in(council *c, council_buf *out, const council_audit_filter *caller)
{
    council_audit_filter fv = COUNCIL_AUDIT_FILTER_INIT;
    const council_audit_filter *f = &fv;
    Council__V1__AuditEventList list = COUNCIL__V1__AUDIT_EVENT_LIST__INIT;
    Council__V1__AuditEvent **events = NULL;
    sqlite3_stmt *st = NULL;
    uint32_t limit;
    uint64_t size = 0, next;
    uint8_t id_ref[32];
    size_t n = 0, len;
    int rc = COUNCIL_OK;

    out->ptr = NULL;
    out->len = 0;
    /* A version 1 caller's struct ends at case_ref_len: copy that much and
     * leave the version 2 fields at their initial values. */
    if (caller != NULL) {
        if (caller->version == 1)
            memcpy(&fv, caller, offsetof(council_audit_filter, case_id));
        else if (caller->version == COUNCIL_AUDIT_FILTER_VERSION)
            fv = *caller;
        else
            return council__fail(c, COUNCIL_EMISUSE, "audit_list: unknown filter version");
    }
    if ((f->actor_member != NULL && f->actor_member_len != COUNCIL_ID_BYTES) ||
        (f->case_ref != NULL && f->case_ref_len != 32) ||
        (f->case_id != NULL && f->case_id_len != COUNCIL_ID_BYTES))
        return council__fail(c, COUNCIL_EINVAL, "audit_list: id of wrong length");
    if (f->limit > COUNCIL_AUDIT_LIST_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "audit_list: limit %u above %d", f->limit,
                             COUNCIL_AUDIT_LIST_MAX);
    limit = f->limit == 0 ? 1000 : f->limit;
    if (f->case_id != NULL && (rc = council__case_ref(c, id_ref, f->case_id)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_size(c, &size)) != COUNCIL_OK)
        return rc;
    next = f->from_seq;
    events = council__calloc(limit, sizeof *events);
    if (events == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "audit_list: out of memory");
    if (council__prepare(c,
            "SELECT seq, body FROM audit_event WHERE seq >= ?1"
            " AND (?2 = 0 OR time >= ?2) AND (?3 = 0 OR time <= ?3) AND (?4 = 0 OR action = ?4)"
            " AND (?5 IS NULL OR actor_member = ?5) AND (?6 IS NULL OR case_ref = ?6)"
            " AND (?8 IS NULL OR case_ref = ?8)"
            " ORDER BY seq LIMIT ?7;", &st) != SQLITE_OK) {
        rc = council__fail(c, COUNCIL_EIO, "audit_list: cannot query");
        goto out;
    }
    sqlite3_bind_int64(st, 1, (sqlite3_int64)(f->from_seq > INT64_MAX ? INT64_MAX : f->from_seq));
    sqlite3_bind_int64(st, 2, f->since);
    sqlite3_bind_int64(st, 3, f->until);
    sqlite3_bind_int(st, 4, f->action);
    if (f->actor_member != NULL)
        sqlite3_bind_blob(st, 5, f->actor_member, COUNCIL_ID_BYTES, SQLITE_STATIC);
    if (f->case_ref != NULL)
        sqlite3_bind_blob(st, 6, f->case_ref, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, limit);
    if (f->case_id != NULL)
        sqlite3_bind_blob(st, 8, id_ref, 32, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const uint8_t *body = sqlite3_column_blob(st, 1);
        int blen = sqlite3_column_bytes(st, 1);
        events[n] = council__v1__audit_event__unpack(council__pb_allocator(), (size_t)blen, body);
        if (events[n] == NULL) {
            rc = council__fail(c, COUNCIL_EFORMAT, "audit_list: event %lld is damaged",
                               sqlite3_column_int64(st, 0));
            goto out;
        }
        next = (uint64_t)sqlite3_column_int64(st, 0) + 1;
        n++;
    }
    if (rc != SQLITE_DONE) {
        rc = council__fail(c, COUNCIL_EIO, "audit_list: query failed");
        goto out;
    }
    if (n < limit)
        next = size > next ? size : next; /* nothing further matches */
    list.n_events = n;
    list.events = events;
    list.next_seq = next;
    list.tree_size = size;
    len = council__v1__audit_event_list__get_packed_size(&list);
    out->ptr = council__malloc(len);
    if (out->ptr == NULL) {
        rc = council__fail(c, COUNCIL_ENOMEM, "audit_list: out of memory");
        goto out;
    }
    out->len = council__v1__audit_event_list__pack(&list, out->ptr);
    rc = COUNCIL_OK;
    council__clear(c);
out:
    council__finalize(c, st);
    for (size_t i = 0; i < n; i++)
        council__v1__audit_event__free_unpacked(events[i], council__pb_allocator());
    council__free(events);
    return rc;
}

/* ------------------------------------------------------------------ export */

static int write_frame(FILE *f, const Council__V1__AuditFrame *fr, uint8_t *buf)
{
    size_t len = council__v1__audit_frame__get_packed_size(fr);
    uint8_t hdr[4];

    if (len == 0 || len > COUNCIL__AUDIT_FRAME_MAX)
        return COUNCIL_ELIMIT;
    (void)council__v1__audit_frame__pack(fr, buf);
    hdr[0] = (uint8_t)(len >> 24);
    hdr[1] = (uint8_t)(len >> 16);
    hdr[2] = (uint8_t)(len >> 8);
    hdr[3] = (uint8_t)len;
    if (fwrite(hdr, 1, 4, f) != 4 || fwrite(buf, 1, len, f) != len)
        return COUNCIL_EIO;
    return COUNCIL_OK;
}

static int write_checkpoint_frame(FILE *f, const char *note, uint8_t *buf)
{
    Council__V1__AuditFrame fr = COUNCIL__V1__AUDIT_FRAME__INIT;

    fr.frame_case = COUNCIL__V1__AUDIT_FRAME__FRAME_CHECKPOINT;
    fr.checkpoint = (char *)(uintptr_t)note;
    return write_frame(f, &fr, buf);
}

static int export_events(council *c, FILE *f, uint64_t n, uint8_t *buf)
{
    Council__V1__AuditFrame fr = COUNCIL__V1__AUDIT_FRAME__INIT;
    Council__V1__AuditExportHeader h = COUNCIL__V1__AUDIT_EXPORT_HEADER__INIT;
    char origin[COUNCIL__ORIGIN_MAX];
    sqlite3_stmt *ev = NULL, *cp = NULL;
    int cp_rc, rc;
    int64_t cp_size = -1;

    council__log_origin(origin, c->council_id);
    h.format_version = 1;
    h.origin = origin;
    h.council_id.data = c->council_id;
    h.council_id.len = COUNCIL_ID_BYTES;
    h.event_count = n;
    h.created = (int64_t)time(NULL);
    fr.frame_case = COUNCIL__V1__AUDIT_FRAME__FRAME_HEADER;
    fr.header = &h;
    if ((rc = write_frame(f, &fr, buf)) != COUNCIL_OK)
        return rc;
    if (council__prepare(c, "SELECT seq, body FROM audit_event WHERE seq < ? ORDER BY seq;", &ev) != SQLITE_OK ||
        council__prepare(c, "SELECT size, note FROM audit_checkpoint WHERE size <= ? "
                                  "ORDER BY size;", &cp) != SQLITE_OK) {
        rc = COUNCIL_EIO;
        goto out;
    }
    sqlite3_bind_int64(ev, 1, (sqlite3_int64)n);
    sqlite3_bind_int64(cp, 1, (sqlite3_int64)n);
    cp_rc = sqlite3_step(cp);
    if (cp_rc == SQLITE_ROW)
        cp_size = sqlite3_column_int64(cp, 0);
    /* What is stored, as it is stored: a gap or a swap is for the
     * verifier to find and name, not for the exporter to hide. */
    while ((rc = sqlite3_step(ev)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(ev, 0);
        fr.frame_case = COUNCIL__V1__AUDIT_FRAME__FRAME_EVENT;
        fr.event.data = (uint8_t *)(uintptr_t)sqlite3_column_blob(ev, 1);
        fr.event.len = (size_t)sqlite3_column_bytes(ev, 1);
        if ((rc = write_frame(f, &fr, buf)) != COUNCIL_OK)
            goto out;
        /* Each stored checkpoint right after the event completing its size. */
        while (cp_rc == SQLITE_ROW && cp_size <= seq + 1) {
            if (cp_size == seq + 1 &&
                (rc = write_checkpoint_frame(f, (const char *)sqlite3_column_text(cp, 1), buf)) != COUNCIL_OK)
                goto out;
            cp_rc = sqlite3_step(cp);
            cp_size = cp_rc == SQLITE_ROW ? sqlite3_column_int64(cp, 0) : -1;
        }
    }
    if (rc != SQLITE_DONE) {
        rc = COUNCIL_EIO;
        goto out;
    }
    rc = COUNCIL_OK;
out:
    council__finalize(c, ev);
    council__finalize(c, cp);
    return rc;
}

/* The export's bytes after the checks (audit.c): the magic, the header,
 * every event and stored checkpoint up to n, read as one snapshot.
 * *began false when the read transaction could not begin (nothing written). */
int council__audit_export_frames(council *c, FILE *f, uint64_t n, uint8_t *buf, bool *began)
{
    int rc;

    /* A read transaction: the events and checkpoints are one snapshot. */
    *began = sqlite3_exec(c->db, "BEGIN;", NULL, NULL, NULL) == SQLITE_OK;
    if (!*began)
        return COUNCIL_EIO;
    rc = fwrite(council__export_magic, 1, sizeof council__export_magic, f) == sizeof council__export_magic
             ? export_events(c, f, n, buf) : COUNCIL_EIO;
    /* A read transaction whose COMMIT fails would stay open, and every
     * later write of the handle fail: it ends, whichever way. */
    if (sqlite3_exec(c->db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
        (void)sqlite3_exec(c->db, "ROLLBACK;", NULL, NULL, NULL);
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
