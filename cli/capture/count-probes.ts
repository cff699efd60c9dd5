// How many probes bpftrace will report attached for a script: every attach point of every top-level block.
// (bpftrace counts BEGIN/END and interval probes too.) Wildcards are not used in generated scripts.

function stripComments(script: string): string {
  return script.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

export function countAttachPoints(script: string): number {
  const text = stripComments(script);
  let depth = 0;
  let header = '';
  let count = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      if (depth === 0) header += ch;
      continue;
    }
    if (ch === '"') { inString = true; if (depth === 0) header += ch; continue; }
    if (ch === '{') {
      if (depth === 0) {
        // drop a predicate /.../ then count comma-separated attach points
        const points = header.replace(/\/[^/]*\/\s*$/, '').trim();
        if (points) count += points.split(',').filter((p) => p.trim() !== '').length;
        header = '';
      }
      depth++;
    } else if (ch === '}') {
      depth--;
    } else if (depth === 0) {
      header += ch;
    }
  }
  return count;
}
