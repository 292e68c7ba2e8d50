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
#include "policy.h"
#include "decide.h"
#include "text.h"

#define PACKET_MAX (64u << 20) /* bytes of one packet before sealing */
#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x

typedef struct mtg {
    uint8_t id[COUNCIL_ID_BYTES];
    int body;
    int64_t starts, ends, closed;
} mtg;

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
    if (sqlite3_prepare_v2(c->db, "SELECT body, starts, ends, coalesce(closed, 0), sig FROM meeting "
                                  "WHERE id = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    if ((src = sqlite3_step(st)) != SQLITE_ROW) {
        sqlite3_finalize(st);
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
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(c->db, "SELECT member_id FROM meeting_attendee WHERE meeting_id = ?1 "
                                  "ORDER BY member_id;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
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
    sqlite3_finalize(st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return council__db_err(c, op);
    st = NULL;
    n = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT body, starts, ends FROM meeting_slot WHERE meeting_id = "
                                  "?1 ORDER BY starts;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
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
    sqlite3_finalize(st);
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
        (sqlite3_prepare_v2(c->db, "UPDATE meeting SET sig = ?2 WHERE id = ?1;", -1, &st,
                            NULL) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
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
static int meeting_check(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
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
    if (ok && sqlite3_prepare_v2(c->db, "SELECT case_id, attendee, scope, basis, sig, "
                                        "coalesce(body, 0) FROM meeting_item WHERE meeting_id = "
                                        "?1 AND (?2 IS NULL OR attendee = ?2);", -1, &st,
                                 NULL) == SQLITE_OK &&
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
    sqlite3_finalize(st);
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

    if (sqlite3_prepare_v2(c->db, "SELECT id FROM meeting WHERE sig IS NULL;", -1, &st,
                           NULL) != SQLITE_OK)
        return council__db_err(c, "open");
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
        if (sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES) {
            uint8_t id[COUNCIL_ID_BYTES];
            memcpy(id, sqlite3_column_blob(st, 0), sizeof id);
            rc = meeting_sign(c, "open", id);
        }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == COUNCIL_OK &&
        sqlite3_prepare_v2(c->db, "SELECT meeting_id, case_id, attendee, scope, basis FROM "
                                  "meeting_item WHERE sig IS NULL;", -1, &st, NULL) != SQLITE_OK)
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
            (sqlite3_prepare_v2(c->db, "UPDATE meeting_item SET sig = ?5 WHERE meeting_id = ?1 AND "
                                       "case_id = ?2 AND attendee = ?3 AND scope = ?4;", -1, &up,
                                NULL) != SQLITE_OK ||
             sqlite3_bind_blob(up, 1, sqlite3_column_blob(st, 0), 16, SQLITE_TRANSIENT) != SQLITE_OK ||
             sqlite3_bind_blob(up, 2, sqlite3_column_blob(st, 1), 16, SQLITE_TRANSIENT) != SQLITE_OK ||
             sqlite3_bind_blob(up, 3, sqlite3_column_blob(st, 2), 16, SQLITE_TRANSIENT) != SQLITE_OK ||
             sqlite3_bind_text(up, 4, scope, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
             sqlite3_bind_blob(up, 5, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
             sqlite3_step(up) != SQLITE_DONE))
            rc = council__db_err(c, "open");
        sqlite3_finalize(up);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, "open");
    sqlite3_finalize(st);
    return rc;
}

static int load(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES], mtg *m)
{
    sqlite3_stmt *st = NULL;
    int src, rc = COUNCIL_OK;

    if (sqlite3_prepare_v2(c->db, "SELECT body, starts, ends, closed FROM meeting WHERE id = ?1;",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
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
    sqlite3_finalize(st);
    return rc;
}

static int attends(council *c, const char *op, const uint8_t meeting[16], const uint8_t member[16],
                   bool *yes)
{
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM meeting_attendee WHERE meeting_id = ?1 AND "
                                  "member_id = ?2;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, meeting, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, member, 16, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    return council__row_exists(c, op, st, yes);
}

/* A refusal on the record (its own transaction), then rc. */
static int refuse(council *c, int action, const uint8_t *case_ref, const uint8_t *subject, int rc,
                  const char *reason, const char *op, const char *msg)
{
    const council__event ev = {
        .action = action,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
        .case_ref = case_ref,
        .subject_member = subject,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED,
        .error = rc,
        .reason = reason,
    };
    int arc = council__audit_append(c, &ev);

    return arc != COUNCIL_OK ? arc : council__fail(c, rc, "%s: %s", op, msg);
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
    if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM meeting_slot WHERE meeting_id = ?1 AND body = ?2;",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, m->id, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, body) != SQLITE_OK) {
        sqlite3_finalize(st);
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
    if (sqlite3_prepare_v2(c->db, "INSERT INTO meeting (id, body, starts, ends, created, seq) VALUES "
                                  "(?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(seq), 0) + 1 FROM "
                                  "meeting));", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, mid, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, o->body) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, o->starts) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, o->ends) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, now) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    for (size_t i = 0; rc == COUNCIL_OK && i < o->n_attendees; i++)
        rc = council__sql_exec1(c, op, "INSERT OR IGNORE INTO meeting_attendee (meeting_id, "
                                "member_id) VALUES (?1, ?2);", mid, 16, o->attendees + 16 * i, 16);
    for (size_t i = 0; rc == COUNCIL_OK && i < n_slots; i++) {
        if (sqlite3_prepare_v2(c->db, "INSERT INTO meeting_slot (meeting_id, body, starts, ends) "
                                      "VALUES (?1, ?2, ?3, ?4);", -1, &st, NULL) != SQLITE_OK ||
            sqlite3_bind_blob(st, 1, mid, 16, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_int(st, 2, slots[i].body) != SQLITE_OK ||
            sqlite3_bind_int64(st, 3, slots[i].starts) != SQLITE_OK ||
            sqlite3_bind_int64(st, 4, slots[i].ends) != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
            rc = council__db_err(c, op);
        sqlite3_finalize(st);
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

/* An agenda item under body (0: the meeting's own, and the item's row names
 * no body, as before slots). */
static int add_item(council *c, const char *op, const uint8_t *meeting, size_t meeting_len,
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

    if ((rc = council__secretariat_id(c, op, meeting, meeting_len)) != COUNCIL_OK ||
        (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (case_id == NULL || case_id_len != 16 || attendee == NULL || attendee_len != 16)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    if (o == NULL || o->version != COUNCIL_SHARE_OPTIONS_VERSION || o->scopes == NULL ||
        o->n_scopes == 0 || o->n_scopes > COUNCIL__AUDIT_SCOPES_MAX)
        return council__fail(c, COUNCIL_EMISUSE, "%s: share options missing, of unknown version, "
                             "or without scopes", op);
    if ((rc = load(c, op, meeting, &m)) != COUNCIL_OK ||
        (rc = meeting_check(c, op, meeting, attendee)) != COUNCIL_OK ||
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
    if ((rc = attends(c, op, meeting, attendee, &yes)) != COUNCIL_OK)
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
        if (sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO meeting_item (meeting_id, case_id, "
                                      "attendee, scope, basis, sig, body) VALUES (?1, ?2, ?3, ?4, "
                                      "?5, ?6, ?7);", -1, &st, NULL) != SQLITE_OK ||
            (body != 0 ? sqlite3_bind_int(st, 7, body) : sqlite3_bind_null(st, 7)) != SQLITE_OK ||
            sqlite3_bind_blob(st, 6, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_blob(st, 1, meeting, 16, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_blob(st, 2, case_id, 16, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_blob(st, 3, attendee, 16, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 4, o->scopes[i], -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(st, 5, basis, -1, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_DONE)
            rc = council__db_err(c, op);
        sqlite3_finalize(st);
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
static int build(council *c, const char *op, const mtg *m, const uint8_t *only,
                 Council__V1__Meeting **out)
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
    if (ok && sqlite3_prepare_v2(c->db, "SELECT member_id FROM meeting_attendee WHERE meeting_id = "
                                        "?1 ORDER BY member_id;", -1, &st, NULL) == SQLITE_OK &&
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
    sqlite3_finalize(st);
    st = NULL;
    if (ok && sqlite3_prepare_v2(c->db, "SELECT body, starts, ends FROM meeting_slot WHERE "
                                        "meeting_id = ?1 ORDER BY starts;", -1, &st, NULL) ==
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
    sqlite3_finalize(st);
    st = NULL;
    if (ok && sqlite3_prepare_v2(c->db, "SELECT case_id, attendee, group_concat(scope), basis, "
                                        "max(coalesce(body, 0)) FROM (SELECT * FROM meeting_item "
                                        "WHERE meeting_id = ?1 AND (?2 IS NULL OR attendee = ?2) "
                                        "ORDER BY case_id, attendee, scope) GROUP BY case_id, "
                                        "attendee;", -1, &st, NULL) == SQLITE_OK &&
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
    sqlite3_finalize(st);
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
        (rc = load(c, op, meeting, &m)) != COUNCIL_OK || (rc = build(c, op, &m, NULL, &msg)) != COUNCIL_OK)
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
    if ((rc = load(c, op, meeting, &m)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (m.closed != 0)
        return council__finish(c, council__fail(c, COUNCIL_EDENIED, "%s: closed already", op));
    /* Only rows the secretariat signed are signed again: a forged
     * attendee, window or agenda item is logged (and stays unverifiable),
     * and the meeting is closed and its shares ended all the same. */
    if ((rc = meeting_check(c, op, meeting, NULL)) == COUNCIL_ETAMPER) {
        forged = true;
        rc = COUNCIL_OK;
    } else if (rc != COUNCIL_OK) {
        return council__finish(c, rc);
    }
    if (sqlite3_prepare_v2(c->db, "UPDATE meeting SET closed = ?2 WHERE id = ?1;", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, meeting, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL)) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
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
    if (sqlite3_prepare_v2(c->db, "SELECT memo_id, recorded, sig FROM meeting_minutes WHERE "
                                  "meeting_id = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, meeting, 16, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    if ((src = sqlite3_step(st)) != SQLITE_ROW) {
        sqlite3_finalize(st);
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
    sqlite3_finalize(st);
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
    if (sqlite3_prepare_v2(c->db, "SELECT meeting_id, case_id, memo_id, recorded, sig FROM "
                                  "meeting_decision WHERE id = ?1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    if ((src = sqlite3_step(st)) != SQLITE_ROW) {
        sqlite3_finalize(st);
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
    sqlite3_finalize(st);
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
    if (sqlite3_prepare_v2(c->db, "SELECT id FROM meeting_decision WHERE meeting_id = ?1 ORDER BY "
                                  "recorded, id;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, meeting, 16, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
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
    sqlite3_finalize(st);
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

/* Does member hold an agenda item of case in the meeting (rows checked by
 * meeting_check before)? */
static int has_item(council *c, const char *op, const uint8_t meeting[16], const uint8_t case_id[16],
                    const uint8_t member[16], bool *yes)
{
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM meeting_item WHERE meeting_id = ?1 AND case_id = "
                                  "?2 AND attendee = ?3 LIMIT 1;", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, meeting, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, case_id, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, member, 16, SQLITE_STATIC) != SQLITE_OK) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    return council__row_exists(c, op, st, yes);
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
        rc = has_item(c, op, meeting, case_id, member, yes);
    return rc;
}

/* The attendees with usable keys, for sealing: *n of them into readers. */
static int attendee_readers(council *c, const char *op, const uint8_t meeting[16],
                            const uint8_t *case_id, uint8_t (*readers)[16], size_t *n)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src;

    *n = 0;
    if (sqlite3_prepare_v2(c->db, case_id == NULL
                                      ? "SELECT member_id FROM meeting_attendee WHERE meeting_id "
                                        "= ?1 ORDER BY member_id;"
                                      : "SELECT DISTINCT a.member_id FROM meeting_attendee a JOIN "
                                        "meeting_item i ON i.meeting_id = a.meeting_id AND "
                                        "i.attendee = a.member_id WHERE a.meeting_id = ?1 AND "
                                        "i.case_id = ?2 ORDER BY a.member_id;",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, meeting, 16, SQLITE_STATIC) != SQLITE_OK ||
        (case_id != NULL && sqlite3_bind_blob(st, 2, case_id, 16, SQLITE_STATIC) != SQLITE_OK)) {
        sqlite3_finalize(st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t pk[32];
        bool have = false;
        if (sqlite3_column_bytes(st, 0) != 16 || *n == COUNCIL_CONSENT_LIST_MAX)
            continue;
        memcpy(readers[*n], sqlite3_column_blob(st, 0), 16);
        /* A member withdrawn since, or without keys, gets no copy. */
        if ((rc = council__member_box_pk(c, op, readers[*n], pk, &have)) == COUNCIL_OK && have)
            (*n)++;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
    return rc;
}

/* The checks minutes and decisions share: the secretariat, no batch, the
 * meeting there, its rows the secretariat's, not closed (a refusal of a
 * closed meeting is logged as `action`). */
static int record_open(council *c, const char *op, const uint8_t *meeting, size_t meeting_len,
                       const char *text, size_t *len, int action, mtg *m)
{
    int rc;

    if ((rc = council__secretariat_id(c, op, meeting, meeting_len)) != COUNCIL_OK ||
        (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (!record_text_ok(text, len))
        return council__fail(c, COUNCIL_EINVAL, "%s: the text is UTF-8 of 1 to %d bytes", op,
                             COUNCIL_MEETING_TEXT_MAX);
    if ((rc = load(c, op, meeting, m)) != COUNCIL_OK ||
        (rc = meeting_check(c, op, meeting, NULL)) != COUNCIL_OK)
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
    mtg m;
    int rc;

    if ((rc = record_open(c, op, meeting, meeting_len, text, &len, ACT(MINUTES_RECORDED), &m)) !=
            COUNCIL_OK ||
        (rc = minutes_load(c, op, meeting, memo, &old_at, &found)) != COUNCIL_OK)
        return rc;
    if (found)
        return council__fail(c, COUNCIL_EEXIST, "%s: the meeting's minutes are recorded already", op);
    if ((rc = attendee_readers(c, op, meeting, NULL, readers, &n)) != COUNCIL_OK ||
        (rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    rc = council__memo_seal(c, op, memo, MINUTES_KIND, meeting, NULL,
                            (const uint8_t (*)[16])readers, n, (const uint8_t *)text, len);
    if (rc == COUNCIL_OK)
        rc = council__attest_sign(c, "meeting_minutes", msg, minutes_msg(msg, meeting, memo, recorded),
                                  signer, sig);
    if (rc == COUNCIL_OK &&
        (sqlite3_prepare_v2(c->db, "INSERT INTO meeting_minutes (meeting_id, memo_id, recorded, sig) "
                                   "VALUES (?1, ?2, ?3, ?4);", -1, &st, NULL) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, meeting, 16, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, memo, 16, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_int64(st, 3, recorded) != SQLITE_OK ||
         sqlite3_bind_blob(st, 4, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
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
    mtg m;
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
        if (sqlite3_prepare_v2(c->db, "SELECT 1 FROM meeting_item WHERE meeting_id = ?1 AND "
                                      "case_id = ?2 LIMIT 1;", -1, &st, NULL) != SQLITE_OK ||
            sqlite3_bind_blob(st, 1, meeting, 16, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_blob(st, 2, case_id, 16, SQLITE_STATIC) != SQLITE_OK) {
            sqlite3_finalize(st);
            return council__db_err(c, op);
        }
        if ((rc = council__row_exists(c, op, st, &on)) != COUNCIL_OK)
            return rc;
        st = NULL;
        if (!on)
            return council__fail(c, COUNCIL_ENOTFOUND, "%s: the case is not on the meeting's agenda",
                                 op);
        r.has_case = true;
        memcpy(r.case_id, case_id, 16);
    }
    if ((rc = attendee_readers(c, op, meeting, case_id, readers, &n)) != COUNCIL_OK ||
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
        (sqlite3_prepare_v2(c->db, "INSERT INTO meeting_decision (id, meeting_id, case_id, memo_id, "
                                   "recorded, sig) VALUES (?1, ?2, ?3, ?4, ?5, ?6);", -1, &st,
                            NULL) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, r.id, 16, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, meeting, 16, SQLITE_STATIC) != SQLITE_OK ||
         (case_id != NULL ? sqlite3_bind_blob(st, 3, case_id, 16, SQLITE_STATIC)
                          : sqlite3_bind_null(st, 3)) != SQLITE_OK ||
         sqlite3_bind_blob(st, 4, r.memo, 16, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_int64(st, 5, r.recorded) != SQLITE_OK ||
         sqlite3_bind_blob(st, 6, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__db_err(c, op);
    sqlite3_finalize(st);
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
    mtg m;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (meeting == NULL || meeting_len != 16)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    if ((rc = load(c, op, meeting, &m)) != COUNCIL_OK)
        return rc;
    if (!council__is_secretariat(c)) {
        member = c->actor_member;
        if ((rc = meeting_check(c, op, meeting, member)) != COUNCIL_OK ||
            (rc = attends(c, op, meeting, member, &yes)) != COUNCIL_OK)
            return rc;
        if (!yes)
            return refuse(c, ACT(MEETING_RECORD_READ), NULL, member, COUNCIL_EDENIED,
                          "not_an_attendee", op, "the session's member does not attend the meeting");
    } else if ((rc = meeting_check(c, op, meeting, NULL)) != COUNCIL_OK) {
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
        if ((rc = meeting_check(c, op, r.meeting, c->actor_member)) != COUNCIL_OK ||
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

int council_meeting_packet(council *c, council_buf *out, const uint8_t *meeting, size_t meeting_len,
                           const uint8_t *attendee, size_t attendee_len)
{
    static const char op[] = "meeting_packet";
    Council__V1__MeetingPacket p = COUNCIL__V1__MEETING_PACKET__INIT;
    Council__V1__Meeting *msg = NULL;
    Council__V1__CaseContent **cases = NULL;
    uint8_t pk[32], *plain = NULL;
    size_t len = 0, n_cases = 0;
    bool yes = false, have = false;
    record rec;
    mtg m;
    int rc;

    memset(&rec, 0, sizeof rec);
    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__secretariat_id(c, op, meeting, meeting_len)) != COUNCIL_OK ||
        (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (attendee == NULL || attendee_len != 16)
        return council__fail(c, COUNCIL_EINVAL, "%s: ids are %d bytes", op, COUNCIL_ID_BYTES);
    if ((rc = load(c, op, meeting, &m)) != COUNCIL_OK ||
        (rc = meeting_check(c, op, meeting, attendee)) != COUNCIL_OK ||
        (rc = attends(c, op, meeting, attendee, &yes)) != COUNCIL_OK)
        return rc;
    if (!yes || m.closed != 0 || m.ends <= (int64_t)time(NULL))
        return refuse(c, ACT(DISCLOSURE_REFUSED), NULL, attendee, COUNCIL_EDENIED,
                      !yes ? "not_an_attendee" : "meeting_closed", op,
                      "not an attendee, or the meeting is closed or over");
    /* Sealed only to a key the council signed. */
    if (council__member_box_pk(c, op, attendee, pk, &have) != COUNCIL_OK)
        have = false;
    if (!have)
        return council__fail(c, COUNCIL_EDENIED, "%s: the attendee has withdrawn or has no keys", op);
    if ((rc = council__member_check(c, op, attendee)) != COUNCIL_OK ||
        (rc = council__member_key_check(c, op, attendee, pk)) != COUNCIL_OK)
        return rc;
    if ((rc = build(c, op, &m, attendee, &msg)) != COUNCIL_OK)
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
        else if ((plain = council__malloc(len)) == NULL ||
                 (out->ptr = council__malloc(len + crypto_box_SEALBYTES)) == NULL)
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    if (rc == COUNCIL_OK) {
        council__v1__meeting_packet__pack(&p, plain);
        if (crypto_box_seal(out->ptr, plain, len, pk) != 0)
            rc = council__fail(c, COUNCIL_EINVAL, "%s: cannot seal to the attendee's key", op);
        else
            out->len = len + crypto_box_SEALBYTES;
    }
    if (plain != NULL) {
        sodium_memzero(plain, len);
        council__free(plain);
    }
    for (size_t i = 0; i < n_cases; i++)
        council__v1__case_content__free_unpacked(cases[i], council__pb_wiping_allocator());
    council__free(cases);
    record_free(&rec);
    council__v1__meeting__free_unpacked(msg, council__pb_allocator());
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
