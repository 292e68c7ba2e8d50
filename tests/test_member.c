/* test_member.c - the member registry: add, update, withdraw, keys,
 * listing, announcement, and the audit events they leave. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "helpers.h"
#include "council_int.h"
#include "keyfile.h"
#include "keyring.h"
#include "council/v1/audit.pb-c.h"
#include "council/v1/member.pb-c.h"
#include "file.h"

typedef struct fx {
    char *root, *store;
    council *c;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);

    assert_non_null(f);
    f->store = th_make_store(&f->root, "北市 孤独・孤立対策地域協議会");
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
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

static council_member_options entry(const char *name, int kind, uint32_t roles)
{
    static const char *const scopes[] = { "wishes", "identity", "support_plan" };
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;

    o.name = name;
    o.kind = kind;
    o.roles = roles;
    o.scopes = scopes;
    o.n_scopes = 3;
    o.contact = "福祉課 03-0000-0000";
    return o;
}

static void add(council *c, uint8_t id[16], const char *name, int kind, uint32_t roles)
{
    council_member_options o = entry(name, kind, roles);

    if (council_member_add(c, id, 16, &o) != COUNCIL_OK)
        fail_msg("member_add %s: %s", name, council_errmsg(c));
}

static Council__V1__Member *get(council *c, const uint8_t id[16])
{
    council_buf buf = { NULL, 0 };
    Council__V1__Member *m;

    assert_int_equal(council_member_get(c, &buf, id, 16), COUNCIL_OK);
    m = council__v1__member__unpack(NULL, buf.len, buf.ptr);
    assert_non_null(m);
    council_buf_free(&buf);
    return m;
}

/* How many events of `action` name `id` as their subject. */
static size_t events_about(council *c, int action, const uint8_t id[16])
{
    council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
    council_buf buf = { NULL, 0 };
    Council__V1__AuditEventList *l;
    size_t n = 0;

    flt.action = action;
    assert_int_equal(council_audit_list(c, &buf, &flt), COUNCIL_OK);
    l = council__v1__audit_event_list__unpack(NULL, buf.len, buf.ptr);
    assert_non_null(l);
    for (size_t i = 0; i < l->n_events; i++)
        if (l->events[i]->has_subject_member && memcmp(l->events[i]->subject_member.data, id, 16) == 0)
            n++;
    council__v1__audit_event_list__free_unpacked(l, NULL);
    council_buf_free(&buf);
    return n;
}

static void test_member__add_get_list(void **state)
{
    fx *f = *state;
    uint8_t a[16], b[16];
    Council__V1__Member *m;
    Council__V1__MemberList *l;
    council_buf buf = { NULL, 0 };

    add(f->c, a, "北市 福祉課", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_MUNICIPAL_DEPARTMENT,
        COUNCIL_ROLE_SECRETARIAT | COUNCIL_ROLE_COORDINATING_BODY);
    add(f->c, b, "NPO法人 つながり", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_NPO, 0);
    assert_memory_not_equal(a, b, 16);
    m = get(f->c, a);
    assert_string_equal(m->name, "北市 福祉課");
    assert_true(m->secretariat && m->coordinating_body);
    assert_int_equal(m->status, COUNCIL__V1__MEMBER_STATUS__MEMBER_STATUS_ACTIVE);
    assert_int_equal(m->n_scope_ceiling, 3);
    assert_string_equal(m->scope_ceiling[0], "identity"); /* sorted */
    assert_string_equal(m->contact, "福祉課 03-0000-0000");
    assert_true(m->joined > 0);
    assert_false(m->has_box_public_key);
    council__v1__member__free_unpacked(m, NULL);

    assert_int_equal(council_member_list(f->c, &buf), COUNCIL_OK);
    l = council__v1__member_list__unpack(NULL, buf.len, buf.ptr);
    assert_int_equal(l->n_members, 2);
    assert_memory_equal(l->members[0]->id.data, a, 16); /* joining order */
    assert_memory_equal(l->members[1]->id.data, b, 16);
    council__v1__member_list__free_unpacked(l, NULL);
    council_buf_free(&buf);
    assert_int_equal(events_about(f->c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_MEMBER_ADDED, a), 1);
    assert_int_equal(events_about(f->c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_MEMBER_ADDED, b), 1);
}

static void test_member__one_coordinating_body(void **state)
{
    fx *f = *state;
    council_member_options o = entry("県 福祉部", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_PREFECTURAL_DEPARTMENT,
                                     COUNCIL_ROLE_COORDINATING_BODY);
    uint8_t a[16], b[16], c2[16];

    add(f->c, a, "北市 福祉課", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_MUNICIPAL_DEPARTMENT,
        COUNCIL_ROLE_COORDINATING_BODY);
    assert_int_equal(council_member_add(f->c, b, 16, &o), COUNCIL_EEXIST);
    assert_non_null(strstr(council_errmsg(f->c), "coordinating body"));
    /* Not as an update either. */
    add(f->c, b, "社会福祉協議会", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_SOCIAL_WELFARE_COUNCIL, 0);
    o = entry("社会福祉協議会", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_SOCIAL_WELFARE_COUNCIL,
              COUNCIL_ROLE_COORDINATING_BODY);
    assert_int_equal(council_member_update(f->c, b, 16, &o), COUNCIL_EEXIST);
    /* The coordinating body may update itself; after it withdraws, another may take the role. */
    o = entry("北市 福祉課 (新)", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_MUNICIPAL_DEPARTMENT,
              COUNCIL_ROLE_COORDINATING_BODY);
    assert_int_equal(council_member_update(f->c, a, 16, &o), COUNCIL_OK);
    assert_int_equal(council_member_withdraw(f->c, a, 16, 0, "合併による"), COUNCIL_OK);
    o = entry("県 福祉部", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_PREFECTURAL_DEPARTMENT,
              COUNCIL_ROLE_COORDINATING_BODY);
    assert_int_equal(council_member_add(f->c, c2, 16, &o), COUNCIL_OK);
}

static void test_member__withdrawn_member_is_kept_and_refused(void **state)
{
    fx *f = *state;
    council_member_options o = entry("保護司 山川", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_PROBATION, 0);
    uint8_t a[16], pk[32], sk[64];
    council_buf kf = { NULL, 0 };
    Council__V1__Member *m;

    add(f->c, a, "保護司 山川", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_PROBATION, 0);
    assert_int_equal(council_member_withdraw(f->c, a, 16, 1767225600, "任期満了"), COUNCIL_OK);
    m = get(f->c, a);
    assert_int_equal(m->status, COUNCIL__V1__MEMBER_STATUS__MEMBER_STATUS_WITHDRAWN);
    assert_true(m->has_withdrawn);
    assert_int_equal(m->withdrawn, 1767225600);
    assert_string_equal(m->withdrawal_reason, "任期満了");
    assert_string_equal(m->name, "保護司 山川"); /* the history stays */
    council__v1__member__free_unpacked(m, NULL);

    assert_int_equal(council_member_withdraw(f->c, a, 16, 0, "again"), COUNCIL_EDENIED);
    assert_int_equal(council_member_update(f->c, a, 16, &o), COUNCIL_EDENIED);
    assert_int_equal(council_member_keygen(f->c, &kf, a, 16, (const uint8_t *)"p", 1, TH_OPS, TH_MEM),
                     COUNCIL_EDENIED);
    assert_null(kf.ptr);
    crypto_sign_ed25519_keypair(pk, sk);
    assert_int_equal(council_member_register_key(f->c, a, 16, pk, 32, pk, 32), COUNCIL_EDENIED);
    assert_int_equal(events_about(f->c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_MEMBER_WITHDRAWN, a), 1);
}

static void test_member__keygen_and_register(void **state)
{
    fx *f = *state;
    uint8_t a[16], b[16], box_pk[32], box_sk[32], sign_pk[32], sign_sk[64];
    council_buf kf = { NULL, 0 };
    council__member_keys k;
    council__keyfile_info info;
    Council__V1__Member *m;

    add(f->c, a, "小学校", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_SCHOOL, 0);
    assert_int_equal(council_member_keygen(f->c, &kf, a, 16, (const uint8_t *)"member pass", 11,
                                           TH_OPS, TH_MEM), COUNCIL_OK);
    assert_true(kf.len > 0);
    /* The keyfile opens with the member's passphrase and holds the keys registered. */
    assert_int_equal(council__keyfile_open(NULL, &k, &info, kf.ptr, kf.len,
                                           (const uint8_t *)"member pass", 11), COUNCIL_OK);
    m = get(f->c, a);
    assert_true(m->has_box_public_key && m->has_sign_public_key);
    assert_memory_equal(m->box_public_key.data, k.box_pk, 32);
    assert_memory_equal(m->sign_public_key.data, k.sign_pk, 32);
    assert_memory_equal(info.member_id, a, 16);
    assert_non_null(m->cosigner_key);
    council__v1__member__free_unpacked(m, NULL);
    council__member_keys_free(&k);
    assert_int_equal(council__keyfile_open(NULL, &k, &info, kf.ptr, kf.len,
                                           (const uint8_t *)"wrong", 5), COUNCIL_EAUTH);
    council__member_keys_free(&k);
    council_buf_free(&kf);

    /* Keys made on the member's own system. */
    add(f->c, b, "郵便局", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_COMPANY, 0);
    crypto_box_keypair(box_pk, box_sk);
    crypto_sign_ed25519_keypair(sign_pk, sign_sk);
    assert_int_equal(council_member_register_key(f->c, b, 16, box_pk, 32, sign_pk, 32), COUNCIL_OK);
    m = get(f->c, b);
    assert_memory_equal(m->box_public_key.data, box_pk, 32);
    assert_memory_equal(m->sign_public_key.data, sign_pk, 32);
    council__v1__member__free_unpacked(m, NULL);
    assert_int_equal(events_about(f->c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_MEMBER_KEY_REGISTERED, b), 1);
    /* Refusals: wrong lengths, an invalid Ed25519 point, an all-zero box key. */
    assert_int_equal(council_member_register_key(f->c, b, 16, box_pk, 31, sign_pk, 32), COUNCIL_EINVAL);
    {
        uint8_t bad[32], zero[32] = { 0 };
        memset(bad, 0xff, sizeof bad);
        assert_int_equal(council_member_register_key(f->c, b, 16, box_pk, 32, bad, 32), COUNCIL_EINVAL);
        assert_int_equal(council_member_register_key(f->c, b, 16, zero, 32, sign_pk, 32), COUNCIL_EINVAL);
    }
    assert_int_equal(council_member_keygen(f->c, &kf, b, 16, (const uint8_t *)"", 0, TH_OPS, TH_MEM),
                     COUNCIL_EINVAL);
    assert_int_equal(council_member_keygen(f->c, &kf, b, 16, (const uint8_t *)"p", 1, 99, TH_MEM),
                     COUNCIL_EINVAL);
    sodium_memzero(box_sk, sizeof box_sk);
    sodium_memzero(sign_sk, sizeof sign_sk);
}

static void test_member__announce_names_only(void **state)
{
    fx *f = *state;
    uint8_t a[16], b[16], c2[16];
    council_buf buf = { NULL, 0 };
    Council__V1__Announcement *an;

    add(f->c, a, "北市 福祉課", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_MUNICIPAL_DEPARTMENT,
        COUNCIL_ROLE_COORDINATING_BODY | COUNCIL_ROLE_SECRETARIAT);
    add(f->c, b, "民生委員 田中", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_WELFARE_COMMISSIONER, 0);
    add(f->c, c2, "電力会社", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_UTILITY, 0);
    assert_int_equal(council_member_withdraw(f->c, c2, 16, 0, "退会"), COUNCIL_OK);
    assert_int_equal(council_members_announce(f->c, &buf), COUNCIL_OK);
    an = council__v1__announcement__unpack(NULL, buf.len, buf.ptr);
    assert_non_null(an);
    assert_string_equal(an->council_name, "北市 孤独・孤立対策地域協議会");
    assert_string_equal(an->coordinating_body, "北市 福祉課");
    assert_int_equal(an->n_members, 2); /* the withdrawn member is not announced */
    assert_string_equal(an->members[0], "北市 福祉課");
    assert_string_equal(an->members[1], "民生委員 田中");
    assert_false(th_contains(buf.ptr, buf.len, "03-0000-0000")); /* no contacts */
    council__v1__announcement__free_unpacked(an, NULL);
    council_buf_free(&buf);
}

static void test_member__refuses_bad_input(void **state)
{
    fx *f = *state;
    static const char *const bad_scope[] = { "Health" };
    static const char *const dup[] = { "health", "health" };
    council_member_options o;
    council_buf buf = { NULL, 0 };
    uint8_t id[16], unknown[16];
    char long_text[COUNCIL_CONTACT_MAX + 2];

    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    memset(unknown, 0x42, sizeof unknown);
#define REFUSE(edit, want)                                              \
    do {                                                                \
        o = entry("ok", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_NPO, 0);  \
        edit;                                                           \
        assert_int_equal(council_member_add(f->c, id, 16, &o), (want)); \
    } while (0)
    REFUSE(o.version = 9, COUNCIL_EMISUSE);
    REFUSE(o.name = NULL, COUNCIL_EINVAL);
    REFUSE(o.name = "", COUNCIL_EINVAL);
    REFUSE(o.name = "tab\there", COUNCIL_EINVAL);
    REFUSE(o.kind = 0, COUNCIL_EINVAL);
    REFUSE(o.kind = 99, COUNCIL_EINVAL);
    REFUSE(o.roles = 4, COUNCIL_EINVAL);
    REFUSE((o.scopes = bad_scope, o.n_scopes = 1), COUNCIL_EINVAL);
    REFUSE((o.scopes = dup, o.n_scopes = 2), COUNCIL_EINVAL);
    REFUSE(o.n_scopes = 33, COUNCIL_EINVAL);
    REFUSE(o.contact = long_text, COUNCIL_EINVAL);
    REFUSE(o.contact = "", COUNCIL_EINVAL);
    REFUSE(o.joined = -5, COUNCIL_EINVAL);
#undef REFUSE
    o = entry("ok", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_NPO, 0);
    assert_int_equal(council_member_add(f->c, id, 15, &o), COUNCIL_EINVAL);
    assert_int_equal(council_member_add(f->c, id, 16, NULL), COUNCIL_EMISUSE);
    assert_int_equal(council_member_add(NULL, id, 16, &o), COUNCIL_EMISUSE);
    assert_int_equal(council_member_get(f->c, &buf, unknown, 16), COUNCIL_ENOTFOUND);
    assert_int_equal(council_member_update(f->c, unknown, 16, &o), COUNCIL_ENOTFOUND);
    assert_int_equal(council_member_withdraw(f->c, unknown, 16, 0, "x"), COUNCIL_ENOTFOUND);
    assert_int_equal(council_member_withdraw(f->c, unknown, 16, 0, ""), COUNCIL_EINVAL);
    assert_int_equal(council_member_list(NULL, &buf), COUNCIL_EMISUSE);
    assert_null(buf.ptr);
    /* Nothing was added by any refusal. */
    assert_int_equal(council_member_list(f->c, &buf), COUNCIL_OK);
    {
        Council__V1__MemberList *l = council__v1__member_list__unpack(NULL, buf.len, buf.ptr);
        assert_int_equal(l->n_members, 0);
        council__v1__member_list__free_unpacked(l, NULL);
    }
    council_buf_free(&buf);
}

/* The registry is in the encrypted store: names and contacts never in clear. */
static void test_member__no_plaintext_on_disk(void **state)
{
    fx *f = *state;
    uint8_t a[16];
    const char *files[] = { "council.db", "council.db-wal" };

    add(f->c, a, "Secret Member Org", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_MEDICAL, 0);
    for (size_t i = 0; i < 2; i++) {
        char *p = th_path(f->store, files[i]);
        uint8_t *b;
        size_t n;
        if (th_read_file(p, &b, &n) == 0) {
            assert_false(th_contains(b, n, "Secret Member Org"));
            assert_false(th_contains(b, n, "03-0000-0000"));
            free(b);
        }
        free(p);
    }
}

/* A member with keys gets the database key sealed to it in the keyring:
 * its keyfile's box key opens it, and that key opens the store. When the
 * member withdraws, the entry goes. */
static void test_member__database_key_sealed_to_member(void **state)
{
    fx *f = *state;
    council__keyring *kr = malloc(sizeof *kr);
    council_buf kf = { NULL, 0 };
    council__member_keys k;
    council__keyfile_info info;
    uint8_t a[16], b[16], key[32], box_pk[32], box_sk[32], sign_pk[32], sign_sk[64];
    char hex[3 + 64 + 1];
    char *db = th_path(f->store, "council.db");
    sqlite3 *h;

    assert_non_null(kr);
    add(f->c, a, "学校", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_SCHOOL, 0);
    add(f->c, b, "病院", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_MEDICAL, 0);
    assert_int_equal(council_member_keygen(f->c, &kf, a, 16, (const uint8_t *)"pw", 2, TH_OPS, TH_MEM),
                     COUNCIL_OK);
    crypto_box_keypair(box_pk, box_sk);
    crypto_sign_ed25519_keypair(sign_pk, sign_sk);
    assert_int_equal(council_member_register_key(f->c, b, 16, box_pk, 32, sign_pk, 32), COUNCIL_OK);
    assert_int_equal(council__keyring_load(NULL, kr, f->store), COUNCIL_OK);
    assert_int_equal(kr->n_members, 2);
    assert_memory_equal(kr->members[0].member_id, a, 16);
    assert_int_equal(council__keyfile_open(NULL, &k, &info, kf.ptr, kf.len, (const uint8_t *)"pw", 2),
                     COUNCIL_OK);
    council__secret_read(&k.box_sk);
    assert_int_equal(crypto_box_seal_open(key, kr->members[0].sealed, sizeof kr->members[0].sealed,
                                          k.box_pk, k.box_sk.p), 0);
    council__member_keys_free(&k);
    /* That key, and nothing else, opens the database. */
    hex[0] = 'x';
    hex[1] = '\'';
    sodium_bin2hex(hex + 2, 65, key, 32);
    hex[66] = '\'';
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_key(h, hex, 67), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "SELECT count(*) FROM member;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    sodium_memzero(key, sizeof key);
    /* The other member's entry is sealed to its own key, not to this one. */
    assert_int_equal(crypto_box_seal_open(key, kr->members[1].sealed, sizeof kr->members[1].sealed,
                                          box_pk, box_sk), 0);
    /* Withdrawal removes the member's entry. */
    assert_int_equal(council_member_withdraw(f->c, a, 16, 0, "退会"), COUNCIL_OK);
    assert_int_equal(council__keyring_load(NULL, kr, f->store), COUNCIL_OK);
    assert_int_equal(kr->n_members, 1);
    assert_memory_equal(kr->members[0].member_id, b, 16);
    /* And the store still opens with the root key. */
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    sodium_memzero(box_sk, sizeof box_sk);
    sodium_memzero(sign_sk, sizeof sign_sk);
    council_buf_free(&kf);
    free(db);
    free(kr);
}

/* ------------------------------------------------------ crash-safe keygen */

static const char kg_pledge[] = "秘密を漏らしません。";
static const char *kg_crash_at;

static void kg_crash(const char *step)
{
    if (strcmp(step, kg_crash_at) == 0)
        _exit(7); /* killed: no cleanup runs */
}

static int kg_staff_open(const char *store, const uint8_t staff_id[16], const char *keyfile,
                         const char *pass)
{
    council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;
    uint8_t *kf = NULL;
    size_t kf_len = 0;
    council *s = NULL;
    int rc;

    if (th_read_file(keyfile, &kf, &kf_len) != 0)
        return -1000;
    o.staff_id = staff_id;
    o.staff_id_len = 16;
    o.keyfile = kf;
    o.keyfile_len = kf_len;
    o.passphrase = (const uint8_t *)pass;
    o.passphrase_len = strlen(pass);
    rc = council_open(&s, store, &o);
    council_close(s);
    free(kf);
    return rc;
}

/* A keygen killed before its new keyfile is durable, or after but before
 * the keys are registered, leaves the old keys valid and no empty or
 * partial file at the keyfile's name. */
static void test_member__keygen_file_crash_keeps_old_keys(void **state)
{
    static const char *const steps[] = { "written", "durable" };
    fx *f = *state;
    uint8_t a[16], st[16];
    char *old_kf;
    int rc;

    /* Its children die on purpose mid-write, holding what they allocated:
     * memcheck would count that as a leak of the child. The run without
     * valgrind and the ASan run cover it. */
    if (getenv("COUNCIL_UNDER_VALGRIND") != NULL)
        skip();
    old_kf = th_path(f->root, "old.key");

    add(f->c, a, "NPO 鍵", 5, 0);
    assert_int_equal(council_member_keygen_file(f->c, old_kf, a, 16, (const uint8_t *)"old pass",
                                                8, TH_OPS, TH_MEM), COUNCIL_OK);
    assert_int_equal(council_staff_add(f->c, st, 16, a, 16, "相談員", NULL), COUNCIL_OK);
    assert_int_equal(council_staff_pledge(f->c, st, 16, 0, "v1", (const uint8_t *)kg_pledge,
                                          strlen(kg_pledge), NULL), COUNCIL_OK);
    assert_int_equal(kg_staff_open(f->store, st, old_kf, "old pass"), COUNCIL_OK);
    /* The handle's connection must not cross fork. */
    council_close(f->c);
    f->c = NULL;

    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        char name[32];
        char *new_kf;
        int status = 0;
        pid_t pid;

        snprintf(name, sizeof name, "new-%zu.key", i);
        new_kf = th_path(f->root, name);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            council *c = NULL;
            if (th_open(&c, f->store, TH_PASS) != COUNCIL_OK)
                _exit(1);
            kg_crash_at = steps[i];
            council__publish_hook(kg_crash);
            if (council_member_keygen_file(c, new_kf, a, 16, (const uint8_t *)"new pass", 8,
                                           TH_OPS, TH_MEM) != COUNCIL_OK)
                _exit(3);
            _exit(2); /* not reached */
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 7);
        /* The old keyfile still opens a staff session. */
        rc = kg_staff_open(f->store, st, old_kf, "old pass");
        if (rc != COUNCIL_OK)
            fail_msg("after a crash at '%s' the old keyfile fails: %d", steps[i], rc);
        if (i == 0) {
            /* Killed before the link: nothing at the name. */
            assert_false(th_exists(new_kf));
        } else {
            /* Killed after: a complete keyfile whose keys are not on record. */
            uint8_t *kf = NULL;
            size_t kf_len = 0;
            council__keyfile_info info;
            assert_int_equal(th_read_file(new_kf, &kf, &kf_len), 0);
            assert_true(kf_len > 0);
            assert_int_equal(council__keyfile_parse(NULL, &info, kf, kf_len), COUNCIL_OK);
            free(kf);
            assert_true(kg_staff_open(f->store, st, new_kf, "new pass") != COUNCIL_OK);
        }
        free(new_kf);
    }

    /* Run to the end: the new keyfile opens, the old one no longer does. */
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    {
        char *new_kf = th_path(f->root, "new.key");
        assert_int_equal(council_member_keygen_file(f->c, new_kf, a, 16,
                                                    (const uint8_t *)"new pass", 8, TH_OPS,
                                                    TH_MEM), COUNCIL_OK);
        assert_int_equal(kg_staff_open(f->store, st, new_kf, "new pass"), COUNCIL_OK);
        assert_true(kg_staff_open(f->store, st, old_kf, "old pass") != COUNCIL_OK);
        /* An existing file is refused and left alone; the keys stay. */
        assert_int_equal(council_member_keygen_file(f->c, old_kf, a, 16,
                                                    (const uint8_t *)"x", 1, TH_OPS, TH_MEM),
                         COUNCIL_EEXIST);
        assert_null(strstr(council_errmsg(f->c), f->root));
        assert_int_equal(kg_staff_open(f->store, st, new_kf, "new pass"), COUNCIL_OK);
        assert_int_equal(council_member_keygen_file(f->c, NULL, a, 16, (const uint8_t *)"x", 1,
                                                    TH_OPS, TH_MEM), COUNCIL_EINVAL);
        free(new_kf);
    }
    free(old_kf);
}

/* A withdrawal commits, then drops the member's sealed database key from
 * council.keyring. When that step fails (simulated: the entry put back),
 * the withdrawal stands and the next open of the council passphrase drops
 * the entry: the withdrawn member's staff cannot open the store. */
static void test_member__withdrawn_key_dropped_at_next_open(void **state)
{
    fx *f = *state;
    council__keyring *kr = malloc(sizeof *kr), *saved = malloc(sizeof *saved);
    uint8_t a[16], b[16], st[16];
    char *kf = th_path(f->root, "a.key");
    council_buf kb = { NULL, 0 };
    bool back = false;

    assert_non_null(kr);
    assert_non_null(saved);
    add(f->c, a, "NPO 退会", 5, 0);
    add(f->c, b, "病院", COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_MEDICAL, 0);
    assert_int_equal(council_member_keygen_file(f->c, kf, a, 16, (const uint8_t *)"a pass", 6,
                                                TH_OPS, TH_MEM), COUNCIL_OK);
    assert_int_equal(council_member_keygen(f->c, &kb, b, 16, (const uint8_t *)"b pass", 6, TH_OPS,
                                           TH_MEM), COUNCIL_OK);
    assert_int_equal(council_staff_add(f->c, st, 16, a, 16, "相談員", NULL), COUNCIL_OK);
    assert_int_equal(council_staff_pledge(f->c, st, 16, 0, "v1", (const uint8_t *)kg_pledge,
                                          strlen(kg_pledge), NULL), COUNCIL_OK);
    assert_int_equal(kg_staff_open(f->store, st, kf, "a pass"), COUNCIL_OK);
    assert_int_equal(council__keyring_load(NULL, saved, f->store), COUNCIL_OK);
    assert_int_equal(saved->n_members, 2);

    assert_int_equal(council_member_withdraw(f->c, a, 16, 0, "退会"), COUNCIL_OK);
    /* The drop after the commit "failed": the entry is back. */
    assert_int_equal(council__keyring_load(NULL, kr, f->store), COUNCIL_OK);
    assert_int_equal(kr->n_members, 1);
    for (size_t i = 0; i < saved->n_members; i++)
        if (memcmp(saved->members[i].member_id, a, 16) == 0) {
            kr->members[kr->n_members++] = saved->members[i];
            back = true;
        }
    assert_true(back);
    assert_int_equal(council__keyring_store(NULL, kr, f->store), COUNCIL_OK);
    assert_int_equal(council__keyring_load(NULL, kr, f->store), COUNCIL_OK);
    assert_int_equal(kr->n_members, 2);

    /* The next open of the council passphrase drops it, and only it. */
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(council__keyring_load(NULL, kr, f->store), COUNCIL_OK);
    assert_int_equal(kr->n_members, 1);
    assert_memory_equal(kr->members[0].member_id, b, 16);
    assert_int_not_equal(kg_staff_open(f->store, st, kf, "a pass"), COUNCIL_OK);
    /* An open with nothing to drop leaves the entries as they are. */
    council_close(f->c);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    assert_int_equal(council__keyring_load(NULL, kr, f->store), COUNCIL_OK);
    assert_int_equal(kr->n_members, 1);
    assert_memory_equal(kr->members[0].member_id, b, 16);

    council_buf_free(&kb);
    sodium_memzero(kr, sizeof *kr);
    sodium_memzero(saved, sizeof *saved);
    free(kr);
    free(saved);
    free(kf);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_member__add_get_list),
        T(test_member__one_coordinating_body),
        T(test_member__withdrawn_member_is_kept_and_refused),
        T(test_member__keygen_and_register),
        T(test_member__keygen_file_crash_keeps_old_keys),
        T(test_member__announce_names_only),
        T(test_member__refuses_bad_input),
        T(test_member__no_plaintext_on_disk),
        T(test_member__database_key_sealed_to_member),
        T(test_member__withdrawn_key_dropped_at_next_open),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
