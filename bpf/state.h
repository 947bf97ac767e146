/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * TCP state changes and accepts: where sockets change hands (SYN_SENT,
 * LISTEN, accept, close), where connect attempts end, and the TIME_WAIT
 * that a socket closing first leaves behind.
 */
#ifndef NETLADDER_STATE_H
#define NETLADDER_STATE_H

#include "connect.h"
#include "emit.h"
#include "owner.h"
#include "sock_read.h"

#define IPPROTO_TCP 6

/* A TIME_WAIT entered: charged to who closed first, else the owner. */
static __always_inline void time_wait(struct sock *sk)
{
	struct sk_owner *s = storage_of(sk, false);
	const struct owner *o = s && s->closer.pid ? &s->closer : owner_of(sk);
	struct nl_event *e;

	e = begin(NL_TIME_WAIT, 0, o, NL_F_ASYNC);
	if (!e)
		return;
	fill_from_btf_sk(e, sk);
	/* The socket gave its port to the TIME_WAIT socket before this. */
	if (!e->sport && s)
		e->sport = s->sport;
	finish(e);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(nl_set_state, struct sock *sk, int oldstate, int newstate)
{
	switch (newstate) {
	case TCP_SYN_SENT:
		/* A new attempt, in the caller's context (connect(), io_uring,
		 * TCP Fast Open through sendmsg). */
	case TCP_LISTEN:
		/* Connections on it inherit this through BPF_F_CLONE, until a
		 * process accepts them. */
		own_by_current(sk);
		return 0;
	case TCP_FIN_WAIT1:
	case TCP_LAST_ACK:
		/* close() or shutdown() of a connection, in the caller's context. */
		if (oldstate == TCP_ESTABLISHED || oldstate == TCP_CLOSE_WAIT)
			closed_by_current(sk);
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
		time_wait(sk);
		return 0;
	}
	return 0;
}

/* The acceptor owns the child from now on. */
static __always_inline int own_accepted(long ret)
{
	struct file *file;
	struct socket *so;
	struct owner o;
	__u16 family;
	__u64 ino;

	if (ret < 0)
		return 0;
	file = socket_file_from_fd((int)ret);
	if (!file)
		return 0;
	so = BPF_CORE_READ(file, private_data);
	family = BPF_CORE_READ(so, sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return 0;
	ino = BPF_CORE_READ(file, f_inode, i_ino);
	current_owner(&o);
	bpf_map_update_elem(&nl_acceptors, &ino, &o, BPF_ANY);
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
