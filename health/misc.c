/* SPDX-License-Identifier: BSD-3-Clause */
/* External scripts without blocking the control lcore. See misc.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "health/misc.h"

#define MAX_DETACHED 64

extern char **environ;

static pid_t detached[MAX_DETACHED];
static unsigned int nb_detached;

int
lb_health_script_spawn(const char *cmd, pid_t *pid)
{
	char *argv[] = { (char *)"sh", (char *)"-c", (char *)cmd, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawnattr_init(&at);
	/* its own process group, so a timeout kills what it started too */
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	rc = posix_spawn(pid, "/bin/sh", &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return -rc;
}

int
lb_health_script_reap(pid_t pid, int *status)
{
	pid_t r = waitpid(pid, status, WNOHANG);

	if (r == pid)
		return 1;
	return r == 0 ? 0 : -errno;
}

int
lb_health_script_wait(pid_t pid, uint64_t now, uint64_t deadline, int *code, char *reason,
		      size_t len)
{
	int rc, status;

	rc = lb_health_script_reap(pid, &status);
	if (rc == 0 && now < deadline)
		return 1;
	if (rc == 0) {
		lb_health_script_kill(pid);
		snprintf(reason, len, "script timed out (killed)");
		return -1;
	}
	if (rc < 0) {
		snprintf(reason, len, "script lost: %s", strerror(-rc));
		return -1;
	}
	if (!WIFEXITED(status)) {
		snprintf(reason, len, "script killed by signal %d", WTERMSIG(status));
		return -1;
	}
	*code = WEXITSTATUS(status);
	return 0;
}

void
lb_health_script_kill(pid_t pid)
{
	int status;

	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);	/* SIGKILLed: returns at once */
}

int
lb_health_script_detach(const char *cmd)
{
	pid_t pid;
	int rc;

	lb_health_script_reap_detached();
	if (nb_detached == MAX_DETACHED)
		return -EAGAIN;
	rc = lb_health_script_spawn(cmd, &pid);
	if (rc == 0)
		detached[nb_detached++] = pid;
	return rc;
}

void
lb_health_script_reap_detached(void)
{
	unsigned int i = 0;
	int status;

	while (i < nb_detached) {
		if (lb_health_script_reap(detached[i], &status) != 0)
			detached[i] = detached[--nb_detached];
		else
			i++;
	}
}
