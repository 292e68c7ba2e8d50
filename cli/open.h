/*
 * open.h - passphrases, root keys and opening the store: with the
 * council passphrase or root key, or as a staff session (--staff,
 * --keyfile and the member's passphrase).
 */
#ifndef COUNCIL_CLI_OPEN_H
#define COUNCIL_CLI_OPEN_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"

/* Credentials for open: root key file if given, else passphrase. */
typedef struct creds {
    char pass[PASS_BUF];
    size_t pass_len;
    uint8_t key[COUNCIL_ROOT_KEY_BYTES];
    int have_key;
} creds;

/* The passphrase: from file, else environment, else terminal (twice when
 * `confirm`). Returns its length, -1 on failure, -2 when there is no source. */
long get_passphrase(const char *file, const char *env, int confirm, const char *prompt,
                    char *buf, size_t cap);
/* A root key file of 64 hex digits: 0, or -1 with a message. */
int read_root_key(const char *path, uint8_t key[COUNCIL_ROOT_KEY_BYTES]);
/* The council's credentials from the global options: 0 or an exit status. */
int get_creds(const cli_global *o, creds *cr, int confirm);
/* Who acts: the global options, else $COUNCIL_STAFF and $COUNCIL_KEYFILE
 * (a person sets them once per sitting), unless the council passphrase
 * is asked for (--root-reason or --root-key-file). */
void open_who(const cli_global *in, cli_global *out);
/* The reason a command that needs the council passphrase gives itself
 * when the user gives none (key management: rekey, passphrase); such a
 * command takes no staff from the environment. */
void open_root_default(const char *reason, const char *note);
/* A root session's reason into oo (--root-reason/--root-note, else
 * $COUNCIL_ROOT_REASON/$COUNCIL_ROOT_NOTE, else the command's default),
 * said on stderr: 0, or an exit status (usage) when there is none. */
int open_root_why(const cli_global *g, council_open_options *oo);
/* Open the store as the global options say: 0, or an exit status. With
 * neither --passphrase-file nor --root-key-file, the store's unlocked
 * session (council-cli unlock) for --staff, or the secretariat's, first. */
int open_council(const cli_global *o, council **c);
/* The same, with the credentials alone (never an unlocked session). */
int open_locked(const cli_global *o, council **c);

#endif
