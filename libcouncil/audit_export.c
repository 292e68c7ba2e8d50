/*
 * audit_export.c - the log read out (log layer, secretariat only):
 * council_audit_list (events, filtered, a page at a time) and
 * council_audit_export (the whole log with its checkpoints, in the framed
 * format verify.c reads, written durably and never half).
 *
 * Tables: audit_event, audit_checkpoint (read; owned with audit.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "council/v1/audit.pb-c.h"
#include "council_int.h"
#include "audit.h"
#include "batch.h"
#include "note.h"
#include "session.h"
#include "file.h"

const uint8_t council__export_magic[8] = { 0x89, 'C', 'A', 'X', '\r', '\n', 0x1a, '\n' };

/* ------------------------------------------------------------------ listing */

size_t council_audit_list_max(void)
{
    return COUNCIL_AUDIT_LIST_MAX;
}

int council_audit_list(council *c, council_buf *out, const council_audit_filter *f)
{
    static const council_audit_filter all = COUNCIL_AUDIT_FILTER_INIT;
    Council__V1__AuditEventList list = COUNCIL__V1__AUDIT_EVENT_LIST__INIT;
    Council__V1__AuditEvent **events = NULL;
    sqlite3_stmt *st = NULL;
    uint32_t limit;
    uint64_t size = 0, next;
    size_t n = 0, len;
    int rc = COUNCIL_OK;

    if (!council__ok(c) || out == NULL)
        return council__fail(c, COUNCIL_EMISUSE, "audit_list: bad handle or NULL out");
    if ((rc = council__root_only(c, "audit_list")) != COUNCIL_OK)
        return rc;
    out->ptr = NULL;
    out->len = 0;
    if (f == NULL)
        f = &all;
    if (f->version != COUNCIL_AUDIT_FILTER_VERSION)
        return council__fail(c, COUNCIL_EMISUSE, "audit_list: unknown filter version");
    if ((f->actor_member != NULL && f->actor_member_len != COUNCIL_ID_BYTES) ||
        (f->case_ref != NULL && f->case_ref_len != 32))
        return council__fail(c, COUNCIL_EINVAL, "audit_list: id of wrong length");
    if (f->limit > COUNCIL_AUDIT_LIST_MAX)
        return council__fail(c, COUNCIL_ELIMIT, "audit_list: limit %u above %d", f->limit,
                             COUNCIL_AUDIT_LIST_MAX);
    limit = f->limit == 0 ? 1000 : f->limit;
    if ((rc = council__audit_size(c, &size)) != COUNCIL_OK)
        return rc;
    next = f->from_seq;
    events = council__calloc(limit, sizeof *events);
    if (events == NULL)
        return council__fail(c, COUNCIL_ENOMEM, "audit_list: out of memory");
    if (sqlite3_prepare_v2(c->db,
            "SELECT seq, body FROM audit_event WHERE seq >= ?1"
            " AND (?2 = 0 OR time >= ?2) AND (?3 = 0 OR time <= ?3) AND (?4 = 0 OR action = ?4)"
            " AND (?5 IS NULL OR actor_member = ?5) AND (?6 IS NULL OR case_ref = ?6)"
            " ORDER BY seq LIMIT ?7;", -1, &st, NULL) != SQLITE_OK) {
        rc = council__fail(c, COUNCIL_EIO, "audit_list: cannot query");
        goto out;
    }
    sqlite3_bind_int64(st, 1, (sqlite3_int64)(f->from_seq > INT64_MAX ? INT64_MAX : f->from_seq));
    sqlite3_bind_int64(st, 2, f->since);
    sqlite3_bind_int64(st, 3, f->until);
    sqlite3_bind_int(st, 4, f->action);
    if (f->actor_member != NULL)
        sqlite3_bind_blob(st, 5, f->actor_member, COUNCIL_ID_BYTES, SQLITE_STATIC);
    if (f->case_ref != NULL)
        sqlite3_bind_blob(st, 6, f->case_ref, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const uint8_t *body = sqlite3_column_blob(st, 1);
        int blen = sqlite3_column_bytes(st, 1);
        events[n] = council__v1__audit_event__unpack(council__pb_allocator(), (size_t)blen, body);
        if (events[n] == NULL) {
            rc = council__fail(c, COUNCIL_EFORMAT, "audit_list: event %lld is damaged",
                               sqlite3_column_int64(st, 0));
            goto out;
        }
        next = (uint64_t)sqlite3_column_int64(st, 0) + 1;
        n++;
    }
    if (rc != SQLITE_DONE) {
        rc = council__fail(c, COUNCIL_EIO, "audit_list: query failed");
        goto out;
    }
    if (n < limit)
        next = size > next ? size : next; /* nothing further matches */
    list.n_events = n;
    list.events = events;
    list.next_seq = next;
    list.tree_size = size;
    len = council__v1__audit_event_list__get_packed_size(&list);
    out->ptr = council__malloc(len);
    if (out->ptr == NULL) {
        rc = council__fail(c, COUNCIL_ENOMEM, "audit_list: out of memory");
        goto out;
    }
    out->len = council__v1__audit_event_list__pack(&list, out->ptr);
    rc = COUNCIL_OK;
    council__clear(c);
out:
    sqlite3_finalize(st);
    for (size_t i = 0; i < n; i++)
        council__v1__audit_event__free_unpacked(events[i], council__pb_allocator());
    council__free(events);
    return rc;
}

/* ------------------------------------------------------------------ export */

static int write_frame(FILE *f, const Council__V1__AuditFrame *fr, uint8_t *buf)
{
    size_t len = council__v1__audit_frame__get_packed_size(fr);
    uint8_t hdr[4];

    if (len == 0 || len > COUNCIL__AUDIT_FRAME_MAX)
        return COUNCIL_ELIMIT;
    (void)council__v1__audit_frame__pack(fr, buf);
    hdr[0] = (uint8_t)(len >> 24);
    hdr[1] = (uint8_t)(len >> 16);
    hdr[2] = (uint8_t)(len >> 8);
    hdr[3] = (uint8_t)len;
    if (fwrite(hdr, 1, 4, f) != 4 || fwrite(buf, 1, len, f) != len)
        return COUNCIL_EIO;
    return COUNCIL_OK;
}

static int write_checkpoint_frame(FILE *f, const char *note, uint8_t *buf)
{
    Council__V1__AuditFrame fr = COUNCIL__V1__AUDIT_FRAME__INIT;

    fr.frame_case = COUNCIL__V1__AUDIT_FRAME__FRAME_CHECKPOINT;
    fr.checkpoint = (char *)(uintptr_t)note;
    return write_frame(f, &fr, buf);
}

static int export_events(council *c, FILE *f, uint64_t n, uint8_t *buf)
{
    Council__V1__AuditFrame fr = COUNCIL__V1__AUDIT_FRAME__INIT;
    Council__V1__AuditExportHeader h = COUNCIL__V1__AUDIT_EXPORT_HEADER__INIT;
    char origin[COUNCIL__ORIGIN_MAX];
    sqlite3_stmt *ev = NULL, *cp = NULL;
    int cp_rc, rc;
    int64_t cp_size = -1;

    council__log_origin(origin, c->council_id);
    h.format_version = 1;
    h.origin = origin;
    h.council_id.data = c->council_id;
    h.council_id.len = COUNCIL_ID_BYTES;
    h.event_count = n;
    h.created = (int64_t)time(NULL);
    fr.frame_case = COUNCIL__V1__AUDIT_FRAME__FRAME_HEADER;
    fr.header = &h;
    if ((rc = write_frame(f, &fr, buf)) != COUNCIL_OK)
        return rc;
    if (sqlite3_prepare_v2(c->db, "SELECT seq, body FROM audit_event WHERE seq < ? ORDER BY seq;",
                           -1, &ev, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(c->db, "SELECT size, note FROM audit_checkpoint WHERE size <= ? "
                                  "ORDER BY size;", -1, &cp, NULL) != SQLITE_OK) {
        rc = COUNCIL_EIO;
        goto out;
    }
    sqlite3_bind_int64(ev, 1, (sqlite3_int64)n);
    sqlite3_bind_int64(cp, 1, (sqlite3_int64)n);
    cp_rc = sqlite3_step(cp);
    if (cp_rc == SQLITE_ROW)
        cp_size = sqlite3_column_int64(cp, 0);
    /* What is stored, as it is stored: a gap or a swap is for the
     * verifier to find and name, not for the exporter to hide. */
    while ((rc = sqlite3_step(ev)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(ev, 0);
        fr.frame_case = COUNCIL__V1__AUDIT_FRAME__FRAME_EVENT;
        fr.event.data = (uint8_t *)(uintptr_t)sqlite3_column_blob(ev, 1);
        fr.event.len = (size_t)sqlite3_column_bytes(ev, 1);
        if ((rc = write_frame(f, &fr, buf)) != COUNCIL_OK)
            goto out;
        /* Each stored checkpoint right after the event completing its size. */
        while (cp_rc == SQLITE_ROW && cp_size <= seq + 1) {
            if (cp_size == seq + 1 &&
                (rc = write_checkpoint_frame(f, (const char *)sqlite3_column_text(cp, 1), buf)) != COUNCIL_OK)
                goto out;
            cp_rc = sqlite3_step(cp);
            cp_size = cp_rc == SQLITE_ROW ? sqlite3_column_int64(cp, 0) : -1;
        }
    }
    if (rc != SQLITE_DONE) {
        rc = COUNCIL_EIO;
        goto out;
    }
    rc = COUNCIL_OK;
out:
    sqlite3_finalize(ev);
    sqlite3_finalize(cp);
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
    int fd = -1, rc;

    if (!council__ok(c))
        return council__fail(c, COUNCIL_EMISUSE, "audit_export: bad handle");
    if ((rc = council__root_only(c, "audit_export")) != COUNCIL_OK ||
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
    /* A read transaction: the events and checkpoints are one snapshot. */
    if (sqlite3_exec(c->db, "BEGIN;", NULL, NULL, NULL) != SQLITE_OK) {
        rc = council__fail(c, COUNCIL_EIO, "audit_export: cannot read the log");
        goto out;
    }
    rc = fwrite(council__export_magic, 1, sizeof council__export_magic, f) == sizeof council__export_magic
             ? export_events(c, f, n, buf) : COUNCIL_EIO;
    (void)sqlite3_exec(c->db, "COMMIT;", NULL, NULL, NULL);
    if (rc != COUNCIL_OK) {
        rc = council__fail(c, rc, "audit_export: cannot write the export");
        goto out;
    }
    if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0) {
        f = NULL;
        rc = council__fail(c, COUNCIL_EIO, "audit_export: cannot write (%s)", strerror(errno));
        goto out;
    }
    f = NULL;
    /* link() refuses to replace an existing file. */
    if (link(tmp, path) != 0) {
        rc = council__fail(c, errno == EEXIST ? COUNCIL_EEXIST : COUNCIL_EIO,
                           "audit_export: cannot place the export (%s)", strerror(errno));
        goto out;
    }
    (void)unlink(tmp);
    tmp[0] = '\0';
    if (council__fsync_parent(path) != 0) {
        rc = council__fail(c, COUNCIL_EIO, "audit_export: cannot sync the directory (%s)",
                           strerror(errno));
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
