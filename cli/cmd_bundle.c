/*
 * cmd_bundle.c - bundle export (case, meeting packet, referral, request,
 * consent, checkpoint, revocations: a signed file sealed to a member's key)
 * and bundle inspect (the clear header and the signature, without a store
 * or key). bundle import is the import helper's file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "cli.h"
#include "cmds.h"
#include "council/v1/bundle.pb-c.h"
#include "json.h"
#include "open.h"
#include "util.h"

typedef struct bundle_opts {
    const cli_global *g;
    const char *to, *out, *expires, *days, *purpose, *basis, *consent, *person, *from;
    int json;
} bundle_opts;

/* --expires DATE or --days N into the options' expiry (0: the default). */
static int expiry(const bundle_opts *o, council_bundle_options *bo)
{
    unsigned long long d = 0;

    if (o->expires != NULL && o->days != NULL)
        return usage("%s", _("give --expires or --days, not both"));
    if (o->expires != NULL)
        return time_arg("--expires", o->expires, TIME_END, &bo->expires) == 0 ? 0 : EXIT_USAGE;
    if (o->days != NULL) {
        if (parse_u64(o->days, &d) != 0 || d == 0 || d > 366)
            return usage("%s", _("--days is 1 to 366"));
        bo->expires = (int64_t)time(NULL) + (int64_t)d * 86400;
    }
    return 0;
}

static const char *type_name(int t)
{
    static const char *const names[] = {
        "unknown", "case_sections", "meeting_packet", "referral", "request", "answer",
        "consent", "revocation", "checkpoint", "cosignature", "intake",
    };
    return t >= 0 && (size_t)t < sizeof names / sizeof names[0] ? names[t] : "unknown";
}

static const char *party_name(int k)
{
    return k == COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_COUNCIL  ? "council"
           : k == COUNCIL__V1__BUNDLE_PARTY_KIND__BUNDLE_PARTY_MEMBER ? "member"
                                                                      : "unknown";
}

/* Print what was written: the file, its size and hash (--json: an object). */
static int report(const bundle_opts *o, const char *kind, const council_buf *b)
{
    uint8_t hash[32];
    char hex[65];

    crypto_hash_sha256(hash, b->ptr, b->len);
    hex_text(hex, hash, sizeof hash);
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "type", json_string(kind));
        json_object_set_new(j, "file", json_string(o->out));
        json_object_set_new(j, "size", json_integer((json_int_t)b->len));
        json_object_set_new(j, "sha256", json_string(hex));
        return print_json(j) == 0 ? 0 : EXIT_FAILURE;
    }
    if (o->to != NULL)
        fprintf(stderr, _("%s: %s bundle for member %s written to %s (%zu bytes, sha256 %s)\n"),
                prog, kind, o->to, o->out, b->len, hex);
    else
        fprintf(stderr, _("%s: %s bundle for its recipient written to %s (%zu bytes, sha256 %s)\n"),
                prog, kind, o->out, b->len, hex);
    return 0;
}

static int do_export(const bundle_opts *o, const char *kind, const char *arg)
{
    council_bundle_options bo = COUNCIL_BUNDLE_OPTIONS_INIT;
    uint8_t to[COUNCIL_ID_BYTES], id[COUNCIL_ID_BYTES], person[COUNCIL_ID_BYTES],
        consent[COUNCIL_ID_BYTES];
    unsigned long long from = 0;
    council_buf b = { NULL, 0 };
    council *c;
    int fd, rc;

    if (kind == NULL)
        return usage("%s", _("bundle export case|meeting-packet|referral|request|consent|"
                             "checkpoint|revocations ... --out FILE"));
    if (o->out == NULL || (o->to == NULL && strcmp(kind, "referral") != 0 &&
                           strcmp(kind, "request") != 0))
        return usage("%s", _("bundle export needs --to MEMBER and --out FILE"));
    if (o->to != NULL && (strcmp(kind, "referral") == 0 || strcmp(kind, "request") == 0))
        return usage("%s", _("a referral or a request goes to its own recipient: no --to"));
    if (strcmp(o->out, "-") == 0)
        return usage("%s", _("bundle export writes a file: give --out FILE"));
    if ((o->to != NULL && id_arg(o->to, to) != 0) || (rc = expiry(o, &bo)) != 0)
        return EXIT_USAGE;
    if (strcmp(kind, "case") == 0) {
        if (arg == NULL || id_arg(arg, id) != 0)
            return usage("%s", _("bundle export case CASE --to MEMBER --basis B --out FILE"));
        if (o->person != NULL && id_arg(o->person, person) != 0)
            return EXIT_USAGE;
        if (o->consent != NULL && id_arg(o->consent, consent) != 0)
            return EXIT_USAGE;
        bo.purpose = o->purpose;
        bo.basis = o->basis;
        if (o->consent != NULL) {
            bo.consent_id = consent;
            bo.consent_id_len = sizeof consent;
        }
    } else if (strcmp(kind, "meeting-packet") == 0) {
        if (arg == NULL || id_arg(arg, id) != 0)
            return usage("%s", _("bundle export meeting-packet MEETING --to MEMBER --out FILE"));
    } else if (strcmp(kind, "referral") == 0 || strcmp(kind, "request") == 0 ||
               strcmp(kind, "consent") == 0) {
        if (arg == NULL || id_arg(arg, id) != 0)
            return usage(_("bundle export %s ID --out FILE"), kind);
        if (strcmp(kind, "consent") == 0 && o->to == NULL)
            return usage("%s", _("bundle export consent needs --to MEMBER"));
        if (strcmp(kind, "referral") == 0) {
            if (o->consent != NULL && id_arg(o->consent, consent) != 0)
                return EXIT_USAGE;
            bo.purpose = o->purpose;
            bo.basis = o->basis;
            if (o->consent != NULL) {
                bo.consent_id = consent;
                bo.consent_id_len = sizeof consent;
            }
        }
    } else if (strcmp(kind, "checkpoint") == 0) {
        if (o->from != NULL && parse_u64(o->from, &from) != 0)
            return usage("%s", _("--from is a tree size"));
    } else if (strcmp(kind, "revocations") != 0) {
        return usage(_("unknown bundle kind %s (case, meeting-packet, referral, request, "
                       "consent, checkpoint or revocations)"), kind);
    }
    if ((rc = open_council(o->g, &c)) != 0)
        return rc;
    /* Claim the file first (never replacing one): building a case bundle
     * logs its disclosure, which must not happen for a file never written. */
    if ((fd = create_private(o->out)) < 0) {
        council_close(c);
        return EXIT_FAILURE;
    }
    if (strcmp(kind, "case") == 0)
        rc = council_bundle_case(c, &b, id, sizeof id, o->person != NULL ? person : NULL,
                                 o->person != NULL ? sizeof person : 0, to, sizeof to, &bo);
    else if (strcmp(kind, "meeting-packet") == 0)
        rc = council_bundle_meeting_packet(c, &b, id, sizeof id, to, sizeof to, &bo);
    else if (strcmp(kind, "referral") == 0)
        rc = council_bundle_referral(c, &b, id, sizeof id, &bo);
    else if (strcmp(kind, "request") == 0)
        rc = council_bundle_request(c, &b, id, sizeof id, &bo);
    else if (strcmp(kind, "consent") == 0)
        rc = council_bundle_consent(c, &b, id, sizeof id, to, sizeof to, &bo);
    else if (strcmp(kind, "checkpoint") == 0)
        rc = council_bundle_checkpoint(c, &b, to, sizeof to, (uint64_t)from, &bo);
    else
        rc = council_bundle_revocations(c, &b, to, sizeof to, &bo);
    if (rc != COUNCIL_OK) {
        (void)close(fd);
        remove_private(o->out);
        return close_council(c, rc, "bundle export");
    }
    if (finish_private(fd, b.ptr, b.len) != 0) {
        fprintf(stderr, _("%s: cannot write %s: %s\n"), prog, o->out, strerror(errno));
        remove_private(o->out);
        council_buf_free(&b);
        council_close(c);
        return EXIT_FAILURE;
    }
    rc = report(o, strcmp(kind, "case") == 0 ? "case_sections"
                   : strcmp(kind, "meeting-packet") == 0 ? "meeting_packet"
                   : strcmp(kind, "revocations") == 0 ? "revocation" : kind, &b);
    council_buf_free(&b);
    council_close(c);
    return rc;
}

static json_t *hex_json(ProtobufCBinaryData b)
{
    char hex[129];

    if (b.len > 64)
        return json_null();
    hex_text(hex, b.data, b.len);
    return json_string(hex);
}

static int do_inspect(const bundle_opts *o, const char *file)
{
    council_buf out = { NULL, 0 };
    Council__V1__BundleInfo *in;
    const Council__V1__BundleHeader *h;
    uint8_t *data = NULL;
    size_t len = 0;
    char t1[64], t2[64], hex[65], u[37];
    int rc;

    if (file == NULL)
        return usage("%s", _("bundle inspect FILE"));
    if ((data = (uint8_t *)slurp(file, COUNCIL_BUNDLE_MAX + 1, &len, _("bundle"))) == NULL)
        return EXIT_FAILURE;
    rc = council_bundle_inspect(&out, data, len);
    free(data);
    if (rc != COUNCIL_OK) {
        fprintf(stderr, _("%s: bundle inspect: %s\n"), prog, cli_errstr(rc));
        return exit_status(rc);
    }
    in = council__v1__bundle_info__unpack(NULL, out.len, out.ptr);
    council_buf_free(&out);
    if (in == NULL)
        return EXIT_FAILURE;
    h = in->header;
    if (o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "format_version", json_integer(h->format_version));
        json_object_set_new(j, "type", json_string(type_name((int)h->type)));
        json_object_set_new(j, "council_id", id_json(h->council_id));
        json_object_set_new(j, "sender_kind", json_string(party_name((int)h->sender_kind)));
        json_object_set_new(j, "sender_id", id_json(h->sender_id));
        json_object_set_new(j, "sender_sign_key", hex_json(h->sender_sign_key));
        json_object_set_new(j, "recipient_kind", json_string(party_name((int)h->recipient_kind)));
        json_object_set_new(j, "recipient_id", id_json(h->recipient_id));
        json_object_set_new(j, "recipient_box_key", hex_json(h->recipient_box_key));
        json_object_set_new(j, "created", time_json(h->created));
        json_object_set_new(j, "expires", time_json(h->expires));
        json_object_set_new(j, "nonce", hex_json(h->nonce));
        if (h->has_reply_box_key)
            json_object_set_new(j, "reply_box_key", hex_json(h->reply_box_key));
        json_object_set_new(j, "sha256", hex_json(in->hash));
        json_object_set_new(j, "size", json_integer((json_int_t)in->size));
        json_object_set_new(j, "sealed_size", json_integer((json_int_t)in->sealed_size));
        json_object_set_new(j, "signature_ok", json_boolean(in->signature_ok));
        rc = print_json(j) == 0 ? 0 : EXIT_FAILURE;
    } else {
        time_text(t1, sizeof t1, h->created);
        time_text(t2, sizeof t2, h->expires);
        printf("%s %s\n", col(_("type:"), -12), type_name((int)h->type));
        printf("%s %s\n", col(_("council:"), -12), id_of(u, h->council_id));
        printf("%s %s %s\n", col(_("from:"), -12), party_name((int)h->sender_kind),
               id_of(u, h->sender_id));
        printf("%s %s %s\n", col(_("to:"), -12), party_name((int)h->recipient_kind),
               id_of(u, h->recipient_id));
        printf("%s %s\n", col(_("created:"), -12), t1);
        printf("%s %s\n", col(_("expires:"), -12), t2);
        hex_text(hex, in->hash.data, in->hash.len > 32 ? 32 : in->hash.len);
        printf("%s %s\n", col(_("sha256:"), -12), hex);
        printf("%s %llu (%s %llu)\n", col(_("size:"), -12), (unsigned long long)in->size,
               _("sealed"), (unsigned long long)in->sealed_size);
        printf("%s %s\n", col(_("signature:"), -12),
               in->signature_ok ? _("verifies with the sender key in the header (not a proof "
                                    "of who sent it)")
                                : _("DOES NOT VERIFY"));
        rc = 0;
    }
    if (rc == 0 && !in->signature_ok)
        rc = exit_status(COUNCIL_ESIGNATURE);
    council__v1__bundle_info__free_unpacked(in, NULL);
    return rc;
}

static const cli_help export_help = {
    "case CASE | meeting-packet MEETING | referral ID | request ID | consent ID |\n"
    "    checkpoint | revocations [--to MEMBER] --out FILE [--expires DATE | --days N]"
    " [--person PERSON] [--purpose P] [--basis B] [--consent ID] [--from SIZE] [--json]",
    N_("Writes a bundle for a member's own system: signed with the council's log key\n"
    "and sealed to the member's key. The secretariat's. Never replaces a file.\n"
    "  case CASE      the sections the member is entitled to now: its shared scopes,\n"
    "                 each through the disclosure decision again (or every scope of\n"
    "                 a case it owns); logged with the bundle's hash\n"
    "  meeting-packet MEETING  the attendee's meeting packet (as meeting packet\n"
    "                 builds it), expiring with the meeting at the latest\n"
    "  referral ID    to its recipient: the offer, its note, and the sections of its\n"
    "                 scopes the recipient holds now (no --to)\n"
    "  request ID     an open cooperation request and its text, to the member\n"
    "                 asked (no --to)\n"
    "  consent ID     a consent record, to a member relying on it\n"
    "  checkpoint     the log's checkpoint, and with --from a consistency proof from\n"
    "                 the tree of that size\n"
    "  revocations    what the member was sent and may no longer hold\n"
    "\n"
    "Options:\n"
    "  --to MEMBER            the member (its id); not for a referral or a request\n"
    "  --out FILE             the bundle file (must not exist)\n"
    "  --expires DATE         when it expires (default: in 30 days; at most 366)\n"
    "  --days N               expires in N days\n"
    "  --person PERSON        case: one person's sections only\n"
    "  --purpose P            case, referral: the purpose (default\n"
    "                         support_coordination; a referral's own)\n"
    "  --basis B              case, referral: the legal basis code, or consent\n"
    "                         (a referral's own by default)\n"
    "  --consent ID           the consent record (with --basis consent)\n"
    "  --from SIZE            checkpoint: the size the member's node last saw\n"
    "  --json                 {\"type\", \"file\", \"size\", \"sha256\"}\n"),
    "  council-cli --store ./council bundle export case \"$CASE\" --to \"$MEMBER\" \\\n"
    "      --basis appi_27_1_4_public_duty --out case.lcb\n",
};

static const cli_opt export_opts[] = {
    OPT_STR("to", bundle_opts, to),
    OPT_STR("out", bundle_opts, out),
    OPT_STR("expires", bundle_opts, expires),
    OPT_STR("days", bundle_opts, days),
    OPT_STR("person", bundle_opts, person),
    OPT_STR("purpose", bundle_opts, purpose),
    OPT_STR("basis", bundle_opts, basis),
    OPT_STR("consent", bundle_opts, consent),
    OPT_STR("from", bundle_opts, from),
    OPT_FLAG("json", bundle_opts, json),
};
static const cli_spec export_spec = CLI_SPEC(export_opts, export_help, CLI_STORE | CLI_SESSION, 2);

int cmd_bundle_export(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    bundle_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &export_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_export(&o, pos[0], pos[1]);
}

static const cli_help inspect_help = {
    "FILE [--json]",
    N_("Shows a bundle's clear header (type, council, sender, recipient, times,\n"
    "hash) and checks its signature against the sender key in the header, without\n"
    "a store or any key: integrity, not proof of the sender. Exit 5 if the\n"
    "signature does not verify.\n"
    "\n"
    "Options:\n"
    "  --json                 the header as a JSON object\n"),
    "  council-cli bundle inspect case.lcb\n",
};

static const cli_opt inspect_opts[] = {
    OPT_FLAG("json", bundle_opts, json),
};
static const cli_spec inspect_spec = CLI_SPEC(inspect_opts, inspect_help, 0, 1);

int cmd_bundle_inspect(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    bundle_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &inspect_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_inspect(&o, pos[0]);
}
