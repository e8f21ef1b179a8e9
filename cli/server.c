/* SPDX-License-Identifier: BSD-3-Clause */
/* Non-blocking line-oriented CLI sessions over TCP, polled by the control lcore. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_log.h>

#include "cli/password.h"
#include "cli/server.h"
#include "vrrp/instance.h"

RTE_LOG_REGISTER_SUFFIX(lb_cli_logtype, cli, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_cli_logtype, "cli: " fmt "\n", ##__VA_ARGS__)

#define OUT_MAX (1 << 20)	/* pending output past this closes the session */

/* Where a session is in the telnet byte stream (RFC 854): commands skipped. */
enum telnet_state {
	TN_DATA = 0,
	TN_IAC,		/* after IAC */
	TN_OPTION,	/* after IAC WILL/WONT/DO/DONT: one option byte */
	TN_SUB,		/* inside IAC SB ... IAC SE */
	TN_SUB_IAC,	/* IAC inside a subnegotiation */
};

#define IAC 255
#define IAC_SB 250
#define IAC_SE 240
#define IAC_WILL 251

struct session {
	int fd;
	bool batch;
	bool closing;
	bool authed;			/* password given (or none needed) */
	unsigned int tries;		/* wrong passwords so far */
	enum telnet_state tn;
	uint64_t last_tsc;		/* last input, for the idle timeout */
	size_t in_len;
	char in[LB_CLI_MAX_LINE + 1];
	char *out;
	size_t out_len, out_off;
};

static int listen_fd = -1;
static struct session sessions[LB_CLI_MAX_SESSIONS];
static char router_id[64];	/* for the prompt; "" = dplb */
static char password_hash[112];	/* "" = no password asked */

#define PASSWORD_TRIES 3

int
lb_cli_init(const struct lb_config *cfg)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int one = 1, i;

	for (i = 0; i < LB_CLI_MAX_SESSIONS; i++)
		sessions[i].fd = -1;
	snprintf(router_id, sizeof(router_id), "%s", cfg->router_id);
	/* the password is asked only when the listener is reachable from elsewhere */
	password_hash[0] = '\0';
	if (strncmp(cfg->cli.listen_addr, "127.", 4) != 0) {
		snprintf(password_hash, sizeof(password_hash), "%s", cfg->cli.password_hash);
		if (password_hash[0] == '\0')
			LOG(WARNING, "the CLI listens on %s:%u without a password "
			    "(cli.password_hash, from dplb --hash-password)",
			    cfg->cli.listen_addr, cfg->cli.listen_port);
	}
	sa.sin_port = htons(cfg->cli.listen_port);
	if (inet_pton(AF_INET, cfg->cli.listen_addr, &sa.sin_addr) != 1)
		return -EINVAL;
	listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (listen_fd < 0)
		return -errno;
	setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(listen_fd, 16) != 0) {
		int rc = -errno;

		LOG(ERR, "cannot listen on %s:%u: %s (another dplb running? set cli.listen)",
		    cfg->cli.listen_addr, cfg->cli.listen_port, strerror(-rc));
		close(listen_fd);
		listen_fd = -1;
		return rc;
	}
	LOG(INFO, "listening on %s:%u", cfg->cli.listen_addr, cfg->cli.listen_port);
	return 0;
}

static void
session_close(struct session *s)
{
	close(s->fd);
	free(s->out);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

static void
session_write(struct session *s, const char *data, size_t len)
{
	char *n;

	if (s->out_len + len > OUT_MAX) {
		s->closing = true;	/* the reader is not keeping up */
		return;
	}
	n = realloc(s->out, s->out_len + len);
	if (n == NULL) {
		s->closing = true;
		return;
	}
	memcpy(n + s->out_len, data, len);
	s->out = n;
	s->out_len += len;
}

/*
 * The prompt: the router_id (else "dplb") and, with VRRP instances, their
 * state, as `lb1(MASTER)> `: the operator sees which box is in charge.
 */
static void
prompt(FILE *out)
{
	const char *vrrp = lb_vrrp_summary();
	const char *name = router_id[0] != '\0' ? router_id : "dplb";

	if (vrrp != NULL)
		fprintf(out, "%s(%s)> ", name, vrrp);
	else
		fprintf(out, "%s> ", name);
}

/* Before any command: the password; three wrong ones close the session. */
static void
session_auth(struct session *s, const char *line)
{
	static const char wrong[] = "error: wrong password\n";
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	if (lb_cli_password_ok(password_hash, line)) {
		s->authed = true;
		out = open_memstream(&text, &len);
		if (out == NULL) {
			s->closing = true;
			return;
		}
		prompt(out);
		fclose(out);
		session_write(s, text, len);
		free(text);
		return;
	}
	LOG(WARNING, "CLI: wrong password (%u of %u)", s->tries + 1, PASSWORD_TRIES);
	session_write(s, wrong, sizeof(wrong) - 1);
	if (++s->tries >= PASSWORD_TRIES)
		s->closing = true;
	else
		session_write(s, "password: ", 10);
}

static void
session_run(struct session *s, const char *line)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int rc;

	if (!s->authed) {
		session_auth(s, line);	/* the whole line, spaces included */
		return;
	}
	while (*line == ' ' || *line == '\t')
		line++;
	if (strcmp(line, "quit") == 0 || strcmp(line, "exit") == 0) {
		s->closing = true;
		return;
	}
	if (strcmp(line, "batch") == 0) {
		s->batch = true;
		return;
	}
	out = open_memstream(&text, &len);
	if (out == NULL) {
		s->closing = true;
		return;
	}
	rc = lb_cli_exec(line, out);
	if (s->batch)
		fprintf(out, "%%%% %s\n", rc == 0 ? "ok" : "error");
	else
		prompt(out);
	fclose(out);
	session_write(s, text, len);
	free(text);
}

/* Take complete lines out of the input buffer. Telnet IAC sequences are skipped. */
static void
session_lines(struct session *s)
{
	size_t start = 0, i;

	for (i = 0; i < s->in_len; i++) {
		if (s->in[i] != '\n')
			continue;
		s->in[i] = '\0';
		if (i > start && s->in[i - 1] == '\r')
			s->in[i - 1] = '\0';
		session_run(s, &s->in[start]);
		start = i + 1;
	}
	memmove(s->in, s->in + start, s->in_len - start);
	s->in_len -= start;
	if (s->in_len == LB_CLI_MAX_LINE) {
		static const char msg[] = "error: line too long\n";

		session_write(s, msg, sizeof(msg) - 1);
		s->in_len = 0;
	}
}

/* Feed one byte through the telnet parser; true when it is data. */
static bool
telnet_data(struct session *s, unsigned char c)
{
	switch (s->tn) {
	case TN_DATA:
		if (c != IAC)
			return true;
		s->tn = TN_IAC;
		return false;
	case TN_IAC:
		if (c == IAC) {			/* escaped 255: not ASCII, dropped */
			s->tn = TN_DATA;
			return false;
		}
		s->tn = c == IAC_SB ? TN_SUB : c >= IAC_WILL ? TN_OPTION : TN_DATA;
		return false;
	case TN_OPTION:
		s->tn = TN_DATA;
		return false;
	case TN_SUB:
		if (c == IAC)
			s->tn = TN_SUB_IAC;
		return false;
	case TN_SUB_IAC:
		s->tn = c == IAC_SE ? TN_DATA : TN_SUB;
		return false;
	}
	return false;
}

static unsigned int
session_read(struct session *s)
{
	char buf[1024];
	ssize_t n;
	size_t i;

	n = read(s->fd, buf, sizeof(buf));
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		session_close(s);
		return 1;
	}
	if (n < 0)
		return 0;
	s->last_tsc = rte_get_tsc_cycles();
	for (i = 0; i < (size_t)n; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (!telnet_data(s, c))
			continue;	/* telnet negotiation: ignored, never answered */
		if (c == 0 || c >= 0x80 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t'))
			continue;	/* control and non-ASCII bytes: ignored */
		s->in[s->in_len++] = (char)c;
		if (c == '\n' || s->in_len == LB_CLI_MAX_LINE)
			session_lines(s);
	}
	return 1;
}

static void
session_flush(struct session *s)
{
	ssize_t n;

	while (s->out_off < s->out_len) {
		n = send(s->fd, s->out + s->out_off, s->out_len - s->out_off, MSG_NOSIGNAL);
		if (n <= 0) {
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				return;
			session_close(s);
			return;
		}
		s->out_off += (size_t)n;
	}
	free(s->out);
	s->out = NULL;
	s->out_len = s->out_off = 0;
	if (s->closing)
		session_close(s);
}

/* A new session's first prompt. */
static void
greet(struct session *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	s->authed = password_hash[0] == '\0';
	s->tries = 0;
	if (!s->authed) {
		session_write(s, "password: ", 10);
		return;
	}
	out = open_memstream(&text, &len);
	if (out == NULL)
		return;
	prompt(out);
	fclose(out);
	session_write(s, text, len);
	free(text);
}

static unsigned int
accept_new(void)
{
	int fd, i;

	fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return 0;
	for (i = 0; i < LB_CLI_MAX_SESSIONS; i++) {
		if (sessions[i].fd < 0) {
			sessions[i].fd = fd;
			sessions[i].last_tsc = rte_get_tsc_cycles();
			greet(&sessions[i]);
			return 1;
		}
	}
	(void)!write(fd, "error: too many sessions\n", 25);
	close(fd);
	return 1;
}

unsigned int
lb_cli_poll(void)
{
	const uint64_t idle_tsc = rte_get_tsc_hz() * LB_CLI_IDLE_TIMEOUT_S;
	unsigned int work = 0;
	int i;

	if (listen_fd < 0)
		return 0;
	work += accept_new();
	for (i = 0; i < LB_CLI_MAX_SESSIONS; i++) {
		struct session *s = &sessions[i];

		if (s->fd < 0)
			continue;
		if (!s->closing && rte_get_tsc_cycles() - s->last_tsc > idle_tsc) {
			static const char msg[] = "\nidle timeout: closing the session\n";

			session_write(s, msg, sizeof(msg) - 1);
			s->closing = true;
		}
		work += session_read(s);
		if (s->fd >= 0 && (s->out_len > 0 || s->closing))
			session_flush(s);
	}
	return work;
}

void
lb_cli_term(void)
{
	int i;

	for (i = 0; i < LB_CLI_MAX_SESSIONS; i++)
		if (sessions[i].fd >= 0)
			session_close(&sessions[i]);
	if (listen_fd >= 0)
		close(listen_fd);
	listen_fd = -1;
}
