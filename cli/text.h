/*
 * text.h - the CLI's parsers of small texts (hex, UUIDs, enum names, the
 * root key and witness key files) and its wiping of memory. No I/O, so the
 * fuzzers can call them (fuzz/fuzz_keytext.c, fuzz/fuzz_section_json.c).
 */
#ifndef COUNCIL_CLI_TEXT_H
#define COUNCIL_CLI_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

/* Overwrite secrets (sodium_memzero: the optimiser may not elide it). */
void wipe(void *p, size_t n);
/* free() after wiping the whole block (glibc knows its size); NULL is fine. */
void wiping_free(void *p);

/* A hex digit's value, or -1 (the fuzzers check the parsers against it). */
int hexval(char ch);
/* Exactly 2n hex digits (either case) in the string s into n bytes
 * (sodium_hex2bin): 0, or -1. */
int hex_bytes(const char *s, uint8_t *out, size_t n);
/* A UUID (uuid_parse; also 32 hex digits with the dashes anywhere or left
 * out) into 16 bytes: 0, or -1. */
int uuid_bytes(const char *s, uint8_t out[16]);

/* An enum value's name without its prefix, lower-cased: "session_opened"
 * for AUDIT_ACTION_SESSION_OPENED. Written into `buf`; "unknown" if none. */
const char *enum_name(const ProtobufCEnumDescriptor *d, const char *prefix, int v,
                      char *buf, size_t n);
/* The value of a lower-case name (the inverse of enum_name); 0 if none. */
int enum_value(const ProtobufCEnumDescriptor *d, const char *prefix, const char *name);

/* The length of a secret file's bytes once one trailing "\n", then one
 * "\r", is removed. */
size_t secret_text_trim(const char *buf, size_t n);

#define ROOT_KEY_TEXT_BYTES 32
/* A root key file's text, trimmed (secret_text_trim): exactly 64 hex
 * digits. 0; -1 for another length; -2 for a byte that is not a hex
 * digit. On failure key is wiped. */
int root_key_text(uint8_t key[ROOT_KEY_TEXT_BYTES], const char *text, size_t len);

#define WITNESS_KEY_TEXT_BYTES 64
/* A witness key file's bytes (as written by audit witness-keygen: 128 hex
 * digits and a newline): what comes before the first NUL, CR or LF must be
 * 128 hex digits. 0, or -1 (sk wiped). */
int witness_key_text(uint8_t sk[WITNESS_KEY_TEXT_BYTES], const char *text, size_t len);

#endif
