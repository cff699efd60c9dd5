// ink's text caches stay bounded (patches/ink+6.8.0.patch, applied by `npm ci`): ink 6.8 kept every text it measured
// or wrapped in two module caches, so a UI whose lines change every frame grew without end.
import '../../helpers/ink-as-terminal.js'; // first: ink loaded as on a terminal, also under CI=true
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';

interface Cache { readonly size: number; get(key: string): unknown }
// the modules ink itself imports (its package exports only its index): the same instances ink uses
const inkIndex = import.meta.resolve('ink');
const { measureCache } = (await import(new URL('./measure-text.js', inkIndex).href)) as { measureCache?: Cache };
const { wrapCache } = (await import(new URL('./wrap-text.js', inkIndex).href)) as { wrapCache?: Cache };
const BOUND = 2 * 1000; // two generations of 1000

const unpatched = 'ink is not patched: `npm ci` applies patches/ink+6.8.0.patch (postinstall: patch-package)';

test('ink text caches: 100 frames of 25 changing rows (5000 distinct texts measured, 2500 truncated) stay bounded', () => {
  assert.ok(measureCache && wrapCache, unpatched);
  // each row is measured, truncated to the box, and its truncated text measured: 3 cache entries a row a frame
  const rows = (k: number) => (
    <Box flexDirection="column" width={30}>
      {Array.from({ length: 25 }, (_, i) => <Text key={i} wrap="truncate">{`row ${i} of frame ${k}, wider than the box`}</Text>)}
    </Box>
  );
  const r = render(rows(0));
  try {
    for (let k = 1; k <= 100; k++) r.rerender(rows(k));
    assert.match(r.lastFrame() ?? '', /row 24 of frame 100/, 'the last frame is drawn');
    assert.ok(measureCache.size > 1000, `texts were measured through the cache (${measureCache.size})`);
    assert.ok(wrapCache.size > 1000, `texts were truncated through the cache (${wrapCache.size})`);
    assert.ok(measureCache.size <= BOUND, `measure cache ${measureCache.size} entries after 5000 distinct texts`);
    assert.ok(wrapCache.size <= BOUND, `wrap cache ${wrapCache.size} entries after 2500 distinct texts`);
    assert.equal(measureCache.get('row 0 of frame 0, wider than the box'), undefined, 'the first frame\'s rows are gone');
  } finally { r.unmount(); }
});
