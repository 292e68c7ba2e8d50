/*
 * guard.h - the CLI's guard rails: a question before an irreversible or
 * access-ending act (--yes in scripts), and the strength of a new
 * passphrase (libpwquality; --weak-passphrase-ok for tests and demos).
 * Both are the CLI's policy: the library knows nothing of them.
 */
#ifndef COUNCIL_CLI_GUARD_H
#define COUNCIL_CLI_GUARD_H

#include <stddef.h>

/* The lowest pwquality score (0-100) a new passphrase may have. */
#define PASSPHRASE_MIN_SCORE 50

/*
 * Before an act that cannot be undone or that ends someone's access. With
 * `yes` (--yes given): go on. Else, when standard input is a terminal, say
 * what will happen (WHAT, printf-style) and ask; only "yes" goes on.
 * Returns 0 to go on; EXIT_USAGE when standard input is not a terminal
 * (a message naming --yes); EXIT_FAILURE when not confirmed. Nothing has
 * been changed when it does not return 0.
 */
__attribute__((format(printf, 2, 3))) int confirm_act(int yes, const char *what, ...);

/*
 * A new passphrase (`len` bytes; `old`, or NULL, the one it replaces),
 * checked by libpwquality's pwquality_check with its default settings:
 * refused when pwquality reports an error or a score below
 * PASSPHRASE_MIN_SCORE, unless `weak_ok` (--weak-passphrase-ok). `what`
 * names it ("the new passphrase"). Returns 0, or EXIT_USAGE after a
 * message with pwquality's reason (never the passphrase).
 */
int check_new_passphrase(const char *pass, size_t len, const char *old, size_t old_len,
                         int weak_ok, const char *what);

#endif
