// A value that changes over time and tells its readers: what LiveSession publishes and the UI reads with React's
// useSyncExternalStore (get and subscribe are bound, so they can be passed as they are). No React import.
export class ViewStore<T> {
  private readonly listeners = new Set<() => void>();

  constructor(private value: T) {}

  readonly get = (): T => this.value;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  };

  /** A new value: every reader is told (the same value again tells no one). */
  set(next: T): void {
    if (next === this.value) return;
    this.value = next;
    for (const l of [...this.listeners]) l();
  }
}
