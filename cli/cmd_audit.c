/*
 * cmd_audit.c - the audit log: show, checkpoint, reset-head, export,
 * prove and add-cosignatures with the store; verify, witness and
 * witness-keygen with no store (the public key alone).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "cli.h"
#include "cmds.h"
#include "council/v1/audit.pb-c.h"
#include "council/v1/info.pb-c.h"
#include "json.h"
#include "names.h"
#include "open.h"
#include "progress.h"
#include "text.h"
#include "util.h"
#include "vocab.h"

typedef struct audit_opts {
    const cli_global *g;
    const char *name, *out, *key, *reason;
    const char *witness[MAX_WITNESSES];
    size_t n_witness;
    const char *old_file, *new_file, *proof_file, *witness_key, *checkpoint_file;
    const char *since, *until, *action, *actor, *case_ref;
    const char *index, *size, *from, *to, *limit, *tail, *require;
    int json, quiet;
} audit_opts;

static const char *action_name(int v)
{
    static char names[80][40];

    return v >= 0 && v < 80 ? enum_name(&council__v1__audit_action__descriptor, "AUDIT_ACTION_",
                                        v, names[v], sizeof names[v])
                            : "unknown";
}

static int action_value(const char *name, int32_t *out)
{
    *out = enum_value(&council__v1__audit_action__descriptor, "AUDIT_ACTION_", name);
    return *out != 0 ? 0 : -1;
}


static const char *actor_text(const Council__V1__AuditEvent *e, char *buf, size_t n)
{
    char m[33], st[33];

    switch (e->actor_kind) {
    case COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_SYSTEM: return "system";
    case COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT: return "root";
    default:
        break;
    }
    m[0] = st[0] = '\0';
    if (e->has_actor_member && e->actor_member.len == 16)
        hex_text(m, e->actor_member.data, 16);
    if (e->has_actor_staff && e->actor_staff.len == 16)
        hex_text(st, e->actor_staff.data, 16);
    snprintf(buf, n, "%s%s%s", m, st[0] ? "/" : "", st);
    return buf;
}

/* Who acted, by name, when the register gave it: the member's name, and
 * the person's after a slash ("北市 福祉政策課 / 事務局 山田"). */
static const char *actor_name(const Council__V1__AuditEvent *e, const member_names *names,
                              char *buf, size_t n)
{
    const char *m, *p = NULL;

    if (e->actor_kind == COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_SYSTEM ||
        e->actor_kind == COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT || !e->has_actor_member)
        return NULL;
    if ((m = member_name(names, e->actor_member.data, e->actor_member.len)) == NULL)
        return NULL;
    if (e->has_actor_staff)
        p = staff_name(names, e->actor_staff.data, e->actor_staff.len);
    if (p == NULL)
        return m;
    snprintf(buf, n, "%s / %s", m, p);
    return buf;
}

static json_t *event_json(const Council__V1__AuditEvent *e, const member_names *names)
{
    char whobuf[2 * COUNCIL_NAME_MAX + 8];
    const char *who = actor_name(e, names, whobuf, sizeof whobuf);
    json_t *j = json_object(), *sc = json_array();
    char t[32], hex[65], actor[80];

    time_text(t, sizeof t, e->time);
    json_object_set_new(j, "seq", json_integer((json_int_t)e->seq));
    json_object_set_new(j, "time", json_string(t));
    json_object_set_new(j, "action", json_string(action_name(e->action)));
    json_object_set_new(j, "actor", json_string(actor_text(e, actor, sizeof actor)));
    json_object_set_new(j, "outcome", json_string(
        e->outcome == COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED ? "refused" : "allowed"));
    if (e->has_subject_member && e->subject_member.len == 16) {
        hex_text(hex, e->subject_member.data, 16);
        json_object_set_new(j, "subject_member", json_string(hex));
    }
    if (e->has_subject_staff && e->subject_staff.len == 16) {
        hex_text(hex, e->subject_staff.data, 16);
        json_object_set_new(j, "subject_staff", json_string(hex));
    }
    if (e->has_object_id && e->object_id.len == 16) {
        hex_text(hex, e->object_id.data, 16);
        json_object_set_new(j, "object", json_string(hex));
    }
    if (e->has_bundle_hash && e->bundle_hash.len == 32) {
        char bh[65];
        hex_text(bh, e->bundle_hash.data, 32);
        json_object_set_new(j, "bundle", json_string(bh));
    }
    if (e->has_consent_id && e->consent_id.len == 16) {
        char u[37];
        uuid_text_of(u, e->consent_id.data);
        json_object_set_new(j, "consent", json_string(u));
    }
    if (e->has_case_ref && e->case_ref.len == 32) {
        hex_text(hex, e->case_ref.data, 32);
        json_object_set_new(j, "case", json_string(hex));
    }
    for (size_t i = 0; i < e->n_scopes; i++)
        json_array_append_new(sc, json_string(e->scopes[i]));
    json_object_set_new(j, "scopes", sc);
    if (e->purpose != NULL)
        json_object_set_new(j, "purpose", json_string(e->purpose));
    if (e->basis != NULL)
        json_object_set_new(j, "basis", json_string(e->basis));
    if (e->has_error)
        json_object_set_new(j, "error", json_integer(e->error));
    if (e->reason != NULL)
        json_object_set_new(j, "reason", json_string(e->reason));
    if (who != NULL)
        json_object_set_new(j, "actor_name", json_string(who));
    return j;
}

static void event_line(const Council__V1__AuditEvent *e, const member_names *names)
{
    char whobuf[2 * COUNCIL_NAME_MAX + 8];
    const char *who = actor_name(e, names, whobuf, sizeof whobuf);
    char t[32], hex[65], actor[80];

    time_text(t, sizeof t, e->time);
    printf("%-6llu %s  %-20s %-10s %s", (unsigned long long)e->seq, t, action_name(e->action),
           actor_text(e, actor, sizeof actor),
           e->outcome == COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_REFUSED ? "refused" : "allowed");
    if (e->has_subject_member && e->subject_member.len == 16) {
        hex_text(hex, e->subject_member.data, 16);
        printf(" member=%s", hex);
    }
    if (e->has_subject_staff && e->subject_staff.len == 16) {
        hex_text(hex, e->subject_staff.data, 16);
        printf(" staff=%s", hex);
    }
    if (e->has_object_id && e->object_id.len == 16) {
        hex_text(hex, e->object_id.data, 16);
        printf(" object=%s", hex);
    }
    if (e->has_bundle_hash && e->bundle_hash.len == 32) {
        char bh[65];
        hex_text(bh, e->bundle_hash.data, 32);
        printf(" bundle=%s", bh);
    }
    if (e->has_consent_id && e->consent_id.len == 16) {
        char u[37];
        uuid_text_of(u, e->consent_id.data);
        printf(" consent=%s", u);
    }
    if (e->has_case_ref && e->case_ref.len == 32) {
        hex_text(hex, e->case_ref.data, 32);
        printf(" case=%s", hex);
    }
    for (size_t i = 0; i < e->n_scopes; i++)
        printf("%s%s", i == 0 ? " scopes=" : ",", e->scopes[i]);
    if (e->purpose != NULL)
        printf(" purpose=%s", e->purpose);
    if (e->basis != NULL)
        printf(" basis=%s", e->basis);
    if (e->has_error)
        printf(" error=%d", e->error);
    if (e->reason != NULL)
        printf(" reason=%s", e->reason);
    if (who != NULL)
        printf(" actor_name=%s", who); /* last: a name may hold spaces */
    putchar('\n');
}

/* One pass over the events matching f (and, when staff is not NULL, made by
 * that staff member), a page at a time: fn(event, ctx) for each, until it
 * returns nonzero. 0, or failed()'s exit status. */
typedef int (*event_fn)(const Council__V1__AuditEvent *e, void *ctx);

static int each_event(council *c, council_audit_filter f, const uint8_t *staff, event_fn fn,
                      void *ctx)
{
    for (;;) {
        Council__V1__AuditEventList *l;
        council_buf buf = { NULL, 0 };
        size_t got;
        int rc, stop = 0;

        rc = council_audit_list(c, &buf, &f);
        if (rc != COUNCIL_OK)
            return failed("audit show", c, rc);
        l = council__v1__audit_event_list__unpack(NULL, buf.len, buf.ptr);
        council_buf_free(&buf);
        if (l == NULL)
            return failed("audit show", NULL, COUNCIL_EFORMAT);
        for (size_t i = 0; !stop && i < l->n_events; i++) {
            const Council__V1__AuditEvent *e = l->events[i];
            if (staff != NULL && !(e->has_actor_staff && e->actor_staff.len == 16 &&
                                   memcmp(e->actor_staff.data, staff, 16) == 0))
                continue;
            stop = fn(e, ctx);
        }
        got = l->n_events;
        f.from_seq = l->next_seq;
        council__v1__audit_event_list__free_unpacked(l, NULL);
        if (stop || got < f.limit)
            return 0;
    }
}

typedef struct show_ctx {
    unsigned long long skip, left; /* left: 0 for no bound */
    unsigned long long seen;
    json_t *arr;
    member_names names;
} show_ctx;

static int count_event(const Council__V1__AuditEvent *e, void *ctx)
{
    (void)e;
    ((show_ctx *)ctx)->seen++;
    return 0;
}

static int show_event(const Council__V1__AuditEvent *e, void *ctx)
{
    show_ctx *s = ctx;

    if (s->skip > 0) {
        s->skip--;
        return 0;
    }
    if (s->arr != NULL)
        json_array_append_new(s->arr, event_json(e, &s->names));
    else
        event_line(e, &s->names);
    return s->left != 0 && --s->left == 0;
}

static int do_show(const audit_opts *o)
{
    council_audit_filter f = COUNCIL_AUDIT_FILTER_INIT;
    uint8_t member[16], staff[16], ref[32], case_id[16];
    const uint8_t *by_staff = NULL;
    unsigned long long u, limit = 0, tail = 0;
    show_ctx s = { 0, 0, 0, NULL, { NULL } };
    council *c;
    int rc;

    if (o->since != NULL && time_arg("--since", o->since, TIME_START, &f.since) != 0)
        return EXIT_USAGE;
    if (o->until != NULL && time_arg("--until", o->until, TIME_END_INCLUSIVE, &f.until) != 0)
        return EXIT_USAGE;
    if (o->action != NULL && action_value(o->action, &f.action) != 0)
        return usage(_("--action: unknown action '%s'"), o->action);
    if (o->actor != NULL) {
        /* As audit show prints actors: MEMBER or MEMBER/STAFF, in hex or as UUIDs. */
        const char *slash = strchr(o->actor, '/');
        char m[40];
        size_t ml = slash != NULL ? (size_t)(slash - o->actor) : strlen(o->actor);

        if (ml >= sizeof m)
            return usage(_("--actor: not a member id: '%s'"), o->actor);
        memcpy(m, o->actor, ml);
        m[ml] = '\0';
        if (uuid_bytes(m, member) != 0 || (slash != NULL && uuid_bytes(slash + 1, staff) != 0))
            return usage(_("--actor: not a member id (or MEMBER/STAFF): '%s'"), o->actor);
        by_staff = slash != NULL ? staff : NULL;
        f.actor_member = member;
        f.actor_member_len = 16;
    }
    if (o->case_ref != NULL) {
        /* 64 hex digits: the pseudonym itself; else a case id. */
        if (strlen(o->case_ref) == 64) {
            if (hex_bytes(o->case_ref, ref, 32) != 0)
                return usage(_("--case: not a case id or 64-digit pseudonym: '%s'"), o->case_ref);
            f.case_ref = ref;
            f.case_ref_len = 32;
        } else {
            if (uuid_bytes(o->case_ref, case_id) != 0)
                return usage(_("--case: not a case id or 64-digit pseudonym: '%s'"), o->case_ref);
            f.case_id = case_id;
            f.case_id_len = 16;
        }
    }
    if (o->from != NULL) {
        if (parse_u64(o->from, &u) != 0)
            return usage(_("--from: not a number: '%s'"), o->from);
        f.from_seq = u;
    }
    if (o->limit != NULL && o->tail != NULL)
        return usage("%s", _("--limit (the oldest N) or --tail (the newest N), not both"));
    if (o->limit != NULL &&
        (parse_u64(o->limit, &limit) != 0 || limit == 0 || limit > COUNCIL_AUDIT_LIST_MAX))
        return usage(_("--limit: a number from 1 to %d"), COUNCIL_AUDIT_LIST_MAX);
    if (o->tail != NULL &&
        (parse_u64(o->tail, &tail) != 0 || tail == 0 || tail > COUNCIL_AUDIT_LIST_MAX))
        return usage(_("--tail: a number from 1 to %d"), COUNCIL_AUDIT_LIST_MAX);
    f.limit = 1000; /* the page size; --limit and --tail count matches */
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    if (o->json)
        s.arr = json_array();
    member_names_load(c, &s.names);
    rc = 0;
    if (tail != 0) {
        /* The newest N, oldest first: count the matches, then skip all but N. */
        rc = each_event(c, f, by_staff,
                        count_event, &s);
        s.skip = s.seen > tail ? s.seen - tail : 0;
        s.left = tail;
    } else {
        s.left = limit;
    }
    if (rc == 0)
        rc = each_event(c, f, by_staff,
                        show_event, &s);
    if (s.arr != NULL) {
        if (rc == 0) {
            char *text = json_dumps(s.arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            if (text != NULL) {
                printf("%s\n", text);
                free(text);
            } else {
                rc = EXIT_FAILURE;
            }
        }
        json_decref(s.arr);
    }
    member_names_free(&s.names);
    council_close(c);
    return rc;
}


static int do_checkpoint(const audit_opts *o)
{
    council_buf buf = { NULL, 0 };
    council *c;
    int rc;

    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    return print_buf_and_close(c, &buf, council_audit_checkpoint(c, &buf), "audit checkpoint");
}

/* root-uses: the council passphrase's declared uses, with their written reasons. */
static int do_root_uses(const audit_opts *o)
{
    council_buf buf = { NULL, 0 };
    Council__V1__RootUseList *l;
    council *c;
    int rc;

    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    rc = council_root_uses(c, &buf);
    l = unpack_reply(&council__v1__root_use_list__descriptor, &buf, &rc);
    if (rc == COUNCIL_OK && o->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l->n_uses; i++) {
            json_t *j = json_object();
            json_object_set_new(j, "seq", json_integer((json_int_t)l->uses[i]->seq));
            json_object_set_new(j, "reason", json_string(l->uses[i]->reason));
            json_object_set_new(j, "note", json_string(l->uses[i]->note));
            json_array_append_new(arr, j);
        }
        rc = print_json(arr) == 0 ? COUNCIL_OK : COUNCIL_ERROR;
    } else if (rc == COUNCIL_OK) {
        printf("%s  %s  %s\n", col(_("SEQ"), -6), col(_("REASON"), -14), _("WRITTEN REASON"));
        for (size_t i = 0; i < l->n_uses; i++)
            printf("%-6llu  %-14s  %s\n", (unsigned long long)l->uses[i]->seq, l->uses[i]->reason,
                   l->uses[i]->note);
    }
    council__v1__root_use_list__free_unpacked(l, NULL);
    if (rc != COUNCIL_OK) {
        rc = failed("audit root-uses", c, rc);
        council_close(c);
        return rc;
    }
    council_close(c);
    return 0;
}

static int do_head_reset(const audit_opts *o)
{
    council *c;
    int rc;

    if (o->reason == NULL)
        return usage("%s", _("audit reset-head --reason CODE (for example restored_from_backup)"));
    open_root_default("recovery", "council-cli audit reset-head");
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    rc = council_audit_head_reset(c, o->reason);
    rc = rc == COUNCIL_OK ? 0 : failed("audit reset-head", c, rc);
    if (rc == 0)
        fprintf(stderr, _("%s: the log as it is now is the signer's head; checkpoints signed before "
                "may not be consistent with the next one (witnesses will see it)\n"), prog);
    council_close(c);
    return rc;
}

static int do_export(const audit_opts *o)
{
    tmp_out t = { "", "" };
    council *c;
    int rc, to_stdout;

    if (o->out == NULL)
        return usage("%s", _("audit export needs --out FILE"));
    to_stdout = strcmp(o->out, "-") == 0;
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    /* The library writes a path: for standard output, a private temporary
     * file, copied out and removed. */
    if (to_stdout && tmp_out_make(&t) != 0) {
        council_close(c);
        return EXIT_FAILURE;
    }
    progress_start(_("exporting the audit log"), o->quiet);
    rc = council_audit_export(c, to_stdout ? t.path : o->out);
    progress_end();
    rc = rc == COUNCIL_OK ? 0 : failed("audit export", c, rc);
    if (rc == 0 && to_stdout && tmp_out_copy(&t) != 0)
        rc = EXIT_FAILURE;
    if (to_stdout)
        tmp_out_remove(&t);
    if (rc == 0 && !to_stdout)
        fprintf(stderr, _("%s: audit export written to %s\n"), prog, o->out);
    council_close(c);
    return rc;
}

static int do_prove(const audit_opts *o)
{
    unsigned long long a = 0, b = 0;
    council_buf buf = { NULL, 0 };
    council *c;
    int rc;

    if ((o->index != NULL) == (o->from != NULL))
        return usage("%s", _("audit prove needs --index I or --from M"));
    if (o->index != NULL && (parse_u64(o->index, &a) != 0 ||
                             (o->size != NULL && parse_u64(o->size, &b) != 0) || o->to != NULL))
        return usage("%s", _("audit prove --index I [--size N]: whole numbers"));
    if (o->from != NULL && (parse_u64(o->from, &a) != 0 ||
                            (o->to != NULL && parse_u64(o->to, &b) != 0) || o->size != NULL))
        return usage("%s", _("audit prove --from M [--to N]: whole numbers"));
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    rc = o->index != NULL ? council_audit_prove_inclusion(c, &buf, a, b)
                          : council_audit_prove_consistency(c, &buf, a, b);
    return print_buf_and_close(c, &buf, rc, "audit prove");
}

/* audit verify --json: what verified, as one object. */
static int verify_json(const Council__V1__AuditVerifyReport *r, char kind, const char *root)
{
    json_t *j = json_object();

    json_object_set_new(j, "verified", json_string(kind == 'e' ? "export" : kind == 'p' ? "proof"
                                                                                 : "checkpoint"));
    if (kind == 'e') {
        json_object_set_new(j, "events", json_integer((json_int_t)r->events));
        json_object_set_new(j, "checkpoints", json_integer(r->checkpoints));
    }
    json_object_set_new(j, "tree_size", json_integer((json_int_t)r->tree_size));
    json_object_set_new(j, "root", json_string(root));
    if (kind != 'p')
        json_object_set_new(j, "cosignatures", json_integer(r->cosignatures));
    return print_json(j);
}

static int do_verify(const audit_opts *o, const char *file)
{
    council_audit_verify_options vo = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    Council__V1__AuditVerifyReport *r = NULL;
    council_buf rep = { NULL, 0 };
    char *key = NULL, *wk[MAX_WITNESSES] = { NULL }, *old = NULL, *text = NULL, *cp = NULL;
    size_t old_len = 0, text_len = 0, cp_len = 0;
    unsigned long long req = 0;
    char head[8] = { 0 }, kind;
    FILE *f;
    int rc = EXIT_FAILURE;

    if (file == NULL || o->key == NULL)
        return usage("%s", _("audit verify FILE --key VKEY"));
    if (o->require != NULL && (parse_u64(o->require, &req) != 0 || req > o->n_witness))
        return usage("%s", _("--require K: at most the number of --witness keys"));
    key = vkey_arg(o->key);
    for (size_t i = 0; i < o->n_witness; i++)
        wk[i] = vkey_arg(o->witness[i]);
    if (key == NULL)
        goto out;
    for (size_t i = 0; i < o->n_witness; i++)
        if (wk[i] == NULL)
            goto out;
    if (o->old_file != NULL && (old = slurp(o->old_file, 16384, &old_len, _("checkpoint"))) == NULL)
        goto out;
    vo.log_vkey = key;
    vo.witness_vkeys = (const char *const *)wk;
    vo.n_witnesses = o->n_witness;
    vo.required = (size_t)req;
    vo.known_checkpoint = old;
    vo.known_checkpoint_len = old_len;

    f = fopen(file, "rb");
    if (f == NULL) {
        fprintf(stderr, _("%s: cannot open %s: %s\n"), prog, file, strerror(errno));
        goto out;
    }
    if (fread(head, 1, sizeof head, f) != sizeof head)
        head[0] = 0;
    fclose(f);
    /* issue 16: a case evidence file (cmd_evidence.c) */
    if (memcmp(head, "council-", 8) == 0) {
        rc = evidence_verify_file(file, &vo, o->json, o->quiet);
        goto out;
    }
    if ((unsigned char)head[0] == 0x89 && memcmp(head + 1, "CAX", 3) == 0) {
        kind = 'e';
        progress_start(_("verifying the export"), o->quiet);
        rc = council_audit_verify_export(&rep, file, &vo);
        progress_end();
    } else {
        if ((text = slurp(file, 16384, &text_len, _("file"))) == NULL)
            goto out;
        kind = strncmp(text, "inclusion-proof/v1\n", 19) == 0 ||
               strncmp(text, "consistency-proof/v1\n", 21) == 0 ? 'p' : 'c';
        if (kind == 'p') {
            if (o->checkpoint_file == NULL) {
                rc = usage("%s", _("verifying a proof needs --checkpoint FILE"));
                goto out;
            }
            if ((cp = slurp(o->checkpoint_file, 16384, &cp_len, _("checkpoint"))) == NULL)
                goto out;
            rc = council_audit_verify_proof(&rep, text, text_len, cp, cp_len, &vo);
        } else {
            rc = council_audit_verify_checkpoint(&rep, text, text_len, &vo);
        }
    }
    if (rep.ptr != NULL)
        r = council__v1__audit_verify_report__unpack(NULL, rep.len, rep.ptr);
    if (rc == COUNCIL_OK && r != NULL) {
        char root[65] = "-";
        if (r->has_root_hash && r->root_hash.len == 32)
            hex_text(root, r->root_hash.data, 32);
        if (o->json)
            rc = verify_json(r, kind, root);
        else if (kind == 'e')
            printf(_("verified: %llu events, %u checkpoints, tree size %llu, root (hex) %s, "
                   "at most %u cosignatures on a checkpoint\n"), (unsigned long long)r->events,
                   r->checkpoints, (unsigned long long)r->tree_size, root, r->cosignatures);
        else if (kind == 'p')
            printf(_("verified proof: against the checkpoint of tree size %llu, root (hex) %s\n"),
                   (unsigned long long)r->tree_size, root);
        else
            printf(_("verified checkpoint: tree size %llu, root (hex) %s, %u cosignatures\n"),
                   (unsigned long long)r->tree_size, root, r->cosignatures);
        rc = rc != 0 ? EXIT_FAILURE : 0;
        /* An export proves itself whole and signed, not that nothing was
         * rolled back: only a checkpoint kept from before, or witnesses,
         * can say that. */
        if (kind == 'e' && old == NULL)
            fprintf(stderr, _("%s: note: without --old, this does not show that the log was not "
                    "rolled back; keep a checkpoint (audit checkpoint) and verify the next export "
                    "against it with --old FILE\n"), prog);
        if (kind != 'p' && req == 0)
            fprintf(stderr, _("%s: note: no witness was required; with --witness VKEY --require K "
                    "a rollback of the whole store is caught too\n"), prog);
    } else if (rc != EXIT_USAGE) {
        fprintf(stderr, _("%s: audit verify: %s (%s)\n"), prog,
                r != NULL ? r->message : _("no report"), cli_errstr(rc));
        if (r != NULL && r->first_bad_event >= 0)
            fprintf(stderr, _("%s: first bad event: %lld\n"), prog, (long long)r->first_bad_event);
        rc = exit_status(rc);
    }
out:
    council__v1__audit_verify_report__free_unpacked(r, NULL);
    council_buf_free(&rep);
    free(key);
    free(old);
    free(text);
    free(cp);
    for (size_t i = 0; i < o->n_witness; i++)
        free(wk[i]);
    return rc;
}

static int do_cosigned(const audit_opts *o, const char *file)
{
    size_t len;
    council *c;
    char *note;
    int rc;

    if (file == NULL)
        return usage("%s", _("audit add-cosignatures FILE"));
    if ((note = slurp(file, 16384, &len, _("checkpoint"))) == NULL)
        return EXIT_FAILURE;
    if ((rc = open_council(o->g, &c)) != 0) {
        free(note);
        return rc;
    }
    rc = council_audit_add_cosignatures(c, note, len);
    rc = rc == COUNCIL_OK ? 0 : failed("audit add-cosignatures", c, rc);
    if (rc == 0)
        fprintf(stderr, _("%s: cosignatures stored; later exports carry them\n"), prog);
    free(note);
    council_close(c);
    return rc;
}

static int do_witness(const audit_opts *o)
{
    char *old_note = NULL, *new_note = NULL, *proof = NULL, *key = NULL, *sk_hex = NULL;
    size_t old_len = 0, new_len = 0, proof_len = 0, sk_len = 0;
    council_buf out = { NULL, 0 };
    uint8_t sk[64];
    int rc = EXIT_FAILURE;

    if (o->old_file == NULL || o->new_file == NULL || o->key == NULL ||
        o->witness_key == NULL || o->name == NULL)
        return usage("%s", _("audit witness --old FILE --new FILE [--proof FILE] --key VKEY "
                           "--witness-key FILE --name NAME"));
    if ((old_note = slurp(o->old_file, 16384, &old_len, _("checkpoint"))) == NULL ||
        (new_note = slurp(o->new_file, 16384, &new_len, _("checkpoint"))) == NULL ||
        (o->proof_file != NULL &&
         (proof = slurp(o->proof_file, 16384, &proof_len, _("proof"))) == NULL) ||
        (key = vkey_arg(o->key)) == NULL ||
        (sk_hex = slurp(o->witness_key, 256, &sk_len, _("witness key"))) == NULL)
        goto out;
    if (witness_key_text(sk, sk_hex, sk_len) != 0) {
        fprintf(stderr, _("%s: the witness key file must hold 128 hex digits\n"), prog);
        goto out;
    }
    rc = council_audit_witness(&out, old_note, old_len, new_note, new_len, proof, proof_len, key,
                               o->name, sk, sizeof sk, (uint64_t)time(NULL));
    if (rc == COUNCIL_OK) {
        rc = fwrite(out.ptr, 1, out.len, stdout) == out.len ? 0 : EXIT_FAILURE;
    } else {
        fprintf(stderr, _("%s: audit witness: %s\n"), prog,
                rc == COUNCIL_ETAMPER ? _("the new checkpoint is not consistent with the old one "
                                        "(or a signature does not verify)")
                : rc == COUNCIL_EINVAL && o->proof_file == NULL
                    ? _("the sizes differ: a consistency proof is needed (--proof FILE)")
                    : cli_errstr(rc));
        rc = EXIT_FAILURE;
    }
out:
    sodium_memzero(sk, sizeof sk);
    if (sk_hex != NULL)
        sodium_memzero(sk_hex, sk_len);
    free(sk_hex);
    free(old_note);
    free(new_note);
    free(proof);
    free(key);
    council_buf_free(&out);
    return rc;
}

static int do_keygen(const audit_opts *o)
{
    council_buf sk = { NULL, 0 }, vk = { NULL, 0 };
    char hex[130];
    int fd, rc, to_stdout;

    if (o->name == NULL || o->out == NULL)
        return usage("%s", _("audit witness-keygen --name NAME --out FILE"));
    to_stdout = strcmp(o->out, "-") == 0;
    if (to_stdout && o->json)
        return usage("%s", _("--out - puts the secret key on standard output: no --json"));
    /* A secret key is not shown on a screen. */
    if (to_stdout && isatty(STDOUT_FILENO))
        return usage("%s", _("--out -: standard output is a terminal; the secret key goes to a "
                           "file or a pipe"));
    rc = council_witness_keygen(&sk, &vk, o->name);
    if (rc != COUNCIL_OK)
        return rc == COUNCIL_EINVAL ? usage(_("--name: not a key name: '%s'"), o->name)
                                    : failed("audit witness-keygen", NULL, rc);
    if ((fd = create_private(o->out)) < 0) {
        rc = EXIT_FAILURE;
    } else {
        hex_text(hex, sk.ptr, 64);
        hex[128] = '\n';
        rc = finish_private(fd, hex, 129) == 0 ? 0 : EXIT_FAILURE;
        sodium_memzero(hex, sizeof hex);
        if (rc == 0 && to_stdout)
            fprintf(stderr, _("%s: verifier key: %.*s\n"), prog, (int)vk.len, (const char *)vk.ptr);
        else if (rc == 0 && o->json) {
            json_t *j = json_object();
            json_object_set_new(j, "name", json_string(o->name));
            json_object_set_new(j, "verifier_key", json_stringn((const char *)vk.ptr, vk.len));
            rc = print_json(j);
        } else if (rc == 0)
            printf("%.*s\n", (int)vk.len, (const char *)vk.ptr);
        else
            fprintf(stderr, _("%s: cannot write %s: %s\n"), prog, o->out, strerror(errno));
    }
    council_buf_free(&sk);
    council_buf_free(&vk);
    return rc;
}

/* ------------------------------------------------------------ commands */

static const cli_help show_help = {
    "[--since T] [--until T] [--action NAME] [--actor ID] [--case ID] [--from SEQ] [--limit N | --tail N] [--json]",
    N_("Lists the log's events, oldest first: sequence number, time, action, actor,\n"
    "outcome, and what the event concerns.\n"
    "\n"
    "Options:\n"
    "  --since T, --until T   only events in this time range\n"
    "  --action NAME          only this action (as listed, e.g. share_granted)\n"
    "  --actor ID             only this member's events: a member id, as a UUID or\n"
    "                         as actors are listed (hex); MEMBER/STAFF for one\n"
    "                         staff member's\n"
    "  --case ID              only this case's events: its id (UUID), or its\n"
    "                         64-digit pseudonym (as listed, and as case info shows)\n"
    "  --from SEQ             from this sequence number\n"
    "  --limit N              the oldest N matching events (1 to the library's maximum)\n"
    "  --tail N               the newest N matching events, still oldest first\n"
    "  --json                 as a JSON array\n"),
    "  council-cli --store ./council audit show --since 2026-04-01 --action share_granted\n"
    "  council-cli --store ./council audit show --case 3f0c5a4e-8d1b-4c2a-9e7f-0a1b2c3d4e5f \\\n"
    "      --tail 20\n",
};

static const cli_opt show_opts[] = {
    OPT_STR("since", audit_opts, since),
    OPT_STR("until", audit_opts, until),
    OPT_STR("action", audit_opts, action),
    OPT_STR("actor", audit_opts, actor),
    OPT_STR("case", audit_opts, case_ref),
    OPT_STR("limit", audit_opts, limit),
    OPT_STR("tail", audit_opts, tail),
    OPT_STR("from", audit_opts, from),
    OPT_FLAG("json", audit_opts, json),
};
static const cli_spec show_spec = CLI_SPEC(show_opts, show_help, CLI_STORE | CLI_SESSION, 0);

int cmd_audit_show(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    audit_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &show_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_show(&o);
}

static const cli_help checkpoint_help = {
    "",
    N_("Signs and prints a checkpoint of the log (a signed note of its size and root).\n"
    "Keep it: pass it to audit verify --old later, to show that the log was not\n"
    "rolled back.\n"),
    "  council-cli --store ./council audit checkpoint >cp.txt\n",
};

static const cli_spec checkpoint_spec = CLI_SPEC_NO_OPTS(checkpoint_help, CLI_STORE | CLI_SESSION, 0);

int cmd_audit_checkpoint(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    audit_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &checkpoint_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_checkpoint(&o);
}

static const cli_help root_uses_help = {
    "[--json]",
    N_("Lists each use of the council passphrase (root) that declared its reason:\n"
    "the sequence number of its session_opened event (which carries the reason\n"
    "code), the code, and the written reason the store keeps beside it (never in\n"
    "the log). The secretariat's.\n"
    "\n"
    "Options:\n"
    "  --json                 as a JSON array\n"),
    "  council-cli --store ./council audit root-uses\n",
};

static const cli_opt root_uses_opts[] = {
    OPT_FLAG("json", audit_opts, json),
};
static const cli_spec root_uses_spec = CLI_SPEC(root_uses_opts, root_uses_help,
                                                CLI_STORE | CLI_SESSION, 0);

int cmd_audit_root_uses(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    audit_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &root_uses_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_root_uses(&o);
}

static const cli_help reset_head_help = {
    "--reason CODE",
    N_("After a refused checkpoint (the log does not extend what the signer last saw)\n"
    "was dealt with: take the log as it is as the signer's head. Checkpoints\n"
    "signed before may not be consistent with the next one; witnesses will see it.\n"
    "\n"
    "Options:\n"
    "  --reason CODE          why, for the log (for example restored_from_backup)\n"),
    "  council-cli --store ./council audit reset-head --reason restored_from_backup\n",
};

static const cli_opt reset_head_opts[] = {
    OPT_STR("reason", audit_opts, reason),
};
static const cli_spec reset_head_spec = CLI_SPEC(reset_head_opts, reset_head_help, CLI_STORE, 0);

int cmd_audit_reset_head(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    audit_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &reset_head_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_head_reset(&o);
}

static const cli_help export_help = {
    "--out FILE [--quiet]",
    N_("Writes every event and checkpoint of the log to FILE, for an auditor to\n"
    "verify with the log's public key alone (audit verify).\n"
    "\n"
    "Options:\n"
    "  --out FILE             the export file ('-': standard output, by way of a\n"
    "                         private temporary file, removed after)\n"
    HELP_QUIET),
    "  council-cli --store ./council audit export --out log.cax\n",
};

static const cli_opt export_opts[] = {
    OPT_STR("out", audit_opts, out),
    OPT_FLAG("quiet", audit_opts, quiet),
};
static const cli_spec export_spec = CLI_SPEC(export_opts, export_help, CLI_STORE | CLI_SESSION, 0);

int cmd_audit_export(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    audit_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &export_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_export(&o);
}

static const cli_help prove_help = {
    "--index I [--size N] | --from M [--to N]",
    N_("Prints a proof: with --index, that event I is in the log of size N (default:\n"
    "the log's size now); with --from, that the log of size N (default: now)\n"
    "extends the log of size M.\n"
    "\n"
    "Options:\n"
    "  --index I, --size N    an inclusion proof\n"
    "  --from M, --to N       a consistency proof\n"),
    "  council-cli --store ./council audit prove --index 41 >p.txt\n",
};

static const cli_opt prove_opts[] = {
    OPT_STR("from", audit_opts, from),
    OPT_STR("index", audit_opts, index),
    OPT_STR("size", audit_opts, size),
    OPT_STR("to", audit_opts, to),
};
static const cli_spec prove_spec = CLI_SPEC(prove_opts, prove_help, CLI_STORE | CLI_SESSION, 0);

int cmd_audit_prove(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    audit_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &prove_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_prove(&o);
}

static const cli_help cosigned_help = {
    "FILE",
    N_("Stores a witness's cosigned checkpoint (as audit witness printed it); later\n"
    "exports carry the cosignatures.\n"),
    "  council-cli --store ./council audit add-cosignatures cosigned.txt\n",
};

static const cli_spec cosigned_spec = CLI_SPEC_NO_OPTS(cosigned_help, CLI_STORE | CLI_SESSION, 1);

int cmd_audit_add_cosignatures(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    audit_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &cosigned_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_cosigned(&o, pos[0]);
}

static const cli_help verify_help = {
    "FILE --key VKEY [--old CHECKPOINT] [--checkpoint FILE] [--witness VKEY]... [--require K] [--json] [--quiet]",
    N_("Verifies an export, a checkpoint or a proof with the log's public key alone\n"
    "(no store): a proof against --checkpoint; a consistency proof also needs\n"
    "--old, the checkpoint you kept. Exit 1 if it does not verify.\n"
    "\n"
    "Options:\n"
    "  --key VKEY             the log's verifier key (as info prints it), or @FILE\n"
    "  --old CHECKPOINT       a checkpoint kept from before: the log must extend it\n"
    "  --checkpoint FILE      the checkpoint a proof is checked against\n"
    "  --witness VKEY         a witness's verifier key (repeatable), or @FILE\n"
    "  --require K            at least K of the witnesses must have cosigned\n"
    "  --json                 what verified, as a JSON object (a failure: nothing\n"
    "                         on stdout, the reason on stderr)\n"
    HELP_QUIET),
    "  council-cli audit verify log.cax --key @log.vkey --old cp.txt\n",
};

static const cli_opt verify_opts[] = {
    OPT_STR("key", audit_opts, key),
    OPT_LIST("witness", audit_opts, witness, n_witness, MAX_WITNESSES),
    OPT_STR("require", audit_opts, require),
    OPT_STR("old", audit_opts, old_file),
    OPT_STR("checkpoint", audit_opts, checkpoint_file),
    OPT_FLAG("json", audit_opts, json),
    OPT_FLAG("quiet", audit_opts, quiet),
};
static const cli_spec verify_spec = CLI_SPEC(verify_opts, verify_help, 0, 1);

int cmd_audit_verify(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    audit_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &verify_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_verify(&o, pos[0]);
}

static const cli_help witness_help = {
    "--old FILE --new FILE [--proof FILE] --key VKEY --witness-key FILE --name NAME",
    N_("A witness's work (no store): checks that the new checkpoint is consistent\n"
    "with the old one it saw before, and prints the new one cosigned.\n"
    "\n"
    "Options:\n"
    "  --old FILE, --new FILE the checkpoint seen before, and the new one\n"
    "  --proof FILE           the consistency proof (audit prove --from), when the\n"
    "                         sizes differ\n"
    "  --key VKEY             the log's verifier key, or @FILE\n"
    "  --witness-key FILE     the witness's secret key (audit witness-keygen)\n"
    "  --name NAME            the witness's key name\n"),
    "  council-cli audit witness --old cp-old.txt --new cp.txt --proof p.txt \\\n"
    "      --key @log.vkey --witness-key witness.key --name shakyo.example/witness\n",
};

static const cli_opt witness_opts[] = {
    OPT_STR("name", audit_opts, name),
    OPT_STR("key", audit_opts, key),
    OPT_STR("old", audit_opts, old_file),
    OPT_STR("new", audit_opts, new_file),
    OPT_STR("proof", audit_opts, proof_file),
    OPT_STR("witness-key", audit_opts, witness_key),
};
static const cli_spec witness_spec = CLI_SPEC(witness_opts, witness_help, 0, 0);

int cmd_audit_witness(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    audit_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &witness_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_witness(&o);
}

static const cli_help keygen_help = {
    "--name NAME --out FILE|- [--json]",
    N_("Makes a witness key (no store): the secret key goes to FILE (a new file of\n"
    "mode 0600), the verifier key is printed. With --out -, the secret key goes\n"
    "to standard output (refused when that is a terminal) and the verifier key\n"
    "to stderr.\n"
    "\n"
    "Options:\n"
    "  --name NAME            the key's name (for example shakyo.example/witness)\n"
    "  --out FILE             the secret key file ('-': standard output, not a\n"
    "                         terminal)\n"
    "  --json                 {\"name\": NAME, \"verifier_key\": VKEY} (not with\n"
    "                         --out -)\n"),
    "  council-cli audit witness-keygen --name shakyo.example/witness --out witness.key\n",
};

static const cli_opt keygen_opts[] = {
    OPT_STR("name", audit_opts, name),
    OPT_STR("out", audit_opts, out),
    OPT_FLAG("json", audit_opts, json),
};
static const cli_spec keygen_spec = CLI_SPEC(keygen_opts, keygen_help, 0, 0);

int cmd_audit_witness_keygen(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    audit_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &keygen_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_keygen(&o);
}
