/*
 * referral_db.c - the tables referral and referral_step (domain): the
 * signed rows of referrals (referral.c's operations).
 *
 * Signed rows (attest.c), checked before anything is decided:
 *     offer ("referral"): id || case || person || from || to || scopes ||
 *         purpose || basis || consent || H(reason) || decision || note ||
 *         created; signed by the secretariat or the owner (from).
 *     step ("referral_step"): H(offer) || seq || state || at || by_staff ||
 *         reason_code || reason_memo; the steps run 0.. without a gap,
 *         each a step the one before allows, each signed by the secretariat
 *         or the member entitled to it (proposed, withdrawn: from;
 *         accepted, declined, completed, ended: to).
 *     shared ("referral_shared"): H(offer) || the scopes the referral's
 *         share gave; signed by the secretariat or the owner.
 * A row put in by the insider is a tamper finding (ETAMPER). Deleting the
 * newest step (a rollback) is caught against the log, which holds every
 * step's event (council__referral_log_check): the steps' states must be
 * the transitions the log records for the referral, in order.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council_int.h"
#include "crypto.h"
#include "sql.h"
#include "attest.h"
#include "log.h"
#include "referral_db.h"
#include "store.h"

#define OFFER_MAX (7 * 16 + 4 + COUNCIL__REFERRAL_TEXT_MAX + 2 * (COUNCIL__AUDIT_CODE_MAX + 1) + 32 + 8 + 8)
#define STEP_MSG_MAX (32 + 4 + 1 + 8 + 16 + 1 + COUNCIL__AUDIT_CODE_MAX + 1 + 16 + 1)

static const uint8_t zero_id[COUNCIL_ID_BYTES];

bool council__referral_step_allowed(int from, int to)
{
    if (from == COUNCIL_REFERRAL_PROPOSED)
        return to == COUNCIL_REFERRAL_ACCEPTED || to == COUNCIL_REFERRAL_DECLINED ||
               to == COUNCIL_REFERRAL_WITHDRAWN;
    if (from == COUNCIL_REFERRAL_ACCEPTED)
        return to == COUNCIL_REFERRAL_COMPLETED || to == COUNCIL_REFERRAL_ENDED;
    return false;
}

bool council__referral_final(int s)
{
    return s != COUNCIL_REFERRAL_PROPOSED && s != COUNCIL_REFERRAL_ACCEPTED;
}

/* The member whose staff take a step into state (besides the secretariat). */
const uint8_t *council__referral_party(const council__referral_row *r, int state)
{
    return state == COUNCIL_REFERRAL_PROPOSED || state == COUNCIL_REFERRAL_WITHDRAWN ? r->from
                                                                                       : r->to;
}

/* A comma list of codes into r's array (false: malformed). */
bool council__referral_split(const char *text, char (*out)[COUNCIL__AUDIT_CODE_MAX + 1],
                         const char **ptrs, size_t *n)
{
    const char *p = text;

    *n = 0;
    while (*p != '\0') {
        const char *e = strchr(p, ',');
        size_t len = e != NULL ? (size_t)(e - p) : strlen(p);
        if (*n >= COUNCIL__REFERRAL_SCOPES_MAX || len == 0 || len > COUNCIL__AUDIT_CODE_MAX)
            return false;
        memcpy(out[*n], p, len);
        out[*n][len] = '\0';
        if (!council__audit_code_ok(out[*n]))
            return false;
        ptrs[*n] = out[*n];
        (*n)++;
        p += len;
        if (*p == ',')
            p++;
    }
    return true;
}

bool council__referral_join(char *out, size_t cap, const char *const *scopes, size_t n)
{
    size_t len = 0;

    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t m = strlen(scopes[i]);
        if (len + m + 2 > cap)
            return false;
        if (i > 0)
            out[len++] = ',';
        memcpy(out + len, scopes[i], m + 1);
        len += m;
    }
    return true;
}

static uint8_t *put_text(uint8_t *p, const char *s)
{
    size_t n = strlen(s);

    p = council__put_u32(p, (uint32_t)n);
    return council__put_bytes(p, s, n);
}

static uint8_t *put_opt(uint8_t *p, const uint8_t *id, bool has)
{
    *p++ = has ? 1 : 0;
    return council__put_bytes(p, has ? id : zero_id, COUNCIL_ID_BYTES);
}

static size_t offer_msg(uint8_t *m, const council__referral_row *r)
{
    uint8_t *p = m, h[32];

    p = council__put_bytes(p, r->id, 16);
    p = council__put_bytes(p, r->case_id, 16);
    p = put_opt(p, r->person, r->has_person);
    p = council__put_bytes(p, r->from, 16);
    p = council__put_bytes(p, r->to, 16);
    p = put_text(p, r->scopes_text);
    p = put_text(p, r->purpose);
    p = put_text(p, r->basis);
    p = put_opt(p, r->consent, r->has_consent);
    memset(h, 0, sizeof h);
    if (r->has_reason)
        crypto_generichash(h, sizeof h, (const uint8_t *)r->reason, strlen(r->reason), NULL, 0);
    p = council__put_bytes(p, h, sizeof h);
    p = put_opt(p, r->decision, r->has_decision);
    p = put_opt(p, r->note, r->has_note);
    p = council__put_u64(p, (uint64_t)r->created);
    return (size_t)(p - m);
}

void council__referral_hash(council__referral_row *r)
{
    uint8_t m[OFFER_MAX + 64];
    size_t n = offer_msg(m, r);

    crypto_generichash(r->hash, sizeof r->hash, m, n, NULL, 0);
}

static size_t step_msg(uint8_t *m, const council__referral_row *r, uint32_t seq, const council__referral_step *s)
{
    uint8_t *p = m;

    p = council__put_bytes(p, r->hash, 32);
    p = council__put_u32(p, seq);
    *p++ = (uint8_t)s->state;
    p = council__put_u64(p, (uint64_t)s->at);
    p = put_opt(p, s->by, s->has_by);
    p = put_text(p, s->reason);
    p = put_opt(p, s->memo, s->has_memo);
    return (size_t)(p - m);
}

static size_t shared_msg(uint8_t *m, const council__referral_row *r, const char *shared)
{
    uint8_t *p = council__put_bytes(m, r->hash, 32);

    p = put_text(p, shared);
    return (size_t)(p - m);
}

static bool col_id(sqlite3_stmt *st, int i, uint8_t out[COUNCIL_ID_BYTES])
{
    if (sqlite3_column_bytes(st, i) != COUNCIL_ID_BYTES)
        return false;
    memcpy(out, sqlite3_column_blob(st, i), COUNCIL_ID_BYTES);
    return true;
}

static bool col_code(sqlite3_stmt *st, int i, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    size_t n = (size_t)sqlite3_column_bytes(st, i);

    if (t == NULL || n >= cap)
        return false;
    memcpy(out, t, n + 1);
    return true;
}

static bool signer_ok(const uint8_t signer[COUNCIL_ID_BYTES], const uint8_t *party)
{
    return sodium_is_zero(signer, COUNCIL_ID_BYTES) ||
           (party != NULL && sodium_memcmp(signer, party, COUNCIL_ID_BYTES) == 0);
}

static int forged(council *c, const char *op, const uint8_t *case_id, const char *what)
{
    int rc = council__tamper(c, case_id, NULL, NULL, "forged_referral");

    if (rc != COUNCIL_OK)
        return rc;
    return council__fail(c, COUNCIL_ETAMPER, "%s: the referral's %s was not written by the "
                         "library (a forged row)", op, what);
}

/* Load referral id and check every signature. ENOTFOUND, ETAMPER (logged),
 * EIO. */
int council__referral_load(council *c, const char *op, const uint8_t id[COUNCIL_ID_BYTES], council__referral_row *r)
{
    sqlite3_stmt *st = NULL;
    uint8_t m[OFFER_MAX + 64], signer[COUNCIL_ID_BYTES], sig[64];
    uint8_t shared_signer[COUNCIL_ID_BYTES], shared_sig[64];
    bool sig_ok, shared_sig_ok = false;
    int src;

    memset(r, 0, sizeof *r);
    if (council__prepare(c, "SELECT case_id, person_id, from_member, to_member, scopes, "
                                  "purpose, basis, consent_id, reason, decision_id, note_memo, "
                                  "created, signer, sig, shared, shared_signer, shared_sig "
                                  "FROM referral WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    if ((src = sqlite3_step(st)) != SQLITE_ROW) {
        council__finalize(c, st);
        return src == SQLITE_DONE ? council__fail(c, COUNCIL_ENOTFOUND, "%s: no such referral", op)
                                  : council__db_err(c, op);
    }
    memcpy(r->id, id, COUNCIL_ID_BYTES);
    sig_ok = col_id(st, 0, r->case_id) && col_id(st, 2, r->from) && col_id(st, 3, r->to) &&
             col_code(st, 4, r->scopes_text, sizeof r->scopes_text) &&
             col_code(st, 5, r->purpose, sizeof r->purpose) &&
             col_code(st, 6, r->basis, sizeof r->basis) && col_id(st, 12, signer) &&
             sqlite3_column_bytes(st, 13) == 64;
    if (sig_ok) {
        memcpy(sig, sqlite3_column_blob(st, 13), 64);
        r->has_person = col_id(st, 1, r->person);
        r->has_consent = col_id(st, 7, r->consent);
        r->has_decision = col_id(st, 9, r->decision);
        r->has_note = col_id(st, 10, r->note);
        if (sqlite3_column_type(st, 8) != SQLITE_NULL)
            r->has_reason = col_code(st, 8, r->reason, sizeof r->reason);
        r->created = sqlite3_column_int64(st, 11);
        sig_ok = col_code(st, 14, r->shared_text, sizeof r->shared_text);
        if (r->shared_text[0] != '\0' && col_id(st, 15, shared_signer) &&
            sqlite3_column_bytes(st, 16) == 64) {
            memcpy(shared_sig, sqlite3_column_blob(st, 16), 64);
            shared_sig_ok = true;
        }
    }
    council__finalize(c, st);
    /* A signature that fails is a forged row (ETAMPER); a failure to check
     * it (EIO reading the key directory) is passed on as it is. */
    if (!sig_ok || !council__referral_split(r->scopes_text, r->scope, r->scopes, &r->n_scopes) ||
        r->n_scopes == 0 || !signer_ok(signer, r->from))
        return forged(c, op, sig_ok ? r->case_id : NULL, "offer");
    src = council__attest_check(c, "referral", m, offer_msg(m, r), signer, sizeof signer, sig,
                                sizeof sig);
    if (src != COUNCIL_OK)
        return src == COUNCIL_ETAMPER ? forged(c, op, r->case_id, "offer") : src;
    council__referral_hash(r);
    /* The shared list. */
    if (r->shared_text[0] != '\0') {
        if (!shared_sig_ok || !signer_ok(shared_signer, r->from) ||
            !council__referral_split(r->shared_text, r->shared, r->shared_scopes, &r->n_shared))
            return forged(c, op, r->case_id, "shared scopes");
        src = council__attest_check(c, "referral_shared", m, shared_msg(m, r, r->shared_text),
                                    shared_signer, sizeof shared_signer, shared_sig,
                                    sizeof shared_sig);
        if (src != COUNCIL_OK)
            return src == COUNCIL_ETAMPER ? forged(c, op, r->case_id, "shared scopes") : src;
    }
    /* The steps. */
    if (council__prepare(c, "SELECT seq, state, at, by_staff, reason_code, reason_memo, "
                                  "signer, sig FROM referral_step WHERE referral_id = ?1 "
                                  "ORDER BY seq;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        council__referral_step *s;
        uint8_t sm[STEP_MSG_MAX], ssig[64];
        int prev = r->n_steps > 0 ? r->steps[r->n_steps - 1].state : 0;
        bool ok = r->n_steps < COUNCIL__REFERRAL_STEPS_MAX && sqlite3_column_int64(st, 0) == (int64_t)r->n_steps;
        if (ok) {
            s = &r->steps[r->n_steps];
            s->state = (int)sqlite3_column_int64(st, 1);
            s->at = sqlite3_column_int64(st, 2);
            s->has_by = col_id(st, 3, s->by);
            if (sqlite3_column_type(st, 4) != SQLITE_NULL)
                ok = col_code(st, 4, s->reason, sizeof s->reason);
            s->has_memo = col_id(st, 5, s->memo);
            ok = ok && col_id(st, 6, s->signer) && sqlite3_column_bytes(st, 7) == 64;
            ok = ok && (r->n_steps == 0 ? s->state == COUNCIL_REFERRAL_PROPOSED
                                        : council__referral_step_allowed(prev, s->state));
            ok = ok && signer_ok(s->signer, council__referral_party(r, s->state));
            if (ok) {
                int arc;
                memcpy(ssig, sqlite3_column_blob(st, 7), 64);
                arc = council__attest_check(c, "referral_step", sm,
                                            step_msg(sm, r, (uint32_t)r->n_steps, s), s->signer,
                                            COUNCIL_ID_BYTES, ssig, sizeof ssig);
                if (arc != COUNCIL_OK && arc != COUNCIL_ETAMPER) {
                    council__finalize(c, st);
                    return arc;
                }
                ok = arc == COUNCIL_OK;
            }
        }
        if (!ok) {
            council__finalize(c, st);
            return forged(c, op, r->case_id, "steps");
        }
        r->n_steps++;
    }
    council__finalize(c, st);
    if (src != SQLITE_DONE)
        return council__db_err(c, op);
    if (r->n_steps == 0)
        return forged(c, op, r->case_id, "steps");
    r->state = r->steps[r->n_steps - 1].state;
    return COUNCIL_OK;
}
int council__referral_put_step(council *c, const char *op, const council__referral_row *r, uint32_t seq, const council__referral_step *s)
{
    uint8_t sm[STEP_MSG_MAX], signer[COUNCIL_ID_BYTES], sig[64];
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = council__attest_sign(c, "referral_step", sm, step_msg(sm, r, seq, s), signer, sig)) !=
        COUNCIL_OK)
        return rc;
    if (council__prepare(c, "INSERT INTO referral_step (referral_id, seq, state, at, "
                                  "by_staff, reason_code, reason_memo, signer, sig) VALUES "
                                  "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9);", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, r->id, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, seq) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, s->state) != SQLITE_OK ||
        sqlite3_bind_int64(st, 4, s->at) != SQLITE_OK ||
        (s->has_by && sqlite3_bind_blob(st, 5, s->by, 16, SQLITE_STATIC) != SQLITE_OK) ||
        (s->reason[0] != '\0' && sqlite3_bind_text(st, 6, s->reason, -1, SQLITE_STATIC) != SQLITE_OK) ||
        (s->has_memo && sqlite3_bind_blob(st, 7, s->memo, 16, SQLITE_STATIC) != SQLITE_OK) ||
        sqlite3_bind_blob(st, 8, signer, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 9, sig, 64, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

int council__referral_put_shared(council *c, const char *op, const council__referral_row *r, const char *shared)
{
    uint8_t m[32 + 4 + COUNCIL__REFERRAL_TEXT_MAX], signer[COUNCIL_ID_BYTES], sig[64];
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = council__attest_sign(c, "referral_shared", m, shared_msg(m, r, shared), signer, sig)) !=
        COUNCIL_OK)
        return rc;
    if (council__prepare(c, "UPDATE referral SET shared = ?2, shared_signer = ?3, "
                                  "shared_sig = ?4 WHERE id = ?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, r->id, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, shared, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, signer, 16, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 4, sig, 64, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

int council__referral_insert(council *c, const char *op, council__referral_row *r)
{
    uint8_t m[OFFER_MAX + 64], signer[COUNCIL_ID_BYTES], sig[64];
    sqlite3_stmt *st = NULL;
    int rc = council__attest_sign(c, "referral", m, offer_msg(m, r), signer, sig);

    council__referral_hash(r);
    if (rc == COUNCIL_OK &&
        (council__prepare(c, "INSERT INTO referral (id, case_id, person_id, from_member, "
                                   "to_member, scopes, purpose, basis, consent_id, reason, "
                                   "decision_id, note_memo, created, signer, sig) VALUES (?1, "
                                   "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                                   "?15);", &st) != SQLITE_OK ||
         sqlite3_bind_blob(st, 1, r->id, 16, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 2, r->case_id, 16, SQLITE_STATIC) != SQLITE_OK ||
         (r->has_person && sqlite3_bind_blob(st, 3, r->person, 16, SQLITE_STATIC) != SQLITE_OK) ||
         sqlite3_bind_blob(st, 4, r->from, 16, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 5, r->to, 16, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_text(st, 6, r->scopes_text, -1, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_text(st, 7, r->purpose, -1, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_text(st, 8, r->basis, -1, SQLITE_STATIC) != SQLITE_OK ||
         (r->has_consent && sqlite3_bind_blob(st, 9, r->consent, 16, SQLITE_STATIC) != SQLITE_OK) ||
         (r->has_reason && sqlite3_bind_text(st, 10, r->reason, -1, SQLITE_STATIC) != SQLITE_OK) ||
         (r->has_decision && sqlite3_bind_blob(st, 11, r->decision, 16, SQLITE_STATIC) != SQLITE_OK) ||
         (r->has_note && sqlite3_bind_blob(st, 12, r->note, 16, SQLITE_STATIC) != SQLITE_OK) ||
         sqlite3_bind_int64(st, 13, r->created) != SQLITE_OK ||
         sqlite3_bind_blob(st, 14, signer, 16, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_bind_blob(st, 15, sig, 64, SQLITE_STATIC) != SQLITE_OK ||
         sqlite3_step(st) != SQLITE_DONE))
        rc = council__db_err(c, op);
    council__finalize(c, st);
    return rc;
}

int council__referral_ids(council *c, const char *op, const uint8_t *case_id,
                          const uint8_t *member, uint8_t (**ids)[COUNCIL_ID_BYTES], size_t *n)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int src;

    *ids = NULL;
    *n = 0;
    if (council__prepare(c, "SELECT id FROM referral WHERE (?1 IS NULL OR case_id = ?1) AND "
                                  "(?2 IS NULL OR from_member = ?2 OR to_member = ?2) "
                                  "ORDER BY created, rowid;", &st) != SQLITE_OK ||
        (case_id != NULL && sqlite3_bind_blob(st, 1, case_id, 16, SQLITE_STATIC) != SQLITE_OK) ||
        (member != NULL && sqlite3_bind_blob(st, 2, member, 16, SQLITE_STATIC) != SQLITE_OK)) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 0) != 16)
            continue;
        if (*n == cap) {
            size_t nc = cap ? 2 * cap : 16;
            uint8_t (*g)[COUNCIL_ID_BYTES] = council__calloc(nc, sizeof *g);
            if (g == NULL) {
                src = SQLITE_NOMEM;
                break;
            }
            if (*n > 0)
                memcpy(g, *ids, *n * sizeof *g);
            council__free(*ids);
            *ids = g;
            cap = nc;
        }
        memcpy((*ids)[(*n)++], sqlite3_column_blob(st, 0), 16);
    }
    council__finalize(c, st);
    if (src == SQLITE_DONE)
        return COUNCIL_OK;
    council__free(*ids);
    *ids = NULL;
    *n = 0;
    return src == SQLITE_NOMEM ? council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op)
                               : council__db_err(c, op);
}

int council__referral_state_counts(council *c, const char *op, int64_t from, int64_t to,
                             int64_t counts[6])
{
    sqlite3_stmt *st = NULL;
    int src;

    memset(counts, 0, 6 * sizeof counts[0]);
    if (council__prepare(c, "SELECT s.state FROM referral r JOIN referral_step s ON "
                                  "s.referral_id = r.id AND s.seq = (SELECT max(seq) FROM "
                                  "referral_step WHERE referral_id = r.id) WHERE r.created >= ?1 "
                                  "AND r.created < ?2;", &st) != SQLITE_OK ||
        sqlite3_bind_int64(st, 1, from) != SQLITE_OK || sqlite3_bind_int64(st, 2, to) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, op);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t s = sqlite3_column_int64(st, 0);
        if (s >= 1 && s <= 6)
            counts[s - 1]++;
    }
    council__finalize(c, st);
    return src == SQLITE_DONE ? COUNCIL_OK : council__db_err(c, op);
}

/* ------------------------------------------------------------ the log */

const char *const council__referral_reserved[2] = { "referral_delivered", "referral_note_read" };

struct step_walk {
    const council__referral_row *r;
    size_t n;
    bool bad;
};

/* One allowed event of the referral: a transition (not a delivery or a
 * note read, whose reasons no transition may carry) is the next step. */
static int step_event(void *ctx, const council__object_event *ev)
{
    struct step_walk *w = ctx;
    int state = ev->action - COUNCIL_AUDIT_ACTION_REFERRAL_PROPOSED + COUNCIL_REFERRAL_PROPOSED;

    if (!ev->allowed || strcmp(ev->reason, council__referral_reserved[0]) == 0 ||
        strcmp(ev->reason, council__referral_reserved[1]) == 0)
        return 0;
    if (w->n >= w->r->n_steps || w->r->steps[w->n].state != state) {
        w->bad = true;
        return 1;
    }
    w->n++;
    return 0;
}

int council__referral_log_check(council *c, const char *op, const council__referral_row *r,
                                const uint8_t case_ref[32])
{
    struct step_walk w = { r, 0, false };
    int rc = council__log_object_actions(c, op, case_ref, r->id, COUNCIL_AUDIT_ACTION_REFERRAL_PROPOSED,
                                         COUNCIL_AUDIT_ACTION_REFERRAL_ENDED, step_event, &w);

    if (rc == COUNCIL_ETAMPER) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", council_errmsg(c));
        if ((rc = council__tamper(c, r->case_id, NULL, NULL, "log_event_edited")) != COUNCIL_OK)
            return rc;
        return council__fail(c, COUNCIL_ETAMPER, "%s", msg);
    }
    if (rc != COUNCIL_OK && rc != 1)
        return rc;
    if (w.bad || w.n != r->n_steps) {
        if ((rc = council__tamper(c, r->case_id, NULL, r->to, "referral_rolled_back")) != COUNCIL_OK)
            return rc;
        return council__fail(c, COUNCIL_ETAMPER, "%s: the referral's steps are not the ones the "
                             "audit log records (a step was deleted or replaced outside the "
                             "library)", op);
    }
    return COUNCIL_OK;
}

/* Sign (kind, m) as the session and store signer and signature with sql
 * (?1 signer, ?2 sig, ?3 the referral, ?4 seq when seq >= 0). */
static int resign_one(council *c, const char *kind, const uint8_t *m, size_t n, const char *sql,
                      const uint8_t id[COUNCIL_ID_BYTES], int64_t seq)
{
    uint8_t signer[COUNCIL_ID_BYTES], sig[64];
    sqlite3_stmt *st = NULL;
    int rc = council__attest_sign(c, kind, m, n, signer, sig);

    if (rc != COUNCIL_OK)
        return rc;
    if (council__prepare(c, sql, &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, signer, sizeof signer, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 2, sig, sizeof sig, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_blob(st, 3, id, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK ||
        (seq >= 0 && sqlite3_bind_int64(st, 4, seq) != SQLITE_OK) ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = council__db_err(c, "keys");
    council__finalize(c, st);
    return rc;
}

int council__referral_resign(council *c, const uint8_t member[COUNCIL_ID_BYTES])
{
    uint8_t (*ids)[COUNCIL_ID_BYTES] = NULL;
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    int rc;

    if (council__prepare(c, "SELECT id FROM referral WHERE signer = ?1 OR shared_signer = "
                                  "?1 UNION SELECT referral_id FROM referral_step WHERE signer = "
                                  "?1;", &st) != SQLITE_OK ||
        sqlite3_bind_blob(st, 1, member, COUNCIL_ID_BYTES, SQLITE_STATIC) != SQLITE_OK) {
        council__finalize(c, st);
        return council__db_err(c, "keys");
    }
    if ((rc = council__sql_ids(c, "keys", st, &ids, &n)) != COUNCIL_OK)
        return rc;
    /* A referral whose rows all check with the key about to go is signed
     * again by the council; a forged one stays as it is (refused when met). */
    for (size_t i = 0; rc == COUNCIL_OK && i < n; i++) {
        council__referral_row *r = council__calloc(1, sizeof *r);
        uint8_t m[OFFER_MAX + 64];

        if (r == NULL) {
            rc = council__fail(c, COUNCIL_ENOMEM, "keys: out of memory");
            break;
        }
        rc = council__referral_load(c, "keys", ids[i], r);
        if (rc == COUNCIL_ETAMPER || rc == COUNCIL_ENOTFOUND) {
            council__clear(c);
            council__free(r);
            rc = COUNCIL_OK;
            continue;
        }
        if (rc == COUNCIL_OK)
            rc = resign_one(c, "referral", m, offer_msg(m, r),
                            "UPDATE referral SET signer = ?1, sig = ?2 WHERE id = ?3;", r->id, -1);
        if (rc == COUNCIL_OK && r->shared_text[0] != '\0')
            rc = council__referral_put_shared(c, "keys", r, r->shared_text);
        for (size_t j = 0; rc == COUNCIL_OK && j < r->n_steps; j++) {
            uint8_t sm[STEP_MSG_MAX];
            rc = resign_one(c, "referral_step", sm, step_msg(sm, r, (uint32_t)j, &r->steps[j]),
                            "UPDATE referral_step SET signer = ?1, sig = ?2 WHERE referral_id = "
                            "?3 AND seq = ?4;", r->id, (int64_t)j);
        }
        council__free(r);
    }
    council__free(ids);
    return rc;
}
