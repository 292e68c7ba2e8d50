/*
 * fuzz_cosign.c - cosignature import: council_audit_add_cosignatures
 * (libcouncil/audit.c), which parses a cosigned checkpoint note
 * (council__checkpoint_parse, council__note_verify) and stores it over the
 * stored checkpoint of its size. A throwaway store is made once per
 * process under $TMPDIR (root key all 0x42 bytes, no Argon2id), with
 * checkpoints at three sizes, and removed at exit; synchronous=OFF keeps
 * each input fast.
 *
 * Byte 0 chooses the note (data[0] % 4), the rest R is the fuzzed part:
 *   0  R as it is;
 *   1  a stored note (byte 1 picks which; R then starts at byte 2) with R
 *      appended, as a witness's extra signature lines would be;
 *   2  R as a checkpoint body, signed with the store's log key (so
 *      mutations get past the signature; R as it is if signing refuses);
 *   3  as 1, with a valid cosignature by the witness of fixture.h between.
 *
 * The harness traps on a code other than OK, ENOTFOUND, ETAMPER, EINVAL or
 * EFORMAT; on ENOTFOUND for a size that is stored; and on OK unless the
 * note begins with the stored note, is longer, verifies under the store's
 * log key (council_audit_verify_checkpoint) and is what is stored now.
 * After an OK the stored note is put back, so every input meets the same
 * store.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <sqlite3.h>
#include <unistd.h>

#include "fixture.h"
#include "note.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NCK 3

static council *c;
static char dir[256];
static char vkey[FIX_VKEY_MAX], origin[COUNCIL__ORIGIN_MAX];
static char *stored[NCK];
static uint64_t stored_size[NCK];

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void cleanup(void)
{
    council_close(c);
    c = NULL;
    for (int i = 0; i < NCK; i++)
        free(stored[i]);
    if (dir[0] != '\0')
        (void)nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* The note stored for size n (malloc'd), or NULL. */
static char *stored_note(uint64_t n)
{
    sqlite3_stmt *st = NULL;
    char *out = NULL;

    fuzz_check(sqlite3_prepare_v2(c->db, "SELECT note FROM audit_checkpoint WHERE size = ?;", -1,
                                  &st, NULL) == SQLITE_OK);
    fuzz_check(sqlite3_bind_int64(st, 1, (sqlite3_int64)n) == SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        out = strdup(t != NULL ? t : "");
        fuzz_check(out != NULL);
    }
    sqlite3_finalize(st);
    return out;
}

static void put_back(uint64_t n, const char *note)
{
    sqlite3_stmt *st = NULL;

    fuzz_check(sqlite3_prepare_v2(c->db, "UPDATE audit_checkpoint SET note = ? WHERE size = ?;",
                                  -1, &st, NULL) == SQLITE_OK);
    fuzz_check(sqlite3_bind_text(st, 1, note, -1, SQLITE_STATIC) == SQLITE_OK &&
               sqlite3_bind_int64(st, 2, (sqlite3_int64)n) == SQLITE_OK &&
               sqlite3_step(st) == SQLITE_DONE);
    sqlite3_finalize(st);
}

static void setup(void)
{
    council_create_options o = COUNCIL_CREATE_OPTIONS_INIT;
    council_policy_options po = COUNCIL_POLICY_OPTIONS_INIT;
    static const char *const bases[] = { "consent", "appi_27_1_1_law" };
    uint8_t root[32];
    const char *tmp = getenv("TMPDIR");

    fix_init();
    snprintf(dir, sizeof dir, "%s/council-fuzz-cosign-XXXXXX", tmp != NULL ? tmp : "/tmp");
    fuzz_check(mkdtemp(dir) != NULL);
    atexit(cleanup);
    memset(root, 0x42, sizeof root);
    o.name = "fuzz";
    o.root_key = root;
    o.root_key_len = sizeof root;
    {
        char path[300];
        snprintf(path, sizeof path, "%s/store", dir);
        fuzz_check(council_create(&c, path, &o) == COUNCIL_OK);
    }
    fuzz_check(sqlite3_exec(c->db, "PRAGMA synchronous=OFF;", NULL, NULL, NULL) == SQLITE_OK);
    po.accepted_bases = bases;
    for (int i = 0; i < NCK; i++) {
        council_buf cp = { NULL, 0 };
        council__checkpoint parsed;

        po.n_accepted_bases = (size_t)(i % 2) + 1;
        fuzz_check(council_policy_set(c, &po) == COUNCIL_OK);
        fuzz_check(council_audit_checkpoint(c, &cp) == COUNCIL_OK);
        fuzz_check(council__checkpoint_parse(&parsed, (const char *)cp.ptr, cp.len) == COUNCIL_OK);
        stored_size[i] = parsed.size;
        council_buf_free(&cp);
        stored[i] = stored_note(stored_size[i]);
        fuzz_check(stored[i] != NULL);
    }
    council__log_origin(origin, c->council_id);
    fuzz_check(council__vkey_format(vkey, sizeof vkey, origin, COUNCIL__SIG_ED25519, c->log_pk) ==
               COUNCIL_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    council_buf signed_note = { NULL, 0 }, cosigned = { NULL, 0 };
    const uint8_t *rest;
    size_t rest_len, len = 0;
    char *note = NULL;
    int mode, pick = 0, rc;
    council__checkpoint cp;

    if (size < 1)
        return 0;
    if (c == NULL)
        setup();
    mode = data[0] % 4;
    rest = data + 1;
    rest_len = size - 1;
    if (mode == 1 || mode == 3) {
        if (rest_len > 0) {
            pick = rest[0] % NCK;
            rest++;
            rest_len--;
        }
    }
    if (mode == 0 || (mode == 2 && council__note_sign(&signed_note, (const char *)rest, rest_len,
                                                      origin, &c->log_sk, c->log_pk) != COUNCIL_OK)) {
        note = malloc(rest_len + 1);
        fuzz_check(note != NULL);
        memcpy(note, rest, rest_len);
        len = rest_len;
    } else if (mode == 2) {
        note = malloc(signed_note.len + 1);
        fuzz_check(note != NULL);
        memcpy(note, signed_note.ptr, signed_note.len);
        len = signed_note.len;
    } else {
        const char *base = stored[pick];
        size_t blen = strlen(base);

        if (mode == 3) {
            fuzz_check(council__note_cosign(&cosigned, base, blen, FIX_WITNESS, fix.wit_sk,
                                            1700000003u) == COUNCIL_OK);
            base = (const char *)cosigned.ptr;
            blen = cosigned.len;
        }
        note = malloc(blen + rest_len + 1);
        fuzz_check(note != NULL);
        memcpy(note, base, blen);
        memcpy(note + blen, rest, rest_len);
        len = blen + rest_len;
    }

    rc = council_audit_add_cosignatures(c, note, len);
    fuzz_check(rc == COUNCIL_OK || rc == COUNCIL_ENOTFOUND || rc == COUNCIL_ETAMPER ||
               rc == COUNCIL_EINVAL || rc == COUNCIL_EFORMAT);
    if (rc == COUNCIL_ENOTFOUND) {
        fuzz_check(council__checkpoint_parse(&cp, note, len) == COUNCIL_OK);
        for (int i = 0; i < NCK; i++)
            fuzz_check(cp.size != stored_size[i]);
    }
    if (rc == COUNCIL_OK) {
        council_audit_verify_options o = COUNCIL_AUDIT_VERIFY_OPTIONS_INIT;
        int i = 0;
        char *now;

        fuzz_check(council__checkpoint_parse(&cp, note, len) == COUNCIL_OK);
        while (i < NCK && stored_size[i] != cp.size)
            i++;
        fuzz_check(i < NCK);
        fuzz_check(len > strlen(stored[i]) && memcmp(note, stored[i], strlen(stored[i])) == 0);
        o.log_vkey = vkey;
        fuzz_check(council_audit_verify_checkpoint(NULL, note, len, &o) == COUNCIL_OK);
        now = stored_note(cp.size);
        fuzz_check(now != NULL && strlen(now) == len && memcmp(now, note, len) == 0);
        free(now);
        put_back(cp.size, stored[i]);
    }
    free(note);
    council_buf_free(&signed_note);
    council_buf_free(&cosigned);
    return 0;
}
