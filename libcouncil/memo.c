/*
 * memo.c - sealed memos: the tables memo and memo_wrap (memo.h says what
 * a memo is and who reads it). Every SQL statement on those tables is here.
 */
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "crypto.h"
#include "event.h"
#include "sql.h"
#include "attest.h"
#include "keydir.h"
#include "member_db.h"
#include "casekey.h"
#include "memo.h"
#include "store.h"

/* The version of a memo key in its wraps' binding: data keys start at 1,
 * so a memo's copy never opens as a data key's, nor the other way round. */
#define MEMO_VERSION 0u

/* What the memo's signature and its text's associated data bind:
 *     "council/memo/v1\0" || council id || memo id || u8(len) || kind
 *     || object || case id (zeros if none) || u64be(created)
 * and, for the signature only, BLAKE2b-256(nonce || ciphertext). */
#define BIND_MAX (16 + 16 * 4 + 1 + COUNCIL__AUDIT_CODE_MAX + 8 + 32)

static size_t memo_bind(const council *c, uint8_t out[BIND_MAX], const uint8_t id[COUNCIL_ID_BYTES],
                        const char *kind, const uint8_t object[COUNCIL_ID_BYTES],
                        const uint8_t *case_id, int64_t created, const uint8_t *digest)
{
    static const uint8_t label[16] = "council/memo/v1";
    static const uint8_t zero[COUNCIL_ID_BYTES];
    size_t n = strlen(kind);
    uint8_t *p = out;

    p = council__put_bytes(p, label, sizeof label);
    p = council__put_bytes(p, c->council_id, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, id, COUNCIL_ID_BYTES);
    *p++ = (uint8_t)n;
    p = council__put_bytes(p, kind, n); /* n <= 64: checked by the callers */
    p = council__put_bytes(p, object, COUNCIL_ID_BYTES);
    p = council__put_bytes(p, case_id != NULL ? case_id : zero, COUNCIL_ID_BYTES);
    p = council__put_u64(p, (uint64_t)created);
    if (digest != NULL)
        p = council__put_bytes(p, digest, 32);
    return (size_t)(p - out);
}

static void ct_digest(uint8_t out[32], const uint8_t *nonce, size_t nonce_len, const uint8_t *ct,
                      size_t ct_len)
{
    crypto_generichash_state h;

    crypto_generichash_init(&h, NULL, 0, 32);
    crypto_generichash_update(&h, nonce, nonce_len);
    crypto_generichash_update(&h, ct, ct_len);
    crypto_generichash_final(&h, out, 32);
}

/* ------------------------------------------------------------ copies */

static int put_copy(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES], const char *kind,
                    const uint8_t holder[COUNCIL_ID_BYTES], const uint8_t pk[32],
                    const council__secret *key)
{
    uint8_t sealed[COUNCIL__WRAP_BYTES], tag[32];
    sqlite3_stmt *st = NULL;
    int rc = council__wrap(c, sealed, id, kind, MEMO_VERSION, key, pk);

    if (rc != COUNCIL_OK)
        return rc;
    council__holder_tag(c, tag, id, kind, MEMO_VERSION, holder, pk, key);
    if (council__prepare(c, "INSERT OR REPLACE INTO memo_wrap (memo_id, holder, box_pk, "
                                  "sealed, tag) VALUES (?1, ?2, ?3, ?4, ?5);", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, holder, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, pk, 32, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, sealed, sizeof sealed, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 5, tag, sizeof tag, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot store a memo's key", op);
    council__finalize(c, st);
    return rc;
}

/* A reader: active, with a box key the directory signs. */
static int reader_pk(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES],
                     uint8_t pk[32])
{
    bool found = false;
    int rc = council__member_box_pk(c, op, member, pk, &found);

    if (rc != COUNCIL_OK)
        return rc;
    if (!found)
        return council__fail(c, COUNCIL_EDENIED, "%s: the member is withdrawn or has no keys", op);
    if ((rc = council__member_key_check(c, op, member, pk)) == COUNCIL_EAUTH)
        return council__fail(c, COUNCIL_EAUTH, "%s: the member's key is not signed by the "
                             "council", op);
    return rc;
}

int council__memo_seal(council *c, const char *op, uint8_t id[COUNCIL_ID_BYTES], const char *kind,
                       const uint8_t object[COUNCIL_ID_BYTES], const uint8_t *case_id,
                       const uint8_t (*readers)[COUNCIL_ID_BYTES], size_t n_readers,
                       const uint8_t *text, size_t len)
{
    council__secret key = { NULL, 0 };
    uint8_t nonce[COUNCIL__NONCE_BYTES], ad[BIND_MAX], m[BIND_MAX], digest[32];
    uint8_t signer[COUNCIL_ID_BYTES], sig[64], pk[32];
    uint8_t *ct = NULL;
    size_t ct_len = len + COUNCIL__TAG_BYTES, adn, mn;
    int64_t now = (int64_t)time(NULL);
    sqlite3_stmt *st = NULL;
    int rc;

    if (!council__audit_code_ok(kind) || text == NULL || len == 0 || len > COUNCIL__MEMO_MAX ||
        (n_readers > 0 && readers == NULL) || n_readers > COUNCIL__MEMO_READERS_MAX)
        return council__fail(c, COUNCIL_EINVAL, "%s: a memo of 1 to %u bytes for at most %u "
                             "readers", op, (unsigned)COUNCIL__MEMO_MAX,
                             (unsigned)COUNCIL__MEMO_READERS_MAX);
    if (!c->coord_valid)
        return council__fail(c, COUNCIL_EUNSUPPORTED, "%s: the coordinating body's key is missing "
                             "or not signed by the council (open the store as the secretariat)", op);
    for (size_t i = 0; i < n_readers; i++)
        if ((rc = reader_pk(c, op, readers[i], pk)) != COUNCIL_OK)
            return rc;
    council__uuid_random(id);
    if ((rc = council__secret_alloc(&key, COUNCIL__KEY_BYTES)) != COUNCIL_OK)
        return council__fail(c, rc, "%s: out of secure memory", op);
    randombytes_buf(key.p, key.len);
    council__secret_lock(&key);
    if ((ct = council__malloc(ct_len)) == NULL) {
        council__secret_free(&key);
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    randombytes_buf(nonce, sizeof nonce);
    adn = memo_bind(c, ad, id, kind, object, case_id, now, NULL);
    council__secret_read(&key);
    rc = council__aead_seal(c, ct, ct_len, text, len, ad, adn, nonce, key.p);
    council__secret_lock(&key);
    if (rc == COUNCIL_OK) {
        ct_digest(digest, nonce, sizeof nonce, ct, ct_len);
        mn = memo_bind(c, m, id, kind, object, case_id, now, digest);
        rc = council__attest_sign(c, "memo", m, mn, signer, sig);
    }
    if (rc == COUNCIL_OK &&
        (council__prepare(c, "INSERT INTO memo (id, kind, object_id, case_id, created, "
                                   "nonce, ct, signer, sig) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                                   "?8, ?9);", &st) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 3, object, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         (case_id != NULL ? sqlite3_bind_blob(st, 4, case_id, COUNCIL_ID_BYTES, SQLITE_STATIC)
                          : sqlite3_bind_null(st, 4)) != SQLITE_OK ||
         sqlite3_bind_int64(st, 5, now) != SQLITE_OK ||
         sqlite3_bind_blob(st, 6, nonce, sizeof nonce, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 7, ct, (int)ct_len, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 8, signer, sizeof signer, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 9, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__fail(c, COUNCIL_EIO, "%s: cannot store a memo", op);
    council__finalize(c, st);
    council__free(ct);
    if (rc == COUNCIL_OK)
        rc = put_copy(c, op, id, kind, council__coord_holder(), c->coord_pk, &key);
    if (rc == COUNCIL_OK && c->actor_kind == COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_STAFF &&
        c->actor_box_sk.p != NULL)
        rc = put_copy(c, op, id, kind, c->actor_member, c->actor_box_pk, &key);
    for (size_t i = 0; rc == COUNCIL_OK && i < n_readers; i++)
        if ((rc = reader_pk(c, op, readers[i], pk)) == COUNCIL_OK)
            rc = put_copy(c, op, id, kind, readers[i], pk, &key);
    council__secret_free(&key);
    return rc;
}

/* ------------------------------------------------------------ opening */

typedef struct memo_row {
    char kind[COUNCIL__AUDIT_CODE_MAX + 1];
    uint8_t object[COUNCIL_ID_BYTES], case_id[COUNCIL_ID_BYTES];
    bool has_case;
    int64_t created;
    uint8_t nonce[COUNCIL__NONCE_BYTES];
    uint8_t *ct;
    size_t ct_len;
} memo_row;

static void row_free(memo_row *r)
{
    council__free(r->ct);
    r->ct = NULL;
}

/* Load and check memo id's row: ENOTFOUND, ETAMPER (a finding logged) for
 * a row whose signature fails, EIO, ENOMEM. */
static int row_load(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES], memo_row *r)
{
    uint8_t m[BIND_MAX], digest[32];
    sqlite3_stmt *st = NULL;
    const unsigned char *kind;
    int rc = COUNCIL_OK, src;
    size_t mn;

    memset(r, 0, sizeof *r);
    if (council__prepare(c, "SELECT kind, object_id, case_id, created, nonce, ct, signer, "
                                  "sig FROM memo WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    if ((src = sqlite3_step(st)) != SQLITE_ROW) {
        council__finalize(c, st);
        return src == SQLITE_DONE ? council__fail(c, COUNCIL_ENOTFOUND, "%s: no such memo", op)
                                  : council__db_err(c, op);
    }
    kind = sqlite3_column_text(st, 0);
    if (kind == NULL || !council__audit_code_ok((const char *)kind) ||
        sqlite3_column_bytes(st, 1) != COUNCIL_ID_BYTES ||
        (sqlite3_column_type(st, 2) != SQLITE_NULL && sqlite3_column_bytes(st, 2) != COUNCIL_ID_BYTES) ||
        sqlite3_column_type(st, 3) != SQLITE_INTEGER ||
        sqlite3_column_bytes(st, 4) != COUNCIL__NONCE_BYTES ||
        sqlite3_column_bytes(st, 5) <= COUNCIL__TAG_BYTES ||
        (size_t)sqlite3_column_bytes(st, 5) > COUNCIL__MEMO_MAX + COUNCIL__TAG_BYTES) {
        rc = COUNCIL_ETAMPER;
    } else {
        strcpy(r->kind, (const char *)kind);
        memcpy(r->object, sqlite3_column_blob(st, 1), COUNCIL_ID_BYTES);
        r->has_case = sqlite3_column_type(st, 2) != SQLITE_NULL;
        if (r->has_case)
            memcpy(r->case_id, sqlite3_column_blob(st, 2), COUNCIL_ID_BYTES);
        r->created = sqlite3_column_int64(st, 3);
        memcpy(r->nonce, sqlite3_column_blob(st, 4), COUNCIL__NONCE_BYTES);
        r->ct_len = (size_t)sqlite3_column_bytes(st, 5);
        if ((r->ct = council__malloc(r->ct_len)) == NULL) {
            council__finalize(c, st);
            return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
        }
        memcpy(r->ct, sqlite3_column_blob(st, 5), r->ct_len);
        ct_digest(digest, r->nonce, sizeof r->nonce, r->ct, r->ct_len);
        mn = memo_bind(c, m, id, r->kind, r->object, r->has_case ? r->case_id : NULL, r->created,
                       digest);
        if (council__attest_check(c, "memo", m, mn, sqlite3_column_blob(st, 6),
                                  (size_t)sqlite3_column_bytes(st, 6), sqlite3_column_blob(st, 7),
                                  (size_t)sqlite3_column_bytes(st, 7)) != COUNCIL_OK)
            rc = COUNCIL_ETAMPER;
    }
    council__finalize(c, st);
    if (rc == COUNCIL_ETAMPER) {
        const uint8_t *cid = r->has_case ? r->case_id : NULL;
        row_free(r);
        if ((rc = council__tamper(c, cid, NULL, NULL, "forged_memo")) != COUNCIL_OK)
            return rc;
        return council__fail(c, COUNCIL_ETAMPER, "%s: a memo's row is not signed by the council "
                             "or a member (changed outside the library)", op);
    }
    return COUNCIL_OK;
}

/* The memo key through the session's own copy: EDENIED without one,
 * EAUTH when it does not open, ETAMPER when its tag does not vouch. */
static int key_open(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                    const char *kind, const uint8_t *case_id, council__secret *key)
{
    const uint8_t *holder = NULL, *pk = NULL;
    const council__secret *sk = NULL;
    sqlite3_stmt *st = NULL;
    int rc, src;

    if ((rc = council__actor_key(c, &holder, &pk, &sk)) != COUNCIL_OK)
        return rc;
    if (council__prepare(c, "SELECT sealed, tag FROM memo_wrap WHERE memo_id = ?1 AND "
                                  "holder = ?2 AND box_pk = ?3;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, holder, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, pk, 32, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    if ((src = sqlite3_step(st)) != SQLITE_ROW) {
        council__finalize(c, st);
        return src == SQLITE_DONE ? council__fail(c, COUNCIL_EDENIED, "%s: this session holds no "
                                                  "copy of the memo", op)
                                  : council__db_err(c, op);
    }
    rc = council__unwrap(c, key, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                         id, kind, MEMO_VERSION, pk, sk);
    if (rc == COUNCIL_OK &&
        !council__holder_tag_ok(c, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1),
                                id, kind, MEMO_VERSION, holder, pk, key)) {
        council__secret_free(key);
        council__finalize(c, st);
        if ((rc = council__tamper(c, case_id, NULL, NULL, "forged_memo")) != COUNCIL_OK)
            return rc;
        return council__fail(c, COUNCIL_ETAMPER, "%s: a memo's copy was changed outside the "
                             "library", op);
    }
    council__finalize(c, st);
    if (rc != COUNCIL_OK)
        return council__fail(c, COUNCIL_EAUTH, "%s: the memo's key does not open", op);
    return COUNCIL_OK;
}

/* The row of id, checked against what the caller expects (kind, object
 * and case), and its key. */
static int memo_load(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                     const char *kind, const uint8_t object[COUNCIL_ID_BYTES],
                     const uint8_t *case_id, memo_row *r, council__secret *key)
{
    int rc;

    if (!council__audit_code_ok(kind))
        return council__fail(c, COUNCIL_EINVAL, "%s: bad memo kind", op);
    if ((rc = row_load(c, op, id, r)) != COUNCIL_OK)
        return rc;
    if (strcmp(r->kind, kind) != 0 || sodium_memcmp(r->object, object, COUNCIL_ID_BYTES) != 0 ||
        r->has_case != (case_id != NULL) ||
        (case_id != NULL && sodium_memcmp(r->case_id, case_id, COUNCIL_ID_BYTES) != 0)) {
        row_free(r);
        if ((rc = council__tamper(c, case_id, NULL, NULL, "forged_memo")) != COUNCIL_OK)
            return rc;
        return council__fail(c, COUNCIL_ETAMPER, "%s: the memo belongs to something else "
                             "(changed outside the library)", op);
    }
    if ((rc = key_open(c, op, id, kind, case_id, key)) != COUNCIL_OK)
        row_free(r);
    return rc;
}

int council__memo_open(council *c, const char *op, council_buf *out,
                       const uint8_t id[COUNCIL_ID_BYTES], const char *kind,
                       const uint8_t object[COUNCIL_ID_BYTES], const uint8_t *case_id)
{
    council__secret key = { NULL, 0 };
    uint8_t ad[BIND_MAX];
    memo_row r;
    size_t adn, len;
    uint8_t *pt;
    int rc;

    if ((rc = memo_load(c, op, id, kind, object, case_id, &r, &key)) != COUNCIL_OK)
        return rc;
    len = r.ct_len - COUNCIL__TAG_BYTES;
    if ((pt = council__malloc(len + 1)) == NULL) {
        row_free(&r);
        council__secret_free(&key);
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    adn = memo_bind(c, ad, id, r.kind, r.object, r.has_case ? r.case_id : NULL, r.created, NULL);
    council__secret_read(&key);
    rc = council__aead_open(c, pt, len, r.ct, r.ct_len, ad, adn, r.nonce, key.p);
    council__secret_lock(&key);
    council__secret_free(&key);
    row_free(&r);
    if (rc != COUNCIL_OK) {
        sodium_memzero(pt, len + 1);
        council__free(pt);
        return council__fail(c, COUNCIL_EAUTH, "%s: the memo does not open", op);
    }
    pt[len] = 0;
    out->ptr = pt;
    out->len = len;
    return COUNCIL_OK;
}

int council__memo_reader(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                         const uint8_t member[COUNCIL_ID_BYTES], bool *yes)
{
    council__secret key = { NULL, 0 };
    sqlite3_stmt *st = NULL;
    memo_row r;
    int rc, src;

    *yes = false;
    if ((rc = row_load(c, op, id, &r)) != COUNCIL_OK)
        return rc;
    rc = key_open(c, op, id, r.kind, r.has_case ? r.case_id : NULL, &key);
    if (rc == COUNCIL_OK &&
        (council__prepare(c, "SELECT box_pk, tag FROM memo_wrap WHERE memo_id = ?1 AND "
                                   "holder = ?2;", &st) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK))
        rc = council__db_err(c, op);
    if (rc == COUNCIL_OK) {
        if ((src = sqlite3_step(st)) == SQLITE_ROW)
            *yes = sqlite3_column_bytes(st, 0) == 32 &&
                   council__holder_tag_ok(c, sqlite3_column_blob(st, 1),
                                          (size_t)sqlite3_column_bytes(st, 1), id, r.kind,
                                          MEMO_VERSION, member, sqlite3_column_blob(st, 0), &key);
        else if (src != SQLITE_DONE)
            rc = council__db_err(c, op);
    }
    council__finalize(c, st);
    council__secret_free(&key);
    row_free(&r);
    return rc;
}

int council__memo_grant(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                        const uint8_t member[COUNCIL_ID_BYTES])
{
    council__secret key = { NULL, 0 };
    uint8_t pk[32];
    memo_row r;
    int rc;

    if ((rc = row_load(c, op, id, &r)) != COUNCIL_OK)
        return rc;
    rc = key_open(c, op, id, r.kind, r.has_case ? r.case_id : NULL, &key);
    if (rc == COUNCIL_OK)
        rc = reader_pk(c, op, member, pk);
    if (rc == COUNCIL_OK)
        rc = put_copy(c, op, id, r.kind, member, pk, &key);
    council__secret_free(&key);
    row_free(&r);
    return rc;
}

int council__memo_drop(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                       const uint8_t member[COUNCIL_ID_BYTES])
{
    return council__sql_exec1(c, op, "DELETE FROM memo_wrap WHERE memo_id = ?1 AND holder = ?2;",
                              id, COUNCIL_ID_BYTES, member, COUNCIL_ID_BYTES);
}

int council__memo_erase_case(council *c, const char *op, const uint8_t case_id[COUNCIL_ID_BYTES])
{
    int rc = council__sql_exec1(c, op, "DELETE FROM memo_wrap WHERE memo_id IN (SELECT id FROM "
                                "memo WHERE case_id = ?1);", case_id, COUNCIL_ID_BYTES, NULL, 0);

    if (rc == COUNCIL_OK)
        rc = council__sql_exec1(c, op, "DELETE FROM memo WHERE case_id = ?1;", case_id,
                                COUNCIL_ID_BYTES, NULL, 0);
    return rc;
}

int council__memo_member_left(council *c, const char *op, const uint8_t member[COUNCIL_ID_BYTES])
{
    return council__sql_exec1(c, op, "DELETE FROM memo_wrap WHERE holder = ?1;", member,
                              COUNCIL_ID_BYTES, NULL, 0);
}

/* Each memo copy of holder under from_pk, opened through the coordinating
 * body's copy (the session holds its key), sealed again to to_pk when the
 * old copy's tag vouches for it. */
static int reseal(council *c, const char *op, const uint8_t holder[COUNCIL_ID_BYTES],
                  const uint8_t *from_pk, const uint8_t to_pk[32])
{
    const uint8_t *ch = NULL, *cpk = NULL;
    const council__secret *csk = NULL;
    sqlite3_stmt *st = NULL;
    int rc, src = SQLITE_DONE;

    if ((rc = council__actor_key(c, &ch, &cpk, &csk)) != COUNCIL_OK)
        return rc;
    if (memcmp(ch, council__coord_holder(), COUNCIL_ID_BYTES) != 0)
        return council__fail(c, COUNCIL_EDENIED, "%s: only the secretariat seals memos again", op);
    if (council__prepare(c, "SELECT w.memo_id, m.kind, m.case_id, w.box_pk, w.tag, c.sealed "
                                  "FROM memo_wrap w JOIN memo m ON m.id = w.memo_id "
                                  "JOIN memo_wrap c ON c.memo_id = w.memo_id AND c.holder = ?2 "
                                  "AND c.box_pk = ?3 WHERE w.holder = ?1 AND w.box_pk != ?5 AND "
                                  "(?4 IS NULL OR w.box_pk = ?4);", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, holder, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, ch, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, cpk, 32, SQLITE_STATIC) != SQLITE_OK ||
        (from_pk != NULL ? sqlite3_bind_blob(st, 4, from_pk, 32, SQLITE_STATIC)
                         : sqlite3_bind_null(st, 4)) != SQLITE_OK ||
        sqlite3_bind_blob(st, 5, to_pk, 32, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while (rc == COUNCIL_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        council__secret key = { NULL, 0 };
        uint8_t id[COUNCIL_ID_BYTES], cid[COUNCIL_ID_BYTES];
        const unsigned char *kind = sqlite3_column_text(st, 1);
        bool has_case = sqlite3_column_bytes(st, 2) == COUNCIL_ID_BYTES;
        char k[COUNCIL__AUDIT_CODE_MAX + 1];

        if (sqlite3_column_bytes(st, 0) != COUNCIL_ID_BYTES || kind == NULL ||
            !council__audit_code_ok((const char *)kind) || sqlite3_column_bytes(st, 3) != 32)
            continue;
        memcpy(id, sqlite3_column_blob(st, 0), sizeof id);
        strcpy(k, (const char *)kind);
        if (has_case)
            memcpy(cid, sqlite3_column_blob(st, 2), sizeof cid);
        if (council__unwrap(c, &key, sqlite3_column_blob(st, 5), (size_t)sqlite3_column_bytes(st, 5),
                            id, k, MEMO_VERSION, cpk, csk) != COUNCIL_OK) {
            council__clear(c);
            continue;
        }
        if (!council__holder_tag_ok(c, sqlite3_column_blob(st, 4), (size_t)sqlite3_column_bytes(st, 4),
                                    id, k, MEMO_VERSION, holder, sqlite3_column_blob(st, 3), &key))
            rc = council__tamper(c, has_case ? cid : NULL, NULL,
                                 memcmp(holder, council__coord_holder(), COUNCIL_ID_BYTES) != 0
                                     ? holder : NULL, "forged_memo");
        else
            rc = put_copy(c, op, id, k, holder, to_pk, &key);
        council__secret_free(&key);
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

int council__memo_member_rekeyed(council *c, const uint8_t member[COUNCIL_ID_BYTES],
                                 const uint8_t box_pk[32])
{
    int rc = reseal(c, "member_key", member, NULL, box_pk);

    /* The copies under the member's old key go (it holds that key no more). */
    if (rc == COUNCIL_OK)
        rc = council__sql_exec1(c, "member_key", "DELETE FROM memo_wrap WHERE holder = ?1 AND "
                                "box_pk != ?2;", member, COUNCIL_ID_BYTES, box_pk, 32);
    return rc;
}

int council__memo_coord_rewrap(council *c, const uint8_t new_pk[32])
{
    const uint8_t *ch = NULL, *cpk = NULL;
    const council__secret *csk = NULL;
    int rc;

    if ((rc = council__actor_key(c, &ch, &cpk, &csk)) != COUNCIL_OK)
        return rc;
    (void)csk;
    /* Beside the old copies: a copy is keyed by (memo, holder, box key). */
    return reseal(c, "rekey_root", ch, cpk, new_pk);
}

int council__memo_coord_tidy(council *c)
{
    if (!c->coord_valid || c->actor_kind != COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT)
        return COUNCIL_OK;
    return council__sql_exec1(c, "keys", "DELETE FROM memo_wrap WHERE holder = ?1 AND "
                              "box_pk != ?2;", council__coord_holder(), COUNCIL_ID_BYTES,
                              c->coord_pk, 32);
}

int council__memo_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES])
{
    uint8_t (*ids)[COUNCIL_ID_BYTES] = NULL;
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    int rc;

    if (council__prepare(c, "SELECT id FROM memo WHERE signer = ?1;", &st) !=
            SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, "keys");
    }
    if ((rc = council__sql_ids(c, "keys", st, &ids, &n)) != COUNCIL_OK)
        return rc;
    /* A row that checks with the key about to go is signed again by the
     * council; a forged one stays as it is (refused when met). */
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        uint8_t m[BIND_MAX], digest[32], signer[COUNCIL_ID_BYTES], sig[64];
        sqlite3_stmt *up = NULL;
        memo_row r;
        size_t mn;

        if ((rc = row_load(c, "keys", ids[i], &r)) != COUNCIL_OK) {
            if (rc == COUNCIL_ETAMPER) {
                council__clear(c);
                rc = COUNCIL_OK;
            }
            continue;
        }
        ct_digest(digest, r.nonce, sizeof r.nonce, r.ct, r.ct_len);
        mn = memo_bind(c, m, ids[i], r.kind, r.object, r.has_case ? r.case_id : NULL, r.created,
                       digest);
        row_free(&r);
        if ((rc = council__attest_sign(c, "memo", m, mn, signer, sig)) != COUNCIL_OK)
            break;
        if (council__prepare(c, "UPDATE memo SET signer = ?1, sig = ?2 WHERE id = ?3;",
                               &up) != SQLITE_OK ||
            sqlite3_bind_blob(up, 1, signer, sizeof signer, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_blob(up, 2, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_blob(up, 3, ids[i], COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_step(up) != SQLITE_DONE)
            rc = council__db_err(c, "keys");
        council__finalize(c, up);
    }
    council__free(ids);
    return rc;
}
