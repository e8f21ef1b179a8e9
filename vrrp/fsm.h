/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_VRRP_FSM_H
#define LB_VRRP_FSM_H

/*
 * The state machine of one vrrp_instance (RFC 3768 / RFC 5798 section 6.4,
 * with keepalived's preempt_delay and nopreempt). Pure: time is passed in
 * (monotonic microseconds, never 0), nothing is sent or armed here; every
 * call returns the actions the caller must take, and the caller arms one
 * timer for lb_vrrp_fsm_deadline(). One struct per instance, owned by the
 * control lcore; not thread-safe.
 */
#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>

enum lb_vrrp_state {
	LB_VRRP_STATE_INIT = 0,
	LB_VRRP_STATE_BACKUP,
	LB_VRRP_STATE_MASTER,
	LB_VRRP_STATE_FAULT,
};

enum lb_vrrp_event {
	LB_VRRP_EV_STARTUP,	/* instance enabled, interface up */
	LB_VRRP_EV_ADVERT,	/* valid advert decoded (priority, primary address) */
	LB_VRRP_EV_MASTER_DOWN,	/* Master_Down_Timer expired */
	LB_VRRP_EV_ADVER_TIMER,	/* Adver_Timer expired */
	LB_VRRP_EV_IF_UP,	/* tracked interface(s) back: leave FAULT */
	LB_VRRP_EV_IF_DOWN,	/* interface down: enter FAULT */
	LB_VRRP_EV_SHUTDOWN,	/* instance stopped: back to INIT */
	LB_VRRP_EV_PRIORITY,	/* effective priority changed by tracking */
	LB_VRRP_EV_SYNC_MASTER,	/* sync group: a member became MASTER (BACKUP follows) */
	LB_VRRP_EV_SYNC_BACKUP,	/* sync group: a member left MASTER (MASTER resigns) */
};

/* Actions, a bit mask; when several are set, take them in bit order. */
#define LB_VRRP_ACT_SEND_PRIO0    (1u << 0)	/* send one advert with priority 0 */
#define LB_VRRP_ACT_LEAVE_MASTER  (1u << 1)	/* stop owning the VIPs (ARP, traffic) */
#define LB_VRRP_ACT_SEND_ADVERT   (1u << 2)	/* send an advert, effective priority */
#define LB_VRRP_ACT_BECOME_MASTER (1u << 3)	/* own the VIPs, send the GARP burst */

struct lb_vrrp_fsm_cfg {
	uint8_t version;		/* 2 or 3 */
	uint8_t priority;		/* configured priority 1..255 (255 = owner) */
	uint32_t adver_int_cs;		/* advert interval, centiseconds (v2: s * 100) */
	bool nopreempt;
	uint32_t preempt_delay_ms;	/* 0 = preempt at once */
	rte_be32_t primary;		/* our primary address: ties at equal priority */
};

struct lb_vrrp_fsm {
	struct lb_vrrp_fsm_cfg cfg;
	enum lb_vrrp_state state;
	uint8_t priority;		/* effective priority */
	uint32_t master_adver_cs;	/* Master_Adver_Interval (v3: learned) */
	uint64_t adver_at;		/* Adver_Timer deadline, 0 = stopped */
	uint64_t master_down_at;	/* Master_Down_Timer deadline, 0 = stopped */
	uint64_t preempt_at;		/* preempt_delay deadline, 0 = not started */
};

/* An event with its arguments (advert fields for ADVERT, prio for PRIORITY). */
struct lb_vrrp_fsm_input {
	enum lb_vrrp_event ev;
	uint8_t priority;		/* ADVERT: sender's priority; PRIORITY: new one */
	rte_be32_t saddr;		/* ADVERT: sender's primary address */
	uint16_t adver_int_cs;		/* ADVERT: its interval (v3 cs, v2 s * 100) */
};

/* Initialise fsm in INIT from cfg. Returns 0 or -EINVAL for a bad cfg. */
int lb_vrrp_fsm_init(struct lb_vrrp_fsm *fsm, const struct lb_vrrp_fsm_cfg *cfg);

/*
 * Feed one event at time now (us). Returns LB_VRRP_ACT_* to carry out, in
 * the documented order; the state and deadlines are updated. Events that
 * do not apply in the current state return 0 and change nothing.
 */
unsigned int lb_vrrp_fsm_input(struct lb_vrrp_fsm *fsm, const struct lb_vrrp_fsm_input *in,
			       uint64_t now);

/*
 * New settings for a running fsm (config reload), same version: priority
 * (the effective one changes through LB_VRRP_EV_PRIORITY), interval,
 * preemption, primary address. A new interval takes effect now: a MASTER's
 * next advert is one new interval away, a v2 BACKUP's Master_Down_Timer
 * restarts with it; a changed preemption restarts a running
 * preempt_delay. No action is due. 0, or -EINVAL (fsm unchanged).
 */
int lb_vrrp_fsm_reconfig(struct lb_vrrp_fsm *fsm, const struct lb_vrrp_fsm_cfg *cfg,
			 uint64_t now);

/*
 * Fire whichever of the instance's timers is due at now (at most one of
 * Adver_Timer and Master_Down_Timer is running). Returns the actions.
 */
unsigned int lb_vrrp_fsm_poll(struct lb_vrrp_fsm *fsm, uint64_t now);

/* Earliest running deadline (us), 0 when no timer runs. */
uint64_t lb_vrrp_fsm_deadline(const struct lb_vrrp_fsm *fsm);

/* Skew_Time and Master_Down_Interval (us) for the current priority. */
uint64_t lb_vrrp_fsm_skew_us(const struct lb_vrrp_fsm *fsm);
uint64_t lb_vrrp_fsm_master_down_us(const struct lb_vrrp_fsm *fsm);

/* "INIT", "BACKUP", "MASTER", "FAULT". */
const char *lb_vrrp_state_name(enum lb_vrrp_state s);

#endif
