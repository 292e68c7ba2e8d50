/* version.c - runtime version and the function twins of the size macros. */
#include "council_int.h"

unsigned council_version_number(void) { return COUNCIL_VERSION_NUMBER; }
const char *council_version_string(void) { return COUNCIL_VERSION_STRING; }

size_t council_root_key_bytes(void) { return COUNCIL_ROOT_KEY_BYTES; }
size_t council_id_bytes(void) { return COUNCIL_ID_BYTES; }
size_t council_name_max(void) { return COUNCIL_NAME_MAX; }
size_t council_passphrase_max(void) { return COUNCIL_PASSPHRASE_MAX; }
uint64_t council_kdf_opslimit_min(void) { return COUNCIL_KDF_OPSLIMIT_MIN; }
uint64_t council_kdf_opslimit_max(void) { return COUNCIL_KDF_OPSLIMIT_MAX; }
uint64_t council_kdf_memlimit_min(void) { return COUNCIL_KDF_MEMLIMIT_MIN; }
uint64_t council_kdf_memlimit_max(void) { return COUNCIL_KDF_MEMLIMIT_MAX; }
size_t council_contact_max(void) { return COUNCIL_CONTACT_MAX; }
size_t council_public_key_bytes(void) { return COUNCIL_PUBLIC_KEY_BYTES; }
size_t council_pledge_text_max(void) { return COUNCIL_PLEDGE_TEXT_MAX; }
