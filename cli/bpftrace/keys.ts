// Reading bpftrace map key texts: "3" (a cpu), "<kstack text>,3" (stack and cpu), "caller+0x1f" (a call site).
// Real [kstack(6), cpu] keys, as JSON.parse gives them (test/fixtures/bpftrace/contention-6.18*.ndjson):
//   0.17  frames on indented lines:            "\n    f+1\n    g+2\n,3"
//   0.23  the same escaped twice: a backslash and an n, not a newline, between frames: "\\n        f+1\\n        g+2\\n,3"
//   0.27  tuple keys with the spaces removed:  "\nf+1\ng+2\n,3"
// All read the same.

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

/** Frames of a kstack text: lines (a newline, or 0.23's backslash-n), trimmed, empty ones dropped. */
export function stackFrames(text: string): string[] {
  const out: string[] = [];
  // no kernel symbol holds a backslash: one followed by n is 0.23's escaped newline
  for (const line of text.split(text.includes('\\n') ? /\n|\\n/ : '\n')) {
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
function frameIs(frame: string, fn: string): boolean {
  if (!frame.startsWith(fn)) return false;
  const next = frame.charAt(fn.length);
  return next === '' || next === '+' || next === '.' || next === ' ';
}

export function stackHolds(frames: readonly string[], fn: string): boolean {
  return frames.some((f) => frameIs(f, fn));
}
