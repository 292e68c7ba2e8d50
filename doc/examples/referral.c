/*
 * referral.c - a case system refers a person to another member, in C,
 * built from the installed files alone (doc/integrating.md):
 *
 *     cc -std=c11 referral.c $(pkg-config --cflags --libs libcouncil-proto) -o referral
 *     ./referral [EMPTY_DIRECTORY]
 *
 * The secretariat sets up a council (an NPO and the city's welfare
 * department, each with a keyfile and one pledged staff member); the NPO's
 * caseworker opens a case, writes the situation, records the person's
 * consent, checks the disclosure with the dry run and shares; the city's
 * caseworker reads the section and decodes it. Exit status 0 when the
 * city reads back what the NPO wrote.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <council.h>
#include <council/v1/case.pb-c.h>

static const char pass[] = "the secretariat's passphrase";
static const char member_pass[] = "a member's own passphrase";
static const char pledge[] = "I keep secret what council work tells me.\n";
static const char situation_text[] = "Lives alone since spring; rarely goes out.";

static int fail(council *c, const char *what, int rc)
{
    /* council_errmsg() names what failed; it never holds case content. */
    fprintf(stderr, "referral: %s: %s (%s)\n", what, council_errmsg(c), council_errstr(rc));
    return EXIT_FAILURE;
}

/* The secretariat's part: a member with keys and one pledged caseworker. */
static int add_member(council *c, uint8_t id[COUNCIL_ID_BYTES], uint8_t staff[COUNCIL_ID_BYTES],
                      council_buf *keyfile, const char *name, int32_t kind)
{
    static const char *const scopes[] = { "identity", "situation" };
    council_member_options mo = COUNCIL_MEMBER_OPTIONS_INIT;
    int rc;

    mo.name = name;
    mo.kind = kind;
    mo.scopes = scopes;
    mo.n_scopes = 2;
    if ((rc = council_member_add(c, id, COUNCIL_ID_BYTES, &mo)) != COUNCIL_OK ||
        (rc = council_member_keygen(c, keyfile, id, COUNCIL_ID_BYTES,
                                    (const uint8_t *)member_pass, strlen(member_pass),
                                    COUNCIL_KDF_OPSLIMIT_MIN, COUNCIL_KDF_MEMLIMIT_MIN)) != COUNCIL_OK ||
        (rc = council_staff_add(c, staff, COUNCIL_ID_BYTES, id, COUNCIL_ID_BYTES, "Caseworker",
                                NULL)) != COUNCIL_OK)
        return rc;
    return council_staff_pledge(c, staff, COUNCIL_ID_BYTES, 0, "v2024_04",
                                (const uint8_t *)pledge, strlen(pledge), NULL);
}

/* A caseworker's session: the member's keyfile and passphrase. */
static int staff_session(council **s, const char *dir, const uint8_t staff[COUNCIL_ID_BYTES],
                         const council_buf *keyfile)
{
    council_open_options so = COUNCIL_OPEN_OPTIONS_INIT;

    so.staff_id = staff;
    so.staff_id_len = COUNCIL_ID_BYTES;
    so.keyfile = keyfile->ptr;
    so.keyfile_len = keyfile->len;
    so.passphrase = (const uint8_t *)member_pass;
    so.passphrase_len = strlen(member_pass);
    return council_open(s, dir, &so);
}

/* Write a text section: a council.v1.Section packed with protobuf-c. */
static int write_text(council *s, const uint8_t *case_id, const uint8_t *person, const char *scope,
                      const char *text)
{
    Council__V1__Section sec = COUNCIL__V1__SECTION__INIT;
    uint8_t buf[1024];
    size_t n;

    sec.text = (char *)text;
    if ((n = council__v1__section__get_packed_size(&sec)) > sizeof buf)
        return COUNCIL_ELIMIT;
    council__v1__section__pack(&sec, buf);
    return council_section_write(s, NULL, case_id, COUNCIL_ID_BYTES, person, COUNCIL_ID_BYTES,
                                 scope, buf, n);
}

int main(int argc, char **argv)
{
    static const char *const situation[] = { "situation" };
    static const char *const identity[] = { "identity" };
    static const char *const referral[] = { "referral" };
    static char tmp[] = "/tmp/council-referral-XXXXXX";
    const char *dir = argc > 1 ? argv[1] : NULL;
    ProtobufCAllocator *wipe = council_protobuf_allocator();
    council_create_options co = COUNCIL_CREATE_OPTIONS_INIT;
    council_case_options cao = COUNCIL_CASE_OPTIONS_INIT;
    council_consent_options cno = COUNCIL_CONSENT_OPTIONS_INIT;
    council_share_options sho = COUNCIL_SHARE_OPTIONS_INIT;
    council_buf npo_kf = { NULL, 0 }, city_kf = { NULL, 0 };
    council_buf why = { NULL, 0 }, out = { NULL, 0 };
    uint8_t npo[COUNCIL_ID_BYTES], city[COUNCIL_ID_BYTES];
    uint8_t npo_staff[COUNCIL_ID_BYTES], city_staff[COUNCIL_ID_BYTES];
    uint8_t case_id[COUNCIL_ID_BYTES], person[COUNCIL_ID_BYTES], consent[COUNCIL_ID_BYTES];
    uint8_t case_back[COUNCIL_ID_BYTES], person_back[COUNCIL_ID_BYTES];
    char case_text[COUNCIL_UUID_TEXT_BYTES], person_text[COUNCIL_UUID_TEXT_BYTES];
    Council__V1__SectionRecord *rec = NULL;
    council *c = NULL, *n = NULL, *m = NULL;
    int rc, status = EXIT_FAILURE;

    if (dir == NULL && (dir = mkdtemp(tmp)) == NULL) {
        perror("mkdtemp");
        return EXIT_FAILURE;
    }

    /* 1. The secretariat (once, usually with council-cli): the council,
     *    the two members, their keyfiles and caseworkers. */
    co.name = "Example City council";
    co.passphrase = (const uint8_t *)pass;
    co.passphrase_len = strlen(pass);
    co.kdf_opslimit = COUNCIL_KDF_OPSLIMIT_MIN; /* examples only: fast, weak */
    co.kdf_memlimit = COUNCIL_KDF_MEMLIMIT_MIN;
    if ((rc = council_create(&c, dir, &co)) != COUNCIL_OK ||
        (rc = add_member(c, npo, npo_staff, &npo_kf, "NPO Yorisoi",
                         COUNCIL_MEMBER_KIND_NPO)) != COUNCIL_OK ||
        (rc = add_member(c, city, city_staff, &city_kf, "Example City welfare department",
                         COUNCIL_MEMBER_KIND_MUNICIPAL_DEPARTMENT)) != COUNCIL_OK) {
        status = fail(c, "setup", rc);
        goto out;
    }
    council_close(c);
    c = NULL;

    /* 2. The NPO's caseworker opens a case and writes the situation. */
    if ((rc = staff_session(&n, dir, npo_staff, &npo_kf)) != COUNCIL_OK) {
        status = fail(n, "open (NPO caseworker)", rc);
        goto out;
    }
    cao.body = COUNCIL_CASE_BODY_COUNCIL;
    if ((rc = council_case_create(n, case_id, sizeof case_id, person, sizeof person, &cao)) !=
            COUNCIL_OK ||
        (rc = write_text(n, case_id, person, "situation", situation_text)) != COUNCIL_OK) {
        status = fail(n, "case", rc);
        goto out;
    }
    /* The case system keeps ids as text. */
    if (council_uuid_format(case_text, sizeof case_text, case_id, sizeof case_id) != COUNCIL_OK ||
        council_uuid_format(person_text, sizeof person_text, person, sizeof person) != COUNCIL_OK)
        goto out;
    printf("case %s, person %s\n", case_text, person_text);

    /* 3. The person agrees, in writing, to the city seeing the situation
     *    for the referral. */
    cno.case_id = case_id;
    cno.case_id_len = sizeof case_id;
    cno.subject_person = person;
    cno.subject_person_len = sizeof person;
    cno.grantor = COUNCIL_GRANTOR_KIND_SELF;
    cno.recipient_members = city;
    cno.n_recipient_members = 1;
    cno.scopes = situation;
    cno.n_scopes = 1;
    cno.purposes = referral;
    cno.n_purposes = 1;
    cno.method = COUNCIL_CONSENT_METHOD_WRITTEN;
    if ((rc = council_consent_record(n, consent, sizeof consent, &cno)) != COUNCIL_OK) {
        status = fail(n, "consent", rc);
        goto out;
    }

    /* 4. The dry run: the identity is not covered, the situation is. */
    sho.n_scopes = 1;
    sho.purpose = "referral";
    sho.basis = "consent";
    sho.consent_id = consent;
    sho.consent_id_len = sizeof consent;
    sho.scopes = identity;
    rc = council_case_share_check(n, &why, case_id, sizeof case_id, city, sizeof city, &sho);
    printf("check identity: %s (%s)\n", council_errstr(rc),
           why.ptr != NULL ? (const char *)why.ptr : "-");
    council_buf_free(&why);
    if (rc != COUNCIL_ENOCONSENT)
        goto out;
    sho.scopes = situation;
    rc = council_case_share_check(n, &why, case_id, sizeof case_id, city, sizeof city, &sho);
    printf("check situation: %s (%s)\n", council_errstr(rc),
           why.ptr != NULL ? (const char *)why.ptr : "-");
    council_buf_free(&why);
    if (rc != COUNCIL_OK)
        goto out;

    /* 5. The referral: share the situation with the city. */
    if ((rc = council_case_share(n, case_id, sizeof case_id, city, sizeof city, &sho)) !=
        COUNCIL_OK) {
        status = fail(n, "share", rc);
        goto out;
    }
    printf("shared situation with the city\n");

    /* 6. The city's caseworker, with the ids from the referral's text,
     *    reads the section and decodes it with the wiping allocator. */
    if ((rc = council_uuid_parse(case_back, sizeof case_back, case_text)) != COUNCIL_OK ||
        (rc = council_uuid_parse(person_back, sizeof person_back, person_text)) != COUNCIL_OK)
        goto out;
    if ((rc = staff_session(&m, dir, city_staff, &city_kf)) != COUNCIL_OK) {
        status = fail(m, "open (city caseworker)", rc);
        goto out;
    }
    if ((rc = council_section_read(m, &out, case_back, sizeof case_back, person_back,
                                   sizeof person_back, "situation", "referral")) != COUNCIL_OK) {
        status = fail(m, "read", rc);
        goto out;
    }
    rec = council__v1__section_record__unpack(wipe, out.len, out.ptr);
    council_buf_free(&out); /* wipes the encoded copy */
    if (rec == NULL || rec->section == NULL || rec->section->text == NULL) {
        fprintf(stderr, "referral: the section does not decode\n");
        goto out;
    }
    printf("city reads %s version %u: %zu bytes of text\n", rec->scope, rec->version,
           strlen(rec->section->text));
    if (strcmp(rec->section->text, situation_text) == 0)
        status = EXIT_SUCCESS;
    /* Freed through the allocator: the decrypted text is wiped first. */
    council__v1__section_record__free_unpacked(rec, wipe);
out:
    council_close(m);
    council_close(n);
    council_close(c);
    council_buf_free(&npo_kf);
    council_buf_free(&city_kf);
    printf("referral: %s; store in %s\n", status == EXIT_SUCCESS ? "ok" : "FAILED", dir);
    return status;
}
