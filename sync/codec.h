/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_SYNC_CODEC_H
#define LB_SYNC_CODEC_H

/*
 * LVS sync protocol, version 1 (ip_vs_sync.c), IPv4 connections: the
 * payload of one UDP datagram. Pure functions over byte buffers; no DPDK.
 *
 *   header (8 bytes): 0, syncid, size (whole message, BE16), nr_conns,
 *                     version (1), spare (0)
 *   connection (36 bytes + options, each padded to 4 bytes): type (0 =
 *     IPv4), protocol, ver_size (version 0 in the top 4 bits, size without
 *     padding below), flags (BE32), state (BE16), cport, vport, dport,
 *     fwmark, timeout (seconds), caddr, vaddr, daddr
 *   options: type, length, data. dplb adds one, LB_SYNC_OPT_FNAT (local
 *     address and port of a full-NAT connection), marked mandatory so that
 *     a kernel LVS backup skips such a connection instead of misusing it;
 *     and uses LVS's own LB_SYNC_OPT_SEQ (in_seq, out_seq: init_seq,
 *     delta, previous_delta each, BE32) for the sequence translation of a
 *     SYN-proxied connection: out_seq from the real server's ISN on, by
 *     -(its ISN - dplb's cookie), in_seq none. A sequence option with
 *     in_seq data (an LVS application helper's) is skipped.
 */
#include <stddef.h>
#include <stdint.h>

#define LB_SYNC_VERSION		1
#define LB_SYNC_HDR_LEN		8
#define LB_SYNC_CONN_LEN	36
#define LB_SYNC_OPT_SEQ		1	/* LVS: IPVS_OPT_SEQ_DATA, 24 bytes */
#define LB_SYNC_OPT_FNAT	0x20	/* dplb: laddr (4) + lport (2) */
#define LB_SYNC_OPT_F_PARAM	0x40	/* LVS: an option that may be ignored */

/* ip_vs.h connection flags that travel. */
#define LB_SYNC_F_FWD_MASK	0x0007
#define LB_SYNC_F_MASQ		0x0000
#define LB_SYNC_F_TUNNEL	0x0002
#define LB_SYNC_F_DROUTE	0x0003
#define LB_SYNC_F_NOOUTPUT	0x0080
#define LB_SYNC_F_INACTIVE	0x0100	/* not ESTABLISHED */
#define LB_SYNC_F_SEQ_MASK	0x0600
#define LB_SYNC_F_OUT_SEQ	0x0400	/* out_seq travels in LB_SYNC_OPT_SEQ */
#define LB_SYNC_F_TEMPLATE	0x1000	/* persistence template: cport 0, state 0 */

/* One connection as it travels, addresses and ports in network order. */
struct lb_sync_conn {
	uint8_t proto;			/* IPPROTO_TCP / IPPROTO_UDP */
	uint8_t has_fnat;		/* laddr/lport valid (full NAT) */
	uint8_t has_seq;		/* out_seq_* valid (SYN proxy) */
	uint16_t state;			/* LVS's TCP state numbers; UDP 0 */
	uint32_t flags;			/* LB_SYNC_F_* */
	uint32_t timeout_s;		/* remaining; 0 = the state's default */
	uint32_t caddr, vaddr, daddr, laddr;
	uint16_t cport, vport, dport, lport;
	uint32_t out_seq_init;		/* RS -> client: from this seq on ... */
	uint32_t out_seq_delta;		/* ... add this (host order) */
};

/* Why a message or a connection in it was refused. */
enum lb_sync_err {
	LB_SYNC_OK = 0,
	LB_SYNC_ERR_SHORT,		/* shorter than a header */
	LB_SYNC_ERR_SIZE,		/* header size is not the datagram's */
	LB_SYNC_ERR_VERSION,		/* not version 1 (or reserved/spare set) */
	LB_SYNC_ERR_SYNCID,		/* another syncid */
	LB_SYNC_ERR_TRUNC,		/* a connection runs past the end */
	LB_SYNC_ERR_CONN_VERSION,	/* a connection of an unknown version */
	LB_SYNC_ERR_OPTION,		/* an option is malformed */
	LB_SYNC_ERR_TRAILING,		/* bytes after the last connection */
	LB_SYNC_ERR_MAX,
};

/* Connections skipped one by one, the rest of the message still used. */
enum lb_sync_skip {
	LB_SYNC_SKIP_IPV6 = 0,		/* an IPv6 or unknown type */
	LB_SYNC_SKIP_PROTO,		/* neither TCP nor UDP */
	LB_SYNC_SKIP_STATE,		/* a state out of range */
	LB_SYNC_SKIP_MANDATORY,		/* an unknown mandatory option */
	LB_SYNC_SKIP_MAX,
};

/* Name of an error or skip reason, for counters ("bad_size"). */
const char *lb_sync_err_name(enum lb_sync_err e);
const char *lb_sync_skip_name(enum lb_sync_skip s);

/* Bytes c takes in a message, padding included. Pure. */
size_t lb_sync_conn_size(const struct lb_sync_conn *c);

/* Start an empty message in buf (at least LB_SYNC_HDR_LEN bytes). Pure. */
void lb_sync_msg_init(uint8_t *buf, uint8_t syncid);

/* Bytes the message in buf holds so far (its header's size). Pure. */
size_t lb_sync_msg_len(const uint8_t *buf);

/* Connections the message in buf holds so far. Pure. */
unsigned int lb_sync_msg_count(const uint8_t *buf);

/*
 * Append c to the message in buf, whose total may not exceed maxlen bytes
 * (at most 255 connections). Returns 0, or -ENOSPC (nothing written): send
 * the message and start another. Pure.
 */
int lb_sync_msg_add(uint8_t *buf, size_t maxlen, const struct lb_sync_conn *c);

/*
 * Decode the len bytes at buf: header checked (size equals len, version 1,
 * syncid equal to want unless want is 0), then each connection bounds-
 * checked before it is read. Connections fit for use go to out (up to
 * max; *n set), skipped ones are counted in skipped[LB_SYNC_SKIP_MAX] (may
 * be NULL). Returns LB_SYNC_OK or the reason the whole message is refused
 * (*n is then 0). Pure.
 */
enum lb_sync_err lb_sync_msg_decode(const uint8_t *buf, size_t len, uint8_t want,
				    struct lb_sync_conn *out, unsigned int max, unsigned int *n,
				    uint64_t *skipped);

#endif
