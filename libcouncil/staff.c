/*
 * staff.c - staff of the members and their secrecy pledges (Article 18).
 * Staff records and pledges are never deleted: the store's triggers refuse
 * it, and retirement only marks former staff, who stay bound.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/member.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "crypto.h"
#include "session.h"
#include "text.h"
#include "member_db.h"
#include "staff.h"
#include "attest.h"
#include "sql.h"
#include "event.h"
#include "buf.h"
#include "store.h"

/* The staff member's member, and whether the staff member is active:
 * 1 active, 0 retired, negative: ENOTFOUND or EIO. */
static int staff_state(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                       uint8_t member[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (council__prepare(c, "SELECT member_id, retired IS NULL FROM staff WHERE id = ?;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the staff records", op);
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES) {
        memcpy(member, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        rc = sqlite3_column_int(st, 1);
    } else if (rc == SQLITE_DONE) {
        rc = council__fail(c, COUNCIL_ENOTFOUND, "%s: no such staff member", op);
    } else {
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot read the staff records", op);
    }
    council__finalize(c, st);
    return rc;
}

/* ------------------------------------------------------- signed rows */

/* Staff rows and pledges as the council signs them (council__attest_sign,
 * kinds "staff" and "pledge"):
 *     staff:  id || member_id || u64be(retired, 0 if not)
 *     pledge: staff_id || u64be(pledged) || u32be(len) || text_version || text_sha256
 * A session opens, and goes on, only for staff whose row and at least one
 * pledge the council signed. */
#define PMSG_MAX (COUNCIL_ID_BYTES + 8 + 4 + COUNCIL__AUDIT_CODE_MAX + 32)

static size_t staff_msg(uint8_t *m, const uint8_t id[COUNCIL_ID_BYTES],
                        const uint8_t member[COUNCIL_ID_BYTES], int64_t retired)
{
    uint8_t *p = council__put_bytes(m, id, COUNCIL_ID_BYTES);

    p = council__put_bytes(p, member, COUNCIL_ID_BYTES);
    p = council__put_u64(p, (uint64_t)retired);
    return (size_t)(p - m);
}

static size_t pledge_msg(uint8_t *m, const uint8_t staff[COUNCIL_ID_BYTES], int64_t pledged,
                         const char *version, const uint8_t hash[32])
{
    size_t n = strlen(version);
    uint8_t *p = council__put_bytes(m, staff, COUNCIL_ID_BYTES);

    p = council__put_u64(p, (uint64_t)pledged);
    p = council__put_u32(p, (uint32_t)n);
    p = council__put_bytes(p, version, n);
    p = council__put_bytes(p, hash, 32);
    return (size_t)(p - m);
}

static int staff_sign(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES])
{
    uint8_t m[COUNCIL_ID_BYTES * 2 + 8], member[COUNCIL_ID_BYTES], sig[64], signer[COUNCIL_ID_BYTES];
    sqlite3_stmt *st = NULL;
    int64_t retired = 0;
    int rc = COUNCIL_OK;

    if (council__prepare(c, "SELECT member_id, coalesce(retired, 0) FROM staff WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW || sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot read the staff records", op);
    else {
        memcpy(member, sqlite3_column_blob(st, 0), sizeof member);
        retired = sqlite3_column_int64(st, 1);
    }
    council__finalize(c, st);
    st = NULL;
    if (rc == COUNCIL_OK)
        rc = council__attest_sign(c, "staff", m, staff_msg(m, id, member, retired), signer, sig);
    if (rc == COUNCIL_OK &&
        (council__prepare(c, "UPDATE staff SET sig = ?2 WHERE id = ?1;", &st) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot write the staff records", op);
    council__finalize(c, st);
    return rc;
}

int council__staff_check(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                         bool *pledged)
{
    static const uint8_t council_signer[COUNCIL_ID_BYTES];
    uint8_t m[PMSG_MAX];
    sqlite3_stmt *st = NULL;
    bool ok = false;
    int src;

    *pledged = false;
    if (council__prepare(c, "SELECT member_id, coalesce(retired, 0), sig FROM staff WHERE "
                                  "id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the staff records", op);
    }
    if ((src = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES)
        ok = council__attest_check(c, "staff", m,
                                   staff_msg(m, id, sqlite3_column_blob(st, 0),
                                             sqlite3_column_int64(st, 1)),
                                   council_signer, sizeof council_signer,
                                   sqlite3_column_blob(st, 2),
                                   (size_t)sqlite3_column_bytes(st, 2)) == COUNCIL_OK;
    council__finalize(c, st);
    st = NULL;
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the staff records", op);
    if (!ok) {
        (void)council__tamper(c, NULL, NULL, NULL, "forged_staff_row");
        return council__fail(c, COUNCIL_ETAMPER, "%s: a staff record is not the one the "
                             "secretariat signed (it was changed outside the library)", op);
    }
    if (council__prepare(c, "SELECT pledged, text_version, text_sha256, sig FROM pledge "
                                  "WHERE staff_id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the pledges", op);
    }
    while (!*pledged && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (v == NULL || !council__audit_code_ok(v) || sqlite3_column_bytes(st, 2) != 32)
            continue;
        *pledged = council__attest_check(c, "pledge", m,
                                         pledge_msg(m, id, sqlite3_column_int64(st, 0), v,
                                                    sqlite3_column_blob(st, 2)),
                                         council_signer, sizeof council_signer,
                                         sqlite3_column_blob(st, 3),
                                         (size_t)sqlite3_column_bytes(st, 3)) == COUNCIL_OK;
    }
    council__finalize(c, st);
    /* A read that failed is no missing pledge (that would end the session). */
    if (!*pledged && src != SQLITE_DONE)
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the pledges", op);
    return COUNCIL_OK;
}

int council__staff_upgrade(council *c)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src = SQLITE_DONE;

    if (council__prepare(c, "SELECT id FROM staff WHERE sig IS NULL;", &st) != SQLITE_OK)
        return council__fail(c, COUNCIL_EIO, "open: cannot read the staff records");
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t id[COUNCIL_ID_BYTES];
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
            continue;
        memcpy(id, sqlite3_column_blob(st, 0), sizeof id);
        rc = staff_sign(c, "open", id);
    }
    council__finalize(c, st);
    st = NULL;
    if (rc != COUNCIL_OK)
        return rc;
    /* Pledges are never changed (a trigger): lifted for this one pass. */
    if (sqlite3_exec(c->db, "DROP TRIGGER IF EXISTS pledge_unchanged;", NULL, NULL, NULL) != SQLITE_OK ||
        council__prepare(c, "SELECT seq, staff_id, pledged, text_version, text_sha256 FROM "
                                  "pledge WHERE sig IS NULL;", &st) != SQLITE_OK)
        rc = council__fail(c, COUNCIL_EIO, "open: cannot read the pledges");
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t m[PMSG_MAX], sig[64], signer[COUNCIL_ID_BYTES];
        const char *v = (const char *)sqlite3_column_text(st, 3);
        sqlite3_stmt *up = NULL;
        if (sqlite3_column_bytes(st, 1) != COUNCIL_ID_BYTES || v == NULL ||
            !council__audit_code_ok(v) || sqlite3_column_bytes(st, 4) != 32)
            continue;
        rc = council__attest_sign(c, "pledge", m,
                                  pledge_msg(m, sqlite3_column_blob(st, 1),
                                             sqlite3_column_int64(st, 2), v,
                                             sqlite3_column_blob(st, 4)), signer, sig);
        if (rc == COUNCIL_OK &&
            (council__prepare(c, "UPDATE pledge SET sig = ?2 WHERE seq = ?1;", &up) != SQLITE_OK ||
             sqlite3_bind_int64(up, 1, sqlite3_column_int64(st, 0)) != SQLITE_OK ||
             sqlite3_bind_blob(up, 2, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
             sqlite3_step(up) != SQLITE_DONE))
            rc = council__fail(c, COUNCIL_EIO, "open: cannot sign a pledge");
        council__finalize(c, up);
    }
    council__finalize(c, st);
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "open: cannot read the pledges");
    if (sqlite3_exec(c->db, "CREATE TRIGGER IF NOT EXISTS pledge_unchanged BEFORE UPDATE ON pledge"
                            "  BEGIN SELECT RAISE(ABORT, 'pledges are never changed'); END;",
                     NULL, NULL, NULL) != SQLITE_OK && rc == COUNCIL_OK)
        rc = council__fail(c, COUNCIL_EIO, "open: cannot restore the pledge trigger");
    return rc;
}

static int step(council *c, const char *op, sqlite3_stmt *st, int bind_failed)
{
    int src = bind_failed ? SQLITE_ERROR : sqlite3_step(st);

    council__finalize(c, st);
    return src == SQLITE_DONE ? COUNCIL_OK
                              : council__fail(c, COUNCIL_EIO, "%s: cannot write the staff records", op);
}

int council_staff_add(council *c, uint8_t *id, size_t id_len, const uint8_t *member_id,
                      size_t member_id_len, const char *display_name, const char *role)
{
    uint8_t fresh[COUNCIL_ID_BYTES];
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = council__secretariat_id(c, "staff_add", id, id_len)) != COUNCIL_OK ||
        (rc = council__secretariat_id(c, "staff_add", member_id, member_id_len)) != COUNCIL_OK)
        return rc;
    if (!council__text_arg(display_name, COUNCIL_NAME_MAX) || (role != NULL && !council__text_arg(role, COUNCIL_NAME_MAX)))
        return council__fail(c, COUNCIL_EINVAL, "staff_add: name and role must be 1..%d bytes of "
                             "UTF-8 text", COUNCIL_NAME_MAX);
    council__uuid_random(fresh);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__member_usable(c, "staff_add", member_id)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (council__prepare(c, "INSERT INTO staff (id, member_id, display_name, role, added, seq) "
                                  "VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM staff));", &st) != SQLITE_OK)
        return council__finish(c, council__fail(c, COUNCIL_EIO, "staff_add: cannot write the staff records"));
    rc = step(c, "staff_add", st,
              sqlite3_bind_blob(st, 1, fresh, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
              sqlite3_bind_blob(st, 2, member_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
              sqlite3_bind_text(st, 3, display_name, -1, SQLITE_STATIC) != SQLITE_OK ||
              (role != NULL ? sqlite3_bind_text(st, 4, role, -1, SQLITE_STATIC)
                            : sqlite3_bind_null(st, 4)) != SQLITE_OK ||
              sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL)) != SQLITE_OK);
    if (rc == COUNCIL_OK)
        rc = staff_sign(c, "staff_add", fresh);
    if (rc == COUNCIL_OK)
        rc = council__audit_subject(c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_STAFF_ADDED, member_id, fresh, NULL);
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK)
        memcpy(id, fresh, COUNCIL_ID_BYTES);
    return rc;
}

int council_staff_pledge(council *c, const uint8_t *staff_id, size_t staff_id_len, int64_t when,
                         const char *text_version, const uint8_t *text, size_t text_len,
                         const char *witness)
{
    uint8_t member[COUNCIL_ID_BYTES], hash[crypto_hash_sha256_BYTES], psig[64];
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = council__secretariat_id(c, "staff_pledge", staff_id, staff_id_len)) != COUNCIL_OK)
        return rc;
    if (!council__audit_code_ok(text_version) || text == NULL || text_len == 0 ||
        text_len > COUNCIL_PLEDGE_TEXT_MAX || when < 0 ||
        (witness != NULL && !council__text_arg(witness, COUNCIL_NAME_MAX)))
        return council__fail(c, COUNCIL_EINVAL, "staff_pledge: a version code, the pledge text "
                             "(1..%d bytes) and a date are needed", COUNCIL_PLEDGE_TEXT_MAX);
    crypto_hash_sha256(hash, text, text_len);
    if (when == 0)
        when = (int64_t)time(NULL);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    rc = staff_state(c, "staff_pledge", staff_id, member);
    if (rc == 0)
        rc = council__fail(c, COUNCIL_EDENIED, "staff_pledge: the staff member has retired");
    if (rc == 1)
        rc = council__member_usable(c, "staff_pledge", member);
    if (rc < 0)
        return council__finish(c, rc);
    {
        uint8_t m[PMSG_MAX], signer[COUNCIL_ID_BYTES];
        if ((rc = council__attest_sign(c, "pledge", m, pledge_msg(m, staff_id, when, text_version, hash),
                                       signer, psig)) != COUNCIL_OK)
            return council__finish(c, rc);
    }
    if (council__prepare(c, "INSERT INTO pledge (staff_id, pledged, text_version, text_sha256, "
                                  "witness, sig) VALUES (?, ?, ?, ?, ?, ?);", &st) != SQLITE_OK)
        return council__finish(c, council__fail(c, COUNCIL_EIO, "staff_pledge: cannot write the pledge"));
    rc = step(c, "staff_pledge", st,
              sqlite3_bind_blob(st, 6, psig, sizeof psig, SQLITE_STATIC) != SQLITE_OK ||
              sqlite3_bind_blob(st, 1, staff_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
              sqlite3_bind_int64(st, 2, when) != SQLITE_OK ||
              sqlite3_bind_text(st, 3, text_version, -1, SQLITE_STATIC) != SQLITE_OK ||
              sqlite3_bind_blob(st, 4, hash, sizeof hash, SQLITE_STATIC) != SQLITE_OK ||
              (witness != NULL ? sqlite3_bind_text(st, 5, witness, -1, SQLITE_STATIC)
                               : sqlite3_bind_null(st, 5)) != SQLITE_OK);
    if (rc == COUNCIL_OK)
        rc = council__audit_subject(c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_PLEDGE_RECORDED, member, staff_id,
                       text_version);
    return council__finish(c, rc);
}

int council_staff_retire(council *c, const uint8_t *staff_id, size_t staff_id_len, int64_t when,
                         const char *reason)
{
    uint8_t member[COUNCIL_ID_BYTES];
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = council__secretariat_id(c, "staff_retire", staff_id, staff_id_len)) != COUNCIL_OK)
        return rc;
    if (!council__text_arg(reason, COUNCIL_CONTACT_MAX) || when < 0)
        return council__fail(c, COUNCIL_EINVAL, "staff_retire: a reason of 1..%d bytes of UTF-8 "
                             "text and a date are needed", COUNCIL_CONTACT_MAX);
    if (when == 0)
        when = (int64_t)time(NULL);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    rc = staff_state(c, "staff_retire", staff_id, member);
    if (rc == 0)
        rc = council__fail(c, COUNCIL_EDENIED, "staff_retire: retired already");
    if (rc < 0)
        return council__finish(c, rc);
    if (council__prepare(c, "UPDATE staff SET retired = ?2, retirement_reason = ?3 WHERE id = ?1;", &st) != SQLITE_OK)
        return council__finish(c, council__fail(c, COUNCIL_EIO, "staff_retire: cannot write"));
    rc = step(c, "staff_retire", st,
              sqlite3_bind_blob(st, 1, staff_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
              sqlite3_bind_int64(st, 2, when) != SQLITE_OK ||
              sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC) != SQLITE_OK);
    if (rc == COUNCIL_OK)
        rc = staff_sign(c, "staff_retire", staff_id);
    if (rc == COUNCIL_OK)
        rc = council__audit_subject(c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_STAFF_RETIRED, member, staff_id, NULL);
    return council__finish(c, rc);
}

/* ---------------------------------------------------------------- listing */

static char *dup_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);

    return t != NULL ? council__strdup((const char *)t) : NULL;
}

static int add_pledges(council *c, Council__V1__Staff *s)
{
    sqlite3_stmt *st = NULL;
    int src;

    if (council__prepare(c, "SELECT pledged, text_version, text_sha256, witness FROM pledge "
                                  "WHERE staff_id = ? ORDER BY seq;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, s->id.data, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return COUNCIL_EIO;
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        Council__V1__Pledge **grown, *p;
        grown = council__calloc(s->n_pledges + 1, sizeof *grown);
        p = council__calloc(1, sizeof *p);
        if (grown == NULL || p == NULL) {
            council__free(grown);
            council__free(p);
            council__finalize(c, st);
            return COUNCIL_ENOMEM;
        }
        if (s->pledges != NULL)
            memcpy(grown, s->pledges, s->n_pledges * sizeof *grown);
        council__free(s->pledges);
        s->pledges = grown;
        council__v1__pledge__init(p);
        s->pledges[s->n_pledges++] = p;
        p->pledged = sqlite3_column_int64(st, 0);
        p->text_version = dup_text(st, 1);
        p->text_sha256.len = 32;
        p->text_sha256.data = council__malloc(32);
        if (p->text_version == NULL || p->text_sha256.data == NULL ||
            sqlite3_column_bytes(st, 2) != 32) {
            council__finalize(c, st);
            return COUNCIL_ENOMEM;
        }
        memcpy(p->text_sha256.data, sqlite3_column_blob(st, 2), 32);
        if (sqlite3_column_type(st, 3) != SQLITE_NULL && (p->witness = dup_text(st, 3)) == NULL) {
            council__finalize(c, st);
            return COUNCIL_ENOMEM;
        }
    }
    council__finalize(c, st);
    return src == SQLITE_DONE ? COUNCIL_OK : COUNCIL_EIO;
}

int council_staff_list(council *c, council_buf *out, const uint8_t *member_id, size_t member_id_len)
{
    Council__V1__StaffList list = COUNCIL__V1__STAFF_LIST__INIT;
    Council__V1__Staff **v = NULL;
    sqlite3_stmt *st = NULL;
    size_t n = 0, cap = 0, len;
    int rc = COUNCIL_OK, src;

    if (!council__ok(c) || out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "staff_list: bad handle or NULL out");
    if ((rc = council__secretariat_only(c, "staff_list")) != COUNCIL_OK)
        return rc;
    out->ptr = NULL;
    out->len = 0;
    if (member_id != NULL && member_id_len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EINVAL, "staff_list: member id must be %d bytes", COUNCIL_ID_BYTES);
    if (council__prepare(c, "SELECT id, member_id, display_name, role, added, retired, "
                                  "retirement_reason FROM staff WHERE (?1 IS NULL OR member_id = ?1) "
                                  "ORDER BY seq;", &st) != SQLITE_OK ||
        (member_id != NULL ? sqlite3_bind_blob(st, 1, member_id, COUNCIL_ID_BYTES, SQLITE_STATIC)
                           : sqlite3_bind_null(st, 1)) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "staff_list: cannot read the staff records");
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        Council__V1__Staff *s;
        char text[37];
        if (n == cap) {
            Council__V1__Staff **nv = council__grow(v, &cap, n, sizeof *nv);
            if (nv == NULL) {
                rc = COUNCIL_ENOMEM;
                break;
            }
            v = nv;
        }
        if ((s = council__calloc(1, sizeof *s)) == NULL) {
            rc = COUNCIL_ENOMEM;
            break;
        }
        council__v1__staff__init(s);
        v[n++] = s;
        s->id.len = s->member_id.len = COUNCIL_ID_BYTES;
        s->id.data = council__malloc(COUNCIL_ID_BYTES);
        s->member_id.data = council__malloc(COUNCIL_ID_BYTES);
        s->display_name = dup_text(st, 2);
        if (s->id.data == NULL || s->member_id.data == NULL || s->display_name == NULL ||
            sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES || sqlite3_column_bytes(st, 1) != COUNCIL_ID_BYTES) {
            rc = COUNCIL_ENOMEM;
            break;
        }
        memcpy(s->id.data, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        memcpy(s->member_id.data, sqlite3_column_blob(st, 1), COUNCIL_ID_BYTES);
        council__uuid_text(text, s->id.data);
        if ((s->id_text = council__strdup(text)) == NULL ||
            (sqlite3_column_type(st, 3) != SQLITE_NULL && (s->role = dup_text(st, 3)) == NULL)) {
            rc = COUNCIL_ENOMEM;
            break;
        }
        s->added = sqlite3_column_int64(st, 4);
        s->status = sqlite3_column_type(st, 5) == SQLITE_NULL
                        ? COUNCIL__V1__STAFF_STATUS__STAFF_STATUS_ACTIVE
                        : COUNCIL__V1__STAFF_STATUS__STAFF_STATUS_RETIRED;
        if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
            s->has_retired = true;
            s->retired = sqlite3_column_int64(st, 5);
            if ((s->retirement_reason = dup_text(st, 6)) == NULL) {
                rc = COUNCIL_ENOMEM;
                break;
            }
        }
        if ((rc = add_pledges(c, s)) != COUNCIL_OK)
            break;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = COUNCIL_EIO;
    council__finalize(c, st);
    if (rc == COUNCIL_OK) {
        list.n_staff = n;
        list.staff = v;
        len = council__v1__staff_list__get_packed_size(&list);
        out->ptr = council__malloc(len);
        if (out->ptr == NULL)
            rc = COUNCIL_ENOMEM;
        else
            out->len = council__v1__staff_list__pack(&list, out->ptr);
    }
    for (size_t i = 0; i < n; i++)
        council__v1__staff__free_unpacked(v[i], council__pb_allocator());
    council__free(v);
    if (rc != COUNCIL_OK)
        return council__fail(c, rc, "staff_list: %s", rc == COUNCIL_ENOMEM ? "out of memory"
                                                                          : "cannot read the staff records");
    council__clear(c);
    return COUNCIL_OK;
}

/* ------------------------------------------------------------ standing */

int council__staff_standing(council *c, const uint8_t member[COUNCIL_ID_BYTES],
                            const uint8_t staff[COUNCIL_ID_BYTES], const uint8_t box_pk[32],
                            const char **reason, const char **why)
{
    sqlite3_stmt *st = NULL;
    uint8_t of[COUNCIL_ID_BYTES], pk[32];
    bool found = false, active = false, has_pk = false;
    int rc = COUNCIL_OK, src, serving = 0, pledge = 0;

    *reason = NULL;
    if (council__prepare(c,
            "SELECT member_id, retired IS NULL, EXISTS (SELECT 1 FROM pledge p WHERE p.staff_id = "
            "s.id) FROM staff s WHERE s.id = ?;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, staff, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "open: cannot read the staff records");
    }
    src = sqlite3_step(st);
    /* A member id that is not 16 bytes names no member: the row is no
     * staff (unknown_staff, a refusal on the record), as the join of
     * staff and member read it before the tables had separate owners. */
    if (src == SQLITE_ROW && sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES) {
        memcpy(of, sqlite3_column_blob(st, 0), sizeof of);
        serving = sqlite3_column_int(st, 1);
        pledge = sqlite3_column_int(st, 2);
        found = true;
    }
    council__finalize(c, st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return council__fail(c, COUNCIL_EIO, "open: cannot read the staff records");
    /* The member it serves, from the register (a staff row naming no
     * member is no staff). */
    if (found &&
        council__member_keys_of(c, of, &found, &active, pk, &has_pk) != COUNCIL_OK)
        return council__fail(c, COUNCIL_EIO, "open: cannot read the staff records");
    if (!found) {
        *reason = "unknown_staff";
        *why = "unknown staff";
    } else if (sodium_memcmp(of, member, COUNCIL_ID_BYTES) != 0) {
        *reason = "other_members_staff";
        *why = "the keyfile is another member's";
    } else if (!active) {
        *reason = "withdrawn_member";
        *why = "the member has withdrawn";
    } else if (!has_pk || sodium_memcmp(pk, box_pk, 32) != 0) {
        /* Keys replaced (a lost or stolen keyfile): the old key is out. */
        *reason = "member_key_replaced";
        *why = "the member's keys were replaced";
    } else if (serving == 0) {
        *reason = "retired_staff";
        *why = "former staff";
    } else if (pledge == 0) {
        *reason = "no_pledge";
        *why = "no secrecy pledge is recorded";
    }
    /* The rows it stood on are the ones the secretariat signed: a member
     * writing its own staff, pledge or register rows gains no standing. */
    if (rc == COUNCIL_OK && *reason == NULL) {
        bool pledged = false;
        if ((rc = council__member_check(c, "open", member)) == COUNCIL_OK &&
            (rc = council__staff_check(c, "open", staff, &pledged)) == COUNCIL_OK && !pledged) {
            *reason = "no_pledge";
            *why = "no secrecy pledge signed by the secretariat is recorded";
        }
    }
    return rc;
}

int council__staff_exists(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES], bool *yes)
{
    sqlite3_stmt *st = NULL;

    if (council__prepare(c, "SELECT 1 FROM staff WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    return council__row_exists(c, op, st, yes);
}

bool council__staff_in_service(council *c, const uint8_t id[COUNCIL_ID_BYTES])
{
    sqlite3_stmt *st = NULL;
    bool ok = false;

    if (council__prepare(c, "SELECT 1 FROM staff WHERE id = ?1 AND retired IS NULL;", &st) == SQLITE_OK &&
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) == SQLITE_OK)
        ok = sqlite3_step(st) == SQLITE_ROW;
    council__finalize(c, st);
    return ok;
}

int council__staff_member(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                          uint8_t member[COUNCIL_ID_BYTES], bool *active, bool *pledged)
{
    sqlite3_stmt *st = NULL;
    bool yes = false;
    int src, rc;

    *active = false;
    *pledged = false;
    if ((rc = council__staff_exists(c, op, id, &yes)) != COUNCIL_OK)
        return rc;
    if (!yes)
        return council__fail(c, COUNCIL_ENOTFOUND, "%s: no such staff member", op);
    if ((rc = council__staff_check(c, op, id, pledged)) != COUNCIL_OK)
        return rc;
    if (council__prepare(c, "SELECT member_id, retired FROM staff WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the staff records", op);
    }
    src = sqlite3_step(st);
    if (src == SQLITE_ROW && sqlite3_column_bytes(st, 0) == COUNCIL_ID_BYTES) {
        memcpy(member, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        *active = sqlite3_column_type(st, 1) == SQLITE_NULL;
        rc = COUNCIL_OK;
    } else {
        rc = src == SQLITE_DONE ? council__fail(c, COUNCIL_ENOTFOUND, "%s: no such staff member", op)
                                : council__fail(c, COUNCIL_EIO, "%s: cannot read the staff records",
                                                op);
    }
    council__finalize(c, st);
    return rc;
}
