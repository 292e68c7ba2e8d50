/*
 * caseview.c - a case as the commands show it: sections and case
 * metadata as JSON and as text, section JSON read from a file, and the
 * case's person supported (see caseview.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "caseview.h"
#include "cli.h"
#include "json.h"
#include "names.h"
#include "section_json.h"
#include "text.h"
#include "util.h"

const char *status_name(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__case_status__descriptor, "CASE_STATUS_", v, buf, n);
}

const char *body_name(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__case_body__descriptor, "CASE_BODY_", v, buf, n);
}

static const char *person_role_name(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__person_role__descriptor, "PERSON_ROLE_", v, buf, n);
}

static const char *task_state_name(int v, char *buf, size_t n)
{
    return enum_name(&council__v1__task_state__descriptor, "TASK_STATE_", v, buf, n);
}

/* Section JSON from a file into a serialised council.v1.Section. */
int section_bytes(const char *path, uint8_t **out, size_t *out_len)
{
    size_t cap = council_section_max() * 4, len = 0;
    char *text, why[SECTION_JSON_WHY_MAX];
    int rc;

    if ((text = read_content(path, cap, &len)) == NULL)
        return EXIT_FAILURE;
    rc = section_json_parse(out, out_len, text, len, why, sizeof why);
    sodium_memzero(text, len);
    free(text);
    if (rc == -2)
        fprintf(stderr, _("%s: out of memory\n"), prog);
    else if (rc != 0)
        fprintf(stderr, _("%s: section JSON: %s\n"), prog, why);
    return rc == 0 ? 0 : EXIT_FAILURE;
}

/* ---------------------------------------------- Section -> JSON and text */

/* The section's keys, in the input shape, added to j. */
static void section_json(json_t *j, const Council__V1__Section *s)
{
    char st[32];

    if (s == NULL)
        return;
    if (s->text != NULL)
        json_object_set_new(j, "text", json_string(s->text));
    if (s->identity != NULL) {
        const Council__V1__Identity *i = s->identity;
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(i->name));
        if (i->name_kana != NULL)
            json_object_set_new(o, "name_kana", json_string(i->name_kana));
        if (i->birth_date != NULL)
            json_object_set_new(o, "birth_date", json_string(i->birth_date));
        if (i->address != NULL)
            json_object_set_new(o, "address", json_string(i->address));
        if (i->phone != NULL)
            json_object_set_new(o, "phone", json_string(i->phone));
        if (i->contact_note != NULL)
            json_object_set_new(o, "contact_note", json_string(i->contact_note));
        json_object_set_new(j, "identity", o);
    }
    if (s->wishes != NULL) {
        json_t *o = json_object();
        json_object_set_new(o, "wants", str_array_json(s->wishes->wants, s->wishes->n_wants));
        json_object_set_new(o, "does_not_want", str_array_json(s->wishes->does_not_want,
                                                               s->wishes->n_does_not_want));
        json_object_set_new(j, "wishes", o);
    }
    if (s->support_plan != NULL) {
        json_t *o = json_object(), *a = json_array();
        for (size_t i = 0; i < s->support_plan->n_tasks; i++) {
            const Council__V1__Task *t = s->support_plan->tasks[i];
            json_t *tj = json_object();
            json_object_set_new(tj, "title", json_string(t->title));
            if (t->has_responsible_member)
                json_object_set_new(tj, "responsible_member", id_json(t->responsible_member));
            if (t->due != NULL)
                json_object_set_new(tj, "due", json_string(t->due));
            json_object_set_new(tj, "state", json_string(task_state_name((int)t->state, st, sizeof st)));
            json_array_append_new(a, tj);
        }
        json_object_set_new(o, "tasks", a);
        json_object_set_new(j, "support_plan", o);
    }
    if (s->support_record != NULL) {
        json_t *o = json_object(), *a = json_array();
        for (size_t i = 0; i < s->support_record->n_entries; i++) {
            const Council__V1__RecordEntry *e = s->support_record->entries[i];
            json_t *ej = json_object();
            json_object_set_new(ej, "date", json_string(e->date));
            if (e->has_member)
                json_object_set_new(ej, "member", id_json(e->member));
            json_object_set_new(ej, "text", json_string(e->text));
            json_array_append_new(a, ej);
        }
        json_object_set_new(o, "entries", a);
        json_object_set_new(j, "support_record", o);
    }
}

/* A section as read: metadata, then the section's keys. */
json_t *record_json(const Council__V1__SectionRecord *r)
{
    json_t *j = json_object();

    json_object_set_new(j, "scope", json_string(r->scope));
    json_object_set_new(j, "person_id", id_json(r->person_id));
    json_object_set_new(j, "version", json_integer(r->version));
    json_object_set_new(j, "key_version", json_integer(r->key_version));
    json_object_set_new(j, "written", time_json(r->written));
    json_object_set_new(j, "writer_member", r->has_writer_member ? id_json(r->writer_member)
                                                                 : json_null());
    if (r->has_writer_staff)
        json_object_set_new(j, "writer_staff", id_json(r->writer_staff));
    section_json(j, r->section);
    return j;
}

static void section_lines(const Council__V1__Section *s)
{
    char id[37], st[32];

    if (s == NULL)
        return;
    if (s->identity != NULL) {
        const Council__V1__Identity *i = s->identity;
        field_line(_("name:"), "", i->name);
        if (i->name_kana != NULL)
            field_line(_("name (kana):"), "", i->name_kana);
        if (i->birth_date != NULL)
            field_line(_("birth date:"), "", i->birth_date);
        if (i->address != NULL)
            field_line(_("address:"), "", i->address);
        if (i->phone != NULL)
            field_line(_("phone:"), "", i->phone);
        if (i->contact_note != NULL)
            field_line(_("contact note:"), "", i->contact_note);
    }
    if (s->wishes != NULL) {
        for (size_t i = 0; i < s->wishes->n_wants; i++)
            field_line(i == 0 ? _("wants:") : "", "- ", s->wishes->wants[i]);
        for (size_t i = 0; i < s->wishes->n_does_not_want; i++)
            field_line(i == 0 ? _("does not want:") : "", "- ", s->wishes->does_not_want[i]);
    }
    if (s->support_plan != NULL) {
        for (size_t i = 0; i < s->support_plan->n_tasks; i++) {
            const Council__V1__Task *t = s->support_plan->tasks[i];
            field_line(i == 0 ? _("tasks:") : "", "- ", t->title);
            printf(_("%18s  state %s"), "", task_state_name((int)t->state, st, sizeof st));
            if (t->due != NULL)
                printf(_(", due %s"), t->due);
            if (t->has_responsible_member)
                printf(_(", responsible %s"), id_of(id, t->responsible_member));
            putchar('\n');
        }
    }
    if (s->support_record != NULL) {
        for (size_t i = 0; i < s->support_record->n_entries; i++) {
            const Council__V1__RecordEntry *e = s->support_record->entries[i];
            char label[32];
            snprintf(label, sizeof label, "%s:", e->date);
            if (e->has_member)
                printf(_("  %-16sby member %s\n"), label, id_of(id, e->member));
            field_line(e->has_member ? "" : label, "", e->text);
        }
    }
    if (s->text != NULL)
        field_line(_("text:"), "", s->text);
}

void record_lines(const Council__V1__SectionRecord *r)
{
    char person[37], who[37], t[32];

    time_text(t, sizeof t, r->written);
    printf(_("section %s, person %s: version %u (key %u), written %s by %s\n"), r->scope,
           id_of(person, r->person_id), r->version, r->key_version, t,
           r->has_writer_member ? id_of(who, r->writer_member) : _("the secretariat"));
    section_lines(r->section);
}

/* ------------------------------------------------------- case metadata */

static int share_active(const Council__V1__Share *s, int64_t now)
{
    return !s->has_revoked && (!s->has_expires || s->expires > now);
}

size_t active_shares(const Council__V1__CaseInfo *ci)
{
    int64_t now = (int64_t)time(NULL);
    size_t n = 0;

    for (size_t i = 0; i < ci->n_shares; i++)
        n += share_active(ci->shares[i], now) ? 1 : 0;
    return n;
}

/* `full`: persons, sections and shares listed; else counted. */
/* The member's name, or NULL. */
static const char *name_of(const member_names *names, ProtobufCBinaryData id)
{
    return names != NULL ? member_name(names, id.data, id.len) : NULL;
}

json_t *case_info_json(const Council__V1__CaseInfo *ci, int full, const member_names *names)
{
    const char *who;
    json_t *j = json_object(), *a;
    int64_t now = (int64_t)time(NULL);
    char name[48];

    json_object_set_new(j, "id", json_string(ci->id_text));
    json_object_set_new(j, "status", json_string(status_name((int)ci->status, name, sizeof name)));
    json_object_set_new(j, "body", json_string(body_name((int)ci->body, name, sizeof name)));
    json_object_set_new(j, "owner", id_json(ci->owner_member));
    if ((who = name_of(names, ci->owner_member)) != NULL)
        json_object_set_new(j, "owner_name", json_string(who));
    json_object_set_new(j, "created", time_json(ci->created));
    json_object_set_new(j, "updated", time_json(ci->updated));
    if (ci->has_erased)
        json_object_set_new(j, "erased", time_json(ci->erased));
    if (ci->has_case_ref && ci->case_ref.len == 32) {
        char hex[65];
        hex_text(hex, ci->case_ref.data, 32);
        json_object_set_new(j, "pseudonym", json_string(hex));
    }
    if (!full) {
        json_object_set_new(j, "persons", json_integer((json_int_t)ci->n_persons));
        json_object_set_new(j, "sections", json_integer((json_int_t)ci->n_sections));
        json_object_set_new(j, "active_shares", json_integer((json_int_t)active_shares(ci)));
        return j;
    }
    a = json_array();
    for (size_t i = 0; i < ci->n_persons; i++) {
        const Council__V1__Person *p = ci->persons[i];
        json_t *pj = json_object();
        json_object_set_new(pj, "id", id_json(p->id));
        json_object_set_new(pj, "role", json_string(person_role_name((int)p->role, name, sizeof name)));
        json_object_set_new(pj, "added", time_json(p->added));
        if (p->has_anonymous && p->anonymous)
            json_object_set_new(pj, "anonymous", json_true());
        if (p->has_merged_into)
            json_object_set_new(pj, "merged_into", id_json(p->merged_into));
        json_array_append_new(a, pj);
    }
    json_object_set_new(j, "persons", a);
    a = json_array();
    for (size_t i = 0; i < ci->n_sections; i++) {
        const Council__V1__SectionInfo *s = ci->sections[i];
        json_t *sj = json_object();
        json_object_set_new(sj, "scope", json_string(s->scope));
        json_object_set_new(sj, "person_id", id_json(s->person_id));
        json_object_set_new(sj, "version", json_integer(s->version));
        json_object_set_new(sj, "key_version", json_integer(s->key_version));
        json_object_set_new(sj, "written", time_json(s->written));
        json_array_append_new(a, sj);
    }
    json_object_set_new(j, "sections", a);
    a = json_array();
    for (size_t i = 0; i < ci->n_shares; i++) {
        const Council__V1__Share *s = ci->shares[i];
        json_t *sj = json_object();
        json_object_set_new(sj, "member", id_json(s->member_id));
        if ((who = name_of(names, s->member_id)) != NULL)
            json_object_set_new(sj, "member_name", json_string(who));
        json_object_set_new(sj, "scope", json_string(s->scope));
        json_object_set_new(sj, "purpose", json_string(s->purpose));
        json_object_set_new(sj, "basis", json_string(s->basis));
        if (s->has_consent_id)
            json_object_set_new(sj, "consent", id_json(s->consent_id));
        if (s->basis_reason != NULL)
            json_object_set_new(sj, "basis_reason", json_string(s->basis_reason));
        json_object_set_new(sj, "granted", time_json(s->granted));
        if (s->has_expires)
            json_object_set_new(sj, "expires", time_json(s->expires));
        if (s->has_revoked)
            json_object_set_new(sj, "revoked", time_json(s->revoked));
        if (s->revoke_reason != NULL)
            json_object_set_new(sj, "revoke_reason", json_string(s->revoke_reason));
        json_object_set_new(sj, "active", json_boolean(share_active(s, now)));
        json_array_append_new(a, sj);
    }
    json_object_set_new(j, "shares", a);
    return j;
}

void case_info_lines(const Council__V1__CaseInfo *ci, const member_names *names)
{
    int64_t now = (int64_t)time(NULL);
    char name[48], id[37], t[32];
    const char *who;

    printf(_("id:                 %s\n"), ci->id_text);
    printf(_("status:             %s\n"), status_name((int)ci->status, name, sizeof name));
    printf(_("body:               %s\n"), body_name((int)ci->body, name, sizeof name));
    printf(_("owner:              %s"), id_of(id, ci->owner_member));
    if ((who = name_of(names, ci->owner_member)) != NULL)
        printf(" (%s)", who);
    putchar('\n');
    time_text(t, sizeof t, ci->created);
    printf(_("created:            %s\n"), t);
    time_text(t, sizeof t, ci->updated);
    printf(_("updated:            %s\n"), t);
    if (ci->has_erased) {
        time_text(t, sizeof t, ci->erased);
        printf(_("erased:             %s\n"), t);
    }
    if (ci->has_case_ref && ci->case_ref.len == 32) {
        char hex[65];
        hex_text(hex, ci->case_ref.data, 32);
        printf(_("pseudonym:          %s\n"), hex);
    }
    printf(_("persons:%s\n"), ci->n_persons == 0 ? "            -" : "");
    for (size_t i = 0; i < ci->n_persons; i++) {
        const Council__V1__Person *p = ci->persons[i];
        time_text(t, sizeof t, p->added);
        printf(_("  %s  %-17s  added %s\n"), id_of(id, p->id),
               person_role_name((int)p->role, name, sizeof name), t);
        if (p->has_anonymous && p->anonymous)
            printf("%s", _("    anonymous intake (no name)\n"));
        if (p->has_merged_into)
            printf(_("    merged into %s\n"), id_of(id, p->merged_into));
    }
    printf(_("sections:%s\n"), ci->n_sections == 0 ? "           -" : "");
    for (size_t i = 0; i < ci->n_sections; i++) {
        const Council__V1__SectionInfo *s = ci->sections[i];
        time_text(t, sizeof t, s->written);
        printf(_("  %-16s  person %s  version %u  key %u  written %s\n"), s->scope,
               id_of(id, s->person_id), s->version, s->key_version, t);
    }
    printf(_("shares:%s\n"), ci->n_shares == 0 ? "             -" : "");
    for (size_t i = 0; i < ci->n_shares; i++) {
        const Council__V1__Share *s = ci->shares[i];
        time_text(t, sizeof t, s->granted);
        printf("  %s  %-16s  %-6s  purpose=%s basis=%s granted=%s", id_of(id, s->member_id),
               s->scope, share_active(s, now) ? "active" : "ended", s->purpose, s->basis, t);
        if (s->has_consent_id)
            printf(" consent=%s", id_of(id, s->consent_id));
        if (s->has_expires) {
            time_text(t, sizeof t, s->expires);
            printf(" expires=%s", t);
        }
        if (s->has_revoked) {
            time_text(t, sizeof t, s->revoked);
            printf(" revoked=%s", t);
        }
        if (s->revoke_reason != NULL)
            printf(" revoke_reason=%s", s->revoke_reason);
        if ((who = name_of(names, s->member_id)) != NULL)
            printf("  (%s)", who);
        putchar('\n');
        if (s->basis_reason != NULL)
            field_line("", _("reason: "), s->basis_reason);
    }
}

Council__V1__CaseInfo *fetch_case(council *c, const uint8_t id[COUNCIL_ID_BYTES], int *rc)
{
    council_buf buf = { NULL, 0 };
    Council__V1__CaseInfo *ci = NULL;

    *rc = council_case_get(c, &buf, id, COUNCIL_ID_BYTES);
    ci = unpack_reply(&council__v1__case_info__descriptor, &buf, rc);
    council_buf_free(&buf);
    return ci;
}

/* The case's person supported (本人): the default --person. */
int supported_person(council *c, const uint8_t id[COUNCIL_ID_BYTES],
                            uint8_t person[COUNCIL_ID_BYTES])
{
    Council__V1__CaseInfo *ci;
    int rc;

    if ((ci = fetch_case(c, id, &rc)) == NULL)
        return rc;
    rc = EXIT_FAILURE;
    for (size_t i = 0; i < ci->n_persons; i++)
        if (ci->persons[i]->role == COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_SUPPORTED &&
            ci->persons[i]->id.len == COUNCIL_ID_BYTES) {
            memcpy(person, ci->persons[i]->id.data, COUNCIL_ID_BYTES);
            rc = COUNCIL_OK;
            break;
        }
    council__v1__case_info__free_unpacked(ci, NULL);
    if (rc != COUNCIL_OK)
        fprintf(stderr, _("%s: the case has no person supported: give --person\n"), prog);
    return rc;
}
