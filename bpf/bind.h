/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Failed binds, and listens that find no port. */
#ifndef NETLADDER_BIND_H
#define NETLADDER_BIND_H

#include "emit.h"
#include "owner.h"
#include "sock_read.h"

#define EPERM 1
#define EACCES 13
#define EADDRINUSE 98
#define EADDRNOTAVAIL 99

SEC("tracepoint/syscalls/sys_exit_bind")
int nl_bind_exit(struct trace_event_raw_sys_exit *ctx)
{
	long ret = ctx->ret;
	struct sockaddr_in6 sa = {};
	struct nl_event *e;

	if (ret != -EADDRINUSE && ret != -EADDRNOTAVAIL && ret != -EACCES && ret != -EPERM)
		return 0;
	if (!read_user_addr(PT_REGS_PARM2_CORE_SYSCALL(syscall_regs()), &sa))
		return 0;
	e = begin_current(NL_BIND_ERROR, -ret, 0);
	if (!e)
		return 0;
	fill_from_user(e, &sa, false);
	finish(e);
	return 0;
}

/* listen() on an unbound socket picks a port itself and can find none. */
SEC("tracepoint/syscalls/sys_exit_listen")
int nl_listen_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct nl_event *e;
	struct sock *sk;
	__u16 family;

	if (ctx->ret != -EADDRINUSE)
		return 0;
	sk = sock_from_fd((int)PT_REGS_PARM1_CORE_SYSCALL(syscall_regs()));
	if (!sk)
		return 0;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return 0;
	e = begin_current(NL_BIND_ERROR, EADDRINUSE, 0);
	if (!e)
		return 0;
	fill_from_sk(e, sk);
	finish(e);
	return 0;
}

#endif /* NETLADDER_BIND_H */
