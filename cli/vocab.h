/*
 * vocab.h - pieces of help text more than one command prints: the option
 * lines of the same options, and the lists of codes (member kinds, the
 * purposes and legal bases of a share). A command's help is built from
 * them, so each command still prints only its own help.
 */
#ifndef COUNCIL_CLI_VOCAB_H
#define COUNCIL_CLI_VOCAB_H

/* member add, member update: the member's fields, and the codes. */
#define HELP_MEMBER_FIELDS                                                           \
    "  --name NAME            the member's name\n"                                   \
    "  --kind KIND            what kind of body it is\n"                             \
    "  --roles R,...          secretariat, coordinating_body or none\n"              \
    "  --scopes S,...         the scopes of case content it may ever be given\n"     \
    "  --contact TEXT         how to reach it ('' to clear)\n"                       \
    "  --joined T             when it joined (default: now)\n"
/* --json on a command that creates a record: KEY is the id's name. */
#define HELP_JSON_ID(key) \
    "  --json                 {\"" key "\": ID}, not the bare id\n"
#define HELP_MEMBER_KINDS                                                            \
    "KIND: municipal_department, prefectural_department, social_welfare_council,\n" \
    "social_welfare_corporation, npo, medical, school, police,\n"                    \
    "child_guidance_centre, probation, welfare_commissioner, utility, financial,\n"  \
    "company, other.  ROLES: secretariat, coordinating_body, none.\n"

/* case share, disclose: with whom. */
#define HELP_SHARE_WITH                                                              \
    "  --member ID            the member to share with\n"                            \
    "  --scope S              a scope to share (repeatable)\n"
/* case share, disclose, meeting add-case: why, and on what ground. */
#define HELP_SHARE_GROUNDS                                                           \
    "  --purpose CODE         why\n"                                                 \
    "  --purpose-text TEXT    the purpose in words (for other)\n"                    \
    "  --basis CODE           the legal basis\n"                                     \
    "  --reason TEXT          the reason the basis needs\n"                          \
    "  --consent UUID         the consent record the share rests on\n"               \
    "  --second-approver STAFF\n"                                                    \
    "                         a second staff member's approval, where required\n"
#define HELP_SHARE_EXPIRES "  --expires T            when the share ends\n"
/* case share, disclose: the codes of --purpose and --basis. */
#define HELP_PURPOSES_BASIS                                                          \
    "PURPOSES: support_coordination, referral, joint_support, meeting_discussion,\n" \
    "statistics, other (with --purpose-text).  BASIS: consent (with --consent),\n"   \
    "appi_27_1_1_law, appi_27_1_2_vital, appi_27_1_3_public_health_child,\n"         \
    "appi_27_1_4_public_duty, council_art16_exchange (these need --reason TEXT).\n"

/* consent record, consent refuse: the options of a consent decision. */
#define HELP_CONSENT_OPTIONS                                                         \
    "  --person P             the person (default: the person supported)\n"          \
    "  --member ID            a recipient member (repeatable)\n"                     \
    "  --external-party NAME  a recipient outside the council\n"                     \
    "  --scope S              a scope (repeatable)\n"                                \
    "  --purpose CODE         a purpose (repeatable)\n"                              \
    "  --purpose-text TEXT    the purpose in words (for other)\n"                    \
    "  --grantor G            self (the default), legal_representative or guardian\n" \
    "  --grantor-name NAME    the representative's or guardian's name\n"             \
    "  --method M             written, oral or electronic\n"                         \
    "  --valid-from T, --valid-until T\n"                                            \
    "                         the validity period (default: from now, until\n"       \
    "                         withdrawn)\n"                                          \
    "  --obtained-by STAFF    who obtained it (default: the session's staff)\n"      \
    "  --evidence-sha256 HEX  the SHA-256 of the evidence (the signed form, the\n"   \
    "                         recording), as sha256sum prints it; the evidence\n"    \
    "                         itself is never stored\n"

/* The guard rails (guard.h): the commands that ask first, and the
 * commands that take a new passphrase. */
/* --quiet on a long command (progress.h). */
#define HELP_QUIET                                                                   \
    "  --quiet                no progress line on stderr (there is none when\n"      \
    "                         stderr is not a terminal)\n"
#define HELP_YES                                                                     \
    "  --yes                  do it without asking (needed when not on a terminal)\n"
#define HELP_WEAK_OK                                                                 \
    "  --weak-passphrase-ok   accept a new passphrase libpwquality finds weak (for\n" \
    "                         tests and demos only)\n"

#endif
