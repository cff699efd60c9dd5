// --web-config FILE: the exporter-toolkit web configuration (as node_exporter and Prometheus read it), checked by
// schemas/web-config.schema.json, its certificate and key read and tried. At start any problem is one line and exit 2;
// after start live-web-config.ts loads it again whenever it or a file it names changes.
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { createSecureContext, type SecureVersion, type TlsOptions } from 'node:tls';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { validateWith } from '../schema/validate.js';
import type { WebConfig } from '../schema/types.generated.js';

export interface WebSettings {
  /** options for https.createServer; null: plain HTTP */
  tls: TlsOptions | null;
  /** user -> bcrypt hash; empty: no authentication */
  users: ReadonlyMap<string, string>;
  headers: Readonly<Record<string, string>>;
  /** the certificate, key and CA files it read (absolute paths) */
  files: readonly string[];
}

export const PLAIN_WEB: WebSettings = { tls: null, users: new Map(), headers: {}, files: [] };

const VERSIONS: Record<string, SecureVersion> = { TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };

function readPem(file: string, what: string, configPath: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UserError(`${basename(configPath)}: cannot read ${what} ${file} (${code})`, `fix ${what} in ${configPath}`, EXIT.usage);
  }
}

/** Reads, validates and loads a web-config file (YAML; JSON is YAML too). `named` receives every file it names, even when it fails. */
export function loadWebConfig(path: string, named: string[] = []): WebSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read the web config ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, 'check the --web-config path', EXIT.usage);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text) ?? {};
  } catch (err) {
    throw new UserError(`${basename(path)} is not valid YAML: ${(err as Error).message.split('\n')[0]}`, `fix ${path}`, EXIT.usage);
  }
  const cfg = validateWith<WebConfig>('web-config.schema.json', doc, basename(path));
  const rel = (f: string) => { const abs = resolve(dirname(path), f); named.push(abs); return abs; };
  let tls: TlsOptions | null = null;
  const t = cfg.tls_server_config;
  if (t) {
    tls = { cert: readPem(rel(t.cert_file), 'cert_file', path), key: readPem(rel(t.key_file), 'key_file', path) };
    if (t.min_version) tls.minVersion = VERSIONS[t.min_version];
    else tls.minVersion = 'TLSv1.2';
    if (t.max_version) tls.maxVersion = VERSIONS[t.max_version];
    if (t.client_auth_type === 'RequireAndVerifyClientCert') {
      if (!t.client_ca_file) throw new UserError(`${basename(path)}: client_auth_type RequireAndVerifyClientCert needs client_ca_file`, `add client_ca_file to ${path}`, EXIT.usage);
      tls.ca = readPem(rel(t.client_ca_file), 'client_ca_file', path);
      tls.requestCert = true;
      tls.rejectUnauthorized = true;
    }
    try {
      createSecureContext(tls);
    } catch (err) {
      throw new UserError(`${basename(path)}: the certificate and key cannot be used: ${(err as Error).message.split('\n')[0]}`, `check cert_file and key_file in ${path} (a PEM certificate and its private key)`, EXIT.usage);
    }
  }
  return { tls, users: new Map(Object.entries(cfg.basic_auth_users ?? {})), headers: cfg.http_server_config?.headers ?? {}, files: [...named] };
}
