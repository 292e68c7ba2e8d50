/*
 * bundle_case.c - the bundles that carry a case's content to a member:
 * council_bundle_case (the sections the member is entitled to now, each
 * scope through the disclosure decision as a share),
 * council_bundle_referral (the offer, its note, and the sections of its
 * scopes the recipient holds now) and council_bundle_meeting_packet (the attendee's packet, built as
 * council_meeting_packet builds it). What they carried is recorded through
 * bundle.c (council__bundle_sent_insert), for the revocations.
 */
#include <string.h>
#include <time.h>

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council/v1/bundle.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/meeting.pb-c.h"
#include "council_int.h"
#include "buf.h"
#include "bundle.h"
#include "case_db.h"
#include "decide.h"
#include "envelope.h"
#include "event.h"
#include "log.h"
#include "meeting.h"
#include "memo.h"
#include "referral_db.h"
#include "section.h"
#include "session.h"
#include "share.h"
#include "share_db.h"

#define ACT(x) COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_##x
#define ALLOWED COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED
#define BT(x) COUNCIL__V1__BUNDLE_TYPE__BUNDLE_TYPE_##x
#define SCOPES_MAX COUNCIL__AUDIT_SCOPES_MAX

typedef char code_t[COUNCIL__AUDIT_CODE_MAX + 1];

/* ---------------------------------------------------------------- case */

/* The records council__section_latest wrote (each as field 2) unpacked:
 * recs[i] (wiping allocator) and the bytes of each, in b. */
typedef struct case_recs {
    Council__V1__SectionRecord **recs;
    const uint8_t **at;
    size_t *len;
    size_t n;
} case_recs;

static void recs_free(case_recs *r)
{
    for (size_t i = 0; i < r->n; i++)
        council__v1__section_record__free_unpacked(r->recs[i], council__pb_wiping_allocator());
    council__free(r->recs);
    council__free(r->at);
    council__free(r->len);
    memset(r, 0, sizeof *r);
}

static bool varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    *v = 0;
    for (unsigned s = 0; s < 64 && *p < end; s += 7) {
        uint8_t b = *(*p)++;
        *v |= (uint64_t)(b & 0x7f) << s;
        if ((b & 0x80) == 0)
            return true;
    }
    return false;
}

static int recs_parse(council *c, const char *op, const council__buf *b, case_recs *r)
{
    const uint8_t *p = b->p, *end = b->p + b->len;
    size_t count = 0;

    memset(r, 0, sizeof *r);
    /* Count, then unpack. */
    for (int pass = 0; pass < 2; pass++) {
        p = b->p;
        while (p < end) {
            uint64_t tag, len;
            if (!varint(&p, end, &tag) || tag != 0x12 || !varint(&p, end, &len) ||
                len > (uint64_t)(end - p))
                return council__fail(c, COUNCIL_ERROR, "%s: sections out of order", op);
            if (pass == 0) {
                count++;
            } else {
                r->recs[r->n] = council__v1__section_record__unpack(
                    council__pb_wiping_allocator(), (size_t)len, p);
                if (r->recs[r->n] == NULL)
                    return council__fail(c, COUNCIL_ENOMEM, "%s: a section does not unpack", op);
                r->at[r->n] = p;
                r->len[r->n] = (size_t)len;
                r->n++;
            }
            p += len;
        }
        if (pass == 0 && count > 0 &&
            ((r->recs = council__calloc(count, sizeof *r->recs)) == NULL ||
             (r->at = council__calloc(count, sizeof *r->at)) == NULL ||
             (r->len = council__calloc(count, sizeof *r->len)) == NULL))
            return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    }
    return COUNCIL_OK;
}

/* The scopes member is entitled to now and that pass the decision. */
typedef struct entitled {
    code_t code[SCOPES_MAX];
    const char *ptr[SCOPES_MAX];
    size_t n;
    bool owner;
    const char *refused; /* the decision's reason for a scope refused, if any */
    size_t n_held;       /* scopes held by an active share (before the decision) */
} entitled;

static int entitlement(council *c, const char *op, const council__case *k,
                       const uint8_t member[16], const char *purpose,
                       const council_bundle_options *o, const char *const *only, size_t n_only,
                       entitled *en)
{
    char (*h)[COUNCIL__AUDIT_CODE_MAX + 1] = NULL;
    size_t n_held = 0;
    int rc;

    memset(en, 0, sizeof *en);
    if (sodium_memcmp(member, k->owner, COUNCIL_ID_BYTES) == 0) {
        en->owner = true;
        return COUNCIL_OK; /* every scope: no filter */
    }
    if ((rc = council__share_scopes_of(c, op, k->id, member, &h, &n_held)) != COUNCIL_OK)
        return rc;
    for (size_t i = 0; rc == COUNCIL_OK && i < n_held && en->n < SCOPES_MAX; i++) {
        const char *one[1] = { h[i] };
        council_share_options so = COUNCIL_SHARE_OPTIONS_INIT;
        council__decision d = { false, NULL };
        bool yes = only == NULL;
        for (size_t j = 0; !yes && j < n_only; j++)
            yes = strcmp(only[j], h[i]) == 0;
        if (!yes)
            continue;
        /* Active only under a signed, unexpired, unrevoked row. */
        if ((rc = council__share_active(c, op, k->id, member, h[i], &yes)) != COUNCIL_OK || !yes)
            continue;
        en->n_held++;
        so.scopes = one;
        so.n_scopes = 1;
        so.purpose = purpose;
        so.basis = o->basis;
        so.consent_id = o->consent_id;
        so.consent_id_len = o->consent_id_len;
        /* An exception's written reason is the share's own, given when it
         * was granted: every scope carried is under an active share. */
        so.reason = strcmp(o->basis, "consent") != 0 ? "share" : NULL;
        if ((rc = council__share_decide(c, op, k, member, &so, &d)) != COUNCIL_OK)
            break;
        if (!d.allow) {
            en->refused = d.reason;
            continue;
        }
        strcpy(en->code[en->n], h[i]);
        en->ptr[en->n] = en->code[en->n];
        en->n++;
    }
    council__free(h);
    return rc;
}


/* The case's person supported into person: ENOTFOUND, EIO, ENOMEM. */
static int supported(council *c, const char *op, const uint8_t case_id[16], uint8_t person[16])
{
    council__case_person *all = NULL;
    size_t n_all = 0;
    bool got = false;
    int rc = council__case_persons(c, op, case_id, &all, &n_all);

    for (size_t i = 0; rc == COUNCIL_OK && i < n_all && !got; i++)
        if (all[i].role == COUNCIL__V1__PERSON_ROLE__PERSON_ROLE_SUPPORTED) {
            memcpy(person, all[i].id, 16);
            got = true;
        }
    council__free(all);
    if (rc == COUNCIL_OK && !got)
        rc = council__fail(c, COUNCIL_ENOTFOUND, "%s: the case has no person supported", op);
    return rc;
}

/* The sections carried: the latest of each (person, scope) of en's scopes
 * (every scope the session reads for an owner, en then listing them), of
 * person only when not NULL, as BundleSections pointing into cr. */
typedef struct carry {
    council__buf b;
    case_recs recs;
    Council__V1__BundleSection *secs, **secp;
    size_t ns;
} carry;

static void carry_free(carry *cr)
{
    council__free(cr->secs);
    council__free(cr->secp);
    recs_free(&cr->recs);
    council__buf_free(&cr->b);
    memset(cr, 0, sizeof *cr);
}

static int carry_read(council *c, const char *op, const council__case *k, entitled *en,
                      const uint8_t *person, carry *cr)
{
    council__scopes_read read;
    int rc;

    memset(cr, 0, sizeof *cr);
    rc = council__section_latest(c, op, k, en->owner ? NULL : en->ptr, en->owner ? 0 : en->n,
                                 &cr->b, &read);
    if (rc == COUNCIL_OK)
        rc = recs_parse(c, op, &cr->b, &cr->recs);
    if (rc == COUNCIL_OK && cr->recs.n > 0 &&
        ((cr->secs = council__calloc(cr->recs.n, sizeof *cr->secs)) == NULL ||
         (cr->secp = council__calloc(cr->recs.n, sizeof *cr->secp)) == NULL))
        rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    if (rc == COUNCIL_OK && en->owner) {
        /* The owner's: every scope read (those the session could read). */
        for (size_t i = 0; i < read.n; i++) {
            strcpy(en->code[i], read.code[i]);
            en->ptr[i] = en->code[i];
        }
        en->n = read.n;
    }
    for (size_t i = 0; rc == COUNCIL_OK && i < cr->recs.n; i++) {
        const Council__V1__SectionRecord *r = cr->recs.recs[i];
        Council__V1__BundleSection init = COUNCIL__V1__BUNDLE_SECTION__INIT;
        if (person != NULL &&
            (r->person_id.len != 16 || memcmp(r->person_id.data, person, 16) != 0))
            continue;
        cr->secs[cr->ns] = init;
        cr->secs[cr->ns].scope = r->scope;
        cr->secs[cr->ns].content.data = (uint8_t *)(uintptr_t)cr->recs.at[i];
        cr->secs[cr->ns].content.len = cr->recs.len[i];
        cr->secs[cr->ns].has_version = 1;
        cr->secs[cr->ns].version = r->version;
        cr->secs[cr->ns].has_written = 1;
        cr->secs[cr->ns].written = r->written;
        cr->secp[cr->ns] = &cr->secs[cr->ns];
        cr->ns++;
    }
    if (rc != COUNCIL_OK)
        carry_free(cr);
    return rc;
}

struct case_after {
    const uint8_t *member, *case_id;
    const char *const *scopes;
    size_t n;
    int64_t now, expires;
};

static int case_after(council *c, const char *op, const uint8_t hash[32], void *ctx)
{
    const struct case_after *a = ctx;
    int rc = COUNCIL_OK;

    for (size_t i = 0; rc == COUNCIL_OK && i < a->n; i++)
        rc = council__bundle_sent_insert(c, op, a->member, COUNCIL__SENT_SHARE, a->case_id, a->scopes[i], NULL,
                         hash, a->now, a->expires);
    return rc;
}

int council_bundle_case(council *c, council_buf *out, const uint8_t *case_id,
                                    size_t case_id_len, const uint8_t *person_id,
                                    size_t person_id_len, const uint8_t *member_id,
                                    size_t member_id_len, const council_bundle_options *o)
{
    static const char op[] = "bundle_case";
    Council__V1__BundleHeader h = COUNCIL__V1__BUNDLE_HEADER__INIT;
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__CaseSectionsBundle cs = COUNCIL__V1__CASE_SECTIONS_BUNDLE__INIT;
    carry cr;
    uint8_t pk[32], person[COUNCIL_ID_BYTES];
    int64_t now = (int64_t)time(NULL), expires = 0;
    const char *purpose = NULL;
    council__case k;
    entitled en;
    int rc;

    memset(&cr, 0, sizeof cr);
    if ((rc = council__bundle_start(c, op, out, member_id, member_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, case_id, case_id_len)) != COUNCIL_OK ||
        (person_id != NULL && (rc = council__id_arg(c, op, person_id, person_id_len)) != COUNCIL_OK) ||
        (rc = council__bundle_opts(c, op, o, true, now, &expires, &purpose)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__case_load(c, op, case_id, &k)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (k.erased != 0)
        return council__case_refuse(c, true, ACT(BUNDLE_EXPORTED), &k, NULL, purpose, member_id,
                                    COUNCIL_EDENIED, "case_erased", op, "the case was erased");
    if (person_id != NULL) {
        if ((rc = council__case_person_of(c, op, case_id, person_id)) != COUNCIL_OK)
            return council__finish(c, rc);
        memcpy(person, person_id, sizeof person);
    } else if ((rc = supported(c, op, case_id, person)) != COUNCIL_OK) {
        return council__finish(c, rc);
    }
    if ((rc = council__bundle_recipient(c, op, &k, member_id, pk)) != COUNCIL_OK)
        return rc;
    if ((rc = entitlement(c, op, &k, member_id, purpose, o, NULL, 0, &en)) != COUNCIL_OK)
        return council__finish(c, rc);
    if (!en.owner && en.n == 0) {
        council__event ev = {
            .action = ACT(BUNDLE_EXPORTED),
            .case_ref = k.ref,
            .purpose = purpose,
            .basis = o->basis,
            .consent_id = o->consent_id,
            .subject_member = member_id,
            .reason = en.refused != NULL ? en.refused : "nothing_shared",
        };
        if (en.refused != NULL)
            return council__refuse_event(c, true, &ev, COUNCIL_ENOCONSENT, op,
                                         "refused by the disclosure policy");
        return council__refuse_event(c, true, &ev, COUNCIL_EDENIED, op,
                                     "no scope of the case is shared with the member");
    }
    rc = carry_read(c, op, &k, &en, person_id, &cr);
    if (rc == COUNCIL_OK) {
        cs.case_id.data = k.id;
        cs.case_id.len = COUNCIL_ID_BYTES;
        cs.person_id.data = person;
        cs.person_id.len = COUNCIL_ID_BYTES;
        cs.purpose = (char *)(uintptr_t)purpose;
        cs.basis = (char *)(uintptr_t)o->basis;
        if (o->consent_id != NULL) {
            cs.has_consent_id = 1;
            cs.consent_id.data = (uint8_t *)(uintptr_t)o->consent_id;
            cs.consent_id.len = COUNCIL_ID_BYTES;
        }
        cs.sections = cr.secp;
        cs.n_sections = cr.ns;
        p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_CASE_SECTIONS;
        p.case_sections = &cs;
        council__bundle_header(c, &h, member_id, pk, BT(CASE_SECTIONS), now, expires);
    }
    if (rc != COUNCIL_OK) {
        rc = council__finish(c, rc);
    } else {
        council__event made = {
            .action = ACT(DISCLOSURE_MADE),
            .case_ref = k.ref,
            .scopes = en.ptr,
            .n_scopes = en.n,
            .purpose = purpose,
            .basis = o->basis,
            .consent_id = o->consent_id,
            .subject_member = member_id,
            .outcome = ALLOWED,
            .reason = "bundle_exported",
        };
        council__event ev = {
            .action = ACT(BUNDLE_EXPORTED),
            .case_ref = k.ref,
            .scopes = en.ptr,
            .n_scopes = en.n,
            .purpose = purpose,
            .basis = o->basis,
            .consent_id = o->consent_id,
            .subject_member = member_id,
        };
        struct case_after a = { member_id, k.id, en.ptr, en.n, now, expires };
        rc = council__bundle_seal(c, op, out, &h, &p, en.owner ? NULL : &made, &ev, case_after, &a);
    }
    carry_free(&cr);
    return rc;
}

/* -------------------------------------------------------- meeting packet */

struct mtg_after {
    const uint8_t *member, *meeting;
    int64_t now, expires;
};

static int mtg_after(council *c, const char *op, const uint8_t hash[32], void *ctx)
{
    const struct mtg_after *a = ctx;

    return council__bundle_sent_insert(c, op, a->member, COUNCIL__SENT_MEETING, NULL, NULL, a->meeting, hash,
                       a->now, a->expires);
}

int council_bundle_meeting_packet(council *c, council_buf *out, const uint8_t *meeting_id,
                                  size_t meeting_id_len, const uint8_t *attendee_id,
                                  size_t attendee_id_len, const council_bundle_options *o)
{
    static const char op[] = "bundle_meeting_packet";
    Council__V1__BundleHeader h = COUNCIL__V1__BUNDLE_HEADER__INIT;
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__MeetingPacket *mp = NULL;
    int64_t now = (int64_t)time(NULL), expires = 0;
    uint8_t pk[32], *plain = NULL;
    size_t len = 0;
    council__mtg m;
    int rc;

    if ((rc = council__bundle_start(c, op, out, attendee_id, attendee_id_len)) != COUNCIL_OK ||
        (rc = council__id_arg(c, op, meeting_id, meeting_id_len)) != COUNCIL_OK ||
        (rc = council__bundle_opts(c, op, o, false, now, &expires, NULL)) != COUNCIL_OK)
        return rc;
    /* Built once, as council_meeting_packet() builds it (its reads logged),
     * to an attendee of an open meeting with a key the council signed. */
    if ((rc = council__meeting_packet_plain(c, op, meeting_id, meeting_id_len, attendee_id,
                                            attendee_id_len, &plain, &len, pk)) != COUNCIL_OK)
        return rc;
    mp = council__v1__meeting_packet__unpack(council__pb_wiping_allocator(), len, plain);
    sodium_memzero(plain, len);
    council__free(plain);
    if (mp == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    /* What a meeting disclosed ends with it: so does the bundle. */
    if ((rc = council__meeting_load(c, op, meeting_id, &m)) == COUNCIL_OK && m.ends < expires)
        expires = m.ends;
    if (rc == COUNCIL_OK)
        rc = council__audit_batch_begin(c);
    if (rc == COUNCIL_OK) {
        council__event ev = { .action = ACT(BUNDLE_EXPORTED), .subject_member = attendee_id,
                              .object_id = meeting_id };
        struct mtg_after a = { attendee_id, meeting_id, now, expires };
        p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_MEETING_PACKET;
        p.meeting_packet = mp;
        council__bundle_header(c, &h, attendee_id, pk, BT(MEETING_PACKET), now, expires);
        rc = council__bundle_seal(c, op, out, &h, &p, NULL, &ev, mtg_after, &a);
    }
    council__v1__meeting_packet__free_unpacked(mp, council__pb_wiping_allocator());
    return rc;
}

/* ------------------------------------------------------------- referral */

static const char *const referral_states[] = {
    "unknown", "proposed", "accepted", "declined", "withdrawn", "completed", "ended",
};

struct ref_after {
    const uint8_t *member, *referral, *case_id;
    const char *const *scopes;
    size_t n;
    int64_t now, expires;
};

static int ref_after(council *c, const char *op, const uint8_t hash[32], void *ctx)
{
    const struct ref_after *a = ctx;
    int rc = council__bundle_sent_insert(c, op, a->member, COUNCIL__SENT_REFERRAL, a->case_id,
                                         NULL, a->referral, hash, a->now, a->expires);

    for (size_t i = 0; rc == COUNCIL_OK && i < a->n; i++)
        rc = council__bundle_sent_insert(c, op, a->member, COUNCIL__SENT_SHARE, a->case_id,
                                         a->scopes[i], NULL, hash, a->now, a->expires);
    return rc;
}

int council_bundle_referral(council *c, council_buf *out, const uint8_t *referral_id,
                            size_t referral_id_len, const council_bundle_options *o)
{
    static const char op[] = "bundle_referral";
    Council__V1__BundleHeader h = COUNCIL__V1__BUNDLE_HEADER__INIT;
    Council__V1__BundlePayload p = COUNCIL__V1__BUNDLE_PAYLOAD__INIT;
    Council__V1__ReferralBundle rb = COUNCIL__V1__REFERRAL_BUNDLE__INIT;
    council_bundle_options eo;
    council__referral_row *r = NULL;
    council_buf note = { NULL, 0 };
    char *note_text = NULL;
    int64_t now = (int64_t)time(NULL), expires = 0;
    uint8_t pk[32], person[COUNCIL_ID_BYTES];
    const char *purpose = NULL;
    council__case k;
    entitled en;
    carry cr;
    int rc;

    memset(&cr, 0, sizeof cr);
    memset(&en, 0, sizeof en);
    if ((rc = council__bundle_start(c, op, out, referral_id, referral_id_len)) != COUNCIL_OK)
        return rc;
    if (o == NULL || o->version != COUNCIL_BUNDLE_OPTIONS_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "%s: options missing or of unknown version", op);
    if ((r = council__calloc(1, sizeof *r)) == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
    if ((rc = council__referral_load(c, op, referral_id, r)) != COUNCIL_OK)
        goto done;
    /* By default, the referral's own purpose, basis and consent. */
    eo = *o;
    if (eo.purpose == NULL)
        eo.purpose = r->purpose;
    if (eo.basis == NULL) {
        eo.basis = r->basis;
        if (r->has_consent && strcmp(r->basis, "consent") == 0) {
            eo.consent_id = r->consent;
            eo.consent_id_len = COUNCIL_ID_BYTES;
        }
    }
    if ((rc = council__bundle_opts(c, op, &eo, true, now, &expires, &purpose)) != COUNCIL_OK ||
        (rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        goto done;
    if ((rc = council__case_load(c, op, r->case_id, &k)) != COUNCIL_OK) {
        rc = council__finish(c, rc);
        goto done;
    }
    if (k.erased != 0 || r->state == COUNCIL_REFERRAL_DECLINED ||
        r->state == COUNCIL_REFERRAL_WITHDRAWN || r->state == COUNCIL_REFERRAL_ENDED) {
        council__event ev = { .action = ACT(BUNDLE_EXPORTED), .case_ref = k.ref,
                              .object_id = r->id, .subject_member = r->to,
                              .reason = k.erased != 0 ? "case_erased" : "referral_ended" };
        rc = council__refuse_event(c, true, &ev, COUNCIL_EDENIED, op,
                                   "the referral was declined, withdrawn or ended, or its case "
                                   "erased");
        goto done;
    }
    if ((rc = council__bundle_recipient(c, op, &k, r->to, pk)) != COUNCIL_OK)
        goto done;
    if (r->has_person)
        memcpy(person, r->person, sizeof person);
    else
        rc = supported(c, op, r->case_id, person);
    /* The note, when it is sealed to the recipient. */
    if (rc == COUNCIL_OK && r->has_note) {
        bool yes = false;
        rc = council__memo_reader(c, op, r->note, r->to, &yes);
        if (rc == COUNCIL_OK && yes &&
            (rc = council__memo_open(c, op, &note, r->note, "referral_note", r->id,
                                     r->case_id)) == COUNCIL_OK) {
            if ((note_text = council__malloc(note.len + 1)) == NULL) {
                rc = council__fail(c, COUNCIL_ENOMEM, "%s: out of memory", op);
            } else {
                memcpy(note_text, note.ptr, note.len);
                note_text[note.len] = '\0';
            }
        }
    }
    /* The sections of its scopes the recipient holds now (the keys went
     * with it), each through the decision again. */
    if (rc == COUNCIL_OK && r->n_shared > 0 &&
        sodium_memcmp(r->to, k.owner, COUNCIL_ID_BYTES) != 0 &&
        (rc = entitlement(c, op, &k, r->to, purpose, &eo, r->shared_scopes, r->n_shared,
                          &en)) == COUNCIL_OK && en.n > 0)
        rc = carry_read(c, op, &k, &en, NULL, &cr);
    if (rc != COUNCIL_OK) {
        rc = council__finish(c, rc);
        goto done;
    }
    rb.referral_id.data = r->id;
    rb.referral_id.len = COUNCIL_ID_BYTES;
    rb.case_id.data = r->case_id;
    rb.case_id.len = COUNCIL_ID_BYTES;
    rb.person_id.data = person;
    rb.person_id.len = COUNCIL_ID_BYTES;
    rb.from_member.data = r->from;
    rb.from_member.len = COUNCIL_ID_BYTES;
    rb.to_member.data = r->to;
    rb.to_member.len = COUNCIL_ID_BYTES;
    rb.scopes = (char **)(uintptr_t)r->scopes;
    rb.n_scopes = r->n_scopes;
    rb.purpose = (char *)(uintptr_t)purpose;
    rb.basis = (char *)(uintptr_t)eo.basis;
    rb.state = (char *)(uintptr_t)(r->state > 0 && r->state <= COUNCIL_REFERRAL_ENDED
                                       ? referral_states[r->state] : referral_states[0]);
    rb.note = note_text;
    rb.sections = cr.secp;
    rb.n_sections = cr.ns;
    p.content_case = COUNCIL__V1__BUNDLE_PAYLOAD__CONTENT_REFERRAL;
    p.referral = &rb;
    council__bundle_header(c, &h, r->to, pk, BT(REFERRAL), now, expires);
    {
        council__event made = {
            .action = ACT(DISCLOSURE_MADE), .case_ref = k.ref, .object_id = r->id,
            .scopes = en.ptr, .n_scopes = en.n, .purpose = purpose, .basis = eo.basis,
            .consent_id = eo.consent_id, .subject_member = r->to, .outcome = ALLOWED,
            .reason = "bundle_exported",
        };
        council__event ev = {
            .action = ACT(BUNDLE_EXPORTED), .case_ref = k.ref, .object_id = r->id,
            .scopes = en.ptr, .n_scopes = en.n, .purpose = purpose, .basis = eo.basis,
            .consent_id = eo.consent_id, .subject_member = r->to,
        };
        struct ref_after a = { r->to, r->id, r->case_id, en.ptr, en.n, now, expires };
        rc = council__bundle_seal(c, op, out, &h, &p, en.n > 0 ? &made : NULL, &ev, ref_after,
                                  &a);
    }
done:
    carry_free(&cr);
    if (note_text != NULL) {
        sodium_memzero(note_text, note.len + 1);
        council__free(note_text);
    }
    council_buf_free(&note);
    if (r != NULL) {
        sodium_memzero(r, sizeof *r);
        council__free(r);
    }
    return rc;
}
