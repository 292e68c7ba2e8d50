/*
 * progress.h - a progress line on stderr around a long library call that
 * reports no progress of its own: "council-cli: WHAT... 3s", redrawn each
 * second from the first on, when stderr is a terminal and --quiet was not
 * given; nothing otherwise (nor for a call done within a second). Never on
 * stdout.
 */
#ifndef COUNCIL_CLI_PROGRESS_H
#define COUNCIL_CLI_PROGRESS_H

/* Start the line for WHAT (a fixed string that outlives the call); quiet
 * or a stderr that is not a terminal: nothing. */
void progress_start(const char *what, int quiet);
/* Stop it and clear the line ("WHAT... done, Ns" when it was shown). */
void progress_end(void);

#endif
