/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* SYN retransmits: the early sign of a timeout. Only those that left: a SYN
 * still waiting in the host for its neighbour is not sent again, and the
 * kernel says so in the tracepoint's result (compat.h). */
#ifndef NETLADDER_RETRANSMIT_H
#define NETLADDER_RETRANSMIT_H

#include "emit.h"
#include "owner.h"
#include "sock_read.h"

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(nl_retransmit, struct sock *sk)
{
	struct nl_event *e;

	if (sk->__sk_common.skc_state != TCP_SYN_SENT || retransmit_err(ctx))
		return 0;
	e = begin(NL_SYN_RETRANSMIT, 0, owner_of(sk), NL_F_ASYNC);
	if (!e)
		return 0;
	fill_from_btf_sk(e, sk);
	finish(e);
	return 0;
}

#endif /* NETLADDER_RETRANSMIT_H */
