/*
 * node_item.c - the items a member node holds: each sealed under a random
 * key of its own (XChaCha20-Poly1305), that key wrapped under the node's
 * item key (a subkey of its root), both bound to the item's id, kind and
 * case; listed without content; read with the read logged first; refused
 * and deleted once expired; deleted by a revocation; and the node's info.
 */
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/node.pb-c.h"
#include "council_int.h"
#include "buf.h"
#include "crypto.h"
#include "event.h"
#include "log.h"
#include "note.h"
#include "sql.h"
#include "node.h"
#include "store.h"

static const char item_ad[] = "libcouncil node item v1";

static int count_rows(council_node *n, const char *sql, uint64_t *out)
{
    sqlite3_stmt *st = NULL;
    int src;

    if (council__prepare(n->c, sql, &st) != SQLITE_OK)
        return council__db_err(n->c, "node_info");
    src = sqlite3_step(st);
    *out = src == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
    council__finalize(n->c, st);
    return src == SQLITE_ROW ? COUNCIL_OK : council__db_err(n->c, "node_info");
}

int council_node_info(council_node *n, council_buf *out)
{
    Council__V1__NodeInfo m = COUNCIL__V1__NODE_INFO__INIT;
    char origin[COUNCIL__ORIGIN_MAX], log_vkey[256], wit_vkey[256], cl_vkey[256];
    uint8_t reply[32];
    bool known = false;
    char *note = NULL;
    int rc;

    if (!council__node_ok(n) || out == NULL)
        return n != NULL && n->c != NULL
                   ? council__fail(n->c, COUNCIL_EMISUSE, "node_info: bad handle or NULL out")
                   : COUNCIL_EMISUSE;
    out->ptr = NULL;
    out->len = 0;
    council__log_origin(origin, n->c->council_id);
    if (council__vkey_format(log_vkey, sizeof log_vkey, origin, COUNCIL__SIG_ED25519,
                             n->c->log_pk) != COUNCIL_OK ||
        council__vkey_format(wit_vkey, sizeof wit_vkey, n->witness_name, COUNCIL__SIG_COSIGN,
                             n->witness_pk) != COUNCIL_OK ||
        council__node_council_vkey(n, cl_vkey, sizeof cl_vkey) != COUNCIL_OK)
        return council__fail(n->c, COUNCIL_ERROR, "node_info: cannot format the keys");
    m.node_id.data = n->c->council_id;
    m.node_id.len = 16;
    m.member_id.data = n->member_id;
    m.member_id.len = 16;
    m.council_id.data = n->council_id;
    m.council_id.len = 16;
    m.node_log_vkey = log_vkey;
    m.witness_vkey = wit_vkey;
    m.witness_name = n->witness_name;
    m.council_log_key.data = n->council_log_pk;
    m.council_log_key.len = 32;
    m.council_log_vkey = cl_vkey;
    if ((rc = council__node_reply_key(n, reply, &known)) != COUNCIL_OK ||
        (rc = count_rows(n, "SELECT count(*) FROM node_item;", &m.items)) != COUNCIL_OK ||
        (rc = council__audit_size(n->c, &m.log_size)) != COUNCIL_OK ||
        (rc = council__node_checkpoint_get(n, &note, &m.checkpoint_size)) != COUNCIL_OK)
        return rc;
    council__free(note);
    m.reply_key_known = known;
    rc = council__pack_out(n->c, "node_info", out, &m.base);
    if (rc == COUNCIL_OK)
        council__clear(n->c);
    return rc;
}

/* ------------------------------------------------------------------ items */

/* What an item's seal is bound to: its id, kind, case, object, expiry and
 * scopes (a row edited to outlive its expiry or to escape a revocation by
 * another scope name no longer opens). */
static void item_ad_make(uint8_t *ad, const uint8_t id[16], const char *kind,
                         const uint8_t *case_id, const uint8_t *object_id, int64_t expires,
                         const char *scopes, size_t *len)
{
    static const uint8_t none[16];
    uint8_t *p = ad;
    size_t k = strlen(kind);

    p = council__put_bytes(p, item_ad, sizeof item_ad);
    p = council__put_bytes(p, id, 16);
    p = council__put_u32(p, (uint32_t)k);
    p = council__put_bytes(p, kind, k);
    p = council__put_bytes(p, case_id != NULL ? case_id : none, 16);
    p = council__put_bytes(p, object_id != NULL ? object_id : none, 16);
    p = council__put_u64(p, (uint64_t)expires);
    crypto_generichash(p, 32, (const uint8_t *)scopes, strlen(scopes), NULL, 0);
    p += 32;
    *len = (size_t)(p - ad);
}

#define ITEM_AD_MAX (sizeof item_ad + 16 + 4 + 32 + 16 + 16 + 8 + 32)

static char *scopes_join(const char *const *scopes, size_t n)
{
    size_t len = 1;
    char *s;

    for (size_t i = 0; i < n; i++)
        len += strlen(scopes[i]) + 1;
    if ((s = council__malloc(len)) == NULL)
        return NULL;
    s[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            strcat(s, " ");
        strcat(s, scopes[i]);
    }
    return s;
}

int council__node_item_put(council_node *n, const council__node_item *it, uint8_t id[16])
{
    uint8_t ik[32], wrap[24 + 32 + 16], nonce[24], ad[ITEM_AD_MAX], *ct = NULL;
    size_t ad_len, ct_len;
    sqlite3_stmt *st = NULL;
    char *scopes = NULL;
    int rc, src;

    if (strlen(it->kind) > 32 || it->n_scopes > COUNCIL__AUDIT_SCOPES_MAX)
        return council__fail(n->c, COUNCIL_EINVAL, "node_import: bad item");
    for (size_t i = 0; i < it->n_scopes; i++)
        if (!council__audit_code_ok(it->scopes[i]))
            return council__fail(n->c, COUNCIL_EFORMAT, "node_import: a scope is not a code");
    council__uuid_random(id);
    ct_len = it->content_len + COUNCIL__TAG_BYTES;
    if ((ct = council__malloc(ct_len)) == NULL || (scopes = scopes_join(it->scopes, it->n_scopes)) == NULL) {
        council__free(ct);
        return council__fail(n->c, COUNCIL_ENOMEM, "node_import: out of memory");
    }
    /* The content under a random key of its own; that key wrapped under the
     * node's item key; both bound to the item's id, kind and case. */
    crypto_aead_xchacha20poly1305_ietf_keygen(ik);
    randombytes_buf(nonce, sizeof nonce);
    randombytes_buf(wrap, 24);
    item_ad_make(ad, id, it->kind, it->case_id, it->object_id, it->expires, scopes, &ad_len);
    rc = council__aead_seal(n->c, ct, ct_len, it->content, it->content_len, ad, ad_len, nonce, ik);
    if (rc == COUNCIL_OK) {
        council__secret_read(&n->item_kek);
        rc = council__aead_seal(n->c, wrap + 24, 32 + 16, ik, 32, ad, ad_len, wrap, n->item_kek.p);
        council__secret_lock(&n->item_kek);
    }
    sodium_memzero(ik, sizeof ik);
    if (rc != COUNCIL_OK)
        goto out;
    if (council__prepare(n->c,
                           "INSERT INTO node_item (id, kind, case_id, person_id, object_id, scopes, "
                           "bundle_hash, imported, expires, wrapped_key, nonce, ct, created) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);", &st) != SQLITE_OK) {
        rc = council__db_err(n->c, "node_import");
        goto out;
    }
    sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, it->kind, -1, SQLITE_STATIC);
    if (it->case_id != NULL)
        sqlite3_bind_blob(st, 3, it->case_id, 16, SQLITE_STATIC);
    if (it->person_id != NULL)
        sqlite3_bind_blob(st, 4, it->person_id, 16, SQLITE_STATIC);
    if (it->object_id != NULL)
        sqlite3_bind_blob(st, 5, it->object_id, 16, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, scopes, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 7, it->bundle_hash, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)time(NULL));
    sqlite3_bind_int64(st, 9, it->expires);
    sqlite3_bind_blob(st, 10, wrap, sizeof wrap, SQLITE_STATIC);
    sqlite3_bind_blob(st, 11, nonce, sizeof nonce, SQLITE_STATIC);
    sqlite3_bind_blob(st, 12, ct, (int)ct_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 13, (sqlite3_int64)it->created);
    src = sqlite3_step(st);
    council__finalize(n->c, st);
    if (src != SQLITE_DONE)
        rc = council__db_err(n->c, "node_import");
out:
    council__free(ct);
    council__free(scopes);
    return rc;
}

int council__node_item_delete(council_node *n, const uint8_t id[16], const uint8_t *case_id,
                              const char *reason)
{
    int rc = council__node_event(n, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_NODE_CONTENT_DELETED,
                                 COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED, 0, reason, id,
                                 NULL, case_id, NULL, 0);

    if (rc != COUNCIL_OK)
        return rc;
    return council__sql_exec1(n->c, "node", "DELETE FROM node_item WHERE id = ?1;", id,
                              COUNCIL_ID_BYTES, NULL, 0);
}

/* One row's clear columns into a NodeItem (strings and blobs dup'd). */
#define ITEM_COLS "id, kind, case_id, person_id, object_id, scopes, bundle_hash, imported, expires"

static void item_free(Council__V1__NodeItem *it)
{
    council__free(it->id.data);
    council__free(it->kind);
    council__free(it->case_id.data);
    council__free(it->person_id.data);
    council__free(it->object_id.data);
    if (it->scopes != NULL && it->n_scopes > 0)
        council__free(it->scopes[0]);
    council__free(it->scopes);
    council__free(it->bundle_hash.data);
}

static bool opt_blob(sqlite3_stmt *st, int col, protobuf_c_boolean *has, ProtobufCBinaryData *d)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return true;
    *has = 1;
    return council__sql_dup_blob(d, sqlite3_column_blob(st, col),
                                 (size_t)sqlite3_column_bytes(st, col));
}

static bool item_row(sqlite3_stmt *st, Council__V1__NodeItem *it)
{
    char *scopes;
    size_t k = 0;
    bool ok;

    council__v1__node_item__init(it);
    ok = council__sql_dup_blob(&it->id, sqlite3_column_blob(st, 0),
                               (size_t)sqlite3_column_bytes(st, 0)) &&
         (it->kind = council__sql_dup_col(st, 1)) != NULL &&
         opt_blob(st, 2, &it->has_case_id, &it->case_id) &&
         opt_blob(st, 3, &it->has_person_id, &it->person_id) &&
         opt_blob(st, 4, &it->has_object_id, &it->object_id) &&
         council__sql_dup_blob(&it->bundle_hash, sqlite3_column_blob(st, 6),
                               (size_t)sqlite3_column_bytes(st, 6));
    it->imported = sqlite3_column_int64(st, 7);
    it->expires = sqlite3_column_int64(st, 8);
    if (!ok || (scopes = council__sql_dup_col(st, 5)) == NULL)
        return false;
    if (scopes[0] == '\0') {
        council__free(scopes);
        return true;
    }
    for (const char *p = scopes; *p; p++)
        k += *p == ' ';
    if ((it->scopes = council__calloc(k + 1, sizeof *it->scopes)) == NULL) {
        council__free(scopes);
        return false;
    }
    /* One allocation: scopes[0] owns the string, split in place. */
    it->scopes[0] = scopes;
    it->n_scopes = 1;
    for (char *p = scopes; *p; p++)
        if (*p == ' ') {
            *p = '\0';
            it->scopes[it->n_scopes++] = p + 1;
        }
    return true;
}

int council_node_list(council_node *n, council_buf *out)
{
    Council__V1__NodeItemList m = COUNCIL__V1__NODE_ITEM_LIST__INIT;
    Council__V1__NodeItem *items = NULL, **ptrs = NULL;
    size_t cap = 0, k = 0;
    sqlite3_stmt *st = NULL;
    int rc = COUNCIL_OK, src;

    if (!council__node_ok(n) || out == NULL)
        return n != NULL && n->c != NULL
                   ? council__fail(n->c, COUNCIL_EMISUSE, "node_list: bad handle or NULL out")
                   : COUNCIL_EMISUSE;
    out->ptr = NULL;
    out->len = 0;
    if (council__prepare(n->c, "SELECT " ITEM_COLS " FROM node_item ORDER BY imported, id;", &st) != SQLITE_OK)
        return council__db_err(n->c, "node_list");
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        Council__V1__NodeItem *g = council__grow(items, &cap, k, sizeof *items);
        if (g == NULL) {
            rc = council__fail(n->c, COUNCIL_ENOMEM, "node_list: out of memory");
            break;
        }
        items = g;
        if (!item_row(st, &items[k])) {
            item_free(&items[k]);
            rc = council__fail(n->c, COUNCIL_ENOMEM, "node_list: out of memory");
            break;
        }
        k++;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(n->c, "node_list");
    council__finalize(n->c, st);
    if (rc == COUNCIL_OK && k > 0 && (ptrs = council__calloc(k, sizeof *ptrs)) == NULL)
        rc = council__fail(n->c, COUNCIL_ENOMEM, "node_list: out of memory");
    if (rc == COUNCIL_OK) {
        for (size_t i = 0; i < k; i++)
            ptrs[i] = &items[i];
        m.items = ptrs;
        m.n_items = k;
        rc = council__pack_out(n->c, "node_list", out, &m.base);
    }
    for (size_t i = 0; i < k; i++)
        item_free(&items[i]);
    council__free(items);
    council__free(ptrs);
    if (rc == COUNCIL_OK)
        council__clear(n->c);
    return rc;
}

/* The row's columns have the storage classes they were written with: the
 * seal binds their bytes, and a revocation's selector compares typed
 * values, so a case id cast to text (same bytes) would open but escape it. */
static bool row_types_ok(sqlite3_stmt *st)
{
    static const struct { int col, type; bool null_ok; } want[] = {
        { 0, SQLITE_BLOB, false }, { 1, SQLITE_TEXT, false }, { 2, SQLITE_BLOB, true },
        { 3, SQLITE_BLOB, true }, { 4, SQLITE_BLOB, true }, { 5, SQLITE_TEXT, false },
        { 6, SQLITE_BLOB, false }, { 7, SQLITE_INTEGER, false }, { 8, SQLITE_INTEGER, false },
    };

    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int t = sqlite3_column_type(st, want[i].col);
        if (t != want[i].type && !(want[i].null_ok && t == SQLITE_NULL))
            return false;
    }
    return true;
}

/* Open an item's content into *pt (sodium_malloc'd, *len bytes). */
static int item_open(council_node *n, sqlite3_stmt *st, const Council__V1__NodeItem *it,
                     uint8_t **pt, size_t *len)
{
    const uint8_t *wrap = sqlite3_column_blob(st, 9), *nonce = sqlite3_column_blob(st, 10);
    const uint8_t *ct = sqlite3_column_blob(st, 11);
    size_t wl = (size_t)sqlite3_column_bytes(st, 9), nl = (size_t)sqlite3_column_bytes(st, 10);
    size_t cl = (size_t)sqlite3_column_bytes(st, 11), ad_len;
    uint8_t ik[32], ad[ITEM_AD_MAX];
    int rc;

    *pt = NULL;
    *len = 0;
    if (wl != 24 + 32 + 16 || nl != 24 || cl < COUNCIL__TAG_BYTES || wrap == NULL || nonce == NULL ||
        ct == NULL || strlen(it->kind) > 32 || (it->has_case_id && it->case_id.len != 16) ||
        !row_types_ok(st))
        return council__fail(n->c, COUNCIL_ETAMPER, "node_read: the item's row is damaged");
    {
        const char *scopes = (const char *)sqlite3_column_text(st, 5);
        if (scopes == NULL || (it->has_object_id && it->object_id.len != 16))
            return council__fail(n->c, COUNCIL_ETAMPER, "node_read: the item's row is damaged");
        item_ad_make(ad, it->id.data, it->kind, it->has_case_id ? it->case_id.data : NULL,
                     it->has_object_id ? it->object_id.data : NULL, it->expires, scopes, &ad_len);
    }
    council__secret_read(&n->item_kek);
    rc = council__aead_open(n->c, ik, 32, wrap + 24, 32 + 16, ad, ad_len, wrap, n->item_kek.p);
    council__secret_lock(&n->item_kek);
    if (rc == COUNCIL_OK) {
        *len = cl - COUNCIL__TAG_BYTES;
        if ((*pt = sodium_malloc(*len + 1)) == NULL)
            rc = COUNCIL_ENOMEM;
        else
            rc = council__aead_open(n->c, *pt, *len, ct, cl, ad, ad_len, nonce, ik);
    }
    sodium_memzero(ik, sizeof ik);
    if (rc != COUNCIL_OK && *pt != NULL) {
        sodium_free(*pt);
        *pt = NULL;
    }
    if (rc == COUNCIL_ENOMEM)
        return council__fail(n->c, rc, "node_read: out of secure memory");
    if (rc != COUNCIL_OK)
        return council__fail(n->c, COUNCIL_ETAMPER, "node_read: the item does not open (its row "
                             "was changed)");
    return COUNCIL_OK;
}

/* Keep a failure's code and message across the event that records it. */
static int refused(council_node *n, int rc, int action, const char *reason, const uint8_t *object,
                   const uint8_t *case_id)
{
    char msg[COUNCIL__ERRMSG_MAX];

    memcpy(msg, n->c->errmsg, sizeof msg);
    (void)council__node_event(n, action, COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED, rc,
                              reason, object, NULL, case_id, NULL, 0);
    return council__fail(n->c, rc, "%s", msg);
}

int council_node_read(council_node *n, council_buf *out, const uint8_t *id, size_t id_len)
{
    Council__V1__NodeItemContent m = COUNCIL__V1__NODE_ITEM_CONTENT__INIT;
    Council__V1__NodeItem it;
    uint8_t *pt = NULL;
    size_t len = 0;
    sqlite3_stmt *st = NULL;
    const uint8_t *case_id;
    int rc, src;

    if (!council__node_ok(n) || out == NULL)
        return n != NULL && n->c != NULL
                   ? council__fail(n->c, COUNCIL_EMISUSE, "node_read: bad handle or NULL out")
                   : COUNCIL_EMISUSE;
    out->ptr = NULL;
    out->len = 0;
    if (id == NULL || id_len != COUNCIL_ID_BYTES)
        return council__fail(n->c, COUNCIL_EINVAL, "node_read: the id must be %d bytes",
                             COUNCIL_ID_BYTES);
    if ((rc = council__no_batch(n->c, "node_read")) != COUNCIL_OK)
        return rc;
    if (council__prepare(n->c, "SELECT " ITEM_COLS ", wrapped_key, nonce, ct FROM node_item "
                           "WHERE id = ?;", &st) != SQLITE_OK)
        return council__db_err(n->c, "node_read");
    sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC);
    src = sqlite3_step(st);
    if (src != SQLITE_ROW) {
        council__finalize(n->c, st);
        if (src != SQLITE_DONE)
            return council__db_err(n->c, "node_read");
        rc = council__fail(n->c, COUNCIL_ENOTFOUND, "node_read: no such item");
        return refused(n, rc, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_NODE_CONTENT_READ,
                       "not_found", id, NULL);
    }
    if (!item_row(st, &it)) {
        council__finalize(n->c, st);
        item_free(&it);
        return council__fail(n->c, COUNCIL_ENOMEM, "node_read: out of memory");
    }
    case_id = it.has_case_id && it.case_id.len == 16 ? it.case_id.data : NULL;
    if (it.expires <= (int64_t)time(NULL)) {
        /* Expired: refused, and purged at once. */
        council__finalize(n->c, st);
        rc = council__audit_batch_begin(n->c);
        if (rc == COUNCIL_OK)
            rc = council__finish(n->c, council__node_item_delete(n, id, case_id, "expired"));
        if (rc == COUNCIL_OK) {
            rc = council__fail(n->c, COUNCIL_EEXPIRED, "node_read: the item expired and was "
                               "deleted");
            rc = refused(n, rc, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_NODE_CONTENT_READ,
                         "expired", id, case_id);
        }
        item_free(&it);
        return rc;
    }
    rc = item_open(n, st, &it, &pt, &len);
    council__finalize(n->c, st);
    if (rc != COUNCIL_OK) {
        rc = refused(n, rc, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_NODE_CONTENT_READ,
                     "item_damaged", id, case_id);
        item_free(&it);
        return rc;
    }
    /* Log first: the content leaves only once its read is durable. */
    rc = council__node_event(n, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_NODE_CONTENT_READ,
                             COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED, 0, it.kind, id,
                             NULL, case_id, (const char *const *)it.scopes, it.n_scopes);
    if (rc == COUNCIL_OK) {
        m.item = &it;
        m.content.data = pt;
        m.content.len = len;
        rc = council__pack_out(n->c, "node_read", out, &m.base);
    }
    sodium_free(pt);
    item_free(&it);
    if (rc == COUNCIL_OK)
        council__clear(n->c);
    return rc;
}

/* Items found by a query (id, case_id columns): collected before any is
 * deleted, so the query is finished first. */
struct gone {
    uint8_t id[16], case_id[16];
    bool has_case;
};

static int gather(council_node *n, sqlite3_stmt *st, const char *op, struct gone **out,
                  size_t *count)
{
    struct gone *g = NULL;
    size_t k = 0, cap = 0;
    int rc = COUNCIL_OK, src;

    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct gone *more;
        if (sqlite3_column_bytes(st, 0) != 16)
            continue;
        if ((more = council__grow(g, &cap, k, sizeof *g)) == NULL) {
            rc = council__fail(n->c, COUNCIL_ENOMEM, "%s: out of memory", op);
            break;
        }
        g = more;
        memcpy(g[k].id, sqlite3_column_blob(st, 0), 16);
        g[k].has_case = sqlite3_column_bytes(st, 1) == 16;
        if (g[k].has_case)
            memcpy(g[k].case_id, sqlite3_column_blob(st, 1), 16);
        k++;
    }
    if (rc == COUNCIL_OK && src != SQLITE_DONE)
        rc = council__db_err(n->c, op);
    council__finalize(n->c, st);
    if (rc != COUNCIL_OK) {
        council__free(g);
        g = NULL;
        k = 0;
    }
    *out = g;
    *count = k;
    return rc;
}

int council_node_purge(council_node *n, uint64_t *count)
{
    struct gone *g = NULL;
    sqlite3_stmt *st = NULL;
    size_t k = 0;
    int rc = COUNCIL_OK;

    if (!council__node_ok(n))
        return n != NULL && n->c != NULL ? council__fail(n->c, COUNCIL_EMISUSE, "node_purge: bad "
                                                         "handle") : COUNCIL_EMISUSE;
    if (count != NULL)
        *count = 0;
    if ((rc = council__no_batch(n->c, "node_purge")) != COUNCIL_OK)
        return rc;
    if (council__prepare(n->c, "SELECT id, case_id FROM node_item WHERE expires <= ?;",
                           &st) != SQLITE_OK)
        return council__db_err(n->c, "node_purge");
    sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
    rc = gather(n, st, "node_purge", &g, &k);
    if (rc == COUNCIL_OK && k > 0 && (rc = council__audit_batch_begin(n->c)) == COUNCIL_OK) {
        for (size_t i = 0; i < k && rc == COUNCIL_OK; i++)
            rc = council__node_item_delete(n, g[i].id, g[i].has_case ? g[i].case_id : NULL,
                                           "expired");
        rc = council__finish(n->c, rc);
    }
    council__free(g);
    if (rc == COUNCIL_OK && count != NULL)
        *count = k;
    if (rc == COUNCIL_OK)
        council__clear(n->c);
    return rc;
}


int council__node_items_delete(council_node *n, int sel, const uint8_t id[16], const char *scope,
                               int64_t not_after, const char *reason,
                               int (*fn)(void *ctx, const uint8_t id[16]), void *ctx)
{
    static const char *const sql[] = {
        /* A share's end reaches every copy of the case's sections: a
         * referral bundle carries those of its scopes too (its scopes are
         * space-separated codes). */
        [COUNCIL__NODE_SEL_CASE_SECTIONS] =
            "SELECT id, case_id FROM node_item WHERE case_id = ?1 AND kind IN ('section', "
            "'referral') AND created <= ?3;",
        [COUNCIL__NODE_SEL_CASE_SCOPE] =
            "SELECT id, case_id FROM node_item WHERE case_id = ?1 AND ((kind = 'section' AND "
            "scopes = ?2) OR (kind = 'referral' AND instr(' ' || scopes || ' ', ' ' || ?2 || ' ') "
            "> 0)) AND created <= ?3;",
        [COUNCIL__NODE_SEL_OBJECT] =
            "SELECT id, case_id FROM node_item WHERE object_id = ?1 AND created <= ?3;",
        [COUNCIL__NODE_SEL_CASE] =
            "SELECT id, case_id FROM node_item WHERE case_id = ?1 AND created <= ?3;",
    };
    struct gone *g = NULL;
    size_t k = 0;
    sqlite3_stmt *st = NULL;
    int rc;

    if (sel < 0 || sel > COUNCIL__NODE_SEL_CASE || (sel == COUNCIL__NODE_SEL_CASE_SCOPE && scope == NULL))
        return council__fail(n->c, COUNCIL_ERROR, "node: bad selector");
    if (council__prepare(n->c, sql[sel], &st) != SQLITE_OK)
        return council__db_err(n->c, "node");
    sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC);
    if (sel == COUNCIL__NODE_SEL_CASE_SCOPE)
        sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)not_after);
    rc = gather(n, st, "node", &g, &k);
    for (size_t i = 0; i < k && rc == COUNCIL_OK; i++) {
        rc = council__node_item_delete(n, g[i].id, g[i].has_case ? g[i].case_id : NULL, reason);
        if (rc == COUNCIL_OK && fn != NULL)
            rc = fn(ctx, g[i].id);
    }
    council__free(g);
    return rc;
}
