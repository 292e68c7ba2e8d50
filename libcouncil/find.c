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
#include "attest.h"
#include "store.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED

/* ------------------------------------------------------------ the width */

/* The width new tokens are written with, and the width of tokens a rebuild
 * has not yet reached, in the setting 'blind_width' as three bytes
 * (1, width, old width or 0), signed by the secretariat (the log key) in
 * 'blind_width_sig'. No setting: a store from before issue 17, every
 * token 16 bits wide. */
#define WIDTH_KEY "blind_width"
#define WIDTH_SIG "blind_width_sig"
#define WIDTH_KIND "blind_width"

static int width_forged(council *c, const char *op, const char *what)
{
    (void)council__tamper(c, NULL, NULL, NULL, "forged_blind_width");
    return council__fail(c, COUNCIL_ETAMPER, "%s: the blind index's %s is not what the secretariat "
                         "set (changed outside the library): nothing is found until it is put "
                         "right", op, what);
}

/* How a token of width w is stored: its bits, plus w * 2^32 unless w is
 * 16, so the rows of a store from before issue 17 (16-bit tokens) are
 * stored tokens as they stand, and tokens of two widths never meet in the
 * primary key (kind, token, person_id): the rows of width w are the range
 * [base(w), base(w) + 2^w) of each kind. */
static int64_t width_base(unsigned w)
{
    return w == COUNCIL__BLIND_TOKEN_BITS ? 0 : (int64_t)w << 32;
}

static int64_t stored(uint32_t token, unsigned w)
{
    return width_base(w) + (int64_t)council__blind_trunc(token, w);
}

static unsigned width_of(int64_t v)
{
    return v >> 32 == 0 ? COUNCIL__BLIND_TOKEN_BITS : (unsigned)(v >> 32);
}

/* Does every stored token have width w or old? The least and greatest
 * token of each kind, in one statement: four look-ups of the primary key.
 * (A width between them would go unseen: a rebuild only ever widens, so a
 * replayed older setting leaves a newer width above it.) */
static int row_widths_ok(council *c, const char *op, const council__blind_width *w, bool *ok)
{
    sqlite3_stmt *st = NULL;

    *ok = true;
    if (council__prepare(c, "SELECT (SELECT min(token) FROM blind_index WHERE kind = 1), "
                                  "(SELECT max(token) FROM blind_index WHERE kind = 1), "
                                  "(SELECT min(token) FROM blind_index WHERE kind = 3), "
                                  "(SELECT max(token) FROM blind_index WHERE kind = 3);", &st) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    for (int i = 0; i < 4 && *ok; i++)
        if (sqlite3_column_type(st, i) != SQLITE_NULL) {
            unsigned have = width_of(sqlite3_column_int64(st, i));
            *ok = have == w->width || (w->old != 0 && have == w->old);
        }
    council__finalize(c, st);
    return COUNCIL_OK;
}

int council__find_width(council *c, const char *op, council__blind_width *w)
{
    static const uint8_t council_signer[COUNCIL_ID_BYTES];
    uint8_t *v = NULL, *sig = NULL;
    size_t n = 0, sig_len = 0;
    bool rows_ok = true;
    int rc;

    w->width = COUNCIL__BLIND_TOKEN_BITS;
    w->old = 0;
    if ((rc = council__setting_get(c, WIDTH_KEY, &v, &n)) == COUNCIL_OK && v != NULL)
        rc = council__setting_get(c, WIDTH_SIG, &sig, &sig_len);
    if (rc != COUNCIL_OK) {
        council__free(v);
        return rc == COUNCIL_ENOMEM ? council__fail(c, rc, "%s: out of memory", op)
                                    : council__db_err(c, op);
    }
    if (v != NULL) {
        /* A width the secretariat did not sign is refused, never used: a
         * narrower one would widen every match, a wider one would make the
         * tokens written from now on name people. */
        bool ok = council__attest_check(c, WIDTH_KIND, v, n, council_signer, sizeof council_signer,
                                        sig, sig_len) == COUNCIL_OK &&
                  n == 3 && v[0] == 1 && v[1] >= COUNCIL__BLIND_TOKEN_BITS &&
                  v[1] <= COUNCIL__BLIND_WIDTH_MAX &&
                  (v[2] == 0 || (v[2] >= COUNCIL__BLIND_TOKEN_BITS && v[2] < v[1]));
        if (ok) {
            w->width = v[1];
            w->old = v[2];
        }
        council__free(v);
        council__free(sig);
        if (!ok)
            return width_forged(c, op, "token width");
    }
    /* Rows of a width the setting does not name: an older signed setting
     * put back (a replay), or rows written outside the library. */
    if ((rc = row_widths_ok(c, op, w, &rows_ok)) != COUNCIL_OK)
        return rc;
    if (!rows_ok)
        return width_forged(c, op, "token width");
    return COUNCIL_OK;
}

int council__find_width_put(council *c, const char *op, const council__blind_width *w)
{
    uint8_t v[3] = { 1, (uint8_t)w->width, (uint8_t)w->old }, sig[64], signer[COUNCIL_ID_BYTES];
    int rc;

    if (w->width < COUNCIL__BLIND_TOKEN_BITS || w->width > COUNCIL__BLIND_WIDTH_MAX ||
        (w->old != 0 && (w->old < COUNCIL__BLIND_TOKEN_BITS || w->old >= w->width)))
        return council__fail(c, COUNCIL_ERROR, "%s: bad token width", op);
    if ((rc = council__attest_sign(c, WIDTH_KIND, v, sizeof v, signer, sig)) != COUNCIL_OK)
        return rc;
    if (!sodium_is_zero(signer, sizeof signer))
        return council__fail(c, COUNCIL_EDENIED, "%s: only the secretariat sets the token width", op);
    if (council__setting_put(c, WIDTH_KEY, v, sizeof v, true) != COUNCIL_OK ||
        council__setting_put(c, WIDTH_SIG, sig, sizeof sig, true) != COUNCIL_OK)
        return council__db_err(c, op);
    return COUNCIL_OK;
}

/* The name tokens at `width` (kind NAME): counted exactly in a small
 * index, else estimated from the share of the token space below 2^w / 64
 * (tokens are uniform), an index range of about n / 64 rows. */
static int count_width(council *c, const char *op, unsigned width, uint64_t *n)
{
    sqlite3_stmt *st = NULL;
    bool sample = width >= 12;
    int64_t part = 0;

    for (int pass = sample ? 0 : 1; pass < 2; pass++) {
        if (council__prepare(c, "SELECT count(*) FROM blind_index WHERE kind = 1 AND token "
                                      ">= ?1 AND token < ?2;", &st) != SQLITE_OK ||
            sqlite3_bind_int64(st, 1, width_base(width)) != SQLITE_OK ||
            sqlite3_bind_int64(st, 2, width_base(width) + (pass == 0 ? ((int64_t)1 << width) / 64
                                                                     : (int64_t)1 << width)) !=
                SQLITE_OK ||
            sqlite3_step(st) != SQLITE_ROW) {
            council__finalize(c, st);
            return council__db_err(c, op);
        }
        part = sqlite3_column_int64(st, 0);
        council__finalize(c, st);
        st = NULL;
        if (pass == 0 && part >= 256) {
            *n = (uint64_t)part * 64;
            return COUNCIL_OK;
        }
    }
    *n = part > 0 ? (uint64_t)part : 0;
    return COUNCIL_OK;
}

int council__find_entries(council *c, const char *op, const council__blind_width *w,
                          uint64_t *entries)
{
    uint64_t a = 0, b = 0;
    int rc = count_width(c, op, w->width, &a);

    if (rc == COUNCIL_OK && w->old != 0)
        rc = count_width(c, op, w->old, &b);
    *entries = a + b;
    return rc;
}

/* ------------------------------------------------------------- the tokens */

/* The 32-bit token of a folded name (kind NAME), or of the folded name with a
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
        rc = council__blind_token32(c, t, COUNCIL__BLIND_NAME, (const uint8_t *)folded, strlen(folded));
    } else {
        size_t n = strlen(folded);
        char *both = council__malloc(n + 12);
        if (both == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "find: out of memory");
        } else {
            memcpy(both, folded, n);
            both[n] = '\n';
            memcpy(both + n + 1, date, 10);
            rc = council__blind_token32(c, t, COUNCIL__BLIND_NAME_BIRTH, (const uint8_t *)both, n + 11);
            sodium_memzero(both, n + 11);
            council__free(both);
        }
    }
    *set = rc == COUNCIL_OK;
    sodium_memzero(folded, strlen(folded));
    council__free(folded);
    return rc;
}

typedef struct person_tokens {
    int kind;
    uint32_t token; /* all 32 bits */
    bool set;
} person_tokens;

/* The four tokens of an identity: the name and its reading (kana), each
 * alone and with the birth date. */
static int identity_tokens(council *c, const Council__V1__Section *s, person_tokens t[4])
{
    int rc = COUNCIL_OK;

    for (int i = 0; i < 4; i++) {
        t[i].kind = (i & 1) ? COUNCIL__BLIND_NAME_BIRTH : COUNCIL__BLIND_NAME;
        t[i].token = 0;
        t[i].set = false;
    }
    for (int i = 0; rc == COUNCIL_OK && i < 4; i++) {
        const char *nm = i < 2 ? s->identity->name : s->identity->name_kana;
        const char *date = (i & 1) ? s->identity->birth_date : NULL;
        if (nm == NULL || ((i & 1) && date == NULL))
            continue;
        rc = name_token(c, nm, date, &t[i].token, &t[i].set);
    }
    return rc;
}

/* The tokens t, cut to `width`, find person (in case_id). */
static int insert_tokens(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                         const uint8_t person[COUNCIL_ID_BYTES], const person_tokens t[4],
                         unsigned width)
{
    int rc = COUNCIL_OK;

    for (int i = 0; rc == COUNCIL_OK && i < 4; i++) {
        sqlite3_stmt *st = NULL;
        if (!t[i].set)
            continue;
        if (council__prepare(c, "INSERT OR IGNORE INTO blind_index (kind, token, case_id, "
                                      "person_id) VALUES (?1, ?2, ?3, ?4);", &st) != SQLITE_OK ||
            sqlite3_bind_int(st, 1, t[i].kind) != SQLITE_OK ||
            sqlite3_bind_int64(st, 2, stored(t[i].token, width)) != SQLITE_OK ||
            sqlite3_bind_blob(st, 3, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_blob(st, 4, person, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_DONE)
            rc = council__db_err(c, op);
        council__finalize(c, st);
    }
    return rc;
}

/* Blind-index tokens of a person from an identity section: the name and
 * its reading (kana), each alone and with the birth date, at the width
 * new tokens are written with. */
int council__find_index_person(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                        const uint8_t person[COUNCIL_ID_BYTES], const uint8_t *sec, size_t len)
{
    Council__V1__Section *s = council__v1__section__unpack(council__pb_wiping_allocator(), len, sec);
    council__blind_width w;
    person_tokens t[4];
    int rc;

    if (s == NULL || s->identity == NULL) {
        if (s != NULL)
            council__v1__section__free_unpacked(s, council__pb_wiping_allocator());
        return council__fail(c, COUNCIL_EFORMAT, "%s: identity section does not parse", op);
    }
    rc = identity_tokens(c, s, t);
    council__v1__section__free_unpacked(s, council__pb_wiping_allocator());
    if (rc == COUNCIL_OK)
        rc = council__find_width(c, op, &w);
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
    if (rc == COUNCIL_OK)
        rc = insert_tokens(c, op, case_id, person, t, w.width);
    sodium_memzero(t, sizeof t);
    return rc;
}

/* ------------------------------------------------------------- rebuilding */

int council__find_old_cases(council *c, const char *op, unsigned old,
                            uint8_t (*ids)[COUNCIL_ID_BYTES], size_t max, size_t *n)
{
    sqlite3_stmt *st = NULL;
    int src = SQLITE_DONE;

    *n = 0;
    if (council__prepare(c, "SELECT DISTINCT case_id FROM blind_index WHERE (kind = 1 AND "
                                  "token >= ?1 AND token < ?2) OR (kind = 3 AND token >= ?1 AND "
                                  "token < ?2) LIMIT ?3;", &st) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, width_base(old)) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, width_base(old) + ((int64_t)1 << old)) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, (sqlite3_int64)max) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while (*n < max && (src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
            continue; /* not a case: the erasure's delete takes such rows */
        memcpy(ids[(*n)++], sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
    }
    council__finalize(c, st);
    if (src != SQLITE_DONE && src != SQLITE_ROW)
        return council__db_err(c, op);
    return COUNCIL_OK;
}

/* Who a person's name finds: itself, or the person it was merged into (in
 * turn), none (*found false) when that person is anonymous. */
#define MERGE_DEPTH_MAX 64
static int name_finds(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                      const uint8_t person[COUNCIL_ID_BYTES], uint8_t to[COUNCIL_ID_BYTES],
                      bool *found)
{
    council__person_st ps;
    int rc;

    *found = false;
    memcpy(to, person, COUNCIL_ID_BYTES);
    if ((rc = council__person_state(c, op, case_id, person, &ps)) != COUNCIL_OK)
        return rc;
    if (ps.anonymous)
        return COUNCIL_OK; /* never had tokens */
    for (int i = 0; ps.merged; i++) {
        if (i == MERGE_DEPTH_MAX)
            return council__fail(c, COUNCIL_ETAMPER, "%s: a chain of merged persons does not end", op);
        memcpy(to, ps.merged_into, COUNCIL_ID_BYTES);
        if ((rc = council__person_state(c, op, case_id, to, &ps)) != COUNCIL_OK)
            return rc;
    }
    *found = !ps.anonymous;
    return COUNCIL_OK;
}

/* One varint of p[*i..n): false when it does not fit. */
static bool varint(const uint8_t *p, size_t n, size_t *i, uint64_t *v)
{
    *v = 0;
    for (unsigned shift = 0; *i < n && shift < 64; shift += 7) {
        uint8_t b = p[(*i)++];
        *v |= (uint64_t)(b & 0x7f) << shift;
        if ((b & 0x80) == 0)
            return true;
    }
    return false;
}

int council__find_reindex_case(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES],
                               const uint8_t *recs, size_t len, unsigned width)
{
    size_t i = 0;
    int rc = council__sql_exec1(c, op, "DELETE FROM blind_index WHERE case_id = ?1;", case_id,
                                COUNCIL_ID_BYTES, NULL, 0);

    while (rc == COUNCIL_OK && i < len) {
        uint64_t tag = 0, n = 0;
        Council__V1__SectionRecord *r;
        uint8_t to[COUNCIL_ID_BYTES];
        person_tokens t[4];
        bool found = false;

        if (!varint(recs, len, &i, &tag) || tag != ((2 << 3) | 2) || !varint(recs, len, &i, &n) ||
            n > len - i)
            return council__fail(c, COUNCIL_ERROR, "%s: a section record does not parse", op);
        r = council__v1__section_record__unpack(council__pb_wiping_allocator(), (size_t)n, recs + i);
        i += (size_t)n;
        /* The records are this session's own, authenticated and packed a
         * moment ago: one that does not unpack is out of memory. */
        if (r == NULL)
            return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        if (r->person_id.len != COUNCIL_ID_BYTES || r->section == NULL ||
            r->section->identity == NULL) {
            council__v1__section_record__free_unpacked(r, council__pb_wiping_allocator());
            return council__fail(c, COUNCIL_EFORMAT, "%s: identity section does not parse", op);
        }
        rc = name_finds(c, op, case_id, r->person_id.data, to, &found);
        if (rc == COUNCIL_OK && found && (rc = identity_tokens(c, r->section, t)) == COUNCIL_OK)
            rc = insert_tokens(c, op, case_id, to, t, width);
        sodium_memzero(t, sizeof t);
        council__v1__section_record__free_unpacked(r, council__pb_wiping_allocator());
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

/* The index rows matching the name token nt (and, birth, the name-with-
 * birth-date token bt) at width w, appended to *hs: one statement, one
 * look-up of the primary key per token. */
static int match_rows(council *c, const char *op, unsigned w, uint32_t nt, uint32_t bt, bool birth,
                      hit **hs, size_t *n, size_t *cap)
{
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src;

    if (council__prepare(c, "SELECT person_id, kind FROM blind_index WHERE (kind = 1 AND "
                                  "token = ?1) OR (kind = 3 AND token = ?2);", &st) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, stored(nt, w)) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, birth ? stored(bt, w) : -1) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES)
            continue;
        if (*n == *cap) {
            hit *nh = council__grow(*hs, cap, *n, sizeof *nh);
            if (nh == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
                break;
            }
            *hs = nh;
        }
        memcpy((*hs)[*n].id, sqlite3_column_blob(st, 0), COUNCIL_ID_BYTES);
        (*hs)[*n].name = sqlite3_column_int(st, 1) == COUNCIL__BLIND_NAME;
        (*hs)[(*n)++].birth = sqlite3_column_int(st, 1) == COUNCIL__BLIND_NAME_BIRTH;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

/* The persons whose index rows match: the name token nt, and (birth) the
 * name-with-birth-date token bt too, at the width new tokens have and the
 * one a rebuild has not yet replaced, into *out sorted by id (council__
 * calloc'd, *n of them). Each says which tokens it has. EIO, ENOMEM. */
static int matching_persons(council *c, const char *op, const council__blind_width *w, uint32_t nt,
                            uint32_t bt, bool birth, hit **out, size_t *n)
{
    hit *hs = NULL;
    size_t cap = 0, rows = 0;
    int rc;

    *out = NULL;
    *n = 0;
    rc = match_rows(c, op, w->width, nt, bt, birth, &hs, &rows, &cap);
    if (rc == COUNCIL_OK && w->old != 0)
        rc = match_rows(c, op, w->old, nt, bt, birth, &hs, &rows, &cap);
    if (rc != COUNCIL_OK) {
        council__free(hs);
        return rc;
    }
    if (rows > 1)
        qsort(hs, rows, sizeof *hs, cmp_hit);
    /* One entry a person, what matched or'ed; both given: both must match. */
    for (size_t i = 0; i < rows;) {
        hit h = hs[i];
        for (i++; i < rows && memcmp(hs[i].id, h.id, COUNCIL_ID_BYTES) == 0; i++) {
            h.name = h.name || hs[i].name;
            h.birth = h.birth || hs[i].birth;
        }
        if (h.name && (!birth || h.birth))
            hs[(*n)++] = h;
    }
    *out = hs;
    return COUNCIL_OK;
}

int council_case_find(council *c, council_buf *out, const char *name, const char *birth_date)
{
    static const char op[] = "case_find";
    Council__V1__CaseMatches res = COUNCIL__V1__CASE_MATCHES__INIT;
    Council__V1__CaseMatch *items = NULL, **ptrs = NULL;
    uint32_t nt = 0, bt = 0;
    council__blind_width w;
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
    /* A forged width is refused before anything is found (ETAMPER, on the
     * record as a tamper finding). */
    if ((rc = council__find_width(c, op, &w)) != COUNCIL_OK)
        return rc;
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
    if ((rc = matching_persons(c, op, &w, nt, bt, birth_date != NULL, &hits, &n_hits)) == COUNCIL_OK &&
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
