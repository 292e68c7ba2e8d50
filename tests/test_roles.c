/* test_roles.c - the secretariat and the coordinating body as people: the
 * staff of a member in the secretariat's role run the register without the
 * council passphrase, the coordinating body's staff read every case, the
 * log names each person, and the powers come from keys the insider cannot
 * forge (role keys sealed in council.keyring, checked against the keys the
 * session trusts) and from the signed register. Every use of the council
 * passphrase is an event with its reason. */
#include "case_fixture.h"
#include "keyring.h"
#include "session.h"
#include "member.h"
#include "member_db.h"

typedef struct rfx {
    fx base;                    /* NPO A, B, C with keys and staff */
    uint8_t sec[16], cb[16];    /* the secretariat's and the coordinating body's members */
    council_buf ksec, kcb;
    uint8_t s1[16], s2[16], cbs[16]; /* their staff */
} rfx;

static void role_member(council *c, uint8_t id[16], const char *name, uint32_t roles,
                        council_buf *kf)
{
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;

    o.name = name;
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_MUNICIPAL_DEPARTMENT;
    o.roles = roles;
    o.scopes = all_scopes;
    o.n_scopes = 10;
    assert_int_equal(council_member_add(c, id, 16, &o), COUNCIL_OK);
    assert_int_equal(council_member_keygen(c, kf, id, 16, (const uint8_t *)MPASS, strlen(MPASS),
                                           TH_OPS, TH_MEM), COUNCIL_OK);
}

static int rsetup(void **state)
{
    rfx *r = calloc(1, sizeof *r);
    void *inner = NULL;

    assert_non_null(r);
    assert_int_equal(setup(&inner), 0);
    r->base = *(fx *)inner;
    free(inner);
    role_member(r->base.c, r->sec, "北市 福祉政策課（事務局）", COUNCIL_ROLE_SECRETARIAT, &r->ksec);
    role_member(r->base.c, r->cb, "北市 地域福祉課（調整機関）", COUNCIL_ROLE_COORDINATING_BODY,
                &r->kcb);
    staff(r->base.c, r->s1, r->sec);
    staff(r->base.c, r->s2, r->sec);
    staff(r->base.c, r->cbs, r->cb);
    *state = r;
    return 0;
}

static int rteardown(void **state)
{
    rfx *r = *state;
    fx *f = malloc(sizeof *f);

    assert_non_null(f);
    *f = r->base;
    council_buf_free(&r->ksec);
    council_buf_free(&r->kcb);
    free(r);
    *state = f;
    return teardown(state);
}

/* NPO A's staff open a case and write the canary text into `scope`. */
static void a_case(rfx *r, uint8_t cid[16], uint8_t pid[16], const char *scope)
{
    council *a = staff_open(&r->base, r->base.sa, &r->base.ka);

    new_case(a, cid, pid);
    put(a, cid, pid, scope, sec_text(CANARY_TEXT), COUNCIL_OK);
    council_close(a);
}

/* Every event after `from` names a person (actor staff with member and
 * staff ids, never root); returns how many name `who` of `member`. */
static size_t all_named(council *c, uint64_t from, const uint8_t member[16], const uint8_t who[16])
{
    uint64_t n = 0;
    size_t k = 0;

    assert_int_equal(council__audit_size(c, &n), COUNCIL_OK);
    for (uint64_t i = from; i < n; i++) {
        Council__V1__AuditEvent *e = event_at(c, i);
        if (e->actor_kind == COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_SYSTEM) {
            council__v1__audit_event__free_unpacked(e, NULL);
            continue; /* the library's own (key rotations of a withdrawal) */
        }
        assert_int_equal(e->actor_kind, COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF);
        assert_true(e->has_actor_member && e->has_actor_staff);
        k += memcmp(e->actor_member.data, member, 16) == 0 && memcmp(e->actor_staff.data, who, 16) == 0;
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    return k;
}

/* A secretariat staff member does the whole registry workflow without the
 * council passphrase, and every event names that person. */
static void test_roles__secretariat_staff_run_the_register(void **state)
{
    rfx *r = *state;
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;
    council_buf kx = { NULL, 0 };
    uint8_t mx[16], sx[16], sid[16];
    uint64_t from = 0;
    council *s, *x;

    council_close(r->base.c); /* the council passphrase is put away */
    r->base.c = NULL;
    s = staff_open(&r->base, r->s1, &r->ksec);
    assert_int_equal(council__audit_size(s, &from), COUNCIL_OK);
    assert_true(council__is_secretariat(s) && council__is_coordinator(s));

    o.name = "NPO 新";
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_NPO;
    o.scopes = b_scopes;
    o.n_scopes = 3;
    assert_int_equal(council_member_add(s, mx, 16, &o), COUNCIL_OK);
    o.contact = "03-0000-0000";
    assert_int_equal(council_member_update(s, mx, 16, &o), COUNCIL_OK);
    assert_int_equal(council_member_keygen(s, &kx, mx, 16, (const uint8_t *)MPASS, strlen(MPASS),
                                           TH_OPS, TH_MEM), COUNCIL_OK);
    assert_int_equal(council_staff_add(s, sx, 16, mx, 16, "相談員 新", NULL), COUNCIL_OK);
    assert_int_equal(council_staff_pledge(s, sx, 16, 0, "v1", (const uint8_t *)pledge,
                                          strlen(pledge), NULL), COUNCIL_OK);
    assert_int_equal(council_staff_add(s, sid, 16, mx, 16, "相談員 旧", NULL), COUNCIL_OK);
    assert_int_equal(council_staff_retire(s, sid, 16, 0, "異動"), COUNCIL_OK);
    /* The new member's staff open the store: the secretariat's staff
     * sealed the database key to it without the root key. */
    x = staff_open(&r->base, sx, &kx);
    council_close(x);
    /* Withdrawal ends access and rotates the keys the member held. */
    assert_int_equal(council_member_withdraw(s, r->base.mb, 16, 0, "解散"), COUNCIL_OK);
    assert_true(all_named(s, from, r->sec, r->s1) >= 8);
    /* What needs the root key is not the secretariat's staff's. */
    assert_int_equal(council_rekey_database(s), COUNCIL_EDENIED);
    assert_int_equal(council_passphrase_change(s, (const uint8_t *)TH_PASS, strlen(TH_PASS),
                                               (const uint8_t *)"new", 3, TH_OPS, TH_MEM),
                     COUNCIL_EDENIED);
    assert_int_equal(council_audit_head_reset(s, "restored"), COUNCIL_EDENIED);
    {
        council_buf cp = { NULL, 0 };
        assert_int_equal(council_audit_checkpoint(s, &cp), COUNCIL_OK);
        council_buf_free(&cp);
    }
    council_close(s);
    council_buf_free(&kx);
}

/* A retired secretariat staff member is refused; a member whose
 * secretariat role is taken away loses its powers at its staff's next
 * call; other members' staff have none. */
static void test_roles__retired_or_demoted_refused(void **state)
{
    rfx *r = *state;
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;
    council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
    uint8_t id[16];
    council *s = NULL, *a;

    assert_int_equal(council_staff_retire(r->base.c, r->s2, 16, 0, "退職"), COUNCIL_OK);
    oo.passphrase = (const uint8_t *)MPASS;
    oo.passphrase_len = strlen(MPASS);
    oo.staff_id = r->s2;
    oo.staff_id_len = 16;
    oo.keyfile = r->ksec.ptr;
    oo.keyfile_len = r->ksec.len;
    assert_int_equal(council_open(&s, r->base.store, &oo), COUNCIL_EDENIED);
    council_close(s);

    o.name = "NPO 無権限";
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_NPO;
    a = staff_open(&r->base, r->base.sa, &r->base.ka);
    assert_false(council__is_secretariat(a) || council__is_coordinator(a));
    assert_int_equal(council_member_add(a, id, 16, &o), COUNCIL_EDENIED);
    council_close(a);

    s = staff_open(&r->base, r->s1, &r->ksec);
    assert_int_equal(council_member_add(s, id, 16, &o), COUNCIL_OK);
    o.name = "北市 福祉政策課";
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_MUNICIPAL_DEPARTMENT;
    o.roles = 0;
    assert_int_equal(council_member_update(r->base.c, r->sec, 16, &o), COUNCIL_OK);
    o.name = "NPO 二つ目";
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_NPO;
    assert_int_equal(council_member_add(s, id, 16, &o), COUNCIL_EDENIED);
    council_close(s);
    /* Its role keys left the keyring with the role. */
    s = staff_open(&r->base, r->s1, &r->ksec);
    assert_false(council__is_secretariat(s));
    assert_null(s->log_sk.p);
    assert_null(s->coord_sk.p);
    council_close(s);
}

/* The coordinating body's staff read a case no one shared with them; a
 * member's staff without a share do not. */
static void test_roles__coordinating_body_reads_every_case(void **state)
{
    rfx *r = *state;
    uint8_t cid[16], pid[16], id[16];
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;
    council *b, *cb;
    char *t;
    int rc;

    a_case(r, cid, pid, "situation");

    cb = staff_open(&r->base, r->cbs, &r->kcb);
    assert_true(council__is_coordinator(cb));
    assert_false(council__is_secretariat(cb));
    t = get_text(cb, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, CANARY_TEXT);
    free(t);
    /* The read is on the record under the person's name. */
    {
        Council__V1__AuditEvent *e = last_event(r->base.c);
        assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SECTION_DECRYPTED);
        assert_int_equal(e->actor_kind, COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF);
        assert_memory_equal(e->actor_member.data, r->cb, 16);
        assert_memory_equal(e->actor_staff.data, r->cbs, 16);
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    /* Reading is not running the register. */
    o.name = "NPO 不可";
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_NPO;
    assert_int_equal(council_member_add(cb, id, 16, &o), COUNCIL_EDENIED);
    council_close(cb);

    b = staff_open(&r->base, r->base.sb, &r->base.kb);
    t = get_text(b, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_EDENIED);
    assert_null(t);
    council_close(b);
}

/* The insider (NPO A, holding the database key, writing the store files)
 * seals role keys of its own choosing: to itself, and, in place of the
 * coordinating body's, a wrap key it made. Neither gives a power. */
struct forge {
    const uint8_t *member, *pk;
    uint32_t roles;
};

static int forge_fn(council *c, council__keyring *kr, void *ctx)
{
    const struct forge *g = ctx;
    council__secret csk = { NULL, 0 }, lsk = { NULL, 0 }, js = { NULL, 0 };
    uint8_t lpk[32];
    int rc;

    assert_int_equal(council__secret_alloc(&csk, 32), COUNCIL_OK);
    assert_int_equal(council__secret_alloc(&lsk, 64), COUNCIL_OK);
    assert_int_equal(council__secret_alloc(&js, 32), COUNCIL_OK);
    randombytes_buf(csk.p, 32);
    randombytes_buf(js.p, 32);
    crypto_sign_keypair(lpk, lsk.p);
    rc = council__keyring_seal_roles(c, kr, g->member, g->roles, g->pk, &csk, &lsk, &js);
    council__secret_free(&csk);
    council__secret_free(&lsk);
    council__secret_free(&js);
    return rc;
}

static void test_roles__forged_role_keys_give_nothing(void **state)
{
    rfx *r = *state;
    council__member_keys ka, kcb;
    uint8_t cid[16], pid[16], id[16];
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;
    council *a, *cb;
    char *t;
    int rc;

    member_keys(&r->base.ka, &ka);
    member_keys(&r->kcb, &kcb);
    a_case(r, cid, pid, "health");
    {
        struct forge g1 = { r->base.ma, ka.box_pk,
                            COUNCIL_ROLE_SECRETARIAT | COUNCIL_ROLE_COORDINATING_BODY };
        struct forge g2 = { r->cb, kcb.box_pk, COUNCIL_ROLE_COORDINATING_BODY };
        assert_int_equal(council__keyring_update(r->base.c, forge_fn, &g1), COUNCIL_OK);
        assert_int_equal(council__keyring_update(r->base.c, forge_fn, &g2), COUNCIL_OK);
    }
    /* A's staff: a role the signed register does not give is no power. */
    a = staff_open(&r->base, r->base.sa, &r->base.ka);
    assert_false(council__is_secretariat(a) || council__is_coordinator(a));
    o.name = "NPO 偽";
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_NPO;
    assert_int_equal(council_member_add(a, id, 16, &o), COUNCIL_EDENIED);
    council_close(a);
    /* And the register's role bit written with SQLCipher is a forged row. */
    assert_int_equal(sqlite3_exec(r->base.c->db, "UPDATE member SET roles = 1 WHERE name = 'NPO A';",
                                  NULL, NULL, NULL), SQLITE_OK);
    {
        council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
        council *s = NULL;
        oo.passphrase = (const uint8_t *)MPASS;
        oo.passphrase_len = strlen(MPASS);
        oo.staff_id = r->base.sa;
        oo.staff_id_len = 16;
        oo.keyfile = r->base.ka.ptr;
        oo.keyfile_len = r->base.ka.len;
        assert_int_not_equal(council_open(&s, r->base.store, &oo), COUNCIL_OK);
        council_close(s);
    }
    /* The coordinating body's staff, given a wrap key that is not the
     * council's: no power, a finding on the record, and the unshared
     * case stays closed. */
    cb = staff_open(&r->base, r->cbs, &r->kcb);
    assert_false(council__is_coordinator(cb));
    t = get_text(cb, cid, pid, "health", &rc);
    assert_int_equal(rc, COUNCIL_EDENIED);
    assert_null(t);
    council_close(cb);
    {
        council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
        council_buf out = { NULL, 0 };
        Council__V1__AuditEventList *l;
        bool found = false;
        flt.action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_TAMPER_DETECTED;
        assert_int_equal(council_audit_list(r->base.c, &out, &flt), COUNCIL_OK);
        l = council__v1__audit_event_list__unpack(NULL, out.len, out.ptr);
        for (size_t i = 0; i < l->n_events; i++)
            found = found || (l->events[i]->reason != NULL &&
                              strcmp(l->events[i]->reason, "forged_role_keys") == 0);
        assert_true(found);
        council__v1__audit_event_list__free_unpacked(l, NULL);
        council_buf_free(&out);
    }
    /* The secretariat's next register change seals the right keys again. */
    assert_int_equal(council__member_role_keys(r->base.c), COUNCIL_OK);
    cb = staff_open(&r->base, r->cbs, &r->kcb);
    assert_true(council__is_coordinator(cb));
    council_close(cb);
    council__member_keys_free(&ka);
    council__member_keys_free(&kcb);
}

/* Each use of the council passphrase is an event with its reason; the
 * written reason is kept beside it, never in the log. */
static void test_roles__root_use_is_declared(void **state)
{
    rfx *r = *state;
    council_open_options o = th_open_opts(TH_PASS);
    static const char note[] = "事務局職員の鍵ファイル紛失に伴う復旧";
    council *c = NULL;
    uint64_t n = 0;
    sqlite3_stmt *st;

    o.root_reason = "recovery";
    o.root_reason_text = note;
    assert_int_equal(council_open(&c, r->base.store, &o), COUNCIL_OK);
    assert_int_equal(council__audit_size(c, &n), COUNCIL_OK);
    {
        Council__V1__AuditEvent *e = NULL;
        for (uint64_t i = n; i-- > 0 && e == NULL;) {
            e = event_at(c, i);
            if (e->action != COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_OPENED) {
                council__v1__audit_event__free_unpacked(e, NULL);
                e = NULL;
                continue;
            }
            assert_int_equal(e->actor_kind, COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT);
            assert_string_equal(e->reason, "recovery");
            assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT reason, note FROM root_use WHERE "
                                                       "seq = ?1;", -1, &st, NULL), SQLITE_OK);
            sqlite3_bind_int64(st, 1, (sqlite3_int64)e->seq);
            assert_int_equal(sqlite3_step(st), SQLITE_ROW);
            assert_string_equal((const char *)sqlite3_column_text(st, 0), "recovery");
            assert_string_equal((const char *)sqlite3_column_text(st, 1), note);
            sqlite3_finalize(st);
            council__v1__audit_event__free_unpacked(e, NULL);
            e = (Council__V1__AuditEvent *)1;
        }
    }
    /* The written reason, as the secretariat reads it. */
    {
        council_buf out = { NULL, 0 };
        Council__V1__RootUseList *l;
        bool found = false;
        assert_int_equal(council_root_uses(c, &out), COUNCIL_OK);
        l = council__v1__root_use_list__unpack(NULL, out.len, out.ptr);
        assert_non_null(l);
        for (size_t i = 0; i < l->n_uses; i++)
            found = found || (strcmp(l->uses[i]->reason, "recovery") == 0 &&
                              strcmp(l->uses[i]->note, note) == 0);
        assert_true(found);
        council__v1__root_use_list__free_unpacked(l, NULL);
        council_buf_free(&out);
    }
    council_close(c);
    c = NULL;
    /* Another member's staff may not read them. */
    {
        council *a = staff_open(&r->base, r->base.sa, &r->base.ka);
        council_buf out = { NULL, 0 };
        assert_int_equal(council_root_uses(a, &out), COUNCIL_EDENIED);
        assert_null(out.ptr);
        council_close(a);
    }
    /* An undeclared use says so; a reason outside the list, or without its
     * text, or given to a staff session, is refused. */
    {
        Council__V1__AuditEvent *e;
        council_open_options u = th_open_opts(TH_PASS);
        assert_int_equal(council_open(&c, r->base.store, &u), COUNCIL_OK);
        assert_int_equal(council__audit_size(c, &n), COUNCIL_OK);
        e = event_at(c, n - 1);
        while (e->action != COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_OPENED) {
            uint64_t s = e->seq;
            council__v1__audit_event__free_unpacked(e, NULL);
            e = event_at(c, s - 1);
        }
        assert_string_equal(e->reason, "undeclared");
        council__v1__audit_event__free_unpacked(e, NULL);
        council_close(c);
        c = NULL;
    }
    o.root_reason = "chatting";
    assert_int_equal(council_open(&c, r->base.store, &o), COUNCIL_EINVAL);
    council_close(c);
    c = NULL;
    o.root_reason = "emergency";
    o.root_reason_text = NULL;
    assert_int_equal(council_open(&c, r->base.store, &o), COUNCIL_EINVAL);
    council_close(c);
    c = NULL;
    o.root_reason_text = "a\x01";
    assert_int_equal(council_open(&c, r->base.store, &o), COUNCIL_EINVAL);
    council_close(c);
    c = NULL;
    {
        council_open_options so = COUNCIL_OPEN_OPTIONS_INIT;
        so.passphrase = (const uint8_t *)MPASS;
        so.passphrase_len = strlen(MPASS);
        so.staff_id = r->s1;
        so.staff_id_len = 16;
        so.keyfile = r->ksec.ptr;
        so.keyfile_len = r->ksec.len;
        so.root_reason = "emergency";
        so.root_reason_text = note;
        assert_int_equal(council_open(&c, r->base.store, &so), COUNCIL_EINVAL);
        council_close(c);
    }
}


/* ------------------------------------------------ red-team findings (issue 12) */

/* How many tamper_detected events carry `reason` (the secretariat's view). */
static size_t tamper_count(council *c, const char *reason)
{
    council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
    council_buf out = { NULL, 0 };
    Council__V1__AuditEventList *l;
    size_t k = 0;

    flt.action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_TAMPER_DETECTED;
    assert_int_equal(council_audit_list(c, &out, &flt), COUNCIL_OK);
    l = council__v1__audit_event_list__unpack(NULL, out.len, out.ptr);
    assert_non_null(l);
    for (size_t i = 0; i < l->n_events; i++)
        k += l->events[i]->reason != NULL && strcmp(l->events[i]->reason, reason) == 0;
    council__v1__audit_event_list__free_unpacked(l, NULL);
    council_buf_free(&out);
    return k;
}

/* The coordinating body's staff read every case; they do not write into
 * another member's case (no share, not the owner, not the secretariat). */
static void test_roles__coordinating_body_writes_no_case(void **state)
{
    rfx *r = *state;
    uint8_t cid[16], pid[16];
    council *a, *cb;
    char *t;
    int rc;

    a_case(r, cid, pid, "situation");
    cb = staff_open(&r->base, r->cbs, &r->kcb);
    assert_true(council__is_coordinator(cb));
    put(cb, cid, pid, "situation", sec_text("調整機関の上書き"), COUNCIL_EDENIED);
    put(cb, cid, pid, "health", sec_text("調整機関の追記"), COUNCIL_EDENIED);
    council_close(cb);
    a = staff_open(&r->base, r->base.sa, &r->base.ka);
    t = get_text(a, cid, pid, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, CANARY_TEXT);
    free(t);
    council_close(a);
}

/* A root key rotation gives the coordinating body a new key pair: the role
 * keys follow at once, so the secretariat's and the coordinating body's
 * staff keep their powers and no forgery is reported. */
static void test_roles__root_rekey_reseals_role_keys(void **state)
{
    rfx *r = *state;
    council *s, *cb;

    assert_int_equal(council_rekey_root(r->base.c, (const uint8_t *)"new pass", 8, NULL, 0,
                                        TH_OPS, TH_MEM), COUNCIL_OK);
    s = staff_open(&r->base, r->s1, &r->ksec);
    assert_true(council__is_secretariat(s));
    council_close(s);
    cb = staff_open(&r->base, r->cbs, &r->kcb);
    assert_true(council__is_coordinator(cb));
    council_close(cb);
    assert_int_equal(tamper_count(r->base.c, "forged_role_keys"), 0);
}

/* More members in a role than the keyring holds role keys for: the change
 * that would pass the limit is refused before it is made, and the council
 * passphrase still opens the store (it is the way back). */
static void test_roles__role_holder_limit(void **state)
{
    rfx *r = *state;
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;
    council *c = NULL;
    int rc = COUNCIL_OK;
    size_t added = 0;

    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_MUNICIPAL_DEPARTMENT;
    o.roles = COUNCIL_ROLE_SECRETARIAT;
    for (size_t i = 0; i < 20 && rc == COUNCIL_OK; i++) {
        council_buf kf = { NULL, 0 };
        uint8_t id[16];
        char name[32];
        snprintf(name, sizeof name, "事務局 %zu", i);
        o.name = name;
        rc = council_member_add(r->base.c, id, 16, &o);
        if (rc == COUNCIL_OK)
            rc = council_member_keygen(r->base.c, &kf, id, 16, (const uint8_t *)MPASS,
                                       strlen(MPASS), TH_OPS, TH_MEM);
        added += rc == COUNCIL_OK;
        council_buf_free(&kf);
    }
    /* Two role holders from the fixture, 14 more fit. */
    assert_int_equal(rc, COUNCIL_ELIMIT);
    assert_int_equal(added, COUNCIL__KEYRING_ROLES_MAX - 2);
    /* A store from before this version may have more (roles were labels
     * then): one more role holder signed into the register as it was. */
    assert_int_equal(sqlite3_exec(r->base.c->db, "UPDATE member SET roles = 1 WHERE name = 'NPO A';",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(council__member_sign(r->base.c, "test", r->base.ma), COUNCIL_OK);
    council_close(r->base.c);
    r->base.c = NULL;
    assert_int_equal(th_open(&c, r->base.store, TH_PASS), COUNCIL_OK);
    r->base.c = c;
    /* And the role holders there are keep their powers. */
    {
        council *s = staff_open(&r->base, r->s1, &r->ksec);
        assert_true(council__is_secretariat(s));
        council_close(s);
    }
}

/* A secretariat session of a person moves the signer's head as the
 * council passphrase's did: an insider deleting the events up to it is
 * caught at the next checkpoint. */
static void test_roles__secretariat_staff_move_the_head(void **state)
{
    rfx *r = *state;
    council_buf note = { NULL, 0 };
    uint64_t mark = 0;
    council *a, *s;
    uint8_t cid[16], pid[16];

    council_close(r->base.c); /* the council passphrase is put away */
    r->base.c = NULL;
    assert_int_equal(council__audit_size((s = staff_open(&r->base, r->s1, &r->ksec)), &mark),
                     COUNCIL_OK);
    council_close(s);
    /* NPO A works, and a person of the secretariat opens the store after. */
    a = staff_open(&r->base, r->base.sa, &r->base.ka);
    new_case(a, cid, pid);
    put(a, cid, pid, "situation", sec_text(CANARY_TEXT), COUNCIL_OK);
    s = staff_open(&r->base, r->s1, &r->ksec);
    council_close(s);
    /* The insider (NPO A) drops everything since the mark. */
    {
        char sql[200];
        snprintf(sql, sizeof sql, "DELETE FROM audit_event WHERE seq >= %llu;"
                 "DELETE FROM audit_node WHERE (idx + 1) << level > %llu;",
                 (unsigned long long)mark, (unsigned long long)mark);
        assert_int_equal(sqlite3_exec(a->db, sql, NULL, NULL, NULL), SQLITE_OK);
    }
    council_close(a);
    s = staff_open(&r->base, r->s1, &r->ksec);
    assert_int_equal(council_audit_checkpoint(s, &note), COUNCIL_ETAMPER);
    assert_null(note.ptr);
    council_close(s);
}

/* A secretariat staff session reopened from its session secret keeps the
 * role's powers (the role keys open with the member's key in the blob). */
static void test_roles__session_secret_keeps_roles(void **state)
{
    rfx *r = *state;
    uint8_t blob[COUNCIL_SESSION_SECRET_MAX];
    size_t n = 0;
    council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;
    council *s = staff_open(&r->base, r->s1, &r->ksec), *t = NULL;

    assert_int_equal(council_session_secret(s, blob, sizeof blob, &n), COUNCIL_OK);
    council_close(s);
    o.session_secret = blob;
    o.session_secret_len = n;
    assert_int_equal(council_open(&t, r->base.store, &o), COUNCIL_OK);
    assert_true(council__is_secretariat(t) && council__is_coordinator(t));
    council_close(t);
    sodium_memzero(blob, sizeof blob);
}

#ifdef COUNCIL_RED_KNOWN_GAPS
/* KNOWN GAP (red-team, issue 12; fails on this code, left out of the
 * build): a member whose secretariat role is taken away kept the role's
 * keys (the log key is never rotated; the coordinating body's only by a
 * root rekey). As the insider it signs its own register row with the role
 * again and seals the keys to itself: its next session has the
 * secretariat's powers. Closing it needs a log key that changes when a
 * secretariat role ends (or register rows signed by the root key alone).
 * Build with -DCOUNCIL_RED_KNOWN_GAPS to run it. */
struct reseal {
    const uint8_t *member, *pk;
    const council__secret *csk, *lsk, *js;
};

static int reseal_fn(council *c, council__keyring *kr, void *ctx)
{
    const struct reseal *g = ctx;

    return council__keyring_seal_roles(c, kr, g->member, COUNCIL_ROLE_SECRETARIAT, g->pk, g->csk,
                                       g->lsk, g->js);
}

static void test_roles__demoted_secretariat_regains_nothing(void **state)
{
    rfx *r = *state;
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;
    council__member_keys ks;
    council *old, *s;

    old = staff_open(&r->base, r->s1, &r->ksec); /* while it held the role */
    assert_true(council__is_secretariat(old));
    o.name = "北市 福祉政策課";
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_MUNICIPAL_DEPARTMENT;
    o.roles = 0;
    assert_int_equal(council_member_update(r->base.c, r->sec, 16, &o), COUNCIL_OK);
    /* The insider: the role bit back in its row, signed with the log key
     * it kept (the old handle's copy), and the role keys sealed to itself. */
    assert_int_equal(sqlite3_exec(old->db, "UPDATE member SET roles = 1 WHERE name = "
                                           "'北市 福祉政策課';", NULL, NULL, NULL), SQLITE_OK);
    old->actor_roles = COUNCIL_ROLE_SECRETARIAT;
    assert_int_equal(council__member_sign(old, "insider", r->sec), COUNCIL_OK);
    member_keys(&r->ksec, &ks);
    {
        struct reseal g = { r->sec, ks.box_pk, &old->coord_sk, &old->log_sk, &old->journal_seed };
        assert_int_equal(council__keyring_update(old, reseal_fn, &g), COUNCIL_OK);
    }
    council__member_keys_free(&ks);
    council_close(old);
    s = staff_open(&r->base, r->s1, &r->ksec);
    assert_false(council__is_secretariat(s)); /* FAILS today: the powers are back */
    council_close(s);
}
#endif

/* A refusal before the store could be opened (a withdrawn member's staff:
 * no database key for it) is journaled beside the store; the secretariat's
 * person imports it at their next session, as the council passphrase's
 * session would, so it does not wait for that rare use. */
static void test_roles__secretariat_staff_import_the_journal(void **state)
{
    rfx *r = *state;
    council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
    council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
    council_buf out = { NULL, 0 };
    Council__V1__AuditEventList *l;
    char *jpath = th_path(r->base.store, "council.refusals");
    council *b = NULL, *s;
    size_t k = 0;

    assert_int_equal(council_member_withdraw(r->base.c, r->base.mb, 16, 0, "解散"), COUNCIL_OK);
    council_close(r->base.c); /* the council passphrase is put away */
    r->base.c = NULL;
    oo.passphrase = (const uint8_t *)MPASS;
    oo.passphrase_len = strlen(MPASS);
    oo.staff_id = r->base.sb;
    oo.staff_id_len = 16;
    oo.keyfile = r->base.kb.ptr;
    oo.keyfile_len = r->base.kb.len;
    assert_int_equal(council_open(&b, r->base.store, &oo), COUNCIL_EDENIED);
    council_close(b);
    assert_true(th_exists(jpath));
    s = staff_open(&r->base, r->s1, &r->ksec);
    assert_false(th_exists(jpath));
    flt.action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SESSION_REFUSED;
    assert_int_equal(council_audit_list(s, &out, &flt), COUNCIL_OK);
    l = council__v1__audit_event_list__unpack(NULL, out.len, out.ptr);
    assert_non_null(l);
    for (size_t i = 0; i < l->n_events; i++)
        k += l->events[i]->reason != NULL &&
             strcmp(l->events[i]->reason, "member_without_access") == 0 &&
             l->events[i]->has_actor_staff &&
             memcmp(l->events[i]->actor_staff.data, r->base.sb, 16) == 0;
    assert_int_equal(k, 1);
    council__v1__audit_event_list__free_unpacked(l, NULL);
    council_buf_free(&out);
    council_close(s);
    /* The coordinating body's person holds no journal key: nothing to import. */
    assert_int_equal(council_open(&b, r->base.store, &oo), COUNCIL_EDENIED);
    council_close(b);
    s = staff_open(&r->base, r->cbs, &r->kcb);
    assert_true(th_exists(jpath));
    assert_null(s->journal_seed.p);
    council_close(s);
    free(jpath);
}

#define T(name) cmocka_unit_test_setup_teardown(name, rsetup, rteardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_roles__secretariat_staff_run_the_register),
        T(test_roles__retired_or_demoted_refused),
        T(test_roles__coordinating_body_reads_every_case),
        T(test_roles__forged_role_keys_give_nothing),
        T(test_roles__root_use_is_declared),
        T(test_roles__coordinating_body_writes_no_case),
        T(test_roles__root_rekey_reseals_role_keys),
        T(test_roles__role_holder_limit),
        T(test_roles__secretariat_staff_move_the_head),
        T(test_roles__session_secret_keeps_roles),
        T(test_roles__secretariat_staff_import_the_journal),
#ifdef COUNCIL_RED_KNOWN_GAPS
        T(test_roles__demoted_secretariat_regains_nothing),
#endif
    };

    if (council_global_init() != COUNCIL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
