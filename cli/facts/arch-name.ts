// rcuwalk's names for architectures: the one place that maps uname -m (os.machine()), Debian's and node's os.arch()
// spellings to the names rcuwalk shows and decides by.

const NAMES: Record<string, string> = { x86_64: 'x86_64', amd64: 'x86_64', x64: 'x86_64', aarch64: 'arm64', arm64: 'arm64', i686: 'i686', ia32: 'i686' };

/** PURE: an architecture name as uname -m, Debian or node spell it -> rcuwalk's (x86_64, arm64, else as given). */
export function archName(name: string): string {
  return NAMES[name] ?? name;
}
