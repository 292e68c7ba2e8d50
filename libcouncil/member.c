/*
 * member.c - the member registry (構成機関等): add, update, withdraw, keys,
 * listing and the public announcement. Every change is one transaction
 * holding both the change and its audit event.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/member.pb-c.h"
#include "council_int.h"
#include "log.h"
#include "crypto.h"
#include "keyfile.h"
#include "keyring.h"
#include "journal.h"
#include "session.h"
#include "text.h"
#include "casekey.h"
#include "consent_db.h"
#include "council_db.h"
#include "member_db.h"
#include "member.h"
#include "store.h"
#include "keydir.h"
#include "event.h"
#include "file.h"
#include "share_db.h"
#include "memo.h"
#include "case.h"
#include "task_db.h"
#include "referral_db.h"
#include "request_db.h"

#define SCOPES_MAX COUNCIL__MEMBER_SCOPES_MAX

/* ---------------------------------------------------------------- checks */

static int scope_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Check the options; write the sorted scope ceiling joined by ','. */
static int check_options(council *c, const char *op, const council_member_options *o,
                         char *scopes, size_t scopes_cap)
{
    const char *sorted[SCOPES_MAX];
    size_t used = 0;

    if (o == NULL || o->version != COUNCIL_MEMBER_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if (!council__text_arg(o->name, COUNCIL_NAME_MAX))
        return council__fail(c, COUNCIL_EINVAL, "%s: name must be 1..%d bytes of UTF-8 text", op,
                             COUNCIL_NAME_MAX);
    if (o->kind <= 0 ||
        protobuf_c_enum_descriptor_get_value(&council__v1__member_kind__descriptor, o->kind) == NULL)
        return council__fail(c, COUNCIL_EINVAL, "%s: unknown member kind %d", op, (int)o->kind);
    if ((o->roles & ~(COUNCIL_ROLE_SECRETARIAT | COUNCIL_ROLE_COORDINATING_BODY)) != 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: unknown role bits 0x%x", op, o->roles);
    if (o->contact != NULL && !council__text_arg(o->contact, COUNCIL_CONTACT_MAX))
        return council__fail(c, COUNCIL_EINVAL, "%s: contact must be 1..%d bytes of UTF-8 text",
                             op, COUNCIL_CONTACT_MAX);
    if (o->joined < 0)
        return council__fail(c, COUNCIL_EINVAL, "%s: joining date before 1970", op);
    if (o->n_scopes > SCOPES_MAX || (o->n_scopes > 0 && o->scopes == NULL))
        return council__fail(c, COUNCIL_EINVAL, "%s: at most %d scopes", op, SCOPES_MAX);
    for (size_t i = 0; i < o->n_scopes; i++) {
        if (!council__audit_code_ok(o->scopes[i]))
            return council__fail(c, COUNCIL_EINVAL, "%s: scope %zu is not a code [a-z0-9_]", op, i);
        sorted[i] = o->scopes[i];
    }
    qsort(sorted, o->n_scopes, sizeof sorted[0], scope_cmp);
    scopes[0] = '\0';
    for (size_t i = 0; i < o->n_scopes; i++) {
        size_t l = strlen(sorted[i]);
        if (i > 0 && strcmp(sorted[i - 1], sorted[i]) == 0)
            return council__fail(c, COUNCIL_EINVAL, "%s: scope listed twice", op);
        if (used + l + 2 > scopes_cap)
            return council__fail(c, COUNCIL_ELIMIT, "%s: scopes too long", op);
        if (i > 0)
            scopes[used++] = ',';
        memcpy(scopes + used, sorted[i], l + 1);
        used += l;
    }
    return COUNCIL_OK;
}

/* ------------------------------------------------------- signed rows */

/* What the member signed with the key about to go is signed again by the
 * council (key replacement, withdrawal). */
static int resign_members_rows(council *c, const uint8_t id[COUNCIL_ID_BYTES])
{
    int rc = council__key_versions_resign(c, id, NULL);

    if (rc == COUNCIL_OK)
        rc = council__shares_resign(c, id);
    if (rc == COUNCIL_OK)
        rc = council__grants_resign(c, id);
    if (rc == COUNCIL_OK)
        rc = council__task_resign(c, id);
    if (rc == COUNCIL_OK)
        rc = council__memo_resign(c, id);
    if (rc == COUNCIL_OK)
        rc = council__person_resign(c, id);
    if (rc == COUNCIL_OK)
        rc = council__referral_resign(c, id);
    if (rc == COUNCIL_OK)
        rc = council__req_resign(c, id);
    return rc;
}

/* Every entry of the member (a withdrawn member may have two: keyring.h). */
static int drop_member(council *c, council__keyring *kr, void *ctx)
{
    (void)c;
    while (council__keyring_member_entries(kr, ctx) > 0)
        council__keyring_drop_member(kr, ctx);
    return COUNCIL_OK;
}

/* ------------------------------------------------ withdrawn members' keys */

struct drop_ctx {
    uint8_t ids[COUNCIL__KEYRING_MEMBERS_MAX + COUNCIL__KEYRING_ROLES_MAX][COUNCIL_ID_BYTES];
    size_t n;
    /* active members with two entries (a key replacement cut short): one
     * entry again, sealed to the key on record */
    uint8_t twice[COUNCIL__KEYRING_MEMBERS_MAX][COUNCIL_ID_BYTES];
    uint8_t twice_pk[COUNCIL__KEYRING_MEMBERS_MAX][32];
    bool twice_keep[COUNCIL__KEYRING_MEMBERS_MAX]; /* the recorded entry is there: */
    uint8_t twice_sealed[COUNCIL__KEYRING_MEMBERS_MAX][COUNCIL__KEY_BYTES + 48];
    uint8_t twice_seen[COUNCIL__KEYRING_MEMBERS_MAX][32]; /* its entries when read */
    size_t n_twice;
};

/* A digest of the member's entries in kr, in order. */
static void entries_digest(const council__keyring *kr, const uint8_t id[COUNCIL_ID_BYTES],
                           uint8_t out[32])
{
    crypto_generichash_state h;

    crypto_generichash_init(&h, NULL, 0, 32);
    for (size_t i = 0; i < kr->n_members; i++)
        if (memcmp(kr->members[i].member_id, id, COUNCIL_ID_BYTES) == 0)
            crypto_generichash_update(&h, kr->members[i].sealed, sizeof kr->members[i].sealed);
    crypto_generichash_final(&h, out, 32);
}

static int drop_withdrawn_fn(council *c, council__keyring *kr, void *ctx)
{
    const struct drop_ctx *d = ctx;

    int rc = COUNCIL_OK;

    for (size_t i = 0; i < d->n; i++) {
        while (council__keyring_member_entries(kr, d->ids[i]) > 0)
            council__keyring_drop_member(kr, d->ids[i]);
        council__keyring_drop_roles(kr, d->ids[i]);
    }
    for (size_t i = 0; rc == COUNCIL_OK && i < d->n_twice; i++) {
        uint8_t now[32];
        /* changed since they were read (a replacement going on in another
         * session): left to it */
        entries_digest(kr, d->twice[i], now);
        if (sodium_memcmp(now, d->twice_seen[i], sizeof now) != 0)
            continue;
        if (d->twice_keep[i]) {
            /* the other goes */
            council__keyring_drop_entries(kr, d->twice[i], d->twice_sealed[i],
                                          sizeof d->twice_sealed[i], true);
            continue;
        }
        /* neither is known: one again, sealed to the key on record */
        while (council__keyring_member_entries(kr, d->twice[i]) > 0)
            council__keyring_drop_member(kr, d->twice[i]);
        rc = council__keyring_seal_member(c, kr, d->twice[i], d->twice_pk[i]);
    }
    return rc;
}

/* Is id, found in the keyring, a member the signed register says withdrew?
 * Added to d once. A row that fails its check is on the record and keeps
 * its entry (the register, not an edit of it, decides). */
static int withdrawn_candidate(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                               struct drop_ctx *d)
{
    bool found, active, has_pk;
    uint8_t pk[32];
    int rc;

    for (size_t i = 0; i < d->n; i++)
        if (memcmp(d->ids[i], id, COUNCIL_ID_BYTES) == 0)
            return COUNCIL_OK;
    if (council__member_keys_of(c, id, &found, &active, pk, &has_pk) != COUNCIL_OK)
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
    if (!found)
        return COUNCIL_OK;
    if (active) {
        /* Active only if the signed register says so: a withdrawal undone
         * in the row by an insider gets no entry (fails closed; the
         * finding is on the record). */
        rc = council__member_check(c, op, id);
        if (rc == COUNCIL_ETAMPER || rc == COUNCIL_EAUTH) {
            council__clear(c);
            memcpy(d->ids[d->n++], id, COUNCIL_ID_BYTES);
            return COUNCIL_OK;
        }
        return rc;
    }
    rc = council__member_check(c, op, id);
    if (rc == COUNCIL_ETAMPER || rc == COUNCIL_EAUTH) {
        council__clear(c);
        return COUNCIL_OK;
    }
    if (rc == COUNCIL_OK)
        memcpy(d->ids[d->n++], id, COUNCIL_ID_BYTES);
    return rc;
}

/* The setting that names, with the keys on record, which of the member's
 * keyring entries is theirs (a digest of its sealed bytes): the tidying
 * of council__member_drop_withdrawn keeps that one. */
static void entry_setting(char name[64], const uint8_t id[COUNCIL_ID_BYTES])
{
    char hex[2 * COUNCIL_ID_BYTES + 1];

    sodium_bin2hex(hex, sizeof hex, id, COUNCIL_ID_BYTES);
    (void)snprintf(name, 64, "keyring_entry/%s", hex);
}

/* Is id an active member with more than one entry in kr? Added to d with
 * its key on record (checked: a key the council did not sign gets no
 * entry, as in a re-key). A withdrawn one is withdrawn_candidate's. */
static int twice_candidate(council *c, const char *op, const council__keyring *kr,
                           const uint8_t id[COUNCIL_ID_BYTES], struct drop_ctx *d)
{
    bool found, active, has_pk;
    uint8_t pk[32];
    int rc;

    if (council__keyring_member_entries(kr, id) < 2)
        return COUNCIL_OK;
    for (size_t i = 0; i < d->n_twice; i++)
        if (memcmp(d->twice[i], id, COUNCIL_ID_BYTES) == 0)
            return COUNCIL_OK;
    if (council__member_keys_of(c, id, &found, &active, pk, &has_pk) != COUNCIL_OK)
        return council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
    if (!found || !active || !has_pk || d->n_twice >= COUNCIL__KEYRING_MEMBERS_MAX)
        return COUNCIL_OK;
    /* The row and the key as the council signed them (an insider undoing a
     * withdrawal in the row, with an old key signature put back, gets no
     * entry: withdrawn_candidate drops it). */
    rc = council__member_check(c, op, id);
    if (rc == COUNCIL_OK)
        rc = council__member_key_check(c, op, id, pk);
    if (rc == COUNCIL_EAUTH) {
        /* not the council's: no entry at all (fails closed) */
        council__clear(c);
        if (d->n < sizeof d->ids / sizeof d->ids[0])
            memcpy(d->ids[d->n++], id, COUNCIL_ID_BYTES);
        return COUNCIL_OK;
    }
    if (rc == COUNCIL_OK) {
        /* the entry recorded with the keys, if it is there */
        uint8_t want[32];
        char name[64];
        bool ok = false;

        entry_setting(name, id);
        if (council__setting_fixed(c, name, want, sizeof want, &ok) != COUNCIL_OK)
            return council__fail(c, COUNCIL_EIO, "%s: cannot read the registry", op);
        d->twice_keep[d->n_twice] = false;
        for (size_t i = 0; ok && i < kr->n_members; i++) {
            uint8_t h[32];
            if (memcmp(kr->members[i].member_id, id, COUNCIL_ID_BYTES) != 0)
                continue;
            crypto_generichash(h, sizeof h, kr->members[i].sealed, sizeof kr->members[i].sealed,
                               NULL, 0);
            if (sodium_memcmp(h, want, sizeof h) == 0) {
                memcpy(d->twice_sealed[d->n_twice], kr->members[i].sealed,
                       sizeof d->twice_sealed[0]);
                d->twice_keep[d->n_twice] = true;
            }
        }
        entries_digest(kr, id, d->twice_seen[d->n_twice]);
        memcpy(d->twice[d->n_twice], id, COUNCIL_ID_BYTES);
        memcpy(d->twice_pk[d->n_twice++], pk, 32);
    }
    return rc;
}

int council__member_drop_withdrawn(council *c)
{
    static const char op[] = "withdrawn_keys";
    council__keyring *kr = council__malloc(sizeof *kr);
    struct drop_ctx *d = council__malloc(sizeof *d);
    int rc = COUNCIL_OK;

    if (kr == NULL || d == NULL)
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    if (rc == COUNCIL_OK) {
        d->n = 0;
        d->n_twice = 0;
        rc = council__keyring_load(c, kr, c->dir);
    }
    for (size_t i = 0; rc == COUNCIL_OK && i < kr->n_members; i++)
        rc = withdrawn_candidate(c, op, kr->members[i].member_id, d);
    for (size_t i = 0; rc == COUNCIL_OK && i < kr->n_roles; i++)
        rc = withdrawn_candidate(c, op, kr->roles[i].member_id, d);
    for (size_t i = 0; rc == COUNCIL_OK && i < kr->n_members; i++)
        rc = twice_candidate(c, op, kr, kr->members[i].member_id, d);
    /* The keyring is rewritten only when there is something to drop. */
    if (rc == COUNCIL_OK && (d->n > 0 || d->n_twice > 0))
        rc = council__keyring_update(c, drop_withdrawn_fn, d);
    if (kr != NULL)
        sodium_memzero(kr, sizeof *kr);
    council__free(kr);
    council__free(d);
    return rc;
}

/* ------------------------------------------------------------- role keys */

struct roles_ctx {
    const council__member_pk *ms;
    size_t n;
    const council__secret *journal_seed;
};

static int roles_fn(council *c, council__keyring *kr, void *ctx)
{
    const struct roles_ctx *r = ctx;
    int rc = COUNCIL_OK;

    /* Whoever is not (or no longer) in a role, or not in the list, goes. */
    for (size_t i = kr->n_roles; i-- > 0;) {
        bool keep = false;
        for (size_t j = 0; j < r->n && !keep; j++)
            keep = memcmp(kr->roles[i].member_id, r->ms[j].id, COUNCIL_ID_BYTES) == 0;
        if (!keep)
            council__keyring_drop_roles(kr, kr->roles[i].member_id);
    }
    for (size_t j = 0; j < r->n && rc == COUNCIL_OK; j++)
        rc = council__keyring_seal_roles(c, kr, r->ms[j].id, r->ms[j].roles, r->ms[j].box_pk,
                                         &c->coord_sk, &c->log_sk, r->journal_seed);
    return rc;
}

int council__member_role_keys(council *c)
{
    static const char op[] = "role_keys";
    council__member_pk *ms = NULL;
    const uint8_t *holder, *pk;
    const council__secret *sk;
    size_t n = 0, k = 0;
    int rc;

    if (!council__is_secretariat(c))
        return council__fail(c, COUNCIL_EDENIED, "%s: only the secretariat holds the role keys", op);
    /* The coordinating body's key (a root session derives it on first use). */
    if ((rc = council__actor_key(c, &holder, &pk, &sk)) != COUNCIL_OK)
        return rc;
    if ((rc = council__member_pks(c, op, &ms, &n)) != COUNCIL_OK)
        return rc;
    /* Only members whose row and key the council signed: a role or a key
     * written into the register by anyone else is given nothing. */
    for (size_t i = 0; i < n && rc == COUNCIL_OK; i++) {
        ms[i].roles &= COUNCIL_ROLE_SECRETARIAT | COUNCIL_ROLE_COORDINATING_BODY;
        if (ms[i].roles == 0)
            continue;
        rc = council__member_check(c, op, ms[i].id);
        if (rc == COUNCIL_OK)
            rc = council__member_key_check(c, op, ms[i].id, ms[i].box_pk);
        if (rc == COUNCIL_ETAMPER || rc == COUNCIL_EAUTH) {
            council__clear(c);
            rc = COUNCIL_OK;
            continue;
        }
        if (rc == COUNCIL_OK)
            ms[k++] = ms[i];
    }
    if (rc == COUNCIL_OK) {
        /* The secretariat's people import the refusal journal too. */
        council__secret seed = { NULL, 0 };
        struct roles_ctx r = { ms, k, &seed };
        if ((rc = council__journal_seed(c, &seed)) == COUNCIL_OK)
            rc = council__keyring_update(c, roles_fn, &r);
        council__secret_free(&seed);
    }
    council__free(ms);
    return rc;
}

/* ------------------------------------------------------------- add/update */

/* A member given a role it did not hold: the keyring holds role keys for
 * at most COUNCIL__KEYRING_ROLES_MAX members, so one more is refused
 * before the register changes (ELIMIT), rather than the role keys failing
 * afterwards (and every later open of the council passphrase with them). */
static int role_room(council *c, const char *op, const uint8_t *id, uint32_t roles)
{
    uint32_t had = 0;
    int64_t others = 0;
    int rc;

    if ((roles & (COUNCIL_ROLE_SECRETARIAT | COUNCIL_ROLE_COORDINATING_BODY)) == 0)
        return COUNCIL_OK;
    if (id != NULL && (rc = council__member_roles(c, op, id, &had)) != COUNCIL_OK)
        return rc;
    if (had != 0)
        return COUNCIL_OK;
    if ((rc = council__member_role_holders(c, op, id, &others)) != COUNCIL_OK)
        return rc;
    if (others >= COUNCIL__KEYRING_ROLES_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "%s: at most %d members hold the secretariat's "
                             "or the coordinating body's role", op, COUNCIL__KEYRING_ROLES_MAX);
    return COUNCIL_OK;
}

int council_member_add(council *c, uint8_t *id, size_t id_len, const council_member_options *o)
{
    char scopes[SCOPES_MAX * (COUNCIL__AUDIT_CODE_MAX + 1) + 1];
    council_member_options e;
    uint8_t fresh[COUNCIL_ID_BYTES];
    int rc;

    if ((rc = council__secretariat_id(c, "member_add", id, id_len)) != COUNCIL_OK ||
        (rc = check_options(c, "member_add", o, scopes, sizeof scopes)) != COUNCIL_OK)
        return rc;
    e = *o;
    if (e.joined == 0)
        e.joined = (int64_t)time(NULL);
    council__uuid_random(fresh);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((e.roles & COUNCIL_ROLE_COORDINATING_BODY) != 0 &&
        (rc = council__member_coordinator_taken(c, "member_add", NULL)) != COUNCIL_OK)
        return council__finish(c, rc);
    if ((rc = role_room(c, "member_add", NULL, e.roles)) != COUNCIL_OK)
        return council__finish(c, rc);
    if ((rc = council__member_insert(c, "member_add", fresh, &e, scopes)) == COUNCIL_OK &&
        (rc = council__member_sign(c, "member_add", fresh)) == COUNCIL_OK)
        rc = council__audit_subject(c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_MEMBER_ADDED, fresh, NULL, NULL);
    rc = council__finish(c, rc);
    if (rc == COUNCIL_OK)
        memcpy(id, fresh, COUNCIL_ID_BYTES);
    return rc;  /* no keys yet: no role keys */
}

int council_member_update(council *c, const uint8_t *id, size_t id_len,
                          const council_member_options *o)
{
    char scopes[SCOPES_MAX * (COUNCIL__AUDIT_CODE_MAX + 1) + 1];
    uint32_t had = 0;
    int rc;

    if ((rc = council__secretariat_id(c, "member_update", id, id_len)) != COUNCIL_OK ||
        (rc = check_options(c, "member_update", o, scopes, sizeof scopes)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__member_usable(c, "member_update", id)) != COUNCIL_OK)
        return council__finish(c, rc);
    if ((o->roles & COUNCIL_ROLE_COORDINATING_BODY) != 0 &&
        (rc = council__member_coordinator_taken(c, "member_update", id)) != COUNCIL_OK)
        return council__finish(c, rc);
    if ((rc = role_room(c, "member_update", id, o->roles)) != COUNCIL_OK)
        return council__finish(c, rc);
    /* A role taken away: what the member signed as the council side while
     * it held it is signed again by the council first. */
    if ((rc = council__member_roles(c, "member_update", id, &had)) != COUNCIL_OK ||
        ((had & ~o->roles) != 0 && (rc = council__req_resign(c, id)) != COUNCIL_OK))
        return council__finish(c, rc);
    if ((rc = council__member_update_row(c, "member_update", id, o, scopes)) == COUNCIL_OK &&
        (rc = council__member_sign(c, "member_update", id)) == COUNCIL_OK)
        rc = council__audit_subject(c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_MEMBER_UPDATED, id, NULL, NULL);
    if ((rc = council__finish(c, rc)) != COUNCIL_OK)
        return rc;
    /* Committed: the update stands and the call says so. A role given or
     * taken away: the role keys in council.keyring follow the register
     * only now (a failed commit leaves no keyring changed). If that fails,
     * the next open of the council passphrase or of the secretariat's
     * staff does it (council__member_role_keys), as after a withdrawal. */
    if (had != o->roles && council__member_role_keys(c) != COUNCIL_OK)
        council__clear(c);
    return COUNCIL_OK;
}

/* The coordinating body's member for a withdrawn member's cases: the
 * active member (not `leaving`) holding the coordinating body's role, else
 * the secretariat's, its row checked; *found false for none. */
static int coordinating_member(council *c, const char *op, const uint8_t leaving[COUNCIL_ID_BYTES],
                               uint8_t out[COUNCIL_ID_BYTES], bool *found)
{
    council__member_pk *ms = NULL;
    size_t n = 0;
    int rc = council__member_pks(c, op, &ms, &n);

    *found = false;
    for (int pass = 0; rc == COUNCIL_OK && pass < 2 && !*found; pass++) {
        uint32_t want = pass == 0 ? COUNCIL_ROLE_COORDINATING_BODY : COUNCIL_ROLE_SECRETARIAT;
        for (size_t i = 0; i < n && !*found; i++) {
            if ((ms[i].roles & want) == 0 ||
                memcmp(ms[i].id, leaving, COUNCIL_ID_BYTES) == 0)
                continue;
            if ((rc = council__member_check(c, op, ms[i].id)) != COUNCIL_OK)
                break;
            memcpy(out, ms[i].id, COUNCIL_ID_BYTES);
            *found = true;
        }
    }
    council__free(ms);
    return rc;
}

/* Every case the leaving member owns goes to cases_to (NULL: the
 * coordinating body's member, if any). In the withdrawal's transaction; on
 * failure rolled back. */
static int move_cases(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                      const uint8_t *cases_to, const char *reason)
{
    uint8_t (*ids)[COUNCIL_ID_BYTES] = NULL, to[COUNCIL_ID_BYTES];
    council_transfer_options o = COUNCIL_TRANSFER_OPTIONS_INIT;
    size_t n = 0;
    bool found = cases_to != NULL;
    int rc = council__member_owned_cases(c, op, id, &ids, &n);

    if (rc == COUNCIL_OK && n > 0 && cases_to == NULL)
        rc = coordinating_member(c, op, id, to, &found);
    if (rc != COUNCIL_OK) {
        council__free(ids);
        return council__finish(c, rc);
    }
    if (cases_to != NULL)
        memcpy(to, cases_to, COUNCIL_ID_BYTES);
    o.basis = "council_art16_exchange";
    o.reason = reason;
    for (size_t i = 0; found && rc == COUNCIL_OK && i < n; i++) {
        council__case k;
        if ((rc = council__case_load(c, op, ids[i], &k)) != COUNCIL_OK) {
            rc = council__finish(c, rc);
            break;
        }
        rc = council__case_transfer_in(c, op, &k, to, cases_to != NULL ? &o : NULL,
                                       "owner_withdrawn");
    }
    council__free(ids);
    return rc;
}

int council_member_withdraw(council *c, const uint8_t *id, size_t id_len, int64_t when,
                            const char *reason)
{
    return council_member_withdraw_ex(c, id, id_len, when, reason, NULL, 0);
}

int council_member_withdraw_ex(council *c, const uint8_t *id, size_t id_len, int64_t when,
                               const char *reason, const uint8_t *cases_to, size_t cases_to_len)
{
    int rc;

    if ((rc = council__secretariat_id(c, "member_withdraw", id, id_len)) != COUNCIL_OK ||
        (rc = council__no_batch(c, "member_withdraw")) != COUNCIL_OK)
        return rc;
    if (cases_to != NULL &&
        (rc = council__id_arg(c, "member_withdraw", cases_to, cases_to_len)) != COUNCIL_OK)
        return rc;
    if (cases_to != NULL && memcmp(cases_to, id, COUNCIL_ID_BYTES) == 0)
        return council__fail(c, COUNCIL_EINVAL, "member_withdraw: the cases go to another member");
    if (!council__text_arg(reason, COUNCIL_CONTACT_MAX) || when < 0)
        return council__fail(c, COUNCIL_EINVAL, "member_withdraw: a reason of 1..%d bytes of "
                             "UTF-8 text and a date are needed", COUNCIL_CONTACT_MAX);
    if (when == 0)
        when = (int64_t)time(NULL);
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__member_usable(c, "member_withdraw", id)) != COUNCIL_OK)
        return council__finish(c, rc);
    /* Its cases do not stay ownerless: moved first, while its signatures
     * still vouch for their keys (rolled back on failure). */
    if ((rc = move_cases(c, "member_withdraw", id, cases_to, reason)) != COUNCIL_OK)
        return rc;
    /* What it signed as the council side, while its role still vouches. */
    if ((rc = council__req_resign(c, id)) != COUNCIL_OK)
        return council__finish(c, rc);
    if ((rc = council__member_withdraw_row(c, "member_withdraw", id, when, reason)) == COUNCIL_OK &&
        (rc = council__member_sign(c, "member_withdraw", id)) == COUNCIL_OK)
        rc = council__audit_subject(c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_MEMBER_WITHDRAWN, id,
                                    NULL, NULL);
    /* What it signed stays valid without its key; leaving ends access:
     * shares revoked, wrapped keys destroyed, every data key it held
     * rotated (DESIGN.md promise 6). */
    if (rc == COUNCIL_OK)
        rc = resign_members_rows(c, id);
    if (rc == COUNCIL_OK)
        rc = council__case_member_left(c, id);
    if (rc == COUNCIL_OK)
        rc = council__memo_member_left(c, "member_withdraw", id);
    if ((rc = council__finish(c, rc)) != COUNCIL_OK)
        return rc;
    /* Committed: the withdrawal stands and the call says so. council.keyring
     * follows it only now (a failed commit leaves no keyring changed): its
     * sealed database key goes (its staff cannot open the store again), and
     * the role keys follow the register. If either fails, the next open of
     * the council passphrase or of the secretariat's staff does it
     * (council__member_drop_withdrawn, council__member_role_keys). */
    if (council__keyring_update(c, drop_member, (void *)(uintptr_t)id) != COUNCIL_OK)
        council__clear(c);
    if (council__member_role_keys(c) != COUNCIL_OK)
        council__clear(c);
    /* The database key it knew is not replaced here: re-keying council.db
     * ends every other open session (SQLCipher 4 cannot re-key under
     * other connections). The secretariat runs council_rekey_database()
     * when it can (council-cli member withdraw does it at once). */
    return COUNCIL_OK;
}

/* ---------------------------------------------------------------- keys */

static int store_keys(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                      const uint8_t box_pk[32], const uint8_t sign_pk[32], const char *how)
{
    int rc = council__member_usable(c, op, id);

    if (rc != COUNCIL_OK)
        return rc;
    if ((rc = council__member_keys_put(c, op, id, box_pk, sign_pk)) != COUNCIL_OK ||
        (rc = council__member_sign(c, op, id)) != COUNCIL_OK)
        return rc;
    /* The key directory vouches for the new key; its wrapped data keys and
     * sealed secrets follow it there. */
    if ((rc = resign_members_rows(c, id)) != COUNCIL_OK ||
        (rc = council__member_key_sign(c, id, box_pk, sign_pk)) != COUNCIL_OK ||
        (rc = council__case_member_rekeyed(c, id, box_pk)) != COUNCIL_OK ||
        (rc = council__memo_member_rekeyed(c, id, box_pk)) != COUNCIL_OK)
        return rc;
    return council__audit_subject(c, COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_MEMBER_KEY_REGISTERED,
                                  id, NULL, how);
}

/* A member's new keys on record, with the database key sealed to its new
 * box key for its staff's sessions, all or nothing:
 *   1. council.keyring gains a second entry for the member, sealed to the
 *      new key (the old entry stays: the old keyfile still opens);
 *   2. the keys go on record in one transaction (store_keys);
 *   3. the member's other entries go (the old keyfile no longer opens).
 * A failure in 1 or 2 returns an error and leaves the keys on record and
 * the keyring as they were (the entry of 1 is taken out again; if even that
 * fails, it is sealed to a key not on record, and the next root open or
 * re-key keeps one entry a member). Once 2 is committed the new keys
 * stand and the call succeeds: a failure in 3, or in sealing the role keys
 * to the new key, is finished by the next open of the council passphrase
 * or of the secretariat's staff (council__member_drop_withdrawn,
 * council__member_role_keys). */
struct entry_ctx {
    const uint8_t *id;
    const uint8_t *box_pk;
    uint8_t sealed[COUNCIL__KEY_BYTES + 48];
};

static int entry_add(council *c, council__keyring *kr, void *ctx)
{
    struct entry_ctx *e = ctx;

    return council__keyring_seal_member_also(c, kr, e->id, e->box_pk, e->sealed, sizeof e->sealed);
}

static int entry_only(council *c, council__keyring *kr, void *ctx)
{
    const struct entry_ctx *e = ctx;

    if (council__keyring_has_entry(kr, e->id, e->sealed, sizeof e->sealed)) {
        council__keyring_drop_entries(kr, e->id, e->sealed, sizeof e->sealed, true);
        return COUNCIL_OK;
    }
    /* Another session's tidying took it meanwhile: one entry again, sealed
     * to the key now on record. */
    while (council__keyring_member_entries(kr, e->id) > 0)
        council__keyring_drop_member(kr, e->id);
    return council__keyring_seal_member(c, kr, e->id, e->box_pk);
}

static int entry_drop(council *c, council__keyring *kr, void *ctx)
{
    const struct entry_ctx *e = ctx;

    (void)c;
    council__keyring_drop_entries(kr, e->id, e->sealed, sizeof e->sealed, false);
    return COUNCIL_OK;
}

static int entry_record(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                        const uint8_t *sealed, size_t len)
{
    uint8_t h[32];
    char name[64];

    crypto_generichash(h, sizeof h, sealed, len, NULL, 0);
    entry_setting(name, id);
    return council__setting_put(c, name, h, sizeof h, true) == COUNCIL_OK
               ? COUNCIL_OK
               : council__fail(c, COUNCIL_EIO, "%s: database error", op);
}

static int register_keys(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES],
                         const uint8_t box_pk[32], const uint8_t sign_pk[32], const char *how)
{
    struct entry_ctx e = { id, box_pk, { 0 } };
    char msg[512];
    int rc;

    /* (a keyring replaced whose directory then failed to sync is taken
     * back too) */
    if ((rc = council__keyring_update(c, entry_add, &e)) == COUNCIL_OK &&
        (rc = council__audit_batch_begin(c)) == COUNCIL_OK) {
        rc = store_keys(c, op, id, box_pk, sign_pk, how);
        if (rc == COUNCIL_OK)
            rc = entry_record(c, op, id, e.sealed, sizeof e.sealed);
        rc = council__finish(c, rc);
    }
    if (rc != COUNCIL_OK) {
        /* The message is the failure's, not the tidying's. */
        (void)snprintf(msg, sizeof msg, "%s", council_errmsg(c));
        (void)council__keyring_update(c, entry_drop, &e);
        return council__fail(c, rc, "%s", msg);
    }
    if (council__keyring_update(c, entry_only, &e) != COUNCIL_OK)
        council__clear(c);
    /* A role holder's role keys (the coordinating body's key, the log key)
     * must leave the replaced key: if they cannot, the call says so (the
     * new keys stand; the next open of the council passphrase or of the
     * secretariat's staff seals them again). */
    if ((rc = council__member_role_keys(c)) != COUNCIL_OK) {
        uint32_t roles = 1;
        (void)snprintf(msg, sizeof msg, "%s", council_errmsg(c));
        if (council__member_roles(c, op, id, &roles) == COUNCIL_OK && roles == 0) {
            council__clear(c);
            return COUNCIL_OK;
        }
        return council__fail(c, rc, "%s: the new keys are on record, but the role keys are "
                             "still sealed to the old one (%s): open the council with its "
                             "passphrase to seal them again", op, msg);
    }
    return COUNCIL_OK;
}

int council_member_keygen(council *c, council_buf *keyfile, const uint8_t *id, size_t id_len,
                          const uint8_t *pass, size_t pass_len, uint64_t ops, uint64_t mem)
{
    council__member_keys k;
    int rc;

    memset(&k, 0, sizeof k);
    if ((rc = council__secretariat_id(c, "member_keygen", id, id_len)) != COUNCIL_OK ||
        (rc = council__no_batch(c, "member_keygen")) != COUNCIL_OK)
        return rc;
    if (keyfile == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "member_keygen: NULL keyfile");
    keyfile->ptr = NULL;
    keyfile->len = 0;
    if (pass == NULL || pass_len == 0 || pass_len > COUNCIL_PASSPHRASE_MAX)
        return council__fail(c, COUNCIL_EINVAL, "member_keygen: passphrase length %zu not in 1..%d",
                             pass_len, COUNCIL_PASSPHRASE_MAX);
    if ((rc = council__kdf_cost(c, "member_keygen", &ops, &mem)) != COUNCIL_OK)
        return rc;
    /* Before the costly key derivation: the member must exist and be active
     * (checked again in the transaction that registers the keys). */
    if ((rc = council__member_usable(c, "member_keygen", id)) != COUNCIL_OK)
        return rc;
    if ((rc = council__member_keys_generate(c, &k, id)) != COUNCIL_OK ||
        (rc = council__keyfile_write_pinned(c, keyfile, &k, c->council_id, c->log_pk, pass,
                                            pass_len, ops, mem)) != COUNCIL_OK) {
        council__member_keys_free(&k);
        return rc;
    }
    rc = register_keys(c, "member_keygen", id, k.box_pk, k.sign_pk, "generated");
    council__member_keys_free(&k);
    if (rc != COUNCIL_OK)
        council_buf_free(keyfile);
    return rc;
}

int council_member_keygen_file(council *c, const char *path, const uint8_t *id, size_t id_len,
                               const uint8_t *pass, size_t pass_len, uint64_t ops, uint64_t mem)
{
    static const char op[] = "member_keygen";
    council_buf keyfile = { NULL, 0 };
    council__member_keys k;
    struct stat sb;
    int rc;

    memset(&k, 0, sizeof k);
    if ((rc = council__secretariat_id(c, op, id, id_len)) != COUNCIL_OK ||
        (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (path == NULL || path[0] == '\0')
        return council__fail(c, COUNCIL_EINVAL, "%s: no output file named", op);
    if (pass == NULL || pass_len == 0 || pass_len > COUNCIL_PASSPHRASE_MAX)
        return council__fail(c, COUNCIL_EINVAL, "%s: passphrase length %zu not in 1..%d", op,
                             pass_len, COUNCIL_PASSPHRASE_MAX);
    if ((rc = council__kdf_cost(c, op, &ops, &mem)) != COUNCIL_OK)
        return rc;
    if ((rc = council__member_usable(c, op, id)) != COUNCIL_OK)
        return rc;
    /* Before the costly key derivation (and checked again by link(2)). */
    if (lstat(path, &sb) == 0)
        return council__fail(c, COUNCIL_EEXIST, "%s: the output file exists already", op);
    if ((rc = council__member_keys_generate(c, &k, id)) == COUNCIL_OK)
        rc = council__keyfile_write_pinned(c, &keyfile, &k, c->council_id, c->log_pk, pass,
                                           pass_len, ops, mem);
    /* The keys on record change only once the new keyfile is durably in
     * place: a crash before leaves the old keys valid. */
    if (rc == COUNCIL_OK)
        rc = council__file_publish(c, op, path, keyfile.ptr, keyfile.len);
    council_buf_free(&keyfile);
    if (rc != COUNCIL_OK) {
        council__member_keys_free(&k);
        return rc;
    }
    if ((rc = register_keys(c, op, id, k.box_pk, k.sign_pk, "generated")) != COUNCIL_OK) {
        /* Not registered: the file's keys open nothing; it goes. */
        (void)unlink(path);
        (void)council__fsync_parent(path);
    }
    council__member_keys_free(&k);
    return rc;
}

int council_member_register_key(council *c, const uint8_t *id, size_t id_len,
                                const uint8_t *box_pk, size_t box_pk_len,
                                const uint8_t *sign_pk, size_t sign_pk_len)
{
    static const uint8_t zero[32];
    int rc;

    if ((rc = council__secretariat_id(c, "member_register_key", id, id_len)) != COUNCIL_OK ||
        (rc = council__no_batch(c, "member_register_key")) != COUNCIL_OK)
        return rc;
    if (box_pk == NULL || sign_pk == NULL || box_pk_len != 32 || sign_pk_len != 32)
        return council__fail(c, COUNCIL_EINVAL, "member_register_key: keys must be %d bytes",
                             COUNCIL_PUBLIC_KEY_BYTES);
    if (sodium_memcmp(box_pk, zero, 32) == 0 || crypto_core_ed25519_is_valid_point(sign_pk) != 1)
        return council__fail(c, COUNCIL_EINVAL, "member_register_key: not a valid public key");
    return register_keys(c, "member_register_key", id, box_pk, sign_pk, "registered");
}

/* --------------------------------------------------------------- listing */

int council_member_get(council *c, council_buf *out, const uint8_t *id, size_t id_len)
{
    Council__V1__Member *m = NULL;
    int rc;

    if ((rc = council__secretariat_id(c, "member_get", id, id_len)) != COUNCIL_OK)
        return rc;
    if (out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "member_get: NULL out");
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__member_message(c, "member_get", id, &m)) == COUNCIL_OK)
        rc = council__pack_out(c, "member_get", out, &m->base);
    if (m != NULL)
        council__v1__member__free_unpacked(m, council__pb_allocator());
    return rc;
}

int council_member_list(council *c, council_buf *out)
{
    Council__V1__MemberList list = COUNCIL__V1__MEMBER_LIST__INIT;
    Council__V1__Member **v = NULL;
    size_t n = 0;
    int rc = COUNCIL_OK;

    if (!council__ok(c) || out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "member_list: bad handle or NULL out");
    if ((rc = council__secretariat_only(c, "member_list")) != COUNCIL_OK)
        return rc;
    out->ptr = NULL;
    out->len = 0;
    if ((rc = council__member_messages(c, "member_list", &v, &n)) != COUNCIL_OK)
        return rc;
    list.n_members = n;
    list.members = v;
    rc = council__pack_out(c, "member_list", out, &list.base);
    for (size_t i = 0; i < n; i++)
        council__v1__member__free_unpacked(v[i], council__pb_allocator());
    council__free(v);
    return rc;
}

int council_members_announce(council *c, council_buf *out)
{
    Council__V1__Announcement a = COUNCIL__V1__ANNOUNCEMENT__INIT;
    char **names = NULL;
    char *council_name = NULL, *coordinator = NULL;
    size_t n = 0;
    int rc = COUNCIL_OK;

    if (!council__ok(c) || out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "members_announce: bad handle or NULL out");
    if ((rc = council__actor_ok(c, "members_announce")) != COUNCIL_OK)
        return rc;
    out->ptr = NULL;
    out->len = 0;
    if ((council_name = council__council_name(c)) == NULL)
        return council__fail(c, COUNCIL_EIO, "members_announce: cannot read the council");
    if ((rc = council__member_names(c, "members_announce", &names, &n, &coordinator)) == COUNCIL_OK) {
        a.council_name = council_name;
        a.coordinating_body = coordinator;
        a.n_members = n;
        a.members = names;
        rc = council__pack_out(c, "members_announce", out, &a.base);
    }
    for (size_t i = 0; i < n; i++)
        council__free(names[i]);
    council__free(names);
    council__free(council_name);
    council__free(coordinator);
    return rc;
}
