/* test_sections_read.c - council_sections_read(): many audited reads, one
 * durable commit (issue 17, item 2).
 *
 * The promise under test (DESIGN.md 3, log first): a read's content is
 * returned only after the commit that holds its event; in a batch, all or
 * nothing: a failed commit, a failed append or a refused item returns no
 * content of any read, and no event of the batch stays in the log but the
 * refusal's. Each read passes the checks of council_section_read() and
 * logs its own section_decrypted event. */
#include <stddef.h>

#include "case_fixture.h"
#include "schema.h"
#include "log.h"
#include "store.h"

#define PURPOSE "support_coordination"
#define DECRYPTED COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SECTION_DECRYPTED
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define REFUSED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED

static uint64_t log_size(council *c)
{
    uint64_t n = 0;

    assert_int_equal(council__audit_size(c, &n), COUNCIL_OK);
    return n;
}

static void ref(council_section_ref *r, const uint8_t cid[16], const uint8_t pid[16], const char *scope)
{
    r->case_id = cid;
    r->case_id_len = 16;
    r->person_id = pid;
    r->person_id_len = 16;
    r->scope = scope;
}

static void all_empty(const council_buf *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_null(out[i].ptr);
        assert_int_equal(out[i].len, 0);
    }
}

/* Two cases of member A, with situation and wishes written. */
static void two_cases(council *s, uint8_t cid[2][16], uint8_t pid[2][16])
{
    for (int i = 0; i < 2; i++) {
        randombytes_buf(cid[i], 16);
        randombytes_buf(pid[i], 16);
        new_case(s, cid[i], pid[i]);
        put(s, cid[i], pid[i], "situation", sec_text(i == 0 ? "状況その一" : "状況その二"), COUNCIL_OK);
        put(s, cid[i], pid[i], "wishes", sec_text(i == 0 ? "希望その一" : "希望その二"), COUNCIL_OK);
    }
}

static void test_reads(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sa, &f->ka);
    uint8_t cid[2][16], pid[2][16];
    council_section_ref refs[4];
    council_buf out[4], one = { NULL, 0 };
    static const char *const want[4] = { "状況その一", "希望その二", "状況その二", "状況その一" };
    uint64_t before;

    two_cases(s, cid, pid);
    ref(&refs[0], cid[0], pid[0], "situation");
    ref(&refs[1], cid[1], pid[1], "wishes");
    ref(&refs[2], cid[1], pid[1], "situation");
    ref(&refs[3], cid[0], pid[0], "situation"); /* the same section twice: read twice */
    before = log_size(f->c);
    assert_int_equal(council_sections_read(s, out, refs, 4, PURPOSE), COUNCIL_OK);
    /* One event for each read, in order, each as council_section_read's. */
    assert_int_equal(log_size(f->c), before + 4);
    for (size_t i = 0; i < 4; i++) {
        Council__V1__SectionRecord *r = council__v1__section_record__unpack(NULL, out[i].len, out[i].ptr);
        Council__V1__AuditEvent *e = event_at(f->c, before + i);
        uint8_t cref[32];

        assert_non_null(r);
        assert_string_equal(r->scope, refs[i].scope);
        assert_memory_equal(r->person_id.data, refs[i].person_id, 16);
        assert_string_equal(r->section->text, want[i]);
        council__v1__section_record__free_unpacked(r, NULL);
        assert_int_equal(e->action, DECRYPTED);
        assert_int_equal(e->outcome, ALLOWED);
        assert_string_equal(e->purpose, PURPOSE);
        assert_int_equal(e->n_scopes, 1);
        assert_string_equal(e->scopes[0], refs[i].scope);
        assert_int_equal(council__case_ref(f->c, cref, refs[i].case_id), COUNCIL_OK);
        assert_memory_equal(e->case_ref.data, cref, 32);
        assert_memory_equal(e->actor_staff.data, f->sa, 16);
        council__v1__audit_event__free_unpacked(e, NULL);
        /* The same bytes as a read on its own. */
        assert_int_equal(council_section_read(s, &one, refs[i].case_id, 16, refs[i].person_id, 16,
                                              refs[i].scope, PURPOSE), COUNCIL_OK);
        assert_int_equal(one.len, out[i].len);
        assert_memory_equal(one.ptr, out[i].ptr, one.len);
        council_buf_free(&one);
        council_buf_free(&out[i]);
    }
    /* One read is a batch of one. */
    assert_int_equal(council_sections_read(s, out, refs, 1, PURPOSE), COUNCIL_OK);
    assert_non_null(out[0].ptr);
    council_buf_free(&out[0]);
    /* The secretariat reads as council_section_read lets it. */
    assert_int_equal(council_sections_read(f->c, out, refs, 2, "statistics"), COUNCIL_OK);
    council_buf_free(&out[0]);
    council_buf_free(&out[1]);
    council_close(s);
}

/* Promise 3: a failed commit returns nothing of any read in the batch, and
 * none of its events stays in the log. */
static void test_commit_fails(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sa, &f->ka);
    uint8_t cid[2][16], pid[2][16];
    council_section_ref refs[3];
    council_buf out[3];
    uint64_t before;

    two_cases(s, cid, pid);
    ref(&refs[0], cid[0], pid[0], "situation");
    ref(&refs[1], cid[1], pid[1], "situation");
    ref(&refs[2], cid[1], pid[1], "wishes");
    before = log_size(f->c);
    council__commit_fault_after(0);
    memset(out, 0x5a, sizeof out);
    assert_int_equal(council_sections_read(s, out, refs, 3, PURPOSE), COUNCIL_EIO);
    council__commit_fault_after(-1);
    all_empty(out, 3);
    assert_int_equal(log_size(f->c), before);
    assert_int_equal(log_size(s), before);
    /* An append that fails half-way: nothing either. */
    council__audit_fault_after(1);
    assert_int_equal(council_sections_read(s, out, refs, 3, PURPOSE), COUNCIL_EIO);
    council__audit_fault_after(-1);
    all_empty(out, 3);
    assert_int_equal(log_size(f->c), before);
    /* And after the faults, the same batch reads. */
    assert_int_equal(council_sections_read(s, out, refs, 3, PURPOSE), COUNCIL_OK);
    assert_int_equal(log_size(f->c), before + 3);
    for (size_t i = 0; i < 3; i++) {
        assert_non_null(out[i].ptr);
        council_buf_free(&out[i]);
    }
    council_close(s);
}

/* A refused item refuses the batch: nothing returned, the refusal logged
 * (as council_section_read logs it), no allowed event of the batch kept. */
static void test_refused_item(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sa, &f->ka), *b = staff_open(f, f->sb, &f->kb);
    uint8_t cid[2][16], pid[2][16], zero[16] = { 0 };
    council_section_ref refs[3];
    council_buf out[3];
    Council__V1__AuditEvent *e;
    uint64_t before;

    two_cases(s, cid, pid);
    share(s, cid[0], f->mb, "situation", COUNCIL_OK);
    share(s, cid[1], f->mb, "situation", COUNCIL_OK);
    ref(&refs[0], cid[0], pid[0], "situation");
    ref(&refs[1], cid[1], pid[1], "situation");
    ref(&refs[2], cid[1], pid[1], "wishes"); /* not shared with B */
    assert_int_equal(council_sections_read(b, out, refs, 2, PURPOSE), COUNCIL_OK);
    council_buf_free(&out[0]);
    council_buf_free(&out[1]);
    before = log_size(f->c);
    assert_int_equal(council_sections_read(b, out, refs, 3, PURPOSE), COUNCIL_EDENIED);
    all_empty(out, 3);
    assert_int_equal(log_size(f->c), before + 1);
    e = event_at(f->c, before);
    assert_int_equal(e->action, DECRYPTED);
    assert_int_equal(e->outcome, REFUSED);
    assert_int_equal(e->error, COUNCIL_EDENIED);
    assert_string_equal(e->reason, "scope_not_shared");
    assert_string_equal(e->scopes[0], "wishes");
    assert_memory_equal(e->actor_member.data, f->mb, 16);
    council__v1__audit_event__free_unpacked(e, NULL);
    /* The refused item first: the same. */
    refs[0] = refs[2];
    ref(&refs[2], cid[0], pid[0], "situation");
    before = log_size(f->c);
    assert_int_equal(council_sections_read(b, out, refs, 3, PURPOSE), COUNCIL_EDENIED);
    all_empty(out, 3);
    assert_int_equal(log_size(f->c), before + 1);
    /* A section that does not exist, a person of another case: nothing
     * returned, nothing logged (as council_section_read). */
    ref(&refs[0], cid[0], pid[0], "situation");
    ref(&refs[1], cid[0], pid[0], "support_plan");
    before = log_size(f->c);
    assert_int_equal(council_sections_read(s, out, refs, 2, PURPOSE), COUNCIL_ENOTFOUND);
    all_empty(out, 2);
    ref(&refs[1], cid[0], pid[1], "situation");
    assert_int_equal(council_sections_read(s, out, refs, 2, PURPOSE), COUNCIL_ENOTFOUND);
    all_empty(out, 2);
    ref(&refs[1], zero, pid[0], "situation");
    assert_int_equal(council_sections_read(s, out, refs, 2, PURPOSE), COUNCIL_ENOTFOUND);
    all_empty(out, 2);
    assert_int_equal(log_size(f->c), before);
    /* An erased case: refused and logged (case_erased), nothing returned. */
    assert_int_equal(council_case_erase(f->c, cid[1], 16, "retention_expired"), COUNCIL_OK);
    ref(&refs[1], cid[1], pid[1], "situation");
    before = log_size(f->c);
    assert_int_equal(council_sections_read(s, out, refs, 2, PURPOSE), COUNCIL_EDENIED);
    all_empty(out, 2);
    assert_int_equal(log_size(f->c), before + 1);
    e = event_at(f->c, before);
    assert_int_equal(e->outcome, REFUSED);
    assert_string_equal(e->reason, "case_erased");
    council__v1__audit_event__free_unpacked(e, NULL);
    council_close(b);
    council_close(s);
}

/* Arguments: each refusal with its code, nothing logged, nothing returned. */
static void test_arguments(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sa, &f->ka);
    uint8_t cid[2][16], pid[2][16];
    council_section_ref refs[2], bad[2];
    council_buf out[2];
    uint64_t before;

    two_cases(s, cid, pid);
    ref(&refs[0], cid[0], pid[0], "situation");
    ref(&refs[1], cid[1], pid[1], "situation");
    before = log_size(f->c);
    assert_int_equal(council_sections_read(s, out, refs, 0, PURPOSE), COUNCIL_EINVAL);
    assert_int_equal(council_sections_read(s, out, refs, COUNCIL_SECTIONS_READ_MAX + 1, PURPOSE),
                     COUNCIL_EINVAL);
    assert_int_equal(council_sections_read(s, out, refs, SIZE_MAX, PURPOSE), COUNCIL_EINVAL);
    assert_int_equal(council_sections_read(s, out, NULL, 2, PURPOSE), COUNCIL_EINVAL);
    all_empty(out, 2);
    assert_int_equal(council_sections_read(s, NULL, refs, 2, PURPOSE), COUNCIL_EMISUSE);
    assert_int_equal(council_sections_read(NULL, out, refs, 2, PURPOSE), COUNCIL_EMISUSE);
    for (int k = 0; k < 5; k++) {
        memcpy(bad, refs, sizeof bad);
        switch (k) {
        case 0: bad[1].case_id = NULL; break;
        case 1: bad[1].person_id = NULL; break;
        case 2: bad[1].scope = NULL; break;
        case 3: bad[1].case_id_len = 15; break;
        default: bad[1].person_id_len = 17; break;
        }
        assert_int_equal(council_sections_read(s, out, bad, 2, PURPOSE), COUNCIL_EINVAL);
        all_empty(out, 2);
    }
    ref(&bad[1], cid[1], pid[1], "no_such_scope");
    assert_int_equal(council_sections_read(s, out, bad, 2, PURPOSE), COUNCIL_ENOTFOUND);
    all_empty(out, 2);
    assert_int_equal(council_sections_read(s, out, refs, 2, NULL), COUNCIL_EINVAL);
    assert_int_equal(council_sections_read(s, out, refs, 2, "other"), COUNCIL_EINVAL);
    assert_int_equal(council_sections_read(s, out, refs, 2, "chatting"), COUNCIL_EINVAL);
    all_empty(out, 2);
    /* Refused inside the caller's batch, like every read. */
    assert_int_equal(council_batch_begin(s), COUNCIL_OK);
    assert_int_equal(council_sections_read(s, out, refs, 2, PURPOSE), COUNCIL_EMISUSE);
    all_empty(out, 2);
    assert_int_equal(council_batch_commit(s), COUNCIL_OK);
    assert_int_equal(log_size(f->c), before);
    council_close(s);
}

/* ------------------------------------------------ migration 23 (log.c) */

static char *query_text(sqlite3 *db, const char *q)
{
    sqlite3_stmt *st = NULL;
    char *t;

    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    t = strdup(sqlite3_column_text(st, 0) != NULL ? (const char *)sqlite3_column_text(st, 0) : "");
    sqlite3_finalize(st);
    assert_non_null(t);
    return t;
}

/* The nodes of the tree of size n, in order, wherever stored. */
#define NODES_BELOW(n) "SELECT group_concat(level || ':' || idx || ':' || hex(hash), ',') FROM " \
    "(SELECT * FROM (SELECT level, idx, hash FROM audit_node UNION ALL SELECT level, idx, hash " \
    "FROM audit_node_v22) WHERE ((idx + 1) << level) <= " #n " ORDER BY level, idx);"

/* A store of the layout before migration 23 (the tree's nodes keyed by
 * (level, idx) in a WITHOUT ROWID table, the index on time) opens, keeps
 * every node (in audit_node_v22, read as before), proves what it proved,
 * and appends on in the new layout. */
static void test_migration_23(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sa, &f->ka);
    uint8_t cid[2][16], pid[2][16];
    council_section_ref refs[2];
    council_buf out[2], proofs[64], p = { NULL, 0 };
    char *before, *after, q[512];
    uint64_t size, i, np = 0;
    int64_t cnt;

    two_cases(s, cid, pid);
    ref(&refs[0], cid[0], pid[0], "situation");
    ref(&refs[1], cid[1], pid[1], "wishes");
    assert_int_equal(council_sections_read(s, out, refs, 2, PURPOSE), COUNCIL_OK);
    council_buf_free(&out[0]);
    council_buf_free(&out[1]);
    council_close(s);
    size = log_size(f->c);
    for (i = 0; i < size && np < 64; i += 3, np++)
        assert_int_equal(council_audit_prove_inclusion(f->c, &proofs[np], i, size), COUNCIL_OK);
    snprintf(q, sizeof q, NODES_BELOW(%llu), (unsigned long long)size);
    before = query_text(f->c->db, q);
    /* Back to the old layout. */
    assert_int_equal(sqlite3_exec(f->c->db,
        "BEGIN;"
        "CREATE TABLE audit_node_old (level INTEGER NOT NULL, idx INTEGER NOT NULL,"
        "  hash BLOB NOT NULL CHECK (length(hash) = 32), PRIMARY KEY (level, idx)) WITHOUT ROWID;"
        "INSERT INTO audit_node_old SELECT level, idx, hash FROM audit_node"
        "  UNION ALL SELECT level, idx, hash FROM audit_node_v22;"
        "DROP TABLE audit_node; DROP TABLE audit_node_v22;"
        "ALTER TABLE audit_node_old RENAME TO audit_node;"
        "CREATE INDEX audit_event_time ON audit_event (time);"
        "COMMIT;", NULL, NULL, NULL), SQLITE_OK);
    /* Migration 23 alone, as an open of that store runs it (later
     * migrations are already there). */
    assert_non_null(council__schema_migration(23));
    assert_int_equal(sqlite3_exec(f->c->db, council__schema_migration(23)->sql, NULL, NULL, NULL),
                     SQLITE_OK);
    council_close(f->c);
    f->c = NULL;
    /* Opened: migrated (the open checks the tree against the signed head). */
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    after = query_text(f->c->db, q);
    assert_string_equal(before, after);
    free(after);
    /* The old nodes stay where they were; the new ones (this open's event)
     * are in the new table, keyed by where they were made. */
    snprintf(q, sizeof q, "SELECT count(*) FROM audit_node_v22 WHERE ((idx + 1) << level) > %llu;",
             (unsigned long long)size);
    after = query_text(f->c->db, q);
    assert_string_equal(after, "0");
    free(after);
    snprintf(q, sizeof q, "SELECT count(*) FROM audit_node WHERE ((idx + 1) << level) <= %llu OR "
             "k != ((((idx + 1) << level) << 6) | level);", (unsigned long long)size);
    after = query_text(f->c->db, q);
    cnt = (int64_t)atoll(after);
    assert_int_equal(cnt, 0);
    free(after);
    after = query_text(f->c->db, "SELECT count(*) FROM audit_node;");
    assert_true(atoll(after) > 0);
    free(after);
    after = query_text(f->c->db, "SELECT count(*) FROM sqlite_schema WHERE name = 'audit_event_time';");
    assert_string_equal(after, "0");
    free(after);
    after = query_text(f->c->db, "SELECT max(version) FROM schema_version;");
    assert_int_equal(atoi(after), (int)council__schema_version());
    free(after);
    for (i = 0; i < np; i++) {
        assert_int_equal(council_audit_prove_inclusion(f->c, &p, i * 3, size), COUNCIL_OK);
        assert_int_equal(p.len, proofs[i].len);
        assert_memory_equal(p.ptr, proofs[i].ptr, p.len);
        council_buf_free(&p);
        council_buf_free(&proofs[i]);
    }
    /* And the log goes on. */
    s = staff_open(f, f->sa, &f->ka);
    assert_int_equal(council_sections_read(s, out, refs, 2, PURPOSE), COUNCIL_OK);
    council_buf_free(&out[0]);
    council_buf_free(&out[1]);
    council_close(s);
    assert_int_equal(council_audit_prove_consistency(f->c, &p, size, log_size(f->c)), COUNCIL_OK);
    council_buf_free(&p);
    free(before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_item, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration_23, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
