/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CLI_COMMANDS_H
#define LB_CLI_COMMANDS_H

/* Shared by the CLI's command files (commands.c holds the table). */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config/config.h"

/* The running config that CLI edits change (set by lb_cli_set_config). */
struct lb_config *lb_cli_running_config(void);

/* Commands without arguments: true (and an error in out) when argc > 0. */
bool lb_cli_extra_words(int argc, char **argv, FILE *out);

/* Handlers: argv holds the words after the command's own. 0 or -errno. */
int lb_cmd_drain(int argc, char **argv, FILE *out);		/* real-server drain */
int lb_cmd_service_enable(int argc, char **argv, FILE *out);	/* service enable */
int lb_cmd_service_disable(int argc, char **argv, FILE *out);	/* service disable */
int lb_cmd_show_conn(int argc, char **argv, FILE *out);		/* show conn [filters] */

#endif
