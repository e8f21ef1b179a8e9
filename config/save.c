/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `config save`: what to edit in the file's text so that it says what the
 * running config does (services, real servers, timeouts, VRRP priorities).
 * The file's list elements map one to one, in order, onto the config it
 * loads to; each mapping is checked against the line libconfig gave.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "config/save.h"
#include "config/save_priv.h"

#define LIST_OF(m, t) ((m).value < (t)->len && (t)->s[(m).value] == '(')

struct plan {
	const char *name;
	struct lb_ct t;
	struct lb_ct_edits ed;
	FILE *msgs;
	int rc;
};

static void __attribute__((format(printf, 3, 4)))
fail(struct plan *p, size_t at, const char *fmt, ...)
{
	va_list ap;

	if (p->msgs != NULL) {
		fprintf(p->msgs, "%s:%d: config save: ", p->name, lb_ct_line(&p->t, at));
		va_start(ap, fmt);
		vfprintf(p->msgs, fmt, ap);
		va_end(ap);
		fputc('\n', p->msgs);
	}
	if (p->rc == 0)
		p->rc = -EINVAL;
}

static const char *const fwd_names[] = { "nat", "dr", "tun", "fnat" };

/* `{ address = "A"; port = P; weight = W; forward = "F"; }` into buf. */
static void
fmt_rs(const struct lb_cfg_rs *rs, char *buf, size_t len)
{
	char a[16];
	int n;

	n = snprintf(buf, len, "{ address = \"%s\"; port = %u; weight = %u; forward = \"%s\";",
		     lb_ipv4_str(rs->addr, a, sizeof(a)), rs->port, rs->weight, fwd_names[rs->fwd]);
	if (rs->u_threshold != 0)
		n += snprintf(buf + n, len - (size_t)n, " upper_threshold = %u;", rs->u_threshold);
	if (rs->l_threshold != 0)
		n += snprintf(buf + n, len - (size_t)n, " lower_threshold = %u;", rs->l_threshold);
	snprintf(buf + n, len - (size_t)n, " }");
}

/* `[ "sh-port", ... ]` of the -b flags. */
static void
fmt_flags(uint32_t flags, char *buf, size_t len)
{
	static const char *const names[] = { "", "sh-fallback", "sh-port", "mh-fallback",
		"mh-port" };
	unsigned int i;

	snprintf(buf, len, "[");
	for (i = 1; i < RTE_DIM(names); i++)
		if (flags & (1u << i))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s\"%s\"",
				 strlen(buf) > 1 ? ", " : " ", names[i]);
	snprintf(buf + strlen(buf), len - strlen(buf), " ]");
}

/* The -b flags alone: not persistence (a number) nor `service disable` (enabled). */
#define SCHED_FLAGS(f) ((f) & ~(uint32_t)(LB_SVC_F_PERSISTENT | LB_SVC_F_DISABLED))

static uint32_t
persist(const struct lb_cfg_service *s)
{
	return s->flags & LB_SVC_F_PERSISTENT ? s->persistence : 0;
}

/* A new virtual_servers element for s, its lines indented by ind. */
static char *
fmt_service(const struct lb_cfg_service *s, const char *ind)
{
	char a[16], f[80], rs[200], *buf = NULL;
	size_t len = 0;
	unsigned int i;
	FILE *out = open_memstream(&buf, &len);

	if (out == NULL)
		return NULL;
	fprintf(out, "{\n%s\tprotocol = \"%s\"; address = \"%s\"; port = %u; scheduler = \"%s\";\n",
		ind, s->proto == IPPROTO_UDP ? "udp" : "tcp", lb_ipv4_str(s->vip, a, sizeof(a)),
		s->port, s->sched);
	if (persist(s) != 0 || s->netmask != 0xffffffff || (s->flags & ~LB_SVC_F_PERSISTENT)) {
		const char *sep = "\t";

		fputs(ind, out);
		if (persist(s) != 0) {
			fprintf(out, "%spersistence = %u;", sep, persist(s));
			sep = " ";
		}
		if (s->netmask != 0xffffffff) {
			fprintf(out, "%snetmask = \"%s\";", sep, lb_ipv4_str(s->netmask, a, sizeof(a)));
			sep = " ";
		}
		if (SCHED_FLAGS(s->flags)) {
			fmt_flags(s->flags, f, sizeof(f));
			fprintf(out, "%sflags = %s;", sep, f);
			sep = " ";
		}
		if (s->flags & LB_SVC_F_DISABLED)
			fprintf(out, "%senabled = false;", sep);
		fputc('\n', out);
	}
	fprintf(out, "%s\treal_servers = (", ind);
	for (i = 0; i < s->nb_rs; i++) {
		fmt_rs(&s->rs[i], rs, sizeof(rs));
		fprintf(out, "%s\n%s\t\t%s", i ? "," : "", ind, rs);
	}
	if (s->nb_rs != 0)
		fprintf(out, "\n%s\t);\n%s}", ind, ind);
	else
		fprintf(out, " );\n%s}", ind);
	if (fclose(out) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The list value of member key of the group at b, into *l; false when absent. */
static bool
find_list(struct plan *p, size_t b, const char *key, struct lb_ct_member *m,
	  struct lb_ct_list *l)
{
	int rc = lb_ct_member(&p->t, b, key, m);

	if (rc < 0) {
		fail(p, b, "only plain settings can be edited (no @include)");
		return false;
	}
	if (rc == 0)
		return false;
	if (!LIST_OF(*m, &p->t) || lb_ct_list(&p->t, m->value, l) != 0) {
		fail(p, m->value, "%s is not a list ( ... ) that can be edited", key);
		return false;
	}
	return true;
}

/* Element i of l must begin on line: the parser's order and the text's agree. */
static bool
maps(struct plan *p, const struct lb_ct_list *l, unsigned int n, const char *what,
     int (*line)(const void *, unsigned int), const void *arg)
{
	unsigned int i;

	if (l->n != n) {
		fail(p, l->open, "%s has %u entries in the text, %u loaded", what, l->n, n);
		return false;
	}
	for (i = 0; i < n; i++)
		if (lb_ct_line(&p->t, l->start[i]) != line(arg, i)) {
			fail(p, l->start[i], "%s[%u] does not start on line %d as loaded", what, i,
			     line(arg, i));
			return false;
		}
	return true;
}

static int
svc_line(const void *arg, unsigned int i)
{
	return ((const struct lb_config *)arg)->services[i].line;
}

static int
rs_line(const void *arg, unsigned int i)
{
	return ((const struct lb_cfg_service *)arg)->rs[i].line;
}

static int
vrrp_line(const void *arg, unsigned int i)
{
	return ((const struct lb_config *)arg)->vrrp[i].line;
}

static void
set_uint(struct plan *p, size_t b, const char *key, uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", v);
	lb_ct_set(&p->t, b, key, buf, &p->ed);
}

static void
set_addr(struct plan *p, size_t b, const char *key, uint32_t a)
{
	char buf[24], s[16];

	snprintf(buf, sizeof(buf), "\"%s\"", lb_ipv4_str(a, s, sizeof(s)));
	lb_ct_set(&p->t, b, key, buf, &p->ed);
}

/* s (owned; NULL: out of memory) is the next new list element. */
static void
keep(struct plan *p, char **texts, unsigned int *n, char *s)
{
	if (s == NULL)
		p->rc = -ENOMEM;
	else
		texts[(*n)++] = s;
}

/* Remove the elements of l in del, append the n texts after the last kept one. */
static void
rewrite_list(struct plan *p, const struct lb_ct_list *l, const bool *del, char *const *texts,
	     unsigned int n)
{
	lb_ct_delete_elems(&p->t, l, del, n > 0, &p->ed);
	lb_ct_append_elems(&p->t, l, del, texts, n, &p->ed);
}

/* Real server o (element at b) becomes w. */
static void
edit_rs(struct plan *p, size_t b, const struct lb_cfg_rs *o, const struct lb_cfg_rs *w)
{
	char buf[16];

	if (o->weight != w->weight)
		set_uint(p, b, "weight", w->weight);
	if (o->fwd != w->fwd) {
		snprintf(buf, sizeof(buf), "\"%s\"", fwd_names[w->fwd]);
		lb_ct_set(&p->t, b, "forward", buf, &p->ed);
	}
	if (o->u_threshold != w->u_threshold)
		set_uint(p, b, "upper_threshold", w->u_threshold);
	if (o->l_threshold != w->l_threshold)
		set_uint(p, b, "lower_threshold", w->l_threshold);
}

/* The real servers of service o (element body at b) become w's. */
static void
edit_rs_list(struct plan *p, size_t b, const struct lb_cfg_service *o,
	     const struct lb_cfg_service *w)
{
	static struct lb_ct_list l;
	static bool del[LB_MAX_RS];
	char *texts[LB_MAX_RS], buf[200];
	struct lb_ct_member m;
	unsigned int j, n = 0;
	bool have;
	int k;

	have = find_list(p, b, "real_servers", &m, &l);
	if (p->rc != 0 || (have && !maps(p, &l, o->nb_rs, "real_servers", rs_line, o)))
		return;
	if (!have && o->nb_rs != 0) {
		fail(p, b, "real servers loaded but no real_servers list found");
		return;
	}
	for (j = 0; j < o->nb_rs; j++) {
		k = lb_cfg_find_rs(w, o->rs[j].addr, o->rs[j].port);
		del[j] = k < 0;
		if (k >= 0)
			edit_rs(p, l.start[j] + 1, &o->rs[j], &w->rs[k]);
	}
	for (j = 0; j < w->nb_rs; j++)
		if (lb_cfg_find_rs(o, w->rs[j].addr, w->rs[j].port) < 0) {
			fmt_rs(&w->rs[j], buf, sizeof(buf));
			keep(p, texts, &n, strdup(buf));
		}
	if (have) {
		rewrite_list(p, &l, del, texts, n);
	} else if (n > 0) {
		char *v = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&v, &len);

		for (j = 0; f != NULL && j < n; j++)
			fprintf(f, "%s%s", j ? ", " : "( ", texts[j]);
		if (f != NULL && fclose(f) == 0 && v != NULL) {
			char *val = NULL;

			if (asprintf(&val, "%s )", v) > 0)
				lb_ct_set(&p->t, b, "real_servers", val, &p->ed);
			free(val);
		}
		free(v);
	}
	for (j = 0; j < n; j++)
		free(texts[j]);
}

/* Service o (element body at b) becomes w. */
static void
edit_service(struct plan *p, size_t b, const struct lb_cfg_service *o,
	     const struct lb_cfg_service *w)
{
	char buf[80];

	if (strcmp(o->sched, w->sched) != 0) {
		snprintf(buf, sizeof(buf), "\"%s\"", w->sched);
		lb_ct_set(&p->t, b, "scheduler", buf, &p->ed);
	}
	if (persist(o) != persist(w))
		set_uint(p, b, "persistence", persist(w));
	if (o->netmask != w->netmask)
		set_addr(p, b, "netmask", w->netmask);
	if (SCHED_FLAGS(o->flags) != SCHED_FLAGS(w->flags)) {
		fmt_flags(w->flags, buf, sizeof(buf));
		lb_ct_set(&p->t, b, "flags", buf, &p->ed);
	}
	if ((o->flags ^ w->flags) & LB_SVC_F_DISABLED)	/* service enable / disable */
		lb_ct_set(&p->t, b, "enabled", w->flags & LB_SVC_F_DISABLED ? "false" : "true",
			  &p->ed);
	edit_rs_list(p, b, o, w);
}

/* Text to add at the end of the file (a setting it did not have). */
static void
append_file(struct plan *p, const char *text)
{
	lb_ct_edit(&p->ed, p->t.len, p->t.len, "%s%s",
		   p->t.len > 0 && p->t.s[p->t.len - 1] != '\n' ? "\n" : "", text);
}

static void
plan_services(struct plan *p, const struct lb_config *o, const struct lb_config *w)
{
	static struct lb_ct_list l;
	static bool del[LB_MAX_SERVICES];
	char *texts[LB_MAX_SERVICES], ind[64] = "\t";
	struct lb_ct_member m;
	const struct lb_cfg_service *s;
	unsigned int i, n = 0;
	bool have = find_list(p, 0, "virtual_servers", &m, &l);

	if (p->rc != 0 || (have && !maps(p, &l, o->nb_services, "virtual_servers", svc_line, o)))
		return;
	for (i = 0; i < o->nb_services; i++) {
		s = &o->services[i];
		s = lb_cfg_find_service(w, s->proto, s->vip, s->port);
		del[i] = s == NULL;
		if (s != NULL)
			edit_service(p, l.start[i] + 1, &o->services[i], s);
	}
	if (have && l.n > 0)
		lb_ct_indent(&p->t, l.start[l.n - 1], ind, sizeof(ind));
	for (i = 0; i < w->nb_services && p->rc == 0; i++) {
		s = &w->services[i];
		if (lb_cfg_find_service(o, s->proto, s->vip, s->port) != NULL)
			continue;
		keep(p, texts, &n, fmt_service(s, have && l.n > 0 ? ind : "\t"));
	}
	if (have) {
		rewrite_list(p, &l, del, texts, n);
	} else {
		for (i = 0; i < n; i++) {
			append_file(p, i == 0 ? "virtual_servers = (\n\t" : ",\n\t");
			append_file(p, texts[i]);
		}
		if (n > 0)
			append_file(p, "\n);\n");
	}
	for (i = 0; i < n; i++)
		free(texts[i]);
}

static void
plan_timeouts(struct plan *p, const struct lb_config *o, const struct lb_config *w)
{
	static const char *const keys[] = { "tcp_timeout", "tcpfin_timeout", "udp_timeout" };
	const unsigned int ov[] = { o->tcp_timeout, o->tcpfin_timeout, o->udp_timeout };
	const unsigned int wv[] = { w->tcp_timeout, w->tcpfin_timeout, w->udp_timeout };
	struct lb_ct_member m;
	char add[160] = "";
	unsigned int i;
	int rc = lb_ct_member(&p->t, 0, "connections", &m);

	if (rc < 0)
		fail(p, 0, "only plain settings can be edited (no @include)");
	for (i = 0; i < RTE_DIM(keys) && rc >= 0; i++) {
		if (ov[i] == wv[i])
			continue;
		if (rc == 1)
			set_uint(p, m.value + 1, keys[i], wv[i]);
		else
			snprintf(add + strlen(add), sizeof(add) - strlen(add), " %s = %u;",
				 keys[i], wv[i]);
	}
	if (add[0] != '\0') {
		char line[200];

		snprintf(line, sizeof(line), "connections = {%s };\n", add);
		append_file(p, line);
	}
}

static void
plan_vrrp(struct plan *p, const struct lb_config *o, const struct lb_config *w)
{
	static struct lb_ct_list l;
	struct lb_ct_member m;
	unsigned int i, k;

	for (i = 0; i < o->nb_vrrp; i++)
		for (k = 0; k < w->nb_vrrp; k++)
			if (strcmp(o->vrrp[i].name, w->vrrp[k].name) == 0 &&
			    o->vrrp[i].priority != w->vrrp[k].priority)
				goto edit;
	return;
edit:
	if (!find_list(p, 0, "vrrp_instances", &m, &l) ||
	    !maps(p, &l, o->nb_vrrp, "vrrp_instances", vrrp_line, o))
		return;
	for (i = 0; i < o->nb_vrrp; i++)
		for (k = 0; k < w->nb_vrrp; k++)
			if (strcmp(o->vrrp[i].name, w->vrrp[k].name) == 0 &&
			    o->vrrp[i].priority != w->vrrp[k].priority)
				set_uint(p, l.start[i] + 1, "priority", w->vrrp[k].priority);
}

int
lb_cfg_save_text(const char *name, const char *text, const struct lb_config *want,
		 char **out, unsigned int *changes, FILE *msgs)
{
	struct lb_cfg_errors err = { msgs, 0 };
	struct lb_config *orig, *got;
	struct plan p = { .name = name, .t = { text, strlen(text) }, .msgs = msgs };
	char why[200];
	int rc;

	orig = calloc(1, sizeof(*orig));
	got = calloc(1, sizeof(*got));
	if (orig == NULL || got == NULL) {
		free(orig);
		free(got);
		return -ENOMEM;
	}
	*out = NULL;
	if (lb_config_parse_native(name, text, orig, &err) != 0) {
		if (msgs != NULL)
			fprintf(msgs, "%s: config save: the file does not load as it is now (%u "
				"error(s) above); nothing written\n", name, err.count);
		free(orig);
		free(got);
		return -EINVAL;
	}
	plan_services(&p, orig, want);
	if (p.rc == 0)
		plan_timeouts(&p, orig, want);
	if (p.rc == 0)
		plan_vrrp(&p, orig, want);
	rc = p.rc != 0 ? p.rc : lb_ct_apply(&p.t, &p.ed, out);
	if (rc == -EINVAL && p.rc == 0)
		fail(&p, 0, "internal error: overlapping edits; nothing written");
	*changes = p.ed.n;
	lb_ct_edits_free(&p.ed);
	if (rc == 0) {
		err.count = 0;
		if (lb_config_parse_native(name, *out, got, &err) != 0) {
			if (msgs != NULL)
				fprintf(msgs, "%s: config save: the edited text does not load (%u "
					"error(s) above); the file is left as it was\n", name,
					err.count);
			rc = -EINVAL;
		} else if (!lb_cfg_save_verify(orig, want, got, why, sizeof(why))) {
			if (msgs != NULL)
				fprintf(msgs, "%s: config save: the edited file would load to another "
					"configuration (%s); the file is left as it was\n", name, why);
			rc = -EINVAL;
		}
		lb_config_free(got);
	}
	if (rc != 0) {
		free(*out);
		*out = NULL;
	}
	lb_config_free(orig);
	free(orig);
	free(got);
	return rc;
}
