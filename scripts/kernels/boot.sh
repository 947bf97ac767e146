#!/usr/bin/env bash
# Boots an extracted kernel under QEMU with this host's root shared read-only
# and runs checks.sh inside: boot.sh KERNEL_DIR OUT_DIR. The guest writes its
# results to OUT_DIR (console.log is the serial console); the exit status is
# the guest's, or 124 when it ran out of time.
set -euo pipefail

kdir=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
timeout_s=${NETLADDER_GUEST_TIMEOUT:-600}
mkdir -p "$out"
rm -f "$out/exit-code"

initrd=$(bash "$here/initramfs.sh" "$kdir")
vmlinuz=$(ls "$kdir"/boot/vmlinuz-*)

# TCG: /dev/kvm here is a nested hypervisor that cannot run a stock kernel.
# No network device: guest traffic stays on its own loopback and namespaces.
status=0
timeout --kill-after=10 "$timeout_s" qemu-system-x86_64 \
  -accel tcg -smp 2 -m 3G -nographic -no-reboot -nic none \
  -kernel "$vmlinuz" -initrd "$initrd" \
  -append "console=ttyS0 panic=-1 quiet loglevel=4 nlk.script=$here/guest.sh nlk.args=$kdir,$repo" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -virtfs "local,path=$out,mount_tag=results,security_model=none" \
  < /dev/null > "$out/console.log" 2>&1 || status=$?
[ "$status" -eq 0 ] || exit "$status"
[ -f "$out/exit-code" ] || { echo "kernels: the guest stopped before its checks ended; see $out/console.log" >&2; exit 3; }
exit "$(cat "$out/exit-code")"
