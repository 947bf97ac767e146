#!/usr/bin/env bash
# Builds the initramfs that boots an extracted Debian kernel into this host's
# root filesystem: initramfs.sh KERNEL_DIR  →  prints the image's path.
# It holds busybox, init.sh as /init, and the kernel's own modules for the
# virtio PCI bus, 9p over virtio and overlayfs, decompressed and listed in
# load order. Rebuilt only when init.sh or this script is newer than it.
set -euo pipefail

dir=$1
here=$(cd "$(dirname "$0")" && pwd)
version=$(ls "$dir/lib/modules")
image=$dir/initramfs.cpio.gz
# What the guest needs before it can see the host's files; dependencies
# (virtio, virtio_ring, virtio_pci_*_dev, netfs, fscache) come from modules.dep.
MODULES=(virtio_pci 9pnet_virtio 9p overlay)

if [ -f "$image" ] && [ "$image" -nt "$here/init.sh" ] && [ "$image" -nt "$0" ]; then
  echo "$image"
  exit 0
fi

# The package ships no modules.dep (its postinst makes it): make it in the
# extracted tree, which is also the guest's /lib/modules for later modprobes.
[ -f "$dir/lib/modules/$version/modules.dep" ] || depmod -b "$dir" "$version"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,mnt,modules}
cp /bin/busybox "$root/bin/busybox"
install -m 0755 "$here/init.sh" "$root/init"

: > "$root/modules/order"
for m in "${MODULES[@]}"; do
  modprobe -d "$dir" -S "$version" --show-depends "$m" | while read -r what path _; do
    [ "$what" = insmod ] || continue # builtin in this kernel
    name=$(basename "$path"); name=${name%.xz}; name=${name%.zst}
    grep -qx "$name" "$root/modules/order" && continue
    case "$path" in
      *.xz) xz -dc "$path" > "$root/modules/$name" ;;
      *.zst) zstd -qdc "$path" > "$root/modules/$name" ;;
      *) cp "$path" "$root/modules/$name" ;;
    esac
    echo "$name" >> "$root/modules/order"
  done
done

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$image.tmp"
mv "$image.tmp" "$image"
echo "$image"
