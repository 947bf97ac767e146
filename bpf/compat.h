/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel-version differences, in one place. Each helper names the kernel
 * change it deals with; CO-RE guards let libbpf drop the branch a running
 * kernel cannot take, so the verifier never sees it.
 */
#ifndef NETLADDER_COMPAT_H
#define NETLADDER_COMPAT_H

#include <bpf/bpf_core_read.h>

/*
 * Linux 6.10 added `enum sk_rst_reason` and passed it as the third argument
 * of the tcp_send_reset tracepoint. Older kernels have two arguments, and
 * reading a third would be rejected, so the read is guarded.
 */
static __always_inline unsigned int send_reset_reason(unsigned long long *ctx)
{
	if (bpf_core_enum_value_exists(enum sk_rst_reason, SK_RST_REASON_NOT_SPECIFIED))
		return (unsigned int)ctx[2];
	return 0;
}

/*
 * Linux 6.17 ("tcp: add err to tcp_retransmit_skb tracepoint", Fan Yu) moved
 * the tcp_retransmit_skb tracepoint to fire for every attempt, with its
 * result as a third argument: -EBUSY when the SYN was still queued in the
 * host (an unresolved neighbour) and nothing left. Before it the tracepoint
 * fired only on success, so there is nothing to filter. The change also gave
 * the tracepoint its own event class; its `err` field is what says the
 * argument exists. The ___new flavour keeps this building against a vmlinux.h
 * from an older kernel.
 */
struct trace_event_raw_tcp_retransmit_skb___new {
	int err;
} __attribute__((preserve_access_index));

static __always_inline int retransmit_err(unsigned long long *ctx)
{
	if (bpf_core_field_exists(struct trace_event_raw_tcp_retransmit_skb___new, err))
		return (int)ctx[2];
	return 0;
}

#endif /* NETLADDER_COMPAT_H */
