/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Resets received and sent. */
#ifndef NETLADDER_RESET_H
#define NETLADDER_RESET_H

#include "emit.h"
#include "owner.h"
#include "sock_read.h"

#define IFF_LOOPBACK 0x8
#define EPIPE 32
#define ECONNRESET 104

SEC("tp_btf/tcp_receive_reset")
int BPF_PROG(nl_reset_recv, struct sock *sk)
{
	int state = sk->__sk_common.skc_state;
	struct nl_event *e;

	/* A reset in SYN_SENT is a refused connect, reported as such. */
	if (state == TCP_SYN_SENT || state == TCP_CLOSE)
		return 0;
	e = begin(NL_RESET_RECEIVED, state == TCP_CLOSE_WAIT ? EPIPE : ECONNRESET,
		  owner_of(sk), NL_F_ASYNC);
	if (!e)
		return 0;
	fill_from_btf_sk(e, sk);
	finish(e);
	return 0;
}

/* Addresses of a reset sent with no socket, from the packet it answers. */
static __always_inline void fill_from_answered_skb(struct nl_event *e, const struct sk_buff *skb)
{
	unsigned char *head = skb->head;
	__u16 nh = skb->network_header;
	__u16 th = skb->transport_header;
	struct tcphdr tcp = {};
	__u8 version = 0;

	bpf_probe_read_kernel(&version, 1, head + nh);
	version >>= 4;
	if (version == 4) {
		struct iphdr ip = {};

		bpf_probe_read_kernel(&ip, sizeof(ip), head + nh);
		e->family = AF_INET;
		__builtin_memcpy(e->saddr, &ip.daddr, 4);
		__builtin_memcpy(e->daddr, &ip.saddr, 4);
	} else if (version == 6) {
		struct ipv6hdr ip6 = {};

		bpf_probe_read_kernel(&ip6, sizeof(ip6), head + nh);
		e->family = AF_INET6;
		__builtin_memcpy(e->saddr, &ip6.daddr, 16);
		__builtin_memcpy(e->daddr, &ip6.saddr, 16);
	} else {
		return;
	}
	bpf_probe_read_kernel(&tcp, sizeof(tcp), head + th);
	e->sport = bpf_ntohs(tcp.dest);
	e->dport = bpf_ntohs(tcp.source);
}

SEC("tp_btf/tcp_send_reset")
int BPF_PROG(nl_reset_send, struct sock *sk, const struct sk_buff *skb)
{
	struct owner *o = NULL;
	struct nl_event *e;

	/* A reset that answers a SYN over loopback for a port with no socket
	 * is the other half of a refused connect on this host, already one
	 * connect_error with the caller's pid: one failure, one event. From
	 * elsewhere it is the only trace of the failure, and is kept. */
	if (!sk && skb && skb->dev && (skb->dev->flags & IFF_LOOPBACK))
		return 0;
	/* Resets answering a TIME_WAIT or request socket carry a mini socket
	 * that no process owns. */
	if (sk && sk->__sk_common.skc_state != TCP_TIME_WAIT && sk->__sk_common.skc_state != TCP_NEW_SYN_RECV)
		o = owner_of(sk);
	e = begin(NL_RESET_SENT, 0, o, 0);
	if (!e)
		return 0;
	e->reason = send_reset_reason(ctx);
	if (sk)
		fill_from_btf_sk(e, sk);
	else if (skb)
		fill_from_answered_skb(e, skb);
	finish(e);
	return 0;
}

#endif /* NETLADDER_RESET_H */
