// A worker thread that compares passwords with bcrypt hashes, one message at a time (bcrypt-queue.ts feeds it), so
// bcrypt's ~0.1-0.3 s of CPU per check never runs on the thread that serves scrapes and closes intervals.
import { parentPort } from 'node:worker_threads';
import bcrypt from 'bcryptjs';

export interface CompareJob { id: number; password: string; hash: string }
export interface CompareResult { id: number; match: boolean }

parentPort?.on('message', (job: CompareJob) => {
  let match = false;
  try {
    match = bcrypt.compareSync(job.password, job.hash);
  } catch {
    match = false; // a hash bcryptjs cannot read matches nothing
  }
  parentPort!.postMessage({ id: job.id, match } satisfies CompareResult);
});
