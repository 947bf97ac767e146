/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Failed connects. */
#ifndef NETLADDER_CONNECT_H
#define NETLADDER_CONNECT_H

#include "emit.h"
#include "owner.h"
#include "sock_read.h"

#define EINTR 4
#define O_NONBLOCK 04000
#define EISCONN 106
#define EALREADY 114
#define EINPROGRESS 115

/*
 * One failed connect is one event, though the kernel may say it three times:
 * the socket's error report (in softirq or a timer, or in the caller's
 * context), a second report with error 0, and connect()'s own return value
 * for a blocking socket. A blocking caller is counted where connect()
 * returns, a non-blocking one where the error is reported; so each failure
 * is counted once, without a lookup to pair the two. Failures connect()
 * finds before any packet is sent (no route, no free port, a filter) have
 * no report and are counted at syscall exit for every caller.
 */

/* Is this socket's connect attempt the one failing? Since Linux 6.10
 * (tcp_done_with_error) the socket is already CLOSE when the error is
 * reported; the socket layer still says SS_CONNECTING until the caller looks. */
static __always_inline bool connecting(const struct sock *sk)
{
	int state = sk->__sk_common.skc_state;

	if (state == TCP_SYN_SENT)
		return true;
	return state == TCP_CLOSE && sk->sk_socket && sk->sk_socket->state == SS_CONNECTING;
}

/* A blocking caller is still inside connect() and gets the error as its
 * return value; a non-blocking one learns of it later, from poll and SO_ERROR. */
static __always_inline bool blocking(const struct sock *sk)
{
	struct socket *so = sk->sk_socket;

	return so && so->file && !(so->file->f_flags & O_NONBLOCK);
}

SEC("tp_btf/inet_sk_error_report")
int BPF_PROG(nl_error_report, struct sock *sk)
{
	int err = sk->sk_err;
	struct nl_event *e;

	/* Errors of established connections arrive as resets; the kernel also
	 * reports 0 right after a refused connect. Blocking callers are
	 * counted where connect() returns. */
	if (!err || !connecting(sk) || blocking(sk))
		return 0;
	e = begin(NL_CONNECT_ERROR, err, owner_of(sk), NL_F_ASYNC);
	if (!e)
		return 0;
	fill_from_btf_sk(e, sk);
	finish(e);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_connect")
int nl_connect_exit(struct trace_event_raw_sys_exit *ctx)
{
	long ret = ctx->ret;
	struct sockaddr_in6 sa = {};
	struct nl_event *e;

	/* Success, or an attempt still under way (its failure, if any, comes
	 * through the error report): nothing to do, cheaply. */
	if (ret >= 0 || ret == -EINPROGRESS || ret == -EALREADY || ret == -EINTR || ret == -EISCONN)
		return 0;
	if (!read_user_addr(PT_REGS_PARM2_CORE_SYSCALL(syscall_regs()), &sa))
		return 0;
	e = begin_current(NL_CONNECT_ERROR, -ret, 0);
	if (!e)
		return 0;
	/* The destination is what the caller asked for, even where the kernel
	 * gave up before writing it into the socket. */
	fill_from_user(e, &sa, true);
	finish(e);
	return 0;
}

#endif /* NETLADDER_CONNECT_H */
