/* SPDX-License-Identifier: BSD-3-Clause */
/* HTTP request heads of the metrics listener: complete?, and which answer. Pure. */
#include <stdbool.h>
#include <string.h>

#include <rte_common.h>

#include "app/metrics.h"

/* The request line "METHOD SP PATH SP HTTP/1.x" of a complete head. */
static int
route_line(const char *line, size_t len, enum lb_metrics_page *page, bool *head)
{
	const char *sp1 = memchr(line, ' ', len), *sp2, *path, *q;
	size_t mlen, plen, vlen;

	if (sp1 == NULL)
		return 400;
	mlen = (size_t)(sp1 - line);
	path = sp1 + 1;
	sp2 = memchr(path, ' ', len - mlen - 1);
	if (sp2 == NULL || sp2 == path || *path != '/')
		return 400;
	plen = (size_t)(sp2 - path);
	vlen = len - (size_t)(sp2 + 1 - line);
	if (memchr(sp2 + 1, ' ', vlen) != NULL)
		return 400;	/* a fourth word */
	if (vlen != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0)
		return vlen >= 5 && memcmp(sp2 + 1, "HTTP/", 5) == 0 ? 505 : 400;
	if (sp2[8] != '0' && sp2[8] != '1')
		return 505;
	*head = mlen == 4 && memcmp(line, "HEAD", 4) == 0;
	if (!*head && !(mlen == 3 && memcmp(line, "GET", 3) == 0))
		return 405;
	q = memchr(path, '?', plen);	/* a query string is ignored */
	if (q != NULL)
		plen = (size_t)(q - path);
	if (plen == 8 && memcmp(path, "/metrics", 8) == 0)
		*page = LB_METRICS_PAGE_METRICS;
	else if (plen == 1)
		*page = LB_METRICS_PAGE_INDEX;
	else
		return 404;
	return 200;
}

int
lb_metrics_route(const char *buf, size_t len, enum lb_metrics_page *page, bool *head)
{
	const char *end = NULL, *eol;
	size_t i;

	*page = LB_METRICS_PAGE_NONE;
	*head = false;
	for (i = 0; i + 3 < len; i++)
		if (memcmp(buf + i, "\r\n\r\n", 4) == 0) {
			end = buf + i;
			break;
		}
	if (end == NULL) {
		/* a bare-LF client (nc) ends its head with "\n\n" */
		for (i = 0; i + 1 < len; i++)
			if (buf[i] == '\n' && buf[i + 1] == '\n') {
				end = buf + i;
				break;
			}
	}
	if (end == NULL)
		return 0;
	for (i = 0; buf + i < end; i++)	/* no NUL or other control bytes in the head */
		if ((unsigned char)buf[i] < 0x20 && buf[i] != '\r' && buf[i] != '\n' && buf[i] != '\t')
			return 400;
	/* end is the CR LF CR LF (or LF LF) after the last line: its first LF ends it */
	eol = memchr(buf, '\n', RTE_MIN(len, (size_t)(end - buf) + 2));
	if (eol == NULL || eol == buf)
		return 400;
	return route_line(buf, (size_t)(eol - buf) - (eol[-1] == '\r'), page, head);
}
