// Reading bpftrace map key texts: "3" (a cpu), "<kstack text>,3" (stack and cpu), "caller+0x1f" (a call site).
// 0.17 prints a kstack key with its frames indented ("\n    f+1\n    g+2\n"); 0.24 prints tuple keys with
// spaces removed ("\nf+1\ng+2\n,3"). Both read the same.

/** A key that is a cpu number, else null. */
export function cpuKey(key: string): number | null {
  // hot path (every per-CPU entry of every interval): digits only, no regex, no trim unless needed
  let n = 0;
  if (key.length === 0 || key.length > 9) return key.length > 9 && key.trim() !== key ? cpuKey(key.trim()) : null;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return key.trim() !== key ? cpuKey(key.trim()) : null;
    n = n * 10 + c;
  }
  return n;
}

/** Frames of a kstack text: lines, trimmed, empty ones dropped. */
export function stackFrames(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim();
    if (f) out.push(f);
  }
  return out;
}

/** "<stack>,<cpu>" -> stack text and cpu (split at the last comma). null if the tail is not a cpu. */
export function stackCpuKey(key: string): { stack: string; cpu: number } | null {
  const i = key.lastIndexOf(',');
  if (i < 0) return null;
  const cpu = cpuKey(key.slice(i + 1));
  if (cpu === null) return null;
  return { stack: key.slice(0, i), cpu };
}

/** A canonical text for a stack (frames joined by "\n"), so 0.17 and 0.24 spellings of one stack are one key. */
export function canonicalStack(text: string): string {
  return stackFrames(text).join('\n');
}

/** Whether a frame is the given function ("fn+93", "fn+0x5d/0x90", "fn", "fn.isra.0+4"). */
export function frameIs(frame: string, fn: string): boolean {
  if (!frame.startsWith(fn)) return false;
  const next = frame.charAt(fn.length);
  return next === '' || next === '+' || next === '.' || next === ' ';
}

export function stackHolds(frames: readonly string[], fn: string): boolean {
  return frames.some((f) => frameIs(f, fn));
}
