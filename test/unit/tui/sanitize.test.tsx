// Text from outside (a --cmd, kernel strings, errors, file names) never reaches the terminal with control
// characters: sanitize() on its own, and the header drawn by ink with a hostile --cmd and baseline name.
import '../../helpers/ink-as-terminal.js'; // first: ink loaded as on a terminal, also under CI=true
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sanitize } from '../../../cli/tui/sanitize.js';
import { headerModel } from '../../../cli/tui/view-model/header.js';
import { Header } from '../../../cli/tui/components/header.js';
import { runningState } from './states.js';
import { mountApp } from '../../helpers/tui.js';
import { render } from 'ink-testing-library';

test('sanitize: escapes, C0/C1 controls and DEL are dropped, tabs become spaces, the rest kept', () => {
  assert.equal(sanitize('ps\u001B[2J -fe\u0007\u009B\u007F\tx'), 'ps[2J -fe x');
  assert.equal(sanitize('日本 ok'), '日本 ok');
  fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u001F\u007F-\u009F]/.test(sanitize(s)));
  }));
});

const HOSTILE = 'sh -c "x"\u001B[2J\u001B[31m\u001B]0;owned\u0007';

/** Only SGR codes of our own remain: no other escape, no OSC, no BEL. */
function assertOnlySgr(frame: string): void {
  assert.ok(!frame.includes('\u001B[2J') && !frame.includes('\u001B]') && !frame.includes('\u0007'), JSON.stringify(frame));
  // eslint-disable-next-line no-control-regex
  assert.deepEqual(frame.match(/\u001B[^[]|\u001B\[[0-9;]*[^0-9;m]/g), null);
  // eslint-disable-next-line no-control-regex
  assert.ok(!/[\u0000-\u0008\u000B-\u001A\u001C-\u001F\u007F-\u009F]/.test(frame), 'no other control character');
}

test('a hostile --cmd in the header cannot move the cursor, set the title or ring the bell', () => {
  const s = runningState({ cpus: 2, intervals: 2 });
  const h = { ...headerModel(s, null, null), workload: HOSTILE };
  const r = render(<Header model={h} width={200} color={true} paused={false} reasons={false} baselineLabel={HOSTILE} status={null} />);
  const f = r.lastFrame() ?? '';
  assert.match(f, /sh -c "x"\[2J\[31m\]0;owned/);
  assertOnlySgr(f);
  r.unmount();
});

test('the whole screen with a hostile command, baseline name and error text: only our SGR codes', () => {
  const s = runningState({ cpus: 2, intervals: 2 });
  const st = { ...s, meta: { ...s.meta!, settings: { ...s.meta!.settings, workload: 'cmd' as const, command: HOSTILE } } };
  const r = mountApp({ state: st, color: true, baselineLabel: HOSTILE, status: HOSTILE });
  assertOnlySgr(r.lastFrame());
  r.unmount();
  const e = mountApp({ state: s, color: true, error: [`rcuwalk: ${HOSTILE}`, `  next: ${HOSTILE}`] });
  assert.match(e.text(), /next: sh -c/);
  assertOnlySgr(e.lastFrame());
  e.unmount();
});
