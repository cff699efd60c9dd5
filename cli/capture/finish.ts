// End of a capture: state + journal -> validated capture file (streamed, atomically), and the journal removed only
// once the file is safe. The state holds only the latest intervals (CaptureState.intervals); the file's intervals
// are read back from the journal one at a time, so writing a long capture does not hold it all in memory.
import { UserError } from '../errors.js';
import type { Capture, Interval } from '../schema/types.generated.js';
import { readJsonFile, validateCapture, validateCaptureInterval } from '../schema/validate.js';
import type { CaptureState } from '../state/state.js';
import { writeFileAtomicStream } from '../atomic-write.js';
import { captureJsonChunks } from './capture-json.js';
import type { CaptureOptions, CaptureResult } from './engine-api.js';
import type { Journal } from './journal.js';
import { toCapture } from './to-capture.js';

export interface FinishInput {
  state: CaptureState;
  outPath: string | null;
  force: boolean;
  /** every closed interval (null: no file, so no journal) */
  journal: Journal | null;
  /** without a journal: every closed interval, when the engine kept them (resultIntervals 'all'); else null */
  kept?: Interval[] | null;
  trial: CaptureOptions['trial'];
  resultIntervals?: CaptureOptions['resultIntervals'];
  log: (line: string) => void;
}

const LABEL = '(capture being written)';

/** `source` (the run's intervals from seq 0), each checked against the schema; throws unless there are `expected`. */
function* checked(source: Iterable<Interval>, expected: number): Generator<Interval> {
  let i = 0;
  for (const iv of source) {
    validateCaptureInterval(iv, i, LABEL);
    if (iv.seq !== i) throw new Error(`${LABEL}: interval ${i} has seq ${iv.seq}: the intervals are not the run's, in order`);
    i++;
    yield iv;
  }
  if (i !== expected) throw new Error(`${LABEL}: ${i} intervals to write, the run closed ${expected}`);
}

export async function finishCapture(input: FinishInput): Promise<CaptureResult> {
  const { state } = input;
  const head = toCapture(state, []);
  if (input.trial) head.trial = input.trial;
  // everything but the intervals, checked before anything is written (each interval is checked as it is written)
  validateCapture(head, LABEL);
  const total = state.intervalCount;
  const recent = input.resultIntervals === 'recent';
  const window = (): Capture => ({ ...head, intervals: state.intervals.slice() });
  // the journal (closed: nothing more is appended) holds every interval; without one, those the engine kept, or
  // (a state built without an engine) the state's own, complete while the run is no longer than its window
  const journal = input.journal;
  journal?.close();
  const source: Iterable<Interval> = journal ? journal.intervals() : input.kept ?? state.intervals;

  if (!input.outPath) {
    if (recent) return { capture: window(), outPath: null, intervalCount: total };
    return { capture: { ...head, intervals: [...checked(source, total)] }, outPath: null, intervalCount: total };
  }
  try {
    writeFileAtomicStream(input.outPath, captureJsonChunks(head, checked(source, total)), { force: input.force });
  } catch (err) {
    // the journal is all that is left of the run: say where it is and how to get a capture from it
    if (err instanceof UserError && journal) {
      throw new UserError(err.message, `the measured intervals are in ${journal.path}: rcuwalk recover ${journal.path} -o FILE (on a disk with space)`, err.exitCode);
    }
    throw err;
  }
  journal?.remove();
  input.log(`wrote ${input.outPath}`);
  // callers that want every interval get the file back (just checked piece by piece: not validated again)
  const capture = recent ? window() : (readJsonFile(input.outPath) as Capture);
  return { capture, outPath: input.outPath, intervalCount: total };
}
