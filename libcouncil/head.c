/*
 * head.c - the log signer's head (log layer). The secretariat's session
 * keeps a signed frontier of the log in the keyring (field log_head),
 * extends it at every root open and checkpoint, and refuses (ETAMPER, the
 * finding logged) a log that no longer extends it: an insider holding the
 * database key cannot drop or rewrite its own events unseen. Checkpoints
 * are signed here, over a tree computed from the head and the events' own
 * bytes. Reads and writes the log's tables only through log.c.
 *
 * Setting (through store.c): log_head_kept.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "head.h"
#include "crypto.h"
#include "event.h"
#include "keyring.h"
#include "log.h"
#include "merkle.h"
#include "note.h"
#include "store.h"

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

/* The head bytes this handle last checked against its log key (a signed
 * head read twice in one advance, the second time under the keyring's
 * lock, is checked once when the bytes have not changed). */
struct head_seen {
    council__frontier f;
    size_t len;
    uint8_t bytes[COUNCIL__LOG_HEAD_MAX];
};

/* kr's head into *f, its signature checked (unless its bytes are `seen`'s,
 * checked already): ENOTFOUND when none is kept, ETAMPER when the
 * signature fails. */
static int head_decode(council *c, const council__keyring *kr, council__frontier *f,
                       const struct head_seen *seen)
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
        ((seen == NULL || seen->len != kr->log_head_len ||
          memcmp(seen->bytes, kr->log_head, seen->len) != 0) &&
         crypto_sign_verify_detached(kr->log_head + body, m, head_msg(m, c, kr->log_head, body),
                                     c->log_pk) != 0))
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
    const struct head_seen *seen = ctx;
    const council__frontier *f = &seen->f;
    council__frontier old;
    int rc = head_decode(c, kr, &old, seen);

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

/* The stored tree's root at n. A node missing is a finding (the caller's
 * mismatch: *out is then zeros); a read that failed is EIO, never one. */
static int tree_root(council *c, council__nodes *ns, uint64_t n, uint8_t out[COUNCIL_HASH_BYTES])
{
    int rc = council__merkle_root(ns, n, out);

    if (rc == COUNCIL_ENOTFOUND) {
        sodium_memzero(out, COUNCIL_HASH_BYTES);
        return COUNCIL_OK;
    }
    return rc == COUNCIL_OK ? rc : council__fail(c, COUNCIL_EIO, "audit: cannot read the tree");
}

/* One stored event folded into the frontier: it must be the next one, and
 * its leaf the stored tree's (else the walk stops with the reason). */
struct fold {
    council__frontier *f;
    council__nodes *ns;
    int src;
};

static int fold_one(void *ctx, uint64_t seq, const uint8_t *body, size_t len)
{
    struct fold *fo = ctx;
    uint8_t leaf[COUNCIL_HASH_BYTES], have[COUNCIL_HASH_BYTES];
    int rc;

    if (seq != fo->f->size || len == 0 || body == NULL) {
        fo->src = SQLITE_CONSTRAINT;
        return 1;
    }
    council__merkle_leaf(leaf, body, len);
    rc = fo->ns->get(fo->ns->ctx, 0, fo->f->size, have);
    if (rc != COUNCIL_OK && rc != COUNCIL_ENOTFOUND) {
        fo->src = SQLITE_IOERR; /* a read that failed is no finding */
        return 1;
    }
    if (rc != COUNCIL_OK || sodium_memcmp(have, leaf, 32) != 0) {
        fo->src = SQLITE_MISMATCH;
        return 1;
    }
    council__frontier_push(fo->f, leaf);
    return 0;
}

/* Fold the events from f->size on into f, each leaf computed from the
 * event's own bytes and matched against the stored tree, up to n events;
 * the stored tree's root at n must then be the frontier's. ETAMPER with the
 * reason in *why: an event missing, edited or moved, or the tree rewritten. */
static int fold_events(council *c, council__frontier *f, uint64_t n, const char **why)
{
    uint8_t have[COUNCIL_HASH_BYTES], want[COUNCIL_HASH_BYTES];
    uint64_t from = f->size;
    council__nodes ns;
    int src, rc;

    struct fold fo = { f, &ns, SQLITE_DONE };

    council__audit_nodes(c, &ns);
    if (council__audit_events_from(c, from, fold_one, &fo) == COUNCIL_EIO)
        return council__fail(c, COUNCIL_EIO, "audit: database error");
    src = fo.src;
    if (src == SQLITE_IOERR)
        return council__fail(c, COUNCIL_EIO, "audit: database error");
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
    if ((rc = tree_root(c, &ns, n, have)) != COUNCIL_OK)
        return rc;
    if (sodium_memcmp(have, want, 32) != 0) {
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
static int head_extend(council *c, struct head_seen *hs, bool full, const char **why)
{
    council__frontier *f = &hs->f;
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
        hs->len = 0;
        rc = head_decode(c, kr, f, NULL);
        if (rc == COUNCIL_OK) {
            hs->len = kr->log_head_len;
            memcpy(hs->bytes, kr->log_head, hs->len);
        } else if (rc == COUNCIL_ENOTFOUND) {
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
        if ((rc = tree_root(c, &ns, kept, have)) != COUNCIL_OK)
            return rc;
        if (sodium_memcmp(have, want, 32) != 0) {
            *why = "log_rewritten";
            return council__fail(c, COUNCIL_ETAMPER, "audit: the log's first %llu events are not "
                                 "the ones the council's signer has seen (the log was rewritten)",
                                 (unsigned long long)kept);
        }
    }
    if (full && kept > 0) {
        if (council__audit_count_below(c, kept, &count) != COUNCIL_OK)
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

/* The store's mark that the signer keeps a head (a head missing from the
 * keyring is then a finding, not a store from before). */
static int mark_head_kept(council *c)
{
    return council__setting_put(c, "log_head_kept", (const uint8_t *)"1", 1, false) == COUNCIL_OK
               ? COUNCIL_OK
               : council__fail(c, COUNCIL_EIO, "audit: database error");
}

/* Keep f as the signer's head (after the transaction that logged it). */
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

static int head_keep(council *c, const struct head_seen *hs)
{
    int rc = council__keyring_update(c, head_store_fn, (void *)(uintptr_t)hs);

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

int council__audit_head_advance(council *c)
{
    struct head_seen *f;
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

static int sign_checkpoint(council *c, council_buf *out, uint64_t *size_out,
                           council__frontier *f, const char **why)
{
    char origin[COUNCIL__ORIGIN_MAX], body[256];
    uint8_t root[COUNCIL_HASH_BYTES], have[COUNCIL_HASH_BYTES];
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
    if ((rc = tree_root(c, &ns, n, have)) != COUNCIL_OK)
        return rc;
    if (sodium_memcmp(have, root, 32) != 0) {
        *why = "log_tree_mismatch";
        return council__fail(c, COUNCIL_ETAMPER, "audit: the stored tree does not match the events");
    }
    council__log_origin(origin, c->council_id);
    if ((rc = council__checkpoint_body(body, sizeof body, &body_len, origin, n, root)) != COUNCIL_OK ||
        (rc = council__note_sign(out, body, body_len, origin, &c->log_sk, c->log_pk)) != COUNCIL_OK)
        return council__fail(c, rc, "audit: cannot sign the checkpoint");
    if (council__audit_checkpoint_put(c, n, (const char *)out->ptr, out->len) != COUNCIL_OK) {
        council_buf_free(out);
        return council__fail(c, COUNCIL_EIO, "audit: cannot store the checkpoint");
    }
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
    struct head_seen *f = council__malloc(sizeof *f);
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
        (rc = sign_checkpoint(c, out, size_out, &f->f, &why)) != COUNCIL_OK) {
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

/* The signer's head replaced by the whole log again, from its bytes, the
 * reset's own event `ev` included. One transaction: the log as it is must
 * be a tree of its events (else ETAMPER, a finding on the record and no
 * reset), then the event is appended and folded in too, and committed.
 * Only then does council.keyring take the new head (a head ahead of the
 * store would refuse every checkpoint). If that write fails, the reset's
 * event stands without it and the call says so: the old head stays, and
 * the reset may be called again. */
int council__audit_head_replace(council *c, const council__event *ev)
{
    council__frontier *f;
    const char *why = NULL;
    uint64_t n = 0;
    int rc;

    if ((f = council__malloc(sizeof *f)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", "audit_head_reset");
    council__frontier_init(f);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK) {
        council__free(f);
        return rc;
    }
    if ((rc = council__audit_size(c, &n)) == COUNCIL_OK &&
        (rc = fold_events(c, f, n, &why)) == COUNCIL_OK &&
        (rc = council__audit_append(c, ev)) == COUNCIL_OK)
        rc = fold_events(c, f, n + 1, &why);
    rc = council__finish(c, rc);
    if (rc == COUNCIL_ETAMPER)
        rc = tamper_logged(c, rc, why);
    if (rc == COUNCIL_OK)
        rc = council__keyring_update(c, head_replace_fn, f);
    /* The head is in place: the store's mark that one is kept follows (the
     * next secretariat session sets it again if this fails). */
    if (rc == COUNCIL_OK && mark_head_kept(c) != COUNCIL_OK)
        council__clear(c);
    council__free(f);
    return rc;
}
