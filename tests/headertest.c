/*
 * headertest.c - council.h must stand alone: built as C11 -pedantic -Werror
 * and as C++11 by `make headertest`, including nothing first.
 */
#include "council.h"
#include "council.h" /* include guard */

int main(void)
{
    council_create_options co = COUNCIL_CREATE_OPTIONS_INIT;
    council_open_options oo = COUNCIL_OPEN_OPTIONS_INIT;
    council_buf buf = { 0, 0 };
    council *c = 0;
    int rc;

    (void)co;
    (void)oo;
    council_buf_free(&buf);
    council_close(c);
    rc = council_global_init();
    if (rc != COUNCIL_OK)
        return 1;
    if (council_version_number() != COUNCIL_VERSION_NUMBER)
        return 1;
    return council_errstr(COUNCIL_EAUTH)[0] == '\0';
}
