// bpftrace `-f json` lines -> typed records. Handles 0.17 through 0.27 spellings; never throws.
//
// Formats seen (see test/fixtures/bpftrace/README.md for where each comes from; REC: a real recording here,
// 0.17 on Linux 6.18 and the contention script with Debian's 0.23.2 and 0.27.1):
//   attached:  {"type": "attached_probes", "data": {"probes": 3}}            (0.17 REC, 0.23 REC)
//              {"type":"attached_probes", "count":3}                          (0.24 dev, src/output/json.cpp)
//              {"type": "attached_probes", "count": 5, "data": {"probes": 5}} (0.24 after bpftrace PR #4481; 0.27 REC)
//   lost:      {"type": "lost_events", "data": {"events": 7}} (0.17 REC) / {"type":"lost_events", "count":7} / both
//   map:       {"type": "map", "data": {"@m": {"0": 3, "1": 2}}}, keyless {"type": "map", "data": {"@m": 5}}
//              [kstack, cpu] keys (keys.ts reads all three alike): 0.17 REC "\n    f+1\n    g+2\n,0"; 0.23 REC the
//              same twice escaped (a backslash and an n between frames, 8 spaces); 0.27 REC "\nf+1\ng+2\n,0"
//   hist:      {"type": "hist", "data": {"@h": {"0": [{"min": 64, "max": 127, "count": 1}]}}} or unkeyed [...]
//              (the same bucket objects in 0.17, 0.23 and 0.27 REC)
//   printf:    {"type": "printf", "data": "text\n"} (0.17, 0.23, 0.27 REC)
//   blank:     the empty maps printed at exit: blank lines in 0.17 and 0.23 REC, nothing in 0.27 REC
//   errors:    {"type": "helper_error", "helper": "map_update_elem", "retcode": -7, "line": 2, "col": 50} (0.17 -k REC)
//              {"type": "helper_error", "msg": "Map full; ...", "helper": ..., "retcode": -7, "line", "col"} (0.23 REC)
//              the same with "filename" (0.27 REC); {"type": "runtime_error", "msg": "Divide or modulo by 0 ...",
//              "filename", "line", "col"} (0.27 REC); print_error; a bare "ERROR: ..." text line
//   others:    time, cat, join, syscall, value, stats, tseries, benchmark_results -> {kind: 'other'}
// Map names: rcuwalk's scripts print each map as two generations (`@cw_n_0`, `@cw_n_1`, see cli/script-protocol/generations.ts); a record
// of either is named by the base name (`@cw_n`), so both generations of one interval add up in the reducer.
import type { BpfRecord, HistEntry, MapEntry } from './records.js';
import { normaliseBuckets, toInt } from './buckets.js';
import { baseMapName } from '../script-protocol/generations.js';

const MAX_MSG = 500;

function clip(s: string): string {
  return s.length > MAX_MSG ? `${s.slice(0, MAX_MSG)}…` : s;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The one (name, value) pair of a map/hist record's data. */
function namedValue(data: unknown): [string, unknown] | null {
  if (!isObj(data)) return null;
  for (const k of Object.keys(data)) return [baseMapName(k), data[k]];
  return null;
}

function mapRecord(data: unknown): BpfRecord {
  const nv = namedValue(data);
  if (!nv) return { kind: 'other', type: 'map' };
  const [name, value] = nv;
  const scalar = toInt(value);
  if (scalar !== null) return { kind: 'map', name, entries: [{ key: '', value: scalar }] };
  if (!isObj(value)) return { kind: 'other', type: 'map' }; // tuples, strings, records: not ours
  const entries: MapEntry[] = [];
  for (const key of Object.keys(value)) {
    const v = toInt(value[key]);
    if (v !== null) entries.push({ key, value: v });
  }
  if (entries.length === 0 && Object.keys(value).length > 0) return { kind: 'other', type: 'map' };
  return { kind: 'map', name, entries };
}

function histRecord(data: unknown): BpfRecord {
  const nv = namedValue(data);
  if (!nv) return { kind: 'other', type: 'hist' };
  const [name, value] = nv;
  if (Array.isArray(value)) return { kind: 'hist', name, entries: [{ key: '', buckets: normaliseBuckets(value) }] };
  if (!isObj(value)) return { kind: 'other', type: 'hist' };
  const entries: HistEntry[] = [];
  for (const key of Object.keys(value)) entries.push({ key, buckets: normaliseBuckets(value[key]) });
  return { kind: 'hist', name, entries };
}

function errorRecord(o: Record<string, unknown>): BpfRecord {
  // 0.17 has no msg ({"type": "helper_error", "helper": "probe_read", "retcode": -14, "line": 2, "col": 50}, REC)
  const rc = typeof o.retcode === 'number' ? o.retcode : null;
  const msg = typeof o.msg === 'string' ? o.msg : typeof o.data === 'string' ? o.data : rc !== null ? 'error' : JSON.stringify(o.data ?? o);
  const parts = [String(o.type)];
  if (typeof o.helper === 'string') parts.push(o.helper);
  const pos = `${String(o.line ?? '?')}:${String(o.col ?? '?')}`;
  const where = typeof o.filename === 'string' ? ` at ${o.filename}:${pos}` : o.line !== undefined ? ` at line ${pos}` : '';
  return { kind: 'error', message: clip(`${parts.join(' ')}: ${msg}${rc !== null ? ` (${rc})` : ''}${where}`) };
}

function countOf(o: Record<string, unknown>, dataKey: string): number | null {
  if (isObj(o.data)) {
    const v = toInt(o.data[dataKey]);
    if (v !== null) return v;
  }
  return toInt(o.count);
}

/** One line of bpftrace output -> a record; null for a blank line. Never throws. */
export function parseLine(line: string): BpfRecord | null {
  const t = line.trim();
  if (t === '') return null;
  let o: unknown;
  try {
    o = JSON.parse(t);
  } catch {
    if (/^(ERROR|error):/.test(t) || /^[^:\s]+:\d+:\d+(-\d+)?: ERROR:/.test(t)) return { kind: 'error', message: clip(t) };
    // a record cut short or garbled: data was lost, say so (the reducer ignores it; the engine may log it)
    if (t.startsWith('{"type"') || t.startsWith('{ "type"')) return { kind: 'error', message: clip(`unreadable bpftrace record: ${t}`) };
    return { kind: 'other', type: 'text' };
  }
  if (!isObj(o)) return { kind: 'other', type: 'json' };
  const type = typeof o.type === 'string' ? o.type : 'unknown';
  switch (type) {
    case 'attached_probes': {
      const n = countOf(o, 'probes');
      return n === null ? { kind: 'other', type } : { kind: 'attached', probes: n };
    }
    case 'lost_events': {
      const n = countOf(o, 'events');
      return n === null ? { kind: 'other', type } : { kind: 'lost', events: n };
    }
    case 'map':
      return mapRecord(o.data);
    case 'hist':
      return histRecord(o.data);
    case 'printf':
      return typeof o.data === 'string' ? { kind: 'printf', text: o.data } : { kind: 'other', type };
    case 'helper_error':
    case 'runtime_error':
    case 'print_error':
    case 'error':
      return errorRecord(o);
    default:
      return { kind: 'other', type };
  }
}
