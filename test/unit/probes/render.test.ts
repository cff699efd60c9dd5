import { test } from 'node:test';
import assert from 'node:assert/strict';
import { doubleBuffer, fill, loadProbeTemplates, renderScript, RenderError, templateBody, TEMPLATE_NAMES } from '../../../cli/probes/render.js';
import { baseMapName, GENERATION_MAP, generationName, PENDING_MAP, pendingSkipLimit, SKIPS_MAP } from '../../../cli/script-protocol/generations.js';
import { CONTENTION_MAPS, CONTENTION_STACK_DEPTH, CPU_MAPS, LOCKREF_HIST, LOCKREF_SITES, PRINTED_MAPS } from '../../../cli/script-protocol/maps.js';
import { READY_LINE, TICK_PREFIX } from '../../../cli/script-protocol/markers.js';
import { renderFor, scriptCases } from './scripts.js';
import { recorded } from './facts-helpers.js';
import { resolve } from '../../../cli/probes/resolve.js';

/** the maps a script assigns (@name[...] = or @name = ) */
function assignedMaps(script: string): Set<string> {
  return new Set([...script.matchAll(/(@[a-z_0-9]+)(\[[^\]]*\])?\s*=/g)].map((m) => m[1]!));
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

const TEMPS = ['@lr_ts', '@cw_ts'];
const CONTROL = [GENERATION_MAP, PENDING_MAP, SKIPS_MAP];
const g0 = (m: string) => generationName(m, 0);
const g1 = (m: string) => generationName(m, 1);
/** a map name as a whole word: `@cw_n` matches neither `@cw_ns` nor `@cw_n_0` */
const word = (m: string) => new RegExp(`${m}(?![A-Za-z0-9_])`);
/** The top-level blocks: probe head (with any predicate) and body, as the templates write them ({ and } lines). */
function probeBlocks(script: string): { head: string; body: string }[] {
  return [...script.matchAll(/^([^\s{}/][^\n]*(?:\n\/[^\n]*\/)?)\n\{\n([\s\S]*?)^\}$/gm)].map((m) => ({ head: m[1]!, body: m[2]! }));
}

test('the script protocol (cli/script-protocol/): ready line, interval flips the generation, prints+clears the retired one, ticks; END prints both, ticks, clears all', async () => {
  for (const c of await scriptCases()) {
    const s = c.script;
    assert.match(block(s, /^BEGIN$/m), new RegExp(`printf\\("${READY_LINE}\\\\n"\\)`), c.name);
    const assigned = [...assignedMaps(s)].filter((m) => !TEMPS.includes(m) && !CONTROL.includes(m));
    // every printed map is written as its two generations, never by its base name; temporaries are not doubled
    const maps = [...new Set(assigned.map(baseMapName))];
    assert.ok(maps.length > 0, c.name);
    for (const m of maps) {
      assert.ok(PRINTED_MAPS.includes(m), `${c.name}: ${m} is a printed map of script-protocol/maps.ts`);
      assert.ok(assigned.includes(g0(m)) && assigned.includes(g1(m)), `${c.name}: ${m} written as ${g0(m)} and ${g1(m)}`);
      assert.doesNotMatch(s, word(m), `${c.name}: ${m} never appears by its base name`);
    }
    assert.deepEqual(assigned.filter((m) => baseMapName(m) === m), [], `${c.name}: no map outside the generations but temporaries`);
    for (const tmp of TEMPS) assert.doesNotMatch(s, new RegExp(`${tmp}_[01]`), `${c.name}: ${tmp} is not doubled`);

    const iv = block(s, /^interval:ms:1000$/m);
    // the flip waits until bpftrace has printed and cleared the generation it would go back to (or too many skips)
    const guard = `if (${PENDING_MAP} == 0 || ${SKIPS_MAP} >= ${pendingSkipLimit(1000)}) {`;
    const flip = iv.indexOf(`${GENERATION_MAP} = 1 - ${GENERATION_MAP};`);
    assert.ok(iv.indexOf(guard) >= 0 && iv.indexOf(guard) < flip, `${c.name}: ${guard} holds the flip`);
    assert.ok(flip >= 0 && flip < iv.indexOf('print(') && flip < iv.indexOf('clear('), `${c.name}: the flip comes before any print or clear`);
    assert.ok(iv.indexOf(`${PENDING_MAP} = 1;`) > flip && iv.indexOf(`${PENDING_MAP} = 1;`) < iv.indexOf('print('), c.name);
    assert.ok(iv.indexOf(`if (${GENERATION_MAP} == 1) {`) > flip, c.name);
    const [retired0, retired1, skipped] = iv.slice(flip).split('} else {') as [string, string, string];
    const tickAt = iv.indexOf(`printf("${TICK_PREFIX}%llu\\n", nsecs)`);
    for (const m of maps) {
      // after flipping to 1, generation 0 is printed and cleared; after flipping to 0, generation 1
      assert.ok(retired0.indexOf(`print(${g0(m)});`) >= 0 && retired0.indexOf(`print(${g0(m)});`) < retired0.indexOf(`clear(${g0(m)});`), `${c.name}: ${g0(m)} printed then cleared`);
      assert.ok(retired1.indexOf(`print(${g1(m)});`) >= 0 && retired1.indexOf(`print(${g1(m)});`) < retired1.indexOf(`clear(${g1(m)});`), `${c.name}: ${g1(m)} printed then cleared`);
      assert.ok(!retired0.includes(g1(m)) && !retired1.slice(0, retired1.indexOf('printf(')).includes(g0(m)), `${c.name}: each branch touches one generation`);
    }
    // bpftrace clears @rw_pending after every print and clear of the retired generation, then the tick
    assert.ok(iv.lastIndexOf('print(') < iv.indexOf(`clear(${PENDING_MAP});`) && iv.lastIndexOf('clear(') === iv.indexOf(`clear(${PENDING_MAP});`), c.name);
    assert.ok(iv.lastIndexOf('clear(') < tickAt, c.name);
    // a skipped interval only counts the skip: no flip, no print, no tick
    assert.match(skipped, new RegExp(`^\\n {4}${SKIPS_MAP} = ${SKIPS_MAP} \\+ 1;\\n {2}\\}\\n\\}$`), `${c.name}: the skip branch`);
    for (const tmp of [...TEMPS, GENERATION_MAP]) assert.ok(!iv.includes(`clear(${tmp})`), `${c.name}: ${tmp} is not cleared each interval`);

    const end = block(s, /^END$/m);
    const endTick = end.indexOf(TICK_PREFIX);
    for (const m of maps) {
      for (const g of [g0(m), g1(m)]) {
        assert.ok(end.indexOf(`print(${g});`) >= 0 && end.indexOf(`print(${g});`) < endTick, `${c.name}: END prints ${g} before the last tick`);
        assert.ok(end.indexOf(`clear(${g});`) > endTick, `${c.name}: END clears ${g} after it`);
      }
    }
    for (const tmp of TEMPS) if (s.includes(tmp)) assert.match(end, new RegExp(`clear\\(${tmp}\\)`), c.name);
    for (const m of CONTROL) assert.ok(end.indexOf(`clear(${m});`) > endTick, `${c.name}: END clears ${m}`);

    // probe bodies: one read of the generation per hit, the two branches alike but for the generation
    for (const { head, body } of probeBlocks(s)) {
      if (/^(BEGIN|END|interval:)/.test(head)) continue;
      const writes = [...body.matchAll(/@[a-z_]+_[01]\b/g)].map((m) => m[0]);
      if (writes.length === 0) { assert.ok(!body.includes(GENERATION_MAP), `${c.name} ${head}`); continue; }
      assert.equal(body.split(GENERATION_MAP).length - 1, 1, `${c.name} ${head}: one read of ${GENERATION_MAP}`);
      const m = /^([\s\S]*)  if \(@rw_gen == 0\) \{\n([\s\S]*)  \} else \{\n([\s\S]*)  \}\n([\s\S]*)$/.exec(body);
      assert.ok(m, `${c.name} ${head}: if (${GENERATION_MAP} == 0) { ... } else { ... }`);
      const [, before, zero, one, after] = m;
      assert.equal(zero!.replace(/(@[a-z_]+)_0\b/g, '$1_1'), one, `${c.name} ${head}: the branches differ only in the generation`);
      assert.doesNotMatch(zero!, /@[a-z_]+_1\b/);
      assert.doesNotMatch(`${before}${after}`, /@[a-z_]+_[01]\b/, `${c.name} ${head}: printed maps are written inside the branches only`);
      assert.doesNotMatch(`${zero}${one}`, /kstack|@lr_ts|@cw_ts/, `${c.name} ${head}: temporaries and the stack walk stay outside the branches`);
    }

    // per-CPU maps are keyed by [cpu]
    for (const m of Object.values(CPU_MAPS)) for (const g of [g0(m), g1(m)]) for (const x of s.matchAll(new RegExp(`${g}\\[([^\\]]*)\\] =`, 'g'))) assert.equal(x[1], 'cpu', `${c.name} ${g}`);
    if (s.includes(g0(LOCKREF_HIST))) for (const g of [g0(LOCKREF_HIST), g1(LOCKREF_HIST)]) assert.match(s, new RegExp(`${g}\\[cpu\\] = hist\\(\\$ns\\)`));
    // contention maps are keyed by [the wait's kernel stack, cpu], the stack walked once per wait
    const walks = [...s.matchAll(/kstack\(/g)].length;
    if (s.includes(g0(CONTENTION_MAPS.waits))) {
      assert.equal(walks, 1, `${c.name}: one kstack() per contention wait`);
      assert.match(s, new RegExp(`\\$stack = kstack\\(${CONTENTION_STACK_DEPTH}\\);`));
    }
    for (const m of Object.values(CONTENTION_MAPS)) {
      for (const g of [g0(m), g1(m)]) for (const x of s.matchAll(new RegExp(`${g}\\[([^\\]]*)\\] =`, 'g'))) assert.equal(x[1], '$stack, cpu', `${c.name} ${g}`);
    }
  }
});

test('doubleBuffer: the adjacent lines writing printed maps go into both generation branches, the rest stays once', () => {
  const printed = new Set(['@a', '@b']);
  const body = ['p:x', '/@t[tid]/', '{', '  $v = @t[tid];', '  @a[cpu] = count();', '  if ($v) { @b[cpu] = sum($v); }', '  delete(@t[tid]);', '}', ''].join('\n');
  assert.equal(doubleBuffer(body, printed), ['p:x', '/@t[tid]/', '{', '  $v = @t[tid];',
    '  if (@rw_gen == 0) {', '    @a_0[cpu] = count();', '    if ($v) { @b_0[cpu] = sum($v); }',
    '  } else {', '    @a_1[cpu] = count();', '    if ($v) { @b_1[cpu] = sum($v); }', '  }',
    '  delete(@t[tid]);', '}', ''].join('\n'));
  assert.equal(doubleBuffer('p:y\n{\n  @t[tid] = 1;\n}', printed), 'p:y\n{\n  @t[tid] = 1;\n}', 'a body without printed maps is left alone');
  assert.equal(doubleBuffer('p:z\n{\n  @ab[cpu] = count();\n}', printed), 'p:z\n{\n  @ab[cpu] = count();\n}', 'names match whole');
  assert.throws(() => doubleBuffer('p:x\n{\n  @a[cpu] = count();\n  $x = 1;\n  @b[cpu] = count();\n}', printed), /adjacent/);
  assert.throws(() => doubleBuffer('p:x\n{\n  @a[cpu] = count();\n', printed), /closing/);
});

test('baseMapName: either generation of a printed map reads as the map; other names stay', () => {
  for (const m of PRINTED_MAPS) {
    assert.equal(baseMapName(g0(m)), m);
    assert.equal(baseMapName(g1(m)), m);
    assert.equal(baseMapName(m), m);
  }
  assert.equal(baseMapName('@cw_n_2'), '@cw_n_2');
  assert.equal(baseMapName('@cw_ts_0'), '@cw_ts_0', 'a temporary has no generations');
  assert.equal(baseMapName('@opens_1'), '@opens_1');
  assert.equal(baseMapName(GENERATION_MAP), GENERATION_MAP);
});

test('strategies render the probes they promise', async () => {
  const cases = Object.fromEntries((await scriptCases()).map((c) => [c.name, c.script]));
  const only = cases['6.18 recorded: contention only']!;
  assert.match(only, /^tracepoint:lock:contention_begin\n\/\(args->flags & 0x21\) == 0x1\//m);
  assert.doesNotMatch(only, /kprobe|kfunc|@pr_/);
  const kp = cases['DERIVED 6.18+kprobes: kprobe targets, lockref callsite']!;
  assert.match(kp, /^kprobe:pid_revalidate\n\{\n  if \(@rw_gen == 0\) \{\n    @pr_calls_0\[cpu\] = count\(\);\n    if \(arg3 & 0x100\) \{ @pr_rcu_0\[cpu\] = count\(\); \}\n  \} else \{\n    @pr_calls_1\[cpu\] = count\(\);\n    if \(arg3 & 0x100\) \{ @pr_rcu_1\[cpu\] = count\(\); \}\n  \}\n/m);
  assert.match(kp, /^kretprobe:pid_revalidate\n\{\n  if \(@rw_gen == 0\) \{\n    if \(\(int32\)retval == -10\) \{ @pr_echild_0\[cpu\] = count\(\); \}/m);
  assert.match(kp, /^kretprobe:try_to_unlazy_next\n\{\n  if \(@rw_gen == 0\) \{\n    if \(\(retval & 0xff\) == 0\) \{ @ul_next_fails_0\[cpu\] = count\(\); \}/m);
  assert.match(kp, /^kprobe:try_to_unlazy_next\+68\n\{\n  @lr_ts\[tid\] = nsecs;\n  if \(@rw_gen == 0\) \{\n    @lr_site_0\["try_to_unlazy_next\+68"\] = count\(\);/m);
  assert.match(kp, /^kprobe:try_to_unlazy_next\+73\n\/@lr_ts\[tid\]\//m);
  assert.match(kp, /^kprobe:d_alloc_parallel\+1003$/m);
  assert.ok(kp.includes(`print(${g0(LOCKREF_SITES)});`) && kp.includes(`print(${g1(LOCKREF_SITES)});`));
  assert.match(kp, /tracepoint:lock:contention_begin/); // spin context stays
  const direct = cases['DERIVED 6.18+kprobes+ON_NOTRACE: lockref direct']!;
  assert.match(direct, /^kretprobe:lockref_get_not_dead\n\/@lr_ts\[tid\]\//m);
  const clone = cases['DERIVED clone pid_revalidate.isra.0, unlazy_child errno']!;
  assert.match(clone, /^kprobe:pid_revalidate\.isra\.0$/m);
  assert.doesNotMatch(clone, /@pr_rcu/);
  assert.match(clone, /^kretprobe:unlazy_child\n\{\n  if \(@rw_gen == 0\) \{\n    if \(\(int32\)retval != 0\) \{ @ul_next_fails_0/m);
  const kf = cases['DERIVED fentry, legacy syntax (kfunc, bpftrace < 0.20)']!;
  assert.match(kf, /^kfunc:pid_revalidate\n\{\n  if \(@rw_gen == 0\) \{\n    @pr_calls_0\[cpu\] = count\(\);\n    if \(args->flags & 0x100\)/m);
  assert.match(kf, /^kretfunc:pid_revalidate$/m);
});

test('modern syntax (bpftrace >= 0.20), checked as text because 0.17 cannot compile it: fentry/fexit, args.x', async () => {
  const cases = Object.fromEntries((await scriptCases()).map((c) => [c.name, c.script]));
  const m = cases['DERIVED fentry, modern syntax (bpftrace >= 0.20)']!;
  assert.match(m, /^fentry:pid_revalidate\n\{\n  if \(@rw_gen == 0\) \{\n    @pr_calls_0\[cpu\] = count\(\);\n    if \(args\.flags & 0x100\)/m);
  assert.match(m, /^fexit:pid_revalidate\n\{\n  if \(@rw_gen == 0\) \{\n    if \(retval == -10\)/m, "fexit: retval has BTF type int, no cast");
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
  assert.throws(() => renderScript({ resolution: bad, syntax: 'legacy', version: '0.17.0', intervalMs: 1000 }, t), RenderError);
  const site = structuredClone(resolution);
  site[3] = { target: 'lockref', strategy: 'callsite', probe: 'kprobe', symbol: 'lockref_get_not_dead', callsites: [{ caller: 'a"b', offset: 1, nextOffset: 6 }], reason: null, rejected: [] };
  assert.throws(() => renderScript({ resolution: site, syntax: 'legacy', version: '0.17.0', intervalMs: 1000 }, t), /not a kernel symbol/);
  assert.throws(() => renderScript({ resolution, syntax: 'legacy', version: '0.17.0', intervalMs: 5 }, t), /below 10 ms/);
  assert.throws(() => renderScript({ resolution, syntax: 'legacy', version: '0.17.0', intervalMs: 1.5 }, t), /intervalMs/);
  const none = resolution.map((r) => ({ ...r, strategy: 'unavailable' as const }));
  assert.throws(() => renderScript({ resolution: none, syntax: 'legacy', version: '0.17.0', intervalMs: 1000 }, t), /no target is measurable/);
});

test('fill: lists and placeholders', () => {
  assert.equal(fill('a {{X}}\n{{#each L}}\n<{{Y}}{{X}}>\n{{/each}}\nz', { X: 1 }, { L: [{ Y: 'p' }, { Y: 'q' }] }), 'a 1\n<p1>\n\n<q1>\nz');
  assert.throws(() => fill('{{NOPE}}', {}), /no value/);
  assert.equal(templateBody('/*\n * h\n */\nbody\n'), 'body\n');
});
