/*
 * member.h - the member register (domain).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_MEMBER_H
#define COUNCIL_MEMBER_H

#include "council_int.h"

/* 1: the member is active, 0: withdrawn, or a negative code (ENOTFOUND,
 * EIO) recorded on c for op. */
/* The register's rows are signed by the secretariat (member.c): sign after
 * a change; check (ETAMPER, logged) before a row decides anything; sign the
 * rows of a store from before (the secretariat's first session). */
int council__member_sign(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES]);
int council__member_check(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES]);
int council__member_upgrade(council *c);
int council__member_active(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES]);
/* COUNCIL_OK for an active member; EDENIED (named for op) for a withdrawn
 * one; ENOTFOUND or EIO otherwise. */
int council__member_usable(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES]);

#endif /* COUNCIL_MEMBER_H */
