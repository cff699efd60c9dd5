#!/bin/bash
# boot.sh <kver> <jobdir> [timeout-seconds]
# Boots $RCUWALK_VM_CACHE/kernels/<kver> under qemu TCG (-smp 2, thread=multi) with the
# host's / shared read-only over 9p and <jobdir> as the writable job share (mounted at
# /tmp/job in the guest). <jobdir>/job.sh is run inside the guest by guest-init.sh.
# An arm64 kernel (*-arm64) boots under qemu-system-aarch64 (-M virt -cpu max) with the arm64
# root ($RCUWALK_VM_CACHE/arm64/root, mkroot-arm64.sh) as its / instead of the host's; the
# repository is shared at its host path on both (its dist/ and node_modules/ hold no native code).
# The console goes to <jobdir>/out/console.log. Exit status: the job's exit status, or
# 124 when qemu hit the timeout, or 125 when the guest ended without reporting one;
# on any failure the console tail is printed. qemu never outlives this script.
# Env: VM_SMP (2), VM_MEM (2G), VM_VERBOSE=1 (stream the console), VM_APPEND (extra cmdline).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -ge 2 ] || vmdie "usage: boot.sh <kver> <jobdir> [timeout-seconds]"
KVER=$1 JOB=$(cd "$2" && pwd) TMO=${3:-600}
KROOT=$RCUWALK_VM_CACHE/kernels/$KVER
[ -e "$KROOT/boot/vmlinuz-$KVER" ] || vmdie "no kernel $KROOT/boot/vmlinuz-$KVER (run test/vm/fetch-kernels.sh)"
[ -f "$JOB/job.sh" ] || vmdie "no $JOB/job.sh"
# the repository path goes on the kernel command line (initramfs-init mounts it there)
case "$REPO_ROOT" in *[[:space:]]*) vmdie "the repository path has white space ($REPO_ROOT): the guest cannot be told where it is; clone it elsewhere" ;; esac
ARCH=$(kernel_arch "$KVER")
if [ "$ARCH" = arm64 ]; then
  ensure_cmds qemu-system-aarch64:qemu-system-arm timeout:coreutils
  [ -x "$ARM64_ROOT/usr/bin/node" ] || vmdie "no arm64 root at $ARM64_ROOT (run test/vm/mkroot-arm64.sh)"
  QEMU=(qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on) CONSOLE=ttyAMA0 GUEST_ROOT=$ARM64_ROOT
else
  ensure_cmds qemu-system-x86_64:qemu-system-x86 timeout:coreutils
  QEMU=(qemu-system-x86_64 -cpu max) CONSOLE=ttyS0 GUEST_ROOT=/
fi
INITRD=$RCUWALK_VM_CACHE/initrd/$KVER.cpio.gz
if [ ! -s "$INITRD" ] || [ "$INITRD" -ot "$VM_DIR/initramfs-init" ] || [ "$INITRD" -ot "$VM_DIR/mkinitramfs.sh" ]; then
  "$VM_DIR/mkinitramfs.sh" "$KROOT" "$KVER" "$INITRD" || vmdie "mkinitramfs failed for $KVER"
fi
cp "$VM_DIR/guest-init.sh" "$JOB/guest-init.sh"
mkdir -p "$JOB/out"; rm -f "$JOB/out/status"
LOG=$JOB/out/console.log; : > "$LOG"

QPID=
cleanup() {
  if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then
    vmlog "[$KVER] stopping qemu (pid $QPID)"; kill "$QPID" 2>/dev/null; sleep 1
    kill -9 "$QPID" 2>/dev/null
  fi
  [ -n "${TAILPID:-}" ] && kill "$TAILPID" 2>/dev/null
  QPID=
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

t0=$(now_ms)
timeout -k 10 "$TMO" "${QEMU[@]}" \
  -accel tcg,thread=multi -smp "${VM_SMP:-2}" -m "${VM_MEM:-2G}" \
  -nodefaults -no-user-config -display none -serial stdio -no-reboot \
  -kernel "$KROOT/boot/vmlinuz-$KVER" -initrd "$INITRD" \
  -append "console=$CONSOLE rdinit=/init panic=-1 oops=panic mitigations=off loglevel=4 rcuwalk_repo=$REPO_ROOT ${VM_APPEND:-}" \
  -virtfs "local,path=$GUEST_ROOT,mount_tag=rootfs,security_model=none,readonly=on,multidevs=remap" \
  -virtfs "local,path=$REPO_ROOT,mount_tag=repo,security_model=none,readonly=on,multidevs=remap" \
  -virtfs "local,path=$JOB,mount_tag=job,security_model=none,multidevs=remap" \
  -device virtio-rng-pci </dev/null >"$LOG" 2>&1 &
QPID=$!
if [ "${VM_VERBOSE:-0}" = 1 ]; then tail -n +1 -f --pid="$QPID" "$LOG" & TAILPID=$!; fi
wait "$QPID"; qrc=$?; QPID=
[ -n "${TAILPID:-}" ] && { sleep 0.3; kill "$TAILPID" 2>/dev/null; wait "$TAILPID" 2>/dev/null; TAILPID=; }
ms=$(( $(now_ms) - t0 ))
rc=$(cat "$JOB/out/status" 2>/dev/null || echo 125)
[ "$qrc" = 124 ] && rc=124
vmlog "[$KVER] qemu exit=$qrc job exit=$rc wall=$((ms/1000)).$(printf %03d $((ms%1000)))s"
echo "$ms" > "$JOB/out/wall-ms"
if [ "$rc" != 0 ]; then
  [ "$qrc" = 124 ] && vmlog "[$KVER] qemu killed after the ${TMO}s timeout"
  vmlog "[$KVER] console tail ($LOG):"
  tail -n 40 "$LOG" | sed 's/^/    | /' >&2
fi
exit "$rc"
