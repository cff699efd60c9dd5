// PURE: a resolution + bpftrace syntax + interval -> one complete bpftrace script, from the probes/*.bt
// templates. Follows cli/script-protocol/ exactly. Only symbols from kallsyms and numbers go into the
// script; every symbol is checked against a strict pattern first. loadProbeTemplates() is the only I/O.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Bpftrace, TargetResolution } from '../schema/types.generated.js';
import {
  type Generation, GENERATION_MAP, generationName, GENERATIONS, PENDING_MAP, pendingSkipLimit, SKIPS_MAP,
} from '../script-protocol/generations.js';
import { CONTENTION_MAPS, CONTENTION_STACK_DEPTH, CPU_MAPS, LOCKREF_HIST, LOCKREF_SITES, PRINTED_MAPS } from '../script-protocol/maps.js';
import { READY_LINE, TICK_PREFIX } from '../script-protocol/markers.js';
import { PROBES_DIR } from '../paths.js';
import { ECHILD } from './resolve.js';
import { bpftraceFeatures } from '../bpftrace/version.js';

export const TEMPLATE_NAMES = ['interval', 'pid-revalidate', 'unlazy', 'lockref-direct', 'lockref-callsite', 'lockref-contention'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export type Templates = Record<TemplateName, string>;

export interface RenderInput {
  resolution: readonly TargetResolution[];
  syntax: Bpftrace['syntax'];
  /** Bpftrace.version ("0.17.0"): spellings that changed within a syntax generation (bpftraceFeatures) */
  version: string;
  intervalMs: number;
}

/** `{{DELETE}}(@m[k]);`: a bare delete, or one whose result is kept where bpftrace warns about a discarded one. */
function deleteCall(version: string): string {
  return bpftraceFeatures(version).deleteReturnsValue ? '$rw_deleted = delete' : 'delete';
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
  // fexit's retval has the function's BTF type (int); a kretprobe's is the raw 64-bit register: its int is the low half
  const int = r.probe === 'fentry' ? 'retval' : '(int32)retval';
  if (r.target === 'pid_revalidate') return `${int} == -${ECHILD}`;
  if (r.returnConvention === 'bool') return '(retval & 0xff) == 0';
  if (r.returnConvention === 'errno') return `${int} != 0`;
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

function lockrefPart(t: Templates, r: TargetResolution, del: string): Part | null {
  if (r.strategy === 'direct') {
    return { text: fill(templateBody(t['lockref-direct']), { SYMBOL: sym(r.symbol), DELETE: del }), maps: LR_MAPS, temps: ['@lr_ts'] };
  }
  if (r.strategy === 'callsite') {
    const sites = (r.callsites ?? []).map((c) => ({ CALLER: sym(c.caller), OFFSET: int(c.offset, 'offset'), NEXT: int(c.nextOffset, 'nextOffset') }));
    if (sites.length === 0) throw new RenderError('callsite strategy without call sites');
    return { text: fill(templateBody(t['lockref-callsite']), { DELETE: del }, { SITES: sites }), maps: [LOCKREF_SITES, ...LR_MAPS], temps: ['@lr_ts'] };
  }
  return null;
}

/** LCB_F_RT alone (no LCB_F_READ/WRITE): an rt lock's wait, spinlock_t on PREEMPT_RT kernels. */
const LCB_F_RT = 0x8;

function contentionPart(t: Templates, syntax: Bpftrace['syntax'], del: string, rt: boolean): Part {
  const flags = syntax === 'modern' ? 'args.flags' : 'args->flags';
  return {
    text: fill(templateBody(t['lockref-contention']), { FLAGS: flags, RT_WAITS: rt ? ` || ${flags} == 0x${LCB_F_RT.toString(16)}` : '', DEPTH: CONTENTION_STACK_DEPTH, DELETE: del }),
    maps: CW_MAPS, temps: ['@cw_ts'],
  };
}

const MAP_NAME = /@[A-Za-z_][A-Za-z0-9_]*/g;

/** A line of a probe body with every printed map renamed to one generation (temporaries stay as they are). */
function inGeneration(line: string, printed: ReadonlySet<string>, gen: Generation): string {
  return line.replace(MAP_NAME, (m) => (printed.has(m) ? generationName(m, gen) : m));
}

/**
 * Double-buffers a part: in each probe body the lines that write printed maps (they must be adjacent) become
 * `if (@rw_gen == 0) { those lines, _0 names } else { the same, _1 names }`. Everything else (temporaries such as
 * @cw_ts, scratch variables, the one kstack() walk) stays outside, once: a hit reads GENERATION_MAP once.
 * Probe bodies are the lines between a `{` line and a `}` line, as the templates write them.
 */
export function doubleBuffer(text: string, printed: ReadonlySet<string>): string {
  const out: string[] = [];
  let body: string[] | null = null;
  const writes = (l: string): boolean => [...l.matchAll(MAP_NAME)].some((m) => printed.has(m[0]));
  for (const line of text.split('\n')) {
    if (body === null) {
      out.push(line);
      if (line === '{') body = [];
      continue;
    }
    if (line !== '}') { body.push(line); continue; }
    const first = body.findIndex(writes);
    if (first < 0) out.push(...body);
    else {
      let last = body.length - 1;
      while (!writes(body[last]!)) last--;
      const run = body.slice(first, last + 1);
      const stray = run.find((l) => !writes(l));
      if (stray !== undefined) throw new RenderError(`a probe body writes printed maps on lines apart (${JSON.stringify(stray.trim())} between them): they must be adjacent to be double-buffered`);
      const branch = (gen: Generation) => run.map((l) => `  ${inGeneration(l, printed, gen)}`);
      out.push(...body.slice(0, first), `  if (${GENERATION_MAP} == 0) {`, ...branch(0), '  } else {', ...branch(1), '  }', ...body.slice(last + 1));
    }
    out.push(line);
    body = null;
  }
  if (body !== null) throw new RenderError('a probe body has no closing } line');
  return out.join('\n');
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
      const p = lockrefPart(templates, r, deleteCall(input.version));
      if (p) parts.push(p); else if (r.strategy === 'contention') contention = true;
    } else if (r.target === 'spin' && r.strategy === 'contention') contention = true;
  }
  // PREEMPT_RT (resolve.ts sets rtWaits on the contention targets): rt-lock waits are admitted too
  const rt = input.resolution.some((r) => r.strategy === 'contention' && r.rtWaits === true);
  if (contention) parts.push(contentionPart(templates, input.syntax, deleteCall(input.version), rt));
  if (parts.length === 0) throw new RenderError('no target is measurable: nothing to put in the script');
  const maps = [...new Set(parts.flatMap((p) => p.maps))];
  const temps = [...new Set(parts.flatMap((p) => p.temps))];
  const printed = new Set(maps);
  for (const m of maps) if (!PRINTED_MAPS.includes(m)) throw new RenderError(`${m} is printed but not in script-protocol/maps.ts PRINTED_MAPS`);
  // Double-buffered (script-protocol/generations.ts): probes write generation @rw_gen of each map. The interval probe flips @rw_gen
  // first, in the kernel, then prints and clears the generation it retired. bpftrace runs print() and clear() later,
  // in user space, in order: with one generation, events landing between a map's print and its clear were counted
  // nowhere (measured: 4.1% of the waits at 20 ms intervals; printing kstack keys is slow). The retired generation
  // gets no writes, so nothing falls between them. It must be printed and cleared before a flip sends the probes
  // back to it: @rw_pending, set with the flip and cleared by bpftrace after those prints and clears, holds the next
  // flip (the interval skips) until then, or for pendingSkipLimit() intervals at most.
  const gens = (f: (m: string) => string[]): string[] => maps.flatMap(f);
  const printClear = (gen: Generation) => gens((m) => [`      print(${generationName(m, gen)});`, `      clear(${generationName(m, gen)});`]).join('\n');
  const print = gens((m) => GENERATIONS.map((g) => `  print(${generationName(m, g)});`)).join('\n');
  const clearAll = [...gens((m) => GENERATIONS.map((g) => generationName(m, g))), ...temps, GENERATION_MAP, PENDING_MAP, SKIPS_MAP].map((m) => `  clear(${m});`).join('\n');
  const script = fill(templateBody(templates.interval), {
    PARTS: `\n${parts.map((p) => doubleBuffer(p.text.trim(), printed)).join('\n\n')}\n`, INTERVAL_MS: ms,
    GEN: GENERATION_MAP, PENDING: PENDING_MAP, SKIPS: SKIPS_MAP, SKIP_LIMIT: pendingSkipLimit(ms),
    PRINT_CLEAR_0: printClear(0), PRINT_CLEAR_1: printClear(1), PRINT: print, CLEAR_ALL: clearAll,
  });
  // the marker lines are fixed by script-protocol/markers.ts: make sure the template spells them so
  if (!script.includes(`printf("${READY_LINE}\\n")`) || !script.includes(`printf("${TICK_PREFIX}%llu\\n", nsecs)`)) {
    throw new RenderError('interval.bt does not print the ready/tick lines of script-protocol/markers.ts');
  }
  const iv = script.slice(script.indexOf(`interval:ms:${ms}`));
  const flip = iv.indexOf(`${GENERATION_MAP} = 1 - ${GENERATION_MAP};`);
  if (!(flip >= 0 && flip < iv.indexOf('print('))) {
    throw new RenderError(`interval.bt does not flip ${GENERATION_MAP} before it prints`);
  }
  return `// rcuwalk: generated by cli/probes/render.ts from probes/*.bt (bpftrace ${input.syntax} syntax)\n${script.trimStart()}`;
}

/** Reads probes/*.bt (I/O). */
export async function loadProbeTemplates(dir = PROBES_DIR): Promise<Templates> {
  const out = {} as Templates;
  for (const n of TEMPLATE_NAMES) out[n] = await readFile(join(dir, `${n}.bt`), 'utf8');
  return out;
}
