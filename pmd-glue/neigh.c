/* SPDX-License-Identifier: BSD-3-Clause */
/* Neighbour table: single writer (control), lock-free readers (workers). */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_log.h>
#include <rte_malloc.h>

#include "config/config.h"
#include "pmd-glue/neigh.h"

RTE_LOG_REGISTER_SUFFIX(lb_neigh_logtype, neigh, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_neigh_logtype, "neigh: " fmt "\n", ##__VA_ARGS__)

#define PROBE_GRACE_S 3

/* One entry; mac_word is written atomically so readers never see half a MAC. */
struct neigh_entry {
	uint64_t mac_word;		/* 6 MAC bytes, packed */
	uint64_t confirmed_tsc;		/* control only */
	uint16_t port_id;
	bool probing;			/* control only */
};

uint32_t lb_neigh_gen = 1;

/* A known entry changed or went: every worker's cache entry is stale. */
static void
bump_gen(void)
{
	__atomic_fetch_add(&lb_neigh_gen, 1, __ATOMIC_RELEASE);
	if (__atomic_load_n(&lb_neigh_gen, __ATOMIC_RELAXED) == 0)
		__atomic_store_n(&lb_neigh_gen, 1, __ATOMIC_RELEASE);	/* 0 means empty */
}

static struct rte_hash *table;
static struct neigh_entry *entries;
static unsigned int timeout_s;

static uint64_t
mac_pack(const struct rte_ether_addr *mac)
{
	uint64_t w = 0;

	memcpy(&w, mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	return w;
}

int
lb_neigh_init(unsigned int max, struct rte_rcu_qsbr *rcu, unsigned int timeout)
{
	struct rte_hash_parameters p = {
		.name = "lb_neigh",
		.entries = max,
		.key_len = sizeof(rte_be32_t),
		.hash_func = rte_jhash,
		.socket_id = SOCKET_ID_ANY,
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};
	struct rte_hash_rcu_config rcfg = { .v = rcu, .mode = RTE_HASH_QSBR_MODE_DQ };

	timeout_s = timeout;
	table = rte_hash_create(&p);
	if (table == NULL) {
		LOG(ERR, "cannot create table of %u entries: %s", max, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	if (rcu != NULL && rte_hash_rcu_qsbr_add(table, &rcfg) != 0) {
		LOG(ERR, "cannot attach RCU to the table");
		lb_neigh_term();
		return -ENOMEM;
	}
	/* a key's position indexes its entry: positions < max + free slack */
	entries = rte_zmalloc("lb_neigh_entries",
			      sizeof(*entries) * (rte_hash_max_key_id(table) + 1), 0);
	if (entries == NULL) {
		lb_neigh_term();
		return -ENOMEM;
	}
	return 0;
}

void
lb_neigh_term(void)
{
	rte_hash_free(table);
	rte_free(entries);
	table = NULL;
	entries = NULL;
}

int
lb_neigh_update(uint16_t port_id, rte_be32_t ip, const struct rte_ether_addr *mac,
		bool create)
{
	struct neigh_entry *e;
	int pos;

	if (table == NULL)
		return -ENOENT;
	pos = rte_hash_lookup(table, &ip);
	if (pos < 0) {
		if (!create)
			return -ENOENT;
		pos = rte_hash_add_key(table, &ip);
		if (pos < 0) {
			LOG(WARNING, "table full: cannot learn a neighbour; raise its size");
			return -ENOSPC;
		}
		e = &entries[pos];
		e->port_id = port_id;
		__atomic_store_n(&e->mac_word, mac_pack(mac), __ATOMIC_RELEASE);
	} else {
		e = &entries[pos];
		if (__atomic_load_n(&e->mac_word, __ATOMIC_RELAXED) != mac_pack(mac) ||
		    e->port_id != port_id) {
			char ipb[16], macb[RTE_ETHER_ADDR_FMT_SIZE];

			rte_ether_format_addr(macb, sizeof(macb), mac);
			LOG(NOTICE, "%s moved to %s on port %u",
			    lb_ipv4_str(rte_be_to_cpu_32(ip), ipb, sizeof(ipb)), macb, port_id);
			e->port_id = port_id;
			__atomic_store_n(&e->mac_word, mac_pack(mac), __ATOMIC_RELEASE);
			bump_gen();
		}
	}
	e->confirmed_tsc = rte_get_tsc_cycles();
	e->probing = false;
	return 0;
}

int
lb_neigh_lookup(rte_be32_t ip, struct rte_ether_addr *mac, uint16_t *port_id)
{
	const struct neigh_entry *e;
	uint64_t w;
	int pos;

	if (table == NULL)
		return -ENOENT;
	pos = rte_hash_lookup(table, &ip);
	if (pos < 0)
		return -ENOENT;
	e = &entries[pos];
	w = __atomic_load_n(&e->mac_word, __ATOMIC_ACQUIRE);
	memcpy(mac->addr_bytes, &w, RTE_ETHER_ADDR_LEN);
	if (port_id != NULL)
		*port_id = e->port_id;
	return 0;
}

void
lb_neigh_age(uint64_t now, void (*probe)(uint16_t port_id, rte_be32_t ip))
{
	const uint64_t hz = rte_get_tsc_hz();
	const void *key;
	void *data;
	uint32_t iter = 0;
	int pos;

	if (table == NULL)
		return;
	while ((pos = rte_hash_iterate(table, &key, &data, &iter)) >= 0) {
		struct neigh_entry *e = &entries[pos];
		rte_be32_t ip = *(const rte_be32_t *)key;
		uint64_t age = (now - e->confirmed_tsc) / hz;

		if (age >= timeout_s + PROBE_GRACE_S) {
			char ipb[16];

			LOG(INFO, "%s expired (no ARP answer)",
			    lb_ipv4_str(rte_be_to_cpu_32(ip), ipb, sizeof(ipb)));
			rte_hash_del_key(table, &ip);
			bump_gen();
		} else if (age >= timeout_s && probe != NULL) {
			e->probing = true;
			probe(e->port_id, ip);
		}
	}
}

void
lb_neigh_show(FILE *out)
{
	const uint64_t hz = rte_get_tsc_hz(), now = rte_get_tsc_cycles();
	const void *key;
	void *data;
	uint32_t iter = 0;
	int pos;

	if (table == NULL)
		return;
	fprintf(out, "%-16s %-18s %-5s %-6s %s\n", "address", "mac", "port", "age", "state");
	while ((pos = rte_hash_iterate(table, &key, &data, &iter)) >= 0) {
		const struct neigh_entry *e = &entries[pos];
		struct rte_ether_addr mac;
		char ipb[16], macb[RTE_ETHER_ADDR_FMT_SIZE];

		memcpy(mac.addr_bytes, &e->mac_word, RTE_ETHER_ADDR_LEN);
		rte_ether_format_addr(macb, sizeof(macb), &mac);
		fprintf(out, "%-16s %-18s %-5u %-6" PRIu64 " %s\n",
			lb_ipv4_str(rte_be_to_cpu_32(*(const rte_be32_t *)key), ipb, sizeof(ipb)),
			macb, e->port_id, (now - e->confirmed_tsc) / hz,
			e->probing ? "probe" : "reachable");
	}
}

unsigned int
lb_neigh_count(void)
{
	return table == NULL ? 0 : (unsigned int)rte_hash_count(table);
}
