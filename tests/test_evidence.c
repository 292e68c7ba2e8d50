/* test_evidence.c - the auditor's view of a case (issue 16): the evidence
 * file of a case verifies with the public key alone, holds every event of
 * the case and none of another, is refused when an event, a proof or the
 * checkpoint was altered, and an event the insider hid from the case index
 * is still in it (or the export is refused as tampering), never silently
 * left out. */
#include "case_fixture.h"

static void vkey_of(council *c, char *out, size_t n)
{
    council_buf buf = { NULL, 0 };
    Council__V1__CouncilInfo *m;

    assert_int_equal(council_info(c, &buf), COUNCIL_OK);
    m = council__v1__council_info__unpack(NULL, buf.len, buf.ptr);
    assert_non_null(m);
    snprintf(out, n, "%s", m->log_verifier_key);
    council__v1__council_info__free_unpacked(m, NULL);
    council_buf_free(&buf);
}

/* Two cases of member A, each created, written and read by its staff. */
static void two_cases(fx *f, uint8_t c1[16], uint8_t c2[16])
{
    uint8_t p1[16], p2[16];
    council *a = staff_open(f, f->sa, &f->ka);
    char *t;
    int rc = 0;

    new_case(a, c1, p1);
    put(a, c1, p1, "situation", sec_text("ひとり暮らし"), COUNCIL_OK);
    new_case(a, c2, p2);
    put(a, c2, p2, "situation", sec_text("別の人"), COUNCIL_OK);
    t = get_text(a, c1, p1, "situation", &rc);
    assert_int_equal(rc, COUNCIL_OK);
    free(t);
    council_close(a);
}

/* The seqs of the events that name case `cid`, by the library's own list. */
static size_t case_events(council *c, const uint8_t cid[16], uint64_t *seqs, size_t cap)
{
    council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
    council_buf out = { NULL, 0 };
    Council__V1__AuditEventList *l;
    size_t n;

    flt.version = 2;
    flt.case_id = cid;
    flt.case_id_len = 16;
    flt.limit = 1000;
    assert_int_equal(council_audit_list(c, &out, &flt), COUNCIL_OK);
    l = council__v1__audit_event_list__unpack(NULL, out.len, out.ptr);
    assert_non_null(l);
    n = l->n_events;
    assert_true(n <= cap);
    for (size_t i = 0; i < n; i++)
        seqs[i] = l->events[i]->seq;
    council__v1__audit_event_list__free_unpacked(l, NULL);
    council_buf_free(&out);
    return n;
}

static char *write_tmp(fx *f, const char *name, const uint8_t *p, size_t n)
{
    char *path = th_path(f->root, name);

    (void)unlink(path);
    assert_int_equal(th_write_file(path, p, n), 0);
    return path;
}

static int verify(const char *path, const char *vkey, Council__V1__CaseEvidenceReport **rep)
{
    council_audit_verify_options o = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    council_buf out = { NULL, 0 };
    int rc;

    o.log_vkey = vkey;
    rc = council_audit_verify_case_evidence(&out, path, &o);
    assert_non_null(out.ptr);
    *rep = council__v1__case_evidence_report__unpack(NULL, out.len, out.ptr);
    assert_non_null(*rep);
    council_buf_free(&out);
    return rc;
}

static int verify_bytes(fx *f, const uint8_t *p, size_t n, const char *vkey)
{
    Council__V1__CaseEvidenceReport *r = NULL;
    char *path = write_tmp(f, "t.evidence", p, n);
    int rc = verify(path, vkey, &r);

    assert_int_equal(r->ok, rc == COUNCIL_OK);
    council__v1__case_evidence_report__free_unpacked(r, NULL);
    free(path);
    return rc;
}

/* The file as lines (pointers into a copy), to alter one and put it back. */
typedef struct lines {
    char *text;
    char *l[4096];
    size_t n;
} lines;

static void split(lines *ls, const council_buf *b)
{
    char *p;

    ls->text = malloc(b->len + 1);
    assert_non_null(ls->text);
    memcpy(ls->text, b->ptr, b->len);
    ls->text[b->len] = '\0';
    ls->n = 0;
    for (p = ls->text; *p != '\0' && ls->n < 4096;) {
        char *nl = strchr(p, '\n');

        assert_non_null(nl);
        *nl = '\0';
        ls->l[ls->n++] = p;
        p = nl + 1;
    }
}

static size_t join(const lines *ls, uint8_t *out, size_t cap)
{
    size_t n = 0;

    for (size_t i = 0; i < ls->n; i++) {
        size_t k = strlen(ls->l[i]);

        assert_true(n + k + 1 <= cap);
        memcpy(out + n, ls->l[i], k);
        n += k;
        out[n++] = '\n';
    }
    return n;
}

/* The index of the line after the n-th line starting with `key`. */
static size_t after(const lines *ls, const char *key, size_t nth)
{
    for (size_t i = 0; i < ls->n; i++)
        if (strncmp(ls->l[i], key, strlen(key)) == 0 && nth-- == 0)
            return i + 1;
    fail_msg("no line %s", key);
    return 0;
}

/* Re-encode a base64 line with one byte flipped. */
static char *flip_b64(const char *line, size_t at)
{
    uint8_t bin[70000];
    size_t got = 0, cap;
    char *out;

    assert_int_equal(sodium_base642bin(bin, sizeof bin, line, strlen(line), NULL, &got, NULL,
                                       sodium_base64_VARIANT_ORIGINAL), 0);
    assert_true(at < got);
    bin[at] ^= 0x01;
    cap = sodium_base64_ENCODED_LEN(got, sodium_base64_VARIANT_ORIGINAL);
    out = malloc(cap);
    assert_non_null(out);
    sodium_bin2base64(out, cap, bin, got, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

static void test_evidence__verifies_with_the_public_key(void **state)
{
    fx *f = *state;
    uint8_t c1[16], c2[16], ref[32];
    uint64_t seqs[256];
    council_buf ev = { NULL, 0 };
    Council__V1__CaseEvidenceReport *r = NULL;
    char vkey[512], *path;
    size_t n;

    two_cases(f, c1, c2);
    vkey_of(f->c, vkey, sizeof vkey);
    assert_int_equal(council_case_evidence(f->c, &ev, c1, 16), COUNCIL_OK);
    /* logged: case_evidence_exported, then the checkpoint it carries */
    assert_int_equal(th_last_action(f->c), COUNCIL_AUDIT_ACTION_CHECKPOINT_SIGNED);
    n = case_events(f->c, c1, seqs, 256);
    assert_true(n >= 4); /* created, updated, read, evidence exported */
    path = write_tmp(f, "c1.evidence", ev.ptr, ev.len);
    assert_int_equal(verify(path, vkey, &r), COUNCIL_OK);
    assert_true(r->ok);
    assert_int_equal(r->events, n); /* every event of the case, and no other */
    assert_true(r->has_case_ref && r->case_ref.len == 32);
    assert_int_equal(council__case_ref(f->c, ref, c1), COUNCIL_OK);
    assert_memory_equal(r->case_ref.data, ref, 32);
    assert_true(r->tree_size > seqs[n - 1]);
    council__v1__case_evidence_report__free_unpacked(r, NULL);
    /* every event listed for the case is in the file */
    for (size_t i = 0; i < n; i++) {
        char line[40];

        snprintf(line, sizeof line, "\nevent %llu\n", (unsigned long long)seqs[i]);
        assert_true(th_contains(ev.ptr, ev.len, line));
    }
    free(path);
    council_buf_free(&ev);
}

static void test_evidence__altered_copies_are_refused(void **state)
{
    fx *f = *state;
    uint8_t c1[16], c2[16], *buf = malloc(1 << 20);
    council_buf e1 = { NULL, 0 }, e2 = { NULL, 0 };
    char vkey[512], other[512];
    lines ls, l2;
    size_t i, n;
    char *saved, *flipped;

    assert_non_null(buf);
    two_cases(f, c1, c2);
    vkey_of(f->c, vkey, sizeof vkey);
    assert_int_equal(council_case_evidence(f->c, &e1, c1, 16), COUNCIL_OK);
    assert_int_equal(council_case_evidence(f->c, &e2, c2, 16), COUNCIL_OK);
    assert_int_equal(verify_bytes(f, e1.ptr, e1.len, vkey), COUNCIL_OK);
    split(&ls, &e1);

    /* an event changed (one byte of its canonical bytes) */
    i = after(&ls, "event ", 1);
    saved = ls.l[i];
    flipped = flip_b64(saved, 3);
    ls.l[i] = flipped;
    n = join(&ls, buf, 1 << 20);
    assert_int_equal(verify_bytes(f, buf, n, vkey), COUNCIL_ETAMPER);
    ls.l[i] = saved;
    free(flipped);

    /* a proof byte flipped */
    i = after(&ls, "proof ", 1);
    saved = ls.l[i];
    flipped = flip_b64(saved, 0);
    ls.l[i] = flipped;
    n = join(&ls, buf, 1 << 20);
    assert_int_equal(verify_bytes(f, buf, n, vkey), COUNCIL_ETAMPER);
    ls.l[i] = saved;
    free(flipped);

    /* an event of another case, with its own valid proof against the
     * other file's checkpoint: not of this case (and not of this tree) */
    split(&l2, &e2);
    {
        size_t a = after(&ls, "event ", 0) - 1, b = after(&l2, "event ", 0) - 1;

        for (size_t k = 0; k < 2; k++)
            ls.l[a + k] = l2.l[b + k]; /* "event S" and its bytes */
        n = join(&ls, buf, 1 << 20);
        assert_int_equal(verify_bytes(f, buf, n, vkey), COUNCIL_ETAMPER);
    }
    free(ls.text);
    free(l2.text);

    /* the checkpoint of another council's key: the vkey of another log */
    {
        char *r2 = NULL, *s2 = th_make_store(&r2, "other");
        council *o = NULL;

        assert_int_equal(th_open(&o, s2, TH_PASS), COUNCIL_OK);
        vkey_of(o, other, sizeof other);
        council_close(o);
        th_rmrf(r2);
        free(r2);
        free(s2);
    }
    assert_int_equal(verify_bytes(f, e1.ptr, e1.len, other), COUNCIL_ETAMPER);

    /* cut short, and not a case evidence file at all */
    assert_int_equal(verify_bytes(f, e1.ptr, e1.len - 4, vkey), COUNCIL_EFORMAT);
    assert_int_equal(verify_bytes(f, (const uint8_t *)"inclusion-proof/v1\n", 19, vkey),
                     COUNCIL_EFORMAT);
    council_buf_free(&e1);
    council_buf_free(&e2);
    free(buf);
}

/* The insider clears the case_ref column of an event row: the event drops
 * out of the case index, not out of the evidence (its body is read). An
 * edited body is refused as tampering and logged. */
static void test_evidence__hidden_event_is_not_omitted(void **state)
{
    fx *f = *state;
    uint8_t c1[16], c2[16];
    uint64_t before[256], after_[256];
    council_buf ev = { NULL, 0 };
    size_t nb, na;
    char line[40], sql[160];

    two_cases(f, c1, c2);
    nb = case_events(f->c, c1, before, 256);
    assert_true(nb >= 3);
    snprintf(sql, sizeof sql, "UPDATE audit_event SET case_ref = NULL WHERE seq = %llu;",
             (unsigned long long)before[1]);
    assert_int_equal(sqlite3_exec(f->c->db, sql, NULL, NULL, NULL), SQLITE_OK);
    na = case_events(f->c, c1, after_, 256);
    assert_int_equal(na, nb - 1); /* hidden from the index */
    assert_int_equal(council_case_evidence(f->c, &ev, c1, 16), COUNCIL_OK);
    snprintf(line, sizeof line, "\nevent %llu\n", (unsigned long long)before[1]);
    assert_true(th_contains(ev.ptr, ev.len, line));
    council_buf_free(&ev);

    /* an edited body (the tree's leaf no longer matches) */
    snprintf(sql, sizeof sql, "UPDATE audit_event SET body = body || x'00' WHERE seq = %llu;",
             (unsigned long long)before[2]);
    assert_int_equal(sqlite3_exec(f->c->db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(council_case_evidence(f->c, &ev, c1, 16), COUNCIL_ETAMPER);
    assert_null(ev.ptr);
    assert_int_equal(th_last_action(f->c), COUNCIL_AUDIT_ACTION_TAMPER_DETECTED);
}

/* A deleted event of the case is found too (by the head check). */
static void test_evidence__deleted_event_is_refused(void **state)
{
    fx *f = *state;
    uint8_t c1[16], c2[16];
    uint64_t seqs[256];
    council_buf ev = { NULL, 0 }, cp = { NULL, 0 };
    char sql[160];
    size_t n;

    two_cases(f, c1, c2);
    assert_int_equal(council_audit_checkpoint(f->c, &cp), COUNCIL_OK);
    council_buf_free(&cp);
    n = case_events(f->c, c1, seqs, 256);
    assert_true(n >= 2);
    snprintf(sql, sizeof sql, "DELETE FROM audit_event WHERE seq = %llu;",
             (unsigned long long)seqs[1]);
    assert_int_equal(sqlite3_exec(f->c->db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(council_case_evidence(f->c, &ev, c1, 16), COUNCIL_ETAMPER);
    assert_null(ev.ptr);
    assert_int_equal(th_last_action(f->c), COUNCIL_AUDIT_ACTION_TAMPER_DETECTED);
}

static void test_evidence__refusals(void **state)
{
    fx *f = *state;
    uint8_t c1[16], c2[16], nope[16] = { 1 };
    council_buf ev = { NULL, 0 };
    council_audit_verify_options o = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    council *a;
    char vkey[512];

    two_cases(f, c1, c2);
    vkey_of(f->c, vkey, sizeof vkey);
    /* the secretariat only: a member's staff is refused, and it is logged */
    a = staff_open(f, f->sa, &f->ka);
    assert_int_equal(council_case_evidence(a, &ev, c1, 16), COUNCIL_EDENIED);
    council_close(a);
    assert_int_equal(th_last_action(f->c), COUNCIL_AUDIT_ACTION_OPERATION_REFUSED);
    assert_int_equal(council_case_evidence(f->c, &ev, c1, 15), COUNCIL_EINVAL);
    assert_int_equal(council_case_evidence(f->c, &ev, nope, 16), COUNCIL_ENOTFOUND);
    assert_int_equal(council_case_evidence(f->c, NULL, c1, 16), COUNCIL_EMISUSE);
    assert_int_equal(council_batch_begin(f->c), COUNCIL_OK);
    assert_int_equal(council_case_evidence(f->c, &ev, c1, 16), COUNCIL_EMISUSE);
    assert_int_equal(council_batch_rollback(f->c), COUNCIL_OK);
    /* the verifier's own refusals */
    assert_int_equal(council_audit_verify_case_evidence(NULL, "/nonexistent/x", NULL),
                     COUNCIL_EMISUSE);
    o.log_vkey = "not a key";
    assert_int_equal(council_audit_verify_case_evidence(NULL, "/nonexistent/x", &o),
                     COUNCIL_EINVAL);
    o.log_vkey = vkey;
    assert_int_equal(council_audit_verify_case_evidence(NULL, "/nonexistent/x", &o),
                     COUNCIL_ENOTFOUND);
    assert_int_equal(council_audit_verify_case_evidence(NULL, NULL, &o), COUNCIL_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_evidence__verifies_with_the_public_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_evidence__altered_copies_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_evidence__hidden_event_is_not_omitted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_evidence__deleted_event_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_evidence__refusals, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
