// Colours for the TUI, off under NO_COLOR (https://no-color.org) or when the caller says so. Pure.
import type { Tone } from './view-model/baseline.js';
import type { Strategy } from '../schema/types.generated.js';

export function colorEnabled(env: NodeJS.ProcessEnv): boolean {
  return env['NO_COLOR'] === undefined || env['NO_COLOR'] === '';
}

/** ink colour names, or undefined (no colour). */
export function toneColor(t: Tone, color: boolean): string | undefined {
  if (!color) return undefined;
  return t === 'worse' ? 'red' : t === 'better' ? 'green' : t === 'neutral' ? 'gray' : undefined;
}

export function strategyColor(s: Strategy | null, color: boolean): string | undefined {
  if (!color) return undefined;
  return s === 'direct' ? 'green' : s === 'callsite' ? 'cyan' : s === 'contention' ? 'yellow' : 'red';
}

export function c(color: boolean, name: string): string | undefined {
  return color ? name : undefined;
}
