/*
 * member.h - the register's operations (domain).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_MEMBER_H
#define COUNCIL_MEMBER_H

#include "council_int.h"

/* The role keys in council.keyring follow the signed register: the
 * coordinating body's wrap key (and, for the secretariat, the log key)
 * sealed to each active member in the secretariat's or the coordinating
 * body's role whose row and box key the council signed, and to nobody else.
 * Run by a session that holds them (root, the secretariat's staff) after a
 * register change and at every root open. EDENIED otherwise; EIO. */
int council__member_role_keys(council *c);
/* The sealed database keys and role keys in council.keyring of members the
 * signed register says withdrew are dropped (a withdrawal commits first and
 * drops them after; a failure there is redone here, at the next open of the
 * council passphrase or of the secretariat's staff). The keyring is
 * rewritten only when one is found; a row that fails its check is on the
 * record and keeps its entry. EIO, ENOMEM. */
int council__member_drop_withdrawn(council *c);

#endif /* COUNCIL_MEMBER_H */
