/* test_insider.c - the insider: a member that holds its keyfile and, with
 * it, the database key, and writes the store's rows with the SQLCipher API
 * (here: through its own staff session's database handle). Each test
 * forges, replays or deletes rows before an operation that uses them, and
 * checks that nothing was granted, that the finding was put on the record
 * where the library can see it, and what the log then does.
 *
 * The fixture (case_fixture.h): A owns the cases; B is the insider (scope
 * ceiling situation, wishes, support_plan); C is an honest third member. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "case_fixture.h"
#include "council/v1/meeting.pb-c.h"
#include "log.h"
#include "crypto.h"
#include "keyfile.h"
#include "keyring.h"
#include "casekey.h"
#include "attest.h"
#include "share_db.h"
#include "case_db.h"

/* The insider writes a row: sql with ?1..?4 bound to 16-byte ids (NULL:
 * fewer parameters) and ?5 to a blob of n bytes. */
static void insider_row(council *insider, const char *sql, const uint8_t *a, const uint8_t *b,
                        const uint8_t *blob, size_t n)
{
    sqlite3_stmt *st;

    assert_int_equal(sqlite3_prepare_v2(insider->db, sql, -1, &st, NULL), SQLITE_OK);
    if (a != NULL)
        sqlite3_bind_blob(st, 1, a, 16, SQLITE_STATIC);
    if (b != NULL)
        sqlite3_bind_blob(st, 2, b, 16, SQLITE_STATIC);
    if (blob != NULL)
        sqlite3_bind_blob(st, 5, blob, (int)n, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* A wrap row for the insider of (case, scope, version): random bytes in
 * place of the seal, and a random tag. */
static void forge_wrap(council *insider, const uint8_t cid[16], const char *scope, uint32_t v,
                       const uint8_t holder[16], const uint8_t pk[32])
{
    uint8_t sealed[COUNCIL__WRAP_BYTES], tag[32];
    sqlite3_stmt *st;

    randombytes_buf(sealed, sizeof sealed);
    randombytes_buf(tag, sizeof tag);
    assert_int_equal(sqlite3_prepare_v2(insider->db, "INSERT OR REPLACE INTO key_wrap (case_id, "
                                        "scope, version, holder, box_pk, sealed, tag) VALUES "
                                        "(?1, ?2, ?3, ?4, ?5, ?6, ?7);", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, v);
    sqlite3_bind_blob(st, 4, holder, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, pk, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 6, sealed, sizeof sealed, SQLITE_STATIC);
    sqlite3_bind_blob(st, 7, tag, sizeof tag, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* The insider's share row of a scope (active, an exception basis, so that
 * no consent re-check ends it). */
static void forge_share(council *insider, const uint8_t cid[16], const uint8_t member_id[16],
                        const char *scope)
{
    sqlite3_stmt *st;

    assert_int_equal(sqlite3_prepare_v2(insider->db, "INSERT INTO case_share (case_id, member_id, "
                                        "scope, purpose, basis, basis_reason, granted) VALUES (?1, "
                                        "?2, ?3, 'support_coordination', 'appi_27_1_4_public_duty', "
                                        "'forged', 1);", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, member_id, 16, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static uint32_t latest_version(council *c, const uint8_t cid[16], const char *scope)
{
    uint32_t v = 0;

    assert_int_equal(council__key_latest(c, "test", cid, scope, &v), COUNCIL_OK);
    return v;
}

/* Nothing granted: the insider's own secret key opens no stored wrap of the
 * scope, of any version, and its staff's read is refused. */
static void insider_holds_nothing(fx *f, council *sb, const uint8_t cid[16], const uint8_t pid[16],
                                  const char *scope)
{
    council__member_keys kb;
    council__secret key = { NULL, 0 };
    char *t;
    int rc;

    member_keys(&f->kb, &kb);
    assert_int_equal(steal_key(f->c, cid, scope, 0, f->mb, &kb, &key), COUNCIL_ENOTFOUND);
    council__member_keys_free(&kb);
    t = get_text(sb, cid, pid, scope, &rc);
    assert_int_not_equal(rc, COUNCIL_OK);
    assert_null(t);
}

static int64_t tamper_events(council *c, const char *reason)
{
    council_buf out = { NULL, 0 };
    council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
    Council__V1__AuditEventList *l;
    int64_t n = 0;

    flt.action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_TAMPER_DETECTED;
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

/* A's case with a health section the insider was never given. */
static void health_case(fx *f, council *sa, uint8_t cid[16], uint8_t pid[16])
{
    new_case(sa, cid, pid);
    put(sa, cid, pid, "health", sec_text("通院の記録"), COUNCIL_OK);
    put(sa, cid, pid, "situation", sec_text("状況"), COUNCIL_OK);
    share(sa, cid, f->mb, "situation", COUNCIL_OK);
}

/* Attack 1: a forged wrap row (and share row) for a scope never shared,
 * then each kind of rotation. */
static void test_insider__forged_wrap_then_rotations(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    council__member_keys kb;
    uint8_t cid[16], pid[16];
    council_buf kf = { NULL, 0 };

    health_case(f, sa, cid, pid);
    member_keys(&f->kb, &kb);
    forge_share(sb, cid, f->mb, "health");
    forge_wrap(sb, cid, "health", latest_version(f->c, cid, "health"), f->mb, kb.box_pk);
    council__member_keys_free(&kb);

    /* The secretariat's case rekey. */
    assert_int_equal(council_case_rekey(f->c, cid, 16), COUNCIL_OK);
    insider_holds_nothing(f, sb, cid, pid, "health");
    assert_true(tamper_events(f->c, "forged_key_holder") >= 1);

    /* An unrelated revocation by the owner: C gets health, then loses it. */
    member_keys(&f->kb, &kb);
    forge_wrap(sb, cid, "health", latest_version(f->c, cid, "health"), f->mb, kb.box_pk);
    council__member_keys_free(&kb);
    share(sa, cid, f->mc, "health", COUNCIL_OK);
    assert_int_equal(council_case_revoke(sa, cid, 16, f->mc, 16, NULL, 0, "support_ended"), COUNCIL_OK);
    put(sa, cid, pid, "health", sec_text("新しい記録"), COUNCIL_OK);
    insider_holds_nothing(f, sb, cid, pid, "health");
    /* The forged row in the version before is what the rotation passed over. */
    assert_true(tamper_events(f->c, "forged_key_holder") >= 2);

    /* The secretariat replaces the insider's own keys: only the wraps it
     * really held are carried to the new key. */
    member_keys(&f->kb, &kb);
    forge_wrap(sb, cid, "health", latest_version(f->c, cid, "health"), f->mb, kb.box_pk);
    council__member_keys_free(&kb);
    council_close(sb);
    assert_int_equal(council_member_keygen(f->c, &kf, f->mb, 16, (const uint8_t *)MPASS,
                                           strlen(MPASS), TH_OPS, TH_MEM), COUNCIL_OK);
    council_buf_free(&f->kb);
    f->kb = kf;
    sb = staff_open(f, f->sb, &f->kb);
    insider_holds_nothing(f, sb, cid, pid, "health");
    /* What it was given it keeps. */
    {
        int rc;
        char *t = get_text(sb, cid, pid, "situation", &rc);
        assert_int_equal(rc, COUNCIL_OK);
        assert_string_equal(t, "状況");
        free(t);
    }
    council_close(sa);
    council_close(sb);
}

/* A wrap row replayed from another case, or another holder's tag. */
static void test_insider__replayed_wrap(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    uint8_t c1[16], p1[16], c2[16], p2[16];

    health_case(f, sa, c1, p1);
    new_case(sa, c2, p2);
    put(sa, c2, p2, "situation", sec_text("別の状況"), COUNCIL_OK);
    /* B really holds c1's situation; it copies that row, tag and all, to
     * c2's situation and to c1's health. */
    insider_row(sb, "INSERT INTO key_wrap (case_id, scope, version, holder, box_pk, sealed, tag) "
                    "SELECT ?2, scope, 1, holder, box_pk, sealed, tag FROM key_wrap WHERE case_id = "
                    "?1 AND scope = 'situation' AND holder = (SELECT id FROM member WHERE name = "
                    "'NPO B') LIMIT 1;", c1, c2, NULL, 0);
    insider_row(sb, "INSERT INTO key_wrap (case_id, scope, version, holder, box_pk, sealed, tag) "
                    "SELECT case_id, 'health', 1, holder, box_pk, sealed, tag FROM key_wrap WHERE "
                    "case_id = ?1 AND scope = 'situation' AND holder = (SELECT id FROM member WHERE "
                    "name = 'NPO B') LIMIT 1;", c1, NULL, NULL, 0);
    forge_share(sb, c2, f->mb, "situation");
    forge_share(sb, c1, f->mb, "health");
    assert_int_equal(council_case_rekey(f->c, c1, 16), COUNCIL_OK);
    assert_int_equal(council_case_rekey(f->c, c2, 16), COUNCIL_OK);
    insider_holds_nothing(f, sb, c1, p1, "health");
    insider_holds_nothing(f, sb, c2, p2, "situation");
    council_close(sa);
    council_close(sb);
}

/* A share row before a scope's first key: the first key goes to the
 * coordinating body and the owner only. */
static void test_insider__forged_share_before_first_key(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    uint8_t cid[16], pid[16];

    new_case(sa, cid, pid);
    forge_share(sb, cid, f->mb, "finances");
    forge_share(sb, cid, f->mb, "wishes");
    assert_int_equal(latest_version(f->c, cid, "finances"), 0);
    put(sa, cid, pid, "finances", sec_text("家計の記録"), COUNCIL_OK);
    put(f->c, cid, pid, "wishes", sec_text("本人の意向"), COUNCIL_OK);
    insider_holds_nothing(f, sb, cid, pid, "finances");
    insider_holds_nothing(f, sb, cid, pid, "wishes");
    assert_int_equal(count(f->c, "SELECT count(*) FROM key_wrap WHERE holder = ?1", f->mb), 0);
    /* A real share still works, before or after the first key. */
    share(sa, cid, f->mb, "support_plan", COUNCIL_OK);
    put(sa, cid, pid, "support_plan", sec_text("支援計画"), COUNCIL_OK);
    {
        int rc;
        char *t = get_text(sb, cid, pid, "support_plan", &rc);
        assert_int_equal(rc, COUNCIL_OK);
        assert_string_equal(t, "支援計画");
        free(t);
    }
    council_close(sa);
    council_close(sb);
}

/* Attack 2: agenda items, share rows and a wrap row for a scope never on
 * the agenda, outside the insider's ceiling: the secretariat's packet for
 * the insider carries only what the insider really holds. */
static void test_insider__packet_follows_keys(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    council__member_keys kb;
    uint8_t cid[16], pid[16], mid[16];
    council_buf pkt = { NULL, 0 };

    health_case(f, sa, cid, pid);
    put(sa, cid, pid, "identity", sec_identity(CANARY_NAME, "1950-01-02"), COUNCIL_OK);
    meeting_on_situation(f, mid, f->mb, 600, cid, "支援会議での検討");
    /* The insider puts health and identity on its agenda, with share rows
     * and wrap rows, and widens its own ceiling. */
    member_keys(&f->kb, &kb);
    for (int i = 0; i < 2; i++) {
        const char *scope = i == 0 ? "health" : "identity";
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(sb->db, "INSERT INTO meeting_item (meeting_id, case_id, "
                                            "attendee, scope, basis) VALUES (?1, ?2, ?3, ?4, "
                                            "'appi_27_1_4_public_duty');", -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, mid, 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, cid, 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, f->mb, 16, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, scope, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
        forge_share(sb, cid, f->mb, scope);
        forge_wrap(sb, cid, scope, latest_version(f->c, cid, scope), f->mb, kb.box_pk);
    }
    /* Agenda items it wrote itself: refused before anything is read. */
    assert_int_equal(council_meeting_packet(f->c, &pkt, mid, 16, f->mb, 16), COUNCIL_ETAMPER);
    assert_null(pkt.ptr);
    assert_true(tamper_events(f->c, "forged_meeting_row") >= 1);
    insider_row(sb, "DELETE FROM meeting_item WHERE attendee = ?1 AND scope != 'situation';", f->mb,
                NULL, NULL, 0);
    /* The owner ends B's share of the situation; B deletes the revocation
     * (and puts its old wrap back): the packet follows the key, which the
     * rotation at the revocation did not give B. */
    assert_int_equal(council_case_revoke(sa, cid, 16, f->mb, 16, NULL, 0, "support_ended"), COUNCIL_OK);
    insider_row(sb, "UPDATE case_share SET revoked = NULL, revoke_reason = NULL WHERE case_id = ?1 "
                    "AND member_id = ?2;", cid, f->mb, NULL, 0);
    forge_wrap(sb, cid, "situation", latest_version(f->c, cid, "situation"), f->mb, kb.box_pk);
    assert_int_equal(council_meeting_packet(f->c, &pkt, mid, 16, f->mb, 16), COUNCIL_OK);
    {
        size_t n = pkt.len - crypto_box_SEALBYTES;
        uint8_t *plain = malloc(n);
        Council__V1__MeetingPacket *p;
        council__secret_read(&kb.box_sk);
        assert_int_equal(crypto_box_seal_open(plain, pkt.ptr, pkt.len, kb.box_pk, kb.box_sk.p), 0);
        council__secret_lock(&kb.box_sk);
        p = council__v1__meeting_packet__unpack(NULL, n, plain);
        assert_non_null(p);
        assert_int_equal(p->n_cases, 0);
        assert_false(th_contains(plain, n, CANARY_NAME));
        assert_false(th_contains(plain, n, "通院の記録"));
        assert_false(th_contains(plain, n, "状況"));
        council__v1__meeting_packet__free_unpacked(p, NULL);
        sodium_memzero(plain, n);
        free(plain);
    }
    council_buf_free(&pkt);
    council__member_keys_free(&kb);
    /* The end took the share's signature with it: the share row without
     * its end is caught first (and the key would not follow either). */
    assert_true(tamper_events(f->c, "forged_share") >= 1);
    {
        int rc;
        char *t = get_text(sb, cid, pid, "situation", &rc);
        assert_int_equal(rc, COUNCIL_EDENIED);
        assert_null(t);
    }
    /* With its ceiling widened in the register, no packet at all. */
    insider_row(sb, "UPDATE member SET scopes = 'health,identity,situation,support_plan,wishes' "
                    "WHERE id = ?1;", f->mb, NULL, NULL, 0);
    assert_int_equal(council_meeting_packet(f->c, &pkt, mid, 16, f->mb, 16), COUNCIL_ETAMPER);
    assert_null(pkt.ptr);
    council_close(sa);
    council_close(sb);
}


/* The holder tag a session holding `key` would write (casekey.c's formula). */
static void make_tag(const council *c, uint8_t out[32], const uint8_t cid[16], const char *scope,
                     uint32_t v, const uint8_t holder[16], const uint8_t pk[32], const uint8_t key[32])
{
    static const char label[] = "council/key-holder/v1";
    crypto_generichash_state h;
    uint8_t vb[4], n = (uint8_t)strlen(scope);

    council__put_u32(vb, v);
    crypto_generichash_init(&h, key, 32, 32);
    crypto_generichash_update(&h, (const uint8_t *)label, sizeof label);
    crypto_generichash_update(&h, c->council_id, 16);
    crypto_generichash_update(&h, cid, 16);
    crypto_generichash_update(&h, vb, 4);
    crypto_generichash_update(&h, &n, 1);
    crypto_generichash_update(&h, (const uint8_t *)scope, n);
    crypto_generichash_update(&h, holder, 16);
    crypto_generichash_update(&h, pk, 32);
    crypto_generichash_final(&h, out, 32);
}

/* The insider writes a whole key version of its own: a key it chose,
 * sealed the library's way (right binding, right tags) to the coordinating
 * body, the owner and itself, signed with its own member key. */
static void inject_version(fx *f, council *sb, const uint8_t cid[16], const char *scope, uint32_t v,
                           const uint8_t key_bytes[32])
{
    council__member_keys ka, kb;
    council__secret key = { NULL, 0 };
    const uint8_t *holders[3];
    const uint8_t *pks[3];
    uint8_t zero[16] = { 0 }, sig[64], signer[16];
    sqlite3_stmt *st;

    member_keys(&f->ka, &ka);
    member_keys(&f->kb, &kb);
    assert_int_equal(council__secret_alloc(&key, 32), COUNCIL_OK);
    memcpy(key.p, key_bytes, 32);
    holders[0] = zero; pks[0] = sb->coord_pk;
    holders[1] = f->ma; pks[1] = ka.box_pk;
    holders[2] = f->mb; pks[2] = kb.box_pk;
    randombytes_buf(sig, sizeof sig);
    memcpy(signer, f->mb, 16);
    assert_int_equal(sqlite3_prepare_v2(sb->db, "INSERT INTO case_key (case_id, scope, version, created, "
                                        "signer, sig) VALUES (?1, ?2, ?3, 1, ?4, ?5);", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, v);
    sqlite3_bind_blob(st, 4, signer, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, sig, 64, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    for (int i = 0; i < 3; i++) {
        uint8_t sealed[COUNCIL__WRAP_BYTES], tag[32];
        assert_int_equal(council__wrap(sb, sealed, cid, scope, v, &key, pks[i]), COUNCIL_OK);
        make_tag(sb, tag, cid, scope, v, holders[i], pks[i], key_bytes);
        assert_int_equal(sqlite3_prepare_v2(sb->db, "INSERT OR REPLACE INTO key_wrap (case_id, scope, "
                                            "version, holder, box_pk, sealed, tag) VALUES (?1, ?2, ?3, "
                                            "?4, ?5, ?6, ?7);", -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, v);
        sqlite3_bind_blob(st, 4, holders[i], 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 5, pks[i], 32, SQLITE_STATIC);
        sqlite3_bind_blob(st, 6, sealed, sizeof sealed, SQLITE_STATIC);
        sqlite3_bind_blob(st, 7, tag, 32, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    council__secret_free(&key);
    council__member_keys_free(&ka);
    council__member_keys_free(&kb);
}

/* Does any stored section of the scope open under the insider's key? */
static bool readable_with(council *c, const uint8_t cid[16], const uint8_t pid[16], const char *scope,
                          const uint8_t key_bytes[32])
{
    council__secret key = { NULL, 0 };
    bool r;

    assert_int_equal(council__secret_alloc(&key, 32), COUNCIL_OK);
    memcpy(key.p, key_bytes, 32);
    r = key_opens_latest(c, cid, pid, scope, &key);
    council__secret_free(&key);
    return r;
}


/* The insider's own section under the key it chose, sealed the library's
 * way (padding, associated data): what a reader would take as the case's. */
static void forge_section(council *sb, const uint8_t cid[16], const uint8_t pid[16], const char *scope,
                          uint32_t kv, const uint8_t key_bytes[32], const char *text)
{
    council_buf sec = sec_text(text);
    uint8_t ad[256], *p = ad, pt[1024], ct[1024 + 16], nonce[24];
    size_t n = strlen(scope), padded = 0;
    unsigned long long ctl = 0;
    sqlite3_stmt *st;
    int64_t rv = 0;

    assert_int_equal(sqlite3_prepare_v2(sb->db, "SELECT coalesce(max(version), 0) + 1 FROM section "
                                        "WHERE case_id = ?1 AND person_id = ?2 AND scope = ?3;", -1,
                                        &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, pid, 16, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    rv = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    assert_true(sec.len < 512);
    memcpy(pt, sec.ptr, sec.len);
    free(sec.ptr);
    assert_int_equal(sodium_pad(&padded, pt, sec.len, 256, sizeof pt), 0);
    p = council__put_bytes(p, "council/section", sizeof "council/section");
    p = council__put_bytes(p, sb->council_id, 16);
    p = council__put_bytes(p, cid, 16);
    p = council__put_bytes(p, pid, 16);
    p = council__put_u32(p, (uint32_t)n);
    p = council__put_bytes(p, scope, n);
    p = council__put_u32(p, kv);
    p = council__put_u32(p, (uint32_t)rv);
    randombytes_buf(nonce, sizeof nonce);
    crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &ctl, pt, padded, ad, (size_t)(p - ad), NULL,
                                               nonce, key_bytes);
    assert_int_equal(sqlite3_prepare_v2(sb->db, "INSERT INTO section (case_id, person_id, scope, "
                                        "version, key_version, written, nonce, ct) VALUES (?1, ?2, "
                                        "?3, ?4, ?5, 1, ?6, ?7);", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, pid, 16, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, rv);
    sqlite3_bind_int64(st, 5, kv);
    sqlite3_bind_blob(st, 6, nonce, 24, SQLITE_STATIC);
    sqlite3_bind_blob(st, 7, ct, (int)ctl, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* A key version of the insider's choosing, on top of a scope it never had
 * and as the first key of a scope with none: nobody encrypts under it. */
static void test_insider__injected_key_version(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    uint8_t cid[16], pid[16], chosen[32];
    council_buf note = { NULL, 0 };

    randombytes_buf(chosen, sizeof chosen);
    health_case(f, sa, cid, pid);
    inject_version(f, sb, cid, "health", latest_version(f->c, cid, "health") + 1, chosen);
    /* The owner's write and the secretariat's are refused, and say why. */
    put(sa, cid, pid, "health", sec_text("新しい記録"), COUNCIL_ETAMPER);
    assert_non_null(strstr(council_errmsg(sa), "signed neither"));
    put(f->c, cid, pid, "health", sec_text("事務局の記録"), COUNCIL_ETAMPER);
    assert_false(readable_with(f->c, cid, pid, "health", chosen));
    /* Its own text under that key is not read as the case's. */
    {
        int rc;
        char *t;
        uint32_t v = latest_version(f->c, cid, "health");
        forge_section(sb, cid, pid, "health", v, chosen, "偽の記録");
        assert_true(readable_with(f->c, cid, pid, "health", chosen));
        t = get_text(sa, cid, pid, "health", &rc);
        assert_int_equal(rc, COUNCIL_ETAMPER);
        assert_null(t);
        t = get_text(f->c, cid, pid, "health", &rc);
        assert_int_equal(rc, COUNCIL_ETAMPER);
        assert_null(t);
        insider_row(sb, "DELETE FROM section WHERE case_id = ?1 AND key_version = (SELECT "
                        "max(version) FROM case_key WHERE case_id = ?1 AND scope = 'health');",
                    cid, NULL, NULL, 0);
    }
    /* A rotation does not follow its holders either. */
    assert_int_equal(council_case_rekey(f->c, cid, 16), COUNCIL_ETAMPER);
    assert_true(tamper_events(f->c, "forged_key_version") >= 2);
    /* A first key of its own, for a scope with none. */
    inject_version(f, sb, cid, "finances", 1, chosen);
    put(sa, cid, pid, "finances", sec_text("家計"), COUNCIL_ETAMPER);
    put(f->c, cid, pid, "finances", sec_text("家計"), COUNCIL_ETAMPER);
    /* Nothing went out: the log still verifies up to here. */
    assert_int_equal(council_audit_checkpoint(f->c, &note), COUNCIL_OK);
    council_buf_free(&note);
    council_close(sa);
    council_close(sb);
}

/* Finding: the insider makes the secretariat's next session run the
 * upgrade of a store from before signed rows again, without rolling
 * anything back: it drops the head from council.keyring (the checksum is
 * unkeyed) and the mark 'log_head_kept' from council.db. The upgrade would
 * then sign, as found, a key version of the insider's choosing (and tag its
 * wraps, sign owners, shares...). The log key's wrap in the keyring now
 * says that a head is kept (its associated data), which the insider cannot
 * take off: the head's loss is caught, and nothing is signed as found. */
static void test_insider__upgrade_replayed(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    uint8_t cid[16], pid[16], c2[16], p2[16], chosen[32], owner[16];
    council__keyring *kr = malloc(sizeof *kr);

    assert_non_null(kr);
    randombytes_buf(chosen, sizeof chosen);
    health_case(f, sa, cid, pid);
    new_case(sa, c2, p2);
    /* A version of its own, unsigned as a store from before would have it. */
    inject_version(f, sb, cid, "health", latest_version(f->c, cid, "health") + 1, chosen);
    insider_row(sb, "UPDATE case_key SET signer = NULL, sig = NULL WHERE case_id = ?1 AND "
                    "scope = 'health' AND version = (SELECT max(version) FROM case_key WHERE "
                    "case_id = ?1 AND scope = 'health');", cid, NULL, NULL, 0);
    /* Another of A's cases made its own. */
    insider_row(sb, "UPDATE case_record SET owner = ?2, owner_proof = NULL WHERE id = ?1;", c2,
                f->mb, NULL, 0);
    insider_row(sb, "DELETE FROM setting WHERE key = 'log_head_kept';", NULL, NULL, NULL, 0);
    /* The keyring as it is, less its head (what the insider can write). */
    assert_int_equal(council__keyring_load(NULL, kr, f->store), COUNCIL_OK);
    assert_true(kr->log_head_len > 0);
    kr->log_head_len = 0;
    assert_int_equal(council__keyring_store(NULL, kr, f->store), COUNCIL_OK);
    free(kr);
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    /* Caught, and nothing was signed as found. */
    assert_true(tamper_events(f->c, "log_head_missing") >= 1);
    assert_int_equal(council__case_owner(f->c, "test", c2, owner), COUNCIL_ETAMPER);
    put(sa, cid, pid, "health", sec_text("新しい記録"), COUNCIL_ETAMPER);
    put(f->c, cid, pid, "health", sec_text("事務局の記録"), COUNCIL_ETAMPER);
    assert_false(readable_with(f->c, cid, pid, "health", chosen));
    council_close(sa);
    council_close(sb);
}

/* Finding: a holder tag proves only that its writer held the key, and
 * every member a scope is shared with holds it. While B holds the
 * situation key, it tags a wrap of that key for C (who has no share):
 * after A ends B's share, the rotation followed C, and every later key
 * went to C (for B, through C). A rotation now follows only the owner and
 * members with an active share. */
static void test_insider__cotagged_holder_after_revocation(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    council__member_keys kb, kc;
    council__secret key = { NULL, 0 };
    uint8_t cid[16], pid[16], sealed[COUNCIL__WRAP_BYTES], tag[32];
    uint32_t v;
    sqlite3_stmt *st;

    health_case(f, sa, cid, pid);
    member_keys(&f->kb, &kb);
    member_keys(&f->kc, &kc);
    v = latest_version(f->c, cid, "situation");
    assert_int_equal(steal_key(f->c, cid, "situation", v, f->mb, &kb, &key), COUNCIL_OK);
    assert_int_equal(council__wrap(sb, sealed, cid, "situation", v, &key, kc.box_pk), COUNCIL_OK);
    council__secret_read(&key);
    make_tag(sb, tag, cid, "situation", v, f->mc, kc.box_pk, key.p);
    council__secret_lock(&key);
    council__secret_free(&key);
    assert_int_equal(sqlite3_prepare_v2(sb->db, "INSERT INTO key_wrap (case_id, scope, version, "
                                        "holder, box_pk, sealed, tag) VALUES (?1, 'situation', ?2, "
                                        "?3, ?4, ?5, ?6);", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, v);
    sqlite3_bind_blob(st, 3, f->mc, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, kc.box_pk, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, sealed, sizeof sealed, SQLITE_STATIC);
    sqlite3_bind_blob(st, 6, tag, sizeof tag, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    /* A ends B's share, and writes again. */
    assert_int_equal(council_case_revoke(sa, cid, 16, f->mb, 16, NULL, 0, "support_ended"), COUNCIL_OK);
    put(sa, cid, pid, "situation", sec_text("取消後の記録"), COUNCIL_OK);
    assert_true(latest_version(f->c, cid, "situation") > v);
    /* Neither B nor C holds the new key. */
    assert_int_equal(steal_key(f->c, cid, "situation", v + 1, f->mc, &kc, &key), COUNCIL_ENOTFOUND);
    assert_int_equal(steal_key(f->c, cid, "situation", v + 1, f->mb, &kb, &key), COUNCIL_ENOTFOUND);
    council__member_keys_free(&kb);
    council__member_keys_free(&kc);
    council_close(sa);
    council_close(sb);
}

/* The insider makes itself the owner of A's case. */
static void test_insider__forged_owner(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    uint8_t cid[16], pid[16], nonce[16];
    int rc;
    char *t;

    health_case(f, sa, cid, pid);
    insider_row(sb, "UPDATE case_record SET owner = ?2 WHERE id = ?1;", cid, f->mb, NULL, 0);
    /* Its own nonce cannot make the id commit to it. */
    randombytes_buf(nonce, sizeof nonce);
    insider_row(sb, "UPDATE case_record SET owner_proof = ?5 WHERE id = ?1;", cid, NULL, nonce, 16);
    put(sb, cid, pid, "finances", sec_text("家計"), COUNCIL_ETAMPER);
    put(f->c, cid, pid, "family", sec_text("家族"), COUNCIL_ETAMPER);
    t = get_text(sb, cid, pid, "health", &rc);
    assert_int_equal(rc, COUNCIL_ETAMPER);
    assert_null(t);
    insider_holds_nothing(f, sb, cid, pid, "finances");
    insider_holds_nothing(f, sb, cid, pid, "family");
    assert_true(tamper_events(f->c, "forged_case_owner") >= 1);
    /* With no proof at all, the same. */
    insider_row(sb, "UPDATE case_record SET owner_proof = NULL WHERE id = ?1;", cid, NULL, NULL, 0);
    put(f->c, cid, pid, "family", sec_text("家族"), COUNCIL_ETAMPER);
    /* Inside a batch the caller then rolls back, the finding stays. */
    {
        int64_t before = tamper_events(f->c, "forged_case_owner");
        assert_int_equal(council_batch_begin(f->c), COUNCIL_OK);
        put(f->c, cid, pid, "family", sec_text("家族"), COUNCIL_ETAMPER);
        assert_int_equal(council_batch_rollback(f->c), COUNCIL_OK);
        assert_int_equal(tamper_events(f->c, "forged_case_owner"), before + 1);
    }
    council_close(sa);
    council_close(sb);
}

/* The register, staff and pledges: the insider widens its ceiling, makes
 * itself the coordinating body, comes back from withdrawal, adds staff of
 * its own with a pledge. */
static void test_insider__forged_register_and_staff(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;
    council *s2 = NULL;
    uint8_t cid[16], pid[16], fake[16];

    health_case(f, sa, cid, pid);
    insider_row(sb, "UPDATE member SET scopes = 'health,situation,support_plan,wishes', roles = 2 "
                    "WHERE id = ?1;", f->mb, NULL, NULL, 0);
    /* A's share within what the register really says is refused as
     * tampered, not granted on the widened ceiling. */
    share(sa, cid, f->mb, "health", COUNCIL_ETAMPER);
    insider_holds_nothing(f, sb, cid, pid, "health");
    assert_true(tamper_events(f->c, "forged_member_row") >= 1);
    /* Its own sessions stand on the register too: refused. */
    o.passphrase = (const uint8_t *)MPASS;
    o.passphrase_len = strlen(MPASS);
    o.staff_id = f->sb;
    o.staff_id_len = 16;
    o.keyfile = f->kb.ptr;
    o.keyfile_len = f->kb.len;
    assert_int_not_equal(council_open(&s2, f->store, &o), COUNCIL_OK);
    council_close(s2);
    s2 = NULL;
    /* A staff member of its own, pledged by its own hand, for member C. */
    randombytes_buf(fake, sizeof fake);
    {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(sb->db, "INSERT INTO staff (id, member_id, display_name, "
                                            "added, seq, sig) SELECT ?1, ?2, 'x', 1, max(seq) + 1, "
                                            "(SELECT sig FROM staff WHERE id = ?3) FROM staff;", -1,
                                            &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, fake, 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, f->mc, 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, f->sc, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
        assert_int_equal(sqlite3_prepare_v2(sb->db, "INSERT INTO pledge (staff_id, pledged, "
                                            "text_version, text_sha256, sig) SELECT ?1, pledged, "
                                            "text_version, text_sha256, sig FROM pledge WHERE "
                                            "staff_id = ?2;", -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_blob(st, 1, fake, 16, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, f->sc, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    o.staff_id = fake;
    o.keyfile = f->kc.ptr;
    o.keyfile_len = f->kc.len;
    assert_int_equal(council_open(&s2, f->store, &o), COUNCIL_ETAMPER);
    council_close(s2);
    assert_true(tamper_events(f->c, "forged_staff_row") >= 1);
    council_close(sa);
    council_close(sb);
}


static void consent_for(council_consent_options *o, const uint8_t cid[16], const uint8_t pid[16],
                        const uint8_t *member, const char *const *scopes)
{
    static const char *const purposes[] = { "support_coordination" };
    council_consent_options d = COUNCIL_CONSENT_OPTIONS_INIT;

    *o = d;
    o->case_id = cid;
    o->case_id_len = 16;
    o->subject_person = pid;
    o->subject_person_len = 16;
    o->recipient_members = member;
    o->n_recipient_members = 1;
    o->scopes = scopes;
    o->n_scopes = 1;
    o->purposes = purposes;
    o->n_purposes = 1;
    o->method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_WRITTEN;
}

static int share_on(council *s, const uint8_t cid[16], const uint8_t m[16], const char *scope,
                    const uint8_t id[16])
{
    council_share_options o = COUNCIL_SHARE_OPTIONS_INIT;
    const char *sc[1] = { scope };

    o.scopes = sc;
    o.n_scopes = 1;
    o.purpose = "support_coordination";
    o.basis = "consent";
    o.consent_id = id;
    o.consent_id_len = 16;
    return council_case_share(s, cid, 16, m, 16, &o);
}

/* The consent ledger and the policy: a consent the insider wrote, one it
 * took the withdrawal off, a policy it loosened. */
static void test_insider__forged_consent_and_policy(void **state)
{
    fx *f = *state;
    static const char *const wishes[] = { "wishes" };
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    council_consent_options o;
    council_policy_options po = COUNCIL_POLICY_OPTIONS_INIT;
    static const char *const bases[] = { "consent", "appi_27_1_1_law" };
    uint8_t cid[16], pid[16], id[16], fake[16];

    new_case(sa, cid, pid);
    put(sa, cid, pid, "wishes", sec_text("本人の意向"), COUNCIL_OK);
    /* A consent the owner recorded for B, then withdrew. */
    consent_for(&o, cid, pid, f->mb, wishes);
    assert_int_equal(council_consent_record(sa, id, 16, &o), COUNCIL_OK);
    assert_int_equal(council_consent_withdraw(sa, id, 16, 0, "本人の申し出"), COUNCIL_OK);
    assert_int_equal(share_on(sa, cid, f->mb, "wishes", id), COUNCIL_ENOCONSENT);
    /* B deletes the withdrawal: the record grants nothing. */
    insider_row(sb, "DELETE FROM consent_withdrawal WHERE consent_id = ?1;", id, NULL, NULL, 0);
    assert_int_equal(share_on(sa, cid, f->mb, "wishes", id), COUNCIL_ENOCONSENT);
    {
        council_buf out = { NULL, 0 };
        assert_int_equal(council_consent_get(sa, &out, id, 16), COUNCIL_ETAMPER);
        assert_null(out.ptr);
    }
    assert_true(tamper_events(f->c, "forged_consent") >= 1);
    /* A refusal after consent; B deletes the refusal: the older consent
     * was signed again over the refusal, so it grants nothing now. */
    {
        static const char *const fam[] = { "family" };
        uint8_t cons[16], ref[16];
        put(sa, cid, pid, "family", sec_text("家族の状況"), COUNCIL_OK);
        consent_for(&o, cid, pid, f->mc, fam);
        assert_int_equal(council_consent_record(sa, cons, 16, &o), COUNCIL_OK);
        assert_int_equal(council_consent_refuse(sa, ref, 16, &o), COUNCIL_OK);
        assert_int_equal(share_on(sa, cid, f->mc, "family", cons), COUNCIL_ENOCONSENT);
        insider_row(sb, "DELETE FROM consent WHERE id = ?1;", ref, NULL, NULL, 0);
        assert_int_equal(share_on(sa, cid, f->mc, "family", cons), COUNCIL_ENOCONSENT);
        assert_true(tamper_events(f->c, "forged_consent") >= 2);
    }
    /* B writes a record of its own (a copy under a new id, with a grant
     * copied from another record): it counts for nothing. */
    randombytes_buf(fake, sizeof fake);
    consent_for(&o, cid, pid, f->mb, wishes);
    {
        uint8_t other[16];
        assert_int_equal(council_consent_record(sa, other, 16, &o), COUNCIL_OK);
        assert_int_equal(council_consent_withdraw(sa, other, 16, 0, "撤回"), COUNCIL_OK);
        insider_row(sb, "INSERT INTO consent (id, case_id, subject_person, refusal, recorded, body, "
                        "seq) SELECT ?2, case_id, subject_person, 0, recorded, body, (SELECT "
                        "max(seq) + 1 FROM consent) FROM consent WHERE id = ?1;", other, fake, NULL, 0);
        insider_row(sb, "INSERT INTO consent_grant (consent_id, signer, sig) SELECT ?2, signer, sig "
                        "FROM consent_grant LIMIT 1;", NULL, fake, NULL, 0);
    }
    assert_int_equal(share_on(sa, cid, f->mb, "wishes", fake), COUNCIL_ENOCONSENT);
    insider_holds_nothing(f, sb, cid, pid, "wishes");
    /* The policy: B turns on an exception the council had turned off. */
    po.accepted_bases = bases;
    po.n_accepted_bases = 2;
    assert_int_equal(council_policy_set(f->c, &po), COUNCIL_OK);
    {
        council_policy_options loose = COUNCIL_POLICY_OPTIONS_INIT;
        static const char *const all[] = { "consent", "appi_27_1_1_law", "appi_27_1_4_public_duty" };
        council_buf saved = { NULL, 0 };
        sqlite3_stmt *st;
        loose.accepted_bases = all;
        loose.n_accepted_bases = 3;
        /* The bytes of a looser policy, as B would write them. */
        assert_int_equal(council_policy_set(f->c, &loose), COUNCIL_OK);
        assert_int_equal(sqlite3_prepare_v2(sb->db, "SELECT value FROM setting WHERE key = 'policy';",
                                            -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        saved.len = (size_t)sqlite3_column_bytes(st, 0);
        saved.ptr = malloc(saved.len);
        memcpy(saved.ptr, sqlite3_column_blob(st, 0), saved.len);
        sqlite3_finalize(st);
        assert_int_equal(council_policy_set(f->c, &po), COUNCIL_OK);
        insider_row(sb, "UPDATE setting SET value = ?5 WHERE key = 'policy';", NULL, NULL, saved.ptr,
                    saved.len);
        free(saved.ptr);
    }
    share(sa, cid, f->mb, "wishes", COUNCIL_ETAMPER);
    assert_true(tamper_events(f->c, "forged_policy") >= 1);
    insider_holds_nothing(f, sb, cid, pid, "wishes");
    /* Set again by the secretariat, the policy decides again. */
    assert_int_equal(council_policy_set(f->c, &po), COUNCIL_OK);
    share(sa, cid, f->mb, "wishes", COUNCIL_ENOCONSENT);
    council_close(sa);
    council_close(sb);
}

/* A share row the insider wrote, or took the end off: no read. */
static void test_insider__forged_share_read(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    uint8_t cid[16], pid[16];
    char *t;
    int rc;

    health_case(f, sa, cid, pid);
    put(sa, cid, pid, "wishes", sec_text("意向"), COUNCIL_OK);
    forge_share(sb, cid, f->mb, "wishes");
    t = get_text(sb, cid, pid, "wishes", &rc);
    assert_int_equal(rc, COUNCIL_EDENIED);
    assert_null(t);
    assert_true(tamper_events(f->c, "forged_share") >= 1);
    /* A's real share of the situation works; ended, and un-ended by B: no. */
    t = get_text(sb, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    free(t);
    assert_int_equal(council_case_revoke(sa, cid, 16, f->mb, 16, NULL, 0, "support_ended"), COUNCIL_OK);
    insider_row(sb, "UPDATE case_share SET revoked = NULL WHERE case_id = ?1 AND member_id = ?2;",
                cid, f->mb, NULL, 0);
    t = get_text(sb, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_EDENIED);
    assert_null(t);
    council_close(sa);
    council_close(sb);
}


/* A store from before signed rows: the secretariat's first session signs
 * what it finds, once; staff work again; a row forged afterwards is not
 * signed by a later session. */
static void test_insider__upgrade_from_before(void **state)
{
    fx *f = *state;
    static const char *const sit[] = { "situation" };
    council *sa = staff_open(f, f->sa, &f->ka), *sb = NULL;
    council_consent_options o;
    council_buf note = { NULL, 0 };
    uint8_t cid[16], pid[16], id[16], c2[16], p2[16];
    char *t;
    int rc;

    health_case(f, sa, cid, pid);
    consent_for(&o, cid, pid, f->mc, sit);
    assert_int_equal(council_consent_record(sa, id, 16, &o), COUNCIL_OK);
    council_close(sa);
    /* Back to how a store of 0.1.0 looked: no tags, links, signatures,
     * grants or owner proofs, and no log head. */
    assert_int_equal(sqlite3_exec(f->c->db,
        "UPDATE key_wrap SET tag = NULL; UPDATE case_key SET signer = NULL, sig = NULL;"
        "UPDATE case_record SET owner_proof = NULL; UPDATE member SET sig = NULL;"
        "UPDATE staff SET sig = NULL; DROP TRIGGER pledge_unchanged; UPDATE pledge SET sig = NULL;"
        "CREATE TRIGGER pledge_unchanged BEFORE UPDATE ON pledge"
        "  BEGIN SELECT RAISE(ABORT, 'pledges are never changed'); END;"
        "DELETE FROM consent_grant; UPDATE case_share SET signer = NULL, sig = NULL;"
        "UPDATE member_key_sig SET sign_pk = NULL, sign_sig = NULL;"
        "DELETE FROM setting WHERE key IN ('log_head_kept', 'policy_sig');", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(th_keyring_drop_head(f->c), COUNCIL_OK);
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(tamper_events(f->c, NULL), 0);
    sa = staff_open(f, f->sa, &f->ka);
    sb = staff_open(f, f->sb, &f->kb);
    t = get_text(sb, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, "状況");
    free(t);
    put(sa, cid, pid, "health", sec_text("追記"), COUNCIL_OK);
    assert_int_equal(share_on(sa, cid, f->mc, "situation", id), COUNCIL_OK);
    assert_int_equal(council_case_rekey(f->c, cid, 16), COUNCIL_OK);
    new_case(sa, c2, p2);
    put(sa, c2, p2, "wishes", sec_text("意向"), COUNCIL_OK);
    assert_int_equal(council_audit_checkpoint(f->c, &note), COUNCIL_OK);
    council_buf_free(&note);
    /* Never again: a wrap row without a tag written now stays a forgery
     * after the secretariat's next session. */
    {
        council__member_keys kb;
        member_keys(&f->kb, &kb);
        forge_wrap(sb, c2, "wishes", latest_version(f->c, c2, "wishes"), f->mb, kb.box_pk);
        council__member_keys_free(&kb);
    }
    insider_row(sb, "UPDATE key_wrap SET tag = NULL WHERE holder = ?1 AND case_id = ?2;", f->mb, c2,
                NULL, 0);
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(count(f->c, "SELECT count(*) FROM key_wrap WHERE case_id = ?1 AND tag IS NULL",
                           c2), 1);
    assert_int_equal(council_case_rekey(f->c, c2, 16), COUNCIL_OK);
    insider_holds_nothing(f, sb, c2, p2, "wishes");
    council_close(sa);
    council_close(sb);
}


static void forge_latest(fx *f, council *sb, const uint8_t cid[16], const char *scope)
{
    council__member_keys kb;

    member_keys(&f->kb, &kb);
    forge_wrap(sb, cid, scope, latest_version(f->c, cid, scope), f->mb, kb.box_pk);
    council__member_keys_free(&kb);
}

/* The other rotations: an expiry, a member's withdrawal, a consent
 * withdrawn, a meeting closed. A forged wrap before each brings nothing. */
static void test_insider__forged_wrap_other_rotations(void **state)
{
    fx *f = *state;
    static const char *const health[] = { "health" };
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    council_meeting_options mo = COUNCIL_MEETING_OPTIONS_INIT;
    council_consent_options o;
    uint8_t cid[16], pid[16], id[16], mid[16], m2[16];
    council_buf kf = { NULL, 0 };
    uint32_t v0;

    health_case(f, sa, cid, pid);
    /* Expiry: C's share ends at the next write. */
    so.scopes = health;
    so.n_scopes = 1;
    so.purpose = "support_coordination";
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "短期の共有";
    so.expires = (int64_t)time(NULL) + 1;
    assert_int_equal(council_case_share(sa, cid, 16, f->mc, 16, &so), COUNCIL_OK);
    forge_latest(f, sb, cid, "health");
    v0 = latest_version(f->c, cid, "health");
    sleep(2);
    put(sa, cid, pid, "health", sec_text("期限後の記録"), COUNCIL_OK);
    assert_true(latest_version(f->c, cid, "health") > v0);
    insider_holds_nothing(f, sb, cid, pid, "health");
    /* A consent withdrawn: C's share on it ends. */
    consent_for(&o, cid, pid, f->mc, health);
    assert_int_equal(council_consent_record(sa, id, 16, &o), COUNCIL_OK);
    assert_int_equal(share_on(sa, cid, f->mc, "health", id), COUNCIL_OK);
    forge_latest(f, sb, cid, "health");
    v0 = latest_version(f->c, cid, "health");
    assert_int_equal(council_consent_withdraw(sa, id, 16, 0, "本人の申し出"), COUNCIL_OK);
    assert_true(latest_version(f->c, cid, "health") > v0);
    put(sa, cid, pid, "health", sec_text("撤回後の記録"), COUNCIL_OK);
    insider_holds_nothing(f, sb, cid, pid, "health");
    /* A meeting closed: C's agenda share ends. */
    mo.body = COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL;
    mo.starts = (int64_t)time(NULL) - 60;
    mo.ends = (int64_t)time(NULL) + 600;
    mo.attendees = f->mc;
    mo.n_attendees = 1;
    assert_int_equal(council_meeting_create(f->c, mid, 16, &mo), COUNCIL_OK);
    so.purpose = "meeting_discussion";
    so.expires = 0;
    assert_int_equal(council_meeting_add_case(f->c, mid, 16, cid, 16, f->mc, 16, &so), COUNCIL_OK);
    forge_latest(f, sb, cid, "health");
    v0 = latest_version(f->c, cid, "health");
    assert_int_equal(council_meeting_close(f->c, mid, 16), COUNCIL_OK);
    assert_true(latest_version(f->c, cid, "health") > v0);
    put(sa, cid, pid, "health", sec_text("閉会後の記録"), COUNCIL_OK);
    insider_holds_nothing(f, sb, cid, pid, "health");
    /* A member's withdrawal: C gets health again, then withdraws. */
    share(sa, cid, f->mc, "health", COUNCIL_OK);
    forge_latest(f, sb, cid, "health");
    v0 = latest_version(f->c, cid, "health");
    assert_int_equal(council_member_withdraw(f->c, f->mc, 16, 0, "協議会から脱退"), COUNCIL_OK);
    assert_true(latest_version(f->c, cid, "health") > v0);
    put(sa, cid, pid, "health", sec_text("脱退後の記録"), COUNCIL_OK);
    insider_holds_nothing(f, sb, cid, pid, "health");
    /* And a key replacement of another member, A (the owner): its wraps are
     * re-wrapped from the coordinating body's copies; B's forged one is not. */
    forge_latest(f, sb, cid, "health");
    if (council_member_keygen(f->c, &kf, f->ma, 16, (const uint8_t *)MPASS, strlen(MPASS), TH_OPS,
                              TH_MEM) != COUNCIL_OK)
        fail_msg("member_keygen: %s", council_errmsg(f->c));
    council_buf_free(&f->ka);
    f->ka = kf;
    insider_holds_nothing(f, sb, cid, pid, "health");
    /* What A signed with its old key (the first versions of its scopes)
     * was signed again by the council: its case reads as before. */
    council_close(sa);
    sa = staff_open(f, f->sa, &f->ka);
    {
        int rc;
        char *t = get_text(sa, cid, pid, "situation", &rc);
        assert_int_equal(rc, COUNCIL_OK);
        assert_string_equal(t, "状況");
        free(t);
        t = get_text(f->c, cid, pid, "situation", &rc);
        assert_int_equal(rc, COUNCIL_OK);
        free(t);
    }
    assert_int_equal(tamper_events(f->c, "forged_key_version"), 0);
    /* And after the owner leaves the council altogether. */
    council_close(sa);
    sa = NULL;
    assert_int_equal(council_member_withdraw(f->c, f->ma, 16, 0, "協議会から脱退"), COUNCIL_OK);
    {
        int rc;
        char *t = get_text(f->c, cid, pid, "situation", &rc);
        assert_int_equal(rc, COUNCIL_OK);
        assert_string_equal(t, "状況");
        free(t);
    }
    (void)m2;
    council_close(sa);
    council_close(sb);
}


/* A member that held a scope's key and was revoked puts a key of its own in
 * place of the version that shut it out, or deletes that version. */
static void test_insider__version_replaced_after_revocation(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    uint8_t cid[16], pid[16], chosen[32];
    uint32_t after;

    randombytes_buf(chosen, sizeof chosen);
    health_case(f, sa, cid, pid); /* B holds the situation */
    assert_int_equal(council_case_revoke(sa, cid, 16, f->mb, 16, NULL, 0, "support_ended"), COUNCIL_OK);
    after = latest_version(f->c, cid, "situation");
    /* Replaced: its own key, signed with its own member key (a valid
     * signature, by someone who is not the owner). */
    insider_row(sb, "DELETE FROM key_wrap WHERE case_id = ?1 AND scope = 'situation' AND version = "
                    "(SELECT max(version) FROM case_key WHERE case_id = ?1 AND scope = 'situation');",
                cid, NULL, NULL, 0);
    insider_row(sb, "DELETE FROM case_key WHERE case_id = ?1 AND scope = 'situation' AND version = "
                    "(SELECT max(version) FROM case_key WHERE case_id = ?1 AND scope = 'situation');",
                cid, NULL, NULL, 0);
    inject_version(f, sb, cid, "situation", after, chosen);
    {
        uint8_t m[256], signer[16], sig[64], *p = m, commit[32];
        static const char label[] = "council/key-commit/v1";
        crypto_generichash(commit, 32, (const uint8_t *)label, sizeof label, chosen, 32);
        p = council__put_bytes(p, cid, 16);
        *p++ = (uint8_t)strlen("situation");
        p = council__put_bytes(p, "situation", strlen("situation"));
        p = council__put_u32(p, after);
        p = council__put_bytes(p, commit, 32);
        assert_int_equal(council__attest_sign(sb, "key_version", m, (size_t)(p - m), signer, sig),
                         COUNCIL_OK);
        insider_row(sb, "UPDATE case_key SET signer = ?2, sig = ?5 WHERE case_id = ?1 AND scope = "
                        "'situation' AND version = (SELECT max(version) FROM case_key WHERE "
                        "case_id = ?1 AND scope = 'situation');", cid, f->mb, sig, sizeof sig);
    }
    put(sa, cid, pid, "situation", sec_text("取消後の記録"), COUNCIL_ETAMPER);
    put(f->c, cid, pid, "situation", sec_text("取消後の記録"), COUNCIL_ETAMPER);
    assert_false(readable_with(f->c, cid, pid, "situation", chosen));
    council_close(sa);
    council_close(sb);
}

/* Deleted: once something was written under the version that shut it out. */
static void test_insider__version_deleted_after_revocation(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    uint8_t cid[16], pid[16];

    health_case(f, sa, cid, pid);
    assert_int_equal(council_case_revoke(sa, cid, 16, f->mb, 16, NULL, 0, "support_ended"), COUNCIL_OK);
    put(sa, cid, pid, "situation", sec_text("取消後の記録"), COUNCIL_OK);
    insider_row(sb, "DELETE FROM key_wrap WHERE case_id = ?1 AND scope = 'situation' AND version = "
                    "(SELECT max(version) FROM case_key WHERE case_id = ?1 AND scope = 'situation');",
                cid, NULL, NULL, 0);
    insider_row(sb, "DELETE FROM case_key WHERE case_id = ?1 AND scope = 'situation' AND version = "
                    "(SELECT max(version) FROM case_key WHERE case_id = ?1 AND scope = 'situation');",
                cid, NULL, NULL, 0);
    put(sa, cid, pid, "situation", sec_text("さらに後の記録"), COUNCIL_ETAMPER);
    assert_non_null(strstr(council_errmsg(sa), "were deleted"));
    assert_true(tamper_events(f->c, "key_version_rolled_back") >= 1);
    insider_holds_nothing(f, sb, cid, pid, "situation");
    council_close(sa);
    council_close(sb);
}


/* Nobody but the owner and the secretariat makes a key version: a
 * recipient's write that finds an expired share waits for them. */
static void test_insider__recipient_makes_no_version(void **state)
{
    fx *f = *state;
    static const char *const sit[] = { "situation" };
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    uint8_t cid[16], pid[16];
    uint32_t v0;

    health_case(f, sa, cid, pid);
    so.scopes = sit;
    so.n_scopes = 1;
    so.purpose = "support_coordination";
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "短期の共有";
    so.expires = (int64_t)time(NULL) + 1;
    assert_int_equal(council_case_share(sa, cid, 16, f->mc, 16, &so), COUNCIL_OK);
    v0 = latest_version(f->c, cid, "situation");
    sleep(2);
    put(sb, cid, pid, "situation", sec_text("Bの記録"), COUNCIL_EDENIED);
    assert_non_null(strstr(council_errmsg(sb), "only the owner or the secretariat"));
    assert_int_equal(latest_version(f->c, cid, "situation"), v0);
    put(sa, cid, pid, "situation", sec_text("Aの記録"), COUNCIL_OK);
    assert_true(latest_version(f->c, cid, "situation") > v0);
    put(sb, cid, pid, "situation", sec_text("Bの記録"), COUNCIL_OK);
    council_close(sa);
    council_close(sb);
}


/* The register after a withdrawal, and the key directory's signing keys. */
static void test_insider__unwithdrawn_and_sign_key_swapped(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;
    council *s2 = NULL;
    uint8_t cid[16], pid[16], chosen[32];

    health_case(f, sa, cid, pid);
    /* C withdraws; B takes the withdrawal off C's register row. */
    assert_int_equal(council_member_withdraw(f->c, f->mc, 16, 0, "協議会から脱退"), COUNCIL_OK);
    insider_row(sb, "UPDATE member SET withdrawn = NULL WHERE id = ?1;", f->mc, NULL, NULL, 0);
    share(sa, cid, f->mc, "situation", COUNCIL_ETAMPER);
    o.passphrase = (const uint8_t *)MPASS;
    o.passphrase_len = strlen(MPASS);
    o.staff_id = f->sc;
    o.staff_id_len = 16;
    o.keyfile = f->kc.ptr;
    o.keyfile_len = f->kc.len;
    assert_int_not_equal(council_open(&s2, f->store, &o), COUNCIL_OK);
    council_close(s2);
    assert_int_equal(count(f->c, "SELECT count(*) FROM key_wrap WHERE holder = ?1", f->mc), 0);
    /* B puts its own signing key (and its directory signature) in A's entry
     * of the key directory, then signs a key version of its own as "A". */
    insider_row(sb, "UPDATE member_key_sig SET sign_pk = (SELECT sign_pk FROM member_key_sig WHERE "
                    "member_id = ?2), sign_sig = (SELECT sign_sig FROM member_key_sig WHERE "
                    "member_id = ?2) WHERE member_id = ?1;", f->ma, f->mb, NULL, 0);
    randombytes_buf(chosen, sizeof chosen);
    inject_version(f, sb, cid, "health", latest_version(f->c, cid, "health") + 1, chosen);
    {
        uint8_t m[256], signer[16], sig[64], *p = m, commit[32];
        static const char label[] = "council/key-commit/v1";
        uint32_t v = latest_version(f->c, cid, "health");
        crypto_generichash(commit, 32, (const uint8_t *)label, sizeof label, chosen, 32);
        p = council__put_bytes(p, cid, 16);
        *p++ = (uint8_t)strlen("health");
        p = council__put_bytes(p, "health", strlen("health"));
        p = council__put_u32(p, v);
        p = council__put_bytes(p, commit, 32);
        assert_int_equal(council__attest_sign(sb, "key_version", m, (size_t)(p - m), signer, sig),
                         COUNCIL_OK);
        insider_row(sb, "UPDATE case_key SET signer = ?2, sig = ?5 WHERE case_id = ?1 AND scope = "
                        "'health' AND version = (SELECT max(version) FROM case_key WHERE case_id = "
                        "?1 AND scope = 'health');", cid, f->ma, sig, sizeof sig);
    }
    put(f->c, cid, pid, "health", sec_text("事務局の記録"), COUNCIL_ETAMPER);
    assert_false(readable_with(f->c, cid, pid, "health", chosen));
    council_close(sa);
    council_close(sb);
}

/* Attack 3: the insider deletes its own reads and refusals (and the later
 * checkpoints and tree nodes) below a head the secretariat has seen. */
static void test_insider__dropped_events_refused(void **state)
{
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    uint8_t cid[16], pid[16];
    council_buf note = { NULL, 0 };
    uint64_t before = 0;
    char *t;
    int rc;

    health_case(f, sa, cid, pid);
    t = get_text(sb, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    free(t);
    t = get_text(sb, cid, pid, "health", &rc); /* refused, and logged */
    assert_int_not_equal(rc, COUNCIL_OK);
    assert_int_equal(council_audit_checkpoint(f->c, &note), COUNCIL_OK);
    council_buf_free(&note);
    assert_int_equal(council__audit_size(f->c, &before), COUNCIL_OK);
    /* Everything B did goes, with the tree and the checkpoints above it. */
    insider_row(sb, "DELETE FROM audit_event WHERE actor_member = ?1;", f->mb, NULL, NULL, 0);
    insider_row(sb, "DELETE FROM audit_checkpoint;", NULL, NULL, NULL, 0);
    assert_int_equal(council_audit_checkpoint(f->c, &note), COUNCIL_ETAMPER);
    assert_null(note.ptr);
    assert_non_null(strstr(council_errmsg(f->c), "deleted"));
    {
        char *path = th_path(f->root, "after.cax");
        assert_int_equal(council_audit_export(f->c, path), COUNCIL_ETAMPER);
        assert_false(th_exists(path));
        free(path);
    }
    assert_true(tamper_events(f->c, NULL) >= 1);
    /* Renumbering the rest into a shorter log (and its tree) is caught too. */
    insider_row(sb, "DELETE FROM audit_event WHERE seq >= 3;", NULL, NULL, NULL, 0);
    insider_row(sb, "DELETE FROM audit_node WHERE (idx + 1) << level > 3;", NULL, NULL, NULL, 0);
    assert_int_equal(council_audit_checkpoint(f->c, &note), COUNCIL_ETAMPER);
    assert_non_null(strstr(council_errmsg(f->c), "fewer than"));
    /* The secretariat's next session says so on the record. */
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(th_last_action(f->c), COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_TAMPER_DETECTED);
    assert_int_equal(council_audit_checkpoint(f->c, &note), COUNCIL_ETAMPER);
    /* Only the secretariat, with a reason code, takes the log as it is;
     * the events before stay gone, and checkpoints go on from there. */
    assert_int_equal(council_audit_head_reset(sb, "restored_from_backup"), COUNCIL_EDENIED);
    assert_int_equal(council_audit_head_reset(f->c, "restored from backup"), COUNCIL_EINVAL);
    assert_int_equal(council_audit_head_reset(f->c, "restored_from_backup"), COUNCIL_OK);
    assert_int_equal(council_audit_checkpoint(f->c, &note), COUNCIL_OK);
    council_buf_free(&note);
    {
        council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
        council_buf out = { NULL, 0 };
        Council__V1__AuditEventList *l;
        flt.action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_LOG_HEAD_RESET;
        assert_int_equal(council_audit_list(f->c, &out, &flt), COUNCIL_OK);
        l = council__v1__audit_event_list__unpack(NULL, out.len, out.ptr);
        assert_non_null(l);
        assert_int_equal(l->n_events, 1);
        assert_string_equal(l->events[0]->reason, "restored_from_backup");
        council__v1__audit_event_list__free_unpacked(l, NULL);
        council_buf_free(&out);
    }
    /* A tree that is not the tree of its events is not taken. */
    insider_row(sb, "UPDATE audit_node SET hash = zeroblob(32) WHERE level = 0 AND idx = 1;", NULL,
                NULL, NULL, 0);
    assert_int_equal(council_audit_head_reset(f->c, "restored_from_backup"), COUNCIL_ETAMPER);
    council_close(sa);
    council_close(sb);
}

/* The head itself: edited, or removed from the keyring while the store
 * says one was kept. */
static void test_insider__log_head_forged_or_dropped(void **state)
{
    fx *f = *state;
    council_buf note = { NULL, 0 };
    council__keyring *kr = malloc(sizeof *kr);

    assert_non_null(kr);
    assert_int_equal(council_audit_checkpoint(f->c, &note), COUNCIL_OK);
    council_buf_free(&note);
    assert_int_equal(council__keyring_load(NULL, kr, f->store), COUNCIL_OK);
    assert_true(kr->log_head_len > 64);
    kr->log_head[8] ^= 1; /* another tree under the same size */
    assert_int_equal(council__keyring_store(NULL, kr, f->store), COUNCIL_OK);
    assert_int_equal(council_audit_checkpoint(f->c, &note), COUNCIL_ETAMPER);
    assert_non_null(strstr(council_errmsg(f->c), "not signed"));
    assert_int_equal(th_keyring_drop_head(f->c), COUNCIL_OK);
    assert_int_equal(council_audit_checkpoint(f->c, &note), COUNCIL_ETAMPER);
    assert_non_null(strstr(council_errmsg(f->c), "lost the log head"));
    assert_true(tamper_events(f->c, "log_head_missing") >= 1);
    free(kr);
}

/* Honest work is not disturbed: checkpoints go on extending the head
 * across sessions, and an export verifies. */
static void test_insider__honest_log_extends(void **state)
{
    fx *f = *state;
    council_buf n1 = { NULL, 0 }, n2 = { NULL, 0 }, proof = { NULL, 0 }, rep = { NULL, 0 };
    council *sa = staff_open(f, f->sa, &f->ka);
    uint8_t cid[16], pid[16];
    char *path = th_path(f->root, "log.cax");

    assert_int_equal(council_audit_checkpoint(f->c, &n1), COUNCIL_OK);
    health_case(f, sa, cid, pid);
    council_close(sa);
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(council_audit_checkpoint(f->c, &n2), COUNCIL_OK);
    assert_int_equal(council_audit_export(f->c, path), COUNCIL_OK);
    assert_int_equal(tamper_events(f->c, NULL), 0);
    council_buf_free(&n1);
    council_buf_free(&n2);
    council_buf_free(&proof);
    council_buf_free(&rep);
    free(path);
}

/* Review 2, finding 1: a share past its expiry, its expiry rewritten as a
 * BLOB of the same digits. The signed message reads the column as an
 * integer (the digits: the signature holds), while SQL orders every BLOB
 * above every integer: "expires > now" holds and "expires <= now" does
 * not, so the owner's next write neither ends the share nor rotates the
 * key, and the insider reads what was written after its share expired. */
static void test_insider__expiry_retyped(void **state)
{
    fx *f = *state;
    static const char *const sit[] = { "situation" };
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    uint8_t cid[16], pid[16];
    uint32_t v0;
    char *t;
    int rc;

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("状況"), COUNCIL_OK);
    so.scopes = sit;
    so.n_scopes = 1;
    so.purpose = "support_coordination";
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "短期の共有";
    so.expires = (int64_t)time(NULL) + 3;
    assert_int_equal(council_case_share(sa, cid, 16, f->mb, 16, &so), COUNCIL_OK);
    t = get_text(sb, cid, pid, "situation", &rc);
    /* read while the share runs (on a slow run, under valgrind, it may
     * have ended already: then it is refused) */
    assert_true(rc == COUNCIL_OK || (int64_t)time(NULL) >= so.expires);
    free(t);
    v0 = latest_version(f->c, cid, "situation");
    while ((int64_t)time(NULL) <= so.expires)
        sleep(1);
    insider_row(sb, "UPDATE case_share SET expires = CAST(CAST(expires AS TEXT) AS BLOB) WHERE "
                    "case_id = ?1 AND member_id = ?2;", cid, f->mb, NULL, 0);
    put(sa, cid, pid, "situation", sec_text("期限後の秘密"), COUNCIL_OK);
    assert_true(latest_version(f->c, cid, "situation") > v0);
    t = get_text(sb, cid, pid, "situation", &rc);
    assert_int_not_equal(rc, COUNCIL_OK);
    assert_null(t);
    {
        council__member_keys kb;
        council__secret key = { NULL, 0 };
        member_keys(&f->kb, &kb);
        assert_int_equal(steal_key(f->c, cid, "situation", latest_version(f->c, cid, "situation"),
                                   f->mb, &kb, &key), COUNCIL_ENOTFOUND);
        council__member_keys_free(&kb);
    }
    council_close(sa);
    council_close(sb);
}

/* Review 2, finding 2: the insider adds itself to a meeting's attendees;
 * closing the meeting signed the meeting again as it found it, forged
 * attendee and all (the secretariat's signature laundered the row, and the
 * finding was never logged). Closing still ends the meeting's shares, but
 * signs nothing it did not check. */
static void test_insider__close_signs_forged_attendee(void **state)
{
    fx *f = *state;
    static const char *const sit[] = { "situation" };
    council *sa = staff_open(f, f->sa, &f->ka), *sb = staff_open(f, f->sb, &f->kb);
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    uint8_t cid[16], pid[16], mid[16];

    new_case(sa, cid, pid);
    put(sa, cid, pid, "situation", sec_text("状況"), COUNCIL_OK);
    meeting_on_situation(f, mid, f->mc, 600, cid, "支援会議での検討");
    insider_row(sb, "INSERT INTO meeting_attendee (meeting_id, member_id) VALUES (?1, ?2);", mid,
                f->mb, NULL, 0);
    assert_int_equal(council_meeting_close(f->c, mid, 16), COUNCIL_ETAMPER);
    assert_true(tamper_events(f->c, "forged_meeting_row") >= 1);
    /* Closed all the same: C's agenda share is over. */
    {
        bool active = true;
        assert_int_equal(council__share_active(f->c, "test", cid, f->mc, "situation", &active),
                         COUNCIL_OK);
        assert_false(active);
    }
    /* And the forged attendee is still caught, not signed. */
    so.scopes = sit;
    so.n_scopes = 1;
    so.purpose = "meeting_discussion";
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "検討";
    assert_int_equal(council_meeting_add_case(f->c, mid, 16, cid, 16, f->mb, 16, &so),
                     COUNCIL_ETAMPER);
    council_close(sa);
    council_close(sb);
}

/* Refused session events with this reason (session_refused). */
static int64_t refusals(council *c, const char *reason)
{
    council_buf out = { NULL, 0 };
    council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
    Council__V1__AuditEventList *l;
    int64_t n = 0;

    flt.action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_REFUSED;
    assert_int_equal(council_audit_list(c, &out, &flt), COUNCIL_OK);
    l = council__v1__audit_event_list__unpack(NULL, out.len, out.ptr);
    assert_non_null(l);
    for (size_t i = 0; i < l->n_events; i++)
        if (l->events[i]->reason != NULL && strcmp(l->events[i]->reason, reason) == 0)
            n++;
    council__v1__audit_event_list__free_unpacked(l, NULL);
    council_buf_free(&out);
    return n;
}

/* The insider points its own staff row at no member (an id of two bytes,
 * foreign keys off on its connection): the session that stood on it is
 * refused as unknown staff, on the record, and the handle is done; never a
 * database error that leaves the handle open. */
static void test_insider__staff_row_names_no_member(void **state)
{
    fx *f = *state;
    council *sb = staff_open(f, f->sb, &f->kb);
    council_buf out = { NULL, 0 };
    int64_t before = refusals(f->c, "unknown_staff");

    assert_int_equal(sqlite3_exec(sb->db, "PRAGMA foreign_keys = OFF;", NULL, NULL, NULL), SQLITE_OK);
    insider_row(sb, "UPDATE staff SET member_id = X'0102' WHERE id = ?1;", f->sb, NULL, NULL, 0);
    assert_int_equal(council_case_list(sb, &out), COUNCIL_EDENIED);
    assert_non_null(strstr(council_errmsg(sb), "unknown staff"));
    assert_int_equal(council_case_list(sb, &out), COUNCIL_EMISUSE);
    assert_null(out.ptr);
    assert_int_equal(refusals(f->c, "unknown_staff"), before + 1);
    council_close(sb);
}

/* The insider writes the council's time zone (which decides how dates are
 * read): a value the secretariat never signed, then a copy of the signed
 * value's signature over another zone. Both are refused as tampered, on the
 * record; the secretariat's own setting reads back. */
static void test_insider__forged_timezone(void **state)
{
    fx *f = *state;
    council *sb = staff_open(f, f->sb, &f->kb);
    char tz[COUNCIL_TIMEZONE_MAX + 1];
    int64_t before = tamper_events(f->c, "forged_timezone");

    insider_row(sb, "INSERT INTO setting (key, value) VALUES ('timezone', 'America/New_York');",
                NULL, NULL, NULL, 0);
    assert_int_equal(council_timezone_get(sb, tz, sizeof tz), COUNCIL_ETAMPER);
    assert_int_equal(council_timezone_get(f->c, tz, sizeof tz), COUNCIL_ETAMPER);
    assert_true(tamper_events(f->c, "forged_timezone") >= before + 2);
    assert_int_equal(council_timezone_set(f->c, "Asia/Tokyo"), COUNCIL_OK);
    assert_int_equal(council_timezone_get(sb, tz, sizeof tz), COUNCIL_OK);
    assert_string_equal(tz, "Asia/Tokyo");
    insider_row(sb, "UPDATE setting SET value = CAST('America/New_York' AS BLOB) WHERE key = 'timezone';",
                NULL, NULL, NULL, 0);
    assert_int_equal(council_timezone_get(sb, tz, sizeof tz), COUNCIL_ETAMPER);
    assert_string_equal(tz, "");
    council_close(sb);
}

/* Issue 18's red team: a withdrawn member's insider undoes the withdrawal
 * in its register row and puts back the key signature it saved, before
 * the database is re-keyed; after, holding only write access to the store
 * directory, it plants keyring entries for itself. Neither the re-key's
 * re-sealing (variant 0: one entry planted before it) nor the root open's
 * tidying of a member with two entries (variant 1: two planted after it)
 * may seal the new database key to it: "active" is what the signed
 * register says, not the row. */
static void withdrawal_undone(fx *f, int variant)
{
    council *sb = staff_open(f, f->sb, &f->kb);
    council__keyring *kr = calloc(1, sizeof *kr);
    council__member_keys k;
    uint8_t key[32];
    char q[512], hex[33];

    assert_non_null(kr);
    sodium_bin2hex(hex, sizeof hex, f->mc, 16);
    /* saved before the withdrawal (the insider reads any row) */
    rt_sql(sb, "CREATE TEMP TABLE saved AS SELECT * FROM member_key_sig;");
    assert_int_equal(council_member_withdraw(f->c, f->mc, 16, 0, "協議会から脱退"), COUNCIL_OK);
    snprintf(q, sizeof q, "UPDATE member SET withdrawn = NULL WHERE id = x'%s';"
                          "INSERT OR REPLACE INTO member_key_sig SELECT * FROM saved "
                          "WHERE member_id = x'%s';", hex, hex);
    rt_sql(sb, q);
    council_close(sb);
    if (variant == 0) {
        assert_int_equal(council__keyring_load(NULL, kr, f->store), COUNCIL_OK);
        kr->members[kr->n_members] = kr->members[0];
        memcpy(kr->members[kr->n_members].member_id, f->mc, 16);
        randombytes_buf(kr->members[kr->n_members++].sealed, sizeof kr->members[0].sealed);
        assert_int_equal(council__keyring_store(NULL, kr, f->store), COUNCIL_OK);
    }
    assert_int_equal(council_rekey_database(f->c), COUNCIL_OK);
    if (variant == 1) {
        assert_int_equal(council__keyring_load(NULL, kr, f->store), COUNCIL_OK);
        for (int i = 0; i < 2; i++) {
            kr->members[kr->n_members] = kr->members[0];
            memcpy(kr->members[kr->n_members].member_id, f->mc, 16);
            kr->members[kr->n_members].db_key_version = kr->db_key_version;
            randombytes_buf(kr->members[kr->n_members++].sealed, sizeof kr->members[0].sealed);
        }
        assert_int_equal(council__keyring_store(NULL, kr, f->store), COUNCIL_OK);
        council_close(f->c);
        assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK); /* tidies */
    }
    assert_int_equal(council__keyring_load(NULL, kr, f->store), COUNCIL_OK);
    member_keys(&f->kc, &k);
    assert_null(council__keyring_open_member(kr, f->mc, k.box_pk, &k.box_sk, key));
    council__member_keys_free(&k);
    free(kr);
}

static void test_insider__withdrawal_undone_gets_no_key(void **state)
{
    withdrawal_undone(*state, 0);
}

static void test_insider__withdrawal_undone_tidy_gets_no_key(void **state)
{
    withdrawal_undone(*state, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_insider__forged_wrap_then_rotations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__replayed_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__forged_wrap_other_rotations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__forged_share_before_first_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__packet_follows_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__injected_key_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__upgrade_replayed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__cotagged_holder_after_revocation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__forged_owner, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__version_replaced_after_revocation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__version_deleted_after_revocation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__recipient_makes_no_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__forged_register_and_staff, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__unwithdrawn_and_sign_key_swapped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__forged_consent_and_policy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__forged_share_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__upgrade_from_before, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__dropped_events_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__log_head_forged_or_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__honest_log_extends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__expiry_retyped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__close_signs_forged_attendee, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__staff_row_names_no_member, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__forged_timezone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__withdrawal_undone_gets_no_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insider__withdrawal_undone_tidy_gets_no_key, setup,
                                        teardown),
    };

    if (council_global_init() != COUNCIL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
