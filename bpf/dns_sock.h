/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* DNS read on UDP sockets, for resolvers that bypass libc (c-ares, Go, dig, dnspython). */
#ifndef NETLADDER_DNS_SOCK_H
#define NETLADDER_DNS_SOCK_H

#include "emit.h"
#include "owner.h"
#include "sock_read.h"
#include "dns_libc.h"

#define IPPROTO_UDP 17

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
	current_owner(&cur);
	fill_header(&s->rec.ev, sizeof(s->rec), NL_DNS_ERROR, NL_DNS_TIMEOUT, &cur, NL_F_WIRE_NAME);
	fill_from_btf_sk(&s->rec.ev, sk);
	if (to)
		fill_from_user(&s->rec.ev, to, true);
	read_qname(s->rec.host, buf, len);
	key.sk = (__u64)sk;
	key.id = h.id;
	/* A retransmission keeps the time of the first send. */
	err = bpf_map_update_elem(&nl_dns_pending, &key, &s->rec, BPF_NOEXIST);
	if (err && err != -EEXIST)
		lose(NL_LOSS_DNS_PENDING_FULL);
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
		e = begin_current_sized(NL_DNS_ERROR, NL_DNS_RCODE_BASE + rcode, NL_F_WIRE_NAME, sizeof(*e));
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

#endif /* NETLADDER_DNS_SOCK_H */
