/*
 * render.h - the person's file as a printable document: its JSON
 * (council_person_report()) turned into an XML tree with libxml2's tree
 * API (so every text is escaped by libxml2), then transformed to HTML by
 * an XSLT stylesheet with libxslt (the embedded doc/templates/
 * person-report.xsl, or a council's own), the stylesheet forbidden to read
 * or write files, create directories or use the network. The library does
 * not depend on libxslt: rendering is the CLI's.
 */
#ifndef COUNCIL_CLI_RENDER_H
#define COUNCIL_CLI_RENDER_H

#include <stddef.h>
#include <stdint.h>

/* The name of a member or staff id (a UUID's text), or NULL. */
typedef const char *(*render_namer)(void *ctx, const char *key, const char *id_text);

/* Largest JSON and stylesheet council-cli renders. */
#define RENDER_JSON_MAX (64u * 1024u * 1024u)
#define RENDER_XSL_MAX (1024u * 1024u)

/* Render json (len bytes) with the stylesheet at xsl_path (NULL: the
 * embedded one) into *html (*html_len bytes; the caller releases it with
 * render_free). Ids named through namer (may be NULL). 0, or -1 after a
 * message on stderr. */
int render_person_html(const uint8_t *json, size_t len, const char *xsl_path, render_namer namer,
                       void *namer_ctx, uint8_t **html, size_t *html_len);

/* Wipe and free what render_person_html gave. */
void render_free(uint8_t *html, size_t len);

/* The embedded stylesheet (doc/templates/person-report.xsl, built in). */
extern const unsigned char person_report_xsl[];
extern const unsigned int person_report_xsl_len;

#endif
