// A small reader of the Prometheus text format and OpenMetrics for tests: samples by name and labels.
export interface Sample { name: string; labels: Record<string, string>; value: number }
export interface Parsed { samples: Sample[]; types: Map<string, string>; helps: Map<string, string>; eof: boolean }

export function parseExposition(text: string): Parsed {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  let eof = false;
  for (const line of text.split('\n')) {
    if (line === '# EOF') { eof = true; continue; }
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) { (meta[1] === 'TYPE' ? types : helps).set(meta[2]!, meta[3]!); continue; }
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unreadable sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: m[3] === '+Inf' ? Infinity : Number(m[3]) });
  }
  return { samples, types, helps, eof };
}

export function pick(p: Parsed, name: string, labels: Record<string, string> = {}): Sample[] {
  return p.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}
