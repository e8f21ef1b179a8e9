/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * keepalived.conf files: the top file, read whole (regular files of up to
 * 16 MiB), and "include GLOB" lines (and keepalived's includer/m/w/b/a
 * variants): the pattern relative to the including file's directory, brace
 * expressions allowed, files in glob order, nested up to 16 deep. A plain
 * include that matches nothing is a warning, as keepalived goes on.
 */
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/keepalived.h"

#define MAX_INCLUDE_DEPTH 16
#define MAX_FILE (16u << 20)	/* bytes of one file */

/* Keep a copy of name for the words that point at it; NULL when out of memory. */
static const char *
add_file(struct kc_lex *lx, const char *name)
{
	char **f = realloc(lx->files, sizeof(*f) * (lx->nb_files + 1));

	if (f == NULL)
		return NULL;
	lx->files = f;
	f[lx->nb_files] = strdup(name);
	return f[lx->nb_files] != NULL ? f[lx->nb_files++] : NULL;
}

/*
 * Read all of f, a regular file of at most MAX_FILE bytes, into *out
 * (NUL-terminated, *len bytes); 0 or errno.
 */
static int
slurp(FILE *f, char **out, size_t *len)
{
	size_t cap = 4096, n = 0, r;
	struct stat st;
	char *buf, *t;

	if (fstat(fileno(f), &st) != 0)
		return errno;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if (!S_ISREG(st.st_mode))
		return EINVAL;
	if (st.st_size > (off_t)MAX_FILE)
		return EFBIG;
	buf = malloc(cap);
	while (buf != NULL && n < MAX_FILE && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (cap - n - 1 == 0) {
			t = realloc(buf, cap * 2);
			if (t == NULL)
				free(buf);
			buf = t;
			cap *= 2;
		}
	}
	if (buf == NULL)
		return ENOMEM;
	if (ferror(f)) {
		free(buf);
		return errno ? errno : EIO;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/* What errno e of lex_path() means. */
static const char *
read_error(int e)
{
	if (e == EINVAL)
		return "not a regular file";
	if (e == EFBIG)
		return "larger than 16 MiB";
	return strerror(e);
}

/* Read the file at path; 0 or a positive errno (not reported). */
static int
lex_path(struct kc_lex *lx, const char *path)
{
	const char *name;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int e;

	f = fopen(path, "r");
	if (f == NULL)
		return errno;
	errno = 0;
	e = slurp(f, &text, &len);
	fclose(f);
	if (e != 0)
		return e;
	name = add_file(lx, path);
	if (name == NULL) {
		free(text);
		return ENOMEM;
	}
	lx->depth++;
	kc_lex_buf(lx, text, len, name);
	lx->depth--;
	free(text);
	return 0;
}

void
kc_include(struct kc_lex *lx, const char *line, const char *file, int lineno)
{
	size_t first = lx->nb_toks, dir_len;
	char *kw = NULL, *arg = NULL, *pattern = NULL;
	const char *slash;
	bool strict;
	glob_t g;
	size_t i;
	int rc, e;

	kc_tokenize(lx, line, file, lineno);
	if (lx->nb_toks - first == 2) {		/* take the words out of the stream */
		kw = lx->toks[first].s;
		arg = lx->toks[first + 1].s;
		lx->nb_toks = first;
	}
	while (lx->nb_toks > first)
		free(lx->toks[--lx->nb_toks].s);
	if (kw == NULL) {
		kc_msg(lx->err, false, file, lineno, "include needs one file name or pattern");
		return;
	}
	strict = strcmp(kw, "include") != 0 && strcmp(kw, "includer") != 0;
	if (lx->depth >= MAX_INCLUDE_DEPTH) {
		kc_msg(lx->err, false, file, lineno, "%s '%s': includes nest deeper than %d "
		       "(does a file include itself?)", kw, arg, MAX_INCLUDE_DEPTH);
		goto out;
	}
	slash = strrchr(file, '/');
	dir_len = arg[0] == '/' || slash == NULL ? 0 : (size_t)(slash - file + 1);
	pattern = malloc(dir_len + strlen(arg) + 1);
	if (pattern == NULL) {
		kc_msg(lx->err, false, file, lineno, "out of memory");
		goto out;
	}
	sprintf(pattern, "%.*s%s", (int)dir_len, file, arg);
	rc = glob(pattern, GLOB_BRACE, NULL, &g);
	if (rc == GLOB_NOMATCH)
		kc_msg(lx->err, !strict, file, lineno, "%s '%s': no file matches %s%s", kw, arg,
		       pattern, strict ? "" : " (keepalived goes on without it too)");
	else if (rc != 0)
		kc_msg(lx->err, false, file, lineno, "%s '%s': cannot read the directory",
		       kw, pattern);
	for (i = 0; rc == 0 && i < g.gl_pathc; i++) {
		e = lex_path(lx, g.gl_pathv[i]);
		if (e != 0)
			kc_msg(lx->err, false, file, lineno, "%s '%s': cannot read: %s", kw,
			       g.gl_pathv[i], read_error(e));
	}
	if (rc == 0)
		globfree(&g);
out:
	free(pattern);
	free(kw);
	free(arg);
}

int
kc_lex_file(struct kc_lex *lx, const char *path)
{
	int e = lex_path(lx, path);

	if (e == 0)
		return 0;
	lx->err->count++;
	if (lx->err->out != NULL)
		fprintf(lx->err->out, "%s: cannot read: %s\n", path, read_error(e));
	return e == ENOENT ? -ENOENT : -EIO;
}

void
kc_lex_text(struct kc_lex *lx, const char *name, const char *text)
{
	const char *file = add_file(lx, name);

	if (file == NULL)
		kc_msg(lx->err, false, name, 0, "out of memory");
	else
		kc_lex_buf(lx, text, strlen(text), file);
}

