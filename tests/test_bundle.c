/*
 * test_bundle.c - the council's bundles out (bundle.c): a case bundle
 * carries exactly what the member is entitled to now, passes the decision,
 * is logged with its hash, opens with the member's key and no other;
 * revocations; the checkpoint; inspect on every truncation and a flipped
 * byte; the refusals, each with its own code.
 */
#include "case_fixture.h"
#include "envelope.h"
#include "council/v1/bundle.pb-c.h"

static council_bundle_options popts(const char *basis)
{
    council_bundle_options o = COUNCIL_BUNDLE_OPTIONS_INIT;
    o.purpose = "support_coordination";
    o.basis = basis;
    return o;
}

/* Open b as member kf: the payload (NULL and *rc on failure). */
static Council__V1__BundlePayload *open_as(const council_buf *b, const council_buf *kf, int *rc)
{
    council__member_keys k;
    council__envelope e;
    Council__V1__BundlePayload *p = NULL;

    member_keys(kf, &k);
    *rc = council__envelope_parse(NULL, "t", &e, b->ptr, b->len);
    if (*rc == COUNCIL_OK)
        *rc = council__envelope_open(NULL, "t", &e, k.box_pk, &k.box_sk, &p);
    if (e.h != NULL)
        council__envelope_free(&e);
    council__member_keys_free(&k);
    return p;
}

/* The scopes a case bundle carries, as ",a,b," in order. */
static void carried(const Council__V1__BundlePayload *p, char *out, size_t cap)
{
    size_t n = 0;

    assert_int_equal(p->content_case, COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CASE_SECTIONS);
    out[n++] = ',';
    for (size_t i = 0; i < p->case_sections->n_sections; i++) {
        const char *s = p->case_sections->sections[i]->scope;
        int w = snprintf(out + n, cap - n, "%s,", s);
        assert_true(w > 0 && (size_t)w < cap - n);
        n += (size_t)w;
    }
    out[n] = '\0';
}

static void case_with_two(fx *f, council *sa, uint8_t cid[16], uint8_t pid[16])
{
    new_case(sa, cid, pid);
    put(sa, cid, pid, "health", sec_text(CANARY_TEXT), COUNCIL_OK);
    put(sa, cid, pid, "situation", sec_text("生活の状況"), COUNCIL_OK);
    (void)f;
}

/* B holds situation of A's case: the bundle carries situation, never
 * health; it opens with B's key and not C's; the log names its hash. */
static void test_case_entitlement(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], hash[32];
    council *sa = staff_open(f, f->sa, &f->ka);
    council_bundle_options o = popts("appi_27_1_4_public_duty");
    council_buf b = { NULL, 0 };
    Council__V1__BundlePayload *p;
    char list[256];
    uint64_t n0 = 0;
    int rc;

    case_with_two(f, sa, cid, pid);
    share(sa, cid, f->mb, "situation", COUNCIL_OK);
    assert_int_equal(council__audit_size(f->c, &n0), COUNCIL_OK);
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, &o), COUNCIL_OK);
    assert_false(th_contains(b.ptr, b.len, CANARY_TEXT));
    assert_false(th_contains(b.ptr, b.len, "生活の状況"));
    /* The log: disclosure_made, then bundle_exported with the hash. */
    crypto_hash_sha256(hash, b.ptr, b.len);
    {
        Council__V1__AuditEvent *e = event_at(f->c, n0);
        assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_DISCLOSURE_MADE);
        assert_memory_equal(e->subject_member.data, f->mb, 16);
        assert_int_equal(e->bundle_hash.len, 32);
        assert_memory_equal(e->bundle_hash.data, hash, 32);
        council__v1__audit_event__free_unpacked(e, NULL);
        e = last_event(f->c);
        assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_BUNDLE_EXPORTED);
        assert_int_equal(e->outcome, COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED);
        assert_int_equal(e->bundle_hash.len, 32);
        assert_memory_equal(e->bundle_hash.data, hash, 32);
        assert_int_equal(e->n_scopes, 1);
        assert_string_equal(e->scopes[0], "situation");
        assert_string_equal(e->basis, "appi_27_1_4_public_duty");
        assert_memory_equal(e->subject_member.data, f->mb, 16);
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    /* B's key opens it: exactly situation. */
    p = open_as(&b, &f->kb, &rc);
    assert_int_equal(rc, COUNCIL_OK);
    carried(p, list, sizeof list);
    assert_string_equal(list, ",situation,");
    {
        Council__V1__SectionRecord *r = council__v1__section_record__unpack(
            NULL, p->case_sections->sections[0]->content.len,
            p->case_sections->sections[0]->content.data);
        assert_non_null(r);
        assert_string_equal(r->section->text, "生活の状況");
        assert_memory_equal(r->person_id.data, pid, 16);
        council__v1__section_record__free_unpacked(r, NULL);
    }
    assert_memory_equal(p->case_sections->case_id.data, cid, 16);
    assert_memory_equal(p->case_sections->person_id.data, pid, 16);
    council__envelope_payload_free(p);
    /* Not C's. */
    p = open_as(&b, &f->kc, &rc);
    assert_null(p);
    assert_int_equal(rc, COUNCIL_ERECIPIENT);
    council_buf_free(&b);
    /* The owner A: its own sections, both scopes, no disclosure event. */
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, pid, 16, f->ma, 16, &o), COUNCIL_OK);
    p = open_as(&b, &f->ka, &rc);
    assert_int_equal(rc, COUNCIL_OK);
    carried(p, list, sizeof list);
    assert_non_null(strstr(list, ",health,"));
    assert_non_null(strstr(list, ",situation,"));
    council__envelope_payload_free(p);
    council_buf_free(&b);
    /* C holds nothing: refused, logged. */
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mc, 16, &o), COUNCIL_EDENIED);
    assert_null(b.ptr);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_BUNDLE_EXPORTED);
        assert_int_equal(e->outcome, COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED);
        assert_int_equal(e->error, COUNCIL_EDENIED);
        assert_string_equal(e->reason, "nothing_shared");
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    council_close(sa);
}

/* A revoked share gives nothing, and appears in the revocations (once). */
static void test_revocations(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16];
    council *sa = staff_open(f, f->sa, &f->ka);
    council_bundle_options o = popts("appi_27_1_4_public_duty"), ro = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf b = { NULL, 0 };
    Council__V1__BundlePayload *p;
    const char *sit[1] = { "situation" };
    int rc;

    case_with_two(f, sa, cid, pid);
    share(sa, cid, f->mb, "situation", COUNCIL_OK);
    share(sa, cid, f->mb, "wishes", COUNCIL_OK);
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, &o), COUNCIL_OK);
    council_buf_free(&b);
    /* Still entitled to all: nothing to revoke. */
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &ro), COUNCIL_ENOTFOUND);
    assert_int_equal(council_case_revoke(sa, cid, 16, f->mb, 16, sit, 1, "no_longer_needed"),
                     COUNCIL_OK);
    /* Now: the case bundle carries wishes only. */
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, &o), COUNCIL_OK);
    p = open_as(&b, &f->kb, &rc);
    assert_int_equal(rc, COUNCIL_OK);
    for (size_t i = 0; i < p->case_sections->n_sections; i++)
        assert_string_not_equal(p->case_sections->sections[i]->scope, "situation");
    council__envelope_payload_free(p);
    council_buf_free(&b);
    /* The revocation lists situation (both bundles that carried it). */
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &ro), COUNCIL_OK);
    p = open_as(&b, &f->kb, &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_int_equal(p->content_case, COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REVOCATION);
    assert_true(p->revocation->n_items >= 1);
    for (size_t i = 0; i < p->revocation->n_items; i++) {
        const Council__V1__RevocationItem *it = p->revocation->items[i];
        assert_int_equal(it->kind, COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_SHARE);
        assert_memory_equal(it->case_id.data, cid, 16);
        assert_int_equal(it->n_scopes, 1);
        assert_string_equal(it->scopes[0], "situation");
    }
    council__envelope_payload_free(p);
    {
        uint8_t hash[32];
        Council__V1__AuditEvent *e = last_event(f->c);
        crypto_hash_sha256(hash, b.ptr, b.len);
        assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_BUNDLE_EXPORTED);
        assert_string_equal(e->reason, "revocation");
        assert_memory_equal(e->bundle_hash.data, hash, 32);
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    council_buf_free(&b);
    /* Listed once. */
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &ro), COUNCIL_ENOTFOUND);
    /* Revoking everything: the case bundle is refused. */
    assert_int_equal(council_case_revoke(sa, cid, 16, f->mb, 16, NULL, 0, "no_longer_needed"),
                     COUNCIL_OK);
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, &o), COUNCIL_EDENIED);
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &ro), COUNCIL_OK);
    council_buf_free(&b);
    council_close(sa);
}

/* The insider: a bundle_sent row it forged (or altered) counts for
 * nothing and is a tamper finding; its revocation mark is signed too. */
static void test_sent_rows_signed(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16];
    council *sa = staff_open(f, f->sa, &f->ka);
    council_bundle_options o = popts("appi_27_1_4_public_duty"), ro = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf b = { NULL, 0 };
    const char *sit[1] = { "situation" };

    case_with_two(f, sa, cid, pid);
    share(sa, cid, f->mb, "situation", COUNCIL_OK);
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, &o), COUNCIL_OK);
    council_buf_free(&b);
    assert_int_equal(council_case_revoke(sa, cid, 16, f->mb, 16, sit, 1, "no_longer_needed"),
                     COUNCIL_OK);
    /* The insider moves the row to another scope: the signature fails. */
    assert_int_equal(sqlite3_exec(f->c->db, "UPDATE bundle_sent SET scope = 'wishes';", NULL, NULL,
                                  NULL), SQLITE_OK);
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &ro), COUNCIL_ENOTFOUND);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_TAMPER_DETECTED);
        assert_string_equal(e->reason, "forged_bundle_sent");
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    council_close(sa);
}

/* The insider suppresses a revocation without deleting the row: it marks
 * the row revoked, or moves its expiry into the past. Each is an edit the
 * signature covers: a tamper finding, not a silent "nothing to revoke". */
static void test_sent_rows_mark_forged(void **state)
{
    static const char *const edits[] = {
        "UPDATE bundle_sent SET revoked = 1;",
        "UPDATE bundle_sent SET expires = 1;",
    };
    fx *f = *state;
    council *sa = staff_open(f, f->sa, &f->ka);
    council_bundle_options o = popts("appi_27_1_4_public_duty"), ro = COUNCIL_BUNDLE_OPTIONS_INIT;
    const char *sit[1] = { "situation" };

    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        uint8_t cid[16], pid[16];
        council_buf b = { NULL, 0 };
        Council__V1__AuditEvent *e;
        case_with_two(f, sa, cid, pid);
        share(sa, cid, f->mb, "situation", COUNCIL_OK);
        assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, &o), COUNCIL_OK);
        council_buf_free(&b);
        assert_int_equal(council_case_revoke(sa, cid, 16, f->mb, 16, sit, 1, "no_longer_needed"),
                         COUNCIL_OK);
        assert_int_equal(sqlite3_exec(f->c->db, edits[i], NULL, NULL, NULL), SQLITE_OK);
        assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &ro), COUNCIL_ENOTFOUND);
        assert_null(b.ptr);
        e = last_event(f->c);
        assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_TAMPER_DETECTED);
        assert_string_equal(e->reason, "forged_bundle_sent");
        council__v1__audit_event__free_unpacked(e, NULL);
        assert_int_equal(sqlite3_exec(f->c->db, "DELETE FROM bundle_sent;", NULL, NULL, NULL),
                         SQLITE_OK);
    }
    council_close(sa);
}

/* The decision: a consent that does not exist refuses (ENOCONSENT, logged). */
static void test_case_decision(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], nocon[16];
    council *sa = staff_open(f, f->sa, &f->ka);
    council_bundle_options o = popts("consent");
    council_buf b = { NULL, 0 };

    case_with_two(f, sa, cid, pid);
    share(sa, cid, f->mb, "situation", COUNCIL_OK);
    randombytes_buf(nocon, sizeof nocon);
    o.consent_id = nocon;
    o.consent_id_len = 16;
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, &o),
                     COUNCIL_ENOCONSENT);
    assert_null(b.ptr);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_BUNDLE_EXPORTED);
        assert_int_equal(e->outcome, COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED);
        assert_int_equal(e->error, COUNCIL_ENOCONSENT);
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    /* Options checked: no basis, a bad purpose, a consent id without basis
     * consent, an expiry too far or past. */
    o = popts(NULL);
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, &o), COUNCIL_EINVAL);
    o = popts("appi_27_1_4_public_duty");
    o.purpose = "gossip";
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, &o), COUNCIL_EINVAL);
    o = popts("appi_27_1_4_public_duty");
    o.consent_id = nocon;
    o.consent_id_len = 16;
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, &o), COUNCIL_EINVAL);
    o = popts("appi_27_1_4_public_duty");
    o.expires = (int64_t)time(NULL) + COUNCIL_BUNDLE_TTL_MAX + 100;
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, &o), COUNCIL_EINVAL);
    o.expires = (int64_t)time(NULL) - 1;
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, &o), COUNCIL_EINVAL);
    o.version = 99;
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, &o), COUNCIL_EMISUSE);
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, NULL), COUNCIL_EMISUSE);
    /* An explicit expiry is the header's. */
    o = popts("appi_27_1_4_public_duty");
    o.expires = (int64_t)time(NULL) + 3600;
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, &o), COUNCIL_OK);
    {
        council_buf ib = { NULL, 0 };
        Council__V1__BundleInfo *in;
        assert_int_equal(council_bundle_inspect(&ib, b.ptr, b.len), COUNCIL_OK);
        in = council__v1__bundle_info__unpack(NULL, ib.len, ib.ptr);
        assert_non_null(in);
        assert_int_equal(in->header->expires, o.expires);
        council__v1__bundle_info__free_unpacked(in, NULL);
        council_buf_free(&ib);
    }
    council_buf_free(&b);
    council_close(sa);
}

/* Who may export, and to whom. */
static void test_refusals(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], nokeys[16];
    council *sa = staff_open(f, f->sa, &f->ka);
    council_bundle_options o = popts("appi_27_1_4_public_duty"), ro = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf b = { NULL, 0 };

    case_with_two(f, sa, cid, pid);
    share(sa, cid, f->mb, "situation", COUNCIL_OK);
    share(sa, cid, f->mc, "situation", COUNCIL_OK);
    /* A staff session that is not the secretariat's: EDENIED, logged. */
    assert_int_equal(council_bundle_case(sa, &b, cid, 16, NULL, 0, f->mb, 16, &o), COUNCIL_EDENIED);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_int_equal(e->outcome, COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED);
        assert_int_equal(e->error, COUNCIL_EDENIED);
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    assert_int_equal(council_bundle_checkpoint(sa, &b, f->mb, 16, 0, &ro), COUNCIL_EDENIED);
    assert_int_equal(council_bundle_revocations(sa, &b, f->mb, 16, &ro), COUNCIL_EDENIED);
    /* A member without keys. */
    {
        council_member_options mo = COUNCIL_MEMBER_OPTIONS_INIT;
        mo.name = "NPO D";
        mo.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_NPO;
        mo.scopes = all_scopes;
        mo.n_scopes = 10;
        assert_int_equal(council_member_add(f->c, nokeys, 16, &mo), COUNCIL_OK);
    }
    assert_int_equal(council_bundle_checkpoint(f->c, &b, nokeys, 16, 0, &ro), COUNCIL_EDENIED);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_string_equal(e->reason, "recipient_without_keys");
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    /* No such member; a bad id. */
    {
        uint8_t none[16];
        randombytes_buf(none, sizeof none);
        assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, none, 16, &o),
                         COUNCIL_ENOTFOUND);
        assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 15, &o),
                         COUNCIL_EINVAL);
        assert_int_equal(council_bundle_case(f->c, &b, none, 16, NULL, 0, f->mb, 16, &o),
                         COUNCIL_ENOTFOUND);
        assert_int_equal(council_bundle_case(f->c, &b, cid, 16, none, 16, f->mb, 16, &o),
                         COUNCIL_ENOTFOUND);
    }
    /* A withdrawn member. */
    assert_int_equal(council_member_withdraw(f->c, f->mb, 16, 0, "退会"), COUNCIL_OK);
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mb, 16, &o), COUNCIL_EDENIED);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_BUNDLE_EXPORTED);
        assert_string_equal(e->reason, "recipient_withdrawn");
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    /* A key the council did not sign (the insider swapped its signature). */
    {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(f->c->db, "UPDATE member_key_sig SET sig = "
                                            "zeroblob(64) WHERE member_id = ?1;", -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_blob(st, 1, f->mc, 16, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    assert_int_equal(council_bundle_case(f->c, &b, cid, 16, NULL, 0, f->mc, 16, &o), COUNCIL_EAUTH);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_BUNDLE_EXPORTED);
        assert_string_equal(e->reason, "recipient_key_unsigned");
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    council_close(sa);
    /* Inside a batch: EMISUSE. */
    assert_int_equal(council_batch_begin(f->c), COUNCIL_OK);
    assert_int_equal(council_bundle_checkpoint(f->c, &b, f->ma, 16, 0, &ro), COUNCIL_EMISUSE);
    assert_int_equal(council_batch_rollback(f->c), COUNCIL_OK);
    assert_null(b.ptr);
}

/* The checkpoint and its consistency proof, as the node will check them. */
static void test_checkpoint(void **state)
{
    fx *f = *state;
    council_bundle_options ro = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf b = { NULL, 0 };
    Council__V1__BundlePayload *p;
    uint64_t n = 0;
    int rc;

    assert_int_equal(council__audit_size(f->c, &n), COUNCIL_OK);
    assert_true(n > 3);
    assert_int_equal(council_bundle_checkpoint(f->c, &b, f->mb, 16, n + 1000, &ro), COUNCIL_EINVAL);
    assert_int_equal(council_bundle_checkpoint(f->c, &b, f->mb, 16, 3, &ro), COUNCIL_OK);
    p = open_as(&b, &f->kb, &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_int_equal(p->content_case, COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CHECKPOINT);
    assert_int_equal(p->checkpoint->from_size, 3);
    assert_true(p->checkpoint->n_consistency > 0);
    /* A C2SP signed note: origin, size, root, signature lines. */
    assert_non_null(strstr(p->checkpoint->checkpoint, "\n\n\u2014 "));
    council__envelope_payload_free(p);
    council_buf_free(&b);
    assert_int_equal(council_bundle_checkpoint(f->c, &b, f->mb, 16, 0, &ro), COUNCIL_OK);
    p = open_as(&b, &f->kb, &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_false(p->checkpoint->has_from_size);
    assert_int_equal(p->checkpoint->n_consistency, 0);
    council__envelope_payload_free(p);
    council_buf_free(&b);
}

/* Inspect: the header in clear, the signature against its own key; every
 * truncation refused; a flipped byte refused or signature_ok false. */
static void test_inspect(void **state)
{
    fx *f = *state;
    council_bundle_options ro = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf b = { NULL, 0 }, ib = { NULL, 0 };
    Council__V1__BundleInfo *in;
    uint8_t hash[32];

    assert_int_equal(council_bundle_checkpoint(f->c, &b, f->mb, 16, 0, &ro), COUNCIL_OK);
    crypto_hash_sha256(hash, b.ptr, b.len);
    assert_int_equal(council_bundle_inspect(&ib, b.ptr, b.len), COUNCIL_OK);
    in = council__v1__bundle_info__unpack(NULL, ib.len, ib.ptr);
    assert_non_null(in);
    assert_true(in->signature_ok);
    assert_int_equal(in->size, b.len);
    assert_memory_equal(in->hash.data, hash, 32);
    assert_int_equal(in->header->type, COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_CHECKPOINT);
    assert_int_equal(in->header->sender_kind, COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_COUNCIL);
    assert_memory_equal(in->header->sender_sign_key.data, f->c->log_pk, 32);
    assert_memory_equal(in->header->recipient_id.data, f->mb, 16);
    assert_memory_equal(in->header->council_id.data, f->c->council_id, 16);
    assert_true(in->header->expires - in->header->created == COUNCIL_BUNDLE_TTL_DEFAULT);
    council__v1__bundle_info__free_unpacked(in, NULL);
    council_buf_free(&ib);
    for (size_t n = 0; n < b.len; n++) {
        int rc = council_bundle_inspect(&ib, b.ptr, n);
        assert_true(rc == COUNCIL_EFORMAT || rc == COUNCIL_EUNSUPPORTED);
        assert_null(ib.ptr);
    }
    for (size_t i = 0; i < b.len; i++) {
        int rc;
        b.ptr[i] ^= 0x01;
        rc = council_bundle_inspect(&ib, b.ptr, b.len);
        if (rc == COUNCIL_OK) {
            in = council__v1__bundle_info__unpack(NULL, ib.len, ib.ptr);
            assert_non_null(in);
            assert_false(in->signature_ok);
            council__v1__bundle_info__free_unpacked(in, NULL);
        } else {
            assert_true(rc == COUNCIL_EFORMAT || rc == COUNCIL_EUNSUPPORTED || rc == COUNCIL_ELIMIT);
        }
        council_buf_free(&ib);
        b.ptr[i] ^= 0x01;
    }
    assert_int_equal(council_bundle_inspect(&ib, b.ptr, COUNCIL_BUNDLE_MAX + 1), COUNCIL_ELIMIT);
    assert_int_equal(council_bundle_inspect(&ib, NULL, 0), COUNCIL_EINVAL);
    assert_int_equal(council_bundle_inspect(NULL, b.ptr, b.len), COUNCIL_EMISUSE);
    council_buf_free(&b);
}

/* The meeting packet as a bundle: built as council_meeting_packet builds
 * it, to the attendee only, ending with the meeting; closed, revoked. */
static void test_meeting_packet(void **state)
{
    fx *f = *state;
    uint8_t cid[16], pid[16], mid[16];
    council *sa = staff_open(f, f->sa, &f->ka);
    council_bundle_options ro = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf b = { NULL, 0 };
    Council__V1__BundlePayload *p;
    int64_t ends = (int64_t)time(NULL) + 3600 - 60;
    int rc;

    case_with_two(f, sa, cid, pid);
    council_close(sa);
    meeting_on_situation(f, mid, f->mb, 3600, cid, "支援会議での検討");
    assert_int_equal(council_bundle_meeting_packet(f->c, &b, mid, 16, f->mc, 16, &ro),
                     COUNCIL_EDENIED);
    assert_int_equal(council_bundle_meeting_packet(f->c, &b, mid, 16, f->mb, 16, &ro), COUNCIL_OK);
    assert_false(th_contains(b.ptr, b.len, "生活の状況"));
    p = open_as(&b, &f->kb, &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_int_equal(p->content_case, COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_MEETING_PACKET);
    assert_memory_equal(p->meeting_packet->attendee.data, f->mb, 16);
    assert_int_equal(p->meeting_packet->n_cases, 1);
    council__envelope_payload_free(p);
    {
        council_buf ib = { NULL, 0 };
        Council__V1__BundleInfo *in;
        assert_int_equal(council_bundle_inspect(&ib, b.ptr, b.len), COUNCIL_OK);
        in = council__v1__bundle_info__unpack(NULL, ib.len, ib.ptr);
        assert_true(in->header->expires <= ends + 120);
        assert_int_equal(in->header->type, COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_MEETING_PACKET);
        council__v1__bundle_info__free_unpacked(in, NULL);
        council_buf_free(&ib);
    }
    {
        uint8_t hash[32];
        Council__V1__AuditEvent *e = last_event(f->c);
        crypto_hash_sha256(hash, b.ptr, b.len);
        assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_BUNDLE_EXPORTED);
        assert_string_equal(e->reason, "meeting_packet");
        assert_memory_equal(e->bundle_hash.data, hash, 32);
        assert_memory_equal(e->object_id.data, mid, 16);
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    council_buf_free(&b);
    /* The raw packet still opens as before (with B's key, not the bundle). */
    assert_int_equal(council_meeting_packet(f->c, &b, mid, 16, f->mb, 16), COUNCIL_OK);
    council_buf_free(&b);
    /* Closed: the revocation names the meeting (and the share it ended). */
    assert_int_equal(council_meeting_close(f->c, mid, 16), COUNCIL_OK);
    assert_int_equal(council_bundle_meeting_packet(f->c, &b, mid, 16, f->mb, 16, &ro),
                     COUNCIL_EDENIED);
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &ro), COUNCIL_OK);
    p = open_as(&b, &f->kb, &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_int_equal(p->revocation->n_items, 1);
    assert_int_equal(p->revocation->items[0]->kind,
                     COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_MEETING);
    assert_memory_equal(p->revocation->items[0]->object_id.data, mid, 16);
    council__envelope_payload_free(p);
    council_buf_free(&b);
}

/* A referral: the offer and its note to the recipient; after acceptance
 * and delivery, the sections of its scope it holds; declined or ended, it
 * is refused and revoked. */
static void test_referral(void **state)
{
    fx *f = *state;
    static const char note[] = "REFERRAL-NOTE-CANARY-5b";
    uint8_t cid[16], pid[16], rid[16];
    council *sa = staff_open(f, f->sa, &f->ka), *sc;
    council_bundle_options ro = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_referral_options o = COUNCIL_REFERRAL_OPTIONS_INIT;
    const char *sit[1] = { "situation" };
    council_buf b = { NULL, 0 };
    Council__V1__BundlePayload *p;
    int rc;

    case_with_two(f, sa, cid, pid);
    o.case_id = cid;
    o.case_id_len = 16;
    o.to_member = f->mc;
    o.to_member_len = 16;
    o.scopes = sit;
    o.n_scopes = 1;
    o.basis = "appi_27_1_4_public_duty";
    o.reason = "支援につなぐため";
    o.note = (const uint8_t *)note;
    o.note_len = strlen(note);
    assert_int_equal(council_referral_propose(sa, rid, 16, &o), COUNCIL_OK);
    /* Proposed: the offer and the note, no section yet. */
    assert_int_equal(council_bundle_referral(f->c, &b, rid, 16, &ro), COUNCIL_OK);
    assert_false(th_contains(b.ptr, b.len, note));
    p = open_as(&b, &f->kc, &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_int_equal(p->content_case, COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REFERRAL);
    assert_string_equal(p->referral->note, note);
    assert_string_equal(p->referral->state, "proposed");
    assert_int_equal(p->referral->n_sections, 0);
    assert_memory_equal(p->referral->to_member.data, f->mc, 16);
    council__envelope_payload_free(p);
    assert_null(open_as(&b, &f->kb, &rc));
    assert_int_equal(rc, COUNCIL_ERECIPIENT);
    council_buf_free(&b);
    /* Accepted and delivered: the situation goes with it (never health). */
    sc = staff_open(f, f->sc, &f->kc);
    assert_int_equal(council_referral_transition(sc, rid, 16, COUNCIL_REFERRAL_ACCEPTED, NULL, NULL,
                                                 0, 0), COUNCIL_OK);
    assert_int_equal(council_referral_deliver(sa, rid, 16), COUNCIL_OK);
    assert_int_equal(council_bundle_referral(f->c, &b, rid, 16, &ro), COUNCIL_OK);
    p = open_as(&b, &f->kc, &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_string_equal(p->referral->state, "accepted");
    assert_int_equal(p->referral->n_sections, 1);
    assert_string_equal(p->referral->sections[0]->scope, "situation");
    council__envelope_payload_free(p);
    {
        uint8_t hash[32];
        Council__V1__AuditEvent *e = last_event(f->c);
        crypto_hash_sha256(hash, b.ptr, b.len);
        assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_BUNDLE_EXPORTED);
        assert_string_equal(e->reason, "referral");
        assert_memory_equal(e->bundle_hash.data, hash, 32);
        assert_memory_equal(e->object_id.data, rid, 16);
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    council_buf_free(&b);
    /* Ended: refused, and revoked (the referral and its scope). */
    assert_int_equal(council_referral_transition(sc, rid, 16, COUNCIL_REFERRAL_ENDED, "moved_away",
                                                 NULL, 0, 0), COUNCIL_OK);
    assert_int_equal(council_bundle_referral(f->c, &b, rid, 16, &ro), COUNCIL_EDENIED);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_string_equal(e->reason, "referral_ended");
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mc, 16, &ro), COUNCIL_OK);
    p = open_as(&b, &f->kc, &rc);
    assert_int_equal(rc, COUNCIL_OK);
    {
        bool ref = false;
        for (size_t i = 0; i < p->revocation->n_items; i++)
            if (p->revocation->items[i]->kind == COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_REFERRAL) {
                ref = true;
                assert_memory_equal(p->revocation->items[i]->object_id.data, rid, 16);
            }
        assert_true(ref);
    }
    council__envelope_payload_free(p);
    council_buf_free(&b);
    council_close(sc);
    council_close(sa);
}

/* A request to the member asked, with its text; closed, refused. */
static void test_request(void **state)
{
    fx *f = *state;
    static const char asked[] = "REQUEST-TEXT-CANARY-71";
    static const char *const bases[] = { "consent", "appi_27_1_4_public_duty",
                                         "council_art16_exchange" };
    uint8_t cid[16], pid[16], id[16];
    council *sa = staff_open(f, f->sa, &f->ka);
    council_policy_options po = COUNCIL_POLICY_OPTIONS_INIT;
    council_request_options o = COUNCIL_REQUEST_OPTIONS_INIT;
    council_bundle_options ro = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf b = { NULL, 0 };
    Council__V1__BundlePayload *p;
    int rc;

    po.accepted_bases = bases;
    po.n_accepted_bases = 3;
    assert_int_equal(council_policy_set(f->c, &po), COUNCIL_OK);
    case_with_two(f, sa, cid, pid);
    o.case_id = cid;
    o.case_id_len = 16;
    o.member_id = f->ma;
    o.member_id_len = 16;
    o.kinds = COUNCIL_REQUEST_KIND_OPINION;
    o.text = asked;
    o.text_len = strlen(asked);
    o.due = (int64_t)time(NULL) + 86400;
    o.basis = "council_art16_exchange";
    assert_int_equal(council_request_make(f->c, id, 16, &o), COUNCIL_OK);
    assert_int_equal(council_bundle_request(sa, &b, id, 16, &ro), COUNCIL_EDENIED);
    assert_int_equal(council_bundle_request(f->c, &b, id, 16, &ro), COUNCIL_OK);
    assert_false(th_contains(b.ptr, b.len, asked));
    p = open_as(&b, &f->ka, &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_int_equal(p->content_case, COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REQUEST);
    assert_string_equal(p->request->text, asked);
    assert_string_equal(p->request->kind, "opinion");
    assert_memory_equal(p->request->request_id.data, id, 16);
    council__envelope_payload_free(p);
    assert_null(open_as(&b, &f->kb, &rc));
    {
        uint8_t hash[32];
        Council__V1__AuditEvent *e = last_event(f->c);
        crypto_hash_sha256(hash, b.ptr, b.len);
        assert_int_equal(e->action, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_BUNDLE_EXPORTED);
        assert_memory_equal(e->bundle_hash.data, hash, 32);
        assert_memory_equal(e->subject_member.data, f->ma, 16);
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    council_buf_free(&b);
    assert_int_equal(council_request_withdraw(f->c, id, 16, "resolved"), COUNCIL_OK);
    assert_int_equal(council_bundle_request(f->c, &b, id, 16, &ro), COUNCIL_EDENIED);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_string_equal(e->reason, "request_not_open");
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    council_close(sa);
}

/* A consent record to a member it names; not to one it does not;
 * withdrawn, revoked. */
static void test_consent(void **state)
{
    fx *f = *state;
    static const char *const sc[] = { "situation", "wishes" };
    static const char *const purposes[] = { "support_coordination" };
    uint8_t cid[16], pid[16], id[16];
    council *sa = staff_open(f, f->sa, &f->ka);
    council_consent_options co = COUNCIL_CONSENT_OPTIONS_INIT;
    council_bundle_options ro = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf b = { NULL, 0 };
    Council__V1__BundlePayload *p;
    int rc;

    case_with_two(f, sa, cid, pid);
    co.case_id = cid;
    co.case_id_len = 16;
    co.subject_person = pid;
    co.subject_person_len = 16;
    co.recipient_members = f->mb;
    co.n_recipient_members = 1;
    co.scopes = sc;
    co.n_scopes = 2;
    co.purposes = purposes;
    co.n_purposes = 1;
    co.method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_WRITTEN;
    assert_int_equal(council_consent_record(sa, id, 16, &co), COUNCIL_OK);
    assert_int_equal(council_bundle_consent(f->c, &b, id, 16, f->mc, 16, &ro), COUNCIL_EDENIED);
    {
        Council__V1__AuditEvent *e = last_event(f->c);
        assert_string_equal(e->reason, "not_a_recipient");
        council__v1__audit_event__free_unpacked(e, NULL);
    }
    assert_int_equal(council_bundle_consent(f->c, &b, id, 16, f->mb, 16, &ro), COUNCIL_OK);
    p = open_as(&b, &f->kb, &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_int_equal(p->content_case, COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CONSENT);
    assert_memory_equal(p->consent->consent_id.data, id, 16);
    assert_int_equal(p->consent->n_scopes, 2);
    assert_string_equal(p->consent->purpose, "support_coordination");
    assert_false(p->consent->withdrawn);
    council__envelope_payload_free(p);
    council_buf_free(&b);
    /* The owner relies on it too. */
    assert_int_equal(council_bundle_consent(f->c, &b, id, 16, f->ma, 16, &ro), COUNCIL_OK);
    council_buf_free(&b);
    assert_int_equal(council_consent_withdraw(sa, id, 16, 0, "withdrawn_by_person"), COUNCIL_OK);
    assert_int_equal(council_bundle_revocations(f->c, &b, f->mb, 16, &ro), COUNCIL_OK);
    p = open_as(&b, &f->kb, &rc);
    assert_int_equal(rc, COUNCIL_OK);
    assert_int_equal(p->revocation->n_items, 1);
    assert_int_equal(p->revocation->items[0]->kind,
                     COUNCIL__V1__REVOCATION_ITEM__KIND__REVOKE_CONSENT);
    assert_memory_equal(p->revocation->items[0]->object_id.data, id, 16);
    council__envelope_payload_free(p);
    council_buf_free(&b);
    council_close(sa);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_case_entitlement, setup, teardown),
        cmocka_unit_test_setup_teardown(test_revocations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sent_rows_signed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sent_rows_mark_forged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_decision, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checkpoint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inspect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_meeting_packet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_referral, setup, teardown),
        cmocka_unit_test_setup_teardown(test_request, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consent, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
