/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CONFIG_KEEPALIVED_H
#define LB_CONFIG_KEEPALIVED_H

/*
 * Private to config/keepalived*.c: the keepalived.conf reader in three
 * steps. The lexer (keepalived_lex.c) reads the file and its includes,
 * applies @id conditionals and $VAR substitution and cuts lines into
 * tokens; the tree builder (keepalived_tree.c) nests them into blocks; the
 * block readers (keepalived.c, _vrrp.c, _svc.c, _check.c) fill lb_config.
 */

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"

/* One word of the file, after substitution; '{' and '}' are words too. */
struct kc_tok {
	char *s;			/* owned */
	const char *file;		/* one of kc_lex.files */
	int line;
	bool bol;			/* first word of its line */
	bool quoted;			/* came (partly) from a quoted string */
};

struct kc_var;

/* The words of a file and everything it includes. */
struct kc_lex {
	struct kc_tok *toks;
	size_t nb_toks, cap_toks;
	char **files;			/* names of the files read, owned */
	unsigned int nb_files;
	struct kc_var *vars;		/* $NAME=VALUE definitions */
	unsigned int nb_vars;
	const char *config_id;		/* what @id is matched against */
	struct lb_cfg_errors *err;
	int depth;			/* include nesting */
};

/* A statement: keyword and values on one line, with an optional { block }. */
struct kc_node {
	char **argv;			/* argv[0] is the keyword; into kc_lex words */
	unsigned int argc;
	const char *file;
	int line;
	bool block;			/* followed by { ... } */
	struct kc_node *kids;		/* statements of the block */
	unsigned int nb_kids;
};

/* State of one keepalived.conf read. */
struct kc_ctx {
	struct lb_config *cfg;
	struct lb_cfg_errors *err;
	const struct lb_kernel_ifaces *kif;
	unsigned int vrrp_version;	/* global_defs vrrp_version, default 2 */
	struct lb_cfg_vrrp garp;	/* global_defs vrrp_garp_master_*: instance defaults */
	uint32_t vrrp_vips[LB_MAX_VRRP * LB_VRRP_MAX_VIPS];	/* not the box's own */
	unsigned int nb_vrrp_vips;
};

/* Print "FILE:LINE: [warning: ]message"; errors are counted in err. */
void __attribute__((format(printf, 5, 6)))
kc_msg(struct lb_cfg_errors *err, bool warning, const char *file, int line,
       const char *fmt, ...);

/* Read path (named in messages as is) into lx; 0 or -ENOENT/-EIO (reported). */
int kc_lex_file(struct kc_lex *lx, const char *path);

/* Read text, named name, into lx (includes relative to name's directory). */
void kc_lex_text(struct kc_lex *lx, const char *name, const char *text);

/* Cut line into words (the first is at the beginning of a line). */
void kc_tokenize(struct kc_lex *lx, const char *line, const char *file, int lineno);

/* The lines of text (len bytes, not NUL-terminated) of the file named file. */
void kc_lex_buf(struct kc_lex *lx, const char *text, size_t len, const char *file);

/* An "include GLOB" line (or includer/m/w/b/a) of file at lineno. */
void kc_include(struct kc_lex *lx, const char *line, const char *file, int lineno);

/* Release what kc_lex_*() allocated. */
void kc_lex_free(struct kc_lex *lx);

/* Nest the words of lx into statements under root (reported problems). */
void kc_tree_build(struct kc_lex *lx, struct kc_node *root);

/* Release the statements under root. */
void kc_tree_free(struct kc_node *root);

/* ---- value readers (keepalived_val.c); each reports what is wrong ---- */

#define kc_err(ctx, n, ...) kc_msg((ctx)->err, false, (n)->file, (n)->line, __VA_ARGS__)
#define kc_warn(ctx, n, ...) kc_msg((ctx)->err, true, (n)->file, (n)->line, __VA_ARGS__)

/* True when n has min..max values after its keyword. */
bool kc_nargs(struct kc_ctx *ctx, const struct kc_node *n, unsigned int min,
	      unsigned int max);

/*
 * A script command line: the keyword's arguments joined by spaces (a quoted
 * one is one argument) into buf (LB_CHECK_PATH_LEN bytes). False (reported)
 * when there is none or it is too long.
 */
bool kc_script(struct kc_ctx *ctx, const struct kc_node *n, char *buf);

/* n's only value as an integer in min..max. */
bool kc_uint(struct kc_ctx *ctx, const struct kc_node *n, long long min, long long max,
	     unsigned int *out);

/* Value i of n as an integer in min..max (named what in messages). */
bool kc_uint_at(struct kc_ctx *ctx, const struct kc_node *n, unsigned int i,
		const char *what, long long min, long long max, unsigned int *out);

/* n's only value, seconds with decimals, as milliseconds in min..max. */
bool kc_ms(struct kc_ctx *ctx, const struct kc_node *n, uint32_t min_ms, uint32_t max_ms,
	   uint32_t *out);

/* "12" or "0.25" seconds into *secs; false for anything else. Pure. */
bool kc_parse_secs(const char *s, double *secs);

/* Value i of n as an IPv4 address (no prefix, not 0.0.0.0). */
bool kc_addr_at(struct kc_ctx *ctx, const struct kc_node *n, unsigned int i,
		uint32_t *out);

/* n's optional <BOOL> (on|off|true|false|yes|no; none = true). */
bool kc_bool(struct kc_ctx *ctx, const struct kc_node *n, bool *out);

/* True (after an error) when n needs a { block } and has none, or the reverse. */
bool kc_block_wrong(struct kc_ctx *ctx, const struct kc_node *n, bool want_block);

/*
 * Keywords dplb refuses or ignores, by block ("global_defs", "vrrp_instance",
 * "virtual_server", "real_server", "checker", "top"): reports n and returns
 * true when its keyword is one of them.
 */
bool kc_known_other(struct kc_ctx *ctx, const struct kc_node *n, const char *block);

/* Report n as an unknown keyword of block (named what). */
void kc_unknown(struct kc_ctx *ctx, const struct kc_node *n, const char *what);

/* ---- blocks ---- */

/* Interfaces the file names or uses, from the kernel's (before the rest). */
void kc_adopt_ifaces(struct kc_ctx *ctx, const struct kc_node *root);

/* vrrp_script NAME { script; interval; timeout; weight; rise; fall; init_fail } */
void kc_parse_vrrp_script(struct kc_ctx *ctx, const struct kc_node *n);

/* track_script { NAME ... } / track_interface { IF ... } of instance v. */
void kc_parse_track(struct kc_ctx *ctx, const struct kc_node *n, struct lb_cfg_vrrp *v);

/* vrrp_sync_group NAME { group { VI_1 VI_2 } } (after every vrrp_instance). */
void kc_parse_sync_group(struct kc_ctx *ctx, const struct kc_node *n);

/*
 * garp_master_repeat / _delay / _refresh / _refresh_repeat (kw without the
 * "vrrp_" of global_defs) into v's garp fields. False when kw is not one.
 */
bool kc_garp(struct kc_ctx *ctx, const struct kc_node *n, const char *kw, struct lb_cfg_vrrp *v);
/*
 * unicast_peer { A.B.C.D ... } and unicast_src_ip of instance v (either
 * may be NULL), after its interface and VIPs (config/vrrp_unicast.c).
 */
void kc_parse_unicast(struct kc_ctx *ctx, const struct kc_node *peers,
		      const struct kc_node *src, struct lb_cfg_vrrp *v);

/* global_defs { ... } */
void kc_parse_global(struct kc_ctx *ctx, const struct kc_node *n);

/* global_defs lvs_sync_daemon: after the interfaces and VRRP instances. */
void kc_parse_sync(struct kc_ctx *ctx, const struct kc_node *n);

/* vrrp_instance NAME { ... } */
void kc_parse_vrrp(struct kc_ctx *ctx, const struct kc_node *n);

/* virtual_server IP PORT { ... } (groups: see root for virtual_server_group). */
void kc_parse_vs(struct kc_ctx *ctx, const struct kc_node *n, const struct kc_node *root);

/* TCP_CHECK / HTTP_GET n of real server rs of svc, timing t inherited. */
void kc_parse_check(struct kc_ctx *ctx, const struct kc_node *n,
		    const struct lb_cfg_service *svc, const struct lb_cfg_rs *rs,
		    const struct lb_cfg_timing *t, const char *vhost);

/* A new zeroed checker at the end of ctx->cfg->checks, or NULL (reported at n). */
struct lb_cfg_check *kc_new_check(struct kc_ctx *ctx, const struct kc_node *n);

/* The timing keywords (delay_loop, connect_timeout, ...): true when n is one. */
bool kc_timing(struct kc_ctx *ctx, const struct kc_node *n, struct lb_cfg_timing *t);

#endif
