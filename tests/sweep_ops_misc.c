/*
 * sweep_ops_misc.c - the sweep's operations: members (update, keys
 * registered or written to a file), staff retired, scopes, the signed
 * settings, meetings (an item added, closed), cooperation requests
 * (declined, withdrawn), the provision register and the log head reset.
 *
 * council_request_make is swept in the core table (request_make);
 * council_audit_prove_* and council_audit_witness neither write nor log
 * (the proofs are read from the stored tree; the witness has no store),
 * so they are not swept.
 */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "council/v1/member.pb-c.h"
#include "sweep.h"

/* A member x of B's scopes, with keys (a keyfile made and dropped) and the
 * world case's wishes shared to it: replacing its keys seals that wrap
 * again and rotates the key. */
static void keyed_prep(world *w)
{
    council_buf kf = { NULL, 0 };

    add_member(w, w->x, "NPO K", b_scopes, 3, &kf);
    council_buf_free(&kf);
    MUST(share_to(w->sa, w->cid, w->x, "wishes"));
}

/* member update: B's entry, its name and contact changed, same scopes */
static int member_update_run(world *w, council **h, council_buf *out)
{
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;

    (void)out;
    o.name = "NPO B (改称)";
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_NPO;
    o.scopes = b_scopes;
    o.n_scopes = 3;
    o.contact = "03-0000-0000";
    *h = w->c;
    return council_member_update(w->c, w->mb, 16, &o);
}

/* keys a member made on its own system */
static uint8_t reg_box_pk[32], reg_sign_pk[32];
static int register_key_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_member_register_key(w->c, w->x, 16, reg_box_pk, 32, reg_sign_pk, 32);
}
static void register_key_prep(world *w)
{
    uint8_t bsk[32], ssk[64];

    keyed_prep(w);
    crypto_box_keypair(reg_box_pk, bsk);
    crypto_sign_keypair(reg_sign_pk, ssk);
    sodium_memzero(bsk, sizeof bsk);
    sodium_memzero(ssk, sizeof ssk);
}

/* a keyfile written to a file: after a failure it must not be there (the
 * keys were not replaced), after the success it is removed */
static void keygen_file_prep(world *w)
{
    keyed_prep(w);
    fresh_path(w, "keyfile");
}
static int keygen_file_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_member_keygen_file(w->c, w->path, w->x, 16, (const uint8_t *)MPASS,
                                      strlen(MPASS), OPS, MEM);
}

/* staff x of A's, pledged, assigned to the world's case */
static void retire_prep(world *w)
{
    council_assign_options o = COUNCIL_ASSIGN_OPTIONS_INIT;

    add_staff(w, w->x, w->ma);
    o.workers = w->x;
    o.n_workers = 1;
    MUST(council_case_assign(w->sa, w->cid, 16, &o));
}
static int retire_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_staff_retire(w->c, w->x, 16, 0, "退職のため");
}

/* scopes */
static int scope_add_run(world *w, council **h, council_buf *out)
{
    (void)w;
    (void)out;
    *h = w->c;
    return council_scope_add(w->c, "housing", COUNCIL_SCOPE_SENSITIVE);
}
static void scope_remove_prep(world *w)
{
    MUST(council_scope_add(w->c, "housing", 0));
}
static int scope_remove_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_scope_remove(w->c, "housing");
}

/* the signed settings */
static int timezone_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_timezone_set(w->c, "UTC");
}
static int policy_run(world *w, council **h, council_buf *out)
{
    static const char *const bases[] = { "consent", "appi_27_1_4_public_duty",
                                         "council_art16_exchange" };
    council_policy_options po = COUNCIL_POLICY_OPTIONS_INIT;

    (void)out;
    po.accepted_bases = bases;
    po.n_accepted_bases = 3;
    po.cross_body_use = 1;
    *h = w->c;
    return council_policy_set(w->c, &po);
}
static int read_while_deciding_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_referral_read_while_deciding_set(w->c, 1);
}

/* meetings: the world's case's wishes put before B at the world's
 * meeting; the world's meeting closed (its share to B revoked) */
static int add_item_run(world *w, council **h, council_buf *out)
{
    council_agenda_options ao = COUNCIL_AGENDA_OPTIONS_INIT;
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
    static const char *const sc[] = { "wishes" };

    (void)out;
    so.scopes = sc;
    so.n_scopes = 1;
    so.purpose = "meeting_discussion";
    so.basis = "appi_27_1_4_public_duty";
    so.reason = "要保護の判断のため";
    ao.share = &so;
    *h = w->c;
    return council_meeting_add_item(w->c, w->mid, 16, w->cid, 16, w->mb, 16, &ao);
}
static int meeting_close_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_meeting_close(w->c, w->mid, 16);
}

/* cooperation requests: the council asks B about the world's case
 * (request_prep, as the core table's request_make); B declines, or the
 * council withdraws */
static int request_decline_run(world *w, council **h, council_buf *out)
{
    static const char why[] = "人員不足のため CANARY-DECLINE";

    (void)out;
    *h = w->sb;
    return council_request_decline(w->sb, w->z, 16, "no_capacity", why, strlen(why));
}
static int request_withdraw_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_request_withdraw(w->c, w->z, 16, "resolved");
}

/* the provision register, every member's rows */
static int provision_run(world *w, council **h, council_buf *out)
{
    council_provision_options o = COUNCIL_PROVISION_OPTIONS_INIT;

    *h = w->c;
    return council_provision_register(w->c, out, &o);
}

/* the log head reset: its event is on the record before council.keyring
 * takes the new head (never a reset without it), so a failed write of the
 * keyring after the commit leaves the event standing without the reset,
 * and the call says so (the old head stays; calling again resets): as for
 * the operations that return content, the event may stand (content
 * true). */
static int head_reset_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_audit_head_reset(w->c, "restored_from_backup");
}

const op sweep_ops_misc[] = {
    { "member_update", false, false, false, no_prep, member_update_run, NULL },
    { "member_register_key", false, false, false, register_key_prep, register_key_run, NULL, false,
      false, true },
    { "member_keygen_file", false, false, false, keygen_file_prep, keygen_file_run, unlink_done,
      false, false, true },
    { "staff_retire", false, false, false, retire_prep, retire_run, NULL },
    { "scope_add", false, false, false, no_prep, scope_add_run, NULL },
    { "scope_remove", false, false, false, scope_remove_prep, scope_remove_run, NULL },
    { "timezone_set", false, false, false, no_prep, timezone_run, NULL },
    { "policy_set", false, false, false, no_prep, policy_run, NULL },
    { "referral_read_while_deciding_set", false, false, false, no_prep, read_while_deciding_run,
      NULL },
    { "meeting_add_item", false, false, false, no_prep, add_item_run, NULL },
    { "meeting_close", false, false, false, no_prep, meeting_close_run, NULL },
    { "request_decline", false, false, false, request_prep, request_decline_run, NULL },
    { "request_withdraw", false, false, false, request_prep, request_withdraw_run, NULL },
    { "provision_register", true, false, false, no_prep, provision_run, NULL, false, true },
    { "audit_head_reset", true, false, false, no_prep, head_reset_run, NULL, false, true },
};
const size_t sweep_ops_misc_n = sizeof sweep_ops_misc / sizeof sweep_ops_misc[0];
