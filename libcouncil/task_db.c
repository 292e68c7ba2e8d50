/*
 * task_db.c - the tables case_assign (a case's lead member, workers and
 * next review) and task (support tasks): every SQL statement on them, the
 * rows' signatures made and checked, and the walks task.c's lists use.
 * The operations are task.c's.
 *
 * Every row that says who is assigned, when a case is reviewed or where a
 * task stands is signed (attest.c) and checked before it is used:
 *     assignment (kind "case_assign", signer: the secretariat or the owner):
 *         case || lead || u64be(review) || u64be(updated) || u32be(n) || workers
 *     task (kind "task", signer: the secretariat or the owner):
 *         id || case || member || staff (zeros if none) || memo
 *         || u64be(due) || decision (zeros if none) || u64be(created)
 *     task state (kind "task_state", signer: those, or the member responsible):
 *         id || u32be(state) || u64be(updated)
 *         An older signed state put back still checks: the state is held
 *         against the log's TASK_UPDATED events before a transition
 *         (council__task_log_check).
 * so a worker written in, a review moved or a task's member changed by
 * someone holding the database key is refused (ETAMPER, a tamper finding).
 * Rows are checked whole, never filtered by an unchecked column first.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/task.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "sql.h"
#include "attest.h"
#include "case_db.h"
#include "log.h"
#include "task_db.h"
#include "store.h"

#define T_OPEN COUNCIL__V1__TASK_STATE__TASK_STATE_OPEN
#define T_DONE COUNCIL__V1__TASK_STATE__TASK_STATE_DONE
#define T_CANCELLED COUNCIL__V1__TASK_STATE__TASK_STATE_CANCELLED

static const uint8_t zero16[COUNCIL_ID_BYTES];

static int forged(council *c, const uint8_t *case_id, const char *reason, const char *op)
{
    (void)council__tamper(c, case_id, NULL, NULL, reason);
    return council__fail(c, COUNCIL_ETAMPER, "%s: an assignment or task row is not one the "
                         "secretariat or the case's owner signed (changed outside the library)",
                         op);
}


static bool signer_ok(const council__case *k, const uint8_t *signer, const uint8_t *also)
{
    return sodium_is_zero(signer, COUNCIL_ID_BYTES) ||
           sodium_memcmp(signer, k->owner, COUNCIL_ID_BYTES) == 0 ||
           (also != NULL && sodium_memcmp(signer, also, COUNCIL_ID_BYTES) == 0);
}

/* attest check: ok, not ok, or a failure to pass on (EIO, ENOMEM). */
static int check_sig(council *c, const char *kind, const uint8_t *m, size_t len,
                     sqlite3_stmt *st, int col, bool *ok)
{
    int rc;

    *ok = false;
    if (sqlite3_column_bytes(st, col) != COUNCIL_ID_BYTES)
        return COUNCIL_OK;
    rc = council__attest_check(c, kind, m, len, sqlite3_column_blob(st, col), COUNCIL_ID_BYTES,
                               sqlite3_column_blob(st, col + 1),
                               (size_t)sqlite3_column_bytes(st, col + 1));
    if (rc == COUNCIL_EIO || rc == COUNCIL_ENOMEM)
        return rc;
    council__clear(c);
    *ok = rc == COUNCIL_OK;
    return COUNCIL_OK;
}

/* Load a case for op: ENOTFOUND for an erased one too. */

#define AMSG_MAX (2 * COUNCIL_ID_BYTES + 8 + 8 + 4 + COUNCIL_ID_BYTES * COUNCIL_WORKERS_MAX)

static size_t asg_msg(uint8_t *m, const uint8_t case_id[COUNCIL_ID_BYTES], const council__asg *a)
{
    uint8_t *p = council__put_bytes(m, case_id, COUNCIL_ID_BYTES);

    p = council__put_bytes(p, a->lead, COUNCIL_ID_BYTES);
    p = council__put_u64(p, (uint64_t)a->review);
    p = council__put_u64(p, (uint64_t)a->updated);
    p = council__put_u32(p, (uint32_t)a->n);
    for (size_t i = 0; i < a->n; i++)
        p = council__put_bytes(p, a->workers[i], COUNCIL_ID_BYTES);
    return (size_t)(p - m);
}

/* The case's assignment as signed; the owner as lead and nothing else when
 * none is stored. ETAMPER (logged) for a row not signed by the secretariat
 * or the owner. */
int council__asg_load(council *c, const char *op, const council__case *k, council__asg *a)
{
    sqlite3_stmt *st = NULL;
    uint8_t m[AMSG_MAX];
    bool ok = false;
    int src, rc = COUNCIL_OK;

    memset(a, 0, sizeof *a);
    memcpy(a->lead, k->owner, COUNCIL_ID_BYTES);
    if (council__prepare(c, "SELECT lead, workers, review, updated, signer, sig FROM "
                                  "case_assign WHERE case_id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, k->id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        int wn = sqlite3_column_bytes(st, 1);
        a->stored = true;
        if (sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES && wn >= 0 &&
            wn % COUNCIL_ID_BYTES == 0 && wn <= COUNCIL_ID_BYTES * COUNCIL_WORKERS_MAX &&
            sqlite3_column_type(st, 2) == SQLITE_INTEGER &&
            sqlite3_column_type(st, 3) == SQLITE_INTEGER) {
            memcpy(a->lead, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
            a->n = (size_t)wn / COUNCIL_ID_BYTES;
            if (wn > 0)
                memcpy(a->workers, sqlite3_column_blob(st, 1), (size_t)wn);
            a->review = sqlite3_column_int64(st, 2);
            a->updated = sqlite3_column_int64(st, 3);
            rc = check_sig(c, "case_assign", m, asg_msg(m, k->id, a), st, 4, &ok);
            ok = ok && signer_ok(k, sqlite3_column_blob(st, 4), NULL);
        }
    } else if (src != SQLITE_DONE) {
        rc = council__db_err(c, op);
    } else {
        ok = true;
    }
    council__finalize(c, st);
    if (rc != COUNCIL_OK)
        return rc;
    if (!ok) {
        memset(a, 0, sizeof *a);
        return forged(c, k->id, "forged_assignment_row", op);
    }
    return COUNCIL_OK;
}

int council__asg_store(council *c, const char *op, const council__case *k, council__asg *a)
{
    uint8_t m[AMSG_MAX], signer[COUNCIL_ID_BYTES], sig[64];
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = council__attest_sign(c, "case_assign", m, asg_msg(m, k->id, a), signer, sig)) !=
        COUNCIL_OK)
        return rc;
    if (council__prepare(c, "INSERT OR REPLACE INTO case_assign (case_id, lead, workers, "
                                  "review, updated, signer, sig) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                                  "?7);", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, k->id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, a->lead, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, a->workers, (int)(a->n * COUNCIL_ID_BYTES), SQLITE_STATIC) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 4, a->review) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, a->updated) != SQLITE_OK ||
        sqlite3_bind_blob(st, 6, signer, sizeof signer, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 7, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    a->stored = rc == COUNCIL_OK;
    return rc;
}

/* The start of a change of k's assignment: arguments checked, case loaded,
 * the log-first transaction begun, the session's right checked (refusal
 * logged) and the assignment as signed loaded into a. */

#define TMSG_MAX (16 * 6 + 16)
#define SMSG_MAX (16 + 4 + 8)
#define TASK_COLS "id, case_id, member, staff, memo_id, due, decision_id, created, signer, sig, " \
                  "state, updated, state_signer, state_sig"

static size_t task_msg(uint8_t *m, const council__task_row *t)
{
    uint8_t *p = council__put_bytes(m, t->id, 16);

    p = council__put_bytes(p, t->case_id, 16);
    p = council__put_bytes(p, t->member, 16);
    p = council__put_bytes(p, t->has_staff ? t->staff : zero16, 16);
    p = council__put_bytes(p, t->memo, 16);
    p = council__put_u64(p, (uint64_t)t->due);
    p = council__put_bytes(p, t->has_decision ? t->decision : zero16, 16);
    p = council__put_u64(p, (uint64_t)t->created);
    return (size_t)(p - m);
}

static size_t state_msg(uint8_t *m, const council__task_row *t)
{
    uint8_t *p = council__put_bytes(m, t->id, 16);

    p = council__put_u32(p, (uint32_t)t->state);
    p = council__put_u64(p, (uint64_t)t->updated);
    return (size_t)(p - m);
}

static bool id_col(sqlite3_stmt *st, int col, uint8_t out[16], bool *has)
{
    int n = sqlite3_column_bytes(st, col);

    if (has != NULL) {
        *has = n == 16;
        if (n == 0 && sqlite3_column_type(st, col) == SQLITE_NULL)
            return true;
    }
    if (n != 16)
        return false;
    memcpy(out, sqlite3_column_blob(st, col), 16);
    return true;
}

/* A task row (TASK_COLS) read and checked against its signatures; its case
 * loaded into k. ETAMPER (logged) for a forged row. */
static int task_read(council *c, const char *op, sqlite3_stmt *st, council__task_row *t, council__case *k)
{
    uint8_t m[TMSG_MAX];
    bool ok, ok2 = false;
    int rc;

    memset(t, 0, sizeof *t);
    ok = id_col(st, 0, t->id, NULL) && id_col(st, 1, t->case_id, NULL) &&
         id_col(st, 2, t->member, NULL) && id_col(st, 3, t->staff, &t->has_staff) &&
         id_col(st, 4, t->memo, NULL) && id_col(st, 6, t->decision, &t->has_decision) &&
         sqlite3_column_type(st, 5) == SQLITE_INTEGER &&
         sqlite3_column_type(st, 7) == SQLITE_INTEGER &&
         sqlite3_column_type(st, 10) == SQLITE_INTEGER &&
         sqlite3_column_type(st, 11) == SQLITE_INTEGER;
    if (ok) {
        t->due = sqlite3_column_int64(st, 5);
        t->created = sqlite3_column_int64(st, 7);
        t->state = sqlite3_column_int(st, 10);
        t->updated = sqlite3_column_int64(st, 11);
        ok = t->state >= T_OPEN && t->state <= T_CANCELLED;
    }
    if (!ok)
        return forged(c, NULL, "forged_task_row", op);
    if ((rc = council__case_load(c, op, t->case_id, k)) != COUNCIL_OK)
        return rc == COUNCIL_ENOTFOUND ? forged(c, NULL, "forged_task_row", op) : rc;
    if ((rc = check_sig(c, "task", m, task_msg(m, t), st, 8, &ok)) != COUNCIL_OK ||
        (rc = check_sig(c, "task_state", m, state_msg(m, t), st, 12, &ok2)) != COUNCIL_OK)
        return rc;
    ok = ok && signer_ok(k, sqlite3_column_blob(st, 8), NULL) && ok2 &&
         signer_ok(k, sqlite3_column_blob(st, 12), t->member);
    return ok ? COUNCIL_OK : forged(c, t->case_id, "forged_task_row", op);
}

/* The log's word on a task's state: its last allowed transition event. */
struct state_walk {
    int state;
};

static int state_event(void *ctx, const council__object_event *ev)
{
    struct state_walk *w = ctx;

    if (!ev->allowed)
        return 0;
    if (strcmp(ev->reason, "done") == 0)
        w->state = T_DONE;
    else if (strcmp(ev->reason, "cancelled") == 0)
        w->state = T_CANCELLED;
    return 0;
}

int council__task_log_check(council *c, const char *op, const council__task_row *t,
                            const council__case *k)
{
    struct state_walk w = { T_OPEN };
    int rc = council__log_object_actions(c, op, k->ref, t->id, COUNCIL_AUDIT_ACTION_TASK_UPDATED,
                                         COUNCIL_AUDIT_ACTION_TASK_UPDATED, state_event, &w);

    if (rc == COUNCIL_ETAMPER) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", council_errmsg(c));
        if ((rc = council__tamper(c, t->case_id, NULL, NULL, "log_event_edited")) != COUNCIL_OK)
            return rc;
        return council__fail(c, COUNCIL_ETAMPER, "%s", msg);
    }
    if (rc != COUNCIL_OK)
        return rc;
    if (w.state != t->state) {
        if ((rc = council__tamper(c, t->case_id, NULL, t->member, "task_rolled_back")) != COUNCIL_OK)
            return rc;
        return council__fail(c, COUNCIL_ETAMPER, "%s: the task's state is not the one the audit "
                             "log records (an older state was put back outside the library)", op);
    }
    return COUNCIL_OK;
}

/* The task's state signed and written: the session signs only the state,
 * so the member responsible never re-signs what the owner decided. */
int council__task_write_state(council *c, const char *op, const council__task_row *t)
{
    uint8_t m[SMSG_MAX], signer[16], sig[64];
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = council__attest_sign(c, "task_state", m, state_msg(m, t), signer, sig)) != COUNCIL_OK)
        return rc;
    if (council__prepare(c, "UPDATE task SET state = ?2, updated = ?3, state_signer = ?4, "
                                  "state_sig = ?5 WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, t->id, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, t->state) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, t->updated) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, signer, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 5, sig, 64, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

/* The task's signatures made and its row written (new, or replaced): the
 * secretariat or the owner only. */
int council__task_write(council *c, const char *op, const council__task_row *t, bool fresh)
{
    uint8_t m[TMSG_MAX], signer[16], sig[64];
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = council__attest_sign(c, "task", m, task_msg(m, t), signer, sig)) != COUNCIL_OK)
        return rc;
    if (council__prepare(c, fresh ? "INSERT INTO task (" TASK_COLS ", seq) VALUES (?1, ?2, "
                                          "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0, 0, x'', x'', "
                                          "(SELECT coalesce(max(seq), 0) + 1 FROM task));"
                                        : "UPDATE task SET case_id = ?2, member = ?3, staff = ?4, "
                                          "memo_id = ?5, due = ?6, decision_id = ?7, created = ?8, "
                                          "signer = ?9, sig = ?10 WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, t->id, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, t->case_id, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, t->member, 16, SQLITE_STATIC) != SQLITE_OK ||
        (t->has_staff ? sqlite3_bind_blob(st, 4, t->staff, 16, SQLITE_STATIC)
                      : sqlite3_bind_null(st, 4)) != SQLITE_OK ||
        sqlite3_bind_blob(st, 5, t->memo, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 6, t->due) != SQLITE_OK ||
        (t->has_decision ? sqlite3_bind_blob(st, 7, t->decision, 16, SQLITE_STATIC)
                         : sqlite3_bind_null(st, 7)) != SQLITE_OK ||
        sqlite3_bind_int64(st, 8, t->created) != SQLITE_OK ||
        sqlite3_bind_blob(st, 9, signer, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 10, sig, 64, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc == COUNCIL_OK && fresh)
        rc = council__task_write_state(c, op, t);
    return rc;
}

/* Task id, checked, with its case. ENOTFOUND, ETAMPER, EIO. */
int council__task_load(council *c, const char *op, const uint8_t id[16], council__task_row *t, council__case *k)
{
    sqlite3_stmt *st = NULL;
    int src, rc;

    if (council__prepare(c, "SELECT " TASK_COLS " FROM task WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        rc = task_read(c, op, st, t, k);
    else
        rc = src == SQLITE_DONE ? council__fail(c, COUNCIL_ENOTFOUND, "%s: no such task", op)
                                : council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

/* Every task row, checked, through fn (in seq order, or by due date). */
int council__task_each(council *c, const char *op, bool by_due,
                     int (*fn)(council *c, const council__task_row *t, const council__case *k, void *ctx),
                     void *ctx)
{
    sqlite3_stmt *st = NULL;
    int src = SQLITE_DONE, rc = COUNCIL_OK;

    if (council__prepare(c, by_due ? "SELECT " TASK_COLS " FROM task ORDER BY due, seq;"
                                         : "SELECT " TASK_COLS " FROM task ORDER BY seq;", &st) != SQLITE_OK)
        return council__db_err(c, op);
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        council__task_row t;
        council__case k;
        if ((rc = task_read(c, op, st, &t, &k)) == COUNCIL_OK)
            rc = fn(c, &t, &k, ctx);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

/* May the session see task t of case k (list it, open its text)? */

/* Every stored assignment, checked, through fn (by review date). Rows for a
 * case that is not there count as forged; erased cases are passed over. */
int council__asg_each(council *c, const char *op,
                    int (*fn)(council *c, const council__case *k, const council__asg *a, void *ctx),
                    void *ctx)
{
    sqlite3_stmt *st = NULL;
    int src = SQLITE_DONE, rc = COUNCIL_OK;

    if (council__prepare(c, "SELECT case_id FROM case_assign ORDER BY review, case_id;",
                           &st) != SQLITE_OK)
        return council__db_err(c, op);
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t id[16];
        council__case k;
        council__asg a;
        if (!id_col(st, 0, id, NULL)) {
            rc = forged(c, NULL, "forged_assignment_row", op);
            break;
        }
        rc = council__case_load(c, op, id, &k);
        if (rc == COUNCIL_ENOTFOUND) {
            rc = forged(c, NULL, "forged_assignment_row", op);
            break;
        }
        if (rc == COUNCIL_OK && k.erased == 0 && (rc = council__asg_load(c, op, &k, &a)) == COUNCIL_OK)
            rc = fn(c, &k, &a, ctx);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}


/* ------------------------------------------------------- key changes */

/* The ids (first column) of the rows sql selects for member,
 * into *out (council__calloc'd). */
static int ids_signed_by(council *c, const char *sql, const uint8_t member[COUNCIL_ID_BYTES],
                         uint8_t (**out)[16], size_t *n)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int src = SQLITE_DONE, rc = COUNCIL_OK;

    *out = NULL;
    *n = 0;
    if (council__prepare(c, sql, &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, "keys");
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != 16)
            continue;
        if (*n == cap) {
            uint8_t (*p)[16] = council__calloc(cap == 0 ? 16 : 2 * cap, sizeof *p);
            if (p == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "keys: out of memory");
                break;
            }
            if (*n > 0)
                memcpy(p, *out, *n * sizeof *p);
            council__free(*out);
            *out = p;
            cap = cap == 0 ? 16 : 2 * cap;
        }
        memcpy((*out)[(*n)++], sqlite3_column_blob(st, 0), 16);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, "keys");
    council__finalize(c, st);
    return rc;
}

int council__task_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES])
{
    uint8_t (*ids)[16] = NULL;
    size_t n = 0;
    int rc = ids_signed_by(c, "SELECT case_id FROM case_assign WHERE signer = ?1;", member,
                           &ids, &n);

    /* Rows that check (with the key about to go) are signed again by the
     * council; a forged one stays as it is, refused. */
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        council__case k;
        council__asg a;
        if ((rc = council__case_load(c, "keys", ids[i], &k)) == COUNCIL_OK &&
            (rc = council__asg_load(c, "keys", &k, &a)) == COUNCIL_OK)
            rc = council__asg_store(c, "keys", &k, &a);
        if (rc == COUNCIL_ETAMPER || rc == COUNCIL_ENOTFOUND) {
            council__clear(c);
            rc = COUNCIL_OK;
        }
    }
    council__free(ids);
    ids = NULL;
    if (rc == COUNCIL_OK)
        rc = ids_signed_by(c, "SELECT id FROM task WHERE signer = ?1 OR state_signer = ?1;",
                           member, &ids, &n);
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        council__case k;
        council__task_row t;
        if ((rc = council__task_load(c, "keys", ids[i], &t, &k)) == COUNCIL_OK &&
            (rc = council__task_write(c, "keys", &t, false)) == COUNCIL_OK)
            rc = council__task_write_state(c, "keys", &t);
        if (rc == COUNCIL_ETAMPER || rc == COUNCIL_ENOTFOUND) {
            council__clear(c);
            rc = COUNCIL_OK;
        }
    }
    council__free(ids);
    return rc;
}

int council__task_resign_case(council *c, const uint8_t case_id[COUNCIL_ID_BYTES])
{
    uint8_t (*ids)[16] = NULL;
    size_t n = 0;
    council__case k;
    council__asg a;
    int rc = council__case_load(c, "keys", case_id, &k);

    if (rc == COUNCIL_OK && (rc = council__asg_load(c, "keys", &k, &a)) == COUNCIL_OK && a.stored)
        rc = council__asg_store(c, "keys", &k, &a);
    if (rc == COUNCIL_ETAMPER || rc == COUNCIL_ENOTFOUND) {
        council__clear(c);
        rc = COUNCIL_OK;
    }
    if (rc == COUNCIL_OK)
        rc = ids_signed_by(c, "SELECT id FROM task WHERE case_id = ?1;", case_id, &ids, &n);
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        council__task_row t;
        if ((rc = council__task_load(c, "keys", ids[i], &t, &k)) == COUNCIL_OK &&
            (rc = council__task_write(c, "keys", &t, false)) == COUNCIL_OK)
            rc = council__task_write_state(c, "keys", &t);
        if (rc == COUNCIL_ETAMPER || rc == COUNCIL_ENOTFOUND) {
            council__clear(c);
            rc = COUNCIL_OK;
        }
    }
    council__free(ids);
    return rc;
}

/* ------------------------------------------------------------ report */

static int count_one(council *c, const council__task_row *t, const council__case *k, void *vctx)
{
    int64_t (*counts)[3] = vctx;

    (void)c;
    if (k->erased == 0 && k->body >= 1 && k->body <= 3)
        counts[t->state - 1][k->body - 1]++;
    return COUNCIL_OK;
}

int council__task_counts(council *c, const char *op, int64_t counts[3][3])
{
    return council__task_each(c, op, false, count_one, counts);
}
