/*
 * cmd_bundle_import.c - `bundle import` on the council's store: a member
 * node's bundle (an answer, a cosignature, an intake) checked and applied
 * (council_bundle_import(3)). The result printer is shared with `intake
 * import` (cmd_intake.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "cmds.h"
#include "council/v1/bundle.pb-c.h"
#include "json.h"
#include "open.h"
#include "util.h"

typedef struct import_opts {
    const cli_global *g;
    int json;
} import_opts;

/* "intake" for BUNDLE_TYPE_INTAKE. */
static void type_name(char *out, size_t cap, int type)
{
    const ProtobufCEnumValue *v =
        protobuf_c_enum_descriptor_get_value(&council__v1__bundle_type__descriptor, type);
    const char *n = v != NULL ? v->name : "BUNDLE_TYPE_UNKNOWN";
    size_t i;

    if (strncmp(n, "BUNDLE_TYPE_", 12) == 0)
        n += 12;
    for (i = 0; n[i] != '\0' && i + 1 < cap; i++)
        out[i] = (char)(n[i] >= 'A' && n[i] <= 'Z' ? n[i] - 'A' + 'a' : n[i]);
    out[i] = '\0';
}

int print_import_result(const council_buf *out, int json)
{
    Council__V1__BundleImportResult *r;
    char hex[65], type[32], id[37];
    int rc = COUNCIL_OK;

    r = unpack_reply(&council__v1__bundle_import_result__descriptor, out, &rc);
    if (r == NULL) {
        fprintf(stderr, _("%s: the library's reply does not parse\n"), prog);
        return EXIT_FAILURE;
    }
    for (size_t i = 0; i < 32 && i < r->hash.len; i++)
        snprintf(hex + 2 * i, 3, "%02x", r->hash.data[i]);
    hex[r->hash.len >= 32 ? 64 : 2 * r->hash.len] = '\0';
    type_name(type, sizeof type, (int)r->type);
    if (json) {
        json_t *j = json_object();
        json_object_set_new(j, "outcome", json_string(r->outcome != NULL ? r->outcome : ""));
        json_object_set_new(j, "type", json_string(type));
        json_object_set_new(j, "hash", json_string(hex));
        json_object_set_new(j, "sender", r->sender_id.len == 16 ? id_json(r->sender_id) : json_null());
        json_object_set_new(j, "case_id", r->has_case_id ? id_json(r->case_id) : json_null());
        json_object_set_new(j, "person_id", r->has_person_id ? id_json(r->person_id) : json_null());
        json_object_set_new(j, "consent_id", r->has_consent_id ? id_json(r->consent_id) : json_null());
        json_object_set_new(j, "object_id", r->has_object_id ? id_json(r->object_id) : json_null());
        council__v1__bundle_import_result__free_unpacked(r, NULL);
        return print_json(j);
    }
    printf(_("imported: %s (%s)\n"), r->outcome != NULL ? r->outcome : "", type);
    printf(_("hash: %s\n"), hex);
    if (r->has_case_id)
        printf(_("case: %s\n"), id_of(id, r->case_id));
    if (r->has_person_id)
        printf(_("person: %s\n"), id_of(id, r->person_id));
    if (r->has_consent_id)
        printf(_("consent: %s\n"), id_of(id, r->consent_id));
    if (r->has_object_id)
        printf(_("object: %s\n"), id_of(id, r->object_id));
    council__v1__bundle_import_result__free_unpacked(r, NULL);
    return 0;
}

static int do_import(const import_opts *o, const char *file)
{
    council_buf out = { NULL, 0 };
    uint8_t *b;
    size_t len;
    council *c;
    int rc;

    if (file == NULL)
        return usage("%s", _("bundle import FILE"));
    if ((b = (uint8_t *)slurp(file, COUNCIL_BUNDLE_MAX, &len, _("bundle"))) == NULL)
        return EXIT_FAILURE;
    if ((rc = open_council(o->g, &c)) != 0) {
        free(b);
        return rc;
    }
    rc = council_bundle_import(c, &out, b, len);
    rc = rc == COUNCIL_OK ? print_import_result(&out, o->json) : failed("bundle import", c, rc);
    council_buf_free(&out);
    free(b);
    council_close(c);
    return rc;
}

static const cli_help import_help = {
    "FILE [--json]",
    N_("Imports a bundle a member sent to the council (a member node's answer to a\n"
    "referral or request, its updated sections, a cosignature of a checkpoint,\n"
    "or an intake). Its sender, signature, recipient, expiry and replay are\n"
    "checked before it is opened with the coordinating body's key; each\n"
    "refusal is logged. Exit 4 for a sender or recipient refused, 5 for a bad\n"
    "signature, 1 for an expired, replayed or malformed bundle.\n"
    "\n"
    "Options:\n"
    "  --json                 what the import did, as a JSON object\n"),
    "  council-cli --store ./council bundle import answer.lcb\n",
};

static const cli_opt import_opts_spec[] = {
    OPT_FLAG("json", import_opts, json),
};
static const cli_spec import_spec = CLI_SPEC(import_opts_spec, import_help, CLI_STORE | CLI_SESSION, 1);

int cmd_bundle_import(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    import_opts o = { .g = &x->g };
    int rc = cli_parse(x, argc, argv, &import_spec, &o, pos);

    return rc != 0 ? CLI_PARSED(rc) : do_import(&o, pos[0]);
}
