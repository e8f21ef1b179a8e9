/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_RELOAD_H
#define LB_RELOAD_H

/*
 * Reading the config file dplb runs from, at start and on reload (SIGHUP or
 * the CLI's `config reload`). A reload validates the file first and keeps
 * running the old configuration when it has any error. Otherwise it applies
 * what can change without a restart -- virtual services, real servers,
 * checkers and their scripts, connection timeouts, vip_unknown_port -- as a
 * difference: services and real servers that stay keep their connections
 * and counters, removed real servers keep their established connections
 * (as LVS), health state carries over for servers that stay. VRRP
 * instances change in place (vrrp/diff.h, lb_vrrp_reload). What needs a
 * restart (interfaces, workers, EAL, CLI listener, vrrp_sync_groups,
 * vrrp_scripts other than weights, connections.max) is named in the
 * messages and left as it runs.
 * Control lcore only.
 */
#include <stdbool.h>
#include <stdio.h>

#include "config/config.h"

/*
 * Load path as a native config (keepalived false) or a keepalived.conf
 * into cfg, messages to err. running is NULL at start; on a reload it is the
 * running config, whose adopted kernel interfaces lend their addresses
 * (dplb took them from the kernel). Returns 0 or -errno.
 */
int lb_config_load_file(const char *path, bool keepalived, const struct lb_config *running,
			struct lb_config *cfg, struct lb_cfg_errors *err);

/* Remember what to reload: the running config and how it was read. */
void lb_reload_setup(struct lb_config *running, bool keepalived);

/*
 * The running config (NULL before lb_reload_setup) and, in *keepalived,
 * whether it was read from a keepalived.conf (-k).
 */
struct lb_config *lb_reload_running(bool *keepalived);

/*
 * Reload now (the CLI's `config reload`); messages (each problem, then a
 * summary) to out, and to the log (NOTICE, or ERR when the reload failed,
 * "config reload (CLI): ..."). 0 or -errno.
 */
int lb_reload(FILE *out);

/*
 * Reload now with the messages only in the log, each as "config reload
 * (why): ..." at NOTICE (ERR when it failed): SIGHUP. 0 or -errno.
 */
int lb_reload_logged(const char *why);

/* Set from a signal handler (SIGHUP): the control loop reloads soon. */
extern volatile bool lb_reload_requested;

#endif
