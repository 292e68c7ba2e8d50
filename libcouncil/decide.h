/*
 * decide.h - the disclosure decision (DESIGN.md promise 2; issue 6 item 2).
 *
 * One pure function decides whether personal data may move: given the
 * council's configuration, the recipient, the scopes, the persons whose data
 * is in them, the purpose, the time and the claimed legal basis (plus, for
 * basis "consent", every consent-ledger record of the case), it answers
 * allow or refuse with a reason code. It does no I/O, no allocation, reads
 * no clock (time is an argument) and keeps no state, so it is the same in
 * the library, the CLI's --dry-run and the tests.
 *
 * Callers map a refusal to COUNCIL_ENOCONSENT and record it as an audit event
 * carrying the reason code. The order of the checks is the table `checks[]`
 * in decide.c; the first failing check gives the reason.
 *
 * Internal to libcouncil (council__ names, hidden). Self-contained: includes
 * only <stdbool.h>, <stdint.h>, <stddef.h> and council.h.
 */
#ifndef COUNCIL_DECIDE_H
#define COUNCIL_DECIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "council.h"

/* ------------------------------------------------------------ code lists */

/** Legal bases (DESIGN.md "Legal basis codes"). 0 is never a basis. */
enum council__basis {
    COUNCIL__BASIS_CONSENT = 1,            /**< "consent" */
    COUNCIL__BASIS_LAW,                    /**< "appi_27_1_1_law" */
    COUNCIL__BASIS_VITAL,                  /**< "appi_27_1_2_vital" */
    COUNCIL__BASIS_PUBLIC_HEALTH_CHILD,    /**< "appi_27_1_3_public_health_child" */
    COUNCIL__BASIS_PUBLIC_DUTY,            /**< "appi_27_1_4_public_duty" */
    COUNCIL__BASIS_ART16,                  /**< "council_art16_exchange" */
    COUNCIL__BASIS_SWA_106_6,              /**< "swa_106_6_support_meeting" (社会福祉法第106条の6) */
    COUNCIL__BASIS_NCSA_9                  /**< "ncsa_9_support_meeting" (生活困窮者自立支援法第9条) */
};
/** One past the largest basis value: the size of council__policy_config.accept. */
#define COUNCIL__BASIS_LIMIT 9

/** The body under which a disclosure is discussed (the case's body codes,
 *  COUNCIL_CASE_BODY_*); 0: no meeting's body (a share outside a meeting). */
enum council__body {
    COUNCIL__BODY_NONE = 0,
    COUNCIL__BODY_COUNCIL = 1,            /**< the council (協議会, 孤独・孤立対策推進法第15条) */
    COUNCIL__BODY_SUPPORT_MEETING = 2,    /**< 支援会議 (社会福祉法第106条の6) */
    COUNCIL__BODY_NEEDS_OF_POOR_MEETING = 3 /**< 支援会議 (生活困窮者自立支援法第9条) */
};

/** Who would receive the data. */
enum council__recipient_kind {
    COUNCIL__RECIPIENT_MEMBER = 1,   /**< a council member (構成機関等), by member id */
    COUNCIL__RECIPIENT_EXTERNAL = 2, /**< a named third party outside the council, by external party id */
    COUNCIL__RECIPIENT_PLATFORM = 3  /**< the regional platform: never personal data */
};

/** Purposes (issue 6 item 1). OTHER carries a free text. */
enum council__purpose {
    COUNCIL__PURPOSE_SUPPORT_COORDINATION = 1, /**< "support_coordination" */
    COUNCIL__PURPOSE_REFERRAL,                 /**< "referral" */
    COUNCIL__PURPOSE_JOINT_SUPPORT,            /**< "joint_support" */
    COUNCIL__PURPOSE_MEETING_DISCUSSION,       /**< "meeting_discussion" */
    COUNCIL__PURPOSE_STATISTICS,               /**< "statistics" */
    COUNCIL__PURPOSE_OTHER                     /**< "other" (with a text) */
};
#define COUNCIL__PURPOSE_LIMIT 7

/** Status of a consent-ledger record. */
enum council__consent_status {
    COUNCIL__CONSENT_ACTIVE = 1, /**< "active" */
    COUNCIL__CONSENT_WITHDRAWN,  /**< "withdrawn": never covers */
    COUNCIL__CONSENT_EXPIRED,    /**< "expired": never covers */
    COUNCIL__CONSENT_REFUSED     /**< "refused": "does not consent to X" */
};
#define COUNCIL__CONSENT_STATUS_LIMIT 5

/**
 * Code <-> value for the lists above. Codes are exact, case-sensitive ASCII.
 * The parsers return 0 for NULL or an unknown code; the printers return NULL
 * for a value outside the list. Ownership: the strings are static.
 */
int council__basis_parse(const char *code);
const char *council__basis_code(int basis);
int council__purpose_parse(const char *code);
const char *council__purpose_code(int purpose);
int council__consent_status_parse(const char *code);
const char *council__consent_status_code(int status);

/* ------------------------------------------------------------ configuration */

/** The council's policy configuration. */
typedef struct council__policy_config {
    bool accept[COUNCIL__BASIS_LIMIT]; /**< indexed by council__basis; [0] unused */
    bool vital_second_approver;        /**< appi_27_1_2_vital needs a second approver */
    bool cross_body_use;               /**< a case collected under one body may be discussed
                                            under another without a consent covering it */
} council__policy_config;

/**
 * Fill *cfg with the safe defaults: consent and the four APPI 27(1)
 * exceptions accepted (each exception still needs a written reason);
 * council_art16_exchange, swa_106_6_support_meeting and
 * ncsa_9_support_meeting off until the council turns them on; vital needs a
 * second approver; no cross-body use without consent.
 */
void council__policy_defaults(council__policy_config *cfg);

/* ------------------------------------------------------------ the question */

/**
 * One consent-ledger record as the decision sees it (a view: the caller owns
 * every pointer, which must stay valid during the call).
 *
 * Lists are conjunctive requirements for a consent and blanket-by-default for
 * a refusal: an ACTIVE record covers only what it lists (an empty scope,
 * purpose or recipient list covers nothing), while a REFUSED record with an
 * empty list refuses for every scope, purpose or recipient respectively.
 */
typedef struct council__consent_view {
    uint8_t id[16];
    uint8_t subject_person[16];          /**< each of 当事者等 consents separately */
    int status;                          /**< council__consent_status */
    int64_t recorded;                    /**< when recorded (orders refusals against consents) */
    int64_t valid_from, valid_until;     /**< 0 = open-ended; valid_from <= now < valid_until */
    const uint8_t (*recipient_members)[16]; /**< member ids the record names */
    size_t n_recipient_members;
    bool external_party;                 /**< the record names an external party ... */
    uint8_t external_id[16];             /**< ... with this id */
    const char *const *scopes;
    size_t n_scopes;
    const int *purposes;                 /**< council__purpose values */
    size_t n_purposes;
    const char *purpose_text;            /**< text of PURPOSE_OTHER, or NULL */
} council__consent_view;

/** A proposed disclosure. Every pointer is the caller's. */
typedef struct council__decision_request {
    int recipient_kind;                  /**< council__recipient_kind */
    uint8_t recipient[16];               /**< member id or external party id (unused for the platform) */
    const char *const *scopes;           /**< the scopes to disclose: non-empty, no NULL or "" entry */
    size_t n_scopes;
    const uint8_t (*persons)[16];        /**< every person with data in those scopes: non-empty */
    size_t n_persons;
    int purpose;                         /**< council__purpose */
    const char *purpose_text;            /**< required (non-empty) for PURPOSE_OTHER */
    int64_t now;
    int basis;                           /**< council__basis */
    bool has_reason;                     /**< a written reason is on record */
    bool has_second_approver;            /**< a second approver is on record */
    const uint8_t *consent_id;           /**< 16 bytes: the record the caller names, or NULL */
    const council__consent_view *consents; /**< every ledger record of the case */
    size_t n_consents;
    int body;                            /**< council__body the data is discussed under at a
                                              meeting (an agenda item); 0 outside a meeting */
} council__decision_request;

/** The answer. */
typedef struct council__decision {
    bool allow;
    const char *reason; /**< static code matching [a-z0-9_]{1,64}; never NULL */
} council__decision;

/* Allow reasons. */
#define COUNCIL__WHY_CONSENT_COVERS          "consent_covers"
#define COUNCIL__WHY_LEGAL_BASIS             "legal_basis_with_reason"
/* Refusal reasons, in the order of the checks that give them. */
#define COUNCIL__WHY_INVALID_REQUEST         "invalid_request"
#define COUNCIL__WHY_UNKNOWN_RECIPIENT_KIND  "unknown_recipient_kind"
#define COUNCIL__WHY_PLATFORM                "platform_gets_no_personal_data"
#define COUNCIL__WHY_UNKNOWN_BASIS           "unknown_basis"
#define COUNCIL__WHY_UNKNOWN_PURPOSE         "unknown_purpose"
#define COUNCIL__WHY_PURPOSE_TEXT_REQUIRED   "purpose_text_required"
#define COUNCIL__WHY_NO_SCOPES               "no_scopes"
#define COUNCIL__WHY_NO_PERSONS              "no_persons"
#define COUNCIL__WHY_BASIS_NOT_ACCEPTED      "basis_not_accepted"
#define COUNCIL__WHY_BASIS_NOT_FOR_RECIPIENT "basis_not_for_recipient"
#define COUNCIL__WHY_BASIS_OUTSIDE_ITS_BODY  "basis_outside_its_body"
#define COUNCIL__WHY_REASON_REQUIRED         "reason_required"
#define COUNCIL__WHY_SECOND_APPROVER         "second_approver_required"
#define COUNCIL__WHY_NO_CONSENT_FOR_PERSON   "no_consent_for_person"
#define COUNCIL__WHY_CONSENT_REFUSED         "consent_refused"
#define COUNCIL__WHY_SCOPE_NOT_COVERED       "scope_not_covered"
#define COUNCIL__WHY_PURPOSE_NOT_COVERED     "purpose_not_covered"
#define COUNCIL__WHY_RECIPIENT_NOT_COVERED   "recipient_not_covered"
#define COUNCIL__WHY_CONSENT_WITHDRAWN       "consent_withdrawn"
#define COUNCIL__WHY_CONSENT_EXPIRED         "consent_expired"
#define COUNCIL__WHY_CONSENT_STATUS_UNKNOWN  "consent_status_unknown"
#define COUNCIL__WHY_CONSENT_NOT_YET_VALID   "consent_not_yet_valid"
#define COUNCIL__WHY_CONSENT_NOT_FOUND       "consent_not_found"
#define COUNCIL__WHY_CONSENT_NOT_COVERING    "consent_not_covering"

/**
 * Decide one disclosure. Pure: reads cfg and req only, writes only *out.
 *
 * @param cfg  the council's configuration; NULL refuses ("invalid_request")
 * @param req  the proposed disclosure; NULL refuses ("invalid_request")
 * @param[out] out  the decision; if NULL nothing happens
 *
 * Rules (decide.c lists them as one ordered table):
 * - The platform never receives personal data, whatever the basis.
 * - The basis must be known and accepted by cfg.
 * - council_art16_exchange is exchange within the council: members only.
 * - swa_106_6_support_meeting (社会福祉法第106条の6) and
 *   ncsa_9_support_meeting (生活困窮者自立支援法第9条) allow sharing only
 *   within that body's meeting, among its members, under its secrecy duty:
 *   recipient a member, purpose meeting_discussion, req->body that body's
 *   (SUPPORT_MEETING, NEEDS_OF_POOR_MEETING); never a council disclosure
 *   outside it (a plain share, or an agenda item under another body).
 * - Every basis but consent needs a written reason; vital also a second
 *   approver when cfg says so.
 * - council_art16_exchange does not override a person's refusal that is in
 *   force for the request (the APPI 27(1) exceptions do: they exist for when
 *   consent cannot be had).
 * - consent: every person in req->persons needs, for every requested scope,
 *   an ACTIVE record for that person, valid at now, listing that scope, the
 *   purpose (and, for OTHER, the same text) and the recipient, and recorded
 *   strictly after every REFUSED record of that person that is in force at
 *   now and applies to that scope, purpose and recipient (a refusal overrides
 *   consent recorded before it or at the same instant; consent recorded
 *   after a refusal counts). WITHDRAWN and EXPIRED records never cover.
 * - consent with req->consent_id: that record must exist, and cover every
 *   requested scope for its own subject, who must be one of req->persons.
 */
void council__policy_decide(council__decision *out, const council__policy_config *cfg,
                            const council__decision_request *req);

#endif
