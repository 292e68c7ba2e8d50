/* test_council.c - the handle: create, open, close, info, passphrase, misuse. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"
#include "council_int.h"
#include "store.h"
#include "council/v1/info.pb-c.h"

static Council__V1__CouncilInfo *get_info(council *c)
{
    council_buf buf = { NULL, 0 };
    Council__V1__CouncilInfo *m;

    assert_int_equal(council_info(c, &buf), COUNCIL_OK);
    m = council__v1__council_info__unpack(NULL, buf.len, buf.ptr);
    assert_non_null(m);
    council_buf_free(&buf);
    assert_null(buf.ptr);
    return m;
}

static void test_council__create_open_round_trip(void **state)
{
    council_create_options co = th_create_opts("北市 孤独・孤立対策地域協議会", TH_PASS);
    Council__V1__CouncilInfo *a, *b;
    council *c = NULL;
    char *root = th_tmpdir(), *store = th_path(root, "store");
    struct stat sb;
    (void)state;

    assert_int_equal(council_create(&c, store, &co), COUNCIL_OK);
    assert_string_equal(council_errmsg(c), "not an error");
    a = get_info(c);
    council_close(c);

    assert_int_equal(stat(store, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    assert_int_equal(th_open(&c, store, TH_PASS), COUNCIL_OK);
    b = get_info(c);
    council_close(c);

    assert_int_equal(a->council_id.len, COUNCIL_ID_BYTES);
    assert_memory_equal(a->council_id.data, b->council_id.data, COUNCIL_ID_BYTES);
    assert_string_equal(a->council_id_text, b->council_id_text);
    assert_int_equal(a->council_id_text[14], '4'); /* a v4 UUID */
    assert_string_equal(b->name, "北市 孤独・孤立対策地域協議会");
    assert_int_equal(a->created, b->created);
    assert_int_equal(b->schema_version, council__schema_version());
    assert_string_equal(b->library_version, COUNCIL_VERSION_STRING);
    assert_memory_equal(b->cipher_version, "4.", 2);
    assert_int_equal(b->root_source, COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_PASSPHRASE);
    assert_int_equal(b->log_public_key.len, 32);
    assert_memory_equal(a->log_public_key.data, b->log_public_key.data, 32);
    assert_true(strncmp(b->log_verifier_key, b->log_origin, strlen(b->log_origin)) == 0);
    council__v1__council_info__free_unpacked(a, NULL);
    council__v1__council_info__free_unpacked(b, NULL);
    th_rmrf(root);
    free(store);
    free(root);
}

static void test_council__two_councils_differ(void **state)
{
    char *r1, *r2, *s1 = th_make_store(&r1, "A"), *s2 = th_make_store(&r2, "B");
    Council__V1__CouncilInfo *a, *b;
    council *c;
    (void)state;

    assert_int_equal(th_open(&c, s1, TH_PASS), COUNCIL_OK);
    a = get_info(c);
    council_close(c);
    assert_int_equal(th_open(&c, s2, TH_PASS), COUNCIL_OK);
    b = get_info(c);
    council_close(c);
    assert_memory_not_equal(a->council_id.data, b->council_id.data, COUNCIL_ID_BYTES);
    assert_memory_not_equal(a->log_public_key.data, b->log_public_key.data, 32);
    council__v1__council_info__free_unpacked(a, NULL);
    council__v1__council_info__free_unpacked(b, NULL);
    th_rmrf(r1); th_rmrf(r2);
    free(s1); free(s2); free(r1); free(r2);
}

static void test_council__wrong_passphrase(void **state)
{
    char *root, *store = th_make_store(&root, "A");
    council *c = NULL;
    (void)state;

    assert_int_equal(th_open(&c, store, "Tr0ub4dor&3-not-it"), COUNCIL_EAUTH);
    assert_non_null(c); /* the handle explains the failure */
    assert_non_null(strstr(council_errmsg(c), "wrong passphrase"));
    assert_null(strstr(council_errmsg(c), "Tr0ub4dor"));
    /* A failed handle is not usable. */
    {
        council_buf buf = { NULL, 0 };
        assert_int_equal(council_info(c, &buf), COUNCIL_EMISUSE);
        assert_null(buf.ptr);
    }
    council_close(c);
    /* Prefixes and extensions of the right passphrase fail too. */
    assert_int_equal(th_open(&c, store, "correct horse battery stapl"), COUNCIL_EAUTH);
    council_close(c);
    assert_int_equal(th_open(&c, store, TH_PASS " "), COUNCIL_EAUTH);
    council_close(c);
    th_rmrf(root);
    free(store);
    free(root);
}

static void test_council__external_root_key(void **state)
{
    council_create_options co = COUNCIL_CREATE_OPTIONS_INIT;
    council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
    uint8_t key[COUNCIL_ROOT_KEY_BYTES], wrong[COUNCIL_ROOT_KEY_BYTES];
    char *root = th_tmpdir(), *store = th_path(root, "store");
    Council__V1__CouncilInfo *m;
    council *c = NULL;
    (void)state;

    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(i * 7 + 1);
    memcpy(wrong, key, sizeof key);
    wrong[31] ^= 1;
    co.name = "KMS council";
    co.root_key = key;
    co.root_key_len = sizeof key;
    co.kdf_opslimit = 999; /* no passphrase: the cost is not used or checked */
    assert_int_equal(council_create(&c, store, &co), COUNCIL_OK);
    council_close(c);

    oo.root_key = key;
    oo.root_key_len = sizeof key;
    assert_int_equal(council_open(&c, store, &oo), COUNCIL_OK);
    m = get_info(c);
    assert_int_equal(m->root_source, COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_EXTERNAL);
    council__v1__council_info__free_unpacked(m, NULL);
    /* No passphrase to change. */
    assert_int_equal(council_passphrase_change(c, (const uint8_t *)"a", 1,
                                               (const uint8_t *)"b", 1, TH_OPS, TH_MEM),
                     COUNCIL_EINVAL);
    council_close(c);

    oo.root_key = wrong;
    assert_int_equal(council_open(&c, store, &oo), COUNCIL_EAUTH);
    assert_non_null(strstr(council_errmsg(c), "wrong root key"));
    council_close(c);

    /* The kind of credential must match the council. */
    assert_int_equal(th_open(&c, store, TH_PASS), COUNCIL_EINVAL);
    council_close(c);
    th_rmrf(root);
    free(store);
    free(root);
}

static void test_council__passphrase_on_kms_and_key_on_passphrase(void **state)
{
    council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
    uint8_t key[COUNCIL_ROOT_KEY_BYTES] = { 0 };
    char *root, *store = th_make_store(&root, "A");
    council *c;
    (void)state;

    oo.root_key = key;
    oo.root_key_len = sizeof key;
    assert_int_equal(council_open(&c, store, &oo), COUNCIL_EINVAL);
    council_close(c);
    th_rmrf(root);
    free(store);
    free(root);
}

static void test_council__create_refuses_bad_options(void **state)
{
    char *root = th_tmpdir(), *store = th_path(root, "store");
    char long_name[COUNCIL_NAME_MAX + 2];
    uint8_t long_pass[COUNCIL_PASSPHRASE_MAX + 1];
    uint8_t key[COUNCIL_ROOT_KEY_BYTES] = { 0 };
    council_create_options o;
    council *c;
    (void)state;

    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    memset(long_pass, 'p', sizeof long_pass);

    assert_int_equal(council_create(NULL, store, NULL), COUNCIL_EMISUSE);

#define REFUSE(expr_setup, want)                                        \
    do {                                                                \
        o = th_create_opts("ok", TH_PASS);                              \
        expr_setup;                                                     \
        c = NULL;                                                       \
        assert_int_equal(council_create(&c, store, &o), (want));        \
        assert_non_null(c);                                             \
        assert_false(th_exists(store)); /* nothing left behind */       \
        council_close(c);                                               \
    } while (0)

    REFUSE(o.version = 99, COUNCIL_EMISUSE);
    REFUSE(o.name = NULL, COUNCIL_EINVAL);
    REFUSE(o.name = "", COUNCIL_EINVAL);
    REFUSE(o.name = long_name, COUNCIL_EINVAL);
    REFUSE(o.name = "bad\xff utf-8", COUNCIL_EINVAL);
    REFUSE(o.name = "overlong \xc0\xaf slash", COUNCIL_EINVAL);
    REFUSE(o.name = "surrogate \xed\xa0\x80", COUNCIL_EINVAL);
    REFUSE(o.name = "truncated \xe5\x8d", COUNCIL_EINVAL);
    REFUSE(o.name = "line\nbreak", COUNCIL_EINVAL);
    REFUSE(o.passphrase = NULL, COUNCIL_EINVAL);            /* neither credential */
    REFUSE((o.root_key = key, o.root_key_len = 32), COUNCIL_EINVAL); /* both */
    REFUSE((o.passphrase = NULL, o.root_key = key, o.root_key_len = 31), COUNCIL_EINVAL);
    REFUSE(o.passphrase_len = 0, COUNCIL_EINVAL);
    REFUSE((o.passphrase = long_pass, o.passphrase_len = sizeof long_pass), COUNCIL_EINVAL);
    REFUSE(o.kdf_opslimit = COUNCIL_KDF_OPSLIMIT_MAX + 1, COUNCIL_EINVAL);
    REFUSE(o.kdf_memlimit = COUNCIL_KDF_MEMLIMIT_MIN - 1, COUNCIL_EINVAL);
    REFUSE(o.kdf_memlimit = (uint64_t)COUNCIL_KDF_MEMLIMIT_MAX + 1, COUNCIL_EINVAL);
#undef REFUSE

    o = th_create_opts("ok", TH_PASS);
    c = NULL;
    assert_int_equal(council_create(&c, NULL, &o), COUNCIL_EINVAL);
    council_close(c);
    assert_int_equal(council_create(&c, "", &o), COUNCIL_EINVAL);
    council_close(c);
    /* A name of exactly the maximum length is fine. */
    long_name[COUNCIL_NAME_MAX] = '\0';
    o.name = long_name;
    assert_int_equal(council_create(&c, store, &o), COUNCIL_OK);
    council_close(c);
    th_rmrf(root);
    free(store);
    free(root);
}

static void test_council__create_refuses_existing(void **state)
{
    council_create_options o = th_create_opts("A", TH_PASS);
    char *root = th_tmpdir(), *store = th_path(root, "store");
    char *file = th_path(root, "plain-file"), *inside = th_path(store, "mine.txt");
    uint8_t *got;
    size_t len;
    council *c;
    (void)state;

    /* A plain file in the way. */
    assert_int_equal(th_write_file(file, (const uint8_t *)"x", 1), 0);
    assert_int_equal(council_create(&c, file, &o), COUNCIL_EEXIST);
    council_close(c);

    /* A directory with something in it: refused and left as it was. */
    assert_int_equal(mkdir(store, 0700), 0);
    assert_int_equal(th_write_file(inside, (const uint8_t *)"keep", 4), 0);
    assert_int_equal(council_create(&c, store, &o), COUNCIL_EEXIST);
    council_close(c);
    assert_int_equal(th_read_file(inside, &got, &len), 0);
    assert_int_equal(len, 4);
    assert_memory_equal(got, "keep", 4);
    free(got);

    /* An empty directory is used, made private; a second create is refused. */
    assert_int_equal(remove(inside), 0);
    assert_int_equal(chmod(store, 0755), 0);
    assert_int_equal(council_create(&c, store, &o), COUNCIL_OK);
    council_close(c);
    {
        struct stat sb;
        assert_int_equal(stat(store, &sb), 0);
        assert_int_equal(sb.st_mode & 0777, 0700);
    }
    assert_int_equal(council_create(&c, store, &o), COUNCIL_EEXIST);
    council_close(c);
    assert_int_equal(th_open(&c, store, TH_PASS), COUNCIL_OK);
    council_close(c);
    th_rmrf(root);
    free(file); free(inside); free(store); free(root);
}

static void test_council__open_missing(void **state)
{
    char *root, *store = th_make_store(&root, "A");
    char *nowhere = th_path(root, "nowhere");
    char *kr = th_path(store, "council.keyring"), *db = th_path(store, "council.db");
    char *kr2 = th_path(root, "kr"), *db2 = th_path(root, "db");
    council_open_options oo = th_open_opts(TH_PASS);
    council *c;
    (void)state;

    assert_int_equal(council_open(NULL, store, &oo), COUNCIL_EMISUSE);
    assert_int_equal(council_open(&c, store, NULL), COUNCIL_EMISUSE);
    council_close(c);
    oo.version = 0;
    assert_int_equal(council_open(&c, store, &oo), COUNCIL_EMISUSE);
    council_close(c);
    assert_int_equal(th_open(&c, nowhere, TH_PASS), COUNCIL_ENOTFOUND);
    council_close(c);
    assert_int_equal(th_open(&c, NULL, TH_PASS), COUNCIL_EINVAL);
    council_close(c);
    assert_int_equal(th_open(&c, store, ""), COUNCIL_EINVAL);
    council_close(c);

    assert_int_equal(rename(kr, kr2), 0);
    assert_int_equal(th_open(&c, store, TH_PASS), COUNCIL_ENOTFOUND);
    assert_non_null(strstr(council_errmsg(c), "keyring"));
    council_close(c);
    assert_int_equal(rename(kr2, kr), 0);

    assert_int_equal(rename(db, db2), 0);
    assert_int_equal(th_open(&c, store, TH_PASS), COUNCIL_ENOTFOUND);
    assert_non_null(strstr(council_errmsg(c), "council.db"));
    council_close(c);
    assert_int_equal(rename(db2, db), 0);

    assert_int_equal(th_open(&c, store, TH_PASS), COUNCIL_OK);
    council_close(c);
    th_rmrf(root);
    free(nowhere); free(kr); free(db); free(kr2); free(db2); free(store); free(root);
}

/* Another council's keyring next to this council's database. */
static void test_council__keyring_from_another_council(void **state)
{
    char *ra, *rb, *sa = th_make_store(&ra, "A"), *sb = th_make_store(&rb, "B");
    char *ka = th_path(sa, "council.keyring"), *kb = th_path(sb, "council.keyring");
    char *da = th_path(sa, "council.db"), *db = th_path(sb, "council.db");
    uint8_t *bytes;
    size_t len;
    council *c;
    (void)state;

    assert_int_equal(th_read_file(kb, &bytes, &len), 0);
    assert_int_equal(th_write_file(ka, bytes, len), 0);
    free(bytes);
    assert_int_equal(th_open(&c, sa, TH_PASS), COUNCIL_EAUTH);
    assert_non_null(strstr(council_errmsg(c), "does not belong"));
    council_close(c);

    /* And the other way round: B's keyring, A's database file. */
    assert_int_equal(th_read_file(da, &bytes, &len), 0);
    assert_int_equal(th_write_file(db, bytes, len), 0);
    free(bytes);
    assert_int_equal(th_open(&c, sb, TH_PASS), COUNCIL_EAUTH);
    council_close(c);
    th_rmrf(ra); th_rmrf(rb);
    free(ka); free(kb); free(da); free(db); free(sa); free(sb); free(ra); free(rb);
}

static void test_council__passphrase_change(void **state)
{
    char *root, *store = th_make_store(&root, "A");
    char *kr = th_path(store, "council.keyring"), *tmp = th_path(store, "council.keyring.tmp");
    const uint8_t *old = (const uint8_t *)TH_PASS, *fresh = (const uint8_t *)"a new one";
    Council__V1__CouncilInfo *before, *after;
    uint8_t *k1, *k2;
    size_t l1, l2;
    council *c;
    (void)state;

    assert_int_equal(th_open(&c, store, TH_PASS), COUNCIL_OK);
    before = get_info(c);
    assert_int_equal(th_read_file(kr, &k1, &l1), 0);

    /* Wrong current passphrase: refused, keyring untouched. */
    assert_int_equal(council_passphrase_change(c, (const uint8_t *)"nope", 4, fresh, 9,
                                               TH_OPS, TH_MEM), COUNCIL_EAUTH);
    assert_non_null(strstr(council_errmsg(c), "wrong current passphrase"));
    assert_int_equal(th_read_file(kr, &k2, &l2), 0);
    assert_true(l1 == l2 && memcmp(k1, k2, l1) == 0);
    free(k2);
    /* Bad arguments. */
    assert_int_equal(council_passphrase_change(c, old, strlen(TH_PASS), fresh, 0, TH_OPS, TH_MEM),
                     COUNCIL_EINVAL);
    assert_int_equal(council_passphrase_change(c, old, strlen(TH_PASS), NULL, 3, TH_OPS, TH_MEM),
                     COUNCIL_EINVAL);
    assert_int_equal(council_passphrase_change(c, old, strlen(TH_PASS), fresh, 9, 99, TH_MEM),
                     COUNCIL_EINVAL);
    assert_int_equal(council_passphrase_change(NULL, old, 1, fresh, 9, TH_OPS, TH_MEM),
                     COUNCIL_EMISUSE);

    assert_int_equal(council_passphrase_change(c, old, strlen(TH_PASS), fresh, 9, TH_OPS, TH_MEM),
                     COUNCIL_OK);
    council_close(c);
    assert_false(th_exists(tmp));
    assert_int_equal(th_read_file(kr, &k2, &l2), 0);
    assert_true(l1 != l2 || memcmp(k1, k2, l1) != 0);
    free(k1);
    free(k2);

    assert_int_equal(th_open(&c, store, TH_PASS), COUNCIL_EAUTH);
    council_close(c);
    assert_int_equal(th_open(&c, store, "a new one"), COUNCIL_OK);
    after = get_info(c);
    council_close(c);
    /* Same council, same keys, same data. */
    assert_memory_equal(before->council_id.data, after->council_id.data, COUNCIL_ID_BYTES);
    assert_memory_equal(before->log_public_key.data, after->log_public_key.data, 32);
    assert_string_equal(before->name, after->name);
    council__v1__council_info__free_unpacked(before, NULL);
    council__v1__council_info__free_unpacked(after, NULL);
    th_rmrf(root);
    free(kr); free(tmp); free(store); free(root);
}

/* A keyring swapped under an open handle is not rewrapped. */
static void test_council__passphrase_change_refuses_swapped_keyring(void **state)
{
    char *ra, *rb, *sa = th_make_store(&ra, "A"), *sb = th_make_store(&rb, "B");
    char *ka = th_path(sa, "council.keyring"), *kb = th_path(sb, "council.keyring");
    uint8_t *bytes;
    size_t len;
    council *c;
    (void)state;

    assert_int_equal(th_open(&c, sa, TH_PASS), COUNCIL_OK);
    assert_int_equal(th_read_file(kb, &bytes, &len), 0);
    assert_int_equal(th_write_file(ka, bytes, len), 0);
    free(bytes);
    assert_int_equal(council_passphrase_change(c, (const uint8_t *)TH_PASS, strlen(TH_PASS),
                                               (const uint8_t *)"x", 1, TH_OPS, TH_MEM),
                     COUNCIL_EAUTH);
    council_close(c);
    th_rmrf(ra); th_rmrf(rb);
    free(ka); free(kb); free(sa); free(sb); free(ra); free(rb);
}

static void test_council__misuse(void **state)
{
    char *root, *store = th_make_store(&root, "A");
    council_buf buf = { NULL, 0 };
    uint64_t foreign[64];
    council *c;
    (void)state;

    /* NULL */
    assert_int_equal(council_info(NULL, &buf), COUNCIL_EMISUSE);
    assert_non_null(council_errmsg(NULL));
    council_close(NULL);
    council_buf_free(NULL);
    council_buf_free(&buf);

    /* Foreign memory passed as a handle. */
    memset(foreign, 0x5a, sizeof foreign);
    assert_int_equal(council_info((council *)(void *)foreign, &buf), COUNCIL_EMISUSE);
    assert_string_equal(council_errmsg((council *)(void *)foreign), "not a council handle");
    council_close((council *)(void *)foreign); /* left alone */
    assert_int_equal(foreign[0], 0x5a5a5a5a5a5a5a5aull);

    /* NULL out on a good handle. */
    assert_int_equal(th_open(&c, store, TH_PASS), COUNCIL_OK);
    assert_int_equal(council_info(c, NULL), COUNCIL_EMISUSE);
    assert_non_null(strstr(council_errmsg(c), "info"));

    /* Closed: shut down (what council_close does before freeing). */
    council__shutdown(c);
    assert_string_equal(council_errmsg(c), "the handle is closed");
    assert_int_equal(council_info(c, &buf), COUNCIL_EMISUSE);
    assert_null(buf.ptr);
    assert_int_equal(council_passphrase_change(c, (const uint8_t *)TH_PASS, strlen(TH_PASS),
                                               (const uint8_t *)"x", 1, TH_OPS, TH_MEM),
                     COUNCIL_EMISUSE);
    assert_null(c->root.p);
    assert_null(c->log_sk.p);
    assert_null(c->db);
    council_close(c);
    th_rmrf(root);
    free(store);
    free(root);
}

/* Every allocation the library makes, failed in turn: ENOMEM or success,
 * never a crash, a leak (under ASan) or a half-made store. */
static void test_council__out_of_memory(void **state)
{
    char *root = th_tmpdir(), *store = th_path(root, "store");
    council_create_options co = th_create_opts("A", TH_PASS);
    council *c;
    long n;
    int rc;
    (void)state;

    for (n = 0; n < 1000; n++) {
        c = NULL;
        council__fault_alloc_after(n);
        rc = council_create(&c, store, &co);
        council__fault_alloc_after(-1);
        if (rc == COUNCIL_OK)
            break;
        assert_int_equal(rc, COUNCIL_ENOMEM);
        assert_false(th_exists(store));
        council_close(c);
    }
    assert_int_equal(rc, COUNCIL_OK);
    assert_true(n > 3); /* the hook really failed allocations */
    council_close(c);

    for (n = 0; n < 1000; n++) {
        c = NULL;
        council__fault_alloc_after(n);
        rc = th_open(&c, store, TH_PASS);
        council__fault_alloc_after(-1);
        if (rc == COUNCIL_OK)
            break;
        assert_int_equal(rc, COUNCIL_ENOMEM);
        council_close(c);
    }
    assert_int_equal(rc, COUNCIL_OK);
    assert_true(n > 3);
    council_close(c);
    assert_int_equal(th_open(&c, store, TH_PASS), COUNCIL_OK);
    council_close(c);
    th_rmrf(root);
    free(store);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_council__create_open_round_trip),
        cmocka_unit_test(test_council__two_councils_differ),
        cmocka_unit_test(test_council__wrong_passphrase),
        cmocka_unit_test(test_council__external_root_key),
        cmocka_unit_test(test_council__passphrase_on_kms_and_key_on_passphrase),
        cmocka_unit_test(test_council__create_refuses_bad_options),
        cmocka_unit_test(test_council__create_refuses_existing),
        cmocka_unit_test(test_council__open_missing),
        cmocka_unit_test(test_council__keyring_from_another_council),
        cmocka_unit_test(test_council__passphrase_change),
        cmocka_unit_test(test_council__passphrase_change_refuses_swapped_keyring),
        cmocka_unit_test(test_council__misuse),
        cmocka_unit_test(test_council__out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
