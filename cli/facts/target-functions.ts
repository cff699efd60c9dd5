// The kernel functions behind rcuwalk's targets, by the names they have had (newest first). Symbols are chosen from
// /proc/kallsyms and BTF by these names, never from the kernel version.

/** the unlazy_next target (older kernels: unlazy_child) */
export const UNLAZY_NEXT_NAMES = ['try_to_unlazy_next', 'unlazy_child'] as const;
/** the unlazy target (older kernels: unlazy_walk) */
export const UNLAZY_NAMES = ['try_to_unlazy', 'unlazy_walk'] as const;
/** the lockref target; also the frame a contention stack must hold to count as lockref spin */
export const LOCKREF_SYMBOL = 'lockref_get_not_dead';

/** Every target function: their symbols, BTF protos and traceability are always gathered. */
export const TARGET_FUNCTIONS = ['pid_revalidate', ...UNLAZY_NEXT_NAMES, ...UNLAZY_NAMES, LOCKREF_SYMBOL] as const;
