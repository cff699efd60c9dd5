// PURE: a resolution + bpftrace syntax + interval -> one complete bpftrace script, from the probes/*.bt
// templates. Follows cli/probes/map-names.ts exactly. Only symbols from kallsyms and numbers go into the
// script; every symbol is checked against a strict pattern first. loadProbeTemplates() is the only I/O.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bpftrace, TargetResolution } from '../schema/types.generated.js';
import { CONTENTION_MAPS, CONTENTION_STACK_DEPTH, CPU_MAPS, LOCKREF_HIST, LOCKREF_SITES, READY_LINE, TICK_PREFIX } from './map-names.js';
import { PROBES_DIR } from '../paths.js';
import { ECHILD } from './resolve.js';

export const TEMPLATE_NAMES = ['interval', 'pid-revalidate', 'unlazy', 'lockref-direct', 'lockref-callsite', 'lockref-contention'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export type Templates = Record<TemplateName, string>;

export interface RenderInput {
  resolution: readonly TargetResolution[];
  syntax: Bpftrace['syntax'];
  intervalMs: number;
}

export class RenderError extends Error {}

const SYMBOL = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_]+\.[0-9]+)*$/;
function sym(s: string | null | undefined): string {
  if (!s || !SYMBOL.test(s)) throw new RenderError(`refusing to put ${JSON.stringify(s)} into a script: not a kernel symbol`);
  return s;
}
function int(n: number | null | undefined, what: string): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new RenderError(`bad ${what}: ${n}`);
  return n;
}

/** The template's body: everything after its header comment (the first line that is ` *\/`). */
export function templateBody(text: string): string {
  const end = text.indexOf('\n */\n');
  return end < 0 ? text : text.slice(end + 5);
}

/** Fills {{NAME}} placeholders and {{#each LIST}}...{{/each}} blocks; throws on any left over. */
export function fill(body: string, vars: Record<string, string | number>, lists: Record<string, Record<string, string | number>[]> = {}): string {
  let out = body.replace(/\{\{#each (\w+)\}\}\n([\s\S]*?)\{\{\/each\}\}\n?/g, (_m, name: string, block: string) => {
    const items = lists[name];
    if (!items) throw new RenderError(`no list ${name} for the template`);
    return items.map((it) => fill(block, { ...vars, ...it })).join('\n');
  });
  out = out.replace(/\{\{(\w+)\}\}/g, (m, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new RenderError(`placeholder ${m} has no value`);
    return String(v);
  });
  return out;
}

interface Part { text: string; maps: string[]; temps: string[] }

function probeNames(r: TargetResolution, syntax: Bpftrace['syntax']): { entry: string; exit: string; arg: (i: number, name: string) => string } {
  const s = sym(r.symbol);
  if (r.probe === 'fentry') {
    const [en, ex] = syntax === 'modern' ? ['fentry', 'fexit'] : ['kfunc', 'kretfunc'];
    return { entry: `${en}:${s}`, exit: `${ex}:${s}`, arg: (_i, name) => (syntax === 'modern' ? `args.${name}` : `args->${name}`) };
  }
  if (r.probe === 'kprobe') return { entry: `kprobe:${s}`, exit: `kretprobe:${s}`, arg: (i) => `arg${i}` };
  throw new RenderError(`${r.target}: probe ${r.probe} is not an entry/return probe`);
}

function failCond(r: TargetResolution): string {
  if (r.target === 'pid_revalidate') return `(int32)retval == -${ECHILD}`;
  if (r.returnConvention === 'bool') return '(retval & 0xff) == 0';
  if (r.returnConvention === 'errno') return '(int32)retval != 0';
  throw new RenderError(`${r.target}: no return convention`);
}

function pidRevalidatePart(t: Templates, r: TargetResolution, syntax: Bpftrace['syntax']): Part {
  const p = probeNames(r, syntax);
  const maps: string[] = [CPU_MAPS.prCalls];
  let rcu = '';
  if (r.flagsArg != null && r.lookupRcu != null) {
    rcu = `  if (${p.arg(int(r.flagsArg, 'flagsArg'), 'flags')} & 0x${int(r.lookupRcu, 'lookupRcu').toString(16)}) { ${CPU_MAPS.prRcuCalls}[cpu] = count(); }`;
    maps.push(CPU_MAPS.prRcuCalls);
  }
  maps.push(CPU_MAPS.prEchild);
  return { text: fill(templateBody(t['pid-revalidate']), { ENTRY: p.entry, EXIT: p.exit, RCU_TEST: rcu, FAIL_COND: failCond(r) }), maps, temps: [] };
}

function unlazyPart(t: Templates, r: TargetResolution, syntax: Bpftrace['syntax']): Part {
  const p = probeNames(r, syntax);
  const [calls, fails] = r.target === 'unlazy_next' ? [CPU_MAPS.unlazyNextCalls, CPU_MAPS.unlazyNextFails] : [CPU_MAPS.unlazyCalls, CPU_MAPS.unlazyFails];
  return {
    text: fill(templateBody(t.unlazy), { ENTRY: p.entry, EXIT: p.exit, CALLS: calls.slice(1), FAILS: fails.slice(1), FAIL_COND: failCond(r) }),
    maps: [calls, fails], temps: [],
  };
}

const LR_MAPS: string[] = [CPU_MAPS.lockrefCalls, CPU_MAPS.lockrefNs, CPU_MAPS.lockrefMaxNs, LOCKREF_HIST];
const CW_MAPS: string[] = [CONTENTION_MAPS.waits, CONTENTION_MAPS.ns, CONTENTION_MAPS.maxNs, CONTENTION_MAPS.hist];

function lockrefPart(t: Templates, r: TargetResolution): Part | null {
  if (r.strategy === 'direct') {
    return { text: fill(templateBody(t['lockref-direct']), { SYMBOL: sym(r.symbol) }), maps: LR_MAPS, temps: ['@lr_ts'] };
  }
  if (r.strategy === 'callsite') {
    const sites = (r.callsites ?? []).map((c) => ({ CALLER: sym(c.caller), OFFSET: int(c.offset, 'offset'), NEXT: int(c.nextOffset, 'nextOffset') }));
    if (sites.length === 0) throw new RenderError('callsite strategy without call sites');
    return { text: fill(templateBody(t['lockref-callsite']), {}, { SITES: sites }), maps: [LOCKREF_SITES, ...LR_MAPS], temps: ['@lr_ts'] };
  }
  return null;
}

function contentionPart(t: Templates, syntax: Bpftrace['syntax']): Part {
  return {
    text: fill(templateBody(t['lockref-contention']), { FLAGS: syntax === 'modern' ? 'args.flags' : 'args->flags', DEPTH: CONTENTION_STACK_DEPTH }),
    maps: CW_MAPS, temps: ['@cw_ts'],
  };
}

/** PURE: the complete script. Throws RenderError when nothing is measurable or the input is malformed. */
export function renderScript(input: RenderInput, templates: Templates): string {
  const ms = int(input.intervalMs, 'intervalMs');
  if (ms < 10) throw new RenderError(`interval ${ms} ms is below 10 ms`);
  const parts: Part[] = [];
  let contention = false;
  for (const r of input.resolution) {
    if (r.strategy === 'unavailable') continue;
    if (r.target === 'pid_revalidate') parts.push(pidRevalidatePart(templates, r, input.syntax));
    else if (r.target === 'unlazy_next' || r.target === 'unlazy') parts.push(unlazyPart(templates, r, input.syntax));
    else if (r.target === 'lockref') {
      const p = lockrefPart(templates, r);
      if (p) parts.push(p); else if (r.strategy === 'contention') contention = true;
    } else if (r.target === 'spin' && r.strategy === 'contention') contention = true;
  }
  if (contention) parts.push(contentionPart(templates, input.syntax));
  if (parts.length === 0) throw new RenderError('no target is measurable: nothing to put in the script');
  const maps = [...new Set(parts.flatMap((p) => p.maps))];
  const temps = [...new Set(parts.flatMap((p) => p.temps))];
  // print and clear each map back to back: bpftrace runs both in user space, in order, so counts that
  // arrive between a map's print and its clear are lost; adjacent pairs keep that window per map small
  const printClear = maps.map((m) => `  print(${m});\n  clear(${m});`).join('\n');
  const print = maps.map((m) => `  print(${m});`).join('\n');
  const clearAll = [...maps, ...temps].map((m) => `  clear(${m});`).join('\n');
  const script = fill(templateBody(templates.interval), {
    PARTS: `\n${parts.map((p) => p.text.trim()).join('\n\n')}\n`, INTERVAL_MS: ms, PRINT_CLEAR: printClear, PRINT: print, CLEAR_ALL: clearAll,
  });
  // the marker lines are fixed by map-names.ts: make sure the template spells them so
  if (!script.includes(`printf("${READY_LINE}\\n")`) || !script.includes(`printf("${TICK_PREFIX}%llu\\n", nsecs)`)) {
    throw new RenderError('interval.bt does not print the ready/tick lines of map-names.ts');
  }
  return `// rcuwalk: generated by cli/probes/render.ts from probes/*.bt (bpftrace ${input.syntax} syntax)\n${script.trimStart()}`;
}

/** Reads probes/*.bt (I/O). */
export async function loadProbeTemplates(dir = PROBES_DIR): Promise<Templates> {
  const out = {} as Templates;
  for (const n of TEMPLATE_NAMES) out[n] = await readFile(join(dir, `${n}.bt`), 'utf8');
  return out;
}
