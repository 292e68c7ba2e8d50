/*
 * test_blind_width.c - the blind index sized for the store (issue 17,
 * blind): the width grows with the index (the threshold driven down with
 * council__blind_test_scale), finds are exact before, during and after a
 * rebuild, a forged or replayed width is refused (ETAMPER, on the record),
 * a store's 16-bit tokens still find, and a rebuild interrupted by faults
 * and resumed loses and doubles nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "case_fixture.h"
#include "blind.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x

/* A name of person i, and its birth date. */
static void name_of(char *out, size_t n, size_t i)
{
    snprintf(out, n, "試験 太郎%zu", i);
}

static const char birth[] = "1970-01-02";

/* Case i: a new case of A's staff with a named person. */
static void make_cases(council *s, uint8_t (*cid)[16], uint8_t (*pid)[16], size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        char nm[64];
        name_of(nm, sizeof nm, i);
        new_case(s, cid[i], pid[i]);
        put(s, cid[i], pid[i], "identity", sec_identity(nm, birth), COUNCIL_OK);
    }
}

/* The matches of a find: how many, and whether (cid, pid) is among them. */
static size_t find(council *s, const char *name, const char *date, const uint8_t cid[16],
                   const uint8_t pid[16], bool *hit)
{
    council_buf out = { NULL, 0 };
    Council__V1__CaseMatches *m;
    size_t n;

    *hit = false;
    assert_int_equal(council_case_find(s, &out, name, date), COUNCIL_OK);
    m = council__v1__case_matches__unpack(NULL, out.len, out.ptr);
    assert_non_null(m);
    for (size_t j = 0; j < m->n_matches; j++)
        if (memcmp(m->matches[j]->case_id.data, cid, 16) == 0 &&
            memcmp(m->matches[j]->person_id.data, pid, 16) == 0) {
            *hit = true;
            assert_true(date == NULL || m->matches[j]->birth_date_matches);
        }
    n = m->n_matches;
    council__v1__case_matches__free_unpacked(m, NULL);
    council_buf_free(&out);
    return n;
}

/* Every person i < n is found by its name, and alone by name and birth.
 * By name alone another person may come with it: while a rebuild runs,
 * part of the index is still 16 bits wide, and among 150 persons two
 * share a 16-bit token about one time in six (the token's collisions are
 * by design: SECURITY.md); two tokens at once (name and birth) all but
 * never do. */
static void all_found(council *s, uint8_t (*cid)[16], uint8_t (*pid)[16], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char nm[64];
        bool hit = false;
        name_of(nm, sizeof nm, i);
        assert_true(find(s, nm, NULL, cid[i], pid[i], &hit) >= 1);
        assert_true(hit);
        assert_int_equal(find(s, nm, birth, cid[i], pid[i], &hit), 1);
        assert_true(hit);
    }
}

static int64_t rows_below(council *c, int64_t v)
{
    sqlite3_stmt *st;
    int64_t n;

    assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT count(*) FROM blind_index WHERE token < ?1;",
                                        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_int64(st, 1, v);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int64_t events(council *c, int action, const char *reason)
{
    council_buf out = { NULL, 0 };
    council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
    Council__V1__AuditEventList *l;
    int64_t n = 0;

    flt.action = action;
    assert_int_equal(council_audit_list(c, &out, &flt), COUNCIL_OK);
    l = council__v1__audit_event_list__unpack(NULL, out.len, out.ptr);
    assert_non_null(l);
    for (size_t i = 0; i < l->n_events; i++)
        if (reason == NULL || (l->events[i]->reason != NULL && strcmp(l->events[i]->reason, reason) == 0))
            n++;
    council__v1__audit_event_list__free_unpacked(l, NULL);
    council_buf_free(&out);
    return n;
}

/* The setting's bytes as stored (value, then its signature). */
static void setting_read(council *c, const char *key, uint8_t *v, size_t cap, size_t *n)
{
    sqlite3_stmt *st;

    assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT value FROM setting WHERE key = ?1;", -1, &st,
                                        NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    *n = (size_t)sqlite3_column_bytes(st, 0);
    assert_true(*n <= cap);
    memcpy(v, sqlite3_column_blob(st, 0), *n);
    sqlite3_finalize(st);
}

static void setting_write(council *c, const char *key, const uint8_t *v, size_t n)
{
    sqlite3_stmt *st;

    assert_int_equal(sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO setting (key, value) VALUES "
                                        "(?1, ?2);", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, v, (int)n, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* The width grows with the index; finds are exact before and after. */
static void test_width_grows(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    uint8_t cid[24][16], pid[24][16];
    council_index_state st;

    council__blind_test_scale(14); /* an entry counts as 16,384 */
    make_cases(sa, cid, pid, 0, 12);
    /* A store as before: 16-bit tokens, no width set. */
    assert_int_equal(rows_below(f->c, 1 << 16), 24);
    assert_int_equal(council_index_status(f->c, &st), COUNCIL_OK);
    assert_int_equal(st.width, 16);
    assert_int_equal(st.old_width, 0);
    assert_int_equal(st.entries, 12);
    assert_int_equal(st.wanted_width, 17); /* 12 * 2^14 entries: ceil(log2) - 1 */
    all_found(sb, cid, pid, 12);

    /* Only the secretariat; a staff session is refused on the record. */
    assert_int_equal(council_index_rebuild(sa, &st, 0), COUNCIL_EDENIED);
    assert_int_equal(council_index_status(sa, &st), COUNCIL_EDENIED);
    assert_int_equal(council_index_status(f->c, NULL), COUNCIL_EMISUSE);

    assert_int_equal(council_index_rebuild(f->c, &st, 0), COUNCIL_OK);
    assert_int_equal(st.width, 17);
    assert_int_equal(st.old_width, 0);
    assert_int_equal(st.cases_done, 12);
    assert_int_equal(rows_below(f->c, (int64_t)17 << 32), 0);
    assert_int_equal(rows_below(f->c, (int64_t)18 << 32), 24);
    assert_int_equal(events(f->c, ACT(BLIND_INDEX_REBUILT), "w16_to_w17_started"), 1);
    assert_int_equal(events(f->c, ACT(BLIND_INDEX_REBUILT), "w16_to_w17"), 1);
    assert_int_equal(events(f->c, ACT(BLIND_INDEX_REBUILT), "w17_done"), 1);
    all_found(sb, cid, pid, 12);
    /* Nothing to do: no event. */
    assert_int_equal(council_index_rebuild(f->c, &st, 0), COUNCIL_OK);
    assert_int_equal(st.cases_done, 0);
    assert_int_equal(events(f->c, ACT(BLIND_INDEX_REBUILT), NULL), 3);

    /* New persons are written at the new width; the index grows past the
     * next threshold (24 * 2^14 entries: 18 bits). */
    make_cases(sa, cid, pid, 12, 24);
    assert_int_equal(rows_below(f->c, (int64_t)17 << 32), 0);
    all_found(sb, cid, pid, 24);
    assert_int_equal(council_index_rebuild(f->c, &st, 0), COUNCIL_OK);
    assert_int_equal(st.width, 18);
    assert_int_equal(st.cases_done, 24);
    assert_int_equal(rows_below(f->c, (int64_t)18 << 32), 0);
    assert_int_equal(count(f->c, "SELECT count(*) FROM blind_index", NULL), 48);
    all_found(sb, cid, pid, 24);
    {
        /* Another birth date: not found. */
        char nm[64];
        bool hit = true;
        name_of(nm, sizeof nm, 3);
        assert_int_equal(find(sb, nm, "1970-01-03", cid[3], pid[3], &hit), 0);
        assert_false(hit);
    }
    council__blind_test_scale(0);
    council_close(sa);
    council_close(sb);
}

/* A merged person's name finds the kept person after a rebuild; a person
 * of anonymous intake is still never found. */
static void test_rebuild_keeps_merges_and_anonymity(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    uint8_t cid[16], keep[16], gone[16], acid[16], apid[16];
    council_case_options o = COUNCIL_CASE_OPTIONS_INIT;
    council_index_state st;
    bool hit = false;

    council__blind_test_scale(17);
    new_case(sa, cid, keep);
    put(sa, cid, keep, "identity", sec_identity("合併 一郎", birth), COUNCIL_OK);
    assert_int_equal(council_case_add_person(sa, gone, 16, cid, 16,
                                             COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_FAMILY), COUNCIL_OK);
    put(sa, cid, gone, "identity", sec_identity("合併 二郎", birth), COUNCIL_OK);
    assert_int_equal(council_person_merge(sa, cid, 16, keep, 16, gone, 16), COUNCIL_OK);
    o.anonymous = 1;
    assert_int_equal(council_case_create(sa, acid, 16, apid, 16, &o), COUNCIL_OK);
    put(sa, acid, apid, "identity", sec_identity("匿名 花子", birth), COUNCIL_OK);
    assert_int_equal(find(sb, "合併 二郎", NULL, cid, keep, &hit), 1);
    assert_true(hit);

    assert_int_equal(council_index_rebuild(f->c, &st, 0), COUNCIL_OK);
    assert_true(st.width > 16);
    assert_int_equal(st.old_width, 0);
    assert_int_equal(find(sb, "合併 二郎", birth, cid, keep, &hit), 1);
    assert_true(hit);
    assert_int_equal(find(sb, "合併 一郎", birth, cid, keep, &hit), 1);
    assert_true(hit);
    assert_int_equal(find(sb, "匿名 花子", NULL, acid, apid, &hit), 0);
    assert_int_equal(count(f->c, "SELECT count(*) FROM blind_index WHERE person_id = ?1", gone), 0);
    assert_int_equal(count(f->c, "SELECT count(*) FROM blind_index WHERE case_id = ?1", acid), 0);
    council__blind_test_scale(0);
    council_close(sa);
    council_close(sb);
}

/* The insider (any member's staff holds the database key) writes the width:
 * narrower, unsigned, an older signed one put back, or none at all. Each
 * is refused with ETAMPER and a tamper finding; the secretariat's own
 * setting put back finds again. */
static void test_forged_width(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    uint8_t cid[40][16], pid[40][16], v17[8], s17[64], v[8], s[64], forged[3] = { 1, 16, 0 };
    size_t n17 = 0, ns17 = 0, n = 0, ns = 0;
    council_buf out = { NULL, 0 };
    council_index_state st;
    int64_t tampered = events(f->c, ACT(TAMPER_DETECTED), "forged_blind_width");

    council__blind_test_scale(14);
    make_cases(sa, cid, pid, 0, 12);
    assert_int_equal(council_index_rebuild(f->c, &st, 0), COUNCIL_OK);
    assert_int_equal(st.width, 17);
    setting_read(f->c, "blind_width", v17, sizeof v17, &n17);
    setting_read(f->c, "blind_width_sig", s17, sizeof s17, &ns17);
    assert_int_equal(n17, 3);
    assert_int_equal(v17[1], 17);

    /* Narrower, unsigned. */
    setting_write(sb, "blind_width", forged, sizeof forged);
    assert_int_equal(council_case_find(sb, &out, "試験 太郎1", NULL), COUNCIL_ETAMPER);
    assert_null(out.ptr);
    assert_int_equal(council_index_status(f->c, &st), COUNCIL_ETAMPER);
    assert_int_equal(council_index_rebuild(f->c, &st, 0), COUNCIL_ETAMPER);
    put(sa, cid[0], pid[0], "identity", sec_identity("試験 太郎0", birth), COUNCIL_ETAMPER);
    assert_true(events(f->c, ACT(TAMPER_DETECTED), "forged_blind_width") >= tampered + 4);
    /* Wider, unsigned: refused as well (it would name people). */
    forged[1] = 32;
    setting_write(sb, "blind_width", forged, sizeof forged);
    assert_int_equal(council_case_find(sb, &out, "試験 太郎1", NULL), COUNCIL_ETAMPER);
    /* The secretariat's setting put back. */
    setting_write(sb, "blind_width", v17, n17);
    all_found(sb, cid, pid, 12);

    /* Grown to 18 bits, then the older signed setting (17) replayed. */
    make_cases(sa, cid, pid, 12, 24);
    assert_int_equal(council_index_rebuild(f->c, &st, 0), COUNCIL_OK);
    assert_int_equal(st.width, 18);
    setting_read(f->c, "blind_width", v, sizeof v, &n);
    setting_read(f->c, "blind_width_sig", s, sizeof s, &ns);
    setting_write(sb, "blind_width", v17, n17);
    setting_write(sb, "blind_width_sig", s17, ns17);
    assert_int_equal(council_case_find(sb, &out, "試験 太郎1", NULL), COUNCIL_ETAMPER);
    /* The setting removed: a store from before would hold 16-bit tokens only. */
    assert_int_equal(sqlite3_exec(sb->db, "DELETE FROM setting WHERE key IN ('blind_width', "
                                  "'blind_width_sig');", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(council_case_find(sb, &out, "試験 太郎1", NULL), COUNCIL_ETAMPER);
    /* A row of another width written outside the library. */
    setting_write(sb, "blind_width", v, n);
    setting_write(sb, "blind_width_sig", s, ns);
    all_found(sb, cid, pid, 24);
    assert_int_equal(sqlite3_exec(sb->db, "INSERT INTO blind_index (kind, token, case_id, person_id) "
                                  "VALUES (1, 5, x'00', x'00');", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(council_case_find(sb, &out, "試験 太郎1", NULL), COUNCIL_ETAMPER);
    assert_int_equal(sqlite3_exec(sb->db, "DELETE FROM blind_index WHERE case_id = x'00';", NULL,
                                  NULL, NULL), SQLITE_OK);
    all_found(sb, cid, pid, 24);
    council__blind_test_scale(0);
    council_close(sa);
    council_close(sb);
}

/* A store made before issue 17: its rows hold the 16-bit tokens
 * council__blind_token gives, and no width is set. They find as they did,
 * and a rebuild carries them to the new width. */
static void test_old_store(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    uint8_t cid[4][16], pid[4][16];
    council_index_state st;
    char *folded = NULL;
    uint32_t t = 0;
    sqlite3_stmt *ins;
    bool hit = false;

    make_cases(sa, cid, pid, 0, 4);
    /* Person 0's rows written as the previous release wrote them. */
    assert_int_equal(sqlite3_exec(f->c->db, "DELETE FROM blind_index;", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(council__name_fold(f->c, &folded, "試験 太郎0", strlen("試験 太郎0")), COUNCIL_OK);
    assert_int_equal(council__blind_token(f->c, &t, COUNCIL__BLIND_NAME, (const uint8_t *)folded,
                                          strlen(folded)), COUNCIL_OK);
    council__free(folded);
    assert_true(t < (1u << 16));
    assert_int_equal(sqlite3_prepare_v2(f->c->db, "INSERT INTO blind_index (kind, token, case_id, "
                                        "person_id) VALUES (1, ?1, ?2, ?3);", -1, &ins, NULL), SQLITE_OK);
    sqlite3_bind_int64(ins, 1, t);
    sqlite3_bind_blob(ins, 2, cid[0], 16, SQLITE_STATIC);
    sqlite3_bind_blob(ins, 3, pid[0], 16, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
    sqlite3_finalize(ins);
    assert_int_equal(find(sb, "試験 太郎0", NULL, cid[0], pid[0], &hit), 1);
    assert_true(hit);

    /* A row naming no case (written outside the library) does not hold the
     * rebuild up: it goes. */
    assert_int_equal(sqlite3_exec(f->c->db, "INSERT INTO blind_index (kind, token, case_id, person_id) "
                                  "VALUES (1, 7, x'0102030405060708090a0b0c0d0e0f10', "
                                  "x'0102030405060708090a0b0c0d0e0f10');", NULL, NULL, NULL), SQLITE_OK);
    /* Upgraded: the rebuild derives the case's tokens from its sections. */
    council__blind_test_scale(18);
    assert_int_equal(council_index_rebuild(f->c, &st, 0), COUNCIL_OK);
    assert_int_equal(st.width, 18); /* two entries, each counted as 2^18 */
    assert_int_equal(st.cases_done, 2);
    assert_int_equal(count(f->c, "SELECT count(*) FROM blind_index WHERE token = 7", NULL), 0);
    assert_int_equal(find(sb, "試験 太郎0", birth, cid[0], pid[0], &hit), 1);
    assert_true(hit);
    assert_int_equal(rows_below(f->c, (int64_t)18 << 32), 0);
    council__blind_test_scale(0);
    council_close(sa);
    council_close(sb);
}

/* A rebuild stopped part way (a budget of cases, then failed allocations
 * in its chunks) and resumed: finds stay exact throughout, and at the end
 * every person has its two tokens at the new width, none lost or doubled. */
#define MANY 150
static void test_interrupted_rebuild(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    static uint8_t cid[MANY][16], pid[MANY][16];
    council_index_state st;
    bool failed_once = false;

    make_cases(sa, cid, pid, 0, MANY);
    council__blind_test_scale(12);
    assert_int_equal(council_index_rebuild(f->c, &st, 70), COUNCIL_OK);
    assert_int_equal(st.cases_done, 70);
    assert_int_equal(st.old_width, 16);
    assert_int_equal(st.width, 19); /* 150 * 2^12 entries */
    assert_int_equal(rows_below(f->c, 1 << 16), 2 * (MANY - 70));
    all_found(sb, cid, pid, MANY);

    for (long k = 40; k < 4000 && st.old_width != 0; k *= 3) {
        int rc;
        council__fault_alloc_after(k);
        rc = council_index_rebuild(f->c, &st, 0);
        council__fault_alloc_after(-1);
        if (rc != COUNCIL_OK) {
            failed_once = true;
            assert_true(rc == COUNCIL_ENOMEM || rc == COUNCIL_EIO);
            assert_int_equal(count(f->c, "SELECT count(*) FROM blind_index", NULL), 2 * MANY);
            assert_int_equal(council_index_status(f->c, &st), COUNCIL_OK);
        }
    }
    assert_true(failed_once);
    all_found(sb, cid, pid, MANY);
    assert_int_equal(council_index_rebuild(f->c, &st, 0), COUNCIL_OK);
    assert_int_equal(st.old_width, 0);
    assert_int_equal(st.width, 19);
    assert_int_equal(count(f->c, "SELECT count(*) FROM blind_index", NULL), 2 * MANY);
    assert_int_equal(count(f->c, "SELECT count(*) FROM (SELECT DISTINCT kind, person_id FROM "
                               "blind_index)", NULL), 2 * MANY);
    assert_int_equal(rows_below(f->c, (int64_t)19 << 32), 0);
    all_found(sb, cid, pid, MANY);
    council__blind_test_scale(0);
    council_close(sa);
    council_close(sb);
}

/* The width sized for the index: between one and two false matches a
 * query expected, 16 to 32 bits. */
static void test_width_for(void **state)
{
    (void)state;
    council__blind_test_scale(0);
    assert_int_equal(council__blind_width_for(0), 16);
    assert_int_equal(council__blind_width_for(131072), 16);
    assert_int_equal(council__blind_width_for(131073), 17);
    assert_int_equal(council__blind_width_for(200000), 17); /* 100k persons, name and kana */
    assert_int_equal(council__blind_width_for(2000000), 20); /* 1M persons */
    assert_int_equal(council__blind_width_for(UINT64_MAX), 31);
    for (uint64_t n = 1u << 17; n < ((uint64_t)1 << 32); n = n * 3 / 2) {
        unsigned w = council__blind_width_for(n);
        double per = (double)n / (double)((uint64_t)1 << w);
        assert_true(per > 1.0 && per <= 2.0);
    }
    assert_int_equal(council__blind_trunc(0xabcdef12u, 16), 0xabcd);
    assert_int_equal(council__blind_trunc(0xabcdef12u, 20), 0xabcde);
    assert_int_equal(council__blind_trunc(0xabcdef12u, 32), 0xabcdef12u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_width_for),
        cmocka_unit_test_setup_teardown(test_width_grows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rebuild_keeps_merges_and_anonymity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forged_width, setup, teardown),
        cmocka_unit_test_setup_teardown(test_old_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupted_rebuild, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
