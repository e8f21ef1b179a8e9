/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * keepalived.conf words -> statements: a keyword and the values after it on
 * its line, then, when the next word is '{' (on the same line or the next),
 * the statements of its block up to the matching '}'.
 */
#include <stdlib.h>
#include <string.h>

#include "config/keepalived.h"

#define MAX_DEPTH 32

static bool
is(const struct kc_tok *t, const char *s)
{
	return !t->quoted && strcmp(t->s, s) == 0;
}

/* Skip the block whose '{' is at *i (nested too deep): up to its '}'. */
static void
skip_block(struct kc_lex *lx, size_t *i)
{
	unsigned int open = 0;

	for (; *i < lx->nb_toks; (*i)++) {
		open += is(&lx->toks[*i], "{");
		if (is(&lx->toks[*i], "}") && --open == 0) {
			(*i)++;
			return;
		}
	}
}

/* A new zeroed statement at the end of parent's block, or NULL. */
static struct kc_node *
add_kid(struct kc_lex *lx, struct kc_node *parent, const struct kc_tok *t)
{
	struct kc_node *k = realloc(parent->kids, sizeof(*k) * (parent->nb_kids + 1));

	if (k == NULL) {
		kc_msg(lx->err, false, t->file, t->line, "out of memory");
		return NULL;
	}
	parent->kids = k;
	k = &parent->kids[parent->nb_kids++];
	memset(k, 0, sizeof(*k));
	k->file = t->file;
	k->line = t->line;
	return k;
}

/* The keyword at *i and its values on the same line into n. */
static void
statement(struct kc_lex *lx, size_t *i, struct kc_node *n)
{
	size_t first = *i, k;

	do
		(*i)++;
	while (*i < lx->nb_toks && !lx->toks[*i].bol && !is(&lx->toks[*i], "{") &&
	       !is(&lx->toks[*i], "}"));
	n->argv = malloc(sizeof(*n->argv) * (*i - first));
	if (n->argv == NULL) {
		kc_msg(lx->err, false, n->file, n->line, "out of memory");
		return;
	}
	for (k = first; k < *i; k++)
		n->argv[n->argc++] = lx->toks[k].s;
}

/*
 * The statements from *i into parent, up to the '}' closing opener (NULL:
 * the top level, up to the end). Returns false when the words ran out
 * before that '}' (reported once, by the innermost block).
 */
static bool
build(struct kc_lex *lx, size_t *i, struct kc_node *parent, int depth,
      const struct kc_node *opener)
{
	struct kc_node *n;

	while (*i < lx->nb_toks) {
		const struct kc_tok *t = &lx->toks[*i];

		if (is(t, "}")) {
			(*i)++;
			if (opener != NULL)
				return true;
			kc_msg(lx->err, false, t->file, t->line, "'}' closes no block");
			continue;
		}
		if (is(t, "{")) {
			kc_msg(lx->err, false, t->file, t->line, "'{' has no keyword before it");
			skip_block(lx, i);
			continue;
		}
		n = add_kid(lx, parent, t);
		if (n == NULL)
			return true;
		statement(lx, i, n);
		if (*i == lx->nb_toks || !is(&lx->toks[*i], "{"))
			continue;
		if (depth == MAX_DEPTH) {
			kc_msg(lx->err, false, n->file, n->line, "blocks nest deeper than %d",
			       MAX_DEPTH);
			skip_block(lx, i);
			continue;
		}
		n->block = true;
		(*i)++;
		if (!build(lx, i, n, depth + 1, n))
			return false;
	}
	if (opener != NULL)
		kc_msg(lx->err, false, opener->file, opener->line, "'%s' block has no closing '}' "
		       "(the file ends first)", opener->argc ? opener->argv[0] : "{");
	return opener == NULL;
}

void
kc_tree_build(struct kc_lex *lx, struct kc_node *root)
{
	size_t i = 0;

	memset(root, 0, sizeof(*root));
	root->block = true;
	build(lx, &i, root, 0, NULL);
}

void
kc_tree_free(struct kc_node *root)
{
	unsigned int i;

	for (i = 0; i < root->nb_kids; i++)
		kc_tree_free(&root->kids[i]);
	free(root->kids);
	free(root->argv);
	memset(root, 0, sizeof(*root));
}
