// The web config as exporter-toolkit uses it: in force for every request and every new TLS connection, so
// certificates and passwords rotate without a restart. Each look stats the file and the files it names (device,
// inode, size, mtime and ctime in ns: a rename, a Kubernetes secret's symlink swap or a write in place all show) and
// loads it again only when one changed. A file that became invalid is an Error until fixed (requests: 500), logged
// once per change; the last good settings are not kept in force, as exporter-toolkit does not keep them.
import { statSync } from 'node:fs';
import { loadWebConfig, type WebSettings } from './web-config.js';

export interface WebSource {
  /** the settings in force now, or why there are none */
  current(): WebSettings | Error;
}

/** Settings that never change (no --web-config, or tests). */
export function fixedWeb(settings: WebSettings): WebSource {
  return { current: () => settings };
}

function stamp(files: readonly string[]): string {
  return files.map((f) => {
    try {
      const s = statSync(f, { bigint: true });
      return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code ?? 'error';
    }
  }).join('|');
}

function summary(w: WebSettings): string {
  const tls = w.tls ? (w.tls.requestCert ? 'TLS with client certificates' : 'TLS') : 'no TLS';
  return `${tls}, ${w.users.size} basic-auth user${w.users.size === 1 ? '' : 's'}`;
}

/** Loads `path` now (a bad file throws the UserError of loadWebConfig: exit 2) and again whenever it changes. */
export function watchWebConfig(path: string, log: (line: string) => void): WebSource {
  const first = loadWebConfig(path);
  const tlsAtStart = first.tls !== null;
  let state: WebSettings | Error = first;
  let files = [path, ...first.files];
  let seen = stamp(files);
  return {
    current() {
      const now = stamp(files);
      if (now === seen) return state;
      const named: string[] = [];
      try {
        const next = loadWebConfig(path, named);
        // the listening socket speaks HTTPS or HTTP from start to end
        if ((next.tls !== null) !== tlsAtStart) throw new Error(tlsAtStart ? 'tls_server_config was removed: serve keeps HTTPS until it is restarted' : 'tls_server_config was added: serve speaks plain HTTP until it is restarted');
        state = next;
        log(`web config ${path} reloaded: ${summary(next)}`);
      } catch (err) {
        state = new Error((err instanceof Error ? err.message : String(err)).split('\n')[0]);
        log(`web config ${path} is invalid, every request is answered 500 until it is fixed: ${state.message}`);
      }
      const same = named.length + 1 === files.length && named.every((f, i) => f === files[i + 1]);
      files = [path, ...named];
      // the same files: the stamp taken before the load, so a write during it is loaded at the next look
      seen = same ? now : stamp(files);
      return state;
    },
  };
}
