/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Neighbour resolution (ARP / NDP) that failed, charged to who waited. */
#ifndef NETLADDER_NEIGH_H
#define NETLADDER_NEIGH_H

#include "emit.h"
#include "owner.h"

#define NUD_INCOMPLETE 0x01
#define NUD_FAILED 0x20
#define EHOSTUNREACH 113

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct owner);
} nl_waiters SEC(".maps");

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

#endif /* NETLADDER_NEIGH_H */
