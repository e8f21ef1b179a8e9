/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CONFIG_H
#define LB_CONFIG_H

/*
 * The validated configuration of one dplb instance, as read from a native
 * libconfig file (lb_config_load_native). Everything in here has been checked:
 * the daemon may use it without further validation. Plain data, no DPDK types,
 * so it can be read and tested without EAL.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define LB_MAX_IFACES	 16
#define LB_MAX_ADDRS	 8	/* addresses per interface */
#define LB_MAX_EAL_ARGS	 32
#define LB_NAME_LEN	 32
#define LB_DEV_LEN	 256
#define LB_MAX_WORKERS	 64

#define LB_MAX_SERVICES	 256
#define LB_MAX_RS	 256	/* real servers per service */
#define LB_SCHED_NAME_LEN 16
#define LB_MAX_LADDRS	 8	/* FNAT local addresses per service */

#define LB_MAX_VRRP	 32	/* vrrp_instances */
#define LB_MAX_VRRP_SCRIPTS 32	/* vrrp_scripts */
#define LB_VRRP_MAX_TRACK 8	/* track_scripts / track_interfaces of one instance */
#define LB_VRRP_MAX_VIPS 16	/* virtual_ipaddress entries per instance */
#define LB_VRRP_MAX_PEERS 16	/* unicast_peer entries per instance */

/* Forwarding method of a real server, as ipvsadm -m / -g / -i (+ FNAT). */
enum lb_fwd {
	LB_FWD_NAT = 0,		/* masquerading, -m */
	LB_FWD_DR,		/* direct routing (gatewaying), -g */
	LB_FWD_TUN,		/* IPIP tunnelling, -i */
	LB_FWD_FNAT,		/* full NAT: source from the box's local pool */
};

/* Service flags, as ipvsadm's -p and -b. */
#define LB_SVC_F_PERSISTENT	0x01
#define LB_SVC_F_SH_FALLBACK	0x02
#define LB_SVC_F_SH_PORT	0x04
#define LB_SVC_F_MH_FALLBACK	0x08
#define LB_SVC_F_MH_PORT	0x10
#define LB_SVC_F_DISABLED	0x20	/* service disable: no new connections */

/* A real server of a virtual service (host byte order). */
struct lb_cfg_rs {
	uint32_t addr;
	uint16_t port;
	enum lb_fwd fwd;
	uint32_t weight;
	uint32_t u_threshold, l_threshold;	/* -x, -y; 0 = none */
	bool inhibit_on_failure;		/* failed: weight 0, not removed */
	int line;
};

/*
 * Health-check timing (keepalived's delay_loop, connect_timeout, retry,
 * delay_before_retry, warmup), in milliseconds. Set on a virtual server,
 * a real server or a checker; each level inherits what it does not set.
 */
struct lb_cfg_timing {
	uint32_t delay_loop_ms;		/* default 60 s */
	uint32_t connect_timeout_ms;	/* default 5 s */
	uint32_t delay_before_retry_ms;	/* default 1 s */
	uint32_t warmup_ms;		/* default 0: first check at once */
	uint32_t retry;			/* default 1 (alias nb_get_retry) */
};

/*
 * A real server of a service, by value (host order): what checkers and
 * notify scripts hang on, so that ipvsadm edits of the running services
 * never leave them pointing at moved or freed memory.
 */
struct lb_cfg_rs_key {
	uint8_t proto;			/* the service */
	uint32_t vip;
	uint16_t vport;
	uint32_t rs_addr;		/* the real server */
	uint16_t rs_port;
};

#define LB_MAX_CHECKS		16384	/* checkers in one config */
#define LB_CHECK_MAX_URLS	8	/* url blocks of one HTTP_GET */
#define LB_CHECK_PATH_LEN	256
#define LB_CHECK_HOST_LEN	128

enum lb_check_type {
	LB_CHECK_TCP = 0,		/* TCP_CHECK: connect */
	LB_CHECK_HTTP,			/* HTTP_GET (SSL_GET with tls): status, digest of urls */
	LB_CHECK_MISC,			/* MISC_CHECK: exit status of a script */
};

/* One url { path digest status_code } of an HTTP_GET. */
struct lb_cfg_check_url {
	char path[LB_CHECK_PATH_LEN];
	char digest[33];		/* lowercase hex MD5; "" = not checked */
	char status_code[64];		/* keepalived syntax "200 301-302"; "" = 200-299 */
};

/*
 * A checker of one real server (by key), with its timing resolved (virtual
 * server -> real server -> checker).
 */
struct lb_cfg_check {
	struct lb_cfg_rs_key key;	/* the real server it checks */
	enum lb_check_type type;
	uint32_t connect_ip;		/* 0 = the real server's address */
	uint16_t connect_port;		/* 0 = the real server's port */
	uint32_t bind_to;		/* source address; 0 = the kernel's choice */
	struct lb_cfg_timing timing;
	uint8_t http_proto;		/* 0 "1.0", 1 "1.0C", 2 "1.1" */
	bool tls;			/* SSL_GET: HTTP over TLS (certificate not verified) */
	bool enable_sni;		/* SSL_GET: send virtualhost as SNI */
	char virtualhost[LB_CHECK_HOST_LEN];	/* "" = addr:port */
	struct lb_cfg_check_url urls[LB_CHECK_MAX_URLS];
	unsigned int nb_urls;
	char misc_path[LB_CHECK_PATH_LEN];	/* MISC_CHECK: shell command line */
	bool misc_dynamic;		/* exit 2..255 sets weight exit - 2 */
	int line;
};

/* A virtual service, as ipvsadm -A plus its -a lines (host byte order). */
/* A source prefix of a service ACL (host order; addr already masked). */
struct lb_acl_entry {
	uint32_t addr;
	uint32_t mask;
};

#define LB_MAX_ACL 64	/* prefixes per list */

/*
 * Who may open connections to a service (DPVS's blacklist/whitelist):
 * a source in deny is refused; with allow entries, only sources in one of
 * them are taken. Checked for new connections only.
 */
struct lb_cfg_acl {
	struct lb_acl_entry allow[LB_MAX_ACL];
	struct lb_acl_entry deny[LB_MAX_ACL];
	unsigned int nb_allow, nb_deny;
};

struct lb_cfg_service {
	uint8_t proto;				/* IPPROTO_TCP or IPPROTO_UDP */
	uint32_t vip;
	uint16_t port;
	char sched[LB_SCHED_NAME_LEN];
	uint32_t flags;				/* LB_SVC_F_* */
	uint32_t persistence;			/* seconds, with LB_SVC_F_PERSISTENT */
	uint32_t netmask;			/* persistence granularity */
	uint32_t sched_param;			/* mh table size; 0 = default */
	uint32_t laddrs[LB_MAX_LADDRS];		/* FNAT source addresses */
	unsigned int nb_laddrs;
	struct lb_cfg_rs rs[LB_MAX_RS];
	unsigned int nb_rs;
	/* health (keepalived virtual_server keywords) */
	struct lb_cfg_timing timing;		/* what real servers and checkers inherit */
	uint32_t quorum;			/* live weight needed; default 1 */
	uint32_t hysteresis;			/* default 0 */
	bool alpha;				/* checkers start down until a success */
	bool omega;				/* report servers down on shutdown */
	bool has_sorry;
	struct lb_cfg_rs sorry;			/* sorry_server, used when quorum is lost */
	uint32_t passive_failures;		/* refused SYNs in 1 s that take a server out; 0 off */
	uint32_t passive_backoff_ms;		/* out that long (doubling on repeat); 0 = delay_loop */
	char quorum_up[LB_CHECK_PATH_LEN];	/* script run when quorum is gained; "" none */
	char quorum_down[LB_CHECK_PATH_LEN];	/* ... when it is lost */
	struct lb_cfg_acl acl;			/* acl = { allow = [...]; deny = [...]; } */
	uint32_t src_rate;			/* rate_limit.per_source: new conns/s; 0 off */
	uint32_t src_burst;			/* rate_limit.burst (default per_source) */
	bool syn_proxy;				/* syn_proxy: answer SYNs with cookies */
	uint32_t syn_proxy_threshold;		/* ... once half-open conns/s pass this; 0 always */
	int line;
};

/* notify_up / notify_down scripts of one real server (by key). */
struct lb_cfg_notify {
	struct lb_cfg_rs_key key;
	char up[LB_CHECK_PATH_LEN];	/* "" = none */
	char down[LB_CHECK_PATH_LEN];
};

enum lb_huge_mode {
	LB_HUGE_AUTO = 0,	/* hugepages when the kernel has free ones, else --no-huge */
	LB_HUGE_YES,		/* require hugepages */
	LB_HUGE_NO,		/* always --no-huge */
};

/* An IPv4 address with its prefix length, host byte order. */
struct lb_cfg_addr {
	uint32_t addr;
	uint8_t prefix_len;
};

struct lb_cfg_iface {
	char name[LB_NAME_LEN];		/* operator's name: "eth0", "ens33" */
	char device[LB_DEV_LEN];	/* PCI address or vdev string */
	bool is_pci;			/* device is a PCI address */
	char exception_name[LB_NAME_LEN]; /* kernel TAP name, "" = none */
	struct lb_cfg_addr addrs[LB_MAX_ADDRS];
	unsigned int nb_addrs;
	uint32_t gateway;		/* host order, 0 = none */
	uint16_t mtu;			/* 0 = not set: lb_cfg_iface_mtu */
	bool promiscuous;
	bool adopt_kernel;		/* a kernel interface of this name: dplb takes its
					 * IPv4 addresses while it runs (keepalived.conf) */
	int line;			/* config line, for later messages */
};

/* The IP MTU on ifc: its mtu, or Ethernet's 1500 when the config sets none. */
static inline uint16_t
lb_cfg_iface_mtu(const struct lb_cfg_iface *ifc)
{
	return ifc->mtu != 0 ? ifc->mtu : 1500;
}

/*
 * A vrrp_instance (keepalived's vrrp_instance block), host byte order.
 * The advert source is unicast_src, else the interface's first address.
 * With unicast peers, adverts go to each peer instead of 224.0.0.18.
 */
struct lb_cfg_vrrp {
	char name[LB_NAME_LEN];
	unsigned int iface;		/* index in lb_config.ifaces */
	uint8_t vrid;			/* 1..255 */
	uint8_t priority;		/* 1..255 */
	uint8_t version;		/* 2 or 3 */
	bool init_master;		/* state = "MASTER" (keepalived's initial state) */
	uint16_t advert_int_cs;		/* centiseconds; v2: a multiple of 100 */
	uint8_t auth_type;		/* 0 none, 1 PASS, 2 AH (v2 only) */
	char auth_pass[9];		/* up to 8 bytes, as keepalived */
	bool nopreempt;
	unsigned int preempt_delay_s;	/* 0..1000 */
	uint32_t vips[LB_VRRP_MAX_VIPS];
	unsigned int nb_vips;
	unsigned int track_scripts[LB_VRRP_MAX_TRACK];	/* indices in lb_config.vrrp_scripts */
	unsigned int nb_track_scripts;
	unsigned int track_ifaces[LB_VRRP_MAX_TRACK];	/* indices in lb_config.ifaces */
	unsigned int nb_track_ifaces;
	uint32_t unicast_src;		/* unicast_src_ip: an address of iface; 0 = first */
	uint32_t unicast_peers[LB_VRRP_MAX_PEERS];	/* unicast_peer; none = multicast */
	unsigned int nb_unicast_peers;
	/* gratuitous ARP on becoming MASTER (keepalived's garp_master_*) */
	uint32_t garp_repeat;		/* GARPs per address per burst, default 5 */
	uint32_t garp_delay_ms;		/* second burst after, default 5 s; 0 none */
	uint32_t garp_refresh_ms;	/* then a burst every, default 0 (off) */
	uint32_t garp_refresh_repeat;	/* GARPs per refresh, default 1 */
	int sync_group;			/* index in lb_config.vrrp_syncs, -1 none */
	/* scripts run on entering a state ("" = none); notify gets the
	 * arguments INSTANCE NAME STATE PRIORITY, as keepalived's */
	char notify_master[LB_CHECK_PATH_LEN];
	char notify_backup[LB_CHECK_PATH_LEN];
	char notify_fault[LB_CHECK_PATH_LEN];
	char notify_stop[LB_CHECK_PATH_LEN];
	char notify[LB_CHECK_PATH_LEN];
	int line;
};

#define LB_MAX_VRRP_SYNCS 16

/* A vrrp_sync_group: its instances change state together. */
struct lb_cfg_vrrp_sync {
	char name[LB_NAME_LEN];
	unsigned int members[LB_MAX_VRRP];	/* indices in lb_config.vrrp */
	unsigned int nb_members;
	int line;
};

/*
 * A vrrp_script (keepalived's): run every interval; rise successes in a row
 * make it OK, fall failures make it FAILED. An instance tracking it adds
 * weight to its priority while OK (weight > 0), adds weight while FAILED
 * (weight < 0), or goes FAULT while FAILED (weight 0).
 */
struct lb_cfg_vrrp_script {
	char name[LB_NAME_LEN];
	char script[LB_CHECK_PATH_LEN];	/* shell command line */
	uint32_t interval_ms;		/* default 1 s */
	uint32_t timeout_ms;		/* default: interval */
	int32_t weight;			/* -253..253, default 0 */
	uint32_t rise, fall;		/* default 1, 1 */
	bool init_fail;			/* start FAILED (default: OK) */
	int line;
};

struct lb_cfg_eal {
	char lcores[64];		/* "-l" value; "" = derived from workers */
	unsigned int memory_mb;		/* "-m" value, 0 = EAL default */
	enum lb_huge_mode huge;
	char file_prefix[LB_NAME_LEN];
	char log_level[LB_NAME_LEN];	/* e.g. "notice", "dplb.*:debug" */
	char *args[LB_MAX_EAL_ARGS];	/* extra EAL args, owned (strdup) */
	unsigned int nb_args;
};

struct lb_cfg_cli {
	char listen_addr[64];		/* dotted quad */
	uint16_t listen_port;
	char password_hash[112];	/* "sha256$SALT$DIGEST" (dplb --hash-password); "" none.
					 * Asked before any command when listen is not loopback. */
};

#define LB_SYNC_MAX_PEERS 8
#define LB_SYNC_MASTER	0x1	/* lb_cfg_sync.roles: send this box's connections */
#define LB_SYNC_BACKUP	0x2	/* install the peer's */

/*
 * Connection sync between directors (LVS's sync daemon; keepalived's
 * lvs_sync_daemon), host byte order. With vrrp_instance set, the role
 * follows that instance: MASTER sends, any other state receives;
 * otherwise roles is fixed. Defaults are LVS's.
 */
struct lb_cfg_sync {
	bool enabled;
	unsigned int iface;		/* index in lb_config.ifaces (--mcast-interface) */
	char vrrp_instance[LB_NAME_LEN];	/* "" = roles fixed */
	unsigned int roles;		/* LB_SYNC_MASTER | LB_SYNC_BACKUP, without VRRP */
	uint8_t syncid;			/* 0..255; a backup with 0 takes every syncid */
	uint16_t maxlen;		/* payload bytes per message; 0 = MTU - 28 */
	uint32_t group;			/* default 224.0.0.81 */
	uint16_t port;			/* default 8848 */
	uint8_t ttl;			/* default 1 */
	uint32_t peers[LB_SYNC_MAX_PEERS];	/* unicast to these instead of the group */
	unsigned int nb_peers;
	uint32_t threshold_s;		/* sync connections older than this (default 3) */
	uint32_t refresh_s;		/* re-send a synced one after this (default 30) */
	int line;
};

#define LB_ANNOUNCE_MAX_VIPS 64

/* What the announce fragment holds. */
enum lb_announce_format {
	LB_ANNOUNCE_BIRD = 0,		/* BIRD 2 lines: route A.B.C.D/32 blackhole; */
	LB_ANNOUNCE_PREFIXES,		/* one A.B.C.D/32 per line, for a command */
};

/*
 * announce = { ... }: VIPs announced by a routing daemon (BIRD, FRR)
 * running in the box's kernel, as long as their services have quorum (and
 * the box is MASTER of vrrp_instance when set). dplb writes the VIPs to
 * file and asks the daemon to reload: "configure" on BIRD's control socket,
 * or command. Host byte order.
 */
struct lb_cfg_announce {
	bool on;
	enum lb_announce_format format;
	char file[LB_CHECK_PATH_LEN];		/* the fragment, replaced atomically */
	char bird_socket[LB_CHECK_PATH_LEN];	/* BIRD's control socket; "" = command */
	char command[LB_CHECK_PATH_LEN];	/* shell command run after each write */
	char vrrp_instance[LB_NAME_LEN];	/* "" = not tied to VRRP */
	bool require_all;			/* every service of a VIP needs quorum (else one) */
	uint32_t vips[LB_ANNOUNCE_MAX_VIPS];	/* none = every VIP of virtual_servers */
	unsigned int nb_vips;
	uint32_t interval_ms;			/* between evaluations; default 100 */
	uint32_t timeout_ms;			/* for the daemon's answer; default 2000 */
	uint32_t shutdown_delay_ms;		/* forwarding goes on after the withdrawal; 1000 */
	int line;
};

/* metrics = { listen = "127.0.0.1:9100"; }: the Prometheus listener (loopback only). */
struct lb_cfg_metrics {
	bool on;			/* off unless the group has a listen */
	char listen_addr[64];		/* dotted quad in 127.0.0.0/8 */
	uint16_t listen_port;
};

struct lb_config {
	char path[512];			/* file it came from */
	char router_id[64];		/* keepalived global_defs router_id; "" = none */
	struct lb_cfg_eal eal;
	unsigned int workers;		/* worker lcores (the control lcore is extra) */
	unsigned int idle_sleep_us;	/* workers rest this long when idle; 0 = always poll */
	unsigned int mbufs_per_port;	/* mbufs each port adds to its socket pool */
	unsigned int rx_desc, tx_desc;
	struct lb_cfg_iface ifaces[LB_MAX_IFACES];
	unsigned int nb_ifaces;
	struct lb_cfg_cli cli;
	struct lb_cfg_metrics metrics;
	unsigned int neigh_timeout_s;	/* ARP entries are refreshed after this */
	unsigned int conn_max;		/* connection-table capacity */
	unsigned int tcp_timeout;	/* ESTABLISHED, seconds (ipvsadm --set tcp) */
	unsigned int tcpfin_timeout;	/* FIN_WAIT (--set tcpfin) */
	unsigned int udp_timeout;	/* UDP (--set udp) */
	bool vip_reject;		/* VIP port with no service: RST / ICMP (else drop) */
	bool decrement_ttl;		/* forwarded packets lose one TTL (default; false:
					 * passed on with the TTL they came with) */
	bool sloppy_tcp;		/* any TCP packet but RST may open a connection (LVS's
					 * sloppy_tcp): flows ECMP moves here mid-stream go on */
	struct lb_cfg_service *services; /* nb_services entries, owned */
	unsigned int nb_services;
	struct lb_cfg_vrrp vrrp[LB_MAX_VRRP];	/* vrrp_instances */
	unsigned int nb_vrrp;
	struct lb_cfg_vrrp_script vrrp_scripts[LB_MAX_VRRP_SCRIPTS];
	unsigned int nb_vrrp_scripts;
	struct lb_cfg_vrrp_sync vrrp_syncs[LB_MAX_VRRP_SYNCS];
	unsigned int nb_vrrp_syncs;
	char vrrp_notify_fifo[LB_CHECK_PATH_LEN];	/* "INSTANCE "VI_1" MASTER 100" lines; "" none */
	struct lb_cfg_sync sync;		/* connection sync between directors */
	struct lb_cfg_announce announce;	/* VIPs announced by a routing daemon */
	struct lb_cfg_check *checks;		/* health checkers, owned (nb_checks) */
	unsigned int nb_checks;
	struct lb_cfg_notify *notifies;		/* real servers' notify scripts, owned */
	unsigned int nb_notifies;
};

/*
 * Sink for configuration problems. Each message names the file and line
 * ("FILE:LINE: message"). lb_config_load_native() reports every problem it
 * finds, not just the first.
 */
struct lb_cfg_errors {
	FILE *out;			/* where messages go; NULL = silent */
	unsigned int count;
};

/* Fill cfg with the defaults of every setting. */
void lb_config_defaults(struct lb_config *cfg);

/*
 * Read and validate a native (libconfig) file into cfg.
 * Returns 0 when the file is valid, -EINVAL when it has errors (each
 * printed to err->out as FILE:LINE: message), -ENOENT/-EIO when it cannot
 * be read. Not thread-safe; control code only.
 */
int lb_config_load_native(const char *path, struct lb_config *cfg,
			  struct lb_cfg_errors *err);

/* Same, from a string; name is used in messages in place of a file name. */
int lb_config_parse_native(const char *name, const char *text,
			   struct lb_config *cfg, struct lb_cfg_errors *err);

/* The kernel's view of one interface: its name and IPv4 addresses. */
struct lb_kernel_iface {
	char name[LB_NAME_LEN];
	struct lb_cfg_addr addrs[LB_MAX_ADDRS];
	unsigned int nb_addrs;
};

#define LB_MAX_KERNEL_IFACES 64

/* The kernel's interfaces, as the box has them before dplb takes them over. */
struct lb_kernel_ifaces {
	struct lb_kernel_iface ifaces[LB_MAX_KERNEL_IFACES];
	unsigned int nb;
};

/*
 * Fill out with the kernel's interfaces and their IPv4 addresses
 * (getifaddrs; loopback included, as the kernel lists it). Returns 0 or a
 * negative errno. Thread-safe.
 */
int lb_kernel_ifaces_read(struct lb_kernel_ifaces *out);

/*
 * What keepalived.conf @id lines are matched against when a load gives no
 * config id (dplb -i, keepalived's --config-id); NULL or "" = the short
 * host name. Not thread-safe; set before loading.
 */
void lb_config_set_id(const char *id);

/*
 * Read keepalived.conf at path into cfg. ifaces describes the kernel's
 * interfaces and their IPv4 addresses (what the box has before dplb takes
 * them over); every interface the file names (vrrp_instance interface,
 * virtual_ipaddress dev) or uses (the subnet of a virtual or real server)
 * becomes a dplb interface on "net_af_packet<N>,iface=<name>" with those
 * addresses. Conditional lines (@id) match the short host name. Returns 0,
 * -EINVAL (every problem reported as FILE:LINE: message), -ENOENT/-EIO.
 * Warnings (deprecated or ignored keywords) are printed but do not fail.
 * On failure cfg holds nothing to free. Not thread-safe; control code only.
 */
int lb_config_load_keepalived(const char *path, const struct lb_kernel_ifaces *ifaces,
			      struct lb_config *cfg, struct lb_cfg_errors *err);

/*
 * Same, from text; name stands for the file name in messages (relative
 * includes are read from its directory). config_id is what @id lines are
 * matched against; NULL = the short host name.
 */
int lb_config_parse_keepalived(const char *name, const char *text, const char *config_id,
			       const struct lb_kernel_ifaces *ifaces, struct lb_config *cfg,
			       struct lb_cfg_errors *err);

/*
 * Check that real server rs fits service svc and the interfaces of cfg
 * (DR on-link, DR/TUN on the service port, FNAT with local addresses).
 * Returns 0, or -EINVAL with the reason in msg. Pure.
 */
int lb_cfg_check_rs(const struct lb_config *cfg, const struct lb_cfg_service *svc,
		    const struct lb_cfg_rs *rs, char *msg, size_t len);

/* The service (proto, vip, port) of cfg (host order), or NULL. Pure. */
struct lb_cfg_service *lb_cfg_find_service(const struct lb_config *cfg, uint8_t proto,
					   uint32_t vip, uint16_t port);

/* Index of the vrrp_instance of cfg called name (may be NULL), or -1. Pure. */
int lb_cfg_find_vrrp(const struct lb_config *cfg, const char *name);

/* Index of real server (addr, port) in svc (host order), or -1. Pure. */
int lb_cfg_find_rs(const struct lb_cfg_service *svc, uint32_t addr, uint16_t port);

/* *k becomes the key of real server rs of service svc (padding zeroed). */
void lb_cfg_rs_key_set(struct lb_cfg_rs_key *k, const struct lb_cfg_service *svc,
		       const struct lb_cfg_rs *rs);

/* True when a and b name the same real server of the same service. Pure. */
bool lb_cfg_rs_key_eq(const struct lb_cfg_rs_key *a, const struct lb_cfg_rs_key *b);

/* True when k names a real server of service svc. Pure. */
bool lb_cfg_rs_key_in(const struct lb_cfg_rs_key *k, const struct lb_cfg_service *svc);

/* True when checker c belongs to real server rs of service svc. Pure. */
bool lb_cfg_check_of(const struct lb_cfg_check *c, const struct lb_cfg_service *svc,
		     const struct lb_cfg_rs *rs);

/* The notify scripts of real server rs of svc, or NULL. Pure. */
const struct lb_cfg_notify *lb_cfg_notify_of(const struct lb_config *cfg,
					     const struct lb_cfg_service *svc,
					     const struct lb_cfg_rs *rs);

/* LVS's sync defaults into s (group 224.0.0.81, port 8848, ttl 1, ...). */
void lb_cfg_sync_defaults(struct lb_cfg_sync *s);

/*
 * Check s against cfg once everything is read: the VRRP instance it follows
 * exists, peers are on a subnet of its interface or reachable through the
 * interface's gateway, maxlen fits the interface MTU. Returns 0, or -EINVAL
 * with the reason in msg. Pure.
 */
int lb_cfg_sync_check(const struct lb_config *cfg, const struct lb_cfg_sync *s,
		      char *msg, size_t len);

/* The announce defaults into a (off, BIRD format, 100 ms, 2 s, 1 s). */
void lb_cfg_announce_defaults(struct lb_cfg_announce *a);

/* Print cfg in native syntax; the output loads back to an equal config. */
void lb_config_dump(const struct lb_config *cfg, FILE *out);

/* Release what lb_config_load_native() allocated (EAL args, services, checkers). */
void lb_config_free(struct lb_config *cfg);

/* Parse "a.b.c.d" or "a.b.c.d/len" (host order). Returns 0 or -EINVAL. */
int lb_parse_ipv4_prefix(const char *s, uint32_t *addr, uint8_t *prefix_len,
			 bool prefix_required);

/*
 * "A.B.C.D:PORT" (the port may be left out when port_optional: *port = 0)
 * into host-order address and port; 0.0.0.0 and port 0 are refused. Pure.
 * Returns 0 or -EINVAL.
 */
int lb_parse_ipv4_endpoint(const char *s, uint32_t *addr, uint16_t *port, bool port_optional);

/* The netmask of a prefix length (host order; 0 for /0). Pure. */
uint32_t lb_ipv4_mask(uint8_t prefix_len);

/*
 * May host-order source addr open a connection under acl? Not in deny,
 * and in allow when allow has entries. Pure; worker lcores.
 */
static inline bool
lb_acl_permits(const struct lb_cfg_acl *acl, uint32_t addr)
{
	unsigned int i;

	for (i = 0; i < acl->nb_deny; i++)
		if ((addr & acl->deny[i].mask) == acl->deny[i].addr)
			return false;
	if (acl->nb_allow == 0)
		return true;
	for (i = 0; i < acl->nb_allow; i++)
		if ((addr & acl->allow[i].mask) == acl->allow[i].addr)
			return true;
	return false;
}

/* True when addr is inside a (host order, prefix a/prefix_len). Pure. */
bool lb_ipv4_in_prefix(uint32_t addr, const struct lb_cfg_addr *a);

/* Format a host-order IPv4 address into buf (>= 16 bytes); returns buf. */
char *lb_ipv4_str(uint32_t addr, char *buf, size_t len);

#endif
