/*
 * provision.h - the provision register and the disclosure to an outside
 * party (issue 16): internals other files may call.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_PROVISION_H
#define COUNCIL_PROVISION_H

#include "council_int.h"

/* Defined in report.c (its period, resolved as the platform report's):
 * [from_in, to_in), a fiscal year, or all time (*bounded false). EINVAL,
 * EIO, ENOMEM named for op. */
int council__report_period(council *c, const char *op, int64_t from_in, int64_t to_in,
                           int32_t fiscal_year, bool *bounded, int64_t *from, int64_t *to);

/* One provision as the register reads it from an allowed event of the log
 * (share_granted, disclosure_made, outside_disclosure). */
typedef struct council__provision {
    uint64_t seq;
    int64_t time;
    int action;                      /* the event's action */
    bool has_provider, has_recipient, outside;
    uint8_t provider[COUNCIL_ID_BYTES];  /* the member that gave */
    uint8_t recipient[COUNCIL_ID_BYTES]; /* the member, or the outside party's id */
    uint8_t case_ref[32];
    bool has_consent, has_object;
    uint8_t consent[COUNCIL_ID_BYTES];
    uint8_t object[COUNCIL_ID_BYTES];
    char *scopes;                    /* space-separated, council__malloc'd */
    char purpose[64 + 1], basis[64 + 1], reason[64 + 1];
} council__provision;

/* Every provision in the log, oldest first, each event's stored body
 * checked against the tree's leaf and the seqs without a gap (ETAMPER with
 * a message and a tamper finding otherwise): *out (council__calloc'd, free
 * with council__provisions_free), *n. EIO, ENOMEM named for op. */
int council__provisions(council *c, const char *op, council__provision **out, size_t *n);
void council__provisions_free(council__provision *p, size_t n);

#endif /* COUNCIL_PROVISION_H */
