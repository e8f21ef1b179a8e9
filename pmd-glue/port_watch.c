/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port faults, watched once a second on the control lcore: the link going
 * down and up, TX queues that refuse packets, an exception TAP deleted
 * from the kernel. Each is logged once when it starts and once when it
 * ends, and counted per port (`show interfaces`).
 */
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_log.h>

#include "app/lcore.h"
#include "pmd-glue/exception.h"
#include "pmd-glue/port.h"

extern int lb_port_logtype;
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_port_logtype, "port: " fmt "\n", ##__VA_ARGS__)

/*
 * Vdevs over a kernel interface (af_packet, af_xdp: "...,iface=NAME") report
 * a fixed link; the kernel interface's own state (up and running) is the
 * real one. Returns 1 up, 0 down, -1 when the device names no interface.
 */
static int
kernel_link(const struct lb_port *p)
{
	const char *at = strstr(p->cfg->device, "iface=");
	struct ifreq ifr;
	size_t n;
	int fd, up = -1;

	if (at == NULL)
		return -1;
	at += strlen("iface=");
	n = strcspn(at, ",");
	if (n == 0 || n >= sizeof(ifr.ifr_name))
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, at, n);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0)
		up = (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
	else
		up = 0;		/* the interface is gone */
	close(fd);
	return up;
}

static double
seconds_since(uint64_t tsc)
{
	return (double)(rte_get_tsc_cycles() - tsc) / (double)rte_get_tsc_hz();
}

static void
watch_link(struct lb_port *p)
{
	struct rte_eth_link link;
	char text[RTE_ETH_LINK_MAX_STR_LEN];

	if (rte_eth_link_get_nowait(p->port_id, &link) != 0)
		return;
	if (link.link_status && kernel_link(p) == 0)
		link.link_status = RTE_ETH_LINK_DOWN;	/* its kernel interface is down */
	if (p->link_known && (bool)link.link_status == p->link_up)
		return;
	rte_eth_link_to_str(text, sizeof(text), &link);
	if (!link.link_status) {
		p->link_downs++;
		p->link_down_tsc = rte_get_tsc_cycles();
		LOG(WARNING, "interface %s (port %u, %s): link down: what dplb sends out of "
		    "it is lost until it is back (link_down %" PRIu64 ")", p->cfg->name,
		    p->port_id, p->dev_name, p->link_downs);
	} else if (p->link_known) {
		LOG(NOTICE, "interface %s (port %u, %s): %s, after %.1f s down", p->cfg->name,
		    p->port_id, p->dev_name, text, seconds_since(p->link_down_tsc));
	} else {
		LOG(NOTICE, "interface %s: %s", p->cfg->name, text);
	}
	p->link_up = link.link_status;
	p->link_known = true;
}

/* Log a spell of TX queues refusing packets: once as it starts, once as it ends. */
static void
watch_tx(struct lb_port *p)
{
	uint64_t now = lb_lcores_tx_full(p->port_id);

	if (now != p->tx_full_seen && !p->tx_full_spell) {
		p->tx_full_spell = true;
		p->tx_full_from = p->tx_full_seen;
		LOG(WARNING, "interface %s (port %u, %s): TX queue full, %" PRIu64 " packet(s) "
		    "not taken and dropped (tx_full); the link or its peer is slower than "
		    "the traffic", p->cfg->name, p->port_id, p->dev_name, now - p->tx_full_seen);
	} else if (now == p->tx_full_seen && p->tx_full_spell) {
		p->tx_full_spell = false;
		LOG(NOTICE, "interface %s (port %u, %s): TX queue takes packets again; %" PRIu64
		    " dropped while it was full (tx_full)", p->cfg->name, p->port_id,
		    p->dev_name, now - p->tx_full_from);
	}
	p->tx_full_seen = now;
}

void
lb_ports_watch(void)
{
	unsigned int i;

	for (i = 0; i < lb_nb_ports; i++) {
		struct lb_port *p = &lb_ports[i];

		if (!p->started)
			continue;
		watch_link(p);
		watch_tx(p);
		lb_exception_check(p);
	}
}

void
lb_port_show_faults(FILE *out, const struct lb_port *p)
{
	struct rte_eth_stats st = { 0 };

	rte_eth_stats_get(p->port_id, &st);
	fprintf(out, "  faults: link_down %" PRIu64 ", tx_full %" PRIu64 ", rx_nombuf %" PRIu64
		", exception_lost %" PRIu64 "\n", p->link_downs, lb_lcores_tx_full(p->port_id),
		st.rx_nombuf, p->exception_lost);
}
