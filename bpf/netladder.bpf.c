// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * netladder's kernel side: catch network failures where they happen and
 * charge each one to the process that owns the socket.
 *
 * Ownership is recorded in process context (connect, listen, accept) in
 * nl_owners, keyed by the socket's address; events that fire later in softirq
 * or timer context look the owner up there instead of trusting whichever task
 * the interrupt happened to land on. Every emitted event is counted exactly in
 * nl_counts; the ring buffer only carries details and may lose or suppress
 * them, which nl_losses counts.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "netladder.h"
#include "compat.h"
#include "arch.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IFF_LOOPBACK 0x8
#define NUD_INCOMPLETE 0x01
#define NUD_FAILED 0x20

#define EINTR 4
#define O_NONBLOCK 04000
#define EPERM 1
#define EACCES 13
#define EPIPE 32
#define EADDRINUSE 98
#define EADDRNOTAVAIL 99
#define ECONNRESET 104
#define EISCONN 106
#define EHOSTUNREACH 113
#define EALREADY 114
#define EINPROGRESS 115

/* Settings, fixed before load. */
const volatile __u32 rate_limit = 0;          /* records/s per key; 0 = off */
const volatile __u32 wake_bytes = 256 * 1024; /* wake the reader past this */

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

struct limit {
	__u64 window;
	__u64 n;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} nl_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct nl_count_key);
	__type(value, __u64);
} nl_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NL_LOSS_MAX);
	__type(key, __u32);
	__type(value, __u64);
} nl_losses SEC(".maps");

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

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct owner);
} nl_waiters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct nl_count_key);
	__type(value, struct limit);
} nl_limits SEC(".maps");

static __always_inline void lose(__u32 why)
{
	__u64 *v = bpf_map_lookup_elem(&nl_losses, &why);

	if (v)
		*v += 1;
}

static __always_inline void count(const struct nl_count_key *k)
{
	__u64 one = 1, *v = bpf_map_lookup_elem(&nl_counts, k);

	if (v) {
		*v += 1;
		return;
	}
	/* Another CPU may have created the key since the lookup. */
	if (bpf_map_update_elem(&nl_counts, k, &one, BPF_NOEXIST) == 0)
		return;
	v = bpf_map_lookup_elem(&nl_counts, k);
	if (v)
		*v += 1;
	else
		lose(NL_LOSS_COUNTER_FULL);
}

/* True when this key has already had its share of records this second. */
static __always_inline bool limited(const struct nl_count_key *k)
{
	struct limit fresh = {}, *l;
	__u64 now;

	if (!rate_limit)
		return false;
	now = bpf_ktime_get_ns();
	l = bpf_map_lookup_elem(&nl_limits, k);
	if (!l) {
		fresh.window = now;
		fresh.n = 1;
		bpf_map_update_elem(&nl_limits, k, &fresh, BPF_ANY);
		return false;
	}
	if (now - l->window >= 1000000000ULL) {
		l->window = now;
		l->n = 1;
		return false;
	}
	return __sync_fetch_and_add(&l->n, 1) >= rate_limit;
}

static __always_inline void current_owner(struct owner *o)
{
	__u64 id = bpf_get_current_pid_tgid();

	__builtin_memset(o, 0, sizeof(*o));
	o->pid = id >> 32;
	o->tid = (__u32)id;
	o->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(o->comm, sizeof(o->comm));
}

/* Count one event; true when its detail record is wanted (not suppressed
 * by the rate limit, which is counted). */
static __always_inline bool admit(__u8 kind, __s32 err, __u32 pid)
{
	struct nl_count_key k = { .pid = pid, .kind = kind, .err = err };

	count(&k);
	if (limited(&k)) {
		lose(NL_LOSS_RATE_LIMITED);
		return false;
	}
	return true;
}

/* Reserve a detail record of `size` bytes (a constant: struct nl_event, or
 * nl_host_event for names) for an admitted event; NULL when the ring is
 * full (counted). */
static __always_inline void *reserve_sized(__u8 kind, __s32 err, const struct owner *o, __u8 flags,
					   __u32 size)
{
	struct nl_event *e = bpf_ringbuf_reserve(&nl_events, size, 0);

	if (!e) {
		lose(NL_LOSS_RINGBUF_FULL);
		return NULL;
	}
	__builtin_memset(e, 0, size);
	e->ts_ns = bpf_ktime_get_ns();
	e->kind = kind;
	e->err = err;
	if (o) {
		e->pid = o->pid;
		e->tid = o->tid;
		e->cgroup_id = o->cgroup_id;
		__builtin_memcpy(e->comm, o->comm, sizeof(e->comm));
	} else {
		flags |= NL_F_UNOWNED;
	}
	e->flags = flags;
	return e;
}

static __always_inline struct nl_event *reserve(__u8 kind, __s32 err, const struct owner *o, __u8 flags)
{
	return reserve_sized(kind, err, o, flags, sizeof(struct nl_event));
}

/* Count one event and reserve its detail record; NULL when the record is
 * suppressed or the ring is full (both counted). */
static __always_inline void *begin_sized(__u8 kind, __s32 err, const struct owner *o, __u8 flags,
					 __u32 size)
{
	if (!admit(kind, err, o ? o->pid : 0))
		return NULL;
	return reserve_sized(kind, err, o, flags, size);
}

static __always_inline struct nl_event *begin(__u8 kind, __s32 err, const struct owner *o, __u8 flags)
{
	return begin_sized(kind, err, o, flags, sizeof(struct nl_event));
}

/* Each record takes its size plus an 8-byte header in the ring. */
#define NL_SLOT(size) ((size) + 8)

/* Wake the reader only when this record carries the backlog across the
 * threshold; a timer in user space drains the rest. A wakeup is an irq_work
 * (a self-IPI, dear in a VM) charged to the failing process: one per event
 * would slow a storm by half, and so would one per event while the reader
 * is behind. */
static __always_inline void finish_sized(void *e, __u32 size)
{
	__u64 avail = bpf_ringbuf_query(&nl_events, BPF_RB_AVAIL_DATA);
	bool crossed = avail >= wake_bytes && avail < wake_bytes + NL_SLOT(size);

	bpf_ringbuf_submit(e, crossed ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

static __always_inline void finish(struct nl_event *e)
{
	finish_sized(e, sizeof(*e));
}

/*
 * Two ways to read a socket. Programs on BTF-typed tracepoints (tp_btf) get
 * a pointer the verifier knows, and read it with plain loads; syscall exits
 * find the socket through the fd table and must use probe reads, which cost
 * a helper call each. The hot paths are tp_btf, so both exist.
 */
static __always_inline void fill_from_btf_sk(struct nl_event *e, const struct sock *sk)
{
	__u16 family = sk->__sk_common.skc_family;

	e->family = family;
	e->sport = sk->__sk_common.skc_num;
	e->dport = bpf_ntohs(sk->__sk_common.skc_dport);
	if (family == AF_INET) {
		*(__u32 *)e->saddr = sk->__sk_common.skc_rcv_saddr;
		*(__u32 *)e->daddr = sk->__sk_common.skc_daddr;
	} else if (family == AF_INET6) {
		bpf_probe_read_kernel(e->saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_probe_read_kernel(e->daddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
}

static __always_inline void fill_from_sk(struct nl_event *e, const struct sock *sk)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);

	e->family = family;
	e->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (family == AF_INET) {
		bpf_core_read(e->saddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(e->daddr, 4, &sk->__sk_common.skc_daddr);
	} else if (family == AF_INET6) {
		bpf_core_read(e->saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(e->daddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
}

/* A user sockaddr, read once: 16 bytes cover IPv4 (the common case); IPv6
 * needs a second read, since reading 28 bytes of a 16-byte sockaddr could
 * cross into an unmapped page and fail. Returns the family when it is IPv4
 * or IPv6, else 0. */
static __always_inline __u16 read_user_addr(__u64 uaddr, struct sockaddr_in6 *sa)
{
	if (bpf_probe_read_user(sa, sizeof(struct sockaddr_in), (void *)uaddr))
		return 0;
	if (sa->sin6_family == AF_INET)
		return AF_INET;
	if (sa->sin6_family == AF_INET6 && !bpf_probe_read_user(sa, sizeof(*sa), (void *)uaddr))
		return AF_INET6;
	return 0;
}

/* Put a sockaddr read by read_user_addr into the record's source (bind) or
 * destination (connect). */
static __always_inline void fill_from_user(struct nl_event *e, const struct sockaddr_in6 *sa, bool remote)
{
	const struct sockaddr_in *sa4 = (const struct sockaddr_in *)sa;
	__u16 port = bpf_ntohs(sa->sin6_port);

	e->family = sa->sin6_family;
	if (e->family == AF_INET)
		__builtin_memcpy(remote ? e->daddr : e->saddr, &sa4->sin_addr, 4);
	else
		__builtin_memcpy(remote ? e->daddr : e->saddr, &sa->sin6_addr, 16);
	if (remote)
		e->dport = port;
	else
		e->sport = port;
}

/* The socket behind a file descriptor of the current task, or NULL. */
static __always_inline struct sock *sock_from_fd(int fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *file = NULL;
	struct socket *so;

	if (fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	if (!file)
		return NULL;
	so = BPF_CORE_READ(file, private_data);
	/* A socket's file and its struct socket point at each other; anything
	 * else behind private_data does not. */
	if (!so || BPF_CORE_READ(so, file) != file)
		return NULL;
	return BPF_CORE_READ(so, sk);
}

/* A syscall's arguments, read at its exit from the caller's saved registers:
 * cheaper than a second program at entry, and paid only on failure. */
static __always_inline struct pt_regs *syscall_regs(void)
{
	return (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
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

/* ---- connect ---------------------------------------------------------- */

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
	struct owner cur;

	/* Success, or an attempt still under way (its failure, if any, comes
	 * through the error report): nothing to do, cheaply. */
	if (ret >= 0 || ret == -EINPROGRESS || ret == -EALREADY || ret == -EINTR || ret == -EISCONN)
		return 0;
	if (!read_user_addr(PT_REGS_PARM2_CORE_SYSCALL(syscall_regs()), &sa))
		return 0;
	/* The caller is the owner: count before gathering its name and cgroup,
	 * which a suppressed record (serve's storms) never needs. */
	if (!admit(NL_CONNECT_ERROR, -ret, bpf_get_current_pid_tgid() >> 32))
		return 0;
	current_owner(&cur);
	e = reserve(NL_CONNECT_ERROR, -ret, &cur, 0);
	if (!e)
		return 0;
	/* The destination is what the caller asked for, even where the kernel
	 * gave up before writing it into the socket. */
	fill_from_user(e, &sa, true);
	finish(e);
	return 0;
}

/* ---- ownership, TIME_WAIT --------------------------------------------- */

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

/* ---- bind and listen -------------------------------------------------- */

SEC("tracepoint/syscalls/sys_exit_bind")
int nl_bind_exit(struct trace_event_raw_sys_exit *ctx)
{
	long ret = ctx->ret;
	struct sockaddr_in6 sa = {};
	struct nl_event *e;
	struct owner cur;

	if (ret != -EADDRINUSE && ret != -EADDRNOTAVAIL && ret != -EACCES && ret != -EPERM)
		return 0;
	if (!read_user_addr(PT_REGS_PARM2_CORE_SYSCALL(syscall_regs()), &sa))
		return 0;
	current_owner(&cur);
	e = begin(NL_BIND_ERROR, -ret, &cur, 0);
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
	struct owner cur;
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
	current_owner(&cur);
	e = begin(NL_BIND_ERROR, EADDRINUSE, &cur, 0);
	if (!e)
		return 0;
	fill_from_sk(e, sk);
	finish(e);
	return 0;
}

/* ---- resets ----------------------------------------------------------- */

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

/* ---- SYN retransmits: the early sign of a timeout ---------------------- */

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(nl_retransmit, struct sock *sk)
{
	struct nl_event *e;

	if (sk->__sk_common.skc_state != TCP_SYN_SENT)
		return 0;
	e = begin(NL_SYN_RETRANSMIT, 0, owner_of(sk), NL_F_ASYNC);
	if (!e)
		return 0;
	fill_from_btf_sk(e, sk);
	finish(e);
	return 0;
}

/* ---- neighbours (ARP / NDP) ------------------------------------------- */

/* A packet was queued on an unresolved neighbour: remember whose it was,
 * because by the time resolution fails the queue has been flushed. The
 * first packet to a new neighbour is sent from its socket's own syscall
 * (connect, sendmsg), so the current task is its sender; later packets
 * (retransmits from timers) do not overwrite it. The socket itself cannot
 * tell us: reached through the skb, the verifier will not let us read its
 * storage. */
SEC("tp_btf/neigh_event_send_done")
int BPF_PROG(nl_neigh_queue, struct neighbour *n, int rc)
{
	struct sk_buff *skb;
	struct owner o;
	__u64 key = (__u64)n;

	if (rc != 1 || n->nud_state != NUD_INCOMPLETE)
		return 0;
	skb = n->arp_queue.prev;
	if (!skb || (void *)skb == (void *)&n->arp_queue || !skb->sk)
		return 0;
	current_owner(&o);
	bpf_map_update_elem(&nl_waiters, &key, &o, BPF_NOEXIST);
	return 0;
}

SEC("tp_btf/neigh_timer_handler")
int BPF_PROG(nl_neigh_timer, struct neighbour *n)
{
	__u64 key = (__u64)n;
	struct net_device *dev;
	struct nl_event *e;
	__u32 key_len;

	if (n->nud_state != NUD_FAILED)
		return 0;
	e = begin(NL_NEIGHBOUR_FAILED, EHOSTUNREACH,
		  bpf_map_lookup_elem(&nl_waiters, &key), NL_F_ASYNC);
	bpf_map_delete_elem(&nl_waiters, &key);
	if (!e)
		return 0;
	key_len = n->tbl->key_len;
	e->family = n->tbl->family;
	if (key_len == 4)
		bpf_probe_read_kernel(e->daddr, 4, &n->primary_key);
	else if (key_len == 16)
		bpf_probe_read_kernel(e->daddr, 16, &n->primary_key);
	dev = n->dev;
	e->ifindex = dev->ifindex;
	bpf_probe_read_kernel_str(e->dev, sizeof(e->dev), &dev->name);
	finish(e);
	return 0;
}

/* ---- DNS: libc's resolver ---------------------------------------------- */

/*
 * getaddrinfo() is watched with a uprobe and a uretprobe on the C library
 * the dynamic loader would pick (user space finds it and attaches). The
 * entry keeps the name asked for, by thread; the return reports a failure.
 * While a thread is inside getaddrinfo(), the socket-level DNS programs
 * below leave its queries alone: one failed lookup is one event, however
 * many queries (A, AAAA, search domains) libc sent for it.
 */

/* getaddrinfo's failures that are about the name, not the caller's
 * arguments: EAI_BADFLAGS -1, EAI_FAMILY -6, EAI_SOCKTYPE -7 and
 * EAI_SERVICE -8 are left out. */
static __always_inline bool gai_failed(int ret)
{
	return ret <= -2 && ret >= -12 && ret != -6 && ret != -7 && ret != -8;
}

struct gai_call {
	__u32 pid;
	__u32 pad;
	char host[NL_HOST_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct gai_call);
} nl_gai SEC(".maps");

/* Values too large for the 512-byte BPF stack are built here. */
struct scratch {
	union {
		struct gai_call gai;
		struct nl_host_event rec;
	};
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} nl_scratch SEC(".maps");

static __always_inline bool in_getaddrinfo(void)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct gai_call *c = bpf_map_lookup_elem(&nl_gai, &tid);

	return c && c->pid == id >> 32;
}

SEC("uprobe")
int BPF_KPROBE(nl_gai_enter, const char *node)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id, zero = 0;
	struct scratch *s = bpf_map_lookup_elem(&nl_scratch, &zero);

	if (!s)
		return 0;
	s->gai.pid = id >> 32;
	s->gai.host[0] = 0;
	if (node)
		bpf_probe_read_user_str(s->gai.host, sizeof(s->gai.host), node);
	bpf_map_update_elem(&nl_gai, &tid, &s->gai, BPF_ANY);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(nl_gai_exit, int ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct gai_call *c = bpf_map_lookup_elem(&nl_gai, &tid);
	struct nl_host_event *e;
	struct owner cur;

	if (!c)
		return 0;
	if (gai_failed(ret) && c->pid == id >> 32) {
		current_owner(&cur);
		e = begin_sized(NL_DNS_ERROR, -ret, &cur, 0, sizeof(*e));
		if (e) {
			bpf_probe_read_kernel(e->host, sizeof(e->host), c->host);
			finish_sized(e, sizeof(*e));
		}
	}
	bpf_map_delete_elem(&nl_gai, &tid);
	return 0;
}

/* ---- DNS: resolvers that bypass libc (c-ares, Go, dig, dnspython) ------- */

/*
 * Queries and answers are read where a process sends or receives on a UDP
 * socket connected to port 53 (glibc, c-ares, Go and BIND's dig connect
 * theirs), or sends to port 53 with sendto() on an unconnected one (musl,
 * dnspython) and receives the answer there. sock_send_length and
 * sock_recv_length fire in the caller's context for every socket send and
 * receive, but not for files or pipes, and hand over the socket: TCP and
 * connected UDP that is not DNS are turned away after a load or two;
 * unconnected UDP pays a syscall-number check (and for sendto() a read of
 * the destination) on send, and a map lookup on receive. The message
 * itself is in the caller's buffer, found through the syscall's own
 * arguments.
 *
 * A query is remembered in nl_dns_pending by (socket, DNS id) until its
 * answer arrives; user space reports the ones left unanswered too long.
 * An answer whose RCODE is not NOERROR is reported at once.
 */

#define DNS_PORT 53
#define DNS_QR 0x80 /* first flags byte: this is an answer */
#define MSG_PEEK 2
#define MSG_ERRQUEUE 0x2000
#define EEXIST 17

struct dns_header {
	__u16 id;
	__u8 flags1; /* QR, opcode, AA, TC, RD */
	__u8 flags2; /* RA, Z, AD, CD, RCODE */
	__u16 qdcount, ancount, nscount, arcount;
};

/* Not preallocated: 16384 records of 368 bytes would hold 6 MiB of kernel
 * memory for the rare host that has that many queries in flight; an insert
 * per DNS query can afford the allocation. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 16384);
	__type(key, struct nl_dns_key);
	__type(value, struct nl_host_event);
} nl_dns_pending SEC(".maps");

/* Which message of a sendmmsg/recvmmsg call the socket is at, by thread:
 * the tracepoints fire once per message, the syscall has one vector. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u32);
} nl_mmsg_index SEC(".maps");

/* Unconnected UDP sockets that sent a query to port 53 with sendto() (musl's
 * resolver, dnspython): their answers come back with no peer in the socket. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u8);
} nl_dns_unconnected SEC(".maps");

static __always_inline int mmsg_start(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u32 *i = bpf_map_lookup_elem(&nl_mmsg_index, &tid);

	/* Only threads that once moved DNS through these calls have an entry. */
	if (i)
		*i = 0;
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_sendmmsg")
int nl_sendmmsg_enter(void *ctx)
{
	return mmsg_start();
}

SEC("tracepoint/syscalls/sys_enter_recvmmsg")
int nl_recvmmsg_enter(void *ctx)
{
	return mmsg_start();
}

/* The user address of the message this socket call moves, from the
 * syscall's arguments; 0 where it cannot be known (io_uring, splice, ...).
 * Vectors: the first buffer, where every resolver puts the whole message. */
static __always_inline __u64 msg_buffer(void)
{
	struct pt_regs *regs = syscall_regs();
	long nr = BPF_CORE_READ(regs, orig_ax);
	__u64 arg = PT_REGS_PARM2_CORE_SYSCALL(regs);
	struct user_msghdr m;
	struct iovec iov;
	__u32 tid, n, *i;

	switch (nr) {
	case NL_NR_read:
	case NL_NR_write:
	case NL_NR_sendto:
	case NL_NR_recvfrom:
		return arg;
	case NL_NR_readv:
	case NL_NR_writev:
		break;
	case NL_NR_sendmmsg:
	case NL_NR_recvmmsg:
		tid = (__u32)bpf_get_current_pid_tgid();
		i = bpf_map_lookup_elem(&nl_mmsg_index, &tid);
		n = i ? *i : 0;
		if (i)
			*i = n + 1;
		else {
			__u32 one = 1;

			bpf_map_update_elem(&nl_mmsg_index, &tid, &one, BPF_ANY);
		}
		if (n >= 1024)
			return 0;
		arg += (__u64)n * sizeof(struct mmsghdr);
		/* fall through: an mmsghdr starts with a msghdr */
	case NL_NR_sendmsg:
	case NL_NR_recvmsg:
		if (bpf_probe_read_user(&m, sizeof(m), (void *)arg))
			return 0;
		arg = (__u64)m.msg_iov;
		break;
	default:
		return 0;
	}
	if (bpf_probe_read_user(&iov, sizeof(iov), (void *)arg))
		return 0;
	return (__u64)iov.iov_base;
}

/* The question's name, in wire format, as far as the message and the room
 * go; user space turns it into text. */
static __always_inline void read_qname(char *dst, __u64 buf, int len)
{
	__u32 n = (__u32)len - sizeof(struct dns_header);

	if (n > NL_HOST_LEN - 1)
		n = NL_HOST_LEN - 1;
	/* Keep the mask the compiler would drop: the verifier needs it. */
	asm volatile("" : "+r"(n));
	n &= NL_HOST_LEN - 1;
	if (n)
		bpf_probe_read_user(dst, n, (void *)(buf + sizeof(struct dns_header)));
}

/* A query on its way out: remember it until its answer comes. `to` is the
 * destination of an unconnected socket's sendto(), NULL when connected. */
static __always_inline int dns_query_sent(struct sock *sk, __u64 buf, int len,
					  const struct sockaddr_in6 *to)
{
	struct nl_dns_key key = {};
	struct dns_header h;
	struct scratch *s;
	struct owner cur;
	__u32 zero = 0;
	long err;

	if (len < (int)sizeof(h) || !buf || bpf_probe_read_user(&h, sizeof(h), (void *)buf))
		return 0;
	/* Only queries; and not libc's, which getaddrinfo's return reports. */
	if ((h.flags1 & DNS_QR) || in_getaddrinfo())
		return 0;
	s = bpf_map_lookup_elem(&nl_scratch, &zero);
	if (!s)
		return 0;
	__builtin_memset(&s->rec, 0, sizeof(s->rec));
	current_owner(&cur);
	s->rec.ev.ts_ns = bpf_ktime_get_ns();
	s->rec.ev.kind = NL_DNS_ERROR;
	s->rec.ev.err = NL_DNS_TIMEOUT;
	s->rec.ev.flags = NL_F_WIRE_NAME;
	s->rec.ev.pid = cur.pid;
	s->rec.ev.tid = cur.tid;
	s->rec.ev.cgroup_id = cur.cgroup_id;
	__builtin_memcpy(s->rec.ev.comm, cur.comm, sizeof(cur.comm));
	fill_from_btf_sk(&s->rec.ev, sk);
	if (to)
		fill_from_user(&s->rec.ev, to, true);
	read_qname(s->rec.host, buf, len);
	key.sk = (__u64)sk;
	key.id = h.id;
	/* A retransmission keeps the time of the first send. */
	err = bpf_map_update_elem(&nl_dns_pending, &key, &s->rec, BPF_NOEXIST);
	if (err && err != -EEXIST)
		lose(NL_LOSS_COUNTER_FULL); /* cannot track it: a timeout could go uncounted */
	if (to) {
		__u8 one = 1;

		bpf_map_update_elem(&nl_dns_unconnected, &key.sk, &one, BPF_ANY);
	}
	return 0;
}

/* An unconnected UDP socket's sendto() to port 53: the message, with its
 * destination in `to`; 0 for anything else. Only sendto() is read: it names
 * the destination in a register, so the common case (QUIC and other
 * unconnected senders use sendmsg/sendmmsg) costs a syscall-number check. */
static __always_inline __u64 sendto_port53(struct sockaddr_in6 *to)
{
	struct pt_regs *regs = syscall_regs();
	__u64 addr;

	if (BPF_CORE_READ(regs, orig_ax) != NL_NR_sendto)
		return 0;
	addr = PT_REGS_PARM5_CORE_SYSCALL(regs);
	if (!addr || !read_user_addr(addr, to) || to->sin6_port != bpf_htons(DNS_PORT))
		return 0;
	return PT_REGS_PARM2_CORE_SYSCALL(regs);
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(nl_dns_send, struct sock *sk, int ret, int flags)
{
	__u16 dport = sk->__sk_common.skc_dport;
	struct sockaddr_in6 to = {};
	__u64 buf;

	/* Everything that is not UDP to port 53 leaves here, after a load or two. */
	if (dport == bpf_htons(DNS_PORT)) {
		if (sk->sk_protocol != IPPROTO_UDP)
			return 0;
		return dns_query_sent(sk, msg_buffer(), ret, NULL);
	}
	if (dport || sk->sk_protocol != IPPROTO_UDP)
		return 0;
	buf = sendto_port53(&to);
	if (!buf)
		return 0;
	return dns_query_sent(sk, buf, ret, &to);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(nl_dns_recv, struct sock *sk, int ret, int flags)
{
	__u16 dport = sk->__sk_common.skc_dport;
	struct nl_dns_key key = {};
	struct nl_host_event *e, *q = NULL;
	struct dns_header h;
	struct owner cur;
	__u8 rcode;
	__u64 buf;

	if (ret < 0 || (flags & (MSG_PEEK | MSG_ERRQUEUE)))
		return 0;
	if (dport == bpf_htons(DNS_PORT)) {
		if (sk->sk_protocol != IPPROTO_UDP)
			return 0;
	} else {
		__u64 skp = (__u64)sk;

		/* An unconnected socket counts only once it sent a query to
		 * port 53; one lookup for the others. */
		if (dport || sk->sk_protocol != IPPROTO_UDP || !bpf_map_lookup_elem(&nl_dns_unconnected, &skp))
			return 0;
	}
	buf = msg_buffer();
	if (ret < (int)sizeof(h) || !buf || bpf_probe_read_user(&h, sizeof(h), (void *)buf))
		return 0;
	if (!(h.flags1 & DNS_QR))
		return 0;
	key.sk = (__u64)sk;
	key.id = h.id;
	if (!dport) {
		/* The peer is not in the socket: only an answer to a query we saw
		 * sent to port 53 counts, and its addresses come from the query. */
		q = bpf_map_lookup_elem(&nl_dns_pending, &key);
		if (!q)
			return 0;
	}
	rcode = h.flags2 & 0xf;
	if (rcode && !in_getaddrinfo()) {
		current_owner(&cur);
		e = begin_sized(NL_DNS_ERROR, NL_DNS_RCODE_BASE + rcode, &cur, NL_F_WIRE_NAME, sizeof(*e));
		if (e) {
			if (q) {
				e->ev.family = q->ev.family;
				e->ev.sport = q->ev.sport;
				e->ev.dport = q->ev.dport;
				__builtin_memcpy(e->ev.saddr, q->ev.saddr, sizeof(e->ev.saddr));
				__builtin_memcpy(e->ev.daddr, q->ev.daddr, sizeof(e->ev.daddr));
			} else {
				fill_from_btf_sk(&e->ev, sk);
			}
			read_qname(e->host, buf, ret);
			finish_sized(e, sizeof(*e));
		}
	}
	bpf_map_delete_elem(&nl_dns_pending, &key);
	return 0;
}

/* ---- TLS: certificate verification in OpenSSL ---------------------------- */

/*
 * Every client we looked at asks OpenSSL for the verdict on the server's
 * certificate with SSL_get_verify_result(): curl and Node after each
 * handshake, Python and `openssl s_client` when one fails or finishes. A
 * non-zero result (X509_V_ERR_*) is the failure; it is reported once per
 * connection (SSL object), however often the client asks. The name comes
 * from the SNI the client set (SSL_ctrl SSL_CTRL_SET_TLSEXT_HOSTNAME);
 * SSL_free forgets the connection. The same programs attach to libssl.so.3
 * and to Node's statically linked copy. Nothing here writes to the
 * process: the probes only read.
 */

#define SSL_CTRL_SET_TLSEXT_HOSTNAME 55

struct tls_key {
	__u64 ssl;
	__u32 pid;
	__u32 pad;
};

struct tls_conn {
	__s32 reported; /* the verify result already reported, 0 none */
	__u32 pad;
	char host[NL_HOST_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct tls_key);
	__type(value, struct tls_conn);
} nl_tls SEC(".maps");

/* SSL_get_verify_result() calls under way: thread -> SSL object. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} nl_tls_call SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tls_conn);
} nl_tls_scratch SEC(".maps");

static __always_inline struct tls_key tls_key_of(const void *ssl)
{
	struct tls_key k = { .ssl = (__u64)ssl, .pid = bpf_get_current_pid_tgid() >> 32 };

	return k;
}

SEC("uprobe")
int BPF_KPROBE(nl_ssl_ctrl, void *ssl, int cmd, long larg, const char *parg)
{
	struct tls_key k;
	struct tls_conn *c;
	__u32 zero = 0;

	if (cmd != SSL_CTRL_SET_TLSEXT_HOSTNAME || larg != 0 || !ssl || !parg)
		return 0;
	c = bpf_map_lookup_elem(&nl_tls_scratch, &zero);
	if (!c)
		return 0;
	c->reported = 0;
	c->host[0] = 0;
	bpf_probe_read_user_str(c->host, sizeof(c->host), parg);
	k = tls_key_of(ssl);
	bpf_map_update_elem(&nl_tls, &k, c, BPF_ANY);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(nl_ssl_free, void *ssl)
{
	struct tls_key k = tls_key_of(ssl);

	bpf_map_delete_elem(&nl_tls, &k);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(nl_ssl_verify_enter, void *ssl)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 p = (__u64)ssl;

	bpf_map_update_elem(&nl_tls_call, &tid, &p, BPF_ANY);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(nl_ssl_verify_exit, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), zero = 0;
	struct nl_host_event *e;
	struct tls_conn *c;
	struct owner cur;
	struct tls_key k;
	__u64 *ssl;

	ssl = bpf_map_lookup_elem(&nl_tls_call, &tid);
	if (!ssl)
		return 0;
	k = tls_key_of((void *)*ssl);
	bpf_map_delete_elem(&nl_tls_call, &tid);
	if (ret == 0) /* X509_V_OK */
		return 0;
	c = bpf_map_lookup_elem(&nl_tls, &k);
	if (c && c->reported == (__s32)ret)
		return 0;
	current_owner(&cur);
	e = begin_sized(NL_TLS_ERROR, (__s32)ret, &cur, 0, sizeof(*e));
	if (e) {
		if (c)
			bpf_probe_read_kernel(e->host, sizeof(e->host), c->host);
		finish_sized(e, sizeof(*e));
	}
	if (c) {
		c->reported = (__s32)ret;
		return 0;
	}
	/* No name was set (a connection by address): remember the report. */
	c = bpf_map_lookup_elem(&nl_tls_scratch, &zero);
	if (!c)
		return 0;
	c->reported = (__s32)ret;
	c->host[0] = 0;
	bpf_map_update_elem(&nl_tls, &k, c, BPF_ANY);
	return 0;
}
