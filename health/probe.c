/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Non-blocking TCP_CHECK / HTTP_GET driver over kernel sockets. See probe.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "health/probe.h"

enum { STAGE_IDLE, STAGE_CONNECTING, STAGE_HANDSHAKE, STAGE_SENDING, STAGE_READING };

#define RECV_BUF	4096
#define RECV_ROUNDS	16	/* bound the work per probe per poll */

int
lb_health_probe_init(struct lb_health_probe *p, enum lb_health_probe_kind kind,
		     const struct sockaddr *dst, socklen_t dst_len,
		     const struct sockaddr *src, socklen_t src_len,
		     const struct lb_health_http_check *http, struct lb_health_rs *rs,
		     const struct lb_health_timing *t, uint64_t now, uint32_t rnd)
{
	char addr[INET6_ADDRSTRLEN];
	const void *a;
	uint16_t port;
	int n;

	if (dst_len > sizeof(p->dst) || src_len > sizeof(p->src) ||
	    (dst->sa_family != AF_INET && dst->sa_family != AF_INET6) ||
	    (kind == LB_HEALTH_PROBE_HTTP && http == NULL))
		return -EINVAL;
	memset(p, 0, offsetof(struct lb_health_probe, req));
	p->kind = kind;
	memcpy(&p->dst, dst, dst_len);
	p->dst_len = dst_len;
	if (src != NULL && src_len > 0) {
		memcpy(&p->src, src, src_len);
		p->src_len = src_len;
	}
	p->http = http;
	p->rs = rs;
	p->fd = -1;
	p->epfd = -1;
	p->dyn_weight = -1;
	p->stage = STAGE_IDLE;
	p->resp.md = NULL;
	if (kind == LB_HEALTH_PROBE_HTTP) {
		if (dst->sa_family == AF_INET) {
			a = &((const struct sockaddr_in *)dst)->sin_addr;
			port = ntohs(((const struct sockaddr_in *)dst)->sin_port);
		} else {
			a = &((const struct sockaddr_in6 *)dst)->sin6_addr;
			port = ntohs(((const struct sockaddr_in6 *)dst)->sin6_port);
		}
		inet_ntop(dst->sa_family, a, addr, sizeof(addr));
		n = lb_health_http_request(p->req, sizeof(p->req), http->proto, http->path,
					   http->vhost, addr, dst->sa_family == AF_INET6, port);
		if (n < 0)
			return -EINVAL;
		p->req_len = (size_t)n;
	}
	lb_health_checker_init(rs, &p->chk, t, now, rnd);
	return 0;
}

int
lb_health_probe_init_misc(struct lb_health_probe *p, const struct lb_health_misc_check *misc,
			  const struct sockaddr *dst, socklen_t dst_len,
			  struct lb_health_rs *rs, const struct lb_health_timing *t,
			  uint64_t now, uint32_t rnd)
{
	int rc;

	if (misc == NULL || misc->cmd == NULL)
		return -EINVAL;
	rc = lb_health_probe_init(p, LB_HEALTH_PROBE_MISC, dst, dst_len, NULL, 0, NULL, rs, t,
				  now, rnd);
	if (rc == 0)
		p->misc = misc;
	return rc;
}

void
lb_health_probe_close(struct lb_health_probe *p)
{
	static const struct linger rst = { .l_onoff = 1, .l_linger = 0 };

	if (p->pid > 0)
		lb_health_script_kill(p->pid);
	p->pid = 0;
	if (p->ssl != NULL)
		lb_health_tls_free(p->ssl);
	p->ssl = NULL;
	if (p->fd >= 0) {
		/* RST rather than FIN: no TIME_WAIT per check (closing drops it from epoll) */
		setsockopt(p->fd, SOL_SOCKET, SO_LINGER, &rst, sizeof(rst));
		close(p->fd);
	}
	p->fd = -1;
	lb_health_http_free(&p->resp);
	p->stage = STAGE_IDLE;
}

/* End the attempt; 1 when it produced an event. */
static unsigned int
finish(struct lb_health_probe *p, uint64_t now, bool ok, const char *reason,
       lb_health_event_cb cb, void *arg)
{
	struct lb_health_event ev;

	lb_health_probe_close(p);
	if (!lb_health_checker_done(p->rs, &p->chk, now, ok, reason, &ev))
		return 0;
	if (cb != NULL)
		cb(p, &ev, arg);
	return 1;
}

static unsigned int
fail_errno(struct lb_health_probe *p, uint64_t now, const char *what, int err,
	   lb_health_event_cb cb, void *arg)
{
	char reason[96];

	snprintf(reason, sizeof(reason), "%s: %s", what, strerror(err));
	return finish(p, now, false, reason, cb, arg);
}

/* Wait for events (EPOLLOUT while connecting/sending, EPOLLIN when reading). */
static int
watch(struct lb_health_probe *p, int op, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = p };

	if (p->epfd < 0)
		return 0;
	return epoll_ctl(p->epfd, op, p->fd, &ev) == 0 ? 0 : -errno;
}

static unsigned int
start(struct lb_health_probe *p, uint64_t now, lb_health_event_cb cb, void *arg)
{
	int one = 1, rc;

	lb_health_checker_begin(&p->chk, now);
	p->fd = socket(p->dst.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->fd < 0)
		return fail_errno(p, now, "socket", errno, cb, arg);
	if (p->src_len > 0) {
#ifdef IP_BIND_ADDRESS_NO_PORT
		/* thousands of checks from one address: pick the port at connect */
		if (p->src.ss_family == AF_INET)
			setsockopt(p->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
#endif
		if (bind(p->fd, (struct sockaddr *)&p->src, p->src_len) < 0)
			return fail_errno(p, now, "bind to source address", errno, cb, arg);
	}
	(void)one;
	rc = connect(p->fd, (struct sockaddr *)&p->dst, p->dst_len);
	if (rc < 0 && errno != EINPROGRESS)
		return fail_errno(p, now, "connect", errno, cb, arg);
	rc = watch(p, EPOLL_CTL_ADD, EPOLLOUT);
	if (rc < 0)
		return fail_errno(p, now, "epoll", -rc, cb, arg);
	p->stage = STAGE_CONNECTING;
	return 0;
}

/* Connect finished? 1 connected, 0 pending, <0 -errno. */
static int
connect_state(int fd)
{
	struct sockaddr_storage peer;
	socklen_t len = sizeof(peer);
	int err = 0;
	socklen_t elen = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		return -errno;
	if (err != 0)
		return -err;
	if (getpeername(fd, (struct sockaddr *)&peer, &len) == 0)
		return 1;
	return errno == ENOTCONN ? 0 : -errno;
}

/* HTTP: the response is complete; check status then digest (keepalived order). */
static unsigned int
http_verdict(struct lb_health_probe *p, uint64_t now, lb_health_event_cb cb, void *arg)
{
	char reason[96];

	if (!lb_health_http_codes_match(&p->http->codes, p->resp.status)) {
		snprintf(reason, sizeof(reason), "HTTP status code %d not accepted",
			 p->resp.status);
		return finish(p, now, false, reason, cb, arg);
	}
	if (p->http->digest != NULL && !lb_health_http_digest_match(&p->resp, p->http->digest)) {
		snprintf(reason, sizeof(reason), "MD5 digest %s differs", p->resp.md5_hex);
		return finish(p, now, false, reason, cb, arg);
	}
	return finish(p, now, true, NULL, cb, arg);
}

/*
 * Send or receive through the socket or its TLS session. Returns bytes,
 * 0 for EOF (receive), -EAGAIN (then the socket is watched for what TLS
 * needs), or another -errno with reason filled.
 */
static ssize_t
xfer(struct lb_health_probe *p, bool sending, void *buf, size_t len, char *reason, size_t rlen)
{
	bool want_write = sending;
	ssize_t n;

	if (p->ssl != NULL) {
		n = lb_health_tls_xfer(p->ssl, sending, buf, len, &want_write, reason, rlen);
		if (n == -EAGAIN && want_write != sending)
			watch(p, EPOLL_CTL_MOD, want_write ? EPOLLOUT : EPOLLIN);
		return n;
	}
	n = sending ? send(p->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL) :
		      recv(p->fd, buf, len, MSG_DONTWAIT);
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return -EAGAIN;
	snprintf(reason, rlen, "%s: %s", sending ? "send request" : "read response",
		 strerror(errno));
	return -errno;
}

/* SSL_GET: advance the TLS handshake; then the request is sent. */
static unsigned int
step_handshake(struct lb_health_probe *p, uint64_t now, lb_health_event_cb cb, void *arg)
{
	char reason[112];
	bool want_write = false;
	int rc = lb_health_tls_handshake(p->ssl, &want_write, reason, sizeof(reason));

	if (rc < 0)
		return finish(p, now, false, reason, cb, arg);
	if (rc == 0) {
		watch(p, EPOLL_CTL_MOD, want_write ? EPOLLOUT : EPOLLIN);
		return now >= p->chk.deadline ?
		       finish(p, now, false, "timeout in TLS handshake", cb, arg) : 0;
	}
	p->stage = STAGE_SENDING;
	lb_health_checker_progress(&p->chk, now);
	watch(p, EPOLL_CTL_MOD, EPOLLOUT);
	return 0;
}

static unsigned int
step_io(struct lb_health_probe *p, uint64_t now, lb_health_event_cb cb, void *arg)
{
	char buf[RECV_BUF], reason[112];
	ssize_t n;
	int rc, i;

	if (p->stage == STAGE_HANDSHAKE) {
		rc = (int)step_handshake(p, now, cb, arg);
		if (p->stage != STAGE_SENDING)
			return (unsigned int)rc;
	}
	if (p->stage == STAGE_SENDING) {
		n = xfer(p, true, p->req + p->req_off, p->req_len - p->req_off, reason,
			 sizeof(reason));
		if (n < 0 && n != -EAGAIN)
			return finish(p, now, false, reason, cb, arg);
		if (n > 0) {
			p->req_off += (size_t)n;
			lb_health_checker_progress(&p->chk, now);
		}
		if (p->req_off < p->req_len)
			return now >= p->chk.deadline ?
			       finish(p, now, false, "timeout sending request", cb, arg) : 0;
		p->stage = STAGE_READING;
		rc = watch(p, EPOLL_CTL_MOD, EPOLLIN);
		if (rc < 0)
			return fail_errno(p, now, "epoll", -rc, cb, arg);
	}
	for (i = 0; i < RECV_ROUNDS; i++) {
		n = xfer(p, false, buf, sizeof(buf), reason, sizeof(reason));
		if (n == -EAGAIN)
			break;
		if (n < 0)
			return finish(p, now, false, reason, cb, arg);
		rc = n == 0 ? lb_health_http_eof(&p->resp) :
			      lb_health_http_feed(&p->resp, buf, (size_t)n);
		if (rc < 0) {
			snprintf(reason, sizeof(reason), "HTTP: %s", p->resp.reason);
			return finish(p, now, false, reason, cb, arg);
		}
		if (rc == LB_HEALTH_HTTP_DONE)
			return http_verdict(p, now, cb, arg);
		lb_health_checker_progress(&p->chk, now);
	}
	if (now >= p->chk.deadline)
		return finish(p, now, false, "timeout reading response", cb, arg);
	return 0;
}

/* MISC_CHECK: start the script when due, then look for its exit. */
static unsigned int
step_misc(struct lb_health_probe *p, uint64_t now, lb_health_event_cb cb, void *arg)
{
	struct lb_health_event ev = { .type = LB_HEALTH_EV_WEIGHT };
	char reason[96];
	int rc, code;

	if (p->stage == STAGE_IDLE) {
		if (!lb_health_checker_due(&p->chk, now))
			return 0;
		lb_health_checker_begin(&p->chk, now);
		rc = lb_health_script_spawn(p->misc->cmd, &p->pid);
		if (rc != 0)
			return fail_errno(p, now, "run misc_path", -rc, cb, arg);
		p->stage = STAGE_CONNECTING;
		return 0;
	}
	rc = lb_health_script_wait(p->pid, now, p->chk.deadline, &code, reason, sizeof(reason));
	if (rc > 0)
		return 0;
	p->pid = 0;
	if (rc < 0)
		return finish(p, now, false, reason, cb, arg);
	if (code == 0)
		return finish(p, now, true, NULL, cb, arg);
	if (code == 1 || !p->misc->dynamic) {
		snprintf(reason, sizeof(reason), "script exited with %d", code);
		return finish(p, now, false, reason, cb, arg);
	}
	if (p->dyn_weight == code - 2)
		return finish(p, now, true, NULL, cb, arg);
	/* misc_dynamic: 2..255 passes and sets weight exit - 2 */
	p->dyn_weight = code - 2;
	ev.weight = (uint32_t)p->dyn_weight;
	snprintf(ev.reason, sizeof(ev.reason), "script exited with %d: weight %d", code,
		 p->dyn_weight);
	if (cb != NULL)
		cb(p, &ev, arg);
	return 1 + finish(p, now, true, NULL, cb, arg);
}

static unsigned int
step(struct lb_health_probe *p, uint64_t now, lb_health_event_cb cb, void *arg)
{
	unsigned int ev;
	int rc;

	if (p->kind == LB_HEALTH_PROBE_MISC)
		return step_misc(p, now, cb, arg);
	if (p->stage == STAGE_IDLE) {
		if (!lb_health_checker_due(&p->chk, now))
			return 0;
		ev = start(p, now, cb, arg);
		if (p->stage == STAGE_IDLE)
			return ev;	/* failed at once */
	}
	if (p->stage == STAGE_CONNECTING) {
		rc = connect_state(p->fd);
		if (rc < 0)
			return fail_errno(p, now, "connect", -rc, cb, arg);
		if (rc == 0)
			return now >= p->chk.deadline ?
			       finish(p, now, false, "timeout connecting", cb, arg) : 0;
		if (p->kind == LB_HEALTH_PROBE_TCP)
			return finish(p, now, true, NULL, cb, arg);
		rc = lb_health_http_init(&p->resp, p->http->digest != NULL, 0);
		if (rc < 0)
			return fail_errno(p, now, "HTTP parser", -rc, cb, arg);
		p->req_off = 0;
		p->stage = STAGE_SENDING;
		if (p->http->tls) {
			p->ssl = lb_health_tls_new(p->fd, p->http->sni);
			if (p->ssl == NULL)
				return finish(p, now, false, "TLS: cannot create a session", cb, arg);
			p->stage = STAGE_HANDSHAKE;
		}
		lb_health_checker_progress(&p->chk, now);
	}
	return step_io(p, now, cb, arg);
}

unsigned int
lb_health_poll(struct lb_health_probe **probes, unsigned int n, uint64_t now,
	       lb_health_event_cb cb, void *arg)
{
	unsigned int i, events = 0;

	for (i = 0; i < n; i++)
		events += step(probes[i], now, cb, arg);
	return events;
}

int
lb_health_set_init(struct lb_health_set *set, struct lb_health_probe **probes, unsigned int n)
{
	unsigned int i;

	set->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (set->epfd < 0)
		return -errno;
	set->probes = probes;
	set->n = n;
	set->next_scan = 0;
	for (i = 0; i < n; i++)
		probes[i]->epfd = set->epfd;
	return 0;
}

unsigned int
lb_health_set_poll(struct lb_health_set *set, uint64_t now, lb_health_event_cb cb, void *arg)
{
	struct epoll_event evs[256];
	unsigned int i, j, events = 0;
	int n, k;

	/* bounded: at most 4 rounds of socket events per call */
	for (k = 0; k < 4; k++) {
		n = epoll_wait(set->epfd, evs, (int)(sizeof(evs) / sizeof(evs[0])), 0);
		for (i = 0; n > 0 && i < (unsigned int)n; i++)
			events += step(evs[i].data.ptr, now, cb, arg);
		if (n < (int)(sizeof(evs) / sizeof(evs[0])))
			break;
	}
	if (now < set->next_scan)
		return events;
	set->next_scan = now + LB_HEALTH_SCAN_US;
	if (set->scan_from >= set->n)
		set->scan_from = 0;
	for (k = 0, j = 0; j < set->n; j++) {
		i = (set->scan_from + j) % set->n;
		struct lb_health_probe *p = set->probes[i];

		if (p->stage == STAGE_IDLE) {
			if (!lb_health_checker_due(&p->chk, now))
				continue;
			if (k++ == LB_HEALTH_STARTS_PER_POLL) {
				set->scan_from = i;	/* the rest on the next call */
				set->next_scan = now;
				break;
			}
		} else if (now < p->chk.deadline && p->kind != LB_HEALTH_PROBE_MISC) {
			continue;	/* a script has no socket: its exit is looked for each scan */
		}
		events += step(p, now, cb, arg);
	}
	return events;
}

void
lb_health_set_term(struct lb_health_set *set)
{
	unsigned int i;

	for (i = 0; i < set->n; i++) {
		lb_health_probe_close(set->probes[i]);
		set->probes[i]->epfd = -1;
	}
	if (set->epfd >= 0)
		close(set->epfd);
	set->epfd = -1;
}
