/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_KERNEL_ADDR_H
#define LB_KERNEL_ADDR_H

/*
 * A keepalived director's interfaces are kernel interfaces holding the
 * box's addresses. When dplb takes such an interface over (af_packet on it,
 * lb_cfg_iface.adopt_kernel), the kernel must stop answering for those
 * addresses behind dplb's back: dplb removes the interface's IPv4 addresses
 * at start (its exception TAP holds them for the box's own traffic) and puts
 * the same addresses back on exit. Uses rtnetlink in dplb's network
 * namespace; control code only. A dplb killed with SIGKILL cannot give them
 * back: `ip addr add` them by hand (the log lists them).
 */
#include "config/config.h"

/* Remove and remember the IPv4 addresses of every adopted interface. 0 or -errno. */
int lb_kernel_addrs_take(const struct lb_config *cfg);

/* Put back what lb_kernel_addrs_take() removed. */
void lb_kernel_addrs_give_back(void);

#endif
