/*
 * section_db.h - the table section (domain, section_db.c): the stored
 * sections (sealed: this module never sees a key or a plaintext), their
 * versions, and the lookups the modules above need.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_SECTION_DB_H
#define COUNCIL_SECTION_DB_H

#include "council_int.h"
#include "crypto.h"

/* A stored section as the row walks below pass it (valid during the call
 * only). person is person_len bytes, scope may be NULL; writer_member and
 * writer_staff are NULL unless the row holds a 16-byte id. */
typedef struct council__section_row {
    const uint8_t *person;
    size_t person_len;
    const char *scope;
    uint32_t version, key_version;
    int64_t written;
    const uint8_t *writer_member, *writer_staff;
    const uint8_t *nonce, *ct;
    size_t nonce_len, ct_len;
} council__section_row;
/* Called for each row; anything but COUNCIL_OK ends the walk with it. */
typedef int (*council__section_fn)(council *c, const council__section_row *r, void *ctx);

/* The sections of (case, person, scope): every version in order
 * (history), or the latest only. EIO named for op, or fn's error. */
int council__section_rows(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                          const uint8_t person[COUNCIL_ID_BYTES], const char *scope, bool history,
                          council__section_fn fn, void *ctx);
/* The latest version of each (person, scope) of the case, ordered by
 * scope, key version and person. EIO, or fn's error. */
int council__section_rows_latest(council *c, const char *op,
                                 const uint8_t case_id[COUNCIL_ID_BYTES],
                                 council__section_fn fn, void *ctx);
/* The sections of (case, scope) under a key version older than below.
 * fn may store the row again (council__section_reseal_row). EIO, or fn's. */
int council__section_rows_below(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                                const char *scope, uint32_t below, council__section_fn fn,
                                void *ctx);
/* Version rv of (case, person, scope) sealed again: under key version kv,
 * with this nonce and ciphertext. EIO. */
int council__section_reseal_row(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                                const uint8_t person[COUNCIL_ID_BYTES], const char *scope,
                                uint32_t rv, uint32_t kv, const uint8_t nonce[COUNCIL__NONCE_BYTES],
                                const uint8_t *ct, size_t ct_len);
/* Has the person any section of (case, scope)? EIO. */
int council__section_exists(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                            const uint8_t person[COUNCIL_ID_BYTES], const char *scope, bool *yes);
/* The newest key version the sections of (case, scope) use (0: none). EIO. */
int council__section_key_version_used(council *c, const char *op,
                                      const uint8_t case_id[COUNCIL_ID_BYTES], const char *scope,
                                      int64_t *used);
/* The version the next section of (case, person, scope) gets. EIO. */
int council__section_next_version(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                                  const uint8_t person[COUNCIL_ID_BYTES], const char *scope,
                                  uint32_t *rv);
/* Store version rv of (case, person, scope), sealed under key version kv,
 * written now by this session. EIO. */
int council__section_insert(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                            const uint8_t person[COUNCIL_ID_BYTES], const char *scope, uint32_t rv,
                            uint32_t kv, const uint8_t nonce[COUNCIL__NONCE_BYTES],
                            const uint8_t *ct, size_t ct_len);
/* The persons of the case with a section in one of the n scopes (distinct,
 * in no particular order) into *out (council__calloc'd; the caller frees
 * it). For the share decision. EIO, ENOMEM. */
int council__section_persons(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                             const char *const *scopes, size_t n_scopes,
                             uint8_t (**out)[COUNCIL_ID_BYTES], size_t *n);
/* Does any section name scope? EIO named for op. */
int council__section_scope_used(council *c, const char *op, const char *scope, bool *yes);
/* The case's sections (each (person, scope) at its latest version) as
 * SectionInfo items of m (case_get); false for out of memory or a
 * database error. */
struct Council__V1__CaseInfo;
bool council__section_infos(council *c, const uint8_t case_id[COUNCIL_ID_BYTES],
                            struct Council__V1__CaseInfo *m);
/* The case's sections go (its erasure, in the caller's transaction). EIO. */
int council__section_erase(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES]);

#endif /* COUNCIL_SECTION_DB_H */
