// Cross-checks a recorded layout (dump-layout.js) against bpftrace's own BTF reading: `offsetof` (bpftrace 0.18+;
// member paths 0.23+) and `sizeof`, compiled and printed from a BEGIN probe (no kprobe needed).
// A developer's tool, not shipped. Usage: node dist/scripts/layout-offsetof.js LAYOUT.json BPFTRACE [OUT.txt]
// Exit 1 when any value differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import type { KernelLayout } from '../cli/kernel/btf-layout.js';

const MARK = 'rcuwalk-offsetof';

/** The bpftrace spelling of a layout path: `offsetof(struct dentry, d_name.name)`; `->` paths start at the pointee's struct. */
export function offsetofExpression(layout: KernelLayout, path: string): string | null {
  const arrow = path.lastIndexOf('->');
  if (arrow < 0) {
    const dot = path.indexOf('.');
    return `offsetof(struct ${path.slice(0, dot)}, ${path.slice(dot + 1)})`;
  }
  const holder = /^(?:const )?struct (\w+) \*$/.exec(layout.members[path.slice(0, arrow)]?.type ?? '');
  return holder ? `offsetof(struct ${holder[1]}, ${path.slice(arrow + 2)})` : null;
}

/** `sizeof(struct dentry)`; `nameidata.stack->` is sizeof the struct stack points at. Null for other paths. */
export function sizeofExpression(layout: KernelLayout, path: string): string | null {
  if (/^\w+$/.test(path)) return `sizeof(struct ${path})`;
  if (!path.endsWith('->')) return null;
  const holder = /^(?:const )?struct (\w+) \*$/.exec(layout.members[path.slice(0, -2)]?.type ?? '');
  return holder ? `sizeof(struct ${holder[1]})` : null;
}

/** A BEGIN program printing `rcuwalk-offsetof <path> <value>` per path it can spell (sizes with useOffsetof false only). */
export function offsetofProgram(layout: KernelLayout, useOffsetof: boolean): { script: string; paths: string[] } {
  const lines: string[] = [];
  const paths: string[] = [];
  const add = (path: string, expr: string | null) => {
    if (!expr) return;
    paths.push(path);
    lines.push(`  printf("${MARK} ${path} %d\\n", ${expr});`);
  };
  if (useOffsetof) for (const p of Object.keys(layout.members)) if (layout.members[p]) add(p, offsetofExpression(layout, p));
  for (const p of Object.keys(layout.sizes)) if (layout.sizes[p] !== null) add(`sizeof ${p}`, sizeofExpression(layout, p));
  return { script: `BEGIN {\n${lines.join('\n')}\n  exit();\n}\n`, paths };
}

/** The values a run of offsetofProgram printed. */
export function parseOffsetofOutput(stdout: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const m = new RegExp(`^${MARK} (\\S+(?: \\S+)?) (-?\\d+)$`).exec(line.trim());
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

/** Lines `path ours bpftrace ok|DIFFERS` for every path bpftrace printed. */
export function compareLayout(layout: KernelLayout, seen: Map<string, number>): { lines: string[]; differ: number } {
  const lines: string[] = [];
  let differ = 0;
  for (const [path, theirs] of seen) {
    const ours = path.startsWith('sizeof ') ? layout.sizes[path.slice(7)] : layout.members[path]?.offset;
    const ok = ours === theirs;
    if (!ok) differ++;
    lines.push(`${path} ${ours ?? 'null'} ${theirs} ${ok ? 'ok' : 'DIFFERS'}`);
  }
  return { lines, differ };
}

function main(argv: string[]): number {
  const [layoutFile, bpftrace, outFile] = argv;
  if (!layoutFile || !bpftrace) { process.stderr.write('usage: layout-offsetof LAYOUT.json BPFTRACE [OUT.txt]\n'); return 2; }
  const layout = JSON.parse(readFileSync(layoutFile, 'utf8')) as KernelLayout;
  const ver = spawnSync(bpftrace, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const minor = Number(/v0\.(\d+)/.exec(ver)?.[1] ?? 0);
  const { script } = offsetofProgram(layout, minor >= 23);
  const r = spawnSync(bpftrace, ['-e', script], { encoding: 'utf8', timeout: 300_000 });
  const { lines, differ } = compareLayout(layout, parseOffsetofOutput(r.stdout ?? ''));
  const text = [`# ${bpftrace} (${ver}) on ${layoutFile}: path ours bpftrace`, ...lines,
    `# ${lines.length} compared, ${differ} differ; bpftrace exit ${r.status}${r.stderr ? `; stderr: ${r.stderr.trim().split('\n').slice(0, 3).join(' | ')}` : ''}`].join('\n');
  if (outFile) writeFileSync(outFile, `${text}\n`);
  process.stdout.write(`${text}\n`);
  return differ || lines.length === 0 ? 1 : 0;
}

if (process.argv[1]?.endsWith('layout-offsetof.js')) process.exitCode = main(process.argv.slice(2));
