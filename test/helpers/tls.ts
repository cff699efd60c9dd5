// Test helpers for serve's HTTPS: self-signed certificates made by openssl here, and a client that reports the status,
// the body and the certificate the server presented.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

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
    });
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}
