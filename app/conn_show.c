/* SPDX-License-Identifier: BSD-3-Clause */
/* The connection table as `ipvsadm -L -c` and `show conn` print it. */
#include <netinet/in.h>
#include <string.h>

#include "app/conn_show.h"
#include "app/lcore.h"
#include "app/svc_table.h"

#define CHUNK 1024	/* connections copied per RCU read-side section */

static struct lb_conn_info chunk[CHUNK];	/* control lcore only */

static const char *
proto_name(uint8_t proto)
{
	return proto == IPPROTO_TCP ? "TCP" : proto == IPPROTO_UDP ? "UDP" : "IP";
}

/* ipvsadm's state column: templates say NONE, UDP flows UDP. */
static const char *
state_name(const struct lb_conn_info *c)
{
	return c->is_template ? "NONE" : lb_conn_state_name(c->state);
}

/* ipvsadm's expire column, mm:ss. */
static void
expire_str(char *buf, size_t len, uint32_t s)
{
	snprintf(buf, len, "%02u:%02u", s / 60, s % 60);
}

/* Does (addr, port) pass a filter entry? (0 matches anything) */
static bool
endpoint_ok(rte_be32_t want_a, rte_be16_t want_p, rte_be32_t a, rte_be16_t p)
{
	return (want_a == 0 || want_a == a) && (want_p == 0 || want_p == p);
}

static bool
matches(const struct lb_conn_filter *f, const struct lb_conn_info *c)
{
	if (f->proto != 0 && f->proto != c->in.proto)
		return false;
	if (f->templates && !c->is_template)
		return false;
	if (f->state >= 0 && (c->is_template || f->state != c->state))
		return false;
	return endpoint_ok(f->client, f->client_port, c->in.saddr, c->in.sport) &&
	       endpoint_ok(f->vip, f->vip_port, c->in.daddr, c->in.dport) &&
	       endpoint_ok(f->rs, f->rs_port, c->daddr, c->dport);
}

/*
 * Walk every table in chunks, calling row() for each connection that
 * passes f, up to limit rows. Returns the rows printed; *more is set when
 * the limit stopped the walk.
 */
static unsigned int
walk(FILE *out, const struct lb_conn_filter *f, unsigned int limit, bool *more,
     void (*row)(FILE *, const struct lb_conn_info *))
{
	uint64_t cursor = 0;
	unsigned int n, i, shown = 0;

	*more = false;
	while ((n = lb_conn_walk(&cursor, chunk, CHUNK, LB_RCU_CONTROL)) > 0) {
		for (i = 0; i < n; i++) {
			if (f != NULL && !matches(f, &chunk[i]))
				continue;
			if (shown == limit) {
				*more = true;
				return shown;
			}
			row(out, &chunk[i]);
			shown++;
		}
	}
	return shown;
}

static void
ipvsadm_row(FILE *out, const struct lb_conn_info *c)
{
	char exp[16], src[24], vip[24], dst[24];

	expire_str(exp, sizeof(exp), c->expire_s);
	fprintf(out, "%-3s %-6s %-11s %-18s %-18s %s\n", proto_name(c->in.proto), exp,
		state_name(c), lb_addr_port_str(src, sizeof(src), c->in.saddr, c->in.sport),
		lb_addr_port_str(vip, sizeof(vip), c->in.daddr, c->in.dport),
		lb_addr_port_str(dst, sizeof(dst), c->daddr, c->dport));
}

void
lb_conn_show_ipvsadm(FILE *out, bool persistent_conn)
{
	bool more;

	fprintf(out, "IPVS connection entries\n");
	if (persistent_conn)
		fprintf(out, "pro expire %-11s %-18s %-18s %-18s %-16s %s\n", "state", "source",
			"virtual", "destination", "pe name", "pe_data");
	else
		fprintf(out, "pro expire %-11s %-18s %-18s %s\n", "state", "source", "virtual",
			"destination");
	walk(out, NULL, LB_CONN_SHOW_MAX, &more, ipvsadm_row);
	if (more)
		fprintf(out, "(stopped after %u entries: 'show conn' takes filters)\n",
			LB_CONN_SHOW_MAX);
}

static void
dplb_row(FILE *out, const struct lb_conn_info *c)
{
	char exp[16], src[24], vip[24], local[24], dst[24];

	expire_str(exp, sizeof(exp), c->expire_s);
	if (c->fwd == LB_FWD_FNAT && !c->is_template)
		lb_addr_port_str(local, sizeof(local), c->out.daddr, c->out.dport);
	else
		snprintf(local, sizeof(local), "-");
	fprintf(out, "%-3s %-11s %6s  %-21s %-21s %-21s %-21s %-7s %u\n",
		proto_name(c->in.proto), c->is_template ? "TEMPLATE" : lb_conn_state_name(c->state),
		exp, lb_addr_port_str(src, sizeof(src), c->in.saddr, c->in.sport),
		lb_addr_port_str(vip, sizeof(vip), c->in.daddr, c->in.dport), local,
		lb_addr_port_str(dst, sizeof(dst), c->daddr, c->dport), lb_fwd_name(c->fwd),
		c->worker);
}

void
lb_conn_show(FILE *out, const struct lb_conn_filter *f)
{
	unsigned int shown;
	bool more;

	fprintf(out, "%-3s %-11s %6s  %-21s %-21s %-21s %-21s %-7s %s\n", "Pro", "State",
		"Expire", "Client", "Virtual", "Local", "RealServer", "Fwd", "Worker");
	shown = walk(out, f, f->limit, &more, dplb_row);
	if (more)
		fprintf(out, "%u shown; more match (limit %u; raise it with 'limit N', "
			"at most %u, or narrow the filters)\n", shown, f->limit, LB_CONN_SHOW_MAX);
	else
		fprintf(out, "%u shown of %u in the tables\n", shown, lb_conn_count());
}
