// What a host is: the one table of the files that make a Xen host's network picture. Everything
// that asks "is this file part of a host, and which part?" asks here: the disk listing of the
// host index (host/reader.ts), the classification of a file (classifyPath), the generators'
// paths, the apply's allow-list and the fetch's list (host/paths.ts), the client's file watcher
// (hostWatchGlobs) and which folders the host list shows as Xen hosts (isXenEvidence).
//
// A host's files live in a local folder in one of three layouts, and the table maps each file of
// each layout to its path on the host:
//   etc-tree      the folder holds the host's etc/ tree:  F/etc/network/interfaces  ->  /etc/network/interfaces
//   etc-folder    the folder is the host's /etc itself:   F/network/interfaces      ->  /etc/network/interfaces
//   side-by-side  the files lie side by side in F:        F/interfaces              ->  /etc/network/interfaces
// A workspace folder with no etc/ tree may mix the last two (its files are matched as /etc's
// first, then by their side-by-side names): the layout 'folder' below.
import { basename, dirname } from 'node:path';
import type { LanguageId } from '../core/language';

export type HostRole = 'interfaces' | 'xend-config' | 'xl-conf' | 'modules' | 'domain' | 'sysctl';

/** The format that reads a role's files (its folder under server/src/formats/, and its diagnostics' prefix). */
export type HostFormat = 'interfaces' | 'sxp' | 'domain' | 'modules' | 'sysctl';

export interface HostTableRow {
  role: HostRole;
  /** A host path, or a pattern with one `*` in its last segment (any name not starting with `.`). */
  pattern: string;
  format: HostFormat;
  /** The editor's language id of the files (undefined: no editor language; read for the host only). */
  languageId: LanguageId | undefined;
  /** What the file is, in words. */
  what: string;
  /** Apply sends it and fetch reads it (the allow-list of host/paths.ts). */
  sent: boolean;
  /**
   * Listed from disk as a file of the host, at most this many per pattern (0: not listed; such a
   * file joins the host when it is open, or when an interfaces file sources it).
   */
  listed: number;
  /** In a folder whose files lie side by side: the name pattern there (one `*` at most). */
  sideBySide?: string;
  /** Recognised by this base name wherever it lies (a file the user opened outside any host). */
  nameAnywhere?: boolean;
}

/** Domain files read from one folder at most. */
export const MAX_DOMAIN_FILES = 5000;

export const HOST_TABLE: readonly HostTableRow[] = [
  {
    role: 'interfaces',
    pattern: '/etc/network/interfaces',
    format: 'interfaces',
    languageId: 'debian-interfaces',
    what: "ifupdown's interfaces file",
    sent: true,
    listed: 1,
    sideBySide: 'interfaces',
  },
  {
    role: 'interfaces',
    pattern: '/etc/network/interfaces.d/*',
    format: 'interfaces',
    languageId: 'debian-interfaces',
    what: 'a file the interfaces file sources',
    sent: true,
    listed: 0,
  },
  {
    role: 'modules',
    pattern: '/etc/modules',
    format: 'modules',
    languageId: 'kernel-modules',
    what: 'the kernel modules loaded at boot',
    sent: true,
    listed: 1,
    sideBySide: 'modules',
  },
  {
    role: 'modules',
    pattern: '/etc/modules-load.d/*.conf',
    format: 'modules',
    languageId: 'kernel-modules',
    what: 'more kernel modules loaded at boot',
    sent: true,
    listed: 0,
  },
  {
    role: 'xend-config',
    pattern: '/etc/xen/xend-config.sxp',
    format: 'sxp',
    languageId: 'xen-xend-config',
    what: "xend's configuration",
    sent: true,
    listed: 1,
    sideBySide: 'xend-config.sxp',
    nameAnywhere: true,
  },
  {
    role: 'xl-conf',
    pattern: '/etc/xen/xl.conf',
    format: 'domain',
    languageId: 'xen-domain',
    what: "xl's configuration",
    sent: true,
    listed: 1,
    sideBySide: 'xl.conf',
    nameAnywhere: true,
  },
  {
    role: 'domain',
    pattern: '/etc/xen/*.cfg',
    format: 'domain',
    languageId: 'xen-domain',
    what: 'a domain file',
    sent: true,
    listed: MAX_DOMAIN_FILES,
    sideBySide: '*.cfg',
  },
  // (not listed: each is usually a link to a domain file of /etc/xen, which would count each guest twice)
  { role: 'domain', pattern: '/etc/xen/auto/*', format: 'domain', languageId: 'xen-domain', what: 'a domain file started at boot', sent: true, listed: 0 },
  // xl's and xm's own names for domain files: checked with the host, never sent
  {
    role: 'domain',
    pattern: '/etc/xen/*.xl',
    format: 'domain',
    languageId: 'xen-domain',
    what: 'a domain file (xl)',
    sent: false,
    listed: 0,
    sideBySide: '*.xl',
  },
  {
    role: 'domain',
    pattern: '/etc/xen/*.xm',
    format: 'domain',
    languageId: 'xen-domain',
    what: 'a domain file (xm)',
    sent: false,
    listed: 0,
    sideBySide: '*.xm',
  },
  // any other file of /etc/xen (not a script or a note: see isXenNoise) is a domain file when open
  { role: 'domain', pattern: '/etc/xen/*', format: 'domain', languageId: 'xen-domain', what: 'a domain file by another name', sent: false, listed: 0 },
  { role: 'sysctl', pattern: '/etc/sysctl.conf', format: 'sysctl', languageId: undefined, what: 'kernel settings loaded at boot', sent: true, listed: 1 },
  {
    role: 'sysctl',
    pattern: '/etc/sysctl.d/*.conf',
    format: 'sysctl',
    languageId: undefined,
    what: 'more kernel settings loaded at boot',
    sent: true,
    listed: 200,
  },
];

/**
 * The path a generator writes for a role, relative to the host root (`etc/...`): the role's row
 * without a wildcard, or, given a name, its first row whose last segment is `*.ext` with the `*`
 * replaced by the name (`domain`, `vm1` -> `etc/xen/vm1.cfg`). Throws when the table has no such
 * row: a generator writing a file the host does not know is a programming error.
 */
export function generatedPath(role: HostRole, name?: string): string {
  const row =
    name === undefined
      ? HOST_TABLE.find((r) => r.role === role && !r.pattern.includes('*'))
      : HOST_TABLE.find((r) => r.role === role && r.pattern.slice(r.pattern.lastIndexOf('/') + 1).startsWith('*.'));
  if (!row) throw new Error(`the host table has no ${name === undefined ? 'fixed' : 'named'} path for ${role}`);
  const path = name === undefined ? row.pattern : row.pattern.replace('*', name);
  return path.slice(1);
}

/** Where a host's files lie in its local folder (see the top of this file). */
export type HostLayout = 'etc-tree' | 'folder';

// ---------------------------------------------------------------------------------------------
// Matching (linear in the path's length, no regular expression on file names)

/** Whether name matches a one-`*` name pattern (the `*` never stands for a leading `.` or a `/`). */
export function nameMatches(pattern: string, name: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return name === pattern;
  if (name.includes('/') || name.startsWith('.')) return false;
  const pre = pattern.slice(0, star);
  const post = pattern.slice(star + 1);
  return name.length >= pre.length + post.length && name.startsWith(pre) && name.endsWith(post);
}

/** Whether a host path matches one pattern of the table (a host path or a pattern with one `*` in its last segment). */
export function matchesHostPattern(pattern: string, path: string): boolean {
  const slash = pattern.lastIndexOf('/');
  const dir = pattern.slice(0, slash + 1);
  if (!path.startsWith(dir)) return false;
  const name = path.slice(dir.length);
  if (name === '' || name.includes('/')) return false;
  return nameMatches(pattern.slice(slash + 1), name);
}

/** The table's row for a host path (`/etc/...`), or undefined. */
export function rowOfHostPath(path: string): HostTableRow | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return HOST_TABLE.find((r) => matchesHostPattern(r.pattern, path) && !(r.role === 'domain' && isXenNoise(name)));
}

/** The path on the host of a file at `rel` (slash-separated) below a host folder of the layout; undefined when it is none of the host's. */
export function hostPathOf(layout: HostLayout, rel: string): string | undefined {
  if (rel === '' || rel.startsWith('/')) return undefined;
  if (layout === 'etc-tree') {
    if (!rel.startsWith('etc/')) return undefined;
    const p = '/' + rel;
    return rowOfHostPath(p) ? p : undefined;
  }
  const asEtc = '/etc/' + rel;
  if (rowOfHostPath(asEtc)) return asEtc;
  if (rel.includes('/')) return undefined;
  for (const r of HOST_TABLE) {
    if (r.sideBySide === undefined || !nameMatches(r.sideBySide, rel)) continue;
    return r.pattern.includes('*') ? r.pattern.slice(0, r.pattern.lastIndexOf('/') + 1) + rel : r.pattern;
  }
  return undefined;
}

/**
 * Where a host path lies below a host folder of the layout (slash-separated, relative), for a file
 * that does not exist yet. In a folder layout, sideBySide says whether the folder keeps its files
 * side by side (then a file with a side-by-side name goes there) or is the host's /etc.
 */
export function localPathOf(layout: HostLayout, hostPath: string, sideBySide = false): string {
  const underEtc = hostPath.startsWith('/etc/') ? hostPath.slice('/etc/'.length) : hostPath.replace(/^\/+/, '');
  if (layout === 'etc-tree') return 'etc/' + underEtc;
  if (sideBySide) {
    const row = rowOfHostPath(hostPath);
    const name = hostPath.slice(hostPath.lastIndexOf('/') + 1);
    if (row?.sideBySide !== undefined && nameMatches(row.sideBySide, name)) return name;
  }
  return underEtc;
}

/** Lower-cased path of a uri or path, decoded, with forward slashes (for classification only). */
function plainPath(uriOrPath: string): string {
  let p = uriOrPath;
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(p);
  if (scheme) {
    p = p.slice(scheme[0].length);
    if (p.startsWith('//')) {
      const slash = p.indexOf('/', 2);
      p = slash < 0 ? '' : p.slice(slash);
    }
  }
  try {
    p = decodeURIComponent(p);
  } catch {
    /* keep it as written */
  }
  return p.replace(/\\/g, '/');
}

/** xen/auto and xen/ hold scripts and notes beside the domain files: those are not domain files. */
function isXenNoise(name: string): boolean {
  if (name.startsWith('.')) return true;
  for (const ext of ['.sh', '.py', '.pyc', '.orig', '.bak']) if (name.endsWith(ext)) return true;
  if (name.includes('.dpkg-')) return true;
  for (const pre of ['README', 'xend-pci-', 'cpupool', 'oxenstored.conf', 'xenapiusers']) if (name.startsWith(pre)) return true;
  return false;
}

const ROLE_OF_LANGUAGE: Record<LanguageId, HostRole> = {
  'debian-interfaces': 'interfaces',
  'xen-xend-config': 'xend-config',
  'kernel-modules': 'modules',
  'xen-domain': 'domain',
};

/**
 * The role of a file in a host, from its path (a row of the table whose host path, below `/etc/`,
 * ends the file's path at a folder boundary; `/etc/modules` only with its etc/), else its base
 * name (nameAnywhere), else its language id. Undefined for files that are not part of the host's
 * network picture (scripts, READMEs...).
 */
export function classifyPath(uriOrPath: string, languageId?: string): HostRole | undefined {
  const p = plainPath(uriOrPath);
  const base = p.slice(p.lastIndexOf('/') + 1);
  for (const r of HOST_TABLE) {
    // the table's path below /etc/ (`network/interfaces`), matched at a folder boundary of p
    let tail = r.pattern.slice('/etc/'.length);
    if (r.pattern === '/etc/modules') tail = 'etc/modules';
    const tailDir = tail.slice(0, tail.lastIndexOf('/') + 1);
    const dirEnd = p.length - base.length;
    if (!p.slice(0, dirEnd).endsWith(tailDir)) continue;
    const before = dirEnd - tailDir.length;
    if (before > 0 && p[before - 1] !== '/') continue;
    if (!nameMatches(tail.slice(tailDir.length), base)) continue;
    if (r.role === 'domain' && isXenNoise(base)) continue;
    return r.role;
  }
  for (const r of HOST_TABLE) if (r.nameAnywhere && r.sideBySide === base) return r.role;
  // a script or a note beside the domain files is none of the host's, whatever it was opened as
  const dir = p.slice(0, p.length - base.length);
  if ((dir === 'xen/' || dir.endsWith('/xen/') || dir === 'xen/auto/' || dir.endsWith('/xen/auto/')) && isXenNoise(base)) return undefined;
  return languageId !== undefined && languageId in ROLE_OF_LANGUAGE ? ROLE_OF_LANGUAGE[languageId as LanguageId] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Watching and finding hosts

/**
 * The glob patterns a client's file watcher needs to see every file of every host, in every
 * layout (relative to a workspace folder; `**` any folders, `{a,b}` alternatives, as LSP's
 * DidChangeWatchedFiles registration reads them).
 */
export function hostWatchGlobs(): string[] {
  const out = new Set<string>();
  for (const r of HOST_TABLE) {
    const underEtc = r.pattern.slice('/etc/'.length);
    out.add(`**/etc/${underEtc}`); // etc-tree (and a folder that is a host's /etc, below its parent)
    out.add(underEtc); // the workspace folder is the host's /etc
    if (r.sideBySide !== undefined) out.add(r.sideBySide); // side by side in the workspace folder
  }
  return [...out];
}

/** Whether one of a host's files says it is a Xen host (see the top of this file). */
export function isXenEvidence(f: { path: string; languageId: string }): boolean {
  if (f.languageId === 'debian-interfaces' || f.languageId === 'xen-xend-config') return true;
  if (f.languageId !== 'xen-domain') return false;
  const name = basename(f.path);
  return name === 'xl.conf' || name.endsWith('.xl') || name.endsWith('.xm') || basename(dirname(f.path)) === 'xen';
}
