// Reading a host's files: where a host keeps them (its place: an etc/ tree, or a workspace folder
// that is its /etc or holds its files side by side), which files are its own on disk (the host
// table's listed rows, host/table.ts), the files its interfaces files `source`, and their texts.
// Open documents come first (the index hands them in); the disk is read only through the host's
// real path (core/confine): a link out of the host's folder is never followed.
import { opendirSync, type Dirent } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { pathToUri } from '../core/uri';
import { compileWildcard, hasWildcard, wildcardMatch } from '../core/wildcard';
import { checkpoint } from '../core/budget';
import { boundedNames, confinedDir, confinedFile, insideReal, readConfined, realPathOf } from '../core/confine';
import { HOST_TABLE, hostPathOf, MAX_DOMAIN_FILES, nameMatches, type HostLayout } from './table';

/** Files bigger than this are not read from disk (a host's configuration is a few KB). */
export const MAX_DISK_FILE = 2 * 1024 * 1024;

/** A file of a host on disk. */
export interface DiskFile {
  uri: string;
  path: string;
  /** mtime:size, when it was listed. */
  stamp: string;
  languageId: string;
}

/** Where a host's files are: under `<root>/etc/` (a mirror of the host), or in a workspace folder that is the host's /etc itself or holds its files side by side. */
export interface HostPlace {
  /** The key the host's files share. */
  key: string;
  /** The folder that stands for the host's /etc, on disk (undefined for non-file uris). */
  etcPath?: string;
  layout: HostLayout;
  /** The folder's uri (etc-tree: the folder holding etc/), without a trailing slash. */
  folderUri: string;
}

/** Entries of one folder the disk listing looks at, at most (a host's etc/xen holds a few hundred). */
const MAX_LISTED = 20_000;

/**
 * The real path of the folder that stands for the host's /etc, the bound of every read of the
 * host's files; undefined when there is none. For a host of an etc/ tree, the etc folder must lie
 * in the folder holding it (a repository's `etc -> /etc` is not this machine's /etc to read).
 */
export function hostEtcReal(place: HostPlace): string | undefined {
  if (place.etcPath === undefined) return undefined;
  const etcReal = realPathOf(place.etcPath);
  if (etcReal === undefined) return undefined;
  if (place.layout === 'etc-tree') {
    const rootReal = realPathOf(dirname(place.etcPath));
    if (rootReal === undefined || !insideReal(rootReal, etcReal) || etcReal === rootReal) return undefined;
  }
  return etcReal;
}

/** The language a listed file is read in: the table row's, or the sysctl reader's. */
function listedLanguage(languageId: string | undefined): string {
  return languageId ?? 'sysctl';
}

/**
 * The host's files on disk, as the host table lists them: plain files whose real path lies in the
 * host's /etc (see confinedFile). An etc-tree host: each listed row's pattern under etc/. A folder
 * host: the same below the folder (it is the host's /etc), then each listed row's side-by-side name.
 */
export function listDisk(place: HostPlace): DiskFile[] {
  const out: DiskFile[] = [];
  const seen = new Set<string>();
  const etc = place.etcPath;
  const etcReal = hostEtcReal(place);
  if (etc === undefined || etcReal === undefined) return out;
  const add = (path: string, languageId: string) => {
    if (seen.has(path)) return;
    const f = confinedFile(etcReal, path, MAX_DISK_FILE);
    if (!f) return;
    seen.add(path);
    out.push({ uri: pathToUri(path), path, stamp: `${f.mtimeMs}:${f.size}`, languageId });
  };
  const addPattern = (dir: string, namePattern: string, max: number, languageId: string) => {
    if (!namePattern.includes('*')) return add(join(dir, namePattern), languageId);
    for (const n of boundedNames(dir, MAX_LISTED)
      .names.filter((x) => nameMatches(namePattern, x))
      .slice(0, max))
      add(join(dir, n), languageId);
  };
  for (const r of HOST_TABLE) {
    if (!r.listed) continue;
    const under = r.pattern.slice('/etc/'.length);
    const slash = under.lastIndexOf('/');
    addPattern(slash < 0 ? etc : join(etc, ...under.slice(0, slash).split('/')), under.slice(slash + 1), r.listed, listedLanguage(r.languageId));
  }
  if (place.layout === 'folder') {
    // the files side by side in the folder, by their names
    for (const r of HOST_TABLE) if (r.sideBySide !== undefined) addPattern(etc, r.sideBySide, MAX_DOMAIN_FILES, listedLanguage(r.languageId));
  }
  return out;
}

/**
 * About how many files listDisk would find: the names in the host's folders that the listed rows'
 * patterns match, counted from the folders' entries alone (no file is looked at, so a link or a
 * folder of a matching name counts too), up to `atLeast`. Cheap beside listDisk, which looks at
 * every file: a host of a thousand guests is told from a small one before it is listed.
 */
export function countDiskNames(place: HostPlace, atLeast: number): number {
  const etc = place.etcPath;
  if (etc === undefined) return 0;
  let n = 0;
  const count = (dir: string, namePattern: string, max: number) => {
    if (n >= atLeast) return;
    if (!namePattern.includes('*')) n++;
    else n += Math.min(max, boundedNames(dir, MAX_LISTED).names.filter((x) => nameMatches(namePattern, x)).length);
  };
  for (const r of HOST_TABLE) {
    if (!r.listed) continue;
    const under = r.pattern.slice('/etc/'.length);
    const slash = under.lastIndexOf('/');
    count(slash < 0 ? etc : join(etc, ...under.slice(0, slash).split('/')), under.slice(slash + 1), r.listed);
  }
  if (place.layout === 'folder') for (const r of HOST_TABLE) if (r.sideBySide !== undefined) count(etc, r.sideBySide, MAX_DOMAIN_FILES);
  return n;
}

/** The path on the host of a file of a place (file: uris only), from the host table. */
export function hostPathOfFile(place: HostPlace, path: string): string | undefined {
  if (place.etcPath === undefined) return undefined;
  const base = place.layout === 'etc-tree' ? dirname(place.etcPath) : place.etcPath;
  const rel = relative(base, path);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) return undefined;
  return hostPathOf(place.layout, rel.split(sep).join('/'));
}

/** The text of a file of the host on disk, read through the host's real path (undefined: unreadable, or not the host's). */
export function readHostFile(etcReal: string | undefined, path: string): string | undefined {
  return etcReal === undefined ? undefined : readConfined(etcReal, path, MAX_DISK_FILE);
}

/** Whether name matches a shell glob (`*`, `?`, `[...]`, `[!...]`), as ifupdown's `source` expands it (core/wildcard: linear, no regular expression). */
export function globMatch(glob: string, name: string): boolean {
  return wildcardMatch(glob, name);
}

/** run-parts' rule for the files `source-directory` reads: letters, digits, `_` and `-` only. */
const RUN_PARTS_NAME = /^[A-Za-z0-9_-]+$/;

/** Folder entries one `source` line may look at, all segments together (ifupdown's glob has no bound; ours must). */
export const MAX_SOURCE_VISITS = 20_000;

/**
 * The files a `source PATTERN` or `source-directory DIR` line of an interfaces file names, on the
 * host whose /etc is mirrored at etcPath: a path of the host (`/etc/network/interfaces.d/*`) is
 * read under etcPath, a relative one from the folder of the file that names it. Wildcards may be
 * in any segment. Sorted, as ifupdown reads them.
 *
 * Confined to the host: nothing outside etcPath's real path is named (a `..` that would climb out
 * of it ends the walk, as does an absolute path outside /etc), no symbolic link to a folder is
 * walked into, a file is named only when it is a plain file whose real path lies inside the host,
 * and at most maxVisits (MAX_SOURCE_VISITS) folder entries are looked at. The paths returned are under etcPath
 * as given (not resolved), so they compare with the editor's uris.
 */
export function resolveSourced(
  etcPath: string,
  fromPath: string,
  kind: 'source' | 'source-directory',
  pattern: string,
  maxVisits = MAX_SOURCE_VISITS,
): string[] {
  const rootReal = realPathOf(etcPath);
  if (rootReal === undefined) return [];
  // the naming file's folder, as segments below the host's /etc
  let startSegs: string[];
  if (pattern.startsWith('/')) {
    if (!pattern.startsWith('/etc/')) return [];
    pattern = pattern.slice('/etc/'.length);
    startSegs = [];
  } else {
    const fromReal = realPathOf(dirname(fromPath));
    if (fromReal === undefined || !insideReal(rootReal, fromReal)) return [];
    const rel = relative(rootReal, fromReal);
    startSegs = rel === '' ? [] : rel.split(sep);
  }
  const segs = pattern.split('/').filter((x) => x !== '' && x !== '.');
  let visits = 0;
  const pathOf = (at: string[]) => join(etcPath, ...at);
  const realOf = (at: string[]) => join(rootReal, ...at);
  /** The file at `at` when ifupdown would read it and it stays in the host. */
  const fileOk = (at: string[]) => confinedFile(rootReal, realOf(at), MAX_DISK_FILE) !== undefined;
  /** A folder to walk into: a folder itself, not a link to one. */
  const dirOk = (at: string[]) => confinedDir(rootReal, realOf(at));
  const list = (at: string[]): string[] => {
    if (visits >= maxVisits) return [];
    const { names } = boundedNames(realOf(at), maxVisits - visits);
    visits += names.length;
    return names;
  };

  if (kind === 'source-directory') {
    const at = [...startSegs];
    for (const seg of segs) {
      if (seg === '..') {
        if (!at.length) return [];
        at.pop();
      } else at.push(seg);
    }
    if (!dirOk(at)) return [];
    return list(at)
      .filter((n) => RUN_PARTS_NAME.test(n) && fileOk([...at, n]))
      .map((n) => pathOf([...at, n]));
  }
  // expand segment by segment from the folder of the naming file; every entry of `current` is a
  // folder of the host (bar the last segment's), reached without a link
  let current: string[][] = [startSegs];
  for (let k = 0; k < segs.length && current.length; k++) {
    const seg = segs[k];
    const last = k === segs.length - 1;
    const next: string[][] = [];
    for (const at of current) {
      if (seg === '..') {
        // out of the host's /etc: not followed
        if (at.length) next.push(at.slice(0, -1));
        continue;
      }
      if (!hasWildcard(seg)) {
        const to = [...at, seg];
        if (last ? fileOk(to) : dirOk(to)) next.push(to);
        continue;
      }
      const glob = compileWildcard(seg);
      const dotOk = seg.startsWith('.');
      for (const n of list(at)) {
        checkpoint();
        if ((n.startsWith('.') && !dotOk) || !glob.matches(n)) continue;
        const to = [...at, n];
        if (last ? fileOk(to) : dirOk(to)) next.push(to);
        if (next.length >= MAX_DOMAIN_FILES) break;
      }
      if (next.length >= MAX_DOMAIN_FILES) break;
    }
    current = next;
  }
  // a pattern that names a folder (`source interfaces.d/..`, `source .`) names no file
  if (!segs.length || segs[segs.length - 1] === '..') return [];
  return current.map(pathOf);
}

/**
 * How long a listing of a host's files on disk is trusted. Listing stats every file of the host,
 * so it is done once per host and not once per check (a host of 1,000 guests would otherwise stat
 * a million files while its documents open). Changes the editor reports (saves, closes, watched
 * files) drop the listing at once; this bound only covers changes nobody reported.
 */
export const DISK_LISTING_TTL_MS = 3000;

// ---- where the hosts of a workspace folder are (xen/hosts) ----
// An etc/ folder below a workspace folder marks a host there. The search stays inside the folder
// (no link to a folder is followed; node_modules and .git are skipped) and within bounds: depth,
// folders looked at, entries per folder, and a deadline; past a bound it says it did not see all.

/** Folders below a workspace folder at which an etc/ folder is looked for, at most. */
export const MAX_DEPTH = 8;
/** Folders looked into per request, at most (all workspace folders together). */
export const MAX_FOLDERS = 20_000;
/** Entries read from one folder, at most. */
const MAX_ENTRIES = 10_000;
const SKIPPED = new Set(['node_modules', '.git']);

/** A search for hosts in progress: its deadline, the folders looked at so far, and whether it saw everything. */
export interface HostSearch {
  deadline: number;
  folders: number;
  complete: boolean;
}

/** The folders below top (top included) that hold an entry named etc, breadth first, within the walk's bounds. */
export function foldersHoldingEtc(top: string, walk: HostSearch): string[] {
  const found: string[] = [];
  let level: string[] = [top];
  for (let depth = 0; depth <= MAX_DEPTH && level.length; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (walk.folders >= MAX_FOLDERS || Date.now() > walk.deadline) {
        walk.complete = false;
        return found;
      }
      walk.folders++;
      let d;
      try {
        d = opendirSync(dir);
      } catch {
        continue;
      }
      try {
        let n = 0;
        for (let e: Dirent | null = d.readSync(); e !== null; e = d.readSync()) {
          if (++n > MAX_ENTRIES) {
            walk.complete = false;
            break;
          }
          // (an etc that is a link is the checker's to accept or refuse: it reads only inside the host)
          if (e.name === 'etc' && (e.isDirectory() || e.isSymbolicLink())) found.push(dir);
          else if (e.isDirectory() && !SKIPPED.has(e.name) && depth < MAX_DEPTH) next.push(join(dir, e.name));
        }
      } catch {
        /* unreadable part way: what was read */
      } finally {
        try {
          d.closeSync();
        } catch {
          /* already closed */
        }
      }
    }
    level = next.sort();
  }
  return found;
}
