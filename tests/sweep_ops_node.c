/*
 * sweep_ops_node.c - the sweep's operations: (filled in by issue 18's work).
 */
#include "sweep.h"

const op sweep_ops_node[] = {
    { NULL, false, false, false, NULL, NULL, NULL },
};
const size_t sweep_ops_node_n = 0;
