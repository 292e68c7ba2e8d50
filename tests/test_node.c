/*
 * test_node.c - member nodes (node.c, node_import.c, node_send.c): init and
 * open from a member keyfile, the keyring's pins under a MAC, import of a
 * council bundle with every refusal (each with its own code, each logged),
 * content kept under the node's keys and read with the read logged first,
 * expiry, revocation, answers back sealed to the reply key, witnessing the
 * council's checkpoints (a rollback caught) and the node's own log export.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>
#include <sqlite3.h>

#include "helpers.h"
#include "council_int.h"
#include "council/v1/node.pb-c.h"
#include "envelope.h"
#include "keyfile.h"
#include "log.h"
#include "merkle.h"
#include "node.h"
#include "note.h"

#define MPASS "member passphrase for the node"

typedef struct fx {
    char *root, *store, *nodedir;
    council *c;               /* the council, root session */
    uint8_t m[16], m2[16];    /* two members with keyfiles */
    council_buf kf, kf2;
    uint8_t box[32], box2[32]; /* their box keys */
    uint8_t reply_pk[32];     /* the reply key the council's bundles name */
    council__secret reply_sk;
    council_node *n;
} fx;

static void add_member(fx *f, uint8_t id[16], council_buf *kf, uint8_t box[32], const char *name)
{
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;
    council__keyfile_info info;

    o.name = name;
    o.kind = COUNCIL_MEMBER_KIND_NPO;
    assert_int_equal(council_member_add(f->c, id, 16, &o), COUNCIL_OK);
    assert_int_equal(council_member_keygen(f->c, kf, id, 16, (const uint8_t *)MPASS, strlen(MPASS),
                                           TH_OPS, TH_MEM), COUNCIL_OK);
    assert_int_equal(council__keyfile_parse(NULL, &info, kf->ptr, kf->len), COUNCIL_OK);
    assert_true(info.has_log_pk);
    memcpy(box, info.box_pk, 32);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);

    assert_non_null(f);
    f->store = th_make_store(&f->root, "node test council");
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    add_member(f, f->m, &f->kf, f->box, "member one");
    add_member(f, f->m2, &f->kf2, f->box2, "member two");
    assert_int_equal(council__secret_alloc(&f->reply_sk, 32), COUNCIL_OK);
    crypto_box_keypair(f->reply_pk, f->reply_sk.p);
    council__secret_lock(&f->reply_sk);
    f->nodedir = th_path(f->root, "node");
    assert_int_equal(council_node_init(&f->n, f->nodedir, f->kf.ptr, f->kf.len,
                                       (const uint8_t *)MPASS, strlen(MPASS)), COUNCIL_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;

    council_node_close(f->n);
    council_close(f->c);
    council_buf_free(&f->kf);
    council_buf_free(&f->kf2);
    council__secret_free(&f->reply_sk);
    th_rmrf(f->root);
    free(f->root);
    free(f->store);
    free(f->nodedir);
    free(f);
    return 0;
}

/* ------------------------------------------------------------ the bundles */

typedef struct spec {
    const uint8_t *to, *box;  /* the recipient (default: member one) */
    int64_t created, expires; /* 0: now, now + 1 hour */
    const council__secret *sk; /* the signer (default: the council's log key) */
    const uint8_t *pk;
} spec;

static void build(fx *f, council_buf *out, const spec *s, Council__V1__BundlePayload *p, int type,
                  uint8_t hash[32])
{
    Council__V1__BundleHeader h = COUNCIL__V1__BUNDLE_HEADER__INIT;
    uint8_t nonce[16];
    int64_t now = (int64_t)time(NULL);

    h.council_id.data = f->c->council_id;
    h.council_id.len = 16;
    h.sender_kind = COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_COUNCIL;
    h.sender_id = h.council_id;
    h.sender_sign_key.data = (uint8_t *)(uintptr_t)(s != NULL && s->pk != NULL ? s->pk
                                                                                : f->c->log_pk);
    h.sender_sign_key.len = 32;
    h.recipient_kind = COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_MEMBER;
    h.recipient_id.data = (uint8_t *)(uintptr_t)(s != NULL && s->to != NULL ? s->to : f->m);
    h.recipient_id.len = 16;
    h.recipient_box_key.data = (uint8_t *)(uintptr_t)(s != NULL && s->box != NULL ? s->box
                                                                                   : f->box);
    h.recipient_box_key.len = 32;
    h.created = s != NULL && s->created != 0 ? s->created : now;
    h.expires = s != NULL && s->expires != 0 ? s->expires : now + 3600;
    h.type = (Council__V1__BundleType)type;
    h.has_reply_box_key = 1;
    h.reply_box_key.data = f->reply_pk;
    h.reply_box_key.len = 32;
    assert_int_equal(council__envelope_build(NULL, "t", out, &h, nonce, p,
                                             s != NULL && s->sk != NULL ? s->sk : &f->c->log_sk,
                                             hash), COUNCIL_OK);
}

static uint8_t case_id[16], person_id[16];

/* A case_sections bundle with the given scopes (content "text of <scope>"). */
static void sections_bundle(fx *f, council_buf *out, const spec *s, const char *const *scopes,
                            size_t k)
{
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__CaseSectionsBundle cs = COUNCIL__V1__CASE_SECTIONS_BUNDLE__INIT;
    Council__V1__BundleSection sec[4], *ptr[4];
    char text[4][64];

    assert_true(k <= 4);
    for (size_t i = 0; i < k; i++) {
        council__v1__bundle_section__init(&sec[i]);
        sec[i].scope = (char *)(uintptr_t)scopes[i];
        snprintf(text[i], sizeof text[i], "text of %s", scopes[i]);
        sec[i].content.data = (uint8_t *)text[i];
        sec[i].content.len = strlen(text[i]);
        ptr[i] = &sec[i];
    }
    cs.case_id.data = case_id;
    cs.case_id.len = 16;
    cs.person_id.data = person_id;
    cs.person_id.len = 16;
    cs.purpose = (char *)(uintptr_t)"support_coordination";
    cs.basis = (char *)(uintptr_t)"consent";
    cs.sections = ptr;
    cs.n_sections = k;
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CASE_SECTIONS;
    p.case_sections = &cs;
    build(f, out, s, &p, COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_CASE_SECTIONS, NULL);
}

static uint64_t log_size(fx *f)
{
    uint64_t n = 0;

    assert_int_equal(council__audit_size(f->n->c, &n), COUNCIL_OK);
    return n;
}

static size_t item_count(fx *f)
{
    council_buf b = { NULL, 0 };
    Council__V1__NodeItemList *l;
    size_t k;

    assert_int_equal(council_node_list(f->n, &b), COUNCIL_OK);
    l = council__v1__node_item_list__unpack(NULL, b.len, b.ptr);
    assert_non_null(l);
    k = l->n_items;
    council__v1__node_item_list__free_unpacked(l, NULL);
    council_buf_free(&b);
    return k;
}

/* Import and expect rc; a refusal must be on the node's record. */
static void import_expect(fx *f, const uint8_t *b, size_t len, int want)
{
    uint64_t before = log_size(f);
    int rc = council_node_import(f->n, NULL, b, len);

    if (rc != want)
        fail_msg("import: %d, want %d (%s)", rc, want, council_node_errmsg(f->n));
    if (want != COUNCIL_OK)
        assert_true(log_size(f) > before);
}

/* ------------------------------------------------------------------ tests */

static void test_node__init_open_info_and_the_keyring_pins(void **state)
{
    fx *f = *state;
    council_buf b = { NULL, 0 }, kf0 = { NULL, 0 };
    Council__V1__NodeInfo *info;
    council_node *n2 = NULL;
    char *kr_path = th_path(f->nodedir, "node.keyring");
    uint8_t *kr = NULL;
    size_t kr_len = 0;

    assert_int_equal(council_node_info(f->n, &b), COUNCIL_OK);
    info = council__v1__node_info__unpack(NULL, b.len, b.ptr);
    assert_non_null(info);
    assert_memory_equal(info->member_id.data, f->m, 16);
    assert_memory_equal(info->council_id.data, f->c->council_id, 16);
    assert_memory_equal(info->council_log_key.data, f->c->log_pk, 32);
    assert_memory_not_equal(info->node_id.data, f->c->council_id, 16);
    assert_false(info->reply_key_known);
    assert_int_equal(info->items, 0);
    assert_non_null(strstr(info->witness_name, "node-"));
    council__v1__node_info__free_unpacked(info, NULL);
    council_buf_free(&b);
    council_node_close(f->n);
    f->n = NULL;

    /* Reopen; a wrong passphrase; another member's keyfile. */
    assert_int_equal(council_node_open(&f->n, f->nodedir, f->kf.ptr, f->kf.len,
                                       (const uint8_t *)MPASS, strlen(MPASS)), COUNCIL_OK);
    assert_int_equal(council_node_open(&n2, f->nodedir, f->kf.ptr, f->kf.len,
                                       (const uint8_t *)"wrong", 5), COUNCIL_EAUTH);
    council_node_close(n2);
    assert_int_equal(council_node_open(&n2, f->nodedir, f->kf2.ptr, f->kf2.len,
                                       (const uint8_t *)MPASS, strlen(MPASS)), COUNCIL_EAUTH);
    council_node_close(n2);
    /* A second node in the same directory. */
    assert_int_equal(council_node_init(&n2, f->nodedir, f->kf.ptr, f->kf.len,
                                       (const uint8_t *)MPASS, strlen(MPASS)), COUNCIL_EEXIST);
    council_node_close(n2);

    /* A keyfile without the council's log key pinned is refused. */
    {
        council__member_keys k;
        council__keyfile_info ki;
        char *d = th_path(f->root, "node0");
        assert_int_equal(council__keyfile_open(NULL, &k, &ki, f->kf2.ptr, f->kf2.len,
                                               (const uint8_t *)MPASS, strlen(MPASS)), COUNCIL_OK);
        assert_int_equal(council__keyfile_write(NULL, &kf0, &k, ki.council_id,
                                                (const uint8_t *)MPASS, strlen(MPASS), TH_OPS,
                                                TH_MEM), COUNCIL_OK);
        council__member_keys_free(&k);
        assert_int_equal(council_node_init(&n2, d, kf0.ptr, kf0.len, (const uint8_t *)MPASS,
                                           strlen(MPASS)), COUNCIL_EINVAL);
        assert_non_null(strstr(council_node_errmsg(n2), "new keyfile"));
        council_node_close(n2);
        council_buf_free(&kf0);
        free(d);
    }

    /* The insider edits the pinned council log key in node.keyring: the
     * MAC catches it at open. */
    council_node_close(f->n);
    f->n = NULL;
    assert_int_equal(th_read_file(kr_path, &kr, &kr_len), 0);
    {
        Council__V1__NodeKeyring *k = council__v1__node_keyring__unpack(NULL, kr_len, kr);
        uint8_t *buf;
        size_t len;
        assert_non_null(k);
        k->council_log_key.data[0] ^= 1;
        len = council__v1__node_keyring__get_packed_size(k);
        buf = malloc(len);
        council__v1__node_keyring__pack(k, buf);
        assert_int_equal(th_write_file(kr_path, buf, len), 0);
        free(buf);
        council__v1__node_keyring__free_unpacked(k, NULL);
    }
    assert_int_equal(council_node_open(&n2, f->nodedir, f->kf.ptr, f->kf.len,
                                       (const uint8_t *)MPASS, strlen(MPASS)), COUNCIL_ETAMPER);
    council_node_close(n2);
    /* The root is sealed to the member's PUBLIC box key, so whoever can
     * write the directory could make a keyring whose MAC holds (a root of
     * its own, its own pins). Only the keyfile's holder signs one: without
     * the member's signature, or with another key's over the very same
     * bytes, the node does not open. */
    {
        static const char ctx[] = "libcouncil node keyring v1";
        Council__V1__NodeKeyring *k = council__v1__node_keyring__unpack(NULL, kr_len, kr);
        uint8_t pk[32], sk[64], sig[64], *buf;
        size_t len;
        assert_non_null(k);
        k->has_signature = 0;
        k->has_mac = 0;
        len = council__v1__node_keyring__get_packed_size(k);
        buf = malloc(sizeof ctx + len);
        assert_non_null(buf);
        memcpy(buf, ctx, sizeof ctx);
        council__v1__node_keyring__pack(k, buf + sizeof ctx);
        /* The member's own signature verifies over these bytes (so the
         * forged one below differs only in who signed). */
        assert_int_equal(crypto_sign_verify_detached(k->signature.data, buf, sizeof ctx + len,
                                                     k->member_sign_key.data), 0);
        crypto_sign_keypair(pk, sk);
        crypto_sign_detached(sig, NULL, buf, sizeof ctx + len, sk);
        free(buf);
        k->has_mac = 1;
        /* no signature at all */
        len = council__v1__node_keyring__get_packed_size(k);
        buf = malloc(len);
        council__v1__node_keyring__pack(k, buf);
        assert_int_equal(th_write_file(kr_path, buf, len), 0);
        free(buf);
        assert_int_equal(council_node_open(&n2, f->nodedir, f->kf.ptr, f->kf.len,
                                           (const uint8_t *)MPASS, strlen(MPASS)),
                         COUNCIL_EFORMAT);
        council_node_close(n2);
        /* another key's signature */
        k->has_signature = 1;
        memcpy(k->signature.data, sig, 64);
        len = council__v1__node_keyring__get_packed_size(k);
        buf = malloc(len);
        council__v1__node_keyring__pack(k, buf);
        assert_int_equal(th_write_file(kr_path, buf, len), 0);
        free(buf);
        assert_int_equal(council_node_open(&n2, f->nodedir, f->kf.ptr, f->kf.len,
                                           (const uint8_t *)MPASS, strlen(MPASS)),
                         COUNCIL_ETAMPER);
        assert_non_null(strstr(council_node_errmsg(n2), "not signed by this member"));
        council_node_close(n2);
        council__v1__node_keyring__free_unpacked(k, NULL);
    }
    assert_int_equal(th_write_file(kr_path, kr, kr_len), 0);
    assert_int_equal(council_node_open(&f->n, f->nodedir, f->kf.ptr, f->kf.len,
                                       (const uint8_t *)MPASS, strlen(MPASS)), COUNCIL_OK);
    free(kr);
    free(kr_path);
}

static void test_node__import_read_logged_and_the_reply_key_learnt(void **state)
{
    fx *f = *state;
    static const char *const scopes[] = { "basic", "health" };
    council_buf b = { NULL, 0 }, r = { NULL, 0 }, out = { NULL, 0 };
    Council__V1__BundleImportResult *res;
    Council__V1__NodeItemContent *ic;
    Council__V1__NodeInfo *info;
    uint64_t before;

    randombytes_buf(case_id, 16);
    randombytes_buf(person_id, 16);
    sections_bundle(f, &b, NULL, scopes, 2);
    assert_int_equal(council_node_import(f->n, &r, b.ptr, b.len), COUNCIL_OK);
    res = council__v1__bundle_import_result__unpack(NULL, r.len, r.ptr);
    assert_non_null(res);
    assert_int_equal(res->n_stored, 2);
    assert_string_equal(res->outcome, "stored");
    assert_memory_equal(res->case_id.data, case_id, 16);
    assert_int_equal(item_count(f), 2);

    /* The read: logged (node_content_read) before the content comes back. */
    before = log_size(f);
    assert_int_equal(council_node_read(f->n, &out, res->stored[1].data, 16), COUNCIL_OK);
    assert_int_equal(log_size(f), before + 1);
    ic = council__v1__node_item_content__unpack(NULL, out.len, out.ptr);
    assert_non_null(ic);
    assert_string_equal(ic->item->kind, "section");
    assert_int_equal(ic->item->n_scopes, 1);
    assert_string_equal(ic->item->scopes[0], "health");
    assert_int_equal(ic->content.len, strlen("text of health"));
    assert_memory_equal(ic->content.data, "text of health", ic->content.len);
    council__v1__node_item_content__free_unpacked(ic, NULL);
    council_buf_free(&out);

    /* An unknown item: ENOTFOUND, logged. */
    {
        uint8_t none[16] = { 0 };
        before = log_size(f);
        assert_int_equal(council_node_read(f->n, &out, none, 16), COUNCIL_ENOTFOUND);
        assert_int_equal(log_size(f), before + 1);
    }
    /* An item's row edited by an insider: ETAMPER, logged. */
    assert_int_equal(sqlite3_exec(f->n->c->db, "UPDATE node_item SET kind = 'consent' WHERE "
                                  "scopes = 'basic';", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(council_node_read(f->n, &out, res->stored[0].data, 16), COUNCIL_ETAMPER);
    /* ... or its expiry pushed out (to outlive the bundle's), or its scope
     * renamed (to escape a revocation by scope): the seal is bound to both. */
    assert_int_equal(sqlite3_exec(f->n->c->db, "UPDATE node_item SET expires = expires + 86400 "
                                  "WHERE scopes = 'health';", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(council_node_read(f->n, &out, res->stored[1].data, 16), COUNCIL_ETAMPER);
    assert_null(out.ptr);
    assert_int_equal(sqlite3_exec(f->n->c->db, "UPDATE node_item SET expires = expires - 86400, "
                                  "scopes = 'wishes' WHERE scopes = 'health';", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(council_node_read(f->n, &out, res->stored[1].data, 16), COUNCIL_ETAMPER);
    assert_null(out.ptr);
    assert_int_equal(sqlite3_exec(f->n->c->db, "UPDATE node_item SET scopes = 'health' WHERE "
                                  "scopes = 'wishes';", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(council_node_read(f->n, &out, res->stored[1].data, 16), COUNCIL_OK);
    council_buf_free(&out);
    /* ... or its case id and scopes stored as other types with the same
     * bytes (a revocation's selector compares typed values and would miss
     * the row): the row does not open either. */
    assert_int_equal(sqlite3_exec(f->n->c->db, "UPDATE node_item SET case_id = CAST(case_id AS "
                                  "TEXT), scopes = CAST(scopes AS BLOB) WHERE scopes = 'health';",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(council_node_read(f->n, &out, res->stored[1].data, 16), COUNCIL_ETAMPER);
    assert_null(out.ptr);

    assert_int_equal(council_node_info(f->n, &out), COUNCIL_OK);
    info = council__v1__node_info__unpack(NULL, out.len, out.ptr);
    assert_true(info->reply_key_known);
    assert_int_equal(info->items, 2);
    council__v1__node_info__free_unpacked(info, NULL);
    council_buf_free(&out);
    council__v1__bundle_import_result__free_unpacked(res, NULL);
    council_buf_free(&r);

    /* The same bundle again: a replay. */
    import_expect(f, b.ptr, b.len, COUNCIL_EREPLAY);
    council_buf_free(&b);
}

/* Re-frame a bundle: header of a, sealed payload of b, signed with sk. */
static void reframe(council_buf *out, const council_buf *a, const council_buf *b,
                    const council__secret *sk)
{
    static const char ctx[] = "libcouncil bundle v1";
    uint32_t ha = ((uint32_t)a->ptr[10] << 24) | ((uint32_t)a->ptr[11] << 16) |
                  ((uint32_t)a->ptr[12] << 8) | a->ptr[13];
    uint32_t hb = ((uint32_t)b->ptr[10] << 24) | ((uint32_t)b->ptr[11] << 16) |
                  ((uint32_t)b->ptr[12] << 8) | b->ptr[13];
    size_t sealed_b = b->len - 14 - hb - 64; /* the length field and the payload */
    size_t n = 14 + ha + sealed_b;
    uint8_t *buf = malloc(n + 64);
    crypto_sign_state st;

    assert_non_null(buf);
    memcpy(buf, a->ptr, 14 + ha);
    memcpy(buf + 14 + ha, b->ptr + 14 + hb, sealed_b);
    crypto_sign_init(&st);
    crypto_sign_update(&st, (const uint8_t *)ctx, sizeof ctx);
    crypto_sign_update(&st, buf, n);
    council__secret_read(sk);
    crypto_sign_final_create(&st, buf + n, NULL, sk->p);
    council__secret_lock(sk);
    out->ptr = buf;
    out->len = n + 64;
}

static void test_node__every_refusal_has_its_code_and_is_logged(void **state)
{
    fx *f = *state;
    static const char *const one[] = { "basic" };
    council_buf b = { NULL, 0 }, b2 = { NULL, 0 }, sw = { NULL, 0 };
    council__secret xsk;
    uint8_t xpk[32];
    int64_t now = (int64_t)time(NULL);
    uint64_t before;

    randombytes_buf(case_id, 16);
    randombytes_buf(person_id, 16);

    /* Wrong recipient: member two's bundle. */
    {
        spec s = { .to = f->m2, .box = f->box2 };
        sections_bundle(f, &b, &s, one, 1);
        import_expect(f, b.ptr, b.len, COUNCIL_ERECIPIENT);
        council_buf_free(&b);
        /* Member one's id but another box key. */
        s.to = f->m;
        sections_bundle(f, &b, &s, one, 1);
        import_expect(f, b.ptr, b.len, COUNCIL_ERECIPIENT);
        council_buf_free(&b);
    }
    /* Unknown sender: signed by a key that is not the council's log key. */
    assert_int_equal(council__secret_alloc(&xsk, 64), COUNCIL_OK);
    crypto_sign_keypair(xpk, xsk.p);
    council__secret_lock(&xsk);
    {
        spec s = { .sk = &xsk, .pk = xpk };
        sections_bundle(f, &b, &s, one, 1);
        import_expect(f, b.ptr, b.len, COUNCIL_ESENDER);
        council_buf_free(&b);
    }
    /* A bad signature: the last byte flipped. */
    sections_bundle(f, &b, NULL, one, 1);
    b.ptr[b.len - 1] ^= 1;
    import_expect(f, b.ptr, b.len, COUNCIL_ESIGNATURE);
    b.ptr[b.len - 1] ^= 1;
    /* Expired. */
    {
        spec s = { .created = now - 100, .expires = now - 10 };
        sections_bundle(f, &b2, &s, one, 1);
        import_expect(f, b2.ptr, b2.len, COUNCIL_EEXPIRED);
        council_buf_free(&b2);
    }
    /* Every truncation of a small bundle. */
    for (size_t k = 0; k < b.len; k++)
        import_expect(f, b.ptr, k, COUNCIL_EFORMAT);
    /* Oversized. */
    {
        uint8_t *big = calloc(1, (size_t)COUNCIL_BUNDLE_MAX + 1);
        assert_non_null(big);
        memcpy(big, b.ptr, b.len);
        import_expect(f, big, (size_t)COUNCIL_BUNDLE_MAX + 1, COUNCIL_ELIMIT);
        free(big);
    }
    /* Another format version. */
    b.ptr[9] ^= 0x02;
    import_expect(f, b.ptr, b.len, COUNCIL_EUNSUPPORTED);
    b.ptr[9] ^= 0x02;
    /* A payload swapped between two bundles: with the signatures as they
     * are, the signature fails; re-signed by an insider who holds the log
     * key, the payload's nonce is not the header's. */
    sections_bundle(f, &b2, NULL, one, 1);
    reframe(&sw, &b, &b2, &xsk);
    import_expect(f, sw.ptr, sw.len, COUNCIL_ESIGNATURE);
    free(sw.ptr);
    reframe(&sw, &b, &b2, &f->c->log_sk);
    import_expect(f, sw.ptr, sw.len, COUNCIL_ETAMPER);
    free(sw.ptr);
    /* Nothing of it was stored; the good bundle still imports, once. */
    assert_int_equal(item_count(f), 0);
    before = log_size(f);
    import_expect(f, b.ptr, b.len, COUNCIL_OK);
    assert_true(log_size(f) > before);
    import_expect(f, b.ptr, b.len, COUNCIL_EREPLAY);
    import_expect(f, b2.ptr, b2.len, COUNCIL_OK);
    assert_int_equal(item_count(f), 2);
    council_buf_free(&b);
    council_buf_free(&b2);
    council__secret_free(&xsk);
}

static void test_node__expired_items_are_refused_and_purged(void **state)
{
    fx *f = *state;
    static const char *const two[] = { "basic", "health" };
    council_buf b = { NULL, 0 }, r = { NULL, 0 }, out = { NULL, 0 };
    Council__V1__BundleImportResult *res;
    uint64_t count = 0;

    randombytes_buf(case_id, 16);
    randombytes_buf(person_id, 16);
    sections_bundle(f, &b, NULL, two, 2);
    assert_int_equal(council_node_import(f->n, &r, b.ptr, b.len), COUNCIL_OK);
    res = council__v1__bundle_import_result__unpack(NULL, r.len, r.ptr);
    assert_non_null(res);
    /* Time passes for one of them (the expiry moved back). */
    assert_int_equal(sqlite3_exec(f->n->c->db, "UPDATE node_item SET expires = 1 WHERE scopes = "
                                  "'health';", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(council_node_read(f->n, &out, res->stored[1].data, 16), COUNCIL_EEXPIRED);
    assert_int_equal(item_count(f), 1);
    assert_int_equal(council_node_read(f->n, &out, res->stored[1].data, 16), COUNCIL_ENOTFOUND);
    assert_int_equal(council_node_purge(f->n, &count), COUNCIL_OK);
    assert_int_equal(count, 0);
    assert_int_equal(sqlite3_exec(f->n->c->db, "UPDATE node_item SET expires = 1;", NULL, NULL,
                                  NULL), SQLITE_OK);
    assert_int_equal(council_node_purge(f->n, &count), COUNCIL_OK);
    assert_int_equal(count, 1);
    assert_int_equal(item_count(f), 0);
    council__v1__bundle_import_result__free_unpacked(res, NULL);
    council_buf_free(&r);
    council_buf_free(&b);
}

static void referral_bundle(fx *f, council_buf *out, const uint8_t rid[16])
{
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__ReferralBundle r = COUNCIL__V1__REFERRAL_BUNDLE__INIT;
    static char *scopes[] = { (char *)"basic" };

    r.referral_id.data = (uint8_t *)(uintptr_t)rid;
    r.referral_id.len = 16;
    r.case_id.data = case_id;
    r.case_id.len = 16;
    r.person_id.data = person_id;
    r.person_id.len = 16;
    r.from_member.data = f->m2;
    r.from_member.len = 16;
    r.to_member.data = f->m;
    r.to_member.len = 16;
    r.scopes = scopes;
    r.n_scopes = 1;
    r.purpose = (char *)(uintptr_t)"support_coordination";
    r.basis = (char *)(uintptr_t)"consent";
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REFERRAL;
    p.referral = &r;
    build(f, out, NULL, &p, COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_REFERRAL, NULL);
}

static size_t revoke(fx *f, Council__V1__RevocationItem *it)
{
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__RevocationBundle rb = COUNCIL__V1__REVOCATION_BUNDLE__INIT;
    Council__V1__BundleImportResult *res;
    council_buf b = { NULL, 0 }, r = { NULL, 0 };
    size_t k;

    rb.items = &it;
    rb.n_items = 1;
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REVOCATION;
    p.revocation = &rb;
    build(f, &b, NULL, &p, COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_REVOCATION, NULL);
    assert_int_equal(council_node_import(f->n, &r, b.ptr, b.len), COUNCIL_OK);
    res = council__v1__bundle_import_result__unpack(NULL, r.len, r.ptr);
    assert_non_null(res);
    assert_string_equal(res->outcome, "revoked");
    k = res->n_deleted;
    council__v1__bundle_import_result__free_unpacked(res, NULL);
    council_buf_free(&r);
    council_buf_free(&b);
    return k;
}

static void test_node__revocation_deletes_what_it_names(void **state)
{
    fx *f = *state;
    static const char *const three[] = { "basic", "health", "living" };
    static char *health[] = { (char *)"health" };
    council_buf b = { NULL, 0 };
    Council__V1__RevocationItem it = COUNCIL__V1__REVOCATION_ITEM__INIT;
    uint8_t rid[16];

    randombytes_buf(case_id, 16);
    randombytes_buf(person_id, 16);
    randombytes_buf(rid, 16);
    sections_bundle(f, &b, NULL, three, 3);
    import_expect(f, b.ptr, b.len, COUNCIL_OK);
    council_buf_free(&b);
    referral_bundle(f, &b, rid);
    import_expect(f, b.ptr, b.len, COUNCIL_OK);
    council_buf_free(&b);
    assert_int_equal(item_count(f), 4);

    it.kind = COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_SHARE;
    it.has_case_id = 1;
    it.case_id.data = case_id;
    it.case_id.len = 16;
    it.scopes = health;
    it.n_scopes = 1;
    assert_int_equal(revoke(f, &it), 1);
    assert_int_equal(item_count(f), 3);

    council__v1__revocation_item__init(&it);
    it.kind = COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_REFERRAL;
    it.has_object_id = 1;
    it.object_id.data = rid;
    it.object_id.len = 16;
    assert_int_equal(revoke(f, &it), 1);
    assert_int_equal(item_count(f), 2);

    council__v1__revocation_item__init(&it);
    it.kind = COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_CASE;
    it.has_case_id = 1;
    it.case_id.data = case_id;
    it.case_id.len = 16;
    assert_int_equal(revoke(f, &it), 2);
    assert_int_equal(item_count(f), 0);
}

static void packet_bundle(fx *f, council_buf *out, const uint8_t mid[16], const uint8_t *attendee)
{
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__MeetingPacket mp = COUNCIL__V1__MEETING_PACKET__INIT;
    Council__V1__Meeting m = COUNCIL__V1__MEETING__INIT;

    m.id.data = (uint8_t *)(uintptr_t)mid;
    m.id.len = 16;
    m.id_text = (char *)(uintptr_t)"meeting";
    m.body = COUNCIL__V1__MEETING_BODY__MEETING_BODY_SUPPORT_MEETING;
    m.starts = (int64_t)time(NULL);
    m.ends = m.starts + 3600;
    mp.meeting = &m;
    mp.attendee.data = (uint8_t *)(uintptr_t)attendee;
    mp.attendee.len = 16;
    mp.built = m.starts;
    mp.minutes = (char *)(uintptr_t)"minutes of the meeting";
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_MEETING_PACKET;
    p.meeting_packet = &mp;
    build(f, out, NULL, &p, COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_MEETING_PACKET, NULL);
}

static void test_node__a_meeting_packet_kept_read_and_revoked(void **state)
{
    fx *f = *state;
    council_buf b = { NULL, 0 }, r = { NULL, 0 }, out = { NULL, 0 };
    Council__V1__BundleImportResult *res;
    Council__V1__NodeItemContent *ic;
    Council__V1__MeetingPacket *mp;
    Council__V1__RevocationItem it = COUNCIL__V1__REVOCATION_ITEM__INIT;
    uint8_t mid[16];

    randombytes_buf(mid, 16);
    /* Another attendee's packet, sent to this member: refused, logged. */
    packet_bundle(f, &b, mid, f->m2);
    import_expect(f, b.ptr, b.len, COUNCIL_EFORMAT);
    council_buf_free(&b);
    packet_bundle(f, &b, mid, f->m);
    assert_int_equal(council_node_import(f->n, &r, b.ptr, b.len), COUNCIL_OK);
    council_buf_free(&b);
    res = council__v1__bundle_import_result__unpack(NULL, r.len, r.ptr);
    assert_non_null(res);
    assert_int_equal(res->n_stored, 1);
    assert_memory_equal(res->object_id.data, mid, 16);
    assert_int_equal(council_node_read(f->n, &out, res->stored[0].data, 16), COUNCIL_OK);
    ic = council__v1__node_item_content__unpack(NULL, out.len, out.ptr);
    assert_non_null(ic);
    assert_string_equal(ic->item->kind, "meeting_packet");
    mp = council__v1__meeting_packet__unpack(NULL, ic->content.len, ic->content.data);
    assert_non_null(mp);
    assert_string_equal(mp->minutes, "minutes of the meeting");
    council__v1__meeting_packet__free_unpacked(mp, NULL);
    council__v1__node_item_content__free_unpacked(ic, NULL);
    council_buf_free(&out);
    council__v1__bundle_import_result__free_unpacked(res, NULL);
    council_buf_free(&r);
    /* The meeting closed: its packet goes. */
    it.kind = COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_MEETING;
    it.has_object_id = 1;
    it.object_id.data = mid;
    it.object_id.len = 16;
    assert_int_equal(revoke(f, &it), 1);
    assert_int_equal(item_count(f), 0);
}

/* Open a member -> council bundle as the council would. */
static Council__V1__BundlePayload *open_answer(fx *f, const council_buf *b)
{
    council__envelope e;
    Council__V1__BundlePayload *p = NULL;
    council__keyfile_info info;

    assert_int_equal(council__keyfile_parse(NULL, &info, f->kf.ptr, f->kf.len), COUNCIL_OK);
    assert_int_equal(council__envelope_parse(NULL, "t", &e, b->ptr, b->len), COUNCIL_OK);
    assert_int_equal(e.h->sender_kind, COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_MEMBER);
    assert_memory_equal(e.h->sender_id.data, f->m, 16);
    assert_int_equal(council__envelope_verify(NULL, "t", &e, info.sign_pk), COUNCIL_OK);
    assert_int_equal(council__envelope_open(NULL, "t", &e, f->reply_pk, &f->reply_sk, &p),
                     COUNCIL_OK);
    council__envelope_free(&e);
    return p;
}

static void test_node__answers_go_back_sealed_to_the_reply_key(void **state)
{
    fx *f = *state;
    static const char *const one[] = { "basic" };
    council_buf b = { NULL, 0 }, a = { NULL, 0 };
    Council__V1__BundlePayload *p;
    uint8_t rid[16], qid[16];
    uint64_t before;

    randombytes_buf(rid, 16);
    randombytes_buf(qid, 16);
    randombytes_buf(case_id, 16);
    randombytes_buf(person_id, 16);
    /* No council bundle yet: no reply key. */
    assert_int_equal(council_node_answer_referral(f->n, &a, rid, 16, "accepted", NULL, NULL, NULL),
                     COUNCIL_ENOTFOUND);
    referral_bundle(f, &b, rid);
    import_expect(f, b.ptr, b.len, COUNCIL_OK);
    council_buf_free(&b);

    before = log_size(f);
    assert_int_equal(council_node_answer_referral(f->n, &a, rid, 16, "accepted", NULL,
                                                  "we will visit next week", NULL), COUNCIL_OK);
    assert_int_equal(log_size(f), before + 1); /* bundle_exported */
    p = open_answer(f, &a);
    assert_int_equal(p->answer->kind, COUNCIL__V1__ANSWER_BUNDLE__KIND__ANSWER_REFERRAL);
    assert_string_equal(p->answer->step, "accepted");
    assert_memory_equal(p->answer->referral_id.data, rid, 16);
    council__envelope_payload_free(p);
    council_buf_free(&a);
    assert_int_equal(council_node_answer_referral(f->n, &a, rid, 16, "maybe", NULL, NULL, NULL),
                     COUNCIL_EINVAL);
    assert_int_equal(council_node_answer_referral(f->n, &a, rid, 16, "declined", NULL, NULL, NULL),
                     COUNCIL_EINVAL);

    assert_int_equal(council_node_answer_request(f->n, &a, qid, 16, NULL, "no_capacity", NULL),
                     COUNCIL_OK);
    p = open_answer(f, &a);
    assert_int_equal(p->answer->kind, COUNCIL__V1__ANSWER_BUNDLE__KIND__ANSWER_REQUEST_DECLINE);
    assert_string_equal(p->answer->reason, "no_capacity");
    council__envelope_payload_free(p);
    council_buf_free(&a);
    assert_int_equal(council_node_answer_request(f->n, &a, qid, 16, "x", "no_capacity", NULL),
                     COUNCIL_EINVAL);

    {
        const uint8_t *contents[1] = { (const uint8_t *)"updated basic" };
        size_t lens[1] = { 13 };
        council_bundle_options o = COUNCIL_BUNDLE_OPTIONS_INIT;
        o.purpose = "support_coordination";
        assert_int_equal(council_node_return_sections(f->n, &a, case_id, 16, person_id, 16, one,
                                                      contents, lens, 1, &o), COUNCIL_OK);
        p = open_answer(f, &a);
        assert_int_equal(p->answer->kind, COUNCIL__V1__ANSWER_BUNDLE__KIND__ANSWER_SECTIONS);
        assert_int_equal(p->answer->n_sections, 1);
        assert_memory_equal(p->answer->sections[0]->content.data, "updated basic", 13);
        council__envelope_payload_free(p);
        council_buf_free(&a);
        o.expires = (int64_t)time(NULL) + 400 * 86400;
        assert_int_equal(council_node_return_sections(f->n, &a, case_id, 16, person_id, 16, one,
                                                      contents, lens, 1, &o), COUNCIL_EINVAL);
    }
    {
        Council__V1__IntakeBundle in = COUNCIL__V1__INTAKE_BUNDLE__INIT;
        uint8_t buf[256];
        size_t len;
        in.referrer_org = (char *)(uintptr_t)"hotline";
        in.contact_channel = (char *)(uintptr_t)"phone";
        in.situation = (char *)(uintptr_t)"lives alone";
        len = council__v1__intake_bundle__pack(&in, buf);
        assert_int_equal(council_node_send(f->n, &a, COUNCIL_BUNDLE_TYPE_INTAKE, buf, len, NULL),
                         COUNCIL_OK);
        p = open_answer(f, &a);
        assert_string_equal(p->intake->situation, "lives alone");
        council__envelope_payload_free(p);
        council_buf_free(&a);
        assert_int_equal(council_node_send(f->n, &a, COUNCIL_BUNDLE_TYPE_INTAKE,
                                           (const uint8_t *)"\xff\xff", 2, NULL), COUNCIL_EFORMAT);
        assert_int_equal(council_node_send(f->n, &a, 3, buf, len, NULL), COUNCIL_EINVAL);
    }
}

/* A checkpoint bundle: note, and a consistency proof from `from`. */
static void checkpoint_bundle(fx *f, council_buf *out, const char *note, uint64_t from,
                              uint64_t to, bool spoil)
{
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__CheckpointBundle cb = COUNCIL__V1__CHECKPOINT_BUNDLE__INIT;
    ProtobufCBinaryData hs[64];
    uint8_t proof[64 * 32];
    size_t k = 0;

    cb.checkpoint = (char *)(uintptr_t)note;
    if (from > 0 && from < to) {
        council__nodes ns;
        council__audit_nodes(f->c, &ns);
        assert_int_equal(council__merkle_prove_consistency(&ns, from, to, proof, 64, &k),
                         COUNCIL_OK);
        if (spoil)
            proof[0] ^= 1;
        for (size_t i = 0; i < k; i++) {
            hs[i].data = proof + 32 * i;
            hs[i].len = 32;
        }
        cb.has_from_size = 1;
        cb.from_size = from;
        cb.consistency = hs;
        cb.n_consistency = k;
    }
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CHECKPOINT;
    p.checkpoint = &cb;
    build(f, out, NULL, &p, COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_CHECKPOINT, NULL);
}

static uint64_t seen_size(fx *f)
{
    council_buf b = { NULL, 0 };
    Council__V1__NodeInfo *info;
    uint64_t s;

    assert_int_equal(council_node_info(f->n, &b), COUNCIL_OK);
    info = council__v1__node_info__unpack(NULL, b.len, b.ptr);
    s = info->checkpoint_size;
    council__v1__node_info__free_unpacked(info, NULL);
    council_buf_free(&b);
    return s;
}

static void test_node__witnessing_checks_consistency_and_catches_a_rollback(void **state)
{
    fx *f = *state;
    council_buf n1 = { NULL, 0 }, n2 = { NULL, 0 }, b = { NULL, 0 }, a = { NULL, 0 };
    council__checkpoint c1, c2;
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;
    uint8_t id[16];
    Council__V1__BundlePayload *p;

    /* No checkpoint yet: nothing to cosign. */
    assert_int_equal(council_node_cosign(f->n, &a, NULL), COUNCIL_ENOTFOUND);
    assert_int_equal(council_audit_checkpoint(f->c, &n1), COUNCIL_OK);
    assert_int_equal(council__checkpoint_parse(&c1, (const char *)n1.ptr, n1.len), COUNCIL_OK);
    {
        char *s1 = strndup((const char *)n1.ptr, n1.len);
        checkpoint_bundle(f, &b, s1, 0, 0, false);
        import_expect(f, b.ptr, b.len, COUNCIL_OK);
        council_buf_free(&b);
        assert_int_equal(seen_size(f), c1.size);

        /* The council's log grows; a new checkpoint with its proof. */
        o.name = "member three";
        o.kind = COUNCIL_MEMBER_KIND_NPO;
        assert_int_equal(council_member_add(f->c, id, 16, &o), COUNCIL_OK);
        assert_int_equal(council_audit_checkpoint(f->c, &n2), COUNCIL_OK);
        assert_int_equal(council__checkpoint_parse(&c2, (const char *)n2.ptr, n2.len), COUNCIL_OK);
        {
            char *s2 = strndup((const char *)n2.ptr, n2.len);
            /* A bad proof: refused, the old checkpoint kept. */
            checkpoint_bundle(f, &b, s2, c1.size, c2.size, true);
            import_expect(f, b.ptr, b.len, COUNCIL_ETAMPER);
            council_buf_free(&b);
            assert_int_equal(seen_size(f), c1.size);
            checkpoint_bundle(f, &b, s2, c1.size, c2.size, false);
            import_expect(f, b.ptr, b.len, COUNCIL_OK);
            council_buf_free(&b);
            assert_int_equal(seen_size(f), c2.size);
            free(s2);
        }
        /* The old checkpoint again, in a new bundle: a rollback. */
        checkpoint_bundle(f, &b, s1, 0, 0, false);
        import_expect(f, b.ptr, b.len, COUNCIL_ETAMPER);
        assert_non_null(strstr(council_node_errmsg(f->n), "rollback"));
        council_buf_free(&b);
        assert_int_equal(seen_size(f), c2.size);
        free(s1);
    }

    /* The cosignature goes back; it verifies with the node's witness key,
     * and the council stores it. */
    assert_int_equal(council_node_cosign(f->n, &a, NULL), COUNCIL_OK);
    p = open_answer(f, &a);
    {
        council_buf ib = { NULL, 0 };
        Council__V1__NodeInfo *info;
        council__vkey log, wit;
        char origin[COUNCIL__ORIGIN_MAX];
        size_t cosigs = 0;
        assert_int_equal(council_node_info(f->n, &ib), COUNCIL_OK);
        info = council__v1__node_info__unpack(NULL, ib.len, ib.ptr);
        assert_int_equal(council__vkey_parse(&wit, info->witness_vkey, strlen(info->witness_vkey)),
                         COUNCIL_OK);
        assert_memory_equal(wit.pk, p->cosignature->witness_key.data, 32);
        memset(&log, 0, sizeof log);
        council__log_origin(origin, f->c->council_id);
        memcpy(log.name, origin, strlen(origin) + 1);
        log.type = COUNCIL__SIG_ED25519;
        memcpy(log.pk, f->c->log_pk, 32);
        council__keyid(log.keyid, log.name, log.type, log.pk);
        assert_int_equal(council__note_verify(p->cosignature->cosigned,
                                              strlen(p->cosignature->cosigned), &log, &wit, 1,
                                              &cosigs), COUNCIL_OK);
        assert_int_equal(cosigs, 1);
        assert_int_equal(council_audit_add_cosignatures(f->c, p->cosignature->cosigned,
                                                        strlen(p->cosignature->cosigned)),
                         COUNCIL_OK);
        council__v1__node_info__free_unpacked(info, NULL);
        council_buf_free(&ib);
    }
    council__envelope_payload_free(p);
    council_buf_free(&a);
    council_buf_free(&n1);
    council_buf_free(&n2);
}

static void test_node__its_own_log_exports_and_verifies(void **state)
{
    fx *f = *state;
    static const char *const one[] = { "basic" };
    council_audit_verify_options o = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    council_buf b = { NULL, 0 }, ib = { NULL, 0 }, rep = { NULL, 0 };
    Council__V1__NodeInfo *info;
    char *path = th_path(f->root, "node-log.export"), *path2 = th_path(f->root, "node-log2");

    randombytes_buf(case_id, 16);
    randombytes_buf(person_id, 16);
    sections_bundle(f, &b, NULL, one, 1);
    import_expect(f, b.ptr, b.len, COUNCIL_OK);
    council_buf_free(&b);
    assert_int_equal(council_node_audit_export(f->n, path), COUNCIL_OK);
    assert_int_equal(council_node_audit_export(f->n, path), COUNCIL_EEXIST);
    assert_int_equal(council_node_info(f->n, &ib), COUNCIL_OK);
    info = council__v1__node_info__unpack(NULL, ib.len, ib.ptr);
    o.log_vkey = info->node_log_vkey;
    assert_int_equal(council_audit_verify_export(&rep, path, &o), COUNCIL_OK);
    council_buf_free(&rep);
    /* The council's log key does not verify the node's log. */
    {
        council_audit_verify_options o2 = o;
        o2.log_vkey = info->council_log_vkey;
        assert_int_not_equal(council_audit_verify_export(&rep, path, &o2), COUNCIL_OK);
        council_buf_free(&rep);
    }
    /* An event of the node's log edited by an insider: the export does not
     * verify. */
    assert_int_equal(sqlite3_exec(f->n->c->db, "UPDATE audit_event SET body = "
                                  "substr(body, 1, length(body) - 1) || x'00' WHERE seq = 1;",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(council_node_audit_export(f->n, path2), COUNCIL_OK);
    assert_int_not_equal(council_audit_verify_export(&rep, path2, &o), COUNCIL_OK);
    council_buf_free(&rep);
    council__v1__node_info__free_unpacked(info, NULL);
    council_buf_free(&ib);
    free(path);
    free(path2);
}

/* An import that fails on memory leaves nothing: no refusal on the node's
 * record (ENOMEM says nothing of the bundle), no item, and no import that
 * committed and then reported a failure (its result is built before the
 * commit; sweep: node_import, alloc faults 1 and 24). */
static void test_node__an_import_failing_on_memory_leaves_nothing(void **state)
{
    fx *f = *state;
    static const char *const scopes[] = { "basic" };
    council_buf b = { NULL, 0 }, r = { NULL, 0 };
    long k;
    int rc = COUNCIL_ENOMEM;

    randombytes_buf(case_id, 16);
    randombytes_buf(person_id, 16);
    sections_bundle(f, &b, NULL, scopes, 1);
    for (k = 0; k < 5000 && rc != COUNCIL_OK; k++) {
        uint64_t before = log_size(f);
        size_t items = item_count(f);
        council__fault_alloc_after(k);
        rc = council_node_import(f->n, &r, b.ptr, b.len);
        council__fault_alloc_after(-1);
        if (rc == COUNCIL_OK)
            break;
        assert_int_equal(rc, COUNCIL_ENOMEM);
        assert_null(r.ptr);
        assert_int_equal(log_size(f), before);
        assert_int_equal(item_count(f), items);
    }
    assert_int_equal(rc, COUNCIL_OK);
    assert_true(k > 1);
    assert_int_equal(item_count(f), 1);
    council_buf_free(&r);
    council_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_node__init_open_info_and_the_keyring_pins, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_node__import_read_logged_and_the_reply_key_learnt,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_node__every_refusal_has_its_code_and_is_logged, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_node__expired_items_are_refused_and_purged, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_node__revocation_deletes_what_it_names, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_node__a_meeting_packet_kept_read_and_revoked, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_node__answers_go_back_sealed_to_the_reply_key, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_node__witnessing_checks_consistency_and_catches_a_rollback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_node__an_import_failing_on_memory_leaves_nothing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_node__its_own_log_exports_and_verifies, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
