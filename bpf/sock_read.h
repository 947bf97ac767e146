/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Reading a record's addresses: from a socket, from a sockaddr the caller
 * passed, and finding a syscall's socket and arguments.
 */
#ifndef NETLADDER_SOCK_READ_H
#define NETLADDER_SOCK_READ_H

#define AF_INET 2
#define AF_INET6 10

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

/* The file of a socket behind a file descriptor of the current task, or
 * NULL when the descriptor is not a socket. */
static __always_inline struct file *socket_file_from_fd(int fd)
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
	return file;
}

/* The socket behind a file descriptor of the current task, or NULL. */
static __always_inline struct sock *sock_from_fd(int fd)
{
	struct file *file = socket_file_from_fd(fd);
	struct socket *so;

	if (!file)
		return NULL;
	so = BPF_CORE_READ(file, private_data);
	return BPF_CORE_READ(so, sk);
}

/*
 * A socket's inode number, the N of socket:[N] in /proc/<pid>/fd: a name
 * for the socket that a later socket does not inherit, as one at the same
 * kernel address does (inode numbers come from a counter, slab slots are
 * reused at once). 0 for a socket with no file (kernel sockets, orphans).
 * Two readers: from a syscall exit's descriptor (probe reads) and from a
 * tp_btf socket (plain loads).
 */
static __always_inline __u64 fd_inode(int fd)
{
	struct file *file = socket_file_from_fd(fd);

	return file ? BPF_CORE_READ(file, f_inode, i_ino) : 0;
}

static __always_inline __u64 btf_sk_inode(const struct sock *sk)
{
	struct socket *so = sk->sk_socket;
	struct file *file;

	if (!so)
		return 0;
	file = so->file;
	if (!file)
		return 0;
	return file->f_inode->i_ino;
}

/* A syscall's arguments, read at its exit from the caller's saved registers:
 * cheaper than a second program at entry, and paid only on failure. */
static __always_inline struct pt_regs *syscall_regs(void)
{
	return (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
}

#endif /* NETLADDER_SOCK_READ_H */
