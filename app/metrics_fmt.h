/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_METRICS_FMT_H
#define LB_METRICS_FMT_H

/*
 * The observability snapshot in the Prometheus text exposition format
 * (version 0.0.4): one # HELP and # TYPE per family, counters named
 * *_total, base units (seconds, bytes), label values escaped.
 */
#include <stdio.h>

#include "app/obs.h"

/*
 * Write o as Prometheus text to out; version is the dplb_build_info label.
 * Pure (no clock, no module state); any thread. Returns 0, or -EIO when
 * out reported a write error.
 */
int lb_metrics_render(const struct lb_obs *o, const char *version, FILE *out);

/*
 * Copy s into buf as a Prometheus label value: backslash, double quote and
 * newline escaped; cut short (never mid-escape) to fit len. Returns buf.
 */
char *lb_metrics_label_escape(const char *s, char *buf, size_t len);

#endif
