/* test_policy.c - the disclosure decision (libcouncil/decide.c).
 *
 * Pure function, so no store: every test builds consent views and a request
 * on the stack and asserts both the allow flag and the reason code of the
 * decision (EXPECT), plus that the reason is a well-formed code.
 */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "decide.h"

#define NOW INT64_C(1750000000)

/* Reason codes, short. */
#define OK_C  COUNCIL__WHY_CONSENT_COVERS
#define OK_L  COUNCIL__WHY_LEGAL_BASIS
#define PLAT  COUNCIL__WHY_PLATFORM
#define BNA   COUNCIL__WHY_BASIS_NOT_ACCEPTED
#define BNR   COUNCIL__WHY_BASIS_NOT_FOR_RECIPIENT
#define BOB   COUNCIL__WHY_BASIS_OUTSIDE_ITS_BODY
#define RR    COUNCIL__WHY_REASON_REQUIRED
#define SA    COUNCIL__WHY_SECOND_APPROVER

static const uint8_t MAIN[16] = {0xa1, 1};
static const uint8_t FAMILY[16] = {0xa2, 2};
static const uint8_t NEIGHBOUR[16] = {0xa3, 3};
static const uint8_t MEMBER_A[16] = {0xb1, 1};
static const uint8_t MEMBER_B[16] = {0xb2, 2};
static const uint8_t EXT_X[16] = {0xc1, 1};
static const uint8_t EXT_Y[16] = {0xc2, 2};

static const uint8_t MEMBERS_A[][16] = {{0xb1, 1}};
static const uint8_t MEMBERS_B[][16] = {{0xb2, 2}};
static const char *const SCOPES_SH[] = {"situation", "health"};
static const char *const SCOPES_S[] = {"situation"};
static const char *const SCOPES_H[] = {"health"};
static const int PURPOSES_CR[] = {COUNCIL__PURPOSE_SUPPORT_COORDINATION, COUNCIL__PURPOSE_REFERRAL};
static const int PURPOSES_C[] = {COUNCIL__PURPOSE_SUPPORT_COORDINATION};
static const int PURPOSES_R[] = {COUNCIL__PURPOSE_REFERRAL};
static const int PURPOSES_O[] = {COUNCIL__PURPOSE_OTHER};

static const uint8_t PERSONS_M[][16] = {{0xa1, 1}};
static const uint8_t PERSONS_MF[][16] = {{0xa1, 1}, {0xa2, 2}};

/* ------------------------------------------------------------- builders */

/* A record for `subject` covering situation + health, support coordination
 * and referral, member A and external party X, open-ended. */
static council__consent_view rec(uint8_t id, const uint8_t subject[16], int status, int64_t recorded)
{
    council__consent_view c;

    memset(&c, 0, sizeof c);
    c.id[0] = id;
    c.id[15] = 0x77;
    memcpy(c.subject_person, subject, 16);
    c.status = status;
    c.recorded = recorded;
    c.recipient_members = MEMBERS_A;
    c.n_recipient_members = 1;
    c.external_party = true;
    memcpy(c.external_id, EXT_X, 16);
    c.scopes = SCOPES_SH;
    c.n_scopes = 2;
    c.purposes = PURPOSES_CR;
    c.n_purposes = 2;
    return c;
}

/* A blanket refusal (every list empty) by `subject`. */
static council__consent_view refusal(uint8_t id, const uint8_t subject[16], int64_t recorded)
{
    council__consent_view c;

    memset(&c, 0, sizeof c);
    c.id[0] = id;
    c.id[15] = 0x77;
    memcpy(c.subject_person, subject, 16);
    c.status = COUNCIL__CONSENT_REFUSED;
    c.recorded = recorded;
    return c;
}

/* Situation to member A for support coordination, MAIN's data, basis consent. */
static council__decision_request request(const council__consent_view *consents, size_t n)
{
    council__decision_request r;

    memset(&r, 0, sizeof r);
    r.recipient_kind = COUNCIL__RECIPIENT_MEMBER;
    memcpy(r.recipient, MEMBER_A, 16);
    r.scopes = SCOPES_S;
    r.n_scopes = 1;
    r.persons = PERSONS_M;
    r.n_persons = 1;
    r.purpose = COUNCIL__PURPOSE_SUPPORT_COORDINATION;
    r.now = NOW;
    r.basis = COUNCIL__BASIS_CONSENT;
    r.consents = consents;
    r.n_consents = n;
    return r;
}

static void to(council__decision_request *r, int kind, const uint8_t id[16])
{
    r->recipient_kind = kind;
    memcpy(r->recipient, id, 16);
}

static council__policy_config defaults(void)
{
    council__policy_config cfg;

    council__policy_defaults(&cfg);
    return cfg;
}

/* ------------------------------------------------------------- asserting */

static bool reason_ok(const char *s)
{
    size_t n = strlen(s);

    if (n < 1 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

static void expect_(const council__policy_config *cfg, const council__decision_request *r, bool allow,
                    const char *reason, const char *where, int line)
{
    council__decision d = {!allow, "not_written"};

    council__policy_decide(&d, cfg, r);
    assert_non_null(d.reason);
    assert_true(reason_ok(d.reason));
    if (d.allow != allow || strcmp(d.reason, reason) != 0) {
        print_error("line %d%s%s: expected %s %s, got %s %s\n", line, where[0] ? " " : "", where,
                    allow ? "allow" : "refuse", reason, d.allow ? "allow" : "refuse", d.reason);
        fail();
    }
}

#define EXPECT(cfg, r, allow, reason) expect_((cfg), (r), (allow), (reason), "", __LINE__)
#define ALLOW(cfg, r, reason) EXPECT(cfg, r, true, reason)
#define REFUSE(cfg, r, reason) EXPECT(cfg, r, false, reason)

/* ------------------------------------------------------------- code lists */

static void test_policy__basis_codes_round_trip(void **state)
{
    static const char *const codes[] = {"consent", "appi_27_1_1_law", "appi_27_1_2_vital",
                                        "appi_27_1_3_public_health_child", "appi_27_1_4_public_duty",
                                        "council_art16_exchange", "swa_106_6_support_meeting",
                                        "ncsa_9_support_meeting"};
    (void)state;
    for (int b = 1; b <= 8; b++) {
        assert_string_equal(council__basis_code(b), codes[b - 1]);
        assert_int_equal(council__basis_parse(codes[b - 1]), b);
        assert_int_equal(council__basis_parse(council__basis_code(b)), b);
    }
    assert_int_equal(COUNCIL__BASIS_CONSENT, 1);
    assert_int_equal(COUNCIL__BASIS_ART16, 6);
    assert_int_equal(COUNCIL__BASIS_SWA_106_6, 7);
    assert_int_equal(COUNCIL__BASIS_NCSA_9, 8);
    assert_int_equal(COUNCIL__BASIS_LIMIT, COUNCIL__BASIS_NCSA_9 + 1);
}

static void test_policy__basis_unknown_codes(void **state)
{
    static const char *const bad[] = {"", "Consent", "CONSENT", "consent ", " consent", "consen",
                                      "consentx", "appi_27_1_5", "appi_27_1_1", "council_art16",
                                      "appi_27_1_2_vital\n", "platform", "0", "1"};
    (void)state;
    assert_int_equal(council__basis_parse(NULL), 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(council__basis_parse(bad[i]), 0);
    assert_null(council__basis_code(0));
    assert_null(council__basis_code(-1));
    assert_null(council__basis_code(9));
    assert_null(council__basis_code(1000));
    assert_int_equal(council__basis_parse("swa_106_6"), 0);
    assert_int_equal(council__basis_parse("ncsa_9"), 0);
}

static void test_policy__purpose_and_status_codes(void **state)
{
    static const char *const purposes[] = {"support_coordination", "referral", "joint_support",
                                           "meeting_discussion", "statistics", "other"};
    static const char *const statuses[] = {"active", "withdrawn", "expired", "refused"};
    (void)state;
    for (int p = 1; p <= 6; p++) {
        assert_string_equal(council__purpose_code(p), purposes[p - 1]);
        assert_int_equal(council__purpose_parse(purposes[p - 1]), p);
    }
    for (int s = 1; s <= 4; s++) {
        assert_string_equal(council__consent_status_code(s), statuses[s - 1]);
        assert_int_equal(council__consent_status_parse(statuses[s - 1]), s);
    }
    assert_int_equal(council__purpose_parse(NULL), 0);
    assert_int_equal(council__purpose_parse("Referral"), 0);
    assert_int_equal(council__purpose_parse("consent"), 0);
    assert_int_equal(council__consent_status_parse(""), 0);
    assert_int_equal(council__consent_status_parse("revoked"), 0);
    assert_null(council__purpose_code(0));
    assert_null(council__purpose_code(7));
    assert_null(council__consent_status_code(0));
    assert_null(council__consent_status_code(5));
}

static void test_policy__safe_defaults(void **state)
{
    council__policy_config cfg;

    (void)state;
    memset(&cfg, 0xff, sizeof cfg);
    council__policy_defaults(&cfg);
    assert_false(cfg.accept[0]);
    assert_true(cfg.accept[COUNCIL__BASIS_CONSENT]);
    assert_true(cfg.accept[COUNCIL__BASIS_LAW]);
    assert_true(cfg.accept[COUNCIL__BASIS_VITAL]);
    assert_true(cfg.accept[COUNCIL__BASIS_PUBLIC_HEALTH_CHILD]);
    assert_true(cfg.accept[COUNCIL__BASIS_PUBLIC_DUTY]);
    assert_false(cfg.accept[COUNCIL__BASIS_ART16]);
    assert_false(cfg.accept[COUNCIL__BASIS_SWA_106_6]);
    assert_false(cfg.accept[COUNCIL__BASIS_NCSA_9]);
    assert_false(cfg.cross_body_use);
    assert_true(cfg.vital_second_approver);
    council__policy_defaults(NULL); /* no crash */
}

static void test_policy__reason_codes_well_formed(void **state)
{
    static const char *const all[] = {
        COUNCIL__WHY_CONSENT_COVERS, COUNCIL__WHY_LEGAL_BASIS, COUNCIL__WHY_INVALID_REQUEST,
        COUNCIL__WHY_UNKNOWN_RECIPIENT_KIND, COUNCIL__WHY_PLATFORM, COUNCIL__WHY_UNKNOWN_BASIS,
        COUNCIL__WHY_UNKNOWN_PURPOSE, COUNCIL__WHY_PURPOSE_TEXT_REQUIRED, COUNCIL__WHY_NO_SCOPES,
        COUNCIL__WHY_NO_PERSONS, COUNCIL__WHY_BASIS_NOT_ACCEPTED, COUNCIL__WHY_BASIS_NOT_FOR_RECIPIENT,
        COUNCIL__WHY_BASIS_OUTSIDE_ITS_BODY,
        COUNCIL__WHY_REASON_REQUIRED, COUNCIL__WHY_SECOND_APPROVER, COUNCIL__WHY_NO_CONSENT_FOR_PERSON,
        COUNCIL__WHY_CONSENT_REFUSED, COUNCIL__WHY_SCOPE_NOT_COVERED, COUNCIL__WHY_PURPOSE_NOT_COVERED,
        COUNCIL__WHY_RECIPIENT_NOT_COVERED, COUNCIL__WHY_CONSENT_WITHDRAWN, COUNCIL__WHY_CONSENT_EXPIRED,
        COUNCIL__WHY_CONSENT_STATUS_UNKNOWN, COUNCIL__WHY_CONSENT_NOT_YET_VALID,
        COUNCIL__WHY_CONSENT_NOT_FOUND, COUNCIL__WHY_CONSENT_NOT_COVERING};
    size_t n = sizeof all / sizeof all[0];

    (void)state;
    for (size_t i = 0; i < n; i++) {
        assert_true(reason_ok(all[i]));
        for (size_t j = i + 1; j < n; j++)
            assert_string_not_equal(all[i], all[j]);
    }
}

/* ------------------------------------------------------------- the decision table */

enum { CFG_DEFAULT, CFG_OPEN, CFG_CLOSED };

/* Expected reasons for the four flag combinations, indexed by
 * has_reason | has_second_approver << 1: none, reason, second, both. */
typedef struct row {
    int cfg, basis, kind;
    const char *why[4];
} row;

#define R4(a) {a, a, a, a}
#define R_NEEDS_REASON {RR, OK_L, RR, OK_L}
#define R_NEEDS_BOTH {RR, SA, RR, OK_L}

static const row table[] = {
    /* Defaults: consent; four APPI exceptions with a reason; vital also a
     * second approver; art16 off. The platform: never. */
    {CFG_DEFAULT, COUNCIL__BASIS_CONSENT, COUNCIL__RECIPIENT_MEMBER, R4(OK_C)},
    {CFG_DEFAULT, COUNCIL__BASIS_CONSENT, COUNCIL__RECIPIENT_EXTERNAL, R4(OK_C)},
    {CFG_DEFAULT, COUNCIL__BASIS_CONSENT, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_DEFAULT, COUNCIL__BASIS_LAW, COUNCIL__RECIPIENT_MEMBER, R_NEEDS_REASON},
    {CFG_DEFAULT, COUNCIL__BASIS_LAW, COUNCIL__RECIPIENT_EXTERNAL, R_NEEDS_REASON},
    {CFG_DEFAULT, COUNCIL__BASIS_LAW, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_DEFAULT, COUNCIL__BASIS_VITAL, COUNCIL__RECIPIENT_MEMBER, R_NEEDS_BOTH},
    {CFG_DEFAULT, COUNCIL__BASIS_VITAL, COUNCIL__RECIPIENT_EXTERNAL, R_NEEDS_BOTH},
    {CFG_DEFAULT, COUNCIL__BASIS_VITAL, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_DEFAULT, COUNCIL__BASIS_PUBLIC_HEALTH_CHILD, COUNCIL__RECIPIENT_MEMBER, R_NEEDS_REASON},
    {CFG_DEFAULT, COUNCIL__BASIS_PUBLIC_HEALTH_CHILD, COUNCIL__RECIPIENT_EXTERNAL, R_NEEDS_REASON},
    {CFG_DEFAULT, COUNCIL__BASIS_PUBLIC_HEALTH_CHILD, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_DEFAULT, COUNCIL__BASIS_PUBLIC_DUTY, COUNCIL__RECIPIENT_MEMBER, R_NEEDS_REASON},
    {CFG_DEFAULT, COUNCIL__BASIS_PUBLIC_DUTY, COUNCIL__RECIPIENT_EXTERNAL, R_NEEDS_REASON},
    {CFG_DEFAULT, COUNCIL__BASIS_PUBLIC_DUTY, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_DEFAULT, COUNCIL__BASIS_ART16, COUNCIL__RECIPIENT_MEMBER, R4(BNA)},
    {CFG_DEFAULT, COUNCIL__BASIS_ART16, COUNCIL__RECIPIENT_EXTERNAL, R4(BNA)},
    {CFG_DEFAULT, COUNCIL__BASIS_ART16, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    /* The support meetings' bases: off until configured. */
    {CFG_DEFAULT, COUNCIL__BASIS_SWA_106_6, COUNCIL__RECIPIENT_MEMBER, R4(BNA)},
    {CFG_DEFAULT, COUNCIL__BASIS_SWA_106_6, COUNCIL__RECIPIENT_EXTERNAL, R4(BNA)},
    {CFG_DEFAULT, COUNCIL__BASIS_SWA_106_6, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_DEFAULT, COUNCIL__BASIS_NCSA_9, COUNCIL__RECIPIENT_MEMBER, R4(BNA)},
    {CFG_DEFAULT, COUNCIL__BASIS_NCSA_9, COUNCIL__RECIPIENT_EXTERNAL, R4(BNA)},
    {CFG_DEFAULT, COUNCIL__BASIS_NCSA_9, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    /* Open: art16 turned on, vital without a second approver. art16 stays
     * inside the council. */
    {CFG_OPEN, COUNCIL__BASIS_CONSENT, COUNCIL__RECIPIENT_MEMBER, R4(OK_C)},
    {CFG_OPEN, COUNCIL__BASIS_CONSENT, COUNCIL__RECIPIENT_EXTERNAL, R4(OK_C)},
    {CFG_OPEN, COUNCIL__BASIS_CONSENT, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_OPEN, COUNCIL__BASIS_LAW, COUNCIL__RECIPIENT_MEMBER, R_NEEDS_REASON},
    {CFG_OPEN, COUNCIL__BASIS_LAW, COUNCIL__RECIPIENT_EXTERNAL, R_NEEDS_REASON},
    {CFG_OPEN, COUNCIL__BASIS_LAW, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_OPEN, COUNCIL__BASIS_VITAL, COUNCIL__RECIPIENT_MEMBER, R_NEEDS_REASON},
    {CFG_OPEN, COUNCIL__BASIS_VITAL, COUNCIL__RECIPIENT_EXTERNAL, R_NEEDS_REASON},
    {CFG_OPEN, COUNCIL__BASIS_VITAL, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_OPEN, COUNCIL__BASIS_PUBLIC_HEALTH_CHILD, COUNCIL__RECIPIENT_MEMBER, R_NEEDS_REASON},
    {CFG_OPEN, COUNCIL__BASIS_PUBLIC_HEALTH_CHILD, COUNCIL__RECIPIENT_EXTERNAL, R_NEEDS_REASON},
    {CFG_OPEN, COUNCIL__BASIS_PUBLIC_HEALTH_CHILD, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_OPEN, COUNCIL__BASIS_PUBLIC_DUTY, COUNCIL__RECIPIENT_MEMBER, R_NEEDS_REASON},
    {CFG_OPEN, COUNCIL__BASIS_PUBLIC_DUTY, COUNCIL__RECIPIENT_EXTERNAL, R_NEEDS_REASON},
    {CFG_OPEN, COUNCIL__BASIS_PUBLIC_DUTY, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_OPEN, COUNCIL__BASIS_ART16, COUNCIL__RECIPIENT_MEMBER, R_NEEDS_REASON},
    {CFG_OPEN, COUNCIL__BASIS_ART16, COUNCIL__RECIPIENT_EXTERNAL, R4(BNR)},
    {CFG_OPEN, COUNCIL__BASIS_ART16, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    /* Turned on, but the table's requests are plain shares (no body's
     * meeting): outside the body, whatever the reason; never external. */
    {CFG_OPEN, COUNCIL__BASIS_SWA_106_6, COUNCIL__RECIPIENT_MEMBER, R4(BOB)},
    {CFG_OPEN, COUNCIL__BASIS_SWA_106_6, COUNCIL__RECIPIENT_EXTERNAL, R4(BNR)},
    {CFG_OPEN, COUNCIL__BASIS_SWA_106_6, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_OPEN, COUNCIL__BASIS_NCSA_9, COUNCIL__RECIPIENT_MEMBER, R4(BOB)},
    {CFG_OPEN, COUNCIL__BASIS_NCSA_9, COUNCIL__RECIPIENT_EXTERNAL, R4(BNR)},
    {CFG_OPEN, COUNCIL__BASIS_NCSA_9, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    /* Closed: nothing accepted. Still the platform refusal comes first. */
    {CFG_CLOSED, COUNCIL__BASIS_CONSENT, COUNCIL__RECIPIENT_MEMBER, R4(BNA)},
    {CFG_CLOSED, COUNCIL__BASIS_CONSENT, COUNCIL__RECIPIENT_EXTERNAL, R4(BNA)},
    {CFG_CLOSED, COUNCIL__BASIS_CONSENT, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_CLOSED, COUNCIL__BASIS_LAW, COUNCIL__RECIPIENT_MEMBER, R4(BNA)},
    {CFG_CLOSED, COUNCIL__BASIS_LAW, COUNCIL__RECIPIENT_EXTERNAL, R4(BNA)},
    {CFG_CLOSED, COUNCIL__BASIS_LAW, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_CLOSED, COUNCIL__BASIS_VITAL, COUNCIL__RECIPIENT_MEMBER, R4(BNA)},
    {CFG_CLOSED, COUNCIL__BASIS_VITAL, COUNCIL__RECIPIENT_EXTERNAL, R4(BNA)},
    {CFG_CLOSED, COUNCIL__BASIS_VITAL, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_CLOSED, COUNCIL__BASIS_PUBLIC_HEALTH_CHILD, COUNCIL__RECIPIENT_MEMBER, R4(BNA)},
    {CFG_CLOSED, COUNCIL__BASIS_PUBLIC_HEALTH_CHILD, COUNCIL__RECIPIENT_EXTERNAL, R4(BNA)},
    {CFG_CLOSED, COUNCIL__BASIS_PUBLIC_HEALTH_CHILD, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_CLOSED, COUNCIL__BASIS_PUBLIC_DUTY, COUNCIL__RECIPIENT_MEMBER, R4(BNA)},
    {CFG_CLOSED, COUNCIL__BASIS_PUBLIC_DUTY, COUNCIL__RECIPIENT_EXTERNAL, R4(BNA)},
    {CFG_CLOSED, COUNCIL__BASIS_PUBLIC_DUTY, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_CLOSED, COUNCIL__BASIS_ART16, COUNCIL__RECIPIENT_MEMBER, R4(BNA)},
    {CFG_CLOSED, COUNCIL__BASIS_ART16, COUNCIL__RECIPIENT_EXTERNAL, R4(BNA)},
    {CFG_CLOSED, COUNCIL__BASIS_ART16, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_CLOSED, COUNCIL__BASIS_SWA_106_6, COUNCIL__RECIPIENT_MEMBER, R4(BNA)},
    {CFG_CLOSED, COUNCIL__BASIS_SWA_106_6, COUNCIL__RECIPIENT_EXTERNAL, R4(BNA)},
    {CFG_CLOSED, COUNCIL__BASIS_SWA_106_6, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
    {CFG_CLOSED, COUNCIL__BASIS_NCSA_9, COUNCIL__RECIPIENT_MEMBER, R4(BNA)},
    {CFG_CLOSED, COUNCIL__BASIS_NCSA_9, COUNCIL__RECIPIENT_EXTERNAL, R4(BNA)},
    {CFG_CLOSED, COUNCIL__BASIS_NCSA_9, COUNCIL__RECIPIENT_PLATFORM, R4(PLAT)},
};

static void test_policy__decision_table(void **state)
{
    static const char *const cfg_names[] = {"default", "open", "closed"};
    static const char *const kind_names[] = {"", "member", "external", "platform"};
    council__policy_config cfgs[3];
    council__consent_view c = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    bool seen[3][COUNCIL__BASIS_LIMIT][4] = {{{false}}};
    size_t decisions = 0;

    (void)state;
    cfgs[CFG_DEFAULT] = defaults();
    cfgs[CFG_OPEN] = defaults();
    cfgs[CFG_OPEN].accept[COUNCIL__BASIS_ART16] = true;
    cfgs[CFG_OPEN].accept[COUNCIL__BASIS_SWA_106_6] = true;
    cfgs[CFG_OPEN].accept[COUNCIL__BASIS_NCSA_9] = true;
    cfgs[CFG_OPEN].vital_second_approver = false;
    memset(&cfgs[CFG_CLOSED], 0, sizeof cfgs[CFG_CLOSED]);
    cfgs[CFG_CLOSED].vital_second_approver = true;

    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        const row *t = &table[i];

        seen[t->cfg][t->basis][t->kind] = true;
        for (unsigned flags = 0; flags < 4; flags++) {
            council__decision_request r = request(&c, 1);
            char where[128];
            const char *why = t->why[flags];
            bool allow = strcmp(why, OK_C) == 0 || strcmp(why, OK_L) == 0;

            r.basis = t->basis;
            to(&r, t->kind, t->kind == COUNCIL__RECIPIENT_EXTERNAL ? EXT_X : MEMBER_A);
            r.scopes = SCOPES_SH;
            r.n_scopes = 2;
            r.has_reason = (flags & 1u) != 0;
            r.has_second_approver = (flags & 2u) != 0;
            snprintf(where, sizeof where, "[cfg %s, %s, %s, reason %d, second %d]", cfg_names[t->cfg],
                     council__basis_code(t->basis), kind_names[t->kind], r.has_reason,
                     r.has_second_approver);
            expect_(&cfgs[t->cfg], &r, allow, why, where, __LINE__);
            decisions++;
        }
    }
    /* Every basis against every recipient kind under every configuration. */
    for (int k = 0; k < 3; k++)
        for (int b = 1; b < COUNCIL__BASIS_LIMIT; b++)
            for (int kind = 1; kind <= 3; kind++)
                assert_true(seen[k][b][kind]);
    assert_int_equal(decisions, 3 * 8 * 3 * 4);
}

/* Turning one exception off refuses only that one. */
static void test_policy__config_switches_one_basis(void **state)
{
    council__consent_view c = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);

    (void)state;
    for (int off = 1; off < COUNCIL__BASIS_LIMIT; off++) {
        council__policy_config cfg = defaults();

        cfg.accept[COUNCIL__BASIS_ART16] = true;
        cfg.accept[COUNCIL__BASIS_SWA_106_6] = true;
        cfg.accept[COUNCIL__BASIS_NCSA_9] = true;
        cfg.accept[off] = false;
        for (int b = 1; b < COUNCIL__BASIS_LIMIT; b++) {
            council__decision_request r = request(&c, 1);

            r.basis = b;
            /* The support meetings' bases: at their own body's meeting. */
            if (b == COUNCIL__BASIS_SWA_106_6 || b == COUNCIL__BASIS_NCSA_9) {
                r.purpose = COUNCIL__PURPOSE_MEETING_DISCUSSION;
                r.body = b == COUNCIL__BASIS_SWA_106_6 ? COUNCIL__BODY_SUPPORT_MEETING
                                                       : COUNCIL__BODY_NEEDS_OF_POOR_MEETING;
            }
            r.has_reason = true;
            r.has_second_approver = true;
            if (b == off)
                REFUSE(&cfg, &r, BNA);
            else
                ALLOW(&cfg, &r, b == COUNCIL__BASIS_CONSENT ? OK_C : OK_L);
        }
    }
}

/* The support meetings' bases (社会福祉法第106条の6, 生活困窮者自立支援法
 * 第9条): sharing within that body's meeting, among its members, for its
 * discussion; refused anywhere else, even when the council accepts them. */
static void test_policy__support_meeting_bases(void **state)
{
    council__policy_config cfg = defaults();
    council__consent_view c = refusal(1, MAIN, 100);
    council__decision_request r = request(&c, 1);
    static const struct {
        int basis, own, other;
    } b[] = {
        {COUNCIL__BASIS_SWA_106_6, COUNCIL__BODY_SUPPORT_MEETING, COUNCIL__BODY_NEEDS_OF_POOR_MEETING},
        {COUNCIL__BASIS_NCSA_9, COUNCIL__BODY_NEEDS_OF_POOR_MEETING, COUNCIL__BODY_SUPPORT_MEETING},
    };

    (void)state;
    for (size_t i = 0; i < 2; i++) {
        cfg = defaults();
        r = request(&c, 1);
        r.basis = b[i].basis;
        r.has_reason = true;
        r.purpose = COUNCIL__PURPOSE_MEETING_DISCUSSION;
        r.body = b[i].own;
        /* Accepted only when configured. */
        REFUSE(&cfg, &r, BNA);
        cfg.accept[b[i].basis] = true;
        /* At its own body's meeting: allowed, with a written reason, even
         * against the person's refusal (the support meeting exists for
         * those who cannot be asked or do not consent). */
        ALLOW(&cfg, &r, OK_L);
        r.has_reason = false;
        REFUSE(&cfg, &r, RR);
        r.has_reason = true;
        /* Outside that body: a plain share, the council's meeting, the
         * other support meeting, or another purpose. */
        r.body = COUNCIL__BODY_NONE;
        REFUSE(&cfg, &r, BOB);
        r.body = COUNCIL__BODY_COUNCIL;
        REFUSE(&cfg, &r, BOB);
        r.body = b[i].other;
        REFUSE(&cfg, &r, BOB);
        r.body = b[i].own;
        r.purpose = COUNCIL__PURPOSE_REFERRAL;
        REFUSE(&cfg, &r, BOB);
        r.purpose = COUNCIL__PURPOSE_MEETING_DISCUSSION;
        /* Among the meeting's members only: never a third party. */
        to(&r, COUNCIL__RECIPIENT_EXTERNAL, EXT_X);
        REFUSE(&cfg, &r, BNR);
        to(&r, COUNCIL__RECIPIENT_PLATFORM, EXT_X);
        REFUSE(&cfg, &r, PLAT);
    }
    /* The other bases do not look at the body. */
    cfg = defaults();
    r = request(&c, 1);
    r.basis = COUNCIL__BASIS_PUBLIC_DUTY;
    r.has_reason = true;
    r.body = COUNCIL__BODY_SUPPORT_MEETING;
    ALLOW(&cfg, &r, OK_L);
}

/* The platform is refused whatever else is true or wrong. */
static void test_policy__platform_never(void **state)
{
    council__policy_config cfg = defaults();
    council__consent_view c = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    council__decision_request r = request(&c, 1);

    (void)state;
    for (int i = 0; i < COUNCIL__BASIS_LIMIT; i++)
        cfg.accept[i] = true;
    cfg.vital_second_approver = false;
    to(&r, COUNCIL__RECIPIENT_PLATFORM, MEMBER_A);
    r.has_reason = true;
    r.has_second_approver = true;
    /* Even a consent record naming the platform's id as a member. */
    for (int b = -1; b <= 8; b++) {
        r.basis = b;
        REFUSE(&cfg, &r, PLAT);
    }
    r.basis = COUNCIL__BASIS_CONSENT;
    r.purpose = COUNCIL__PURPOSE_STATISTICS;
    REFUSE(&cfg, &r, PLAT);
    r.n_scopes = 0;
    r.n_persons = 0;
    REFUSE(&cfg, &r, PLAT);
}

/* ------------------------------------------------------------- consent status */

static void test_policy__consent_status(void **state)
{
    council__policy_config cfg = defaults();
    council__consent_view c[2];
    council__decision_request r;

    (void)state;
    c[0] = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    r = request(c, 1);
    ALLOW(&cfg, &r, OK_C);

    c[0].status = COUNCIL__CONSENT_WITHDRAWN;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_WITHDRAWN);
    c[0].status = COUNCIL__CONSENT_EXPIRED;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_EXPIRED);
    c[0].status = 0;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_STATUS_UNKNOWN);
    c[0].status = 9;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_STATUS_UNKNOWN);

    /* A refusal alone: "does not consent". */
    c[0] = refusal(1, MAIN, 100);
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_REFUSED);

    /* No record at all. */
    r = request(NULL, 0);
    REFUSE(&cfg, &r, COUNCIL__WHY_NO_CONSENT_FOR_PERSON);

    /* A withdrawn record and an active one: the active one covers. */
    c[0] = rec(1, MAIN, COUNCIL__CONSENT_WITHDRAWN, 100);
    c[1] = rec(2, MAIN, COUNCIL__CONSENT_ACTIVE, 50);
    r = request(c, 2);
    ALLOW(&cfg, &r, OK_C);

    /* The withdrawn record that named the scope explains better than an
     * active record for another scope. */
    c[1].scopes = SCOPES_H;
    c[1].n_scopes = 1;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_WITHDRAWN);
}

/* ------------------------------------------------------------- refusals */

static void test_policy__refusal_after_consent_overrides(void **state)
{
    council__policy_config cfg = defaults();
    council__consent_view c[2];
    council__decision_request r;

    (void)state;
    c[0] = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    c[1] = refusal(2, MAIN, 200);
    r = request(c, 2);
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_REFUSED);
    /* Same instant: the refusal wins. */
    c[1].recorded = 100;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_REFUSED);
    /* Order in the ledger array does not matter. */
    c[0] = refusal(2, MAIN, 200);
    c[1] = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_REFUSED);
}

static void test_policy__consent_after_refusal_counts(void **state)
{
    council__policy_config cfg = defaults();
    council__consent_view c[2];
    council__decision_request r;

    (void)state;
    c[0] = refusal(1, MAIN, 100);
    c[1] = rec(2, MAIN, COUNCIL__CONSENT_ACTIVE, 101);
    r = request(c, 2);
    ALLOW(&cfg, &r, OK_C);
    /* ... but only for what the later consent covers. */
    r.scopes = SCOPES_SH;
    r.n_scopes = 2;
    ALLOW(&cfg, &r, OK_C);
    c[1].scopes = SCOPES_S;
    c[1].n_scopes = 1;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_REFUSED);
}

/* A refusal overrides only what it covers: scope, purpose, recipient, time,
 * person. */
static void test_policy__refusal_covers_only_what_it_names(void **state)
{
    council__policy_config cfg = defaults();
    council__consent_view c[2];
    council__decision_request r;

    (void)state;
    c[0] = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    c[1] = refusal(2, MAIN, 200);
    r = request(c, 2);

    /* "Not health": situation still flows, situation + health does not. */
    c[1].scopes = SCOPES_H;
    c[1].n_scopes = 1;
    ALLOW(&cfg, &r, OK_C);
    r.scopes = SCOPES_SH;
    r.n_scopes = 2;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_REFUSED);

    /* "Not to member B": member A still receives. */
    c[1] = refusal(2, MAIN, 200);
    c[1].recipient_members = MEMBERS_B;
    c[1].n_recipient_members = 1;
    ALLOW(&cfg, &r, OK_C);
    /* "Not to external party X": member A still receives, X does not. */
    c[1] = refusal(2, MAIN, 200);
    c[1].external_party = true;
    memcpy(c[1].external_id, EXT_X, 16);
    ALLOW(&cfg, &r, OK_C);
    to(&r, COUNCIL__RECIPIENT_EXTERNAL, EXT_X);
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_REFUSED);
    to(&r, COUNCIL__RECIPIENT_MEMBER, MEMBER_A);

    /* "Not for referral": support coordination still flows. */
    c[1] = refusal(2, MAIN, 200);
    c[1].purposes = PURPOSES_R;
    c[1].n_purposes = 1;
    ALLOW(&cfg, &r, OK_C);
    r.purpose = COUNCIL__PURPOSE_REFERRAL;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_REFUSED);
    r.purpose = COUNCIL__PURPOSE_SUPPORT_COORDINATION;

    /* A refusal whose window has closed is no longer in force ... */
    c[1] = refusal(2, MAIN, 200);
    c[1].valid_until = NOW;
    ALLOW(&cfg, &r, OK_C);
    /* ... one whose window has not opened is not yet. */
    c[1].valid_until = 0;
    c[1].valid_from = NOW + 1;
    ALLOW(&cfg, &r, OK_C);
    c[1].valid_from = NOW;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_REFUSED);

    /* The family member's refusal does not touch the main person's data. */
    c[1] = refusal(2, FAMILY, 200);
    ALLOW(&cfg, &r, OK_C);
}

/* Refusals and the exceptions: APPI 27(1) overrides, art16 does not. */
static void test_policy__refusal_and_exceptions(void **state)
{
    council__policy_config cfg = defaults();
    council__consent_view c[2];
    council__decision_request r;

    (void)state;
    cfg.accept[COUNCIL__BASIS_ART16] = true;
    c[0] = refusal(1, MAIN, 100);
    r = request(c, 1);
    r.has_reason = true;
    r.has_second_approver = true;
    for (int b = COUNCIL__BASIS_LAW; b <= COUNCIL__BASIS_PUBLIC_DUTY; b++) {
        r.basis = b;
        ALLOW(&cfg, &r, OK_L);
    }
    r.basis = COUNCIL__BASIS_ART16;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_REFUSED);
    /* The refusal names health only: art16 exchange of situation goes. */
    c[0].scopes = SCOPES_H;
    c[0].n_scopes = 1;
    ALLOW(&cfg, &r, OK_L);
    /* A family member's refusal stops art16 when their data is in it. */
    c[0] = refusal(1, FAMILY, 100);
    ALLOW(&cfg, &r, OK_L);
    r.persons = PERSONS_MF;
    r.n_persons = 2;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_REFUSED);
    /* A consent given after the refusal lifts it for art16 too. */
    c[1] = rec(2, FAMILY, COUNCIL__CONSENT_ACTIVE, 150);
    r.n_consents = 2;
    ALLOW(&cfg, &r, OK_L);
    /* No ledger records at all: art16 needs none. */
    r.n_consents = 0;
    r.consents = NULL;
    ALLOW(&cfg, &r, OK_L);
}

/* ------------------------------------------------------------- coverage */

static void test_policy__partial_scope_coverage(void **state)
{
    council__policy_config cfg = defaults();
    council__consent_view c[2];
    council__decision_request r;

    (void)state;
    /* Consent covers situation but not health. */
    c[0] = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    c[0].scopes = SCOPES_S;
    c[0].n_scopes = 1;
    r = request(c, 1);
    ALLOW(&cfg, &r, OK_C);
    r.scopes = SCOPES_SH;
    r.n_scopes = 2;
    REFUSE(&cfg, &r, COUNCIL__WHY_SCOPE_NOT_COVERED);
    r.scopes = SCOPES_H;
    r.n_scopes = 1;
    REFUSE(&cfg, &r, COUNCIL__WHY_SCOPE_NOT_COVERED);
    /* Two records together cover both scopes. */
    c[1] = rec(2, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    c[1].scopes = SCOPES_H;
    c[1].n_scopes = 1;
    r = request(c, 2);
    r.scopes = SCOPES_SH;
    r.n_scopes = 2;
    ALLOW(&cfg, &r, OK_C);
    /* A record listing no scope covers none. */
    c[0].n_scopes = 0;
    c[0].scopes = NULL;
    REFUSE(&cfg, &r, COUNCIL__WHY_SCOPE_NOT_COVERED);
}

static void test_policy__purpose_not_covered(void **state)
{
    council__policy_config cfg = defaults();
    council__consent_view c = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    council__decision_request r = request(&c, 1);

    (void)state;
    c.purposes = PURPOSES_C;
    c.n_purposes = 1;
    ALLOW(&cfg, &r, OK_C);
    r.purpose = COUNCIL__PURPOSE_REFERRAL;
    REFUSE(&cfg, &r, COUNCIL__WHY_PURPOSE_NOT_COVERED);
    r.purpose = COUNCIL__PURPOSE_STATISTICS;
    REFUSE(&cfg, &r, COUNCIL__WHY_PURPOSE_NOT_COVERED);
    c.n_purposes = 0;
    c.purposes = NULL;
    r.purpose = COUNCIL__PURPOSE_SUPPORT_COORDINATION;
    REFUSE(&cfg, &r, COUNCIL__WHY_PURPOSE_NOT_COVERED);
}

/* "Other" names its purpose in words; consent for one other is not for another. */
static void test_policy__purpose_other_needs_text(void **state)
{
    council__policy_config cfg = defaults();
    council__consent_view c[2];
    council__decision_request r;

    (void)state;
    c[0] = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    c[0].purposes = PURPOSES_O;
    c[0].n_purposes = 1;
    c[0].purpose_text = "居場所づくり";
    r = request(c, 1);
    r.purpose = COUNCIL__PURPOSE_OTHER;
    REFUSE(&cfg, &r, COUNCIL__WHY_PURPOSE_TEXT_REQUIRED);
    r.purpose_text = "";
    REFUSE(&cfg, &r, COUNCIL__WHY_PURPOSE_TEXT_REQUIRED);
    r.purpose_text = "就労支援";
    REFUSE(&cfg, &r, COUNCIL__WHY_PURPOSE_NOT_COVERED);
    r.purpose_text = "居場所づくり";
    ALLOW(&cfg, &r, OK_C);
    c[0].purpose_text = NULL;
    REFUSE(&cfg, &r, COUNCIL__WHY_PURPOSE_NOT_COVERED);
    /* Exceptions need the text too. */
    r.basis = COUNCIL__BASIS_LAW;
    r.has_reason = true;
    r.purpose_text = NULL;
    REFUSE(&cfg, &r, COUNCIL__WHY_PURPOSE_TEXT_REQUIRED);
    /* A refusal of "other" refuses every other purpose, whatever its text. */
    c[0].purpose_text = "居場所づくり";
    c[1] = refusal(2, MAIN, 200);
    c[1].purposes = PURPOSES_O;
    c[1].n_purposes = 1;
    c[1].purpose_text = "就労支援";
    r = request(c, 2);
    r.purpose = COUNCIL__PURPOSE_OTHER;
    r.purpose_text = "居場所づくり";
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_REFUSED);
}

static void test_policy__recipient_not_covered(void **state)
{
    council__policy_config cfg = defaults();
    council__consent_view c = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    council__decision_request r = request(&c, 1);

    (void)state;
    ALLOW(&cfg, &r, OK_C);
    to(&r, COUNCIL__RECIPIENT_MEMBER, MEMBER_B);
    REFUSE(&cfg, &r, COUNCIL__WHY_RECIPIENT_NOT_COVERED);
    to(&r, COUNCIL__RECIPIENT_EXTERNAL, EXT_X);
    ALLOW(&cfg, &r, OK_C);
    to(&r, COUNCIL__RECIPIENT_EXTERNAL, EXT_Y);
    REFUSE(&cfg, &r, COUNCIL__WHY_RECIPIENT_NOT_COVERED);
    /* Kinds do not mix: member A's id as an external party, X's as a member. */
    to(&r, COUNCIL__RECIPIENT_EXTERNAL, MEMBER_A);
    REFUSE(&cfg, &r, COUNCIL__WHY_RECIPIENT_NOT_COVERED);
    to(&r, COUNCIL__RECIPIENT_MEMBER, EXT_X);
    REFUSE(&cfg, &r, COUNCIL__WHY_RECIPIENT_NOT_COVERED);
    /* A record naming no external party covers none, even with a matching id. */
    c.external_party = false;
    to(&r, COUNCIL__RECIPIENT_EXTERNAL, EXT_X);
    REFUSE(&cfg, &r, COUNCIL__WHY_RECIPIENT_NOT_COVERED);
    /* A record naming no recipient covers none. */
    c.n_recipient_members = 0;
    c.recipient_members = NULL;
    to(&r, COUNCIL__RECIPIENT_MEMBER, MEMBER_A);
    REFUSE(&cfg, &r, COUNCIL__WHY_RECIPIENT_NOT_COVERED);
}

/* A family member's data in the section needs the family member's consent. */
static void test_policy__family_member_needs_own_consent(void **state)
{
    council__policy_config cfg = defaults();
    council__consent_view c[3];
    council__decision_request r;

    (void)state;
    c[0] = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    r = request(c, 1);
    r.persons = PERSONS_MF;
    r.n_persons = 2;
    REFUSE(&cfg, &r, COUNCIL__WHY_NO_CONSENT_FOR_PERSON);
    /* A record for someone else (the neighbour) does not help. */
    c[1] = rec(2, NEIGHBOUR, COUNCIL__CONSENT_ACTIVE, 100);
    r.n_consents = 2;
    REFUSE(&cfg, &r, COUNCIL__WHY_NO_CONSENT_FOR_PERSON);
    /* The family member's own consent does. */
    c[2] = rec(3, FAMILY, COUNCIL__CONSENT_ACTIVE, 100);
    r.n_consents = 3;
    ALLOW(&cfg, &r, OK_C);
    /* ... for what it covers. */
    c[2].scopes = SCOPES_S;
    c[2].n_scopes = 1;
    r.scopes = SCOPES_SH;
    r.n_scopes = 2;
    REFUSE(&cfg, &r, COUNCIL__WHY_SCOPE_NOT_COVERED);
    /* Each person consents separately: the family member withdraws. */
    c[2].scopes = SCOPES_SH;
    c[2].n_scopes = 2;
    c[2].status = COUNCIL__CONSENT_WITHDRAWN;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_WITHDRAWN);
    /* Only the main person's data moves: the family's state is irrelevant. */
    r.persons = PERSONS_M;
    r.n_persons = 1;
    ALLOW(&cfg, &r, OK_C);
}

/* ------------------------------------------------------------- the named record */

static void test_policy__named_consent(void **state)
{
    council__policy_config cfg = defaults();
    council__consent_view c[4], d[3];
    council__decision_request r;
    uint8_t id[16];

    (void)state;
    c[0] = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    c[0].scopes = SCOPES_S;
    c[0].n_scopes = 1;
    c[1] = rec(2, MAIN, COUNCIL__CONSENT_ACTIVE, 100); /* situation + health */
    c[2] = rec(3, MAIN, COUNCIL__CONSENT_WITHDRAWN, 90);
    c[3] = rec(4, NEIGHBOUR, COUNCIL__CONSENT_ACTIVE, 100);
    r = request(c, 4);
    r.scopes = SCOPES_SH;
    r.n_scopes = 2;
    ALLOW(&cfg, &r, OK_C); /* no name: some record covers each scope */

    r.consent_id = c[1].id;
    ALLOW(&cfg, &r, OK_C);
    /* Covers situation only, while health is asked too. */
    r.consent_id = c[0].id;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_NOT_COVERING);
    /* Withdrawn, though another record covers. */
    r.consent_id = c[2].id;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_NOT_COVERING);
    /* Someone whose data does not move. */
    r.consent_id = c[3].id;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_NOT_COVERING);
    /* Not in the ledger. */
    memcpy(id, c[1].id, 16);
    id[0] = 0x55;
    r.consent_id = id;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_NOT_FOUND);
    /* A refusal record is never a consent to name. */
    c[3] = refusal(4, MAIN, 10);
    r.consent_id = c[3].id;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_NOT_COVERING);
    /* Naming a covering record does not excuse another person's missing
     * consent; the coverage row runs first and says why. */
    r.consent_id = c[1].id;
    r.persons = PERSONS_MF;
    r.n_persons = 2;
    REFUSE(&cfg, &r, COUNCIL__WHY_NO_CONSENT_FOR_PERSON);
    /* The family member's record may be the named one. */
    c[3] = rec(5, FAMILY, COUNCIL__CONSENT_ACTIVE, 100);
    r.consent_id = c[3].id;
    ALLOW(&cfg, &r, OK_C);
    /* A named record overridden by a later refusal does not cover. */
    d[0] = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    d[1] = refusal(2, MAIN, 200);
    d[1].scopes = SCOPES_H;
    d[1].n_scopes = 1;
    d[2] = rec(3, MAIN, COUNCIL__CONSENT_ACTIVE, 300);
    r = request(d, 3);
    r.scopes = SCOPES_SH;
    r.n_scopes = 2;
    r.consent_id = d[2].id;
    ALLOW(&cfg, &r, OK_C);
    r.consent_id = d[0].id;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_NOT_COVERING);
    /* Under an exception basis the name is not consulted. */
    r.basis = COUNCIL__BASIS_LAW;
    r.has_reason = true;
    r.consent_id = id;
    ALLOW(&cfg, &r, OK_L);
}

/* ------------------------------------------------------------- validity window */

static void test_policy__validity_window_edges(void **state)
{
    council__policy_config cfg = defaults();
    council__consent_view c = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    council__decision_request r = request(&c, 1);

    (void)state;
    ALLOW(&cfg, &r, OK_C); /* 0, 0: open-ended */
    c.valid_from = NOW;
    ALLOW(&cfg, &r, OK_C); /* valid_from == now: in */
    c.valid_from = NOW + 1;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_NOT_YET_VALID);
    c.valid_from = NOW - 1;
    c.valid_until = NOW + 1;
    ALLOW(&cfg, &r, OK_C);
    c.valid_until = NOW; /* valid_until == now: out */
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_EXPIRED);
    c.valid_until = NOW - 1;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_EXPIRED);
    c.valid_from = 0;
    c.valid_until = NOW;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_EXPIRED);
    /* An empty window (until <= from) covers nothing. */
    c.valid_from = NOW;
    c.valid_until = NOW;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_EXPIRED);
    /* Time is the argument, not the clock. */
    c.valid_from = NOW;
    c.valid_until = NOW + 10;
    r.now = NOW + 9;
    ALLOW(&cfg, &r, OK_C);
    r.now = NOW + 10;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_EXPIRED);
    r.now = NOW - 1;
    REFUSE(&cfg, &r, COUNCIL__WHY_CONSENT_NOT_YET_VALID);
}

/* ------------------------------------------------------------- bad questions */

static void test_policy__unknown_basis(void **state)
{
    council__policy_config cfg = defaults();
    council__consent_view c = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    council__decision_request r = request(&c, 1);
    static const int bad[] = {0, -1, 9, 10, 64, 1000, INT32_MIN, INT32_MAX};

    (void)state;
    for (int i = 0; i < COUNCIL__BASIS_LIMIT; i++)
        cfg.accept[i] = true; /* accept[0] set: still unknown */
    r.has_reason = true;
    r.has_second_approver = true;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r.basis = bad[i];
        REFUSE(&cfg, &r, COUNCIL__WHY_UNKNOWN_BASIS);
    }
    r.basis = council__basis_parse("appi_27_1_5_other");
    REFUSE(&cfg, &r, COUNCIL__WHY_UNKNOWN_BASIS);
    r.basis = council__basis_parse("appi_27_1_2_vital");
    ALLOW(&cfg, &r, OK_L);
}

static void test_policy__unknown_kind_and_purpose(void **state)
{
    council__policy_config cfg = defaults();
    council__consent_view c = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    council__decision_request r = request(&c, 1);

    (void)state;
    r.recipient_kind = 0;
    REFUSE(&cfg, &r, COUNCIL__WHY_UNKNOWN_RECIPIENT_KIND);
    r.recipient_kind = 4;
    REFUSE(&cfg, &r, COUNCIL__WHY_UNKNOWN_RECIPIENT_KIND);
    r.recipient_kind = -3;
    REFUSE(&cfg, &r, COUNCIL__WHY_UNKNOWN_RECIPIENT_KIND);
    r.recipient_kind = COUNCIL__RECIPIENT_MEMBER;
    r.purpose = 0;
    REFUSE(&cfg, &r, COUNCIL__WHY_UNKNOWN_PURPOSE);
    r.purpose = 7;
    REFUSE(&cfg, &r, COUNCIL__WHY_UNKNOWN_PURPOSE);
    /* A consent listing the unknown purpose value does not help. */
    {
        static const int weird[] = {7};

        c.purposes = weird;
        c.n_purposes = 1;
        REFUSE(&cfg, &r, COUNCIL__WHY_UNKNOWN_PURPOSE);
    }
}

static void test_policy__malformed_requests(void **state)
{
    council__policy_config cfg = defaults();
    council__consent_view c = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    council__decision_request r = request(&c, 1);
    council__decision d = {true, OK_C};
    static const char *const with_null[] = {"situation", NULL};
    static const char *const with_empty[] = {"situation", ""};

    (void)state;
    council__policy_decide(&d, &cfg, NULL);
    assert_false(d.allow);
    assert_string_equal(d.reason, COUNCIL__WHY_INVALID_REQUEST);
    d.allow = true;
    d.reason = OK_C;
    council__policy_decide(&d, NULL, &r);
    assert_false(d.allow);
    assert_string_equal(d.reason, COUNCIL__WHY_INVALID_REQUEST);
    council__policy_decide(NULL, &cfg, &r); /* no crash */

    r.scopes = NULL;
    REFUSE(&cfg, &r, COUNCIL__WHY_INVALID_REQUEST);
    r.scopes = with_null;
    r.n_scopes = 2;
    REFUSE(&cfg, &r, COUNCIL__WHY_INVALID_REQUEST);
    r.scopes = with_empty;
    REFUSE(&cfg, &r, COUNCIL__WHY_INVALID_REQUEST);
    r = request(&c, 1);
    r.persons = NULL;
    REFUSE(&cfg, &r, COUNCIL__WHY_INVALID_REQUEST);
    r = request(NULL, 1);
    REFUSE(&cfg, &r, COUNCIL__WHY_INVALID_REQUEST);
    /* A ledger record whose counts promise more than it has. */
    r = request(&c, 1);
    c.scopes = NULL;
    REFUSE(&cfg, &r, COUNCIL__WHY_INVALID_REQUEST);
    c = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    c.purposes = NULL;
    REFUSE(&cfg, &r, COUNCIL__WHY_INVALID_REQUEST);
    c = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    c.recipient_members = NULL;
    REFUSE(&cfg, &r, COUNCIL__WHY_INVALID_REQUEST);
    /* Also under an exception basis: malformed is malformed. */
    r.basis = COUNCIL__BASIS_LAW;
    r.has_reason = true;
    REFUSE(&cfg, &r, COUNCIL__WHY_INVALID_REQUEST);

    /* Nothing to disclose, or nobody's data named: fail closed, every basis. */
    c = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    for (int b = COUNCIL__BASIS_CONSENT; b <= COUNCIL__BASIS_PUBLIC_DUTY; b++) {
        r = request(&c, 1);
        r.basis = b;
        r.has_reason = true;
        r.has_second_approver = true;
        r.n_scopes = 0;
        REFUSE(&cfg, &r, COUNCIL__WHY_NO_SCOPES);
        r.n_scopes = 1;
        r.n_persons = 0;
        REFUSE(&cfg, &r, COUNCIL__WHY_NO_PERSONS);
    }
}

/* The order of the rows shows when several things are wrong at once. */
static void test_policy__check_order(void **state)
{
    council__policy_config cfg = defaults();
    council__decision_request r = request(NULL, 0);

    (void)state;
    /* Everything wrong: malformed first. */
    r.persons = NULL;
    r.n_persons = 0;
    r.scopes = NULL;
    r.n_scopes = 1;
    r.recipient_kind = 9;
    r.basis = 0;
    r.purpose = 0;
    REFUSE(&cfg, &r, COUNCIL__WHY_INVALID_REQUEST);
    r.n_scopes = 0;
    REFUSE(&cfg, &r, COUNCIL__WHY_UNKNOWN_RECIPIENT_KIND);
    r.recipient_kind = COUNCIL__RECIPIENT_PLATFORM;
    REFUSE(&cfg, &r, PLAT);
    r.recipient_kind = COUNCIL__RECIPIENT_EXTERNAL;
    REFUSE(&cfg, &r, COUNCIL__WHY_UNKNOWN_BASIS);
    r.basis = COUNCIL__BASIS_ART16;
    REFUSE(&cfg, &r, COUNCIL__WHY_UNKNOWN_PURPOSE);
    r.purpose = COUNCIL__PURPOSE_REFERRAL;
    REFUSE(&cfg, &r, COUNCIL__WHY_NO_SCOPES);
    r.scopes = SCOPES_S;
    r.n_scopes = 1;
    REFUSE(&cfg, &r, COUNCIL__WHY_NO_PERSONS);
    r.persons = PERSONS_M;
    r.n_persons = 1;
    REFUSE(&cfg, &r, BNA);
    cfg.accept[COUNCIL__BASIS_ART16] = true;
    REFUSE(&cfg, &r, BNR);
    to(&r, COUNCIL__RECIPIENT_MEMBER, MEMBER_A);
    REFUSE(&cfg, &r, RR);
    r.has_reason = true;
    ALLOW(&cfg, &r, OK_L);
    /* Vital: reason before second approver. */
    r.basis = COUNCIL__BASIS_VITAL;
    r.has_reason = false;
    REFUSE(&cfg, &r, RR);
    r.has_reason = true;
    REFUSE(&cfg, &r, SA);
}

/* Same question, same answer; the inputs are left as they were. */
static void test_policy__pure(void **state)
{
    council__policy_config cfg = defaults(), cfg_copy;
    council__consent_view c[2], c_copy[2];
    council__decision_request r, r_copy;
    council__decision d1, d2;

    (void)state;
    c[0] = rec(1, MAIN, COUNCIL__CONSENT_ACTIVE, 100);
    c[1] = refusal(2, MAIN, 200);
    c[1].scopes = SCOPES_H;
    c[1].n_scopes = 1;
    r = request(c, 2);
    r.scopes = SCOPES_SH;
    r.n_scopes = 2;
    memcpy(&cfg_copy, &cfg, sizeof cfg);
    memcpy(c_copy, c, sizeof c);
    memcpy(&r_copy, &r, sizeof r);
    council__policy_decide(&d1, &cfg, &r);
    council__policy_decide(&d2, &cfg, &r);
    assert_false(d1.allow);
    assert_false(d2.allow);
    assert_string_equal(d1.reason, COUNCIL__WHY_CONSENT_REFUSED);
    assert_ptr_equal(d1.reason, d2.reason);
    assert_memory_equal(&cfg, &cfg_copy, sizeof cfg);
    assert_memory_equal(c, c_copy, sizeof c);
    assert_memory_equal(&r, &r_copy, sizeof r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy__basis_codes_round_trip),
        cmocka_unit_test(test_policy__basis_unknown_codes),
        cmocka_unit_test(test_policy__purpose_and_status_codes),
        cmocka_unit_test(test_policy__safe_defaults),
        cmocka_unit_test(test_policy__reason_codes_well_formed),
        cmocka_unit_test(test_policy__decision_table),
        cmocka_unit_test(test_policy__config_switches_one_basis),
        cmocka_unit_test(test_policy__support_meeting_bases),
        cmocka_unit_test(test_policy__platform_never),
        cmocka_unit_test(test_policy__consent_status),
        cmocka_unit_test(test_policy__refusal_after_consent_overrides),
        cmocka_unit_test(test_policy__consent_after_refusal_counts),
        cmocka_unit_test(test_policy__refusal_covers_only_what_it_names),
        cmocka_unit_test(test_policy__refusal_and_exceptions),
        cmocka_unit_test(test_policy__partial_scope_coverage),
        cmocka_unit_test(test_policy__purpose_not_covered),
        cmocka_unit_test(test_policy__purpose_other_needs_text),
        cmocka_unit_test(test_policy__recipient_not_covered),
        cmocka_unit_test(test_policy__family_member_needs_own_consent),
        cmocka_unit_test(test_policy__named_consent),
        cmocka_unit_test(test_policy__validity_window_edges),
        cmocka_unit_test(test_policy__unknown_basis),
        cmocka_unit_test(test_policy__unknown_kind_and_purpose),
        cmocka_unit_test(test_policy__malformed_requests),
        cmocka_unit_test(test_policy__check_order),
        cmocka_unit_test(test_policy__pure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
