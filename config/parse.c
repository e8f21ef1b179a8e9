/* SPDX-License-Identifier: BSD-3-Clause */
/* Value readers of the native parser: each problem reported as FILE:LINE. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/parse.h"

/* Print "FILE:LINE: message" for setting s and count it. */
void __attribute__((format(printf, 3, 4)))
lb_cfg_report(struct parse_ctx *ctx, const config_setting_t *s,
       const char *fmt, ...)
{
	const char *file = NULL;
	va_list ap;
	int line = 0;

	/* Array elements and the root may carry no line: use the parent's. */
	for (; s != NULL && line == 0; s = config_setting_parent(s)) {
		line = config_setting_source_line(s);
		file = config_setting_source_file(s);
	}
	ctx->err->count++;
	if (ctx->err->out == NULL)
		return;
	fprintf(ctx->err->out, "%s:%d: ", file ? file : ctx->name, line);
	va_start(ap, fmt);
	vfprintf(ctx->err->out, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err->out);
}

/* Report each member of grp (named where, NULL: top level) not in keys. */
void
lb_cfg_check_keys(struct parse_ctx *ctx, const config_setting_t *grp,
	   const char *where, const char *const keys[])
{
	char expected[256];
	size_t used;
	int i, k;

	for (i = 0; i < config_setting_length(grp); i++) {
		config_setting_t *s = config_setting_get_elem(grp, i);
		const char *name = config_setting_name(s);

		for (k = 0; keys[k] != NULL; k++)
			if (strcmp(keys[k], name) == 0)
				break;
		if (keys[k] != NULL)
			continue;
		expected[0] = '\0';
		for (k = 0, used = 0; keys[k] != NULL && used < sizeof(expected); k++)
			used += snprintf(expected + used, sizeof(expected) - used,
					 "%s%s", k ? ", " : "", keys[k]);
		lb_cfg_report(ctx, s, "unknown setting '%s' %s%s (expected: %s)",
		       name, where ? "in " : "at top level", where ? where : "",
		       expected);
	}
}

/* The optional group parent.key, or NULL (reported when not a group). */
config_setting_t *
lb_cfg_get_group(struct parse_ctx *ctx, const config_setting_t *parent,
	  const char *key)
{
	config_setting_t *s = config_setting_get_member(parent, key);

	if (s != NULL && !config_setting_is_group(s)) {
		lb_cfg_report(ctx, s, "%s must be a group { ... }", key);
		return NULL;
	}
	return s;
}

/* "." between where and a key, unless where is empty or ends with one. */
static const char *
dot(const char *where)
{
	size_t n = strlen(where);

	return n == 0 || where[n - 1] == '.' ? "" : ".";
}

/*
 * Read the optional integer grp.key into *out when it is within min..max.
 * Returns true when the setting is present and valid.
 */
bool
lb_cfg_get_uint(struct parse_ctx *ctx, const config_setting_t *grp,
	 const char *where, const char *key, long long min, long long max,
	 unsigned int *out)
{
	config_setting_t *s = config_setting_get_member(grp, key);
	long long v;

	if (s == NULL)
		return false;
	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64) {
		lb_cfg_report(ctx, s, "%s%s%s must be an integer", where, dot(where), key);
		return false;
	}
	v = config_setting_get_int64(s);
	if (v < min || v > max) {
		lb_cfg_report(ctx, s, "%s%s%s must be %lld..%lld (got %lld)",
		       where, dot(where), key, min, max, v);
		return false;
	}
	*out = (unsigned int)v;
	return true;
}

/*
 * Copy the optional string grp.key into buf (len bytes). Returns buf, or
 * NULL when absent or invalid (reported).
 */
const char *
lb_cfg_get_string(struct parse_ctx *ctx, const config_setting_t *grp,
	   const char *where, const char *key, char *buf, size_t len)
{
	config_setting_t *s = config_setting_get_member(grp, key);
	const char *v;

	if (s == NULL)
		return NULL;
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		lb_cfg_report(ctx, s, "%s%s%s must be a string", where, dot(where), key);
		return NULL;
	}
	v = config_setting_get_string(s);
	if (strlen(v) >= len) {
		lb_cfg_report(ctx, s, "%s%s%s is too long (max %zu characters)",
		       where, dot(where), key, len - 1);
		return NULL;
	}
	memcpy(buf, v, strlen(v) + 1);
	return buf;
}

/*
 * Read the optional boolean grp.key into *out. Returns true when present
 * and valid (true/false); anything else is reported.
 */
bool
lb_cfg_get_bool(struct parse_ctx *ctx, const config_setting_t *grp,
		const char *where, const char *key, bool *out)
{
	config_setting_t *s = config_setting_get_member(grp, key);

	if (s == NULL)
		return false;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		lb_cfg_report(ctx, s, "%s%s%s must be true or false", where, dot(where), key);
		return false;
	}
	*out = config_setting_get_bool(s) != 0;
	return true;
}

bool
lb_cfg_seconds(struct parse_ctx *ctx, const config_setting_t *s, const char *where,
	       const char *key, double *out)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		*out = (double)config_setting_get_int64(s);
		return true;
	case CONFIG_TYPE_FLOAT:
		*out = config_setting_get_float(s);
		return true;
	default:
		lb_cfg_report(ctx, s, "%s%s%s must be a number of seconds", where, dot(where),
			      key);
		return false;
	}
}

/*
 * Read the optional duration grp.key, in seconds (an integer or a decimal
 * like 0.5, as keepalived's timers), into *out_ms when within
 * min_ms..max_ms. Returns true when present and valid.
 */
bool
lb_cfg_get_ms(struct parse_ctx *ctx, const config_setting_t *grp,
	      const char *where, const char *key, uint32_t min_ms, uint32_t max_ms,
	      uint32_t *out_ms)
{
	config_setting_t *s = config_setting_get_member(grp, key);
	double v;

	if (s == NULL || !lb_cfg_seconds(ctx, s, where, key, &v))
		return false;
	if (!(v * 1000.0 >= (double)min_ms && v * 1000.0 <= (double)max_ms)) {
		lb_cfg_report(ctx, s, "%s%s%s must be %g..%g seconds (got %g)", where,
			      dot(where), key, min_ms / 1000.0, max_ms / 1000.0, v);
		return false;
	}
	*out_ms = (uint32_t)(v * 1000.0 + 0.5);
	return true;
}

/* True when s only holds A-Z a-z 0-9 . _ - (names, TAP names, prefixes). */
bool
lb_cfg_is_ident(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._-", *s) != NULL))
			return false;
	return true;
}

/* rx_desc / tx_desc: 64..16384 and a power of two. */

int
lb_cfg_each_group(struct parse_ctx *ctx, const config_setting_t *root, const char *key,
		  int max, void (*item)(struct parse_ctx *ctx, const config_setting_t *grp,
					unsigned int idx))
{
	config_setting_t *list = config_setting_get_member(root, key);
	int i, n;

	if (list == NULL)
		return 0;
	n = config_setting_length(list);
	if (!config_setting_is_list(list) && !(config_setting_is_array(list) && n == 0)) {
		lb_cfg_report(ctx, list, "%s must be a list ( { ... }, ... )", key);
		return 0;
	}
	if (n > max) {
		lb_cfg_report(ctx, list, "too many %s: %d (max %d)", key, n, max);
		n = max;
	}
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(list, i);

		if (!config_setting_is_group(e)) {
			lb_cfg_report(ctx, e, "%s[%d] must be a group { ... }", key, i);
			continue;
		}
		item(ctx, e, (unsigned int)i);
	}
	return n;
}
