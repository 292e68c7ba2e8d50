/*
 * section.c - checking section content before it is encrypted or returned.
 *
 * A section is a serialised council.v1.Section (proto/council/v1/case.proto).
 * The size is capped before protobuf-c sees a byte; unknown fields are
 * refused; every string is UTF-8 without control characters (free text may
 * hold newlines and tabs); dates are "YYYY-MM-DD"; member ids 16 bytes; the
 * typed part matches the scope.
 */
#include <string.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>

#include "council/v1/case.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "text.h"
#include "section.h"

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
