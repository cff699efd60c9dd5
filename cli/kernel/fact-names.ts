// What rcuwalk looks up in a kernel: the functions (in kallsyms, BTF and tracefs), the config keys, the BTF enums
// and struct members. The live gatherer (gather-facts.ts) and a recorded folder (facts-folder.ts) hold these.
import { TARGET_FUNCTIONS } from '../facts/target-functions.js';
import { RT_SPIN_LOCK } from './preempt-rt.js';

/** Callers of lockref_get_not_dead scanned for call sites (callsite strategy). */
export const LOCKREF_CALLERS = ['try_to_unlazy_next', 'unlazy_child', '__legitimize_path', 'legitimize_path', 'd_alloc_parallel'] as const;
/** The function LOOKUP_RCU is read from first: it opens with `if (flags & LOOKUP_RCU) return -ECHILD;`. */
export const LOOKUP_RCU_REVALIDATE = 'proc_misc_d_revalidate';
export const FACT_FUNCTIONS: readonly string[] = [...new Set<string>([...TARGET_FUNCTIONS, ...LOCKREF_CALLERS, LOOKUP_RCU_REVALIDATE, RT_SPIN_LOCK])];
export const CONFIG_KEYS = [
  'CONFIG_KPROBES', 'CONFIG_KPROBE_EVENTS', 'CONFIG_KPROBE_EVENTS_ON_NOTRACE', 'CONFIG_KRETPROBES', 'CONFIG_BPF_EVENTS',
  'CONFIG_BPF_SYSCALL', 'CONFIG_BPF_JIT', 'CONFIG_DEBUG_INFO_BTF', 'CONFIG_FTRACE', 'CONFIG_FUNCTION_TRACER',
  'CONFIG_DYNAMIC_FTRACE', 'CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS', 'CONFIG_FPROBE', 'CONFIG_TRACEPOINTS',
  'CONFIG_PROC_KCORE', 'CONFIG_LOCKDEP', 'CONFIG_LOCK_STAT', 'CONFIG_SECURITY_LOCKDOWN_LSM', 'CONFIG_X86_KERNEL_IBT',
  'CONFIG_CALL_PADDING', 'CONFIG_FUNCTION_ALIGNMENT', 'CONFIG_QUEUED_SPINLOCKS', 'CONFIG_ARCH_USE_CMPXCHG_LOCKREF', 'CONFIG_PREEMPT_RCU',
  'CONFIG_PREEMPT_RT',
] as const;
export const ENUM_NAMES = ['LOOKUP_RCU'] as const;
export const STRUCT_MEMBERS = [['nameidata', 'flags']] as const;
