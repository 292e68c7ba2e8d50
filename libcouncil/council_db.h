/*
 * council_db.h - the council's row (domain): table council (council_db.c).
 * council.c (the council's lifecycle) writes it at create and checks it at
 * open; member.c's announcement reads the council's name. (Formerly
 * lifecycle.h, which council.c offered for the name alone.)
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_COUNCIL_DB_H
#define COUNCIL_COUNCIL_DB_H

#include "council_int.h"

/* The council's row (c->council_id, name, created), at create: EIO
 * ("create: cannot record the council"). */
int council__council_insert(council *c, const char *name, int64_t created);
/* The store holds this council's row (open): EFORMAT otherwise. */
int council__council_check(council *c);
/* The council's name (council__malloc'd, the caller frees it) and its
 * creation time: EIO, ENOMEM named for op. */
int council__council_row(council *c, const char *op, char **name, int64_t *created);
/* The council's name, council__malloc'd (the caller frees it), or NULL
 * when it cannot be read (the caller reports EIO) or memory runs out. */
char *council__council_name(council *c);
/* A use of the council passphrase: its written reason beside the event
 * (seq) that carries its code. EIO. */
int council__council_root_use(council *c, uint64_t seq, const char *reason, const char *note);
/* Every use on record, packed as council.v1.RootUseList into out. EIO,
 * ENOMEM named for op. */
int council__council_root_uses(council *c, const char *op, council_buf *out);

#endif /* COUNCIL_COUNCIL_DB_H */
