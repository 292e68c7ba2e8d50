/*
 * i18n.c - where council-cli finds its message catalogue.
 */
#include <locale.h>
#include <stdlib.h>

#include "i18n.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

void i18n_init(void)
{
    const char *dir = getenv("COUNCIL_LOCALEDIR");

    setlocale(LC_ALL, "");
    /* Numbers and times the CLI writes or reads stay as the C locale has them. */
    setlocale(LC_NUMERIC, "C");
    setlocale(LC_TIME, "C");
    bindtextdomain("council-cli", dir != NULL && dir[0] != '\0' ? dir : LOCALEDIR);
    textdomain("council-cli");
}
