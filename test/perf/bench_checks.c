/* SPDX-License-Identifier: BSD-3-Clause */
/* Health-check load: TCP_CHECK probes against a local listener, one epoll set. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "health/monitor.h"
#include "health/probe.h"
#include "test/perf/bench_checks.h"

struct bench_checks {
	unsigned int n;
	int lfd;
	struct lb_health_probe *probes, **pp;
	struct lb_health_rs *rs;
	struct lb_health_set set;
	bool set_ok;
};

static void
on_event(struct lb_health_probe *p, const struct lb_health_event *ev, void *arg)
{
	(void)p;
	(void)ev;
	(void)arg;
}

struct bench_checks *
bench_checks_start(unsigned int n)
{
	const struct lb_health_timing t = { .delay_loop = 1000000, .connect_timeout = 1000000,
					    .delay_before_retry = 1000000, .warmup = 1000000,
					    .retry = 1 };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	struct bench_checks *c = calloc(1, sizeof(*c));
	uint64_t start = lb_health_now_us();
	unsigned int i;

	if (c == NULL)
		return NULL;
	c->n = n;
	c->probes = calloc(n, sizeof(*c->probes));
	c->pp = calloc(n, sizeof(*c->pp));
	c->rs = calloc(n, sizeof(*c->rs));
	c->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (c->probes == NULL || c->pp == NULL || c->rs == NULL || c->lfd < 0 ||
	    bind(c->lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(c->lfd, 65535) < 0 ||
	    getsockname(c->lfd, (struct sockaddr *)&sin, &len) < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		lb_health_rs_init(&c->rs[i]);
		lb_health_probe_init(&c->probes[i], LB_HEALTH_PROBE_TCP, (struct sockaddr *)&sin,
				     sizeof(sin), NULL, 0, NULL, &c->rs[i], &t, start,
				     (uint32_t)random());
		c->pp[i] = &c->probes[i];
	}
	if (lb_health_set_init(&c->set, c->pp, n) != 0)
		goto fail;
	c->set_ok = true;
	return c;
fail:
	fprintf(stderr, "bench: health-check set-up failed: %s\n", strerror(errno));
	bench_checks_stop(c);
	return NULL;
}

unsigned int
bench_checks_poll(struct bench_checks *c, uint64_t now_us)
{
	unsigned int work = lb_health_set_poll(&c->set, now_us, on_event, NULL);
	unsigned int i;
	int fd;

	/* bounded: the backlog holds at most what n probes opened */
	for (i = 0; i < c->n && (fd = accept(c->lfd, NULL, NULL)) >= 0; i++) {
		close(fd);
		work++;
	}
	return work;
}

void
bench_checks_count(const struct bench_checks *c, uint64_t *ok, uint64_t *fail)
{
	unsigned int i;

	*ok = *fail = 0;
	for (i = 0; i < c->n; i++) {
		*ok += c->probes[i].chk.nb_ok;
		*fail += c->probes[i].chk.nb_fail;
	}
}

void
bench_checks_stop(struct bench_checks *c)
{
	if (c == NULL)
		return;
	if (c->set_ok)
		lb_health_set_term(&c->set);
	if (c->lfd >= 0)
		close(c->lfd);
	free(c->probes);
	free(c->pp);
	free(c->rs);
	free(c);
}
