/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Architecture differences, in one place: the numbers of the syscalls whose
 * arguments the DNS programs read from the caller's saved registers. The
 * build targets x86-64 (-D__TARGET_ARCH_x86); another architecture needs its
 * own numbers here (arm64: read 63, write 64, readv 65, writev 66,
 * sendto 206, recvfrom 207, sendmsg 211, recvmsg 212, recvmmsg 243,
 * sendmmsg 269).
 */
#ifndef NETLADDER_ARCH_H
#define NETLADDER_ARCH_H

#if defined(__TARGET_ARCH_x86)
#define NL_NR_read 0
#define NL_NR_write 1
#define NL_NR_readv 19
#define NL_NR_writev 20
#define NL_NR_sendto 44
#define NL_NR_recvfrom 45
#define NL_NR_sendmsg 46
#define NL_NR_recvmsg 47
#define NL_NR_recvmmsg 299
#define NL_NR_sendmmsg 307
#else
#error "netladder: syscall numbers for this architecture are missing in bpf/arch.h"
#endif

#endif /* NETLADDER_ARCH_H */
