// The real terminal: frames drawn on stdout through Screen (changed lines only), keys read from stdin in raw mode,
// redrawn in full after a resize. The only place the live UI touches the process's stdin and stdout.
import type { Terminal } from './terminal.js';
import { parseKeys, type Key } from './keys.js';
import { Screen } from './screen.js';

export function ttyTerminal(stdin: NodeJS.ReadStream = process.stdin, stdout: NodeJS.WriteStream = process.stdout): Terminal {
  const screen = new Screen();
  const interactive = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  const write = (s: string) => { if (s !== '' && stdout.writable) stdout.write(s); };
  const keyListeners = new Set<(k: Key) => void>();
  const onData = (chunk: string | Buffer) => { for (const k of parseKeys(String(chunk))) for (const l of keyListeners) l(k); };
  let reading = false;
  const startReading = () => {
    if (reading || !interactive) return;
    reading = true;
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.on('data', onData);
    stdin.resume();
  };
  const stopReading = () => {
    if (!reading) return;
    reading = false;
    stdin.off('data', onData);
    try { stdin.setRawMode(false); } catch { /* stdin gone */ }
    stdin.pause();
  };
  return {
    columns: () => stdout.columns || 80,
    rows: () => stdout.rows || 24,
    interactive,
    frame: (lines) => write(screen.draw(lines)),
    finish: () => { stopReading(); write(screen.finish()); },
    onKey: (cb) => {
      keyListeners.add(cb);
      startReading();
      return () => { keyListeners.delete(cb); if (keyListeners.size === 0) stopReading(); };
    },
    onResize: (cb) => {
      const on = () => { write(screen.reset()); cb(); };
      stdout.on('resize', on);
      return () => { stdout.off('resize', on); };
    },
  };
}
