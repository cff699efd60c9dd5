#!/bin/bash
# mkinitramfs.sh <kroot> <kver> <out.cpio.gz>
# A tiny initramfs: busybox-static, the virtio/9p modules of that kernel (with their
# dependencies, decompressed) and initramfs-init as /init. ~1.5 MB, about a second.
# arm64 kernels (*-arm64) get the arm64 busybox of the arm64 root (mkroot-arm64.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -eq 3 ] || vmdie "usage: mkinitramfs.sh <kroot> <kver> <out.cpio.gz>"
KROOT=$1 KVER=$2 OUTF=$3
ensure_cmds cpio:cpio modprobe:kmod xz:xz-utils zstd:zstd gzip:gzip
# the initramfs has no libc: it needs busybox-static (Debian's plain busybox is dynamically linked)
if [ "$(kernel_arch "$KVER")" = arm64 ]; then
  BUSYBOX=$ARM64_ROOT/usr/bin/busybox
  [ -x "$BUSYBOX" ] || vmdie "no arm64 busybox at $BUSYBOX (run test/vm/mkroot-arm64.sh)"
else
  dpkg -s busybox-static >/dev/null 2>&1 || ensure_cmds /nonexistent/busybox-static:busybox-static
  BUSYBOX=/bin/busybox
  [ -x "$BUSYBOX" ] || vmdie "no $BUSYBOX after installing busybox-static"
fi
if command -v ldd >/dev/null && ldd "$BUSYBOX" >/dev/null 2>&1; then vmdie "$BUSYBOX is dynamically linked: apt-get install -y busybox-static"; fi
[ -d "$KROOT/lib/modules/$KVER" ] || vmdie "no $KROOT/lib/modules/$KVER (run test/vm/fetch-kernels.sh)"
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
mkdir -p "$W"/{bin,dev,proc,sys,newroot,lib/modules}
cp "$BUSYBOX" "$W/bin/busybox"
: > "$W/modules.order"
for m in virtio_pci virtio_rng 9pnet_virtio 9p; do
  modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" 2>/dev/null ||
    vmlog "mkinitramfs: $KVER: module $m not found (built in?)"
done | awk '$1=="insmod"{print $2}' | awk '!seen[$0]++' |
  while read -r ko; do
    b=$(basename "$ko"); b=${b%.xz}; b=${b%.zst}; b=${b%.gz}
    case "$ko" in
      *.xz)  xz -dc "$ko"   > "$W/lib/modules/$b" ;;
      *.zst) zstd -qdc "$ko" > "$W/lib/modules/$b" ;;
      *.gz)  gzip -dc "$ko" > "$W/lib/modules/$b" ;;
      *)     cp "$ko" "$W/lib/modules/$b" ;;
    esac
    echo "$b" >> "$W/modules.order"
  done
cp "$VM_DIR/initramfs-init" "$W/init"; chmod +x "$W/init"
mkdir -p "$(dirname "$OUTF")"
(cd "$W" && find . | cpio -o -H newc --quiet | gzip -1) > "$OUTF.tmp" && mv "$OUTF.tmp" "$OUTF"
vmlog "initramfs $OUTF ($(du -h "$OUTF" | cut -f1)): $(tr '\n' ' ' < "$W/modules.order")"
