/*
 * member.h - the member register's operations (domain): council_member_*
 * and council_members_announce in council.h (member.c). Its rows are
 * member_db.h.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_MEMBER_H
#define COUNCIL_MEMBER_H

#include "council_int.h"

#endif /* COUNCIL_MEMBER_H */
