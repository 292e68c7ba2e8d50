/*
 * request_db.c - cooperation requests' rows: the table cooperation_request
 * (every SQL statement on it is here), the signatures over each row and
 * their checks (request_db.h). What a request is: request.c.
 *
 * Two signatures guard each row (attest.c): the council side's over what
 * was asked ("request": the log key, or the signing key of a member in the
 * secretariat's or the coordinating body's role), and, once the request
 * ends, the signature of whoever ended it over that end and what was asked
 * ("request_state": the member asked for an answer or a decline, the
 * council side for a withdrawal). A member's signature is the council
 * side's while its register row gives it the role; before the role goes
 * (or the member, or its key), the council signs its rows again with the
 * log key (council__req_resign). Both are checked each time a row is
 * loaded, before it decides anything; a row that fails is ETAMPER and a
 * tamper finding (forged_request). A request's end erased (the state
 * columns nulled: open again) leaves valid rows; the log's events of the
 * request catch it before it is ended again (council__req_log_check).
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council_int.h"
#include "crypto.h"
#include "event.h"
#include "sql.h"
#include "attest.h"
#include "log.h"
#include "member_db.h"
#include "request_db.h"
#include "store.h"

/* The bytes a signature binds: labels, ids, numbers, codes and two scope
 * lists of at most 32 codes each. */
#define MSG_MAX 8192
#define KINDS_ALL (COUNCIL_REQUEST_KIND_INFORMATION | COUNCIL_REQUEST_KIND_OPINION | \
                   COUNCIL_REQUEST_KIND_OTHER)

static const uint8_t zero_id[COUNCIL_ID_BYTES];

/* ------------------------------------------------------------ binding */

static uint8_t *put_code(uint8_t *p, const char *s)
{
    size_t n = strlen(s); /* <= 64: codes are checked before */

    *p++ = (uint8_t)n;
    return council__put_bytes(p, s, n);
}

static uint8_t *put_codes(uint8_t *p, char (*list)[COUNCIL__REQ_CODE_CAP], size_t n)
{
    *p++ = (uint8_t)n;
    for (size_t i = 0; i < n; i++)
        p = put_code(p, list[i]);
    return p;
}

/* What the council side signs: "council/request/v1\0" || council || id ||
 * case || member || to || u32 kinds || u64 due || u64 made || made member
 * || made staff || basis || consent (zeros) || u8 has || text memo ||
 * scopes. */
static size_t core_msg(const council *c, const council__req *r, uint8_t *m)
{
    static const char label[] = "council/request/v1";
    uint8_t *p = council__put_bytes(m, label, sizeof label);

    p = council__put_bytes(p, c->council_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, r->id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, r->case_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, r->member, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, r->to, COUNCIL_ID_BYTES);
    p = council__put_u32(p, r->kinds);
    p = council__put_u64(p, (uint64_t)r->due);
    p = council__put_u64(p, (uint64_t)r->made);
    p = council__put_bytes(p, r->made_member, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, r->made_staff, COUNCIL_ID_BYTES);
    p = put_code(p, r->basis);
    p = council__put_bytes(p, r->has_consent ? r->consent : zero_id, COUNCIL_ID_BYTES);
    *p++ = r->has_consent ? 1 : 0;
    p = council__put_bytes(p, r->text_memo, COUNCIL_ID_BYTES);
    p = put_codes(p, (char (*)[COUNCIL__REQ_CODE_CAP])(uintptr_t)r->scopes, r->n_scopes);
    return (size_t)(p - m);
}

/* What ends a request: "council/request-state/v1\0" || BLAKE2b-256(core)
 * || u8 state || u64 at || by member || by staff || reason || answer memo
 * (zeros) || u8 has || reason memo (zeros) || u8 has || provided. */
static size_t state_msg(const council *c, const council__req *r, uint8_t *m)
{
    static const char label[] = "council/request-state/v1";
    uint8_t core[MSG_MAX];
    size_t n = core_msg(c, r, core);
    uint8_t *p = council__put_bytes(m, label, sizeof label);

    crypto_generichash(p, 32, core, n, NULL, 0);
    p += 32;
    *p++ = (uint8_t)r->state;
    p = council__put_u64(p, (uint64_t)r->state_at);
    p = council__put_bytes(p, r->by_member, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, r->by_staff, COUNCIL_ID_BYTES);
    p = put_code(p, r->reason);
    p = council__put_bytes(p, r->has_answer ? r->answer_memo : zero_id, COUNCIL_ID_BYTES);
    *p++ = r->has_answer ? 1 : 0;
    p = council__put_bytes(p, r->has_reason_memo ? r->reason_memo : zero_id, COUNCIL_ID_BYTES);
    *p++ = r->has_reason_memo ? 1 : 0;
    p = put_codes(p, (char (*)[COUNCIL__REQ_CODE_CAP])(uintptr_t)r->provided, r->n_provided);
    return (size_t)(p - m);
}


/* ------------------------------------------------------------ who signs */

/* Is signer the council side: the log key (zeros), or a member whose
 * signed register row gives it the secretariat's or the coordinating
 * body's role? */
static int council_signer(council *c, const char *op, const uint8_t *signer, bool *yes)
{
    uint32_t roles = 0;
    int rc;

    *yes = false;
    if (sodium_is_zero(signer, COUNCIL_ID_BYTES)) {
        *yes = true;
        return COUNCIL_OK;
    }
    if ((rc = council__member_check(c, op, signer)) != COUNCIL_OK)
        return rc == COUNCIL_ENOTFOUND ? COUNCIL_OK : rc;
    if ((rc = council__member_roles(c, op, signer, &roles)) != COUNCIL_OK)
        return rc;
    *yes = (roles & (COUNCIL_ROLE_SECRETARIAT | COUNCIL_ROLE_COORDINATING_BODY)) != 0;
    return COUNCIL_OK;
}

/* ------------------------------------------------------------ rows */

static bool split_codes(const char *s, char (*out)[COUNCIL__REQ_CODE_CAP], size_t *n)
{
    *n = 0;
    if (s == NULL)
        return false;
    while (*s != '\0') {
        const char *e = strchr(s, ',');
        size_t len = e != NULL ? (size_t)(e - s) : strlen(s);
        if (len == 0 || len > COUNCIL__AUDIT_CODE_MAX || *n >= COUNCIL__REQ_SCOPES_MAX)
            return false;
        memcpy(out[*n], s, len);
        out[*n][len] = '\0';
        if (!council__audit_code_ok(out[*n]))
            return false;
        (*n)++;
        s += len + (e != NULL ? 1 : 0);
        if (e != NULL && *s == '\0')
            return false;
    }
    return true;
}

static void join_codes(char *out, char (*list)[COUNCIL__REQ_CODE_CAP], size_t n)
{
    size_t k = 0;

    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(list[i]);
        if (i > 0)
            out[k++] = ',';
        memcpy(out + k, list[i], len);
        k += len;
        out[k] = '\0';
    }
}

#define JOINED_MAX (COUNCIL__REQ_SCOPES_MAX * COUNCIL__REQ_CODE_CAP + 1)

static bool col_id(sqlite3_stmt *st, int col, uint8_t out[COUNCIL_ID_BYTES], bool *has)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL) {
        memset(out, 0, COUNCIL_ID_BYTES);
        if (has != NULL)
            *has = false;
        return has != NULL;
    }
    if (sqlite3_column_bytes(st, col) != COUNCIL_ID_BYTES)
        return false;
    memcpy(out, sqlite3_column_blob(st, col), COUNCIL_ID_BYTES);
    if (has != NULL)
        *has = true;
    return true;
}

static bool col_code(sqlite3_stmt *st, int col, char out[COUNCIL__REQ_CODE_CAP], bool may_be_null)
{
    const unsigned char *s = sqlite3_column_text(st, col);

    out[0] = '\0';
    if (s == NULL)
        return may_be_null;
    if (!council__audit_code_ok((const char *)s))
        return false;
    strcpy(out, (const char *)s);
    return true;
}

/* The row's signatures: ETAMPER (no message) when one fails, EIO. */
static int row_check(council *c, const char *op, const council__req *r, sqlite3_stmt *st)
{
    uint8_t m[MSG_MAX];
    size_t n = core_msg(c, r, m);
    bool ok = false;
    int rc;

    if (sqlite3_column_bytes(st, 11) != COUNCIL_ID_BYTES)
        return COUNCIL_ETAMPER;
    if ((rc = council__attest_check(c, "request", m, n, sqlite3_column_blob(st, 11),
                                    (size_t)sqlite3_column_bytes(st, 11),
                                    sqlite3_column_blob(st, 12),
                                    (size_t)sqlite3_column_bytes(st, 12))) != COUNCIL_OK)
        return rc;
    /* What was asked is the council side's word, and names its writer. */
    if ((rc = council_signer(c, op, sqlite3_column_blob(st, 11), &ok)) != COUNCIL_OK)
        return rc;
    if (!ok || (!sodium_is_zero(sqlite3_column_blob(st, 11), COUNCIL_ID_BYTES) &&
                sodium_memcmp(sqlite3_column_blob(st, 11), r->made_member, COUNCIL_ID_BYTES) != 0))
        return COUNCIL_ETAMPER;
    if (r->state == COUNCIL_REQUEST_OPEN) {
        if (sqlite3_column_type(st, 21) != SQLITE_NULL || sqlite3_column_type(st, 22) != SQLITE_NULL ||
            r->state_at != 0 || r->has_answer || r->has_reason_memo || r->n_provided != 0 ||
            r->reason[0] != '\0')
            return COUNCIL_ETAMPER;
        return COUNCIL_OK;
    }
    if (r->state != COUNCIL_REQUEST_ANSWERED && r->state != COUNCIL_REQUEST_DECLINED &&
        r->state != COUNCIL_REQUEST_WITHDRAWN)
        return COUNCIL_ETAMPER;
    if (sqlite3_column_bytes(st, 21) != COUNCIL_ID_BYTES)
        return COUNCIL_ETAMPER;
    n = state_msg(c, r, m);
    if ((rc = council__attest_check(c, "request_state", m, n, sqlite3_column_blob(st, 21),
                                    (size_t)sqlite3_column_bytes(st, 21),
                                    sqlite3_column_blob(st, 22),
                                    (size_t)sqlite3_column_bytes(st, 22))) != COUNCIL_OK)
        return rc;
    if (r->state == COUNCIL_REQUEST_WITHDRAWN) {
        /* only the council side withdraws */
        if ((rc = council_signer(c, op, sqlite3_column_blob(st, 21), &ok)) != COUNCIL_OK)
            return rc;
        return ok && (sodium_is_zero(sqlite3_column_blob(st, 21), COUNCIL_ID_BYTES) ||
                      sodium_memcmp(sqlite3_column_blob(st, 21), r->by_member,
                                    COUNCIL_ID_BYTES) == 0) ? COUNCIL_OK : COUNCIL_ETAMPER;
    }
    /* only the member asked answers or declines (its signing key; the log
     * key when the member asked is the secretariat's) */
    return (sodium_memcmp(sqlite3_column_blob(st, 21), r->member, COUNCIL_ID_BYTES) == 0 ||
            sodium_is_zero(sqlite3_column_blob(st, 21), COUNCIL_ID_BYTES)) &&
                   sodium_memcmp(r->by_member, r->member, COUNCIL_ID_BYTES) == 0
               ? COUNCIL_OK : COUNCIL_ETAMPER;
}

static const char select_sql[] =
    "SELECT case_id, member, council_member, kinds, scopes, basis, consent_id, text_memo, due, "
    "made, made_by, signer, sig, state, state_at, state_by_member, state_by_staff, reason, "
    "answer_memo, reason_memo, provided, state_signer, state_sig FROM cooperation_request "
    "WHERE id = ?1;";

/* Load and check request id: ENOTFOUND, ETAMPER (a finding logged), EIO. */
int council__req_load(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES], council__req *r)
{
    sqlite3_stmt *st = NULL;
    bool has = false, shape;
    int rc = COUNCIL_OK, src;

    memset(r, 0, sizeof *r);
    memcpy(r->id, id, COUNCIL_ID_BYTES);
    if (council__prepare(c, select_sql, &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    if ((src = sqlite3_step(st)) != SQLITE_ROW) {
        council__finalize(c, st);
        return src == SQLITE_DONE ? council__fail(c, COUNCIL_ENOTFOUND, "%s: no such request", op)
                                  : council__db_err(c, op);
    }
    shape = col_id(st, 0, r->case_id, NULL) && col_id(st, 1, r->member, NULL) &&
            col_id(st, 2, r->to, NULL) && sqlite3_column_type(st, 3) == SQLITE_INTEGER &&
            split_codes((const char *)sqlite3_column_text(st, 4), r->scopes, &r->n_scopes) &&
            col_code(st, 5, r->basis, false) && col_id(st, 6, r->consent, &r->has_consent) &&
            col_id(st, 7, r->text_memo, NULL) && sqlite3_column_type(st, 8) == SQLITE_INTEGER &&
            sqlite3_column_type(st, 9) == SQLITE_INTEGER && col_id(st, 10, r->made_staff, NULL) &&
            sqlite3_column_type(st, 13) == SQLITE_INTEGER &&
            col_id(st, 15, r->by_member, &has) && col_id(st, 16, r->by_staff, &has) &&
            col_code(st, 17, r->reason, true) && col_id(st, 18, r->answer_memo, &r->has_answer) &&
            col_id(st, 19, r->reason_memo, &r->has_reason_memo) &&
            (sqlite3_column_type(st, 20) == SQLITE_NULL ||
             split_codes((const char *)sqlite3_column_text(st, 20), r->provided, &r->n_provided));
    if (shape) {
        int64_t k = sqlite3_column_int64(st, 3);
        r->kinds = k > 0 && k <= (int64_t)KINDS_ALL ? (uint32_t)k : 0;
        r->due = sqlite3_column_int64(st, 8);
        r->made = sqlite3_column_int64(st, 9);
        r->state = (int)sqlite3_column_int64(st, 13);
        r->state_at = sqlite3_column_type(st, 14) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 14);
        if (sqlite3_column_bytes(st, 11) == COUNCIL_ID_BYTES)
            memcpy(r->made_member, sqlite3_column_blob(st, 11), COUNCIL_ID_BYTES);
        rc = r->kinds == 0 ? COUNCIL_ETAMPER : row_check(c, op, r, st);
    } else {
        rc = COUNCIL_ETAMPER;
    }
    council__finalize(c, st);
    if (rc == COUNCIL_ETAMPER) {
        if ((rc = council__tamper(c, sodium_is_zero(r->case_id, 16) ? NULL : r->case_id, NULL, sodium_is_zero(r->member, 16) ? NULL : r->member,
                                  "forged_request")) != COUNCIL_OK)
            return rc;
        return council__fail(c, COUNCIL_ETAMPER, "%s: a request's row is not signed by the "
                             "council or the member asked (changed outside the library)", op);
    }
    if (rc != COUNCIL_OK)
        return council__db_err(c, op);
    return COUNCIL_OK;
}

/* The row of a new request, signed by the council side. */
int council__req_insert(council *c, const char *op, council__req *r)
{
    uint8_t m[MSG_MAX], signer[COUNCIL_ID_BYTES], sig[64];
    char scopes[JOINED_MAX];
    sqlite3_stmt *st = NULL;
    int rc;

    rc = council__attest_sign(c, "request", m, core_msg(c, r, m), signer, sig);
    if (rc != COUNCIL_OK)
        return rc;
    if (sodium_memcmp(signer, r->made_member, COUNCIL_ID_BYTES) != 0)
        return council__fail(c, COUNCIL_ERROR, "%s: the signer is not the maker", op);
    join_codes(scopes, r->scopes, r->n_scopes);
    if (council__prepare(c, "INSERT INTO cooperation_request (id, case_id, member, "
                                  "council_member, kinds, scopes, basis, consent_id, text_memo, due, "
                                  "made, made_by, signer, sig, state) VALUES (?1, ?2, ?3, ?4, ?5, "
                                  "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15);", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, r->id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, r->case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, r->member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, r->to, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, r->kinds) != SQLITE_OK ||
        sqlite3_bind_text(st, 6, scopes, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 7, r->basis, -1, SQLITE_STATIC) != SQLITE_OK ||
        (r->has_consent ? sqlite3_bind_blob(st, 8, r->consent, COUNCIL_ID_BYTES, SQLITE_STATIC)
                        : sqlite3_bind_null(st, 8)) != SQLITE_OK ||
        sqlite3_bind_blob(st, 9, r->text_memo, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 10, r->due) != SQLITE_OK ||
        sqlite3_bind_int64(st, 11, r->made) != SQLITE_OK ||
        sqlite3_bind_blob(st, 12, r->made_staff, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 13, signer, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 14, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 15, COUNCIL_REQUEST_OPEN) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot store the request", op);
    council__finalize(c, st);
    return rc;
}

/* The request's end (r->state and its fields set), signed by this session. */
int council__req_update(council *c, const char *op, council__req *r)
{
    uint8_t m[MSG_MAX], signer[COUNCIL_ID_BYTES], sig[64];
    char provided[JOINED_MAX];
    sqlite3_stmt *st = NULL;
    int rc = council__attest_sign(c, "request_state", m, state_msg(c, r, m), signer, sig);

    if (rc != COUNCIL_OK)
        return rc;
    join_codes(provided, r->provided, r->n_provided);
    if (council__prepare(c, "UPDATE cooperation_request SET state = ?2, state_at = ?3, "
                                  "state_by_member = ?4, state_by_staff = ?5, reason = ?6, "
                                  "answer_memo = ?7, reason_memo = ?8, provided = ?9, "
                                  "state_signer = ?10, state_sig = ?11 WHERE id = ?1 AND state = "
                                  "1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, r->id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, r->state) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, r->state_at) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, r->by_member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 5, r->by_staff, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        (r->reason[0] != '\0' ? sqlite3_bind_text(st, 6, r->reason, -1, SQLITE_STATIC)
                              : sqlite3_bind_null(st, 6)) != SQLITE_OK ||
        (r->has_answer ? sqlite3_bind_blob(st, 7, r->answer_memo, COUNCIL_ID_BYTES, SQLITE_STATIC)
                       : sqlite3_bind_null(st, 7)) != SQLITE_OK ||
        (r->has_reason_memo
             ? sqlite3_bind_blob(st, 8, r->reason_memo, COUNCIL_ID_BYTES, SQLITE_STATIC)
             : sqlite3_bind_null(st, 8)) != SQLITE_OK ||
        (r->n_provided > 0 ? sqlite3_bind_text(st, 9, provided, -1, SQLITE_STATIC)
                           : sqlite3_bind_null(st, 9)) != SQLITE_OK ||
        sqlite3_bind_blob(st, 10, signer, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 11, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE || sqlite3_changes(c->db) != 1)
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot store the request's end", op);
    council__finalize(c, st);
    return rc;
}


/* Every request id, oldest first. */
int council__req_ids(council *c, const char *op, int64_t from, int64_t to,
                   uint8_t (**ids)[COUNCIL_ID_BYTES], size_t *n)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, "SELECT id FROM cooperation_request WHERE made >= ?1 AND made "
                                  "< ?2 ORDER BY made, id;", &st) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, from) != SQLITE_OK || sqlite3_bind_int64(st, 2, to) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return council__sql_ids(c, op, st, ids, n);
}

/* ------------------------------------------------------------ the log */

struct end_walk {
    int ends, last;
};

static int end_event(void *ctx, const council__object_event *ev)
{
    struct end_walk *w = ctx;

    if (ev->allowed) {
        w->ends++;
        w->last = ev->action;
    }
    return 0;
}

int council__req_log_check(council *c, const char *op, const council__req *r,
                           const uint8_t case_ref[32])
{
    struct end_walk w = { 0, 0 };
    int want = r->state == COUNCIL_REQUEST_ANSWERED    ? COUNCIL_AUDIT_ACTION_REQUEST_ANSWERED
               : r->state == COUNCIL_REQUEST_DECLINED  ? COUNCIL_AUDIT_ACTION_REQUEST_DECLINED
               : r->state == COUNCIL_REQUEST_WITHDRAWN ? COUNCIL_AUDIT_ACTION_REQUEST_WITHDRAWN
                                                       : 0;
    int rc = council__log_object_actions(c, op, case_ref, r->id, COUNCIL_AUDIT_ACTION_REQUEST_ANSWERED,
                                         COUNCIL_AUDIT_ACTION_REQUEST_WITHDRAWN, end_event, &w);

    if (rc == COUNCIL_ETAMPER) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", council_errmsg(c));
        if ((rc = council__tamper(c, r->case_id, NULL, NULL, "log_event_edited")) != COUNCIL_OK)
            return rc;
        return council__fail(c, COUNCIL_ETAMPER, "%s", msg);
    }
    if (rc != COUNCIL_OK)
        return rc;
    /* Open: no end on the record; ended: the one end, of its kind. */
    if (want == 0 ? w.ends != 0 : (w.ends != 1 || w.last != want)) {
        if ((rc = council__tamper(c, r->case_id, NULL, r->member, "request_rolled_back")) != COUNCIL_OK)
            return rc;
        return council__fail(c, COUNCIL_ETAMPER, "%s: the request's state is not the one the audit "
                             "log records (its end was erased outside the library)", op);
    }
    return COUNCIL_OK;
}

/* ------------------------------------------------------------ re-signing */

static int resign_one(council *c, const char *sql, const uint8_t id[COUNCIL_ID_BYTES],
                      const uint8_t member[COUNCIL_ID_BYTES], const uint8_t *m, size_t n,
                      const char *kind)
{
    uint8_t signer[COUNCIL_ID_BYTES], sig[64];
    sqlite3_stmt *st = NULL;
    int rc = council__attest_sign(c, kind, m, n, signer, sig);

    if (rc != COUNCIL_OK)
        return rc;
    if (council__prepare(c, sql, &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, signer, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, "keys");
    council__finalize(c, st);
    return rc;
}

static int resign_ids(council *c, const char *sql, const uint8_t member[COUNCIL_ID_BYTES],
                      uint8_t (**ids)[COUNCIL_ID_BYTES], size_t *n)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, sql, &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, "keys");
    }
    return council__sql_ids(c, "keys", st, ids, n);
}

/* Request id signed again by the council: what was asked (when `core`:
 * the member signed it; the row then names the council as its maker, its
 * staff kept) and its end. A row that does not check now stays as it is. */
static int resign_row(council *c, const uint8_t id[COUNCIL_ID_BYTES],
                      const uint8_t member[COUNCIL_ID_BYTES], bool core, council__req *r, uint8_t *m)
{
    int rc = council__req_load(c, "keys", id, r);

    if (rc == COUNCIL_ETAMPER || rc == COUNCIL_ENOTFOUND) {
        council__clear(c);
        return COUNCIL_OK;
    }
    if (rc != COUNCIL_OK)
        return rc;
    if (core) {
        memset(r->made_member, 0, COUNCIL_ID_BYTES); /* the log key's row */
        rc = resign_one(c, "UPDATE cooperation_request SET signer = ?2, sig = ?3 WHERE id = ?1 "
                           "AND signer = ?4;", id, member, m, core_msg(c, r, m), "request");
    }
    /* The end binds what was asked: signed again with it (any signer), or,
     * what was asked unchanged, when the member signed the end. */
    if (rc == COUNCIL_OK && r->state != COUNCIL_REQUEST_OPEN)
        rc = resign_one(c, core ? "UPDATE cooperation_request SET state_signer = ?2, state_sig = "
                                  "?3 WHERE id = ?1 AND ?4 IS NOT NULL;"
                                : "UPDATE cooperation_request SET state_signer = ?2, state_sig = "
                                  "?3 WHERE id = ?1 AND state_signer = ?4;",
                        id, member, m, state_msg(c, r, m), "request_state");
    return rc;
}

int council__req_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES])
{
    uint8_t (*ids)[COUNCIL_ID_BYTES] = NULL;
    uint8_t *m = council__malloc(MSG_MAX);
    council__req *r = council__malloc(sizeof *r);
    size_t n = 0;
    int rc = COUNCIL_OK;

    if (m == NULL || r == NULL)
        rc = council__fail(c, COUNCIL_ENOMEM, "keys: out of memory");
    for (int pass = 0; rc == COUNCIL_OK && pass < 2; pass++) {
        rc = resign_ids(c, pass == 0 ? "SELECT id FROM cooperation_request WHERE signer = ?1 "
                                       "ORDER BY made, id;"
                                     : "SELECT id FROM cooperation_request WHERE state_signer = "
                                       "?1 ORDER BY made, id;", member, &ids, &n);
        for (size_t i = 0; rc == COUNCIL_OK && i < n; i++)
            rc = resign_row(c, ids[i], member, pass == 0, r, m);
        council__free(ids);
        ids = NULL;
    }
    if (r != NULL)
        sodium_memzero(r, sizeof *r);
    council__free(r);
    council__free(m);
    return rc;
}
