/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Text edits for `config save`: replace a value, add a setting, remove or
 * append list elements, keeping every other byte of the file (comments,
 * blank lines, order, indentation) as it was.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/save_priv.h"

#define NONE ((size_t)-1)

void
lb_ct_edit(struct lb_ct_edits *ed, size_t start, size_t end, const char *fmt, ...)
{
	struct lb_ct_edit *e;
	va_list ap;
	int n;

	if (ed->err != 0)
		return;
	if (ed->n == ed->cap) {
		unsigned int cap = ed->cap ? ed->cap * 2 : 16;

		e = realloc(ed->e, cap * sizeof(*e));
		if (e == NULL) {
			ed->err = -ENOMEM;
			return;
		}
		ed->e = e;
		ed->cap = cap;
	}
	e = &ed->e[ed->n];
	va_start(ap, fmt);
	n = vasprintf(&e->text, fmt, ap);
	va_end(ap);
	if (n < 0) {
		ed->err = -ENOMEM;
		return;
	}
	e->start = start;
	e->end = end;
	e->seq = ed->n++;
}

static int
cmp_edit(const void *a, const void *b)
{
	const struct lb_ct_edit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if ((x->end == x->start) != (y->end == y->start))	/* insertions first */
		return x->end == x->start ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int
lb_ct_apply(const struct lb_ct *t, struct lb_ct_edits *ed, char **out)
{
	size_t cap = t->len + 1, len = 0, p = 0, n;
	unsigned int i;
	char *buf;

	if (ed->err != 0)
		return ed->err;
	if (ed->n > 0)
		qsort(ed->e, ed->n, sizeof(ed->e[0]), cmp_edit);
	for (i = 0; i < ed->n; i++) {
		if (ed->e[i].start < p || ed->e[i].end > t->len)
			return -EINVAL;		/* overlapping edits: a bug of the planner */
		p = ed->e[i].end;
		cap += strlen(ed->e[i].text);
	}
	buf = malloc(cap);
	if (buf == NULL)
		return -ENOMEM;
	p = 0;
	for (i = 0; i < ed->n; i++) {
		n = ed->e[i].start - p;
		memcpy(buf + len, t->s + p, n);
		len += n;
		n = strlen(ed->e[i].text);
		memcpy(buf + len, ed->e[i].text, n);
		len += n;
		p = ed->e[i].end;
	}
	memcpy(buf + len, t->s + p, t->len - p);
	len += t->len - p;
	buf[len] = '\0';
	*out = buf;
	return 0;
}

void
lb_ct_edits_free(struct lb_ct_edits *ed)
{
	unsigned int i;

	for (i = 0; i < ed->n; i++)
		free(ed->e[i].text);
	free(ed->e);
	memset(ed, 0, sizeof(*ed));
}

/* Last element before i (i = the count: of all) not in del, or -1. */
static int
last_kept(const bool *del, unsigned int i)
{
	while (i-- > 0)
		if (!del[i])
			return (int)i;
	return -1;
}

static bool
blank_before(const struct lb_ct *t, size_t p)
{
	size_t b = lb_ct_bol(t, p);

	for (; b < p; b++)
		if (t->s[b] != ' ' && t->s[b] != '\t')
			return false;
	return true;
}

/*
 * Start of the comment lines right above the line at bol (no blank line
 * between, inside list l): they describe the element on it and go with it.
 */
static size_t
comments_above(const struct lb_ct *t, const struct lb_ct_list *l, size_t bol)
{
	size_t p, q;

	while (bol > l->open + 1) {
		p = lb_ct_bol(t, bol - 1);
		if (p <= l->open)
			break;
		for (q = p; q < bol && (t->s[q] == ' ' || t->s[q] == '\t'); q++)
			;
		if (q == bol || (t->s[q] != '#' && !(t->s[q] == '/' && t->s[q + 1] == '/')))
			break;
		bol = p;
	}
	return bol;
}

void
lb_ct_delete_elems(const struct lb_ct *t, const struct lb_ct_list *l, const bool *del,
		   bool keep_last_comma, struct lb_ct_edits *ed)
{
	unsigned int i;
	size_t s, e;
	int k;

	for (i = 0; i < l->n; i++) {
		if (!del[i])
			continue;
		s = l->start[i];
		e = l->comma[i] != NONE ? l->comma[i] + 1 : l->end[i];
		if (l->comma[i] == NONE) {	/* the last one: the kept one before loses its comma */
			k = last_kept(del, i);
			if (k >= 0 && !keep_last_comma && l->comma[k] != NONE)
				lb_ct_edit(ed, l->comma[k], l->comma[k] + 1, "%s", "");
		}
		if (blank_before(t, s) && lb_ct_rest_blank(t, e)) {
			s = comments_above(t, l, lb_ct_bol(t, s));
			e = lb_ct_eol(t, e);
		} else {
			while (e < t->len && (t->s[e] == ' ' || t->s[e] == '\t'))
				e++;
		}
		lb_ct_edit(ed, s, e, "%s", "");
	}
}

/* texts joined by sep, each after pre; NULL when out of memory. */
static char *
join(char *const *texts, unsigned int n, const char *pre, const char *sep, const char *last)
{
	size_t len = 1;
	unsigned int i;
	char *s;

	for (i = 0; i < n; i++)
		len += strlen(pre) + strlen(texts[i]) + strlen(sep) + strlen(last);
	s = calloc(1, len);
	for (i = 0; s != NULL && i < n; i++) {
		strcat(s, pre);
		strcat(s, texts[i]);
		strcat(s, i + 1 < n ? sep : last);
	}
	return s;
}

void
lb_ct_append_elems(const struct lb_ct *t, const struct lb_ct_list *l, const bool *del,
		   char *const *texts, unsigned int n, struct lb_ct_edits *ed)
{
	int k = last_kept(del, l->n);
	char ind[64], sep[80], *s;
	size_t after, pos;

	if (n == 0)
		return;
	if (k < 0) {		/* an empty list (or every element removed) */
		lb_ct_indent(t, l->open, ind, sizeof(ind) - 8);
		if (lb_ct_line(t, l->open) == lb_ct_line(t, l->close)) {
			s = join(texts, n, " ", ",", " ");
		} else {
			strcat(ind, ind[0] == ' ' ? "    " : "\t");
			snprintf(sep, sizeof(sep), ",\n%s", ind);
			s = join(texts, n, "", sep, "");
			if (s != NULL)
				lb_ct_edit(ed, l->open + 1, l->open + 1, "\n%s%s", ind, s);
			free(s);
			return;
		}
		if (s != NULL)
			lb_ct_edit(ed, l->open + 1, l->open + 1, "%s", s);
		free(s);
		return;
	}
	after = l->comma[k] != NONE ? l->comma[k] + 1 : l->end[k];
	if (!lb_ct_rest_blank(t, after)) {	/* inline: ", { ... }" */
		s = join(texts, n, " ", ",", "");
		if (s != NULL)
			lb_ct_edit(ed, after, after, "%s%s", l->comma[k] != NONE ? "" : ",", s);
		free(s);
		return;
	}
	if (l->comma[k] == NONE)
		lb_ct_edit(ed, l->end[k], l->end[k], ",");
	lb_ct_indent(t, l->start[k], ind, sizeof(ind));
	pos = lb_ct_eol(t, after);
	snprintf(sep, sizeof(sep), ",\n%s", ind);
	s = join(texts, n, "", sep, "\n");
	if (s != NULL)
		lb_ct_edit(ed, pos, pos, "%s%s%s", pos == t->len && t->len > 0 &&
			   t->s[t->len - 1] != '\n' ? "\n" : "", ind, s);
	free(s);
}

void
lb_ct_set(const struct lb_ct *t, size_t b, const char *key, const char *value,
	  struct lb_ct_edits *ed)
{
	struct lb_ct_member m;
	char ind[64];
	size_t pos;

	if (lb_ct_member(t, b, key, &m) == 1) {
		lb_ct_edit(ed, m.value, m.value_end, "%s", value);
		return;
	}
	if (lb_ct_last_scalar(t, b, &m) != 1) {
		lb_ct_edit(ed, b, b, " %s = %s;", key, value);
		return;
	}
	if (!m.terminated)
		lb_ct_edit(ed, m.value_end, m.value_end, ";");
	pos = m.end;
	if (!lb_ct_rest_blank(t, pos)) {
		lb_ct_edit(ed, pos, pos, " %s = %s;", key, value);
		return;
	}
	lb_ct_indent(t, m.name, ind, sizeof(ind));
	pos = lb_ct_eol(t, pos);
	lb_ct_edit(ed, pos, pos, "%s%s%s = %s;\n", pos == t->len && t->s[pos - 1] != '\n' ?
		   "\n" : "", ind, key, value);
}
