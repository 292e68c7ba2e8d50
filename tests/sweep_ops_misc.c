/*
 * sweep_ops_misc.c - the sweep's operations: (filled in by issue 18's work).
 */
#include "sweep.h"

const op sweep_ops_misc[] = {
    { NULL, false, false, false, NULL, NULL, NULL },
};
const size_t sweep_ops_misc_n = 0;
