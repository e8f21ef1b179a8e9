/* SPDX-License-Identifier: BSD-3-Clause */
/* Exception path: a TAP per data port, configured like the port in the kernel. */
#include <arpa/inet.h>
#include <net/if.h>
#include <net/route.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_string_fns.h>

#include "pmd-glue/exception.h"

RTE_LOG_REGISTER_SUFFIX(lb_exception_logtype, exception, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_exception_logtype, "exception: " fmt "\n", ##__VA_ARGS__)
/* Set-up messages: silent while lb_exception_check retries a failed set-up. */
#define LOG_SETUP(level, fmt, ...) do { if (!quiet) LOG(level, fmt, ##__VA_ARGS__); } while (0)

static bool quiet;

static void
set_sin(struct sockaddr *sa, uint32_t host_addr)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)sa;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(host_addr);
}

static void
write_sysctl(const char *iface, const char *fmt, const char *value)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), fmt, iface);
	f = fopen(path, "w");
	if (f == NULL)
		return;
	fputs(value, f);
	fclose(f);
}

/* Give the kernel interface the port's addresses, MTU and gateway. */
static int
configure_kernel(const struct lb_cfg_iface *ifc, const char *name)
{
	struct ifreq ifr;
	unsigned int a;
	int fd, rc = 0;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -errno;
	write_sysctl(name, "/proc/sys/net/ipv6/conf/%s/disable_ipv6", "1");
	if (ifc->mtu != 0) {
		memset(&ifr, 0, sizeof(ifr));
		rte_strscpy(ifr.ifr_name, name, IFNAMSIZ);
		ifr.ifr_mtu = ifc->mtu;
		if (ioctl(fd, SIOCSIFMTU, &ifr) != 0)
			LOG_SETUP(WARNING, "%s: cannot set MTU %u: %s", name, ifc->mtu, strerror(errno));
	}
	for (a = 0; a < ifc->nb_addrs && rc == 0; a++) {
		memset(&ifr, 0, sizeof(ifr));
		if (a == 0)
			rte_strscpy(ifr.ifr_name, name, IFNAMSIZ);
		else if (strlen(name) + 3 > IFNAMSIZ - 1 ||
			 snprintf(ifr.ifr_name, IFNAMSIZ, "%.12s:%u", name, a % 100) >= IFNAMSIZ) {
			LOG_SETUP(WARNING, "%s: name too long for address alias %u; the kernel "
			    "will not have that address", name, a);
			continue;
		}
		set_sin(&ifr.ifr_addr, ifc->addrs[a].addr);
		if (ioctl(fd, SIOCSIFADDR, &ifr) != 0)
			rc = -errno;
		set_sin(&ifr.ifr_netmask, lb_ipv4_mask(ifc->addrs[a].prefix_len));
		if (rc == 0 && ioctl(fd, SIOCSIFNETMASK, &ifr) != 0)
			rc = -errno;
		if (rc != 0)
			LOG_SETUP(ERR, "%s: cannot set address %u: %s", name, a, strerror(-rc));
	}
	memset(&ifr, 0, sizeof(ifr));
	rte_strscpy(ifr.ifr_name, name, IFNAMSIZ);
	if (rc == 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) != 0)
			rc = -errno;
	}
	if (rc == 0 && ifc->gateway != 0) {
		struct rtentry rt;

		memset(&rt, 0, sizeof(rt));
		set_sin(&rt.rt_dst, 0);
		set_sin(&rt.rt_genmask, 0);
		set_sin(&rt.rt_gateway, ifc->gateway);
		rt.rt_flags = RTF_UP | RTF_GATEWAY;
		rt.rt_dev = (char *)(uintptr_t)name;
		if (ioctl(fd, SIOCADDRT, &rt) != 0 && errno != EEXIST)
			LOG_SETUP(WARNING, "%s: cannot add default route: %s", name, strerror(errno));
	}
	close(fd);
	return rc;
}

int
lb_exception_open(struct lb_port *p)
{
	const struct lb_cfg_iface *ifc = p->cfg;
	char devargs[160], vdev[64], mac[RTE_ETHER_ADDR_FMT_SIZE];
	struct rte_eth_conf conf = { 0 };
	uint16_t port_id;
	int rc;

	rte_ether_format_addr(mac, sizeof(mac), &p->mac);
	snprintf(vdev, sizeof(vdev), "net_tap_lb%u", p->port_id);
	snprintf(devargs, sizeof(devargs), "%s,iface=%s,mac=%s", vdev,
		 ifc->exception_name, mac);
	rc = rte_dev_probe(devargs);
	if (rc != 0 || rte_eth_dev_get_port_by_name(vdev, &port_id) != 0) {
		LOG_SETUP(ERR, "interface %s: cannot create TAP %s: %s (is /dev/net/tun there, "
		    "and is the name free?)", ifc->name, ifc->exception_name,
		    rte_strerror(rc ? -rc : ENODEV));
		return rc ? rc : -ENODEV;
	}
	p->tap_port_id = port_id;
	p->tap_ifindex = 0;
	rc = rte_eth_dev_configure(port_id, 1, 1, &conf);
	if (rc == 0)
		rc = rte_eth_rx_queue_setup(port_id, 0, 512, p->socket, NULL, p->pool);
	if (rc == 0)
		rc = rte_eth_tx_queue_setup(port_id, 0, 512, p->socket, NULL);
	if (rc == 0)
		rc = rte_eth_dev_start(port_id);
	if (rc != 0) {
		LOG_SETUP(ERR, "interface %s: cannot start TAP %s: %s", ifc->name,
		    ifc->exception_name, rte_strerror(-rc));
		lb_exception_close(p);
		return rc;
	}
	rc = configure_kernel(ifc, ifc->exception_name);
	if (rc != 0) {
		lb_exception_close(p);
		return rc;
	}
	p->tap_ifindex = if_nametoindex(ifc->exception_name);
	LOG_SETUP(INFO, "interface %s: kernel sees it as %s", ifc->name, ifc->exception_name);
	return 0;
}

void
lb_exception_close(struct lb_port *p)
{
	struct rte_eth_dev_info info;

	if (p->tap_port_id == LB_PORT_NONE)
		return;
	rte_eth_dev_info_get(p->tap_port_id, &info);
	rte_eth_dev_stop(p->tap_port_id);
	rte_eth_dev_close(p->tap_port_id);
	if (info.device != NULL)
		rte_dev_remove(info.device);
	p->tap_port_id = LB_PORT_NONE;
	p->tap_ifindex = 0;
}

int
lb_exception_check(struct lb_port *p)
{
	const char *name = p->cfg->exception_name;
	int rc;

	if (name[0] == '\0')
		return 0;
	if (p->tap_port_id != LB_PORT_NONE) {
		if (if_nametoindex(name) == p->tap_ifindex && p->tap_ifindex != 0)
			return 0;
		p->exception_lost++;
		LOG(WARNING, "interface %s: exception path %s (port %u) is gone from the "
		    "kernel (deleted?): recreating it; meanwhile the box's own traffic "
		    "(health checks, ssh, ARP for the kernel) is dropped as "
		    "no_exception_path (exception_lost %" PRIu64 ")", p->cfg->name, name,
		    p->tap_port_id, p->exception_lost);
		lb_exception_close(p);
		p->exception_broken = true;
	}
	if (!p->exception_broken)
		return 0;
	rc = lb_exception_open(p);
	if (rc != 0) {
		quiet = true;	/* it said why; retries say nothing until one works */
		return rc;
	}
	quiet = false;
	p->exception_broken = false;
	LOG(NOTICE, "interface %s: exception path %s recreated (port %u)", p->cfg->name,
	    name, p->tap_port_id);
	return 0;
}
