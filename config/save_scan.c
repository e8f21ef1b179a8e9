/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A scanner of libconfig text for `config save`: where settings, their
 * values and list elements are, by byte offset. It only reads text that
 * libconfig has already accepted, so it need not report syntax errors.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "config/save_priv.h"

#define NONE ((size_t)-1)

static bool
at(const struct lb_ct *t, size_t p, const char *w)
{
	size_t n = strlen(w);

	return p + n <= t->len && memcmp(t->s + p, w, n) == 0;
}

size_t
lb_ct_skip(const struct lb_ct *t, size_t p)
{
	while (p < t->len) {
		if (isspace((unsigned char)t->s[p])) {
			p++;
		} else if (t->s[p] == '#' || at(t, p, "//")) {
			while (p < t->len && t->s[p] != '\n')
				p++;
		} else if (at(t, p, "/*")) {
			const char *e = strstr(t->s + p + 2, "*/");

			p = e != NULL ? (size_t)(e - t->s) + 2 : t->len;
		} else {
			break;
		}
	}
	return p;
}

/* After the string literal at p (its closing quote). */
static size_t
string_end(const struct lb_ct *t, size_t p)
{
	for (p++; p < t->len && t->s[p] != '"'; p++)
		if (t->s[p] == '\\')
			p++;
	return p < t->len ? p + 1 : t->len;
}

size_t
lb_ct_value_end(const struct lb_ct *t, size_t p)
{
	size_t q;
	int depth = 0;

	if (p >= t->len)
		return p;
	if (t->s[p] == '"') {	/* adjacent strings are one value */
		for (;;) {
			p = string_end(t, p);
			q = lb_ct_skip(t, p);
			if (q >= t->len || t->s[q] != '"')
				return p;
			p = q;
		}
	}
	if (strchr("([{", t->s[p]) == NULL) {
		while (p < t->len && !isspace((unsigned char)t->s[p]) &&
		       strchr(";,)]}#", t->s[p]) == NULL && !at(t, p, "//") && !at(t, p, "/*"))
			p++;
		return p;
	}
	while (p < t->len) {
		q = lb_ct_skip(t, p);
		if (q != p) {
			p = q;
			continue;
		}
		if (t->s[p] == '"') {
			p = string_end(t, p);
			continue;
		}
		if (strchr("([{", t->s[p]) != NULL)
			depth++;
		else if (strchr(")]}", t->s[p]) != NULL && --depth == 0)
			return p + 1;
		p++;
	}
	return p;
}

/* The setting at p (after skipping) into *m; false at the group's end. */
static int
next_member(const struct lb_ct *t, size_t p, struct lb_ct_member *m)
{
	size_t q;

	p = lb_ct_skip(t, p);
	if (p >= t->len || t->s[p] == '}')
		return 0;
	if (!isalpha((unsigned char)t->s[p]) && t->s[p] != '*')
		return -EINVAL;		/* @include, or not a setting */
	m->name = p;
	while (p < t->len && (isalnum((unsigned char)t->s[p]) || strchr("_-*", t->s[p])))
		p++;
	p = lb_ct_skip(t, p);
	if (p >= t->len || (t->s[p] != '=' && t->s[p] != ':'))
		return -EINVAL;
	m->value = lb_ct_skip(t, p + 1);
	m->value_end = lb_ct_value_end(t, m->value);
	q = lb_ct_skip(t, m->value_end);
	m->terminated = q < t->len && (t->s[q] == ';' || t->s[q] == ',');
	m->end = m->terminated ? q + 1 : m->value_end;
	return 1;
}

static bool
name_is(const struct lb_ct *t, const struct lb_ct_member *m, const char *key)
{
	size_t n = strlen(key), e = m->name + n;

	return at(t, m->name, key) &&
	       (e >= t->len || !(isalnum((unsigned char)t->s[e]) || strchr("_-*", t->s[e])));
}

int
lb_ct_member(const struct lb_ct *t, size_t b, const char *key, struct lb_ct_member *m)
{
	struct lb_ct_member c;
	int rc;

	while ((rc = next_member(t, b, &c)) == 1) {
		if (name_is(t, &c, key)) {
			*m = c;
			return 1;
		}
		b = c.end;
	}
	return rc;
}

int
lb_ct_last_scalar(const struct lb_ct *t, size_t b, struct lb_ct_member *m)
{
	struct lb_ct_member c;
	int rc, found = 0;

	while ((rc = next_member(t, b, &c)) == 1) {
		if (t->s[c.value] == '(' || t->s[c.value] == '{')
			break;		/* arrays [ ... ] count as scalars */
		*m = c;
		found = 1;
		b = c.end;
	}
	return rc < 0 ? rc : found;
}

int
lb_ct_list(const struct lb_ct *t, size_t open, struct lb_ct_list *l)
{
	size_t p = open + 1;

	if (open >= t->len || t->s[open] != '(')
		return -EINVAL;
	l->open = open;
	l->n = 0;
	for (;;) {
		p = lb_ct_skip(t, p);
		if (p >= t->len)
			return -EINVAL;
		if (t->s[p] == ')') {
			l->close = p;
			return 0;
		}
		if (l->n == LB_CT_MAX_ELEMS)
			return -E2BIG;
		l->start[l->n] = p;
		l->end[l->n] = lb_ct_value_end(t, p);
		p = lb_ct_skip(t, l->end[l->n]);
		l->comma[l->n] = p < t->len && t->s[p] == ',' ? p : NONE;
		if (l->comma[l->n] != NONE)
			p++;
		l->n++;
	}
}

int
lb_ct_line(const struct lb_ct *t, size_t p)
{
	int line = 1;
	size_t i;

	for (i = 0; i < p && i < t->len; i++)
		line += t->s[i] == '\n';
	return line;
}

size_t
lb_ct_bol(const struct lb_ct *t, size_t p)
{
	while (p > 0 && t->s[p - 1] != '\n')
		p--;
	return p;
}

size_t
lb_ct_eol(const struct lb_ct *t, size_t p)
{
	while (p < t->len && t->s[p] != '\n')
		p++;
	return p < t->len ? p + 1 : p;
}

bool
lb_ct_rest_blank(const struct lb_ct *t, size_t p)
{
	while (p < t->len && t->s[p] != '\n') {
		if (t->s[p] == '#' || at(t, p, "//"))
			return true;
		if (at(t, p, "/*")) {	/* a comment that ends on this line */
			const char *e = strstr(t->s + p + 2, "*/");

			if (e == NULL || memchr(t->s + p, '\n', (size_t)(e - (t->s + p))) != NULL)
				return false;
			p = (size_t)(e - t->s) + 2;
			continue;
		}
		if (!isspace((unsigned char)t->s[p]))
			return false;
		p++;
	}
	return true;
}

void
lb_ct_indent(const struct lb_ct *t, size_t p, char *buf, size_t len)
{
	size_t b = lb_ct_bol(t, p), n = 0;

	while (b + n < t->len && (t->s[b + n] == ' ' || t->s[b + n] == '\t') && n + 1 < len)
		n++;
	memcpy(buf, t->s + b, n);
	buf[n] = '\0';
}
