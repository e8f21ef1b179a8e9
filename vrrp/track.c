/* SPDX-License-Identifier: BSD-3-Clause */
/* vrrp_script runs and their OK/FAILED state. See track.h. */
#include <inttypes.h>
#include <string.h>

#include <rte_log.h>

#include "health/misc.h"
#include "vrrp/track.h"

extern int lb_vrrp_logtype;
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_vrrp_logtype, "vrrp: " fmt "\n", ##__VA_ARGS__)

struct script {
	const struct lb_cfg_vrrp_script *cfg;
	bool ok;
	unsigned int in_a_row;		/* results against the current state */
	pid_t pid;			/* running, 0 = idle */
	uint64_t next_at, deadline;
	uint64_t nb_ok, nb_fail;
	char last[64];			/* last result */
};

static struct script scripts[LB_MAX_VRRP_SCRIPTS];
static unsigned int nb_scripts;

int
lb_vrrp_track_init(const struct lb_config *cfg, uint64_t now)
{
	unsigned int i;

	nb_scripts = cfg->nb_vrrp_scripts;
	for (i = 0; i < nb_scripts; i++) {
		memset(&scripts[i], 0, sizeof(scripts[i]));
		scripts[i].cfg = &cfg->vrrp_scripts[i];
		scripts[i].ok = !cfg->vrrp_scripts[i].init_fail;
		scripts[i].next_at = now;
		snprintf(scripts[i].last, sizeof(scripts[i].last), "not run yet");
	}
	return 0;
}

/* One result: true when the script's state changed (rise/fall reached). */
static bool
result(struct script *s, bool ok, const char *what)
{
	snprintf(s->last, sizeof(s->last), "%s", what);
	if (ok)
		s->nb_ok++;
	else
		s->nb_fail++;
	if (ok == s->ok) {
		s->in_a_row = 0;
		return false;
	}
	if (++s->in_a_row < (ok ? s->cfg->rise : s->cfg->fall))
		return false;
	s->ok = ok;
	s->in_a_row = 0;
	LOG(NOTICE, "vrrp_script %s is now %s (%s)", s->cfg->name, ok ? "OK" : "FAILED", what);
	return true;
}

static bool
step(struct script *s, uint64_t now)
{
	char what[64];
	int rc, code;

	if (s->pid == 0) {
		if (now < s->next_at)
			return false;
		s->next_at = now + s->cfg->interval_ms * 1000ull;
		rc = lb_health_script_spawn(s->cfg->script, &s->pid);
		if (rc != 0) {
			s->pid = 0;
			snprintf(what, sizeof(what), "cannot run: %s", strerror(-rc));
			return result(s, false, what);
		}
		s->deadline = now + s->cfg->timeout_ms * 1000ull;
		return false;
	}
	rc = lb_health_script_wait(s->pid, now, s->deadline, &code, what, sizeof(what));
	if (rc > 0)
		return false;
	s->pid = 0;
	if (rc < 0)
		return result(s, false, what);
	snprintf(what, sizeof(what), "exit %d", code);
	return result(s, code == 0, what);
}

bool
lb_vrrp_track_poll(uint64_t now)
{
	bool changed = false;
	unsigned int i;

	for (i = 0; i < nb_scripts; i++)
		changed |= step(&scripts[i], now);
	return changed;
}

bool
lb_vrrp_script_ok(unsigned int idx)
{
	return idx < nb_scripts && scripts[idx].ok;
}

void
lb_vrrp_track_show(FILE *out)
{
	unsigned int i;

	for (i = 0; i < nb_scripts; i++)
		fprintf(out, "vrrp_script %s: %s, weight %d, ok %" PRIu64 " fail %" PRIu64
			", last %s\n", scripts[i].cfg->name, scripts[i].ok ? "OK" : "FAILED",
			scripts[i].cfg->weight, scripts[i].nb_ok, scripts[i].nb_fail,
			scripts[i].last);
}

void
lb_vrrp_track_term(void)
{
	unsigned int i;

	for (i = 0; i < nb_scripts; i++)
		if (scripts[i].pid > 0)
			lb_health_script_kill(scripts[i].pid);
	nb_scripts = 0;
}
