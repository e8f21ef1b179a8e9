/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The connection table filled to its maximum: every NAT connection found
 * under both keys (single and burst lookups), one past the maximum
 * refused, expired connections gone and their entries used again. The
 * index is then over 80 % full, so entries have had to move (cuckoo).
 * Also: keys sharing a signature, each found as itself; two SYNs of a
 * TIME_WAIT flow in one burst; a client port reused towards another VIP
 * of the same real server (the reply key changes hands).
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
#define VIP2 RTE_BE32(0xc6120166)	/* 198.18.1.102 */
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
 * A NAT service VIP:80 -> RIP:8080 (calloc'ed; the caller frees it) and
 * tables of max connections in all for nb_workers workers. NULL when
 * either cannot be had.
 */
static struct lb_service *
nat_service_and_tables(unsigned int nb_workers, uint32_t max)
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
	if (lb_conn_init(nb_workers, max, NULL, &cfg) != 0) {
		free(svc);
		return NULL;
	}
	return svc;
}

/* nat_service_and_tables for one worker. */
static struct lb_service *
nat_service_and_table(uint32_t max)
{
	return nat_service_and_tables(1, max);
}

/* A copy of svc on VIP2:80, to the same real server (the caller frees it). */
static struct lb_service *
second_vip(const struct lb_service *svc)
{
	const size_t size = sizeof(*svc) + sizeof(struct lb_dest);
	struct lb_service *b = malloc(size);

	if (b != NULL) {
		memcpy(b, svc, size);
		b->vip = VIP2;
	}
	return b;
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

/* key's connection by the burst steps, from worker w; *dir set. */
static struct lb_conn *
burst_lookup(unsigned int w, const struct lb_conn_key *key, enum lb_dir *dir)
{
	struct lb_conn_probe pr;
	uint32_t cand;

	lb_conn_lookup_prefetch(w, key, &pr);
	cand = lb_conn_lookup_candidate(w, &pr);
	if (cand == 0)
		cand = lb_conn_lookup_candidate_others(w, &pr);
	return lb_conn_lookup_finish(w, key, cand, dir);
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
		enum lb_dir dir = LB_DIR_OUT;

		CU_ASSERT_PTR_EQUAL(lb_conn_lookup(0, &k[i], &dir), c[i]);
		CU_ASSERT_EQUAL(dir, LB_DIR_IN);
		dir = LB_DIR_OUT;
		CU_ASSERT_PTR_EQUAL(burst_lookup(0, &k[i], &dir), c[i]);
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

/* k sent to VIP2 instead: the same client address and port. */
static struct lb_conn_key
to_vip2(struct lb_conn_key k)
{
	k.daddr = VIP2;
	return k;
}

/*
 * Client i's connection to VIP in worker w_old's table, put in state st,
 * then the same client port's to VIP2 (same real server) in w_new's:
 * *old and *c. False when either could not be made.
 */
static bool
port_reused(const struct lb_service *svc, const struct lb_service *svc2, unsigned int i,
	    unsigned int w_old, uint8_t st, unsigned int w_new, struct lb_conn **old,
	    struct lb_conn **c)
{
	const struct lb_conn_key k_old = client_key(i), k_new = to_vip2(k_old);
	const uint64_t now = rte_rdtsc();

	*old = lb_conn_create(w_old, &k_old, svc, &svc->dests[0], 0, 0, NULL, now);
	if (*old == NULL)
		return false;
	lb_conn_sync_set(*old, st, 0, now);	/* counted as a state change, its timeout */
	*c = lb_conn_create(w_new, &k_new, svc2, &svc2->dests[0], 0, 0, NULL, now);
	return *c != NULL;
}

/*
 * A client reuses its port towards another VIP of the same real server
 * while its first connection is closing (TIME_WAIT): both connections have
 * one reply key, and the real server's replies belong to the new one (in
 * the lab, the old one took them and the new one hung in SYN_RECV). With
 * the old one in the other worker's table (RSS puts it there when the VIP
 * differs), every lookup, single or burst, from either worker, finds the
 * new one; the old one still serves its client key; its removal leaves
 * the new one's reply key in place and nothing of its own in the index.
 */
static void
test_conn_reply_key_taken_over(void)
{
	struct lb_service *svc = nat_service_and_tables(2, 64), *svc2;
	const struct lb_conn_key k_old = client_key(3);
	const struct lb_conn_key reply = reply_key(3);
	const uint64_t now = rte_rdtsc();
	struct lb_conn *old, *c;
	unsigned int w, rounds;
	enum lb_dir dir;

	CU_ASSERT_PTR_NOT_NULL_FATAL(svc);
	svc2 = second_vip(svc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(svc2);
	CU_ASSERT_FATAL(port_reused(svc, svc2, 3, 1, LB_TCP_TIME_WAIT, 0, &old, &c));
	CU_ASSERT(memcmp(&c->out, &reply, sizeof(reply)) == 0);
	for (w = 0; w < 2; w++) {
		dir = LB_DIR_IN;
		CU_ASSERT_PTR_EQUAL(lb_conn_lookup(w, &reply, &dir), c);
		CU_ASSERT_EQUAL(dir, LB_DIR_OUT);
		dir = LB_DIR_IN;
		CU_ASSERT_PTR_EQUAL(burst_lookup(w, &reply, &dir), c);
		CU_ASSERT_EQUAL(dir, LB_DIR_OUT);
		CU_ASSERT_PTR_EQUAL(lb_conn_lookup(w, &k_old, &dir), old);
		CU_ASSERT_EQUAL(dir, LB_DIR_IN);
	}
	/* the old one times out (worker 1's table only): the new one stays */
	for (rounds = 0; rounds < 100 && lb_conn_count() > 1; rounds++)
		lb_conn_expire(1, now + 200 * rte_get_tsc_hz(), 64);
	CU_ASSERT_EQUAL(lb_conn_count(), 1);
	CU_ASSERT_EQUAL(lb_conn_keys_indexed(1), 0);
	CU_ASSERT_EQUAL(lb_conn_keys_indexed(0), 2);
	CU_ASSERT_PTR_NULL(lb_conn_lookup(0, &k_old, &dir));
	CU_ASSERT_PTR_EQUAL(lb_conn_lookup(1, &reply, &dir), c);
	CU_ASSERT_EQUAL(dir, LB_DIR_OUT);
	lb_conn_term();
	free(svc2);
	free(svc);
}

/*
 * The same two connections in one table, the first one's state as given:
 * closing or half-open, it gives its reply key up and its index entry
 * goes; established, it keeps the replies and the newcomer waits, not
 * filed under the key (a forged SYN must not take an established
 * connection's replies), until the first one closes and the newcomer asks
 * again (its next SYN). Either way the index holds three keys, and once
 * both are gone, none.
 */
static void
reply_key_one_table(uint8_t first_state, bool first_keeps)
{
	struct lb_service *svc = nat_service_and_table(64), *svc2;
	const struct lb_conn_key k_old = client_key(9), k_new = to_vip2(k_old);
	const struct lb_conn_key reply = reply_key(9);
	const uint64_t now = rte_rdtsc();
	struct lb_conn *old, *c, *got;
	unsigned int rounds;
	enum lb_dir dir = LB_DIR_IN;

	CU_ASSERT_PTR_NOT_NULL_FATAL(svc);
	svc2 = second_vip(svc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(svc2);
	CU_ASSERT_FATAL(port_reused(svc, svc2, 9, 0, first_state, 0, &old, &c));
	got = lb_conn_lookup(0, &reply, &dir);
	CU_ASSERT_PTR_EQUAL(got, first_keeps ? old : c);
	CU_ASSERT_EQUAL(dir, LB_DIR_OUT);
	dir = LB_DIR_IN;
	CU_ASSERT_PTR_EQUAL(burst_lookup(0, &reply, &dir), got);
	CU_ASSERT_EQUAL(dir, LB_DIR_OUT);
	CU_ASSERT_EQUAL(lb_conn_keys_indexed(0), 3);
	CU_ASSERT_PTR_EQUAL(lb_conn_lookup(0, &k_new, &dir), c);
	CU_ASSERT_EQUAL(dir, LB_DIR_IN);
	/* the established one closes (a RST): the newcomer's next SYN claims the key */
	CU_ASSERT_FALSE(lb_conn_claim_reply_key(0, c));
	lb_conn_sync_set(old, LB_TCP_CLOSE, 0, now);
	CU_ASSERT_EQUAL(lb_conn_claim_reply_key(0, c), first_keeps);
	CU_ASSERT_PTR_EQUAL(lb_conn_lookup(0, &reply, &dir), c);
	CU_ASSERT_EQUAL(dir, LB_DIR_OUT);
	CU_ASSERT_EQUAL(lb_conn_keys_indexed(0), 3);
	for (rounds = 0; rounds < 100 && lb_conn_count() > 0; rounds++)
		lb_conn_expire(0, now + 1000 * rte_get_tsc_hz(), 64);
	CU_ASSERT_EQUAL(lb_conn_count(), 0);
	CU_ASSERT_EQUAL(lb_conn_keys_indexed(0), 0);
	lb_conn_term();
	free(svc2);
	free(svc);
}

static void
test_conn_reply_key_closing_or_open(void)
{
	reply_key_one_table(LB_TCP_TIME_WAIT, false);
	reply_key_one_table(LB_TCP_FIN_WAIT, false);
	reply_key_one_table(LB_TCP_CLOSE, false);
	reply_key_one_table(LB_TCP_LAST_ACK, false);
	reply_key_one_table(LB_TCP_SYN_RECV, false);	/* half-open: maybe forged */
	reply_key_one_table(LB_TCP_ESTABLISHED, true);
}

/*
 * Reply keys taken over across tables, round after round: PAIRS closing
 * connections in worker 1's table, PAIRS newcomers with their reply keys
 * in worker 0's, then PAIRS more in worker 1's, which fills it to its
 * maximum (its index 80 % full, so entries move, the marked ones too).
 * Once all are gone both indexes are empty: an entry deleted under the
 * marked key, or moved by its hashes, would stay.
 */
#define PAIRS (MAX_CONNS / 2)
#define ROUNDS 10

static void
test_conn_reply_key_rounds(void)
{
	struct lb_service *svc = nat_service_and_tables(2, 4 * PAIRS), *svc2;
	static struct lb_conn *c[PAIRS];
	uint64_t now = rte_rdtsc();
	unsigned int r, i, made = 0, theirs = 0, rounds, left = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(svc);
	svc2 = second_vip(svc);
	CU_ASSERT_PTR_NOT_NULL_FATAL(svc2);
	for (r = 0; r < ROUNDS; r++) {
		const unsigned int first = r * 2 * PAIRS;

		for (i = 0; i < PAIRS; i++) {
			const struct lb_conn_key k = client_key(first + i);
			struct lb_conn *old = lb_conn_create(1, &k, svc, &svc->dests[0],
							     0, 0, NULL, now);

			made += old != NULL;
			if (old != NULL)
				lb_conn_sync_set(old, LB_TCP_TIME_WAIT, 0, now);
		}
		for (i = 0; i < PAIRS; i++) {
			const struct lb_conn_key k = to_vip2(client_key(first + i));

			c[i] = lb_conn_create(0, &k, svc2, &svc2->dests[0], 0, 0, NULL, now);
			made += c[i] != NULL;
		}
		for (i = 0; i < PAIRS; i++) {
			const struct lb_conn_key k = client_key(first + PAIRS + i);

			made += lb_conn_create(1, &k, svc, &svc->dests[0], 0, 0, NULL, now) != NULL;
		}
		for (i = 0; i < PAIRS; i++) {
			const struct lb_conn_key reply = reply_key(first + i);
			enum lb_dir dir;

			theirs += c[i] != NULL && lb_conn_lookup(1, &reply, &dir) == c[i] &&
				  dir == LB_DIR_OUT;
		}
		now += 200 * rte_get_tsc_hz();	/* all time out (TIME_WAIT: 120 s, NONE: 2 s) */
		for (rounds = 0; rounds < 1000 && lb_conn_count() > 0; rounds++) {
			lb_conn_expire(0, now, 64);
			lb_conn_expire(1, now, 64);
		}
		left += lb_conn_keys_indexed(0) + lb_conn_keys_indexed(1);
	}
	CU_ASSERT_EQUAL(made, ROUNDS * 3 * PAIRS);
	CU_ASSERT_EQUAL(theirs, ROUNDS * PAIRS);
	CU_ASSERT_EQUAL(lb_conn_count(), 0);
	CU_ASSERT_EQUAL(left, 0);
	lb_conn_term();
	free(svc2);
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
	CU_add_test(s, "client port reused to another VIP, same real server: replies to the new one",
		    test_conn_reply_key_taken_over);
	CU_add_test(s, "... from any but an established one, which keeps them until it closes",
		    test_conn_reply_key_closing_or_open);
	CU_add_test(s, "10 rounds of reply keys taken over, tables at their maximum: index empty after",
		    test_conn_reply_key_rounds);
}
