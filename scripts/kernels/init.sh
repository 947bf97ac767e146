#!/bin/busybox sh
# The guest's first process: loads the modules it needs to see the host,
# mounts the host's root read-only over 9p with a tmpfs overlay on top (the
# guest may write anywhere, the host sees none of it), then hands over to the
# checkout's guest.sh. Parameters come on the kernel command line:
# nlk.script=PATH (guest.sh on the host) and nlk.args=... (its arguments,
# comma-separated).
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev

fail() { echo "nlk-init: $*"; echo b > /proc/sysrq-trigger; }

for m in $(cat /modules/order); do
  insmod "/modules/$m" || fail "insmod $m failed"
done

script=; args=
for word in $(cat /proc/cmdline); do
  case "$word" in
    nlk.script=*) script=${word#nlk.script=} ;;
    nlk.args=*) args=${word#nlk.args=} ;;
  esac
done

mkdir -p /mnt/host /mnt/rw /mnt/root
# cache=loose: the host's files do not change under a run, and uncached 9p
# makes node's thousands of module reads several times slower.
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 hostroot /mnt/host || fail "9p mount failed"
mount -t tmpfs -o mode=0755 rw /mnt/rw
mkdir -p /mnt/rw/upper /mnt/rw/work
mount -t overlay overlay -o lowerdir=/mnt/host,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work /mnt/root || fail "overlay mount failed"
mount --move /proc /mnt/root/proc
mount --move /sys /mnt/root/sys
mount --move /dev /mnt/root/dev
exec switch_root /mnt/root /bin/bash "$script" $(echo "$args" | tr , ' ')
