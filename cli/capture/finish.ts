// End of a capture: state -> validated capture file (atomically), and the journal removed only once the file is safe.
import { UserError } from '../errors.js';
import { validateCapture } from '../schema/validate.js';
import type { CaptureState } from '../state/state.js';
import { writeFileAtomic } from './atomic-write.js';
import type { CaptureOptions, CaptureResult } from './engine-api.js';
import type { Journal } from './journal.js';
import { toCapture } from './to-capture.js';

export interface FinishInput {
  state: CaptureState;
  outPath: string | null;
  force: boolean;
  journal: Journal | null;
  trial: CaptureOptions['trial'];
  log: (line: string) => void;
}

export async function finishCapture(input: FinishInput): Promise<CaptureResult> {
  const capture = toCapture(input.state);
  if (input.trial) capture.trial = input.trial;
  validateCapture(capture, '(capture being written)');
  if (input.outPath) {
    try {
      writeFileAtomic(input.outPath, JSON.stringify(capture, null, 1) + '\n', { force: input.force });
    } catch (err) {
      // the journal is all that is left of the run: say where it is and how to get a capture from it
      if (err instanceof UserError && input.journal) {
        input.journal.close();
        throw new UserError(err.message, `the measured intervals are in ${input.journal.path}: rcuwalk recover ${input.journal.path} -o FILE (on a disk with space)`, err.exitCode);
      }
      throw err;
    }
    input.journal?.remove();
    input.log(`wrote ${input.outPath}`);
  }
  return { capture, outPath: input.outPath };
}
