// The kernel functions behind rcuwalk's targets, by the names they have had. Symbols are chosen from /proc/kallsyms
// and BTF by these names, never from the kernel version.

/** the lockref target; also the frame a contention stack must hold to count as lockref spin */
export const LOCKREF_SYMBOL = 'lockref_get_not_dead';
