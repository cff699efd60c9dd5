// Holds the current CaptureState and tells subscribers after every reduced event.
import type { CaptureEvent } from '../state/events.js';
import type { CaptureState } from '../state/state.js';

export interface Store {
  get(): CaptureState;
  dispatch(event: CaptureEvent): void;
  subscribe(listener: (state: CaptureState) => void): () => void;
}

export function createStore(initial: CaptureState, reduce: (s: CaptureState, e: CaptureEvent) => CaptureState): Store {
  let state = initial;
  const listeners = new Set<(s: CaptureState) => void>();
  return {
    get: () => state,
    dispatch(event) {
      state = reduce(state, event);
      for (const l of listeners) l(state);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
