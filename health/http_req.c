/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * HTTP_GET request builder and status-code sets, as keepalived's
 * check_http.c builds and checks them (request_template, status_code_handler,
 * HTTP_DEFAULT_STATUS_CODE_MIN/MAX). Pure functions; any lcore.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health/http.h"

static void
codes_set(struct lb_health_http_codes *c, int code)
{
	unsigned int bit = (unsigned int)(code - LB_HEALTH_HTTP_STATUS_MIN);

	c->bits[bit / 64] |= 1ull << (bit % 64);
}

void
lb_health_http_codes_default(struct lb_health_http_codes *c)
{
	int code;

	memset(c, 0, sizeof(*c));
	for (code = 200; code <= 299; code++)
		codes_set(c, code);
}

int
lb_health_http_codes_parse(struct lb_health_http_codes *c, const char *spec)
{
	const char *p = spec;
	char *end;
	long lo, hi, code;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return 0;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		lo = strtol(p, &end, 10);
		hi = lo;
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				return -EINVAL;
			hi = strtol(end + 1, &end, 10);
		}
		if ((*end != '\0' && *end != ' ' && *end != '\t') ||
		    lo < LB_HEALTH_HTTP_STATUS_MIN || hi > LB_HEALTH_HTTP_STATUS_MAX || lo > hi)
			return -EINVAL;
		for (code = lo; code <= hi; code++)
			codes_set(c, (int)code);
		p = end;
	}
}

bool
lb_health_http_codes_match(const struct lb_health_http_codes *c, int status)
{
	unsigned int bit;

	if (status < LB_HEALTH_HTTP_STATUS_MIN || status > LB_HEALTH_HTTP_STATUS_MAX)
		return false;
	bit = (unsigned int)(status - LB_HEALTH_HTTP_STATUS_MIN);
	return (c->bits[bit / 64] >> (bit % 64)) & 1;
}

int
lb_health_http_request(char *buf, size_t size, enum lb_health_http_proto proto,
		       const char *path, const char *vhost, const char *addr,
		       bool addr_is_v6, uint16_t port)
{
	char host[300];
	int n;

	if (path == NULL || path[0] == '\0' || strpbrk(path, " \r\n") != NULL)
		return -EINVAL;
	if (vhost != NULL)
		n = snprintf(host, sizeof(host), "%s", vhost);
	else if (addr != NULL)
		n = snprintf(host, sizeof(host), addr_is_v6 ? "[%s]:%u" : "%s:%u",
			     addr, (unsigned int)port);
	else
		return -EINVAL;
	if (n < 0 || (size_t)n >= sizeof(host) || strpbrk(host, "\r\n") != NULL)
		return -EINVAL;
	n = snprintf(buf, size,
		     "GET %s HTTP/1.%d\r\n"
		     "User-Agent: KeepAliveClient\r\n"
		     "%s"
		     "Host: %s\r\n\r\n",
		     path, proto == LB_HEALTH_HTTP_1_1 ? 1 : 0,
		     proto == LB_HEALTH_HTTP_1_0 ? "" : "Connection: close\r\n", host);
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
}
