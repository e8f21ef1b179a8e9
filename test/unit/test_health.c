/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * health/: the HTTP response parser and digest, keepalived's counting rules,
 * quorum/hysteresis, and the TCP/HTTP probes against sockets on 127.0.0.1.
 * Digests below are `printf BODY | md5sum`.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "health/checker.h"
#include "health/http.h"
#include "health/monitor.h"
#include "health/probe.h"
#include "health/quorum.h"
#include "test/unit/unit.h"

#define S(x) ((uint64_t)(x) * LB_HEALTH_US_PER_S)

static const char resp_clen[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: t\r\n\r\nhello";
static const char resp_chunked[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
				   "5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n";
static const char resp_eof[] = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nabc";

/* Feed data in pieces of at most `step` bytes, then EOF if eof. */
static int
parse(struct lb_health_http_resp *r, const char *data, size_t len, size_t step, bool eof,
      uint64_t body_max)
{
	size_t off, n;
	int rc = LB_HEALTH_HTTP_MORE;

	CU_ASSERT_EQUAL_FATAL(lb_health_http_init(r, true, body_max), 0);
	for (off = 0; off < len && rc == LB_HEALTH_HTTP_MORE; off += n) {
		n = len - off < step ? len - off : step;
		rc = lb_health_http_feed(r, data + off, n);
	}
	if (eof && rc == LB_HEALTH_HTTP_MORE)
		rc = lb_health_http_eof(r);
	return rc;
}

static void
expect_ok(const char *data, bool eof, int status, const char *md5)
{
	struct lb_health_http_resp r;
	size_t step, len = strlen(data);

	for (step = 1; step <= len; step++) {
		CU_ASSERT_EQUAL(parse(&r, data, len, step, eof, 0), LB_HEALTH_HTTP_DONE);
		CU_ASSERT_EQUAL(r.status, status);
		CU_ASSERT_STRING_EQUAL(r.md5_hex, md5);
		CU_ASSERT_TRUE(lb_health_http_digest_match(&r, md5));
		lb_health_http_free(&r);
	}
}

static void
expect_fail(const char *data, size_t len, bool eof, uint64_t body_max, int err,
	    const char *reason_part)
{
	struct lb_health_http_resp r;
	size_t step;

	for (step = 1; step <= len; step += (step < 8 ? 1 : 97)) {
		CU_ASSERT_EQUAL(parse(&r, data, len, step, eof, body_max), -err);
		CU_ASSERT_PTR_NOT_NULL(strstr(r.reason, reason_part));
		if (strstr(r.reason, reason_part) == NULL)
			fprintf(stderr, "\n  reason '%s', want '%s'\n", r.reason, reason_part);
		lb_health_http_free(&r);
	}
}

static void
test_http_complete_and_split(void)
{
	expect_ok(resp_clen, false, 200, "5d41402abc4b2a76b9719d911017c592");
	/* keepalived hashes the raw chunked body, framing included */
	expect_ok(resp_chunked, false, 200, "93c43281ba82541faa7ed3c8cf6c76b2");
	expect_ok(resp_eof, true, 200, "900150983cd24fb0d6963f7d28e17f72");
	/* bytes past Content-Length are not hashed; 204 has no body */
	expect_ok("HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nabcdef", false, 200,
		  "900150983cd24fb0d6963f7d28e17f72");
	expect_ok("HTTP/1.1 204 No Content\r\n\r\n", false, 204,
		  "d41d8cd98f00b204e9800998ecf8427e");
	expect_ok("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n", false, 404,
		  "d41d8cd98f00b204e9800998ecf8427e");
}

static void
test_http_digest_case(void)
{
	struct lb_health_http_resp r;

	CU_ASSERT_EQUAL(parse(&r, resp_clen, strlen(resp_clen), 7, false, 0), LB_HEALTH_HTTP_DONE);
	CU_ASSERT_TRUE(lb_health_http_digest_match(&r, "5D41402ABC4B2A76B9719D911017C592"));
	CU_ASSERT_FALSE(lb_health_http_digest_match(&r, "5d41402abc4b2a76b9719d911017c593"));
	CU_ASSERT_FALSE(lb_health_http_digest_match(&r, "5d41"));
	CU_ASSERT_EQUAL(r.body_len, 5);
	lb_health_http_free(&r);
}

static void
test_http_oversize(void)
{
	static char big[LB_HEALTH_HTTP_HEAD_MAX + 200];
	const char *body = "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n0123456789abcdefghij";
	const char *chunk = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffff\r\nab";
	const char *eofb = "HTTP/1.0 200 OK\r\n\r\n0123456789abcdefghij";

	memcpy(big, "HTTP/1.1 200 OK\r\nX: ", 20);
	memset(big + 20, 'a', sizeof(big) - 24);
	memcpy(big + sizeof(big) - 4, "\r\n\r\n", 4);
	expect_fail(big, sizeof(big), true, 0, EMSGSIZE, "headers over 4095");
	expect_fail(body, strlen(body), true, 10, EMSGSIZE, "body over 10");
	expect_fail(chunk, strlen(chunk), true, 1000, EMSGSIZE, "body over 1000");
	expect_fail(eofb, strlen(eofb), true, 10, EMSGSIZE, "body over 10");
}

static void
test_http_truncated_and_early_close(void)
{
	const char *clen = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello";
	const char *chunk = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel";
	const char *nolast = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n";
	const char *head = "HTTP/1.1 200 OK\r\nContent-Le";

	expect_fail(clen, strlen(clen), true, 0, EPIPE, "truncated body: 5 of 10");
	expect_fail(chunk, strlen(chunk), true, 0, EPIPE, "truncated chunked");
	expect_fail(nolast, strlen(nolast), true, 0, EPIPE, "truncated chunked");
	expect_fail(head, strlen(head), true, 0, EPIPE, "closed in headers");
	expect_fail("", 0, true, 0, EPIPE, "no data received");
	/* keepalived only ends a head on CRLFCRLF */
	expect_fail("HTTP/1.0 200 OK\n\nabc", 20, true, 0, EPIPE, "closed in headers");
}

static void
test_http_garbage(void)
{
	static const char nul[] = "HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n";

	expect_fail("SSH-2.0-OpenSSH_9.2\r\n\r\n", 23, true, 0, EBADMSG, "bad status line");
	expect_fail("HTTP/1.1 2x0 OK\r\n\r\n", 19, true, 0, EBADMSG, "bad status line");
	expect_fail("HTTP/1.1 200OK\r\n\r\n", 18, true, 0, EBADMSG, "bad status line");
	expect_fail("HTTP/1.1 099 X\r\n\r\n", 18, true, 0, EBADMSG, "bad status code");
	expect_fail("HTTP/1.1 200 OK\r\nnocolon\r\n\r\n", 28, true, 0, EBADMSG, "malformed header");
	expect_fail(nul, sizeof(nul) - 1, true, 0, EBADMSG, "NUL byte");
	expect_fail("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", 40, true, 0, EBADMSG,
		    "bad Content-Length");
	expect_fail("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 57,
		    true, 0, EBADMSG, "conflicting");
	expect_fail("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 51, true, 0,
		    EBADMSG, "bad chunk size");
	expect_fail("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\naXY\r\n", 55, true, 0,
		    EBADMSG, "bad chunk terminator");
}

static void
test_http_codes_and_request(void)
{
	struct lb_health_http_codes c;
	char buf[LB_HEALTH_HTTP_REQ_MAX];

	lb_health_http_codes_default(&c);
	CU_ASSERT_TRUE(lb_health_http_codes_match(&c, 200));
	CU_ASSERT_TRUE(lb_health_http_codes_match(&c, 299));
	CU_ASSERT_FALSE(lb_health_http_codes_match(&c, 300));
	CU_ASSERT_FALSE(lb_health_http_codes_match(&c, 199));
	memset(&c, 0, sizeof(c));
	CU_ASSERT_EQUAL(lb_health_http_codes_parse(&c, "200 301-302  599"), 0);
	CU_ASSERT_TRUE(lb_health_http_codes_match(&c, 301) && lb_health_http_codes_match(&c, 302));
	CU_ASSERT_TRUE(lb_health_http_codes_match(&c, 599));
	CU_ASSERT_FALSE(lb_health_http_codes_match(&c, 201) || lb_health_http_codes_match(&c, 303));
	CU_ASSERT_EQUAL(lb_health_http_codes_parse(&c, "99"), -EINVAL);
	CU_ASSERT_EQUAL(lb_health_http_codes_parse(&c, "600"), -EINVAL);
	CU_ASSERT_EQUAL(lb_health_http_codes_parse(&c, "300-200"), -EINVAL);
	CU_ASSERT_EQUAL(lb_health_http_codes_parse(&c, "2xx"), -EINVAL);

	CU_ASSERT(lb_health_http_request(buf, sizeof(buf), LB_HEALTH_HTTP_1_0, "/", NULL,
					 "198.18.0.10", false, 80) > 0);
	CU_ASSERT_STRING_EQUAL(buf, "GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
			       "Host: 198.18.0.10:80\r\n\r\n");
	lb_health_http_request(buf, sizeof(buf), LB_HEALTH_HTTP_1_0C, "/a", NULL,
			       "2001:db8::1", true, 8080);
	CU_ASSERT_STRING_EQUAL(buf, "GET /a HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
			       "Connection: close\r\nHost: [2001:db8::1]:8080\r\n\r\n");
	lb_health_http_request(buf, sizeof(buf), LB_HEALTH_HTTP_1_1, "/h?x=1", "www.example",
			       "198.18.0.10", false, 80);
	CU_ASSERT_STRING_EQUAL(buf, "GET /h?x=1 HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\n"
			       "Connection: close\r\nHost: www.example\r\n\r\n");
	CU_ASSERT_EQUAL(lb_health_http_request(buf, 20, LB_HEALTH_HTTP_1_0, "/", NULL,
					       "198.18.0.10", false, 80), -ENOSPC);
	CU_ASSERT_EQUAL(lb_health_http_request(buf, sizeof(buf), LB_HEALTH_HTTP_1_0, "/ x", NULL,
					       "198.18.0.10", false, 80), -EINVAL);
}


/* ---- counting rules ---- */

static const struct lb_health_timing tm = {
	.delay_loop = S(10), .connect_timeout = S(3), .delay_before_retry = S(1),
	.warmup = 0, .retry = 2, .alpha = false,
};

/* One attempt at now with result ok; returns the event type. */
static enum lb_health_ev_type
attempt(struct lb_health_rs *rs, struct lb_health_checker *c, uint64_t now, bool ok)
{
	struct lb_health_event ev;

	CU_ASSERT_TRUE(lb_health_checker_due(c, now));
	CU_ASSERT_EQUAL(lb_health_checker_begin(c, now), now + c->t.connect_timeout);
	CU_ASSERT_FALSE(lb_health_checker_due(c, now));
	if (!lb_health_checker_done(rs, c, now, ok, ok ? NULL : "connect: refused", &ev))
		return LB_HEALTH_EV_NONE;
	return ev.type;
}

static void
test_count_retry(void)
{
	struct lb_health_rs rs;
	struct lb_health_checker c;
	struct lb_health_event ev;

	lb_health_rs_init(&rs);
	lb_health_checker_init(&rs, &c, &tm, 0, 0);
	CU_ASSERT_TRUE(rs.alive);
	/* down after retry + 1 = 3 failures, delay_before_retry apart */
	CU_ASSERT_EQUAL(attempt(&rs, &c, 0, false), LB_HEALTH_EV_NONE);
	CU_ASSERT_EQUAL(c.next_at, S(1));
	CU_ASSERT_FALSE(lb_health_checker_due(&c, S(1) - 1));
	CU_ASSERT_EQUAL(attempt(&rs, &c, S(1), false), LB_HEALTH_EV_NONE);
	CU_ASSERT_EQUAL(c.next_at, S(2));
	CU_ASSERT_TRUE(rs.alive);
	lb_health_checker_begin(&c, S(2));
	CU_ASSERT_TRUE(lb_health_checker_done(&rs, &c, S(2), false, "timeout connecting", &ev));
	CU_ASSERT_EQUAL(ev.type, LB_HEALTH_EV_DOWN);
	CU_ASSERT_PTR_NOT_NULL(strstr(ev.reason, "timeout connecting (after 2 retries)"));
	CU_ASSERT_FALSE(rs.alive);
	CU_ASSERT_EQUAL(c.next_at, S(12));	/* back to delay_loop */
	/* failures while down: no event */
	CU_ASSERT_EQUAL(attempt(&rs, &c, S(12), false), LB_HEALTH_EV_NONE);
	CU_ASSERT_EQUAL(c.next_at, S(13));
	/* one success brings it back */
	CU_ASSERT_EQUAL(attempt(&rs, &c, S(13), true), LB_HEALTH_EV_UP);
	CU_ASSERT_TRUE(rs.alive);
	CU_ASSERT_EQUAL(c.next_at, S(23));
	CU_ASSERT_EQUAL(c.retry_it, 0);
	CU_ASSERT_STRING_EQUAL(c.last_error, "");
	/* a success between failures resets the count */
	CU_ASSERT_EQUAL(attempt(&rs, &c, S(23), false), LB_HEALTH_EV_NONE);
	CU_ASSERT_EQUAL(attempt(&rs, &c, S(24), false), LB_HEALTH_EV_NONE);
	CU_ASSERT_EQUAL(attempt(&rs, &c, S(25), true), LB_HEALTH_EV_NONE);
	CU_ASSERT_EQUAL(attempt(&rs, &c, S(35), false), LB_HEALTH_EV_NONE);
	CU_ASSERT_EQUAL(attempt(&rs, &c, S(36), false), LB_HEALTH_EV_NONE);
	CU_ASSERT_TRUE(rs.alive);
	CU_ASSERT_EQUAL(c.nb_ok, 2);
	CU_ASSERT_EQUAL(c.nb_fail, 8);
}

static void
test_count_retry0_alpha_warmup(void)
{
	struct lb_health_timing t = tm;
	struct lb_health_rs rs;
	struct lb_health_checker c;

	t.retry = 0;
	lb_health_rs_init(&rs);
	lb_health_checker_init(&rs, &c, &t, S(100), 0);
	CU_ASSERT_EQUAL(attempt(&rs, &c, S(100), true), LB_HEALTH_EV_NONE);	/* already up */
	CU_ASSERT_EQUAL(attempt(&rs, &c, S(110), false), LB_HEALTH_EV_DOWN);	/* retry 0 */

	t.alpha = true;
	lb_health_rs_init(&rs);
	lb_health_checker_init(&rs, &c, &t, 0, 0);
	CU_ASSERT_FALSE(rs.alive);					/* alpha: start down */
	CU_ASSERT_EQUAL(attempt(&rs, &c, 0, false), LB_HEALTH_EV_NONE);
	CU_ASSERT_EQUAL(attempt(&rs, &c, S(10), true), LB_HEALTH_EV_UP);

	t.warmup = S(4);
	lb_health_rs_init(&rs);
	lb_health_checker_init(&rs, &c, &t, S(1), 0x80000000u);
	CU_ASSERT_EQUAL(c.next_at, S(3));
	lb_health_checker_init(&rs, &c, &t, S(1), 0xffffffffu);
	CU_ASSERT(c.next_at >= S(1) && c.next_at < S(5));
}

/* The passive back-off's question: did an attempt since the failure pass? */
static void
test_count_verdict_since_kick(void)
{
	struct lb_health_rs rs;
	struct lb_health_checker c;
	struct lb_health_event ev;

	lb_health_rs_init(&rs);
	lb_health_checker_init(&rs, &c, &tm, 0, 0);
	/* never ran: nothing to go by */
	CU_ASSERT_EQUAL(lb_health_checker_verdict_since(&c, 0), LB_HEALTH_VERDICT_PENDING);
	CU_ASSERT_EQUAL(attempt(&rs, &c, 0, true), LB_HEALTH_EV_NONE);
	CU_ASSERT_EQUAL(lb_health_checker_verdict_since(&c, 0), LB_HEALTH_VERDICT_PASS);
	/* a pass from before the failure at 5 s does not count */
	CU_ASSERT_EQUAL(lb_health_checker_verdict_since(&c, S(5)), LB_HEALTH_VERDICT_PENDING);
	/* the kick brings the 10 s attempt forward to 7 s */
	CU_ASSERT_FALSE(lb_health_checker_due(&c, S(7)));
	lb_health_checker_kick(&c, S(7));
	CU_ASSERT_TRUE(lb_health_checker_due(&c, S(7)));
	lb_health_checker_begin(&c, S(7));
	/* running: still pending, and a kick changes nothing */
	lb_health_checker_kick(&c, S(8));
	CU_ASSERT_EQUAL(lb_health_checker_verdict_since(&c, S(5)), LB_HEALTH_VERDICT_PENDING);
	lb_health_checker_done(&rs, &c, S(8), false, "connect: refused", &ev);
	CU_ASSERT_EQUAL(lb_health_checker_verdict_since(&c, S(5)), LB_HEALTH_VERDICT_FAIL);
	CU_ASSERT_TRUE(rs.alive);	/* retry 2: the checker itself is still up */
	/* a kick never pushes an earlier attempt later */
	CU_ASSERT_EQUAL(c.next_at, S(9));
	lb_health_checker_kick(&c, S(20));
	CU_ASSERT_EQUAL(c.next_at, S(9));
	CU_ASSERT_EQUAL(attempt(&rs, &c, S(9), true), LB_HEALTH_EV_NONE);
	CU_ASSERT_EQUAL(lb_health_checker_verdict_since(&c, S(5)), LB_HEALTH_VERDICT_PASS);
}

static void
test_count_several_checkers_omega(void)
{
	struct lb_health_timing t = tm;
	struct lb_health_rs rs;
	struct lb_health_checker a, b;
	struct lb_health_event ev;

	t.retry = 0;
	lb_health_rs_init(&rs);
	lb_health_checker_init(&rs, &a, &t, 0, 0);
	lb_health_checker_init(&rs, &b, &t, 0, 0);
	CU_ASSERT_EQUAL(attempt(&rs, &a, 0, false), LB_HEALTH_EV_DOWN);
	CU_ASSERT_EQUAL(attempt(&rs, &b, 0, false), LB_HEALTH_EV_NONE);
	CU_ASSERT_EQUAL(attempt(&rs, &a, S(10), true), LB_HEALTH_EV_NONE);	/* b still down */
	CU_ASSERT_FALSE(rs.alive);
	CU_ASSERT_EQUAL(attempt(&rs, &b, S(10), true), LB_HEALTH_EV_UP);	/* all pass */
	CU_ASSERT_TRUE(rs.alive);

	CU_ASSERT_TRUE(lb_health_rs_shutdown(&rs, true, &ev));
	CU_ASSERT_EQUAL(ev.type, LB_HEALTH_EV_DOWN);
	lb_health_rs_init(&rs);
	CU_ASSERT_FALSE(lb_health_rs_shutdown(&rs, false, &ev));		/* no omega */
}

/* ---- quorum ---- */

static void
test_quorum_hysteresis_sorry(void)
{
	struct lb_health_quorum q;
	struct lb_health_q_action a;

	lb_health_quorum_init(&q, 3, 1, true, 4, &a);		/* 4 >= 3 + 1 */
	CU_ASSERT_TRUE(q.up);
	CU_ASSERT_EQUAL(a.ev, LB_HEALTH_Q_NONE);
	CU_ASSERT_FALSE(lb_health_quorum_update(&q, 2, &a));	/* 2 >= 3 - 1: kept */
	CU_ASSERT_TRUE(lb_health_quorum_update(&q, 1, &a));	/* lost */
	CU_ASSERT_EQUAL(a.ev, LB_HEALTH_Q_LOST);
	CU_ASSERT_TRUE(a.pool_out && a.sorry_add && !a.sorry_remove && !a.pool_in);
	CU_ASSERT_EQUAL(a.threshold, 2);
	CU_ASSERT_EQUAL(lb_health_quorum_rs_action(&q, true, false), LB_HEALTH_RS_NOTHING);
	CU_ASSERT_FALSE(lb_health_quorum_update(&q, 3, &a));	/* 3 < 3 + 1: still lost */
	CU_ASSERT_TRUE(lb_health_quorum_update(&q, 4, &a));	/* gained */
	CU_ASSERT_EQUAL(a.ev, LB_HEALTH_Q_GAINED);
	CU_ASSERT_TRUE(a.sorry_remove && a.pool_in && !a.pool_out && !a.sorry_add);
	CU_ASSERT_EQUAL(lb_health_quorum_rs_action(&q, true, false), LB_HEALTH_RS_ADD);
	CU_ASSERT_EQUAL(lb_health_quorum_rs_action(&q, false, false), LB_HEALTH_RS_REMOVE);
	CU_ASSERT_EQUAL(lb_health_quorum_rs_action(&q, false, true), LB_HEALTH_RS_WEIGHT0);
	CU_ASSERT_EQUAL(lb_health_quorum_rs_action(&q, true, true), LB_HEALTH_RS_RESTORE);

	/* starts down: sorry server in at once; without one, no event */
	lb_health_quorum_init(&q, 3, 0, true, 2, &a);
	CU_ASSERT_FALSE(q.up);
	CU_ASSERT_TRUE(a.ev == LB_HEALTH_Q_LOST && a.sorry_add && q.sorry_active);
	lb_health_quorum_init(&q, 3, 0, false, 2, &a);
	CU_ASSERT_EQUAL(a.ev, LB_HEALTH_Q_NONE);
	CU_ASSERT_TRUE(lb_health_quorum_update(&q, 3, &a));
	CU_ASSERT_TRUE(a.ev == LB_HEALTH_Q_GAINED && !a.sorry_remove && !a.pool_in);
	/* quorum 0: lost only when no weight is left at all */
	lb_health_quorum_init(&q, 0, 0, false, 1, &a);
	CU_ASSERT_FALSE(lb_health_quorum_update(&q, 1, &a));
	CU_ASSERT_TRUE(lb_health_quorum_update(&q, 0, &a));
	CU_ASSERT_EQUAL(a.ev, LB_HEALTH_Q_LOST);
	CU_ASSERT_FALSE(a.sorry_add);
}

/* ---- probes on 127.0.0.1 ---- */

#define now_us lb_health_now_us

static void
on_event(struct lb_health_probe *p, const struct lb_health_event *ev, void *arg)
{
	struct lb_health_event *last = arg;

	(void)p;
	*last = *ev;
}

/* A listening (listen=true) or closed port on 127.0.0.1; returns the fd. */
static int
local_port(struct sockaddr_in *sin, bool listening)
{
	socklen_t len = sizeof(*sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)sin, sizeof(*sin)) < 0 ||
	    getsockname(fd, (struct sockaddr *)sin, &len) < 0 ||
	    (listening && listen(fd, 8) < 0))
		return -1;
	if (!listening)
		close(fd);	/* nothing listens there any more */
	return listening ? fd : -2;
}

/* Drive probes through an epoll set (lb_health_set_*) instead of a scan. */
static bool drive_epoll;

/*
 * Poll p until an event (at most 2 s); when srv >= 0, serve one HTTP
 * response `reply` on it. Returns the event type.
 */
static enum lb_health_ev_type
run_probe(struct lb_health_probe *p, int srv, const char *reply, char *req, size_t req_size)
{
	struct lb_health_event ev = { .type = LB_HEALTH_EV_NONE };
	struct timespec ms = { 0, 1000000 };
	uint64_t end = now_us() + S(2);
	struct lb_health_set set;
	int c = -1;
	ssize_t n;
	size_t got = 0;

	if (drive_epoll)
		CU_ASSERT_EQUAL_FATAL(lb_health_set_init(&set, &p, 1), 0);
	while (now_us() < end && ev.type == LB_HEALTH_EV_NONE) {
		if (drive_epoll)
			lb_health_set_poll(&set, now_us(), on_event, &ev);
		else
			lb_health_poll(&p, 1, now_us(), on_event, &ev);
		if (srv >= 0 && c < 0)
			c = accept(srv, NULL, NULL);
		if (c >= 0 && got < req_size - 1) {
			n = recv(c, req + got, req_size - 1 - got, MSG_DONTWAIT);
			if (n > 0) {
				got += (size_t)n;
				req[got] = '\0';
				if (strstr(req, "\r\n\r\n") != NULL) {
					CU_ASSERT_EQUAL(send(c, reply, strlen(reply), 0),
							(ssize_t)strlen(reply));
					close(c);
					got = req_size;	/* served */
				}
			}
		}
		nanosleep(&ms, NULL);
	}
	if (c >= 0 && got != req_size)
		close(c);
	if (drive_epoll)
		lb_health_set_term(&set);
	return ev.type;
}

static void
test_probe_tcp(void)
{
	struct lb_health_timing t = { .delay_loop = S(10), .connect_timeout = S(1),
				      .delay_before_retry = S(1), .retry = 0, .alpha = true };
	struct sockaddr_in sin, src;
	struct lb_health_probe p;
	struct lb_health_rs rs;
	int lfd = local_port(&sin, true);

	CU_ASSERT_FATAL(lfd >= 0);
	memset(&src, 0, sizeof(src));
	src.sin_family = AF_INET;
	src.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lb_health_rs_init(&rs);
	CU_ASSERT_EQUAL_FATAL(lb_health_probe_init(&p, LB_HEALTH_PROBE_TCP, (struct sockaddr *)&sin,
						   sizeof(sin), (struct sockaddr *)&src, sizeof(src),
						   NULL, &rs, &t, now_us(), 0), 0);
	CU_ASSERT_EQUAL(run_probe(&p, -1, NULL, NULL, 0), LB_HEALTH_EV_UP);
	CU_ASSERT_TRUE(rs.alive);
	CU_ASSERT_EQUAL(p.fd, -1);
	close(lfd);

	/* closed port: refused, DOWN at once with retry 0 */
	CU_ASSERT_FATAL(local_port(&sin, false) == -2);
	t.alpha = false;
	lb_health_rs_init(&rs);
	lb_health_probe_init(&p, LB_HEALTH_PROBE_TCP, (struct sockaddr *)&sin, sizeof(sin),
			     NULL, 0, NULL, &rs, &t, now_us(), 0);
	CU_ASSERT_EQUAL(run_probe(&p, -1, NULL, NULL, 0), LB_HEALTH_EV_DOWN);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.chk.last_error, "refused"));
	CU_ASSERT_FALSE(rs.alive);
}

static void
test_probe_http(void)
{
	const struct lb_health_timing t = { .delay_loop = S(10), .connect_timeout = S(1),
					    .delay_before_retry = S(1), .retry = 0, .alpha = true };
	const char *page = "HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n<html>ok</html>\n";
	struct lb_health_http_check h = { .proto = LB_HEALTH_HTTP_1_1, .path = "/health",
					  .digest = "6dcbae99902569903251b649576043bb" };
	struct sockaddr_in sin;
	struct lb_health_probe p;
	struct lb_health_rs rs;
	char req[512], want[160];
	int lfd = local_port(&sin, true);

	CU_ASSERT_FATAL(lfd >= 0);
	lb_health_http_codes_default(&h.codes);
	lb_health_rs_init(&rs);
	CU_ASSERT_EQUAL_FATAL(lb_health_probe_init(&p, LB_HEALTH_PROBE_HTTP, (struct sockaddr *)&sin,
						   sizeof(sin), NULL, 0, &h, &rs, &t, now_us(), 0), 0);
	CU_ASSERT_EQUAL(run_probe(&p, lfd, page, req, sizeof(req)), LB_HEALTH_EV_UP);
	snprintf(want, sizeof(want), "GET /health HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\n"
		 "Connection: close\r\nHost: 127.0.0.1:%u\r\n\r\n", ntohs(sin.sin_port));
	CU_ASSERT_STRING_EQUAL(req, want);

	/* the page changed: digest differs, DOWN */
	p.chk.next_at = 0;
	CU_ASSERT_EQUAL(run_probe(&p, lfd, "HTTP/1.0 200 OK\r\n\r\nchanged", req, sizeof(req)),
			LB_HEALTH_EV_DOWN);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.chk.last_error, "MD5 digest"));
	/* wrong status code */
	p.chk.next_at = 0;
	CU_ASSERT_EQUAL(run_probe(&p, lfd, page, req, sizeof(req)), LB_HEALTH_EV_UP);
	p.chk.next_at = 0;
	CU_ASSERT_EQUAL(run_probe(&p, lfd, "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n", req,
				  sizeof(req)), LB_HEALTH_EV_DOWN);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.chk.last_error, "status code 503"));
	/* a server that accepts and never answers: read timeout */
	p.chk.next_at = 0;
	CU_ASSERT_EQUAL(run_probe(&p, lfd, page, req, sizeof(req)), LB_HEALTH_EV_UP);
	p.chk.t.connect_timeout = 200000;
	p.chk.next_at = 0;
	CU_ASSERT_EQUAL(run_probe(&p, -1, NULL, NULL, 0), LB_HEALTH_EV_DOWN);
	CU_ASSERT_PTR_NOT_NULL(strstr(p.chk.last_error, "timeout reading"));
	lb_health_probe_close(&p);
	close(lfd);
}

/* Events of one MISC run: the last state change and the last weight. */
struct misc_events {
	struct lb_health_event state, weight;
};

static void
on_misc_event(struct lb_health_probe *p, const struct lb_health_event *ev, void *arg)
{
	struct misc_events *e = arg;

	(void)p;
	if (ev->type == LB_HEALTH_EV_WEIGHT)
		e->weight = *ev;
	else
		e->state = *ev;
}

/*
 * Run MISC_CHECK cmd once (misc_timeout 300 ms; fresh: a new probe with
 * alpha, else the same p and rs). Returns the state event (NONE when the
 * state did not change); *w gets a weight event if there was one.
 */
static enum lb_health_ev_type
run_misc(struct lb_health_probe *p, struct lb_health_rs *rs, const char *cmd, bool dynamic,
	 bool fresh, struct lb_health_event *w)
{
	static struct lb_health_misc_check m;
	const struct lb_health_timing t = { .delay_loop = S(10), .connect_timeout = 300000,
					    .retry = 0, .alpha = true };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct misc_events e = { .state.type = LB_HEALTH_EV_NONE,
				 .weight.type = LB_HEALTH_EV_NONE };
	struct timespec ms = { 0, 1000000 };
	uint64_t end = now_us() + S(2), runs;

	m.cmd = cmd;
	m.dynamic = dynamic;
	if (fresh) {
		lb_health_rs_init(rs);
		CU_ASSERT_EQUAL_FATAL(lb_health_probe_init_misc(p, &m, (struct sockaddr *)&sin,
								sizeof(sin), rs, &t, now_us(), 0), 0);
	}
	runs = p->chk.nb_ok + p->chk.nb_fail;
	p->chk.next_at = 0;
	while (now_us() < end && p->chk.nb_ok + p->chk.nb_fail == runs) {
		lb_health_poll(&p, 1, now_us(), on_misc_event, &e);
		nanosleep(&ms, NULL);
	}
	*w = e.weight;
	return e.state.type;
}

static void
test_probe_misc(void)
{
	struct lb_health_event w = { .type = LB_HEALTH_EV_NONE };
	struct lb_health_probe p;
	struct lb_health_rs rs;

	/* alpha: down until the script passes */
	CU_ASSERT_EQUAL(run_misc(&p, &rs, "exit 0", false, true, &w), LB_HEALTH_EV_UP);
	CU_ASSERT_TRUE(rs.alive);
	CU_ASSERT_EQUAL(run_misc(&p, &rs, "exit 1", false, false, &w), LB_HEALTH_EV_DOWN);
	CU_ASSERT_STRING_EQUAL(p.chk.last_error, "script exited with 1");
	/* without misc_dynamic any other code fails too */
	CU_ASSERT_EQUAL(run_misc(&p, &rs, "exit 7", false, true, &w), LB_HEALTH_EV_NONE);
	CU_ASSERT_FALSE(rs.alive);
	/* misc_dynamic: 2..255 passes and sets weight code - 2 */
	CU_ASSERT_EQUAL(run_misc(&p, &rs, "exit 7", true, true, &w), LB_HEALTH_EV_UP);
	CU_ASSERT_EQUAL(w.type, LB_HEALTH_EV_WEIGHT);
	CU_ASSERT_EQUAL(w.weight, 5);
	/* past misc_timeout the script (and its children) are killed */
	CU_ASSERT_EQUAL(run_misc(&p, &rs, "sleep 5; exit 0", false, false, &w), LB_HEALTH_EV_DOWN);
	CU_ASSERT_STRING_EQUAL(p.chk.last_error, "script timed out (killed)");
	CU_ASSERT_EQUAL(p.pid, 0);
	lb_health_probe_close(&p);
}

/* The same probes, driven by the epoll set the monitor uses. */
static void
test_probe_epoll(void)
{
	drive_epoll = true;
	test_probe_tcp();
	test_probe_http();
	drive_epoll = false;
}

static void
lb_test_health_logic(CU_pSuite s)
{
	CU_add_test(s, "count: retry, delay_before_retry, delay_loop", test_count_retry);
	CU_add_test(s, "count: retry 0, alpha, warmup", test_count_retry0_alpha_warmup);
	CU_add_test(s, "count: several checkers, omega", test_count_several_checkers_omega);
	CU_add_test(s, "count: verdict since a time, kick", test_count_verdict_since_kick);
	CU_add_test(s, "quorum: hysteresis, sorry server, inhibit", test_quorum_hysteresis_sorry);
	CU_add_test(s, "probe: TCP up and refused on 127.0.0.1", test_probe_tcp);
	CU_add_test(s, "probe: HTTP digest, status, timeout", test_probe_http);
	CU_add_test(s, "probe: TCP and HTTP through an epoll set", test_probe_epoll);
	CU_add_test(s, "probe: MISC_CHECK exit codes, misc_dynamic, timeout", test_probe_misc);
}

void
lb_test_register_health(void)
{
	CU_pSuite s = CU_add_suite("health", NULL, NULL);

	CU_add_test(s, "http: complete, split at every byte", test_http_complete_and_split);
	CU_add_test(s, "http: digest compare", test_http_digest_case);
	CU_add_test(s, "http: oversize", test_http_oversize);
	CU_add_test(s, "http: truncated, early close", test_http_truncated_and_early_close);
	CU_add_test(s, "http: garbage", test_http_garbage);
	CU_add_test(s, "http: status codes, request", test_http_codes_and_request);
	lb_test_health_logic(s);
}
