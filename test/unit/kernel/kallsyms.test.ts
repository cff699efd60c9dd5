import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { classifySymbol, findFunction, kallsymsExcerpt, kallsymsExcerptFromText, parseKallsyms } from '../../../cli/kernel/kallsyms.js';
import { FACT_FUNCTIONS } from '../../../cli/kernel/fact-names.js';
import { FIXTURES_DIR } from '../../helpers/fixtures.js';

const k618 = readFileSync(join(FIXTURES_DIR, 'kernels', '6.18', 'kallsyms.txt'), 'utf8');

test('clone suffixes: .isra/.constprop/.llvm are the function, .part and .cold are not entries', () => {
  assert.equal(classifySymbol('pid_revalidate', 'pid_revalidate'), 'exact');
  assert.equal(classifySymbol('pid_revalidate.isra.0', 'pid_revalidate'), 'clone');
  assert.equal(classifySymbol('try_to_unlazy_next.constprop.0', 'try_to_unlazy_next'), 'clone');
  assert.equal(classifySymbol('foo.isra.0.constprop.1', 'foo'), 'clone');
  assert.equal(classifySymbol('foo.llvm.123456', 'foo'), 'clone');
  assert.equal(classifySymbol('d_alloc_parallel.part.0', 'd_alloc_parallel'), 'part');
  assert.equal(classifySymbol('d_alloc_parallel.cold', 'd_alloc_parallel'), 'cold');
  assert.equal(classifySymbol('foo.isra.0.cold', 'foo'), 'cold');
  assert.equal(classifySymbol('try_to_unlazy_next', 'try_to_unlazy'), 'other');
  assert.equal(classifySymbol('foo_bar', 'foo'), 'other');
});

test('6.18 (recorded): symbols, sizes up to the next symbol (__pfx_ padding of the next function)', () => {
  const e = parseKallsyms(k618);
  const t = findFunction(e, 'try_to_unlazy_next').chosen!;
  assert.equal(t.name, 'try_to_unlazy_next');
  assert.equal(t.address, 0xffffffff816cab40n);
  assert.equal(t.size, 288);
  assert.equal(t.nextSymbol, '__pfx_try_to_unlazy');
  assert.equal(findFunction(e, 'd_alloc_parallel').chosen!.size, 1152);
  assert.equal(findFunction(e, 'lockref_get_not_dead').chosen!.type, 'T');
  assert.equal(findFunction(e, 'unlazy_child').chosen, null);
  // try_to_unlazy must not pick try_to_unlazy_next (a different function)
  assert.equal(findFunction(e, 'try_to_unlazy').chosen!.address, 0xffffffff816cac70n);
});

test('exact beats clones, constprop beats isra; part/cold/data/module symbols are passed over with reasons', () => {
  const text = [
    'ffffffff81000000 t pid_revalidate.isra.0',
    'ffffffff81000100 t pid_revalidate.constprop.0',
    'ffffffff81000200 t pid_revalidate.part.0',
    'ffffffff81000300 t pid_revalidate.cold',
    'ffffffff81000400 d pid_revalidate.constprop.1',
    'ffffffff81000500 T other',
    'ffffffffc0000000 t pid_revalidate\t[somemod]',
  ].join('\n');
  const l = findFunction(parseKallsyms(text), 'pid_revalidate');
  assert.equal(l.chosen!.name, 'pid_revalidate.constprop.0');
  assert.equal(l.chosen!.size, 0x100);
  const reasons = Object.fromEntries(l.passedOver.map((p) => [p.name, p.reason]));
  assert.match(reasons['pid_revalidate.part.0']!, /split-off/);
  assert.match(reasons['pid_revalidate.cold']!, /not an entry/);
  assert.match(reasons['pid_revalidate.constprop.1']!, /not a text symbol/);
  assert.match(reasons['pid_revalidate']!, /module/);
  assert.match(reasons['pid_revalidate.isra.0']!, /preferred/);
});

test('unsorted input (module symbols) is sorted; zero addresses are reported as hidden', () => {
  const e = parseKallsyms('ffffffff81000100 T b\nffffffff81000000 T a\n');
  assert.deepEqual(e.map((x) => x.name), ['a', 'b']);
  const hidden = findFunction(parseKallsyms('0000000000000000 T a\n0000000000000000 T b\n'), 'a');
  assert.equal(hidden.addressesHidden, true);
  assert.equal(hidden.chosen!.size, null);
});

test('the excerpt of the excerpt is itself (idempotent), so fixtures can be re-derived', () => {
  const e = parseKallsyms(k618);
  const names = ['pid_revalidate', 'try_to_unlazy_next', 'try_to_unlazy', 'lockref_get_not_dead', '__legitimize_path', 'd_alloc_parallel', 'proc_misc_d_revalidate'];
  const lines = kallsymsExcerpt(e, names);
  assert.deepEqual(lines, k618.split('\n').filter((l) => l && !l.startsWith('#')));
});

test('kallsymsExcerptFromText gives exactly kallsymsExcerpt(parseKallsyms(text)) on this machine\'s /proc/kallsyms', (t) => {
  let text: string;
  try { text = readFileSync('/proc/kallsyms', 'utf8'); } catch (err) { t.skip(`/proc/kallsyms unreadable here: ${(err as Error).message}`); return; }
  if (/^0+ /.test(text) && !/^0*[1-9a-f]/m.test(text)) { t.skip('/proc/kallsyms addresses are hidden (not root): the comparison needs real addresses'); return; }
  const fromText = kallsymsExcerptFromText(text, FACT_FUNCTIONS);
  assert.ok(fromText.length >= FACT_FUNCTIONS.length / 2, `${fromText.length} lines`);
  assert.deepEqual(fromText, kallsymsExcerpt(parseKallsyms(text), FACT_FUNCTIONS));
});

test('kallsymsExcerptFromText equals the parsed excerpt on every recorded kernel\'s kallsyms fixture', () => {
  for (const k of ['5.10.0-46-amd64', '6.1.0-56-amd64', '6.18', '7.3.4+deb13-amd64']) {
    const text = readFileSync(join(FIXTURES_DIR, 'kernels', k, 'kallsyms.txt'), 'utf8');
    assert.deepEqual(kallsymsExcerptFromText(text, FACT_FUNCTIONS), kallsymsExcerpt(parseKallsyms(text), FACT_FUNCTIONS), k);
  }
});

test('kallsymsExcerptFromText: unsorted text, module symbols, aliases at one address, hidden addresses', () => {
  const text = [
    'ffffffff81000300 T zeta',
    'ffffffff81000100 t pid_revalidate',
    'ffffffff81000200 t alias_a',
    'ffffffff81000200 T alias_b',
    'ffffffff81000150 t pid_revalidate.cold',
    'ffffffffc0000000 t pid_revalidate\t[some_mod]',
    'ffffffffc0000100 t lockref_get_not_dead',
    '# a comment',
    '',
  ].join('\n');
  const want = kallsymsExcerpt(parseKallsyms(text), FACT_FUNCTIONS);
  assert.deepEqual(kallsymsExcerptFromText(text, FACT_FUNCTIONS), want);
  assert.deepEqual(want, [
    'ffffffff81000100 t pid_revalidate', 'ffffffff81000150 t pid_revalidate.cold', 'ffffffff81000200 t alias_a',
    'ffffffffc0000100 t lockref_get_not_dead',
  ]);
  const hidden = '0000000000000000 t pid_revalidate\n0000000000000000 T other\n';
  assert.deepEqual(kallsymsExcerptFromText(hidden, FACT_FUNCTIONS), kallsymsExcerpt(parseKallsyms(hidden), FACT_FUNCTIONS));
});

test('kallsymsExcerptFromText equals the parsed excerpt on random symbol tables (any order, clones, modules)', () => {
  const names = ['pid_revalidate', 'pid_revalidate.isra.0', 'try_to_unlazy', 'lockref_get_not_dead', 'a', 'b', 'c.part.0'];
  const line = fc.record({ addr: fc.integer({ min: 0, max: 40 }), type: fc.constantFrom('t', 'T', 'd'), name: fc.constantFrom(...names), mod: fc.boolean() })
    .map((l) => `ffffffff810000${l.addr.toString(16).padStart(2, '0')} ${l.type} ${l.name}${l.mod ? '\t[m]' : ''}`);
  fc.assert(fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
    const text = lines.join('\n') + '\n';
    assert.deepEqual(kallsymsExcerptFromText(text, FACT_FUNCTIONS), kallsymsExcerpt(parseKallsyms(text), FACT_FUNCTIONS));
  }));
});
