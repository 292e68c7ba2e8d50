/*
 * cmd_unlock.c - a sitting: unlock (open the store once with the usual
 * credentials and keep what reopens it in the kernel's user keyring) and
 * lock (forget it at once). See agent.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "agent.h"
#include "cli.h"
#include "cmds.h"
#include "json.h"
#include "open.h"
#include "util.h"

#define UNSET ((unsigned long long)-1)
#define IDLE_DEFAULT 15 /* minutes */
#define IDLE_MAX 480
#define MAX_DEFAULT 8 /* hours */
#define MAX_MAX 24
#define MAX_LISTED 64

typedef struct unlock_opts {
    const cli_global *g;
    unsigned long long idle, max;
    int status, json, all;
} unlock_opts;

static const char no_keyring[] = "the kernel keyring is not available here";

/* unlock --status, lock --status: the store's unlocked sessions. */
static int do_status(const unlock_opts *o)
{
    agent_entry e[MAX_LISTED];
    uint8_t cid[COUNCIL_ID_BYTES];
    char prefix[AGENT_DESC_MAX], until[40];
    int n, rc;

    if ((rc = council_store_id(o->g->store, cid, sizeof cid)) != COUNCIL_OK)
        return failed("status", NULL, rc);
    agent_desc(prefix, o->g->store, cid, NULL);
    prefix[strlen(prefix) - strlen("root")] = '\0';
    n = agent_list(prefix, e, MAX_LISTED, 0);
    if (n == AGENT_UNAVAILABLE)
        n = 0; /* nothing can be unlocked */
    else if (n < 0) {
        fprintf(stderr, "%s: cannot read the kernel keyring: %s\n", prog, strerror(errno));
        return EXIT_FAILURE;
    }
    if (n > MAX_LISTED)
        n = MAX_LISTED;
    if (o->json) {
        json_t *j = json_object(), *a = json_array();
        for (int i = 0; i < n; i++) {
            json_t *s = json_object();
            time_text(until, sizeof until, e[i].expires);
            json_object_set_new(s, "as", json_string(e[i].who));
            json_object_set_new(s, "until", json_string(until));
            json_object_set_new(s, "idle_minutes", json_integer((json_int_t)(e[i].idle + 59) / 60));
            json_array_append_new(a, s);
        }
        json_object_set_new(j, "unlocked", json_boolean(n > 0));
        json_object_set_new(j, "sessions", a);
        return print_json(j);
    }
    if (n == 0)
        printf("locked\n");
    for (int i = 0; i < n; i++) {
        time_text(until, sizeof until, e[i].expires);
        printf("unlocked as %s until %s (locked after %u minutes unused)\n", e[i].who, until,
               (e[i].idle + 59) / 60);
    }
    return 0;
}

/* COUNCIL_CLI_UNLOCK_SECONDS, for tests: the absolute limit in seconds
 * (1..86400), the idle timeout no longer. 0 when unset. */
static long test_seconds(void)
{
    const char *v = getenv("COUNCIL_CLI_UNLOCK_SECONDS");
    unsigned long long s;

    if (v == NULL || parse_u64(v, &s) != 0 || s < 1 || s > 86400)
        return 0;
    return (long)s;
}

static int do_unlock(const unlock_opts *o)
{
    unsigned long long idle = o->idle == UNSET ? IDLE_DEFAULT : o->idle;
    unsigned long long max = o->max == UNSET ? MAX_DEFAULT : o->max;
    uint8_t cid[COUNCIL_ID_BYTES], staff[COUNCIL_ID_BYTES], *secret;
    char desc[AGENT_DESC_MAX], until[40];
    long idle_s, max_s, t = test_seconds();
    cli_global who; /* the person: --staff, else $COUNCIL_STAFF */
    int64_t expires;
    council *c = NULL;
    size_t n = 0;
    int rc, kept;

    if (o->status)
        return do_status(o);
    if (o->all)
        return usage("%s", "--all is lock's option");
    if (idle < 1 || idle > IDLE_MAX)
        return usage("--idle is in minutes, 1..%d", IDLE_MAX);
    if (max < 1 || max > MAX_MAX)
        return usage("--max is in hours, 1..%d", MAX_MAX);
    open_who(o->g, &who);
    if (who.staff != NULL && id_arg(who.staff, staff) != 0)
        return usage("%s", "--staff needs a staff id (a UUID)");
    idle_s = (long)idle * 60;
    max_s = (long)max * 3600;
    if (t > 0)
        max_s = t;
    if (idle_s > max_s)
        idle_s = max_s;
    /* The usual credentials: an unlocked session never unlocks again. */
    if ((rc = open_locked(o->g, &c)) != 0)
        return rc;
    if ((secret = sodium_malloc(COUNCIL_SESSION_SECRET_MAX)) == NULL) {
        council_close(c);
        fprintf(stderr, "%s: out of secure memory\n", prog);
        return EXIT_FAILURE;
    }
    rc = council_session_secret(c, secret, COUNCIL_SESSION_SECRET_MAX, &n);
    if (rc == COUNCIL_OK)
        rc = council_store_id(o->g->store, cid, sizeof cid);
    if (rc != COUNCIL_OK) {
        rc = failed("unlock", c, rc);
        sodium_free(secret);
        council_close(c);
        return rc;
    }
    council_close(c);
    agent_desc(desc, o->g->store, cid, who.staff != NULL ? staff : NULL);
    expires = (int64_t)time(NULL) + max_s;
    kept = agent_store(desc, secret, n, expires, (unsigned)idle_s);
    sodium_memzero(secret, COUNCIL_SESSION_SECRET_MAX);
    sodium_free(secret);
    if (kept == AGENT_UNAVAILABLE) {
        fprintf(stderr, "%s: %s (%s): nothing was kept\n", prog, no_keyring, strerror(errno));
        return EXIT_FAILURE;
    }
    if (kept != 0) {
        fprintf(stderr, "%s: cannot keep the session in the kernel keyring: %s\n", prog,
                strerror(errno));
        return EXIT_FAILURE;
    }
    time_text(until, sizeof until, expires);
    fprintf(stderr, "%s: unlocked as %s until %s, or until %ld minutes unused\n", prog,
            who.staff != NULL ? who.staff : "the secretariat (root)", until,
            (idle_s + 59) / 60);
    return 0;
}

static int do_lock(const unlock_opts *o)
{
    uint8_t cid[COUNCIL_ID_BYTES];
    char prefix[AGENT_DESC_MAX];
    int n, rc;

    if (o->status)
        return do_status(o);
    if (o->all) {
        snprintf(prefix, sizeof prefix, "council-cli:");
    } else {
        if ((rc = council_store_id(o->g->store, cid, sizeof cid)) != COUNCIL_OK)
            return failed("lock", NULL, rc);
        agent_desc(prefix, o->g->store, cid, NULL);
        prefix[strlen(prefix) - strlen("root")] = '\0';
    }
    n = agent_list(prefix, NULL, 0, 1);
    if (n == AGENT_UNAVAILABLE) {
        fprintf(stderr, "%s: %s: nothing is unlocked\n", prog, no_keyring);
        return 0;
    }
    if (n < 0) {
        fprintf(stderr, "%s: cannot read the kernel keyring: %s\n", prog, strerror(errno));
        return EXIT_FAILURE;
    }
    fprintf(stderr, "%s: locked (%d unlocked session%s forgotten)\n", prog, n, n == 1 ? "" : "s");
    return 0;
}

/* ------------------------------------------------------------ commands */

static const cli_help unlock_help = {
    "[--idle MINUTES] [--max HOURS] [--status] [--json]",
    "Opens the store once with the usual credentials (the council passphrase or\n"
    "--root-key-file; or a staff session: --staff ID --keyfile FILE and the\n"
    "member's passphrase) and keeps what opens it again in the Linux kernel's\n"
    "user keyring, for this operating-system user only. Until it is locked, the\n"
    "commands that open this store take no passphrase and skip the key\n"
    "derivation; they act, and are logged, as the unlocked session's actor (the\n"
    "secretariat, or that staff member when --staff is given). An explicit\n"
    "--passphrase-file or --root-key-file is still used when given.\n"
    "The session is forgotten after --idle minutes unused (the kernel's key\n"
    "timeout, restarted by each use) and at the latest --max hours after the\n"
    "unlock, or at once by `lock`. See SECURITY.md, \"Unlocked sessions\".\n"
    "\n"
    "Options:\n"
    "  --idle MINUTES     forget it after this long unused (1..480; default 15)\n"
    "  --max HOURS        forget it this long after the unlock (1..24; default 8)\n"
    "  --status           say whether the store is unlocked, as whom, until when\n"
    "  --json             with --status: as a JSON object\n"
    "\n"
    "$COUNCIL_CLI_UNLOCK_SECONDS (for tests only) sets the limit in seconds.\n",
    "  council-cli --store ./council unlock --idle 30 --max 4\n",
};

static const cli_help lock_help = {
    "[--all] [--status] [--json]",
    "Forgets the store's unlocked sessions at once (the secretariat's and every\n"
    "staff member's kept by `unlock`): the next command asks for the passphrase\n"
    "again. Nothing is opened and no passphrase is needed.\n"
    "\n"
    "Options:\n"
    "  --all              every council's unlocked sessions (--store not needed)\n"
    "  --status           say whether the store is unlocked, as whom, until when\n"
    "  --json             with --status: as a JSON object\n",
    "  council-cli --store ./council lock\n",
};

static const cli_opt unlock_opts_[] = {
    OPT_U64("idle", unlock_opts, idle),
    OPT_U64("max", unlock_opts, max),
    OPT_FLAG("status", unlock_opts, status),
    OPT_FLAG("json", unlock_opts, json),
};
static const cli_spec unlock_spec = CLI_SPEC(unlock_opts_, unlock_help,
                                             CLI_STORE | CLI_SESSION, 0);

static const cli_opt lock_opts_[] = {
    OPT_FLAG("all", unlock_opts, all),
    OPT_FLAG("status", unlock_opts, status),
    OPT_FLAG("json", unlock_opts, json),
};
static const cli_spec lock_spec = CLI_SPEC(lock_opts_, lock_help, 0, 0);

int cmd_unlock(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    unlock_opts o = { .g = &x->g, .idle = UNSET, .max = UNSET };
    int rc = cli_parse(x, argc, argv, &unlock_spec, &o, pos);

    if (rc != 0)
        return CLI_PARSED(rc);
    if (o.json && !o.status)
        return usage("%s", "--json goes with --status");
    return do_unlock(&o);
}

int cmd_lock(cli_ctx *x, int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    unlock_opts o = { .g = &x->g, .idle = UNSET, .max = UNSET };
    int rc = cli_parse(x, argc, argv, &lock_spec, &o, pos);

    if (rc != 0)
        return CLI_PARSED(rc);
    if (o.json && !o.status)
        return usage("%s", "--json goes with --status");
    if (x->g.store == NULL)
        x->g.store = getenv("COUNCIL_STORE");
    if ((!o.all || o.status) && (x->g.store == NULL || x->g.store[0] == '\0'))
        return usage("%s", "no store: give --store PATH or set COUNCIL_STORE (or --all)");
    return do_lock(&o);
}
