/*
 * fuzz_export.c - the audit export verifier (council__audit_verify_fp).
 *
 * Each input is read as an export file through fmemopen() and verified
 * twice against a fixed log verifier key, whose secret half the seeds in
 * corpus/export/ were signed with (see gen_export_corpus.c), so mutations
 * of those seeds get past the signature checks and reach the event, chain,
 * tree and checkpoint-position checks:
 *   1. with no witness;
 *   2. with the fixed witness key and one cosignature required, which
 *      reaches the cosignature path of council__note_verify.
 * Return codes outside the documented set trap. The report must decode as
 * council.v1.AuditVerifyReport with ok == (rc == COUNCIL_OK) and say what
 * its fields promise. Adding a witness only adds a requirement, so the
 * second run must fail exactly as the first did, or, where the first
 * succeeded, succeed or fail with ETAMPER for too few cosignatures.
 *
 * The harness returns 0 and frees everything on every path.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "council.h"
#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fuzzer's assertion; the library itself never aborts. */
#define fuzz_check(cond) fuzz_check_at((cond), #cond, __LINE__)

static void fuzz_check_at(int ok, const char *what, int line)
{
    if (ok)
        return;
    fprintf(stderr, "fuzz_export.c:%d: check failed: %s\n", line, what);
    abort();
}

/*
 * The log key: crypto_sign_seed_keypair of the 32 bytes
 * "council-fuzz-export-log-key-seed", named after the council id
 * 00000000-0000-4000-8000-000000000000. The witness: a cosignature/v1 key
 * from the seed "council-fuzz-witness-cosigner-01". gen_export_corpus.c
 * derives both again and stops if they differ from these strings.
 */
#define LOG_VKEY \
    "libcouncil/00000000-0000-4000-8000-000000000000+838f62f6+AWMKcy0OV1JZcVK1q9jgeEsUV1YiaIg5jtcZmjPIiknB"
#define WITNESS_VKEY "witness.fuzz.example+d61383ce+BCEZWCE89GP/q7T3sm5vqXFzCp68ZRYN5BwJc5RJbhbk"

static const char *const witnesses[1] = { WITNESS_VKEY };

/* What one verification returned, kept to compare the two runs. */
typedef struct outcome {
    int rc;
    uint64_t events;
    uint32_t checkpoints;
    uint64_t tree_size;
    int has_root;
    uint8_t root[COUNCIL_HASH_BYTES];
    int64_t first_bad;
    char message[512];
} outcome;

static void check_report(const council_buf *report, int rc, size_t n_witnesses, outcome *out)
{
    Council__V1__AuditVerifyReport *r;

    /* A report is written on every path but an allocation failure. */
    if (report->ptr == NULL) {
        fuzz_check(rc == COUNCIL_ENOMEM);
        fuzz_check(report->len == 0);
        return;
    }
    r = council__v1__audit_verify_report__unpack(NULL, report->len, report->ptr);
    fuzz_check(r != NULL);
    fuzz_check(!r->ok == (rc != COUNCIL_OK));
    fuzz_check(r->message != NULL && r->message[0] != '\0');
    fuzz_check(r->first_bad_event >= -1);
    fuzz_check(r->cosignatures <= n_witnesses);
    fuzz_check(r->has_root_hash ? r->root_hash.len == COUNCIL_HASH_BYTES : r->checkpoints == 0);
    fuzz_check(r->checkpoints > 0 || r->tree_size == 0);
    fuzz_check(r->tree_size <= r->events);
    if (rc == COUNCIL_OK) {
        fuzz_check(r->first_bad_event == -1);
        fuzz_check(r->checkpoints > 0 && r->has_root_hash);
        fuzz_check(r->tree_size == r->events);
        fuzz_check(r->cosignatures >= n_witnesses); /* required == n_witnesses here */
    }
    out->events = r->events;
    out->checkpoints = r->checkpoints;
    out->tree_size = r->tree_size;
    out->has_root = r->has_root_hash;
    if (r->has_root_hash)
        memcpy(out->root, r->root_hash.data, sizeof out->root);
    out->first_bad = r->first_bad_event;
    (void)snprintf(out->message, sizeof out->message, "%s", r->message);
    council__v1__audit_verify_report__free_unpacked(r, NULL);
}

static void verify_once(const uint8_t *data, size_t size, size_t n_witnesses, outcome *out)
{
    static uint8_t empty[1];
    council_buf report = { NULL, 0 };
    FILE *f;
    int rc;

    memset(out, 0, sizeof *out);
    out->rc = 1; /* no verdict */
    /* Read-only stream: fmemopen takes a non-const pointer but "rb" never writes. */
    f = fmemopen(size == 0 ? empty : (void *)(uintptr_t)data, size, "rb");
    if (f == NULL)
        return; /* fmemopen may refuse size 0 */
    rc = council__audit_verify_fp(&report, f, &(council_audit_verify_options){
        COUNCIL_AUDIT_VERIFY_OPTIONS_VERSION, LOG_VKEY, n_witnesses > 0 ? witnesses : NULL, n_witnesses, n_witnesses, NULL, 0 });
    (void)fclose(f);
    fuzz_check(rc == COUNCIL_OK || rc == COUNCIL_ETAMPER || rc == COUNCIL_EFORMAT ||
               rc == COUNCIL_EUNSUPPORTED || rc == COUNCIL_EINVAL || rc == COUNCIL_EIO ||
               rc == COUNCIL_ENOMEM);
    /* The keys are fixed and valid: EINVAL would mean they were refused. */
    fuzz_check(rc != COUNCIL_EINVAL);
    out->rc = rc;
    check_report(&report, rc, n_witnesses, out);
    council_buf_free(&report);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int initialised;
    outcome plain, witnessed;

    if (!initialised) {
        fuzz_check(council_global_init() == COUNCIL_OK);
        initialised = 1;
    }

    verify_once(data, size, 0, &plain);
    if (plain.rc == 1)
        return 0;
    verify_once(data, size, 1, &witnessed);
    fuzz_check(witnessed.rc != 1);
    if (plain.rc == COUNCIL_ENOMEM || witnessed.rc == COUNCIL_ENOMEM)
        return 0;

    /* A witness changes nothing about the events, checkpoints and roots. */
    fuzz_check(witnessed.events == plain.events);
    fuzz_check(witnessed.checkpoints == plain.checkpoints);
    fuzz_check(witnessed.tree_size == plain.tree_size);
    fuzz_check(witnessed.has_root == plain.has_root);
    fuzz_check(!plain.has_root || memcmp(witnessed.root, plain.root, sizeof plain.root) == 0);
    if (plain.rc == COUNCIL_OK) {
        fuzz_check(witnessed.rc == COUNCIL_OK || witnessed.rc == COUNCIL_ETAMPER);
        fuzz_check(witnessed.rc == COUNCIL_OK || witnessed.first_bad == -1);
    } else {
        fuzz_check(witnessed.rc == plain.rc);
        fuzz_check(witnessed.first_bad == plain.first_bad);
        fuzz_check(strcmp(witnessed.message, plain.message) == 0);
    }
    return 0;
}
