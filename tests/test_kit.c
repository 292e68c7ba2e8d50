/* test_kit.c - the integrator's kit: UUID text, the wiping protobuf
 * allocator, and the enum constants of council.h checked against the
 * protobuf-c descriptors of proto/council/v1 (so they cannot drift). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <protobuf-c/protobuf-c.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/consent.pb-c.h"
#include "council/v1/meeting.pb-c.h"
#include "council/v1/member.pb-c.h"
#include "council/v1/referral.pb-c.h"
#include "council_int.h"
#include "helpers.h"

/* ------------------------------------------------------------------ uuid */

static void test_kit__uuid_round_trip(void **state)
{
    static const uint8_t want[16] = { 0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3,
                                      0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00 };
    uint8_t id[16];
    char text[COUNCIL_UUID_TEXT_BYTES];
    (void)state;

    assert_int_equal(council_uuid_parse(id, sizeof id, "123e4567-e89b-12d3-a456-426614174000"),
                     COUNCIL_OK);
    assert_memory_equal(id, want, 16);
    /* Upper case is read; the text written is lower case. */
    assert_int_equal(council_uuid_parse(id, sizeof id, "123E4567-E89B-12D3-A456-426614174000"),
                     COUNCIL_OK);
    assert_memory_equal(id, want, 16);
    assert_int_equal(council_uuid_format(text, sizeof text, id, sizeof id), COUNCIL_OK);
    assert_string_equal(text, "123e4567-e89b-12d3-a456-426614174000");
    memset(id, 0xff, sizeof id);
    assert_int_equal(council_uuid_format(text, sizeof text, id, sizeof id), COUNCIL_OK);
    assert_string_equal(text, "ffffffff-ffff-ffff-ffff-ffffffffffff");
    assert_int_equal(council_uuid_parse(id, sizeof id, "00000000-0000-0000-0000-000000000000"),
                     COUNCIL_OK);
    assert_int_equal(council_uuid_format(text, sizeof text, id, sizeof id), COUNCIL_OK);
    assert_string_equal(text, "00000000-0000-0000-0000-000000000000");
}

static void test_kit__uuid_parse_is_strict(void **state)
{
    static const char *const bad[] = {
        "",
        "123e4567-e89b-12d3-a456-42661417400",     /* short */
        "123e4567-e89b-12d3-a456-4266141740000",   /* long */
        "123e4567e89b12d3a456426614174000",        /* no hyphens */
        "123e4567-e89b-12d3-a456426614174000-",    /* a hyphen moved */
        "123e4567-e89b-12d3-a4564-26614174000",
        "{123e4567-e89b-12d3-a456-426614174000}",
        "urn:uuid:123e4567-e89b-12d3-a456-426614174000",
        " 123e4567-e89b-12d3-a456-426614174000",
        "123e4567-e89b-12d3-a456-426614174000 ",
        "123e4567-e89b-12d3-a456-42661417400g",
        "123e4567-e89b-12d3-a456-4266141740\n0",
        "123e4567+e89b-12d3-a456-426614174000",
        "0x3e4567-e89b-12d3-a456-426614174000",
        "-23e4567-e89b-12d3-a456-426614174000",
    };
    uint8_t id[16];
    size_t i;
    (void)state;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(id, 0xaa, sizeof id);
        assert_int_equal(council_uuid_parse(id, sizeof id, bad[i]), COUNCIL_EINVAL);
        /* Refused text leaves zeros, never a half-parsed id. */
        for (size_t k = 0; k < sizeof id; k++)
            assert_int_equal(id[k], 0);
    }
    assert_int_equal(council_uuid_parse(id, 15, "123e4567-e89b-12d3-a456-426614174000"),
                     COUNCIL_EINVAL);
    assert_int_equal(council_uuid_parse(id, 17, "123e4567-e89b-12d3-a456-426614174000"),
                     COUNCIL_EINVAL);
    assert_int_equal(council_uuid_parse(NULL, 16, "123e4567-e89b-12d3-a456-426614174000"),
                     COUNCIL_EMISUSE);
    assert_int_equal(council_uuid_parse(id, sizeof id, NULL), COUNCIL_EMISUSE);
}

static void test_kit__uuid_format_checks_sizes(void **state)
{
    uint8_t id[16] = { 1 };
    char text[COUNCIL_UUID_TEXT_BYTES + 4];
    (void)state;

    memset(text, 'x', sizeof text);
    assert_int_equal(council_uuid_format(text, COUNCIL_UUID_TEXT_BYTES - 1, id, 16), COUNCIL_EBUFS);
    assert_string_equal(text, "");
    assert_int_equal(council_uuid_format(text, sizeof text, id, 15), COUNCIL_EINVAL);
    assert_int_equal(council_uuid_format(text, sizeof text, id, 17), COUNCIL_EINVAL);
    assert_int_equal(council_uuid_format(NULL, sizeof text, id, 16), COUNCIL_EMISUSE);
    assert_int_equal(council_uuid_format(text, sizeof text, NULL, 16), COUNCIL_EMISUSE);
    assert_int_equal(council_uuid_format(text, COUNCIL_UUID_TEXT_BYTES, id, 16), COUNCIL_OK);
    assert_int_equal(strlen(text), 36);
    assert_string_equal(text, "01000000-0000-0000-0000-000000000000");
}

/* ------------------------------------------------------------- allocator */

static size_t wiped_blocks, unwiped_blocks;

static void check_wiped(const void *block, size_t n)
{
    const uint8_t *p = block;
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] != 0) {
            unwiped_blocks++;
            return;
        }
    wiped_blocks++;
}

static void test_kit__allocator_wipes_what_it_frees(void **state)
{
    ProtobufCAllocator *a = council_protobuf_allocator();
    uint8_t *p;
    (void)state;

    assert_non_null(a);
    assert_ptr_equal(council_protobuf_allocator(), a);
    council__pb_wipe_hook(check_wiped);
    wiped_blocks = unwiped_blocks = 0;
    p = a->alloc(a->allocator_data, 100);
    assert_non_null(p);
    memset(p, 0x5a, 100);
    a->free(a->allocator_data, p);
    a->free(a->allocator_data, NULL); /* as free(NULL) */
    council__pb_wipe_hook(NULL);
    assert_int_equal(wiped_blocks, 1);
    assert_int_equal(unwiped_blocks, 0);
}

/* A section unpacked and freed through it: every block (strings, the
 * nested message) is wiped before it is freed. */
static void test_kit__allocator_unpacks_and_wipes_a_section(void **state)
{
    ProtobufCAllocator *a = council_protobuf_allocator();
    Council__V1__Section s = COUNCIL__V1__SECTION__INIT;
    Council__V1__SectionRecord r = COUNCIL__V1__SECTION_RECORD__INIT;
    Council__V1__SectionRecord *got;
    uint8_t person[16] = { 7 };
    uint8_t *bytes;
    size_t n;
    (void)state;

    s.text = (char *)"lives alone since March; wants weekly visits";
    r.scope = (char *)"basic";
    r.person_id.data = person;
    r.person_id.len = sizeof person;
    r.version = 1;
    r.key_version = 1;
    r.written = 1700000000;
    r.section = &s;
    n = council__v1__section_record__get_packed_size(&r);
    bytes = malloc(n);
    assert_non_null(bytes);
    council__v1__section_record__pack(&r, bytes);

    council__pb_wipe_hook(check_wiped);
    wiped_blocks = unwiped_blocks = 0;
    got = council__v1__section_record__unpack(a, n, bytes);
    assert_non_null(got);
    assert_non_null(got->section);
    assert_string_equal(got->section->text, s.text);
    assert_string_equal(got->scope, "basic");
    council__v1__section_record__free_unpacked(got, a);
    council__pb_wipe_hook(NULL);
    assert_true(wiped_blocks >= 3); /* the record, the section, its text (at least) */
    assert_int_equal(unwiped_blocks, 0);
    free(bytes);
}

/* -------------------------------------------------------------- constants */

typedef struct {
    const char *name; /* the proto name, without COUNCIL_ */
    int value;        /* the council.h constant */
} constant;

#define K(x) { #x, COUNCIL_##x }

static const constant member_kind[] = {
    K(MEMBER_KIND_MUNICIPAL_DEPARTMENT), K(MEMBER_KIND_PREFECTURAL_DEPARTMENT),
    K(MEMBER_KIND_SOCIAL_WELFARE_COUNCIL), K(MEMBER_KIND_SOCIAL_WELFARE_CORPORATION),
    K(MEMBER_KIND_NPO), K(MEMBER_KIND_MEDICAL), K(MEMBER_KIND_SCHOOL), K(MEMBER_KIND_POLICE),
    K(MEMBER_KIND_CHILD_GUIDANCE_CENTRE), K(MEMBER_KIND_PROBATION),
    K(MEMBER_KIND_WELFARE_COMMISSIONER), K(MEMBER_KIND_UTILITY), K(MEMBER_KIND_FINANCIAL),
    K(MEMBER_KIND_COMPANY), K(MEMBER_KIND_OTHER),
};
static const constant case_body[] = {
    K(CASE_BODY_COUNCIL), K(CASE_BODY_SUPPORT_MEETING), K(CASE_BODY_NEEDS_OF_POOR_MEETING),
};
static const constant person_role[] = {
    K(PERSON_ROLE_SUPPORTED), K(PERSON_ROLE_FAMILY), K(PERSON_ROLE_CLOSE_THIRD_PARTY),
};
static const constant case_status[] = {
    K(CASE_STATUS_OPEN), K(CASE_STATUS_MONITORING), K(CASE_STATUS_CLOSED), K(CASE_STATUS_ERASED),
};
static const constant grantor_kind[] = {
    K(GRANTOR_KIND_SELF), K(GRANTOR_KIND_LEGAL_REPRESENTATIVE), K(GRANTOR_KIND_GUARDIAN),
};
static const constant consent_method[] = {
    K(CONSENT_METHOD_WRITTEN), K(CONSENT_METHOD_ORAL), K(CONSENT_METHOD_ELECTRONIC),
};
static const constant meeting_body[] = {
    K(MEETING_BODY_COUNCIL), K(MEETING_BODY_SUPPORT_MEETING), K(MEETING_BODY_JOINT_PLATFORM),
    K(MEETING_BODY_NEEDS_OF_POOR_MEETING),
};
static const constant referral_state[] = {
    K(REFERRAL_PROPOSED), K(REFERRAL_ACCEPTED), K(REFERRAL_DECLINED), K(REFERRAL_WITHDRAWN),
    K(REFERRAL_COMPLETED), K(REFERRAL_ENDED),
};
static const constant task_state[] = {
    K(TASK_STATE_OPEN), K(TASK_STATE_DONE), K(TASK_STATE_CANCELLED),
};
static const constant audit_action[] = {
    K(AUDIT_ACTION_COUNCIL_CREATED), K(AUDIT_ACTION_SESSION_OPENED),
    K(AUDIT_ACTION_SESSION_REFUSED), K(AUDIT_ACTION_MEMBER_ADDED),
    K(AUDIT_ACTION_MEMBER_WITHDRAWN), K(AUDIT_ACTION_STAFF_ADDED), K(AUDIT_ACTION_STAFF_RETIRED),
    K(AUDIT_ACTION_PLEDGE_RECORDED), K(AUDIT_ACTION_CASE_CREATED), K(AUDIT_ACTION_CASE_READ),
    K(AUDIT_ACTION_CASE_UPDATED), K(AUDIT_ACTION_CASE_ERASED), K(AUDIT_ACTION_SECTION_DECRYPTED),
    K(AUDIT_ACTION_SHARE_GRANTED), K(AUDIT_ACTION_SHARE_REVOKED),
    K(AUDIT_ACTION_CONSENT_RECORDED), K(AUDIT_ACTION_CONSENT_WITHDRAWN),
    K(AUDIT_ACTION_DISCLOSURE_MADE), K(AUDIT_ACTION_DISCLOSURE_REFUSED),
    K(AUDIT_ACTION_MEETING_OPENED), K(AUDIT_ACTION_MEETING_CLOSED),
    K(AUDIT_ACTION_BUNDLE_EXPORTED), K(AUDIT_ACTION_BUNDLE_IMPORTED), K(AUDIT_ACTION_KEY_ROTATED),
    K(AUDIT_ACTION_CHECKPOINT_SIGNED), K(AUDIT_ACTION_REPORT_PRODUCED),
    K(AUDIT_ACTION_AUDIT_EXPORTED), K(AUDIT_ACTION_MEMBER_UPDATED),
    K(AUDIT_ACTION_MEMBER_KEY_REGISTERED), K(AUDIT_ACTION_OPERATION_REFUSED),
    K(AUDIT_ACTION_CASE_SEARCHED), K(AUDIT_ACTION_SCOPE_ADDED), K(AUDIT_ACTION_SCOPE_REMOVED),
    K(AUDIT_ACTION_PERSON_ADDED), K(AUDIT_ACTION_POLICY_CHANGED),
    K(AUDIT_ACTION_TAMPER_DETECTED), K(AUDIT_ACTION_LOG_HEAD_RESET),
    K(AUDIT_ACTION_SETTING_CHANGED),
    K(AUDIT_ACTION_REFERRAL_PROPOSED), K(AUDIT_ACTION_REFERRAL_ACCEPTED),
    K(AUDIT_ACTION_REFERRAL_DECLINED), K(AUDIT_ACTION_REFERRAL_WITHDRAWN),
    K(AUDIT_ACTION_REFERRAL_COMPLETED), K(AUDIT_ACTION_REFERRAL_ENDED),
    K(AUDIT_ACTION_MINUTES_RECORDED), K(AUDIT_ACTION_DECISION_RECORDED),
    K(AUDIT_ACTION_MEETING_RECORD_READ),
    K(AUDIT_ACTION_REQUEST_MADE),
    K(AUDIT_ACTION_REQUEST_ANSWERED),
    K(AUDIT_ACTION_REQUEST_DECLINED),
    K(AUDIT_ACTION_REQUEST_WITHDRAWN),
    K(AUDIT_ACTION_REQUEST_READ),
    K(AUDIT_ACTION_CASE_TRANSFERRED),
    K(AUDIT_ACTION_PERSON_MERGED),
    K(AUDIT_ACTION_CASE_ASSIGNED), K(AUDIT_ACTION_TASK_ADDED), K(AUDIT_ACTION_TASK_UPDATED),
    K(AUDIT_ACTION_REVIEW_SCHEDULED), K(AUDIT_ACTION_CASE_HANDED_OVER), K(AUDIT_ACTION_TASK_READ),
    K(AUDIT_ACTION_INTAKE_RECEIVED), /* issue 15, intake */
    /* member nodes (node.c) */
    K(AUDIT_ACTION_NODE_CREATED), K(AUDIT_ACTION_NODE_CONTENT_READ),
    K(AUDIT_ACTION_NODE_CONTENT_DELETED), K(AUDIT_ACTION_NODE_CHECKPOINT_WITNESSED),
    K(AUDIT_ACTION_OUTSIDE_DISCLOSURE), /* issue 16 */
    K(AUDIT_ACTION_RETENTION_SCHEDULE_CHANGED), K(AUDIT_ACTION_RETENTION_APPLIED),
    K(AUDIT_ACTION_KEYS_PURGED), /* issue 16, retention */
    K(AUDIT_ACTION_PERSON_REPORT_PRODUCED), K(AUDIT_ACTION_CASE_RESOLVED), /* issue 16, person */
    K(AUDIT_ACTION_CASE_EVIDENCE_EXPORTED), K(AUDIT_ACTION_REPORT_ISSUED), /* issue 16: evidence */
    K(AUDIT_ACTION_PROVISION_REGISTER_PRODUCED), /* issue 16, register */
    K(AUDIT_ACTION_KEY_WRAPS_MIGRATED), /* issue 17, wraps */
    K(AUDIT_ACTION_BLIND_INDEX_REBUILT), /* issue 17, blind */
};

#define ENUM(d, t) { &(d), t, sizeof t / sizeof t[0] }

/* Each value of each enum (but 0, UNKNOWN) has its constant, with the same
 * value, and each constant names a value: the sets are equal. */
static void test_kit__constants_match_the_descriptors(void **state)
{
    static const struct {
        const ProtobufCEnumDescriptor *d;
        const constant *k;
        size_t n;
    } enums[] = {
        ENUM(council__v1__member_kind__descriptor, member_kind),
        ENUM(council__v1__case_body__descriptor, case_body),
        ENUM(council__v1__person_role__descriptor, person_role),
        ENUM(council__v1__case_status__descriptor, case_status),
        ENUM(council__v1__grantor_kind__descriptor, grantor_kind),
        ENUM(council__v1__consent_method__descriptor, consent_method),
        ENUM(council__v1__meeting_body__descriptor, meeting_body),
        ENUM(council__v1__referral_state__descriptor, referral_state),
        ENUM(council__v1__audit_action__descriptor, audit_action),
        ENUM(council__v1__task_state__descriptor, task_state),
    };
    size_t e, i, j, checked = 0;
    (void)state;

    for (e = 0; e < sizeof enums / sizeof enums[0]; e++) {
        const ProtobufCEnumDescriptor *d = enums[e].d;
        size_t nonzero = 0;

        for (i = 0; i < d->n_values; i++) {
            const ProtobufCEnumValue *v = &d->values[i];

            if (v->value == 0)
                continue;
            nonzero++;
            for (j = 0; j < enums[e].n; j++)
                if (strcmp(enums[e].k[j].name, v->name) == 0)
                    break;
            if (j == enums[e].n)
                fail_msg("%s: no COUNCIL_%s in council.h", d->name, v->name);
            if (enums[e].k[j].value != v->value)
                fail_msg("COUNCIL_%s is %d; %s says %d", v->name, enums[e].k[j].value, d->name,
                         v->value);
            checked++;
        }
        if (nonzero != enums[e].n)
            fail_msg("%s: %zu values, %zu constants", d->name, nonzero, enums[e].n);
    }
    assert_int_equal(checked, 104 /* issue 14: referral +12, meeting +4, request +5, transfer +2, task +9 */
                              + 1 /* issue 15, intake: intake_received */
                              + 4 /* issue 15, node: node_created, _content_read, _content_deleted, _checkpoint_witnessed */
                              + 1 /* issue 16: outside_disclosure */
                              + 1 /* issue 17, blind: blind_index_rebuilt */
                              + 3 /* issue 16, retention: schedule_changed, applied, keys_purged */
                              + 2 /* issue 16, person: person_report_produced, case_resolved */
                              + 2 /* issue 16, evidence: case_evidence_exported, report_issued */
                              + 1 /* issue 16, register: provision_register_produced */
                              + 1 /* issue 17, wraps: key_wraps_migrated */);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kit__uuid_round_trip),
        cmocka_unit_test(test_kit__uuid_parse_is_strict),
        cmocka_unit_test(test_kit__uuid_format_checks_sizes),
        cmocka_unit_test(test_kit__allocator_wipes_what_it_frees),
        cmocka_unit_test(test_kit__allocator_unpacks_and_wipes_a_section),
        cmocka_unit_test(test_kit__constants_match_the_descriptors),
    };
    return cmocka_run_group_tests_name("kit", tests, NULL, NULL);
}
