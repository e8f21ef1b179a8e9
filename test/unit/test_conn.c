/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The connection table filled to its maximum: every NAT connection found
 * under both keys (single and burst lookups), one past the maximum
 * refused, expired connections gone and their entries used again. The
 * index is then over 80 % full, so entries have had to move (cuckoo).
 * Also: keys sharing a signature, each found as itself; two SYNs of a
 * TIME_WAIT flow in one burst.
 */
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include <rte_cycles.h>
#include <rte_hash_crc.h>

#include "app/conn.h"
#include "app/conn_index.h"
#include "config/config.h"
#include "test/unit/unit.h"

#define MAX_CONNS 4096
#define VIP RTE_BE32(0xc6120164)	/* 198.18.1.100 */
#define RIP RTE_BE32(0xc6120201)	/* 198.18.2.1 */

static struct lb_dest_state dest_state;
static struct lb_svc_state svc_state;

/* Client i: 198.18.128.0/17, port 1024 + i / 32768 */
static struct lb_conn_key
client_key(unsigned int i)
{
	struct lb_conn_key k = {
		.saddr = rte_cpu_to_be_32(0xc6128000 + (i & 0x7fff)),
		.daddr = VIP,
		.sport = rte_cpu_to_be_16((uint16_t)(1024 + i / 32768)),
		.dport = RTE_BE16(80),
		.proto = IPPROTO_TCP,
	};

	return k;
}

static struct lb_conn_key
reply_key(unsigned int i)
{
	struct lb_conn_key c = client_key(i), k = {
		.saddr = RIP, .daddr = c.saddr, .sport = RTE_BE16(8080), .dport = c.sport,
		.proto = IPPROTO_TCP,
	};

	return k;
}

static unsigned int
fill(struct lb_service *svc, const struct lb_dest *d, uint64_t now)
{
	unsigned int i, made = 0;

	for (i = 0; i < MAX_CONNS; i++) {
		struct lb_conn_key k = client_key(i);

		made += lb_conn_create(0, &k, svc, d, 0, 0, NULL, now) != NULL;
	}
	return made;
}

/*
 * A NAT service VIP:80 -> RIP:8080 (calloc'ed; the caller frees it) and a
 * one-worker table of max connections. NULL when either cannot be had.
 */
static struct lb_service *
nat_service_and_table(uint32_t max)
{
	struct lb_service *svc = calloc(1, sizeof(*svc) + sizeof(struct lb_dest));
	struct lb_config cfg;

	if (svc == NULL)
		return NULL;
	lb_config_defaults(&cfg);
	svc->proto = IPPROTO_TCP;
	svc->vip = VIP;
	svc->vport = RTE_BE16(80);
	svc->state = &svc_state;
	svc->nb_dests = 1;
	svc->dests[0] = (struct lb_dest){ .addr = RIP, .port = RTE_BE16(8080),
					  .fwd = LB_FWD_NAT, .weight = 1,
					  .state = &dest_state };
	if (lb_conn_init(1, max, NULL, &cfg) != 0) {
		free(svc);
		return NULL;
	}
	return svc;
}

static void
test_conn_table_full_and_reused(void)
{
	struct lb_service *svc = nat_service_and_table(MAX_CONNS);
	const struct lb_dest *d;
	uint64_t now = rte_rdtsc(), later;
	unsigned int i, found_in = 0, found_out = 0, found_burst = 0, wrong = 0, rounds;

	CU_ASSERT_PTR_NOT_NULL_FATAL(svc);
	d = &svc->dests[0];

	CU_ASSERT_EQUAL(fill(svc, d, now), MAX_CONNS);
	CU_ASSERT_EQUAL(lb_conn_count(), MAX_CONNS);
	{
		struct lb_conn_key k = client_key(MAX_CONNS);

		CU_ASSERT_PTR_NULL(lb_conn_create(0, &k, svc, d, 0, 0, NULL, now));
	}
	for (i = 0; i < MAX_CONNS; i++) {
		struct lb_conn_key ki = client_key(i), ko = reply_key(i);
		enum lb_dir dir_in, dir_out;
		struct lb_conn *ci = lb_conn_lookup(0, &ki, &dir_in);
		struct lb_conn *co = lb_conn_lookup(0, &ko, &dir_out);

		found_in += ci != NULL && dir_in == LB_DIR_IN && ci->in.saddr == ki.saddr &&
			    ci->in.sport == ki.sport;
		found_out += co != NULL && co == ci && dir_out == LB_DIR_OUT;
	}
	CU_ASSERT_EQUAL(found_in, MAX_CONNS);
	CU_ASSERT_EQUAL(found_out, MAX_CONNS);

	/* bursts of 32, half client keys, half reply keys, a few unknown */
	for (i = 0; i < MAX_CONNS; i += 32) {
		struct lb_conn_key keys[32];
		struct lb_conn_probe pr[32];
		uint32_t cands[32];
		unsigned int j;

		for (j = 0; j < 32; j++) {
			keys[j] = j & 1 ? reply_key(i + j) : client_key(i + j);
			if (j == 31)
				keys[j] = client_key(MAX_CONNS + i);	/* no such flow */
			lb_conn_lookup_prefetch(0, &keys[j], &pr[j]);
		}
		for (j = 0; j < 32; j++)
			cands[j] = lb_conn_lookup_candidate(0, &pr[j]);
		for (j = 0; j < 32; j++) {
			enum lb_dir dir;
			struct lb_conn *c = lb_conn_lookup_finish(0, &keys[j], cands[j], &dir);

			if (j == 31)
				wrong += c != NULL;
			else if (c != NULL && dir == (j & 1 ? LB_DIR_OUT : LB_DIR_IN))
				found_burst++;
		}
	}
	CU_ASSERT_EQUAL(found_burst, MAX_CONNS / 32 * 31);
	CU_ASSERT_EQUAL(wrong, 0);

	/* nothing answered: every connection times out (NONE, 2 s) */
	later = now + 3 * rte_get_tsc_hz();
	for (rounds = 0; rounds < 1000 && lb_conn_count() > 0; rounds++)
		lb_conn_expire(0, later, 64);
	CU_ASSERT_EQUAL(lb_conn_count(), 0);
	{
		struct lb_conn_key k = client_key(7);
		enum lb_dir dir;

		CU_ASSERT_PTR_NULL(lb_conn_lookup(0, &k, &dir));
	}
	CU_ASSERT_EQUAL(__atomic_load_n(&dest_state.inactconns, __ATOMIC_RELAXED), 0);

	/* the freed entries serve a full table again */
	CU_ASSERT_EQUAL(fill(svc, d, later), MAX_CONNS);
	CU_ASSERT_EQUAL(lb_conn_count(), MAX_CONNS);
	lb_conn_term();
	free(svc);
}

/*
 * A client key with the same index signature as k, hence the same buckets:
 * the hash is CRC32C over the key's two 8-byte words, and CRC is linear,
 * so changing the first word by d0 and the second by the CRC of d0 leaves
 * it as it was. The test checks that the signatures do match.
 */
static struct lb_conn_key
same_signature(const struct lb_conn_key *k, uint64_t d0)
{
	struct lb_conn_key o = *k;
	uint64_t w[2];

	memcpy(w, &o, sizeof(w));
	w[0] ^= d0;
	w[1] ^= rte_hash_crc_8byte(d0, 0);
	memcpy(&o, w, sizeof(w));
	return o;
}

/*
 * Connections whose keys share a signature (so sit side by side in one
 * bucket): each is found as itself, by single and by burst lookups, where
 * the first slot whose signature matches holds the other one.
 */
static void
test_conn_same_signature(void)
{
	struct lb_service *svc = nat_service_and_table(64);
	struct lb_conn_key k[3];
	struct lb_conn *c[3];
	uint64_t now = rte_rdtsc();
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(svc);
	k[0] = client_key(5);
	k[1] = same_signature(&k[0], 0x0102);	/* little-endian: client address, ports move */
	k[2] = same_signature(&k[0], 0x30000);
	for (i = 1; i < 3; i++) {
		CU_ASSERT_EQUAL(lb_conn_index_signature(&k[i]), lb_conn_index_signature(&k[0]));
		CU_ASSERT(memcmp(&k[i], &k[0], sizeof(k[0])) != 0);
	}
	for (i = 0; i < 3; i++) {
		c[i] = lb_conn_create(0, &k[i], svc, &svc->dests[0], 0, 0, NULL, now);
		CU_ASSERT_PTR_NOT_NULL_FATAL(c[i]);
	}
	for (i = 0; i < 3; i++) {
		struct lb_conn_probe pr;
		enum lb_dir dir = LB_DIR_OUT;
		uint32_t cand;

		CU_ASSERT_PTR_EQUAL(lb_conn_lookup(0, &k[i], &dir), c[i]);
		CU_ASSERT_EQUAL(dir, LB_DIR_IN);
		lb_conn_lookup_prefetch(0, &k[i], &pr);
		cand = lb_conn_lookup_candidate(0, &pr);
		dir = LB_DIR_OUT;
		CU_ASSERT_PTR_EQUAL(lb_conn_lookup_finish(0, &k[i], cand, &dir), c[i]);
		CU_ASSERT_EQUAL(dir, LB_DIR_IN);
	}
	lb_conn_term();
	free(svc);
}

/*
 * Two SYNs of one flow in a burst, its connection in TIME_WAIT: the first
 * removes it (a new connection); the second, whose candidate was read
 * before that, must not find the removed one nor remove it again (the
 * entry would be freed twice). It finds the new connection instead.
 */
static void
test_conn_reuse_within_burst(void)
{
	struct lb_service *svc = nat_service_and_table(64);
	struct lb_conn_key k = client_key(1);
	struct lb_conn_probe pr[2];
	struct lb_conn *old, *c, *again;
	const uint64_t now = rte_rdtsc();
	uint32_t cand[2];
	enum lb_dir dir;
	const struct lb_dest *d;

	CU_ASSERT_PTR_NOT_NULL_FATAL(svc);
	d = &svc->dests[0];
	old = lb_conn_create(0, &k, svc, d, 0, 0, NULL, now);
	CU_ASSERT_PTR_NOT_NULL_FATAL(old);
	__atomic_store_n(&old->state, LB_TCP_TIME_WAIT, __ATOMIC_RELAXED);

	/* both SYNs' candidates read before either is forwarded */
	lb_conn_lookup_prefetch(0, &k, &pr[0]);
	lb_conn_lookup_prefetch(0, &k, &pr[1]);
	cand[0] = lb_conn_lookup_candidate(0, &pr[0]);
	cand[1] = lb_conn_lookup_candidate(0, &pr[1]);
	CU_ASSERT_NOT_EQUAL(cand[1], 0);

	/* the first SYN: the old connection found, retired, a new one made */
	CU_ASSERT_PTR_EQUAL(lb_conn_lookup_finish(0, &k, cand[0], &dir), old);
	CU_ASSERT_TRUE(lb_conn_retire_for_reuse(0, old));
	CU_ASSERT_EQUAL(lb_conn_count(), 0);
	c = lb_conn_create(0, &k, svc, d, 0, 0, NULL, now);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);

	/* the second: the new one, though its candidate named the old */
	again = lb_conn_lookup_finish(0, &k, cand[1], &dir);
	CU_ASSERT_PTR_EQUAL(again, c);
	CU_ASSERT_FALSE(lb_conn_retire_for_reuse(0, old));	/* never twice */
	CU_ASSERT_EQUAL(lb_conn_count(), 1);
	lb_conn_term();
	free(svc);
}

void
lb_test_register_conn(void)
{
	CU_pSuite s = CU_add_suite("conn", NULL, NULL);

	CU_add_test(s, "table filled to max: both keys found, one more refused, expired reused",
		    test_conn_table_full_and_reused);
	CU_add_test(s, "keys sharing a signature, one bucket: each found as itself",
		    test_conn_same_signature);
	CU_add_test(s, "two SYNs of a TIME_WAIT flow in one burst: removed once, new one found",
		    test_conn_reuse_within_burst);
}
