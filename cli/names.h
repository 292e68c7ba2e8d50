/*
 * names.h - people's and members' names next to their ids in lists (staff
 * list, case info, meeting show, audit show), from the register where the
 * session may read it (the secretariat's: council_member_list and
 * council_staff_list); where it may not, no names.
 */
#ifndef COUNCIL_CLI_NAMES_H
#define COUNCIL_CLI_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "council.h"

typedef struct member_names {
    void *list;  /* Council__V1__MemberList, or NULL */
    void *staff; /* Council__V1__StaffList, or NULL */
} member_names;

/* The register's names, if the session is the secretariat's (another
 * session may not read the register: trying would log a refusal). */
void member_names_load(council *c, member_names *n);
/* The name of the member with this 16-byte id, or NULL. */
const char *member_name(const member_names *n, const uint8_t *id, size_t id_len);
/* The name of the staff member with this 16-byte id, or NULL. */
const char *staff_name(const member_names *n, const uint8_t *id, size_t id_len);
void member_names_free(member_names *n);

#endif
