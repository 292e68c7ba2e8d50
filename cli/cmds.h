/*
 * cmds.h - every command's handler, one cmd_<noun>.c a noun; the table
 * that names them is in main.c.
 */
#ifndef COUNCIL_CLI_CMDS_H
#define COUNCIL_CLI_CMDS_H

#include "cli.h"

/* cmd_council.c */
int cmd_init(cli_ctx *x, int argc, char **argv);
int cmd_info(cli_ctx *x, int argc, char **argv);
int cmd_passphrase(cli_ctx *x, int argc, char **argv);
int cmd_timezone(cli_ctx *x, int argc, char **argv);
/* cmd_unlock.c */
int cmd_unlock(cli_ctx *x, int argc, char **argv);
int cmd_lock(cli_ctx *x, int argc, char **argv);
/* cmd_audit.c */
int cmd_audit_show(cli_ctx *x, int argc, char **argv);
int cmd_audit_checkpoint(cli_ctx *x, int argc, char **argv);
int cmd_audit_root_uses(cli_ctx *x, int argc, char **argv);
int cmd_audit_reset_head(cli_ctx *x, int argc, char **argv);
int cmd_audit_export(cli_ctx *x, int argc, char **argv);
int cmd_audit_prove(cli_ctx *x, int argc, char **argv);
int cmd_audit_add_cosignatures(cli_ctx *x, int argc, char **argv);
int cmd_audit_verify(cli_ctx *x, int argc, char **argv);
int cmd_audit_witness(cli_ctx *x, int argc, char **argv);
int cmd_audit_witness_keygen(cli_ctx *x, int argc, char **argv);
/* cmd_evidence.c (issue 16: the auditor's view of a case) */
int cmd_audit_case_evidence(cli_ctx *x, int argc, char **argv);
int cmd_audit_verify_case(cli_ctx *x, int argc, char **argv);
/* Verify a case evidence file and print the result (audit verify hands
 * such a file here): an exit status. */
int evidence_verify_file(const char *file, const council_audit_verify_options *vo, int json,
                         int quiet);
/* cmd_member.c */
int cmd_member_add(cli_ctx *x, int argc, char **argv);
int cmd_member_list(cli_ctx *x, int argc, char **argv);
int cmd_member_show(cli_ctx *x, int argc, char **argv);
int cmd_member_update(cli_ctx *x, int argc, char **argv);
int cmd_member_withdraw(cli_ctx *x, int argc, char **argv);
int cmd_member_keygen(cli_ctx *x, int argc, char **argv);
int cmd_member_register_key(cli_ctx *x, int argc, char **argv);
int cmd_members_announce(cli_ctx *x, int argc, char **argv);
/* cmd_staff.c */
int cmd_staff_add(cli_ctx *x, int argc, char **argv);
int cmd_staff_list(cli_ctx *x, int argc, char **argv);
int cmd_staff_pledge(cli_ctx *x, int argc, char **argv);
int cmd_staff_retire(cli_ctx *x, int argc, char **argv);
/* cmd_scope.c */
int cmd_scope_list(cli_ctx *x, int argc, char **argv);
int cmd_scope_add(cli_ctx *x, int argc, char **argv);
int cmd_scope_remove(cli_ctx *x, int argc, char **argv);
/* cmd_case.c */
int cmd_case_create(cli_ctx *x, int argc, char **argv);
int cmd_case_add_person(cli_ctx *x, int argc, char **argv);
int cmd_case_update(cli_ctx *x, int argc, char **argv);
int cmd_case_show(cli_ctx *x, int argc, char **argv);
int cmd_case_history(cli_ctx *x, int argc, char **argv);
int cmd_case_list(cli_ctx *x, int argc, char **argv);
int cmd_case_info(cli_ctx *x, int argc, char **argv);
int cmd_case_share(cli_ctx *x, int argc, char **argv);
int cmd_case_revoke(cli_ctx *x, int argc, char **argv);
int cmd_case_erase(cli_ctx *x, int argc, char **argv);
int cmd_case_find(cli_ctx *x, int argc, char **argv);
int cmd_case_status(cli_ctx *x, int argc, char **argv);
int cmd_case_rekey(cli_ctx *x, int argc, char **argv);

/* cmd_transfer.c */
int cmd_case_transfer(cli_ctx *x, int argc, char **argv);
int cmd_case_merge(cli_ctx *x, int argc, char **argv);
int cmd_member_cases(cli_ctx *x, int argc, char **argv);
int cmd_disclose(cli_ctx *x, int argc, char **argv);
/* cmd_rekey.c */
int cmd_rekey_database(cli_ctx *x, int argc, char **argv);
int cmd_rekey_root(cli_ctx *x, int argc, char **argv);
/* cmd_consent.c */
int cmd_consent_record(cli_ctx *x, int argc, char **argv);
int cmd_consent_refuse(cli_ctx *x, int argc, char **argv);
int cmd_consent_withdraw(cli_ctx *x, int argc, char **argv);
int cmd_consent_list(cli_ctx *x, int argc, char **argv);
int cmd_consent_show(cli_ctx *x, int argc, char **argv);
/* cmd_meeting.c */
int cmd_meeting_create(cli_ctx *x, int argc, char **argv);
int cmd_meeting_add_case(cli_ctx *x, int argc, char **argv);
int cmd_meeting_show(cli_ctx *x, int argc, char **argv);
int cmd_meeting_packet(cli_ctx *x, int argc, char **argv);
int cmd_meeting_close(cli_ctx *x, int argc, char **argv);

/* cmd_referral.c */
int cmd_referral_propose(cli_ctx *x, int argc, char **argv);
int cmd_referral_accept(cli_ctx *x, int argc, char **argv);
int cmd_referral_decline(cli_ctx *x, int argc, char **argv);
int cmd_referral_withdraw(cli_ctx *x, int argc, char **argv);
int cmd_referral_complete(cli_ctx *x, int argc, char **argv);
int cmd_referral_end(cli_ctx *x, int argc, char **argv);
int cmd_referral_deliver(cli_ctx *x, int argc, char **argv);
int cmd_referral_show(cli_ctx *x, int argc, char **argv);
int cmd_referral_list(cli_ctx *x, int argc, char **argv);
int cmd_referral_note(cli_ctx *x, int argc, char **argv);
int cmd_referral_setting(cli_ctx *x, int argc, char **argv);
int cmd_meeting_minutes(cli_ctx *x, int argc, char **argv);
int cmd_meeting_decide(cli_ctx *x, int argc, char **argv);
int cmd_meeting_decisions(cli_ctx *x, int argc, char **argv);
/* cmd_task.c */
int cmd_task_add(cli_ctx *x, int argc, char **argv);
int cmd_task_done(cli_ctx *x, int argc, char **argv);
int cmd_task_cancel(cli_ctx *x, int argc, char **argv);
int cmd_task_list(cli_ctx *x, int argc, char **argv);
int cmd_task_show(cli_ctx *x, int argc, char **argv);
int cmd_case_assign(cli_ctx *x, int argc, char **argv);
int cmd_case_workers(cli_ctx *x, int argc, char **argv);
int cmd_case_review(cli_ctx *x, int argc, char **argv);
int cmd_case_reviews(cli_ctx *x, int argc, char **argv);
int cmd_case_handover(cli_ctx *x, int argc, char **argv);
int cmd_case_handover_list(cli_ctx *x, int argc, char **argv);
/* cmd_report.c */
int cmd_report_platform(cli_ctx *x, int argc, char **argv);
int cmd_report_list(cli_ctx *x, int argc, char **argv); /* issue 16: the issued reports */
/* cmd_register.c (issue 16, register) */
int cmd_register_show(cli_ctx *x, int argc, char **argv);
int cmd_outside_disclose(cli_ctx *x, int argc, char **argv);

/* cmd_request.c */
int cmd_request_make(cli_ctx *x, int argc, char **argv);
int cmd_request_answer(cli_ctx *x, int argc, char **argv);
int cmd_request_decline(cli_ctx *x, int argc, char **argv);
int cmd_request_withdraw(cli_ctx *x, int argc, char **argv);
int cmd_request_show(cli_ctx *x, int argc, char **argv);
int cmd_request_list(cli_ctx *x, int argc, char **argv);

/* cmd_policy.c */
int cmd_policy_show(cli_ctx *x, int argc, char **argv);
int cmd_policy_set(cli_ctx *x, int argc, char **argv);

/* cmd_retention.c (issue 16: the retention schedule and its passes) */
int cmd_retention_show(cli_ctx *x, int argc, char **argv);
int cmd_retention_set(cli_ctx *x, int argc, char **argv);
int cmd_retention_due(cli_ctx *x, int argc, char **argv);
int cmd_retention_apply(cli_ctx *x, int argc, char **argv);

/* cmd_index.c (issue 17, blind: the blind index's width) */
int cmd_index_status(cli_ctx *x, int argc, char **argv);
int cmd_index_rebuild(cli_ctx *x, int argc, char **argv);

/* cmd_bundle_import.c (issue 15: bundles into the council) */
int cmd_bundle_import(cli_ctx *x, int argc, char **argv);
/* A BundleImportResult the library returned, as lines or JSON: 0 or EXIT_FAILURE. */
int print_import_result(const council_buf *out, int json);
/* cmd_intake.c */
int cmd_intake_import(cli_ctx *x, int argc, char **argv);
/* cmd_node.c: member nodes (issue 15) */
int cmd_node_init(cli_ctx *x, int argc, char **argv);
int cmd_node_show(cli_ctx *x, int argc, char **argv);
int cmd_node_import(cli_ctx *x, int argc, char **argv);
int cmd_node_list(cli_ctx *x, int argc, char **argv);
int cmd_node_read(cli_ctx *x, int argc, char **argv);
int cmd_node_purge(cli_ctx *x, int argc, char **argv);
int cmd_node_answer(cli_ctx *x, int argc, char **argv);
int cmd_node_return_sections(cli_ctx *x, int argc, char **argv);
int cmd_node_cosign(cli_ctx *x, int argc, char **argv);
int cmd_node_export_log(cli_ctx *x, int argc, char **argv);
/* cmd_bundle.c */
int cmd_bundle_export(cli_ctx *x, int argc, char **argv);
int cmd_bundle_inspect(cli_ctx *x, int argc, char **argv);

/* cmd_person.c (issue 16: the person's file, the case's pseudonym) */
int cmd_person_report(cli_ctx *x, int argc, char **argv);
int cmd_case_pseudonym(cli_ctx *x, int argc, char **argv);
int cmd_case_resolve(cli_ctx *x, int argc, char **argv);

#endif
