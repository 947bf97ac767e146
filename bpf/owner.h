/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Who a socket belongs to. Ownership lives in the socket's own storage, which
 * the kernel frees with the socket: an owner cannot outlive its socket, and a
 * later socket at the same address starts with none. Where nobody is known
 * (the socket predates netladder) the answer is NULL, reported as pid 0.
 */
#ifndef NETLADDER_OWNER_H
#define NETLADDER_OWNER_H

#include "sock_read.h"

/* Who owns a socket. */
struct owner {
	__u64 cgroup_id;
	__u32 pid;
	__u32 tid;
	char comm[NL_COMM_LEN];
};

/* A socket's storage. `o` is who made it (connect, listen) or, for a
 * connection not yet accepted, its listener's owner: BPF_F_CLONE copies the
 * listener's storage into each child. `closer` is who closed it first, and
 * `sport` its port then, which the socket has lost by the time it hands over
 * to TIME_WAIT. */
struct sk_owner {
	struct owner o;
	struct owner closer;
	__u16 sport;
};

/* Written only from tp_btf programs: they alone hold a socket pointer the
 * storage helpers accept. (Measured on a refused-connect storm: see the
 * bench results for the cost of creating one per connect.) */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC | BPF_F_CLONE);
	__type(key, int);
	__type(value, struct sk_owner);
} nl_sk SEC(".maps");

/* Acceptors, by socket inode: accept() returns in a syscall exit, which
 * cannot reach the storage, so the first tp_btf program to see the socket
 * moves the entry there. The inode is not reused as slab addresses are, so
 * an entry nobody consumed (the LRU drops those) never names another socket. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct owner);
} nl_acceptors SEC(".maps");

static __always_inline void current_owner(struct owner *o)
{
	__u64 id = bpf_get_current_pid_tgid();

	__builtin_memset(o, 0, sizeof(*o));
	o->pid = id >> 32;
	o->tid = (__u32)id;
	o->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(o->comm, sizeof(o->comm));
}

static __always_inline struct sk_owner *storage_of(struct sock *sk, bool create)
{
	return bpf_sk_storage_get(&nl_sk, sk, 0, create ? BPF_SK_STORAGE_GET_F_CREATE : 0);
}

/* Whoever owns this socket, or NULL: its acceptor if accept() returned it
 * and no program has seen it since, else its storage. */
static __always_inline struct owner *owner_of(struct sock *sk)
{
	__u64 ino = btf_sk_inode(sk);
	struct owner *a = ino ? bpf_map_lookup_elem(&nl_acceptors, &ino) : NULL;
	struct sk_owner *s;

	if (a) {
		s = storage_of(sk, true);
		if (!s)
			return a;
		s->o = *a;
		bpf_map_delete_elem(&nl_acceptors, &ino);
		return &s->o;
	}
	s = storage_of(sk, false);
	return s ? &s->o : NULL;
}

/* The calling process makes this socket its own (connect, listen). */
static __always_inline void own_by_current(struct sock *sk)
{
	struct sk_owner *s = storage_of(sk, true);

	if (s)
		current_owner(&s->o);
}

/* The calling process closes this socket (close(), shutdown()). */
static __always_inline void closed_by_current(struct sock *sk)
{
	struct sk_owner *s;

	owner_of(sk); /* an acceptor still waiting by inode moves in now */
	s = storage_of(sk, true);
	if (!s)
		return;
	current_owner(&s->closer);
	s->sport = sk->__sk_common.skc_num;
}

#endif /* NETLADDER_OWNER_H */
