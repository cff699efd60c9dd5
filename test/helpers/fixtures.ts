// Where the recorded fixtures are (test/fixtures: real bpftrace output and kernel facts, each folder's README says
// where from). Tests only: shipped code knows no test paths.
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../cli/paths.js';

export const FIXTURES_DIR = join(PACKAGE_ROOT, 'test', 'fixtures');
