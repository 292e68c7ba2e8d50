/*
 * find.c - the blind index (persons' name tokens, written with their
 * identity sections) and council_case_find over it. The folding and the
 * keyed tokens are blind.c's (pure). Owns the table blind_index.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "buf.h"
#include "session.h"
#include "sql.h"
#include "text.h"
#include "blind.h"
#include "find.h"
#include "event.h"
#include "case_db.h"
#include "store.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED

/* The token of a folded name (kind NAME), or of the folded name with a
 * birth date (kind NAME_BIRTH) when date is not NULL. *set is false, not
 * an error, when nothing is left of the name after folding. There is no
 * token of a birth date alone: with some 40,000 plausible dates it would
 * all but name the date to anyone holding the blind-index key. */
static int name_token(council *c, const char *name, const char *date, uint32_t *t, bool *set)
{
    char *folded = NULL;
    int rc = council__name_fold(c, &folded, name, strnlen(name, 1025));

    *set = false;
    if (rc == COUNCIL_EINVAL) {
        council__clear(c);
        return COUNCIL_OK;
    }
    if (rc != COUNCIL_OK)
        return rc;
    if (date == NULL) {
        rc = council__blind_token(c, t, COUNCIL__BLIND_NAME, (const uint8_t *)folded, strlen(folded));
    } else {
        size_t n = strlen(folded);
        char *both = council__malloc(n + 12);
        if (both == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "find: out of memory");
        } else {
            memcpy(both, folded, n);
            both[n] = '\n';
            memcpy(both + n + 1, date, 10);
            rc = council__blind_token(c, t, COUNCIL__BLIND_NAME_BIRTH, (const uint8_t *)both, n + 11);
            sodium_memzero(both, n + 11);
            council__free(both);
        }
    }
    *set = rc == COUNCIL_OK;
    sodium_memzero(folded, strlen(folded));
    council__free(folded);
    return rc;
}

/* Blind-index tokens of a person from an identity section: the name and
 * its reading (kana), each alone and with the birth date. */
int council__find_index_person(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const uint8_t person[COUNCIL_ID_BYTES], const uint8_t *sec, size_t len)
{
    Council__V1__Section *s = council__v1__section__unpack(council__pb_wiping_allocator(), len, sec);
    int rc = COUNCIL_OK;
    struct { int kind; uint32_t token; bool set; } t[4] = {
        { COUNCIL__BLIND_NAME, 0, false }, { COUNCIL__BLIND_NAME_BIRTH, 0, false },
        { COUNCIL__BLIND_NAME, 0, false }, { COUNCIL__BLIND_NAME_BIRTH, 0, false } };

    if (s == NULL || s->identity == NULL) {
        if (s != NULL)
            council__v1__section__free_unpacked(s, council__pb_wiping_allocator());
        return council__fail(c, COUNCIL_EFORMAT, "%s: identity section does not parse", op);
    }
    for (int i = 0; rc == COUNCIL_OK && i < 4; i++) {
        const char *nm = i < 2 ? s->identity->name : s->identity->name_kana;
        const char *date = (i & 1) ? s->identity->birth_date : NULL;
        if (nm == NULL || ((i & 1) && date == NULL))
            continue;
        rc = name_token(c, nm, date, &t[i].token, &t[i].set);
    }
    council__v1__section__free_unpacked(s, council__pb_wiping_allocator());
    if (rc == COUNCIL_OK)
        rc = council__sql_exec1(c, op, "DELETE FROM blind_index WHERE case_id = ?1 AND "
                                "person_id = ?2;", case_id, COUNCIL_ID_BYTES, person,
                                COUNCIL_ID_BYTES);
    /* A person of anonymous intake is never found by name. */
    if (rc == COUNCIL_OK) {
        council__person_st ps;
        if ((rc = council__person_state(c, op, case_id, person, &ps)) == COUNCIL_OK && ps.anonymous) {
            sodium_memzero(t, sizeof t);
            return COUNCIL_OK;
        }
    }
    for (int i = 0; rc == COUNCIL_OK && i < 4; i++) {
        sqlite3_stmt *st = NULL;
        if (!t[i].set)
            continue;
        if (council__prepare(c, "INSERT OR IGNORE INTO blind_index (kind, token, case_id, "
                                      "person_id) VALUES (?1, ?2, ?3, ?4);", &st) != SQLITE_OK ||
            sqlite3_bind_int(st, 1, t[i].kind) != SQLITE_OK ||
            sqlite3_bind_int64(st, 2, t[i].token) != SQLITE_OK ||
            sqlite3_bind_blob(st, 3, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_blob(st, 4, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_DONE)
            rc = council__db_err(c, op);
        council__finalize(c, st);
    }
    return rc;
}

/* ----------------------------------------------------------------- finding */

/* A person the tokens found: its id and what matched. */
typedef struct hit {
    uint8_t id[COUNCIL_ID_BYTES];
    bool name, birth;
} hit;

static int cmp_hit(const void *a, const void *b)
{
    return memcmp(a, b, COUNCIL_ID_BYTES); /* the id is hit's first member */
}

/* The persons whose index rows match: the name token nt, and (birth) the
 * name-with-birth-date token bt too, into *out sorted by id (council__
 * calloc'd, *n of them). Each says which tokens it has. EIO, ENOMEM. */
static int matching_persons(council *c, const char *op, uint32_t nt, uint32_t bt, bool birth,
                            hit **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    hit *hs = NULL;
    size_t cap = 0;
    int rc = COUNCIL_OK, src;

    *out = NULL;
    *n = 0;
    if (council__prepare(c,
                           "SELECT b.person_id, "
                           " EXISTS (SELECT 1 FROM blind_index WHERE kind = 1 AND token = ?1 AND person_id = b.person_id), "
                           " EXISTS (SELECT 1 FROM blind_index WHERE kind = 3 AND token = ?2 AND person_id = b.person_id) "
                           "FROM (SELECT DISTINCT person_id FROM blind_index WHERE (?3 AND kind = 1 AND token = ?1) "
                           " OR (?4 AND kind = 3 AND token = ?2)) b;", &st) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, nt) != SQLITE_OK || sqlite3_bind_int64(st, 2, bt) != SQLITE_OK ||
        sqlite3_bind_int(st, 3, 1) != SQLITE_OK || sqlite3_bind_int(st, 4, birth) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        bool nm = sqlite3_column_int(st, 1) != 0, bm = sqlite3_column_int(st, 2) != 0;
        if (!nm || (birth && !bm))
            continue; /* both given: both must match */
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
            continue;
        if (*n == cap) {
            hit *nh = council__grow(hs, &cap, *n, sizeof *nh);
            if (nh == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
                break;
            }
            hs = nh;
        }
        memcpy(hs[*n].id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        hs[*n].name = nm;
        hs[(*n)++].birth = bm;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc != COUNCIL_OK) {
        council__free(hs);
        *n = 0;
        return rc;
    }
    if (*n > 1)
        qsort(hs, *n, sizeof *hs, cmp_hit);
    *out = hs;
    return COUNCIL_OK;
}

int council_case_find(council *c, council_buf *out, const char *name, const char *birth_date)
{
    static const char op[] = "case_find";
    Council__V1__CaseMatches res = COUNCIL__V1__CASE_MATCHES__INIT;
    Council__V1__CaseMatch *items = NULL, **ptrs = NULL;
    uint32_t nt = 0, bt = 0;
    hit *hits = NULL;
    council__person_case *rows = NULL;
    size_t n = 0, n_hits = 0, n_rows = 0;
    int rc;

    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "%s: NULL output", op);
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__actor_ok(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (name == NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: a name is needed (a birth date only narrows "
                             "the search)", op);
    if (birth_date != NULL && !council__date_ok(birth_date))
        return council__fail(c, COUNCIL_EINVAL, "%s: a birth date is YYYY-MM-DD", op);
    {
        bool set = false, bset = true;
        if ((rc = name_token(c, name, NULL, &nt, &set)) != COUNCIL_OK ||
            (birth_date != NULL && (rc = name_token(c, name, birth_date, &bt, &bset)) != COUNCIL_OK))
            return rc;
        if (!set || !bset)
            return council__fail(c, COUNCIL_EINVAL, "%s: the name is empty, too long or not "
                                 "UTF-8", op);
    }
    /* Log first: the lookup itself is an access. No name or date is logged. */
    {
        council__event ev = {
            .action = ACT(CASE_SEARCHED),
            .outcome = ALLOWED,
            .reason = birth_date != NULL ? "name_and_birth_date" : "name",
        };
        council__event_actor(c, &ev);
        if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK)
            return rc;
    }
    if ((rc = matching_persons(c, op, nt, bt, birth_date != NULL, &hits, &n_hits)) == COUNCIL_OK &&
        n_hits > 0) {
        uint8_t (*pids)[COUNCIL_ID_BYTES] = council__calloc(n_hits, sizeof *pids);
        if (pids == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        } else {
            for (size_t i = 0; i < n_hits; i++)
                memcpy(pids[i], hits[i].id, COUNCIL_ID_BYTES);
            rc = council__person_cases(c, op, (const uint8_t (*)[COUNCIL_ID_BYTES])pids, n_hits,
                                       &rows, &n_rows);
            council__free(pids);
        }
    }
    if (rc == COUNCIL_OK && n_rows > 0 && (items = council__calloc(n_rows, sizeof *items)) == NULL)
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    for (size_t i = 0; rc == COUNCIL_OK && i < n_rows; i++) {
        const hit *h = bsearch(rows[i].person, hits, n_hits, sizeof *hits, cmp_hit);
        Council__V1__CaseMatch *m;
        uint8_t *ids;

        if (h == NULL)
            continue;
        m = &items[n++];
        council__v1__case_match__init(m);
        /* One block of the three ids, freed with the match. */
        ids = council__malloc(3 * COUNCIL_ID_BYTES);
        if (ids == NULL) {
            n--;
            rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
        memcpy(ids, rows[i].case_id, COUNCIL_ID_BYTES);
        memcpy(ids + 16, rows[i].person, COUNCIL_ID_BYTES);
        memcpy(ids + 32, rows[i].owner, COUNCIL_ID_BYTES);
        m->case_id.data = ids;
        m->case_id.len = COUNCIL_ID_BYTES;
        m->person_id.data = ids + 16;
        m->person_id.len = COUNCIL_ID_BYTES;
        m->owner_member.data = ids + 32;
        m->owner_member.len = COUNCIL_ID_BYTES;
        m->name_matches = h->name;
        m->birth_date_matches = h->birth;
    }
    council__free(hits);
    council__free(rows);
    if (rc == COUNCIL_OK && n > 0 && (ptrs = council__calloc(n, sizeof *ptrs)) == NULL)
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    if (rc == COUNCIL_OK) {
        council__buf b = COUNCIL__BUF_INIT;
        for (size_t i = 0; i < n; i++)
            ptrs[i] = &items[i];
        res.matches = ptrs;
        res.n_matches = n;
        council__buf_message(&b, &res.base);
        rc = council__buf_out(c, op, &b, out);
    }
    for (size_t i = 0; i < n; i++)
        council__free(items[i].case_id.data);
    council__free(items);
    council__free(ptrs);
    if (rc == COUNCIL_OK)
        council__clear(c);
    return rc;
}


/* The case's index tokens go (its erasure, in the caller's transaction). EIO. */
int council__find_erase(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES])
{
    return council__sql_exec1(c, op, "DELETE FROM blind_index WHERE case_id = ?1;", case_id,
                              COUNCIL_ID_BYTES, NULL, 0);
}

int council__find_merge(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const uint8_t keep[COUNCIL_ID_BYTES], const uint8_t gone[COUNCIL_ID_BYTES],
                        bool anonymous)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK;

    /* The merged person's tokens find the kept person (unless it stays
     * anonymous: then they go). */
    if (!anonymous &&
        (council__prepare(c, "INSERT OR IGNORE INTO blind_index (kind, token, case_id, "
                                   "person_id) SELECT kind, token, case_id, ?3 FROM blind_index "
                                   "WHERE case_id = ?1 AND person_id = ?2;", &st) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, gone, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 3, keep, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__db_err(c, op);
    council__finalize(c, st);
    if (rc == COUNCIL_OK)
        rc = council__sql_exec1(c, op, "DELETE FROM blind_index WHERE case_id = ?1 AND "
                                "person_id = ?2;", case_id, COUNCIL_ID_BYTES, gone,
                                COUNCIL_ID_BYTES);
    return rc;
}
