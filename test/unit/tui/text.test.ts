// Styled text for the live view: control characters from outside never reach the terminal, widths count columns
// (not code units, not SGR codes), truncation and wrapping keep within the width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sanitize, styled, wrapStyle } from '../../../cli/tui/text/style.js';
import { lineWidth, truncateLine, wrapPlain } from '../../../cli/tui/text/width.js';
import { headerLines } from '../../../cli/tui/views/header.js';
import { headerModel } from '../../../cli/tui/view-model/header.js';
import { runningState } from './states.js';
import { plain } from '../../helpers/tui.js';

test('sanitize: escapes, C0/C1 controls and DEL are dropped, tabs become spaces, the rest kept', () => {
  assert.equal(sanitize('ps\u001B[2J -fe\u0007\u009B\u007F\tx'), 'ps[2J -fe x');
  assert.equal(sanitize('日本 ok'), '日本 ok');
  fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u001F\u007F-\u009F]/.test(sanitize(s)));
  }));
});

test('a hostile --cmd in the header cannot move the cursor or restyle the screen', () => {
  const s = runningState({ cpus: 2, intervals: 2 });
  const h = { ...headerModel(s, null, null), workload: 'sh -c "x"\u001B[2J\u001B[31m\u001B]0;owned\u0007' };
  const lines = headerLines({ model: h, width: 200, color: false, paused: false, reasons: false, baselineLabel: null, status: null });
  const all = lines.join('\n');
  assert.ok(!all.includes('\u001B[2J') && !all.includes('\u001B]') && !all.includes('\u0007'));
  // only SGR codes of our own remain
  // eslint-disable-next-line no-control-regex
  assert.deepEqual(all.match(/\u001B[^[]|\u001B\[[0-9;]*[^0-9;m]/g), null);
});

test('styled closes only what it opened, so a coloured span inside an inverse row keeps the row inverse', () => {
  const inner = styled('x', { color: 'red' });
  assert.equal(inner, '\u001B[31mx\u001B[39m');
  assert.equal(wrapStyle(`a${inner}b`, { inverse: true }), '\u001B[7ma\u001B[31mx\u001B[39mb\u001B[27m');
  assert.equal(styled('', { bold: true }), '');
  assert.equal(styled('plain', {}), 'plain');
});

test('lineWidth counts columns: SGR codes none, CJK two, combining marks none', () => {
  assert.equal(lineWidth('\u001B[1mabc\u001B[22m'), 3);
  assert.equal(lineWidth('日本'), 4);
  assert.equal(lineWidth('e\u0301'), 1);
  assert.equal(lineWidth('▁▂█ ↑↓ ▼ …'), 10);
});

test('truncateLine: never wider than asked, … when cut, unchanged when it fits, styles reset after a cut', () => {
  assert.equal(truncateLine('abcdef', 4), 'abc…');
  assert.equal(truncateLine('abc', 4), 'abc');
  assert.equal(truncateLine('\u001B[31mabcdef\u001B[39m', 3), '\u001B[31mab…\u001B[0m');
  assert.equal(truncateLine('日本語', 4), '日…');
  fc.assert(fc.property(fc.array(fc.oneof(fc.constantFrom('\u001B[1m', '\u001B[39m', '日', '▁', 'é'), fc.string())), fc.integer({ min: 1, max: 30 }), (parts, w) => {
    const line = sanitizeKeepSgr(parts.join(''));
    const t = truncateLine(line, w);
    assert.ok(lineWidth(t) <= w, `${JSON.stringify(t)} is wider than ${w}`);
    if (lineWidth(line) <= w) assert.equal(t, line);
    else assert.ok(plain(t).endsWith('…'));
  }));
});

test('wrapPlain: lines within the width, the indent kept on each, no word lost', () => {
  assert.deepEqual(wrapPlain('    why: the symbol is not traceable here', 20), ['    why: the symbol', '    is not traceable', '    here']);
  fc.assert(fc.property(fc.array(fc.stringMatching(/^[a-z]{1,12}$/), { maxLength: 20 }), fc.integer({ min: 14, max: 60 }), (words, w) => {
    const lines = wrapPlain('  ' + words.join(' '), w);
    for (const l of lines) assert.ok(lineWidth(l) <= w && l.startsWith('  '));
    assert.equal(lines.map((l) => l.trim()).filter(Boolean).join(' '), words.join(' '));
  }));
});

/** Test input: our SGR codes kept, other control characters dropped (what lines hold after styled()). */
function sanitizeKeepSgr(s: string): string {
  return s.split(/(\u001B\[[0-9;]*m)/).map((p, i) => (i % 2 ? p : sanitize(p))).join('');
}
