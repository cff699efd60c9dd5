// Module resolution hooks (registered by register.ts): test code that imports node:assert or fast-check gets the
// counting versions in this folder. Only test code: the product's own imports, and this folder's, are the real ones.
import type { ResolveHook } from 'node:module';

const here = new URL('./', import.meta.url).href;
/** dist/test/ (compiled tests and helpers) and the repository's test/ (tests run from source, as test/vm's). */
const testCode = [new URL('../', import.meta.url).href, new URL('../../../test/', import.meta.url).href];

const COUNTING: Record<string, string> = {
  'node:assert/strict': 'assert-strict.js',
  'assert/strict': 'assert-strict.js',
  'node:assert': 'assert-legacy.js',
  assert: 'assert-legacy.js',
  'fast-check': 'fast-check.js',
};

export const resolve: ResolveHook = (specifier, context, nextResolve) => {
  const parent = context.parentURL;
  const file = COUNTING[specifier];
  if (file && parent && !parent.startsWith(here) && testCode.some((root) => parent.startsWith(root))) {
    return { url: new URL(file, here).href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
};
