// How the printed maps (maps.ts) are double-buffered so that no event lands between a print and its clear.
//
// Every printed map exists in the script as two generations, `<name>_0` and `<name>_1` (generationName). The scalar
// GENERATION_MAP says which one the probes write. The interval probe flips it first, in the kernel, so new events go
// to the other generation at once, and only then prints and clears the generation it just retired: bpftrace runs
// print() and clear() later, in user space, and nothing lands on a map between the two any more. Flipping back is
// safe only once bpftrace has done so: the interval probe sets PENDING_MAP with the flip and has bpftrace clear it
// after the retired generation's prints and clears; an interval that finds it still set skips (no flip, no tick: the
// next interval is longer), for at most pendingSkipLimit(intervalMs) intervals in a row. The parser reads both
// generations back as the base name (baseMapName), and still reads the base names themselves (recordings made
// before the generations).
import { PRINTED_MAPS } from './maps.js';

/** The scalar map that says which generation of the printed maps the probes write (0 or 1). */
export const GENERATION_MAP = '@rw_gen';
/** Set by the interval probe when it flips, cleared by bpftrace (user space) once it has printed and cleared the
 * retired generation: while it is set, flipping back would send events into a generation not yet cleared. */
export const PENDING_MAP = '@rw_pending';
/** Intervals skipped in a row while PENDING_MAP is still set (kernel only). */
export const SKIPS_MAP = '@rw_skips';
/** How many intervals in a row may be skipped waiting for bpftrace before the flip goes ahead anyway (about 2 s: a
 * lost clear event must not stop the ticks for good). */
export function pendingSkipLimit(intervalMs: number): number {
  return Math.max(1, Math.ceil(2000 / intervalMs));
}
export const GENERATIONS = [0, 1] as const;
export type Generation = (typeof GENERATIONS)[number];

const PRINTED: ReadonlySet<string> = new Set(PRINTED_MAPS);

/** `@cw_n` -> `@cw_n_0` / `@cw_n_1`: the name of one generation of a printed map in the script. */
export function generationName(base: string, gen: Generation): string {
  return `${base}_${gen}`;
}

const GEN_SUFFIX = /_[01]$/;
/** A map name as bpftrace prints it -> the protocol's base name: either generation of a printed map reads as the map
 * (`@cw_n_1` -> `@cw_n`); anything else (a base name, a map not in the protocol) stays as it is. */
export function baseMapName(name: string): string {
  if (!GEN_SUFFIX.test(name)) return name;
  const base = name.slice(0, -2);
  return PRINTED.has(base) ? base : name;
}
