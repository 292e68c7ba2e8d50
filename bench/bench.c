/*
 * bench.c - what opening a council costs, against baselines measured in the
 * same run (the machines are shared and noisy: read the ratios).
 *
 *   plain     SQLCipher with no key: behaves as plain SQLite
 *   sqlcipher SQLCipher keyed with a raw key, WAL, first read
 *   council   council_open() with an integrator root key (keyring parse,
 *             unwraps, cipher check, key probe, migrations check) + close
 *   argon2id  one passphrase derivation at the default (MODERATE) cost,
 *             what council_open() with a passphrase adds
 *
 * Row 7 of issue 17's table: council_open() with a raw key against a
 * SQLCipher open and probe (target <= 2x). The three opens run in turns,
 * `iterations` rounds of one each, so that all see the same moments of the
 * machine. Every figure is also printed as "METRIC bench.<name> <value>
 * <unit>", the row of the final table as "SUMMARY | ... |".
 *
 * Usage: bench [iterations]   (default 200)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "council.h"
#include "util.h"
#include "council_int.h"
#include "crypto.h"


static void open_raw(const char *path, const char *key)
{
    sqlite3 *db;

    must(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) == SQLITE_OK,
         "sqlite3_open");
    if (key != NULL)
        must(sqlite3_key(db, key, (int)strlen(key)) == SQLITE_OK, "sqlite3_key");
    must(sqlite3_exec(db, "PRAGMA journal_mode = WAL; SELECT count(*) FROM sqlite_schema;",
                      NULL, NULL, NULL) == SQLITE_OK, "probe");
    sqlite3_close(db);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 200;
    char dir[] = "/tmp/council-bench-XXXXXX", plain[64], keyed[64], store[64];
    const char *hexkey = "x'2DD29CA851E7B56E4697B0E1F08507293D761A05CE4D1B628663F411A8086D99'";
    uint8_t root[COUNCIL_ROOT_KEY_BYTES], out[32], salt[16] = { 0 };
    council_create_options co = COUNCIL_CREATE_OPTIONS_INIT;
    council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
    double t, t_plain, t_keyed, t_council, t_argon;
    council *c;

    if (n < 1)
        n = 1;
    must(council_global_init() == COUNCIL_OK, "init");
    must(mkdtemp(dir) != NULL, "mkdtemp");
    snprintf(plain, sizeof plain, "%s/plain.db", dir);
    snprintf(keyed, sizeof keyed, "%s/keyed.db", dir);
    snprintf(store, sizeof store, "%s/store", dir);
    randombytes_buf(root, sizeof root);
    co.name = "bench";
    co.root_key = root;
    co.root_key_len = sizeof root;
    must(council_create(&c, store, &co) == COUNCIL_OK, "council_create");
    council_close(c);
    open_raw(plain, NULL);
    open_raw(keyed, hexkey);
    oo.root_key = root;
    oo.root_key_len = sizeof root;

    t_plain = t_keyed = t_council = 0;
    for (int i = 0; i < n; i++) {
        t = now();
        open_raw(plain, NULL);
        t_plain += now() - t;
        t = now();
        open_raw(keyed, hexkey);
        t_keyed += now() - t;
        t = now();
        must(council_open(&c, store, &oo) == COUNCIL_OK, "council_open");
        council_close(c);
        t_council += now() - t;
    }
    t_plain /= n;
    t_keyed /= n;
    t_council /= n;
    t = now();
    must(council__argon2id(NULL, out, sizeof out, (const uint8_t *)"bench", 5, salt,
                           COUNCIL__KDF_OPSLIMIT_DEFAULT, COUNCIL__KDF_MEMLIMIT_DEFAULT) ==
             COUNCIL_OK, "argon2id");
    t_argon = now() - t;

    printf("bench: open + first read + close, %d iterations each\n", n);
    printf("  %-10s %9.1f us   1.00x\n", "plain", t_plain * 1e6);
    printf("  %-10s %9.1f us  %5.2fx plain\n", "sqlcipher", t_keyed * 1e6, t_keyed / t_plain);
    printf("  %-10s %9.1f us  %5.2fx plain  %5.2fx sqlcipher\n", "council", t_council * 1e6,
           t_council / t_plain, t_council / t_keyed);
    printf("  %-10s %9.1f ms  (one derivation, MODERATE: opslimit %u, %u MiB)\n", "argon2id",
           t_argon * 1e3, COUNCIL__KDF_OPSLIMIT_DEFAULT, COUNCIL__KDF_MEMLIMIT_DEFAULT >> 20);
    printf("\nMETRIC bench.open.plain %.6g us\n", t_plain * 1e6);
    printf("METRIC bench.open.sqlcipher %.6g us\n", t_keyed * 1e6);
    printf("METRIC bench.open.council %.6g us\n", t_council * 1e6);
    printf("METRIC bench.open.ratio_sqlcipher %.6g x\n", t_council / t_keyed);
    printf("METRIC bench.argon2id %.6g ms\n", t_argon * 1e3);
    printf("SUMMARY | 7 open | empty store | council_open %.2f ms | %.2fx SQLCipher open + probe"
           " (%.2f ms) | <= 2x | %s |\n", t_council * 1e3, t_council / t_keyed, t_keyed * 1e3,
           t_council <= 2 * t_keyed ? "met" : "below");

    remove(plain);
    remove(keyed);
    {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        must(system(cmd) == 0, "cleanup");
    }
    return 0;
}
