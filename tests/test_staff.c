/* test_staff.c - staff and their secrecy pledges (Article 18): recorded,
 * retired, never deleted; refusals for withdrawn members and former staff. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "helpers.h"
#include "council_int.h"
#include "council/v1/audit.pb-c.h"
#include "council/v1/member.pb-c.h"

static const char pledge_text[] = "私は、協議会の事務に関して知り得た秘密を漏らしません。";

typedef struct fx {
    char *root, *store;
    council *c;
    uint8_t member[16];
} fx;

static int setup(void **state)
{
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;
    fx *f = calloc(1, sizeof *f);

    assert_non_null(f);
    f->store = th_make_store(&f->root, "staff test");
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    o.name = "社会福祉協議会";
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_SOCIAL_WELFARE_COUNCIL;
    assert_int_equal(council_member_add(f->c, f->member, 16, &o), COUNCIL_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;

    council_close(f->c);
    th_rmrf(f->root);
    free(f->root); free(f->store);
    free(f);
    return 0;
}

static Council__V1__StaffList *staff_list(council *c, const uint8_t *member)
{
    council_buf buf = { NULL, 0 };
    Council__V1__StaffList *l;

    assert_int_equal(council_staff_list(c, &buf, member, member != NULL ? 16 : 0), COUNCIL_OK);
    l = council__v1__staff_list__unpack(NULL, buf.len, buf.ptr);
    assert_non_null(l);
    council_buf_free(&buf);
    return l;
}

static size_t count_events(council *c, int action)
{
    council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
    council_buf buf = { NULL, 0 };
    Council__V1__AuditEventList *l;
    size_t n;

    flt.action = action;
    assert_int_equal(council_audit_list(c, &buf, &flt), COUNCIL_OK);
    l = council__v1__audit_event_list__unpack(NULL, buf.len, buf.ptr);
    n = l->n_events;
    council__v1__audit_event_list__free_unpacked(l, NULL);
    council_buf_free(&buf);
    return n;
}

static void test_staff__add_pledge_list(void **state)
{
    fx *f = *state;
    uint8_t s[16], hash[32];
    Council__V1__StaffList *l;

    assert_int_equal(council_staff_add(f->c, s, 16, f->member, 16, "相談員 佐藤", "相談支援"), COUNCIL_OK);
    assert_int_equal(council_staff_pledge(f->c, s, 16, 1767225600, "v2024_04",
                                          (const uint8_t *)pledge_text, strlen(pledge_text),
                                          "事務局長"), COUNCIL_OK);
    l = staff_list(f->c, f->member);
    assert_int_equal(l->n_staff, 1);
    assert_memory_equal(l->staff[0]->id.data, s, 16);
    assert_memory_equal(l->staff[0]->member_id.data, f->member, 16);
    assert_string_equal(l->staff[0]->display_name, "相談員 佐藤");
    assert_string_equal(l->staff[0]->role, "相談支援");
    assert_int_equal(l->staff[0]->status, COUNCIL__V1__STAFF_STATUS__STAFF_STATUS_ACTIVE);
    assert_int_equal(l->staff[0]->n_pledges, 1);
    assert_int_equal(l->staff[0]->pledges[0]->pledged, 1767225600);
    assert_string_equal(l->staff[0]->pledges[0]->text_version, "v2024_04");
    crypto_hash_sha256(hash, (const uint8_t *)pledge_text, strlen(pledge_text));
    assert_memory_equal(l->staff[0]->pledges[0]->text_sha256.data, hash, 32);
    assert_string_equal(l->staff[0]->pledges[0]->witness, "事務局長");
    council__v1__staff_list__free_unpacked(l, NULL);
    assert_int_equal(count_events(f->c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_STAFF_ADDED), 1);
    assert_int_equal(count_events(f->c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_PLEDGE_RECORDED), 1);
}

/* Former staff stay, with their pledges; they cannot pledge again. */
static void test_staff__retired_staff_are_kept(void **state)
{
    fx *f = *state;
    uint8_t s[16];
    Council__V1__StaffList *l;

    assert_int_equal(council_staff_add(f->c, s, 16, f->member, 16, "相談員 鈴木", NULL), COUNCIL_OK);
    assert_int_equal(council_staff_pledge(f->c, s, 16, 0, "v2024_04", (const uint8_t *)pledge_text,
                                          strlen(pledge_text), NULL), COUNCIL_OK);
    assert_int_equal(council_staff_retire(f->c, s, 16, 0, "人事異動"), COUNCIL_OK);
    assert_int_equal(council_staff_retire(f->c, s, 16, 0, "again"), COUNCIL_EDENIED);
    assert_int_equal(council_staff_pledge(f->c, s, 16, 0, "v2024_04", (const uint8_t *)pledge_text,
                                          strlen(pledge_text), NULL), COUNCIL_EDENIED);
    l = staff_list(f->c, NULL);
    assert_int_equal(l->n_staff, 1);
    assert_int_equal(l->staff[0]->status, COUNCIL__V1__STAFF_STATUS__STAFF_STATUS_RETIRED);
    assert_string_equal(l->staff[0]->retirement_reason, "人事異動");
    assert_int_equal(l->staff[0]->n_pledges, 1); /* still bound */
    council__v1__staff_list__free_unpacked(l, NULL);
    assert_int_equal(count_events(f->c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_STAFF_RETIRED), 1);
}

/* Not even someone with the database key can delete or rewrite a pledge. */
static void test_staff__records_are_never_deleted(void **state)
{
    fx *f = *state;
    uint8_t s[16];

    assert_int_equal(council_staff_add(f->c, s, 16, f->member, 16, "相談員 高橋", NULL), COUNCIL_OK);
    assert_int_equal(council_staff_pledge(f->c, s, 16, 0, "v2024_04", (const uint8_t *)pledge_text,
                                          strlen(pledge_text), NULL), COUNCIL_OK);
    assert_int_equal(sqlite3_exec(f->c->db, "DELETE FROM pledge;", NULL, NULL, NULL), SQLITE_CONSTRAINT);
    assert_int_equal(sqlite3_exec(f->c->db, "UPDATE pledge SET text_version = 'x';", NULL, NULL, NULL),
                     SQLITE_CONSTRAINT);
    assert_int_equal(sqlite3_exec(f->c->db, "DELETE FROM staff;", NULL, NULL, NULL), SQLITE_CONSTRAINT);
    {
        Council__V1__StaffList *l = staff_list(f->c, NULL);
        assert_int_equal(l->n_staff, 1);
        assert_int_equal(l->staff[0]->n_pledges, 1);
        council__v1__staff_list__free_unpacked(l, NULL);
    }
}

static void test_staff__withdrawn_member_refused(void **state)
{
    fx *f = *state;
    uint8_t s[16], t[16];

    assert_int_equal(council_staff_add(f->c, s, 16, f->member, 16, "相談員 伊藤", NULL), COUNCIL_OK);
    assert_int_equal(council_member_withdraw(f->c, f->member, 16, 0, "解散"), COUNCIL_OK);
    assert_int_equal(council_staff_add(f->c, t, 16, f->member, 16, "新任", NULL), COUNCIL_EDENIED);
    assert_int_equal(council_staff_pledge(f->c, s, 16, 0, "v2024_04", (const uint8_t *)pledge_text,
                                          strlen(pledge_text), NULL), COUNCIL_EDENIED);
    /* Retiring staff of a withdrawn member is still possible (it only marks). */
    assert_int_equal(council_staff_retire(f->c, s, 16, 0, "解散に伴う"), COUNCIL_OK);
}

static void test_staff__refuses_bad_input(void **state)
{
    fx *f = *state;
    uint8_t s[16], unknown[16];
    council_buf buf = { NULL, 0 };

    memset(unknown, 0x33, sizeof unknown);
    assert_int_equal(council_staff_add(f->c, s, 16, unknown, 16, "x", NULL), COUNCIL_ENOTFOUND);
    assert_int_equal(council_staff_add(f->c, s, 16, f->member, 16, "", NULL), COUNCIL_EINVAL);
    assert_int_equal(council_staff_add(f->c, s, 16, f->member, 16, "a\nb", NULL), COUNCIL_EINVAL);
    assert_int_equal(council_staff_add(f->c, s, 16, f->member, 16, "ok", ""), COUNCIL_EINVAL);
    assert_int_equal(council_staff_add(f->c, s, 15, f->member, 16, "ok", NULL), COUNCIL_EINVAL);
    assert_int_equal(council_staff_add(NULL, s, 16, f->member, 16, "ok", NULL), COUNCIL_EMISUSE);
    assert_int_equal(council_staff_add(f->c, s, 16, f->member, 16, "ok", NULL), COUNCIL_OK);
    assert_int_equal(council_staff_pledge(f->c, unknown, 16, 0, "v1", (const uint8_t *)"x", 1, NULL),
                     COUNCIL_ENOTFOUND);
    assert_int_equal(council_staff_pledge(f->c, s, 16, 0, "Version 1", (const uint8_t *)"x", 1, NULL),
                     COUNCIL_EINVAL);
    assert_int_equal(council_staff_pledge(f->c, s, 16, 0, "v1", (const uint8_t *)"x", 0, NULL),
                     COUNCIL_EINVAL);
    assert_int_equal(council_staff_pledge(f->c, s, 16, -1, "v1", (const uint8_t *)"x", 1, NULL),
                     COUNCIL_EINVAL);
    assert_int_equal(council_staff_retire(f->c, s, 16, 0, ""), COUNCIL_EINVAL);
    assert_int_equal(council_staff_retire(f->c, unknown, 16, 0, "x"), COUNCIL_ENOTFOUND);
    assert_int_equal(council_staff_list(f->c, &buf, f->member, 3), COUNCIL_EINVAL);
    assert_int_equal(council_staff_list(NULL, &buf, NULL, 0), COUNCIL_EMISUSE);
    assert_null(buf.ptr);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_staff__add_pledge_list),
        T(test_staff__retired_staff_are_kept),
        T(test_staff__records_are_never_deleted),
        T(test_staff__withdrawn_member_refused),
        T(test_staff__refuses_bad_input),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
