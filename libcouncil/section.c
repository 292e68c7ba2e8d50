/*
 * section.c - sections (council_section_write, read, history): content
 * checked, padded and sealed under the scope's data key, stored by
 * version, opened and returned after the read is logged. The table
 * section is section_db.c's: this file seals and opens, section_db.c
 * stores.
 *
 * A section is a serialised council.v1.Section (proto/council/v1/case.proto).
 * The size is capped before protobuf-c sees a byte; unknown fields are
 * refused; every string is UTF-8 without control characters (free text may
 * hold newlines and tabs); dates are "YYYY-MM-DD"; member ids 16 bytes; the
 * typed part matches the scope.
 */
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "buf.h"
#include "crypto.h"
#include "session.h"
#include "text.h"
#include "casekey.h"
#include "scope.h"
#include "case_db.h"
#include "find.h"
#include "share.h"
#include "section_db.h"
#include "section.h"
#include "attest.h"
#include "event.h"
#include "share_db.h"
#include "decide.h"

#define PAD_BLOCK 256  /* section plaintext is padded: sizes leak in steps of this */

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x

size_t council_section_max(void)
{
    return COUNCIL_SECTION_MAX;
}

#define STRING_MAX 65536  /* bytes of one string */
#define ITEMS_MAX 1024    /* wants, tasks, entries */

/* Text with newlines and tabs allowed: each run between them must be
 * council__text_ok. Empty is allowed when `empty` is. */
static bool free_text_ok(const char *s, bool empty)
{
    size_t len;

    if (s == NULL)
        return false;
    len = strlen(s);
    if (len > STRING_MAX || (len == 0 && !empty))
        return false;
    for (size_t i = 0, start = 0; i <= len; i++) {
        if (i == len || s[i] == '\n' || s[i] == '\t') {
            if (!council__text_ok(s + start, i - start))
                return false;
            start = i + 1;
        }
    }
    return true;
}

static bool line_ok(const char *s, bool optional)
{
    if (s == NULL)
        return optional;
    size_t len = strlen(s);
    return len > 0 && len <= 1024 && council__text_ok(s, len);
}

static bool date_ok(const char *s, bool optional)
{
    return s == NULL ? optional : council__date_ok(s);
}

static bool id_ok(protobuf_c_boolean has, ProtobufCBinaryData b)
{
    return !has || b.len == COUNCIL_ID_BYTES;
}

static bool known(const ProtobufCMessage *m)
{
    return m == NULL || m->n_unknown_fields == 0;
}

static int check(council *c, const char *scope, const Council__V1__Section *s)
{
    const char *what = NULL;

    if (!known(&s->base) || (s->text != NULL && !free_text_ok(s->text, false)))
        what = "text";
    if (what == NULL && s->identity != NULL) {
        const Council__V1__Identity *i = s->identity;
        if (strcmp(scope, "identity") != 0)
            what = "identity content outside scope identity";
        else if (!known(&i->base) || !line_ok(i->name, false) || !line_ok(i->name_kana, true) ||
                 !date_ok(i->birth_date, true) || !line_ok(i->address, true) ||
                 !line_ok(i->phone, true) || (i->contact_note != NULL &&
                                              !free_text_ok(i->contact_note, false)))
            what = "identity";
    } else if (what == NULL && strcmp(scope, "identity") == 0) {
        what = "an identity section without identity content";
    }
    if (what == NULL && s->wishes != NULL) {
        const Council__V1__Wishes *w = s->wishes;
        if (strcmp(scope, "wishes") != 0)
            what = "wishes outside scope wishes";
        else if (!known(&w->base) || w->n_wants > ITEMS_MAX || w->n_does_not_want > ITEMS_MAX)
            what = "wishes";
        for (size_t i = 0; what == NULL && i < w->n_wants; i++)
            if (!free_text_ok(w->wants[i], false))
                what = "wishes";
        for (size_t i = 0; what == NULL && i < w->n_does_not_want; i++)
            if (!free_text_ok(w->does_not_want[i], false))
                what = "wishes";
    }
    if (what == NULL && s->support_plan != NULL) {
        const Council__V1__SupportPlan *p = s->support_plan;
        if (strcmp(scope, "support_plan") != 0)
            what = "a support plan outside scope support_plan";
        else if (!known(&p->base) || p->n_tasks > ITEMS_MAX)
            what = "support plan";
        for (size_t i = 0; what == NULL && i < p->n_tasks; i++) {
            const Council__V1__Task *t = p->tasks[i];
            if (!known(&t->base) || !line_ok(t->title, false) ||
                !id_ok(t->has_responsible_member, t->responsible_member) ||
                !date_ok(t->due, true) || t->state < COUNCIL__V1__TASK_STATE__TASK_STATE_OPEN ||
                t->state > COUNCIL__V1__TASK_STATE__TASK_STATE_CANCELLED)
                what = "support plan task";
        }
    }
    if (what == NULL && s->support_record != NULL) {
        const Council__V1__SupportRecord *r = s->support_record;
        if (strcmp(scope, "support_record") != 0)
            what = "a support record outside scope support_record";
        else if (!known(&r->base) || r->n_entries > ITEMS_MAX)
            what = "support record";
        for (size_t i = 0; what == NULL && i < r->n_entries; i++) {
            const Council__V1__RecordEntry *e = r->entries[i];
            if (!known(&e->base) || !date_ok(e->date, false) ||
                !id_ok(e->has_member, e->member) || !free_text_ok(e->text, false))
                what = "support record entry";
        }
    }
    if (what == NULL && s->text == NULL && s->identity == NULL && s->wishes == NULL &&
        s->support_plan == NULL && s->support_record == NULL)
        what = "an empty section";
    if (what != NULL)
        return council__fail(c, COUNCIL_EFORMAT, "section: malformed (%s)", what);
    return COUNCIL_OK;
}

int council__section_check(council *c, const char *scope, const uint8_t *buf, size_t len)
{
    Council__V1__Section *s;
    int rc;

    if (scope == NULL || !council__audit_code_ok(scope))
        return council__fail(c, COUNCIL_EINVAL, "section: bad scope code");
    if (buf == NULL || len == 0)
        return council__fail(c, COUNCIL_EFORMAT, "section: empty");
    if (len > COUNCIL_SECTION_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "section: %zu bytes, at most %d", len,
                             COUNCIL_SECTION_MAX);
    council__pb_alloc_failed(true);
    s = council__v1__section__unpack(council__pb_wiping_allocator(), len, buf);
    if (s == NULL)
        return council__pb_alloc_failed(true)
                   ? council__fail(c, COUNCIL_ENOMEM, "section: out of memory")
                   : council__fail(c, COUNCIL_EFORMAT, "section: does not parse");
    rc = check(c, scope, s);
    /* Canonical bytes only: what is stored is what was checked (a string
     * with a NUL inside would hide its tail from every check above). */
    if (rc == COUNCIL_OK) {
        uint8_t *again = council__malloc(len);
        if (again == NULL)
            rc = council__fail(c, COUNCIL_ENOMEM, "section: out of memory");
        else if (council__v1__section__get_packed_size(s) != len ||
                 council__v1__section__pack(s, again) != len || memcmp(again, buf, len) != 0)
            rc = council__fail(c, COUNCIL_EFORMAT, "section: not in canonical form (a NUL inside "
                               "a string, or fields out of order)");
        if (again != NULL) {
            sodium_memzero(again, len);
            council__free(again);
        }
    }
    council__v1__section__free_unpacked(s, council__pb_wiping_allocator());
    return rc;
}

/* ---------------------------------------------------------------- sections */

static size_t section_ad(uint8_t *ad, const council *c, const uint8_t case_id[COUNCIL_ID_BYTES],
                         const uint8_t person[COUNCIL_ID_BYTES], const char *scope, uint32_t kv,
                         uint32_t rv)
{
    static const char label[] = "council/section";
    size_t n = strlen(scope);
    uint8_t *p = ad;

    p = council__put_bytes(p, label, sizeof label);
    p = council__put_bytes(p, c->council_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, case_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, person, COUNCIL_ID_BYTES);
    p = council__put_u32(p, (uint32_t)n);
    p = council__put_bytes(p, scope, n);
    p = council__put_u32(p, kv);
    p = council__put_u32(p, rv);
    return (size_t)(p - ad);
}

#define AD_MAX (16 + 16 * 3 + 4 + 64 + 8)

/* Encrypt padded plaintext: *ct (allocated) of *ct_len bytes. */
static int seal_section(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const uint8_t person[COUNCIL_ID_BYTES], const char *scope, uint32_t kv,
                        uint32_t rv, const council__secret *key, const uint8_t *pt, size_t len,
                        uint8_t nonce[COUNCIL__NONCE_BYTES], uint8_t **ct, size_t *ct_len)
{
    uint8_t ad[AD_MAX], *buf;
    size_t adl = section_ad(ad, c, case_id, person, scope, kv, rv), padded = 0;
    size_t cap = len + PAD_BLOCK;
    int rc;

    *ct = NULL;
    buf = council__malloc(cap);
    if (buf == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    memcpy(buf, pt, len);
    if (sodium_pad(&padded, buf, len, PAD_BLOCK, cap) != 0) {
        sodium_memzero(buf, cap);
        council__free(buf);
        return council__fail(c, COUNCIL_ERROR, "%s: padding failed", op);
    }
    *ct_len = padded + COUNCIL__TAG_BYTES;
    *ct = council__malloc(*ct_len);
    if (*ct == NULL) {
        sodium_memzero(buf, cap);
        council__free(buf);
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    randombytes_buf(nonce, COUNCIL__NONCE_BYTES);
    council__secret_read(key);
    rc = council__aead_seal(c, *ct, *ct_len, buf, padded, ad, adl, nonce, key->p);
    council__secret_lock(key);
    sodium_memzero(buf, cap);
    council__free(buf);
    if (rc != COUNCIL_OK) {
        council__free(*ct);
        *ct = NULL;
    }
    return rc;
}

/* Decrypt and unpad into a new buffer *pt (wipe and free it). EAUTH. */
static int open_section(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const uint8_t person[COUNCIL_ID_BYTES], const char *scope, uint32_t kv,
                        uint32_t rv, const council__secret *key, const uint8_t *nonce,
                        size_t nonce_len, const uint8_t *ct, size_t ct_len, uint8_t **pt,
                        size_t *len)
{
    uint8_t ad[AD_MAX];
    size_t adl = section_ad(ad, c, case_id, person, scope, kv, rv), n, unpadded = 0;
    int rc;

    *pt = NULL;
    if (nonce_len != COUNCIL__NONCE_BYTES || ct_len <= COUNCIL__TAG_BYTES ||
        ct_len > COUNCIL_SECTION_MAX + PAD_BLOCK + COUNCIL__TAG_BYTES)
        return council__fail(c, COUNCIL_EAUTH, "%s: a stored section is damaged", op);
    n = ct_len - COUNCIL__TAG_BYTES;
    *pt = council__malloc(n);
    if (*pt == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    council__secret_read(key);
    rc = council__aead_open(c, *pt, n, ct, ct_len, ad, adl, nonce, key->p);
    council__secret_lock(key);
    if (rc == COUNCIL_OK && sodium_unpad(&unpadded, *pt, n, PAD_BLOCK) != 0)
        rc = council__fail(c, COUNCIL_EAUTH, "%s: a stored section is damaged", op);
    if (rc != COUNCIL_OK) {
        if (rc == COUNCIL_EAUTH)
            (void)council__fail(c, COUNCIL_EAUTH, "%s: a section failed authentication (moved, "
                                "altered or under another key)", op);
        sodium_memzero(*pt, n);
        council__free(*pt);
        *pt = NULL;
        return rc;
    }
    *len = unpadded;
    return COUNCIL_OK;
}

int council_section_write(council *c, uint32_t *version, const uint8_t *case_id,
                          size_t case_id_len, const uint8_t *person_id, size_t person_id_len,
                          const char *scope, const uint8_t *section, size_t section_len)
{
    static const char op[] = "section_write";
    council__secret key = { NULL, 0 };
    uint8_t nonce[COUNCIL__NONCE_BYTES], *ct = NULL;
    size_t ct_len = 0;
    uint32_t kv = 0, rv = 0;
    bool ok;
    council__case k;
    int rc;

    if (version != NULL)
        *version = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, person_id, person_id_len)) != COUNCIL_OK)
        return rc;
    if ((rc = council__section_check(c, scope, section, section_len)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__case_load(c, op, case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (k.erased != 0)
        return council__case_refuse(c, true, ACT(CASE_UPDATED), &k, NULL, NULL, NULL, COUNCIL_EDENIED,
                      "case_erased", op, "the case was erased");
    if ((rc = council__scope_known(c, op, scope)) != COUNCIL_OK ||
        (rc = council__case_person_of(c, op, case_id, person_id)) != COUNCIL_OK)
        return council__finish(c, rc);
    if ((rc = council__case_may_write(c, op, &k, scope, &ok)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (!ok)
        return council__case_refuse(c, true, ACT(CASE_UPDATED), &k, scope, NULL, NULL, COUNCIL_EDENIED,
                      "scope_not_shared", op, "this scope of the case was not shared with the "
                      "session's member");
    /* A person's first data in a scope: the consent-based shares of the
     * case go through the decision again (that person may not have
     * consented), and those it now refuses end, their keys rotated, before
     * this write picks its key. */
    {
        bool has_data = false;
        if ((rc = council__section_exists(c, op, case_id, person_id, scope, &has_data)) != COUNCIL_OK)
            return council__finish(c, rc);
        if (!has_data &&
            (rc = council__case_recheck_consent_shares(c, op, case_id, person_id, scope)) != COUNCIL_OK)
            return council__finish(c, rc);
    }
    if ((rc = council__share_expire(c, op, &k, scope)) != COUNCIL_OK ||
        (rc = council__key_latest(c, op, case_id, scope, &kv)) != COUNCIL_OK)
        return council__finish(c, rc);
    /* Never under a key version older than one the scope's sections already
     * use: the newest versions (and with them a revocation's effect) were
     * deleted. */
    {
        int64_t used = 0;
        if ((rc = council__section_key_version_used(c, op, case_id, scope, &used)) != COUNCIL_OK)
            return council__finish(c, rc);
        if (used > (int64_t)kv) {
            (void)council__tamper(c, case_id, scope, NULL, "key_version_rolled_back");
            return council__finish(c, council__fail(c, COUNCIL_ETAMPER, "%s: the scope's sections "
                                                    "use key version %lld, newer than its newest key "
                                                    "(%u): key versions were deleted", op,
                                                    (long long)used, kv));
        }
    }
    if (kv == 0)
        rc = council__key_new(c, op, case_id, scope, &kv, &key);
    else if ((rc = council__key_open(c, op, &key, case_id, scope, kv)) == COUNCIL_OK)
        rc = council__key_verify(c, op, case_id, scope, kv, &key); /* not a key someone chose */
    if (rc == COUNCIL_EDENIED || rc == COUNCIL_EAUTH)
        return council__case_refuse(c, true, ACT(CASE_UPDATED), &k, scope, NULL, NULL, rc,
                      rc == COUNCIL_EAUTH ? "wrapped_key_failed" : "no_key_for_version", op,
                      rc == COUNCIL_EAUTH ? "the wrapped data key failed authentication"
                                          : "this session holds no key for the scope");
    if (rc != COUNCIL_OK)
        return council__finish(c, rc);
    rc = council__section_next_version(c, op, case_id, person_id, scope, &rv);
    if (rc == COUNCIL_OK)
        rc = seal_section(c, op, case_id, person_id, scope, kv, rv, &key, section, section_len,
                          nonce, &ct, &ct_len);
    council__secret_free(&key);
    if (rc == COUNCIL_OK)
        rc = council__section_insert(c, op, case_id, person_id, scope, rv, kv, nonce, ct, ct_len);
    council__free(ct);
    if (rc == COUNCIL_OK && strcmp(scope, "identity") == 0)
        rc = council__find_index_person(c, op, case_id, person_id, section, section_len);

    if (rc == COUNCIL_OK)
        rc = council__case_touch(c, op, case_id);
    if (rc == COUNCIL_OK) {
        const char *scopes[1] = { scope };
        rc = council__case_log(c, ACT(CASE_UPDATED), &k, scopes, 1, NULL, NULL, NULL);
    }
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK && version != NULL)
        *version = rv;
    return rc;
}

/* One stored record, decrypted, as SectionRecord bytes appended to b. The
 * key cache (kv, key) is reused across records of one scope. */
typedef struct keycache {
    char scope[COUNCIL__AUDIT_CODE_MAX + 1];
    uint32_t kv;
    council__secret key;
} keycache;

static void kc_free(keycache *kc)
{
    council__secret_free(&kc->key);
    kc->scope[0] = '\0';
    kc->kv = 0;
}

static int kc_get(council *c, const char *op, keycache *kc, const uint8_t case_id[COUNCIL_ID_BYTES],
                  const char *scope, uint32_t kv)
{
    if (kc->key.p != NULL && kc->kv == kv && strcmp(kc->scope, scope) == 0)
        return COUNCIL_OK;
    kc_free(kc);
    int rc = council__key_open(c, op, &kc->key, case_id, scope, kv);
    /* Content under a key version nobody entitled made (a key someone
     * holding the database key chose, with sections of its own under it) is
     * not returned as the case's. */
    if (rc == COUNCIL_OK && (rc = council__key_verify(c, op, case_id, scope, kv, &kc->key)) != COUNCIL_OK)
        kc_free(kc);
    if (rc == COUNCIL_OK) {
        strcpy(kc->scope, scope); /* checked: at most 64 bytes */
        kc->kv = kv;
    }
    return rc;
}

static int record_from_row(council *c, const char *op, const council__section_row *row,
                           const uint8_t case_id[COUNCIL_ID_BYTES], keycache *kc, council__buf *rec)
{
    Council__V1__SectionRecord r = COUNCIL__V1__SECTION_RECORD__INIT;
    Council__V1__Section empty = COUNCIL__V1__SECTION__INIT;
    const char *scope = row->scope;
    uint8_t person[COUNCIL_ID_BYTES], *pt = NULL;
    uint32_t rv = row->version, kv = row->key_version;
    size_t len = 0;
    int rc;

    if (row->person_len != COUNCIL_ID_BYTES || scope == NULL || !council__audit_code_ok(scope))
        return council__fail(c, COUNCIL_EAUTH, "%s: a stored section is damaged", op);
    memcpy(person, row->person, sizeof person);
    if ((rc = kc_get(c, op, kc, case_id, scope, kv)) != COUNCIL_OK)
        return rc;
    rc = open_section(c, op, case_id, person, scope, kv, rv, &kc->key, row->nonce, row->nonce_len,
                      row->ct, row->ct_len, &pt, &len);
    if (rc != COUNCIL_OK)
        return rc;
    r.scope = (char *)(uintptr_t)scope;
    r.person_id.data = person;
    r.person_id.len = sizeof person;
    r.version = rv;
    r.key_version = kv;
    r.written = row->written;
    if (row->writer_member != NULL) {
        r.has_writer_member = 1;
        r.writer_member.data = (uint8_t *)(uintptr_t)row->writer_member;
        r.writer_member.len = COUNCIL_ID_BYTES;
    }
    if (row->writer_staff != NULL) {
        r.has_writer_staff = 1;
        r.writer_staff.data = (uint8_t *)(uintptr_t)row->writer_staff;
        r.writer_staff.len = COUNCIL_ID_BYTES;
    }
    r.section = &empty;
    /* Pack everything but the section (the last field, packed as "42 00"
     * when empty), then the plaintext section bytes as field 8 directly: no
     * extra copy of the content is ever parsed or kept. */
    {
        size_t n = protobuf_c_message_get_packed_size(&r.base);
        uint8_t *d = council__buf_grow(rec, n);
        if (d != NULL) {
            protobuf_c_message_pack(&r.base, d);
            rec->len -= 2;
            council__buf_field(rec, 8, pt, len);
        }
    }
    sodium_memzero(pt, len);
    council__free(pt);
    return rec->failed ? council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op) : COUNCIL_OK;
}

/* A read's walk: each record into b (history: each as a field 1 of b). */
struct read_ctx {
    const char *op;
    const uint8_t *case_id;
    keycache kc;
    council__buf *b, rec;
    bool history;
    int n;
};

static int read_one(council *c, const council__section_row *row, void *ctx)
{
    struct read_ctx *r = ctx;
    int rc;

    r->rec.len = 0;
    rc = record_from_row(c, r->op, row, r->case_id, &r->kc, r->history ? &r->rec : r->b);
    if (rc == COUNCIL_OK && r->history)
        council__buf_field(r->b, 1, r->rec.p, r->rec.len);
    r->n++;
    return rc;
}

static int read_records(council *c, const char *op, council_buf *out, const uint8_t *case_id,
                        size_t case_id_len, const uint8_t *person_id, size_t person_id_len,
                        const char *scope, const char *purpose, bool history)
{
    council__buf b = COUNCIL__BUF_INIT;
    struct read_ctx r = { op, NULL, { "", 0, { NULL, 0 } }, &b, COUNCIL__BUF_INIT, history, 0 };
    const char *scopes[1] = { scope };
    int rc;
    council__case k;

    if ((rc = council__case_read_start(c, op, case_id, case_id_len, person_id, person_id_len, scope, purpose,
                          out, &k)) != COUNCIL_OK)
        return rc;
    if (scope == NULL || person_id == NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: a person and a scope are needed", op);
    r.case_id = case_id;
    rc = council__section_rows(c, op, case_id, person_id, scope, history, read_one, &r);
    kc_free(&r.kc);
    council__buf_free(&r.rec);
    if (rc == COUNCIL_OK && r.n == 0) {
        council__buf_free(&b);
        return council__fail(c, COUNCIL_ENOTFOUND, "%s: no such section", op);
    }
    return council__case_read_finish(c, op, &k, scopes, 1, purpose, history ? "history" : NULL, rc, &b, out);
}

int council_section_read(council *c, council_buf *out, const uint8_t *case_id, size_t case_id_len,
                         const uint8_t *person_id, size_t person_id_len, const char *scope,
                         const char *purpose)
{
    return read_records(c, "section_read", out, case_id, case_id_len, person_id, person_id_len,
                        scope, purpose, false);
}

int council_section_history(council *c, council_buf *out, const uint8_t *case_id,
                            size_t case_id_len, const uint8_t *person_id, size_t person_id_len,
                            const char *scope, const char *purpose)
{
    return read_records(c, "section_history", out, case_id, case_id_len, person_id, person_id_len,
                        scope, purpose, true);
}


/* The latest section of each (person, scope) of case k that the session
 * may read (and, filter not NULL, of the n_filter scopes named), each as
 * field 2 (a SectionRecord) of b; read lists the scopes returned and
 * counts those withheld. EAUTH/EDENIED from a key or a section. */
struct latest_ctx {
    const char *op;
    const council__case *k;
    const char *const *filter;
    size_t n_filter;
    council__buf *b, rec;
    council__scopes_read *read;
    keycache kc;
};

static int latest_one(council *c, const council__section_row *row, void *ctx)
{
    struct latest_ctx *l = ctx;
    council__scopes_read *read = l->read;
    const char *scope = row->scope;
    bool ok = false;
    int rc;

    if (scope == NULL || !council__audit_code_ok(scope))
        return COUNCIL_OK;
    if (l->filter != NULL) {
        bool wanted = false;
        for (size_t i = 0; i < l->n_filter && !wanted; i++)
            wanted = strcmp(l->filter[i], scope) == 0;
        if (!wanted)
            return COUNCIL_OK;
    }
    if ((rc = council__case_may_use(c, l->op, l->k, scope, &ok)) != COUNCIL_OK)
        return rc;
    if (!ok) {
        read->skipped++;
        return COUNCIL_OK;
    }
    l->rec.len = 0;
    if ((rc = record_from_row(c, l->op, row, l->k->id, &l->kc, &l->rec)) != COUNCIL_OK)
        return rc;
    council__buf_field(l->b, 2, l->rec.p, l->rec.len);
    if (read->n == 0 || strcmp(read->code[read->n - 1], scope) != 0) {
        if (read->n == COUNCIL__AUDIT_SCOPES_MAX)
            return council__fail(c, COUNCIL_ELIMIT, "%s: more than %d scopes", l->op,
                                 COUNCIL__AUDIT_SCOPES_MAX);
        strcpy(read->code[read->n], scope);
        read->ptr[read->n] = read->code[read->n];
        read->n++;
    }
    return COUNCIL_OK;
}

int council__section_latest(council *c, const char *op, const council__case *k,
                            const char *const *filter, size_t n_filter, council__buf *b,
                            council__scopes_read *read)
{
    struct latest_ctx l = { op, k, filter, n_filter, b, COUNCIL__BUF_INIT, read,
                            { "", 0, { NULL, 0 } } };
    int rc;

    read->n = 0;
    read->skipped = 0;
    rc = council__section_rows_latest(c, op, k->id, latest_one, &l);
    kc_free(&l.kc);
    council__buf_free(&l.rec);
    return rc;
}

/* A rekey's walk: each row opened under its key and sealed under nkey. */
struct reseal_ctx {
    const char *op;
    const uint8_t *case_id;
    const char *scope;
    uint32_t nv;
    const council__secret *nkey;
    keycache kc;
};

static int reseal_one(council *c, const council__section_row *row, void *ctx)
{
    struct reseal_ctx *r = ctx;
    uint8_t person[COUNCIL_ID_BYTES], nonce[COUNCIL__NONCE_BYTES], *pt = NULL, *ct = NULL;
    size_t len = 0, ct_len = 0;
    int rc;

    if (row->person_len != COUNCIL_ID_BYTES)
        return council__fail(c, COUNCIL_EAUTH, "%s: a stored section is damaged", r->op);
    memcpy(person, row->person, sizeof person);
    if ((rc = kc_get(c, r->op, &r->kc, r->case_id, r->scope, row->key_version)) != COUNCIL_OK ||
        (rc = open_section(c, r->op, r->case_id, person, r->scope, row->key_version, row->version,
                           &r->kc.key, row->nonce, row->nonce_len, row->ct, row->ct_len, &pt,
                           &len)) != COUNCIL_OK)
        return rc;
    rc = seal_section(c, r->op, r->case_id, person, r->scope, r->nv, row->version, r->nkey, pt, len,
                      nonce, &ct, &ct_len);
    sodium_memzero(pt, len);
    council__free(pt);
    if (rc == COUNCIL_OK)
        rc = council__section_reseal_row(c, r->op, r->case_id, person, r->scope, row->version, r->nv,
                                         nonce, ct, ct_len);
    council__free(ct);
    return rc;
}

/* Every section of (case, scope) under a key version older than nv
 * sealed again under nkey (version nv), in the caller's transaction (the
 * case's rekey). EAUTH for a damaged section or key. */
int council__section_reseal(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                            const char *scope, uint32_t nv, const council__secret *nkey)
{
    struct reseal_ctx r = { op, case_id, scope, nv, nkey, { "", 0, { NULL, 0 } } };
    int rc = council__section_rows_below(c, op, case_id, scope, nv, reseal_one, &r);

    kc_free(&r.kc);
    return rc;
}
/* Who may use a case and the start and end of every read of content
 * (from case.c: they ask share.c and scope.c, which the case core below
 * them may not). */

/* May this session read or write `scope` (NULL: anything) of case k? */
int council__case_may_use(council *c, const char *op, const council__case *k, const char *scope, bool *yes)
{
    *yes = true;
    if (council__is_coordinator(c) || council__case_is_owner(c, k))
        return COUNCIL_OK;
    return council__share_active(c, op, k->id, c->actor_member, scope, yes);
}

int council__case_may_write(council *c, const char *op, const council__case *k, const char *scope,
                            bool *yes)
{
    *yes = true;
    if (council__is_secretariat(c) || council__case_is_owner(c, k))
        return COUNCIL_OK;
    return council__share_active(c, op, k->id, c->actor_member, scope, yes);
}

/* A read's purpose: one of the council's purpose codes (see below). */
static bool purpose_ok(const char *purpose)
{
    return purpose != NULL && ((council__purpose_parse(purpose) > 0 && strcmp(purpose, "other") != 0) ||
                               strcmp(purpose, "disclosure_request") == 0);
}

/* council__case_read_start's checks after the session's; `batched`: inside
 * council_sections_read's own transaction (not the caller's batch). */
static int read_checks(council *c, const char *op, const uint8_t *case_id, size_t case_id_len,
                       const uint8_t *person_id, size_t person_id_len, const char *scope,
                       const char *purpose, council__case *k);

int council__case_read_start(council *c, const char *op, const uint8_t *case_id, size_t case_id_len,
                       const uint8_t *person_id, size_t person_id_len, const char *scope,
                       const char *purpose, council_buf *out, council__case *k)
{
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    return read_checks(c, op, case_id, case_id_len, person_id, person_id_len, scope, purpose, k);
}

static int read_checks(council *c, const char *op, const uint8_t *case_id, size_t case_id_len,
                       const uint8_t *person_id, size_t person_id_len, const char *scope,
                       const char *purpose, council__case *k)
{
    int rc;
    bool ok;

    if ((rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK)
        return rc;
    if (person_id != NULL || scope != NULL) {
        if ((rc = council__id_arg(c, op, person_id, person_id_len)) != COUNCIL_OK)
            return rc;
        if ((rc = council__scope_known(c, op, scope)) != COUNCIL_OK)
            return rc;
    }
    /* A read names why, from the council's purpose codes (the same as a
     * share's): an invented purpose would land in the log as if it meant
     * something; and `other`, which a share explains in its text, would say
     * nothing at all (a read carries no text). Issue 16: the person's file
     * (person.c) reads for a disclosure request, `disclosure_request`. */
    if (!purpose_ok(purpose))
        return council__fail(c, COUNCIL_EINVAL, "%s: a read names its purpose, one of "
                             "support_coordination, referral, joint_support, "
                             "meeting_discussion, statistics, disclosure_request", op);
    if ((rc = council__case_load(c, op, case_id, k)) != COUNCIL_OK)
        return rc;
    if (k->erased != 0)
        return council__case_refuse(c, false, ACT(SECTION_DECRYPTED), k, scope, purpose, NULL, COUNCIL_EDENIED,
                      "case_erased", op, "the case was erased");
    if (person_id != NULL && (rc = council__case_person_of(c, op, case_id, person_id)) != COUNCIL_OK)
        return rc;
    if (scope != NULL) {
        if ((rc = council__case_may_use(c, op, k, scope, &ok)) != COUNCIL_OK)
            return rc;
        if (!ok)
            return council__case_refuse(c, false, ACT(SECTION_DECRYPTED), k, scope, purpose, NULL,
                          COUNCIL_EDENIED, "scope_not_shared", op, "this scope of the case was "
                          "not shared with the session's member");
    }
    return COUNCIL_OK;
}

/* After decryption, before return: the durable event; on failure nothing
 * is returned. A failed decryption is logged as refused. */
int council__case_read_finish(council *c, const char *op, const council__case *k, const char *const *scopes,
                       size_t n, const char *purpose, const char *reason, int rc, council__buf *b,
                       council_buf *out)
{
    if (rc == COUNCIL_EAUTH || rc == COUNCIL_EDENIED) {
        council__buf_free(b);
        return council__case_refuse(c, false, ACT(SECTION_DECRYPTED), k, n == 1 ? scopes[0] : NULL, purpose,
                      NULL, rc, rc == COUNCIL_EAUTH ? "authentication_failed" : "no_key_for_version",
                      op, rc == COUNCIL_EAUTH ? "a section or its key failed authentication"
                                              : "this session holds no key for the section");
    }
    if (rc == COUNCIL_OK)
        rc = council__case_log(c, ACT(SECTION_DECRYPTED), k, scopes, n, purpose, NULL, reason);
    if (rc != COUNCIL_OK) {
        council__buf_free(b);
        return rc;
    }
    return council__buf_out(c, op, b, out);
}

/* ------------------------------------------------------- batched reads */

/* One read of council_sections_read(), inside its transaction: the
 * checks, the records decrypted into b, and the event appended (not yet
 * durable: the caller commits). A refusal is logged (held, so that it
 * stays on the record when the transaction is rolled back). */
static int read_in_batch(council *c, const char *op, const council_section_ref *ref,
                         const char *purpose, council__buf *b)
{
    struct read_ctx r = { op, ref->case_id, { "", 0, { NULL, 0 } }, b, COUNCIL__BUF_INIT, false, 0 };
    const char *scopes[1] = { ref->scope };
    council__case k;
    int rc;

    if ((rc = read_checks(c, op, ref->case_id, ref->case_id_len, ref->person_id, ref->person_id_len,
                          ref->scope, purpose, &k)) != COUNCIL_OK)
        return rc;
    rc = council__section_rows(c, op, ref->case_id, ref->person_id, ref->scope, false, read_one, &r);
    kc_free(&r.kc);
    council__buf_free(&r.rec);
    if (rc == COUNCIL_OK && r.n == 0)
        return council__fail(c, COUNCIL_ENOTFOUND, "%s: no such section", op);
    if (rc == COUNCIL_EAUTH || rc == COUNCIL_EDENIED)
        return council__case_refuse(c, false, ACT(SECTION_DECRYPTED), &k, ref->scope, purpose, NULL, rc,
                                    rc == COUNCIL_EAUTH ? "authentication_failed" : "no_key_for_version",
                                    op, rc == COUNCIL_EAUTH ? "a section or its key failed authentication"
                                                            : "this session holds no key for the section");
    if (rc != COUNCIL_OK)
        return rc;
    if (b->failed)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    return council__case_log(c, ACT(SECTION_DECRYPTED), &k, scopes, 1, purpose, NULL, NULL);
}

int council_sections_read(council *c, council_buf *out, const council_section_ref *refs, size_t n,
                          const char *purpose)
{
    static const char op[] = "sections_read";
    council__buf *b;
    size_t i;
    int rc;

    if (out != NULL && n >= 1 && n <= COUNCIL_SECTIONS_READ_MAX)
        memset(out, 0, n * sizeof *out);
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK)
        return rc;
    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    if (n == 0 || n > COUNCIL_SECTIONS_READ_MAX)
        return council__fail(c, COUNCIL_EINVAL, "%s: 1 to %d sections, not %zu", op,
                             COUNCIL_SECTIONS_READ_MAX, n);
    if (refs == NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: NULL list of sections", op);
    for (i = 0; i < n; i++)
        if (refs[i].case_id == NULL || refs[i].case_id_len != COUNCIL_ID_BYTES ||
            refs[i].person_id == NULL || refs[i].person_id_len != COUNCIL_ID_BYTES ||
            refs[i].scope == NULL)
            return council__fail(c, COUNCIL_EINVAL, "%s: section %zu needs a case id and a person "
                                 "id of %d bytes and a scope", op, i, COUNCIL_ID_BYTES);
    if ((rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (!purpose_ok(purpose))
        return council__fail(c, COUNCIL_EINVAL, "%s: a read names its purpose, one of "
                             "support_coordination, referral, joint_support, "
                             "meeting_discussion, statistics, disclosure_request", op);
    if ((b = council__calloc(n, sizeof *b)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    /* One transaction holds every event (a refusal in it is held and
     * appended again on its own after the rollback); the content leaves
     * only after its commit. */
    rc = council__op_batch_begin(c, op);
    for (i = 0; rc == COUNCIL_OK && i < n; i++)
        rc = read_in_batch(c, op, &refs[i], purpose, &b[i]);
    if (i > 0 || rc == COUNCIL_OK)
        rc = council__op_batch_end(c, op, rc);
    for (i = 0; rc == COUNCIL_OK && i < n; i++)
        rc = council__buf_out(c, op, &b[i], &out[i]);
    if (rc != COUNCIL_OK)
        for (size_t j = 0; j < n; j++)
            council_buf_free(&out[j]);
    for (i = 0; i < n; i++)
        council__buf_free(&b[i]);
    council__free(b);
    return rc;
}
