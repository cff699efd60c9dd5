// One bcrypt comparison at a time, in one worker thread (bcrypt-worker.ts): a flood of passwords to check costs at
// most one core, and the event loop only posts and receives messages. At most `maxWaiting` checks wait behind the
// running one; beyond that compare() refuses at once, queueing nothing. A check whose client left while it waited is
// dropped unrun. The worker starts with the first check and ends after `idleMs` without one (no idle V8 heap kept).
import { Worker } from 'node:worker_threads';
import type { CompareJob, CompareResult } from './bcrypt-worker.js';

interface Waiting {
  password: string;
  hash: string;
  gone: () => boolean;
  resolve(match: boolean | null): void;
  reject(err: Error): void;
}

export class BcryptQueue {
  private worker: Worker | null = null;
  private running: (Waiting & { id: number }) | null = null;
  private readonly waiting: Waiting[] = [];
  private nextId = 1;
  private idle: NodeJS.Timeout | null = null;

  constructor(private readonly maxWaiting: number, private readonly idleMs = 10_000) {}

  /**
   * Whether `password` matches `hash`; null when the check was dropped because its client left. Returns null at once,
   * not a promise, when `maxWaiting` checks already wait.
   */
  compare(password: string, hash: string, gone: () => boolean): Promise<boolean | null> | null {
    if (this.waiting.length >= this.maxWaiting) return null;
    const p = new Promise<boolean | null>((resolve, reject) => { this.waiting.push({ password, hash, gone, resolve, reject }); });
    this.pump();
    return p;
  }

  /** checks waiting or running */
  get depth(): number {
    return this.waiting.length + (this.running ? 1 : 0);
  }

  async close(): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    for (const w of this.waiting.splice(0)) w.resolve(null);
    const worker = this.worker;
    this.worker = null;
    this.running?.resolve(null);
    this.running = null;
    if (worker) await worker.terminate();
  }

  private pump(): void {
    if (this.running) return;
    let next = this.waiting.shift();
    while (next && next.gone()) { next.resolve(null); next = this.waiting.shift(); }
    if (!next) { this.armIdle(); return; }
    if (this.idle) { clearTimeout(this.idle); this.idle = null; }
    const worker = this.worker ?? (this.worker = this.spawn());
    this.running = { ...next, id: this.nextId++ };
    worker.postMessage({ id: this.running.id, password: next.password, hash: next.hash } satisfies CompareJob);
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./bcrypt-worker.js', import.meta.url));
    worker.unref();
    worker.on('message', (r: CompareResult) => {
      const job = this.running;
      if (this.worker !== worker || !job || job.id !== r.id) return;
      this.running = null;
      job.resolve(r.match);
      this.pump();
    });
    worker.on('error', (err) => this.lost(worker, err));
    worker.on('exit', (code) => this.lost(worker, new Error(`the bcrypt worker exited (code ${code})`)));
    return worker;
  }

  /** the worker died: its check fails (the request gets 500), the next check starts a new one */
  private lost(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const job = this.running;
    this.running = null;
    job?.reject(err);
    this.pump();
  }

  private armIdle(): void {
    if (this.idle || !this.worker) return;
    this.idle = setTimeout(() => {
      this.idle = null;
      const worker = this.worker;
      this.worker = null;
      void worker?.terminate();
    }, this.idleMs);
    this.idle.unref();
  }
}
