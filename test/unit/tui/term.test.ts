// The terminal side of the live UI: keys from raw input bytes, and Screen writing only what changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKeys } from '../../../cli/tui/term/keys.js';
import { Screen } from '../../../cli/tui/term/screen.js';

test('parseKeys: letters, Ctrl-C, tab and shift-tab, enter, escape, arrows, paging, home/end in both spellings', () => {
  const one = (s: string) => { const k = parseKeys(s); assert.equal(k.length, 1, JSON.stringify(s)); return k[0]!; };
  assert.equal(one('q').input, 'q');
  assert.ok(one('G').shift);
  assert.ok(one('\u0003').ctrl && one('\u0003').input === 'c');
  assert.ok(one('\t').tab && !one('\t').shift);
  assert.ok(one('\u001B[Z').tab && one('\u001B[Z').shift);
  assert.ok(one('\r').return);
  assert.ok(one('\u001B').escape);
  for (const [s, k] of [['\u001B[A', 'upArrow'], ['\u001BOB', 'downArrow'], ['\u001B[C', 'rightArrow'], ['\u001B[D', 'leftArrow'],
    ['\u001B[5~', 'pageUp'], ['\u001B[6~', 'pageDown'], ['\u001B[H', 'home'], ['\u001B[1~', 'home'], ['\u001B[F', 'end'], ['\u001B[4~', 'end']] as const) {
    assert.ok(one(s)[k], `${JSON.stringify(s)} is ${k}`);
    assert.equal(one(s).input, '');
  }
  assert.deepEqual(parseKeys('jj\u001B[Bq').map((k) => k.input || (k.downArrow ? 'down' : '?')), ['j', 'j', 'down', 'q']);
  assert.deepEqual(parseKeys('\u001B[99X'), [], 'an unknown sequence is dropped, not read as letters');
});

/** A tiny terminal: applies the Screen's bytes (cursor up/down, CR, LF, erase line, text) to rows of text. */
function apply(rows: string[], pos: { r: number; c: number }, bytes: string): void {
  // eslint-disable-next-line no-control-regex
  const re = /\u001B\[(\d*)([ABJHK])|\u001B\[\?25[hl]|\r|\n|[^\u001B\r\n]+/g;
  for (const m of bytes.matchAll(re)) {
    const t = m[0];
    if (m[2] === 'A') pos.r -= Number(m[1] || 1);
    else if (m[2] === 'B') pos.r += Number(m[1] || 1);
    else if (m[2] === 'K') rows[pos.r] = '';
    else if (m[2] === 'J') rows.length = 0;
    else if (m[2] === 'H') { pos.r = 0; pos.c = 0; }
    else if (t === '\r') pos.c = 0;
    else if (t === '\n') { pos.r += 1; pos.c = 0; }
    else if (!t.startsWith('\u001B')) { const cur = (rows[pos.r] ?? '').padEnd(pos.c); rows[pos.r] = cur.slice(0, pos.c) + t; pos.c += t.length; }
    assert.ok(pos.r >= 0, 'the cursor never goes above the frame');
  }
}

test('Screen: the first frame in full; then only changed lines; a shorter frame erases the rest', () => {
  const s = new Screen();
  const rows: string[] = [];
  const pos = { r: 0, c: 0 };
  const f1 = ['head', 'a', 'b', 'c', 'foot'];
  apply(rows, pos, s.draw(f1));
  assert.deepEqual(rows, f1);
  assert.equal(s.draw(f1), '', 'nothing changed: nothing written');
  const f2 = ['head', 'a', 'B!', 'c', 'foot'];
  const bytes = s.draw(f2);
  assert.ok(bytes.includes('B!') && !bytes.includes('head') && !bytes.includes('foot'), JSON.stringify(bytes));
  apply(rows, pos, bytes);
  assert.deepEqual(rows, f2);
  const f3 = ['head', 'x', 'y', 'z', 'w', 'v', 'foot'];
  apply(rows, pos, s.draw(f3));
  assert.deepEqual(rows, f3);
  apply(rows, pos, s.draw(['head', 'x']));
  assert.deepEqual(rows.slice(0, 2), ['head', 'x']);
  assert.ok(rows.slice(2).every((r) => r === ''), 'the old lines below are erased');
  apply(rows, pos, s.finish());
  assert.equal(pos.r, 2, 'the cursor ends below the last frame');
});

test('Screen: after reset() the next frame is drawn in full from the top', () => {
  const s = new Screen();
  const rows: string[] = [];
  const pos = { r: 0, c: 0 };
  apply(rows, pos, s.draw(['1', '2', '3']));
  apply(rows, pos, s.reset());
  assert.deepEqual([rows.length, pos.r], [0, 0]);
  apply(rows, pos, s.draw(['1', '2', '3']));
  assert.deepEqual(rows, ['1', '2', '3']);
});
