/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BIRD's control socket (what birdc speaks): a Unix stream socket; BIRD
 * greets with "0001 BIRD x.y ready.", takes one command a line and answers
 * with lines "CODE-text" ... "CODE text", codes 0xxx meaning success
 * ("0003 Reconfigured", "0004 Reconfiguration in progress"), 8xxx/9xxx an
 * error ("8002 FILE:LINE:COL syntax error ..."). Non-blocking throughout;
 * the caller bounds it with a deadline. See announce_priv.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "announce/announce_priv.h"

void
lb_bird_req_init(struct lb_bird_req *r)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

void
lb_bird_abort(struct lb_bird_req *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

/* End r with result rc (0 or -1). */
static int
finish(struct lb_bird_req *r, int rc)
{
	lb_bird_abort(r);
	return rc;
}

int
lb_bird_start(struct lb_bird_req *r, const char *path, const char *cmd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int e;

	lb_bird_req_init(r);
	snprintf(r->cmd, sizeof(r->cmd), "%s\n", cmd);
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(r->reply, sizeof(r->reply), "socket path too long");
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	r->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (r->fd < 0) {
		e = errno;
		snprintf(r->reply, sizeof(r->reply), "socket: %s", strerror(e));
		return -e;
	}
	if (connect(r->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 && errno != EINPROGRESS &&
	    errno != EAGAIN) {
		e = errno;
		snprintf(r->reply, sizeof(r->reply), "connect %s: %s", path, strerror(e));
		lb_bird_abort(r);
		return -e;
	}
	return 0;
}

/* One complete line of BIRD's: 1 more to come, 2 greeted, 0 / -1 final. */
static int
line(struct lb_bird_req *r, const char *l)
{
	bool final = strlen(l) >= 5 && l[4] == ' ' && l[0] >= '0' && l[0] <= '9';

	if (l[0] == ' ' || l[0] == '\0')
		return 1;		/* continuation of a multi-line reply */
	snprintf(r->reply, sizeof(r->reply), "%.*s", (int)sizeof(r->reply) - 1, l);
	if (!final)
		return 1;
	if (r->step == 0) {
		if (strncmp(l, "0001", 4) != 0)
			return -1;	/* not BIRD, or BIRD refusing us */
		r->step = 1;
		return 2;
	}
	return l[0] == '0' ? 0 : -1;
}

int
lb_bird_feed(struct lb_bird_req *r, const char *data, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (data[i] != '\n') {
			if (r->len < sizeof(r->in) - 1)
				r->in[r->len++] = data[i];	/* longer lines are cut */
			continue;
		}
		r->in[r->len] = '\0';
		r->len = 0;
		rc = line(r, r->in);
		if (rc != 1)
			return rc;	/* BIRD sends nothing more until it is asked */
	}
	return 1;
}

int
lb_bird_step(struct lb_bird_req *r)
{
	char buf[512];
	ssize_t n;
	size_t len;
	int rc;

	if (r->fd < 0)
		return -1;
	for (;;) {
		n = recv(r->fd, buf, sizeof(buf), 0);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 1;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(r->reply, sizeof(r->reply), "%s",
				 n == 0 ? "BIRD closed the socket" : strerror(errno));
			return finish(r, -1);
		}
		rc = lb_bird_feed(r, buf, (size_t)n);
		if (rc == 0 || rc == -1)
			return finish(r, rc);
		if (rc == 2) {
			len = strlen(r->cmd);
			if (send(r->fd, r->cmd, len, MSG_NOSIGNAL) != (ssize_t)len) {
				snprintf(r->reply, sizeof(r->reply), "send: %s", strerror(errno));
				return finish(r, -1);
			}
		}
	}
}
