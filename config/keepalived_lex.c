/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * keepalived.conf words, as keepalived's own reader (lib/parser.c) cuts
 * them: lines; '#' and '!' comments anywhere outside quotes; "@id" and
 * "@^id" conditional lines matched against the config id; $NAME=VALUE
 * definitions (multi-line with a trailing '\') and $NAME / ${NAME}
 * substitution at use time, recursively, undefined names left as they are;
 * "include GLOB" (keepalived_file.c); quoted
 * strings ("..." or '...', glued to what surrounds them); '{' and '}' as
 * words of their own even when glued to a keyword. Every word keeps its
 * file and line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/keepalived.h"

#define MAX_SUBST 256		/* substitutions in one line */
#define MAX_LINE 16384		/* a line after substitution */

struct kc_var {
	char *name;
	char *value;		/* lines of a multi-line value joined by '\n' */
};

void
kc_msg(struct lb_cfg_errors *err, bool warning, const char *file, int line,
       const char *fmt, ...)
{
	va_list ap;

	if (!warning)
		err->count++;
	if (err->out == NULL)
		return;
	fprintf(err->out, "%s:%d: %s", file, line, warning ? "warning: " : "");
	va_start(ap, fmt);
	vfprintf(err->out, fmt, ap);
	va_end(ap);
	fputc('\n', err->out);
}

static void
out_of_memory(struct kc_lex *lx, const char *file, int line)
{
	kc_msg(lx->err, false, file, line, "out of memory");
}

static void
add_tok(struct kc_lex *lx, const char *s, size_t len, const char *file, int line, bool bol,
	bool quoted)
{
	struct kc_tok *t;

	if (lx->nb_toks == lx->cap_toks) {
		size_t cap = lx->cap_toks ? lx->cap_toks * 2 : 256;

		t = realloc(lx->toks, cap * sizeof(*t));
		if (t == NULL) {
			out_of_memory(lx, file, line);
			return;
		}
		lx->toks = t;
		lx->cap_toks = cap;
	}
	t = &lx->toks[lx->nb_toks];
	t->s = strndup(s, len);
	if (t->s == NULL) {
		out_of_memory(lx, file, line);
		return;
	}
	t->file = file;
	t->line = line;
	t->bol = bol;
	t->quoted = quoted;
	lx->nb_toks++;
}

/* Cut the comment ('#' or '!' outside quotes) off line. */
static void
strip_comment(char *line)
{
	char q = 0;

	for (; *line != '\0'; line++) {
		if (q != 0 && *line == '\\' && line[1] != '\0')
			line++;
		else if (q != 0 && *line == q)
			q = 0;
		else if (q == 0 && (*line == '"' || *line == '\''))
			q = *line;
		else if (q == 0 && (*line == '#' || *line == '!')) {
			*line = '\0';
			return;
		}
	}
}

/* One backslash escape of a quoted string at *p (after the '\'). */
static char
unescape(const char **p)
{
	char c = *(*p)++;

	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	default: return c;
	}
}

void
kc_tokenize(struct kc_lex *lx, const char *line, const char *file, int lineno)
{
	char *buf = malloc(strlen(line) + 1);
	const char *p = line;
	bool bol = true;

	if (buf == NULL) {
		out_of_memory(lx, file, lineno);
		return;
	}
	while (*p != '\0') {
		size_t n = 0;
		bool quoted = false;

		p += strspn(p, " \t\r\v\f");
		if (*p == '\0')
			break;
		if (*p == '{' || *p == '}') {
			add_tok(lx, p++, 1, file, lineno, bol, false);
			bol = false;
			continue;
		}
		while (*p != '\0' && strchr(" \t\r\v\f{}", *p) == NULL) {
			char q = *p;

			if (q != '"' && q != '\'') {
				buf[n++] = *p++;
				continue;
			}
			quoted = true;
			for (p++; *p != '\0' && *p != q;)
				buf[n++] = *p == '\\' && p[1] != '\0' ? (p++, unescape(&p)) : *p++;
			if (*p == '\0')
				kc_msg(lx->err, false, file, lineno, "unterminated %c quoted string", q);
			else
				p++;
		}
		add_tok(lx, buf, n, file, lineno, bol, quoted);
		bol = false;
	}
	free(buf);
}

static struct kc_var *
find_var(struct kc_lex *lx, const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < lx->nb_vars; i++)
		if (strlen(lx->vars[i].name) == len && strncmp(lx->vars[i].name, name, len) == 0)
			return &lx->vars[i];
	return NULL;
}

/* Length of the parameter name at s: [A-Za-z_][A-Za-z0-9_]*, 0 if none. */
static size_t
var_name_len(const char *s)
{
	size_t n = 0;

	if ((*s < 'A' || *s > 'Z') && (*s < 'a' || *s > 'z') && *s != '_')
		return 0;
	while ((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z') ||
	       (s[n] >= '0' && s[n] <= '9') || s[n] == '_')
		n++;
	return n;
}

/* Define (or redefine) name (len bytes) as value; false when out of memory. */
static bool
set_var(struct kc_lex *lx, const char *name, size_t len, const char *value)
{
	struct kc_var *v = find_var(lx, name, len);
	char *val = strdup(value);

	if (val == NULL)
		return false;
	if (v == NULL) {
		v = realloc(lx->vars, sizeof(*v) * (lx->nb_vars + 1));
		if (v == NULL) {
			free(val);
			return false;
		}
		lx->vars = v;
		v = &lx->vars[lx->nb_vars];
		v->name = strndup(name, len);
		if (v->name == NULL) {
			free(val);
			return false;
		}
		lx->nb_vars++;
	} else {
		free(v->value);
	}
	v->value = val;
	return true;
}

/*
 * Replace every defined $NAME (followed by a blank or the end) and ${NAME}
 * of line, again in what replaced them. Returns a new string, or NULL
 * (reported) when out of memory or when substitution does not end.
 */
static char *
substitute(struct kc_lex *lx, const char *line, const char *file, int lineno)
{
	char *s = strdup(line), *t;
	size_t i = 0, name_len, skip;
	unsigned int count = 0;
	struct kc_var *v;

	while (s != NULL && s[i] != '\0') {
		const char *name = s + i + 1;
		bool braced = *name == '{';

		if (s[i] != '$') {
			i++;
			continue;
		}
		name += braced;
		name_len = var_name_len(name);
		skip = 1 + braced + name_len + braced;
		if (name_len == 0 || (braced && name[name_len] != '}') ||
		    (!braced && strchr(" \t\r\n", name[name_len]) == NULL) ||
		    (v = find_var(lx, name, name_len)) == NULL) {
			i++;
			continue;
		}
		if (++count > MAX_SUBST || strlen(s) + strlen(v->value) > MAX_LINE) {
			kc_msg(lx->err, false, file, lineno, "$%.*s: parameter substitution does "
			       "not end (does a parameter use itself?)", (int)name_len, name);
			free(s);
			return NULL;
		}
		t = malloc(strlen(s) - skip + strlen(v->value) + 1);
		if (t != NULL)
			sprintf(t, "%.*s%s%s", (int)i, s, v->value, s + i + skip);
		free(s);
		s = t;		/* and rescan from i: the value may hold parameters */
	}
	if (s == NULL)
		out_of_memory(lx, file, lineno);
	return s;
}

/*
 * Skip line's "@id " / "@^id " prefix: returns where the line goes on, or
 * NULL when the condition drops the line.
 */
static const char *
conditional(struct kc_lex *lx, const char *line)
{
	const char *id;
	size_t n;
	bool neg, match;

	line += strspn(line, " \t");
	if (*line != '@')
		return line;
	neg = line[1] == '^';
	id = line + 1 + neg;
	n = strcspn(id, " \t");
	match = strlen(lx->config_id) == n && strncmp(id, lx->config_id, n) == 0;
	return match != neg ? id + n : NULL;
}

/* A line past its conditional and definitions: include or words. */
static void
words(struct kc_lex *lx, const char *line, const char *file, int lineno)
{
	size_t n;

	line += strspn(line, " \t\r");
	n = strcspn(line, " \t\r");
	if (n >= 7 && strncmp(line, "include", 7) == 0 &&
	    (n == 7 || (n == 8 && strchr("rmwba", line[7]) != NULL)))
		kc_include(lx, line, file, lineno);
	else
		kc_tokenize(lx, line, file, lineno);
}

/*
 * One logical line (comments already cut): conditional, definition or
 * substitution, then words. A multi-line value brings several lines.
 */
static void
logical_line(struct kc_lex *lx, const char *line, const char *file, int lineno)
{
	char *s, *sub, *next;
	size_t n;

	line = conditional(lx, line);
	if (line == NULL)
		return;
	if (*line == '$' && (n = var_name_len(line + 1)) > 0 && line[1 + n] == '=') {
		s = strdup(line + 2 + n);
		if (s != NULL)
			s[strcspn(s, "\r")] = '\0';
		if (s == NULL || !set_var(lx, line + 1, n, s))
			out_of_memory(lx, file, lineno);
		free(s);
		return;
	}
	s = substitute(lx, line, file, lineno);
	for (sub = s; sub != NULL; sub = next) {
		const char *l;

		next = strchr(sub, '\n');
		if (next != NULL)
			*next++ = '\0';
		l = conditional(lx, sub);	/* "$IF_MAIN=@main", multi-line values */
		if (l != NULL)
			words(lx, l, file, lineno);
	}
	free(s);
}

/* True when line (comment cut) ends with a '\' continuation; removes it. */
static bool
continues(char *line)
{
	size_t n = strlen(line);

	while (n > 0 && strchr(" \t\r", line[n - 1]) != NULL)
		n--;
	if (n == 0 || line[n - 1] != '\\')
		return false;
	line[n - 1] = '\0';
	return true;
}

void
kc_lex_buf(struct kc_lex *lx, const char *text, size_t len, const char *file)
{
	const char *p = text, *end = text + len;
	char *line, *def = NULL, *t;
	int lineno = 0, def_line = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		lineno++;
		line = strndup(p, n);
		p += n + (nl != NULL);
		if (line == NULL) {
			out_of_memory(lx, file, lineno);
			break;
		}
		strip_comment(line);
		if (def != NULL) {	/* within a multi-line $NAME= definition */
			bool more = continues(line);

			t = malloc(strlen(def) + strlen(line) + 2);
			if (t != NULL)
				sprintf(t, "%s%s%s", def, def[strcspn(def, "=") + 1] ? "\n" : "",
					line);
			free(def);
			free(line);
			def = t;
			if (def == NULL)
				out_of_memory(lx, file, lineno);
			if (!more && def != NULL) {
				logical_line(lx, def, file, def_line);
				free(def);
				def = NULL;
			}
			continue;
		}
		t = line + strspn(line, " \t");
		if (*t == '$' && var_name_len(t + 1) > 0 && t[1 + var_name_len(t + 1)] == '=' &&
		    continues(line)) {
			def = line;
			def_line = lineno;
			continue;
		}
		logical_line(lx, line, file, lineno);
		free(line);
	}
	if (def != NULL) {
		logical_line(lx, def, file, def_line);
		free(def);
	}
}

void
kc_lex_free(struct kc_lex *lx)
{
	unsigned int i;
	size_t k;

	for (k = 0; k < lx->nb_toks; k++)
		free(lx->toks[k].s);
	free(lx->toks);
	for (i = 0; i < lx->nb_files; i++)
		free(lx->files[i]);
	free(lx->files);
	for (i = 0; i < lx->nb_vars; i++) {
		free(lx->vars[i].name);
		free(lx->vars[i].value);
	}
	free(lx->vars);
	memset(lx, 0, sizeof(*lx));
}
