/*
 * bench_audit.c - the audit log at scale, against baselines measured in the
 * same run (the machines are shared and noisy: read the ratios). Row 4 of
 * issue 17's table.
 *
 *   append, durable   one event per transaction (fsync each), vs SQLCipher
 *                     alone inserting one 120-byte row per transaction
 *   append, batched   10,000 events per transaction, vs SQLCipher alone
 *   verify            at each size (default 1k, 10k, 100k, 1M events):
 *                     council_audit_verify_export() of an export, in a
 *                     child process, vs SHA-256 over the same file bytes
 *                     and vs the Merkle floor: the leaf and node hashes
 *                     alone (crypto_hash_sha256 over the same events, held
 *                     in memory, RFC 6962 shape), timed in this process;
 *                     the verifier's peak RSS at each size (flat: < 64 MiB);
 *                     each the best of three tries, the three in turns
 *   proofs            inclusion and consistency proofs at the last size:
 *                     time and node reads per proof
 *
 * Ratios of the verifier are baseline time / verifier time: 1.0 means as
 * fast as the baseline. Every figure is also printed as "METRIC
 * bench_audit.<name> <value> <unit>", each row of the final table as
 * "SUMMARY | ... |".
 *
 * Usage: bench_audit [SIZES]   (comma-separated event counts, ascending)
 */
#include <stdbool.h>
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
 * --verify), which reports its own peak RSS in KiB and the seconds of the
 * council_audit_verify_export() call (the process start is not counted). */
static const char *self;

static int verify_mode(const char *path, const char *vkey)
{
    struct rusage ru;
    council_audit_verify_options o = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
    int rc;

    double t;

    o.log_vkey = vkey;
    t = now();
    rc = council_audit_verify_export(NULL, path, &o);
    t = now() - t;

    getrusage(RUSAGE_SELF, &ru);
    printf("%d %ld %.9f\n", rc, ru.ru_maxrss, t);
    return 0;
}

static double verify_child(const char *path, const char *vkey, long *rss_kib)
{
    char cmd[1024], line[96];
    double t = -1;
    int rc = -1;
    FILE *p;

    snprintf(cmd, sizeof cmd, "'%s' --verify '%s' '%s'", self, path, vkey);
    p = popen(cmd, "r");
    must(p != NULL, "popen");
    must(fgets(line, sizeof line, p) != NULL && sscanf(line, "%d %ld %lf", &rc, rss_kib, &t) == 3,
         "verifier output");
    must(pclose(p) == 0 && rc == COUNCIL_OK, "verification");
    return t;
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

static void metric(const char *name, double v, const char *unit)
{
    printf("METRIC bench_audit.%s %.6g %s\n", name, v, unit);
}

static void size_label(char *out, size_t n, long size)
{
    if (size >= 1000000 && size % 1000000 == 0)
        snprintf(out, n, "%ldM", size / 1000000);
    else if (size >= 1000 && size % 1000 == 0)
        snprintf(out, n, "%ldk", size / 1000);
    else
        snprintf(out, n, "%ld", size);
}

/* The events of an export, read into memory (not timed): offsets into one
 * arena of their bytes. */
typedef struct leaves {
    uint8_t *bytes;
    size_t *off; /* n + 1 offsets */
    size_t n;
} leaves;

static void load_leaves(const char *path, leaves *lv)
{
    FILE *f = fopen(path, "rb");
    uint8_t *all, *p, *end;
    long len;
    size_t cap = 1024, used = 0;

    must(f != NULL && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) > 8 && fseek(f, 0, SEEK_SET) == 0,
         "open export");
    all = malloc((size_t)len);
    lv->bytes = malloc((size_t)len);
    lv->off = malloc(cap * sizeof *lv->off);
    must(all != NULL && lv->bytes != NULL && lv->off != NULL, "malloc");
    must(fread(all, 1, (size_t)len, f) == (size_t)len, "read export");
    fclose(f);
    lv->n = 0;
    lv->off[0] = 0;
    for (p = all + 8, end = all + len; p < end;) {
        size_t fl;
        Council__V1__AuditFrame *frm;
        must(end - p >= 4, "export frame");
        fl = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
        p += 4;
        must((size_t)(end - p) >= fl, "export frame");
        frm = council__v1__audit_frame__unpack(NULL, fl, p);
        must(frm != NULL, "export frame decode");
        if (frm->frame_case == COUNCIL__V1__AUDIT_FRAME__FRAME_EVENT) {
            if (lv->n + 2 > cap) {
                cap *= 2;
                lv->off = realloc(lv->off, cap * sizeof *lv->off);
                must(lv->off != NULL, "realloc");
            }
            memcpy(lv->bytes + used, frm->event.data, frm->event.len);
            used += frm->event.len;
            lv->off[++lv->n] = used;
        }
        council__v1__audit_frame__free_unpacked(frm, NULL);
        p += fl;
    }
    free(all);
}

/* The Merkle floor: SHA-256(0x00 || event) per leaf and SHA-256(0x01 ||
 * left || right) per node (RFC 6962), perfect subtrees on a stack, folded
 * right to left at the end. Returns the seconds; root receives the root. */
static double merkle_floor(const leaves *lv, uint8_t root[32])
{
    static const uint8_t zero = 0x00, one = 0x01;
    uint8_t stack[64][32];
    uint64_t sizes[64];
    int top = 0;
    crypto_hash_sha256_state h;
    double t = now();

    for (size_t i = 0; i < lv->n; i++) {
        crypto_hash_sha256_init(&h);
        crypto_hash_sha256_update(&h, &zero, 1);
        crypto_hash_sha256_update(&h, lv->bytes + lv->off[i], lv->off[i + 1] - lv->off[i]);
        crypto_hash_sha256_final(&h, stack[top]);
        sizes[top++] = 1;
        while (top >= 2 && sizes[top - 1] == sizes[top - 2]) {
            crypto_hash_sha256_init(&h);
            crypto_hash_sha256_update(&h, &one, 1);
            crypto_hash_sha256_update(&h, stack[top - 2], 32);
            crypto_hash_sha256_update(&h, stack[top - 1], 32);
            crypto_hash_sha256_final(&h, stack[top - 2]);
            sizes[top - 2] *= 2;
            top--;
        }
    }
    while (top >= 2) {
        crypto_hash_sha256_init(&h);
        crypto_hash_sha256_update(&h, &one, 1);
        crypto_hash_sha256_update(&h, stack[top - 2], 32);
        crypto_hash_sha256_update(&h, stack[top - 1], 32);
        crypto_hash_sha256_final(&h, stack[top - 2]);
        sizes[top - 2] += sizes[top - 1];
        top--;
    }
    t = now() - t;
    memcpy(root, stack[0], 32);
    return t;
}

typedef struct level_fig {
    long size, events;
    double t_verify, t_sha, t_floor, mb;
    long rss;
} level_fig;

#define MAX_LEVELS 8
#define TRIES 3

int main(int argc, char **argv)
{
    long sizes[MAX_LEVELS] = { 1000, 10000, 100000, 1000000 };
    int nsizes = 4;
    char dir[] = "/tmp/council-bench-audit-XXXXXX", store[256], vkey[512];
    uint8_t root[COUNCIL_ROOT_KEY_BYTES];
    uint8_t proof[COUNCIL_PROOF_HASHES_MAX * COUNCIL_HASH_BYTES];
    council_create_options co = COUNCIL_CREATE_OPTIONS_INIT;
    double t_dur, t_bat = 0, b_dur, b_bat, t_inc, t_con;
    uint64_t size, reads_inc = 0, reads_con = 0, appended = 0;
    level_fig lv[MAX_LEVELS];
    size_t count;
    council__nodes ns;
    council *c;
    int proofs = 1000;

    self = argv[0];
    if (argc == 4 && strcmp(argv[1], "--verify") == 0)
        return verify_mode(argv[2], argv[3]);
    if (argc > 1) {
        const char *s = argv[1];
        char *end;
        nsizes = 0;
        while (*s != '\0') {
            long v = strtol(s, &end, 10);
            must(end != s && v >= 1000 && nsizes < MAX_LEVELS &&
                     (nsizes == 0 || v > sizes[nsizes - 1]) && (*end == ',' || *end == '\0'),
                 "usage: bench_audit [SIZES] (comma-separated, ascending, each >= 1000)");
            sizes[nsizes++] = v;
            s = *end == ',' ? end + 1 : end;
        }
        must(nsizes > 0, "sizes");
    }
    must(council_global_init() == COUNCIL_OK, "init");
    must(mkdtemp(dir) != NULL, "mkdtemp");
    snprintf(store, sizeof store, "%s/store", dir);
    randombytes_buf(root, sizeof root);
    co.name = "bench";
    co.root_key = root;
    co.root_key_len = sizeof root;
    must(council_create(&c, store, &co) == COUNCIL_OK, "create");
    vkey_of(c, vkey, sizeof vkey);

    b_dur = baseline_inserts(dir, 200, 1);
    t_dur = append(c, 200, 1);
    b_bat = baseline_inserts(dir, 100000, 10000);
    for (int i = 0; i < nsizes; i++) {
        char path[300];
        leaves l;
        uint8_t r1[32], r2[32];
        size_t bytes;
        council__frontier *fr;

        must(council__audit_size(c, &size) == COUNCIL_OK, "size");
        if ((uint64_t)sizes[i] > size) {
            int add = (int)((uint64_t)sizes[i] - size);
            t_bat += append(c, add, 10000) * add;
            appended += (uint64_t)add;
        }
        must(council__audit_size(c, &size) == COUNCIL_OK, "size");
        snprintf(path, sizeof path, "%s/log-%ld.cax", dir, sizes[i]);
        must(council_audit_export(c, path) == COUNCIL_OK, "export");
        load_leaves(path, &l);
        must(l.n >= size, "export event count"); /* the export logs itself */
        lv[i].size = sizes[i];
        lv[i].events = (long)l.n;
        lv[i].rss = 0;
        /* the best of TRIES, each the three in turns: a shared machine
         * only ever adds time */
        for (int k = 0; k < TRIES; k++) {
            long rss;
            double tv = verify_child(path, vkey, &rss), ts = sha256_file(path, &bytes),
                   tf = merkle_floor(&l, r1);
            lv[i].t_verify = k == 0 || tv < lv[i].t_verify ? tv : lv[i].t_verify;
            lv[i].t_sha = k == 0 || ts < lv[i].t_sha ? ts : lv[i].t_sha;
            lv[i].t_floor = k == 0 || tf < lv[i].t_floor ? tf : lv[i].t_floor;
            lv[i].rss = rss > lv[i].rss ? rss : lv[i].rss;
        }
        lv[i].mb = (double)bytes / 1e6;
        /* the floor computes the log's own root */
        fr = malloc(sizeof *fr);
        must(fr != NULL, "malloc");
        council__frontier_init(fr);
        for (size_t k = 0; k < l.n; k++) {
            uint8_t leaf[32];
            council__merkle_leaf(leaf, l.bytes + l.off[k], l.off[k + 1] - l.off[k]);
            council__frontier_push(fr, leaf);
        }
        council__frontier_root(fr, r2);
        must(memcmp(r1, r2, 32) == 0, "Merkle floor root");
        free(fr);
        free(l.bytes);
        free(l.off);
        remove(path);
        fprintf(stderr, "bench_audit: %llu events verified\n", (unsigned long long)size);
    }
    t_bat = appended > 0 ? t_bat / (double)appended : 0;

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
    printf("  verify an export (x: baseline time / verifier time; 1.0 = as fast as the baseline)\n");
    printf("  %9s %9s %11s %8s %9s %9s %8s %9s %10s\n", "events", "MB", "verify s", "events/s",
           "SHA-256 s", "x SHA", "floor s", "x floor", "peak RSS");
    for (int i = 0; i < nsizes; i++)
        printf("  %9ld %9.1f %11.3f %8.0f %9.3f %9.3f %8.3f %9.3f %6ld KiB\n", lv[i].events, lv[i].mb,
               lv[i].t_verify, (double)lv[i].events / lv[i].t_verify, lv[i].t_sha,
               lv[i].t_sha / lv[i].t_verify, lv[i].t_floor, lv[i].t_floor / lv[i].t_verify, lv[i].rss);
    printf("  (the floor: leaf and node SHA-256 alone over the same events in memory; the verifier"
           " also reads, decodes, checks signatures and links)\n");
    printf("  inclusion proof    %8.1f us  max %llu node reads (log2 n = %.1f)\n", t_inc * 1e6,
           (unsigned long long)reads_inc, __builtin_log2((double)size));
    printf("  consistency proof  %8.1f us  max %llu node reads\n\n", t_con * 1e6,
           (unsigned long long)reads_con);

    metric("append.durable.us", t_dur * 1e6, "us");
    metric("append.durable.ratio_sqlcipher", b_dur / t_dur, "x");
    metric("append.batched.us", t_bat * 1e6, "us");
    metric("append.batched.ratio_sqlcipher", b_bat / t_bat, "x");
    for (int i = 0; i < nsizes; i++) {
        char k[64], sz[24], fig[128], rat[128];
        double xf = lv[i].t_floor / lv[i].t_verify;
        size_label(sz, sizeof sz, lv[i].size);
        snprintf(k, sizeof k, "%s.verify.s", sz);
        metric(k, lv[i].t_verify, "s");
        snprintf(k, sizeof k, "%s.verify.ratio_sha256", sz);
        metric(k, lv[i].t_sha / lv[i].t_verify, "x");
        snprintf(k, sizeof k, "%s.verify.ratio_floor", sz);
        metric(k, xf, "x");
        snprintf(k, sizeof k, "%s.verify.rss", sz);
        metric(k, (double)lv[i].rss, "KiB");
        snprintf(fig, sizeof fig, "verify %.3f s (%.0f events/s)", lv[i].t_verify,
                 (double)lv[i].events / lv[i].t_verify);
        snprintf(rat, sizeof rat, "%.2fx Merkle floor; %.2fx SHA-256", xf,
                 lv[i].t_sha / lv[i].t_verify);
        printf("SUMMARY | 4 verify | %s | %s | %s | >= 0.8x floor | %s |\n", sz, fig, rat,
               xf >= 0.8 ? "met" : "below");
    }
    if (nsizes >= 2) {
        const level_fig *a = &lv[nsizes - 2], *b = &lv[nsizes - 1];
        char sa[24], sb[24];
        bool flat = b->rss < 64 * 1024 && (double)b->rss <= 1.5 * (double)a->rss;
        size_label(sa, sizeof sa, a->size);
        size_label(sb, sizeof sb, b->size);
        printf("SUMMARY | 4 verify RSS | %s | %ld KiB at %s, %ld KiB at %s | %.2fx | flat, < 64 MiB"
               " | %s |\n", sb, a->rss, sa, b->rss, sb, (double)b->rss / (double)a->rss,
               flat ? "met" : "below");
    }
    council_close(c);
    {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        must(system(cmd) == 0, "cleanup");
    }
    return 0;
}
