/*
 * bench_audit.c - the audit log at scale, against baselines measured in the
 * same run (the machines are shared and noisy: read the ratios).
 *
 *   append, durable   one event per transaction (fsync each), vs SQLCipher
 *                     alone inserting one 120-byte row per transaction
 *   append, batched   10,000 events per transaction, vs SQLCipher alone
 *   verify            council_audit_verify_export() of an export of N events
 *                     (default 1,000,000), in a child process, vs SHA-256
 *                     over the same file bytes; peak RSS of the verifier at
 *                     N/10 and at N, to show it does not grow with N
 *   proofs            inclusion and consistency proofs at N: time and node
 *                     reads per proof
 *
 * Usage: bench_audit [N]      (build/bench/bench_audit; `make bench`)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council.h"
#include "util.h"
#include "council_int.h"
#include "log.h"
#include "merkle.h"
#include "council/v1/audit.pb-c.h"
#include "council/v1/info.pb-c.h"
#include "event.h"


static council__event sample(void)
{
    static const char *const scopes[] = { "health", "wishes" };
    static uint8_t member[16] = { 1 }, ref[32] = { 2 };
    council__event ev;

    memset(&ev, 0, sizeof ev);
    ev.action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_SECTION_DECRYPTED;
    ev.actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_MEMBER;
    ev.actor_member = member;
    ev.case_ref = ref;
    ev.scopes = scopes;
    ev.n_scopes = 2;
    ev.purpose = "support_coordination";
    ev.basis = "consent";
    ev.outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED;
    return ev;
}

/* SQLCipher alone: n rows of 120 bytes, `per_txn` rows per transaction. */
static double baseline_inserts(const char *dir, int n, int per_txn)
{
    char path[256];
    uint8_t row[120];
    sqlite3 *db;
    sqlite3_stmt *st;
    double t;

    snprintf(path, sizeof path, "%s/baseline-%d.db", dir, per_txn);
    randombytes_buf(row, sizeof row);
    must(sqlite3_open(path, &db) == SQLITE_OK, "baseline open");
    must(sqlite3_key(db, "x'2DD29CA851E7B56E4697B0E1F08507293D761A05CE4D1B628663F411A8086D99'", 67)
             == SQLITE_OK, "baseline key");
    must(sqlite3_exec(db, "PRAGMA cipher_page_size = 4096; PRAGMA journal_mode = WAL;"
                          "PRAGMA synchronous = FULL;"
                          "CREATE TABLE t (seq INTEGER PRIMARY KEY, body BLOB);",
                      NULL, NULL, NULL) == SQLITE_OK, "baseline schema");
    must(sqlite3_prepare_v2(db, "INSERT INTO t (body) VALUES (?);", -1, &st, NULL) == SQLITE_OK,
         "baseline prepare");
    t = now();
    for (int i = 0; i < n; i++) {
        if (i % per_txn == 0)
            sqlite3_exec(db, "BEGIN;", NULL, NULL, NULL);
        sqlite3_bind_blob(st, 1, row, sizeof row, SQLITE_STATIC);
        must(sqlite3_step(st) == SQLITE_DONE, "baseline insert");
        sqlite3_reset(st);
        if (i % per_txn == per_txn - 1 || i == n - 1)
            sqlite3_exec(db, "COMMIT;", NULL, NULL, NULL);
    }
    t = now() - t;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return t / n;
}

/* Append `n` events in batches of `batch` (1: durable each). */
static double append(council *c, int n, int batch)
{
    council__event ev = sample();
    double t = now();

    for (int i = 0; i < n; i += batch) {
        if (batch > 1)
            must(council__audit_batch_begin(c) == COUNCIL_OK, "batch");
        for (int k = 0; k < batch && i + k < n; k++)
            must(council__audit_append(c, &ev) == COUNCIL_OK, "append");
        if (batch > 1)
            must(council__audit_batch_commit(c) == COUNCIL_OK, "commit");
    }
    return (now() - t) / n;
}

/* Verify an export in a fresh process (this program, exec'd with
 * --verify), which reports its own peak RSS in KiB. */
static const char *self;

static int verify_mode(const char *path, const char *vkey)
{
    struct rusage ru;
    council_audit_verify_options o = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    int rc;

    o.log_vkey = vkey;
    rc = council_audit_verify_export(NULL, path, &o);

    getrusage(RUSAGE_SELF, &ru);
    printf("%d %ld\n", rc, ru.ru_maxrss);
    return 0;
}

static double verify_child(const char *path, const char *vkey, long *rss_kib)
{
    char cmd[1024], line[64];
    double t = now();
    int rc = -1;
    FILE *p;

    snprintf(cmd, sizeof cmd, "'%s' --verify '%s' '%s'", self, path, vkey);
    p = popen(cmd, "r");
    must(p != NULL, "popen");
    must(fgets(line, sizeof line, p) != NULL && sscanf(line, "%d %ld", &rc, rss_kib) == 2,
         "verifier output");
    must(pclose(p) == 0 && rc == COUNCIL_OK, "verification");
    return now() - t;
}

static double sha256_file(const char *path, size_t *bytes)
{
    static uint8_t buf[1 << 16];
    crypto_hash_sha256_state h;
    uint8_t out[32];
    FILE *f = fopen(path, "rb");
    double t = now();
    size_t n;

    must(f != NULL, "open export");
    *bytes = 0;
    crypto_hash_sha256_init(&h);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        crypto_hash_sha256_update(&h, buf, n);
        *bytes += n;
    }
    crypto_hash_sha256_final(&h, out);
    fclose(f);
    return now() - t;
}

static void vkey_of(council *c, char *out, size_t n)
{
    council_buf buf = { NULL, 0 };
    Council__V1__CouncilInfo *m;

    must(council_info(c, &buf) == COUNCIL_OK, "info");
    m = council__v1__council_info__unpack(NULL, buf.len, buf.ptr);
    must(m != NULL, "info unpack");
    snprintf(out, n, "%s", m->log_verifier_key);
    council__v1__council_info__free_unpacked(m, NULL);
    council_buf_free(&buf);
}

int main(int argc, char **argv)
{
    long total = argc > 1 ? atol(argv[1]) : 1000000;
    char dir[] = "/tmp/council-bench-audit-XXXXXX", store[256], small[256], big[256], vkey[512];
    uint8_t root[COUNCIL_ROOT_KEY_BYTES];
    uint8_t proof[COUNCIL_PROOF_HASHES_MAX * COUNCIL_HASH_BYTES];
    council_create_options co = COUNCIL_CREATE_OPTIONS_INIT;
    double t_dur, t_bat, b_dur, b_bat, t_small, t_big, t_sha, t_inc, t_con;
    long rss_small, rss_big;
    uint64_t size, reads_inc = 0, reads_con = 0;
    size_t bytes, count;
    council__nodes ns;
    council *c;
    int proofs = 1000;

    self = argv[0];
    if (argc == 4 && strcmp(argv[1], "--verify") == 0)
        return verify_mode(argv[2], argv[3]);
    if (total < 1000)
        total = 1000;
    must(council_global_init() == COUNCIL_OK, "init");
    must(mkdtemp(dir) != NULL, "mkdtemp");
    snprintf(store, sizeof store, "%s/store", dir);
    snprintf(small, sizeof small, "%s/small.cax", dir);
    snprintf(big, sizeof big, "%s/big.cax", dir);
    randombytes_buf(root, sizeof root);
    co.name = "bench";
    co.root_key = root;
    co.root_key_len = sizeof root;
    must(council_create(&c, store, &co) == COUNCIL_OK, "create");
    vkey_of(c, vkey, sizeof vkey);

    b_dur = baseline_inserts(dir, 200, 1);
    t_dur = append(c, 200, 1);
    b_bat = baseline_inserts(dir, 100000, 10000);
    t_bat = append(c, (int)(total / 10) - 200, 10000);
    must(council_audit_export(c, small) == COUNCIL_OK, "export small");
    t_bat = (t_bat * (double)(total / 10 - 200) + append(c, (int)(total - total / 10), 10000) *
             (double)(total - total / 10)) / (double)(total - 200);
    must(council_audit_export(c, big) == COUNCIL_OK, "export big");
    must(council__audit_size(c, &size) == COUNCIL_OK, "size");

    t_small = verify_child(small, vkey, &rss_small);
    t_big = verify_child(big, vkey, &rss_big);
    t_sha = sha256_file(big, &bytes);

    council__audit_nodes(c, &ns);
    srand(7);
    t_inc = now();
    for (int i = 0; i < proofs; i++) {
        uint64_t idx = (uint64_t)rand() % size;
        ns.reads = 0;
        must(council__merkle_prove_inclusion(&ns, idx, size, proof, COUNCIL_PROOF_HASHES_MAX,
                                             &count) == COUNCIL_OK, "inclusion proof");
        reads_inc = ns.reads > reads_inc ? ns.reads : reads_inc;
    }
    t_inc = (now() - t_inc) / proofs;
    t_con = now();
    for (int i = 0; i < proofs; i++) {
        uint64_t m = 1 + (uint64_t)rand() % (size - 1);
        ns.reads = 0;
        must(council__merkle_prove_consistency(&ns, m, size, proof, COUNCIL_PROOF_HASHES_MAX,
                                               &count) == COUNCIL_OK, "consistency proof");
        reads_con = ns.reads > reads_con ? ns.reads : reads_con;
    }
    t_con = (now() - t_con) / proofs;

    printf("bench_audit: %llu events\n", (unsigned long long)size);
    printf("  append, durable    %8.1f us/event  %6.2fx SQLCipher row insert per txn (%.1f us)\n",
           t_dur * 1e6, t_dur / b_dur, b_dur * 1e6);
    printf("  append, batched    %8.1f us/event  %6.2fx SQLCipher row insert in a txn (%.1f us)"
           "  %.0f events/s\n", t_bat * 1e6, t_bat / b_bat, b_bat * 1e6, 1.0 / t_bat);
    printf("  verify export      %8.2f s  %9.0f events/s  %6.2fx SHA-256 over its %.1f MB (%.2f s)\n",
           t_big, (double)size / t_big, t_big / t_sha, (double)bytes / 1e6, t_sha);
    printf("  verifier peak RSS  %8ld KiB at %ld events, %ld KiB at %llu events\n", rss_small,
           total / 10, rss_big, (unsigned long long)size);
    printf("                     (a verification of %ld events took %.2f s)\n", total / 10, t_small);
    printf("  inclusion proof    %8.1f us  max %llu node reads (log2 n = %.1f)\n", t_inc * 1e6,
           (unsigned long long)reads_inc, __builtin_log2((double)size));
    printf("  consistency proof  %8.1f us  max %llu node reads\n", t_con * 1e6,
           (unsigned long long)reads_con);
    council_close(c);
    {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        must(system(cmd) == 0, "cleanup");
    }
    return 0;
}
