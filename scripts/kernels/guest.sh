#!/bin/bash
# PID 1 of the guest once the host's root is mounted (init.sh hands over):
# the mounts a BPF monitor and the kernel tests expect, the kernel's own
# modules as /lib/modules, then checks.sh with its output on the writable
# "results" share, then power off. Usage: guest.sh KERNEL_DIR REPO
kdir=$1
repo=$2
# init.sh's PATH is its own busybox; here the host's tools are wanted.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t tmpfs run /run
# A fresh /tmp, unless the checkout itself lives there (CI clones anywhere):
# the overlay's tmpfs already makes the host's /tmp writable.
case "$repo" in
  /tmp/*) ;;
  *) mount -t tmpfs tmp /tmp ;;
esac
mkdir -p /dev/pts /dev/shm /results /lib/modules
mount -t devpts devpts /dev/pts
mount -t tmpfs shm /dev/shm
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug
mount -t bpf bpf /sys/fs/bpf
mount -t cgroup2 cgroup2 /sys/fs/cgroup
# modprobe (by iproute2, iptables, the kernel itself) finds this kernel's
# modules, not the host's.
mount --bind "$kdir/lib/modules" /lib/modules
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 results /results
ip link set lo up
hostname netladder-guest

cd "$repo" && bash scripts/kernels/checks.sh /results > /results/checks.log 2>&1
echo $? > /results/exit-code
sync
umount /results
# Power off at once (busybox-static, see setup.sh); should it be missing,
# PID 1 exiting panics and panic=-1 ends QEMU all the same.
/bin/busybox poweroff -f
