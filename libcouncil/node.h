/*
 * node.h - a member node (domain, last): a member's own store that imports
 * the council's bundles, keeps their content under its own keys, logs
 * every read in its own log, witnesses the council's log and builds the
 * bundles the member sends back. node.c: the handle, its keyring, the
 * items; node_import.c: import, revocation, witnessing; node_send.c: the
 * bundles back. Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_NODE_H
#define COUNCIL_NODE_H

#include "council_int.h"
#include "keyfile.h"

#define COUNCIL__NODE_MAGIC 0x4e4f4445u /* "NODE" */
#define COUNCIL__NODE_KEYRING_FILE "node.keyring"
#define COUNCIL__NODE_KEYRING_FORMAT 1u
#define COUNCIL__NODE_KEYRING_MAX 4096u
#define COUNCIL__NODE_WITNESS_NAME_MAX 64

struct council_node {
    uint32_t magic;
    council *c;                 /* the node's store, in node mode: the log's
                                   origin is node_id, its key the node's */
    uint8_t council_id[COUNCIL_ID_BYTES]; /* pinned */
    uint8_t member_id[COUNCIL_ID_BYTES];
    uint8_t council_log_pk[32]; /* pinned: signs every council bundle */
    uint8_t witness_pk[32];
    char witness_name[COUNCIL__NODE_WITNESS_NAME_MAX];
    council__secret witness_sk; /* 64 */
    council__secret item_kek;   /* 32: wraps each item's key */
    council__member_keys mk;    /* the member's keys, from its keyfile */
};

/* The item kinds a node keeps. */
#define COUNCIL__NODE_KIND_SECTION "section"
#define COUNCIL__NODE_KIND_MEETING "meeting_packet"
#define COUNCIL__NODE_KIND_REFERRAL "referral"
#define COUNCIL__NODE_KIND_REQUEST "request"
#define COUNCIL__NODE_KIND_CONSENT "consent"

/* An item to store (node.c): what the rows say in clear, and the content. */
typedef struct council__node_item {
    const char *kind;
    const uint8_t *case_id, *person_id, *object_id; /* 16 bytes or NULL */
    const char *const *scopes;
    size_t n_scopes;
    const uint8_t *content;
    size_t content_len;
    const uint8_t *bundle_hash; /* 32 */
    int64_t expires;
    int64_t created;            /* the bundle's creation time */
} council__node_item;

/* A usable node handle? */
bool council__node_ok(const council_node *n);
/* Append an event on the node's log: actor the member. */
int council__node_event(council_node *n, int action, int outcome, int error, const char *reason,
                        const uint8_t *object_id, const uint8_t *bundle_hash,
                        const uint8_t *case_id, const char *const *scopes, size_t n_scopes);
/* Store an item, sealed under its own key wrapped by the node's key, inside
 * the caller's transaction; its new id into id. EIO, ENOMEM, EINVAL. */
int council__node_item_put(council_node *n, const council__node_item *it,
                           uint8_t id[COUNCIL_ID_BYTES]);
/* Delete one item (its key with it) and log it (reason: "revoked",
 * "expired"); inside the caller's transaction. */
int council__node_item_delete(council_node *n, const uint8_t id[COUNCIL_ID_BYTES],
                              const uint8_t *case_id, const char *reason);
/* Delete the items a selector names (id: the case or the object; scope
 * for _CASE_SCOPE), each logged with reason, fn(ctx, id) called for each
 * (may be NULL); inside the caller's transaction (node_item.c). */
enum {
    COUNCIL__NODE_SEL_CASE_SECTIONS, /* every section of a case */
    COUNCIL__NODE_SEL_CASE_SCOPE,    /* a case's section of one scope */
    COUNCIL__NODE_SEL_OBJECT,        /* everything naming an object */
    COUNCIL__NODE_SEL_CASE           /* everything of a case */
};
/* Only items that came in bundles made no later than not_after (a
 * revocation's creation time: a newer share's content stays). */
int council__node_items_delete(council_node *n, int sel, const uint8_t id[16], const char *scope,
                               int64_t not_after, const char *reason,
                               int (*fn)(void *ctx, const uint8_t id[16]), void *ctx);
/* A bundle seen before (its hash or its nonce), and its mark (node.c). */
int council__node_seen(council_node *n, const uint8_t hash[32], const uint8_t *nonce,
                       size_t nonce_len, bool *yes);
int council__node_seen_put(council_node *n, const uint8_t hash[32], const uint8_t *nonce,
                           size_t nonce_len);
/* The reply key (where answers go) learnt from a verified council bundle:
 * *known false when none yet. */
int council__node_reply_key(council_node *n, uint8_t pk[32], bool *known);
int council__node_reply_key_put(council_node *n, const uint8_t pk[32], int64_t created);
/* The council checkpoint last seen: *note council__malloc'd (NULL: none). */
int council__node_checkpoint_get(council_node *n, char **note, uint64_t *size);
int council__node_checkpoint_put(council_node *n, const char *note, size_t len, uint64_t size);
/* The verifier key of the council's log, as pinned. */
int council__node_council_vkey(const council_node *n, char *out, size_t cap);

#endif /* COUNCIL_NODE_H */
