/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Failed connects. */
#ifndef NETLADDER_CONNECT_H
#define NETLADDER_CONNECT_H

#include "emit.h"
#include "owner.h"
#include "sock_read.h"

#define EINTR 4
#define O_NONBLOCK 04000
#define ECONNABORTED 103
#define EISCONN 106
#define EALREADY 114
#define EINPROGRESS 115

/*
 * One failed attempt is one event, however the caller learns of it. The
 * kernel tells it several ways: connect()'s return for a blocking caller, an
 * error report, then poll, SO_ERROR or a second connect() that returns the
 * stored error (hiredis does that), or ECONNABORTED once SO_ERROR has taken
 * it. An attempt is one pass through SYN_SENT, and the kernel ends it once:
 * SYN_SENT -> CLOSE with the socket's error already set (a reset, a timeout,
 * an ICMP error). That is where it is counted, whatever the context. The
 * connect() that returns the same error afterwards finds the attempt in
 * nl_connect_ended and is not counted again. Failures connect() finds before
 * a SYN leaves (no route, no free port, a filter) end without an error set,
 * or never reach SYN_SENT, and are counted where connect() returns.
 */

/* Attempts that ended with an error, by socket inode: the errno counted.
 * An entry is taken by the connect() that returns it; the LRU bounds those
 * nobody asks for (the error was collected with SO_ERROR). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __s32);
} nl_connect_ended SEC(".maps");

/* A blocking caller is still inside connect() and gets the error as its
 * return value (`async: false`); a non-blocking one learns of it later. */
static __always_inline bool blocking(const struct sock *sk)
{
	struct socket *so = sk->sk_socket;

	return so && so->file && !(so->file->f_flags & O_NONBLOCK);
}

/* SYN_SENT -> CLOSE, from nl_set_state. */
static __always_inline void connect_ended(struct sock *sk)
{
	__s32 err = sk->sk_err;
	struct nl_event *e;
	__u64 ino;

	if (!err)
		return;
	ino = btf_sk_inode(sk);
	if (ino)
		bpf_map_update_elem(&nl_connect_ended, &ino, &err, BPF_ANY);
	e = begin(NL_CONNECT_ERROR, err, owner_of(sk), blocking(sk) ? 0 : NL_F_ASYNC);
	if (!e)
		return;
	fill_from_btf_sk(e, sk);
	finish(e);
}

/* Did this failing connect() only return the error of an attempt already
 * counted? Then it is the same failure: the stored error, or ECONNABORTED
 * when SO_ERROR took it first. */
static __always_inline bool already_counted(long ret)
{
	__u64 ino = fd_inode((int)PT_REGS_PARM1_CORE_SYSCALL(syscall_regs()));
	__s32 *err;
	bool same;

	if (!ino)
		return false;
	err = bpf_map_lookup_elem(&nl_connect_ended, &ino);
	if (!err)
		return false;
	same = ret == -*err || ret == -ECONNABORTED;
	bpf_map_delete_elem(&nl_connect_ended, &ino);
	return same;
}

SEC("tracepoint/syscalls/sys_exit_connect")
int nl_connect_exit(struct trace_event_raw_sys_exit *ctx)
{
	long ret = ctx->ret;
	struct sockaddr_in6 sa = {};
	struct nl_event *e;

	/* Success, or an attempt still under way (its failure, if any, is
	 * counted where it ends): nothing to do, cheaply. */
	if (ret >= 0 || ret == -EINPROGRESS || ret == -EALREADY || ret == -EINTR || ret == -EISCONN)
		return 0;
	if (already_counted(ret))
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
