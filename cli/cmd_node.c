/*
 * cmd_node.c - a member node (council_node(3)): node init, show, import,
 * list, read, purge, answer, return-sections, cosign, export-log. The node
 * is the directory --store names (node init: DIR); the member's keyfile is
 * --keyfile (or $COUNCIL_KEYFILE) and its passphrase --passphrase-file (or
 * $COUNCIL_MEMBER_PASSPHRASE, or the terminal), as for a staff session.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "cli.h"
#include "cmds.h"
#include "caseview.h"
#include "council/v1/bundle.pb-c.h"
#include "council/v1/case.pb-c.h"
#include "council/v1/node.pb-c.h"
#include "json.h"
#include "open.h"
#include "util.h"

#define KEYFILE_CAP 8192
#define TEXT_CAP (1024u * 1024u)

typedef struct node_opts {
    const cli_global *g;
    const char *pass_file; /* node init: the member's passphrase */
    const char *out, *step, *reason, *decline, *text_file, *case_id, *person, *purpose;
    const char *scopes[MAX_SCOPES], *files[MAX_SCOPES];
    size_t n_scope, n_file;
    int json;
} node_opts;

enum { N_INIT, N_SHOW, N_IMPORT, N_LIST, N_READ, N_PURGE, N_ANSWER, N_RETURN, N_COSIGN, N_EXPORT };

static int node_failed(council_node *n, int rc)
{
    fprintf(stderr, _("%s: %s (%s)\n"), prog, council_node_errmsg(n), cli_errstr(rc));
    return exit_status(rc);
}

/* Open (or, for init, make) the node with the member's keyfile and
 * passphrase: 0, or an exit status. */
static int node_open(const node_opts *o, const char *dir, int init, council_node **n)
{
    const char *kfp = o->g->keyfile != NULL ? o->g->keyfile : getenv("COUNCIL_KEYFILE");
    const char *pf = init ? o->pass_file : o->g->pass_file;
    char pass[PASS_BUF], *kf;
    size_t kf_len;
    long len;
    int rc;

    *n = NULL;
    if (dir == NULL || dir[0] == '\0')
        return usage("%s", init ? _("node init needs the node's DIR")
                                : _("no node: give --store DIR"));
    if (kfp == NULL || kfp[0] == '\0')
        return usage("%s", _("a node needs the member's --keyfile FILE (or $COUNCIL_KEYFILE)"));
    if ((kf = slurp(kfp, KEYFILE_CAP, &kf_len, _("keyfile"))) == NULL)
        return EXIT_FAILURE;
    len = get_passphrase(pf, "COUNCIL_MEMBER_PASSPHRASE", 0, _("Member passphrase: "), pass,
                         sizeof pass);
    if (len < 0) {
        sodium_memzero(kf, kf_len);
        free(kf);
        return len == -2 ? usage("%s", _("no member passphrase: use --passphrase-file, "
                                       "$COUNCIL_MEMBER_PASSPHRASE or a terminal"))
                         : EXIT_FAILURE;
    }
    rc = init ? council_node_init(n, dir, (const uint8_t *)kf, kf_len, (const uint8_t *)pass,
                                  (size_t)len)
              : council_node_open(n, dir, (const uint8_t *)kf, kf_len, (const uint8_t *)pass,
                                  (size_t)len);
    sodium_memzero(pass, sizeof pass);
    sodium_memzero(kf, kf_len);
    free(kf);
    if (rc != COUNCIL_OK) {
        rc = node_failed(*n, rc);
        council_node_close(*n);
        *n = NULL;
        return rc;
    }
    return 0;
}

/* A bundle to --out FILE (never replaced; "-": standard output). */
static int write_bundle(const node_opts *o, const council_buf *b, const char *what)
{
    int fd;

    if ((fd = create_private(o->out)) < 0)
        return EXIT_FAILURE;
    if (finish_private(fd, b->ptr, b->len) != 0) {
        fprintf(stderr, _("%s: cannot write %s: %s\n"), prog, o->out, strerror(errno));
        remove_private(o->out);
        return EXIT_FAILURE;
    }
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "bundle", json_string(what));
        json_object_set_new(j, "out", json_string(o->out));
        json_object_set_new(j, "bytes", json_integer((json_int_t)b->len));
        return print_json(j);
    }
    fprintf(stderr, _("%s: %s bundle written to %s (%zu bytes, sealed to the council)\n"), prog,
            what, strcmp(o->out, "-") == 0 ? _("standard output") : o->out, b->len);
    return 0;
}

static json_t *item_json(const Council__V1__NodeItem *it)
{
    json_t *j = json_object();

    json_object_set_new(j, "id", id_json(it->id));
    json_object_set_new(j, "kind", json_string(it->kind));
    json_object_set_new(j, "case", it->has_case_id ? id_json(it->case_id) : json_null());
    json_object_set_new(j, "person", it->has_person_id ? id_json(it->person_id) : json_null());
    json_object_set_new(j, "object", it->has_object_id ? id_json(it->object_id) : json_null());
    json_object_set_new(j, "scopes", str_array_json(it->scopes, it->n_scopes));
    json_object_set_new(j, "imported", time_json(it->imported));
    json_object_set_new(j, "expires", time_json(it->expires));
    return j;
}

static int node_show(council_node *n, const node_opts *o)
{
    council_buf b = { NULL, 0 };
    Council__V1__NodeInfo *i;
    char id[37];
    int rc = council_node_info(n, &b);

    if (rc != COUNCIL_OK)
        return node_failed(n, rc);
    if ((i = unpack_reply(&council__v1__node_info__descriptor, &b, &rc)) == NULL) {
        council_buf_free(&b);
        return node_failed(n, rc);
    }
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "node", id_json(i->node_id));
        json_object_set_new(j, "member", id_json(i->member_id));
        json_object_set_new(j, "council", id_json(i->council_id));
        json_object_set_new(j, "node_log_vkey", json_string(i->node_log_vkey));
        json_object_set_new(j, "witness_name", json_string(i->witness_name));
        json_object_set_new(j, "witness_vkey", json_string(i->witness_vkey));
        json_object_set_new(j, "council_log_vkey", json_string(i->council_log_vkey));
        json_object_set_new(j, "reply_key_known", json_boolean(i->reply_key_known));
        json_object_set_new(j, "items", json_integer((json_int_t)i->items));
        json_object_set_new(j, "checkpoint_size", json_integer((json_int_t)i->checkpoint_size));
        json_object_set_new(j, "log_size", json_integer((json_int_t)i->log_size));
        rc = print_json(j) == 0 ? COUNCIL_OK : COUNCIL_ERROR;
    } else {
        field_line(_("node"), "", id_of(id, i->node_id));
        field_line(_("member"), "", id_of(id, i->member_id));
        field_line(_("council"), "", id_of(id, i->council_id));
        field_line(_("node log key"), "", i->node_log_vkey);
        field_line(_("witness key"), "", i->witness_vkey);
        field_line(_("council log key"), "", i->council_log_vkey);
        field_line(_("answers"), "", i->reply_key_known ? _("can be sent")
                                                       : _("not yet (import a council bundle)"));
        printf("  %s %llu\n  %s %llu\n  %s %llu\n", col(_("items:"), -16),
               (unsigned long long)i->items, col(_("checkpoint:"), -16),
               (unsigned long long)i->checkpoint_size, col(_("log events:"), -16),
               (unsigned long long)i->log_size);
    }
    council__v1__node_info__free_unpacked(i, NULL);
    council_buf_free(&b);
    return rc == COUNCIL_OK ? 0 : EXIT_FAILURE;
}

static int node_import(council_node *n, const node_opts *o, const char *file)
{
    council_buf r = { NULL, 0 };
    Council__V1__BundleImportResult *res;
    size_t len = 0;
    char *b;
    int rc;

    if (file == NULL)
        return usage("%s", _("node import needs the bundle FILE"));
    if ((b = slurp(file, COUNCIL_BUNDLE_MAX, &len, _("bundle"))) == NULL)
        return EXIT_FAILURE;
    rc = council_node_import(n, &r, (const uint8_t *)b, len);
    free(b);
    if (rc != COUNCIL_OK)
        return node_failed(n, rc);
    if ((res = unpack_reply(&council__v1__bundle_import_result__descriptor, &r, &rc)) == NULL) {
        council_buf_free(&r);
        return node_failed(n, rc);
    }
    if (o->json) {
        json_t *j = json_object(), *st = json_array(), *dl = json_array();
        char hex[65];
        hex_text(hex, res->hash.data, res->hash.len == 32 ? 32 : 0);
        for (size_t i = 0; i < res->n_stored; i++)
            json_array_append_new(st, id_json(res->stored[i]));
        for (size_t i = 0; i < res->n_deleted; i++)
            json_array_append_new(dl, id_json(res->deleted[i]));
        json_object_set_new(j, "hash", json_string(hex));
        json_object_set_new(j, "outcome", res->outcome != NULL ? json_string(res->outcome)
                                                               : json_null());
        json_object_set_new(j, "stored", st);
        json_object_set_new(j, "deleted", dl);
        json_object_set_new(j, "expires", time_json(res->expires));
        rc = print_json(j) == 0 ? COUNCIL_OK : COUNCIL_ERROR;
    } else {
        char id[37];
        printf(_("imported: %s, %zu stored, %zu deleted\n"),
               res->outcome != NULL ? res->outcome : "-", res->n_stored, res->n_deleted);
        for (size_t i = 0; i < res->n_stored; i++)
            printf("  + %s\n", id_of(id, res->stored[i]));
        for (size_t i = 0; i < res->n_deleted; i++)
            printf("  - %s\n", id_of(id, res->deleted[i]));
    }
    council__v1__bundle_import_result__free_unpacked(res, NULL);
    council_buf_free(&r);
    return rc == COUNCIL_OK ? 0 : EXIT_FAILURE;
}

static int node_list(council_node *n, const node_opts *o)
{
    council_buf b = { NULL, 0 };
    Council__V1__NodeItemList *l;
    int rc = council_node_list(n, &b);

    if (rc != COUNCIL_OK)
        return node_failed(n, rc);
    if ((l = unpack_reply(&council__v1__node_item_list__descriptor, &b, &rc)) == NULL) {
        council_buf_free(&b);
        return node_failed(n, rc);
    }
    if (o->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < l->n_items; i++)
            json_array_append_new(arr, item_json(l->items[i]));
        rc = print_json(arr) == 0 ? COUNCIL_OK : COUNCIL_ERROR;
    } else {
        printf("%s  %s  %s  %s\n", col(_("ID"), -36), col(_("KIND"), -14), col(_("SCOPES"), -16),
               _("EXPIRES"));
        for (size_t i = 0; i < l->n_items; i++) {
            const Council__V1__NodeItem *it = l->items[i];
            char id[37], t[32], sc[128] = "";
            for (size_t k = 0; k < it->n_scopes; k++) {
                if (k > 0)
                    strncat(sc, ",", sizeof sc - strlen(sc) - 1);
                strncat(sc, it->scopes[k], sizeof sc - strlen(sc) - 1);
            }
            time_text(t, sizeof t, it->expires);
            printf("%s  %s  %s  %s\n", id_of(id, it->id), col(it->kind, -14),
                   col(sc[0] ? sc : "-", -16), t);
        }
    }
    council__v1__node_item_list__free_unpacked(l, NULL);
    council_buf_free(&b);
    return rc == COUNCIL_OK ? 0 : EXIT_FAILURE;
}

static int node_read(council_node *n, const node_opts *o, const char *arg)
{
    council_buf b = { NULL, 0 };
    Council__V1__NodeItemContent *ic;
    uint8_t id[COUNCIL_ID_BYTES];
    int rc;

    if (arg == NULL || id_arg(arg, id) != 0)
        return usage("%s", _("node read needs an item ID"));
    if ((rc = council_node_read(n, &b, id, sizeof id)) != COUNCIL_OK)
        return node_failed(n, rc);
    if ((ic = council__v1__node_item_content__unpack(wiping(), b.len, b.ptr)) == NULL) {
        council_buf_free(&b);
        return node_failed(n, COUNCIL_EFORMAT);
    }
    if (strcmp(ic->item->kind, "section") == 0) {
        /* A section: the SectionRecord the council read, shown as case show does. */
        Council__V1__SectionRecord *r =
            council__v1__section_record__unpack(wiping(), ic->content.len, ic->content.data);
        if (r == NULL) {
            rc = COUNCIL_EFORMAT;
            fprintf(stderr, _("%s: node read: the item's section does not parse\n"), prog);
        } else if (o->json) {
            json_t *j = item_json(ic->item);
            json_object_set_new(j, "section", record_json(r));
            rc = print_json_wiped(j) == 0 ? COUNCIL_OK : COUNCIL_ERROR;
        } else {
            record_lines(r);
        }
        council__v1__section_record__free_unpacked(r, wiping());
    } else if (o->json) {
        json_t *j = item_json(ic->item);
        size_t cap = sodium_base64_encoded_len(ic->content.len, sodium_base64_VARIANT_ORIGINAL);
        char *b64 = malloc(cap);
        if (b64 != NULL) {
            sodium_bin2base64(b64, cap, ic->content.data, ic->content.len,
                              sodium_base64_VARIANT_ORIGINAL);
            json_object_set_new(j, "content_base64", json_string(b64));
            sodium_memzero(b64, cap);
            free(b64);
        }
        rc = print_json_wiped(j) == 0 ? COUNCIL_OK : COUNCIL_ERROR;
    } else if (isatty(STDOUT_FILENO)) {
        /* A meeting packet, referral, request or consent: a serialised
         * council.v1 message, not for a terminal. */
        fprintf(stderr, _("%s: node read: a %s is a serialised message (%zu bytes): use --json, "
                          "or send standard output to a file or program\n"),
                prog, ic->item->kind, ic->content.len);
        rc = COUNCIL_EINVAL;
    } else if (fwrite(ic->content.data, 1, ic->content.len, stdout) != ic->content.len ||
               fflush(stdout) != 0) {
        rc = COUNCIL_EIO;
    }
    protobuf_c_message_free_unpacked(&ic->base, wiping());
    council_buf_free(&b);
    return rc == COUNCIL_OK ? 0 : EXIT_FAILURE;
}

static int node_answer(council_node *n, const node_opts *o, const char *what, const char *arg)
{
    council_bundle_options bo = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf b = { NULL, 0 };
    uint8_t id[COUNCIL_ID_BYTES];
    char *text = NULL;
    size_t len = 0;
    int referral, rc;

    if (what == NULL || (strcmp(what, "referral") != 0 && strcmp(what, "request") != 0))
        return usage("%s", _("node answer needs 'referral' or 'request', then its ID"));
    referral = strcmp(what, "referral") == 0;
    if (arg == NULL || id_arg(arg, id) != 0)
        return usage(_("node answer %s needs its ID"), what);
    if (o->out == NULL)
        return usage("%s", _("give --out FILE for the bundle ('-': standard output)"));
    if (referral && o->step == NULL)
        return usage("%s", _("node answer referral needs --step accepted or --step declined"));
    if (!referral && (o->text_file == NULL) == (o->decline == NULL))
        return usage("%s", _("node answer request needs --text-file FILE or --decline REASON"));
    if (o->text_file != NULL && (text = read_content(o->text_file, TEXT_CAP, &len)) == NULL)
        return EXIT_FAILURE;
    bo.purpose = o->purpose;
    rc = referral ? council_node_answer_referral(n, &b, id, sizeof id, o->step, o->reason, text,
                                                 &bo)
                  : council_node_answer_request(n, &b, id, sizeof id, text, o->decline, &bo);
    if (text != NULL) {
        sodium_memzero(text, len);
        free(text);
    }
    if (rc != COUNCIL_OK)
        return node_failed(n, rc);
    rc = write_bundle(o, &b, "answer");
    council_buf_free(&b);
    return rc;
}

static int node_return(council_node *n, const node_opts *o)
{
    council_bundle_options bo = COUNCIL_BUNDLE_OPTIONS_INIT;
    council_buf b = { NULL, 0 };
    uint8_t cid[COUNCIL_ID_BYTES], pid[COUNCIL_ID_BYTES];
    char *content[MAX_SCOPES] = { NULL };
    size_t lens[MAX_SCOPES] = { 0 };
    int rc = COUNCIL_OK;

    if (o->case_id == NULL || id_arg(o->case_id, cid) != 0 || o->person == NULL ||
        id_arg(o->person, pid) != 0)
        return usage("%s", _("node return-sections needs --case ID and --person ID"));
    if (o->n_scope == 0 || o->n_scope != o->n_file)
        return usage("%s", _("give one --file FILE for each --scope SCOPE, in the same order"));
    if (o->out == NULL)
        return usage("%s", _("give --out FILE for the bundle ('-': standard output)"));
    for (size_t i = 0; i < o->n_file; i++)
        if ((content[i] = read_content(o->files[i], TEXT_CAP, &lens[i])) == NULL)
            rc = EXIT_FAILURE;
    if (rc == COUNCIL_OK) {
        bo.purpose = o->purpose;
        rc = council_node_return_sections(n, &b, cid, sizeof cid, pid, sizeof pid, o->scopes,
                                          (const uint8_t *const *)content, lens, o->n_scope,
                                          &bo);
        rc = rc == COUNCIL_OK ? write_bundle(o, &b, "sections") : node_failed(n, rc);
    }
    for (size_t i = 0; i < o->n_file; i++)
        if (content[i] != NULL) {
            sodium_memzero(content[i], lens[i]);
            free(content[i]);
        }
    council_buf_free(&b);
    return rc;
}

static int do_node(const node_opts *o, int cmd, const char *p0, const char *p1)
{
    council_node *n = NULL;
    council_buf b = { NULL, 0 };
    uint64_t count = 0;
    int rc;

    if ((cmd == N_COSIGN) && o->out == NULL)
        return usage("%s", _("give --out FILE for the bundle ('-': standard output)"));
    if (cmd == N_EXPORT && p0 == NULL)
        return usage("%s", _("node export-log needs the FILE to write"));
    if ((rc = node_open(o, cmd == N_INIT ? p0 : o->g->store, cmd == N_INIT, &n)) != 0)
        return rc;
    switch (cmd) {
    case N_INIT:
    case N_SHOW:
        rc = node_show(n, o);
        break;
    case N_IMPORT:
        rc = node_import(n, o, p0);
        break;
    case N_LIST:
        rc = node_list(n, o);
        break;
    case N_READ:
        rc = node_read(n, o, p0);
        break;
    case N_PURGE:
        if ((rc = council_node_purge(n, &count)) != COUNCIL_OK) {
            rc = node_failed(n, rc);
        } else if (o->json) {
            json_t *j = json_object();
            json_object_set_new(j, "purged", json_integer((json_int_t)count));
            rc = print_json(j);
        } else {
            printf(_("%llu expired items deleted\n"), (unsigned long long)count);
        }
        break;
    case N_ANSWER:
        rc = node_answer(n, o, p0, p1);
        break;
    case N_RETURN:
        rc = node_return(n, o);
        break;
    case N_COSIGN:
        if ((rc = council_node_cosign(n, &b, NULL)) != COUNCIL_OK)
            rc = node_failed(n, rc);
        else
            rc = write_bundle(o, &b, "cosignature");
        council_buf_free(&b);
        break;
    default: /* N_EXPORT */
        if ((rc = council_node_audit_export(n, p0)) != COUNCIL_OK) {
            rc = node_failed(n, rc);
        } else if (o->json) {
            json_t *j = json_object();
            json_object_set_new(j, "out", json_string(p0));
            rc = print_json(j);
        } else {
            fprintf(stderr, _("%s: the node's log written to %s\n"), prog, p0);
        }
        break;
    }
    council_node_close(n);
    return rc;
}

/* ------------------------------------------------------------ commands */

static int run(cli_ctx *x, int argc, char **argv, const cli_spec *s, int cmd)
{
    const char *pos[CLI_MAX_POS];
    node_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, s, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_node(&o, cmd, pos[0], pos[1]);
}

#define NODE_FLAGS (CLI_STORE | CLI_SESSION)

static const cli_help init_help = {
    "DIR --keyfile FILE [--passphrase-file FILE] [--json]",
    N_("Makes a member node in DIR (new or empty) from the member's keyfile: the\n"
    "member's own store for what the council sends it. It pins the council and\n"
    "its log key from the keyfile (a keyfile without the log key is refused: ask\n"
    "the secretariat for a new one), makes the node's own log and witness keys,\n"
    "and prints what node show prints.\n"
    "\n"
    "Options:\n"
    "  --keyfile FILE         the member keyfile ($COUNCIL_KEYFILE)\n"
    "  --passphrase-file FILE the keyfile's passphrase ($COUNCIL_MEMBER_PASSPHRASE)\n"
    "  --json                 as a JSON object\n"),
    "  council-cli node init ./node --keyfile npo.keyfile\n",
};
static const cli_opt init_opts[] = {
    OPT_STR("passphrase-file", node_opts, pass_file),
    OPT_FLAG("json", node_opts, json),
};
static const cli_spec init_spec = CLI_SPEC(init_opts, init_help, CLI_SESSION, 1);

int cmd_node_init(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &init_spec, N_INIT);
}

static const cli_opt json_opts[] = {
    OPT_FLAG("json", node_opts, json),
};

static const cli_help show_help = {
    "[--json]",
    N_("Shows the node: its id, the member and council, its log's and witness's\n"
    "verifier keys, the council's pinned log key, whether answers can be sent,\n"
    "the items held, the council checkpoint last seen and its log's size.\n"
    "The node is the directory --store names; the member's --keyfile and\n"
    "passphrase open it.\n"),
    "  council-cli --store ./node node show --keyfile npo.keyfile\n",
};
static const cli_spec show_spec = CLI_SPEC(json_opts, show_help, NODE_FLAGS, 0);

int cmd_node_show(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &show_spec, N_SHOW);
}

static const cli_help import_help = {
    "FILE [--json]",
    N_("Imports a bundle from the council: checked (size, sender, signature,\n"
    "recipient, expiry, replay) before it is opened, each refusal logged in the\n"
    "node's log; its content kept under the node's keys, a revocation's items\n"
    "deleted, a checkpoint verified against the one seen before.\n"),
    "  council-cli --store ./node node import case.bundle --keyfile npo.keyfile\n",
};
static const cli_spec import_spec = CLI_SPEC(json_opts, import_help, NODE_FLAGS, 1);

int cmd_node_import(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &import_spec, N_IMPORT);
}

static const cli_help list_help = {
    "[--json]",
    N_("Lists the items the node holds (no content): id, kind, scopes, expiry.\n"),
    "  council-cli --store ./node node list --keyfile npo.keyfile\n",
};
static const cli_spec list_spec = CLI_SPEC(json_opts, list_help, NODE_FLAGS, 0);

int cmd_node_list(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &list_spec, N_LIST);
}

static const cli_help read_help = {
    "ID [--json]",
    N_("Prints an item's content (with --json: the item and its content in\n"
    "base64). The read is logged in the node's log first; an expired item is\n"
    "refused and deleted.\n"),
    "  council-cli --store ./node node read 0b9c...-... --keyfile npo.keyfile\n",
};
static const cli_spec read_spec = CLI_SPEC(json_opts, read_help, NODE_FLAGS, 1);

int cmd_node_read(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &read_spec, N_READ);
}

static const cli_help purge_help = {
    "[--json]",
    N_("Deletes every expired item and its key (each logged).\n"),
    "  council-cli --store ./node node purge --keyfile npo.keyfile\n",
};
static const cli_spec purge_spec = CLI_SPEC(json_opts, purge_help, NODE_FLAGS, 0);

int cmd_node_purge(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &purge_spec, N_PURGE);
}

static const cli_help answer_help = {
    "referral ID --step accepted|declined [--reason CODE] [--text-file FILE] --out FILE\n"
    "       node answer request ID (--text-file FILE | --decline REASON) --out FILE",
    N_("Writes a bundle to the council answering a referral (accepted, or declined\n"
    "with a reason code) or a cooperation request (an answer's text, or a\n"
    "decline's reason code), signed with the member's key and sealed to the\n"
    "council's reply key. --out never replaces a file.\n"
    "\n"
    "Options:\n"
    "  --step STEP            accepted or declined (a referral)\n"
    "  --reason CODE          why (a declined referral needs one)\n"
    "  --text-file FILE       the text ('-': standard input)\n"
    "  --decline REASON       decline a request, with this reason code\n"
    "  --out FILE             where the bundle goes ('-': standard output)\n"
    "  --json                 say what was written as JSON\n"),
    "  council-cli --store ./node node answer referral 4f1c...-... --step accepted \\\n"
    "      --keyfile npo.keyfile --out answer.bundle\n",
};
static const cli_opt answer_opts[] = {
    OPT_STR("step", node_opts, step),
    OPT_STR("reason", node_opts, reason),
    OPT_STR("text-file", node_opts, text_file),
    OPT_STR("decline", node_opts, decline),
    OPT_STR("out", node_opts, out),
    OPT_FLAG("json", node_opts, json),
};
static const cli_spec answer_spec = CLI_SPEC(answer_opts, answer_help, NODE_FLAGS, 2);

int cmd_node_answer(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &answer_spec, N_ANSWER);
}

static const cli_help return_help = {
    "--case ID --person ID --scope SCOPE --file FILE [...] [--purpose CODE] --out FILE",
    N_("Writes a bundle to the council returning a case's sections as the member\n"
    "updated them: one --file for each --scope, in the same order.\n"
    "\n"
    "Options:\n"
    "  --case ID, --person ID the case and person\n"
    "  --scope SCOPE          a section's scope (repeat)\n"
    "  --file FILE            its content (repeat)\n"
    "  --purpose CODE         the purpose code carried\n"
    "  --out FILE             where the bundle goes ('-': standard output)\n"
    "  --json                 say what was written as JSON\n"),
    "  council-cli --store ./node node return-sections --case 7d2e...-... \\\n"
    "      --person 1a9b...-... --scope basic --file basic.txt --keyfile npo.keyfile \\\n"
    "      --out sections.bundle\n",
};
static const cli_opt return_opts[] = {
    OPT_STR("case", node_opts, case_id),
    OPT_STR("person", node_opts, person),
    OPT_LIST("scope", node_opts, scopes, n_scope, MAX_SCOPES),
    OPT_LIST("file", node_opts, files, n_file, MAX_SCOPES),
    OPT_STR("purpose", node_opts, purpose),
    OPT_STR("out", node_opts, out),
    OPT_FLAG("json", node_opts, json),
};
static const cli_spec return_spec = CLI_SPEC(return_opts, return_help, NODE_FLAGS, 0);

int cmd_node_return_sections(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &return_spec, N_RETURN);
}

static const cli_help cosign_help = {
    "--out FILE [--json]",
    N_("Writes a bundle to the council with the node's cosignature of the council\n"
    "checkpoint it last verified.\n"),
    "  council-cli --store ./node node cosign --keyfile npo.keyfile --out cosig.bundle\n",
};
static const cli_opt cosign_opts[] = {
    OPT_STR("out", node_opts, out),
    OPT_FLAG("json", node_opts, json),
};
static const cli_spec cosign_spec = CLI_SPEC(cosign_opts, cosign_help, NODE_FLAGS, 0);

int cmd_node_cosign(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &cosign_spec, N_COSIGN);
}

static const cli_help export_help = {
    "FILE [--json]",
    N_("Writes the node's own log to FILE (never replaced), with a checkpoint\n"
    "signed by the node's log key: audit verify FILE --key, with the node log\n"
    "key node show prints, verifies it.\n"),
    "  council-cli --store ./node node export-log node-log.export --keyfile npo.keyfile\n",
};
static const cli_spec export_spec = CLI_SPEC(json_opts, export_help, NODE_FLAGS, 1);

int cmd_node_export_log(cli_ctx *x, int argc, char **argv)
{
    return run(x, argc, argv, &export_spec, N_EXPORT);
}
