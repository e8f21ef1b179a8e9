/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_STATS_H
#define LB_STATS_H

#include <stdint.h>
#include <stdio.h>

/*
 * Why a packet was dropped. Every drop on the worker or control path is
 * counted under exactly one reason; `show stats` prints them by name.
 */
#define LB_DROP_REASONS(X) \
	X(RUNT,		"runt")			/* shorter than an Ethernet header */ \
	X(OTHER_HOST,	"other_host")		/* unicast to another MAC */ \
	X(VLAN,		"vlan_unsupported")	/* 802.1Q/802.1ad tagged */ \
	X(ETHERTYPE,	"unknown_ethertype") \
	X(IPV6,		"ipv6_unsupported") \
	X(ARP_TRUNC,	"arp_truncated") \
	X(ARP_BAD,	"arp_malformed") \
	X(ARP_NOT_OURS,	"arp_not_for_us") \
	X(IP_TRUNC,	"ip_truncated")		/* frame shorter than IP header */ \
	X(IP_VERSION,	"ip_bad_version") \
	X(IP_IHL,	"ip_bad_ihl") \
	X(IP_LEN,	"ip_bad_total_length")	/* total length beyond frame / below IHL */ \
	X(IP_CSUM,	"ip_bad_checksum") \
	X(IP_SRC,	"ip_bad_source")	/* multicast/broadcast/loopback source */ \
	X(NOT_LOCAL,	"no_route")		/* not for the box, nothing to forward to */ \
	X(ICMP_BAD,	"icmp_malformed") \
	X(RING_FULL,	"ring_full")		/* worker<->control ring full */ \
	X(TX_FULL,	"tx_full")		/* NIC queue did not take it */ \
	X(NO_EXCEPTION,	"no_exception_path")	/* local traffic, no kernel TAP */ \
	X(NO_MBUF,	"no_mbuf") \
	X(L4_TRUNC,	"l4_truncated") \
	X(ZERO_PORT,	"zero_port")		/* TCP/UDP source or destination port 0 */ \
	X(TCP_FLAGS,	"tcp_bad_flags")	/* SYN+FIN, SYN+RST, no flag at all */ \
	X(FRAGMENT,	"fragment_dropped")	/* policy: fragments are dropped */ \
	X(NO_SERVICE,	"no_service")		/* VIP, but no service on that port */ \
	X(NOT_SYN,	"no_connection")	/* TCP non-SYN with no connection */ \
	X(NO_DEST,	"no_real_server")	/* scheduler found none usable */ \
	X(SVC_DISABLED,	"service_disabled")	/* new flow to a `service disable`d service */ \
	X(ACL,		"acl_denied")		/* source refused by the service's acl */ \
	X(SRC_RATE,	"source_rate_limited")	/* over the service's rate_limit.per_source */ \
	X(SYN_COOKIE,	"syn_cookie_invalid")	/* ACK to a syn_proxy service: no conn, no cookie */ \
	X(PROXY_WAIT,	"syn_proxy_waiting")	/* client segment while the RS's handshake is pending */ \
	X(CONN_FULL,	"conn_table_full") \
	X(NEIGH_MISS,	"neighbour_unresolved") \
	X(TOO_BIG,	"too_big")		/* over the MTU with DF */ \
	X(TTL,		"ttl_expired")		/* TTL 1 or 0 on arrival: ICMP time exceeded */ \
	X(NO_ROUTE,	"no_route_to_real_server") \
	X(NO_LPORT,	"fnat_no_local_port")	/* FNAT local ports exhausted */ \
	X(ICMP_NO_CONN,	"icmp_error_no_connection") \
	X(VIP_BACKUP,	"vip_not_master")	/* VRRP VIP while its instance is not MASTER */ \
	X(VRRP,		"vrrp_rejected")	/* VRRP advert not accepted (see vrrp counters) */

#define LB_DROP_ENUM(name, str) LB_DROP_##name,
enum lb_drop_reason {
	LB_DROP_NONE = 0,
	LB_DROP_REASONS(LB_DROP_ENUM)
	LB_DROP_MAX
};
#undef LB_DROP_ENUM

/* Counters of one lcore, written only by that lcore. */
struct lb_lcore_stats {
	uint64_t rx_pkts;
	uint64_t rx_bytes;
	uint64_t tx_pkts;
	uint64_t to_control;
	uint64_t from_control;
	uint64_t busy_polls;
	uint64_t busy_cycles;
	uint64_t conn_evicted;		/* half-open/closing entries removed for new ones */
	uint64_t syn_cookies_sent;	/* SYN proxy: SYNs answered with a cookie */
	uint64_t syn_cookies_ok;	/* ... and ACKs whose cookie opened a connection */
	uint64_t rx_pool_dry;		/* times RX found the mbuf pool dry (spells) */
	uint64_t drops[LB_DROP_MAX];
};

/* The name printed for a drop reason ("ip_bad_ihl"); "?" when out of range. */
const char *lb_drop_name(enum lb_drop_reason r);

/* Add src into dst, counter by counter. */
void lb_stats_add(struct lb_lcore_stats *dst, const struct lb_lcore_stats *src);

/*
 * Print the sum of every lcore's counters to out (non-zero drop reasons
 * only). Reads counters other lcores write: values may lag by a burst.
 * Control lcore.
 */
void lb_stats_print(FILE *out);

/* Sum of every lcore's counters into total. Control lcore. */
void lb_stats_total(struct lb_lcore_stats *total);

#endif
