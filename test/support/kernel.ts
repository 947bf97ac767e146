// Kernel tests run as root on a kernel with BTF. Elsewhere they skip, unless
// NETLADDER_REQUIRE_BPF=1 (CI), where they must run and fail loudly.
import { existsSync } from 'node:fs';
import { describe } from 'vitest';

export const required = process.env.NETLADDER_REQUIRE_BPF === '1';
export const canLoadBpf = process.getuid?.() === 0 && existsSync('/sys/kernel/btf/vmlinux');
export const describeKernel = canLoadBpf || required ? describe : describe.skip;
