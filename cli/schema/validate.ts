// Schema checks for every file rcuwalk reads or writes (schemas/*.schema.json, JSON Schema 2020-12, ajv 8).
// Each schema is compiled once, on first use. Failures are one line: the file, the JSON path, what is wrong.
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { SCHEMAS_DIR } from '../paths.js';
import type { Capture, CaptureConfig, Interval } from './types.generated.js';

// ajv-formats is CommonJS with a default export; under NodeNext the function may sit one level down.
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as unknown as FormatsPlugin;

type Ajv = Ajv2020;
let ajv: Ajv | null = null;
const compiled = new Map<string, ValidateFunction>();
const broken = new Map<string, string>();

function instance(): Ajv {
  if (ajv) return ajv;
  const a = new Ajv2020({ allErrors: false, strict: false });
  addFormats(a);
  // every schema is added (not compiled) so $refs between them resolve by $id
  for (const f of readdirSync(SCHEMAS_DIR).filter((n) => n.endsWith('.schema.json')).sort()) {
    try {
      a.addSchema(JSON.parse(readFileSync(join(SCHEMAS_DIR, f), 'utf8')) as object, f);
    } catch (err) {
      // one broken schema file must not stop the others; validating against it reports it (validator())
      broken.set(f, err instanceof Error ? err.message : String(err));
    }
  }
  ajv = a;
  return a;
}

function validator(schemaFile: string): ValidateFunction {
  const hit = compiled.get(schemaFile);
  if (hit) return hit;
  const a = instance();
  const file = schemaFile.split('#')[0]!;
  if (broken.has(file)) throw new Error(`schema ${schemaFile} cannot be loaded: ${broken.get(file)}`);
  const v = a.getSchema(schemaFile);
  if (!v) throw new Error(`no schema ${schemaFile} in ${SCHEMAS_DIR}`);
  compiled.set(schemaFile, v);
  return v;
}

/** The schemaVersion values a schema accepts (its `schemaVersion` const or enum); [] when it has none. */
export function supportedVersions(schemaFile: string): number[] {
  const s = instance().getSchema(schemaFile.split('#')[0]!)?.schema as { properties?: { schemaVersion?: { const?: number; enum?: number[] } } } | undefined;
  const sv = s?.properties?.schemaVersion;
  return sv?.enum ?? (sv?.const !== undefined ? [sv.const] : []);
}

/** One line for the first ajv error: "/intervals/3/cpus/0/prCalls must be integer". */
export function describeAjvError(e: ErrorObject): string {
  const path = e.instancePath || '/';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${path} has an unknown property '${String(p.additionalProperty)}'`;
    case 'unevaluatedProperties':
      return `${path} has an unknown property '${String(p.unevaluatedProperty)}'`;
    case 'required':
      return `${path === '/' ? '' : path}/${String(p.missingProperty)} is missing`;
    case 'enum':
      return `${path} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type': {
      const t = p.type;
      return `${path} must be ${Array.isArray(t) ? t.join(' or ') : String(t)}`;
    }
    case 'const':
      return `${path} must be ${JSON.stringify(p.allowedValue)}`;
    default:
      return `${path} ${e.message ?? 'is invalid'}`;
  }
}

const NEXT: Record<string, string> = {
  'capture.schema.json': 'check that the file is an rcuwalk capture (rcuwalk capture --out FILE writes one)',
  'config.schema.json': 'fix the config file (its properties are the flags of rcuwalk capture)',
  'journal.schema.json': 'the journal is damaged; recover what is readable or remove it',
};

/**
 * Validates `x` against schemas/<schemaFile>. Returns x typed on success; throws UserError (EXIT.usage) naming
 * `label` (a file name; default the schema's) and the JSON path of the first problem. A schemaVersion other than
 * the supported one gets its own message.
 */
export function validateWith<T>(schemaFile: string, x: unknown, label?: string): T {
  const name = label ?? schemaFile;
  const next = NEXT[schemaFile] ?? `fix ${name}`;
  const v = validator(schemaFile);
  if (x !== null && typeof x === 'object' && !Array.isArray(x) && 'schemaVersion' in x) {
    const sv = (x as { schemaVersion: unknown }).schemaVersion;
    const versions = supportedVersions(schemaFile);
    if (versions.length > 0 && !versions.includes(sv as number)) {
      const newest = Math.max(...versions);
      throw new UserError(
        `${name}: schemaVersion ${JSON.stringify(sv)} is not supported (this rcuwalk reads schemaVersion ${versions.join(', ')})`,
        typeof sv === 'number' && sv > newest ? 'use a newer rcuwalk to read this file' : next,
        EXIT.usage,
      );
    }
  }
  if (v(x)) return x as T;
  const first = v.errors?.[0];
  throw new UserError(`${name}: ${first ? describeAjvError(first) : 'does not match its schema'}`, next, EXIT.usage);
}

export function validateCapture(x: unknown, label = 'capture'): Capture {
  return validateWith<Capture>('capture.schema.json', x, label);
}

/**
 * Validates one interval against the capture schema's Interval definition (compiled once), for captures checked
 * piece by piece (written from the journal: the rest with `intervals: []` through validateCapture). The error
 * names the interval's JSON path in the capture: "/intervals/<index>/cpus/0/prCalls must be integer".
 */
export function validateCaptureInterval(x: unknown, index: number, label = 'capture'): Interval {
  const v = validator('capture.schema.json#/$defs/Interval');
  if (v(x)) return x as Interval;
  const first = v.errors?.[0];
  const e = first ? { ...first, instancePath: `/intervals/${index}${first.instancePath}` } : null;
  throw new UserError(`${label}: ${e ? describeAjvError(e) : `/intervals/${index} does not match its schema`}`, NEXT['capture.schema.json']!, EXIT.usage);
}

export function validateConfig(x: unknown, label = 'config'): CaptureConfig {
  return validateWith<CaptureConfig>('config.schema.json', x, label);
}

/** Reads a JSON file: missing/unreadable, empty, truncated or malformed -> one clear UserError line. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(code ?? err);
    throw new UserError(`cannot read ${path}: ${why}`, 'check the path', EXIT.usage);
  }
  if (text.trim() === '') throw new UserError(`${path} is empty`, 'give a file rcuwalk wrote', EXIT.usage);
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const truncated = /end of (json )?input|Unterminated/i.test(msg);
    throw new UserError(
      `${path} is not valid JSON${truncated ? ' (the file looks truncated)' : ''}: ${msg.split('\n')[0]}`,
      truncated ? 'the file was cut short; if a <file>.journal is beside it, recover from that' : 'give a file rcuwalk wrote',
      EXIT.usage,
    );
  }
}

/** Reads, parses and validates a capture file. */
export function loadCapture(path: string): Capture {
  return validateCapture(readJsonFile(path), basename(path));
}
