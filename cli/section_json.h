/*
 * section_json.h - case section content as JSON (the input of
 * `council-cli case update`) into a serialised council.v1.Section. The JSON
 * shape mirrors the message (proto/council/v1/case.proto). No I/O, so the
 * fuzzer can call it (fuzz/fuzz_section_json.c).
 */
#ifndef COUNCIL_CLI_SECTION_JSON_H
#define COUNCIL_CLI_SECTION_JSON_H

#include <stddef.h>
#include <stdint.h>

/* Room for any message written to `why`. */
#define SECTION_JSON_WHY_MAX 256

/*
 * Parse `len` bytes of JSON text (one object, no duplicate keys, only the
 * keys the message has) and pack the Section into a new malloc'd buffer
 * *out of *out_len bytes (free it with wiping_free or wipe and free).
 * Returns 0; -1 with a message in `why` (it names the place and the rule,
 * never the content); -2 out of memory while packing. The checks of
 * content (scopes, dates, text rules) are the library's
 * (council_section_write). jansson allocates through whatever
 * json_set_alloc_funcs chose. Uses a static buffer: one thread at a time.
 */
int section_json_parse(uint8_t **out, size_t *out_len, const char *text, size_t len,
                       char *why, size_t why_len);

#endif
