/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CLI_TERM_H
#define LB_CLI_TERM_H

#include <stdio.h>

/*
 * The line editor of an interactive CLI session (a telnet client in
 * character mode, or dplbctl with no command): rdline from DPDK's cmdline
 * library with history, TAB completion and `?` listings. Control lcore.
 */

#define LB_TERM_MAX_LINE 512	/* rdline's buffer: longer input is not taken */

struct lb_term;

/* Where the editor's echo and redraws go (the session's output). */
typedef void (lb_term_write_t)(void *ctx, const char *data, size_t len);

enum lb_term_event {
	LB_TERM_NONE = 0,	/* byte taken, nothing to do */
	LB_TERM_LINE,		/* Enter: the line is in lb_term_line() */
	LB_TERM_EOF,		/* ^D on an empty line: end the session */
};

/* A new editor writing through write(ctx, ...); NULL when out of memory. */
struct lb_term *lb_term_new(lb_term_write_t *write, void *ctx);

/* Free t (NULL is fine). */
void lb_term_free(struct lb_term *t);

/* Start a fresh line: print prompt (cut at 31 characters) and edit after it. */
void lb_term_newline(struct lb_term *t, const char *prompt);

/*
 * Feed one byte the client typed (telnet commands already removed; CR LF
 * or CR NUL folded into one CR by the caller). A line taken by Enter goes
 * into the history.
 */
enum lb_term_event lb_term_input(struct lb_term *t, char c);

/* The line of the last LB_TERM_LINE event, without its end. */
const char *lb_term_line(const struct lb_term *t);

/*
 * What `?` lists, for sessions without the editor (a line that ends in
 * `?`): the words that may follow typed, with their help, one a line.
 */
void lb_term_help(FILE *out, const char *typed);

#endif
