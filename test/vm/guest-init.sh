#!/bin/bash
# PID 1 in the guest after switch_root (the host's / read-only over 9p, bind-mounted
# into a tmpfs root; /tmp/job is the writable 9p job share). Prepares the tracing
# filesystems, runs /tmp/job/job.sh (bounded by JOB_TIMEOUT), writes its exit code to
# /tmp/job/out/status, and always powers off: if even that fails, PID 1 exits, the
# kernel panics, and panic=-1 with qemu's -no-reboot ends qemu.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=dumb
J=/tmp/job
poweroff_now() { sync; echo o > /proc/sysrq-trigger; sleep 20; }
trap poweroff_now EXIT
up() { local u; read -r u _ < /proc/uptime; echo "$u"; }
echo "rcuwalk-vm: guest-init start uptime=$(up)s kernel=$(uname -r) cpus=$(nproc)"
mkdir -p $J/out
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
for i in 0 1 2; do n=$(echo stdin stdout stderr | cut -d' ' -f$((i+1))); [ -e /dev/$n ] || ln -s /proc/self/fd/$i /dev/$n; done
hostname rcuwalk-guest 2>/dev/null
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
[ -d /sys/kernel/debug/tracing ] && ! mountpoint -q /sys/kernel/debug/tracing &&
  mount -t tracefs tracefs /sys/kernel/debug/tracing 2>/dev/null
mountpoint -q /sys/kernel/security || mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
mountpoint -q /dev/pts || { mkdir -p /dev/pts; mount -t devpts devpts /dev/pts; }
mountpoint -q /dev/shm || { mkdir -p /dev/shm; mount -t tmpfs tmpfs /dev/shm; }
ulimit -l unlimited
echo "rcuwalk-vm: guest mounts done uptime=$(up)s"
ulimit -n 65536 2>/dev/null
echo 1 > /proc/sys/kernel/sysrq 2>/dev/null
JOB_TIMEOUT=600
[ -f $J/params ] && . $J/params
rc=127
if [ -f $J/job.sh ]; then
  echo "rcuwalk-vm: job start uptime=$(up)s"
  timeout -k 5 "$JOB_TIMEOUT" bash $J/job.sh > >(tee $J/out/job.log) 2>&1
  rc=$?
  [ $rc = 124 ] && echo "rcuwalk-vm: job timed out after ${JOB_TIMEOUT}s"
else
  echo "rcuwalk-vm: no job.sh in the job share"
fi
echo "$rc" > $J/out/status
echo "rcuwalk-vm: job exit=$rc uptime=$(up)s"
sleep 0.2   # let tee drain
poweroff_now
