// The typed records the NDJSON parser makes of bpftrace's `-f json` output (0.17 and newer formats alike).
import type { Bucket } from '../schema/types.generated.js';

/** One map entry. `key` is bpftrace's key text as printed ("" for a keyless map; multi-keys joined by ","). */
export interface MapEntry { key: string; value: number }
export interface HistEntry { key: string; buckets: Bucket[] }

export type BpfRecord =
  | { kind: 'attached'; probes: number }
  | { kind: 'map'; name: string; entries: MapEntry[] }
  | { kind: 'hist'; name: string; entries: HistEntry[] }
  | { kind: 'printf'; text: string }
  | { kind: 'lost'; events: number }
  | { kind: 'error'; message: string }
  | { kind: 'other'; type: string };
