/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_TEST_EAL_SCRATCH_H
#define LB_TEST_EAL_SCRATCH_H

/*
 * Remove /var/run/dpdk/PREFIX, which EAL leaves behind even with
 * --no-shconf, after rte_eal_cleanup(). For the test and benchmark
 * programs, which use a fresh --file-prefix per run.
 */
void lb_test_eal_scratch_remove(const char *prefix);

#endif
