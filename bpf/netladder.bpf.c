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

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define NUD_INCOMPLETE 0x01
#define NUD_FAILED 0x20

#define EINTR 4
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

/* Who owns a socket, and where its connect attempt stands. */
struct owner {
	__u64 cgroup_id;
	__u32 pid;
	__u32 tid;
	char comm[NL_COMM_LEN];
	__u32 connect_tid; /* a connect() on this socket is running in this thread */
	__s32 pending_err; /* error reported while that connect() was running */
	__u32 reported;    /* this attempt's failure was already emitted */
};

/* A syscall in flight, by thread: what it was given on entry. */
struct call {
	__u64 uaddr;
	__u64 sk;
	__s32 fd;
	__u32 pad;
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

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct owner);
} nl_owners SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct listener_key);
	__type(value, struct owner);
} nl_listeners SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct call);
} nl_calls SEC(".maps");

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

/* Count one event and reserve its detail record; NULL when the record is
 * suppressed or the ring is full (both counted). */
static __always_inline struct nl_event *begin(__u8 kind, __s32 err,
					      const struct owner *o, __u8 flags)
{
	struct nl_count_key k = { .pid = o ? o->pid : 0, .kind = kind, .err = err };
	struct nl_event *e;

	count(&k);
	if (limited(&k)) {
		lose(NL_LOSS_RATE_LIMITED);
		return NULL;
	}
	e = bpf_ringbuf_reserve(&nl_events, sizeof(*e), 0);
	if (!e) {
		lose(NL_LOSS_RINGBUF_FULL);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
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

/* Wake the reader only once enough has piled up; a timer in user space
 * drains the rest. A wakeup per event would be charged to the failing
 * process and would slow a storm by half. */
static __always_inline void finish(struct nl_event *e)
{
	__u64 avail = bpf_ringbuf_query(&nl_events, BPF_RB_AVAIL_DATA);

	bpf_ringbuf_submit(e, avail >= wake_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
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

/* Copy an address and port from a user sockaddr into the record's source
 * (for bind) or destination (for connect). Returns the family, 0 if neither
 * IPv4 nor IPv6. */
static __always_inline __u16 fill_from_user(struct nl_event *e, __u64 uaddr, bool remote)
{
	struct sockaddr_in6 sa6 = {};
	__u16 family = 0, port;

	if (bpf_probe_read_user(&family, sizeof(family), (void *)uaddr))
		return 0;
	if (family == AF_INET) {
		struct sockaddr_in sa = {};

		bpf_probe_read_user(&sa, sizeof(sa), (void *)uaddr);
		port = bpf_ntohs(sa.sin_port);
		bpf_probe_read_kernel(remote ? e->daddr : e->saddr, 4, &sa.sin_addr);
	} else if (family == AF_INET6) {
		bpf_probe_read_user(&sa6, sizeof(sa6), (void *)uaddr);
		port = bpf_ntohs(sa6.sin6_port);
		bpf_probe_read_kernel(remote ? e->daddr : e->saddr, 16, &sa6.sin6_addr);
	} else {
		return 0;
	}
	e->family = family;
	if (remote)
		e->dport = port;
	else
		e->sport = port;
	return family;
}

static __always_inline bool inet_family_at(__u64 uaddr)
{
	__u16 family = 0;

	bpf_probe_read_user(&family, sizeof(family), (void *)uaddr);
	return family == AF_INET || family == AF_INET6;
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

static __always_inline __u32 netns_of(const struct sock *sk)
{
	return BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
}

static __always_inline void own_by_current(const struct sock *sk)
{
	__u64 key = (__u64)sk;
	struct owner o;

	current_owner(&o);
	bpf_map_update_elem(&nl_owners, &key, &o, BPF_ANY);
}

static __always_inline __u32 current_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

/* ---- connect ---------------------------------------------------------- */

SEC("tracepoint/syscalls/sys_enter_connect")
int nl_connect_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct call c = { .uaddr = ctx->args[1], .fd = (int)ctx->args[0] };
	__u32 tid = current_tid();
	struct owner o, *old;
	struct sock *sk;
	__u64 key;

	if (!inet_family_at(c.uaddr))
		return 0;
	sk = sock_from_fd(c.fd);
	c.sk = (__u64)sk;
	bpf_map_update_elem(&nl_calls, &tid, &c, BPF_ANY);
	if (!sk)
		return 0;
	key = (__u64)sk;
	current_owner(&o);
	old = bpf_map_lookup_elem(&nl_owners, &key);
	/* A second connect() on a socket that is still connecting asks how the
	 * first attempt went; it is not a new attempt. */
	if (old && BPF_CORE_READ(sk, sk_socket, state) == SS_CONNECTING) {
		o.reported = old->reported;
		o.pending_err = old->pending_err;
	}
	o.connect_tid = tid;
	bpf_map_update_elem(&nl_owners, &key, &o, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_connect")
int nl_connect_exit(struct trace_event_raw_sys_exit *ctx)
{
	__u32 tid = current_tid();
	struct call *cp = bpf_map_lookup_elem(&nl_calls, &tid);
	struct owner *o = NULL, cur;
	struct nl_event *e;
	long ret = ctx->ret;
	struct call c;
	__s32 err;
	__u8 flags = 0;

	if (!cp)
		return 0;
	c = *cp;
	bpf_map_delete_elem(&nl_calls, &tid);
	if (c.sk)
		o = bpf_map_lookup_elem(&nl_owners, &c.sk);
	if (o)
		o->connect_tid = 0;

	if (ret == -EINPROGRESS || ret == -EALREADY || ret == -EINTR) {
		/* The attempt goes on, but it may already have failed while the
		 * call held the socket lock (the reply waited in the backlog). */
		if (!o || !o->pending_err || o->reported)
			return 0;
		err = o->pending_err;
		o->reported = 1;
		flags = NL_F_ASYNC;
	} else if (ret < 0 && ret != -EISCONN) {
		if (o && o->reported)
			return 0;
		if (o)
			o->reported = 1;
		err = -ret;
	} else {
		return 0;
	}

	current_owner(&cur);
	e = begin(NL_CONNECT_ERROR, err, &cur, flags);
	if (!e)
		return 0;
	if (c.sk)
		fill_from_sk(e, (struct sock *)c.sk);
	/* The destination is what the caller asked for, even where the kernel
	 * gave up before writing it into the socket. */
	fill_from_user(e, c.uaddr, true);
	finish(e);
	return 0;
}

/*
 * Is this socket's connect attempt the one failing? Since Linux 6.10
 * (tcp_done_with_error) the socket is already CLOSE when the error is
 * reported; the socket layer still says SS_CONNECTING until the caller looks.
 */
static __always_inline bool connecting(const struct sock *sk)
{
	int state = BPF_CORE_READ(sk, __sk_common.skc_state);

	if (state == TCP_SYN_SENT)
		return true;
	return state == TCP_CLOSE && BPF_CORE_READ(sk, sk_socket, state) == SS_CONNECTING;
}

SEC("tp_btf/inet_sk_error_report")
int BPF_PROG(nl_error_report, struct sock *sk)
{
	__u64 key = (__u64)sk;
	struct nl_event *e;
	struct owner *o;
	int err = BPF_CORE_READ(sk, sk_err);

	/* Only failures of connects in progress; errors of established
	 * connections arrive as resets. The kernel also reports 0 right after
	 * a refused connect: not a failure. */
	if (!err || !connecting(sk))
		return 0;
	o = bpf_map_lookup_elem(&nl_owners, &key);
	if (o) {
		if (o->reported)
			return 0;
		if (o->connect_tid) {
			/* connect() is still running and will report it. */
			o->pending_err = err;
			return 0;
		}
		o->reported = 1;
	}
	e = begin(NL_CONNECT_ERROR, err, o, NL_F_ASYNC);
	if (!e)
		return 0;
	fill_from_sk(e, sk);
	finish(e);
	return 0;
}

/* ---- ownership from listen and accept --------------------------------- */

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(nl_set_state, struct sock *sk, int oldstate, int newstate)
{
	struct listener_key lk = {};
	__u64 key = (__u64)sk;
	struct nl_event *e;
	struct owner *o, cur;

	if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return 0;

	switch (newstate) {
	case TCP_SYN_SENT:
		/* Connects that bypass connect() (io_uring, TCP Fast Open via
		 * sendmsg) still pass here in the caller's context. */
		if (!bpf_map_lookup_elem(&nl_owners, &key))
			own_by_current(sk);
		return 0;
	case TCP_LISTEN:
		current_owner(&cur);
		bpf_map_update_elem(&nl_owners, &key, &cur, BPF_ANY);
		lk.netns = netns_of(sk);
		lk.port = BPF_CORE_READ(sk, __sk_common.skc_num);
		bpf_map_update_elem(&nl_listeners, &lk, &cur, BPF_ANY);
		return 0;
	case TCP_SYN_RECV:
		/* A child socket born in softirq belongs to its listener's owner
		 * until a process accepts it. */
		if (oldstate != TCP_LISTEN)
			return 0;
		lk.netns = netns_of(sk);
		lk.port = BPF_CORE_READ(sk, __sk_common.skc_num);
		o = bpf_map_lookup_elem(&nl_listeners, &lk);
		if (o)
			bpf_map_update_elem(&nl_owners, &key, o, BPF_ANY);
		return 0;
	case TCP_CLOSE:
		/* A socket that leaves FIN_WAIT2 or CLOSING without an error has
		 * handed over to a TIME_WAIT socket: it closed first. */
		if ((oldstate != TCP_FIN_WAIT2 && oldstate != TCP_CLOSING) ||
		    BPF_CORE_READ(sk, sk_err))
			return 0;
		o = bpf_map_lookup_elem(&nl_owners, &key);
		e = begin(NL_TIME_WAIT, 0, o, NL_F_ASYNC);
		if (!e)
			return 0;
		fill_from_sk(e, sk);
		finish(e);
		return 0;
	}
	return 0;
}

static __always_inline int own_accepted(long ret)
{
	struct sock *sk;

	if (ret < 0)
		return 0;
	sk = sock_from_fd((int)ret);
	if (sk)
		own_by_current(sk);
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

static __always_inline int remember_call(__u64 uaddr, int fd)
{
	struct call c = { .uaddr = uaddr, .fd = fd };
	__u32 tid = current_tid();

	bpf_map_update_elem(&nl_calls, &tid, &c, BPF_ANY);
	return 0;
}

static __always_inline bool bind_errno(long ret)
{
	return ret == -EADDRINUSE || ret == -EADDRNOTAVAIL || ret == -EACCES || ret == -EPERM;
}

SEC("tracepoint/syscalls/sys_enter_bind")
int nl_bind_enter(struct trace_event_raw_sys_enter *ctx)
{
	if (!inet_family_at(ctx->args[1]))
		return 0;
	return remember_call(ctx->args[1], (int)ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_exit_bind")
int nl_bind_exit(struct trace_event_raw_sys_exit *ctx)
{
	__u32 tid = current_tid();
	struct call *cp = bpf_map_lookup_elem(&nl_calls, &tid);
	struct nl_event *e;
	struct owner cur;
	__u64 uaddr;

	if (!cp)
		return 0;
	uaddr = cp->uaddr;
	bpf_map_delete_elem(&nl_calls, &tid);
	if (!bind_errno(ctx->ret))
		return 0;
	current_owner(&cur);
	e = begin(NL_BIND_ERROR, -ctx->ret, &cur, 0);
	if (!e)
		return 0;
	fill_from_user(e, uaddr, false);
	finish(e);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_listen")
int nl_listen_enter(struct trace_event_raw_sys_enter *ctx)
{
	return remember_call(0, (int)ctx->args[0]);
}

/* listen() on an unbound socket picks a port itself and can find none. */
SEC("tracepoint/syscalls/sys_exit_listen")
int nl_listen_exit(struct trace_event_raw_sys_exit *ctx)
{
	__u32 tid = current_tid();
	struct call *cp = bpf_map_lookup_elem(&nl_calls, &tid);
	struct nl_event *e;
	struct owner cur;
	struct sock *sk;
	__u16 family;
	int fd;

	if (!cp)
		return 0;
	fd = cp->fd;
	bpf_map_delete_elem(&nl_calls, &tid);
	if (ctx->ret != -EADDRINUSE)
		return 0;
	sk = sock_from_fd(fd);
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
	int state = BPF_CORE_READ(sk, __sk_common.skc_state);
	__u64 key = (__u64)sk;
	struct nl_event *e;

	/* A reset in SYN_SENT is a refused connect, reported as such. */
	if (state == TCP_SYN_SENT || state == TCP_CLOSE)
		return 0;
	e = begin(NL_RESET_RECEIVED, state == TCP_CLOSE_WAIT ? EPIPE : ECONNRESET,
		  bpf_map_lookup_elem(&nl_owners, &key), NL_F_ASYNC);
	if (!e)
		return 0;
	fill_from_sk(e, sk);
	finish(e);
	return 0;
}

/* Addresses of a reset sent with no socket, from the packet it answers. */
static __always_inline void fill_from_answered_skb(struct nl_event *e, const struct sk_buff *skb)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 nh = BPF_CORE_READ(skb, network_header);
	__u16 th = BPF_CORE_READ(skb, transport_header);
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
int nl_reset_send(unsigned long long *ctx)
{
	const struct sock *sk = (const struct sock *)ctx[0];
	const struct sk_buff *skb = (const struct sk_buff *)ctx[1];
	struct owner *o = NULL;
	struct nl_event *e;
	__u64 key = (__u64)sk;

	if (sk)
		o = bpf_map_lookup_elem(&nl_owners, &key);
	e = begin(NL_RESET_SENT, 0, o, 0);
	if (!e)
		return 0;
	e->reason = send_reset_reason(ctx);
	if (sk)
		fill_from_sk(e, sk);
	else if (skb)
		fill_from_answered_skb(e, skb);
	finish(e);
	return 0;
}

/* ---- SYN retransmits: the early sign of a timeout ---------------------- */

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(nl_retransmit, const struct sock *sk)
{
	__u64 key = (__u64)sk;
	struct nl_event *e;

	if (BPF_CORE_READ(sk, __sk_common.skc_state) != TCP_SYN_SENT)
		return 0;
	e = begin(NL_SYN_RETRANSMIT, 0, bpf_map_lookup_elem(&nl_owners, &key), NL_F_ASYNC);
	if (!e)
		return 0;
	fill_from_sk(e, sk);
	finish(e);
	return 0;
}

/* ---- neighbours (ARP / NDP) ------------------------------------------- */

/* A packet was queued on an unresolved neighbour: remember whose it was,
 * because by the time resolution fails the queue has been flushed. */
SEC("tp_btf/neigh_event_send_done")
int BPF_PROG(nl_neigh_queue, struct neighbour *n, int rc)
{
	struct sk_buff *skb;
	struct owner *o;
	__u64 key = (__u64)n, sk;

	if (rc != 1 || BPF_CORE_READ(n, nud_state) != NUD_INCOMPLETE)
		return 0;
	skb = BPF_CORE_READ(n, arp_queue.prev);
	if (!skb || (void *)skb == (void *)&n->arp_queue)
		return 0;
	sk = (__u64)BPF_CORE_READ(skb, sk);
	if (!sk)
		return 0;
	o = bpf_map_lookup_elem(&nl_owners, &sk);
	if (o)
		bpf_map_update_elem(&nl_waiters, &key, o, BPF_ANY);
	return 0;
}

SEC("tp_btf/neigh_timer_handler")
int BPF_PROG(nl_neigh_timer, struct neighbour *n)
{
	__u64 key = (__u64)n;
	struct net_device *dev;
	struct nl_event *e;
	__u32 key_len;

	if (BPF_CORE_READ(n, nud_state) != NUD_FAILED)
		return 0;
	e = begin(NL_NEIGHBOUR_FAILED, EHOSTUNREACH,
		  bpf_map_lookup_elem(&nl_waiters, &key), NL_F_ASYNC);
	bpf_map_delete_elem(&nl_waiters, &key);
	if (!e)
		return 0;
	key_len = BPF_CORE_READ(n, tbl, key_len);
	e->family = BPF_CORE_READ(n, tbl, family);
	if (key_len == 4)
		bpf_probe_read_kernel(e->daddr, 4, &n->primary_key);
	else if (key_len == 16)
		bpf_probe_read_kernel(e->daddr, 16, &n->primary_key);
	dev = BPF_CORE_READ(n, dev);
	e->ifindex = BPF_CORE_READ(dev, ifindex);
	bpf_probe_read_kernel_str(e->dev, sizeof(e->dev), &dev->name);
	finish(e);
	return 0;
}
