/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Failed name lookups through libc's getaddrinfo(). */
#ifndef NETLADDER_DNS_LIBC_H
#define NETLADDER_DNS_LIBC_H

#include "emit.h"
#include "owner.h"

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

	if (!c)
		return 0;
	if (gai_failed(ret) && c->pid == id >> 32) {
		e = begin_current_sized(NL_DNS_ERROR, -ret, 0, sizeof(*e));
		if (e) {
			bpf_probe_read_kernel(e->host, sizeof(e->host), c->host);
			finish_sized(e, sizeof(*e));
		}
	}
	bpf_map_delete_elem(&nl_gai, &tid);
	return 0;
}

#endif /* NETLADDER_DNS_LIBC_H */
