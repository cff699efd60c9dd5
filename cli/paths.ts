// Where the package's own files are, whether run from dist/ or installed globally.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The package root (holds package.json, probes/, schemas/). dist/cli/paths.js -> ../.. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PROBES_DIR = join(PACKAGE_ROOT, 'probes');
export const SCHEMAS_DIR = join(PACKAGE_ROOT, 'schemas');
