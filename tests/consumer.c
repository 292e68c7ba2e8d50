/* consumer.c - a program built against an installed libcouncil through
 * pkg-config alone (see install-check.sh). */
#include <stdio.h>
#include <string.h>

#include <council.h>

int main(void)
{
    if (council_global_init() != COUNCIL_OK)
        return 1;
    if (council_version_number() != COUNCIL_VERSION_NUMBER) {
        fprintf(stderr, "consumer: header %s, library %s\n", COUNCIL_VERSION_STRING,
                council_version_string());
        return 1;
    }
    printf("consumer: libcouncil %s\n", council_version_string());
    return strcmp(council_errstr(COUNCIL_EAUTH), council_errstr(COUNCIL_OK)) == 0;
}
