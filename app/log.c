/* SPDX-License-Identifier: BSD-3-Clause */
/* rte_log to stderr, syslog or both, through a custom stdio stream. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <rte_log.h>

#include "app/log.h"

enum { TO_STDERR = 1, TO_SYSLOG = 2 };

static unsigned int target = TO_STDERR;
static FILE *stream;

int
lb_log_set_target(const char *name)
{
	if (strcmp(name, "stderr") == 0)
		target = TO_STDERR;
	else if (strcmp(name, "syslog") == 0)
		target = TO_SYSLOG;
	else if (strcmp(name, "both") == 0)
		target = TO_STDERR | TO_SYSLOG;
	else
		return -EINVAL;
	return 0;
}

/* One rte_log message (or a part of one) written to the stream. */
static ssize_t
log_write(void *cookie, const char *buf, size_t size)
{
	int level = rte_log_cur_msg_loglevel();

	(void)cookie;
	if (target & TO_STDERR)
		fwrite(buf, 1, size, stderr);
	if (target & TO_SYSLOG) {
		/* rte_log levels 1 (EMERG) .. 8 (DEBUG) are syslog's 0 .. 7 */
		int prio = level >= 1 && level <= 8 ? level - 1 : LOG_INFO;
		int len = (int)size;

		if (len > 0 && buf[len - 1] == '\n')
			len--;
		syslog(prio, "%.*s", len, buf);
	}
	return (ssize_t)size;
}

int
lb_log_init(const struct lb_config *cfg)
{
	cookie_io_functions_t io = { .write = log_write };

	(void)cfg;
	if (target == TO_STDERR)
		return rte_openlog_stream(stderr);
	openlog("dplb", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	stream = fopencookie(NULL, "w", io);
	if (stream == NULL)
		return -errno;
	setvbuf(stream, NULL, _IOLBF, 0);
	return rte_openlog_stream(stream);
}

void
lb_log_term(void)
{
	rte_openlog_stream(stderr);
	if (stream != NULL) {
		fclose(stream);
		stream = NULL;
	}
	if (target & TO_SYSLOG)
		closelog();
}
