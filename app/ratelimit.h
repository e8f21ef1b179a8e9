/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_RATELIMIT_H
#define LB_RATELIMIT_H

/*
 * Per-source limits on new connections (a service's rate_limit): a token
 * bucket per client address, in a fixed table of LB_SRC_SLOTS per worker
 * and service, indexed by a hash of the address. Two sources that share a
 * slot take turns with it (each arrives to a full bucket), so the limit is
 * exact for up to a few thousand active sources per worker and lenient
 * past that; a client whose connections RSS spreads over W workers gets up
 * to W times the rate. No locks: each worker owns its table.
 */
#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_hash_crc.h>

#define LB_SRC_SLOTS 4096	/* power of two */

struct lb_src_bucket {
	rte_be32_t addr;	/* 0: unused */
	uint32_t tokens;	/* thousandths of a connection */
	uint64_t last_tsc;	/* last refill */
};

/*
 * May source saddr open one more connection at now (TSC, hz a second)
 * under rate connections a second with bursts of burst? Takes a token
 * when it may. Worker lcores, on their own table.
 */
static inline bool
lb_src_rate_take(struct lb_src_bucket *table, rte_be32_t saddr, uint32_t rate, uint32_t burst,
		 uint64_t now, uint64_t hz)
{
	struct lb_src_bucket *b = &table[rte_hash_crc_4byte(saddr, 0) & (LB_SRC_SLOTS - 1)];
	uint64_t full = (uint64_t)burst * 1000;

	if (b->addr != saddr) {		/* a source new to this slot: a full bucket */
		b->addr = saddr;
		b->tokens = (uint32_t)full;
		b->last_tsc = now;
	} else {
		unsigned __int128 add = (unsigned __int128)(now - b->last_tsc) * rate * 1000 / hz;

		if (add >= full - b->tokens) {
			b->tokens = (uint32_t)full;
			b->last_tsc = now;
		} else {	/* the clock moves by what the tokens took: no fraction lost */
			b->tokens += (uint32_t)add;
			b->last_tsc += (uint64_t)(add * hz / ((uint64_t)rate * 1000));
		}
	}
	if (b->tokens < 1000)
		return false;
	b->tokens -= 1000;
	return true;
}

#endif
