// --web-config with real files and real HTTPS on loopback: a self-signed certificate made by openssl here, basic
// auth against bcrypt hashes (good password 200, wrong or none 401), plain HTTP to the TLS port gets no metrics;
// bad files are one clear line and exit 2, from the library and from `rcuwalk serve` itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import bcrypt from 'bcryptjs';
import { startHttp, type MetricsSource } from '../../../cli/serve/http-server.js';
import { loadWebConfig } from '../../../cli/serve/web-config.js';
import { fixedWeb } from '../../../cli/serve/live-web-config.js';
import { UserError } from '../../../cli/errors.js';
import { runCli } from '../../helpers/cli.js';
import { get, makeCert, noOpenssl } from '../../helpers/tls.js';

const dir = mkdtempSync(join(tmpdir(), 'rcuwalk-webcfg-'));

const source: MetricsSource = { version: () => 1, ready: () => true, render: async () => ({ body: 'rcuwalk_up 1\n', contentType: 'text/plain; version=0.0.4; charset=utf-8' }) };

test('TLS + basic auth: right password 200 over HTTPS; wrong, unknown user or none 401; plain HTTP gets no metrics', { skip: noOpenssl }, async () => {
  const { cert, key } = makeCert(dir);
  const hash = bcrypt.hashSync('s3cret pass', 10);
  const cfg = join(dir, 'web.yml');
  writeFileSync(cfg, `# exporter-toolkit web config\ntls_server_config:\n  cert_file: ${basename(cert)}\n  key_file: ${key}\nbasic_auth_users:\n  prometheus: '${hash}'\nhttp_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n`);
  const web = loadWebConfig(cfg);
  assert.ok(web.tls);
  const ex = await startHttp({ host: '127.0.0.1', port: 0 }, fixedWeb(web), source);
  const ca = readFileSync(cert);
  try {
    const ok = await get(ex.address.port, ca, { auth: 'prometheus:s3cret pass' });
    assert.equal(ok.status, 200);
    assert.match(ok.body, /rcuwalk_up 1/);
    // again: the cached success still checks the password
    assert.equal((await get(ex.address.port, ca, { auth: 'prometheus:s3cret pass' })).status, 200);
    assert.equal((await get(ex.address.port, ca, { auth: 'prometheus:wrong' })).status, 401);
    assert.equal((await get(ex.address.port, ca, { auth: 'nobody:s3cret pass' })).status, 401);
    assert.equal((await get(ex.address.port, ca)).status, 401);
    // no downgrade: plain HTTP to the TLS port never gets the metrics
    const plain = await get(ex.address.port, null, { auth: 'prometheus:s3cret pass' }).then((r) => r, (e: Error) => ({ status: -1, body: e.message }));
    assert.ok(plain.status !== 200 && !/rcuwalk_up/.test(plain.body), `plain HTTP: ${plain.status} ${plain.body.slice(0, 80)}`);
    // a client that does not trust the certificate fails the handshake
    await assert.rejects(get(ex.address.port, Buffer.from(''), { auth: 'prometheus:s3cret pass' }));
  } finally {
    await ex.close();
  }
});

test('basic auth without TLS (as exporter-toolkit allows): good 200, bad 401', async () => {
  const cfg = join(dir, 'auth-only.yml');
  writeFileSync(cfg, `basic_auth_users:\n  alice: ${bcrypt.hashSync('pw', 4)}\n`);
  const ex = await startHttp({ host: '127.0.0.1', port: 0 }, fixedWeb(loadWebConfig(cfg)), source);
  try {
    assert.equal((await get(ex.address.port, null, { auth: 'alice:pw' })).status, 200);
    assert.equal((await get(ex.address.port, null, { auth: 'alice:pw2' })).status, 401);
  } finally {
    await ex.close();
  }
});

const BAD: [string, string, RegExp][] = [
  ['unknown key', 'tls_server_config:\n  cert_file: a\n  key_file: b\n  cipher_suitez: [x]\n', /unknown property 'cipher_suitez'/],
  ['not a bcrypt hash', 'basic_auth_users:\n  bob: plaintext\n', /basic_auth_users\/bob/],
  ['missing key_file', 'tls_server_config:\n  cert_file: cert.pem\n', /key_file is missing/],
  ['a cert file that is not there', 'tls_server_config:\n  cert_file: /nonexistent/cert.pem\n  key_file: /nonexistent/key.pem\n', /cannot read cert_file/],
  ['not YAML', 'tls_server_config: [\n', /not valid YAML/],
  ['a certificate that is not PEM', 'tls_server_config:\n  cert_file: junk.pem\n  key_file: junk.pem\n', /cannot be used/],
];

test('bad web config files: one clear UserError each, exit 2, naming the problem', () => {
  writeFileSync(join(dir, 'junk.pem'), 'not a certificate\n');
  for (const [what, text, re] of BAD) {
    const p = join(dir, `bad-${what.replace(/\W+/g, '-')}.yml`);
    writeFileSync(p, text);
    assert.throws(() => loadWebConfig(p), (e: unknown) => e instanceof UserError && e.exitCode === 2 && re.test(e.message), what);
  }
  assert.throws(() => loadWebConfig(join(dir, 'absent.yml')), (e: unknown) => e instanceof UserError && /cannot read the web config/.test(e.message));
});

test('rcuwalk serve --web-config BAD: exit 2, one line and the next step, before anything starts', () => {
  const p = join(dir, 'bad-cli.yml');
  writeFileSync(p, 'basic_auth_users:\n  bob: plaintext\n');
  const r = runCli(['serve', '--listen', '127.0.0.1:0', '--web-config', p], { timeoutMs: 30_000 });
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 2, r.stderr);
  assert.match(lines[0]!, /^rcuwalk: bad-cli\.yml: \/basic_auth_users\/bob/);
  assert.match(lines[1]!, /^ {2}next: /);
});
