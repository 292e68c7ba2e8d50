/*
 * progress.c - the elapsed-time line around a long library call (see
 * progress.h). The library gives no progress callback, so a thread redraws
 * "WHAT... Ns" on stderr while the call runs.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "progress.h"

static struct {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t stop;
    int running, stopping, shown;
    const char *what;
    time_t started;
} pg = { .lock = PTHREAD_MUTEX_INITIALIZER, .stop = PTHREAD_COND_INITIALIZER };

static void draw(const char *tail)
{
    fprintf(stderr, "\r%s: %s... %lds%s", prog, pg.what, (long)(time(NULL) - pg.started), tail);
    fflush(stderr);
}

static void *spin(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&pg.lock);
    while (!pg.stopping) {
        struct timespec until;
        /* Not for a call done within the first second. */
        if (time(NULL) > pg.started) {
            draw("");
            pg.shown = 1;
        }
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        while (!pg.stopping && pthread_cond_timedwait(&pg.stop, &pg.lock, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&pg.lock);
    return NULL;
}

void progress_start(const char *what, int quiet)
{
    if (quiet || pg.running || !isatty(STDERR_FILENO))
        return;
    pg.what = what;
    pg.started = time(NULL);
    pg.stopping = 0;
    pg.shown = 0;
    if (pthread_create(&pg.thread, NULL, spin, NULL) == 0)
        pg.running = 1;
}

void progress_end(void)
{
    if (!pg.running)
        return;
    pthread_mutex_lock(&pg.lock);
    pg.stopping = 1;
    pthread_cond_signal(&pg.stop);
    pthread_mutex_unlock(&pg.lock);
    pthread_join(pg.thread, NULL);
    pg.running = 0;
    if (pg.shown)
        draw(_(", done\n"));
}
