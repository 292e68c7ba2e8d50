/* test_session.c - staff sessions: who may act, and as whom. A session
 * opens only for a pledged, active staff member of an active member with
 * keys; refusals inside the store are audit events with their reason;
 * withdrawal and retirement take effect on the very next call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "helpers.h"
#include "council_int.h"
#include "keyfile.h"
#include "council/v1/audit.pb-c.h"
#include "council/v1/member.pb-c.h"
#include "keyring.h"

#define MPASS "member passphrase"
static const char pledge[] = "秘密を漏らしません。";

typedef struct fx {
    char *root, *store;
    council *c;                      /* the secretariat */
    uint8_t m1[16], m2[16];          /* members with keyfiles */
    council_buf k1, k2;              /* their keyfiles */
    uint8_t pledged[16], unpledged[16], retired[16], other[16];
} fx;

static void member(council *c, uint8_t id[16], const char *name, council_buf *kf)
{
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;

    o.name = name;
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_NPO;
    assert_int_equal(council_member_add(c, id, 16, &o), COUNCIL_OK);
    assert_int_equal(council_member_keygen(c, kf, id, 16, (const uint8_t *)MPASS, strlen(MPASS),
                                           TH_OPS, TH_MEM), COUNCIL_OK);
}

static void staff(council *c, uint8_t id[16], const uint8_t m[16], const char *name, bool pledged)
{
    assert_int_equal(council_staff_add(c, id, 16, m, 16, name, NULL), COUNCIL_OK);
    if (pledged)
        assert_int_equal(council_staff_pledge(c, id, 16, 0, "v1", (const uint8_t *)pledge,
                                              strlen(pledge), NULL), COUNCIL_OK);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);

    assert_non_null(f);
    f->store = th_make_store(&f->root, "session test");
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    member(f->c, f->m1, "NPO 一", &f->k1);
    member(f->c, f->m2, "NPO 二", &f->k2);
    staff(f->c, f->pledged, f->m1, "相談員 A", true);
    staff(f->c, f->unpledged, f->m1, "相談員 B", false);
    staff(f->c, f->retired, f->m1, "相談員 C", true);
    assert_int_equal(council_staff_retire(f->c, f->retired, 16, 0, "退職"), COUNCIL_OK);
    staff(f->c, f->other, f->m2, "相談員 D", true);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;

    council_close(f->c);
    council_buf_free(&f->k1);
    council_buf_free(&f->k2);
    th_rmrf(f->root);
    free(f->root); free(f->store);
    free(f);
    return 0;
}

static int open_staff(council **out, fx *f, const uint8_t staff_id[16], const council_buf *kf,
                      const char *pass)
{
    council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;

    o.staff_id = staff_id;
    o.staff_id_len = 16;
    o.keyfile = kf->ptr;
    o.keyfile_len = kf->len;
    o.passphrase = (const uint8_t *)pass;
    o.passphrase_len = strlen(pass);
    return council_open(out, f->store, &o);
}

/* The last event of `action` in the log (via the secretariat). */
static Council__V1__AuditEvent *last_event(fx *f, int action)
{
    council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
    council_buf buf = { NULL, 0 };
    Council__V1__AuditEventList *l;
    Council__V1__AuditEvent *e = NULL;

    flt.action = action;
    assert_int_equal(council_audit_list(f->c, &buf, &flt), COUNCIL_OK);
    l = council__v1__audit_event_list__unpack(NULL, buf.len, buf.ptr);
    assert_non_null(l);
    if (l->n_events > 0) {
        uint8_t tmp[4096];
        size_t n = council__v1__audit_event__pack(l->events[l->n_events - 1], tmp);
        e = council__v1__audit_event__unpack(NULL, n, tmp);
    }
    council__v1__audit_event_list__free_unpacked(l, NULL);
    council_buf_free(&buf);
    return e;
}

static void expect_refusal(fx *f, const uint8_t staff_id[16], const char *reason)
{
    Council__V1__AuditEvent *e = last_event(f, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_REFUSED);

    assert_non_null(e);
    assert_int_equal(e->actor_kind, COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF);
    assert_memory_equal(e->actor_staff.data, staff_id, 16);
    assert_int_equal(e->outcome, COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED);
    assert_int_equal(e->error, COUNCIL_EDENIED);
    assert_string_equal(e->reason, reason);
    council__v1__audit_event__free_unpacked(e, NULL);
}

static void test_session__pledged_staff_opens(void **state)
{
    fx *f = *state;
    council_buf buf = { NULL, 0 };
    Council__V1__AuditEvent *e;
    council *s;

    assert_int_equal(open_staff(&s, f, f->pledged, &f->k1, MPASS), COUNCIL_OK);
    assert_int_equal(council_info(s, &buf), COUNCIL_OK);
    assert_true(th_contains(buf.ptr, buf.len, "session test"));
    council_buf_free(&buf);
    /* Root-only calls are not a staff session's. */
    {
        council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;
        uint8_t id[16];
        o.name = "x";
        o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_NPO;
        assert_int_equal(council_member_add(s, id, 16, &o), COUNCIL_EDENIED);
        assert_int_equal(council_audit_checkpoint(s, &buf), COUNCIL_EDENIED);
        assert_int_equal(council_audit_list(s, &buf, NULL), COUNCIL_EDENIED);
        assert_int_equal(council_staff_list(s, &buf, NULL, 0), COUNCIL_EDENIED);
        assert_int_equal(council_audit_export(s, "/nonexistent/x"), COUNCIL_EDENIED);
        assert_null(buf.ptr);
    }
    council_close(s);
    /* The refused calls are on the record. */
    e = last_event(f, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_OPERATION_REFUSED);
    assert_non_null(e);
    assert_string_equal(e->reason, "secretariat_only");
    assert_memory_equal(e->actor_staff.data, f->pledged, 16);
    council__v1__audit_event__free_unpacked(e, NULL);
    e = last_event(f, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_OPENED);
    assert_int_equal(e->actor_kind, COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF);
    assert_memory_equal(e->actor_member.data, f->m1, 16);
    assert_memory_equal(e->actor_staff.data, f->pledged, 16);
    council__v1__audit_event__free_unpacked(e, NULL);
}

static void test_session__refusals_are_logged(void **state)
{
    fx *f = *state;
    uint8_t unknown[16];
    council *s;

    memset(unknown, 0x77, sizeof unknown);
    assert_int_equal(open_staff(&s, f, unknown, &f->k1, MPASS), COUNCIL_EDENIED);
    assert_non_null(strstr(council_errmsg(s), "unknown staff"));
    council_close(s);
    expect_refusal(f, unknown, "unknown_staff");
    assert_int_equal(open_staff(&s, f, f->unpledged, &f->k1, MPASS), COUNCIL_EDENIED);
    council_close(s);
    expect_refusal(f, f->unpledged, "no_pledge");
    assert_int_equal(open_staff(&s, f, f->retired, &f->k1, MPASS), COUNCIL_EDENIED);
    council_close(s);
    expect_refusal(f, f->retired, "retired_staff");
    /* A keyfile of another member: its key opens the store, but the staff
     * member is not that member's. */
    assert_int_equal(open_staff(&s, f, f->pledged, &f->k2, MPASS), COUNCIL_EDENIED);
    council_close(s);
    expect_refusal(f, f->pledged, "other_members_staff");
}

/* Refusals before the store opens: returned, not (yet) logged in it. */
static void test_session__credentials_refused(void **state)
{
    fx *f = *state;
    council_buf bad = { NULL, 0 };
    council *s;

    assert_int_equal(open_staff(&s, f, f->pledged, &f->k1, "wrong passphrase"), COUNCIL_EAUTH);
    assert_non_null(strstr(council_errmsg(s), "wrong member passphrase"));
    assert_null(strstr(council_errmsg(s), "wrong passphrase\""));
    council_close(s);
    bad.ptr = malloc(f->k1.len);
    bad.len = f->k1.len;
    memcpy(bad.ptr, f->k1.ptr, bad.len);
    bad.ptr[bad.len / 2] ^= 1;
    assert_int_equal(open_staff(&s, f, f->pledged, &bad, MPASS), COUNCIL_EFORMAT);
    council_close(s);
    council_buf_free(&bad);
    /* Malformed credentials. */
    {
        council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;
        o.staff_id = f->pledged;
        o.staff_id_len = 15;
        o.keyfile = f->k1.ptr;
        o.keyfile_len = f->k1.len;
        o.passphrase = (const uint8_t *)MPASS;
        o.passphrase_len = strlen(MPASS);
        assert_int_equal(council_open(&s, f->store, &o), COUNCIL_EINVAL);
        council_close(s);
        o.staff_id_len = 16;
        o.keyfile = NULL;
        assert_int_equal(council_open(&s, f->store, &o), COUNCIL_EINVAL);
        council_close(s);
    }
    /* A version 1 struct still opens the secretariat's session. */
    {
        council_open_options o = th_open_opts(TH_PASS);
        o.version = 1;
        assert_int_equal(council_open(&s, f->store, &o), COUNCIL_OK);
        council_close(s);
    }
}

/* Withdrawing the member, or retiring the staff member, ends an open
 * session on its very next call, and the next attempt is refused. */
static void test_session__withdrawal_takes_effect_at_once(void **state)
{
    fx *f = *state;
    council_buf buf = { NULL, 0 };
    council *s;

    assert_int_equal(open_staff(&s, f, f->pledged, &f->k1, MPASS), COUNCIL_OK);
    assert_int_equal(council_member_withdraw(f->c, f->m1, 16, 0, "解散"), COUNCIL_OK);
    assert_int_equal(council_info(s, &buf), COUNCIL_EDENIED);
    assert_non_null(strstr(council_errmsg(s), "withdrawn"));
    assert_int_equal(council_info(s, &buf), COUNCIL_EMISUSE); /* the handle stays closed */
    council_close(s);
    expect_refusal(f, f->pledged, "withdrawn_member");
    /* The member's database key is gone from the keyring. */
    assert_int_equal(open_staff(&s, f, f->pledged, &f->k1, MPASS), COUNCIL_EDENIED);
    assert_non_null(strstr(council_errmsg(s), "no access"));
    council_close(s);
}

static void test_session__retirement_takes_effect_at_once(void **state)
{
    fx *f = *state;
    council_buf buf = { NULL, 0 };
    council *s;

    assert_int_equal(open_staff(&s, f, f->other, &f->k2, MPASS), COUNCIL_OK);
    assert_int_equal(council_info(s, &buf), COUNCIL_OK);
    council_buf_free(&buf);
    assert_int_equal(council_staff_retire(f->c, f->other, 16, 0, "異動"), COUNCIL_OK);
    assert_int_equal(council_info(s, &buf), COUNCIL_EDENIED);
    council_close(s);
    expect_refusal(f, f->other, "retired_staff");
    assert_int_equal(open_staff(&s, f, f->other, &f->k2, MPASS), COUNCIL_EDENIED);
    council_close(s);
}

/* Refusals before the store can be opened are journaled, and the next
 * secretariat session puts them in the audit log. */
static void test_session__refusals_before_the_store_are_journaled(void **state)
{
    fx *f = *state;
    council_buf bad = { NULL, 0 };
    char *journal = th_path(f->store, "council.refusals");
    Council__V1__AuditEvent *e;
    council *s;

    assert_int_equal(open_staff(&s, f, f->pledged, &f->k1, "wrong passphrase"), COUNCIL_EAUTH);
    council_close(s);
    assert_true(th_exists(journal));
    /* The journal holds no readable ids or reasons. */
    {
        uint8_t *b;
        size_t n;
        assert_int_equal(th_read_file(journal, &b, &n), 0);
        assert_false(th_contains(b, n, "wrong_member_passphrase"));
        free(b);
    }
    /* The secretariat's next session imports it. */
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    assert_false(th_exists(journal));
    e = last_event(f, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_REFUSED);
    assert_non_null(e);
    assert_string_equal(e->reason, "wrong_member_passphrase");
    assert_int_equal(e->error, COUNCIL_EAUTH);
    assert_memory_equal(e->actor_member.data, f->m1, 16);
    assert_memory_equal(e->actor_staff.data, f->pledged, 16);
    council__v1__audit_event__free_unpacked(e, NULL);

    /* A damaged keyfile, and a member without access. */
    bad.ptr = malloc(f->k1.len);
    bad.len = f->k1.len;
    memcpy(bad.ptr, f->k1.ptr, bad.len);
    bad.ptr[bad.len - 40] ^= 1;
    assert_int_equal(open_staff(&s, f, f->pledged, &bad, MPASS), COUNCIL_EFORMAT);
    council_close(s);
    council_buf_free(&bad);
    assert_int_equal(council_member_withdraw(f->c, f->m2, 16, 0, "退会"), COUNCIL_OK);
    assert_int_equal(open_staff(&s, f, f->other, &f->k2, MPASS), COUNCIL_EDENIED);
    council_close(s);
    /* And garbage appended by someone with write access to the directory. */
    {
        FILE *j = fopen(journal, "ab");
        assert_non_null(j);
        static const char garbage[] = "\x00\x10garbage-garbage!";
        assert_int_equal(fwrite(garbage, 1, sizeof garbage - 1, j), sizeof garbage - 1);
        fclose(j);
    }
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    {
        council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
        council_buf buf = { NULL, 0 };
        Council__V1__AuditEventList *l;
        size_t n;
        flt.action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_REFUSED;
        assert_int_equal(council_audit_list(f->c, &buf, &flt), COUNCIL_OK);
        l = council__v1__audit_event_list__unpack(NULL, buf.len, buf.ptr);
        n = l->n_events;
        assert_true(n >= 4);
        assert_string_equal(l->events[n - 3]->reason, "damaged_keyfile");
        assert_string_equal(l->events[n - 2]->reason, "member_without_access");
        assert_memory_equal(l->events[n - 2]->actor_member.data, f->m2, 16);
        assert_string_equal(l->events[n - 1]->reason, "journal_record_damaged");
        council__v1__audit_event_list__free_unpacked(l, NULL);
        council_buf_free(&buf);
    }
    free(journal);
}

/* An integrator holding the member's keys elsewhere passes the raw box key. */
static void test_session__raw_member_key(void **state)
{
    fx *f = *state;
    council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;
    council__member_keys k;
    council__keyfile_info info;
    uint8_t raw[32], wrong[32];
    council *s;

    assert_int_equal(council__keyfile_open(NULL, &k, &info, f->k1.ptr, f->k1.len,
                                           (const uint8_t *)MPASS, strlen(MPASS)), COUNCIL_OK);
    council__secret_read(&k.box_sk);
    memcpy(raw, k.box_sk.p, 32);
    council__member_keys_free(&k);
    o.staff_id = f->pledged;
    o.staff_id_len = 16;
    o.member_id = f->m1;
    o.member_id_len = 16;
    o.member_box_key = raw;
    o.member_box_key_len = 32;
    assert_int_equal(council_open(&s, f->store, &o), COUNCIL_OK);
    council_close(s);
    memcpy(wrong, raw, 32);
    wrong[5] ^= 1; /* not bits 0-2 of byte 0: X25519 clamps those away */
    o.member_box_key = wrong;
    assert_int_equal(council_open(&s, f->store, &o), COUNCIL_EAUTH);
    council_close(s);
    /* Both kinds at once, or a short key, are malformed. */
    o.member_box_key = raw;
    o.keyfile = f->k1.ptr;
    o.keyfile_len = f->k1.len;
    assert_int_equal(council_open(&s, f->store, &o), COUNCIL_EINVAL);
    council_close(s);
    o.keyfile = NULL;
    o.member_box_key_len = 31;
    assert_int_equal(council_open(&s, f->store, &o), COUNCIL_EINVAL);
    council_close(s);
    sodium_memzero(raw, sizeof raw);
    sodium_memzero(wrong, sizeof wrong);
}

/* Replacing a member's keys (a lost keyfile) ends sessions opened with the
 * old ones, and the old keyfile no longer opens a session. */
static void test_session__rekey_ends_old_sessions(void **state)
{
    fx *f = *state;
    council_buf fresh = { NULL, 0 }, buf = { NULL, 0 };
    council *s;

    assert_int_equal(open_staff(&s, f, f->pledged, &f->k1, MPASS), COUNCIL_OK);
    assert_int_equal(council_member_keygen(f->c, &fresh, f->m1, 16, (const uint8_t *)MPASS,
                                           strlen(MPASS), TH_OPS, TH_MEM), COUNCIL_OK);
    assert_int_equal(council_info(s, &buf), COUNCIL_EDENIED);
    assert_non_null(strstr(council_errmsg(s), "keys were replaced"));
    council_close(s);
    expect_refusal(f, f->pledged, "member_key_replaced");
    assert_int_equal(open_staff(&s, f, f->pledged, &f->k1, MPASS), COUNCIL_EAUTH);
    council_close(s);
    assert_int_equal(open_staff(&s, f, f->pledged, &fresh, MPASS), COUNCIL_OK);
    council_close(s);
    council_buf_free(&fresh);
}

/* A journal that cannot be read never keeps the secretariat out. */
static void test_session__bad_journal_does_not_lock_out(void **state)
{
    fx *f = *state;
    char *importing = th_path(f->store, "council.refusals.importing");
    council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;
    Council__V1__AuditEvent *e;
    council *s;

    assert_int_equal(mkdir(importing, 0700), 0);
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    e = last_event(f, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_REFUSED);
    assert_non_null(e);
    assert_string_equal(e->reason, "journal_unreadable");
    council__v1__audit_event__free_unpacked(e, NULL);
    assert_int_equal(rmdir(importing), 0);
    free(importing);
    /* A keyfile and a member id together are malformed credentials. */
    o.staff_id = f->pledged;
    o.staff_id_len = 16;
    o.keyfile = f->k1.ptr;
    o.keyfile_len = f->k1.len;
    o.passphrase = (const uint8_t *)MPASS;
    o.passphrase_len = strlen(MPASS);
    o.member_id = f->m2;
    o.member_id_len = 16;
    assert_int_equal(council_open(&s, f->store, &o), COUNCIL_EINVAL);
    council_close(s);
}

/* ------------------------------------------------------ session secrets */

/* What council_session_secret() gives, in locked memory. */
static uint8_t *secret_of(council *c, size_t *n)
{
    uint8_t *b = sodium_malloc(COUNCIL_SESSION_SECRET_MAX);

    assert_non_null(b);
    assert_int_equal(council_session_secret(c, b, COUNCIL_SESSION_SECRET_MAX, n), COUNCIL_OK);
    assert_true(*n > 0 && *n <= COUNCIL_SESSION_SECRET_MAX);
    return b;
}

static int open_secret(council **out, const char *store, const uint8_t *b, size_t n)
{
    council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;

    o.session_secret = b;
    o.session_secret_len = n;
    return council_open(out, store, &o);
}

/* A root session's secret opens the secretariat's session again, without
 * the passphrase, and it is on the record as the secretariat's. */
static void test_session__secret_reopens_root(void **state)
{
    fx *f = *state;
    council_buf buf = { NULL, 0 };
    Council__V1__AuditEvent *e;
    size_t n;
    uint8_t *b = secret_of(f->c, &n);
    council *s;

    assert_int_equal(open_secret(&s, f->store, b, n), COUNCIL_OK);
    assert_int_equal(council_member_list(s, &buf), COUNCIL_OK); /* root-only */
    council_buf_free(&buf);
    /* The reopened session gives the same secret again. */
    {
        size_t n2;
        uint8_t *b2 = secret_of(s, &n2);
        assert_int_equal(n2, n);
        assert_memory_equal(b2, b, n);
        sodium_free(b2);
    }
    council_close(s);
    e = last_event(f, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_OPENED);
    assert_non_null(e);
    assert_int_equal(e->actor_kind, COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT);
    council__v1__audit_event__free_unpacked(e, NULL);
    sodium_free(b);
}

/* A staff session's secret opens as that staff member; root-only calls
 * stay refused; a retired staff member's secret is refused like the
 * keyfile. */
static void test_session__secret_reopens_staff(void **state)
{
    fx *f = *state;
    council_buf buf = { NULL, 0 };
    Council__V1__AuditEvent *e;
    uint8_t *b;
    size_t n;
    council *s;

    assert_int_equal(open_staff(&s, f, f->pledged, &f->k1, MPASS), COUNCIL_OK);
    b = secret_of(s, &n);
    council_close(s);
    assert_int_equal(open_secret(&s, f->store, b, n), COUNCIL_OK);
    assert_int_equal(council_info(s, &buf), COUNCIL_OK);
    council_buf_free(&buf);
    assert_int_equal(council_member_list(s, &buf), COUNCIL_EDENIED);
    council_close(s);
    e = last_event(f, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_OPENED);
    assert_non_null(e);
    assert_int_equal(e->actor_kind, COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF);
    assert_memory_equal(e->actor_member.data, f->m1, 16);
    assert_memory_equal(e->actor_staff.data, f->pledged, 16);
    council__v1__audit_event__free_unpacked(e, NULL);
    /* The keyring's log key swapped (an insider's own key in its place):
     * the secret holds the session to the key it trusted, as the keyfile's
     * pin does, and refuses. Put back, it opens again. */
    {
        council__keyring kr;
        uint8_t saved[32];
        assert_int_equal(council__keyring_load(NULL, &kr, f->store), COUNCIL_OK);
        memcpy(saved, kr.log_pk, 32);
        kr.log_pk[0] ^= 1;
        assert_int_equal(council__keyring_store(NULL, &kr, f->store), COUNCIL_OK);
        assert_int_equal(open_secret(&s, f->store, b, n), COUNCIL_EAUTH);
        assert_non_null(strstr(council_errmsg(s), "log key"));
        council_close(s);
        memcpy(kr.log_pk, saved, 32);
        assert_int_equal(council__keyring_store(NULL, &kr, f->store), COUNCIL_OK);
        assert_int_equal(open_secret(&s, f->store, b, n), COUNCIL_OK);
        council_close(s);
        sodium_memzero(&kr, sizeof kr);
    }
    /* Retired: the secret is no way around the standing check. */
    assert_int_equal(council_staff_retire(f->c, f->pledged, 16, 0, "退職"), COUNCIL_OK);
    assert_int_equal(open_secret(&s, f->store, b, n), COUNCIL_EDENIED);
    council_close(s);
    expect_refusal(f, f->pledged, "retired_staff");
    sodium_free(b);
}

/* Damaged, truncated, foreign, mixed with other credentials, or from a
 * session without full credentials: refused, never a crash. */
static void test_session__secret_refusals(void **state)
{
    fx *f = *state;
    council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;
    char *root2, *store2;
    council *s, *other;
    size_t n, sn, on;
    uint8_t *b = secret_of(f->c, &n), *sb, *ob;

    assert_int_equal(open_staff(&s, f, f->pledged, &f->k1, MPASS), COUNCIL_OK);
    sb = secret_of(s, &sn);
    council_close(s);
    /* Every byte flipped, in turn: EFORMAT (the checksum, the magic, the
     * kind, or the keys). */
    for (size_t i = 0; i < sn; i++) {
        sb[i] ^= 0x20;
        assert_int_equal(open_secret(&s, f->store, sb, sn), COUNCIL_EFORMAT);
        council_close(s);
        sb[i] ^= 0x20;
    }
    for (size_t i = 0; i < n; i++) {
        b[i] ^= 0x01;
        assert_int_equal(open_secret(&s, f->store, b, n), COUNCIL_EFORMAT);
        council_close(s);
        b[i] ^= 0x01;
    }
    /* Truncated (or one byte long, or with a byte added). */
    for (size_t len = 0; len < sn; len += 7) {
        assert_int_equal(open_secret(&s, f->store, sb, len), COUNCIL_EFORMAT);
        council_close(s);
    }
    assert_int_equal(open_secret(&s, f->store, b, n - 1), COUNCIL_EFORMAT);
    council_close(s);
    assert_int_equal(open_secret(&s, f->store, b, n + 1), COUNCIL_EFORMAT);
    council_close(s);
    /* A root secret cut to the staff secret's kind byte: EFORMAT. */
    b[5] = 2;
    assert_int_equal(open_secret(&s, f->store, b, n), COUNCIL_EFORMAT);
    council_close(s);
    b[5] = 1;
    /* Given with another credential: malformed. */
    o.session_secret = b;
    o.session_secret_len = n;
    o.passphrase = (const uint8_t *)TH_PASS;
    o.passphrase_len = strlen(TH_PASS);
    assert_int_equal(council_open(&s, f->store, &o), COUNCIL_EINVAL);
    council_close(s);
    /* Another council's store: refused, both kinds. */
    store2 = th_make_store(&root2, "another council");
    assert_int_equal(open_secret(&s, store2, b, n), COUNCIL_EAUTH);
    council_close(s);
    assert_int_equal(open_secret(&s, store2, sb, sn), COUNCIL_EAUTH);
    council_close(s);
    /* And its secret does not open this one. */
    assert_int_equal(th_open(&other, store2, TH_PASS), COUNCIL_OK);
    ob = secret_of(other, &on);
    council_close(other);
    assert_int_equal(open_secret(&s, f->store, ob, on), COUNCIL_EAUTH);
    council_close(s);
    /* The untouched blob still opens. */
    assert_int_equal(open_secret(&s, f->store, b, n), COUNCIL_OK);
    council_close(s);
    /* A raw box key without the signing seed: not the full credentials. */
    {
        council__member_keys k;
        council__keyfile_info info;
        uint8_t raw[32], out[COUNCIL_SESSION_SECRET_MAX];
        size_t len = 0;

        assert_int_equal(council__keyfile_open(NULL, &k, &info, f->k1.ptr, f->k1.len,
                                               (const uint8_t *)MPASS, strlen(MPASS)), COUNCIL_OK);
        council__secret_read(&k.box_sk);
        memcpy(raw, k.box_sk.p, 32);
        council__member_keys_free(&k);
        memset(&o, 0, sizeof o);
        o.version = COUNCIL_OPEN_OPTIONS_VERSION;
        o.staff_id = f->pledged;
        o.staff_id_len = 16;
        o.member_id = f->m1;
        o.member_id_len = 16;
        o.member_box_key = raw;
        o.member_box_key_len = 32;
        assert_int_equal(council_open(&s, f->store, &o), COUNCIL_OK);
        assert_int_equal(council_session_secret(s, out, sizeof out, &len), COUNCIL_EDENIED);
        assert_int_equal(len, 0);
        council_close(s);
        sodium_memzero(raw, sizeof raw);
        /* Too small a buffer; no handle. */
        assert_int_equal(council_session_secret(f->c, out, sizeof out - 1, &len), COUNCIL_EINVAL);
        assert_int_equal(council_session_secret(NULL, out, sizeof out, &len), COUNCIL_EMISUSE);
        sodium_memzero(out, sizeof out);
    }
    /* The store id needs no credentials. */
    {
        uint8_t id1[16], id2[16];
        assert_int_equal(council_store_id(f->store, id1, 16), COUNCIL_OK);
        assert_int_equal(council_store_id(store2, id2, 16), COUNCIL_OK);
        assert_memory_not_equal(id1, id2, 16);
        assert_memory_equal(id1, b + 8, 16);
        assert_int_equal(council_store_id(f->store, id1, 15), COUNCIL_EINVAL);
        assert_int_equal(council_store_id("/nonexistent/store", id1, 16), COUNCIL_ENOTFOUND);
    }
    th_rmrf(root2);
    free(root2);
    free(store2);
    sodium_free(ob);
    sodium_free(sb);
    sodium_free(b);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_session__pledged_staff_opens),
        T(test_session__refusals_are_logged),
        T(test_session__credentials_refused),
        T(test_session__withdrawal_takes_effect_at_once),
        T(test_session__retirement_takes_effect_at_once),
        T(test_session__refusals_before_the_store_are_journaled),
        T(test_session__raw_member_key),
        T(test_session__rekey_ends_old_sessions),
        T(test_session__bad_journal_does_not_lock_out),
        T(test_session__secret_reopens_root),
        T(test_session__secret_reopens_staff),
        T(test_session__secret_refusals),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
