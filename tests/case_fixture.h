/* case_fixture.h - the fixture of the case and consent tests: a council
 * with three members (A: every scope; B: situation, wishes, support_plan;
 * C: every scope), each with keys and one pledged staff member, and small
 * helpers to write, read, share and look inside the store as someone
 * holding the database key would. Included by test_case.c and
 * test_consent.c (static inline: each takes what it uses). */
#ifndef CASE_FIXTURE_H
#define CASE_FIXTURE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "helpers.h"
#include "council_int.h"
#include "log.h"
#include "crypto.h"
#include "keyfile.h"
#include "council/v1/audit.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/consent.pb-c.h"
#include "council/v1/info.pb-c.h"
#include "council/v1/meeting.pb-c.h"
#include "council/v1/member.pb-c.h"
#include "casekey.h"

#define MPASS "member passphrase"
#define CANARY_NAME "廣瀬カナリア太郎"
#define CANARY_TEXT "CANARY-TEXT-7f3a9c"
static const char pledge[] = "秘密を漏らしません。";
static const char *const all_scopes[] = { "identity", "situation", "wishes", "support_plan",
                                          "support_record", "health", "finances", "family",
                                          "child", "justice" };
static const char *const b_scopes[] = { "situation", "wishes", "support_plan" };

typedef struct fx {
    char *root, *store;
    council *c;                 /* the secretariat */
    uint8_t ma[16], mb[16], mc[16];
    council_buf ka, kb, kc;     /* keyfiles */
    uint8_t sa[16], sb[16], sc[16];
} fx;

static inline void member(council *c, uint8_t id[16], const char *name, const char *const *scopes,
                   size_t n, council_buf *kf)
{
    council_member_options o = COUNCIL_MEMBER_OPTIONS_INIT;

    o.name = name;
    o.kind = COUNCIL__V1__MEMBER_KIND__MEMBER_KIND_NPO;
    o.scopes = scopes;
    o.n_scopes = n;
    assert_int_equal(council_member_add(c, id, 16, &o), COUNCIL_OK);
    assert_int_equal(council_member_keygen(c, kf, id, 16, (const uint8_t *)MPASS, strlen(MPASS),
                                           TH_OPS, TH_MEM), COUNCIL_OK);
}

static inline void staff(council *c, uint8_t id[16], const uint8_t m[16])
{
    assert_int_equal(council_staff_add(c, id, 16, m, 16, "相談員", NULL), COUNCIL_OK);
    assert_int_equal(council_staff_pledge(c, id, 16, 0, "v1", (const uint8_t *)pledge,
                                          strlen(pledge), NULL), COUNCIL_OK);
}

static inline int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);

    assert_non_null(f);
    f->store = th_make_store(&f->root, "case test");
    assert_int_equal(th_open(&f->c, f->store, TH_PASS), COUNCIL_OK);
    member(f->c, f->ma, "NPO A", all_scopes, 10, &f->ka);
    member(f->c, f->mb, "NPO B", b_scopes, 3, &f->kb);
    member(f->c, f->mc, "NPO C", all_scopes, 10, &f->kc);
    staff(f->c, f->sa, f->ma);
    staff(f->c, f->sb, f->mb);
    staff(f->c, f->sc, f->mc);
    *state = f;
    return 0;
}

static inline int teardown(void **state)
{
    fx *f = *state;

    council_close(f->c);
    council_buf_free(&f->ka);
    council_buf_free(&f->kb);
    council_buf_free(&f->kc);
    th_rmrf(f->root);
    free(f->root);
    free(f->store);
    free(f);
    return 0;
}

static inline council *staff_open(fx *f, const uint8_t staff_id[16], const council_buf *kf)
{
    council_open_options o = COUNCIL_OPEN_OPTIONS_INIT;
    council *s = NULL;

    o.passphrase = (const uint8_t *)MPASS;
    o.passphrase_len = strlen(MPASS);
    o.staff_id = staff_id;
    o.staff_id_len = 16;
    o.keyfile = kf->ptr;
    o.keyfile_len = kf->len;
    assert_int_equal(council_open(&s, f->store, &o), COUNCIL_OK);
    return s;
}

/* A member's secret box key, as someone holding its keyfile would have it. */
static inline void member_keys(const council_buf *kf, council__member_keys *k)
{
    council__keyfile_info info;

    memset(k, 0, sizeof *k);
    assert_int_equal(council__keyfile_open(NULL, k, &info, kf->ptr, kf->len, (const uint8_t *)MPASS,
                                           strlen(MPASS)), COUNCIL_OK);
}

/* Serialised sections. */
static inline council_buf sec_text(const char *text)
{
    Council__V1__Section s = COUNCIL__V1__SECTION__INIT;
    council_buf b;

    s.text = (char *)(uintptr_t)text;
    b.len = council__v1__section__get_packed_size(&s);
    b.ptr = malloc(b.len);
    council__v1__section__pack(&s, b.ptr);
    return b;
}

static inline council_buf sec_identity(const char *name, const char *birth)
{
    Council__V1__Section s = COUNCIL__V1__SECTION__INIT;
    Council__V1__Identity i = COUNCIL__V1__IDENTITY__INIT;
    council_buf b;

    i.name = (char *)(uintptr_t)name;
    i.birth_date = (char *)(uintptr_t)birth;
    i.address = (char *)(uintptr_t)"北市中央1-2-3";
    s.identity = &i;
    b.len = council__v1__section__get_packed_size(&s);
    b.ptr = malloc(b.len);
    council__v1__section__pack(&s, b.ptr);
    return b;
}

static inline void put(council *c, const uint8_t cid[16], const uint8_t pid[16], const char *scope,
                council_buf sec, int want)
{
    uint32_t v = 0;
    assert_int_equal(council_section_write(c, &v, cid, 16, pid, 16, scope, sec.ptr, sec.len), want);
    if (want == COUNCIL_OK)
        assert_true(v >= 1);
    free(sec.ptr);
}

/* Read the latest section's text (NULL if refused); rc in *rc. */
static inline char *get_text(council *c, const uint8_t cid[16], const uint8_t pid[16], const char *scope,
                      int *rc)
{
    council_buf out = { NULL, 0 };
    char *t = NULL;

    *rc = council_section_read(c, &out, cid, 16, pid, 16, scope, "support_coordination");
    if (*rc == COUNCIL_OK) {
        Council__V1__SectionRecord *r = council__v1__section_record__unpack(NULL, out.len, out.ptr);
        assert_non_null(r);
        assert_string_equal(r->scope, scope);
        if (r->section->text != NULL)
            t = strdup(r->section->text);
        else if (r->section->identity != NULL)
            t = strdup(r->section->identity->name);
        council__v1__section_record__free_unpacked(r, NULL);
    } else {
        assert_null(out.ptr);
    }
    council_buf_free(&out);
    return t;
}

static inline void new_case(council *s, uint8_t cid[16], uint8_t pid[16])
{
    council_case_options o = COUNCIL_CASE_OPTIONS_INIT;
    assert_int_equal(council_case_create(s, cid, 16, pid, 16, &o), COUNCIL_OK);
}

static inline void share(council *s, const uint8_t cid[16], const uint8_t m[16], const char *scope, int want)
{
    council_share_options o = COUNCIL_SHARE_OPTIONS_INIT;
    const char *sc[1] = { scope };

    o.scopes = sc;
    o.n_scopes = 1;
    o.purpose = "support_coordination";
    o.basis = "appi_27_1_4_public_duty";
    o.reason = "要保護の判断のため";
    assert_int_equal(council_case_share(s, cid, 16, m, 16, &o), want);
}

/* A council meeting with one attendee, open from a minute ago for `secs`
 * seconds, with the situation of case cid on its agenda for the attendee
 * (basis public duty). */
static inline void meeting_on_situation(fx *f, uint8_t mid[16], const uint8_t attendee[16],
                                        int64_t secs, const uint8_t cid[16], const char *reason)
{
    static const char *const sit[] = { "situation" };
    council_meeting_options mo = COUNCIL_MEETING_OPTIONS_INIT;
    council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;

    mo.body = COUNCIL__V1__MEETING_BODY__MEETING_BODY_COUNCIL;
    mo.starts = (int64_t)time(NULL) - 60;
    mo.ends = (int64_t)time(NULL) + secs;
    mo.attendees = attendee;
    mo.n_attendees = 1;
    assert_int_equal(council_meeting_create(f->c, mid, 16, &mo), COUNCIL_OK);
    so.scopes = sit;
    so.n_scopes = 1;
    so.purpose = "meeting_discussion";
    so.basis = "appi_27_1_4_public_duty";
    so.reason = reason;
    assert_int_equal(council_meeting_add_case(f->c, mid, 16, cid, 16, attendee, 16, &so), COUNCIL_OK);
}

/* The audit event at seq (of the handle's view: the secretariat's). */
static inline Council__V1__AuditEvent *event_at(council *c, uint64_t seq)
{
    council_buf out = { NULL, 0 };
    council_audit_filter flt = COUNCIL_AUDIT_FILTER_INIT;
    Council__V1__AuditEventList *l;
    Council__V1__AuditEvent *e;

    flt.from_seq = seq;
    flt.limit = 1;
    assert_int_equal(council_audit_list(c, &out, &flt), COUNCIL_OK);
    l = council__v1__audit_event_list__unpack(NULL, out.len, out.ptr);
    assert_non_null(l);
    assert_int_equal(l->n_events, 1);
    e = l->events[0];
    l->events[0] = NULL;
    l->n_events = 0;
    council__v1__audit_event_list__free_unpacked(l, NULL);
    council_buf_free(&out);
    return e;
}

/* The last audit event (of the root handle's view). */
static inline Council__V1__AuditEvent *last_event(council *c)
{
    uint64_t n = 0;

    assert_int_equal(council__audit_size(c, &n), COUNCIL_OK);
    return event_at(c, n - 1);
}

/* The data key a holder could unwrap from the raw store (NULL-able). */
static inline int steal_key(council *c, const uint8_t cid[16], const char *scope, uint32_t version,
                     const uint8_t holder[16], const council__member_keys *k, council__secret *key)
{
    sqlite3_stmt *st;
    int rc = COUNCIL_ENOTFOUND;

    assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT sealed, version FROM key_wrap WHERE case_id = ?1 "
                                        "AND scope = ?2 AND (?3 = 0 OR version = ?3);", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, version);
    /* Try every wrapped copy of the scope's keys, whoever it was for. */
    while (sqlite3_step(st) == SQLITE_ROW && rc != COUNCIL_OK) {
        council__secret tmp = { NULL, 0 };
        if (council__unwrap(c, &tmp, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                            cid, scope, (uint32_t)sqlite3_column_int64(st, 1), k->box_pk,
                            &k->box_sk) == COUNCIL_OK) {
            *key = tmp;
            rc = COUNCIL_OK;
        }
    }
    sqlite3_finalize(st);
    (void)holder;
    return rc;
}

/* Does key open the newest stored version of a section? */
static inline bool key_opens_latest(council *c, const uint8_t cid[16], const uint8_t pid[16],
                             const char *scope, const council__secret *key)
{
    sqlite3_stmt *st;
    bool opened = false;

    assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT version, key_version, nonce, ct FROM section "
                                        "WHERE case_id = ?1 AND person_id = ?2 AND scope = ?3 "
                                        "ORDER BY version DESC LIMIT 1;", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, cid, 16, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, pid, 16, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, scope, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    {
        uint8_t ad[256], *p = ad, pt[4096];
        size_t n = strlen(scope), ctl = (size_t)sqlite3_column_bytes(st, 3);
        uint32_t rv = (uint32_t)sqlite3_column_int64(st, 0), kv = (uint32_t)sqlite3_column_int64(st, 1);
        p = council__put_bytes(p, "council/section", sizeof "council/section");
        p = council__put_bytes(p, c->council_id, 16);
        p = council__put_bytes(p, cid, 16);
        p = council__put_bytes(p, pid, 16);
        p = council__put_u32(p, (uint32_t)n);
        p = council__put_bytes(p, scope, n);
        p = council__put_u32(p, kv);
        p = council__put_u32(p, rv);
        assert_true(ctl > 16 && ctl - 16 <= sizeof pt);
        council__secret_read(key);
        opened = crypto_aead_xchacha20poly1305_ietf_decrypt(pt, NULL, NULL, sqlite3_column_blob(st, 3),
                                                            ctl, ad, (size_t)(p - ad),
                                                            sqlite3_column_blob(st, 2), key->p) == 0;
        council__secret_lock(key);
    }
    sqlite3_finalize(st);
    return opened;
}

/* The insider's tools (the red-team tests): any SQL on the store, as
 * someone holding the database key; one integer read back. */
static inline void rt_sql(council *h, const char *q)
{
    char *err = NULL;
    int src = sqlite3_exec(h->db, q, NULL, NULL, &err);
    if (src != SQLITE_OK)
        fail_msg("sql: %s: %s", q, err != NULL ? err : "?");
}

static inline int64_t rt_int(council *h, const char *q)
{
    sqlite3_stmt *st;
    int64_t v = -1;

    assert_int_equal(sqlite3_prepare_v2(h->db, q, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static inline int64_t count(council *c, const char *sql, const uint8_t *blob)
{
    sqlite3_stmt *st;
    int64_t n;

    assert_int_equal(sqlite3_prepare_v2(c->db, sql, -1, &st, NULL), SQLITE_OK);
    if (blob != NULL)
        sqlite3_bind_blob(st, 1, blob, 16, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static inline const void *memfind(const void *hay, size_t n, const void *needle, size_t m)
{
    const uint8_t *h = hay;

    if (m == 0 || n < m)
        return NULL;
    for (size_t i = 0; i + m <= n; i++)
        if (h[i] == *(const uint8_t *)needle && memcmp(h + i, needle, m) == 0)
            return h + i;
    return NULL;
}


#endif
