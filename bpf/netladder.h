/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The ABI between netladder's BPF programs and user space: one definition of
 * every record that crosses the boundary. The TypeScript decoder
 * (src/core/layout.ts) mirrors this field by field; test/kernel/layout.test.ts
 * checks its offsets against the ones the addon computes from this header.
 */
#ifndef NETLADDER_H
#define NETLADDER_H

#define NL_COMM_LEN 16
#define NL_IFNAME_LEN 16
/* Room for a host name: a DNS name is at most 255 bytes on the wire. */
#define NL_HOST_LEN 256

/* What happened. Values are stable: they are in counter keys and records. */
enum nl_kind {
	NL_CONNECT_ERROR = 1,
	NL_RESET_RECEIVED = 2,
	NL_RESET_SENT = 3,
	NL_NEIGHBOUR_FAILED = 4,
	NL_BIND_ERROR = 5,
	NL_TIME_WAIT = 6,
	NL_SYN_RETRANSMIT = 7,
	NL_DNS_ERROR = 8,       /* carried as struct nl_host_event */
	NL_TLS_ERROR = 9,       /* carried as struct nl_host_event */
	NL_KIND_MAX = 10,
};

/* Record flags. */
enum nl_flag {
	/* Reported from softirq or timer context; the owner came from the
	 * socket-ownership map, not from the interrupted task. */
	NL_F_ASYNC = 1,
	/* No process owns the socket (or it predates netladder): pid is 0. */
	NL_F_UNOWNED = 2,
	/* The host of an nl_host_event is a DNS name in wire format (length-
	 * prefixed labels, as copied from a query or answer), not text. */
	NL_F_WIRE_NAME = 4,
};

/*
 * What `err` means for NL_DNS_ERROR (for every other kind it is an errno):
 *   1..99      getaddrinfo() returned -err (EAI_NONAME is -2, so err 2)
 *   1000 + n   an answer came back with RCODE n (3 NXDOMAIN, 2 SERVFAIL,
 *              5 REFUSED, ...)
 *   2000       a query got no answer in time (decided by user space)
 * For NL_TLS_ERROR, `err` is OpenSSL's certificate verify result
 * (X509_V_ERR_*, e.g. 10 expired, 18 self-signed, 62 hostname mismatch).
 */
enum nl_dns_err {
	NL_DNS_RCODE_BASE = 1000,
	NL_DNS_TIMEOUT = 2000,
};

/* Where detail records were lost; indexes of the per-CPU `nl_losses` array. */
enum nl_loss {
	NL_LOSS_RINGBUF_FULL = 0, /* bpf_ringbuf_reserve failed */
	NL_LOSS_RATE_LIMITED = 1, /* suppressed by the per-key rate limit */
	NL_LOSS_COUNTER_FULL = 2, /* counter map full: the count itself was lost */
	NL_LOSS_DNS_PENDING_FULL = 3, /* nl_dns_pending full: a query's timeout could go unreported */
	NL_LOSS_MAX = 4,
};

/* One failure, as carried by the ring buffer. Addresses are in network
 * order, ports in host order, errors positive errno values (0: none). */
struct nl_event {
	unsigned long long ts_ns;     /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	unsigned long long cgroup_id; /* owner's cgroup v2 id, 0 unknown */
	unsigned int pid;             /* owner's thread-group id */
	unsigned int tid;             /* owner's thread id */
	unsigned int ifindex;         /* device, for neighbour failures */
	unsigned int reason;          /* reset reason (enum sk_rst_reason) */
	int err;                      /* errno, positive; 0 none */
	unsigned short family;        /* AF_INET, AF_INET6, 0 unknown */
	unsigned short sport;
	unsigned short dport;
	unsigned char kind;           /* enum nl_kind */
	unsigned char flags;          /* enum nl_flag */
	unsigned char saddr[16];
	unsigned char daddr[16];
	char comm[NL_COMM_LEN];
	char dev[NL_IFNAME_LEN];
};

/* dns_error and tls_error: an event plus the name asked for. Records of
 * these kinds are this size in the ring buffer; all others are nl_event. */
struct nl_host_event {
	struct nl_event ev;
	char host[NL_HOST_LEN];   /* text, or wire format with NL_F_WIRE_NAME */
};

/* A DNS query sent on a UDP socket and not yet answered, in nl_dns_pending:
 * user space sweeps the map and reports queries older than its timeout.
 * The value is the nl_host_event to report (kind, owner, addresses, name,
 * ts_ns = when the query was first sent). */
struct nl_dns_key {
	unsigned long long sk;    /* the socket's kernel address */
	unsigned int id;          /* the query's DNS id */
	unsigned int pad;
};

/* Key of the per-CPU exact counters: one per (process, kind, errno). */
struct nl_count_key {
	unsigned int pid;
	unsigned int kind;
	int err;
};

#endif /* NETLADDER_H */
