/*
 * schema.h - the store's schema: the ordered migrations (storage).
 * Internal to libcouncil (hidden symbols, council__ names).
 */
#ifndef COUNCIL_SCHEMA_H
#define COUNCIL_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

typedef struct council__migration {
    uint32_t version;
    const char *sql;
} council__migration;

/* The schema this library writes (the last migration's version). */
uint32_t council__schema_version(void);
/* Every migration, in order; *n of them. */
const council__migration *council__schema_list(size_t *n);
/* Migration `version`, NULL if there is none (tests run one alone). */
const council__migration *council__schema_migration(uint32_t version);

#endif /* COUNCIL_SCHEMA_H */
