// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * netladder's kernel side: catch network failures where they happen and
 * charge each one to the process that owns the socket.
 *
 * Ownership is recorded in process context (connect, listen, accept, close)
 * in the socket's own storage, freed with the socket; events that fire later
 * in softirq or timer context look the owner up there instead of trusting
 * whichever task the interrupt happened to land on. Every emitted event is counted exactly in
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

/* Settings, fixed before load. */
const volatile __u32 rate_limit = 0;          /* records/s per key; 0 = off */
const volatile __u32 wake_bytes = 256 * 1024; /* wake the reader past this */

/* In the order the programs were written: it sets the order of the
 * programs and maps in the object and its skeleton. */
#include "owner.h"
#include "emit.h"
#include "sock_read.h"
#include "connect.h"
#include "state.h"
#include "bind.h"
#include "reset.h"
#include "retransmit.h"
#include "neigh.h"
#include "dns_libc.h"
#include "dns_sock.h"
#include "tls.h"
