/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Counting events and emitting their detail records: the ring buffer, the
 * exact per-CPU counters, the loss counters and the per-key rate limit.
 * Needs the settings rate_limit and wake_bytes, defined by netladder.bpf.c.
 */
#ifndef NETLADDER_EMIT_H
#define NETLADDER_EMIT_H

#include "owner.h"

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

/* Start a record of `size` bytes: zeroed, then its header (when, what,
 * whose; NL_F_UNOWNED when `o` is NULL). */
static __always_inline void fill_header(struct nl_event *e, __u32 size, __u8 kind, __s32 err,
					const struct owner *o, __u8 flags)
{
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
	fill_header(e, size, kind, err, o, flags);
	return e;
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

/* begin_sized for an event whose owner is the calling process. It is
 * counted before the caller's name and cgroup are gathered, which a
 * suppressed record (serve's storms) never needs. */
static __always_inline void *begin_current_sized(__u8 kind, __s32 err, __u8 flags, __u32 size)
{
	struct owner cur;

	if (!admit(kind, err, bpf_get_current_pid_tgid() >> 32))
		return NULL;
	current_owner(&cur);
	return reserve_sized(kind, err, &cur, flags, size);
}

static __always_inline struct nl_event *begin_current(__u8 kind, __s32 err, __u8 flags)
{
	return begin_current_sized(kind, err, flags, sizeof(struct nl_event));
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

#endif /* NETLADDER_EMIT_H */
