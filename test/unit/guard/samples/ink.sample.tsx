// .tsx tests for the guard (guard.test.ts): an ink frame rendered and checked, and one rendered and never checked.
import '../../../helpers/ink-as-terminal.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Text } from 'ink';
import { render } from 'ink-testing-library';

test('pass: tsx renders and checks the frame', () => {
  const r = render(<Text>rcuwalk</Text>);
  assert.equal(r.lastFrame(), 'rcuwalk');
  r.unmount();
});

test('refused: tsx renders and checks nothing', () => {
  const r = render(<Text>rcuwalk</Text>);
  r.lastFrame();
  r.unmount();
});
