/*
 * section_json.c - section JSON into a serialised council.v1.Section (see
 * section_json.h). Moved out of council-cli.c unchanged, apart from the
 * messages, which go to the caller instead of standard error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "council.h"
#include "i18n.h"
#include "council/v1/case.pb-c.h"
#include "section_json.h"
#include "text.h"

/* protobuf-c fields are not const; the strings stay owned by jansson. */
static char *unconst(const char *s)
{
    union { const char *c; char *m; } u;

    u.c = s;
    return u.m;
}

/* ---------------------------------------------- section JSON -> Section */

/* The message of the last failure. */
static char why_buf[SECTION_JSON_WHY_MAX];

/* Errors name the place and the rule, never the content. */
__attribute__((format(printf, 2, 3)))
static int json_bad(const char *where, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(why_buf, sizeof why_buf, "%s: ", where);

    if (n > 0 && (size_t)n < sizeof why_buf) {
        va_start(ap, fmt);
        (void)vsnprintf(why_buf + n, sizeof why_buf - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Only the keys in `allowed`. An unknown key is not echoed: it may be
 * content put in the wrong place. */
static int keys_ok(json_t *obj, const char *where, const char *const *allowed)
{
    char list[128] = "";

    if (!json_is_object(obj))
        return json_bad(where, "%s", _("must be an object"));
    for (void *it = json_object_iter(obj); it != NULL; it = json_object_iter_next(obj, it)) {
        const char *key = json_object_iter_key(it);
        size_t i = 0;

        while (allowed[i] != NULL && strcmp(allowed[i], key) != 0)
            i++;
        if (allowed[i] != NULL)
            continue;
        for (i = 0; allowed[i] != NULL; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                     allowed[i]);
        return json_bad(where, _("an unknown key (allowed: %s)"), list);
    }
    return 0;
}

/* obj[key] as a string; *out is NULL when it is absent and optional. */
static int str_field(json_t *obj, const char *key, const char *where, int required, char **out)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (v == NULL)
        return required ? json_bad(where, _("'%s' is missing"), key) : 0;
    if (!json_is_string(v))
        return json_bad(where, _("'%s' must be a string"), key);
    *out = unconst(json_string_value(v));
    return 0;
}

/* obj[key] as an array of strings (absent: none). *out is allocated. */
static int str_array(json_t *obj, const char *key, const char *where, char ***out, size_t *n)
{
    json_t *a = json_object_get(obj, key);

    *n = 0;
    if (a == NULL)
        return 0;
    if (!json_is_array(a))
        return json_bad(where, _("'%s' must be an array of strings"), key);
    if (json_array_size(a) == 0)
        return 0;
    if ((*out = calloc(json_array_size(a), sizeof **out)) == NULL)
        return json_bad(where, "%s", _("out of memory"));
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *v = json_array_get(a, i);
        if (!json_is_string(v))
            return json_bad(where, _("'%s'[%zu] must be a string"), key, i);
        (*out)[i] = unconst(json_string_value(v));
    }
    *n = json_array_size(a);
    return 0;
}

/* obj[key], if present, as a member id (UUID text) into id. */
static int id_field(json_t *obj, const char *key, const char *where, uint8_t id[COUNCIL_ID_BYTES],
                    protobuf_c_boolean *has, ProtobufCBinaryData *b)
{
    char *text;

    if (str_field(obj, key, where, 0, &text) != 0)
        return -1;
    if (text == NULL)
        return 0;
    if (uuid_bytes(text, id) != 0)
        return json_bad(where, _("'%s' must be a member id (UUID)"), key);
    *has = 1;
    b->data = id;
    b->len = COUNCIL_ID_BYTES;
    return 0;
}

/* obj[key] as an array of objects; its size in *n. */
static int obj_array(json_t *obj, const char *key, const char *where, json_t **a, size_t *n)
{
    *a = json_object_get(obj, key);
    *n = 0;
    if (*a == NULL)
        return 0;
    if (!json_is_array(*a))
        return json_bad(where, _("'%s' must be an array of objects"), key);
    *n = json_array_size(*a);
    return 0;
}

/* A Section built over the strings of a parsed JSON document. */
typedef struct section_build {
    Council__V1__Section s;
    Council__V1__Identity identity;
    Council__V1__Wishes wishes;
    Council__V1__SupportPlan plan;
    Council__V1__SupportRecord record;
    Council__V1__Task *tasks;
    Council__V1__Task **task_ptrs;
    Council__V1__RecordEntry *entries;
    Council__V1__RecordEntry **entry_ptrs;
    uint8_t (*task_ids)[COUNCIL_ID_BYTES];
    uint8_t (*entry_ids)[COUNCIL_ID_BYTES];
} section_build;

static void section_build_init(section_build *b)
{
    static const Council__V1__Section s = COUNCIL__V1__SECTION__INIT;
    static const Council__V1__Identity i = COUNCIL__V1__IDENTITY__INIT;
    static const Council__V1__Wishes w = COUNCIL__V1__WISHES__INIT;
    static const Council__V1__SupportPlan p = COUNCIL__V1__SUPPORT_PLAN__INIT;
    static const Council__V1__SupportRecord r = COUNCIL__V1__SUPPORT_RECORD__INIT;

    memset(b, 0, sizeof *b);
    b->s = s;
    b->identity = i;
    b->wishes = w;
    b->plan = p;
    b->record = r;
}

static void section_build_free(section_build *b)
{
    wiping_free(b->wishes.wants);
    wiping_free(b->wishes.does_not_want);
    wiping_free(b->tasks);
    wiping_free(b->task_ptrs);
    wiping_free(b->entries);
    wiping_free(b->entry_ptrs);
    wiping_free(b->task_ids);
    wiping_free(b->entry_ids);
    memset(b, 0, sizeof *b);
}

static int tasks_from_json(json_t *plan, section_build *b)
{
    static const char *const keys[] = { "title", "responsible_member", "due", "state", NULL };
    static const Council__V1__Task init = COUNCIL__V1__TASK__INIT;
    json_t *a;
    size_t n;

    if (obj_array(plan, "tasks", "support_plan", &a, &n) != 0)
        return -1;
    if (n == 0)
        return 0;
    b->tasks = calloc(n, sizeof *b->tasks);
    b->task_ptrs = calloc(n, sizeof *b->task_ptrs);
    b->task_ids = calloc(n, sizeof *b->task_ids);
    if (b->tasks == NULL || b->task_ptrs == NULL || b->task_ids == NULL)
        return json_bad("support_plan", "%s", "out of memory");
    for (size_t i = 0; i < n; i++) {
        Council__V1__Task *t = &b->tasks[i];
        json_t *v = json_array_get(a, i);
        char where[64], *state;

        snprintf(where, sizeof where, "support_plan.tasks[%zu]", i);
        *t = init;
        if (keys_ok(v, where, keys) != 0 || str_field(v, "title", where, 1, &t->title) != 0 ||
            id_field(v, "responsible_member", where, b->task_ids[i], &t->has_responsible_member,
                     &t->responsible_member) != 0 ||
            str_field(v, "due", where, 0, &t->due) != 0 ||
            str_field(v, "state", where, 0, &state) != 0)
            return -1;
        if (state == NULL) {
            t->state = COUNCIL__V1__TASK_STATE__TASK_STATE_OPEN;
        } else {
            int sv = enum_value(&council__v1__task_state__descriptor, "TASK_STATE_", state);
            if (sv == 0)
                return json_bad(where, "%s", _("'state' must be open, done or cancelled"));
            t->state = (Council__V1__TaskState)sv;
        }
        b->task_ptrs[i] = t;
    }
    b->plan.tasks = b->task_ptrs;
    b->plan.n_tasks = n;
    return 0;
}

static int entries_from_json(json_t *record, section_build *b)
{
    static const char *const keys[] = { "date", "member", "text", NULL };
    static const Council__V1__RecordEntry init = COUNCIL__V1__RECORD_ENTRY__INIT;
    json_t *a;
    size_t n;

    if (obj_array(record, "entries", "support_record", &a, &n) != 0)
        return -1;
    if (n == 0)
        return 0;
    b->entries = calloc(n, sizeof *b->entries);
    b->entry_ptrs = calloc(n, sizeof *b->entry_ptrs);
    b->entry_ids = calloc(n, sizeof *b->entry_ids);
    if (b->entries == NULL || b->entry_ptrs == NULL || b->entry_ids == NULL)
        return json_bad("support_record", "%s", "out of memory");
    for (size_t i = 0; i < n; i++) {
        Council__V1__RecordEntry *e = &b->entries[i];
        json_t *v = json_array_get(a, i);
        char where[64];

        snprintf(where, sizeof where, "support_record.entries[%zu]", i);
        *e = init;
        if (keys_ok(v, where, keys) != 0 || str_field(v, "date", where, 1, &e->date) != 0 ||
            id_field(v, "member", where, b->entry_ids[i], &e->has_member, &e->member) != 0 ||
            str_field(v, "text", where, 1, &e->text) != 0)
            return -1;
        b->entry_ptrs[i] = e;
    }
    b->record.entries = b->entry_ptrs;
    b->record.n_entries = n;
    return 0;
}

/* The JSON shape mirrors council.v1.Section (proto/council/v1/case.proto). */
static int section_from_json(json_t *root, section_build *b)
{
    static const char *const top[] = { "text", "identity", "wishes", "support_plan",
                                       "support_record", NULL };
    static const char *const ident[] = { "name", "name_kana", "birth_date", "address", "phone",
                                         "contact_note", NULL };
    static const char *const wishes[] = { "wants", "does_not_want", NULL };
    static const char *const plan[] = { "tasks", NULL };
    static const char *const record[] = { "entries", NULL };
    json_t *v;

    if (keys_ok(root, _("the top level"), top) != 0 ||
        str_field(root, "text", _("the top level"), 0, &b->s.text) != 0)
        return -1;
    if ((v = json_object_get(root, "identity")) != NULL) {
        Council__V1__Identity *i = &b->identity;
        if (keys_ok(v, "identity", ident) != 0 || str_field(v, "name", "identity", 1, &i->name) != 0 ||
            str_field(v, "name_kana", "identity", 0, &i->name_kana) != 0 ||
            str_field(v, "birth_date", "identity", 0, &i->birth_date) != 0 ||
            str_field(v, "address", "identity", 0, &i->address) != 0 ||
            str_field(v, "phone", "identity", 0, &i->phone) != 0 ||
            str_field(v, "contact_note", "identity", 0, &i->contact_note) != 0)
            return -1;
        b->s.identity = i;
    }
    if ((v = json_object_get(root, "wishes")) != NULL) {
        Council__V1__Wishes *w = &b->wishes;
        if (keys_ok(v, "wishes", wishes) != 0 ||
            str_array(v, "wants", "wishes", &w->wants, &w->n_wants) != 0 ||
            str_array(v, "does_not_want", "wishes", &w->does_not_want, &w->n_does_not_want) != 0)
            return -1;
        b->s.wishes = w;
    }
    if ((v = json_object_get(root, "support_plan")) != NULL) {
        if (keys_ok(v, "support_plan", plan) != 0 || tasks_from_json(v, b) != 0)
            return -1;
        b->s.support_plan = &b->plan;
    }
    if ((v = json_object_get(root, "support_record")) != NULL) {
        if (keys_ok(v, "support_record", record) != 0 || entries_from_json(v, b) != 0)
            return -1;
        b->s.support_record = &b->record;
    }
    return 0;
}

/* What went wrong in a document that does not parse, without jansson's
 * text (which quotes the input). */
static const char *json_error_what(const json_error_t *e)
{
    switch (json_error_code(e)) {
    case json_error_invalid_utf8: return _("invalid UTF-8");
    case json_error_duplicate_key: return _("a key given twice");
    case json_error_premature_end_of_input: return _("unexpected end of input");
    case json_error_end_of_input_expected: return _("more than one JSON value");
    case json_error_null_character:
    case json_error_null_byte_in_key: return _("a NUL character");
    case json_error_numeric_overflow: return _("a number out of range");
    default: return _("invalid JSON");
    }
}

int section_json_parse(uint8_t **out, size_t *out_len, const char *text, size_t len,
                       char *why, size_t why_len)
{
    section_build b;
    json_error_t err;
    json_t *root;
    int rc = -1;

    why_buf[0] = '\0';
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (root == NULL) {
        snprintf(why, why_len, _("%s at line %d, column %d"), json_error_what(&err), err.line,
                 err.column);
        wipe(&err, sizeof err); /* its text quotes the input */
        return -1;
    }
    section_build_init(&b);
    if (section_from_json(root, &b) == 0) {
        size_t n = council__v1__section__get_packed_size(&b.s);
        uint8_t *p = malloc(n == 0 ? 1 : n);
        if (p == NULL) {
            rc = -2;
        } else {
            *out_len = council__v1__section__pack(&b.s, p);
            *out = p;
            rc = 0;
        }
    } else {
        snprintf(why, why_len, "%s", why_buf);
    }
    section_build_free(&b);
    json_decref(root);
    return rc;
}
