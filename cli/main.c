/*
 * council-cli - the council secretariat's tool.
 *
 * Uses only council.h, the shared library, and the public message formats
 * in proto/. This file holds the table of commands and finds the one a
 * command line names; each cmd_<noun>.c holds its commands' options, help
 * and work. Exit status by class: 0 success, 1 failed, 2 usage error,
 * 3 authentication, 4 not entitled or no consent, 5 tamper, 6 not found.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "cmds.h"
#include "text.h"
#include "util.h"
#include "util.h"

static const cli_cmd table[] = {
    { "init", NULL, cmd_init, N_("create a council store at PATH") },
    { "info", NULL, cmd_info, N_("show the council id, name, versions and log key") },
    { "passphrase", NULL, cmd_passphrase, N_("change the passphrase that protects the root key") },
    { "timezone", NULL, cmd_timezone, N_("show the council's time zone, or set it") },
    { "unlock", NULL, cmd_unlock, N_("open the store once; later commands take no passphrase") },
    { "lock", NULL, cmd_lock, N_("forget the store's unlocked sessions at once") },
    { "member", "add", cmd_member_add, N_("register a member (構成機関等); prints its id") },
    { "member", "list", cmd_member_list, N_("list the members") },
    { "member", "show", cmd_member_show, N_("show one member") },
    { "member", "update", cmd_member_update, N_("change a member's name, kind, roles, scopes or contact") },
    { "member", "withdraw", cmd_member_withdraw, N_("record that a member left the council") },
    { "member", "cases", cmd_member_cases, N_("list the cases a member owns (they move when it withdraws)") },
    { "member", "keygen", cmd_member_keygen, N_("make a member's keys and its keyfile") },
    { "member", "register-key", cmd_member_register_key, N_("register a member's public keys") },
    { "members", "announce", cmd_members_announce,
      N_("the public announcement: council, coordinating body and member names") },
    { "staff", "add", cmd_staff_add, N_("register a member's staff member; prints its id") },
    { "staff", "list", cmd_staff_list, N_("list the staff") },
    { "staff", "pledge", cmd_staff_pledge, N_("record a staff member's pledge of confidentiality") },
    { "staff", "retire", cmd_staff_retire, N_("record that a staff member left") },
    { "scope", "list", cmd_scope_list, N_("list the scopes of case content") },
    { "scope", "add", cmd_scope_add, N_("add a scope") },
    { "scope", "remove", cmd_scope_remove, N_("remove a scope no case uses") },
    { "case", "create", cmd_case_create, N_("open a case (個別ケース); prints the case and person ids") },
    { "case", "add-person", cmd_case_add_person, N_("add a family member or close third party") },
    { "case", "update", cmd_case_update, N_("write a section of a case from JSON") },
    { "case", "show", cmd_case_show, N_("read a case, or one section of it") },
    { "case", "history", cmd_case_history, N_("read every version of a section") },
    { "case", "list", cmd_case_list, N_("list the cases") },
    { "case", "info", cmd_case_info, N_("show a case's persons, sections and shares") },
    { "case", "share", cmd_case_share, N_("share scopes of a case with a member") },
    { "case", "revoke", cmd_case_revoke, N_("end a member's shares of a case") },
    { "case", "erase", cmd_case_erase, N_("destroy a case's keys and content (irreversible)") },
    { "case", "find", cmd_case_find, N_("find cases by a person's name and birth date") },
    { "case", "status", cmd_case_status, N_("set a case open, monitoring or closed") },
    { "case", "rekey", cmd_case_rekey, N_("re-encrypt a case under new data keys") },
    { "case", "transfer", cmd_case_transfer, N_("move a case's ownership to another member") },
    { "case", "merge", cmd_case_merge, N_("record that two persons of a case are the same person") },
    { "case", "assign", cmd_case_assign, N_("set a case's lead member and workers (no key access)") },
    { "case", "workers", cmd_case_workers, N_("show a case's lead member, workers and next review") },
    { "case", "review", cmd_case_review, N_("set or clear a case's next review date") },
    { "case", "reviews", cmd_case_reviews, N_("list the cases whose review is due") },
    { "case", "handover", cmd_case_handover,
      N_("hand a case over to another staff member of the same member") },
    { "case", "handover-list", cmd_case_handover_list,
      N_("list a staff member's cases and open tasks to hand over") },
    { "case", "pseudonym", cmd_case_pseudonym,
      N_("print a case's audit pseudonym (the secretariat's)") },
    { "case", "resolve", cmd_case_resolve,
      N_("print the case of an audit pseudonym (the secretariat's; logged)") },
    { "rekey", "database", cmd_rekey_database, N_("re-encrypt council.db under a new database key") },
    { "rekey", "root", cmd_rekey_root, N_("replace the root key") },
    { "consent", "record", cmd_consent_record, N_("record a consent (同意); prints its id") },
    { "consent", "refuse", cmd_consent_refuse, N_("record a refusal of consent; prints its id") },
    { "consent", "withdraw", cmd_consent_withdraw, N_("record that a consent was withdrawn") },
    { "consent", "list", cmd_consent_list, N_("list a case's consent records") },
    { "consent", "show", cmd_consent_show, N_("show one consent record") },
    { "policy", "show", cmd_policy_show, N_("print the council's disclosure policy") },
    { "policy", "set", cmd_policy_set,
      N_("change the disclosure policy: accepted bases, second approver, cross-body use") },
    { "retention", "show", cmd_retention_show, N_("print the retention schedule") },
    { "retention", "set", cmd_retention_set,
      N_("set how long cases of a body and status are kept (years, months, days, or keep)") },
    { "retention", "due", cmd_retention_due, N_("list the cases due for erasure under the schedule") },
    { "retention", "apply", cmd_retention_apply,
      N_("erase the cases due and purge ended shares of their keys (asks first)") },
    /* issue 17, blind */
    { "index", "status", cmd_index_status, N_("print the blind index's token width and size") },
    { "index", "rebuild", cmd_index_rebuild,
      N_("widen the blind index when the store has outgrown its token width") },
    { "disclose", NULL, cmd_disclose, N_("case share, or with --dry-run only the decision") },
    { "meeting", "create", cmd_meeting_create, N_("hold a meeting (会議); prints its id") },
    { "meeting", "add-case", cmd_meeting_add_case,
      N_("share scopes of a case with an attendee until the meeting ends") },
    { "meeting", "show", cmd_meeting_show, N_("show a meeting, its attendees and agenda") },
    { "meeting", "packet", cmd_meeting_packet, N_("write an attendee's sealed meeting packet") },
    { "meeting", "close", cmd_meeting_close, N_("end the meeting's disclosures now") },
    { "meeting", "minutes", cmd_meeting_minutes, N_("record the meeting's minutes, sealed to the attendees") },
    { "meeting", "decide", cmd_meeting_decide, N_("record a decision of the meeting; prints its id") },
    { "meeting", "decisions", cmd_meeting_decisions, N_("show the minutes and decisions this session may read") },
    { "referral", "propose", cmd_referral_propose,
      N_("propose a referral (つなぐ) of a case to a member; prints its id") },
    { "referral", "accept", cmd_referral_accept, N_("accept a referral") },
    { "referral", "decline", cmd_referral_decline, N_("decline a referral, with a reason") },
    { "referral", "withdraw", cmd_referral_withdraw, N_("withdraw a referral not answered yet") },
    { "referral", "complete", cmd_referral_complete, N_("complete an accepted referral") },
    { "referral", "end", cmd_referral_end, N_("end an accepted referral, with a reason") },
    { "referral", "deliver", cmd_referral_deliver,
      N_("share an accepted referral's scopes, or rotate an ended one's keys") },
    { "referral", "show", cmd_referral_show, N_("show a referral and its steps") },
    { "referral", "list", cmd_referral_list, N_("list referrals by case, member or state") },
    { "referral", "note", cmd_referral_note, N_("print a referral's note or written reason") },
    { "referral", "setting", cmd_referral_setting,
      N_("show or set whether recipients read while deciding") },
    { "request", "make", cmd_request_make,
      N_("ask a member about a case (協力要請); prints its id") },
    { "request", "answer", cmd_request_answer, N_("answer a request: provide scopes, an opinion") },
    { "request", "decline", cmd_request_decline, N_("decline a request, with a reason") },
    { "request", "withdraw", cmd_request_withdraw, N_("withdraw an open request") },
    { "request", "show", cmd_request_show, N_("show a request, or one of its sealed texts") },
    { "request", "list", cmd_request_list, N_("list requests (--overdue: past due)") },
    { "task", "add", cmd_task_add, N_("add a support task to a case; prints its id") },
    { "task", "done", cmd_task_done, N_("mark a support task done") },
    { "task", "cancel", cmd_task_cancel, N_("cancel a support task") },
    { "task", "list", cmd_task_list, N_("list support tasks by due date") },
    { "task", "show", cmd_task_show, N_("show a support task with its text") },
    { "bundle", "export", cmd_bundle_export,
      N_("write a signed bundle sealed to a member (case, meeting packet, referral, ...)") },
    { "bundle", "inspect", cmd_bundle_inspect,
      N_("show a bundle's clear header and check its signature (no store)") },
    { "bundle", "import", cmd_bundle_import,
      N_("import a member's bundle into the council (answer, cosignature, intake)") },
    { "intake", "import", cmd_intake_import,
      N_("import a person handed over from outside (JSON form); prints the case") },
    { "person", "report", cmd_person_report,
      N_("the person's file: what is held, disclosed and read (JSON or printable HTML)") },
    { "report", "platform", cmd_report_platform,
      N_("counts for the regional platform, small ones suppressed") },
    { "report", "list", cmd_report_list,
      N_("the reports the council issued (its register), with their hashes") },
    /* issue 16, register */
    { "register", "show", cmd_register_show,
      N_("the provision register (記録): provisions and receipts per member and period") },
    { "outside", "disclose", cmd_outside_disclose,
      N_("write a case's sections for an outside party a consent names (logged first)") },
    { "audit", "show", cmd_audit_show, N_("list the events of the audit log") },
    { "audit", "checkpoint", cmd_audit_checkpoint, N_("sign and print a checkpoint of the log") },
    { "audit", "root-uses", cmd_audit_root_uses,
      N_("list the council passphrase's uses with their written reasons") },
    { "audit", "reset-head", cmd_audit_reset_head,
      N_("take the log as it is as the signer's head, after a refused checkpoint") },
    { "audit", "export", cmd_audit_export, N_("write every event and checkpoint to a file") },
    { "audit", "prove", cmd_audit_prove, N_("print an inclusion or consistency proof") },
    { "audit", "add-cosignatures", cmd_audit_add_cosignatures,
      N_("store a witness's cosigned checkpoint") },
    { "audit", "verify", cmd_audit_verify,
      N_("verify an export, a checkpoint or a proof (no store: the public key alone)") },
    { "audit", "witness", cmd_audit_witness,
      N_("check a checkpoint's consistency and cosign it (no store)") },
    { "audit", "witness-keygen", cmd_audit_witness_keygen, N_("make a witness key (no store)") },
    { "audit", "case-evidence", cmd_audit_case_evidence,
      N_("write a case's events with inclusion proofs for an auditor") },
    { "audit", "verify-case", cmd_audit_verify_case,
      N_("verify a case evidence file with the public key alone (no store)") },
    { "node", "init", cmd_node_init, N_("make a member node in DIR from the member's keyfile") },
    { "node", "show", cmd_node_show, N_("show a member node: ids, keys, items, checkpoint seen") },
    { "node", "import", cmd_node_import, N_("import a bundle from the council into the node") },
    { "node", "list", cmd_node_list, N_("list the items a node holds (no content)") },
    { "node", "read", cmd_node_read, N_("print an item's content (the read is logged)") },
    { "node", "purge", cmd_node_purge, N_("delete a node's expired items") },
    { "node", "answer", cmd_node_answer,
      N_("answer a referral or a request: a bundle to the council") },
    { "node", "return-sections", cmd_node_return_sections,
      N_("return a case's updated sections: a bundle to the council") },
    { "node", "cosign", cmd_node_cosign,
      N_("cosign the council checkpoint last verified: a bundle to the council") },
    { "node", "export-log", cmd_node_export_log, N_("write the node's own log to a file") },
};
#define N_TABLE (sizeof table / sizeof table[0])

static const char help_tail[] = N_(
    "\n"
    "Give a command's words, then its arguments and options, in any order:\n"
    "council-cli NOUN VERB --help prints the command's own help, with an example.\n"
    "\n"
    "Before the command (or after it, for the commands that take them):\n"
    "  --store PATH            the store directory (default: $COUNCIL_STORE)\n"
    "  --passphrase-file FILE  read the passphrase from FILE ('-': standard input)\n"
    "  --root-key-file FILE    the integrator's root key: 64 hex digits\n"
    "  --utc                   print times in UTC (...Z), not the council's zone\n"
    "  --staff ID --keyfile FILE\n"
    "                          a staff session, with the member's passphrase\n"
    "                          (default: $COUNCIL_STAFF and $COUNCIL_KEYFILE)\n"
    "  --root-reason CODE --root-note TEXT\n"
    "                          use the council passphrase (root), and say why:\n"
    "                          setup, recovery, emergency or key_management\n"
    "                          (default: $COUNCIL_ROOT_REASON, $COUNCIL_ROOT_NOTE)\n"
    "  -h, --help              show this help;  --version  show the version\n"
    "\n"
    "People work in staff sessions: --staff ID --keyfile FILE, with the member's\n"
    "passphrase from --passphrase-file, $COUNCIL_MEMBER_PASSPHRASE or the terminal\n"
    "(or once per sitting: see `unlock`). Staff of the member in the secretariat's\n"
    "role run the register, staff, scopes, meetings, reports and the audit log; staff\n"
    "of the coordinating body's member read every case; every member's staff work on\n"
    "their own cases and what was shared with them. The council passphrase (root) is\n"
    "for setting up, recovery, emergencies and key management (passphrase, rekey\n"
    "root, rekey database, audit reset-head): each use is recorded with its reason.\n"
    "\n"
    "A VKEY is a C2SP verifier key (as `info` prints it), or @FILE to read one.\n"
    "Times T: YYYY-MM-DDTHH:MM:SS with Z or an offset (+09:00); without one, in\n"
    "the council's time zone (council-cli timezone; default Asia/Tokyo); a date\n"
    "YYYY-MM-DD alone is its first moment, or for an end (--valid-until,\n"
    "--expires, --ends, --until) the whole day; or Unix seconds. Impossible\n"
    "dates are refused. Times print in the council's zone unless --utc.\n"
    "The passphrase comes from --passphrase-file, else $COUNCIL_PASSPHRASE, else\n"
    "the terminal (not echoed); while the store is unlocked (council-cli unlock,\n"
    "until council-cli lock), no passphrase is needed. The new passphrase comes from\n"
    "--new-passphrase-file, else $COUNCIL_NEW_PASSPHRASE, else the terminal.\n"
    "Exit status: 0 success, 1 failed, 2 usage error, 3 authentication (a wrong\n"
    "passphrase or key), 4 not entitled or no consent (a dry run's refusal too),\n"
    "5 tamper (a record or log changed outside the library), 6 not found.\n");

static void top_help(void)
{
    const char *noun = NULL;

    printf(_("usage: council-cli [--store PATH] COMMAND [ARGUMENTS] [OPTIONS]\n"
           "       council-cli COMMAND --help    a command's own help, with an example\n"
           "       council-cli help [NOUN [VERB]]\n"
           "       council-cli completion bash    a bash completion script\n"
           "\n"
           "Commands:\n"));
    for (size_t i = 0; i < N_TABLE; i++) {
        char words[40];
        const cli_cmd *c = &table[i];
        if (noun != NULL && strcmp(noun, c->noun) != 0 && (c->verb != NULL || i == 0 ||
                                                         table[i - 1].verb != NULL))
            putchar('\n');
        noun = c->noun;
        snprintf(words, sizeof words, "%s%s%s", c->noun, c->verb != NULL ? " " : "",
                 c->verb != NULL ? c->verb : "");
        printf("  %-24s%s\n", words, _(c->summary));
    }
    fputs(_(help_tail), stdout);
}

/* `help NOUN`: the noun's commands. */
static void noun_help(const char *noun)
{
    printf(_("usage: council-cli %s VERB [ARGUMENTS] [OPTIONS]\n\nCommands:\n"), noun);
    for (size_t i = 0; i < N_TABLE; i++)
        if (strcmp(table[i].noun, noun) == 0)
            printf("  %s %-*s%s\n", noun, (int)(22 - strlen(noun)), table[i].verb,
                   _(table[i].summary));
    printf(_("\nTry 'council-cli %s VERB --help' for a command's options and an example.\n"),
           noun);
}

/* ---------------------------------------------------------- suggestions */

static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[64];

    if (la >= 63 || lb >= 63)
        return 64;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

/* The nearest noun (noun == NULL) or verb of the noun to `word`, if near
 * enough to be a slip; else NULL. */
static const char *nearest(const char *noun, const char *word)
{
    size_t best = SIZE_MAX, len = strlen(word), limit = len >= 6 ? 3 : 2;
    const char *hit = NULL;

    for (size_t i = 0; i < N_TABLE; i++) {
        const char *cand = noun == NULL ? table[i].noun : table[i].verb;
        size_t d;
        if (cand == NULL || (noun != NULL && strcmp(table[i].noun, noun) != 0))
            continue;
        d = distance(word, cand);
        if (d < best) {
            best = d;
            hit = cand;
        }
    }
    if (noun == NULL && distance(word, "help") < best) {
        best = distance(word, "help");
        hit = "help";
    }
    return best <= limit && best < len ? hit : NULL;
}

static int unknown_noun(const char *word)
{
    const char *near = nearest(NULL, word);

    fprintf(stderr, _("%s: unknown command '%s'\n"), prog, word);
    if (near != NULL)
        fprintf(stderr, _("Did you mean '%s'?\n"), near);
    fprintf(stderr, _("Try 'council-cli --help'.\n"));
    return EXIT_USAGE;
}

static int unknown_verb(const char *noun, const char *word)
{
    const char *near = nearest(noun, word);

    fprintf(stderr, _("%s: unknown %s command '%s'\n"), prog, noun, word);
    if (near != NULL)
        fprintf(stderr, _("Did you mean '%s %s'?\n"), noun, near);
    fprintf(stderr, _("Try 'council-cli help %s'.\n"), noun);
    return EXIT_USAGE;
}

/* --------------------------------------------------------------- lookup */

static int is_noun(const char *word)
{
    for (size_t i = 0; i < N_TABLE; i++)
        if (strcmp(table[i].noun, word) == 0)
            return 1;
    return 0;
}

/* The command of words[0] (and words[1], for a noun with verbs): the
 * row, or NULL with *rc set (after a message, or 0 after a noun's help). */
static const cli_cmd *lookup(int n_words, char **words, int help_ok, int *rc)
{
    *rc = EXIT_USAGE;
    for (size_t i = 0; i < N_TABLE; i++)
        if (table[i].verb == NULL && strcmp(table[i].noun, words[0]) == 0)
            return &table[i];
    if (!is_noun(words[0])) {
        *rc = unknown_noun(words[0]);
        return NULL;
    }
    if (n_words < 2 || words[1][0] == '-') {
        if (help_ok || (n_words > 1 && (strcmp(words[1], "--help") == 0 ||
                                        strcmp(words[1], "-h") == 0))) {
            noun_help(words[0]);
            *rc = 0;
            return NULL;
        }
        *rc = usage(_("'%s' needs a command word"), words[0]);
        return NULL;
    }
    for (size_t i = 0; i < N_TABLE; i++)
        if (table[i].verb != NULL && strcmp(table[i].noun, words[0]) == 0 &&
            strcmp(table[i].verb, words[1]) == 0)
            return &table[i];
    *rc = unknown_verb(words[0], words[1]);
    return NULL;
}

/* council-cli help [NOUN [VERB]] */
static int help_command(int n_words, char **words)
{
    const cli_cmd *cmd;
    char *argv[] = { words[-1], (char *)"--help", NULL };
    cli_ctx x;
    int rc;

    if (n_words == 0) {
        top_help();
        return 0;
    }
    if ((cmd = lookup(n_words, words, 1, &rc)) == NULL)
        return rc;
    if (n_words > (cmd->verb != NULL ? 2 : 1))
        return usage(_("unexpected argument '%s'"), words[cmd->verb != NULL ? 2 : 1]);
    memset(&x, 0, sizeof x);
    x.cmd = cmd;
    cli_set_current(cmd);
    return CLI_PARSED(cmd->run(&x, 2, argv));
}

/* ------------------------------------------------------------ completion */

/* `completion bash`: a bash completion script, from the table above. Nouns
 * and verbs come from the table; a command's options from its own --help at
 * completion time, so they never drift from what the command takes. */
static int completion_command(int n_words, char **words)
{
    if (n_words != 1 || strcmp(words[0], "bash") != 0)
        return usage("%s", _("completion takes one shell: bash"));
    printf("# bash completion for council-cli, generated by 'council-cli completion bash'\n"
           "# from its command table. Install: council-cli completion bash > \\\n"
           "#   ~/.local/share/bash-completion/completions/council-cli\n"
           "_council_cli_verbs() {\n"
           "    case $1 in\n");
    /* A noun's rows need not be adjacent in the table (issue 14 added
     * meeting verbs further down): each noun once, with all its verbs. */
    for (size_t i = 0; i < N_TABLE; i++) {
        bool seen = false, any = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = table[j].verb != NULL && strcmp(table[j].noun, table[i].noun) == 0;
        if (seen || table[i].verb == NULL)
            continue;
        for (size_t j = i; j < N_TABLE; j++) {
            if (table[j].verb == NULL || strcmp(table[j].noun, table[i].noun) != 0)
                continue;
            if (!any)
                printf("    %s) echo \"%s", table[j].noun, table[j].verb);
            else
                printf(" %s", table[j].verb);
            any = true;
        }
        printf("\" ;;\n");
    }
    printf("    esac\n"
           "}\n"
           "_council_cli_nouns=\"");
    for (size_t i = 0; i < N_TABLE; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(table[j].noun, table[i].noun) == 0;
        if (!seen)
            printf("%s%s", i == 0 ? "" : " ", table[i].noun);
    }
    printf("\"\n"
           "_council_cli() {\n"
           "    local cur=${COMP_WORDS[COMP_CWORD]} w words=() i=1\n"
           "    while [ \"$i\" -lt \"$COMP_CWORD\" ]; do\n"
           "        w=${COMP_WORDS[i]}\n"
           "        case $w in\n"
           "        --store|--passphrase-file|--root-key-file|--staff|--keyfile|--root-reason|"
           "--root-note) i=$((i + 1)) ;;\n"
           "        -*) ;;\n"
           "        *) words+=(\"$w\") ;;\n"
           "        esac\n"
           "        i=$((i + 1))\n"
           "    done\n"
           "    if [ ${#words[@]} -eq 0 ]; then\n"
           "        case $cur in\n"
           "        -*) COMPREPLY=($(compgen -W \"--store --passphrase-file --root-key-file --staff "
           "--keyfile --root-reason --root-note --utc --help --version\" -- \"$cur\")) ;;\n"
           "        *) COMPREPLY=($(compgen -W \"help completion $_council_cli_nouns\" -- "
           "\"$cur\")) ;;\n"
           "        esac\n"
           "        return\n"
           "    fi\n"
           "    local verbs\n"
           "    case ${words[0]} in\n"
           "    completion) [ ${#words[@]} -eq 1 ] && COMPREPLY=($(compgen -W bash -- \"$cur\"))\n"
           "        return ;;\n"
           "    help) case ${#words[@]} in\n"
           "        1) COMPREPLY=($(compgen -W \"$_council_cli_nouns\" -- \"$cur\")) ;;\n"
           "        2) COMPREPLY=($(compgen -W \"$(_council_cli_verbs \"${words[1]}\")\" -- \"$cur\")) ;;\n"
           "        esac\n"
           "        return ;;\n"
           "    esac\n"
           "    verbs=$(_council_cli_verbs \"${words[0]}\")\n"
           "    if [ -n \"$verbs\" ] && [ ${#words[@]} -eq 1 ]; then\n"
           "        COMPREPLY=($(compgen -W \"$verbs\" -- \"$cur\"))\n"
           "        return\n"
           "    fi\n"
           "    case $cur in\n"
           "    -*) local cmd=${words[0]}\n"
           "        [ -n \"$verbs\" ] && cmd=\"$cmd ${words[1]}\"\n"
           "        COMPREPLY=($(compgen -W \"$(${COMP_WORDS[0]} $cmd --help 2>/dev/null |\n"
           "            grep -o -- '--[a-z][a-z-]*' | sort -u)\" -- \"$cur\")) ;;\n"
           "    *) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
           "    esac\n"
           "}\n"
           "complete -F _council_cli council-cli\n");
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option lo[] = {
        { "store", required_argument, NULL, 's' },
        { "passphrase-file", required_argument, NULL, 'p' },
        { "root-key-file", required_argument, NULL, 'r' },
        { "staff", required_argument, NULL, 't' },
        { "keyfile", required_argument, NULL, 'k' },
        { "root-reason", required_argument, NULL, 'R' },
        { "root-note", required_argument, NULL, 'N' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'v' },
        { "utc", no_argument, NULL, 'u' },
        { NULL, 0, NULL, 0 },
    };
    const cli_cmd *cmd;
    cli_ctx x;
    int c, idx, rc, n_words;

    i18n_init();
    memset(&x, 0, sizeof x);
    /* --version takes effect wherever it appears. */
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--version") == 0) {
            printf("council-cli %s (libcouncil %s)\n", COUNCIL_VERSION_STRING,
                   council_version_string());
            return 0;
        }
    /* The library loaded must be the one this tool was built against. */
    if (council_version_number() / 100 != COUNCIL_VERSION_NUMBER / 100) {
        fprintf(stderr, _("%s: built for libcouncil %s but loaded %s\n"), prog,
                COUNCIL_VERSION_STRING, council_version_string());
        return EXIT_FAILURE;
    }
    /* Whatever jansson frees may have held case content. */
    json_set_alloc_funcs(malloc, wiping_free);

    /* The global options, up to the first word ('+'). */
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:h", lo, &idx)) != -1) {
        const char *text = optind >= 2 && optarg == argv[optind - 1] ? argv[optind - 2]
                                                                      : argv[optind - 1];
        if (c == ':')
            return usage(_("option '%s' needs a value"), argv[optind - 1]);
        if (c == '?') {
            if (optopt != 0)
                return usage(_("unknown option '-%c'"), optopt);
            return usage(_("option '%s' is not one that comes before the command: give it "
                         "after the command's words"), argv[optind - 1]);
        }
        if (c != 'h' && (strncmp(text, "--", 2) != 0 ||
                         strcspn(text + 2, "=") != strlen(lo[idx].name) ||
                         strncmp(text + 2, lo[idx].name, strlen(lo[idx].name)) != 0))
            return usage(_("unknown option '%s'"), text);
        switch (c) {
        case 's': x.g.store = optarg; break;
        case 'p': x.g.pass_file = optarg; break;
        case 'r': x.g.key_file = optarg; break;
        case 't': x.g.staff = optarg; break;
        case 'k': x.g.keyfile = optarg; break;
        case 'R': x.g.root_reason = optarg; break;
        case 'N': x.g.root_note = optarg; break;
        case 'u': time_utc_output(); break;
        default: /* 'h' */
            top_help();
            return 0;
        }
    }
    n_words = argc - optind;
    if (n_words == 0)
        return usage("%s", _("no command given"));
    if (strcmp(argv[optind], "help") == 0)
        return help_command(n_words - 1, argv + optind + 1);
    if (strcmp(argv[optind], "completion") == 0)
        return completion_command(n_words - 1, argv + optind + 1);
    if ((cmd = lookup(n_words, argv + optind, 0, &rc)) == NULL)
        return rc;
    if (council_global_init() != COUNCIL_OK)
        return failed("init", NULL, COUNCIL_ERROR);
    x.cmd = cmd;
    cli_set_current(cmd);
    /* The handler's argv[0] is the last command word. */
    optind += cmd->verb != NULL ? 1 : 0;
    return CLI_PARSED(cmd->run(&x, argc - optind, argv + optind));
}
