/*
 * util.h - the CLI's small helpers: numbers, times, ids, hex, lists, and
 * files. Messages go to stderr, prefixed with the program's name.
 */
#ifndef COUNCIL_CLI_UTIL_H
#define COUNCIL_CLI_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "council.h"

/* A whole decimal number: 0, or -1. */
int parse_u64(const char *s, unsigned long long *out);
/* What a time option means by a date alone: its first moment (TIME_START),
 * or the whole day: the first moment of the next day, for the library's
 * exclusive ends (TIME_END: --valid-until, --expires, --ends), or the last
 * second of the day (TIME_END_INCLUSIVE: audit show --until). */
typedef enum { TIME_START, TIME_END, TIME_END_INCLUSIVE } time_kind;
/* The time option opt's value s into *out: YYYY-MM-DDTHH:MM:SS with Z or
 * +hh:mm/-hh:mm; the same without an offset, or YYYY-MM-DD, in the council's
 * zone (resolved when the store opens: *out must live until then); or Unix
 * seconds. 0, or EXIT_USAGE after a message (impossible dates too). */
int time_arg(const char *opt, const char *s, time_kind kind, int64_t *out);
/* The council's zone for reading and printing times, once the store is
 * open (open_council calls it): COUNCIL_OK or the library's error. */
int time_zone_use(council *c);
/* --utc: print times in UTC. */
void time_utc_output(void);
/* YYYY-MM-DDTHH:MM:SS+hh:mm in the council's zone, or ...Z in UTC (with
 * --utc, or before a store is open). */
void time_text(char *out, size_t n, int64_t t);
/* n bytes as 2n lower-case hex digits and a NUL. */
void hex_text(char *out, const uint8_t *p, size_t n);
/* 16 bytes as a lower-case UUID. */
void uuid_text_of(char out[37], const uint8_t id[16]);
/* A member, staff, case, person, consent or meeting id (a UUID): 0, or -1
 * (also for NULL). */
int id_arg(const char *text, uint8_t id[COUNCIL_ID_BYTES]);
/* Split "a,b,c" into up to `cap` pointers into `buf` (a copy): 0, or -1. */
int split_list(const char *text, char *buf, size_t buf_len, const char **out, size_t cap,
               size_t *n);
/* s padded with spaces to |width| columns as a terminal shows them (a wide
 * character takes two): on the right for a negative width (like printf's
 * %-Ns), else on the left. Up to 8 results live at once; s itself when it
 * is as wide already. */
const char *col(const char *s, int width);
/* "  label:        value", later lines of the value indented to match;
 * `mark` (or "") before the value. */
void field_line(const char *label, const char *mark, const char *value);

/* Print buf (rc COUNCIL_OK) or the failure of op, free buf and close c:
 * an exit status. */
int print_buf_and_close(council *c, council_buf *buf, int rc, const char *op);
/* Close c after a command's calls: rc COUNCIL_OK -> 0, an exit status
 * (> 0) as it is, a library error reported (the failure of op) ->
 * EXIT_FAILURE. */
int close_council(council *c, int rc, const char *op);

/* Create FILE for what only its reader may see, exclusively, mode 0600:
 * the descriptor, or -1 with a message. */
int create_private(const char *path);
/* FILE "-" (--out -): a duplicate of standard output instead, after
 * flushing what stdio holds. Remove what create_private made, after a
 * failure (nothing for "-"). */
void remove_private(const char *path);
/* Write all of p with write(2), sync (a file) and close fd: 0, or -1 with
 * errno. */
int finish_private(int fd, const void *p, size_t n);
/* --out - where the library writes a path: a private temporary directory
 * (mode 0700) and the path in it the library is to write. tmp_out_make: 0,
 * or -1 with a message; tmp_out_copy: the file to standard output, 0 or -1
 * with a message; tmp_out_remove: the file and the directory gone. */
typedef struct tmp_out {
    char dir[4096], path[4128];
} tmp_out;
int tmp_out_make(tmp_out *t);
int tmp_out_copy(const tmp_out *t);
void tmp_out_remove(tmp_out *t);
/* A whole (small) file ("-": standard input) in a new NUL-terminated
 * buffer of *len bytes, or NULL with a message. */
char *slurp(const char *path, size_t cap, size_t *len, const char *what);
/* A verifier key given as text, or as @FILE: a new string, or NULL. */
char *vkey_arg(const char *arg);
/* Section content from FILE ("-": standard input) with read(2), at most
 * `cap` bytes: a new buffer, or NULL with a message. */
char *read_content(const char *path, size_t cap, size_t *len);

#endif
