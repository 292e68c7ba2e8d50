/*
 * section.h - sections: checked, sealed and stored, opened and read
 * (domain, section.c). The table section is section_db.c's (section_db.h,
 * included for section.c's callers).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_SECTION_H
#define COUNCIL_SECTION_H

#include "council_int.h"
#include "buf.h"
#include "case_db.h"

/* Check a serialised council.v1.Section for `scope` (EINVAL for a bad
 * scope code, EFORMAT, ELIMIT, ENOMEM); for the fuzzer and the write path. */
int council__section_check(council *c, const char *scope, const uint8_t *buf, size_t len);

/* The scopes a read returned (distinct, in order) and how many it
 * withheld from the session. */
typedef struct council__scopes_read {
    char code[32][64 + 1]; /* COUNCIL__AUDIT_SCOPES_MAX, COUNCIL__AUDIT_CODE_MAX + 1 */
    const char *ptr[32];
    size_t n, skipped;
} council__scopes_read;

/* The latest section of each (person, scope) of case k that the session
 * may read (and, filter not NULL, of the n_filter scopes named), each as
 * field 2 (a SectionRecord) of b; read lists the scopes returned and
 * counts those withheld. EAUTH/EDENIED from a key or a section, ELIMIT,
 * EIO. Nothing is logged: the caller logs the read. */
int council__section_latest(council *c, const char *op, const council__case *k,
                            const char *const *filter, size_t n_filter, council__buf *b,
                            council__scopes_read *read);
/* Every section of (case, scope) under a key version older than nv
 * sealed again under nkey (version nv), in the caller's transaction (the
 * case's rekey). EAUTH for a damaged section or key, EIO. */
int council__section_reseal(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                            const char *scope, uint32_t nv, const council__secret *nkey);

/* May this session read `scope` (NULL: any scope) of case k: the
 * secretariat or the coordinating body (root, or staff holding the role
 * keys), the owner's staff, or an active share's holder? Errors of
 * council__share_active (ETAMPER logged for a forged share row). */
int council__case_may_use(council *c, const char *op, const council__case *k, const char *scope,
                          bool *yes);
/* May this session write `scope` of case k: as council__case_may_use, but
 * the coordinating body's role reads only (its staff write where their
 * member owns the case or holds a share, as any member's). */
int council__case_may_write(council *c, const char *op, const council__case *k, const char *scope,
                            bool *yes);
/* The start of every read of content: out emptied, the session, no batch,
 * the ids, the scope (known), the purpose code, the case (not erased:
 * refusal logged), the person in it, and the scope shared (refusal
 * logged). k receives the case. */
int council__case_read_start(council *c, const char *op, const uint8_t *case_id,
                             size_t case_id_len, const uint8_t *person_id, size_t person_id_len,
                             const char *scope, const char *purpose, council_buf *out,
                             council__case *k);
/* The end of a read, after decryption and before anything is returned:
 * EAUTH/EDENIED in rc are logged as refused; otherwise the read is logged
 * (durably) and b handed to out. On any failure b is wiped, out empty. */
int council__case_read_finish(council *c, const char *op, const council__case *k,
                              const char *const *scopes, size_t n, const char *purpose,
                              const char *reason, int rc, council__buf *b, council_buf *out);
#endif /* COUNCIL_SECTION_H */
