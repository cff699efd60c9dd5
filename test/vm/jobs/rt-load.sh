#!/bin/sh
# The PREEMPT_RT kernel's workload (run-matrix.sh label rt: rcuwalk capture --cmd /tmp/job/rt-load.sh --parallel 4):
# one `ps -fe` (pid_revalidate under LOOKUP_RCU), then 2000 opens of /proc/version. Each open ends its RCU walk in
# complete_walk -> try_to_unlazy -> __legitimize_path -> lockref_get_not_dead on that one dentry; on RT its
# spinlock_t is a sleeping rt lock (and lockref has no cmpxchg fast path there), so 4 workers on 2 vCPUs wait on it:
# contention_begin with LCB_F_RT, lockref_get_not_dead in the stack. With ps alone a 10 s run saw 1 such wait (68 ms); with ps + 200 opens, 1 (0.1 ms): contention on one dentry needs a vCPU to lose its host CPU while it holds the lock.
TZ=/etc/localtime ps -fe > /dev/null
i=0
while [ $i -lt 2000 ]; do : < /proc/version; i=$((i + 1)); done
