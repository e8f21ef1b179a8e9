/* SPDX-License-Identifier: BSD-3-Clause */
/* The Prometheus metrics listener: bounded non-blocking HTTP on the control lcore. */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_log.h>

#include "app/listen.h"
#include "app/metrics.h"
#include "app/metrics_fmt.h"
#include "app/obs.h"

RTE_LOG_REGISTER_SUFFIX(lb_metrics_logtype, metrics, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_metrics_logtype, "dplb: metrics: " fmt "\n", ##__VA_ARGS__)

#ifndef DPLB_VERSION
#define DPLB_VERSION "unknown"
#endif

struct msession {
	int fd;
	uint64_t deadline_tsc;
	size_t in_len;
	char in[LB_METRICS_MAX_REQ];
	char *out;			/* response, malloc'd; NULL while reading */
	size_t out_len, out_off;
};

static int listen_fd = -1;
static struct msession sessions[LB_METRICS_MAX_SESSIONS];

int
lb_metrics_init(const struct lb_config *cfg)
{
	int i, rc;

	for (i = 0; i < LB_METRICS_MAX_SESSIONS; i++)
		sessions[i].fd = -1;
	if (!cfg->metrics.on)
		return 0;
	rc = lb_tcp_listen(cfg->metrics.listen_addr, cfg->metrics.listen_port);
	if (rc < 0) {
		LOG(ERR, "cannot listen on %s:%u: %s (port taken? set metrics.listen)",
		    cfg->metrics.listen_addr, cfg->metrics.listen_port, strerror(-rc));
		return rc;
	}
	listen_fd = rc;
	LOG(NOTICE, "Prometheus metrics on http://%s:%u/metrics", cfg->metrics.listen_addr,
	    cfg->metrics.listen_port);
	return 0;
}

static void
session_close(struct msession *s)
{
	close(s->fd);
	free(s->out);
	s->fd = -1;
	s->out = NULL;
	s->in_len = s->out_len = s->out_off = 0;
}

/* A response: status line, headers, body (omitted for HEAD). */
static void
respond(struct msession *s, int status, const char *ctype, const char *body, size_t blen,
	bool head)
{
	static const struct { int code; const char *text; } reasons[] = {
		{ 200, "OK" }, { 400, "Bad Request" }, { 404, "Not Found" },
		{ 405, "Method Not Allowed" }, { 431, "Request Header Fields Too Large" },
		{ 500, "Internal Server Error" }, { 503, "Service Unavailable" },
		{ 505, "HTTP Version Not Supported" },
	};
	const char *reason = "Error";
	char hdr[256];
	unsigned int i;
	int n;

	for (i = 0; i < RTE_DIM(reasons); i++)
		if (reasons[i].code == status)
			reason = reasons[i].text;
	n = snprintf(hdr, sizeof(hdr), "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
		     "Content-Length: %zu\r\n%sConnection: close\r\n\r\n", status, reason, ctype,
		     blen, status == 405 ? "Allow: GET, HEAD\r\n" : "");
	free(s->out);
	s->out_len = (size_t)n + (head ? 0 : blen);
	s->out_off = 0;
	s->out = malloc(s->out_len);
	if (s->out == NULL) {
		s->out_len = 0;
		return;
	}
	memcpy(s->out, hdr, (size_t)n);
	if (!head)
		memcpy(s->out + n, body, blen);
}

static void
respond_text(struct msession *s, int status, const char *text, bool head)
{
	respond(s, status, "text/plain; charset=utf-8", text, strlen(text), head);
}

/* The exposition of a snapshot refreshed now (this is the control lcore). */
static void
respond_metrics(struct msession *s, bool head)
{
	const struct lb_obs *o;
	char *page = NULL;
	size_t len = 0;
	FILE *out;
	int rc;

	if (lb_obs_refresh() == -ENOMEM || (o = lb_obs_current()) == NULL) {
		respond_text(s, 503, "no snapshot (out of memory)\n", head);
		return;
	}
	out = open_memstream(&page, &len);
	if (out == NULL) {
		respond_text(s, 500, "out of memory\n", head);
		return;
	}
	rc = lb_metrics_render(o, DPLB_VERSION, out);
	if (fclose(out) != 0 || rc != 0)
		respond_text(s, 500, "cannot render the metrics\n", head);
	else if (len > LB_METRICS_MAX_PAGE)
		respond_text(s, 503, "the exposition is larger than 64 MB\n", head);
	else
		respond(s, 200, "text/plain; version=0.0.4; charset=utf-8", page, len, head);
	free(page);
}

static void
session_request(struct msession *s)
{
	enum lb_metrics_page page;
	bool head;
	int st = lb_metrics_route(s->in, s->in_len, &page, &head);

	if (st == 0) {
		if (s->in_len == sizeof(s->in))
			respond_text(s, 431, "request head larger than 2048 bytes\n", false);
		return;
	}
	if (st == 200 && page == LB_METRICS_PAGE_METRICS)
		respond_metrics(s, head);
	else if (st == 200)
		respond_text(s, 200, "dplb: Prometheus metrics at /metrics\n", head);
	else if (st == 404)
		respond_text(s, 404, "not found: dplb serves /metrics\n", head);
	else if (st == 405)
		respond_text(s, 405, "only GET and HEAD\n", false);
	else if (st == 505)
		respond_text(s, 505, "HTTP/1.0 or HTTP/1.1 only\n", false);
	else
		respond_text(s, 400, "malformed request\n", false);
}

/* Read what is there; answer once the head is complete. Returns work done. */
static unsigned int
session_poll(struct msession *s, uint64_t now)
{
	ssize_t n;

	if (now > s->deadline_tsc) {
		session_close(s);	/* slow client: bounded time per session */
		return 1;
	}
	if (s->out == NULL) {
		n = recv(s->fd, s->in + s->in_len, sizeof(s->in) - s->in_len, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
			session_close(s);
			return 1;
		}
		if (n < 0)
			return 0;
		s->in_len += (size_t)n;
		session_request(s);
		if (s->out == NULL && s->in_len == sizeof(s->in)) {
			session_close(s);	/* no memory for the 431 */
			return 1;
		}
		if (s->out == NULL)
			return 1;
	}
	n = send(s->fd, s->out + s->out_off, s->out_len - s->out_off, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
		session_close(s);
		return 1;
	}
	if (n > 0)
		s->out_off += (size_t)n;
	if (s->out_off == s->out_len) {
		shutdown(s->fd, SHUT_WR);
		session_close(s);
	}
	return n > 0;
}

/* Accept what is waiting; with no free session, answer 503 and close. */
static unsigned int
accept_new(uint64_t now)
{
	static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
				   "Connection: close\r\n\r\n";
	unsigned int i, work = 0;
	int fd;

	while (work < 16 && (fd = accept4(listen_fd, NULL, NULL,
					  SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		work++;
		for (i = 0; i < LB_METRICS_MAX_SESSIONS && sessions[i].fd >= 0; i++)
			;
		if (i == LB_METRICS_MAX_SESSIONS) {
			if (send(fd, busy, sizeof(busy) - 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
				LOG(DEBUG, "503 not sent: %s", strerror(errno));
			close(fd);
			continue;
		}
		sessions[i].fd = fd;
		sessions[i].deadline_tsc = now + LB_METRICS_TIMEOUT_S * rte_get_tsc_hz();
		sessions[i].in_len = 0;
	}
	return work;
}

unsigned int
lb_metrics_poll(void)
{
	uint64_t now;
	unsigned int i, work;

	if (listen_fd < 0)
		return 0;
	now = rte_get_tsc_cycles();
	work = accept_new(now);
	for (i = 0; i < LB_METRICS_MAX_SESSIONS; i++)
		if (sessions[i].fd >= 0)
			work += session_poll(&sessions[i], now);
	return work;
}

void
lb_metrics_term(void)
{
	unsigned int i;

	for (i = 0; i < LB_METRICS_MAX_SESSIONS; i++)
		if (sessions[i].fd >= 0)
			session_close(&sessions[i]);
	if (listen_fd >= 0)
		close(listen_fd);
	listen_fd = -1;
}
