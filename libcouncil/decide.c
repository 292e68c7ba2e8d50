/*
 * decide.c - the disclosure decision: a pure, table-driven rule list.
 *
 * council__policy_decide runs the rows of `checks[]` in order; each row
 * applies to some bases and returns NULL (pass) or a refusal reason. The
 * first refusal is the answer; if every row passes, the disclosure is
 * allowed. No I/O, no allocation, no clock, no state.
 *
 * Consent coverage is judged per (person, scope). For one person and one
 * scope, each ACTIVE-or-not consent record of that person is walked through
 * the steps below; a record that passes them all covers. When none covers,
 * the reason comes from an applicable refusal if there is one, otherwise
 * from the record that got furthest (so a withdrawn record that named the
 * scope, purpose and recipient explains better than an active one for
 * another scope), otherwise "no_consent_for_person".
 *
 *   step 1  the record lists the scope                 else scope_not_covered
 *   step 2  ... the purpose (OTHER: same text)         else purpose_not_covered
 *   step 3  ... the recipient (member id or external)  else recipient_not_covered
 *   step 4  status is ACTIVE                            else consent_withdrawn /
 *                                                        consent_expired /
 *                                                        consent_status_unknown
 *   step 5  valid_from <= now < valid_until (0 = open)  else consent_not_yet_valid /
 *                                                        consent_expired
 *   step 6  recorded after every applicable refusal     else consent_refused
 *
 * A REFUSED record applies to (person, scope, purpose, recipient) when it is
 * that person's, in force at now (its own window, 0 = open), and each of its
 * lists is empty or names the item (purposes by code only: a refusal of
 * "other" refuses every "other").
 */
#include <string.h>

#include "decide.h"

/* ---------------------------------------------------------------- code lists */

static const char *const basis_codes[COUNCIL__BASIS_LIMIT] = {
    [COUNCIL__BASIS_CONSENT] = "consent",
    [COUNCIL__BASIS_LAW] = "appi_27_1_1_law",
    [COUNCIL__BASIS_VITAL] = "appi_27_1_2_vital",
    [COUNCIL__BASIS_PUBLIC_HEALTH_CHILD] = "appi_27_1_3_public_health_child",
    [COUNCIL__BASIS_PUBLIC_DUTY] = "appi_27_1_4_public_duty",
    [COUNCIL__BASIS_ART16] = "council_art16_exchange",
    [COUNCIL__BASIS_SWA_106_6] = "swa_106_6_support_meeting",
    [COUNCIL__BASIS_NCSA_9] = "ncsa_9_support_meeting",
};

static const char *const purpose_codes[COUNCIL__PURPOSE_LIMIT] = {
    [COUNCIL__PURPOSE_SUPPORT_COORDINATION] = "support_coordination",
    [COUNCIL__PURPOSE_REFERRAL] = "referral",
    [COUNCIL__PURPOSE_JOINT_SUPPORT] = "joint_support",
    [COUNCIL__PURPOSE_MEETING_DISCUSSION] = "meeting_discussion",
    [COUNCIL__PURPOSE_STATISTICS] = "statistics",
    [COUNCIL__PURPOSE_OTHER] = "other",
};

static const char *const status_codes[COUNCIL__CONSENT_STATUS_LIMIT] = {
    [COUNCIL__CONSENT_ACTIVE] = "active",
    [COUNCIL__CONSENT_WITHDRAWN] = "withdrawn",
    [COUNCIL__CONSENT_EXPIRED] = "expired",
    [COUNCIL__CONSENT_REFUSED] = "refused",
};

static int parse(const char *const *codes, int limit, const char *code)
{
    if (code == NULL)
        return 0;
    for (int i = 1; i < limit; i++)
        if (strcmp(codes[i], code) == 0)
            return i;
    return 0;
}

static const char *print(const char *const *codes, int limit, int v)
{
    return v >= 1 && v < limit ? codes[v] : NULL;
}

int council__basis_parse(const char *code)
{
    return parse(basis_codes, COUNCIL__BASIS_LIMIT, code);
}

const char *council__basis_code(int basis)
{
    return print(basis_codes, COUNCIL__BASIS_LIMIT, basis);
}

int council__purpose_parse(const char *code)
{
    return parse(purpose_codes, COUNCIL__PURPOSE_LIMIT, code);
}

const char *council__purpose_code(int purpose)
{
    return print(purpose_codes, COUNCIL__PURPOSE_LIMIT, purpose);
}

int council__consent_status_parse(const char *code)
{
    return parse(status_codes, COUNCIL__CONSENT_STATUS_LIMIT, code);
}

const char *council__consent_status_code(int status)
{
    return print(status_codes, COUNCIL__CONSENT_STATUS_LIMIT, status);
}

void council__policy_defaults(council__policy_config *cfg)
{
    if (cfg == NULL)
        return;
    memset(cfg, 0, sizeof *cfg);
    cfg->accept[COUNCIL__BASIS_CONSENT] = true;
    cfg->accept[COUNCIL__BASIS_LAW] = true;
    cfg->accept[COUNCIL__BASIS_VITAL] = true;
    cfg->accept[COUNCIL__BASIS_PUBLIC_HEALTH_CHILD] = true;
    cfg->accept[COUNCIL__BASIS_PUBLIC_DUTY] = true;
    cfg->accept[COUNCIL__BASIS_ART16] = false; /* until the council turns it on */
    cfg->accept[COUNCIL__BASIS_SWA_106_6] = false; /* only where a support meeting is set up */
    cfg->accept[COUNCIL__BASIS_NCSA_9] = false;
    cfg->cross_body_use = false;
    cfg->vital_second_approver = true;
}

/* ---------------------------------------------------------------- matching */

static bool id_eq(const uint8_t a[16], const uint8_t b[16])
{
    return memcmp(a, b, 16) == 0; /* ids, not secrets */
}

static bool in_window(int64_t from, int64_t until, int64_t now)
{
    return (from == 0 || from <= now) && (until == 0 || now < until);
}

static bool lists_scope(const council__consent_view *c, const char *scope)
{
    for (size_t i = 0; i < c->n_scopes; i++)
        if (c->scopes[i] != NULL && strcmp(c->scopes[i], scope) == 0)
            return true;
    return false;
}

static bool lists_purpose_code(const council__consent_view *c, int purpose)
{
    for (size_t i = 0; i < c->n_purposes; i++)
        if (c->purposes[i] == purpose)
            return true;
    return false;
}

/* A consent lists the purpose; "other" only with the same text. */
static bool consent_lists_purpose(const council__consent_view *c, const council__decision_request *r)
{
    if (!lists_purpose_code(c, r->purpose))
        return false;
    if (r->purpose != COUNCIL__PURPOSE_OTHER)
        return true;
    return c->purpose_text != NULL && strcmp(c->purpose_text, r->purpose_text) == 0;
}

static bool names_recipient(const council__consent_view *c, const council__decision_request *r)
{
    if (r->recipient_kind == COUNCIL__RECIPIENT_MEMBER) {
        for (size_t i = 0; i < c->n_recipient_members; i++)
            if (id_eq(c->recipient_members[i], r->recipient))
                return true;
        return false;
    }
    if (r->recipient_kind == COUNCIL__RECIPIENT_EXTERNAL)
        return c->external_party && id_eq(c->external_id, r->recipient);
    return false; /* the platform is never a consent recipient */
}

/* Does refusal record f apply to (person, scope) of request r at r->now? */
static bool refusal_applies(const council__consent_view *f, const council__decision_request *r,
                            const uint8_t person[16], const char *scope)
{
    if (f->status != COUNCIL__CONSENT_REFUSED || !id_eq(f->subject_person, person))
        return false;
    if (!in_window(f->valid_from, f->valid_until, r->now))
        return false;
    if (f->n_scopes != 0 && !lists_scope(f, scope))
        return false;
    if (f->n_purposes != 0 && !lists_purpose_code(f, r->purpose))
        return false;
    if ((f->n_recipient_members != 0 || f->external_party) && !names_recipient(f, r))
        return false;
    return true;
}

/* Is consent c overridden by a refusal recorded at or after it? */
static bool overridden(const council__consent_view *c, const council__decision_request *r,
                       const uint8_t person[16], const char *scope)
{
    for (size_t i = 0; i < r->n_consents; i++) {
        const council__consent_view *f = &r->consents[i];

        if (refusal_applies(f, r, person, scope) && f->recorded >= c->recorded)
            return true;
    }
    return false;
}

/* Steps a consent record goes through for one (person, scope). */
enum { STEP_SCOPE = 1, STEP_PURPOSE, STEP_RECIPIENT, STEP_STATUS, STEP_WINDOW, STEP_REFUSAL, COVERS };

/* How far consent c (not a refusal, subject = person) gets; *why is the
 * reason it stops there (NULL when it covers). */
static int walk(const council__consent_view *c, const council__decision_request *r,
                const uint8_t person[16], const char *scope, const char **why)
{
    if (!lists_scope(c, scope)) {
        *why = COUNCIL__WHY_SCOPE_NOT_COVERED;
        return STEP_SCOPE;
    }
    if (!consent_lists_purpose(c, r)) {
        *why = COUNCIL__WHY_PURPOSE_NOT_COVERED;
        return STEP_PURPOSE;
    }
    if (!names_recipient(c, r)) {
        *why = COUNCIL__WHY_RECIPIENT_NOT_COVERED;
        return STEP_RECIPIENT;
    }
    if (c->status != COUNCIL__CONSENT_ACTIVE) {
        *why = c->status == COUNCIL__CONSENT_WITHDRAWN ? COUNCIL__WHY_CONSENT_WITHDRAWN
             : c->status == COUNCIL__CONSENT_EXPIRED   ? COUNCIL__WHY_CONSENT_EXPIRED
                                                       : COUNCIL__WHY_CONSENT_STATUS_UNKNOWN;
        return STEP_STATUS;
    }
    if (c->valid_from != 0 && r->now < c->valid_from) {
        *why = COUNCIL__WHY_CONSENT_NOT_YET_VALID;
        return STEP_WINDOW;
    }
    if (c->valid_until != 0 && r->now >= c->valid_until) {
        *why = COUNCIL__WHY_CONSENT_EXPIRED;
        return STEP_WINDOW;
    }
    if (overridden(c, r, person, scope)) {
        *why = COUNCIL__WHY_CONSENT_REFUSED;
        return STEP_REFUSAL;
    }
    *why = NULL;
    return COVERS;
}

/* NULL if some record covers (person, scope); else the reason. */
static const char *coverage(const council__decision_request *r, const uint8_t person[16],
                            const char *scope)
{
    const char *best_why = NULL;
    int best = 0;
    bool refused = false;

    for (size_t i = 0; i < r->n_consents; i++) {
        const council__consent_view *c = &r->consents[i];
        const char *why;
        int step;

        if (!id_eq(c->subject_person, person))
            continue;
        if (c->status == COUNCIL__CONSENT_REFUSED) {
            refused = refused || refusal_applies(c, r, person, scope);
            continue;
        }
        step = walk(c, r, person, scope, &why);
        if (step == COVERS)
            return NULL;
        if (step > best) {
            best = step;
            best_why = why;
        }
    }
    if (refused)
        return COUNCIL__WHY_CONSENT_REFUSED;
    return best_why != NULL ? best_why : COUNCIL__WHY_NO_CONSENT_FOR_PERSON;
}

static bool is_exception(int basis)
{
    return basis != COUNCIL__BASIS_CONSENT;
}

/* ---------------------------------------------------------------- the checks */

typedef const char *(*check_fn)(const council__policy_config *, const council__decision_request *);

/* 1. Every pointer that a count promises is there; no NULL or empty scope. */
static const char *well_formed(const council__policy_config *cfg, const council__decision_request *r)
{
    (void)cfg;
    if ((r->scopes == NULL && r->n_scopes != 0) || (r->persons == NULL && r->n_persons != 0) ||
        (r->consents == NULL && r->n_consents != 0))
        return COUNCIL__WHY_INVALID_REQUEST;
    for (size_t i = 0; i < r->n_scopes; i++)
        if (r->scopes[i] == NULL || r->scopes[i][0] == '\0')
            return COUNCIL__WHY_INVALID_REQUEST;
    for (size_t i = 0; i < r->n_consents; i++) {
        const council__consent_view *c = &r->consents[i];

        if ((c->recipient_members == NULL && c->n_recipient_members != 0) ||
            (c->scopes == NULL && c->n_scopes != 0) || (c->purposes == NULL && c->n_purposes != 0))
            return COUNCIL__WHY_INVALID_REQUEST;
    }
    return NULL;
}

/* 2. A recipient kind we know. */
static const char *recipient_kind_known(const council__policy_config *cfg,
                                        const council__decision_request *r)
{
    (void)cfg;
    return r->recipient_kind >= COUNCIL__RECIPIENT_MEMBER && r->recipient_kind <= COUNCIL__RECIPIENT_PLATFORM
               ? NULL
               : COUNCIL__WHY_UNKNOWN_RECIPIENT_KIND;
}

/* 3. The platform never receives personal data, whatever the basis. */
static const char *not_platform(const council__policy_config *cfg, const council__decision_request *r)
{
    (void)cfg;
    return r->recipient_kind == COUNCIL__RECIPIENT_PLATFORM ? COUNCIL__WHY_PLATFORM : NULL;
}

/* 4. A basis we know. */
static const char *basis_known(const council__policy_config *cfg, const council__decision_request *r)
{
    (void)cfg;
    return council__basis_code(r->basis) != NULL ? NULL : COUNCIL__WHY_UNKNOWN_BASIS;
}

/* 5. A purpose we know; "other" says what. */
static const char *purpose_known(const council__policy_config *cfg, const council__decision_request *r)
{
    (void)cfg;
    if (council__purpose_code(r->purpose) == NULL)
        return COUNCIL__WHY_UNKNOWN_PURPOSE;
    if (r->purpose == COUNCIL__PURPOSE_OTHER && (r->purpose_text == NULL || r->purpose_text[0] == '\0'))
        return COUNCIL__WHY_PURPOSE_TEXT_REQUIRED;
    return NULL;
}

/* 6. Something named to disclose, and whose it is (an empty person list
 *    would make consent vacuously true: fail closed). */
static const char *has_scopes(const council__policy_config *cfg, const council__decision_request *r)
{
    (void)cfg;
    return r->n_scopes != 0 ? NULL : COUNCIL__WHY_NO_SCOPES;
}

static const char *has_persons(const council__policy_config *cfg, const council__decision_request *r)
{
    (void)cfg;
    return r->n_persons != 0 ? NULL : COUNCIL__WHY_NO_PERSONS;
}

/* 7. The council accepts this basis. */
static const char *basis_accepted(const council__policy_config *cfg, const council__decision_request *r)
{
    return cfg->accept[r->basis] ? NULL : COUNCIL__WHY_BASIS_NOT_ACCEPTED;
}

/* 8. Article 16 exchange stays inside the council. */
static const char *art16_members_only(const council__policy_config *cfg,
                                      const council__decision_request *r)
{
    (void)cfg;
    return r->recipient_kind == COUNCIL__RECIPIENT_MEMBER ? NULL : COUNCIL__WHY_BASIS_NOT_FOR_RECIPIENT;
}

/* 8b. The support meetings' bases (社会福祉法第106条の6, 生活困窮者自立支援法
 *     第9条) share information among that meeting's members, under its
 *     secrecy duty: at that body's meeting, for its discussion, to a member.
 *     Not a council disclosure outside the body. */
static const char *within_its_body(const council__policy_config *cfg,
                                   const council__decision_request *r)
{
    int body = r->basis == COUNCIL__BASIS_SWA_106_6 ? COUNCIL__BODY_SUPPORT_MEETING
                                                    : COUNCIL__BODY_NEEDS_OF_POOR_MEETING;

    (void)cfg;
    if (r->recipient_kind != COUNCIL__RECIPIENT_MEMBER)
        return COUNCIL__WHY_BASIS_NOT_FOR_RECIPIENT;
    return r->body == body && r->purpose == COUNCIL__PURPOSE_MEETING_DISCUSSION
               ? NULL
               : COUNCIL__WHY_BASIS_OUTSIDE_ITS_BODY;
}

/* 9. Every exception has a written reason. */
static const char *reason_given(const council__policy_config *cfg, const council__decision_request *r)
{
    (void)cfg;
    return r->has_reason ? NULL : COUNCIL__WHY_REASON_REQUIRED;
}

/* 10. Vital interest: a second approver, when the council says so. */
static const char *second_approver(const council__policy_config *cfg, const council__decision_request *r)
{
    return !cfg->vital_second_approver || r->has_second_approver ? NULL : COUNCIL__WHY_SECOND_APPROVER;
}

/* 11. Article 16 exchange respects a refusal in force (unless consent came
 *     after it). */
static const char *no_refusal(const council__policy_config *cfg, const council__decision_request *r)
{
    (void)cfg;
    for (size_t p = 0; p < r->n_persons; p++)
        for (size_t s = 0; s < r->n_scopes; s++) {
            bool refused = false;

            for (size_t i = 0; i < r->n_consents && !refused; i++)
                refused = refusal_applies(&r->consents[i], r, r->persons[p], r->scopes[s]);
            if (refused && coverage(r, r->persons[p], r->scopes[s]) != NULL)
                return COUNCIL__WHY_CONSENT_REFUSED;
        }
    return NULL;
}

/* 12. Consent: every person, every scope. */
static const char *every_person_covered(const council__policy_config *cfg,
                                        const council__decision_request *r)
{
    (void)cfg;
    for (size_t p = 0; p < r->n_persons; p++)
        for (size_t s = 0; s < r->n_scopes; s++) {
            const char *why = coverage(r, r->persons[p], r->scopes[s]);

            if (why != NULL)
                return why;
        }
    return NULL;
}

/* 13. Consent: the record the caller names is a covering one for its person. */
static const char *named_consent_covers(const council__policy_config *cfg,
                                        const council__decision_request *r)
{
    const council__consent_view *c = NULL;
    bool subject_moves = false;

    (void)cfg;
    if (r->consent_id == NULL)
        return NULL;
    for (size_t i = 0; i < r->n_consents && c == NULL; i++)
        if (id_eq(r->consents[i].id, r->consent_id))
            c = &r->consents[i];
    if (c == NULL)
        return COUNCIL__WHY_CONSENT_NOT_FOUND;
    if (c->status == COUNCIL__CONSENT_REFUSED)
        return COUNCIL__WHY_CONSENT_NOT_COVERING;
    for (size_t p = 0; p < r->n_persons && !subject_moves; p++)
        subject_moves = id_eq(r->persons[p], c->subject_person);
    if (!subject_moves)
        return COUNCIL__WHY_CONSENT_NOT_COVERING;
    for (size_t s = 0; s < r->n_scopes; s++) {
        const char *why;

        if (walk(c, r, c->subject_person, r->scopes[s], &why) != COVERS)
            return COUNCIL__WHY_CONSENT_NOT_COVERING;
    }
    return NULL;
}

/* Which bases a row applies to (bit = 1 << basis). */
#define B(x) (1u << (x))
#define ANY_BASIS 0xffffffffu /* includes unknown bases: rows before basis_known */
#define EXCEPTIONS (B(COUNCIL__BASIS_LAW) | B(COUNCIL__BASIS_VITAL) | \
                    B(COUNCIL__BASIS_PUBLIC_HEALTH_CHILD) | B(COUNCIL__BASIS_PUBLIC_DUTY) | \
                    B(COUNCIL__BASIS_ART16) | B(COUNCIL__BASIS_SWA_106_6) | \
                    B(COUNCIL__BASIS_NCSA_9))
#define BODY_BASES (B(COUNCIL__BASIS_SWA_106_6) | B(COUNCIL__BASIS_NCSA_9))

/*
 * THE RULE TABLE. Rows run top to bottom; the first one that fails gives the
 * reason. Rows marked "vital (cfg)" consult the configuration themselves.
 *
 *  #  check                  applies to            refuses with
 *  1  well_formed            every request         invalid_request
 *  2  recipient_kind_known   every request         unknown_recipient_kind
 *  3  not_platform           every request         platform_gets_no_personal_data
 *  4  basis_known            every request         unknown_basis
 *  5  purpose_known          every basis           unknown_purpose, purpose_text_required
 *  6  has_scopes             every basis           no_scopes
 *  7  has_persons            every basis           no_persons
 *  8  basis_accepted         every basis           basis_not_accepted
 *  9  art16_members_only     art16                 basis_not_for_recipient
 *  9b within_its_body        swa_106_6, ncsa_9     basis_not_for_recipient,
 *                                                  basis_outside_its_body
 * 10  reason_given           every exception       reason_required
 * 11  second_approver        vital (cfg)           second_approver_required
 * 12  no_refusal             art16                 consent_refused
 * 13  every_person_covered   consent               no_consent_for_person, consent_refused,
 *                                                  scope_not_covered, purpose_not_covered,
 *                                                  recipient_not_covered, consent_withdrawn,
 *                                                  consent_expired, consent_status_unknown,
 *                                                  consent_not_yet_valid
 * 14  named_consent_covers   consent               consent_not_found, consent_not_covering
 */
static const struct {
    const char *name;
    unsigned bases;
    check_fn check;
} checks[] = {
    {"well_formed", ANY_BASIS, well_formed},
    {"recipient_kind_known", ANY_BASIS, recipient_kind_known},
    {"not_platform", ANY_BASIS, not_platform},
    {"basis_known", ANY_BASIS, basis_known},
    {"purpose_known", ANY_BASIS, purpose_known},
    {"has_scopes", ANY_BASIS, has_scopes},
    {"has_persons", ANY_BASIS, has_persons},
    {"basis_accepted", ANY_BASIS, basis_accepted},
    {"art16_members_only", B(COUNCIL__BASIS_ART16), art16_members_only},
    {"within_its_body", BODY_BASES, within_its_body},
    {"reason_given", EXCEPTIONS, reason_given},
    {"second_approver", B(COUNCIL__BASIS_VITAL), second_approver},
    {"no_refusal", B(COUNCIL__BASIS_ART16), no_refusal},
    {"every_person_covered", B(COUNCIL__BASIS_CONSENT), every_person_covered},
    {"named_consent_covers", B(COUNCIL__BASIS_CONSENT), named_consent_covers},
};

static bool row_applies(unsigned bases, int basis)
{
    if (bases == ANY_BASIS)
        return true;
    return basis >= 1 && basis < COUNCIL__BASIS_LIMIT && (bases & B((unsigned)basis)) != 0;
}

void council__policy_decide(council__decision *out, const council__policy_config *cfg,
                            const council__decision_request *req)
{
    if (out == NULL)
        return;
    out->allow = false;
    out->reason = COUNCIL__WHY_INVALID_REQUEST;
    if (cfg == NULL || req == NULL)
        return;
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        const char *why;

        if (!row_applies(checks[i].bases, req->basis))
            continue;
        why = checks[i].check(cfg, req);
        if (why != NULL) {
            out->reason = why;
            return;
        }
    }
    out->allow = true;
    out->reason = is_exception(req->basis) ? COUNCIL__WHY_LEGAL_BASIS : COUNCIL__WHY_CONSENT_COVERS;
}
