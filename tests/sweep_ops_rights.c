/*
 * sweep_ops_rights.c - the sweep's operations: (filled in by issue 18's work).
 */
#include "sweep.h"

const op sweep_ops_rights[] = {
    { NULL, false, false, false, NULL, NULL, NULL },
};
const size_t sweep_ops_rights_n = 0;
