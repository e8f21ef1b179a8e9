/* SPDX-License-Identifier: BSD-3-Clause */
/* Non-blocking line-oriented CLI sessions over TCP, polled by the control lcore. */
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
#include "cli/password.h"
#include "cli/server.h"
#include "cli/term.h"
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
#define IAC_DO 253
#define OPT_ECHO 1
#define OPT_SGA 3		/* suppress go-ahead: character at a time */

struct session {
	int fd;
	bool batch;
	bool closing;
	bool authed;			/* password given (or none needed) */
	unsigned int tries;		/* wrong passwords so far */
	enum telnet_state tn;
	unsigned char tn_verb;		/* WILL/WONT/DO/DONT awaiting its option */
	bool offered;			/* we sent WILL ECHO, WILL SGA (a telnet client) */
	bool after_cr;			/* interactive: a LF or NUL after CR is dropped */
	struct lb_term *term;		/* interactive (client said DO ECHO): line editor */
	uint64_t repeat_tsc;		/* show top: next refresh; 0 = not refreshing */
	char repeat[32];		/* ... of this command */
	uint64_t last_tsc;		/* last input, for the idle timeout */
	size_t in_len;
	char in[LB_CLI_MAX_LINE + 1];
	char *out;
	size_t out_len, out_off, out_cap;
};

static int listen_fd = -1;
static struct session sessions[LB_CLI_MAX_SESSIONS];
static char router_id[64];	/* for the prompt; "" = dplb */
static char password_hash[112];	/* "" = no password asked */

#define PASSWORD_TRIES 3

int
lb_cli_init(const struct lb_config *cfg)
{
	int i, rc;

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
	rc = lb_tcp_listen(cfg->cli.listen_addr, cfg->cli.listen_port);
	if (rc < 0) {
		LOG(ERR, "cannot listen on %s:%u: %s (another dplb running? set cli.listen)",
		    cfg->cli.listen_addr, cfg->cli.listen_port, strerror(-rc));
		return rc;
	}
	listen_fd = rc;
	LOG(INFO, "listening on %s:%u", cfg->cli.listen_addr, cfg->cli.listen_port);
	return 0;
}

static void
session_close(struct session *s)
{
	close(s->fd);
	lb_term_free(s->term);
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
	if (s->out_len + len > s->out_cap) {
		size_t cap = RTE_MAX(s->out_cap * 2, s->out_len + len + 256);

		n = realloc(s->out, cap);
		if (n == NULL) {
			s->closing = true;
			return;
		}
		s->out = n;
		s->out_cap = cap;
	}
	memcpy(s->out + s->out_len, data, len);
	s->out_len += len;
}

static void
term_write(void *ctx, const char *data, size_t len)
{
	session_write(ctx, data, len);
}

/* Command output: a terminal in character mode needs CR LF (RFC 854 NVT). */
static void
session_write_text(struct session *s, const char *text, size_t len)
{
	const char *nl;

	if (s->term == NULL) {
		session_write(s, text, len);
		return;
	}
	while (len > 0 && (nl = memchr(text, '\n', len)) != NULL) {
		session_write(s, text, (size_t)(nl - text));
		session_write(s, "\r\n", 2);
		len -= (size_t)(nl - text) + 1;
		text = nl + 1;
	}
	session_write(s, text, len);
}

/*
 * The prompt: the router_id (else "dplb") and, with VRRP instances, their
 * state, as `lb1(MASTER)> `: the operator sees which box is in charge.
 */
static void
prompt_str(char *buf, size_t len)
{
	const char *vrrp = lb_vrrp_summary();
	const char *name = router_id[0] != '\0' ? router_id : "dplb";

	if (vrrp != NULL)
		snprintf(buf, len, "%s(%s)> ", name, vrrp);
	else
		snprintf(buf, len, "%s> ", name);
}

/* A fresh prompt: the editor's new line, or the text of it. */
static void
show_prompt(struct session *s)
{
	char p[96];

	prompt_str(p, sizeof(p));
	if (s->term != NULL)
		lb_term_newline(s->term, p);
	else
		session_write(s, p, strlen(p));
}

/* Before any command: the password; three wrong ones close the session. */
static void
session_auth(struct session *s, const char *line)
{
	static const char wrong[] = "error: wrong password\n";

	if (lb_cli_password_ok(password_hash, line)) {
		s->authed = true;
		if (s->term != NULL)
			session_write(s, "\r\n", 2);	/* Enter was not echoed */
		show_prompt(s);
		return;
	}
	LOG(WARNING, "CLI: wrong password (%u of %u)", s->tries + 1, PASSWORD_TRIES);
	if (s->term != NULL)
		session_write(s, "\r\n", 2);
	session_write_text(s, wrong, sizeof(wrong) - 1);
	if (++s->tries >= PASSWORD_TRIES)
		s->closing = true;
	else
		session_write(s, "password: ", 10);
}

static void
session_run(struct session *s, const char *line)
{
	char *text = NULL;
	size_t len = 0, n;
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
	n = strlen(line);
	if (n > 0 && line[n - 1] == '?') {	/* `show ?`: what may come next */
		char typed[LB_CLI_MAX_LINE + 1];

		snprintf(typed, sizeof(typed), "%.*s", (int)(n - 1), line);
		lb_term_help(out, typed);
		rc = 0;
	} else {
		if (s->term != NULL && s->repeat_tsc != 0)
			fputs("\033[H\033[2J", out);	/* a refresh: from the top of a clean screen */
		rc = lb_cli_exec(line, out);
	}
	if (rc == LB_CLI_REPEAT) {
		rc = 0;
		if (!s->batch && strlen(line) < sizeof(s->repeat)) {
			snprintf(s->repeat, sizeof(s->repeat), "%s", line);
			s->repeat_tsc = rte_get_tsc_cycles() + rte_get_tsc_hz();
		}
	}
	if (s->batch)
		fprintf(out, "%%%% %s\n", rc == 0 ? "ok" : "error");
	fclose(out);
	session_write_text(s, text, len);
	free(text);
	if (!s->batch && !s->closing && s->repeat_tsc == 0)
		show_prompt(s);
}

/* show top and the like: the next frame when its second has come. */
static unsigned int
session_refresh(struct session *s)
{
	char line[sizeof(s->repeat)];

	if (s->repeat_tsc == 0 || rte_get_tsc_cycles() < s->repeat_tsc || s->out_len > 0)
		return 0;
	snprintf(line, sizeof(line), "%s", s->repeat);
	session_run(s, line);
	return 1;
}

/* Any key ends a refreshing view: what was typed is dropped, the prompt returns. */
static bool
refresh_stopped(struct session *s)
{
	if (s->repeat_tsc == 0)
		return false;
	s->repeat_tsc = 0;
	s->in_len = 0;
	show_prompt(s);
	return true;
}

/*
 * A telnet client (it sent telnet commands, or ends lines with CR LF): offer
 * character mode, once. One that answers DO ECHO gets the line editor;
 * nc, scripts and dplbctl's batch mode never see these bytes.
 */
static void
telnet_offer(struct session *s)
{
	static const char offer[] = { (char)IAC, (char)IAC_WILL, OPT_ECHO,
				      (char)IAC, (char)IAC_WILL, OPT_SGA };

	if (s->offered || s->batch)
		return;
	s->offered = true;
	session_write(s, offer, sizeof(offer));
}

/* The client asks for character mode (DO ECHO): editing, history, TAB, `?`. */
static void
go_interactive(struct session *s)
{
	if (s->term != NULL)
		return;
	telnet_offer(s);
	s->term = lb_term_new(term_write, s);
	if (s->term == NULL) {
		s->closing = true;
		return;
	}
	s->in_len = 0;
	if (s->authed) {
		session_write(s, "\r", 1);	/* the prompt again, over the line-mode one */
		show_prompt(s);
	}
}

/* Take complete lines out of the input buffer (line mode). */
static void
session_lines(struct session *s)
{
	size_t start = 0, i;

	for (i = 0; i < s->in_len && s->fd >= 0; i++) {
		if (s->in[i] != '\n')
			continue;
		s->in[i] = '\0';
		if (i > start && s->in[i - 1] == '\r') {
			s->in[i - 1] = '\0';
			telnet_offer(s);	/* telnet sends CR LF */
		}
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

/* Feed one byte through the telnet parser (RFC 854); true when it is data. */
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
		telnet_offer(s);
		s->tn_verb = c;
		s->tn = c == IAC_SB ? TN_SUB : c >= IAC_WILL ? TN_OPTION : TN_DATA;
		return false;
	case TN_OPTION:			/* other options: not ours, left unanswered */
		if (s->tn_verb == IAC_DO && c == OPT_ECHO && !s->batch)
			go_interactive(s);
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

/* One byte typed on an interactive session: the editor, or the password. */
static void
interactive_byte(struct session *s, char c)
{
	if (s->after_cr && (c == '\n' || c == '\0')) {	/* CR LF, CR NUL: one Enter */
		s->after_cr = false;
		return;
	}
	s->after_cr = c == '\r';
	if (!s->authed) {		/* not echoed: the client left echo to us */
		if (c == '\r' || c == '\n') {
			s->in[s->in_len] = '\0';
			s->in_len = 0;
			session_auth(s, s->in);
		} else if (c >= 0x20 && c < 0x7f && s->in_len < LB_CLI_MAX_LINE) {
			s->in[s->in_len++] = c;
		}
		return;
	}
	switch (lb_term_input(s->term, c)) {
	case LB_TERM_LINE:
		session_run(s, lb_term_line(s->term));
		break;
	case LB_TERM_EOF:
		s->closing = true;
		break;
	default:
		break;
	}
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
	if (refresh_stopped(s))
		return 1;
	for (i = 0; i < (size_t)n && !s->closing; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (!telnet_data(s, c))
			continue;	/* telnet negotiation */
		if (s->term != NULL) {
			interactive_byte(s, (char)c);
			continue;
		}
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
	s->out_len = s->out_off = s->out_cap = 0;
	if (s->closing)
		session_close(s);
}

/* A new session's first prompt. */
static void
greet(struct session *s)
{
	s->authed = password_hash[0] == '\0';
	s->tries = 0;
	if (!s->authed) {
		session_write(s, "password: ", 10);
		return;
	}
	show_prompt(s);
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
		if (s->fd >= 0)
			work += session_refresh(s);
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
