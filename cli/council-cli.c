/*
 * council-cli - the council secretariat's tool.
 *
 * Uses only council.h, the shared library, and the public message formats
 * in proto/. Exit status: 0 success, 1 refused or failed, 2 usage error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "council.h"
#include "council/v1/audit.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/consent.pb-c.h"
#include "council/v1/info.pb-c.h"
#include "council/v1/meeting.pb-c.h"
#include "council/v1/member.pb-c.h"
#include "section_json.h"
#include "text.h"

#define EXIT_USAGE 2
#define PASS_BUF (COUNCIL_PASSPHRASE_MAX + 3)

static const char *prog = "council-cli";

static const char usage_text[] =
    "usage: council-cli [--store PATH] COMMAND [OPTIONS]\n"
    "\n"
    "Council:\n"
    "  init --name NAME        create a council store at PATH\n"
    "       [--root-key-file FILE] [--kdf-ops N] [--kdf-mem BYTES]\n"
    "  info [--json]           show the council id, name, versions and log key\n"
    "  passphrase              change the passphrase that protects the root key\n"
    "       [--new-passphrase-file FILE] [--kdf-ops N] [--kdf-mem BYTES]\n"
    "\n"
    "Members (構成機関等):\n"
    "  member add --name NAME --kind KIND [--roles R,...] [--scopes S,...]\n"
    "             [--contact TEXT] [--joined T]\n"
    "  member list [--json]    member show ID [--json]\n"
    "  member update ID [--name ..] [--kind ..] [--roles ..] [--scopes ..] [--contact ..]\n"
    "                [--joined T]\n"
    "  member withdraw ID --reason TEXT [--date T]\n"
    "  member keygen ID --out FILE [--member-passphrase-file FILE] [--kdf-ops N] [--kdf-mem B]\n"
    "  member register-key ID --box-key HEX --sign-key HEX\n"
    "  staff add --member ID --name NAME [--role TEXT]   prints the staff id\n"
    "  staff list [--member ID] [--json]\n"
    "  staff pledge ID --text-version V --text-file FILE [--witness-name NAME] [--date T]\n"
    "  staff retire ID --reason TEXT [--date T]\n"
    "  members announce [--json]   the public announcement: council, coordinating\n"
    "                              body and member names\n"
    "  KIND: municipal_department, prefectural_department, social_welfare_council,\n"
    "  social_welfare_corporation, npo, medical, school, police,\n"
    "  child_guidance_centre, probation, welfare_commissioner, utility, financial,\n"
    "  company, other.  ROLES: secretariat, coordinating_body, none.\n"
    "\n";

/* In parts: a C11 compiler need accept only 4095 bytes in one string literal. */
static const char usage_cases[] =
    "Scopes and cases (個別ケース):\n"
    "  scope list [--json]     scope add CODE [--sensitive]     scope remove CODE\n"
    "  case create [--owner ID] [--body BODY] [--json]   prints the case and person ids\n"
    "  case add-person CASE --role family|close_third_party   prints the person id\n"
    "  case update CASE --scope S [--person P] [--file FILE]  section JSON from FILE\n"
    "                          (default '-': standard input)\n"
    "  case show CASE [--scope S [--person P]] --purpose CODE [--json]\n"
    "  case history CASE --scope S [--person P] --purpose CODE [--json]\n"
    "  case list [--json]      case info CASE [--json]\n"
    "  case share CASE --member ID --scope S [--scope S]... --purpose CODE --basis CODE\n"
    "             [--purpose-text TEXT] [--reason TEXT] [--consent UUID]\n"
    "             [--second-approver STAFF] [--expires T]\n"
    "  case revoke CASE --member ID [--scope S]... --reason CODE\n"
    "  case erase CASE --reason CODE --yes   destroys the case's keys: irreversible\n"
    "  case find --name NAME [--birth-date YYYY-MM-DD] [--json]\n"
    "  case status CASE open|monitoring|closed\n"
    "  case rekey CASE         re-encrypt a case under new data keys\n"
    "  BODY: council, support_meeting, needs_of_poor_meeting.  BASIS: consent (with\n"
    "  --consent), appi_27_1_1_law, appi_27_1_2_vital, appi_27_1_3_public_health_child,\n"
    "  appi_27_1_4_public_duty, council_art16_exchange (these need --reason TEXT).\n"
    "\n"
    "Keys:\n"
    "  rekey database          re-encrypt council.db under a new database key\n"
    "  rekey root [--new-passphrase-file FILE | --new-root-key-file FILE]\n"
    "             [--kdf-ops N] [--kdf-mem BYTES]   replace the root key\n"
    "\n";

static const char usage_consent[] =
    "Consent (同意) and disclosure:\n"
    "  consent record CASE [--person P] --member ID [--member ID]...\n"
    "             [--external-party NAME] --scope S [--scope S]... --purpose CODE\n"
    "             [--purpose CODE]... [--purpose-text TEXT] [--grantor G]\n"
    "             [--grantor-name NAME] --method M [--valid-from T] [--valid-until T]\n"
    "             [--obtained-by STAFF] [--evidence-sha256 HEX]\n"
    "                          prints the record's id\n"
    "  consent refuse CASE [--person P] [--member ID]... [--scope S]...\n"
    "             [--purpose CODE]... --method M [and the other options of record]\n"
    "                          an empty list refuses for every recipient, scope or\n"
    "                          purpose; prints the record's id\n"
    "  consent withdraw ID --reason TEXT [--date T]\n"
    "  consent list CASE [--json]    consent show ID [--json]\n"
    "  disclose CASE --member ID --scope S [--scope S]... --purpose CODE --basis CODE\n"
    "           [--purpose-text TEXT] [--reason TEXT] [--consent UUID]\n"
    "           [--second-approver STAFF] [--expires T] [--dry-run [--json]]\n"
    "                          case share; with --dry-run, only the decision:\n"
    "                          'allowed: REASON' (exit 0), 'refused: REASON' (1)\n"
    "  PURPOSES: support_coordination, referral, joint_support, meeting_discussion,\n"
    "  statistics, other (with --purpose-text).  G: self (the default),\n"
    "  legal_representative, guardian (these with --grantor-name).\n"
    "  M: written, oral, electronic.  --person: default the person supported.\n"
    "  HEX: the SHA-256 of the evidence (the signed form, the recording), 64 hex\n"
    "  digits, as sha256sum prints it; the evidence itself is never stored.\n"
    "\n";

static const char usage_meeting[] =
    "Meetings (会議) and the platform report:\n"
    "  meeting create --body MBODY --starts T --ends T --member ID [--member ID]...\n"
    "             [--json]     prints the meeting id; the members attend\n"
    "  meeting add-case MEETING CASE --member ID --scope S [--scope S]... --purpose CODE\n"
    "             --basis CODE [--purpose-text TEXT] [--reason TEXT] [--consent UUID]\n"
    "             [--second-approver STAFF]\n"
    "                          share scopes with an attendee until the meeting ends\n"
    "  meeting show MEETING [--json]\n"
    "  meeting packet MEETING --member ID --out FILE\n"
    "                          the attendee's packet, sealed to its key, in a new\n"
    "                          FILE of mode 0600\n"
    "  meeting close MEETING   end the meeting's disclosures now\n"
    "  report platform [--k K] [--format csv|json]\n"
    "                          counts for the regional platform, each below K\n"
    "                          (3 to 1000, default 5) suppressed; csv by default\n"
    "  MBODY: council, support_meeting, joint_platform (this one takes no case).\n"
    "\n";

static const char usage_tail[] =
    "Audit log (with the store):\n"
    "  audit show [--since T] [--until T] [--action NAME] [--actor UUID]\n"
    "             [--case HEX] [--from SEQ] [--limit N] [--json]\n"
    "  audit checkpoint        sign and print a checkpoint of the log (keep it:\n"
    "                          pass it to audit verify --old later)\n"
    "  audit reset-head --reason CODE\n"
    "                          after a refused checkpoint (the log does not\n"
    "                          extend what the signer last saw) was dealt with:\n"
    "                          take the log as it is as the signer's head\n"
    "  audit export --out FILE write every event and checkpoint to FILE\n"
    "  audit prove --index I [--size N]     an inclusion proof\n"
    "  audit prove --from M [--to N]        a consistency proof\n"
    "\n"
    "  audit add-cosignatures FILE  store a witness's cosigned checkpoint\n"
    "\n"
    "Audit log (no store: the public key alone):\n"
    "  audit verify FILE --key VKEY [--old CHECKPOINT] [--checkpoint FILE]\n"
    "               [--witness VKEY]... [--require K]\n"
    "                          verify an export, a checkpoint, or a proof\n"
    "                          (a proof against --checkpoint; a consistency\n"
    "                          proof also needs --old, the checkpoint you kept)\n"
    "  audit witness --old FILE --new FILE [--proof FILE] --key VKEY\n"
    "                --witness-key FILE --name NAME\n"
    "                          check consistency and print the cosigned checkpoint\n"
    "  audit witness-keygen --name NAME --out FILE\n"
    "                          make a witness key (secret to FILE, verifier key printed)\n"
    "\n"
    "Staff sessions (info, members announce, scope list, the case commands but\n"
    "case erase and case rekey, the consent commands, disclose, and report\n"
    "platform, which is refused): --staff ID --keyfile FILE, with the member's\n"
    "passphrase from --passphrase-file, $COUNCIL_MEMBER_PASSPHRASE or the terminal.\n"
    "Other commands are the secretariat's (the council passphrase).\n"
    "\n"
    "Options for the commands that open a store:\n"
    "  --store PATH            the store directory (default: $COUNCIL_STORE)\n"
    "  --passphrase-file FILE  read the passphrase from FILE ('-': standard input)\n"
    "  --root-key-file FILE    the integrator's root key: 64 hex digits\n"
    "  -h, --help              show this help;  --version  show the version\n"
    "\n"
    "A VKEY is a C2SP verifier key (as `info` prints it), or @FILE to read one.\n"
    "Times T are Unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC).\n"
    "The passphrase comes from --passphrase-file, else $COUNCIL_PASSPHRASE, else\n"
    "the terminal (not echoed). The new passphrase comes from\n"
    "--new-passphrase-file, else $COUNCIL_NEW_PASSPHRASE, else the terminal.\n"
    "Exit status: 0 success, 1 refused or failed (including a log that does not\n"
    "verify), 2 usage error.\n";

/* ------------------------------------------------------------- messages */

__attribute__((format(printf, 1, 2)))
static int usage(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'council-cli --help'.\n");
    return EXIT_USAGE;
}

static int failed(const char *op, council *c, int rc)
{
    if (c != NULL) /* the library's message names the operation itself */
        fprintf(stderr, "%s: %s (%s)\n", prog, council_errmsg(c), council_errstr(rc));
    else
        fprintf(stderr, "%s: %s: %s\n", prog, op, council_errstr(rc));
    return EXIT_FAILURE;
}

/* ---------------------------------------------------------- output files */

/* Create FILE for what only its reader may see (a secret key, a sealed
 * meeting packet): exclusively, so an existing file or a symbolic link is
 * refused, with mode 0600. Returns the descriptor, or -1 with a message. */
static int create_private(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

    if (fd < 0)
        fprintf(stderr, "%s: cannot create %s: %s\n", prog, path, strerror(errno));
    return fd;
}

/* Write all of p with write(2) (no stdio buffer keeps a copy), sync and
 * close fd. Returns 0, or -1 with errno set; fd is closed either way. */
static int finish_private(int fd, const void *p, size_t n)
{
    const unsigned char *b = p;
    int saved;

    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            goto fail;
        }
        b += w;
        n -= (size_t)w;
    }
    if (fsync(fd) != 0)
        goto fail;
    return close(fd);
fail:
    saved = errno;
    (void)close(fd);
    errno = saved;
    return -1;
}

/* ------------------------------------------------------------ arguments */

#define MAX_WITNESSES 16
#define MAX_SCOPES 32
#define MAX_LIST 32 /* --member and --purpose: COUNCIL_CONSENT_LIST_MAX */

/* Which commands take an option: one bit per command. */
typedef unsigned long long cmdmask;
#define C_INIT       (1ULL << 0)
#define C_INFO       (1ULL << 1)
#define C_PASS       (1ULL << 2)
#define C_SHOW       (1ULL << 3)
#define C_CHECKPOINT (1ULL << 4)
#define C_EXPORT     (1ULL << 5)
#define C_PROVE      (1ULL << 6)
#define C_VERIFY     (1ULL << 7)
#define C_WITNESS    (1ULL << 8)
#define C_KEYGEN     (1ULL << 9)
#define C_COSIGNED   (1ULL << 10)
#define C_MADD       (1ULL << 11)
#define C_MLIST      (1ULL << 12)
#define C_MSHOW      (1ULL << 13)
#define C_MUPDATE    (1ULL << 14)
#define C_MWITHDRAW  (1ULL << 15)
#define C_MKEYGEN    (1ULL << 16)
#define C_MREGISTER  (1ULL << 17)
#define C_ANNOUNCE   (1ULL << 18)
#define C_SADD       (1ULL << 19)
#define C_SLIST      (1ULL << 20)
#define C_SPLEDGE    (1ULL << 21)
#define C_SRETIRE    (1ULL << 22)
#define C_SCLIST     (1ULL << 23) /* scope list */
#define C_SCADD      (1ULL << 24)
#define C_SCREMOVE   (1ULL << 25)
#define C_CCREATE    (1ULL << 26) /* case ... */
#define C_CADDP      (1ULL << 27)
#define C_CUPDATE    (1ULL << 28)
#define C_CSHOW      (1ULL << 29)
#define C_CHISTORY   (1ULL << 30)
#define C_CLIST      (1ULL << 31)
#define C_CINFO      (1ULL << 32)
#define C_CSHARE     (1ULL << 33)
#define C_CREVOKE    (1ULL << 34)
#define C_CERASE     (1ULL << 35)
#define C_CFIND      (1ULL << 36)
#define C_CSTATUS    (1ULL << 37)
#define C_CREKEY     (1ULL << 38)
#define C_RKDB       (1ULL << 39) /* rekey database */
#define C_RKROOT     (1ULL << 40) /* rekey root */
#define C_KRECORD    (1ULL << 41) /* consent ... */
#define C_KREFUSE    (1ULL << 42)
#define C_KWITHDRAW  (1ULL << 43)
#define C_KLIST      (1ULL << 44)
#define C_KSHOW      (1ULL << 45)
#define C_DISCLOSE   (1ULL << 46)
#define C_MTCREATE   (1ULL << 47) /* meeting ... */
#define C_MTADD      (1ULL << 48)
#define C_MTSHOW     (1ULL << 49)
#define C_MTPACKET   (1ULL << 50)
#define C_MTCLOSE    (1ULL << 51)
#define C_REPORT     (1ULL << 52) /* report platform */
#define C_HEADRESET  (1ULL << 53) /* audit reset-head */
#define C_STAFF (C_SADD | C_SLIST | C_SPLEDGE | C_SRETIRE)
#define C_MEMBER (C_MADD | C_MLIST | C_MSHOW | C_MUPDATE | C_MWITHDRAW | C_MKEYGEN | C_MREGISTER | \
                  C_ANNOUNCE)
#define C_SCOPE (C_SCLIST | C_SCADD | C_SCREMOVE)
#define C_CASE (C_CCREATE | C_CADDP | C_CUPDATE | C_CSHOW | C_CHISTORY | C_CLIST | C_CINFO | \
                C_CSHARE | C_CREVOKE | C_CERASE | C_CFIND | C_CSTATUS | C_CREKEY)
#define C_KMAKE (C_KRECORD | C_KREFUSE) /* the commands that write a record */
#define C_CONSENT (C_KMAKE | C_KWITHDRAW | C_KLIST | C_KSHOW)
#define C_MEETING (C_MTCREATE | C_MTADD | C_MTSHOW | C_MTPACKET | C_MTCLOSE)
/* What a staff session may try (the library decides what it may do). */
#define C_SESSION (C_INFO | C_ANNOUNCE | C_SCLIST | C_CCREATE | C_CADDP | C_CUPDATE | C_CSHOW | \
                   C_CHISTORY | C_CLIST | C_CINFO | C_CSHARE | C_CREVOKE | C_CFIND | C_CSTATUS | \
                   C_CONSENT | C_DISCLOSE | C_REPORT)
#define C_STORE (C_INIT | C_INFO | C_PASS | C_SHOW | C_CHECKPOINT | C_HEADRESET | C_EXPORT | C_PROVE | C_COSIGNED | \
                 C_MEMBER | C_STAFF | C_SCOPE | C_CASE | C_RKDB | C_RKROOT | C_CONSENT | C_DISCLOSE | \
                 C_MEETING | C_REPORT)

typedef struct opts {
    const char *store;
    const char *name;
    const char *pass_file;
    const char *new_pass_file;
    const char *key_file;
    const char *out;
    const char *key;
    const char *witness[MAX_WITNESSES];
    size_t n_witness;
    const char *old_file, *new_file, *proof_file, *witness_key, *checkpoint_file;
    const char *since, *until, *action, *actor, *case_ref;
    const char *index, *size, *from, *to, *limit, *require;
    const char *kind, *roles, *scopes, *contact, *joined, *reason, *date, *member_pass_file;
    const char *box_key, *sign_key, *member, *role, *text_version, *text_file, *witness_name;
    const char *staff, *keyfile;
    const char *scope[MAX_SCOPES];
    size_t n_scope;
    const char *owner, *body, *person, *file, *purpose, *basis, *consent, *expires, *birth_date;
    const char *new_key_file;
    const char *members[MAX_LIST];   /* every --member; `member` is the first */
    size_t n_member;
    const char *purposes[MAX_LIST];  /* every --purpose; `purpose` is the first */
    size_t n_purpose;
    const char *purpose_text, *second_approver, *external_party, *grantor, *grantor_name;
    const char *method, *valid_from, *valid_until, *obtained_by, *evidence;
    const char *starts, *ends, *k, *format;
    unsigned long long kdf_ops;
    unsigned long long kdf_mem;
    int json, sensitive, yes, dry_run;
    const char *first_opt[32];
} opts;

static int parse_u64(const char *s, unsigned long long *out)
{
    char *end;

    if (s == NULL || s[0] < '0' || s[0] > '9')
        return -1;
    errno = 0;
    *out = strtoull(s, &end, 10);
    return errno != 0 || *end != '\0' ? -1 : 0;
}

/* Take the value of --opt VALUE or --opt=VALUE. */
static int take(int argc, char **argv, int *i, const char *opt, const char **val)
{
    size_t n = strlen(opt);

    if (strncmp(argv[*i], opt, n) != 0)
        return 0;
    if (argv[*i][n] == '=') {
        *val = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *val = argv[++*i];
    return 1;
}

typedef struct optdef {
    const char *name;
    size_t off;      /* where the value goes (const char *), or SIZE_MAX */
    cmdmask cmds;    /* commands that take it; 0: every command */
} optdef;

#define O(field) offsetof(opts, field)
static const optdef optdefs[] = {
    { "--store", O(store), 0 },
    { "--passphrase-file", O(pass_file), C_STORE },
    { "--root-key-file", O(key_file), C_STORE },
    { "--name", O(name), C_INIT | C_WITNESS | C_KEYGEN | C_MADD | C_MUPDATE | C_SADD | C_CFIND },
    { "--member", SIZE_MAX, C_SADD | C_SLIST | C_CSHARE | C_CREVOKE | C_KMAKE | C_DISCLOSE |
                            C_MTCREATE | C_MTADD | C_MTPACKET },
    { "--staff", O(staff), C_SESSION },
    { "--keyfile", O(keyfile), C_SESSION },
    { "--role", O(role), C_SADD | C_CADDP },
    { "--text-version", O(text_version), C_SPLEDGE },
    { "--text-file", O(text_file), C_SPLEDGE },
    { "--witness-name", O(witness_name), C_SPLEDGE },
    { "--kind", O(kind), C_MADD | C_MUPDATE },
    { "--roles", O(roles), C_MADD | C_MUPDATE },
    { "--scopes", O(scopes), C_MADD | C_MUPDATE },
    { "--contact", O(contact), C_MADD | C_MUPDATE },
    { "--joined", O(joined), C_MADD | C_MUPDATE },
    { "--reason", O(reason), C_HEADRESET | C_MWITHDRAW | C_SRETIRE | C_CSHARE | C_CREVOKE | C_CERASE |
                             C_KWITHDRAW | C_DISCLOSE | C_MTADD },
    { "--date", O(date), C_MWITHDRAW | C_SPLEDGE | C_SRETIRE | C_KWITHDRAW },
    { "--member-passphrase-file", O(member_pass_file), C_MKEYGEN },
    { "--box-key", O(box_key), C_MREGISTER },
    { "--sign-key", O(sign_key), C_MREGISTER },
    { "--new-passphrase-file", O(new_pass_file), C_PASS | C_RKROOT },
    { "--new-root-key-file", O(new_key_file), C_RKROOT },
    { "--kdf-ops", SIZE_MAX, C_INIT | C_PASS | C_MKEYGEN | C_RKROOT },
    { "--kdf-mem", SIZE_MAX, C_INIT | C_PASS | C_MKEYGEN | C_RKROOT },
    { "--out", O(out), C_EXPORT | C_KEYGEN | C_MKEYGEN | C_MTPACKET },
    { "--key", O(key), C_VERIFY | C_WITNESS },
    { "--witness", SIZE_MAX, C_VERIFY },
    { "--require", O(require), C_VERIFY },
    { "--old", O(old_file), C_WITNESS | C_VERIFY },
    { "--checkpoint", O(checkpoint_file), C_VERIFY },
    { "--new", O(new_file), C_WITNESS },
    { "--proof", O(proof_file), C_WITNESS },
    { "--witness-key", O(witness_key), C_WITNESS },
    { "--since", O(since), C_SHOW },
    { "--until", O(until), C_SHOW },
    { "--action", O(action), C_SHOW },
    { "--actor", O(actor), C_SHOW },
    { "--case", O(case_ref), C_SHOW },
    { "--limit", O(limit), C_SHOW },
    { "--from", O(from), C_SHOW | C_PROVE },
    { "--index", O(index), C_PROVE },
    { "--size", O(size), C_PROVE },
    { "--to", O(to), C_PROVE },
    { "--scope", SIZE_MAX, C_CUPDATE | C_CSHOW | C_CHISTORY | C_CSHARE | C_CREVOKE | C_KMAKE |
                           C_DISCLOSE | C_MTADD },
    { "--owner", O(owner), C_CCREATE },
    { "--body", O(body), C_CCREATE | C_MTCREATE },
    { "--person", O(person), C_CUPDATE | C_CSHOW | C_CHISTORY | C_KMAKE },
    { "--file", O(file), C_CUPDATE },
    { "--purpose-text", O(purpose_text), C_CSHARE | C_DISCLOSE | C_KMAKE | C_MTADD },
    { "--purpose", SIZE_MAX, C_CSHOW | C_CHISTORY | C_CSHARE | C_KMAKE | C_DISCLOSE | C_MTADD },
    { "--basis", O(basis), C_CSHARE | C_DISCLOSE | C_MTADD },
    { "--consent", O(consent), C_CSHARE | C_DISCLOSE | C_MTADD },
    { "--expires", O(expires), C_CSHARE | C_DISCLOSE },
    { "--second-approver", O(second_approver), C_CSHARE | C_DISCLOSE | C_MTADD },
    { "--external-party", O(external_party), C_KMAKE },
    { "--grantor", O(grantor), C_KMAKE },
    { "--grantor-name", O(grantor_name), C_KMAKE },
    { "--method", O(method), C_KMAKE },
    { "--valid-from", O(valid_from), C_KMAKE },
    { "--valid-until", O(valid_until), C_KMAKE },
    { "--obtained-by", O(obtained_by), C_KMAKE },
    { "--evidence-sha256", O(evidence), C_KMAKE },
    { "--birth-date", O(birth_date), C_CFIND },
    { "--starts", O(starts), C_MTCREATE },
    { "--ends", O(ends), C_MTCREATE },
    { "--k", O(k), C_REPORT },
    { "--format", O(format), C_REPORT },
};
#undef O

/* Parse options (anywhere on the line) and up to four words. */
static int parse_args(int argc, char **argv, opts *o, const char *words[4], size_t *n_words)
{
    *n_words = 0;
    for (int i = 1; i < argc; i++) {
        const char *val = NULL;
        int hit = 0;

        for (size_t k = 0; k < sizeof optdefs / sizeof optdefs[0]; k++) {
            const optdef *d = &optdefs[k];
            hit = take(argc, argv, &i, d->name, &val);
            if (hit < 0)
                return usage("option '%s' needs a value", d->name);
            if (hit == 0)
                continue;
            if (d->cmds != 0) {
                /* Remember each option given once, to check later. */
                size_t j = 0;
                while (j < 32 && o->first_opt[j] != NULL && o->first_opt[j] != d->name)
                    j++;
                if (j == 32)
                    return usage("%s", "too many options");
                o->first_opt[j] = d->name;
            }
            if (d->off != SIZE_MAX) {
                *(const char **)(void *)((char *)o + d->off) = val;
            } else if (strcmp(d->name, "--witness") == 0) {
                if (o->n_witness >= MAX_WITNESSES)
                    return usage("at most %d --witness keys", MAX_WITNESSES);
                o->witness[o->n_witness++] = val;
            } else if (strcmp(d->name, "--scope") == 0) {
                if (o->n_scope >= MAX_SCOPES)
                    return usage("at most %d --scope options", MAX_SCOPES);
                o->scope[o->n_scope++] = val;
            } else if (strcmp(d->name, "--member") == 0) {
                if (o->n_member >= MAX_LIST)
                    return usage("at most %d --member options", MAX_LIST);
                o->members[o->n_member++] = val;
                o->member = o->members[0];
            } else if (strcmp(d->name, "--purpose") == 0) {
                if (o->n_purpose >= MAX_LIST)
                    return usage("at most %d --purpose options", MAX_LIST);
                o->purposes[o->n_purpose++] = val;
                o->purpose = o->purposes[0];
            } else if (parse_u64(val, strcmp(d->name, "--kdf-ops") == 0 ? &o->kdf_ops
                                                                         : &o->kdf_mem) != 0) {
                return usage("%s needs a whole number, not '%s'", d->name, val);
            }
            break;
        }
        if (hit > 0)
            continue;
        if (strcmp(argv[i], "--json") == 0) {
            o->json = 1;
        } else if (strcmp(argv[i], "--sensitive") == 0) {
            o->sensitive = 1;
        } else if (strcmp(argv[i], "--yes") == 0) {
            o->yes = 1;
        } else if (strcmp(argv[i], "--dry-run") == 0) {
            o->dry_run = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage("unknown option '%s'", argv[i]);
        } else if (*n_words < 4) {
            words[(*n_words)++] = argv[i];
        } else {
            return usage("unexpected argument '%s'", argv[i]);
        }
    }
    return 0;
}

/* Refuse options the command does not take. */
static int check_options(const opts *o, cmdmask cmd)
{
    for (size_t j = 0; j < 32 && o->first_opt[j] != NULL; j++)
        for (size_t k = 0; k < sizeof optdefs / sizeof optdefs[0]; k++)
            if (strcmp(optdefs[k].name, o->first_opt[j]) == 0 && optdefs[k].cmds != 0 &&
                (optdefs[k].cmds & cmd) == 0)
                return usage("option '%s' does not apply to this command", o->first_opt[j]);
    if (o->json && (cmd & (C_INFO | C_SHOW | C_MLIST | C_MSHOW | C_ANNOUNCE | C_SLIST | C_SCLIST |
                           C_CCREATE | C_CSHOW | C_CHISTORY | C_CLIST | C_CINFO | C_CFIND |
                           C_KLIST | C_KSHOW | C_DISCLOSE | C_MTCREATE | C_MTSHOW)) == 0)
        return usage("%s", "option '--json' does not apply to this command");
    if (o->sensitive && cmd != C_SCADD)
        return usage("%s", "option '--sensitive' does not apply to this command");
    if (o->yes && cmd != C_CERASE)
        return usage("%s", "option '--yes' does not apply to this command");
    if (o->dry_run && cmd != C_DISCLOSE)
        return usage("%s", "option '--dry-run' does not apply to this command");
    /* Only a consent record names several recipients or purposes, and
     * only a meeting several attendees. */
    if (o->n_member > 1 && (cmd & (C_KMAKE | C_MTCREATE)) == 0)
        return usage("%s", "give one --member");
    if (o->n_purpose > 1 && (cmd & C_KMAKE) == 0)
        return usage("%s", "give one --purpose");
    return 0;
}

/* ---------------------------------------------------------- passphrases */

/* Read a secret from a file (or "-" for stdin): at most `cap` bytes, one
 * trailing newline removed. Returns its length, or -1 with a message. */
static long read_secret_file(const char *path, char *buf, size_t cap, const char *what)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t n;

    if (f == NULL) {
        fprintf(stderr, "%s: cannot open %s file: %s\n", prog, what, strerror(errno));
        return -1;
    }
    /* Unbuffered: no copy of the secret is left in a stdio buffer. */
    if (f != stdin)
        (void)setvbuf(f, NULL, _IONBF, 0);
    n = fread(buf, 1, cap, f);
    if (f != stdin)
        fclose(f);
    if (n == cap) {
        fprintf(stderr, "%s: %s file is too long\n", prog, what);
        return -1;
    }
    return (long)secret_text_trim(buf, n);
}

/* Read one line from the terminal without echo. */
static long read_tty(const char *prompt, char *buf, size_t cap)
{
    struct termios old, quiet;
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    size_t n = 0;
    char ch;

    if (fd < 0)
        return -2;
    if (tcgetattr(fd, &old) != 0) {
        close(fd);
        return -2;
    }
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
    quiet.c_lflag |= ICANON;
    (void)tcsetattr(fd, TCSAFLUSH, &quiet);
    if (write(fd, prompt, strlen(prompt)) < 0) {
        (void)tcsetattr(fd, TCSAFLUSH, &old);
        close(fd);
        return -2;
    }
    while (read(fd, &ch, 1) == 1 && ch != '\n') {
        if (n + 1 < cap)
            buf[n++] = ch;
        else
            n = cap; /* too long: keep reading the line, then refuse */
    }
    ch = 0;
    (void)tcsetattr(fd, TCSAFLUSH, &old);
    {
        /* The line was read; a newline lost on the terminal is harmless. */
        ssize_t w = write(fd, "\n", 1);
        (void)w;
    }
    close(fd);
    if (n >= cap - 1) {
        fprintf(stderr, "%s: passphrase too long\n", prog);
        return -1;
    }
    return (long)n;
}

/* The passphrase: from file, else environment, else terminal (twice when
 * `confirm`). Returns its length, -1 on failure, -2 when there is no source. */
static long get_passphrase(const char *file, const char *env, int confirm,
                           const char *prompt, char *buf, size_t cap)
{
    const char *e;
    long n;

    if (file != NULL) {
        n = read_secret_file(file, buf, cap, "passphrase");
    } else if ((e = getenv(env)) != NULL) {
        size_t len = strlen(e);
        if (len >= cap) {
            fprintf(stderr, "%s: $%s is too long\n", prog, env);
            return -1;
        }
        memcpy(buf, e, len);
        n = (long)len;
    } else {
        char again[PASS_BUF];
        long m;

        n = read_tty(prompt, buf, cap);
        if (n < 0 || !confirm)
            return n == -2 ? -2 : n;
        m = read_tty("Repeat passphrase: ", again, sizeof again);
        if (m != n || memcmp(buf, again, (size_t)n) != 0) {
            wipe(again, sizeof again);
            fprintf(stderr, "%s: passphrases do not match\n", prog);
            return -1;
        }
        wipe(again, sizeof again);
    }
    if (n == 0) {
        fprintf(stderr, "%s: the passphrase is empty\n", prog);
        return -1;
    }
    return n;
}

/* A root key file holds 64 hex digits (one trailing newline allowed). */
static int read_root_key(const char *path, uint8_t key[COUNCIL_ROOT_KEY_BYTES])
{
    char hex[2 * COUNCIL_ROOT_KEY_BYTES + 4];
    long n = read_secret_file(path, hex, sizeof hex, "root key");
    int rc;

    if (n < 0)
        return -1;
    rc = root_key_text(key, hex, (size_t)n);
    if (rc == -1)
        fprintf(stderr, "%s: root key file must hold %d hex digits\n", prog,
                2 * COUNCIL_ROOT_KEY_BYTES);
    else if (rc != 0)
        fprintf(stderr, "%s: root key file must hold only hex digits\n", prog);
    wipe(hex, sizeof hex);
    return rc == 0 ? 0 : -1;
}

/* Credentials for open: root key file if given, else passphrase. */
typedef struct creds {
    char pass[PASS_BUF];
    size_t pass_len;
    uint8_t key[COUNCIL_ROOT_KEY_BYTES];
    int have_key;
} creds;

static int get_creds(const opts *o, creds *cr, int confirm)
{
    long n;

    if (o->key_file != NULL) {
        if (read_root_key(o->key_file, cr->key) != 0)
            return EXIT_FAILURE;
        cr->have_key = 1;
        return 0;
    }
    n = get_passphrase(o->pass_file, "COUNCIL_PASSPHRASE", confirm, "Passphrase: ",
                       cr->pass, sizeof cr->pass);
    if (n == -2)
        return usage("%s", "no passphrase: use --passphrase-file, $COUNCIL_PASSPHRASE "
                           "or a terminal");
    if (n < 0)
        return EXIT_FAILURE;
    cr->pass_len = (size_t)n;
    return 0;
}

static int member_id_arg(const char *text, uint8_t id[COUNCIL_ID_BYTES]);
static char *slurp(const char *path, size_t cap, size_t *len, const char *what);

/* A staff session: --staff ID --keyfile FILE, the member's passphrase. */
static int open_staff_session(const opts *o, council **c)
{
    council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
    uint8_t staff[COUNCIL_ID_BYTES];
    char pass[PASS_BUF], *kf;
    size_t kf_len;
    long n;
    int rc;

    if (o->staff == NULL || o->keyfile == NULL || member_id_arg(o->staff, staff) != 0)
        return usage("%s", "a staff session needs --staff ID and --keyfile FILE");
    if ((kf = slurp(o->keyfile, 8192, &kf_len, "keyfile")) == NULL)
        return EXIT_FAILURE;
    n = get_passphrase(o->pass_file, "COUNCIL_MEMBER_PASSPHRASE", 0, "Member passphrase: ",
                       pass, sizeof pass);
    if (n < 0) {
        wipe(kf, kf_len);
        free(kf);
        return n == -2 ? usage("%s", "no member passphrase: use --passphrase-file, "
                                     "$COUNCIL_MEMBER_PASSPHRASE or a terminal")
                       : EXIT_FAILURE;
    }
    oo.staff_id = staff;
    oo.staff_id_len = sizeof staff;
    oo.keyfile = (const uint8_t *)kf;
    oo.keyfile_len = kf_len;
    oo.passphrase = (const uint8_t *)pass;
    oo.passphrase_len = (size_t)n;
    rc = council_open(c, o->store, &oo);
    wipe(pass, sizeof pass);
    wipe(kf, kf_len);
    free(kf);
    if (rc != COUNCIL_OK) {
        failed("open", *c, rc);
        council_close(*c);
        *c = NULL;
        return EXIT_FAILURE;
    }
    return 0;
}

static int open_council(const opts *o, council **c)
{
    council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
    creds cr;
    int rc;

    memset(&cr, 0, sizeof cr);
    *c = NULL;
    if (o->staff != NULL || o->keyfile != NULL)
        return open_staff_session(o, c);
    rc = get_creds(o, &cr, 0);
    if (rc != 0)
        return rc;
    if (cr.have_key) {
        oo.root_key = cr.key;
        oo.root_key_len = sizeof cr.key;
    } else {
        oo.passphrase = (const uint8_t *)cr.pass;
        oo.passphrase_len = cr.pass_len;
    }
    rc = council_open(c, o->store, &oo);
    wipe(&cr, sizeof cr);
    if (rc != COUNCIL_OK) {
        failed("open", *c, rc);
        council_close(*c);
        *c = NULL;
        return EXIT_FAILURE;
    }
    return 0;
}

/* ------------------------------------------------------------- commands */

static int cmd_init(const opts *o)
{
    council_create_options co = COUNCIL_CREATE_OPTIONS_INIT;
    Council__V1__CouncilInfo *info = NULL;
    council_buf buf = { NULL, 0 };
    council *c = NULL;
    creds cr;
    int rc;

    if (o->name == NULL)
        return usage("%s", "init needs --name NAME");
    memset(&cr, 0, sizeof cr);
    rc = get_creds(o, &cr, 1);
    if (rc != 0)
        return rc;
    co.name = o->name;
    if (cr.have_key) {
        co.root_key = cr.key;
        co.root_key_len = sizeof cr.key;
    } else {
        co.passphrase = (const uint8_t *)cr.pass;
        co.passphrase_len = cr.pass_len;
    }
    co.kdf_opslimit = o->kdf_ops;
    co.kdf_memlimit = o->kdf_mem;
    rc = council_create(&c, o->store, &co);
    wipe(&cr, sizeof cr);
    if (rc != COUNCIL_OK) {
        failed("init", c, rc);
        council_close(c);
        return EXIT_FAILURE;
    }
    rc = council_info(c, &buf);
    if (rc == COUNCIL_OK)
        info = council__v1__council_info__unpack(NULL, buf.len, buf.ptr);
    if (info == NULL) {
        failed("init", c, rc == COUNCIL_OK ? COUNCIL_EFORMAT : rc);
        rc = EXIT_FAILURE;
    } else {
        printf("%s\n", info->council_id_text);
        fprintf(stderr, "%s: created council %s in %s\n", prog, info->council_id_text, o->store);
        rc = 0;
    }
    council__v1__council_info__free_unpacked(info, NULL);
    council_buf_free(&buf);
    council_close(c);
    return rc;
}

static void utc_text(char *out, size_t n, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (gmtime_r(&tt, &tm) == NULL || strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, n, "%lld", (long long)t);
}

static const char *root_source_text(Council__V1__RootKeySource s)
{
    switch (s) {
    case COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_PASSPHRASE: return "passphrase";
    case COUNCIL__V1__ROOT_KEY_SOURCE__ROOT_KEY_SOURCE_EXTERNAL: return "external";
    default: return "unknown";
    }
}

static int print_info_json(const Council__V1__CouncilInfo *m, const char *created)
{
    json_t *j = json_object();
    char *text;
    int rc = EXIT_FAILURE;

    if (j == NULL)
        return rc;
    if (json_object_set_new(j, "council_id", json_string(m->council_id_text)) == 0 &&
        json_object_set_new(j, "name", json_string(m->name)) == 0 &&
        json_object_set_new(j, "created", json_string(created)) == 0 &&
        json_object_set_new(j, "schema_version", json_integer(m->schema_version)) == 0 &&
        json_object_set_new(j, "library_version", json_string(m->library_version)) == 0 &&
        json_object_set_new(j, "cipher_version", json_string(m->cipher_version)) == 0 &&
        json_object_set_new(j, "keyring_format", json_integer(m->keyring_format)) == 0 &&
        json_object_set_new(j, "root_key", json_string(root_source_text(m->root_source))) == 0 &&
        json_object_set_new(j, "log_origin", json_string(m->log_origin)) == 0 &&
        json_object_set_new(j, "log_verifier_key", json_string(m->log_verifier_key)) == 0 &&
        (text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) != NULL) {
        printf("%s\n", text);
        free(text);
        rc = 0;
    }
    json_decref(j);
    return rc;
}

static int cmd_info(const opts *o)
{
    Council__V1__CouncilInfo *m = NULL;
    council_buf buf = { NULL, 0 };
    council *c;
    char created[32];
    int rc;

    if ((rc = open_council(o, &c)) != 0)
        return rc;
    rc = council_info(c, &buf);
    if (rc != COUNCIL_OK) {
        rc = failed("info", c, rc);
        goto out;
    }
    m = council__v1__council_info__unpack(NULL, buf.len, buf.ptr);
    if (m == NULL) {
        rc = failed("info", NULL, COUNCIL_EFORMAT);
        goto out;
    }
    utc_text(created, sizeof created, m->created);
    if (o->json) {
        rc = print_info_json(m, created);
    } else {
        printf("council id:         %s\n", m->council_id_text);
        printf("name:               %s\n", m->name);
        printf("created:            %s\n", created);
        printf("schema version:     %u\n", m->schema_version);
        printf("library version:    %s\n", m->library_version);
        printf("sqlcipher version:  %s\n", m->cipher_version);
        printf("keyring format:     %u\n", m->keyring_format);
        printf("root key:           %s\n", root_source_text(m->root_source));
        printf("log origin:         %s\n", m->log_origin);
        printf("log public key:     %s\n", m->log_verifier_key);
        rc = 0;
    }
out:
    council__v1__council_info__free_unpacked(m, NULL);
    council_buf_free(&buf);
    council_close(c);
    return rc;
}

static int cmd_passphrase(const opts *o)
{
    council *c;
    char pass[PASS_BUF], fresh[PASS_BUF];
    long n, m;
    int rc;

    if (o->key_file != NULL)
        return usage("%s", "passphrase: a council opened by root key has no passphrase");
    n = get_passphrase(o->pass_file, "COUNCIL_PASSPHRASE", 0, "Current passphrase: ",
                       pass, sizeof pass);
    if (n == -2)
        return usage("%s", "no passphrase: use --passphrase-file, $COUNCIL_PASSPHRASE "
                           "or a terminal");
    if (n < 0)
        return EXIT_FAILURE;
    m = get_passphrase(o->new_pass_file, "COUNCIL_NEW_PASSPHRASE", 1, "New passphrase: ",
                       fresh, sizeof fresh);
    if (m < 0) {
        wipe(pass, sizeof pass);
        return m == -2 ? usage("%s", "no new passphrase: use --new-passphrase-file, "
                                     "$COUNCIL_NEW_PASSPHRASE or a terminal")
                       : EXIT_FAILURE;
    }
    {
        council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
        oo.passphrase = (const uint8_t *)pass;
        oo.passphrase_len = (size_t)n;
        rc = council_open(&c, o->store, &oo);
    }
    if (rc != COUNCIL_OK) {
        rc = failed("open", c, rc);
    } else {
        rc = council_passphrase_change(c, (const uint8_t *)pass, (size_t)n,
                                       (const uint8_t *)fresh, (size_t)m,
                                       o->kdf_ops, o->kdf_mem);
        rc = rc == COUNCIL_OK ? 0 : failed("passphrase", c, rc);
        if (rc == 0)
            fprintf(stderr, "%s: passphrase changed\n", prog);
    }
    wipe(pass, sizeof pass);
    wipe(fresh, sizeof fresh);
    council_close(c);
    return rc;
}

/* ------------------------------------------------------------ audit log */

/* Read a whole (small) file into a new NUL-terminated buffer. */
static char *slurp(const char *path, size_t cap, size_t *len, const char *what)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *buf;
    size_t n;

    if (f == NULL) {
        fprintf(stderr, "%s: cannot open %s %s: %s\n", prog, what, path, strerror(errno));
        return NULL;
    }
    if (f != stdin)
        (void)setvbuf(f, NULL, _IONBF, 0); /* it may hold a secret key */
    buf = malloc(cap + 1);
    if (buf == NULL) {
        if (f != stdin)
            fclose(f);
        return NULL;
    }
    n = fread(buf, 1, cap + 1, f);
    if (f != stdin)
        fclose(f);
    if (n > cap) {
        fprintf(stderr, "%s: %s %s is too large\n", prog, what, path);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* A verifier key given as text, or as @FILE. Returns a new string. */
static char *vkey_arg(const char *arg)
{
    size_t len;
    char *k;

    if (arg[0] != '@')
        return strdup(arg);
    k = slurp(arg + 1, 1024, &len, "key file");
    if (k != NULL)
        k[strcspn(k, "\r\n")] = '\0';
    return k;
}

/* Unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC). */
static int parse_time(const char *s, int64_t *out)
{
    unsigned long long u;
    int y, mo, d, h = 0, mi = 0, se = 0, n = 0;
    int64_t days;

    if (parse_u64(s, &u) == 0 && strchr(s, '-') == NULL) {
        if (u > INT64_MAX)
            return -1;
        *out = (int64_t)u;
        return 0;
    }
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
        return -1;
    if (s[n] == 'T' && sscanf(s + n, "T%2d:%2d:%2dZ", &h, &mi, &se) == 3 && strlen(s + n) == 10)
        n += 10;
    if (s[n] != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return -1;
    /* days from 1970-01-01 (proleptic Gregorian) */
    y -= mo <= 2;
    {
        int era = (y >= 0 ? y : y - 399) / 400;
        int yoe = y - era * 400;
        int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        days = (int64_t)era * 146097 + doe - 719468;
    }
    *out = days * 86400 + h * 3600 + mi * 60 + se;
    return 0;
}

static const char *action_name(int v)
{
    static char names[64][40];

    return v >= 0 && v < 64 ? enum_name(&council__v1__audit_action__descriptor, "AUDIT_ACTION_",
                                        v, names[v], sizeof names[v])
                            : "unknown";
}

static int action_value(const char *name, int32_t *out)
{
    *out = enum_value(&council__v1__audit_action__descriptor, "AUDIT_ACTION_", name);
    return *out != 0 ? 0 : -1;
}

static void hex_text(char *out, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

static const char *actor_text(const Council__V1__AuditEvent *e, char *buf, size_t n)
{
    char m[33], st[33];

    switch (e->actor_kind) {
    case COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_SYSTEM: return "system";
    case COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT: return "root";
    default:
        break;
    }
    m[0] = st[0] = '\0';
    if (e->has_actor_member && e->actor_member.len == 16)
        hex_text(m, e->actor_member.data, 16);
    if (e->has_actor_staff && e->actor_staff.len == 16)
        hex_text(st, e->actor_staff.data, 16);
    snprintf(buf, n, "%s%s%s", m, st[0] ? "/" : "", st);
    return buf;
}

static json_t *event_json(const Council__V1__AuditEvent *e)
{
    json_t *j = json_object(), *sc = json_array();
    char t[32], hex[65], actor[80];

    utc_text(t, sizeof t, e->time);
    json_object_set_new(j, "seq", json_integer((json_int_t)e->seq));
    json_object_set_new(j, "time", json_string(t));
    json_object_set_new(j, "action", json_string(action_name(e->action)));
    json_object_set_new(j, "actor", json_string(actor_text(e, actor, sizeof actor)));
    json_object_set_new(j, "outcome", json_string(
        e->outcome == COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED ? "refused" : "allowed"));
    if (e->has_subject_member && e->subject_member.len == 16) {
        hex_text(hex, e->subject_member.data, 16);
        json_object_set_new(j, "subject_member", json_string(hex));
    }
    if (e->has_subject_staff && e->subject_staff.len == 16) {
        hex_text(hex, e->subject_staff.data, 16);
        json_object_set_new(j, "subject_staff", json_string(hex));
    }
    if (e->has_case_ref && e->case_ref.len == 32) {
        hex_text(hex, e->case_ref.data, 32);
        json_object_set_new(j, "case", json_string(hex));
    }
    for (size_t i = 0; i < e->n_scopes; i++)
        json_array_append_new(sc, json_string(e->scopes[i]));
    json_object_set_new(j, "scopes", sc);
    if (e->purpose != NULL)
        json_object_set_new(j, "purpose", json_string(e->purpose));
    if (e->basis != NULL)
        json_object_set_new(j, "basis", json_string(e->basis));
    if (e->has_error)
        json_object_set_new(j, "error", json_integer(e->error));
    if (e->reason != NULL)
        json_object_set_new(j, "reason", json_string(e->reason));
    return j;
}

static void event_line(const Council__V1__AuditEvent *e)
{
    char t[32], hex[65], actor[80];

    utc_text(t, sizeof t, e->time);
    printf("%-6llu %s  %-20s %-10s %s", (unsigned long long)e->seq, t, action_name(e->action),
           actor_text(e, actor, sizeof actor),
           e->outcome == COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED ? "refused" : "allowed");
    if (e->has_subject_member && e->subject_member.len == 16) {
        hex_text(hex, e->subject_member.data, 16);
        printf(" member=%s", hex);
    }
    if (e->has_subject_staff && e->subject_staff.len == 16) {
        hex_text(hex, e->subject_staff.data, 16);
        printf(" staff=%s", hex);
    }
    if (e->has_case_ref && e->case_ref.len == 32) {
        hex_text(hex, e->case_ref.data, 32);
        printf(" case=%.16s", hex);
    }
    for (size_t i = 0; i < e->n_scopes; i++)
        printf("%s%s", i == 0 ? " scopes=" : ",", e->scopes[i]);
    if (e->purpose != NULL)
        printf(" purpose=%s", e->purpose);
    if (e->basis != NULL)
        printf(" basis=%s", e->basis);
    if (e->has_error)
        printf(" error=%d", e->error);
    if (e->reason != NULL)
        printf(" reason=%s", e->reason);
    putchar('\n');
}

static int cmd_audit_show(const opts *o)
{
    council_audit_filter f = COUNCIL_AUDIT_FILTER_INIT;
    uint8_t member[16], ref[32];
    unsigned long long u;
    json_t *arr = NULL;
    council *c;
    int rc;

    if (o->since != NULL && parse_time(o->since, &f.since) != 0)
        return usage("--since: not a time: '%s'", o->since);
    if (o->until != NULL && parse_time(o->until, &f.until) != 0)
        return usage("--until: not a time: '%s'", o->until);
    if (o->action != NULL && action_value(o->action, &f.action) != 0)
        return usage("--action: unknown action '%s'", o->action);
    if (o->actor != NULL) {
        if (uuid_bytes(o->actor, member) != 0)
            return usage("--actor: not a member id: '%s'", o->actor);
        f.actor_member = member;
        f.actor_member_len = 16;
    }
    if (o->case_ref != NULL) {
        if (hex_bytes(o->case_ref, ref, 32) != 0)
            return usage("--case: not a 64-digit case pseudonym: '%s'", o->case_ref);
        f.case_ref = ref;
        f.case_ref_len = 32;
    }
    if (o->from != NULL) {
        if (parse_u64(o->from, &u) != 0)
            return usage("--from: not a number: '%s'", o->from);
        f.from_seq = u;
    }
    if (o->limit != NULL) {
        if (parse_u64(o->limit, &u) != 0 || u == 0 || u > COUNCIL_AUDIT_LIST_MAX)
            return usage("--limit: a number from 1 to %d", COUNCIL_AUDIT_LIST_MAX);
        f.limit = (uint32_t)u;
    }
    if ((rc = open_council(o, &c)) != 0)
        return rc;
    if (o->json)
        arr = json_array();
    for (;;) {
        Council__V1__AuditEventList *l;
        council_buf buf = { NULL, 0 };
        size_t got;

        rc = council_audit_list(c, &buf, &f);
        if (rc != COUNCIL_OK) {
            rc = failed("audit show", c, rc);
            break;
        }
        l = council__v1__audit_event_list__unpack(NULL, buf.len, buf.ptr);
        council_buf_free(&buf);
        if (l == NULL) {
            rc = failed("audit show", NULL, COUNCIL_EFORMAT);
            break;
        }
        for (size_t i = 0; i < l->n_events; i++) {
            if (arr != NULL)
                json_array_append_new(arr, event_json(l->events[i]));
            else
                event_line(l->events[i]);
        }
        got = l->n_events;
        f.from_seq = l->next_seq;
        council__v1__audit_event_list__free_unpacked(l, NULL);
        rc = 0;
        if (o->limit != NULL || got == 0 || got < (f.limit == 0 ? 1000 : f.limit))
            break;
    }
    if (arr != NULL) {
        if (rc == 0) {
            char *text = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            if (text != NULL) {
                printf("%s\n", text);
                free(text);
            } else {
                rc = EXIT_FAILURE;
            }
        }
        json_decref(arr);
    }
    council_close(c);
    return rc;
}

static int print_buf_and_close(council *c, council_buf *buf, int rc, const char *op)
{
    if (rc != COUNCIL_OK) {
        rc = failed(op, c, rc);
    } else {
        rc = fwrite(buf->ptr, 1, buf->len, stdout) == buf->len ? 0 : EXIT_FAILURE;
    }
    council_buf_free(buf);
    council_close(c);
    return rc;
}

static int cmd_audit_checkpoint(const opts *o)
{
    council_buf buf = { NULL, 0 };
    council *c;
    int rc;

    if ((rc = open_council(o, &c)) != 0)
        return rc;
    return print_buf_and_close(c, &buf, council_audit_checkpoint(c, &buf), "audit checkpoint");
}

static int cmd_audit_head_reset(const opts *o)
{
    council *c;
    int rc;

    if (o->reason == NULL)
        return usage("%s", "audit reset-head --reason CODE (for example restored_from_backup)");
    if ((rc = open_council(o, &c)) != 0)
        return rc;
    rc = council_audit_head_reset(c, o->reason);
    rc = rc == COUNCIL_OK ? 0 : failed("audit reset-head", c, rc);
    if (rc == 0)
        fprintf(stderr, "%s: the log as it is now is the signer's head; checkpoints signed before "
                "may not be consistent with the next one (witnesses will see it)\n", prog);
    council_close(c);
    return rc;
}

static int cmd_audit_export(const opts *o)
{
    council *c;
    int rc;

    if (o->out == NULL)
        return usage("%s", "audit export needs --out FILE");
    if ((rc = open_council(o, &c)) != 0)
        return rc;
    rc = council_audit_export(c, o->out);
    rc = rc == COUNCIL_OK ? 0 : failed("audit export", c, rc);
    if (rc == 0)
        fprintf(stderr, "%s: audit export written to %s\n", prog, o->out);
    council_close(c);
    return rc;
}

static int cmd_audit_prove(const opts *o)
{
    unsigned long long a = 0, b = 0;
    council_buf buf = { NULL, 0 };
    council *c;
    int rc;

    if ((o->index != NULL) == (o->from != NULL))
        return usage("%s", "audit prove needs --index I or --from M");
    if (o->index != NULL && (parse_u64(o->index, &a) != 0 ||
                             (o->size != NULL && parse_u64(o->size, &b) != 0) || o->to != NULL))
        return usage("%s", "audit prove --index I [--size N]: whole numbers");
    if (o->from != NULL && (parse_u64(o->from, &a) != 0 ||
                            (o->to != NULL && parse_u64(o->to, &b) != 0) || o->size != NULL))
        return usage("%s", "audit prove --from M [--to N]: whole numbers");
    if ((rc = open_council(o, &c)) != 0)
        return rc;
    rc = o->index != NULL ? council_audit_prove_inclusion(c, &buf, a, b)
                          : council_audit_prove_consistency(c, &buf, a, b);
    return print_buf_and_close(c, &buf, rc, "audit prove");
}

static int cmd_audit_verify(const opts *o, const char *file)
{
    council_audit_verify_options vo = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    Council__V1__AuditVerifyReport *r = NULL;
    council_buf rep = { NULL, 0 };
    char *key = NULL, *wk[MAX_WITNESSES] = { NULL }, *old = NULL, *text = NULL, *cp = NULL;
    size_t old_len = 0, text_len = 0, cp_len = 0;
    unsigned long long req = 0;
    char head[8] = { 0 }, kind;
    FILE *f;
    int rc = EXIT_FAILURE;

    if (file == NULL || o->key == NULL)
        return usage("%s", "audit verify FILE --key VKEY");
    if (o->require != NULL && (parse_u64(o->require, &req) != 0 || req > o->n_witness))
        return usage("%s", "--require K: at most the number of --witness keys");
    key = vkey_arg(o->key);
    for (size_t i = 0; i < o->n_witness; i++)
        wk[i] = vkey_arg(o->witness[i]);
    if (key == NULL)
        goto out;
    for (size_t i = 0; i < o->n_witness; i++)
        if (wk[i] == NULL)
            goto out;
    if (o->old_file != NULL && (old = slurp(o->old_file, 16384, &old_len, "checkpoint")) == NULL)
        goto out;
    vo.log_vkey = key;
    vo.witness_vkeys = (const char *const *)wk;
    vo.n_witnesses = o->n_witness;
    vo.required = (size_t)req;
    vo.known_checkpoint = old;
    vo.known_checkpoint_len = old_len;

    f = fopen(file, "rb");
    if (f == NULL) {
        fprintf(stderr, "%s: cannot open %s: %s\n", prog, file, strerror(errno));
        goto out;
    }
    if (fread(head, 1, sizeof head, f) != sizeof head)
        head[0] = 0;
    fclose(f);
    if ((unsigned char)head[0] == 0x89 && memcmp(head + 1, "CAX", 3) == 0) {
        kind = 'e';
        rc = council_audit_verify_export(&rep, file, &vo);
    } else {
        if ((text = slurp(file, 16384, &text_len, "file")) == NULL)
            goto out;
        kind = strncmp(text, "inclusion-proof/v1\n", 19) == 0 ||
               strncmp(text, "consistency-proof/v1\n", 21) == 0 ? 'p' : 'c';
        if (kind == 'p') {
            if (o->checkpoint_file == NULL) {
                rc = usage("%s", "verifying a proof needs --checkpoint FILE");
                goto out;
            }
            if ((cp = slurp(o->checkpoint_file, 16384, &cp_len, "checkpoint")) == NULL)
                goto out;
            rc = council_audit_verify_proof(&rep, text, text_len, cp, cp_len, &vo);
        } else {
            rc = council_audit_verify_checkpoint(&rep, text, text_len, &vo);
        }
    }
    if (rep.ptr != NULL)
        r = council__v1__audit_verify_report__unpack(NULL, rep.len, rep.ptr);
    if (rc == COUNCIL_OK && r != NULL) {
        char root[65] = "-";
        if (r->has_root_hash && r->root_hash.len == 32)
            hex_text(root, r->root_hash.data, 32);
        if (kind == 'e')
            printf("verified: %llu events, %u checkpoints, tree size %llu, root (hex) %s, "
                   "at most %u cosignatures on a checkpoint\n", (unsigned long long)r->events,
                   r->checkpoints, (unsigned long long)r->tree_size, root, r->cosignatures);
        else if (kind == 'p')
            printf("verified proof: against the checkpoint of tree size %llu, root (hex) %s\n",
                   (unsigned long long)r->tree_size, root);
        else
            printf("verified checkpoint: tree size %llu, root (hex) %s, %u cosignatures\n",
                   (unsigned long long)r->tree_size, root, r->cosignatures);
        /* An export proves itself whole and signed, not that nothing was
         * rolled back: only a checkpoint kept from before, or witnesses,
         * can say that. */
        if (kind == 'e' && old == NULL)
            fprintf(stderr, "%s: note: without --old, this does not show that the log was not "
                    "rolled back; keep a checkpoint (audit checkpoint) and verify the next export "
                    "against it with --old FILE\n", prog);
        if (kind != 'p' && req == 0)
            fprintf(stderr, "%s: note: no witness was required; with --witness VKEY --require K "
                    "a rollback of the whole store is caught too\n", prog);
        rc = 0;
    } else if (rc != EXIT_USAGE) {
        fprintf(stderr, "%s: audit verify: %s (%s)\n", prog,
                r != NULL ? r->message : "no report", council_errstr(rc));
        if (r != NULL && r->first_bad_event >= 0)
            fprintf(stderr, "%s: first bad event: %lld\n", prog, (long long)r->first_bad_event);
        rc = EXIT_FAILURE;
    }
out:
    council__v1__audit_verify_report__free_unpacked(r, NULL);
    council_buf_free(&rep);
    free(key);
    free(old);
    free(text);
    free(cp);
    for (size_t i = 0; i < o->n_witness; i++)
        free(wk[i]);
    return rc;
}

static int cmd_audit_cosigned(const opts *o, const char *file)
{
    size_t len;
    council *c;
    char *note;
    int rc;

    if (file == NULL)
        return usage("%s", "audit add-cosignatures FILE");
    if ((note = slurp(file, 16384, &len, "checkpoint")) == NULL)
        return EXIT_FAILURE;
    if ((rc = open_council(o, &c)) != 0) {
        free(note);
        return rc;
    }
    rc = council_audit_add_cosignatures(c, note, len);
    rc = rc == COUNCIL_OK ? 0 : failed("audit add-cosignatures", c, rc);
    if (rc == 0)
        fprintf(stderr, "%s: cosignatures stored; later exports carry them\n", prog);
    free(note);
    council_close(c);
    return rc;
}

static int cmd_audit_witness(const opts *o)
{
    char *old_note = NULL, *new_note = NULL, *proof = NULL, *key = NULL, *sk_hex = NULL;
    size_t old_len = 0, new_len = 0, proof_len = 0, sk_len = 0;
    council_buf out = { NULL, 0 };
    uint8_t sk[64];
    int rc = EXIT_FAILURE;

    if (o->old_file == NULL || o->new_file == NULL || o->key == NULL ||
        o->witness_key == NULL || o->name == NULL)
        return usage("%s", "audit witness --old FILE --new FILE [--proof FILE] --key VKEY "
                           "--witness-key FILE --name NAME");
    if ((old_note = slurp(o->old_file, 16384, &old_len, "checkpoint")) == NULL ||
        (new_note = slurp(o->new_file, 16384, &new_len, "checkpoint")) == NULL ||
        (o->proof_file != NULL &&
         (proof = slurp(o->proof_file, 16384, &proof_len, "proof")) == NULL) ||
        (key = vkey_arg(o->key)) == NULL ||
        (sk_hex = slurp(o->witness_key, 256, &sk_len, "witness key")) == NULL)
        goto out;
    if (witness_key_text(sk, sk_hex, sk_len) != 0) {
        fprintf(stderr, "%s: the witness key file must hold 128 hex digits\n", prog);
        goto out;
    }
    rc = council_audit_witness(&out, old_note, old_len, new_note, new_len, proof, proof_len, key,
                               o->name, sk, sizeof sk, (uint64_t)time(NULL));
    if (rc == COUNCIL_OK) {
        rc = fwrite(out.ptr, 1, out.len, stdout) == out.len ? 0 : EXIT_FAILURE;
    } else {
        fprintf(stderr, "%s: audit witness: %s\n", prog,
                rc == COUNCIL_ETAMPER ? "the new checkpoint is not consistent with the old one "
                                        "(or a signature does not verify)"
                : rc == COUNCIL_EINVAL && o->proof_file == NULL
                    ? "the sizes differ: a consistency proof is needed (--proof FILE)"
                    : council_errstr(rc));
        rc = EXIT_FAILURE;
    }
out:
    wipe(sk, sizeof sk);
    if (sk_hex != NULL)
        wipe(sk_hex, sk_len);
    free(sk_hex);
    free(old_note);
    free(new_note);
    free(proof);
    free(key);
    council_buf_free(&out);
    return rc;
}

static int cmd_audit_keygen(const opts *o)
{
    council_buf sk = { NULL, 0 }, vk = { NULL, 0 };
    char hex[130];
    int fd, rc;

    if (o->name == NULL || o->out == NULL)
        return usage("%s", "audit witness-keygen --name NAME --out FILE");
    rc = council_witness_keygen(&sk, &vk, o->name);
    if (rc != COUNCIL_OK)
        return rc == COUNCIL_EINVAL ? usage("--name: not a key name: '%s'", o->name)
                                    : failed("audit witness-keygen", NULL, rc);
    if ((fd = create_private(o->out)) < 0) {
        rc = EXIT_FAILURE;
    } else {
        hex_text(hex, sk.ptr, 64);
        hex[128] = '\n';
        rc = finish_private(fd, hex, 129) == 0 ? 0 : EXIT_FAILURE;
        wipe(hex, sizeof hex);
        if (rc == 0)
            printf("%.*s\n", (int)vk.len, (const char *)vk.ptr);
        else
            fprintf(stderr, "%s: cannot write %s: %s\n", prog, o->out, strerror(errno));
    }
    council_buf_free(&sk);
    council_buf_free(&vk);
    return rc;
}

/* --------------------------------------------------------------- members */

static int member_id_arg(const char *text, uint8_t id[COUNCIL_ID_BYTES])
{
    return text != NULL && uuid_bytes(text, id) == 0 ? 0 : -1;
}

/* Split "a,b,c" into up to `cap` pointers into `buf` (a copy). */
static int split_list(const char *text, char *buf, size_t buf_len, const char **out, size_t cap,
                      size_t *n)
{
    char *save = NULL, *tok;

    *n = 0;
    if (strlen(text) >= buf_len)
        return -1;
    strcpy(buf, text);
    for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        if (*n >= cap)
            return -1;
        out[(*n)++] = tok;
    }
    return 0;
}

static int parse_roles(const char *text, uint32_t *roles)
{
    const char *v[4];
    char buf[128];
    size_t n;

    *roles = 0;
    if (split_list(text, buf, sizeof buf, v, 4, &n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i], "secretariat") == 0)
            *roles |= COUNCIL_ROLE_SECRETARIAT;
        else if (strcmp(v[i], "coordinating_body") == 0)
            *roles |= COUNCIL_ROLE_COORDINATING_BODY;
        else if (strcmp(v[i], "none") != 0)
            return -1;
    }
    return 0;
}

static const char *kind_name(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__member_kind__descriptor, "MEMBER_KIND_", v, buf, n);
}

static Council__V1__Member *fetch_member(council *c, const uint8_t id[COUNCIL_ID_BYTES], int *rc)
{
    council_buf buf = { NULL, 0 };
    Council__V1__Member *m = NULL;

    *rc = council_member_get(c, &buf, id, COUNCIL_ID_BYTES);
    if (*rc == COUNCIL_OK && (m = council__v1__member__unpack(NULL, buf.len, buf.ptr)) == NULL)
        *rc = COUNCIL_EFORMAT;
    council_buf_free(&buf);
    return m;
}

/* Fill options from the command line over `base` (NULL: a new member). */
static int member_options(const opts *o, const Council__V1__Member *base,
                          council_member_options *mo, const char **scopes, char *scope_buf,
                          size_t scope_buf_len)
{
    if (base != NULL) {
        mo->name = base->name;
        mo->kind = base->kind;
        mo->roles = (base->secretariat ? COUNCIL_ROLE_SECRETARIAT : 0) |
                    (base->coordinating_body ? COUNCIL_ROLE_COORDINATING_BODY : 0);
        mo->scopes = (const char *const *)base->scope_ceiling;
        mo->n_scopes = base->n_scope_ceiling;
        mo->contact = base->contact;
    }
    if (o->name != NULL)
        mo->name = o->name;
    if (o->kind != NULL &&
        (mo->kind = enum_value(&council__v1__member_kind__descriptor, "MEMBER_KIND_", o->kind)) == 0)
        return usage("--kind: unknown kind '%s'", o->kind);
    if (o->roles != NULL && parse_roles(o->roles, &mo->roles) != 0)
        return usage("--roles: secretariat, coordinating_body or none, not '%s'", o->roles);
    if (o->scopes != NULL) {
        if (split_list(o->scopes, scope_buf, scope_buf_len, scopes, MAX_SCOPES, &mo->n_scopes) != 0)
            return usage("--scopes: at most %d, comma-separated", MAX_SCOPES);
        mo->scopes = scopes;
    }
    if (o->contact != NULL)
        mo->contact = o->contact[0] != '\0' ? o->contact : NULL;
    if (o->joined != NULL && parse_time(o->joined, &mo->joined) != 0)
        return usage("--joined: not a time: '%s'", o->joined);
    return 0;
}

static json_t *member_json(const Council__V1__Member *m)
{
    json_t *j = json_object(), *sc = json_array();
    char kind[48], t[32], hex[65];

    json_object_set_new(j, "id", json_string(m->id_text));
    json_object_set_new(j, "name", json_string(m->name));
    json_object_set_new(j, "kind", json_string(kind_name(m->kind, kind, sizeof kind)));
    json_object_set_new(j, "secretariat", json_boolean(m->secretariat));
    json_object_set_new(j, "coordinating_body", json_boolean(m->coordinating_body));
    for (size_t i = 0; i < m->n_scope_ceiling; i++)
        json_array_append_new(sc, json_string(m->scope_ceiling[i]));
    json_object_set_new(j, "scope_ceiling", sc);
    if (m->contact != NULL)
        json_object_set_new(j, "contact", json_string(m->contact));
    utc_text(t, sizeof t, m->joined);
    json_object_set_new(j, "joined", json_string(t));
    json_object_set_new(j, "status", json_string(
        m->status == COUNCIL__V1__MEMBER_STATUS__MEMBER_STATUS_WITHDRAWN ? "withdrawn" : "active"));
    if (m->has_withdrawn) {
        utc_text(t, sizeof t, m->withdrawn);
        json_object_set_new(j, "withdrawn", json_string(t));
        json_object_set_new(j, "withdrawal_reason", json_string(m->withdrawal_reason));
    }
    if (m->has_box_public_key && m->box_public_key.len == 32) {
        hex_text(hex, m->box_public_key.data, 32);
        json_object_set_new(j, "box_public_key", json_string(hex));
        hex_text(hex, m->sign_public_key.data, 32);
        json_object_set_new(j, "sign_public_key", json_string(hex));
    }
    if (m->cosigner_key != NULL)
        json_object_set_new(j, "cosigner_key", json_string(m->cosigner_key));
    return j;
}

static int print_json(json_t *j)
{
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    int rc = text != NULL && printf("%s\n", text) > 0 ? 0 : EXIT_FAILURE;

    free(text);
    json_decref(j);
    return rc;
}

static void member_lines(const Council__V1__Member *m)
{
    char kind[48], t[32], hex[65];

    printf("id:                 %s\n", m->id_text);
    printf("name:               %s\n", m->name);
    printf("kind:               %s\n", kind_name(m->kind, kind, sizeof kind));
    printf("roles:              %s%s%s\n", m->secretariat ? "secretariat" : "",
           m->secretariat && m->coordinating_body ? "," : "",
           m->coordinating_body ? "coordinating_body" : (m->secretariat ? "" : "-"));
    printf("scope ceiling:      ");
    for (size_t i = 0; i < m->n_scope_ceiling; i++)
        printf("%s%s", i ? "," : "", m->scope_ceiling[i]);
    printf("%s\n", m->n_scope_ceiling == 0 ? "-" : "");
    printf("contact:            %s\n", m->contact != NULL ? m->contact : "-");
    utc_text(t, sizeof t, m->joined);
    printf("joined:             %s\n", t);
    printf("status:             %s\n",
           m->status == COUNCIL__V1__MEMBER_STATUS__MEMBER_STATUS_WITHDRAWN ? "withdrawn" : "active");
    if (m->has_withdrawn) {
        utc_text(t, sizeof t, m->withdrawn);
        printf("withdrawn:          %s (%s)\n", t, m->withdrawal_reason);
    }
    if (m->has_box_public_key && m->box_public_key.len == 32) {
        hex_text(hex, m->box_public_key.data, 32);
        printf("box public key:     %s\n", hex);
        hex_text(hex, m->sign_public_key.data, 32);
        printf("sign public key:    %s\n", hex);
    } else {
        printf("keys:               none registered\n");
    }
    if (m->cosigner_key != NULL)
        printf("cosigner key:       %s\n", m->cosigner_key);
}

static int cmd_member(const opts *o, cmdmask cmd, const char *id_text)
{
    const char *scopes[MAX_SCOPES];
    char scope_buf[MAX_SCOPES * 65 + 1];
    council_member_options mo = COUNCIL_MEMBER_OPTIONS_INIT;
    Council__V1__Member *m = NULL;
    council_buf buf = { NULL, 0 };
    uint8_t id[COUNCIL_ID_BYTES];
    council *c = NULL;
    int rc;

    if ((cmd & (C_MSHOW | C_MUPDATE | C_MWITHDRAW | C_MKEYGEN | C_MREGISTER)) != 0 &&
        member_id_arg(id_text, id) != 0)
        return usage("%s", "a member id (UUID) is needed");
    if (cmd == C_MADD) {
        if (o->name == NULL || o->kind == NULL)
            return usage("%s", "member add needs --name NAME and --kind KIND");
        if ((rc = member_options(o, NULL, &mo, scopes, scope_buf, sizeof scope_buf)) != 0)
            return rc;
    }
    if (cmd == C_MWITHDRAW && o->reason == NULL)
        return usage("%s", "member withdraw needs --reason TEXT");
    if (cmd == C_MKEYGEN && o->out == NULL)
        return usage("%s", "member keygen needs --out FILE");
    if (cmd == C_MREGISTER && (o->box_key == NULL || o->sign_key == NULL))
        return usage("%s", "member register-key needs --box-key HEX and --sign-key HEX");
    if ((rc = open_council(o, &c)) != 0)
        return rc;

    switch (cmd) {
    case C_MADD:
        rc = council_member_add(c, id, sizeof id, &mo);
        if (rc == COUNCIL_OK) {
            char text[37];
            snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                     "%02x%02x%02x%02x%02x%02x", id[0], id[1], id[2], id[3], id[4], id[5], id[6],
                     id[7], id[8], id[9], id[10], id[11], id[12], id[13], id[14], id[15]);
            printf("%s\n", text);
        }
        break;
    case C_MUPDATE:
        if ((m = fetch_member(c, id, &rc)) == NULL)
            break;
        if ((rc = member_options(o, m, &mo, scopes, scope_buf, sizeof scope_buf)) != 0) {
            council__v1__member__free_unpacked(m, NULL);
            council_close(c);
            return rc;
        }
        rc = council_member_update(c, id, sizeof id, &mo);
        break;
    case C_MWITHDRAW: {
        int64_t when = 0;
        if (o->date != NULL && parse_time(o->date, &when) != 0) {
            council_close(c);
            return usage("--date: not a time: '%s'", o->date);
        }
        rc = council_member_withdraw(c, id, sizeof id, when, o->reason);
        /* Then the database key the member knew is replaced (this ends
         * other open sessions, which a one-shot command does not have). */
        if (rc == COUNCIL_OK && (rc = council_rekey_database(c)) == COUNCIL_OK)
            fprintf(stderr, "council-cli: member withdrawn; its data keys were rotated and "
                            "council.db re-keyed\n");
        break;
    }
    case C_MREGISTER: {
        uint8_t box[32], sign[32];
        if (hex_bytes(o->box_key, box, 32) != 0 || hex_bytes(o->sign_key, sign, 32) != 0) {
            council_close(c);
            return usage("%s", "--box-key and --sign-key take 64 hex digits each");
        }
        rc = council_member_register_key(c, id, sizeof id, box, 32, sign, 32);
        break;
    }
    case C_MKEYGEN: {
        char pass[PASS_BUF];
        struct stat sb;
        long n;
        /* The library writes the keyfile durably before the new keys
         * replace the registered ones (a crash keeps the old ones valid);
         * an existing FILE is refused before the passphrase is asked. */
        if (lstat(o->out, &sb) == 0) {
            fprintf(stderr, "%s: cannot create %s: %s\n", prog, o->out, strerror(EEXIST));
            council_close(c);
            return EXIT_FAILURE;
        }
        n = get_passphrase(o->member_pass_file, "COUNCIL_MEMBER_PASSPHRASE", 1,
                           "Member passphrase: ", pass, sizeof pass);
        if (n < 0) {
            council_close(c);
            return n == -2 ? usage("%s", "no member passphrase: use --member-passphrase-file, "
                                         "$COUNCIL_MEMBER_PASSPHRASE or a terminal")
                           : EXIT_FAILURE;
        }
        rc = council_member_keygen_file(c, o->out, id, sizeof id, (const uint8_t *)pass,
                                        (size_t)n, o->kdf_ops, o->kdf_mem);
        wipe(pass, sizeof pass);
        if (rc == COUNCIL_OK)
            fprintf(stderr, "%s: member keyfile written to %s\n", prog, o->out);
        break;
    }
    case C_MSHOW:
        if ((m = fetch_member(c, id, &rc)) != NULL) {
            if (o->json)
                rc = print_json(member_json(m)) == 0 ? COUNCIL_OK : COUNCIL_ERROR;
            else
                member_lines(m);
        }
        break;
    case C_MLIST: {
        Council__V1__MemberList *l = NULL;
        rc = council_member_list(c, &buf);
        if (rc == COUNCIL_OK && (l = council__v1__member_list__unpack(NULL, buf.len, buf.ptr)) == NULL)
            rc = COUNCIL_EFORMAT;
        if (rc == COUNCIL_OK && o->json) {
            json_t *arr = json_array();
            for (size_t i = 0; i < l->n_members; i++)
                json_array_append_new(arr, member_json(l->members[i]));
            rc = print_json(arr) == 0 ? COUNCIL_OK : COUNCIL_ERROR;
        } else if (rc == COUNCIL_OK) {
            printf("%-36s  %-9s  %-26s  %-4s  %s\n", "ID", "STATUS", "KIND", "ROLE", "NAME");
            for (size_t i = 0; i < l->n_members; i++) {
                const Council__V1__Member *e = l->members[i];
                char kind[48];
                printf("%-36s  %-9s  %-26s  %-4s  %s\n", e->id_text,
                       e->status == COUNCIL__V1__MEMBER_STATUS__MEMBER_STATUS_WITHDRAWN ? "withdrawn"
                                                                                        : "active",
                       kind_name(e->kind, kind, sizeof kind),
                       e->coordinating_body ? "CB" : e->secretariat ? "S" : "-", e->name);
            }
        }
        council__v1__member_list__free_unpacked(l, NULL);
        break;
    }
    default: { /* C_ANNOUNCE */
        Council__V1__Announcement *a = NULL;
        rc = council_members_announce(c, &buf);
        if (rc == COUNCIL_OK && (a = council__v1__announcement__unpack(NULL, buf.len, buf.ptr)) == NULL)
            rc = COUNCIL_EFORMAT;
        if (rc == COUNCIL_OK && o->json) {
            json_t *j = json_object(), *arr = json_array();
            json_object_set_new(j, "council", json_string(a->council_name));
            json_object_set_new(j, "coordinating_body",
                                a->coordinating_body ? json_string(a->coordinating_body) : json_null());
            for (size_t i = 0; i < a->n_members; i++)
                json_array_append_new(arr, json_string(a->members[i]));
            json_object_set_new(j, "members", arr);
            rc = print_json(j) == 0 ? COUNCIL_OK : COUNCIL_ERROR;
        } else if (rc == COUNCIL_OK) {
            printf("%s\n", a->council_name);
            printf("調整機関 (coordinating body): %s\n",
                   a->coordinating_body ? a->coordinating_body : "-");
            printf("構成機関等 (members):\n");
            for (size_t i = 0; i < a->n_members; i++)
                printf("  %s\n", a->members[i]);
        }
        council__v1__announcement__free_unpacked(a, NULL);
        break;
    }
    }
    if (m != NULL)
        council__v1__member__free_unpacked(m, NULL);
    council_buf_free(&buf);
    rc = rc == COUNCIL_OK ? 0 : rc > 0 ? rc : failed("member", c, rc);
    council_close(c);
    return rc;
}

/* ----------------------------------------------------------------- staff */

static void uuid_text_of(char out[37], const uint8_t id[16])
{
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7], id[8], id[9], id[10], id[11],
             id[12], id[13], id[14], id[15]);
}

static int cmd_staff(const opts *o, cmdmask cmd, const char *id_text)
{
    uint8_t id[COUNCIL_ID_BYTES], member[COUNCIL_ID_BYTES];
    council_buf buf = { NULL, 0 };
    council *c = NULL;
    char *text = NULL;
    size_t text_len = 0;
    int64_t when = 0;
    int rc;

    if ((cmd & (C_SPLEDGE | C_SRETIRE)) != 0 && member_id_arg(id_text, id) != 0)
        return usage("%s", "a staff id (UUID) is needed");
    if (cmd == C_SADD && (o->member == NULL || o->name == NULL))
        return usage("%s", "staff add needs --member ID and --name NAME");
    if (o->member != NULL && member_id_arg(o->member, member) != 0)
        return usage("%s", "--member needs a member id (UUID)");
    if (cmd == C_SPLEDGE && (o->text_version == NULL || o->text_file == NULL))
        return usage("%s", "staff pledge needs --text-version V and --text-file FILE");
    if (cmd == C_SRETIRE && o->reason == NULL)
        return usage("%s", "staff retire needs --reason TEXT");
    if (o->date != NULL && parse_time(o->date, &when) != 0)
        return usage("--date: not a time: '%s'", o->date);
    if (cmd == C_SPLEDGE &&
        (text = slurp(o->text_file, COUNCIL_PLEDGE_TEXT_MAX, &text_len, "pledge text")) == NULL)
        return EXIT_FAILURE;
    if ((rc = open_council(o, &c)) != 0) {
        free(text);
        return rc;
    }
    switch (cmd) {
    case C_SADD:
        rc = council_staff_add(c, id, sizeof id, member, sizeof member, o->name, o->role);
        if (rc == COUNCIL_OK) {
            char t[37];
            uuid_text_of(t, id);
            printf("%s\n", t);
        }
        break;
    case C_SPLEDGE:
        rc = council_staff_pledge(c, id, sizeof id, when, o->text_version, (const uint8_t *)text,
                                  text_len, o->witness_name);
        break;
    case C_SRETIRE:
        rc = council_staff_retire(c, id, sizeof id, when, o->reason);
        break;
    default: { /* C_SLIST */
        Council__V1__StaffList *l = NULL;
        rc = council_staff_list(c, &buf, o->member != NULL ? member : NULL,
                                o->member != NULL ? sizeof member : 0);
        if (rc == COUNCIL_OK && (l = council__v1__staff_list__unpack(NULL, buf.len, buf.ptr)) == NULL)
            rc = COUNCIL_EFORMAT;
        if (rc == COUNCIL_OK && o->json) {
            json_t *arr = json_array();
            for (size_t i = 0; i < l->n_staff; i++) {
                const Council__V1__Staff *s = l->staff[i];
                json_t *j = json_object(), *pl = json_array();
                char m[37], t[32], hex[65];
                uuid_text_of(m, s->member_id.data);
                json_object_set_new(j, "id", json_string(s->id_text));
                json_object_set_new(j, "member", json_string(m));
                json_object_set_new(j, "name", json_string(s->display_name));
                if (s->role != NULL)
                    json_object_set_new(j, "role", json_string(s->role));
                json_object_set_new(j, "status", json_string(
                    s->status == COUNCIL__V1__STAFF_STATUS__STAFF_STATUS_RETIRED ? "retired" : "active"));
                if (s->has_retired) {
                    utc_text(t, sizeof t, s->retired);
                    json_object_set_new(j, "retired", json_string(t));
                    json_object_set_new(j, "retirement_reason", json_string(s->retirement_reason));
                }
                for (size_t k = 0; k < s->n_pledges; k++) {
                    json_t *p = json_object();
                    utc_text(t, sizeof t, s->pledges[k]->pledged);
                    hex_text(hex, s->pledges[k]->text_sha256.data, 32);
                    json_object_set_new(p, "pledged", json_string(t));
                    json_object_set_new(p, "text_version", json_string(s->pledges[k]->text_version));
                    json_object_set_new(p, "text_sha256", json_string(hex));
                    if (s->pledges[k]->witness != NULL)
                        json_object_set_new(p, "witness", json_string(s->pledges[k]->witness));
                    json_array_append_new(pl, p);
                }
                json_object_set_new(j, "pledges", pl);
                json_array_append_new(arr, j);
            }
            rc = print_json(arr) == 0 ? COUNCIL_OK : COUNCIL_ERROR;
        } else if (rc == COUNCIL_OK) {
            printf("%-36s  %-7s  %-7s  %-36s  %s\n", "ID", "STATUS", "PLEDGED", "MEMBER", "NAME");
            for (size_t i = 0; i < l->n_staff; i++) {
                const Council__V1__Staff *s = l->staff[i];
                char m[37];
                uuid_text_of(m, s->member_id.data);
                printf("%-36s  %-7s  %-7s  %-36s  %s\n", s->id_text,
                       s->status == COUNCIL__V1__STAFF_STATUS__STAFF_STATUS_RETIRED ? "retired" : "active",
                       s->n_pledges > 0 ? "yes" : "no", m, s->display_name);
            }
        }
        council__v1__staff_list__free_unpacked(l, NULL);
        break;
    }
    }
    free(text);
    council_buf_free(&buf);
    rc = rc == COUNCIL_OK ? 0 : rc > 0 ? rc : failed("staff", c, rc);
    council_close(c);
    return rc;
}

/* ----------------------------------------------------------------- cases */

static void *pb_alloc(void *data, size_t n)
{
    (void)data;
    return malloc(n == 0 ? 1 : n);
}

static void pb_free(void *data, void *p)
{
    (void)data;
    wiping_free(p);
}

static ProtobufCAllocator wiping_allocator = { pb_alloc, pb_free, NULL };

/* Print JSON that may hold case content; the text is wiped after. */
static int print_json_wiped(json_t *j)
{
    char *text = j != NULL ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    int rc = text != NULL && printf("%s\n", text) > 0 ? 0 : EXIT_FAILURE;

    wiping_free(text);
    json_decref(j);
    return rc;
}

/* A 16-byte id from a message as UUID text, or "-". */
static const char *id_of(char out[37], ProtobufCBinaryData b)
{
    if (b.len != COUNCIL_ID_BYTES || b.data == NULL)
        snprintf(out, 37, "-");
    else
        uuid_text_of(out, b.data);
    return out;
}

static json_t *id_json(ProtobufCBinaryData b)
{
    char t[37];

    return b.len == COUNCIL_ID_BYTES ? json_string(id_of(t, b)) : json_null();
}

static json_t *time_json(int64_t when)
{
    char t[32];

    utc_text(t, sizeof t, when);
    return json_string(t);
}

static const char *status_name(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__case_status__descriptor, "CASE_STATUS_", v, buf, n);
}

static const char *body_name(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__case_body__descriptor, "CASE_BODY_", v, buf, n);
}

static const char *person_role_name(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__person_role__descriptor, "PERSON_ROLE_", v, buf, n);
}

static const char *task_state_name(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__task_state__descriptor, "TASK_STATE_", v, buf, n);
}

/* Read section content from FILE, or "-" for standard input, with read(2):
 * no stdio buffer keeps a copy. At most `cap` bytes. */
static char *read_content(const char *path, size_t cap, size_t *len)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    size_t n = 0;
    char *buf;

    if (fd < 0) {
        fprintf(stderr, "%s: cannot open %s: %s\n", prog, path, strerror(errno));
        return NULL;
    }
    if ((buf = malloc(cap + 1)) == NULL) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto fail;
    }
    for (;;) {
        ssize_t r = read(fd, buf + n, cap + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            fprintf(stderr, "%s: cannot read %s: %s\n", prog, path, strerror(errno));
            goto fail;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > cap) {
            fprintf(stderr, "%s: the section JSON is larger than %zu bytes\n", prog, cap);
            goto fail;
        }
    }
    if (fd != STDIN_FILENO)
        (void)close(fd);
    *len = n;
    return buf;
fail:
    if (buf != NULL) {
        wipe(buf, n);
        free(buf);
    }
    if (fd != STDIN_FILENO)
        (void)close(fd);
    return NULL;
}

/* Section JSON from a file into a serialised council.v1.Section. */
static int section_bytes(const char *path, uint8_t **out, size_t *out_len)
{
    size_t cap = council_section_max() * 4, len = 0;
    char *text, why[SECTION_JSON_WHY_MAX];
    int rc;

    if ((text = read_content(path, cap, &len)) == NULL)
        return EXIT_FAILURE;
    rc = section_json_parse(out, out_len, text, len, why, sizeof why);
    wipe(text, len);
    free(text);
    if (rc == -2)
        fprintf(stderr, "%s: out of memory\n", prog);
    else if (rc != 0)
        fprintf(stderr, "%s: section JSON: %s\n", prog, why);
    return rc == 0 ? 0 : EXIT_FAILURE;
}

/* ---------------------------------------------- Section -> JSON and text */

static json_t *str_array_json(char **v, size_t n)
{
    json_t *a = json_array();

    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

/* The section's keys, in the input shape, added to j. */
static void section_json(json_t *j, const Council__V1__Section *s)
{
    char st[32];

    if (s == NULL)
        return;
    if (s->text != NULL)
        json_object_set_new(j, "text", json_string(s->text));
    if (s->identity != NULL) {
        const Council__V1__Identity *i = s->identity;
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(i->name));
        if (i->name_kana != NULL)
            json_object_set_new(o, "name_kana", json_string(i->name_kana));
        if (i->birth_date != NULL)
            json_object_set_new(o, "birth_date", json_string(i->birth_date));
        if (i->address != NULL)
            json_object_set_new(o, "address", json_string(i->address));
        if (i->phone != NULL)
            json_object_set_new(o, "phone", json_string(i->phone));
        if (i->contact_note != NULL)
            json_object_set_new(o, "contact_note", json_string(i->contact_note));
        json_object_set_new(j, "identity", o);
    }
    if (s->wishes != NULL) {
        json_t *o = json_object();
        json_object_set_new(o, "wants", str_array_json(s->wishes->wants, s->wishes->n_wants));
        json_object_set_new(o, "does_not_want", str_array_json(s->wishes->does_not_want,
                                                               s->wishes->n_does_not_want));
        json_object_set_new(j, "wishes", o);
    }
    if (s->support_plan != NULL) {
        json_t *o = json_object(), *a = json_array();
        for (size_t i = 0; i < s->support_plan->n_tasks; i++) {
            const Council__V1__Task *t = s->support_plan->tasks[i];
            json_t *tj = json_object();
            json_object_set_new(tj, "title", json_string(t->title));
            if (t->has_responsible_member)
                json_object_set_new(tj, "responsible_member", id_json(t->responsible_member));
            if (t->due != NULL)
                json_object_set_new(tj, "due", json_string(t->due));
            json_object_set_new(tj, "state", json_string(task_state_name((int)t->state, st, sizeof st)));
            json_array_append_new(a, tj);
        }
        json_object_set_new(o, "tasks", a);
        json_object_set_new(j, "support_plan", o);
    }
    if (s->support_record != NULL) {
        json_t *o = json_object(), *a = json_array();
        for (size_t i = 0; i < s->support_record->n_entries; i++) {
            const Council__V1__RecordEntry *e = s->support_record->entries[i];
            json_t *ej = json_object();
            json_object_set_new(ej, "date", json_string(e->date));
            if (e->has_member)
                json_object_set_new(ej, "member", id_json(e->member));
            json_object_set_new(ej, "text", json_string(e->text));
            json_array_append_new(a, ej);
        }
        json_object_set_new(o, "entries", a);
        json_object_set_new(j, "support_record", o);
    }
}

/* A section as read: metadata, then the section's keys. */
static json_t *record_json(const Council__V1__SectionRecord *r)
{
    json_t *j = json_object();

    json_object_set_new(j, "scope", json_string(r->scope));
    json_object_set_new(j, "person_id", id_json(r->person_id));
    json_object_set_new(j, "version", json_integer(r->version));
    json_object_set_new(j, "key_version", json_integer(r->key_version));
    json_object_set_new(j, "written", time_json(r->written));
    json_object_set_new(j, "writer_member", r->has_writer_member ? id_json(r->writer_member)
                                                                 : json_null());
    if (r->has_writer_staff)
        json_object_set_new(j, "writer_staff", id_json(r->writer_staff));
    section_json(j, r->section);
    return j;
}

/* "  label:        value", later lines of the value indented to match;
 * `mark` (or "") before the value. */
static void field_line(const char *label, const char *mark, const char *value)
{
    printf("  %-16s%s", label, mark);
    for (const char *p = value; *p != '\0'; p++) {
        putchar(*p);
        if (*p == '\n' && p[1] != '\0')
            printf("%18s%s", "", *mark != '\0' ? "  " : "");
    }
    putchar('\n');
}

static void section_lines(const Council__V1__Section *s)
{
    char id[37], st[32];

    if (s == NULL)
        return;
    if (s->identity != NULL) {
        const Council__V1__Identity *i = s->identity;
        field_line("name:", "", i->name);
        if (i->name_kana != NULL)
            field_line("name (kana):", "", i->name_kana);
        if (i->birth_date != NULL)
            field_line("birth date:", "", i->birth_date);
        if (i->address != NULL)
            field_line("address:", "", i->address);
        if (i->phone != NULL)
            field_line("phone:", "", i->phone);
        if (i->contact_note != NULL)
            field_line("contact note:", "", i->contact_note);
    }
    if (s->wishes != NULL) {
        for (size_t i = 0; i < s->wishes->n_wants; i++)
            field_line(i == 0 ? "wants:" : "", "- ", s->wishes->wants[i]);
        for (size_t i = 0; i < s->wishes->n_does_not_want; i++)
            field_line(i == 0 ? "does not want:" : "", "- ", s->wishes->does_not_want[i]);
    }
    if (s->support_plan != NULL) {
        for (size_t i = 0; i < s->support_plan->n_tasks; i++) {
            const Council__V1__Task *t = s->support_plan->tasks[i];
            field_line(i == 0 ? "tasks:" : "", "- ", t->title);
            printf("%18s  state %s", "", task_state_name((int)t->state, st, sizeof st));
            if (t->due != NULL)
                printf(", due %s", t->due);
            if (t->has_responsible_member)
                printf(", responsible %s", id_of(id, t->responsible_member));
            putchar('\n');
        }
    }
    if (s->support_record != NULL) {
        for (size_t i = 0; i < s->support_record->n_entries; i++) {
            const Council__V1__RecordEntry *e = s->support_record->entries[i];
            char label[32];
            snprintf(label, sizeof label, "%s:", e->date);
            if (e->has_member)
                printf("  %-16sby member %s\n", label, id_of(id, e->member));
            field_line(e->has_member ? "" : label, "", e->text);
        }
    }
    if (s->text != NULL)
        field_line("text:", "", s->text);
}

static void record_lines(const Council__V1__SectionRecord *r)
{
    char person[37], who[37], t[32];

    utc_text(t, sizeof t, r->written);
    printf("section %s, person %s: version %u (key %u), written %s by %s\n", r->scope,
           id_of(person, r->person_id), r->version, r->key_version, t,
           r->has_writer_member ? id_of(who, r->writer_member) : "the secretariat");
    section_lines(r->section);
}

/* ------------------------------------------------------- case metadata */

static int share_active(const Council__V1__Share *s, int64_t now)
{
    return !s->has_revoked && (!s->has_expires || s->expires > now);
}

static size_t active_shares(const Council__V1__CaseInfo *ci)
{
    int64_t now = (int64_t)time(NULL);
    size_t n = 0;

    for (size_t i = 0; i < ci->n_shares; i++)
        n += share_active(ci->shares[i], now) ? 1 : 0;
    return n;
}

/* `full`: persons, sections and shares listed; else counted. */
static json_t *case_info_json(const Council__V1__CaseInfo *ci, int full)
{
    json_t *j = json_object(), *a;
    int64_t now = (int64_t)time(NULL);
    char name[48];

    json_object_set_new(j, "id", json_string(ci->id_text));
    json_object_set_new(j, "status", json_string(status_name((int)ci->status, name, sizeof name)));
    json_object_set_new(j, "body", json_string(body_name((int)ci->body, name, sizeof name)));
    json_object_set_new(j, "owner", id_json(ci->owner_member));
    json_object_set_new(j, "created", time_json(ci->created));
    json_object_set_new(j, "updated", time_json(ci->updated));
    if (ci->has_erased)
        json_object_set_new(j, "erased", time_json(ci->erased));
    if (!full) {
        json_object_set_new(j, "persons", json_integer((json_int_t)ci->n_persons));
        json_object_set_new(j, "sections", json_integer((json_int_t)ci->n_sections));
        json_object_set_new(j, "active_shares", json_integer((json_int_t)active_shares(ci)));
        return j;
    }
    a = json_array();
    for (size_t i = 0; i < ci->n_persons; i++) {
        const Council__V1__Person *p = ci->persons[i];
        json_t *pj = json_object();
        json_object_set_new(pj, "id", id_json(p->id));
        json_object_set_new(pj, "role", json_string(person_role_name((int)p->role, name, sizeof name)));
        json_object_set_new(pj, "added", time_json(p->added));
        json_array_append_new(a, pj);
    }
    json_object_set_new(j, "persons", a);
    a = json_array();
    for (size_t i = 0; i < ci->n_sections; i++) {
        const Council__V1__SectionInfo *s = ci->sections[i];
        json_t *sj = json_object();
        json_object_set_new(sj, "scope", json_string(s->scope));
        json_object_set_new(sj, "person_id", id_json(s->person_id));
        json_object_set_new(sj, "version", json_integer(s->version));
        json_object_set_new(sj, "key_version", json_integer(s->key_version));
        json_object_set_new(sj, "written", time_json(s->written));
        json_array_append_new(a, sj);
    }
    json_object_set_new(j, "sections", a);
    a = json_array();
    for (size_t i = 0; i < ci->n_shares; i++) {
        const Council__V1__Share *s = ci->shares[i];
        json_t *sj = json_object();
        json_object_set_new(sj, "member", id_json(s->member_id));
        json_object_set_new(sj, "scope", json_string(s->scope));
        json_object_set_new(sj, "purpose", json_string(s->purpose));
        json_object_set_new(sj, "basis", json_string(s->basis));
        if (s->has_consent_id)
            json_object_set_new(sj, "consent", id_json(s->consent_id));
        if (s->basis_reason != NULL)
            json_object_set_new(sj, "basis_reason", json_string(s->basis_reason));
        json_object_set_new(sj, "granted", time_json(s->granted));
        if (s->has_expires)
            json_object_set_new(sj, "expires", time_json(s->expires));
        if (s->has_revoked)
            json_object_set_new(sj, "revoked", time_json(s->revoked));
        if (s->revoke_reason != NULL)
            json_object_set_new(sj, "revoke_reason", json_string(s->revoke_reason));
        json_object_set_new(sj, "active", json_boolean(share_active(s, now)));
        json_array_append_new(a, sj);
    }
    json_object_set_new(j, "shares", a);
    return j;
}

static void case_info_lines(const Council__V1__CaseInfo *ci)
{
    int64_t now = (int64_t)time(NULL);
    char name[48], id[37], t[32];

    printf("id:                 %s\n", ci->id_text);
    printf("status:             %s\n", status_name((int)ci->status, name, sizeof name));
    printf("body:               %s\n", body_name((int)ci->body, name, sizeof name));
    printf("owner:              %s\n", id_of(id, ci->owner_member));
    utc_text(t, sizeof t, ci->created);
    printf("created:            %s\n", t);
    utc_text(t, sizeof t, ci->updated);
    printf("updated:            %s\n", t);
    if (ci->has_erased) {
        utc_text(t, sizeof t, ci->erased);
        printf("erased:             %s\n", t);
    }
    printf("persons:%s\n", ci->n_persons == 0 ? "            -" : "");
    for (size_t i = 0; i < ci->n_persons; i++) {
        const Council__V1__Person *p = ci->persons[i];
        utc_text(t, sizeof t, p->added);
        printf("  %s  %-17s  added %s\n", id_of(id, p->id),
               person_role_name((int)p->role, name, sizeof name), t);
    }
    printf("sections:%s\n", ci->n_sections == 0 ? "           -" : "");
    for (size_t i = 0; i < ci->n_sections; i++) {
        const Council__V1__SectionInfo *s = ci->sections[i];
        utc_text(t, sizeof t, s->written);
        printf("  %-16s  person %s  version %u  key %u  written %s\n", s->scope,
               id_of(id, s->person_id), s->version, s->key_version, t);
    }
    printf("shares:%s\n", ci->n_shares == 0 ? "             -" : "");
    for (size_t i = 0; i < ci->n_shares; i++) {
        const Council__V1__Share *s = ci->shares[i];
        utc_text(t, sizeof t, s->granted);
        printf("  %s  %-16s  %-6s  purpose=%s basis=%s granted=%s", id_of(id, s->member_id),
               s->scope, share_active(s, now) ? "active" : "ended", s->purpose, s->basis, t);
        if (s->has_consent_id)
            printf(" consent=%s", id_of(id, s->consent_id));
        if (s->has_expires) {
            utc_text(t, sizeof t, s->expires);
            printf(" expires=%s", t);
        }
        if (s->has_revoked) {
            utc_text(t, sizeof t, s->revoked);
            printf(" revoked=%s", t);
        }
        if (s->revoke_reason != NULL)
            printf(" revoke_reason=%s", s->revoke_reason);
        putchar('\n');
        if (s->basis_reason != NULL)
            field_line("", "reason: ", s->basis_reason);
    }
}

static Council__V1__CaseInfo *fetch_case(council *c, const uint8_t id[COUNCIL_ID_BYTES], int *rc)
{
    council_buf buf = { NULL, 0 };
    Council__V1__CaseInfo *ci = NULL;

    *rc = council_case_get(c, &buf, id, COUNCIL_ID_BYTES);
    if (*rc == COUNCIL_OK && (ci = council__v1__case_info__unpack(NULL, buf.len, buf.ptr)) == NULL)
        *rc = COUNCIL_EFORMAT;
    council_buf_free(&buf);
    return ci;
}

/* The case's person supported (本人): the default --person. */
static int supported_person(council *c, const uint8_t id[COUNCIL_ID_BYTES],
                            uint8_t person[COUNCIL_ID_BYTES])
{
    Council__V1__CaseInfo *ci;
    int rc;

    if ((ci = fetch_case(c, id, &rc)) == NULL)
        return rc;
    rc = EXIT_FAILURE;
    for (size_t i = 0; i < ci->n_persons; i++)
        if (ci->persons[i]->role == COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_SUPPORTED &&
            ci->persons[i]->id.len == COUNCIL_ID_BYTES) {
            memcpy(person, ci->persons[i]->id.data, COUNCIL_ID_BYTES);
            rc = COUNCIL_OK;
            break;
        }
    council__v1__case_info__free_unpacked(ci, NULL);
    if (rc != COUNCIL_OK)
        fprintf(stderr, "%s: the case has no person supported: give --person\n", prog);
    return rc;
}

/* ---------------------------------------------------------- scope commands */

static int cmd_scope(const opts *o, cmdmask cmd, const char *code)
{
    council_buf buf = { NULL, 0 };
    council *c;
    int rc;

    if (cmd != C_SCLIST && code == NULL)
        return usage("scope %s needs a scope CODE", cmd == C_SCADD ? "add" : "remove");
    if ((rc = open_council(o, &c)) != 0)
        return rc;
    if (cmd == C_SCADD) {
        rc = council_scope_add(c, code, o->sensitive ? COUNCIL_SCOPE_SENSITIVE : 0);
    } else if (cmd == C_SCREMOVE) {
        rc = council_scope_remove(c, code);
    } else {
        Council__V1__ScopeList *l = NULL;
        rc = council_scope_list(c, &buf);
        if (rc == COUNCIL_OK && (l = council__v1__scope_list__unpack(NULL, buf.len, buf.ptr)) == NULL)
            rc = COUNCIL_EFORMAT;
        if (rc == COUNCIL_OK && o->json) {
            json_t *arr = json_array();
            for (size_t i = 0; i < l->n_scopes; i++) {
                json_t *j = json_object();
                json_object_set_new(j, "code", json_string(l->scopes[i]->code));
                json_object_set_new(j, "sensitive", json_boolean(l->scopes[i]->sensitive));
                json_object_set_new(j, "builtin", json_boolean(l->scopes[i]->builtin));
                json_object_set_new(j, "added", l->scopes[i]->added != 0
                                                    ? time_json(l->scopes[i]->added) : json_null());
                json_array_append_new(arr, j);
            }
            rc = print_json(arr) == 0 ? COUNCIL_OK : COUNCIL_ERROR;
        } else if (rc == COUNCIL_OK) {
            printf("%-24s  %-9s  %-7s  %s\n", "CODE", "SENSITIVE", "BUILTIN", "ADDED");
            for (size_t i = 0; i < l->n_scopes; i++) {
                char t[32] = "-"; /* built-in scopes have no time added */
                if (l->scopes[i]->added != 0)
                    utc_text(t, sizeof t, l->scopes[i]->added);
                printf("%-24s  %-9s  %-7s  %s\n", l->scopes[i]->code,
                       l->scopes[i]->sensitive ? "yes" : "no", l->scopes[i]->builtin ? "yes" : "no", t);
            }
        }
        council__v1__scope_list__free_unpacked(l, NULL);
    }
    council_buf_free(&buf);
    rc = rc == COUNCIL_OK ? 0 : rc > 0 ? rc : failed("scope", c, rc);
    council_close(c);
    return rc;
}

/* ----------------------------------------------------------- case commands */

/* What the command line gave a case command, checked before the store opens. */
typedef struct case_args {
    uint8_t id[COUNCIL_ID_BYTES], person[COUNCIL_ID_BYTES], member[COUNCIL_ID_BYTES];
    uint8_t owner[COUNCIL_ID_BYTES], consent[COUNCIL_ID_BYTES], approver[COUNCIL_ID_BYTES];
    int32_t body, role, status;
    int64_t expires;
    uint8_t *section;   /* case update: the serialised Section */
    size_t section_len;
} case_args;

static int case_check_args(const opts *o, cmdmask cmd, const char *id_text, const char *arg,
                           case_args *a)
{
    if ((cmd & (C_CCREATE | C_CLIST | C_CFIND)) == 0 && member_id_arg(id_text, a->id) != 0)
        return usage("%s", "a case id (UUID) is needed");
    if (o->person != NULL && member_id_arg(o->person, a->person) != 0)
        return usage("%s", "--person needs a person id (UUID)");
    if (o->member != NULL && member_id_arg(o->member, a->member) != 0)
        return usage("%s", "--member needs a member id (UUID)");
    if ((cmd & (C_CUPDATE | C_CSHOW | C_CHISTORY)) != 0 && o->n_scope > 1)
        return usage("%s", "give one --scope");
    if ((cmd & (C_CUPDATE | C_CHISTORY)) != 0 && o->n_scope == 0)
        return usage("case %s needs --scope SCOPE", cmd == C_CUPDATE ? "update" : "history");
    if (cmd == C_CSHOW && o->person != NULL && o->n_scope == 0)
        return usage("%s", "case show --person needs --scope SCOPE");
    if ((cmd & (C_CSHOW | C_CHISTORY | C_CSHARE | C_DISCLOSE)) != 0 && o->purpose == NULL)
        return usage("%s", "--purpose CODE is needed: why the case is read or shared");
    switch (cmd) {
    case C_CCREATE:
        if (o->owner != NULL && member_id_arg(o->owner, a->owner) != 0)
            return usage("%s", "--owner needs a member id (UUID)");
        if (o->body != NULL &&
            (a->body = enum_value(&council__v1__case_body__descriptor, "CASE_BODY_", o->body)) == 0)
            return usage("%s", "--body: council, support_meeting or needs_of_poor_meeting");
        break;
    case C_CADDP:
        if (o->role == NULL || ((a->role = enum_value(&council__v1__person_role__descriptor,
                                                      "PERSON_ROLE_", o->role)) !=
                                    COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_FAMILY &&
                                a->role != COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_CLOSE_THIRD_PARTY))
            return usage("%s", "case add-person needs --role family or --role close_third_party");
        break;
    case C_CSTATUS:
        if (arg == NULL ||
            ((a->status = enum_value(&council__v1__case_status__descriptor, "CASE_STATUS_", arg)) !=
                 COUNCIL__V1__CASE_STATUS__CASE_STATUS_OPEN &&
             a->status != COUNCIL__V1__CASE_STATUS__CASE_STATUS_MONITORING &&
             a->status != COUNCIL__V1__CASE_STATUS__CASE_STATUS_CLOSED))
            return usage("%s", "case status CASE open|monitoring|closed (erasure is case erase)");
        break;
    case C_CSHARE: case C_DISCLOSE:
        if (o->member == NULL || o->n_scope == 0 || o->basis == NULL)
            return usage("%s needs --member ID, --scope SCOPE (one or more), --purpose CODE "
                         "and --basis CODE", cmd == C_CSHARE ? "case share" : "disclose");
        if (o->consent != NULL && member_id_arg(o->consent, a->consent) != 0)
            return usage("%s", "--consent needs a consent id (UUID)");
        if (o->expires != NULL && parse_time(o->expires, &a->expires) != 0)
            return usage("--expires: not a time: '%s'", o->expires);
        if (o->second_approver != NULL && member_id_arg(o->second_approver, a->approver) != 0)
            return usage("%s", "--second-approver needs a staff id (UUID)");
        if (o->json && !o->dry_run)
            return usage("%s", "disclose takes --json with --dry-run");
        break;
    case C_CREVOKE:
        if (o->member == NULL || o->reason == NULL)
            return usage("%s", "case revoke needs --member ID and --reason CODE");
        break;
    case C_CERASE:
        if (o->reason == NULL)
            return usage("%s", "case erase needs --reason CODE");
        if (!o->yes)
            return usage("%s", "case erase destroys the case's keys and content for good and "
                               "cannot be undone: give --yes to confirm");
        break;
    case C_CFIND:
        if (o->name == NULL)
            return usage("%s", "case find needs --name NAME (a --birth-date YYYY-MM-DD only "
                               "narrows the search)");
        break;
    case C_CUPDATE: {
        const char *file = o->file != NULL ? o->file : "-";
        if (strcmp(file, "-") == 0 && o->pass_file != NULL && strcmp(o->pass_file, "-") == 0)
            return usage("%s", "the section and the passphrase cannot both come from standard "
                               "input");
        return section_bytes(file, &a->section, &a->section_len);
    }
    default:
        break;
    }
    return 0;
}

static int case_create(council *c, const opts *o, case_args *a)
{
    council_case_options co = COUNCIL_CASE_OPTIONS_INIT;
    uint8_t id[COUNCIL_ID_BYTES], person[COUNCIL_ID_BYTES];
    char t1[37], t2[37];
    int rc;

    co.body = a->body;
    if (o->owner != NULL) {
        co.owner = a->owner;
        co.owner_len = sizeof a->owner;
    }
    rc = council_case_create(c, id, sizeof id, person, sizeof person, &co);
    if (rc != COUNCIL_OK)
        return rc;
    uuid_text_of(t1, id);
    uuid_text_of(t2, person);
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "case_id", json_string(t1));
        json_object_set_new(j, "person_id", json_string(t2));
        return print_json(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    }
    printf("case %s\nperson %s\n", t1, t2);
    return COUNCIL_OK;
}

static int case_update(council *c, const opts *o, case_args *a)
{
    uint32_t version = 0;
    int rc;

    if (o->person == NULL && (rc = supported_person(c, a->id, a->person)) != COUNCIL_OK)
        return rc;
    rc = council_section_write(c, &version, a->id, sizeof a->id, a->person, sizeof a->person,
                               o->scope[0], a->section, a->section_len);
    if (rc == COUNCIL_OK)
        fprintf(stderr, "%s: section %s: version %u written\n", prog, o->scope[0], version);
    return rc;
}

static int case_show(council *c, const opts *o, case_args *a, cmdmask cmd)
{
    council_buf buf = { NULL, 0 };
    int rc;

    if (o->n_scope > 0 && o->person == NULL && (rc = supported_person(c, a->id, a->person)) != 0)
        return rc;
    if (cmd == C_CHISTORY)
        rc = council_section_history(c, &buf, a->id, sizeof a->id, a->person, sizeof a->person,
                                     o->scope[0], o->purpose);
    else if (o->n_scope > 0)
        rc = council_section_read(c, &buf, a->id, sizeof a->id, a->person, sizeof a->person,
                                  o->scope[0], o->purpose);
    else
        rc = council_case_read(c, &buf, a->id, sizeof a->id, o->purpose);
    if (rc != COUNCIL_OK)
        return rc;
    if (cmd == C_CHISTORY) {
        Council__V1__SectionHistory *h =
            council__v1__section_history__unpack(&wiping_allocator, buf.len, buf.ptr);
        if (h == NULL) {
            rc = COUNCIL_EFORMAT;
        } else if (o->json) {
            json_t *arr = json_array();
            for (size_t i = 0; i < h->n_records; i++)
                json_array_append_new(arr, record_json(h->records[i]));
            rc = print_json_wiped(arr) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        } else {
            for (size_t i = 0; i < h->n_records; i++) {
                if (i > 0)
                    putchar('\n');
                record_lines(h->records[i]);
            }
        }
        council__v1__section_history__free_unpacked(h, &wiping_allocator);
    } else if (o->n_scope > 0) {
        Council__V1__SectionRecord *r =
            council__v1__section_record__unpack(&wiping_allocator, buf.len, buf.ptr);
        if (r == NULL)
            rc = COUNCIL_EFORMAT;
        else if (o->json)
            rc = print_json_wiped(record_json(r)) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        else
            record_lines(r);
        council__v1__section_record__free_unpacked(r, &wiping_allocator);
    } else {
        Council__V1__CaseContent *cc =
            council__v1__case_content__unpack(&wiping_allocator, buf.len, buf.ptr);
        if (cc == NULL) {
            rc = COUNCIL_EFORMAT;
        } else if (o->json) {
            json_t *j = json_object(), *arr = json_array();
            json_object_set_new(j, "case", case_info_json(cc->info, 0));
            for (size_t i = 0; i < cc->n_sections; i++)
                json_array_append_new(arr, record_json(cc->sections[i]));
            json_object_set_new(j, "sections", arr);
            rc = print_json_wiped(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        } else {
            char st[32], body[48];
            printf("case %s (%s, %s)\n", cc->info->id_text,
                   status_name((int)cc->info->status, st, sizeof st),
                   body_name((int)cc->info->body, body, sizeof body));
            for (size_t i = 0; i < cc->n_sections; i++) {
                putchar('\n');
                record_lines(cc->sections[i]);
            }
        }
        council__v1__case_content__free_unpacked(cc, &wiping_allocator);
    }
    council_buf_free(&buf);
    return rc;
}

/* case share and disclose; with --dry-run, the decision alone. */
static int case_share(council *c, const opts *o, case_args *a)
{
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    council_buf why = { NULL, 0 };
    int rc;

    so.scopes = o->scope;
    so.n_scopes = o->n_scope;
    so.purpose = o->purpose;
    so.purpose_text = o->purpose_text;
    so.basis = o->basis;
    so.reason = o->reason;
    if (o->consent != NULL) {
        so.consent_id = a->consent;
        so.consent_id_len = sizeof a->consent;
    }
    if (o->second_approver != NULL) {
        so.second_approver = a->approver;
        so.second_approver_len = sizeof a->approver;
    }
    so.expires = a->expires;
    if (!o->dry_run) {
        rc = council_case_share(c, a->id, sizeof a->id, a->member, sizeof a->member, &so);
        if (rc == COUNCIL_OK)
            fprintf(stderr, "%s: shared %zu scope%s with member %s\n", prog, o->n_scope,
                    o->n_scope == 1 ? "" : "s", o->member);
        return rc;
    }
    rc = council_case_share_check(c, &why, a->id, sizeof a->id, a->member, sizeof a->member, &so);
    /* A refusal is an answer, not a failure: it goes to standard output. */
    if ((rc == COUNCIL_OK || rc == COUNCIL_ENOCONSENT) && why.ptr != NULL) {
        const char *reason = (const char *)why.ptr;
        int allowed = rc == COUNCIL_OK;
        if (o->json) {
            json_t *j = json_object();
            json_object_set_new(j, "allowed", json_boolean(allowed));
            json_object_set_new(j, "reason", json_string(reason));
            rc = print_json(j) == 0 && allowed ? COUNCIL_OK : EXIT_FAILURE;
        } else {
            printf("%s: %s\n", allowed ? "allowed" : "refused", reason);
            rc = allowed ? COUNCIL_OK : EXIT_FAILURE;
        }
    }
    council_buf_free(&why);
    return rc;
}

static int case_list(council *c, const opts *o)
{
    council_buf buf = { NULL, 0 };
    Council__V1__CaseList *l = NULL;
    int rc = council_case_list(c, &buf);

    if (rc == COUNCIL_OK && (l = council__v1__case_list__unpack(NULL, buf.len, buf.ptr)) == NULL)
        rc = COUNCIL_EFORMAT;
    if (rc == COUNCIL_OK && o->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l->n_cases; i++)
            json_array_append_new(arr, case_info_json(l->cases[i], 0));
        rc = print_json(arr) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    } else if (rc == COUNCIL_OK) {
        printf("%-36s  %-10s  %-21s  %-36s  %-20s  %7s  %8s  %6s\n", "ID", "STATUS", "BODY",
               "OWNER", "CREATED", "PERSONS", "SECTIONS", "SHARES");
        for (size_t i = 0; i < l->n_cases; i++) {
            const Council__V1__CaseInfo *ci = l->cases[i];
            char st[32], body[48], owner[37], t[32];
            utc_text(t, sizeof t, ci->created);
            printf("%-36s  %-10s  %-21s  %-36s  %-20s  %7zu  %8zu  %6zu\n", ci->id_text,
                   status_name((int)ci->status, st, sizeof st), body_name((int)ci->body, body, sizeof body),
                   id_of(owner, ci->owner_member), t, ci->n_persons, ci->n_sections,
                   active_shares(ci));
        }
    }
    council__v1__case_list__free_unpacked(l, NULL);
    council_buf_free(&buf);
    return rc;
}

static int case_find(council *c, const opts *o)
{
    council_buf buf = { NULL, 0 };
    Council__V1__CaseMatches *m = NULL;
    int rc = council_case_find(c, &buf, o->name, o->birth_date);

    if (rc == COUNCIL_OK && (m = council__v1__case_matches__unpack(NULL, buf.len, buf.ptr)) == NULL)
        rc = COUNCIL_EFORMAT;
    if (rc == COUNCIL_OK && o->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < m->n_matches; i++) {
            json_t *j = json_object();
            json_object_set_new(j, "case_id", id_json(m->matches[i]->case_id));
            json_object_set_new(j, "person_id", id_json(m->matches[i]->person_id));
            json_object_set_new(j, "owner", id_json(m->matches[i]->owner_member));
            json_object_set_new(j, "name_matches", json_boolean(m->matches[i]->name_matches));
            json_object_set_new(j, "birth_date_matches",
                                json_boolean(m->matches[i]->birth_date_matches));
            json_array_append_new(arr, j);
        }
        rc = print_json(arr) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    } else if (rc == COUNCIL_OK && m->n_matches == 0) {
        fprintf(stderr, "%s: no matches\n", prog);
    } else if (rc == COUNCIL_OK) {
        printf("%-36s  %-36s  %-36s  %-4s  %s\n", "CASE", "PERSON", "OWNER", "NAME", "BIRTH DATE");
        for (size_t i = 0; i < m->n_matches; i++) {
            char t1[37], t2[37], t3[37];
            printf("%-36s  %-36s  %-36s  %-4s  %s\n", id_of(t1, m->matches[i]->case_id),
                   id_of(t2, m->matches[i]->person_id), id_of(t3, m->matches[i]->owner_member),
                   m->matches[i]->name_matches ? "yes" : "no",
                   m->matches[i]->birth_date_matches ? "yes" : "no");
        }
    }
    council__v1__case_matches__free_unpacked(m, NULL);
    council_buf_free(&buf);
    return rc;
}

static int cmd_case(const opts *o, cmdmask cmd, const char *id_text, const char *arg)
{
    council *c = NULL;
    case_args a;
    int rc;

    memset(&a, 0, sizeof a);
    if ((rc = case_check_args(o, cmd, id_text, arg, &a)) != 0)
        return rc;
    if ((rc = open_council(o, &c)) != 0)
        goto out;
    switch (cmd) {
    case C_CCREATE:
        rc = case_create(c, o, &a);
        break;
    case C_CADDP: {
        uint8_t person[COUNCIL_ID_BYTES];
        rc = council_case_add_person(c, person, sizeof person, a.id, sizeof a.id, a.role);
        if (rc == COUNCIL_OK) {
            char t[37];
            uuid_text_of(t, person);
            printf("%s\n", t);
        }
        break;
    }
    case C_CUPDATE:
        rc = case_update(c, o, &a);
        break;
    case C_CSHOW: case C_CHISTORY:
        rc = case_show(c, o, &a, cmd);
        break;
    case C_CLIST:
        rc = case_list(c, o);
        break;
    case C_CINFO: {
        Council__V1__CaseInfo *ci = fetch_case(c, a.id, &rc);
        if (ci != NULL && o->json)
            rc = print_json_wiped(case_info_json(ci, 1)) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        else if (ci != NULL)
            case_info_lines(ci);
        council__v1__case_info__free_unpacked(ci, NULL);
        break;
    }
    case C_CSHARE: case C_DISCLOSE:
        rc = case_share(c, o, &a);
        break;
    case C_CREVOKE:
        rc = council_case_revoke(c, a.id, sizeof a.id, a.member, sizeof a.member,
                                 o->n_scope > 0 ? o->scope : NULL, o->n_scope, o->reason);
        if (rc == COUNCIL_OK)
            fprintf(stderr, "%s: share revoked; the data keys were rotated\n", prog);
        break;
    case C_CERASE:
        rc = council_case_erase(c, a.id, sizeof a.id, o->reason);
        if (rc == COUNCIL_OK)
            fprintf(stderr, "%s: case %s erased\n", prog, id_text);
        break;
    case C_CFIND:
        rc = case_find(c, o);
        break;
    case C_CSTATUS:
        rc = council_case_set_status(c, a.id, sizeof a.id, a.status);
        break;
    default: /* C_CREKEY */
        rc = council_case_rekey(c, a.id, sizeof a.id);
        if (rc == COUNCIL_OK)
            fprintf(stderr, "%s: case %s re-encrypted under new keys\n", prog, id_text);
        break;
    }
    rc = rc == COUNCIL_OK ? 0 : rc > 0 ? rc : failed("case", c, rc);
    council_close(c);
out:
    if (a.section != NULL) {
        wipe(a.section, a.section_len);
        free(a.section);
    }
    return rc;
}

/* ---------------------------------------------------------------- consent */

static const char *consent_status_text(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__consent_status__descriptor, "CONSENT_STATUS_", v, buf, n);
}

static const char *method_text(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__consent_method__descriptor, "CONSENT_METHOD_", v, buf, n);
}

static const char *grantor_text(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__grantor_kind__descriptor, "GRANTOR_KIND_", v, buf, n);
}

/* Records hold names and reasons: they are unpacked with the wiping
 * allocator and printed with print_json_wiped. */
static json_t *consent_json(const Council__V1__ConsentRecord *r)
{
    json_t *j = json_object(), *a = json_array();
    char name[48], hex[65];

    json_object_set_new(j, "id", json_string(r->id_text));
    json_object_set_new(j, "case_id", id_json(r->case_id));
    json_object_set_new(j, "person_id", id_json(r->subject_person));
    json_object_set_new(j, "refusal", json_boolean(r->refusal));
    json_object_set_new(j, "status", json_string(consent_status_text((int)r->status, name,
                                                                     sizeof name)));
    json_object_set_new(j, "grantor", json_string(grantor_text((int)r->grantor, name, sizeof name)));
    if (r->grantor_name != NULL)
        json_object_set_new(j, "grantor_name", json_string(r->grantor_name));
    for (size_t i = 0; i < r->n_recipient_members; i++)
        json_array_append_new(a, id_json(r->recipient_members[i]));
    json_object_set_new(j, "recipient_members", a);
    if (r->external_party != NULL)
        json_object_set_new(j, "external_party", json_string(r->external_party));
    if (r->has_external_party_id)
        json_object_set_new(j, "external_party_id", id_json(r->external_party_id));
    json_object_set_new(j, "scopes", str_array_json(r->scopes, r->n_scopes));
    json_object_set_new(j, "purposes", str_array_json(r->purposes, r->n_purposes));
    if (r->purpose_other != NULL)
        json_object_set_new(j, "purpose_other", json_string(r->purpose_other));
    json_object_set_new(j, "valid_from", time_json(r->valid_from));
    json_object_set_new(j, "valid_until", r->has_valid_until ? time_json(r->valid_until)
                                                             : json_null());
    json_object_set_new(j, "method", json_string(method_text((int)r->method, name, sizeof name)));
    json_object_set_new(j, "obtained_by", r->has_obtained_by ? id_json(r->obtained_by)
                                                             : json_null());
    if (r->has_evidence_sha256 && r->evidence_sha256.len == 32) {
        hex_text(hex, r->evidence_sha256.data, 32);
        json_object_set_new(j, "evidence_sha256", json_string(hex));
    } else {
        json_object_set_new(j, "evidence_sha256", json_null());
    }
    json_object_set_new(j, "recorded", time_json(r->recorded));
    json_object_set_new(j, "recorded_by_member", r->has_recorded_by_member
                                                     ? id_json(r->recorded_by_member) : json_null());
    if (r->has_recorded_by_staff)
        json_object_set_new(j, "recorded_by_staff", id_json(r->recorded_by_staff));
    if (r->withdrawal != NULL) {
        const Council__V1__ConsentWithdrawal *w = r->withdrawal;
        json_t *wj = json_object();
        json_object_set_new(wj, "time", time_json(w->time));
        json_object_set_new(wj, "reason", json_string(w->reason));
        json_object_set_new(wj, "by_member", w->has_by_member ? id_json(w->by_member) : json_null());
        if (w->has_by_staff)
            json_object_set_new(wj, "by_staff", id_json(w->by_staff));
        json_object_set_new(j, "withdrawal", wj);
    }
    return j;
}

/* "a,b,c"; for a refusal, an empty list is "all". */
static void list_line(const char *label, char **v, size_t n, int refusal)
{
    printf("%-20s", label);
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? "," : "", v[i]);
    printf("%s\n", n > 0 ? "" : refusal ? "all" : "-");
}

/* "by member M (staff S)", or "by the secretariat". */
static void by_text(char *out, size_t n, int has_member, ProtobufCBinaryData member, int has_staff,
                    ProtobufCBinaryData staff)
{
    char m[37], st[37];

    if (!has_member)
        snprintf(out, n, "by the secretariat");
    else if (has_staff)
        snprintf(out, n, "by member %s (staff %s)", id_of(m, member), id_of(st, staff));
    else
        snprintf(out, n, "by member %s", id_of(m, member));
}

static void consent_lines(const Council__V1__ConsentRecord *r)
{
    char name[48], id[37], t[32], t2[32], hex[65], by[128];

    printf("id:                 %s\n", r->id_text);
    printf("record:             %s\n", r->refusal ? "refusal (does not consent)" : "consent");
    printf("status:             %s\n", consent_status_text((int)r->status, name, sizeof name));
    printf("case:               %s\n", id_of(id, r->case_id));
    printf("subject person:     %s\n", id_of(id, r->subject_person));
    printf("grantor:            %s", grantor_text((int)r->grantor, name, sizeof name));
    if (r->grantor_name != NULL)
        printf(" (%s)", r->grantor_name);
    putchar('\n');
    for (size_t i = 0; i < r->n_recipient_members; i++)
        printf("%-20s%s\n", i == 0 ? "recipients:" : "", id_of(id, r->recipient_members[i]));
    if (r->external_party != NULL)
        printf("%-20s%s (outside the council)\n", r->n_recipient_members == 0 ? "recipients:" : "",
               r->external_party);
    if (r->n_recipient_members == 0 && r->external_party == NULL)
        printf("recipients:         %s\n", r->refusal ? "all" : "-");
    list_line("scopes:", r->scopes, r->n_scopes, r->refusal);
    list_line("purposes:", r->purposes, r->n_purposes, r->refusal);
    if (r->purpose_other != NULL)
        printf("purpose (other):    %s\n", r->purpose_other);
    utc_text(t, sizeof t, r->valid_from);
    if (r->has_valid_until)
        utc_text(t2, sizeof t2, r->valid_until);
    if (r->has_valid_until)
        printf("valid:              from %s until %s\n", t, t2);
    else /* a refusal is not withdrawn: a later consent overrides it */
        printf("valid:              from %s %s\n", t, r->refusal ? "on" : "until withdrawn");
    printf("method:             %s\n", method_text((int)r->method, name, sizeof name));
    printf("obtained by:        %s\n", r->has_obtained_by ? id_of(id, r->obtained_by) : "-");
    if (r->has_evidence_sha256 && r->evidence_sha256.len == 32)
        hex_text(hex, r->evidence_sha256.data, 32);
    printf("evidence sha256:    %s\n",
           r->has_evidence_sha256 && r->evidence_sha256.len == 32 ? hex : "-");
    utc_text(t, sizeof t, r->recorded);
    by_text(by, sizeof by, r->has_recorded_by_member, r->recorded_by_member,
            r->has_recorded_by_staff, r->recorded_by_staff);
    printf("recorded:           %s %s\n", t, by);
    if (r->withdrawal != NULL) {
        const Council__V1__ConsentWithdrawal *w = r->withdrawal;
        utc_text(t, sizeof t, w->time);
        by_text(by, sizeof by, w->has_by_member, w->by_member, w->has_by_staff, w->by_staff);
        printf("withdrawn:          %s %s\n", t, by);
        printf("withdrawal reason:  %s\n", w->reason);
    }
}

/* What the command line gave a consent command, checked before the store opens. */
typedef struct consent_args {
    uint8_t id[COUNCIL_ID_BYTES];     /* the case (record, refuse, list) or the record */
    uint8_t person[COUNCIL_ID_BYTES], obtained_by[COUNCIL_ID_BYTES];
    uint8_t members[MAX_LIST * COUNCIL_ID_BYTES];
    uint8_t evidence[32];
    int32_t grantor, method;
    int64_t valid_from, valid_until, when;
} consent_args;

static int consent_check_args(const opts *o, cmdmask cmd, const char *id_text, consent_args *a)
{
    const char *what = cmd == C_KRECORD ? "consent record" : "consent refuse";

    if (member_id_arg(id_text, a->id) != 0)
        return usage("%s", (cmd & (C_KWITHDRAW | C_KSHOW)) != 0 ? "a consent id (UUID) is needed"
                                                                : "a case id (UUID) is needed");
    if (cmd == C_KWITHDRAW) {
        if (o->reason == NULL)
            return usage("%s", "consent withdraw needs --reason TEXT");
        if (o->date != NULL && parse_time(o->date, &a->when) != 0)
            return usage("--date: not a time: '%s'", o->date);
    }
    if ((cmd & C_KMAKE) == 0)
        return 0;
    if (cmd == C_KRECORD &&
        ((o->n_member == 0 && o->external_party == NULL) || o->n_scope == 0 || o->n_purpose == 0))
        return usage("%s", "consent record needs --member ID (or --external-party NAME), "
                           "--scope SCOPE, --purpose CODE and --method METHOD");
    if (o->method == NULL ||
        (a->method = enum_value(&council__v1__consent_method__descriptor, "CONSENT_METHOD_",
                                o->method)) == 0)
        return usage("%s needs --method written, oral or electronic", what);
    if (o->grantor != NULL &&
        (a->grantor = enum_value(&council__v1__grantor_kind__descriptor, "GRANTOR_KIND_",
                                 o->grantor)) == 0)
        return usage("%s", "--grantor: self, legal_representative or guardian");
    if (o->person != NULL && member_id_arg(o->person, a->person) != 0)
        return usage("%s", "--person needs a person id (UUID)");
    for (size_t i = 0; i < o->n_member; i++)
        if (member_id_arg(o->members[i], a->members + i * COUNCIL_ID_BYTES) != 0)
            return usage("%s", "--member needs a member id (UUID)");
    if (o->obtained_by != NULL && member_id_arg(o->obtained_by, a->obtained_by) != 0)
        return usage("%s", "--obtained-by needs a staff id (UUID)");
    if (o->valid_from != NULL && parse_time(o->valid_from, &a->valid_from) != 0)
        return usage("--valid-from: not a time: '%s'", o->valid_from);
    if (o->valid_until != NULL && parse_time(o->valid_until, &a->valid_until) != 0)
        return usage("--valid-until: not a time: '%s'", o->valid_until);
    if (o->evidence != NULL && hex_bytes(o->evidence, a->evidence, sizeof a->evidence) != 0)
        return usage("%s", "--evidence-sha256 needs a SHA-256 hash: 64 hex digits");
    return 0;
}

static int consent_make(council *c, const opts *o, consent_args *a, cmdmask cmd)
{
    council_consent_options co = COUNCIL_CONSENT_OPTIONS_INIT;
    uint8_t id[COUNCIL_ID_BYTES];
    char t[37];
    int rc;

    if (o->person == NULL && (rc = supported_person(c, a->id, a->person)) != COUNCIL_OK)
        return rc;
    co.case_id = a->id;
    co.case_id_len = sizeof a->id;
    co.subject_person = a->person;
    co.subject_person_len = sizeof a->person;
    co.grantor = a->grantor;
    co.grantor_name = o->grantor_name;
    co.recipient_members = o->n_member > 0 ? a->members : NULL;
    co.n_recipient_members = o->n_member;
    co.external_party = o->external_party;
    co.scopes = o->n_scope > 0 ? o->scope : NULL;
    co.n_scopes = o->n_scope;
    co.purposes = o->n_purpose > 0 ? o->purposes : NULL;
    co.n_purposes = o->n_purpose;
    co.purpose_other = o->purpose_text;
    co.valid_from = a->valid_from;
    co.valid_until = a->valid_until;
    co.method = a->method;
    if (o->obtained_by != NULL) {
        co.obtained_by = a->obtained_by;
        co.obtained_by_len = sizeof a->obtained_by;
    }
    if (o->evidence != NULL) {
        co.evidence_sha256 = a->evidence;
        co.evidence_len = sizeof a->evidence;
    }
    rc = cmd == C_KRECORD ? council_consent_record(c, id, sizeof id, &co)
                          : council_consent_refuse(c, id, sizeof id, &co);
    if (rc == COUNCIL_OK) {
        uuid_text_of(t, id);
        printf("%s\n", t);
    }
    return rc;
}

static int cmd_consent(const opts *o, cmdmask cmd, const char *id_text)
{
    council_buf buf = { NULL, 0 };
    council *c = NULL;
    consent_args a;
    int rc;

    memset(&a, 0, sizeof a);
    if ((rc = consent_check_args(o, cmd, id_text, &a)) != 0)
        return rc;
    if ((rc = open_council(o, &c)) != 0)
        return rc;
    switch (cmd) {
    case C_KRECORD: case C_KREFUSE:
        rc = consent_make(c, o, &a, cmd);
        break;
    case C_KWITHDRAW:
        rc = council_consent_withdraw(c, a.id, sizeof a.id, a.when, o->reason);
        if (rc == COUNCIL_OK)
            fprintf(stderr, "%s: consent withdrawn; the shares that rested on it were revoked\n",
                    prog);
        break;
    case C_KSHOW: {
        Council__V1__ConsentRecord *r = NULL;
        rc = council_consent_get(c, &buf, a.id, sizeof a.id);
        if (rc == COUNCIL_OK &&
            (r = council__v1__consent_record__unpack(&wiping_allocator, buf.len, buf.ptr)) == NULL)
            rc = COUNCIL_EFORMAT;
        if (rc == COUNCIL_OK && o->json)
            rc = print_json_wiped(consent_json(r)) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        else if (rc == COUNCIL_OK)
            consent_lines(r);
        council__v1__consent_record__free_unpacked(r, &wiping_allocator);
        break;
    }
    default: { /* C_KLIST */
        Council__V1__ConsentList *l = NULL;
        rc = council_consent_list(c, &buf, a.id, sizeof a.id);
        if (rc == COUNCIL_OK &&
            (l = council__v1__consent_list__unpack(&wiping_allocator, buf.len, buf.ptr)) == NULL)
            rc = COUNCIL_EFORMAT;
        if (rc == COUNCIL_OK && o->json) {
            json_t *arr = json_array();
            for (size_t i = 0; i < l->n_records; i++)
                json_array_append_new(arr, consent_json(l->records[i]));
            rc = print_json_wiped(arr) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        } else if (rc == COUNCIL_OK) {
            printf("%-36s  %-9s  %-36s  %-20s  %s\n", "ID", "STATUS", "PERSON", "RECORDED",
                   "COVERS");
            for (size_t i = 0; i < l->n_records; i++) {
                const Council__V1__ConsentRecord *r = l->records[i];
                char st[32], person[37], t[32];
                size_t n_to = r->n_recipient_members + (r->external_party != NULL ? 1 : 0);
                utc_text(t, sizeof t, r->recorded);
                printf("%-36s  %-9s  %-36s  %-20s  scopes=", r->id_text,
                       consent_status_text((int)r->status, st, sizeof st),
                       id_of(person, r->subject_person), t);
                for (size_t k = 0; k < r->n_scopes; k++)
                    printf("%s%s", k ? "," : "", r->scopes[k]);
                printf("%s purposes=", r->n_scopes == 0 ? "all" : "");
                for (size_t k = 0; k < r->n_purposes; k++)
                    printf("%s%s", k ? "," : "", r->purposes[k]);
                if (n_to == 0)
                    printf("%s recipients=all\n", r->n_purposes == 0 ? "all" : "");
                else
                    printf("%s recipients=%zu\n", r->n_purposes == 0 ? "all" : "", n_to);
                if (r->withdrawal != NULL) {
                    utc_text(t, sizeof t, r->withdrawal->time);
                    field_line("withdrawn:", "", t);
                    field_line("reason:", "", r->withdrawal->reason);
                }
            }
        }
        council__v1__consent_list__free_unpacked(l, &wiping_allocator);
        break;
    }
    }
    council_buf_free(&buf);
    rc = rc == COUNCIL_OK ? 0 : rc > 0 ? rc : failed("consent", c, rc);
    council_close(c);
    return rc;
}

/* --------------------------------------------------------------- meetings */

static const char *meeting_body_name(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__meeting_body__descriptor, "MEETING_BODY_", v, buf, n);
}

/* What the command line gave a meeting command, checked before the store opens. */
typedef struct meeting_args {
    uint8_t id[COUNCIL_ID_BYTES], case_id[COUNCIL_ID_BYTES];
    uint8_t consent[COUNCIL_ID_BYTES], approver[COUNCIL_ID_BYTES];
    uint8_t members[MAX_LIST * COUNCIL_ID_BYTES]; /* attendees; else the one --member */
    int32_t body;
    int64_t starts, ends;
} meeting_args;

static int meeting_check_args(const opts *o, cmdmask cmd, const char *id_text,
                              const char *case_text, meeting_args *a)
{
    if (cmd != C_MTCREATE && member_id_arg(id_text, a->id) != 0)
        return usage("%s", "a meeting id (UUID) is needed");
    for (size_t i = 0; i < o->n_member; i++)
        if (member_id_arg(o->members[i], a->members + i * COUNCIL_ID_BYTES) != 0)
            return usage("%s", "--member needs a member id (UUID)");
    switch (cmd) {
    case C_MTCREATE:
        if (o->body == NULL || o->starts == NULL || o->ends == NULL || o->n_member == 0)
            return usage("%s", "meeting create needs --body BODY, --starts T, --ends T and "
                               "--member ID (one or more)");
        if ((a->body = enum_value(&council__v1__meeting_body__descriptor, "MEETING_BODY_",
                                  o->body)) == 0)
            return usage("%s", "--body: council, support_meeting or joint_platform");
        if (parse_time(o->starts, &a->starts) != 0)
            return usage("--starts: not a time: '%s'", o->starts);
        if (parse_time(o->ends, &a->ends) != 0)
            return usage("--ends: not a time: '%s'", o->ends);
        break;
    case C_MTADD:
        if (member_id_arg(case_text, a->case_id) != 0)
            return usage("%s", "meeting add-case MEETING CASE: a case id (UUID) is needed");
        if (o->member == NULL || o->n_scope == 0 || o->purpose == NULL || o->basis == NULL)
            return usage("%s", "meeting add-case needs --member ID, --scope SCOPE (one or more), "
                               "--purpose CODE and --basis CODE");
        if (o->consent != NULL && member_id_arg(o->consent, a->consent) != 0)
            return usage("%s", "--consent needs a consent id (UUID)");
        if (o->second_approver != NULL && member_id_arg(o->second_approver, a->approver) != 0)
            return usage("%s", "--second-approver needs a staff id (UUID)");
        break;
    case C_MTPACKET:
        if (o->member == NULL || o->out == NULL)
            return usage("%s", "meeting packet needs --member ID and --out FILE");
        break;
    default:
        break;
    }
    return 0;
}

/* "open", "closed", or "ended" (the window passed without a close). */
static const char *meeting_status(const Council__V1__Meeting *m)
{
    return m->has_closed ? "closed" : m->ends <= (int64_t)time(NULL) ? "ended" : "open";
}

static json_t *meeting_json(const Council__V1__Meeting *m)
{
    json_t *j = json_object(), *a = json_array(), *items = json_array();
    char name[48];

    json_object_set_new(j, "id", json_string(m->id_text));
    json_object_set_new(j, "body", json_string(meeting_body_name((int)m->body, name, sizeof name)));
    json_object_set_new(j, "starts", time_json(m->starts));
    json_object_set_new(j, "ends", time_json(m->ends));
    json_object_set_new(j, "status", json_string(meeting_status(m)));
    json_object_set_new(j, "closed", m->has_closed ? time_json(m->closed) : json_null());
    for (size_t i = 0; i < m->n_attendees; i++)
        json_array_append_new(a, id_json(m->attendees[i]));
    json_object_set_new(j, "attendees", a);
    for (size_t i = 0; i < m->n_items; i++) {
        const Council__V1__AgendaItem *it = m->items[i];
        json_t *ij = json_object();
        json_object_set_new(ij, "case_id", id_json(it->case_id));
        json_object_set_new(ij, "attendee", id_json(it->attendee));
        json_object_set_new(ij, "scopes", str_array_json(it->scopes, it->n_scopes));
        json_object_set_new(ij, "basis", json_string(it->basis));
        json_array_append_new(items, ij);
    }
    json_object_set_new(j, "items", items);
    return j;
}

static void meeting_lines(const Council__V1__Meeting *m)
{
    char name[48], id[37], id2[37], t[32];

    printf("id:                 %s\n", m->id_text);
    printf("body:               %s\n", meeting_body_name((int)m->body, name, sizeof name));
    utc_text(t, sizeof t, m->starts);
    printf("starts:             %s\n", t);
    utc_text(t, sizeof t, m->ends);
    printf("ends:               %s\n", t);
    printf("status:             %s\n", meeting_status(m));
    if (m->has_closed) {
        utc_text(t, sizeof t, m->closed);
        printf("closed:             %s\n", t);
    }
    for (size_t i = 0; i < m->n_attendees; i++)
        printf("%-20s%s\n", i == 0 ? "attendees:" : "", id_of(id, m->attendees[i]));
    printf("agenda:%s\n", m->n_items == 0 ? "             -" : "");
    for (size_t i = 0; i < m->n_items; i++) {
        const Council__V1__AgendaItem *it = m->items[i];
        printf("  case %s  member %s  basis=%s scopes=", id_of(id, it->case_id),
               id_of(id2, it->attendee), it->basis);
        for (size_t k = 0; k < it->n_scopes; k++)
            printf("%s%s", k ? "," : "", it->scopes[k]);
        putchar('\n');
    }
}

static int meeting_create(council *c, const opts *o, const meeting_args *a)
{
    council_meeting_options mo = COUNCIL_MEETING_OPTIONS_INIT;
    uint8_t id[COUNCIL_ID_BYTES];
    char t[37];
    int rc;

    mo.body = a->body;
    mo.starts = a->starts;
    mo.ends = a->ends;
    mo.attendees = a->members;
    mo.n_attendees = o->n_member;
    if ((rc = council_meeting_create(c, id, sizeof id, &mo)) != COUNCIL_OK)
        return rc;
    uuid_text_of(t, id);
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "meeting_id", json_string(t));
        return print_json(j) == 0 ? COUNCIL_OK : EXIT_FAILURE;
    }
    printf("meeting %s\n", t);
    return COUNCIL_OK;
}

static int meeting_add_case(council *c, const opts *o, const meeting_args *a)
{
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    int rc;

    so.scopes = o->scope;
    so.n_scopes = o->n_scope;
    so.purpose = o->purpose;
    so.purpose_text = o->purpose_text;
    so.basis = o->basis;
    so.reason = o->reason;
    if (o->consent != NULL) {
        so.consent_id = a->consent;
        so.consent_id_len = sizeof a->consent;
    }
    if (o->second_approver != NULL) {
        so.second_approver = a->approver;
        so.second_approver_len = sizeof a->approver;
    }
    /* The library sets the expiry: the meeting's end. */
    rc = council_meeting_add_case(c, a->id, sizeof a->id, a->case_id, sizeof a->case_id,
                                  a->members, COUNCIL_ID_BYTES, &so);
    if (rc == COUNCIL_OK)
        fprintf(stderr, "%s: on the agenda for member %s: %zu scope%s, until the meeting "
                "ends\n", prog, o->member, o->n_scope, o->n_scope == 1 ? "" : "s");
    return rc;
}

static int meeting_packet(council *c, const opts *o, const meeting_args *a)
{
    council_buf buf = { NULL, 0 };
    int fd, rc;

    /* Claim the file first: building the packet reads (and logs) every
     * section in it, which must not happen for a file never written. */
    if ((fd = create_private(o->out)) < 0)
        return EXIT_FAILURE;
    rc = council_meeting_packet(c, &buf, a->id, sizeof a->id, a->members, COUNCIL_ID_BYTES);
    if (rc != COUNCIL_OK) {
        (void)close(fd);
        (void)unlink(o->out);
        return rc;
    }
    if (finish_private(fd, buf.ptr, buf.len) != 0) {
        fprintf(stderr, "%s: cannot write %s: %s\n", prog, o->out, strerror(errno));
        (void)unlink(o->out);
        council_buf_free(&buf);
        return EXIT_FAILURE;
    }
    fprintf(stderr, "%s: meeting packet for member %s written to %s (%zu bytes, sealed to the "
            "member's key)\n", prog, o->member, o->out, buf.len);
    council_buf_free(&buf);
    return COUNCIL_OK;
}

static int cmd_meeting(const opts *o, cmdmask cmd, const char *id_text, const char *case_text)
{
    council_buf buf = { NULL, 0 };
    council *c = NULL;
    meeting_args a;
    int rc;

    memset(&a, 0, sizeof a);
    if ((rc = meeting_check_args(o, cmd, id_text, case_text, &a)) != 0)
        return rc;
    if ((rc = open_council(o, &c)) != 0)
        return rc;
    switch (cmd) {
    case C_MTCREATE:
        rc = meeting_create(c, o, &a);
        break;
    case C_MTADD:
        rc = meeting_add_case(c, o, &a);
        break;
    case C_MTSHOW: {
        Council__V1__Meeting *m = NULL;
        rc = council_meeting_get(c, &buf, a.id, sizeof a.id);
        if (rc == COUNCIL_OK && (m = council__v1__meeting__unpack(NULL, buf.len, buf.ptr)) == NULL)
            rc = COUNCIL_EFORMAT;
        if (rc == COUNCIL_OK && o->json)
            rc = print_json(meeting_json(m)) == 0 ? COUNCIL_OK : EXIT_FAILURE;
        else if (rc == COUNCIL_OK)
            meeting_lines(m);
        council__v1__meeting__free_unpacked(m, NULL);
        break;
    }
    case C_MTPACKET:
        rc = meeting_packet(c, o, &a);
        break;
    default: /* C_MTCLOSE */
        rc = council_meeting_close(c, a.id, sizeof a.id);
        if (rc == COUNCIL_OK)
            fprintf(stderr, "%s: meeting closed; its disclosures were revoked and their data keys "
                    "rotated\n", prog);
        break;
    }
    council_buf_free(&buf);
    rc = rc == COUNCIL_OK ? 0 : rc > 0 ? rc : failed("meeting", c, rc);
    council_close(c);
    return rc;
}

/* ----------------------------------------------------------------- report */

/* The threshold k of council_report_platform(): 0 (the library's default,
 * COUNCIL_REPORT_K_DEFAULT) or 3..1000. */
#define REPORT_K_MIN 3
#define REPORT_K_MAX 1000

static int cmd_report(const opts *o)
{
    council_buf buf = { NULL, 0 };
    unsigned long long k = 0;
    int format = COUNCIL_REPORT_CSV;
    council *c;
    int rc;

    if (o->k != NULL &&
        (parse_u64(o->k, &k) != 0 || (k != 0 && (k < REPORT_K_MIN || k > REPORT_K_MAX))))
        return usage("--k: %d to %d (0: the default, %d), not '%s'", REPORT_K_MIN, REPORT_K_MAX,
                     COUNCIL_REPORT_K_DEFAULT, o->k);
    if (o->format != NULL) {
        if (strcmp(o->format, "json") == 0)
            format = COUNCIL_REPORT_JSON;
        else if (strcmp(o->format, "csv") != 0)
            return usage("--format: csv or json, not '%s'", o->format);
    }
    if ((rc = open_council(o, &c)) != 0)
        return rc;
    rc = council_report_platform(c, &buf, (unsigned)k, format);
    return print_buf_and_close(c, &buf, rc, "report platform");
}

/* ------------------------------------------------------------------ rekey */

static int cmd_rekey(const opts *o, cmdmask cmd)
{
    uint8_t key[COUNCIL_ROOT_KEY_BYTES];
    char fresh[PASS_BUF];
    council *c;
    long m = 0;
    int rc;

    if (cmd == C_RKROOT && o->key_file != NULL && o->new_key_file == NULL)
        return usage("%s", "rekey root of a council opened with --root-key-file needs "
                           "--new-root-key-file FILE");
    if (cmd == C_RKROOT && o->key_file == NULL && o->new_key_file != NULL)
        return usage("%s", "--new-root-key-file is for a council opened with --root-key-file");
    if (cmd == C_RKROOT && o->key_file != NULL && o->new_pass_file != NULL)
        return usage("%s", "a council opened with --root-key-file has no passphrase");
    if ((rc = open_council(o, &c)) != 0)
        return rc;
    if (cmd == C_RKDB) {
        rc = council_rekey_database(c);
        if (rc == COUNCIL_OK)
            fprintf(stderr, "%s: the database was re-encrypted under a new key\n", prog);
    } else if (o->new_key_file != NULL) {
        if (read_root_key(o->new_key_file, key) != 0) {
            council_close(c);
            return EXIT_FAILURE;
        }
        rc = council_rekey_root(c, NULL, 0, key, sizeof key, o->kdf_ops, o->kdf_mem);
        wipe(key, sizeof key);
    } else {
        m = get_passphrase(o->new_pass_file, "COUNCIL_NEW_PASSPHRASE", 1, "New passphrase: ",
                           fresh, sizeof fresh);
        if (m < 0) {
            wipe(fresh, sizeof fresh);
            council_close(c);
            return m == -2 ? usage("%s", "no new passphrase: use --new-passphrase-file, "
                                         "$COUNCIL_NEW_PASSPHRASE or a terminal")
                           : EXIT_FAILURE;
        }
        rc = council_rekey_root(c, (const uint8_t *)fresh, (size_t)m, NULL, 0, o->kdf_ops,
                                o->kdf_mem);
        wipe(fresh, sizeof fresh);
    }
    if (rc == COUNCIL_OK && cmd == C_RKROOT)
        fprintf(stderr, "%s: the root key was replaced\n", prog);
    rc = rc == COUNCIL_OK ? 0 : failed("rekey", c, rc);
    council_close(c);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct { const char *w1, *w2; cmdmask cmd; } cmds[] = {
        { "init", NULL, C_INIT }, { "info", NULL, C_INFO }, { "passphrase", NULL, C_PASS },
        { "audit", "show", C_SHOW }, { "audit", "checkpoint", C_CHECKPOINT },
        { "audit", "reset-head", C_HEADRESET },
        { "audit", "export", C_EXPORT }, { "audit", "prove", C_PROVE },
        { "audit", "verify", C_VERIFY }, { "audit", "witness", C_WITNESS },
        { "audit", "witness-keygen", C_KEYGEN }, { "audit", "add-cosignatures", C_COSIGNED },
        { "member", "add", C_MADD }, { "member", "list", C_MLIST }, { "member", "show", C_MSHOW },
        { "member", "update", C_MUPDATE }, { "member", "withdraw", C_MWITHDRAW },
        { "member", "keygen", C_MKEYGEN }, { "member", "register-key", C_MREGISTER },
        { "members", "announce", C_ANNOUNCE }, { "staff", "add", C_SADD },
        { "staff", "list", C_SLIST }, { "staff", "pledge", C_SPLEDGE }, { "staff", "retire", C_SRETIRE },
        { "scope", "list", C_SCLIST }, { "scope", "add", C_SCADD }, { "scope", "remove", C_SCREMOVE },
        { "case", "create", C_CCREATE }, { "case", "add-person", C_CADDP },
        { "case", "update", C_CUPDATE }, { "case", "show", C_CSHOW }, { "case", "history", C_CHISTORY },
        { "case", "list", C_CLIST }, { "case", "info", C_CINFO }, { "case", "share", C_CSHARE },
        { "case", "revoke", C_CREVOKE }, { "case", "erase", C_CERASE }, { "case", "find", C_CFIND },
        { "case", "status", C_CSTATUS }, { "case", "rekey", C_CREKEY },
        { "rekey", "database", C_RKDB }, { "rekey", "root", C_RKROOT },
        { "consent", "record", C_KRECORD }, { "consent", "refuse", C_KREFUSE },
        { "consent", "withdraw", C_KWITHDRAW }, { "consent", "list", C_KLIST },
        { "consent", "show", C_KSHOW }, { "disclose", NULL, C_DISCLOSE },
        { "meeting", "create", C_MTCREATE }, { "meeting", "add-case", C_MTADD },
        { "meeting", "show", C_MTSHOW }, { "meeting", "packet", C_MTPACKET },
        { "meeting", "close", C_MTCLOSE }, { "report", "platform", C_REPORT },
    };
    static const char *const groups[] = { "audit", "member", "members", "staff", "scope", "case",
                                           "rekey", "consent", "meeting", "report" };
    const char *words[4] = { NULL, NULL, NULL, NULL };
    size_t n_words, want;
    cmdmask cmd = 0;
    opts o;
    int rc;

    memset(&o, 0, sizeof o);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage_text, stdout);
            fputs(usage_cases, stdout);
            fputs(usage_consent, stdout);
            fputs(usage_meeting, stdout);
            fputs(usage_tail, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("council-cli %s (libcouncil %s)\n", COUNCIL_VERSION_STRING,
                   council_version_string());
            return 0;
        }
    }
    /* The library loaded must be the one this tool was built against. */
    if (council_version_number() / 100 != COUNCIL_VERSION_NUMBER / 100) {
        fprintf(stderr, "%s: built for libcouncil %s but loaded %s\n", prog,
                COUNCIL_VERSION_STRING, council_version_string());
        return EXIT_FAILURE;
    }
    /* Whatever jansson frees may have held case content. */
    json_set_alloc_funcs(malloc, wiping_free);
    if ((rc = parse_args(argc, argv, &o, words, &n_words)) != 0)
        return rc;
    if (n_words == 0)
        return usage("%s", "no command given");
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(words[0], cmds[i].w1) == 0 &&
            (cmds[i].w2 == NULL || (n_words > 1 && strcmp(words[1], cmds[i].w2) == 0)))
            cmd = cmds[i].cmd;
    if (cmd == 0) {
        for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
            if (strcmp(words[0], groups[i]) == 0)
                return n_words > 1 ? usage("unknown %s command '%s'", words[0], words[1])
                                   : usage("'%s' needs a command word", words[0]);
        return usage("unknown command '%s'", words[0]);
    }
    want = (cmd & (C_INIT | C_INFO | C_PASS)) ? 1
           : (cmd & (C_CSTATUS | C_MTADD)) ? 4
           : (cmd & (C_VERIFY | C_COSIGNED | C_MSHOW | C_MUPDATE | C_MWITHDRAW | C_MKEYGEN |
                     C_MREGISTER | C_SPLEDGE | C_SRETIRE | C_SCADD | C_SCREMOVE | C_CADDP |
                     C_CUPDATE | C_CSHOW | C_CHISTORY | C_CINFO | C_CSHARE | C_CREVOKE |
                     C_CERASE | C_CREKEY | C_CONSENT | C_MTSHOW | C_MTPACKET | C_MTCLOSE)) ? 3 : 2;
    if (n_words > want)
        return usage("unexpected argument '%s'", words[want]);
    if ((rc = check_options(&o, cmd)) != 0)
        return rc;
    if (council_global_init() != COUNCIL_OK)
        return failed("init", NULL, COUNCIL_ERROR);

    switch (cmd) {
    case C_VERIFY:
        return cmd_audit_verify(&o, n_words > 2 ? words[2] : NULL);
    case C_WITNESS:
        return cmd_audit_witness(&o);
    case C_KEYGEN:
        return cmd_audit_keygen(&o);
    default:
        break;
    }
    /* Everything else works on a store. */
    if (o.store == NULL)
        o.store = getenv("COUNCIL_STORE");
    if (o.store == NULL || o.store[0] == '\0')
        return usage("%s", "no store: give --store PATH or set COUNCIL_STORE");
    if (o.pass_file != NULL && o.key_file != NULL)
        return usage("%s", "give --passphrase-file or --root-key-file, not both");
    if ((o.staff != NULL || o.keyfile != NULL) && o.key_file != NULL)
        return usage("%s", "a staff session takes --keyfile, not --root-key-file");
    switch (cmd) {
    case C_INIT: return cmd_init(&o);
    case C_INFO: return cmd_info(&o);
    case C_PASS: return cmd_passphrase(&o);
    case C_SHOW: return cmd_audit_show(&o);
    case C_CHECKPOINT: return cmd_audit_checkpoint(&o);
    case C_HEADRESET: return cmd_audit_head_reset(&o);
    case C_COSIGNED: return cmd_audit_cosigned(&o, n_words > 2 ? words[2] : NULL);
    case C_MADD: case C_MLIST: case C_MSHOW: case C_MUPDATE: case C_MWITHDRAW: case C_MKEYGEN:
    case C_MREGISTER: case C_ANNOUNCE:
        return cmd_member(&o, cmd, n_words > 2 ? words[2] : NULL);
    case C_SADD: case C_SLIST: case C_SPLEDGE: case C_SRETIRE:
        return cmd_staff(&o, cmd, n_words > 2 ? words[2] : NULL);
    case C_SCLIST: case C_SCADD: case C_SCREMOVE:
        return cmd_scope(&o, cmd, words[2]);
    case C_CCREATE: case C_CADDP: case C_CUPDATE: case C_CSHOW: case C_CHISTORY: case C_CLIST:
    case C_CINFO: case C_CSHARE: case C_CREVOKE: case C_CERASE: case C_CFIND: case C_CSTATUS:
    case C_CREKEY:
        return cmd_case(&o, cmd, words[2], words[3]);
    case C_KRECORD: case C_KREFUSE: case C_KWITHDRAW: case C_KLIST: case C_KSHOW:
        return cmd_consent(&o, cmd, words[2]);
    case C_DISCLOSE:
        return cmd_case(&o, cmd, words[1], NULL);
    case C_MTCREATE: case C_MTADD: case C_MTSHOW: case C_MTPACKET: case C_MTCLOSE:
        return cmd_meeting(&o, cmd, words[2], words[3]);
    case C_REPORT:
        return cmd_report(&o);
    case C_RKDB: case C_RKROOT:
        return cmd_rekey(&o, cmd);
    case C_EXPORT: return cmd_audit_export(&o);
    default: return cmd_audit_prove(&o);
    }
}
