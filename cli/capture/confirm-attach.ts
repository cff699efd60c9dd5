// "Attached" is measured: besides bpftrace's own attached_probes count, kprobes must show up in the kernel's
// kprobes/list (debugfs) for every symbol the script probes.
import type { TargetResolution } from '../schema/types.generated.js';

/** Kprobe symbols a script attaches to, with how many probes each (entry + return, call-site offsets). */
export function expectedKprobes(script: string): Map<string, number> {
  const want = new Map<string, number>();
  for (const m of script.matchAll(/\bk(?:ret)?probe:([A-Za-z_][A-Za-z0-9_.]*)(?:\+(\d+))?/g)) {
    want.set(m[1]!, (want.get(m[1]!) ?? 0) + 1);
  }
  return want;
}

/** PURE: symbols from `want` that kprobes/list text does not show often enough (empty: all present). */
export function missingKprobes(listText: string, want: Map<string, number>): string[] {
  const seen = new Map<string, number>();
  for (const line of listText.split('\n')) {
    // "ffffffff8177e180  k  pid_revalidate+0x0    [FTRACE]" / "...  r  pid_revalidate+0x0"
    const m = /^\S+\s+[kr]\s+([^\s+]+)\+/.exec(line.trim());
    if (m && !/\[DISABLED\]/.test(line)) seen.set(m[1]!, (seen.get(m[1]!) ?? 0) + 1);
  }
  return [...want].filter(([sym, n]) => (seen.get(sym) ?? 0) < n).map(([sym, n]) => `${sym} (${seen.get(sym) ?? 0} of ${n})`);
}

export function usesKprobes(resolution: readonly TargetResolution[]): boolean {
  return resolution.some((r) => r.strategy !== 'unavailable' && r.probe === 'kprobe');
}
