#!/bin/bash
# mkroot-arm64.sh: the arm64 guest's userland, made once and cached in $RCUWALK_VM_CACHE/arm64/root:
# a Debian trixie arm64 minbase (nodejs 20, bpftrace 0.23, procps, kmod, busybox-static for the initramfs)
# by debootstrap, its second stage run through binfmt + qemu-user-static. ~4 min, ~680 MB; reused while
# $RCUWALK_VM_CACHE/arm64/root/.rcuwalk-root names the same package list (REFRESH=1 remakes it).
# trixie, not bullseye/bookworm: rcuwalk needs node >= 20. The kernels' configs are copied to its /boot.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
SUITE=trixie PKGS=nodejs,bpftrace,procps,kmod,busybox-static
STAMP="$SUITE $PKGS"
MIRROR=${MIRROR:-http://deb.debian.org}
if [ "${REFRESH:-0}" != 1 ] && [ "$(cat "$ARM64_ROOT/.rcuwalk-root" 2>/dev/null)" = "$STAMP" ]; then
  vmlog "arm64 root cached: $ARM64_ROOT"; exit 0
fi
[ "$(id -u)" = 0 ] || vmdie "mkroot-arm64.sh needs root (debootstrap)"
ensure_cmds debootstrap:debootstrap qemu-aarch64-static:qemu-user-static update-binfmts:binfmt-support
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc ||
    vmdie "cannot mount binfmt_misc (needed to run the arm64 second stage)"
  update-binfmts --enable qemu-aarch64 || vmdie "update-binfmts --enable qemu-aarch64 failed"
fi
T=$ARM64_ROOT.tmp
rm -rf "$T"; mkdir -p "$(dirname "$T")"
t0=$(now_ms)
vmlog "debootstrap --arch=arm64 $SUITE into $T (a few minutes)"
timeout 1800 debootstrap --arch=arm64 --variant=minbase --include="$PKGS" "$SUITE" "$T" "$MIRROR/debian" > "$T.log" 2>&1 ||
  { tail -20 "$T.log" >&2; vmdie "debootstrap failed (log: $T.log)"; }
echo "$STAMP" > "$T/.rcuwalk-root"
rm -rf "$ARM64_ROOT"; mv "$T" "$ARM64_ROOT"
vmlog "arm64 root ready in $(( ($(now_ms) - t0) / 1000 ))s: $(du -sh "$ARM64_ROOT" | cut -f1), node $(chroot "$ARM64_ROOT" node --version)"
