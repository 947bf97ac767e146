/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * TCP state changes and accepts: where sockets change hands (SYN_SENT,
 * LISTEN, SYN_RECV, accept), and the TIME_WAIT that a socket closing first
 * leaves behind.
 */
#ifndef NETLADDER_STATE_H
#define NETLADDER_STATE_H

#include "connect.h"
#include "emit.h"
#include "owner.h"
#include "sock_read.h"

#define IPPROTO_TCP 6

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(nl_set_state, struct sock *sk, int oldstate, int newstate)
{
	struct listener_key lk = {};
	struct nl_event *e;
	struct owner *o, cur;

	switch (newstate) {
	case TCP_SYN_SENT:
		/* A new attempt, in the caller's context (connect(), io_uring,
		 * TCP Fast Open through sendmsg). */
		own_by_current(sk);
		return 0;
	case TCP_LISTEN:
		current_owner(&cur);
		set_owner(sk, &cur);
		lk.netns = netns_of(sk);
		lk.port = sk->__sk_common.skc_num;
		bpf_map_update_elem(&nl_listeners, &lk, &cur, BPF_ANY);
		return 0;
	case TCP_SYN_RECV:
		/* A child socket born in softirq belongs to its listener's owner
		 * until a process accepts it. */
		if (oldstate != TCP_LISTEN)
			return 0;
		lk.netns = netns_of(sk);
		lk.port = sk->__sk_common.skc_num;
		o = bpf_map_lookup_elem(&nl_listeners, &lk);
		if (o)
			set_owner(sk, o);
		return 0;
	case TCP_CLOSE:
		if (oldstate == TCP_SYN_SENT) {
			connect_ended(sk);
			return 0;
		}
		/* A socket that leaves FIN_WAIT2 or CLOSING without an error has
		 * handed over to a TIME_WAIT socket: it closed first. */
		if ((oldstate != TCP_FIN_WAIT2 && oldstate != TCP_CLOSING) || sk->sk_err)
			return 0;
		if (sk->sk_protocol != IPPROTO_TCP)
			return 0;
		e = begin(NL_TIME_WAIT, 0, owner_of(sk), NL_F_ASYNC);
		if (!e)
			return 0;
		fill_from_btf_sk(e, sk);
		finish(e);
		return 0;
	}
	return 0;
}

static __always_inline int own_accepted(long ret)
{
	struct accepted a = {};
	struct sock *sk;
	__u64 key;

	if (ret < 0)
		return 0;
	sk = sock_from_fd((int)ret);
	if (!sk)
		return 0;
	/* The acceptor owns the child from now on; a side map, checked first,
	 * keeps the connection's tuple so a later socket at the same address is
	 * not mistaken for it. */
	current_owner(&a.o);
	key = (__u64)sk;
	if (BPF_CORE_READ(sk, __sk_common.skc_family) != AF_INET &&
	    BPF_CORE_READ(sk, __sk_common.skc_family) != AF_INET6)
		return 0;
	a.tuple = tuple_of(sk);
	bpf_map_update_elem(&nl_accepted, &key, &a, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int nl_accept4_exit(struct trace_event_raw_sys_exit *ctx)
{
	return own_accepted(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int nl_accept_exit(struct trace_event_raw_sys_exit *ctx)
{
	return own_accepted(ctx->ret);
}

#endif /* NETLADDER_STATE_H */
