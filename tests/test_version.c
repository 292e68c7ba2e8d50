/* test_version.c - version, size twins, error strings, global init. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"

static void test_version__runtime_matches_header(void **state)
{
    char text[32];
    (void)state;

    assert_int_equal(council_version_number(), COUNCIL_VERSION_NUMBER);
    assert_string_equal(council_version_string(), COUNCIL_VERSION_STRING);
    snprintf(text, sizeof text, "%d.%d.%d", COUNCIL_VERSION_MAJOR, COUNCIL_VERSION_MINOR,
             COUNCIL_VERSION_PATCH);
    assert_string_equal(text, COUNCIL_VERSION_STRING);
    assert_int_equal(COUNCIL_VERSION_NUMBER,
                     COUNCIL_VERSION_MAJOR * 10000 + COUNCIL_VERSION_MINOR * 100 +
                     COUNCIL_VERSION_PATCH);
}

/* Every size macro has a function twin that agrees with it. */
static void test_version__size_twins_agree(void **state)
{
    (void)state;
    assert_int_equal(council_root_key_bytes(), COUNCIL_ROOT_KEY_BYTES);
    assert_int_equal(council_id_bytes(), COUNCIL_ID_BYTES);
    assert_int_equal(council_name_max(), COUNCIL_NAME_MAX);
    assert_int_equal(council_passphrase_max(), COUNCIL_PASSPHRASE_MAX);
    assert_int_equal(council_kdf_opslimit_min(), COUNCIL_KDF_OPSLIMIT_MIN);
    assert_int_equal(council_kdf_opslimit_max(), COUNCIL_KDF_OPSLIMIT_MAX);
    assert_int_equal(council_kdf_memlimit_min(), COUNCIL_KDF_MEMLIMIT_MIN);
    assert_int_equal(council_kdf_memlimit_max(), COUNCIL_KDF_MEMLIMIT_MAX);
}

/* Codes are permanent: these values must never change. */
static void test_version__error_codes_are_permanent(void **state)
{
    (void)state;
    assert_int_equal(COUNCIL_OK, 0);
    assert_int_equal(COUNCIL_ERROR, -1);
    assert_int_equal(COUNCIL_EINVAL, -2);
    assert_int_equal(COUNCIL_ENOMEM, -3);
    assert_int_equal(COUNCIL_EIO, -4);
    assert_int_equal(COUNCIL_EAUTH, -5);
    assert_int_equal(COUNCIL_EDENIED, -6);
    assert_int_equal(COUNCIL_ENOCONSENT, -7);
    assert_int_equal(COUNCIL_ETAMPER, -8);
    assert_int_equal(COUNCIL_EFORMAT, -9);
    assert_int_equal(COUNCIL_EEXIST, -10);
    assert_int_equal(COUNCIL_ENOTFOUND, -11);
    assert_int_equal(COUNCIL_EMISUSE, -12);
    assert_int_equal(COUNCIL_ELIMIT, -13);
    assert_int_equal(COUNCIL_EBUFS, -14);
    assert_int_equal(COUNCIL_EUNSUPPORTED, -15);
    assert_int_equal(COUNCIL_ESIGNATURE, -16);
    assert_int_equal(COUNCIL_ESENDER, -17);
    assert_int_equal(COUNCIL_ERECIPIENT, -18);
    assert_int_equal(COUNCIL_EEXPIRED, -19);
    assert_int_equal(COUNCIL_EREPLAY, -20);
}

static void test_version__errstr_distinct_and_static(void **state)
{
    const char *unknown = council_errstr(-9999);
    (void)state;

    assert_string_equal(unknown, "unknown error code");
    assert_string_equal(council_errstr(1), "unknown error code");
    for (int a = 0; a >= COUNCIL_EREPLAY; a--) {
        const char *s = council_errstr(a);
        assert_non_null(s);
        assert_true(strlen(s) > 3);
        assert_string_not_equal(s, unknown);
        assert_ptr_equal(s, council_errstr(a)); /* static, not allocated */
        for (int b = a - 1; b >= COUNCIL_EREPLAY; b--)
            assert_string_not_equal(s, council_errstr(b));
    }
    assert_string_equal(council_errstr(COUNCIL_EREPLAY - 1), unknown);
}

static void *init_thread(void *arg)
{
    *(int *)arg = council_global_init();
    return NULL;
}

static void test_version__global_init_idempotent_across_threads(void **state)
{
    pthread_t t[8];
    int rc[8];
    (void)state;

    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&t[i], NULL, init_thread, &rc[i]), 0);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(rc[i], COUNCIL_OK);
    }
    assert_int_equal(council_global_init(), COUNCIL_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version__runtime_matches_header),
        cmocka_unit_test(test_version__size_twins_agree),
        cmocka_unit_test(test_version__error_codes_are_permanent),
        cmocka_unit_test(test_version__errstr_distinct_and_static),
        cmocka_unit_test(test_version__global_init_idempotent_across_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
