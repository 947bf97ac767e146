/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Certificate verification failures in OpenSSL. */
#ifndef NETLADDER_TLS_H
#define NETLADDER_TLS_H

#include "emit.h"
#include "owner.h"

/*
 * Every client we looked at asks OpenSSL for the verdict on the server's
 * certificate with SSL_get_verify_result(): curl and Node after each
 * handshake, Python and `openssl s_client` when one fails or finishes. A
 * non-zero result (X509_V_ERR_*) is the failure; it is reported once per
 * connection (SSL object), however often the client asks. The name comes
 * from the SNI the client set (SSL_ctrl SSL_CTRL_SET_TLSEXT_HOSTNAME);
 * SSL_free forgets the connection. The same programs attach to libssl.so.3
 * and to Node's statically linked copy. Nothing here writes to the
 * process: the probes only read.
 */

#define SSL_CTRL_SET_TLSEXT_HOSTNAME 55

struct tls_key {
	__u64 ssl;
	__u32 pid;
	__u32 pad;
};

struct tls_conn {
	__s32 reported; /* the verify result already reported, 0 none */
	__u32 pad;
	char host[NL_HOST_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct tls_key);
	__type(value, struct tls_conn);
} nl_tls SEC(".maps");

/* SSL_get_verify_result() calls under way: thread -> SSL object. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} nl_tls_call SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tls_conn);
} nl_tls_scratch SEC(".maps");

static __always_inline struct tls_key tls_key_of(const void *ssl)
{
	struct tls_key k = { .ssl = (__u64)ssl, .pid = bpf_get_current_pid_tgid() >> 32 };

	return k;
}

SEC("uprobe")
int BPF_KPROBE(nl_ssl_ctrl, void *ssl, int cmd, long larg, const char *parg)
{
	struct tls_key k;
	struct tls_conn *c;
	__u32 zero = 0;

	if (cmd != SSL_CTRL_SET_TLSEXT_HOSTNAME || larg != 0 || !ssl || !parg)
		return 0;
	c = bpf_map_lookup_elem(&nl_tls_scratch, &zero);
	if (!c)
		return 0;
	c->reported = 0;
	c->host[0] = 0;
	bpf_probe_read_user_str(c->host, sizeof(c->host), parg);
	k = tls_key_of(ssl);
	bpf_map_update_elem(&nl_tls, &k, c, BPF_ANY);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(nl_ssl_free, void *ssl)
{
	struct tls_key k = tls_key_of(ssl);

	bpf_map_delete_elem(&nl_tls, &k);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(nl_ssl_verify_enter, void *ssl)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 p = (__u64)ssl;

	bpf_map_update_elem(&nl_tls_call, &tid, &p, BPF_ANY);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(nl_ssl_verify_exit, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), zero = 0;
	struct nl_host_event *e;
	struct tls_conn *c;
	struct tls_key k;
	__u64 *ssl;

	ssl = bpf_map_lookup_elem(&nl_tls_call, &tid);
	if (!ssl)
		return 0;
	k = tls_key_of((void *)*ssl);
	bpf_map_delete_elem(&nl_tls_call, &tid);
	if (ret == 0) /* X509_V_OK */
		return 0;
	c = bpf_map_lookup_elem(&nl_tls, &k);
	if (c && c->reported == (__s32)ret)
		return 0;
	e = begin_current_sized(NL_TLS_ERROR, (__s32)ret, 0, sizeof(*e));
	if (e) {
		if (c)
			bpf_probe_read_kernel(e->host, sizeof(e->host), c->host);
		finish_sized(e, sizeof(*e));
	}
	if (c) {
		c->reported = (__s32)ret;
		return 0;
	}
	/* No name was set (a connection by address): remember the report. */
	c = bpf_map_lookup_elem(&nl_tls_scratch, &zero);
	if (!c)
		return 0;
	c->reported = (__s32)ret;
	c->host[0] = 0;
	bpf_map_update_elem(&nl_tls, &k, c, BPF_ANY);
	return 0;
}

#endif /* NETLADDER_TLS_H */
