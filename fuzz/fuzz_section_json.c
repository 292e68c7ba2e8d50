/*
 * fuzz_section_json.c - the CLI's section JSON (`council-cli case update`)
 * into a serialised council.v1.Section: section_json_parse
 * (cli/section_json.c, jansson). The whole input is the JSON text; jansson
 * frees through the CLI's wiping free, as in council-cli.
 *
 * The harness traps on a code other than 0, -1 or -2; on a failure that
 * gives no message, or a message that is not printable ASCII (messages
 * name places and rules, never the content, and content in Japanese would
 * show); and on success unless protobuf-c unpacks the bytes with no
 * unknown fields and packs them again to the same bytes, and
 * council__section_check of them for scope "situation" gives OK, EFORMAT,
 * ELIMIT or ENOMEM.
 */
#include <jansson.h>

#include "../cli/section_json.h"
#include "../cli/text.h"
#include "council/v1/case.pb-c.h"
#include "fixture.h"
#include "section.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    char why[SECTION_JSON_WHY_MAX];
    uint8_t *out = NULL;
    size_t out_len = 0;
    int rc;

    if (!init) {
        init = 1;
        json_set_alloc_funcs(malloc, wiping_free);
    }
    memset(why, 0, sizeof why);
    rc = section_json_parse(&out, &out_len, (const char *)data, size, why, sizeof why);
    fuzz_check(rc == 0 || rc == -1 || rc == -2);
    if (rc != 0) {
        fuzz_check(out == NULL);
        if (rc == -1) {
            fuzz_check(why[0] != '\0' && memchr(why, 0, sizeof why) != NULL);
            for (size_t i = 0; why[i] != '\0'; i++)
                fuzz_check(why[i] >= 0x20 && why[i] < 0x7f);
        }
        return 0;
    }
    fuzz_check(out != NULL);
    {
        Council__V1__Section *m = council__v1__section__unpack(NULL, out_len, out);
        uint8_t *again;
        size_t n;
        int crc;

        fuzz_check(m != NULL && m->base.n_unknown_fields == 0);
        n = council__v1__section__get_packed_size(m);
        fuzz_check(n == out_len);
        again = malloc(n + 1);
        fuzz_check(again != NULL);
        fuzz_check(council__v1__section__pack(m, again) == n && memcmp(again, out, n) == 0);
        free(again);
        council__v1__section__free_unpacked(m, NULL);
        crc = council__section_check(NULL, "situation", out, out_len);
        fuzz_check(crc == COUNCIL_OK || crc == COUNCIL_EFORMAT || crc == COUNCIL_ELIMIT ||
                   crc == COUNCIL_ENOMEM);
    }
    wipe(out, out_len);
    free(out);
    return 0;
}
