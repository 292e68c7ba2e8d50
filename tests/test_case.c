/* test_case.c - cases, sections and scopes enforced by keys.
 *
 * The promises under test (DESIGN.md 1, 3, 5, 6, 7): a member reads a
 * scope only if it was shared with it, even holding the database key and
 * the stored wrapped keys; every read is logged first; revocation,
 * withdrawal and rekeying leave old keys useless for new data; erasure
 * leaves nothing recoverable and a verifying log; a ciphertext moved to
 * another place does not open; no name or content reaches any file.
 * Shares, their revocation and expiry: test_share.c. */
#include <stddef.h>

#include "case_fixture.h"
#include "log.h"
#include "crypto.h"
#include "keyfile.h"
#include "keyring.h"
#include "store.h"
#include "blind.h"
#include "casekey.h"

/* ------------------------------------------------------------------ tests */

static void test_scopes(void **state)
{
    fx *f = *state;
    council_buf out = { NULL, 0 };
    Council__V1__ScopeList *l;
    council *s;
    size_t sensitive = 0;

    assert_int_equal(council_scope_list(f->c, &out), COUNCIL_OK);
    l = council__v1__scope_list__unpack(NULL, out.len, out.ptr);
    assert_non_null(l);
    assert_int_equal(l->n_scopes, 10);
    for (size_t i = 0; i < l->n_scopes; i++) {
        assert_true(l->scopes[i]->builtin);
        if (l->scopes[i]->sensitive) {
            sensitive++;
            assert_true(strcmp(l->scopes[i]->code, "health") == 0 ||
                        strcmp(l->scopes[i]->code, "child") == 0 ||
                        strcmp(l->scopes[i]->code, "justice") == 0);
        }
    }
    assert_int_equal(sensitive, 3);
    council__v1__scope_list__free_unpacked(l, NULL);
    council_buf_free(&out);

    assert_int_equal(council_scope_add(f->c, "housing", 0), COUNCIL_OK);
    assert_int_equal(council_scope_add(f->c, "housing", 0), COUNCIL_EEXIST);
    assert_int_equal(council_scope_add(f->c, "Bad Scope", 0), COUNCIL_EINVAL);
    assert_int_equal(council_scope_add(f->c, "x", 2), COUNCIL_EINVAL);
    assert_int_equal(council_scope_add(f->c, "addiction", COUNCIL_SCOPE_SENSITIVE), COUNCIL_OK);
    assert_int_equal(council_scope_remove(f->c, "housing"), COUNCIL_OK);
    assert_int_equal(council_scope_remove(f->c, "housing"), COUNCIL_ENOTFOUND);
    /* In a member's ceiling: refused. */
    assert_int_equal(council_scope_remove(f->c, "health"), COUNCIL_EDENIED);
    /* Holding data: refused. */
    s = staff_open(f, f->sa, &f->ka);
    {
        uint8_t cid[16], pid[16];
        new_case(s, cid, pid);
        put(s, cid, pid, "addiction", sec_text("飲酒の問題"), COUNCIL_OK);
    }
    assert_int_equal(council_scope_remove(f->c, "addiction"), COUNCIL_EDENIED);
    /* Staff may not change the catalogue. */
    assert_int_equal(council_scope_add(s, "other", 0), COUNCIL_EDENIED);
    council_close(s);
}

static void test_roundtrip_and_history(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], fam[16];
    council_buf out = { NULL, 0 };
    council *s = staff_open(f, f->sa, &f->ka);
    char *t;
    int rc;

    new_case(s, cid, pid);
    put(s, cid, pid, "identity", sec_identity("山田 花子", "1950-04-01"), COUNCIL_OK);
    put(s, cid, pid, "situation", sec_text("一人暮らし。\n近所付き合いなし。"), COUNCIL_OK);
    put(s, cid, pid, "situation", sec_text("二回目の訪問で話せた。"), COUNCIL_OK);
    t = get_text(s, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "二回目の訪問で話せた。");
    free(t);
    /* The read is on the record, with its purpose, before it returned. */
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SECTION_DECRYPTED);
        assert_int_equal(e->outcome, COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED);
        assert_string_equal(e->purpose, "support_coordination");
        assert_int_equal(e->n_scopes, 1);
        assert_string_equal(e->scopes[0], "situation");
        assert_true(e->has_case_ref && e->case_ref.len == 32);
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    /* History keeps both versions, oldest first. */
    assert_int_equal(council_section_history(s, &out, cid, 16, pid, 16, "situation", "support_coordination"), COUNCIL_OK);
    {
        Council__V1__SectionHistory *h = council__v1__section_history__unpack(NULL, out.len, out.ptr);
        assert_non_null(h);
        assert_int_equal(h->n_records, 2);
        assert_int_equal(h->records[0]->version, 1);
        assert_int_equal(h->records[1]->version, 2);
        assert_string_equal(h->records[0]->section->text, "一人暮らし。\n近所付き合いなし。");
        assert_true(h->records[1]->has_writer_member);
        assert_memory_equal(h->records[1]->writer_member.data, f->ma, 16);
        council__v1__section_history__free_unpacked(h, NULL);
    }
    council_buf_free(&out);
    /* A family member: a person of its own with its own identity section. */
    assert_int_equal(council_case_add_person(s, fam, 16, cid, 16,
                                             COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_FAMILY), COUNCIL_OK);
    assert_int_equal(council_case_add_person(s, fam, 16, cid, 16,
                                             COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_SUPPORTED), COUNCIL_EINVAL);
    put(s, cid, fam, "identity", sec_identity("山田 一郎", "1948-01-02"), COUNCIL_OK);
    /* Metadata, and the whole case in one read. */
    assert_int_equal(council_case_get(s, &out, cid, 16), COUNCIL_OK);
    {
        Council__V1__CaseInfo *m = council__v1__case_info__unpack(NULL, out.len, out.ptr);
        assert_non_null(m);
        assert_int_equal(m->status, COUNCIL__V1__CASE_STATUS__CASE_STATUS_OPEN);
        assert_int_equal(m->body, COUNCIL__V1__CASE_BODY__CASE_BODY_COUNCIL);
        assert_memory_equal(m->owner_member.data, f->ma, 16);
        assert_int_equal(m->n_persons, 2);
        assert_int_equal(m->persons[0]->role, COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_SUPPORTED);
        assert_int_equal(m->n_sections, 3);
        council__v1__case_info__free_unpacked(m, NULL);
    }
    council_buf_free(&out);
    assert_int_equal(council_case_read(s, &out, cid, 16, "support_coordination"), COUNCIL_OK);
    {
        Council__V1__CaseContent *m = council__v1__case_content__unpack(NULL, out.len, out.ptr);
        assert_non_null(m);
        assert_int_equal(m->n_sections, 3);
        council__v1__case_content__free_unpacked(m, NULL);
    }
    council_buf_free(&out);
    /* The secretariat (the coordinating body) reads it too. */
    t = get_text(f->c, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    free(t);
    assert_int_equal(council_case_set_status(s, cid, 16, COUNCIL__V1__CASE_STATUS__CASE_STATUS_MONITORING),
                     COUNCIL_OK);
    assert_int_equal(council_case_set_status(s, cid, 16, COUNCIL__V1__CASE_STATUS__CASE_STATUS_ERASED),
                     COUNCIL_EINVAL);
    council_close(s);
}

static void test_refusals(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], zero[16] = { 0 };
    council *s = staff_open(f, f->sa, &f->ka);
    council_buf out = { NULL, 0 }, big;
    council_case_options co = COUNCIL_CASE_OPTIONS_INIT;
    int rc;

    new_case(s, cid, pid);
    /* Content that does not fit its scope, or is not a section. */
    put(s, cid, pid, "situation", sec_identity("山田", NULL), COUNCIL_EFORMAT);
    put(s, cid, pid, "identity", sec_text("名前なし"), COUNCIL_EFORMAT);
    assert_int_equal(council_section_write(s, NULL, cid, 16, pid, 16, "situation",
                                           (const uint8_t *)"\xff\xff\xff", 3), COUNCIL_EFORMAT);
    assert_int_equal(council_section_write(s, NULL, cid, 16, pid, 16, "situation", NULL, 0),
                     COUNCIL_EFORMAT);
    big.len = COUNCIL_SECTION_MAX + 1;
    big.ptr = calloc(1, big.len);
    assert_int_equal(council_section_write(s, NULL, cid, 16, pid, 16, "situation", big.ptr, big.len),
                     COUNCIL_ELIMIT);
    free(big.ptr);
    {
        /* A bad date and a control character. */
        Council__V1__Section sec = COUNCIL__V1__SECTION__INIT;
        Council__V1__Identity i = COUNCIL__V1__IDENTITY__INIT;
        uint8_t buf[256];
        i.name = (char *)"山田";
        i.birth_date = (char *)"2023-02-29";
        sec.identity = &i;
        size_t n = council__v1__section__pack(&sec, buf);
        assert_int_equal(council_section_write(s, NULL, cid, 16, pid, 16, "identity", buf, n), COUNCIL_EFORMAT);
        i.birth_date = NULL;
        i.name = (char *)"山\x01田";
        n = council__v1__section__pack(&sec, buf);
        assert_int_equal(council_section_write(s, NULL, cid, 16, pid, 16, "identity", buf, n), COUNCIL_EFORMAT);
    }
    put(s, cid, pid, "nonexistent", sec_text("x"), COUNCIL_ENOTFOUND);
    put(s, zero, pid, "situation", sec_text("x"), COUNCIL_ENOTFOUND);
    put(s, cid, zero, "situation", sec_text("x"), COUNCIL_ENOTFOUND);
    assert_int_equal(council_section_read(s, &out, cid, 16, pid, 16, "situation", "support_coordination"),
                     COUNCIL_ENOTFOUND);
    put(s, cid, pid, "situation", sec_text("ok"), COUNCIL_OK);
    assert_int_equal(council_section_read(s, &out, cid, 16, pid, 16, "situation", "Bad Purpose"),
                     COUNCIL_EINVAL);
    assert_int_equal(council_section_read(s, &out, cid, 16, pid, 16, "situation", NULL), COUNCIL_EINVAL);
    /* A well-formed code that is no purpose of the council's: refused, and
     * it never reaches the log (issue 12: "chatting" used to). */
    {
        council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
        council_buf before = { NULL, 0 }, after = { NULL, 0 };
        flt.action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SECTION_DECRYPTED;
        assert_int_equal(council_audit_list(f->c, &before, &flt), COUNCIL_OK);
        assert_int_equal(council_section_read(s, &out, cid, 16, pid, 16, "situation", "chatting"),
                         COUNCIL_EINVAL);
        assert_non_null(strstr(council_errmsg(s), "support_coordination"));
        assert_null(out.ptr);
        /* `other` explains itself in a share's text; a read has none, so
         * it says nothing: refused too. */
        assert_int_equal(council_section_read(s, &out, cid, 16, pid, 16, "situation", "other"),
                         COUNCIL_EINVAL);
        assert_null(out.ptr);
        assert_int_equal(council_section_history(s, &out, cid, 16, pid, 16, "situation", "other"),
                         COUNCIL_EINVAL);
        assert_int_equal(council_case_read(s, &out, cid, 16, "other"), COUNCIL_EINVAL);
        assert_null(out.ptr);
        assert_int_equal(council_audit_list(f->c, &after, &flt), COUNCIL_OK);
        assert_int_equal(before.len, after.len);
        assert_memory_equal(before.ptr, after.ptr, before.len);
        council_buf_free(&before);
        council_buf_free(&after);
    }
    assert_int_equal(council_section_read(s, &out, cid, 16, pid, 16, "situation", "support_coordination"), COUNCIL_OK);
    council_buf_free(&out);
    assert_int_equal(council_section_read(s, NULL, cid, 16, pid, 16, "situation", "x"), COUNCIL_EMISUSE);
    assert_int_equal(council_section_read(s, &out, cid, 15, pid, 16, "situation", "x"), COUNCIL_EINVAL);
    /* Staff create cases of their own member only; the secretariat names one. */
    co.owner = f->mb;
    co.owner_len = 16;
    assert_int_equal(council_case_create(s, cid, 16, pid, 16, &co), COUNCIL_EDENIED);
    co.owner = NULL;
    co.owner_len = 0;
    assert_int_equal(council_case_create(f->c, cid, 16, pid, 16, &co), COUNCIL_EINVAL);
    co.body = 9;
    co.owner = f->mb;
    co.owner_len = 16;
    assert_int_equal(council_case_create(f->c, cid, 16, pid, 16, &co), COUNCIL_EINVAL);
    co.version = 99;
    assert_int_equal(council_case_create(f->c, cid, 16, pid, 16, &co), COUNCIL_EMISUSE);
    (void)rc;
    council_close(s);
}

/* Withdrawal (promise 6): every data key C held is rotated. */
static void test_withdrawal_rotates(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16];
    council *sa = staff_open(f, f->sa, &f->ka);
    council__member_keys kc;
    council__secret kept = { NULL, 0 };

    new_case(sa, cid, pid);
    put(sa, cid, pid, "health", sec_text("通院中"), COUNCIL_OK);
    share(sa, cid, f->mc, "health", COUNCIL_OK);
    member_keys(&f->kc, &kc);
    assert_int_equal(steal_key(f->c, cid, "health", 0, f->mc, &kc, &kept), COUNCIL_OK);
    assert_int_equal(council_member_withdraw(f->c, f->mc, 16, 0, "退会"), COUNCIL_OK);
    assert_int_equal(count(f->c, "SELECT count(*) FROM key_wrap WHERE holder = ?1", f->mc), 0);
    assert_int_equal(count(f->c, "SELECT count(*) FROM case_share WHERE member_id = ?1 AND revoked IS NULL",
                           f->mc), 0);
    assert_int_equal(count(f->c, "SELECT count(*) FROM member_secret WHERE member_id = ?1", f->mc), 0);
    put(sa, cid, pid, "health", sec_text("退会後の記録"), COUNCIL_OK);
    assert_false(key_opens_latest(f->c, cid, pid, "health", &kept));
    /* The database key it knew is replaced by the secretariat next. */
    {
        uint8_t oldkey[32];
        council *raw = calloc(1, sizeof *raw);
        assert_int_equal(council__kdf(NULL, oldkey, 32, &f->c->root, 1, COUNCIL__CTX_DATABASE), COUNCIL_OK);
        council_close(sa);
        sa = NULL;
        assert_int_equal(council_rekey_database(f->c), COUNCIL_OK);
        raw->magic = COUNCIL__MAGIC_OPEN;
        assert_int_equal(council__store_open_key(raw, f->store, NULL, 1, oldkey, false), COUNCIL_EAUTH);
        council__store_close(raw);
        free(raw);
    }
    /* Sharing with a withdrawn member is refused. */
    sa = staff_open(f, f->sa, &f->ka);
    share(sa, cid, f->mc, "situation", COUNCIL_EDENIED);
    council__secret_free(&kept);
    council__member_keys_free(&kc);
    council_close(sa);
}

/* A ciphertext moved to another case, scope or version fails EAUTH. */
static void test_transplant(void **state)
{
    fx *f = *state;
    uint8_t c1[16], p1[16], c2[16], p2[16];
    council *sa = staff_open(f, f->sa, &f->ka);
    char *t;
    int rc;

    new_case(sa, c1, p1);
    new_case(sa, c2, p2);
    put(sa, c1, p1, "situation", sec_text("ケース一"), COUNCIL_OK);
    put(sa, c2, p2, "situation", sec_text("ケース二"), COUNCIL_OK);
    put(sa, c2, p2, "wishes", sec_text("ケース二の意向"), COUNCIL_OK);
    /* Case 1's ciphertext into case 2's row (same scope, same versions). */
    {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(f->c->db, "UPDATE section SET nonce = (SELECT nonce FROM "
                                            "section WHERE case_id = ?1), ct = (SELECT ct FROM section "
                                            "WHERE case_id = ?1) WHERE case_id = ?2 AND scope = "
                                            "'situation';", -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, c1, 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, c2, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    t = get_text(sa, c2, p2, "situation", &rc);
    assert_int_equal(rc, COUNCIL_EAUTH);
    assert_null(t);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_int_equal(e->outcome, COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED);
        assert_int_equal(e->error, COUNCIL_EAUTH);
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    /* The wishes ciphertext into situation of the same case. */
    {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(f->c->db, "UPDATE section SET scope = 'situation', version = 9 "
                                            "WHERE case_id = ?1 AND scope = 'wishes';", -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_blob(st, 1, c2, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    t = get_text(sa, c2, p2, "situation", &rc);
    assert_int_equal(rc, COUNCIL_EAUTH);
    assert_null(t);
    /* Case 1 itself still reads. */
    t = get_text(sa, c1, p1, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "ケース一");
    free(t);
    /* A wrapped key moved to another case does not open there either. */
    {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(f->c->db, "UPDATE key_wrap SET sealed = (SELECT sealed FROM "
                                            "key_wrap w WHERE w.case_id = ?1 AND w.holder = key_wrap.holder "
                                            "AND w.scope = 'situation' AND w.version = 1) WHERE case_id = ?2 "
                                            "AND scope = 'situation';", -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, c1, 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, c2, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    t = get_text(sa, c2, p2, "situation", &rc);
    assert_int_equal(rc, COUNCIL_EAUTH);
    council_close(sa);
}

/* Erasure (promise 7): nothing recoverable, a tombstone, a log that verifies. */
static bool blob_anywhere(council *c, const uint8_t *needle, size_t n)
{
    static const char *const tables[] = { "section", "key_wrap", "case_key", "case_share",
                                          "blind_index", "person", "case_record", "secret",
                                          "member_secret", "audit_event", "setting" };
    bool found = false;

    for (size_t t = 0; t < sizeof tables / sizeof tables[0] && !found; t++) {
        char sql[128];
        sqlite3_stmt *st;
        snprintf(sql, sizeof sql, "SELECT * FROM %s;", tables[t]);
        assert_int_equal(sqlite3_prepare_v2(c->db, sql, -1, &st, NULL), SQLITE_OK);
        while (!found && sqlite3_step(st) == SQLITE_ROW)
            for (int i = 0; i < sqlite3_column_count(st) && !found; i++) {
                const uint8_t *b = sqlite3_column_blob(st, i);
                size_t len = (size_t)sqlite3_column_bytes(st, i);
                found = b != NULL && len >= n && memfind(b, len, needle, n) != NULL;
            }
        sqlite3_finalize(st);
    }
    return found;
}

static void test_erasure(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], ct[64], wrap[COUNCIL__WRAP_BYTES];
    size_t wrap_len;
    council *sa = staff_open(f, f->sa, &f->ka);
    council_buf out = { NULL, 0 };
    council_audit_verify_options vo = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    char *exp;
    int rc;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "identity", sec_identity("消去 予定", "1970-07-07"), COUNCIL_OK);
    put(sa, cid, pid, "situation", sec_text("消去される内容"), COUNCIL_OK);
    share(sa, cid, f->mb, "situation", COUNCIL_OK);
    {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(f->c->db, "SELECT substr(ct, 1, 64) FROM section WHERE case_id = ?1 "
                                            "AND scope = 'situation';", -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        memcpy(ct, sqlite3_column_blob(st, 0), sizeof ct);
        sqlite3_finalize(st);
        assert_int_equal(sqlite3_prepare_v2(f->c->db, "SELECT sealed FROM key_wrap WHERE case_id = ?1 LIMIT 1;",
                                            -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        /* A wrap of either format (105 or 181 bytes): the bytes as stored. */
        wrap_len = (size_t)sqlite3_column_bytes(st, 0);
        assert_true(wrap_len >= 64 && wrap_len <= sizeof wrap);
        memcpy(wrap, sqlite3_column_blob(st, 0), wrap_len);
        sqlite3_finalize(st);
    }
    assert_true(blob_anywhere(f->c, ct, sizeof ct));
    assert_true(blob_anywhere(f->c, wrap, wrap_len));
    assert_int_equal(council_case_erase(sa, cid, 16, "person_request"), COUNCIL_EDENIED); /* root only */
    assert_int_equal(council_case_erase(f->c, cid, 16, "person_request"), COUNCIL_OK);
    assert_int_equal(council_case_erase(f->c, cid, 16, "person_request"), COUNCIL_EDENIED);
    assert_false(blob_anywhere(f->c, ct, sizeof ct));
    assert_false(blob_anywhere(f->c, wrap, wrap_len));
    assert_int_equal(count(f->c, "SELECT count(*) FROM key_wrap WHERE case_id = ?1", cid), 0);
    assert_int_equal(count(f->c, "SELECT count(*) FROM case_key WHERE case_id = ?1", cid), 0);
    assert_int_equal(count(f->c, "SELECT count(*) FROM blind_index WHERE case_id = ?1", cid), 0);
    /* Nobody reads it again, the secretariat included. */
    assert_null(get_text(f->c, cid, pid, "situation", &rc));
    assert_int_equal(rc, COUNCIL_EDENIED);
    put(sa, cid, pid, "situation", sec_text("x"), COUNCIL_EDENIED);
    assert_int_equal(council_case_find(f->c, &out, "消去 予定", NULL), COUNCIL_OK);
    {
        Council__V1__CaseMatches *m = council__v1__case_matches__unpack(NULL, out.len, out.ptr);
        assert_non_null(m);
        for (size_t i = 0; i < m->n_matches; i++)
            assert_memory_not_equal(m->matches[i]->case_id.data, cid, 16);
        council__v1__case_matches__free_unpacked(m, NULL);
    }
    council_buf_free(&out);
    assert_int_equal(council_case_get(f->c, &out, cid, 16), COUNCIL_OK);
    {
        Council__V1__CaseInfo *m = council__v1__case_info__unpack(NULL, out.len, out.ptr);
        assert_int_equal(m->status, COUNCIL__V1__CASE_STATUS__CASE_STATUS_ERASED);
        assert_true(m->has_erased);
        assert_int_equal(m->n_sections, 0);
        council__v1__case_info__free_unpacked(m, NULL);
    }
    council_buf_free(&out);
    /* The tombstone, and a log that verifies with the public key alone. */
    {
        Council__V1__AuditEvent *e = NULL;
        council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
        Council__V1__AuditEventList *l;
        bool tomb = false;
        flt.action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CASE_ERASED;
        assert_int_equal(council_audit_list(f->c, &out, &flt), COUNCIL_OK);
        l = council__v1__audit_event_list__unpack(NULL, out.len, out.ptr);
        for (size_t i = 0; i < l->n_events; i++)
            if (l->events[i]->outcome == COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED)
                tomb = true, e = l->events[i];
        assert_true(tomb);
        assert_string_equal(e->reason, "person_request");
        council__v1__audit_event_list__free_unpacked(l, NULL);
        council_buf_free(&out);
    }
    exp = th_path(f->root, "audit.export");
    assert_int_equal(council_audit_export(f->c, exp), COUNCIL_OK);
    {
        council_buf info = { NULL, 0 };
        Council__V1__CouncilInfo *ci;
        assert_int_equal(council_info(f->c, &info), COUNCIL_OK);
        ci = council__v1__council_info__unpack(NULL, info.len, info.ptr);
        vo.log_vkey = ci->log_verifier_key;
        rc = council_audit_verify_export(&out, exp, &vo);
        council__v1__council_info__free_unpacked(ci, NULL);
        council_buf_free(&info);
    }
    assert_int_equal(rc, COUNCIL_OK);
    council_buf_free(&out);
    free(exp);
    council_close(sa);
}

/* The blind index: folded names and birth dates find the person. */
static void test_find(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16];
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    static const char *const same[] = { "やまだ たろう", "ヤマダタロウ", "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ　タロウ",
                                        "ヤマダ・タロウ" };

    new_case(sa, cid, pid);
    put(sa, cid, pid, "identity", sec_identity("やまだ たろう", "1961-03-15"), COUNCIL_OK);
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        council_buf out = { NULL, 0 };
        bool hit = false;
        /* Any member's staff may ask; B learns only that a case exists. */
        assert_int_equal(council_case_find(sb, &out, same[i], "1961-03-15"), COUNCIL_OK);
        Council__V1__CaseMatches *m = council__v1__case_matches__unpack(NULL, out.len, out.ptr);
        assert_non_null(m);
        for (size_t j = 0; j < m->n_matches; j++)
            if (memcmp(m->matches[j]->case_id.data, cid, 16) == 0) {
                hit = true;
                assert_memory_equal(m->matches[j]->person_id.data, pid, 16);
                assert_memory_equal(m->matches[j]->owner_member.data, f->ma, 16);
            }
        assert_true(hit);
        council__v1__case_matches__free_unpacked(m, NULL);
        council_buf_free(&out);
    }
    {
        /* A name in kanji is found by its reading (name_kana), in any kana. */
        Council__V1__Section sec = COUNCIL__V1__SECTION__INIT;
        Council__V1__Identity i = COUNCIL__V1__IDENTITY__INIT;
        uint8_t buf[256], c2[16], p2[16];
        council_buf out = { NULL, 0 };
        bool hit = false;
        i.name = (char *)"北野 春子";
        i.name_kana = (char *)"キタノ ハルコ";
        sec.identity = &i;
        size_t n = council__v1__section__pack(&sec, buf);
        new_case(sa, c2, p2);
        assert_int_equal(council_section_write(sa, NULL, c2, 16, p2, 16, "identity", buf, n), COUNCIL_OK);
        assert_int_equal(council_case_find(sb, &out, "きたの　はるこ", NULL), COUNCIL_OK);
        Council__V1__CaseMatches *m = council__v1__case_matches__unpack(NULL, out.len, out.ptr);
        for (size_t j = 0; j < m->n_matches; j++)
            hit = hit || memcmp(m->matches[j]->case_id.data, c2, 16) == 0;
        assert_true(hit);
        council__v1__case_matches__free_unpacked(m, NULL);
        council_buf_free(&out);
    }
    {
        council_buf out = { NULL, 0 };
        /* Another birth date: not this person. */
        assert_int_equal(council_case_find(sa, &out, "やまだ たろう", "1961-03-16"), COUNCIL_OK);
        Council__V1__CaseMatches *m = council__v1__case_matches__unpack(NULL, out.len, out.ptr);
        for (size_t j = 0; j < m->n_matches; j++)
            assert_memory_not_equal(m->matches[j]->case_id.data, cid, 16);
        council__v1__case_matches__free_unpacked(m, NULL);
        council_buf_free(&out);
        assert_int_equal(council_case_find(sa, &out, NULL, NULL), COUNCIL_EINVAL);
        /* No birth date alone: neither a query nor a token of it. */
        assert_int_equal(council_case_find(sa, &out, NULL, "1961-03-15"), COUNCIL_EINVAL);
        assert_int_equal(count(f->c, "SELECT count(*) FROM blind_index WHERE kind NOT IN (1, 3)", NULL), 0);
        assert_int_equal(council_case_find(sa, &out, "   ", NULL), COUNCIL_EINVAL);
        assert_int_equal(council_case_find(sa, &out, "\xff", NULL), COUNCIL_EINVAL);
        assert_int_equal(council_case_find(sa, &out, NULL, "1961-13-01"), COUNCIL_EINVAL);
    }
    /* The search is logged, without the name. */
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CASE_SEARCHED);
        assert_false(e->has_case_ref);
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    council_close(sb);
    council_close(sa);
}

static void test_fold_and_tokens(void **state)
{
    fx *f = *state;
    char *a = NULL, *b = NULL;
    uint32_t t;
    uint8_t *seen = calloc(1u << COUNCIL__BLIND_TOKEN_BITS, 1);
    size_t distinct = 0, n = 100000;

    assert_int_equal(council__name_fold(NULL, &a, "ＹＡＭＡＤＡ　Taro", strlen("ＹＡＭＡＤＡ　Taro")), COUNCIL_OK);
    assert_string_equal(a, "yamadataro");
    assert_int_equal(council__name_fold(NULL, &b, "ｶﾞｯｺｳ", strlen("ｶﾞｯｺｳ")), COUNCIL_OK);
    assert_string_equal(b, "ガッコウ");
    free(a);
    free(b);
    assert_int_equal(council__name_fold(NULL, &a, "がっこう", strlen("がっこう")), COUNCIL_OK);
    assert_string_equal(a, "ガッコウ");
    free(a);
    /* A spacing sound mark composes; hyphens and dashes go. */
    assert_int_equal(council__name_fold(NULL, &a, "か゛っこう", strlen("か゛っこう")), COUNCIL_OK);
    assert_string_equal(a, "ガッコウ");
    free(a);
    assert_int_equal(council__name_fold(NULL, &a, "Smith‐Jones", strlen("Smith‐Jones")), COUNCIL_OK);
    assert_string_equal(a, "smithjones");
    free(a);
    /* Truncated tokens: at 100,000 names collisions are certain. */
    for (size_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "person%zu", i);
        assert_int_equal(council__blind_token(f->c, &t, COUNCIL__BLIND_NAME, (const uint8_t *)name,
                                              strlen(name)), COUNCIL_OK);
        assert_true(t < (1u << COUNCIL__BLIND_TOKEN_BITS));
        if (!seen[t]++)
            distinct++;
    }
    assert_true(distinct < n);
    assert_true(distinct > n / 3); /* and spread out */
    free(seen);
}

static void test_rekey_case(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16];
    council *sa = staff_open(f, f->sa, &f->ka), *sb;
    council__member_keys kb;
    council__secret kept = { NULL, 0 };
    char *t;
    int rc;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("版一"), COUNCIL_OK);
    put(sa, cid, pid, "situation", sec_text("版二"), COUNCIL_OK);
    share(sa, cid, f->mb, "situation", COUNCIL_OK);
    member_keys(&f->kb, &kb);
    assert_int_equal(steal_key(f->c, cid, "situation", 1, f->mb, &kb, &kept), COUNCIL_OK);
    assert_int_equal(council_case_rekey(sa, cid, 16), COUNCIL_EDENIED);
    assert_int_equal(council_case_rekey(f->c, cid, 16), COUNCIL_OK);
    assert_int_equal(count(f->c, "SELECT count(*) FROM case_key WHERE case_id = ?1 AND version = 1", cid), 0);
    assert_int_equal(count(f->c, "SELECT count(DISTINCT key_version) FROM section WHERE case_id = ?1", cid), 1);
    assert_false(key_opens_latest(f->c, cid, pid, "situation", &kept));
    /* Every entitled reader still reads, history included. */
    sb = staff_open(f, f->sb, &f->kb);
    t = get_text(sb, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "版二");
    free(t);
    {
        council_buf out = { NULL, 0 };
        assert_int_equal(council_section_history(sa, &out, cid, 16, pid, 16, "situation", "support_coordination"), COUNCIL_OK);
        Council__V1__SectionHistory *h = council__v1__section_history__unpack(NULL, out.len, out.ptr);
        assert_int_equal(h->n_records, 2);
        assert_string_equal(h->records[0]->section->text, "版一");
        council__v1__section_history__free_unpacked(h, NULL);
        council_buf_free(&out);
    }
    council__secret_free(&kept);
    council__member_keys_free(&kb);
    council_close(sb);
    council_close(sa);
}

static void test_member_rekeyed(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16];
    council *sa = staff_open(f, f->sa, &f->ka), *sb;
    council_buf old = f->kb;
    char *t;
    int rc;

    council__member_keys kb;
    council__secret kept = { NULL, 0 };

    new_case(sa, cid, pid);
    put(sa, cid, pid, "wishes", sec_text("家にいたい"), COUNCIL_OK);
    share(sa, cid, f->mb, "wishes", COUNCIL_OK);
    member_keys(&f->kb, &kb);
    assert_int_equal(steal_key(f->c, cid, "wishes", 0, f->mb, &kb, &kept), COUNCIL_OK);
    council__member_keys_free(&kb);
    /* B's keys are replaced: its wrapped keys follow to the new key. */
    f->kb.ptr = NULL;
    f->kb.len = 0;
    assert_int_equal(council_member_keygen(f->c, &f->kb, f->mb, 16, (const uint8_t *)MPASS, strlen(MPASS),
                                           TH_OPS, TH_MEM), COUNCIL_OK);
    sb = staff_open(f, f->sb, &f->kb);
    t = get_text(sb, cid, pid, "wishes", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "家にいたい");
    free(t);
    /* The old keyfile's key opens none of B's wrapped copies now. */
    {
        council__member_keys k;
        council__secret key = { NULL, 0 };
        member_keys(&old, &k);
        assert_int_equal(steal_key(f->c, cid, "wishes", 0, f->mb, &k, &key), COUNCIL_ENOTFOUND);
        council__member_keys_free(&k);
    }
    council_buf_free(&old);
    /* A key lost with the old keyfile opens nothing written after. */
    put(sa, cid, pid, "wishes", sec_text("鍵の交換後"), COUNCIL_OK);
    assert_false(key_opens_latest(f->c, cid, pid, "wishes", &kept));
    t = get_text(sb, cid, pid, "wishes", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "鍵の交換後");
    free(t);
    council__secret_free(&kept);
    council_close(sb);
    council_close(sa);
}

static void test_log_first(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16];
    council *sa = staff_open(f, f->sa, &f->ka);
    council_buf out = { NULL, 0 };

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("記録に残す"), COUNCIL_OK);
    council__audit_fault_after(0);
    assert_int_equal(council_section_read(sa, &out, cid, 16, pid, 16, "situation", "support_coordination"),
                     COUNCIL_EIO);
    council__audit_fault_after(-1);
    assert_null(out.ptr);
    assert_int_equal(out.len, 0);
    assert_int_equal(council_case_read(sa, &out, cid, 16, "support_coordination"), COUNCIL_OK);
    council_buf_free(&out);
    council__audit_fault_after(0);
    assert_int_equal(council_case_read(sa, &out, cid, 16, "support_coordination"), COUNCIL_EIO);
    council__audit_fault_after(-1);
    assert_null(out.ptr);
    council_close(sa);
}

static void test_batch(void **state)
{
    fx *f = *state;
    uint8_t cid[3][16], pid[3][16];
    council *sa = staff_open(f, f->sa, &f->ka);
    council_buf out = { NULL, 0 };
    int64_t before = count(f->c, "SELECT count(*) FROM case_record", NULL);

    assert_int_equal(council_batch_commit(sa), COUNCIL_EMISUSE);
    assert_int_equal(council_batch_begin(sa), COUNCIL_OK);
    assert_int_equal(council_batch_begin(sa), COUNCIL_EMISUSE);
    for (int i = 0; i < 3; i++) {
        new_case(sa, cid[i], pid[i]);
        put(sa, cid[i], pid[i], "situation", sec_text("一括"), COUNCIL_OK);
        /* A failing call inside rolls back only itself. */
        put(sa, cid[i], pid[i], "nonexistent", sec_text("x"), COUNCIL_ENOTFOUND);
    }
    assert_int_equal(council_section_read(sa, &out, cid[0], 16, pid[0], 16, "situation", "x"), COUNCIL_EMISUSE);
    assert_int_equal(council_batch_commit(sa), COUNCIL_OK);
    assert_int_equal(count(f->c, "SELECT count(*) FROM case_record", NULL), before + 3);
    assert_int_equal(council_section_read(sa, &out, cid[2], 16, pid[2], 16, "situation", "support_coordination"), COUNCIL_OK);
    council_buf_free(&out);
    assert_int_equal(council_batch_begin(sa), COUNCIL_OK);
    new_case(sa, cid[0], pid[0]);
    assert_int_equal(council_batch_rollback(sa), COUNCIL_OK);
    assert_int_equal(count(f->c, "SELECT count(*) FROM case_record", NULL), before + 3);
    /* A refusal inside a batch that is rolled back stays on the record;
     * a search inside a batch is refused. */
    {
        council *sb = staff_open(f, f->sb, &f->kb);
        uint64_t n0 = 0, n1 = 0;
        assert_int_equal(council_batch_begin(sb), COUNCIL_OK);
        assert_int_equal(council_section_write(sb, NULL, cid[1], 16, pid[1], 16, "situation",
                                               (const uint8_t *)"\x0a\x01x", 3), COUNCIL_EDENIED);
        assert_int_equal(council_case_find(sb, &out, "x", NULL), COUNCIL_EMISUSE);
        assert_int_equal(council__audit_size(f->c, &n0), COUNCIL_OK);
        assert_int_equal(council_batch_rollback(sb), COUNCIL_OK);
        assert_int_equal(council__audit_size(f->c, &n1), COUNCIL_OK);
        assert_int_equal(n1, n0 + 1);
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_int_equal(e->outcome, COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED);
        assert_string_equal(e->reason, "scope_not_shared");
        council__v1__audit_event__free_unpacked(e, NULL);
        council_close(sb);
    }
    council_close(sa);
}

/* Canaries (promise 5): a name and a text written into cases never appear
 * in any file the library writes, in UTF-8 or UTF-16. */
static size_t to_utf16(const char *s, uint8_t *out, bool be)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        uint32_t cp;
        if (*p < 0x80) cp = *p++;
        else if (*p < 0xe0) { cp = (uint32_t)(*p & 0x1f) << 6 | (p[1] & 0x3f); p += 2; }
        else { cp = (uint32_t)(*p & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f); p += 3; }
        out[n++] = be ? (uint8_t)(cp >> 8) : (uint8_t)cp;
        out[n++] = be ? (uint8_t)cp : (uint8_t)(cp >> 8);
    }
    return n;
}

static void scan_dir(const char *dir, const char *const *needles, size_t nn, size_t *files)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        char *p;
        uint8_t *buf;
        size_t len;
        if (e->d_name[0] == '.')
            continue;
        p = th_path(dir, e->d_name);
        if (th_read_file(p, &buf, &len) == 0) {
            (*files)++;
            for (size_t i = 0; i < nn; i++) {
                uint8_t u16[256];
                size_t n;
                assert_null(memfind(buf, len, needles[i], strlen(needles[i])));
                n = to_utf16(needles[i], u16, false);
                assert_null(memfind(buf, len, u16, n));
                n = to_utf16(needles[i], u16, true);
                assert_null(memfind(buf, len, u16, n));
            }
            free(buf);
        }
        free(p);
    }
    closedir(d);
}

static void test_canary(void **state)
{
    fx *f = *state;
    static const char *const needles[] = { CANARY_NAME, CANARY_TEXT, "カナリア" };
    uint8_t cid[16], pid[16];
    council *sa = staff_open(f, f->sa, &f->ka);
    council_buf out = { NULL, 0 };
    size_t files = 0;
    char *exp, *t;
    int rc;

    new_case(sa, cid, pid);
    /* Refusals name the operation, never the content (promise 5). */
    put(sa, cid, pid, "situation", sec_identity(CANARY_NAME, "1980-08-08"), COUNCIL_EFORMAT);
    assert_null(strstr(council_errmsg(sa), CANARY_NAME));
    assert_int_equal(council_case_find(sa, &out, CANARY_NAME, "1980-13-08"), COUNCIL_EINVAL);
    assert_null(strstr(council_errmsg(sa), CANARY_NAME));
    assert_null(strstr(council_errmsg(sa), "1980-13-08"));
    put(sa, cid, pid, "identity", sec_identity(CANARY_NAME, "1980-08-08"), COUNCIL_OK);
    put(sa, cid, pid, "situation", sec_text(CANARY_TEXT " " CANARY_NAME), COUNCIL_OK);
    put(sa, cid, pid, "situation", sec_text(CANARY_TEXT " 第二版"), COUNCIL_OK);
    share(sa, cid, f->mb, "situation", COUNCIL_OK);
    t = get_text(sa, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_non_null(strstr(t, CANARY_TEXT)); /* the content is really there */
    free(t);
    assert_int_equal(council_case_find(sa, &out, CANARY_NAME, NULL), COUNCIL_OK);
    council_buf_free(&out);
    assert_int_equal(council_section_read(f->c, &out, cid, 16, (const uint8_t *)"0123456789abcdef", 16,
                                          "situation", "support_coordination"), COUNCIL_ENOTFOUND);
    exp = th_path(f->store, "audit.export");
    assert_int_equal(council_audit_export(f->c, exp), COUNCIL_OK);
    /* While open (WAL and shared memory present) and after closing. */
    scan_dir(f->store, needles, 3, &files);
    assert_true(files >= 4);
    council_close(sa);
    council_close(f->c);
    f->c = NULL;
    scan_dir(f->store, needles, 3, &files);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    free(exp);
}

static void test_rekey_database(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], oldkey[32];
    council *sa = staff_open(f, f->sa, &f->ka);
    char *t;
    int rc;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("鍵の交換前"), COUNCIL_OK);
    council_close(sa);
    assert_int_equal(council__kdf(NULL, oldkey, 32, &f->c->root, 1, COUNCIL__CTX_DATABASE), COUNCIL_OK);
    assert_int_equal(council_rekey_database(f->c), COUNCIL_OK);
    council_close(f->c);
    /* The old key no longer opens council.db; the new keyring does. */
    {
        council *raw = calloc(1, sizeof *raw);
        raw->magic = COUNCIL__MAGIC_OPEN;
        assert_int_equal(council__store_open_key(raw, f->store, NULL, 1, oldkey, false), COUNCIL_EAUTH);
        council__store_close(raw);
        free(raw);
    }
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    sa = staff_open(f, f->sa, &f->ka);
    t = get_text(sa, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "鍵の交換前");
    free(t);
    council_close(sa);
    sodium_memzero(oldkey, sizeof oldkey);
}

static void test_rekey_root(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], ref_before[32], ref_after[32];
    council *sa = staff_open(f, f->sa, &f->ka), *bad = NULL;
    council_buf out = { NULL, 0 };
    char *t;
    int rc;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "identity", sec_identity("鈴木 次郎", "1955-05-05"), COUNCIL_OK);
    put(sa, cid, pid, "situation", sec_text("根鍵の交換前"), COUNCIL_OK);
    council_close(sa);
    assert_int_equal(council__case_ref(f->c, ref_before, cid), COUNCIL_OK);
    assert_int_equal(council_rekey_root(f->c, NULL, 0, (const uint8_t *)"0123456789abcdef0123456789abcdef", 32,
                                        0, 0), COUNCIL_EINVAL);
    assert_int_equal(council_rekey_root(f->c, (const uint8_t *)"new pass", 8, NULL, 0, TH_OPS, TH_MEM),
                     COUNCIL_OK);
    /* The handle goes on under the new root. */
    t = get_text(f->c, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    free(t);
    council_close(f->c);
    assert_int_equal(th_open(&bad, f->store, TH_PASS), COUNCIL_EAUTH);
    council_close(bad);
    assert_int_equal(th_open(&f->c, f->store, "new pass"), COUNCIL_OK);
    t = get_text(f->c, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "根鍵の交換前");
    free(t);
    /* Pseudonyms and the blind index stay the same. */
    assert_int_equal(council__case_ref(f->c, ref_after, cid), COUNCIL_OK);
    assert_memory_equal(ref_before, ref_after, 32);
    assert_int_equal(council_case_find(f->c, &out, "鈴木次郎", "1955-05-05"), COUNCIL_OK);
    {
        Council__V1__CaseMatches *m = council__v1__case_matches__unpack(NULL, out.len, out.ptr);
        assert_true(m->n_matches >= 1);
        council__v1__case_matches__free_unpacked(m, NULL);
    }
    council_buf_free(&out);
    /* Only one coordinating key's wraps are left. */
    assert_int_equal(count(f->c, "SELECT count(DISTINCT box_pk) FROM key_wrap WHERE holder = ?1",
                           (const uint8_t *)"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"), 1);
    /* Staff sessions go on (their database key was sealed again). */
    sa = staff_open(f, f->sa, &f->ka);
    t = get_text(sa, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    free(t);
    council_close(sa);
    /* The audit log still verifies under the same log key. */
    assert_int_equal(council_audit_checkpoint(f->c, &out), COUNCIL_OK);
    council_buf_free(&out);
}

/* A crash after the keyring named the new database key but before
 * council.db was re-keyed: the next open finishes the job. */
static int half_rekey(council *c, council__keyring *kr, void *ctx)
{
    uint8_t old[32], wk[32], ad[64], *p = ad;
    (void)ctx;
    assert_int_equal(council__kdf(c, old, 32, &c->root, kr->db_key_version, COUNCIL__CTX_DATABASE), COUNCIL_OK);
    assert_int_equal(council__kdf(c, wk, 32, &c->root, 1, COUNCIL__CTX_PENDING), COUNCIL_OK);
    p = council__put_bytes(p, "council/keyring/pending-db", sizeof "council/keyring/pending-db");
    p = council__put_bytes(p, kr->council_id, 16);
    randombytes_buf(kr->pending_nonce, sizeof kr->pending_nonce);
    assert_int_equal(council__aead_seal(c, kr->pending_ct, sizeof kr->pending_ct, old, 32, ad,
                                        (size_t)(p - ad), kr->pending_nonce, wk), COUNCIL_OK);
    kr->has_pending = true;
    kr->db_key_version++;
    return COUNCIL_OK;
}

static int set_pending_only(council *c, council__keyring *kr, void *ctx)
{
    (void)c;
    (void)ctx;
    memset(kr->pending_nonce, 1, sizeof kr->pending_nonce);
    memset(kr->pending_ct, 2, sizeof kr->pending_ct);
    kr->has_pending = true;
    return COUNCIL_OK;
}

static void test_rekey_resume(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16];
    council *sa = staff_open(f, f->sa, &f->ka);
    council__keyring kr;
    char *t;
    int rc;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("途中で止まった"), COUNCIL_OK);
    council_close(sa);
    assert_int_equal(council__keyring_update(f->c, half_rekey, NULL), COUNCIL_OK);
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(council__keyring_load(NULL, &kr, f->store), COUNCIL_OK);
    assert_false(kr.has_pending);
    assert_int_equal(kr.db_key_version, 2);
    /* A crash after the re-key but before the mark was cleared: the next
     * open clears it, and re-keying works again. */
    assert_int_equal(council_rekey_database(f->c), COUNCIL_OK);
    assert_int_equal(council__keyring_update(f->c, set_pending_only, NULL), COUNCIL_OK);
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(council__keyring_load(NULL, &kr, f->store), COUNCIL_OK);
    assert_false(kr.has_pending);
    assert_int_equal(council_rekey_database(f->c), COUNCIL_OK);
    t = get_text(f->c, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "途中で止まった");
    free(t);
}

/* Review findings: a checkpoint inside a batch is refused; a share that
 * expired is ended when the scope is shared again (the new one stands);
 * the catalogue holds at most 32 scopes; erasure leaves no person rows
 * and no written reasons. */
static void test_review_fixes(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16];
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    council_buf out = { NULL, 0 };
    char *t;
    int rc;

    assert_int_equal(council_batch_begin(f->c), COUNCIL_OK);
    assert_int_equal(council_audit_checkpoint(f->c, &out), COUNCIL_EMISUSE);
    assert_int_equal(council_audit_prove_consistency(f->c, &out, 1, 2), COUNCIL_EMISUSE);
    assert_int_equal(council_batch_rollback(f->c), COUNCIL_OK);

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("再共有"), COUNCIL_OK);
    share(sa, cid, f->mb, "situation", COUNCIL_OK);
    assert_int_equal(sqlite3_exec(f->c->db, "UPDATE case_share SET expires = 1;", NULL, NULL, NULL), SQLITE_OK);
    share(sa, cid, f->mb, "situation", COUNCIL_OK);
    put(sa, cid, pid, "situation", sec_text("再共有の後"), COUNCIL_OK);
    t = get_text(sb, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "再共有の後");
    free(t);

    for (int i = 0; i < 22; i++) {
        char code[32];
        snprintf(code, sizeof code, "extra_%d", i);
        assert_int_equal(council_scope_add(f->c, code, 0), COUNCIL_OK);
    }
    assert_int_equal(council_scope_add(f->c, "one_too_many", 0), COUNCIL_ELIMIT);

    assert_int_equal(council_case_erase(f->c, cid, 16, "person_request"), COUNCIL_OK);
    assert_int_equal(count(f->c, "SELECT count(*) FROM person WHERE case_id = ?1", cid), 0);
    assert_int_equal(count(f->c, "SELECT count(*) FROM case_share WHERE case_id = ?1 AND basis_reason "
                                 "IS NOT NULL", cid), 0);
    council_close(sb);
    council_close(sa);
}

/* The key directory: a member holding the database key cannot slip its
 * own key in as the coordinating body's or another member's. */
static void test_key_directory(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16];
    council *sa, *sb = staff_open(f, f->sb, &f->kb);
    sqlite3_stmt *st;

    /* B writes its own box key as the coordinating body's key ... */
    assert_int_equal(sqlite3_prepare_v2(sb->db, "UPDATE setting SET value = ?1 WHERE key = "
                                        "'coordinator_pk';", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, sb->actor_box_pk, 32, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    /* ... and as member C's key. */
    assert_int_equal(sqlite3_prepare_v2(sb->db, "UPDATE member SET box_pk = ?1 WHERE id = ?2;", -1,
                                        &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, sb->actor_box_pk, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, f->mc, 16, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    /* A's next session makes no key for the forged coordinating key. */
    sa = staff_open(f, f->sa, &f->ka);
    new_case(sa, cid, pid);
    put(sa, cid, pid, "health", sec_text("秘密"), COUNCIL_EUNSUPPORTED);
    council_close(sa);
    assert_int_equal(count(f->c, "SELECT count(*) FROM key_wrap WHERE box_pk = (SELECT box_pk FROM "
                                 "member WHERE id = ?1)", f->mb), 0);
    /* The secretariat's next open restores the signed key; sharing with C
     * (whose registry key B replaced) is refused: the register row is not
     * the one the secretariat signed (before: the key directory's
     * signature was what caught it; it still would). */
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    sa = staff_open(f, f->sa, &f->ka);
    put(sa, cid, pid, "health", sec_text("秘密"), COUNCIL_OK);
    share(sa, cid, f->mc, "health", COUNCIL_ETAMPER);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_string_equal(e->reason, "forged_member_row");
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    assert_int_equal(count(f->c, "SELECT count(*) FROM key_wrap WHERE holder = ?1", f->mc), 0);
    /* B writes itself a share row of A's scope: a rotation follows the
     * wrapped keys, not the rows, so B receives no key. */
    {
        char *t;
        int rc;
        assert_int_equal(sqlite3_prepare_v2(sb->db, "INSERT INTO case_share (case_id, member_id, scope, "
                                            "purpose, basis, granted) VALUES (?1, ?2, 'situation', "
                                            "'x', 'consent', 1);", -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, f->mb, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
        /* The first key of a scope follows the rows (the documented limit),
         * but a row claiming basis consent goes through the decision first
         * (the person's first data in the scope): no consent covers it, so
         * it ends before the key is made. */
        put(sa, cid, pid, "situation", sec_text("一版"), COUNCIL_OK);
        assert_int_equal(count(f->c, "SELECT count(*) FROM key_wrap WHERE holder = ?1", f->mb), 0);
        assert_int_equal(council_case_revoke(sa, cid, 16, f->mb, 16, NULL, 0, "forged"), COUNCIL_ENOTFOUND);
        put(sa, cid, pid, "situation", sec_text("二版"), COUNCIL_OK);
        t = get_text(sb, cid, pid, "situation", &rc);
        assert_int_equal(rc, COUNCIL_EDENIED);
        assert_null(t);
        /* A forged row again, now that the scope has keys: nothing follows. */
        assert_int_equal(sqlite3_prepare_v2(sb->db, "INSERT INTO case_share (case_id, member_id, scope, "
                                            "purpose, basis, granted) VALUES (?1, ?2, 'situation', "
                                            "'x', 'consent', 1);", -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, f->mb, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
        assert_int_equal(council_case_rekey(f->c, cid, 16), COUNCIL_OK);
        put(sa, cid, pid, "situation", sec_text("三版"), COUNCIL_OK);
        assert_int_equal(count(f->c, "SELECT count(*) FROM key_wrap WHERE holder = ?1", f->mb), 0);
        t = get_text(sb, cid, pid, "situation", &rc);
        assert_int_equal(rc, COUNCIL_EDENIED);
        assert_null(t);
    }
    council_close(sa);
    council_close(sb);
}

/* A keyfile pins the council's log key: a keyring naming another one is
 * refused before anything is trusted. */
static void test_keyfile_pins_log_key(void **state)
{
    fx *f = *state;
    council__keyfile_info info;
    council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;
    council *s = NULL;
    council__keyring kr;

    assert_int_equal(council__keyfile_parse(NULL, &info, f->ka.ptr, f->ka.len), COUNCIL_OK);
    assert_true(info.has_log_pk);
    assert_memory_equal(info.log_pk, f->c->log_pk, 32);
    assert_int_equal(council__keyring_load(NULL, &kr, f->store), COUNCIL_OK);
    kr.log_pk[0] ^= 1;
    assert_int_equal(council__keyring_store(NULL, &kr, f->store), COUNCIL_OK);
    o.passphrase = (const uint8_t *)MPASS;
    o.passphrase_len = strlen(MPASS);
    o.staff_id = f->sa;
    o.staff_id_len = 16;
    o.keyfile = f->ka.ptr;
    o.keyfile_len = f->ka.len;
    assert_int_equal(council_open(&s, f->store, &o), COUNCIL_EAUTH);
    assert_non_null(strstr(council_errmsg(s), "log key"));
    council_close(s);
    kr.log_pk[0] ^= 1;
    assert_int_equal(council__keyring_store(NULL, &kr, f->store), COUNCIL_OK);
}

/* The auditor's lookup by case: council_case_get gives the pseudonym; a
 * version 2 filter with the case id finds exactly that case's events, the
 * same as a filter with the pseudonym; version 1 callers still work. */
static void test_audit_by_case(void **state)
{
    fx *f = *state;
    uint8_t c1[16], p1[16], c2[16], p2[16], ref1[32];
    council_buf out = { NULL, 0 };
    council *s = staff_open(f, f->sa, &f->ka);
    Council__V1__AuditEventList *l;
    council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
    size_t n_by_id, n_by_ref;

    new_case(s, c1, p1);
    put(s, c1, p1, "situation", sec_text("一人暮らし。"), COUNCIL_OK);
    new_case(s, c2, p2);
    put(s, c2, p2, "situation", sec_text("二人暮らし。"), COUNCIL_OK);
    assert_int_equal(council_case_get(s, &out, c1, 16), COUNCIL_OK);
    {
        Council__V1__CaseInfo *m = council__v1__case_info__unpack(NULL, out.len, out.ptr);
        assert_non_null(m);
        assert_true(m->has_case_ref);
        assert_int_equal(m->case_ref.len, 32);
        memcpy(ref1, m->case_ref.data, 32);
        council__v1__case_info__free_unpacked(m, NULL);
    }
    council_buf_free(&out);
    /* A staff session may not list the log, whatever the filter. */
    flt.case_id = c1;
    flt.case_id_len = 16;
    assert_int_equal(council_audit_list(s, &out, &flt), COUNCIL_EDENIED);
    assert_null(out.ptr);
    council_close(s);

    assert_int_equal(council_audit_list(f->c, &out, &flt), COUNCIL_OK);
    l = council__v1__audit_event_list__unpack(NULL, out.len, out.ptr);
    assert_non_null(l);
    council_buf_free(&out);
    n_by_id = l->n_events;
    assert_true(n_by_id >= 2); /* created, section written */
    for (size_t i = 0; i < l->n_events; i++) {
        assert_true(l->events[i]->has_case_ref && l->events[i]->case_ref.len == 32);
        assert_memory_equal(l->events[i]->case_ref.data, ref1, 32);
    }
    council__v1__audit_event_list__free_unpacked(l, NULL);

    /* The pseudonym from case info finds the same events... */
    flt = (council_audit_filter)COUNCIL_AUDIT_FILTER_INIT;
    flt.case_ref = ref1;
    flt.case_ref_len = 32;
    assert_int_equal(council_audit_list(f->c, &out, &flt), COUNCIL_OK);
    l = council__v1__audit_event_list__unpack(NULL, out.len, out.ptr);
    assert_non_null(l);
    council_buf_free(&out);
    n_by_ref = l->n_events;
    council__v1__audit_event_list__free_unpacked(l, NULL);
    assert_int_equal(n_by_ref, n_by_id);
    /* ...and both together must agree: the other case's id finds nothing. */
    flt.case_id = c2;
    flt.case_id_len = 16;
    assert_int_equal(council_audit_list(f->c, &out, &flt), COUNCIL_OK);
    l = council__v1__audit_event_list__unpack(NULL, out.len, out.ptr);
    assert_non_null(l);
    council_buf_free(&out);
    assert_int_equal(l->n_events, 0);
    council__v1__audit_event_list__free_unpacked(l, NULL);

    /* A version 1 caller: its struct ends at case_ref_len, and the library
     * reads no further (under ASan, a read past this allocation fails). */
    {
        struct filter_v1 { /* council_audit_filter as version 1 declared it */
            unsigned version;
            uint64_t from_seq;
            uint32_t limit;
            int64_t since, until;
            int32_t action;
            const uint8_t *actor_member;
            size_t actor_member_len;
            const uint8_t *case_ref;
            size_t case_ref_len;
        } *v1 = calloc(1, sizeof *v1);
        _Static_assert(sizeof(struct filter_v1) == offsetof(council_audit_filter, case_id),
                       "version 2 only appends");
        assert_non_null(v1);
        v1->version = 1;
        v1->case_ref = ref1;
        v1->case_ref_len = 32;
        assert_int_equal(council_audit_list(f->c, &out, (const council_audit_filter *)(void *)v1),
                         COUNCIL_OK);
        free(v1);
        l = council__v1__audit_event_list__unpack(NULL, out.len, out.ptr);
        assert_non_null(l);
        council_buf_free(&out);
        assert_int_equal(l->n_events, n_by_id);
        council__v1__audit_event_list__free_unpacked(l, NULL);
    }

    /* A case id of the wrong length is refused; so is an unknown version. */
    flt = (council_audit_filter)COUNCIL_AUDIT_FILTER_INIT;
    flt.case_id = c1;
    flt.case_id_len = 15;
    assert_int_equal(council_audit_list(f->c, &out, &flt), COUNCIL_EINVAL);
    assert_null(out.ptr);
    flt.case_id_len = 32;
    assert_int_equal(council_audit_list(f->c, &out, &flt), COUNCIL_EINVAL);
    flt.case_id_len = 16;
    flt.version = 3;
    assert_int_equal(council_audit_list(f->c, &out, &flt), COUNCIL_EMISUSE);
    flt.version = 0;
    assert_int_equal(council_audit_list(f->c, &out, &flt), COUNCIL_EMISUSE);
    assert_null(out.ptr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scopes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip_and_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_withdrawal_rotates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transplant, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erasure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fold_and_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rekey_case, setup, teardown),
        cmocka_unit_test_setup_teardown(test_member_rekeyed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_canary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rekey_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rekey_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rekey_resume, setup, teardown),
        cmocka_unit_test_setup_teardown(test_review_fixes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyfile_pins_log_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_by_case, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
