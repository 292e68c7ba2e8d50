/*
 * test_exchange.c - the council and its members' own systems end to end
 * (issue 15): the council's bundles into two member nodes, each seeing
 * exactly its own scopes and logging its reads in its own verifiable log;
 * a revocation round trip; a referral answered from a node; an intake sent
 * from a node; a meeting packet; witnessing, and a rolled-back council
 * caught by a node that witnessed it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "case_fixture.h"
#include "council/v1/bundle.pb-c.h"
#include "envelope.h"
#include "council/v1/node.pb-c.h"
#include "council/v1/referral.pb-c.h"
#include "council/v1/info.pb-c.h"

#define WIT_CANARY "WITNESS-CANARY-2c8e"

typedef struct xfx {
    fx f;
    char *dir_b, *dir_c;
    council_node *nb, *nc;
} xfx;

static int xsetup(void **state)
{
    xfx *x = calloc(1, sizeof *x);
    void *inner = NULL;

    assert_non_null(x);
    assert_int_equal(setup(&inner), 0);
    memcpy(&x->f, inner, sizeof x->f);
    free(inner);
    x->dir_b = th_path(x->f.root, "node-b");
    x->dir_c = th_path(x->f.root, "node-c");
    assert_int_equal(council_node_init(&x->nb, x->dir_b, x->f.kb.ptr, x->f.kb.len,
                                       (const uint8_t *)MPASS, strlen(MPASS)), COUNCIL_OK);
    assert_int_equal(council_node_init(&x->nc, x->dir_c, x->f.kc.ptr, x->f.kc.len,
                                       (const uint8_t *)MPASS, strlen(MPASS)), COUNCIL_OK);
    *state = x;
    return 0;
}

static int xteardown(void **state)
{
    xfx *x = *state;
    fx *inner = malloc(sizeof *inner);
    void *p = inner;

    council_node_close(x->nb);
    council_node_close(x->nc);
    free(x->dir_b);
    free(x->dir_c);
    assert_non_null(inner);
    memcpy(inner, &x->f, sizeof *inner);
    free(x);
    return teardown(&p);
}

/* Import into a node; the result's outcome code into outcome (may be NULL). */
static int node_take(council_node *n, const council_buf *b, Council__V1__BundleImportResult **res)
{
    council_buf out = { NULL, 0 };
    int rc = council_node_import(n, &out, b->ptr, b->len);

    if (res != NULL) {
        *res = NULL;
        if (rc == COUNCIL_OK) {
            *res = council__v1__bundle_import_result__unpack(NULL, out.len, out.ptr);
            assert_non_null(*res);
        }
    }
    if (rc != COUNCIL_OK)
        assert_null(out.ptr);
    council_buf_free(&out);
    return rc;
}

static Council__V1__NodeItemList *node_items(council_node *n)
{
    council_buf out = { NULL, 0 };
    Council__V1__NodeItemList *l;

    assert_int_equal(council_node_list(n, &out), COUNCIL_OK);
    l = council__v1__node_item_list__unpack(NULL, out.len, out.ptr);
    assert_non_null(l);
    council_buf_free(&out);
    return l;
}

/* The node's items of kind "section": their scopes, joined with ','. */
static void node_scopes(council_node *n, char *buf, size_t cap)
{
    Council__V1__NodeItemList *l = node_items(n);

    buf[0] = '\0';
    for (size_t i = 0; i < l->n_items; i++) {
        if (strcmp(l->items[i]->kind, "section") != 0)
            continue;
        for (size_t k = 0; k < l->items[i]->n_scopes; k++) {
            if (buf[0] != '\0')
                strncat(buf, ",", cap - strlen(buf) - 1);
            strncat(buf, l->items[i]->scopes[k], cap - strlen(buf) - 1);
        }
    }
    council__v1__node_item_list__free_unpacked(l, NULL);
}

/* Read every section item of n; true if some content holds needle. */
static bool node_reads(council_node *n, const char *needle)
{
    Council__V1__NodeItemList *l = node_items(n);
    bool found = false;

    for (size_t i = 0; i < l->n_items; i++) {
        council_buf out = { NULL, 0 };
        Council__V1__NodeItemContent *ic;

        assert_int_equal(council_node_read(n, &out, l->items[i]->id.data, l->items[i]->id.len),
                         COUNCIL_OK);
        ic = council__v1__node_item_content__unpack(NULL, out.len, out.ptr);
        assert_non_null(ic);
        if (memfind(ic->content.data, ic->content.len, needle, strlen(needle)) != NULL)
            found = true;
        council__v1__node_item_content__free_unpacked(ic, NULL);
        council_buf_free(&out);
    }
    council__v1__node_item_list__free_unpacked(l, NULL);
    return found;
}

static Council__V1__NodeInfo *node_info(council_node *n)
{
    council_buf out = { NULL, 0 };
    Council__V1__NodeInfo *i;

    assert_int_equal(council_node_info(n, &out), COUNCIL_OK);
    i = council__v1__node_info__unpack(NULL, out.len, out.ptr);
    assert_non_null(i);
    council_buf_free(&out);
    return i;
}

/* Is needle in any file under dir (one level)? */
static bool dir_holds(const char *dir, const char *needle)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    bool found = false;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        char *p;
        uint8_t *buf = NULL;
        size_t len = 0;
        if (e->d_name[0] == '.')
            continue;
        p = th_path(dir, e->d_name);
        if (th_read_file(p, &buf, &len) == 0) {
            if (memfind(buf, len, needle, strlen(needle)) != NULL)
                found = true;
            free(buf);
        }
        free(p);
    }
    closedir(d);
    return found;
}

/* The verifier's answer for a node's own log export. */
static int node_log_verifies(xfx *x, council_node *n, const char *vkey)
{
    char *path = th_path(x->f.root, "node-log.export");
    council_audit_verify_options vo = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    council_buf rep = { NULL, 0 };
    int rc;

    (void)unlink(path);
    assert_int_equal(council_node_audit_export(n, path), COUNCIL_OK);
    vo.log_vkey = vkey;
    rc = council_audit_verify_export(&rep, path, &vo);
    council_buf_free(&rep);
    (void)unlink(path);
    free(path);
    return rc;
}

/*
 * One case of A's with four scopes; B holds situation, C holds health. The
 * council sends each its own: each node sees exactly its scope, reads it
 * (logged first in its own log, which verifies with its own key and not
 * with another's), and nothing of it is in clear in the node's files.
 */
static void test_exchange__two_nodes_each_its_own(void **state)
{
    xfx *x = *state;
    fx *f = &x->f;
    council *a;
    uint8_t cid[16], pid[16];
    council_bundle_options bo = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf to_b = { NULL, 0 }, to_c = { NULL, 0 };
    char scopes[128];
    Council__V1__NodeInfo *ib, *ic;

    a = staff_open(f, f->sa, &f->ka);
    new_case(a, cid, pid);
    put(a, cid, pid, "identity", sec_identity(CANARY_NAME, "1950-01-02"), COUNCIL_OK);
    put(a, cid, pid, "situation", sec_text("SITUATION-" CANARY_TEXT), COUNCIL_OK);
    put(a, cid, pid, "wishes", sec_text("WISHES-" CANARY_TEXT), COUNCIL_OK);
    put(a, cid, pid, "health", sec_text("HEALTH-" CANARY_TEXT), COUNCIL_OK);
    share(a, cid, f->mb, "situation", COUNCIL_OK);
    share(a, cid, f->mc, "health", COUNCIL_OK);

    bo.purpose = "support_coordination";
    bo.basis = "appi_27_1_4_public_duty";
    assert_int_equal(council_bundle_case(f->c, &to_b, cid, 16, pid, 16, f->mb, 16, &bo), COUNCIL_OK);
    assert_int_equal(council_bundle_case(f->c, &to_c, cid, 16, pid, 16, f->mc, 16, &bo), COUNCIL_OK);
    /* Nothing of the case in clear in a bundle. */
    assert_null(memfind(to_b.ptr, to_b.len, CANARY_TEXT, strlen(CANARY_TEXT)));
    assert_null(memfind(to_c.ptr, to_c.len, CANARY_TEXT, strlen(CANARY_TEXT)));

    /* Each bundle only into its own node. */
    assert_int_equal(node_take(x->nc, &to_b, NULL), COUNCIL_ERECIPIENT);
    assert_int_equal(node_take(x->nb, &to_c, NULL), COUNCIL_ERECIPIENT);
    assert_int_equal(node_take(x->nb, &to_b, NULL), COUNCIL_OK);
    assert_int_equal(node_take(x->nc, &to_c, NULL), COUNCIL_OK);
    assert_int_equal(node_take(x->nb, &to_b, NULL), COUNCIL_EREPLAY);

    node_scopes(x->nb, scopes, sizeof scopes);
    assert_string_equal(scopes, "situation");
    node_scopes(x->nc, scopes, sizeof scopes);
    assert_string_equal(scopes, "health");
    assert_true(node_reads(x->nb, "SITUATION-" CANARY_TEXT));
    assert_false(node_reads(x->nb, "HEALTH-"));
    assert_false(node_reads(x->nb, "WISHES-"));
    assert_true(node_reads(x->nc, "HEALTH-" CANARY_TEXT));
    assert_false(node_reads(x->nc, "SITUATION-"));

    /* Promise 5 on the node: its files hold nothing in clear. */
    assert_false(dir_holds(x->dir_b, CANARY_TEXT));
    assert_false(dir_holds(x->dir_c, CANARY_TEXT));
    assert_false(dir_holds(x->dir_b, CANARY_NAME));

    /* Each node's log verifies with its own key, not with the other's. */
    ib = node_info(x->nb);
    ic = node_info(x->nc);
    assert_true(ib->log_size >= 3); /* created, imported, read */
    assert_int_equal(node_log_verifies(x, x->nb, ib->node_log_vkey), COUNCIL_OK);
    assert_int_equal(node_log_verifies(x, x->nc, ic->node_log_vkey), COUNCIL_OK);
    assert_int_not_equal(node_log_verifies(x, x->nb, ic->node_log_vkey), COUNCIL_OK);
    council__v1__node_info__free_unpacked(ib, NULL);
    council__v1__node_info__free_unpacked(ic, NULL);

    council_buf_free(&to_b);
    council_buf_free(&to_c);
    council_close(a);
}

/* A share revoked at the council: the revocation bundle deletes the node's
 * copy and its key; a second call finds nothing left to revoke. */
static void test_exchange__revocation_round_trip(void **state)
{
    xfx *x = *state;
    fx *f = &x->f;
    council *a;
    uint8_t cid[16], pid[16];
    council_bundle_options bo = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf b = { NULL, 0 };
    Council__V1__BundleImportResult *res = NULL;
    Council__V1__NodeItemList *l;
    uint8_t item[16];
    char scopes[64];
    const char *sit[1] = { "situation" };

    a = staff_open(f, f->sa, &f->ka);
    new_case(a, cid, pid);
    put(a, cid, pid, "situation", sec_text("SITUATION-" CANARY_TEXT), COUNCIL_OK);
    share(a, cid, f->mb, "situation", COUNCIL_OK);
    bo.purpose = "support_coordination";
    bo.basis = "appi_27_1_4_public_duty";
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, pid, 16, f->mb, 16, &bo), COUNCIL_OK);
    assert_int_equal(node_take(x->nb, &b, NULL), COUNCIL_OK);
    council_buf_free(&b);
    l = node_items(x->nb);
    assert_int_equal(l->n_items, 1);
    memcpy(item, l->items[0]->id.data, 16);
    council__v1__node_item_list__free_unpacked(l, NULL);

    /* Nothing to revoke while the share stands. */
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &bo), COUNCIL_ENOTFOUND);
    assert_null(b.ptr);

    assert_int_equal(council_case_revoke(a, cid, 16, f->mb, 16, sit, 1, "no_longer_needed"),
                     COUNCIL_OK);
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &bo), COUNCIL_OK);
    assert_int_equal(node_take(x->nb, &b, &res), COUNCIL_OK);
    assert_int_equal(res->n_deleted, 1);
    assert_memory_equal(res->deleted[0].data, item, 16);
    council__v1__bundle_import_result__free_unpacked(res, NULL);
    council_buf_free(&b);

    node_scopes(x->nb, scopes, sizeof scopes);
    assert_string_equal(scopes, "");
    {
        council_buf out = { NULL, 0 };
        assert_int_equal(council_node_read(x->nb, &out, item, 16), COUNCIL_ENOTFOUND);
        assert_null(out.ptr);
    }
    /* Revoked once: the next call has nothing left. */
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &bo), COUNCIL_ENOTFOUND);
    council_close(a);
}

/* Promise 7 across the exchange: a case erased at the council is erased on
 * the node too, by the next revocation bundle (REVOKE_CASE), keys with it. */
static void test_exchange__erasure_reaches_the_node(void **state)
{
    xfx *x = *state;
    fx *f = &x->f;
    council *a;
    uint8_t cid[16], pid[16];
    council_bundle_options bo = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf b = { NULL, 0 };
    Council__V1__BundleImportResult *res = NULL;
    Council__V1__RevocationBundle *rb;
    char scopes[64];

    a = staff_open(f, f->sa, &f->ka);
    new_case(a, cid, pid);
    put(a, cid, pid, "situation", sec_text("SITUATION-" CANARY_TEXT), COUNCIL_OK);
    put(a, cid, pid, "wishes", sec_text("WISHES-" CANARY_TEXT), COUNCIL_OK);
    share(a, cid, f->mb, "situation", COUNCIL_OK);
    share(a, cid, f->mb, "wishes", COUNCIL_OK);
    bo.purpose = "support_coordination";
    bo.basis = "appi_27_1_4_public_duty";
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, pid, 16, f->mb, 16, &bo), COUNCIL_OK);
    assert_int_equal(node_take(x->nb, &b, NULL), COUNCIL_OK);
    council_buf_free(&b);
    node_scopes(x->nb, scopes, sizeof scopes);
    assert_int_equal(strlen(scopes), strlen("situation,wishes"));
    assert_non_null(strstr(scopes, "situation"));
    assert_non_null(strstr(scopes, "wishes"));

    assert_int_equal(council_case_erase(f->c, cid, 16, "person_request"), COUNCIL_OK);
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &bo), COUNCIL_OK);
    /* The revocation names the case (what the council's side put in it,
     * read back here with the member's key). */
    {
        council__member_keys kb;
        council__envelope e;
        Council__V1__BundlePayload *pl = NULL;
        bool names_case = false;
        member_keys(&f->kb, &kb);
        assert_int_equal(council__envelope_parse(NULL, "t", &e, b.ptr, b.len), COUNCIL_OK);
        assert_int_equal(council__envelope_open(NULL, "t", &e, kb.box_pk, &kb.box_sk, &pl),
                         COUNCIL_OK);
        rb = pl->revocation;
        for (size_t i = 0; i < rb->n_items; i++)
            names_case |= rb->items[i]->kind == COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_CASE &&
                           rb->items[i]->case_id.len == 16 &&
                           memcmp(rb->items[i]->case_id.data, cid, 16) == 0;
        assert_true(names_case);
        council__envelope_payload_free(pl);
        council__envelope_free(&e);
        council__member_keys_free(&kb);
    }
    assert_int_equal(node_take(x->nb, &b, &res), COUNCIL_OK);
    assert_int_equal(res->n_deleted, 2);
    council__v1__bundle_import_result__free_unpacked(res, NULL);
    council_buf_free(&b);
    node_scopes(x->nb, scopes, sizeof scopes);
    assert_string_equal(scopes, "");
    council_close(a);
}

/* Order: a node that imported a revocation refuses a bundle made before it
 * that carries what was revoked (the case bundle held back and imported
 * after the revocation); a bundle made after a new share goes in. */
static void test_exchange__a_bundle_older_than_a_revocation(void **state)
{
    xfx *x = *state;
    fx *f = &x->f;
    council *a;
    uint8_t cid[16], pid[16];
    council_bundle_options bo = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf old = { NULL, 0 }, rev = { NULL, 0 }, fresh = { NULL, 0 };
    const char *sit[1] = { "situation" };
    char scopes[64];

    a = staff_open(f, f->sa, &f->ka);
    new_case(a, cid, pid);
    put(a, cid, pid, "situation", sec_text("SITUATION-" CANARY_TEXT), COUNCIL_OK);
    share(a, cid, f->mb, "situation", COUNCIL_OK);
    bo.purpose = "support_coordination";
    bo.basis = "appi_27_1_4_public_duty";
    assert_int_equal(council_bundle_case(f->c, &old, cid, 16, pid, 16, f->mb, 16, &bo), COUNCIL_OK);
    sleep(1); /* (times are seconds; a revocation of the same second does not count) */
    assert_int_equal(council_case_revoke(a, cid, 16, f->mb, 16, sit, 1, "no_longer_needed"),
                     COUNCIL_OK);
    assert_int_equal(council_bundle_revocations(f->c, &rev, f->mb, 16, &bo), COUNCIL_OK);
    /* The revocation arrives first (the case bundle was held back). */
    assert_int_equal(node_take(x->nb, &rev, NULL), COUNCIL_OK);
    assert_int_equal(node_take(x->nb, &old, NULL), COUNCIL_EEXPIRED);
    assert_non_null(strstr(council_node_errmsg(x->nb), "before a revocation"));
    node_scopes(x->nb, scopes, sizeof scopes);
    assert_string_equal(scopes, "");
    /* Shared again at once: a bundle made after the revocation (even in
     * its second) goes in. */
    share(a, cid, f->mb, "situation", COUNCIL_OK);
    assert_int_equal(council_bundle_case(f->c, &fresh, cid, 16, pid, 16, f->mb, 16, &bo),
                     COUNCIL_OK);
    assert_int_equal(node_take(x->nb, &fresh, NULL), COUNCIL_OK);
    node_scopes(x->nb, scopes, sizeof scopes);
    assert_string_equal(scopes, "situation");
    /* The other way round: a revocation held back arrives after a newer
     * share's bundle; it deletes only what came before it. */
    council_buf_free(&rev);
    council_buf_free(&old);
    sleep(1);
    assert_int_equal(council_case_revoke(a, cid, 16, f->mb, 16, sit, 1, "no_longer_needed"),
                     COUNCIL_OK);
    assert_int_equal(council_bundle_revocations(f->c, &rev, f->mb, 16, &bo), COUNCIL_OK);
    sleep(1);
    share(a, cid, f->mb, "situation", COUNCIL_OK);
    assert_int_equal(council_bundle_case(f->c, &old, cid, 16, pid, 16, f->mb, 16, &bo), COUNCIL_OK);
    assert_int_equal(node_take(x->nb, &old, NULL), COUNCIL_OK); /* the newer share's */
    {
        Council__V1__BundleImportResult *res = NULL;
        assert_int_equal(node_take(x->nb, &rev, &res), COUNCIL_OK);
        assert_int_equal(res->n_deleted, 1); /* the first re-share's item, not the newest */
        council__v1__bundle_import_result__free_unpacked(res, NULL);
    }
    node_scopes(x->nb, scopes, sizeof scopes);
    assert_string_equal(scopes, "situation");
    assert_true(node_reads(x->nb, "SITUATION-" CANARY_TEXT));
    council_buf_free(&old);
    council_buf_free(&rev);
    council_buf_free(&fresh);
    council_close(a);
}

/* A referral offered to B travels to B's node; B's node accepts it; the
 * council imports the answer and the referral is accepted, the step naming
 * the bundle. A second import of the answer is a replay. */
static void test_exchange__referral_answered_from_a_node(void **state)
{
    xfx *x = *state;
    fx *f = &x->f;
    council *a;
    uint8_t cid[16], pid[16], rid[16];
    council_referral_options o = COUNCIL_REFERRAL_OPTIONS_INIT;
    council_bundle_options bo = COUNCIL_BUNDLE_OPTIONS_INIT;
    const char *sc[1] = { "situation" };
    council_buf offer = { NULL, 0 }, answer = { NULL, 0 }, out = { NULL, 0 };
    Council__V1__BundleImportResult *res = NULL;
    Council__V1__Referral *r;
    Council__V1__NodeItemList *l;
    bool has_referral = false;

    a = staff_open(f, f->sa, &f->ka);
    new_case(a, cid, pid);
    put(a, cid, pid, "situation", sec_text("SITUATION-" CANARY_TEXT), COUNCIL_OK);
    o.case_id = cid;
    o.case_id_len = 16;
    o.to_member = f->mb;
    o.to_member_len = 16;
    o.scopes = sc;
    o.n_scopes = 1;
    o.basis = "appi_27_1_4_public_duty";
    o.reason = "支援につなぐため";
    assert_int_equal(council_referral_propose(a, rid, 16, &o), COUNCIL_OK);

    /* Before any council bundle, a node does not know where answers go. */
    assert_int_equal(council_node_answer_referral(x->nb, &answer, rid, 16, "accepted", NULL, NULL,
                                                  &bo), COUNCIL_ENOTFOUND);
    assert_null(answer.ptr);

    assert_int_equal(council_bundle_referral(f->c, &offer, rid, 16, &bo), COUNCIL_OK);
    assert_int_equal(node_take(x->nb, &offer, NULL), COUNCIL_OK);
    l = node_items(x->nb);
    for (size_t i = 0; i < l->n_items; i++)
        if (strcmp(l->items[i]->kind, "referral") == 0 && l->items[i]->object_id.len == 16 &&
            memcmp(l->items[i]->object_id.data, rid, 16) == 0)
            has_referral = true;
    council__v1__node_item_list__free_unpacked(l, NULL);
    assert_true(has_referral);

    assert_int_equal(council_node_answer_referral(x->nb, &answer, rid, 16, "accepted", NULL,
                                                  "お引き受けします", &bo), COUNCIL_OK);
    /* C's node cannot answer for B, and the council refuses an answer it
     * did not address: here B's answer is imported once. */
    assert_int_equal(council_bundle_import(f->c, &out, answer.ptr, answer.len), COUNCIL_OK);
    res = council__v1__bundle_import_result__unpack(NULL, out.len, out.ptr);
    assert_non_null(res);
    assert_int_equal(res->type, COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_ANSWER);
    assert_memory_equal(res->sender_id.data, f->mb, 16);
    council__v1__bundle_import_result__free_unpacked(res, NULL);
    council_buf_free(&out);
    assert_int_equal(council_bundle_import(f->c, &out, answer.ptr, answer.len), COUNCIL_EREPLAY);
    assert_null(out.ptr);

    assert_int_equal(council_referral_get(f->c, &out, rid, 16), COUNCIL_OK);
    r = council__v1__referral__unpack(NULL, out.len, out.ptr);
    assert_non_null(r);
    assert_int_equal((int)r->state, COUNCIL_REFERRAL_ACCEPTED);
    council__v1__referral__free_unpacked(r, NULL);
    council_buf_free(&out);

    council_buf_free(&offer);
    council_buf_free(&answer);
    council_close(a);
}

/* Attacker: B keeps a referral bundle that carried the sections of a scope
 * after that scope's share was revoked. The council revokes the share
 * (case, scope); the node must drop every item holding that scope of the
 * case, not only its "section" items. */
static void test_exchange__share_revoked_drops_the_referral_copy(void **state)
{
    xfx *x = *state;
    fx *f = &x->f;
    council *a;
    uint8_t cid[16], pid[16], rid[16];
    council_referral_options o = COUNCIL_REFERRAL_OPTIONS_INIT;
    council_bundle_options bo = COUNCIL_BUNDLE_OPTIONS_INIT;
    const char *sc[1] = { "situation" };
    council_buf b = { NULL, 0 }, out = { NULL, 0 };

    a = staff_open(f, f->sa, &f->ka);
    new_case(a, cid, pid);
    put(a, cid, pid, "situation", sec_text("REFSEC-" CANARY_TEXT), COUNCIL_OK);
    o.case_id = cid;
    o.case_id_len = 16;
    o.to_member = f->mb;
    o.to_member_len = 16;
    o.scopes = sc;
    o.n_scopes = 1;
    o.basis = "appi_27_1_4_public_duty";
    o.reason = "支援につなぐため";
    assert_int_equal(council_referral_propose(a, rid, 16, &o), COUNCIL_OK);
    bo.purpose = "support_coordination";
    bo.basis = "appi_27_1_4_public_duty";
    assert_int_equal(council_bundle_referral(f->c, &b, rid, 16, &bo), COUNCIL_OK);
    assert_int_equal(node_take(x->nb, &b, NULL), COUNCIL_OK);
    council_buf_free(&b);
    assert_int_equal(council_node_answer_referral(x->nb, &b, rid, 16, "accepted", NULL, NULL, &bo),
                     COUNCIL_OK);
    assert_int_equal(council_bundle_import(f->c, &out, b.ptr, b.len), COUNCIL_OK);
    council_buf_free(&out);
    council_buf_free(&b);
    /* Accepted and delivered: the referral bundle now carries the sections. */
    assert_int_equal(council_bundle_referral(f->c, &b, rid, 16, &bo), COUNCIL_OK);
    assert_int_equal(node_take(x->nb, &b, NULL), COUNCIL_OK);
    council_buf_free(&b);
    assert_true(node_reads(x->nb, "REFSEC-"));
    /* The share of the scope revoked: the node keeps nothing of it. */
    assert_int_equal(council_case_revoke(a, cid, 16, f->mb, 16, sc, 1, "no_longer_needed"),
                     COUNCIL_OK);
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &bo), COUNCIL_OK);
    assert_int_equal(node_take(x->nb, &b, NULL), COUNCIL_OK);
    council_buf_free(&b);
    assert_false(node_reads(x->nb, "REFSEC-"));
    council_close(a);
}

/* A person handed over from a node (a hotline that is a member): the intake
 * travels as a bundle and becomes a case at the council with the consent
 * recorded. */
static void test_exchange__intake_from_a_node(void **state)
{
    xfx *x = *state;
    fx *f = &x->f;
    council_bundle_options bo = COUNCIL_BUNDLE_OPTIONS_INIT;
    Council__V1__IntakeBundle in = COUNCIL__V1__INTAKE_BUNDLE__INIT;
    council_buf cp = { NULL, 0 }, b = { NULL, 0 }, out = { NULL, 0 };
    Council__V1__BundleImportResult *res;
    char *scopes[1] = { (char *)(uintptr_t)"situation" };
    uint8_t *pb;
    size_t pblen;

    /* The node learns where answers go from any council bundle. */
    assert_int_equal(council_bundle_checkpoint(f->c, &cp, f->mb, 16, 0, &bo), COUNCIL_OK);
    assert_int_equal(node_take(x->nb, &cp, NULL), COUNCIL_OK);

    in.referrer_org = (char *)(uintptr_t)"いのちの電話";
    in.contact_channel = (char *)(uintptr_t)"phone";
    in.person_name = (char *)(uintptr_t)CANARY_NAME;
    in.person_birth_date = (char *)(uintptr_t)"1960-03-04";
    in.situation = (char *)(uintptr_t)"INTAKE-" CANARY_TEXT;
    in.consented_scopes = scopes;
    in.n_consented_scopes = 1;
    in.consent_purpose = (char *)(uintptr_t)"support_coordination";
    in.consent_method = (char *)(uintptr_t)"oral";
    in.has_consented_at = true;
    in.consented_at = (int64_t)time(NULL) - 60;
    pblen = council__v1__intake_bundle__get_packed_size(&in);
    pb = malloc(pblen);
    assert_non_null(pb);
    council__v1__intake_bundle__pack(&in, pb);
    assert_int_equal(council_node_send(x->nb, &b, COUNCIL_BUNDLE_TYPE_INTAKE, pb, pblen, &bo),
                     COUNCIL_OK);
    free(pb);
    assert_null(memfind(b.ptr, b.len, CANARY_TEXT, strlen(CANARY_TEXT)));
    assert_int_equal(council_bundle_import(f->c, &out, b.ptr, b.len), COUNCIL_OK);
    res = council__v1__bundle_import_result__unpack(NULL, out.len, out.ptr);
    assert_non_null(res);
    assert_int_equal(res->type, COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_INTAKE);
    assert_true(res->has_case_id && res->case_id.len == 16);
    assert_true(res->has_consent_id && res->consent_id.len == 16);
    assert_int_equal(count(f->c, "SELECT count(*) FROM case_record WHERE id = ?;", res->case_id.data),
                     1);
    council__v1__bundle_import_result__free_unpacked(res, NULL);
    council_buf_free(&out);
    council_buf_free(&b);
    council_buf_free(&cp);
}

/* A meeting packet travels to the attendee's node; closing the meeting
 * revokes it there. */
static void test_exchange__meeting_packet(void **state)
{
    xfx *x = *state;
    fx *f = &x->f;
    council *a;
    uint8_t cid[16], pid[16], mid[16];
    council_bundle_options bo = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf b = { NULL, 0 };
    Council__V1__NodeItemList *l;
    size_t packets = 0;

    a = staff_open(f, f->sa, &f->ka);
    new_case(a, cid, pid);
    put(a, cid, pid, "situation", sec_text("SITUATION-" CANARY_TEXT), COUNCIL_OK);
    meeting_on_situation(f, mid, f->mb, 3600, cid, "会議で協議するため");
    assert_int_equal(council_bundle_meeting_packet(f->c, &b, mid, 16, f->mb, 16, &bo), COUNCIL_OK);
    assert_int_equal(node_take(x->nc, &b, NULL), COUNCIL_ERECIPIENT);
    assert_int_equal(node_take(x->nb, &b, NULL), COUNCIL_OK);
    council_buf_free(&b);
    l = node_items(x->nb);
    for (size_t i = 0; i < l->n_items; i++)
        packets += strcmp(l->items[i]->kind, "meeting_packet") == 0;
    council__v1__node_item_list__free_unpacked(l, NULL);
    assert_int_equal(packets, 1);
    assert_true(node_reads(x->nb, "SITUATION-" CANARY_TEXT));

    assert_int_equal(council_meeting_close(f->c, mid, 16), COUNCIL_OK);
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &bo), COUNCIL_OK);
    assert_int_equal(node_take(x->nb, &b, NULL), COUNCIL_OK);
    council_buf_free(&b);
    l = node_items(x->nb);
    assert_int_equal(l->n_items, 0);
    council__v1__node_item_list__free_unpacked(l, NULL);
    council_close(a);
}

/* Copy the council's store directory (the insider's snapshot). */
static void store_copy(const char *from, const char *to)
{
    char cmd[4096];
    int n = snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -a '%s' '%s'", to, from, to);
    assert_true(n > 0 && (size_t)n < sizeof cmd);
    assert_int_equal(system(cmd), 0);
}

/*
 * Witnessing: both nodes cosign the council's checkpoint; the council
 * stores the cosignatures and an auditor requiring both counts them. Then
 * the insider rolls every file of the council's store back and writes a
 * different history: the node that witnessed the newer checkpoint refuses
 * the forked one (ETAMPER, logged) and keeps what it had.
 */
static void test_exchange__witnessing_and_rollback(void **state)
{
    xfx *x = *state;
    fx *f = &x->f;
    council_bundle_options bo = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf cp = { NULL, 0 }, co = { NULL, 0 }, out = { NULL, 0 };
    Council__V1__NodeInfo *ib, *ic;
    char *snap = th_path(f->root, "snapshot");
    char *exp = th_path(f->root, "council.export");
    uint64_t seen;

    /* Where the council stood before: the insider's snapshot. */
    council_close(f->c);
    store_copy(f->store, snap);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    staff(f->c, f->sa, f->ma); /* more history: a pledge again */

    /* The insider plants a "latest checkpoint" row: it is passed over. */
    assert_int_equal(sqlite3_exec(f->c->db,
                                  "INSERT INTO audit_checkpoint (size, time, note) VALUES "
                                  "((SELECT count(*) FROM audit_event), "
                                  "CAST(strftime('%s', 'now') AS INTEGER), 'forged');",
                                  NULL, NULL, NULL), SQLITE_OK);

    /* Both nodes witness the checkpoint now. */
    council_node *nodes[2] = { x->nb, x->nc };
    const uint8_t *mems[2] = { f->mb, f->mc };
    for (int i = 0; i < 2; i++) {
        assert_int_equal(council_bundle_checkpoint(f->c, &cp, mems[i], 16, 0, &bo), COUNCIL_OK);
        assert_int_equal(node_take(nodes[i], &cp, NULL), COUNCIL_OK);
        council_buf_free(&cp);
        assert_int_equal(council_node_cosign(nodes[i], &co, &bo), COUNCIL_OK);
        assert_int_equal(council_bundle_import(f->c, &out, co.ptr, co.len), COUNCIL_OK);
        council_buf_free(&out);
        council_buf_free(&co);
    }
    /* (An export carries stored checkpoints, and its verifier refuses a
     * malformed one: the planted row goes before the auditor's turn.) */
    assert_int_equal(sqlite3_exec(f->c->db, "DELETE FROM audit_checkpoint WHERE note = 'forged';",
                                  NULL, NULL, NULL), SQLITE_OK);
    ib = node_info(x->nb);
    ic = node_info(x->nc);
    seen = ib->checkpoint_size;
    assert_int_equal(ic->checkpoint_size, seen); /* one tree, both cosigned */
    assert_true(seen > 0);

    /* The auditor requires both nodes' cosignatures. */
    {
        const char *wk[2] = { ib->witness_vkey, ic->witness_vkey };
        council_audit_verify_options vo = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
        council_buf rep = { NULL, 0 }, info = { NULL, 0 };
        Council__V1__AuditVerifyReport *r;
        Council__V1__CouncilInfo *ci;

        (void)unlink(exp);
        assert_int_equal(council_audit_export(f->c, exp), COUNCIL_OK);
        assert_int_equal(council_info(f->c, &info), COUNCIL_OK);
        ci = council__v1__council_info__unpack(NULL, info.len, info.ptr);
        assert_non_null(ci);
        vo.log_vkey = ci->log_verifier_key;
        vo.witness_vkeys = wk;
        vo.n_witnesses = 2;
        vo.required = 2;
        assert_int_equal(council_audit_verify_export(&rep, exp, &vo), COUNCIL_OK);
        r = council__v1__audit_verify_report__unpack(NULL, rep.len, rep.ptr);
        assert_non_null(r);
        assert_true(r->cosignatures >= 2);
        council__v1__audit_verify_report__free_unpacked(r, NULL);
        council_buf_free(&rep);
        /* One node's cosignature is not two. */
        vo.n_witnesses = 1;
        vo.required = 1;
        assert_int_equal(council_audit_verify_export(&rep, exp, &vo), COUNCIL_OK);
        council_buf_free(&rep);
        council__v1__council_info__free_unpacked(ci, NULL);
        council_buf_free(&info);
    }

    /* The insider rolls the whole store back and writes another history. */
    council_close(f->c);
    store_copy(snap, f->store);
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    staff(f->c, f->sc, f->mc);
    staff(f->c, f->sb, f->mb);
    staff(f->c, f->sa, f->ma);
    assert_int_equal(council_bundle_checkpoint(f->c, &cp, f->mb, 16, seen, &bo) == COUNCIL_OK ||
                     council_bundle_checkpoint(f->c, &cp, f->mb, 16, 0, &bo) == COUNCIL_OK, 1);
    assert_int_equal(node_take(x->nb, &cp, NULL), COUNCIL_ETAMPER);
    council_buf_free(&cp);
    council__v1__node_info__free_unpacked(ib, NULL);
    ib = node_info(x->nb);
    assert_int_equal(ib->checkpoint_size, seen); /* the old one kept */

    council__v1__node_info__free_unpacked(ib, NULL);
    council__v1__node_info__free_unpacked(ic, NULL);
    (void)unlink(exp);
    free(exp);
    th_rmrf(snap);
    free(snap);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_exchange__two_nodes_each_its_own, xsetup, xteardown),
        cmocka_unit_test_setup_teardown(test_exchange__revocation_round_trip, xsetup, xteardown),
        cmocka_unit_test_setup_teardown(test_exchange__a_bundle_older_than_a_revocation, xsetup,
                                        xteardown),
        cmocka_unit_test_setup_teardown(test_exchange__erasure_reaches_the_node, xsetup, xteardown),
        cmocka_unit_test_setup_teardown(test_exchange__referral_answered_from_a_node, xsetup,
                                        xteardown),
        cmocka_unit_test_setup_teardown(test_exchange__intake_from_a_node, xsetup, xteardown),
        cmocka_unit_test_setup_teardown(test_exchange__share_revoked_drops_the_referral_copy,
                                        xsetup, xteardown),
        cmocka_unit_test_setup_teardown(test_exchange__meeting_packet, xsetup, xteardown),
        cmocka_unit_test_setup_teardown(test_exchange__witnessing_and_rollback, xsetup, xteardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
