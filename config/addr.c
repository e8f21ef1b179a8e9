/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 address text <-> host-order integer, strict: what an operator wrote
 * either means exactly one address or is rejected (no octal, no shorthand
 * like "10.1", no trailing junk).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

/*
 * Read a decimal number of at most max_digits digits at *s, without a
 * leading zero (except "0" itself), and advance *s past it.
 * Returns the value, or -1 when there is no such number.
 */
static long
parse_decimal(const char **s, int max_digits)
{
	const char *p = *s;
	long v = 0;
	int n = 0;

	while (*p >= '0' && *p <= '9') {
		if (++n > max_digits)
			return -1;
		v = v * 10 + (*p - '0');
		p++;
	}
	if (n == 0 || (n > 1 && **s == '0'))
		return -1;
	*s = p;
	return v;
}

/*
 * Parse "a.b.c.d" or "a.b.c.d/len" into a host-order address and prefix
 * length. "/len" must be present when prefix_required is true; when it is
 * absent *prefix_len is 32. Returns 0, or -EINVAL for anything else.
 * Thread-safe.
 */
int
lb_parse_ipv4_prefix(const char *s, uint32_t *addr, uint8_t *prefix_len,
		     bool prefix_required)
{
	uint32_t a = 0;
	long v;
	int i;

	if (s == NULL)
		return -EINVAL;
	for (i = 0; i < 4; i++) {
		if (i > 0 && *s++ != '.')
			return -EINVAL;
		v = parse_decimal(&s, 3);
		if (v < 0 || v > 255)
			return -EINVAL;
		a = (a << 8) | (uint32_t)v;
	}
	if (*s == '\0') {
		if (prefix_required)
			return -EINVAL;
		v = 32;
	} else {
		if (*s++ != '/')
			return -EINVAL;
		v = parse_decimal(&s, 2);
		if (v < 0 || v > 32 || *s != '\0')
			return -EINVAL;
	}
	*addr = a;
	*prefix_len = (uint8_t)v;
	return 0;
}

/*
 * Write the host-order address as a dotted quad into buf (at least 16
 * bytes for the whole text) and return buf. Thread-safe.
 */
char *
lb_ipv4_str(uint32_t addr, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff,
		 (addr >> 8) & 0xff, addr & 0xff);
	return buf;
}

uint32_t
lb_ipv4_mask(uint8_t prefix_len)
{
	return prefix_len == 0 ? 0 : 0xffffffffu << (32 - (prefix_len > 32 ? 32 : prefix_len));
}

bool
lb_ipv4_in_prefix(uint32_t addr, const struct lb_cfg_addr *a)
{
	uint32_t mask = lb_ipv4_mask(a->prefix_len);

	return (addr & mask) == (a->addr & mask);
}

int
lb_parse_ipv4_endpoint(const char *s, uint32_t *addr, uint16_t *port, bool port_optional)
{
	char buf[32], *colon, *end;
	uint8_t len;
	long p;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	colon = strchr(buf, ':');
	if (colon == NULL) {
		if (!port_optional)
			return -EINVAL;
		*port = 0;
	} else {
		*colon = '\0';
		p = strtol(colon + 1, &end, 10);
		if (*end != '\0' || colon[1] == '\0' || p < 1 || p > 65535)
			return -EINVAL;
		*port = (uint16_t)p;
	}
	return lb_parse_ipv4_prefix(buf, addr, &len, false) == 0 && *addr != 0 ? 0 : -EINVAL;
}
