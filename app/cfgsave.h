/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_APP_CFGSAVE_H
#define LB_APP_CFGSAVE_H

/*
 * The CLI's `config save [FILE]`: the running services and real servers
 * (ipvsadm edits, drains; not what health checks took out), connection
 * timeouts (--set) and VRRP priorities (vrrp set-priority, reload) written
 * into the native file dplb runs from (-f), or into FILE, as edits of its
 * text (config/save.h). Refused for a keepalived.conf (-k). Control lcore.
 */
#include <stdio.h>

/* Save to dst (NULL: the -f file itself); messages to out. 0 or -errno. */
int lb_cfgsave_run(const char *dst, FILE *out);

#endif
