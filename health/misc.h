/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_HEALTH_MISC_H
#define LB_HEALTH_MISC_H

/*
 * External scripts for MISC_CHECK and notify_up/notify_down, run with
 * /bin/sh -c in their own process group, stdin/stdout/stderr on /dev/null,
 * never waited for with a blocking call. Control lcore only.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* keepalived MISC_CHECK { misc_path; misc_timeout; misc_dynamic; } */
struct lb_health_misc_check {
	const char *cmd;		/* shell command line */
	bool dynamic;			/* exit 2..255 sets weight exit - 2 */
};

/* Start cmd. Returns 0 with *pid set, or -errno. */
int lb_health_script_spawn(const char *cmd, pid_t *pid);

/*
 * Has pid ended? 1 with *status (waitpid status) when it has, 0 while it
 * runs, -errno on error. Never blocks.
 */
int lb_health_script_reap(pid_t pid, int *status);

/*
 * Where script pid stands at now, given its deadline: 1 still running;
 * 0 ended, with its exit status in *code; -1 failed, with reason filled
 * ("script timed out (killed)" -- then it is killed here --, "script
 * killed by signal N", "script lost: ..."). Once it returns 0 or -1 the pid
 * is gone. Never blocks.
 */
int lb_health_script_wait(pid_t pid, uint64_t now, uint64_t deadline, int *code,
			  char *reason, size_t len);

/* Kill pid's process group (SIGKILL) and reap pid. */
void lb_health_script_kill(pid_t pid);

/*
 * Run cmd and forget it (notify scripts): it is reaped later by
 * lb_health_script_reap_detached(). Returns 0, -EAGAIN when 64 are still
 * running, or a spawn error.
 */
int lb_health_script_detach(const char *cmd);

/* Reap detached scripts that have ended; call now and then. */
void lb_health_script_reap_detached(void);

#endif
