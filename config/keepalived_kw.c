/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * keepalived.conf keywords dplb knows of but does not use: the ones it
 * refuses (not implemented yet: a config relying on them would not behave
 * as under keepalived) and the ones it ignores with a warning (they mean
 * nothing for dplb: mail, SNMP, process tuning). Never silently ignored.
 * A name ending in '*' matches every keyword starting with what is before.
 */
#include <string.h>

#include "config/keepalived.h"

#define TUNING "keepalived process tuning; dplb runs on its own lcores"
#define NO_MAIL "dplb sends no mail alerts"

struct kw {
	const char *block;	/* where it may appear; "*" = anywhere */
	const char *name;
	const char *meaning;	/* refused: "it would ..."; ignored: why */
	bool ignore;		/* warning only */
};

static const struct kw kws[] = {
	/* top level */
	{ "top", "vrrp_track_process", "track a process to adjust VRRP priority", false },
	{ "top", "track_file", "track a file's value to adjust VRRP priority", false },
	{ "top", "vrrp_track_file", "track a file's value to adjust VRRP priority", false },
	{ "top", "static_ipaddress", "add addresses to kernel interfaces", false },
	{ "top", "static_routes", "add routes to the kernel", false },
	{ "top", "static_rules", "add policy rules to the kernel", false },
	{ "top", "linkbeat_interfaces", "poll link state of interfaces", false },
	{ "top", "bfd_instance", "run BFD sessions", false },
	{ "top", "garp_group", "send periodic gratuitous ARPs", false },
	{ "top", "net_namespace", "run in a network namespace", false },
	{ "top", "net_namespace_ipvs", "put IPVS in a network namespace", false },
	{ "top", "instance", "keepalived's pid files; dplb has none", true },
	{ "top", "use_pid_dir", "keepalived's pid files; dplb has none", true },
	{ "top", "child_wait_time", "dplb has no child processes", true },
	/* global_defs */
	{ "global_defs", "notification_email", NO_MAIL, true },
	{ "global_defs", "notification_email_from", NO_MAIL, true },
	{ "global_defs", "smtp_*", NO_MAIL, true },
	{ "global_defs", "no_email_faults", NO_MAIL, true },
	{ "global_defs", "enable_snmp*", "dplb has no SNMP agent", true },
	{ "global_defs", "snmp_*", "dplb has no SNMP agent", true },
	{ "global_defs", "enable_traps", "dplb has no SNMP agent", true },
	{ "global_defs", "enable_dbus", "dplb has no D-Bus interface", true },
	{ "global_defs", "dbus_*", "dplb has no D-Bus interface", true },
	{ "global_defs", "vrrp_no_swap", TUNING, true },
	{ "global_defs", "checker_no_swap", TUNING, true },
	{ "global_defs", "vrrp_priority", TUNING, true },
	{ "global_defs", "checker_priority", TUNING, true },
	{ "global_defs", "vrrp_rt_priority", TUNING, true },
	{ "global_defs", "checker_rt_priority", TUNING, true },
	{ "global_defs", "vrrp_cpu_affinity", TUNING, true },
	{ "global_defs", "checker_cpu_affinity", TUNING, true },
	{ "global_defs", "vrrp_rlimit_rttime", TUNING, true },
	{ "global_defs", "checker_rlimit_rttime", TUNING, true },
	{ "global_defs", "max_auto_priority", TUNING, true },
	{ "global_defs", "process_names", "dplb is one process", true },
	{ "global_defs", "*process_name", "dplb is one process", true },
	{ "global_defs", "checker_log_all_failures", "keepalived's syslog detail", true },
	{ "global_defs", "script_user", "dplb runs no scripts", true },
	{ "global_defs", "enable_script_security", "dplb runs no scripts", true },
	{ "global_defs", "lvs_flush", "dplb starts with its own empty table, not the "
	  "kernel's IPVS", true },
	{ "global_defs", "lvs_flush_on_stop", "dplb's table goes away with it", true },
	{ "global_defs", "vrrp_iptables", "dplb holds the VIPs itself, no kernel "
	  "firewall rules", true },
	{ "global_defs", "vrrp_ipsets", "dplb holds the VIPs itself, no kernel "
	  "firewall rules", true },
	{ "global_defs", "vrrp_garp_*", "tune gratuitous ARP bursts", false },
	{ "global_defs", "vrrp_gna_interval", "tune unsolicited neighbour adverts", false },
	{ "global_defs", "vrrp_min_garp", "tune gratuitous ARP bursts", false },
	{ "global_defs", "vrrp_mcast_group4", "send adverts to another multicast group",
	  false },
	{ "global_defs", "vrrp_strict", "enforce strict RFC compliance", false },
	{ "global_defs", "vrrp_check_unicast_src", "dplb always drops unicast adverts from "
	  "addresses not in unicast_peer", true },
	{ "global_defs", "vrrp_skip_check_adv_addr", "skip checking advert addresses",
	  false },
	{ "global_defs", "default_interface", "set the interface of static addresses", false },
	{ "global_defs", "startup_script", "run a script at start", false },
	{ "global_defs", "shutdown_script", "run a script at stop", false },
	/* vrrp_instance */
	{ "vrrp_instance", "track_process", "adjust priority from a process", false },
	{ "vrrp_instance", "track_file", "adjust priority from a file", false },
	{ "vrrp_instance", "track_bfd", "adjust priority from BFD", false },
	{ "vrrp_instance", "check_unicast_src", "dplb always drops unicast adverts from "
	  "addresses not in unicast_peer", true },
	{ "vrrp_instance", "mcast_src_ip", "send adverts from this address", false },
	{ "vrrp_instance", "smtp_alert", NO_MAIL, true },
	{ "vrrp_instance", "garp_*", "tune gratuitous ARP bursts", false },
	{ "vrrp_instance", "virtual_routes", "add routes while MASTER", false },
	{ "vrrp_instance", "virtual_rules", "add policy rules while MASTER", false },
	{ "vrrp_instance", "virtual_ipaddress_excluded", "add addresses left out of adverts",
	  false },
	{ "vrrp_instance", "use_vmac", "use the VRRP virtual MAC", false },
	{ "vrrp_instance", "vmac_xmit_base", "send adverts from the base interface", false },
	{ "vrrp_instance", "accept", "accept packets for VIPs it does not own", false },
	{ "vrrp_instance", "no_accept", "drop packets for VIPs it does not own", false },
	{ "vrrp_instance", "dont_track_primary", "ignore faults of its interface", false },
	{ "vrrp_instance", "lvs_sync_daemon_interface", "synchronise connections", false },
	{ "vrrp_instance", "strict_mode", "enforce strict RFC compliance", false },
	{ "vrrp_instance", "skip_check_adv_addr", "skip checking advert addresses", false },
	{ "vrrp_instance", "debug", "dplb has its own log levels", true },
	/* virtual_server */
	{ "virtual_server", "ha_suspend", "suspend checks while the VIP is not held", false },
	{ "virtual_server", "ops", "schedule each UDP packet on its own", false },
	{ "virtual_server", "sorry_server_inhibit", "keep the sorry server with weight 0",
	  false },
	{ "virtual_server", "smtp_alert", NO_MAIL, true },
	{ "virtual_server", "retry_on_failure*", "retry failed checks", false },
	/* real_server */
	{ "real_server", "smtp_alert", NO_MAIL, true },
	{ "real_server", "DNS_CHECK", "check by a DNS query", false },
	{ "real_server", "SMTP_CHECK", "check by an SMTP dialogue", false },
	{ "real_server", "UDP_CHECK", "check by a UDP exchange", false },
	{ "real_server", "PING_CHECK", "check by ICMP echo", false },
	{ "real_server", "FILE_CHECK", "check by a file's content", false },
	{ "real_server", "BFD_CHECK", "check by BFD", false },
	/* TCP_CHECK / HTTP_GET */
	{ "checker", "bind_port", "send checks from a fixed port", false },
	{ "checker", "bind_if", "send checks out of one interface", false },
	{ "checker", "fwmark", "mark check packets", false },
	{ "checker", "tls_compliant", "follow TLS rules", false },
	{ "checker", "alpha", "start this checker down", false },
	{ "checker", "log_all_failures", "keepalived's syslog detail", true },
};

static bool
matches(const char *pattern, const char *name)
{
	size_t n = strlen(pattern);

	if (pattern[0] == '*')
		return strlen(name) >= n - 1 && strcmp(name + strlen(name) - (n - 1),
						       pattern + 1) == 0;
	if (pattern[n - 1] == '*')
		return strncmp(pattern, name, n - 1) == 0;
	return strcmp(pattern, name) == 0;
}

bool
kc_known_other(struct kc_ctx *ctx, const struct kc_node *n, const char *block)
{
	unsigned int i;

	for (i = 0; i < sizeof(kws) / sizeof(kws[0]); i++) {
		if (strcmp(kws[i].block, block) != 0 || !matches(kws[i].name, n->argv[0]))
			continue;
		if (kws[i].ignore)
			kc_warn(ctx, n, "'%s' ignored: %s", n->argv[0], kws[i].meaning);
		else
			kc_err(ctx, n, "'%s' is not supported by dplb yet (it would %s)",
			       n->argv[0], kws[i].meaning);
		return true;
	}
	return false;
}
