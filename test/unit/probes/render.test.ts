import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fill, loadProbeTemplates, renderScript, RenderError, templateBody, TEMPLATE_NAMES } from '../../../cli/probes/render.js';
import { CONTENTION_MAPS, CONTENTION_STACK_DEPTH, CPU_MAPS, LOCKREF_HIST, LOCKREF_SITES, READY_LINE, TICK_PREFIX } from '../../../cli/probes/map-names.js';
import { renderFor, scriptCases } from './scripts.js';
import { recorded } from './facts-helpers.js';
import { resolve } from '../../../cli/probes/resolve.js';

/** the maps a script assigns (@name[...] = or @name = ) */
function assignedMaps(script: string): Set<string> {
  return new Set([...script.matchAll(/(@[a-z_]+)(\[[^\]]*\])?\s*=/g)].map((m) => m[1]!));
}
function block(script: string, head: RegExp): string {
  const i = script.search(head);
  assert.ok(i >= 0, `no ${head}`);
  const open = script.indexOf('{', i);
  let depth = 0;
  for (let j = open; j < script.length; j++) {
    if (script[j] === '{') depth++;
    if (script[j] === '}' && --depth === 0) return script.slice(open, j + 1);
  }
  throw new Error('unbalanced');
}

test('every template has a header and no leftover placeholder after rendering', async () => {
  const t = await loadProbeTemplates();
  for (const n of TEMPLATE_NAMES) {
    assert.match(t[n], /^\/\*\n \* [a-z-]+\.bt /, n);
    assert.match(t[n], /EXAMPLE OUTPUT/, n);
    assert.match(t[n], /OVERHEAD/, n);
  }
  for (const c of await scriptCases()) assert.doesNotMatch(c.script, /\{\{|\}\}/, c.name);
});

test('the map-names.ts contract: ready line, interval prints+clears every map then ticks, END prints, ticks, clears all', async () => {
  for (const c of await scriptCases()) {
    const s = c.script;
    assert.match(block(s, /^BEGIN$/m), new RegExp(`printf\\("${READY_LINE}\\\\n"\\)`), c.name);
    const maps = [...assignedMaps(s)].filter((m) => m !== '@lr_ts' && m !== '@cw_ts');
    const iv = block(s, /^interval:ms:1000$/m);
    const end = block(s, /^END$/m);
    for (const m of maps) {
      assert.ok(iv.indexOf(`print(${m});`) < iv.indexOf(`clear(${m});`), `${c.name}: ${m} printed then cleared`);
      assert.ok(end.indexOf(`print(${m});`) >= 0 && end.indexOf(`clear(${m});`) > end.indexOf(TICK_PREFIX), `${c.name}: END ${m}`);
    }
    assert.ok(iv.lastIndexOf(`clear(`) < iv.indexOf(`printf("${TICK_PREFIX}%llu\\n", nsecs)`), c.name);
    for (const tmp of ['@lr_ts', '@cw_ts']) if (s.includes(tmp)) assert.match(end, new RegExp(`clear\\(${tmp}\\)`), c.name);
    // per-CPU maps are keyed by [cpu]
    for (const m of Object.values(CPU_MAPS)) for (const x of s.matchAll(new RegExp(`${m}\\[([^\\]]*)\\] =`, 'g'))) assert.equal(x[1], 'cpu', `${c.name} ${m}`);
    if (s.includes(LOCKREF_HIST)) assert.match(s, new RegExp(`${LOCKREF_HIST}\\[cpu\\] = hist\\(\\$ns\\)`));
    // contention maps are keyed by [the wait's kernel stack, cpu], the stack walked once per wait
    const walks = [...s.matchAll(/kstack\(/g)].length;
    if (s.includes(CONTENTION_MAPS.waits)) {
      assert.equal(walks, 1, `${c.name}: one kstack() per contention wait`);
      assert.match(s, new RegExp(`\\$stack = kstack\\(${CONTENTION_STACK_DEPTH}\\);`));
    }
    for (const m of Object.values(CONTENTION_MAPS)) {
      for (const x of s.matchAll(new RegExp(`${m}\\[([^\\]]*)\\] =`, 'g'))) assert.equal(x[1], '$stack, cpu', `${c.name} ${m}`);
    }
  }
});

test('strategies render the probes they promise', async () => {
  const cases = Object.fromEntries((await scriptCases()).map((c) => [c.name, c.script]));
  const only = cases['6.18 recorded: contention only']!;
  assert.match(only, /^tracepoint:lock:contention_begin\n\/\(args->flags & 0x21\) == 0x1\//m);
  assert.doesNotMatch(only, /kprobe|kfunc|@pr_/);
  const kp = cases['DERIVED 6.18+kprobes: kprobe targets, lockref callsite']!;
  assert.match(kp, /^kprobe:pid_revalidate\n\{\n  @pr_calls\[cpu\] = count\(\);\n  if \(arg3 & 0x100\) \{ @pr_rcu\[cpu\] = count\(\); \}/m);
  assert.match(kp, /^kretprobe:pid_revalidate\n\{\n  if \(\(int32\)retval == -10\) \{ @pr_echild\[cpu\] = count\(\); \}/m);
  assert.match(kp, /^kretprobe:try_to_unlazy_next\n\{\n  if \(\(retval & 0xff\) == 0\) \{ @ul_next_fails\[cpu\] = count\(\); \}/m);
  assert.match(kp, /^kprobe:try_to_unlazy_next\+68\n\{\n  @lr_ts\[tid\] = nsecs;\n  @lr_site\["try_to_unlazy_next\+68"\] = count\(\);/m);
  assert.match(kp, /^kprobe:try_to_unlazy_next\+73\n\/@lr_ts\[tid\]\//m);
  assert.match(kp, /^kprobe:d_alloc_parallel\+1003$/m);
  assert.ok(kp.includes(`print(${LOCKREF_SITES});`));
  assert.match(kp, /tracepoint:lock:contention_begin/); // spin context stays
  const direct = cases['DERIVED 6.18+kprobes+ON_NOTRACE: lockref direct']!;
  assert.match(direct, /^kretprobe:lockref_get_not_dead\n\/@lr_ts\[tid\]\//m);
  const clone = cases['DERIVED clone pid_revalidate.isra.0, unlazy_child errno']!;
  assert.match(clone, /^kprobe:pid_revalidate\.isra\.0$/m);
  assert.doesNotMatch(clone, /@pr_rcu/);
  assert.match(clone, /^kretprobe:unlazy_child\n\{\n  if \(\(int32\)retval != 0\) \{ @ul_next_fails/m);
  const kf = cases['DERIVED fentry, legacy syntax (kfunc, bpftrace < 0.20)']!;
  assert.match(kf, /^kfunc:pid_revalidate\n\{\n  @pr_calls\[cpu\] = count\(\);\n  if \(args->flags & 0x100\)/m);
  assert.match(kf, /^kretfunc:pid_revalidate$/m);
});

test('modern syntax (bpftrace >= 0.20), checked as text because 0.17 cannot compile it: fentry/fexit, args.x', async () => {
  const cases = Object.fromEntries((await scriptCases()).map((c) => [c.name, c.script]));
  const m = cases['DERIVED fentry, modern syntax (bpftrace >= 0.20)']!;
  assert.match(m, /^fentry:pid_revalidate\n\{\n  @pr_calls\[cpu\] = count\(\);\n  if \(args\.flags & 0x100\)/m);
  assert.match(m, /^fexit:pid_revalidate\n\{\n  if \(\(int32\)retval == -10\)/m);
  assert.match(m, /^fentry:try_to_unlazy_next$/m);
  assert.match(m, /^fexit:try_to_unlazy$/m);
  assert.match(m, /^tracepoint:lock:contention_begin\n\/\(args\.flags & 0x21\) == 0x1\//m);
  assert.doesNotMatch(m, /args->|kfunc|kretfunc/);
  assert.match(cases['6.18 recorded, modern syntax']!, /\/\(args\.flags & 0x21\) == 0x1\//);
});

test('rendered for bpftrace 0.27 (kprobes only on functions in available_filter_functions): a notrace lockref_get_not_dead goes by its call sites', async () => {
  const t = await loadProbeTemplates();
  const c = (await scriptCases()).find((k) => k.name === 'DERIVED 5.10+ON_NOTRACE: lockref direct on a notrace function')!;
  assert.match(renderFor(c, { version: '0.23.2', syntax: 'modern' }, t), /^kprobe:lockref_get_not_dead$/m);
  const s = renderFor(c, { version: '0.27.1', syntax: 'modern' }, t);
  assert.doesNotMatch(s, /^k(ret)?probe:lockref_get_not_dead/m);
  assert.match(s, /^kprobe:__legitimize_path\+\d+$/m);
});

test('nothing but kernel symbols and numbers reach the script', async () => {
  const t = await loadProbeTemplates();
  const { resolution } = resolve(await recorded('6.18'));
  const bad = structuredClone(resolution);
  bad.push({ target: 'pid_revalidate', strategy: 'direct', probe: 'kprobe', symbol: 'x { system("id") }', returnConvention: 'errno', reason: null, rejected: [] });
  assert.throws(() => renderScript({ resolution: bad, syntax: 'legacy', intervalMs: 1000 }, t), RenderError);
  const site = structuredClone(resolution);
  site[3] = { target: 'lockref', strategy: 'callsite', probe: 'kprobe', symbol: 'lockref_get_not_dead', callsites: [{ caller: 'a"b', offset: 1, nextOffset: 6 }], reason: null, rejected: [] };
  assert.throws(() => renderScript({ resolution: site, syntax: 'legacy', intervalMs: 1000 }, t), /not a kernel symbol/);
  assert.throws(() => renderScript({ resolution, syntax: 'legacy', intervalMs: 5 }, t), /below 10 ms/);
  assert.throws(() => renderScript({ resolution, syntax: 'legacy', intervalMs: 1.5 }, t), /intervalMs/);
  const none = resolution.map((r) => ({ ...r, strategy: 'unavailable' as const }));
  assert.throws(() => renderScript({ resolution: none, syntax: 'legacy', intervalMs: 1000 }, t), /no target is measurable/);
});

test('fill: lists and placeholders', () => {
  assert.equal(fill('a {{X}}\n{{#each L}}\n<{{Y}}{{X}}>\n{{/each}}\nz', { X: 1 }, { L: [{ Y: 'p' }, { Y: 'q' }] }), 'a 1\n<p1>\n\n<q1>\nz');
  assert.throws(() => fill('{{NOPE}}', {}), /no value/);
  assert.equal(templateBody('/*\n * h\n */\nbody\n'), 'body\n');
});
