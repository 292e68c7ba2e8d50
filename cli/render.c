/*
 * render.c - the person's file as HTML (render.h): JSON -> libxml2 tree ->
 * libxslt with every file and network access forbidden -> HTML.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>
#include <sodium.h>

#include "cli.h"
#include "render.h"
#include "util.h"

#define X(s) ((const xmlChar *)(s))

/* Keys whose integer values are times (Unix seconds): shown as dates. */
static const char *const time_keys[] = { "time", "granted", "expires", "revoked", "created",
                                         "updated", "added", "written", "valid_from",
                                         "valid_until", "recorded", "until", "erased",
                                         "merged_at", "proposed", "due", "answered", "ended",
                                         "made", "at", "starts", "ends", "closed" };
/* Keys whose values are member or staff ids. */
static const char *const id_keys[] = { "member", "staff", "recipient", "member_id",
                                       "owner_member", "writer_member", "writer_staff",
                                       "recorded_by_member", "recorded_by_staff", "by_member",
                                       "by_staff", "obtained_by", "from_member", "to_member",
                                       "recipient_members", "attendee" };

static bool in(const char *const *set, size_t n, const char *k)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(set[i], k) == 0)
            return true;
    return false;
}

/* An element name as the JSON key is ([a-z_][a-z0-9_]*), else "field". */
static bool name_ok(const char *k)
{
    if (k[0] == 0 || !((k[0] >= 'a' && k[0] <= 'z') || k[0] == '_'))
        return false;
    for (const char *p = k; *p != 0; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return strlen(k) <= 64;
}

/* Text with the characters XML 1.0 cannot hold (controls but tab, newline
 * and return) as U+FFFD, into a new string (wiped by the caller). */
static char *xml_text(const char *s, size_t *cap)
{
    size_t n = strlen(s), k = 0;
    char *out = malloc(n * 3 + 1);

    if (out == NULL)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p != 0; p++) {
        if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') {
            memcpy(out + k, "\xef\xbf\xbd", 3);
            k += 3;
        } else {
            out[k++] = (char)*p;
        }
    }
    out[k] = 0;
    *cap = n * 3 + 1;
    return out;
}

typedef struct conv {
    render_namer namer;
    void *ctx;
    bool failed;
} conv;

/* v as a child of parent named by its key (an array's members are <item>s
 * of the array's element, their key the array's for dates and names). */
static void add_value(conv *cv, xmlNodePtr parent, const char *key, json_t *v, bool item)
{
    const char *elem = item ? "item" : name_ok(key) ? key : "field";
    xmlNodePtr node;
    char num[32];

    if (cv->failed)
        return;
    node = xmlNewChild(parent, NULL, X(elem), NULL);
    if (node == NULL) {
        cv->failed = true;
        return;
    }
    if (strcmp(elem, "field") == 0 && xmlNewProp(node, X("key"), X(key)) == NULL)
        cv->failed = true;
    if (json_is_object(v)) {
        const char *k;
        json_t *c;
        json_object_foreach(v, k, c) {
            add_value(cv, node, k, c, false);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c) {
            add_value(cv, node, key, c, true);
        }
    } else if (json_is_string(v)) {
        size_t cap = 0;
        char *t = xml_text(json_string_value(v), &cap);
        if (t == NULL) {
            cv->failed = true;
            return;
        }
        xmlNodeAddContent(node, X(t));
        if (cv->namer != NULL && in(id_keys, sizeof id_keys / sizeof id_keys[0], key)) {
            const char *nm = cv->namer(cv->ctx, key, t);
            if (nm != NULL && xmlNewProp(node, X("name"), X(nm)) == NULL)
                cv->failed = true;
        }
        sodium_memzero(t, cap);
        free(t);
    } else if (json_is_integer(v)) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        xmlNodeAddContent(node, X(num));
        if (in(time_keys, sizeof time_keys / sizeof time_keys[0], key) &&
            json_integer_value(v) > 0) {
            char when[64];
            time_text(when, sizeof when, (int64_t)json_integer_value(v));
            if (xmlNewProp(node, X("date"), X(when)) == NULL)
                cv->failed = true;
        }
    } else if (json_is_boolean(v)) {
        xmlNodeAddContent(node, X(json_is_true(v) ? "true" : "false"));
    }
}

static int fail(const char *what)
{
    fprintf(stderr, "%s: %s\n", prog, what);
    return -1;
}

/* No file, directory or network for the stylesheet, at parse (xsl:import,
 * xsl:include) and at transform (document(), extension elements). */
static xsltSecurityPrefsPtr lock_down(void)
{
    xsltSecurityPrefsPtr sec = xsltNewSecurityPrefs();

    if (sec == NULL ||
        xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_FILE, xsltSecurityForbid) != 0 ||
        xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid) != 0 ||
        xsltSetSecurityPrefs(sec, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid) != 0 ||
        xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid) != 0 ||
        xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid) != 0) {
        if (sec != NULL)
            xsltFreeSecurityPrefs(sec);
        return NULL;
    }
    return sec;
}

int render_person_html(const uint8_t *json, size_t len, const char *xsl_path, render_namer namer,
                       void *namer_ctx, uint8_t **html, size_t *html_len)
{
    json_error_t err;
    json_t *j = NULL;
    xmlDocPtr doc = NULL, xdoc = NULL, res = NULL;
    xsltStylesheetPtr style = NULL;
    xsltTransformContextPtr tc = NULL;
    xsltSecurityPrefsPtr sec = NULL;
    xmlNodePtr root;
    xmlChar *outp = NULL;
    int outn = 0, rc = -1;
    conv cv = { namer, namer_ctx, false };
    char *xsl = NULL;
    size_t xsl_len = 0;

    *html = NULL;
    *html_len = 0;
    if (len > RENDER_JSON_MAX)
        return fail(_("the person's file is too large to render"));
    j = json_loadb((const char *)json, len, JSON_REJECT_DUPLICATES, &err);
    if (j == NULL || !json_is_object(j)) {
        json_decref(j);
        return fail(_("the person's file is not a JSON object"));
    }
    if ((sec = lock_down()) == NULL) {
        rc = fail(_("out of memory"));
        goto out;
    }
    xsltSetDefaultSecurityPrefs(sec);
    /* the data as XML, escaped by libxml2 */
    doc = xmlNewDoc(X("1.0"));
    root = doc != NULL ? xmlNewNode(NULL, X("report")) : NULL;
    if (root == NULL) {
        rc = fail(_("out of memory"));
        goto out;
    }
    xmlDocSetRootElement(doc, root);
    {
        const char *k;
        json_t *c;
        json_object_foreach(j, k, c) {
            add_value(&cv, root, k, c, false);
        }
    }
    if (cv.failed) {
        rc = fail(_("out of memory"));
        goto out;
    }
    /* the stylesheet: a council's own file, or the one built in */
    if (xsl_path != NULL) {
        xsl = slurp(xsl_path, RENDER_XSL_MAX, &xsl_len, "--template");
        if (xsl == NULL)
            goto out;
        xdoc = xmlReadMemory(xsl, (int)xsl_len, "template.xsl", NULL,
                             XML_PARSE_NONET);
    } else {
        xdoc = xmlReadMemory((const char *)person_report_xsl, (int)person_report_xsl_len,
                             "person-report.xsl", NULL, XML_PARSE_NONET);
    }
    if (xdoc == NULL || (style = xsltParseStylesheetDoc(xdoc)) == NULL) {
        if (style == NULL && xdoc != NULL)
            xmlFreeDoc(xdoc);
        xdoc = NULL;
        rc = fail(_("the template is not a usable XSLT stylesheet"));
        goto out;
    }
    xdoc = NULL; /* the stylesheet's now */
    if ((tc = xsltNewTransformContext(style, doc)) == NULL ||
        xsltSetCtxtSecurityPrefs(sec, tc) != 0) {
        rc = fail(_("out of memory"));
        goto out;
    }
    res = xsltApplyStylesheetUser(style, doc, NULL, NULL, NULL, tc);
    if (res == NULL || tc->state != XSLT_STATE_OK) {
        rc = fail(_("the template failed (it may read no file and reach no network)"));
        goto out;
    }
    if (xsltSaveResultToString(&outp, &outn, res, style) != 0 || outp == NULL || outn <= 0) {
        rc = fail(_("the template gave no document"));
        goto out;
    }
    *html = outp;
    *html_len = (size_t)outn;
    outp = NULL;
    rc = 0;
out:
    if (tc != NULL)
        xsltFreeTransformContext(tc);
    if (res != NULL)
        xmlFreeDoc(res);
    if (style != NULL)
        xsltFreeStylesheet(style);
    if (doc != NULL)
        xmlFreeDoc(doc);
    xsltSetDefaultSecurityPrefs(NULL);
    if (sec != NULL)
        xsltFreeSecurityPrefs(sec);
    if (xsl != NULL) {
        sodium_memzero(xsl, xsl_len);
        free(xsl);
    }
    json_decref(j);
    return rc;
}

void render_free(uint8_t *html, size_t len)
{
    if (html == NULL)
        return;
    sodium_memzero(html, len);
    xmlFree(html);
}
