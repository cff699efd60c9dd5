// Flag parsing shared by every command: node's parseArgs, with a bad flag turned into one clear UserError line.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { LockrefStrategyChoice } from '../probes/resolve.js';
import { UserError } from '../errors.js';

export function parseFlags<T extends ParseArgsConfig>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs<T>({ strict: true, ...config });
  } catch (err) {
    throw new UserError((err as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, ''), `run 'rcuwalk ${command} --help'`);
  }
}

const LOCKREF_CHOICES: readonly LockrefStrategyChoice[] = ['auto', 'direct', 'callsite', 'contention'];

/** --lockref-strategy, validated (default auto). */
export function lockrefChoice(text: string | undefined): LockrefStrategyChoice {
  const v = text ?? 'auto';
  if (!(LOCKREF_CHOICES as readonly string[]).includes(v)) {
    throw new UserError(`--lockref-strategy must be ${LOCKREF_CHOICES.join(', ')}, got '${v}'`, 'e.g. --lockref-strategy auto');
  }
  return v as LockrefStrategyChoice;
}
