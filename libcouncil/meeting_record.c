/*
 * meeting_record.c - a meeting's record (domain): its minutes and decisions,
 * each a sealed memo (memo.c) named by a row the secretariat signs, read by
 * each session as far as it is entitled; and the attendee's packet, which
 * carries the sections disclosed to it, the minutes and the decisions it is
 * entitled to. Tables meeting_minutes and meeting_decision. The meeting, its
 * attendees and agenda are meeting.c's (asked through meeting.h).
 */
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/meeting.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "crypto.h"
#include "session.h"
#include "sql.h"
#include "case_db.h"
#include "case.h"
#include "share.h"
#include "casekey.h"
#include "meeting.h"
#include "member_db.h"
#include "attest.h"
#include "keydir.h"
#include "event.h"
#include "share_db.h"
#include "memo.h"
#include "text.h"
#include "store.h"

#define PACKET_MAX (64u << 20) /* bytes of one packet before sealing */
#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x

static const uint8_t council_signer[COUNCIL_ID_BYTES];

/* A refusal on the record (its own transaction), then rc. */
static int refuse(council *c, int action, const uint8_t *case_ref, const uint8_t *subject, int rc,
                  const char *reason, const char *op, const char *msg)
{
    council__event ev = {
        .action = action,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
        .case_ref = case_ref,
        .subject_member = subject,
        .reason = reason,
    };

    return council__refuse_event(c, false, &ev, rc, op, msg);
}

/* ------------------------------------------------ minutes and decisions */

/* A meeting's minutes and decisions (tables meeting_minutes and
 * meeting_decision): the text is a sealed memo (memo.c, kinds
 * "meeting_minutes" about the meeting and "meeting_decision" about the
 * decision); the row, which names the memo and decides who is entitled, is
 * signed by the secretariat:
 *     minutes:  meeting || memo || u64be(recorded)
 *     decision: id || meeting || u8(has case) || case (zeros if none) || memo
 *               || u64be(recorded)
 * A row the insider wrote is refused (ETAMPER, logged) before it is used. */
#define MINUTES_KIND "meeting_minutes"
#define DECISION_KIND "meeting_decision"

typedef struct drow {
    uint8_t id[16], meeting[16], case_id[16], memo[16];
    bool has_case;
    int64_t recorded;
} drow;

static size_t minutes_msg(uint8_t m[40], const uint8_t meeting[16], const uint8_t memo[16],
                          int64_t recorded)
{
    uint8_t *p = council__put_bytes(m, meeting, 16);

    p = council__put_bytes(p, memo, 16);
    p = council__put_u64(p, (uint64_t)recorded);
    return (size_t)(p - m);
}

static size_t decision_msg(uint8_t m[73], const drow *r)
{
    static const uint8_t none[16];
    uint8_t *p = council__put_bytes(m, r->id, 16);

    p = council__put_bytes(p, r->meeting, 16);
    *p++ = r->has_case ? 1 : 0;
    p = council__put_bytes(p, r->has_case ? r->case_id : none, 16);
    p = council__put_bytes(p, r->memo, 16);
    p = council__put_u64(p, (uint64_t)r->recorded);
    return (size_t)(p - m);
}

static int forged(council *c, const char *op, const uint8_t *object, const char *reason)
{
    (void)object;
    (void)council__tamper(c, NULL, NULL, NULL, reason);
    return council__fail(c, COUNCIL_ETAMPER, "%s: a minutes or decision row is not the one the "
                         "secretariat recorded (changed outside the library)", op);
}

/* Well-formed UTF-8 text of 1..COUNCIL_MEETING_TEXT_MAX bytes, no control
 * characters but line breaks and tabs. */
static bool record_text_ok(const char *s, size_t *len)
{
    size_t n, start = 0;

    if (s == NULL)
        return false;
    n = strnlen(s, (size_t)COUNCIL_MEETING_TEXT_MAX + 1);
    if (n == 0 || n > COUNCIL_MEETING_TEXT_MAX || n > COUNCIL__MEMO_MAX)
        return false;
    for (size_t i = 0; i <= n; i++)
        if (i == n || s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
            if (i > start && !council__text_ok(s + start, i - start))
                return false;
            start = i + 1;
        }
    *len = n;
    return true;
}

/* The meeting's minutes row, checked (*found false: none recorded). */
static int minutes_load(council *c, const char *op, const uint8_t meeting[16], uint8_t memo[16],
                        int64_t *recorded, bool *found)
{
    sqlite3_stmt *st = NULL;
    uint8_t m[40];
    bool ok;
    int src;

    *found = false;
    if (council__prepare(c, "SELECT memo_id, recorded, sig FROM meeting_minutes WHERE "
                                  "meeting_id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, meeting, 16, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    if ((src = sqlite3_step(st)) != SQLITE_ROW) {
        council__finalize(c, st);
        return src == SQLITE_DONE ? COUNCIL_OK : council__db_err(c, op);
    }
    ok = sqlite3_column_bytes(st, 0) == 16;
    if (ok) {
        memcpy(memo, sqlite3_column_blob(st, 0), 16);
        *recorded = sqlite3_column_int64(st, 1);
        ok = council__attest_check(c, "meeting_minutes", m, minutes_msg(m, meeting, memo, *recorded),
                                   council_signer, sizeof council_signer, sqlite3_column_blob(st, 2),
                                   (size_t)sqlite3_column_bytes(st, 2)) == COUNCIL_OK;
    }
    council__finalize(c, st);
    if (!ok)
        return forged(c, op, meeting, "forged_meeting_minutes");
    *found = true;
    return COUNCIL_OK;
}

/* One decision row, checked: ENOTFOUND, ETAMPER (logged), EIO. */
static int decision_load(council *c, const char *op, const uint8_t id[16], drow *r)
{
    sqlite3_stmt *st = NULL;
    uint8_t m[80];
    bool ok;
    int src;

    memset(r, 0, sizeof *r);
    if (council__prepare(c, "SELECT meeting_id, case_id, memo_id, recorded, sig FROM "
                                  "meeting_decision WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    if ((src = sqlite3_step(st)) != SQLITE_ROW) {
        council__finalize(c, st);
        return src == SQLITE_DONE ? council__fail(c, COUNCIL_ENOTFOUND, "%s: no such decision", op)
                                  : council__db_err(c, op);
    }
    memcpy(r->id, id, 16);
    ok = sqlite3_column_bytes(st, 0) == 16 && sqlite3_column_bytes(st, 2) == 16 &&
         (sqlite3_column_type(st, 1) == SQLITE_NULL || sqlite3_column_bytes(st, 1) == 16);
    if (ok) {
        memcpy(r->meeting, sqlite3_column_blob(st, 0), 16);
        if ((r->has_case = sqlite3_column_type(st, 1) != SQLITE_NULL))
            memcpy(r->case_id, sqlite3_column_blob(st, 1), 16);
        memcpy(r->memo, sqlite3_column_blob(st, 2), 16);
        r->recorded = sqlite3_column_int64(st, 3);
        ok = council__attest_check(c, "meeting_decision", m, decision_msg(m, r), council_signer,
                                   sizeof council_signer, sqlite3_column_blob(st, 4),
                                   (size_t)sqlite3_column_bytes(st, 4)) == COUNCIL_OK;
    }
    council__finalize(c, st);
    return ok ? COUNCIL_OK : forged(c, op, id, "forged_meeting_decision");
}

/* The meeting's decisions, each checked, in the order recorded, into *out
 * (council__calloc'd; the caller frees it). */
static int decisions_of(council *c, const char *op, const uint8_t meeting[16], drow **out,
                        size_t *n)
{
    sqlite3_stmt *st = NULL;
    drow *rows = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    *out = NULL;
    *n = 0;
    if (council__prepare(c, "SELECT id FROM meeting_decision WHERE meeting_id = ?1 ORDER BY "
                                  "recorded, id;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, meeting, 16, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        drow *nr;
        uint8_t id[16];
        if (sqlite3_column_bytes(st, 0) != 16)
            continue;
        memcpy(id, sqlite3_column_blob(st, 0), 16);
        if ((nr = council__calloc(*n + 1, sizeof *nr)) == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
        if (*n > 0)
            memcpy(nr, rows, *n * sizeof *nr);
        council__free(rows);
        rows = nr;
        if ((rc = decision_load(c, op, id, &rows[*n])) == COUNCIL_OK) {
            if (memcmp(rows[*n].meeting, meeting, 16) != 0)
                rc = forged(c, op, id, "forged_meeting_decision");
            else
                (*n)++;
        }
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc != COUNCIL_OK) {
        council__free(rows);
        *n = 0;
        return rc;
    }
    *out = rows;
    return COUNCIL_OK;
}

int council__meeting_decision_check(council *c, const char *op, const uint8_t decision[16],
                                    const uint8_t *case_id)
{
    drow r;
    int rc;

    if (decision == NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    if ((rc = decision_load(c, op, decision, &r)) != COUNCIL_OK)
        return rc;
    if (case_id != NULL && (!r.has_case || memcmp(r.case_id, case_id, 16) != 0))
        return council__fail(c, COUNCIL_ENOTFOUND, "%s: the decision is not about that case", op);
    return COUNCIL_OK;
}

/* Is member (an attendee) entitled to memo: it holds a copy its tag
 * vouches for and, for a decision about a case, that case was disclosed to
 * it on the agenda? The session must be able to open the memo; one it
 * cannot, or one gone with its case's erasure, entitles nobody. */
static int entitled(council *c, const char *op, const uint8_t meeting[16], const uint8_t memo[16],
                    const uint8_t *case_id, const uint8_t member[16], bool *yes)
{
    int rc = council__memo_reader(c, op, memo, member, yes);

    if (rc == COUNCIL_EDENIED || rc == COUNCIL_ENOTFOUND) {
        council__clear(c);
        *yes = false;
        return COUNCIL_OK;
    }
    if (rc == COUNCIL_OK && *yes && case_id != NULL)
        rc = council__meeting_has_item(c, op, meeting, case_id, member, yes);
    return rc;
}

/* The checks minutes and decisions share: the secretariat, no batch, the
 * meeting there, its rows the secretariat's, not closed (a refusal of a
 * closed meeting is logged as `action`). */
static int record_open(council *c, const char *op, const uint8_t *meeting, size_t meeting_len,
                       const char *text, size_t *len, int action, council__mtg *m)
{
    int rc;

    if ((rc = council__secretariat_id(c, op, meeting, meeting_len)) != COUNCIL_OK ||
        (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (!record_text_ok(text, len))
        return council__fail(c, COUNCIL_EINVAL, "%s: the text is UTF-8 of 1 to %d bytes", op,
                             COUNCIL_MEETING_TEXT_MAX);
    if ((rc = council__meeting_load(c, op, meeting, m)) != COUNCIL_OK ||
        (rc = council__meeting_check(c, op, meeting, NULL)) != COUNCIL_OK)
        return rc;
    if (m->closed != 0) {
        const council__event ev = {
            .action = action,
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .object_id = meeting,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
            .error = COUNCIL_EDENIED,
            .reason = "meeting_closed",
        };
        int arc = council__audit_append(c, &ev);
        return arc != COUNCIL_OK ? arc
                                 : council__fail(c, COUNCIL_EDENIED, "%s: the meeting is closed", op);
    }
    return COUNCIL_OK;
}

int council_meeting_minutes(council *c, const uint8_t *meeting, size_t meeting_len, const char *text)
{
    static const char op[] = "meeting_minutes";
    uint8_t readers[COUNCIL_CONSENT_LIST_MAX][16], memo[16], msg[40], sig[64], signer[16];
    int64_t recorded = (int64_t)time(NULL), old_at = 0;
    size_t len = 0, n = 0;
    sqlite3_stmt *st = NULL;
    bool found = false;
    council__mtg m;
    int rc;

    if ((rc = record_open(c, op, meeting, meeting_len, text, &len, ACT(MINUTES_RECORDED), &m)) !=
            COUNCIL_OK ||
        (rc = minutes_load(c, op, meeting, memo, &old_at, &found)) != COUNCIL_OK)
        return rc;
    if (found)
        return council__fail(c, COUNCIL_EEXIST, "%s: the meeting's minutes are recorded already", op);
    if ((rc = council__meeting_readers(c, op, meeting, NULL, readers, &n)) != COUNCIL_OK ||
        (rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    rc = council__memo_seal(c, op, memo, MINUTES_KIND, meeting, NULL,
                            (const uint8_t (*)[16])readers, n, (const uint8_t *)text, len);
    if (rc == COUNCIL_OK)
        rc = council__attest_sign(c, "meeting_minutes", msg, minutes_msg(msg, meeting, memo, recorded),
                                  signer, sig);
    if (rc == COUNCIL_OK &&
        (council__prepare(c, "INSERT INTO meeting_minutes (meeting_id, memo_id, recorded, sig) "
                                   "VALUES (?1, ?2, ?3, ?4);", &st) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, meeting, 16, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, memo, 16, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_int64(st, 3, recorded) != SQLITE_OK ||
         sqlite3_bind_blob(st, 4, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc == COUNCIL_OK) {
        const council__event ev = {
            .action = ACT(MINUTES_RECORDED),
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .object_id = meeting,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
        };
        rc = council__audit_append(c, &ev);
    }
    return council__finish(c, rc);
}

int council_meeting_decide(council *c, uint8_t *id, size_t id_len, const uint8_t *meeting,
                           size_t meeting_len, const uint8_t *case_id, size_t case_id_len,
                           const char *text)
{
    static const char op[] = "meeting_decide";
    uint8_t readers[COUNCIL_CONSENT_LIST_MAX][16], msg[80], sig[64], signer[16], owner[16], ref[32];
    sqlite3_stmt *st = NULL;
    size_t len = 0, n = 0;
    bool erased = false, on = false;
    drow r;
    council__mtg m;
    int rc;

    if (id == NULL || id_len != 16 ||
        (case_id != NULL ? case_id_len != 16 : case_id_len != 0))
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    if ((rc = record_open(c, op, meeting, meeting_len, text, &len, ACT(DECISION_RECORDED), &m)) !=
        COUNCIL_OK)
        return rc;
    memset(&r, 0, sizeof r);
    if (case_id != NULL) {
        if ((rc = council__case_lookup(c, op, case_id, owner, ref, &erased)) != COUNCIL_OK)
            return rc;
        if (erased) {
            const council__event ev = {
                .action = ACT(DECISION_RECORDED),
                .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
                .case_ref = ref,
                .object_id = meeting,
                .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
                .error = COUNCIL_EDENIED,
                .reason = "case_erased",
            };
            int arc = council__audit_append(c, &ev);
            return arc != COUNCIL_OK ? arc
                                     : council__fail(c, COUNCIL_EDENIED, "%s: the case was erased", op);
        }
        if ((rc = council__meeting_has_item(c, op, meeting, case_id, NULL, &on)) != COUNCIL_OK)
            return rc;
        if (!on)
            return council__fail(c, COUNCIL_ENOTFOUND, "%s: the case is not on the meeting's agenda",
                                 op);
        r.has_case = true;
        memcpy(r.case_id, case_id, 16);
    }
    if ((rc = council__meeting_readers(c, op, meeting, case_id, readers, &n)) != COUNCIL_OK ||
        (rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    council__uuid_random(r.id);
    memcpy(r.meeting, meeting, 16);
    r.recorded = (int64_t)time(NULL);
    rc = council__memo_seal(c, op, r.memo, DECISION_KIND, r.id, case_id,
                            (const uint8_t (*)[16])readers, n, (const uint8_t *)text, len);
    if (rc == COUNCIL_OK)
        rc = council__attest_sign(c, "meeting_decision", msg, decision_msg(msg, &r), signer, sig);
    if (rc == COUNCIL_OK &&
        (council__prepare(c, "INSERT INTO meeting_decision (id, meeting_id, case_id, memo_id, "
                                   "recorded, sig) VALUES (?1, ?2, ?3, ?4, ?5, ?6);", &st) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, r.id, 16, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, meeting, 16, SQLITE_STATIC) != SQLITE_OK ||
         (case_id != NULL ? sqlite3_bind_blob(st, 3, case_id, 16, SQLITE_STATIC)
                          : sqlite3_bind_null(st, 3)) != SQLITE_OK ||
         sqlite3_bind_blob(st, 4, r.memo, 16, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_int64(st, 5, r.recorded) != SQLITE_OK ||
         sqlite3_bind_blob(st, 6, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc == COUNCIL_OK) {
        const council__event ev = {
            .action = ACT(DECISION_RECORDED),
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .case_ref = case_id != NULL ? ref : NULL,
            .object_id = r.id,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
        };
        rc = council__audit_append(c, &ev);
    }
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK)
        memcpy(id, r.id, 16);
    return rc;
}

/* ------------------------------------------------------ reading records */

/* What one reader gets: the minutes (when entitled) and the entitled
 * decisions, texts opened after their reads were logged. */
typedef struct record {
    bool has_minutes;
    uint8_t minutes_memo[16];
    int64_t minutes_at;
    council_buf minutes;
    drow *rows;
    size_t n_rows;
    bool *take;                  /* per row: entitled */
    council_buf *texts;          /* per row */
    Council__V1__MeetingDecision *msgs;
    Council__V1__MeetingDecision **ptrs;
    char (*idt)[37];
    size_t n_msgs;
} record;

static void record_free(record *rec)
{
    council_buf_free(&rec->minutes);
    for (size_t i = 0; rec->texts != NULL && i < rec->n_rows; i++)
        council_buf_free(&rec->texts[i]);
    council__free(rec->texts);
    council__free(rec->take);
    council__free(rec->rows);
    council__free(rec->msgs);
    council__free(rec->ptrs);
    council__free(rec->idt);
    memset(rec, 0, sizeof *rec);
}

/* Gather the meeting's record for member (NULL: the secretariat, entitled
 * to all), log each read (reason; subject = member), then open the texts.
 * The meeting's rows are checked by the caller. */
static int record_read(council *c, const char *op, const uint8_t meeting[16], const uint8_t *member,
                       const char *reason, record *rec)
{
    uint8_t memo[16];
    bool found = false;
    int rc;

    memset(rec, 0, sizeof *rec);
    if ((rc = minutes_load(c, op, meeting, memo, &rec->minutes_at, &found)) != COUNCIL_OK ||
        (rc = decisions_of(c, op, meeting, &rec->rows, &rec->n_rows)) != COUNCIL_OK)
        return rc;
    if (found) {
        memcpy(rec->minutes_memo, memo, 16);
        rec->has_minutes = true;
        if (member != NULL &&
            (rc = entitled(c, op, meeting, memo, NULL, member, &rec->has_minutes)) != COUNCIL_OK)
            return rc;
    }
    if (rec->n_rows > 0 && ((rec->take = council__calloc(rec->n_rows, sizeof *rec->take)) == NULL ||
                            (rec->texts = council__calloc(rec->n_rows, sizeof *rec->texts)) == NULL))
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    for (size_t i = 0; rc == COUNCIL_OK && i < rec->n_rows; i++) {
        rec->take[i] = true;
        if (member != NULL)
            rc = entitled(c, op, meeting, rec->rows[i].memo,
                          rec->rows[i].has_case ? rec->rows[i].case_id : NULL, member, &rec->take[i]);
    }
    if (rc != COUNCIL_OK)
        return rc;
    /* Log first: every read, in one durable commit, before any text. */
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    for (size_t i = 0; rc == COUNCIL_OK && i <= rec->n_rows; i++) {
        council__event ev = {
            .action = ACT(MEETING_RECORD_READ),
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .subject_member = member,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
            .reason = reason,
        };
        if (i == rec->n_rows ? !rec->has_minutes : !rec->take[i])
            continue;
        ev.object_id = i == rec->n_rows ? meeting : rec->rows[i].id;
        rc = council__audit_append(c, &ev);
    }
    if ((rc = council__finish(c, rc)) != COUNCIL_OK)
        return rc;
    if (rec->has_minutes)
        rc = council__memo_open(c, op, &rec->minutes, rec->minutes_memo, MINUTES_KIND, meeting, NULL);
    for (size_t i = 0; rc == COUNCIL_OK && i < rec->n_rows; i++)
        if (rec->take[i])
            rc = council__memo_open(c, op, &rec->texts[i], rec->rows[i].memo, DECISION_KIND,
                                    rec->rows[i].id,
                                    rec->rows[i].has_case ? rec->rows[i].case_id : NULL);
    if (rc != COUNCIL_OK)
        return rc;
    /* The messages: pointers into rec (freed by record_free, texts wiped). */
    if (rec->n_rows > 0 &&
        ((rec->msgs = council__calloc(rec->n_rows, sizeof *rec->msgs)) == NULL ||
         (rec->ptrs = council__calloc(rec->n_rows, sizeof *rec->ptrs)) == NULL ||
         (rec->idt = council__calloc(rec->n_rows, sizeof *rec->idt)) == NULL))
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    for (size_t i = 0; i < rec->n_rows; i++) {
        Council__V1__MeetingDecision *d = &rec->msgs[rec->n_msgs];
        if (!rec->take[i])
            continue;
        council__v1__meeting_decision__init(d);
        council__uuid_text(rec->idt[rec->n_msgs], rec->rows[i].id);
        d->id.data = rec->rows[i].id;
        d->id.len = 16;
        d->id_text = rec->idt[rec->n_msgs];
        d->meeting.data = rec->rows[i].meeting;
        d->meeting.len = 16;
        if ((d->has_case_id = rec->rows[i].has_case)) {
            d->case_id.data = rec->rows[i].case_id;
            d->case_id.len = 16;
        }
        d->recorded = rec->rows[i].recorded;
        d->text = (char *)rec->texts[i].ptr;
        rec->ptrs[rec->n_msgs++] = d;
    }
    return COUNCIL_OK;
}

int council_meeting_record(council *c, council_buf *out, const uint8_t *meeting, size_t meeting_len)
{
    static const char op[] = "meeting_record";
    Council__V1__MeetingRecord msg = COUNCIL__V1__MEETING_RECORD__INIT;
    const uint8_t *member = NULL;
    record rec;
    bool yes = false;
    council__mtg m;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (meeting == NULL || meeting_len != 16)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    if ((rc = council__meeting_load(c, op, meeting, &m)) != COUNCIL_OK)
        return rc;
    if (!council__is_secretariat(c)) {
        member = c->actor_member;
        if ((rc = council__meeting_check(c, op, meeting, member)) != COUNCIL_OK ||
            (rc = council__meeting_attends(c, op, meeting, member, &yes)) != COUNCIL_OK)
            return rc;
        if (!yes)
            return refuse(c, ACT(MEETING_RECORD_READ), NULL, member, COUNCIL_EDENIED,
                          "not_an_attendee", op, "the session's member does not attend the meeting");
    } else if ((rc = council__meeting_check(c, op, meeting, NULL)) != COUNCIL_OK) {
        return rc;
    }
    if ((rc = record_read(c, op, meeting, member, "meeting_record", &rec)) == COUNCIL_OK) {
        msg.meeting.data = (uint8_t *)(uintptr_t)meeting;
        msg.meeting.len = 16;
        if (rec.has_minutes) {
            msg.minutes = (char *)rec.minutes.ptr;
            msg.has_minutes_recorded = true;
            msg.minutes_recorded = rec.minutes_at;
        }
        msg.decisions = rec.ptrs;
        msg.n_decisions = rec.n_msgs;
        rc = council__pack_out(c, op, out, &msg.base);
    }
    record_free(&rec);
    if (rc == COUNCIL_OK)
        council__clear(c);
    return rc;
}

int council_meeting_decision_read(council *c, council_buf *out, const uint8_t *decision,
                                  size_t decision_len)
{
    static const char op[] = "meeting_decision_read";
    Council__V1__MeetingDecision d = COUNCIL__V1__MEETING_DECISION__INIT;
    council_buf text = { NULL, 0 };
    char idt[37];
    bool yes = true;
    drow r;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (decision == NULL || decision_len != 16)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    if ((rc = decision_load(c, op, decision, &r)) != COUNCIL_OK)
        return rc;
    if (!council__is_secretariat(c)) {
        if ((rc = council__meeting_check(c, op, r.meeting, c->actor_member)) != COUNCIL_OK ||
            (rc = entitled(c, op, r.meeting, r.memo, r.has_case ? r.case_id : NULL,
                           c->actor_member, &yes)) != COUNCIL_OK)
            return rc;
    }
    {
        const council__event ev = {
            .action = ACT(MEETING_RECORD_READ),
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .object_id = decision,
            .outcome = yes ? COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
                           : COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
            .error = yes ? 0 : COUNCIL_EDENIED,
            .reason = yes ? "meeting_decision" : "not_a_reader",
        };
        if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK)
            return rc;
    }
    if (!yes)
        return council__fail(c, COUNCIL_EDENIED, "%s: the decision is not sealed to the session's "
                             "member (its case was not disclosed to it at the meeting)", op);
    if ((rc = council__memo_open(c, op, &text, r.memo, DECISION_KIND, r.id,
                                 r.has_case ? r.case_id : NULL)) != COUNCIL_OK)
        return rc;
    council__uuid_text(idt, r.id);
    d.id.data = r.id;
    d.id.len = 16;
    d.id_text = idt;
    d.meeting.data = r.meeting;
    d.meeting.len = 16;
    if ((d.has_case_id = r.has_case)) {
        d.case_id.data = r.case_id;
        d.case_id.len = 16;
    }
    d.recorded = r.recorded;
    d.text = (char *)text.ptr;
    rc = council__pack_out(c, op, out, &d.base);
    council_buf_free(&text);
    if (rc == COUNCIL_OK)
        council__clear(c);
    return rc;
}

/* ---------------------------------------------------------------- packets */

/* The attendee's packet built once (meeting.h). */
int council__meeting_packet_plain(council *c, const char *op, const uint8_t *meeting,
                                  size_t meeting_len, const uint8_t *attendee,
                                  size_t attendee_len, uint8_t **plain_out, size_t *len_out,
                                  uint8_t pk_out[32])
{
    Council__V1__MeetingPacket p = COUNCIL__V1__MEETING_PACKET__INIT;
    Council__V1__Meeting *msg = NULL;
    Council__V1__CaseContent **cases = NULL;
    uint8_t pk[32], *plain = NULL;
    size_t len = 0, n_cases = 0;
    bool yes = false, have = false;
    record rec;
    council__mtg m;
    int rc;

    memset(&rec, 0, sizeof rec);
    *plain_out = NULL;
    *len_out = 0;
    if ((rc = council__secretariat_id(c, op, meeting, meeting_len)) != COUNCIL_OK ||
        (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (attendee == NULL || attendee_len != 16)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    if ((rc = council__meeting_load(c, op, meeting, &m)) != COUNCIL_OK ||
        (rc = council__meeting_check(c, op, meeting, attendee)) != COUNCIL_OK ||
        (rc = council__meeting_attends(c, op, meeting, attendee, &yes)) != COUNCIL_OK)
        return rc;
    if (!yes || m.closed != 0 || m.ends <= (int64_t)time(NULL))
        return refuse(c, ACT(DISCLOSURE_REFUSED), NULL, attendee, COUNCIL_EDENIED,
                      !yes ? "not_an_attendee" : "meeting_closed", op,
                      "not an attendee, or the meeting is closed or over");
    /* Sealed only to a key the council signed. */
    if ((rc = council__member_box_pk(c, op, attendee, pk, &have)) != COUNCIL_OK)
        return rc;
    if (!have)
        return council__fail(c, COUNCIL_EDENIED, "%s: the attendee has withdrawn or has no keys", op);
    if ((rc = council__member_check(c, op, attendee)) != COUNCIL_OK ||
        (rc = council__member_key_check(c, op, attendee, pk)) != COUNCIL_OK)
        return rc;
    if ((rc = council__meeting_build(c, op, &m, attendee, &msg)) != COUNCIL_OK)
        return rc;
    /* Each agenda case: the sections disclosed to this attendee, read (and
     * logged) by the secretariat for the meeting. */
    if (msg->n_items > 0 && (cases = council__calloc(msg->n_items, sizeof *cases)) == NULL)
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    for (size_t i = 0; rc == COUNCIL_OK && i < msg->n_items; i++) {
        council_buf cb = { NULL, 0 };
        const char *held[COUNCIL__AUDIT_SCOPES_MAX];
        size_t n_held = 0;
        /* Only what the attendee still holds now: a consent withdrawn or a
         * share revoked since the agenda was set takes the scope out. */
        for (size_t j = 0; rc == COUNCIL_OK && j < msg->items[i]->n_scopes &&
                           j < COUNCIL__AUDIT_SCOPES_MAX; j++) {
            bool active = false;
            rc = council__share_active(c, op, msg->items[i]->case_id.data, attendee,
                                       msg->items[i]->scopes[j], &active);
            /* And by key, not by row: agenda items and shares are rows
             * anyone with the database key can write, a key the attendee
             * was really given is not (a forged one is logged). */
            if (rc == COUNCIL_OK && active)
                rc = council__key_holds(c, op, msg->items[i]->case_id.data,
                                        msg->items[i]->scopes[j], attendee, &active);
            if (rc == COUNCIL_OK && active)
                held[n_held++] = msg->items[i]->scopes[j];
        }
        if (rc != COUNCIL_OK)
            break;
        if (n_held == 0)
            continue;
        rc = council__case_content(c, op, &cb, msg->items[i]->case_id.data, held, n_held,
                                   "meeting_discussion");
        if (rc == COUNCIL_EDENIED && cb.ptr == NULL) {
            council__clear(c); /* an erased case: nothing of it goes out */
            rc = COUNCIL_OK;
            continue;
        }
        if (rc == COUNCIL_OK) {
            cases[n_cases] = council__v1__case_content__unpack(council__pb_wiping_allocator(), cb.len,
                                                               cb.ptr);
            if (cases[n_cases] == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            } else {
                /* Other members' shares (and their written reasons) are not
                 * the attendee's business. */
                Council__V1__CaseInfo *info = cases[n_cases]->info;
                ProtobufCAllocator *a = council__pb_wiping_allocator();
                for (size_t j = 0; info != NULL && j < info->n_shares; j++)
                    council__v1__share__free_unpacked(info->shares[j], a);
                if (info != NULL && info->shares != NULL)
                    a->free(a->allocator_data, info->shares);
                if (info != NULL) {
                    info->shares = NULL;
                    info->n_shares = 0;
                }
                n_cases++;
            }
        }
        council_buf_free(&cb);
    }
    /* The minutes and the decisions this attendee is entitled to, each
     * read logged before the packet is built. */
    if (rc == COUNCIL_OK && (rc = record_read(c, op, meeting, attendee, "meeting_packet", &rec)) ==
                                COUNCIL_OK) {
        p.minutes = rec.has_minutes ? (char *)rec.minutes.ptr : NULL;
        p.decisions = rec.ptrs;
        p.n_decisions = rec.n_msgs;
    }
    if (rc == COUNCIL_OK) {
        p.meeting = msg;
        p.attendee.data = (uint8_t *)(uintptr_t)attendee;
        p.attendee.len = 16;
        p.cases = cases;
        p.n_cases = n_cases;
        p.built = (int64_t)time(NULL);
        len = council__v1__meeting_packet__get_packed_size(&p);
        if (len > PACKET_MAX)
            rc = council__fail(c, COUNCIL_ELIMIT, "%s: the packet is over %u bytes", op, PACKET_MAX);
        else if ((plain = council__malloc(len ? len : 1)) == NULL)
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    if (rc == COUNCIL_OK)
        council__v1__meeting_packet__pack(&p, plain);
    for (size_t i = 0; i < n_cases; i++)
        council__v1__case_content__free_unpacked(cases[i], council__pb_wiping_allocator());
    council__free(cases);
    record_free(&rec);
    council__v1__meeting__free_unpacked(msg, council__pb_allocator());
    if (rc != COUNCIL_OK) {
        if (plain != NULL) {
            sodium_memzero(plain, len);
            council__free(plain);
        }
        return rc;
    }
    *plain_out = plain;
    *len_out = len;
    memcpy(pk_out, pk, 32);
    return COUNCIL_OK;
}

int council_meeting_packet(council *c, council_buf *out, const uint8_t *meeting, size_t meeting_len,
                           const uint8_t *attendee, size_t attendee_len)
{
    static const char op[] = "meeting_packet";
    uint8_t pk[32], *plain = NULL;
    size_t len = 0;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__meeting_packet_plain(c, op, meeting, meeting_len, attendee, attendee_len,
                                            &plain, &len, pk)) != COUNCIL_OK)
        return rc;
    if ((out->ptr = council__malloc(len + crypto_box_SEALBYTES)) == NULL)
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    else if (crypto_box_seal(out->ptr, plain, len, pk) != 0)
        rc = council__fail(c, COUNCIL_EINVAL, "%s: cannot seal to the attendee's key", op);
    else
        out->len = len + crypto_box_SEALBYTES;
    sodium_memzero(plain, len);
    council__free(plain);
    if (rc != COUNCIL_OK) {
        council__free(out->ptr);
        out->ptr = NULL;
        out->len = 0;
        return rc;
    }
    {
        const council__event ev = {
            .action = ACT(BUNDLE_EXPORTED),
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .subject_member = attendee,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
            .reason = "meeting_packet",
        };
        if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK) {
            council_buf_free(out);
            return rc;
        }
    }
    council__clear(c);
    return COUNCIL_OK;
}
