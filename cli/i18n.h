/*
 * i18n.h - the CLI's messages through gettext (domain council-cli).
 * _("...") translates a message where it is printed; N_("...") marks one
 * kept in a table, translated with _() when printed. JSON, field names,
 * option names, codes and ids are never marked. English is the default:
 * with no catalogue for the locale, gettext gives the text as written.
 */
#ifndef COUNCIL_CLI_I18N_H
#define COUNCIL_CLI_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#ifdef I18N_XGETTEXT /* make pot: xgettext reads the preprocessed sources */
#define N_(s) gettext_noop(s)
#else
#define N_(s) s
#endif

/* setlocale(LC_ALL, "") with numbers and times kept in the C locale, and
 * the catalogue from $COUNCIL_LOCALEDIR, else the installed LOCALEDIR. */
void i18n_init(void);

#endif
