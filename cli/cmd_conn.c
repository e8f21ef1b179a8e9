/* SPDX-License-Identifier: BSD-3-Clause */
/* show conn [filters]: the connection table, filtered. */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>

#include "app/conn_show.h"
#include "cli/commands.h"

#define DEFAULT_LIMIT 100

static const char usage[] =
	"show conn [tcp|udp] [client A.B.C.D[:P]] [vip A.B.C.D[:P]] [rs A.B.C.D[:P]] "
	"[state NAME|template] [limit N]";

/* An ADDR[:PORT] filter value into network-order fields. */
static bool
filter_endpoint(const char *w, rte_be32_t *addr, rte_be16_t *port)
{
	uint32_t a;
	uint16_t p;

	if (lb_parse_ipv4_endpoint(w, &a, &p, true) != 0)
		return false;
	*addr = rte_cpu_to_be_32(a);
	*port = rte_cpu_to_be_16(p);
	return true;
}

static int
state_of(const char *name)
{
	unsigned int s;

	for (s = 0; s <= LB_UDP_STATE; s++)
		if (strcasecmp(name, lb_conn_state_name(s)) == 0)
			return (int)s;
	return -1;
}

/* One "KEY VALUE" pair (or a lone tcp|udp) at argv[*i] into f. */
static int
filter_word(int argc, char **argv, int *i, struct lb_conn_filter *f, FILE *out)
{
	const char *k = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	char *end;
	bool ok;

	if (strcmp(k, "tcp") == 0 || strcmp(k, "udp") == 0) {
		f->proto = k[0] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
		return 0;
	}
	if (v == NULL) {
		fprintf(out, "error: '%s' needs a value (%s)\n", k, usage);
		return -EINVAL;
	}
	(*i)++;
	if (strcmp(k, "client") == 0)
		ok = filter_endpoint(v, &f->client, &f->client_port);
	else if (strcmp(k, "vip") == 0)
		ok = filter_endpoint(v, &f->vip, &f->vip_port);
	else if (strcmp(k, "rs") == 0)
		ok = filter_endpoint(v, &f->rs, &f->rs_port);
	else if (strcmp(k, "state") == 0) {
		f->templates = strcasecmp(v, "template") == 0;
		f->state = f->templates ? -1 : state_of(v);
		ok = f->templates || f->state >= 0;
		if (!ok) {
			fprintf(out, "error: state '%s' is not one of ESTABLISHED SYN_RECV FIN_WAIT "
				"TIME_WAIT CLOSE CLOSE_WAIT LAST_ACK SYN_SENT LISTEN SYNACK NONE UDP "
				"template\n", v);
			return -EINVAL;
		}
	} else if (strcmp(k, "limit") == 0) {
		unsigned long n = strtoul(v, &end, 10);

		ok = *end == '\0' && v[0] != '-' && n >= 1 && n <= LB_CONN_SHOW_MAX;
		if (!ok) {
			fprintf(out, "error: limit '%s' is not 1..%u\n", v, LB_CONN_SHOW_MAX);
			return -EINVAL;
		}
		f->limit = (unsigned int)n;
	} else {
		fprintf(out, "error: unknown filter '%s' (%s)\n", k, usage);
		return -EINVAL;
	}
	if (!ok) {
		fprintf(out, "error: %s '%s' is not A.B.C.D or A.B.C.D:PORT\n", k, v);
		return -EINVAL;
	}
	return 0;
}

int
lb_cmd_show_conn(int argc, char **argv, FILE *out)
{
	struct lb_conn_filter f = { .state = -1, .limit = DEFAULT_LIMIT };
	int i, rc;

	for (i = 0; i < argc; i++) {
		rc = filter_word(argc, argv, &i, &f, out);
		if (rc != 0)
			return rc;
	}
	lb_conn_show(out, &f);
	return 0;
}
