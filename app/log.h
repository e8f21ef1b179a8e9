/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_LOG_H
#define LB_LOG_H

/*
 * Where rte_log messages go: stderr (the default; journald picks it up
 * under systemd), syslog (facility daemon, ident "dplb", each message at
 * the syslog priority of its rte_log level), or both. Chosen with
 * `dplb --log-target stderr|syslog|both`.
 */
#include "config/config.h"

/*
 * Choose the target by name; call before lb_log_init. Returns 0, or
 * -EINVAL for another name (nothing changed). Main thread, before EAL.
 */
int lb_log_set_target(const char *name);

/* Point rte_log at the chosen target. Main lcore, after EAL init. Returns 0 or -errno. */
int lb_log_init(const struct lb_config *cfg);

/* Back to stderr, close syslog. */
void lb_log_term(void);

#endif
