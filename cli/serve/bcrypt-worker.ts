// A worker thread that compares passwords with bcrypt hashes, one message at a time (bcrypt-queue.ts feeds it), so
// bcrypt's ~0.1-0.3 s of CPU per check never runs on the thread that serves scrapes and closes intervals. On a busy
// host that thread comes first: this one runs at nice 10 (Linux's nice is per thread), ~10% of a core against a
// nice-0 thread that wants it all.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import bcrypt from 'bcryptjs';

try {
  setPriority(10);
} catch {
  // not allowed here (it always is on Linux, lowering): the checks keep serve's priority
}

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
