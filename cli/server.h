/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CLI_SERVER_H
#define LB_CLI_SERVER_H

#include <stdio.h>

#include "config/config.h"

#define LB_CLI_MAX_LINE 4096
#define LB_CLI_MAX_SESSIONS 32
#define LB_CLI_IDLE_TIMEOUT_S 300	/* a silent session is closed after this */

/*
 * Telnet-style CLI on the control lcore. Sessions are non-blocking: a slow
 * reader never stalls the control lcore (its output is dropped past a
 * bound, and the session closed). A session that sends the line `batch`
 * gets no prompts and a closing line per command: `%% ok` or
 * `%% error` (what dplbctl uses).
 */

/* Listen on cfg->cli. Control lcore. Returns 0 or -errno (logged). */
int lb_cli_init(const struct lb_config *cfg);

/* The running config that ipvsadm commands edit. Control lcore, at start. */
void lb_cli_set_config(struct lb_config *cfg);

/* Close the listener and every session. */
void lb_cli_term(void);

/* Accept, read, run commands, flush output. Returns units of work done. */
unsigned int lb_cli_poll(void);

/* lb_cli_exec's answer for a refreshing view (show top): run it again every second. */
#define LB_CLI_REPEAT 1

/*
 * Run one command line, writing its output to out. Returns 0, LB_CLI_REPEAT
 * when the command is a view to refresh every second until the operator
 * presses a key, or -EINVAL for an unknown command or bad arguments
 * (message already in out). Control lcore.
 */
int lb_cli_exec(const char *line, FILE *out);

/* A completion candidate: a word and what it does. */
struct lb_cli_word {
	const char *word;
	const char *help;
};

/*
 * Completion for the text typed before the cursor: the words that can come
 * next and start with its partial last word (command words from the
 * command table, then a command's own arguments: ipvsadm options, show
 * conn filters, tcp|udp). Up to max go into found, their text copied into
 * store when it is not static. *usage: the usage of the command already
 * typed in full, else NULL. Returns how many were found. Pure but for the
 * command table; any thread.
 */
unsigned int lb_cli_complete(const char *line, struct lb_cli_word *found, unsigned int max,
			     char *store, size_t store_len, const char **usage);

#endif
