/*
 * test_memo.c - sealed memos (memo.c): who opens them, and what the
 * insider (a member holding the database key) cannot do to them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <sqlite3.h>

#include "case_fixture.h"
#include "log.h"
#include "memo.h"

static const char note[] = "面談メモ: MEMO-CANARY-51c0";
static const uint8_t object[16] = { 0x0b, 0x1e, 0xc7 };

/* Seal a memo as the secretariat for member A; id receives it. */
static void seal_for_a(fx *f, uint8_t id[16])
{
    uint8_t readers[1][16];

    memcpy(readers[0], f->ma, 16);
    assert_int_equal(council__audit_batch_begin(f->c), COUNCIL_OK);
    assert_int_equal(council__memo_seal(f->c, "test", id, "referral_note", object, NULL,
                                        (const uint8_t(*)[16])readers, 1,
                                        (const uint8_t *)note, strlen(note)), COUNCIL_OK);
    assert_int_equal(council__finish(f->c, COUNCIL_OK), COUNCIL_OK);
}

static int open_as(council *c, const uint8_t id[16], council_buf *out)
{
    return council__memo_open(c, "test", out, id, "referral_note", object, NULL);
}

static void test_readers(void **state)
{
    fx *f = *state;
    uint8_t id[16];
    council_buf out = { NULL, 0 };
    council *a, *b;

    seal_for_a(f, id);
    /* The secretariat (the coordinating body's copy) and A open it. */
    assert_int_equal(open_as(f->c, id, &out), COUNCIL_OK);
    assert_int_equal(out.len, strlen(note));
    assert_memory_equal(out.ptr, note, out.len);
    council_buf_free(&out);
    a = staff_open(f, f->sa, &f->ka);
    assert_int_equal(open_as(a, id, &out), COUNCIL_OK);
    assert_memory_equal(out.ptr, note, out.len);
    council_buf_free(&out);
    /* B holds no copy. */
    b = staff_open(f, f->sb, &f->kb);
    assert_int_equal(open_as(b, id, &out), COUNCIL_EDENIED);
    assert_null(out.ptr);
    /* A memo opened as another kind or object is refused as forged. */
    assert_int_equal(council__memo_open(a, "test", &out, id, "opinion", object, NULL),
                     COUNCIL_ETAMPER);
    /* Given to B, B opens it; dropped again, B cannot. */
    assert_int_equal(council__audit_batch_begin(a), COUNCIL_OK);
    assert_int_equal(council__memo_grant(a, "test", id, f->mb), COUNCIL_OK);
    assert_int_equal(council__finish(a, COUNCIL_OK), COUNCIL_OK);
    assert_int_equal(open_as(b, id, &out), COUNCIL_OK);
    council_buf_free(&out);
    {
        bool yes = false;
        assert_int_equal(council__memo_reader(f->c, "test", id, f->mb, &yes), COUNCIL_OK);
        assert_true(yes);
        assert_int_equal(council__memo_reader(f->c, "test", id, f->mc, &yes), COUNCIL_OK);
        assert_false(yes);
    }
    assert_int_equal(council__audit_batch_begin(f->c), COUNCIL_OK);
    assert_int_equal(council__memo_drop(f->c, "test", id, f->mb), COUNCIL_OK);
    assert_int_equal(council__finish(f->c, COUNCIL_OK), COUNCIL_OK);
    assert_int_equal(open_as(b, id, &out), COUNCIL_EDENIED);
    /* B, with no copy, cannot give one to C. */
    assert_int_equal(council__memo_grant(b, "test", id, f->mc), COUNCIL_EDENIED);
    council_close(a);
    council_close(b);
}

/* The insider changes the text, or slips a copy of A's in as its own. */
static void test_insider(void **state)
{
    fx *f = *state;
    uint8_t id[16];
    council_buf out = { NULL, 0 };
    sqlite3_stmt *st = NULL;
    council *b;

    seal_for_a(f, id);
    b = staff_open(f, f->sb, &f->kb);
    /* A copy of A's sealed key filed under B (with B's key) does not open. */
    assert_int_equal(sqlite3_prepare_v2(b->db, "INSERT INTO memo_wrap (memo_id, holder, box_pk, "
                                        "sealed, tag) SELECT memo_id, ?1, ?2, sealed, tag FROM "
                                        "memo_wrap WHERE memo_id = ?3 AND holder = ?4;", -1, &st,
                                        NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, f->mb, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, b->actor_box_pk, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, id, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, f->ma, 16, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    assert_int_equal(open_as(b, id, &out), COUNCIL_EAUTH);
    assert_null(out.ptr);
    /* A key replacement of B's does not carry the planted copy over. */
    {
        council_buf kf = { NULL, 0 };
        assert_int_equal(council_member_keygen(f->c, &kf, f->mb, 16, (const uint8_t *)MPASS,
                                               strlen(MPASS), TH_OPS, TH_MEM), COUNCIL_OK);
        council_buf_free(&f->kb);
        f->kb = kf;
    }
    council_close(b);
    b = staff_open(f, f->sb, &f->kb);
    assert_int_equal(open_as(b, id, &out), COUNCIL_EDENIED);
    council_close(b);
    /* A changed ciphertext is a forged row. */
    assert_int_equal(sqlite3_exec(f->c->db, "UPDATE memo SET ct = zeroblob(length(ct));", NULL,
                                  NULL, NULL), SQLITE_OK);
    assert_int_equal(open_as(f->c, id, &out), COUNCIL_ETAMPER);
    assert_int_equal(th_last_action(f->c), COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_TAMPER_DETECTED);
    assert_null(out.ptr);
}

/* A's key replaced: its copies follow its new key. The root key replaced:
 * the coordinating body's copies follow too. Withdrawn: A's copies go. */
static void test_keys_follow(void **state)
{
    fx *f = *state;
    uint8_t id[16];
    council_buf out = { NULL, 0 }, kf = { NULL, 0 };
    council *a;
    int64_t n = -1;

    seal_for_a(f, id);
    assert_int_equal(council_member_keygen(f->c, &kf, f->ma, 16, (const uint8_t *)MPASS,
                                           strlen(MPASS), TH_OPS, TH_MEM), COUNCIL_OK);
    council_buf_free(&f->ka);
    f->ka = kf;
    a = staff_open(f, f->sa, &f->ka);
    assert_int_equal(open_as(a, id, &out), COUNCIL_OK);
    council_buf_free(&out);
    council_close(a);
    assert_int_equal(council_rekey_root(f->c, (const uint8_t *)"new pass", 8, NULL, 0, TH_OPS,
                                        TH_MEM), COUNCIL_OK);
    council_close(f->c);
    f->c = NULL;
    assert_int_equal(th_open(&f->c, f->store, "new pass"), COUNCIL_OK);
    assert_int_equal(open_as(f->c, id, &out), COUNCIL_OK);
    assert_memory_equal(out.ptr, note, out.len);
    council_buf_free(&out);
    /* One copy for the coordinating body, under the new key only. */
    {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(f->c->db, "SELECT count(*) FROM memo_wrap WHERE "
                                            "holder = zeroblob(16);", -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    assert_int_equal(n, 1);
    assert_int_equal(council_member_withdraw(f->c, f->ma, 16, 0, "退会"), COUNCIL_OK);
    {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(f->c->db, "SELECT count(*) FROM memo_wrap WHERE "
                                            "holder = ?1;", -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, f->ma, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    assert_int_equal(n, 0);
}

/* A memo a member's staff wrote stays valid when that member's key is
 * replaced and when it withdraws: the council signs it again first. */
static void test_writer_leaves(void **state)
{
    fx *f = *state;
    uint8_t id[16], readers[1][16];
    council_buf out = { NULL, 0 }, kf = { NULL, 0 };
    council *a = staff_open(f, f->sa, &f->ka), *b;

    memcpy(readers[0], f->mb, 16);
    assert_int_equal(council__audit_batch_begin(a), COUNCIL_OK);
    assert_int_equal(council__memo_seal(a, "test", id, "referral_note", object, NULL,
                                        (const uint8_t(*)[16])readers, 1,
                                        (const uint8_t *)note, strlen(note)), COUNCIL_OK);
    assert_int_equal(council__finish(a, COUNCIL_OK), COUNCIL_OK);
    council_close(a);
    assert_int_equal(council_member_keygen(f->c, &kf, f->ma, 16, (const uint8_t *)MPASS,
                                           strlen(MPASS), TH_OPS, TH_MEM), COUNCIL_OK);
    council_buf_free(&f->ka);
    f->ka = kf;
    b = staff_open(f, f->sb, &f->kb);
    assert_int_equal(open_as(b, id, &out), COUNCIL_OK);
    council_buf_free(&out);
    assert_int_equal(council_member_withdraw(f->c, f->ma, 16, 0, "退会"), COUNCIL_OK);
    assert_int_equal(open_as(b, id, &out), COUNCIL_OK);
    assert_memory_equal(out.ptr, note, out.len);
    council_buf_free(&out);
    assert_int_equal(open_as(f->c, id, &out), COUNCIL_OK);
    council_buf_free(&out);
    council_close(b);
}

/* Promise 5: the memo's text is nowhere on disk in clear (the store's
 * files, the keyring, the WAL). Promise 7: a case's erasure destroys its
 * memos and every copy; the log still verifies. */
static void test_disk_and_erasure(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], id[16], readers[1][16];
    council_buf out = { NULL, 0 };
    council *a = staff_open(f, f->sa, &f->ka);
    sqlite3_stmt *st = NULL;
    DIR *d;
    struct dirent *e;
    size_t files = 0;

    new_case(a, cid, pid);
    memcpy(readers[0], f->mb, 16);
    assert_int_equal(council__audit_batch_begin(a), COUNCIL_OK);
    assert_int_equal(council__memo_seal(a, "test", id, "referral_note", object, cid,
                                        (const uint8_t(*)[16])readers, 1,
                                        (const uint8_t *)note, strlen(note)), COUNCIL_OK);
    assert_int_equal(council__finish(a, COUNCIL_OK), COUNCIL_OK);
    council_close(a);
    assert_non_null(d = opendir(f->store));
    while ((e = readdir(d)) != NULL) {
        uint8_t *buf;
        size_t len;
        char *path;
        if (e->d_name[0] == '.')
            continue;
        path = th_path(f->store, e->d_name);
        if (th_read_file(path, &buf, &len) == 0) {
            files++;
            assert_false(th_contains(buf, len, "MEMO-CANARY-51c0"));
            free(buf);
        }
        free(path);
    }
    closedir(d);
    assert_true(files >= 2);
    /* Erased with its case. */
    assert_int_equal(council__memo_open(f->c, "test", &out, id, "referral_note", object, cid),
                     COUNCIL_OK);
    council_buf_free(&out);
    assert_int_equal(council_case_erase(f->c, cid, 16, "person_request"), COUNCIL_OK);
    assert_int_equal(council__memo_open(f->c, "test", &out, id, "referral_note", object, cid),
                     COUNCIL_ENOTFOUND);
    assert_null(out.ptr);
    assert_int_equal(sqlite3_prepare_v2(f->c->db, "SELECT (SELECT count(*) FROM memo) + "
                                        "(SELECT count(*) FROM memo_wrap);", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(st, 0), 0);
    sqlite3_finalize(st);
}

static void test_limits(void **state)
{
    fx *f = *state;
    uint8_t id[16], readers[1][16];

    memset(readers[0], 0x5a, 16); /* no such member */
    assert_int_equal(council__memo_seal(f->c, "test", id, "Bad-Kind", object, NULL, NULL, 0,
                                        (const uint8_t *)note, strlen(note)), COUNCIL_EINVAL);
    assert_int_equal(council__memo_seal(f->c, "test", id, "referral_note", object, NULL, NULL, 0,
                                        (const uint8_t *)note, 0), COUNCIL_EINVAL);
    assert_int_equal(council__audit_batch_begin(f->c), COUNCIL_OK);
    assert_int_equal(council__memo_seal(f->c, "test", id, "referral_note", object, NULL,
                                        (const uint8_t(*)[16])readers, 1,
                                        (const uint8_t *)note, strlen(note)), COUNCIL_EDENIED);
    assert_int_equal(council__finish(f->c, COUNCIL_EDENIED), COUNCIL_EDENIED);
    memset(id, 0x77, 16);
    {
        council_buf out = { NULL, 0 };
        assert_int_equal(open_as(f->c, id, &out), COUNCIL_ENOTFOUND);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_readers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keys_follow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_leaves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disk_and_erasure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
