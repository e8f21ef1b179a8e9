/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interactive CLI sessions: DPDK's rdline (cmdline library) edits the line
 * (arrows, ^A ^E ^K ^W ^Y, history with up/down), TAB completes and `?`
 * lists what may come next, from the command table (lb_cli_complete).
 */
#include <stdlib.h>
#include <string.h>

#include <cmdline_rdline.h>
#include <rte_common.h>

#include "cli/server.h"
#include "cli/term.h"

#define MAX_CANDIDATES 64

struct lb_term {
	struct rdline *rdl;
	lb_term_write_t *write;
	void *ctx;
	bool has_line;
	char line[LB_TERM_MAX_LINE + 1];
};

static int
write_char(struct rdline *rdl, char c)
{
	struct lb_term *t = rdline_get_opaque(rdl);

	t->write(t->ctx, &c, 1);
	return 0;
}

/* rdline calls this on Enter, with the line; it is run after rdline returns. */
static void
validate(struct rdline *rdl, const char *buf, unsigned int size)
{
	struct lb_term *t = rdline_get_opaque(rdl);
	size_t len = strnlen(buf, RTE_MIN((size_t)size, sizeof(t->line) - 1));

	memcpy(t->line, buf, len);
	t->line[len] = '\0';
	t->line[strcspn(t->line, "\r\n")] = '\0';
	t->has_line = true;
}

/* Longest common prefix of the candidates' words. */
static size_t
common_prefix(const struct lb_cli_word *w, unsigned int n)
{
	size_t len = strlen(w[0].word), k;
	unsigned int i;

	for (i = 1; i < n; i++) {
		for (k = 0; k < len && w[i].word[k] == w[0].word[k]; k++)
			;
		len = k;
	}
	return len;
}

/*
 * rdline's completion protocol: TAB calls with *state 0 and `?` with -1;
 * return 2 (RDLINE_RES_COMPLETE) with text to append, or 1 with one line
 * of a listing (called again until it returns 0).
 */
static int
complete(struct rdline *rdl, const char *buf, char *dst, unsigned int size, int *state)
{
	struct lb_cli_word found[MAX_CANDIDATES];
	char store[1024];
	const char *usage, *sp = strrchr(buf, ' ');
	size_t plen = strlen(sp != NULL ? sp + 1 : buf);
	unsigned int n, idx;

	RTE_SET_USED(rdl);
	n = lb_cli_complete(buf, found, MAX_CANDIDATES, store, sizeof(store), &usage);
	if (*state == 0 && n > 0) {			/* TAB, first call */
		size_t common = common_prefix(found, n);

		if (n == 1) {		/* the word, and a space after it */
			snprintf(dst, size, "%s ", found[0].word + plen);
			return RDLINE_RES_COMPLETE;
		}
		if (common > plen) {	/* as far as the candidates agree */
			snprintf(dst, size, "%.*s", (int)(common - plen), found[0].word + plen);
			return RDLINE_RES_COMPLETE;
		}
	}
	if (*state >= 0) {				/* TAB listing */
		idx = (unsigned int)*state;
		if (idx >= n)
			return 0;
		snprintf(dst, size, "%s", found[idx].word);
		(*state)++;
		return 1;
	}
	idx = (unsigned int)(-*state - 1);		/* `?`: words and their help */
	if (n == 0 && idx == 0) {
		snprintf(dst, size, "%s", usage != NULL ? usage : "(nothing matches: type 'help')");
		*state = -2;
		return 1;
	}
	if (idx >= n)
		return 0;
	snprintf(dst, size, "%-18s %s", found[idx].word, found[idx].help);
	(*state)--;
	return 1;
}

struct lb_term *
lb_term_new(lb_term_write_t *write, void *ctx)
{
	struct lb_term *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->write = write;
	t->ctx = ctx;
	t->rdl = rdline_new(write_char, validate, complete, t);
	if (t->rdl == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
lb_term_free(struct lb_term *t)
{
	if (t == NULL)
		return;
	rdline_free(t->rdl);
	free(t);
}

void
lb_term_newline(struct lb_term *t, const char *prompt)
{
	rdline_newline(t->rdl, prompt);
}

enum lb_term_event
lb_term_input(struct lb_term *t, char c)
{
	int rc = rdline_char_in(t->rdl, c);

	if (rc == RDLINE_RES_EOF || rc == RDLINE_RES_EXITED)
		return LB_TERM_EOF;
	if (rc == RDLINE_RES_VALIDATED && t->has_line) {
		t->has_line = false;
		if (t->line[0] != '\0')
			rdline_add_history(t->rdl, t->line);
		return LB_TERM_LINE;
	}
	return LB_TERM_NONE;
}

const char *
lb_term_line(const struct lb_term *t)
{
	return t->line;
}

void
lb_term_help(FILE *out, const char *typed)
{
	struct lb_cli_word found[MAX_CANDIDATES];
	char store[1024];
	const char *usage;
	unsigned int n, i;

	n = lb_cli_complete(typed, found, MAX_CANDIDATES, store, sizeof(store), &usage);
	for (i = 0; i < n; i++)
		fprintf(out, "  %-18s %s\n", found[i].word, found[i].help);
	if (n == 0)
		fprintf(out, "  %s\n", usage != NULL ? usage : "(nothing matches: type 'help')");
}
