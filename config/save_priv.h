/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CONFIG_SAVE_PRIV_H
#define LB_CONFIG_SAVE_PRIV_H

/*
 * Private to config/save*.c: a scanner of libconfig text that finds
 * settings and list elements by byte offsets (comments and strings are
 * skipped, never changed), and a list of text edits applied in one pass.
 * Offsets are into the original text. Pure; not thread-safe per object.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config/config.h"

struct lb_ct {
	const char *s;
	size_t len;
};

/* One `name = value;` of a group (or of the file): offsets in the text. */
struct lb_ct_member {
	size_t name;			/* first character of the name */
	size_t value, value_end;	/* the value: [value, value_end) */
	size_t end;			/* after its ';' or ',' (value_end without one) */
	bool terminated;
};

#define LB_CT_MAX_ELEMS (LB_MAX_RS > LB_MAX_SERVICES ? LB_MAX_RS : LB_MAX_SERVICES)

/* The elements of a list value `( ... )`. */
struct lb_ct_list {
	size_t open, close;		/* offsets of '(' and ')' */
	size_t start[LB_CT_MAX_ELEMS], end[LB_CT_MAX_ELEMS];	/* [start, end) of each */
	size_t comma[LB_CT_MAX_ELEMS];	/* the ',' after it, or (size_t)-1 */
	unsigned int n;
};

/* First offset at or after p that is not white space or a comment. */
size_t lb_ct_skip(const struct lb_ct *t, size_t p);

/* End of the value starting at p (a string, a bracketed value or a scalar). */
size_t lb_ct_value_end(const struct lb_ct *t, size_t p);

/*
 * Find key among the settings of the group whose body starts at b (after
 * its '{', or 0 for the file) into *m. Returns 1 when found, 0 when not,
 * -EINVAL when the text there is not plain settings (an @include).
 */
int lb_ct_member(const struct lb_ct *t, size_t b, const char *key, struct lb_ct_member *m);

/* The last setting of that group before the first whose value is a list or a group. */
int lb_ct_last_scalar(const struct lb_ct *t, size_t b, struct lb_ct_member *m);

/* The elements of the list whose '(' is at open into *l. 0 or -EINVAL / -E2BIG. */
int lb_ct_list(const struct lb_ct *t, size_t open, struct lb_ct_list *l);

/* 1-based line of offset p. */
int lb_ct_line(const struct lb_ct *t, size_t p);

/* Start of the line holding p; the offset after its '\n' (or the text's end). */
size_t lb_ct_bol(const struct lb_ct *t, size_t p);
size_t lb_ct_eol(const struct lb_ct *t, size_t p);

/* True when from p to the end of its line there is only white space or a comment. */
bool lb_ct_rest_blank(const struct lb_ct *t, size_t p);

/* The white space that starts the line of p, into buf (len bytes). */
void lb_ct_indent(const struct lb_ct *t, size_t p, char *buf, size_t len);

/* Edits of the text: each replaces [start, end) (empty: an insertion). */
struct lb_ct_edit {
	size_t start, end;
	char *text;			/* owned */
	unsigned int seq;		/* insertion order, for ties */
};

struct lb_ct_edits {
	struct lb_ct_edit *e;
	unsigned int n, cap;
	int err;			/* first -ENOMEM */
};

/* Add an edit; text is formatted and copied. Errors stay in ed->err. */
void __attribute__((format(printf, 4, 5)))
lb_ct_edit(struct lb_ct_edits *ed, size_t start, size_t end, const char *fmt, ...);

/*
 * The text with every edit applied, in a new string (*out, caller frees).
 * Returns 0, -ENOMEM, or -EINVAL when two edits overlap.
 */
int lb_ct_apply(const struct lb_ct *t, struct lb_ct_edits *ed, char **out);

/* Release the edits. */
void lb_ct_edits_free(struct lb_ct_edits *ed);

/*
 * Remove the elements of l marked in del: whole lines when an element is
 * alone on its lines, its comma with it; keep_last_comma: the last kept
 * element keeps its comma (something is appended after it).
 */
void lb_ct_delete_elems(const struct lb_ct *t, const struct lb_ct_list *l, const bool *del,
			bool keep_last_comma, struct lb_ct_edits *ed);

/*
 * Append the n texts (elements, without commas) to list l, after its last
 * element not in del: on new lines when that element ends its line, inline
 * otherwise; into an empty list, one indent step in from its '('.
 */
void lb_ct_append_elems(const struct lb_ct *t, const struct lb_ct_list *l, const bool *del,
			char *const *texts, unsigned int n, struct lb_ct_edits *ed);

/*
 * Set key = value in the group whose body starts at b: the value is
 * replaced when the setting is there, else a setting is added after the
 * group's last setting that comes before any list or group (on a line
 * of its own when that one ends its line).
 */
void lb_ct_set(const struct lb_ct *t, size_t b, const char *key, const char *value,
	       struct lb_ct_edits *ed);

/*
 * Whether the config the edited text loads to (got) is the one asked for
 * (want: services, real servers, connection timeouts, VRRP priorities)
 * with everything else as the file had it (orig). Pure. false with the
 * first difference named in why.
 */
bool lb_cfg_save_verify(const struct lb_config *orig, const struct lb_config *want,
			const struct lb_config *got, char *why, size_t len);

#endif
