// The exporter's HTTP(S) endpoint: `/` (links), `/metrics`, `/-/healthy`, `/-/ready`. GET and HEAD only, no request
// bodies, optional TLS and basic auth from the web config in force at each request and connection
// (live-web-config.ts). Memory and connection slots stay bounded whatever the clients do: caps on open connections
// (in all and per client address), header size and count, timeouts for slow senders, silent and stalled readers,
// a bounded queue of password checks, and one cached render per change shared by every response.
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { UserError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { basicAuth } from './basic-auth.js';
import { gateConnections } from './connection-gate.js';
import type { WebSource } from './live-web-config.js';

export interface Limits {
  /** open connections at once; more are refused by the kernel's backlog, then dropped */
  maxConnections: number;
  /** open connections at once from one client address */
  maxConnectionsPerAddress: number;
  maxHeaderBytes: number;
  /** a client must send its request headers within this of connecting (or of its previous request) */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** a TLS client must finish its handshake within this */
  handshakeTimeoutMs: number;
  /** how often node looks for requests past headersTimeoutMs / requestTimeoutMs */
  timeoutCheckMs: number;
  /** an idle socket, or one whose client stopped reading the answer, is closed after this */
  socketTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** password checks waiting for bcrypt behind the running one; beyond this 429 at once */
  maxWaitingAuthChecks: number;
}

export const LIMITS: Readonly<Limits> = {
  maxConnections: 64,
  maxConnectionsPerAddress: 16,
  maxHeaderBytes: 8 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  handshakeTimeoutMs: 10_000,
  timeoutCheckMs: 1_000,
  socketTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxWaitingAuthChecks: 16,
};

export interface MetricsSource {
  /** changes whenever what /metrics shows changes (a render is reused until then) */
  version(): number;
  render(openMetrics: boolean): Promise<{ body: string; contentType: string }>;
  ready(): boolean;
}

export interface Listen { host: string; port: number }

/** `--listen`: HOST:PORT, [V6]:PORT or :PORT (127.0.0.1). */
export function parseListen(text: string): Listen {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) throw new UserError(`--listen must be HOST:PORT, got '${text}'`, 'e.g. --listen 127.0.0.1:9890 (or [::1]:9890; 0.0.0.0:9890 for every interface)');
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

const ROUTES = new Set(['/', '/metrics', '/-/healthy', '/-/ready']);

const INDEX = `<!doctype html>
<html><head><meta charset="utf-8"><title>rcuwalk exporter</title></head>
<body><h1>rcuwalk exporter</h1>
<p>Path lookups falling out of RCU-walk: pid_revalidate -ECHILD, unlazy failures, lockref spin, per CPU.</p>
<ul><li><a href="metrics">metrics</a></li><li><a href="-/healthy">healthy</a></li><li><a href="-/ready">ready</a></li></ul>
</body></html>
`;

function wantsOpenMetrics(accept: string | undefined): boolean {
  return accept !== undefined && /application\/openmetrics-text/i.test(accept);
}

export interface Exporter { server: Server; address: AddressInfo; scheme: 'http' | 'https'; close(): Promise<void> }

export interface HttpOptions {
  /** lower limits (the tests' hostile clients) */
  limits?: Partial<Limits>;
}

export async function startHttp(listen: Listen, web: WebSource, source: MetricsSource, options: HttpOptions = {}): Promise<Exporter> {
  const limits: Limits = { ...LIMITS, ...options.limits };
  const first = web.current();
  if (first instanceof Error) throw new UserError(`the web config is invalid: ${first.message}`, 'fix the --web-config file', EXIT.usage);
  const auth = basicAuth(limits.maxWaitingAuthChecks);
  // the text as bytes, encoded once per render and shared by every response (a stalled reader holds no copy of it)
  const cache = new Map<boolean, { version: number; body: Buffer; contentType: string }>();

  async function metrics(openMetrics: boolean): Promise<{ body: Buffer; contentType: string }> {
    const v = source.version();
    const hit = cache.get(openMetrics);
    if (hit && hit.version === v) return hit;
    const r = await source.render(openMetrics);
    const rendered = { version: v, body: Buffer.from(r.body), contentType: r.contentType };
    cache.set(openMetrics, rendered);
    return rendered;
  }

  function send(res: ServerResponse, req: IncomingMessage, status: number, body: string | Buffer, headers: Readonly<Record<string, string>>, type = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void {
    res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
    // a refused request's body is never read: the connection ends with the answer
    if (extra.Connection === 'close') res.once('finish', () => req.socket.destroySoon());
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const w = web.current();
    // as exporter-toolkit: a web config that became invalid answers 500 (logged once by live-web-config.ts)
    if (w instanceof Error) { send(res, req, 500, 'Internal Server Error\n', {}, undefined, { Connection: 'close' }); return; }
    const headers = w.headers;
    const path = (req.url ?? '/').split('?')[0]!;
    // no request has a body here: refuse one rather than read it
    const hasBody = (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
    if (w.users.size > 0) {
      const verdict = await auth.check(req.headers.authorization, w.users, () => req.socket.destroyed);
      if (verdict === 'busy') { send(res, req, 429, 'Too Many Requests: too many password checks waiting, retry later\n', headers, undefined, { 'Retry-After': '1', Connection: 'close' }); return; }
      if (verdict === 'denied') { send(res, req, 401, 'Unauthorized\n', headers, undefined, { 'WWW-Authenticate': 'Basic realm="rcuwalk"', Connection: 'close' }); return; }
    }
    if (!ROUTES.has(path)) { send(res, req, 404, 'Not Found\n', headers, undefined, hasBody ? { Connection: 'close' } : {}); return; }
    if (req.method !== 'GET' && req.method !== 'HEAD') { send(res, req, 405, 'Method Not Allowed\n', headers, undefined, { Allow: 'GET, HEAD', Connection: 'close' }); return; }
    if (hasBody) { send(res, req, 413, 'a request body is not accepted\n', headers, undefined, { Connection: 'close' }); return; }
    switch (path) {
      case '/': send(res, req, 200, INDEX, headers, 'text/html; charset=utf-8'); return;
      case '/-/healthy': send(res, req, 200, 'Healthy\n', headers); return;
      case '/-/ready': if (source.ready()) send(res, req, 200, 'Ready\n', headers); else send(res, req, 503, 'Not ready: probes not attached\n', headers); return;
      default: {
        const r = await metrics(wantsOpenMetrics(req.headers.accept));
        send(res, req, 200, r.body, headers, r.contentType);
      }
    }
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, req, 500, `error: ${err instanceof Error ? err.message : String(err)}\n`, {});
      else res.destroy();
    });
  };
  const opts = {
    maxHeaderSize: limits.maxHeaderBytes, requestTimeout: limits.requestTimeoutMs, headersTimeout: limits.headersTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs, connectionsCheckingInterval: limits.timeoutCheckMs,
  };
  const server: Server = first.tls ? createHttps({ ...first.tls, ...opts, handshakeTimeout: limits.handshakeTimeoutMs }, onRequest) : createHttp(opts, onRequest);
  server.maxConnections = limits.maxConnections;
  server.maxHeadersCount = 64;
  server.setTimeout(limits.socketTimeoutMs, (socket) => socket.destroy());
  gateConnections(server, limits.maxConnectionsPerAddress, web, first.tls);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'the address is in use' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EADDRNOTAVAIL' ? 'no such local address' : err.message;
      void auth.close();
      reject(new UserError(`cannot listen on ${listen.host}:${listen.port}: ${why}`, 'choose another --listen address or port', EXIT.usage));
    });
    server.listen(listen.port, listen.host, () => resolve());
  });
  return {
    server,
    address: server.address() as AddressInfo,
    scheme: first.tls ? 'https' : 'http',
    close: async () => {
      await Promise.all([new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }), auth.close()]);
    },
  };
}
