/*
 * sweep_ops_node.c - the sweep's operations (issue 18): the bundles the
 * council makes for a member node and imports from one, cosignatures, and
 * the member node's own operations (council_node_*).
 *
 * A member node has its own store and handle: the harness looks at the
 * world's council store only, so the node operations check the node here
 * (the op's `failed` hook, after each failure with the fault disarmed): a
 * message, the node's tables as before (its log's tables only may change,
 * for an operation that returns content), the node still opening with the
 * member's keyfile, and its own log exporting and verifying. The node is
 * member B's, made in the world's directory by each prep (a node init is
 * cheap: the sweep's KDF costs are the smallest).
 */
#define _GNU_SOURCE
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "sweep.h"
#include "council_int.h"
#include "node.h"
#include "council/v1/bundle.pb-c.h"
#include "council/v1/consent.pb-c.h"
#include "council/v1/info.pb-c.h"
#include "council/v1/node.pb-c.h"

/* ------------------------------------------------------------- the node */

static council_node *node;   /* member B's node, in node_dir */
static council_node *node2;  /* a second handle (node_open, node_init) */
static char node_dir[320];
static uint8_t item[16];     /* an item the node holds (a section) */
static council_buf bundle;   /* a bundle the run imports */
static char *note;           /* a cosigned checkpoint (add_cosignatures) */
static void (*remake)(world *w); /* makes `bundle` again (import_failed) */

static const council_bundle_options *bopts(void)
{
    static council_bundle_options o = COUNCIL_BUNDLE_OPTIONS_INIT;

    o.basis = "appi_27_1_4_public_duty";
    return &o;
}

static const council_bundle_options *eopts(void)
{
    static const council_bundle_options o = COUNCIL_BUNDLE_OPTIONS_INIT;

    return &o;
}

static void node_close_all(void)
{
    council_node_close(node);
    council_node_close(node2);
    node = node2 = NULL;
}

/* The node's tables as someone holding its database key reads them. */
#define NT 24
typedef struct nsnap {
    size_t n;
    char name[NT][48];
    int64_t rows[NT];
    uint8_t hash[NT][32];
} nsnap;

static void node_snapshot(nsnap *s)
{
    sqlite3_stmt *tl = NULL;

    memset(s, 0, sizeof *s);
    if (node == NULL || node->c == NULL || node->c->db == NULL)
        return;
    if (sqlite3_prepare_v2(node->c->db, "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                        "ORDER BY name;", -1, &tl, NULL) != SQLITE_OK)
        abort();
    while (sqlite3_step(tl) == SQLITE_ROW && s->n < NT) {
        snprintf(s->name[s->n], sizeof s->name[s->n], "%s", sqlite3_column_text(tl, 0));
        s->rows[s->n] = table_hash(node->c->db, s->name[s->n], s->hash[s->n]);
        s->n++;
    }
    sqlite3_finalize(tl);
}

static nsnap node_before;
static int node_open_run(world *w, council **h, council_buf *out);

static int node_open_b(council_node **out, world *w)
{
    return council_node_open(out, node_dir, w->kb.ptr, w->kb.len, (const uint8_t *)MPASS,
                             strlen(MPASS));
}

/* The node opens afresh, and its own log exports and verifies. */
static void node_opens_and_verifies(world *w, const char *when)
{
    council_node *n2 = NULL;
    council_buf ib = { NULL, 0 }, rep = { NULL, 0 };
    council_audit_verify_options vo = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    Council__V1__NodeInfo *info = NULL;
    char path[400];
    int rc = node_open_b(&n2, w);

    SWEEP_CHECK(rc == COUNCIL_OK, "%s the node no longer opens: %d (%s)", when, rc,
                council_node_errmsg(n2));
    council_node_close(n2);
    if (node == NULL)
        return;
    rc = council_node_info(node, &ib);
    SWEEP_CHECK(rc == COUNCIL_OK, "%s node_info: %d", when, rc);
    if (rc == COUNCIL_OK)
        info = council__v1__node_info__unpack(NULL, ib.len, ib.ptr);
    council_buf_free(&ib);
    if (info == NULL)
        return;
    snprintf(path, sizeof path, "%s/node-check-%d.cax", w->root, ++w->seq);
    rc = council_node_audit_export(node, path);
    SWEEP_CHECK(rc == COUNCIL_OK, "%s the node's log does not export: %d (%s)", when, rc,
                council_node_errmsg(node));
    if (rc == COUNCIL_OK) {
        vo.log_vkey = info->node_log_vkey;
        rc = council_audit_verify_export(&rep, path, &vo);
        SWEEP_CHECK(rc == COUNCIL_OK, "%s the node's log no longer verifies: %d", when, rc);
    }
    unlink(path);
    council_buf_free(&rep);
    council__v1__node_info__free_unpacked(info, NULL);
}

static bool node_audit_table(const char *name)
{
    return strncmp(name, "audit_", 6) == 0 || strcmp(name, "root_use") == 0;
}

/* After a failure of a node operation. */
static void node_failed(world *w, const op *o, int rc)
{
    nsnap after;
    bool reopened = false;
    /* (node_open: the message is the handle's it opened, when it has one) */
    const char *m = council_node_errmsg(node2 != NULL ? node2 : node);

    /* (an open that could not make its handle has none to hold one) */
    SWEEP_CHECK((o->run == node_open_run && node2 == NULL) ||
                    (m != NULL && *m != '\0' && strcmp(m, "not an error") != 0),
                "rc %d without a message on the node", rc);
    council_node_close(node2);
    node2 = NULL;
    if (node != NULL && !council__node_ok(node)) {
        council_node_close(node);
        node = NULL;
        SWEEP_CHECK(node_open_b(&node, w) == COUNCIL_OK, "the node no longer opens");
        reopened = true;
    }
    node_snapshot(&after);
    SWEEP_CHECK(after.n == node_before.n, "node tables %zu then %zu", node_before.n, after.n);
    for (size_t i = 0; i < after.n && i < node_before.n; i++) {
        bool same = after.rows[i] == node_before.rows[i] &&
                    memcmp(after.hash[i], node_before.hash[i], 32) == 0;
        if (same || (node_audit_table(after.name[i]) && (o->content || reopened)))
            continue;
        SWEEP_CHECK(same, "node table %s changed (%lld rows, then %lld)", after.name[i],
                    (long long)node_before.rows[i], (long long)after.rows[i]);
    }
    node_opens_and_verifies(w, "after the failure");
    node_snapshot(&node_before);
}

static void node_done(world *w, council_buf *out)
{
    (void)out;
    council_node_close(node2);
    node2 = NULL;
    node_opens_and_verifies(w, "after the success");
}

/* A node holding member B's bundle of the world's case (its situation):
 * the reply key learnt, one section item. */
static void node_make(world *w)
{
    council_buf b = { NULL, 0 }, r = { NULL, 0 };
    Council__V1__BundleImportResult *res;

    node_close_all();
    snprintf(node_dir, sizeof node_dir, "%s/node-%d", w->root, ++w->seq);
    MUST(council_node_init(&node, node_dir, w->kb.ptr, w->kb.len, (const uint8_t *)MPASS,
                           strlen(MPASS)));
    MUST(council_bundle_case(w->c, &b, w->cid, 16, NULL, 0, w->mb, 16, bopts()));
    MUST(council_node_import(node, &r, b.ptr, b.len));
    res = council__v1__bundle_import_result__unpack(NULL, r.len, r.ptr);
    if (res == NULL || res->n_stored < 1 || res->stored[0].len != 16)
        abort();
    memcpy(item, res->stored[0].data, 16);
    council__v1__bundle_import_result__free_unpacked(res, NULL);
    council_buf_free(&r);
    council_buf_free(&b);
}

static void node_prep(world *w)
{
    node_make(w);
    node_snapshot(&node_before);
}

/* ------------------------------------------------ the council's helpers */

static void allow_art16(world *w)
{
    static const char *const bases[] = { "consent", "appi_27_1_4_public_duty",
                                         "council_art16_exchange" };
    council_policy_options po = COUNCIL_POLICY_OPTIONS_INIT;

    po.accepted_bases = bases;
    po.n_accepted_bases = 3;
    MUST(council_policy_set(w->c, &po));
}

/* a fresh case x of A's, person y, its wishes written */
static void case_x(world *w)
{
    council_case_options o = COUNCIL_CASE_OPTIONS_INIT;

    MUST(council_case_create(w->sa, w->x, 16, w->y, 16, &o));
    write_section(w->sa, w->x, w->y, "wishes", "CANARY-TEXT-node-wishes");
}

/* a referral z of case x to B */
static void referral_z(world *w)
{
    council_referral_options o = COUNCIL_REFERRAL_OPTIONS_INIT;
    static const char *const sc[] = { "wishes" };
    static const char rnote[] = "紹介メモ: CANARY-NODE-REFERRAL";

    case_x(w);
    o.case_id = w->x;
    o.case_id_len = 16;
    o.to_member = w->mb;
    o.to_member_len = 16;
    o.scopes = sc;
    o.n_scopes = 1;
    o.basis = "appi_27_1_4_public_duty";
    o.reason = "支援につなぐため";
    o.note = (const uint8_t *)rnote;
    o.note_len = strlen(rnote);
    MUST(council_referral_propose(w->sa, w->z, 16, &o));
}

/* a cooperation request z to B about the world's case */
static void request_z(world *w)
{
    council_request_options o = COUNCIL_REQUEST_OPTIONS_INIT;
    static const char *const sc[] = { "situation" };
    static const char text[] = "世帯の状況について CANARY-NODE-REQUEST";

    allow_art16(w);
    o.case_id = w->cid;
    o.case_id_len = 16;
    o.member_id = w->mb;
    o.member_id_len = 16;
    o.kinds = COUNCIL_REQUEST_KIND_INFORMATION;
    o.scopes = sc;
    o.n_scopes = 1;
    o.text = text;
    o.text_len = strlen(text);
    o.due = (int64_t)time(NULL) + 7 * 86400;
    o.basis = "council_art16_exchange";
    MUST(council_request_make(w->c, w->z, 16, &o));
}

/* ---------------------------------------- bundles the council makes */

static int bundle_case_run(world *w, council **h, council_buf *out)
{
    *h = w->c;
    return council_bundle_case(w->c, out, w->cid, 16, NULL, 0, w->mb, 16, bopts());
}

static void consent_prep(world *w)
{
    council_consent_options o = COUNCIL_CONSENT_OPTIONS_INIT;
    static const char *const sc[] = { "situation" };
    static const char *const pu[] = { "support_coordination" };

    o.case_id = w->cid;
    o.case_id_len = 16;
    o.subject_person = w->pid;
    o.subject_person_len = 16;
    o.recipient_members = w->mb;
    o.n_recipient_members = 1;
    o.scopes = sc;
    o.n_scopes = 1;
    o.purposes = pu;
    o.n_purposes = 1;
    o.method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_WRITTEN;
    MUST(council_consent_record(w->sa, w->x, 16, &o));
}
static int bundle_consent_run(world *w, council **h, council_buf *out)
{
    *h = w->c;
    return council_bundle_consent(w->c, out, w->x, 16, w->mb, 16, eopts());
}

static int bundle_referral_run(world *w, council **h, council_buf *out)
{
    *h = w->c;
    return council_bundle_referral(w->c, out, w->z, 16, eopts());
}

static int bundle_request_run(world *w, council **h, council_buf *out)
{
    *h = w->c;
    return council_bundle_request(w->c, out, w->z, 16, eopts());
}

static int bundle_packet_run(world *w, council **h, council_buf *out)
{
    *h = w->c;
    return council_bundle_meeting_packet(w->c, out, w->mid, 16, w->mb, 16, eopts());
}

static int bundle_checkpoint_run(world *w, council **h, council_buf *out)
{
    *h = w->c;
    return council_bundle_checkpoint(w->c, out, w->mb, 16, 0, eopts());
}

/* B was sent the case, then its share revoked: one item to revoke */
static void revocations_prep(world *w)
{
    council_buf b = { NULL, 0 };
    const char *sc[1] = { "situation" };

    /* (again after a success survived: the share back first) */
    (void)share_to(w->sa, w->cid, w->mb, "situation"); /* (EEXIST when active) */
    MUST(council_bundle_case(w->c, &b, w->cid, 16, NULL, 0, w->mb, 16, bopts()));
    council_buf_free(&b);
    MUST(council_case_revoke(w->sa, w->cid, 16, w->mb, 16, sc, 1, "support_ended"));
}
static int bundle_revocations_run(world *w, council **h, council_buf *out)
{
    *h = w->c;
    return council_bundle_revocations(w->c, out, w->mb, 16, eopts());
}

/* ------------------------------------- bundles the council imports */

static void bundle_drop(world *w, council_buf *out)
{
    (void)w;
    (void)out;
    council_buf_free(&bundle);
}

/* B's node answers referral z: accepted */
static void answer_make(world *w)
{
    MUST(council_node_answer_referral(node, &bundle, w->z, 16, "accepted", NULL,
                                      "お引き受けします CANARY-NODE-ANSWER", eopts()));
}
static void import_answer_prep(world *w)
{
    council_buf b = { NULL, 0 };

    council_buf_free(&bundle);
    node_make(w);
    referral_z(w);
    MUST(council_bundle_referral(w->c, &b, w->z, 16, eopts()));
    MUST(council_node_import(node, NULL, b.ptr, b.len));
    council_buf_free(&b);
    remake = answer_make;
    answer_make(w);
}

/* B's node answers request z */
static void request_answer_make(world *w)
{
    static const char text[] = "週1回の訪問 CANARY-NODE-REQ-ANSWER";

    MUST(council_node_answer_request(node, &bundle, w->z, 16, text, NULL, eopts()));
}
static void import_request_prep(world *w)
{
    council_buf b = { NULL, 0 };

    council_buf_free(&bundle);
    node_make(w);
    request_z(w);
    MUST(council_bundle_request(w->c, &b, w->z, 16, eopts()));
    MUST(council_node_import(node, NULL, b.ptr, b.len));
    council_buf_free(&b);
    remake = request_answer_make;
    request_answer_make(w);
}

/* B's node returns the world case's situation */
static const char *const sit[] = { "situation" };
static council_buf sit_text;
static void sections_make(world *w)
{
    const uint8_t *contents[1];
    size_t lens[1];
    council_bundle_options o = COUNCIL_BUNDLE_OPTIONS_INIT;

    if (sit_text.ptr == NULL)
        sit_text = section_text("CANARY-NODE-RETURNED-SECTION");
    contents[0] = sit_text.ptr;
    lens[0] = sit_text.len;
    o.purpose = "support_coordination";
    MUST(council_node_return_sections(node, &bundle, w->cid, 16, w->pid, 16, sit, contents, lens,
                                      1, &o));
}
static void import_sections_prep(world *w)
{
    council_buf_free(&bundle);
    node_make(w);
    remake = sections_make;
    sections_make(w);
}

/* an intake from B's node */
static council_buf intake_pb;
static void intake_make(void)
{
    Council__V1__IntakeBundle in = COUNCIL__V1__INTAKE_BUNDLE__INIT;

    if (intake_pb.ptr != NULL)
        return;
    in.referrer_org = (char *)(uintptr_t)"いのちの電話";
    in.contact_channel = (char *)(uintptr_t)"phone";
    in.situation = (char *)(uintptr_t)"CANARY-NODE-INTAKE";
    intake_pb.len = council__v1__intake_bundle__get_packed_size(&in);
    intake_pb.ptr = malloc(intake_pb.len);
    if (intake_pb.ptr == NULL)
        abort();
    council__v1__intake_bundle__pack(&in, intake_pb.ptr);
}
static void intake_send(world *w)
{
    (void)w;
    intake_make();
    MUST(council_node_send(node, &bundle, COUNCIL_BUNDLE_TYPE_INTAKE, intake_pb.ptr,
                           intake_pb.len, eopts()));
}
static void import_intake_prep(world *w)
{
    council_buf_free(&bundle);
    node_make(w);
    remake = intake_send;
    intake_send(w);
}

/* B's node cosigns the council's checkpoint */
static void cosign_make(world *w)
{
    (void)w;
    MUST(council_node_cosign(node, &bundle, eopts()));
}
static void import_cosign_prep(world *w)
{
    council_buf b = { NULL, 0 };

    council_buf_free(&bundle);
    node_make(w);
    MUST(council_bundle_checkpoint(w->c, &b, w->mb, 16, 0, eopts()));
    MUST(council_node_import(node, NULL, b.ptr, b.len));
    council_buf_free(&b);
    remake = cosign_make;
    cosign_make(w);
}

/* After a failed import the node makes its bundle again: the council's
 * replay check walks its log back to the bundle's creation, and each
 * failure's checks add events, so one bundle made once would cost more at
 * every point and the sweep would never reach its end. */
static void import_failed(world *w, const op *o, int rc)
{
    (void)o;
    (void)rc;
    council_buf_free(&bundle);
    remake(w);
}

static int bundle_import_run(world *w, council **h, council_buf *out)
{
    *h = w->c;
    return council_bundle_import(w->c, out, bundle.ptr, bundle.len);
}

/* a witness's cosigned copy of the council's checkpoint */
static void cosignatures_prep(world *w)
{
    council_buf cp = { NULL, 0 }, sk = { NULL, 0 }, vk = { NULL, 0 }, info = { NULL, 0 };
    council_buf co = { NULL, 0 };
    Council__V1__CouncilInfo *m;

    free(note);
    note = NULL;
    MUST(council_audit_checkpoint(w->c, &cp));
    MUST(council_info(w->c, &info));
    m = council__v1__council_info__unpack(NULL, info.len, info.ptr);
    if (m == NULL)
        abort();
    MUST(council_witness_keygen(&sk, &vk, "sweep-witness"));
    MUST(council_audit_witness(&co, (const char *)cp.ptr, cp.len, (const char *)cp.ptr, cp.len,
                               "", 0, m->log_verifier_key, "sweep-witness", sk.ptr, sk.len,
                               (uint64_t)time(NULL)));
    note = strndup((const char *)co.ptr, co.len);
    if (note == NULL)
        abort();
    council__v1__council_info__free_unpacked(m, NULL);
    council_buf_free(&info);
    council_buf_free(&cp);
    council_buf_free(&sk);
    council_buf_free(&vk);
    council_buf_free(&co);
}
static int cosignatures_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_audit_add_cosignatures(w->c, note, strlen(note));
}

/* ------------------------------------------------------ the node's own */

/* node_init: a new node in a fresh directory (nothing of the world's) */
static void node_init_prep(world *w)
{
    node_close_all();
    fresh_path(w, "newnode");
}
static int node_init_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = NULL;
    node2 = NULL;
    return council_node_init(&node2, w->path, w->kb.ptr, w->kb.len, (const uint8_t *)MPASS,
                             strlen(MPASS));
}
/* after a failed init: a message; nothing left that a new init refuses */
static void node_init_failed(world *w, const op *o, int rc)
{
    const char *m = council_node_errmsg(node2);
    council_node *n2 = NULL;
    int rc2;

    (void)o;
    SWEEP_CHECK(node2 == NULL || (m != NULL && *m != '\0' && strcmp(m, "not an error") != 0),
                "rc %d without a message on the node", rc);
    council_node_close(node2);
    node2 = NULL;
    rc2 = council_node_init(&n2, w->path, w->kb.ptr, w->kb.len, (const uint8_t *)MPASS,
                            strlen(MPASS));
    SWEEP_CHECK(rc2 == COUNCIL_OK, "a node init again after it: %d (%s)", rc2,
                council_node_errmsg(n2));
    council_node_close(n2);
    rmrf(w->path);
}
static void node_init_done(world *w, council_buf *out)
{
    (void)out;
    council_node_close(node2);
    node2 = NULL;
    rmrf(w->path);
}

static int node_open_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = NULL;
    node2 = NULL;
    return node_open_b(&node2, w);
}

/* imports into the node: the case again (a new bundle), a checkpoint, a
 * revocation of the case's items */
static void node_import_case_prep(world *w)
{
    council_buf_free(&bundle);
    node_prep(w);
    MUST(council_bundle_case(w->c, &bundle, w->cid, 16, NULL, 0, w->mb, 16, bopts()));
}
static void node_import_checkpoint_prep(world *w)
{
    council_buf_free(&bundle);
    node_prep(w);
    MUST(council_bundle_checkpoint(w->c, &bundle, w->mb, 16, 0, eopts()));
}
static void node_import_revocations_prep(world *w)
{
    const char *sc[1] = { "situation" };

    council_buf_free(&bundle);
    (void)share_to(w->sa, w->cid, w->mb, "situation"); /* (EEXIST when active) */
    node_prep(w);
    MUST(council_case_revoke(w->sa, w->cid, 16, w->mb, 16, sc, 1, "support_ended"));
    MUST(council_bundle_revocations(w->c, &bundle, w->mb, 16, eopts()));
}
static void node_import_referral_prep(world *w)
{
    council_buf_free(&bundle);
    node_prep(w);
    referral_z(w);
    MUST(council_bundle_referral(w->c, &bundle, w->z, 16, eopts()));
}
static int node_import_run(world *w, council **h, council_buf *out)
{
    (void)w;
    *h = NULL;
    return council_node_import(node, out, bundle.ptr, bundle.len);
}
static void node_import_done(world *w, council_buf *out)
{
    node_done(w, out);
    council_buf_free(&bundle);
}

static int node_read_run(world *w, council **h, council_buf *out)
{
    (void)w;
    *h = NULL;
    return council_node_read(node, out, item, 16);
}

/* the node's item expired (its row's expiry moved back, as time would) */
static void node_purge_prep(world *w)
{
    node_make(w);
    if (sqlite3_exec(node->c->db, "UPDATE node_item SET expires = 1;", NULL, NULL, NULL) !=
        SQLITE_OK)
        abort();
    node_snapshot(&node_before);
}
static int node_purge_run(world *w, council **h, council_buf *out)
{
    uint64_t k = 0;

    (void)w;
    (void)out;
    *h = NULL;
    return council_node_purge(node, &k);
}

static int node_send_run(world *w, council **h, council_buf *out)
{
    (void)w;
    *h = NULL;
    intake_make();
    return council_node_send(node, out, COUNCIL_BUNDLE_TYPE_INTAKE, intake_pb.ptr, intake_pb.len,
                             NULL);
}

/* B's node holding the council's bundle of w->z (a referral or a request). */
typedef int (*bundle_of)(council *c, council_buf *out, const uint8_t *id, size_t id_len,
                         const council_bundle_options *o);
static void node_holding(world *w, void (*z)(world *w), bundle_of make)
{
    council_buf b = { NULL, 0 };

    node_make(w);
    z(w);
    MUST(make(w->c, &b, w->z, 16, eopts()));
    MUST(council_node_import(node, NULL, b.ptr, b.len));
    council_buf_free(&b);
    node_snapshot(&node_before);
}

static void node_answer_referral_prep(world *w)
{
    node_holding(w, referral_z, council_bundle_referral);
}
static int node_answer_referral_run(world *w, council **h, council_buf *out)
{
    *h = NULL;
    return council_node_answer_referral(node, out, w->z, 16, "accepted", NULL,
                                        "お引き受けします CANARY-NODE-ANSWER", eopts());
}

static void node_answer_request_prep(world *w)
{
    node_holding(w, request_z, council_bundle_request);
}
static int node_answer_request_run(world *w, council **h, council_buf *out)
{
    *h = NULL;
    return council_node_answer_request(node, out, w->z, 16, "週1回の訪問 CANARY-NODE-REQ", NULL,
                                       NULL);
}

static int node_return_sections_run(world *w, council **h, council_buf *out)
{
    const uint8_t *contents[1];
    size_t lens[1];
    council_bundle_options o = COUNCIL_BUNDLE_OPTIONS_INIT;

    *h = NULL;
    if (sit_text.ptr == NULL)
        sit_text = section_text("CANARY-NODE-RETURNED-SECTION");
    contents[0] = sit_text.ptr;
    lens[0] = sit_text.len;
    o.purpose = "support_coordination";
    return council_node_return_sections(node, out, w->cid, 16, w->pid, 16, sit, contents, lens, 1,
                                        &o);
}

static void node_cosign_prep(world *w)
{
    council_buf b = { NULL, 0 };

    node_make(w);
    MUST(council_bundle_checkpoint(w->c, &b, w->mb, 16, 0, eopts()));
    MUST(council_node_import(node, NULL, b.ptr, b.len));
    council_buf_free(&b);
    node_snapshot(&node_before);
}
static int node_cosign_run(world *w, council **h, council_buf *out)
{
    (void)w;
    *h = NULL;
    return council_node_cosign(node, out, eopts());
}

/* The node's export logs itself first (audit_exported, checkpoint_signed)
 * and writes a frame per event: the events a failed export leaves would
 * add writes at every point and the sweep of writes would never end. So
 * each failure's checks done, the node is put back as the prep left it
 * (a copy of its directory). */
static char node_tpl[340];
static void node_export_prep(world *w)
{
    char cmd[1200];

    node_make(w);
    council_node_close(node);
    node = NULL;
    snprintf(node_tpl, sizeof node_tpl, "%s.tpl", node_dir);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -a '%s' '%s'", node_tpl, node_dir, node_tpl);
    if (system(cmd) != 0)
        abort();
    MUST(node_open_b(&node, w));
    node_snapshot(&node_before);
    fresh_path(w, "node-export");
}
static int node_export_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = NULL;
    return council_node_audit_export(node, w->path);
}
static void node_export_failed(world *w, const op *o, int rc)
{
    char cmd[1200];

    SWEEP_CHECK(access(w->path, F_OK) != 0, "rc %d left a partial export of the node's log", rc);
    node_failed(w, o, rc);
    council_node_close(node);
    node = NULL;
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -a '%s' '%s'", node_dir, node_tpl, node_dir);
    if (system(cmd) != 0)
        abort();
    MUST(node_open_b(&node, w));
    node_snapshot(&node_before);
}
static void node_export_done(world *w, council_buf *out)
{
    node_done(w, out);
    unlink(w->path);
}

/* name, content, no_store, reopen, prep, run, done; .failed (designated:
 * the harness's trailing fields may come in another order) */
const op sweep_ops_node[] = {
    { "bundle_case", true, false, false, no_prep, bundle_case_run, NULL },
    { "bundle_consent", true, false, false, consent_prep, bundle_consent_run, NULL },
    { "bundle_referral", true, false, false, referral_z, bundle_referral_run, NULL },
    { "bundle_request", true, false, false, request_z, bundle_request_run, NULL },
    { "bundle_meeting_packet", true, false, false, no_prep, bundle_packet_run, NULL },
    { "bundle_checkpoint", true, false, false, no_prep, bundle_checkpoint_run, NULL },
    { "bundle_revocations", true, false, false, revocations_prep, bundle_revocations_run, NULL },
    { "audit_add_cosignatures", false, false, false, cosignatures_prep, cosignatures_run, NULL },
    { "node_init", false, true, false, node_init_prep, node_init_run, node_init_done, .failed = node_init_failed },
    { "node_open", true, false, false, node_prep, node_open_run, node_done, .failed = node_failed },
    { "node_import", false, false, false, node_import_case_prep, node_import_run,
      node_import_done, .failed = node_failed },
    { "node_import_checkpoint", false, false, false, node_import_checkpoint_prep,
      node_import_run, node_import_done, .failed = node_failed },
    { "node_import_revocations", false, false, false, node_import_revocations_prep,
      node_import_run, node_import_done, .failed = node_failed },
    { "node_import_referral", false, false, false, node_import_referral_prep, node_import_run,
      node_import_done, .failed = node_failed },
    { "node_read", true, false, false, node_prep, node_read_run, node_done, .failed = node_failed },
    { "node_purge", false, false, false, node_purge_prep, node_purge_run, node_done, .failed = node_failed },
    { "node_send", true, false, false, node_prep, node_send_run, node_done, .failed = node_failed },
    { "node_answer_referral", true, false, false, node_answer_referral_prep,
      node_answer_referral_run, node_done, .failed = node_failed },
    { "node_answer_request", true, false, false, node_answer_request_prep,
      node_answer_request_run, node_done, .failed = node_failed },
    { "node_return_sections", true, false, false, node_prep, node_return_sections_run,
      node_done, .failed = node_failed },
    { "node_cosign", true, false, false, node_cosign_prep, node_cosign_run, node_done, .failed = node_failed },
    { "node_audit_export", true, false, false, node_export_prep, node_export_run,
      node_export_done, .failed = node_export_failed },
};
const size_t sweep_ops_node_n = sizeof sweep_ops_node / sizeof sweep_ops_node[0];

/* council_bundle_import, one op a kind of bundle a node sends. The
 * import's replay check walks the council's log back to five minutes
 * before the bundle's creation (COUNCIL__ENV_SKEW), and every point's
 * checks (a root open, an export) add events within them, so an import's
 * allocations would grow with each point faster than the sweep moves on:
 * each point runs from a copy of the template (fresh). */
const op sweep_ops_node_imports[] = {
    { "bundle_import_answer", false, false, false, import_answer_prep, bundle_import_run,
      bundle_drop, .failed = import_failed, .fresh = true },
    { "bundle_import_request", false, false, false, import_request_prep, bundle_import_run,
      bundle_drop, .failed = import_failed, .fresh = true },
    { "bundle_import_sections", false, false, false, import_sections_prep, bundle_import_run,
      bundle_drop, .failed = import_failed, .fresh = true },
    { "bundle_import_intake", false, false, false, import_intake_prep, bundle_import_run,
      bundle_drop, .failed = import_failed, .fresh = true },
    { "bundle_import_cosign", false, false, false, import_cosign_prep, bundle_import_run,
      bundle_drop, .failed = import_failed, .fresh = true },
};
const size_t sweep_ops_node_imports_n =
    sizeof sweep_ops_node_imports / sizeof sweep_ops_node_imports[0];
