/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_BENCH_CHECKS_H
#define LB_BENCH_CHECKS_H

/*
 * Health-check load for the benchmarks: n TCP_CHECK probes (delay_loop 1 s,
 * so n checks per second once the 1 s warm-up is over) on the epoll set
 * the control lcore uses, against a listener on 127.0.0.1 that the same
 * poll accepts and closes. One thread (the caller's); never blocks.
 */

#include <stdint.h>

struct bench_checks;

/* Listener, probes and epoll set; NULL on failure (errno set, printed). */
struct bench_checks *bench_checks_start(unsigned int n);

/* Advance the probes and accept what connected. Returns the work done. */
unsigned int bench_checks_poll(struct bench_checks *c, uint64_t now_us);

/* Checks finished so far: *ok passed, *fail failed. */
void bench_checks_count(const struct bench_checks *c, uint64_t *ok, uint64_t *fail);

/* Close and free everything (c may be NULL). */
void bench_checks_stop(struct bench_checks *c);

#endif
