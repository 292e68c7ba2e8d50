/*
 * fuzz_policy.c - the stored policy (the setting 'policy', a serialised
 * council.v1.Policy), parsed by council__policy_parse (libcouncil/
 * policy.c) for council__policy_load, which council_policy_get and every
 * disclosure decision call. The whole input is the stored blob.
 *
 * The harness traps on a code other than OK or EFORMAT; on EFORMAT that
 * changes the configuration (the defaults stay); on OK for 0 bytes or more
 * than 4096, or for bytes protobuf-c does not unpack cleanly (unknown
 * fields included); on OK unless consent is accepted, exactly the known
 * bases the blob lists are accepted, and the second-approver flag is the
 * blob's; and unless the configuration written back as a Policy parses to
 * the same configuration.
 */
#include "council/v1/consent.pb-c.h"
#include "fixture.h"
#include "decide.h"
#include "decide.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    council__policy_config def, cfg, again;
    Council__V1__Policy *m;
    int rc;

    council__policy_defaults(&def);
    cfg = def;
    rc = council__policy_parse(NULL, "fuzz", &cfg, size > 0 ? data : NULL, size);
    fuzz_check(rc == COUNCIL_OK || rc == COUNCIL_EFORMAT);
    if (rc != COUNCIL_OK) {
        fuzz_check(memcmp(&cfg, &def, sizeof cfg) == 0);
        return 0;
    }
    fuzz_check(size >= 1 && size <= 4096);
    m = council__v1__policy__unpack(NULL, size, data);
    fuzz_check(m != NULL && m->base.n_unknown_fields == 0);
    fuzz_check(cfg.accept[COUNCIL__BASIS_CONSENT] && cfg.accept[0] == def.accept[0]);
    for (int b = 2; b < COUNCIL__BASIS_LIMIT; b++) {
        bool listed = false;
        for (size_t i = 0; i < m->n_accepted_bases; i++)
            listed = listed || strcmp(m->accepted_bases[i], council__basis_code(b)) == 0;
        fuzz_check(cfg.accept[b] == listed);
    }
    fuzz_check(cfg.vital_second_approver == (m->vital_second_approver != 0));
    council__v1__policy__free_unpacked(m, NULL);
    {
        Council__V1__Policy p = COUNCIL__V1__POLICY__INIT;
        char *bases[COUNCIL__BASIS_LIMIT];
        uint8_t buf[512];
        size_t n = 0, len;

        for (int b = 1; b < COUNCIL__BASIS_LIMIT; b++)
            if (cfg.accept[b])
                bases[n++] = (char *)(uintptr_t)council__basis_code(b);
        p.accepted_bases = bases;
        p.n_accepted_bases = n;
        p.vital_second_approver = cfg.vital_second_approver;
        len = council__v1__policy__get_packed_size(&p);
        fuzz_check(len <= sizeof buf);
        len = council__v1__policy__pack(&p, buf);
        again = def;
        fuzz_check(council__policy_parse(NULL, "fuzz", &again, buf, len) == COUNCIL_OK);
        fuzz_check(memcmp(&again, &cfg, sizeof cfg) == 0);
    }
    return 0;
}
