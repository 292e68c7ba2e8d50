/*
 * test_intake.c - intake (intake.c): a person handed over from outside the
 * council as a new case, attached to a found person, unnamed, with and
 * without consented scopes; the JSON form, every field of it refused when
 * malformed, unknown and duplicate keys, and an oversized form.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "case_fixture.h"
#include "council/v1/bundle.pb-c.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x

static Council__V1__BundleImportResult *run_json(council *c, const char *json, int want)
{
    council_buf out = { NULL, 0 };
    Council__V1__BundleImportResult *r = NULL;
    int rc = council_intake_import_json(c, &out, json, strlen(json), NULL);

    if (rc != want)
        print_message("rc %d: %s\n", rc, council_errmsg(c));
    assert_int_equal(rc, want);
    if (rc == COUNCIL_OK) {
        r = council__v1__bundle_import_result__unpack(NULL, out.len, out.ptr);
        assert_non_null(r);
    } else {
        assert_null(out.ptr);
    }
    council_buf_free(&out);
    return r;
}

static Council__V1__BundleImportResult *run_pb(council *c, const Council__V1__IntakeBundle *ib,
                                               const council_intake_options *o, int want)
{
    council_buf out = { NULL, 0 };
    Council__V1__BundleImportResult *r = NULL;
    size_t n = council__v1__intake_bundle__get_packed_size(ib);
    uint8_t *b = malloc(n ? n : 1);
    int rc;

    council__v1__intake_bundle__pack(ib, b);
    rc = council_intake_import(c, &out, b, n, o);
    if (rc != want)
        print_message("rc %d: %s\n", rc, council_errmsg(c));
    assert_int_equal(rc, want);
    if (rc == COUNCIL_OK) {
        r = council__v1__bundle_import_result__unpack(NULL, out.len, out.ptr);
        assert_non_null(r);
        assert_int_equal(r->type, COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_INTAKE);
    }
    council_buf_free(&out);
    free(b);
    return r;
}

static const char form[] =
    "{\"form\": \"libcouncil-intake-1\","
    " \"referrer\": {\"organisation\": \"よりそいホットライン\", \"channel\": \"phone\","
    "                \"contact\": \"03-0000-0000\"},"
    " \"person\": {\"name\": \"" CANARY_NAME "\", \"birth_date\": \"1950-04-01\","
    "              \"contact\": \"090-0000-0000\"},"
    " \"consent\": {\"scopes\": [\"identity\", \"situation\"], \"purpose\": \"support_coordination\","
    "               \"method\": \"oral\", \"at\": 1764547200},"
    " \"situation\": \"夜間に相談。INTAKE-CANARY\\n食事がとれていない。\"}";

/* New case from the JSON form; the same person again is found. */
static void test_intake__new_case_then_found(void **state)
{
    fx *f = *state;
    council_intake_options o = COUNCIL_INTAKE_OPTIONS_INIT;
    Council__V1__BundleImportResult *r1, *r2;
    char *t;
    int rc;

    o.owner = f->ma;
    o.owner_len = 16;
    {
        council_buf out = { NULL, 0 };
        assert_int_equal(council_intake_import_json(f->c, &out, form, strlen(form), &o), COUNCIL_OK);
        r1 = council__v1__bundle_import_result__unpack(NULL, out.len, out.ptr);
        council_buf_free(&out);
    }
    assert_non_null(r1);
    assert_string_equal(r1->outcome, "new_case");
    assert_true(r1->has_case_id && r1->has_person_id && r1->has_consent_id);
    /* the case is A's; the sections say what the intake said */
    {
        council_buf out = { NULL, 0 };
        Council__V1__CaseInfo *k;
        assert_int_equal(council_case_get(f->c, &out, r1->case_id.data, 16), COUNCIL_OK);
        k = council__v1__case_info__unpack(NULL, out.len, out.ptr);
        assert_non_null(k);
        assert_memory_equal(k->owner_member.data, f->ma, 16);
        council__v1__case_info__free_unpacked(k, NULL);
        council_buf_free(&out);
    }
    t = get_text(f->c, r1->case_id.data, r1->person_id.data, "identity", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(t, CANARY_NAME);
    free(t);
    t = get_text(f->c, r1->case_id.data, r1->person_id.data, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_non_null(strstr(t, "INTAKE-CANARY"));
    assert_non_null(strstr(t, "referrer: よりそいホットライン"));
    assert_non_null(strstr(t, "channel: phone"));
    free(t);
    /* the consent is in the ledger */
    {
        council_buf out = { NULL, 0 };
        Council__V1__ConsentRecord *cr;
        assert_int_equal(council_consent_get(f->c, &out, r1->consent_id.data, 16), COUNCIL_OK);
        cr = council__v1__consent_record__unpack(NULL, out.len, out.ptr);
        assert_non_null(cr);
        assert_int_equal(cr->n_scopes, 2);
        assert_int_equal(cr->method, COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_ORAL);
        assert_int_equal(cr->valid_from, 1764547200);
        council__v1__consent_record__free_unpacked(cr, NULL);
        council_buf_free(&out);
    }
    /* The same person handed over again: found, attached. */
    r2 = run_json(f->c, form, COUNCIL_OK);
    assert_string_equal(r2->outcome, "found_person");
    assert_memory_equal(r2->case_id.data, r1->case_id.data, 16);
    assert_memory_equal(r2->person_id.data, r1->person_id.data, 16);
    assert_true(r2->has_consent_id);
    assert_memory_not_equal(r2->consent_id.data, r1->consent_id.data, 16);
    {
        /* intake_received, reason found_person, names the case */
        uint64_t n = 0;
        bool seen = false;
        assert_int_equal(council__audit_size(f->c, &n), COUNCIL_OK);
        for (uint64_t s = n; !seen && s-- > 0;) {
            Council__V1__AuditEvent *e = event_at(f->c, s);
            if (e->action == ACT(INTAKE_RECEIVED)) {
                seen = true;
                assert_string_equal(e->reason, "found_person");
                assert_memory_equal(e->object_id.data, r1->case_id.data, 16);
                assert_false(e->has_bundle_hash);
            }
            council__v1__audit_event__free_unpacked(e, NULL);
        }
        assert_true(seen);
    }
    council__v1__bundle_import_result__free_unpacked(r1, NULL);
    council__v1__bundle_import_result__free_unpacked(r2, NULL);
}

/* An unnamed person, with no consented scopes: a new anonymous case, no
 * consent record; then attached by ids. */
static void test_intake__unnamed_no_consent_then_by_id(void **state)
{
    fx *f = *state;
    Council__V1__IntakeBundle ib = COUNCIL__V1__INTAKE_BUNDLE__INIT;
    council_intake_options o = COUNCIL_INTAKE_OPTIONS_INIT;
    Council__V1__BundleImportResult *r, *r2;
    int64_t consents = count(f->c, "SELECT count(*) FROM consent", NULL);

    o.owner = f->mc;
    o.owner_len = 16;
    ib.referrer_org = (char *)(uintptr_t)"チャット相談あなたのいばしょ";
    ib.contact_channel = (char *)(uintptr_t)"chat";
    ib.situation = (char *)(uintptr_t)"匿名の相談";
    r = run_pb(f->c, &ib, &o, COUNCIL_OK);
    assert_string_equal(r->outcome, "new_case");
    assert_false(r->has_consent_id);
    assert_int_equal(count(f->c, "SELECT count(*) FROM consent", NULL), consents);
    assert_int_equal(count(f->c, "SELECT anonymous FROM person WHERE id = ?1", r->person_id.data), 1);
    /* attached by its ids, with a consent this time */
    {
        char *scopes[1] = { (char *)(uintptr_t)"situation" };
        ib.has_case_id = ib.has_person_id = 1;
        ib.case_id = r->case_id;
        ib.person_id = r->person_id;
        ib.consented_scopes = scopes;
        ib.n_consented_scopes = 1;
        ib.consent_method = (char *)(uintptr_t)"written";
        r2 = run_pb(f->c, &ib, NULL, COUNCIL_OK);
        assert_string_equal(r2->outcome, "found_person");
        assert_true(r2->has_consent_id);
        assert_memory_equal(r2->case_id.data, r->case_id.data, 16);
        council__v1__bundle_import_result__free_unpacked(r2, NULL);
        /* one id without the other */
        ib.has_case_id = 0;
        r2 = run_pb(f->c, &ib, NULL, COUNCIL_EINVAL);
        ib.has_case_id = 1;
        /* an unknown case */
        {
            uint8_t nothing[16];
            memset(nothing, 0x44, 16);
            ib.case_id.data = nothing;
            r2 = run_pb(f->c, &ib, NULL, COUNCIL_ENOTFOUND);
            ib.case_id = r->case_id;
        }
    }
    council__v1__bundle_import_result__free_unpacked(r, NULL);
    /* garbage is not an IntakeBundle; nor is an oversized one read */
    {
        council_buf out = { NULL, 0 };
        uint8_t junk[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
        uint8_t *big = calloc(1, COUNCIL_INTAKE_JSON_MAX + 1);
        assert_int_equal(council_intake_import(f->c, &out, junk, sizeof junk, NULL), COUNCIL_EFORMAT);
        assert_int_equal(council_intake_import(f->c, &out, big, COUNCIL_INTAKE_JSON_MAX + 1, NULL),
                         COUNCIL_ELIMIT);
        free(big);
    }
}

/* Every field of the JSON form, malformed: refused, nothing made. */
static void test_intake__json_refusals(void **state)
{
    fx *f = *state;
    static const struct { const char *json; int rc; } bad[] = {
        /* shape: EFORMAT */
        { "", COUNCIL_EFORMAT },
        { "[]", COUNCIL_EFORMAT },
        { "{\"form\": \"libcouncil-intake-1\"", COUNCIL_EFORMAT },
        { "{\"form\": \"libcouncil-intake-2\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\"}", COUNCIL_EFORMAT },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\", \"extra\": 1}", COUNCIL_EFORMAT },
        { "{\"form\": \"libcouncil-intake-1\", \"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\"}", COUNCIL_EFORMAT },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}}", COUNCIL_EFORMAT },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"channel\": \"phone\"}, \"situation\": \"s\"}", COUNCIL_EFORMAT },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\", \"fax\": \"1\"}, \"situation\": \"s\"}", COUNCIL_EFORMAT },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": 5, \"channel\": \"phone\"}, \"situation\": \"s\"}", COUNCIL_EFORMAT },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\", \"person\": {\"nickname\": \"x\"}}", COUNCIL_EFORMAT },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\", \"person\": {\"person_id\": \"not-a-uuid\"}}", COUNCIL_EFORMAT },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\", \"consent\": {\"scopes\": \"identity\"}}", COUNCIL_EFORMAT },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\", \"consent\": {\"at\": \"yesterday\"}}", COUNCIL_EFORMAT },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\", \"consent\": {\"recipients\": [\"nope\"]}}", COUNCIL_EFORMAT },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\\u0000x\"}", COUNCIL_EFORMAT },
        /* values: EINVAL */
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"\", \"channel\": \"phone\"}, \"situation\": \"s\"}", COUNCIL_EINVAL },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"pigeon\"}, \"situation\": \"s\"}", COUNCIL_EINVAL },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\", \"contact\": \"a\\u0007b\"}, \"situation\": \"s\"}", COUNCIL_EINVAL },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"\"}", COUNCIL_EINVAL },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\", \"person\": {\"name\": \"\"}}", COUNCIL_EINVAL },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\", \"person\": {\"birth_date\": \"1950-13-01\"}}", COUNCIL_EINVAL },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\", \"person\": {\"contact\": \"\\u001b\"}}", COUNCIL_EINVAL },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\", \"person\": {\"person_id\": \"00000000-0000-4000-8000-000000000000\"}}", COUNCIL_EINVAL },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\", \"consent\": {\"scopes\": [\"Identity!\"], \"method\": \"oral\"}}", COUNCIL_EINVAL },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\", \"consent\": {\"scopes\": [\"identity\"]}}", COUNCIL_EINVAL },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\", \"consent\": {\"scopes\": [\"identity\"], \"method\": \"telepathy\"}}", COUNCIL_EINVAL },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\", \"consent\": {\"scopes\": [\"identity\"], \"method\": \"oral\", \"purpose\": \"Bad Purpose\"}}", COUNCIL_EINVAL },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\", \"consent\": {\"scopes\": [\"identity\"], \"method\": \"oral\", \"at\": 99999999999}}", COUNCIL_EINVAL },
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\", \"consent\": {\"method\": \"oral\"}}", COUNCIL_EINVAL },
        /* a scope the catalogue does not know: the consent ledger refuses */
        { "{\"form\": \"libcouncil-intake-1\", \"referrer\": {\"organisation\": \"x\", \"channel\": \"phone\"}, \"situation\": \"s\", \"consent\": {\"scopes\": [\"no_such_scope\"], \"method\": \"oral\"}}", COUNCIL_EINVAL },
    };
    int64_t cases = count(f->c, "SELECT count(*) FROM case_record", NULL);

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        council_buf out = { NULL, 0 };
        int rc = council_intake_import_json(f->c, &out, bad[i].json, strlen(bad[i].json), NULL);
        if (rc != bad[i].rc)
            fail_msg("case %zu: %d, not %d (%s)", i, rc, bad[i].rc, council_errmsg(f->c));
        assert_null(out.ptr);
        /* no content in the message */
        assert_null(strstr(council_errmsg(f->c), "pigeon"));
        assert_null(strstr(council_errmsg(f->c), "telepathy"));
    }
    assert_int_equal(count(f->c, "SELECT count(*) FROM case_record", NULL), cases);
    /* oversized: refused before parsing */
    {
        size_t big = COUNCIL_INTAKE_JSON_MAX + 1;
        char *j = malloc(big);
        council_buf out = { NULL, 0 };
        memset(j, ' ', big);
        memcpy(j, form, strlen(form));
        assert_int_equal(council_intake_import_json(f->c, &out, j, big, NULL), COUNCIL_ELIMIT);
        /* the same form padded to the cap is fine */
        assert_int_equal(council_intake_json_max(), COUNCIL_INTAKE_JSON_MAX);
        free(j);
    }
}

/* Who may take an intake: not a member's ordinary staff (logged). */
static void test_intake__who(void **state)
{
    fx *f = *state;
    council *s = staff_open(f, f->sb, &f->kb);
    council_buf out = { NULL, 0 };

    assert_int_equal(council_intake_import_json(s, &out, form, strlen(form), NULL), COUNCIL_EDENIED);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_int_equal(e->action, ACT(INTAKE_RECEIVED));
        assert_int_equal(e->outcome, COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED);
        assert_string_equal(e->reason, "not_intake_desk");
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    council_close(s);
    assert_int_equal(council_intake_import_json(NULL, &out, form, strlen(form), NULL), COUNCIL_EMISUSE);
    assert_int_equal(council_intake_import_json(f->c, NULL, form, strlen(form), NULL), COUNCIL_EMISUSE);
    {
        council_intake_options o = COUNCIL_INTAKE_OPTIONS_INIT;
        o.version = 99;
        assert_int_equal(council_intake_import_json(f->c, &out, form, strlen(form), &o),
                         COUNCIL_EMISUSE);
    }
    /* root with no coordinating body nor secretariat, and no owner named */
    assert_int_equal(council_intake_import_json(f->c, &out, form, strlen(form), NULL), COUNCIL_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_intake__new_case_then_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intake__unnamed_no_consent_then_by_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intake__json_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intake__who, setup, teardown),
    };

    if (council_global_init() != COUNCIL_OK)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
