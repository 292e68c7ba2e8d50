/*
 * test_faults.c - the findings of the fault sweep (tests/sweep_faults.c,
 * issue 18) held in place one by one: a single SQLite step (or rename)
 * failed on purpose, chosen by its statement, and what the operation must
 * then do. Linked with --wrap=sqlite3_step,--wrap=rename (see the
 * Makefile): the library's calls go through the hooks below, which pass
 * everything through unless armed.
 */
#include "case_fixture.h"
#include "council/v1/bundle.pb-c.h"
#include "blind.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "keyring.h"

#define ACT_TAMPER COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_TAMPER_DETECTED
#define ACT_REFUSED_SESSION COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_REFUSED

/* --------------------------------------------------------------- hooks */

/* Fail the (skip+1)th step of a statement whose SQL holds `fail_sql`. */
static const char *fail_sql;
static long fail_skip;
static int fail_fired;

int __real_sqlite3_step(sqlite3_stmt *st);
int __wrap_sqlite3_step(sqlite3_stmt *st);
int __wrap_sqlite3_step(sqlite3_stmt *st)
{
    const char *sql = sqlite3_sql(st);

    if (fail_sql != NULL && sql != NULL && strstr(sql, fail_sql) != NULL) {
        if (fail_skip == 0) {
            fail_sql = NULL;
            fail_fired++;
            return SQLITE_IOERR;
        }
        fail_skip--;
    }
    return __real_sqlite3_step(st);
}

/* Fail the COMMIT that ends a plain read transaction ("BEGIN;"), when
 * armed. */
static int fail_read_commit; /* 1: armed; 2: a "BEGIN;" seen */

int __real_sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **),
                        void *arg, char **err);
int __wrap_sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **),
                        void *arg, char **err);
int __wrap_sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **),
                        void *arg, char **err)
{
    if (fail_read_commit == 1 && strcmp(sql, "BEGIN;") == 0)
        fail_read_commit = 2;
    else if (fail_read_commit == 2 && strcmp(sql, "COMMIT;") == 0) {
        fail_read_commit = 0;
        fail_fired++;
        return SQLITE_FULL;
    }
    return __real_sqlite3_exec(db, sql, cb, arg, err);
}


/* Fail the (skip+1)th rename whose target ends in `fail_rename`. */
static const char *fail_rename;
static long rename_skip;

int __real_rename(const char *a, const char *b);
int __wrap_rename(const char *a, const char *b);
int __wrap_rename(const char *a, const char *b)
{
    size_t n = fail_rename != NULL ? strlen(fail_rename) : 0, m = strlen(b);

    if (fail_rename != NULL && m >= n && strcmp(b + m - n, fail_rename) == 0) {
        if (rename_skip == 0) {
            fail_rename = NULL;
            fail_fired++;
            errno = EIO;
            return -1;
        }
        rename_skip--;
    }
    return __real_rename(a, b);
}

/* Fail the (skip+1)th fsync(2) of the library (a directory's only, when
 * fsync_dirs_only). */
static long fsync_skip = -1;
static bool fsync_dirs_only;

int __real_fsync(int fd);
int __wrap_fsync(int fd);
int __wrap_fsync(int fd)
{
    struct stat sb;

    if (fsync_skip >= 0 && (!fsync_dirs_only || (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)))) {
        if (fsync_skip == 0) {
            fsync_skip = -1;
            fail_fired++;
            errno = EIO;
            return -1;
        }
        fsync_skip--;
    }
    return __real_fsync(fd);
}

static void arm_step(const char *sql, long skip)
{
    fail_sql = sql;
    fail_skip = skip;
    fail_fired = 0;
}

static void disarm(void)
{
    fail_sql = NULL;
    fail_rename = NULL;
    fsync_skip = -1;
    fail_read_commit = 0;
}

static void arm_rename(const char *target, long skip)
{
    fail_rename = target;
    rename_skip = skip;
    fail_fired = 0;
}

/* ------------------------------------------------------------- helpers */

static int64_t count_events(council *c, int action)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;

    assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT count(*) FROM audit_event WHERE "
                                               "?1 = 0 OR action = ?1;", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int(st, 1, action);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int staff_try(fx *f, council **out, const uint8_t staff_id[16], const council_buf *kf)
{
    council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;

    o.passphrase = (const uint8_t *)MPASS;
    o.passphrase_len = strlen(MPASS);
    o.staff_id = staff_id;
    o.staff_id_len = 16;
    o.keyfile = kf->ptr;
    o.keyfile_len = kf->len;
    *out = NULL;
    return council_open(out, f->store, &o);
}

/* --------------------------------------------------------------- tests */

/* open: a read of the stored tree that fails while the log head is
 * advanced is a database error, not a rewritten log: no tamper finding
 * (sweep: open, step faults 35..46). */
static void test_open_tree_read_is_no_finding(void **state)
{
    fx *f = *state;

    for (long k = 0; k < 40; k++) {
        council *h = NULL;
        arm_step("FROM audit_node", k);
        (void)th_open(&h, f->store, TH_PASS);
        disarm();
        council_close(h);
        assert_int_equal(count_events(f->c, ACT_TAMPER), 0);
        if (fail_fired == 0)
            break; /* every read of this open was passed */
    }
}

/* case_create: the owner's keys unread is EIO, not an "owner without
 * keys" refusal on the record (sweep: case_create, step fault 9;
 * batch_commit, step fault 15). */
static void test_case_create_register_read(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sa, &f->ka);
    council_case_options o = COUNCIL_CASE_OPTIONS_INIT;
    uint8_t cid[16], pid[16];
    int64_t n = count_events(f->c, 0);

    arm_step("SELECT withdrawn IS NULL, box_pk FROM member", 0);
    assert_int_equal(council_case_create(s, cid, 16, pid, 16, &o), COUNCIL_EIO);
    disarm();
    assert_int_equal(fail_fired, 1);
    assert_int_equal(count_events(f->c, 0), n);
    council_close(s);
}

/* section_write (and revoke, case_rekey): a key version's signer whose
 * key cannot be read is EIO, not a forged key version on the record
 * (sweep: section_write 17, revoke 19, case_rekey 9). */
static void test_key_version_signer_read(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sa, &f->ka);
    uint8_t cid[16], pid[16];
    int64_t n;

    new_case(s, cid, pid);
    put(s, cid, pid, "situation", sec_text("first"), COUNCIL_OK);
    council_close(s);
    s = staff_open(f, f->sa, &f->ka); /* nothing verified yet */
    n = count_events(f->c, 0);
    arm_step("SELECT sign_pk, sign_sig FROM member_key_sig", 0);
    put(s, cid, pid, "situation", sec_text("second"), COUNCIL_EIO);
    disarm();
    assert_int_equal(fail_fired, 1);
    assert_int_equal(count_events(f->c, 0), n);
    assert_int_equal(count_events(f->c, ACT_TAMPER), 0);
    put(s, cid, pid, "situation", sec_text("second"), COUNCIL_OK);
    council_close(s);
}

/* share: the recipient's key unread is EIO, not "recipient_key_unsigned"
 * on the record (sweep: share, step fault 12). */
static void test_share_recipient_key_read(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sa, &f->ka);
    uint8_t cid[16], pid[16];
    int64_t n;

    new_case(s, cid, pid);
    put(s, cid, pid, "wishes", sec_text("wishes"), COUNCIL_OK);
    n = count_events(f->c, 0);
    arm_step("SELECT box_pk, sig FROM member_key_sig", 0);
    share(s, cid, f->mb, "wishes", COUNCIL_EIO);
    disarm();
    assert_int_equal(fail_fired, 1);
    assert_int_equal(count_events(f->c, 0), n);
    share(s, cid, f->mb, "wishes", COUNCIL_OK);
    council_close(s);
}

/* A staff session: the pledges or its sealed keys unread is EIO, not a
 * session refused for "no pledge" (which ends it) nor one without its
 * keys (sweep: open_staff, step faults 5, 17, 19). */
static void test_staff_open_reads(void **state)
{
    fx *f = *state;
    static const char *const reads[] = { "FROM pledge", "FROM member_secret WHERE member_id" };

    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        council *s = NULL;
        int64_t refused = count_events(f->c, ACT_REFUSED_SESSION);
        arm_step(reads[i], 0);
        assert_int_equal(staff_try(f, &s, f->sa, &f->ka), COUNCIL_EIO);
        disarm();
        assert_int_equal(fail_fired, 1);
        council_close(s);
        assert_int_equal(count_events(f->c, ACT_REFUSED_SESSION), refused);
    }
}

/* rekey_database: a member's key that cannot be read stops the re-key
 * (EIO) instead of costing the member its copy of the database key
 * (sweep: rekey_database, step fault 6: member A's staff no longer opened
 * after a re-key that reported success). */
static void test_rekey_member_key_read(void **state)
{
    fx *f = *state;
    council *s = NULL;

    arm_step("SELECT box_pk FROM member WHERE withdrawn IS NULL", 0);
    assert_int_equal(council_rekey_database(f->c), COUNCIL_EIO);
    disarm();
    assert_int_equal(fail_fired, 1);
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(staff_try(f, &s, f->sa, &f->ka), COUNCIL_OK);
    council_close(s);
    assert_int_equal(council_rekey_database(f->c), COUNCIL_OK);
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(staff_try(f, &s, f->sa, &f->ka), COUNCIL_OK);
    council_close(s);
}

static size_t entries_of(fx *f, const uint8_t id[16])
{
    council__keyring *kr = calloc(1, sizeof *kr);
    size_t n;

    assert_non_null(kr);
    assert_int_equal(council__keyring_load(f->c, kr, f->c->dir), COUNCIL_OK);
    n = council__keyring_member_entries(kr, id);
    free(kr);
    return n;
}

static int keygen_a(fx *f, council_buf *kf)
{
    return council_member_keygen(f->c, kf, f->ma, 16, (const uint8_t *)MPASS, strlen(MPASS),
                                 TH_OPS, TH_MEM);
}

/* The replacement armed to fail fails, and member A's old keys stand. */
static void keygen_refused(fx *f)
{
    council_buf kf = { NULL, 0 };
    council *s = NULL;

    assert_int_equal(keygen_a(f, &kf), COUNCIL_EIO);
    disarm();
    assert_int_equal(fail_fired, 1);
    assert_null(kf.ptr);
    assert_int_equal(entries_of(f, f->ma), 1);
    assert_int_equal(staff_try(f, &s, f->sa, &f->ka), COUNCIL_OK);
    council_close(s);
}

/* A key replacement is all or nothing (sweep: member_keygen_replace, the
 * keys went on record and the call failed on the keyring, the new keyfile
 * freed: the member locked out). */
static void test_keygen_all_or_nothing(void **state)
{
    fx *f = *state;
    council_buf kf = { NULL, 0 };
    council *s = NULL;

    /* 1. the keyring cannot take the new entry: nothing changes */
    arm_rename("council.keyring", 0);
    keygen_refused(f);
    /* 2. the keys cannot go on record: the new entry is taken out again,
     * the old keyfile still opens */
    arm_step("INSERT OR REPLACE INTO member_key_sig", 0);
    keygen_refused(f);

    /* 3. on record, then the old entry cannot be dropped: the call
     * succeeds, the new keyfile opens, the old one no longer does, and the
     * next root open keeps the one entry on record */
    arm_rename("council.keyring", 1);
    assert_int_equal(keygen_a(f, &kf), COUNCIL_OK);
    disarm();
    assert_int_equal(fail_fired, 1);
    assert_non_null(kf.ptr);
    assert_int_equal(entries_of(f, f->ma), 2);
    assert_int_equal(staff_try(f, &s, f->sa, &kf), COUNCIL_OK);
    council_close(s);
    assert_int_not_equal(staff_try(f, &s, f->sa, &f->ka), COUNCIL_OK);
    council_close(s);
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(entries_of(f, f->ma), 1);
    assert_int_equal(staff_try(f, &s, f->sa, &kf), COUNCIL_OK);
    council_close(s);
    council_buf_free(&kf);
}

/* The keyring holds at most two entries a member (the second only while
 * its keys are replaced): a third does not parse. */
static void test_keyring_two_entries_at_most(void **state)
{
    fx *f = *state;
    council__keyring *kr = calloc(1, sizeof *kr), *back = calloc(1, sizeof *back);
    council_buf b = { NULL, 0 };

    assert_non_null(kr);
    assert_non_null(back);
    assert_int_equal(council__keyring_load(f->c, kr, f->c->dir), COUNCIL_OK);
    for (int copies = 2; copies <= 3; copies++) {
        size_t a = kr->n_members;
        for (size_t i = 0; i < kr->n_members; i++)
            if (memcmp(kr->members[i].member_id, f->ma, 16) == 0)
                a = i;
        assert_true(a < kr->n_members);
        kr->members[kr->n_members++] = kr->members[a]; /* one more copy */
        assert_int_equal(council__keyring_member_entries(kr, f->ma), (size_t)copies);
        assert_int_equal(council__keyring_serialize(f->c, &b, kr), COUNCIL_OK);
        assert_int_equal(council__keyring_parse(f->c, back, b.ptr, b.len),
                         copies == 2 ? COUNCIL_OK : COUNCIL_EFORMAT);
        council_buf_free(&b);
    }
    free(kr);
    free(back);
}

/* audit_export: an fsync that fails (the file's or the directory's) leaves
 * no export behind (sweep: export, fsync fault 4: the export stayed after
 * its directory failed to sync; a failed flush left the FILE open). */
static void test_export_fsync(void **state)
{
    fx *f = *state;
    char path[512];

    for (long k = 0; k < 16; k++) {
        int rc;
        snprintf(path, sizeof path, "%s/export-%ld.cax", f->root, k);
        fail_fired = 0;
        fsync_skip = k;
        fsync_dirs_only = false;
        rc = council_audit_export(f->c, path);
        disarm();
        if (rc != COUNCIL_OK)
            assert_int_not_equal(access(path, F_OK), 0);
        else
            assert_int_equal(access(path, F_OK), 0);
        if (fail_fired == 0)
            break; /* every fsync of an export was passed */
        /* (the log head's keyring write may fail and be done at the next
         * open: the export then stands) */
    }
    assert_int_equal(fail_fired, 0);
}

/* report: every allocation failing in turn is an error with its message
 * (sweep: report, alloc fault 227: the grand total hidden again across
 * the three case tables returned ENOMEM with no message). */
static void test_report_alloc(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sa, &f->ka);
    uint8_t cid[16], pid[16];
    long n;

    /* one case, shared: small cells, the grand total hidden */
    new_case(s, cid, pid);
    put(s, cid, pid, "situation", sec_text("situation"), COUNCIL_OK);
    put(s, cid, pid, "wishes", sec_text("wishes"), COUNCIL_OK);
    share(s, cid, f->mb, "situation", COUNCIL_OK);
    council_close(s);
    for (n = 0; n < 100000; n++) {
        council_buf out = { NULL, 0 };
        int rc;
        council__clear(f->c); /* no message left from the last run */
        council__fault_alloc_after(n);
        rc = council_report_platform(f->c, &out, 0, COUNCIL_REPORT_JSON);
        council__fault_alloc_after(-1);
        if (rc == COUNCIL_OK) {
            council_buf_free(&out);
            break;
        }
        assert_null(out.ptr);
        assert_string_not_equal(council_errmsg(f->c), "not an error");
        assert_true(council_errmsg(f->c)[0] != '\0');
    }
    assert_true(n > 64);
}

/* council.keyring replaced but its directory not synced: the keyring as it
 * was is put back and the call fails, so the caller's "not changed" is
 * true (sweep: passphrase_change and audit_head_reset, fsync fault 2: the
 * new passphrase stood after an error). */
static void test_keyring_dir_sync(void **state)
{
    fx *f = *state;
    static const char np[] = "a new passphrase";
    council *h = NULL;
    council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;

    fail_fired = 0;
    fsync_skip = 0;
    fsync_dirs_only = true;
    assert_int_equal(council_passphrase_change(f->c, (const uint8_t *)TH_PASS, strlen(TH_PASS),
                                               (const uint8_t *)np, strlen(np), TH_OPS, TH_MEM),
                     COUNCIL_EIO);
    disarm();
    fsync_dirs_only = false;
    assert_int_equal(fail_fired, 1);
    assert_non_null(strstr(council_errmsg(f->c), "sync"));
    o.passphrase = (const uint8_t *)np;
    o.passphrase_len = strlen(np);
    assert_int_not_equal(council_open(&h, f->store, &o), COUNCIL_OK);
    council_close(h);
    h = NULL;
    assert_int_equal(th_open(&h, f->store, TH_PASS), COUNCIL_OK);
    council_close(h);
}

/* ---------------------------------- issue 18, sweep_ops_misc's findings */

/* member_update: once the update is committed the call says so; the role
 * keys that follow it in council.keyring are not a reason to report a
 * failure that left the update standing (sweep: member_update, step fault
 * 12). Without a role change nothing follows; with one, a failure there
 * is left to the next open of the council passphrase. */
static void test_member_update_after_commit(void **state)
{
    fx *f = *state;
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;
    static const char *const sc[] = { "situation", "wishes", "support_plan" };
    int64_t n;

    o.name = "NPO B (renamed)";
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_NPO;
    o.scopes = sc;
    o.n_scopes = 3;
    for (int with_role = 0; with_role < 2; with_role++) {
        o.roles = with_role ? COUNCIL_ROLE_COORDINATING_BODY : 0;
        n = count_events(f->c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_MEMBER_UPDATED);
        /* the register read the role keys start with */
        arm_step("SELECT id, box_pk, sign_pk, roles FROM member WHERE withdrawn", 0);
        assert_int_equal(council_member_update(f->c, f->mb, 16, &o), COUNCIL_OK);
        disarm();
        assert_int_equal(fail_fired, with_role);
        assert_int_equal(count_events(f->c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_MEMBER_UPDATED),
                         n + 1);
    }
    /* the role's keys follow at the next open */
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
}

/* meeting_add_item: the share the item makes and the item's rows stand
 * together or not at all (sweep: meeting_add_item, exec fault 3: the share
 * was committed before the items' transaction began). */
static void test_meeting_item_one_transaction(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sa, &f->ka);
    council_meeting_options mo = COUNCIL_MEETING_OPTIONS_INIT;
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    council_agenda_options ao = COUNCIL_AGENDA_OPTIONS_INIT;
    static const char *const sc[] = { "wishes" };
    uint8_t cid[16], pid[16], mid[16];
    int64_t n, shares;

    new_case(s, cid, pid);
    put(s, cid, pid, "wishes", sec_text("wishes"), COUNCIL_OK);
    mo.body = COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL;
    mo.starts = (int64_t)time(NULL) - 60;
    mo.ends = (int64_t)time(NULL) + 3600;
    mo.attendees = f->mb;
    mo.n_attendees = 1;
    assert_int_equal(council_meeting_create(f->c, mid, 16, &mo), COUNCIL_OK);
    so.scopes = sc;
    so.n_scopes = 1;
    so.purpose = "meeting_discussion";
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "要保護の判断のため";
    ao.share = &so;
    n = count_events(f->c, 0);
    shares = count(f->c, "SELECT count(*) FROM case_share;", NULL);
    arm_step("INTO meeting_item", 0);
    assert_int_equal(council_meeting_add_item(f->c, mid, 16, cid, 16, f->mb, 16, &ao), COUNCIL_EIO);
    disarm();
    assert_int_equal(fail_fired, 1);
    assert_int_equal(count_events(f->c, 0), n);
    assert_int_equal(count(f->c, "SELECT count(*) FROM case_share;", NULL), shares);
    assert_int_equal(council_meeting_add_item(f->c, mid, 16, cid, 16, f->mb, 16, &ao), COUNCIL_OK);
    assert_int_equal(count(f->c, "SELECT count(*) FROM case_share;", NULL), shares + 1);
    council_close(s);
}

/* audit_head_reset: the log read again from its bytes before the reset is
 * on the record, in the reset's transaction: a read that fails is EIO with
 * no "log head reset" standing (and no finding); the reset is then made
 * once (sweep: audit_head_reset, alloc fault 1, step faults 1..6: the
 * reset's event was committed first, the head then not replaced). */
static void test_head_reset_read_first(void **state)
{
    fx *f = *state;
    const int reset = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_LOG_HEAD_RESET;
    int64_t tamper = count_events(f->c, ACT_TAMPER);

    arm_step("SELECT seq, body FROM audit_event WHERE seq >= ?1", 3);
    assert_int_equal(council_audit_head_reset(f->c, "restored_from_backup"), COUNCIL_EIO);
    disarm();
    assert_int_equal(fail_fired, 1);
    assert_int_equal(count_events(f->c, reset), 0);
    assert_int_equal(count_events(f->c, ACT_TAMPER), tamper);
    assert_int_equal(council_audit_head_reset(f->c, "restored_from_backup"), COUNCIL_OK);
    assert_int_equal(count_events(f->c, reset), 1);
    {
        council_buf note = { NULL, 0 };
        assert_int_equal(council_audit_checkpoint(f->c, &note), COUNCIL_OK);
        council_buf_free(&note);
    }
}

/* index_rebuild: the state it hands back is the one it committed; no read
 * after the last chunk's commit can fail a rebuild that is done (sweep:
 * index_rebuild, step fault 75). The steps counting the index in one
 * state read are counted (an index_status); a rebuild reads the state
 * once first, and the step after those (where a read after the last
 * commit would count the index again) is failed: the rebuild is done and
 * must say so. */
#define COUNT_INDEX "SELECT count(*) FROM blind_index WHERE kind = 1"
static void named_cases(council *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        uint8_t cid[16], pid[16];
        char nm[64];
        snprintf(nm, sizeof nm, "試験 次郎%zu", i);
        new_case(s, cid, pid);
        put(s, cid, pid, "identity", sec_identity(nm, "1970-01-02"), COUNCIL_OK);
    }
}
static void test_index_rebuild_final_read(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sa, &f->ka);
    council_index_state st;
    long per_read;

    council__blind_test_scale(14); /* an entry counts as 16,384 */
    named_cases(s, 0, 12);
    arm_step(COUNT_INDEX, 100000);
    assert_int_equal(council_index_status(f->c, &st), COUNCIL_OK);
    per_read = 100000 - fail_skip;
    disarm();
    assert_true(per_read > 0);
    assert_int_equal(st.width, 16);
    assert_int_equal(st.wanted_width, 17);
    arm_step(COUNT_INDEX, per_read);
    assert_int_equal(council_index_rebuild(f->c, &st, 0), COUNCIL_OK);
    disarm();
    assert_int_equal(st.width, 17);
    assert_int_equal(st.old_width, 0);
    assert_int_equal(st.cases_done, 12);
    assert_int_equal(st.entries, 12);
    assert_int_equal(council_index_status(f->c, &st), COUNCIL_OK);
    assert_int_equal(st.width, 17);
    assert_int_equal(st.old_width, 0);
    council__blind_test_scale(0);
    council_close(s);
}

/* intake: the result is packed into a buffer taken before the intake
 * commits; an allocation failing at any point leaves either no intake and
 * no buffer, or the intake and its result (sweep: intake_import, alloc
 * fault 19: the case, its sections and consent committed, then ENOMEM). */
static void test_intake_result_after_commit(void **state)
{
    fx *f = *state;
    Council__V1__IntakeBundle ib = COUNCIL__V1__INTAKE_BUNDLE__INIT;
    council_intake_options o = COUNCIL_INTAKE_OPTIONS_INIT;
    char *scopes[1] = { (char *)(uintptr_t)"situation" };
    uint8_t buf[512];
    size_t n;
    long k;

    ib.referrer_org = (char *)(uintptr_t)"チャット相談";
    ib.contact_channel = (char *)(uintptr_t)"chat";
    ib.situation = (char *)(uintptr_t)"匿名の相談";
    ib.consented_scopes = scopes;
    ib.n_consented_scopes = 1;
    ib.consent_method = (char *)(uintptr_t)"written";
    n = council__v1__intake_bundle__get_packed_size(&ib);
    assert_true(n <= sizeof buf);
    council__v1__intake_bundle__pack(&ib, buf);
    o.owner = f->ma;
    o.owner_len = 16;
    for (k = 0; k < 10000; k++) {
        council_buf out = { NULL, 0 };
        int64_t cases = count(f->c, "SELECT count(*) FROM case_record", NULL);
        int64_t consents = count(f->c, "SELECT count(*) FROM consent", NULL);
        int rc;

        council__fault_alloc_after(k);
        rc = council_intake_import(f->c, &out, buf, n, &o);
        council__fault_alloc_after(-1);
        if (rc == COUNCIL_OK) {
            assert_non_null(out.ptr);
            assert_int_equal(count(f->c, "SELECT count(*) FROM case_record", NULL), cases + 1);
            council_buf_free(&out);
            break;
        }
        assert_null(out.ptr);
        assert_int_equal(count(f->c, "SELECT count(*) FROM case_record", NULL), cases);
        assert_int_equal(count(f->c, "SELECT count(*) FROM consent", NULL), consents);
    }
    assert_true(k > 0 && k < 10000);
}


/* bundle_checkpoint: the stored checkpoints unread is EIO, not "none
 * usable", which signed another checkpoint (an event more) and sent this
 * node a tree other than the one the others cosign (sweep:
 * bundle_checkpoint, step faults 4..7). */
static int64_t count_checkpoints(council *c)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;

    assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT count(*) FROM audit_checkpoint;", -1, &st,
                                        NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void test_bundle_checkpoint_reads(void **state)
{
    fx *f = *state;
    static const char *const reads[] = { "SELECT size FROM audit_checkpoint WHERE time",
                                         "SELECT note FROM audit_checkpoint WHERE size" };
    council_bundle_options o = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf cp = { NULL, 0 }, b = { NULL, 0 };
    int64_t n, k;

    assert_int_equal(council_audit_checkpoint(f->c, &cp), COUNCIL_OK);
    council_buf_free(&cp);
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        n = count_events(f->c, 0);
        k = count_checkpoints(f->c);
        arm_step(reads[i], 0);
        assert_int_equal(council_bundle_checkpoint(f->c, &b, f->mb, 16, 0, &o), COUNCIL_EIO);
        disarm();
        assert_int_equal(fail_fired, 1);
        assert_null(b.ptr);
        assert_int_equal(count_events(f->c, 0), n);
        assert_int_equal(count_checkpoints(f->c), k);
    }
    /* unarmed: the stored one is sent, none signed */
    k = count_checkpoints(f->c);
    assert_int_equal(council_bundle_checkpoint(f->c, &b, f->mb, 16, 0, &o), COUNCIL_OK);
    council_buf_free(&b);
    assert_int_equal(count_checkpoints(f->c), k);
}

/* bundle_revocations: the rows of the bundles sent, cut short by a step
 * that fails, are EIO, not a shorter list (an item the member must delete
 * left out) nor "nothing to revoke" (sweep: bundle_revocations, step
 * faults 5..). */
static void test_bundle_revocations_sent_read(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sa, &f->ka);
    council_bundle_options o = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf b = { NULL, 0 };
    const char *sc[1] = { "situation" };
    uint8_t cid[16], pid[16];
    int64_t n;

    new_case(s, cid, pid);
    put(s, cid, pid, "situation", sec_text("situation"), COUNCIL_OK);
    share(s, cid, f->mb, "situation", COUNCIL_OK);
    o.basis = "appi_27_1_4_public_duty";
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, &o), COUNCIL_OK);
    council_buf_free(&b);
    assert_int_equal(council_case_revoke(s, cid, 16, f->mb, 16, sc, 1, "support_ended"),
                     COUNCIL_OK);
    o.basis = NULL;
    n = count_events(f->c, 0);
    arm_step("FROM bundle_sent WHERE member_id", 0);
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &o), COUNCIL_EIO);
    disarm();
    assert_int_equal(fail_fired, 1);
    assert_null(b.ptr);
    assert_int_equal(count_events(f->c, 0), n);
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &o), COUNCIL_OK);
    council_buf_free(&b);
    council_close(s);
}

/* bundle_import: memory failing while the bundle is parsed is ENOMEM with
 * nothing on the record, not a "bundle_format" refusal of a good bundle
 * (sweep: bundle_import_answer, alloc fault 1). */
static void test_bundle_import_parse_memory(void **state)
{
    fx *f = *state;
    council_bundle_options o = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf cp = { NULL, 0 }, b = { NULL, 0 }, out = { NULL, 0 };
    Council__V1__IntakeBundle in = COUNCIL__V1__INTAKE_BUNDLE__INIT;
    council_node *n = NULL;
    char *dir = th_path(f->root, "node-b");
    uint8_t pb[256];
    size_t len;
    int64_t k;

    assert_int_equal(council_node_init(&n, dir, f->kb.ptr, f->kb.len, (const uint8_t *)MPASS,
                                       strlen(MPASS)), COUNCIL_OK);
    assert_int_equal(council_bundle_checkpoint(f->c, &cp, f->mb, 16, 0, &o), COUNCIL_OK);
    assert_int_equal(council_node_import(n, NULL, cp.ptr, cp.len), COUNCIL_OK);
    in.referrer_org = (char *)(uintptr_t)"hotline";
    in.contact_channel = (char *)(uintptr_t)"phone";
    in.situation = (char *)(uintptr_t)"lives alone";
    len = council__v1__intake_bundle__pack(&in, pb);
    assert_int_equal(council_node_send(n, &b, COUNCIL_BUNDLE_TYPE_INTAKE, pb, len, &o),
                     COUNCIL_OK);
    k = count_events(f->c, 0);
    council__fault_alloc_after(0);
    assert_int_equal(council_bundle_import(f->c, &out, b.ptr, b.len), COUNCIL_ENOMEM);
    council__fault_alloc_after(-1);
    assert_null(out.ptr);
    assert_int_equal(count_events(f->c, 0), k);
    assert_int_equal(council_bundle_import(f->c, &out, b.ptr, b.len), COUNCIL_OK);
    council_buf_free(&out);
    council_buf_free(&b);
    council_buf_free(&cp);
    council_node_close(n);
    free(dir);
}

/* An export whose read transaction's COMMIT fails ends that transaction
 * all the same: left open, every later write of the handle failed (sweep:
 * node_audit_export, exec fault 6; the node's export shares the frames). */
static void test_export_read_commit(void **state)
{
    fx *f = *state;
    char *path = th_path(f->root, "commit.cax");
    council_buf cp = { NULL, 0 };

    int rc;

    fail_fired = 0;
    fail_read_commit = 1;
    rc = council_audit_export(f->c, path);
    disarm();
    assert_true(rc == COUNCIL_OK || rc == COUNCIL_EIO);
    assert_int_equal(fail_fired, 1);
    assert_int_equal(council_audit_checkpoint(f->c, &cp), COUNCIL_OK);
    council_buf_free(&cp);
    free(path);
}


int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_tree_read_is_no_finding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_create_register_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_version_signer_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_share_recipient_key_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_open_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rekey_member_key_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keygen_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyring_two_entries_at_most, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_fsync, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_alloc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyring_dir_sync, setup, teardown),
        cmocka_unit_test_setup_teardown(test_member_update_after_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_meeting_item_one_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_reset_read_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_rebuild_final_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intake_result_after_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundle_checkpoint_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundle_revocations_sent_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundle_import_parse_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_read_commit, setup, teardown),
    };

    if (council_global_init() != COUNCIL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
