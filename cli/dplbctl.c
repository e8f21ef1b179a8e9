/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dplbctl: run one CLI command against a running dplb and exit non-zero
 * when it fails. `dplbctl [-s HOST:PORT] WORDS...`; words are joined with
 * spaces. Arguments that start with '-' are taken as ipvsadm arguments
 * (`dplbctl -L -n` runs `ipvsadm -L -n`); `dplbctl -R` restores the rules
 * `ipvsadm -S` printed, read from stdin; `dplbctl` alone opens an
 * interactive session (line editing, history, TAB and `?` on a terminal).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#define DEFAULT_SERVER "127.0.0.1:2323"

static void
usage(FILE *out)
{
	fprintf(out, "usage: dplbctl [-s HOST:PORT] COMMAND...\n"
		"       dplbctl [-s HOST:PORT] IPVSADM-ARGS...   (e.g. -L -n)\n"
		"       dplbctl [-s HOST:PORT] -R < RULES          (ipvsadm -S output)\n"
		"       dplbctl [-s HOST:PORT]                     (an interactive session)\n"
		"Runs one command on the dplb CLI (default %s, or $DPLB_SERVER;\n"
		"$DPLB_PASSWORD is sent first when set)\n"
		"and exits 0 on success, 1 when the command failed, 2 when dplb\n"
		"cannot be reached.\n", DEFAULT_SERVER);
}

/*
 * A TCP connection to a local port nobody listens on, in the ephemeral
 * range, can get that very port as its source and connect to itself
 * (simultaneous open): it would hold dplb's port and wait for an answer
 * that never comes.
 */
static bool
connected_to_itself(int fd)
{
	struct sockaddr_in local, peer;
	socklen_t llen = sizeof(local), plen = sizeof(peer);

	return getsockname(fd, (struct sockaddr *)&local, &llen) == 0 &&
	       getpeername(fd, (struct sockaddr *)&peer, &plen) == 0 &&
	       local.sin_port == peer.sin_port && local.sin_addr.s_addr == peer.sin_addr.s_addr;
}

static int
connect_to(const char *server)
{
	char host[64];
	const char *colon = strrchr(server, ':');
	struct sockaddr_in sa = { .sin_family = AF_INET };
	long port;
	int fd;

	if (colon == NULL || (size_t)(colon - server) >= sizeof(host)) {
		fprintf(stderr, "dplbctl: server '%s' is not HOST:PORT\n", server);
		return -1;
	}
	memcpy(host, server, (size_t)(colon - server));
	host[colon - server] = '\0';
	port = strtol(colon + 1, NULL, 10);
	if (port < 1 || port > 65535 || inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "dplbctl: server '%s' is not IPV4:PORT\n", server);
		return -1;
	}
	sa.sin_port = htons((uint16_t)port);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		fprintf(stderr, "dplbctl: cannot reach dplb at %s: %s\n", server,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (connected_to_itself(fd)) {
		fprintf(stderr, "dplbctl: cannot reach dplb at %s: nothing listens there "
			"(the connection reached itself)\n", server);
		close(fd);
		return -1;
	}
	return fd;
}

/* Send all of buf; -1 on error. */
static int
send_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* $DPLB_PASSWORD and a newline, when set (a CLI reachable from elsewhere asks). */
static int
send_password(int fd)
{
	const char *pw = getenv("DPLB_PASSWORD");

	if (pw == NULL)
		return 0;
	return send_all(fd, pw, strlen(pw)) == 0 && send_all(fd, "\n", 1) == 0 ? 0 : -1;
}

/* Length of the session's first prompt ("lb1(MASTER)> "), 0 when none. */
static size_t
prompt_len(const char *all)
{
	const char *end = strstr(all, "> ");
	size_t n = end != NULL ? (size_t)(end - all) + 2 : 0;

	if (n == 0 || n > 100 || memchr(all, '\n', n) != NULL)
		return 0;
	return n;
}

/*
 * Run one CLI command line (no newline) on server in batch mode; its output
 * goes to stdout, or to stderr when it failed. Returns 0 ok, 1 failed,
 * 2 dplb unreachable or no answer.
 */
static int
run(const char *server, const char *cmd)
{
	char buf[4096], *all = NULL, *st;
	size_t len = 0, off;
	int fd, status;
	ssize_t n;

	fd = connect_to(server);
	if (fd < 0)
		return 2;
	/* a CLI reachable from elsewhere asks for the password first */
	if (send_password(fd) != 0) {
		fprintf(stderr, "dplbctl: send failed: %s\n", strerror(errno));
		close(fd);
		return 2;
	}
	if (send_all(fd, "batch\n", 6) != 0 || send_all(fd, cmd, strlen(cmd)) != 0 ||
	    send_all(fd, "\nquit\n", 6) != 0) {
		fprintf(stderr, "dplbctl: send failed: %s\n", strerror(errno));
		close(fd);
		return 2;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		char *m = realloc(all, len + (size_t)n + 1);

		if (m == NULL) {
			free(all);
			close(fd);
			return 2;
		}
		all = m;
		memcpy(all + len, buf, (size_t)n);
		len += (size_t)n;
	}
	close(fd);
	if (all == NULL) {
		fprintf(stderr, "dplbctl: dplb closed the session without an answer\n");
		return 2;
	}
	all[len] = '\0';
	off = prompt_len(all);
	/* the answer ends with a status line "%% ok" or "%% error" */
	st = strstr(all + off, "%% ");
	while (st != NULL && strstr(st + 3, "%% ") != NULL)
		st = strstr(st + 3, "%% ");
	if (st == NULL) {
		fputs(all + off, stdout);
		fprintf(stderr, "dplbctl: no status from dplb\n");
		free(all);
		return 2;
	}
	status = strncmp(st, "%% ok", 5) == 0 ? 0 : 1;
	fwrite(all + off, 1, (size_t)(st - (all + off)), status ? stderr : stdout);
	free(all);
	return status;
}

/*
 * ipvsadm -R: the rules of `ipvsadm -S` on stdin, one per line, each run
 * as `ipvsadm RULE`; stops at the first that fails (naming its line).
 */
static int
restore(const char *server)
{
	char line[4096], cmd[4200];
	unsigned int nr = 0;
	int rc;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		char *p = line;

		nr++;
		line[strcspn(line, "\r\n")] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		if (strncmp(p, "ipvsadm ", 8) == 0)
			p += 8;
		snprintf(cmd, sizeof(cmd), "ipvsadm %s", p);
		rc = run(server, cmd);
		if (rc != 0) {
			fprintf(stderr, "dplbctl: -R: line %u failed: %s\n", nr, p);
			return rc;
		}
	}
	return 0;
}

static struct termios saved_tty;

static void
restore_tty(void)
{
	tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
}

/*
 * Copy what dplb sends to stdout without its telnet commands (IAC ...).
 * *tn carries the parser state across reads: 0 data, 1 after IAC,
 * 2 option byte, 3 in a subnegotiation, 4 IAC in a subnegotiation.
 */
static void
print_from_dplb(const unsigned char *buf, size_t n, int *tn)
{
	char out[4096];
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = buf[i];

		switch (*tn) {
		case 0:
			if (c == 255)
				*tn = 1;
			else
				out[k++] = (char)c;
			break;
		case 1:
			*tn = c == 250 ? 3 : c >= 251 ? 2 : 0;
			break;
		case 2:
			*tn = 0;
			break;
		case 3:
			if (c == 255)
				*tn = 4;
			break;
		default:
			*tn = c == 240 ? 0 : 3;
			break;
		}
	}
	if (k > 0 && write(STDOUT_FILENO, out, k) < 0)
		return;
}

/*
 * No command: an interactive session. On a terminal, dplbctl asks dplb for
 * character mode (telnet DO ECHO) so dplb's line editor runs (history,
 * TAB, `?`), and passes keys through raw; otherwise lines are relayed as
 * they come. Returns 0 when dplb closed the session, 2 when unreachable.
 */
static int
interactive(const char *server)
{
	static const unsigned char char_mode[] = { 255, 253, 1, 255, 253, 3 };	/* DO ECHO, SGA */
	bool tty = isatty(STDIN_FILENO) != 0;
	struct pollfd p[2];
	unsigned char buf[4096];
	int fd, tn = 0;
	ssize_t n;

	fd = connect_to(server);
	if (fd < 0)
		return 2;
	if (send_password(fd) != 0)
		return 2;
	if (tty) {
		struct termios raw;

		tcgetattr(STDIN_FILENO, &saved_tty);
		raw = saved_tty;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
		atexit(restore_tty);
		if (send_all(fd, (const char *)char_mode, sizeof(char_mode)) != 0)
			return 2;
	}
	p[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
	for (;;) {
		if (poll(p, p[1].fd >= 0 ? 2 : 1, -1) < 0)
			break;
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(fd, buf, sizeof(buf));
			if (n <= 0)
				break;
			print_from_dplb(buf, (size_t)n, &tn);
		}
		if (p[1].fd >= 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n <= 0) {			/* end of input: say quit, read the rest */
				(void)!send_all(fd, "\nquit\n", 6);
				p[1].fd = -1;
			} else if (send_all(fd, (const char *)buf, (size_t)n) != 0) {
				break;
			}
		}
	}
	close(fd);
	if (tty)
		(void)!write(STDOUT_FILENO, "\r\n", 2);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *server = getenv("DPLB_SERVER");
	char line[8192];
	size_t off;
	int i = 1;

	if (server == NULL)
		server = DEFAULT_SERVER;
	if (argc > 2 && strcmp(argv[1], "-s") == 0) {
		server = argv[2];
		i = 3;
	}
	if (i >= argc)
		return interactive(server);
	if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (i + 1 == argc && (strcmp(argv[i], "-R") == 0 || strcmp(argv[i], "--restore") == 0))
		return restore(server);
	off = (size_t)snprintf(line, sizeof(line), "%s", argv[i][0] == '-' ? "ipvsadm" : "");
	for (; i < argc; i++) {
		int w = snprintf(line + off, sizeof(line) - off, "%s%s", off > 0 ? " " : "",
				 argv[i]);

		if (w < 0 || (size_t)w >= sizeof(line) - off) {
			fprintf(stderr, "dplbctl: command too long\n");
			return 2;
		}
		off += (size_t)w;
	}
	return run(server, line);
}
