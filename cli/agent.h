/*
 * agent.h - unlocked sessions in the Linux kernel's user keyring (council-cli
 * unlock, lock): what reopens a store without the passphrase, kept for this
 * operating-system user only, with an idle timeout the kernel enforces and
 * an absolute expiry checked on each use. The secret is the library's
 * council_session_secret() blob; this file never looks inside it.
 */
#ifndef COUNCIL_CLI_AGENT_H
#define COUNCIL_CLI_AGENT_H

#include <stddef.h>
#include <stdint.h>

#include "council.h"

/* The kernel keyring cannot be used here (ENOSYS, EPERM, EACCES...). */
#define AGENT_UNAVAILABLE (-2)
/* "council-cli:<council id>@<device>.<inode of the store directory>:" and then
 * "root" or the staff id. */
#define AGENT_DESC_MAX 160

/* The key's description for a store directory, its council (16 bytes) and a staff id (or NULL
 * for the secretariat's session). */
void agent_desc(char out[AGENT_DESC_MAX], const char *store,
                const uint8_t council_id[COUNCIL_ID_BYTES], const uint8_t *staff_id);
/* Keep `secret` (n bytes) under `desc` until `expires` (Unix seconds), the
 * kernel dropping it after `idle` seconds unused. 0, -1 or AGENT_UNAVAILABLE
 * (errno set). Replaces a key of the same description. */
int agent_store(const char *desc, const uint8_t *secret, size_t n, int64_t expires,
                unsigned idle);
/* The secret kept under `desc` into `out` (cap bytes, sodium_malloc'd by
 * the caller): 1 found (its idle timeout refreshed; *n, *expires set), 0
 * none (or expired: then revoked, *expired set to 1). */
int agent_fetch(const char *desc, uint8_t *out, size_t cap, size_t *n, int64_t *expires,
                int *expired);
/* Revoke the key kept under `desc`, if any. */
void agent_revoke(const char *desc);

/* One kept session, as agent_list reports it. */
typedef struct agent_entry {
    char who[40];    /* "root" or the staff id */
    int64_t expires; /* the absolute limit */
    unsigned idle;   /* the idle timeout, seconds */
} agent_entry;
/* The sessions kept for the council whose description prefix is `prefix`
 * ("council-cli:<id>:", or "council-cli:" for every council), up to `cap`
 * into `out` (expired ones are revoked, not listed); with `revoke`, each
 * is revoked instead. Returns how many, or -1 / AGENT_UNAVAILABLE. */
int agent_list(const char *prefix, agent_entry *out, size_t cap, int revoke);

#endif
