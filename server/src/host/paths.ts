// The paths of a host that this extension reads and writes: the one table of them. Apply sends
// only these files, fetch reads only these, and nothing else on the host is ever touched (a
// `source /etc/profile.d/*` line cannot put a cron job or a login script into an apply).
//
// A pattern is a host path with at most one `*`, in its last segment: the `*` stands for any
// name that does not start with `.` and holds no `/` (as sh's glob and ifupdown's `source` read
// it). Matching is by prefix and suffix, in time linear in the path's length.

export type HostPathFormat = 'interfaces' | 'modules' | 'xend-config' | 'xl-conf' | 'domain' | 'sysctl';

export interface HostPathEntry {
  /** A host path, or a pattern with one `*` in its last segment. */
  pattern: string;
  /** How a file of this place is read (and checked before it is sent). */
  format: HostPathFormat;
  /** What the file is, in words. */
  what: string;
}

export const HOST_PATHS: readonly HostPathEntry[] = [
  { pattern: '/etc/network/interfaces', format: 'interfaces', what: "ifupdown's interfaces file" },
  { pattern: '/etc/network/interfaces.d/*', format: 'interfaces', what: 'a file the interfaces file sources' },
  { pattern: '/etc/modules', format: 'modules', what: 'the kernel modules loaded at boot' },
  { pattern: '/etc/modules-load.d/*.conf', format: 'modules', what: 'more kernel modules loaded at boot' },
  { pattern: '/etc/xen/xend-config.sxp', format: 'xend-config', what: "xend's configuration" },
  { pattern: '/etc/xen/xl.conf', format: 'xl-conf', what: "xl's configuration" },
  { pattern: '/etc/xen/*.cfg', format: 'domain', what: 'a domain file' },
  { pattern: '/etc/xen/auto/*', format: 'domain', what: 'a domain file started at boot' },
  { pattern: '/etc/sysctl.conf', format: 'sysctl', what: 'kernel settings loaded at boot' },
  { pattern: '/etc/sysctl.d/*.conf', format: 'sysctl', what: 'more kernel settings loaded at boot' },
];

/** The table's patterns, in its order (what fetch asks the host for). */
export const HOST_PATH_PATTERNS: readonly string[] = HOST_PATHS.map((e) => e.pattern);

function lastSlash(s: string): number {
  return s.lastIndexOf('/');
}

/** Whether a host path matches one pattern of the table (see the top of this file). */
export function matchesHostPattern(pattern: string, path: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return path === pattern;
  const dir = pattern.slice(0, lastSlash(pattern) + 1);
  if (path.length <= dir.length || !path.startsWith(dir)) return false;
  const name = path.slice(dir.length);
  if (name.includes('/') || name.startsWith('.')) return false;
  const pre = pattern.slice(dir.length, star);
  const post = pattern.slice(star + 1);
  return name.length >= pre.length + post.length && name.startsWith(pre) && name.endsWith(post);
}

/** The table's entry for a host path, or undefined when the path is not one the extension sends. */
export function hostPathEntry(path: string): HostPathEntry | undefined {
  if (typeof path !== 'string' || path.includes('\0')) return undefined;
  const segs = path.split('/');
  if (segs.some((s, i) => (i > 0 && s === '') || s === '.' || s === '..')) return undefined;
  return HOST_PATHS.find((e) => matchesHostPattern(e.pattern, path));
}

/** Whether a host path may be sent to a host (written by apply) or read from it (fetch). */
export function isSendable(path: string): boolean {
  return hostPathEntry(path) !== undefined;
}

/**
 * Whether a path or pattern may be read from a host: one the table holds when its `*` and `?` are
 * read as plain characters. Sound for sh globs: a wildcard never stands for `/` or a leading `.`,
 * and the table's literal prefix and suffix stay in every name the glob matches.
 */
export function isFetchable(pathOrPattern: string): boolean {
  return isSendable(pathOrPattern);
}

/**
 * A host path with `.` and `..` resolved lexically, from the folder `fromDir` when relative; null
 * when it climbs above `/`. Wildcards stay as they are.
 */
export function resolveHostPath(fromDir: string, path: string): string | null {
  const parts: string[] = [];
  const all = (path.startsWith('/') ? path : `${fromDir}/${path}`).split('/');
  for (const s of all) {
    if (s === '' || s === '.') continue;
    if (s === '..') {
      if (!parts.length) return null;
      parts.pop();
    } else parts.push(s);
  }
  return '/' + parts.join('/');
}

/**
 * Whether a `source` or `source-directory` path of an interfaces file that lives in the host
 * folder `fromDir` (e.g. /etc/network) stays inside /etc/network.
 */
export function sourceStaysInNetwork(fromDir: string, path: string): boolean {
  const r = resolveHostPath(fromDir, path);
  return r !== null && (r === '/etc/network' || r.startsWith('/etc/network/'));
}
