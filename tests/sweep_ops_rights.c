/*
 * sweep_ops_rights.c - the sweep's operations (issue 18): the person's
 * rights (the person's file, erasure), retention, intake, batched reads,
 * the blind index and finds, evidence, outside disclosure, refusals of
 * consent, a case's status and review, pseudonyms and section history.
 */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sweep.h"
#include "blind.h"
#include "council_int.h"
#include "log.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/consent.pb-c.h"
#include "council/v1/bundle.pb-c.h"

/* A fresh case x of A's (person y), its situation and wishes written, its
 * situation shared to B: something to erase, close or retain. */
static void fresh_case(world *w)
{
    council_case_options o = COUNCIL_CASE_OPTIONS_INIT;

    MUST(council_case_create(w->sa, w->x, 16, w->y, 16, &o));
    write_section(w->sa, w->x, w->y, "situation", "CANARY-TEXT-rights");
    write_section(w->sa, w->x, w->y, "wishes", "CANARY-TEXT-rights-wishes");
    MUST(share_to(w->sa, w->x, w->mb, "situation"));
}

/* An identity section (a name and a birth date) for the blind index. */
static council_buf identity_text(const char *name, const char *birth)
{
    Council__V1__Section s = COUNCIL__V1__SECTION__INIT;
    Council__V1__Identity i = COUNCIL__V1__IDENTITY__INIT;
    council_buf b;

    i.name = (char *)(uintptr_t)name;
    i.birth_date = (char *)(uintptr_t)birth;
    s.identity = &i;
    b.len = council__v1__section__get_packed_size(&s);
    b.ptr = malloc(b.len);
    if (b.ptr == NULL)
        abort();
    council__v1__section__pack(&s, b.ptr);
    return b;
}

static void write_identity(council *s, const uint8_t cid[16], const uint8_t pid[16],
                           const char *name)
{
    council_buf b = identity_text(name, "1950-01-02");
    uint32_t v = 0;

    MUST(council_section_write(s, &v, cid, 16, pid, 16, "identity", b.ptr, b.len));
    free(b.ptr);
}

/* ------------------------------------------------ the person's file */

/* The person's file is produced by a named, pledged person of the
 * secretariat: a secretariat member (made once in each world) and a staff
 * session of it, opened in prep and closed in done. */
static council *sec_s;
static char sec_root[300];
static uint8_t sec_m[16], sec_st[16];
static council_buf sec_kf;

static void sec_close(void)
{
    council_close(sec_s);
    sec_s = NULL;
}

static void sec_free(void)
{
    sec_close();
    council_buf_free(&sec_kf);
}

static void person_report_prep(world *w)
{
    static bool registered;
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;
    council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;

    if (!registered) {
        atexit(sec_free);
        registered = true;
    }
    sec_close();
    /* made in this world already? (a marker beside the store: a world's
     * directory name may be used again by the next world) */
    snprintf(sec_root, sizeof sec_root, "%s/sec-made", w->root);
    if (access(sec_root, F_OK) != 0) {
        FILE *mk;
        council_buf_free(&sec_kf);
        o.name = "事務局";
        o.kind = COUNCIL_MEMBER_KIND_MUNICIPAL_DEPARTMENT;
        o.roles = COUNCIL_ROLE_SECRETARIAT;
        o.scopes = all_scopes;
        o.n_scopes = 10;
        MUST(council_member_add(w->c, sec_m, 16, &o));
        MUST(council_member_keygen(w->c, &sec_kf, sec_m, 16, (const uint8_t *)MPASS,
                                   strlen(MPASS), OPS, MEM));
        add_staff(w, sec_st, sec_m);
        if ((mk = fopen(sec_root, "w")) == NULL)
            abort();
        fclose(mk);
    }
    oo.passphrase = (const uint8_t *)MPASS;
    oo.passphrase_len = strlen(MPASS);
    oo.staff_id = sec_st;
    oo.staff_id_len = 16;
    oo.keyfile = sec_kf.ptr;
    oo.keyfile_len = sec_kf.len;
    MUST(council_open(&sec_s, w->store, &oo));
    /* the file of a small case (one person, one section): the report of
     * the world's case takes over 2,000 allocations */
    {
        council_case_options co = COUNCIL_CASE_OPTIONS_INIT;
        MUST(council_case_create(w->sa, w->x, 16, w->y, 16, &co));
        write_section(w->sa, w->x, w->y, "situation", "CANARY-TEXT-person");
    }
}
static int person_report_run(world *w, council **h, council_buf *out)
{
    council_person_report_options o = COUNCIL_PERSON_REPORT_OPTIONS_INIT;

    o.case_id = w->x;
    o.case_id_len = 16;
    *h = sec_s;
    return council_person_report(sec_s, out, &o);
}
static void sec_done(world *w, council_buf *out)
{
    (void)w;
    (void)out;
    sec_close();
}

/* erasure: a fresh case, its shares revoked, its keys destroyed */
static int erase_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    return council_case_erase(w->c, w->x, 16, "person_request");
}

/* --------------------------------------------------------- retention */

static void rule(council_retention_rule *r, int32_t body, int32_t status, int32_t unit,
                 int32_t count)
{
    r->body = body;
    r->status = status;
    r->unit = unit;
    r->count = count;
}
static int retention_set_run(world *w, council **h, council_buf *out)
{
    council_retention_rule r[2];

    (void)out;
    rule(&r[0], COUNCIL_CASE_BODY_COUNCIL, COUNCIL_CASE_STATUS_CLOSED, COUNCIL_RETENTION_DAYS, 0);
    rule(&r[1], 0, 0, COUNCIL_RETENTION_KEEP, 0);
    *h = w->c;
    return council_retention_set(w->c, r, 2);
}
/* a schedule erasing closed cases at once, a fresh case closed (due) */
static void retention_apply_prep(world *w)
{
    council *h;

    MUST(retention_set_run(w, &h, NULL));
    fresh_case(w);
    MUST(council_case_set_status(w->sa, w->x, 16, COUNCIL_CASE_STATUS_CLOSED));
}
/* A pass is several transactions by design (each case erased as
 * council_case_erase erases it, the other cases' ended shares purged, then
 * the summary event, written also after a failure part way): a failure
 * after the erasure leaves the case erased and a summary saying so, which
 * this harness reads as a change (the main
 * branch's logs_first check, the non-audit rows those of one clean
 * success or none, is the one that fits). */
static int retention_apply_run(world *w, council **h, council_buf *out)
{
    council_retention_apply_options o = COUNCIL_RETENTION_APPLY_OPTIONS_INIT;

    *h = w->c;
    return council_retention_apply(w->c, out, &o);
}

/* ------------------------------------------------------------ intake */

/* A new name each time: each intake makes a new case (a person found
 * again would add other rows than the clean success). */
static int intake_seq;
static int intake_json_run(world *w, council **h, council_buf *out)
{
    council_intake_options o = COUNCIL_INTAKE_OPTIONS_INIT;
    char json[1024];
    int n;

    n = snprintf(json, sizeof json,
                 "{\"form\": \"libcouncil-intake-1\","
                 " \"referrer\": {\"organisation\": \"よりそいホットライン\", \"channel\": \"phone\","
                 "                \"contact\": \"03-0000-0000\"},"
                 " \"person\": {\"name\": \"受付 花子%d\", \"birth_date\": \"1950-04-01\","
                 "              \"contact\": \"090-0000-0000\"},"
                 " \"consent\": {\"scopes\": [\"identity\", \"situation\"],"
                 "               \"purpose\": \"support_coordination\","
                 "               \"method\": \"oral\", \"at\": 1764547200},"
                 " \"situation\": \"夜間に相談。CANARY-INTAKE\\n食事がとれていない。\"}",
                 ++intake_seq);
    o.owner = w->ma;
    o.owner_len = 16;
    *h = w->c;
    return council_intake_import_json(w->c, out, json, (size_t)n, &o);
}
static int intake_pb_run(world *w, council **h, council_buf *out)
{
    Council__V1__IntakeBundle ib = COUNCIL__V1__INTAKE_BUNDLE__INIT;
    council_intake_options o = COUNCIL_INTAKE_OPTIONS_INIT;
    char *scopes[1] = { (char *)(uintptr_t)"situation" };
    uint8_t buf[1024];
    size_t n;

    ib.referrer_org = (char *)(uintptr_t)"チャット相談あなたのいばしょ";
    ib.contact_channel = (char *)(uintptr_t)"chat";
    ib.situation = (char *)(uintptr_t)"匿名の相談 CANARY-INTAKE-PB";
    ib.consented_scopes = scopes;
    ib.n_consented_scopes = 1;
    ib.consent_method = (char *)(uintptr_t)"written";
    n = council__v1__intake_bundle__get_packed_size(&ib);
    if (n > sizeof buf)
        abort();
    council__v1__intake_bundle__pack(&ib, buf);
    o.owner = w->ma;
    o.owner_len = 16;
    *h = w->c;
    return council_intake_import(w->c, out, buf, n, &o);
}

/* ------------------------------------------------ reads and finds */

static int sections_read_run(world *w, council **h, council_buf *out)
{
    council_section_ref r[2];
    council_buf o[2] = { { NULL, 0 }, { NULL, 0 } };
    int rc;

    r[0].case_id = w->cid;
    r[0].case_id_len = 16;
    r[0].person_id = w->pid;
    r[0].person_id_len = 16;
    r[0].scope = "situation";
    r[1] = r[0];
    r[1].scope = "wishes";
    *h = w->sa;
    rc = council_sections_read(w->sa, o, r, 2, "support_coordination");
    /* the output the harness looks at: both buffers, one after the other */
    if (o[0].ptr != NULL || o[1].ptr != NULL) {
        out->len = o[0].len + o[1].len;
        out->ptr = malloc(out->len ? out->len : 1);
        if (out->ptr == NULL)
            abort();
        if (o[0].len)
            memcpy(out->ptr, o[0].ptr, o[0].len);
        if (o[1].len)
            memcpy(out->ptr + o[0].len, o[1].ptr, o[1].len);
    }
    council_buf_free(&o[0]);
    council_buf_free(&o[1]);
    return rc;
}
static int section_history_run(world *w, council **h, council_buf *out)
{
    *h = w->sb;
    return council_section_history(w->sb, out, w->cid, 16, w->pid, 16, "situation",
                                   "support_coordination");
}
static void find_prep(world *w)
{
    write_identity(w->sa, w->cid, w->pid, "探索 一郎");
}
static int case_find_run(world *w, council **h, council_buf *out)
{
    (void)w;
    *h = w->sb;
    return council_case_find(w->sb, out, "探索 一郎", "1950-01-02");
}

/* The blind index widened: named persons, and the test scale at which the
 * index wants one bit more than it has (set for the run only). */
static unsigned index_scale;
static char index_saved[340];
static void index_prep(world *w)
{
    council_case_options o = COUNCIL_CASE_OPTIONS_INIT;
    council_index_state st;
    uint8_t cid[16], pid[16];
    char cmd[1200];

    if (index_saved[0] != '\0' && strncmp(index_saved, w->root, strlen(w->root)) == 0 &&
        access(index_saved, F_OK) == 0) {
        /* Again in this world (after a fault survived): the store as it
         * was before the first run, so that each run widens the index
         * from the same width over the same cases. */
        council_close(w->sa);
        council_close(w->sb);
        council_close(w->c);
        council_close(w->insp);
        w->sa = w->sb = w->c = w->insp = NULL;
        snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -a '%s' '%s'", w->store, index_saved,
                 w->store);
        if (system(cmd) != 0)
            abort();
        reopen_all(w);
        return;
    }
    for (int i = 0; i < 3; i++) {
        char nm[64];
        snprintf(nm, sizeof nm, "索引 太郎%d", i);
        MUST(council_case_create(w->sa, cid, 16, pid, 16, &o));
        write_identity(w->sa, cid, pid, nm);
    }
    /* A first rebuild (its width stored, as in any store rebuilt once:
     * the first adds the setting rows), then the scale at which the run
     * widens it again. */
    for (int round = 0; round < 2; round++) {
        for (index_scale = 0; index_scale < 40; index_scale++) {
            council__blind_test_scale(index_scale);
            MUST(council_index_status(w->c, &st));
            if (st.wanted_width > st.width && st.old_width == 0)
                break;
        }
        if (index_scale == 40) {
            fprintf(stderr, "sweep: setup failed: no scale widens the index\n");
            exit(1);
        }
        if (round == 0)
            MUST(council_index_rebuild(w->c, &st, 0));
        council__blind_test_scale(0);
    }
    /* the store saved as it is now, for the next prep in this world */
    council_close(w->sa);
    council_close(w->sb);
    council_close(w->c);
    council_close(w->insp);
    w->sa = w->sb = w->c = w->insp = NULL;
    snprintf(index_saved, sizeof index_saved, "%s/saved", w->root);
    snprintf(cmd, sizeof cmd, "cp -a '%s' '%s'", w->store, index_saved);
    if (system(cmd) != 0)
        abort();
    reopen_all(w);
}
/* A rebuild is several transactions on purpose (the new width signed,
 * then a chunk of cases each, then the old width signed away) and
 * resumable: a failure after the first commit leaves a rebuild under way
 * (both widths searched), which the next call finishes. So the run is a
 * rebuild resumed once: a failure that left nothing is the run's failure
 * (looked at as any other); one that left a rebuild under way must have
 * said why, and the call made again without the fault must finish it with
 * the rows of one clean rebuild (lost or doubled tokens would show in the
 * rows the sweep compares). */
static int index_rebuild_run(world *w, council **h, council_buf *out)
{
    council_index_state st;
    int rc;

    (void)out;
    *h = w->c;
    council__blind_test_scale(index_scale);
    rc = council_index_rebuild(w->c, &st, 0);
    if (rc != COUNCIL_OK && council__ok(w->c)) {
        char m[256];
        council_index_state now;
        int src;

        snprintf(m, sizeof m, "%s", council_errmsg(w->c));
        /* the library's own hooks fail every call after theirs: off */
        council__fault_alloc_after(-1);
        council__audit_fault_after(-1);
        src = council_index_status(w->c, &now);
        if (m[0] != '\0' && strcmp(m, "not an error") != 0 && src == COUNCIL_OK &&
            now.old_width != 0)
            rc = council_index_rebuild(w->c, &st, 0);
        else if (council__ok(w->c)) /* the message looked at is the failure's */
            (void)council__fail(w->c, rc, "%s", m);
    }
    council__blind_test_scale(0);
    return rc;
}

/* ------------------------------------------- evidence, disclosures */

static int evidence_run(world *w, council **h, council_buf *out)
{
    *h = w->c;
    return council_case_evidence(w->c, out, w->cid, 16);
}

/* a consent of the person naming an outside party, for the situation */
static void outside_prep(world *w)
{
    council_consent_options o = COUNCIL_CONSENT_OPTIONS_INIT;
    static const char *const sc[] = { "situation" };
    static const char *const pu[] = { "support_coordination" };

    o.case_id = w->cid;
    o.case_id_len = 16;
    o.subject_person = w->pid;
    o.subject_person_len = 16;
    o.external_party = "北市社会福祉協議会";
    o.scopes = sc;
    o.n_scopes = 1;
    o.purposes = pu;
    o.n_purposes = 1;
    o.method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_WRITTEN;
    MUST(council_consent_record(w->sa, w->z, 16, &o));
}
static int outside_run(world *w, council **h, council_buf *out)
{
    council_outside_options o = COUNCIL_OUTSIDE_OPTIONS_INIT;
    const char *sc[1] = { "situation" };

    o.consent_id = w->z;
    o.consent_id_len = 16;
    o.scopes = sc;
    o.n_scopes = 1;
    o.purpose = "support_coordination";
    *h = w->sa;
    return council_outside_disclose(w->sa, out, w->cid, 16, &o);
}

static int consent_refuse_run(world *w, council **h, council_buf *out)
{
    council_consent_options o = COUNCIL_CONSENT_OPTIONS_INIT;
    static const char *const sc[] = { "health" };

    (void)out;
    o.case_id = w->cid;
    o.case_id_len = 16;
    o.subject_person = w->pid;
    o.subject_person_len = 16;
    o.scopes = sc;
    o.n_scopes = 1;
    o.method = COUNCIL__V1__CONSENT_METHOD__CONSENT_METHOD_ORAL;
    *h = w->sa;
    return council_consent_refuse(w->sa, w->x, 16, &o);
}

/* ------------------------------------------------- a case's state */

static int set_status_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->sa;
    return council_case_set_status(w->sa, w->x, 16, COUNCIL_CASE_STATUS_CLOSED);
}
static int review_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->sa;
    return council_case_review(w->sa, w->cid, 16, (int64_t)time(NULL) + 30 * 86400);
}

/* the way back from a pseudonym (logged before the id is returned) */
static uint8_t pseudonym[32];
static void pseudonym_prep(world *w)
{
    MUST(council_case_pseudonym(w->c, w->cid, 16, pseudonym));
}
static int by_pseudonym_run(world *w, council **h, council_buf *out)
{
    (void)out;
    *h = w->c;
    memset(w->x, 0, 16);
    return council_case_by_pseudonym(w->c, pseudonym, 32, w->x);
}

const op sweep_ops_rights[] = {
    { "person_report", true, false, false, person_report_prep, person_report_run, sec_done, false,
      true },
    { "case_erase", false, false, false, fresh_case, erase_run, NULL },
    { "retention_set", false, false, false, no_prep, retention_set_run, NULL },
    /* (a pass is several transactions by design, each case's erasure and
     * then the summary: compared as logs_first ops are, nothing done or
     * one clean pass, every session still opening) */
    { "retention_apply", false, false, false, retention_apply_prep, retention_apply_run, NULL, true,
      true },
    /* (an intake naming a person looks the person up first: a find and
     * each match's identity section read, logged as reads are, durably
     * before their result is used; those events stand when the intake
     * then fails, as a read's event stands without its content) */
    { "intake_import_json", true, false, false, no_prep, intake_json_run, NULL },
    { "intake_import", false, false, false, no_prep, intake_pb_run, NULL },
    { "sections_read", true, false, false, no_prep, sections_read_run, NULL },
    { "section_history", true, false, false, no_prep, section_history_run, NULL },
    { "case_find", true, false, false, find_prep, case_find_run, NULL },
    { "index_rebuild", false, false, false, index_prep, index_rebuild_run, NULL },
    { "case_evidence", true, false, false, no_prep, evidence_run, NULL, false, true },
    { "outside_disclose", true, false, false, outside_prep, outside_run, NULL },
    { "consent_refuse", false, false, false, no_prep, consent_refuse_run, NULL },
    { "case_set_status", false, false, false, fresh_case, set_status_run, NULL },
    { "case_review", false, false, false, no_prep, review_run, NULL },
    { "case_by_pseudonym", true, false, false, pseudonym_prep, by_pseudonym_run, NULL },
};
const size_t sweep_ops_rights_n = sizeof sweep_ops_rights / sizeof sweep_ops_rights[0];
