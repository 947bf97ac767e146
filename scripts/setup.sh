#!/usr/bin/env bash
# Sets up netladder on a fresh Debian machine, as root: system packages, npm
# packages, the native addon with its BPF programs, and the TypeScript.
# Safe to run again: it installs only what is missing and rebuilds only what
# changed.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  say "run me as root: netladder loads BPF programs and installs system packages"
  exit 3
fi

# Build: clang and bpftool compile the BPF programs and their skeleton;
# cmake, g++ and libbpf build the addon. Run time and tests: iproute2,
# iptables, nftables and dnsmasq-base build the faulty networks the kernel
# tests need; bpftrace is the independent oracle; tmux drives `top`;
# prometheus scrapes `serve` in its test; libbpf-tools is a peer in bench/;
# dig (bind9-dnsutils), curl and openssl are the DNS and TLS clients of the
# tests, and openssl makes their certificates; musl-tools builds a test
# client on musl's C library; redis-tools' redis-cli is a real client that
# learns a refused connect by calling connect() again (hiredis); nginx-light
# is a real pre-fork server whose workers close idle keep-alive connections;
# libcap2-bin's capsh runs the tests' non-root user with exactly the
# documented capabilities. The kernel matrix (scripts/kernels/) boots Debian
# kernels in qemu-system-x86 with busybox-static as the guest's first init,
# cpio to pack its initramfs, and kmod's depmod/modprobe to order the
# kernel's modules.
PACKAGES=(
  clang llvm libbpf-dev libelf-dev zlib1g-dev pkg-config cmake make g++ bpftool
  bpftrace iproute2 iptables nftables tcpdump dnsmasq-base openssl tmux
  prometheus python3 procps libbpf-tools bind9-dnsutils curl musl-tools redis-tools
  nginx-light libcap2-bin qemu-system-x86 busybox-static cpio kmod xz-utils wrk
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v node >/dev/null || ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  say "netladder needs Node.js 20 or later (found: $(node --version 2>/dev/null || echo none))"
  exit 3
fi

# npm ci only when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

say "building"
npm run --silent build >/dev/null
say "ready: $(node dist/cli/index.js --version) — try: npx netladder doctor"
