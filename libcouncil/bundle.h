/*
 * bundle.h - the council's bundles out (domain, bundle.c): what every
 * export shares (the options, the session, the recipient, the header, the
 * seal and the log), and the signed record of what each bundle carried
 * (table bundle_sent), from which a revocation bundle is made. The case
 * and meeting bundles (bundle_case.c) use it.
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_BUNDLE_H
#define COUNCIL_BUNDLE_H

#include "council_int.h"

/* The kinds of what a bundle carried, as bundle_sent rows name them: the
 * values of council.v1.RevocationItem.Kind. */
#define COUNCIL__SENT_SHARE 1   /* a scope of a case (case_id, scope) */
#define COUNCIL__SENT_CONSENT 2 /* a consent record (object_id) */
#define COUNCIL__SENT_REFERRAL 3
#define COUNCIL__SENT_MEETING 4

struct council__case;
struct Council__V1__BundleHeader;
struct Council__V1__BundlePayload;
struct council__event;

/* The options of a bundle (bundle.c): version (EMISUSE), the expiry (0:
 * the default lifetime; else after now and at most COUNCIL_BUNDLE_TTL_MAX
 * ahead: EINVAL) into *expires; for personal data (personal) the purpose
 * (default support_coordination) into *purpose, the basis (required) and
 * the consent record (basis consent only): EINVAL. */
int council__bundle_opts(council *c, const char *op, const council_bundle_options *o,
                         bool personal, int64_t now, int64_t *expires, const char **purpose);
/* The start of every export: the handle, out emptied, the secretariat's
 * session (others refused and logged: EDENIED), no batch (EMISUSE), the
 * member's id (EINVAL), the log key (EDENIED). */
int council__bundle_start(council *c, const char *op, council_buf *out, const uint8_t *member,
                          size_t member_len);
/* Inside the operation's transaction: the recipient on the register
 * (ENOTFOUND), active (EDENIED recipient_withdrawn), with keys (EDENIED
 * recipient_without_keys), its box key signed by the council (EAUTH
 * recipient_key_unsigned) into pk; refusals logged as bundle_exported
 * (naming case k, may be NULL) and the transaction ended on any failure. */
int council__bundle_recipient(council *c, const char *op, const struct council__case *k,
                              const uint8_t member[COUNCIL_ID_BYTES], uint8_t pk[32]);
/* A council -> member header: the council's id and log key, the member and
 * its key pk, the type, the times and the reply key (the coordinating
 * body's). */
void council__bundle_header(council *c, struct Council__V1__BundleHeader *h,
                            const uint8_t member[COUNCIL_ID_BYTES], const uint8_t pk[32],
                            int type, int64_t now, int64_t expires);
/* Record, signed by the log key, that bundle `hash` carried (kind, case,
 * scope, object) to member until expires. In the caller's transaction. */
int council__bundle_sent_insert(council *c, const char *op, const uint8_t member[16], int kind,
                                const uint8_t *case_id, const char *scope, const uint8_t *object,
                                const uint8_t hash[32], int64_t sent, int64_t expires);
/* Called with the bundle's hash before its events are logged. */
typedef int (*council__bundle_after_fn)(council *c, const char *op, const uint8_t hash[32],
                                        void *ctx);
/* Seal and sign the bundle (envelope.c), call after (may be NULL), log pre
 * (may be NULL) and ev naming its hash (ev: outcome allowed, reason the
 * type's name), end the operation's transaction, and only once it has
 * committed hand the bytes to out. */
int council__bundle_seal(council *c, const char *op, council_buf *out,
                         struct Council__V1__BundleHeader *h, struct Council__V1__BundlePayload *p,
                         struct council__event *pre, struct council__event *ev,
                         council__bundle_after_fn after, void *ctx);

#endif /* COUNCIL_BUNDLE_H */
