/*
 * meeting.c - meetings: a body, a window, attendees, and agenda items
 * that disclose scopes of a case to an attendee through the disclosure
 * decision, ending with the window. The packet builder (what an attendee
 * receives, sealed to its key) is kept apart from any wire format.
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
#include "buf.h"
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
#include "policy.h"
#include "decide.h"
#include "store.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x

typedef council__mtg mtg;

/* ------------------------------------------------------- signed rows */

/* A meeting and its agenda items as the secretariat signs them (kinds
 * "meeting" and "meeting_item"):
 *     meeting: id || u32be(body) || u64be(starts) || u64be(ends)
 *              || u64be(closed, 0 if open) || the attendees' ids, sorted
 *              [|| each slot by start: u32be(body) || u64be(starts) || u64be(ends)]
 *     item:    meeting || case || attendee || u8(len) || scope || u8(len) || basis
 *              [|| u32be(body), for an item that names its body]
 * (the bracketed parts only where there are slots / a body, so rows from
 * before them keep their signatures). A meeting, attendee, slot or item
 * someone holding the database key wrote into the store is refused
 * (ETAMPER, logged) before it is used. */
#define MMSG_MAX (16 + 4 + 24 + 16 * COUNCIL_CONSENT_LIST_MAX + 20 * COUNCIL_MEETING_SLOTS_MAX)
#define IMSG_MAX (48 + 2 + 2 * COUNCIL__AUDIT_CODE_MAX + 4)

static const uint8_t council_signer[COUNCIL_ID_BYTES];

static int meeting_msg(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES], uint8_t *m,
                       size_t *len, uint8_t sig[64], bool *has_sig)
{
    sqlite3_stmt *st = NULL;
    uint8_t *p = m;
    size_t n = 0;
    int src;

    *has_sig = false;
    if (council__prepare(c, "SELECT body, starts, ends, coalesce(closed, 0), sig FROM meeting "
                                  "WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    if ((src = sqlite3_step(st)) != SQLITE_ROW) {
        council__finalize(c, st);
        return src == SQLITE_DONE ? council__fail(c, COUNCIL_ENOTFOUND, "%s: no such meeting", op)
                                  : council__db_err(c, op);
    }
    p = council__put_bytes(p, id, COUNCIL_ID_BYTES);
    p = council__put_u32(p, (uint32_t)sqlite3_column_int64(st, 0));
    p = council__put_u64(p, (uint64_t)sqlite3_column_int64(st, 1));
    p = council__put_u64(p, (uint64_t)sqlite3_column_int64(st, 2));
    p = council__put_u64(p, (uint64_t)sqlite3_column_int64(st, 3));
    if ((*has_sig = sqlite3_column_bytes(st, 4) == 64))
        memcpy(sig, sqlite3_column_blob(st, 4), 64);
    council__finalize(c, st);
    st = NULL;
    if (council__prepare(c, "SELECT member_id FROM meeting_attendee WHERE meeting_id = ?1 "
                                  "ORDER BY member_id;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == COUNCIL_CONSENT_LIST_MAX || sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES) {
            *has_sig = false; /* more attendees than a meeting can have, or a damaged one */
            break;
        }
        p = council__put_bytes(p, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        n++;
    }
    council__finalize(c, st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return council__db_err(c, op);
    st = NULL;
    n = 0;
    if (council__prepare(c, "SELECT body, starts, ends FROM meeting_slot WHERE meeting_id = "
                                  "?1 ORDER BY starts;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == COUNCIL_MEETING_SLOTS_MAX) {
            *has_sig = false; /* more slots than a meeting can have */
            break;
        }
        p = council__put_u32(p, (uint32_t)sqlite3_column_int64(st, 0));
        p = council__put_u64(p, (uint64_t)sqlite3_column_int64(st, 1));
        p = council__put_u64(p, (uint64_t)sqlite3_column_int64(st, 2));
        n++;
    }
    council__finalize(c, st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return council__db_err(c, op);
    *len = (size_t)(p - m);
    return COUNCIL_OK;
}

static int meeting_sign(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES])
{
    uint8_t m[MMSG_MAX], sig[64], signer[COUNCIL_ID_BYTES];
    sqlite3_stmt *st = NULL;
    size_t len = 0;
    bool had;
    int rc = meeting_msg(c, op, id, m, &len, sig, &had);

    if (rc == COUNCIL_OK)
        rc = council__attest_sign(c, "meeting", m, len, signer, sig);
    if (rc == COUNCIL_OK &&
        (council__prepare(c, "UPDATE meeting SET sig = ?2 WHERE id = ?1;", &st) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

static size_t item_msg(uint8_t *m, const uint8_t meeting[16], const uint8_t *case_id,
                       const uint8_t *attendee, const char *scope, const char *basis, int body)
{
    size_t sn = strlen(scope), bn = strlen(basis);
    uint8_t *p = council__put_bytes(m, meeting, 16);

    p = council__put_bytes(p, case_id, 16);
    p = council__put_bytes(p, attendee, 16);
    *p++ = (uint8_t)sn;
    p = council__put_bytes(p, scope, sn);
    *p++ = (uint8_t)bn;
    p = council__put_bytes(p, basis, bn);
    if (body != 0)
        p = council__put_u32(p, (uint32_t)body);
    return (size_t)(p - m);
}

/* The meeting's row, attendees and every agenda item (of one attendee, or
 * all) are the ones the secretariat signed; else ETAMPER, logged. */
int council__meeting_check(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                           const uint8_t *only)
{
    uint8_t m[MMSG_MAX], sig[64];
    sqlite3_stmt *st = NULL;
    size_t len = 0;
    bool has, ok;
    int rc = meeting_msg(c, op, id, m, &len, sig, &has), src;

    if (rc != COUNCIL_OK)
        return rc;
    ok = has && council__attest_check(c, "meeting", m, len, council_signer, sizeof council_signer,
                                      sig, sizeof sig) == COUNCIL_OK;
    if (ok && council__prepare(c, "SELECT case_id, attendee, scope, basis, sig, "
                                        "coalesce(body, 0) FROM meeting_item WHERE meeting_id = "
                                        "?1 AND (?2 IS NULL OR attendee = ?2);", &st) == SQLITE_OK &&
        sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC) == SQLITE_OK &&
        (only != NULL ? sqlite3_bind_blob(st, 2, only, 16, SQLITE_STATIC)
                      : sqlite3_bind_null(st, 2)) == SQLITE_OK) {
        while (ok && (src = sqlite3_step(st)) == SQLITE_ROW) {
            const char *scope = (const char *)sqlite3_column_text(st, 2);
            const char *basis = (const char *)sqlite3_column_text(st, 3);
            ok = sqlite3_column_bytes(st, 0) == 16 && sqlite3_column_bytes(st, 1) == 16 &&
                 scope != NULL && basis != NULL && strlen(scope) <= COUNCIL__AUDIT_CODE_MAX &&
                 strlen(basis) <= COUNCIL__AUDIT_CODE_MAX &&
                 council__attest_check(c, "meeting_item", m,
                                       item_msg(m, id, sqlite3_column_blob(st, 0),
                                                sqlite3_column_blob(st, 1), scope, basis,
                                                sqlite3_column_int(st, 5)),
                                       council_signer, sizeof council_signer,
                                       sqlite3_column_blob(st, 4),
                                       (size_t)sqlite3_column_bytes(st, 4)) == COUNCIL_OK;
        }
        if (ok && src != SQLITE_DONE)
            rc = council__db_err(c, op);
    } else if (ok) {
        rc = council__db_err(c, op);
    }
    council__finalize(c, st);
    if (rc != COUNCIL_OK)
        return rc;
    if (!ok) {
        (void)council__tamper(c, NULL, NULL, only, "forged_meeting_row");
        return council__fail(c, COUNCIL_ETAMPER, "%s: the meeting, its attendees or its agenda are "
                             "not the ones the secretariat signed (changed outside the library)",
                             op);
    }
    return COUNCIL_OK;
}

int council__meeting_upgrade(council *c)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    if (council__prepare(c, "SELECT id FROM meeting WHERE sig IS NULL;", &st) != SQLITE_OK)
        return council__db_err(c, "open");
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
        if (sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES) {
            uint8_t id[COUNCIL_ID_BYTES];
            memcpy(id, sqlite3_column_blob(st, 0), sizeof id);
            rc = meeting_sign(c, "open", id);
        }
    council__finalize(c, st);
    st = NULL;
    if (rc == COUNCIL_OK &&
        council__prepare(c, "SELECT meeting_id, case_id, attendee, scope, basis FROM "
                                  "meeting_item WHERE sig IS NULL;", &st) != SQLITE_OK)
        rc = council__db_err(c, "open");
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t m[IMSG_MAX], sig[64], signer[COUNCIL_ID_BYTES];
        const char *scope = (const char *)sqlite3_column_text(st, 3);
        const char *basis = (const char *)sqlite3_column_text(st, 4);
        sqlite3_stmt *up = NULL;
        if (sqlite3_column_bytes(st, 0) != 16 || sqlite3_column_bytes(st, 1) != 16 ||
            sqlite3_column_bytes(st, 2) != 16 || scope == NULL || basis == NULL ||
            strlen(scope) > COUNCIL__AUDIT_CODE_MAX || strlen(basis) > COUNCIL__AUDIT_CODE_MAX)
            continue;
        rc = council__attest_sign(c, "meeting_item", m,
                                  item_msg(m, sqlite3_column_blob(st, 0), sqlite3_column_blob(st, 1),
                                           sqlite3_column_blob(st, 2), scope, basis, 0),
                                  signer, sig);
        if (rc == COUNCIL_OK &&
            (council__prepare(c, "UPDATE meeting_item SET sig = ?5 WHERE meeting_id = ?1 AND "
                                       "case_id = ?2 AND attendee = ?3 AND scope = ?4;", &up) != SQLITE_OK ||
             sqlite3_bind_blob(up, 1, sqlite3_column_blob(st, 0), 16, SQLITE_TRANSIENT) != SQLITE_OK ||
             sqlite3_bind_blob(up, 2, sqlite3_column_blob(st, 1), 16, SQLITE_TRANSIENT) != SQLITE_OK ||
             sqlite3_bind_blob(up, 3, sqlite3_column_blob(st, 2), 16, SQLITE_TRANSIENT) != SQLITE_OK ||
             sqlite3_bind_text(up, 4, scope, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
             sqlite3_bind_blob(up, 5, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
             sqlite3_step(up) != SQLITE_DONE))
            rc = council__db_err(c, "open");
        council__finalize(c, up);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, "open");
    council__finalize(c, st);
    return rc;
}

int council__meeting_load(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                          council__mtg *m)
{
    sqlite3_stmt *st = NULL;
    int src, rc = COUNCIL_OK;

    if (council__prepare(c, "SELECT body, starts, ends, closed FROM meeting WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        memcpy(m->id, id, COUNCIL_ID_BYTES);
        m->body = sqlite3_column_int(st, 0);
        m->starts = sqlite3_column_int64(st, 1);
        m->ends = sqlite3_column_int64(st, 2);
        m->closed = sqlite3_column_int64(st, 3);
    } else {
        rc = src == SQLITE_DONE ? council__fail(c, COUNCIL_ENOTFOUND, "%s: no such meeting", op)
                                : council__db_err(c, op);
    }
    council__finalize(c, st);
    return rc;
}

int council__meeting_attends(council *c, const char *op, const uint8_t meeting[16],
                             const uint8_t member[16], bool *yes)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, "SELECT 1 FROM meeting_attendee WHERE meeting_id = ?1 AND "
                                  "member_id = ?2;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, meeting, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, member, 16, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return council__row_exists(c, op, st, yes);
}

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

/* The bodies a case is collected under, a slot is held as and an agenda
 * item is discussed under (council.v1.MeetingBody, not the platform). */
static bool case_body(int body)
{
    return body == COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL ||
           body == COUNCIL__V1__MEETING_BODY__MEETING_BODY_SUPPORT_MEETING ||
           body == COUNCIL__V1__MEETING_BODY__MEETING_BODY_NEEDS_OF_POOR_MEETING;
}

/* A case's body (council.v1.CaseBody, 0 for the council) as a MeetingBody. */
static int meeting_body_of_case(int case_body_code)
{
    return case_body_code == COUNCIL_CASE_BODY_SUPPORT_MEETING
               ? COUNCIL__V1__MEETING_BODY__MEETING_BODY_SUPPORT_MEETING
           : case_body_code == COUNCIL_CASE_BODY_NEEDS_OF_POOR_MEETING
               ? COUNCIL__V1__MEETING_BODY__MEETING_BODY_NEEDS_OF_POOR_MEETING
               : COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL;
}

/* A MeetingBody as the decision's council__body. */
static int decision_body(int meeting_body)
{
    return meeting_body == COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL ? COUNCIL__BODY_COUNCIL
         : meeting_body == COUNCIL__V1__MEETING_BODY__MEETING_BODY_SUPPORT_MEETING
             ? COUNCIL__BODY_SUPPORT_MEETING
         : meeting_body == COUNCIL__V1__MEETING_BODY__MEETING_BODY_NEEDS_OF_POOR_MEETING
             ? COUNCIL__BODY_NEEDS_OF_POOR_MEETING
             : COUNCIL__BODY_NONE;
}

/* Is the meeting held as body (its own, or a slot's)? Read after
 * meeting_check vouched for the slots. */
static int held_as(council *c, const char *op, const mtg *m, int body, bool *yes)
{
    sqlite3_stmt *st = NULL;

    *yes = m->body == body;
    if (*yes)
        return COUNCIL_OK;
    if (council__prepare(c, "SELECT 1 FROM meeting_slot WHERE meeting_id = ?1 AND body = ?2;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, m->id, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, body) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return council__row_exists(c, op, st, yes);
}

/* ------------------------------------------------------------------ create */

int council_meeting_create(council *c, uint8_t *id, size_t id_len, const council_meeting_options *o)
{
    static const char op[] = "meeting_create";
    uint8_t mid[COUNCIL_ID_BYTES];
    sqlite3_stmt *st = NULL;
    int64_t now = (int64_t)time(NULL);
    const council_meeting_slot *slots;
    size_t n_slots;
    int rc;

    if ((rc = council__secretariat_id(c, op, id, id_len)) != COUNCIL_OK)
        return rc;
    if (o == NULL || (o->version != COUNCIL_MEETING_OPTIONS_VERSION &&
                      o->version != COUNCIL_MEETING_OPTIONS_VERSION_1))
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    /* A version 1 caller's struct ends before the slots: never read them. */
    slots = o->version >= 2 ? o->slots : NULL;
    n_slots = o->version >= 2 ? o->n_slots : 0;
    if (o->body < COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL ||
        o->body > COUNCIL__V1__MEETING_BODY__MEETING_BODY_NEEDS_OF_POOR_MEETING)
        return council__fail(c, COUNCIL_EINVAL, "%s: unknown body", op);
    if (n_slots > COUNCIL_MEETING_SLOTS_MAX || (n_slots > 0 && slots == NULL) ||
        (n_slots > 0 && o->body == COUNCIL__V1__MEETING_BODY__MEETING_BODY_JOINT_PLATFORM))
        return council__fail(c, COUNCIL_EINVAL, "%s: at most %d slots, none for a joint meeting "
                             "with the platform", op, COUNCIL_MEETING_SLOTS_MAX);
    /* Slots: a case body each, inside the window, in order, not overlapping. */
    for (size_t i = 0; i < n_slots; i++)
        if (!case_body(slots[i].body) || slots[i].starts < o->starts ||
            slots[i].ends > o->ends || slots[i].ends <= slots[i].starts ||
            (i > 0 && slots[i].starts < slots[i - 1].ends))
            return council__fail(c, COUNCIL_EINVAL, "%s: each slot is the council, a support "
                                 "meeting or a needs-of-the-poor meeting, within the window, "
                                 "after the slot before it", op);
    if (o->starts <= 0 || o->ends <= o->starts || o->ends <= now)
        return council__fail(c, COUNCIL_EINVAL, "%s: the window must end after it starts, and "
                             "after now", op);
    if (o->n_attendees == 0 || o->attendees == NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: a meeting has attendees", op);
    if (o->n_attendees > COUNCIL_CONSENT_LIST_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "%s: at most %d attendees", op,
                             COUNCIL_CONSENT_LIST_MAX);
    council__uuid_random(mid);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    for (size_t i = 0; i < o->n_attendees; i++)
        if ((rc = council__member_usable(c, op, o->attendees + 16 * i)) != COUNCIL_OK)
            return council__finish(c, rc);
    if (council__prepare(c, "INSERT INTO meeting (id, body, starts, ends, created, seq) VALUES "
                                  "(?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(seq), 0) + 1 FROM "
                                  "meeting));", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, mid, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, o->body) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, o->starts) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, o->ends) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, now) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    for (size_t i = 0; rc == COUNCIL_OK && i < o->n_attendees; i++)
        rc = council__sql_exec1(c, op, "INSERT OR IGNORE INTO meeting_attendee (meeting_id, "
                                "member_id) VALUES (?1, ?2);", mid, 16, o->attendees + 16 * i, 16);
    for (size_t i = 0; rc == COUNCIL_OK && i < n_slots; i++) {
        if (council__prepare(c, "INSERT INTO meeting_slot (meeting_id, body, starts, ends) "
                                      "VALUES (?1, ?2, ?3, ?4);", &st) != SQLITE_OK ||
            sqlite3_bind_blob(st, 1, mid, 16, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(st, 2, slots[i].body) != SQLITE_OK ||
            sqlite3_bind_int64(st, 3, slots[i].starts) != SQLITE_OK ||
            sqlite3_bind_int64(st, 4, slots[i].ends) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
            rc = council__db_err(c, op);
        council__finalize(c, st);
        st = NULL;
    }
    if (rc == COUNCIL_OK)
        rc = meeting_sign(c, op, mid);
    if (rc == COUNCIL_OK) {
        const council__event ev = {
            .action = ACT(MEETING_OPENED),
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
            .reason = n_slots > 0 ? "joint_slots"
                      : o->body == COUNCIL__V1__MEETING_BODY__MEETING_BODY_JOINT_PLATFORM
                          ? "joint_platform"
                      : o->body == COUNCIL__V1__MEETING_BODY__MEETING_BODY_SUPPORT_MEETING
                          ? "support_meeting"
                      : o->body == COUNCIL__V1__MEETING_BODY__MEETING_BODY_NEEDS_OF_POOR_MEETING
                          ? "needs_of_poor_meeting"
                          : "council",
        };
        rc = council__audit_append(c, &ev);
    }
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK)
        memcpy(id, mid, COUNCIL_ID_BYTES);
    return rc;
}

/* ---------------------------------------------------------------- agenda */

static int add_item(council *c, const char *op, const uint8_t *meeting, size_t meeting_len,
                    const uint8_t *case_id, size_t case_id_len, const uint8_t *attendee,
                    size_t attendee_len, const council_share_options *o, int body);

int council_meeting_add_case(council *c, const uint8_t *meeting, size_t meeting_len,
                             const uint8_t *case_id, size_t case_id_len, const uint8_t *attendee,
                             size_t attendee_len, const council_share_options *o)
{
    return add_item(c, "meeting_add_case", meeting, meeting_len, case_id, case_id_len, attendee,
                    attendee_len, o, 0);
}

int council_meeting_add_item(council *c, const uint8_t *meeting, size_t meeting_len,
                             const uint8_t *case_id, size_t case_id_len, const uint8_t *attendee,
                             size_t attendee_len, const council_agenda_options *o)
{
    static const char op[] = "meeting_add_item";
    int rc;

    if ((rc = council__secretariat_id(c, op, meeting, meeting_len)) != COUNCIL_OK)
        return rc;
    if (o == NULL || o->version != COUNCIL_AGENDA_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if (o->body != 0 && !case_body(o->body))
        return council__fail(c, COUNCIL_EINVAL, "%s: the body is the council, a support meeting "
                             "or a needs-of-the-poor meeting", op);
    return add_item(c, op, meeting, meeting_len, case_id, case_id_len, attendee, attendee_len,
                    o->share, o->body);
}

static int add_item_in(council *c, const char *op, const uint8_t *meeting,
                       const uint8_t *case_id, size_t case_id_len, const uint8_t *attendee,
                       size_t attendee_len, const council_share_options *o, int body);

/* An agenda item under body (0: the meeting's own, and the item's row names
 * no body, as before slots). One transaction: the share the item makes and
 * the item's rows stand together or not at all (each step is a savepoint
 * in it; a refusal is appended on its own if it rolls back). */
static int add_item(council *c, const char *op, const uint8_t *meeting, size_t meeting_len,
                    const uint8_t *case_id, size_t case_id_len, const uint8_t *attendee,
                    size_t attendee_len, const council_share_options *o, int body)
{
    int rc;

    if ((rc = council__secretariat_id(c, op, meeting, meeting_len)) != COUNCIL_OK ||
        (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if ((rc = council__op_batch_begin(c, op)) != COUNCIL_OK)
        return rc;
    rc = add_item_in(c, op, meeting, case_id, case_id_len, attendee, attendee_len, o, body);
    return council__op_batch_end(c, op, rc);
}

static int add_item_in(council *c, const char *op, const uint8_t *meeting,
                       const uint8_t *case_id, size_t case_id_len, const uint8_t *attendee,
                       size_t attendee_len, const council_share_options *o, int body)
{
    const char *fresh[COUNCIL__AUDIT_SCOPES_MAX];
    council_share_options so;
    council__policy_config cfg;
    council__case k;
    uint8_t owner[16], ref[32];
    size_t n_fresh = 0;
    bool erased = false, yes = false;
    int under;
    mtg m;
    int rc;

    if (case_id == NULL || case_id_len != 16 || attendee == NULL || attendee_len != 16)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    if (o == NULL || o->version != COUNCIL_SHARE_OPTIONS_VERSION || o->scopes == NULL ||
        o->n_scopes == 0 || o->n_scopes > COUNCIL__AUDIT_SCOPES_MAX)
        return council__fail(c, COUNCIL_EMISUSE, "%s: share options missing, of unknown version, "
                             "or without scopes", op);
    if ((rc = council__meeting_load(c, op, meeting, &m)) != COUNCIL_OK ||
        (rc = council__meeting_check(c, op, meeting, attendee)) != COUNCIL_OK ||
        (rc = council__case_lookup(c, op, case_id, owner, ref, &erased)) != COUNCIL_OK)
        return rc;
    /* Nothing identifying reaches the platform: not even a case id. */
    if (m.body == COUNCIL__V1__MEETING_BODY__MEETING_BODY_JOINT_PLATFORM)
        return refuse(c, ACT(DISCLOSURE_REFUSED), ref, attendee, COUNCIL_EDENIED,
                      "platform_meeting_no_cases", op, "a joint meeting with the platform takes "
                      "no case (no personal data)");
    if (m.closed != 0 || m.ends <= (int64_t)time(NULL))
        return refuse(c, ACT(DISCLOSURE_REFUSED), ref, attendee, COUNCIL_EDENIED, "meeting_closed",
                      op, "the meeting is closed or its window has passed");
    if ((rc = council__meeting_attends(c, op, meeting, attendee, &yes)) != COUNCIL_OK)
        return rc;
    if (!yes)
        return refuse(c, ACT(DISCLOSURE_REFUSED), ref, attendee, COUNCIL_EDENIED, "not_an_attendee",
                      op, "the member does not attend this meeting");
    /* The body the item is discussed under: one the meeting is held as. */
    under = body != 0 ? body : m.body;
    if ((rc = held_as(c, op, &m, under, &yes)) != COUNCIL_OK)
        return rc;
    if (!yes)
        return council__fail(c, COUNCIL_EINVAL, "%s: the meeting is not held as that body", op);
    if ((rc = council__case_load(c, op, case_id, &k)) != COUNCIL_OK ||
        (rc = council__policy_load(c, op, &cfg)) != COUNCIL_OK)
        return rc;
    for (size_t i = 0; i < o->n_scopes; i++) {
        bool held = false;
        if (o->scopes[i] == NULL || !council__audit_code_ok(o->scopes[i]))
            return council__fail(c, COUNCIL_EINVAL, "%s: a scope is a code [a-z0-9_]{1,64}", op);
        if ((rc = council__share_active(c, op, case_id, attendee, o->scopes[i], &held)) != COUNCIL_OK)
            return rc;
        if (!held)
            fresh[n_fresh++] = o->scopes[i];
    }
    /* A case collected under another body: only where the policy allows
     * cross-body use, or a consent covers it (basis consent, and every
     * scope through the decision now: a scope held through another share
     * was never decided for this body's meeting). */
    if (meeting_body_of_case(k.body) != under && !cfg.cross_body_use &&
        (o->basis == NULL || strcmp(o->basis, "consent") != 0 || n_fresh != o->n_scopes))
        return refuse(c, ACT(DISCLOSURE_REFUSED), ref, attendee, COUNCIL_ENOCONSENT,
                      "cross_body_use", op, "the case was collected under another body, and "
                      "neither the policy nor a consent allows its use under this one");
    if (n_fresh > 0) {
        so = *o;
        so.scopes = fresh;
        so.n_scopes = n_fresh;
        so.expires = m.ends;
        if ((rc = council__case_share_body(c, op, case_id, 16, attendee, 16, &so, meeting,
                                           decision_body(under))) != COUNCIL_OK)
            return rc;
    }
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    for (size_t i = 0; rc == COUNCIL_OK && i < o->n_scopes; i++) {
        const char *basis = o->basis != NULL ? o->basis : "";
        uint8_t im[IMSG_MAX], sig[64], signer[COUNCIL_ID_BYTES];
        sqlite3_stmt *st = NULL;
        if (strlen(basis) > COUNCIL__AUDIT_CODE_MAX) {
            rc = council__fail(c, COUNCIL_EINVAL, "%s: bad basis", op);
            break;
        }
        if ((rc = council__attest_sign(c, "meeting_item", im,
                                       item_msg(im, meeting, case_id, attendee, o->scopes[i], basis,
                                                body),
                                       signer, sig)) != COUNCIL_OK)
            break;
        if (council__prepare(c, "INSERT OR REPLACE INTO meeting_item (meeting_id, case_id, "
                                      "attendee, scope, basis, sig, body) VALUES (?1, ?2, ?3, ?4, "
                                      "?5, ?6, ?7);", &st) != SQLITE_OK ||
            (body != 0 ? sqlite3_bind_int(st, 7, body) : sqlite3_bind_null(st, 7)) != SQLITE_OK ||
            sqlite3_bind_blob(st, 6, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_blob(st, 1, meeting, 16, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_blob(st, 2, case_id, 16, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_blob(st, 3, attendee, 16, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 4, o->scopes[i], -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 5, basis, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_DONE)
            rc = council__db_err(c, op);
        council__finalize(c, st);
    }
    return council__finish(c, rc);
}

/* ---------------------------------------------------------------- reading */

static bool dup_id(ProtobufCBinaryData *d, const void *p)
{
    d->data = council__malloc(16);
    if (d->data == NULL)
        return false;
    memcpy(d->data, p, 16);
    d->len = 16;
    return true;
}

/* The meeting as a message (items of one attendee only, when not NULL). */
int council__meeting_build(council *c, const char *op, const council__mtg *m,
                          const uint8_t *only, Council__V1__Meeting **out)
{
    Council__V1__Meeting *msg = council__calloc(1, sizeof *msg);
    sqlite3_stmt *st = NULL;
    char idt[37];
    bool ok;
    int src = SQLITE_DONE;

    *out = NULL;
    if (msg == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    council__v1__meeting__init(msg);
    council__uuid_text(idt, m->id);
    ok = dup_id(&msg->id, m->id) && (msg->id_text = council__strdup(idt)) != NULL;
    msg->body = (Council__V1__MeetingBody)m->body;
    msg->starts = m->starts;
    msg->ends = m->ends;
    msg->has_closed = m->closed != 0;
    msg->closed = m->closed;
    if (ok && council__prepare(c, "SELECT member_id FROM meeting_attendee WHERE meeting_id = "
                                        "?1 ORDER BY member_id;", &st) == SQLITE_OK &&
        sqlite3_bind_blob(st, 1, m->id, 16, SQLITE_STATIC) == SQLITE_OK) {
        while (ok && (src = sqlite3_step(st)) == SQLITE_ROW) {
            ProtobufCBinaryData *na = council__calloc(msg->n_attendees + 1, sizeof *na);
            ok = na != NULL && sqlite3_column_bytes(st, 0) == 16;
            if (na != NULL && msg->n_attendees > 0)
                memcpy(na, msg->attendees, msg->n_attendees * sizeof *na);
            if (ok) {
                council__free(msg->attendees);
                msg->attendees = na;
                ok = dup_id(&msg->attendees[msg->n_attendees], sqlite3_column_blob(st, 0));
                if (ok)
                    msg->n_attendees++;
            } else {
                council__free(na);
            }
        }
        ok = ok && src == SQLITE_DONE;
    } else {
        ok = false;
    }
    council__finalize(c, st);
    st = NULL;
    if (ok && council__prepare(c, "SELECT body, starts, ends FROM meeting_slot WHERE "
                                        "meeting_id = ?1 ORDER BY starts;", &st) ==
                  SQLITE_OK &&
        sqlite3_bind_blob(st, 1, m->id, 16, SQLITE_STATIC) == SQLITE_OK) {
        while (ok && (src = sqlite3_step(st)) == SQLITE_ROW) {
            Council__V1__MeetingSlot *sl = council__calloc(1, sizeof *sl), **ns;
            ns = council__calloc(msg->n_slots + 1, sizeof *ns);
            if (sl == NULL || ns == NULL) {
                council__free(sl);
                council__free(ns);
                ok = false;
                break;
            }
            council__v1__meeting_slot__init(sl);
            sl->body = (Council__V1__MeetingBody)sqlite3_column_int(st, 0);
            sl->starts = sqlite3_column_int64(st, 1);
            sl->ends = sqlite3_column_int64(st, 2);
            if (msg->n_slots > 0)
                memcpy(ns, msg->slots, msg->n_slots * sizeof *ns);
            council__free(msg->slots);
            msg->slots = ns;
            msg->slots[msg->n_slots++] = sl;
        }
        ok = ok && src == SQLITE_DONE;
    } else {
        ok = false;
    }
    council__finalize(c, st);
    st = NULL;
    /* One item per case, attendee and body (the same case may be discussed
     * with an attendee under two bodies of a joint meeting). */
    if (ok && council__prepare(c, "SELECT case_id, attendee, group_concat(scope), basis, "
                                        "coalesce(body, 0) AS b FROM (SELECT * FROM meeting_item "
                                        "WHERE meeting_id = ?1 AND (?2 IS NULL OR attendee = ?2) "
                                        "ORDER BY case_id, attendee, scope) GROUP BY case_id, "
                                        "attendee, b;", &st) == SQLITE_OK &&
        sqlite3_bind_blob(st, 1, m->id, 16, SQLITE_STATIC) == SQLITE_OK &&
        (only != NULL ? sqlite3_bind_blob(st, 2, only, 16, SQLITE_STATIC)
                      : sqlite3_bind_null(st, 2)) == SQLITE_OK) {
        while (ok && (src = sqlite3_step(st)) == SQLITE_ROW) {
            Council__V1__AgendaItem *it = council__calloc(1, sizeof *it), **na;
            const char *scopes = (const char *)sqlite3_column_text(st, 2);
            const char *basis = (const char *)sqlite3_column_text(st, 3);
            na = council__calloc(msg->n_items + 1, sizeof *na);
            if (it == NULL || na == NULL || scopes == NULL || basis == NULL ||
                sqlite3_column_bytes(st, 0) != 16 || sqlite3_column_bytes(st, 1) != 16) {
                council__free(it);
                council__free(na);
                ok = false;
                break;
            }
            council__v1__agenda_item__init(it);
            if (msg->n_items > 0)
                memcpy(na, msg->items, msg->n_items * sizeof *na);
            council__free(msg->items);
            msg->items = na;
            msg->items[msg->n_items++] = it;
            ok = dup_id(&it->case_id, sqlite3_column_blob(st, 0)) &&
                 dup_id(&it->attendee, sqlite3_column_blob(st, 1)) &&
                 (it->basis = council__strdup(basis)) != NULL;
            if ((it->has_body = sqlite3_column_int(st, 4) != 0))
                it->body = (Council__V1__MeetingBody)sqlite3_column_int(st, 4);
            /* the scopes, split on ',' */
            for (const char *p = scopes; ok && *p != '\0';) {
                const char *e = strchr(p, ',');
                size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
                char **ns = council__calloc(it->n_scopes + 1, sizeof *ns);
                char *one = council__malloc(n + 1);
                if (ns == NULL || one == NULL) {
                    council__free(ns);
                    council__free(one);
                    ok = false;
                    break;
                }
                memcpy(one, p, n);
                one[n] = '\0';
                if (it->n_scopes > 0)
                    memcpy(ns, it->scopes, it->n_scopes * sizeof *ns);
                council__free(it->scopes);
                it->scopes = ns;
                it->scopes[it->n_scopes++] = one;
                p += n + (e != NULL ? 1 : 0);
            }
        }
        ok = ok && src == SQLITE_DONE;
    } else {
        ok = false;
    }
    council__finalize(c, st);
    if (!ok) {
        council__v1__meeting__free_unpacked(msg, council__pb_allocator());
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory or database error", op);
    }
    *out = msg;
    return COUNCIL_OK;
}

int council_meeting_get(council *c, council_buf *out, const uint8_t *meeting, size_t meeting_len)
{
    static const char op[] = "meeting_get";
    Council__V1__Meeting *msg = NULL;
    mtg m;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__secretariat_id(c, op, meeting, meeting_len)) != COUNCIL_OK ||
        (rc = council__meeting_load(c, op, meeting, &m)) != COUNCIL_OK || (rc = council__meeting_build(c, op, &m, NULL, &msg)) != COUNCIL_OK)
        return rc;
    rc = council__pack_out(c, op, out, &msg->base);
    council__v1__meeting__free_unpacked(msg, council__pb_allocator());
    return rc;
}

/* ----------------------------------------------------------------- close */

int council_meeting_close(council *c, const uint8_t *meeting, size_t meeting_len)
{
    static const char op[] = "meeting_close";
    sqlite3_stmt *st = NULL;
    bool forged = false;
    mtg m;
    int rc;

    if ((rc = council__secretariat_id(c, op, meeting, meeting_len)) != COUNCIL_OK ||
        (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__meeting_load(c, op, meeting, &m)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (m.closed != 0)
        return council__finish(c, council__fail(c, COUNCIL_EDENIED, "%s: closed already", op));
    /* Only rows the secretariat signed are signed again: a forged
     * attendee, window or agenda item is logged (and stays unverifiable),
     * and the meeting is closed and its shares ended all the same. */
    if ((rc = council__meeting_check(c, op, meeting, NULL)) == COUNCIL_ETAMPER) {
        forged = true;
        rc = COUNCIL_OK;
    } else if (rc != COUNCIL_OK) {
        return council__finish(c, rc);
    }
    if (council__prepare(c, "UPDATE meeting SET closed = ?2 WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, meeting, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc == COUNCIL_OK && !forged)
        rc = meeting_sign(c, op, meeting);
    else if (rc == COUNCIL_OK)
        rc = council__sql_exec1(c, op, "UPDATE meeting SET sig = NULL WHERE id = ?1;",
                                meeting, 16, NULL, 0);
    /* Its disclosures end now. */
    if (rc == COUNCIL_OK)
        rc = council__case_end_meeting_shares(c, op, meeting);
    if (rc == COUNCIL_OK) {
        const council__event ev = {
            .action = ACT(MEETING_CLOSED),
            .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
            .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
        };
        rc = council__audit_append(c, &ev);
    }
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK && forged)
        rc = council__fail(c, COUNCIL_ETAMPER, "%s: closed, but the meeting, its attendees or its "
                           "agenda are not the ones the secretariat signed (logged; not signed "
                           "again)", op);
    return rc;
}

/* ------------------------------------------- agenda facts for the record */

int council__meeting_has_item(council *c, const char *op, const uint8_t meeting[16],
                              const uint8_t case_id[16], const uint8_t *member, bool *yes)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, "SELECT 1 FROM meeting_item WHERE meeting_id = ?1 AND case_id = "
                                  "?2 AND (?3 IS NULL OR attendee = ?3) LIMIT 1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, meeting, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, case_id, 16, SQLITE_STATIC) != SQLITE_OK ||
        (member != NULL ? sqlite3_bind_blob(st, 3, member, 16, SQLITE_STATIC)
                        : sqlite3_bind_null(st, 3)) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return council__row_exists(c, op, st, yes);
}

int council__meeting_ids_of_case(council *c, const char *op, const uint8_t case_id[16],
                                 uint8_t (**out)[COUNCIL_ID_BYTES], size_t *n)
{
    sqlite3_stmt *st = NULL;
    uint8_t (*ids)[COUNCIL_ID_BYTES] = NULL;
    size_t cap = 0;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    *out = NULL;
    *n = 0;
    if (council__prepare(c, "SELECT DISTINCT m.id FROM meeting_item i JOIN meeting m ON "
                                  "m.id = i.meeting_id WHERE i.case_id = ?1 ORDER BY m.seq;",
                           &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, case_id, 16, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        void *grown;
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
            continue;
        if ((grown = council__grow(ids, &cap, *n, sizeof *ids)) == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
        ids = grown;
        memcpy(ids[(*n)++], sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
    }
    council__finalize(c, st);
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    if (rc != COUNCIL_OK) {
        council__free(ids);
        *n = 0;
        return rc;
    }
    *out = ids;
    return COUNCIL_OK;
}

int council__meeting_readers(council *c, const char *op, const uint8_t meeting[16],
                             const uint8_t *case_id, uint8_t (*readers)[COUNCIL_ID_BYTES], size_t *n)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src;

    *n = 0;
    if (council__prepare(c, case_id == NULL
                                      ? "SELECT member_id FROM meeting_attendee WHERE meeting_id "
                                        "= ?1 ORDER BY member_id;"
                                      : "SELECT DISTINCT a.member_id FROM meeting_attendee a JOIN "
                                        "meeting_item i ON i.meeting_id = a.meeting_id AND "
                                        "i.attendee = a.member_id WHERE a.meeting_id = ?1 AND "
                                        "i.case_id = ?2 ORDER BY a.member_id;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, meeting, 16, SQLITE_STATIC) != SQLITE_OK ||
        (case_id != NULL && sqlite3_bind_blob(st, 2, case_id, 16, SQLITE_STATIC) != SQLITE_OK)) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t pk[32];
        bool have = false;
        if (sqlite3_column_bytes(st, 0) != 16 || *n == COUNCIL_CONSENT_LIST_MAX)
            continue;
        memcpy(readers[*n], sqlite3_column_blob(st, 0), 16);
        /* A member withdrawn since, or without keys, gets no copy; nor,
         * for a decision about a case, an attendee whose disclosure of it
         * was revoked since it was put on the agenda (a consent withdrawn,
         * the owner's revocation; the window's end is not one). */
        if ((rc = council__member_box_pk(c, op, readers[*n], pk, &have)) == COUNCIL_OK && have &&
            case_id != NULL)
            rc = council__share_held_at(c, op, case_id, readers[*n], meeting, &have);
        if (rc == COUNCIL_OK && have)
            (*n)++;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}
