// Test helpers for serve's HTTPS: self-signed certificates made by openssl here, a web config with them and users,
// and a client that reports the status, the body, the time and the certificate the server presented.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import bcrypt from 'bcryptjs';

const openssl = spawnSync('sh', ['-c', 'command -v openssl'], { encoding: 'utf8' }).stdout.trim();
/** why these tests cannot run here, or false */
export const noOpenssl: string | false = openssl ? false : 'openssl missing (apt-get install openssl)';

/** A self-signed P-256 certificate for 127.0.0.1 and localhost: `<name>.cert.pem`, `<name>.key.pem` in `dir`. */
export function makeCert(dir: string, name = 'server'): { cert: string; key: string } {
  const cert = join(dir, `${name}.cert.pem`), key = join(dir, `${name}.key.pem`);
  const r = spawnSync(openssl, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
    '-days', '2', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { cert, key };
}

export interface Reply { status: number; body: string; headers: Record<string, string | string[] | undefined>; peerCn: string | null; ms: number }

/** One request on a new connection. `ca`: trust it and speak TLS; null: plain HTTP. `auth`: "user:password". */
export function get(port: number, ca: Buffer | null, opts: { path?: string; auth?: string; localAddress?: string; timeoutMs?: number } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers = opts.auth === undefined ? {} : { Authorization: `Basic ${Buffer.from(opts.auth).toString('base64')}` };
    const base = { host: '127.0.0.1', port, path: opts.path ?? '/metrics', headers, agent: false as const, localAddress: opts.localAddress };
    const t0 = performance.now();
    const req = (ca ? httpsRequest : httpRequest)(ca ? { ...base, ca, servername: 'localhost' } : base, (res) => {
      const peer = ca ? (res.socket as import('node:tls').TLSSocket).getPeerCertificate() : null;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers, peerCn: peer?.subject?.CN ? String(peer.subject.CN) : null, ms: performance.now() - t0 }));
      // the connection closed before the whole answer: no 'end' ever comes
      res.on('error', reject);
      res.on('close', () => { if (!res.complete) reject(new Error(`the answer ended after ${body.length} characters`)); });
    });
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** A web config in `dir` with TLS (a new certificate) and basic-auth users (user -> password, hashed at `cost`). */
export function tlsAuthConfig(dir: string, users: Record<string, string>, cost: number): { cfg: string; ca: Buffer } {
  const { cert, key } = makeCert(dir);
  const cfg = join(dir, 'web.yml');
  const hashes = Object.entries(users).map(([u, p]) => `  ${u}: '${bcrypt.hashSync(p, cost)}'\n`).join('');
  writeFileSync(cfg, `tls_server_config:\n  cert_file: ${cert}\n  key_file: ${key}\nbasic_auth_users:\n${hashes}`);
  return { cfg, ca: readFileSync(cert) };
}
