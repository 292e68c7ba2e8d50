/*
 * audit.c - the audit log's public calls (log layer, above the session):
 * council_audit_list, _export, _checkpoint, _prove_inclusion,
 * _prove_consistency, _add_cosignatures and _head_reset. Each checks the
 * handle and the session (the secretariat's alone) here, then works
 * through log.c (the log's rows) and head.c (the signer's head). Verifying
 * exports, checkpoints and proofs with the public key alone is verify.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "event.h"
#include "file.h"
#include "head.h"
#include "log.h"
#include "merkle.h"
#include "note.h"
#include "session.h"
#include "buf.h"

size_t council_audit_list_max(void)
{
    return COUNCIL_AUDIT_LIST_MAX;
}
int council_audit_list(council *c, council_buf *out, const council_audit_filter *f)
{
    int rc;

    if (!council__ok(c) || out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "audit_list: bad handle or NULL out");
    if ((rc = council__secretariat_only(c, "audit_list")) != COUNCIL_OK)
        return rc;
    return council__audit_list_in(c, out, f);
}

int council_audit_head_reset(council *c, const char *reason)
{
    static const char op[] = "audit_head_reset";
    const council__event ev = {
        .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_LOG_HEAD_RESET,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
        .reason = reason,
    };
    int rc;

    if (!council__ok(c))
        return council__fail(c, COUNCIL_EMISUSE, "%s: bad handle", op);
    if ((rc = council__root_key_only(c, op)) != COUNCIL_OK || (rc = council__no_batch(c, op)) != COUNCIL_OK)
        return rc;
    if (!council__audit_code_ok(reason))
        return council__fail(c, COUNCIL_EINVAL, "%s: the reason is a code [a-z0-9_]{1,64}", op);
    return council__audit_head_replace(c, &ev);
}

int council_audit_checkpoint(council *c, council_buf *out)
{
    int rc;

    if (!council__ok(c) || out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "audit_checkpoint: bad handle or NULL out");
    if ((rc = council__secretariat_only(c, "audit_checkpoint")) != COUNCIL_OK ||
        (rc = council__no_batch(c, "audit_checkpoint")) != COUNCIL_OK)
        return rc;
    out->ptr = NULL;
    out->len = 0;
    return council__audit_checkpoint_in_batch(c, out, NULL);
}

/* Proof texts are built in the shared buffer (buf.c), NUL-terminated. */
static void sb_line(council__buf *b, const char *key, uint64_t v)
{
    char line[64];

    (void)snprintf(line, sizeof line, "%s %llu\n", key, (unsigned long long)v);
    council__buf_text(b, line);
}

static void sb_hash(council__buf *b, const char *prefix, const uint8_t h[COUNCIL_HASH_BYTES])
{
    char b64[64];

    sodium_bin2base64(b64, sizeof b64, h, COUNCIL_HASH_BYTES, sodium_base64_VARIANT_ORIGINAL);
    if (prefix != NULL)
        council__buf_text(b, prefix);
    council__buf_text(b, b64);
    council__buf_text(b, "\n");
}

static int size_arg(council *c, const char *op, uint64_t *size)
{
    uint64_t n = 0;
    int rc = council__audit_size(c, &n);

    if (rc != COUNCIL_OK)
        return rc;
    if (*size == 0)
        *size = n;
    if (*size > n)
        return council__fail(c, COUNCIL_EINVAL, "%s: size %llu is larger than the log (%llu)",
                             op, (unsigned long long)*size, (unsigned long long)n);
    return COUNCIL_OK;
}

/* The start of both proofs: the handle, the secretariat's session, an
 * empty out, and the tree size (0: the current one). */
static int prove_start(council *c, council_buf *out, uint64_t *size)
{
    int rc;

    if (!council__ok(c) || out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "audit_prove: bad handle or NULL out");
    if ((rc = council__secretariat_only(c, "audit_prove")) != COUNCIL_OK ||
        (rc = council__no_batch(c, "audit_prove")) != COUNCIL_OK)
        return rc;
    out->ptr = NULL;
    out->len = 0;
    return size_arg(c, "audit_prove", size);
}

int council_audit_prove_inclusion(council *c, council_buf *out, uint64_t index, uint64_t size)
{
    uint8_t proof[COUNCIL_PROOF_HASHES_MAX][COUNCIL_HASH_BYTES], leaf[COUNCIL_HASH_BYTES];
    council__buf b = COUNCIL__BUF_INIT;
    council__nodes ns;
    size_t count = 0;
    int rc;

    if ((rc = prove_start(c, out, &size)) != COUNCIL_OK)
        return rc;
    if (index >= size)
        return council__fail(c, COUNCIL_EINVAL, "audit_prove: index %llu not below size %llu",
                             (unsigned long long)index, (unsigned long long)size);
    council__audit_nodes(c, &ns);
    if (ns.get(ns.ctx, 0, index, leaf) != COUNCIL_OK ||
        council__merkle_prove_inclusion(&ns, index, size, &proof[0][0],
                                        COUNCIL_PROOF_HASHES_MAX, &count) != COUNCIL_OK)
        return council__fail(c, COUNCIL_EIO, "audit_prove: cannot read the tree");
    council__buf_text(&b, "inclusion-proof/v1\n");
    sb_line(&b, "index", index);
    sb_line(&b, "size", size);
    sb_hash(&b, "leaf ", leaf);
    for (size_t i = 0; i < count; i++)
        sb_hash(&b, NULL, proof[i]);
    return council__buf_out(c, "audit", &b, out);
}

int council_audit_prove_consistency(council *c, council_buf *out, uint64_t size1, uint64_t size2)
{
    uint8_t proof[COUNCIL_PROOF_HASHES_MAX][COUNCIL_HASH_BYTES];
    council__buf b = COUNCIL__BUF_INIT;
    council__nodes ns;
    size_t count = 0;
    int rc;

    if ((rc = prove_start(c, out, &size2)) != COUNCIL_OK)
        return rc;
    if (size1 == 0 || size1 > size2)
        return council__fail(c, COUNCIL_EINVAL, "audit_prove: sizes %llu..%llu out of order",
                             (unsigned long long)size1, (unsigned long long)size2);
    council__audit_nodes(c, &ns);
    if (council__merkle_prove_consistency(&ns, size1, size2, &proof[0][0],
                                          COUNCIL_PROOF_HASHES_MAX, &count) != COUNCIL_OK)
        return council__fail(c, COUNCIL_EIO, "audit_prove: cannot read the tree");
    council__buf_text(&b, "consistency-proof/v1\n");
    sb_line(&b, "old", size1);
    sb_line(&b, "new", size2);
    for (size_t i = 0; i < count; i++)
        sb_hash(&b, NULL, proof[i]);
    return council__buf_out(c, "audit", &b, out);
}

int council_audit_add_cosignatures(council *c, const char *note, size_t note_len)
{
    const council__event ev = {
        .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_CHECKPOINT_SIGNED,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
        .reason = "cosignatures_added",
    };
    council__checkpoint cp, stored;
    council__vkey log;
    char *old = NULL;
    int rc;

    if (!council__ok(c) || note == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "audit_add_cosignatures: bad handle or NULL note");
    if ((rc = council__secretariat_only(c, "audit_add_cosignatures")) != COUNCIL_OK ||
        (rc = council__no_batch(c, "audit_add_cosignatures")) != COUNCIL_OK)
        return rc;
    if (note_len > COUNCIL__NOTE_MAX || council__checkpoint_parse(&cp, note, note_len) != COUNCIL_OK)
        return council__fail(c, COUNCIL_EFORMAT, "audit_add_cosignatures: malformed checkpoint");
    council__log_vkey(&log, c->council_id, c->log_pk);
    rc = council__note_verify(note, note_len, &log, NULL, 0, NULL);
    if (rc != COUNCIL_OK)
        return council__fail(c, rc == COUNCIL_EFORMAT ? rc : COUNCIL_ETAMPER,
                             "audit_add_cosignatures: not signed by this council's log key");
    if ((rc = council__audit_batch_begin(c)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_checkpoint_note(c, cp.size, &old)) != COUNCIL_OK) {
        rc = rc == COUNCIL_ENOTFOUND
                 ? council__fail(c, COUNCIL_ENOTFOUND, "audit_add_cosignatures: no checkpoint of size "
                                 "%llu is stored", (unsigned long long)cp.size)
                 : council__fail(c, COUNCIL_EIO, "audit_add_cosignatures: cannot read checkpoints");
        goto out;
    }
    if (council__checkpoint_parse(&stored, old, strlen(old)) != COUNCIL_OK ||
        stored.body_len != cp.body_len || memcmp(old, note, cp.body_len) != 0) {
        rc = council__fail(c, COUNCIL_ETAMPER, "audit_add_cosignatures: the checkpoint of size "
                           "%llu differs from the stored one", (unsigned long long)cp.size);
        goto out;
    }
    /* Signatures are only ever added: the stored note, every line of it,
     * must begin the new one. */
    if (strlen(old) >= note_len || memcmp(old, note, strlen(old)) != 0) {
        rc = council__fail(c, COUNCIL_EINVAL, "audit_add_cosignatures: the note does not extend "
                           "the stored one (signatures would be lost, or none are new)");
        goto out;
    }
    if (council__audit_checkpoint_update(c, cp.size, note, note_len) != COUNCIL_OK) {
        rc = council__fail(c, COUNCIL_EIO, "audit_add_cosignatures: cannot store");
        goto out;
    }
    rc = council__audit_append(c, &ev);
out:
    council__free(old);
    if (rc == COUNCIL_OK)
        rc = council__audit_batch_commit(c);
    else
        council__audit_batch_rollback(c);
    if (rc == COUNCIL_OK)
        council__clear(c);
    return rc;
}

int council_audit_export(council *c, const char *path)
{
    const council__event ev = {
        .action = COUNCIL__V1__AUDIT_ACTION__AUDIT_ACTION_AUDIT_EXPORTED,
        .actor_kind = COUNCIL__V1__AUDIT_ACTOR_KIND__AUDIT_ACTOR_ROOT,
        .outcome = COUNCIL__V1__AUDIT_OUTCOME__AUDIT_OUTCOME_ALLOWED,
    };
    council_buf note = { NULL, 0 };
    char tmp[PATH_MAX] = "";
    uint8_t *buf = NULL;
    uint64_t n = 0;
    FILE *f = NULL;
    bool began = false;
    int fd = -1, rc;

    if (!council__ok(c))
        return council__fail(c, COUNCIL_EMISUSE, "audit_export: bad handle");
    if ((rc = council__secretariat_only(c, "audit_export")) != COUNCIL_OK ||
        (rc = council__no_batch(c, "audit_export")) != COUNCIL_OK)
        return rc;
    if (path == NULL || path[0] == '\0' || strlen(path) > PATH_MAX - 16)
        return council__fail(c, COUNCIL_EINVAL, "audit_export: bad path");
    if (access(path, F_OK) == 0)
        return council__fail(c, COUNCIL_EEXIST, "audit_export: the file exists already");
    /* Log first: the export is itself an audited act. */
    if ((rc = council__audit_append(c, &ev)) != COUNCIL_OK)
        return rc;
    if ((rc = council__audit_checkpoint_in_batch(c, &note, &n)) != COUNCIL_OK)
        return rc;
    council_buf_free(&note);
    buf = council__malloc(COUNCIL__AUDIT_FRAME_MAX);
    if (buf == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "audit_export: out of memory");
    /* The path was capped above, so the name fits; checked all the same. */
    if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp) {
        tmp[0] = '\0';
        rc = council__fail(c, COUNCIL_EINVAL, "audit_export: path too long");
        goto out;
    }
    fd = mkstemp(tmp);
    if (fd < 0)
        tmp[0] = '\0'; /* nothing was created */
    if (fd < 0 || (f = fdopen(fd, "wb")) == NULL) {
        rc = council__fail(c, COUNCIL_EIO, "audit_export: cannot create (%s)", strerror(errno));
        goto out;
    }
    fd = -1;
    if ((rc = council__audit_export_frames(c, f, n, buf, &began)) != COUNCIL_OK && !began) {
        rc = council__fail(c, COUNCIL_EIO, "audit_export: cannot read the log");
        goto out;
    }
    if (rc != COUNCIL_OK) {
        rc = council__fail(c, rc, "audit_export: cannot write the export");
        goto out;
    }
    {
        /* closed whether or not the flush and sync got through */
        bool bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
        int err = errno;
        if (fclose(f) != 0 && !bad) {
            bad = true;
            err = errno;
        }
        f = NULL;
        if (bad) {
            rc = council__fail(c, COUNCIL_EIO, "audit_export: cannot write (%s)", strerror(err));
            goto out;
        }
    }
    /* link() refuses to replace an existing file. */
    if (link(tmp, path) != 0) {
        rc = council__fail(c, errno == EEXIST ? COUNCIL_EEXIST : COUNCIL_EIO,
                           "audit_export: cannot place the export (%s)", strerror(errno));
        goto out;
    }
    (void)unlink(tmp);
    tmp[0] = '\0';
    if (council__fsync_parent(path) != 0) {
        /* Not known to be on disk: no export is left that the call says
         * was not made. */
        rc = council__fail(c, COUNCIL_EIO, "audit_export: cannot sync the directory (%s)",
                           strerror(errno));
        (void)unlink(path);
        goto out;
    }
    rc = COUNCIL_OK;
    council__clear(c);
out:
    if (f != NULL)
        fclose(f);
    if (fd >= 0)
        close(fd);
    if (tmp[0] != '\0')
        (void)unlink(tmp);
    council__free(buf);
    return rc;
}
