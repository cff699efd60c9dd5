// ViewStore: what LiveSession publishes and LiveApp reads with useSyncExternalStore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ViewStore } from '../../../cli/tui/view-store.js';

test('view store: a new value notifies every subscriber, the same value none; unsubscribed readers are not told', () => {
  const first = { n: 1 };
  const s = new ViewStore(first);
  const seen: string[] = [];
  const offA = s.subscribe(() => seen.push(`a:${s.get().n}`));
  s.subscribe(() => seen.push(`b:${s.get().n}`));
  s.set(first);
  assert.equal(seen.length, 0, 'the same value again tells no one');
  s.set({ n: 2 });
  assert.deepEqual(seen, ['a:2', 'b:2']);
  offA();
  s.set({ n: 3 });
  assert.deepEqual(seen, ['a:2', 'b:2', 'b:3']);
  const { get, subscribe } = s; // passed unbound to useSyncExternalStore
  assert.equal(get().n, 3);
  const off = subscribe(() => seen.push('c'));
  s.set({ n: 4 });
  off();
  assert.deepEqual(seen.slice(-2), ['b:4', 'c']);
});
