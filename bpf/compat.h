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

#endif /* NETLADDER_COMPAT_H */
