// The paths of a host that this extension reads and writes over ssh: the rows of the host table
// (host/table.ts) that are sent. Apply sends only these files, fetch reads only these, and nothing else on the host is ever touched (a
// `source /etc/profile.d/*` line cannot put a cron job or a login script into an apply).
//
// A pattern is a host path with at most one `*`, in its last segment: the `*` stands for any
// name that does not start with `.` and holds no `/` (as sh's glob and ifupdown's `source` read
// it). Matching is by prefix and suffix, in time linear in the path's length.
import { HOST_TABLE, matchesHostPattern, type HostRole } from './table';

export type HostPathFormat = HostRole;

export interface HostPathEntry {
  /** A host path, or a pattern with one `*` in its last segment. */
  pattern: string;
  /** How a file of this place is read (and checked before it is sent). */
  format: HostPathFormat;
  /** What the file is, in words. */
  what: string;
}

/** The rows of the host table (host/table.ts) that apply sends and fetch reads. */
export const HOST_PATHS: readonly HostPathEntry[] = HOST_TABLE.filter((r) => r.sent).map((r) => ({ pattern: r.pattern, format: r.role, what: r.what }));

/** The table's patterns, in its order (what fetch asks the host for). */
export const HOST_PATH_PATTERNS: readonly string[] = HOST_PATHS.map((e) => e.pattern);

export { matchesHostPattern };

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
