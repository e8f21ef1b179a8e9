/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Values of keepalived.conf statements: counts, integers, seconds with
 * decimals (keepalived's <TIMER>), addresses, <BOOL>. Each reader reports
 * what is wrong as FILE:LINE: 'keyword' ... and returns false.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/keepalived.h"

bool
kc_nargs(struct kc_ctx *ctx, const struct kc_node *n, unsigned int min, unsigned int max)
{
	unsigned int got = n->argc - 1;

	if (got >= min && got <= max)
		return true;
	if (min == max && got < min)
		kc_err(ctx, n, "'%s' needs %u value%s", n->argv[0], min, min == 1 ? "" : "s");
	else if (got < min)
		kc_err(ctx, n, "'%s' needs at least %u values", n->argv[0], min);
	else if (max == 0)
		kc_err(ctx, n, "'%s' takes no value (got '%s')", n->argv[0], n->argv[1]);
	else
		kc_err(ctx, n, "'%s' takes at most %u value%s (got %u)", n->argv[0], max,
		       max == 1 ? "" : "s", got);
	return false;
}

bool
kc_uint_at(struct kc_ctx *ctx, const struct kc_node *n, unsigned int i, const char *what,
	   long long min, long long max, unsigned int *out)
{
	const char *s = n->argv[i];
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || strchr(" \t+", *s) != NULL || errno != 0) {
		kc_err(ctx, n, "'%s' must be an integer (got '%s')", what, s);
		return false;
	}
	if (v < min || v > max) {
		kc_err(ctx, n, "'%s' must be %lld..%lld (got %lld)", what, min, max, v);
		return false;
	}
	*out = (unsigned int)v;
	return true;
}

bool
kc_uint(struct kc_ctx *ctx, const struct kc_node *n, long long min, long long max,
	unsigned int *out)
{
	return !kc_block_wrong(ctx, n, false) && kc_nargs(ctx, n, 1, 1) &&
	       kc_uint_at(ctx, n, 1, n->argv[0], min, max, out);
}

bool
kc_parse_secs(const char *s, double *secs)
{
	size_t d = strspn(s, "0123456789"), f = 0;

	if (s[d] == '.')
		f = strspn(s + d + 1, "0123456789");
	if (d + f == 0 || d > 9 || s[d + (s[d] == '.') + f] != '\0')
		return false;
	*secs = strtod(s, NULL);
	return true;
}

bool
kc_ms(struct kc_ctx *ctx, const struct kc_node *n, uint32_t min_ms, uint32_t max_ms,
      uint32_t *out)
{
	double v;

	if (kc_block_wrong(ctx, n, false) || !kc_nargs(ctx, n, 1, 1))
		return false;
	if (!kc_parse_secs(n->argv[1], &v)) {
		kc_err(ctx, n, "'%s' must be a number of seconds like 3 or 0.5 (got '%s')",
		       n->argv[0], n->argv[1]);
		return false;
	}
	if (!(v * 1000.0 >= (double)min_ms && v * 1000.0 <= (double)max_ms)) {
		kc_err(ctx, n, "'%s' must be %g..%g seconds (got %s)", n->argv[0],
		       min_ms / 1000.0, max_ms / 1000.0, n->argv[1]);
		return false;
	}
	*out = (uint32_t)(v * 1000.0 + 0.5);
	return true;
}

bool
kc_addr_at(struct kc_ctx *ctx, const struct kc_node *n, unsigned int i, uint32_t *out)
{
	uint8_t plen;

	if (strchr(n->argv[i], '/') == NULL &&
	    lb_parse_ipv4_prefix(n->argv[i], out, &plen, false) == 0 && *out != 0)
		return true;
	kc_err(ctx, n, "'%s': '%s' is not an IPv4 address%s", n->argv[0], n->argv[i],
	       strchr(n->argv[i], ':') != NULL ? " (dplb has no IPv6 yet)" : "");
	return false;
}

bool
kc_bool(struct kc_ctx *ctx, const struct kc_node *n, bool *out)
{
	static const char *const yes[] = { "on", "true", "yes" }, *const no[] = { "off",
		"false", "no" };
	unsigned int i;

	if (kc_block_wrong(ctx, n, false) || !kc_nargs(ctx, n, 0, 1))
		return false;
	for (i = 0; i < 3; i++) {
		if (n->argc == 1 || strcasecmp(n->argv[1], yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(n->argv[1], no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	kc_err(ctx, n, "'%s' takes on, off, true, false, yes or no (got '%s')", n->argv[0],
	       n->argv[1]);
	return false;
}

bool
kc_block_wrong(struct kc_ctx *ctx, const struct kc_node *n, bool want_block)
{
	if (n->block == want_block)
		return false;
	if (want_block)
		kc_err(ctx, n, "'%s' needs a { block }", n->argv[0]);
	else
		kc_err(ctx, n, "'%s' takes no { block }", n->argv[0]);
	return true;
}

void
kc_unknown(struct kc_ctx *ctx, const struct kc_node *n, const char *what)
{
	kc_err(ctx, n, "unknown keyword '%s' in %s", n->argv[0], what);
}

bool
kc_script(struct kc_ctx *ctx, const struct kc_node *n, char *buf)
{
	size_t used = 0;
	unsigned int i;
	int w;

	if (kc_block_wrong(ctx, n, false) || !kc_nargs(ctx, n, 1, 64))
		return false;
	buf[0] = '\0';
	for (i = 1; i < n->argc; i++) {
		w = snprintf(buf + used, LB_CHECK_PATH_LEN - used, "%s%s", i > 1 ? " " : "",
			     n->argv[i]);
		if (w < 0 || (size_t)w >= LB_CHECK_PATH_LEN - used) {
			kc_err(ctx, n, "'%s' is too long (max %d characters)", n->argv[0],
			       LB_CHECK_PATH_LEN - 1);
			buf[0] = '\0';
			return false;
		}
		used += (size_t)w;
	}
	return true;
}
