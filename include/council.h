/*
 * council.h - the public interface of libcouncil.
 *
 * libcouncil lets the members of a regional loneliness and isolation council
 * (孤独・孤立対策地域協議会) share individual case information under the secrecy
 * duty of the Act (Article 18): case records are encrypted, every disclosure
 * names its consent or legal basis, confidentiality scopes are enforced by
 * keys, and an append-only audit log can be verified with a public key alone.
 *
 * This is the only public header. It includes nothing but <stddef.h> and
 * <stdint.h>, and mentions no libsodium, SQLCipher or protobuf-c type, so
 * upgrades of those libraries cannot move this ABI.
 *
 * Conventions
 *  - Fallible calls return int: COUNCIL_OK (0) or a negative COUNCIL_E* code.
 *  - A handle comes first, then out-parameters, then inputs. Every byte
 *    pointer is followed by its size_t length.
 *  - Bytes the library returns arrive in a council_buf that the caller
 *    releases with council_buf_free(), which wipes before freeing.
 *  - Structured results are serialised protobuf messages defined in
 *    proto/council/v1/ (installed with the headers), so each language uses
 *    its own protobuf runtime and this ABI stays small.
 *  - Words MUST and MAY are used in the sense of RFC 2119.
 *
 * Threads
 *  council_global_init(), council_version_number(),
 *  council_version_string(), council_errstr() and the council_merkle_*
 *  functions are safe from any thread. A council handle may be used by one
 *  thread at a time. Separate handles share no mutable state, and error
 *  text lives in the handle. (One process-wide setting is written by every
 *  open: SQLCipher's log level, always to the same value, NONE.)
 *
 * Stability
 *  While the major version is 0, any minor release may break the ABI.
 *  Error code values are permanent; new ones are only appended.
 */
#ifndef COUNCIL_H
#define COUNCIL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef COUNCIL_API
#  if defined(__GNUC__) && __GNUC__ >= 4
#    define COUNCIL_API __attribute__((visibility("default")))
#  else
#    define COUNCIL_API
#  endif
#endif

#ifndef COUNCIL_NODISCARD
#  if defined(__GNUC__) && __GNUC__ >= 4
#    define COUNCIL_NODISCARD __attribute__((warn_unused_result))
#  else
#    define COUNCIL_NODISCARD
#  endif
#endif

/* ---------------------------------------------------------------- version */

#define COUNCIL_VERSION_MAJOR 0
#define COUNCIL_VERSION_MINOR 1
#define COUNCIL_VERSION_PATCH 0
/** MAJOR * 10000 + MINOR * 100 + PATCH. @since 0.1.0 */
#define COUNCIL_VERSION_NUMBER \
    (COUNCIL_VERSION_MAJOR * 10000 + COUNCIL_VERSION_MINOR * 100 + COUNCIL_VERSION_PATCH)
#define COUNCIL_VERSION_STRING "0.1.0"

/**
 * The version of the library actually loaded, as COUNCIL_VERSION_NUMBER.
 *
 * Compare with the COUNCIL_VERSION_NUMBER your code was built against to
 * detect a mismatched shared library.
 *
 * @return the runtime version number; never fails.
 * Ownership: none. Thread-safe.
 * @since 0.1.0
 */
COUNCIL_API unsigned council_version_number(void);

/**
 * The version of the library actually loaded, as "MAJOR.MINOR.PATCH".
 *
 * @return a static string; never NULL.
 * Ownership: static storage; do not free. Thread-safe.
 * @since 0.1.0
 */
COUNCIL_API const char *council_version_string(void);

/* ----------------------------------------------------------------- errors */

/**
 * Return codes. 0 is success; every failure is negative. The values are
 * permanent: codes may be appended, never renumbered or reused.
 * Callers normally need to branch only on COUNCIL_EAUTH, COUNCIL_EDENIED,
 * COUNCIL_ENOCONSENT, COUNCIL_ETAMPER and COUNCIL_EBUFS.
 * @since 0.1.0
 */
typedef enum council_error {
    COUNCIL_OK          = 0,   /**< success */
    COUNCIL_ERROR       = -1,  /**< unexpected internal failure */
    COUNCIL_EINVAL      = -2,  /**< an argument is out of range or malformed */
    COUNCIL_ENOMEM      = -3,  /**< out of memory */
    COUNCIL_EIO         = -4,  /**< a file or database operation failed */
    COUNCIL_EAUTH       = -5,  /**< wrong passphrase or key, or data failed authentication */
    COUNCIL_EDENIED     = -6,  /**< the actor is not entitled to this */
    COUNCIL_ENOCONSENT  = -7,  /**< no consent or legal basis covers this disclosure */
    COUNCIL_ETAMPER     = -8,  /**< the audit log or a proof does not verify */
    COUNCIL_EFORMAT     = -9,  /**< a file or message is truncated, corrupted or not ours */
    COUNCIL_EEXIST      = -10, /**< the thing to be created exists already */
    COUNCIL_ENOTFOUND   = -11, /**< the thing named does not exist */
    COUNCIL_EMISUSE     = -12, /**< NULL, closed or foreign handle; call out of order */
    COUNCIL_ELIMIT      = -13, /**< a size or count limit was exceeded */
    COUNCIL_EBUFS       = -14, /**< the caller's output buffer is too small */
    COUNCIL_EUNSUPPORTED = -15, /**< format or store version newer than this library,
                                    or the SQLite linked is not SQLCipher 4 */
    COUNCIL_ESIGNATURE  = -16, /**< a bundle's signature does not verify (@since 0.3.0) */
    COUNCIL_ESENDER     = -17, /**< a bundle's sender is not one this store trusts (@since 0.3.0) */
    COUNCIL_ERECIPIENT  = -18, /**< a bundle is addressed to another recipient (@since 0.3.0) */
    COUNCIL_EEXPIRED    = -19, /**< a bundle or its imported content has expired (@since 0.3.0) */
    COUNCIL_EREPLAY     = -20  /**< a bundle was imported already (@since 0.3.0) */
} council_error;

/**
 * A static English description of a return code.
 *
 * @param rc a return code; unknown values are described as such.
 * @return static text; never NULL, never allocates.
 * Ownership: static storage; do not free. Thread-safe.
 * @since 0.1.0
 */
COUNCIL_API const char *council_errstr(int rc);

/* ---------------------------------------------------------------- buffers */

/** Bytes returned by the library. @since 0.1.0 */
typedef struct council_buf {
    uint8_t *ptr; /**< the bytes, or NULL when empty */
    size_t len;   /**< their number */
} council_buf;

/**
 * Wipe and free the bytes of a council_buf, and reset it to empty.
 *
 * @param buf the buffer; NULL and an empty buffer are accepted.
 * Ownership: releases what the library allocated into *buf.
 * @since 0.1.0
 */
COUNCIL_API void council_buf_free(council_buf *buf);

/* ------------------------------------------------------------------- init */

/**
 * Initialise the library (and libsodium). Idempotent and thread-safe;
 * council_create() and council_open() call it themselves.
 *
 * @return COUNCIL_OK, or COUNCIL_ERROR if the cryptographic library could
 *         not be initialised (no usable random source).
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_global_init(void);

/* ---------------------------------------------------------------- handles */

/** An open council store. Opaque. @since 0.1.0 */
typedef struct council council;

/** Size of the council root key an integrator may supply. @since 0.1.0 */
#define COUNCIL_ROOT_KEY_BYTES 32
/** Function twin of COUNCIL_ROOT_KEY_BYTES. @since 0.1.0 */
COUNCIL_API size_t council_root_key_bytes(void);

/** Size of the council id (a random UUID). @since 0.1.0 */
#define COUNCIL_ID_BYTES 16
/** Function twin of COUNCIL_ID_BYTES. @since 0.1.0 */
COUNCIL_API size_t council_id_bytes(void);

/* ----------------------------------------------------------- integrator's kit */

/** Bytes of a UUID's text form with its NUL: 36 characters + 1. @since 0.1.0 */
#define COUNCIL_UUID_TEXT_BYTES 37

/**
 * Parse a UUID's text form into its 16 bytes (the library's ids: members,
 * staff, cases, persons, consents, meetings). Strict: exactly 36
 * characters, 8-4-4-4-12 hexadecimal digits (either case) separated by
 * hyphens; no braces, no "urn:uuid:", no spaces. Any version is accepted.
 *
 * @param[out] id     receives 16 bytes; zeroed when the text is refused.
 * @param id_len      COUNCIL_ID_BYTES.
 * @param text        NUL-terminated text.
 * @return COUNCIL_OK; COUNCIL_EINVAL for text that is not such a UUID (or
 *         id_len not COUNCIL_ID_BYTES); COUNCIL_EMISUSE for NULL id or text.
 * Ownership: writes only id; keeps nothing. Thread-safe; no handle and no
 * council_global_init() needed.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_uuid_parse(uint8_t *id, size_t id_len,
                                                     const char *text);

/**
 * Format a 16-byte id as UUID text: 36 lower-case characters and a NUL.
 *
 * @param[out] text   receives the text.
 * @param text_len    its capacity, at least COUNCIL_UUID_TEXT_BYTES.
 * @param id          16 bytes.
 * @param id_len      COUNCIL_ID_BYTES.
 * @return COUNCIL_OK; COUNCIL_EBUFS if text_len is below
 *         COUNCIL_UUID_TEXT_BYTES (text is then "" if text_len > 0);
 *         COUNCIL_EINVAL if id_len is not COUNCIL_ID_BYTES; COUNCIL_EMISUSE
 *         for NULL text or id.
 * Ownership: writes only text; keeps nothing. Thread-safe; no handle needed.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_uuid_format(char *text, size_t text_len,
                                                      const uint8_t *id, size_t id_len);

/**
 * A protobuf-c allocator that wipes every block it frees, for unpacking
 * results that hold decrypted case content (council_section_read(),
 * council_case_read(), council_meeting_packet(), ...):
 *
 *     ProtobufCAllocator *a = council_protobuf_allocator();
 *     Council__V1__SectionRecord *r =
 *         council__v1__section_record__unpack(a, buf.len, buf.ptr);
 *     ...
 *     council__v1__section_record__free_unpacked(r, a);
 *
 * This header does not include protobuf-c, so the type is void *: the
 * pointer is a `ProtobufCAllocator *` (protobuf-c 1.x). Free a message with
 * the allocator that unpacked it (the blocks carry their size in front, so
 * protobuf-c's default allocator cannot free them). The decoders for the
 * library's messages are installed with it: pkg-config libcouncil-proto
 * (see doc/integrating.md).
 *
 * @return a pointer to static storage; never NULL. Thread-safe.
 * Ownership: static; do not free or modify.
 * @since 0.1.0
 */
COUNCIL_API void *council_protobuf_allocator(void);

/*
 * The proto enumerations a caller passes as integers, with the values of
 * the .proto files in proto/council/v1/ (each COUNCIL_<proto name>; 0 is each enum's
 * UNKNOWN and is never listed). `make test` checks every one against the
 * protobuf-c descriptors (tests/test_kit.c), so they cannot drift.
 */

/** council.v1.MemberKind: council_member_options.kind. @since 0.1.0 */
#define COUNCIL_MEMBER_KIND_MUNICIPAL_DEPARTMENT 1
#define COUNCIL_MEMBER_KIND_PREFECTURAL_DEPARTMENT 2
#define COUNCIL_MEMBER_KIND_SOCIAL_WELFARE_COUNCIL 3
#define COUNCIL_MEMBER_KIND_SOCIAL_WELFARE_CORPORATION 4
#define COUNCIL_MEMBER_KIND_NPO 5
#define COUNCIL_MEMBER_KIND_MEDICAL 6
#define COUNCIL_MEMBER_KIND_SCHOOL 7
#define COUNCIL_MEMBER_KIND_POLICE 8
#define COUNCIL_MEMBER_KIND_CHILD_GUIDANCE_CENTRE 9
#define COUNCIL_MEMBER_KIND_PROBATION 10
#define COUNCIL_MEMBER_KIND_WELFARE_COMMISSIONER 11
#define COUNCIL_MEMBER_KIND_UTILITY 12
#define COUNCIL_MEMBER_KIND_FINANCIAL 13
#define COUNCIL_MEMBER_KIND_COMPANY 14
#define COUNCIL_MEMBER_KIND_OTHER 15

/** council.v1.CaseBody: council_case_options.body (0 also means COUNCIL). @since 0.1.0 */
#define COUNCIL_CASE_BODY_COUNCIL 1
#define COUNCIL_CASE_BODY_SUPPORT_MEETING 2
#define COUNCIL_CASE_BODY_NEEDS_OF_POOR_MEETING 3

/** council.v1.PersonRole: council_case_add_person() takes FAMILY or
 *  CLOSE_THIRD_PARTY (SUPPORTED is the case's own person). @since 0.1.0 */
#define COUNCIL_PERSON_ROLE_SUPPORTED 1
#define COUNCIL_PERSON_ROLE_FAMILY 2
#define COUNCIL_PERSON_ROLE_CLOSE_THIRD_PARTY 3

/** council.v1.CaseStatus: council_case_set_status() takes OPEN, MONITORING
 *  or CLOSED (ERASED is council_case_erase()'s). @since 0.1.0 */
#define COUNCIL_CASE_STATUS_OPEN 1
#define COUNCIL_CASE_STATUS_MONITORING 2
#define COUNCIL_CASE_STATUS_CLOSED 3
#define COUNCIL_CASE_STATUS_ERASED 4

/** council.v1.GrantorKind: council_consent_options.grantor (0 also means SELF). @since 0.1.0 */
#define COUNCIL_GRANTOR_KIND_SELF 1
#define COUNCIL_GRANTOR_KIND_LEGAL_REPRESENTATIVE 2
#define COUNCIL_GRANTOR_KIND_GUARDIAN 3

/** council.v1.ConsentMethod: council_consent_options.method. @since 0.1.0 */
#define COUNCIL_CONSENT_METHOD_WRITTEN 1
#define COUNCIL_CONSENT_METHOD_ORAL 2
#define COUNCIL_CONSENT_METHOD_ELECTRONIC 3

/** council.v1.MeetingBody: council_meeting_options.body. @since 0.1.0 */
#define COUNCIL_MEETING_BODY_COUNCIL 1
#define COUNCIL_MEETING_BODY_SUPPORT_MEETING 2
#define COUNCIL_MEETING_BODY_JOINT_PLATFORM 3
/** The needs-of-the-poor meeting (生活困窮者自立支援法第9条): a slot's or an agenda item's body. @since 0.2.0 */
#define COUNCIL_MEETING_BODY_NEEDS_OF_POOR_MEETING 4

/** council.v1.TaskState (case.proto): council_task_set_state() takes DONE
 *  or CANCELLED (both final); council_task_filter.state. @since 0.2.0 */
#define COUNCIL_TASK_STATE_OPEN 1
#define COUNCIL_TASK_STATE_DONE 2
#define COUNCIL_TASK_STATE_CANCELLED 3

/** council.v1.AuditAction: council_audit_filter.action (0: any). @since 0.1.0 */
#define COUNCIL_AUDIT_ACTION_COUNCIL_CREATED 1
#define COUNCIL_AUDIT_ACTION_SESSION_OPENED 2
#define COUNCIL_AUDIT_ACTION_SESSION_REFUSED 3
#define COUNCIL_AUDIT_ACTION_MEMBER_ADDED 4
#define COUNCIL_AUDIT_ACTION_MEMBER_WITHDRAWN 5
#define COUNCIL_AUDIT_ACTION_STAFF_ADDED 6
#define COUNCIL_AUDIT_ACTION_STAFF_RETIRED 7
#define COUNCIL_AUDIT_ACTION_PLEDGE_RECORDED 8
#define COUNCIL_AUDIT_ACTION_CASE_CREATED 9
#define COUNCIL_AUDIT_ACTION_CASE_READ 10
#define COUNCIL_AUDIT_ACTION_CASE_UPDATED 11
#define COUNCIL_AUDIT_ACTION_CASE_ERASED 12
#define COUNCIL_AUDIT_ACTION_SECTION_DECRYPTED 13
#define COUNCIL_AUDIT_ACTION_SHARE_GRANTED 14
#define COUNCIL_AUDIT_ACTION_SHARE_REVOKED 15
#define COUNCIL_AUDIT_ACTION_CONSENT_RECORDED 16
#define COUNCIL_AUDIT_ACTION_CONSENT_WITHDRAWN 17
#define COUNCIL_AUDIT_ACTION_DISCLOSURE_MADE 18
#define COUNCIL_AUDIT_ACTION_DISCLOSURE_REFUSED 19
#define COUNCIL_AUDIT_ACTION_MEETING_OPENED 20
#define COUNCIL_AUDIT_ACTION_MEETING_CLOSED 21
#define COUNCIL_AUDIT_ACTION_BUNDLE_EXPORTED 22
#define COUNCIL_AUDIT_ACTION_BUNDLE_IMPORTED 23
#define COUNCIL_AUDIT_ACTION_KEY_ROTATED 24
#define COUNCIL_AUDIT_ACTION_CHECKPOINT_SIGNED 25
#define COUNCIL_AUDIT_ACTION_REPORT_PRODUCED 26
#define COUNCIL_AUDIT_ACTION_AUDIT_EXPORTED 27
#define COUNCIL_AUDIT_ACTION_MEMBER_UPDATED 28
#define COUNCIL_AUDIT_ACTION_MEMBER_KEY_REGISTERED 29
#define COUNCIL_AUDIT_ACTION_OPERATION_REFUSED 30
#define COUNCIL_AUDIT_ACTION_CASE_SEARCHED 31
#define COUNCIL_AUDIT_ACTION_SCOPE_ADDED 32
#define COUNCIL_AUDIT_ACTION_SCOPE_REMOVED 33
#define COUNCIL_AUDIT_ACTION_PERSON_ADDED 34
#define COUNCIL_AUDIT_ACTION_POLICY_CHANGED 35
#define COUNCIL_AUDIT_ACTION_TAMPER_DETECTED 36
#define COUNCIL_AUDIT_ACTION_LOG_HEAD_RESET 37
#define COUNCIL_AUDIT_ACTION_SETTING_CHANGED 38
#define COUNCIL_AUDIT_ACTION_REFERRAL_PROPOSED 39
#define COUNCIL_AUDIT_ACTION_REFERRAL_ACCEPTED 40
#define COUNCIL_AUDIT_ACTION_REFERRAL_DECLINED 41
#define COUNCIL_AUDIT_ACTION_REFERRAL_WITHDRAWN 42
#define COUNCIL_AUDIT_ACTION_REFERRAL_COMPLETED 43
#define COUNCIL_AUDIT_ACTION_REFERRAL_ENDED 44
/** Cooperation requests (council_request_make() etc.). @since 0.2.0 */
#define COUNCIL_AUDIT_ACTION_REQUEST_MADE 45
#define COUNCIL_AUDIT_ACTION_REQUEST_ANSWERED 46
#define COUNCIL_AUDIT_ACTION_REQUEST_DECLINED 47
#define COUNCIL_AUDIT_ACTION_REQUEST_WITHDRAWN 48
#define COUNCIL_AUDIT_ACTION_REQUEST_READ 49
/** A meeting's minutes recorded (council_meeting_minutes()). @since 0.2.0 */
#define COUNCIL_AUDIT_ACTION_MINUTES_RECORDED 56
/** A meeting's decision recorded (council_meeting_decide()). @since 0.2.0 */
#define COUNCIL_AUDIT_ACTION_DECISION_RECORDED 57
/** A meeting's minutes or decisions read (council_meeting_record(), council_meeting_decision_read()). @since 0.2.0 */
#define COUNCIL_AUDIT_ACTION_MEETING_RECORD_READ 58
#define COUNCIL_AUDIT_ACTION_CASE_TRANSFERRED 60
#define COUNCIL_AUDIT_ACTION_PERSON_MERGED 61
#define COUNCIL_AUDIT_ACTION_CASE_ASSIGNED 50
#define COUNCIL_AUDIT_ACTION_TASK_ADDED 51
#define COUNCIL_AUDIT_ACTION_TASK_UPDATED 52
#define COUNCIL_AUDIT_ACTION_REVIEW_SCHEDULED 53
#define COUNCIL_AUDIT_ACTION_CASE_HANDED_OVER 54
#define COUNCIL_AUDIT_ACTION_TASK_READ 55
/** A person handed over to the council (council_intake_import(), bundles):
 *  object_id the case, bundle_hash when it came as a bundle. @since 0.3.0 */
#define COUNCIL_AUDIT_ACTION_INTAKE_RECEIVED 74
/** A member node made (council_node_init()), in the node's own log. @since 0.3.0 */
#define COUNCIL_AUDIT_ACTION_NODE_CREATED 64
/** An item on a member node read (council_node_read()). @since 0.3.0 */
#define COUNCIL_AUDIT_ACTION_NODE_CONTENT_READ 65
/** An item on a member node deleted: revoked or expired. @since 0.3.0 */
#define COUNCIL_AUDIT_ACTION_NODE_CONTENT_DELETED 66
/** The council's checkpoint verified on a member node (or refused). @since 0.3.0 */
#define COUNCIL_AUDIT_ACTION_NODE_CHECKPOINT_WITNESSED 67
/** A case's sections given to an outside party named in a consent (an
 *  organisation that is not a member): object_id its external_party_id. @since 0.3.0 */
#define COUNCIL_AUDIT_ACTION_OUTSIDE_DISCLOSURE 68
/** The retention schedule changed (object_id: the schedule's id). @since 0.3.0 */
#define COUNCIL_AUDIT_ACTION_RETENTION_SCHEDULE_CHANGED 71
/** A retention pass applied (reason: erased_N_purged_M). @since 0.3.0 */
#define COUNCIL_AUDIT_ACTION_RETENTION_APPLIED 72
/** A case's ended shares (expired, meeting ended, consent ended) purged of
 *  their keys by a retention pass (reason: retention). @since 0.3.0 */
#define COUNCIL_AUDIT_ACTION_KEYS_PURGED 73

/** A person's file produced (council_person_report()): object_id the person. @since 0.3.0 */
#define COUNCIL_AUDIT_ACTION_PERSON_REPORT_PRODUCED 75
/** A case's pseudonym resolved to the case (council_case_by_pseudonym()). @since 0.3.0 */
#define COUNCIL_AUDIT_ACTION_CASE_RESOLVED 76

/** A case's evidence file written for an auditor (council_case_evidence()):
 *  case_ref the case. @since 0.3.0 */
#define COUNCIL_AUDIT_ACTION_CASE_EVIDENCE_EXPORTED 62
/** A platform report issued (council_report_platform_period()): reason
 *  names k, the format and the period, bundle_hash the SHA-256 of the
 *  report's bytes; refused for an overlapping period. @since 0.3.0 */
#define COUNCIL_AUDIT_ACTION_REPORT_ISSUED 63

/** The provision register produced (council_provision_register()): subject_member
 *  the member, absent for all members. @since 0.3.0 */
#define COUNCIL_AUDIT_ACTION_PROVISION_REGISTER_PRODUCED 69

/** Wrapped data keys of the old format (sealed boxes) written again in the
 *  current one by the secretariat's session at open: reason "v2_<rows>",
 *  one event per transaction of rows. @since 0.3.0 */
#define COUNCIL_AUDIT_ACTION_KEY_WRAPS_MIGRATED 77
/** The blind index widened (council_index_rebuild()): reason names the old
 *  and new token widths ("w16_to_w18_started", one "w16_to_w18" a chunk of
 *  persons, "w18_done"). @since 0.3.0 */
#define COUNCIL_AUDIT_ACTION_BLIND_INDEX_REBUILT 78

/** Longest council name accepted, in bytes of UTF-8. @since 0.1.0 */
#define COUNCIL_NAME_MAX 256

/**
 * The largest bundle file the library reads or writes (doc/bundle-format.md):
 * a larger one is refused with COUNCIL_ELIMIT before any byte is parsed.
 * @since 0.3.0
 */
#define COUNCIL_BUNDLE_MAX (16u * 1024u * 1024u + 8192u)

/** A bundle's default lifetime: 30 days (council_bundle_options.expires 0). @since 0.3.0 */
#define COUNCIL_BUNDLE_TTL_DEFAULT (30 * 86400)
/** A bundle's longest lifetime: 366 days. @since 0.3.0 */
#define COUNCIL_BUNDLE_TTL_MAX (366 * 86400)

#define COUNCIL_BUNDLE_OPTIONS_VERSION 1

/**
 * Options of the calls that make a bundle (council_bundle_*(),
 * council_node_*() answers). Start from COUNCIL_BUNDLE_OPTIONS_INIT.
 * @since 0.3.0
 */
typedef struct council_bundle_options {
    unsigned version;           /**< COUNCIL_BUNDLE_OPTIONS_VERSION */
    int64_t expires;            /**< Unix seconds; 0: COUNCIL_BUNDLE_TTL_DEFAULT from now;
                                     at most COUNCIL_BUNDLE_TTL_MAX ahead */
    const char *purpose;        /**< personal data: the purpose code, or NULL for the
                                     call's default */
    const char *basis;          /**< the legal basis code or "consent", or NULL */
    const uint8_t *consent_id;  /**< basis "consent": the consent record (16 bytes) */
    size_t consent_id_len;
} council_bundle_options;

#define COUNCIL_BUNDLE_OPTIONS_INIT { COUNCIL_BUNDLE_OPTIONS_VERSION, 0, NULL, NULL, NULL, 0 }
/** Function twin of COUNCIL_NAME_MAX. @since 0.1.0 */
COUNCIL_API size_t council_name_max(void);

/** Longest passphrase accepted, in bytes. @since 0.1.0 */
#define COUNCIL_PASSPHRASE_MAX 1024
/** Function twin of COUNCIL_PASSPHRASE_MAX. @since 0.1.0 */
COUNCIL_API size_t council_passphrase_max(void);

/**
 * Argon2id cost limits accepted for a passphrase-protected keyring or member
 * keyfile. A file whose stored parameters lie outside them is refused with
 * COUNCIL_EFORMAT before any key derivation runs.
 * @since 0.1.0
 */
#define COUNCIL_KDF_OPSLIMIT_MIN 1u
#define COUNCIL_KDF_OPSLIMIT_MAX 16u
#define COUNCIL_KDF_MEMLIMIT_MIN 8192u
#define COUNCIL_KDF_MEMLIMIT_MAX 2147483648u
/** Function twins of the COUNCIL_KDF_* limits. @since 0.1.0 */
COUNCIL_API uint64_t council_kdf_opslimit_min(void);
COUNCIL_API uint64_t council_kdf_opslimit_max(void);
COUNCIL_API uint64_t council_kdf_memlimit_min(void);
COUNCIL_API uint64_t council_kdf_memlimit_max(void);

#define COUNCIL_CREATE_OPTIONS_VERSION 1

/**
 * How to create a council. Initialise with COUNCIL_CREATE_OPTIONS_INIT.
 *
 * Exactly one of passphrase and root_key MUST be given:
 *  - passphrase: a random root key is generated and kept in the keyring,
 *    wrapped under a key derived from the passphrase with Argon2id;
 *  - root_key: the integrator supplies the 32-byte root key (from a key
 *    management service, say); it is never written to disk, and the same
 *    key MUST be supplied to every council_open().
 * kdf_opslimit and kdf_memlimit choose the Argon2id cost of a passphrase
 * (ignored with a root_key); 0 means the default, libsodium's MODERATE
 * level. Tests MAY pass cheap values, within the COUNCIL_KDF_* limits.
 * @since 0.1.0
 */
typedef struct council_create_options {
    unsigned version;           /**< COUNCIL_CREATE_OPTIONS_VERSION */
    const char *name;           /**< council name, UTF-8, 1..COUNCIL_NAME_MAX bytes */
    const uint8_t *passphrase;  /**< or NULL */
    size_t passphrase_len;      /**< 1..COUNCIL_PASSPHRASE_MAX */
    const uint8_t *root_key;    /**< or NULL */
    size_t root_key_len;        /**< COUNCIL_ROOT_KEY_BYTES */
    uint64_t kdf_opslimit;      /**< 0 for the default */
    uint64_t kdf_memlimit;      /**< bytes; 0 for the default */
} council_create_options;

#define COUNCIL_CREATE_OPTIONS_INIT \
    { COUNCIL_CREATE_OPTIONS_VERSION, NULL, NULL, 0, NULL, 0, 0, 0 }

#define COUNCIL_OPEN_OPTIONS_VERSION 5

/** The most bytes council_session_secret() writes. @since 0.1.0 */
#define COUNCIL_SESSION_SECRET_MAX 256

/**
 * How to open a council. Initialise with COUNCIL_OPEN_OPTIONS_INIT.
 *
 * The secretariat's session (the root-key holder): exactly one of
 * passphrase and root_key, matching how the council was created.
 *
 * What a staff session proves: that the caller holds the member's key (its
 * keyfile and passphrase, or its raw key). The staff id is attribution
 * within that member, not authenticated by a key of its own: anyone with
 * the member's key can act under the id of any of its active, pledged
 * staff. So when someone who knew the member's passphrase leaves, retire
 * them AND replace the member's keys (council_member_keygen()), which ends
 * every session opened with the old ones. Per-staff keys are planned.
 *
 * A staff session (version 2): staff_id, and either the member's keyfile
 * (from council_member_keygen()) with the member's passphrase in
 * `passphrase`, or (an integrator holding keys elsewhere) member_id with
 * the member's raw 32-byte X25519 secret key in member_box_key; root_key
 * MUST be NULL. The session acts as that staff member: it opens
 * only for pledged, active staff of an active member with keys, and can
 * call council_info(), council_members_announce() and the case functions
 * below (within its member's entitlements); the secretariat's calls give
 * COUNCIL_EDENIED. Version 1 and 2 structs are still accepted.
 *
 * Version 3: with a raw key, member_sign_key may give the member's Ed25519
 * seed (32 bytes). A session signs with it what its member decides and
 * others must be able to check against the insider (see SECURITY.md): the
 * first key of a scope of a case it owns, consent records, shares. A
 * session opened with a keyfile has it from the keyfile; one opened with a
 * raw box key alone gets COUNCIL_EDENIED for those acts.
 *
 * A keyfile made by council_member_keygen() pins the council's log public
 * key, which anchors the signed key directory (see the cases section): a
 * keyring that names another log key is refused (COUNCIL_EAUTH). A session
 * opened with a raw member key, or with a keyfile from before the pin,
 * trusts the log key the keyring names.
 *
 * Version 4: session_secret (with session_secret_len), a blob that
 * council_session_secret() gave for a session of this council, opens the
 * same kind of session again without the passphrase or keyfile: the
 * secretariat's (with the root key it holds, whether the council was
 * created with a passphrase or a root key) or the same staff member's (with
 * the member's raw keys it holds, as version 3 does). Every other
 * credential field MUST then be NULL. A damaged or truncated blob, or one
 * of an unknown format, is refused (COUNCIL_EFORMAT) before the store is
 * touched; a blob of another council is refused (COUNCIL_EAUTH). The
 * session is opened, checked and logged exactly as with the credentials
 * the blob holds. Version 1 to 3 structs are still accepted.
 *
 * The secretariat and the coordinating body act through their own pledged
 * staff: a staff session of a member whose signed register row has
 * COUNCIL_ROLE_SECRETARIAT holds the council's log key and the coordinating
 * body's wrap key (sealed to the member's signed key in council.keyring),
 * and may make every secretariat call but those that change the root key
 * or keys derived from it (council_passphrase_change(),
 * council_rekey_root(), council_rekey_database(),
 * council_audit_head_reset()); one of a member with
 * COUNCIL_ROLE_COORDINATING_BODY holds the coordinating body's wrap key and
 * reads every case. Their events name the person (actor_kind staff).
 *
 * Version 5: a session of the council passphrase or root key (root) says
 * why it is used: root_reason, one of "setup" (before the secretariat's
 * staff exist), "recovery", "emergency" or "key_management" (the calls
 * above), with root_reason_text, the written reason (1..1024 bytes of
 * UTF-8 without control characters; COUNCIL_EINVAL otherwise, and both
 * MUST be NULL in a staff session). The session's "session opened" event
 * carries the code as its reason, and the text is kept in the store beside
 * it (never in the log). A root session opened without (versions 1 to 4,
 * or NULL) is recorded with reason "undeclared".
 * @since 0.1.0
 */
typedef struct council_open_options {
    unsigned version;           /**< COUNCIL_OPEN_OPTIONS_VERSION (or 1) */
    const uint8_t *passphrase;  /**< council passphrase, or member passphrase, or NULL */
    size_t passphrase_len;
    const uint8_t *root_key;    /**< or NULL */
    size_t root_key_len;
    const uint8_t *staff_id;    /**< version 2: staff id (16 bytes), or NULL */
    size_t staff_id_len;
    const uint8_t *keyfile;     /**< version 2: the member keyfile's bytes */
    size_t keyfile_len;
    const uint8_t *member_id;   /**< version 2: with member_box_key (16 bytes) */
    size_t member_id_len;
    const uint8_t *member_box_key; /**< version 2: raw X25519 secret key, 32 bytes */
    size_t member_box_key_len;
    const uint8_t *member_sign_key; /**< version 3: with member_box_key, the member's
                                         Ed25519 seed (32 bytes), or NULL */
    size_t member_sign_key_len;
    const uint8_t *session_secret; /**< version 4: a blob from
                                        council_session_secret(), alone */
    size_t session_secret_len;
    const char *root_reason;    /**< version 5: why the council passphrase
                                     (root) is used: "setup", "recovery",
                                     "emergency" or "key_management" */
    const char *root_reason_text; /**< version 5: the written reason, 1..1024
                                       bytes of UTF-8 (with root_reason) */
} council_open_options;

#define COUNCIL_OPEN_OPTIONS_INIT \
    { COUNCIL_OPEN_OPTIONS_VERSION, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, \
      NULL, 0, NULL, NULL }

/**
 * Create a new council store in the directory `path`.
 *
 * The directory MUST NOT exist, or MUST be empty; it is created (or set)
 * with mode 0700. It receives `council.db` (SQLCipher 4, keyed with a subkey of the
 * root key) and `council.keyring` (the wrapped root key and log key). The
 * council gets a random id, the given name, a random root key (unless one
 * is supplied) and an Ed25519 log key pair. Nothing is left behind on
 * failure.
 *
 * Like sqlite3_open(), a handle is returned in *out even on most failures so
 * that council_errmsg() can explain them; the caller MUST council_close() it.
 * *out is NULL only on COUNCIL_ENOMEM, COUNCIL_EMISUSE (out is NULL) or when
 * council_global_init() fails.
 *
 * @param[out] out   receives the open handle.
 * @param path       the store directory, UTF-8.
 * @param opts       the options; see council_create_options.
 * @return COUNCIL_OK;
 *         COUNCIL_EINVAL for a bad name, path, passphrase, key or KDF cost,
 *           or when neither or both of passphrase and root_key are given;
 *         COUNCIL_EMISUSE if out or opts is NULL or opts->version is unknown;
 *         COUNCIL_EEXIST if path exists and is not an empty directory;
 *         COUNCIL_EIO if the directory or files cannot be written;
 *         COUNCIL_EUNSUPPORTED if the linked SQLite is not SQLCipher 4;
 *         COUNCIL_ENOMEM; COUNCIL_ERROR.
 * Ownership: the caller owns *out and releases it with council_close().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_create(council **out, const char *path,
                                                 const council_create_options *opts);

/**
 * Open an existing council store.
 *
 * Reads and checks the keyring, derives the keys, checks that the linked
 * SQLite is SQLCipher 4, probes the database key and applies any pending
 * schema migrations inside one transaction. A "session opened" event is
 * then appended to the audit log; if it cannot be made durable, the open
 * fails with COUNCIL_EIO (the log comes first).
 *
 * A root session's open also finishes a database re-key that was
 * interrupted (or clears the keyring's mark when council.db was re-keyed
 * but the mark was left), and signs the coordinating body's wrap key with
 * the log key again, seals the role keys to the role holders, and imports
 * the journaled refusals. The first root open of a store made before the
 * signed key directory signs the members' box keys registered at that
 * moment (trust on first use, once).
 *
 * Like council_create(), a handle is returned in *out even on most
 * failures; the caller MUST council_close() it.
 *
 * @param[out] out   receives the open handle.
 * @param path       the store directory.
 * @param opts       the credentials; see council_open_options.
 * A staff session refused inside the store (unknown staff, staff of
 * another member, no pledge, retired staff, or a member that withdrew while
 * its key was still sealed) is logged as "session refused" with the
 * reason. Refusals before the store can be opened (a wrong member
 * passphrase, a damaged or newer-format keyfile, another council's
 * keyfile, a keyfile pinning another log key than the keyring's, a
 * keyfile whose key does not open the member's sealed database key, or a
 * member without access: one that withdrew, whose sealed key is removed,
 * or has no keys) are sealed to the council's journal key in
 * council.refusals, and the secretariat's next council_open() puts them in
 * the audit log (records removed from the journal before that are not
 * detectable; unreadable ones are logged as damaged).
 *
 * @return COUNCIL_OK;
 *         COUNCIL_EAUTH for a wrong passphrase or root key (or member
 *           passphrase or key), a keyring or keyfile that belongs to
 *           another store or council, a keyring whose log key is not the
 *           one the keyfile pins, or a council.db that was damaged or
 *           replaced (SQLCipher cannot tell these from a wrong key);
 *         COUNCIL_EDENIED for a staff session refused: unknown staff, staff
 *           of another member, no pledge, retired staff, or a member that
 *           withdrew or has no keys;
 *         COUNCIL_EFORMAT for a truncated, corrupted or foreign keyring, a
 *           council.db shorter than its 16-byte header, or a database that
 *           holds no record of this council;
 *         COUNCIL_ENOTFOUND if the store or one of its files is missing;
 *         COUNCIL_EUNSUPPORTED for a keyring, keyfile or schema version
 *           newer than this library, or a SQLite that is not SQLCipher 4;
 *         COUNCIL_EINVAL for malformed credentials (wrong key length,
 *           passphrase too long, both or neither given, a staff id without
 *           a keyfile, or the kind the store was not created with);
 *         COUNCIL_EFORMAT also for a damaged member keyfile;
 *         COUNCIL_EMISUSE if out or opts is NULL or opts->version is unknown;
 *         COUNCIL_EIO, also when another session holds council.db or the
 *           keyring locked for more than 10 seconds (every wait is bounded
 *           so), when the disk is full, or when another session re-keyed
 *           council.db meanwhile (the message says which: open again);
 *         COUNCIL_ENOMEM; COUNCIL_ERROR.
 * Ownership: the caller owns *out and releases it with council_close().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_open(council **out, const char *path,
                                               const council_open_options *opts);

/**
 * What opens this session again without the passphrase: a versioned,
 * self-describing blob for council_open_options.session_secret (version 4),
 * for a caller that keeps it for a limited time in memory only its user can
 * read (council-cli keeps it in the Linux kernel's user keyring while
 * unlocked). The blob holds the council id, the session's kind, and its
 * keys: for the secretariat's session the root key (32 bytes; for a
 * passphrase-protected council this hands out the key the passphrase
 * protects), for a staff session the member id, the staff id and the
 * member's raw box key and Ed25519 seed, and the council's log public key
 * the session trusted (a session reopened from the blob refuses a keyring
 * naming another, as the keyfile's pin does). It is checksummed (damage is
 * detected at open) but not encrypted: treat it as the credentials it
 * replaces, keep it in locked memory (sodium_malloc()) and wipe it.
 *
 * @param c        an open handle.
 * @param[out] out receives the blob; at least COUNCIL_SESSION_SECRET_MAX
 *                 bytes of memory the caller owns.
 * @param out_cap  the size of out.
 * @param[out] out_len receives the blob's length.
 * @return COUNCIL_OK; COUNCIL_EMISUSE for a bad handle or NULL out or
 *           out_len; COUNCIL_EINVAL if out_cap is below
 *           COUNCIL_SESSION_SECRET_MAX;
 *         COUNCIL_EDENIED for a staff session that was not opened with the
 *           member's full credentials (a raw box key without the signing
 *           seed: the blob would hold less than the session), or whose
 *           staff member retired or member withdrew since it opened
 *           (logged, as for every call).
 * Nothing is written to out on failure. The call is not logged: the
 * session it repeats is, each time it is opened.
 * Ownership: none; the caller wipes out when done.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_session_secret(council *c, uint8_t *out, size_t out_cap,
                                                         size_t *out_len);

/** The session holds the root key (opened with the council passphrase or
 *  root key). @since 0.1.0 */
#define COUNCIL_POWER_ROOT_KEY 1u
/** The session acts as the secretariat (root, or staff of the member in the
 *  secretariat's role holding its keys). @since 0.1.0 */
#define COUNCIL_POWER_SECRETARIAT 2u
/** The session reads as the coordinating body (root, or staff of the member
 *  in the secretariat's or the coordinating body's role). @since 0.1.0 */
#define COUNCIL_POWER_COORDINATOR 4u

/**
 * What the session may do, as COUNCIL_POWER_* bits: a caller asks before it
 * offers an action (a refused secretariat call is logged as a refusal). A
 * staff session's powers follow the signed register at every call: a role
 * taken away ends them at once. The call is not logged.
 *
 * @param c            an open handle.
 * @param[out] powers  receives the bits (0 for a member's staff without a
 *                     role).
 * @return COUNCIL_OK; COUNCIL_EMISUSE for a bad handle or NULL powers;
 *         COUNCIL_EDENIED once a staff session's staff member retired or
 *         its member withdrew (logged, as for every call).
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_session_powers(council *c, unsigned *powers);

/**
 * The council id of the store at `path`, read from its keyring without any
 * credentials (the id is not secret: the keyring holds it in the clear).
 *
 * @param path     the store directory.
 * @param[out] id  receives the council id.
 * @param id_len   COUNCIL_ID_BYTES.
 * @return COUNCIL_OK; COUNCIL_EINVAL for a bad path or id_len;
 *         COUNCIL_ENOTFOUND if the store or its keyring is missing;
 *         COUNCIL_EFORMAT for a damaged keyring; COUNCIL_EUNSUPPORTED for
 *         a newer one; COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: none.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_store_id(const char *path, uint8_t *id, size_t id_len);

/**
 * Close a handle: close the database, wipe and free every key.
 *
 * @param c the handle; NULL is accepted and does nothing. A handle MUST NOT
 *          be used after it is closed (its memory is freed). A handle whose
 *          create or open failed gives COUNCIL_EMISUSE from every call but
 *          council_errmsg() and council_close().
 * Ownership: releases c.
 * @since 0.1.0
 */
COUNCIL_API void council_close(council *c);

/**
 * The message describing the last failure on this handle.
 *
 * Messages name the operation and record ids, never passphrases, keys or
 * case content.
 *
 * @param c the handle, or NULL.
 * @return the message, "not an error" after a success, or a fixed text for
 *         a NULL or foreign handle; never NULL.
 * Ownership: belongs to the handle; valid until the next call on it.
 * @since 0.1.0
 */
COUNCIL_API const char *council_errmsg(const council *c);

/**
 * Describe the open council as a serialised council.v1.CouncilInfo message:
 * council id, name, creation time, schema version, library and SQLCipher
 * versions, keyring format, root key source, and the log public key (raw and
 * in the C2SP verifier-key form).
 *
 * @param c        an open handle.
 * @param[out] out receives the serialised message.
 * @return COUNCIL_OK; COUNCIL_EMISUSE for a bad handle or NULL out;
 *         COUNCIL_EDENIED in a staff session whose staff member has retired
 *           or whose member has withdrawn since it opened (logged; every
 *           later call on the handle gives COUNCIL_EMISUSE);
 *         COUNCIL_EIO if the database cannot be read; COUNCIL_EFORMAT if
 *         its schema table is missing; COUNCIL_ENOMEM; COUNCIL_ERROR.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_info(council *c, council_buf *out);

/**
 * The uses of the council passphrase (root) that declared a reason (open
 * options version 5), oldest first: a serialised council.v1.RootUseList,
 * each with the sequence number of its "session opened" event (which
 * carries the reason code) and the written reason kept beside it. The
 * secretariat's (its staff, or root). Not logged: a read of the council's
 * own record, like council_audit_list().
 *
 * @param c         an open handle.
 * @param[out] out  receives the list.
 * @return COUNCIL_OK; COUNCIL_EMISUSE; COUNCIL_EDENIED for a staff session
 *         that is not the secretariat's (logged); COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_root_uses(council *c, council_buf *out);

/**
 * Change the passphrase that protects the root key.
 *
 * Only the wrapped root key in the keyring is rewritten (atomically: a new
 * file is written, synced and renamed over the old one); no data is
 * re-encrypted. The change is logged ("key rotated"), and so is a refusal
 * for a wrong current passphrase. The current passphrase MUST be given again, so an
 * unattended open handle cannot be used to take over the council.
 *
 * @param c            an open handle of a passphrase-protected council.
 * @param old_pass     the current passphrase.
 * @param old_len      its length.
 * @param new_pass     the new passphrase, 1..COUNCIL_PASSPHRASE_MAX bytes.
 * @param new_len      its length.
 * @param kdf_opslimit Argon2id cost for the new wrap; 0 for the default.
 * @param kdf_memlimit Argon2id memory for the new wrap; 0 for the default.
 * @return COUNCIL_OK; COUNCIL_EAUTH if old_pass is wrong, or the keyring
 *           on disk was replaced by one holding another root key;
 *         COUNCIL_EINVAL for a bad passphrase or cost, or a council whose
 *           root key is supplied by the integrator (also when the keyring
 *           on disk was replaced by such a one);
 *         COUNCIL_EFORMAT if the keyring on disk was damaged meanwhile;
 *         COUNCIL_ENOTFOUND if it was removed; COUNCIL_EUNSUPPORTED if it
 *           was replaced by a newer format;
 *         COUNCIL_EMISUSE for a bad handle; COUNCIL_EDENIED in a staff
 *         session (logged); COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: none.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_passphrase_change(council *c,
        const uint8_t *old_pass, size_t old_len,
        const uint8_t *new_pass, size_t new_len,
        uint64_t kdf_opslimit, uint64_t kdf_memlimit);

/* ----------------------------------------------------------------- merkle */

/** Size of a Merkle tree hash (SHA-256). @since 0.1.0 */
#define COUNCIL_HASH_BYTES 32
/** Function twin of COUNCIL_HASH_BYTES. @since 0.1.0 */
COUNCIL_API size_t council_hash_bytes(void);

/** Longest proof accepted, in hashes (a tree of 2^64 leaves needs 64;
 *  a consistency proof at most twice that). @since 0.1.0 */
#define COUNCIL_PROOF_HASHES_MAX 128
/** Function twin of COUNCIL_PROOF_HASHES_MAX. @since 0.1.0 */
COUNCIL_API size_t council_proof_hashes_max(void);

/**
 * The RFC 9162 leaf hash of `data`: SHA-256(0x00 || data).
 *
 * @param[out] out  receives the hash.
 * @param out_len   MUST be COUNCIL_HASH_BYTES.
 * @param data      the leaf bytes (an audit event's canonical serialisation);
 *                  MAY be NULL when len is 0.
 * @param len       their length.
 * @return COUNCIL_OK; COUNCIL_EINVAL for a NULL out, a wrong out_len, or
 *         NULL data with a nonzero len.
 * Ownership: none. Thread-safe.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_merkle_leaf_hash(uint8_t *out, size_t out_len,
                                                           const uint8_t *data, size_t len);

/**
 * Verify an RFC 9162 inclusion proof (section 2.1.3.2) in constant memory.
 *
 * Hashes MUST be COUNCIL_HASH_BYTES long; a hash of any other length is
 * refused as malformed (this is the library's documented rule for the
 * published probes that use shorter "hashes"). The proof MUST hold exactly
 * the number of hashes the algorithm consumes: extra leading or trailing
 * hashes fail. The proof arrives concatenated, so a caller that decodes a
 * list of hashes MUST check that every element is COUNCIL_HASH_BYTES long
 * before concatenating (an empty element would vanish). As in RFC 9162, a
 * proof can also verify for another size with the same shape: take `size`
 * (and the root) from a signed checkpoint, never from the proof.
 *
 * @param index          0-based index of the leaf.
 * @param size           the tree size the root belongs to.
 * @param leaf_hash      the leaf's hash, and its length.
 * @param proof          concatenated hashes, and their total length.
 * @param root           the expected root, and its length.
 * @return COUNCIL_OK when the proof verifies;
 *         COUNCIL_ETAMPER when it does not (wrong hash, too many or too few
 *           hashes, wrong root);
 *         COUNCIL_EINVAL for malformed input: index >= size, a hash length
 *           other than COUNCIL_HASH_BYTES, a proof length that is not a
 *           multiple of it or longer than COUNCIL_PROOF_HASHES_MAX hashes,
 *           or a NULL pointer with a nonzero length.
 * Ownership: none. Thread-safe.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_merkle_verify_inclusion(
        uint64_t index, uint64_t size,
        const uint8_t *leaf_hash, size_t leaf_hash_len,
        const uint8_t *proof, size_t proof_len,
        const uint8_t *root, size_t root_len);

/**
 * Verify an RFC 9162 consistency proof (section 2.1.4.2) in constant memory.
 *
 * size1 = 0 is an error; size1 = size2 verifies only with an empty proof
 * and equal roots; the proof MUST hold exactly the hashes the algorithm
 * consumes. Hash lengths as for council_merkle_verify_inclusion().
 *
 * @param size1  the older tree size; root1 its root (and length).
 * @param size2  the newer tree size; root2 its root (and length).
 * @param proof  concatenated hashes, and their total length.
 * @return COUNCIL_OK when the proof verifies;
 *         COUNCIL_ETAMPER when it does not (including equal sizes with a
 *           non-empty proof or different roots);
 *         COUNCIL_EINVAL for malformed input: size1 = 0, size1 > size2,
 *           a hash length other than COUNCIL_HASH_BYTES, a proof length that
 *           is not a multiple of it or too long, or a NULL pointer with a
 *           nonzero length.
 * Ownership: none. Thread-safe.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_merkle_verify_consistency(
        uint64_t size1, uint64_t size2,
        const uint8_t *root1, size_t root1_len,
        const uint8_t *root2, size_t root2_len,
        const uint8_t *proof, size_t proof_len);

/* ------------------------------------------------------------------ audit */

/*
 * The audit log is an RFC 9162 Merkle tree over audit events
 * (council.v1.AuditEvent, canonical protobuf bytes; see
 * proto/council/v1/audit.proto). Events carry pseudonymous case references
 * and codes, never case content, names or contact details. Checkpoints are
 * C2SP tlog-checkpoint notes signed with the council's Ed25519 log key;
 * the public key is given in the C2SP verifier-key form (council_info()).
 * An auditor verifies an export, a checkpoint or a proof with that public
 * key alone: those functions take no handle.
 */

/** Most events council_audit_list() returns at once. @since 0.1.0 */
#define COUNCIL_AUDIT_LIST_MAX 10000
/** Function twin of COUNCIL_AUDIT_LIST_MAX. @since 0.1.0 */
COUNCIL_API size_t council_audit_list_max(void);

/** The filter version this header describes (2; version 1 is still accepted). */
#define COUNCIL_AUDIT_FILTER_VERSION 2

/**
 * Which events council_audit_list() returns. Initialise with
 * COUNCIL_AUDIT_FILTER_INIT; every criterion left at its initial value
 * matches everything.
 *
 * Version 2 appends case_id: the library computes the case's pseudonym
 * (the case_ref events carry) from its id, so a caller need not know it.
 * A caller built against version 1 sets version 1 and its struct ends at
 * case_ref_len; the library reads no further. case_ref and case_id may
 * both be given: an event matches only if both name it.
 * @since 0.1.0
 */
typedef struct council_audit_filter {
    unsigned version;             /**< COUNCIL_AUDIT_FILTER_VERSION */
    uint64_t from_seq;            /**< first sequence number to consider */
    uint32_t limit;               /**< at most this many; 0 for 1000 */
    int64_t since;                /**< time >= since (Unix seconds); 0: no bound */
    int64_t until;                /**< time <= until; 0: no bound */
    int32_t action;               /**< a council.v1.AuditAction; 0: any */
    const uint8_t *actor_member;  /**< 16-byte member id, or NULL */
    size_t actor_member_len;
    const uint8_t *case_ref;      /**< 32-byte case pseudonym, or NULL */
    size_t case_ref_len;
    /* version 2 */
    const uint8_t *case_id;       /**< 16-byte case id, or NULL */
    size_t case_id_len;
} council_audit_filter;

#define COUNCIL_AUDIT_FILTER_INIT \
    { COUNCIL_AUDIT_FILTER_VERSION, 0, 0, 0, 0, 0, NULL, 0, NULL, 0, NULL, 0 }

/**
 * List audit events, oldest first, as a serialised council.v1.AuditEventList.
 *
 * @param c        an open handle.
 * @param[out] out receives the list; next_seq says where to continue.
 * @param filter   the criteria; NULL for COUNCIL_AUDIT_FILTER_INIT.
 * @return COUNCIL_OK; COUNCIL_EMISUSE for a bad handle, NULL out or an
 *         unknown filter version (1 and 2 are known); COUNCIL_EINVAL for a
 *         bad id length (member id and case id 16 bytes, case_ref 32);
 *         COUNCIL_ELIMIT if limit exceeds COUNCIL_AUDIT_LIST_MAX;
 *         COUNCIL_EFORMAT if a stored event is damaged;
 *         COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_audit_list(council *c, council_buf *out,
                                                     const council_audit_filter *filter);

/**
 * Sign a checkpoint of the log now. A "checkpoint signed" event is appended
 * first, so the checkpoint covers it; the note is stored and returned.
 *
 * The signer keeps its last head (size and subtree hashes, signed with the
 * log key) in council.keyring, and every secretariat session moves it to
 * the log it finds. A checkpoint is signed only for a log that extends that
 * head: its root is computed from the head and the events' own bytes, and
 * must equal the stored tree's. Events deleted, edited or reordered below
 * the head, a rewritten tree, or a head edited or lost from the keyring
 * give COUNCIL_ETAMPER with a message saying which, and the finding is
 * logged (tamper_detected). See council_audit_head_reset().
 *
 * @param c        an open handle.
 * @param[out] out receives the signed note (UTF-8 text, not NUL-terminated).
 * @return COUNCIL_OK; COUNCIL_EMISUSE (also inside a batch); COUNCIL_EDENIED
 *         for a staff session; COUNCIL_ETAMPER (above); COUNCIL_EIO
 *         (nothing is signed when the event cannot be appended);
 *         COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_audit_checkpoint(council *c, council_buf *out);

/**
 * Take the store's log as it is now as the signer's head, after
 * council_audit_checkpoint() refused with COUNCIL_ETAMPER and the
 * secretariat has dealt with the cause (restored council.db and
 * council.keyring from a backup, or compared the log with a checkpoint an
 * auditor or a witness kept). Events the store has lost stay lost: the
 * next checkpoint will not be consistent with checkpoints signed before,
 * and every witness and auditor holding one will see it. The log must
 * still be a well-formed tree of its events (else COUNCIL_ETAMPER, logged
 * as a tamper finding, and nothing is reset). "log head reset" is logged
 * with the reason, in the transaction that reads the log again, before
 * council.keyring takes the new head; if that write fails, the event
 * stands, the old head stays, and the call returns the error (call it
 * again).
 *
 * @param c      the secretariat's open handle.
 * @param reason a reason code, [a-z0-9_]{1,64} (for example
 *               "restored_from_backup"); no free text goes into the log.
 * @return COUNCIL_OK; COUNCIL_EDENIED for a staff session; COUNCIL_EINVAL;
 *         COUNCIL_ETAMPER; COUNCIL_EMISUSE (also inside a batch);
 *         COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_audit_head_reset(council *c, const char *reason);

/**
 * An inclusion proof for event `index` in the tree of `size` events, as
 * text: "inclusion-proof/v1", "index I", "size N", "leaf <base64>", then
 * one base64 hash per line. O(log n) stored nodes are read.
 *
 * @param size  the tree size; 0 for the current size.
 * @return COUNCIL_OK; COUNCIL_EINVAL if index >= size or size is larger
 *         than the log; COUNCIL_EMISUSE (also inside a batch); COUNCIL_EIO;
 *         COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_audit_prove_inclusion(council *c, council_buf *out,
                                                                uint64_t index, uint64_t size);

/**
 * A consistency proof between tree sizes, as text: "consistency-proof/v1",
 * "old M", "new N", then one base64 hash per line.
 *
 * @param size2  the newer size; 0 for the current size.
 * @return COUNCIL_OK; COUNCIL_EINVAL if size1 = 0, size1 > size2 or size2
 *         is larger than the log; COUNCIL_EMISUSE (also inside a batch);
 *         COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_audit_prove_consistency(council *c, council_buf *out,
                                                                  uint64_t size1, uint64_t size2);

/**
 * Write an audit export to `path`: every event, every stored checkpoint, and
 * a new checkpoint covering all of them (format in audit.proto). An "audit
 * exported" event is appended first. The file is written under a temporary
 * name (mode 0600), synced, linked into place (an existing file is never
 * replaced) and the directory synced.
 *
 * @return COUNCIL_OK; COUNCIL_EEXIST if path exists; COUNCIL_EINVAL for a
 *         NULL path; COUNCIL_EMISUSE (also inside a batch); COUNCIL_EIO;
 *         COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_audit_export(council *c, const char *path);

#define COUNCIL_AUDIT_VERIFY_OPTIONS_VERSION 1

/**
 * What an auditor verifies against. Initialise with
 * COUNCIL_AUDIT_VERIFY_OPTIONS_INIT.
 * @since 0.1.0
 */
typedef struct council_audit_verify_options {
    unsigned version;                   /**< COUNCIL_AUDIT_VERIFY_OPTIONS_VERSION */
    const char *log_vkey;               /**< the log's C2SP verifier key (type 0x01); required */
    const char *const *witness_vkeys;   /**< cosigner verifier keys (type 0x04), or NULL */
    size_t n_witnesses;                 /**< their number, at most 64 */
    size_t required;                    /**< cosignatures required (see each function) */
    const char *known_checkpoint;       /**< a signed checkpoint the auditor kept, or NULL */
    size_t known_checkpoint_len;
} council_audit_verify_options;

#define COUNCIL_AUDIT_VERIFY_OPTIONS_INIT \
    { COUNCIL_AUDIT_VERIFY_OPTIONS_VERSION, NULL, NULL, 0, 0, NULL, 0 }

/**
 * Verify an audit export from scratch with the log's verifier key alone:
 * every frame is size-capped and decoded one at a time (constant memory),
 * every event is checked for canonical form, sequence and its link to the
 * previous event, the tree is recomputed, and every checkpoint's signature
 * and root are checked where it stands. The last checkpoint must cover every
 * event. With `required` > 0, at least one checkpoint in the export must
 * carry that many valid cosignatures from the given witnesses (stored with
 * council_audit_add_cosignatures()). With a known checkpoint, the export
 * must contain it: same root at its size (an export cut back to an earlier
 * point, or a rewritten history, is refused).
 *
 * @param[out] report  receives a serialised council.v1.AuditVerifyReport
 *                     (also on failure: it names the first bad event); MAY
 *                     be NULL.
 * @param path         the export file.
 * @param opts         keys and requirements.
 * @return COUNCIL_OK;
 *         COUNCIL_ETAMPER for an altered, removed, reordered or appended
 *           event, a checkpoint that does not match the events, a bad or
 *           missing signature, an old checkpoint in place of the latest, too
 *           few cosignatures, or an export that does not contain the known
 *           checkpoint;
 *         COUNCIL_EFORMAT for a file that is truncated or not an export, or
 *           a malformed known checkpoint;
 *         COUNCIL_EUNSUPPORTED for an export format newer than this library;
 *         COUNCIL_EINVAL for a NULL path, a malformed or repeated key, or
 *           required > n_witnesses;
 *         COUNCIL_EMISUSE for NULL or unknown-version options;
 *         COUNCIL_ENOTFOUND; COUNCIL_EIO; COUNCIL_ENOMEM; COUNCIL_ERROR.
 * Ownership: the caller releases report with council_buf_free().
 * Thread-safe (no handle).
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_audit_verify_export(
        council_buf *report, const char *path, const council_audit_verify_options *opts);

/**
 * Verify a signed checkpoint with the log's verifier key, and count valid
 * cosignatures from the given witnesses (at least `required`). With a known
 * checkpoint, a smaller tree than it is refused (a rollback), and an equal
 * size must have the same root.
 *
 * @param[out] report  receives a council.v1.AuditVerifyReport (tree_size,
 *                     root_hash, cosignatures); MAY be NULL.
 * @return COUNCIL_OK; COUNCIL_ETAMPER for a missing or bad log signature,
 *         fewer than `required` cosignatures, or a rollback;
 *         COUNCIL_EFORMAT for a malformed note; COUNCIL_EINVAL for a
 *         malformed key or required > n_witnesses; COUNCIL_EMISUSE for NULL
 *         or unknown-version options; COUNCIL_ENOMEM; COUNCIL_ERROR.
 * Ownership: the caller releases report with council_buf_free().
 * Thread-safe (no handle).
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_audit_verify_checkpoint(
        council_buf *report, const char *note, size_t note_len,
        const council_audit_verify_options *opts);

/**
 * Verify a proof text against a signed checkpoint, with the public key
 * alone. An "inclusion-proof/v1" text must be for the checkpoint's tree size
 * and verify against its root (the report's root_hash is the checkpoint's;
 * the leaf hash proved is in the text). A "consistency-proof/v1" text needs
 * the older checkpoint as the known checkpoint in `opts`, and must run from
 * its size to this checkpoint's.
 *
 * The checkpoint must also carry `required` cosignatures, and not be older
 * than a known checkpoint.
 *
 * @return COUNCIL_OK; COUNCIL_ETAMPER when a signature or the proof does not
 *         verify, the sizes do not match the checkpoints, the checkpoint is
 *         older than the known one, or cosignatures are missing;
 *         COUNCIL_EFORMAT for a malformed proof or note; COUNCIL_EINVAL for a
 *         malformed or repeated key, required > n_witnesses, or a
 *         consistency proof without a known checkpoint; COUNCIL_EMISUSE;
 *         COUNCIL_ENOMEM; COUNCIL_ERROR.
 * Ownership: the caller releases report with council_buf_free().
 * Thread-safe (no handle).
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_audit_verify_proof(
        council_buf *report, const char *proof, size_t proof_len,
        const char *note, size_t note_len, const council_audit_verify_options *opts);

/**
 * Store a witness's cosigned copy of one of this council's checkpoints, so
 * that later exports carry the cosignatures. The note must be signed by
 * this council's log key and have the same body (size and root) as a
 * stored checkpoint; its extra signature lines replace the stored note.
 * Witness signatures are not checked here (the council does not know the
 * auditor's witness keys); verifiers count only those they trust.
 *
 * Signatures are only added: the stored note must begin the new one.
 *
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND if no checkpoint of that size is
 *         stored; COUNCIL_ETAMPER if the log signature is bad or the body
 *         differs from the stored one; COUNCIL_EINVAL if the note would drop
 *         stored signatures or adds none; COUNCIL_EFORMAT for a malformed
 *         note; COUNCIL_EMISUSE (also inside a batch); COUNCIL_EIO;
 *         COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_audit_add_cosignatures(council *c, const char *note,
                                                                 size_t note_len);

/**
 * The witness step: check that `new_note` is signed by the log, has the
 * same origin as `old_note` (also signed by the log), and is consistent with
 * it by `proof` (the text of council_audit_prove_consistency(); empty when
 * the sizes are equal), then append a C2SP cosignature/v1 line made with
 * the witness's Ed25519 key.
 *
 * @param[out] out        receives new_note with the cosignature appended.
 * @param witness_name    the cosigner's key name (no spaces or '+').
 * @param witness_sk      the cosigner's 64-byte Ed25519 secret key.
 * @param timestamp       the cosignature time (Unix seconds).
 * @return COUNCIL_OK; COUNCIL_ETAMPER if a signature or the consistency
 *         proof does not verify, the origins differ or the new tree is
 *         smaller; COUNCIL_EFORMAT for a malformed note or proof;
 *         COUNCIL_EINVAL for a NULL out, a malformed key, name or length, a
 *           secret key whose second half is not the public key of its
 *           seed, or a missing proof when the sizes differ;
 *         COUNCIL_ELIMIT if the cosigned note would exceed 16384 bytes;
 *         COUNCIL_ENOMEM; COUNCIL_ERROR.
 * Ownership: the caller releases out with council_buf_free().
 * Thread-safe (no handle).
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_audit_witness(
        council_buf *out, const char *old_note, size_t old_len,
        const char *new_note, size_t new_len, const char *proof, size_t proof_len,
        const char *log_vkey, const char *witness_name,
        const uint8_t *witness_sk, size_t witness_sk_len, uint64_t timestamp);

/**
 * Make a witness (cosigner) key pair: a 64-byte Ed25519 secret key and the
 * verifier key text (type 0x04) that auditors pass to the verify functions.
 * (Member keyfiles, protected by a passphrase, come with member keys.)
 *
 * @return COUNCIL_OK; COUNCIL_EINVAL for a bad name or a NULL buffer;
 *         COUNCIL_ENOMEM; COUNCIL_ERROR if the crypto library cannot start.
 * Ownership: the caller releases both buffers with council_buf_free(),
 * which wipes the secret key.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_witness_keygen(council_buf *secret_key,
                                                         council_buf *vkey, const char *name);

/* ---------------------------------------------------------------- members */

/*
 * Members (構成機関等): the bodies and individuals of the council. A member
 * is added, updated and withdrawn by the secretariat; a withdrawn member is
 * kept, marked, and can never act again. Each member has an X25519 key
 * (sealed boxes) and an Ed25519 key (signatures and cosignatures), either
 * generated here into a passphrase-protected keyfile, or generated on the
 * member's own system with only the public keys registered. When keys are
 * registered (or generated) the secretariat signs the member's X25519 key
 * with the council's log key (the signed key directory): sessions wrap
 * data keys and seal the council's secrets only to a key so signed. Every
 * change is an audit event naming the member. Results are serialised
 * messages from proto/council/v1/member.proto.
 *
 * All member and staff functions are the secretariat's: in a staff session
 * they return COUNCIL_EDENIED (council_members_announce() excepted). Key
 * registration and withdrawal also rewrite the keyring (the database key
 * sealed to each member with keys, at most 256), so they can return
 * COUNCIL_ELIMIT for the 257th member with keys, and the keyring's own codes
 * (COUNCIL_EFORMAT, COUNCIL_EAUTH, COUNCIL_ENOTFOUND, COUNCIL_EUNSUPPORTED)
 * if it was damaged or replaced meanwhile. Withdrawal and key replacement
 * rotate data keys, so they can also return COUNCIL_EAUTH when a key a new
 * data key would be wrapped to is not signed by the council.
 */

/** Member roles, for council_member_options.roles. @since 0.1.0 */
#define COUNCIL_ROLE_SECRETARIAT 1u
#define COUNCIL_ROLE_COORDINATING_BODY 2u

/** Longest member contact text, in bytes of UTF-8. @since 0.1.0 */
#define COUNCIL_CONTACT_MAX 512
/** Function twin of COUNCIL_CONTACT_MAX. @since 0.1.0 */
COUNCIL_API size_t council_contact_max(void);

/** Size of a member's public keys (X25519 and Ed25519). @since 0.1.0 */
#define COUNCIL_PUBLIC_KEY_BYTES 32
/** Function twin of COUNCIL_PUBLIC_KEY_BYTES. @since 0.1.0 */
COUNCIL_API size_t council_public_key_bytes(void);

#define COUNCIL_MEMBER_OPTIONS_VERSION 1

/**
 * A member's registry entry. Initialise with COUNCIL_MEMBER_OPTIONS_INIT.
 * @since 0.1.0
 */
typedef struct council_member_options {
    unsigned version;            /**< COUNCIL_MEMBER_OPTIONS_VERSION */
    const char *name;            /**< UTF-8, 1..COUNCIL_NAME_MAX bytes */
    int32_t kind;                /**< a council.v1.MemberKind, not 0 */
    uint32_t roles;              /**< COUNCIL_ROLE_* flags */
    const char *const *scopes;   /**< scope ceiling: codes [a-z0-9_]{1,64} */
    size_t n_scopes;             /**< at most 32 */
    const char *contact;         /**< NULL, or UTF-8 1..COUNCIL_CONTACT_MAX bytes */
    int64_t joined;              /**< Unix seconds; 0 for now */
} council_member_options;

#define COUNCIL_MEMBER_OPTIONS_INIT \
    { COUNCIL_MEMBER_OPTIONS_VERSION, NULL, 0, 0, NULL, 0, NULL, 0 }

/**
 * Add a member ("member added" is logged).
 *
 * @param c        an open handle.
 * @param[out] id  receives the new member's 16-byte id.
 * @param id_len   MUST be COUNCIL_ID_BYTES.
 * @param opts     the entry.
 * @return COUNCIL_OK; COUNCIL_EINVAL for a bad name, kind, role, scope,
 *         contact or id length; COUNCIL_EEXIST for a second active
 *         coordinating body; COUNCIL_EMISUSE for a bad handle or options;
 *         COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_member_add(council *c, uint8_t *id, size_t id_len,
                                                     const council_member_options *opts);

/**
 * Replace a member's entry (every field of opts; "joined" 0 keeps the
 * date). "member updated" is logged. A role given or taken away: the role
 * keys in council.keyring follow once the update is committed; if that
 * step fails the call still returns COUNCIL_OK (the update stands) and the
 * next open of the council passphrase or of the secretariat's staff does it.
 *
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND for an unknown id; COUNCIL_EDENIED
 *         for a withdrawn member; COUNCIL_EEXIST for a second active
 *         coordinating body; COUNCIL_EINVAL; COUNCIL_EMISUSE; COUNCIL_EIO;
 *         COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_member_update(council *c, const uint8_t *id,
                                                        size_t id_len,
                                                        const council_member_options *opts);

/**
 * Withdraw a member: kept in the registry, marked with the date and reason,
 * and refused every later change, key and (with sessions) every action.
 * "member withdrawn" is logged. Leaving ends access: its shares are
 * revoked, its wrapped data keys destroyed and every data key it held
 * rotated ("key rotated" logged per case and scope), its key-directory
 * signature and its sealed copies of the council's secrets removed, and
 * its sealed copy of the database key removed from the keyring. The
 * database key itself is not replaced here, because re-keying council.db
 * ends every other open session (they get COUNCIL_EIO and must reopen):
 * call council_rekey_database() afterwards (council-cli member withdraw
 * does, at once). Refused inside a batch (COUNCIL_EMISUSE).
 *
 * The keyring changes after the withdrawal is committed, never before: an
 * error means nothing changed. Once committed the call returns COUNCIL_OK;
 * if removing the sealed copies from council.keyring fails then, the next
 * open of the council passphrase or of the secretariat's staff removes
 * them.
 *
 * @param when    Unix seconds; 0 for now.
 * @param reason  UTF-8 text, 1..COUNCIL_CONTACT_MAX bytes (kept in the
 *                encrypted store, never in the audit log).
 * @return COUNCIL_OK (the withdrawal stands); COUNCIL_ENOTFOUND;
 *         COUNCIL_EDENIED if already withdrawn; COUNCIL_EINVAL;
 *         COUNCIL_EMISUSE; COUNCIL_EIO (nothing changed).
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_member_withdraw(council *c, const uint8_t *id,
                                                          size_t id_len, int64_t when,
                                                          const char *reason);

/**
 * council_member_withdraw(), saying where the member's cases go: every case
 * it owns (not erased) is first transferred (council_case_transfer(),
 * reason owner_withdrawn) to cases_to, through the disclosure decision
 * with basis council_art16_exchange and the withdrawal's reason as the
 * written reason (a refusal refuses the withdrawal: transfer those cases
 * with a consent first). With cases_to NULL they go to the coordinating
 * body: the active member holding COUNCIL_ROLE_COORDINATING_BODY (else
 * COUNCIL_ROLE_SECRETARIAT) becomes their owner without a decision (the
 * coordinating body holds every key already); with no such member on the
 * register the cases stay in the coordinating body's keeping (its key
 * holds them; only the secretariat acts on them) and council_member_cases()
 * lists them until they are transferred. council_member_withdraw() is this
 * with cases_to NULL.
 *
 * @return as council_member_withdraw(), and as council_case_transfer()
 *         (COUNCIL_EDENIED for a withdrawn cases_to, COUNCIL_ENOCONSENT,
 *         COUNCIL_EINVAL for cases_to being the member itself).
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_member_withdraw_ex(council *c, const uint8_t *id,
        size_t id_len, int64_t when, const char *reason, const uint8_t *cases_to,
        size_t cases_to_len);

/**
 * One member as a serialised council.v1.Member.
 *
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND; COUNCIL_EINVAL for a bad id
 *         length; COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_member_get(council *c, council_buf *out,
                                                     const uint8_t *id, size_t id_len);

/**
 * Every member, withdrawn ones included, as a serialised
 * council.v1.MemberList in joining order.
 *
 * @return COUNCIL_OK; COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_member_list(council *c, council_buf *out);

/**
 * Generate a member's key pairs, register the public keys, and return a
 * member keyfile holding the secret keys wrapped under Argon2id(pass)
 * (kdf_opslimit, kdf_memlimit as for council_create(); 0 for MODERATE).
 * The new X25519 key is signed with the council's log key, and the
 * keyfile pins the council's log public key (a staff session refuses a
 * keyring naming another). Replaces keys registered before ("member key
 * registered" is logged): the member's wrapped data keys are sealed again
 * to the new key (it keeps exactly what it had), and each of those data
 * keys is rotated ("key rotated", reason member_key_replaced), so the
 * replaced key opens nothing written from now on. Refused inside a batch
 * (COUNCIL_EMISUSE). The new keys are on record before the bytes are
 * returned: a caller that dies before it stores them leaves the member
 * locked out. To write the keyfile to a file, use
 * council_member_keygen_file(), which makes the file durable first.
 *
 * @param[out] keyfile  receives the keyfile bytes, for the member to keep.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND; COUNCIL_EDENIED for a withdrawn
 *         member; COUNCIL_EINVAL for a bad passphrase, cost or id length;
 *         COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases keyfile with council_buf_free().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_member_keygen(council *c, council_buf *keyfile,
        const uint8_t *id, size_t id_len, const uint8_t *pass, size_t pass_len,
        uint64_t kdf_opslimit, uint64_t kdf_memlimit);

/**
 * council_member_keygen(), crash-safe: the keyfile is written to a new
 * file at `path` and made durable BEFORE the new keys replace the member's
 * keys on record. It is written under a temporary name beside `path`
 * (created exclusively, mode 0600), synced, linked to `path` (never
 * replacing an existing file or symbolic link) and its directory synced;
 * only then are the public keys registered, as by council_member_keygen()
 * ("member key registered", reason generated). A process killed at any
 * point leaves either the old keys valid (and `path` absent or holding a
 * complete keyfile whose keys were never registered; a temporary
 * "<path>.<random>.tmp" may remain), or the new keys registered and their
 * keyfile complete at `path`. If the registration fails, `path` is
 * removed again. Refused inside a batch (COUNCIL_EMISUSE).
 *
 * @param path  the keyfile to create; MUST NOT exist. Not in any message.
 * @return COUNCIL_OK; COUNCIL_EEXIST if path exists; COUNCIL_ENOTFOUND;
 *         COUNCIL_EDENIED for a withdrawn member; COUNCIL_EINVAL for an
 *         empty path, a bad passphrase, cost or id length;
 *         COUNCIL_EMISUSE; COUNCIL_EIO (also a full disk, said so in the
 *         message); COUNCIL_ENOMEM.
 * Ownership: the file is the caller's; nothing is returned in memory.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_member_keygen_file(council *c, const char *path,
        const uint8_t *id, size_t id_len, const uint8_t *pass, size_t pass_len,
        uint64_t kdf_opslimit, uint64_t kdf_memlimit);

/**
 * Register public keys a member generated on its own system. The X25519
 * key is signed with the council's log key, and keys registered before are
 * replaced as by council_member_keygen() (wraps sealed again, data keys
 * rotated). Refused inside a batch (COUNCIL_EMISUSE).
 *
 * @param box_pk   X25519 public key, COUNCIL_PUBLIC_KEY_BYTES.
 * @param sign_pk  Ed25519 public key, COUNCIL_PUBLIC_KEY_BYTES (a valid
 *                 curve point).
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND; COUNCIL_EDENIED for a withdrawn
 *         member; COUNCIL_EINVAL for a wrong length or an invalid key;
 *         COUNCIL_EMISUSE; COUNCIL_EIO.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_member_register_key(council *c, const uint8_t *id,
        size_t id_len, const uint8_t *box_pk, size_t box_pk_len,
        const uint8_t *sign_pk, size_t sign_pk_len);

/**
 * The public announcement data (serialised council.v1.Announcement): the
 * council's name, its coordinating body, and its active members' names.
 * No staff, keys or contacts.
 *
 * @return COUNCIL_OK; COUNCIL_EMISUSE; COUNCIL_EDENIED in a staff session
 *         whose staff member retired or whose member withdrew since it
 *         opened; COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_members_announce(council *c, council_buf *out);

/* ------------------------------------------------------------------ staff */

/*
 * Staff: the people who act for a member. Each is bound by the secrecy duty
 * of the Act (Article 18) from their recorded pledge on, and for ever after
 * they leave: staff records and pledges are never deleted. A staff session
 * (council_open() with options version 2) needs a recorded pledge.
 */

/** Longest pledge text hashed by council_staff_pledge(). @since 0.1.0 */
#define COUNCIL_PLEDGE_TEXT_MAX 1048576
/** Function twin of COUNCIL_PLEDGE_TEXT_MAX. @since 0.1.0 */
COUNCIL_API size_t council_pledge_text_max(void);

/**
 * Add a staff member to an active member ("staff added" is logged).
 *
 * @param[out] id       receives the new staff id (16 bytes).
 * @param id_len        MUST be COUNCIL_ID_BYTES.
 * @param member_id     the member, 16 bytes.
 * @param display_name  UTF-8, 1..COUNCIL_NAME_MAX bytes (in the encrypted
 *                      store only, never in the audit log).
 * @param role          role within the member, NULL or 1..COUNCIL_NAME_MAX
 *                      bytes of UTF-8.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND for an unknown member;
 *         COUNCIL_EDENIED for a withdrawn member; COUNCIL_EINVAL;
 *         COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_staff_add(council *c, uint8_t *id, size_t id_len,
        const uint8_t *member_id, size_t member_id_len, const char *display_name,
        const char *role);

/**
 * Record a secrecy pledge: the date, the version of the pledge text, the
 * SHA-256 of the text (computed here; the text itself is not kept), and
 * who witnessed it ("pledge recorded" is logged).
 *
 * @param when          Unix seconds; 0 for now.
 * @param text_version  a code [a-z0-9_]{1,64}, e.g. "v2024_04".
 * @param text          the pledge text as signed, 1..COUNCIL_PLEDGE_TEXT_MAX bytes.
 * @param witness       NULL, or UTF-8 1..COUNCIL_NAME_MAX bytes.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND for unknown staff; COUNCIL_EDENIED
 *         for retired staff or staff of a withdrawn member; COUNCIL_EINVAL;
 *         COUNCIL_EMISUSE; COUNCIL_EIO.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_staff_pledge(council *c, const uint8_t *staff_id,
        size_t staff_id_len, int64_t when, const char *text_version,
        const uint8_t *text, size_t text_len, const char *witness);

/**
 * Retire a staff member: kept, marked former staff, still bound by the
 * pledges recorded ("staff retired" is logged).
 *
 * @param when    Unix seconds; 0 for now.
 * @param reason  UTF-8, 1..COUNCIL_CONTACT_MAX bytes.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND; COUNCIL_EDENIED if retired
 *         already; COUNCIL_EINVAL; COUNCIL_EMISUSE; COUNCIL_EIO.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_staff_retire(council *c, const uint8_t *staff_id,
        size_t staff_id_len, int64_t when, const char *reason);

/**
 * Staff, with their pledges, as a serialised council.v1.StaffList.
 *
 * @param member_id  only this member's staff, or NULL for everyone.
 * @return COUNCIL_OK; COUNCIL_EINVAL for a bad id length; COUNCIL_EMISUSE;
 *         COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_staff_list(council *c, council_buf *out,
                                                     const uint8_t *member_id,
                                                     size_t member_id_len);

/* ------------------------------------------------------------------ scopes */

/*
 * Scopes: the named categories of case information. A council starts with
 * identity, situation, wishes, support_plan, support_record, health,
 * finances, family, child and justice (health, child and justice are
 * marked sensitive) and may add its own, up to 32 scopes in all.
 */

/** Scope flag: APPI special-care personal information (要配慮個人情報). @since 0.1.0 */
#define COUNCIL_SCOPE_SENSITIVE 1u

/**
 * Add a scope to the council's catalogue ("scope added" is logged).
 * Root session only.
 *
 * @param code   [a-z0-9_]{1,64}.
 * @param flags  0 or COUNCIL_SCOPE_SENSITIVE.
 * @return COUNCIL_OK; COUNCIL_EEXIST for a scope already there;
 *         COUNCIL_EINVAL for a bad code or flag; COUNCIL_ELIMIT past 32
 *         scopes; COUNCIL_EDENIED in a staff session; COUNCIL_EMISUSE;
 *         COUNCIL_EIO.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_scope_add(council *c, const char *code, uint32_t flags);

/**
 * Remove a scope that holds no data: no section, share, key or member
 * ceiling names it. Root session only.
 *
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND; COUNCIL_EDENIED if data, a share
 *         or a member's ceiling uses it (or in a staff session);
 *         COUNCIL_EINVAL; COUNCIL_EMISUSE; COUNCIL_EIO.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_scope_remove(council *c, const char *code);

/**
 * The catalogue as a serialised council.v1.ScopeList, sorted by code.
 * @return COUNCIL_OK; COUNCIL_EMISUSE; COUNCIL_EDENIED (a staff session
 *         that has ended); COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_scope_list(council *c, council_buf *out);

/* ------------------------------------------------------------------- cases */

/*
 * Cases (個別ケース). A case has persons (the person supported, family,
 * close third parties) and sections: one per (person, scope), each a
 * serialised council.v1.Section encrypted under the data key of its case
 * and scope. A session reads a section only if it is the secretariat
 * (which holds the coordinating body's wrap key), belongs to the member
 * owning the case, or belongs to a member the scope was shared with; the
 * data key is wrapped for exactly those, so the rule holds against anyone
 * who copies the database and knows its key.
 *
 * Signed key directory: the secretariat signs, with the council's log key
 * (Ed25519), the coordinating body's wrap key and each member's X25519 key.
 * Every session checks the signature before it wraps a data key to a key
 * or seals the council's secrets to it, so someone who edits the store
 * cannot slip their own key in place of the coordinating body's or another
 * member's (such a key gives COUNCIL_EAUTH).
 *
 * Every read is logged durably before content is returned; a refused read
 * is logged too. Reads and searches are refused (COUNCIL_EMISUSE) inside a
 * batch (council_batch_begin()), whose events are durable only at its
 * commit.
 *
 * In a staff session the functions below that take a handle also return
 * COUNCIL_EDENIED once the staff member retired, the member withdrew or
 * its keys were replaced (then COUNCIL_EMISUSE on every later call); those
 * that work on cases or search also return COUNCIL_EUNSUPPORTED while the
 * secretariat has not yet provided the session's keys: the council's
 * secrets sealed to the member's signed key, and a signed coordinating
 * body's key (a staff session whose stored coordinating key is unsigned
 * cannot create data keys). The secretariat's next council_open()
 * provides both, to a member whose registered key the council signed.
 */

/** Largest serialised council.v1.Section accepted. @since 0.1.0 */
#define COUNCIL_SECTION_MAX 262144
/** Function twin of COUNCIL_SECTION_MAX. @since 0.1.0 */
COUNCIL_API size_t council_section_max(void);

/** Most persons in one case. @since 0.1.0 */
#define COUNCIL_CASE_PERSONS_MAX 32
/** Function twin of COUNCIL_CASE_PERSONS_MAX. @since 0.1.0 */
COUNCIL_API size_t council_case_persons_max(void);

#define COUNCIL_CASE_OPTIONS_VERSION 2

/**
 * A new case. Initialise with COUNCIL_CASE_OPTIONS_INIT. Version 1 (without
 * anonymous) is still accepted.
 * @since 0.1.0
 */
typedef struct council_case_options {
    unsigned version;        /**< COUNCIL_CASE_OPTIONS_VERSION */
    int32_t body;            /**< a council.v1.CaseBody; 0 for the council */
    const uint8_t *owner;    /**< root session: the owning member (16 bytes);
                                  staff session: NULL (its own member) */
    size_t owner_len;
    int anonymous;           /**< version 2: nonzero for anonymous intake (a
                                  hotline or chat contact): the person
                                  supported has no name, is marked so (a
                                  signed mark; a staff session needs its
                                  member's signing key), and its identity
                                  sections never enter the blind index.
                                  @since 0.2.0 */
} council_case_options;

#define COUNCIL_CASE_OPTIONS_INIT { COUNCIL_CASE_OPTIONS_VERSION, 0, NULL, 0, 0 }

/**
 * Create a case, open, with its person supported ("case created" is
 * logged with the case's pseudonym).
 *
 * @param[out] case_id    receives the random 16-byte case id.
 * @param[out] person_id  receives the person supported's 16-byte id.
 * @return COUNCIL_OK; COUNCIL_EINVAL for a bad body, owner or id length;
 *         COUNCIL_ENOTFOUND for an unknown owner; COUNCIL_EDENIED for a
 *         withdrawn owner, an owner without keys, or a staff session naming
 *         another member (each logged); COUNCIL_EUNSUPPORTED (a staff
 *         session without its keys); COUNCIL_EMISUSE for a bad handle or
 *         options; COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_create(council *c, uint8_t *case_id,
        size_t case_id_len, uint8_t *person_id, size_t person_id_len,
        const council_case_options *opts);

/**
 * Add a related person (family or close third party) to a case. The
 * secretariat or the owning member's staff.
 *
 * @param role  council.v1.PersonRole FAMILY or CLOSE_THIRD_PARTY.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND; COUNCIL_EDENIED (not entitled,
 *         or an erased case; logged); COUNCIL_ELIMIT past
 *         COUNCIL_CASE_PERSONS_MAX; COUNCIL_EINVAL; COUNCIL_EUNSUPPORTED (a
 *         staff session without its keys); COUNCIL_EMISUSE; COUNCIL_EIO.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_add_person(council *c, uint8_t *person_id,
        size_t person_id_len, const uint8_t *case_id, size_t case_id_len, int32_t role);

/**
 * Set a case's status: council.v1.CaseStatus OPEN, MONITORING or CLOSED
 * (erasure is council_case_erase()). The secretariat or the owner.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND; COUNCIL_EDENIED (not entitled,
 *         or an erased case; logged); COUNCIL_EINVAL; COUNCIL_EUNSUPPORTED
 *         (a staff session without its keys); COUNCIL_EMISUSE; COUNCIL_EIO.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_set_status(council *c, const uint8_t *case_id,
        size_t case_id_len, int32_t status);

/**
 * Write a new version of one person's section in one scope. Earlier
 * versions are kept (council_section_history()). The first write of a
 * scope creates its data key. The secretariat, the owner's staff, or staff
 * of a member the scope is shared with. Shares of the scope that expired
 * are ended first ("share revoked", reason share_expired): their holders'
 * wrapped keys are destroyed and the scope's key rotated.
 *
 * The section is checked before it is encrypted: it must be canonical
 * protobuf (packed again, the same bytes: no field out of order or
 * repeated, no NUL inside a string), typed content must match the scope,
 * text must be UTF-8 without control characters (newlines and tabs
 * allowed), dates "YYYY-MM-DD", member ids 16 bytes. An identity section's
 * name, reading and birth date update the case's blind index.
 *
 * @param[out] version  receives the new record version (or NULL).
 * @param section       a serialised council.v1.Section, 1..COUNCIL_SECTION_MAX bytes.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND for an unknown case, person or
 *         scope; COUNCIL_EDENIED when not entitled, for an erased case, or
 *         when the session holds no wrap of the scope's key (each logged);
 *         COUNCIL_EFORMAT for a section that does not parse, is not
 *         canonical or fails the checks; COUNCIL_ELIMIT for one too large;
 *         COUNCIL_EAUTH if the stored key does not open, or a key a new
 *         data key would be wrapped to is not signed by the council;
 *         COUNCIL_EUNSUPPORTED in a staff session without its keys (or
 *         whose stored coordinating key is unsigned, for a new data key);
 *         COUNCIL_EINVAL; COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_section_write(council *c, uint32_t *version,
        const uint8_t *case_id, size_t case_id_len, const uint8_t *person_id,
        size_t person_id_len, const char *scope, const uint8_t *section, size_t section_len);

/**
 * Read the latest version of one section, as a serialised
 * council.v1.SectionRecord. "section decrypted" is logged durably (with
 * the purpose) before anything is returned; if it cannot be, nothing is.
 *
 * @param purpose  why: one of the purpose codes (support_coordination,
 *                 referral, joint_support, meeting_discussion, statistics,
 *                 other); any other is COUNCIL_EINVAL, and nothing is logged.
 * @return COUNCIL_OK; COUNCIL_EDENIED if the scope was not shared with the
 *         session's member, the case was erased, or the session holds no
 *         wrap of a key a record needs (each logged as refused);
 *         COUNCIL_ENOTFOUND for no such case, person, scope or section;
 *         COUNCIL_EAUTH for a ciphertext or wrapped key that fails
 *         authentication (logged); COUNCIL_EINVAL; COUNCIL_EUNSUPPORTED (a
 *         staff session without its keys); COUNCIL_EMISUSE (also inside a
 *         batch); COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free() (which wipes it).
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_section_read(council *c, council_buf *out,
        const uint8_t *case_id, size_t case_id_len, const uint8_t *person_id,
        size_t person_id_len, const char *scope, const char *purpose);

/**
 * Every version of one section, oldest first, as a serialised
 * council.v1.SectionHistory; logged like council_section_read(), with the
 * same entitlement and return codes.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_section_history(council *c, council_buf *out,
        const uint8_t *case_id, size_t case_id_len, const uint8_t *person_id,
        size_t person_id_len, const char *scope, const char *purpose);

/**
 * Read every section of a case the session is entitled to (latest
 * versions) as a serialised council.v1.CaseContent: one durable commit for
 * all the events, then the content. Sections it may not read are left
 * out; if it may read none, COUNCIL_EDENIED (logged).
 * @return as council_section_read().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_read(council *c, council_buf *out,
        const uint8_t *case_id, size_t case_id_len, const char *purpose);

/**
 * A case's metadata (no content) as a serialised council.v1.CaseInfo: for
 * the secretariat, the owner, and members it is shared with.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND; COUNCIL_EDENIED (not shared with
 *         the session's member; logged); COUNCIL_EINVAL;
 *         COUNCIL_EUNSUPPORTED (a staff session without its keys);
 *         COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_get(council *c, council_buf *out,
        const uint8_t *case_id, size_t case_id_len);

/**
 * The cases this session may see (all for the secretariat; owned or shared
 * for staff), as a serialised council.v1.CaseList in creation order.
 * @return COUNCIL_OK; COUNCIL_EMISUSE; COUNCIL_EDENIED;
 *         COUNCIL_EUNSUPPORTED (a staff session without its keys);
 *         COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_list(council *c, council_buf *out);

#define COUNCIL_TRANSFER_OPTIONS_VERSION 1

/**
 * A case's transfer. Initialise with COUNCIL_TRANSFER_OPTIONS_INIT. basis,
 * reason and consent_id as in council_share_options.
 * @since 0.2.0
 */
typedef struct council_transfer_options {
    unsigned version;            /**< COUNCIL_TRANSFER_OPTIONS_VERSION */
    const char *basis;           /**< a basis code (see council_share_options) */
    const char *reason;          /**< written reason, or NULL (needed for an exception) */
    const uint8_t *consent_id;   /**< 16 bytes with basis consent, else NULL */
    size_t consent_id_len;
    const char *purpose;         /**< a share purpose; NULL: support_coordination */
} council_transfer_options;

#define COUNCIL_TRANSFER_OPTIONS_INIT { COUNCIL_TRANSFER_OPTIONS_VERSION, NULL, NULL, NULL, 0, NULL }

/**
 * Transfer a case's ownership to another member (by agreement). The
 * secretariat only (a root session, or its staff holding the role keys): the
 * transfer is a row signed with the council's log key, and a case's owner
 * is from then on the owner its id commits to followed by its signed
 * transfers in order (a transfer row written outside the library is
 * COUNCIL_ETAMPER, logged, wherever the case is loaded). The new owner
 * receives every scope of the case, so the disclosure decision runs as for
 * a share of all of them; then every key version is wrapped for the new
 * owner, the old owner's wraps of each scope end unless an active share of
 * it remains, and every scope's key is rotated. "case transferred" is
 * logged (subject: the new owner; reason by_agreement).
 *
 * @return COUNCIL_OK; COUNCIL_ENOCONSENT when the decision refuses
 *         (logged as "disclosure refused"); COUNCIL_EDENIED for another
 *         session, an erased case, a withdrawn new owner or one without
 *         keys (each logged); COUNCIL_EAUTH (the new owner's key is not
 *         signed; logged); COUNCIL_EINVAL (ids, basis, the owner itself);
 *         COUNCIL_ENOTFOUND (case or member); COUNCIL_ETAMPER;
 *         COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_transfer(council *c, const uint8_t *case_id,
        size_t case_id_len, const uint8_t *to, size_t to_len,
        const council_transfer_options *opts);

/**
 * The cases a member owns (its proven owner), not erased, as a serialised
 * council.v1.CaseList: the secretariat for any member, staff for their own.
 * Before a withdrawal, these are the cases that must move.
 * @return COUNCIL_OK; COUNCIL_EDENIED (staff asking about another member;
 *         logged); COUNCIL_ETAMPER (a case row's owner forged; logged);
 *         COUNCIL_EINVAL; COUNCIL_EUNSUPPORTED; COUNCIL_EMISUSE;
 *         COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_member_cases(council *c, council_buf *out,
        const uint8_t *member, size_t member_len);

/**
 * Two persons of one case found to be the same person (an anonymous
 * contact later named, say): `gone` is merged into `keep`. Both records
 * stay: gone's sections remain readable as history and its person record
 * names keep (council.v1.Person merged_into, merged_at), a signed record;
 * gone's blind-index tokens find keep; the kept person stays anonymous only
 * if both were. The secretariat or the owner's staff (with the member's
 * signing key) only; "person merged" is logged. Persons of different
 * cases are not merged (transfer or share instead).
 *
 * @return COUNCIL_OK; COUNCIL_EDENIED (not the secretariat or owner, an
 *         erased case; logged); COUNCIL_ENOTFOUND (no such case, or a
 *         person not of this case; logged); COUNCIL_EEXIST (either merged
 *         already; logged); COUNCIL_EINVAL (ids, keep == gone);
 *         COUNCIL_ETAMPER (a person's record forged; logged);
 *         COUNCIL_EMISUSE; COUNCIL_EIO.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_person_merge(council *c, const uint8_t *case_id,
        size_t case_id_len, const uint8_t *keep, size_t keep_len, const uint8_t *gone,
        size_t gone_len);

#define COUNCIL_SHARE_OPTIONS_VERSION 1

/**
 * A share. Initialise with COUNCIL_SHARE_OPTIONS_INIT.
 *
 * basis is one of "consent" (consent_id, 16 bytes, required),
 * "appi_27_1_1_law", "appi_27_1_2_vital", "appi_27_1_3_public_health_child",
 * "appi_27_1_4_public_duty" or "council_art16_exchange"; the exceptions
 * need a written reason (kept in the encrypted store, not the log). Since
 * 0.2.0 also "swa_106_6_support_meeting" (社会福祉法第106条の6) and
 * "ncsa_9_support_meeting" (生活困窮者自立支援法第9条), when the policy
 * accepts them: sharing among the members of that support meeting, under
 * its secrecy duty, only for an agenda item under that body
 * (council_meeting_add_item()); anywhere else the decision refuses them
 * (basis_outside_its_body).
 * @since 0.1.0
 */
typedef struct council_share_options {
    unsigned version;            /**< COUNCIL_SHARE_OPTIONS_VERSION */
    const char *const *scopes;   /**< scope codes, 1..32 */
    size_t n_scopes;
    const char *purpose;         /**< a code [a-z0-9_]{1,64} */
    const char *basis;           /**< a basis code (above) */
    const char *reason;          /**< written reason, UTF-8 1..COUNCIL_CONTACT_MAX bytes, or NULL */
    const uint8_t *consent_id;   /**< 16 bytes, or NULL */
    size_t consent_id_len;
    int64_t expires;             /**< Unix seconds; 0: until revoked */
    const char *purpose_text;    /**< what purpose "other" means, or NULL */
    const uint8_t *second_approver; /**< staff id (16 bytes) of a second approver, or NULL */
    size_t second_approver_len;
} council_share_options;

#define COUNCIL_SHARE_OPTIONS_INIT \
    { COUNCIL_SHARE_OPTIONS_VERSION, NULL, 0, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0 }

/**
 * Share scopes of a case with a member: its data keys (every key version)
 * are wrapped to the member's X25519 key, and "share granted" is logged.
 * The secretariat or the owner's staff may share; each scope must be within
 * the member's scope ceiling, and the member's key must be signed by the
 * council (the key directory). Shares of the scopes that expired (any
 * member's) are ended first ("share revoked", reason share_expired, with
 * their wraps destroyed and the key rotated), so sharing a scope again
 * with a member whose share expired makes a new share.
 *
 * @return COUNCIL_OK; COUNCIL_EDENIED for a scope outside the ceiling, a
 *         withdrawn recipient or one without keys, an erased case, or a
 *         session not entitled (each logged as refused), or a sharer that
 *         holds no wrap of a key version; COUNCIL_EAUTH for a recipient
 *         whose key is not signed by the council (logged, reason
 *         recipient_key_unsigned), a wrapped key that does not open, or an
 *         unsigned key met while rotating an expired share's scope;
 *         COUNCIL_ENOTFOUND for an unknown case, member or scope;
 *         COUNCIL_EEXIST when an active share covers a scope already;
 *         COUNCIL_EINVAL for a bad basis, purpose, reason, expiry or scope
 *         list, or the owner as recipient; COUNCIL_EUNSUPPORTED (a staff
 *         session without its keys); COUNCIL_EMISUSE for a bad handle or
 *         options; COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_share(council *c, const uint8_t *case_id,
        size_t case_id_len, const uint8_t *member_id, size_t member_id_len,
        const council_share_options *opts);

/**
 * The decision alone (a dry run of council_case_share()): would the
 * disclosure policy allow this share now, to this recipient (active, with
 * signed keys) within its scope ceiling? Nothing is shared or logged.
 *
 * @param[out] reason  receives the decision's reason code, NUL-terminated
 *                     (e.g. "consent_covers", "scope_not_covered").
 * @return COUNCIL_OK if allowed; COUNCIL_ENOCONSENT if the policy refuses;
 *         COUNCIL_EDENIED (outside_scope_ceiling, recipient withdrawn or
 *         without keys) or COUNCIL_EAUTH (recipient_key_unsigned), with the
 *         reason in *reason; and the argument and lookup codes of
 *         council_case_share().
 * Ownership: the caller releases reason with council_buf_free().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_share_check(council *c, council_buf *reason,
        const uint8_t *case_id, size_t case_id_len, const uint8_t *member_id,
        size_t member_id_len, const council_share_options *opts);

/**
 * Revoke a member's shares of a case: its wrapped keys are destroyed and
 * each scope's data key is rotated, so later writes are unreadable with
 * anything it kept. "share revoked" and "key rotated" are logged.
 * The secretariat or the owner's staff.
 *
 * @param scopes    the scopes to revoke, or NULL (n_scopes 0) for all.
 * @param reason    a code [a-z0-9_]{1,64}.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND for an unknown case, or when no
 *         active share matches; COUNCIL_EDENIED (not entitled; logged);
 *         COUNCIL_EAUTH if a key the new data key would be wrapped to is
 *         not signed by the council; COUNCIL_EUNSUPPORTED in a staff
 *         session without its keys (or whose stored coordinating key is
 *         unsigned); COUNCIL_EINVAL; COUNCIL_EMISUSE; COUNCIL_EIO;
 *         COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_revoke(council *c, const uint8_t *case_id,
        size_t case_id_len, const uint8_t *member_id, size_t member_id_len,
        const char *const *scopes, size_t n_scopes, const char *reason);

/**
 * Erase a case (crypto-shredding): every data key, wrapped copy, section
 * ciphertext, person and blind-index token of the case is destroyed, its
 * active shares are revoked and the shares' written reasons cleared, the
 * write-ahead log is checkpointed and truncated, and "case erased" is
 * logged. The case record (id, owner, status erased, dates), the shares'
 * metadata (member, scope, purpose, basis, consent id, dates) and the
 * audit log remain as the tombstone; the log still verifies. Root session
 * only; refused inside a batch.
 *
 * @param reason  a code [a-z0-9_]{1,64}.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND; COUNCIL_EDENIED (erased already,
 *         or a staff session); COUNCIL_EINVAL; COUNCIL_EMISUSE (also inside
 *         a batch); COUNCIL_EIO (also when erased but the write-ahead log
 *         could not be truncated yet).
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_erase(council *c, const uint8_t *case_id,
        size_t case_id_len, const char *reason);

/**
 * Is this person known to the council? Looks up the blind index: keyed,
 * truncated hashes of the normalised name (NFKC, case, width and kana
 * folded, a spacing sound mark composed, white space, dashes and middle
 * dots removed), alone and with the birth date. Both the name and its
 * reading (name_kana) of every identity section are indexed. Tokens are
 * short on purpose (16 bits), so unrelated persons match too: confirm by
 * reading the identity section. A name is required; a birth date only
 * narrows (there is no token of a birth date alone: it would all but
 * reveal the date). "case searched" is logged before the matches are
 * returned (no name or date in the log). Any session may ask; it learns
 * the case, person and owning member of each match.
 *
 * @param name        UTF-8 name, 1..1024 bytes (required).
 * @param birth_date  "YYYY-MM-DD" to narrow the search, or NULL.
 * @param[out] out    a serialised council.v1.CaseMatches.
 * @return COUNCIL_OK (possibly no matches); COUNCIL_EINVAL for a missing,
 *         empty or invalid name or a bad date; COUNCIL_EUNSUPPORTED (a
 *         staff session without its keys); COUNCIL_EMISUSE (also inside a
 *         batch); COUNCIL_EDENIED; COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_find(council *c, council_buf *out,
        const char *name, const char *birth_date);

/**
 * Re-encrypt a case under new data keys: every scope gets a new key
 * version, every record (history included) is re-encrypted under it, and
 * the older keys and their wrapped copies are destroyed. Root session only.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND; COUNCIL_EDENIED (an erased case,
 *         or a staff session); COUNCIL_EAUTH for a record or wrapped key
 *         that fails authentication, or a holder's key not signed by the
 *         council; COUNCIL_EINVAL; COUNCIL_EMISUSE; COUNCIL_EIO;
 *         COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_rekey(council *c, const uint8_t *case_id,
        size_t case_id_len);

/* ------------------------------------------------------------ batches, keys */

/**
 * Group writes (case creation, persons, statuses, sections, shares,
 * revocations) into one durable commit. Every event of the batch becomes
 * durable at council_batch_commit(); a rollback forgets both the changes
 * and their events, except refusals: those logged inside a batch that is
 * rolled back (or whose commit fails) are appended again on their own
 * after the rollback (up to 63; beyond that, one event with reason
 * refusals_lost stands for the rest). Refused inside a batch
 * (COUNCIL_EMISUSE): reads, council_case_find(), council_case_erase(),
 * checkpoints, proofs, exports and stored cosignatures, member withdrawal
 * and key registration, and the database and root re-keys. Not nestable.
 * @return COUNCIL_OK; COUNCIL_EMISUSE (a batch is open already, or a bad
 *         handle); COUNCIL_EDENIED (a staff session that has ended);
 *         COUNCIL_EIO.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_batch_begin(council *c);
/** @return COUNCIL_OK; COUNCIL_EMISUSE without a batch; COUNCIL_EIO if the
 *  commit fails (the batch is then rolled back). @since 0.1.0 */
COUNCIL_API COUNCIL_NODISCARD int council_batch_commit(council *c);
/** Forget the batch. @return COUNCIL_OK; COUNCIL_EMISUSE without a batch. @since 0.1.0 */
COUNCIL_API int council_batch_rollback(council *c);

/**
 * Rotate the database key: SQLCipher re-encrypts council.db under a new
 * key (the next key version; sqlite3_rekey, so the key never becomes SQL
 * text), and the keyring and every member's sealed copy are updated (only
 * to keys the council signed; a member whose key is not loses its copy).
 * Crash-safe: the keyring keeps the previous key until the database is
 * re-keyed, and the secretariat's next open finishes the job (or clears a
 * mark left after the database was re-keyed). Every other handle open on
 * the store ends: its next call fails (COUNCIL_EIO) and it must be opened
 * again. Root session only; refused inside a batch; "key rotated" is
 * logged.
 * @return COUNCIL_OK; COUNCIL_EDENIED in a staff session;
 *         COUNCIL_EMISUSE (also inside a batch); COUNCIL_EFORMAT,
 *         COUNCIL_EAUTH, COUNCIL_ENOTFOUND or COUNCIL_EUNSUPPORTED if the
 *         keyring on disk was damaged, replaced or removed meanwhile;
 *         COUNCIL_ELIMIT when no key version is left; COUNCIL_EIO (also
 *         while another re-key is under way); COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_rekey_database(council *c);

/**
 * Replace the root key: a new random key wrapped under new_pass (or the
 * integrator's new_root_key), and everything under the old one wrapped
 * again: the log key, the coordinating body's wrap of every data key, the
 * council's stored secrets, and the database key (re-keyed as by
 * council_rekey_database()). The log key pair, case pseudonyms and blind
 * index tokens stay the same. As with council_rekey_database(), every
 * other open handle ends and must be opened again. Root session only;
 * refused inside a batch; "key rotated" is logged.
 *
 * @param new_pass      new passphrase (a passphrase council), or NULL.
 * @param new_root_key  new 32-byte root key (an external-key council), or NULL.
 * @return COUNCIL_OK; COUNCIL_EINVAL for the wrong kind of credential, a
 *         bad length or cost, or the current root key; COUNCIL_EDENIED in
 *         a staff session; COUNCIL_EMISUSE (also inside a batch);
 *         COUNCIL_EFORMAT, COUNCIL_EAUTH, COUNCIL_ENOTFOUND or
 *         COUNCIL_EUNSUPPORTED if the keyring on disk was damaged, replaced
 *         or removed meanwhile (COUNCIL_EAUTH also for a wrapped key that
 *         does not open); COUNCIL_ELIMIT when no database key version is
 *         left; COUNCIL_EIO (also while a database re-key is under way);
 *         COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_rekey_root(council *c, const uint8_t *new_pass,
        size_t new_pass_len, const uint8_t *new_root_key, size_t new_root_key_len,
        uint64_t kdf_opslimit, uint64_t kdf_memlimit);

/* ---------------------------------------------------------------- consent */

/*
 * The consent ledger (同意). Each of 当事者等 consents (or refuses)
 * separately; a record names the grantor (the person, or a named legal
 * representative or guardian), the recipients (members, or a named third
 * party outside the council), scopes, purposes, a validity period, how it
 * was given, who obtained it and the SHA-256 of the evidence (never the
 * form or recording itself). Records are never changed: a withdrawal is
 * added beside its record, and a refusal ("does not consent to ...") is a
 * record too, overriding older consent for what it covers. The secretariat
 * or the owning member's staff record them.
 */

/** Most recipients, scopes or purposes in one consent record. @since 0.1.0 */
#define COUNCIL_CONSENT_LIST_MAX 32
/** Function twin of COUNCIL_CONSENT_LIST_MAX. @since 0.1.0 */
COUNCIL_API size_t council_consent_list_max(void);

#define COUNCIL_CONSENT_OPTIONS_VERSION 1

/**
 * A consent or refusal record. Initialise with COUNCIL_CONSENT_OPTIONS_INIT.
 *
 * A consent needs at least one recipient, scope and purpose; a refusal
 * with an empty list refuses for every recipient, scope or purpose.
 * Purposes are codes: support_coordination, referral, joint_support,
 * meeting_discussion, statistics, other (with purpose_other).
 * @since 0.1.0
 */
typedef struct council_consent_options {
    unsigned version;                 /**< COUNCIL_CONSENT_OPTIONS_VERSION */
    const uint8_t *case_id;           /**< 16 bytes */
    size_t case_id_len;
    const uint8_t *subject_person;    /**< 16 bytes: a person of the case */
    size_t subject_person_len;
    int32_t grantor;                  /**< council.v1.GrantorKind; 0 for SELF */
    const char *grantor_name;         /**< a representative's or guardian's name (else NULL) */
    const uint8_t *recipient_members; /**< n_recipient_members ids of 16 bytes, back to back */
    size_t n_recipient_members;
    const char *external_party;       /**< a named third party outside the council, or NULL */
    const char *const *scopes;
    size_t n_scopes;
    const char *const *purposes;
    size_t n_purposes;
    const char *purpose_other;        /**< what "other" means, or NULL */
    int64_t valid_from;               /**< Unix seconds; 0 for now */
    int64_t valid_until;              /**< 0 for until withdrawn */
    int32_t method;                   /**< council.v1.ConsentMethod, not 0 */
    const uint8_t *obtained_by;       /**< staff id (16 bytes), or NULL (a staff session: itself) */
    size_t obtained_by_len;
    const uint8_t *evidence_sha256;   /**< 32 bytes, or NULL */
    size_t evidence_len;
} council_consent_options;

#define COUNCIL_CONSENT_OPTIONS_INIT \
    { COUNCIL_CONSENT_OPTIONS_VERSION, NULL, 0, NULL, 0, 0, NULL, NULL, 0, NULL, NULL, 0, NULL, 0, \
      NULL, 0, 0, 0, NULL, 0, NULL, 0 }

/**
 * Record a consent ("consent recorded" is logged with the case's pseudonym,
 * the scopes and the record's id; no name is logged).
 *
 * @param[out] id  receives the record's 16-byte id.
 * @return COUNCIL_OK; COUNCIL_EINVAL for a bad field (unknown scope or
 *         purpose, empty lists, a grantor name missing, bad dates, method,
 *         evidence or id lengths); COUNCIL_ENOTFOUND for an unknown case,
 *         person, member or staff; COUNCIL_EDENIED when the session is not
 *         the secretariat or the owner's staff, or the case was erased
 *         (logged); COUNCIL_ELIMIT past COUNCIL_CONSENT_LIST_MAX;
 *         COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_consent_record(council *c, uint8_t *id, size_t id_len,
                                                         const council_consent_options *opts);

/**
 * Record a refusal ("does not consent to ..."): as council_consent_record(),
 * but lists may be empty (meaning every recipient, scope or purpose).
 * @return as council_consent_record().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_consent_refuse(council *c, uint8_t *id, size_t id_len,
                                                         const council_consent_options *opts);

/**
 * Withdraw a consent: the time, the reason and who recorded it are added to
 * the record (never overwriting it), "consent withdrawn" is logged, and
 * every share that rested on the record is revoked at once, its data keys
 * rotated, so the recipient's next read fails.
 *
 * @param when    Unix seconds, between the record's time and now; 0 for now.
 * @param reason  UTF-8, 1..COUNCIL_CONTACT_MAX bytes (kept in the store only).
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND; COUNCIL_EDENIED for a refusal
 *         record, one withdrawn already, or a session not entitled;
 *         COUNCIL_EINVAL; COUNCIL_EMISUSE (also inside a batch);
 *         COUNCIL_EIO.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_consent_withdraw(council *c, const uint8_t *id,
        size_t id_len, int64_t when, const char *reason);

/**
 * One record as a serialised council.v1.ConsentRecord, its status as of
 * now (active, withdrawn, expired or refused).
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND; COUNCIL_EDENIED; COUNCIL_EINVAL;
 *         COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_consent_get(council *c, council_buf *out,
                                                      const uint8_t *id, size_t id_len);

/**
 * A case's records in the order recorded, as a serialised
 * council.v1.ConsentList. The secretariat or the owner's staff.
 * @return as council_consent_get().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_consent_list(council *c, council_buf *out,
                                                       const uint8_t *case_id, size_t case_id_len);

/**
 * The council's disclosure policy configuration. Initialise with
 * COUNCIL_POLICY_OPTIONS_INIT. Safe defaults (before any call): consent and
 * the four APPI 27(1) exceptions accepted (each with a written reason),
 * council_art16_exchange off, the support meetings' bases
 * (swa_106_6_support_meeting, ncsa_9_support_meeting) off,
 * appi_27_1_2_vital with a second approver, no cross-body use.
 *
 * Version 2 (@since 0.2.0) adds cross_body_use; a caller built for
 * version 1 passes version 1, and its policy keeps cross-body use off.
 * @since 0.1.0
 */
typedef struct council_policy_options {
    unsigned version;                    /**< COUNCIL_POLICY_OPTIONS_VERSION (1 or 2) */
    const char *const *accepted_bases;   /**< basis codes; "consent" must be among them */
    size_t n_accepted_bases;
    int vital_second_approver;           /**< 1: vital needs a second approver; 0: not */
    /** Version 2: 1 lets a case collected under one body (its
     *  council_case_options.body) be discussed at a meeting under another
     *  body (council_meeting_add_item()) without a consent covering it; 0
     *  (the default): only with basis consent. @since 0.2.0 */
    int cross_body_use;
} council_policy_options;

/** The first version (without cross_body_use). @since 0.2.0 */
#define COUNCIL_POLICY_OPTIONS_VERSION_1 1
#define COUNCIL_POLICY_OPTIONS_VERSION 2
#define COUNCIL_POLICY_OPTIONS_INIT { COUNCIL_POLICY_OPTIONS_VERSION, NULL, 0, 1, 0 }

/**
 * Set the policy ("policy changed" is logged). Root session only. The
 * configuration is kept in the encrypted store; every share, meeting
 * disclosure and dry run reads it.
 * @return COUNCIL_OK; COUNCIL_EINVAL (unknown basis, consent missing, a
 *         flag not 0 or 1); COUNCIL_EDENIED in a staff session (but the
 *         secretariat's);
 *         COUNCIL_EMISUSE; COUNCIL_EIO.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_policy_set(council *c, const council_policy_options *opts);

/**
 * The policy in force, as a serialised council.v1.Policy.
 * @return COUNCIL_OK; COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_policy_get(council *c, council_buf *out);

/** The longest time zone name council_timezone_set() takes, in bytes. @since 0.1.0 */
#define COUNCIL_TIMEZONE_MAX 64
/** The council's time zone before any council_timezone_set(). @since 0.1.0 */
#define COUNCIL_TIMEZONE_DEFAULT "Asia/Tokyo"

/**
 * Set the council's time zone: an IANA name of the system's tzdata, such as
 * "Asia/Tokyo" (the default) or "UTC". tz MUST be a plain name of at most
 * COUNCIL_TIMEZONE_MAX bytes of letters, digits, '/', '_', '-' and '+'
 * (not absolute, no "..", no empty part), and
 * /usr/share/zoneinfo/<tz> a regular file in tzdata's form ("TZif").
 * Root session only; logged ("setting changed", reason "timezone"); kept
 * in the store, signed by the secretariat. The library keeps every time in
 * Unix seconds (UTC): the zone is for the tools that read and print times
 * for people (council-cli).
 * @return COUNCIL_OK; COUNCIL_EINVAL (not such a name, or no such zone);
 *         COUNCIL_EDENIED in a staff session; COUNCIL_EMISUSE (NULL);
 *         COUNCIL_EIO.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_timezone_set(council *c, const char *tz);

/**
 * The council's time zone into out (NUL-terminated; COUNCIL_TIMEZONE_MAX + 1
 * bytes are always enough): the one set, else COUNCIL_TIMEZONE_DEFAULT. Any
 * session, unlogged.
 * @return COUNCIL_OK; COUNCIL_EBUFS (out_len too small); COUNCIL_ETAMPER
 *         (the stored zone was not set by the secretariat; logged);
 *         COUNCIL_EFORMAT (the stored zone is no longer in tzdata);
 *         COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_timezone_get(council *c, char *out, size_t out_len);

/* --------------------------------------------------------------- meetings */

/*
 * Meetings (会議): the secretariat convenes a body (the council, a support
 * meeting, or a joint meeting with the regional platform) for a time
 * window with member attendees. Agenda items disclose scopes of a case to
 * an attendee, each through the disclosure decision (council_case_share()
 * with the window's end as expiry); they end when the window closes or the
 * meeting is closed. A joint meeting with the platform takes no case.
 *
 * Joint operation (the 2024-06-24 notice): a meeting may be held as the
 * council, as a support meeting (社会福祉法第106条の6), as a
 * needs-of-the-poor meeting (生活困窮者自立支援法第9条), or as more than one
 * of them in split time slots; each agenda item says under which body its
 * information is discussed (council_meeting_add_item()). A case collected
 * under one body (council_case_options.body) is discussed under another
 * only when the council's policy allows cross-body use
 * (council_policy_options.cross_body_use) or, with basis "consent", a
 * consent covers it; otherwise COUNCIL_ENOCONSENT, logged (reason
 * cross_body_use).
 *
 * Meetings decide (@since 0.2.0): the secretariat records a meeting's
 * minutes (council_meeting_minutes(): sealed to every attendee) and its
 * decisions (council_meeting_decide(): a decision about a case is sealed
 * only to the attendees to which that case was disclosed on the agenda; one
 * about no case to every attendee), while the meeting is not closed (its
 * window may have passed: minutes are often written after the meeting;
 * closing it ends the record). The secretariat and the coordinating body
 * read every record. Each attendee's packet carries the minutes and the
 * decisions it is entitled to.
 */

/** Most time slots of one meeting. @since 0.2.0 */
#define COUNCIL_MEETING_SLOTS_MAX 8
/** The longest minutes or decision text, in bytes. @since 0.2.0 */
#define COUNCIL_MEETING_TEXT_MAX (64 * 1024)

/**
 * A time slot of a meeting held as more than one body. @since 0.2.0
 */
typedef struct council_meeting_slot {
    int32_t body;                /**< COUNCIL_MEETING_BODY_COUNCIL, _SUPPORT_MEETING or
                                      _NEEDS_OF_POOR_MEETING */
    int64_t starts;              /**< Unix seconds, within the meeting's window */
    int64_t ends;                /**< after starts, within the window; slots do not overlap */
} council_meeting_slot;

/** The first version (without slots). @since 0.2.0 */
#define COUNCIL_MEETING_OPTIONS_VERSION_1 1
#define COUNCIL_MEETING_OPTIONS_VERSION 2

/**
 * A meeting. Initialise with COUNCIL_MEETING_OPTIONS_INIT. Version 2
 * (@since 0.2.0) adds the slots; a caller built for version 1 passes
 * version 1 and gets a meeting without slots.
 * @since 0.1.0
 */
typedef struct council_meeting_options {
    unsigned version;            /**< COUNCIL_MEETING_OPTIONS_VERSION (1 or 2) */
    int32_t body;                /**< council.v1.MeetingBody, not 0 */
    int64_t starts;              /**< Unix seconds */
    int64_t ends;                /**< after starts and after now */
    const uint8_t *attendees;    /**< n_attendees member ids of 16 bytes, back to back */
    size_t n_attendees;          /**< 1..COUNCIL_CONSENT_LIST_MAX */
    /** Version 2: the slots (0..COUNCIL_MEETING_SLOTS_MAX; none for a joint
     *  meeting with the platform). The meeting is held as its body and as
     *  each slot's body. @since 0.2.0 */
    const council_meeting_slot *slots;
    size_t n_slots;
} council_meeting_options;

#define COUNCIL_MEETING_OPTIONS_INIT { COUNCIL_MEETING_OPTIONS_VERSION, 0, 0, 0, NULL, 0, NULL, 0 }

/**
 * Convene a meeting ("meeting opened" is logged). Root session only.
 * @return COUNCIL_OK; COUNCIL_EINVAL (body, window, attendees, slots);
 *         COUNCIL_ENOTFOUND for an unknown member; COUNCIL_EDENIED for a
 *         withdrawn one (or a staff session); COUNCIL_ELIMIT;
 *         COUNCIL_EMISUSE; COUNCIL_EIO.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_meeting_create(council *c, uint8_t *id, size_t id_len,
                                                         const council_meeting_options *opts);

/**
 * Put a case on the agenda for one attendee: the scopes in opts are shared
 * with it for the meeting (purpose, basis, reason, consent as for
 * council_case_share(); the expiry is the window's end). Scopes it holds
 * already through another share are recorded without a new share. Root
 * session only.
 * @return COUNCIL_OK; COUNCIL_EDENIED for a joint meeting with the platform
 *         (no personal data), an attendee not invited, or a closed or past
 *         meeting (logged); COUNCIL_ENOCONSENT when the decision refuses;
 *         the codes of council_case_share().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_meeting_add_case(council *c, const uint8_t *meeting,
        size_t meeting_len, const uint8_t *case_id, size_t case_id_len, const uint8_t *attendee,
        size_t attendee_len, const council_share_options *opts);

#define COUNCIL_AGENDA_OPTIONS_VERSION 1

/**
 * An agenda item: the share it makes and the body under which its
 * information is discussed. Initialise with COUNCIL_AGENDA_OPTIONS_INIT.
 * @since 0.2.0
 */
typedef struct council_agenda_options {
    unsigned version;                   /**< COUNCIL_AGENDA_OPTIONS_VERSION */
    const council_share_options *share; /**< scopes, purpose, basis... as council_meeting_add_case() */
    int32_t body;                       /**< a COUNCIL_MEETING_BODY_* the meeting is held as
                                             (its body or a slot's); 0: the meeting's body */
} council_agenda_options;

#define COUNCIL_AGENDA_OPTIONS_INIT { COUNCIL_AGENDA_OPTIONS_VERSION, NULL, 0 }

/**
 * council_meeting_add_case() naming the body the item is discussed under.
 * The bases swa_106_6_support_meeting (社会福祉法第106条の6) and
 * ncsa_9_support_meeting (生活困窮者自立支援法第9条), when the policy
 * accepts them, allow the share only for an item under that body (support
 * meeting, needs-of-the-poor meeting) with purpose meeting_discussion. A
 * case collected under another body than the item's is refused
 * (COUNCIL_ENOCONSENT, logged, reason cross_body_use) unless the policy
 * allows cross-body use or the basis is "consent" and the decision finds a
 * consent covering every scope (scopes the attendee holds already through
 * another share are not covered by it: refused as well). Root session only.
 * @return as council_meeting_add_case(); COUNCIL_EINVAL also for a body the
 *         meeting is not held as; COUNCIL_ENOCONSENT also for a cross-body use.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_meeting_add_item(council *c, const uint8_t *meeting,
        size_t meeting_len, const uint8_t *case_id, size_t case_id_len, const uint8_t *attendee,
        size_t attendee_len, const council_agenda_options *opts);

/**
 * Record a meeting's minutes: text (UTF-8, 1..COUNCIL_MEETING_TEXT_MAX
 * bytes) sealed to every attendee (and the secretariat and coordinating
 * body), "minutes recorded" logged. Once per meeting. The secretariat
 * (root or a secretariat staff session), on a meeting not closed.
 * @return COUNCIL_OK; COUNCIL_EDENIED for a staff session that is not the
 *         secretariat's (logged, operation_refused) or a closed meeting
 *         (logged, meeting_closed); COUNCIL_EEXIST (minutes recorded
 *         already); COUNCIL_ENOTFOUND; COUNCIL_ETAMPER (the meeting's rows
 *         were changed outside the library; logged); COUNCIL_EINVAL (ids,
 *         text); COUNCIL_EMISUSE (also inside a batch); COUNCIL_EIO;
 *         COUNCIL_ENOMEM.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_meeting_minutes(council *c, const uint8_t *meeting,
        size_t meeting_len, const char *text);

/**
 * Record a decision of a meeting (about case_id, on its agenda, or about
 * no case: case_id NULL, case_id_len 0). Its text (UTF-8,
 * 1..COUNCIL_MEETING_TEXT_MAX bytes) is sealed to the attendees to which
 * the case was disclosed on the agenda and still is (not one whose
 * disclosure was revoked since; the window's end does not count; every
 * attendee for no case);
 * "decision recorded" is logged with the decision's id as object_id. id
 * (16 bytes) receives the decision's id. The secretariat, on a meeting not
 * closed.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND (no such meeting, or the case is
 *         not on its agenda); COUNCIL_EDENIED (as council_meeting_minutes(),
 *         or an erased case: logged); COUNCIL_ETAMPER; COUNCIL_EINVAL;
 *         COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_meeting_decide(council *c, uint8_t *id, size_t id_len,
        const uint8_t *meeting, size_t meeting_len, const uint8_t *case_id, size_t case_id_len,
        const char *text);

/**
 * A meeting's record as this session may read it, as a serialised
 * council.v1.MeetingRecord: the minutes and every decision with its text
 * for the secretariat; for a staff session of an attendee, the minutes and
 * the decisions sealed to its member (the others are left out). Each
 * record read is logged ("meeting record read", object_id = the decision)
 * before anything is returned. Any session: a staff session of a member
 * that does not attend gets COUNCIL_EDENIED (logged).
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND; COUNCIL_EDENIED; COUNCIL_ETAMPER (a
 *         minutes or decision row not the secretariat's; logged);
 *         COUNCIL_EAUTH; COUNCIL_EINVAL; COUNCIL_EMISUSE (also inside a
 *         batch); COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free() (which wipes it).
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_meeting_record(council *c, council_buf *out,
        const uint8_t *meeting, size_t meeting_len);

/**
 * One decision, as a serialised council.v1.MeetingDecision with its text,
 * logged before it is returned. The secretariat, or a staff session of a
 * member it is sealed to; any other gets COUNCIL_EDENIED (logged, reason
 * not_a_reader): an attendee to which the decision's case was not
 * disclosed cannot read it.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND; COUNCIL_EDENIED; COUNCIL_ETAMPER
 *         (logged); COUNCIL_EAUTH; COUNCIL_EINVAL; COUNCIL_EMISUSE;
 *         COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free() (which wipes it).
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_meeting_decision_read(council *c, council_buf *out,
        const uint8_t *decision, size_t decision_len);

/**
 * A meeting as a serialised council.v1.Meeting. Root session only.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND; COUNCIL_EDENIED; COUNCIL_EINVAL;
 *         COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_meeting_get(council *c, council_buf *out,
                                                      const uint8_t *meeting, size_t meeting_len);

/**
 * One attendee's meeting packet: a serialised council.v1.MeetingPacket
 * (the meeting, and each agenda case's sections disclosed to that
 * attendee; since 0.2.0 also the minutes and the decisions it is entitled
 * to, each read logged as "meeting record read" with reason
 * meeting_packet), sealed with crypto_box_seal to the attendee's signed box key,
 * so only it can open the bytes. Every section read is logged (purpose
 * meeting_discussion) before the packet is returned. Root session only.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND; COUNCIL_EDENIED (not an attendee,
 *         closed meeting); COUNCIL_EAUTH (the attendee's key is not signed);
 *         COUNCIL_EINVAL; COUNCIL_EMISUSE (also inside a batch); COUNCIL_EIO;
 *         COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_meeting_packet(council *c, council_buf *out,
        const uint8_t *meeting, size_t meeting_len, const uint8_t *attendee, size_t attendee_len);

/**
 * Close a meeting: its disclosures end now (shares revoked, keys rotated),
 * "meeting closed" is logged. Root session only.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND; COUNCIL_EDENIED if closed already;
 *         COUNCIL_EINVAL; COUNCIL_EMISUSE (also inside a batch); COUNCIL_EIO.
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_meeting_close(council *c, const uint8_t *meeting,
                                                        size_t meeting_len);

/* ------------------------------------------------------ who supports whom */

/*
 * Who supports whom (伴走): per case, the lead member (the owner unless
 * assigned), the assigned workers (staff of the lead member or of a member
 * the case is shared with, each in service with a pledge) and the next
 * review date; support tasks from the support plan, each with the member
 * responsible (the owner or a member the case is shared with), optionally
 * its staff, a sealed text, a due date and a state (open, then done or
 * cancelled, both final). The secretariat or the owner's staff change a
 * case's assignment and add tasks; the responsible member's staff too may
 * mark a task done or cancelled. Rows are signed (the log key, or the
 * member's signing key) and checked before they are used: a row written
 * outside the library is COUNCIL_ETAMPER, logged as a tamper finding.
 *
 * Assignment gives NO access to a case's content: cases belong to members,
 * and keys follow shares alone (council_case_share()). A worker of another
 * member reads what its member was shared, nothing more.
 */

#define COUNCIL_ASSIGN_OPTIONS_VERSION 1
/** Most workers a case is assigned. @since 0.2.0 */
#define COUNCIL_WORKERS_MAX 16
/** Longest task text in bytes. @since 0.2.0 */
#define COUNCIL_TASK_TEXT_MAX 4096

/** A case's assignment. Initialise with COUNCIL_ASSIGN_OPTIONS_INIT. @since 0.2.0 */
typedef struct council_assign_options {
    unsigned version;            /**< COUNCIL_ASSIGN_OPTIONS_VERSION */
    const uint8_t *lead;         /**< member id (16 bytes), or NULL: the owner */
    size_t lead_len;             /**< 16 (or 0 with lead NULL) */
    const uint8_t *workers;      /**< n_workers staff ids of 16 bytes, back to back */
    size_t n_workers;            /**< 0..COUNCIL_WORKERS_MAX */
} council_assign_options;

#define COUNCIL_ASSIGN_OPTIONS_INIT { COUNCIL_ASSIGN_OPTIONS_VERSION, NULL, 0, NULL, 0 }

/**
 * Set a case's lead member and workers (replacing the workers before; the
 * review date stays). The secretariat or the owner's staff. Logged as
 * case_assigned (the lead, and each worker). No key changes hands.
 * @return COUNCIL_OK; COUNCIL_EINVAL (ids, count, a worker twice, a worker
 *         not in service or without a pledge, or not staff of the lead
 *         member or of a member the case is shared with: logged);
 *         COUNCIL_EDENIED (not entitled, logged; a withdrawn lead);
 *         COUNCIL_ENOTFOUND (case, member or staff); COUNCIL_ETAMPER (a row
 *         the library did not write, logged); COUNCIL_EMISUSE; COUNCIL_EIO.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_assign(council *c, const uint8_t *case_id,
        size_t case_id_len, const council_assign_options *opts);

/**
 * Set a case's next review date (Unix seconds, after 0), or clear it with
 * 0. The secretariat or the owner's staff; logged as review_scheduled.
 * @return as council_case_assign().
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_review(council *c, const uint8_t *case_id,
                                                      size_t case_id_len, int64_t review);

/**
 * A case's assignment as a serialised council.v1.CaseAssignment (the owner
 * as lead, no workers, when never assigned): the secretariat, or staff of
 * the owner or of a member the case is shared with. out is the caller's to
 * free with council_buf_free().
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged); COUNCIL_ENOTFOUND;
 *         COUNCIL_ETAMPER; COUNCIL_EINVAL; COUNCIL_EMISUSE; COUNCIL_EIO;
 *         COUNCIL_ENOMEM.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_assignment(council *c, council_buf *out,
        const uint8_t *case_id, size_t case_id_len);

/**
 * The cases whose review is due before `before` (Unix seconds) as a
 * serialised council.v1.CaseAssignmentList, earliest first. A staff
 * session sees the cases its member owns, leads or was shared; the
 * secretariat sees every case, or with member (16 bytes, else NULL) those
 * that member would see.
 * @return COUNCIL_OK; COUNCIL_EDENIED (a staff session naming another
 *         member, logged); COUNCIL_ETAMPER; COUNCIL_EINVAL; COUNCIL_EMISUSE;
 *         COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_reviews(council *c, council_buf *out, int64_t before,
                                                       const uint8_t *member, size_t member_len);

/**
 * A staff member's work to hand over (when it retires, see
 * council_staff_retire()): a serialised council.v1.Handover with the cases
 * it is a worker of and its open tasks. The secretariat, or staff of the
 * same member.
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged); COUNCIL_ENOTFOUND;
 *         COUNCIL_ETAMPER; COUNCIL_EINVAL; COUNCIL_EMISUSE; COUNCIL_EIO;
 *         COUNCIL_ENOMEM.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_handover_list(council *c, council_buf *out,
        const uint8_t *staff_id, size_t staff_id_len);

/**
 * Hand a case over from one staff member to another of the SAME member (in
 * service, with a pledge): from_staff's place among the workers and its
 * open tasks in the case go to to_staff. Nothing is re-encrypted (cases
 * belong to members). The secretariat or the owner's staff; logged as
 * case_handed_over (both staff) and task_updated for each task moved.
 * @return COUNCIL_OK; COUNCIL_EDENIED (not entitled, or to_staff of another
 *         member: logged); COUNCIL_EINVAL (to_staff retired or unpledged,
 *         the same staff); COUNCIL_ENOTFOUND (case, staff, or from_staff
 *         has nothing in the case); COUNCIL_ETAMPER; COUNCIL_EMISUSE;
 *         COUNCIL_EIO.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_handover(council *c, const uint8_t *case_id,
        size_t case_id_len, const uint8_t *from_staff, size_t from_staff_len,
        const uint8_t *to_staff, size_t to_staff_len);

#define COUNCIL_TASK_OPTIONS_VERSION 1

/** A support task. Initialise with COUNCIL_TASK_OPTIONS_INIT. @since 0.2.0 */
typedef struct council_task_options {
    unsigned version;            /**< COUNCIL_TASK_OPTIONS_VERSION */
    const uint8_t *case_id;      /**< 16 bytes */
    size_t case_id_len;
    const uint8_t *member;       /**< the member responsible (16 bytes), NULL: the owner */
    size_t member_len;
    const uint8_t *staff;        /**< its staff responsible (16 bytes), or NULL */
    size_t staff_len;
    const char *text;            /**< title/description, 1..COUNCIL_TASK_TEXT_MAX bytes UTF-8 */
    int64_t due;                 /**< Unix seconds, after 0 */
    const uint8_t *decision_id;  /**< the meeting decision about this case that created it
                                      (council_meeting_decide(), 16 bytes), or NULL */
    size_t decision_id_len;
} council_task_options;

#define COUNCIL_TASK_OPTIONS_INIT { COUNCIL_TASK_OPTIONS_VERSION, NULL, 0, NULL, 0, NULL, 0, \
                                    NULL, 0, NULL, 0 }

/**
 * Add an open support task (its text sealed to the coordinating body, the
 * writer's member, the owner and the member responsible); id (16 bytes)
 * receives its id. The secretariat or the owner's staff; logged as
 * task_added. The decision id, checked against the meetings' signed
 * decisions, is stored (signed) and returned.
 * @return COUNCIL_OK; COUNCIL_EINVAL (ids, text, due; the member not the
 *         owner nor shared the case; the staff not its member's, retired
 *         or unpledged); COUNCIL_EDENIED (not entitled: logged);
 *         COUNCIL_ENOTFOUND (also a decision_id that is no meeting
 *         decision about this case); COUNCIL_ETAMPER; COUNCIL_EUNSUPPORTED (the
 *         coordinating body's key missing); COUNCIL_EMISUSE; COUNCIL_EIO;
 *         COUNCIL_ENOMEM.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_task_add(council *c, uint8_t *id, size_t id_len,
                                                   const council_task_options *opts);

/**
 * Mark an open task COUNCIL_TASK_STATE_DONE or _CANCELLED: the secretariat,
 * the owner's staff or the responsible member's staff; logged as
 * task_updated.
 * @return COUNCIL_OK; COUNCIL_EDENIED (not entitled, or the task is done
 *         or cancelled already: logged); COUNCIL_EINVAL; COUNCIL_ENOTFOUND;
 *         COUNCIL_ETAMPER; COUNCIL_EMISUSE; COUNCIL_EIO.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_task_set_state(council *c, const uint8_t *task,
                                                         size_t task_len, int32_t state);

#define COUNCIL_TASK_FILTER_VERSION 1

/** Which tasks council_task_list() gives. @since 0.2.0 */
typedef struct council_task_filter {
    unsigned version;            /**< COUNCIL_TASK_FILTER_VERSION */
    const uint8_t *member;       /**< responsible member (16 bytes), or NULL: any */
    size_t member_len;
    const uint8_t *case_id;      /**< 16 bytes, or NULL: any */
    size_t case_id_len;
    int32_t state;               /**< COUNCIL_TASK_STATE_*, 0: any */
    int64_t due_before;          /**< Unix seconds, 0: any */
} council_task_filter;

#define COUNCIL_TASK_FILTER_INIT { COUNCIL_TASK_FILTER_VERSION, NULL, 0, NULL, 0, 0, 0 }

/**
 * Tasks as a serialised council.v1.SupportTaskList (no text), by due date. A
 * staff session sees the tasks its member is responsible for and those of
 * the cases it owns; the secretariat sees all. f may be NULL (all).
 * @return COUNCIL_OK; COUNCIL_ETAMPER (a forged row, logged);
 *         COUNCIL_EINVAL; COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_task_list(council *c, council_buf *out,
                                                    const council_task_filter *f);

/**
 * One task with its text as a serialised council.v1.SupportTask: whoever may
 * list it and holds a copy of its text; task_read is logged before the
 * text is returned.
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged); COUNCIL_ENOTFOUND;
 *         COUNCIL_ETAMPER; COUNCIL_EAUTH; COUNCIL_EINVAL; COUNCIL_EMISUSE;
 *         COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_task_get(council *c, council_buf *out,
                                                   const uint8_t *task, size_t task_len);

/* ----------------------------------------------------------------- report */

/** Formats of council_report_platform(). @since 0.1.0 */
#define COUNCIL_REPORT_CSV 1
#define COUNCIL_REPORT_JSON 2
/** The default small-cell threshold k. @since 0.1.0 */
#define COUNCIL_REPORT_K_DEFAULT 5

/**
 * The report for the regional platform: aggregate counts only (cases by
 * age band and status, by body and owning member kind, by month opened;
 * support tasks by state and body; shares made for a referral by month
 * and recipient kind; referrals by state; cooperation requests by
 * outcome),
 * with small-cell suppression: every count (cell or total) below k is
 * hidden, and further cells are hidden until no hidden count can be worked
 * out from the published counts and totals. No ids, pseudonyms, names or
 * dates finer than a month. Reading the identity and support plan sections
 * for it is logged per case (purpose statistics); "report produced" is
 * logged. Root session only.
 *
 * @param k       the threshold, 3..1000; 0 for COUNCIL_REPORT_K_DEFAULT.
 * @param format  COUNCIL_REPORT_CSV or COUNCIL_REPORT_JSON.
 * Since 0.2.0 this is council_report_platform_period() for all time (its
 * output is unchanged), and any number of months is counted up to
 * COUNCIL_REPORT_MONTHS_MAX (since 0.3.0, every month before the year
 * 10000).
 *
 * @return COUNCIL_OK; COUNCIL_EINVAL (k below 3, format); COUNCIL_EDENIED
 *         in a staff session; COUNCIL_ELIMIT (more than
 *         COUNCIL_REPORT_MONTHS_MAX months); COUNCIL_EMISUSE (also inside
 *         a batch); COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.1.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_report_platform(council *c, council_buf *out,
                                                          unsigned k, int format);

/** The most months a platform report counts: 1200 (100 years) in 0.2.0;
 *  since 0.3.0, every month a period before the year 10000 can have in
 *  any time zone (8031 years), so no period allowed is refused for its
 *  length. @since 0.2.0 */
#define COUNCIL_REPORT_MONTHS_MAX 96372

/* Version 2 (0.3.0) adds overlap_reason; version 1 is still accepted. */
#define COUNCIL_REPORT_OPTIONS_VERSION 2

/**
 * What council_report_platform_period() reports on. Initialise with
 * COUNCIL_REPORT_OPTIONS_INIT (all time, CSV, the default k). Give a period
 * either as from/to or as a fiscal year, never both.
 * @since 0.2.0
 */
typedef struct council_report_options {
    unsigned version;    /**< COUNCIL_REPORT_OPTIONS_VERSION */
    unsigned k;          /**< the threshold, 3..1000; 0 for COUNCIL_REPORT_K_DEFAULT */
    int format;          /**< COUNCIL_REPORT_CSV or COUNCIL_REPORT_JSON */
    int64_t from;        /**< the period [from, to) in Unix seconds, 0 <= from < to <= */
    int64_t to;          /**<   253402300800 (year 10000); both 0: all time */
    int32_t fiscal_year; /**< 0, or YYYY (1970..9998): April 1 YYYY 00:00 up to April 1
                              YYYY+1 00:00 in the council's time zone */
    /* version 2 (@since 0.3.0) */
    const char *overlap_reason; /**< NULL, or a code [a-z0-9_]{1,64}: issue a period that
                                     overlaps an issued report's period without being the
                                     same one (logged with the report); see
                                     council_report_platform_period() */
} council_report_options;

#define COUNCIL_REPORT_OPTIONS_INIT \
    { COUNCIL_REPORT_OPTIONS_VERSION, 0, COUNCIL_REPORT_CSV, 0, 0, 0, NULL }

/**
 * The platform report (see council_report_platform()) over a period: the
 * cases opened and the referrals granted in [from, to), or in the fiscal
 * year (年度) April 1 YYYY to April 1 YYYY+1, midnights in the council's
 * time zone (council_timezone_get(); the zone's rules are read from its
 * tzdata file, the process's TZ is neither read nor changed). A case's
 * status, age band and support tasks are as they are now (the age at the
 * period's end when that is earlier). A period's monthly tables have a row
 * for every month of the period, months of the council's time zone (a
 * fiscal year has twelve; a month partly in the period counts only what is
 * in it). All time (from = to = 0, no fiscal year) is exactly
 * council_report_platform(): the months that have cases or referrals, as
 * UTC months. The JSON of a period names it: "period":{"from":...,"to":...,
 * "time_zone":"...", and "fiscal_year":YYYY when given}; the CSV does not.
 * Reports for overlapping periods are each suppressed on their own, so
 * since 0.3.0 the council keeps a register of the reports it issued: each
 * report appends "report issued" (report_issued: k, the format and the
 * period in its reason, the SHA-256 of the returned bytes in bundle_hash),
 * and a period that overlaps an issued report's period without being the
 * same period is refused (COUNCIL_EDENIED, logged as report_issued refused,
 * reason overlapping_period) unless overlap_reason gives a code, which is
 * logged with the report. All time (from = to = 0) is never refused; see
 * SECURITY.md ("Overlapping periods") for what remains possible.
 * Logged as council_report_platform() is. The secretariat only.
 *
 * @param[out] out  receives the report (CSV or JSON text, not
 *                  NUL-terminated).
 * @param o         the options (COUNCIL_REPORT_OPTIONS_INIT).
 * @return COUNCIL_OK; COUNCIL_EINVAL (k below 3 or above 1000, format,
 *         from >= to, from < 0, to past the year 10000, a fiscal year
 *         outside 1970..9998, both a fiscal year and from/to, or an
 *         overlap_reason that is not a code);
 *         COUNCIL_EDENIED in a staff session of a member other than the
 *         secretariat (logged), or for a period overlapping an issued
 *         report's without overlap_reason (logged); COUNCIL_ELIMIT (all
 *         time spanning more than COUNCIL_REPORT_MONTHS_MAX months);
 *         COUNCIL_ETAMPER (the stored time zone was not set by the
 *         secretariat); COUNCIL_EFORMAT (the council's time zone is no
 *         longer readable in tzdata); COUNCIL_EMISUSE (NULL, an unknown
 *         options version, inside a batch); COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_report_platform_period(
        council *c, council_buf *out, const council_report_options *o);
/* ---------------------------------------------------------------- referrals */

/** A referral's states (council.v1.ReferralState). @since 0.2.0 */
#define COUNCIL_REFERRAL_PROPOSED 1
#define COUNCIL_REFERRAL_ACCEPTED 2
#define COUNCIL_REFERRAL_DECLINED 3
#define COUNCIL_REFERRAL_WITHDRAWN 4
#define COUNCIL_REFERRAL_COMPLETED 5
#define COUNCIL_REFERRAL_ENDED 6

/** council_referral_transition() flag: a completed referral keeps its share. @since 0.2.0 */
#define COUNCIL_REFERRAL_KEEP_SHARE 1u

#define COUNCIL_REFERRAL_OPTIONS_VERSION 1

/**
 * A referral (つなぐ) as proposed. Initialise with
 * COUNCIL_REFERRAL_OPTIONS_INIT. basis, reason and consent_id are as in
 * council_share_options; purpose NULL means "referral".
 * @since 0.2.0
 */
typedef struct council_referral_options {
    unsigned version;            /**< COUNCIL_REFERRAL_OPTIONS_VERSION */
    const uint8_t *case_id;      /**< 16 bytes */
    size_t case_id_len;
    const uint8_t *person_id;    /**< a person of the case (16 bytes), or NULL */
    size_t person_id_len;
    const uint8_t *to_member;    /**< the recipient member (16 bytes) */
    size_t to_member_len;
    const char *const *scopes;   /**< scope codes offered, 1..32 */
    size_t n_scopes;
    const char *purpose;         /**< a purpose code, or NULL for "referral" */
    const char *basis;           /**< a basis code (see council_share_options) */
    const char *reason;          /**< the exception's written reason, or NULL */
    const uint8_t *consent_id;   /**< 16 bytes with basis "consent", else NULL */
    size_t consent_id_len;
    const uint8_t *note;         /**< a note to the recipient (UTF-8, sealed), or NULL */
    size_t note_len;
    const uint8_t *decision_id;  /**< the meeting decision about this case that made it
                                      (council_meeting_decide(), 16 bytes), or NULL */
    size_t decision_id_len;
} council_referral_options;

#define COUNCIL_REFERRAL_OPTIONS_INIT \
    { COUNCIL_REFERRAL_OPTIONS_VERSION, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, NULL, NULL, \
      NULL, 0, NULL, 0, NULL, 0 }

/**
 * Propose a referral of a case to another member: the offer (case, person,
 * from member = the case's owner, to member, scopes, purpose, basis, note,
 * decision) is stored signed by the session, the note sealed to the
 * recipient, the owner and the coordinating body, and "referral proposed"
 * logged with the referral as object. The secretariat or the owner's staff
 * may propose. The disclosure decision runs now as for a share: a refusal
 * is logged and returns COUNCIL_ENOCONSENT. The recipient gets no key yet,
 * unless the council's setting council_referral_read_while_deciding_set()
 * is on: then the offered scopes are shared now (purpose as given), and the
 * recipient reads while it decides.
 *
 * @param[out] id  receives the referral's id (16 bytes).
 * @return COUNCIL_OK; COUNCIL_EDENIED (not the secretariat or the owner's
 *         staff, an erased case, a recipient withdrawn, without keys or
 *         outside its scope ceiling: logged); COUNCIL_ENOCONSENT (the
 *         policy refuses: logged); COUNCIL_EAUTH (the recipient's key is not
 *         signed); COUNCIL_ENOTFOUND (case, person, member, scope, or a
 *         decision_id that is no meeting decision about this case);
 *         COUNCIL_EINVAL (ids, scopes, basis, purpose, note, the owner as
 *         recipient); COUNCIL_EEXIST (read while deciding: a scope is shared
 *         already); COUNCIL_ETAMPER; COUNCIL_EMISUSE (handle, options, id_len
 *         not 16, inside a batch); COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_referral_propose(council *c, uint8_t *id, size_t id_len,
        const council_referral_options *opts);

/**
 * Move a referral to `to_state`: ACCEPTED or DECLINED (from PROPOSED, by
 * the recipient's staff or the secretariat on its behalf); WITHDRAWN (from
 * PROPOSED, by the owner's staff or the secretariat); COMPLETED or ENDED
 * (from ACCEPTED, by the recipient's staff or the secretariat). The step is
 * dated, names the staff member (or the council passphrase), is signed, and
 * logged ("referral accepted" ...) with the referral as object. The stored
 * referral (its offer and every step) is checked first: a row written
 * outside the library is COUNCIL_ETAMPER and a tamper finding, and changes
 * nothing.
 *
 * Keys: accepting in a session that holds the case's keys (the
 * secretariat) shares the offered scopes at once, through the disclosure
 * decision again; the recipient's own staff hold no key to wrap, so their
 * acceptance is delivered by council_referral_deliver(). Declining,
 * withdrawing and ending revoke the referral's share as council_case_revoke()
 * does (wraps destroyed, keys rotated) and drop the recipient's copy of the
 * note; completing does too unless flags has COUNCIL_REFERRAL_KEEP_SHARE.
 *
 * @param reason_code  a code [a-z0-9_]{1,64}; required for DECLINED and
 *                     ENDED, optional otherwise (NULL).
 * @param reason_text  a written reason (UTF-8, sealed like the note; the
 *                     recipient, owner and coordinating body read it), or NULL.
 * @return COUNCIL_OK; COUNCIL_EDENIED (a session not entitled: logged as
 *         refused); COUNCIL_EINVAL (a step the current state does not allow,
 *         a final state included: logged as refused, reason referral_state;
 *         bad arguments); COUNCIL_ENOCONSENT (the decision refuses the share
 *         at acceptance: logged); COUNCIL_ETAMPER; COUNCIL_ENOTFOUND;
 *         COUNCIL_EMISUSE (also inside a batch); COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_referral_transition(council *c, const uint8_t *id,
        size_t id_len, int to_state, const char *reason_code, const uint8_t *reason_text,
        size_t reason_text_len, unsigned flags);

/**
 * Deliver an accepted referral: the offered scopes not shared yet are
 * shared with the recipient (purpose as offered) through the disclosure
 * decision again. The owner's staff or the secretariat (sessions that hold
 * the case's keys) deliver what the recipient's staff accepted. Logged
 * ("share granted", and "referral accepted" reason referral_delivered).
 * @return COUNCIL_OK (also when nothing is left to share); COUNCIL_EINVAL
 *         (the referral is not accepted); COUNCIL_EDENIED (not the owner's
 *         staff or the secretariat: logged); COUNCIL_ENOCONSENT (logged);
 *         COUNCIL_ETAMPER; COUNCIL_ENOTFOUND; COUNCIL_EMISUSE; COUNCIL_EIO;
 *         COUNCIL_ENOMEM.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_referral_deliver(council *c, const uint8_t *id,
        size_t id_len);

/**
 * A referral as a serialised council.v1.Referral (offer, state, steps, the
 * scopes its share gave; no note text). The secretariat, the coordinating
 * body, and the staff of its sending or receiving member may read it.
 * Unlogged (no case content).
 * @return COUNCIL_OK; COUNCIL_EDENIED; COUNCIL_ETAMPER (logged);
 *         COUNCIL_ENOTFOUND; COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_referral_get(council *c, council_buf *out,
        const uint8_t *id, size_t id_len);

/** council_referral_note() which: the proposal's note. @since 0.2.0 */
#define COUNCIL_REFERRAL_NOTE 0

/**
 * A referral's sealed text: its note (which COUNCIL_REFERRAL_NOTE, 0) or
 * the written reason of step `which` (1.., as council_referral_get() lists
 * the steps: 0 is the proposal). The read is logged first (the step's
 * action, reason referral_note_read, the referral as object), then the
 * text (UTF-8, NUL-terminated) returned.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND (no such referral, or no text);
 *         COUNCIL_EDENIED (no copy for this session); COUNCIL_ETAMPER;
 *         COUNCIL_EAUTH; COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free() (it wipes).
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_referral_note(council *c, council_buf *out,
        const uint8_t *id, size_t id_len, unsigned which);

#define COUNCIL_REFERRAL_FILTER_VERSION 1

/** Which referrals council_referral_list() returns. @since 0.2.0 */
typedef struct council_referral_filter {
    unsigned version;            /**< COUNCIL_REFERRAL_FILTER_VERSION */
    const uint8_t *case_id;      /**< only this case (16 bytes), or NULL */
    size_t case_id_len;
    const uint8_t *member_id;    /**< only those this member sends or receives, or NULL */
    size_t member_id_len;
    int state;                   /**< only this state, or 0 for any */
} council_referral_filter;

#define COUNCIL_REFERRAL_FILTER_INIT { COUNCIL_REFERRAL_FILTER_VERSION, NULL, 0, NULL, 0, 0 }

/**
 * The referrals the session may see (as council_referral_get(): all for the
 * secretariat and the coordinating body, else those its member sends or
 * receives) that match f (NULL: all), oldest first, as a serialised
 * council.v1.ReferralList. A referral whose rows fail their check is
 * logged as a tamper finding and left out. Unlogged otherwise.
 * @return COUNCIL_OK; COUNCIL_EINVAL (filter ids, state); COUNCIL_EMISUSE;
 *         COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_referral_list(council *c, council_buf *out,
        const council_referral_filter *f);

/**
 * The council's setting "referral recipients read while deciding": when on
 * (1), council_referral_propose() shares the offered scopes at once; when
 * off (0, the default) only at acceptance. The secretariat only; signed,
 * logged ("setting changed", reason referral_read_while_deciding).
 * @return COUNCIL_OK; COUNCIL_EINVAL (on not 0 or 1); COUNCIL_EDENIED
 *         (logged); COUNCIL_EMISUSE; COUNCIL_EIO.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_referral_read_while_deciding_set(council *c, int on);

/**
 * The setting above into *on (0 or 1). Any session, unlogged.
 * @return COUNCIL_OK; COUNCIL_ETAMPER (the stored value was not set by the
 *         secretariat: logged); COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_referral_read_while_deciding_get(council *c, int *on);

/* ------------------------------------------------------------------------
 * Cooperation requests (協力要請, 孤独・孤立対策推進法 Art. 16(3))
 * ------------------------------------------------------------------------ */

/** A cooperation request's state (council.v1.RequestState). @since 0.2.0 */
#define COUNCIL_REQUEST_OPEN 1
#define COUNCIL_REQUEST_ANSWERED 2
#define COUNCIL_REQUEST_DECLINED 3
#define COUNCIL_REQUEST_WITHDRAWN 4

/** What a request asks for: council_request_options.kinds, flags. @since 0.2.0 */
#define COUNCIL_REQUEST_KIND_INFORMATION 1u
#define COUNCIL_REQUEST_KIND_OPINION 2u
#define COUNCIL_REQUEST_KIND_OTHER 4u

/** Which sealed text council_request_text() reads. @since 0.2.0 */
#define COUNCIL_REQUEST_TEXT_ASKED 1  /**< what the council asks */
#define COUNCIL_REQUEST_TEXT_ANSWER 2 /**< the member's opinion or answer */
#define COUNCIL_REQUEST_TEXT_REASON 3 /**< a decline's written reason */

#define COUNCIL_REQUEST_OPTIONS_VERSION 1

/**
 * A cooperation request. Initialise with COUNCIL_REQUEST_OPTIONS_INIT.
 *
 * basis is "council_art16_exchange" (only where the council's policy
 * accepts it; the request's text is its written reason) or "consent" with
 * consent_id (a record of the case). The text is sealed (a memo readable by
 * the council side and the member asked), never logged.
 * @since 0.2.0
 */
typedef struct council_request_options {
    unsigned version;            /**< COUNCIL_REQUEST_OPTIONS_VERSION */
    const uint8_t *case_id;      /**< 16 bytes */
    size_t case_id_len;
    const uint8_t *member_id;    /**< the member asked, 16 bytes */
    size_t member_id_len;
    uint32_t kinds;              /**< COUNCIL_REQUEST_KIND_* flags, not 0 */
    const char *const *scopes;   /**< with KIND_INFORMATION: 1..32 scope codes; else none */
    size_t n_scopes;
    const char *text;            /**< what is asked: UTF-8, 1..65536 bytes */
    size_t text_len;
    int64_t due;                 /**< Unix seconds, after now */
    const char *basis;           /**< "council_art16_exchange" or "consent" */
    const uint8_t *consent_id;   /**< 16 bytes with basis consent, else NULL */
    size_t consent_id_len;
} council_request_options;

#define COUNCIL_REQUEST_OPTIONS_INIT \
    { COUNCIL_REQUEST_OPTIONS_VERSION, NULL, 0, NULL, 0, 0, NULL, 0, NULL, 0, 0, NULL, NULL, 0 }

#define COUNCIL_REQUEST_ANSWER_OPTIONS_VERSION 1

/**
 * An answer. Initialise with COUNCIL_REQUEST_ANSWER_OPTIONS_INIT.
 * @since 0.2.0
 */
typedef struct council_request_answer_options {
    unsigned version;            /**< COUNCIL_REQUEST_ANSWER_OPTIONS_VERSION */
    const char *const *scopes;   /**< the scopes provided: 1..32 of those asked (information only) */
    size_t n_scopes;
    const char *text;            /**< the opinion or answer: UTF-8 1..65536 bytes (required for an
                                      opinion), or NULL */
    size_t text_len;
} council_request_answer_options;

#define COUNCIL_REQUEST_ANSWER_OPTIONS_INIT \
    { COUNCIL_REQUEST_ANSWER_OPTIONS_VERSION, NULL, 0, NULL, 0 }

#define COUNCIL_REQUEST_FILTER_VERSION 1

/**
 * Which requests council_request_list() returns. Initialise with
 * COUNCIL_REQUEST_FILTER_INIT (every request the session may see).
 * @since 0.2.0
 */
typedef struct council_request_filter {
    unsigned version;            /**< COUNCIL_REQUEST_FILTER_VERSION */
    const uint8_t *case_id;      /**< 16 bytes, or NULL for any case */
    size_t case_id_len;
    const uint8_t *member_id;    /**< the member asked (16 bytes), or NULL for any */
    size_t member_id_len;
    int32_t state;               /**< COUNCIL_REQUEST_* state, or 0 for any */
    int overdue;                 /**< nonzero: only open requests past due at now */
    int64_t now;                 /**< Unix seconds for overdue; 0: the current time */
} council_request_filter;

#define COUNCIL_REQUEST_FILTER_INIT { COUNCIL_REQUEST_FILTER_VERSION, NULL, 0, NULL, 0, 0, 0, 0 }

/**
 * Make a cooperation request: the council (a session of the secretariat or
 * the coordinating body) asks a member about a case. The member must be
 * active with signed keys; for information, it must hold each scope asked
 * (it owns the case, or an active share covers the scope), and the
 * disclosure decision (as for a share to the council side's member, purpose
 * support_coordination) must allow it; otherwise the basis must be accepted
 * by the council's policy (and a consent be an active record of the case).
 * The row is signed; "request made" is logged with the request's id.
 *
 * @param[out] id  receives the request's id (16 bytes).
 * @return COUNCIL_OK; COUNCIL_EDENIED for a session that is not the
 *         council's, an erased case, a withdrawn member or a scope the member
 *         does not hold (each logged); COUNCIL_ENOCONSENT when the decision
 *         refuses (logged as disclosure_refused); COUNCIL_ENOTFOUND for an
 *         unknown case, member or scope; COUNCIL_EINVAL for bad kinds, scopes,
 *         text, due date (not after now) or basis; COUNCIL_EAUTH (the
 *         member's key is not signed); COUNCIL_ETAMPER (a forged row met,
 *         logged); COUNCIL_EUNSUPPORTED (the coordinating body's key is
 *         missing); COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_request_make(council *c, uint8_t *id, size_t id_len,
                                                       const council_request_options *opts);

/**
 * Answer an open request: only a staff session of the member asked. For
 * information, the scopes provided (some or all of those asked, each still
 * held) pass the disclosure decision again and are recorded as provided
 * ("disclosure made", then "request answered"); no key is wrapped, because
 * the coordinating body holds every data key already (council_request(3)).
 * An opinion or answer text is sealed for the council side.
 *
 * @return COUNCIL_OK; COUNCIL_EDENIED for anyone but the member's staff, a
 *         request no longer open, or a scope no longer held (each logged);
 *         COUNCIL_ENOCONSENT (logged); COUNCIL_ENOTFOUND; COUNCIL_EINVAL
 *         (scopes not asked, a missing opinion, an empty answer);
 *         COUNCIL_ETAMPER (logged); COUNCIL_EMISUSE; COUNCIL_EIO;
 *         COUNCIL_ENOMEM.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_request_answer(council *c, const uint8_t *id,
        size_t id_len, const council_request_answer_options *opts);

/**
 * Decline an open request with a reason code ([a-z0-9_]{1,64}, logged) and
 * optionally a written reason (sealed). Only a staff session of the member
 * asked.
 * @param text  UTF-8, 1..65536 bytes, or NULL (text_len 0).
 * @return COUNCIL_OK; COUNCIL_EDENIED (not the member's staff, not open:
 *         logged); COUNCIL_ENOTFOUND; COUNCIL_EINVAL; COUNCIL_ETAMPER;
 *         COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_request_decline(council *c, const uint8_t *id,
        size_t id_len, const char *reason_code, const char *text, size_t text_len);

/**
 * Withdraw an open request (the council's sessions only).
 * @param reason_code  a code [a-z0-9_]{1,64}, or NULL for "withdrawn".
 * @return COUNCIL_OK; COUNCIL_EDENIED (not the council's session, not
 *         open: logged); COUNCIL_ENOTFOUND; COUNCIL_EINVAL; COUNCIL_ETAMPER;
 *         COUNCIL_EMISUSE; COUNCIL_EIO.
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_request_withdraw(council *c, const uint8_t *id,
        size_t id_len, const char *reason_code);

/**
 * A request as a serialised council.v1.CooperationRequest (its transitions;
 * no text). The council's sessions and the member asked.
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged); COUNCIL_ENOTFOUND;
 *         COUNCIL_EINVAL; COUNCIL_ETAMPER (logged); COUNCIL_EMISUSE;
 *         COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_request_get(council *c, council_buf *out,
                                                      const uint8_t *id, size_t id_len);

/**
 * One of a request's sealed texts (which: COUNCIL_REQUEST_TEXT_*), UTF-8,
 * NUL-terminated (len excludes the NUL). "request read" is logged (reason:
 * the text's kind) before the text is returned. The council's sessions and
 * the member asked.
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged); COUNCIL_ENOTFOUND (no such
 *         request, or no such text); COUNCIL_EINVAL; COUNCIL_EAUTH;
 *         COUNCIL_ETAMPER (logged); COUNCIL_EMISUSE (also inside a batch);
 *         COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free() (which wipes).
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_request_text(council *c, council_buf *out,
        const uint8_t *id, size_t id_len, int which);

/**
 * Requests as a serialised council.v1.CooperationRequestList, oldest first:
 * every request for the council's sessions, the requests to its own member
 * for any other staff session. Each row is checked.
 * @param filter  NULL for all.
 * @return COUNCIL_OK; COUNCIL_EINVAL; COUNCIL_ETAMPER (logged);
 *         COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.2.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_request_list(council *c, council_buf *out,
                                                       const council_request_filter *filter);


/* ------------------------------------- issue 15: bundles into the council, intake */

/*
 * A member node's bundles coming back to the council (answers to referrals
 * and cooperation requests, a case's updated sections, cosignatures of the
 * council's checkpoints), and intake: a person handed over to the council
 * from outside it (a hotline, a chat operator, a school, a utility), as a
 * bundle, as a serialised council.v1.IntakeBundle or in the JSON form of
 * doc/intake-form.md. council_bundle_import(3), council_intake(3).
 */

/** The largest intake accepted as JSON or as a serialised IntakeBundle, in
 *  bytes; a larger one is COUNCIL_ELIMIT before any byte is parsed.
 *  @since 0.3.0 */
#define COUNCIL_INTAKE_JSON_MAX 65536
/** Function twin of COUNCIL_INTAKE_JSON_MAX. @since 0.3.0 */
COUNCIL_API size_t council_intake_json_max(void);

#define COUNCIL_INTAKE_OPTIONS_VERSION 1

/**
 * Options of an intake. Start from COUNCIL_INTAKE_OPTIONS_INIT.
 * @since 0.3.0
 */
typedef struct council_intake_options {
    unsigned version;           /**< COUNCIL_INTAKE_OPTIONS_VERSION */
    const uint8_t *owner;       /**< a new case's owning member (16 bytes), or NULL: a
                                     staff session's own member; for the council
                                     passphrase's session, the active coordinating
                                     body (else the secretariat) */
    size_t owner_len;
} council_intake_options;

#define COUNCIL_INTAKE_OPTIONS_INIT { COUNCIL_INTAKE_OPTIONS_VERSION, NULL, 0 }

/**
 * Import a bundle a member sent to the council (a member node's answer,
 * cosignature or intake), in the council's store. Nothing is unsealed
 * before these checks, in this order, each refusal logged as "bundle
 * imported" (outcome refused, the error, a reason code, the bundle's hash,
 * the claimed sender as subject_member): the file (COUNCIL_ELIMIT,
 * COUNCIL_EFORMAT, COUNCIL_EUNSUPPORTED); the sender, an active member
 * whose signing key the council signed and the header names
 * (COUNCIL_ESENDER, also for a withdrawn or unknown member); the signature
 * (COUNCIL_ESIGNATURE); the council and recipient, this council and the
 * coordinating body's key (COUNCIL_ERECIPIENT); the time
 * (COUNCIL_EEXPIRED); replay, a nonce or hash imported before, by the
 * table of bundles seen or by an allowed bundle_imported event in the log
 * since the bundle's creation (COUNCIL_EREPLAY); the type, one a member sends (COUNCIL_EUNSUPPORTED).
 * Then the payload is opened with the coordinating body's key and applied:
 *  - ANSWER, referral: the member accepts or declines a referral offered to
 *    it (the step as council_referral_transition() takes it for that
 *    member's staff, signed by the council, its event naming the bundle);
 *  - ANSWER, request or its decline: as council_request_answer() or
 *    council_request_decline() by the member asked;
 *  - ANSWER, sections: the member's new versions of sections of a case it
 *    owns, or of scopes shared with it, as council_section_write();
 *  - COSIGNATURE: a witness's cosignature of one of this council's
 *    checkpoints, added to it (council_audit_add_cosignatures());
 *  - INTAKE: as council_intake_import().
 * A refusal of the step itself is that step's (COUNCIL_EDENIED for a
 * referral or request not the sender's, COUNCIL_EINVAL for its state,
 * ...), logged by the step and again as "bundle imported" refused. A
 * bundle is marked seen only when it was applied.
 *
 * The council passphrase's session, or staff of the secretariat (or of the
 * coordinating body, for cosignatures and intake) holding its keys.
 *
 * @param[out] out  a serialised council.v1.BundleImportResult.
 * @param bundle    the bundle file's bytes, at most COUNCIL_BUNDLE_MAX.
 * @return COUNCIL_OK; the codes above; COUNCIL_EAUTH (the seal does not
 *         open), COUNCIL_ETAMPER (the payload's nonce is another bundle's);
 *         COUNCIL_EDENIED (a session that may not import, logged);
 *         COUNCIL_EINVAL; COUNCIL_ENOTFOUND; COUNCIL_EMISUSE (also inside a
 *         batch); COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_bundle_import(council *c, council_buf *out,
                                                        const uint8_t *bundle, size_t len);

/**
 * Import an intake: a serialised council.v1.IntakeBundle. Every field is
 * checked first (COUNCIL_EINVAL naming the field; no content in the
 * message). The person is then found, or a new case made:
 *  - person_id and case_id given (both): that person of that case;
 *  - else a name and a birth date whose council_case_find() match is
 *    unique and whose identity section says the same name and date;
 *  - else a new case (owned as opts says, anonymous without a name) with
 *    the person supported and, with a name, an identity section.
 * The intake section (scope situation: the referrer, the channel, the
 * contacts and the situation) is written to the person, the consent (when
 * scopes were consented) recorded in the consent ledger with its scopes,
 * purpose, method and time, and "intake received" logged. One batch: all
 * of it or nothing.
 *
 * The council passphrase's session, or staff of the secretariat or the
 * coordinating body holding its keys.
 *
 * @param[out] out  a serialised council.v1.BundleImportResult (type INTAKE;
 *                  outcome new_case or found_person; case, person and
 *                  consent ids).
 * @param opts      NULL for the defaults.
 * @return COUNCIL_OK; COUNCIL_EINVAL; COUNCIL_EFORMAT (does not parse);
 *         COUNCIL_ELIMIT (over COUNCIL_INTAKE_JSON_MAX); COUNCIL_ENOTFOUND
 *         (an unknown case, person, scope, owner or recipient);
 *         COUNCIL_EDENIED (logged); COUNCIL_EUNSUPPORTED; COUNCIL_EMISUSE
 *         (also inside a batch); COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_intake_import(council *c, council_buf *out,
        const uint8_t *intake, size_t len, const council_intake_options *opts);

/**
 * Import an intake in its JSON form (doc/intake-form.md): an object with
 * "form": "libcouncil-intake-1", "referrer", "person", "consent" and
 * "situation". Its size is checked before it is parsed (COUNCIL_ELIMIT
 * over COUNCIL_INTAKE_JSON_MAX); a duplicate or unknown key, a value of
 * the wrong type, a missing required field or JSON that does not parse is
 * COUNCIL_EFORMAT; the values are then checked and applied as by
 * council_intake_import().
 * @return as council_intake_import().
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_intake_import_json(council *c, council_buf *out,
        const char *json, size_t len, const council_intake_options *opts);
/* ------------------------------------------------ member nodes (issue 15) */

/**
 * A member node: a member's own libcouncil store, made from the member's
 * keyfile, that imports the bundles the council sends it, keeps their
 * content under its own keys, logs every read in its own verifiable log,
 * witnesses the council's log and builds the bundles the member sends
 * back. Opaque; one thread at a time. See council_node(3).
 * @since 0.3.0
 */
typedef struct council_node council_node;

/**
 * Make a member node in `dir` (a new or empty directory) from the member's
 * keyfile: a random node root key, the node's own log key pair and a
 * witness key pair (named "node-<member uuid>"), and node.keyring pinning
 * the council id, the member id, the member's keys and the council's log
 * public key (from the keyfile), the root key sealed to the member's box
 * key and a MAC over it all. The node's log records its creation.
 *
 * @param[out] out  receives the handle, also on most failures (for
 *                  council_node_errmsg()); the caller MUST council_node_close() it.
 * @param dir       the node's directory.
 * @param keyfile   the member keyfile's bytes (at most 4096), and its length.
 * @param pass      the keyfile's passphrase, and its length.
 * @return COUNCIL_OK; COUNCIL_EINVAL for a bad argument, or a keyfile that
 *         does not pin the council's log key (ask the secretariat to issue a
 *         new keyfile); COUNCIL_EAUTH for a wrong passphrase; COUNCIL_EFORMAT
 *         for a damaged keyfile; COUNCIL_EEXIST when dir holds a store;
 *         COUNCIL_EUNSUPPORTED; COUNCIL_EMISUSE for a NULL out; COUNCIL_EIO;
 *         COUNCIL_ENOMEM; COUNCIL_ERROR.
 * Ownership: release *out with council_node_close().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_node_init(council_node **out, const char *dir,
        const uint8_t *keyfile, size_t keyfile_len, const uint8_t *pass, size_t pass_len);

/**
 * Open a member node with the member's keyfile and passphrase (the
 * member's box key opens the node's root key). The open is logged.
 *
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND without node.keyring;
 *         COUNCIL_EAUTH for a wrong passphrase or another member's keyfile;
 *         COUNCIL_ETAMPER when node.keyring was changed (a pin edited);
 *         COUNCIL_EFORMAT; COUNCIL_EUNSUPPORTED; COUNCIL_EINVAL;
 *         COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM; COUNCIL_ERROR.
 * Ownership: release *out with council_node_close().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_node_open(council_node **out, const char *dir,
        const uint8_t *keyfile, size_t keyfile_len, const uint8_t *pass, size_t pass_len);

/** Close a node handle and wipe its keys (NULL: nothing). @since 0.3.0 */
COUNCIL_API void council_node_close(council_node *n);

/** The message of the node handle's last failure (never a key or content). @since 0.3.0 */
COUNCIL_API const char *council_node_errmsg(const council_node *n);

/**
 * Describe the node as a serialised council.v1.NodeInfo: its id, the
 * member and council ids, its log's and witness's C2SP verifier keys, the
 * council's pinned log key, whether the reply key is known, the items held,
 * the council checkpoint last seen and the size of its own log.
 * @return COUNCIL_OK; COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM; COUNCIL_ERROR.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_node_info(council_node *n, council_buf *out);

/**
 * Import a bundle from the council. In order, each refusal logged in the
 * node's log (bundle_imported, refused, its code and a reason): the frame
 * and header, every length capped; the sender (the council, signing with
 * the log key pinned at init); the signature; the recipient (this member,
 * its box key); the time; replay (nonce or hash seen); only then the seal.
 * The content (case sections, one item per section; a meeting packet; a
 * referral; a cooperation request; a consent) is kept re-encrypted under
 * the node's keys until the bundle's expiry; a revocation deletes the items
 * it names and their keys; a checkpoint is verified against the pinned key
 * and, after the first, by its consistency proof from the checkpoint seen
 * before, and kept. A verified bundle's reply key is learnt.
 *
 * @param[out] result  receives a serialised council.v1.BundleImportResult
 *                     (stored and deleted item ids); MAY be NULL.
 * @return COUNCIL_OK; COUNCIL_ELIMIT (too large); COUNCIL_EFORMAT (not a
 *         bundle, truncated, malformed, a type a node does not import);
 *         COUNCIL_EUNSUPPORTED (another format version); COUNCIL_ESENDER
 *         (not this node's council or its log key); COUNCIL_ESIGNATURE;
 *         COUNCIL_ERECIPIENT; COUNCIL_EEXPIRED; COUNCIL_EREPLAY;
 *         COUNCIL_EAUTH (the seal does not open); COUNCIL_ETAMPER (a payload
 *         not of its header, a checkpoint rolled back, forked or with a bad
 *         proof: the old one kept); COUNCIL_EINVAL; COUNCIL_EMISUSE (also
 *         inside a batch); COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases result with council_buf_free().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_node_import(council_node *n, council_buf *result,
                                                      const uint8_t *bundle, size_t len);

/**
 * The items the node holds as a serialised council.v1.NodeItemList: ids,
 * kinds, case, scopes, object, bundle hash, expiry; never content. Not logged.
 * @return COUNCIL_OK; COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_node_list(council_node *n, council_buf *out);

/**
 * Read one item: a serialised council.v1.NodeItemContent (the item and its
 * content). The read is logged in the node's log (node_content_read) and
 * durable before the content is returned. An expired item is refused and
 * deleted (logged).
 * @return COUNCIL_OK; COUNCIL_EEXPIRED; COUNCIL_ENOTFOUND; COUNCIL_ETAMPER
 *         (the item's row was changed); COUNCIL_EINVAL; COUNCIL_EMISUSE;
 *         COUNCIL_EIO; COUNCIL_ENOMEM. Refusals are logged.
 * Ownership: the caller releases out with council_buf_free() (which wipes).
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_node_read(council_node *n, council_buf *out,
                                                    const uint8_t *item_id, size_t id_len);

/**
 * Delete every expired item and its key (each deletion logged).
 * @param[out] count  the number deleted; MAY be NULL.
 * @return COUNCIL_OK; COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_node_purge(council_node *n, uint64_t *count);

/**
 * Export the node's own log to a new file at path (as council_audit_export()
 * does for a council), with a checkpoint signed by the node's log key: it
 * verifies with council_audit_verify_export() and the node_log_vkey of
 * council_node_info().
 * @return COUNCIL_OK; COUNCIL_EEXIST; COUNCIL_EINVAL; COUNCIL_EMISUSE;
 *         COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_node_audit_export(council_node *n, const char *path);

/**
 * A bundle to the council answering a referral: step "accepted" or
 * "declined" (a decline needs a reason code), an optional text. Every
 * bundle a node sends is signed with the member's key, sealed to the reply
 * key learnt from a verified council bundle, and logged (bundle_exported,
 * its hash) before it is returned.
 * @param opts  NULL for the defaults (expiry 30 days).
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND (no reply key learnt yet);
 *         COUNCIL_EINVAL; COUNCIL_ELIMIT; COUNCIL_EMISUSE; COUNCIL_EIO;
 *         COUNCIL_ENOMEM.
 * Ownership: the caller releases bundle with council_buf_free().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_node_answer_referral(council_node *n,
        council_buf *bundle, const uint8_t *referral_id, size_t id_len, const char *step,
        const char *reason, const char *text, const council_bundle_options *opts);

/**
 * A bundle to the council answering a cooperation request: exactly one of
 * text (the answer) and decline_reason (a code).
 * @return as council_node_answer_referral().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_node_answer_request(council_node *n,
        council_buf *bundle, const uint8_t *request_id, size_t id_len, const char *text,
        const char *decline_reason, const council_bundle_options *opts);

/**
 * A bundle to the council returning a case's sections as the member
 * updated them: count (1..64) scopes and their contents (opts->purpose is
 * carried).
 * @return as council_node_answer_referral().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_node_return_sections(council_node *n,
        council_buf *bundle, const uint8_t *case_id, size_t case_len, const uint8_t *person_id,
        size_t person_len, const char *const *scopes, const uint8_t *const *contents,
        const size_t *content_lens, size_t count, const council_bundle_options *opts);

/**
 * A bundle to the council of an integrator's own content: type
 * COUNCIL_BUNDLE_TYPE_INTAKE (a serialised council.v1.IntakeBundle) or
 * COUNCIL_BUNDLE_TYPE_ANSWER (a council.v1.AnswerBundle).
 * @return as council_node_answer_referral(); COUNCIL_EFORMAT for content
 *         that does not parse.
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_node_send(council_node *n, council_buf *bundle,
        int type, const uint8_t *content, size_t len, const council_bundle_options *opts);

/**
 * A bundle to the council with the node's C2SP cosignature of the council
 * checkpoint it last verified (council.v1.CosignatureBundle: the note with
 * the cosignature line, the witness name and key).
 * @return as council_node_answer_referral(); COUNCIL_ENOTFOUND also when no
 *         checkpoint was seen.
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_node_cosign(council_node *n, council_buf *bundle,
                                                      const council_bundle_options *opts);

/** council_node_send() types (council.v1.BundleType). @since 0.3.0 */
#define COUNCIL_BUNDLE_TYPE_ANSWER 5
#define COUNCIL_BUNDLE_TYPE_INTAKE 10
/* ======================================================================
 * Bundles out: what the council sends a member (issue 15, export).
 * A bundle is a file signed with the council's log key and sealed to the
 * member's box key as the council signed it (doc/bundle-format.md); the
 * member's node imports it. Every call that makes one takes
 * council_bundle_options (expiry; for personal data the purpose, basis and
 * consent) and is a bundle_exported audit event naming the bundle's
 * SHA-256, logged before the bytes are returned.
 * ====================================================================== */

/**
 * Read a bundle's clear header without any key or store: the frame is
 * parsed with every length capped, and the signature is checked against the
 * header's own sender key (integrity, not trust: an importer checks it
 * against the key it pins).
 *
 * @param[out] out a serialised council.v1.BundleInfo (header, hash,
 *                 signature_ok, size, sealed_size).
 * @param bundle   the bundle's bytes (at most COUNCIL_BUNDLE_MAX).
 * @return COUNCIL_OK (also when the signature does not verify:
 *         signature_ok is false); COUNCIL_ELIMIT (too large, or a length
 *         beyond its cap); COUNCIL_EFORMAT (not a bundle, truncated,
 *         trailing bytes, a header that does not parse); COUNCIL_EUNSUPPORTED
 *         (another format version); COUNCIL_EINVAL (NULL bundle);
 *         COUNCIL_EMISUSE (NULL out); COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_bundle_inspect(council_buf *out, const uint8_t *bundle,
                                                         size_t len);

/**
 * A case's sections for a member, as a bundle: the latest section of each
 * (person, scope) the member is entitled to now: the scopes of its active,
 * signed shares of the case that pass the disclosure decision again with
 * the options' purpose, basis and consent (as a share would), or every
 * scope when the member owns the case. A scope not entitled is not carried.
 * Logged first: disclosure_made (shared scopes) and bundle_exported (the
 * scopes carried, the purpose, the basis, the consent, the member, the
 * bundle's hash); what was carried is kept for council_bundle_revocations().
 *
 * @param c         the secretariat's session (root, or the secretariat's
 *                  staff holding the log key).
 * @param[out] out  the bundle's bytes.
 * @param person_id the person whose sections go (16 bytes), or NULL for
 *                  every person of the case (the header's person is then
 *                  the person supported).
 * @param member_id the recipient: active, with a box key the council signed.
 * @param o         expiry; purpose (NULL: support_coordination), basis
 *                  (required), consent_id (basis consent).
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged) for another staff session, a
 *         withdrawn member or one without keys, an erased case, or nothing
 *         of the case shared with the member; COUNCIL_ENOCONSENT (logged)
 *         when the decision refuses every scope the member holds;
 *         COUNCIL_EAUTH (logged) for a member key the council did not
 *         sign; COUNCIL_ENOTFOUND; COUNCIL_EINVAL; COUNCIL_ELIMIT;
 *         COUNCIL_ETAMPER; COUNCIL_EMISUSE (also inside a batch);
 *         COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free() (which wipes).
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_bundle_case(council *c, council_buf *out,
        const uint8_t *case_id, size_t case_id_len, const uint8_t *person_id,
        size_t person_id_len, const uint8_t *member_id, size_t member_id_len,
        const council_bundle_options *o);

/**
 * The council's checkpoint for a member's node to witness, as a bundle: the
 * latest checkpoint the council signed within the last hour
 * (council_audit_checkpoint(), council_audit_export(), or an earlier call),
 * so that every node sent one within the hour cosigns the same tree; a
 * stored checkpoint that is not this log's (not signed by the log key, or
 * not the tree's root at its size) is passed over, and with none usable one
 * is signed now. With from_size not 0, a
 * consistency proof from the tree of that size to it. Logged
 * (bundle_exported).
 *
 * @param from_size the size of the checkpoint the node last saw (0: none).
 * @param o         expiry only (purpose, basis and consent are unused).
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged) for another staff session or
 *         a withdrawn member; COUNCIL_EAUTH (logged) for an unsigned member
 *         key; COUNCIL_EINVAL (from_size larger than the log);
 *         COUNCIL_ENOTFOUND; COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_bundle_checkpoint(council *c, council_buf *out,
        const uint8_t *member_id, size_t member_id_len, uint64_t from_size,
        const council_bundle_options *o);

/**
 * What a member must delete now, as one revocation bundle: every item an
 * earlier bundle carried to it (kept as rows signed by the log key) that
 * it is no longer entitled to (a share revoked, ended or expired; the case
 * erased) and that no revocation listed yet; those rows are then marked
 * revoked. A bundle already expired is not listed (the node purged it).
 * A withdrawn member still gets its revocations. Logged (bundle_exported).
 *
 * @param o  expiry only.
 * @return COUNCIL_OK; COUNCIL_ENOTFOUND when nothing is to be revoked (or no
 *         such member); COUNCIL_EDENIED (logged) for another staff session
 *         or a member without keys; COUNCIL_EAUTH (logged) for an unsigned
 *         member key; COUNCIL_ELIMIT (over 1024 items); COUNCIL_EMISUSE;
 *         COUNCIL_EIO; COUNCIL_ENOMEM. A row whose signature fails is left
 *         out and logged as a tamper finding.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_bundle_revocations(council *c, council_buf *out,
        const uint8_t *member_id, size_t member_id_len, const council_bundle_options *o);

/**
 * An attendee's meeting packet (as council_meeting_packet() builds it: the
 * meeting, the sections disclosed to the attendee on its agenda, the
 * minutes and decisions it is entitled to, each read logged) carried in a
 * bundle its member node imports. The bundle expires at the meeting's end
 * at the latest; once the meeting is closed, council_bundle_revocations()
 * lists it. Logged (bundle_exported, the meeting as object).
 *
 * @param o  expiry only.
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged) for another staff session,
 *         an attendee not attending, a closed or ended meeting, a withdrawn
 *         member or one without keys; COUNCIL_EAUTH for an unsigned key;
 *         COUNCIL_ELIMIT; COUNCIL_ENOTFOUND; COUNCIL_EINVAL; COUNCIL_ETAMPER;
 *         COUNCIL_EMISUSE (also inside a batch); COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free() (which wipes).
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_bundle_meeting_packet(council *c, council_buf *out,
        const uint8_t *meeting_id, size_t meeting_id_len, const uint8_t *attendee_id,
        size_t attendee_id_len, const council_bundle_options *o);

/**
 * A referral (つなぐ) as a bundle to its recipient: the offer (case, person,
 * the two members, scopes, purpose, basis, state), its note when the note
 * is sealed to the recipient, and the sections of the scopes its share
 * gave that the recipient holds now (the keys went with it), each through
 * the disclosure decision again. A declined, withdrawn or ended referral is
 * refused; once it is, council_bundle_revocations() lists it. Logged
 * (disclosure_made for the sections, bundle_exported with the referral).
 *
 * @param o  expiry; purpose, basis and consent (NULL: the referral's own).
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged) for another staff session, a
 *         referral declined, withdrawn or ended, an erased case, a
 *         withdrawn recipient or one without keys; COUNCIL_EAUTH (logged)
 *         for an unsigned key; COUNCIL_ENOTFOUND; COUNCIL_EINVAL;
 *         COUNCIL_ETAMPER; COUNCIL_ELIMIT; COUNCIL_EMISUSE (also inside a
 *         batch); COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free() (which wipes).
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_bundle_referral(council *c, council_buf *out,
        const uint8_t *referral_id, size_t referral_id_len, const council_bundle_options *o);

/**
 * An open cooperation request as a bundle to the member asked: the request,
 * its case, kinds, due date and text (the text's read logged as
 * request_read). Logged (bundle_exported with the request).
 *
 * @param o  expiry only.
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged) for another staff session, a
 *         request no longer open, an erased case, a withdrawn member or one
 *         without keys; COUNCIL_EAUTH (logged) for an unsigned key;
 *         COUNCIL_ENOTFOUND; COUNCIL_EINVAL; COUNCIL_ETAMPER; COUNCIL_EMISUSE
 *         (also inside a batch); COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free() (which wipes).
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_bundle_request(council *c, council_buf *out,
        const uint8_t *request_id, size_t request_id_len, const council_bundle_options *o);

/**
 * A consent record as a bundle to a member that relies on it (a recipient
 * it names, the case's owner, or a holder of an active share of the case):
 * its ids, scopes, purposes, times and whether it was withdrawn. Only a
 * record its grant vouches for. Once it is withdrawn,
 * council_bundle_revocations() lists it. Logged (bundle_exported with the
 * consent).
 *
 * @param o  expiry only.
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged) for another staff session, a
 *         member that does not rely on it, an erased case, a withdrawn
 *         member or one without keys; COUNCIL_EAUTH (logged) for an
 *         unsigned key; COUNCIL_ETAMPER (a record without its grant);
 *         COUNCIL_ENOTFOUND; COUNCIL_EINVAL; COUNCIL_EMISUSE; COUNCIL_EIO;
 *         COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_bundle_consent(council *c, council_buf *out,
        const uint8_t *consent_id, size_t consent_id_len, const uint8_t *member_id,
        size_t member_id_len, const council_bundle_options *o);

/* ================================================================
 * Issue 16, retention: the retention schedule, what is due, and the
 * retention pass (libcouncil/retention.c; council_retention(3)).
 * ================================================================ */

/** A rule's period unit: kept with no end (count 0). @since 0.3.0 */
#define COUNCIL_RETENTION_KEEP 0
/** A rule's period in days. @since 0.3.0 */
#define COUNCIL_RETENTION_DAYS 1
/** A rule's period in calendar months (UTC; the 31st plus one month is the
 *  month's last day). @since 0.3.0 */
#define COUNCIL_RETENTION_MONTHS 2
/** A rule's period in calendar years (UTC). @since 0.3.0 */
#define COUNCIL_RETENTION_YEARS 3
/** At most this many rules in a schedule. @since 0.3.0 */
#define COUNCIL_RETENTION_RULES_MAX 32
/** The longest period, in its unit. @since 0.3.0 */
#define COUNCIL_RETENTION_COUNT_MAX 1000
/** How far ahead of the clock a pass may pretend to be, in seconds (a day):
 *  a time in the future only erases more. @since 0.3.0 */
#define COUNCIL_RETENTION_AHEAD_MAX 86400
/** At most this many case ids named to council_retention_apply(). @since 0.3.0 */
#define COUNCIL_RETENTION_APPLY_IDS_MAX 4096

/**
 * One rule of the retention schedule: cases of `body` in `status` are kept
 * `count` units after they entered that status (as the audit log records
 * it), then are due for erasure. The rule that applies to a case is the one
 * for its body and status, else for any body and its status, else for its
 * body and any status, else the default (body 0, status 0); with none, a
 * case is kept. @since 0.3.0
 */
typedef struct council_retention_rule {
    int32_t body;   /**< COUNCIL_CASE_BODY_*, or 0 for any body */
    int32_t status; /**< COUNCIL_CASE_STATUS_OPEN, _MONITORING, _CLOSED, or 0 for any */
    int32_t unit;   /**< COUNCIL_RETENTION_KEEP, _DAYS, _MONTHS or _YEARS */
    int32_t count;  /**< 0..COUNCIL_RETENTION_COUNT_MAX units (0 with KEEP) */
} council_retention_rule;

/**
 * Replace the council's retention schedule (the secretariat only). The
 * schedule is signed with the council's log key and gets a new random id,
 * which the retention_schedule_changed event names, so a schedule changed
 * or put back outside the library is refused where it is read. Logged
 * (retention_schedule_changed). n may be 0 (every case kept).
 *
 * @param rules  n rules; no two for the same body and status.
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged) for a session that is not
 *         the secretariat; COUNCIL_EINVAL for a bad or repeated rule;
 *         COUNCIL_ELIMIT for more than COUNCIL_RETENTION_RULES_MAX rules;
 *         COUNCIL_EMISUSE (NULL rules with n > 0, bad handle); COUNCIL_EIO.
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_retention_set(council *c,
        const council_retention_rule *rules, size_t n);

/**
 * The retention schedule as JSON (the secretariat only):
 * {"schedule_id": UUID or null, "rules": [{"body", "status", "unit", "count"}]}
 * with body any|council|support_meeting|needs_of_poor_meeting, status
 * any|open|monitoring|closed, unit keep|days|months|years.
 *
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged); COUNCIL_ETAMPER (a tamper
 *         finding logged) for a schedule not signed by the secretariat or
 *         not the one the log last names; COUNCIL_EFORMAT; COUNCIL_EMISUSE;
 *         COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_retention_get(council *c, council_buf *out);

/**
 * The cases due for erasure at `now` under the schedule, as JSON (the
 * secretariat only; metadata only, not logged):
 * {"now": T, "cases": [{"case_id", "body", "status", "since", "due_since",
 * "rule"}], "tampered": N, "unproven": N}. A case's status and the time it
 * entered it come from the audit log (every event checked against the
 * tree), never from its row: a row that disagrees is a tamper finding
 * (forged_case_status, counted in "tampered") and the log decides. A case
 * whose last status change was logged before 0.3.0 (without the status) is
 * "unproven" and never due until its status is set again.
 *
 * @param now  Unix seconds, 0 for the clock; at most
 *             COUNCIL_RETENTION_AHEAD_MAX ahead of it.
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged); COUNCIL_EINVAL (now);
 *         COUNCIL_ETAMPER (a forged schedule, or a log edited or with an
 *         event missing); COUNCIL_EFORMAT; COUNCIL_EMISUSE; COUNCIL_EIO;
 *         COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_retention_due(council *c, council_buf *out,
        int64_t now);

/** Options of council_retention_apply(). @since 0.3.0 */
typedef struct council_retention_apply_options {
    unsigned version;        /**< COUNCIL_RETENTION_APPLY_OPTIONS_VERSION */
    int dry_run;             /**< 1: report what would be done, change nothing */
    int64_t now;             /**< as council_retention_due(); 0 for the clock */
    const uint8_t *case_ids; /**< n_case_ids 16-byte ids back to back (the cases
                                  confirmed), or NULL for every case due */
    size_t n_case_ids;
} council_retention_apply_options;
#define COUNCIL_RETENTION_APPLY_OPTIONS_VERSION 1
#define COUNCIL_RETENTION_APPLY_OPTIONS_INIT { COUNCIL_RETENTION_APPLY_OPTIONS_VERSION, 0, 0, NULL, 0 }

/**
 * A retention pass (the secretariat only; not inside a batch): every case
 * due (or those of o->case_ids, each of which must be due) is erased as
 * council_case_erase() erases it (reason "retention": its keys destroyed, a
 * tombstone, the log still verifying), and every other case's ended shares
 * (past their expiry, their meeting's window over, their consent withdrawn
 * or ended) lose their recipients' wrapped keys, the share rows kept as
 * history (keys_purged per case). Then one retention_applied event with the
 * counts (reason erased_N_purged_M). A dry run changes and logs nothing
 * (tamper findings excepted) and reports the same. Running it again finds
 * nothing more to do. The report, as JSON: {"dry_run", "now", "erased":
 * [as council_retention_due()'s cases], "purged_cases", "purged_shares",
 * "tampered", "unproven"}.
 *
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged) for a session that is not
 *         the secretariat, or a case named that is not due (logged as
 *         retention_applied refused not_due; nothing done);
 *         COUNCIL_EINVAL (now, ids); COUNCIL_ELIMIT (more than
 *         COUNCIL_RETENTION_APPLY_IDS_MAX ids); COUNCIL_ETAMPER;
 *         COUNCIL_EFORMAT; COUNCIL_EMISUSE (options, a batch open);
 *         COUNCIL_EIO; COUNCIL_ENOMEM. After a failure part way, the cases
 *         erased so far stay erased and the summary event says so.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_retention_apply(council *c, council_buf *out,
        const council_retention_apply_options *o);

/* ===================================================== issue 16: the person's file (person.c) */

/**
 * A case's audit pseudonym: the 32-byte keyed hash every audit event about
 * the case carries as case_ref (council_audit_filter.case_ref). For the
 * secretariat only (its staff, or the council passphrase): the coordinating
 * body and the members see the pseudonym of the cases they may see in
 * council_case_get() (CaseInfo.case_ref), but only the secretariat may turn
 * any case id into the log's pseudonym. An erased case keeps its pseudonym.
 * Nothing is logged for an allowed call (no case content is returned).
 *
 * @param c           an open handle.
 * @param case_id     the 16-byte case id.
 * @param case_id_len 16.
 * @param[out] out    receives the 32-byte pseudonym.
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged, operation_refused
 *         secretariat_only) for another member's staff; COUNCIL_ENOTFOUND
 *         for no such case; COUNCIL_EINVAL for an id not 16 bytes;
 *         COUNCIL_ETAMPER (logged) for a case row whose owner proof fails;
 *         COUNCIL_EMISUSE for a bad handle or a NULL out; COUNCIL_EIO.
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_pseudonym(council *c, const uint8_t *case_id,
        size_t case_id_len, uint8_t out[32]);

/**
 * The way back: the case whose pseudonym is `ref`, found by walking every
 * case of the store (no index: the pseudonym is computed from each id).
 * For the secretariat only, as council_case_pseudonym(). A resolution is
 * logged (case_resolved, case_ref = ref) before the id is returned.
 *
 * @param c        an open handle.
 * @param ref      the 32-byte pseudonym (as audit events carry it).
 * @param ref_len  32.
 * @param[out] out receives the 16-byte case id.
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged) for another member's staff;
 *         COUNCIL_ENOTFOUND when no case has this pseudonym; COUNCIL_EINVAL
 *         for a pseudonym not 32 bytes; COUNCIL_EMISUSE (also inside a
 *         batch); COUNCIL_EIO (nothing returned when the event cannot be
 *         appended); COUNCIL_ENOMEM.
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_by_pseudonym(council *c, const uint8_t *ref,
        size_t ref_len, uint8_t out[16]);

#define COUNCIL_PERSON_REPORT_OPTIONS_VERSION 1
/** council_person_report_options.format: a JSON document (UTF-8). @since 0.3.0 */
#define COUNCIL_PERSON_REPORT_JSON 1

/**
 * What council_person_report() produces. Initialise with
 * COUNCIL_PERSON_REPORT_OPTIONS_INIT and set the case. A caller built
 * against version 1 sets version 1; later versions only add fields at the
 * end.
 * @since 0.3.0
 */
typedef struct council_person_report_options {
    unsigned version;            /**< COUNCIL_PERSON_REPORT_OPTIONS_VERSION */
    const uint8_t *case_id;      /**< the case (16 bytes), required */
    size_t case_id_len;
    const uint8_t *person_id;    /**< a person of the case (16 bytes), or NULL: the
                                      person supported */
    size_t person_id_len;
    int format;                  /**< COUNCIL_PERSON_REPORT_JSON (0: the same) */
    const char *purpose;         /**< the reads' purpose (a read's purpose code);
                                      NULL: "disclosure_request" */
} council_person_report_options;

#define COUNCIL_PERSON_REPORT_OPTIONS_INIT \
    { COUNCIL_PERSON_REPORT_OPTIONS_VERSION, NULL, 0, NULL, 0, COUNCIL_PERSON_REPORT_JSON, NULL }

/**
 * The person's file (APPI's disclosure request, 開示請求): everything the
 * council holds about one person of a case, every disclosure of it and
 * every read of it, as one JSON document (format "council.person_report.v1",
 * described in council_person(3)).
 *
 * "About one person": the case's metadata and its shares (they are about
 * the whole case); the person's own record (never another person's of the
 * case); the sections written about that person, every version, with
 * content; the consents and refusals whose subject is that person, with
 * their withdrawals; the case's referrals, cooperation requests, tasks and
 * the meetings with it on their agenda (its items only, each meeting
 * checked against the secretariat's signatures);
 * then from the audit log every event naming the case: `disclosures`
 * (share_granted, share_revoked, disclosure_made, bundle_exported,
 * referral_accepted, request_answered, outside_disclosure, case_transferred:
 * recipient, scopes, purpose, basis or consent, when, until when for a
 * share), `reads` (case_read, section_decrypted, request_read, task_read,
 * meeting_record_read: when, member, staff, purpose, scopes) and
 * `other_events`, each with its seq and leaf hash for
 * council_audit_prove_inclusion(). An erased case has no person left: its
 * file has `person` null, no sections or consents, and still its log. The
 * log is scanned event body by event
 * body, each checked against the stored tree: an event hidden from the
 * case index is still listed; an edited or deleted one fails the call.
 *
 * Only the secretariat as a named person: a staff session of the
 * secretariat's member (its staff are pledged, or no session opens). The
 * council passphrase's session is refused (a person must answer for it).
 * Producing the file is logged first (person_report_produced: case_ref,
 * object_id = the person, purpose); the sections are read through
 * council_section_history() with the same purpose, each read logged.
 *
 * @param c        an open handle (a staff session of the secretariat).
 * @param[out] out receives the JSON document (UTF-8, ends with a newline).
 * @param o        the case, person and format.
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged) for the council passphrase's
 *         session, another member's staff or a retired staff member;
 *         COUNCIL_ENOTFOUND for no such case or no such person in it;
 *         COUNCIL_EINVAL for a bad id length, format, or a purpose neither
 *         "disclosure_request" nor a read's purpose code (nothing logged);
 *         COUNCIL_ETAMPER for a log event edited or deleted (or a row the
 *         reads check); COUNCIL_EMISUSE for a bad handle, NULL out or
 *         options, an unknown options version, or inside a batch;
 *         COUNCIL_EIO; COUNCIL_ENOMEM; the errors of the reads it makes.
 * Ownership: the caller releases out with council_buf_free() (which wipes it).
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_person_report(council *c, council_buf *out,
        const council_person_report_options *o);

/* ------------------------------------------------- issue 16: evidence */

/** The largest case evidence file council_audit_verify_case_evidence()
 *  reads (64 MiB). @since 0.3.0 */
#define COUNCIL_CASE_EVIDENCE_MAX (64u * 1024u * 1024u)

/**
 * The auditor's view of a case: a file (doc/audit-format.md section 11)
 * with the case's audit pseudonym, a checkpoint signed now, and every event
 * of the log that names the case, as its canonical bytes, each with its
 * RFC 9162 inclusion proof against that checkpoint. An auditor checks it
 * with the log's public key alone (council_audit_verify_case_evidence(), or
 * scripts/verify-case-evidence.py).
 *
 * "case evidence exported" (case_evidence_exported, with the case's
 * case_ref) is appended first, then the checkpoint is signed (which checks
 * the log against the signer's head, as council_audit_checkpoint() does),
 * so the file holds its own event. The events are found by reading every
 * event of the log, each checked against the stored tree's leaf, never
 * through the case index alone: an event the insider removed, edited or
 * hid gives COUNCIL_ETAMPER (logged, tamper_detected), never a file that
 * silently leaves it out. An erased case's events (its tombstone included)
 * are given as any other's. The secretariat only.
 *
 * @param c            the secretariat's open handle.
 * @param[out] out     receives the file's bytes (text, not NUL-terminated).
 * @param case_id      the case's 16-byte id.
 * @param case_id_len  16.
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged) for a session that is not
 *         the secretariat's; COUNCIL_EINVAL for an id that is not 16
 *         bytes; COUNCIL_ENOTFOUND for no such case; COUNCIL_ETAMPER
 *         (logged) for a log that was altered; COUNCIL_EUNSUPPORTED for a
 *         session without the council's keys; COUNCIL_EMISUSE (a bad
 *         handle, NULL out, inside a batch); COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_case_evidence(council *c, council_buf *out,
                                                        const uint8_t *case_id,
                                                        size_t case_id_len);

/**
 * Verify a case evidence file (council_case_evidence()) with the log's
 * verifier key alone: the checkpoint's signature (and `required`
 * cosignatures from the given witnesses; not older than a known
 * checkpoint), then every event: in canonical form, in ascending order,
 * below the checkpoint's size, its own seq the one the file gives, naming
 * the file's case_ref, and its inclusion proof leading to the checkpoint's
 * root. It proves that each event is in the signed log; that the file
 * leaves none out rests on the council's scan (see council_case_evidence());
 * an auditor holding a full export can check that too.
 *
 * @param[out] report  receives a serialised council.v1.CaseEvidenceReport
 *                     (also on failure: it names the first bad event); MAY
 *                     be NULL.
 * @param path         the file (at most COUNCIL_CASE_EVIDENCE_MAX bytes).
 * @param opts         keys and requirements (COUNCIL_AUDIT_VERIFY_OPTIONS_INIT
 *                     with log_vkey).
 * @return COUNCIL_OK; COUNCIL_ETAMPER for a bad signature, an event that
 *         was changed, one of another case, a proof that does not lead to
 *         the root, events out of order, too few cosignatures or a
 *         checkpoint older than the known one; COUNCIL_EFORMAT for a file
 *         that is not case evidence or is malformed; COUNCIL_ELIMIT for a
 *         file over the cap; COUNCIL_EINVAL for a NULL path or a malformed
 *         key; COUNCIL_EMISUSE for NULL or unknown-version options;
 *         COUNCIL_ENOTFOUND; COUNCIL_EIO; COUNCIL_ENOMEM; COUNCIL_ERROR.
 * Ownership: the caller releases report with council_buf_free().
 * Thread-safe (no handle).
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_audit_verify_case_evidence(
        council_buf *report, const char *path, const council_audit_verify_options *opts);


/* ------------------------------------------- issue 16: the provision register */

/** council_provision_options version. @since 0.3.0 */
#define COUNCIL_PROVISION_OPTIONS_VERSION 1

/** The options of council_provision_register(). @since 0.3.0 */
typedef struct council_provision_options {
    unsigned version;         /**< COUNCIL_PROVISION_OPTIONS_VERSION */
    int format;               /**< COUNCIL_REPORT_CSV or COUNCIL_REPORT_JSON */
    const uint8_t *member_id; /**< 16 bytes: one member's rows; NULL: every member */
    size_t member_id_len;
    int64_t from;             /**< the period [from, to) in Unix seconds (event times); */
    int64_t to;               /**<   both 0 and no fiscal year: all time */
    int32_t fiscal_year;      /**< 0, or YYYY (1970..9998): April 1 YYYY to April 1 YYYY+1
                                   in the council's time zone, as council_report_options */
} council_provision_options;

#define COUNCIL_PROVISION_OPTIONS_INIT \
    { COUNCIL_PROVISION_OPTIONS_VERSION, COUNCIL_REPORT_JSON, NULL, 0, 0, 0, 0 }

/**
 * The provision register (第三者提供の記録, APPI arts. 29 and 30): for each
 * member, every provision of a case's data to a third party (direction
 * "provided") and every receipt ("received"), built from the audit log so
 * that it matches the log by construction. A row is one allowed event:
 * share_granted (shares, meeting agenda shares, referral deliveries),
 * disclosure_made (bundles carrying case content, request answers) and
 * outside_disclosure (council_outside_disclose()). Each row gives the
 * event's time and seq, the direction, the counterpart (member id and
 * name, or the outside party's id and name), the person by the case's
 * pseudonym (case_ref, hex), the scopes, the purpose, the basis and
 * consent id, and until when (the consent's end, when known). The
 * secretariat resolves a pseudonym with `council-cli case resolve`.
 *
 * Every event of the log is read from its stored body and checked against
 * the stored tree's leaf, and the seqs must run without a gap (an event
 * whose index columns were cleared still counts; an edited or deleted one
 * is ETAMPER and a tamper finding); a secretariat session first checks the
 * log against the signer's head.
 *
 * Who: the secretariat (root, or its staff) for any member or all; a
 * member's own staff for their own member's rows (member_id = their member).
 * Logged first (provision_register_produced), refusals too.
 *
 * @param[out] out  CSV (a header line, one line a row) or JSON
 *                  ({"member":..., "period":..., "rows":[...]}), not
 *                  NUL-terminated.
 * @param o         COUNCIL_PROVISION_OPTIONS_INIT and the fields set.
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged) for a staff session of
 *         another member, or one without member_id; COUNCIL_ETAMPER (an
 *         event edited or deleted: logged as a finding); COUNCIL_EINVAL (a
 *         bad format, id, period or fiscal year); COUNCIL_EMISUSE (NULL
 *         arguments, unknown version); COUNCIL_EIO; COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free().
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_provision_register(council *c, council_buf *out,
        const council_provision_options *o);

/** council_outside_options version. @since 0.3.0 */
#define COUNCIL_OUTSIDE_OPTIONS_VERSION 1

/** The options of council_outside_disclose(). @since 0.3.0 */
typedef struct council_outside_options {
    unsigned version;            /**< COUNCIL_OUTSIDE_OPTIONS_VERSION */
    const uint8_t *consent_id;   /**< 16 bytes: the consent naming the outside party */
    size_t consent_id_len;
    const char *const *scopes;   /**< the scopes to give (1..32 codes) */
    size_t n_scopes;
    const char *purpose;         /**< a purpose code the consent covers */
    const char *purpose_text;    /**< the text of purpose "other", else NULL */
    const uint8_t *party_id;     /**< 16 bytes or NULL: the outside party the caller means
                                      (refused unless the consent names it) */
    size_t party_id_len;
    const uint8_t *seal_pk;      /**< 32 bytes or NULL: an X25519 public key of the outside
                                      party; the document is then sealed to it
                                      (crypto_box_seal) */
    size_t seal_pk_len;
} council_outside_options;

#define COUNCIL_OUTSIDE_OPTIONS_INIT \
    { COUNCIL_OUTSIDE_OPTIONS_VERSION, NULL, 0, NULL, 0, NULL, NULL, NULL, 0, NULL, 0 }

/**
 * Disclosure to an outside party (an organisation that is not a member)
 * named in a consent (council_consent_options.external_party): the case's
 * latest sections of the scopes, as a JSON document for that party
 * ({"format":"council-outside-disclosure","version":1, "external_party",
 * "external_party_id", "consent_id", "case_ref", "purpose", "scopes",
 * "disclosed_at", "event_seq", "sections":[{"scope", "person_id",
 * "version", "written", "section":{...}}]}), or that document sealed to
 * seal_pk. The disclosure decision first (the consent active, not
 * withdrawn or expired, covering the scopes and the purpose, naming that
 * outside party; the council's policy), then outside_disclosure is logged
 * (object_id the party, consent_id, case_ref, scopes, purpose, basis
 * "consent") in the same transaction, and the content is returned only
 * after it is durable. Who: the case's owner's staff, or the secretariat
 * (as council_case_share()). Every refusal is logged (outside_disclosure,
 * refused, with its reason code).
 *
 * @param[out] out  the JSON document, or the sealed box.
 * @return COUNCIL_OK; COUNCIL_ENOCONSENT (logged) when the consent is
 *         unknown or of another case ("consent_not_found"), names no outside
 *         party ("no_outside_party"), or the decision refuses
 *         ("consent_withdrawn", "consent_expired", "scope_not_covered",
 *         "purpose_not_covered", "recipient_not_covered" for another party,
 *         ...); COUNCIL_EDENIED (logged) for a session that is not the
 *         owner's staff or the secretariat ("not_owner"), an erased case
 *         ("case_erased"), or no section of the scopes readable
 *         ("nothing_readable"); COUNCIL_ENOTFOUND (no such case);
 *         COUNCIL_EINVAL; COUNCIL_EMISUSE; COUNCIL_ETAMPER; COUNCIL_EIO;
 *         COUNCIL_ENOMEM.
 * Ownership: the caller releases out with council_buf_free() (it wipes).
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_outside_disclose(council *c, council_buf *out,
        const uint8_t *case_id, size_t case_id_len, const council_outside_options *o);

/* ============================================ issue 17: batched reads */

/**
 * One section to read in council_sections_read(): the case, the person in
 * it and the scope, as council_section_read() names them.
 * @since 0.3.0
 */
typedef struct council_section_ref {
    const uint8_t *case_id;   size_t case_id_len;
    const uint8_t *person_id; size_t person_id_len;
    const char *scope;
} council_section_ref;

/** The most sections one council_sections_read() reads. @since 0.3.0 */
#define COUNCIL_SECTIONS_READ_MAX 4096

/**
 * Read n sections (1..COUNCIL_SECTIONS_READ_MAX) for one purpose with one
 * durable commit. Each read passes the same checks as
 * council_section_read() and appends its own section_decrypted event; all
 * the events are committed in one transaction, and only after that commit
 * are the n results (each a serialised council.v1.SectionRecord, as
 * council_section_read() returns) placed in out[0..n-1]. The same section
 * may be named more than once (each read is logged). All or nothing: on
 * any refusal or failure no out[i] holds anything, and no event of the
 * batch stays in the log but the refusal's (logged as
 * council_section_read() logs it).
 *
 * @param[out] out  an array of n buffers (emptied first).
 * @param refs      the n sections; every member set (ids of
 *                  COUNCIL_ID_BYTES bytes, a scope).
 * @param purpose   as council_section_read().
 * @return COUNCIL_OK; COUNCIL_EINVAL for n of 0 or above
 *         COUNCIL_SECTIONS_READ_MAX, a NULL refs, a NULL member or an id
 *         of the wrong length (nothing logged), or a bad purpose; any
 *         return of council_section_read() for the first section that
 *         fails (COUNCIL_EDENIED, COUNCIL_EAUTH logged as refused);
 *         COUNCIL_EMISUSE for a NULL out or inside a council_batch_begin()
 *         batch; COUNCIL_EIO when the commit fails (nothing returned).
 * Ownership: the caller releases each out[i] with council_buf_free()
 * (which wipes it).
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_sections_read(council *c, council_buf *out,
        const council_section_ref *refs, size_t n, const char *purpose);
/* ------------------------------------------------ issue 17, blind: the index's width */

/**
 * The blind index's state (council_index_rebuild(), council_index_status()).
 * @since 0.3.0
 */
typedef struct council_index_state {
    uint32_t width;        /**< bits of the tokens written now (16..32) */
    uint32_t old_width;    /**< bits of tokens a rebuild has not yet replaced; 0: none */
    uint32_t wanted_width; /**< the width sized for the index now */
    uint64_t entries;      /**< name tokens in the index (estimated to a few per cent when large) */
    uint64_t cases_done;   /**< cases whose tokens this call derived again */
} council_index_state;

/**
 * The blind index's state: its widths and size, without changing anything.
 * Who: the secretariat.
 *
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged, secretariat_only);
 *         COUNCIL_ETAMPER (a tamper finding forged_blind_width) when the
 *         stored width is not the one the secretariat signed;
 *         COUNCIL_EMISUSE; COUNCIL_EIO.
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_index_status(council *c, council_index_state *st);

/**
 * Widens the blind index when the store has outgrown its token width
 * (SECURITY.md, "Blind index"): new tokens are `w` bits wide, w sized so
 * that a query's expected false matches (entries / 2^w) stay between one
 * and two, and the existing tokens are derived again from each person's
 * identity section, case by case, one transaction per chunk of cases with
 * its own blind_index_rebuilt event. Finds stay exact throughout (both
 * widths are searched until the rebuild ends). Resumable: an interrupted
 * rebuild goes on where it stopped at the next call; nothing is done when
 * the width fits the store.
 *
 * Who: the secretariat holding the coordinating body's key (it reads the
 * identity sections of every case) and the blind-index key. Not inside a
 * council_batch.
 *
 * @param max_cases  at most this many cases this call (0: all).
 * @param[out] st    the state after the call (may be NULL).
 * @return COUNCIL_OK; COUNCIL_EDENIED (logged, secretariat_only, or a
 *         secretariat session without the coordinating body's key);
 *         COUNCIL_EUNSUPPORTED without the blind-index key; COUNCIL_ETAMPER
 *         for a forged width; COUNCIL_EAUTH for an identity section that
 *         fails authentication; COUNCIL_EMISUSE; COUNCIL_EIO; COUNCIL_ENOMEM.
 * @since 0.3.0
 */
COUNCIL_API COUNCIL_NODISCARD int council_index_rebuild(council *c, council_index_state *st,
        uint32_t max_cases);

#ifdef __cplusplus
}
#endif

#endif /* COUNCIL_H */
