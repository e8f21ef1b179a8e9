/* SPDX-License-Identifier: BSD-3-Clause */
/* Take a kernel interface's IPv4 addresses while dplb drives it. See kernel_addr.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_log.h>

#include "pmd-glue/kernel_addr.h"

RTE_LOG_REGISTER_SUFFIX(lb_kaddr_logtype, kernel, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_kaddr_logtype, "dplb: " fmt "\n", ##__VA_ARGS__)

#define MAX_TAKEN (LB_MAX_IFACES * LB_MAX_ADDRS)

static struct taken {
	char ifname[IF_NAMESIZE];
	unsigned int ifindex;
	uint32_t addr, brd;		/* network order */
	uint8_t prefix_len;
} taken[MAX_TAKEN];
static unsigned int nb_taken;

/* One RTM_NEWADDR / RTM_DELADDR for t, acknowledged. 0 or -errno. */
static int
addr_msg(int type, const struct taken *t)
{
	struct {
		struct nlmsghdr nh;
		struct ifaddrmsg ifa;
		char attrs[64];
	} req;
	struct {
		struct nlmsghdr nh;
		struct nlmsgerr err;
	} ack;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct rtattr *rta;
	int fd, rc;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifa));
	req.nh.nlmsg_type = (uint16_t)type;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
			     (type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0);
	req.ifa.ifa_family = AF_INET;
	req.ifa.ifa_prefixlen = t->prefix_len;
	req.ifa.ifa_index = t->ifindex;
	for (int k = 0; k < (t->brd != 0 ? 3 : 2); k++) {
		const uint16_t kinds[] = { IFA_LOCAL, IFA_ADDRESS, IFA_BROADCAST };

		rta = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.nh.nlmsg_len));
		rta->rta_type = kinds[k];
		rta->rta_len = RTA_LENGTH(4);
		memcpy(RTA_DATA(rta), k == 2 ? &t->brd : &t->addr, 4);
		req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	rc = sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel,
		    sizeof(kernel)) < 0 ? -errno : 0;
	if (rc == 0 && recv(fd, &ack, sizeof(ack), 0) < (ssize_t)sizeof(ack))
		rc = -EIO;
	if (rc == 0 && ack.nh.nlmsg_type == NLMSG_ERROR)
		rc = ack.err.error;
	close(fd);
	return rc;
}

static const char *
addr_str(const struct taken *t, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &t->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, t->prefix_len);
	return buf;
}

int
lb_kernel_addrs_take(const struct lb_config *cfg)
{
	struct ifaddrs *ifs, *i;
	unsigned int k, first;
	char a[32];
	int rc = 0;

	nb_taken = 0;
	if (getifaddrs(&ifs) != 0)
		return -errno;
	for (k = 0; k < cfg->nb_ifaces && rc == 0; k++) {
		if (!cfg->ifaces[k].adopt_kernel)
			continue;
		first = nb_taken;
		for (i = ifs; i != NULL && nb_taken < MAX_TAKEN; i = i->ifa_next) {
			struct taken *t = &taken[nb_taken];

			if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET ||
			    strcmp(i->ifa_name, cfg->ifaces[k].name) != 0)
				continue;
			snprintf(t->ifname, sizeof(t->ifname), "%s", i->ifa_name);
			t->ifindex = if_nametoindex(i->ifa_name);
			t->addr = ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr;
			t->prefix_len = (uint8_t)__builtin_popcount(
				((struct sockaddr_in *)i->ifa_netmask)->sin_addr.s_addr);
			t->brd = (i->ifa_flags & IFF_BROADCAST) && i->ifa_broadaddr != NULL ?
				 ((struct sockaddr_in *)i->ifa_broadaddr)->sin_addr.s_addr : 0;
			nb_taken++;
		}
		/* secondaries first: deleting a primary may take its secondaries along */
		for (unsigned int n = nb_taken; n > first && rc == 0; n--) {
			rc = addr_msg(RTM_DELADDR, &taken[n - 1]);
			if (rc == -EADDRNOTAVAIL)
				rc = 0;	/* gone with its primary */
			if (rc == 0)
				LOG(NOTICE, "took %s from kernel interface %s (given back on exit)",
				    addr_str(&taken[n - 1], a, sizeof(a)), taken[n - 1].ifname);
			else
				LOG(ERR, "cannot take %s from kernel interface %s: %s",
				    addr_str(&taken[n - 1], a, sizeof(a)), taken[n - 1].ifname,
				    strerror(-rc));
		}
	}
	freeifaddrs(ifs);
	if (rc != 0)
		lb_kernel_addrs_give_back();
	return rc;
}

void
lb_kernel_addrs_give_back(void)
{
	char a[32];
	unsigned int n;
	int rc;

	for (n = 0; n < nb_taken; n++) {
		rc = addr_msg(RTM_NEWADDR, &taken[n]);
		if (rc != 0 && rc != -EEXIST)
			LOG(ERR, "cannot give %s back to kernel interface %s: %s (ip addr add "
			    "%s dev %s)", addr_str(&taken[n], a, sizeof(a)), taken[n].ifname,
			    strerror(-rc), a, taken[n].ifname);
		else
			LOG(NOTICE, "gave %s back to kernel interface %s",
			    addr_str(&taken[n], a, sizeof(a)), taken[n].ifname);
	}
	nb_taken = 0;
}
