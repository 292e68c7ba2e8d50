/* test_share.c - shares: a member reads only the scopes shared with it
 * (council_case_share), and a share's end by revocation
 * (council_case_revoke) or expiry rotates the key away from it.
 * Moved unchanged from test_case.c (issue 11: tests follow the rooms). */
#include "case_fixture.h"
#include "keyfile.h"

/* Promise 1: member B reads only what was shared with it, and even with
 * the database key and every stored wrapped key, B's key opens nothing
 * else. */
static void test_scope_isolation(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16];
    council *sa = staff_open(f, f->sa, &f->ka), *sb;
    council__member_keys kb;
    council__secret key = { NULL, 0 };
    char *t;
    int rc;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "health", sec_text("糖尿病の治療中"), COUNCIL_OK);
    put(sa, cid, pid, "situation", sec_text("生活の状況"), COUNCIL_OK);
    sb = staff_open(f, f->sb, &f->kb);
    /* Nothing shared yet: refused and logged as refused. */
    t = get_text(sb, cid, pid, "situation", &rc);
    assert_null(t);
    assert_int_equal(rc, COUNCIL_EDENIED);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SECTION_DECRYPTED);
        assert_int_equal(e->outcome, COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED);
        assert_int_equal(e->error, COUNCIL_EDENIED);
        assert_string_equal(e->reason, "scope_not_shared");
        assert_memory_equal(e->actor_member.data, f->mb, 16);
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    assert_int_equal(council_case_get(sb, &(council_buf){ NULL, 0 }, cid, 16), COUNCIL_EDENIED);
    /* B may not share it onward, nor write to it. */
    share(sb, cid, f->mc, "situation", COUNCIL_EDENIED);
    put(sb, cid, pid, "situation", sec_text("x"), COUNCIL_EDENIED);
    /* Outside B's ceiling: refused, logged. */
    share(sa, cid, f->mb, "health", COUNCIL_EDENIED);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SHARE_GRANTED);
        assert_int_equal(e->outcome, COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED);
        assert_string_equal(e->reason, "outside_scope_ceiling");
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    share(sa, cid, f->mb, "situation", COUNCIL_OK);
    share(sa, cid, f->mb, "situation", COUNCIL_EEXIST);
    t = get_text(sb, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "生活の状況");
    free(t);
    t = get_text(sb, cid, pid, "health", &rc);
    assert_int_equal(rc, COUNCIL_EDENIED);
    assert_null(t);
    /* The attacker's view: B's secret key, the database key (this test
     * reads the store through the secretariat's connection, which is
     * exactly what a database-key holder sees), every wrapped copy. */
    member_keys(&f->kb, &kb);
    assert_int_equal(steal_key(f->c, cid, "health", 0, f->mb, &kb, &key), COUNCIL_ENOTFOUND);
    assert_true(count(f->c, "SELECT count(*) FROM key_wrap WHERE scope = 'health' AND case_id = ?1", cid) >= 2);
    /* ... while the shared scope does open with it (so the check above
     * could have failed). */
    assert_int_equal(steal_key(f->c, cid, "situation", 0, f->mb, &kb, &key), COUNCIL_OK);
    assert_true(key_opens_latest(f->c, cid, pid, "situation", &key));
    council__secret_free(&key);
    council__member_keys_free(&kb);
    council_close(sb);
    council_close(sa);
}

/* Revocation: B keeps the key it had; after revoke and a new write, that
 * key does not open the new data, and B's session is refused. */
static void test_revoke_rotates(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16];
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    council__member_keys kb;
    council__secret kept = { NULL, 0 };
    const char *sc[1] = { "situation" };
    char *t;
    int rc;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("共有前の内容"), COUNCIL_OK);
    share(sa, cid, f->mb, "situation", COUNCIL_OK);
    member_keys(&f->kb, &kb);
    assert_int_equal(steal_key(f->c, cid, "situation", 0, f->mb, &kb, &kept), COUNCIL_OK);
    assert_true(key_opens_latest(f->c, cid, pid, "situation", &kept));
    assert_int_equal(council_case_revoke(sb, cid, 16, f->mb, 16, sc, 1, "no_longer_needed"), COUNCIL_EDENIED);
    assert_int_equal(council_case_revoke(sa, cid, 16, f->mb, 16, sc, 1, "no_longer_needed"), COUNCIL_OK);
    assert_int_equal(council_case_revoke(sa, cid, 16, f->mb, 16, sc, 1, "no_longer_needed"), COUNCIL_ENOTFOUND);
    assert_int_equal(count(f->c, "SELECT count(*) FROM key_wrap WHERE holder = ?1", f->mb), 0);
    put(sa, cid, pid, "situation", sec_text("取消後の内容"), COUNCIL_OK);
    assert_false(key_opens_latest(f->c, cid, pid, "situation", &kept));
    t = get_text(sb, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_EDENIED);
    assert_null(t);
    /* And no wrapped copy of the new key opens with B's key. */
    council__secret_free(&kept);
    assert_int_equal(steal_key(f->c, cid, "situation", 2, f->mb, &kb, &kept), COUNCIL_ENOTFOUND);
    council__member_keys_free(&kb);
    council_close(sb);
    council_close(sa);
}

static void test_expired_share(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16];
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    char *t;
    int rc;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("期限つき"), COUNCIL_OK);
    share(sa, cid, f->mb, "situation", COUNCIL_OK);
    t = get_text(sb, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    free(t);
    {
        council__member_keys kb;
        council__secret kept = { NULL, 0 };
        member_keys(&f->kb, &kb);
        assert_int_equal(steal_key(f->c, cid, "situation", 0, f->mb, &kb, &kept), COUNCIL_OK);
        assert_int_equal(sqlite3_exec(f->c->db, "UPDATE case_share SET expires = 1;", NULL, NULL, NULL),
                         SQLITE_OK);
        t = get_text(sb, cid, pid, "situation", &rc);
        assert_int_equal(rc, COUNCIL_EDENIED);
        assert_null(t);
        /* The next write rotates the key: the expired holder's copy does
         * not open it, and its wrapped keys are gone. */
        put(sa, cid, pid, "situation", sec_text("期限後の記録"), COUNCIL_OK);
        assert_false(key_opens_latest(f->c, cid, pid, "situation", &kept));
        assert_int_equal(count(f->c, "SELECT count(*) FROM key_wrap WHERE holder = ?1", f->mb), 0);
        council__secret_free(&kept);
        council__member_keys_free(&kb);
    }
    council_close(sb);
    council_close(sa);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scope_isolation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_revoke_rotates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expired_share, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
