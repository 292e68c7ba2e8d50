/*
 * names.c - people's and members' names next to their ids (see names.h).
 */
#include <string.h>

#include "council/v1/member.pb-c.h"
#include "names.h"

void member_names_load(council *c, member_names *n)
{
    council_buf buf = { NULL, 0 };
    unsigned powers = 0;

    n->list = n->staff = NULL;
    if (council_session_powers(c, &powers) != COUNCIL_OK ||
        (powers & COUNCIL_POWER_SECRETARIAT) == 0)
        return;
    if (council_member_list(c, &buf) == COUNCIL_OK)
        n->list = council__v1__member_list__unpack(NULL, buf.len, buf.ptr);
    council_buf_free(&buf);
    if (council_staff_list(c, &buf, NULL, 0) == COUNCIL_OK)
        n->staff = council__v1__staff_list__unpack(NULL, buf.len, buf.ptr);
    council_buf_free(&buf);
}

const char *member_name(const member_names *n, const uint8_t *id, size_t id_len)
{
    const Council__V1__MemberList *l = n->list;

    if (l == NULL || id == NULL || id_len != COUNCIL_ID_BYTES)
        return NULL;
    for (size_t i = 0; i < l->n_members; i++) {
        const Council__V1__Member *m = l->members[i];
        if (m->id.len == COUNCIL_ID_BYTES && memcmp(m->id.data, id, COUNCIL_ID_BYTES) == 0)
            return m->name;
    }
    return NULL;
}

const char *staff_name(const member_names *n, const uint8_t *id, size_t id_len)
{
    const Council__V1__StaffList *l = n->staff;

    if (l == NULL || id == NULL || id_len != COUNCIL_ID_BYTES)
        return NULL;
    for (size_t i = 0; i < l->n_staff; i++) {
        const Council__V1__Staff *s = l->staff[i];
        if (s->id.len == COUNCIL_ID_BYTES && memcmp(s->id.data, id, COUNCIL_ID_BYTES) == 0)
            return s->display_name;
    }
    return NULL;
}

void member_names_free(member_names *n)
{
    council__v1__member_list__free_unpacked(n->list, NULL);
    council__v1__staff_list__free_unpacked(n->staff, NULL);
    n->list = n->staff = NULL;
}
