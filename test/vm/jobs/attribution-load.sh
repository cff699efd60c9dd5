#!/bin/bash
# attribution-load.sh ps|all: the workloads of the attribution prototype (test/vm/jobs/attribution.sh), each a phase of
# PHASE_SECS seconds with WORKERS parallel loops of shell builtins (no fork per iteration but in `ps`: exec'ing
# binaries walks the 9p-shared /usr, whose v9fs_lookup_revalidate refuses RCU mode, so the other phases stay on
# procfs, sysfs and a tmpfs). Each phase starts with `kill -0 $((PHASE_BASE + n))` (no such process: the prototype's
# find_vpid kprobe prints `rcuwalk-phase n` and flushes its maps). Prints one line per phase:
#   phase <n> <name> start <uptime> end <uptime> runs <loops completed> cpu0 <cpu line before> cpu1 <cpu line after>
# Phases: 1 ps (TZ=/etc/localtime ps -fe, BALLAST sleeping processes), 2 fd-open (open "9" in /proc/<pid>/fd:
# tid_fd_revalidate), 3 fd-readlinkat (perl: readlinkat(dirfd of /proc/self/fd, "0"), if perl is there),
# 4 ns-stat (stat /proc/self/ns/mnt: proc_ns_get_link), 5 symlinks (stat through 3 nested symlinks on a strictatime
# tmpfs: atime), 6 creat (O_CREAT|O_APPEND open on tmpfs), 7 enotdir (stat tmpfs/file/x), 8 sysfs (stat a sysfs file:
# kernfs), 9 tracefs (stat below the tracefs mount on debugfs).
set -u
PHASE_BASE=9990000
SECS=${PHASE_SECS:-6} N=${WORKERS:-2} BALLAST=${BALLAST:-100}
T=${ATTR_DIR:-/run/attr}
up() { local u; read -r u _ < /proc/uptime; echo "$u"; }
cpu() { head -1 /proc/stat | tr -s ' ' | cut -d' ' -f2-; }

setup() {
  mkdir -p $T && { mountpoint -q $T || mount -t tmpfs -o strictatime,mode=0755 attr $T; }
  mkdir -p $T/d1/d2/d3 && echo x > $T/d1/d2/d3/f
  ln -sfn d1/d2 $T/l1; ln -sfn l1/d3 $T/l2; ln -sfn $T/l2/f $T/l3
}

# loop INIT BODY: N workers run INIT once, then BODY until SECS have passed; prints the loops completed
loop() {
  local init=$1 body=$2 i pids=() files=()
  for i in $(seq 1 "$N"); do
    local f=/run/attr-count.$i; files+=("$f")
    ( eval "$init"; end=$((SECONDS + SECS)); n=0; while [ $SECONDS -lt $end ]; do eval "$body"; n=$((n + 1)); done; echo $n > "$f" ) 2>/dev/null &
    pids+=($!)
  done
  wait "${pids[@]}"
  cat "${files[@]}" | awk '{s+=$1} END {print s+0}'
  rm -f "${files[@]}"
}

phase() {
  local n=$1 name=$2 body=$3 init=${4:-:} t0 c0 runs
  kill -0 $((PHASE_BASE + n)) 2>/dev/null
  t0=$(up); c0=$(cpu)
  runs=$(loop "$init" "$body")
  echo "phase $n $name start $t0 end $(up) runs $runs cpu0 $c0 cpu1 $(cpu)"
}

setup
ballast=()
for i in $(seq 1 "$BALLAST"); do sleep 100000 & ballast+=($!); done
phase 1 ps 'TZ=/etc/localtime ps -fe > /dev/null'
kill "${ballast[@]}" 2>/dev/null; wait "${ballast[@]}" 2>/dev/null
[ "${1:-all}" = ps ] && exit 0

phase 2 fd-open ': < 9' 'exec 9</dev/null; cd /proc/$BASHPID/fd'
if command -v perl >/dev/null; then
  case $(uname -m) in x86_64) NR=267 ;; aarch64) NR=78 ;; esac
  kill -0 $((PHASE_BASE + 3)) 2>/dev/null
  t0=$(up); c0=$(cpu)
  pids=()
  for i in $(seq 1 "$N"); do
    perl -MPOSIX -e 'my $fd = POSIX::open("/proc/self/fd", 0) // die; my $p = "0"; my $b = "\0" x 256; my $n = 0; my $end = time + $ARGV[1];
             while (time < $end) { for (1..200) { syscall($ARGV[0], $fd, $p, $b, 256); $n++ } } print "$n\n";' $NR "$SECS" > /run/attr-perl.$i &
    pids+=($!)
  done
  wait "${pids[@]}"
  echo "phase 3 fd-readlinkat start $t0 end $(up) runs $(cat /run/attr-perl.* | awk '{s+=$1} END {print s+0}') cpu0 $c0 cpu1 $(cpu)"
  rm -f /run/attr-perl.*
fi
phase 4 ns-stat '[ -e /proc/self/ns/mnt ]'
phase 5 symlinks "[ -e $T/l3 ]"
phase 6 creat ": >> $T/log.\$BASHPID"
phase 7 enotdir "[ -e $T/d1/d2/d3/f/x ]"
phase 8 sysfs '[ -e /sys/kernel/mm/transparent_hugepage/enabled ]'
phase 9 tracefs '[ -e /sys/kernel/debug/tracing/README ]'
kill -0 $((PHASE_BASE + 99)) 2>/dev/null
