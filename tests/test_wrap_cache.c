/* test_wrap_cache.c - issue 17, wraps: wrapped data keys of format 2, the
 * session's caches (agreements, unwrapped data keys, member-key
 * signatures) and the migration of format-1 wraps. The attacker's tests
 * first: a cache never opens what the uncached path would refuse.
 *
 * The fixture (case_fixture.h): A owns the cases (staff session sa), C is
 * the member a scope is shared with (sc), B holds the database key and
 * writes rows as an insider (sb). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "case_fixture.h"
#include "keydir.h"
#include "wrap.h"
#include "sql.h"

static const char *const sit[] = { "situation" };

/* The wrap row of (case, scope, version, holder): its bytes into b. */
static size_t wrap_get(council *c, const uint8_t cid[16], const char *scope, uint32_t v,
                       const uint8_t holder[16], uint8_t b[256])
{
    sqlite3_stmt *st;
    size_t n = 0;

    assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT sealed FROM key_wrap WHERE case_id = ?1 AND "
                                        "scope = ?2 AND version = ?3 AND holder = ?4;", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, v);
    sqlite3_bind_blob(st, 4, holder, 16, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    n = (size_t)sqlite3_column_bytes(st, 0);
    assert_true(n <= 256);
    memcpy(b, sqlite3_column_blob(st, 0), n);
    sqlite3_finalize(st);
    return n;
}

/* The insider puts bytes b in place of the wrap of (case, scope, version,
 * holder), or adds that row (its box key copied from holder's row of
 * version `from`). */
static void wrap_put(council *c, const uint8_t cid[16], const char *scope, uint32_t v,
                     const uint8_t holder[16], uint32_t from, const uint8_t *b, size_t n)
{
    sqlite3_stmt *st;

    assert_int_equal(sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO key_wrap (case_id, scope, "
                                        "version, holder, box_pk, sealed, tag) SELECT ?1, ?2, ?3, "
                                        "?4, box_pk, ?5, tag FROM key_wrap WHERE case_id = ?1 AND "
                                        "scope = ?2 AND version = ?6 AND holder = ?4;", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, v);
    sqlite3_bind_blob(st, 4, holder, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, b, (int)n, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, from);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    assert_int_equal(sqlite3_changes(c->db), 1);
    sqlite3_finalize(st);
}

/* council__key_open's code for the session's key of (case, scope, v). */
static int open_rc(council *s, const uint8_t cid[16], const char *scope, uint32_t v)
{
    council__secret key = { NULL, 0 };
    int rc = council__key_open(s, "test", &key, cid, scope, v);

    council__secret_free(&key);
    return rc;
}

static size_t cached_keys(const council *s, bool *eph)
{
    size_t n;
    bool e;

    council__wcache_stats(s, &n, &e);
    if (eph != NULL)
        *eph = e;
    return n;
}

static void revoke(council *s, const uint8_t cid[16], const uint8_t m[16], const char *scope)
{
    const char *sc[1] = { scope };

    assert_int_equal(council_case_revoke(s, cid, 16, m, 16, sc, 1, "support_ended"), COUNCIL_OK);
}

static int64_t n_actions(council *c, int action)
{
    uint64_t n = 0;
    int64_t k = 0;

    assert_int_equal(council__audit_size(c, &n), COUNCIL_OK);
    for (uint64_t i = 0; i < n; i++) {
        Council__V1__AuditEvent *e = event_at(c, i);
        k += (int)e->action == action;
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    return k;
}

/* ----------------------------------------------------- the attacker's tests */

/* C read the situation (its key cached); the owner revokes the share: the
 * same session is refused (EDENIED) although it held the key. */
static void test_cached_key_after_revocation(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sc = staff_open(f, f->sc, &f->kc);
    uint8_t cid[16], pid[16];
    int rc;
    char *t;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("before"), COUNCIL_OK);
    share(sa, cid, f->mc, "situation", COUNCIL_OK);
    t = get_text(sc, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "before");
    free(t);
    t = get_text(sc, cid, pid, "situation", &rc); /* the second read: from the cache */
    assert_int_equal(rc, COUNCIL_OK);
    free(t);
    assert_true(cached_keys(sc, NULL) >= 1);

    revoke(sa, cid, f->mc, "situation");
    t = get_text(sc, cid, pid, "situation", &rc);
    assert_null(t);
    assert_int_equal(rc, COUNCIL_EDENIED);
    /* Below the decision too: its wraps are gone, so no key is handed out. */
    assert_int_equal(open_rc(sc, cid, "situation", 1), COUNCIL_EDENIED);
    council_close(sc);
    council_close(sa);
}

/* After the rotation that follows a revocation, the removed holder's
 * session (its cache warm) reads no new version, and no wrap of the new
 * version opens with its key. */
static void test_rotation_shuts_out_cache(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sc = staff_open(f, f->sc, &f->kc);
    council__member_keys mk;
    council__secret stolen = { NULL, 0 };
    uint8_t cid[16], pid[16];
    uint32_t v = 0;
    int rc;
    char *t;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("old"), COUNCIL_OK);
    share(sa, cid, f->mc, "situation", COUNCIL_OK);
    t = get_text(sc, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    free(t);
    revoke(sa, cid, f->mc, "situation");
    put(sa, cid, pid, "situation", sec_text("new"), COUNCIL_OK);
    assert_int_equal(council__key_latest(f->c, "test", cid, "situation", &v), COUNCIL_OK);
    assert_true(v >= 2);
    assert_int_equal(open_rc(sc, cid, "situation", v), COUNCIL_EDENIED);
    t = get_text(sc, cid, pid, "situation", &rc);
    assert_null(t);
    assert_int_equal(rc, COUNCIL_EDENIED);
    member_keys(&f->kc, &mk);
    assert_int_equal(steal_key(f->c, cid, "situation", v, f->mc, &mk, &stolen), COUNCIL_ENOTFOUND);
    council__secret_free(&mk.box_sk);
    council__secret_free(&mk.sign_sk);
    council_close(sc);
    council_close(sa);
}

/* A format-2 wrap moved to another scope, case or version, or another
 * holder's wrap put in C's row: EAUTH, with C's caches warm. */
static void test_moved_wrap_refused(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sc = staff_open(f, f->sc, &f->kc);
    uint8_t cid[16], pid[16], cid2[16], pid2[16], b[256], a[256];
    size_t n, na;
    int rc;
    char *t;

    new_case(sa, cid, pid);
    new_case(sa, cid2, pid2);
    put(sa, cid, pid, "situation", sec_text("s"), COUNCIL_OK);
    put(sa, cid, pid, "wishes", sec_text("w"), COUNCIL_OK);
    put(sa, cid2, pid2, "situation", sec_text("s2"), COUNCIL_OK);
    share(sa, cid, f->mc, "situation", COUNCIL_OK);
    share(sa, cid, f->mc, "wishes", COUNCIL_OK);
    share(sa, cid2, f->mc, "situation", COUNCIL_OK);
    t = get_text(sc, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    free(t);
    assert_int_equal(open_rc(sc, cid, "wishes", 1), COUNCIL_OK);
    assert_int_equal(open_rc(sc, cid2, "situation", 1), COUNCIL_OK);

    n = wrap_get(f->c, cid, "situation", 1, f->mc, b);
    assert_int_equal(n, COUNCIL__WRAP2_BYTES);
    assert_int_equal(b[0], COUNCIL__WRAP_V2);
    wrap_put(f->c, cid, "wishes", 1, f->mc, 1, b, n); /* another scope */
    assert_int_equal(open_rc(sc, cid, "wishes", 1), COUNCIL_EAUTH);
    wrap_put(f->c, cid2, "situation", 1, f->mc, 1, b, n); /* another case */
    assert_int_equal(open_rc(sc, cid2, "situation", 1), COUNCIL_EAUTH);
    wrap_put(f->c, cid, "situation", 7, f->mc, 1, b, n); /* another version */
    assert_int_equal(open_rc(sc, cid, "situation", 7), COUNCIL_EAUTH);
    /* Another holder's wrap (the owner's) in C's row. */
    na = wrap_get(f->c, cid, "situation", 1, f->ma, a);
    wrap_put(f->c, cid, "situation", 1, f->mc, 1, a, na);
    assert_int_equal(open_rc(sc, cid, "situation", 1), COUNCIL_EAUTH);
    t = get_text(sc, cid, pid, "situation", &rc);
    assert_null(t);
    assert_int_not_equal(rc, COUNCIL_OK);
    /* C's own bytes back: opens again. */
    wrap_put(f->c, cid, "situation", 1, f->mc, 1, b, n);
    assert_int_equal(open_rc(sc, cid, "situation", 1), COUNCIL_OK);
    council_close(sc);
    council_close(sa);
}

/* A byte flipped in each part of a format-2 wrap (version, ephemeral key,
 * nonce, ciphertext, tag): EAUTH. */
static void test_tampered_wrap_refused(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sc = staff_open(f, f->sc, &f->kc);
    static const size_t at[] = { 0, 1, 20, 33, 50, 57, 70, 89, 90, 104 };
    uint8_t cid[16], pid[16], b[256], x[256];
    size_t n;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("s"), COUNCIL_OK);
    share(sa, cid, f->mc, "situation", COUNCIL_OK);
    assert_int_equal(open_rc(sc, cid, "situation", 1), COUNCIL_OK); /* cached */
    n = wrap_get(f->c, cid, "situation", 1, f->mc, b);
    assert_int_equal(n, COUNCIL__WRAP2_BYTES);
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        memcpy(x, b, n);
        x[at[i]] ^= 0x01;
        wrap_put(f->c, cid, "situation", 1, f->mc, 1, x, n);
        assert_int_equal(open_rc(sc, cid, "situation", 1), COUNCIL_EAUTH);
    }
    wrap_put(f->c, cid, "situation", 1, f->mc, 1, b, n - 1); /* cut short */
    assert_int_equal(open_rc(sc, cid, "situation", 1), COUNCIL_EAUTH);
    wrap_put(f->c, cid, "situation", 1, f->mc, 1, b, n);
    assert_int_equal(open_rc(sc, cid, "situation", 1), COUNCIL_OK);
    council_close(sc);
    council_close(sa);
}

/* The insider writes member_key_sig rows after a session checked C's key
 * (its signature cache warm): first a signature of its own on C's real
 * key, then an insider's key in place of C's in the register and the
 * directory (the council's signature on the old key kept). The warm
 * session and a new one refuse alike; no key is wrapped to the insider. */
static void insider_key_row(council *sb, const char *sql, const uint8_t m[16], const uint8_t *b,
                            size_t n)
{
    sqlite3_stmt *st;

    assert_int_equal(sqlite3_prepare_v2(sb->db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, m, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, b, (int)n, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    assert_int_equal(sqlite3_changes(sb->db), 1);
    sqlite3_finalize(st);
}

static void test_forged_member_key_with_warm_cache(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb), *sa2;
    uint8_t cid[16], pid[16], pk[32], sk[32], sig[64], real[64];
    sqlite3_stmt *st;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("s"), COUNCIL_OK);
    put(sa, cid, pid, "wishes", sec_text("w"), COUNCIL_OK);
    put(sa, cid, pid, "support_plan", sec_text("p"), COUNCIL_OK);
    share(sa, cid, f->mc, "situation", COUNCIL_OK); /* C's key checked: cached */
    assert_int_equal(sqlite3_prepare_v2(sb->db, "SELECT sig FROM member_key_sig WHERE member_id = ?1;",
                                        -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, f->mc, 16, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    memcpy(real, sqlite3_column_blob(st, 0), 64);
    sqlite3_finalize(st);

    randombytes_buf(sig, sizeof sig);
    insider_key_row(sb, "UPDATE member_key_sig SET sig = ?2 WHERE member_id = ?1;", f->mc, sig, 64);
    share(sa, cid, f->mc, "wishes", COUNCIL_EAUTH);
    sa2 = staff_open(f, f->sa, &f->ka);
    share(sa2, cid, f->mc, "wishes", COUNCIL_EAUTH);
    council_close(sa2);

    crypto_box_keypair(pk, sk);
    insider_key_row(sb, "UPDATE member_key_sig SET sig = ?2 WHERE member_id = ?1;", f->mc, real, 64);
    insider_key_row(sb, "UPDATE member SET box_pk = ?2 WHERE id = ?1;", f->mc, pk, 32);
    insider_key_row(sb, "UPDATE member_key_sig SET box_pk = ?2 WHERE member_id = ?1;", f->mc, pk, 32);
    share(sa, cid, f->mc, "support_plan", COUNCIL_ETAMPER);
    sa2 = staff_open(f, f->sa, &f->ka);
    share(sa2, cid, f->mc, "support_plan", COUNCIL_ETAMPER);
    assert_int_equal(count(f->c, "SELECT count(*) FROM key_wrap WHERE box_pk = ?1", pk), 0);
    council_close(sa2);
    council_close(sb);
    council_close(sa);
}

/* A batch rolled back takes the data keys cached in it and the ephemeral
 * key; a commit keeps the keys and ends the ephemeral key. */
static void test_rollback_drops_cached_keys(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka);
    uint8_t cid[16], pid[16], cid2[16], pid2[16];
    size_t before;
    bool eph = true;
    int rc;
    char *t;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("one"), COUNCIL_OK);
    put(sa, cid, pid, "situation", sec_text("two"), COUNCIL_OK); /* opens v1: cached */
    before = cached_keys(sa, &eph);
    assert_true(before >= 1);
    assert_false(eph); /* committed: the ephemeral key is gone */

    assert_int_equal(council_batch_begin(sa), COUNCIL_OK);
    new_case(sa, cid2, pid2);
    put(sa, cid2, pid2, "situation", sec_text("x"), COUNCIL_OK);
    put(sa, cid2, pid2, "situation", sec_text("y"), COUNCIL_OK);
    assert_true(cached_keys(sa, &eph) > before);
    assert_true(eph);
    assert_int_equal(council_batch_rollback(sa), COUNCIL_OK);
    assert_int_equal(cached_keys(sa, &eph), before);
    assert_false(eph);
    assert_int_equal(open_rc(sa, cid2, "situation", 1), COUNCIL_EDENIED);
    t = get_text(sa, cid2, pid2, "situation", &rc);
    assert_null(t);
    assert_int_not_equal(rc, COUNCIL_OK);
    t = get_text(sa, cid, pid, "situation", &rc); /* the committed case still reads */
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "two");
    free(t);
    council_close(sa);
}

/* ------------------------------------------------------ format 1 and migration */

/* Every wrap of the case written again in format 1, as the library before
 * issue 17 wrote it (the coordinating body's copy opens each key). */
static size_t make_v1(council *c, const uint8_t cid[16])
{
    struct { char scope[65]; uint32_t v; uint8_t holder[16], pk[32]; } rows[64];
    sqlite3_stmt *st, *up;
    size_t n = 0;

    assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT scope, version, holder, box_pk FROM key_wrap "
                                        "WHERE case_id = ?1;", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        assert_true(n < 64);
        snprintf(rows[n].scope, sizeof rows[n].scope, "%s", (const char *)sqlite3_column_text(st, 0));
        rows[n].v = (uint32_t)sqlite3_column_int64(st, 1);
        memcpy(rows[n].holder, sqlite3_column_blob(st, 2), 16);
        memcpy(rows[n].pk, sqlite3_column_blob(st, 3), 32);
        n++;
    }
    sqlite3_finalize(st);
    for (size_t i = 0; i < n; i++) {
        council__secret key = { NULL, 0 };
        uint8_t w[COUNCIL__WRAP_BYTES];
        assert_int_equal(council__key_open(c, "test", &key, cid, rows[i].scope, rows[i].v), COUNCIL_OK);
        assert_int_equal(council__wrap(c, w, cid, rows[i].scope, rows[i].v, &key, rows[i].pk), COUNCIL_OK);
        council__secret_free(&key);
        assert_int_equal(sqlite3_prepare_v2(c->db, "UPDATE key_wrap SET sealed = ?5 WHERE case_id = ?1 "
                                            "AND scope = ?2 AND version = ?3 AND holder = ?4;", -1,
                                            &up, NULL), SQLITE_OK);
        sqlite3_bind_blob(up, 1, cid, 16, SQLITE_STATIC);
        sqlite3_bind_text(up, 2, rows[i].scope, -1, SQLITE_STATIC);
        sqlite3_bind_int64(up, 3, rows[i].v);
        sqlite3_bind_blob(up, 4, rows[i].holder, 16, SQLITE_STATIC);
        sqlite3_bind_blob(up, 5, w, sizeof w, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(up), SQLITE_DONE);
        sqlite3_finalize(up);
    }
    return n;
}

static void reopen_root(fx *f)
{
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
}

/* Format-1 wraps still open, with the same key. */
static void test_v1_wrap_opens(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sc;
    council__secret k2 = { NULL, 0 }, k1 = { NULL, 0 };
    uint8_t cid[16], pid[16], b[256];
    int rc;
    char *t;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("old store"), COUNCIL_OK);
    share(sa, cid, f->mc, "situation", COUNCIL_OK);
    sc = staff_open(f, f->sc, &f->kc);
    assert_int_equal(council__key_open(sc, "test", &k2, cid, "situation", 1), COUNCIL_OK);
    assert_true(make_v1(f->c, cid) >= 3);
    assert_int_equal(wrap_get(f->c, cid, "situation", 1, f->mc, b), COUNCIL__WRAP_BYTES);
    assert_int_equal(council__key_open(sc, "test", &k1, cid, "situation", 1), COUNCIL_OK);
    council__secret_read(&k1);
    council__secret_read(&k2);
    assert_int_equal(sodium_memcmp(k1.p, k2.p, 32), 0);
    council__secret_free(&k1);
    council__secret_free(&k2);
    t = get_text(sc, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "old store");
    free(t);
    council_close(sc);
    council_close(sa);
}

/* A root session's open writes format-1 wraps again in format 2, logs it,
 * leaves a row its tag does not vouch for as it is, and does nothing more
 * the next time (even with its mark taken away). */
static void test_migration(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sc;
    uint8_t cid[16], pid[16], tag[32], w[COUNCIL__WRAP_BYTES], pk[32], sk[32];
    council__secret key = { NULL, 0 };
    int64_t total, ev;
    sqlite3_stmt *st;
    int rc;
    char *t;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("migrated"), COUNCIL_OK);
    put(sa, cid, pid, "wishes", sec_text("w"), COUNCIL_OK);
    share(sa, cid, f->mc, "situation", COUNCIL_OK);
    council_close(sa);
    total = count(f->c, "SELECT count(*) FROM key_wrap WHERE case_id = ?1", cid);
    assert_int_equal(make_v1(f->c, cid), (size_t)total);
    /* A forged format-1 row for a key of the insider's: its tag is random. */
    crypto_box_keypair(pk, sk);
    assert_int_equal(council__key_open(f->c, "test", &key, cid, "situation", 1), COUNCIL_OK);
    assert_int_equal(council__wrap(f->c, w, cid, "situation", 1, &key, pk), COUNCIL_OK);
    council__secret_free(&key);
    randombytes_buf(tag, sizeof tag);
    assert_int_equal(sqlite3_prepare_v2(f->c->db, "INSERT INTO key_wrap (case_id, scope, version, "
                                        "holder, box_pk, sealed, tag) VALUES (?1, 'situation', 1, ?2, "
                                        "?3, ?4, ?5);", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, f->mb, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 3, pk, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, w, sizeof w, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, tag, sizeof tag, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    assert_int_equal(council__sql_exec1(f->c, "test", "DELETE FROM setting WHERE key = 'key_wraps_v2';",
                                        NULL, 0, NULL, 0), COUNCIL_OK);
    ev = n_actions(f->c, COUNCIL_AUDIT_ACTION_KEY_WRAPS_MIGRATED);

    reopen_root(f);
    assert_int_equal(count(f->c, "SELECT count(*) FROM key_wrap WHERE case_id = ?1 AND "
                                 "length(sealed) = 105", cid), total);
    assert_int_equal(count(f->c, "SELECT count(*) FROM key_wrap WHERE case_id = ?1 AND "
                                 "length(sealed) = 181", cid), 1); /* the forged row, untouched */
    assert_int_equal(n_actions(f->c, COUNCIL_AUDIT_ACTION_KEY_WRAPS_MIGRATED), ev + 1);
    sc = staff_open(f, f->sc, &f->kc);
    t = get_text(sc, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "migrated");
    free(t);
    council_close(sc);

    /* Idempotent: again, and again without the mark. */
    reopen_root(f);
    assert_int_equal(council__sql_exec1(f->c, "test", "DELETE FROM setting WHERE key = 'key_wraps_v2';",
                                        NULL, 0, NULL, 0), COUNCIL_OK);
    reopen_root(f);
    assert_int_equal(n_actions(f->c, COUNCIL_AUDIT_ACTION_KEY_WRAPS_MIGRATED), ev + 1);
    assert_int_equal(count(f->c, "SELECT count(*) FROM key_wrap WHERE case_id = ?1 AND "
                                 "length(sealed) = 105", cid), total);
}

/* Many cases in one batch: the wraps of one transaction share one
 * ephemeral key (linkable to each other, to no sender), the next
 * transaction's differ. */
static void test_ephemeral_per_transaction(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka);
    uint8_t cid[3][16], pid[3][16], b0[256], b1[256], b2[256];

    assert_int_equal(council_batch_begin(sa), COUNCIL_OK);
    for (int i = 0; i < 2; i++) {
        new_case(sa, cid[i], pid[i]);
        put(sa, cid[i], pid[i], "situation", sec_text("b"), COUNCIL_OK);
    }
    assert_int_equal(council_batch_commit(sa), COUNCIL_OK);
    new_case(sa, cid[2], pid[2]);
    put(sa, cid[2], pid[2], "situation", sec_text("c"), COUNCIL_OK);
    assert_int_equal(wrap_get(f->c, cid[0], "situation", 1, f->ma, b0), COUNCIL__WRAP2_BYTES);
    assert_int_equal(wrap_get(f->c, cid[1], "situation", 1, f->ma, b1), COUNCIL__WRAP2_BYTES);
    assert_int_equal(wrap_get(f->c, cid[2], "situation", 1, f->ma, b2), COUNCIL__WRAP2_BYTES);
    assert_memory_equal(b0 + 1, b1 + 1, 32);
    assert_memory_not_equal(b0 + 1, b2 + 1, 32);
    assert_memory_not_equal(b0 + 33, b1 + 33, 24); /* nonces */
    council_close(sa);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cached_key_after_revocation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rotation_shuts_out_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_moved_wrap_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampered_wrap_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forged_member_key_with_warm_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_drops_cached_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v1_wrap_opens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ephemeral_per_transaction, setup, teardown),
    };
    (void)sit;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
