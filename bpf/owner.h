/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Who a socket belongs to. Ownership is recorded in process context
 * (connect, listen, accept) and looked up by the socket's address where an
 * event fires later in softirq or timer context.
 */
#ifndef NETLADDER_OWNER_H
#define NETLADDER_OWNER_H

/* Who owns a socket. */
struct owner {
	__u64 cgroup_id;
	__u32 pid;
	__u32 tid;
	char comm[NL_COMM_LEN];
};

/* An accepted socket whose acceptor is not its listener's owner (pre-fork
 * servers). Found by the socket's address, so it also keeps the connection's
 * ports and peer: a later socket at the same address is not mistaken for it. */
struct accepted {
	struct owner o;
	__u64 tuple;
};

struct listener_key {
	__u32 netns;
	__u32 port;
};

/* By socket address. An LRU with per-CPU lists: an update on the connect
 * path takes no shared lock, and sockets that die unseen age out. (Socket
 * local storage was measured too: allocating it per socket cost twice as
 * much on a refused-connect storm.) */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(map_flags, BPF_F_NO_COMMON_LRU);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct owner);
} nl_owners SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct accepted);
} nl_accepted SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct listener_key);
	__type(value, struct owner);
} nl_listeners SEC(".maps");

static __always_inline void current_owner(struct owner *o)
{
	__u64 id = bpf_get_current_pid_tgid();

	__builtin_memset(o, 0, sizeof(*o));
	o->pid = id >> 32;
	o->tid = (__u32)id;
	o->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(o->comm, sizeof(o->comm));
}

static __always_inline __u32 netns_of(const struct sock *sk)
{
	return sk->__sk_common.skc_net.net->ns.inum;
}

static __always_inline __u64 tuple_of(const struct sock *sk)
{
	return ((__u64)BPF_CORE_READ(sk, __sk_common.skc_daddr) << 32) |
	       BPF_CORE_READ(sk, __sk_common.skc_portpair);
}

/* Whoever owns this socket, or NULL. */
static __always_inline struct owner *owner_of(struct sock *sk)
{
	__u64 key = (__u64)sk;
	struct accepted *a = bpf_map_lookup_elem(&nl_accepted, &key);

	if (a && a->tuple == tuple_of(sk))
		return &a->o;
	return bpf_map_lookup_elem(&nl_owners, &key);
}

static __always_inline void set_owner(struct sock *sk, const struct owner *o)
{
	__u64 key = (__u64)sk;

	bpf_map_update_elem(&nl_owners, &key, o, BPF_ANY);
}

/* Sockets are reused from the slab, so a new socket often sits where the
 * same thread's last one did: then the entry already says the right thing,
 * and a lookup is far cheaper than rewriting it. */
static __always_inline void own_by_current(struct sock *sk)
{
	__u64 key = (__u64)sk, id = bpf_get_current_pid_tgid();
	struct owner o, *old = bpf_map_lookup_elem(&nl_owners, &key);

	if (old && old->tid == (__u32)id && old->pid == id >> 32 &&
	    old->cgroup_id == bpf_get_current_cgroup_id())
		return;
	current_owner(&o);
	set_owner(sk, &o);
}

#endif /* NETLADDER_OWNER_H */
